"""Red flags: any "yes" ends coaching with the right advice, and no answer is ever kept.

Privacy rule under test: the safety answers are never stored, not even in the session. The only
trace of a screen is ``screened_on`` (a date) after an all-no screen; a "yes" leaves nothing, and
removes an earlier ``screened_on`` so the next back check asks every question again.
"""

from __future__ import annotations

import json
import random
import re
import sqlite3

import pytest
from test_back_check import (
    CARE,
    CHECKS,
    EMERGENCY,
    QUESTIONS,
    SCREEN,
    TODAY,
    answer_no,
    diagnosis_store,
    full_check,
    start_check,
    uniform,
)

from skill.kit.simulator import AlexaSimulator, dump

EMERGENCY_NOW = ("emergency", "now", "nine one one", "use your phone")
DOCTOR_TODAY = ("contact your doctor today",)
US = CARE["locales"]["en-US"]
STOPPING = [q for q in QUESTIONS if q["tier"] in ("emergency", "urgent")]


def _ids(questions):
    return [q["id"] for q in questions]


# -- any yes ends coaching ---------------------------------------------------------------------
@pytest.mark.parametrize("position", range(len(STOPPING)), ids=_ids(STOPPING))
def test_a_yes_at_any_position_ends_the_session_with_the_advice_for_its_tier(alexa, position):
    question = QUESTIONS[position]
    start_check(alexa)
    if position:
        asked = answer_no(alexa, position)
        assert asked.reprompt == question["text"]
    answer = alexa.say("yes")
    assert answer.ended, dump(answer)
    assert not answer.reprompt
    if question["tier"] == "emergency":
        assert US["emergency"] in answer.speech
        assert all(w in answer.speech.lower() for w in EMERGENCY_NOW)
        assert "contact your doctor today" not in answer.speech
    else:
        assert US["urgent"] in answer.speech
        assert all(w in answer.speech.lower() for w in DOCTOR_TODAY)
        assert "emergency" not in answer.speech.lower()
    # coaching stops: no checks, no timed session, nothing kept for later
    assert "player" not in answer.session.get("core", {})
    assert "active" not in answer.session.get("core", {})
    assert not any(c["test_name"] in answer.speech for c in CHECKS)
    assert "screened_on" not in diagnosis_store(alexa)
    assert "paused" not in alexa.stored


def test_the_screen_is_asked_again_after_a_yes_the_same_day(alexa):
    start_check(alexa)
    answer_no(alexa, len(EMERGENCY))
    alexa.say("yes")  # first urgent question
    alexa.launch()
    answer = alexa.say("check my back")
    assert answer.reprompt == QUESTIONS[0]["text"]


def test_a_yes_cancels_an_earlier_all_clear(alexa):
    """Day 0: all no. Day 2: new leg symptoms, and a yes. Day 3: the back check asks every question again."""
    full_check(alexa, uniform("free"))
    alexa.say("no")
    alexa.next_day(2)
    alexa.launch()
    alexa.say("start my stretches")
    alexa.say("pins and needles", after=30)
    assert alexa.say("yes").ended
    assert "screened_on" not in diagnosis_store(alexa)
    alexa.next_day()
    alexa.launch()
    answer = alexa.say("check my back")
    assert answer.reprompt == QUESTIONS[0]["text"], dump(answer)


# -- help, stop, cancel, fallback mid-screen ----------------------------------------------------
def test_fallback_mid_screen_asks_the_same_question_again(alexa):
    start_check(alexa)
    answer_no(alexa, 3)
    answer = alexa.say("purple monkey dishwasher")
    assert answer.request["request"]["intent"]["name"] == "AMAZON.FallbackIntent"
    assert "didn't catch that" in answer.speech
    assert answer.reprompt == QUESTIONS[3]["text"] and not answer.ended
    assert alexa.say("no").reprompt == QUESTIONS[4]["text"]


def test_help_mid_screen_explains_and_asks_the_same_question_again(alexa):
    start_check(alexa)
    answer_no(alexa, 4)
    answer = alexa.say("help")
    assert "not medical advice" in answer.speech
    assert "answer the question" in answer.speech
    assert answer.reprompt == QUESTIONS[4]["text"] and not answer.ended
    assert alexa.say("no").reprompt == QUESTIONS[5]["text"]


def test_a_yes_after_help_still_stops_coaching(alexa):
    full_check(alexa, uniform("free"))  # a saved plan: the launch offer must not hijack the yes
    alexa.say("no")
    alexa.next_day(10)
    alexa.launch()
    alexa.say("no")
    start_check(alexa)
    answer_no(alexa, 2)
    alexa.say("help")
    answer = alexa.say("yes")
    assert answer.ended and US["emergency"] in answer.speech, dump(answer)


@pytest.mark.parametrize("utterance", ["stop", "cancel"])
def test_stop_and_cancel_mid_screen_end_the_session(alexa, utterance):
    start_check(alexa)
    answer_no(alexa, 4)
    answer = alexa.say(utterance)
    assert answer.ended and "Goodbye" in answer.speech
    assert "screened_on" not in diagnosis_store(alexa)
    alexa.launch()
    assert alexa.say("check my back").reprompt == QUESTIONS[0]["text"], "an unfinished screen does not count"


# -- nothing reaches storage -------------------------------------------------------------------
def _patterns() -> list[list[bool]]:
    """Answer patterns (True is yes): all no, one yes at each position, and a few random ones."""
    patterns = [[False] * len(QUESTIONS)]
    patterns += [[False] * i + [True] for i in range(len(STOPPING))]
    rng = random.Random(20260302)
    for _ in range(6):
        pattern = [rng.random() < 0.1 for _ in STOPPING] + [False]
        patterns.append(pattern[: pattern.index(True) + 1] if True in pattern else pattern)
    return patterns


FORBIDDEN_WORDS = re.compile(r"\b(yes|emergency|urgent|tier|answers?|red.?flags?)\b", re.IGNORECASE)
QUESTION_ID = re.compile(r"\b[ABCEUHR](?:[1-9]|10)\b")


def _screen_leaks(text: str) -> list[str]:
    found = [f"question text {q['id']}" for q in QUESTIONS if q["text"] in text]
    found += [f"marker {m.group(0)!r}" for m in FORBIDDEN_WORDS.finditer(text)]
    found += [f"question id {m.group(0)!r}" for m in QUESTION_ID.finditer(text)]
    for key in ("all_clear", "clearance_question", "cleared", "not_cleared", "routine_advice"):
        if SCREEN[key] in text:
            found.append(key)
    for locale, lines in CARE["locales"].items():
        found += [f"{locale} {key}" for key, line in lines.items() if len(line) > 20 and line in text]
    return found


def _run_pattern(alexa, pattern: list[bool]) -> list:
    answers = [start_check(alexa)]
    for yes in pattern:
        answers.append(alexa.say("yes" if yes else "no"))
        if answers[-1].ended:
            break
    return answers


def _session_leaks(answer) -> list[str]:
    """Screen traces in a response's session attributes.

    The core keeps the question being asked as ``last_prompt`` (to re-ask it after help or a
    fallback); that is the question in this very response, already in the speech, so it is
    allowed while the session stays open.
    """
    session = json.loads(json.dumps(answer.session))
    core = session.get("core", {})
    if not answer.ended and core.get("last_prompt") == answer.reprompt:
        core.pop("last_prompt")
    plugin = session.get("plugins", {}).get("diagnosis", {})
    allowed = ("step", "q", "kind", "purpose", "group", "side", "levels")
    leaks = [f"diagnosis session key {k!r}" for k in plugin if k not in allowed]
    return leaks + _screen_leaks(json.dumps(session))


def _read_every_cell(path) -> str:
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        assert tables, "the store has no tables"
        cells = []
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                cells += [str(c) for c in row]
    return "\n".join(cells)


def test_no_screen_answer_reaches_the_sqlite_file(stride_skill):
    patterns = _patterns()
    users = []
    for index, pattern in enumerate(patterns):
        alexa = AlexaSimulator(stride_skill, user_id=f"amzn1.ask.account.user-{index}")
        answers = _run_pattern(alexa, pattern)
        all_no = True not in pattern
        stored = diagnosis_store(alexa)
        if all_no:
            assert not answers[-1].ended and answers[-1].reprompt == CHECKS[0]["question"]
            assert stored == {"disclaimer_heard": True, "screened_on": TODAY, "history_asked": True}, stored
        else:
            assert answers[-1].ended
            assert stored == {"disclaimer_heard": True}, (pattern, stored)
        assert set(alexa.stored) <= {"plugins"}, alexa.stored
        users.append(alexa.user_id)
    for index, yes_at in enumerate([None, 0, 4, len(EMERGENCY) - 1]):  # the leg-symptom questions mid-routine
        alexa = AlexaSimulator(stride_skill, user_id=f"amzn1.ask.account.legs-{index}")
        alexa.launch()
        alexa.say("start my stretches")
        alexa.say("pins and needles", after=60)
        for position in range(len(EMERGENCY)):
            if alexa.say("yes" if position == yes_at else "no").ended:
                break
        if yes_at is None:
            assert "Back to" in alexa.say("carry on").speech
        assert set(diagnosis_store(alexa)) <= {"disclaimer_heard"}, diagnosis_store(alexa)
        users.append(alexa.user_id)
    path = stride_skill.adapter.path
    cells = _read_every_cell(path)
    for user in users:
        assert user in cells, "the dump reads the real rows"
    assert '"screened_on"' in cells
    leaks = _screen_leaks(cells)
    assert not leaks, leaks
    raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))  # the file, its WAL and journal
    for question in QUESTIONS:
        assert question["text"].encode() not in raw, question["id"]
    markers = re.findall(rb"\b(?:emergency|urgent|yes|tier)\b", raw, re.IGNORECASE)
    assert not markers, markers


def test_the_session_attributes_hold_no_screen_answer_while_all_answers_are_no(alexa):
    answers = _run_pattern(alexa, [False] * len(QUESTIONS))
    answers += [alexa.say("moves freely"), alexa.say("a bit tight")]
    problems = [(i, leak) for i, a in enumerate(answers) for leak in _session_leaks(a)]
    assert not problems, problems


def test_the_session_attributes_hold_no_screen_answer_for_any_pattern_up_to_the_end(shared_skill):
    """Every response but the last of a screen that ends on a yes (the last one is checked below),
    and the plugin's own session data in every response."""
    problems = []
    for index, pattern in enumerate(_patterns()):
        alexa = AlexaSimulator(shared_skill, user_id=f"amzn1.ask.account.session-{index}")
        answers = _run_pattern(alexa, pattern)
        checked = answers[:-1] if answers[-1].ended else answers
        problems += [(pattern.index(True) if True in pattern else None, i, leak)
                     for i, a in enumerate(checked) for leak in _session_leaks(a)]
        last = answers[-1].session.get("plugins", {}).get("diagnosis", {})
        if answers[-1].ended and last:
            problems.append((index, "end", f"diagnosis session left: {last}"))
    assert not problems, problems[:10]


@pytest.mark.parametrize("position", [0, len(EMERGENCY)], ids=["emergency yes", "urgent yes"])
def test_the_session_attributes_of_the_ending_response_hold_no_screen_answer(alexa, position):
    answers = _run_pattern(alexa, [False] * position + [True])
    assert answers[-1].ended
    problems = [(i, leak) for i, a in enumerate(answers) for leak in _session_leaks(a)]
    assert not problems, problems
