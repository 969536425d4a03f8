"""A local fake of Alexa's Reminders and Settings APIs: an HTTP server on loopback for tests.

It checks what the real APIs would refuse, so that a test fails when the skill sends something
Alexa would reject: the ``Authorization: Bearer`` header must carry a token the fake issued, a
reminder's times must be local ISO 8601 without an offset, ``timeZoneId`` must be a real zone,
a repeating trigger needs a ``startDateTime`` and RRULEs the fake can read, the spoken text must
be there for the request's locale. A refused request gets the API's error shape
``{"code", "message"}`` and status 400 (401 for a bad token, 403 without the reminders permission).

Failures are switched on per test: ``fail_next(429)`` answers the next call with that status,
``drop_next()`` closes the connection without an answer (either for one method only:
``fail_next(429, method="POST")``), ``grant(token, False)`` withdraws the
permission. Everything the skill sent is in :attr:`FakeAlexaApi.calls`.

    api = FakeAlexaApi(time_zone="Europe/London").start()
    token = api.issue_token()          # put it in the envelope's context.System.apiAccessToken
    ...
    api.reminders(token)               # what the skill created, as the API holds it
    api.stop()
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

LOCAL_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$")
RRULE_PART = re.compile(r"^(FREQ=(DAILY|WEEKLY)|BYDAY=(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*|"
                        r"BYHOUR=\d{1,2}|BYMINUTE=\d{1,2}|BYSECOND=\d{1,2}|INTERVAL=\d+)$")
REMINDERS_SCOPE = "alexa::alerts:reminders:skill:readwrite"


@dataclass
class Call:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class _Account:
    permitted: bool = True
    reminders: dict[str, dict] = field(default_factory=dict)


class FakeAlexaApi:
    def __init__(self, time_zone: str = "America/New_York") -> None:
        self.time_zone = time_zone
        self.calls: list[Call] = []
        self._accounts: dict[str, _Account] = {}
        self._failures: list[tuple[int | None, str | None]] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # -- set-up ----------------------------------------------------------------------------------
    def start(self) -> FakeAlexaApi:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake._answer(self)

            do_POST = do_DELETE = do_PUT = do_GET

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def endpoint(self) -> str:
        assert self._server is not None, "start() the fake first"
        return f"http://127.0.0.1:{self._server.server_port}"

    def issue_token(self, permitted: bool = True) -> str:
        """A new access token, as Alexa puts one in each request; ``permitted``: reminders granted."""
        token = "atza|fake." + uuid.uuid4().hex
        self._accounts[token] = _Account(permitted)
        return token

    def grant(self, token: str, permitted: bool = True) -> None:
        self._accounts[token].permitted = permitted

    def share(self, token: str, other: str) -> None:
        """Make ``other`` a token of the same account as ``token`` (a later request's token)."""
        self._accounts[other] = self._accounts[token]

    def fail_next(self, status: int, times: int = 1, method: str | None = None) -> None:
        """Answer the next ``times`` calls (of ``method`` only, if given) with ``status``."""
        self._failures.extend([(status, method)] * times)

    def drop_next(self, times: int = 1, method: str | None = None) -> None:
        """Close the connection on the next ``times`` calls (of ``method`` only, if given) without answering."""
        self._failures.extend([(None, method)] * times)

    def reminders(self, token: str) -> list[dict]:
        return list(self._accounts[token].reminders.values())

    def calls_to(self, method: str, prefix: str = "/v1/alerts/reminders") -> list[Call]:
        return [c for c in self.calls if c.method == method and c.path.startswith(prefix)]

    # -- serving ---------------------------------------------------------------------------------
    def _answer(self, http: BaseHTTPRequestHandler) -> None:
        length = int(http.headers.get("Content-Length") or 0)
        raw = http.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
        path = urlsplit(http.path).path
        with self._lock:
            self.calls.append(Call(http.command, path, dict(http.headers.items()), body))
            failure: int | None = 0
            for index, (status, method) in enumerate(self._failures):
                if method in (None, http.command):
                    failure = status
                    del self._failures[index]
                    break
        if failure is None:  # the network drops the call: no answer at all
            http.close_connection = True
            http.connection.shutdown(2)
            return
        if failure:
            return self._send(http, failure, {"code": "FAKE_FAILURE", "message": f"failing with {failure} as asked"})
        auth = http.headers.get("Authorization", "")
        account = self._accounts.get(auth[len("Bearer "):]) if auth.startswith("Bearer ") else None
        if account is None:
            return self._send(http, 401, {"code": "UNAUTHORIZED", "message": "no valid Bearer token"})
        status, answer = self._route(http.command, path, body, account)
        self._send(http, status, answer)

    def _route(self, method: str, path: str, body: Any, account: _Account) -> tuple[int, Any]:
        setting = re.fullmatch(r"/v2/devices/([^/]+)/settings/System\.timeZone", path)
        if setting and method == "GET":
            return 200, self.time_zone
        if not path.startswith("/v1/alerts/reminders"):
            return 404, {"code": "NOT_FOUND", "message": f"no API at {path}"}
        if not account.permitted:
            return 403 if method == "POST" else 401, {"code": "NO_PERMISSION",
                                                      "message": f"the user has not granted {REMINDERS_SCOPE}"}
        if path == "/v1/alerts/reminders" and method == "POST":
            problems = reminder_problems(body)
            if problems:
                return 400, {"code": "INVALID_REQUEST", "message": "; ".join(problems)}
            token = str(uuid.uuid4())
            reminder = {**body, "alertToken": token, "status": "ON", "version": "1",
                        "createdTime": datetime.now().strftime("%Y-%m-%dT%H:%M:%S.000"),
                        "href": f"/v1/alerts/reminders/{token}"}
            account.reminders[token] = reminder
            return 200, {k: reminder[k] for k in ("alertToken", "createdTime", "status", "version", "href")}
        if path == "/v1/alerts/reminders" and method == "GET":
            alerts = list(account.reminders.values())
            return 200, {"totalCount": str(len(alerts)), "alerts": alerts, "links": None}
        single = re.fullmatch(r"/v1/alerts/reminders/([^/]+)", path)
        if single and method in ("GET", "DELETE"):
            token = unquote(single.group(1))
            if token not in account.reminders:
                return 404, {"code": "NOT_FOUND", "message": "no such reminder"}
            if method == "DELETE":
                del account.reminders[token]
                return 200, None
            return 200, account.reminders[token]
        return 405, {"code": "METHOD_NOT_ALLOWED", "message": f"{method} {path}"}

    @staticmethod
    def _send(http: BaseHTTPRequestHandler, status: int, answer: Any) -> None:
        data = b"" if answer is None else json.dumps(answer).encode()
        http.send_response(status)
        http.send_header("Content-Type", "application/json")
        http.send_header("Content-Length", str(len(data)))
        http.end_headers()
        http.wfile.write(data)


def reminder_problems(body: Any) -> list[str]:
    """Every way ``body`` is not a ReminderRequest the API would accept (empty when it is fine)."""
    if not isinstance(body, dict):
        return ["the body must be a JSON object"]
    problems = []
    if not LOCAL_TIME.match(str(body.get("requestTime", ""))):
        problems.append(f"requestTime {body.get('requestTime')!r} is not a local ISO 8601 time")
    trigger = body.get("trigger")
    if not isinstance(trigger, dict):
        return [*problems, "no trigger"]
    if trigger.get("type") != "SCHEDULED_ABSOLUTE":
        problems.append(f"trigger.type {trigger.get('type')!r}: this skill only sets SCHEDULED_ABSOLUTE reminders")
    try:
        ZoneInfo(str(trigger.get("timeZoneId")))
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"trigger.timeZoneId {trigger.get('timeZoneId')!r} is not a time zone")
    recurrence = trigger.get("recurrence")
    if recurrence is None:
        if not LOCAL_TIME.match(str(trigger.get("scheduledTime", ""))):
            problems.append(f"trigger.scheduledTime {trigger.get('scheduledTime')!r} is not a local time "
                            "(no Z, no offset)")
    else:
        if not LOCAL_TIME.match(str(recurrence.get("startDateTime", ""))):
            problems.append("trigger.recurrence.startDateTime is not a local time")
        rules = recurrence.get("recurrenceRules")
        if not isinstance(rules, list) or not rules:
            problems.append("trigger.recurrence.recurrenceRules must list at least one RRULE")
        else:
            for rule in rules:
                parts = [p for p in str(rule).split(";") if p]
                if not parts or not all(RRULE_PART.match(p) for p in parts) or not parts[0].startswith("FREQ="):
                    problems.append(f"unreadable RRULE {rule!r}")
    content = ((body.get("alertInfo") or {}).get("spokenInfo") or {}).get("content")
    if not isinstance(content, list) or not content:
        problems.append("alertInfo.spokenInfo.content is empty")
    else:
        for item in content:
            if not isinstance(item, dict) or not item.get("locale") or not (item.get("text") or item.get("ssml")):
                problems.append("each spoken content needs a locale and a text")
    return problems
