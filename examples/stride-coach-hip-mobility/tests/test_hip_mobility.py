"""Tests with Stride Coach's test kit (the pytest plugin that comes with stride-coach).

The kit's skill holds the built-in plugins plus the ones named by ``stride_coach_plugins``, and
nothing else installed; every response is checked against Alexa's rules before a test sees it.
"""

import json
import re
from pathlib import Path

import pytest

from skill import plan_from_routine
from skill.kit import block_silence_seconds

PLUGIN = "hip_mobility"  # the entry-point name in pyproject.toml
CONTENT = Path(__file__).parents[1] / "src" / "stride_coach_hip_mobility" / "content"


@pytest.fixture
def stride_coach_plugins():
    return [PLUGIN]


def test_plugin_is_valid(validate_plugin):
    assert validate_plugin(PLUGIN) == []


def test_launch_offers_hip_mobility_beside_the_builtins(alexa):
    welcome = alexa.launch()
    for offer in ("back check", "guided stretches", "strength session", "hip mobility"):
        assert offer in welcome.speech


def test_help_explains_it(alexa):
    """Help at the menu names the main things in a few seconds; the rest, ours too, comes after."""
    alexa.launch()
    alexa.say("help")
    assert "ninety-ninety hip switches" in alexa.say("what else can I say").speech


@pytest.mark.parametrize("utterance", ["hip mobility", "loosen up my hips", "start my hip mobility routine",
                                       "alexa ask stride coach for hip mobility"])
def test_utterances_reach_the_intent(alexa, utterance):
    alexa.launch()
    assert alexa.say(utterance).request["request"]["intent"]["name"] == "HipMobilityIntent"


def test_the_routine_starts_with_exact_timing(alexa, stride_skill):
    alexa.launch()
    answer = alexa.say("hip mobility")
    first = plan_from_routine(stride_skill.host.content, "hip_mobility")["blocks"][0]
    assert "Here is your hip mobility routine" in answer.speech
    assert "standing hip circles" in answer.speech
    assert answer.silence_seconds == block_silence_seconds(first)  # every rep's tempo, exactly
    assert answer.reprompt.startswith("Say next for the hip switches")


def play_to_the_end(alexa, limit: int = 10):
    answer = alexa.say("hip mobility")
    for _ in range(limit):
        if "Anything else?" in answer.speech:
            return answer
        answer = alexa.say("next")
    raise AssertionError(f"the routine did not finish: {answer.speech[-200:]}")


def test_finishing_counts_the_session_and_gives_a_tip(alexa):
    alexa.launch()
    finished = play_to_the_end(alexa)
    assert "may help them feel freer" in finished.speech  # the routine's outro
    assert "a few hip circles before a run" in finished.speech  # the first tip
    assert alexa.stored["plugins"][PLUGIN]["sessions"] == 1
    alexa.end_session("EXCEEDED_MAX_REPROMPTS")  # the core records it once the last response has played
    assert alexa.stored["history"][-1]["title"] == "your hip mobility routine"


def test_a_returning_user_is_welcomed_back_and_gets_the_next_tip(alexa):
    alexa.launch()
    play_to_the_end(alexa)
    alexa.next_day()
    alexa.launch()
    assert "session number 2" in alexa.say("hip mobility").speech
    alexa.say("stop")
    alexa.launch()
    alexa.say("no")  # no to resuming the unfinished routine
    finished = play_to_the_end(alexa)
    assert "one side feels stiffer" in finished.speech


def test_spoken_content_stays_honest():
    """General guidance: may help, never diagnose, cure, fix or treat."""
    for file in CONTENT.rglob("*.json"):
        text = json.dumps(json.loads(file.read_text())).lower()
        assert not re.search(r"\b(diagnos\w*|cures?|fix(es)?|treat(s|ment)?|heals?)\b", text), file
