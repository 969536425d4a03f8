"""The request as a plugin sees it: one user turn, with the plugin's own stored and session data."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, cast, overload

from skill.engine.plan import Block, Playing
from skill.host.content import ContentLibrary
from skill.store.user_state import UserState

LOCALE_UNITS = {"en-US": "pounds", "en-GB": "kilograms", "en-AU": "kilograms", "en-CA": "pounds", "en-IN": "kilograms"}


class Turn:
    """One request, scoped to one plugin.

    * ``intent`` and ``slots`` (slot name to the resolved value id, or the spoken value when the
      slot type has no ids; missing slots are absent);
    * ``confirmation``: ``CONFIRMED`` or ``DENIED`` when this is the yes or no to a reply's
      ``confirm`` question, else ``NONE``;
    * ``locale``, ``now`` (the request's timestamp, UTC) and ``today``;
    * ``stored``: this plugin's persistent data for this user (a dict; saved after the request);
    * ``session``: this plugin's data for the current Alexa session (a dict);
    * ``content``: every validated content document (``turn.content.get("routine", "after_run")``);
    * ``prefs``: the user's coaching preferences kept by the core (read only);
    * ``history``: finished sessions recorded by the core, oldest first;
    * ``answering_nudge``: the ``nudge_id`` of this plugin's launch nudge when this request is the
      user's answer to it, else ``None``.
    """

    def __init__(self, plugin: str, request: dict, state: UserState, content: ContentLibrary) -> None:
        self.plugin = plugin
        self._state = state
        self.content = content
        intent = request.get("intent") or {}
        self.intent: str | None = intent.get("name")
        self.slots: dict[str, str] = _slot_values(intent.get("slots") or {})
        # "CONFIRMED" or "DENIED" when the user answered the reply's ``confirm`` question, else "NONE".
        self.confirmation: str = intent.get("confirmationStatus") or "NONE"
        self.locale: str = request.get("locale") or "en-US"
        self.now: datetime = request_time(request)
        self.answering_nudge: str | None = None
        self.exchange: Any = None  # set by the core for its own plugin's handlers; not for plugins

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def stored(self) -> dict:
        return self._state.plugin_store(self.plugin)

    @property
    def session(self) -> dict:
        return self._state.plugin_session(self.plugin)

    @property
    def prefs(self) -> dict:
        return dict(self._state.prefs)

    @property
    def history(self) -> list[dict]:
        return list(self._state.history)

    @property
    def playing(self) -> Playing | None:
        """The timed session in progress, read only: ``{"title", "owner", "block", "paused"}`` or ``None``.

        ``block`` is the plan block the user is in (or has just finished), with its ``data``;
        ``paused`` is true when the user interrupted it (this request came mid-response).
        """
        player = self._state.core.get("player")
        if not player:
            return None
        blocks = player["plan"]["blocks"]
        end = player.get("end")
        if player.get("paused") is not None:
            index = player["paused"]["block"]
        elif end is None:  # the plan's last response
            index = len(blocks) - 1
        elif end["phase"] == "setup":  # played to the end of an exercise: that one, not the next
            index = max(0, end["block"] - 1)
        else:  # a long exercise split between sets
            index = end["block"]
        block = blocks[min(index, len(blocks) - 1)]
        return Playing(title=player["plan"]["title"], owner=player["plan"]["owner"], block=cast(Block, dict(block)),
                       paused=player.get("paused") is not None)

    @property
    def weight_unit(self) -> str:
        """The default unit of weight for the request's locale."""
        return LOCALE_UNITS.get(self.locale, "pounds")

    @overload
    def slot(self, name: str) -> str | None: ...
    @overload
    def slot(self, name: str, default: str) -> str: ...
    def slot(self, name: str, default: str | None = None) -> str | None:
        return self.slots.get(name, default)


def _slot_values(slots: dict) -> dict[str, str]:
    values = {}
    for name, slot in slots.items():
        if not isinstance(slot, dict):
            continue
        value = slot.get("value")
        for authority in (slot.get("resolutions") or {}).get("resolutionsPerAuthority") or []:
            if (authority.get("status") or {}).get("code") == "ER_SUCCESS_MATCH" and authority.get("values"):
                value = authority["values"][0]["value"].get("id") or authority["values"][0]["value"].get("name")
                break
        if value not in (None, "", "?"):
            values[name] = value
    return values


def request_time(request: dict) -> datetime:
    """The request's timestamp (UTC), or now when it has none or an unreadable one."""
    return _parse_timestamp(request.get("timestamp"))


def _parse_timestamp(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return datetime.now(UTC)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
