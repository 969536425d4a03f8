"""The self-checks as a user hears them (anchors spoken, safe set-ups, grouped by position) and the
plan played in full: the stretches, then the programme over weeks with the core session offered."""

from __future__ import annotations

import json

import pytest
from test_back_check import CHECKS, CONTENT, diagnosis_store, full_check, screen_all_no, uniform

RULES = json.loads((CONTENT / "diagnosis" / "plan_rules.json").read_text())
# How a user might describe each level of each check in the check's own words.
ANCHOR_ANSWERS = {
    "hamstrings": {"free": "past the middle of my thigh", "bit_tight": "between the knee and mid thigh",
                   "very_tight": "below the knee"},
    "glutes": {"free": "about level", "bit_tight": "a little way up", "very_tight": "well up"},
    "hip_flexors": {"free": "it rested down", "bit_tight": "floated a little", "very_tight": "floated well up"},
    "quadriceps": {"free": "within a hand's width", "bit_tight": "stopped further away", "very_tight": "my hip lifted"},
}


SPOKEN_ANCHORS = {
    "hamstrings": ("past the middle", "between the knee and mid thigh", "below the knee"),
    "glutes": ("about level", "a little way up", "well up"),
    "hip_flexors": ("rest down", "float a little", "float well up"),
    "quadriceps": ("hand's width", "further away", "hip lift"),
}


def test_every_check_question_speaks_its_anchors():
    for check in CHECKS:
        question = check["question"].lower()
        assert "freely" not in question, "rated by what was seen or felt, not by feel alone"
        for anchor in SPOKEN_ANCHORS[check["id"]]:
            assert anchor in question, (check["id"], anchor)


@pytest.mark.parametrize("level", ["free", "bit_tight", "very_tight"])
def test_answers_in_the_anchors_own_words_are_understood(new_user, level):
    alexa = new_user()
    screen_all_no(alexa)
    for check in CHECKS:
        for _ in check["sides"]:
            alexa.say(ANCHOR_ANSWERS[check["id"]][level])
    levels = diagnosis_store(alexa)["checks"][-1]["levels"]
    assert levels == uniform(level), levels


def test_checks_are_grouped_by_position_with_safe_ways_in_and_out():
    positions = [check["position"] for check in CHECKS]
    assert positions == sorted(positions, key=positions.index), "each position once, all its checks together"
    hip = next(c for c in CHECKS if c["id"] == "hip_flexors")
    assert "crease" in hip["setup"][0] and "edge" in hip["setup"][0], "the thigh hangs over the edge"
    assert "sit up" not in hip["switch"].lower() and "roll onto your side" in hip["switch"]
    assert any("steady" in step or "away from the edge" in step for step in hip["setup"]), "a cue against a fall"
    quads = next(c for c in CHECKS if c["id"] == "quadriceps")
    assert "on your" in quads["needs"] and "side" in quads["needs"], "a side-lying option"
    for check in CHECKS:
        if check["id"] in ("hamstrings", "glutes"):
            assert "without lifting your head" in check["notice"].lower()
            assert "ask someone to look" in check["notice"]


def test_the_plan_is_a_programme_and_offers_the_core_session(new_user):
    alexa = new_user()
    plan = full_check(alexa, uniform("free"))
    for sentence in RULES["programme"]:
        assert sentence in plan.speech
    answer = alexa.say("yes")
    answers = [answer]
    while "Anything else?" not in answers[-1].reprompt and "What would you like to do?" not in answers[-1].reprompt:
        answers.append(alexa.say("next"))
        assert len(answers) < 30
    closing = answers[-1]
    assert RULES["next_step"] in closing.speech, closing.speech
    core = alexa.say("core workout")
    player = core.session["core"]["player"]
    assert player["plan"]["id"] == "strength:core"


@pytest.mark.parametrize("puzzled", ["what does that mean", "sorry what do you mean",
                                     "i don't understand the question", "huh"])
def test_a_puzzled_answer_hears_what_each_answer_describes_and_the_question_again(new_user, puzzled):
    alexa = new_user()
    screen_all_no(alexa)
    heard = alexa.say(puzzled)
    hamstrings = next(c for c in CHECKS if c["id"] == "hamstrings")
    speech = heard.speech.lower()
    for meaning in hamstrings["levels"].values():  # each answer, described in the check's own words
        assert meaning[1:-1].lower() in speech, meaning
    assert heard.reprompt and hamstrings["question"] in heard.speech and not heard.ended
    assert heard.session["plugins"]["diagnosis"]["step"] == "check"
    alexa.say("below the knee")
    after = alexa.say("below the knee")  # the left side: the answers after the explanation still count
    levels = after.session["plugins"]["diagnosis"]["levels"]
    assert levels["hamstrings"] == {"right": "very_tight", "left": "very_tight"}, levels
