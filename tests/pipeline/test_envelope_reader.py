"""skill.envelope_reader builds the same ask-sdk-model objects as ask-sdk's DefaultSerializer."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.kit.device import SimulatedDevice
from skill.kit.simulator import check_response
from skill.pipeline.envelope import BadRequest, read_envelope

SERIALIZER = DefaultSerializer()


def stock(event: dict) -> RequestEnvelope:
    return SERIALIZER.deserialize(json.dumps(event), RequestEnvelope)


def assert_same_as_ask_sdk(event: dict) -> RequestEnvelope:
    ours, theirs = read_envelope(copy.deepcopy(event)), stock(event)
    assert type(ours.request) is type(theirs.request)
    assert ours.request.timestamp == theirs.request.timestamp
    assert SERIALIZER.serialize(ours) == SERIALIZER.serialize(theirs)
    assert ours == theirs  # the models' own __eq__ compares every attribute
    return ours


def device() -> SimulatedDevice:
    return SimulatedDevice("amzn1.ask.account.READER", clock=lambda: datetime(2026, 11, 25, 7, tzinfo=UTC))


RICH_CONTEXT = {
    "System": {
        "application": {"applicationId": "amzn1.ask.skill.x"},
        "user": {"userId": "amzn1.ask.account.READER", "accessToken": "token",
                 "permissions": {"consentToken": "consent"}},
        "person": {"personId": "amzn1.ask.person.P", "accessToken": "p-token"},
        "device": {"deviceId": "amzn1.ask.device.D", "persistentEndpointId": "endpoint",
                   "supportedInterfaces": {"AudioPlayer": {},
                                           "Alexa.Presentation.APL": {"runtime": {"maxVersion": "2023.3"}}}},
        "unit": {"unitId": "amzn1.ask.unit.U", "persistentUnitId": "unit"},
        "apiEndpoint": "https://api.amazonalexa.com", "apiAccessToken": "api-token",
    },
    "AudioPlayer": {"playerActivity": "IDLE", "token": "t", "offsetInMilliseconds": 0},
    "Viewport": {"experiences": [{"arcMinuteWidth": 246, "arcMinuteHeight": 144, "canRotate": False,
                                  "canResize": False}],
                 "mode": "HUB", "shape": "RECTANGLE", "pixelWidth": 1024, "pixelHeight": 600, "dpi": 160,
                 "currentPixelWidth": 1024, "currentPixelHeight": 600, "touch": ["SINGLE"],
                 "keyboard": ["DIRECTION"], "video": {"codecs": ["H_264_42", "H_264_41"]}},
    "Viewports": [{"type": "APL", "id": "main", "shape": "RECTANGLE", "dpi": 213, "presentationType": "STANDARD",
                   "canRotate": False, "configuration": {"current": {"mode": "HUB", "video": {"codecs": ["H_264_42"]},
                                                                     "size": {"type": "DISCRETE", "pixelWidth": 1280,
                                                                              "pixelHeight": 800}}}}],
}


def with_request(request: dict, **session_attributes) -> dict:
    envelope = device().request(request)
    envelope["session"]["attributes"] = session_attributes
    return envelope


def intent(name: str, slots: dict | None = None) -> dict:
    return device().intent(name, slots)


ENVELOPES = {
    "launch": device().launch(),
    "intent with a resolved slot": intent("StretchMuscleIntent", {"muscle": {
        "name": "muscle", "value": "hammies", "confirmationStatus": "NONE", "source": "USER",
        "resolutions": {"resolutionsPerAuthority": [
            {"authority": "amzn1.er-authority.echo-sdk.x.Muscle", "status": {"code": "ER_SUCCESS_MATCH"},
             "values": [{"value": {"name": "hamstrings", "id": "hamstrings"}}]}]},
        "slotValue": {"type": "Simple", "value": "hammies"}}}),
    "intent with an unmatched and an empty slot": intent("StartStrengthIntent", {
        "session": {"name": "session", "value": "arms", "confirmationStatus": "NONE", "resolutions": {
            "resolutionsPerAuthority": [{"authority": "a", "status": {"code": "ER_SUCCESS_NO_MATCH"}}]}},
        "minutes": {"name": "minutes", "confirmationStatus": "NONE"}}),
    "intent with a list slot value": intent("StretchMuscleIntent", {"muscle": {
        "name": "muscle", "confirmationStatus": "NONE", "slotValue": {"type": "List", "values": [
            {"type": "Simple", "value": "glutes"}, {"type": "Simple", "value": "quads"}]}}}),
    "session ended with an error": with_request({"type": "SessionEndedRequest", "reason": "ERROR", "error": {
        "type": "INVALID_RESPONSE", "message": "speech too long"}}),
    "session attributes of every JSON type": with_request(
        {"type": "IntentRequest", "intent": {"name": "AMAZON.NextIntent", "confirmationStatus": "NONE"}},
        core={"player": {"plan": {"blocks": [{"sides": ["right", None], "sets": 2, "scale": 1.5, "on": True}]}}},
        plugins={}),
    "a rich device context": {**intent("AMAZON.HelpIntent"), "context": RICH_CONTEXT},
    "milliseconds in the timestamp": {**device().launch()},
    "an offset timestamp": {**device().launch()},
    "APL user event": with_request({"type": "Alexa.Presentation.APL.UserEvent", "token": "t",
                                    "arguments": ["next", 3], "source": {"type": "TouchWrapper", "handler": "Press",
                                                                         "id": "next"}, "components": {}}),
    "connections response": with_request({"type": "Connections.Response", "name": "Buy", "token": "t",
                                          "status": {"code": "200", "message": "OK"},
                                          "payload": {"purchaseResult": "ACCEPTED"}}),
    "can fulfill": with_request({"type": "CanFulfillIntentRequest", "intent": {"name": "StartStretchIntent",
                                                                                "slots": {}}}),
    "system exception": with_request({"type": "System.ExceptionEncountered", "error": {
        "type": "INVALID_RESPONSE", "message": "bad"}, "cause": {"requestId": "r"}}),
    "audio player": with_request({"type": "AudioPlayer.PlaybackStopped", "token": "t", "offsetInMilliseconds": 1200}),
    "keys the model does not know": with_request({"type": "LaunchRequest", "shouldLinkResultBeReturned": True,
                                                  "somethingNew": {"a": 1}}),
}
ENVELOPES["milliseconds in the timestamp"]["request"]["timestamp"] = "2026-11-25T07:00:00.123Z"
ENVELOPES["an offset timestamp"]["request"]["timestamp"] = "2026-11-25T08:00:00+01:00"


@pytest.mark.parametrize("name", list(ENVELOPES))
def test_reads_every_kind_of_envelope_as_ask_sdk_does(name):
    assert_same_as_ask_sdk(ENVELOPES[name])


def test_reads_every_envelope_of_a_whole_routine_as_ask_sdk_does(alexa):
    alexa.launch()
    alexa.say("start my stretches")
    alexa.say("next")
    alexa.say("pause", after=20)
    alexa.say("resume")
    alexa.say("make the holds longer")
    alexa.say("stop")
    assert len(alexa.answers) == 7
    for answer in alexa.answers:
        read = assert_same_as_ask_sdk(answer.request)
        assert read.session.attributes == answer.request["session"]["attributes"]


def test_the_timestamp_is_an_aware_utc_datetime():
    read = read_envelope(ENVELOPES["launch"])
    assert read.request.timestamp == datetime(2026, 11, 25, 7, tzinfo=UTC)
    offset = read_envelope(ENVELOPES["an offset timestamp"]).request.timestamp
    assert offset.utcoffset() == timedelta(hours=1) and offset == datetime(2026, 11, 25, 7, tzinfo=UTC)


def test_the_skill_never_changes_the_callers_envelope(stride_skill):
    simulated = SimulatedDevice("amzn1.ask.account.READER-2")
    stride_skill.handle(simulated.launch())
    answer = stride_skill.handle(simulated.intent("StartStretchIntent"))
    simulated.absorb(answer)
    event = simulated.intent("AMAZON.NextIntent")
    before = copy.deepcopy(event)
    answer = stride_skill.handle(event)
    assert event == before
    assert answer["sessionAttributes"] != before["session"]["attributes"]  # the skill did change its own copy
    assert answer["sessionAttributes"]["core"] is not event["session"]["attributes"]["core"]


def test_an_unknown_request_type_is_answered_with_an_empty_response(stride_skill):
    event = with_request({"type": "Alexa.Something.Invented.Next.Year", "payload": {"x": 1}})
    read = read_envelope(event)
    assert read.request.object_type == "Alexa.Something.Invented.Next.Year"
    response = stride_skill.handle(event)
    check_response(event, response)
    assert not response["response"].get("outputSpeech")


@pytest.mark.parametrize("change, message", [
    (lambda e: e["request"].update(timestamp="soon"), "request.timestamp: 'soon' is not a date and time"),
    (lambda e: e["session"].update(attributes=[1, 2]), "session.attributes: expected an object, got [1, 2]"),
    (lambda e: e["session"].update(new="perhaps"), None),  # bool("perhaps"): ask-sdk's cast, kept
    (lambda e: e["request"]["intent"]["slots"].update(effort={"name": "effort", "confirmationStatus": "MAYBE"}),
     "request.intent.slots.effort.confirmationStatus: 'MAYBE' is not one of"),
    (lambda e: e["context"]["System"].update(device="a phone"), "context.System.device: expected an object"),
    (lambda e: e["request"]["intent"].update(slots={"effort": {"slotValue": {"value": "x"}}}),
     "request.intent.slots.effort.slotValue: has no 'type'"),
])
def test_a_value_of_the_wrong_shape_is_refused_naming_where_it_is(stride_skill, change, message):
    event = intent("SetFeedbackIntent", {})
    change(event)
    if message is None:
        read_envelope(event)
        return
    with pytest.raises(BadRequest, match=message.replace(".", r"\.").replace("[", r"\[").replace("]", r"\]")):
        read_envelope(event)
    with pytest.raises(BadRequest):  # and the skill refuses it the same way, before any plugin or store
        stride_skill.handle(event)


def test_an_owned_event_is_answered_as_a_copied_one_and_used_in_place(stride_skill):
    """Lambda and the web service hand over events parsed for one request (``owned``): no copy."""
    clock = [datetime(2026, 11, 25, 7, tzinfo=UTC)]
    copied = SimulatedDevice("amzn1.ask.account.COPIED", clock=lambda: clock[0])
    owned = SimulatedDevice("amzn1.ask.account.OWNED", clock=lambda: clock[0])
    turns = [lambda d: d.launch(), lambda d: d.intent("StartStretchIntent"), lambda d: d.intent("AMAZON.NextIntent"),
             lambda d: d.intent("AMAZON.PauseIntent"), lambda d: d.intent("AMAZON.ResumeIntent")]
    for seconds, turn in zip((0, 5, 400, 30, 5), turns):
        clock[0] += timedelta(seconds=seconds)
        first = stride_skill.handle(turn(copied))
        event = turn(owned)
        second = stride_skill.handle(event, owned=True)
        copied.absorb(first)
        owned.absorb(second)
        assert second["response"] == first["response"]
        player = [(a.get("sessionAttributes") or {}).get("core", {}).get("player") or {} for a in (first, second)]
        assert next((p.get("start"), p.get("end"), p.get("paused")) for p in player) == \
               [(p.get("start"), p.get("end"), p.get("paused")) for p in player][1]
        if event["session"]["attributes"]:  # the event's own attributes are what the answer carries
            assert second["sessionAttributes"]["core"] is event["session"]["attributes"]["core"]
