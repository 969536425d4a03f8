"""Is an example phrase a one-shot invocation that works? Checked against a locale's model.

Why: incorrect example phrases are the most common reason skills fail certification (Amazon blog
"Crafting great example phrases that meet certification requirements"). A phrase has the shape
"[wake word], [launch word] [invocation name] [connecting word] [utterance]", and the utterance
must be one of the model's sample utterances, said word for word, with every {slot} filled by a
value the slot accepts.

The launch words and connecting words accepted here are a subset of the English table in
Amazon's "Understand how users invoke custom skills" (read only in part, so the list is
deliberately short); "ask <name> <question>" needs no connecting word.
"""

from __future__ import annotations

import re

from skill.voice.checks import ALLOWED_AMAZON_SLOT_TYPES, SAMPLE_WORD
from skill.voice.nlu import parse_number

WAKE_PREFIX = "Alexa, "
LAUNCH_PHRASES = ("open", "launch", "start", "begin", "talk to", "load", "run", "resume", "play", "use")
ONE_SHOT_FORMS: dict[str, tuple[str, ...]] = {
    "ask": ("to", "about", "for", "if", "whether", ""),
    "tell": ("to", "that"),
    "use": ("to", "and"),
    **{launch: ("and",) for launch in ("open", "launch", "start", "begin", "talk to", "load", "run", "resume")},
}


def example_phrase_problem(phrase: str, model: dict) -> str | None:
    """Why ``phrase`` is not a working invocation of ``model`` (None when it is one)."""
    language = model["interactionModel"]["languageModel"]
    name = language["invocationName"]
    if not phrase.startswith(WAKE_PREFIX):
        return f"{phrase!r} must start with the wake word, written {WAKE_PREFIX!r}"
    rest = phrase[len(WAKE_PREFIX):]
    if not all(re.fullmatch(SAMPLE_WORD, word) for word in rest.split(" ")):
        return (f"{phrase!r} must continue in lowercase words with single spaces (no digits, commas or closing "
                "punctuation)")
    if any(rest == f"{launch} {name}" for launch in LAUNCH_PHRASES):
        return None
    if any(matching_intent(utterance, language) for utterance in one_shot_utterances(rest, name)):
        return None
    if f" {name} " not in f" {rest} ":
        return f"{phrase!r} does not contain the invocation name {name!r}"
    return (f"{phrase!r} is neither '<launch word> {name}' nor a one-shot form ('ask {name} to ...', "
            f"'tell {name} to ...') followed by a sample utterance of this model with valid slot values")


def one_shot_utterances(rest: str, name: str) -> list[str]:
    """Every way of reading ``rest`` as launch word, ``name``, connecting word and utterance."""
    utterances = []
    for launch, connectors in ONE_SHOT_FORMS.items():
        head = f"{launch} {name} "
        if not rest.startswith(head):
            continue
        tail = rest[len(head):]
        utterances += [tail[len(c):].lstrip() for c in connectors if not c or tail.startswith(c + " ")]
    return [u for u in utterances if u]


def matching_intent(utterance: str, language: dict) -> str | None:
    """The intent with a sample that ``utterance`` says word for word (slots filled), or None."""
    types = {t.get("name"): t for t in language.get("types", []) if isinstance(t, dict)}
    for intent in language.get("intents", []):
        slot_types = {s.get("name"): s.get("type") for s in intent.get("slots", [])}
        for sample in intent.get("samples", []):
            if not isinstance(sample, str):
                continue
            pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+?)", re.escape(" ".join(sample.split())))
            try:
                match = re.fullmatch(pattern, utterance)
            except re.error:  # a slot used twice in one sample: reported by model_checks, never matched
                continue
            if match and all(slot_value_fits(value, slot_types.get(slot) or "", types)
                             for slot, value in match.groupdict().items()):
                return intent.get("name")
    return None


def slot_value_fits(value: str, slot_type: str, types: dict[str | None, dict]) -> bool:
    """Whether a spoken ``value`` fills a slot of ``slot_type``: a custom value or synonym, a spelled-out
    number, or plain words for the other built-in types we allow."""
    if slot_type in types:
        entries = [v.get("name", {}) for v in types[slot_type].get("values", [])]
        spoken = {" ".join(str(word).lower().split())
                  for entry in entries for word in [entry.get("value", ""), *entry.get("synonyms", [])]}
        return value in spoken
    if re.search(r"\d", value):
        return False  # example phrases spell numbers out, like samples
    if slot_type in ("AMAZON.NUMBER", "AMAZON.FOUR_DIGIT_NUMBER"):
        return parse_number(value) is not None
    words = rf"{SAMPLE_WORD}( {SAMPLE_WORD})*"
    return slot_type in ALLOWED_AMAZON_SLOT_TYPES and re.fullmatch(words, value) is not None
