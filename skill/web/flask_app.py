"""The Flask app: ``POST /alexa`` answers Alexa request envelopes, ``GET /healthz`` says it is up.

The body is read raw, with a size cap, because the signature covers the exact bytes sent. With a
verifier, only requests it accepts reach the skill; without one (``--no-verify``, local testing),
the body still has to be a JSON object of a sane size. Every refusal is HTTP 400 with
``{"error": "<short reason>"}``, which is what Alexa's certification expects.
"""

from __future__ import annotations

import json
import logging

from flask import Flask, Response, request

from skill.pipeline.app import BadRequest, SkillApp
from skill.web.verifier import MAX_BODY_BYTES, RequestRejected, RequestVerifier, check_body_size, parse_envelope

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


def create_app(skill: SkillApp, verifier: RequestVerifier | None, *,
               max_body_bytes: int = MAX_BODY_BYTES) -> Flask:
    """A WSGI app serving ``skill``; ``verifier=None`` turns request verification off."""
    app = Flask(__name__)

    @app.post("/alexa")
    def alexa() -> Response:
        body = _read_body(max_body_bytes)
        envelope = verifier.verify(request.headers, body) if verifier else parse_envelope(body)
        try:
            answer = skill.handle(envelope, owned=True)  # parsed from this request's body alone
        except BadRequest as exc:
            raise RequestRejected(str(exc)) from None
        return _json(answer)

    @app.get("/healthz")
    def healthz() -> Response:
        return _json({"status": "ok"})

    @app.errorhandler(RequestRejected)
    def rejected(exc: RequestRejected) -> Response:
        log.warning("refused a request from %s: %s", request.remote_addr, exc)
        return _json({"error": str(exc)}, 400)

    @app.errorhandler(500)
    def failed(exc: Exception) -> Response:
        return _json({"error": "internal error"}, 500)

    return app
