"""A throwaway PKI and request signer standing in for Amazon's, for the web tests and the benchmark.

Alexa signs each request with a certificate for ``echo-api.amazon.com`` and publishes the chain at
an ``https://s3.amazonaws.com/echo.api/...`` URL. Tests cannot use Amazon's key, so this module
generates a root CA, an intermediate CA and a signing certificate shaped like Amazon's, plus a
fetcher that serves the chain from memory, so that no test leaves the machine.

The web-PKI policy of ``cryptography.x509.verification`` (checked with cryptography 50) insists on:
RSA keys of 2048 bits or more; on CAs, a critical basicConstraints with ``ca=True`` and keyUsage
with keyCertSign; on the leaf, an authorityKeyIdentifier and a subjectAltName with the name asked
for, and serverAuth if it has an extendedKeyUsage. The rest mirrors Amazon's certificate.
"""

from __future__ import annotations

import base64
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CHAIN_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-test.pem"
ALEXA_NAME = "echo-api.amazon.com"
KEY_SIZE = 2048  # the web-PKI policy refuses RSA keys under 2048 bits


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Stride Coach Test PKI"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


@dataclass
class Authority:
    """A CA: its key and certificate, able to issue CA and end-entity certificates."""

    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    @classmethod
    def root(cls, name: str = "Test Root CA", now: datetime | None = None) -> Authority:
        now = now or datetime.now(UTC)
        key = _key()
        subject = _name(name)
        builder = _ca_builder(subject, subject, key.public_key(), now - timedelta(days=1), now + timedelta(days=3650))
        builder = builder.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()),
                                        critical=False)
        return cls(key, builder.sign(key, hashes.SHA256()))

    def intermediate(self, name: str = "Test Intermediate CA", now: datetime | None = None) -> Authority:
        now = now or datetime.now(UTC)
        key = _key()
        builder = _ca_builder(_name(name), self.cert.subject, key.public_key(), now - timedelta(days=1),
                              now + timedelta(days=1825))
        builder = builder.add_extension(self._aki(), critical=False)
        return Authority(key, builder.sign(self.key, hashes.SHA256()))

    def leaf(self, key: rsa.RSAPrivateKey, dns_name: str = ALEXA_NAME, *, not_before: datetime | None = None,
             not_after: datetime | None = None) -> x509.Certificate:
        """A signing certificate like Amazon's: SAN, serverAuth, digitalSignature, not a CA."""
        now = datetime.now(UTC)
        not_before = not_before or now - timedelta(hours=1)
        not_after = not_after or now + timedelta(days=365)
        return (
            x509.CertificateBuilder()
            .subject_name(_name(dns_name)).issuer_name(self.cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(not_before).not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=True, content_commitment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
                           critical=False)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(dns_name)]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(self._aki(), critical=False)
            .sign(self.key, hashes.SHA256())
        )

    def _aki(self) -> x509.AuthorityKeyIdentifier:
        ski = self.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        return x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski)


def _ca_builder(subject: x509.Name, issuer: x509.Name, public_key, not_before: datetime,
                not_after: datetime) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject).issuer_name(issuer).public_key(public_key)
        .serial_number(x509.random_serial_number()).not_valid_before(not_before).not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                     content_commitment=False, key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def pem(*certs: x509.Certificate) -> bytes:
    return b"".join(cert.public_bytes(serialization.Encoding.PEM) for cert in certs)


@dataclass
class Signer:
    """Signs request bodies as Alexa does, with one key whose chain is published at ``url``."""

    key: rsa.RSAPrivateKey
    chain: list[x509.Certificate]  # leaf first, then intermediates
    url: str = CHAIN_URL

    @property
    def leaf(self) -> x509.Certificate:
        return self.chain[0]

    @property
    def chain_pem(self) -> bytes:
        return pem(*self.chain)

    def signature(self, body: bytes) -> str:
        return base64.b64encode(self.key.sign(body, padding.PKCS1v15(), hashes.SHA256())).decode("ascii")

    def headers(self, body: bytes, url: str | None = None) -> dict[str, str]:
        """The two headers Alexa adds to every request."""
        return {"SignatureCertChainUrl": url or self.url, "Signature-256": self.signature(body)}


@dataclass
class FakeFetcher:
    """Serves PEM chains by URL from memory and counts downloads (the cache tests read ``calls``)."""

    chains: dict[str, bytes] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, url: str) -> bytes:
        with self._lock:
            self.calls.append(url)
        try:
            return self.chains[url]
        except KeyError:
            raise OSError(f"404 for {url}") from None


class TestPKI:
    """A root and intermediate CA with a valid Alexa-like signer; makes broken signers on demand."""

    __test__ = False  # not a pytest test class

    def __init__(self) -> None:
        self.root = Authority.root()
        self.intermediate = self.root.intermediate()
        self.signing_key = _key()
        self.signer = self.signer_for(self.intermediate.leaf(self.signing_key))

    @property
    def roots(self) -> list[x509.Certificate]:
        return [self.root.cert]

    def signer_for(self, leaf: x509.Certificate, url: str = CHAIN_URL,
                   key: rsa.RSAPrivateKey | None = None) -> Signer:
        """A signer whose chain is ``leaf`` then the intermediate (so its key must be ``signing_key``)."""
        return Signer(key or self.signing_key, [leaf, self.intermediate.cert], url)

    def fetcher(self, *signers: Signer) -> FakeFetcher:
        """A fetcher publishing the main signer's chain and those of ``signers``."""
        chains = {self.signer.url: self.signer.chain_pem}
        chains.update({s.url: s.chain_pem for s in signers})
        return FakeFetcher(chains)
