"""The back check, as a user hears it: disclaimer, yes/no safety questions, timed self-checks, a plan.

Expectations are read from the content files (the questions, the checks, the routines) and the
seed's reasoning is written out here independently of ``plugins/diagnosis/plan_rules.py``.
The helpers at the top are shared with the other back-check test modules.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from skill.kit.listening import heard, is_first_work
from skill.kit.simulator import dump

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
SCREEN = json.loads((CONTENT / "diagnosis" / "screen.json").read_text(encoding="utf-8"))
CARE = json.loads((CONTENT / "diagnosis" / "care.json").read_text(encoding="utf-8"))
QUESTIONS = [q for q in SCREEN["questions"] if q["tier"] != "routine"]  # a first screen, in order
RECHECK_QUESTIONS = [q for q in SCREEN["questions"] if q["tier"] != "history"]
EMERGENCY = [q for q in QUESTIONS if q["tier"] == "emergency"]
URGENT = [q for q in QUESTIONS if q["tier"] == "urgent"]
CHECKS = sorted((json.loads(p.read_text(encoding="utf-8")) for p in (CONTENT / "diagnosis" / "checks").glob("*.json")),
                key=lambda c: c["order"])
GROUPS = ["hip_flexors", "quadriceps", "hamstrings", "glutes"]
SIDES = ["right", "left"]
LEVELS = ["free", "bit_tight", "very_tight"]
SAY_LEVEL = {"free": "moves freely", "bit_tight": "a bit tight", "very_tight": "very tight"}
HEARD_LEVEL = {"free": "moved freely", "bit_tight": "felt a bit tight", "very_tight": "felt very tight"}
TODAY = "2026-03-02"  # the test kit's first morning


def content_document(kind_folder: str, doc_id: str) -> dict:
    """A built-in exercise or routine, read straight from its file (``kind_folder``: exercises/routines)."""
    for folder in ("stretch_timer", "strength_coach"):
        path = CONTENT / folder / kind_folder / f"{doc_id}.json"
        if path.exists():
            return json.loads(path.read_text(encoding="utf-8"))
    raise LookupError(doc_id)


def routine(routine_id: str) -> dict:
    return content_document("routines", routine_id)


def routine_exercises(routine_ids) -> list[str]:
    found: list[str] = []
    for routine_id in routine_ids:
        found += [i["exercise"] for i in routine(routine_id)["items"] if i["exercise"] not in found]
    return found


def expected_stretch_routines(levels: dict) -> set[str]:
    """The seed's reasoning, written out: what a plan should stretch for these check results."""
    tight = {group for group, sides in levels.items() if any(level != "free" for level in sides.values())}
    wanted = set()
    if "hamstrings" in tight:  # tight hamstrings: stretch the front of the hips and thighs instead
        wanted |= {"hip_flexors", "quadriceps"}
    if "hip_flexors" in tight:
        wanted.add("hip_flexors")
    if "quadriceps" in tight:
        wanted.add("quadriceps")
    if "glutes" in tight:
        wanted.add("glutes")
    return wanted or {"after_run"}


def uniform(level: str) -> dict:
    return {g: {s: level for s in SIDES} for g in GROUPS}


# -- conversation helpers (used by the other back-check modules too) ---------------------------
def start_check(alexa, utterance: str = "check my back"):
    if not alexa.answers or alexa.answers[-1].ended:
        alexa.launch()
    return alexa.say(utterance)


def answer_no(alexa, count: int):
    answer = None
    for _ in range(count):
        answer = alexa.say("no")
    return answer


def screen_all_no(alexa, utterance: str = "check my back"):
    """Start a back check and answer every safety question no; returns the first check's response."""
    start_check(alexa, utterance)
    return answer_no(alexa, len(QUESTIONS))


def answer_checks(alexa, levels: dict) -> list:
    """Answer every side of every check; returns the responses (the last one holds the plan)."""
    answers = []
    for check in CHECKS:
        for side in check["sides"]:
            answers.append(alexa.say(SAY_LEVEL[levels[check["id"]][side]]))
    return answers


def full_check(alexa, levels: dict):
    """Screen all no, answer every check; returns the plan response."""
    screen_all_no(alexa)
    return answer_checks(alexa, levels)[-1]


def diagnosis_store(alexa) -> dict:
    return (alexa.stored.get("plugins") or {}).get("diagnosis", {})


def player_plan(answer) -> dict | None:
    player = answer.session.get("core", {}).get("player")
    return player["plan"] if player else None


def hold_silence(answer) -> float:
    """Seconds of silence from the first hold's start to its release in one response."""
    items = heard(answer.ssml)
    start = next((i for i, h in enumerate(items) if is_first_work(h)), None)
    assert start is not None, f"no timed hold in: {dump(answer)}"
    end = next(i for i in range(start, len(items)) if items[i].kind == "release")
    return sum(h.silence for h in items[start:end])


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+", text.strip()) if s]


# -- the disclaimer and the screen ------------------------------------------------------------
@pytest.mark.parametrize("utterance", ["check my back", "my lower back hurts", "which stretches do i need"])
def test_first_back_check_gives_the_full_disclaimer_then_the_first_question(alexa, utterance):
    alexa.launch()
    answer = alexa.say(utterance)
    assert answer.request["request"]["intent"]["name"] in ("CheckMyBackIntent", "PainIntent")  # back pain: a back check
    assert SCREEN["disclaimer_full"] in answer.speech
    assert "not medical advice" in answer.speech
    assert "yes, no, or not sure" in answer.speech
    assert SCREEN["privacy"] in answer.speech and "don't keep your answers" in answer.speech
    assert answer.speech.endswith(QUESTIONS[0]["text"])
    assert answer.reprompt == QUESTIONS[0]["text"]
    assert not answer.ended


def test_one_shot_invocation_starts_the_back_check(alexa):
    answer = alexa.say("ask stride coach to check my back")
    assert SCREEN["disclaimer_full"] in answer.speech
    assert answer.reprompt == QUESTIONS[0]["text"]


def test_later_back_checks_give_a_one_sentence_disclaimer(alexa):
    start_check(alexa)
    alexa.say("stop")
    alexa.next_day()
    alexa.launch()
    answer = alexa.say("my lower back hurts")
    assert SCREEN["disclaimer_full"] not in answer.speech
    assert answer.speech.startswith(SCREEN["disclaimer_short"])
    assert len(sentences(SCREEN["disclaimer_short"])) == 1
    assert "not medical advice" in answer.speech
    assert answer.reprompt == QUESTIONS[0]["text"]


def test_every_safety_question_is_asked_in_order_as_a_yes_no_question(alexa):
    start_check(alexa)
    asked = [alexa.answers[-1].reprompt]
    for _ in range(len(QUESTIONS) - 1):
        answer = alexa.say("no")
        assert not answer.ended
        assert answer.speech == answer.reprompt, "a no moves straight on to the next question"
        asked.append(answer.reprompt)
    assert asked == [q["text"] for q in QUESTIONS]
    assert all(q.endswith("?") for q in asked)
    assert len(asked) <= 6
    assert [q["tier"] for q in QUESTIONS] == ["emergency"] * 3 + ["urgent"] * 2 + ["history"]
    # every single question of the evidence notes' tiers A and B is asked inside one of the groups
    covered = {c for q in QUESTIONS for c in q["covers"]}
    assert covered == {f"A{i}" for i in range(1, 11)} | {f"B{i}" for i in range(1, 11)}


def test_something_other_than_yes_or_no_mid_screen_gets_the_question_again(alexa):
    start_check(alexa)
    answer_no(alexa, 2)
    for utterance in ("a bit tight", "five", "ease off", "next"):
        answer = alexa.say(utterance)
        assert "yes, no, or not sure" in answer.speech, dump(answer)
        assert answer.reprompt == QUESTIONS[2]["text"]
    assert alexa.say("no").reprompt == QUESTIONS[3]["text"]


# -- the self-checks --------------------------------------------------------------------------
def test_all_no_leads_to_timed_checks_of_each_group_one_side_then_the_other(alexa):
    first = screen_all_no(alexa)
    assert SCREEN["all_clear"] in first.speech
    assert "hamstrings, glutes, hip flexors and quadriceps" in first.speech
    answers = [first]
    levels = {"hip_flexors": {"right": "free", "left": "bit_tight"},
              "quadriceps": {"right": "very_tight", "left": "free"},
              "hamstrings": {"right": "bit_tight", "left": "bit_tight"},
              "glutes": {"right": "free", "left": "very_tight"}}
    said = []
    for index, check in enumerate(CHECKS):
        for side_index, side in enumerate(check["sides"]):
            answer = answers[-1]
            assert f"{check['test_name']}, {side} side" in answer.speech, dump(answer)
            if side_index == 0:
                assert check["needs"] in answer.speech and check["setup"][0] in answer.speech
            else:
                assert check["switch"] in answer.speech
            assert check["stop_if"] in answer.speech
            assert check["notice"] in answer.speech
            assert hold_silence(answer) == check["hold_seconds"], f"{check['id']} {side}"
            assert answer.reprompt == check["question"]
            assert answer.reprompt.endswith("?")
            assert not answer.ended
            level = levels[check["id"]][side]
            answers.append(alexa.say(SAY_LEVEL[level]))
            said.append((side, level))
            assert f"your {side} side {HEARD_LEVEL[level]}" in answers[-1].speech
            if side_index == 1 and index + 1 < len(CHECKS):
                assert f"Next, your {CHECKS[index + 1]['name']}" in answers[-1].speech
    assert len(said) == 8
    plan = answers[-1]
    assert "Would you like to start the stretches from your plan" in plan.reprompt
    assert diagnosis_store(alexa)["checks"][-1] == {"date": TODAY, "levels": levels}


@pytest.mark.parametrize("level, utterances", [
    ("free", ["moves freely", "freely", "it felt fine", "no tightness", "it moved freely"]),
    ("bit_tight", ["a bit tight", "a little tight", "slightly tight", "a bit stiff", "some restriction"]),
    ("very_tight", ["very tight", "really tight", "super tight", "quite restricted", "very stiff"]),
])
def test_each_level_and_its_synonyms_are_understood(alexa, level, utterances):
    screen_all_no(alexa)
    for utterance in utterances[:4]:
        answer = alexa.say(utterance)
        assert HEARD_LEVEL[level] in answer.speech, (utterance, dump(answer))
    alexa.say(utterances[4])
    for _ in range(3):
        alexa.say("moves freely")
    levels = diagnosis_store(alexa)["checks"][-1]["levels"]
    assert levels[CHECKS[0]["id"]] == {"right": level, "left": level}
    assert levels[CHECKS[1]["id"]] == {"right": level, "left": level}


def test_a_yes_or_no_instead_of_a_level_gets_the_level_question_again(alexa):
    screen_all_no(alexa)
    answer = alexa.say("yes")
    assert "moved freely" not in answer.speech and not answer.ended
    assert answer.reprompt == CHECKS[0]["question"]
    answer = alexa.say("a bit tight")
    assert "your right side felt a bit tight" in answer.speech


# -- the plan and the stretch routine ------------------------------------------------------------
PLAN_CASES = {
    "all free": uniform("free"),
    "hamstrings only": {**uniform("free"), "hamstrings": {"right": "bit_tight", "left": "free"}},
    "glutes left very tight": {**uniform("free"), "glutes": {"right": "free", "left": "very_tight"}},
    "hips and quads": {**uniform("free"), "hip_flexors": {"right": "bit_tight", "left": "bit_tight"},
                       "quadriceps": {"right": "free", "left": "very_tight"}},
    "everything very tight": uniform("very_tight"),
}


@pytest.mark.parametrize("levels", PLAN_CASES.values(), ids=PLAN_CASES.keys())
def test_plan_start_plays_the_stretches_the_results_imply(alexa, levels):
    plan = full_check(alexa, levels)
    assert "general guidance rather than medical advice" in plan.speech
    assert "strength and core" in plan.speech
    assert diagnosis_store(alexa)["checks"] == [{"date": TODAY, "levels": levels}]
    answer = alexa.say("yes")
    assert "Here are the stretches from your plan" in answer.speech
    played = player_plan(answer)
    assert played is not None and played["owner"] == "diagnosis", dump(answer)
    block_ids = [b["id"] for b in played["blocks"]]
    expected = routine_exercises(sorted(expected_stretch_routines(levels)))
    assert len(block_ids) == len(set(block_ids)), "each exercise once"
    assert set(block_ids) == set(expected)
    assert played["blocks"][0]["name"] in answer.speech
    assert diagnosis_store(alexa)["plan_started_on"] == TODAY


def test_tight_hamstrings_alone_get_hip_and_quad_stretches_not_the_hamstring_routine(alexa):
    levels = {**uniform("free"), "hamstrings": {"right": "very_tight", "left": "very_tight"}}
    plan = full_check(alexa, levels)
    assert "rather than the hamstrings" in plan.speech
    answer = alexa.say("yes")
    block_ids = {b["id"] for b in player_plan(answer)["blocks"]}
    assert "hamstring_stretch" not in block_ids and "leg_swing" not in block_ids
    assert {"hip_flexor_stretch", "quad_stretch"} <= block_ids


def test_declining_the_plan_keeps_it_for_the_next_launch(alexa):
    levels = {**uniform("free"), "glutes": {"right": "bit_tight", "left": "bit_tight"}}
    full_check(alexa, levels)
    answer = alexa.say("no")
    assert "saved" in answer.speech and "plan_started_on" not in diagnosis_store(alexa)
    alexa.next_day()
    welcome = alexa.launch()
    assert "Start your plan?" in welcome.speech and welcome.reprompt.endswith("Start your plan?")
    answer = alexa.say("yes")
    assert {b["id"] for b in player_plan(answer)["blocks"]} == set(routine_exercises(["glutes"]))
    assert diagnosis_store(alexa)["plan_started_on"] == "2026-03-03"


def test_no_to_the_plan_at_launch_goes_to_the_menu(alexa):
    full_check(alexa, uniform("free"))
    alexa.say("no")
    alexa.next_day()
    alexa.launch()
    answer = alexa.say("no")
    assert "You can ask for" in answer.speech and player_plan(answer) is None


def test_the_plan_is_not_offered_again_the_day_it_was_started(alexa):
    full_check(alexa, uniform("free"))
    alexa.say("yes")
    alexa.say("stop")
    welcome = alexa.launch()
    assert "Start your plan?" not in welcome.speech


def test_the_saved_data_is_levels_per_group_and_side_with_the_date_and_nothing_else(alexa):
    levels = {"hip_flexors": {"right": "very_tight", "left": "bit_tight"}, "quadriceps": uniform("free")["quadriceps"],
              "hamstrings": {"right": "free", "left": "bit_tight"}, "glutes": uniform("very_tight")["glutes"]}
    full_check(alexa, levels)
    alexa.say("yes")
    stored = diagnosis_store(alexa)
    assert stored["checks"] == [{"date": TODAY, "levels": levels}]
    assert set(stored) <= {"checks", "screened_on", "disclaimer_heard", "plan_started_on", "history_asked"}
    assert stored["screened_on"] == TODAY and stored["disclaimer_heard"] is True
    everything = alexa.stored
    assert set(everything) <= {"plugins", "history", "paused", "paused_plan", "prefs", "familiar"}
    health_words = re.compile(r"pain|numb|tingl|bladder|bowel|cancer|fever|emergency|urgent|\byes\b", re.IGNORECASE)
    outside_plan = {k: v for k, v in everything.items() if k != "paused_plan"}  # a plan holds exercise text
    assert not health_words.search(json.dumps(outside_plan)), json.dumps(outside_plan)


# -- the screen-validity rule (documented in plugins/diagnosis/__init__.py) ----------------------
@pytest.mark.parametrize("days, asks_again", [(0, False), (1, False), (6, False), (7, True), (8, True)])
def test_a_completed_screen_counts_for_seven_days(alexa, days, asks_again):
    """Rule: an all-no screen is valid on the day and the six days after; from day 7 it is asked again."""
    full_check(alexa, uniform("free"))
    alexa.say("no")
    if days:
        alexa.next_day(days)
    alexa.launch()
    answer = alexa.say("check my back")
    if asks_again:
        assert answer.reprompt == QUESTIONS[0]["text"], dump(answer)
        assert "straight to the checks" not in answer.speech
    else:
        assert "straight to the checks" in answer.speech, dump(answer)
        assert "new numbness" in answer.speech, "still says when to stop and get checked"
        assert answer.reprompt == CHECKS[0]["question"]
        assert not any(q["text"] in answer.speech for q in QUESTIONS)


# -- re-check after a few weeks ----------------------------------------------------------------
def test_a_recheck_after_three_weeks_is_offered_and_compared_with_the_last(alexa):
    before = {**uniform("bit_tight"), "hip_flexors": uniform("very_tight")["hip_flexors"]}
    full_check(alexa, before)
    alexa.say("no")
    alexa.next_day(30)  # 1 April
    welcome = alexa.launch()
    assert "re-check" in welcome.reprompt and "4 weeks" in welcome.speech, dump(welcome)
    answer = alexa.say("yes")
    assert SCREEN["disclaimer_short"] in answer.speech
    assert answer.reprompt == QUESTIONS[0]["text"], "the screen is asked again after a month"
    answer_no(alexa, len(QUESTIONS))
    after = {**uniform("bit_tight"), "hip_flexors": uniform("free")["hip_flexors"],
             "glutes": uniform("very_tight")["glutes"]}
    plan = answer_checks(alexa, after)[-1]
    assert "Your hip flexors feel freer than in March" in plan.speech
    assert "Your glutes feel a little tighter than in March" in plan.speech
    assert "Your quadriceps feel about the same as in March" in plan.speech
    assert [c["levels"] for c in diagnosis_store(alexa)["checks"]] == [before, after]


def test_no_recheck_is_offered_before_three_weeks(alexa):
    full_check(alexa, uniform("free"))
    alexa.say("no")
    alexa.next_day(20)
    welcome = alexa.launch()
    assert "re-check" not in welcome.speech
    assert "Start your plan?" in welcome.speech
