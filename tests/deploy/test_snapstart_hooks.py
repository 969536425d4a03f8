"""SnapStart: the skill is built before the snapshot and each restored copy reconnects and reseeds."""

from __future__ import annotations

import importlib
import random
import sys
import types

from skill.pipeline import app


class FakeAdapter:
    def __init__(self) -> None:
        self.clients_made = 0
        self.reconnected = 0
        self._client = None

    @property
    def client(self):
        if self._client is None:
            self.clients_made += 1
            self._client = object()
        return self._client

    def reconnect(self) -> None:
        self.reconnected += 1
        self._client = None


def test_snapstart_initialisation_builds_the_skill_and_registers_a_restore_hook(monkeypatch):
    hooks = []
    monkeypatch.setitem(sys.modules, "snapshot_restore_py",
                        types.SimpleNamespace(register_after_restore=hooks.append))
    monkeypatch.setenv("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start")
    adapter = FakeAdapter()
    built = types.SimpleNamespace(adapter=adapter)
    monkeypatch.setattr(app, "get_app", lambda: built)
    sys.modules.pop("skill.lambda_function", None)
    module = importlib.import_module("skill.lambda_function")
    try:
        assert adapter.clients_made == 1, "the store client is made before the snapshot"
        assert hooks == [module.after_restore]
        state = random.getstate()
        hooks[0]()
        assert adapter.reconnected == 1 and random.getstate() != state
    finally:
        sys.modules.pop("skill.lambda_function", None)
