"""Build each English locale's interaction model from what the loaded plugins contribute.

Alexa keeps one model per locale (there is no shared "English" model), so every locale in
:data:`LOCALES` gets its own file, ``interaction_models/<locale>.json``: each intent's shared
``en`` samples plus that locale's own (``en-GB`` samples appear only in the en-GB model). The
output is deterministic (intents and slot types sorted by name, samples in declared order) so
``stride-coach models --check`` can compare it byte for byte with the committed files.
"""

from __future__ import annotations

import json
from pathlib import Path

from skill.host.host import PluginHost
from skill.voice.builtin_intents import BUILTIN_PHRASES, EXTRA_SAMPLES

INVOCATION_NAME = "stride coach"
DEFAULT_LOCALE = "en-US"
# The English locales the skill is published in. Their order is the order of the manifest's
# distributionCountries; the first is the fallback for any other locale.
LOCALES = ("en-US", "en-GB", "en-AU", "en-CA", "en-IN")


def model_locale(locale: str | None) -> str:
    """The locale whose model, language and units serve a request made in ``locale``.

    Alexa only sends the locales a skill is published in, but simulators, tests and future
    locales can send others; those are answered as en-US rather than refused.
    """
    return locale if locale in LOCALES else DEFAULT_LOCALE


def samples_for(definition: dict, locale: str) -> list[str]:
    """Samples for ``locale``: the shared ``en`` ones plus the locale's own, without duplicates."""
    samples = definition.get("samples", {})
    merged = list(samples.get("en", [])) + list(samples.get(locale, []))
    return list(dict.fromkeys(merged))


def build_model(host: PluginHost, locale: str = DEFAULT_LOCALE) -> dict:
    """The interaction model for ``locale`` (an unknown locale gets the en-US model)."""
    locale = model_locale(locale)
    intents = [{"name": name, "samples": list(EXTRA_SAMPLES.get(name, []))} for name in sorted(BUILTIN_PHRASES)]
    for name in sorted(host.intents):
        definition = host.intents[name].definition
        intent: dict = {"name": name, "samples": samples_for(definition, locale)}
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
    """The exact text written to (and compared with) a model file."""
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


def model_path(directory: Path, locale: str) -> Path:
    return Path(directory) / f"{locale}.json"
