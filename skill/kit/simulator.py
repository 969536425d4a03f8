"""The simulated Alexa of the test kit: a device and a user talking to a skill, and Alexa's rules for
one response. See :mod:`skill.kit` for the fixtures that use it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

from skill.engine.plan import Block
from skill.engine.timeline import get_ready_seconds, hold_seconds, rep_seconds, side_change_seconds
from skill.host.host import ENTRY_POINT_GROUP, OWN_DISTRIBUTION, PluginHost
from skill.kit.device import SimulatedDevice
from skill.kit.pacing import said_at
from skill.pipeline import core_intents
from skill.pipeline.app import SkillApp
from skill.speech import ssml
from skill.speech.builder import ends_on_question_or_cue, playback_seconds
from skill.store import SQLiteAdapter
from skill.store.base import SectionedStore
from skill.store.owner import person_envelope
from skill.voice.model import build_model
from skill.voice.nlu import Resolution, Resolver, requests_for

TEST_USER = "amzn1.ask.account.TEST-USER"
START_TIME = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)  # a Monday morning


def builtin_plugin_names() -> list[str]:
    return [ep.name for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)
            if ep.dist is not None and ep.dist.metadata["Name"] == OWN_DISTRIBUTION]


def make_host(plugins: Iterable[Any] = (), *, strict: bool = True, builtins: bool = True) -> PluginHost:
    """A plugin host with the core, the built-ins (optional) and ``plugins`` only."""
    named = [p for p in plugins if isinstance(p, str)]
    objects = [p for p in plugins if not isinstance(p, str)]
    only = (builtin_plugin_names() if builtins else []) + named
    return PluginHost().load(core=core_intents, only=only, extra=objects, strict=strict)


def make_skill(db_path: str | Path, plugins: Iterable[Any] = (), *, strict: bool = True,
               builtins: bool = True) -> SkillApp:
    return SkillApp(make_host(plugins, strict=strict, builtins=builtins), SQLiteAdapter(db_path))


# -- checking responses -----------------------------------------------------------------------
def response_problems(request: dict, envelope: dict) -> list[str]:
    """Every way a response envelope breaks Alexa's rules for the request it answers."""
    problems = []
    body = envelope.get("response")
    if body is None:
        return ["the envelope has no 'response'"]
    kind = request["request"]["type"]
    if kind == "SessionEndedRequest":
        if body.get("outputSpeech") or body.get("reprompt"):
            problems.append("a SessionEndedRequest must get an empty response")
        return problems
    speech = (body.get("outputSpeech") or {}).get("ssml")
    reprompt = ((body.get("reprompt") or {}).get("outputSpeech") or {}).get("ssml")
    # A Connections.SendRequest hands the dialog to Alexa (a permission question): Alexa speaks, not the skill.
    hands_over = any(d.get("type") == "Connections.SendRequest" for d in body.get("directives") or [])
    if hands_over:
        if speech or reprompt or body.get("shouldEndSession") is False:
            problems.append("a Connections.SendRequest response must leave the speaking to Alexa")
    elif kind in ("LaunchRequest", "IntentRequest") and not speech:
        problems.append("no outputSpeech")
    if reprompt and "<alexa:name" in reprompt:
        problems.append("reprompt: Alexa's name tag belongs in the outputSpeech only")
    for label, text in (("outputSpeech", speech), ("reprompt", reprompt)):
        if text:
            problems += [f"{label}: {p}" for p in ssml.check(text)]
    if body.get("shouldEndSession") is False:
        if not body.get("reprompt"):
            problems.append("the session stays open without a reprompt")
        if speech and not ends_on_question_or_cue(ssml.to_text(speech)):
            problems.append(f"the session stays open but the speech does not end on a question or cue: "
                            f"...{ssml.to_text(speech)[-80:]!r}")
    return problems


def check_response(request: dict, envelope: dict) -> None:
    problems = response_problems(request, envelope)
    assert not problems, "response breaks Alexa's rules:\n  " + "\n  ".join(problems)


@dataclass
class Answer:
    """One response, with the request that produced it and the time it was sent."""

    request: dict
    envelope: dict
    sent_at: datetime
    resolution: Resolution | None = None  # what say() understood the utterance as

    @property
    def body(self) -> dict:
        return self.envelope.get("response") or {}

    @property
    def ssml(self) -> str:
        return (self.body.get("outputSpeech") or {}).get("ssml", "")

    @property
    def speech(self) -> str:
        return ssml.to_text(self.ssml) if self.ssml else ""

    @property
    def reprompt(self) -> str:
        text = ((self.body.get("reprompt") or {}).get("outputSpeech") or {}).get("ssml")
        return ssml.to_text(text) if text else ""

    @property
    def ended(self) -> bool:
        return bool(self.body.get("shouldEndSession"))

    @property
    def session(self) -> dict:
        return self.envelope.get("sessionAttributes") or {}

    @property
    def playback_seconds(self) -> float:
        return playback_seconds(self.ssml)

    @property
    def silence_seconds(self) -> float:
        """The timed silence in the speech (every ``<break>``), to compare with :func:`block_silence_seconds`."""
        return ssml.silence_seconds(self.ssml)

    def __contains__(self, text: str) -> bool:
        return text.lower() in self.speech.lower()


@dataclass
class AlexaSimulator:
    """A device and a user talking to a skill through genuine request envelopes."""

    app: SkillApp
    user_id: str = TEST_USER
    locale: str = "en-US"
    now: datetime = START_TIME
    answers: list[Answer] = field(default_factory=list)
    person_id: str | None = None  # the speaker Alexa recognises; None: an unrecognised voice

    def __post_init__(self) -> None:
        self.switch_user(self.user_id)
        self.resolver = Resolver(build_model(self.app.host, self.locale))

    def switch_user(self, user_id: str) -> None:
        """Talk as another account from now on, on a device of its own (the model is kept, not rebuilt)."""
        self.user_id = user_id
        self.device = SimulatedDevice(user_id, locale=self.locale, clock=lambda: self.now, person_id=self.person_id)

    # time
    def wait(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    def next_day(self, days: int = 1, hour: int = 7) -> None:
        """Jump to a later morning; an open session is ended first, as a device would."""
        if self.device.in_session:
            self.end_session("EXCEEDED_MAX_REPROMPTS")
        day = (self.now + timedelta(days=days)).date()
        self.now = datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)

    def _advance(self, after: float | None) -> None:
        last = self.answers[-1] if self.answers else None
        if last is None:
            return
        self.now = said_at(self.now, last.sent_at, last.ssml, after)

    # turns
    def send(self, envelope: dict) -> Answer:
        response = self.app.handle(envelope)
        check_response(envelope, response)
        self.device.absorb(response)
        answer = Answer(envelope, response, self.now)
        self.answers.append(answer)
        return answer

    def launch(self, after: float | None = None) -> Answer:
        self._advance(after)
        if self.device.in_session:
            self.end_session("USER_INITIATED")
        return self.send(self.device.launch())

    def intent(self, name: str, after: float | None = None, **slots: str) -> Answer:
        self._advance(after)
        slot_data = {k: {"name": k, "value": str(v), "confirmationStatus": "NONE"} for k, v in slots.items()}
        return self.send(self.device.intent(name, slot_data))

    def say(self, utterance: str, after: float | None = None) -> Answer:
        """Resolve ``utterance`` with the skill's own model, as ``stride-coach chat`` does."""
        self._advance(after)
        resolution, envelopes = requests_for(self.resolver, self.device, utterance)
        answer = None
        for envelope in envelopes:
            answer = self.send(envelope)
        assert answer is not None
        answer.resolution = resolution
        return answer

    def end_session(self, reason: str = "USER_INITIATED", after: float | None = None) -> Answer:
        """The device ends the session; by default once the last response has played."""
        self._advance(after)
        return self.send(self.device.session_ended(reason))

    @property
    def stored(self) -> dict:
        """What the store holds right now for this speaker (the account's shared profile if unrecognised)."""
        adapter = self.app.adapter
        assert isinstance(adapter, SectionedStore)  # the core's stores take any envelope that names the user
        return adapter.get_attributes(person_envelope(self.user_id, self.device.person_id))


def block_silence_seconds(block: Block, hold_scale: float = 1.0, count_pace: float = 1.0) -> float:
    """The timed silence one plan block plays: the get-ready window, every hold (or rep tempo),
    every rest between sets and every change of sides.

    The engine's exactness rule (:mod:`skill.engine.timeline`): a plugin's routine is right when
    the silences of the response that plays a block add up to exactly this.
    """
    work = block["work"]
    per_set = hold_seconds(block, hold_scale) if work["type"] == "hold" \
        else work["reps"] * rep_seconds(work["tempo"]) * count_pace
    sides = max(1, len(block.get("sides") or []))
    rests = sides * (block["sets"] - 1) * block.get("rest_seconds", 0)
    return get_ready_seconds(block) + sides * block["sets"] * per_set + rests + (sides - 1) * side_change_seconds(block)


# -- plugins as installed distributions, without pip -------------------------------------------
def write_distribution(folder: str | Path, name: str, entry_points: dict[str, str], version: str = "0.1.0") -> Path:
    """Write ``<name>-<version>.dist-info`` in ``folder``, declaring ``stride_coach`` entry points.

    ``importlib.metadata`` finds ``*.dist-info`` folders in every ``sys.path`` entry, so with
    ``folder`` on ``sys.path`` the entry points are discovered, loaded and versioned exactly as if
    pip had installed the package, and nothing is left in the environment afterwards.
    """
    dist_info = Path(folder) / f"{re.sub(r'[^A-Za-z0-9.]+', '_', name)}-{version}.dist-info"
    dist_info.mkdir(parents=True, exist_ok=True)
    (dist_info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    lines = [f"[{ENTRY_POINT_GROUP}]", *(f"{ep} = {target}" for ep, target in entry_points.items())]
    (dist_info / "entry_points.txt").write_text("\n".join(lines) + "\n")
    return dist_info


def listen_to_the_end(alexa: AlexaSimulator) -> None:
    """Let the last response play out before anything else happens (a user who listens)."""
    last = alexa.answers[-1]
    alexa.now = said_at(alexa.now, last.sent_at, last.ssml, None)


def finish_routine(alexa: AlexaSimulator, utterance: str) -> list[Answer]:
    """Start a routine with ``utterance``, answer "next" until it is done, and let the last words play."""
    answers = [alexa.say(utterance)]
    while "Say next for" in answers[-1].reprompt or "Say continue" in answers[-1].reprompt:
        answers.append(alexa.say("next"))
    assert "done." in answers[-1].speech, dump(answers[-1])
    listen_to_the_end(alexa)
    return answers


def dump(answer: Answer) -> str:
    """A readable transcript line, for assertion messages."""
    return json.dumps({"speech": answer.speech, "reprompt": answer.reprompt, "ended": answer.ended})


def without_safety_gate(monkeypatch: Any) -> None:
    """Sessions start without the ``before_coaching`` gates, for tests about something else."""
    from skill.pipeline import coaching_gate

    monkeypatch.setattr(coaching_gate, "hold_for_gates", lambda exchange, plan, lead, position=None: None)
