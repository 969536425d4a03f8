"""Progress that lasts: finished sessions in the history, this week's report, the streak of days,
and an interrupted routine offered again the next day, all on the SQLite store."""

from __future__ import annotations

import re
from datetime import date

import pytest

from skill.kit.simulator import AlexaSimulator, finish_routine, listen_to_the_end, make_skill


def finish(alexa, utterance: str = "stretch my glutes") -> list:
    """Do a whole routine, answering "next" until it is done, and let the last words play."""
    return finish_routine(alexa, utterance)


def progress(alexa):
    return alexa.say("what did I do this week")


# -- the history ----------------------------------------------------------------------------------
@pytest.mark.parametrize("utterance, title", [("stretch my glutes", "your glute stretches"),
                                              ("start my stretches", "your after-run stretches"),
                                              ("a stretch before my run", "your before-run warm-up")])
def test_a_finished_routine_is_recorded_once_with_date_title_and_minutes(alexa, utterance, title):
    alexa.launch()
    answers = finish(alexa, utterance)
    alexa.say("stop")
    history = alexa.stored["history"]
    assert len(history) == 1
    entry = history[0]
    assert entry["date"] == "2026-03-02" and entry["title"] == title
    spent = sum(a.playback_seconds for a in answers) / 60
    assert entry["minutes"] == pytest.approx(spent, rel=0.1)
    assert "paused" not in alexa.stored  # nothing left to pick up


def test_this_weeks_report_lists_the_sessions_and_their_minutes(alexa):
    alexa.launch()
    finish(alexa, "stretch my glutes")
    finish(alexa, "stretch my quads")
    alexa.say("stop")
    alexa.next_day()
    alexa.launch()
    finish(alexa, "stretch my glutes")
    answer = progress(alexa)
    minutes = round(sum(h["minutes"] for h in alexa.stored["history"]))
    assert "you've finished three sessions: your glute stretches twice, your quad stretches." in answer.speech
    assert f"That's about {minutes} minutes in all." in answer.speech
    assert "Your streak is 2 days in a row." in answer.speech
    assert not answer.ended and answer.reprompt


def test_the_report_only_counts_the_last_seven_days(alexa):
    alexa.launch()
    finish(alexa, "stretch my glutes")
    alexa.say("stop")
    alexa.next_day(days=7)
    alexa.launch()
    answer = progress(alexa)
    assert "You haven't finished a session in the last seven days yet." in answer.speech
    assert "streak" not in answer.speech
    finish(alexa, "stretch my quads")
    answer = progress(alexa)
    assert "one session: your quad stretches." in answer.speech


def test_no_sessions_yet_gets_an_encouraging_answer(alexa):
    alexa.launch()
    answer = progress(alexa)
    assert "haven't finished a session" in answer.speech and not answer.ended


def test_an_unfinished_routine_is_not_in_the_history(alexa):
    alexa.launch()
    alexa.say("start my stretches")
    alexa.say("next")
    alexa.say("stop", after=30)
    assert "history" not in alexa.stored
    alexa.next_day()
    alexa.launch()
    alexa.say("no")
    assert "haven't finished a session" in progress(alexa).speech


# -- the streak -----------------------------------------------------------------------------------
def test_three_days_in_a_row_then_a_missed_day_resets_the_streak(alexa):
    for day in range(3):
        if day:
            alexa.next_day()
        alexa.launch()
        finish(alexa)
        answer = progress(alexa)
        expected = "1 day in a row" if day == 0 else f"{day + 1} days in a row"
        assert expected in answer.speech, answer.speech
        alexa.say("stop")
    alexa.next_day()  # the morning after: the streak still counts until today is over
    alexa.launch()
    assert "3 days in a row" in progress(alexa).speech
    alexa.say("stop")
    alexa.next_day()  # a day was missed
    alexa.launch()
    assert "streak" not in progress(alexa).speech
    finish(alexa)
    assert "Your streak is 1 day in a row." in progress(alexa).speech
    days = [h["date"] for h in alexa.stored["history"]]
    assert days == ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-06"]


def test_two_sessions_on_one_day_count_as_one_day(alexa):
    alexa.launch()
    finish(alexa, "stretch my glutes")
    finish(alexa, "stretch my hamstrings")
    answer = progress(alexa)
    assert "two sessions" in answer.speech and "Your streak is 1 day in a row." in answer.speech


# -- an interrupted routine, the next day ---------------------------------------------------------
def _up_to_the_glute_stretch(alexa):
    alexa.launch()
    alexa.say("start my stretches")
    alexa.say("next")
    glute = alexa.say("next")
    assert "Say next for the hamstring stretch" in glute.reprompt
    listen_to_the_end(alexa)


def test_an_interrupted_routine_is_offered_the_next_day_after_the_last_exercise_done(alexa):
    _up_to_the_glute_stretch(alexa)
    alexa.end_session("EXCEEDED_MAX_REPROMPTS")  # no answer to "say next": the device closes the session
    saved = alexa.stored["paused"]
    assert saved["after"] == "the glute stretch" and saved["position"]["block"] == 3
    alexa.next_day()
    nudge = alexa.launch()
    assert "You stopped your after-run stretches after the glute stretch yesterday. Pick up there?" in nudge.speech
    assert nudge.reprompt.endswith("Pick up there?")
    resumed = alexa.say("yes")
    assert resumed.speech.startswith("Picking up where you left off. Next, the lying strap hamstring stretch.")
    assert "That's your after-run stretches done." in resumed.speech
    alexa.end_session("EXCEEDED_MAX_REPROMPTS")  # it has played to the end: now it counts
    history = alexa.stored["history"]
    assert [(h["date"], h["title"]) for h in history] == [("2026-03-03", "your after-run stretches")]
    assert "paused" not in alexa.stored


def test_an_interrupted_routine_keeps_its_place_over_several_days_and_says_when(alexa):
    alexa.launch()
    alexa.say("stretch my hip flexors")
    alexa.say("pause", after=90)
    alexa.say("stop")
    alexa.next_day(days=3)
    nudge = alexa.launch()
    weekday = (date(2026, 3, 2)).strftime("%A")
    assert f"You stopped your hip flexor stretches during the knee-tap lunge on {weekday}. Pick up there?" \
        in nudge.speech
    resumed = alexa.say("yes")
    assert "Back to the knee-tap lunge" in resumed.speech


def test_the_offer_survives_a_restart_of_the_skill_on_the_same_store(tmp_path):
    """Progress, preferences and an interrupted routine live in the SQLite file, not the process."""
    db = tmp_path / "stride-coach.db"
    first = AlexaSimulator(make_skill(db))
    first.launch()
    first.say("make the holds longer")
    first.say("slower")
    finish(first, "stretch my quads")
    first.say("stretch my glutes")
    first.say("stop", after=100)
    later = AlexaSimulator(make_skill(db))  # a new process: a fresh skill on the same file
    later.next_day()
    nudge = later.launch()
    assert "You stopped your glute stretches during the glute stretch yesterday. Pick up there?" in nudge.speech
    assert '<prosody rate="90%">' in nudge.ssml
    resumed = later.say("yes")
    assert resumed.speech.startswith("Picking up where you left off. Back to the glute stretch")
    assert re.search(r"Hold for 38 seconds", resumed.speech)  # 30 s at 125 percent
    while "Say continue" in later.answers[-1].reprompt:
        later.say("continue")
    later.end_session("EXCEEDED_MAX_REPROMPTS")
    history = [(h["date"], h["title"]) for h in later.stored["history"]]
    assert history == [("2026-03-02", "your quad stretches"), ("2026-03-03", "your glute stretches")]
    assert "Your streak is 2 days in a row." in later.say("what did I do this week").speech


def test_the_session_ending_after_a_finished_routine_is_handled_cleanly(alexa, caplog):
    alexa.launch()
    alexa.say("stretch my glutes")
    listen_to_the_end(alexa)
    with caplog.at_level("ERROR"):
        alexa.end_session("EXCEEDED_MAX_REPROMPTS")
    assert not [r for r in caplog.records if r.levelname == "ERROR"], caplog.text
    assert "paused" not in alexa.stored and len(alexa.stored["history"]) == 1
    alexa.next_day()
    assert "Pick up there?" not in alexa.launch().speech


# -- bugs outside the engine ------------------------------------------------------------------------
def test_stopping_during_the_last_exercise_does_not_count_as_a_finished_session(alexa):
    alexa.launch()
    alexa.say("stretch my glutes")  # a one-exercise routine: its only response is also its last
    alexa.say("stop", after=45)
    assert "history" not in alexa.stored or alexa.stored["history"] == []


def test_picking_up_an_interrupted_last_exercise_records_the_routine_once(alexa):
    alexa.launch()
    alexa.say("stretch my glutes")
    alexa.say("stop", after=45)
    alexa.next_day()
    alexa.launch()
    resumed = alexa.say("yes")
    assert "That's your glute stretches done." in resumed.speech
    alexa.end_session("EXCEEDED_MAX_REPROMPTS")
    assert [h["date"] for h in alexa.stored["history"]] == ["2026-03-03"]


def test_next_day_right_after_a_finished_routine_offers_nothing_to_pick_up(alexa):
    alexa.launch()
    alexa.say("stretch my glutes")  # finished: the outro and "That's your glute stretches done."
    alexa.next_day()  # the kit ends the session first, as a device would after the reprompt
    assert "Pick up there?" not in alexa.launch().speech


def test_stop_after_an_exercise_is_offered_the_next_day_after_that_exercise(alexa):
    _up_to_the_glute_stretch(alexa)
    alexa.say("stop")
    alexa.next_day()
    nudge = alexa.launch()
    assert "You stopped your after-run stretches after the glute stretch yesterday. Pick up there?" in nudge.speech
    assert alexa.say("yes").speech.startswith("Picking up where you left off. Next, the lying strap hamstring stretch.")
