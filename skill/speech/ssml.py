"""SSML: the one place speech is turned into markup, checked against Alexa's limits, and read back.

Alexa's hard limits live here as constants: outputSpeech must be shorter than 8000 characters and a
single ``<break>`` may last at most 10 s, so longer silences are chains of breaks.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

MAX_SPEECH_CHARS = 8000  # outputSpeech must be *less than* this
MAX_BREAK_MS = 10_000
# Tags Alexa documents for outputSpeech; anything else is a bug in our rendering.
ALLOWED_TAGS = {
    "speak", "break", "prosody", "emphasis", "say-as", "sub", "phoneme", "p", "s", "w", "lang",
    "voice", "audio", "amazon:effect", "amazon:emotion", "amazon:domain", "alexa:name",
}


def escape(text: str) -> str:
    """Escape ``&``, ``<`` and ``>`` for SSML, as ``xml.sax.saxutils.escape`` does.

    Importing xml.sax.saxutils pulls in urllib.request, http.client and email: about 14 ms of every
    cold start for three replacements.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class SpeechLimitError(ValueError):
    """A response would break one of Alexa's speech limits; it must never be sent."""


# Never changed once made; not frozen because a frozen dataclass is slower to build, and every
# response is made of a hundred or so parts.
@dataclass(slots=True, unsafe_hash=True)
class Text:
    text: str


@dataclass(slots=True, unsafe_hash=True)
class Silence:
    seconds: float


@dataclass(slots=True, unsafe_hash=True)
class PersonName:
    """The first name of a recognised speaker, which Alexa speaks from its ``personId``.

    The skill never learns the name; Alexa fills it in (``<alexa:name type="first" personId="..."/>``).
    """

    person_id: str

    @property
    def text(self) -> str:  # nothing the skill could read or time: Alexa speaks it
        return ""


Part = Text | Silence | PersonName


def break_tags(seconds: float) -> str:
    """Markup for a silence of ``seconds``, chained from breaks of at most 10 s each."""
    remaining_ms = round(seconds * 1000)
    tags = []
    while remaining_ms > 0:
        chunk = min(remaining_ms, MAX_BREAK_MS)
        tags.append(f'<break time="{chunk // 1000}s"/>' if chunk % 1000 == 0 else f'<break time="{chunk}ms"/>')
        remaining_ms -= chunk
    return "".join(tags)


def render(parts: list[Part], rate_percent: int = 100) -> str:
    """Render speech parts as a complete ``<speak>`` document, text escaped, at a speaking rate."""
    body = []
    after_name = False
    for part in parts:
        if isinstance(part, Silence):
            body.append(break_tags(part.seconds))
        elif isinstance(part, PersonName):
            if body and not body[-1].endswith(" "):
                body.append(" ")
            body.append(f'<alexa:name type="first" personId="{escape(part.person_id).replace(chr(34), "&quot;")}"/>')
        elif part.text.strip():
            text = part.text.strip()
            # A name reads into the punctuation that follows it ("Hello, <name/>."), but not into a word.
            if (body and not body[-1].endswith((" ", "/>"))) or (after_name and text[0].isalnum()):
                body.append(" ")
            body.append(escape(text))
        after_name = isinstance(part, PersonName)
    inner = "".join(body).strip()
    if rate_percent != 100:
        inner = f'<prosody rate="{rate_percent}%">{inner}</prosody>'
    return f"<speak>{inner}</speak>"


def _break_ms(value: str) -> int:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s)", value.strip())
    if not match:
        raise SpeechLimitError(f"unreadable break time {value!r}")
    number, unit = float(match.group(1)), match.group(2)
    return int(number * 1000) if unit == "s" else int(number)


def check(ssml: str) -> list[str]:
    """Every way ``ssml`` breaks Alexa's rules (empty when it is fine)."""
    problems = []
    if len(ssml) >= MAX_SPEECH_CHARS:
        problems.append(f"speech is {len(ssml)} characters; Alexa needs fewer than {MAX_SPEECH_CHARS}")
    try:
        root = ET.fromstring(_with_namespaces(ssml))
    except ET.ParseError as exc:
        return [*problems, f"speech is not well-formed SSML: {exc}"]
    if root.tag != "speak":
        problems.append("speech must be one <speak> element")
    for element in root.iter():
        tag = _plain_tag(element.tag)
        if tag not in ALLOWED_TAGS:
            problems.append(f"<{tag}> is not an SSML tag Alexa supports")
        if tag == "alexa:name" and (element.get("type") != "first" or not element.get("personId")):
            problems.append('<alexa:name> needs type="first" and a personId')
        if tag == "break":
            try:
                if _break_ms(element.get("time", "0ms")) > MAX_BREAK_MS:
                    problems.append(f"a break of {element.get('time')} is longer than 10 s")
            except SpeechLimitError as exc:
                problems.append(str(exc))
    return problems


def ensure_valid(ssml: str) -> str:
    """``ssml`` made by :func:`render`, refused if it is too long for Alexa.

    :func:`render` escapes all text and makes every silence with :func:`break_tags` (breaks of at
    most 10 s), so its output is well-formed SSML with legal breaks by construction; what rendering
    cannot promise is the length, checked here on every response. The full :func:`check` (an XML
    parse, every tag and every break) takes about 60 us for a whole exercise, so it runs on every
    response the tests produce (``skill.testing.check_response``) rather than on every request.
    """
    if len(ssml) >= MAX_SPEECH_CHARS:
        raise SpeechLimitError(f"speech is {len(ssml)} characters; Alexa needs fewer than {MAX_SPEECH_CHARS}")
    return ssml


def _with_namespaces(ssml: str) -> str:
    # amazon:* and alexa:* tags need a namespace declaration for the XML parser; Alexa itself does not.
    declared = "".join(f' xmlns:{prefix}="urn:{prefix}"' for prefix in ("amazon", "alexa") if f"<{prefix}:" in ssml)
    return ssml.replace("<speak>", f"<speak{declared}>", 1) if declared else ssml


def _plain_tag(tag: str) -> str:
    for prefix in ("amazon", "alexa"):
        if tag.startswith(f"{{urn:{prefix}}}"):
            return f"{prefix}:" + tag.split("}", 1)[1]
    return tag


def silence_seconds(ssml: str) -> float:
    """Total time of every ``<break>`` in ``ssml``."""
    return sum(_break_ms(t) for t in re.findall(r'<break\s+time="([^"]+)"\s*/>', ssml)) / 1000


def to_text(ssml: str) -> str:
    """Readable plain text: tags dropped, runs of breaks shown as ``[silence N s]``, a name tag as ``[name]``."""

    def silence(match: re.Match) -> str:
        seconds = silence_seconds(match.group(0))
        shown = f"{seconds:g}"
        return f" [silence {shown} s] "

    text = re.sub(r'(?:<break\s+time="[^"]+"\s*/>\s*)+', silence, ssml)
    text = re.sub(r"<alexa:name\b[^>]*/>", "[name]", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    return re.sub(r"\s+", " ", text).strip()
