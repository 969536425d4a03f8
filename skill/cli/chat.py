"""``stride-coach chat``: a conversation with the skill in the terminal.

Each line is an utterance. It is understood the way a device would (see :mod:`skill.voice.nlu`:
the project's interaction model, the dialog the last response started), wrapped in a genuine
request envelope and answered by the same handler Lambda calls; the speech is printed as text
with silences shown as ``[silence N s]``.

``--paced`` (the default when standard input is not a terminal) runs a simulated clock: a line is
said once the previous response has finished playing, and a line ``@N utterance`` N seconds after
the previous response began (``@40 pause`` interrupts a hold 40 seconds in). Nothing waits for
real. At a terminal the real clock is used. ``--json`` prints one object per request:
``{"request": <the envelope sent>, "response": <the envelope returned>}``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

from skill.cli.common import models_dir
from skill.kit.device import SimulatedDevice
from skill.kit.pacing import said_at
from skill.lambda_function import handler
from skill.pipeline.app import get_app, reset_app
from skill.speech import ssml
from skill.store import default_db_path
from skill.voice.model import build_model, model_locale, model_path
from skill.voice.nlu import Resolution, Resolver, requests_for


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="SQLite file (default: $STRIDE_COACH_DB or "
                                     "~/.local/share/stride-coach/stride-coach.db)")
    parser.add_argument("--json", action="store_true",
                        help='print one JSON object per request: {"request": envelope, "response": envelope}')
    parser.add_argument("--paced", action=argparse.BooleanOptionalAction, default=None,
                        help="a simulated clock: each line is said when the last response has played, "
                             "'@N text' N seconds after it began (default: on when input is piped)")
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


def load_model(host, locale: str) -> dict:
    path = model_path(models_dir(), model_locale(locale))
    if path.exists():
        return json.loads(path.read_text())
    return build_model(host, locale)


def run(args: argparse.Namespace) -> int:
    db_path = Path(args.db or os.environ.get("STRIDE_COACH_DB") or default_db_path()).expanduser()
    # The chat answers through the very handler Lambda calls, configured for the embedded store.
    os.environ.update(STRIDE_COACH_STORE="sqlite", STRIDE_COACH_DB=str(db_path))
    reset_app()
    interactive = sys.stdin.isatty()
    paced = args.paced if args.paced is not None else not interactive
    chat = Chat(Resolver(load_model(get_app().host, args.locale)), args.user_id or chat_user_id(db_path),
                args.locale, datetime.now(UTC) if paced else None, person_id=args.person)
    if interactive and not args.json:
        print("Stride Coach chat. Try 'open stride coach'. Type 'quit' or press Ctrl-D to leave.")
    while True:
        if interactive:
            print("you> ", end="", flush=True)
        line = sys.stdin.readline()
        if not line:
            break
        if interactive and line.strip().lower() in ("quit", "exit"):
            break
        for envelope, response in chat.say_line(line):
            show(response, args.json, envelope)
    ended = chat.end()
    if ended and args.json:
        show(ended[1], True, ended[0])
    return 0


def timed_line(line: str) -> tuple[str, float | None]:
    """``"@40 pause"`` -> ``("pause", 40.0)``; a plain line has no time of its own."""
    text = line.strip()
    match = re.match(r"^@\s*(\d+(?:\.\d+)?)\s+(.*)$", text)
    if match:
        return match.group(2).strip(), float(match.group(1))
    return text, None


class Chat:
    """One chat: lines in, (request, response) envelopes out, through the Lambda handler.

    ``start``: the simulated clock's first reading (paced); ``None`` for the real clock.
    """

    def __init__(self, resolver: Resolver, user_id: str, locale: str = "en-US", start: datetime | None = None,
                 person_id: str | None = None) -> None:
        self.resolver = resolver
        self.paced = start is not None
        self.now = start or datetime.now(UTC)
        self.last_sent: datetime | None = None
        self.last_ssml = ""
        self.device = SimulatedDevice(user_id, locale=locale, clock=self._read if self.paced else None,
                                      person_id=person_id)
        self.last_resolution: Resolution | None = None

    def _read(self) -> datetime:
        return self.now

    def say_line(self, line: str) -> list[tuple[dict, dict]]:
        utterance, after = timed_line(line)
        if not utterance:
            return []
        self._advance(after)
        self.last_resolution, envelopes = requests_for(self.resolver, self.device, utterance)
        return [self.send(envelope) for envelope in envelopes]

    def send(self, envelope: dict) -> tuple[dict, dict]:
        response = handler(envelope, None)
        self.device.absorb(response)
        self.last_sent = self.now
        self.last_ssml = ((response.get("response") or {}).get("outputSpeech") or {}).get("ssml", "")
        return envelope, response

    def _advance(self, after: float | None) -> None:
        if self.paced:
            self.now = said_at(self.now, self.last_sent, self.last_ssml, after)

    def end(self) -> tuple[dict, dict] | None:
        """End an open session as a device does when the user walks away."""
        if not self.device.in_session:
            return None
        self._advance(None)
        return self.send(self.device.session_ended("USER_INITIATED"))


def show(response: dict, as_json: bool, envelope: dict) -> None:
    if as_json:
        print(json.dumps({"request": envelope, "response": response}), flush=True)
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
