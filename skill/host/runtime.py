"""Plugins at run time: a time limit on third-party hooks, and a count of what went wrong.

A plugin passes every check at load time and can still misbehave on a live request: return an
``Offer`` whose title is a number, or take seconds to answer. Built-in plugins are the project's
own and tested; a third-party plugin's hook runs on a worker thread and is cut off after
``HOOK_TIME_LIMIT_S``, well inside the 8 s Alexa waits, and the plugin is suspended for the rest
of the process (a hook that hung once costs every later request the same wait). Failures and
cut-offs are counted per plugin in :class:`RuntimeHealth`, kept in a small JSON file that
``stride-coach plugins`` reads, so a failing plugin is visible outside the logs.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

log = logging.getLogger("stride_coach.plugins")

HOOK_TIME_LIMIT_S = 1.5
# All third-party hooks of one request together: several slow plugins at once must still leave
# the core time to answer within Alexa's 8 s.
REQUEST_HOOK_BUDGET_S = 3.0
_budget_ends: contextvars.ContextVar[float | None] = contextvars.ContextVar("stride_coach_hook_budget",
                                                                            default=None)


@contextlib.contextmanager
def request_budget(seconds: float | None = None) -> Iterator[None]:
    """Within the block (one request), third-party hooks share ``seconds`` (default: the budget)."""
    token = _budget_ends.set(time.monotonic() + (REQUEST_HOOK_BUDGET_S if seconds is None else seconds))
    try:
        yield
    finally:
        _budget_ends.reset(token)


def time_left(limit: float) -> float:
    """``limit``, or what is left of this request's budget if that is less."""
    ends = _budget_ends.get()
    return limit if ends is None else min(limit, ends - time.monotonic())
HEALTH_FILE_VARIABLE = "STRIDE_COACH_HEALTH_FILE"


class ContractBroken(TypeError):
    """What a plugin returned is not what its hook promises; the message says what, never user data."""


class HookTimedOut(Exception):
    """A plugin's hook did not answer within the time limit."""


class BudgetSpent(HookTimedOut):
    """Other plugins used up the request's time: this one was not called (and is not to blame)."""


def call_with_time_limit(function: Callable[..., Any], arguments: list[Any], seconds: float) -> Any:
    """``function(*arguments)`` on a daemon thread; its result, its exception, or HookTimedOut.

    A thread cannot be stopped from outside: the hook keeps running in the background, but the
    request goes on without it (and the plugin is suspended, so it is not called again).
    """
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = function(*arguments)
        except BaseException as error:
            outcome["error"] = error

    if seconds <= 0:
        raise BudgetSpent("was not called: the request's time for plugins is used up")
    worker = threading.Thread(target=run, daemon=True, name="stride-coach-hook")
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise HookTimedOut(f"took longer than {seconds:g} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")


def default_health_file() -> Path:
    configured = os.environ.get(HEALTH_FILE_VARIABLE)
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(base) / "stride-coach" / "plugin-health.json"


class RuntimeHealth:
    """Failures and cut-offs per plugin, kept in ``path`` (best effort: a read-only disk is fine)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_health_file()
        self._lock = threading.Lock()

    def read(self) -> dict[str, dict]:
        try:
            data = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def record(self, plugin: str, what: str, *, cut_off: bool = False) -> None:
        log.error("plugin %s %s", plugin, what)
        with self._lock:
            data = self.read()
            entry = data.setdefault(plugin, {"failures": 0, "cut_off": 0})
            entry["failures"] = int(entry.get("failures", 0)) + 1
            if cut_off:
                entry["cut_off"] = int(entry.get("cut_off", 0)) + 1
            entry["last"] = what[:300]
            entry["at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            with contextlib.suppress(OSError):
                self.path.parent.mkdir(parents=True, exist_ok=True)
                temporary = self.path.with_suffix(".tmp")
                temporary.write_text(json.dumps(data, indent=1))
                temporary.replace(self.path)


def offer_problems(offer: Any) -> list[str]:
    """How an ``Offer`` a plugin returned breaks its contract (see ``skill.api.reply.Offer``)."""
    from skill.speech.builder import ends_on_question_or_cue

    problems = []
    for field in ("title", "try_saying", "help"):
        value = getattr(offer, field, None)
        if value is not None and not (isinstance(value, str) and len(value) <= 500):
            problems.append(f"{field}={value!r:.40} is not text")
    priority = getattr(offer, "priority", 50)
    if isinstance(priority, bool) or not isinstance(priority, (int, float)):
        problems.append(f"priority={priority!r:.40} is not a number")
    nudge = getattr(offer, "nudge", None)
    if nudge is not None and not (isinstance(nudge, str) and ends_on_question_or_cue(nudge)):
        problems.append(f"nudge={nudge!r:.60} is not a question or a cue")
    return problems


def reply_problems(reply: Any) -> list[str]:
    """How a ``Reply`` a plugin returned breaks its contract (see ``skill.api.reply.Reply``)."""
    import math
    from typing import get_args

    from skill.speech.builder import Speech
    from skill.speech.ssml import Part, Silence, Text

    problems = []
    speech = getattr(reply, "speech", None)
    if not isinstance(speech, Speech):
        problems.append(f"speech={speech!r:.40} is not a Speech")
    else:
        for part in speech.parts:
            if isinstance(part, Text) and not isinstance(part.text, str):
                problems.append(f"a sentence {part.text!r:.40} is not text")
            elif isinstance(part, Silence) and not (isinstance(part.seconds, (int, float))
                                                    and math.isfinite(part.seconds) and 0 <= part.seconds <= 600):
                problems.append(f"a pause of {part.seconds!r:.20} seconds")
            elif not isinstance(part, get_args(Part)):
                problems.append(f"{type(part).__name__} in its speech")
    prompt = getattr(reply, "prompt", None)
    if prompt is not None and not (isinstance(prompt, str) and len(prompt) <= 1000):
        problems.append(f"prompt={prompt!r:.40} is not text")
    for flag in ("end_session", "resume_plan", "stop_plan", "release", "to_menu"):
        if not isinstance(getattr(reply, flag, False), bool):
            problems.append(f"{flag} is not true or false")
    for name in ("plan", "mark"):
        value = getattr(reply, name, None)
        if value is not None and not isinstance(value, dict):
            problems.append(f"{name}={value!r:.40} is not an object")
    return problems
