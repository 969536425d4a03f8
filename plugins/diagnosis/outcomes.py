"""Weekly outcome ratings: back pain 0 to 10 and one function rating, and the trend over weeks.

Stored (``turn.stored["outcomes"]``): one entry per week, ``{"date", "pain", "function"}``; the
function rating is the user's own hardest activity, 0 (can't do it) to 10 (as well as before).
Published back-pain programmes track both scores over weeks; a change of about 2 points or 30% is
the usual threshold for a change that matters, and no such change after about six weeks is a
reason to see a physiotherapist or doctor (evidence notes, tier C1).
"""

from __future__ import annotations

from datetime import date
from typing import Any

OUTCOMES_KEPT = 104
REVIEW_AFTER_DAYS = 42
MEANINGFUL_POINTS = 2
MEANINGFUL_SHARE = 0.3
PAIN_PROMPT = ("A quick weekly check, just two numbers. From zero to ten, how bad has your back pain been "
               "this week, on average?")
FUNCTION_PROMPT = ("And from zero to ten, how well can you do the activity your back makes hardest, like running "
                   "or bending, where ten is as well as before?")
NUMBER_PROMPT = "Please give me a number from zero to ten."
REVIEW_ADVICE = ("Your scores haven't changed much over about six weeks. That's a good reason to see a "
                 "physiotherapist or your doctor, who can look at things properly.")


def _week(day: date) -> tuple[int, int]:
    year, week, _ = day.isocalendar()
    return year, week


def due(turn: Any) -> bool:
    """No ratings yet this calendar week."""
    entries = turn.stored.get("outcomes") or []
    return not entries or _week(date.fromisoformat(entries[-1]["date"])) != _week(turn.today)


def ask_pain(turn: Any) -> str:
    turn.session.clear()
    turn.session["step"] = "rating_pain"
    return PAIN_PROMPT


def take(turn: Any, score: int) -> str | None:
    """Note one rating; the next prompt, or None when both are in (and stored)."""
    if turn.session.get("step") == "rating_pain":
        turn.session.update(step="rating_function", pain=score)
        return FUNCTION_PROMPT
    entries = turn.stored.setdefault("outcomes", [])
    entries.append({"date": turn.today.isoformat(), "pain": int(turn.session.get("pain", 0)), "function": score})
    del entries[:-OUTCOMES_KEPT]
    turn.session.clear()
    return None


def meaningful(before: int, after: int) -> bool:
    """A change that matters: about 2 points, or 30% of where it started."""
    change = after - before
    return abs(change) >= MEANINGFUL_POINTS or (before > 0 and abs(change) >= MEANINGFUL_SHARE * before)


def needs_review(entries: list[dict], today: date) -> bool:
    """About six weeks of ratings without a meaningful improvement in pain or in function."""
    if len(entries) < 2:
        return False
    first, last = entries[0], entries[-1]
    if (today - date.fromisoformat(first["date"])).days < REVIEW_AFTER_DAYS:
        return False
    pain_better = last["pain"] < first["pain"] and meaningful(first["pain"], last["pain"])
    function_better = last["function"] > first["function"] and meaningful(first["function"], last["function"])
    return not (pain_better or function_better) and last["pain"] > 0


def trend(entries: list[dict], today: date) -> list[str]:
    """Sentences for "how am I doing": the pain and function scores from the first week to now."""
    if not entries:
        return []
    last = entries[-1]
    if len(entries) == 1:
        return [f"Your first weekly check had your back pain at {last['pain']} out of ten and your hardest "
                f"activity at {last['function']}. I'll ask again next week, so we can see the trend."]
    first = entries[0]
    weeks = max(1, round((date.fromisoformat(last["date"]) - date.fromisoformat(first["date"])).days / 7))
    span = "a week" if weeks == 1 else f"{weeks} weeks"
    said = [f"Your back pain has gone from {first['pain']} to {last['pain']} out of ten over {span}, and your "
            f"hardest activity from {first['function']} to {last['function']}."]
    if needs_review(entries, today):
        said.append(REVIEW_ADVICE)
    elif last["pain"] < first["pain"] and meaningful(first["pain"], last["pain"]):
        said.append("That's a real improvement. Keep going at a pace that feels okay.")
    return said
