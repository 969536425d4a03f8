"""Broken plugins end as "failed" with their reason, or as a spoken apology; the built-ins keep working.

Every plugin in ``tests/fixtures/plugins/`` arrives the way a third-party package does: through a real
``stride_coach`` entry point of an installed distribution (a throwaway ``*.dist-info`` on
``sys.path``, from the kit's ``plugin_distribution`` fixture), so import failures and entry-point
loading are exercised for real. The environment variables that choose plugins are tested here too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skill.cli.main import main
from skill.host.host import PluginLoadError
from skill.kit.simulator import AlexaSimulator, builtin_plugin_names, make_host, make_skill
from skill.pipeline.app import load_from_env

BROKEN = Path(__file__).parents[1] / "fixtures" / "plugins"
BROKEN_PLUGINS = sorted(p.stem for p in BROKEN.iterdir() if p.suffix == ".py" or (p / "__init__.py").exists())
BUILTIN_OFFERS = ("back check", "guided stretches", "strength session")
APOLOGY = "Sorry, that part of Stride Coach ran into a problem."


@pytest.fixture(autouse=True)
def broken_distribution(plugin_distribution):
    """Every broken plugin as an entry point of one installed distribution (none loaded unless named)."""
    plugin_distribution("stride-coach-broken-plugins", {name: name for name in BROKEN_PLUGINS}, source=BROKEN)


def skill_with(tmp_path: Path, *plugins: str) -> AlexaSimulator:
    """A conversation with the built-ins and ``plugins``, not strict: failures must not stop the skill."""
    return AlexaSimulator(make_skill(tmp_path / "stride-coach.db", plugins, strict=False))


def assert_builtins_work(alexa: AlexaSimulator) -> None:
    welcome = alexa.launch()
    for offer in BUILTIN_OFFERS:
        assert offer in welcome.speech, welcome.speech
    stretch = alexa.say("stretch my glutes")
    assert "the figure-four glute stretch" in stretch.speech


# -- failures at load time --------------------------------------------------------------------
LOAD_FAILURES = [
    pytest.param(["broken_import"], "broken_import",
                 ["failed to import broken_import", "ModuleNotFoundError", "foam_sensor_sdk"], id="fails-to-import"),
    pytest.param(["misspelt_hook"], "misspelt_hook",
                 ["implements hooks that do not exist: register_intent ", "skill/hookspecs.py"], id="misspelt-hook"),
    pytest.param(["wrong_argument"], "wrong_argument",
                 ["invalid hook implementation", "launch_offer", "request"], id="wrong-argument-name"),
    pytest.param(["invalid_exercise"], "invalid_exercise",
                 [str(BROKEN / "invalid_exercise" / "exercises" / "overlong_hold.json"), ": /dose/hold_seconds: ",
                  "300 is greater than the maximum of 120"], id="invalid-content"),
    pytest.param(["missing_exercise"], "missing_exercise",
                 [str(BROKEN / "missing_exercise" / "routines" / "ghost_routine.json"), ": /items/1/exercise: ",
                  "refers to exercise 'no_such_exercise', which does not exist"], id="missing-exercise"),
    pytest.param(["clashing_intent"], "clashing_intent",
                 ["intent StartStretchIntent is claimed by both 'stretch_timer' and 'clashing_intent'"],
                 id="clashes-with-builtin-intent"),
    pytest.param(["unknown_slot_type"], "unknown_slot_type",
                 ["intent RollAreaIntent: slot area has type RollArea, which no plugin registered"],
                 id="unknown-slot-type"),
    pytest.param(["rival_one", "rival_two"], "rival_two",
                 ["intent RivalIntent is claimed by both 'rival_one' and 'rival_two'"], id="two-plugins-one-intent"),
]


@pytest.mark.parametrize("plugins, failing, reasons", LOAD_FAILURES)
def test_broken_plugin_is_failed_with_its_reason(plugins, failing, reasons):
    host = make_host(plugins, strict=False)
    record = host.records[failing]
    assert record.status == "failed"
    error = "; ".join(record.errors)
    for reason in reasons:
        assert reason in error
    assert not record.intents and not record.content  # a failed plugin must not half-work
    assert all(host.records[name].status == "loaded" for name in builtin_plugin_names())


@pytest.mark.parametrize("plugins, failing, reasons", LOAD_FAILURES)
def test_builtins_keep_working_beside_a_broken_plugin(tmp_path, plugins, failing, reasons):
    assert_builtins_work(skill_with(tmp_path, *plugins))


def test_one_module_behind_two_entry_points_fails_the_second(plugin_distribution, tmp_path):
    plugin_distribution("stride-coach-alias", {"same_module_twice": "rival_one"})  # an alias left by a rename
    alexa = skill_with(tmp_path, "rival_one", "same_module_twice")
    record = alexa.app.host.records["same_module_twice"]
    assert record.status == "failed" and "already registered" in "; ".join(record.errors)
    assert_builtins_work(alexa)


def test_the_first_of_two_rivals_keeps_its_intent(tmp_path):
    alexa = skill_with(tmp_path, "rival_one", "rival_two")
    alexa.launch()
    assert "The first rival answered." in alexa.say("the rival routine").speech


def test_strict_mode_raises_naming_the_failing_plugin():
    with pytest.raises(PluginLoadError, match=r"missing_exercise: .*ghost_routine\.json"):
        make_host(["missing_exercise"], strict=True)


# -- failures while answering -----------------------------------------------------------------
def test_an_offer_that_raises_leaves_launch_and_help_working(tmp_path):
    alexa = skill_with(tmp_path, "raising_offer")
    assert alexa.app.host.records["raising_offer"].status == "loaded"
    assert_builtins_work(alexa)
    help_answer = alexa.say("help")
    assert "guided stretches" in help_answer.speech and not help_answer.ended


@pytest.mark.parametrize("plugin, utterance", [("raising_handler", "try the broken handler"),
                                               ("non_reply_handler", "try the string handler")])
def test_a_broken_handler_gets_an_apology_and_a_way_forward(tmp_path, plugin, utterance):
    alexa = skill_with(tmp_path, plugin)
    alexa.launch()
    stored_before = alexa.stored
    answer = alexa.say(utterance)
    assert answer.speech.startswith(APOLOGY)
    assert "You could ask for" in answer.speech  # a way forward: the other plugins' offers
    assert "internal detail" not in answer.speech and "Reply" not in answer.speech
    assert not answer.ended and answer.reprompt
    assert alexa.stored == stored_before  # nothing from the failed turn is persisted
    assert "the figure-four glute stretch" in alexa.say("stretch my glutes").speech


# -- choosing plugins with environment variables -----------------------------------------------
def statuses(host) -> dict[str, str]:
    return {name: record.status for name, record in host.records.items()}


def test_load_only_some_plugins(monkeypatch):
    monkeypatch.setenv("STRIDE_COACH_LOAD_PLUGINS", "stretch_timer, rival_one")
    found = statuses(load_from_env())
    assert found["core"] == found["stretch_timer"] == found["rival_one"] == "loaded"
    assert found["diagnosis"] == found["strength_coach"] == found["broken_import"] == "blocked"


def test_an_empty_load_list_means_only_the_core(monkeypatch):
    monkeypatch.setenv("STRIDE_COACH_LOAD_PLUGINS", "")
    host = load_from_env()
    assert host.loaded() == ["core"]


def test_block_some_plugins(monkeypatch, tmp_path):
    monkeypatch.setenv("STRIDE_COACH_LOAD_PLUGINS", ",".join(builtin_plugin_names()))
    monkeypatch.setenv("STRIDE_COACH_BLOCK_PLUGINS", "strength_coach")
    host = load_from_env()
    assert statuses(host)["strength_coach"] == "blocked"
    assert "StartStrengthIntent" not in host.intents
    from skill.pipeline.app import SkillApp
    from skill.store import SQLiteAdapter

    welcome = AlexaSimulator(SkillApp(host, SQLiteAdapter(tmp_path / "db.sqlite"))).launch()
    assert "guided stretches" in welcome.speech and "strength session" not in welcome.speech


@pytest.mark.parametrize("plugin, reason", [
    ("misspelt_hook", "misspelt_hook: implements hooks that do not exist: register_intent"),
    ("broken_import", "broken_import: failed to import broken_import"),
])
def test_strict_mode_from_the_environment(monkeypatch, plugin, reason):
    monkeypatch.setenv("STRIDE_COACH_LOAD_PLUGINS", ",".join([*builtin_plugin_names(), plugin]))
    monkeypatch.setenv("STRIDE_COACH_STRICT_PLUGINS", "1")
    with pytest.raises(PluginLoadError, match=reason):
        load_from_env()
    monkeypatch.setenv("STRIDE_COACH_STRICT_PLUGINS", "0")
    assert statuses(load_from_env())[plugin] == "failed"


def plugins_command(capsys) -> dict[str, dict]:
    """``stride-coach plugins --json``, by plugin name."""
    assert main(["plugins", "--json"]) == 0
    return {r["name"]: r for r in json.loads(capsys.readouterr().out)}


def test_plugins_command_shows_blocked_and_failed(monkeypatch, capsys):
    monkeypatch.setenv("STRIDE_COACH_BLOCK_PLUGINS", "diagnosis,rival_two")
    monkeypatch.setenv("STRIDE_COACH_STRICT_PLUGINS", "1")  # the command never raises: it reports
    records = plugins_command(capsys)
    assert records["diagnosis"]["status"] == records["rival_two"]["status"] == "blocked"
    assert records["stretch_timer"]["status"] == records["rival_one"]["status"] == "loaded"
    assert records["misspelt_hook"]["status"] == "failed"
    assert "register_intent" in records["misspelt_hook"]["error"]
    assert records["rival_one"]["version"] == "0.1.0"
    assert records["rival_one"]["distribution"] == "stride-coach-broken-plugins"


def test_plugins_command_shows_an_import_failure(monkeypatch, capsys):
    monkeypatch.setenv("STRIDE_COACH_LOAD_PLUGINS", "broken_import")
    record = plugins_command(capsys)["broken_import"]
    assert record["status"] == "failed" and "foam_sensor_sdk" in record["error"]
