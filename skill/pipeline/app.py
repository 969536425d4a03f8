"""Build the skill once per process and answer raw Alexa request envelopes with it."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder

from skill.host.host import PluginHost, load_from_env
from skill.pipeline import router as dispatch
from skill.pipeline.envelope import BadRequest, read_envelope
from skill.store import adapter_from_env

__all__ = ["BadRequest", "SkillApp", "get_app", "reset_app", "skill_ids_from_env"]


class SkillApp:
    """The whole skill: plugins and content loaded once, an ask-sdk skill, and a store."""

    def __init__(self, host: PluginHost, adapter: AbstractPersistenceAdapter | None,
                 skill_ids: Iterable[str] = ()) -> None:
        self.host = host
        self.adapter = adapter
        self.skill_ids = tuple(skill_ids)
        self.serializer = DefaultSerializer()
        self.skill = self._build()

    def _build(self) -> CustomSkill:
        builder = CustomSkillBuilder()
        builder.add_global_request_interceptor(dispatch.StartConversation(self.host, self.adapter))
        builder.add_global_response_interceptor(dispatch.SaveState())
        for handler in (dispatch.LaunchHandler(), dispatch.SessionEndedHandler(), dispatch.IntentHandler(),
                        dispatch.OtherRequestHandler()):
            builder.add_request_handler(handler)
        builder.add_exception_handler(dispatch.CatchAll())
        return builder.create()

    def handle(self, event: dict, context: Any = None, *, owned: bool = False) -> dict:
        """Answer one request envelope (a dict, as Lambda receives it) with a response envelope.

        ``event`` is left as it was, unless ``owned`` says the caller made it for this request
        alone (see ``skill.envelope_reader.read_envelope``); then its session attributes are used
        in place rather than copied.

        Raises :class:`BadRequest` for something that is not an Alexa request envelope; nothing
        about it reaches the plugins or the store.
        """
        envelope = read_envelope(event, owned=owned)
        if envelope.session is not None and envelope.session.attributes is not None:
            envelope.session.attributes = _FreshAttributes(envelope.session.attributes)
        token = dispatch.CURRENT_EVENT.set(event)
        try:
            response = self.skill.invoke(request_envelope=envelope, context=context)
        finally:
            dispatch.CURRENT_EVENT.reset(token)
        # Session attributes are plain JSON values already (they came in as JSON and the core only
        # stores JSON types); walking the ~5 KB plan they hold during a routine through ask-sdk's
        # model serializer took about 55 us of every request, so they are attached as they are.
        attributes = response.session_attributes
        response.session_attributes = None
        payload = self.serializer.serialize(response)
        if attributes is not None:
            payload["sessionAttributes"] = dict(attributes)
        return payload


class _FreshAttributes(dict):
    """Session attributes that belong to this request alone: nothing else reads them afterwards.

    ask-sdk's AttributesManager deep-copies the session attributes so that handlers cannot change
    the request envelope's. Ours need no second copy: ``skill.envelope_reader.read_envelope``
    copied them, or the caller handed the event over (``owned``); during a routine they hold a
    5 KB plan, and the deep copy took about 50 us.
    """

    def __deepcopy__(self, memo: dict) -> _FreshAttributes:
        return self


_app: SkillApp | None = None
_lock = threading.Lock()


def get_app() -> SkillApp:
    """The process-wide skill, configured from the environment (built on first use)."""
    global _app
    if _app is None:
        with _lock:
            if _app is None:
                # A cold start trusts the validation cache for what it lists (see skill.content).
                _app = SkillApp(load_from_env(use_validation_cache=True), adapter_from_env(), skill_ids_from_env())
    return _app


def reset_app() -> None:
    """Forget the process-wide skill (tests and the CLI change the environment between builds)."""
    global _app
    _app = None


def skill_ids_from_env() -> list[str]:
    return [s.strip() for s in os.environ.get("STRIDE_COACH_SKILL_ID", "").split(",") if s.strip()]
