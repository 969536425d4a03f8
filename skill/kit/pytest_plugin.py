"""The Stride Coach test kit: a pytest plugin for the project's tests and for plugin authors.

Installed with ``stride-coach`` (entry point ``pytest11``), it provides fixtures:

* ``stride_coach_plugins``: override it to name the plugins under test, as entry-point names
  (``["foam_roll"]``) or ``(name, module_or_object)`` pairs. Default: none.
* ``stride_skill``: a :class:`~skill.pipeline.app.SkillApp` with the core, the built-in plugins and the
  plugins under test (nothing else installed is loaded), strict mode on, and a fresh SQLite store.
* ``new_user``: makes users of that skill; ``alexa``: one new user, an :class:`~skill.kit.simulator.AlexaSimulator`:
  ``alexa.launch()``, ``alexa.say("stretch my hip flexors")``, ``alexa.intent("AMAZON.PauseIntent", after=12)``;
  every response is checked against Alexa's rules (:func:`check_response`) before it is returned.
* ``stride_coach_safety_gate``: override it to return True to run the ``before_coaching`` gates
  (the back check's safety screen and weekly ratings) in front of every session, as in the
  skill. Default False: a plugin's own tests start its sessions straight away, and the safety
  gate has its own tests in the project.
* ``fake_alexa_api``: a local fake of Alexa's Reminders and Settings APIs on loopback; point a
  simulated device at it with ``alexa.device.api_endpoint = fake_alexa_api.endpoint``.
* ``validate_plugin``: ``validate_plugin("foam_roll")`` returns every problem with that plugin
  (load errors, content, intents in the generated models).
* ``plugin_distribution``: ``plugin_distribution("stride-coach-demo", {"demo": "demo_module"},
  source=folder)`` makes plugin modules in ``folder`` discoverable through real entry points for
  one test, without ``pip install`` (see :func:`write_distribution`).

Its helpers live in :mod:`skill.kit` (imported only when a fixture or a test uses them, so that
pytest starts as fast as before in any environment where Stride Coach is installed):
:func:`block_silence_seconds` (the silence a plan block must play: holds, tempo and
rests), :func:`check_response` and :func:`response_problems` (Alexa's rules for one response).

A simulated user listens: unless a request says ``after=N`` (seconds after the previous response
started playing), it arrives when the previous response has finished playing, as on a device.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from skill.kit.fake_alexa_api import FakeAlexaApi
    from skill.kit.simulator import AlexaSimulator
    from skill.pipeline.app import SkillApp

_users = itertools.count(1)


# -- fixtures ---------------------------------------------------------------------------------
@pytest.fixture
def stride_coach_plugins() -> list:
    """Override to add the plugins under test (entry-point names or (name, object) pairs)."""
    return []


@pytest.fixture
def stride_coach_safety_gate() -> bool:
    """Override to return True to put the safety gate (``before_coaching``) in front of every session."""
    return False


@pytest.fixture
def stride_skill(tmp_path: Path, stride_coach_plugins: list, stride_coach_safety_gate: bool,
                 monkeypatch: pytest.MonkeyPatch) -> SkillApp:
    from skill.kit.simulator import make_skill, without_safety_gate

    if not stride_coach_safety_gate:
        without_safety_gate(monkeypatch)
    return make_skill(tmp_path / "stride-coach.db", stride_coach_plugins)


@pytest.fixture
def alexa(new_user: Callable[[], AlexaSimulator]) -> AlexaSimulator:
    """A new user of ``stride_skill``, with nothing stored."""
    return new_user()


@pytest.fixture
def new_user(stride_skill: SkillApp) -> Callable[[], AlexaSimulator]:
    """Makes new users of ``stride_skill`` (each with its own user id and nothing stored)."""
    from skill.kit.simulator import AlexaSimulator

    return lambda: AlexaSimulator(stride_skill, user_id=f"amzn1.ask.account.TEST-USER-{next(_users)}")


@pytest.fixture
def fake_alexa_api() -> Iterator[FakeAlexaApi]:
    """A local fake of Alexa's Reminders and Settings APIs on loopback (:mod:`skill.kit.fake_alexa_api`)."""
    from skill.kit.fake_alexa_api import FakeAlexaApi

    api = FakeAlexaApi().start()
    yield api
    api.stop()


@pytest.fixture
def validate_plugin(stride_coach_plugins: list) -> Callable[[str], list[str]]:
    def validate(name: str) -> list[str]:
        from skill.kit.simulator import make_host
        from skill.voice.validation import plugin_problems

        return plugin_problems(make_host(stride_coach_plugins, strict=False), name)

    return validate


@pytest.fixture
def plugin_distribution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Path]]:
    """``plugin_distribution(name, {entry_point: module}, source=folder)`` for this test only.

    The distribution's metadata goes on ``sys.path`` together with ``source`` (the folder the
    plugin modules are imported from); both are removed afterwards, and so are the modules
    imported from ``source``, so every test imports its plugins afresh.
    """
    sources: list[Path] = []

    def install(name: str, entry_points: dict[str, str], *, source: str | Path | None = None,
                version: str = "0.1.0") -> Path:
        folder = tmp_path / "site-packages"
        from skill.kit.simulator import write_distribution

        write_distribution(folder, name, entry_points, version)
        if str(folder) not in sys.path:
            monkeypatch.syspath_prepend(str(folder))
        if source is not None:
            sources.append(Path(source).resolve())
            monkeypatch.syspath_prepend(str(source))
        return folder

    yield install
    for module_name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if file and any(Path(file).resolve().is_relative_to(src) for src in sources):
            del sys.modules[module_name]


