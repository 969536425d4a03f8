"""Hostile request envelopes for the skill: genuine ones from real conversations, then mutated.

Used by the property test of the Lambda handler (tests/pipeline/test_fuzz_handler.py) and by the
longer run in ``benchmarks/fuzz_envelopes.py``. Seeds are the envelopes a device sends during real
conversations (a routine in progress carries its plan in the session attributes), plus the request
types that come without a session. A mutation deletes a field, puts a value of the wrong type or
size in its place, changes the request type, nests values deeply, or corrupts what the store holds
for the user. :func:`rule_problems` lists every way a response breaks Alexa's rules.
"""

from __future__ import annotations

import copy
import json
import random
import re
from collections.abc import Callable
from typing import Any

from skill.kit.device import SimulatedDevice as Device
from skill.pipeline.envelope import is_sessionless
from skill.speech import ssml

MAX_RESPONSE_BYTES = 120 * 1024  # Alexa's limit on a whole response
PROSODY_RATE_RANGE = (20, 200)  # percent, Alexa's range for <prosody rate>
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LEAKS = re.compile(r"\bNone\b|\bnull\b|\bnan\b|\binf\b|[{}\[\]]|\\x|Traceback", re.IGNORECASE)

# Before a first routine the coaching gate screens: a disclaimer, six questions, two numbers.
SCREEN = ["no"] * 6 + ["three", "four"]
FLOWS: list[list[str]] = [
    ["<launch>", "help", "stretch my hamstrings", *SCREEN, "next", "pause", "resume", "repeat", "previous",
     "make the holds longer", "keep going", "stop"],
    ["<launch>", "start my stretches", *SCREEN, "next", "next", "start over", "<end>"],
    ["<launch>", "start a strength session", *SCREEN, "yes", "next", "I did ten", "skip", "stop"],
    ["<launch>", "check my back", "no", "no", "yes", "three", "help", "stop"],
    ["<launch>", "warm up", *SCREEN, "next", "pause", "<end>", "<launch>", "yes", "next"],
    ["<launch>", "how am I doing", "slower please", "cancel"],
    ["<launch>", "forget me", "yes"],
]

SESSIONLESS_REQUESTS: list[dict] = [
    {"type": "AudioPlayer.PlaybackStarted", "token": "t", "offsetInMilliseconds": 0},
    {"type": "AudioPlayer.PlaybackFailed", "token": "t", "error": {"type": "MEDIA_ERROR_UNKNOWN", "message": "x"}},
    {"type": "AudioPlayer.PlaybackNearlyFinished", "token": "t", "offsetInMilliseconds": 1000},
    {"type": "PlaybackController.NextCommandIssued"},
    {"type": "PlaybackController.PlayCommandIssued"},
    {"type": "System.ExceptionEncountered", "error": {"type": "INVALID_RESPONSE", "message": "bad"},
     "cause": {"requestId": "amzn1.echo-api.request.x"}},
    {"type": "AlexaSkillEvent.SkillEnabled"},
    {"type": "AlexaSkillEvent.SkillPermissionAccepted", "body": {"acceptedPermissions": [{"scope": "x"}]}},
    {"type": "Messaging.MessageReceived", "message": {"a": 1}},
]
IN_SESSION_REQUESTS: list[dict] = [
    {"type": "Alexa.Presentation.APLA.RuntimeError", "token": "t",
     "errors": [{"type": "RENDER_ERROR", "message": "x"}]},
    {"type": "Alexa.Presentation.APL.UserEvent", "token": "t", "arguments": ["next"]},
    {"type": "Connections.Response", "name": "x", "status": {"code": "200", "message": "OK"}, "payload": {}},
    {"type": "CanFulfillIntentRequest", "intent": {"name": "StartStretchIntent", "slots": {}}},
    {"type": "Dialog.API.Invoked", "apiRequest": {"name": "x"}},
    {"type": "Some.Future.RequestType", "anything": [1, 2, 3]},
]

REQUEST_TYPES = ["LaunchRequest", "IntentRequest", "SessionEndedRequest", "AudioPlayer.PlaybackStopped",
                 "PlaybackController.PauseCommandIssued", "System.ExceptionEncountered",
                 "Alexa.Presentation.APLA.RuntimeError", "AlexaSkillEvent.SkillDisabled", "", "x" * 300]


def _nested(depth: int) -> Any:
    value: Any = "deep"
    for _ in range(depth):
        value = {"a": value} if depth % 2 else [value]
    return value


NASTY_VALUES: list[Callable[[], Any]] = [
    lambda: None, lambda: "", lambda: "x", lambda: 0, lambda: -1, lambda: 10**6, lambda: 10**18,
    lambda: -(10**18), lambda: 1e308, lambda: float("nan"), lambda: float("inf"), lambda: True, lambda: [],
    lambda: {}, lambda: [{}], lambda: [None], lambda: {"type": {}}, lambda: "\x00", lambda: "a\x00b",
    lambda: "\ud800", lambda: "ok\udfffok", lambda: "<speak>&</speak>", lambda: "x" * 100_000,
    lambda: ["y" * 1000] * 300, lambda: _nested(60), lambda: _nested(3000), lambda: _nested(60_000),
    lambda: "2026-13-45T99:99:99Z", lambda: 3.5, lambda: "AMAZON.StopIntent", lambda: {"name": 5},
]

STATE_VALUES: list[Callable[[], Any]] = [
    lambda: None, lambda: "", lambda: "x", lambda: 0, lambda: -1, lambda: 10**6, lambda: 10**18, lambda: 1e308,
    lambda: -0.5, lambda: True, lambda: [], lambda: {}, lambda: [{}], lambda: {"type": {}}, lambda: "a\x07b",
    lambda: "x" * 20_000, lambda: ["y" * 1000] * 300, lambda: _nested(40), lambda: "2026-13-45T99:99:99Z",
    lambda: {"block": 2, "side": 5, "set": -1, "phase": "work", "done": 1e9},
]

# What a corrupted store or session may hold: out-of-range numbers, wrong types, huge collections.
STATE_CORRUPTIONS: list[tuple[str, Callable[[], Any]]] = [
    ("prefs", lambda: {"rate": 0}), ("prefs", lambda: {"rate": -1}), ("prefs", lambda: {"rate": 5000}),
    ("prefs", lambda: {"rate": "fast"}), ("prefs", lambda: {"hold_scale": 0}),
    ("prefs", lambda: {"hold_scale": 1e9}), ("prefs", lambda: {"hold_scale": "x", "continuous": "yes"}),
    ("prefs", lambda: "not a dict"), ("prefs", lambda: {"rate": float("nan")}),
    ("prefs", lambda: {"count_pace": "x", "tones": "loud"}), ("prefs", lambda: {"count_pace": 1e9}),
    ("history", lambda: "x"), ("history", lambda: [None, 5, {"date": "x", "minutes": "y"}] * 3),
    ("history", lambda: [{"date": "2026-03-01", "title": None, "owner": 3, "plan": {}, "minutes": -1}] * 500),
    ("paused", lambda: {"position": "x"}), ("paused", lambda: {"plan": {"blocks": None}}),
    ("paused", lambda: {"position": {"block": 10**9}, "plan_version": "v"}), ("paused_plan", lambda: []),
    ("plugins", lambda: []), ("plugins", lambda: {"stretch_timer": "x", "strength_coach": {"level": 10**9}}),
    ("plugins", lambda: {"diagnosis": {"plan": None, "answers": "x"}}),
]


# -- seeds ---------------------------------------------------------------------------------------

def seed_envelopes(app: Any, user_id: str = "amzn1.ask.account.FUZZ-SEED") -> list[dict]:
    """The envelopes of the conversations in :data:`FLOWS`, and requests of other types, as sent."""
    from skill.screen.directives import APL_INTERFACE, APL_VERSION
    from skill.voice.model import build_model

    screen_interfaces = {APL_INTERFACE: {"runtime": {"maxVersion": APL_VERSION}}}
    from skill.voice.nlu import Resolver, requests_for

    resolver = Resolver(build_model(app.host, "en-US"))
    seeds: list[dict] = []
    for n, flow in enumerate(FLOWS):
        # Some conversations come from a recognised person of a household, whose data is kept apart.
        device = Device(f"{user_id}-{n}", person_id=f"amzn1.ask.person.FUZZ-{n}") if n % 3 == 2 else \
            Device(f"{user_id}-{n}")
        for step in flow:
            if step == "<end>":
                envelope = device.session_ended("USER_INITIATED")
            elif step == "<launch>":
                envelope = device.launch()
            else:  # as a device sends it: in the dialog the last response started
                envelope = requests_for(resolver, device, step)[1][-1]
            if n % 2:  # every other conversation on a device with a screen, which gets APL too
                envelope["context"]["System"]["device"]["supportedInterfaces"] = screen_interfaces
            seeds.append(copy.deepcopy(envelope))
            try:
                device.absorb(app.handle(envelope))
            except Exception:
                device.session_id = None
        for request in IN_SESSION_REQUESTS:
            seeds.append(device.request(dict(request)))
    device = Device(f"{user_id}-sessionless")
    for request in SESSIONLESS_REQUESTS:
        envelope = device.request(dict(request))
        del envelope["session"]
        device.session_id = None
        seeds.append(envelope)
    return seeds


# -- mutations -----------------------------------------------------------------------------------

def _paths(value: Any, prefix: tuple = (), limit: int = 400) -> list[tuple]:
    """Paths to the values inside ``value`` (breadth first, at most ``limit``)."""
    out: list[tuple] = []
    queue: list[tuple[tuple, Any]] = [(prefix, value)]
    while queue and len(out) < limit:
        path, node = queue.pop(0)
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, child in items:
            out.append((*path, key))
            queue.append(((*path, key), child))
    return out


def _parent(envelope: Any, path: tuple) -> Any:
    node = envelope
    for key in path[:-1]:
        node = node[key]
    return node


def mutate(envelope: dict, rng: random.Random, stored: dict | None = None) -> dict:
    """One to three mutations of a copy of ``envelope``; ``stored`` (a dict of sections) may be corrupted too."""
    envelope = copy.deepcopy(envelope)
    for _ in range(rng.randint(1, 3)):
        choice = rng.random()
        paths = _paths(envelope)
        if choice < 0.25 and paths:
            path = rng.choice(paths)
            _parent(envelope, path)[path[-1]] = rng.choice(NASTY_VALUES)()
        elif choice < 0.35 and paths:
            path = rng.choice(paths)
            parent = _parent(envelope, path)
            if isinstance(parent, dict):
                del parent[path[-1]]
            else:
                parent.pop(path[-1])
        elif choice < 0.42:
            request = envelope.get("request")
            if isinstance(request, dict):
                request["type"] = rng.choice(REQUEST_TYPES)
        elif choice < 0.75:
            _corrupt_session(envelope, rng)
        elif choice < 0.92 and stored is not None:
            section, value = rng.choice(STATE_CORRUPTIONS)
            current = stored.get(section)
            new = value()
            stored[section] = {**current, **new} if isinstance(current, dict) and isinstance(new, dict) else new
        else:
            top = rng.choice(["request", "context", "session", "version"])
            envelope[top] = rng.choice(NASTY_VALUES)()
    return envelope


def _corrupt_session(envelope: dict, rng: random.Random) -> None:
    """Change a value inside the session attributes, where the skill keeps its plan and player."""
    session = envelope.get("session")
    if not isinstance(session, dict):
        return
    attributes = session.get("attributes")
    if not isinstance(attributes, dict) or not attributes:
        session["attributes"] = rng.choice([{"core": rng.choice(NASTY_VALUES)()}, {"plugins": []},
                                            {"junk": "z" * 200_000}, rng.choice(NASTY_VALUES)()])
        return
    paths = _paths(attributes, limit=2000)
    if not paths:
        return
    path = rng.choice(paths)
    parent = _parent(attributes, path)
    key = path[-1]
    interesting = {"count_pace": "fast", "familiar": 7, "tones": "yes",
                   "reps": 10**6, "sets": 10**6, "seconds": 10**7, "hold": -5, "rate": 5000, "name": None,
                   "short_name": None, "block": 10**9, "step": -3, "tempo": [10**6, 10**6], "blocks": []}
    if isinstance(key, str) and key in interesting and rng.random() < 0.6:
        parent[key] = interesting[key]
    else:  # values a client could send back that the JSON itself allows
        parent[key] = rng.choice(STATE_VALUES)()


# -- Alexa's rules -------------------------------------------------------------------------------

def _text_problems(label: str, text: str) -> list[str]:
    problems = []
    if _CONTROL.search(text):
        problems.append(f"{label} holds a control character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        problems.append(f"{label} holds a lone surrogate")
        return problems
    problems += [f"{label}: {p}" for p in ssml.check(text)]
    for rate in re.findall(r'<prosody[^>]*\brate="([^"]*)"', text):
        match = re.fullmatch(r"(\d+)%", rate)
        if not match or not PROSODY_RATE_RANGE[0] <= int(match.group(1)) <= PROSODY_RATE_RANGE[1]:
            problems.append(f"{label}: prosody rate {rate!r} is outside Alexa's 20%-200%")
    # to_text shows silences as [silence N s] and a person's name tag as [name]: those are not leaks.
    leak = _LEAKS.search(re.sub(r"\[silence [\d.]+ s\]|\[name\]", "", ssml.to_text(text)))
    if leak:
        problems.append(f"{label} reads out {leak.group(0)!r}: {ssml.to_text(text)[:120]!r}")
    return problems


def rule_problems(request: Any, envelope: Any) -> list[str]:
    """Every way the response ``envelope`` breaks Alexa's rules for ``request`` (empty if none)."""
    if not isinstance(envelope, dict) or not isinstance(envelope.get("response"), dict):
        return ["the answer is not a response envelope"]
    try:
        size = len(json.dumps(envelope, allow_nan=False).encode())
    except (TypeError, ValueError, RecursionError) as exc:
        return [f"the response is not JSON: {type(exc).__name__}"]
    problems = []
    if size > MAX_RESPONSE_BYTES:
        problems.append(f"the response is {size} bytes; Alexa allows {MAX_RESPONSE_BYTES}")
    body = envelope["response"]
    kind = request.get("request", {}).get("type") if isinstance(request, dict) else None
    speech = (body.get("outputSpeech") or {}).get("ssml")
    reprompt = ((body.get("reprompt") or {}).get("outputSpeech") or {}).get("ssml")
    for label, text in (("outputSpeech", speech), ("reprompt", reprompt)):
        if isinstance(text, str):
            problems += _text_problems(label, text)
    no_session = not isinstance(request, dict) or not isinstance(request.get("session"), dict)
    if kind == "SessionEndedRequest" or is_sessionless(kind) or no_session:
        if speech or reprompt or body.get("card"):
            problems.append(f"a {kind} request must get no speech, reprompt or card")
        if body.get("shouldEndSession") is False:
            problems.append(f"a {kind} request cannot open a session")
        if envelope.get("sessionAttributes"):
            problems.append(f"a {kind} request has no session to keep attributes in")
        return problems
    if kind in ("LaunchRequest", "IntentRequest") and not speech:
        problems.append("no outputSpeech")
    if body.get("shouldEndSession") is False and not reprompt:
        problems.append("the session stays open without a reprompt")
    return problems
