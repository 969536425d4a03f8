"""Deliberately broken models: each breaks one rule and gets exactly one clear problem."""

from __future__ import annotations

import copy
import string

import pytest

from skill.manifest.checks import phrase_problems, text_problems
from skill.manifest.phrases import example_phrase_problem
from skill.voice.builtin_intents import BUILTIN_PHRASES
from skill.voice.checks import (
    MAX_INTENTS,
    MAX_SAMPLE_CHARS,
    MAX_SAMPLES_PER_INTENT,
    MAX_SLOT_VALUE_CHARS,
    MAX_SLOT_VALUES_PER_TYPE,
    model_problems,
)

LM = "/interactionModel/languageModel"
CUSTOM = ["StartStretchIntent", "StretchMuscleIntent", "StretchForMinutesIntent", "ProgressIntent"]
HANDLED = frozenset({*BUILTIN_PHRASES, *CUSTOM})


def valid_model() -> dict:
    intents = [{"name": name, "samples": []} for name in sorted(BUILTIN_PHRASES)]
    intents[[i["name"] for i in intents].index("AMAZON.HelpIntent")]["samples"] = ["what can you do"]
    intents += [
        {"name": "StartStretchIntent", "samples": ["start my stretches", "let's stretch", "pre-run stretches"]},
        {"name": "StretchMuscleIntent", "slots": [{"name": "muscle", "type": "MuscleGroup"}],
         "samples": ["stretch my {muscle}", "my {muscle} feel tight"]},
        {"name": "StretchForMinutesIntent", "slots": [{"name": "minutes", "type": "AMAZON.NUMBER"}],
         "samples": ["stretch for {minutes} minutes", "i've got {minutes} minutes"]},
        {"name": "ProgressIntent", "samples": ["what is my streak", "how am i doing"]},
    ]
    types = [{"name": "MuscleGroup", "values": [
        {"id": "hamstrings", "name": {"value": "hamstrings", "synonyms": ["hamstring", "back of my legs"]}},
        {"id": "glutes", "name": {"value": "glutes", "synonyms": ["bum"]}}]}]
    language_model = {"invocationName": "stride coach", "intents": intents, "types": types}
    return {"interactionModel": {"languageModel": language_model}}


def language(model: dict) -> dict:
    return model["interactionModel"]["languageModel"]


def intent(model: dict, name: str) -> dict:
    return next(i for i in language(model)["intents"] if i["name"] == name)


def index_of(name: str) -> int:
    return [i["name"] for i in language(valid_model())["intents"]].index(name)


def letters(n: int) -> str:
    """A distinct all-letter word for ``n`` (samples may not contain digits)."""
    word = ""
    while True:
        n, digit = divmod(n, 26)
        word += string.ascii_lowercase[digit]
        if not n:
            return word


def test_the_valid_model_has_no_problems():
    assert model_problems(valid_model(), HANDLED, "m.json") == []


# -- one rule broken per case: (how, expected pointer, expected words in the reason) -------------
def set_invocation(name):
    return lambda m: language(m).update(invocationName=name)


def add_sample(intent_name, sample):
    return lambda m: intent(m, intent_name)["samples"].append(sample)


def set_slot_type(slot_type):
    return lambda m: intent(m, "StretchMuscleIntent")["slots"][0].update(type=slot_type)


def add_intent(definition):
    return lambda m: language(m)["intents"].append(definition)


def add_values(values):
    return lambda m: language(m)["types"][0]["values"].extend(values)


def at(intent_name: str, *rest: object) -> str:
    """The JSON pointer of something inside one of the valid model's intents (or a new last one)."""
    index = len(language(valid_model())["intents"]) if intent_name == "new" else index_of(intent_name)
    return "/".join([f"{LM}/intents/{index}", *map(str, rest)])


INVOCATION = f"{LM}/invocationName"
VALUES = f"{LM}/types/0/values"
DANCE = {"name": "DanceIntent", "slots": [{"name": "area", "type": "MuscleGroup"}], "samples": ["stretch my {area}"]}

CASES = {
    # invocation name
    "one word": (set_invocation("coach"), INVOCATION, "must have at least two words"),
    "uppercase": (set_invocation("Stride Coach"), INVOCATION, "only lowercase letters"),
    "digits in name": (set_invocation("stride coach two thousand 2"), INVOCATION, "spell numbers out"),
    "wake word": (set_invocation("alexa coach"), INVOCATION, "wake or launch words: alexa"),
    "launch word": (set_invocation("open coach"), INVOCATION, "wake or launch words: open"),
    "article in two words": (set_invocation("the coach"), INVOCATION, "article or connector (the)"),
    "long name": (set_invocation("stride coach " + "very " * 9 + "long"), INVOCATION, "the limit is 50"),
    # samples in two intents (built-in extra samples included; slots compared by type)
    "duplicate sample": (add_sample("ProgressIntent", "start my stretches"), at("ProgressIntent", "samples", 2),
                         "also in intent StartStretchIntent"),
    "duplicate of a built-in's sample": (add_sample("ProgressIntent", "what can you do"),
                                         at("ProgressIntent", "samples", 2), "also in intent AMAZON.HelpIntent"),
    "same sample twice": (add_sample("StartStretchIntent", "let's stretch"), at("StartStretchIntent", "samples", 3),
                          "twice in this intent"),
    "same slot type in two intents": (add_intent(DANCE), at("new", "samples", 0), "also in intent StretchMuscleIntent"),
    "built-in phrase": (add_sample("ProgressIntent", "next"), at("ProgressIntent", "samples", 2),
                        "phrase of the built-in AMAZON.NextIntent"),
    # slots
    "undeclared slot": (add_sample("StretchMuscleIntent", "loosen my {body}"), at("StretchMuscleIntent", "samples", 2),
                        "uses slot {body}, which intent StretchMuscleIntent does not declare"),
    "slot used twice": (add_sample("StretchMuscleIntent", "{muscle} and {muscle}"),
                        at("StretchMuscleIntent", "samples", 2), "uses slot {muscle} more than once"),
    "unknown custom type": (set_slot_type("BodyPart"), at("StretchMuscleIntent", "slots", 0, "type"),
                            "type BodyPart, which this model does not define"),
    "unknown built-in type": (set_slot_type("AMAZON.US_FIRST_NAME"), at("StretchMuscleIntent", "slots", 0, "type"),
                              "not a built-in type we allow"),
    # characters
    "digits in sample": (add_sample("StretchForMinutesIntent", "stretch for 5 minutes"),
                         at("StretchForMinutesIntent", "samples", 2), "spell numbers out"),
    "punctuation": (add_sample("StartStretchIntent", "stretch now!"), at("StartStretchIntent", "samples", 3),
                    "characters Alexa does not accept in samples: !"),
    "uppercase sample": (add_sample("StartStretchIntent", "Stretch now"), at("StartStretchIntent", "samples", 3),
                         "uppercase letters"),
    "underscore": (add_sample("StartStretchIntent", "stretch_now"), at("StartStretchIntent", "samples", 3),
                   "does not accept in samples: _"),
    "double space": (add_sample("StartStretchIntent", "stretch  now"), at("StartStretchIntent", "samples", 3),
                     "not well-formed"),
    "possessive after slot": (add_sample("StretchMuscleIntent", "my {muscle}'s stretch"),
                              at("StretchMuscleIntent", "samples", 2), "not well-formed"),
    "stray hyphen": (add_sample("StartStretchIntent", "stretch -now"), at("StartStretchIntent", "samples", 3),
                     "not well-formed"),
    # built-ins and handlers
    "custom intent without samples": (lambda m: intent(m, "ProgressIntent").update(samples=[]),
                                      at("ProgressIntent", "samples"), "has no sample utterances"),
    "intent without handler": (add_intent({"name": "DanceIntent", "samples": ["dance"]}), at("new", "name"),
                               "intent DanceIntent has no handler"),
    # slot values
    "repeated synonym": (add_values([{"id": "quads", "name": {"value": "quads", "synonyms": ["bum"]}}]),
                         f"{VALUES}/2/name/synonyms/0", "already a value or synonym of MuscleGroup"),
    "repeated id": (add_values([{"id": "glutes", "name": {"value": "backside"}}]), f"{VALUES}/2/id",
                    "id 'glutes' is used twice"),
    # limits
    "long sample": (add_sample("StartStretchIntent", " ".join(["stretch"] * 26)),
                    at("StartStretchIntent", "samples", 3), f"the limit is {MAX_SAMPLE_CHARS}"),
    "too many samples": (lambda m: intent(m, "StartStretchIntent")["samples"].extend(
        f"stretch {letters(n)}" for n in range(MAX_SAMPLES_PER_INTENT)), at("StartStretchIntent", "samples"),
        f"the limit is {MAX_SAMPLES_PER_INTENT}"),
    "long slot value": (add_values([{"id": "x", "name": {"value": "x" * (MAX_SLOT_VALUE_CHARS + 1)}}]),
                        f"{VALUES}/2/name/value", f"1 to {MAX_SLOT_VALUE_CHARS} characters"),
    "too many slot values": (lambda m: add_values([{"name": {"value": f"muscle {n}"}}
                                                   for n in range(MAX_SLOT_VALUES_PER_TYPE)])(m),
                             VALUES, f"the limit is {MAX_SLOT_VALUES_PER_TYPE:,}"),
}
EXTRA_HANDLED = {"same slot type in two intents": {"DanceIntent"}}


@pytest.mark.parametrize("case", CASES)
def test_each_broken_model_fails_one_check(case):
    break_it, pointer, reason = CASES[case]
    model = valid_model()
    break_it(model)
    problems = model_problems(model, HANDLED | EXTRA_HANDLED.get(case, set()), "en-GB.json")
    assert len(problems) == 1, "\n".join(map(str, problems))
    assert problems[0].pointer == pointer
    assert reason in problems[0].reason
    assert str(problems[0]).startswith(f"en-GB.json: {pointer}: ")


def test_samples_that_differ_only_in_case_and_spacing_are_duplicates():
    model = valid_model()
    add_sample("ProgressIntent", "Start  My Stretches")(model)
    reasons = [p.reason for p in model_problems(model, HANDLED, "m.json")]
    assert any("also in intent StartStretchIntent" in r for r in reasons)


def test_missing_required_builtin():
    model = valid_model()
    language(model)["intents"] = [i for i in language(model)["intents"] if i["name"] != "AMAZON.StopIntent"]
    problems = model_problems(model, HANDLED - {"AMAZON.StopIntent"}, "m.json")
    assert [str(p) for p in problems] == [
        f"m.json: {LM}/intents: required built-in intent AMAZON.StopIntent is missing"]


def test_handled_intent_missing_from_the_model():
    problems = model_problems(valid_model(), HANDLED | {"CheckMyBackIntent"}, "m.json")
    assert [str(p) for p in problems] == [
        f"m.json: {LM}/intents: the skill handles CheckMyBackIntent, but this model has no such intent"]


def test_too_many_intents():
    model = valid_model()
    extra = [{"name": f"Extra{letters(n).capitalize()}Intent", "samples": [f"extra {letters(n)}"]}
             for n in range(MAX_INTENTS)]
    language(model)["intents"] += extra
    problems = model_problems(model, HANDLED | {i["name"] for i in extra}, "m.json")
    count = MAX_INTENTS + len(CUSTOM) + len(BUILTIN_PHRASES)
    assert [p.reason for p in problems] == [f"{count} intents; the limit is {MAX_INTENTS}"]


def test_a_malformed_model_is_reported_not_crashed_on():
    assert [p.pointer for p in model_problems({"interactionModel": {}}, HANDLED, "m.json")] == [LM]
    model = valid_model()
    language(model)["intents"][0]["samples"] = "help"
    assert [str(p) for p in model_problems(model, HANDLED, "m.json")] == [
        f"m.json: {LM}/intents/0/samples: must be a list"]


# -- example phrases -------------------------------------------------------------------------
@pytest.mark.parametrize("phrase", [
    "Alexa, open stride coach",
    "Alexa, start stride coach",
    "Alexa, talk to stride coach",
    "Alexa, ask stride coach to start my stretches",
    "Alexa, ask stride coach what is my streak",
    "Alexa, ask stride coach how am i doing",
    "Alexa, tell stride coach to stretch my hamstrings",
    "Alexa, ask stride coach to stretch my back of my legs",
    "Alexa, ask stride coach to stretch for twenty five minutes",
    "Alexa, open stride coach and start my stretches",
])
def test_valid_example_phrases(phrase):
    assert example_phrase_problem(phrase, valid_model()) is None


@pytest.mark.parametrize("phrase, reason", [
    ("open stride coach", "must start with the wake word"),
    ("Alexa open stride coach", "must start with the wake word"),
    ("Alexa, open stride coach.", "no digits, commas or closing punctuation"),
    ("Alexa, Open Stride Coach", "lowercase words"),
    ("Alexa, ask stride coach to stretch for 10 minutes", "no digits"),
    ("Alexa, ask stride helper to start my stretches", "does not contain the invocation name 'stride coach'"),
    ("Alexa, ask stride coach to do my stretches", "followed by a sample utterance"),
    ("Alexa, ask stride coach to stretch my elbows", "with valid slot values"),
    ("Alexa, tell stride coach about my streak", "followed by a sample utterance"),
    ("Alexa, ask stride coach to check my back", "followed by a sample utterance"),
])
def test_example_phrases_not_built_from_a_sample(phrase, reason):
    assert reason in example_phrase_problem(phrase, valid_model())


def test_template_phrase_not_built_from_a_sample_names_the_template_entry():
    texts = {"en": {"examplePhrases": ["Alexa, open stride coach", "Alexa, ask stride coach to dance"]},
             "en-GB": {"examplePhrases": ["Alexa, ask stride coach to start my stretches",
                                          "Alexa, ask stride coach to dance"]}}
    models = {"en-US": valid_model(), "en-GB": valid_model(), "en-AU": valid_model()}
    problems = phrase_problems(texts, models, "skill/manifest/locales.json", "generated model")
    assert sorted(p.pointer for p in problems) == ["/en-GB/examplePhrases/1", "/en/examplePhrases/1"]
    shared = next(p for p in problems if p.pointer == "/en/examplePhrases/1")
    assert shared.reason.startswith("in en-US, en-AU: 'Alexa, ask stride coach to dance' is neither")


def test_publishing_text_needs_the_disclaimer_and_three_phrases():
    texts = {"en": {"name": "Stride Coach", "summary": "Stretches for runners.",
                    "description": "Stretches. Not a substitute for professional medical advice.",
                    "examplePhrases": ["Alexa, open stride coach"], "keywords": ["running"]},
             "en-US": {}, "en-GB": {"summary": "Stretches. Not a substitute for professional medical advice. "
                                               "In an emergency, call your local emergency number."},
             "en-AU": {}, "en-CA": {}, "en-IN": {}}
    reasons = {(p.pointer, p.reason) for p in text_problems(copy.deepcopy(texts), "locales.json")}
    both = "'not a substitute for professional medical advice'; 'call your local emergency number'"
    assert ("/en/summary", f"in en-US, en-AU, en-CA, en-IN: lacks the health disclaimer: {both}") in reasons
    assert ("/en/description", "in en-US, en-GB, en-AU, en-CA, en-IN: lacks the health disclaimer: "
                               "'call your local emergency number'") in reasons
    assert ("/en/examplePhrases", "in en-US, en-GB, en-AU, en-CA, en-IN: has 1 phrases; give exactly 3") in reasons
    assert len(reasons) == 3
