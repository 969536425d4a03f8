"""The timed-session engine on hand-made plans: exact holds, cues, tempo counts, rests, resume
positions, split points, the continuous budget, and locating a pause in a planned response."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from skill.engine.player import (
    CONTINUOUS_BUDGET_S,
    RESPONSE_BUDGET_S,
    SPEECH_CHAR_BUDGET,
    START_LATENCY_S,
    Player,
    _parts,
    locate,
    plan_minutes,
    plan_segment,
)
from skill.engine.timeline import Coaching, Position, Unit, get_ready_seconds, hold_seconds, render_block, unit_seconds
from skill.speech.builder import Speech
from skill.speech.numbers import seconds_phrase
from skill.speech.phrases import line_kind, line_values

T0 = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)


# -- hand-made plans ---------------------------------------------------------------------------
def hold_block(ident="hold", *, seconds=30, sets=2, sides=("right", "left"), rest=8, cues=("Cue one.", "Cue two."),
               **extra) -> dict:
    block = {"id": ident, "name": f"the {ident} stretch", "short_name": f"the {ident}", "setup": ["Get into position."],
             "safety": "Ease off if anything hurts.", "cues": list(cues), "sides": list(sides), "sets": sets,
             "rest_seconds": rest, "work": {"type": "hold", "seconds": seconds}}
    block.update(extra)
    return block


def reps_block(ident="reps", *, reps=8, tempo=None, sets=2, sides=(), rest=20) -> dict:
    return {"id": ident, "name": f"the {ident} drill", "short_name": f"the {ident}", "setup": ["Stand tall."],
            "safety": "Stay in a comfortable range.", "cues": ["Smooth."], "sides": list(sides), "sets": sets,
            "rest_seconds": rest,
            "work": {"type": "reps", "reps": reps, "tempo": tempo or {"down": 2, "up": 1}}}


def plan_of(*blocks) -> dict:
    return {"id": "test", "owner": "test", "title": "the test plan", "blocks": list(blocks)}


def units_of(plan, start=None, scale=1.0, recue=False) -> list[Unit]:
    return list(render_block(plan, start or Position(), scale, recue=recue))


def texts(units) -> list[str]:
    return [u.text for u in units if not u.is_silence]


def between(units, first_prefix: str, last_text: str) -> list[list[Unit]]:
    """Runs of units from a text starting with ``first_prefix`` up to the text ``last_text``."""
    runs, current = [], None
    for unit in units:
        if not unit.is_silence and unit.text.startswith(first_prefix):
            current = []
        if current is not None:
            current.append(unit)
            if unit.text == last_text:
                runs.append(current)
                current = None
    return runs


def silence(units) -> float:
    return sum(u.seconds for u in units if u.is_silence)


START = Position()


def state_for(plan, start=START, scale=1.0, rate=100, continuous=False, recue=False, lead=0.0, at=T0) -> dict:
    segment = plan_segment(plan, start, scale, rate, continuous, recue, lead)
    return {"plan": plan, "continuous": continuous, "start": start.as_dict(),
            "end": segment.end.as_dict() if segment.end else None, "at": at.isoformat(), "lead": lead,
            "recue": recue, "scale": scale, "rate": rate, "paused": None}


def playing_at(seconds: float, lead: float = 0.0) -> datetime:
    """The request time for ``seconds`` into the engine's own units (after latency and lead)."""
    return T0 + timedelta(seconds=START_LATENCY_S + lead + seconds)


def timeline(units, rate=100) -> list[tuple[float, float, Unit]]:
    clock, out = 0.0, []
    for unit in units:
        length = unit_seconds(unit, rate)
        out.append((clock, clock + length, unit))
        clock += length
    return out


# -- holds ---------------------------------------------------------------------------------------
def kind(unit: Unit) -> str | None:
    return line_kind(unit.text) if unit.text else None


def runs(units, first_kind: str, last_kind: str) -> list[list[Unit]]:
    """Runs of units from a line of ``first_kind`` up to a line of ``last_kind`` (any phrasing)."""
    out, current = [], None
    for unit in units:
        if kind(unit) == first_kind or (first_kind == "hold_start" and unit.text.startswith("Hold. ")):
            current = []
        if current is not None:
            current.append(unit)
            if kind(unit) == last_kind:
                out.append(current)
                current = None
    return out


def holds_of(units):
    return runs(units, "hold_start", "release")


@pytest.mark.parametrize("seconds", [1, 5, 12, 19, 20, 25, 30, 45, 61, 120])
@pytest.mark.parametrize("scale", [0.5, 0.75, 1.0, 1.25, 2.0])
def test_every_hold_is_exactly_its_length_in_silence(seconds, scale):
    plan = plan_of(hold_block(seconds=seconds, sets=3))
    scaled = seconds * scale
    expected = seconds if scale == 1.0 and seconds >= 5 else (
        int(5 * ((scaled + 2.5) // 5)) if scaled > 20 else max(5, int(scaled + 0.5)))
    assert hold_seconds(plan["blocks"][0], scale) == expected
    holds = holds_of(units_of(plan, scale=scale))
    assert len(holds) == 6  # three holds on each of two sides
    for hold in holds:
        assert silence(hold) == expected
        assert all(u.seconds <= expected for u in hold if u.is_silence)
        assert line_values(hold[0].text, "hold_start")["seconds"] == seconds_phrase(expected)


def test_scaled_holds_are_round_numbers_people_say():
    block = hold_block(seconds=30)
    assert [hold_seconds(block, s) for s in (0.5, 0.75, 1.25, 1.5, 2.0)] == [15, 25, 40, 45, 60]


@pytest.mark.parametrize("seconds, countdown_expected", [(5, False), (19, False), (20, True), (30, True), (90, True)])
def test_countdown_cue_comes_ten_seconds_before_release(seconds, countdown_expected):
    hold = holds_of(units_of(plan_of(hold_block(seconds=seconds, sets=1, sides=()))))[0]
    countdowns = [i for i, u in enumerate(hold) if kind(u) == "ten_left"]
    assert bool(countdowns) == countdown_expected
    if countdown_expected:
        assert silence(hold[countdowns[0]:]) == 10
        assert silence(hold[:countdowns[0]]) == seconds - 10


def test_a_middle_cue_splits_the_first_part_of_a_hold_and_long_holds_say_halfway():
    hold = holds_of(units_of(plan_of(hold_block(seconds=30, sets=1, sides=()))))[0]
    assert [kind(u) or (u.text if u.text else u.seconds) for u in hold] == [
        "hold_start", 10, "Cue two.", 10, "ten_left", 10, "release"]
    long = holds_of(units_of(plan_of(hold_block(seconds=60, sets=1, sides=()))))[0]
    shape = [kind(u) or u.seconds for u in long]
    assert shape == ["hold_start", 30, "halfway", 20, "ten_left", 10, "release"]
    assert long[2].text.endswith("Cue two.")
    short = holds_of(units_of(plan_of(hold_block(seconds=25, sets=1, sides=()))))[0]
    assert "Cue two." not in texts(short)  # no room for a middle cue in 15 s


def test_holds_announce_sides_and_the_switch_comes_before_the_rest():
    block = hold_block(sets=2, switch="Turn around now.")
    units = units_of(plan_of(block))
    spoken = texts(units)
    assert spoken[:3] == ["Now, the hold stretch.", "Get into position.", "Ease off if anything hurts."]
    assert spoken[3] == "Right side."
    order = [kind(u) or u.text for u in units if u.text and (kind(u) in ("switch", "side_start", "last_hold",
                                                                           "well_done", "rest", "release"))]
    assert order == ["side_start", "release", "rest", "last_hold", "release", "switch", "side_start", "release",
                     "rest", "last_hold", "release", "well_done"]
    switch = next(u for u in units if kind(u) == "switch")
    assert "Turn around now." in switch.text and switch.position.phase == "rest"
    # the change of sides is the rest: at least the get-ready window, and silent until the new side
    after = units[units.index(switch) + 1:]
    window = list(itertools.takewhile(lambda u: u.is_silence, after))
    assert silence(window) == max(8, get_ready_seconds(block)) >= 3
    assert kind(after[len(window)]) == "side_start"


def test_every_first_hold_and_new_side_gets_a_get_ready_window_before_it():
    for block in (hold_block(sets=2, rest=0), hold_block(sets=1, rest=30, get_ready_seconds=9),
                  reps_block(sides=("right", "left"), rest=0)):
        units = units_of(plan_of(block))
        for side in range(len(block["sides"]) or 1):
            first_work = next(i for i, u in enumerate(units) if u.counts and u.position.phase == "work"
                              and u.position.side == side)
            opening = first_work - 1  # the hold's first words, or the rep's number
            assert units[opening].text
            window = units[opening - 1] if units[opening - 1].is_silence else units[opening - 2]
            assert window.is_silence and window.seconds >= max(3, get_ready_seconds(block)), (block["id"], side)
            # only a name or a cue between the window and the work, never a second instruction
            assert all(len(u.text.split()) <= 8 for u in units[units.index(window) + 1:first_work])


def test_first_and_next_lead_each_exercise():
    plan = plan_of(hold_block("a"), hold_block("b"))
    assert texts(units_of(plan))[0] == "First, the a stretch."
    assert texts(units_of(plan, Position.start_of(1)))[0] == "Next, the b stretch."


def test_a_familiar_exercise_gets_its_short_setup_and_the_safety_line_inside_the_first_hold():
    block = hold_block(short_setup=["Kneel and tuck."])
    plan = plan_of(block)
    full = texts(units_of(plan))
    short = texts(list(render_block(plan, Position(), 1.0, coaching=Coaching(familiar=frozenset({"hold"})))))
    assert full[:3] == ["Now, the hold stretch.", "Get into position.", "Ease off if anything hurts."]
    assert short[:2] == ["Now, the hold.", "Kneel and tuck."]
    assert short.count("Ease off if anything hurts.") == 1 and short.index("Ease off if anything hurts.") > 3
    third_party = plan_of(hold_block("x"))  # no short set-up: its first step stands in
    assert texts(list(render_block(third_party, Position(), 1.0, coaching=Coaching(familiar=frozenset({"x"})))))[1] \
        == "Get into position."


# -- rests ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("rest, said, countdown", [(8, "eight seconds", False), (19, "nineteen seconds", False),
                                                   (30, "thirty seconds", True), (113, "about two minutes", True)])
def test_rests_add_up_to_the_rest_and_are_said_rounded(rest, said, countdown):
    units = units_of(plan_of(hold_block(rest=rest, sets=2)))
    rests = runs(units, "rest", "last_hold")
    assert len(rests) == 2  # between the sets of each side; the change of sides is said as a switch
    for run in rests:
        assert silence(run) == rest
        assert line_values(run[0].text, "rest")["rest"] == said
        assert any(kind(u) == "rest_end" for u in run) == countdown
    assert kind(units[-1]) == "well_done"


def test_no_rest_means_no_rest_cue():
    assert not any(kind(u) == "rest" for u in units_of(plan_of(hold_block(rest=0))))


# -- reps ----------------------------------------------------------------------------------------
def test_reps_are_counted_one_way_the_number_on_the_rep_and_the_tempo_in_the_silences():
    tempo = {"down": 3, "bottom": 1, "up": 2, "top": 1, "words": ["lower", "lift"]}
    units = units_of(plan_of(reps_block(reps=6, tempo=tempo, sets=1, rest=0)))
    work = units[units.index(next(u for u in units if u.counts)) - 1:]
    shape = [u.text or u.seconds for u in work[:8]]
    assert shape == ["One.", 4, "Lift.", 3, "Two.", 4, "Lift.", 3]
    assert silence([u for u in units if u.counts]) == 6 * (3 + 1 + 2 + 1)
    numbers = [u.text.rstrip(".").split()[-1] for u in units if u.text and u.text.rstrip(".").split()[-1].lower()
               in ("one", "two", "three", "four", "five", "six")]
    assert numbers == ["One", "Two", "Three", "Four", "Five", "Six"]
    assert kind(next(u for u in units if u.text.endswith("Six."))) == "last_rep"
    assert not any(u.text.lower().rstrip(",") in ("two", "three") for u in units if u.text)  # no seconds counted


@pytest.mark.parametrize("pace", [0.75, 1.0, 1.5])
def test_the_counting_pace_stretches_the_tempo_silences(pace):
    units = list(render_block(plan_of(reps_block(reps=5, sets=1, rest=0)), Position(), 1.0,
                              coaching=Coaching(count_pace=pace)))
    assert silence([u for u in units if u.counts]) == pytest.approx(5 * 3 * pace)


@pytest.mark.parametrize("reps, tempo", [(1, {"down": 1, "up": 1}), (10, {"down": 2, "up": 1}),
                                         (12, {"down": 1, "bottom": 2, "up": 1, "top": 0})])
def test_each_set_of_reps_lasts_reps_times_the_tempo(reps, tempo):
    units = units_of(plan_of(reps_block(reps=reps, tempo=tempo, sets=2, sides=("right", "left"), rest=10)))
    per_rep = tempo["down"] + tempo.get("bottom", 0) + tempo["up"] + tempo.get("top", 0)
    sets = {}
    for unit in units:
        if unit.is_silence and unit.counts and unit.position.phase == "work":
            key = (unit.position.side, unit.position.set)
            sets[key] = sets.get(key, 0) + unit.seconds
    assert sets == {(s, n): reps * per_rep for s in (0, 1) for n in (0, 1)}
    assert not any("zero" in t.lower() for t in texts(units))


# -- resuming ------------------------------------------------------------------------------------
# What was left in whole seconds as a countdown shows them (rounded up), so a resumed hold starts
# from the number on screen at the pause; never fewer than five.
@pytest.mark.parametrize("done, remaining", [(0.2, 30), (8.3, 22), (12.7, 18), (14.5, 16), (14.5000001, 16),
                                             (20, 10), (24.9, 6), (27, 5), (29.4, 5)])
def test_a_resumed_hold_has_the_seconds_left_never_fewer_than_five(done, remaining):
    plan = plan_of(hold_block(sets=2))
    start = Position(0, 1, 0, "work", done)
    units = units_of(plan, start, recue=True)
    assert units[0].text == "Back to the hold, left side."
    assert units[1].text == "Get back into position." and units[2].seconds == 3 and not units[2].counts
    assert not any(t.startswith(("Now,", "Left side.")) for t in texts(units))
    first = holds_of(units)[0]
    assert first[0].text.startswith("Hold. ") if done > 0 else kind(first[0]) == "hold_start"
    assert silence(first) == remaining
    assert any(kind(u) == "last_hold" for u in units)  # the following hold comes whole
    assert silence(holds_of(units)[-1]) == 30


def test_a_hold_paused_in_its_last_half_second_is_complete():
    plan = plan_of(hold_block(sets=2))
    units = units_of(plan, Position(0, 0, 0, "work", 29.6), recue=True)
    assert texts(units)[0] == "Back to the hold, right side."
    assert kind(units[1]) == "rest"  # the hold is done: no window to get back into it, straight to the rest
    assert not holds_of(units[:4])


@pytest.mark.parametrize("done, said, remaining", [(2, "six seconds", 6), (5, "five seconds", 5), (7.7, None, 0)])
def test_a_resumed_rest_has_the_seconds_left(done, said, remaining):
    plan = plan_of(hold_block(sets=2))
    units = units_of(plan, Position(0, 0, 0, "rest", done), recue=True)
    spoken = texts(units)
    assert spoken[0] == "Back to the hold, right side."
    next_hold = units.index(next(u for u in units if kind(u) == "last_hold"))
    if said:
        assert line_values(spoken[1], "rest")["rest"] == said
        assert silence(units[:next_hold]) == remaining
    else:
        assert kind(units[1]) == "last_hold"


@pytest.mark.parametrize("done, said", [(3, "Five to go."), (7, "One to go.")])
def test_resumed_reps_count_what_is_left(done, said):
    plan = plan_of(reps_block(reps=8, sets=1, rest=0))
    units = units_of(plan, Position(0, 0, 0, "work", done), recue=True)
    spoken = texts(units)
    assert spoken[:3] == ["Back to the reps.", "Get back into position.", said]
    assert silence([u for u in units if u.counts]) == (8 - done) * 3
    numbers = [t.rstrip(".").split()[-1] for t in spoken if t.rstrip(".").split()[-1] in ("Four", "Eight", "Three")]
    assert numbers[-1] == "Eight" and "Three" not in numbers


def test_reps_paused_on_the_last_count_resume_after_that_set():
    plan = plan_of(reps_block(reps=8, sets=2, rest=10))
    units = units_of(plan, Position(0, 0, 0, "work", 8), recue=True)
    spoken = texts(units)
    assert not any("zero" in t.lower() for t in spoken)
    assert spoken[0] == "Back to the reps." and kind(next(u for u in units if u.text and u.counts is False
                                                          and kind(u) == "rest")) == "rest"
    assert silence([u for u in units if u.counts]) == 10 + 8 * 3


def test_recue_and_resumed_openings_keep_the_seconds_already_done():
    """Pausing again during "Back to ..." or "Hold." must not restart the hold from the top."""
    plan = plan_of(hold_block(sets=2))
    start = Position(0, 1, 1, "work", 12.4)
    units = units_of(plan, start, recue=True)
    assert units[0].position == start
    hold = next(u for u in units if u.text.startswith("Hold."))
    assert hold.position.done == 12
    rest_units = units_of(plan, Position(0, 0, 0, "rest", 3), recue=True)
    assert kind(rest_units[1]) == "rest" and rest_units[1].position.done == 3


def test_closing_words_point_at_the_next_exercise():
    plan = plan_of(hold_block("a"), hold_block("b"))
    assert units_of(plan)[-1].position == Position.start_of(1)
    last = units_of(plan, Position.start_of(1))[-1]
    assert kind(last) == "well_done" and last.position.block == 1


# -- segments: budget, splits, continuous --------------------------------------------------------
def _seconds(units, rate=100, lead=0.0):
    return lead + sum(unit_seconds(u, rate) for u in units)


def test_a_default_exercise_is_one_whole_segment():
    plan = plan_of(hold_block("a", sets=3), hold_block("b"))
    segment = plan_segment(plan, Position(), 1.0, 100, False, False)
    assert segment.end == Position.start_of(1)
    assert segment.units == units_of(plan)


@pytest.mark.parametrize("rate", [80, 100, 120])
def test_a_long_exercise_is_split_between_sets_and_nothing_is_lost_or_repeated(rate):
    plan = plan_of(hold_block("a", seconds=60, sets=4, rest=15), hold_block("b"))
    whole = units_of(plan, scale=2.0)
    assert _seconds(whole, rate) > RESPONSE_BUDGET_S
    parts, position = [], Position()
    while position is not None and position.block == 0:
        segment = plan_segment(plan, position, 2.0, rate, False, False)
        assert _seconds(segment.units, rate) <= RESPONSE_BUDGET_S
        parts.append(segment.units)
        position = segment.end
    assert len(parts) >= 2
    for part in parts[:-1]:
        assert part[-1].position.phase in ("work", "rest")
    # each part is as long as it can be: it ends at the last boundary that still fits
    cuts = [i for i in range(1, len(whole)) if whole[i].split_to is not None]
    first = len(parts[0])
    assert first in cuts
    later = [i for i in cuts if i > first]
    assert not later or _seconds(whole[:later[0]], rate) > RESPONSE_BUDGET_S
    for part in parts[1:]:  # a part after a split opens with a moment to get into position
        assert kind(part[0]) in ("get_ready", "switch"), part[0]
        assert part[1].is_silence and part[1].seconds >= 3
    joined = [u for part in parts for u in part]
    holds = [(u.position.side, u.position.set, silence(run)) for run in holds_of(joined) for u in run[:1]]
    assert holds == [(side, n, 120) for side in (0, 1) for n in range(4)]
    assert silence([u for u in joined if u.counts]) == silence([u for u in whole if u.counts])


def test_a_split_prefers_the_change_of_sides():
    plan = plan_of(hold_block("a", seconds=45, sets=3, rest=15), hold_block("b"))
    segment = plan_segment(plan, Position(), 2.0, 100, False, False)
    assert segment.end == Position(0, 1, 0, "set")
    rest = plan_segment(plan, segment.end, 2.0, 100, False, False)
    assert kind(rest.units[0]) == "switch" and rest.units[1].seconds >= 3
    assert texts(rest.units)[1] == "Left side."


def test_split_segments_end_on_a_set_position_that_continues_with_its_announcements():
    plan = plan_of(hold_block("a", seconds=60, sets=4, rest=15))
    segment = plan_segment(plan, Position(), 2.0, 100, False, False)
    assert segment.end.phase == "set" and segment.end.done == 0
    rest = plan_segment(plan, segment.end, 2.0, 100, False, False)
    assert kind(rest.units[0]) in ("get_ready", "switch", "last_hold")


def test_a_single_hold_longer_than_the_budget_is_played_whole():
    plan = plan_of(hold_block("long", seconds=300, sets=1, sides=()))
    segment = plan_segment(plan, Position(), 2.0, 100, False, False)
    assert segment.end is None
    assert silence([u for u in segment.units if u.counts]) == 600


def test_continuous_mode_chains_exercises_only_while_they_fit():
    plan = plan_of(*(hold_block(name, seconds=30, sets=1) for name in "abcdefghijklmnopqrst"))
    one = plan_segment(plan, Position(), 1.0, 100, False, False)
    assert one.end == Position.start_of(1)
    chained = plan_segment(plan, Position(), 1.0, 100, True, False)
    assert chained.end.block > 1 and chained.end.phase == "setup"
    assert _seconds(chained.units) <= CONTINUOUS_BUDGET_S
    with_next = [u for b in range(chained.end.block + 1) for u in units_of(plan, Position.start_of(b))]
    too_long = _seconds(with_next) > CONTINUOUS_BUDGET_S
    too_many_chars = len(Speech().extend(_parts(with_next)).ssml()) > SPEECH_CHAR_BUDGET
    assert too_long or too_many_chars  # the next one would not have fitted
    assert {u.position.block for u in chained.units} == set(range(chained.end.block)) | {chained.end.block}


def test_the_lead_counts_against_the_budget():
    plan = plan_of(*(hold_block(name, seconds=110, sets=1) for name in "abcdefghijklmnopqrst"))
    plain = plan_segment(plan, Position(), 1.0, 100, True, False)
    led = plan_segment(plan, Position(), 1.0, 100, True, False, lead_seconds=200)
    assert led.end.block < plain.end.block


def test_plan_minutes_adds_up_every_segment():
    plan = plan_of(hold_block("a", sets=2), reps_block("b", sides=("right", "left")))
    total = sum(_seconds(units_of(plan, Position.start_of(b))) for b in range(2))
    assert plan_minutes(plan) == round(total / 60, 1)
    assert plan_minutes(plan, 2.0) > plan_minutes(plan, 1.0) > plan_minutes(plan, 0.5)


# -- locate --------------------------------------------------------------------------------------
def test_locate_maps_every_moment_of_a_response_to_its_position():
    plan = plan_of(hold_block("a", sets=2, rest=12), hold_block("b"))
    state = state_for(plan)
    for start, end, unit in timeline(plan_segment(plan, Position(), 1.0, 100, False, False).units):
        for into in (0.01, (end - start) / 2, end - start - 0.01):
            if end - start <= 0.02:
                continue
            found = locate(plan, state, playing_at(start + into))
            if unit.counts:
                assert found.done == pytest.approx(unit.position.done + into), unit
                assert found == Position(**{**unit.position.as_dict(), "done": found.done}), unit
            else:
                assert found == unit.position, unit


def test_locate_before_the_response_starts_and_after_it_ends():
    plan = plan_of(hold_block("a"), hold_block("b"))
    state = state_for(plan, lead=4.0)
    assert locate(plan, state, T0) == Position()
    assert locate(plan, state, T0 + timedelta(seconds=START_LATENCY_S + 3.9)) == Position()
    assert locate(plan, state, T0 + timedelta(hours=1)) == Position.start_of(1)
    last = state_for(plan, Position.start_of(1))
    assert locate(plan, last, T0 + timedelta(hours=1)) is None


def test_locate_counts_the_lead_and_the_latency():
    plan = plan_of(hold_block("a", sets=1, sides=()))
    units = plan_segment(plan, Position(), 1.0, 100, False, False, 6.0).units
    hold_start = next(s for s, _, u in timeline(units) if u.counts)
    state = state_for(plan, lead=6.0)
    found = locate(plan, state, T0 + timedelta(seconds=START_LATENCY_S + 6.0 + hold_start + 7.5))
    assert found.phase == "work" and found.done == pytest.approx(7.5)


def test_locate_inside_a_resumed_hold_continues_its_clock():
    plan = plan_of(hold_block("a"))
    start = Position(0, 1, 0, "work", 9.2)
    state = state_for(plan, start, recue=True)
    units = plan_segment(plan, start, 1.0, 100, False, True).units
    hold_start = next(s for s, _, u in timeline(units) if u.counts)
    assert locate(plan, state, playing_at(0.5)) == start  # during "Back to ..."
    assert locate(plan, state, playing_at(hold_start - 0.5)).done == 9  # during "Hold. ..."
    assert locate(plan, state, playing_at(hold_start + 4)).done == pytest.approx(13)


def test_locate_returns_the_paused_position_while_paused():
    plan = plan_of(hold_block("a"))
    state = {**state_for(plan), "paused": Position(0, 1, 1, "rest", 3).as_dict(), "at": None}
    assert locate(plan, state, T0 + timedelta(hours=5)) == Position(0, 1, 1, "rest", 3)


def test_locate_follows_the_response_as_played_even_after_keep_going_changes_the_mode():
    plan = plan_of(*(hold_block(name, seconds=15, sets=1) for name in "abc"))
    player = Player({}, {"hold_scale": 1.0, "rate": 100, "continuous": False}, T0)
    player.start(plan)
    played = _seconds(plan_segment(plan, Position(), 1.0, 100, False, False).units)
    player.set_continuous(True)  # "keep going", said 40 s after the first exercise ended
    later = Player(player.core, player.prefs, playing_at(played + 40))
    assert later.position() == Position.start_of(1)


# -- the player's controls on a hand-made plan ----------------------------------------------------
def _player(plan, now, core=None, **prefs):
    return Player(core if core is not None else {}, {"hold_scale": 1.0, "rate": 100, "continuous": False, **prefs}, now)


def test_next_after_a_pause_that_came_once_the_response_had_ended_does_not_skip():
    plan = plan_of(hold_block("a"), hold_block("b"), hold_block("c"))
    core = {}
    _player(plan, T0, core).start(plan)
    later = _player(plan, T0 + timedelta(minutes=30), core)
    later.pause()
    played = later.next()
    assert "Next, the b stretch." in played.speech.text()
    assert "marks" not in plan.get("data", {})


def test_skip_between_the_parts_of_a_split_exercise_leaves_that_exercise():
    plan = plan_of(hold_block("a", seconds=60, sets=4, rest=15), hold_block("b"))
    core = {}
    first = _player(plan, T0, core, hold_scale=2.0).start(plan)
    assert first.prompt.startswith("Say continue")
    later = _player(plan, T0 + timedelta(hours=1), core, hold_scale=2.0)
    played = later.skip()
    assert "Next, the b stretch." in played.speech.text()
    assert plan["data"]["marks"] == [{"skipped": "a"}]


def test_position_of_a_player_without_a_plan_is_none():
    assert Player({}, {}, T0).position() is None


def test_position_round_trips_through_session_attributes():
    position = Position(2, 1, 0, "rest", 4.5)
    assert Position.from_dict(position.as_dict()) == position
    assert Position.from_dict(None) == Position()
