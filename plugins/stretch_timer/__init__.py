"""Guided stretches: after a run, before a run, or for one muscle group, with exact timed holds.

The routines and exercises are content (``content/stretch_timer``); the core's engine plays them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from plugins import CONTENT_ROOT
from skill import (
    Offer,
    Reply,
    Turn,
    hookimpl,
    plan_from_routine,
    plan_minutes,
    plugin_dir,
    register_exercises_and_routines,
    register_intents_from,
    register_slot_types_from,
)

HERE = plugin_dir(__file__)
CONTENT = CONTENT_ROOT / "stretch_timer"
MUSCLE_ROUTINES = {"hip_flexors": "hip_flexors", "quadriceps": "quadriceps",
                   "hamstrings": "hamstrings", "glutes": "glutes"}


@hookimpl
def register_content(register: Callable[[str, Any], None]) -> None:
    register_exercises_and_routines(register, CONTENT)


@hookimpl
def register_slot_types(register: Callable[[dict], None]) -> None:
    register_slot_types_from(register, HERE / "slot_types.json")


@hookimpl
def register_intents(register: Callable[[dict, Callable[[Turn], Reply | None]], None]) -> None:
    # "I've just done a 10k", "my legs are heavy": someone telling how the run went wants its stretches.
    handlers = {"StartStretchIntent": after_run, "AfterRunIntent": after_run, "StretchMuscleIntent": stretch_muscle,
                "WarmUpIntent": warm_up, "StretchForMinutesIntent": stretch_for_minutes}
    register_intents_from(register, HERE / "intents.json", handlers)


@hookimpl
def launch_offer(turn: Turn) -> Offer:
    return Offer(title="guided stretches", try_saying="start my stretches", priority=60,
                 help="For guided stretches, say start my stretches after a run, warm up before one, "
                      "or name a muscle, like stretch my hip flexors.")


def play_routine(turn: Turn, routine_id: str, lead: str | None = None) -> Reply:
    plan = plan_from_routine(turn.content, routine_id, plan_id=f"stretch:{routine_id}")
    intro = plan.pop("intro", None)
    if any(entry.get("plan") == plan["id"] for entry in turn.history):
        intro = None  # done before: straight to the first stretch
    return Reply.play(plan, *(s for s in (lead, intro) if s))


def after_run(turn: Turn) -> Reply:
    return play_routine(turn, "after_run")


def warm_up(turn: Turn) -> Reply:
    return play_routine(turn, "before_run")


def stretch_muscle(turn: Turn) -> Reply:
    muscle = turn.slot("muscle")
    if muscle not in MUSCLE_ROUTINES:
        return Reply.ask("I have stretches for the hip flexors, quads, glutes and hamstrings.",
                         prompt="Which would you like?", elicit="StretchMuscleIntent.muscle")
    return play_routine(turn, MUSCLE_ROUTINES[muscle])


def stretch_for_minutes(turn: Turn) -> Reply:
    """Fit the after-run routine into the minutes the user has, fewer holds first, then fewer stretches."""
    try:
        minutes = int(turn.slot("minutes") or 0)
    except ValueError:
        minutes = 0
    if minutes < 2:
        return Reply.ask("A short routine needs at least two minutes.", prompt="How many minutes have you got?",
                         elicit="StretchForMinutesIntent.minutes")
    prefs = turn.prefs
    plan = plan_from_routine(turn.content, "after_run", plan_id="stretch:after_run_timed")
    intro = plan.pop("intro")
    fits = lambda p: plan_minutes(p, prefs["hold_scale"], prefs["rate"]) <= minutes  # noqa: E731
    while not fits(plan) and any(b["sets"] > 1 for b in plan["blocks"]):
        biggest = max(plan["blocks"], key=lambda b: b["sets"])
        biggest["sets"] -= 1
    while not fits(plan) and len(plan["blocks"]) > 1:
        plan["blocks"].pop()
    length = plan_minutes(plan, prefs["hold_scale"], prefs["rate"])
    lead = f"Here's a stretch routine of about {round(length)} minutes."
    return Reply.play(plan, lead, intro)

