"""The APL directives that go with a response, for devices that have a screen, and only for them.

A request says the device can show APL in ``context.System.device.supportedInterfaces``; the
document is sent only when the device's APL runtime is at least the pinned version. A playing
session also gets an ``ExecuteCommands`` that keeps the screen on for as long as the response's
timeline runs, since the speech holds silences longer than a screen normally stays awake.
"""

from __future__ import annotations

import logging
from typing import Any

from skill.screen.documents import APL_VERSION, load_documents, version_tuple
from skill.screen.payload import ScreenSource, screen_payload
from skill.speech import ssml

log = logging.getLogger("stride_coach.screen")
APL_INTERFACE = "Alexa.Presentation.APL"
RENDER = "Alexa.Presentation.APL.RenderDocument"
EXECUTE = "Alexa.Presentation.APL.ExecuteCommands"
TOKEN_PREFIX = "stride-coach-"


def supports_screen(event: dict) -> bool:
    """Whether the device that sent ``event`` shows APL at the pinned version or later."""
    system = ((event.get("context") or {}).get("System") or {}) if isinstance(event, dict) else {}
    interfaces = (system.get("device") or {}).get("supportedInterfaces") or {}
    apl = interfaces.get(APL_INTERFACE) if isinstance(interfaces, dict) else None
    if not isinstance(apl, dict):
        return False
    runtime = apl.get("runtime") or {}
    max_version = runtime.get("maxVersion") if isinstance(runtime, dict) else None
    # A device that does not say which APL it runs may be older than the documents.
    return isinstance(max_version, str) and version_tuple(max_version) >= version_tuple(APL_VERSION)


def screen_directives(payload: dict) -> list[dict]:
    """RenderDocument for ``payload`` (and, while a session plays, the command that keeps it lit)."""
    kind = payload["kind"]
    token = TOKEN_PREFIX + kind
    directives = [{"type": RENDER, "token": token, "document": load_documents()[kind],
                   "datasources": {"payload": payload}}]
    if kind == "coach" and payload.get("seconds"):
        directives.append({"type": EXECUTE, "token": token, "commands": [
            {"type": "Idle", "delay": int(payload["seconds"] * 1000), "screenLock": True}]})
    return directives


def attach_screen(source: ScreenSource, response: Any) -> None:
    """Add the screen for this response to an ask-sdk ``Response`` (not when it ends the session)."""
    if response.should_end_session or response.output_speech is None:
        return
    try:
        reprompt = response.reprompt.output_speech.ssml if response.reprompt is not None else None
        prompt = ssml.to_text(reprompt) if reprompt else None
        payload = screen_payload(source, prompt)  # an open session always ends on its prompt
        directives = screen_directives(payload)
    except Exception:  # the screen is extra: a fault in it must not cost the user the spoken answer
        log.exception("no screen for this response")
        return
    response.directives = list(response.directives or []) + directives
