"""The partition key every store uses: the Alexa user id of a request."""

from __future__ import annotations

from typing import Any


def user_id_of(request_envelope: Any) -> str:
    """The user id from an ask-sdk ``RequestEnvelope`` or a raw request dict."""
    if isinstance(request_envelope, dict):
        user_id = request_envelope.get("context", {}).get("System", {}).get("user", {}).get("userId")
    else:
        system = getattr(getattr(request_envelope, "context", None), "system", None)
        user_id = getattr(getattr(system, "user", None), "user_id", None)
    if not user_id:
        raise ValueError("the request has no context.System.user.userId to store attributes under")
    return user_id
