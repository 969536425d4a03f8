"""Stride Coach: the skill core (Alexa, time, speech, persistence) and the plugin API.

Everything a plugin may use is exported here, and only here (``__all__``); the built-in plugins
import nothing else from ``skill``. ``docs/plugins.md`` lists it on one page::

    from skill import Offer, Reply, Speech, Turn, hookimpl, plan_from_routine
"""

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
from skill.engine.plan import Block, Plan
from skill.engine.player import plan_minutes
from skill.hookspecs import hookimpl
from skill.host.content import ContentLibrary
from skill.speech.builder import Speech

__version__ = "0.1.0"
__all__ = [
    "Block",
    "ContentLibrary",
    "Offer",
    "Plan",
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
