"""Run a corpus of utterances at points of a conversation through the paced chat, and score it.

Each case starts a new user, plays the point's ``setup`` lines through :class:`skill.cli.chat.Chat`
(paced: a simulated clock), says the utterance and checks what the user would notice: the intent
and slot values it became, and whether the session carried on, stayed paused or ended. A case is
*covered by the model* when the interaction model alone (its samples, or the slot the skill
asked for) understood it, without the local NLU's fillers or fuzzy matching.

Setup lines, besides chat lines: ``@hold text`` / ``@rep text`` say ``text`` a few seconds into
the first hold / repetition of the last response; ``*no`` answers "no" until the last response
plays something (a safety screen answered all clear); ``!Intent slot=value`` sends that intent
with an unresolved slot value, as Alexa does for a word the model does not list.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from skill.engine.player import START_LATENCY_S
from skill.speech import ssml as ssml_module
from skill.speech.builder import playback_seconds

INTO_THE_PART_S = 6.0  # how far into a hold or repetition the user speaks
APOLOGIES = ("ran into a problem", "something went wrong")


@dataclass
class Outcome:
    point: str
    utterance: str
    expected: str
    right: bool
    covered: bool
    got: str
    problems: list[str] = field(default_factory=list)


@dataclass
class Figures:
    outcomes: list[Outcome]

    def share(self, test: Callable[[Outcome], bool], point: str | None = None) -> float:
        chosen = [o for o in self.outcomes if point is None or o.point == point]
        return 100.0 * sum(1 for o in chosen if test(o)) / max(1, len(chosen))

    @property
    def right(self) -> float:
        return self.share(lambda o: o.right)

    @property
    def covered(self) -> float:
        return self.share(lambda o: o.covered)

    def table(self) -> str:
        points = list(dict.fromkeys(o.point for o in self.outcomes))
        lines = [f"{'point':<16} {'cases':>5} {'right':>7} {'model':>7}"]
        for point in points:
            count = sum(1 for o in self.outcomes if o.point == point)
            lines.append(f"{point:<16} {count:>5} {self.share(lambda o: o.right, point):>6.0f}% "
                         f"{self.share(lambda o: o.covered, point):>6.0f}%")
        lines.append(f"{'all':<16} {len(self.outcomes):>5} {self.right:>6.0f}% {self.covered:>6.0f}%")
        return "\n".join(lines)


def _offset_into(ssml: str, marker: str | None) -> float | None:
    """Seconds from the start of a response to a few seconds into the first ``marker`` (a regular
    expression), or into its first long silence when ``marker`` is ``None``."""
    found = re.search(marker or r'<break time="(?:[5-9]|\d\d)(?:\.\d+)?s"', ssml)
    if found is None:
        return None
    index = found.start()
    head = ssml[:index] + "</speak>" if ssml.startswith("<speak>") else ssml[:index]
    return START_LATENCY_S + playback_seconds(head) + INTO_THE_PART_S


class CaseRunner:
    """Plays cases through one chat process (one app), a new user each time."""

    def __init__(self, chat_factory: Callable[[str], Any], parse_expected: Callable[[str], dict],
                 returning: Callable[[str], None] | None = None) -> None:
        self.chat_factory = chat_factory
        self.parse_expected = parse_expected
        self.returning = returning  # makes a user a returning one (screened), unless a point wants a new user

    def _setup_line(self, chat: Any, line: str, last: list) -> list:
        if line.startswith("!"):
            name, *pairs = line[1:].split()
            slots = {k: {"name": k, "value": v, "confirmationStatus": "NONE"} for k, _, v in
                     (p.partition("=") for p in pairs)}
            chat._advance(None)
            return [chat.send(chat.device.intent(name, slots))]
        if line == "*no":
            exchanges = last
            for _ in range(40):
                exchanges = chat.say_line("no")
                if "<break" in self._ssml(exchanges) or self._ended(exchanges):
                    break
            return exchanges
        timed = re.match(r"^@(hold|rep)\s+(.*)$", line)
        if timed:
            marker = None if timed.group(1) == "hold" else r"\bOne\."
            offset = _offset_into(self._ssml(last), marker)
            return chat.say_line(f"@{offset:.1f} {timed.group(2)}" if offset is not None else timed.group(2))
        return chat.say_line(line)

    @staticmethod
    def _ssml(exchanges: list) -> str:
        if not exchanges:
            return ""
        return ((exchanges[-1][1].get("response") or {}).get("outputSpeech") or {}).get("ssml", "")

    @staticmethod
    def _ended(exchanges: list) -> bool:
        return bool(exchanges) and bool((exchanges[-1][1].get("response") or {}).get("shouldEndSession"))

    def run(self, point: str, setup: list[str], at: str | None, utterance: str, expected: str,
            new_user: bool = False) -> Outcome:
        user = f"amzn1.ask.account.CORPUS-{uuid.uuid4().hex[:12].upper()}"
        if self.returning is not None and not new_user:
            self.returning(user)
        chat = self.chat_factory(user)
        last: list = []
        for line in setup:
            last = self._setup_line(chat, line, last) or last
        line = f"{at} {utterance}" if at else utterance
        exchanges = self._setup_line(chat, line, last) if at else chat.say_line(line)
        return self.judge(point, utterance, expected, exchanges, chat.last_resolution)

    def judge(self, point: str, utterance: str, expected: str, exchanges: list, resolution: Any) -> Outcome:
        from skill.api.turn import _slot_values

        want = self.parse_expected(expected)
        request, response = exchanges[-1]
        intent = (request.get("request") or {}).get("intent") or {}
        got_slots = _slot_values(intent.get("slots") or {})
        problems = []
        if intent.get("name") not in want["intents"]:
            problems.append(f"intent {intent.get('name')}")
        for slot, value in want["slots"].items():
            if str(got_slots.get(slot)) != value:
                problems.append(f"{slot}={got_slots.get(slot)}")
        if want["confirmation"] != "NONE" and intent.get("confirmationStatus") != want["confirmation"]:
            problems.append(f"confirmation {intent.get('confirmationStatus')}")
        body = response.get("response") or {}
        speech_ssml = (body.get("outputSpeech") or {}).get("ssml", "")
        speech = ssml_module.to_text(speech_ssml).lower() if speech_ssml else ""
        if any(a in speech for a in APOLOGIES):
            problems.append("an apology")
        ended = bool(body.get("shouldEndSession"))
        if ("ends" in want["flags"]) != ended:
            problems.append("ended" if ended else "did not end")
        player = ((response.get("sessionAttributes") or {}).get("core") or {}).get("player") or {}
        if "plays" in want["flags"] and ("<break" not in speech_ssml or player.get("paused") is not None):
            problems.append("the session did not carry on")
        if "paused" in want["flags"] and (not player or player.get("paused") is None):
            problems.append("not paused")
        right = not problems
        covered = right and resolution is not None and resolution.covered_by_model
        got = f"{intent.get('name')} {got_slots}" + (f" [{resolution.how}]" if resolution is not None else "")
        return Outcome(point, utterance, expected, right, covered, got, problems)


def measure(points: dict[str, dict], chat_factory: Callable[[str], Any],
            parse_expected: Callable[[str], dict], returning: Callable[[str], None] | None = None) -> Figures:
    runner = CaseRunner(chat_factory, parse_expected, returning)
    outcomes = []
    for name, point in points.items():
        for utterance, expected in point["cases"]:
            outcomes.append(runner.run(name, point["setup"], point.get("at"), utterance, expected,
                                       point.get("new_user", False)))
    return Figures(outcomes)
