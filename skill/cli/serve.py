"""``stride-coach serve``: the skill as a web service at ``POST /alexa``, on waitress.

Meant to sit behind a reverse proxy that terminates HTTPS on port 443 (see docs/hosting.md).
Requests are verified as Amazon requires for web services, which needs the skill id; without one
the server refuses to start rather than accept requests for any skill. ``--no-verify`` is for
local testing only and says so on every start. SIGTERM or Ctrl-C stops it gracefully: requests in
flight are answered and their writes committed before the store is closed.
"""

from __future__ import annotations

import argparse
import sys

from skill.cli.chat import load_model
from skill.pipeline.app import SkillApp, load_from_env, skill_ids_from_env
from skill.store import adapter_from_env
from skill.voice.nlu import Resolver
from skill.web.certs import TrustStoreError
from skill.web.coach import BrowserCoach, mount_page
from skill.web.flask_app import create_app
from skill.web.server import DEFAULT_SHUTDOWN_TIMEOUT_S, DEFAULT_THREADS, Server, stop_on_signals
from skill.web.verifier import RequestVerifier

PAGE_PREFIX = "/coach"

NO_VERIFY_WARNING = ("stride-coach serve: WARNING: request verification is OFF (--no-verify). "
                     "This is for local testing only: anyone who can reach this server can act as "
                     "any user. Never expose it to the internet.")
NO_SKILL_ID = ("stride-coach serve: request verification needs your skill id, to refuse requests "
               "meant for other skills. Pass --skill-id amzn1.ask.skill.<...> (repeatable) or set "
               "STRIDE_COACH_SKILL_ID (comma-separated). For local testing only, --no-verify skips "
               "verification.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default: 127.0.0.1, for a reverse proxy on the same machine)")
    parser.add_argument("--port", type=int, default=8080, help="port to listen on (default: 8080; 0 picks a free one)")
    parser.add_argument("--db",
                        help="SQLite file (default: $STRIDE_COACH_DB or ~/.local/share/stride-coach/stride-coach.db)")
    parser.add_argument("--skill-id", action="append", default=[], metavar="ID",
                        help="accept requests for this skill id (repeatable; default: $STRIDE_COACH_SKILL_ID)")
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS,
                        help=f"worker threads answering requests (default: {DEFAULT_THREADS})")
    parser.add_argument("--shutdown-timeout", type=float, default=DEFAULT_SHUTDOWN_TIMEOUT_S, metavar="SECONDS",
                        help="on SIGTERM, how long to wait for requests in flight "
                             f"(default: {DEFAULT_SHUTDOWN_TIMEOUT_S:.0f})")
    parser.add_argument("--page", action="store_true",
                        help="also serve the browser coach at /coach/ "
                             "(it has no sign-in; /alexa keeps its verification)")
    parser.add_argument("--no-verify", action="store_true",
                        help="do not verify that requests come from Alexa (local testing only)")


def run(args: argparse.Namespace) -> int:
    skill_ids = [s for s in args.skill_id if s.strip()] or skill_ids_from_env()
    verifier = None
    if args.no_verify:
        print(NO_VERIFY_WARNING, file=sys.stderr, flush=True)
    elif not skill_ids:
        print(NO_SKILL_ID, file=sys.stderr)
        return 2
    else:
        try:
            verifier = RequestVerifier(skill_ids)
        except TrustStoreError as exc:
            print(f"stride-coach serve: {exc}", file=sys.stderr)
            return 2

    adapter = adapter_from_env(args.db)
    try:
        skill = SkillApp(load_from_env(), adapter, skill_ids)
        app = create_app(skill, verifier)
        if args.page:
            mount_page(app, BrowserCoach(skill, Resolver(load_model(skill.host, "en-US"))), PAGE_PREFIX)
        try:
            server = Server(app, args.host, args.port, threads=args.threads,
                            shutdown_timeout=args.shutdown_timeout)
        except OSError as exc:
            print(f"stride-coach serve: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
            return 1
        host, port = server.address
        print(f"stride-coach serve: listening on http://{host}:{port} (POST /alexa, GET /healthz); "
              f"verification {'on' if verifier else 'OFF'}; store: {describe(adapter)}"
              + (f"; browser coach at {PAGE_PREFIX}/" if args.page else ""), file=sys.stderr, flush=True)
        with stop_on_signals(server):
            server.serve_forever()
        print("stride-coach serve: stopped", file=sys.stderr, flush=True)
        return 0
    finally:
        close = getattr(adapter, "close", None)
        if close is not None:
            close()


def describe(adapter: object) -> str:
    path = getattr(adapter, "path", None)
    return f"SQLite {path}" if path is not None else type(adapter).__name__
