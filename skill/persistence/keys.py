"""What every store shares: the partition key (the Alexa user id) and how attributes are encoded."""

from __future__ import annotations

import json
import threading
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


class SkipsUnchangedSaves:
    """Mixin for a store adapter: remembers the payload it read, so an unchanged save writes nothing.

    The conversation used to dump the attributes when it read them, again to see whether they
    changed, and a third time to write them. With :meth:`save_if_changed` one dump does both: the
    attributes are written only when their encoding differs from what this thread last read for the
    same user. ``save_attributes`` itself always writes, as ask-sdk's contract says.

    An adapter sets ``self._reads = threading.local()`` in ``__init__``, calls :meth:`_remember_read`
    in ``get_attributes`` and :meth:`_forget_read` in ``delete_attributes``, and implements :meth:`_write`.
    """

    _reads: threading.local

    def _remember_read(self, user_id: str, payload: str | None) -> None:
        self._reads.last = (user_id, payload or encode({}))

    def _forget_read(self) -> None:
        self._reads.last = None

    def _write(self, user_id: str, payload: str) -> None:
        raise NotImplementedError

    def save_attributes(self, request_envelope: Any, attributes: dict) -> None:
        self._write(user_id_of(request_envelope), encode(attributes))

    def save_if_changed(self, request_envelope: Any, attributes: dict) -> bool:
        """Write ``attributes`` unless they encode exactly as last read for this user on this thread."""
        user_id, payload = user_id_of(request_envelope), encode(attributes)
        if getattr(self._reads, "last", None) == (user_id, payload):
            return False
        self._write(user_id, payload)
        self._remember_read(user_id, payload)
        return True
