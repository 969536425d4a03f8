"""Alexa's signing certificate: download its chain, validate it to a trusted root, cache it.

Alexa publishes the PEM chain (leaf first, then intermediates) at the URL in each request's
``SignatureCertChainUrl`` header. The chain is validated once with the web-PKI policy of
``cryptography.x509.verification``, which checks the validity period, that ``echo-api.amazon.com``
is among the leaf's names and that the chain ends at a trusted root. The validated signing key is
then cached by URL until the earliest expiry on the chain, so only the first request for a URL ever
waits for a download; later ones read the cache without taking a lock.
"""

from __future__ import annotations

import logging
import ssl
import threading
import urllib.request
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from http.client import HTTPMessage
from pathlib import Path
from typing import IO, NoReturn

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

log = logging.getLogger("stride_coach.web")

ALEXA_SIGNING_NAME = "echo-api.amazon.com"
FETCH_TIMEOUT_S = 5.0
MAX_CHAIN_BYTES = 64 * 1024  # Amazon's chain is about 5 KB; anything far bigger is not a chain
MAX_CACHED_CHAINS = 32  # Amazon rotates the certificate rarely; the cap only bounds memory

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

class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """The URL was checked before the download; a redirect would fetch from somewhere unchecked."""

    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
                         headers: HTTPMessage, newurl: str) -> NoReturn:
        raise ChainError(f"certificate chain URL redirected ({code})")


_opener = urllib.request.build_opener(_NoRedirects)


def fetch_chain(url: str, timeout: float = FETCH_TIMEOUT_S, max_bytes: int = MAX_CHAIN_BYTES) -> bytes:
    """Download a PEM chain over verified HTTPS, refusing redirects and oversized answers."""
    with _opener.open(url, timeout=timeout) as answer:
        data = answer.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ChainError("certificate chain download is too large")
    return data


# -- validating and caching ---------------------------------------------------------------------

@dataclass(frozen=True)
class TrustedChain:
    """A validated chain: the leaf's RSA key, good until the earliest expiry on the path."""

    public_key: RSAPublicKey
    expires: datetime


def _short(error: Exception) -> str:
    """cryptography's message without the certificate dump it appends."""
    return str(error).split(" (encountered processing", 1)[0]


class ChainCache:
    """Signing keys by chain URL, validated against ``roots`` and kept until their chain expires."""

    def __init__(self, roots: Iterable[x509.Certificate], fetcher: Fetcher = fetch_chain,
                 signing_name: str = ALEXA_SIGNING_NAME, max_entries: int = MAX_CACHED_CHAINS) -> None:
        roots = list(roots)
        if not roots:
            raise TrustStoreError("the trust store is empty")
        self._store = Store(roots)
        self._fetcher = fetcher
        self._name = x509.DNSName(signing_name)
        self._max_entries = max_entries
        self._entries: dict[str, TrustedChain] = {}
        self._download_lock = threading.Lock()  # one download at a time: no duplicate fetches

    def signing_key(self, url: str, now: datetime) -> RSAPublicKey:
        """The validated signing key for ``url``, downloading the chain only when not cached."""
        entry = self._entries.get(url)
        if entry is not None and now < entry.expires:
            return entry.public_key
        with self._download_lock:
            entry = self._entries.get(url)  # another thread may have downloaded it meanwhile
            if entry is None or now >= entry.expires:
                self._entries.pop(url, None)
                entry = self._validate(self._download(url), now)
                self._remember(url, entry)
        return entry.public_key

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
        if len(self._entries) >= self._max_entries:
            self._entries.pop(min(self._entries, key=lambda u: self._entries[u].expires))
        self._entries[url] = entry
        log.info("trusted the Alexa signing chain at %s until %s", url, entry.expires.isoformat())
