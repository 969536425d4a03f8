"""Questions about the timed session in progress, answered from where the user is in it.

"How long is left?", "what's next?", "which side am I on?", "how many reps left?", "how long is
the session?": one sentence from the engine's position, then the plan carries on from exactly
where the question interrupted it (a plan the user had paused stays paused).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from skill.api.reply import Reply
from skill.engine import Position, plan_minutes
from skill.engine.plan import Plan
from skill.engine.timeline import hold_seconds, number_word, side_name, sides_of
from skill.speech.builder import Speech

if TYPE_CHECKING:
    from skill.pipeline.exchange import Exchange

NOTHING_PLAYING = "There's no session going right now, so there's nothing to count down."


def _seconds(seconds: float) -> str:
    whole = max(1, round(seconds))
    if whole >= 90:
        minutes = round(whole / 60)
        return f"about {number_word(minutes)} minutes"
    return f"{number_word(whole) if whole <= 20 else whole} seconds"


def _count(n: int, noun: str) -> str:
    return f"{number_word(n)} {noun}{'' if n == 1 else 's'}"


class Whereabouts:
    """The plan, the block and the position a question is about."""

    def __init__(self, plan: Plan, position: Position, hold_scale: float, rate: int, between: bool) -> None:
        self.plan, self.position, self.hold_scale, self.rate = plan, position, hold_scale, rate
        self.blocks = plan["blocks"]
        self.block = self.blocks[min(position.block, len(self.blocks) - 1)]
        self.between = between  # the response played to its end: the next exercise waits for "next"

    @property
    def started(self) -> bool:
        return self.position.phase in ("work", "rest")

    def time_left(self) -> str:
        block, at = self.block, self.position
        if at.phase == "rest":
            left = block.get("rest_seconds", 0) - at.done
            return f"{_seconds(left).capitalize()} of rest left."
        if at.phase == "work" and block["work"]["type"] == "hold":
            left = hold_seconds(block, self.hold_scale) - at.done
            return f"{_seconds(left).capitalize()} left in this hold."
        if at.phase == "work":
            left = block["work"]["reps"] - int(at.done)
            return f"{_count(left, 'rep').capitalize()} to go in this set."
        if self.between:
            return f"That one's done. Next is {block['name']}."
        return f"{block['short_name'].capitalize()} is just starting: {self._whole_exercise()}."

    def _whole_exercise(self) -> str:
        """How long the exercise takes from its start, set-up and both sides included."""
        minutes = plan_minutes({**self.plan, "blocks": [self.block]}, self.hold_scale, self.rate)
        if minutes < 1:
            return "under a minute in all"
        whole = round(minutes)
        return f"about {number_word(whole)} minute{'' if whole == 1 else 's'} in all"

    def whats_next(self) -> str:
        block, at = self.block, self.position
        if not self.started:
            return f"Next is {block['name']}."
        if at.set + 1 < block["sets"]:
            noun = "hold" if block["work"]["type"] == "hold" else "set"
            return f"Next is {noun} {number_word(at.set + 2)} of {number_word(block['sets'])}."
        if at.side + 1 < sides_of(block):
            return f"Next, the {side_name(block, at.side + 1)} side."
        if at.block + 1 < len(self.blocks):
            return f"After this, {self.blocks[at.block + 1]['name']}."
        return "This is the last one. After it, you're done."

    def which_side(self) -> str:
        block, at = self.block, self.position
        side = side_name(block, at.side)
        if side is None:
            return f"{block['short_name'].capitalize()} has no sides: both together."
        if not self.started:
            return f"{block['short_name'].capitalize()} starts on the {side} side."
        then = ", then the other." if at.side + 1 < sides_of(block) else ", the last one."
        return f"You're on the {side} side{then}"

    def reps_left(self) -> str:
        block, at = self.block, self.position
        sets_after = block["sets"] - at.set - 1 + (sides_of(block) - at.side - 1) * block["sets"]
        after = f" and {_count(sets_after, 'set')} after this one" if sets_after > 0 else ", and it's the last set"
        if not self.started:
            reps = block["work"].get("reps")
            amount = _count(reps, "rep") if reps else _seconds(hold_seconds(block, self.hold_scale))
            return f"{block['short_name'].capitalize()} is {_count(block['sets'], 'set')} of {amount}."
        if block["work"]["type"] == "hold":
            return f"This is hold {number_word(at.set + 1)} of {number_word(block['sets'])}" + \
                (f", and {_count(sets_after, 'more hold')} after it." if sets_after > 0 else ", the last one.")
        left = block["work"]["reps"] - int(at.done) if at.phase == "work" else 0
        return f"{_count(left, 'rep').capitalize()} left in this set{after}."

    def session_left(self) -> str:
        later: Plan = {**self.plan, "blocks": self.blocks[self.position.block + (1 if self.started else 0):]}
        minutes = plan_minutes(later, self.hold_scale, self.rate) if later["blocks"] else 0.0
        exercises = len(later["blocks"])
        if not exercises:
            return "This is the last exercise of the session."
        return (f"{_count(exercises, 'more exercise').capitalize()} after this, about "
                f"{number_word(max(1, round(minutes)))} minute{'' if round(minutes) <= 1 else 's'} in all.")


QUESTIONS: dict[str, Callable[[Whereabouts], str]] = {
    "time_left": Whereabouts.time_left, "whats_next": Whereabouts.whats_next, "which_side": Whereabouts.which_side,
    "reps_left": Whereabouts.reps_left, "session_left": Whereabouts.session_left,
}


def whereabouts(conversation: Exchange) -> Whereabouts | None:
    player = conversation.player
    state = player.state
    position = player.position() if state is not None else None
    if state is None or position is None:
        return None
    end = state.get("end")
    between = state.get("paused") is None and end is not None and position.as_dict() == end
    prefs = conversation.state.prefs
    scale, rate = float(prefs.get("hold_scale", 1.0)), int(prefs.get("rate", 100))
    return Whereabouts(player.plan, position, scale, rate, between)


def carry_on(conversation: Exchange, said: Speech) -> Reply:
    """Say ``said``, then go on as before: the interrupted response again from where it was cut,
    or the paused plan still paused, or the cue the finished response ended on."""
    from skill.pipeline.exchange import EngineReply

    player = conversation.player
    if conversation.playback.interrupted:
        return EngineReply(played=player.resume(lead=said))
    if (player.state or {}).get("paused") is not None:
        return Reply(said, prompt="Say resume when you're ready to carry on.")
    return Reply(said, prompt=conversation.state.core.get("last_prompt") or "Say next when you're ready.")


def answer(conversation: Exchange, question: str) -> Reply:
    """The answer to one of :data:`QUESTIONS`, and the plan going on."""
    where = whereabouts(conversation)
    if where is None:
        return Reply(Speech(NOTHING_PLAYING), to_menu=True, release=True)
    return carry_on(conversation, Speech(QUESTIONS[question](where)))
