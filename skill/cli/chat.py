"""``stride-coach chat``: a conversation with the skill in the terminal.

Each line is an utterance. It is resolved against the project's interaction model, wrapped in a
genuine request envelope and answered by the same handler Lambda calls; the speech is printed as
text with silences shown as ``[silence N s]`` (or, with ``--json``, the whole response envelope).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from pathlib import Path

from skill.cli.common import models_dir
from skill.host.host import PluginHost
from skill.kit.device import SimulatedDevice
from skill.lambda_function import handler
from skill.pipeline.app import get_app, reset_app
from skill.speech import ssml
from skill.store import default_db_path
from skill.voice.model import build_model, model_locale, model_path
from skill.voice.nlu import Resolver


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db",
                        help="SQLite file (default: $STRIDE_COACH_DB or ~/.local/share/stride-coach/stride-coach.db)")
    parser.add_argument("--json", action="store_true", help="print each response envelope as one JSON line")
    parser.add_argument("--locale", default="en-US")
    parser.add_argument("--user-id", help="the Alexa user id to use (default: one kept beside the database)")
    parser.add_argument("--person", help="speak as a household member Alexa recognises (a personId, e.g. "
                                         "amzn1.ask.person.ALICE); without it, a voice Alexa did not recognise")


def chat_user_id(db_path: Path) -> str:
    """The same user id across runs: kept in a small file beside the database."""
    id_file = db_path.parent / "chat-user-id"
    if id_file.exists():
        return id_file.read_text().strip()
    user_id = f"amzn1.ask.account.LOCAL-{uuid.uuid4().hex.upper()}"
    id_file.parent.mkdir(parents=True, exist_ok=True)
    id_file.write_text(user_id + "\n")
    return user_id


def load_model(host: PluginHost, locale: str) -> dict:
    path = model_path(models_dir(), model_locale(locale))
    if path.exists():
        return json.loads(path.read_text())
    return build_model(host, locale)


def run(args: argparse.Namespace) -> int:
    db_path = Path(args.db or os.environ.get("STRIDE_COACH_DB") or default_db_path()).expanduser()
    # The chat answers through the very handler Lambda calls, configured for the embedded store.
    os.environ.update(STRIDE_COACH_STORE="sqlite", STRIDE_COACH_DB=str(db_path))
    reset_app()
    resolver = Resolver(load_model(get_app().host, args.locale))
    device = SimulatedDevice(args.user_id or chat_user_id(db_path), locale=args.locale, person_id=args.person)
    interactive = sys.stdin.isatty()
    if interactive and not args.json:
        print("Stride Coach chat. Try 'open stride coach'. Type 'quit' or press Ctrl-D to leave.")
    while True:
        if interactive:
            print("you> ", end="", flush=True)
        line = sys.stdin.readline()
        if not line:
            break
        utterance = line.strip()
        if not utterance:
            continue
        if interactive and utterance.lower() in ("quit", "exit"):
            break
        for envelope in requests_for(resolver, device, utterance):
            response = handler(envelope, None)
            device.absorb(response)
            show(response, args.json, envelope)
    if device.in_session:
        response = handler(device.session_ended("USER_INITIATED"), None)
        if args.json:
            print(json.dumps(response))
    return 0


def requests_for(resolver: Resolver, device: SimulatedDevice, utterance: str) -> list[dict]:
    resolution = resolver.resolve(utterance)
    envelopes = []
    if resolution.launch and resolution.intent is None:
        if device.in_session:  # "open stride coach" again: the old session ends, a new one starts
            envelopes.append(device.session_ended("USER_INITIATED"))
        envelopes.append(device.launch())
    else:
        assert resolution.intent is not None  # the resolver names an intent unless it heard a bare launch
        envelopes.append(device.intent(resolution.intent, resolution.slots))
    return envelopes


def show(response: dict, as_json: bool, envelope: dict) -> None:
    if as_json:
        print(json.dumps(response), flush=True)
        return
    if envelope["request"]["type"] == "SessionEndedRequest":
        return
    body = response.get("response") or {}
    speech = (body.get("outputSpeech") or {}).get("ssml")
    print("alexa> " + (ssml.to_text(speech) if speech else "(no speech)"), flush=True)
    for directive in body.get("directives") or []:
        if directive.get("type") == "Connections.SendRequest":  # the dialog goes to Alexa (a permission)
            print(f"(Alexa takes over: {directive.get('name')} {json.dumps(directive.get('payload'))})", flush=True)
    if (body.get("card") or {}).get("type") == "AskForPermissionsConsent":
        print(f"(a card in the Alexa app asks for: {', '.join(body['card'].get('permissions') or [])})", flush=True)
    if body.get("shouldEndSession"):
        print("(the skill ended the session)", flush=True)
