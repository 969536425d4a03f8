"""Checks that a request really comes from Alexa, for this skill, just now, as Amazon requires.

A skill hosted as a web service must verify every request itself (Lambda does it for you). The
checks run cheapest and most decisive first, and the first failure wins: body size, the
``SignatureCertChainUrl`` rules, the certificate chain (see :mod:`skill.web.certs`), the
``Signature-256`` signature over the raw body, the JSON, the request timestamp and the application
id. Each failure raises :class:`RequestRejected` with a short reason the web app answers with HTTP
400, so nothing unverified reaches the skill.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.x509 import Certificate

from skill.web.certs import ChainCache, ChainError, Fetcher, default_roots, fetch_chain

CHAIN_URL_HEADER = "SignatureCertChainUrl"
SIGNATURE_HEADER = "Signature-256"
CHAIN_HOST = "s3.amazonaws.com"
CHAIN_PATH_PREFIX = "/echo.api/"
MAX_BODY_BYTES = 128 * 1024  # Alexa's requests are a few KB; refuse anything far larger
REQUEST_TOLERANCE = timedelta(seconds=150)
SKILL_EVENT_TOLERANCE = timedelta(hours=1)  # AlexaSkillEvent.* may be delivered late

Clock = Callable[[], datetime]


class RequestRejected(Exception):
    """A request that failed verification; ``str()`` is the short reason sent back with HTTP 400."""


def utc_now() -> datetime:
    return datetime.now(UTC)


# -- the individual checks ------------------------------------------------------------------

def check_body_size(body: bytes, max_bytes: int = MAX_BODY_BYTES) -> None:
    if len(body) > max_bytes:
        raise RequestRejected("request body too large")


def remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4: resolve ``.`` and ``..`` the way the server holding the URL will.

    Unlike ``posixpath.normpath`` it keeps a trailing slash and double slashes, and never lets
    ``..`` climb above the root.
    """
    segments = path.split("/")
    out: list[str] = []
    for segment in segments:
        if segment == ".":
            continue
        if segment == "..":
            if len(out) > 1:
                out.pop()
            continue
        out.append(segment)
    if segments[-1] in (".", ".."):
        out.append("")
    return "/".join(out)


def check_chain_url(url: str | None) -> None:
    """Amazon's rules for ``SignatureCertChainUrl``: https, s3.amazonaws.com, port 443, /echo.api/.

    The path must be under ``/echo.api/`` both as written and with percent-escapes decoded, after
    removing dot segments, so neither ``/echo.api/../evil`` nor ``/echo.api/%2e%2e/evil`` passes.
    """
    if not url:
        raise RequestRejected(f"missing {CHAIN_URL_HEADER} header")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise RequestRejected("certificate URL is malformed") from None
    if parts.scheme.lower() != "https":
        raise RequestRejected("certificate URL must use https")
    if (parts.hostname or "") != CHAIN_HOST or parts.username is not None or parts.password is not None:
        raise RequestRejected(f"certificate URL host must be {CHAIN_HOST}")
    if port not in (None, 443):
        raise RequestRejected("certificate URL port must be 443")
    for path in (parts.path, unquote(parts.path)):
        if not remove_dot_segments(path).startswith(CHAIN_PATH_PREFIX):
            raise RequestRejected(f"certificate URL path must be under {CHAIN_PATH_PREFIX}")


def check_signature(public_key: RSAPublicKey, signature: str | None, body: bytes) -> None:
    """RSA PKCS#1 v1.5 with SHA-256 over the raw body bytes, as sent (never re-serialised JSON)."""
    if not signature:
        raise RequestRejected(f"missing {SIGNATURE_HEADER} header")
    try:
        raw = base64.b64decode(signature.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise RequestRejected("signature is not base64") from None
    try:
        public_key.verify(raw, body, PKCS1v15(), SHA256())
    except InvalidSignature:
        raise RequestRejected("signature does not match the request body") from None


def parse_envelope(body: bytes) -> dict:
    try:
        envelope = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        raise RequestRejected("malformed JSON") from None
    if not isinstance(envelope, dict):
        raise RequestRejected("request body is not a JSON object")
    return envelope


def _field(value: Any, *keys: str) -> Any:
    """``value[k1][k2]...`` or None when any level is missing or not an object."""
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def check_timestamp(envelope: dict, now: datetime) -> None:
    """Within 150 s of now either way (an hour for skill events): replayed requests go stale."""
    stamp = _field(envelope, "request", "timestamp")
    try:
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        raise RequestRejected("request timestamp missing or invalid") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    request_type = _field(envelope, "request", "type")
    is_event = isinstance(request_type, str) and request_type.startswith("AlexaSkillEvent.")
    tolerance = SKILL_EVENT_TOLERANCE if is_event else REQUEST_TOLERANCE
    if abs(now - moment) > tolerance:
        raise RequestRejected("request timestamp too far from now")


def check_application_id(envelope: dict, skill_ids: Iterable[str]) -> None:
    """Every application id the envelope names must be one of ours, and there must be one."""
    ids = [_field(envelope, "context", "System", "application", "applicationId"),
           _field(envelope, "session", "application", "applicationId")]
    present = [i for i in ids if i is not None]
    if not present:
        raise RequestRejected("request has no application id")
    allowed = set(skill_ids)
    if not all(isinstance(i, str) and i in allowed for i in present):
        raise RequestRejected("application id is not this skill's")


# -- all of them ------------------------------------------------------------------------------

class HeaderLookup(Protocol):
    """What :meth:`RequestVerifier.verify` reads of the request's headers: a mapping, or Flask's
    case-insensitive ``request.headers``."""

    def get(self, key: str, /) -> str | None: ...


class RequestVerifier:
    """Verifies raw requests for the given skill id(s); thread-safe, one per server."""

    def __init__(self, skill_ids: Iterable[str], *, roots: Iterable[Certificate] | None = None,
                 fetcher: Fetcher = fetch_chain, clock: Clock = utc_now,
                 max_body_bytes: int = MAX_BODY_BYTES) -> None:
        self.skill_ids = frozenset(skill_ids)
        if not self.skill_ids:
            raise ValueError("request verification needs at least one skill id")
        self.chains = ChainCache(default_roots() if roots is None else roots, fetcher)
        self.clock = clock
        self.max_body_bytes = max_body_bytes

    def verify(self, headers: HeaderLookup, body: bytes) -> dict:
        """The request envelope of a genuine Alexa request for this skill; else RequestRejected."""
        check_body_size(body, self.max_body_bytes)
        url = headers.get(CHAIN_URL_HEADER)
        check_chain_url(url)
        assert url is not None  # check_chain_url refuses a missing one
        now = self.clock()
        try:
            public_key = self.chains.signing_key(url, now)
        except ChainError as exc:
            raise RequestRejected(str(exc)) from None
        check_signature(public_key, headers.get(SIGNATURE_HEADER), body)
        envelope = parse_envelope(body)
        check_timestamp(envelope, now)
        check_application_id(envelope, self.skill_ids)
        return envelope
