"""The test kit (``skill.kit``) works for plugin authors as documented in docs/plugins.md.

The plugin under test here is the example package's module, passed to the kit as a
``(name, module)`` pair: no installation, no entry point. ``scripts/check_example_plugin.sh``
covers the installed path.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from skill import hookimpl
from skill.api.routines import plan_from_routine
from skill.host.host import PluginLoadError
from skill.kit.simulator import (
    block_silence_seconds,
    builtin_plugin_names,
    check_response,
    make_host,
    response_problems,
)

EXAMPLE_SRC = Path(__file__).parents[2] / "examples" / "stride-coach-hip-mobility" / "src"


@pytest.fixture
def stride_coach_plugins(monkeypatch):
    monkeypatch.syspath_prepend(str(EXAMPLE_SRC))
    return [("hip_mobility_under_test", importlib.import_module("stride_coach_hip_mobility"))]


def test_the_skill_holds_the_builtins_and_the_plugin_under_test_only(stride_skill):
    loaded = stride_skill.host.loaded()
    assert loaded == ["core", *sorted(builtin_plugin_names()), "hip_mobility_under_test"]
    assert stride_skill.host.intents["HipMobilityIntent"].plugin == "hip_mobility_under_test"


def test_validate_plugin_accepts_a_module_pair(validate_plugin):
    assert validate_plugin("hip_mobility_under_test") == []


def test_validate_plugin_names_an_unknown_plugin(validate_plugin):
    (problem,) = validate_plugin("not_installed")
    assert "'not_installed' was not found" in problem


@pytest.mark.parametrize("name", builtin_plugin_names())
def test_validate_plugin_accepts_every_builtin(validate_plugin, name):
    assert validate_plugin(name) == []


def test_say_resolves_the_plugins_own_samples(alexa):
    alexa.launch()
    answer = alexa.say("loosen up my hips")
    assert answer.request["request"]["intent"]["name"] == "HipMobilityIntent"
    assert "standing hip circles" in answer.speech


def test_answers_expose_timing_for_exactness_checks(alexa, stride_skill):
    alexa.launch()
    answer = alexa.say("hip mobility")
    first = plan_from_routine(stride_skill.host.content, "hip_mobility")["blocks"][0]
    assert answer.silence_seconds == block_silence_seconds(first) == 2 * 6 * 4  # two sides, six reps of 2+2 s
    assert answer.playback_seconds > answer.silence_seconds


def test_kit_hosts_are_strict_about_the_plugin_under_test():
    class Typo:  # a plugin object (not a module) with a misspelt hook
        @hookimpl
        def launch_offers(self, turn):
            return None

    with pytest.raises(PluginLoadError, match="typo: implements hooks that do not exist: launch_offers"):
        make_host([("typo", Typo())])


# -- check_response: Alexa's rules on hand-made envelopes --------------------------------------
INTENT_REQUEST = {"request": {"type": "IntentRequest", "intent": {"name": "HipMobilityIntent"}}}


def envelope(ssml: str, *, end: bool, reprompt: str | None = None) -> dict:
    response: dict = {"outputSpeech": {"type": "SSML", "ssml": ssml}, "shouldEndSession": end}
    if reprompt:
        response["reprompt"] = {"outputSpeech": {"type": "SSML", "ssml": reprompt}}
    return {"version": "1.0", "response": response}


def test_check_response_accepts_a_good_response():
    check_response(INTENT_REQUEST, envelope("<speak>Ready to start?</speak>", end=False,
                                            reprompt="<speak>Ready to start?</speak>"))


def test_check_response_flags_an_open_session_without_a_reprompt():
    with pytest.raises(AssertionError, match="the session stays open without a reprompt"):
        check_response(INTENT_REQUEST, envelope("<speak>Ready to start?</speak>", end=False))


def test_check_response_flags_a_break_over_ten_seconds():
    bad = envelope('<speak>Hold. <break time="12s"/> And release.</speak>', end=True)
    with pytest.raises(AssertionError, match="a break of 12s is longer than 10 s"):
        check_response(INTENT_REQUEST, bad)
    chained = envelope('<speak>Hold. <break time="10s"/><break time="2s"/> And release.</speak>', end=True)
    assert response_problems(INTENT_REQUEST, chained) == []


def test_check_response_flags_speech_after_session_ended():
    ended = {"request": {"type": "SessionEndedRequest"}}
    problems = response_problems(ended, envelope("<speak>Bye.</speak>", end=True))
    assert problems == ["a SessionEndedRequest must get an empty response"]
