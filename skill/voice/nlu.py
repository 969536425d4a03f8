"""Resolve a typed utterance to an intent and slots, the way a device would, from the model.

Used by ``stride-coach chat`` and the test kit. Built-in intents understand their usual phrases;
custom intents match their sample utterances, with ``{slot}`` filled by a value (or synonym) of
the slot's type or, for ``AMAZON.NUMBER``, a number in digits or words. Anything else is
AMAZON.FallbackIntent, as on a device.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from skill.voice.builtin_intents import BUILTIN_PHRASES

LAUNCH_WORDS = ("open", "launch", "start", "begin", "load", "run")
ONE_SHOT = re.compile(r"^(?:ask|tell)\s+{name}\s+(?:to|for|about|if|whether|that)?\s*(?P<rest>.+)$")
NUMBER_WORDS = {w: i for i, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
     "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"])}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}


@dataclass
class Resolution:
    """What the utterance means: a launch, an intent with slots, or both (a one-shot)."""

    launch: bool = False
    intent: str | None = None
    slots: dict[str, dict] = field(default_factory=dict)


def normalise(text: str) -> str:
    text = text.lower().strip()
    text = re.sub(r"^alexa[\s,]+", "", text)
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def parse_number(text: str) -> int | None:
    text = text.strip().replace("-", " ")
    if text.isdigit():
        return int(text)
    total = 0
    words = text.split()
    if not words:
        return None
    for word in words:
        if word in TENS:
            total += TENS[word]
        elif word in NUMBER_WORDS:
            total += NUMBER_WORDS[word]
        elif word in ("a", "and") and total == 0:
            continue
        elif word == "hundred" and total:
            total *= 100
        else:
            return None
    return total


class Resolver:
    def __init__(self, model: dict) -> None:
        language = model["interactionModel"]["languageModel"]
        self.invocation = language["invocationName"]
        self.types = {t["name"]: t for t in language.get("types", [])}
        self.exact: dict[str, str] = {}
        self.patterns: list[tuple[int, re.Pattern, str, dict[str, str]]] = []
        for intent, phrases in BUILTIN_PHRASES.items():
            for phrase in phrases:
                self.exact.setdefault(normalise(phrase), intent)
        for intent in language["intents"]:
            slot_types = {s["name"]: s["type"] for s in intent.get("slots", [])}
            for sample in intent.get("samples", []):
                if "{" not in sample:
                    self.exact.setdefault(normalise(sample), intent["name"])
                    continue
                literal = len(re.sub(r"\{\w+\}", "", sample))
                regex = "^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+?)", re.escape(normalise_sample(sample))) + "$"
                self.patterns.append((literal, re.compile(regex), intent["name"], slot_types))
        self.patterns.sort(key=lambda p: -p[0])

    def resolve(self, utterance: str) -> Resolution:
        text = normalise(utterance)
        name = re.escape(self.invocation)
        launch = re.fullmatch(rf"(?:{'|'.join(LAUNCH_WORDS)})\s+{name}", text) or text == self.invocation
        if launch:
            return Resolution(launch=True)
        one_shot = re.match(ONE_SHOT.pattern.format(name=name), text)
        if one_shot:
            resolution = self._intent(one_shot.group("rest"))
            resolution.launch = True
            return resolution
        return self._intent(text)

    def _intent(self, text: str) -> Resolution:
        if text in self.exact:
            return Resolution(intent=self.exact[text])
        for _, pattern, intent, slot_types in self.patterns:
            match = pattern.match(text)
            if not match:
                continue
            slots = {}
            for slot, value in match.groupdict().items():
                resolved = self._slot(slot_types.get(slot, ""), slot, value)
                if resolved is None:
                    break
                slots[slot] = resolved
            else:
                for slot in slot_types:
                    slots.setdefault(slot, {"name": slot, "confirmationStatus": "NONE"})
                return Resolution(intent=intent, slots=slots)
        return Resolution(intent="AMAZON.FallbackIntent")

    def _slot(self, slot_type: str, slot: str, value: str) -> dict | None:
        base = {"name": slot, "value": value, "confirmationStatus": "NONE"}
        if slot_type == "AMAZON.NUMBER":
            number = parse_number(value)
            return None if number is None else {**base, "value": str(number)}
        if slot_type in self.types:
            for entry in self.types[slot_type]["values"]:
                names = [entry["name"]["value"], *entry["name"].get("synonyms", [])]
                if value in (normalise(n) for n in names):
                    resolved = {"value": {"name": entry["name"]["value"],
                                          "id": entry.get("id", entry["name"]["value"])}}
                    return {**base, "resolutions": {"resolutionsPerAuthority": [{
                        "authority": f"amzn1.er-authority.echo-sdk.stride-coach.{slot_type}",
                        "status": {"code": "ER_SUCCESS_MATCH"}, "values": [resolved]}]}}
            return None
        return base


def normalise_sample(sample: str) -> str:
    # Keep {slot} markers while normalising the words around them.
    pieces = re.split(r"(\{\w+\})", sample)
    return " ".join(p if p.startswith("{") else normalise(p) for p in pieces if p.strip()).strip()
