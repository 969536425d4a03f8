"""Offline versions of the checks Alexa's model build and skill certification make.

Why offline: ask-cli validates nothing locally, so a bad model shows up only after ``ask deploy``.
Each rule names its source; a rule marked UNCONFIRMED is our best reading (or a deliberately
stricter version) of Alexa's, kept so the skill stays well inside what Alexa accepts.
``docs/skill-package.md`` lists them all; example phrases are checked in
:mod:`skill.manifest.phrases`.

Every problem is a :class:`ContentProblem` that prints as ``file: JSON pointer: reason``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from skill.host.content import ContentProblem
from skill.voice.builtin_intents import BUILTIN_PHRASES

LANGUAGE_MODEL = "/interactionModel/languageModel"

# Certification: Help, Stop and Cancel must be handled; Fallback and NavigateHome are in every
# console model (reference notes, section 4, citing standard-built-in-intents).
REQUIRED_BUILTINS = ("AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.FallbackIntent",
                     "AMAZON.NavigateHomeIntent")

# Invocation names (certification wording quoted in gitcheckoutnikhil/subtracker#8; Amazon's
# "Design the invocation name" page): two or more words of lowercase letters, possessive
# apostrophes and abbreviation periods; no wake words or launch phrases; a two-word name has no
# article or connector. "ziggy" (a newer wake word), "skill", "app" and the wider connector list
# are UNCONFIRMED additions, kept because they only make the rule stricter.
WAKE_WORDS = frozenset({"alexa", "amazon", "echo", "computer", "ziggy"})
LAUNCH_WORDS = frozenset({"ask", "tell", "open", "launch", "start", "begin", "enable", "load", "run", "resume",
                          "play", "use", "talk", "skill", "app"})
CONNECTORS = frozenset({"the", "a", "an", "for", "to", "of", "from", "by", "on", "in", "with", "and"})
INVOCATION_WORD = r"(?:[a-z]+(?:'s|s')?|[a-z]\.)"

# Sample utterances. Alexa's build error: "Each token must consist only of unicode characters,
# spaces and valid punctuation marks. Valid punctuation marks are periods for abbreviations,
# underscores, possessive apostrophes, and hyphens" (quoted in jradwan/alexa_tivo_control#30).
# Our rule is stricter: lowercase a-z only (models stay comparable), no digits (numbers are
# spelled out, as for invocation names; a device hears words, not numerals), no underscores
# outside {slot} names, apostrophes and hyphens only inside or closing a word, periods only
# after a single abbreviation letter, single spaces, and nothing glued to a {slot}
# (possessives after slots fail to build: omegabytes/askTheDM#4).
SAMPLE_WORD = r"(?:[a-z]+(?:['-][a-z]+)*'?|(?:[a-z]\.)+)"
SLOT_REFERENCE = r"\{(?P<slot>[A-Za-z][A-Za-z_]*)\}"
SAMPLE_TOKEN = re.compile(rf"{SAMPLE_WORD}|{SLOT_REFERENCE}")
NAME = re.compile(r"[A-Za-z][A-Za-z_]*")  # intent, slot and type names (UNCONFIRMED exact rule)

# Built-in slot types we allow: the number, date and time types every English locale has
# (developer.amazon.com "Slot Type Reference"). Locale-specific list types are left out on
# purpose: AMAZON.US_FIRST_NAME, for example, exists only in en-US.
NUMBER_SLOT_TYPES = frozenset({"AMAZON.NUMBER", "AMAZON.ORDINAL", "AMAZON.FOUR_DIGIT_NUMBER"})
ALLOWED_AMAZON_SLOT_TYPES = NUMBER_SLOT_TYPES | {"AMAZON.DURATION", "AMAZON.DATE", "AMAZON.TIME",
                                                 "AMAZON.DayOfWeek", "AMAZON.Month"}

# Counts.
MAX_INTENTS = 250  # per model, built-ins included. Source: 3p model analysers; official page UNCONFIRMED
MAX_SAMPLES_PER_INTENT = 200  # a project cap, not Alexa's (Alexa's per-intent limit is UNCONFIRMED)
MAX_SAMPLE_CHARS = 200  # UNCONFIRMED (Amazon Lex's limit; Alexa's was not found)
MAX_INVOCATION_CHARS = 50  # UNCONFIRMED
MAX_SLOT_VALUES_PER_TYPE = 50_000  # values plus synonyms. Source: 3p, m0ngr31/kodi-alexa#82 quoting Amazon
MAX_MODEL_CHARS = 150_000  # compact JSON. UNCONFIRMED: saves reportedly fail near 200 KB (m0ngr31/kanzi PR #90)
MAX_SLOT_VALUE_CHARS = 140  # Source: console error quoted in m0ngr31/kanzi#263


# One thing Alexa (or certification) would reject: the same file, pointer and reason as content errors.


def check_model(model: dict, handled_intents: set[str], label: str) -> list[str]:
    """Problems in one locale's model as ``label: pointer: reason`` strings (see :func:`model_problems`)."""
    return [str(p) for p in model_problems(model, handled_intents, label)]


def model_problems(model: dict, handled_intents: Iterable[str], file: str) -> list[ContentProblem]:
    """Every problem in one locale's model; ``handled_intents`` are the intents the skill answers."""
    try:
        language = model["interactionModel"]["languageModel"]
        intents, types = language.get("intents", []), language.get("types", [])
    except (KeyError, TypeError, AttributeError):
        return [ContentProblem(file, LANGUAGE_MODEL,
                               'missing: a model is {"interactionModel": {"languageModel": ...}}')]
    shape = _shape_problems(intents, types, file)
    if shape:
        return shape  # the other checks need lists of objects
    found = [ContentProblem(file, f"{LANGUAGE_MODEL}/invocationName", reason)
             for reason in invocation_problems(language.get("invocationName", ""))]
    found += _type_problems(types, file)
    found += _intent_problems(intents, {t.get("name") for t in types}, file)
    found += _conflict_problems(intents, file)
    found += _dialog_problems(model, intents, file)
    found += _handler_problems(intents, set(handled_intents), file)
    return found


def _shape_problems(intents: object, types: object, file: str) -> list[ContentProblem]:
    """Structural problems (lists that are not lists); the other checks assume the right shape."""
    found = []
    for key, items, inner in (("intents", intents, ("slots", "samples")), ("types", types, ("values",))):
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            found.append(ContentProblem(file, f"{LANGUAGE_MODEL}/{key}", "must be a list of objects"))
            continue
        for index, item in enumerate(items):
            for field in inner:
                value = item.get(field, [])
                objects = field != "samples"
                if not isinstance(value, list) or (objects and not all(isinstance(v, dict) for v in value)):
                    kind = "a list of objects" if objects else "a list"
                    found.append(ContentProblem(file, f"{LANGUAGE_MODEL}/{key}/{index}/{field}", f"must be {kind}"))
    return found


def invocation_problems(name: str) -> list[str]:
    """Why ``name`` would fail the invocation name requirements (empty when it passes)."""
    if not isinstance(name, str) or not name:
        return ["the invocation name is missing"]
    problems = []
    words = name.split(" ")
    if len(words) < 2:
        problems.append(f"{name!r} must have at least two words")
    if not all(re.fullmatch(INVOCATION_WORD, word) for word in words):
        problems.append(f"{name!r} may use only lowercase letters, single spaces between words, possessive "
                        "apostrophes and periods in abbreviations (spell numbers out)")
    bad = sorted({w.strip(".'") for w in words} & (WAKE_WORDS | LAUNCH_WORDS))
    if bad:
        problems.append(f"{name!r} contains wake or launch words: {', '.join(bad)}")
    if len(words) == 2 and set(words) & CONNECTORS:
        problems.append(f"{name!r} is two words, so it may not use an article or connector "
                        f"({', '.join(sorted(set(words) & CONNECTORS))})")
    if len(name) > MAX_INVOCATION_CHARS:
        problems.append(f"{name!r} is {len(name)} characters; the limit is {MAX_INVOCATION_CHARS}")
    return problems


def sample_problems(sample: str) -> list[str]:
    """Why ``sample`` breaks the sample utterance character rule (see the module constants)."""
    if not isinstance(sample, str) or not sample.strip():
        return ["a sample utterance may not be empty"]
    problems = []
    if re.search(r"\d", re.sub(SLOT_REFERENCE, "", sample)):
        problems.append(f"{sample!r} contains digits; spell numbers out (\"five\", not \"5\")")
    if re.search(r"[A-Z]", re.sub(SLOT_REFERENCE, "", sample)):
        problems.append(f"{sample!r} contains uppercase letters; samples are lowercase")
    others = sorted(set(re.sub(r"[A-Za-z0-9 '.\-]", "", re.sub(SLOT_REFERENCE, "", sample))))
    if others:
        problems.append(f"{sample!r} has characters Alexa does not accept in samples: {' '.join(others)}")
    if not problems and not all(SAMPLE_TOKEN.fullmatch(token) for token in sample.split(" ")):
        problems.append(f"{sample!r} is not well-formed: use single spaces between words and {{slots}}, apostrophes "
                        "and hyphens only inside a word, periods only after abbreviation letters (\"a. m.\")")
    if len(sample) > MAX_SAMPLE_CHARS:
        problems.append(f"{sample!r} is {len(sample)} characters; the limit is {MAX_SAMPLE_CHARS}")
    return problems


def _type_problems(types: list, file: str) -> list[ContentProblem]:
    found: list[ContentProblem] = []
    seen: set[str] = set()
    for index, slot_type in enumerate(types):
        where = f"{LANGUAGE_MODEL}/types/{index}"
        name = slot_type.get("name", "")
        if not NAME.fullmatch(name) or name.startswith("AMAZON"):
            found.append(ContentProblem(file, f"{where}/name", f"{name!r} is not a valid custom slot type name"))
        if name in seen:
            found.append(ContentProblem(file, f"{where}/name", f"slot type {name} is defined twice"))
        seen.add(name)
        found += _value_problems(slot_type.get("values", []), name, where, file)
    return found


def _value_problems(values: list, type_name: str, where: str, file: str) -> list[ContentProblem]:
    found: list[ContentProblem] = []
    owners: dict[str, str] = {}
    ids: set[str] = set()
    count = 0
    for v_index, value in enumerate(values):
        entry = value.get("name", {})
        if "id" in value:
            if value["id"] in ids:
                found.append(ContentProblem(file, f"{where}/values/{v_index}/id",
                                     f"id {value['id']!r} is used twice in {type_name}"))
            ids.add(value["id"])
        words = [("name/value", entry.get("value", ""))]
        words += [(f"name/synonyms/{s_index}", s) for s_index, s in enumerate(entry.get("synonyms", []))]
        for path, word in words:
            count += 1
            pointer = f"{where}/values/{v_index}/{path}"
            if not word.strip() or len(word) > MAX_SLOT_VALUE_CHARS:
                found.append(ContentProblem(file, pointer,
                                     f"slot value {word!r} must have 1 to {MAX_SLOT_VALUE_CHARS} characters"))
            key = " ".join(word.lower().split())
            if key in owners:
                found.append(ContentProblem(file, pointer,
                                     f"{word!r} is already a value or synonym of {type_name} at {owners[key]}"))
            owners.setdefault(key, pointer)
    if count > MAX_SLOT_VALUES_PER_TYPE:
        found.append(ContentProblem(file, f"{where}/values", f"{type_name} has {count} values and synonyms; "
                                                      f"the limit is {MAX_SLOT_VALUES_PER_TYPE:,}"))
    return found


def _intent_problems(intents: list, custom_types: set, file: str) -> list[ContentProblem]:
    found: list[ContentProblem] = []
    if len(intents) > MAX_INTENTS:
        found.append(ContentProblem(file, f"{LANGUAGE_MODEL}/intents",
                             f"{len(intents)} intents; the limit is {MAX_INTENTS}"))
    seen: set[str] = set()
    for index, intent in enumerate(intents):
        where = f"{LANGUAGE_MODEL}/intents/{index}"
        name = intent.get("name", "")
        if not (name.startswith("AMAZON.") or NAME.fullmatch(name)):
            found.append(ContentProblem(file, f"{where}/name", f"{name!r} is not a valid intent name"))
        if name in seen:
            found.append(ContentProblem(file, f"{where}/name", f"intent {name} appears twice"))
        seen.add(name)
        declared = _slot_declarations(intent, custom_types, where, file, found)
        samples = intent.get("samples", [])
        if not samples and not name.startswith("AMAZON."):
            found.append(ContentProblem(file, f"{where}/samples", f"custom intent {name} has no sample utterances"))
        if len(samples) > MAX_SAMPLES_PER_INTENT:
            found.append(ContentProblem(file, f"{where}/samples", f"intent {name} has {len(samples)} samples; "
                                                          f"the limit is {MAX_SAMPLES_PER_INTENT}"))
        for s_index, sample in enumerate(samples):
            pointer = f"{where}/samples/{s_index}"
            found += [ContentProblem(file, pointer, reason) for reason in sample_problems(sample)]
            used = re.findall(SLOT_REFERENCE, sample) if isinstance(sample, str) else []
            for slot in sorted(set(used) - set(declared)):
                found.append(ContentProblem(file, pointer,
                                     f"{sample!r} uses slot {{{slot}}}, which intent {name} does not declare"))
            for slot in sorted({s for s in used if used.count(s) > 1}):
                found.append(ContentProblem(file, pointer, f"{sample!r} uses slot {{{slot}}} more than once"))
    return found


def _slot_declarations(intent: dict, custom_types: set, where: str, file: str,
                       found: list[ContentProblem]) -> dict[str, str]:
    """The intent's slots by name, noting bad names, repeats and unknown types in ``found``."""
    declared: dict[str, str] = {}
    for index, slot in enumerate(intent.get("slots", [])):
        pointer = f"{where}/slots/{index}"
        name, slot_type = slot.get("name", ""), slot.get("type", "")
        if not NAME.fullmatch(name):
            found.append(ContentProblem(file, f"{pointer}/name", f"{name!r} is not a valid slot name"))
        if name in declared:
            found.append(ContentProblem(file, f"{pointer}/name", f"slot {name} is declared twice"))
        if slot_type.startswith("AMAZON."):
            if slot_type not in ALLOWED_AMAZON_SLOT_TYPES:
                allowed = ", ".join(sorted(ALLOWED_AMAZON_SLOT_TYPES))
                found.append(ContentProblem(file, f"{pointer}/type",
                                            f"slot {name} has type {slot_type}, which is not a "
                                            f"built-in type we allow ({allowed})"))
        elif slot_type not in custom_types:
            found.append(ContentProblem(file, f"{pointer}/type",
                                 f"slot {name} has type {slot_type}, which this model does not define"))
        declared[name] = slot_type
    return declared


def normalised_sample(sample: str, slot_types: dict[str, str]) -> str:
    """A sample as Alexa compares them: case and spacing ignored, each {slot} standing for its type."""
    text = re.sub(SLOT_REFERENCE, lambda m: "{" + slot_types.get(m.group("slot"), m.group("slot")) + "}", sample)
    return " ".join(text.lower().split())


def _conflict_problems(intents: list, file: str) -> list[ContentProblem]:
    """The same sample in two intents (or twice in one), or a sample that is a built-in intent's phrase."""
    found: list[ContentProblem] = []
    first: dict[str, tuple[str, str]] = {}
    builtin_owner = {" ".join(p.lower().split()): name for name, phrases in BUILTIN_PHRASES.items() for p in phrases}
    for index, intent in enumerate(intents):
        name = intent.get("name", "")
        slot_types = {s.get("name"): s.get("type") for s in intent.get("slots", [])}
        for s_index, sample in enumerate(intent.get("samples", [])):
            if not isinstance(sample, str):
                continue
            pointer = f"{LANGUAGE_MODEL}/intents/{index}/samples/{s_index}"
            key = normalised_sample(sample, slot_types)
            if key in first:
                other, other_pointer = first[key]
                where = "twice in this intent" if other == name else f"also in intent {other}"
                found.append(ContentProblem(file, pointer, f"sample {sample!r} is {where} (at {other_pointer}); "
                                                    "Alexa cannot tell them apart"))
                continue
            first[key] = (name, pointer)
            owner = builtin_owner.get(key)
            if owner and owner != name:
                found.append(ContentProblem(file, pointer,
                                            f"sample {sample!r} is a phrase of the built-in {owner}, which "
                                            f"Alexa picks instead of {name}"))
    return found


def slot_only(sample: str) -> bool:
    """A sample made of slots alone ("{level}", "{amount} {unit}"): it would catch bare answers
    anywhere in the skill, so it belongs in the slot's own samples, heard only when asked for."""
    return isinstance(sample, str) and bool(re.fullmatch(rf"\s*(?:{SLOT_REFERENCE}\s*)+", sample))


def _dialog_problems(model: dict, intents: list, file: str) -> list[ContentProblem]:
    """Slot-only intent samples; slot samples that miss their slot; dialog entries for unknown slots."""
    found: list[ContentProblem] = []
    slots_of: dict[str, set[str]] = {}
    for index, intent in enumerate(intents):
        where = f"{LANGUAGE_MODEL}/intents/{index}"
        slots_of[intent.get("name", "")] = {s.get("name") for s in intent.get("slots", [])}
        for s_index, sample in enumerate(intent.get("samples", [])):
            if slot_only(sample):
                found.append(ContentProblem(file, f"{where}/samples/{s_index}", f"{sample!r} is only slots, so it "
                                            "competes across the whole skill: make it a sample of the slot instead"))
        for slot_index, slot in enumerate(intent.get("slots", [])):
            for s_index, sample in enumerate(slot.get("samples", [])):
                pointer = f"{where}/slots/{slot_index}/samples/{s_index}"
                found += [ContentProblem(file, pointer, reason) for reason in sample_problems(sample)]
                if isinstance(sample, str) and "{" + str(slot.get("name")) + "}" not in sample:
                    found.append(ContentProblem(file, pointer, f"slot sample {sample!r} does not contain "
                                                f"{{{slot.get('name')}}}"))
    dialog = (model.get("interactionModel") or {}).get("dialog") or {}
    for index, entry in enumerate(dialog.get("intents", [])):
        name = entry.get("name", "")
        if name not in slots_of:
            found.append(ContentProblem(file, f"/interactionModel/dialog/intents/{index}",
                                        f"the dialog declares intent {name}, which the model does not have"))
            continue
        for slot in entry.get("slots", []):
            if slot.get("name") not in slots_of[name]:
                found.append(ContentProblem(file, f"/interactionModel/dialog/intents/{index}",
                                            f"the dialog declares slot {slot.get('name')} of {name}, which it lacks"))
    # What templates grow: the intents and the dialog (slot values have their own limit above).
    grown = json.dumps([intents, dialog], separators=(",", ":"))
    if len(grown) > MAX_MODEL_CHARS:
        found.append(ContentProblem(file, "/interactionModel", f"the intents and dialog take {len(grown):,} "
                                    f"characters; keep them under {MAX_MODEL_CHARS:,} (fewer template options)"))
    return found


def _handler_problems(intents: list, handled: set[str], file: str) -> list[ContentProblem]:
    found: list[ContentProblem] = []
    names = [intent.get("name", "") for intent in intents]
    for builtin in REQUIRED_BUILTINS:
        if builtin not in names:
            found.append(ContentProblem(file, f"{LANGUAGE_MODEL}/intents",
                                        f"required built-in intent {builtin} is missing"))
    for index, name in enumerate(names):
        if name not in handled:
            found.append(ContentProblem(file, f"{LANGUAGE_MODEL}/intents/{index}/name",
                                 f"intent {name} has no handler in the skill (no loaded plugin registers it)"))
    for name in sorted(handled - set(names)):
        found.append(ContentProblem(file, f"{LANGUAGE_MODEL}/intents",
                             f"the skill handles {name}, but this model has no such intent"))
    return found
