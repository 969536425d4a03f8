"""Shared fixtures. The test kit itself (skill.testing) is loaded as a pytest plugin by its entry point."""

import itertools

import pytest

from skill.kit.pytest_plugin import AlexaSimulator, make_skill

_users = itertools.count(1)


@pytest.fixture(scope="module")
def shared_skill(tmp_path_factory):
    """One skill per test module: building it (plugins, content, store) dominates a test's time."""
    return make_skill(tmp_path_factory.mktemp("store") / "stride-coach.db")


@pytest.fixture
def new_user(shared_skill):
    """Makes fresh users of the module's shared skill, each starting with nothing stored."""
    return lambda: AlexaSimulator(shared_skill, user_id=f"amzn1.ask.account.USER-{next(_users)}")


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
    from skill.pipeline.app import reset_app

    reset_app()
