"""Reading the time and days of a reminder from what Alexa (or the local chat) sends, and saying them back."""

import pytest

from skill.pipeline.reminder_words import VagueTime, read_days, read_time, schedule_phrase
from skill.services.reminders import Schedule


@pytest.mark.parametrize("value,expected", [
    ("18:00", (18, 0)), ("06:00", (6, 0)), ("07:30", (7, 30)), ("19:05:00", (19, 5)),
    ("six", (6, 0)), ("6", (6, 0)), ("six pm", (18, 0)), ("6 p.m.", (18, 0)), ("6 PM", (18, 0)),
    ("seven in the evening", (19, 0)), ("seven thirty", (7, 30)), ("half past six", (6, 30)),
    ("quarter to seven", (6, 45)), ("quarter past seven in the evening", (19, 15)), ("noon", (12, 0)),
    ("12 am", (0, 0)), ("midnight", (0, 0)), ("at seven o'clock", (7, 0)), ("seven oh five", (7, 5)),
    (None, None), ("", None),
])
def test_times_alexa_and_people_say(value, expected):
    assert read_time(value) == expected


@pytest.mark.parametrize("value", ["MO", "EV", "NI", "AF"])
def test_a_part_of_the_day_is_too_vague_to_set(value):
    with pytest.raises(VagueTime):
        read_time(value)


@pytest.mark.parametrize("value", ["purple", "25:00", "seven sixty", "tomorrowish"])
def test_what_is_not_a_time_is_refused(value):
    with pytest.raises(ValueError):
        read_time(value)


def test_days_from_slots_and_repeats():
    assert set(read_days(["Tuesday", "thursdays"], None)) == {"TU", "TH"}
    assert set(read_days([None, None], "WEEKDAYS")) == {"MO", "TU", "WE", "TH", "FR"}
    assert set(read_days(["tues"], None)) == {"TU"}
    assert read_days([None], None) == ()
    with pytest.raises(ValueError):
        read_days(["someday"], None)


@pytest.mark.parametrize("schedule,said", [
    (Schedule(19, 0, ("TU", "TH")), "every Tuesday and Thursday at 7 in the evening"),
    (Schedule(6, 30), "at 6:30 in the morning"),
    (Schedule(12, 0, ("MO", "TU", "WE", "TH", "FR", "SA", "SU")), "every day at noon"),
    (Schedule(18, 0, ("MO", "TU", "WE", "TH", "FR")), "every weekday at 6 in the evening"),
    (Schedule(22, 15, ("SA", "MO", "WE")), "every Monday, Wednesday and Saturday at 10:15 at night"),
])
def test_schedules_are_said_back_plainly(schedule, said):
    assert schedule_phrase(schedule) == said
