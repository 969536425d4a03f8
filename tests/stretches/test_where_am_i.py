"""Questions about this exercise asked during it: the answer is about this exercise, not the session."""

from __future__ import annotations

import re

import pytest

from skill.engine import plan_minutes
from skill.engine.timeline import number_word


def _started(alexa):
    alexa.launch()
    first = alexa.say("stretch my hamstrings")
    assert "<break" in first.ssml, first.speech
    return first


@pytest.mark.parametrize("question", ["how much longer on this one", "how long is this one",
                                      "how much longer on this exercise"])
def test_asked_during_the_set_up_the_answer_is_this_exercise_from_its_start(alexa, question):
    first = _started(alexa)
    player = first.session["core"]["player"]
    answer = alexa.say(question, after=2)
    block_plan = {**player["plan"], "blocks": player["plan"]["blocks"][:1]}
    minutes = round(plan_minutes(block_plan, player["scale"], player["rate"]))
    assert re.search(rf"is just starting: about {number_word(minutes)} minutes? in all\.", answer.speech), \
        answer.speech
    assert "more exercise" not in answer.speech, "not the whole session's length"
    assert "<break" in answer.ssml, "the exercise carries on after the answer"
