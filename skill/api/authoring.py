"""Helpers for plugins that keep their intents, slot types and content as JSON files beside their code."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path


def load_json_list(path: str | Path) -> list[dict]:
    """A JSON file holding a list of definitions (intents or slot types)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def register_intents_from(register: Callable, path: str | Path, handlers: dict[str, Callable]) -> None:
    """Inside ``register_intents``: every intent in the JSON list, each with the handler of its name."""
    for definition in load_json_list(path):
        handler = handlers.get(definition.get("name", ""))
        if handler is None:
            raise KeyError(f"{path}: intent {definition.get('name')!r} has no handler")
        register(definition, handler)


def register_slot_types_from(register: Callable, path: str | Path) -> None:
    """Inside ``register_slot_types``: every slot type in the JSON list."""
    for definition in load_json_list(path):
        register(definition)


def register_exercises_and_routines(register: Callable, folder: str | Path) -> None:
    """Inside ``register_content``: ``folder/exercises`` and ``folder/routines`` (the core's kinds)."""
    register("exercise", Path(folder) / "exercises")
    register("routine", Path(folder) / "routines")


def plugin_dir(module_file: str) -> Path:
    """The folder of a plugin module (pass ``__file__``), for finding its packaged content."""
    return Path(module_file).resolve().parent
