"""Stride Coach: the skill core (Alexa, time, speech, persistence) and the plugin API.

Everything a plugin may use is exported here, and only here (``__all__``); the built-in plugins
import nothing else from ``skill``. ``docs/plugins.md`` lists it on one page::

    from skill import Offer, Reply, Speech, Turn, hookimpl, plan_from_routine
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from skill.api.authoring import (
        load_json_list,
        plugin_dir,
        register_exercises_and_routines,
        register_intents_from,
        register_slot_types_from,
    )
    from skill.api.reply import Offer, Reply
    from skill.api.routines import exercise_block, plan_from_routine
    from skill.api.turn import Turn
    from skill.engine.plan import Block, Plan, Playing
    from skill.engine.player import plan_minutes
    from skill.hookspecs import hookimpl
    from skill.host.content import ContentLibrary
    from skill.speech.builder import Speech

# Each name is imported on first use, so that importing ``skill`` (the test kit's pytest plugin
# does, in any environment where Stride Coach is installed) loads nothing it does not need.
_EXPORTS = {
    "load_json_list": "skill.api.authoring", "plugin_dir": "skill.api.authoring",
    "register_exercises_and_routines": "skill.api.authoring", "register_intents_from": "skill.api.authoring",
    "register_slot_types_from": "skill.api.authoring", "Offer": "skill.api.reply", "Reply": "skill.api.reply",
    "exercise_block": "skill.api.routines", "plan_from_routine": "skill.api.routines", "Turn": "skill.api.turn",
    "Block": "skill.engine.plan", "Plan": "skill.engine.plan", "Playing": "skill.engine.plan",
    "plan_minutes": "skill.engine.player",
    "hookimpl": "skill.hookspecs", "ContentLibrary": "skill.host.content", "Speech": "skill.speech.builder",
}


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'skill' has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


__version__ = "0.1.0"
__all__ = [
    "Block",
    "ContentLibrary",
    "Offer",
    "Plan",
    "Playing",
    "Reply",
    "Speech",
    "Turn",
    "__version__",
    "exercise_block",
    "hookimpl",
    "load_json_list",
    "plan_from_routine",
    "plan_minutes",
    "plugin_dir",
    "register_exercises_and_routines",
    "register_intents_from",
    "register_slot_types_from",
]
