"""What every store shares: the partition key (the Alexa user id) and how attributes are encoded."""

from __future__ import annotations

import json
from typing import Any


def encode(attributes: dict) -> str:
    """Attributes as compact, stable JSON: values come back exactly as saved (no Decimal, 1.0 stays 1.0)."""
    return json.dumps(attributes, separators=(",", ":"), sort_keys=True)


def decode(payload: str | None) -> dict:
    return json.loads(payload) if payload else {}


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
