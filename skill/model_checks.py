"""Checks on interaction models that Alexa's build and certification would make."""

from __future__ import annotations

import re
from collections import defaultdict

from .builtin_intents import BUILTIN_PHRASES

REQUIRED_BUILTINS = ("AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.FallbackIntent",
                     "AMAZON.NavigateHomeIntent")
FORBIDDEN_INVOCATION_WORDS = {"alexa", "amazon", "echo", "computer", "ask", "tell", "open", "launch", "start",
                              "begin", "enable", "load", "run", "resume", "play", "use"}
CONNECTORS = {"the", "a", "an", "for", "to", "of", "from", "by", "on", "in", "with"}


def check_model(model: dict, handled_intents: set[str], label: str) -> list[str]:
    """Problems in one locale's model; ``handled_intents`` are the intents the skill answers."""
    problems: list[str] = []
    try:
        language = model["interactionModel"]["languageModel"]
    except (KeyError, TypeError):
        return [f"{label}: /interactionModel/languageModel is missing"]
    problems += [f"{label}: /interactionModel/languageModel/invocationName: {p}"
                 for p in invocation_problems(language.get("invocationName", ""))]
    intents = language.get("intents", [])
    names = [i.get("name") for i in intents]
    types = {t["name"] for t in language.get("types", [])}
    for builtin in REQUIRED_BUILTINS:
        if builtin not in names:
            problems.append(f"{label}: required built-in intent {builtin} is missing")
    owners: dict[str, list[str]] = defaultdict(list)
    for index, intent in enumerate(intents):
        pointer = f"{label}: /interactionModel/languageModel/intents/{index}"
        name = intent.get("name", "")
        if not name.startswith("AMAZON.") and not re.fullmatch(r"[A-Za-z][A-Za-z_]*", name):
            problems.append(f"{pointer}/name: {name!r} is not a valid intent name")
        if name not in handled_intents:
            problems.append(f"{pointer}: intent {name} has no handler in the skill")
        declared = {s["name"]: s["type"] for s in intent.get("slots", [])}
        for slot_name, slot_type in declared.items():
            if not slot_type.startswith("AMAZON.") and slot_type not in types:
                problems.append(f"{pointer}/slots: slot {slot_name} has type {slot_type}, which is not defined")
        for s_index, sample in enumerate(intent.get("samples", [])):
            where = f"{pointer}/samples/{s_index}"
            if not re.fullmatch(r"[a-z0-9 '.{}_-]+", sample):
                problems.append(f"{where}: {sample!r} has characters Alexa does not accept in samples")
            for used in re.findall(r"\{(\w+)\}", sample):
                if used not in declared:
                    problems.append(f"{where}: {sample!r} uses slot {{{used}}}, which intent {name} does not declare")
            owners[" ".join(sample.lower().split())].append(name)
    for sample, intent_names in owners.items():
        if len(set(intent_names)) > 1:
            problems.append(f"{label}: sample {sample!r} is in more than one intent: {', '.join(sorted(set(intent_names)))}")
    for name in sorted(handled_intents - set(names)):
        if name in BUILTIN_PHRASES or not name.startswith("AMAZON."):
            problems.append(f"{label}: the skill handles {name}, but the model has no such intent")
    return problems


def invocation_problems(name: str) -> list[str]:
    problems = []
    words = name.split()
    if len(words) < 2:
        problems.append(f"{name!r} must have at least two words")
    if not re.fullmatch(r"[a-z][a-z' .]*", name or ""):
        problems.append(f"{name!r} may use only lowercase letters, spaces, apostrophes and periods")
    bad = sorted(set(words) & FORBIDDEN_INVOCATION_WORDS)
    if bad:
        problems.append(f"{name!r} contains wake or launch words: {', '.join(bad)}")
    if len(words) == 2 and set(words) & CONNECTORS:
        problems.append(f"{name!r} is two words and uses an article or connector")
    return problems
