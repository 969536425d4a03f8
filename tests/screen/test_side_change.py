"""A change of sides on screen: the countdown runs for as long as the engine waits (the rest, or the
get-ready window when that is longer), and a pause during it shows and resumes the same second.
Once the exercise's closing words start, nothing is left to count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from skill.engine.player import START_LATENCY_S, Player, playing_segment
from skill.engine.timeline import Position
from skill.screen.payload import paused_payload
from skill.screen.timeline import coach_frames, countdown_at, frame_at

STARTED = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)
GET_READY_S = 8
CHANGE = "Rest after hold 2 of 2 · side 1 of 2"


def two_sided_plan(rest: int) -> dict:
    block = {"id": "lunge", "name": "the lunge stretch", "short_name": "the lunge", "setup": ["Kneel down."],
             "safety": "Ease off if anything hurts.", "cues": ["Tuck your hips."], "sides": ["right", "left"],
             "sets": 2, "rest_seconds": rest, "get_ready_seconds": GET_READY_S,
             "work": {"type": "hold", "seconds": 20}}
    return {"id": "test", "owner": "test", "title": "the test plan", "blocks": [block]}


def player_at(core: dict, seconds: float) -> Player:
    """The player as a request ``seconds`` into the playing response's speech sees it."""
    lead = core["player"]["lead"] if "player" in core else 0.0
    return Player(core, {}, STARTED + timedelta(seconds=START_LATENCY_S + lead + seconds))


@pytest.mark.parametrize("rest", [0, 3, 12])
def test_a_change_of_sides_counts_down_as_long_as_the_engine_waits(rest):
    plan = two_sided_plan(rest)
    core: dict = {}
    Player(core, {}, STARTED).start(plan)
    state = core["player"]
    waited = sum(u.seconds for u in playing_segment(plan, state).units
                 if u.counts and (u.position.side, u.position.set, u.position.phase) == (0, 1, "rest"))
    assert waited == max(rest, GET_READY_S)
    frames = coach_frames(plan, state)
    change = [f for f in frames if f["timed"] and f["progress"] == CHANGE]
    assert change, [f["progress"] for f in frames]
    first, last = change[0], change[-1]
    assert sum(f[f"l{i}"] for f in change for i in range(3)) == waited
    assert countdown_at(first, first["t0"]) == waited
    assert countdown_at(first, first["s0"] + 0.5) == waited
    assert countdown_at(first, first["s0"] + 1.5) == waited - 1
    assert countdown_at(last, last["t1"]) == 0
    # The rest between the two holds of a side still lasts the rest itself.
    between = [f for f in frames if f["timed"] and f["progress"] == "Rest after hold 1 of 2 · side 1 of 2"]
    assert bool(between) == (rest > 0)
    if between:
        assert countdown_at(between[0], between[0]["t0"]) == rest


@pytest.mark.parametrize("rest, into", [(0, 1.25), (3, 2.5), (3, 6.75), (12, 4.7)])
def test_a_pause_while_changing_sides_shows_and_resumes_the_second_on_screen(rest, into):
    plan = two_sided_plan(rest)
    core: dict = {}
    Player(core, {}, STARTED).start(plan)
    frames = coach_frames(plan, core["player"])
    change = next(f for f in frames if f["timed"] and f["progress"] == CHANGE)
    at = change["s0"] + into
    shown = countdown_at(frame_at(frames, at), at)
    assert shown == max(rest, GET_READY_S) - int(into)
    player_at(core, at).pause()
    paused = paused_payload(plan, Position.from_dict(core["player"]["paused"]), 1.0)
    assert (paused["side"], paused["big"]) == ("Right side", f"{shown} s left")
    player_at(core, at + 20).resume()
    resumed = coach_frames(plan, core["player"])
    again = next(f for f in resumed if f["timed"])
    assert again["progress"] == CHANGE
    assert countdown_at(again, again["t0"]) == max(5, shown)


def test_a_pause_during_the_closing_words_shows_no_seconds_left():
    plan = two_sided_plan(3)
    core: dict = {}
    Player(core, {}, STARTED).start(plan)
    frames = coach_frames(plan, core["player"])
    closing = frames[-1]  # the exercise's closing words
    assert not closing["timed"] and closing["side"] == "Left side"
    player_at(core, (closing["t0"] + closing["t1"]) / 2).pause()
    paused = paused_payload(plan, Position.from_dict(core["player"]["paused"]), 1.0)
    assert paused["big"] == ""
