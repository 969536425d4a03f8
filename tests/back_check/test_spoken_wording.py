"""The wording lint over everything Stride Coach can say, beyond the content JSON.

``tests/test_content_wording.py`` covers the JSON under ``content/``; this module applies the same
rules (its ``BANNED`` list) to (a) JSON under ``examples/`` when there is one, (b) the string
literals that can be spoken in ``plugins/**/*.py``, ``skill/*.py`` and the example plugins'
sources, and (c) the speech of every response in a scripted tour of the skill. No "diagnose",
"diagnosis", "cure", "fix your", "fixes", "treats" or "you have <condition>" claims.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from test_back_check import CHECKS, QUESTIONS, ROOT, SAY_LEVEL, SCREEN
from test_content_wording import BANNED, _strings

EXAMPLES = ROOT / "examples"
MIN_LENGTH = 15  # shorter literals, or ones without a space, are ids, keys and names, not speech


def banned(text: str) -> list[str]:
    found = []
    for pattern, why in BANNED:
        match = pattern.search(text)
        if match:
            found.append(f"{why} ({match.group(0)!r})")
    return found


# -- (b) string literals in the code -------------------------------------------------------------
def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                    and isinstance(first.value.value, str)):
                found.add(id(first.value))
    return found


def spoken_literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string constant that could be spoken: over 15 characters, with a space."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    docstrings = _docstrings(tree)
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
            and len(node.value) > MIN_LENGTH and " " in node.value]


def code_files() -> list[Path]:
    """The built-in plugins, the core's own modules, and the sources (not the tests) of example plugins."""
    examples = sorted(EXAMPLES.glob("*/src/**/*.py")) if EXAMPLES.is_dir() else []
    return sorted((ROOT / "plugins").rglob("*.py")) + sorted((ROOT / "skill").rglob("*.py")) + examples


def literal_problems(files) -> list[str]:
    problems = []
    for path in files:
        for line, text in spoken_literals(path):
            for why in banned(text):
                where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
                problems.append(f"{where}:{line}: {why} in: {text}")
    return problems


def test_the_code_lint_sees_the_plugins_and_the_core():
    files = code_files()
    names = {str(p.relative_to(ROOT)) for p in files}
    assert {"plugins/diagnosis/__init__.py", "plugins/stretch_timer/__init__.py",
            "plugins/strength_coach/__init__.py", "skill/pipeline/router.py", "skill/pipeline/core_intents.py"} <= names
    literals = [text for path in files for _, text in spoken_literals(path)]
    assert any("scale of zero to ten" in t for t in literals), "f-strings and plain literals are both collected"
    assert not any(t.startswith("The back check: a red-flag") for t in literals), "docstrings are left out"


def test_no_banned_claims_in_spoken_string_literals():
    problems = literal_problems(code_files())
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_the_code_lint_catches_a_claim(tmp_path):
    bad = tmp_path / "bad_plugin.py"
    bad.write_text('"""This docstring may say diagnosis freely."""\n'
                   'def reply():\n'
                   '    """Nor does this one: it cures nothing."""\n'
                   '    return f"These stretches fix your back, {1} times." + "Well, you have a tight psoas."\n',
                   encoding="utf-8")
    problems = literal_problems([bad])
    assert len(problems) == 2, problems
    assert any("fix claim" in p for p in problems) and any("condition" in p for p in problems)
    assert all(":4:" in p for p in problems), "the failure names the line"


# -- (a) JSON outside content/ --------------------------------------------------------------------
def test_no_banned_claims_in_example_json():
    files = sorted(EXAMPLES.rglob("*.json")) if EXAMPLES.is_dir() else []
    if not files:
        pytest.skip("no examples/ folder with JSON in this checkout")
    problems = []
    for path in files:
        for pointer, text in _strings(json.loads(path.read_text(encoding="utf-8")), []):
            problems += [f"{path.relative_to(ROOT)} {pointer or '/'}: {why} in: {text}" for why in banned(text)]
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


# -- (c) what the skill says on a tour ----------------------------------------------------------------
MIXED = {"hip_flexors": {"right": "free", "left": "bit_tight"}, "quadriceps": {"right": "very_tight", "left": "free"},
         "hamstrings": {"right": "bit_tight", "left": "very_tight"}, "glutes": {"right": "free", "left": "bit_tight"}}


def _play_to_the_end(alexa, label: str, log: list, limit: int = 30) -> None:
    for _ in range(limit):
        answer = alexa.say("next")
        log.append((f"{label}: next", answer))
        if "Anything else?" in answer.speech or answer.ended:
            return
    raise AssertionError(f"{label} did not finish in {limit} steps")


def tour(alexa) -> list:
    """Every response of a long, typical use of the skill: (what the user said, the response)."""
    log = []

    def say(utterance, **kw):
        answer = alexa.say(utterance, **kw)
        log.append((utterance, answer))
        return answer

    say("open stride coach")
    say("help")
    say("check my back")
    for _ in QUESTIONS:
        say("no")
    for check in CHECKS:
        for side in check["sides"]:
            say(SAY_LEVEL[MIXED[check["id"]][side]])
    say("yes")  # the plan's stretches
    _play_to_the_end(alexa, "plan stretches", log)
    say("what did i do this week")
    say("stop")
    alexa.next_day()
    say("open stride coach")  # "Start your plan?"
    say("no")
    say("start my stretches")
    say("it hurts", after=70)
    say("2")
    say("carry on")
    _play_to_the_end(alexa, "stretch routine", log)
    say("strength session")
    say("it hurts", after=40)
    say("5")
    say("ease off")
    say("too hard", after=15)
    _play_to_the_end(alexa, "strength session", log)
    say("my leg feels numb")  # nothing playing now: the leg questions, all no
    for _ in SCREEN["leg_screen"]:
        say("no")
    say("how am i doing")
    say("stop")
    alexa.next_day(30)
    say("open stride coach")  # the re-check
    say("yes")
    for _ in QUESTIONS:
        say("no")
    say("it hurts", after=20)  # during the first check
    say("yes")
    for check in CHECKS[1:]:
        for _side in check["sides"]:
            say("a bit tight")
    say("no")
    say("help")
    say("stop")
    return log


def test_the_tour_covers_the_main_paths(alexa):
    log = tour(alexa)
    speech = " ".join(a.speech for _, a in log)
    for heard in ("not medical advice", QUESTIONS[-1]["text"], CHECKS[-1]["question"], "Here are the stretches",
                  "your after-run stretches", "strength", "scale of zero to ten", "carrying on gently",
                  "let's ease off", "than in March", "In the last seven days",
                  "re-check", "Start your plan?", "skip any exercise that brings those feelings back"):
        assert heard in speech, heard
    assert len(log) > 60


def test_no_banned_claims_in_anything_the_skill_says_on_the_tour(alexa):
    problems = []
    for index, (utterance, answer) in enumerate(tour(alexa)):
        for label, text in (("speech", answer.speech), ("reprompt", answer.reprompt)):
            problems += [f"response {index} to {utterance!r} ({label}): {why} in: ...{text[:160]}..."
                         for why in banned(text)]
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)
