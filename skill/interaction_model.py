"""Build the interaction model for a locale from what the loaded plugins contribute."""

from __future__ import annotations

import json
from pathlib import Path

from .builtin_intents import BUILTIN_PHRASES, EXTRA_SAMPLES
from .plugins import PluginHost

INVOCATION_NAME = "stride coach"
LOCALES = ("en-US",)


def samples_for(definition: dict, locale: str) -> list[str]:
    """Samples for ``locale``: the shared ``en`` ones plus the locale's own, without duplicates."""
    samples = definition.get("samples", {})
    merged = list(samples.get("en", [])) + list(samples.get(locale, []))
    return list(dict.fromkeys(merged))


def build_model(host: PluginHost, locale: str = "en-US") -> dict:
    intents = [{"name": name, "samples": list(EXTRA_SAMPLES.get(name, []))} for name in sorted(BUILTIN_PHRASES)]
    for name in sorted(host.intents):
        definition = host.intents[name].definition
        intent = {"name": name, "samples": samples_for(definition, locale)}
        if definition.get("slots"):
            intent["slots"] = [{"name": s["name"], "type": s["type"]} for s in definition["slots"]]
        intents.append(intent)
    types = [host.slot_types[name][1] for name in sorted(host.slot_types)]
    return {
        "interactionModel": {
            "languageModel": {
                "invocationName": INVOCATION_NAME,
                "intents": intents,
                "types": types,
                "modelConfiguration": {"fallbackIntentSensitivity": {"level": "LOW"}},
            }
        }
    }


def model_text(model: dict) -> str:
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


def model_path(directory: Path, locale: str) -> Path:
    return directory / f"{locale}.json"
