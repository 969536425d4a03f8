"""Which exercise variant a user can do with the kit they have."""

from __future__ import annotations

from skill import ContentLibrary

from .progression import initial_state

# Equipment named in exercise cards, by the kit a user says they have or lack.
KIT = {"weights": {"dumbbells", "kettlebell", "barbell"}, "bar": {"pull_up_bar"}, "bench": {"bench"}}
KIT_WORDS = {"weights": "weights", "bar": "a bar", "bench": "a bench"}


def unconfirmed(has: list[str]) -> list[str]:
    """The kit a user hasn't said they have: loaded and hanging work waits until they say so."""
    return [kit for kit in KIT if kit not in has]


def entry_variant(content: ContentLibrary, exercise_id: str) -> dict:
    """Where a new user starts on a routine's exercise: the nearest variant that needs no kit at all."""
    return doable_variant(content, exercise_id, list(KIT))


def needs_missing(exercise: dict, missing: list[str]) -> bool:
    lacking = set().union(*(KIT[k] for k in missing if k in KIT)) if missing else set()
    return bool(lacking & set(exercise.get("equipment", [])))


def doable_variant(content: ContentLibrary, exercise_id: str, missing: list[str]) -> dict:
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


def easier_chain(content: ContentLibrary, exercise_id: str) -> list[str]:
    """``exercise_id`` and its easier variants, easiest last (the way back up after stepping down)."""
    chain = [exercise_id]
    while True:
        card = content.find("exercise", chain[-1])
        following = card["easier"].get("exercise") if card else None
        if not following or following in chain:
            return chain
        chain.append(following)


def fit_kit(content: ContentLibrary, state: dict, missing: list[str]) -> tuple[dict, str | None]:
    """The state for the kit the user has now, and a sentence when the exercise changed for it.

    Missing kit swaps in the nearest easier variant that needs none; the state the user had is kept
    (``before_kit``) and comes back, reps and weight included, once they have the kit again.
    """
    saved = state.get("before_kit")
    said = None
    if saved and not needs_missing(content.get("exercise", saved["variant"]), missing):
        back = content.get("exercise", saved["variant"])
        said = f"With your kit back, {back['short_name']} is back in."
        state = dict(saved)
    card = doable_variant(content, state["variant"], missing)
    if card["id"] != state["variant"]:
        before = content.get("exercise", state["variant"])
        kept = saved if saved else {k: v for k, v in state.items() if k != "before_kit"}
        state = {**initial_state(card), "sets": state["sets"], "before_kit": kept}
        lacking = [KIT_WORDS[k] for k in missing if k in KIT and KIT[k] & set(before.get("equipment", []))]
        said = (f"{_cap(card['short_name'])} instead of {before['short_name']}, "
                f"as you don't have {' or '.join(lacking)}.")
    return state, said


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
