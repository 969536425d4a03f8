"""Several ways to say each recurring coaching line, picked so that tests stay stable.

A line such as "and release" comes back dozens of times in a session; said the same way every
time it sounds like a machine. Each kind of line has a few phrasings; :func:`pick` chooses one
from a seed (the user and the plan) and the line's *ordinal* (its place among the lines of that
kind in the plan), so the same user hears the same session the same way, a test can predict it,
and two lines of one kind in a row never sound alike.

Content may bring its own phrasings for a kind (an exercise's ``phrasings``); they replace the
defaults for that exercise. Placeholders: ``{seconds}`` (an exact length, "thirty seconds"),
``{rest}`` (a rounded one, "about a minute"), ``{side}`` ("left side").
"""

from __future__ import annotations

import random
import re
from functools import lru_cache

# Every kind here is a recurring line; the engine says nothing else more than once per exercise.
# Each phrasing is one sentence, so a transcript can be read back sentence by sentence.
PHRASES: dict[str, tuple[str, ...]] = {
    "get_ready": ("Get into position.", "Settle into position.", "Find your position.", "Get set."),
    "hold_start": ("And hold, {seconds}.", "Hold for {seconds}.", "Hold it there, {seconds}.",
                   "And hold it, {seconds}."),
    "hold_start_tone": ("Holding, {seconds}.", "Hold, {seconds}.", "{seconds}, starting now."),
    "halfway": ("Halfway.", "Halfway there.", "That's half.", "Half done."),
    "ten_left": ("Ten seconds left.", "Ten more seconds.", "Last ten seconds.", "Ten to go."),
    "release": ("And release.", "And relax.", "Gently let go.", "Ease out of it."),
    "rest": ("Rest for {rest}.", "Take {rest}.", "Rest, {rest}.", "{rest} of rest."),
    "rest_end": ("Ten seconds, get ready.", "Ten seconds, then we go again.", "Ten seconds to go, get set."),
    "change_end": ("Ten seconds, get into position.", "Ten seconds, find your position.",
                   "Ten seconds, then the other side."),
    "switch": ("Switch sides.", "Other side.", "Time for the other side.", "Change sides."),
    "change_time": ("Take {rest} to change over.", "You've got {rest} to switch.", "{rest} to change over."),
    "side_start": ("{side}.", "On to the {side}.", "Over to the {side}."),
    "well_done": ("Well done.", "Nicely done.", "Good work.", "That's that one done."),
    "next_set": ("Next set.", "Here we go again.", "Again.", "Back to it."),
    "last_set": ("Last set.", "Final set.", "Last one of these."),
    "last_hold": ("Last one on this side.", "One more on this side.", "Final hold on this side."),
    "last_rep": ("Last one.", "Final one.", "Last rep."),
}
KINDS = tuple(PHRASES)


@lru_cache(maxsize=4096)
def _cycle(seed: str, kind: str, count: int, cycle: int) -> tuple[int, ...]:
    """The order of ``count`` phrasings in one cycle; a cycle never opens with the last one's close."""
    order = list(range(count))
    random.Random(f"{seed}|{kind}|{cycle}").shuffle(order)
    if cycle and count > 1 and order[0] == _cycle(seed, kind, count, cycle - 1)[-1]:
        order.append(order.pop(0))
    return tuple(order)


def choice_index(seed: str, kind: str, ordinal: int, count: int) -> int:
    """Which of ``count`` phrasings the ``ordinal``-th line of ``kind`` uses.

    Consecutive ordinals always get different phrasings (when there are at least two): each cycle
    through the phrasings is shuffled by the seed, and a cycle never starts with the phrasing the
    previous one ended on.
    """
    if count <= 1:
        return 0
    cycle, place = divmod(max(0, ordinal), count)
    return _cycle(seed, kind, count, cycle)[place]


def pick(kind: str, seed: str, ordinal: int, own: dict | None = None, **values: str) -> str:
    """The phrasing of the ``ordinal``-th ``kind`` line for ``seed``, filled in and capitalised."""
    options = (own or {}).get(kind)
    if not options:  # the engine's own phrasings: the same inputs give the same line, every response
        return _own_line(kind, seed, ordinal, tuple(values.items()))
    return _filled(options[choice_index(seed, kind, ordinal, len(options))], values)


@lru_cache(maxsize=8192)
def _own_line(kind: str, seed: str, ordinal: int, values: tuple[tuple[str, str], ...]) -> str:
    options = PHRASES[kind]
    return _filled(options[choice_index(seed, kind, ordinal, len(options))], dict(values))


def _filled(template: str, values: dict[str, str]) -> str:
    text = template.format(**values)
    return text[0].upper() + text[1:] if text else text


def all_phrasings(kind: str, own: dict | None = None) -> tuple[str, ...]:
    return tuple((own or {}).get(kind) or PHRASES[kind])


_MINUTES = r"[a-z ]*minutes?(?: and a (?:half|quarter)| and three quarters)?"
_PLACEHOLDERS = {
    "seconds": rf"(?:one second|(?:\d+|[a-z]+(?:-[a-z]+)?) seconds|{_MINUTES})",
    "rest": rf"(?:about )?(?:[a-z]+(?:-[a-z]+)? seconds|{_MINUTES})",
    "side": r"(?:right|left)[a-z ]*?",
}


@lru_cache(maxsize=512)
def _pattern(template: str) -> re.Pattern:
    body = re.escape(template)
    for name, pattern in _PLACEHOLDERS.items():
        body = body.replace(re.escape("{" + name + "}"), f"(?P<{name}>{pattern})")
    return re.compile(body + r"(?=\s|$)", re.IGNORECASE)


def line_kind(text: str, own: dict | None = None) -> str | None:
    """Which kind of recurring line ``text`` starts with (any phrasing), or ``None``.

    For tests and tools that read a transcript without depending on the phrasing picked.
    """
    for template, kind in _by_length(tuple((k, tuple(v)) for k, v in sorted((own or {}).items()))):
        if _pattern(template).match(text.strip()):
            return kind
    return None


@lru_cache(maxsize=64)
def _by_length(own: tuple) -> list[tuple[str, str]]:
    """Every phrasing with its kind, longest first, so "Over to the {side}." wins over "{side}."."""
    mine = dict(own)
    pairs = [(template, kind) for kind in KINDS for template in all_phrasings(kind, mine)]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def line_values(text: str, kind: str, own: dict | None = None) -> dict[str, str] | None:
    """The placeholders' values in ``text`` if it is a ``kind`` line (``{"seconds": "thirty seconds"}``)."""
    for template in all_phrasings(kind, own):
        match = _pattern(template).match(text.strip())
        if match:
            return {k: v.lower() for k, v in match.groupdict().items()}
    return None
