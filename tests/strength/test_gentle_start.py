"""Gentle first sessions, as a new user hears them: one set in week 1, bodyweight variants first,
loaded work only after strong pain-free sessions and with kit the user said they have, hanging work
only after two pain-free sessions at the top of the lying knee raise, reps within each card's
range, load guidance, and the 24-hour check that steps back when the back was worse.

Rules are checked against the content cards: what counts as load is the card's equipment.
"""

from __future__ import annotations

import json
import re

import pytest
from test_strength_sessions import play_through, store

from plugins import CONTENT_ROOT

CARDS = {p.stem: json.loads(p.read_text()) for p in (CONTENT_ROOT / "strength_coach" / "exercises").glob("*.json")}
LOADED_KIT = {"dumbbells", "kettlebell", "barbell", "bench", "pull_up_bar"}
BY_NAME = {card["name"]: card for card in CARDS.values()}
ROUTINES = {"strength session": "full_body", "core workout": "core", "leg day": "legs", "let's do squats": "squats",
            "let's do deadlifts": "deadlifts", "let's do lunges": "lunges"}


@pytest.fixture
def alexa(new_user):
    """A new user: nothing stored (the module's conftest seeds a returning user otherwise)."""
    return new_user()


def started_cards(text: str) -> list[dict]:
    """The cards whose sessions start in ``text`` ("First, the bodyweight squat.")."""
    found = []
    for name, card in BY_NAME.items():
        for lead in ("First, ", "Next, ", "Now, "):
            if f"{lead}{name}." in text:
                found.append(card)
                break
    return found


def session(alexa, utterance: str, days: int = 2) -> str:
    alexa.next_day(days)
    alexa.launch()
    answer = alexa.say(utterance)
    if "the morning after" in answer.speech:
        answer = alexa.say("no")
    return " ".join(a.speech for a in play_through(alexa, answer))


@pytest.mark.parametrize("utterance", list(ROUTINES))
def test_week_one_is_one_set_of_bodyweight_work(alexa, utterance):
    alexa.launch()
    first = alexa.say(utterance)
    heard = " ".join(a.speech for a in play_through(alexa, first))
    cards = started_cards(heard)
    assert cards, heard[:300]
    for card in cards:
        assert not LOADED_KIT & set(card.get("equipment", [])), f"{card['id']} needs kit on day one"
    assert not re.search(r"Set \w+ of \w+", heard), "one set each in week 1: no sets to count"
    assert all(state["sets"] == 1 for state in store(alexa)["exercises"].values())
    assert "hanging" not in heard.lower()


def test_the_first_week_stays_at_one_set_even_after_strong_sessions(alexa):
    for day in range(4):
        heard = session(alexa, "let's do squats", days=1 if day else 0)
        assert not re.search(r"Set \w+ of \w+", heard), f"day {day}"


def test_loaded_work_waits_for_strong_pain_free_sessions_and_the_users_word_about_kit(alexa):
    said = []
    for _ in range(10):
        said.append(session(alexa, "let's do deadlifts"))
    assert all(CARDS["romanian_deadlift"] not in started_cards(s) for s in said)
    hint = " ".join(said)
    assert "say I have weights" in hint, "the user hears how to bring the loaded version in"
    assert store(alexa)["exercises"]["romanian_deadlift"]["variant"] == "hip_hinge"
    alexa.launch()
    alexa.say("i have weights")
    for _ in range(3):
        heard = session(alexa, "let's do deadlifts")
        if "the Romanian deadlift with dumbbells." in heard:
            break
    assert "the Romanian deadlift with dumbbells." in heard
    assert "a weight you could lift about fifteen times" in heard, "load guidance with the first loaded set"


def test_pain_keeps_the_bodyweight_variant_from_stepping_up(alexa):
    for _ in range(8):
        alexa.next_day(2)
        alexa.launch()
        answer = alexa.say("let's do deadlifts")
        if "the morning after" in answer.speech:
            answer = alexa.say("no")
        alexa.say("it hurts", after=20)
        alexa.say("two")
        play_through(alexa, alexa.say("carry on"))
    assert store(alexa)["exercises"]["romanian_deadlift"]["variant"] in ("hip_hinge", "glute_bridge")


def test_hanging_work_waits_for_two_pain_free_sessions_at_the_top_of_the_lying_knee_raise(alexa):
    alexa.launch()
    alexa.say("i have a bar")
    top = CARDS["lying_knee_raise"]["dose"]["reps"]["max"]
    tops = 0
    for _ in range(20):
        states = (store(alexa).get("exercises") or {}).values()
        at_top = any(s["variant"] == "lying_knee_raise" and s["reps"] == top for s in states)
        heard = session(alexa, "core workout")
        if "the hanging knee raise." in heard:
            break
        tops += at_top
    assert "the hanging knee raise." in heard
    assert tops >= 2, "two sessions at the top of the lying knee raise first"


def test_reps_never_go_past_the_top_of_a_cards_range(alexa):
    alexa.launch()
    for kit in ("i have weights", "i have a bar", "i have a bench"):
        alexa.say(kit)
    for _ in range(30):
        session(alexa, "core workout", days=3)
        for slot, state in store(alexa)["exercises"].items():
            card = CARDS[state["variant"]]
            assert card["dose"]["reps"]["min"] <= state["reps"] <= card["dose"]["reps"]["max"], (slot, state)
            assert state["sets"] <= 3


def test_worse_the_morning_after_steps_back_before_the_next_session(alexa):
    for _ in range(3):
        session(alexa, "let's do squats")
    before = dict(store(alexa)["exercises"]["squat"])
    alexa.next_day()
    alexa.launch()
    asked = alexa.say("let's do squats")
    assert "the morning after your last strength session" in asked.speech and not asked.ended
    answer = alexa.say("yes")
    assert "take a step back today" in answer.speech
    after = store(alexa)["exercises"]["squat"]
    assert after["variant"] != before["variant"] or after["reps"] < before["reps"], (before, after)
    play_through(alexa, answer)
    alexa.next_day()
    alexa.launch()
    again = alexa.say("let's do squats")
    assert "the morning after" in again.speech, "asked once per earlier session"


def test_the_morning_after_question_is_not_asked_before_the_first_session_or_twice_a_day(alexa):
    alexa.launch()
    first = alexa.say("let's do squats")
    assert "morning after" not in first.speech
    play_through(alexa, first)
    alexa.launch()
    assert "morning after" not in alexa.say("let's do squats").speech, "same day: nothing to ask about"
