"""The back check, and the safety rules for every session of every plugin.

* The short safety screen (``screen.py``) before the first coaching of any kind, through the
  core's ``before_coaching`` hook (``gate.py``): at most six grouped questions, yes, no or not
  sure, with the care lines for the user's locale (``content/diagnosis/care.json``).
* The back check: guided self-checks of four muscle groups, grouped by position, and a plan.
* The stop rules in any session: "it hurts" brings a 0 to 10 pain question and then carry on,
  ease off or stop; new leg symptoms bring back the questions that fit them.
* Weekly pain and function ratings (``outcomes.py``) and their trend in "how am I doing".
* Short tips, a flare-up plan and a walk-run return to running (``education.py``).

What is stored (``turn.stored``) and why: ``screened_on`` (the date of the last completed
screen: it counts for a week, and any yes or not sure removes it), ``history_asked``,
``coaching`` and ``gentle_since``/``clearance_asked_on`` (the consequence of the history question
for coaching, never the answer), ``checks`` (levels per muscle group and side, the last twelve),
``outcomes`` (weekly ratings), ``disclaimer_heard``, ``plan_started_on``, ``tips_heard`` and
``walk_run_stage``. No safety answer is ever stored, not even in the session.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from plugins import CONTENT_ROOT
from skill import (
    Block,
    Offer,
    Plan,
    Reply,
    Speech,
    Turn,
    hookimpl,
    plan_from_routine,
    plugin_dir,
    register_intents_from,
    register_slot_types_from,
)

from . import education, gate, outcomes, screen
from .checks import ordered_checks, side_plan
from .plan_rules import comparisons, make_plan

HERE = plugin_dir(__file__)
CONTENT = CONTENT_ROOT / "diagnosis"
CHECKS_KEPT = 12
PAIN_SCORE, CHECK_LEVEL = "PainScoreIntent.score", "CheckLevelIntent.level"  # the slots the back check asks for
LEVEL_WORDS = {"free": "moved freely", "bit_tight": "felt a bit tight", "very_tight": "felt very tight"}
SCHEMAS = ("screen", "care", "self_check", "plan_rules", "education", "walk_run")


# -- contributions ------------------------------------------------------------------------------
@hookimpl
def register_schemas(register: Callable[[str, Any], None]) -> None:
    for kind in SCHEMAS:
        register(kind, HERE / "schemas" / f"{kind}.schema.json")


@hookimpl
def register_content(register: Callable[[str, Any], None]) -> None:
    for kind in ("screen", "care", "plan_rules", "walk_run"):
        register(kind, CONTENT / f"{kind}.json")
    register("self_check", CONTENT / "checks")
    register("education", CONTENT / "education")


@hookimpl
def register_slot_types(register: Callable[[dict], None]) -> None:
    register_slot_types_from(register, HERE / "slot_types.json")


@hookimpl
def register_intents(register: Callable[[dict, Callable[[Turn], Reply | None]], None]) -> None:
    handlers = {"CheckMyBackIntent": start_back_check, "CheckLevelIntent": check_level, "PainIntent": pain,
                "PainScoreIntent": pain_score, "EaseOffIntent": ease_off, "LegSymptomsIntent": leg_symptoms,
                "NotSureIntent": not_sure, "BackTipIntent": education.tip, "FlareUpIntent": education.flare_up,
                "WalkRunIntent": education.walk_run}
    register_intents_from(register, HERE / "intents.json", handlers)


@hookimpl
def before_coaching(turn: Turn, plan: Plan) -> Reply | None:
    return gate.before_coaching(turn, plan)


@hookimpl
def progress_report(turn: Turn) -> list[str]:
    return outcomes.trend(turn.stored.get("outcomes") or [], turn.today)


@hookimpl
def launch_offer(turn: Turn) -> Offer:
    offer = Offer(title="a back check", try_saying="check my back", priority=70,
                  help="For a back check, say check my back: a few safety questions, then simple checks of "
                       "your hips and legs, and a plan to try. For a short tip, say tell me about back pain, "
                       "and for a bad day, say what to do on a bad day.")
    checks = turn.stored.get("checks") or []
    if checks:
        last = date.fromisoformat(checks[-1]["date"])
        recheck_days = turn.content.get("plan_rules", "plan_rules")["recheck_after_days"]
        if (turn.today - last).days >= recheck_days:
            weeks = (turn.today - last).days // 7
            offer.nudge = f"It's been {weeks} weeks since your last back check. Would you like a re-check?"
            offer.nudge_id = "recheck"
        elif turn.stored.get("plan_started_on") != turn.today.isoformat():
            offer.nudge = "Your plan from your last back check is ready. Start your plan?"
            offer.nudge_id = "plan"
    return offer


# -- the safety screen --------------------------------------------------------------------------
def start_back_check(turn: Turn) -> Reply:
    if screen.screen_is_valid(turn):
        doc = screen.screen_doc(turn)
        speech = Speech(doc["disclaimer_short"],
                        "You answered the safety questions recently, so we'll go straight to the checks. "
                        "If anything has changed, like new numbness, bladder or bowel changes, or weaker legs, "
                        "say stop and get it checked first.")
        return begin_checks(turn, speech)
    said, question = screen.start(turn, "checks")
    return Reply(Speech(*said), prompt=question)


def answer_screen(turn: Turn, answer: str) -> Reply:
    """No: the next question. Yes or not sure to the emergency or urgent groups: stop, with care advice."""
    doc = screen.screen_doc(turn)
    question = screen.current_question(turn)
    tier = question["tier"]
    if tier in ("emergency", "urgent") and answer != "no":
        care = screen.care_lines(turn)
        screen.void(turn)
        turn.session.clear()
        line = care[tier] if answer == "yes" else care[f"unsure_{tier}"]
        return Reply(Speech(line), end_session=True, release=True, stop_plan=True)
    if tier == "history" and answer != "no":
        screen.record_completed(turn)
        turn.session["step"] = "clearance"
        return Reply(Speech(), prompt=doc["clearance_question"])
    speech = Speech(doc["routine_advice"]) if tier == "routine" and answer != "no" else Speech()
    following = screen.next_question(turn)
    if following is not None:
        return Reply(speech, prompt=following["text"])
    return finish_screen(turn, speech)


def finish_screen(turn: Turn, speech: Speech) -> Reply:
    if turn.session.get("kind") == screen.LEG:
        return finish_leg_screen(turn, speech)
    screen.record_completed(turn)
    speech.say(screen.screen_doc(turn)["all_clear"])
    return go_on(turn, speech)


def go_on(turn: Turn, speech: Speech) -> Reply:
    """After the screen: the back check's checks, or the coaching the core is holding."""
    purpose = turn.session.get("purpose")
    turn.session.clear()
    if purpose == "checks":
        return begin_checks(turn, speech)
    return Reply(speech, proceed=True)


def answer_clearance(turn: Turn, cleared: bool) -> Reply:
    said, may_go_on = gate.answer_clearance(turn, cleared)
    if may_go_on:
        return go_on(turn, Speech(said))
    turn.session.clear()
    return Reply.menu(said)


def finish_leg_screen(turn: Turn, speech: Speech) -> Reply:
    interrupted = turn.session.get("checks_state")
    turn.session.clear()
    advice = ("Thank you. Please skip any exercise that brings those feelings back, and mention them to a "
              "physiotherapist or doctor.")
    speech.say(advice)
    if interrupted:
        return offer_other_checks(turn, interrupted, speech)
    if turn.playing is None:
        return Reply(speech, to_menu=True, release=True)
    turn.session.update(step="pain_choice", suggest="carry_on")
    return Reply(speech, prompt="Would you like to carry on gently, or stop for today?")


def _screen_reask(turn: Turn) -> Reply | None:
    """Mid-screen or mid-rating, anything else gets the question again: neither is ever dropped."""
    step = turn.session.get("step")
    if step == "screen":
        return Reply(Speech("Please answer yes, no, or not sure."), prompt=screen.current_question(turn)["text"])
    if step == "clearance":
        return Reply(Speech("Please answer yes, no, or not sure."),
                     prompt=screen.screen_doc(turn)["clearance_question"])
    if step in ("rating_pain", "rating_function"):
        prompt = outcomes.PAIN_PROMPT if step == "rating_pain" else outcomes.FUNCTION_PROMPT
        return Reply(Speech(outcomes.NUMBER_PROMPT), prompt=prompt, elicit=PAIN_SCORE)
    return None


def not_sure(turn: Turn) -> Reply:
    step = turn.session.get("step")
    if step == "screen":
        return answer_screen(turn, "unsure")
    if step == "clearance":
        return answer_clearance(turn, False)
    if (reask := _screen_reask(turn)) is not None:
        return reask
    if step == "check" and turn.playing is None:
        return Reply(Speech("That's fine, go with what it felt most like."),
                     prompt=ordered_checks(turn.content)[turn.session["group"]]["question"], elicit=CHECK_LEVEL)
    return Reply.menu("That's okay.")


def begin_checks(turn: Turn, speech: Speech) -> Reply:
    checks = ordered_checks(turn.content)
    turn.session.clear()
    turn.session.update(step="check", group=0, side=0, levels={})
    first = checks[0]
    speech.say(f"Now some simple checks of how your {_names(checks)} feel today. They're comfort checks, "
               "not tests, so only go as far as feels comfortable, and say it hurts if anything is painful.")
    return Reply(speech, plan=side_plan(first, 0))


def _names(checks: list[dict]) -> str:
    names = [c["name"] for c in checks]
    return ", ".join(names[:-1]) + " and " + names[-1]


@hookimpl
def plan_finished(turn: Turn, plan: Plan, minutes: float) -> Reply | None:
    data = plan.get("data") or {}
    if "check" in data:
        if turn.session.get("step") == "check":
            check = turn.content.get("self_check", data["check"])
            return Reply(Speech(), prompt=check["question"], elicit=CHECK_LEVEL)
        # a check picked up on its own (say, from a saved stop) is not part of a back check
        return Reply.menu("That check only counts as part of a back check. Say check my back to do all of them.")
    if plan["id"] == "diagnosis:plan":
        turn.session.clear()
        rules = turn.content.get("plan_rules", "plan_rules")
        if turn.stored.get("coaching") == "stretches_only":
            return Reply.menu("That's the stretches from your plan.", *rules["programme_stretches_only"])
        return Reply.menu("That's the stretches from your plan.", *rules["programme"], rules["next_step"])
    return None


def check_level(turn: Turn) -> Reply:
    if (reask := _screen_reask(turn)) is not None:
        return reask
    level = turn.slot("level")
    if turn.session.get("step") != "check":
        return Reply.menu("I ask how each side feels during a back check. Say check my back to start one.")
    checks = ordered_checks(turn.content)
    if level not in LEVEL_WORDS:
        return Reply.ask("Sorry, I didn't get that.", prompt=checks[turn.session["group"]]["question"],
                         elicit=CHECK_LEVEL)
    group, side = turn.session["group"], turn.session["side"]
    check = checks[group]
    turn.session["levels"].setdefault(check["id"], {})[check["sides"][side]] = level
    said = f"Okay, your {check['sides'][side]} side {LEVEL_WORDS[level]}."
    if side + 1 < len(check["sides"]):
        turn.session["side"] = side + 1
        return Reply.play(side_plan(check, side + 1), said)
    return next_group(turn, said)


def explain_levels(check: dict) -> Speech:
    """What the three answers to a check's question describe, in the question's order."""
    meanings = check["levels"]
    return Speech("I'm asking where you got to on that side, to see how much that muscle lets you move.",
                  f"The first answer: {_lowered(meanings['free'])} That moved freely.",
                  f"The second: {_lowered(meanings['bit_tight'])} That's a bit tight.",
                  f"The third: {_lowered(meanings['very_tight'])} That's very tight.",
                  "If you can't tell, pick the one it was closest to.")


def _lowered(sentence: str) -> str:
    return sentence[:1].lower() + sentence[1:]


def next_group(turn: Turn, said: str) -> Reply:
    checks = ordered_checks(turn.content)
    group = turn.session["group"] + 1
    if group < len(checks):
        turn.session.update(group=group, side=0)
        return Reply.play(side_plan(checks[group], 0), said, f"Next, your {checks[group]['name']}.")
    return finish_checks(turn, said)


def finish_checks(turn: Turn, said: str) -> Reply:
    rules = turn.content.get("plan_rules", "plan_rules")
    levels = turn.session.get("levels", {})
    speech = Speech(said)
    if not levels:  # every check was stopped: nothing to base a plan on, and nothing to save
        turn.session.clear()
        return Reply.menu(said, "None of the checks could be scored today, so I won't suggest a plan from them. "
                                "If pain keeps stopping you, a physiotherapist or doctor can take a proper look.")
    names = {c["id"]: c["name"] for c in ordered_checks(turn.content)}
    history = turn.stored.setdefault("checks", [])
    if history and levels:
        previous = history[-1]
        before = date.fromisoformat(previous["date"])
        when = before.strftime("%B") if (before.year, before.month) != (turn.today.year, turn.today.month) \
            else "your last check"
        speech.say(*comparisons(rules, previous["levels"], levels, when, names))
    if levels:
        history.append({"date": turn.today.isoformat(), "levels": levels})
        del history[:-CHECKS_KEPT]
    plan = make_plan(rules, levels)
    speech.say(rules["intro"], *plan["say"])
    stretches_only = turn.stored.get("coaching") == "stretches_only"
    speech.say(*rules["programme_stretches_only" if stretches_only else "programme"])
    turn.session.clear()
    turn.session["step"] = "plan_offer"
    return Reply(speech, prompt="Would you like to start the stretches from your plan now?")


def start_plan(turn: Turn) -> Reply:
    checks = turn.stored.get("checks") or []
    levels = checks[-1]["levels"] if checks else {}
    plan = make_plan(turn.content.get("plan_rules", "plan_rules"), levels)
    turn.stored["plan_started_on"] = turn.today.isoformat()
    turn.session.clear()
    return Reply.play(plan_stretches(turn, plan["stretch"]), "Here are the stretches from your plan.")


def plan_stretches(turn: Turn, routine_ids: list[str]) -> Plan:
    """One plan from several stretch routines, each exercise once."""
    blocks: list[Block] = []
    seen = set()
    for routine_id in routine_ids:
        for block in plan_from_routine(turn.content, routine_id)["blocks"]:
            if block["id"] not in seen:
                seen.add(block["id"])
                blocks.append(block)
    return {"id": "diagnosis:plan", "owner": "", "title": "your plan's stretches", "blocks": blocks,
            "data": {"routines": routine_ids}}


# -- stop rules, in any session -----------------------------------------------------------------
def pain(turn: Turn) -> Reply:
    step = turn.session.get("step")
    if step == "screen":  # finish the safety questions first; they matter more now
        return Reply(Speech("Thanks for telling me. If the pain is severe or getting worse, please see a doctor or "
                            "physiotherapist. Let's finish the safety questions first."),
                     prompt=screen.current_question(turn)["text"])
    if step == "check":
        check = ordered_checks(turn.content)[turn.session["group"]]
        return offer_other_checks(turn, _stop_check(turn), Speech("Let's stop that check.", check["pain_meaning"]),
                                  stop_plan=True)
    if step is None and turn.playing is None and turn.slot("part") == "back":
        return start_back_check(turn)  # "my back hurts" at the menu: the back check, safety first
    turn.session.clear()
    turn.session["step"] = "pain_score"
    return Reply.ask("Let's pause there.", prompt="On a scale of zero to ten, where ten is the worst pain you can "
                                                    "imagine, how bad is it right now?", elicit=PAIN_SCORE)


def _stop_check(turn: Turn) -> dict:
    """Drop the check in progress (a check stopped for pain or leg symptoms is not scored)."""
    check = ordered_checks(turn.content)[turn.session["group"]]
    levels = dict(turn.session.get("levels") or {})
    levels.pop(check["id"], None)
    return {"group": turn.session["group"], "levels": levels}


def offer_other_checks(turn: Turn, state: dict, speech: Speech, stop_plan: bool = False) -> Reply:
    """After a stopped check: carry on with the checks still to do, or hear the plan so far."""
    turn.session.clear()
    turn.session.update(step="check_pain_continue", group=state["group"], side=0, levels=state["levels"])
    if state["group"] + 1 < len(ordered_checks(turn.content)):
        prompt = "Would you like to carry on with the other checks?"
    elif state["levels"]:
        prompt = "That was the last check. Would you like to hear a plan from the other checks?"
    else:
        reply = finish_checks(turn, "")
        reply.speech = Speech().extend(speech).extend(reply.speech)
        reply.stop_plan = stop_plan
        return reply
    return Reply(speech, prompt=prompt, stop_plan=stop_plan)


def pain_score(turn: Turn) -> Reply:
    step = turn.session.get("step")
    if step in ("rating_pain", "rating_function"):
        return rating(turn)
    if (reask := _screen_reask(turn)) is not None:
        return reask
    if step != "pain_score":
        return Reply.menu("If something hurts, say it hurts, and I'll help you decide what to do.")
    try:
        score = int(turn.slot("score", ""))
    except ValueError:
        score = -1
    if not 0 <= score <= 10:
        return Reply.ask("Please give me a number from zero to ten.", prompt="How bad is the pain right now?",
                         elicit=PAIN_SCORE)
    playing = turn.playing
    if score >= 6:
        turn.session.clear()
        return Reply(Speech("Thanks for telling me. Pain at that level means it's time to stop for today.",
                            "Keep moving gently, and if it doesn't settle, or you're worried, see a doctor or "
                            "physiotherapist. Next time, you can ask me what to do on a bad day."),
                     end_session=True, release=True, stop_plan=True,
                     mark={"pain": score, **({"block": playing["block"]["id"]} if playing else {})})
    if playing is None:
        turn.session.clear()
        advice = ("Mild discomfort that settles soon is usually okay with gentle movement."
                  if score <= 3 else "That's more than we want from exercise, so keep things gentle today.")
        return Reply(Speech(advice, "If pain gets worse or doesn't settle, see a doctor or physiotherapist."),
                     to_menu=True, release=True)
    turn.session.update(step="pain_choice", suggest="carry_on" if score <= 3 else "ease_off")
    if score <= 3:
        lead = "Mild discomfort that settles soon is usually okay."
        prompt = "Would you like to carry on, ease off, or stop?"
    else:
        lead = "That's more than we want, so I'd suggest easing off."
        prompt = "Shall we ease off, or stop for today?"
    return Reply(Speech(lead), prompt=prompt, mark={"pain": score, "block": playing["block"]["id"]})


def ease_off(turn: Turn) -> Reply:
    if (reask := _screen_reask(turn)) is not None:
        return reask
    playing = turn.playing
    turn.session.clear()
    if playing is None:
        return Reply.menu("Okay. Take it gently, and stop anything that makes your symptoms worse.")
    easier = (playing["block"].get("data") or {}).get("easier")
    speech = Speech("Okay, let's ease off.", easier or "Go only as far as feels comfortable.")
    return Reply(speech, resume_plan=True, mark={"eased_off": playing["block"]["id"]})


def leg_symptoms(turn: Turn) -> Reply:
    """New leg symptoms, in any session: stop the exercise and ask the questions that fit them."""
    doc = screen.screen_doc(turn)
    step = turn.session.get("step")
    interrupted = _stop_check(turn) if step == "check" else None
    if step == "screen":  # mid-screen: the screen goes on, and covers the legs
        return Reply(Speech(doc["new_leg_symptoms_intro"]), prompt=screen.current_question(turn)["text"])
    turn.session.clear()
    if interrupted:
        turn.session["checks_state"] = interrupted
    question = screen.start_leg_screen(turn)
    lead = "Please stop the exercise now." if turn.playing is not None or interrupted else "Thanks for telling me."
    return Reply(Speech(lead, doc["new_leg_symptoms_intro"]), prompt=question, stop_plan=interrupted is not None)


def rating(turn: Turn) -> Reply:
    """The weekly pain and function ratings, then the coaching the core is holding."""
    try:
        score = int(turn.slot("score", ""))
    except ValueError:
        score = -1
    if not 0 <= score <= 10:
        return _screen_reask(turn) or Reply.menu("Okay.")
    following = outcomes.take(turn, score)
    if following is not None:
        return Reply(Speech(), prompt=following, elicit=PAIN_SCORE)
    speech = Speech("Thanks, noted.")
    entries = turn.stored.get("outcomes") or []
    if outcomes.needs_review(entries, turn.today):
        speech.say(outcomes.REVIEW_ADVICE)
    return Reply(speech, proceed=True)


@hookimpl
def handle_followup(turn: Turn) -> Reply | None:
    asked = turn.answering_nudge
    step = turn.session.get("step")
    yes = turn.intent == "AMAZON.YesIntent"
    no = turn.intent == "AMAZON.NoIntent"
    if step is None and asked == "plan" and (yes or no):
        return start_plan(turn) if yes else Reply.menu("Okay, it'll be here when you want it.")
    if step is None and asked == "recheck" and (yes or no):
        return start_back_check(turn) if yes else Reply.menu("Okay, maybe another day.")
    if step == "screen":
        return answer_screen(turn, "yes" if yes else "no") if yes or no else _screen_reask(turn)
    if step == "clearance":
        return answer_clearance(turn, yes) if yes or no else _screen_reask(turn)
    if step in ("rating_pain", "rating_function"):
        return _screen_reask(turn)
    if step == "tip_offer" and (yes or no):
        return education.tip(turn) if yes else Reply.menu("Okay.")
    if step == "walk_run_done" and (yes or no):
        return education.walk_run_answer(turn, yes)
    if step == "check" and turn.playing is None:  # the level question is waiting
        check = ordered_checks(turn.content)[turn.session["group"]]
        # Anything but an answer ("what does that mean?") hears what each answer describes.
        speech = Speech() if yes or no else explain_levels(check)
        return Reply(speech, prompt=check["question"], elicit=CHECK_LEVEL)
    if step == "check_pain_continue" and (yes or no):
        turn.session["step"] = "check"
        if turn.session["group"] + 1 >= len(ordered_checks(turn.content)):  # "hear a plan from the others?"
            if yes:
                return finish_checks(turn, "Okay.")
            turn.session.clear()
            return Reply.menu("Okay, we'll leave it there for today.")
        return next_group(turn, "Okay.") if yes else finish_checks(turn, "Okay, we'll stop the checks there.")
    if step == "plan_offer" and (yes or no):
        return start_plan(turn) if yes else Reply.menu("Okay. Your plan is saved, and I'll offer it next time.")
    if step == "pain_choice":
        if yes and turn.session.get("suggest") == "ease_off":  # "Shall we ease off, or stop?" "Yes."
            return ease_off(turn)
        if turn.intent in ("AMAZON.YesIntent", "AMAZON.ResumeIntent", "AMAZON.NextIntent"):
            turn.session.clear()
            return Reply(Speech("Okay, carrying on gently. Stop if it gets worse."), resume_plan=True)
        if no:
            turn.session.clear()
            return Reply(Speech("Okay, let's stop there for today. Keep moving gently, and see a doctor or "
                                "physiotherapist if it doesn't settle."), end_session=True, release=True,
                     stop_plan=True)
    return None
