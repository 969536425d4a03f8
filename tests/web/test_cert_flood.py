"""A flood of requests naming certificate chains that do not exist must not slow genuine requests.

Reproduces the attack on loopback: unsigned requests with unique ``/echo.api/`` names (each a
download if nothing stops it), the real chain's URL with query strings (to push it out of the
cache), and a chain server that drips its answer. The stand-in for S3 answers misses slowly, as
S3 does from far away.
"""

from __future__ import annotations

import http.client
import http.server
import json
import threading
import time

import pytest
from web_pki import CHAIN_URL, FakeFetcher, TestPKI

from skill.kit.device import SimulatedDevice as Device
from skill.web.certs import MAX_CONCURRENT_DOWNLOADS, ChainCache, ChainError, fetch_chain
from skill.web.flask_app import create_app
from skill.web.server import Server
from skill.web.verifier import RequestRejected, RequestVerifier

SKILL_ID = "amzn1.ask.skill.11111111-2222-4333-8444-555555555555"
NOW = None


@pytest.fixture(scope="module")
def pki() -> TestPKI:
    return TestPKI()


class SlowS3(FakeFetcher):
    """Serves the known chains at once and answers misses after ``miss_delay`` seconds; counts overlap."""

    def __init__(self, chains: dict[str, bytes], miss_delay: float = 0.1, release: threading.Event | None = None):
        super().__init__(dict(chains))
        self.miss_delay = miss_delay
        self.release = release
        self.in_flight = 0
        self.most_in_flight = 0
        self._count = threading.Lock()

    def __call__(self, url: str) -> bytes:
        with self._count:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if url not in self.chains:
                if self.release is not None:
                    self.release.wait(10)
                else:
                    time.sleep(self.miss_delay)
            return super().__call__(url)
        finally:
            with self._count:
                self.in_flight -= 1


def launch(user: str = "amzn1.ask.account.FLOOD-GENUINE") -> bytes:
    return json.dumps(Device(user, skill_id=SKILL_ID).launch()).encode()


def attempt(verifier: RequestVerifier, headers: dict, body: bytes) -> str:
    try:
        verifier.verify(headers, body)
        return "ok"
    except RequestRejected as exc:
        return str(exc)


def test_downloads_are_bounded_and_never_block_a_cached_chain(pki):
    release = threading.Event()
    s3 = SlowS3({CHAIN_URL: pki.signer.chain_pem}, release=release)
    verifier = RequestVerifier([SKILL_ID], roots=pki.roots, fetcher=s3)
    body = launch()
    assert attempt(verifier, pki.signer.headers(body), body) == "ok"  # the genuine chain is cached

    outcomes: list[str] = []
    attackers = [threading.Thread(target=lambda i=i: outcomes.append(attempt(
        verifier, pki.signer.headers(body, CHAIN_URL.replace(".pem", f"-{i}.pem")), body))) for i in range(20)]
    for thread in attackers:
        thread.start()
    deadline = time.monotonic() + 10
    slots = MAX_CONCURRENT_DOWNLOADS
    while len(outcomes) < 20 - slots and time.monotonic() < deadline:  # all but the downloading ones refused
        time.sleep(0.01)
    assert s3.in_flight == slots  # the downloads allowed hang on the slow server...
    assert outcomes.count("too many certificate chains are being downloaded; try again") == 20 - slots
    for user in range(5):  # ...and genuine requests go straight through meanwhile
        body = launch(f"amzn1.ask.account.FLOOD-{user}")
        assert attempt(verifier, pki.signer.headers(body), body) == "ok"
    release.set()
    for thread in attackers:
        thread.join(10)
    assert outcomes.count("certificate chain could not be downloaded") == slots
    assert s3.most_in_flight == slots and s3.calls.count(CHAIN_URL) == 1


def test_requests_for_one_missing_chain_share_one_download_and_its_refusal(pki):
    s3 = SlowS3({}, miss_delay=0.2)
    verifier = RequestVerifier([SKILL_ID], roots=pki.roots, fetcher=s3)
    body = launch()
    missing = CHAIN_URL.replace(".pem", "-missing.pem")
    outcomes: list[str] = []
    threads = [threading.Thread(target=lambda: outcomes.append(attempt(verifier, pki.signer.headers(body, missing),
                                                                       body))) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    for _ in range(10):  # later ones are refused from memory
        outcomes.append(attempt(verifier, pki.signer.headers(body, missing), body))
    assert outcomes == ["certificate chain could not be downloaded"] * 16
    assert s3.calls == [missing]


def test_query_strings_and_unique_names_cannot_push_the_real_chain_out(pki):
    s3 = SlowS3({CHAIN_URL: pki.signer.chain_pem}, miss_delay=0)
    cache_size = 4
    verifier = RequestVerifier([SKILL_ID], roots=pki.roots, fetcher=s3)
    verifier.chains = ChainCache(pki.roots, s3, max_entries=cache_size, max_failures=cache_size)
    body = launch()
    assert attempt(verifier, pki.signer.headers(body), body) == "ok"
    for i in range(cache_size * 10):
        attempt(verifier, pki.signer.headers(body, f"{CHAIN_URL}?v={i}"), body)
        attempt(verifier, pki.signer.headers(body, CHAIN_URL.replace(".pem", f"-{i}.pem")), body)
    assert attempt(verifier, pki.signer.headers(body), body) == "ok"
    assert s3.calls.count(CHAIN_URL) == 1


# -- over HTTP, with the real server ------------------------------------------------------------

class EchoSkill:
    """Answers every verified envelope with an empty response: the flood is about verification."""

    def handle(self, event: dict, context=None, *, owned: bool = False) -> dict:
        return {"version": "1.0", "response": {}}


def post(port: int, body: bytes, headers: dict, method: str = "POST") -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, "/alexa", body=body, headers={"Content-Type": "application/json", **headers})
        answer = conn.getresponse()
        answer.read()
        return answer.status
    finally:
        conn.close()


def test_a_flood_over_http_leaves_every_genuine_request_answered(pki):
    s3 = SlowS3({CHAIN_URL: pki.signer.chain_pem}, miss_delay=0.1)
    verifier = RequestVerifier([SKILL_ID], roots=pki.roots, fetcher=s3)
    server = Server(create_app(EchoSkill(), verifier), "127.0.0.1", 0, threads=8, shutdown_timeout=5)
    port = server.address[1]
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    stop = threading.Event()
    attacker_statuses: list[int] = []

    def attacker(n: int) -> None:
        i = 0
        while not stop.is_set():
            i += 1
            body = b"{}"
            url = CHAIN_URL.replace(".pem", f"-{n}-{i}.pem") if i % 2 else f"{CHAIN_URL}?v={n}-{i}"
            attacker_statuses.append(post(port, body, {"SignatureCertChainUrl": url, "Signature-256": "AAAA"}))

    try:
        body = launch()
        assert post(port, body, pki.signer.headers(body)) == 200  # the genuine chain is cached
        attackers = [threading.Thread(target=attacker, args=(n,), daemon=True) for n in range(32)]
        for thread in attackers:
            thread.start()
        genuine = []
        for user in range(30):
            body = launch(f"amzn1.ask.account.FLOOD-HTTP-{user}")
            genuine.append(post(port, body, pki.signer.headers(body)))
        stop.set()
        for thread in attackers:
            thread.join(30)
    finally:
        server.stop()
        serving.join(10)
    assert genuine == [200] * 30
    assert attacker_statuses and set(attacker_statuses) == {400}
    assert s3.most_in_flight <= MAX_CONCURRENT_DOWNLOADS and s3.calls.count(CHAIN_URL) == 1
    assert not any("?" in url for url in s3.calls)  # query strings never reach S3 or the cache


def test_other_methods_are_refused(pki):
    app = create_app(EchoSkill(), None)
    client = app.test_client()
    for method in ("OPTIONS", "PUT", "DELETE", "PATCH", "GET"):
        answer = client.open("/alexa", method=method)
        assert answer.status_code == 405 and answer.get_json() == {"error": "method not allowed"}
        assert answer.headers["Allow"] == "POST"
    assert client.open("/healthz", method="OPTIONS").status_code == 405


# -- a chain server that drips ------------------------------------------------------------------

class _Drip(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "40")
        self.end_headers()
        try:
            for _ in range(40):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass

    def log_message(self, *args):
        pass


def test_a_dripping_chain_server_is_cut_off_at_the_total_time_limit():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Drip)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        # Each byte comes well within the timeout, so only a limit on the whole download stops it.
        with pytest.raises(ChainError, match="took too long"):
            fetch_chain(f"http://127.0.0.1:{server.server_address[1]}/chain.pem", timeout=1.0)
    finally:
        server.shutdown()
        server.server_close()
