"""Strength sessions: sets, reps counted at a tempo, timed rests, form cues, progression over weeks.

Stored per user (``turn.stored``): ``exercises`` (per routine slot: the variant, sets, target
reps, last weight, and the run of strong sessions), ``missing`` (kit the user doesn't have) and
``changes`` (what changed at the end of the last session, said when the next one starts).
"""

from __future__ import annotations

import json

from content import CONTENT_ROOT
from skill import Offer, Reply, Speech, hookimpl
from skill.plugins import plugin_dir
from skill.routines import load_intents, plan_from_routine

from .equipment import KIT, doable_variant, needs_missing
from .progression import initial_state, progress, weight_phrase

HERE = plugin_dir(__file__)
CONTENT = CONTENT_ROOT / "strength_coach"
KIT_WORDS = {"weights": "weights", "bar": "a bar", "bench": "a bench"}


@hookimpl
def register_content(register):
    register("exercise", CONTENT / "exercises")
    register("routine", CONTENT / "routines")


@hookimpl
def register_slot_types(register):
    for definition in json.loads((HERE / "slot_types.json").read_text()):
        register(definition)


@hookimpl
def register_intents(register):
    handlers = {"StartStrengthIntent": start_default, "StrengthRoutineIntent": start_named,
                "SetFeedbackIntent": set_feedback, "RepsDoneIntent": reps_done, "WeightUsedIntent": weight_used,
                "MissingEquipmentIntent": missing_equipment, "HaveEquipmentIntent": have_equipment}
    for definition in load_intents(HERE / "intents.json"):
        register(definition, handlers[definition["name"]])


@hookimpl
def launch_offer(turn):
    return Offer(title="a strength session", try_saying="strength session", priority=50,
                 help="For strength work, say strength session, leg day or core workout. I count your reps, "
                      "time your rests, and adjust as you get stronger.")


# -- starting a session ---------------------------------------------------------------------------
def start_default(turn) -> Reply:
    return start(turn, "full_body")


def start_named(turn) -> Reply:
    routine = turn.slot("routine")
    if turn.content.find("routine", routine or "") is None or routine not in ROUTINES:
        return Reply.ask("I can do a full-body session, legs, core, squats, deadlifts or lunges.",
                         prompt="Which would you like?")
    return start(turn, routine)


ROUTINES = ("full_body", "legs", "core", "squats", "deadlifts", "lunges")


def start(turn, routine_id: str) -> Reply:
    states = turn.stored.setdefault("exercises", {})
    missing = turn.stored.get("missing", [])

    def adjust(item: dict, exercise: dict) -> dict:
        state = states.get(item["exercise"]) or initial_state(exercise)
        card = doable_variant(turn.content, state["variant"], missing)
        if card["id"] != state["variant"]:  # kit changed since: restart the variant's reps
            state = {**initial_state(card), "sets": state["sets"]}
        states[item["exercise"]] = state
        return {"exercise": card, "sets": state["sets"], "reps": state["reps"]}

    plan = plan_from_routine(turn.content, routine_id, plan_id=f"strength:{routine_id}", adjust=adjust)
    routine = turn.content.get("routine", routine_id)
    for block, item in zip(plan["blocks"], routine["items"]):
        block["data"]["slot"] = item["exercise"]
        load = states[item["exercise"]].get("load")
        if load:
            block["setup"].insert(0, f"Use {weight_phrase(load)}, as last time.")
    speech = Speech(plan.pop("intro"))
    changes = turn.stored.pop("changes", [])
    if changes:
        speech.say("Since last time:", *changes)
    names = [b["short_name"] for b in plan["blocks"]]
    speech.say("Today: " + (", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]) + ".")
    speech.say("After a set, you can tell me too easy, just right or too hard, how many reps you managed, "
               "or the weight you used.")
    turn.session.clear()
    turn.session["feedback"] = {}
    return Reply(speech, plan=plan)


# -- feedback during a session ------------------------------------------------------------------------
def _current_slot(turn) -> tuple[str | None, dict | None]:
    playing = turn.playing
    if playing is None or playing["owner"] != "strength_coach":
        return None, None
    block = playing["block"]
    return (block.get("data") or {}).get("slot"), block


def _after_feedback(turn, said: str) -> Reply:
    if turn.playing and turn.playing.get("paused"):
        return Reply(Speech(said), resume_plan=True)
    return Reply.ask(said, prompt="Say next when you're ready, or tell me more about that set.")


def set_feedback(turn) -> Reply:
    slot, block = _current_slot(turn)
    effort = turn.slot("effort")
    if slot is None:
        return Reply.menu("I use that during a strength session, after a set.")
    notes = turn.session.setdefault("feedback", {}).setdefault(slot, {})
    if effort == "hard" or notes.get("effort") != "hard":
        notes["effort"] = effort
    said = {"easy": "Noted: too easy. I'll build on that next time.",
            "right": "Great, that's the sweet spot.",
            "hard": "Noted. Take it easier: " + (block.get("data") or {}).get("easier", "do fewer reps.")}.get(
        effort, "Noted.")
    return _after_feedback(turn, said)


def reps_done(turn) -> Reply:
    slot, _ = _current_slot(turn)
    try:
        reps = int(turn.slot("reps", ""))
    except ValueError:
        return Reply.ask("Sorry, how many reps?", prompt="How many reps did you manage?")
    if slot is None:
        return Reply.menu("I keep track of reps during a strength session.")
    notes = turn.session.setdefault("feedback", {}).setdefault(slot, {})
    notes["reps"] = min(reps, notes.get("reps", reps))
    return _after_feedback(turn, f"Got it, {reps} reps.")


def weight_used(turn) -> Reply:
    slot, block = _current_slot(turn)
    try:
        amount = float(turn.slot("amount", ""))
    except ValueError:
        return Reply.ask("Sorry, what weight?", prompt="How heavy was it, in kilos or pounds?")
    unit = turn.slot("unit") if turn.slot("unit") in ("kg", "lb") else ("kg" if turn.weight_unit == "kilograms" else "lb")
    if slot is None:
        return Reply.menu("I note weights during a strength session, after a set.")
    load = {"amount": amount, "unit": unit}
    state = turn.stored.setdefault("exercises", {}).get(slot)
    if state is not None:
        state["load"] = load
    return _after_feedback(turn, f"Got it: {weight_phrase(load)} for {block['short_name']}. I'll remember that.")


def missing_equipment(turn) -> Reply:
    kit = turn.slot("kit")
    if kit not in KIT:
        return Reply.ask("I can work around missing weights, a bar or a bench.", prompt="Which don't you have?")
    missing = turn.stored.setdefault("missing", [])
    if kit not in missing:
        missing.append(kit)
    said = f"Okay, no {KIT_WORDS[kit].removeprefix('a ')}. I'll pick exercises that don't need it, and remember that."
    if turn.playing and turn.playing["owner"] == "strength_coach":
        return Reply(Speech(said, "That starts with your next session."), resume_plan=True)
    return Reply.menu(said)


def have_equipment(turn) -> Reply:
    kit = turn.slot("kit")
    if kit not in KIT:
        return Reply.ask("I know about weights, a bar and a bench.", prompt="Which do you have?")
    missing = turn.stored.setdefault("missing", [])
    if kit in missing:
        missing.remove(kit)
    return Reply.menu(f"Great, I'll include exercises with {KIT_WORDS[kit]} again.")


# -- after a session -----------------------------------------------------------------------------
@hookimpl
def plan_finished(turn, plan, minutes):
    marks = (plan.get("data") or {}).get("marks", [])
    pain = any("pain" in m or "eased_off" in m for m in marks)
    skipped = {m["skipped"] for m in marks if "skipped" in m}
    feedback = turn.session.get("feedback", {})
    states = turn.stored.setdefault("exercises", {})
    missing = turn.stored.get("missing", [])

    def doable(exercise_id):
        card = turn.content.find("exercise", exercise_id or "")
        return card if card is not None and not needs_missing(card, missing) else None

    changes = []
    for block in plan["blocks"]:
        slot = (block.get("data") or {}).get("slot")
        if slot is None or slot not in states or block["id"] in skipped:
            continue
        card = turn.content.get("exercise", states[slot]["variant"])
        states[slot], change = progress(states[slot], card, feedback.get(slot, {}), pain, doable)
        if change:
            changes.append(change)
    turn.session.pop("feedback", None)
    if changes:
        turn.stored["changes"] = changes
        return Reply(Speech("For next time:", *changes))
    return None
