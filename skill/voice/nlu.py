"""Resolve a typed utterance to an intent and slots the way Alexa would, from the model, and no more.

Used by ``stride-coach chat`` and the test kit. Steps, each tried only when the one before finds
nothing:

1. **The dialog.** After ``Dialog.ConfirmIntent`` a yes or no confirms or denies that intent; after
   ``Dialog.ElicitSlot`` the slot's own samples (a bare "legs", "pretty tight", "seven") fill that
   slot of that intent. Only then: outside the dialog those answers mean nothing.
2. **The model.** Every sample utterance, matched with hassil: ``{slot}`` takes a value or synonym
   of its type (resolved to the value's id, as Alexa's entity resolution does) or, for
   ``AMAZON.NUMBER``, a number in digits or words. Built-in intents also hear the phrases Alexa
   knows for them.
3. **Fillers.** The same without the words people put around a request ("um", "so", "okay",
   "please", "can you", "I want to").
4. **Small slips.** Words that are not in the model are replaced by the closest model word when
   they are close enough (rapidfuzz, bounded), and the whole sentence may be a near miss of a
   sample without slots.

Anything else is ``AMAZON.FallbackIntent``, as on a device. ``Resolution.how`` says which step
matched: ``dialog`` and ``model`` are what the interaction model alone covers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from hassil.intents import Intents
from hassil.recognize import recognize_best
from rapidfuzz import fuzz, process

from skill.speech.numbers import number_word
from skill.voice.builtin_intents import BUILTIN_PHRASES

LAUNCH_WORDS = ("open", "launch", "start", "begin", "load", "run", "talk to", "play")
ONE_SHOT = r"^(?:ask|tell|open|launch|start|use)\s+{name}\s+(?:to|for|about|if|whether|that|and)?\s*(?P<rest>.+)$"
# What a device's speech recognition leaves out or people add: dropped before matching the model.
DISFLUENCIES = ("um", "umm", "uh", "uhh", "er", "erm", "hmm", "mm")
# Around a request: tried without them when the whole sentence matches nothing.
LEADING_FILLERS = (
    "okay so", "ok so", "so", "yeah", "yep", "yes", "okay", "ok", "well", "right", "um", "uh", "oh", "hey",
    "alright", "actually",
    "yeah so", "and", "now", "then", "just", "erm", "please", "can you", "could you", "can we", "could we",
    "can i", "could i", "would you", "will you", "i want to", "i wanna", "i'd like to", "i would like to",
    "i need to", "let's", "lets", "i think", "i guess", "maybe", "like", "i'd say", "id say", "i mean",
)
TRAILING_FILLERS = ("please", "thanks", "thank you", "now", "then", "for me", "mate", "alexa", "okay", "ok",
                    "right now", "i think", "i guess", "again please", "for today", "today", "this morning",
                    "this afternoon", "this evening", "tonight", "at the moment", "lately", "these days",
                    "after my run", "after running", "after a run", "after my long run", "since my run",
                    "since yesterday", "from yesterday", "though", "to be honest", "if im honest", "honestly")
# How much, said inside a sentence ("a bit sore", "really stiff"): tried without them last of all.
SOFTENERS = re.compile(r"\b(?:a little bit|a wee bit|a bit|a little|a tad|kind of|kinda|sort of|really|quite|"
                       r"pretty|very|super|slightly|rather|properly|so|too|still|feeling)\s+(?=\w)")
LEADING_ANSWERS = ("yes", "yeah", "yep", "yup", "no", "nope", "nah")
NUMBER_RANGE = (0, 1000)
WORD_SCORE = 84  # a word replaced by a model word: a typo or a near homophone, not another word
SENTENCE_SCORE = 90  # a whole sentence taken for a sample: one slip in a dozen letters
MIN_FUZZY_CHARS = 4
YES, NO = "AMAZON.YesIntent", "AMAZON.NoIntent"
FALLBACK = "AMAZON.FallbackIntent"


@dataclass
class Resolution:
    """What an utterance means: a launch, an intent with slots and a confirmation, or both (a one-shot).

    ``dialog_state`` is ``IN_PROGRESS`` for an answer to the skill's own dialog question;
    ``how`` is ``dialog``, ``model``, ``fillers``, ``fuzzy`` or ``fallback``.
    """

    launch: bool = False
    intent: str | None = None
    slots: dict[str, dict] = field(default_factory=dict)
    confirmation: str = "NONE"
    dialog_state: str | None = None
    how: str = "model"

    @property
    def covered_by_model(self) -> bool:
        return self.how in ("dialog", "model")


# A distance as runners write it ("10k"), as a device would hear it said ("ten k").
DISTANCE = re.compile(r"\b(\d{1,3})k\b")


def norm(text: str) -> str:
    """Lowercase words and numbers only: what is compared on both sides."""
    text = text.lower().replace("’", "'")
    text = DISTANCE.sub(lambda m: f"{number_word(int(m.group(1)))} k", text)
    text = re.sub(r"^\s*(?:alexa)[\s,]+", "", text)
    text = re.sub(r"[^a-z0-9'.\s-]+", " ", text)
    text = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", text)  # a full stop, not a decimal point
    text = text.replace("'", "").replace("-", " ")
    return " ".join(text.split())


def _strip_disfluencies(text: str) -> str:
    return " ".join(w for w in text.split() if w not in DISFLUENCIES)


def _halves(text: str) -> str:
    """'twelve and a half' as '12.5', which the number slot then reads."""
    def digits(match: re.Match) -> str:
        words = match.group(1).split()
        for start in range(len(words)):  # "used twelve": the number is the words it ends with
            number = parse_number(" ".join(words[start:]))
            if number is not None:
                return " ".join([*words[:start], f"{number}.5"])
        return match.group(0)
    return re.sub(r"\b((?:[a-z]+ )?[a-z0-9]+) and a half\b", digits, text)


_UNITS = {w: i for i, w in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"))}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}


def parse_number(text: str) -> int | None:
    """A whole number in digits or words ("twelve", "forty two", "a hundred"), or ``None``."""
    words = text.strip().lower().replace("-", " ").split()
    if len(words) == 1 and words[0].isdigit():
        return int(words[0])
    total = 0
    for word in words:
        if word in _TENS:
            total += _TENS[word]
        elif word in _UNITS:
            total += _UNITS[word]
        elif word in ("a", "and") and total == 0:
            continue
        elif word == "hundred":
            total = max(total, 1) * 100
        else:
            return None
    return total if words else None


def _strip_fillers(text: str) -> str:
    stages = _filler_stages(text)
    return stages[-1] if stages else text


def _filler_stages(text: str) -> list[str]:
    """``text`` after each filler taken off its start or end, in turn: "hey just finished a 10k"
    is heard at "just finished a 10k", before "just" goes too."""
    stages = []
    changed = True
    while changed and text:
        changed = False
        for filler in LEADING_FILLERS:
            key = norm(filler)
            if text.startswith(key + " "):
                text, changed = text[len(key) + 1:], True
                stages.append(text)
        for filler in TRAILING_FILLERS:
            key = norm(filler)
            if text.endswith(" " + key):
                text, changed = text[: -len(key) - 1], True
                stages.append(text)
    return stages


def _hassil_sentence(sample: str, slot_types: dict[str, str]) -> str:
    """A model sample as a hassil sentence: ``{kit}`` becomes ``{Equipment:kit}``."""
    pieces = re.split(r"(\{\w+\})", sample)
    out = []
    for piece in pieces:
        slot = re.fullmatch(r"\{(\w+)\}", piece)
        if slot:
            name = slot.group(1)
            out.append("{" + _list_name(slot_types.get(name, "AMAZON.SearchQuery")) + ":" + name + "}")
        else:
            # hassil reads (), [], <> and | as syntax; a model sample has none of them after norm()
            out.append(norm(piece))
    return " ".join(p for p in out if p)


def _list_name(slot_type: str) -> str:
    return slot_type.replace(".", "_")


SENTENCE_BREAK = re.compile(r"[,;:!?]+|(?<!\d)\.(?!\d)")
# Where one spoken sentence holds two clauses: a joining word, or a request starting anew.
CLAUSE_BREAK = re.compile(r"\s+(?:and|so|but|then)\s+|\s+(?=(?:can|could) (?:we|you|i)\b|let's\b|i want\b|i'd like\b)")

class Resolver:
    """Understands utterances for one locale's interaction model (see the module docstring).

    ``alexa_knows``: phrases Alexa's built-in intents understand without samples in the model.
    """

    def __init__(self, model: dict, alexa_knows: dict[str, list[str]] | None = None) -> None:
        language = model["interactionModel"]["languageModel"]
        self.invocation = norm(language["invocationName"])
        self.types = {t["name"]: t for t in language.get("types", [])}
        self.literal: dict[str, str] = {}
        self.vocabulary: set[str] = set()
        lists = self._lists()
        for intent in language["intents"]:  # dates, times, days: the spoken words, as Alexa's value
            for slot in intent.get("slots", []):
                lists.setdefault(_list_name(slot["type"]), {"wildcard": True})
        sentences: dict[str, list[str]] = {}
        self.slot_intents: dict[tuple[str, str], Intents] = {}
        self.intent_slots: dict[str, dict[str, str]] = {}
        self.builtin: dict[str, str] = {}
        for intent, phrases in (BUILTIN_PHRASES if alexa_knows is None else alexa_knows).items():
            for phrase in phrases:
                self.builtin.setdefault(norm(phrase), intent)
                self.vocabulary.update(norm(phrase).split())
        for intent in language["intents"]:
            name = intent["name"]
            slot_types = {s["name"]: s["type"] for s in intent.get("slots", [])}
            self.intent_slots[name] = slot_types
            for sample in intent.get("samples", []):
                self.vocabulary.update(w for w in norm(re.sub(r"\{\w+\}", " ", sample)).split())
                if "{" not in sample:
                    self.literal.setdefault(norm(sample), name)
                else:
                    sentences.setdefault(name, []).append(_hassil_sentence(sample, slot_types))
            for slot in intent.get("slots", []):
                if slot.get("samples"):
                    slot_sentences = [_hassil_sentence(s, slot_types) for s in slot["samples"]]
                    self.slot_intents[(name, slot["name"])] = self._intents({name: slot_sentences}, lists)
                    for sample in slot["samples"]:
                        self.vocabulary.update(norm(re.sub(r"\{\w+\}", " ", sample)).split())
        for slot_type in self.types.values():
            for entry in slot_type["values"]:
                for word in [entry["name"]["value"], *entry["name"].get("synonyms", [])]:
                    self.vocabulary.update(norm(word).split())
        self.slotted = self._intents(sentences, lists)
        self._vocabulary = sorted(w for w in self.vocabulary if len(w) >= MIN_FUZZY_CHARS)
        self._literal_keys = sorted(self.literal)

    # -- building ---------------------------------------------------------------------------
    def _lists(self) -> dict[str, dict]:
        lists: dict[str, dict] = {
            "AMAZON_NUMBER": {"range": {"from": NUMBER_RANGE[0], "to": NUMBER_RANGE[1], "fractions": "halves"}},
            "AMAZON_SearchQuery": {"wildcard": True},
            # One day per slot, as Alexa fills it ("tuesday and thursday" is two slots).
            "AMAZON_DayOfWeek": {"values": [day + end for day in ("monday", "tuesday", "wednesday", "thursday",
                                                                   "friday", "saturday", "sunday")
                                            for end in ("", "s")]},
        }
        for name, slot_type in self.types.items():
            values = []
            for entry in slot_type["values"]:
                out = entry.get("id") or entry["name"]["value"]
                for word in [entry["name"]["value"], *entry["name"].get("synonyms", [])]:
                    if norm(word):
                        values.append({"in": norm(word), "out": out})
            lists[_list_name(name)] = {"values": values}
        return lists

    @staticmethod
    def _intents(sentences: dict[str, list[str]], lists: dict[str, dict]) -> Intents:
        return Intents.from_dict({
            "language": "en",
            "intents": {name: {"data": [{"sentences": items}]} for name, items in sentences.items()},
            "lists": lists,
        })

    # -- resolving --------------------------------------------------------------------------
    def resolve(self, utterance: str, dialog: dict | None = None) -> Resolution:
        """What ``utterance`` means; ``dialog`` is the last Dialog directive the skill sent, if any."""
        text = _halves(_strip_disfluencies(norm(utterance)))
        name = re.escape(self.invocation)
        launch = rf"(?:{'|'.join(LAUNCH_WORDS)})\s+(?:the\s+)?{name}(?:\s+skill)?"
        if re.fullmatch(launch, text) or text == self.invocation:
            return Resolution(launch=True)
        one_shot = re.match(ONE_SHOT.format(name=name), text)
        if one_shot:
            resolution = self._understand(one_shot.group("rest"), None)
            resolution.launch = True
            return resolution
        # A typed comma or full stop (the chat; a device sends none) marks a clause, as "and" does.
        pieces = [_strip_disfluencies(norm(piece)) for piece in SENTENCE_BREAK.split(utterance)]
        return self._understand(text, dialog, pieces if " ".join(pieces).split() == text.split() else None)

    def _understand(self, text: str, dialog: dict | None, pieces: list[str] | None = None) -> Resolution:
        found = self._match(text, dialog)
        if found is not None:
            return found
        stripped = _strip_fillers(text)
        found = self._match_without_fillers(text, dialog)
        if found is not None:
            found.how = "fillers"
            return found
        corrected = self._corrected(stripped or text)
        if corrected and corrected not in (text, stripped):
            found = self._match(corrected, dialog) or self._match_without_fillers(corrected, dialog)
            if found is not None:
                found.how = "fuzzy"
                return found
        leading = self._leading_answer(text, dialog)
        if leading is not None:
            return leading
        clause = self._one_clause(text, dialog, pieces)
        if clause is not None:
            return clause
        # Not while a value is asked for: "a bit" or "really" is then the answer (how tight it felt).
        softened = SOFTENERS.sub("", stripped or text) if dialog is None else ""
        if softened and softened not in (text, stripped):
            found = self._match(softened, dialog) or self._match_without_fillers(softened, dialog)
            if found is not None:
                found.how = "fillers"
                return found
        near = process.extractOne(stripped or text, self._literal_keys, scorer=fuzz.ratio, score_cutoff=SENTENCE_SCORE)
        if near is not None and len(text) >= MIN_FUZZY_CHARS * 2:
            return Resolution(intent=self.literal[near[0]], how="fuzzy")
        return Resolution(intent=FALLBACK, how="fallback")

    def _one_clause(self, text: str, dialog: dict | None, pieces: list[str] | None = None) -> Resolution | None:
        """"I just got back from a run, can we do some stretches": two clauses that each say the same
        thing, or one that says something and others the model does not know. Clauses that mean
        different things are not guessed between. ``pieces``: ``text`` split where it was punctuated."""
        parts = [part for piece in pieces or [text] for part in CLAUSE_BREAK.split(piece) if part.strip()]
        if len(parts) < 2:
            return None
        heard = []
        for part in parts:
            part = part.strip()
            found = self._match(part, dialog) or self._match_without_fillers(part, dialog)
            if found is not None:
                heard.append(found)
        if not heard or len({found.intent for found in heard}) != 1 or heard[-1].intent in (YES, NO):
            return None
        heard[-1].how = "fillers"
        return heard[-1]

    def _match_without_fillers(self, text: str, dialog: dict | None) -> Resolution | None:
        """The first reading as fillers come off ``text`` one by one (see :func:`_filler_stages`)."""
        for stage in _filler_stages(text):
            found = self._match(stage, dialog)
            if found is not None:
                return found
        return None

    def _leading_answer(self, text: str, dialog: dict | None) -> Resolution | None:
        """"No, not me", "yes I have": an answer, then words that add nothing the model knows."""
        first = text.split()[0] if text else ""
        if first not in LEADING_ANSWERS or first == text:
            return None
        found = self._match(first, dialog)
        if found is not None and (found.intent in (YES, NO) or found.dialog_state):
            found.how = "fillers"
            return found
        return None

    def _match(self, text: str, dialog: dict | None) -> Resolution | None:
        if not text:
            return None
        if dialog is not None:
            answered = self._dialog_answer(text, dialog)
            if answered is not None:
                return answered
        if text in self.literal:
            return Resolution(intent=self.literal[text], slots=self._empty_slots(self.literal[text]))
        result = recognize_best(text, self.slotted)
        if result is not None:
            return Resolution(intent=result.intent.name, slots=self._slots(result.intent.name, result.entities))
        if text in self.builtin:
            return Resolution(intent=self.builtin[text])
        return None

    def _dialog_answer(self, text: str, dialog: dict) -> Resolution | None:
        intent = dialog.get("updatedIntent") or {}
        name = intent.get("name", "")
        slots = {k: dict(v) for k, v in (intent.get("slots") or {}).items()}
        if dialog.get("type") == "Dialog.ConfirmIntent":
            said = self.literal.get(text) or self.builtin.get(text)
            if said in (YES, NO):
                return Resolution(intent=name, slots=slots, confirmation="CONFIRMED" if said == YES else "DENIED",
                                  dialog_state="IN_PROGRESS", how="dialog")
            return None
        if dialog.get("type") != "Dialog.ElicitSlot":
            return None
        slot = dialog.get("slotToElicit", "")
        intents = self.slot_intents.get((name, slot))
        if intents is None:
            return None
        result = recognize_best(text, intents)
        if result is None:
            return None
        filled = self._slots(name, result.entities)
        for key, value in filled.items():
            if "value" in value or key not in slots:
                slots[key] = value
        return Resolution(intent=name, slots=slots, dialog_state="IN_PROGRESS", how="dialog")

    def _empty_slots(self, intent: str) -> dict[str, dict]:
        return {slot: {"name": slot, "confirmationStatus": "NONE"} for slot in self.intent_slots.get(intent, {})}

    def _slots(self, intent: str, entities: dict[str, Any]) -> dict[str, dict]:
        slots = self._empty_slots(intent)
        types = self.intent_slots.get(intent, {})
        for slot, entity in entities.items():
            slot_type = types.get(slot, "")
            spoken = str(entity.text).strip()
            base = {"name": slot, "value": spoken, "confirmationStatus": "NONE", "source": "USER"}
            if slot_type == "AMAZON.NUMBER":
                value = entity.value
                number = int(value) if float(value).is_integer() else float(value)
                slots[slot] = {**base, "value": str(number)}
            elif slot_type in self.types:
                authority = self._authority(slot_type, entity.value)
                slots[slot] = {**base, "resolutions": {"resolutionsPerAuthority": [authority]}}
            else:
                slots[slot] = base
        return slots

    def _authority(self, slot_type: str, value_id: str) -> dict:
        values = self.types[slot_type]["values"]
        entry = next((e for e in values if (e.get("id") or e["name"]["value"]) == value_id), None)
        name = entry["name"]["value"] if entry else value_id
        return {"authority": f"amzn1.er-authority.echo-sdk.stride-coach.{slot_type}",
                "status": {"code": "ER_SUCCESS_MATCH"}, "values": [{"value": {"name": name, "id": value_id}}]}

    def _corrected(self, text: str) -> str:
        """The sentence with each word that is not in the model replaced by the nearest one, if near."""
        words = []
        for word in text.split():
            if word in self.vocabulary or len(word) < MIN_FUZZY_CHARS or word.replace(".", "").isdigit():
                words.append(word)
                continue
            near = process.extractOne(word, self._vocabulary, scorer=fuzz.ratio, score_cutoff=WORD_SCORE)
            words.append(near[0] if near else word)
        return " ".join(words)



def normalise(text: str) -> str:
    """An utterance or sample as compared: see :func:`norm`."""
    return norm(text)


def requests_for(resolver: Resolver, device: Any, utterance: str) -> tuple[Resolution, list[dict]]:
    """What a device sends for ``utterance``: a launch (ending an open session first), or the intent,
    resolved in the dialog the skill's last response started (``device.dialog``)."""
    resolution = resolver.resolve(utterance, getattr(device, "dialog", None))
    if resolution.launch and resolution.intent is None:
        ended = [device.session_ended("USER_INITIATED")] if device.in_session else []
        return resolution, [*ended, device.launch()]
    return resolution, [device.intent(resolution.intent, resolution.slots, resolution.confirmation,
                                      resolution.dialog_state)]
