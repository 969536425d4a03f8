"""Wording rules for every spoken or written string in the content JSON files.

Stride Coach gives general exercise guidance. Its content must never claim to diagnose, cure,
treat, heal, relieve, resolve, get rid of or prevent anything, nor to correct posture or name the
cause of pain, must never tell the user they "have" a condition, and must stay plain text for
the voice renderer (no '<', '>' or '&').
"""

from __future__ import annotations

import json
import re
from pathlib import Path

CONTENT = Path(__file__).resolve().parents[2] / "content"

BANNED = [
    (re.compile(r"\bdiagnos(e|is|ed|es|ing)", re.IGNORECASE), "diagnosis wording"),
    (re.compile(r"\bcure(s|d)?\b", re.IGNORECASE), "cure claim"),
    (re.compile(r"\bfix your\b", re.IGNORECASE), "fix claim"),
    (re.compile(r"\bfixes\b", re.IGNORECASE), "fix claim"),
    (re.compile(r"\btreats?\b", re.IGNORECASE), "treatment claim"),
    (re.compile(r"\byou have (a |an )?(tight|weak|anterior|pelvic|sciatica|disc|herniat)\w*", re.IGNORECASE),
     "tells the user they have a condition"),
    (re.compile(r"guarantee", re.IGNORECASE), "guarantee"),
    (re.compile(r"\breliev(e|es|ed|ing)\b|\brelief\b", re.IGNORECASE), "relief claim"),
    (re.compile(r"\bheal(s|ed|ing)?\b", re.IGNORECASE), "healing claim"),
    (re.compile(r"\bresolv(e|es|ed|ing)\b", re.IGNORECASE), "resolve claim"),
    # "get rid of my reminders" is the user's own request, not a claim
    (re.compile(r"\bget(ting)? rid of\b(?! my\b)", re.IGNORECASE), "get rid of claim"),
    (re.compile(r"\bprevent(s|ed|ing|ion)?\b", re.IGNORECASE), "prevention claim"),
    (re.compile(r"\bcorrect(s|ing)? your posture\b", re.IGNORECASE), "posture correction claim"),
    (re.compile(r"\bthe cause of\b", re.IGNORECASE), "names a cause"),
]

MARKUP = re.compile(r"[<>&]")


def _pointer(path: list) -> str:
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in path) if path else ""


def _strings(value, path: list):
    """Yield (pointer, text) for every string value, recursively."""
    if isinstance(value, str):
        yield _pointer(path), value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, [*path, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, [*path, index])


def _content_files() -> list[Path]:
    return sorted(CONTENT.rglob("*.json"))


def _all_strings() -> list[tuple[str, str, str]]:
    found = []
    for file in _content_files():
        data = json.loads(file.read_text(encoding="utf-8"))
        rel = str(file.relative_to(CONTENT.parent))
        for pointer, text in _strings(data, []):
            found.append((rel, pointer, text))
    return found


def _report(problems: list[str]) -> str:
    return f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_content_files_exist():
    assert _content_files(), f"no JSON content found under {CONTENT}"


def test_no_banned_claims():
    problems = []
    for file, pointer, text in _all_strings():
        for pattern, why in BANNED:
            match = pattern.search(text)
            if match:
                problems.append(f"{file} {pointer or '/'}: {why} ({match.group(0)!r}) in: {text}")
    assert not problems, _report(problems)


def test_no_markup_characters():
    problems = [
        f"{file} {pointer or '/'}: contains {MARKUP.search(text).group(0)!r} in: {text}"
        for file, pointer, text in _all_strings()
        if MARKUP.search(text)
    ]
    assert not problems, _report(problems)


def test_screen_questions_end_with_question_mark():
    screens = [f for f in _content_files() if f.name == "screen.json"]
    assert screens, "content/diagnosis/screen.json is missing"
    problems = []
    for file in screens:
        data = json.loads(file.read_text(encoding="utf-8"))
        questions = data.get("questions", [])
        assert questions, f"{file}: no questions"
        for index, question in enumerate(questions):
            text = question.get("text", "")
            if not text.rstrip().endswith("?"):
                problems.append(f"{file.relative_to(CONTENT.parent)} /questions/{index}/text: "
                                f"does not end with '?': {text}")
    assert not problems, _report(problems)
