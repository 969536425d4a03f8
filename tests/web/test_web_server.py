"""The web service over real HTTP on loopback: waitress, the Flask app, verification and the store.

Requests are signed with the test PKI (tests/web_pki.py) and the verifier trusts only its root, so
nothing leaves the machine. The last tests run ``stride-coach serve`` as a subprocess to check the
command line: refusing to start without a skill id, and a SIGTERM that still answers and persists
the request in flight.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from web_pki import TestPKI

from skill.cli.main import main
from skill.kit.device import SimulatedDevice
from skill.pipeline.app import SkillApp, load_from_env
from skill.store import SQLiteAdapter
from skill.web.flask_app import create_app
from skill.web.server import Server
from skill.web.verifier import MAX_BODY_BYTES, RequestVerifier

SKILL_ID = "amzn1.ask.skill.11111111-2222-4333-8444-555555555555"
PLUGIN_ENV = ("STRIDE_COACH_LOAD_PLUGINS", "STRIDE_COACH_BLOCK_PLUGINS", "STRIDE_COACH_STRICT_PLUGINS")


def post(port: int, body: bytes, headers: dict | None = None, path: str = "/alexa",
         method: str = "POST") -> tuple[int, dict | None]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body, headers={"Content-Type": "application/json", **(headers or {})})
        answer = conn.getresponse()
        data = answer.read()
        is_json = answer.getheader("Content-Type", "").startswith("application/json")
        return answer.status, json.loads(data) if is_json else None
    finally:
        conn.close()


def speech(answer: dict) -> str:
    return answer["response"]["outputSpeech"]["ssml"]


def stored(db: Path, user_id: str) -> dict | None:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT section, value FROM user_sections WHERE user_id = ?", (user_id,)).fetchall()
    return {section: json.loads(value) for section, value in rows} if rows else None


class Running:
    """A :class:`Server` serving in a background thread, for the length of a ``with`` block."""

    def __init__(self, app) -> None:
        self.server = Server(app, "127.0.0.1", 0, threads=8, shutdown_timeout=5)
        self.port = self.server.address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Running:
        self.thread.start()
        return self

    def stop(self, timeout: float = 10) -> None:
        self.server.stop()
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "the server did not stop"

    def __exit__(self, *exc) -> None:
        if self.thread.is_alive():
            self.stop()


def skill_on(db: Path) -> SkillApp:
    with pytest.MonkeyPatch.context() as env:
        for name in PLUGIN_ENV:
            env.delenv(name, raising=False)
        return SkillApp(load_from_env(), SQLiteAdapter(db), [SKILL_ID])


@pytest.fixture(scope="module")
def pki() -> TestPKI:
    return TestPKI()


@pytest.fixture(scope="module")
def served(pki, tmp_path_factory):
    """The verified service on the built-in plugins and a fresh SQLite file."""
    db = tmp_path_factory.mktemp("web") / "skill.db"
    skill = skill_on(db)
    verifier = RequestVerifier([SKILL_ID], roots=pki.roots, fetcher=pki.fetcher())
    with Running(create_app(skill, verifier)) as running:
        running.db = db
        yield running
    skill.adapter.close()


def signed(pki: TestPKI, envelope: dict) -> tuple[bytes, dict]:
    body = json.dumps(envelope).encode()
    return body, pki.signer.headers(body)


# -- verified requests over HTTP ----------------------------------------------------------------

def test_a_signed_launch_is_answered_with_the_welcome(served, pki):
    launch = SimulatedDevice("amzn1.ask.account.WEB-1", skill_id=SKILL_ID).launch()
    status, answer = post(served.port, *signed(pki, launch))
    assert status == 200
    assert "Welcome to Stride Coach" in speech(answer)


def test_a_write_is_persisted(served, pki):
    user = "amzn1.ask.account.WEB-WRITE"
    status, _ = post(served.port, *signed(pki, SimulatedDevice(user, skill_id=SKILL_ID).intent("LongerHoldsIntent")))
    assert status == 200
    assert stored(served.db, user)["prefs"]["hold_scale"] > 1


def test_forged_requests_are_refused_and_never_reach_the_skill(served, pki):
    user = "amzn1.ask.account.WEB-FORGED"
    someone_else = SimulatedDevice("amzn1.ask.account.SOMEONE", skill_id=SKILL_ID)
    _genuine, headers = signed(pki, someone_else.intent("LongerHoldsIntent"))
    forged = json.dumps(SimulatedDevice(user, skill_id=SKILL_ID).intent("LongerHoldsIntent")).encode()
    status, answer = post(served.port, forged, headers)  # a real signature, for another body
    assert (status, answer) == (400, {"error": "signature does not match the request body"})
    status, answer = post(served.port, forged, {"SignatureCertChainUrl": headers["SignatureCertChainUrl"]})
    assert (status, answer) == (400, {"error": "missing Signature-256 header"})
    status, answer = post(served.port, forged, {**headers, "SignatureCertChainUrl": "http://s3.amazonaws.com/echo.api/x"})
    assert (status, answer) == (400, {"error": "certificate URL must use https"})
    assert stored(served.db, user) is None


def test_a_request_for_another_skill_is_refused(served, pki):
    envelope = SimulatedDevice("amzn1.ask.account.WEB-2", skill_id="amzn1.ask.skill.someone-else").launch()
    assert post(served.port, *signed(pki, envelope)) == (400, {"error": "application id is not this skill's"})


def test_malformed_and_oversized_bodies_are_refused(served, pki):
    body = b'{"version": "1.0", "request": '
    assert post(served.port, body, pki.signer.headers(body)) == (400, {"error": "malformed JSON"})
    big = b" " * (MAX_BODY_BYTES + 1)
    assert post(served.port, big, pki.signer.headers(big)) == (400, {"error": "request body too large"})


def test_a_signed_non_envelope_is_refused(served, pki):
    envelope = SimulatedDevice("amzn1.ask.account.WEB-3", skill_id=SKILL_ID).launch()
    del envelope["context"]["System"]["user"]
    status, answer = post(served.port, *signed(pki, envelope))
    assert status == 400 and "userId" in answer["error"]


def test_health_and_methods(served):
    assert post(served.port, b"", path="/healthz", method="GET") == (200, {"status": "ok"})
    assert post(served.port, b"", method="GET")[0] == 405


def test_concurrent_requests_are_all_answered(served, pki):
    results: queue.Queue = queue.Queue()

    def client(n: int) -> None:
        device = SimulatedDevice(f"amzn1.ask.account.WEB-CONCURRENT-{n}", skill_id=SKILL_ID)
        for envelope in (device.launch, lambda: device.intent("LongerHoldsIntent"),
                         lambda: device.intent("AMAZON.HelpIntent")):
            status, answer = post(served.port, *signed(pki, envelope()))
            results.put(status)
            if status == 200:
                device.absorb(answer)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    statuses = [results.get_nowait() for _ in range(results.qsize())]
    assert statuses == [200] * 24
    assert all(stored(served.db, f"amzn1.ask.account.WEB-CONCURRENT-{n}") for n in range(8))


# -- stopping ----------------------------------------------------------------------------------

class SlowSkill:
    """The real skill, taking half a second per request, and saying when one has started."""

    def __init__(self, skill: SkillApp) -> None:
        self.skill = skill
        self.started = threading.Event()

    def handle(self, event: dict, context=None, *, owned: bool = False) -> dict:
        self.started.set()
        time.sleep(0.5)
        return self.skill.handle(event, context, owned=owned)


def test_stop_finishes_the_request_in_flight_and_closes_idle_connections(tmp_path):
    db = tmp_path / "slow.db"
    skill = SlowSkill(skill_on(db))
    user = "amzn1.ask.account.WEB-STOP"
    with Running(create_app(skill, None)) as running:
        idle = http.client.HTTPConnection("127.0.0.1", running.port, timeout=10)
        idle.request("GET", "/healthz")
        assert idle.getresponse().read()  # a keep-alive connection left open and idle
        answers: queue.Queue = queue.Queue()
        body = json.dumps(SimulatedDevice(user, skill_id=SKILL_ID).intent("LongerHoldsIntent")).encode()
        client = threading.Thread(target=lambda: answers.put(post(running.port, body)))
        client.start()
        assert skill.started.wait(10)
        started = time.monotonic()
        running.stop()
        assert time.monotonic() - started < 3  # the idle connection did not hold it up
        client.join(10)
        status, answer = answers.get_nowait()
        assert status == 200 and "longer" in speech(answer)
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", running.port), timeout=2)
        idle.close()
    skill.skill.adapter.close()
    assert stored(db, user)["prefs"]["hold_scale"] > 1


class ServeProcess:
    """``stride-coach serve`` in a subprocess; its stderr is collected line by line."""

    def __init__(self, *args: str, env: dict) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "skill.cli.main", "serve", *args],
                                     env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        for line in self.proc.stderr:
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            self.seen.append(line)
            if text in line:
                return line
        raise AssertionError(f"never printed {text!r}; stderr so far: {''.join(self.seen)}")

    @property
    def port(self) -> int:
        line = next(line for line in self.seen if "listening on" in line)
        return int(line.split("http://127.0.0.1:", 1)[1].split()[0])

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)


def _http_head(length: int) -> bytes:
    return (f"POST /alexa HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {length}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n").encode()


def _read_until(sock: socket.socket, marker: bytes) -> bytes:
    data = b""
    while marker not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def serve_env(db: Path, **extra: str) -> dict:
    env = {**os.environ, "STRIDE_COACH_DB": str(db), "PYTHONUNBUFFERED": "1", **extra}
    for name in (*PLUGIN_ENV, "STRIDE_COACH_STORE", "STRIDE_COACH_SKILL_ID"):
        if name not in extra:
            env.pop(name, None)
    return env


def test_serve_verifies_with_the_skill_id_from_the_environment(tmp_path):
    serve = ServeProcess("--port", "0", env=serve_env(tmp_path / "verified.db", STRIDE_COACH_SKILL_ID=SKILL_ID))
    try:
        assert "verification on" in serve.wait_for("listening on")
        assert not any("for local testing only" in line for line in serve.seen)
        assert post(serve.port, b"", path="/healthz", method="GET") == (200, {"status": "ok"})
        body = json.dumps(SimulatedDevice("amzn1.ask.account.WEB-UNSIGNED", skill_id=SKILL_ID).launch()).encode()
        assert post(serve.port, body) == (400, {"error": "missing SignatureCertChainUrl header"})
        serve.proc.send_signal(signal.SIGTERM)
        assert serve.proc.wait(10) == 0
    finally:
        serve.kill()


def test_sigterm_answers_and_persists_the_request_in_flight(tmp_path):
    db = tmp_path / "sigterm.db"
    serve = ServeProcess("--no-verify", "--host", "127.0.0.1", "--port", "0", env=serve_env(db))
    try:
        serve.wait_for("listening on")
        assert any("for local testing only" in line for line in serve.seen)
        user = "amzn1.ask.account.WEB-SIGTERM"
        body = json.dumps(SimulatedDevice(user, skill_id=SKILL_ID).intent("LongerHoldsIntent")).encode()
        with socket.create_connection(("127.0.0.1", serve.port), timeout=10) as sock:
            sock.sendall(_http_head(len(body)))
            assert _read_until(sock, b"\r\n\r\n").startswith(b"HTTP/1.1 100 Continue")  # server has it
            sock.sendall(body[:40])
            serve.proc.send_signal(signal.SIGTERM)
            _wait_until_refused(serve.port)  # stopped listening, yet our request is still in flight
            sock.sendall(body[40:])
            answer = _read_until(sock, b"</speak>")
        assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
        assert b"holds will be longer" in answer
        assert serve.proc.wait(10) == 0
        serve.wait_for("stopped")
    finally:
        serve.kill()
    assert stored(db, user)["prefs"]["hold_scale"] > 1


def _wait_until_refused(port: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except ConnectionRefusedError:
            return
        except ConnectionResetError:
            pass  # the listener closed with this probe still in its backlog; the next probe is refused
        time.sleep(0.02)
    raise AssertionError("the server kept listening after SIGTERM")


def test_serve_refuses_to_verify_without_a_skill_id(capsys):
    assert main(["serve", "--port", "0"]) == 2
    error = capsys.readouterr().err
    assert "--skill-id" in error and "STRIDE_COACH_SKILL_ID" in error
