"""The Reminders and Settings API clients against the local fake on loopback: shapes, auth, zones, failures."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from skill.kit.fake_alexa_api import FakeAlexaApi, reminder_problems
from skill.services.alexa_api import AlexaApi, ApiError, ApiUnreachable, NoApiAccess
from skill.services.reminders import RemindersClient, Schedule, reminder_body
from skill.services.settings import device_time_zone

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def fake():
    api = FakeAlexaApi(time_zone="Europe/London").start()
    yield api
    api.stop()


def client_of(fake: FakeAlexaApi, token: str | None = None) -> RemindersClient:
    return RemindersClient(AlexaApi(fake.endpoint, token or fake.issue_token()))


def test_a_one_off_reminder_is_at_the_next_local_time_without_an_offset():
    # 17:30 UTC on 2 March is 17:30 in London (winter): six in the evening is still to come today.
    body = reminder_body(Schedule(18), LONDON, datetime(2026, 3, 2, 17, 30, tzinfo=UTC), "en-GB", "Stretch.")
    assert body["trigger"] == {"type": "SCHEDULED_ABSOLUTE", "timeZoneId": "Europe/London",
                               "scheduledTime": "2026-03-02T18:00:00"}
    assert body["requestTime"] == "2026-03-02T17:30:00"
    assert body["alertInfo"]["spokenInfo"]["content"] == [{"locale": "en-GB", "text": "Stretch."}]
    assert reminder_problems(body) == []


def test_a_time_already_past_today_in_the_users_zone_is_tomorrow():
    # 23:30 UTC on 2 March is already 3 March in Sydney (10:30), so six in the morning is on the 4th.
    body = reminder_body(Schedule(6), ZoneInfo("Australia/Sydney"), datetime(2026, 3, 2, 23, 30, tzinfo=UTC),
                         "en-AU", "Stretch.")
    assert body["trigger"]["scheduledTime"] == "2026-03-04T06:00:00"
    assert body["requestTime"] == "2026-03-03T10:30:00"


def test_weekly_reminders_start_on_the_first_matching_day_and_repeat_by_rrule():
    # Monday 2 March 2026, 12:00 in New York: the first Tuesday or Thursday at seven is 3 March.
    now = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)
    body = reminder_body(Schedule(19, 0, ("TH", "TU")), NEW_YORK, now, "en-US", "Stretch.")
    recurrence = body["trigger"]["recurrence"]
    assert recurrence == {"startDateTime": "2026-03-03T19:00:00",
                          "recurrenceRules": ["FREQ=WEEKLY;BYDAY=TU,TH;BYHOUR=19;BYMINUTE=0;BYSECOND=0;INTERVAL=1"]}
    assert "scheduledTime" not in body["trigger"]
    assert reminder_problems(body) == []


def test_a_daily_schedule_is_a_daily_rrule():
    schedule = Schedule(7, 15, ("MO", "TU", "WE", "TH", "FR", "SA", "SU"))
    assert schedule.rrule() == "FREQ=DAILY;BYHOUR=7;BYMINUTE=15;BYSECOND=0;INTERVAL=1"


def test_local_times_follow_the_clock_change():
    # New York moves to summer time on 8 March 2026: seven in the evening is 23:00 UTC after, 00:00 before.
    now = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)
    first = Schedule(19, 0, ("SU",)).first_time(now.astimezone(NEW_YORK))
    assert first.isoformat() == "2026-03-08T19:00:00-04:00"


@pytest.mark.parametrize("hour,minute", [(24, 0), (-1, 0), (7, 60)])
def test_impossible_times_are_refused(hour, minute):
    with pytest.raises(ValueError):
        Schedule(hour, minute)


def test_create_list_and_delete_against_the_fake(fake):
    token = fake.issue_token()
    client = client_of(fake, token)
    body = reminder_body(Schedule(18, 0, ("TU",)), LONDON, datetime(2026, 3, 2, 9, tzinfo=UTC), "en-GB", "Go.")
    alert = client.create(body)
    assert client.active_tokens() == {alert}
    post = fake.calls_to("POST")[0]
    assert post.headers["Authorization"] == f"Bearer {token}"
    assert post.headers["Content-Type"] == "application/json"
    assert post.body == body
    client.delete(alert)
    assert client.active_tokens() == set()
    assert fake.reminders(token) == []


def test_the_device_time_zone_comes_from_the_settings_api(fake):
    api = AlexaApi(fake.endpoint, fake.issue_token())
    assert device_time_zone(api, "amzn1.ask.device.ABC/1") == LONDON
    assert fake.calls[-1].path == "/v2/devices/amzn1.ask.device.ABC%2F1/settings/System.timeZone"


def test_a_time_zone_the_skill_does_not_know_is_an_unusable_answer(fake):
    fake.time_zone = "Mars/Olympus_Mons"
    with pytest.raises(ApiUnreachable):
        device_time_zone(AlexaApi(fake.endpoint, fake.issue_token()), "device")


def test_without_the_permission_the_api_refuses(fake):
    client = client_of(fake, fake.issue_token(permitted=False))
    body = reminder_body(Schedule(18), LONDON, datetime(2026, 3, 2, 9, tzinfo=UTC), "en-GB", "Go.")
    with pytest.raises(ApiError) as refused:
        client.create(body)
    assert refused.value.not_permitted and refused.value.status == 403


def test_a_wrong_token_is_refused(fake):
    with pytest.raises(ApiError) as refused:
        RemindersClient(AlexaApi(fake.endpoint, "not-a-token")).active_tokens()
    assert refused.value.status == 401


def test_throttling_is_an_api_error_that_says_so(fake):
    fake.fail_next(429)
    with pytest.raises(ApiError) as throttled:
        client_of(fake).active_tokens()
    assert throttled.value.throttled and throttled.value.code == "FAKE_FAILURE"


def test_a_dropped_connection_is_unreachable(fake):
    fake.drop_next()
    with pytest.raises(ApiUnreachable):
        client_of(fake).active_tokens()


def test_nobody_listening_is_unreachable():
    api = FakeAlexaApi().start()
    endpoint, token = api.endpoint, api.issue_token()
    api.stop()
    with pytest.raises(ApiUnreachable):
        RemindersClient(AlexaApi(endpoint, token, timeout=0.5)).active_tokens()


@pytest.mark.parametrize("endpoint", ["http://api.amazonalexa.com", "ftp://127.0.0.1", "api.amazonalexa.com", ""])
def test_the_token_is_never_sent_in_the_clear_beyond_loopback(endpoint):
    with pytest.raises(NoApiAccess):
        AlexaApi(endpoint, "secret")


def test_the_fake_refuses_what_alexa_would_refuse():
    good = reminder_body(Schedule(18), LONDON, datetime(2026, 3, 2, 9, tzinfo=UTC), "en-GB", "Go.")
    zulu = {**good, "trigger": {**good["trigger"], "scheduledTime": "2026-03-02T18:00:00Z"}}
    no_zone = {**good, "trigger": {**good["trigger"], "timeZoneId": "Nowhere/Special"}}
    bad_rule = {**good, "trigger": {"type": "SCHEDULED_ABSOLUTE", "timeZoneId": "Europe/London",
                                    "recurrence": {"startDateTime": "2026-03-02T18:00:00",
                                                   "recurrenceRules": ["EVERY=TUESDAY"]}}}
    assert reminder_problems(good) == []
    assert any("scheduledTime" in p for p in reminder_problems(zulu))
    assert any("timeZoneId" in p for p in reminder_problems(no_zone))
    assert any("RRULE" in p for p in reminder_problems(bad_rule))
