"""Checks on the manifest template's publishing text, for every locale, against that locale's model.

Why: incorrect example phrases are the most common certification failure (Amazon blog "Crafting
great example phrases that meet certification requirements"), and a health skill without a
disclaimer in its description is rejected (certification feedback quoted in the reference notes,
section 4). Both are cheap to check on every ``stride-coach validate``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from skill.host.content import ContentProblem
from skill.manifest import SHARED_KEY, TEXT_FIELDS, field_source, locale_text
from skill.manifest.phrases import example_phrase_problem
from skill.voice.model import LOCALES

# The disclaimer Amazon asks health skills for: both phrases in the summary and the description.
DISCLAIMER_PHRASES = ("not a substitute for professional medical advice", "call your local emergency number")
EXAMPLE_PHRASES_PER_LOCALE = 3  # the project's rule (the console takes up to three)
MAX_NAME_CHARS = 50  # UNCONFIRMED
MAX_SUMMARY_CHARS = 160  # UNCONFIRMED
MAX_DESCRIPTION_CHARS = 4000  # UNCONFIRMED
MAX_KEYWORDS = 30  # UNCONFIRMED


def text_problems(texts: dict, file: str, locales: tuple[str, ...] = LOCALES) -> list[ContentProblem]:
    """Missing or unusable publishing text for any of ``locales``."""
    found = [ContentProblem(file, f"/{key}",
                            f"{key!r} is not a published locale ({', '.join(locales)}) nor {SHARED_KEY!r}")
             for key in texts if key not in (SHARED_KEY, *locales)]
    found += [ContentProblem(file, f"/{locale}",
                             f"{locale} has no entry; add {{}} to use the shared {SHARED_KEY!r} text")
              for locale in locales if locale not in texts]
    for key, fields in texts.items():
        found += [ContentProblem(file, f"/{key}/{name}", f"unknown field {name!r} (fields: {', '.join(TEXT_FIELDS)})")
                  for name in fields if name not in TEXT_FIELDS]
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    for locale in locales:
        text = locale_text(texts, locale)
        for field, reason in _field_reasons(text):
            grouped[(f"/{field_source(texts, locale, field)}/{field}", reason)].append(locale)
    return found + _with_locales(grouped, file)


def _field_reasons(text: dict) -> list[tuple[str, str]]:
    reasons = [(field, "is missing") for field in TEXT_FIELDS if not text.get(field)]
    name, summary, description = text.get("name", ""), text.get("summary", ""), text.get("description", "")
    if len(name) > MAX_NAME_CHARS:
        reasons.append(("name", f"is {len(name)} characters; the limit is {MAX_NAME_CHARS}"))
    if "\n" in summary:
        reasons.append(("summary", "must be one line"))
    if len(summary) > MAX_SUMMARY_CHARS:
        reasons.append(("summary", f"is {len(summary)} characters; the limit is {MAX_SUMMARY_CHARS}"))
    if len(description) > MAX_DESCRIPTION_CHARS:
        reasons.append(("description", f"is {len(description)} characters; the limit is {MAX_DESCRIPTION_CHARS}"))
    for field, value in (("summary", summary), ("description", description)):
        missing = [p for p in DISCLAIMER_PHRASES if value and p not in " ".join(value.lower().split())]
        if missing:
            reasons.append((field, "lacks the health disclaimer: " + "; ".join(repr(p) for p in missing)))
    phrases = text.get("examplePhrases") or []
    if phrases and len(phrases) != EXAMPLE_PHRASES_PER_LOCALE:
        reasons.append(("examplePhrases", f"has {len(phrases)} phrases; give exactly {EXAMPLE_PHRASES_PER_LOCALE}"))
    if len(set(phrases)) != len(phrases):
        reasons.append(("examplePhrases", "repeats a phrase"))
    keywords = text.get("keywords") or []
    if len(keywords) > MAX_KEYWORDS:
        reasons.append(("keywords", f"has {len(keywords)} keywords; the limit is {MAX_KEYWORDS}"))
    return reasons


def phrase_problems(texts: dict, models: Mapping[str, dict], file: str, against: str) -> list[ContentProblem]:
    """Example phrases that are not one-shot invocations of their locale's model in ``models``."""
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    for locale, model in models.items():
        source = field_source(texts, locale, "examplePhrases")
        for index, phrase in enumerate(locale_text(texts, locale).get("examplePhrases") or []):
            reason = example_phrase_problem(phrase, model)
            if reason:
                grouped[(f"/{source}/examplePhrases/{index}", f"{reason} ({against})")].append(locale)
    return _with_locales(grouped, file)


def _with_locales(grouped: Mapping[tuple[str, str], list[str]], file: str) -> list[ContentProblem]:
    """One problem per pointer and reason, naming the locales it affects (one line, not five)."""
    return [ContentProblem(file, pointer, f"in {', '.join(locales)}: {reason}")
            for (pointer, reason), locales in grouped.items()]
