"""Turn a session plan and a starting position into a timeline of speech and exact silences.

A plan (``skill/host/schemas/plan.schema.json``) is a list of blocks (exercises). Each block has sides,
sets and a unit of work: a timed *hold* or counted *reps* at a tempo, with rests between sets. A
:class:`Position` says where inside a plan the user is; :func:`render_block` yields the units of one
block from a position, each tagged with the position it belongs to, so a pause request's timestamp
can be mapped back to a position (see :mod:`skill.engine.player`).

Exactness rules (tested): the silences of a hold add up to the hold's length; the silences of a set
add up to ``reps x (down + bottom + up + top)``; the silences of a rest add up to the rest.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from skill.engine.plan import Block, Plan
from skill.speech.builder import spoken_seconds

MIN_RESUME_SECONDS = 5  # a resumed hold or rest never lasts less than this
COUNT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
               "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
               "nineteen", "twenty"]


def _at_done(at: Position, done: float) -> Position:
    """``replace(at, done=done)`` at a fraction of the cost: rendering makes thousands per request."""
    return Position(at.block, at.side, at.set, at.phase, done)


def number_word(n: int) -> str:
    return COUNT_WORDS[n] if 0 <= n < len(COUNT_WORDS) else str(n)


# Positions and units are never changed once made, but they are not frozen dataclasses: rendering
# makes hundreds per request, and a frozen dataclass takes four times as long to build.
@dataclass(slots=True, unsafe_hash=True)
class Position:
    """Where the user is: block index, side index, set index, phase and progress in that phase.

    ``phase`` is ``setup`` (before the block's instructions), ``set`` (the start of a set, with its
    side and set announcements), ``work`` or ``rest``; ``done`` is the seconds of hold or rest
    already done, or the repetitions already done.
    """

    block: int = 0
    side: int = 0
    set: int = 0
    phase: str = "setup"
    done: float = 0

    def as_dict(self) -> dict:
        return {"block": self.block, "side": self.side, "set": self.set, "phase": self.phase, "done": self.done}

    @classmethod
    def from_dict(cls, data: dict | None) -> Position:
        return cls(**data) if data else cls()

    @classmethod
    def start_of(cls, block: int) -> Position:
        return cls(block=block)


@dataclass(slots=True, unsafe_hash=True)
class Unit:
    """One piece of a response: something said (``text``) or a silence (``seconds``)."""

    position: Position
    text: str = ""
    seconds: float = 0.0
    counts: bool = False  # a silence that is part of the hold or rest itself

    @property
    def is_silence(self) -> bool:
        return not self.text


def hold_seconds(block: Block, hold_scale: float) -> int:
    """The length of one hold for this user: the plan's length times their hold setting."""
    return max(MIN_RESUME_SECONDS, round(block["work"]["seconds"] * hold_scale))


def side_name(block: Block, side: int) -> str | None:
    sides = block.get("sides") or []
    return sides[side] if side < len(sides) else None


def sides_of(block: Block) -> int:
    return max(1, len(block.get("sides") or []))


def rep_seconds(tempo: dict) -> int:
    return tempo["down"] + tempo.get("bottom", 0) + tempo["up"] + tempo.get("top", 0)


def unit_seconds(unit: Unit, rate: int) -> float:
    return unit.seconds if unit.is_silence else spoken_seconds(unit.text, rate)


def render_block(plan: Plan, start: Position, hold_scale: float, recue: bool = False) -> Iterator[Unit]:
    """Every unit of block ``start.block`` from ``start`` to the block's end."""
    index = start.block
    block = plan["blocks"][index]
    here = _at_done(start, 0)
    if start.phase == "setup":
        lead = "Next" if index else ("First" if len(plan["blocks"]) > 1 else "Now")
        yield Unit(here, text=f"{lead}, {block['name']}.")
        for step in block.get("setup", []):
            yield Unit(here, text=step)
        if block.get("safety"):
            yield Unit(here, text=block["safety"])
    elif recue and start.phase in ("work", "rest"):
        # Keep ``done``: a pause during the re-cue must not restart the hold, rest or set.
        where = side_name(block, start.side)
        yield Unit(start, text=f"Back to {block['short_name']}" + (f", {where} side." if where else "."))
    for side in range(start.side, sides_of(block)):
        first_set = start.set if side == start.side else 0
        for set_index in range(first_set, block["sets"]):
            resuming = side == start.side and set_index == start.set and start.phase in ("work", "rest")
            yield from _set_units(plan, block, Position(index, side, set_index, "work"), start if resuming else None,
                                  hold_scale)
    # The block is over: a pause during its closing words resumes at the next block, as if the
    # response had played to its end (the last block has no next one to point at).
    closing = Position.start_of(index + 1) if index + 1 < len(plan["blocks"]) \
        else Position(index, sides_of(block) - 1, block["sets"] - 1, "rest", 0)
    yield Unit(closing, text="Well done.")


def _set_units(plan: Plan, block: Block, at: Position, resume: Position | None, hold_scale: float) -> Iterator[Unit]:
    sets, side_count = block["sets"], sides_of(block)
    if resume is None:
        where = side_name(block, at.side)
        if at.set == 0 and at.side > 0:
            yield Unit(at, text=block.get("switch") or "Switch sides.")
        if at.set == 0 and where:
            yield Unit(at, text=f"{where[0].upper()}{where[1:]} side.")
        if sets > 1:
            noun = "Hold" if block["work"]["type"] == "hold" else "Set"
            yield Unit(at, text=f"{noun} {number_word(at.set + 1)} of {number_word(sets)}.")
    if resume is None or resume.phase == "work":
        done = resume.done if resume else 0
        if block["work"]["type"] == "hold":
            yield from _hold_units(block, at, done, hold_scale)
        else:
            yield from _rep_units(block, at, int(done))
    last_set_of_block = at.side == side_count - 1 and at.set == sets - 1
    rest = block.get("rest_seconds", 0)
    if rest and not last_set_of_block:
        done = resume.done if resume is not None and resume.phase == "rest" else 0
        yield from _rest_units(Position(at.block, at.side, at.set, "rest", at.done), rest, done)


def _remaining(total: float, done: float) -> int:
    """Seconds still to do: all of them, none (within half a second of the end), or at least 5."""
    if done <= 0:
        return int(total)
    if done >= total - 0.5:
        return 0
    return max(MIN_RESUME_SECONDS, round(total - done))


def _hold_units(block: Block, at: Position, done: float, hold_scale: float) -> Iterator[Unit]:
    total = hold_seconds(block, hold_scale)
    remaining = _remaining(total, done)
    if not remaining:
        return
    elapsed = total - remaining  # the hold's own clock, so a pause maps back to hold seconds
    cues = block.get("cues") or []
    cue = cues[at.set % len(cues)] if cues else "Breathe slowly."
    # The opening words sit at the hold's own clock (``elapsed``), so pausing a resumed hold
    # while they are spoken keeps the seconds already held.
    yield Unit(_at_done(at, elapsed), text=f"Hold for {_seconds_phrase(remaining)}. {cue}" if done <= 0
               else f"Hold. {cue}")
    yield from _timed_silence(at, elapsed, remaining, countdown="Ten seconds left.",
                              middle=cues[(at.set + 1) % len(cues)] if len(cues) > 1 else None)
    yield Unit(_at_done(at, total), text="And release.")


def _rest_units(at: Position, total: int, done: float) -> Iterator[Unit]:
    remaining = _remaining(total, done)
    if not remaining:
        return
    yield Unit(_at_done(at, total - remaining), text=f"Rest for {_seconds_phrase(remaining)}.")
    yield from _timed_silence(at, total - remaining, remaining, countdown="Ten seconds. Get ready.")
    if remaining < 20:
        yield Unit(_at_done(at, total), text="Get ready.")


def _timed_silence(at: Position, start: float, seconds: int, countdown: str,
                   middle: str | None = None) -> Iterator[Unit]:
    """``seconds`` of silence, with a countdown cue ten seconds before the end of longer ones."""
    if seconds >= 20:
        first = seconds - 10
        if middle and first >= 20:
            half = first // 2
            yield Unit(_at_done(at, start), seconds=half, counts=True)
            yield Unit(_at_done(at, start + half), text=middle)
            yield Unit(_at_done(at, start + half), seconds=first - half, counts=True)
        else:
            yield Unit(_at_done(at, start), seconds=first, counts=True)
        yield Unit(_at_done(at, start + first), text=countdown)
        yield Unit(_at_done(at, start + first), seconds=10, counts=True)
    else:
        yield Unit(_at_done(at, start), seconds=seconds, counts=True)


def _rep_units(block: Block, at: Position, done: int) -> Iterator[Unit]:
    work = block["work"]
    tempo, reps = work["tempo"], work["reps"]
    down_word, up_word = tempo.get("words", ["down", "up"])
    if done >= reps:  # paused on the last count: the set is complete
        return
    if done:
        yield Unit(_at_done(at, done), text=f"{_count_phrase(reps - done)} to go.")
    for rep in range(done, reps):
        rep_at = _at_done(at, rep)
        if rep == reps - 1 and reps > 1:
            yield Unit(rep_at, text="Last one.")
        elif rep == reps - 3 and reps >= 6 and not (done and rep == done):  # "Three more to go" said it
            yield Unit(rep_at, text="Three more, keep it smooth.")
        yield from _phase(rep_at, down_word, tempo["down"])
        if tempo.get("bottom"):
            yield Unit(rep_at, seconds=tempo["bottom"], counts=True)
        yield from _phase(rep_at, up_word, tempo["up"])
        if tempo.get("top"):
            yield Unit(rep_at, seconds=tempo["top"], counts=True)
        yield Unit(_at_done(at, rep + 1), text=f"{number_word(rep + 1).capitalize()}.")


def _phase(at: Position, word: str, seconds: int) -> Iterator[Unit]:
    # "Down" then a count each second after the first: "down, two, three"; silence = phase length.
    yield Unit(at, text=f"{word.capitalize()},")
    for second in range(1, seconds + 1):
        yield Unit(at, seconds=1, counts=True)
        if second < seconds:
            yield Unit(at, text=f"{number_word(second + 1)},")


def _seconds_phrase(seconds: float) -> str:
    seconds = int(seconds)
    return f"{number_word(seconds) if seconds <= 20 else seconds} seconds"


def _count_phrase(n: int) -> str:
    return f"{number_word(n).capitalize()} more" if n != 1 else "One more"
