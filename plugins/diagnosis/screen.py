"""The short safety screen: which grouped questions to ask, and what each answer leads to.

Privacy: no answer is ever kept, not even in the session. The session holds only which screen is
running and the index of the next question, which implies every earlier answer was "no" (a yes or
not sure ends the screen at once). What is stored is the consequence for coaching, never an
answer: ``screened_on`` (the date of the last completed screen), ``history_asked`` (the history
question is asked once), and ``coaching`` ("gentle" or "stretches_only", see the gate).
"""

from __future__ import annotations

from datetime import date
from typing import Any

SCREEN_VALID_DAYS = 7
FIRST, RECHECK, LEG = "first", "recheck", "leg"
ANSWERS = ("yes", "no", "unsure")


def screen_doc(turn: Any) -> dict:
    return turn.content.get("screen", "screen")


def care_lines(turn: Any) -> dict:
    """The care advice for the request's locale (the default locale's lines for any other)."""
    care = turn.content.get("care", "care")
    return care["locales"].get(turn.locale) or care["locales"][care["default_locale"]]


def screen_is_valid(turn: Any) -> bool:
    screened = turn.stored.get("screened_on")
    return bool(screened) and (turn.today - date.fromisoformat(screened)).days < SCREEN_VALID_DAYS


def questions_for(turn: Any, kind: str) -> list[dict]:
    """The questions of one kind of screen, in order (at most six for a first screen or a re-check)."""
    questions = screen_doc(turn)["questions"]
    if kind == LEG:
        wanted = screen_doc(turn)["leg_screen"]
        return [q for q in questions if q["id"] in wanted]
    skip = "routine" if kind == FIRST else "history"
    return [q for q in questions if q["tier"] != skip]


def start(turn: Any, purpose: str) -> tuple[list[str], str]:
    """Begin a screen: the sentences to say first, and the first question.

    ``purpose`` is what comes after it: ``"checks"`` (the back check) or ``"coaching"`` (whatever
    the core is holding until the screen is done).
    """
    doc = screen_doc(turn)
    kind = RECHECK if turn.stored.get("history_asked") else FIRST
    said = [doc["disclaimer_short"] if turn.stored.get("disclaimer_heard") else doc["disclaimer_full"]]
    said += [doc["recheck_intro"]] if kind == RECHECK else [doc["privacy"], doc["intro"]]
    turn.stored["disclaimer_heard"] = True
    turn.session.clear()
    turn.session.update(step="screen", kind=kind, q=0, purpose=purpose)
    return said, questions_for(turn, kind)[0]["text"]


def start_leg_screen(turn: Any) -> str:
    turn.session.update(step="screen", kind=LEG, q=0, purpose="leg")
    return questions_for(turn, LEG)[0]["text"]


def current_question(turn: Any) -> dict:
    return questions_for(turn, turn.session.get("kind", FIRST))[turn.session.get("q", 0)]


def next_question(turn: Any) -> dict | None:
    """Move past the current question (answered no); the next one, or None at the end."""
    index = turn.session.get("q", 0) + 1
    questions = questions_for(turn, turn.session.get("kind", FIRST))
    if index < len(questions):
        turn.session["q"] = index
        return questions[index]
    return None


def record_completed(turn: Any) -> None:
    turn.stored["screened_on"] = turn.today.isoformat()
    if turn.session.get("kind") == FIRST:
        turn.stored["history_asked"] = True


def void(turn: Any) -> None:
    """A yes or not sure: an earlier all-clear no longer holds, so the next coaching screens again."""
    turn.stored.pop("screened_on", None)
