"""The coaching screen's timeline: what to show at each second of the response that is playing.

The engine plans a response as units of speech and exact silence (:mod:`skill.engine.timeline`).
This walks the same units with the same clock the engine uses to place a pause (estimated speech,
exact silences), and groups them into *frames*: stretches of time with one thing on screen (an
exercise's setup, one hold on one side, a rest, one repetition). A frame's countdown runs only
during the silences that belong to the hold or rest, exactly as the engine counts ``done``, so
the number on screen and the position a pause lands on agree.

A device evaluates a frame's countdown itself from the time since the screen appeared, so no
request is needed per second: ``from`` minus the seconds spent in each counted span
``(s0, l0)``, ``(s1, l1)``, ``(s2, l2)``, never below zero. A frame has at most three spans
(longer runs continue in a following frame), which keeps that expression fixed in the documents.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from skill.engine.plan import Block, Plan, PlayerState
from skill.engine.player import playing_segment
from skill.engine.timeline import Position, Unit, side_name, sides_of, timed_seconds, unit_seconds, whole_seconds_left

SPANS_PER_FRAME = 3
# A response with its document must stay under Alexa's 120 KB: a frame takes under 600 bytes.
MAX_FRAMES = 100
FOREVER_S = 86_400.0  # the last frame stays on screen until the next response replaces it


@dataclass
class _Frame:
    key: tuple
    position: Position
    start: float
    end: float = 0.0
    counted_from: float | None = None
    spans: list[tuple[float, float]] = field(default_factory=list)
    cue: str | None = None  # a cue spoken during the hold, shown from when it is said


def display_name(name: str) -> str:
    """'the half-kneeling hip flexor stretch' -> 'Half-kneeling hip flexor stretch'."""
    for article in ("the ", "a ", "an "):
        if name.lower().startswith(article):
            name = name[len(article):]
            break
    return name[:1].upper() + name[1:]


def _key(plan: Plan, unit: Unit, per_rep: bool) -> tuple:
    position = unit.position
    block = plan["blocks"][position.block]
    if per_rep and position.phase == "work" and block["work"]["type"] == "reps":
        # The count word after the last repetition belongs to that repetition's frame.
        return (position.block, position.side, position.set, "work", min(int(position.done), block["work"]["reps"] - 1))
    phase = "work" if position.phase == "set" else position.phase  # a set's announcements lead into its work
    return (position.block, position.side, position.set, phase)


def _remaining(plan: Plan, position: Position, hold_scale: float) -> float:
    return max(0.0, timed_seconds(plan["blocks"][position.block], position, hold_scale) - position.done)


def frames_of_units(plan: Plan, units: list[Unit], rate: int, hold_scale: float, offset: float,
                    per_rep: bool = True) -> list[dict]:
    """Screen frames for ``units`` played from ``offset`` seconds after the speech begins.

    ``per_rep``: a frame for each repetition of a set (its count on screen), or one for the set.
    """
    frames: list[_Frame] = []
    clock = offset
    for unit in units:
        length = unit_seconds(unit, rate)
        key = _key(plan, unit, per_rep)
        current = frames[-1] if frames else None
        full = current is not None and unit.counts and len(current.spans) == SPANS_PER_FRAME
        new_cue = current is not None and current.key == key and bool(current.spans) and _is_cue(plan, unit)
        continued = full or new_cue
        if current is None or current.key != key or continued:
            if current is not None:
                current.end = clock
            previous = current
            current = _Frame(key, unit.position, clock if frames else 0.0)
            if continued and previous is not None:
                current.counted_from = _continued_from(previous)
                current.cue = unit.text if new_cue else previous.cue
            elif counts_down(plan, unit.position):  # shown before the silence starts, e.g. "Hold for ..."
                current.counted_from = _remaining(plan, unit.position, hold_scale)
            frames.append(current)
        if unit.counts and counts_down(plan, unit.position):
            if not current.spans and not continued:  # the silence's own position is exact
                current.counted_from = _remaining(plan, unit.position, hold_scale)
            current.spans.append((clock, length))
        clock += length
    if frames:
        frames[-1].end = clock
    return [_as_data(plan, frame, hold_scale) for frame in frames]


def _is_cue(plan: Plan, unit: Unit) -> bool:
    return bool(unit.text) and unit.text in (plan["blocks"][unit.position.block].get("cues") or [])


def _continued_from(frame: _Frame) -> float:
    return max(0.0, (frame.counted_from or 0.0) - sum(length for _, length in frame.spans))


def counts_down(plan: Plan, position: Position) -> bool:
    """Whether the screen shows a countdown at ``position``: in a hold, a rest or a change of sides."""
    block = plan["blocks"][position.block]
    if position.phase == "rest":
        # The last set of a block has no rest: that position marks the block's closing words.
        return not (position.side == sides_of(block) - 1 and position.set == block["sets"] - 1)
    return position.phase == "work" and block["work"]["type"] == "hold"


def _as_data(plan: Plan, frame: _Frame, hold_scale: float) -> dict:
    position = frame.position
    blocks = plan["blocks"]
    block = blocks[position.block]
    spans = frame.spans + [(0.0, 0.0)] * (SPANS_PER_FRAME - len(frame.spans))
    data = {
        "t0": round(frame.start, 3), "t1": round(frame.end, 3),
        "name": display_name(block["name"]),
        "side": side_label(block, position.side),
        "exercise": f"Exercise {position.block + 1} of {len(blocks)}",
        "progress": _progress(block, position, frame.key),
        "cue": frame.cue or _cue(block, position, frame.key, bool(frame.spans)),
        "next": _next(blocks, position.block),
        "timed": frame.counted_from is not None,
        "from": round(frame.counted_from or 0.0, 3),
        "big": _big(block, frame.key),
    }
    for index, (start, length) in enumerate(spans):
        data[f"s{index}"], data[f"l{index}"] = round(start, 3), round(length, 3)
    return data


def side_label(block: Block, side: int) -> str:
    where = side_name(block, side)
    return f"{where[:1].upper()}{where[1:]} side" if where else ""


def _progress(block: Block, position: Position, key: tuple) -> str:
    phase = key[3]
    if phase == "setup":
        return "Getting into position"
    sets = block["sets"]
    sides = f" · side {position.side + 1} of {sides_of(block)}" if sides_of(block) > 1 else ""
    if block["work"]["type"] == "hold":
        label = f"Hold {position.set + 1} of {sets}"
    else:
        label = f"Set {position.set + 1} of {sets}"
    if phase == "rest":
        return f"Rest after {label.lower()}{sides}"
    return label + sides


def _cue(block: Block, position: Position, key: tuple, counting: bool) -> str:
    phase = key[3]
    if phase == "setup":
        steps = block.get("setup") or []
        return steps[0] if steps else "Get into position."
    if phase == "rest":
        return "Rest and breathe." if counting else "Well done."
    work = block["work"]
    if work["type"] == "hold":
        cues = block.get("cues") or []
        return cues[position.set % len(cues)] if cues else "Breathe slowly."
    tempo = work["tempo"]
    down_word, up_word = tempo.get("words", ["down", "up"])
    return f"{down_word.capitalize()} for {tempo['down']}, {up_word} for {tempo['up']}."


def _big(block: Block, key: tuple) -> str:
    """The large figure of a frame with no countdown: the repetition in progress."""
    if block["work"]["type"] == "reps" and key[3] == "work" and len(key) > 4:
        return f"{key[4] + 1} / {block['work']['reps']}"
    return ""


def _next(blocks: list[Block], index: int) -> str:
    if index + 1 < len(blocks):
        return "Next: " + display_name(blocks[index + 1]["short_name"])
    return "Last exercise"


def coach_frames(plan: Plan, player: PlayerState) -> list[dict]:
    """The frames of the response the player has just started, from the start of its speech."""
    segment = playing_segment(plan, player)
    timing = (int(player["rate"]), float(player["scale"]), float(player.get("lead", 0.0)))
    frames = frames_of_units(plan, segment.units, *timing)
    if len(frames) > MAX_FRAMES:  # a long run of sets: one frame per set, not per rep
        frames = frames_of_units(plan, segment.units, *timing, per_rep=False)
    return frames


def closing_frame(start: float, title: str, text: str) -> dict:
    """What stays on screen once the response's timeline is over (the cue, or the plan's end)."""
    spans = {f"{name}{index}": 0.0 for index in range(SPANS_PER_FRAME) for name in ("s", "l")}
    return {"t0": round(start, 3), "t1": FOREVER_S, "name": title, "side": "", "exercise": "", "progress": "",
            "cue": text, "next": "", "timed": False, "from": 0.0, "big": "", **spans}


def countdown_at(frame: dict, seconds: float) -> int:
    """The whole seconds a frame's countdown shows ``seconds`` after the speech began (as devices do)."""
    spent = sum(min(max(seconds - frame[f"s{i}"], 0.0), frame[f"l{i}"]) for i in range(SPANS_PER_FRAME))
    return whole_seconds_left(frame["from"] - spent)


def frame_at(frames: list[dict], seconds: float) -> dict | None:
    for frame in frames:
        if frame["t0"] <= seconds < frame["t1"]:
            return frame
    return frames[-1] if frames else None
