"""A response as a listener hears it: each sentence, silence and tone with its start time.

Times use the kit's playback estimate (:func:`skill.speech.builder.playback_seconds`): estimated
speech at the response's speaking rate, exact silences, a fixed length per tone. Tests use this to
measure what a user on the mat notices: how long until the first hold starts, how long the window
to get into position is, how long a help answer talks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from skill.speech import ssml
from skill.speech.builder import spoken_seconds
from skill.speech.phrases import line_kind

_TOKEN = re.compile(r'<break\s+time="([^"]+)"\s*/>|<audio\b[^>]*/>|<[^>]+>|([^<]+)')
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")


@dataclass(frozen=True)
class Heard:
    """One thing heard: ``text`` (a sentence), a silence (``silence`` seconds) or a tone."""

    start: float
    end: float
    text: str = ""
    silence: float = 0.0
    tone: bool = False

    @property
    def kind(self) -> str | None:
        """The recurring line this sentence is (``"hold_start"``, ``"release"``...), if it is one."""
        return line_kind(self.text) if self.text else None


def heard(speech_ssml: str) -> list[Heard]:
    """Everything in ``speech_ssml`` in order, timed from the moment the response starts playing."""
    rate_match = re.search(r'<prosody rate="(\d+)%">', speech_ssml)
    rate = int(rate_match.group(1)) if rate_match else 100
    out: list[Heard] = []
    clock = 0.0
    for match in _TOKEN.finditer(speech_ssml):
        token = match.group(0)
        if match.group(1) is not None:
            seconds = ssml.silence_seconds(token)
            if out and out[-1].silence and not out[-1].text:  # chained breaks are one silence
                last = out.pop()
                out.append(Heard(last.start, last.end + seconds, silence=last.silence + seconds))
            else:
                out.append(Heard(clock, clock + seconds, silence=seconds))
            clock += seconds
        elif token.startswith("<audio"):
            out.append(Heard(clock, clock + ssml.TONE_SECONDS, tone=True))
            clock += ssml.TONE_SECONDS
        elif match.group(2) is not None:
            text = ssml.to_text(match.group(2))
            for sentence in (s for s in _SENTENCE_END.split(text) if s.strip()):
                length = spoken_seconds(sentence, rate)
                out.append(Heard(clock, clock + length, text=sentence))
                clock += length
    return out


def seconds_until(speech_ssml: str, found: Callable[[Heard], bool]) -> float | None:
    """When the first thing ``found`` accepts starts, in seconds from the start of the response."""
    return next((h.start for h in heard(speech_ssml) if found(h)), None)


def is_first_work(item: Heard) -> bool:
    """The start of a hold (its words or its tone) or of a set's first rep ("One.")."""
    return item.kind in ("hold_start", "hold_start_tone") or item.tone or item.text.strip() == "One."


def spoken_seconds_of(speech_ssml: str) -> float:
    """How long the response talks, silences and tones included."""
    items = heard(speech_ssml)
    return items[-1].end if items else 0.0
