"""Missing kit: "no weights", "I don't have a bar", "I don't have a bench" pick variants that need
nothing, the choice is remembered across sessions, and "I have weights" brings the exercise back
where the user left it (reps and weight)."""

from __future__ import annotations

import pytest
from test_strength_sessions import card, check_exercise, play_through, seconds_until, start, store


def begin(alexa, utterance: str):
    """Ask for a session mid-conversation; the 24-hour check, when asked, is answered no."""
    answer = alexa.say(utterance)
    return alexa.say("no") if "the morning after" in answer.speech else answer


def say_missing(alexa, utterance: str, kit: str):
    alexa.launch()
    answer = alexa.say(utterance)
    assert f"Okay, no {kit}." in answer.speech
    assert kit not in store(alexa).get("has", [])
    return answer


@pytest.mark.parametrize("utterance, kit, session, swapped, instead, today", [
    ("no weights", "weights", "let's do deadlifts", "hip_hinge", "The hip hinge instead of the Romanian deadlift, "
     "as you don't have weights.", "Today: the hip hinge."),
    ("I don't have a bar", "bar", "core workout", "lying_knee_raise", "The knee raise instead of the hanging knee "
     "raise, as you don't have a bar.", "Today: the dead bug and the knee raise."),
    ("I don't have a bench", "bench", "leg day", "split_squat", "The split squat instead of the Bulgarian split "
     "squat, as you don't have a bench.", "Today: the squat, the split squat and the reverse lunge."),
])
def test_missing_kit_picks_a_variant_that_needs_none_and_is_remembered(alexa, utterance, kit, session, swapped,
                                                                       instead, today):
    say_missing(alexa, utterance, kit)
    first = alexa.say(session)
    assert instead in first.speech
    assert today in first.speech
    heard = " ".join(a.speech for a in play_through(alexa, first))
    needs = {"weights": "dumbbells", "bar": "pull_up_bar", "bench": "bench"}[kit]
    for name in ("romanian_deadlift", "hanging_knee_raise", "bulgarian_split_squat"):
        if needs in card(alexa, name)["equipment"]:
            assert f", {card(alexa, name)['name']}." not in heard  # never started
    assert heard.count(f", {card(alexa, swapped)['name']}.") == 1  # once, even when another slot has it too

    alexa.next_day()  # the next session remembers, without saying it again
    again = start(alexa, session)
    assert instead not in again.speech
    assert card(alexa, swapped)['short_name'] in again.speech  # the same swap, without the list


def test_i_have_weights_brings_the_exercise_back_where_it_was(alexa):
    play_through(alexa, start(alexa, "let's do deadlifts"))
    alexa.say("i used twenty kilos")
    romanian = dict(store(alexa)["exercises"]["romanian_deadlift"])
    assert (romanian["reps"], romanian["load"]) == (9, {"amount": 20.0, "unit": "kg"})

    alexa.next_day()
    say_missing(alexa, "no weights", "weights")
    bridge = play_through(alexa, begin(alexa, "let's do deadlifts"))
    assert "Use 20 kilos" not in bridge[0].speech
    check_exercise(" ".join(a.speech for a in bridge), card(alexa, "hip_hinge"), 3, 8)
    assert store(alexa)["exercises"]["romanian_deadlift"]["variant"] == "hip_hinge"

    alexa.next_day()
    alexa.launch()
    answer = alexa.say("i have weights")
    assert "Great, I'll remember you have weights" in answer.speech
    assert "weights" in store(alexa)["has"]
    first = begin(alexa, "let's do deadlifts")
    assert "With your kit back, the Romanian deadlift is back in." in first.speech
    assert "Use 20 kilos for this one." in first.speech
    heard = " ".join(a.speech for a in play_through(alexa, first))
    check_exercise(heard, card(alexa, "romanian_deadlift"), 3, 9)
    assert store(alexa)["exercises"]["romanian_deadlift"]["reps"] == 10


def test_missing_kit_during_a_session_applies_from_the_next_one_and_the_session_carries_on(alexa):
    first = start(alexa, "core workout")
    answer = alexa.say("i don't have a bar", after=seconds_until(first, "Three.") + 2)
    assert answer.speech.startswith("Okay, no bar.")
    assert "That starts with your next session. For today, say skip at any exercise you can't do." in answer.speech
    # it was paused in the third rep: it resumes there, after a moment to get back into position
    assert "Back to the dead bug, right side. Get back into position. [silence 3 s] Four to go. Three." in answer.speech
    assert "bar" not in store(alexa)["has"]
    ended = alexa.say("i have a bar")  # after the response ended: the session waits for next
    assert "remember you have a bar" in ended.speech
    assert ended.reprompt.startswith("Say next")
    assert alexa.say("next").speech.startswith("Next, the lying knee raise.")
    assert first.speech.startswith("We will start on the floor")


def test_a_strength_session_with_every_kit_missing_still_has_every_slot(alexa):
    alexa.launch()
    for utterance in ("no weights", "i don't have a bar", "i don't have a bench"):
        alexa.say(utterance)
    assert store(alexa)["has"] == []
    first = alexa.say("full body session")
    assert "Today: the squat, the hip hinge, the split squat, the reverse lunge and the dead bug." in first.speech
