"""Request verification for the web service, against a PKI generated for the test run.

Every check Amazon requires of a web-service skill is exercised with a request that fails it and
nothing else, so each rejection is attributable to that one check.
"""

from __future__ import annotations

import http.server
import json
import os
import ssl
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from web_pki import CHAIN_URL, Authority, FakeFetcher, Signer, TestPKI, pem

from skill.kit.device import SimulatedDevice
from skill.web.certs import ChainCache, ChainError, TrustStoreError, default_roots, fetch_chain, load_roots
from skill.web.verifier import MAX_BODY_BYTES, RequestRejected, RequestVerifier, check_chain_url, remove_dot_segments

SKILL_ID = "amzn1.ask.skill.11111111-2222-4333-8444-555555555555"
OTHER_SKILL_ID = "amzn1.ask.skill.99999999-2222-4333-8444-555555555555"


@pytest.fixture(scope="module")
def pki() -> TestPKI:
    return TestPKI()


class Clock:
    """A settable clock shared by the verifier and the devices making requests."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


def launch_body(clock=None, skill_id: str = SKILL_ID, user: str = "amzn1.ask.account.WEB-TEST") -> bytes:
    return json.dumps(SimulatedDevice(user, skill_id=skill_id, clock=clock).launch()).encode()


def verifier_for(pki: TestPKI, fetcher=None, clock=None) -> RequestVerifier:
    return RequestVerifier([SKILL_ID], roots=pki.roots, fetcher=fetcher or pki.fetcher(),
                           clock=clock or Clock())


def rejection(verifier: RequestVerifier, headers: dict, body: bytes) -> str:
    with pytest.raises(RequestRejected) as caught:
        verifier.verify(headers, body)
    return str(caught.value)


# -- the happy path ------------------------------------------------------------------------------

def test_a_genuine_request_is_accepted_and_parsed(pki):
    body = launch_body()
    envelope = verifier_for(pki).verify(pki.signer.headers(body), body)
    assert envelope["request"]["type"] == "LaunchRequest"
    assert envelope["context"]["System"]["application"]["applicationId"] == SKILL_ID


def test_several_skill_ids_are_accepted(pki):
    body = launch_body(skill_id=OTHER_SKILL_ID)
    verifier = RequestVerifier([SKILL_ID, OTHER_SKILL_ID], roots=pki.roots, fetcher=pki.fetcher())
    assert verifier.verify(pki.signer.headers(body), body)["request"]["type"] == "LaunchRequest"


def test_a_verifier_without_skill_ids_cannot_be_built(pki):
    with pytest.raises(ValueError):
        RequestVerifier([], roots=pki.roots)


# -- SignatureCertChainUrl (alexa-platform.md section 3, check 1) -------------------------------

ACCEPTED_URLS = [
    "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
    "https://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
    "HTTPS://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/./echo-api-cert.pem",
]

REJECTED_URLS = [
    ("http://s3.amazonaws.com/echo.api/echo-api-cert.pem", "https"),
    ("https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem", "port"),
    ("https://notamazon.com/echo.api/echo-api-cert.pem", "host"),
    ("https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert.pem", "host"),
    ("https://evil.example@s3.amazonaws.com/echo.api/echo-api-cert.pem", "host"),
    ("https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem", "path"),
    ("https://s3.amazonaws.com/echo.api/../evil/echo-api-cert.pem", "path"),
    ("https://s3.amazonaws.com/echo.api/%2e%2e/evil/echo-api-cert.pem", "path"),
    ("https://s3.amazonaws.com/invalid.path/echo-api-cert.pem", "path"),
    ("https://s3.amazonaws.com/echo.api", "path"),
    ("https://s3.amazonaws.com//echo.api/echo-api-cert.pem", "path"),
    ("https://s3.amazonaws.com:abc/echo.api/echo-api-cert.pem", "malformed"),
    ("", "missing"),
    (None, "missing"),
]


@pytest.mark.parametrize("url", ACCEPTED_URLS)
def test_chain_url_accepted(url):
    check_chain_url(url)


@pytest.mark.parametrize("url,reason", REJECTED_URLS)
def test_chain_url_rejected(url, reason):
    with pytest.raises(RequestRejected, match=reason):
        check_chain_url(url)


@pytest.mark.parametrize("path,expected", [
    ("/echo.api/../echo.api/x.pem", "/echo.api/x.pem"),
    ("/echo.api/", "/echo.api/"),  # posixpath.normpath would drop the slash and refuse this
    ("/echo.api/..", "/"),
    ("/../echo.api/x", "/echo.api/x"),  # cannot climb above the root
    ("/a/./b/../c/", "/a/c/"),
])
def test_remove_dot_segments(path, expected):
    assert remove_dot_segments(path) == expected


@pytest.mark.parametrize("url", ACCEPTED_URLS[:4])
def test_accepted_url_variants_verify_end_to_end(pki, url):
    body = launch_body()
    fetcher = FakeFetcher({url: pki.signer.chain_pem})
    assert verifier_for(pki, fetcher).verify(pki.signer.headers(body, url), body)
    assert fetcher.calls == [url]


@pytest.mark.parametrize("url,reason", [u for u in REJECTED_URLS if u[0]])
def test_rejected_urls_are_never_fetched(pki, url, reason):
    body = launch_body()
    fetcher = FakeFetcher({url: pki.signer.chain_pem})
    assert reason in rejection(verifier_for(pki, fetcher), pki.signer.headers(body, url), body)
    assert fetcher.calls == []


def test_missing_chain_url_header(pki):
    body = launch_body()
    headers = {"Signature-256": pki.signer.signature(body)}
    assert "missing SignatureCertChainUrl" in rejection(verifier_for(pki), headers, body)


# -- the certificate chain (checks 2 to 5) --------------------------------------------------------

def _url(name: str) -> str:
    return CHAIN_URL.replace(".pem", f"-{name}.pem")


def _with_leaf(pki: TestPKI, name: str, **leaf_options) -> Signer:
    """A signer for the same key whose leaf differs as asked, published at its own URL."""
    return pki.signer_for(pki.intermediate.leaf(pki.signing_key, **leaf_options), url=_url(name))


def assert_chain_rejected(pki, signer, reason: str) -> None:
    body = launch_body()
    message = rejection(verifier_for(pki, pki.fetcher(signer)), signer.headers(body), body)
    assert message.startswith("certificate chain rejected") and reason in message, message


def test_expired_certificate(pki):
    now = datetime.now(UTC)
    signer = _with_leaf(pki, "expired", not_before=now - timedelta(days=30), not_after=now - timedelta(days=1))
    assert_chain_rejected(pki, signer, "not valid at validation time")


def test_not_yet_valid_certificate(pki):
    now = datetime.now(UTC)
    signer = _with_leaf(pki, "future", not_before=now + timedelta(days=1), not_after=now + timedelta(days=30))
    assert_chain_rejected(pki, signer, "not valid at validation time")


def test_certificate_for_another_name(pki):
    signer = _with_leaf(pki, "evil", dns_name="evil.example.com")
    assert_chain_rejected(pki, signer, "subjectAltName")


def test_certificate_from_an_untrusted_ca(pki):
    rogue = Authority.root("Rogue Root CA").intermediate("Rogue Intermediate CA")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    signer = Signer(key, [rogue.leaf(key), rogue.cert], _url("rogue"))  # complete, but not to our root
    assert_chain_rejected(pki, signer, "candidates exhausted")


def test_chain_missing_its_intermediate(pki):
    signer = Signer(pki.signing_key, [pki.signer.leaf], _url("leaf-only"))
    assert_chain_rejected(pki, signer, "candidates exhausted")


def test_chain_that_is_not_pem(pki):
    body = launch_body()
    fetcher = FakeFetcher({CHAIN_URL: b"<html>not a certificate</html>"})
    assert rejection(verifier_for(pki, fetcher), pki.signer.headers(body), body) == "certificate chain is not PEM"


def test_chain_that_cannot_be_downloaded(pki):
    body = launch_body()
    reason = rejection(verifier_for(pki, FakeFetcher()), pki.signer.headers(body), body)
    assert reason == "certificate chain could not be downloaded"


# -- the signature (check 6) ------------------------------------------------------------------

def test_signature_by_another_key(pki):
    body = launch_body()
    impostor = pki.signer_for(pki.signer.leaf, key=rsa.generate_private_key(public_exponent=65537, key_size=2048))
    assert "signature does not match" in rejection(verifier_for(pki), impostor.headers(body), body)


def test_missing_signature(pki):
    body = launch_body()
    headers = {"SignatureCertChainUrl": CHAIN_URL}
    assert rejection(verifier_for(pki), headers, body) == "missing Signature-256 header"


def test_signature_not_base64(pki):
    body = launch_body()
    headers = {**pki.signer.headers(body), "Signature-256": "not base64!"}
    assert rejection(verifier_for(pki), headers, body) == "signature is not base64"


def test_body_changed_after_signing(pki):
    body = launch_body()
    headers = pki.signer.headers(body)
    tampered = body.replace(b"WEB-TEST", b"VICTIM")
    assert tampered != body
    assert "signature does not match" in rejection(verifier_for(pki), headers, tampered)


def test_the_signature_covers_the_raw_bytes_not_the_json(pki):
    body = launch_body()
    reformatted = json.dumps(json.loads(body), indent=2).encode()  # same JSON, other bytes
    assert "signature does not match" in rejection(verifier_for(pki), pki.signer.headers(body), reformatted)


# -- timestamp (check 7) -------------------------------------------------------------------

@pytest.mark.parametrize("offset_s", [-151, 151, -3600])
def test_timestamp_too_far_from_now(pki, offset_s):
    clock = Clock()
    body = launch_body(clock=Clock(clock.now + timedelta(seconds=offset_s)))
    assert rejection(verifier_for(pki, clock=clock), pki.signer.headers(body), body) == \
        "request timestamp too far from now"


@pytest.mark.parametrize("offset_s", [-149, 149])
def test_timestamp_inside_the_tolerance(pki, offset_s):
    clock = Clock()
    body = launch_body(clock=Clock(clock.now + timedelta(seconds=offset_s)))
    verifier_for(pki, clock=clock).verify(pki.signer.headers(body), body)


def _skill_event(moment: datetime) -> bytes:
    device = SimulatedDevice("amzn1.ask.account.WEB-TEST", skill_id=SKILL_ID, clock=lambda: moment)
    return json.dumps(device.request({"type": "AlexaSkillEvent.SkillEnabled"})).encode()


def test_skill_events_may_be_an_hour_old(pki):
    clock = Clock()
    late = _skill_event(clock.now - timedelta(minutes=50))
    verifier_for(pki, clock=clock).verify(pki.signer.headers(late), late)
    too_late = _skill_event(clock.now - timedelta(minutes=61))
    assert "timestamp" in rejection(verifier_for(pki, clock=clock), pki.signer.headers(too_late), too_late)


def test_missing_timestamp(pki):
    envelope = json.loads(launch_body())
    del envelope["request"]["timestamp"]
    body = json.dumps(envelope).encode()
    assert rejection(verifier_for(pki), pki.signer.headers(body), body) == "request timestamp missing or invalid"


# -- application id (check 8), body ----------------------------------------------------------

def test_wrong_application_id(pki):
    body = launch_body(skill_id=OTHER_SKILL_ID)
    assert rejection(verifier_for(pki), pki.signer.headers(body), body) == "application id is not this skill's"


def test_mismatched_session_application_id(pki):
    envelope = json.loads(launch_body())
    envelope["session"]["application"] = {"applicationId": OTHER_SKILL_ID}
    body = json.dumps(envelope).encode()
    assert rejection(verifier_for(pki), pki.signer.headers(body), body) == "application id is not this skill's"


def test_an_application_id_that_is_not_a_string(pki):
    envelope = json.loads(launch_body())
    envelope["context"]["System"]["application"]["applicationId"] = [SKILL_ID]
    body = json.dumps(envelope).encode()
    assert rejection(verifier_for(pki), pki.signer.headers(body), body) == "application id is not this skill's"


def test_missing_application_id(pki):
    envelope = json.loads(launch_body())
    del envelope["context"], envelope["session"]
    body = json.dumps(envelope).encode()
    assert rejection(verifier_for(pki), pki.signer.headers(body), body) == "request has no application id"


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b"[1, 2]", b""])
def test_malformed_json_even_when_signed(pki, body):
    reason = rejection(verifier_for(pki), pki.signer.headers(body), body)
    assert reason in ("malformed JSON", "request body is not a JSON object")


def test_oversized_body_is_refused_before_anything_is_fetched(pki):
    body = launch_body() + b" " * MAX_BODY_BYTES
    fetcher = pki.fetcher()
    assert rejection(verifier_for(pki, fetcher), pki.signer.headers(body), body) == "request body too large"
    assert fetcher.calls == []


def test_a_bad_url_wins_over_a_bad_signature(pki):
    body = launch_body()
    headers = {"SignatureCertChainUrl": "http://s3.amazonaws.com/echo.api/x.pem", "Signature-256": "AAAA"}
    assert "https" in rejection(verifier_for(pki), headers, body)


# -- the chain cache ----------------------------------------------------------------------------

def test_the_chain_is_downloaded_once(pki):
    fetcher = pki.fetcher()
    verifier = verifier_for(pki, fetcher)
    for user in ("a", "b", "c"):
        body = launch_body(user=user)
        verifier.verify(pki.signer.headers(body), body)
    assert fetcher.calls == [CHAIN_URL]


def test_a_failed_chain_is_not_cached(pki):
    fetcher = FakeFetcher()
    verifier = verifier_for(pki, fetcher)
    body = launch_body()
    rejection(verifier, pki.signer.headers(body), body)
    fetcher.chains[CHAIN_URL] = pki.signer.chain_pem  # the download works the second time
    verifier.verify(pki.signer.headers(body), body)
    assert fetcher.calls == [CHAIN_URL, CHAIN_URL]


def test_an_expired_cached_chain_is_fetched_again(pki):
    clock = Clock()
    short = pki.intermediate.leaf(pki.signing_key, not_after=clock.now + timedelta(hours=1))
    fetcher = pki.fetcher(pki.signer_for(short))  # publishes the short-lived chain at CHAIN_URL
    verifier = verifier_for(pki, fetcher, clock)
    body = launch_body(clock=clock)
    verifier.verify(pki.signer.headers(body), body)
    clock.now += timedelta(minutes=30)
    body = launch_body(clock=clock)
    verifier.verify(pki.signer.headers(body), body)
    assert len(fetcher.calls) == 1  # still cached

    clock.now += timedelta(minutes=31)  # past the leaf's notAfter
    body = launch_body(clock=clock)
    assert "not valid at validation time" in rejection(verifier, pki.signer.headers(body), body)
    assert len(fetcher.calls) == 2  # refetched, and Amazon has not rotated yet: refused

    fetcher.chains[CHAIN_URL] = pki.signer.chain_pem  # now it has
    verifier.verify(pki.signer.headers(body), body)
    assert len(fetcher.calls) == 3


def test_concurrent_first_requests_download_once(pki):
    slow = pki.fetcher()

    def fetch(url: str) -> bytes:
        time.sleep(0.2)
        return slow(url)

    verifier = verifier_for(pki, fetch)
    bodies = [launch_body(user=f"user-{i}") for i in range(8)]
    results: list = []
    threads = [threading.Thread(target=lambda b=b: results.append(verifier.verify(pki.signer.headers(b), b)))
               for b in bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(results) == 8 and slow.calls == [CHAIN_URL]


# -- trust store and downloader ----------------------------------------------------------------

def test_default_roots_load(pki):
    roots = default_roots()
    assert len(roots) > 50


def test_default_roots_fall_back_to_the_system_bundle(monkeypatch):
    monkeypatch.setitem(sys.modules, "certifi", None)  # import certifi now raises ImportError
    paths = ssl.get_default_verify_paths()
    if not any(p and os.path.isfile(p) for p in (paths.cafile, paths.openssl_cafile)):
        with pytest.raises(TrustStoreError, match="certifi"):
            default_roots()
    else:
        assert len(default_roots()) > 50


def test_unparseable_roots_are_skipped(pki):
    bundle = pem(pki.root.cert) + b"-----BEGIN CERTIFICATE-----\nZ2FyYmFnZQ==\n-----END CERTIFICATE-----\n"
    assert load_roots(bundle) == [pki.root.cert]


def test_an_empty_trust_store_is_refused():
    with pytest.raises(TrustStoreError):
        ChainCache([])


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.1:9/elsewhere")
            self.end_headers()
            return
        size = int(self.path.strip("/"))
        self.send_response(200)
        self.send_header("Content-Length", str(size))
        self.end_headers()
        self.wfile.write(b"x" * size)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_http():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_fetch_chain_caps_the_size_and_refuses_redirects(local_http):
    assert fetch_chain(f"{local_http}/100", max_bytes=100) == b"x" * 100
    with pytest.raises(ChainError, match="too large"):
        fetch_chain(f"{local_http}/101", max_bytes=100)
    with pytest.raises(ChainError, match="redirect"):
        fetch_chain(f"{local_http}/redirect")
