"""Progression over weeks: reps climb to the top of the range, then the exercise steps up.

Rules (the evidence notes, section 4: 8-12RM, 2-3 sets, one set in week 1, "progress when every
set reaches the top of the rep range for 2 sessions in a row and pain stays in the green zone"):

* Every exercise starts at one set, and gets no extra set in the user's first week.

* A set counts as the reps the user reported, or the target reps when they said nothing (they did
  the reps that were counted). The lowest report counts for every set.
* A session where every set hit the target, with no pain and no "too hard", adds one rep to the
  target until the top of the range ("too easy" counts as a good session, not as a bigger jump:
  build up slowly).
* Every set at the top of the range in two sessions in a row, with no pain, steps the exercise up:
  back up toward the routine's own exercise when the user is on an easier variant of it (the
  bodyweight start, or after a step back), else a small load increase (+2.5 kg or +5 lb, reps back
  to the bottom of the range) if the user lifts a known weight, else an extra set (up to three,
  not in week 1), else the harder variant, else (an exercise done with weights of unknown size)
  slightly heavier weights. Reps never go past the top of the card's range.
* A step up to a variant that needs kit the user hasn't said they have is not made: the user hears
  how to unlock it ("say I have weights").
* "Too hard", easing off, or any pain reported during the exercise steps back: the easier variant,
  or fewer reps and a set less when there is none.
* An exercise that was skipped does not progress (handled by the caller).

Each change comes in two wordings: ``next`` is said when the session finishes ("Next time, ..."),
``since`` when the next session starts ("Since last time: ..."). A change with no ``since`` (one
more strong session needed) is said at the finish only.
"""

from __future__ import annotations

MAX_SETS = 3
FIRST_SETS = 1
LOAD_STEP = {"kg": 2.5, "lb": 5.0}
WEIGHTS = {"dumbbells", "kettlebell", "barbell"}
UNIT_WORDS = {"kg": "kilos", "lb": "pounds"}


def initial_state(exercise: dict) -> dict:
    """Where a new user starts on ``exercise``: one set at the bottom of the range."""
    return {"variant": exercise["id"], "sets": FIRST_SETS, "reps": exercise["dose"]["reps"]["min"],
            "streak": 0, "load": None}


def weight_phrase(load: dict) -> str:
    amount = float(load["amount"])
    shown = int(amount) if amount.is_integer() else amount
    return f"{shown} {UNIT_WORDS[load['unit']]}"


def reps_phrase(reps: int, card: dict) -> str:
    return f"{reps} reps" + (" a side" if card.get("sided") else "")


def change(next_time: str, since: str | None) -> dict:
    return {"next": next_time, "since": since}


def progress(state: dict, card: dict, feedback: dict, pain: bool, *, easier: dict | None = None,
             harder: dict | None = None, back_up: bool = False, locked: tuple[dict, str] | None = None,
             first_week: bool = False) -> tuple[dict, dict | None]:
    """The state for next session and what changed (``{"next", "since"}``), or ``None``.

    ``card`` is the exercise card of the variant done; ``easier`` and ``harder`` are the cards to
    step back or up to, when the user has the kit for them (``None`` when there is none).
    ``feedback`` is what the user said about the exercise: ``effort`` (easy, right, hard), ``reps``
    (the fewest they managed) and ``load`` (the weight they used).
    """
    state = dict(state)
    if feedback.get("load"):
        state["load"] = dict(feedback["load"])
    name, cap = card["short_name"], _cap(card["short_name"])
    low, high = card["dose"]["reps"]["min"], card["dose"]["reps"]["max"]
    target = state["reps"]
    done = min(int(feedback.get("reps", target)), target)
    effort = feedback.get("effort")
    if pain or effort == "hard":
        reason = "of the pain you mentioned" if pain else "it felt too hard"
        state["streak"] = 0
        if easier is not None:
            state.update(variant=easier["id"], reps=easier["dose"]["reps"]["min"], load=None)
            return state, change(f"Because {reason}, next time we'll step back to {easier['short_name']}.",
                                 f"Because {reason} last time, you're on {easier['short_name']} "
                                 f"instead of {name}.")
        fewer = dict(state, reps=max(low, target - 2), sets=max(1, state["sets"] - 1))
        if (fewer["reps"], fewer["sets"]) == (target, state["sets"]):
            return state, change(f"Because {reason}, keep {name} gentle next time, and only go as far as "
                                 "feels comfortable.", None)
        less = " and ".join(part for part, smaller in (("fewer reps", fewer["reps"] < target),
                                                      ("one set less", fewer["sets"] < state["sets"])) if smaller)
        return fewer, change(f"Because {reason}, next time {name} gets {less}.",
                             f"Because {reason} last time, {name} has {less} today.")
    if done < target:
        state["streak"] = 0
        return state, None
    if target < high:
        state.update(reps=target + 1, streak=0)
        return state, change(f"Next time, {name} goes up to {reps_phrase(target + 1, card)}.",
                             f"{cap} is up to {reps_phrase(target + 1, card)}.")
    state["streak"] = state.get("streak", 0) + 1
    if state["streak"] < 2:
        reached = "Top of the range" if target == high else f"Every rep of {reps_phrase(target, card)}"
        return state, change(f"{reached} on {name}. One more session like that and we'll step it up.", None)
    state["streak"] = 0
    if back_up and harder is not None:
        return _step_up(state, harder)
    if state.get("load"):
        load = dict(state["load"])
        load["amount"] = float(load["amount"]) + LOAD_STEP[load["unit"]]
        state.update(load=load, reps=low)
        return state, change(f"Two strong sessions in a row, so next time {name} goes up to "
                             f"{weight_phrase(load)}, starting again at {reps_phrase(low, card)}.",
                             f"After two strong sessions, {name} goes up to {weight_phrase(load)}, "
                             f"at {reps_phrase(low, card)}.")
    if state["sets"] < MAX_SETS and not first_week:
        state["sets"] += 1
        return state, change(f"Two strong sessions in a row, so next time {name} gets an extra set.",
                             f"After two strong sessions, {name} has an extra set.")
    if harder is not None:
        return _step_up(state, harder)
    if locked is not None:
        card_up, kit = locked
        return state, change(f"Two strong sessions in a row. When you're ready for {card_up['short_name']}, "
                             f"say I have {kit}, and I'll bring it in.", None)
    if WEIGHTS & set(card.get("equipment", [])):  # weights, but we don't know how heavy
        state["reps"] = low
        return state, change(f"Two strong sessions in a row, so next time try slightly heavier weights for {name}, "
                             f"starting again at {reps_phrase(low, card)}. Tell me the weight you use.",
                             f"After two strong sessions, use slightly heavier weights for {name}, "
                             f"at {reps_phrase(low, card)}.")
    return state, change(f"That's the most I'll count for {name}. Keep every rep smooth.", None)


def _step_up(state: dict, harder: dict) -> tuple[dict, dict]:
    state.update(variant=harder["id"], reps=harder["dose"]["reps"]["min"], load=None)
    return state, change(f"Two strong sessions in a row, so next time you'll try {harder['short_name']}.",
                         f"After two strong sessions, you're moving up to {harder['short_name']}.")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
