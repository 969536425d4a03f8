"""Which exercise variant a user can do with the kit they have."""

from __future__ import annotations

# Equipment named in exercise cards, by the kit a user says they have or lack.
KIT = {"weights": {"dumbbells", "kettlebell", "barbell"}, "bar": {"pull_up_bar"}, "bench": {"bench"}}


def needs_missing(exercise: dict, missing: list[str]) -> bool:
    lacking = set().union(*(KIT[k] for k in missing if k in KIT)) if missing else set()
    return bool(lacking & set(exercise.get("equipment", [])))


def doable_variant(content, exercise_id: str, missing: list[str]) -> dict:
    """The card itself, or its easier variants in turn, until one needs nothing the user lacks."""
    exercise = content.get("exercise", exercise_id)
    seen = set()
    while needs_missing(exercise, missing) and exercise["id"] not in seen:
        seen.add(exercise["id"])
        easier = exercise["easier"].get("exercise")
        if not easier:
            break
        exercise = content.get("exercise", easier)
    return exercise
