"""Guided stretch sessions, as a user hears them: every routine from start to finish, exact holds,
rests and rep tempo read back from the SSML, Alexa's limits at the extreme settings, long holds
split between sets, continuous mode, and hold length and speaking pace that are remembered."""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from functools import cache

import pytest

from content import CONTENT_ROOT
from skill.engine.player import CONTINUOUS_BUDGET_S, RESPONSE_BUDGET_S
from skill.engine.timeline import number_word
from skill.kit.simulator import dump, listen_to_the_end
from skill.speech import ssml
from skill.speech.builder import spoken_seconds

STRETCH = CONTENT_ROOT / "stretch_timer"
ROUTINES = {  # routine id: what the user says
    "after_run": "start my stretches",
    "before_run": "a stretch before my run",
    "hip_flexors": "stretch my hip flexors",
    "quadriceps": "stretch my quads",
    "glutes": "stretch my glutes",
    "hamstrings": "stretch my hamstrings",
}
HOLD_STEPS = {0.5: ["shorter"] * 2, 0.75: ["shorter"], 1.0: [], 1.25: ["longer"], 1.5: ["longer"] * 2,
              2.0: ["longer"] * 3}
RATE_STEPS = {80: ["slower"] * 2, 90: ["slower"], 100: [], 110: ["faster"], 120: ["faster"] * 2}


# -- the content, read independently of the engine ------------------------------------------------
@cache
def _json(kind: str, ident: str) -> dict:
    return json.loads((STRETCH / kind / f"{ident}.json").read_text(encoding="utf-8"))


def expected_blocks(routine_id: str) -> list[dict]:
    """What each exercise of a routine must contain, straight from the content files."""
    blocks = []
    for item in _json("routines", routine_id)["items"]:
        card = _json("exercises", item["exercise"])
        dose = card["dose"]
        blocks.append({
            "name": card["name"], "short_name": card["short_name"], "switch": card.get("switch"),
            "sides": (card.get("side_words") or ["right", "left"]) if card["sided"] else [],
            "sets": item.get("sets", dose["sets"]), "rest": item.get("rest_seconds", dose.get("rest_seconds", 0)),
            "kind": card["kind"], "hold": item.get("hold_seconds", dose.get("hold_seconds")),
            "reps": item.get("reps", (dose.get("reps") or {}).get("min")), "tempo": dose.get("tempo"),
        })
    return blocks


def blocks_of_plan(plan: dict) -> list[dict]:
    """The same description for a plan the skill built (the time-boxed routine)."""
    return [{"name": b["name"], "short_name": b["short_name"], "switch": b.get("switch"), "sides": b["sides"],
             "sets": b["sets"], "rest": b.get("rest_seconds", 0), "kind": b["work"]["type"],
             "hold": b["work"].get("seconds"), "reps": b["work"].get("reps"), "tempo": b["work"].get("tempo")}
            for b in plan["blocks"]]


def hold_for(block: dict, scale: float) -> int:
    return max(5, round(block["hold"] * scale))


def set_seconds(block: dict) -> int:
    tempo = block["tempo"]
    return block["reps"] * (tempo["down"] + tempo.get("bottom", 0) + tempo["up"] + tempo.get("top", 0))


# -- reading the SSML back ------------------------------------------------------------------------
def pieces(ssml_text: str) -> list[tuple[str, object]]:
    """The speech as ("say", sentence) and ("break", seconds), in order."""
    out: list[tuple[str, object]] = []
    for chunk in re.split(r'(<break\s+time="[^"]+"\s*/>)', ssml_text):
        if chunk.startswith("<break"):
            out.append(("break", ssml.silence_seconds(chunk)))
        else:
            for sentence in re.split(r"(?<=[.?!])\s+", ssml.to_text(chunk)):
                if sentence.strip():
                    out.append(("say", sentence.strip()))
    return out


@dataclass
class Interval:
    kind: str  # hold, rest or reps
    exercise: int
    side: int
    set: int
    seconds: float = 0.0
    said: list[str] = field(default_factory=list)


@dataclass
class Reading:
    intervals: list[Interval] = field(default_factory=list)
    stray_breaks: list[str] = field(default_factory=list)  # silences outside any hold, rest or set


def read(answers, blocks: list[dict]) -> Reading:
    """Every hold, rest and set of reps in a run of responses, with its exercise, side and set."""
    names = [b["name"] for b in blocks]
    short_names = [b["short_name"] for b in blocks]
    reading = Reading()
    exercise = side = set_index = 0
    open_: Interval | None = None
    for answer in answers:
        for kind, value in pieces(answer.ssml):
            block = blocks[exercise]
            if kind == "break":
                if open_ is None:
                    reading.stray_breaks.append(f"{value} s in {dump(answer)[:200]}")
                else:
                    open_.seconds += value
                continue
            sentence = value
            if open_ is not None and open_.kind == "rest" and sentence not in ("Ten seconds.", "Get ready."):
                open_ = None
            if m := re.fullmatch(r"(First|Next|Now), (.+)\.", sentence):
                if m.group(2) in names:
                    exercise, side, set_index, open_ = names.index(m.group(2)), 0, 0, None
            elif m := re.fullmatch(r"Back to (.+?)(?:, (\w+) side)?\.", sentence):
                exercise = short_names.index(m.group(1))
                side = blocks[exercise]["sides"].index(m.group(2)) if m.group(2) else 0
            elif sentence == block["switch"]:
                side, set_index = side + 1, 0
            elif (m := re.fullmatch(r"(\w+) side\.", sentence)) and m.group(1).lower() in block["sides"]:
                side, set_index = block["sides"].index(m.group(1).lower()), 0
            elif m := re.fullmatch(r"(?:Hold|Set) (\w+) of (\w+)\.", sentence):
                set_index = [number_word(n) for n in range(21)].index(m.group(1)) - 1
            elif sentence.startswith("Hold for ") or sentence == "Hold.":
                open_ = Interval("hold", exercise, side, set_index)
                reading.intervals.append(open_)
            elif sentence == "And release.":
                open_ = None
            elif sentence.startswith("Rest for "):
                open_ = Interval("rest", exercise, side, set_index)
                reading.intervals.append(open_)
            elif block["kind"] == "reps":
                down = (block["tempo"].get("words") or ["down", "up"])[0]
                if open_ is None and sentence == f"{down.capitalize()},":
                    open_ = Interval("reps", exercise, side, set_index)
                    reading.intervals.append(open_)
                elif open_ is not None and sentence == f"{number_word(block['reps']).capitalize()}.":
                    open_.said.append(sentence)
                    open_ = None
                    continue
            if open_ is not None:
                open_.said.append(sentence)
    return reading


def holds_by_side(reading: Reading, exercise: int) -> dict[int, list[float]]:
    out: dict[int, list[float]] = {}
    for interval in reading.intervals:
        if interval.exercise == exercise and interval.kind in ("hold", "reps"):
            out.setdefault(interval.side, []).append(interval.seconds)
    return out


# -- driving a routine ----------------------------------------------------------------------------
def adjust(alexa, scale: float = 1.0, rate: int = 100) -> None:
    for word in HOLD_STEPS[scale] + RATE_STEPS[rate]:
        alexa.say(f"make the holds {word}" if word in ("longer", "shorter") else word)
    prefs = alexa.stored.get("prefs", {})
    assert prefs.get("hold_scale", 1.0) == scale and prefs.get("rate", 100) == rate


def play_through(alexa, utterance: str, carry_on: str = "next", limit: int = 25) -> list:
    """Start a routine and answer each closing cue until it is finished."""
    answers = [alexa.say(utterance)]
    while "Say next for" in answers[-1].reprompt or "Say continue" in answers[-1].reprompt:
        assert len(answers) < limit, "the routine never finishes"
        word = "continue" if "Say continue" in answers[-1].reprompt and carry_on == "continue" else "next"
        answers.append(alexa.say(word))
    return answers


# -- 1. a whole routine, turn by turn ---------------------------------------------------------------
@pytest.mark.parametrize("routine_id", list(ROUTINES))
def test_each_routine_from_launch_to_finish(alexa, routine_id):
    blocks = expected_blocks(routine_id)
    routine = _json("routines", routine_id)
    alexa.launch()
    answers = play_through(alexa, ROUTINES[routine_id])
    assert len(answers) == len(blocks), [dump(a) for a in answers]
    assert routine["intro"] in answers[0].speech
    for index, (answer, block) in enumerate(zip(answers, blocks)):
        lead = "First" if len(blocks) > 1 and index == 0 else ("Now" if len(blocks) == 1 else "Next")
        assert f"{lead}, {block['name']}." in answer.speech
        assert sum(f", {b['name']}." in answer.speech for b in blocks) == 1  # one exercise per response
        for step in _json("exercises", _card_id(routine, index))["steps"]:
            assert step in answer.speech
        reading = read([answer], blocks)
        assert not reading.stray_breaks
        work = holds_by_side(reading, index)
        assert sorted(work) == list(range(max(1, len(block["sides"]))))  # both sides when sided
        assert all(len(sets) == block["sets"] for sets in work.values())  # every hold or set
        for side in block["sides"]:
            assert f"{side.capitalize()} side." in answer.speech
        if index + 1 < len(blocks):
            cue = f"Say next for {blocks[index + 1]['short_name']}"
            assert cue in answer.speech.split("Well done.")[-1]
            assert answer.reprompt.startswith(cue)
            assert not answer.ended
    final = answers[-1]
    assert routine["outro"] in final.speech
    assert f"That's {routine['name']} done." in final.speech
    assert not final.ended and final.reprompt.endswith("?")
    assert "history" not in alexa.stored  # recorded once the last response has played, not when it is sent
    alexa.end_session("EXCEEDED_MAX_REPROMPTS")
    history = alexa.stored["history"]
    assert len(history) == 1
    assert history[0]["date"] == alexa.now.date().isoformat()
    assert history[0]["title"] == routine["name"]
    heard_minutes = sum(a.playback_seconds for a in answers) / 60
    assert history[0]["minutes"] == pytest.approx(heard_minutes, rel=0.1)


@pytest.mark.parametrize("routine_id", list(ROUTINES))
def test_no_sentence_is_said_twice_in_a_row(alexa, routine_id):
    alexa.launch()
    for answer in play_through(alexa, ROUTINES[routine_id]):
        sentences = [v for k, v in pieces(answer.ssml) if k == "say"]
        repeats = [a for a, b in itertools.pairwise(sentences) if a == b]
        assert not repeats, repeats


def _card_id(routine: dict, index: int) -> str:
    return routine["items"][index]["exercise"]


def test_ten_minutes_fits_the_after_run_routine_into_ten_minutes(alexa):
    alexa.launch()
    answers = play_through(alexa, "I've got ten minutes")
    match = re.search(r"Here's a stretch routine of about (\d+) minutes\.", answers[0].speech)
    assert match and int(match.group(1)) <= 10
    plan = answers[0].session["core"]["player"]["plan"]
    blocks = blocks_of_plan(plan)
    assert [b["name"] for b in blocks] == [b["name"] for b in expected_blocks("after_run")][:len(blocks)]
    reading = read(answers, blocks)
    assert not reading.stray_breaks
    for index, block in enumerate(blocks):
        assert holds_by_side(reading, index) == {s: [block["hold"]] * block["sets"] for s in range(2)}
    assert sum(a.playback_seconds for a in answers) <= 10.5 * 60
    alexa.end_session("EXCEEDED_MAX_REPROMPTS")
    assert alexa.stored["history"][0]["minutes"] <= 10
    assert "That's your after-run stretches done." in answers[-1].speech


def test_too_few_minutes_gets_a_question_not_a_routine(alexa):
    alexa.launch()
    answer = alexa.say("I've got one minutes")
    assert "at least two minutes" in answer.speech and answer.reprompt.endswith("?")
    assert "player" not in answer.session.get("core", {})


# -- 2. every hold is exactly as long as the content (and the user's setting) says ------------------
@pytest.mark.parametrize("scale", sorted(HOLD_STEPS))
@pytest.mark.parametrize("routine_id", list(ROUTINES))
def test_every_hold_rest_and_set_adds_up_exactly(alexa, routine_id, scale):
    blocks = expected_blocks(routine_id)
    alexa.launch()
    adjust(alexa, scale)
    answers = play_through(alexa, ROUTINES[routine_id], carry_on="continue")
    reading = read(answers, blocks)
    assert not reading.stray_breaks
    for index, block in enumerate(blocks):
        length = hold_for(block, scale) if block["kind"] == "hold" else set_seconds(block)
        sides = max(1, len(block["sides"]))
        assert holds_by_side(reading, index) == {s: [length] * block["sets"] for s in range(sides)}, block["name"]
        rests = [i.seconds for i in reading.intervals if i.exercise == index and i.kind == "rest"]
        assert rests == [block["rest"]] * (sides * block["sets"] - 1 if block["rest"] else 0)
    for interval in reading.intervals:
        if interval.kind == "hold":
            spoken = interval.said[0]
            assert spoken in (f"Hold for {_seconds_words(interval.seconds)}.",), spoken
            if interval.seconds >= 20:
                assert "Ten seconds left." in interval.said


def _seconds_words(seconds: float) -> str:
    n = int(seconds)
    return f"{number_word(n) if n <= 20 else n} seconds"


def test_rep_sets_count_every_repetition_in_words(alexa):
    blocks = expected_blocks("before_run")
    alexa.launch()
    answers = play_through(alexa, ROUTINES["before_run"])
    reading = read(answers, blocks)
    for interval in (i for i in reading.intervals if i.kind == "reps"):
        block = blocks[interval.exercise]
        counts = [s for s in interval.said if re.fullmatch(r"[A-Z][a-z]+\.", s)
                  and s[:-1].lower() in [number_word(n) for n in range(1, 21)]]
        assert counts == [f"{number_word(n).capitalize()}." for n in range(1, block["reps"] + 1)]
        assert "Last one." in interval.said


# -- 3. Alexa's limits and the response budget at the extremes -------------------------------------
def _engine_seconds(answer) -> float:
    """Playback of a response without the closing words the core adds after the engine's part."""
    text = answer.speech
    if "Say next for" in answer.reprompt or "Say continue" in answer.reprompt:
        tail = answer.reprompt
    else:
        tail = text.rsplit("Well done.", 1)[-1]
    rate = int(m.group(1)) if (m := re.search(r'rate="(\d+)%"', answer.ssml)) else 100
    return answer.playback_seconds - spoken_seconds(tail, rate)


@pytest.mark.parametrize("continuous", [False, True], ids=["one-at-a-time", "keep-going"])
@pytest.mark.parametrize("rate", [80, 120])
@pytest.mark.parametrize("scale", [0.5, 2.0])
@pytest.mark.parametrize("routine_id", list(ROUTINES))
def test_limits_hold_on_every_response(alexa, routine_id, scale, rate, continuous):
    blocks = expected_blocks(routine_id)
    alexa.launch()
    adjust(alexa, scale, rate)
    if continuous:
        assert "keep going" in alexa.say("keep going").speech
    answers = play_through(alexa, ROUTINES[routine_id])  # the kit checks Alexa's rules on each
    for answer in answers:
        assert f'<prosody rate="{rate}%">' in answer.ssml
        assert len(answer.ssml) < ssml.MAX_SPEECH_CHARS
        assert max(float(ms) for ms in re.findall(r'time="(\d+)ms"', answer.ssml) or [0]) <= 10_000
        budget = CONTINUOUS_BUDGET_S if continuous else RESPONSE_BUDGET_S
        assert _engine_seconds(answer) <= budget + 1, dump(answer)[:300]
        assert answer.playback_seconds <= budget + 20  # plus the closing cue or outro and menu
        assert not answer.ended and answer.reprompt
    reading = read(answers, blocks)
    for index, block in enumerate(blocks):  # nothing lost or repeated, whatever the split
        length = hold_for(block, scale) if block["kind"] == "hold" else set_seconds(block)
        assert holds_by_side(reading, index) == {s: [length] * block["sets"]
                                                 for s in range(max(1, len(block["sides"])))}


def test_keep_going_chains_exercises_that_fit_and_one_at_a_time_stops_it(alexa):
    blocks = expected_blocks("after_run")
    alexa.launch()
    alexa.say("keep going")
    first = alexa.say("start my stretches")
    chained = [b for b in blocks if f", {b['name']}." in first.speech]
    assert 2 <= len(chained) < len(blocks)  # at the default holds, keep going chains but not everything
    assert first.reprompt.startswith(f"Say next for {blocks[len(chained)]['short_name']}")
    assert _engine_seconds(first) <= CONTINUOUS_BUDGET_S + 1
    alexa.say("one at a time", after=10)
    answer = alexa.say("resume")
    assert sum(f", {b['name']}." in answer.speech for b in blocks) <= 1
    assert "Say next for" in answer.reprompt


def test_keep_going_said_a_while_after_an_exercise_does_not_skip_the_next_one(alexa):
    alexa.launch()
    adjust(alexa, 0.5)
    first = alexa.say("start my stretches")
    answer = alexa.say("keep going", after=first.playback_seconds + 60)
    assert "Next, the side-lying quad stretch." in answer.speech
    assert not answer.session["core"]["player"]["plan"].get("data", {}).get("marks")


@pytest.mark.parametrize("carry_on", ["continue", "next"])
@pytest.mark.parametrize("routine_id", ["glutes", "quadriceps", "hamstrings", "after_run"])
def test_long_holds_split_an_exercise_between_sets_and_carry_on(alexa, routine_id, carry_on):
    blocks = expected_blocks(routine_id)
    alexa.launch()
    adjust(alexa, 2.0, 80)
    answers = play_through(alexa, ROUTINES[routine_id], carry_on=carry_on)
    split = [a for a in answers if "Say continue" in a.reprompt]
    assert split, "a 60 s hold routine at the slowest pace should not fit one response"
    for answer in split:
        assert answer.speech.endswith("Say continue when you're ready for the rest of this exercise.")
        assert "Well done." not in answer.speech.rsplit("And release.", 1)[-1]
    following = answers[answers.index(split[0]) + 1]
    assert not re.search(r"\b(First|Next|Now), ", following.speech.split("Hold for")[0])  # no restart
    reading = read(answers, blocks)
    order = [(i.exercise, i.side, i.set) for i in reading.intervals if i.kind == "hold"]
    assert len(order) == len(set(order))  # no hold repeated
    for index, block in enumerate(blocks):
        if block["kind"] == "hold":
            assert holds_by_side(reading, index) == {s: [hold_for(block, 2.0)] * block["sets"] for s in range(2)}


# -- 5. adjustable, and remembered ----------------------------------------------------------------
def _first_hold(answer, blocks) -> float:
    return next(i.seconds for i in read([answer], blocks).intervals if i.kind == "hold")


@pytest.mark.parametrize("scale", [0.5, 0.75, 1.25, 1.5, 2.0])
def test_hold_length_is_applied_and_remembered_across_sessions(alexa, scale):
    blocks = expected_blocks("glutes")
    alexa.launch()
    adjust(alexa, scale)
    said = alexa.answers[-1].speech
    assert f"{round(scale * 100)} percent of the usual time" in said and "remember" in said
    assert _first_hold(alexa.say("stretch my glutes"), blocks) == hold_for(blocks[0], scale)
    alexa.say("stop", after=20)
    alexa.next_day()
    alexa.launch()
    alexa.say("no")  # not picking up yesterday's routine
    answer = alexa.say("stretch my glutes")
    assert _first_hold(answer, blocks) == hold_for(blocks[0], scale)
    assert f"Hold for {_seconds_words(hold_for(blocks[0], scale))}." in answer.speech


@pytest.mark.parametrize("rate", [80, 90, 110, 120])
def test_speaking_pace_sets_the_prosody_rate_and_is_remembered(alexa, rate):
    alexa.launch()
    adjust(alexa, rate=rate)
    said = alexa.answers[-1].speech
    assert ("more slowly" if rate < 100 else "faster") in said
    answer = alexa.say("stretch my quads")
    assert answer.ssml.startswith(f'<speak><prosody rate="{rate}%">')
    assert f'<prosody rate="{rate}%">' in answer.body["reprompt"]["outputSpeech"]["ssml"]
    listen_to_the_end(alexa)
    alexa.next_day()
    launch = alexa.launch()
    assert f'<prosody rate="{rate}%">' in launch.ssml
    assert f'<prosody rate="{rate}%">' in alexa.say("stretch my quads").ssml


def test_slower_speech_takes_longer_but_holds_stay_exact(alexa):
    blocks = expected_blocks("quadriceps")
    alexa.launch()
    normal = alexa.say("stretch my quads")
    alexa.say("stop", after=5)
    alexa.launch()
    alexa.say("no")
    adjust(alexa, rate=80)
    slow = alexa.say("stretch my quads")
    assert ssml.silence_seconds(slow.ssml) == ssml.silence_seconds(normal.ssml)
    assert slow.playback_seconds > normal.playback_seconds
    assert _first_hold(slow, blocks) == blocks[0]["hold"]


@pytest.mark.parametrize("words, message", [
    (["make the holds longer"] * 4, "The holds are already at their longest setting."),
    (["make the holds shorter"] * 3, "The holds are already at their shortest setting."),
    (["faster"] * 3, "That's as fast as I go."),
    (["slower"] * 3, "That's as slow as I go."),
])
def test_settings_clamp_at_the_ends_with_a_clear_message(alexa, words, message):
    alexa.launch()
    for word in words[:-1]:
        assert message not in alexa.say(word).speech
    answer = alexa.say(words[-1])
    assert message in answer.speech and not answer.ended
    prefs = alexa.stored["prefs"]
    assert prefs.get("hold_scale", 1.0) in (0.5, 1.0, 2.0) and prefs.get("rate", 100) in (80, 100, 120)


def test_changing_the_holds_mid_session_applies_to_the_holds_that_follow(alexa):
    blocks = expected_blocks("glutes")
    alexa.launch()
    alexa.say("stretch my glutes")
    alexa.say("pause", after=75)
    changed = alexa.say("make the holds longer")
    assert "Say resume" in changed.speech
    resumed = alexa.say("resume")
    assert resumed.speech.startswith("Back to the glute stretch")
    holds = [i.seconds for i in read([resumed], blocks).intervals if i.kind == "hold"]
    assert holds[1:] and all(h == hold_for(blocks[0], 1.25) for h in holds[1:])
