"""Genuine Alexa request envelopes for a simulated device: the chat, the test kit and benchmarks.

:class:`SimulatedDevice` keeps what a real device keeps between turns: the user id, the session id and
attributes while a session is open, and a fresh session after the skill ends one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

LOCAL_SKILL_ID = "amzn1.ask.skill.00000000-0000-4000-8000-stride0coach"


def timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class SimulatedDevice:
    """A device of one account; ``person_id`` is the speaker Alexa recognises (None: not recognised).

    ``api_endpoint`` and ``api_token`` go into ``context.System`` as Alexa's ``apiEndpoint`` and
    ``apiAccessToken`` (a test points them at a local fake); ``consent_token`` is present once the
    user has granted the skill a permission, as ``context.System.user.permissions.consentToken``.
    """

    def __init__(self, user_id: str, skill_id: str = LOCAL_SKILL_ID, locale: str = "en-US",
                 clock: Callable[[], datetime] | None = None, person_id: str | None = None) -> None:
        self.user_id = user_id
        self.person_id = person_id
        self.api_endpoint = "https://api.amazonalexa.com"
        self.api_token: str | None = None
        self.consent_token: str | None = None
        self.skill_id = skill_id
        self.locale = locale
        self.clock = clock or (lambda: datetime.now(UTC))
        self.device_id = "amzn1.ask.device.stride-coach-" + uuid.uuid5(uuid.NAMESPACE_URL, user_id).hex
        self.session_id: str | None = None
        self.attributes: dict = {}
        self.new = True
        self.dialog: dict | None = None

    @property
    def in_session(self) -> bool:
        return self.session_id is not None

    def _envelope(self, request: dict) -> dict:
        if self.session_id is None:
            self.session_id = f"amzn1.echo-api.session.{uuid.uuid4()}"
            self.attributes, self.new = {}, True
        application = {"applicationId": self.skill_id}
        user: dict = {"userId": self.user_id}
        if self.consent_token:
            user["permissions"] = {"consentToken": self.consent_token}
        system: dict = {"application": application, "user": user,
                        "device": {"deviceId": self.device_id, "supportedInterfaces": {}},
                        "apiEndpoint": self.api_endpoint}
        if self.api_token:
            system["apiAccessToken"] = self.api_token
        if self.person_id:
            system["person"] = {"personId": self.person_id, "authenticationConfidenceLevel": {"level": 300}}
        envelope = {
            "version": "1.0",
            "session": {"new": self.new, "sessionId": self.session_id, "application": application,
                        "user": user, "attributes": self.attributes},
            "context": {"System": system},
            "request": {"requestId": f"amzn1.echo-api.request.{uuid.uuid4()}", "timestamp": timestamp(self.clock()),
                        "locale": self.locale, **request},
        }
        self.new = False
        return envelope

    def launch(self) -> dict:
        return self._envelope({"type": "LaunchRequest"})

    def intent(self, name: str, slots: dict | None = None, confirmation: str = "NONE",
               dialog_state: str | None = None) -> dict:
        """An IntentRequest; ``dialog_state`` ``IN_PROGRESS`` for an answer to the skill's Dialog directive."""
        return self._envelope({"type": "IntentRequest", "dialogState": dialog_state or "COMPLETED",
                               "intent": {"name": name, "confirmationStatus": confirmation, "slots": slots or {}}})

    def session_ended(self, reason: str = "USER_INITIATED") -> dict:
        envelope = self._envelope({"type": "SessionEndedRequest", "reason": reason})
        self.session_id = None
        return envelope

    def request(self, request: dict) -> dict:
        """An envelope around any request body (for request types the skill does not use)."""
        return self._envelope(request)

    def absorb(self, response_envelope: dict) -> None:
        """Carry session attributes and the dialog forward, or close the session when the skill ended it.

        ``dialog`` is the response's Dialog directive (ElicitSlot, ConfirmIntent), if it sent one:
        what the next utterance answers, as on a device.
        """
        body = response_envelope.get("response") or {}
        self.dialog = next((d for d in body.get("directives") or [] if str(d.get("type", "")).startswith("Dialog.")),
                           None)
        if body.get("shouldEndSession"):
            self.session_id = None
            self.dialog = None
            return
        self.attributes = response_envelope.get("sessionAttributes") or {}

