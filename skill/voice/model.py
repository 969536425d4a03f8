"""Build each English locale's interaction model from what the loaded plugins contribute.

Alexa keeps one model per locale (there is no shared "English" model), so every locale in
:data:`LOCALES` gets its own file, ``interaction_models/<locale>.json``. An intent's samples are
its plain ``samples`` and its expanded ``templates`` (see :mod:`skill.voice.templates`), the
shared ``en`` ones and then the locale's own. A slot with ``samples`` of its own is a slot the
skill asks for: its samples go on the slot, and the ``dialog`` section declares it, so Alexa
hears a bare answer ("legs") only after ``Dialog.ElicitSlot`` asks for that slot. An intent with
``"confirm": true`` is declared too, for ``Dialog.ConfirmIntent``.

The output is deterministic (intents and slot types sorted by name, samples in declared order)
so ``stride-coach models --check`` can compare it byte for byte with the committed files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from skill.host.host import PluginHost
from skill.voice.builtin_intents import BUILTIN_PHRASES, EXTRA_SAMPLES
from skill.voice.templates import expand_all

INVOCATION_NAME = "stride coach"
DEFAULT_LOCALE = "en-US"
# The English locales the skill is published in. Their order is the order of the manifest's
# distributionCountries; the first is the fallback for any other locale.
LOCALES = ("en-US", "en-GB", "en-AU", "en-CA", "en-IN")
# Per intent, in the model: a project cap (Alexa's own per-intent limit is not documented).
MAX_SAMPLES_PER_INTENT = 150
MAX_SLOT_SAMPLES = 80


@dataclass
class BuildNotes:
    """What building a model left out to stay within the caps: (intent or intent.slot, how many)."""

    left_out: list[tuple[str, int]] = field(default_factory=list)


def model_locale(locale: str | None) -> str:
    """The locale whose model, language and units serve a request made in ``locale``.

    Alexa only sends the locales a skill is published in, but simulators, tests and future
    locales can send others; those are answered as en-US rather than refused.
    """
    return locale if locale in LOCALES else DEFAULT_LOCALE


def _for_locale(lists: dict, locale: str) -> list[str]:
    return list(lists.get("en", [])) + list(lists.get(locale, []))


def samples_for(definition: dict, locale: str, notes: BuildNotes | None = None) -> list[str]:
    """Samples for ``locale``: the plain ones, then the expanded templates, without duplicates."""
    slots = [s["name"] for s in definition.get("slots", [])]
    plain = _for_locale(definition.get("samples", {}), locale)
    room = max(0, MAX_SAMPLES_PER_INTENT - len(plain))
    expansion = expand_all(_for_locale(definition.get("templates", {}), locale), slots, cap=room)
    if notes is not None and expansion.left_out:
        notes.left_out.append((definition["name"], expansion.left_out))
    return list(dict.fromkeys(plain + expansion.samples))


def slot_samples(definition: dict, slot: dict, notes: BuildNotes | None = None) -> list[str]:
    """The samples of a slot the skill asks for (templates, expanded); they must contain the slot."""
    names = [s["name"] for s in definition.get("slots", [])]
    expansion = expand_all(slot.get("samples", []), names, cap=MAX_SLOT_SAMPLES)
    if notes is not None and expansion.left_out:
        notes.left_out.append((f"{definition['name']}.{slot['name']}", expansion.left_out))
    return [s for s in expansion.samples if "{" + slot["name"] + "}" in s]


def _dialog_intent(definition: dict) -> dict | None:
    asked = [s for s in definition.get("slots", []) if s.get("samples")]
    if not asked and not definition.get("confirm"):
        return None
    return {
        "name": definition["name"],
        "confirmationRequired": False,
        "prompts": {},
        "slots": [{"name": s["name"], "type": s["type"], "confirmationRequired": False,
                   "elicitationRequired": False, "prompts": {}} for s in definition.get("slots", [])],
    }


def build_model(host: PluginHost, locale: str = DEFAULT_LOCALE, notes: BuildNotes | None = None) -> dict:
    """The interaction model for ``locale`` (an unknown locale gets the en-US model)."""
    locale = model_locale(locale)
    intents = [{"name": name, "samples": list(EXTRA_SAMPLES.get(name, []))} for name in sorted(BUILTIN_PHRASES)]
    dialog_intents = []
    for name in sorted(host.intents):
        definition = host.intents[name].definition
        intent: dict = {"name": name, "samples": samples_for(definition, locale, notes)}
        if definition.get("slots"):
            intent["slots"] = []
            for slot in definition["slots"]:
                entry = {"name": slot["name"], "type": slot["type"]}
                if slot.get("samples"):
                    entry["samples"] = slot_samples(definition, slot, notes)
                intent["slots"].append(entry)
        intents.append(intent)
        dialog = _dialog_intent(definition)
        if dialog is not None:
            dialog_intents.append(dialog)
    types = [host.slot_types[name][1] for name in sorted(host.slot_types)]
    model: dict = {
        "interactionModel": {
            "languageModel": {
                "invocationName": INVOCATION_NAME,
                "intents": intents,
                "types": types,
                "modelConfiguration": {"fallbackIntentSensitivity": {"level": "LOW"}},
            }
        }
    }
    if dialog_intents:
        model["interactionModel"]["dialog"] = {"delegationStrategy": "SKILL_RESPONSE", "intents": dialog_intents}
    return model


def dialog_slots(model: dict) -> set[tuple[str, str]]:
    """(intent, slot) pairs the model lets the skill ask for with ``Dialog.ElicitSlot``."""
    declared = {(i["name"], s["name"]) for i in model["interactionModel"].get("dialog", {}).get("intents", [])
                for s in i.get("slots", [])}
    with_samples = {(i["name"], s["name"]) for i in model["interactionModel"]["languageModel"]["intents"]
                    for s in i.get("slots", []) if s.get("samples")}
    return declared & with_samples


def model_text(model: dict) -> str:
    """The exact text written to (and compared with) a model file."""
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


def model_path(directory: Path, locale: str) -> Path:
    return Path(directory) / f"{locale}.json"
