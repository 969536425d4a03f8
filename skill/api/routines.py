"""Turn routine and exercise content (the core's shared schemas) into plans for the engine.

Any plugin that brings ``routine`` and ``exercise`` documents can play them with
``Reply.play(plan_from_routine(turn.content, "my_routine"))``.
"""

from __future__ import annotations

from collections.abc import Callable

from skill.engine.plan import Block, Plan
from skill.host.content import ContentLibrary

SIDES = ["right", "left"]


def exercise_block(exercise: dict, *, sets: int | None = None, hold_seconds: int | None = None,
                   reps: int | None = None, rest_seconds: int | None = None) -> Block:
    """One plan block from an exercise card, with optional dose overrides."""
    dose = exercise["dose"]
    if exercise["kind"] == "hold":
        work = {"type": "hold", "seconds": hold_seconds or dose["hold_seconds"]}
    else:
        work = {"type": "reps", "reps": reps or dose["reps"]["min"], "tempo": dose["tempo"]}
    block: Block = {
        "id": exercise["id"],
        "name": exercise["name"],
        "short_name": exercise["short_name"],
        "setup": list(exercise["steps"]),
        "safety": exercise["safety"],
        "cues": list(exercise.get("cues", [])),
        "sides": list(exercise.get("side_words") or SIDES) if exercise["sided"] else [],
        "sets": sets or dose["sets"],
        "rest_seconds": dose.get("rest_seconds", 0) if rest_seconds is None else rest_seconds,
        "work": work,
    }
    if exercise.get("switch"):
        block["switch"] = exercise["switch"]
    block["data"] = {"easier": exercise["easier"]["how"], "harder": exercise["harder"]["how"]}
    return block


def plan_from_routine(content: ContentLibrary, routine_id: str, *, plan_id: str | None = None,
                      adjust: Callable[[dict, dict], dict] | None = None) -> Plan:
    """A plan for a routine; ``adjust(item, exercise)`` may return dose overrides or a swapped card."""
    routine = content.get("routine", routine_id)
    blocks: list[Block] = []
    for item in routine["items"]:
        exercise = content.get("exercise", item["exercise"])
        overrides = {k: item[k] for k in ("sets", "hold_seconds", "reps", "rest_seconds") if k in item}
        if adjust is not None:
            changed = adjust(item, exercise) or {}
            exercise = changed.pop("exercise", exercise)
            overrides.update(changed)
        blocks.append(exercise_block(exercise, **overrides))
    plan: Plan = {"id": plan_id or routine["id"], "owner": "", "title": routine["name"], "blocks": blocks,
            "intro": routine["intro"]}
    if routine.get("outro"):
        plan["outro"] = routine["outro"]
    return plan
