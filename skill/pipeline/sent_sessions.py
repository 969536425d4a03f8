"""Session attributes this process sent, so that a device sending them back unchanged skips their checks.

Alexa returns a response's ``sessionAttributes`` with the next request of the session, byte for
byte. Attributes that equal what this process sent for that session and user were made by the
skill itself from checked state, so walking them for their shape and checking them again
(``skill.pipeline.envelope.check_shape``, ``skill.pipeline.state_guard.clean_session``) would
find nothing; anything else (another container's, a forged or changed copy, a process that has
restarted) is checked in full. Compared by ``skill.engine.memo.exact_bytes``.
"""

from __future__ import annotations

from typing import Any

from skill.engine.memo import BoundedMemo, exact_bytes

LIMIT = 512  # sessions remembered; a session's attributes are a few KB


class SentSessions:
    def __init__(self, limit: int = LIMIT) -> None:
        self._sent: BoundedMemo[tuple[str, str], bytes] = BoundedMemo(limit)

    def remember(self, event: Any, sent: bytes | None) -> None:
        """The attributes this process answers ``event`` with, as ``exact_bytes`` gives them;
        ``None`` (the session ends, or they are not plain data) forgets the session."""
        key = _key(event)
        if key is not None:
            self._sent.put(key, sent or b"")

    def sent_back(self, event: Any) -> bool:
        """Whether ``event`` (anything at all) carries exactly the attributes last sent for its session."""
        key = _key(event)
        sent = self._sent.get(key) if key is not None else None
        return bool(sent) and exact_bytes(event["session"]["attributes"]) == sent


def _key(event: Any) -> tuple[str, str] | None:
    session = event.get("session") if isinstance(event, dict) else None
    if not isinstance(session, dict):
        return None
    session_id = session.get("sessionId")
    user = session.get("user")
    user_id = user.get("userId") if isinstance(user, dict) else None
    if isinstance(session_id, str) and isinstance(user_id, str) and isinstance(session.get("attributes"), dict):
        return session_id, user_id
    return None
