"""The screen before any coaching: this plugin's ``before_coaching`` hook and what it decides.

Every timed session of every plugin (third-party ones included) passes through here before the
core plays it. In order:

1. A self-check of the back check passes: the back check has its own screen first.
2. No valid screen (never screened, over a week ago, or voided by a later yes): the short
   disclaimer and the screen first, and the core holds the session until it is done.
3. ``coaching == "stretches_only"`` (a history yes without a doctor's or physio's okay): a session
   with any counted reps is not played; the okay question is offered again once a day.
4. ``coaching == "gentle"`` (a history yes with the okay): one set of everything for the first
   weeks after the okay.
5. The weekly pain and function ratings, once a calendar week, before a session that counts.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from skill import Reply, Speech

from . import outcomes, screen

GENTLE_DAYS = 21
MENU_STRETCHES = "For now, you could say start my stretches, or ask for a tip about back pain."


def only_holds(plan: Any) -> bool:
    """Stretches and other held positions: no counted reps, no load."""
    return all(block["work"]["type"] == "hold" for block in plan["blocks"])


def before_coaching(turn: Any, plan: Any) -> Reply | None:
    if "check" in (plan.get("data") or {}):
        return None
    if not screen.screen_is_valid(turn):
        said, question = screen.start(turn, "coaching")
        turn.session["held_holds_only"] = only_holds(plan)
        return Reply(Speech(*said), prompt=question)
    coaching = turn.stored.get("coaching")
    if coaching == "stretches_only" and not only_holds(plan):
        doc = screen.screen_doc(turn)
        if turn.stored.get("clearance_asked_on") != turn.today.isoformat():
            turn.session.clear()
            turn.session.update(step="clearance", held_holds_only=False)
            turn.stored["clearance_asked_on"] = turn.today.isoformat()
            return Reply(Speech(), prompt=doc["clearance_again"])
        return Reply.menu(doc["stretches_only"], MENU_STRETCHES)
    if coaching == "gentle" and _within_gentle_days(turn):
        for block in plan["blocks"]:
            block["sets"] = 1
    if plan.get("record", True) and outcomes.due(turn):
        return Reply(Speech(), prompt=outcomes.ask_pain(turn), elicit="PainScoreIntent.score")  # a bare number
    return None


def _within_gentle_days(turn: Any) -> bool:
    since = turn.stored.get("gentle_since")
    return not since or (turn.today - date.fromisoformat(since)).days < GENTLE_DAYS


def answer_clearance(turn: Any, cleared: bool) -> tuple[str, bool]:
    """Has a doctor or physio said exercise is fine? Yes: gentler coaching. No or not sure: stretches only.

    Returns what to say and whether what the screen came before may go on: the back check's
    checks and held stretches may; held strength work may not.
    """
    doc = screen.screen_doc(turn)
    holds_only = turn.session.pop("held_holds_only", False)
    turn.session["step"] = None
    turn.stored["clearance_asked_on"] = turn.today.isoformat()
    if cleared:
        turn.stored.update(coaching="gentle", gentle_since=turn.today.isoformat())
        return doc["cleared"], True
    turn.stored["coaching"] = "stretches_only"
    turn.stored.pop("gentle_since", None)
    if turn.session.get("purpose") == "checks" or holds_only:
        return doc["not_cleared"], True
    return doc["not_cleared"] + " " + MENU_STRETCHES, False
