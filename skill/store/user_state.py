"""A user's data for one request: stored attributes (by section) and session attributes.

Layout of the stored attributes, one section per top-level key::

    {"prefs": {"hold_scale": 1.0, "rate": 100, "continuous": false},
     "history": [{"date": "2026-11-25", "title": "after-run stretches", "owner": "stretch_timer",
                  "plan": "stretch:after_run", "minutes": 9.5}],
     "paused": {...},                       # where an interrupted timed session stopped, see skill.engine
     "paused_plan": {...},                  # and its plan, rewritten only when the plan changed
     "plugins": {"stretch_timer": {...}}}   # each plugin's own ``turn.stored``

A section is decoded when the request first uses it, and only the sections it used are encoded
again at the end, to write those whose text changed (``skill.persistence.keys``). Session
attributes hold ``{"core": {...}, "plugins": {name: {...}}}``.
"""

from __future__ import annotations

from typing import Any

from skill.store.sections import Changes, Sections, changes_between, decode, encode

DEFAULT_PREFS = {"hold_scale": 1.0, "rate": 100, "continuous": False}
HISTORY_LIMIT = 400
_GONE = object()


class StoredSections:
    """The sections of a user's stored attributes as read, each decoded on first use."""

    def __init__(self, read: Sections) -> None:
        self.read = read
        self._used: dict[str, Any] = {}

    def get(self, name: str, default: Any = None) -> Any:
        value = self._used.get(name, _GONE)
        if value is _GONE:
            if name not in self.read or name in self._used:
                return default
            value = self._used[name] = decode(self.read[name])
        return value

    def setdefault(self, name: str, default: Any) -> Any:
        value = self.get(name, _GONE)
        if value is _GONE:
            value = self._used[name] = default
        return value

    def set(self, name: str, value: Any) -> None:
        self._used[name] = value

    def remove(self, name: str) -> None:
        self._used[name] = _GONE

    def changes(self) -> Changes:
        """New texts of the sections used and changed (``None``: removed); unused ones are never encoded."""
        read = {name: self.read[name] for name in self._used if name in self.read}
        now = {name: encode(value) for name, value in self._used.items() if value is not _GONE}
        return changes_between(read, now)

    def as_dict(self) -> dict:
        """Every section, decoded (for a store that only takes whole documents)."""
        names = [n for n in self.read if n not in self._used] + list(self._used)
        return {name: self.get(name) for name in names if self.get(name, _GONE) is not _GONE}

    def clear(self) -> None:
        for name in list(self.read) + list(self._used):
            self._used[name] = _GONE


class UserState:
    def __init__(self, stored: StoredSections, session: dict[str, Any]) -> None:
        self.stored = stored
        self.session = session

    # -- stored --------------------------------------------------------------------------------
    def plugin_store(self, plugin: str) -> dict:
        return self.stored.setdefault("plugins", {}).setdefault(plugin, {})

    @property
    def prefs(self) -> dict:
        return {**DEFAULT_PREFS, **self.stored.get("prefs", {})}

    def set_pref(self, name: str, value: Any) -> None:
        self.stored.setdefault("prefs", {})[name] = value

    @property
    def history(self) -> list[dict]:
        return self.stored.get("history", [])

    def record_session(self, entry: dict) -> None:
        history = self.stored.setdefault("history", [])
        history.append(entry)
        del history[:-HISTORY_LIMIT]

    @property
    def resume_point(self) -> dict | None:
        """Where an unfinished timed session stopped, with its ``plan``, or None.

        Stored in the sections ``paused`` and ``paused_plan`` (their names are kept for data saved
        by earlier versions); not to be confused with the player's ``paused`` position within the
        current Alexa session.
        """
        paused = self.stored.get("paused")
        if paused is None or "plan" in paused:  # "plan" inside: saved before the plan had its own section
            return paused
        plan = self.stored.get("paused_plan")
        return {**paused, "plan": plan} if plan is not None else None

    def set_resume_point(self, paused: dict | None, plan_version: str | None = None) -> None:
        """Keep (or with None, drop) the resume point ``paused``, which holds its ``plan``.

        The plan (5 KB or so) goes to its own section, rewritten only when ``plan_version`` differs
        from the stored one; the rest changes on every turn of a routine and is small.
        """
        if paused is None:
            self.stored.remove("paused")
            self.stored.remove("paused_plan")
            return
        point = {name: value for name, value in paused.items() if name != "plan"}
        point["plan_version"] = plan_version
        stored = self.stored.get("paused")
        if plan_version is None or not stored or stored.get("plan_version") != plan_version or "plan" in stored:
            self.stored.set("paused_plan", paused["plan"])
        self.stored.set("paused", point)

    # -- session -------------------------------------------------------------------------------
    @property
    def core(self) -> dict:
        return self.session.setdefault("core", {})

    def plugin_session(self, plugin: str) -> dict:
        return self.session.setdefault("plugins", {}).setdefault(plugin, {})
