"""``stride-coach web``: the browser coach, a local page that speaks the coaching and shows the screen.

It answers through the same handler as Lambda and ``/alexa`` (see :mod:`skill.web.coach`), with the
embedded SQLite store. It listens on loopback only unless told otherwise: the page does not use
``/alexa`` and has no Alexa verification, so anyone who can reach it can coach with it.
"""

from __future__ import annotations

import argparse
import os
import sys
import webbrowser
from pathlib import Path

from skill.cli.chat import load_model
from skill.pipeline.app import SkillApp, load_from_env
from skill.services.alexa_api import is_loopback
from skill.store import SQLiteAdapter, default_db_path
from skill.voice.nlu import Resolver
from skill.web.coach import BrowserCoach, create_coach_app
from skill.web.server import Server, stop_on_signals

DEFAULT_PORT = 8765
REMOTE_WARNING = ("stride-coach web: WARNING: listening on {host}, which other machines can reach. The page has "
                  "no sign-in: anyone who can open it can use the coach and its store.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default: 127.0.0.1, this machine only)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"port to listen on (default: {DEFAULT_PORT}; 0 picks a free one)")
    parser.add_argument("--db",
                        help="SQLite file (default: $STRIDE_COACH_DB or ~/.local/share/stride-coach/stride-coach.db)")
    parser.add_argument("--locale", default="en-US")
    parser.add_argument("--open", action="store_true", help="open the page in the default browser")


def browser_coach(db: str | Path | None, locale: str) -> BrowserCoach:
    """The skill with the embedded store, and the resolver for what people type."""
    host = load_from_env()
    adapter = SQLiteAdapter(Path(db or os.environ.get("STRIDE_COACH_DB") or default_db_path()).expanduser())
    return BrowserCoach(SkillApp(host, adapter), Resolver(load_model(host, locale)), locale)


def run(args: argparse.Namespace) -> int:
    if not is_loopback(args.host):
        print(REMOTE_WARNING.format(host=args.host), file=sys.stderr, flush=True)
    coach = browser_coach(args.db, args.locale)
    try:
        try:
            server = Server(create_coach_app(coach), args.host, args.port)
        except OSError as exc:
            print(f"stride-coach web: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
            return 1
        host, port = server.address
        url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
        print(f"stride-coach web: the browser coach is at {url} (Ctrl-C to stop)", file=sys.stderr, flush=True)
        if args.open:
            webbrowser.open(url)
        with stop_on_signals(server):
            server.serve_forever()
        print("stride-coach web: stopped", file=sys.stderr, flush=True)
        return 0
    finally:
        close = getattr(coach.skill.adapter, "close", None)
        if close is not None:
            close()
