"""Which part of a plan goes into each response, and where the user is when they interrupt it.

Response budget: at most ``RESPONSE_BUDGET_S`` (420 s, seven minutes) of planned time and
``SPEECH_CHAR_BUDGET`` characters of SSML per response. Alexa's hard limits are 8000 characters of
speech and 10 s per break; no cap on chained breaks is documented (the 240 s cap applies to
``<audio>`` clips). Seven minutes is more than our longest exercise at its default dose (three
holds on each side with short rests and its setup) plans to, so every default exercise plays
whole in one response (tests/stretches and tests/strength play each one), as hands-free
coaching needs, while bounding what is replayed when a response is cut off. An exercise that
does not fit (long hold settings) is split between sets, and "keep going" adds following
exercises while the response stays within ``CONTINUOUS_BUDGET_S``.

Where the user is: a response starts playing about ``START_LATENCY_S`` after its request's
timestamp; from there the timeline runs through estimated speech time and exact silence time, so a
pause request's timestamp maps to a block, side, set and the seconds done in that hold or rest.
"""

from __future__ import annotations

import os
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache

from skill.engine.memo import BoundedMemo, exact_bytes
from skill.engine.plan import Plan, PlayerState
from skill.engine.timeline import Coaching, Position, Unit, render_block, side_name, unit_seconds
from skill.speech import ssml
from skill.speech.builder import Speech, spoken_seconds

RESPONSE_BUDGET_S = 420.0
# "Keep going" chains whole exercises while the response stays within 15 minutes (and the
# character budget, which usually binds first at two or three exercises). Two default stretches
# take longer than RESPONSE_BUDGET_S, so that cap would make keep-going a no-op; a pause anywhere in a
# long response resumes exactly where it was, so less is lost to a cut-off than the length suggests.
CONTINUOUS_BUDGET_S = 900.0
SPEECH_CHAR_BUDGET = 6500  # leaves room for the closing cue and the prosody wrapper under 8000
START_LATENCY_S = 1.0
BOUNDARY_S = 1e-9


@dataclass
class Played:
    """What the player wants said: speech, a closing cue, and whether the plan just finished."""

    speech: Speech = field(default_factory=Speech)
    prompt: str | None = None
    finished: bool = False


@dataclass
class Segment:
    units: list[Unit]
    end: Position | None  # None when the plan is finished
    _clock: dict[int, tuple[list[float], list[float]]] = field(default_factory=dict, repr=False, compare=False)

    def unit_at(self, elapsed: float, rate: int) -> tuple[int, float]:
        """The index of the unit playing ``elapsed`` seconds in (``len(units)`` past the end) and
        the time its unit started.

        A unit that starts at this very moment is the one playing: summing lengths in floating
        point must not leave a whole-second request a hair before it. The running sums are kept
        per speech rate, as a pause and the control after it both locate in the same segment.
        """
        clock = self._clock.get(rate)
        if clock is None:
            ends: list[float] = []
            end = 0.0
            for unit in self.units:
                end += unit_seconds(unit, rate)
                ends.append(end)
            clock = self._clock[rate] = (ends, [end - BOUNDARY_S for end in ends])
        ends, thresholds = clock
        index = bisect_right(thresholds, elapsed)  # the first unit that ends after ``elapsed``
        return index, ends[index - 1] if index else 0.0


class _Measure:
    """The planned seconds and the SSML length of a run of units, kept as units are added.

    Deciding what fits in a response used to render the SSML of every candidate run; this counts
    the same characters without building the markup. It must agree exactly with
    ``len(Speech().extend(_parts(units)).ssml(rate))`` and with the seconds summed in order
    (tests/test_perf_equivalence.py checks both).
    """

    __slots__ = ("_after_break", "_content", "_pieces", "chars", "seconds")

    def __init__(self) -> None:
        self.seconds: list[float] = []  # summed whole, in order, as sum() over the units did
        self.chars = 0  # the rendered body, without the <speak> and <prosody> wrappers
        self._pieces = False  # ssml.render's body has a piece (even an empty break)
        self._after_break = False  # its last piece is a break tag: no space before a sentence
        self._content = False  # something not empty: a space before it is not stripped away

    def copy(self) -> _Measure:
        other = _Measure()
        other.seconds = self.seconds.copy()
        other.chars, other._pieces = self.chars, self._pieces
        other._after_break, other._content = self._after_break, self._content
        return other

    def add(self, units: list[Unit], rate: int) -> _Measure:
        # The hot loop of planning a response: the fields live in locals while it runs.
        seconds, chars = self.seconds, self.chars
        pieces, after_break, content = self._pieces, self._after_break, self._content
        for unit in units:
            text = unit.text
            if unit.tone:
                seconds.append(ssml.TONE_SECONDS)
                chars += _audio_length(unit.tone)  # ends in "/>", like a break: no space either side
                pieces, after_break, content = True, True, True
                continue
            if not text:  # a silence
                seconds.append(unit.seconds)
                if unit.seconds > 0:  # Speech.pause drops the rest
                    length = _break_length(float(unit.seconds))
                    chars += length
                    pieces, after_break, content = True, length > 0, content or length > 0
                continue
            seconds.append(spoken_seconds(text, rate))
            if text.strip():  # Speech.say drops blank sentences
                if pieces and not after_break and content:
                    chars += 1  # ssml.render's space between two sentences
                length = _text_length(text)
                chars += length
                pieces, after_break, content = True, False, content or length > 0
        self.chars, self._pieces, self._after_break, self._content = chars, pieces, after_break, content
        return self

    def fits(self, rate: int, lead_seconds: float, budget: float = RESPONSE_BUDGET_S) -> bool:
        return lead_seconds + sum(self.seconds) <= budget and self.ssml_length(rate) <= SPEECH_CHAR_BUDGET

    def ssml_length(self, rate: int) -> int:
        return len("<speak></speak>") + self.chars + (_prosody_length(rate) if rate != 100 else 0)


@lru_cache(maxsize=1024)
def _break_length(seconds: float) -> int:
    return len(ssml.break_tags(seconds))


@lru_cache(maxsize=8192)
def _text_length(text: str) -> int:
    return len(ssml.escape(text.strip()))


@lru_cache(maxsize=16)
def _audio_length(src: str) -> int:
    return len(ssml.audio_tag(src))


def _prosody_length(rate: int) -> int:
    return len(f'<prosody rate="{rate}%"></prosody>')


def plan_segment(plan: Plan, start: Position, hold_scale: float, rate: int, continuous: bool,
                 recue: bool, lead_seconds: float = 0.0, coaching: Coaching | None = None) -> Segment:
    """The units of one response starting at ``start``, inside the time and character budgets."""
    units: list[Unit] = []
    measure = _Measure()
    position = start
    blocks = plan["blocks"]
    tones = 0
    while True:
        block_units = _cap_tones(list(render_block(plan, position, hold_scale, recue=recue and not units,
                                                   coaching=coaching)), tones)
        candidate = measure.copy().add(block_units, rate)
        if units and not candidate.fits(rate, lead_seconds, CONTINUOUS_BUDGET_S):
            return Segment(units, position)
        if not units and not candidate.fits(rate, lead_seconds):
            cut = _split_point(block_units, rate, lead_seconds)
            if cut < len(block_units):  # a block of one long set has nowhere to split: play it whole
                return Segment(block_units[:cut], block_units[cut].split_to)
        units += block_units
        tones += sum(1 for u in block_units if u.tone)
        measure = candidate
        following = position.block + 1
        if following >= len(blocks):
            return Segment(units, None)
        position = Position.start_of(following)
        if not continuous:
            return Segment(units, position)


def _cap_tones(units: list[Unit], already: int) -> list[Unit]:
    """Alexa plays at most five clips a response: past that, a hold's marks are said in words.

    Tones come in pairs (a hold's start and end), so a response keeps an even number of them.
    """
    allowed = (ssml.MAX_AUDIO_CLIPS // 2) * 2 - already
    if not any(u.tone for u in units):
        return units
    capped = []
    for unit in units:
        if unit.tone:
            if allowed <= 0:
                unit = Unit(unit.position, text=unit.text, split_to=unit.split_to)
            allowed -= 1
        capped.append(unit)
    return capped


def plan_minutes(plan: Plan, hold_scale: float = 1.0, rate: int = 100) -> float:
    """The planned length of a whole plan, in minutes (speech estimated, silences exact)."""
    plan_bytes = exact_bytes(plan)  # None (not plain data): measured every time
    key = (plan_bytes, hold_scale, rate)
    minutes = _MINUTES.get(key) if plan_bytes is not None else None
    if minutes is None:
        minutes = _measure_minutes(plan, hold_scale, rate)
        if plan_bytes is not None:
            _MINUTES.put(key, minutes)
    return minutes


def _measure_minutes(plan: Plan, hold_scale: float, rate: int) -> float:
    total = 0.0
    for index in range(len(plan["blocks"])):
        position: Position | None = Position.start_of(index)
        while position is not None and position.block == index:
            segment = plan_segment(plan, position, hold_scale, rate, False, False)
            total += sum(unit_seconds(u, rate) for u in segment.units)
            position = segment.end
    return round(total / 60, 1)


# A plan's length is asked for on menus, at the finish and in "how long is left" for the same
# plans again and again; measuring one plays its whole timeline through.
_MINUTES: BoundedMemo[tuple, float] = BoundedMemo(256)


def _split_point(units: list[Unit], rate: int, lead_seconds: float) -> int:
    """Where to end the first part: the last change of sides at which it still fits, else the
    last set boundary (at least one set is kept)."""
    boundaries = [i for i in range(1, len(units)) if units[i].split_to is not None]
    fitting, prefix, measured = [], _Measure(), 0
    for i in boundaries:  # grow one measure along the boundaries rather than re-measure each prefix
        prefix.add(units[measured:i], rate)
        measured = i
        if prefix.fits(rate, lead_seconds):
            fitting.append(i)
    side_changes = [i for i in fitting if units[i].split_to.set == 0]  # type: ignore[union-attr]
    if side_changes:
        return side_changes[-1]
    return fitting[-1] if fitting else (boundaries[0] if boundaries else len(units))


def _parts(units: list[Unit]) -> list:
    speech = Speech()
    for unit in units:
        if unit.tone:
            speech.tone(unit.tone)
        elif unit.is_silence:
            speech.pause(unit.seconds)
        else:
            speech.say(unit.text)
    return speech.parts


class _PlannedSegments:
    """The segments this process planned recently, by an id kept in the player state.

    ``locate`` needs the segment that is playing, which the previous request planned; when the
    same process answered it (a warm container), the segment is taken from here instead of being
    planned again. The entry also holds what the segment was planned from, and is used only when
    the player state still says the same; anything else (another process, an evicted entry) plans again.
    """

    LIMIT = 256

    def __init__(self) -> None:
        self._entries: BoundedMemo[str, tuple[tuple, Segment]] = BoundedMemo(self.LIMIT)

    def put(self, inputs: tuple, segment: Segment) -> str:
        segment_id = os.urandom(8).hex()  # unique across containers too: the id travels in the session
        self._entries.put(segment_id, (inputs, segment))
        return segment_id

    def get(self, segment_id: str | None, inputs: tuple) -> Segment | None:
        entry = self._entries.get(segment_id) if segment_id else None
        return entry[1] if entry is not None and entry[0] == inputs else None

    def keep(self, segment_id: str, inputs: tuple, segment: Segment) -> None:
        """Remember a segment planned again for an id another process gave (a request is often
        located twice: where it interrupted, then by the control it asked for)."""
        self._entries.put(segment_id, (inputs, segment))


_PLANNED = _PlannedSegments()


def _segment_inputs(plan: Plan, player: PlayerState) -> tuple:
    """What the playing segment was planned from, as the player state records it.

    Raw values from the state: equal inputs plan equal segments; a state that says the same thing
    in another form (unsorted ids) only misses the memo and is planned again.
    """
    continuous = player.get("segment_continuous", player["continuous"])
    coaching = player.get("coaching") or {}
    familiar = coaching.get("familiar")
    return (plan.get("id"), len(plan["blocks"]), tuple(player["start"].items()), player["scale"],
            player["rate"], continuous, player.get("recue", False), player.get("lead", 0.0),
            coaching.get("seed"), tuple(familiar) if isinstance(familiar, list) else familiar,
            coaching.get("tones"), coaching.get("count_pace"))


def playing_segment(plan: Plan, player: PlayerState) -> Segment:
    """The units of the response that is playing, as they were planned (its speech after the lead)."""
    # As planned: "keep going" may have changed ``continuous`` since.
    continuous = player.get("segment_continuous", player["continuous"])
    segment_id, inputs = player.get("segment_id"), _segment_inputs(plan, player)
    segment = _PLANNED.get(segment_id, inputs)
    if segment is None:
        segment = plan_segment(plan, Position.from_dict(player["start"]), player["scale"], player["rate"], continuous,
                               player.get("recue", False), player.get("lead", 0.0),
                               Coaching.from_dict(player.get("coaching")))
        if isinstance(segment_id, str) and segment_id:
            _PLANNED.keep(segment_id, inputs, segment)
    return segment


def locate(plan: Plan, player: PlayerState, now: datetime) -> Position | None:
    """Where the user is at ``now`` in the response that is playing (``None``: the plan is done)."""
    if player.get("paused") is not None:
        return Position.from_dict(player["paused"])
    end = Position.from_dict(player["end"]) if player.get("end") is not None else None
    started = player.get("at")
    if not started:
        return end
    elapsed = (now - datetime.fromisoformat(started)).total_seconds() - START_LATENCY_S - player.get("lead", 0.0)
    segment = playing_segment(plan, player)
    index, started_at = segment.unit_at(elapsed, player["rate"])
    if index < len(segment.units):
        return _position_inside(plan, segment.units[index], max(0.0, elapsed - started_at))
    return end


def _position_inside(plan: Plan, unit: Unit, into_unit: float) -> Position:
    position = unit.position
    if unit.counts and (plan["blocks"][position.block]["work"]["type"] == "hold" or position.phase == "rest"):
        return replace(position, done=position.done + into_unit)
    return position


def _new_plan_version() -> str:
    """A new id for the plan as it now is (started, or a mark added): the resume point in the store
    rewrites its copy of the plan only when this differs from the one it has (see skill.state)."""
    return os.urandom(6).hex()


class Player:
    """The engine's state machine over the session attribute ``core["player"]``."""

    def __init__(self, core_session: dict, prefs: dict, now: datetime, seed: str = "",
                 familiar: Callable[[], Iterable[str]] | None = None) -> None:
        self.core = core_session
        self.prefs = prefs
        self.now = now
        self.seed = seed  # picks the phrasings: the same user hears a session the same way
        self._familiar = familiar  # the exercises this user knows, read when a plan starts

    @property
    def state(self) -> PlayerState | None:
        return self.core.get("player")

    @property
    def active(self) -> bool:
        return self.state is not None

    @property
    def _playing(self) -> PlayerState:
        """The state of the plan playing; the controls below are used only while one is."""
        state = self.state
        assert state is not None, "no plan is playing"
        return state

    @property
    def plan(self) -> Plan:
        return self._playing["plan"]

    def position(self) -> Position | None:
        """Where the user is now; ``None`` when the plan is done (or there is no plan any more)."""
        state = self.state
        if state is None:
            return None
        return locate(state["plan"], state, self.now)

    def start(self, plan: Plan, position: Position | None = None, lead: Speech | None = None,
              recue: bool = False) -> Played:
        known = sorted(set(self._familiar()) & {b["id"] for b in plan["blocks"]}) if self._familiar else []
        self.core["player"] = {"plan": plan, "continuous": bool(self.prefs.get("continuous")),
                               "plan_version": _new_plan_version(), "familiar": known}
        return self._play(position or Position(), lead or Speech(), recue)

    def coaching(self) -> Coaching:
        """How this user hears the plan now: tones and counting pace can change during it."""
        state = self.state
        known = state.get("familiar") if state is not None else None
        return Coaching(seed=self.seed, familiar=frozenset(known or ()),
                        tones=bool(self.prefs.get("tones")), count_pace=float(self.prefs.get("count_pace", 1.0)))

    def _play(self, start: Position, lead: Speech, recue: bool) -> Played:
        state = self._playing
        scale, rate = float(self.prefs.get("hold_scale", 1.0)), int(self.prefs.get("rate", 100))
        lead_seconds = lead.estimated_seconds(rate)
        coaching = self.coaching()
        segment = plan_segment(state["plan"], start, scale, rate, state["continuous"], recue, lead_seconds, coaching)
        state.update({"start": start.as_dict(), "end": segment.end.as_dict() if segment.end else None,
                      "at": self.now.isoformat(), "lead": lead_seconds, "recue": recue, "scale": scale, "rate": rate,
                      "paused": None, "segment_continuous": state["continuous"], "coaching": coaching.as_dict()})
        state["segment_id"] = _PLANNED.put(_segment_inputs(state["plan"], state), segment)
        speech = Speech().extend(lead).extend(_parts(segment.units))
        if segment.end is None:
            return Played(speech, finished=True)
        return Played(speech, prompt=self._cue(segment.end))

    def _cue(self, end: Position) -> str:
        if end.phase == "set":
            where = side_name(self.plan["blocks"][end.block], end.side) if end.set == 0 else None
            if where:
                return f"Say continue when you're ready for the {where if ' ' in where else where + ' side'}."
            return "Say continue when you're ready for the rest of this exercise."
        following = self.plan["blocks"][end.block]
        return f"Say next for {following['short_name']}, or repeat to do that one again."

    # -- controls ------------------------------------------------------------------------------
    def pause(self) -> Played:
        position = self.position()
        if position is None:
            return self.finish_now()
        self._playing.update({"paused": position.as_dict(), "at": None})
        block = self.plan["blocks"][position.block]
        return Played(Speech(f"Paused during {block['short_name']}."),
                      prompt="Say resume when you're ready to carry on.")

    def resume(self, lead: Speech | None = None) -> Played:
        """Play on from where the user is, after ``lead`` (an answer said before the plan goes on)."""
        position = self.position()
        if position is None:
            return self.finish_now()
        return self._play(position, lead or Speech(), recue=position.phase in ("work", "rest"))

    def next(self) -> Played:
        position = self.position()
        if position is None:
            return self.finish_now()
        if position.phase == "set":  # the response stopped between two sets of a long exercise
            return self._play(position, Speech(), recue=False)
        # At the response's end (also when "pause" came after it finished) nothing is skipped.
        played_to_end = position == self._end()
        target = position.block if played_to_end else position.block + 1
        if not played_to_end:
            self._mark_skipped(position.block)
        if target >= len(self.plan["blocks"]):
            return self.finish_now()
        return self._play(Position.start_of(target), Speech(), recue=False)

    def skip(self) -> Played:
        position = self.position()
        if position is None:
            return self.finish_now()
        # Between exercises (the response played to its end) skip moves on to the next one; inside
        # an exercise, including between the parts of a split one, it leaves the rest of it.
        between = position == self._end() and position.phase == "setup"
        if not between:
            self._mark_skipped(position.block)
        target = position.block if between else position.block + 1
        if target >= len(self.plan["blocks"]):
            return self.finish_now()
        return self._play(Position.start_of(target), Speech("Skipping ahead."), recue=False)

    def _mark_skipped(self, block: int) -> None:
        self.add_mark({"skipped": self.plan["blocks"][block]["id"]})

    def add_mark(self, mark: dict) -> None:
        """Note something for the plan's owner (``plan["data"]["marks"]``): a skip, pain, "too hard"."""
        self.plan.setdefault("data", {}).setdefault("marks", []).append(mark)
        self._playing["plan_version"] = _new_plan_version()

    def previous(self) -> Played:
        current = self._current_block()
        return self._play(Position.start_of(max(0, current - 1)), Speech("Going back."), recue=False)

    def repeat(self) -> Played:
        return self._play(Position.start_of(self._current_block()), Speech("Again."), recue=False)

    def start_over(self) -> Played:
        return self._play(Position(), Speech("Starting from the top."), recue=False)

    def set_continuous(self, on: bool) -> None:
        self._playing["continuous"] = on

    def finish_now(self) -> Played:
        """The plan is over with nothing left to play (next or skip past the last exercise)."""
        self._playing.update({"at": None, "paused": None})
        return Played(Speech(), finished=True)

    def _end(self) -> Position | None:
        state = self._playing
        return Position.from_dict(state["end"]) if state.get("end") is not None else None

    def _current_block(self) -> int:
        """The exercise being done, or just finished when the response played to its end."""
        position = self.position()
        if position is None:
            return len(self.plan["blocks"]) - 1
        if position == self._end() and position.phase == "setup":
            return max(0, position.block - 1)
        return position.block

    def last_completed_block(self, position: Position | None) -> int | None:
        if position is None:
            return len(self.plan["blocks"]) - 1
        return position.block - 1 if position.block > 0 else None

    def clear(self) -> None:
        self.core.pop("player", None)
