"""Progression over weeks: reps climb to the top of the range, then the exercise steps up.

Rules (from the evidence notes, section 4):

* A set counts as the reps the user reported, or the target reps when they said nothing (they did
  the reps that were counted).
* A session where every set hit the target, with no pain and no "too hard", adds a rep to the
  target (two if it was "too easy") until the top of the range.
* Every set at the top of the range in two sessions in a row, with no pain, steps the exercise up:
  a small load increase if the user lifts a known weight, else an extra set (up to three), else the
  harder variant, else two more reps.
* "Too hard" or any pain steps back: the easier variant, or fewer reps and a set less.
"""

from __future__ import annotations

from typing import Callable

MAX_SETS = 3
LOAD_STEP = {"kg": 2.5, "lb": 5.0}
UNIT_WORDS = {"kg": "kilos", "lb": "pounds"}


def initial_state(exercise: dict) -> dict:
    return {"variant": exercise["id"], "sets": exercise["dose"]["sets"], "reps": exercise["dose"]["reps"]["min"],
            "streak": 0, "load": None}


def weight_phrase(load: dict) -> str:
    amount = load["amount"]
    shown = int(amount) if float(amount).is_integer() else amount
    return f"{shown} {UNIT_WORDS[load['unit']]}"


def progress(state: dict, card: dict, feedback: dict, pain: bool,
             doable: Callable[[str | None], dict | None]) -> tuple[dict, str | None]:
    """The state for next session and a sentence saying what changed (or ``None``).

    ``card`` is the exercise card of the variant done; ``doable(exercise_id)`` returns that card
    if the user has the kit for it, else ``None``.
    """
    state = dict(state)
    low, high = card["dose"]["reps"]["min"], card["dose"]["reps"]["max"]
    done = min(int(feedback.get("reps", state["reps"])), state["reps"])
    effort = feedback.get("effort")
    if pain or effort == "hard":
        reason = "of the pain you mentioned" if pain else "it felt too hard"
        state["streak"] = 0
        easier = doable(card["easier"].get("exercise"))
        if easier is not None:
            state.update(variant=easier["id"], reps=easier["dose"]["reps"]["min"], load=None)
            return state, f"Because {reason}, next time we'll step back to {easier['short_name']}."
        state.update(reps=max(low, state["reps"] - 2), sets=max(1, state["sets"] - 1))
        return state, f"Because {reason}, next time {card['short_name']} gets fewer reps."
    if done < state["reps"]:
        state["streak"] = 0
        return state, None
    if state["reps"] < high:
        state["reps"] = min(high, state["reps"] + (2 if effort == "easy" else 1))
        state["streak"] = 0
        return state, f"{_cap(card['short_name'])} goes up to {state['reps']} reps next time."
    state["streak"] += 1
    if state["streak"] < 2:
        return state, f"Top of the range on {card['short_name']}. One more session like that and we'll step it up."
    state["streak"] = 0
    if state.get("load"):
        load = dict(state["load"])
        load["amount"] = load["amount"] + LOAD_STEP[load["unit"]]
        state.update(load=load, reps=low)
        return state, f"Two strong sessions in a row, so {card['short_name']} goes up to {weight_phrase(load)}."
    if state["sets"] < MAX_SETS:
        state["sets"] += 1
        return state, f"Two strong sessions in a row, so {card['short_name']} gets an extra set."
    harder = doable(card["harder"].get("exercise"))
    if harder is not None:
        state.update(variant=harder["id"], reps=harder["dose"]["reps"]["min"])
        return state, f"Two strong sessions in a row, so next time you'll try {harder['short_name']}."
    state["reps"] = min(20, state["reps"] + 2)
    return state, f"Two strong sessions in a row, so {card['short_name']} goes up to {state['reps']} reps."


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
