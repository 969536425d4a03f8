"""The Alexa Reminders API: create, list and delete the reminders this skill set for a user.

A :class:`Schedule` is what the user asked for: a local time of day, and either no days (once, at
the next time that time comes round) or the weekdays it repeats on. :func:`reminder_body` turns it
into the API's ``ReminderRequest`` for the device's time zone: a one-off reminder is a
``SCHEDULED_ABSOLUTE`` trigger at a local date and time; a repeating one has a ``recurrence`` that
starts at the first matching local date and time and repeats by an RRULE (``FREQ=WEEKLY;BYDAY=TU,TH``
or ``FREQ=DAILY``). Times are local and carry no offset, as the API requires; the ``timeZoneId``
tells Alexa which zone they are in, so clock changes keep the reminder at the same local time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from skill.services.alexa_api import AlexaApi, ApiUnreachable, path_part

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo  # the zone database loads only for requests that set a reminder

REMINDERS_SCOPE = "alexa::alerts:reminders:skill:readwrite"
REMINDERS_PATH = "/v1/alerts/reminders"
# RRULE day names, Monday first as datetime.weekday() counts.
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
LOCAL_FORMAT = "%Y-%m-%dT%H:%M:%S"


@dataclass(frozen=True)
class Schedule:
    """A time of day (local) and the weekdays it repeats on (none: once; all seven: daily)."""

    hour: int
    minute: int = 0
    days: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not (0 <= self.hour <= 23 and 0 <= self.minute <= 59):
            raise ValueError(f"no such time of day: {self.hour}:{self.minute:02d}")
        unknown = [d for d in self.days if d not in WEEKDAYS]
        if unknown:
            raise ValueError(f"unknown weekdays {unknown}")
        # One order for the same set of days, so two schedules compare equal when they mean the same.
        object.__setattr__(self, "days", tuple(d for d in WEEKDAYS if d in self.days))

    @property
    def repeats(self) -> bool:
        return bool(self.days)

    @property
    def daily(self) -> bool:
        return len(self.days) == len(WEEKDAYS)

    def as_dict(self) -> dict:
        return {"hour": self.hour, "minute": self.minute, "days": list(self.days)}

    @classmethod
    def from_dict(cls, data: dict) -> Schedule:
        return cls(int(data["hour"]), int(data.get("minute", 0)), tuple(data.get("days") or ()))

    def rrule(self) -> str:
        """The recurrence rule of a repeating schedule."""
        timing = f"BYHOUR={self.hour};BYMINUTE={self.minute};BYSECOND=0;INTERVAL=1"
        if self.daily:
            return f"FREQ=DAILY;{timing}"
        return f"FREQ=WEEKLY;BYDAY={','.join(self.days)};{timing}"

    def first_time(self, now: datetime) -> datetime:
        """The first local date and time on or after ``now`` (aware, in the device's zone) that fits."""
        for offset in range(8):
            day = (now + timedelta(days=offset)).date()
            candidate = datetime(day.year, day.month, day.day, self.hour, self.minute, tzinfo=now.tzinfo)
            if candidate <= now:
                continue
            if not self.days or WEEKDAYS[day.weekday()] in self.days:
                return candidate
        raise AssertionError("every schedule has a time within a week")  # pragma: no cover


def reminder_body(schedule: Schedule, zone: ZoneInfo, now: datetime, locale: str, text: str) -> dict:
    """The ``ReminderRequest`` for ``schedule`` in ``zone``, made at ``now`` (an aware datetime)."""
    local_now = now.astimezone(zone)
    first = schedule.first_time(local_now).strftime(LOCAL_FORMAT)
    trigger: dict[str, Any] = {"type": "SCHEDULED_ABSOLUTE", "timeZoneId": zone.key}
    if schedule.repeats:
        trigger["recurrence"] = {"startDateTime": first, "recurrenceRules": [schedule.rrule()]}
    else:
        trigger["scheduledTime"] = first
    return {
        "requestTime": local_now.strftime(LOCAL_FORMAT),
        "trigger": trigger,
        "alertInfo": {"spokenInfo": {"content": [{"locale": locale, "text": text}]}},
        "pushNotification": {"status": "ENABLED"},
    }


class RemindersClient:
    """The skill's reminders for the user of one request."""

    def __init__(self, api: AlexaApi) -> None:
        self.api = api

    def create(self, body: dict) -> str:
        """Create one reminder; its ``alertToken``."""
        answer = self.api.call("POST", REMINDERS_PATH, body)
        token = answer.get("alertToken") if isinstance(answer, dict) else None
        if not isinstance(token, str) or not token:
            raise ApiUnreachable("the Reminders API created a reminder but sent no alertToken")
        return token

    def active_tokens(self) -> set[str]:
        """The alert tokens of this skill's reminders for the user that are still on."""
        answer = self.api.call("GET", REMINDERS_PATH)
        alerts = answer.get("alerts") if isinstance(answer, dict) else None
        if not isinstance(alerts, list):
            raise ApiUnreachable("the Reminders API listed no alerts")
        return {a["alertToken"] for a in alerts
                if isinstance(a, dict) and isinstance(a.get("alertToken"), str) and a.get("status", "ON") == "ON"}

    def delete(self, token: str) -> None:
        self.api.call("DELETE", f"{REMINDERS_PATH}/{path_part(token)}")
