"""The manifest declares what the household features need: skill personalisation and the reminders permission."""

from __future__ import annotations

import json

from skill.cli.main import main
from skill.services.reminders import REMINDERS_SCOPE

ARN = "arn:aws:lambda:eu-west-1:123456789012:function:stride-coach"
PRIVACY = "https://coach.example.org/privacy"


def test_the_package_declares_personalisation_and_the_reminders_permission(tmp_path, monkeypatch):
    for name in ("STRIDE_COACH_ENDPOINT", "STRIDE_COACH_PRIVACY_URL", "STRIDE_COACH_MODELS_DIR"):
        monkeypatch.delenv(name, raising=False)
    assert main(["package", "--out", str(tmp_path), "--endpoint", ARN, "--privacy-url", PRIVACY]) == 0
    manifest = json.loads((tmp_path / "skill-package" / "skill.json").read_text())["manifest"]
    names = [p["name"] for p in manifest["permissions"]]
    assert REMINDERS_SCOPE in names, "the scope the skill asks for must be the one the manifest declares"
    assert "alexa::person_id:read" in names
    assert len(names) == len(set(names))
