"""The Alexa Settings API: the time zone a device is set to, for reminders at the right local time."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from skill.services.alexa_api import AlexaApi, ApiUnreachable, path_part


def device_time_zone(api: AlexaApi, device_id: str) -> ZoneInfo:
    """The IANA time zone of ``device_id`` (``GET /v2/devices/{deviceId}/settings/System.timeZone``).

    Raises :class:`~skill.services.alexa_api.ApiError` for an error status and
    :class:`~skill.services.alexa_api.ApiUnreachable` when the answer is not a time zone we know.
    """
    answer: Any = api.call("GET", f"/v2/devices/{path_part(device_id)}/settings/System.timeZone")
    if not isinstance(answer, str) or not answer:
        raise ApiUnreachable(f"the Settings API answered {answer!r}, not a time zone name")
    try:
        return ZoneInfo(answer)
    except (ZoneInfoNotFoundError, ValueError):
        raise ApiUnreachable(f"the Settings API answered an unknown time zone {answer!r}") from None
