"""Shared fixtures. The test kit itself (skill.testing) is loaded as a pytest plugin by its entry point."""

import pytest


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch, tmp_path):
    # Never touch the developer's real store or plugin settings.
    monkeypatch.setenv("STRIDE_COACH_DB", str(tmp_path / "default.db"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    for name in ("STRIDE_COACH_LOAD_PLUGINS", "STRIDE_COACH_BLOCK_PLUGINS", "STRIDE_COACH_STRICT_PLUGINS",
                 "STRIDE_COACH_STORE", "STRIDE_COACH_SKILL_ID", "STRIDE_COACH_MODELS_DIR", "STRIDE_COACH_ENDPOINT",
                 "STRIDE_COACH_PRIVACY_URL", "STRIDE_COACH_SMALL_ICON_URI", "STRIDE_COACH_LARGE_ICON_URI"):
        monkeypatch.delenv(name, raising=False)
    yield
    from skill.app import reset_app

    reset_app()
