"""One account, several runners: who is speaking, their name in a greeting, and the shared profile.

Stores key everything by owner (``skill.store.owner``): the recognised person, or the account's
shared profile when Alexa did not recognise the voice (or voice profiles are off). This module
adds what the household hears of that:

* a recognised person is greeted by name with Alexa's name tag (the skill never learns the name);
* an unrecognised voice in a household that uses voice profiles is told once per session, briefly,
  that its progress goes on the shared profile. A household "uses voice profiles" once a recognised
  person has opened the skill: the account's shared profile then carries the section ``household``
  (``{"voices": true}``), written once, so that the note is never said in a home without profiles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from skill.speech.builder import Speech
from skill.store.base import SectionedStore
from skill.store.owner import account_envelope, person_id_of
from skill.store.sections import encode

if TYPE_CHECKING:
    from skill.pipeline.exchange import Exchange

HOUSEHOLD_SECTION = "household"
SHARED_NOTE = "I didn't recognise your voice, so your progress goes on the household's shared profile."
_TOLD = "shared_profile_told"


def speaker(exchange: Exchange) -> str | None:
    """The recognised speaker's personId, or None."""
    return person_id_of(exchange.handler_input.request_envelope)


def greeting(exchange: Exchange) -> Speech:
    """'Hi <name>.' for a recognised speaker; nothing otherwise."""
    person = speaker(exchange)
    return Speech("Hi").name(person).say(".") if person else Speech()


def note_voices(exchange: Exchange) -> None:
    """At a recognised person's session start, mark the account as a household that uses voice profiles.

    One extra read of the account's shared profile per session of a recognised person, and a write
    only when the mark is missing (the first time, or after the shared profile was forgotten).
    """
    adapter = exchange.adapter
    if speaker(exchange) is None or not isinstance(adapter, SectionedStore):
        return
    account = account_envelope(exchange.handler_input.request_envelope)
    read = adapter.read_sections(account)
    if HOUSEHOLD_SECTION not in read:
        adapter.write_sections(account, {HOUSEHOLD_SECTION: encode({"voices": True})}, read)


def shared_profile_note(exchange: Exchange) -> str | None:
    """The note for an unrecognised voice in a household with voice profiles, the first time in a session."""
    if speaker(exchange) is not None or exchange.state.core.get(_TOLD):
        return None
    if not (exchange.state.stored.get(HOUSEHOLD_SECTION) or {}).get("voices"):
        return None
    exchange.state.core[_TOLD] = True
    return SHARED_NOTE


def uses_voice_profiles(exchange: Exchange) -> bool:
    """Whether this account's household has recognised voices (as far as the shared profile knows)."""
    if speaker(exchange) is not None:
        return True
    return bool((exchange.state.stored.get(HOUSEHOLD_SECTION) or {}).get("voices"))
