"""Speech as data: sentences and silences that plugins and the engine build and the core renders.

Plugins never write SSML themselves; they compose a :class:`Speech` and the core renders it
(:mod:`skill.ssml`), so escaping and Alexa's limits are handled in one place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from skill.speech import ssml
from skill.speech.ssml import Part, PersonName, Silence, Text

# A relaxed coaching voice speaks about 2.5 words a second; commas and full stops add short pauses.
WORDS_PER_SECOND = 2.5
PUNCTUATION_PAUSE_S = 0.25


class Speech:
    """An ordered list of spoken sentences and timed silences."""

    def __init__(self, *sentences: str) -> None:
        self.parts: list[Part] = []
        for sentence in sentences:
            self.say(sentence)

    def say(self, *sentences: str) -> Speech:
        for sentence in sentences:
            if sentence and sentence.strip():
                self.parts.append(Text(sentence.strip()))
        return self

    def name(self, person_id: str) -> Speech:
        """The recognised speaker's first name, spoken by Alexa (the skill never sees it)."""
        self.parts.append(PersonName(person_id))
        return self

    def pause(self, seconds: float) -> Speech:
        if seconds > 0:
            self.parts.append(Silence(float(seconds)))
        return self

    def extend(self, other: Speech | Iterable[Part]) -> Speech:
        self.parts.extend(other.parts if isinstance(other, Speech) else other)
        return self

    def ssml(self, rate_percent: int = 100) -> str:
        return ssml.render(self.parts, rate_percent)

    def text(self) -> str:
        return " ".join(p.text for p in self.parts if isinstance(p, Text))

    def silence_seconds(self) -> float:
        return sum(p.seconds for p in self.parts if isinstance(p, Silence))

    def estimated_seconds(self, rate_percent: int = 100) -> float:
        return sum(part_seconds(p, rate_percent) for p in self.parts)

    def __bool__(self) -> bool:
        return bool(self.parts)

    def __repr__(self) -> str:
        return f"Speech({self.parts!r})"


@lru_cache(maxsize=8192)  # the engine re-times the same cue sentences on every request
def spoken_seconds(text: str, rate_percent: int = 100) -> float:
    """Estimated time Alexa takes to say ``text`` at a prosody rate (100 is normal)."""
    words = len(text.split())
    pauses = sum(text.count(mark) for mark in ",.?!;:")
    return (words / WORDS_PER_SECOND + pauses * PUNCTUATION_PAUSE_S) * 100 / rate_percent


def playback_seconds(ssml_text: str | None) -> float:
    """How long a device takes to play ``ssml_text``: estimated speech plus exact silences."""
    if not ssml_text:
        return 0.0
    rate_match = re.search(r'<prosody rate="(\d+)%">', ssml_text)
    rate = int(rate_match.group(1)) if rate_match else 100
    words = ssml.to_text(re.sub(r"<break[^>]*/>", " ", ssml_text))
    return ssml.silence_seconds(ssml_text) + spoken_seconds(words, rate)


def ends_on_question_or_cue(text: str) -> bool:
    """Whether ``text`` ends as Alexa requires when it keeps listening: a question or a clear cue.

    The last sentence must be a question, or tell the user what to say ("Say next for ...").
    """
    sentences = [s.strip() for s in re.split(r"(?<=[.?!])\s+", text.strip()) if s.strip()]
    if not sentences:
        return False
    last = sentences[-1]
    return last.endswith("?") or bool(re.search(r"\b(say|tell me)\b", last, re.IGNORECASE))


def part_seconds(part: Part, rate_percent: int = 100) -> float:
    return part.seconds if isinstance(part, Silence) else spoken_seconds(part.text, rate_percent)
