"""The Flask app: ``POST /alexa`` answers Alexa request envelopes, ``GET /healthz`` says it is up.

The body is read raw, with a size cap, because the signature covers the exact bytes sent. With a
verifier, only requests it accepts reach the skill; without one (``--no-verify``, local testing),
the body still has to be a JSON object of a sane size. Every refusal is HTTP 400 with
``{"error": "<short reason>"}``, which is what Alexa's certification expects.
"""

from __future__ import annotations

import json
import logging
import threading
import time

from flask import Flask, Response, request

from skill.pipeline.app import BadRequest, SkillApp
from skill.web.verifier import (
    MAX_BODY_BYTES,
    RequestRejected,
    RequestVerifier,
    check_body_size,
    parse_envelope,
)

log = logging.getLogger("stride_coach.web")
JSON = "application/json"


def _json(payload: dict, status: int = 200) -> Response:
    return Response(json.dumps(payload, separators=(",", ":")), status=status, mimetype=JSON)


def _read_body(max_bytes: int) -> bytes:
    """At most ``max_bytes`` + 1 bytes: enough to tell an oversized body without buffering it."""
    if request.content_length is not None and request.content_length > max_bytes:
        raise RequestRejected("request body too large")
    body = request.stream.read(max_bytes + 1)
    check_body_size(body, max_bytes)
    return body


class _RefusalLog:
    """Refusals as warnings, at most a few a second: a flood of bad requests must not become a
    flood of log lines (writing them would cost the genuine requests more than refusing)."""

    PER_SECOND = 5

    def __init__(self) -> None:
        self._second, self._count, self._lock = 0, 0, threading.Lock()

    def log(self, who: str | None, reason: str) -> None:
        now = int(time.monotonic())
        with self._lock:
            if now != self._second:
                if self._count > self.PER_SECOND:
                    log.warning("... and %d more refusals in that second", self._count - self.PER_SECOND)
                self._second, self._count = now, 0
            self._count += 1
            shown = self._count <= self.PER_SECOND
        if shown:
            log.warning("refused a request from %s: %s", who, reason)


def create_app(skill: SkillApp, verifier: RequestVerifier | None, *,
               max_body_bytes: int = MAX_BODY_BYTES) -> Flask:
    """A WSGI app serving ``skill``; ``verifier=None`` turns request verification off."""
    app = Flask(__name__)
    refusals = _RefusalLog()

    # Only the methods each route serves: no automatic OPTIONS answer (there is no browser client
    # to preflight for), so OPTIONS and anything else get 405.
    @app.post("/alexa", provide_automatic_options=False)
    def alexa() -> Response:
        body = _read_body(max_body_bytes)
        envelope = verifier.verify(request.headers, body) if verifier else parse_envelope(body)
        try:
            answer = skill.handle(envelope, owned=True)  # parsed from this request's body alone
        except BadRequest as exc:
            raise RequestRejected(str(exc)) from None
        return _json(answer)

    @app.get("/healthz", provide_automatic_options=False)
    def healthz() -> Response:
        return _json({"status": "ok"})

    @app.errorhandler(RequestRejected)
    def rejected(exc: RequestRejected) -> Response:
        refusals.log(request.remote_addr, str(exc))
        return _json({"error": str(exc)}, 400)

    @app.errorhandler(405)
    def wrong_method(exc: Exception) -> Response:
        answer = _json({"error": "method not allowed"}, 405)
        allowed = getattr(exc, "valid_methods", None)
        if allowed:
            answer.headers["Allow"] = ", ".join(allowed)
        return answer

    @app.errorhandler(500)
    def failed(exc: Exception) -> Response:
        return _json({"error": "internal error"}, 500)

    return app
