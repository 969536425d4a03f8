"""Reminders end to end: the skill, a simulated device, and the local fake of Alexa's APIs on loopback.

The simulated morning is Monday 2 March 2026, 07:30 UTC: 02:30 in New York (the fake's default
device zone), 18:30 in Sydney.
"""

from __future__ import annotations

import json
import uuid

import pytest

from skill.kit.simulator import AlexaSimulator
from skill.services.reminders import REMINDERS_SCOPE

BOB = "amzn1.ask.person.BOB00002"


def connect(alexa: AlexaSimulator, api, *, granted: bool = True) -> str:
    """Point the user's device at the fake; ``granted``: the reminders permission is already given."""
    token = api.issue_token(permitted=granted)
    alexa.device.api_endpoint = api.endpoint
    alexa.device.api_token = token
    alexa.device.consent_token = f"consent.{uuid.uuid4().hex}" if granted else None
    return token


@pytest.fixture
def user(alexa, fake_alexa_api):
    connect(alexa, fake_alexa_api)
    alexa.launch()
    return alexa


def posted(api) -> list[dict]:
    return [call.body for call in api.calls_to("POST")]


def set_and_confirm(alexa: AlexaSimulator, utterance: str):
    question = alexa.say(utterance)
    assert question.reprompt == "Shall I set that reminder?", question.speech
    return question, alexa.say("yes")


# -- setting ---------------------------------------------------------------------------------------
def test_remind_me_to_stretch_after_my_run_at_six_sets_exactly_that(user, fake_alexa_api):
    question, done = set_and_confirm(user, "remind me to stretch after my run at six pm")
    assert "at 6 in the evening" in question.speech and "after-run stretches" in question.speech
    assert "Done. I'll remind you today at 6 in the evening." in done.speech
    [body] = posted(fake_alexa_api)
    assert body["trigger"] == {"type": "SCHEDULED_ABSOLUTE", "timeZoneId": "America/New_York",
                               "scheduledTime": "2026-03-02T18:00:00"}
    assert body["requestTime"].startswith("2026-03-02T02:3")  # the request's own time, in New York
    [content] = body["alertInfo"]["spokenInfo"]["content"]
    assert content == {"locale": "en-US", "text": "Time for your after-run stretches. Say: Alexa, open stride coach."}
    post = fake_alexa_api.calls_to("POST")[0]
    assert post.headers["Authorization"] == f"Bearer {user.device.api_token}"
    assert [r["token"] for r in user.stored["reminders"]] == [r["alertToken"] for r in
                                                               fake_alexa_api.reminders(user.device.api_token)]
    assert not done.ended and done.reprompt.endswith("?")


def test_every_tuesday_and_thursday_at_seven_repeats_weekly_from_the_next_tuesday(user, fake_alexa_api):
    question, done = set_and_confirm(user, "remind me every tuesday and thursday at seven pm")
    assert "every Tuesday and Thursday at 7 in the evening" in question.speech
    assert "starting tomorrow" in done.speech
    [body] = posted(fake_alexa_api)
    assert body["trigger"]["recurrence"] == {
        "startDateTime": "2026-03-03T19:00:00",
        "recurrenceRules": ["FREQ=WEEKLY;BYDAY=TU,TH;BYHOUR=19;BYMINUTE=0;BYSECOND=0;INTERVAL=1"]}
    assert "scheduledTime" not in body["trigger"]


def test_what_alexa_resolves_for_times_and_days_is_read_the_same(user, fake_alexa_api):
    question = user.intent("SetReminderIntent", time="07:15", day_one="Saturday", repeat="")
    assert "every Saturday at 7:15 in the morning" in question.speech
    user.say("yes")
    [body] = posted(fake_alexa_api)
    assert body["trigger"]["recurrence"]["recurrenceRules"] == [
        "FREQ=WEEKLY;BYDAY=SA;BYHOUR=7;BYMINUTE=15;BYSECOND=0;INTERVAL=1"]
    assert body["trigger"]["recurrence"]["startDateTime"] == "2026-03-07T07:15:00"


def test_every_weekday_and_every_day(user, fake_alexa_api):
    set_and_confirm(user, "remind me every weekday at 6 30 pm")
    set_and_confirm(user, "remind me to do my strength session every day at seven am")
    weekday, daily = posted(fake_alexa_api)
    assert weekday["trigger"]["recurrence"]["recurrenceRules"] == [
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=18;BYMINUTE=30;BYSECOND=0;INTERVAL=1"]
    assert daily["trigger"]["recurrence"]["recurrenceRules"] == [
        "FREQ=DAILY;BYHOUR=7;BYMINUTE=0;BYSECOND=0;INTERVAL=1"]
    assert daily["alertInfo"]["spokenInfo"]["content"][0]["text"].startswith("Time for your strength session.")


def test_the_local_time_is_the_devices_own_time_zone(alexa, fake_alexa_api):
    fake_alexa_api.time_zone = "Australia/Sydney"  # already 18:30 there, so six in the evening is tomorrow
    connect(alexa, fake_alexa_api)
    alexa.launch()
    _, done = set_and_confirm(alexa, "remind me at six pm")
    assert "Done. I'll remind you tomorrow at 6 in the evening." in done.speech
    [body] = posted(fake_alexa_api)
    assert body["trigger"]["timeZoneId"] == "Australia/Sydney"
    assert body["trigger"]["scheduledTime"] == "2026-03-03T18:00:00"
    assert body["requestTime"].startswith("2026-03-02T18:3")
    assert fake_alexa_api.calls[-2].path.endswith("/settings/System.timeZone")


def test_no_sets_nothing(user, fake_alexa_api):
    user.say("remind me at six pm")
    answer = user.say("no")
    assert "haven't set a reminder" in answer.speech
    assert posted(fake_alexa_api) == [] and "reminders" not in user.stored


def test_a_bare_hour_is_confirmed_as_morning_and_a_no_says_how_to_ask_for_evening(user, fake_alexa_api):
    question = user.say("remind me to stretch after my run at six")
    assert "at 6 in the morning" in question.speech
    answer = user.say("no")
    assert "six in the evening" in answer.speech and posted(fake_alexa_api) == []
    set_and_confirm(user, "remind me at six in the evening")
    assert posted(fake_alexa_api)[0]["trigger"]["scheduledTime"] == "2026-03-02T18:00:00"


def test_without_a_time_the_skill_asks_for_one(user, fake_alexa_api):
    answer = user.say("remind me to stretch after my run")
    assert "What time suits you?" in answer.speech and not answer.ended
    vague = user.intent("SetReminderIntent", time="EV")
    assert "exact time" in vague.speech
    assert fake_alexa_api.calls == []


def test_the_same_reminder_twice_is_set_once(user, fake_alexa_api):
    set_and_confirm(user, "remind me every tuesday at six pm")
    _, again = set_and_confirm(user, "remind me every tuesday at six pm")
    assert "already have that reminder" in again.speech
    assert len(posted(fake_alexa_api)) == 1


# -- permission ------------------------------------------------------------------------------------
def permission_answer(alexa: AlexaSimulator, directive: dict, status: str):
    """Alexa's Connections.Response after its own permission question, as the device sends it."""
    return alexa.send(alexa.device.request({
        "type": "Connections.Response", "name": "AskFor", "status": {"code": "200", "message": "OK"},
        "payload": {"permissionScope": REMINDERS_SCOPE, "status": status}, "token": directive["token"]}))


def ask_without_permission(alexa, api):
    connect(alexa, api, granted=False)
    alexa.launch()
    alexa.say("remind me every thursday at seven pm")
    handover = alexa.say("yes")
    [directive] = handover.body["directives"]
    assert directive["type"] == "Connections.SendRequest" and directive["name"] == "AskFor"
    assert directive["payload"]["@type"] == "AskForPermissionsConsentRequest"
    assert directive["payload"]["permissionScopes"] == [{"permissionScope": REMINDERS_SCOPE,
                                                         "consentLevel": "ACCOUNT"}]
    assert "outputSpeech" not in handover.body and handover.ended
    assert posted(api) == []
    return directive


def test_without_the_permission_alexa_asks_by_voice_and_a_yes_sets_the_reminder(alexa, fake_alexa_api):
    directive = ask_without_permission(alexa, fake_alexa_api)
    fake_alexa_api.grant(alexa.device.api_token)
    alexa.device.consent_token = "consent.now-granted"
    answer = permission_answer(alexa, directive, "ACCEPTED")
    assert "Done. I'll remind you every Thursday at 7 in the evening" in answer.speech
    [body] = posted(fake_alexa_api)
    assert body["trigger"]["recurrence"]["recurrenceRules"][0].startswith("FREQ=WEEKLY;BYDAY=TH;BYHOUR=19")


@pytest.mark.parametrize("status", ["DENIED", "NOT_ANSWERED"])
def test_a_declined_permission_gets_the_consent_card_and_a_clear_answer(alexa, fake_alexa_api, status):
    directive = ask_without_permission(alexa, fake_alexa_api)
    answer = permission_answer(alexa, directive, status)
    assert "haven't set a reminder" in answer.speech and "Alexa app" in answer.speech
    assert answer.body["card"] == {"type": "AskForPermissionsConsent", "permissions": [REMINDERS_SCOPE]}
    assert posted(fake_alexa_api) == [] and "reminders" not in alexa.stored
    assert not answer.ended


def test_a_permission_withdrawn_since_gets_the_card(user, fake_alexa_api):
    fake_alexa_api.grant(user.device.api_token, False)
    _, answer = set_and_confirm(user, "remind me at six pm")
    assert "needs your permission" in answer.speech
    assert answer.body["card"]["type"] == "AskForPermissionsConsent"
    assert "reminders" not in user.stored


def test_a_forged_permission_answer_cannot_set_a_reminder_it_did_not_ask_for(alexa, fake_alexa_api):
    connect(alexa, fake_alexa_api)
    answer = permission_answer(alexa, {"token": json.dumps({"hour": 99})}, "ACCEPTED")
    assert posted(fake_alexa_api) == [] and not answer.ended


# -- failures --------------------------------------------------------------------------------------
@pytest.mark.parametrize("fail, said", [
    (lambda api: api.fail_next(429, method="POST"), "busy just now"),
    (lambda api: api.drop_next(method="POST"), "couldn't reach"),
    (lambda api: api.fail_next(500, method="POST"), "couldn't reach"),
    (lambda api: api.drop_next(method="GET"), "couldn't reach"),
])
def test_a_failing_api_is_said_plainly_and_nothing_is_half_done(user, fake_alexa_api, fail, said):
    fail(fake_alexa_api)
    _, answer = set_and_confirm(user, "remind me at six pm")
    assert said in answer.speech and "haven't changed anything" in answer.speech
    assert fake_alexa_api.reminders(user.device.api_token) == []
    assert "reminders" not in user.stored
    assert not answer.ended and answer.reprompt


def test_a_device_without_api_access_says_so(alexa):
    alexa.launch()
    alexa.say("remind me at six pm")
    alexa.device.consent_token = "consent.x"
    answer = alexa.say("yes")
    assert "don't work on this device" in answer.speech


# -- listing and cancelling ------------------------------------------------------------------------
def test_what_reminders_do_i_have_lists_the_speakers_own(user, fake_alexa_api, shared_skill):
    set_and_confirm(user, "remind me every tuesday and thursday at seven pm")
    set_and_confirm(user, "remind me to do my strength session at six am")
    answer = user.say("what reminders do i have")
    assert ("You have 2 reminders: every Tuesday and Thursday at 7 in the evening for your after-run stretches, "
            "and at 6 in the morning for your strength session.") in answer.speech


def test_someone_elses_reminders_are_counted_not_read_out(alexa, fake_alexa_api, stride_skill):
    token = connect(alexa, fake_alexa_api)
    alexa.launch()
    set_and_confirm(alexa, "remind me at six pm")
    bob = AlexaSimulator(stride_skill, user_id=alexa.user_id, person_id=BOB)
    bob.device.api_endpoint, bob.device.api_token, bob.device.consent_token = fake_alexa_api.endpoint, token, "c"
    bob.launch()
    answer = bob.say("what reminders do i have")
    assert "You don't have any Stride Coach reminders. There is also 1 set by someone else" in answer.speech
    cancel = bob.say("cancel my reminders")
    assert "don't have any" in cancel.speech
    assert len(fake_alexa_api.reminders(token)) == 1


def test_cancel_my_reminders_deletes_them_all(user, fake_alexa_api):
    set_and_confirm(user, "remind me every tuesday at seven pm")
    set_and_confirm(user, "remind me at six am")
    answer = user.say("cancel my reminders")
    assert "Done. I've cancelled your 2 reminders." in answer.speech
    assert fake_alexa_api.reminders(user.device.api_token) == []
    assert "reminders" not in user.stored
    assert "don't have any" in user.say("what reminders do i have").speech


def test_a_cancel_cut_short_says_what_was_done_and_keeps_the_rest(user, fake_alexa_api):
    set_and_confirm(user, "remind me every tuesday at seven pm")
    set_and_confirm(user, "remind me at six am")
    second = fake_alexa_api.reminders(user.device.api_token)[1]["alertToken"]
    fake_alexa_api.drop_next(method="DELETE")  # the first delete fails: the second is never tried
    answer = user.say("cancel my reminders")
    assert "couldn't reach" in answer.speech
    assert len(user.stored["reminders"]) == 2
    fake_alexa_api.calls.clear()
    original = fake_alexa_api._route

    def fail_second_delete(method, path, body, account):
        if method == "DELETE" and len(fake_alexa_api.calls_to("DELETE")) == 2:
            return 503, {"code": "UNAVAILABLE", "message": "try later"}
        return original(method, path, body, account)

    fake_alexa_api._route = fail_second_delete
    answer = user.say("cancel my reminders")
    assert "I cancelled 1 of your 2 reminders" in answer.speech
    assert [r["token"] for r in user.stored["reminders"]] == [second]
    assert [r["alertToken"] for r in fake_alexa_api.reminders(user.device.api_token)] == [second]


def test_a_reminder_deleted_in_the_alexa_app_is_forgotten_here_too(user, fake_alexa_api):
    set_and_confirm(user, "remind me at six pm")
    [reminder] = fake_alexa_api.reminders(user.device.api_token)
    fake_alexa_api._accounts[user.device.api_token].reminders.clear()
    assert "don't have any" in user.say("what reminders do i have").speech
    assert "reminders" not in user.stored
    assert reminder["alertToken"]


def test_forget_me_cancels_the_speakers_reminders_too(user, fake_alexa_api):
    set_and_confirm(user, "remind me at six pm")
    user.say("forget me")
    answer = user.say("yes")
    assert "Your reminders are cancelled too." in answer.speech
    assert fake_alexa_api.reminders(user.device.api_token) == []
    assert user.stored == {}


def test_forget_me_says_so_when_reminders_could_not_be_cancelled(user, fake_alexa_api):
    set_and_confirm(user, "remind me at six pm")
    user.say("forget me")
    fake_alexa_api.drop_next(method="DELETE")
    answer = user.say("yes")
    assert "delete them in the Alexa app" in answer.speech
    assert user.stored == {}


def test_a_tampered_pending_reminder_sets_nothing(user, fake_alexa_api):
    user.say("remind me at six pm")
    user.device.attributes["plugins"]["core"]["pending_reminder"] = {"hour": "late", "days": ["XX"]}
    answer = user.say("yes")
    assert "haven't set a reminder" in answer.speech and posted(fake_alexa_api) == []


def test_cancelling_after_the_permission_was_withdrawn_says_where_to_delete_them(user, fake_alexa_api):
    set_and_confirm(user, "remind me at six pm")
    user.device.consent_token = None
    answer = user.say("cancel my reminders")
    assert "delete them in the Alexa app" in answer.speech
    assert answer.body["card"]["type"] == "AskForPermissionsConsent"
    assert fake_alexa_api.calls_to("DELETE") == []


# -- how people ask --------------------------------------------------------------------------------
@pytest.mark.parametrize("utterance, said", [
    ("remind me to stretch after my run at six", "at 6 in the morning"),
    ("remind me every tuesday and thursday at seven pm", "every Tuesday and Thursday at 7 in the evening"),
    ("please remind me to stretch at 6 pm", "at 6 in the evening"),
    ("remind me to stretch at six pm please", "at 6 in the evening"),
    ("can you remind me to do my stretches every monday at 7 am", "every Monday at 7 in the morning"),
    ("set a reminder for half past six in the evening", "at 6:30 in the evening"),
    ("remind me on weekdays at 6 30 pm", "every weekday at 6:30 in the evening"),
    ("remind me to stretch every day at seven am", "every day at 7 in the morning"),
    ("remind me tuesdays at six pm", "every Tuesday at 6 in the evening"),
    ("ask stride coach to remind me every saturday at eight am", "every Saturday at 8 in the morning"),
    ("i want a reminder to stretch at quarter to seven pm", "at 6:45 in the evening"),
])
def test_reminders_asked_for_in_everyday_words_are_said_back_right(user, utterance, said):
    answer = user.say(utterance)
    assert answer.request["request"]["intent"]["name"] == "SetReminderIntent"
    assert said in answer.speech and answer.reprompt == "Shall I set that reminder?"


@pytest.mark.parametrize("utterance, intent", [
    ("what reminders do i have", "ListRemindersIntent"), ("do i have any reminders", "ListRemindersIntent"),
    ("what reminders have i set", "ListRemindersIntent"), ("list reminders", "ListRemindersIntent"),
    ("cancel my reminders", "CancelRemindersIntent"), ("stop reminding me", "CancelRemindersIntent"),
    ("delete all my reminders", "CancelRemindersIntent"), ("cancel the reminders", "CancelRemindersIntent"),
])
def test_listing_and_cancelling_in_everyday_words(user, utterance, intent):
    assert user.say(utterance).request["request"]["intent"]["name"] == intent


def test_help_tells_people_they_can_ask_for_reminders(user):
    assert "remind you to stretch after your runs" in user.say("help").speech
