"""Shared fixtures. The test kit itself (skill.kit.pytest_plugin) is loaded as a pytest plugin by its entry point."""

import pytest

from skill.kit.simulator import make_skill, without_safety_gate


@pytest.fixture(scope="module")
def shared_skill(tmp_path_factory):
    """One skill per test module: building it (plugins, content, store) dominates a test's time."""
    return make_skill(tmp_path_factory.mktemp("store") / "stride-coach.db")


@pytest.fixture
def stride_skill(shared_skill, tmp_path, stride_coach_plugins):
    """The kit's ``alexa`` and ``new_user`` talk to the module's shared skill, unless a module names
    plugins under test (``stride_coach_plugins``): then to a skill of its own, as the kit makes."""
    if stride_coach_plugins:
        return make_skill(tmp_path / "stride-coach.db", stride_coach_plugins)
    return shared_skill


@pytest.fixture(autouse=True)
def _safety_gate(request, monkeypatch):
    """As in the kit, the safety gate runs only where a module asks for it (``stride_coach_safety_gate``),
    however the test builds its skill: the gate's own tests are in tests/back_check."""
    if not request.getfixturevalue("stride_coach_safety_gate"):
        without_safety_gate(monkeypatch)


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
