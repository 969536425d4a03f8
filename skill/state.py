"""A user's data for one request: persistent attributes (the store) and session attributes.

Layout of the persistent attributes::

    {"prefs": {"hold_scale": 1.0, "rate": 100, "continuous": false},
     "history": [{"date": "2026-11-25", "title": "after-run stretches", "owner": "stretch_timer",
                  "plan": "stretch:after_run", "minutes": 9.5}],
     "paused": {...},                       # an interrupted timed session, see skill.engine
     "plugins": {"stretch_timer": {...}}}   # each plugin's own ``turn.stored``

Session attributes hold ``{"core": {...}, "plugins": {name: {...}}}``. Persistent attributes are
written back only when they changed during the request (for our own stores, only when they encode
differently from what was read: see ``skill.persistence.keys.SkipsUnchangedSaves``).
"""

from __future__ import annotations

import json
from typing import Any

DEFAULT_PREFS = {"hold_scale": 1.0, "rate": 100, "continuous": False}
HISTORY_LIMIT = 400


class UserState:
    def __init__(self, persistent: dict[str, Any], session: dict[str, Any], *, snapshot: bool = True) -> None:
        """``snapshot=False`` when the store itself skips unchanged saves (see
        ``skill.persistence.keys.SkipsUnchangedSaves``): then :meth:`changed` is never needed, and
        dumping the attributes at the start of every request would be wasted."""
        self.persistent = persistent
        self.session = session
        self._snapshot = _dump(persistent) if snapshot else None

    # -- persistent ----------------------------------------------------------------------------
    def plugin_store(self, plugin: str) -> dict:
        return self.persistent.setdefault("plugins", {}).setdefault(plugin, {})

    @property
    def prefs(self) -> dict:
        return {**DEFAULT_PREFS, **self.persistent.get("prefs", {})}

    def set_pref(self, name: str, value: Any) -> None:
        self.persistent.setdefault("prefs", {})[name] = value

    @property
    def history(self) -> list[dict]:
        return self.persistent.get("history", [])

    def record_session(self, entry: dict) -> None:
        history = self.persistent.setdefault("history", [])
        history.append(entry)
        del history[:-HISTORY_LIMIT]

    @property
    def paused(self) -> dict | None:
        return self.persistent.get("paused")

    def set_paused(self, paused: dict | None) -> None:
        if paused is None:
            self.persistent.pop("paused", None)
        else:
            self.persistent["paused"] = paused

    def changed(self) -> bool:
        if self._snapshot is None:
            raise RuntimeError("UserState was made without a snapshot, so it cannot tell what changed")
        return _dump(self.persistent) != self._snapshot

    # -- session -------------------------------------------------------------------------------
    @property
    def core(self) -> dict:
        return self.session.setdefault("core", {})

    def plugin_session(self, plugin: str) -> dict:
        return self.session.setdefault("plugins", {}).setdefault(plugin, {})


def _dump(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)
