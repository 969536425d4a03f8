"""A small client for Alexa's own REST APIs, at the request's ``apiEndpoint`` with its ``apiAccessToken``.

The skill calls these APIs while Alexa waits for its answer, so every call has a short timeout and
every failure becomes one of two exceptions the caller can put into words: :class:`ApiError` (the
API answered with an error status) or :class:`ApiUnreachable` (no usable answer at all). The token
is sent only over HTTPS, or over plain HTTP to a loopback address (the local fakes the tests run).
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

if TYPE_CHECKING:
    import urllib.error

# Alexa waits 8 seconds for the whole response; a call that takes longer than this is abandoned
# so that the skill can still say what went wrong.
TIMEOUT_SECONDS = 2.5
MAX_RESPONSE_BYTES = 1_000_000


class ApiError(Exception):
    """The API answered with an error status (``status``; ``code`` and ``message`` from its body)."""

    def __init__(self, status: int, code: str | None = None, message: str | None = None) -> None:
        super().__init__(f"HTTP {status}" + (f" {code}" if code else "") + (f": {message}" if message else ""))
        self.status, self.code, self.message = status, code, message

    @property
    def not_permitted(self) -> bool:
        """The user has not granted (or has withdrawn) the permission the call needs."""
        return self.status in (401, 403)

    @property
    def throttled(self) -> bool:
        return self.status == 429


class ApiUnreachable(Exception):
    """No usable answer: a network failure, a timeout, or a body that is not what the API sends."""


class NoApiAccess(Exception):
    """The request carries no API endpoint or access token (a simulator, or a hand-made envelope)."""


def path_part(value: str) -> str:
    """``value`` escaped for use as one segment of a URL path."""
    return quote(value, safe="")


@dataclass(frozen=True)
class AlexaApi:
    """Where and how to call Alexa's APIs for one request."""

    endpoint: str
    token: str
    timeout: float = TIMEOUT_SECONDS

    def __post_init__(self) -> None:
        parts = urlsplit(self.endpoint)
        if parts.scheme == "https" and parts.hostname:
            return
        if parts.scheme == "http" and parts.hostname and is_loopback(parts.hostname):
            return
        raise NoApiAccess(f"refusing to send an access token to {self.endpoint!r}: not an https:// endpoint")

    @classmethod
    def of_request(cls, system: Any) -> AlexaApi:
        """The API access of a request's ``context.System`` (an ask-sdk ``SystemState``)."""
        endpoint = getattr(system, "api_endpoint", None)
        token = getattr(system, "api_access_token", None)
        if not endpoint or not token:
            raise NoApiAccess("the request has no apiEndpoint or apiAccessToken")
        return cls(endpoint.rstrip("/"), token)

    def call(self, method: str, path: str, body: Any = None) -> Any:
        """Send one request; the decoded JSON answer (``None`` for an empty one)."""
        import urllib.error  # with http.client and email: only for the requests that call an API
        import urllib.request

        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.endpoint + path, data=data, method=method, headers={
            "Authorization": f"Bearer {self.token}", "Accept": "application/json",
            **({"Content-Type": "application/json"} if data is not None else {})})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                text = response.read(MAX_RESPONSE_BYTES)
        except urllib.error.HTTPError as error:
            raise _api_error(error) from None
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise ApiUnreachable(f"{method} {path}: {error}") from None
        if not text.strip():
            return None
        try:
            return json.loads(text)
        except ValueError:
            raise ApiUnreachable(f"{method} {path}: the answer is not JSON") from None


def _api_error(error: urllib.error.HTTPError) -> ApiError:
    code = message = None
    try:
        body = json.loads(error.read(MAX_RESPONSE_BYTES) or b"{}")
        if isinstance(body, dict):
            code, message = body.get("code"), body.get("message")
    except (ValueError, OSError):
        pass
    finally:
        error.close()
    return ApiError(error.code, code if isinstance(code, str) else None, message if isinstance(message, str) else None)


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (``localhost`` or a loopback address)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
