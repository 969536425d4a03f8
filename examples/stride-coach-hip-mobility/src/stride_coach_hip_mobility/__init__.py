"""Hip mobility for runners: a Stride Coach plugin written the way any third-party author would.

Everything Stride Coach needs from it goes through the documented hooks (Stride Coach's
``docs/plugins.md``): the JSON content is validated by the core when the skill starts, the routine
is played by the core's timed-session engine, and the plugin only decides what to offer, what to
play and what to say at the end. Stored per user (``turn.stored``): ``sessions`` (how many
routines were finished) and ``last`` (the date of the last one).
"""

from __future__ import annotations

from pathlib import Path

from skill import (
    Offer,
    Reply,
    Speech,
    hookimpl,
    plan_from_routine,
    register_exercises_and_routines,
    register_intents_from,
)

HERE = Path(__file__).resolve().parent
CONTENT = HERE / "content"
ROUTINE = "hip_mobility"
TIP_KIND = "hip_tip"  # a content kind this plugin defines, with its own JSON Schema


@hookimpl
def register_schemas(register):
    register(TIP_KIND, HERE / "schemas" / "hip_tip.schema.json")


@hookimpl
def register_content(register):
    register_exercises_and_routines(register, CONTENT)
    register(TIP_KIND, CONTENT / "tips")


@hookimpl
def register_intents(register):
    register_intents_from(register, HERE / "intents.json", {"HipMobilityIntent": start_routine})


@hookimpl
def launch_offer(turn):
    return Offer(title="hip mobility", try_saying="hip mobility", priority=40,
                 help="For hip mobility, say hip mobility: hip circles, ninety-ninety hip switches and a "
                      "supported deep squat, about six minutes.")


def start_routine(turn) -> Reply:
    """Play the routine; a returning user hears how many they have done before."""
    plan = plan_from_routine(turn.content, ROUTINE, plan_id=f"hip_mobility:{ROUTINE}")
    plan["data"] = {"started": turn.now.isoformat()}  # tells a replayed finish from a new one
    done = turn.stored.get("sessions", 0)
    lead = f"Welcome back to hip mobility, session number {done + 1}." if done else None
    return Reply.play(plan, *(s for s in (lead, plan.pop("intro")) if s))


@hookimpl
def plan_finished(turn, plan, minutes):
    """Count the session and close with the next tip, in order, round and round.

    The hook fires again if the user interrupts the last response and plays it again, so the
    session is counted once per start.
    """
    started = (plan.get("data") or {}).get("started")
    sessions = turn.stored.get("sessions", 0)
    if turn.stored.get("counted") != started:
        sessions += 1
        turn.stored.update(sessions=sessions, last=turn.today.isoformat(), counted=started)
    tips = sorted(turn.content.all(TIP_KIND), key=lambda tip: tip["order"])
    return Reply(Speech(tips[(sessions - 1) % len(tips)]["text"])) if tips else None
