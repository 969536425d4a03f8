"""Reminders in words: the slots of "remind me every Tuesday and Thursday at seven" read into a schedule,
and a schedule said back ("every Tuesday and Thursday at 7 in the evening").

Alexa resolves ``AMAZON.TIME`` to ``HH:MM`` (24-hour) or to a part of the day (``MO``, ``AF``,
``EV``, ``NI``) and ``AMAZON.DayOfWeek`` to the day's name; the local simulator (``stride-coach
chat``) passes the words as typed, so both forms are read here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from skill.services.reminders import WEEKDAYS, Schedule
from skill.voice.nlu import parse_number

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
REPEATS = {"DAILY": WEEKDAYS, "WEEKDAYS": WEEKDAYS[:5], "WEEKENDS": WEEKDAYS[5:]}
_SPREADS = {"day": WEEKDAYS, "weekday": WEEKDAYS[:5], "weekdays": WEEKDAYS[:5], "work day": WEEKDAYS[:5],
            "weekend": WEEKDAYS[5:], "weekends": WEEKDAYS[5:]}
PARTS_OF_DAY = {"MO", "AF", "EV", "NI"}  # Alexa's vague times: morning, afternoon, evening, night
ACTIVITIES = {
    "STRETCH": ("your after-run stretches", "Time for your after-run stretches. Say: Alexa, open stride coach."),
    "STRENGTH": ("your strength session", "Time for your strength session. Say: Alexa, open stride coach."),
}
DEFAULT_ACTIVITY = "STRETCH"

_EVENING = re.compile(r"\b(pm|p m|in the evening|in the afternoon|at night|tonight|this evening)\b")
_MORNING = re.compile(r"\b(am|a m|in the morning|this morning)\b")
_CLOCK = re.compile(r"^(\d{1,2})(?::|\s)(\d{2})(?::\d{2})?$")


class VagueTime(ValueError):
    """A part of the day ("in the evening") rather than a time the reminder could be set for."""


@dataclass(frozen=True)
class Request:
    """What the user asked to be reminded of, and when."""

    schedule: Schedule
    activity: str = DEFAULT_ACTIVITY

    def as_dict(self) -> dict:
        return {**self.schedule.as_dict(), "activity": self.activity}

    @classmethod
    def from_dict(cls, data: dict) -> Request:
        activity = data.get("activity")
        return cls(Schedule.from_dict(data), activity if activity in ACTIVITIES else DEFAULT_ACTIVITY)

    @property
    def prompt_text(self) -> str:
        """What the reminder says when it goes off: short, honest, and how to start the skill."""
        return ACTIVITIES[self.activity][1]

    @property
    def what(self) -> str:
        return ACTIVITIES[self.activity][0]


def read_time(value: str | None) -> tuple[int, int] | None:
    """(hour, minute) from an ``AMAZON.TIME`` value or spoken words; None when there is no time.

    Raises :class:`VagueTime` for a part of the day and ``ValueError`` for something else.
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.upper() in PARTS_OF_DAY:
        raise VagueTime(text)
    text = re.sub(r"\s+", " ", text.lower().replace(".", " ")).strip()
    text = re.sub(r"\s*\bplease$", "", text)  # "at six pm please": the slot can take the courtesy with it
    if text in ("noon", "midday", "twelve noon"):
        return 12, 0
    if text == "midnight":
        return 0, 0
    evening, morning = bool(_EVENING.search(text)), bool(_MORNING.search(text))
    words = _MORNING.sub("", _EVENING.sub("", text)).replace("o'clock", "").replace("oclock", "")
    words = re.sub(r"^at\s+", "", re.sub(r"\s+", " ", words).strip())
    hour, minute = _clock(words)
    if evening and hour < 12:
        hour += 12
    elif morning and hour == 12:
        hour = 0
    if words and not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ValueError(f"no such time: {value!r}")
    return hour, minute


def _clock(words: str) -> tuple[int, int]:
    match = _CLOCK.match(words)
    if match:
        return int(match.group(1)), int(match.group(2))
    for lead, offset in (("half past ", 30), ("quarter past ", 15), ("quarter to ", -15)):
        if words.startswith(lead):
            hour = parse_number(words[len(lead):])
            if hour is None:
                break
            return (hour - 1, 45) if offset < 0 else (hour, offset)
    parts = words.split(" ", 1)
    hour = parse_number(parts[0])
    if hour is None:
        raise ValueError(f"no time in {words!r}")
    if len(parts) == 1:
        return hour, 0
    minute = parse_number(parts[1].replace("oh ", ""))
    if minute is None:
        raise ValueError(f"no minutes in {words!r}")
    return hour, minute


def read_day(value: str | None) -> str | None:
    """The RRULE day of ``value`` ("tuesday", "Tuesdays", "tue"), or None when it names no day."""
    if not value:
        return None
    text = value.strip().lower().rstrip("s")
    for code, name in zip(WEEKDAYS, DAY_NAMES):
        if len(text) >= 3 and name.lower().startswith(text):
            return code
    return None


def read_days(day_values: list[str | None], repeat: str | None) -> tuple[str, ...]:
    """The weekdays a reminder repeats on; raises ValueError for a day that is not one."""
    days: set[str] = set(REPEATS.get((repeat or "").upper(), ()))
    for value in day_values:
        if value:
            # "every weekday" can reach a day slot ("every {day_one}") as well as the repeat slot
            spread = _SPREADS.get(value.strip().lower())
            if spread:
                days.update(spread)
                continue
            day = read_day(value)
            if day is None:
                raise ValueError(f"{value!r} is not a day of the week")
            days.add(day)
    return tuple(days)


def time_phrase(hour: int, minute: int) -> str:
    """'at 7 in the evening', 'at 6:30 in the morning', 'at noon'."""
    if (hour, minute) == (12, 0):
        return "at noon"
    if (hour, minute) == (0, 0):
        return "at midnight"
    clock = hour % 12 or 12
    shown = f"{clock}" if minute == 0 else f"{clock}:{minute:02d}"
    if 5 <= hour < 12:
        part = "in the morning"
    elif 12 <= hour < 17:
        part = "in the afternoon"
    elif 17 <= hour < 21:
        part = "in the evening"
    else:
        part = "at night"
    return f"at {shown} {part}"


def days_phrase(days: tuple[str, ...]) -> str:
    """'every day', 'every weekday', 'every Tuesday and Thursday'; '' for a one-off reminder."""
    if not days:
        return ""
    if len(days) == 7:
        return "every day"
    if days == WEEKDAYS[:5]:
        return "every weekday"
    names = [DAY_NAMES[WEEKDAYS.index(d)] for d in days]
    return "every " + (names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1])


def schedule_phrase(schedule: Schedule) -> str:
    """When a reminder goes off, as said back: 'every Tuesday and Thursday at 7 in the evening'."""
    when = time_phrase(schedule.hour, schedule.minute)
    days = days_phrase(schedule.days)
    return f"{days} {when}" if days else when
