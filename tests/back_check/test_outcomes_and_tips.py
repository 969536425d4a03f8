"""Weekly pain and function ratings with their trend, the tips, the flare-up plan and the walk-run plan.

The safety gate runs here: the ratings are asked by it, at the first session of each calendar week.
"""

from __future__ import annotations

import json

import pytest
from test_back_check import CONTENT, QUESTIONS, diagnosis_store
from test_screen_first import RATING, playing, user

from plugins.diagnosis.outcomes import meaningful, needs_review

EDUCATION = [json.loads(p.read_text()) for p in (CONTENT / "diagnosis" / "education").glob("*.json")]
TIPS = sorted((d for d in EDUCATION if d["order"] < 10), key=lambda d: d["order"])
FLARE_UP = next(d for d in EDUCATION if d["id"] == "flare_up")
WALK_RUN = json.loads((CONTENT / "diagnosis" / "walk_run.json").read_text())


@pytest.fixture
def stride_coach_safety_gate():
    return True


def first_session(alexa, pain: str, function: str):
    alexa.launch()
    alexa.say("start my stretches")
    for _ in QUESTIONS:
        alexa.say("no")
    return rate(alexa, pain, function)


def rate(alexa, pain: str, function: str):
    asked = alexa.answers[-1]
    assert RATING.search(asked.reprompt) and "pain" in asked.reprompt, asked.reprompt
    second = alexa.say(pain)
    assert "hardest" in second.reprompt
    return alexa.say(function)


def weekly_session(alexa, pain: str, function: str, days: int = 7):
    alexa.next_day(days)
    alexa.launch()
    alexa.say("no")  # no to picking up the stopped routine
    asked = alexa.say("start my stretches")
    answer_screen_if_asked(alexa, asked)
    started = rate(alexa, pain, function)
    assert playing(started)["id"] == "stretch:after_run"
    alexa.say("stop")


def answer_screen_if_asked(alexa, asked):
    if asked.reprompt in {q["text"] for q in QUESTIONS} or "safety questions" in asked.speech:
        answer_screen_until_rating(alexa)


def answer_screen_until_rating(alexa):
    answer = alexa.answers[-1]
    while not RATING.search(answer.reprompt or ""):
        answer = alexa.say("no")


def test_the_first_session_of_a_week_asks_two_quick_ratings_and_stores_them(stride_skill):
    alexa = user(stride_skill, name="ratings")
    started = first_session(alexa, "six", "4")
    assert playing(started)["id"] == "stretch:after_run", "then what they asked for"
    assert diagnosis_store(alexa)["outcomes"] == [{"date": "2026-03-02", "pain": 6, "function": 4}]
    alexa.say("stop")
    alexa.next_day(2)  # Wednesday: the same week
    alexa.launch()
    alexa.say("no")
    again = alexa.say("start my stretches")
    assert playing(again) is not None and not RATING.search(again.reprompt or ""), "once a week"


@pytest.mark.parametrize("bad", ["eleven", "purple", "yes"])
def test_a_rating_that_is_not_zero_to_ten_is_asked_again(stride_skill, bad):
    alexa = user(stride_skill, name=f"bad-rating-{bad}")
    alexa.launch()
    alexa.say("strength session")
    for _ in QUESTIONS:
        alexa.say("no")
    answer = alexa.say(bad)
    assert RATING.search(answer.reprompt) and "pain" in answer.reprompt and not answer.ended
    assert "outcomes" not in diagnosis_store(alexa)


def test_how_am_i_doing_reports_the_trend_over_weeks(stride_skill):
    alexa = user(stride_skill, name="trend")
    first_session(alexa, "6", "4")
    alexa.say("stop")
    for pain, function in (("5", "5"), ("4", "6"), ("3", "7"), ("3", "7")):
        weekly_session(alexa, pain, function)
    alexa.launch()
    alexa.say("no")
    report = alexa.say("how am i doing")
    assert "Your back pain has gone from 6 to 3 out of ten over 4 weeks" in report.speech, report.speech
    assert "hardest activity from 4 to 7" in report.speech
    assert "physiotherapist" not in report.speech


def test_no_meaningful_change_after_six_weeks_brings_advice_to_see_a_physio(stride_skill):
    alexa = user(stride_skill, name="flat")
    first_session(alexa, "5", "5")
    alexa.say("stop")
    for _ in range(6):
        weekly_session(alexa, "5", "5")
    alexa.launch()
    alexa.say("no")
    report = alexa.say("how am i doing")
    assert "physiotherapist or your doctor" in report.speech


def test_the_threshold_is_about_two_points_or_thirty_percent():
    assert meaningful(6, 4) and meaningful(3, 2) and not meaningful(8, 7) and not meaningful(5, 5)
    week = lambda d, p, f: {"date": d, "pain": p, "function": f}  # noqa: E731
    from datetime import date

    flat = [week("2026-01-05", 5, 5), week("2026-02-16", 5, 6)]
    assert needs_review(flat, date(2026, 2, 16))
    assert not needs_review(flat, date(2026, 2, 10)), "not before about six weeks"
    assert not needs_review([week("2026-01-05", 5, 5), week("2026-02-16", 3, 5)], date(2026, 2, 16))


# -- tips, bad days, back to running ------------------------------------------------------------------
def test_tips_are_short_offered_in_turn_and_never_forced(stride_skill):
    for snippet in EDUCATION:
        assert len(snippet["text"].split()) <= 75, snippet["id"]  # about thirty seconds at most
    alexa = user(stride_skill, name="tips")
    alexa.launch()
    heard = []
    answer = alexa.say("tell me about back pain")
    for _ in TIPS:
        heard.append(answer.speech)
        assert answer.reprompt == "Would you like another tip?"
        answer = alexa.say("yes")
    assert all(tip["text"] in said for tip, said in zip(TIPS, heard))
    assert alexa.say("no").reprompt.endswith("What would you like to do?")
    assert playing(answer) is None


def test_what_to_do_on_a_bad_day_is_the_flare_up_plan(stride_skill):
    alexa = user(stride_skill, name="flare")
    alexa.launch()
    answer = alexa.say("what do i do on a bad day")
    assert FLARE_UP["text"] in answer.speech and not answer.ended


def test_the_walk_run_plan_moves_on_by_the_pain_rules(stride_skill):
    alexa = user(stride_skill, name="walk-run")
    alexa.launch()
    first = alexa.say("return to running")
    assert WALK_RUN["intro"] in first.speech and WALK_RUN["pain_rule"] in first.speech
    assert "stage 1 of" in first.speech and "run for 1 minute, then walk for 2 minutes" in first.speech
    stay = alexa.say("no")
    assert "stay on this stage" in stay.speech
    alexa.say("walk run plan")
    moved = alexa.say("yes")
    assert "stage 2" in moved.speech and diagnosis_store(alexa)["walk_run_stage"] == 1
