"""Short tips about back pain, the flare-up plan and the walk-run return to running: offered, never forced.

Stored: ``tips_heard`` (how many tips the user has heard, so the next one is new) and
``walk_run_stage`` (the stage of the walk-run plan the user is on).
"""

from __future__ import annotations

from typing import Any

from skill import Reply, Speech

FLARE_UP_ID = "flare_up"
ROTATION_ORDER_LIMIT = 10  # snippets ordered 10 and above are said on request only


def _tips(turn: Any) -> list[dict]:
    snippets = [d for d in turn.content.all("education") if d["order"] < ROTATION_ORDER_LIMIT]
    return sorted(snippets, key=lambda d: d["order"])


def tip(turn: Any) -> Reply:
    """The next tip in turn, then the offer of another."""
    tips = _tips(turn)
    heard = int(turn.stored.get("tips_heard", 0))
    snippet = tips[heard % len(tips)]
    turn.stored["tips_heard"] = heard + 1
    turn.session.clear()
    turn.session["step"] = "tip_offer"
    return Reply(Speech(snippet["text"]), prompt="Would you like another tip?")


def flare_up(turn: Any) -> Reply:
    turn.session.clear()
    return Reply.menu(turn.content.get("education", FLARE_UP_ID)["text"])


def _stage_words(stage: dict) -> str:
    if not stage["walk_minutes"]:
        return f"run for {stage['run_minutes']} minutes, easy."
    return (f"run for {_minutes(stage['run_minutes'])}, then walk for {_minutes(stage['walk_minutes'])}, "
            f"and repeat that {stage['rounds']} times.")


def _minutes(n: int) -> str:
    return "1 minute" if n == 1 else f"{n} minutes"


def walk_run(turn: Any) -> Reply:
    plan = turn.content.get("walk_run", "walk_run")
    stage = min(int(turn.stored.get("walk_run_stage", 0)), len(plan["stages"]) - 1)
    speech = Speech()
    if "walk_run_stage" not in turn.stored:
        speech.say(plan["intro"])
        turn.stored["walk_run_stage"] = 0
    speech.say(f"You're on stage {stage + 1} of {len(plan['stages'])}: {_stage_words(plan['stages'][stage])}",
               plan["pain_rule"])
    turn.session.clear()
    turn.session["step"] = "walk_run_done"
    return Reply(speech, prompt="Have you done this stage twice, with pain at three or less and no worse "
                                "the next morning?")


def walk_run_answer(turn: Any, done_twice: bool) -> Reply:
    plan = turn.content.get("walk_run", "walk_run")
    turn.session.clear()
    stage = int(turn.stored.get("walk_run_stage", 0))
    if not done_twice:
        return Reply.menu("Then stay on this stage for now.", plan["move_on"])
    if stage + 1 >= len(plan["stages"]):
        return Reply.menu(plan["done"])
    turn.stored["walk_run_stage"] = stage + 1
    return Reply.menu(f"Well done. Next, stage {stage + 2}: {_stage_words(plan['stages'][stage + 1])}",
                      "Keep the same pain rule.")
