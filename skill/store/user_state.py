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

from collections.abc import Callable
from typing import Any, cast

from skill.engine.memo import exact_bytes
from skill.engine.plan import ResumePoint
from skill.store.sections import Changes, Sections, changes_between, decode, encode

SectionCheck = Callable[[Any], "tuple[Any, bool]"]
DEFAULT_PREFS = {"hold_scale": 1.0, "rate": 100, "continuous": False, "tones": False, "count_pace": 1.0}
FAMILIAR_AFTER = 1  # times an exercise was done before its short set-up is used
FAMILIAR_COUNT_UP_TO = 3  # the record counts "a few times"; past that nothing changes, so nothing is written
HISTORY_LIMIT = 400
_GONE = object()


def _empty(value: Any) -> bool:
    """None, or containers holding nothing but empty containers."""
    if isinstance(value, dict):
        return all(_empty(v) for v in value.values())
    if isinstance(value, list):
        return not value
    return value is None


class StoredSections:
    """The sections of a user's stored attributes as read, each decoded on first use.

    ``checks`` maps a section name to a function that returns the section's value made sane and
    whether it had to change anything; a section that is not JSON at all is dropped. Either way
    ``dropped`` becomes true and the next save writes the sane value.
    """

    def __init__(self, read: Sections, checks: dict[str, SectionCheck] | None = None) -> None:
        self.read = read
        self._used: dict[str, Any] = {}
        # Each section's exact bytes as decoded, when its check changed nothing: comparing them at
        # the end tells an untouched section from a changed one without encoding it as JSON.
        self._as_read: dict[str, bytes] = {}
        self.checks = checks or {}
        self.dropped = False

    def get(self, name: str, default: Any = None) -> Any:
        value = self._used.get(name, _GONE)
        if value is _GONE:
            if name not in self.read or name in self._used:
                return default
            try:
                value = decode(self.read[name])
            except (ValueError, RecursionError):
                self._used[name], self.dropped = _GONE, True
                return default
            check = self.checks.get(name)
            changed = False
            if check is not None:
                value, changed = check(value)
                if value is _GONE or value is None:
                    self._used[name], self.dropped = _GONE, True
                    return default
                self.dropped = self.dropped or changed
            as_read = exact_bytes(value) if not changed else None
            if as_read is not None:  # otherwise compared as JSON text
                self._as_read[name] = as_read
            self._used[name] = value
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
        used = {name: value for name, value in self._used.items() if not self._untouched(name, value)}
        read = {name: self.read[name] for name in used if name in self.read}
        # A section that was not stored and would hold nothing is not written: a plugin that only
        # looked at its (empty) data must not make a new record, least of all after "forget me".
        now = {name: encode(value) for name, value in used.items()
               if value is not _GONE and (name in self.read or not _empty(value))}
        return changes_between(read, now)

    def _untouched(self, name: str, value: Any) -> bool:
        as_read = self._as_read.get(name)
        return as_read is not None and value is not _GONE and exact_bytes(value) == as_read

    def as_dict(self) -> dict:
        """Every section, decoded (for a store that only takes whole documents)."""
        names = [n for n in self.read if n not in self._used] + list(self._used)
        return {name: self.get(name) for name in names if self.get(name, _GONE) is not _GONE}

    def clear(self) -> None:
        for name in list(self.read) + list(self._used):
            self._used[name] = _GONE


class UserState:
    def __init__(self, stored: StoredSections, session: dict[str, Any],
                 resume_point_check: Callable[[ResumePoint], bool] | None = None) -> None:
        self.stored = stored
        self.session = session
        # Whether a stored resume point can be played; asked once, when a request first reads it,
        # so the turns that never look at it (most of a routine's) do not pay for checking its plan.
        self.resume_point_check = resume_point_check
        self._resume_point_checked = False

    # -- stored --------------------------------------------------------------------------------
    def plugin_store(self, plugin: str) -> dict:
        return self.stored.setdefault("plugins", {}).setdefault(plugin, {})

    @property
    def prefs(self) -> dict:
        return {**DEFAULT_PREFS, **self.stored.get("prefs", {})}

    def set_pref(self, name: str, value: Any) -> None:
        self.stored.setdefault("prefs", {})[name] = value

    # The familiarity record: how many times the user has done each exercise (by card id).
    def familiar_exercises(self) -> list[str]:
        return [ident for ident, times in self.stored.get("familiar", {}).items() if times >= FAMILIAR_AFTER]

    def note_done(self, exercise_ids: list[str]) -> None:
        if not exercise_ids:
            return
        record = self.stored.get("familiar", {})
        if all(int(record.get(ident, 0)) >= FAMILIAR_COUNT_UP_TO for ident in exercise_ids):
            return
        record = self.stored.setdefault("familiar", {})
        for ident in exercise_ids:
            record[ident] = min(FAMILIAR_COUNT_UP_TO, int(record.get(ident, 0)) + 1)

    @property
    def history(self) -> list[dict]:
        return self.stored.get("history", [])

    def record_session(self, entry: dict) -> None:
        history = self.stored.setdefault("history", [])
        history.append(entry)
        del history[:-HISTORY_LIMIT]

    @property
    def resume_point(self) -> ResumePoint | None:
        """Where an unfinished timed session stopped, with its ``plan``, or None.

        Stored in the sections ``paused`` and ``paused_plan`` (their names are kept for data saved
        by earlier versions); not to be confused with the player's ``paused`` position within the
        current Alexa session.
        """
        paused = self.stored.get("paused")
        point: Any  # as stored: checked below when a check is set (the pipeline always sets one)
        if paused is None or not isinstance(paused, dict) or "plan" in paused:
            point = paused  # "plan" inside: saved before the plan had its own section
        else:
            plan = self.stored.get("paused_plan")
            point = {**paused, "plan": plan} if plan is not None else None
        if not self._resume_point_checked and self.resume_point_check is not None:
            self._resume_point_checked = True
            orphan_plan = point is None and self.stored.get("paused_plan") is not None
            if orphan_plan or (point is not None and not self.resume_point_check(point)):
                self.stored.remove("paused")
                self.stored.remove("paused_plan")
                self.stored.dropped = True  # the user hears that the skill lost its place
                return None
        return cast("ResumePoint | None", point)

    def set_resume_point(self, paused: ResumePoint | None, plan_version: str | None = None) -> None:
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
        if not isinstance(stored, dict):
            stored = None
        if plan_version is None or not stored or stored.get("plan_version") != plan_version or "plan" in stored:
            self.stored.set("paused_plan", paused["plan"])
        self.stored.set("paused", point)

    # -- session -------------------------------------------------------------------------------
    @property
    def core(self) -> dict:
        return self.session.setdefault("core", {})

    def plugin_session(self, plugin: str) -> dict:
        return self.session.setdefault("plugins", {}).setdefault(plugin, {})
