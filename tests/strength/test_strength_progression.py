"""Progression over weeks on the SQLite store, one simulated session a day.

Rules (plugins/strength_coach/progression.py, from the issue and the evidence notes, section 4):
reps climb by one per good session to the top of the range; every set at the top in two sessions in
a row with no pain steps the exercise up (a small load increase when a weight is known, else an
extra set up to three, else the harder variant, else more reps); "too hard" or pain steps back to
the easier variant; a skipped exercise doesn't progress. Each finish says what changes next time,
and the next session's start says what changed.
"""

from __future__ import annotations

import json

import pytest
from test_strength_sessions import check_exercise, counted, play_through, seconds_until, sets_in, start, store

from content import CONTENT_ROOT
from plugins.strength_coach.progression import progress

PAIN_FLOW = ("it hurts", "two", "carry on")


def exercise_card(exercise_id: str) -> dict:
    return json.loads((CONTENT_ROOT / "strength_coach" / "exercises" / f"{exercise_id}.json").read_text())


class Heard:
    """A whole session as the user heard it (``speech``: every response, in order)."""

    def __init__(self, answers: list) -> None:
        self.answers = answers
        self.speech = " ".join(a.speech for a in answers)


def squat_session(alexa):
    """The next morning's squat session, played through; the squat's state before it."""
    alexa.next_day()
    before = dict(store(alexa).get("exercises", {}).get("squat") or {})
    return before, Heard(play_through(alexa, start(alexa, "let's do squats")))


def seed(alexa, **exercises: dict) -> None:
    """Put exercise states in the store, as earlier weeks of training would have left them."""
    envelope = {"context": {"System": {"user": {"userId": alexa.user_id}}}}
    attributes = alexa.stored
    attributes.setdefault("plugins", {}).setdefault("strength_coach", {}).setdefault("exercises", {}).update(exercises)
    alexa.app.adapter.save_attributes(envelope, attributes)


def state(variant: str, reps: int, sets: int = 2, streak: int = 0, load: dict | None = None) -> dict:
    return {"variant": variant, "reps": reps, "sets": sets, "streak": streak, "load": load}


# -- reps, then an extra set, then the harder variant -------------------------------------------------
def test_reps_climb_by_one_a_session_then_two_top_sessions_step_the_exercise_up(alexa):
    for reps in (8, 9, 10, 11):
        before, answer = squat_session(alexa)
        assert before.get("reps", 8) == reps
        for _, _, body in sets_in(answer.speech):
            assert counted(body) == list(range(1, reps + 1))
        if reps > 8:
            assert f"Since last time: The squat is up to {reps} reps." in answer.speech
        assert f"Next time, the squat goes up to {reps + 1} reps." in answer.speech
        assert store(alexa)["exercises"]["squat"]["reps"] == reps + 1

    _, answer = squat_session(alexa)  # the first session at the top of the range (12)
    assert "Top of the range on the squat. One more session like that and we'll step it up." in answer.speech
    assert store(alexa)["exercises"]["squat"] == state("squat", 12, streak=1)

    _, answer = squat_session(alexa)  # the second one in a row
    assert "Since last time" not in answer.speech  # nothing changed after the first
    assert "Two strong sessions in a row, so next time the squat gets an extra set." in answer.speech
    assert store(alexa)["exercises"]["squat"] == state("squat", 12, sets=3)

    alexa.next_day()  # the full-body session now has three sets of squats
    first = start(alexa, "full body session")
    assert "Since last time: After two strong sessions, the squat has an extra set." in first.speech
    heard = Heard(play_through(alexa, first))
    assert store(alexa)["exercises"]["squat"] == state("squat", 12, sets=3, streak=1)
    check_exercise(heard.speech.split("Next, the Romanian deadlift")[0], exercise_card("squat"), 3, 12)

    _, answer = squat_session(alexa)
    assert "Two strong sessions in a row, so next time you'll try the goblet squat." in answer.speech
    assert store(alexa)["exercises"]["squat"] == state("goblet_squat", 8, sets=3)

    _, answer = squat_session(alexa)
    assert "Since last time: After two strong sessions, you're moving up to the goblet squat." in answer.speech
    check_exercise(answer.speech, exercise_card("goblet_squat"), 3, 8)


@pytest.mark.parametrize("said, stepped", [("i used twenty kilos", "22.5 kilos"), ("i used forty pounds", "45 pounds")])
def test_a_known_weight_goes_up_a_small_step_after_two_top_sessions(alexa, said, stepped):
    play_through(alexa, start(alexa, "let's do deadlifts"))
    answer = alexa.say(said)  # after the session: about the Romanian deadlift just done
    assert "the Romanian deadlift" in answer.speech
    for reps in (9, 10, 10):
        alexa.next_day()
        first = start(alexa, "let's do deadlifts")
        weight = said.removeprefix("i used ").replace("twenty", "20").replace("forty", "40")
        assert f"Use {weight} for this one." in first.speech
        assert counted(sets_in(first.speech)[0][2]) == list(range(1, reps + 1))
        last = play_through(alexa, first)[-1]
    assert f"Two strong sessions in a row, so next time the Romanian deadlift goes up to {stepped}, " \
           "starting again at 8 reps." in last.speech
    romanian = store(alexa)["exercises"]["romanian_deadlift"]
    assert (romanian["reps"], romanian["sets"]) == (8, 2)
    alexa.next_day()
    first = start(alexa, "let's do deadlifts")
    assert f"Since last time: After two strong sessions, the Romanian deadlift goes up to {stepped}, at 8 reps." \
        in first.speech
    assert f"Use {stepped} for this one." in first.speech
    assert counted(sets_in(first.speech)[0][2]) == list(range(1, 9))


def test_after_a_step_back_the_way_up_leads_back_to_the_original_exercise(alexa):
    # The reverse lunge was stepped back to the split squat; the split squat's own harder variant is
    # the Bulgarian split squat, which is already in the legs session.
    seed(alexa, reverse_lunge=state("split_squat", 10, sets=3, streak=1))
    first = start(alexa, "leg day")
    assert "Today: the squat, the Bulgarian split squat and the split squat." in first.speech
    last = play_through(alexa, first)[-1]
    assert "Two strong sessions in a row, so next time you'll try the reverse lunge." in last.speech
    assert store(alexa)["exercises"]["reverse_lunge"] == state("reverse_lunge", 8, sets=3)


# -- stepping back -----------------------------------------------------------------------------------
def test_too_hard_steps_back_to_the_easier_variant(alexa):
    start(alexa, "let's do squats")
    answer = alexa.say("too hard")
    assert "Because it felt too hard, next time we'll step back to the box squat." in answer.speech
    _, answer = squat_session(alexa)
    assert "Since last time: Because it felt too hard last time, you're on the box squat instead of the squat." \
        in answer.speech
    assert "Now, the box squat to a chair." in answer.speech
    check_exercise(answer.speech, exercise_card("box_squat"), 3, 8)


def _pain_during_the_squats(alexa):
    first = start(alexa, "full body session")
    alexa.say(PAIN_FLOW[0], after=seconds_until(first, "Three.") + 2)
    assert "Mild discomfort" in alexa.say(PAIN_FLOW[1]).speech
    resumed = alexa.say(PAIN_FLOW[2])
    assert resumed.speech.startswith("Okay, carrying on gently.")
    return play_through(alexa, resumed)[-1]


def test_pain_during_an_exercise_steps_it_back(alexa):
    last = _pain_during_the_squats(alexa)
    assert "Because of the pain you mentioned, next time we'll step back to the box squat." in last.speech
    assert store(alexa)["exercises"]["squat"]["variant"] == "box_squat"
    alexa.next_day()
    first = start(alexa, "full body session")
    assert "Because of the pain you mentioned last time, you're on the box squat instead of the squat." in first.speech
    assert first.speech.count("First, the box squat to a chair.") == 1


def test_pain_steps_back_only_the_exercise_that_hurt(alexa):
    _pain_during_the_squats(alexa)
    states = store(alexa)["exercises"]
    assert states["squat"]["variant"] == "box_squat"
    assert states["romanian_deadlift"]["variant"] == "romanian_deadlift"


def test_pain_during_the_last_exercise_steps_it_back(alexa):
    first = start(alexa, "let's do squats")
    alexa.say(PAIN_FLOW[0], after=seconds_until(first, "Three.") + 2)
    alexa.say(PAIN_FLOW[1])
    alexa.say(PAIN_FLOW[2])
    assert store(alexa)["exercises"]["squat"]["variant"] == "box_squat"


def test_pain_that_stops_the_session_steps_the_exercise_back_next_time(alexa):
    first = start(alexa, "full body session")
    alexa.say(PAIN_FLOW[0], after=seconds_until(first, "Three.") + 2)
    assert alexa.say("seven").ended
    alexa.next_day()
    start(alexa, "full body session")
    assert store(alexa)["exercises"]["squat"]["variant"] == "box_squat"


# -- skipping ----------------------------------------------------------------------------------------
def test_an_exercise_skipped_half_way_does_not_progress(alexa):
    first = start(alexa, "full body session")
    moved = alexa.say("next", after=seconds_until(first, "Three."))
    assert moved.speech.startswith("Next, the Romanian deadlift")
    last = play_through(alexa, moved)[-1]
    assert "the squat goes up" not in last.speech
    assert "Next time, the Romanian deadlift goes up to 9 reps." in last.speech
    states = store(alexa)["exercises"]
    assert states["squat"] == state("squat", 8)
    assert states["romanian_deadlift"]["reps"] == 9
    alexa.next_day()
    assert "The squat" not in start(alexa, "full body session").speech.split("Today:")[0]


def test_skipping_the_last_exercise_half_way_does_not_progress_it(alexa):
    first = start(alexa, "let's do squats")
    alexa.say("next", after=seconds_until(first, "Three."))
    assert store(alexa)["exercises"]["squat"]["reps"] == 8


# -- the rules themselves, on the real cards -------------------------------------------------------------
def test_reps_climb_by_one_even_when_it_felt_too_easy():
    squat = exercise_card("squat")
    new, change = progress(state("squat", 8), squat, {"effort": "easy"}, False)
    assert new["reps"] == 9 and change["next"] == "Next time, the squat goes up to 9 reps."


def test_fewer_reps_than_the_target_hold_the_target_and_reset_the_run():
    squat = exercise_card("squat")
    new, change = progress(state("squat", 12, streak=1), squat, {"reps": 10}, False)
    assert (new["reps"], new["streak"], change) == (12, 0, None)


def test_pain_outweighs_too_easy():
    squat, box = exercise_card("squat"), exercise_card("box_squat")
    new, change = progress(state("squat", 10), squat, {"effort": "easy"}, True, easier=box)
    assert new["variant"] == "box_squat" and "pain" in change["next"]


def test_with_no_harder_variant_reps_stay_at_the_top_of_the_card_range():
    dead_bug = exercise_card("dead_bug")
    top = dead_bug["dose"]["reps"]["max"]
    new, change = progress(state("dead_bug", top, sets=3, streak=1), dead_bug, {}, False)
    assert new == state("dead_bug", top, sets=3)
    assert change["next"] == "That's the most I'll count for the dead bug. Keep every rep smooth."


def test_with_no_easier_variant_too_hard_means_fewer_reps_and_a_set_less():
    dead_bug = exercise_card("dead_bug")
    new, change = progress(state("dead_bug", 9, sets=3), dead_bug, {"effort": "hard"}, False)
    assert (new["reps"], new["sets"]) == (7, 2)
    assert change["since"] == "Because it felt too hard last time, the dead bug has fewer reps and one set less today."
    new, change = progress(state("dead_bug", 6, sets=2), dead_bug, {"effort": "hard"}, False)
    assert (new["reps"], new["sets"]) == (6, 1)
    assert change["next"] == "Because it felt too hard, next time the dead bug gets one set less."


def test_with_weights_of_unknown_size_the_step_up_is_slightly_heavier_weights():
    romanian = exercise_card("romanian_deadlift")
    new, change = progress(state("romanian_deadlift", 10, sets=3, streak=1), romanian, {}, False)
    assert new == state("romanian_deadlift", 8, sets=3)
    assert "slightly heavier weights for the Romanian deadlift" in change["next"]


def test_a_step_up_in_pounds_is_five_pounds():
    romanian = exercise_card("romanian_deadlift")
    new, _change = progress(state("romanian_deadlift", 10, streak=1, load={"amount": 40.0, "unit": "lb"}),
                           romanian, {}, False)
    assert new["load"] == {"amount": 45.0, "unit": "lb"} and new["reps"] == 8
