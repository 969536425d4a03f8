"""``stride-coach package``: the ASK CLI skill package, for a Lambda ARN and for an HTTPS endpoint."""

from __future__ import annotations

import json

import pytest

from skill.cli.common import models_dir
from skill.cli.main import main
from skill.manifest import load_texts
from skill.manifest.checks import DISCLAIMER_PHRASES
from skill.manifest.phrases import example_phrase_problem
from skill.voice.model import LOCALES, model_path

ARN = "arn:aws:lambda:eu-west-1:123456789012:function:stride-coach"
URL = "https://coach.example.org/alexa"
PRIVACY = "https://coach.example.org/privacy"
ENV = ("STRIDE_COACH_ENDPOINT", "STRIDE_COACH_PRIVACY_URL", "STRIDE_COACH_SMALL_ICON_URI",
       "STRIDE_COACH_LARGE_ICON_URI", "STRIDE_COACH_MODELS_DIR")


@pytest.fixture(autouse=True)
def _no_deployment_config(monkeypatch):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


def package(tmp_path, *args: str) -> dict:
    assert main(["package", "--out", str(tmp_path), *args]) == 0
    return json.loads((tmp_path / "skill-package" / "skill.json").read_text())["manifest"]


def test_lambda_package(tmp_path, capsys):
    manifest = package(tmp_path, "--endpoint", ARN, "--privacy-url", PRIVACY)
    assert manifest["apis"]["custom"]["endpoint"] == {"uri": ARN}
    assert "ask deploy" in capsys.readouterr().out


def test_https_package_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("STRIDE_COACH_ENDPOINT", URL)
    monkeypatch.setenv("STRIDE_COACH_PRIVACY_URL", PRIVACY)
    manifest = package(tmp_path)
    assert manifest["apis"]["custom"]["endpoint"] == {"uri": URL, "sslCertificateType": "Trusted"}


def test_the_manifest_has_everything_certification_needs(tmp_path):
    manifest = package(tmp_path, "--endpoint", URL, "--privacy-url", PRIVACY)
    assert manifest["manifestVersion"] == "1.0"
    publishing = manifest["publishingInformation"]
    assert publishing["category"] == "HEALTH_AND_FITNESS"
    assert publishing["isAvailableWorldwide"] is False
    assert publishing["distributionCountries"] == ["US", "GB", "AU", "CA", "IN"]
    assert list(publishing["locales"]) == list(LOCALES)
    assert manifest["privacyAndCompliance"] == {
        "allowsPurchases": False, "usesPersonalInfo": False, "isChildDirected": False, "isExportCompliant": True,
        "containsAds": False, "locales": {locale: {"privacyPolicyUrl": PRIVACY} for locale in LOCALES}}
    for locale, text in publishing["locales"].items():
        assert text["name"] == "Stride Coach"
        assert "\n" not in text["summary"] and text["description"]
        for field in ("summary", "description"):
            for phrase in DISCLAIMER_PHRASES:
                assert phrase in text[field].lower(), (locale, field, phrase)
        assert text["keywords"]
        assert "smallIconUri" not in text
        model = json.loads(model_path(models_dir(), locale).read_text())
        assert len(text["examplePhrases"]) == 3
        assert [example_phrase_problem(p, model) for p in text["examplePhrases"]] == [None] * 3


def test_the_example_phrases_come_from_the_template(tmp_path):
    manifest = package(tmp_path, "--endpoint", ARN, "--privacy-url", PRIVACY)
    phrases = manifest["publishingInformation"]["locales"]["en-GB"]["examplePhrases"]
    assert phrases == load_texts()["en"]["examplePhrases"]


def test_the_interaction_models_are_the_committed_ones(tmp_path):
    package(tmp_path, "--endpoint", ARN, "--privacy-url", PRIVACY)
    custom = tmp_path / "skill-package" / "interactionModels" / "custom"
    assert sorted(p.name for p in custom.iterdir()) == sorted(f"{locale}.json" for locale in LOCALES)
    for locale in LOCALES:
        assert (custom / f"{locale}.json").read_bytes() == model_path(models_dir(), locale).read_bytes()


def test_ask_cli_project_file_is_written_once(tmp_path):
    package(tmp_path, "--endpoint", ARN, "--privacy-url", PRIVACY)
    resources = tmp_path / "ask-resources.json"
    assert json.loads(resources.read_text())["profiles"]["default"]["skillMetadata"] == {"src": "./skill-package"}
    resources.write_text('{"mine": true}\n')
    stale = tmp_path / "skill-package" / "interactionModels" / "custom" / "de-DE.json"
    stale.write_text("{}")
    package(tmp_path, "--endpoint", ARN, "--privacy-url", PRIVACY)
    assert resources.read_text() == '{"mine": true}\n'
    assert not stale.exists()


def test_icons_are_optional_but_come_in_pairs(tmp_path, capsys):
    manifest = package(tmp_path, "--endpoint", ARN, "--privacy-url", PRIVACY,
                       "--small-icon-uri", "https://x.example/s.png", "--large-icon-uri", "https://x.example/l.png")
    assert manifest["publishingInformation"]["locales"]["en-AU"]["largeIconUri"] == "https://x.example/l.png"
    assert main(["package", "--out", str(tmp_path), "--endpoint", ARN, "--privacy-url", PRIVACY,
                 "--small-icon-uri", "https://x.example/s.png"]) == 2
    assert "give both the small and the large icon URI" in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [
    ([], "no endpoint: pass --endpoint ARN_OR_URL or set STRIDE_COACH_ENDPOINT"),
    (["--privacy-url", PRIVACY], "no endpoint"),
    (["--endpoint", ARN], "no privacy policy URL: pass --privacy-url URL or set STRIDE_COACH_PRIVACY_URL"),
    (["--endpoint", "http://coach.example.org/alexa", "--privacy-url", PRIVACY],
     "must be a Lambda function ARN or an https:// URL"),
    (["--endpoint", "https://coach.example.org:8443/alexa", "--privacy-url", PRIVACY], "on port 443"),
    (["--endpoint", "arn:aws:lambda:eu-west-1:1234:function:x", "--privacy-url", PRIVACY],
     "is not a Lambda function ARN"),
    (["--endpoint", ARN, "--privacy-url", "http://coach.example.org/privacy"], "must be an https:// URL"),
])
def test_refuses_to_package_without_a_usable_endpoint_and_privacy_url(tmp_path, capsys, args, message):
    assert main(["package", "--out", str(tmp_path / "out"), *args]) == 2
    err = capsys.readouterr().err
    assert "refusing to package" in err and message in err
    assert not (tmp_path / "out").exists()


def test_refuses_to_package_stale_models(tmp_path, capsys):
    stale = tmp_path / "models"
    stale.mkdir()
    for locale in LOCALES:
        model_path(stale, locale).write_text(model_path(models_dir(), locale).read_text())
    model_path(stale, "en-CA").write_text(model_path(stale, "en-CA").read_text().replace('"skip"', '"skip it now"', 1))
    assert main(["package", "--out", str(tmp_path / "out"), "--endpoint", ARN, "--privacy-url", PRIVACY,
                 "--models-dir", str(stale)]) == 1
    err = capsys.readouterr().err
    assert "en-CA.json: /: differs from the model generated from the plugins" in err
    assert not (tmp_path / "out").exists()
