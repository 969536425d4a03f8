"""The developer kit: a simulated Alexa device and user, Alexa's rules for a response, and the pytest
plugin (``skill.kit.pytest_plugin``) with the fixtures for the project's tests and plugin authors.

Names are imported on first use, so that loading the pytest plugin costs almost nothing.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "AlexaSimulator": "skill.kit.simulator", "Answer": "skill.kit.simulator",
    "block_silence_seconds": "skill.kit.simulator", "builtin_plugin_names": "skill.kit.simulator",
    "check_response": "skill.kit.simulator", "dump": "skill.kit.simulator",
    "listen_to_the_end": "skill.kit.simulator", "make_host": "skill.kit.simulator",
    "make_skill": "skill.kit.simulator", "response_problems": "skill.kit.simulator",
    "write_distribution": "skill.kit.simulator", "SimulatedDevice": "skill.kit.device",
    "plugin_problems": "skill.voice.validation",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'skill.kit' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
