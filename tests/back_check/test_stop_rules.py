"""Stop rules in any session: "it hurts" brings a 0 to 10 question, then carry on, ease off or stop;
new leg symptoms bring back the emergency questions. Also inside the back check's self-checks."""

from __future__ import annotations

import re

import pytest
from test_back_check import (
    CARE,
    CHECKS,
    QUESTIONS,
    SCREEN,
    answer_no,
    diagnosis_store,
    full_check,
    player_plan,
    screen_all_no,
    start_check,
    uniform,
)

from skill.engine.player import START_LATENCY_S
from skill.kit.simulator import dump, playback_seconds

SESSIONS = {"stretch routine": ("start my stretches", "stretch_timer"),
            "strength session": ("strength session", "strength_coach")}


def seconds_into(answer, marker: str, extra: float) -> float:
    """``after=`` for a request ``extra`` seconds after ``marker`` starts playing in ``answer``."""
    match = re.search(marker, answer.ssml)
    assert match, f"{marker!r} not in {dump(answer)}"
    return START_LATENCY_S + playback_seconds(answer.ssml[:match.start()]) + extra


def start_session(alexa, kind: str):
    utterance, owner = SESSIONS[kind]
    alexa.launch()
    started = alexa.say(utterance)
    assert player_plan(started)["owner"] == owner
    return started


def hurt_mid_exercise(alexa, started, utterance: str = "it hurts"):
    """Say ``utterance`` a few seconds into the first hold or set; returns (response, current block)."""
    answer = alexa.say(utterance, after=seconds_into(started, r"Hold for|Down,", 4))
    player = answer.session["core"]["player"]
    assert player["paused"]["phase"] in ("work", "rest"), player["paused"]
    return answer, player["plan"]["blocks"][player["paused"]["block"]]


# -- "it hurts" during a routine of another plugin ------------------------------------------------
@pytest.mark.parametrize("kind", SESSIONS)
@pytest.mark.parametrize("utterance", ["it hurts", "that's painful"])
def test_pain_mid_session_asks_for_a_zero_to_ten_score(alexa, kind, utterance):
    answer, _ = hurt_mid_exercise(alexa, start_session(alexa, kind), utterance)
    assert "zero to ten" in answer.reprompt and answer.reprompt.endswith("?")
    assert not answer.ended
    assert "Hold for" not in answer.speech and "Down," not in answer.speech, "the routine waits for the answer"


@pytest.mark.parametrize("kind", SESSIONS)
def test_mild_pain_then_carry_on_resumes_the_same_exercise(alexa, kind):
    _, block = hurt_mid_exercise(alexa, start_session(alexa, kind))
    answer = alexa.say("2")
    assert "carry on" in answer.reprompt and "ease off" in answer.reprompt and not answer.ended
    answer = alexa.say("carry on")
    assert "carrying on gently" in answer.speech, dump(answer)
    assert f"Back to {block['short_name']}" in answer.speech
    assert player_plan(answer)["owner"] == SESSIONS[kind][1] and not answer.ended


@pytest.mark.parametrize("kind", SESSIONS)
@pytest.mark.parametrize("reply", ["ease off", "yes"])
def test_moderate_pain_then_ease_off_resumes_with_the_easier_version(alexa, kind, reply):
    _, block = hurt_mid_exercise(alexa, start_session(alexa, kind))
    answer = alexa.say("5")
    assert "ease off" in answer.speech and "stop for today" in answer.reprompt
    answer = alexa.say(reply)
    easier = block["data"]["easier"]
    assert easier in answer.speech, dump(answer)
    assert answer.speech.index(easier) < answer.speech.index(f"Back to {block['short_name']}")
    assert player_plan(answer) is not None and not answer.ended


@pytest.mark.parametrize("kind", SESSIONS)
def test_severe_pain_stops_for_today_with_advice_and_ends_the_session(alexa, kind):
    hurt_mid_exercise(alexa, start_session(alexa, kind))
    answer = alexa.say("7")
    assert answer.ended
    assert "stop for today" in answer.speech
    assert "doctor or physiotherapist" in answer.speech
    assert "player" not in answer.session.get("core", {})
    assert "paused" not in alexa.stored, "not offered to pick up again"
    assert not alexa.stored.get("history"), "an interrupted session is not recorded as done"


@pytest.mark.parametrize("score", range(11))
def test_the_score_bands_follow_the_stop_rules(alexa, score):
    hurt_mid_exercise(alexa, start_session(alexa, "stretch routine"))
    answer = alexa.say(str(score))
    if score <= 3:
        assert answer.reprompt == "Would you like to carry on, ease off, or stop?"
    elif score <= 5:
        assert "ease off" in answer.speech and answer.reprompt == "Shall we ease off, or stop for today?"
    else:
        assert answer.ended and "stop for today" in answer.speech


def test_no_to_carry_on_stops_for_today(alexa):
    hurt_mid_exercise(alexa, start_session(alexa, "strength session"))
    alexa.say("5")
    answer = alexa.say("no")
    assert answer.ended and "stop there for today" in answer.speech
    assert "paused" not in alexa.stored, "not offered to pick up again"


def test_a_score_out_of_range_is_asked_again(alexa):
    hurt_mid_exercise(alexa, start_session(alexa, "stretch routine"))
    answer = alexa.say("42")
    assert "zero to ten" in answer.speech and not answer.ended
    assert alexa.say("1").reprompt == "Would you like to carry on, ease off, or stop?"


@pytest.mark.parametrize("score, ends", [("2", False), ("8", True)])
def test_pain_with_nothing_playing_gets_advice(alexa, score, ends):
    alexa.launch()
    alexa.say("it hurts")
    answer = alexa.say(score)
    assert answer.ended is ends
    assert "doctor or physiotherapist" in answer.speech


def _plan_stretches(alexa):
    full_check(alexa, {**uniform("free"), "glutes": uniform("bit_tight")["glutes"]})
    return alexa.say("yes")


def test_pain_during_the_plans_own_stretches_then_yes_carries_on(alexa):
    _, block = hurt_mid_exercise(alexa, _plan_stretches(alexa))
    alexa.say("1")
    answer = alexa.say("yes")
    assert "carrying on gently" in answer.speech and f"Back to {block['short_name']}" in answer.speech


def test_pain_during_the_plans_own_stretches_then_carry_on_answers_the_question(alexa):
    hurt_mid_exercise(alexa, _plan_stretches(alexa))
    alexa.say("1")
    answer = alexa.say("carry on")
    assert "carrying on gently" in answer.speech, dump(answer)


# -- "it hurts" during a self-check ------------------------------------------------------------------
def _to_check(alexa, index: int):
    """Screen all no and answer every side "moves freely" up to check ``index``; returns its first response."""
    answer = screen_all_no(alexa)
    for _ in range(2 * index):
        answer = alexa.say("moves freely")
    assert f"{CHECKS[index]['test_name']}, right side" in answer.speech
    return answer


@pytest.mark.parametrize("index", range(len(CHECKS)), ids=[c["id"] for c in CHECKS])
def test_pain_during_a_check_stops_it_explains_and_offers_the_rest(alexa, index):
    check = CHECKS[index]
    started = _to_check(alexa, index)
    answer = alexa.say("it hurts", after=seconds_into(started, "Hold for", 3))
    assert "stop that check" in answer.speech
    assert check["pain_meaning"] in answer.speech
    assert re.search(r"physiotherapist|doctor", check["pain_meaning"])
    assert "player" not in answer.session.get("core", {}), "the timed check stops"
    assert not answer.ended
    if index + 1 < len(CHECKS):
        assert answer.reprompt == "Would you like to carry on with the other checks?"
        following = alexa.say("yes")
        assert f"{CHECKS[index + 1]['test_name']}, right side" in following.speech, dump(following)
        for _ in range(2 * (len(CHECKS) - index - 1)):
            final = alexa.say("a bit tight")
    else:
        assert "hear a plan" in answer.reprompt
        final = alexa.say("yes")
    assert "Would you like to start the stretches from your plan" in final.reprompt
    levels = diagnosis_store(alexa)["checks"][-1]["levels"]
    assert check["id"] not in levels, "a painful check is not scored"
    assert set(levels) == {c["id"] for c in CHECKS} - {check["id"]}


def test_pain_on_the_second_side_drops_the_whole_check_and_no_stops_the_checks(alexa):
    _to_check(alexa, 1)
    second = alexa.say("very tight")
    assert f"{CHECKS[1]['test_name']}, left side" in second.speech
    answer = alexa.say("it hurts", after=seconds_into(second, "Hold for", 2))
    assert CHECKS[1]["pain_meaning"] in answer.speech
    plan = alexa.say("no")
    assert "stop the checks there" in plan.speech
    assert diagnosis_store(alexa)["checks"][-1]["levels"] == {CHECKS[0]["id"]: {"right": "free", "left": "free"}}


def test_when_every_check_hurts_no_plan_is_made_from_nothing(alexa):
    answer = screen_all_no(alexa)
    for index in range(len(CHECKS)):
        answer = alexa.say("it hurts", after=seconds_into(answer, "Hold for", 2))
        assert CHECKS[index]["pain_meaning"] in answer.speech
        if index + 1 < len(CHECKS):
            answer = alexa.say("yes")
    assert "None of the checks could be scored" in answer.speech, dump(answer)
    assert "Nothing felt tight" not in answer.speech
    assert answer.reprompt.endswith("What would you like to do?"), "back to the menu, no plan offered"
    assert "checks" not in diagnosis_store(alexa)


# -- new leg symptoms ---------------------------------------------------------------------------------
LEG_QUESTIONS = [q for q in SCREEN["questions"] if q["id"] in SCREEN["leg_screen"]]
LEG_EMERGENCY = [q for q in LEG_QUESTIONS if q["tier"] == "emergency"]
EMERGENCY_LINE = CARE["locales"]["en-US"]["emergency"]


def test_the_leg_questions_fit_leg_symptoms():
    """Saddle and bladder changes, both legs or a weakening leg, pain below the knee: no accident or chest question."""
    covered = {c for q in LEG_QUESTIONS for c in q["covers"]}
    assert {"A1", "A3", "A6", "A7", "C3"} <= covered
    assert not {"A9", "A10"} & covered
    assert [q["tier"] for q in LEG_QUESTIONS] == ["emergency", "emergency", "routine"]
@pytest.mark.parametrize("kind", SESSIONS)
@pytest.mark.parametrize("utterance", ["pins and needles", "my leg feels numb"])
def test_new_leg_symptoms_bring_back_the_emergency_questions(alexa, kind, utterance):
    answer, _ = hurt_mid_exercise(alexa, start_session(alexa, kind), utterance)
    assert "stop the exercise now" in answer.speech
    assert SCREEN["new_leg_symptoms_intro"] in answer.speech
    assert answer.reprompt == LEG_QUESTIONS[0]["text"]
    answer = alexa.say("yes")
    assert answer.ended and EMERGENCY_LINE in answer.speech
    assert "player" not in answer.session.get("core", {})


@pytest.mark.parametrize("position", range(len(LEG_EMERGENCY)), ids=[q["id"] for q in LEG_EMERGENCY])
def test_a_yes_to_any_leg_symptom_question_gives_emergency_advice(alexa, position):
    hurt_mid_exercise(alexa, start_session(alexa, "stretch routine"), "my leg feels numb")
    if position:
        assert answer_no(alexa, position).reprompt == LEG_QUESTIONS[position]["text"]
    answer = alexa.say("yes")
    assert answer.ended and EMERGENCY_LINE in answer.speech


def test_a_yes_to_the_below_the_knee_question_advises_a_review_and_carries_on_gently(alexa):
    hurt_mid_exercise(alexa, start_session(alexa, "stretch routine"), "pain down my leg")
    answer = answer_no(alexa, len(LEG_EMERGENCY))
    assert answer.reprompt == LEG_QUESTIONS[-1]["text"]
    answer = alexa.say("yes")
    assert SCREEN["routine_advice"] in answer.speech and not answer.ended
    assert "carry on gently, or stop for today?" in answer.reprompt


@pytest.mark.parametrize("kind", SESSIONS)
def test_all_no_to_the_leg_questions_offers_to_carry_on_gently(alexa, kind):
    _, block = hurt_mid_exercise(alexa, start_session(alexa, kind), "pins and needles")
    asked = [alexa.answers[-1].reprompt]
    for _ in range(len(LEG_QUESTIONS)):
        answer = alexa.say("no")
        asked.append(answer.reprompt)
    assert asked[:-1] == [q["text"] for q in LEG_QUESTIONS], "the questions that fit leg symptoms, and only those"
    assert "carry on gently, or stop for today?" in answer.reprompt
    assert "physiotherapist or doctor" in answer.speech
    answer = alexa.say("carry on")
    assert f"Back to {block['short_name']}" in answer.speech and not answer.ended


def test_leg_symptoms_during_a_check_stop_it_and_then_offer_the_other_checks(alexa):
    started = _to_check(alexa, 2)  # the straight leg raise
    answer = alexa.say("pins and needles", after=seconds_into(started, "Hold for", 2))
    assert answer.reprompt == LEG_QUESTIONS[0]["text"]
    assert "player" not in answer.session.get("core", {})
    answer = answer_no(alexa, len(LEG_QUESTIONS))
    assert answer.reprompt == "Would you like to carry on with the other checks?", dump(answer)
    answer = alexa.say("yes")
    assert f"{CHECKS[3]['test_name']}, right side" in answer.speech
    alexa.say("moves freely")
    alexa.say("moves freely")
    levels = diagnosis_store(alexa)["checks"][-1]["levels"]
    assert CHECKS[2]["id"] not in levels and set(levels) == {c["id"] for c in CHECKS} - {CHECKS[2]["id"]}


def test_leg_symptoms_during_a_check_then_a_yes_ends_with_emergency_advice(alexa):
    started = _to_check(alexa, 0)
    alexa.say("my leg feels numb", after=seconds_into(started, "Hold for", 2))
    answer = alexa.say("yes")
    assert answer.ended and EMERGENCY_LINE in answer.speech
    assert "checks" not in diagnosis_store(alexa) and "screened_on" not in diagnosis_store(alexa)


def test_leg_symptoms_mid_screen_keep_the_screen_going(alexa):
    start_check(alexa)
    answer_no(alexa, 3)
    answer = alexa.say("pins and needles")
    assert SCREEN["new_leg_symptoms_intro"] in answer.speech
    assert answer.reprompt == QUESTIONS[3]["text"], "the same question again: the screen covers the legs"
    answer = answer_no(alexa, len(QUESTIONS) - 3)
    assert SCREEN["all_clear"] in answer.speech, "the full screen, then the checks"


def test_pain_mid_screen_keeps_the_safety_questions_going(alexa):
    start_check(alexa)
    answer_no(alexa, 3)
    answer = alexa.say("it hurts")
    assert "safety questions first" in answer.speech
    assert answer.reprompt == QUESTIONS[3]["text"]
    assert alexa.say("yes").ended
