"""Pause and resume anywhere in a response, with synthetic request timestamps.

The expected position comes from the response itself: its SSML is read back into a timeline of
sentences (at the engine's estimated speaking time, ``skill.speech.spoken_seconds``) and exact
silences, starting ``START_LATENCY_S`` after the request. A pause ``t`` seconds into that timeline
must land on the exercise, side and set being played, and the resumed response must hold for the
seconds that were left (within 2 s, never fewer than 5), with no hold lost or repeated.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest

from skill.engine.player import BOUNDARY_S, START_LATENCY_S, plan_segment
from skill.engine.timeline import Coaching, Position, hold_seconds, number_word, side_change_seconds, unit_seconds
from skill.kit.simulator import dump
from skill.speech import ssml
from skill.speech.builder import spoken_seconds
from skill.speech.phrases import line_kind, line_values

COUNTS = [number_word(n) for n in range(21)]
ROUTINE_UTTERANCES = {"glutes": "stretch my glutes", "hip_flexors": "stretch my hip flexors",
                      "after_run": "start my stretches", "before_run": "a stretch before my run",
                      "hamstrings": "stretch my hamstrings", "quadriceps": "stretch my quads"}
# -- reading a response back into a timeline -----------------------------------------------------
@dataclass
class Interval:
    kind: str  # hold, rest or reps
    block: int
    side: int
    set: int
    seconds: float = 0.0  # its silence: the hold or rest length, or the tempo time of a set


@dataclass
class Moment:
    start: float
    end: float
    text: str | None  # None for a silence
    block: int | None
    side: int
    set: int
    activity: str  # lead, setup, announce, recue, hold, released, rest, reps, closing, after
    interval: Interval | None = None
    done_before: float = 0.0  # silence of the interval before this moment
    reps_done: int = 0

    def silence_done(self, t: float) -> float:
        return self.done_before + (t - self.start if self.text is None else 0.0)


@dataclass
class Timeline:
    moments: list[Moment]
    intervals: list[Interval] = field(default_factory=list)

    def at(self, t: float) -> Moment:
        t += BOUNDARY_S  # as the skill: a moment that starts at t is the one playing at t
        for moment in self.moments:
            if moment.start <= t < moment.end:
                return moment
        return self.moments[-1]

    @property
    def length(self) -> float:
        return self.moments[-1].end


def read_timeline(answer, plan: dict, resumed_set: int = 0, start: tuple[int, int, int] | None = None,
                  resumed_phase: str = "work") -> Timeline:
    """Sentences and silences of a response, each with what the user is doing then.

    ``resumed_set`` is the set a "Back to ..." re-cue returns to; ``start`` the (exercise, side,
    set) a response starts in when it carries on a split exercise without naming it.
    """
    blocks = plan["blocks"]
    rate = int(m.group(1)) if (m := re.search(r'<prosody rate="(\d+)%">', answer.ssml)) else 100
    moments: list[Moment] = []
    intervals: list[Interval] = []
    block, side, set_index = start or (None, 0, 0)
    activity = "lead" if start is None else "announce"
    interval: Interval | None = None
    reps_done = 0
    clock = 0.0
    last_work: dict[tuple, int] = {}  # (block, side): the set of the last hold or set of reps heard

    def next_set() -> int:
        previous = last_work.get((block, side))
        return previous + 1 if previous is not None and previous == set_index else set_index

    for chunk in re.split(r'(<break\s+time="[^"]+"\s*/>)', answer.ssml):
        if chunk.startswith("<break"):
            seconds = ssml.silence_seconds(chunk)
            moments.append(Moment(clock, clock + seconds, None, block, side, set_index, activity, interval,
                                  interval.seconds if interval else 0.0, reps_done))
            if interval is not None:
                interval.seconds += seconds
            clock += seconds
            continue
        for sentence in re.split(r"(?<=[.?!])\s+", ssml.to_text(chunk)):
            sentence = sentence.strip()
            if not sentence:
                continue
            current = blocks[block] if block is not None else None
            line = line_kind(sentence)
            up_word = ((current["work"].get("tempo", {}).get("words") or ["down", "up"])[1].capitalize() + ".") \
                if current else None
            if activity == "rest" and line not in ("rest_end", "change_end", "change_time") \
                    and sentence != (current or {}).get("switch"):
                interval = None
                activity = "announce"
            if activity == "reps" and not (sentence.rstrip(".").lower() in COUNTS or sentence == up_word
                                           or line == "last_rep"):
                activity, interval = "released", None
            if m := re.fullmatch(r"(First|Next|Now), (.+)\.", sentence):
                block = next(i for i, b in enumerate(blocks) if m.group(2) in (b["name"], b["short_name"]))
                side, set_index, activity, interval, reps_done = 0, 0, "setup", None, 0
            elif m := re.fullmatch(r"Back to (.+?)(?:, (\w+) side)?\.", sentence):
                block = next(i for i, b in enumerate(blocks) if b["short_name"] == m.group(1))
                side = blocks[block]["sides"].index(m.group(2)) if m.group(2) else 0
                set_index, activity = resumed_set, "recue"
                if resumed_phase == "rest":  # back in the rest after that set: the next hold is the next set
                    last_work[(block, side)] = resumed_set
            elif sentence == "Get back into position.":
                activity = "recue"
            elif line == "switch" or (current and sentence == current.get("switch") and activity != "rest"):
                # the change of sides is the rest after the side's last set
                activity, interval = "rest", Interval("rest", block, side, set_index)
                intervals.append(interval)
                last_work.setdefault((block, side), set_index)
            elif current and (m := re.fullmatch(r"(?:On to the |Over to the )?(\w+) side(?: now)?\.", sentence)) \
                    and m.group(1).lower() in current["sides"]:
                side, set_index, activity = current["sides"].index(m.group(1).lower()), 0, "announce"
            elif line in ("last_hold", "last_set", "next_set", "get_ready"):
                set_index, activity = next_set(), "announce"
            elif line in ("hold_start", "hold_start_tone") or sentence == "Hold.":
                set_index = next_set()
                activity, interval = "hold", Interval("hold", block, side, set_index)
                intervals.append(interval)
                last_work[(block, side)] = set_index
            elif line == "release":
                activity, interval = "released", None
            elif line == "rest":
                activity, interval = "rest", Interval("rest", block, side, set_index)
                intervals.append(interval)
                last_work.setdefault((block, side), set_index)  # a rest follows its set's work
            elif line == "well_done" and activity not in ("closing", "after"):
                activity, interval = "closing", None
            elif current and current["work"]["type"] == "reps" and activity != "reps" and (
                    sentence == "One." or sentence.endswith(" to go.")):
                set_index = next_set()
                activity, interval = "reps", Interval("reps", block, side, set_index)
                intervals.append(interval)
                last_work[(block, side)] = set_index
                if m := re.fullmatch(r"(\w+) to go\.", sentence):
                    reps_done = current["work"]["reps"] - COUNTS.index(m.group(1).lower())
                else:
                    reps_done = 0
            elif activity == "closing" or sentence.startswith("Say "):
                activity = "after"
            length = spoken_seconds(sentence, rate)
            if activity == "reps" and (m := re.fullmatch(r"([A-Z][a-z]+)\.", sentence)) and \
                    m.group(1).lower() in COUNTS:
                reps_done = COUNTS.index(m.group(1).lower()) - 1  # the number starts its rep
            elif activity == "reps" and line == "last_rep":
                reps_done = blocks[block]["work"]["reps"] - 1
            moments.append(Moment(clock, clock + length, sentence, block, side, set_index, activity, interval,
                                  interval.seconds if interval else 0.0, reps_done))
            clock += length
    first_block = next((m.block for m in moments if m.block is not None), None)
    for moment in moments:
        if moment.block is None:
            moment.block = first_block
    return Timeline(moments, intervals)


def hold_lengths(answer) -> list[str]:
    """How long each hold that starts in ``answer`` is said to be, whichever phrasing."""
    sentences = re.split(r"(?<=[.?!])\s+", answer.speech)
    return [line_values(s, "hold_start")["seconds"] for s in sentences if line_kind(s) == "hold_start"]


# -- the scenario --------------------------------------------------------------------------------
def start_routine(alexa, routine: str, scale_words=(), rate_words=()):
    """A one-shot start ("ask stride coach to stretch my glutes"), after any settings."""
    for word in (*scale_words, *rate_words):
        alexa.say(word)
    return alexa.say(ROUTINE_UTTERANCES[routine])


def plan_of(answer) -> dict:
    return answer.session["core"]["player"]["plan"]


def _whole_seconds(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)


def heard_at(played, t: float) -> float:
    """Where the skill can know the user was when a request comes ``t`` s into ``played``.

    Alexa's request timestamps have whole seconds (so do the kit's): the skill sees both the
    response's request and the pause request truncated, so it can be up to a second off ``t``.
    """
    request = played.sent_at + timedelta(seconds=START_LATENCY_S + t)
    return (_whole_seconds(request) - _whole_seconds(played.sent_at)).total_seconds() - START_LATENCY_S


def check_pause_and_resume(alexa, played, t: float, plan: dict, *, resumed_set: int = 0, scale: float = 1.0,
                           start: tuple[int, int, int] | None = None):
    """Pause ``t`` s into ``played``'s playback, resume, and check both against the timeline."""
    timeline = read_timeline(played, plan, resumed_set, start)
    true_t, t = t, heard_at(played, t)
    moment = timeline.at(t)
    paused_answer = alexa.say("pause", after=START_LATENCY_S + true_t)
    context = (f"t={true_t:.2f} (seen as {t:.2f}) moment={moment.text!r} ({moment.activity}) "
               f"pause={dump(paused_answer)[:160]}")
    final = "Say next for" not in played.reprompt and "Say continue" not in played.reprompt
    if final and moment.activity == "after":
        assert "nothing playing to pause" in paused_answer.speech, context
        return None
    paused = Position.from_dict(paused_answer.session["core"]["player"]["paused"])
    block = plan["blocks"][moment.block]
    assert f"Paused during {plan['blocks'][paused.block]['short_name']}." in paused_answer.speech, context
    # where the user was: the exercise, the side and the set
    if moment.activity in ("closing", "after") and moment.block + 1 < len(plan["blocks"]):
        assert (paused.block, paused.phase) == (moment.block + 1, "setup"), context
    elif moment.activity in ("lead", "setup"):
        assert (paused.block, paused.phase) == (moment.block, "setup"), context
    elif moment.activity == "after":  # between the two parts of a split exercise: the next set
        following = (moment.side, moment.set + 1) if moment.set + 1 < block["sets"] else (moment.side + 1, 0)
        assert (paused.block, paused.side, paused.set, paused.phase) == (moment.block, *following, "set"), context
    elif moment.activity != "closing":
        assert (paused.block, paused.side, paused.set) == (moment.block, moment.side, moment.set), context
    resumed = alexa.say("resume")
    context += f" resumed={dump(resumed)[:300]}"
    after = read_timeline(resumed, plan, resumed_set=paused.set, resumed_phase=paused.phase)
    first_words = resumed.speech
    if moment.activity in ("hold", "rest", "reps", "announce", "recue", "released"):
        side = block["sides"][moment.side] if block["sides"] else None
        recue = f"Back to {block['short_name']}" + (f", {side} side." if side else ".")
        assert first_words.startswith(recue), context
    elif moment.activity in ("lead", "setup"):
        lead = "Now" if len(plan["blocks"]) == 1 else ("First" if moment.block == 0 else "Next")
        assert first_words.startswith(f"{lead}, {block['name']}."), context
    elif "Say continue" in played.reprompt and moment.activity == "after":  # the rest of a split exercise
        assert not re.match(r"(Back to|First|Next|Now)\b", first_words), context
    elif moment.block + 1 < len(plan["blocks"]):  # the exercise was over
        assert first_words.startswith(f"Next, {plan['blocks'][moment.block + 1]['name']}."), context
    check_nothing_lost_or_repeated(timeline, after, moment, t, plan, context, scale)
    if moment.activity == "hold" and timeline.at(true_t).interval is moment.interval:  # against the true time too
        remaining = moment.interval.seconds - moment.silence_done(true_t)
        if remaining >= 3:
            first_hold = next(i for i in after.intervals if i.kind == "hold")
            assert abs(first_hold.seconds - max(5.0, remaining)) <= 2, context
    return resumed


def check_nothing_lost_or_repeated(before: Timeline, after: Timeline, moment: Moment, t: float, plan: dict,
                                   context: str, scale: float = 1.0) -> None:
    """Every hold, rest and set of the paused exercise is done once, the interrupted one resumed.

    An interval that had started by ``t`` is either finished (never played again) or the one
    interrupted (resumed with what was left); one that had not started plays as planned; sets
    beyond the paused response (a split exercise) play whole.
    """
    block = plan["blocks"][moment.block]
    planned: dict[tuple[str, int, int], tuple[Interval, float]] = {}
    for interval in before.intervals:
        if interval.block == moment.block:
            started = next(m for m in before.moments if m.interval is interval).start
            planned[(interval.kind, interval.side, interval.set)] = (interval, started)
    resumed: dict[tuple[str, int, int], float] = {}
    for interval in after.intervals:
        if interval.block == moment.block:
            key = (interval.kind, interval.side, interval.set)
            assert key not in resumed, f"{key} played twice after resuming; {context}"
            resumed[key] = interval.seconds
    for key in set(planned) | set(resumed):
        interval, started = planned.get(key, (None, None))
        if interval is not None and interval is moment.interval:
            if key[0] == "reps":
                per_rep = _full_length(block, "reps", scale) / block["work"]["reps"]
                left = block["work"]["reps"] - moment.reps_done
                assert resumed.get(key, 0.0) == pytest.approx(left * per_rep), f"{key}: {context}"
                continue
            remaining = interval.seconds - moment.silence_done(t)
            if key in resumed:
                assert resumed[key] >= 5, context
                assert abs(resumed[key] - max(5.0, remaining)) <= 2, f"{key}: left {remaining:.1f}; {context}"
            else:
                assert remaining < 2.5, f"{key}: {remaining:.1f} s were left but it was dropped; {context}"
        elif interval is not None and started <= t:
            assert key not in resumed, f"{key} was finished before the pause but played again; {context}"
        elif interval is not None:
            assert resumed.get(key) == interval.seconds, f"{key} should play as planned; {context}"
        else:
            assert resumed[key] == _full_length(block, key[0], scale, key), f"{key} should be whole; {context}"


def _full_length(block: dict, kind: str, scale: float, key: tuple | None = None) -> float:
    if kind == "rest":
        sides = max(1, len(block["sides"]))
        if key is not None and key[2] == block["sets"] - 1 and key[1] < sides - 1:
            return side_change_seconds(block)  # the change of sides
        return block["rest_seconds"]
    if kind == "reps":
        tempo = block["work"]["tempo"]
        return block["work"]["reps"] * (tempo["down"] + tempo.get("bottom", 0) + tempo["up"] + tempo.get("top", 0))
    return hold_seconds(block, scale)


def pause_points(length: float, step: float = 3.0, offset: float = 1.37) -> list[float]:
    """Every ``step`` seconds across a response (off the 0.05 s grid speech estimates fall on)."""
    return [offset + step * k for k in range(int((length - offset) // step) + 2)]


# -- 4. pause anywhere in an exercise's response ----------------------------------------------------
def inside(played, moment: Moment) -> float:
    """A pause time that the skill (seeing whole-second timestamps) places inside ``moment``."""
    for k in range(1, 30):
        t = moment.start + k * 0.1
        # strictly inside: at an exact boundary the engine's and this reading's sums may round apart
        if moment.start + 0.01 <= heard_at(played, t) < moment.end - 0.01:
            return t
    return moment.start


class Checkpoint:
    """The device and clock as they are now, to try many pauses from the same moment.

    Restoring puts back the open session (its attributes carry the engine's state) and the
    clock; the user's stored preferences are untouched by pausing, so each try starts alike.
    """

    def __init__(self, alexa) -> None:
        self.alexa = alexa
        self.attributes = copy.deepcopy(alexa.device.attributes)
        self.session_id = alexa.device.session_id
        self.now = alexa.now
        self.count = len(alexa.answers)

    def restore(self):
        alexa = self.alexa
        alexa.device.session_id, alexa.device.new = self.session_id, False
        alexa.device.attributes = copy.deepcopy(self.attributes)
        alexa.now = self.now
        del alexa.answers[self.count:]
        return alexa.answers[-1]


def scan(alexa, points, *, resumed_set: int = 0, scale: float = 1.0, start=None) -> set[str]:
    """Pause at each point (seconds, or a Moment to land in) of the last response, resume, check."""
    played = alexa.answers[-1]
    plan = plan_of(played)
    timeline = read_timeline(played, plan, resumed_set, start)
    checkpoint = Checkpoint(alexa)
    activities = set()
    for point in points:
        played = checkpoint.restore()
        t = inside(played, point) if isinstance(point, Moment) else point
        activities.add(timeline.at(heard_at(played, t)).activity)
        check_pause_and_resume(alexa, played, t, plan, resumed_set=resumed_set, scale=scale, start=start)
    checkpoint.restore()
    return activities


def short_moments(played, kinds=("closing", "released", "recue", "announce"), start=None) -> list[Moment]:
    timeline = read_timeline(played, plan_of(played), start=start)
    return [m for m in timeline.moments if m.text is not None and m.activity in kinds]


@pytest.mark.parametrize("routine, nexts, step", [
    ("glutes", 0, 3.0), ("hip_flexors", 1, 3.0), ("after_run", 0, 3.0), ("before_run", 0, 3.0),
    ("hip_flexors", 0, 3.0), ("before_run", 2, 3.0), ("after_run", 3, 3.0), ("quadriceps", 0, 3.0)])
def test_pause_every_three_seconds_lands_on_the_right_place(alexa, routine, nexts, step):
    """Pause every 3 s across one exercise's response, and in each short sentence, then resume."""
    played = start_routine(alexa, routine)
    for _ in range(nexts):
        played = alexa.say("next")
    timeline = read_timeline(played, plan_of(played))
    activities = scan(alexa, pause_points(timeline.length + 4, step) + short_moments(played))
    block = plan_of(played)["blocks"][timeline.moments[-1].block]
    expected = {"lead" if nexts == 0 else "setup", "setup", "announce", "closing", "after"}
    expected |= {"hold", "released"} if block["work"]["type"] == "hold" else {"reps"}
    if block["rest_seconds"]:
        expected.add("rest")
    assert expected <= activities  # every kind of moment was tried


def test_the_timeline_read_back_matches_the_engines_plan(alexa):
    played = start_routine(alexa, "hip_flexors")
    player = played.session["core"]["player"]
    timeline = read_timeline(played, player["plan"])
    segment = plan_segment(player["plan"], Position.from_dict(player["start"]), player["scale"], player["rate"],
                           player["continuous"], player["recue"], player["lead"],
                           Coaching.from_dict(player["coaching"]))
    planned = player["lead"] + sum(unit_seconds(u, player["rate"]) for u in segment.units)
    prompt = spoken_seconds(played.reprompt, player["rate"])
    assert timeline.length == pytest.approx(planned + prompt, abs=0.01)
    assert played.playback_seconds == pytest.approx(timeline.length, abs=0.01)


@pytest.mark.parametrize("t", [37.37, 70.37, 100.37, 130.37, 170.37, 200.37, 262.37])
def test_pause_inside_a_resumed_response_keeps_counting(alexa, t):
    """Pause, resume, then pause again anywhere in the resumed response: the clock carries on."""
    played = start_routine(alexa, "glutes")
    first_pause = read_timeline(played, plan_of(played)).at(heard_at(played, t))
    alexa.say("pause", after=START_LATENCY_S + t)
    resumed = alexa.say("resume")
    length = read_timeline(resumed, plan_of(resumed), first_pause.set).length
    scan(alexa, pause_points(min(length, 90), step=2.0, offset=0.29) + short_moments(resumed),
         resumed_set=first_pause.set)


@pytest.mark.parametrize("rate_words, scale_words", [(["slower", "slower"], []), (["faster", "faster"], []),
                                                     ([], ["make the holds longer"] * 3),
                                                     ([], ["make the holds shorter"] * 2)])
def test_pause_points_at_other_paces_and_hold_lengths(alexa, rate_words, scale_words):
    played = start_routine(alexa, "quadriceps", scale_words, rate_words)
    length = read_timeline(played, plan_of(played)).length
    scan(alexa, pause_points(length, step=3.0), scale=played.session["core"]["player"]["scale"])
    if scale_words == ["make the holds longer"] * 3:  # split: the second part too
        assert "Say continue" in played.reprompt
        last = read_timeline(played, plan_of(played)).intervals[-1]
        block = plan_of(played)["blocks"][last.block]
        # split between sets, or at the change of sides: the change (the old side's rest) opens the rest
        start = (last.block, last.side, last.set + 1) if last.set + 1 < block["sets"] \
            else (last.block, last.side, last.set)
        rest = alexa.say("continue")
        length = read_timeline(rest, plan_of(rest), start=start).length
        scan(alexa, pause_points(length, step=3.0) + short_moments(rest, start=start), scale=2.0, start=start)


def test_pause_during_a_continuous_response_lands_in_the_right_exercise(alexa):
    played = start_routine(alexa, "after_run", ["make the holds shorter"] * 2 + ["keep going"])
    timeline = read_timeline(played, plan_of(played))
    assert len({m.block for m in timeline.moments}) >= 2
    activities = scan(alexa, pause_points(timeline.length, step=3.0) + short_moments(played), scale=0.5)
    assert {"hold", "rest", "closing", "setup"} <= activities


def test_a_pause_said_twice_keeps_the_first_position(alexa):
    start_routine(alexa, "glutes")
    first = alexa.say("pause", after=90)
    again = alexa.say("pause", after=30)
    assert again.session["core"]["player"]["paused"] == first.session["core"]["player"]["paused"]
    assert "Say resume" in again.speech


# -- resuming in a later session ----------------------------------------------------------------
@pytest.mark.parametrize("how", ["pause", "stop"])
def test_resume_the_next_day_where_the_user_stopped(alexa, how):
    """Pause (then the session ends) or stop every 5 s; the next day, yes picks up at that place."""
    played = start_routine(alexa, "glutes")
    plan = plan_of(played)
    timeline = read_timeline(played, plan)
    checkpoint = Checkpoint(alexa)
    final_words = next(m for m in timeline.moments if m.activity == "after").start
    for true_t in [p for p in pause_points(final_words - 1, step=5.0) if p < final_words - 1]:
        played = checkpoint.restore()
        t = heard_at(played, true_t)
        moment = timeline.at(t)
        context = f"{how} at t={true_t:.2f} ({moment.text!r}, {moment.activity})"
        answer = alexa.say(how, after=START_LATENCY_S + true_t)
        if how == "stop":
            assert answer.ended and "pick up where you left off" in answer.speech, context
        else:
            alexa.end_session("USER_INITIATED")
        position = Position.from_dict(alexa.stored["paused"]["position"])
        assert position.block == moment.block, context
        if moment.activity in ("hold", "rest", "announce", "released"):
            assert (position.side, position.set) == (moment.side, moment.set), context
        alexa.next_day()
        nudge = alexa.launch()
        expected = "You started your glute stretches yesterday." if moment.activity in ("lead", "setup") else \
            "You stopped your glute stretches during the glute stretch yesterday."
        assert f"{expected} Pick up there?" in nudge.speech, context
        resumed = alexa.say("yes")
        assert resumed.speech.startswith("Picking up where you left off."), context
        if moment.activity in ("hold", "rest", "announce", "released"):
            side = plan["blocks"][0]["sides"][moment.side]
            expected = f"Picking up where you left off. Back to the glute stretch, {side} side."
            assert resumed.speech.startswith(expected), context
        after = read_timeline(resumed, plan, resumed_set=position.set, resumed_phase=position.phase)
        check_nothing_lost_or_repeated(timeline, after, moment, t, plan, context + f" resumed={dump(resumed)[:200]}")
        assert "paused" not in alexa.stored, context  # picked up: no second offer


def test_the_next_day_resume_never_holds_for_less_than_five_seconds(alexa):
    played = start_routine(alexa, "glutes")
    plan = plan_of(played)
    timeline = read_timeline(played, plan)
    first_hold = next(m for m in timeline.moments if m.activity == "hold" and m.text is None)
    hold = first_hold.interval
    end_of_hold = max(m.end for m in timeline.moments if m.interval is hold)
    alexa.say("stop", after=START_LATENCY_S + end_of_hold - 1.5)  # 1.5 s before "and release"
    alexa.next_day()
    alexa.launch()
    resumed = alexa.say("yes")
    assert "Back to the glute stretch, right side. Get back into position. [silence 3 s] Hold." in resumed.speech
    assert read_timeline(resumed, plan).intervals[0].seconds == 5


def test_saying_no_to_the_offer_starts_fresh(alexa):
    start_routine(alexa, "glutes")
    alexa.say("stop", after=100)
    alexa.next_day()
    assert "Pick up there?" in alexa.launch().speech
    answer = alexa.say("no")
    assert "start fresh" in answer.speech
    assert "paused" not in alexa.stored
    alexa.next_day()
    assert "Pick up there?" not in alexa.launch().speech


def test_stop_mid_hold_saves_the_position_and_the_seconds_done(alexa):
    played = start_routine(alexa, "after_run")
    plan = plan_of(played)
    timeline = read_timeline(played, plan)
    true_t = next(m for m in timeline.moments if m.activity == "hold" and m.text is None and m.side == 1).start + 4.0
    t = heard_at(played, true_t)
    moment = timeline.at(t)
    answer = alexa.say("stop", after=START_LATENCY_S + true_t)
    assert answer.ended
    saved = alexa.stored["paused"]
    assert saved["during"] == "the hip flexor stretch" and saved["after"] is None
    position = saved["position"]
    assert (position["block"], position["side"], position["set"], position["phase"]) == (0, 1, moment.set, "work")
    assert position["done"] == pytest.approx(moment.silence_done(t), abs=0.01)


# -- next, previous, repeat, skip and start over at any point --------------------------------------
MOMENTS = ["mid-hold", "during-rest", "during-setup", "after-it-finished"]


def _moment_time(timeline: Timeline, when: str) -> float | None:
    if when == "after-it-finished":
        return None
    activity = {"mid-hold": "hold", "during-rest": "rest", "during-setup": "setup"}[when]
    moment = next(m for m in timeline.moments if m.activity == activity and (m.text is None or activity == "setup")
                  and m.side == (1 if activity != "setup" else 0))
    return moment.start + min(2.0, (moment.end - moment.start) / 2)


def _at_quad_stretch(alexa, when: str):
    """The after-run routine, in the middle of (or just after) its second exercise."""
    alexa.launch()
    alexa.say("start my stretches")
    played = alexa.say("next")
    assert "Next, the side-lying quad stretch." in played.speech
    t = _moment_time(read_timeline(played, plan_of(played)), when)
    return played, (None if t is None else START_LATENCY_S + t)


NEXT_EXERCISE = {"next": "Next, the figure-four glute stretch.", "skip": "Next, the figure-four glute stretch.",
                 "previous": "First, the half-kneeling hip flexor stretch.",
                 "repeat": "Next, the side-lying quad stretch.",
                 "start over": "First, the half-kneeling hip flexor stretch."}
LEADS = {"skip": "Skipping ahead.", "previous": "Going back.", "repeat": "Again.",
         "start over": "Starting from the top."}


@pytest.mark.parametrize("when", MOMENTS)
@pytest.mark.parametrize("control", ["next", "skip", "previous", "repeat", "start over"])
def test_controls_work_at_any_point(alexa, control, when):
    """During the quad stretch, or once it has played: each control lands on the right exercise."""
    _, after = _at_quad_stretch(alexa, when)
    answer = alexa.say(control, after=after)
    assert NEXT_EXERCISE[control] in answer.speech, dump(answer)
    if control in LEADS:
        assert answer.speech.startswith(LEADS[control])
    assert "player" in answer.session["core"] and not answer.ended
    marks = answer.session["core"]["player"]["plan"].get("data", {}).get("marks", [])
    left_early = control in ("next", "skip") and when != "after-it-finished"
    assert ({"skipped": "quad_stretch"} in marks) == left_early
    holds = hold_lengths(answer)
    assert holds and all(h == "thirty seconds" for h in holds)  # the exercise starts whole, from its setup


@pytest.mark.parametrize("control", ["next", "resume", "skip", "repeat"])
def test_controls_after_a_pause_that_came_once_the_response_had_ended(alexa, control):
    """"Pause" once the hip flexor response has finished: nothing is skipped, repeat means that one."""
    alexa.launch()
    alexa.say("start my stretches")
    paused = alexa.say("pause")
    assert "Say resume" in paused.speech
    answer = alexa.say(control)
    expected = "First, the half-kneeling hip flexor stretch." if control == "repeat" else \
        "Next, the side-lying quad stretch."
    assert expected in answer.speech, dump(answer)
    assert not answer.session["core"]["player"]["plan"].get("data", {}).get("marks")


@pytest.mark.parametrize("control, expected", [("continue", None), ("next", None),
                                               ("skip", "Next, the side-lying quad stretch.")])
def test_controls_between_the_parts_of_a_split_exercise(alexa, control, expected):
    alexa.launch()
    for word in ["make the holds longer"] * 3 + ["slower", "slower"]:
        alexa.say(word)
    played = alexa.say("start my stretches")
    assert "Say continue" in played.reprompt
    answer = alexa.say(control)
    if expected:
        assert expected in answer.speech
    if control != "skip":
        assert "the half-kneeling hip flexor stretch" not in answer.speech
        assert hold_lengths(answer) and set(hold_lengths(answer)) == {"sixty seconds"}


def test_previous_on_the_first_exercise_replays_it(alexa):
    alexa.launch()
    alexa.say("start my stretches")
    answer = alexa.say("previous", after=60)
    assert answer.speech.startswith("Going back. First, the half-kneeling hip flexor stretch.")


def test_next_past_the_last_exercise_finishes_the_routine_once(alexa):
    alexa.launch()
    alexa.say("stretch my glutes")
    answer = alexa.say("next", after=100)
    assert "That's your glute stretches done." not in answer.speech  # already said when it started
    assert "Anything else?" in answer.speech
    assert len(alexa.stored["history"]) == 1
