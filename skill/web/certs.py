"""Alexa's signing certificate: download its chain, validate it to a trusted root, cache it.

Alexa publishes the PEM chain (leaf first, then intermediates) at the URL in each request's
``SignatureCertChainUrl`` header. The chain is validated once with the web-PKI policy of
``cryptography.x509.verification``, which checks the validity period, that ``echo-api.amazon.com``
is among the leaf's names and that the chain ends at a trusted root. The validated signing key is
then cached by URL until the earliest expiry on the chain, so only the first request for a URL ever
waits for a download; later ones read the cache without taking a lock. :class:`ChainCache` says
how a flood of requests naming other chains is kept from slowing the genuine ones.
"""

from __future__ import annotations

import contextlib
import http.client
import logging
import socket
import ssl
import threading
import time
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

log = logging.getLogger("stride_coach.web")

ALEXA_SIGNING_NAME = "echo-api.amazon.com"
FETCH_TIMEOUT_S = 5.0
MAX_CHAIN_BYTES = 64 * 1024  # Amazon's chain is about 5 KB; anything far bigger is not a chain
MAX_CACHED_CHAINS = 32  # Amazon rotates the certificate rarely; the cap only bounds memory
MAX_CONCURRENT_DOWNLOADS = 1  # Amazon has one chain at a time; more slots only serve whoever floods them
MAX_WAITING_REQUESTS = 8
FAILURE_TTL = timedelta(seconds=30)
MAX_REMEMBERED_FAILURES = 1024

Fetcher = Callable[[str], bytes]


class ChainError(Exception):
    """The certificate chain could not be downloaded, parsed or trusted (the message says which)."""


class TrustStoreError(RuntimeError):
    """No trusted root certificates could be loaded, so no request could ever be verified."""


# -- trust store -------------------------------------------------------------------------------

PEM_BEGIN = b"-----BEGIN CERTIFICATE-----"


def load_roots(pem_bundle: bytes) -> list[x509.Certificate]:
    """Every certificate of a PEM bundle that parses cleanly.

    Certificates are loaded one by one so that a single odd root (certifi ships some with negative
    serial numbers, which cryptography warns about and will refuse) does not lose the whole bundle.
    """
    roots = []
    for block in pem_bundle.split(PEM_BEGIN)[1:]:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                roots.append(x509.load_pem_x509_certificate(PEM_BEGIN + block))
            except Exception:
                continue
    return roots


def default_roots() -> list[x509.Certificate]:
    """certifi's Mozilla roots when installed, else the system CA bundle OpenSSL uses."""
    candidates: list[Path] = []
    try:
        import certifi

        candidates.append(Path(certifi.where()))
    except ImportError:
        pass
    paths = ssl.get_default_verify_paths()
    candidates += [Path(p) for p in (paths.cafile, paths.openssl_cafile) if p]
    for path in candidates:
        if path.is_file():
            roots = load_roots(path.read_bytes())
            if roots:
                return roots
    raise TrustStoreError("no trusted root certificates found: install certifi "
                          "(pip install certifi) or the system CA bundle (ca-certificates)")


# -- downloading ---------------------------------------------------------------------------------

def fetch_chain(url: str, timeout: float = FETCH_TIMEOUT_S, max_bytes: int = MAX_CHAIN_BYTES) -> bytes:
    """Download a PEM chain, refusing redirects and oversized answers, all within ``timeout`` seconds.

    ``timeout`` bounds the whole download, not each read: a server dripping a byte at a time would
    otherwise hold the request for as long as it liked. A timer shuts the socket at the deadline,
    which wakes a read blocked on it (connecting is bounded by ``timeout`` per step).
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ChainError("certificate chain URL is not http(s)")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    deadline = time.monotonic() + timeout
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=timeout,
                                                 context=ssl.create_default_context())
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.connect()
        timer = threading.Timer(max(0.0, deadline - time.monotonic()), _cut_off, (connection.sock,))
    except (OSError, http.client.HTTPException):
        connection.close()
        raise
    timer.daemon = True
    timer.start()
    try:
        connection.request("GET", path, headers={"Accept": "*/*", "Connection": "close"})
        answer = connection.getresponse()
        if 300 <= answer.status < 400:
            raise ChainError(f"certificate chain URL redirected ({answer.status})")
        if answer.status != 200:
            raise ChainError(f"certificate chain download answered HTTP {answer.status}")
        data = b""
        while len(data) <= max_bytes:
            chunk = answer.read1(max_bytes + 1 - len(data))
            if not chunk:
                break
            data += chunk
    except (OSError, http.client.HTTPException) as exc:
        if time.monotonic() >= deadline:
            raise ChainError("certificate chain download took too long") from exc
        raise
    finally:
        timer.cancel()
        connection.close()
    if time.monotonic() >= deadline:  # the cut-off socket reads as a clean end of data
        raise ChainError("certificate chain download took too long")
    if len(data) > max_bytes:
        raise ChainError("certificate chain download is too large")
    return data


def _cut_off(sock: socket.socket | None) -> None:
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


# -- validating and caching ---------------------------------------------------------------------

@dataclass(frozen=True)
class TrustedChain:
    """A validated chain: the leaf's RSA key, good until the earliest expiry on the path."""

    public_key: RSAPublicKey
    expires: datetime


def _short(error: Exception) -> str:
    """cryptography's message without the certificate dump it appends."""
    return str(error).split(" (encountered processing", 1)[0]


class _Flight:
    """One download in progress; requests for the same URL wait for it instead of starting their own."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.result: TrustedChain | None = None
        self.error: str | None = None


class ChainCache:
    """Signing keys by chain URL, validated against ``roots`` and kept until their chain expires.

    Made so that requests naming chains that do not exist cannot slow down genuine ones:

    * a URL whose chain was good is answered from memory, without a lock, and only good chains
      take one of the ``max_entries`` places, so a flood of other URLs cannot push it out;
    * a URL that failed is refused from memory for ``failure_ttl`` (failures have their own,
      bounded table);
    * requests for a URL being downloaded wait for that one download (at most ``max_waiting`` of
      them: the rest are refused at once);
    * at most ``max_downloads`` downloads run at a time (one by default); a request that would
      start another is refused at once instead of queueing, so it never holds a server worker;
    * each download has a total time limit (see :func:`fetch_chain`).

    Callers pass URLs in one canonical form (see ``skill.web.verifier.canonical_chain_url``), so
    that spellings of the same URL share one entry.
    """

    def __init__(self, roots: Iterable[x509.Certificate], fetcher: Fetcher = fetch_chain,
                 signing_name: str = ALEXA_SIGNING_NAME, max_entries: int = MAX_CACHED_CHAINS, *,
                 max_downloads: int = MAX_CONCURRENT_DOWNLOADS, max_waiting: int = MAX_WAITING_REQUESTS,
                 failure_ttl: timedelta = FAILURE_TTL, max_failures: int = MAX_REMEMBERED_FAILURES,
                 wait_timeout: float = FETCH_TIMEOUT_S + 1.0) -> None:
        roots = list(roots)
        if not roots:
            raise TrustStoreError("the trust store is empty")
        self._store = Store(roots)
        self._fetcher = fetcher
        self._name = x509.DNSName(signing_name)
        self._max_entries = max_entries
        self._entries: dict[str, TrustedChain] = {}
        self._failures: OrderedDict[str, tuple[datetime, str]] = OrderedDict()
        self._failure_ttl = failure_ttl
        self._max_failures = max_failures
        self._flights: dict[str, _Flight] = {}
        self._lock = threading.Lock()  # guards the tables above; never held during a download
        self._downloads = threading.BoundedSemaphore(max_downloads)
        self._waiting = threading.BoundedSemaphore(max_waiting)
        self._wait_timeout = wait_timeout

    def signing_key(self, url: str, now: datetime) -> RSAPublicKey:
        """The validated signing key for ``url``, downloading the chain only when not cached."""
        entry = self._entries.get(url)
        if entry is not None and now < entry.expires:
            return entry.public_key
        self._raise_if_failed_recently(url, now)
        with self._lock:
            entry = self._entries.get(url)
            if entry is not None and now < entry.expires:
                return entry.public_key
            flight = self._flights.get(url)
            leading = flight is None
            if leading:
                if not self._downloads.acquire(blocking=False):
                    raise ChainError("too many certificate chains are being downloaded; try again")
                flight = self._flights[url] = _Flight()
        assert flight is not None
        if leading:
            return self._lead(url, now, flight).public_key
        return self._follow(flight).public_key

    def _raise_if_failed_recently(self, url: str, now: datetime) -> None:
        failure = self._failures.get(url)
        if failure is not None and now < failure[0]:
            raise ChainError(failure[1])

    def _lead(self, url: str, now: datetime, flight: _Flight) -> TrustedChain:
        try:
            entry = self._validate(self._download(url), now)
            with self._lock:
                self._remember(url, entry)
                self._failures.pop(url, None)
            flight.result = entry
            return entry
        except ChainError as exc:
            flight.error = str(exc)
            with self._lock:
                self._entries.pop(url, None)
                self._failures[url] = (now + self._failure_ttl, str(exc))
                self._failures.move_to_end(url)
                while len(self._failures) > self._max_failures:
                    self._failures.popitem(last=False)
            raise
        finally:
            self._downloads.release()
            with self._lock:
                self._flights.pop(url, None)
            flight.done.set()

    def _follow(self, flight: _Flight) -> TrustedChain:
        if not self._waiting.acquire(blocking=False):
            raise ChainError("too many requests are waiting for a certificate chain; try again")
        try:
            if not flight.done.wait(self._wait_timeout):
                raise ChainError("certificate chain download took too long")
        finally:
            self._waiting.release()
        if flight.result is None:
            raise ChainError(flight.error or "certificate chain could not be downloaded")
        return flight.result

    def _download(self, url: str) -> bytes:
        try:
            return self._fetcher(url)
        except ChainError:
            raise
        except Exception as exc:
            log.warning("could not download the certificate chain at %s: %s", url, exc)
            raise ChainError("certificate chain could not be downloaded") from exc

    def _validate(self, pem_chain: bytes, now: datetime) -> TrustedChain:
        try:
            certs = x509.load_pem_x509_certificates(pem_chain)
        except ValueError as exc:
            raise ChainError("certificate chain is not PEM") from exc
        leaf, intermediates = certs[0], certs[1:]
        verifier = PolicyBuilder().store(self._store).time(now).build_server_verifier(self._name)
        try:
            path = verifier.verify(leaf, intermediates)
        except VerificationError as exc:
            raise ChainError(f"certificate chain rejected: {_short(exc)}") from exc
        key = leaf.public_key()
        if not isinstance(key, RSAPublicKey):
            raise ChainError("signing certificate does not hold an RSA key")
        return TrustedChain(key, min(cert.not_valid_after_utc for cert in path))

    def _remember(self, url: str, entry: TrustedChain) -> None:
        if url not in self._entries and len(self._entries) >= self._max_entries:
            self._entries.pop(min(self._entries, key=lambda u: self._entries[u].expires))
        self._entries[url] = entry
        log.info("trusted the Alexa signing chain at %s until %s", url, entry.expires.isoformat())
