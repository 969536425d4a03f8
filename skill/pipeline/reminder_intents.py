"""Reminders by voice: "remind me to stretch after my run at six", "what reminders do I have", "cancel my reminders".

The core's own intents (registered with the rest in ``skill.pipeline.core_intents``). A reminder
is set only after the user confirms the time and days said back to them, and only with the
reminders permission: without it Alexa asks for it by voice (``Connections.SendRequest AskFor``;
the answer comes back as a ``Connections.Response`` carrying the pending reminder in its token),
and if the user declines, or the API refuses, a consent card goes to the Alexa app. Every failure
(no permission, throttling, the network) is said plainly, and nothing is half done: a reminder is
recorded for this person only once the API has created it.

Each owner (a recognised person, or the account's shared profile) keeps the reminders they set in
the stored section ``reminders``: ``[{"token", "hour", "minute", "days", "activity"}]``. The API
lists every reminder the skill set on the account; "what reminders do I have" and "cancel my
reminders" mean the speaker's own.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from skill.api.reply import Reply

# The reminder modules (their parsing, HTTP and time zone machinery) are imported by the requests
# that use them, not by every cold start.
if TYPE_CHECKING:
    from skill.api.turn import Turn
    from skill.pipeline.exchange import Exchange
    from skill.pipeline.reminder_words import Request

log = logging.getLogger("stride_coach.reminders")

SECTION = "reminders"
ASKED = "reminder"  # the core's pending question: "Shall I set that reminder?"
PERMISSION_REQUEST = "AskFor"
EXAMPLE = "Say, for example, remind me to stretch every Tuesday at six p.m."
MAX_REMINDERS = 10  # per person: enough for any week of runs, and a bound on what a request must list

NO_PERMISSION = ("To set reminders, Stride Coach needs your permission. I've sent a card to the Alexa app "
                 "where you can allow reminders; then ask me again.")
THROTTLED = "Alexa's reminders are busy just now, so I haven't changed anything. Please try again in a minute."
UNREACHABLE = "I couldn't reach Alexa's reminders just now, so I haven't changed anything. Please try again later."
NO_API = "Reminders don't work on this device, so I haven't set anything."

_DAY_SLOTS = ("day_one", "day_two", "day_three")
SLOT_TYPES = [
    {"name": "ReminderRepeat", "values": [
        {"id": "DAILY", "name": {"value": "every day", "synonyms": ["daily", "each day", "every single day"]}},
        {"id": "WEEKDAYS", "name": {"value": "every weekday", "synonyms": [
            "weekdays", "on weekdays", "every work day", "on work days", "monday to friday"]}},
        {"id": "WEEKENDS", "name": {"value": "every weekend", "synonyms": [
            "weekends", "on weekends", "at the weekend", "on the weekend"]}},
    ]},
    {"name": "ReminderActivity", "values": [
        {"id": "STRETCH", "name": {"value": "stretch", "synonyms": [
            "do my stretches", "stretch my legs", "do my stretching", "stretches", "do some stretches",
            "do my after run stretches", "do my cool down"]}},
        {"id": "STRENGTH", "name": {"value": "do my strength session", "synonyms": [
            "do strength", "do my strength training", "do my strength workout", "do my squats",
            "do strength training", "work on my strength"]}},
    ]},
]
_SET_SLOTS = [{"name": "time", "type": "AMAZON.TIME"}, {"name": "repeat", "type": "ReminderRepeat"},
              {"name": "activity", "type": "ReminderActivity"},
              *({"name": name, "type": "AMAZON.DayOfWeek"} for name in _DAY_SLOTS)]
INTENTS: list[tuple[dict, Any]] = []  # filled in below, once the handlers exist


# -- setting -----------------------------------------------------------------------------------
def set_reminder(turn: Turn) -> Reply:
    """Read what the user asked for and say it back for a yes or no; nothing is set yet."""
    from skill.pipeline.reminder_words import ACTIVITIES, Request, VagueTime, read_days, read_time, schedule_phrase
    from skill.services.reminders import Schedule

    try:
        time = read_time(turn.slot("time"))
        days = read_days([turn.slot(name) for name in _DAY_SLOTS], turn.slot("repeat"))
    except VagueTime:
        return Reply.ask("I need an exact time for a reminder.", prompt=f"What time should it be? {EXAMPLE}")
    except ValueError:
        return Reply.ask("Sorry, I didn't get the time or the days for that reminder.", prompt=EXAMPLE)
    if time is None:
        return Reply.ask("I can remind you to stretch after your runs.", prompt=f"What time suits you? {EXAMPLE}")
    activity = turn.slot("activity")
    request = Request(Schedule(time[0], time[1], days), activity if activity in ACTIVITIES else "STRETCH")
    turn.session["asked"] = ASKED
    turn.session["pending_reminder"] = request.as_dict()
    return Reply.ask(f"I'll remind you {schedule_phrase(request.schedule)} about {request.what}.",
                     prompt="Shall I set that reminder?")


def answer_confirmation(turn: Turn, yes: bool) -> Reply:
    """The user's yes or no to "Shall I set that reminder?"."""
    from skill.pipeline.reminder_words import Request

    try:
        request = Request.from_dict(turn.session.pop("pending_reminder", None) or {})
    except (TypeError, ValueError, KeyError):  # nothing pending, or session attributes not as we left them
        request = None
    if not yes or request is None:
        return Reply.menu("Okay, I haven't set a reminder. To set one for another time, say the time with "
                          "morning or evening, for example: remind me at six in the evening.")
    exchange = turn.exchange
    if not _permission_granted(exchange):
        return _ask_permission_by_voice(request)
    return create(exchange, request)


def create(exchange: Exchange, request: Request) -> Reply:
    """Create the reminder through the API, then record it for the speaker; any failure sets nothing."""
    from skill.pipeline.reminder_words import Request, schedule_phrase
    from skill.services.alexa_api import ApiError, ApiUnreachable, NoApiAccess
    from skill.services.reminders import RemindersClient, reminder_body
    from skill.services.settings import device_time_zone

    mine = _records(exchange)
    try:
        api = _api(exchange)
        client = RemindersClient(api)
        active = client.active_tokens()
        mine = [r for r in mine if r["token"] in active]
        if any(Request.from_dict(r) == request for r in mine):
            _keep_records(exchange, mine)
            return Reply.menu(f"You already have that reminder, {schedule_phrase(request.schedule)}.")
        if len(mine) >= MAX_REMINDERS:
            _keep_records(exchange, mine)
            return Reply.menu(f"You already have {MAX_REMINDERS} reminders, which is as many as I keep. "
                              "Say cancel my reminders to start again.")
        zone = device_time_zone(api, _device_id(exchange))
        body = reminder_body(request.schedule, zone, exchange.now, _locale(exchange), request.prompt_text)
        token = client.create(body)
    except NoApiAccess:
        return Reply.menu(NO_API)
    except ApiError as error:
        log.warning("reminders API refused to set a reminder: %s", error)
        return _failure(error)
    except ApiUnreachable as error:
        log.warning("reminders API unreachable: %s", error)
        return Reply.menu(UNREACHABLE)
    _keep_records(exchange, [*mine, {"token": token, **request.as_dict()}])
    first = body["trigger"].get("scheduledTime") or body["trigger"]["recurrence"]["startDateTime"]
    when = _first_day(first, exchange.now.astimezone(zone).date().isoformat())
    if not request.schedule.repeats:
        return Reply.menu(f"Done. I'll remind you {when} {schedule_phrase(request.schedule)}.")
    return Reply.menu(f"Done. I'll remind you {schedule_phrase(request.schedule)}, starting {when}.")


def _first_day(first: str, today: str) -> str:
    from datetime import date, timedelta

    day = date.fromisoformat(first[:10])
    if first[:10] == today:
        return "today"
    if day == date.fromisoformat(today) + timedelta(days=1):
        return "tomorrow"
    return f"on {day.strftime('%A')}"


# -- listing and cancelling --------------------------------------------------------------------
def list_reminders(turn: Turn) -> Reply:
    from skill.pipeline.reminder_words import Request, schedule_phrase
    from skill.services.alexa_api import ApiError, ApiUnreachable, NoApiAccess
    from skill.services.reminders import RemindersClient

    exchange = turn.exchange
    if not _permission_granted(exchange):
        return Reply.menu("You haven't set any reminders with Stride Coach. " + EXAMPLE)
    try:
        active = RemindersClient(_api(exchange)).active_tokens()
    except NoApiAccess:
        return Reply.menu(NO_API)
    except ApiError as error:
        return _failure(error)
    except ApiUnreachable:
        return Reply.menu(UNREACHABLE)
    mine = [r for r in _records(exchange) if r["token"] in active]
    _keep_records(exchange, mine)
    others = len(active - {r["token"] for r in mine})
    other_note = "" if not others else (
        f" There {'is' if others == 1 else 'are'} also {others} set by someone else in your household.")
    if not mine:
        return Reply.menu("You don't have any Stride Coach reminders." + other_note)
    said = [f"{schedule_phrase(Request.from_dict(r).schedule)} for {Request.from_dict(r).what}" for r in mine]
    count = "one reminder" if len(mine) == 1 else f"{len(mine)} reminders"
    listing = said[0] if len(said) == 1 else ", ".join(said[:-1]) + ", and " + said[-1]
    return Reply.menu(f"You have {count}: {listing}." + other_note)


def cancel_reminders(turn: Turn) -> Reply:
    from skill.services.alexa_api import ApiError

    exchange = turn.exchange
    mine = _records(exchange)
    if not mine:
        return Reply.menu("You don't have any Stride Coach reminders to cancel.")
    if not _permission_granted(exchange):
        return _with_consent_card(Reply.menu(
            "Stride Coach no longer has permission for reminders, so I can't cancel yours. You can delete "
            "them in the Alexa app, or allow reminders again with the card I've sent there."))
    cancelled, failure = _cancel_all(exchange, mine)
    if failure is None:
        count = "your reminder" if len(cancelled) == 1 else f"your {len(cancelled)} reminders"
        return Reply.menu(f"Done. I've cancelled {count}.")
    if not cancelled:
        return _failure(failure) if isinstance(failure, ApiError) else Reply.menu(UNREACHABLE)
    left = len(mine) - len(cancelled)
    return Reply.menu(f"I cancelled {len(cancelled)} of your {len(mine)} reminders, but couldn't reach Alexa's "
                      f"reminders for the other {left}. Say cancel my reminders again in a minute.")


def cancel_before_forgetting(exchange: Exchange) -> str:
    """Cancel the speaker's reminders before their data is deleted; a sentence saying how it went."""
    mine = _records(exchange)
    if not mine:
        return ""
    if _permission_granted(exchange) and _cancel_all(exchange, mine)[1] is None:
        return "Your reminders are cancelled too."
    return "I couldn't cancel your reminders just now; you can delete them in the Alexa app."


def _cancel_all(exchange: Exchange, records: list[dict]) -> tuple[list[dict], Exception | None]:
    """Delete each reminder in ``records``; those cancelled, and the failure that stopped the rest.

    The speaker's records keep exactly the reminders that are still set.
    """
    from skill.services.alexa_api import ApiError, ApiUnreachable, NoApiAccess
    from skill.services.reminders import RemindersClient

    cancelled: list[dict] = []
    failure: Exception | None = None
    try:
        client = RemindersClient(_api(exchange))
        for record in records:
            try:
                client.delete(record["token"])
            except ApiError as error:
                if error.status != 404:  # already gone (deleted in the Alexa app): nothing to cancel
                    raise
            cancelled.append(record)
    except (ApiError, ApiUnreachable, NoApiAccess) as error:
        log.warning("reminders API failed while cancelling: %s", error)
        failure = error
    _keep_records(exchange, [r for r in records if r not in cancelled])
    return cancelled, failure


# -- permission --------------------------------------------------------------------------------
def _permission_granted(exchange: Exchange) -> bool:
    user = getattr(_system(exchange), "user", None)
    return bool(getattr(getattr(user, "permissions", None), "consent_token", None))


def _ask_permission_by_voice(request: Request) -> Reply:
    """Alexa asks the user for the reminders permission; the pending reminder travels in the token."""
    from ask_sdk_model.interfaces.connections import SendRequestDirective

    from skill.pipeline.exchange import DirectiveReply
    from skill.services.reminders import REMINDERS_SCOPE

    directive = SendRequestDirective(name=PERMISSION_REQUEST, token=json.dumps(request.as_dict()), payload={
        "@type": "AskForPermissionsConsentRequest", "@version": "2",
        "permissionScopes": [{"permissionScope": REMINDERS_SCOPE, "consentLevel": "ACCOUNT"}]})
    return DirectiveReply(end_session=True, release=True, directives=[directive])


def permission_answered(exchange: Exchange, request: Any) -> Reply:
    """A ``Connections.Response`` to our AskFor: set the pending reminder, or say why not and send the card."""
    from skill.pipeline.reminder_words import Request

    payload = getattr(request, "payload", None) or {}
    status = str(payload.get("status") or "").upper()
    try:
        pending = Request.from_dict(json.loads(getattr(request, "token", None) or "null"))
    except (TypeError, ValueError, KeyError):
        pending = None
    if status == "ACCEPTED" and pending is not None:
        return create(exchange, pending)
    if status == "ACCEPTED":
        return Reply.menu("Thanks, reminders are allowed now. " + EXAMPLE)
    return _with_consent_card(Reply.menu(
        "Okay, I haven't set a reminder. If you change your mind, I've sent a card to the Alexa app "
        "where you can allow reminders."))


def _failure(error: Any) -> Reply:
    if error.not_permitted:
        return _with_consent_card(Reply.menu(NO_PERMISSION))
    if error.throttled:
        return Reply.menu(THROTTLED)
    return Reply.menu(UNREACHABLE)


def _with_consent_card(reply: Reply) -> Reply:
    from ask_sdk_model.ui import AskForPermissionsConsentCard

    from skill.pipeline.exchange import DirectiveReply
    from skill.services.reminders import REMINDERS_SCOPE

    return DirectiveReply(reply.speech, prompt=reply.prompt, to_menu=reply.to_menu, release=reply.release,
                          card=AskForPermissionsConsentCard(permissions=[REMINDERS_SCOPE]))


# -- the request and the speaker's records -----------------------------------------------------
def _system(exchange: Exchange) -> Any:
    return getattr(getattr(exchange.handler_input.request_envelope, "context", None), "system", None)


def _api(exchange: Exchange) -> Any:
    from skill.services.alexa_api import AlexaApi

    return AlexaApi.of_request(_system(exchange))


def _device_id(exchange: Exchange) -> str:
    from skill.services.alexa_api import NoApiAccess

    device_id = getattr(getattr(_system(exchange), "device", None), "device_id", None)
    if not device_id:
        raise NoApiAccess("the request names no device, so its time zone cannot be read")
    return str(device_id)


def _locale(exchange: Exchange) -> str:
    return str(exchange.request.get("locale") or "en-US")


def _records(exchange: Exchange) -> list[dict]:
    records = exchange.state.stored.get(SECTION, [])
    return [r for r in records if isinstance(r, dict) and isinstance(r.get("token"), str)]


def _keep_records(exchange: Exchange, records: list[dict]) -> None:
    if records:
        exchange.state.stored.set(SECTION, records)
    else:
        exchange.state.stored.remove(SECTION)


INTENTS.extend([
    ({"name": "SetReminderIntent", "slots": _SET_SLOTS, "samples": {"en": [
        "remind me to {activity} after my run at {time}", "remind me to {activity} after my runs at {time}",
        "remind me to {activity} at {time}", "remind me to {activity} {repeat} at {time}",
        "remind me to {activity} every {day_one} at {time}", "remind me to {activity} on {day_one} at {time}",
        "remind me to {activity} every {day_one} and {day_two} at {time}",
        "remind me to {activity} on {day_one} and {day_two} at {time}",
        "remind me to {activity} every {day_one} {day_two} and {day_three} at {time}",
        "remind me to {activity} at {time} every {day_one} and {day_two}",
        "remind me every {day_one} at {time}", "remind me every {day_one} and {day_two} at {time}",
        "remind me every {day_one} {day_two} and {day_three} at {time}", "remind me {repeat} at {time}",
        "remind me at {time}", "remind me at {time} {repeat}", "remind me at {time} every {day_one} and {day_two}",
        "every {day_one} and {day_two} at {time}", "every {day_one} at {time}",
        "set a reminder for {time}", "set a reminder for {time} every {day_one} and {day_two}",
        "set a reminder to {activity} at {time}", "set a reminder to {activity}", "set a reminder",
        "set a stretching reminder", "remind me to {activity}", "remind me to {activity} after my run",
        "remind me to {activity} after my runs", "can you remind me to {activity}", "please remind me to {activity}",
        "please remind me to {activity} at {time}", "please remind me at {time}",
        "can you remind me to {activity} at {time}", "can you remind me to {activity} every {day_one} at {time}",
        "could you set a reminder to {activity} at {time}", "i want a reminder to {activity} at {time}",
        "i'd like a reminder at {time}", "remind me {day_one} at {time}", "remind me on {day_one} at {time}",
        "remind me on {day_one} and {day_two} at {time}", "remind me {day_one} and {day_two} at {time}",
    ]}}, set_reminder),
    ({"name": "ListRemindersIntent", "samples": {"en": [
        "what reminders do i have", "list my reminders", "which reminders have i set", "what are my reminders",
        "tell me my reminders", "do i have any reminders", "what reminders have i got", "read my reminders",
        "when are my reminders", "what reminders have i set", "list reminders", "list my stride coach reminders",
        "what are my stride coach reminders"]}}, list_reminders),
    ({"name": "CancelRemindersIntent", "samples": {"en": [
        "cancel my reminders", "cancel my reminder", "cancel all my reminders", "delete my reminders",
        "remove my reminders", "stop reminding me", "turn off my reminders", "clear my reminders",
        "i don't want any reminders", "get rid of my reminders", "delete all my reminders", "cancel the reminders",
        "remove all my reminders", "cancel all reminders"]}}, cancel_reminders),
])
