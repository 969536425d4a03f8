"""The core's own intents, registered through the same hooks as every plugin.

Forgetting a user, progress this week, coaching preferences (hold length, speaking pace, keep
going), skip, and picking up an interrupted session. Unlike third-party plugins these handlers
steer the engine directly through ``turn.exchange``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from skill.api.authoring import register_intents_from
from skill.api.reply import Offer, Reply
from skill.api.turn import Turn
from skill.engine import Position
from skill.engine.timeline import number_word, scaled_hold_seconds
from skill.hookspecs import hookimpl
from skill.pipeline import household, reminder_intents, session_questions, wording
from skill.pipeline.exchange import EngineReply, day_phrase
from skill.speech.builder import Speech
from skill.speech.numbers import seconds_phrase

# Questions about the session in progress, answered by skill.pipeline.session_questions.
QUESTION_INTENTS = {"TimeLeftIntent": "time_left", "WhatsNextIntent": "whats_next", "WhichSideIntent": "which_side",
                    "RepsLeftIntent": "reps_left", "SessionLeftIntent": "session_left"}
HOLD_SCALES = [0.5, 0.75, 1.0, 1.25, 1.5, 2.0]
RATES = [80, 90, 100, 110, 120]

COUNT_PACES = [0.75, 1.0, 1.25, 1.5, 2.0]
# Hold settings as people say them: never a percentage.
HOLD_WORDS = {0.5: "half the usual length", 0.75: "a little shorter than usual", 1.0: "the usual length",
              1.25: "a little longer than usual", 1.5: "half as long again", 2.0: "twice the usual length"}
INTENTS_FILE = Path(__file__).resolve().parent.parent / "voice" / "core_intents.json"


def _question(name: str) -> Callable[[Turn], Reply]:
    def handler(turn: Turn) -> Reply:
        return session_questions.answer(turn.exchange, name)
    handler.__name__ = name
    return handler


@hookimpl
def register_slot_types(register: Callable[[dict], None]) -> None:
    for definition in reminder_intents.SLOT_TYPES:
        register(definition)


@hookimpl
def register_intents(register: Callable[[dict, Callable[[Turn], Reply | None]], None]) -> None:
    handlers = {"ForgetMeIntent": forget_me, "ProgressIntent": progress, "KeepGoingIntent": keep_going,
                "OneAtATimeIntent": one_at_a_time, "SkipIntent": skip, "LongerHoldsIntent": longer,
                "ShorterHoldsIntent": shorter, "SlowerIntent": slower, "FasterIntent": faster,
                "CountSlowerIntent": count_slower, "CountFasterIntent": count_faster, "UseTonesIntent": use_tones,
                "NoTonesIntent": no_tones, "HowDoIDoThisIntent": how_do_i_do_this, "WhatElseIntent": what_else,
                **{intent: _question(name) for intent, name in QUESTION_INTENTS.items()}}
    register_intents_from(register, INTENTS_FILE, handlers)
    for definition, handler in reminder_intents.INTENTS:
        register(definition, handler)


@hookimpl
def launch_offer(turn: Turn) -> Offer:
    paused = turn.exchange.state.resume_point
    nudge = None
    if paused:
        when = day_phrase(date.fromisoformat(paused["date"]), turn.today)
        title = paused["plan"]["title"]
        if paused.get("after"):
            nudge = f"You stopped {title} after {paused['after']} {when}. Pick up there?"
        elif paused.get("during"):
            nudge = f"You stopped {title} during {paused['during']} {when}. Pick up there?"
        else:
            nudge = f"You started {title} {when}. Pick up there?"
    return Offer(title="", try_saying="what did I do this week",
                 help="You can ask what you did this week, change the hold length or my speaking pace, "
                      "ask me to remind you to stretch after your runs, "
                      "or say forget me to delete everything I've stored about you.",
                 priority=100, nudge=nudge, nudge_id="resume_saved")


YES, NO = "AMAZON.YesIntent", "AMAZON.NoIntent"
# Answers to "Pick up there?" that mean yes: "resume", "carry on", "continue", "pick up where I left off".
PICK_UP = (YES, "AMAZON.ResumeIntent")
ASK_AGAIN = ("AMAZON.RepeatIntent", "NotSureIntent")
FORGET_QUESTION = "Are you sure you want me to forget you?"


@hookimpl
def handle_followup(turn: Turn) -> Reply | None:
    asked = turn.session.pop("asked", None) or turn.answering_nudge
    if asked == "forget":
        if turn.intent in (*ASK_AGAIN, "AMAZON.FallbackIntent"):
            return forget_me(turn)
        if turn.intent == YES:
            return _forget(turn)
        return Reply.menu("Okay, I've kept everything as it was.")
    if asked == reminder_intents.ASKED:
        return reminder_intents.answer_confirmation(turn, turn.intent == YES)
    if asked == "resume_saved":
        if turn.intent in PICK_UP:
            return resume_saved(turn)
        if turn.intent == "AMAZON.StartOverIntent":
            return resume_saved(turn, from_the_start=True)
        if turn.intent == NO:
            turn.exchange.state.set_resume_point(None)
            return Reply.menu("No problem, we'll start fresh.")
        turn.session["asked"] = asked  # the question still stands
        if turn.intent in ASK_AGAIN:
            return Reply.ask(prompt="Say yes to pick up where you left off, or no to start fresh.")
    return None


def _forget(turn: Turn) -> Reply:
    turn.session.pop("asked", None)
    reminders = reminder_intents.cancel_before_forgetting(turn.exchange)
    shared = not household.speaker(turn.exchange) and household.uses_voice_profiles(turn.exchange)
    turn.exchange.forget_user()
    done = ("Done. I've deleted the household's shared profile." if shared
            else "Done. I've deleted everything Stride Coach had stored about you.")
    return Reply.end(done, reminders, "Goodbye.")


def resume_saved(turn: Turn, from_the_start: bool = False) -> Reply:
    """Start the interrupted plan from the store at the place it stopped (or from its start)."""
    paused = turn.exchange.state.resume_point
    if from_the_start:
        paused = {**paused, "position": Position().as_dict()}
    lead = "Starting it again from the top." if from_the_start else "Picking up where you left off."
    # Through the safety gates, like any session: a screen that has run out is asked again first.
    return EngineReply(Speech(lead), resume=paused)


def forget_me(turn: Turn) -> Reply:
    """Ask before deleting the speaker's data: a recognised person's own, or the shared profile."""
    if turn.confirmation == "CONFIRMED":
        return _forget(turn)
    if turn.confirmation == "DENIED":
        turn.session.pop("asked", None)
        return Reply.menu("Okay, I've kept everything as it was.")
    turn.session["asked"] = "forget"  # a device may still send the answer as a plain yes or no
    person = household.speaker(turn.exchange)
    if person:
        speech = Speech().name(person).say(
            ", this deletes everything Stride Coach has stored about you: your plan, your progress, your "
            "settings and your reminders. Everyone else in your household keeps theirs.")
        return Reply(speech, prompt=FORGET_QUESTION, confirm="ForgetMeIntent")
    if household.uses_voice_profiles(turn.exchange):
        return Reply(Speech("I don't recognise your voice, so this deletes the household's shared profile: the "
                            "plan, progress, settings and reminders kept for anyone I don't recognise. Everyone's "
                            "own profile stays as it is."), prompt="Shall I delete the shared profile?",
                     confirm="ForgetMeIntent")
    return Reply(Speech("This deletes everything Stride Coach has stored about you: your plan, your progress, "
                        "your settings and your reminders."), prompt=FORGET_QUESTION, confirm="ForgetMeIntent")


def progress(turn: Turn) -> Reply:
    week_ago = turn.today - timedelta(days=6)
    recent = [h for h in turn.history if date.fromisoformat(h["date"]) >= week_ago]
    if not recent:
        speech = Speech("You haven't finished a session in the last seven days yet. A short one today counts.")
    else:
        minutes = round(sum(h["minutes"] for h in recent))
        titles: dict[str, int] = {}
        for entry in recent:
            titles[entry["title"]] = titles.get(entry["title"], 0) + 1
        parts = [title + ("" if n == 1 else f" {_times(n)}") for title, n in titles.items()]
        sessions = "one session" if len(recent) == 1 else f"{number_word(len(recent))} sessions"
        speech = Speech(f"In the last seven days you've finished {sessions}: {', '.join(parts)}. "
                        f"That's about {minutes} minutes in all.")
    streak = streak_days(turn.history, turn.today)
    if streak:
        speech.say(f"Your streak is {streak} {'day' if streak == 1 else 'days'} in a row.")
    for _, sentences in turn.exchange.broadcast("progress_report"):  # each plugin's own trend
        if isinstance(sentences, list):
            speech.say(*(s for s in sentences if isinstance(s, str)))
    return Reply(speech, to_menu=True, release=True)


def _times(n: int) -> str:
    return "twice" if n == 2 else f"{number_word(n)} times"


def streak_days(history: list[dict], today: date) -> int:
    """Consecutive days with a finished session, ending today or yesterday."""
    days = {date.fromisoformat(h["date"]) for h in history}
    day = today if today in days else today - timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    return streak


def _step(turn: Turn, name: str, levels: list, direction: int) -> tuple[float, float]:
    state = turn.exchange.state
    current = state.prefs[name]
    index = min(range(len(levels)), key=lambda i: abs(levels[i] - current))
    new = levels[max(0, min(len(levels) - 1, index + direction))]
    state.set_pref(name, new)
    turn.exchange.player.prefs = state.prefs
    return current, new


def _setting_reply(turn: Turn, said: str) -> Reply:
    if turn.exchange.player.active:
        return Reply.ask(said, prompt="Say resume to carry on.")
    return Reply.menu(said)


def _hold_change(turn: Turn, direction: int) -> Reply:
    before, after = _step(turn, "hold_scale", HOLD_SCALES, direction)
    if before == after:
        edge = "longest" if direction > 0 else "shortest"
        return _setting_reply(turn, f"The holds are already at their {edge} setting.")
    example = scaled_hold_seconds(30, after)
    return _setting_reply(turn, f"Okay, holds will be {HOLD_WORDS.get(after, 'changed')}, so a thirty-second "
                                f"hold lasts {seconds_phrase(example)}. I'll remember that.")


def longer(turn: Turn) -> Reply:
    return _hold_change(turn, +1)


def shorter(turn: Turn) -> Reply:
    return _hold_change(turn, -1)


def _pace_change(turn: Turn, direction: int) -> Reply:
    before, after = _step(turn, "rate", RATES, direction)
    if before == after:
        return _setting_reply(turn, "That's as " + ("fast" if direction > 0 else "slow") + " as I go.")
    return _setting_reply(turn, "Okay, I'll speak " + ("faster" if direction > 0 else "more slowly") + " from now on.")


def slower(turn: Turn) -> Reply:
    return _pace_change(turn, -1)


def faster(turn: Turn) -> Reply:
    return _pace_change(turn, +1)


def _count_change(turn: Turn, direction: int) -> Reply:
    before, after = _step(turn, "count_pace", COUNT_PACES, direction)
    if before == after:
        return _setting_reply(turn, "That's as " + ("slow" if direction > 0 else "fast") + " as I count.")
    said = "Okay, I'll count more slowly, with more time on each rep" if direction > 0 \
        else "Okay, I'll count a little faster"
    return _setting_reply(turn, f"{said}. I'll remember that.")


def count_slower(turn: Turn) -> Reply:
    return _count_change(turn, +1)


def count_faster(turn: Turn) -> Reply:
    return _count_change(turn, -1)


def _tones(turn: Turn, on: bool) -> Reply:
    turn.exchange.state.set_pref("tones", on)
    turn.exchange.player.prefs = turn.exchange.state.prefs
    said = ("Okay, a short tone will mark the start and the end of each hold. I'll remember that." if on
            else "Okay, I'll use words to start and end each hold again.")
    return _setting_reply(turn, said)


def use_tones(turn: Turn) -> Reply:
    return _tones(turn, True)


def no_tones(turn: Turn) -> Reply:
    return _tones(turn, False)


def how_do_i_do_this(turn: Turn) -> Reply:
    """The full set-up of the exercise in progress, then back to it."""
    playing = turn.playing
    if playing is None:
        return Reply.menu("Ask me that during an exercise, and I'll talk you through it.")
    block = playing["block"]
    speech = Speech(f"Here's {block['short_name']} in full.", *block.get("setup", []))
    if block.get("safety"):
        speech.say(block["safety"])
    if playing["paused"]:
        return Reply(speech, resume_plan=True)
    return Reply(speech, prompt=f"Say next for what comes after {block['short_name']}, or repeat to do it again.")


def what_else(turn: Turn) -> Reply:
    """The rest of the help: everything the short help left out, for where the user is."""
    exchange = turn.exchange
    player = exchange.player
    if player.active and exchange.active in (None, player.plan["owner"], "core"):
        return Reply.ask(wording.MORE_IN_PLAN, prompt=wording.RESUME_CUE)
    # Each plugin's help sentence, then the core's own (progress, settings, reminders, forget me).
    speech = Speech(*(o.help for o in exchange.offers() if o.help))
    return Reply(speech.say(wording.MORE_AT_MENU), prompt=wording.MENU_QUESTION, release=True)


def keep_going(turn: Turn) -> Reply:
    return _continuous(turn, True)


def one_at_a_time(turn: Turn) -> Reply:
    return _continuous(turn, False)


def _continuous(turn: Turn, on: bool) -> Reply:
    exchange = turn.exchange
    exchange.state.set_pref("continuous", on)
    if exchange.player.active:
        exchange.player.set_continuous(on)
        if on:
            return EngineReply(played=exchange.player.resume() if exchange.player.state.get("paused")
                               is not None else exchange.player.next())
    said = ("Okay, I'll keep going from one exercise to the next." if on
            else "Okay, I'll stop after each exercise and wait for you.")
    return _setting_reply(turn, said)


def skip(turn: Turn) -> Reply:
    player = turn.exchange.player
    if not player.active:
        return Reply.menu("There's nothing to skip right now.")
    return EngineReply(played=player.skip())
