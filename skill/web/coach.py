"""The browser coach: a page that talks to the skill through the very handler Lambda and /alexa use.

Each browser is a simulated Echo Show (:class:`BrowserDevice`): it has its own Alexa user id,
kept in a cookie, and a session like a device's. What the page sends becomes a genuine request
envelope: words typed or spoken are resolved against the interaction model as ``stride-coach chat``
does; a tapped button is the same ``Alexa.Presentation.APL.UserEvent`` an Echo Show sends. The
answer goes back as the response's SSML and the screen payload of its RenderDocument, which the
page draws in HTML.

Time: the page reports how far it had got through the speech of the response it was playing
(``elapsed``, seconds on the same clock as the engine's timeline). The request's timestamp is set
that far after the playing response's own, so the engine places a pause at the second the user
heard. Without ``elapsed`` (a first request, or a page that could not tell) it is the server's clock.

These routes never pass through ``POST /alexa`` and need no Alexa signature; served beside it
(``stride-coach serve --page``), they leave its verification untouched.
"""

from __future__ import annotations

import copy
import json
import logging
import math
import re
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from importlib import resources
from typing import Any

from flask import Blueprint, Response, abort, redirect, request

from skill.engine.player import START_LATENCY_S
from skill.kit.device import SimulatedDevice as Device
from skill.pipeline.app import SkillApp
from skill.screen.directives import APL_INTERFACE, RENDER
from skill.screen.events import ACTIONS, USER_EVENT
from skill.voice.nlu import Resolver

log = logging.getLogger("stride_coach.web")
COOKIE = "stride_coach_browser"
MAX_TEXT_CHARS = 500
MAX_TURN_BYTES = 4096
MAX_ELAPSED_S = 6 * 3600.0
MAX_BROWSERS = 1000  # sessions kept in memory; the oldest idle one is forgotten first
PAGE_FILES = {"index.html": "text/html", "coach.css": "text/css", "coach.js": "text/javascript"}
_COOKIE_VALUE = re.compile(r"^[0-9a-f]{32}$")
# A medium hub as the page's screen: what the skill reads from an Echo Show's request.
SCREEN_CONTEXT = {
    "supportedInterfaces": {APL_INTERFACE: {"runtime": {"maxVersion": "2024.3"}}},
    "viewport": {"experiences": [{"arcMinuteWidth": 246, "arcMinuteHeight": 144, "canRotate": False,
                                  "canResize": False}],
                 "mode": "HUB", "shape": "RECTANGLE", "pixelWidth": 1280, "pixelHeight": 800, "dpi": 160,
                 "currentPixelWidth": 1280, "currentPixelHeight": 800, "touch": ["SINGLE"], "keyboard": [],
                 "video": {"codecs": []}},
}


class TurnRefused(ValueError):
    """What the page sent cannot become a request (the message is shown to the person)."""


def precise_timestamp(moment: datetime) -> str:
    """Alexa's timestamp format, with milliseconds so a pause lands on the right fraction of a second."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class BrowserDevice:
    """One browser: a device with a screen, its session, and when its last response started."""

    def __init__(self, user_id: str, locale: str) -> None:
        self.device = Device(user_id, locale=locale)
        self.started: datetime | None = None  # the timestamp of the request whose response is playing
        self.lock = threading.Lock()

    def envelope(self, make: Callable[[], dict], moment: datetime) -> dict:
        envelope = make()
        envelope["request"]["timestamp"] = precise_timestamp(moment)
        context = envelope["context"]
        screen = copy.deepcopy(SCREEN_CONTEXT)
        context["System"]["device"]["supportedInterfaces"] = screen["supportedInterfaces"]
        context["Viewport"] = screen["viewport"]
        return envelope


class BrowserCoach:
    """Answers the page's turns for every browser, through ``skill.handle``."""

    def __init__(self, skill: SkillApp, resolver: Resolver, locale: str = "en-US",
                 clock: Callable[[], datetime] | None = None) -> None:
        self.skill = skill
        self.resolver = resolver
        self.locale = locale
        self.clock = clock or (lambda: datetime.now(UTC))
        self._browsers: OrderedDict[str, BrowserDevice] = OrderedDict()
        self._lock = threading.Lock()

    def browser(self, key: str) -> BrowserDevice:
        with self._lock:
            browser = self._browsers.get(key)
            if browser is None:
                browser = self._browsers[key] = BrowserDevice(f"amzn1.ask.account.WEB-{key.upper()}", self.locale)
                while len(self._browsers) > MAX_BROWSERS:
                    self._browsers.popitem(last=False)
            self._browsers.move_to_end(key)
            return browser

    def turn(self, key: str, body: Any) -> dict:
        """One thing the page sent (``{"say": text}``, ``{"tap": action}`` or ``{"open": true}``)."""
        if not isinstance(body, dict):
            raise TurnRefused("send a JSON object")
        browser = self.browser(key)
        with browser.lock:  # one turn at a time per browser, as on a device
            moment = self._moment(browser, body.get("elapsed"))
            answer: dict | None = None
            for make in self._requests(browser, body):
                envelope = browser.envelope(make, moment)
                answer = self.skill.handle(envelope, owned=True, screen_beside_dialog=True)
                browser.device.absorb(answer)
                moment += timedelta(milliseconds=1)
            assert answer is not None
            browser.started = moment - timedelta(milliseconds=1)
            return page_answer(answer, ended=not browser.device.in_session)

    def _moment(self, browser: BrowserDevice, elapsed: Any) -> datetime:
        now = self.clock()
        if elapsed is None or browser.started is None or not browser.device.in_session:
            return max(now, browser.started or now)
        if isinstance(elapsed, bool) or not isinstance(elapsed, (int, float)) or not math.isfinite(elapsed) \
                or not 0 <= elapsed <= MAX_ELAPSED_S:
            raise TurnRefused("elapsed must be the seconds played of the last response, from 0 to 21600")
        return browser.started + timedelta(seconds=START_LATENCY_S + float(elapsed))

    def _requests(self, browser: BrowserDevice, body: dict) -> list[Callable[[], dict]]:
        device = browser.device
        if body.get("open") is True:
            opening = [lambda: device.session_ended("USER_INITIATED")] if device.in_session else []
            return [*opening, device.launch]
        if "tap" in body:
            action = body["tap"]
            if not isinstance(action, str) or action not in ACTIONS:
                raise TurnRefused(f"unknown button {str(action)[:40]!r}")
            event = {"type": USER_EVENT, "token": "stride-coach-browser", "arguments": ["control", action],
                     "source": {"type": "TouchWrapper", "handler": "Press", "id": f"button-{action}"}}
            return [lambda: device.request(event)]
        text = body.get("say")
        if not isinstance(text, str) or not text.strip():
            raise TurnRefused("type what you would say, or tap a button")
        if len(text) > MAX_TEXT_CHARS:
            raise TurnRefused(f"that is more than {MAX_TEXT_CHARS} characters")
        # Heard in the dialog the last response started, as a device hears a bare "five".
        resolution = self.resolver.resolve(text, getattr(device, "dialog", None))
        if resolution.launch and resolution.intent is None:
            return self._requests(browser, {"open": True})
        # Words after the skill ended the session start a new one, as a one-shot does on a device.
        return [lambda: device.intent(resolution.intent or "AMAZON.FallbackIntent", resolution.slots,
                                      resolution.confirmation, resolution.dialog_state)]


def page_answer(envelope: dict, ended: bool) -> dict:
    """What the page needs from a response envelope: the SSML to speak and the screen to draw."""
    body = envelope.get("response") or {}
    screen = None
    for directive in body.get("directives") or []:
        if directive.get("type") == RENDER:
            screen = (directive.get("datasources") or {}).get("payload")
    return {"ssml": (body.get("outputSpeech") or {}).get("ssml") or "", "screen": screen, "ended": ended}


def page_blueprint(coach: BrowserCoach, name: str = "coach") -> Blueprint:
    """The page (``/``), its files, and ``POST api/turn``; mount it where the page should live."""
    page = Blueprint(name, __name__)

    @page.get("/")
    def index() -> Response:
        response = _page_file("index.html")
        if not _COOKIE_VALUE.match(request.cookies.get(COOKIE, "")):
            response.set_cookie(COOKIE, uuid.uuid4().hex, max_age=400 * 24 * 3600, httponly=True, samesite="Strict")
        return response

    @page.get("/<name>")
    def page_file(name: str) -> Response:
        if name not in PAGE_FILES:
            abort(404)
        return _page_file(name)

    @page.post("/api/turn")
    def turn() -> Response:
        key = request.cookies.get(COOKIE, "")
        if not _COOKIE_VALUE.match(key):
            return _json({"error": "this browser has no coach id yet: reload the page"}, 400)
        origin = request.headers.get("Origin")
        if origin is not None and origin != request.host_url.rstrip("/"):
            return _json({"error": "requests must come from the coach page itself"}, 403)
        body = request.stream.read(MAX_TURN_BYTES + 1)  # read capped: a chunked body has no length
        if len(body) > MAX_TURN_BYTES:
            return _json({"error": "request too large"}, 400)
        try:
            return _json(coach.turn(key, _parsed(body)))
        except TurnRefused as exc:
            return _json({"error": str(exc)}, 400)

    return page


def mount_page(app: Any, coach: BrowserCoach, prefix: str) -> None:
    """Serve the page at ``prefix`` ('' for the root, '/coach' beside /alexa)."""
    if prefix:
        app.add_url_rule(prefix, "coach_root", lambda: redirect(prefix + "/"))
    app.register_blueprint(page_blueprint(coach), url_prefix=prefix or None)


def create_coach_app(coach: BrowserCoach) -> Any:
    """The browser coach on its own (``stride-coach web``): the page at ``/`` and ``GET /healthz``."""
    from flask import Flask

    app = Flask(__name__)
    mount_page(app, coach, "")
    app.add_url_rule("/healthz", "healthz", lambda: _json({"status": "ok"}))
    return app


def _parsed(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        raise TurnRefused("send a JSON object") from None


def _page_file(name: str) -> Response:
    data = resources.files("skill.web").joinpath("page", name).read_bytes()
    response = Response(data, mimetype=PAGE_FILES[name])
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Content-Security-Policy"] = ("default-src 'self'; script-src 'self'; style-src 'self'; "
                                                   "connect-src 'self'; img-src 'self' data:")
    return response


def _json(payload: dict, status: int = 200) -> Response:
    return Response(json.dumps(payload, separators=(",", ":")), status=status, mimetype="application/json")
