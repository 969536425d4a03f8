"""The application: plugins loaded once (the core's own plugin first), a store, and a thin layer
over ask-sdk-core that hands every request to our pipeline.

ask-sdk-core reads nothing of the request itself here: one request handler owns every request
type and passes it, with the raw event, to :func:`skill.pipeline.router.route`; one exception
handler is the last resort. The SDK still provides the response builder, the attributes manager
and the serializer, so its model objects stay behind this module and :mod:`.exchange`.
"""

from __future__ import annotations

import json
import logging
import marshal
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import Response

from skill.engine.memo import exact_bytes
from skill.host import content as content_module
from skill.host.host import PluginHost
from skill.host.runtime import request_budget
from skill.pipeline import core_intents, router, wording
from skill.pipeline.envelope import BadRequest, is_sessionless, read_envelope
from skill.pipeline.exchange import Exchange
from skill.pipeline.sent_sessions import SentSessions
from skill.screen import attach_screen, load_documents, supports_screen
from skill.speech.builder import Speech
from skill.store import adapter_from_env

__all__ = [
    "VALIDATION_CACHE",
    "BadRequest",
    "SkillApp",
    "get_app",
    "load_from_env",
    "reset_app",
    "skill_ids_from_env",
    "write_validation_cache",
]

log = logging.getLogger("stride_coach.app")


def _content_root() -> Path:
    import content  # the built-in plugins' content package, where a deployment keeps the cache

    return Path(content.__file__).resolve().parent


# Fingerprints of what a full validation passed, read at a cold start (see skill.host.content). Not
# in git: ``stride-coach validate`` and scripts/build_lambda.py write it.
VALIDATION_CACHE = _content_root() / ".validated.json"


@dataclass
class RequestContext:
    """What ask-sdk passes to our handler as ``handler_input.context``: the raw event and the
    caller's own context (Lambda's, or None)."""

    event: dict
    caller: Any = None
    screen_beside_dialog: bool = False
    attributes_known: bool = False  # the session attributes are what this process sent (sent_sessions)


class SkillApp:
    """The whole skill: plugins and content loaded once, an ask-sdk skill, and a store."""

    def __init__(self, host: PluginHost, adapter: AbstractPersistenceAdapter | None,
                 skill_ids: Iterable[str] = ()) -> None:
        self.host = host
        self.adapter = adapter
        self.sent_sessions = SentSessions()
        self.skill_ids = tuple(skill_ids)
        self.serializer = DefaultSerializer()
        load_documents()  # the screens' APL documents are checked once, before any request
        self.skill = self._build()

    def _build(self) -> CustomSkill:
        builder = CustomSkillBuilder()
        builder.add_request_handler(_Pipeline(self.host, self.adapter))
        builder.add_exception_handler(_LastResort())
        return builder.create()

    def handle(self, event: dict, context: Any = None, *, owned: bool = False,
               screen_beside_dialog: bool = False) -> dict:
        """Answer one request envelope (a dict, as Lambda receives it) with a response envelope.

        ``event`` is left as it was, unless ``owned`` says the caller made it for this request
        alone (see ``skill.pipeline.envelope.read_envelope``); then its session attributes are used
        in place rather than copied.

        ``screen_beside_dialog``: the caller draws the screen itself and takes it beside a Dialog
        directive (the browser coach); Alexa devices get no screen on a response that elicits a slot.

        Raises :class:`BadRequest` for something that is not an Alexa request envelope; nothing
        about it reaches the plugins or the store.
        """
        known = self.sent_sessions.sent_back(event)
        envelope = read_envelope(event, owned=owned, attributes_known=known)
        kind = envelope.request.object_type if envelope.request is not None else None
        if envelope.session is None or is_sessionless(kind):
            # AudioPlayer, PlaybackController, System.ExceptionEncountered, skill events: no
            # session, so no speech and no attributes; Alexa takes an empty response.
            log.info("answered %s, which has no session, with an empty response", kind)
            return dict(EMPTY_RESPONSE)
        if envelope.session.attributes is not None:
            envelope.session.attributes = _FreshAttributes(envelope.session.attributes)
        request_context = RequestContext(event, context, screen_beside_dialog, known)
        response = self.skill.invoke(request_envelope=envelope, context=request_context)
        # Session attributes are plain JSON values already (they came in as JSON and the core only
        # stores JSON types), so they are attached as they are instead of through the serializer.
        attributes = response.session_attributes
        response.session_attributes = None
        payload = self.serializer.serialize(response)
        assert isinstance(payload, dict)  # a Response serializes to a JSON object
        sent = None
        if attributes is not None and kind != "SessionEndedRequest":
            payload["sessionAttributes"] = dict(attributes)
            sent = exact_bytes(payload["sessionAttributes"])
        # marshal's size (format 2, which repeats a repeated value rather than referring back to
        # it) is close to JSON's; only responses near the limit are measured exactly.
        rough = _rough_size({k: v for k, v in payload.items() if k != "sessionAttributes"}) + \
            (len(sent) if sent is not None else _rough_size(payload.get("sessionAttributes")))
        if rough > RESPONSE_CHECK_BYTES and response_bytes(payload) > MAX_RESPONSE_BYTES:
            log.error("a response of %d bytes was replaced: Alexa refuses responses over %d",
                      response_bytes(payload), MAX_RESPONSE_BYTES)
            self.sent_sessions.remember(event, None)
            return too_large_answer()
        ends = (payload.get("response") or {}).get("shouldEndSession") is not False
        self.sent_sessions.remember(event, None if ends else sent)
        return payload


EMPTY_RESPONSE = {"version": "1.0", "response": {}}
MAX_RESPONSE_BYTES = 120 * 1024
RESPONSE_CHECK_BYTES = 60 * 1024


def _rough_size(payload: Any) -> int:
    data = exact_bytes(payload)
    return len(data) if data is not None else RESPONSE_CHECK_BYTES + 1  # not plain data: measure it exactly


def response_bytes(payload: dict) -> int:
    return len(json.dumps(payload, separators=(",", ":")).encode())


def too_large_answer() -> dict:
    """What is sent instead of a response Alexa would refuse: an apology that ends the session."""
    return {"version": "1.0", "response": {
        "outputSpeech": {"type": "SSML", "ssml": Speech(wording.APOLOGY, wording.TRY_AGAIN_LATER).ssml()},
        "shouldEndSession": True}}


class _Pipeline(AbstractRequestHandler):
    """Every request: the exchange reads the user's state, the router answers, the exchange saves."""

    def __init__(self, host: PluginHost, adapter: AbstractPersistenceAdapter | None) -> None:
        self.host, self.adapter = host, adapter

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        event = handler_input.context.event if isinstance(handler_input.context, RequestContext) else {}
        with request_budget():
            known = isinstance(handler_input.context, RequestContext) and handler_input.context.attributes_known
            exchange = Exchange(handler_input, self.host, self.adapter, event, attributes_known=known)
            exchange.screen_beside_dialog = isinstance(handler_input.context, RequestContext) and \
                handler_input.context.screen_beside_dialog
            # The session as it came (once checked): sent back unchanged if this turn cannot be saved,
            # so the device never runs ahead of the store.
            before = marshal.dumps(dict(exchange.state.session), 2)
            response = router.route(exchange)
            try:
                exchange.save()
            except Exception:
                log.exception("the store could not save this turn; the session stays where it was saved")
                return exchange.unsaved(marshal.loads(before))
            # Alexa has refused other directives beside a Dialog one (docs/understanding.md): a
            # question that listens for a slot goes without its screen.
            if supports_screen(event) and (exchange.dialog is None or exchange.screen_beside_dialog):
                attach_screen(exchange, response)
            return response


class _LastResort(AbstractExceptionHandler):
    """One sentence of apology, the session kept usable, no internal details."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.error("unhandled error: %r", exception, exc_info=exception)
        request = handler_input.request_envelope.request
        rb = handler_input.response_builder
        if request is None or request.object_type not in ("LaunchRequest", "IntentRequest"):
            return rb.response
        # Whatever the session held may be what failed; the next turn starts from a clean session.
        handler_input.attributes_manager.session_attributes = {}
        prompt = wording.APOLOGY_PROMPT
        return rb.speak(Speech(wording.APOLOGY, prompt).ssml()).ask(Speech(prompt).ssml()) \
            .set_should_end_session(False).response


class _FreshAttributes(dict):
    """Session attributes that belong to this request alone: nothing else reads them afterwards.

    ask-sdk's AttributesManager deep-copies the session attributes so that handlers cannot change
    the request envelope's. Ours need no second copy: ``read_envelope`` copied them, or the caller
    handed the event over (``owned``); during a routine they hold a whole plan.
    """

    def __deepcopy__(self, memo: dict) -> _FreshAttributes:
        return self


def _env_list(name: str) -> list[str] | None:
    value = os.environ.get(name)
    if value is None:
        return None
    return [item.strip() for item in value.split(",") if item.strip()]


def load_from_env(extra: Iterable[tuple[str, Any]] = (), *, strict: bool | None = None,
                  use_validation_cache: bool = False) -> PluginHost:
    """The core's own plugin and the plugins chosen by the ``STRIDE_COACH_*_PLUGINS`` variables.

    * ``STRIDE_COACH_LOAD_PLUGINS=a,b``: load only these entry points (empty: only the core).
    * ``STRIDE_COACH_BLOCK_PLUGINS=a,b``: never load these.
    * ``STRIDE_COACH_STRICT_PLUGINS=1``: any plugin failure raises ``PluginLoadError``.

    ``use_validation_cache``: skip validating what the validation cache lists (the skill's own
    cold start); everything else, ``stride-coach validate`` above all, validates in full.
    """
    if strict is None:
        strict = os.environ.get("STRIDE_COACH_STRICT_PLUGINS", "").lower() in ("1", "true", "yes")
    known_valid = content_module.read_validation_cache(VALIDATION_CACHE) if use_validation_cache else frozenset()
    return PluginHost(known_valid).load(
        core=core_intents,
        extra=extra,
        only=_env_list("STRIDE_COACH_LOAD_PLUGINS"),
        block=_env_list("STRIDE_COACH_BLOCK_PLUGINS") or (),
        strict=strict,
    )


def write_validation_cache(host: PluginHost, path: Path | None = None) -> Path:
    """Record what ``host`` validated in full, for later cold starts to skip (see skill.host.content)."""
    if host.content.known_valid:
        raise ValueError("this host trusted a validation cache: only a full validation may write one")
    path = path or VALIDATION_CACHE
    content_module.write_validation_cache(path, host.content.validated)
    return path


_app: SkillApp | None = None
_lock = threading.Lock()


def get_app() -> SkillApp:
    """The process-wide skill, configured from the environment (built on first use)."""
    global _app
    if _app is None:
        with _lock:
            if _app is None:
                # A cold start trusts the validation cache for what it lists (see skill.host.content).
                _app = SkillApp(load_from_env(use_validation_cache=True), adapter_from_env(), skill_ids_from_env())
    return _app


def reset_app() -> None:
    """Forget the process-wide skill (tests and the CLI change the environment between builds)."""
    global _app
    _app = None


def skill_ids_from_env() -> list[str]:
    return [s.strip() for s in os.environ.get("STRIDE_COACH_SKILL_ID", "").split(",") if s.strip()]
