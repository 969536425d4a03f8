"""Plugins checked at run time: wrong return types and slow hooks are the plugin's failure alone.

A third-party plugin that returns an Offer with a number for a title, a nudge that asks nothing,
or a hook that sleeps, must not break launch, help or the menu for anyone: the rest of the skill
answers normally, the plugin is named in the run-time health, and ``stride-coach plugins`` shows it.
"""

from __future__ import annotations

import json
import time

import pytest

from skill import Offer, Reply, Speech, hookimpl
from skill.cli.main import main
from skill.host.runtime import RuntimeHealth
from skill.kit.simulator import AlexaSimulator, make_skill


class BadOffer:
    @hookimpl
    def launch_offer(self, turn):
        return Offer(title=123, try_saying="bad offer", help="Bad.", priority="high")


class QuestionlessNudge:
    @hookimpl
    def launch_offer(self, turn):
        return Offer(title="a nudge", try_saying="nudge me", help="Nudges.", nudge="I will nudge you")


class Sleepy:
    @hookimpl
    def launch_offer(self, turn):
        time.sleep(5)
        return Offer(title="a nap", try_saying="nap", help="Naps.")

    @hookimpl
    def handle_followup(self, turn):
        return Reply("zzz", prompt="Anything else?")


@pytest.fixture
def health(tmp_path, monkeypatch):
    path = tmp_path / "health.json"
    monkeypatch.setenv("STRIDE_COACH_HEALTH_FILE", str(path))
    return RuntimeHealth(path)


@pytest.mark.parametrize("plugin, name", [(BadOffer(), "bad_offer"), (QuestionlessNudge(), "no_question")])
def test_a_wrong_offer_is_the_plugins_failure_and_the_rest_answers(tmp_path, health, plugin, name):
    app = make_skill(tmp_path / "s.db", [(name, plugin)], strict=False)
    alexa = AlexaSimulator(app)
    welcome = alexa.launch()
    assert "Welcome to Stride Coach" in welcome.speech and "back check" in welcome.speech
    assert "a nudge" not in welcome.speech and "123" not in welcome.speech
    assert "back check" in alexa.intent("AMAZON.HelpIntent").speech
    entry = health.read()[name]
    assert entry["failures"] >= 1 and "launch_offer" in entry["last"]


def test_a_slow_hook_is_cut_off_and_the_plugin_suspended(tmp_path, health):
    app = make_skill(tmp_path / "s.db", [("sleepy", Sleepy())], strict=False)
    app.host.hook_time_limit = 0.2  # the real limit is HOOK_TIME_LIMIT_S; the test need not wait for it
    alexa = AlexaSimulator(app)
    assert "Welcome to Stride Coach" in alexa.launch().speech
    assert app.host.records["sleepy"].status == "suspended"
    assert "Welcome to Stride Coach" in alexa.launch().speech  # not called again
    entry = health.read()["sleepy"]
    assert entry["cut_off"] == 1 and "launch_offer took longer" in entry["last"]


def test_stride_coach_plugins_shows_run_time_failures(health, capsys):
    health.record("stretch_timer", "launch_offer returned an Offer with title=123")
    assert main(["plugins"]) == 0
    out = capsys.readouterr().out
    assert "run-time failures: 1" in out and "title=123" in out
    assert main(["plugins", "--json"]) == 0
    listed = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert listed["stretch_timer"]["runtime"]["failures"] == 1


class BadReply:
    @hookimpl
    def register_intents(self, register):
        register({"name": "BadReplyIntent", "samples": {"en": ["give me a bad reply"]}}, self.answer)

    def answer(self, turn):
        return Reply(Speech().pause(float("inf")), prompt=42)


def test_a_reply_of_the_wrong_shape_is_the_plugins_failure(tmp_path, health):
    app = make_skill(tmp_path / "s.db", [("bad_reply", BadReply())], strict=False)
    alexa = AlexaSimulator(app)
    alexa.launch()
    answer = alexa.intent("BadReplyIntent")
    assert "ran into a problem" in answer.speech and not answer.ended
    entry = health.read()["bad_reply"]
    assert "prompt=42 is not text" in entry["last"] and "a pause of inf" in entry["last"]


def test_several_slow_plugins_share_one_budget_per_request(tmp_path, health, monkeypatch):
    import skill.host.runtime as runtime

    monkeypatch.setattr(runtime, "REQUEST_HOOK_BUDGET_S", 0.3)
    app = make_skill(tmp_path / "s.db", [(f"sleepy{i}", Sleepy()) for i in range(4)], strict=False)
    app.host.hook_time_limit = 0.2
    alexa = AlexaSimulator(app)
    assert "Welcome to Stride Coach" in alexa.launch().speech
    suspended = [name for name, r in app.host.records.items() if r.status == "suspended"]
    assert 1 <= len(suspended) <= 2, suspended  # the rest were not called, and are not blamed


# -- validate rehearses what loading cannot show ---------------------------------------------------
class StringHandler:
    @hookimpl
    def register_intents(self, register):
        register({"name": "StringReplyIntent", "samples": {"en": ["try the string handler"]}},
                 lambda turn: "A string is not a Reply.")


@pytest.mark.parametrize("plugin, name, said", [
    (BadOffer(), "bad_offer", "launch_offer"), (QuestionlessNudge(), "no_question", "launch_offer"),
    (Sleepy(), "sleepy", "cut off for taking too long"), (StringHandler(), "string_handler", "not a Reply")])
def test_validation_rehearses_each_plugin_and_names_what_it_does_wrong(tmp_path, health, monkeypatch, plugin, name,
                                                                       said):
    from skill.host import host as host_module
    from skill.kit.simulator import make_host
    from skill.voice.validation import plugin_problems, rehearsal_problems

    monkeypatch.setattr(host_module, "HOOK_TIME_LIMIT_S", 0.2)
    host = make_host([(name, plugin)], strict=False)
    assert host.records[name].status == "loaded"  # loading alone finds nothing wrong
    found = rehearsal_problems(host)
    assert [line for line in found if line.startswith(f"plugin {name} at run time:") and said in line], found
    assert not [line for line in found if not line.startswith(f"plugin {name} ")], found  # the built-ins pass
    assert plugin_problems(make_host([(name, plugin)], strict=False), name)  # the kit's "validate a plugin" too
    assert health.read() == {}  # a rehearsal leaves the real run-time health alone


def test_validation_of_the_built_ins_rehearses_without_a_problem():
    from skill.kit.simulator import make_host
    from skill.voice.validation import rehearsal_problems

    assert rehearsal_problems(make_host()) == []
