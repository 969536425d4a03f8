"""What a request reads from session attributes and the store is checked before anything uses it.

Session attributes travel through the device and come back as the client sent them; stored
sections may hold what an older version or a bug wrote. Either can hold anything: a plan with a
million repetitions, a speaking rate of 5000 %, a name that is ``null``, a string where an object
belongs. :func:`clean_state` keeps what is well formed and within bounds, drops the rest (a whole
timed session when its plan or position is wrong, one preference when only it is wrong), and says
whether anything was dropped, so the user can be told simply that the skill lost its place.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from skill.engine.memo import exact_bytes
from skill.store.user_state import DEFAULT_PREFS, HISTORY_LIMIT, UserState

log = logging.getLogger("stride_coach.state")

MAX_SESSION_BYTES = 48 * 1024  # our own attributes are a few KB; Alexa's whole response is 120 KB
MAX_TEXT = 2000
RATE_RANGE = (50, 150)  # percent; the skill offers 80 to 120, Alexa's own bounds are 20 and 200
HOLD_SCALE_RANGE = (0.25, 4.0)  # the skill offers 0.5 to 2
COUNT_PACE_RANGE = (0.5, 3.0)  # the skill offers 0.75 to 2
PHASES = {"setup", "set", "work", "rest"}
POSITION_KEYS = {"block", "side", "set", "phase", "done"}
CORE_TEXT_KEYS = ("active", "asking", "last_prompt")

PlanCheck = Callable[[dict], bool]


def _number(value: Any, low: float, high: float) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
            and low <= value <= high)


def _text(value: Any, limit: int = MAX_TEXT) -> bool:
    return isinstance(value, str) and len(value) <= limit


def _optional_text(value: Any) -> bool:
    return value is None or _text(value)


def sane_prefs(prefs: Any) -> tuple[dict, bool]:
    """The valid preferences in ``prefs`` and whether any had to be dropped."""
    if not isinstance(prefs, dict):
        return {}, prefs is not None
    kept = {}
    for name, value in prefs.items():
        if ((name == "rate" and isinstance(value, int) and _number(value, *RATE_RANGE))
                or (name == "hold_scale" and _number(value, *HOLD_SCALE_RANGE))
                or (name in ("continuous", "tones") and isinstance(value, bool))
                or (name == "count_pace" and _number(value, *COUNT_PACE_RANGE))
                or name not in DEFAULT_PREFS):  # another module's preference: not ours to judge
            kept[name] = value
    return kept, len(kept) != len(prefs)


def position_ok(position: Any, plan: dict, optional: bool = True) -> bool:
    if position is None:
        return optional
    if not isinstance(position, dict) or not set(position) <= POSITION_KEYS:
        return False
    blocks = plan["blocks"]
    block = position.get("block", 0)
    if not (isinstance(block, int) and 0 <= block < max(1, len(blocks))):
        return False
    return (isinstance(position.get("side", 0), int) and 0 <= position.get("side", 0) <= 1
            and isinstance(position.get("set", 0), int) and 0 <= position.get("set", 0) <= 10
            and position.get("phase", "setup") in PHASES and _number(position.get("done", 0), 0, 3600))


def _moment_ok(value: Any) -> bool:
    if value is None:
        return True
    if not _text(value, 64):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def player_ok(state: Any, plan_ok: PlanCheck) -> bool:
    """Whether the player's session state is one the engine can play from."""
    if not isinstance(state, dict) or not isinstance(state.get("plan"), dict) or not plan_ok(state["plan"]):
        return False
    plan = state["plan"]
    if not all(position_ok(state.get(key), plan) for key in ("start", "end", "paused")):
        return False
    if not _moment_ok(state.get("at")):
        return False
    for key, low, high in (("lead", 0, 3600), ("scale", *HOLD_SCALE_RANGE), ("rate", *RATE_RANGE)):
        if key in state and not _number(state[key], low, high):
            return False
    for key in ("continuous", "segment_continuous", "recue", "done", "finished_once", "recorded"):
        if key in state and not isinstance(state[key], (bool, type(None))):
            return False
    for key in ("segment_id", "plan_version"):
        if not _optional_text(state.get(key)):
            return False
    familiar = state.get("familiar")
    if familiar is not None and not (isinstance(familiar, list) and all(_text(f, 200) for f in familiar)):
        return False
    coaching = state.get("coaching")
    if coaching is not None and not _coaching_ok(coaching):
        return False
    entry = state.get("history_entry")
    return entry is None or _history_entry_ok(entry)


def _coaching_ok(coaching: Any) -> bool:
    """How the user hears the plan (``skill.engine.timeline.Coaching.as_dict``)."""
    if not isinstance(coaching, dict):
        return False
    familiar = coaching.get("familiar", [])
    return (_text(coaching.get("seed", ""), 200) and isinstance(coaching.get("tones", False), bool)
            and _number(coaching.get("count_pace", 1.0), *COUNT_PACE_RANGE)
            and isinstance(familiar, list) and all(_text(f, 200) for f in familiar))


def _history_entry_ok(entry: Any) -> bool:
    if not isinstance(entry, dict) or not _text(entry.get("title"), 200) or not _text(entry.get("owner"), 200):
        return False
    if not _number(entry.get("minutes", 0), 0, 1000):
        return False
    try:
        date.fromisoformat(entry["date"])
    except (KeyError, TypeError, ValueError):
        return False
    return True


def resume_point_ok(point: Any, plan_ok: PlanCheck) -> bool:
    """Whether a stored resume point (with its ``plan``) can be offered and played."""
    if not isinstance(point, dict) or not isinstance(point.get("plan"), dict) or not plan_ok(point["plan"]):
        return False
    if not position_ok(point.get("position"), point["plan"], optional=False):
        return False
    try:
        date.fromisoformat(point["date"])
    except (KeyError, TypeError, ValueError):
        return False
    return all(_optional_text(point.get(key)) for key in ("after", "during", "plan_version"))


def _size(value: dict) -> int:
    """About the JSON size of ``value``: marshal format 2 writes a repeated value each time, as JSON does."""
    data = exact_bytes(dict(value))
    return len(data) if data is not None else len(json.dumps(value, default=str))  # not plain JSON data


def clean_session(session: dict, plan_ok: PlanCheck, plugins: set[str]) -> bool:
    """Drop from the session attributes ``session`` (in place) what is malformed; True if anything was."""
    dropped = False
    if _size(session) > MAX_SESSION_BYTES:
        session.clear()
        return True
    for key in [k for k in session if k not in ("core", "plugins")]:
        del session[key]
        dropped = True
    core = session.get("core")
    if core is not None and not isinstance(core, dict):
        del session["core"]
        core, dropped = None, True
    if core is not None:
        for key in CORE_TEXT_KEYS:
            if key in core and not _optional_text(core[key]):
                del core[key]
                dropped = True
        for key in ("active", "asking"):
            if core.get(key) is not None and core[key] not in plugins:
                del core[key]
                dropped = True
        held = core.get("held")  # a plan waiting for a coaching gate (skill.pipeline.coaching_gate)
        if held is not None and not (isinstance(held, dict) and isinstance(held.get("plan"), dict)
                                     and plan_ok(held["plan"]) and _text(held.get("lead", ""))
                                     and position_ok(held.get("position"), held["plan"])):
            del core["held"]
            dropped = True
        if "player" in core and core["player"] is not None and not player_ok(core["player"], plan_ok):
            del core["player"]
            core.pop("asking", None)
            dropped = True
    own = session.get("plugins")
    if own is not None:
        if not isinstance(own, dict):
            del session["plugins"]
            dropped = True
        else:
            for name in [n for n, value in own.items() if n not in plugins or not isinstance(value, dict)]:
                del own[name]
                dropped = True
    return dropped


def _history(value: Any) -> tuple[Any, bool]:
    if not isinstance(value, list):
        return None, True
    kept = [entry for entry in value if _history_entry_ok(entry)][-HISTORY_LIMIT:]
    return kept, len(kept) != len(value)


def _plugins(value: Any) -> tuple[Any, bool]:
    if not isinstance(value, dict):
        return None, True
    kept = {name: data for name, data in value.items() if isinstance(data, dict)}
    return kept, len(kept) != len(value)


# Checked when a request first decodes the section (see StoredSections), so a request that does
# not read the history does not pay for checking it.
SECTION_CHECKS = {"prefs": sane_prefs, "history": _history, "plugins": _plugins}


def clean_state(state: UserState, plan_ok: PlanCheck, plugins: set[str]) -> bool:
    """The session made sane; True when the user should hear that the skill lost its place.

    Stored sections are checked later, when a request first uses them, and say so through
    ``stored.dropped``: each by its entry in ``SECTION_CHECKS``, the resume point by
    ``state.resume_point_check`` (see :func:`resume_point_ok`).
    """
    dropped = clean_session(state.session, plan_ok, plugins)
    if dropped:
        log.warning("dropped malformed session attributes")
    return dropped
