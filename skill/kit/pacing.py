"""When a simulated user speaks: after the last response has played, or N seconds into it.

The chat (``--paced``) and the test kit share this clock, so a scripted conversation lands at the
same moments of a hold or a set as a person listening to a device would.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from skill.engine.player import START_LATENCY_S
from skill.speech.builder import playback_seconds

LISTEN_GAP_S = 2.0  # how long a user takes to answer after a response finishes


def said_at(now: datetime, last_sent: datetime | None, last_ssml: str, after: float | None) -> datetime:
    """The time of the next request: ``after`` seconds after the last response began, or when it has played."""
    if last_sent is None:
        return now
    if after is not None:
        return last_sent + timedelta(seconds=after)
    listened = START_LATENCY_S + playback_seconds(last_ssml) + LISTEN_GAP_S
    return max(now, last_sent + timedelta(seconds=listened))
