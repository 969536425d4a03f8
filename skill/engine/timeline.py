"""Turn a session plan and a starting position into a timeline of speech and exact silences.

A plan (``skill/host/schemas/plan.schema.json``) is a list of blocks (exercises). Each block has
sides, sets and a unit of work: a timed *hold* or counted *reps* at a tempo, with rests between
sets. A :class:`Position` says where inside a plan the user is; :func:`render_block` yields the
units of one block from a position, each tagged with the position it belongs to, so a pause
request's timestamp can be mapped back to a position (see :mod:`skill.engine.player`).

How it sounds (see docs/coaching.md):

* a *get-ready window* (the block's ``get_ready_seconds``) after the set-up and before the first
  hold or set, and again on resuming; on a new side the switch is said *before* the rest, and the
  rest (at least the get-ready window) is the time to change sides;
* the full set-up the first time, the block's ``short_setup`` once the user knows the exercise
  (:class:`Coaching` ``familiar``), with the safety line moved into the first hold;
* reps counted one way only: the rep's number as it starts, the tempo in the silences, at the
  user's counting pace;
* recurring lines phrased in several ways (:mod:`skill.speech.phrases`), chosen by the user, the
  plan and the line's place, so two in a row never sound alike;
* optional tones for a hold's start and end.

Exactness rules (tested): the silences of a hold add up to the hold's length; the silences of a set
add up to ``reps x (down + bottom + up + top) x counting pace``; the silences of a rest add up to
the rest; a change of sides lasts the rest or the get-ready window, whichever is longer.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from skill.engine.plan import Block, Plan
from skill.speech.builder import spoken_seconds
from skill.speech.numbers import about_seconds_phrase, number_word, seconds_phrase
from skill.speech.phrases import pick
from skill.speech.ssml import TONE_SECONDS

MIN_RESUME_SECONDS = 5  # a resumed hold or rest never lasts less than this
MIN_GET_READY_SECONDS = 3
DEFAULT_GET_READY_SECONDS = {"hold": 5, "reps": 4}
GET_BACK_SECONDS = 3  # the window after a pause, to get back into position
HALFWAY_FROM_SECONDS = 40  # shorter holds get a form cue in the middle rather than "halfway"
COUNT_WORDS = [number_word(n) for n in range(21)]  # "zero" to "twenty", as the reps are counted
TONE_START = "soundbank://soundlibrary/musical/amzn_sfx_bell_short_chime_01"
TONE_END = "soundbank://soundlibrary/musical/amzn_sfx_bell_short_chime_02"

__all__ = [
    "Coaching",
    "Position",
    "Unit",
    "get_ready_seconds",
    "hold_seconds",
    "number_word",
    "render_block",
    "rep_seconds",
    "side_change_seconds",
    "timed_seconds",
    "unit_seconds",
    "whole_seconds_left",
]


def _at_done(at: Position, done: float) -> Position:
    """``replace(at, done=done)`` at a fraction of the cost: rendering makes thousands per request."""
    return Position(at.block, at.side, at.set, at.phase, done)


# Positions and units are never changed once made, but they are not frozen dataclasses: rendering
# makes hundreds per request, and a frozen dataclass takes four times as long to build.
@dataclass(slots=True, unsafe_hash=True)
class Position:
    """Where the user is: block index, side index, set index, phase and progress in that phase.

    ``phase`` is ``setup`` (before the block's instructions), ``set`` (the start of a set, where a
    response split between sets begins), ``work`` or ``rest`` (a rest after a set, including the
    change of sides after a side's last set); ``done`` is the seconds of hold or rest already done,
    or the repetitions already done.
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


@dataclass(frozen=True)
class Coaching:
    """How one user hears a plan.

    ``seed`` picks the phrasings (the user, so each person hears a stable session); ``familiar``
    holds the ids of exercises the user has done, which get the short set-up; ``tones`` marks a
    hold's start and end with a sound; ``count_pace`` stretches (above 1) or shortens the tempo.
    """

    seed: str = ""
    familiar: frozenset[str] = field(default_factory=frozenset)
    tones: bool = False
    count_pace: float = 1.0

    def as_dict(self) -> dict:
        return {"seed": self.seed, "familiar": sorted(self.familiar), "tones": self.tones,
                "count_pace": self.count_pace}

    @classmethod
    def from_dict(cls, data: dict | None) -> Coaching:
        data = data or {}
        return cls(str(data.get("seed", "")), frozenset(data.get("familiar") or ()), bool(data.get("tones")),
                   float(data.get("count_pace", 1.0)))

    def key(self) -> tuple:
        return (self.seed, tuple(sorted(self.familiar)), self.tones, self.count_pace)


@dataclass(slots=True, unsafe_hash=True)
class Unit:
    """One piece of a response: something said (``text``), a silence (``seconds``) or a tone.

    A tone unit also has ``text``: the words said instead when a response has no room for more
    sound clips. ``split_to`` marks where a response may end when an exercise does not fit in one:
    the next response starts at that position.
    """

    position: Position
    text: str = ""
    seconds: float = 0.0
    counts: bool = False  # a silence that is part of the hold, set or rest itself
    tone: str = ""
    split_to: Position | None = None

    @property
    def is_silence(self) -> bool:
        return not self.text


def hold_seconds(block: Block, hold_scale: float) -> int:
    """The length of one hold for this user: the plan's length times their hold setting.

    A scaled hold longer than 20 s is rounded to 5 s, so that what is said ("forty seconds") is
    both what people say and exactly what is timed.
    """
    return scaled_hold_seconds(block["work"]["seconds"], hold_scale)


def scaled_hold_seconds(seconds: float, hold_scale: float) -> int:
    """``seconds`` of hold at a hold setting, as :func:`hold_seconds` times it."""
    if hold_scale == 1.0:
        return max(MIN_RESUME_SECONDS, int(seconds))
    scaled = seconds * hold_scale
    if scaled > 20:
        return int(5 * ((scaled + 2.5) // 5))
    return max(MIN_RESUME_SECONDS, int(scaled + 0.5))


def short_setup(block: Block) -> list[str]:
    """The set-up for a user who knows the exercise: the block's own, else its first step."""
    return list(block.get("short_setup") or block.get("setup", [])[:1])


def get_ready_seconds(block: Block) -> int:
    """The block's get-ready window (its content's, or a default for its kind), at least 3 s."""
    value = block.get("get_ready_seconds") or DEFAULT_GET_READY_SECONDS[block["work"]["type"]]
    return max(MIN_GET_READY_SECONDS, int(value))


def side_change_seconds(block: Block) -> int:
    """A change of sides lasts the rest between sets or the get-ready window, whichever is longer."""
    return max(int(block.get("rest_seconds", 0)), get_ready_seconds(block))


def timed_seconds(block: Block, position: Position, hold_scale: float) -> float:
    """The whole length of the hold or rest at ``position`` (phase ``work`` of a hold, or ``rest``).

    A rest after a side's last set is the change of sides (:func:`side_change_seconds`).
    """
    if position.phase == "work":
        return hold_seconds(block, hold_scale)
    if position.set == block["sets"] - 1:
        return side_change_seconds(block)
    return block.get("rest_seconds", 0)


def whole_seconds_left(seconds_left: float) -> int:
    """The whole seconds a countdown shows: rounded up, as a countdown is, never below zero.

    Less a millisecond, as the screens' documents and the browser page count, so float noise never
    shows a second more. A resumed hold or rest lasts this: it starts from the number on screen
    when the pause came.
    """
    return max(0, math.ceil(seconds_left - 0.001))


def side_name(block: Block, side: int) -> str | None:
    sides = block.get("sides") or []
    return sides[side] if side < len(sides) else None


def sides_of(block: Block) -> int:
    return max(1, len(block.get("sides") or []))


def rep_seconds(tempo: dict) -> int:
    return tempo["down"] + tempo.get("bottom", 0) + tempo["up"] + tempo.get("top", 0)


def unit_seconds(unit: Unit, rate: int) -> float:
    if unit.tone:
        return TONE_SECONDS
    return unit.seconds if unit.is_silence else spoken_seconds(unit.text, rate)


def _side_words(where: str) -> str:
    return where if where.endswith("side") or " " in where else f"{where} side"


class _Lines:
    """The recurring lines of one block: each kind numbered across the plan (see skill.speech.phrases)."""

    def __init__(self, plan: Plan, index: int, coaching: Coaching, hold_scale: float) -> None:
        self.plan, self.index, self.scale = plan, index, hold_scale
        self.block = plan["blocks"][index]
        self.seed = f"{coaching.seed}:{plan.get('id', '')}"
        self.own = self.block.get("phrasings")
        self._before: dict[tuple, int] = {}  # each count over the earlier blocks, summed once

    def before(self, key: tuple, per_block: Callable[[Block], int]) -> int:
        """How many lines of a kind (``key`` names it) the blocks before this one said."""
        count = self._before.get(key)
        if count is None:
            count = self._before[key] = sum(per_block(b) for b in self.plan["blocks"][:self.index])
        return count

    def say(self, kind: str, ordinal: int, **values: str) -> str:
        return pick(kind, self.seed, ordinal, self.own, **values)

    # the numbering of each kind across the plan
    def per_hold(self, at: Position, min_seconds: int = 0) -> int:
        """Holds so far (those of at least ``min_seconds`` in the blocks before this one)."""
        def count(b: Block) -> int:
            qualifies = b["work"]["type"] == "hold" and (not min_seconds or hold_seconds(b, self.scale) >= min_seconds)
            return sides_of(b) * b["sets"] if qualifies else 0
        return self.before(("hold", min_seconds), count) + at.side * self.block["sets"] + at.set

    def per_rest(self, at: Position, minimum: int = 1) -> int:
        def count(b: Block) -> int:
            return sides_of(b) * (b["sets"] - 1) if b.get("rest_seconds", 0) >= minimum else 0
        return self.before(("rest", minimum), count) + at.side * (self.block["sets"] - 1) + at.set

    def per_side_change(self, at: Position) -> int:
        return self.before(("side_change",), lambda b: sides_of(b) - 1) + at.side

    def per_last_set(self, at: Position) -> int:
        kind = self.block["work"]["type"]
        return self.before(("last_set", kind),
                           lambda b: sides_of(b) if b["sets"] > 1 and b["work"]["type"] == kind else 0) + at.side

    def per_middle_set(self, at: Position) -> int:
        return self.before(("middle_set",),
                           lambda b: sides_of(b) * max(0, b["sets"] - 2) if b["work"]["type"] == "reps" else 0) \
            + at.side * max(0, self.block["sets"] - 2) + at.set - 1

    def per_rep_set(self, at: Position) -> int:
        return self.before(("rep_set",), lambda b: sides_of(b) * b["sets"] if b["work"]["type"] == "reps" else 0) \
            + at.side * self.block["sets"] + at.set


def render_block(plan: Plan, start: Position, hold_scale: float, recue: bool = False,
                 coaching: Coaching | None = None) -> Iterator[Unit]:
    """Every unit of block ``start.block`` from ``start`` to the block's end."""
    coaching = coaching or Coaching()
    index = start.block
    block = plan["blocks"][index]
    lines = _Lines(plan, index, coaching, hold_scale)
    familiar = block["id"] in coaching.familiar
    here = _at_done(start, 0)
    if start.phase == "setup":
        lead = "Next" if index else ("First" if len(plan["blocks"]) > 1 else "Now")
        yield Unit(here, text=f"{lead}, {block['short_name'] if familiar else block['name']}.")
        for step in short_setup(block) if familiar else block.get("setup", []):
            yield Unit(here, text=step)
        if block.get("safety") and not familiar:
            yield Unit(here, text=block["safety"])
    elif recue and start.phase in ("work", "rest"):
        # Keep ``done``: a pause during the re-cue must not restart the hold, rest or set.
        where = side_name(block, start.side)
        yield Unit(start, text=f"Back to {block['short_name']}" + (f", {_side_words(where)}." if where else "."))
    elif start.phase == "set" and start.set == 0 and start.side > 0:
        # A response split at a change of sides starts with the change itself.
        yield from _side_change(lines, Position(index, start.side - 1, block["sets"] - 1, "rest"), None)
    for side in range(start.side, sides_of(block)):
        first_set = start.set if side == start.side else 0
        for set_index in range(first_set, block["sets"]):
            resuming = side == start.side and set_index == start.set and start.phase in ("work", "rest")
            yield from _set_units(lines, Position(index, side, set_index, "work"), start if resuming else None,
                                  hold_scale, coaching, familiar, opens=side == start.side and set_index == start.set)
    # The block is over: a pause during its closing words resumes at the next block, as if the
    # response had played to its end (the last block has no next one to point at).
    closing = Position.start_of(index + 1) if index + 1 < len(plan["blocks"]) \
        else Position(index, sides_of(block) - 1, block["sets"] - 1, "rest", 0)
    yield Unit(closing, text=lines.say("well_done", index))


def _set_units(lines: _Lines, at: Position, resume: Position | None, hold_scale: float, coaching: Coaching,
               familiar: bool, opens: bool) -> Iterator[Unit]:
    block = lines.block
    sets, side_count = block["sets"], sides_of(block)
    kind = block["work"]["type"]
    if resume is None:
        # A response may end before any set but a side's first (a change of sides marks its own).
        split_to = None if opens or at.set == 0 else Position(at.block, at.side, at.set, "set")
        intro = _set_intro(lines, at, opens)
        if intro:
            yield Unit(at, text=intro, split_to=split_to)
            split_to = None
        if (at.set == 0 and at.side == 0) or (opens and at.set > 0):
            yield from _get_ready(lines, at, get_ready_seconds(block), split_to)
        elif split_to is not None:
            yield Unit(at, seconds=0, split_to=split_to)
    elif resume.phase == "work" and _work_left(block, resume.done, hold_scale):
        yield from _get_ready(lines, _at_done(at, resume.done), GET_BACK_SECONDS, None, back=True)
    if resume is None or resume.phase == "work":
        done = resume.done if resume else 0
        if kind == "hold":
            yield from _hold_units(lines, at, done, hold_scale, coaching, familiar and at.side == 0 and at.set == 0)
        else:
            safety = block.get("safety") if familiar and at.side == 0 and at.set == 0 else None
            yield from _rep_units(lines, at, int(done), coaching, safety)
    last_set_of_block = at.side == side_count - 1 and at.set == sets - 1
    if last_set_of_block:
        return
    rest_at = Position(at.block, at.side, at.set, "rest", at.done)
    done = resume.done if resume is not None and resume.phase == "rest" else 0
    if at.set == sets - 1:
        yield from _side_change(lines, rest_at, resume if resume is not None and resume.phase == "rest" else None)
    elif block.get("rest_seconds", 0):
        yield from _rest_units(lines, rest_at, block["rest_seconds"], done)


def _work_left(block: Block, done: float, hold_scale: float) -> bool:
    if block["work"]["type"] == "hold":
        return _remaining(hold_seconds(block, hold_scale), done) > 0
    return int(done) < block["work"]["reps"]


def _set_intro(lines: _Lines, at: Position, opens: bool) -> str:
    """What opens a set: the side's name on a new side, "last set" where it helps, else nothing."""
    block = lines.block
    where = side_name(block, at.side)
    if at.set == 0:
        if not where:
            return ""
        if at.side == 0 or opens:
            return f"{_side_words(where)[0].upper()}{_side_words(where)[1:]}."
        return lines.say("side_start", lines.per_side_change(at) - 1, side=_side_words(where))
    if at.set == block["sets"] - 1:
        kind = "last_hold" if block["work"]["type"] == "hold" and where else "last_set"
        if block["work"]["type"] == "hold" and not where:
            return ""
        return lines.say(kind, lines.per_last_set(at))
    if block["work"]["type"] == "reps":
        return lines.say("next_set", lines.per_middle_set(at))
    return ""


def _get_ready(lines: _Lines, at: Position, seconds: int, split_to: Position | None,
               back: bool = False) -> Iterator[Unit]:
    """The window to get into position: a short cue, then silence (not part of the hold or set)."""
    cue = "Get back into position." if back else lines.say("get_ready", at.block)
    yield Unit(at, text=cue, split_to=split_to)
    yield Unit(at, seconds=seconds)


def _side_change(lines: _Lines, at: Position, resume: Position | None) -> Iterator[Unit]:
    """After a side's last set: how to switch, then the rest, which is the time to change sides."""
    block = lines.block
    total = side_change_seconds(block)
    done = resume.done if resume is not None else 0
    remaining = _remaining(total, done)
    if not remaining:
        return
    ordinal = lines.per_side_change(at)
    if done <= 0:
        words = [lines.say("switch", ordinal)]
        if block.get("switch"):
            words.append(block["switch"])
        if total >= 20:
            words.append(lines.say("change_time", ordinal, rest=about_seconds_phrase(total)))
        yield Unit(_at_done(at, 0), text=" ".join(words),
                   split_to=Position(at.block, at.side + 1, 0, "set"))
    else:  # back from a pause in the middle of changing sides: how to change, again
        yield Unit(_at_done(at, total - remaining), text=block.get("switch") or lines.say("switch", ordinal))
    yield from _timed_silence(at, total - remaining, remaining,
                              countdown=lines.say("change_end", ordinal) if remaining >= 20 else None)


def _remaining(total: float, done: float) -> int:
    """Seconds still to do: all of them, none (within half a second of the end), or what the
    countdown showed at the pause (:func:`whole_seconds_left`), at least 5."""
    if done <= 0:
        return int(total)
    if done >= total - 0.5:
        return 0
    return max(MIN_RESUME_SECONDS, whole_seconds_left(total - done))


def _hold_units(lines: _Lines, at: Position, done: float, hold_scale: float, coaching: Coaching,
                safety_inside: bool) -> Iterator[Unit]:
    block = lines.block
    total = hold_seconds(block, hold_scale)
    remaining = _remaining(total, done)
    if not remaining:
        return
    elapsed = total - remaining  # the hold's own clock, so a pause maps back to hold seconds
    ordinal = lines.per_hold(at)
    cues = block.get("cues") or []
    cue = cues[at.set % len(cues)] if cues else "Breathe slowly."
    middle = cues[(at.set + 1) % len(cues)] if len(cues) > 1 else None
    opening_extra = ""
    if safety_inside and block.get("safety"):
        # A short set-up leaves the safety line out; it is said in the first hold instead.
        if total >= 30:
            middle = block["safety"]
        else:
            opening_extra = " " + block["safety"]
    # The opening words sit at the hold's own clock (``elapsed``), so pausing a resumed hold
    # while they are spoken keeps the seconds already held.
    opening = _at_done(at, elapsed)
    if done > 0:
        yield Unit(opening, text=f"Hold. {cue}")
    elif coaching.tones:
        yield Unit(opening, text="And hold.", tone=TONE_START)
        yield Unit(opening, text=f"{lines.say('hold_start_tone', ordinal, seconds=seconds_phrase(total))} {cue}"
                   + opening_extra)
    else:
        yield Unit(opening, text=f"{lines.say('hold_start', ordinal, seconds=seconds_phrase(total))} {cue}"
                   + opening_extra)
    halfway = None
    if done <= 0 and total >= HALFWAY_FROM_SECONDS:
        halfway = lines.say("halfway", lines.per_hold(at, HALFWAY_FROM_SECONDS))
    yield from _timed_silence(at, elapsed, remaining,
                              countdown=lines.say("ten_left", lines.per_hold(at, 20)),
                              middle=middle, halfway=halfway)
    release = lines.say("release", ordinal)
    yield Unit(_at_done(at, total), text=release, tone=TONE_END if coaching.tones else "")


def _rest_units(lines: _Lines, at: Position, total: int, done: float) -> Iterator[Unit]:
    remaining = _remaining(total, done)
    if not remaining:
        return
    ordinal = lines.per_rest(at)
    yield Unit(_at_done(at, total - remaining), text=lines.say("rest", ordinal, rest=about_seconds_phrase(remaining)))
    yield from _timed_silence(at, total - remaining, remaining,
                              countdown=lines.say("rest_end", lines.per_rest(at, 20)) if remaining >= 20 else None)


def _timed_silence(at: Position, start: float, seconds: int, countdown: str | None, middle: str | None = None,
                   halfway: str | None = None) -> Iterator[Unit]:
    """``seconds`` of silence, with a countdown cue ten seconds before the end of longer ones.

    ``halfway`` (with ``middle``, a form cue) is said at the middle of a long silence; without it,
    ``middle`` alone comes halfway to the countdown.
    """
    if seconds >= 20 and countdown:
        first = seconds - 10
        if halfway and seconds >= HALFWAY_FROM_SECONDS:
            half = seconds // 2
            yield Unit(_at_done(at, start), seconds=half, counts=True)
            yield Unit(_at_done(at, start + half), text=f"{halfway} {middle}" if middle else halfway)
            yield Unit(_at_done(at, start + half), seconds=first - half, counts=True)
        elif middle and first >= 20:
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


def _rep_units(lines: _Lines, at: Position, done: int, coaching: Coaching,
               safety: str | None = None) -> Iterator[Unit]:
    """One counting system: each rep's number as it starts, the tempo in the silences.

    ``safety`` (left out of a short set-up) is said after the first rep, before the second starts.
    """
    work = lines.block["work"]
    tempo, reps = work["tempo"], work["reps"]
    up_word = tempo.get("words", ["down", "up"])[1]
    pace = coaching.count_pace
    first_phase = (tempo["down"] + tempo.get("bottom", 0)) * pace
    second_phase = (tempo["up"] + tempo.get("top", 0)) * pace
    if done >= reps:  # paused on the last rep: the set is complete
        return
    if done:
        left = reps - done
        yield Unit(_at_done(at, done), text=f"{number_word(left).capitalize()} to go." if left > 1 else "One to go.")
    for rep in range(done, reps):
        rep_at = _at_done(at, rep)
        number = number_word(rep + 1).capitalize()
        if rep == reps - 1 and reps > 1:
            yield Unit(rep_at, text=f"{lines.say('last_rep', lines.per_rep_set(at))} {number}.")
        else:
            yield Unit(rep_at, text=f"{number}.")
        yield Unit(rep_at, seconds=first_phase, counts=True)
        yield Unit(rep_at, text=f"{up_word.capitalize()}.")
        yield Unit(rep_at, seconds=second_phase, counts=True)
        if safety and rep == done == 0 and reps > 1:
            yield Unit(_at_done(at, 1), text=safety)
