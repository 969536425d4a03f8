"""The skill manifest (``skill.json``): a template plus per-locale publishing text, filled in per deployment.

Why a template rather than a committed ``skill.json``: the endpoint and the privacy policy URL
belong to a deployment and must never be guessed, and the example phrases have to stay in step
with the interaction models (``stride-coach validate`` checks them on every run).

* ``skill.json`` (this folder): everything that depends on neither the locale nor the deployment.
* ``locales.json`` (this folder): the publishing text. ``en`` applies to every English locale; a
  locale's own key replaces whole fields (``{"en-GB": {"examplePhrases": [...]}}``).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from skill.voice.model import LOCALES

TEMPLATE_DIR = Path(__file__).resolve().parent
SKELETON_FILE = TEMPLATE_DIR / "skill.json"
LOCALES_FILE = TEMPLATE_DIR / "locales.json"
SHARED_KEY = "en"
TEXT_FIELDS = ("name", "summary", "description", "examplePhrases", "keywords")

ENDPOINT_ENV = "STRIDE_COACH_ENDPOINT"
PRIVACY_URL_ENV = "STRIDE_COACH_PRIVACY_URL"
SMALL_ICON_ENV = "STRIDE_COACH_SMALL_ICON_URI"
LARGE_ICON_ENV = "STRIDE_COACH_LARGE_ICON_URI"

LAMBDA_ARN = re.compile(r"arn:aws(?:-[a-z]+)*:lambda:(?P<region>[a-z]{2}(?:-[a-z]+)+-\d):\d{12}:function:"
                        r"[A-Za-z0-9_-]{1,64}(?::[A-Za-z0-9_$-]{1,128})?")
# Regions where Lambda offers the Alexa Skills Kit trigger (UNCONFIRMED, from memory): a function
# elsewhere cannot be the skill's endpoint, so the package command warns.
ALEXA_LAMBDA_REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1")


class ConfigError(ValueError):
    """Configuration the manifest cannot be built from (``stride-coach package`` exits 2)."""


@dataclass(frozen=True)
class Deployment:
    """Where this deployment of the skill lives: its endpoint, privacy policy and (optional) icons."""

    endpoint: str
    privacy_url: str
    small_icon_uri: str | None = None
    large_icon_uri: str | None = None

    @classmethod
    def from_config(cls, endpoint: str | None = None, privacy_url: str | None = None, small_icon_uri: str | None = None,
                    large_icon_uri: str | None = None, environ: Mapping[str, str] = os.environ) -> Deployment:
        """Arguments first, then the environment; raises :class:`ConfigError` naming everything missing or wrong."""
        endpoint = endpoint or environ.get(ENDPOINT_ENV) or ""
        privacy_url = privacy_url or environ.get(PRIVACY_URL_ENV) or ""
        small = small_icon_uri or environ.get(SMALL_ICON_ENV) or None
        large = large_icon_uri or environ.get(LARGE_ICON_ENV) or None
        errors = []
        if not endpoint:
            errors.append(f"no endpoint: pass --endpoint ARN_OR_URL or set {ENDPOINT_ENV}")
        else:
            try:
                endpoint_object(endpoint)
            except ConfigError as exc:
                errors.append(str(exc))
        if not privacy_url:
            errors.append(f"no privacy policy URL: pass --privacy-url URL or set {PRIVACY_URL_ENV}")
        elif not is_https_url(privacy_url):
            errors.append(f"the privacy policy URL {privacy_url!r} must be an https:// URL")
        if bool(small) != bool(large):
            errors.append("icons: give both the small and the large icon URI, or neither")
        for icon in filter(None, (small, large)):
            if not is_https_url(icon):
                errors.append(f"the icon URI {icon!r} must be an https:// URL")
        if errors:
            raise ConfigError("; ".join(errors))
        return cls(endpoint, privacy_url, small, large)


def is_https_url(value: str) -> bool:
    parsed = urlparse(value)
    return parsed.scheme == "https" and bool(parsed.hostname)


def endpoint_object(endpoint: str) -> dict:
    """``apis.custom.endpoint`` for a Lambda ARN (uri only) or an HTTPS URL (uri and a trusted certificate).

    A web service must answer HTTPS on port 443 with a certificate from a trusted authority
    ("Trusted" is what certification requires; reference notes, section 5).
    """
    if LAMBDA_ARN.fullmatch(endpoint):
        return {"uri": endpoint}
    parsed = urlparse(endpoint)
    try:
        port = parsed.port
    except ValueError:
        port = -1
    if parsed.scheme == "https" and parsed.hostname and port in (None, 443):
        return {"uri": endpoint, "sslCertificateType": "Trusted"}
    if endpoint.startswith("arn:"):
        raise ConfigError(f"the endpoint {endpoint!r} is not a Lambda function ARN "
                          "(arn:aws:lambda:REGION:ACCOUNT:function:NAME[:ALIAS])")
    raise ConfigError(f"the endpoint {endpoint!r} must be a Lambda function ARN or an https:// URL on port 443")


def lambda_region(endpoint: str) -> str | None:
    match = LAMBDA_ARN.fullmatch(endpoint)
    return match.group("region") if match else None


def load_texts(path: Path = LOCALES_FILE) -> dict:
    """The per-locale publishing text as written in the template."""
    return json.loads(Path(path).read_text())


def field_source(texts: dict, locale: str, field: str) -> str:
    """The key of ``texts`` that ``field`` comes from for ``locale``: the locale's own, or ``en``."""
    return locale if field in texts.get(locale, {}) else SHARED_KEY


def locale_text(texts: dict, locale: str) -> dict:
    """The publishing text for ``locale``: ``en`` with the locale's own fields on top."""
    merged = {**texts.get(SHARED_KEY, {}), **texts.get(locale, {})}
    return {field: merged[field] for field in TEXT_FIELDS if field in merged}


def build_manifest(deployment: Deployment, texts: dict | None = None, locales: tuple[str, ...] = LOCALES) -> dict:
    """The complete ``skill.json`` for ``locales`` and ``deployment``."""
    texts = load_texts() if texts is None else texts
    document = json.loads(SKELETON_FILE.read_text())
    manifest = document["manifest"]
    publishing = manifest["publishingInformation"]
    publishing["locales"] = {}
    for locale in locales:
        entry = locale_text(texts, locale)
        if deployment.small_icon_uri:
            entry.update(smallIconUri=deployment.small_icon_uri, largeIconUri=deployment.large_icon_uri)
        publishing["locales"][locale] = entry
    publishing["distributionCountries"] = list(dict.fromkeys(locale.split("-")[1] for locale in locales))
    manifest["privacyAndCompliance"]["locales"] = {locale: {"privacyPolicyUrl": deployment.privacy_url}
                                                   for locale in locales}
    manifest["apis"]["custom"]["endpoint"] = endpoint_object(deployment.endpoint)
    return document


def manifest_text(document: dict) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
