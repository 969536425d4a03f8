"""The browser coach's HTTP side: what the page sends becomes genuine requests to the same skill,
each browser is its own user, time reported by the page places a pause exactly, and bad input is
refused without losing anything."""

from __future__ import annotations

import io
import json
import math

import pytest

from skill.kit.device import SimulatedDevice
from skill.pipeline.app import SkillApp, load_from_env
from skill.screen.timeline import countdown_at, frame_at
from skill.store import SQLiteAdapter
from skill.voice.model import build_model
from skill.voice.nlu import Resolver
from skill.web.coach import COOKIE, BrowserCoach, create_coach_app, mount_page
from skill.web.flask_app import create_app
from skill.web.verifier import RequestVerifier

SKILL_ID = "amzn1.ask.skill.11111111-2222-4333-8444-555555555555"


@pytest.fixture(scope="module")
def coach(tmp_path_factory):
    host = load_from_env()
    skill = SkillApp(host, SQLiteAdapter(tmp_path_factory.mktemp("web") / "coach.db"))
    return BrowserCoach(skill, Resolver(build_model(host, "en-US")))


@pytest.fixture
def browser(coach):
    client = create_coach_app(coach).test_client()
    assert client.get("/").status_code == 200
    return client


def turn(client, **body) -> dict:
    response = client.post("/api/turn", json=body)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def refused(client, body, status: int = 400) -> str:
    response = client.post("/api/turn", data=json.dumps(body), content_type="application/json")
    assert response.status_code == status
    return response.get_json()["error"]


def test_the_page_and_its_files_are_served_from_the_package(browser):
    page = browser.get("/")
    assert b"<title>Stride Coach</title>" in page.data
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    for name, kind in (("coach.js", "text/javascript"), ("coach.css", "text/css")):
        answer = browser.get(f"/{name}")
        assert answer.status_code == 200 and answer.mimetype == kind
    assert browser.get("/../pyproject.toml").status_code == 404
    assert browser.get("/secrets.json").status_code == 404


def test_each_browser_gets_its_own_id_and_keeps_it(coach):
    first, second = create_coach_app(coach).test_client(), create_coach_app(coach).test_client()
    first.get("/")
    second.get("/")
    key_one, key_two = first.get_cookie(COOKIE).value, second.get_cookie(COOKIE).value
    assert key_one != key_two
    first.get("/")
    assert first.get_cookie(COOKIE).value == key_one, "a returning browser keeps its id"
    turn(first, open=True)
    frames = turn(first, say="after run stretches")["screen"]["frames"]
    hold = next(f for f in frames if f["timed"])
    turn(first, tap="stop", elapsed=hold["s0"] + 4.25)
    turn(second, open=True)
    store = coach.skill.adapter

    def stored(key: str) -> dict:
        user = {"userId": f"amzn1.ask.account.WEB-{key.upper()}"}
        return store.get_attributes({"context": {"System": {"user": user}}})

    position = stored(key_one)["paused"]["position"]
    assert (position["block"], position["phase"], position["done"]) == (0, "work", pytest.approx(4.25))
    assert "paused" not in stored(key_two)


def test_a_request_without_the_browser_id_or_from_another_site_is_refused(coach):
    stranger = create_coach_app(coach).test_client()
    assert "reload the page" in refused(stranger, {"open": True})
    client = create_coach_app(coach).test_client()
    client.get("/")
    answer = client.post("/api/turn", json={"open": True}, headers={"Origin": "https://evil.example"})
    assert answer.status_code == 403


def test_a_spoken_session_with_taps_as_on_an_echo_show(browser):
    menu = turn(browser, open=True)
    assert menu["screen"]["kind"] == "menu" and "Welcome to Stride Coach" in menu["ssml"]
    coach = turn(browser, say="after run stretches", elapsed=12)
    assert coach["screen"]["kind"] == "coach"
    assert '<break time="10s"/>' in coach["ssml"]
    paused = turn(browser, tap="pause", elapsed=80.0)
    assert paused["screen"]["kind"] == "paused"
    assert "Paused during the hip flexor stretch" in paused["ssml"]
    stopped = turn(browser, tap="stop", elapsed=3)
    assert stopped["ended"] and stopped["screen"] is None
    # Words after the session ended start a new one, as "Alexa, tell stride coach to resume" does.
    resumed = turn(browser, say="resume")
    assert resumed["screen"]["kind"] == "coach"
    assert "hip flexor" in resumed["ssml"]


@pytest.mark.parametrize("seconds_in", [0.4, 3.0, 9.99, 14.5, 27.2])
def test_the_elapsed_time_the_page_reports_places_the_pause_on_that_second(browser, seconds_in):
    turn(browser, open=True)
    frames = turn(browser, say="after run stretches", elapsed=5)["screen"]["frames"]
    first = next(f for f in frames if f["timed"] and f["progress"].startswith("Hold"))
    hold = [f for f in frames if (f["progress"], f["side"]) == (first["progress"], first["side"])]
    # A moment inside the hold's silences (over the frames of the hold), as the page's clock counts them.
    spans = [(f[f"s{i}"], f[f"l{i}"]) for f in hold for i in range(3) if f[f"l{i}"]]
    left, at = seconds_in, None
    for start, length in spans:
        if left < length:
            at = start + left
            break
        left -= length
    shown = countdown_at(frame_at(frames, at), at)
    paused = turn(browser, tap="pause", elapsed=at)["screen"]
    assert paused["big"] == f"{shown} s left"
    assert shown == math.ceil(30 - seconds_in)
    resumed = turn(browser, tap="resume", elapsed=4)["screen"]["frames"]
    again = next(f for f in resumed if f["timed"])
    # the resumed hold starts from the number the screen showed (never fewer than five seconds)
    assert countdown_at(again, again["t0"]) == max(5, shown)


@pytest.mark.parametrize("body", [
    {"tap": "pause", "elapsed": -1}, {"tap": "pause", "elapsed": "soon"}, {"tap": "pause", "elapsed": True},
    {"tap": "pause", "elapsed": 10 ** 9}, {"tap": "explode"}, {"tap": ["pause"]}, {"say": ""}, {"say": "   "},
    {"say": "x" * 501}, {"say": 42}, {}, ["open"], "open"])
def test_bad_input_is_refused_with_a_reason_and_loses_nothing(browser, body):
    turn(browser, open=True)
    before = turn(browser, say="after run stretches", elapsed=2)
    assert refused(browser, body)
    paused = turn(browser, tap="pause", elapsed=80.0)
    assert paused["screen"]["kind"] == "paused", "the session carried on as if nothing had been sent"
    assert before["screen"]["kind"] == "coach"


def test_a_body_that_is_not_json_is_refused(browser):
    answer = browser.post("/api/turn", data=b"\xff\xfe", content_type="application/json")
    assert answer.status_code == 400


def test_serve_with_the_page_keeps_alexa_verification(coach, tmp_path):
    from web_pki import TestPKI

    pki = TestPKI()
    verifier = RequestVerifier([SKILL_ID], roots=pki.roots, fetcher=pki.fetcher())
    app = create_app(coach.skill, verifier)
    mount_page(app, coach, "/coach")
    client = app.test_client()
    unsigned = SimulatedDevice("amzn1.ask.account.UNSIGNED", skill_id=SKILL_ID).launch()
    assert client.post("/alexa", json=unsigned).status_code == 400
    assert client.get("/coach").status_code in (301, 302, 308)
    assert client.get("/coach/").status_code == 200
    answer = client.post("/coach/api/turn", json={"open": True})
    assert answer.status_code == 200 and answer.get_json()["screen"]["kind"] == "menu"
    assert client.post("/alexa", json=unsigned).status_code == 400


@pytest.mark.parametrize(("host", "loopback"), [("127.0.0.1", True), ("localhost", True), ("::1", True),
                                                ("0.0.0.0", False), ("192.168.1.20", False), ("example.org", False)])
def test_the_web_command_warns_unless_it_listens_on_loopback(host, loopback):
    from skill.cli.web import is_loopback

    assert is_loopback(host) is loopback


def test_an_oversized_body_is_refused_even_without_a_length(browser):
    body = io.BytesIO(b'{"say": "' + b"a" * 5000 + b'"}')
    # As waitress passes a chunked body: no Content-Length, the input marked as ending by itself.
    answer = browser.post("/api/turn", input_stream=body, content_type="application/json",
                          environ_overrides={"wsgi.input_terminated": True})
    assert answer.status_code == 400 and answer.get_json()["error"] == "request too large"
