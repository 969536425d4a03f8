"""The five English interaction models: generated from the plugins, committed, checked, and used per locale."""

from __future__ import annotations

import json
import shutil

import pytest

from skill import hookimpl
from skill.api.reply import Reply
from skill.api.turn import LOCALE_UNITS
from skill.cli.common import models_dir
from skill.cli.main import main
from skill.cli.validate import problems
from skill.host.host import PluginHost
from skill.kit.simulator import AlexaSimulator, make_skill
from skill.pipeline import core_intents
from skill.voice.builtin_intents import BUILTIN_PHRASES
from skill.voice.checks import model_problems
from skill.voice.model import INVOCATION_NAME, LOCALES, build_model, model_locale, model_path, model_text


class LocalePhrases:
    """A plugin with samples for one locale only, and an intent that says the request's unit."""

    @hookimpl
    def register_intents(self, register):
        samples = {"en": ["which unit do you use"], "en-GB": ["how many kilos is a stone"],
                   "en-IN": ["which unit do you use"]}
        register({"name": "UnitProbeIntent", "samples": samples},
                 lambda turn: Reply.menu(f"I'll count in {turn.weight_unit}."))


@pytest.fixture
def host() -> PluginHost:
    return PluginHost().load(core=core_intents, strict=True)


@pytest.fixture(autouse=True)
def _committed_models(monkeypatch):
    monkeypatch.delenv("STRIDE_COACH_MODELS_DIR", raising=False)


def test_the_published_locales():
    assert LOCALES == ("en-US", "en-GB", "en-AU", "en-CA", "en-IN")


@pytest.mark.parametrize("locale", LOCALES)
def test_every_generated_model_passes_every_check(host, locale):
    model = build_model(host, locale)
    assert model["interactionModel"]["languageModel"]["invocationName"] == INVOCATION_NAME
    assert model_problems(model, set(host.intents) | set(BUILTIN_PHRASES), locale) == []


def test_validate_finds_nothing_in_the_plugins_models_and_manifest(host):
    assert problems(host, models_dir()) == []


def test_models_are_deterministic(host):
    again = PluginHost().load(core=core_intents, strict=True)
    assert [model_text(build_model(host, locale)) for locale in LOCALES] == \
           [model_text(build_model(again, locale)) for locale in LOCALES]


def test_models_check_passes_on_the_committed_files(capsys):
    assert main(["models", "--check"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_models_check_fails_on_a_modified_copy_with_a_short_diff(tmp_path, capsys):
    copy = tmp_path / "models"
    shutil.copytree(models_dir(), copy)
    gb = model_path(copy, "en-GB")
    gb.write_text(gb.read_text().replace('"stride coach"', '"stride trainer"'))
    model_path(copy, "en-IN").unlink()
    assert main(["models", "--check", "--dir", str(copy)]) == 1
    err = capsys.readouterr().err
    assert '-      "invocationName": "stride trainer",' in err
    assert '+      "invocationName": "stride coach",' in err
    assert f"missing: {model_path(copy, 'en-IN')}" in err
    assert "out of date" in err and "en-US.json" not in err
    assert len(err.splitlines()) < 20


def test_models_writes_every_locale(tmp_path, capsys):
    out = tmp_path / "written"
    assert main(["models", "--dir", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{locale}.json" for locale in LOCALES)
    for locale in LOCALES:
        assert model_path(out, locale).read_text() == model_path(models_dir(), locale).read_text()
    assert main(["models", "--check", "--dir", str(out)]) == 0


def test_locale_samples_appear_only_in_their_locale():
    host = PluginHost().load(core=core_intents, extra=[("locale_phrases", LocalePhrases())], strict=True)
    def probe_samples(locale):
        intents = build_model(host, locale)["interactionModel"]["languageModel"]["intents"]
        return next(i["samples"] for i in intents if i["name"] == "UnitProbeIntent")

    samples = {locale: probe_samples(locale) for locale in LOCALES}
    assert samples["en-GB"] == ["which unit do you use", "how many kilos is a stone"]
    assert samples["en-IN"] == ["which unit do you use"]  # a locale's copy of a shared sample is not repeated
    assert all(samples[locale] == ["which unit do you use"] for locale in ("en-US", "en-AU", "en-CA"))


@pytest.mark.parametrize("locale, expected", [
    ("en-US", "en-US"), ("en-GB", "en-GB"), ("en-IN", "en-IN"),
    ("fr-FR", "en-US"), ("en-NZ", "en-US"), (None, "en-US")])
def test_model_locale_falls_back_to_en_us(locale, expected):
    assert model_locale(locale) == expected


def test_an_unknown_locale_gets_the_en_us_model(host):
    assert build_model(host, "fr-FR") == build_model(host, "en-US")


@pytest.mark.parametrize("locale", [*LOCALES, "fr-FR", "en-NZ"])
def test_the_request_locale_picks_the_unit(tmp_path, locale):
    alexa = AlexaSimulator(make_skill(tmp_path / "store.db", [("locale_phrases", LocalePhrases())]), locale=locale)
    unit = LOCALE_UNITS.get(locale, "pounds")
    assert f"I'll count in {unit}." in alexa.intent("UnitProbeIntent").speech
    assert unit == ("kilograms" if locale in ("en-GB", "en-AU", "en-IN") else "pounds")


def test_a_launch_in_an_unknown_locale_is_answered_in_english(tmp_path):
    alexa = AlexaSimulator(make_skill(tmp_path / "store.db"), locale="fr-FR")
    answer = alexa.launch()
    assert "Welcome to Stride Coach" in answer.speech
    assert not answer.ended
    assert alexa.say("help").speech  # the en-US model resolves what a French-locale device would send


def test_committed_models_are_valid_json_for_every_locale():
    for locale in LOCALES:
        model = json.loads(model_path(models_dir(), locale).read_text())
        assert model["interactionModel"]["languageModel"]["invocationName"] == INVOCATION_NAME
