"""Strength sessions: sets, reps counted at a tempo, timed rests, form cues, progression over weeks.

Gentle first sessions (the evidence notes, section 4): every exercise starts at one set and gets
no extra set in the first week; a routine's loaded or hanging exercise starts at its bodyweight
variant (the hip hinge before the Romanian deadlift, the split squat before the Bulgarian split
squat, the lying knee raise before the hanging knee raise) and moves up only after two strong,
pain-free sessions at the top of the range, and only with kit the user has said they have. A
loaded exercise comes with load guidance. From the second session on, a session starts with the
24-hour check ("was your back worse the morning after?"); a yes steps every exercise back first.

Stored per user (``turn.stored``): ``exercises`` (per routine slot, keyed by the routine item's
exercise: the variant done now, sets, target reps, last weight, the run of strong sessions, and the
state kept while missing kit forces an easier variant), ``has`` (kit the user has said they have),
``changes`` (what changed at the end of the last session, said when the next one starts),
``started_on`` (the first session's date: week 1) and ``last_session_on``.

Per Alexa session (``turn.session``): ``feedback`` (per slot: effort, fewest reps, weight) and,
once the plan has finished, ``finished`` (each slot's state before progression, so feedback given
about the last exercise after the finish still counts: the progression is worked out again).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from plugins import CONTENT_ROOT
from skill import (
    Offer,
    Plan,
    Reply,
    Speech,
    Turn,
    hookimpl,
    plan_from_routine,
    plan_minutes,
    plugin_dir,
    register_exercises_and_routines,
    register_intents_from,
    register_slot_types_from,
)

from .equipment import KIT, KIT_WORDS, easier_chain, entry_variant, fit_kit, needs_missing, unconfirmed
from .progression import initial_state, progress, weight_phrase

HERE = plugin_dir(__file__)
CONTENT = CONTENT_ROOT / "strength_coach"
ROUTINES = ("full_body", "legs", "core", "squats", "deadlifts", "lunges")
PLAN_PREFIX = "strength:"
AFTER_SET_PROMPT = "Say next when you're ready, or tell me more about that set."
FIRST_WEEK_DAYS = 7
LOAD_GUIDANCE = ("Choose a weight you could lift about fifteen times with good form: today's reps should feel "
                 "comfortable, with several more left in you.")
MORNING_AFTER = "Before we start: was your back worse than usual the morning after your last strength session?"


@hookimpl
def register_content(register: Callable[[str, Any], None]) -> None:
    register_exercises_and_routines(register, CONTENT)


@hookimpl
def register_slot_types(register: Callable[[dict], None]) -> None:
    register_slot_types_from(register, HERE / "slot_types.json")


@hookimpl
def register_intents(register: Callable[[dict, Callable[[Turn], Reply | None]], None]) -> None:
    handlers = {"StartStrengthIntent": start_default, "StrengthRoutineIntent": start_named,
                "SetFeedbackIntent": set_feedback, "RepsDoneIntent": reps_done, "WeightUsedIntent": weight_used,
                "MissingEquipmentIntent": missing_equipment, "HaveEquipmentIntent": have_equipment}
    register_intents_from(register, HERE / "intents.json", handlers)


@hookimpl
def launch_offer(turn: Turn) -> Offer:
    return Offer(title="a strength session", try_saying="strength session", priority=50,
                 help="For strength work, say strength session, leg day or core workout. I count your reps, "
                      "time your rests, and adjust as you get stronger.")


# -- starting a session ---------------------------------------------------------------------------
MENU = (("legs", "legs"), ("core", "core"), ("full_body", "full body"))  # what "strength session" offers
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def start_default(turn: Turn) -> Reply:
    """"Strength session" with no name: the usual if there is one, else the choices with their lengths."""
    usual = turn.stored.get("usual")
    if usual and usual.get("routine") in ROUTINES and turn.content.find("routine", usual["routine"]):
        turn.session["asked"] = "usual"
        name = turn.content.get("routine", usual["routine"])["name"].removeprefix("your ")
        return Reply.ask(prompt=f"Same as {_day_words(turn, usual.get('date'))}, {name}?")
    return _menu(turn)


def _menu(turn: Turn) -> Reply:
    prefs = turn.prefs
    lengths = [round(plan_minutes(plan_from_routine(turn.content, rid), prefs["hold_scale"], prefs["rate"]) / 5) * 5
               for rid, _ in MENU]
    names = [words for _, words in MENU]
    turn.session["asked"] = "menu"
    return Reply.ask(prompt=f"{names[0].capitalize()}, {names[1]} or {names[2]}: about "
                            f"{_number(lengths[0])}, {_number(lengths[1])} or {_number(lengths[2])} minutes?",
                     elicit="StrengthRoutineIntent.routine")


def _number(n: int) -> str:
    words = {5: "five", 10: "ten", 15: "fifteen", 20: "twenty", 25: "twenty-five", 30: "thirty", 35: "thirty-five",
             40: "forty", 45: "forty-five", 50: "fifty"}
    return words.get(max(5, n), str(n))


def _day_words(turn: Turn, day: str | None) -> str:
    """"earlier today", "yesterday", "Tuesday", "last time"."""
    try:
        then = turn.today.fromisoformat(day or "")
    except ValueError:
        return "last time"
    delta = (turn.today - then).days
    if delta <= 0:
        return "earlier today"
    if delta == 1:
        return "yesterday"
    return WEEKDAYS[then.weekday()] if delta < 7 else "last time"


def _menu_followup(turn: Turn) -> Reply | None:
    """Yes or no to "Same as Tuesday, ...?" (no, or yes to the choices, asks which)."""
    asked = turn.session.get("asked")
    if asked not in ("usual", "menu"):
        return None
    turn.session.pop("asked", None)
    if asked == "usual" and turn.intent == "AMAZON.YesIntent":
        return start(turn, turn.stored["usual"]["routine"])
    return _menu(turn)


def start_named(turn: Turn) -> Reply:
    routine = turn.slot("routine")
    if routine not in ROUTINES or turn.content.find("routine", routine) is None:
        return Reply.ask("I can do a full-body session, legs, core, squats, deadlifts or lunges.",
                         prompt="Which would you like?", elicit="StrengthRoutineIntent.routine")
    return start(turn, routine)


def start(turn: Turn, routine_id: str) -> Reply:
    """The 24-hour check when it is due, else the session."""
    last = turn.stored.get("last_session_on")
    if last and last != turn.today.isoformat() and turn.stored.get("morning_checked") != last:
        turn.session.clear()
        turn.session.update(step="morning_after", routine=routine_id)
        return Reply(Speech(), prompt=MORNING_AFTER + " Yes or no?")
    return play(turn, routine_id)


def morning_after(turn: Turn, worse: bool) -> Reply:
    """Worse the morning after: every exercise of the routine steps back before the plan is made."""
    routine_id = turn.session.get("routine", "full_body")
    turn.stored["morning_checked"] = turn.stored.get("last_session_on")
    if not worse:
        return play(turn, routine_id, "Good.")
    states = turn.stored.setdefault("exercises", {})
    missing = unconfirmed(turn.stored.get("has", []))
    for item in turn.content.get("routine", routine_id)["items"]:
        state = states.get(item["exercise"])
        if state is None:
            continue
        card = turn.content.get("exercise", state["variant"])
        states[item["exercise"]], _ = progress(state, card, {}, True, easier=_easier(turn, card, missing))
    return play(turn, routine_id, "Thanks. Then we'll take a step back today: easier versions, or fewer reps.")


def play(turn: Turn, routine_id: str, lead: str = "") -> Reply:
    """A plan from the routine and the user's stored state: variants, sets, reps and weights."""
    states = turn.stored.setdefault("exercises", {})
    missing = unconfirmed(turn.stored.get("has", []))
    routine = turn.content.get("routine", routine_id)
    kit_notes = []

    def adjust(item: dict, exercise: dict) -> dict:
        start_state = states.get(item["exercise"]) or initial_state(entry_variant(turn.content, exercise["id"]))
        state, note = fit_kit(turn.content, start_state, missing)
        states[item["exercise"]] = state
        if note:
            kit_notes.append(note)
        # A routine may ask for more sets of an exercise (a squats-only session); never fewer, and
        # never more than one in the first week.
        sets = state["sets"] if _first_week(turn) else max(state["sets"], item.get("sets", 0))
        return {"exercise": turn.content.get("exercise", state["variant"]), "sets": sets, "reps": state["reps"]}

    plan = plan_from_routine(turn.content, routine_id, plan_id=f"{PLAN_PREFIX}{routine_id}", adjust=adjust)
    blocks, seen = [], set()
    for block, item in zip(plan["blocks"], routine["items"]):
        if block["id"] in seen:  # missing kit or a step back made two slots the same exercise
            continue
        seen.add(block["id"])
        block["data"]["slot"] = item["exercise"]
        load = states[item["exercise"]].get("load")
        if load and "weights" not in missing:
            block["setup"].insert(0, f"Use {weight_phrase(load)} for this one.")
            block.setdefault("short_setup", []).insert(0, f"Use {weight_phrase(load)} for this one.")
        elif needs_missing(turn.content.get("exercise", block["id"]), ["weights"]):
            block["setup"].insert(0, LOAD_GUIDANCE)
            block.setdefault("short_setup", []).insert(0, LOAD_GUIDANCE)
        blocks.append(block)
    plan["blocks"] = blocks
    plan["data"] = {"started": turn.now.isoformat()}
    plan["listen"] = "SetFeedbackIntent.effort"  # "too hard" between sets is heard as feedback

    # Someone who has done this session before gets straight to it: no introduction, no list.
    done_before = any(entry.get("plan") == plan["id"] for entry in turn.history)
    intro = plan.pop("intro")
    speech = Speech(lead) if done_before else Speech(lead, intro)
    changes = [c for c in turn.stored.pop("changes", []) if isinstance(c, str)]
    # A change to one exercise is said when that exercise starts, so the session starts sooner.
    for block in blocks:
        own = [c for c in changes if c.lower().startswith(block["short_name"].lower())]
        if own:
            said = " ".join(["Since last time:", *own])
            block["setup"].insert(0, said)
            block.setdefault("short_setup", []).insert(0, said)
        changes = [c for c in changes if c not in own]
    if changes:
        speech.say("Since last time:", *changes)
    speech.say(*kit_notes)
    names = [b["short_name"] for b in blocks]
    if not done_before or kit_notes:  # a returning user knows the session, unless missing kit changed it
        speech.say("Today: " + (", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]) + ".")
    if not any(entry.get("owner") == turn.plugin for entry in turn.history):  # said the first time only
        speech.say("After a set, you can tell me too easy, just right or too hard, how many reps you managed, "
                   "or the weight you used.")
    turn.session.clear()
    turn.session["feedback"] = {}
    turn.stored["usual"] = {"routine": routine_id, "date": turn.today.isoformat()}
    return Reply(speech, plan=plan)


def _first_week(turn: Turn) -> bool:
    started = turn.stored.get("started_on")
    return not started or (turn.today - date.fromisoformat(started)).days < FIRST_WEEK_DAYS


@hookimpl
def handle_followup(turn: Turn) -> Reply | None:
    if turn.intent not in ("AMAZON.YesIntent", "AMAZON.NoIntent"):
        return None
    if turn.session.get("step") == "morning_after":
        return morning_after(turn, turn.intent == "AMAZON.YesIntent")
    return _menu_followup(turn)


# -- feedback during (and just after) a session -------------------------------------------------------
def _target(turn: Turn) -> dict | None:
    """The exercise feedback is about: the one playing or just played, or the session's last one."""
    playing = turn.playing
    if playing is not None:
        block = playing["block"]
        slot = (block.get("data") or {}).get("slot")
        if playing["owner"] != turn.plugin or slot is None:
            return None
        return {"slot": slot, "short_name": block["short_name"], "easier": block["data"].get("easier")}
    finished = turn.session.get("finished")
    return finished["last"] if finished else None


def _note(turn: Turn, target: dict, **notes: Any) -> dict | None:
    """Record feedback for the target's slot; after the finish, work its progression out again."""
    slot_notes = turn.session.setdefault("feedback", {}).setdefault(target["slot"], {})
    for key, value in notes.items():
        if key == "reps":
            value = min(value, slot_notes.get("reps", value))
        elif key == "effort" and slot_notes.get("effort") == "hard":
            value = "hard"  # "too hard" on any set counts for the exercise
        slot_notes[key] = value
    finished = turn.session.get("finished")
    if finished is None or target["slot"] not in finished["before"]:
        return None
    previous = finished["changes"].get(target["slot"])
    new = _progress_slot(turn, target["slot"])
    _store_changes(turn)
    return new if new and new != previous else None


def _answer(turn: Turn, said: str, changed: dict | None = None) -> Reply:
    speech = Speech(said)
    if changed:
        speech.say(changed["next"])
    playing = turn.playing
    if playing is not None and playing.get("paused"):
        return Reply(speech, resume_plan=True)
    if playing is None:  # the session is over: back to the menu
        return Reply(speech, to_menu=True, release=True)
    return Reply(speech, prompt=AFTER_SET_PROMPT)


def set_feedback(turn: Turn) -> Reply:
    target = _target(turn)
    effort = turn.slot("effort")
    if target is None:
        return Reply.menu("I use that during a strength session, after a set.")
    if effort not in ("easy", "right", "hard"):
        return Reply.ask("Sorry, how did that set feel?", prompt="Was it too easy, just right, or too hard?",
                         elicit="SetFeedbackIntent.effort")
    easier = (target.get("easier") or "Do fewer reps, and keep them smooth.") if turn.playing else ""
    said = {"easy": "Noted: too easy. I'll build on that.",
            "right": "Great, that's the sweet spot.",
            "hard": f"Noted: too hard. {easier}".strip()}[effort]
    return _answer(turn, said, _note(turn, target, effort=effort))


def reps_done(turn: Turn) -> Reply:
    target = _target(turn)
    try:
        reps = int(turn.slot("reps", ""))
    except ValueError:
        reps = -1
    if target is None:
        return Reply.menu("I keep track of reps during a strength session.")
    if not 0 <= reps <= 100:
        return Reply.ask("Sorry, I didn't get the number.", prompt="Say, for example, I did eight.",
                         elicit="RepsDoneIntent.reps")
    return _answer(turn, f"Got it, {reps} reps on {target['short_name']}.", _note(turn, target, reps=reps))


def weight_used(turn: Turn) -> Reply:
    target = _target(turn)
    try:
        amount = float(turn.slot("amount", ""))
    except ValueError:
        amount = 0.0
    if target is None:
        return Reply.menu("I note weights during a strength session, after a set.")
    if not 0 < amount <= 500:
        return Reply.ask("Sorry, what weight?", prompt="How heavy was it, in kilos or pounds?",
                         elicit="WeightUsedIntent.amount")
    unit = turn.slot("unit")
    if unit not in ("kg", "lb"):
        unit = "kg" if turn.weight_unit == "kilograms" else "lb"
    load = {"amount": amount, "unit": unit}
    state = turn.stored.setdefault("exercises", {}).get(target["slot"])
    if state is not None:
        state["load"] = load  # remembered even if the session is not finished
    changed = _note(turn, target, load=load)
    return _answer(turn, f"Got it: {weight_phrase(load)} for {target['short_name']}. I'll remember that.", changed)


# -- equipment -------------------------------------------------------------------------------------
def _kit_answer(turn: Turn, said: str, missing: bool = False) -> Reply:
    playing = turn.playing
    if playing is not None and playing["owner"] == turn.plugin:
        speech = Speech(said, "That starts with your next session.")
        if missing:
            speech.say("For today, say skip at any exercise you can't do.")
        if playing.get("paused"):
            return Reply(speech, resume_plan=True)
        return Reply(speech, prompt=AFTER_SET_PROMPT)
    return Reply.menu(said)


def missing_equipment(turn: Turn) -> Reply:
    kit = turn.slot("kit")
    if kit not in KIT:
        return Reply.ask("I can work around missing weights, a bar or a bench.", prompt="Which don't you have?")
    has = turn.stored.setdefault("has", [])
    if kit in has:
        has.remove(kit)
    thing = KIT_WORDS[kit].removeprefix("a ")
    pronoun = "it" if KIT_WORDS[kit].startswith("a ") else "them"  # "no weights ... don't need them"
    return _kit_answer(turn, f"Okay, no {thing}. I'll pick exercises that don't need {pronoun}, and remember that.",
                       missing=True)


def have_equipment(turn: Turn) -> Reply:
    kit = turn.slot("kit")
    if kit not in KIT:
        return Reply.ask("I know about weights, a bar and a bench.", prompt="Which do you have?")
    has = turn.stored.setdefault("has", [])
    if kit in has:
        return _kit_answer(turn, f"Good, I already know you have {KIT_WORDS[kit]}.")
    has.append(kit)
    return _kit_answer(turn, f"Great, I'll remember you have {KIT_WORDS[kit]}. Exercises that use it come in "
                             "when they fit your plan, once the easier versions feel strong and pain-free.")


# -- after a session -----------------------------------------------------------------------------
@hookimpl
def plan_finished(turn: Turn, plan: Plan, minutes: float) -> Reply | None:
    if not plan["id"].startswith(PLAN_PREFIX):
        return None
    data = plan.get("data") or {}
    marks = data.get("marks", [])
    slot_of = {b["id"]: b["data"]["slot"] for b in plan["blocks"] if (b.get("data") or {}).get("slot")}
    order = list(slot_of.values())
    states = turn.stored.setdefault("exercises", {})
    finished = turn.session.get("finished")
    if finished is None or finished.get("started") != data.get("started"):  # else: the same plan again
        last = plan["blocks"][-1]
        finished = {"started": data.get("started"), "order": order, "changes": {},
                    "before": {slot: dict(states[slot]) for slot in order if slot in states},
                    "last": {"slot": last["data"]["slot"], "short_name": last["short_name"],
                             "easier": last["data"].get("easier")}}
    # Pain with no exercise named (a pain score) counts for every exercise: the safe reading.
    finished["pain_all"] = any("pain" in m and "block" not in m for m in marks)
    finished["pain"] = sorted({slot_of.get(m.get("block") or m.get("eased_off"), "") for m in marks
                               if ("pain" in m and "block" in m) or "eased_off" in m} - {""})
    finished["skipped"] = sorted({slot_of.get(m["skipped"], "") for m in marks if "skipped" in m} - {""})
    turn.session["finished"] = finished
    turn.stored.setdefault("started_on", turn.today.isoformat())
    turn.stored["last_session_on"] = turn.today.isoformat()
    said = [change["next"] for change in (_progress_slot(turn, slot) for slot in order) if change]
    _store_changes(turn)
    return Reply(Speech(*said)) if said else None


@hookimpl
def plan_stopped(turn: Turn, plan: Plan) -> None:
    """Stopped early for pain: the painful exercises step back; nothing else progresses."""
    if not plan["id"].startswith(PLAN_PREFIX):
        return
    data = plan.get("data") or {}
    marks = data.get("marks", [])
    if any("pain" in m and "block" not in m for m in marks):
        painful = {b["id"] for b in plan["blocks"]}
    else:
        painful = {m.get("block") or m.get("eased_off") for m in marks if "pain" in m or "eased_off" in m}
    unchanged = [{"skipped": b["id"]} for b in plan["blocks"] if b["id"] not in painful]
    plan_finished(turn, {**plan, "data": {**data, "marks": marks + unchanged}}, 0)


def _progress_slot(turn: Turn, slot: str) -> dict | None:
    """Work out one slot's next state from its state before the session and the session's notes."""
    finished = turn.session["finished"]
    before = finished["before"].get(slot)
    if before is None:
        return None
    states = turn.stored.setdefault("exercises", {})
    feedback = turn.session.get("feedback", {}).get(slot, {})
    if slot in finished["skipped"]:
        state, change = dict(before), None
        if feedback.get("load"):
            state["load"] = feedback["load"]
    else:
        missing = unconfirmed(turn.stored.get("has", []))
        card = turn.content.get("exercise", before["variant"])
        pain = finished["pain_all"] or slot in finished["pain"]
        harder, back_up = _harder(turn, card, slot, missing)
        state, change = progress(before, card, feedback, pain, easier=_easier(turn, card, missing),
                                 harder=harder, back_up=back_up, locked=_locked(turn, card, slot, missing),
                                 first_week=_first_week(turn))
    if "before_kit" in before:
        state["before_kit"] = before["before_kit"]
    states[slot] = state
    finished["changes"][slot] = change
    return change


def _store_changes(turn: Turn) -> None:
    finished = turn.session["finished"]
    since = [c["since"] for c in (finished["changes"].get(s) for s in finished["order"]) if c and c.get("since")]
    if since:
        turn.stored["changes"] = since
    else:
        turn.stored.pop("changes", None)


def _doable(turn: Turn, exercise_id: str | None, missing: list[str]) -> dict | None:
    card = turn.content.find("exercise", exercise_id or "")
    return card if card is not None and not needs_missing(card, missing) else None


def _easier(turn: Turn, card: dict, missing: list[str]) -> dict | None:
    return _doable(turn, card["easier"].get("exercise"), missing)


def _next_up(turn: Turn, card: dict, slot: str) -> tuple[str | None, bool]:
    """The next step up, and whether it is the way back toward the slot's own exercise."""
    chain = easier_chain(turn.content, slot)
    if card["id"] in chain[1:]:
        return chain[chain.index(card["id"]) - 1], True
    return card["harder"].get("exercise"), False


def _harder(turn: Turn, card: dict, slot: str, missing: list[str]) -> tuple[dict | None, bool]:
    exercise_id, back_up = _next_up(turn, card, slot)
    return _doable(turn, exercise_id, missing), back_up


def _locked(turn: Turn, card: dict, slot: str, missing: list[str]) -> tuple[dict, str] | None:
    """The step up that waits for kit the user hasn't said they have, with that kit's words."""
    exercise_id, _ = _next_up(turn, card, slot)
    up = turn.content.find("exercise", exercise_id or "")
    if up is None or not needs_missing(up, missing):
        return None
    kit = next(k for k in missing if KIT[k] & set(up.get("equipment", [])))
    return up, KIT_WORDS[kit]
