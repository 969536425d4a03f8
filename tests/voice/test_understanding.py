"""What people say, understood in context: the corpus figures, the dialog, session questions, the paced chat."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest

from skill.kit.simulator import dump
from skill.pipeline.router import PLAN_FALLBACK
from skill.voice.templates import TemplateError, expand, expand_all

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))


def directives(answer) -> list[dict]:
    return answer.body.get("directives") or []


def player(answer) -> dict:
    return (answer.session.get("core") or {}).get("player") or {}


def into_first(answer, marker: str = r'<break time="(?:[5-9]|\d\d)') -> float:
    """``after=`` for a request six seconds into the first long silence (a hold) or ``marker``."""
    from skill.kit.understanding import _offset_into

    offset = _offset_into(answer.ssml, marker)
    assert offset is not None, dump(answer)
    return offset


# -- the figures --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def figures():
    import understanding_figures

    return understanding_figures.figures()


def test_most_natural_utterances_lead_to_the_right_behaviour_at_every_point(figures):
    misses = [f"{o.point}: {o.utterance!r} -> {o.got} ({', '.join(o.problems)})"
              for o in figures.outcomes if not o.right]
    assert figures.right >= 85, "\n".join(misses)
    points = {o.point for o in figures.outcomes}
    weak = {p: figures.share(lambda o: o.right, p) for p in points if figures.share(lambda o: o.right, p) < 75}
    assert not weak, weak


def test_the_model_alone_covers_most_of_them(figures):
    assert figures.covered >= 60


# -- templates ------------------------------------------------------------------------------------
def test_a_template_expands_in_a_fixed_order_keeping_slots():
    once = expand("[<lead>] (start|begin) [a] {routine} (session|workout) [<please>]", ["routine"])
    assert once == expand("[<lead>] (start|begin) [a] {routine} (session|workout) [<please>]", ["routine"])
    assert "start a {routine} session" in once and "can we begin {routine} workout please" in once
    assert len(once) == len(set(once))


@pytest.mark.parametrize("template, reason", [
    ("stretch my {muscle}", "does not declare"), ("stretch[es]", "space between"), ("<nope> hi", "shared phrase"),
    ("(unclosed", "cannot be read"),
])
def test_a_broken_template_is_refused_with_a_reason(template, reason):
    with pytest.raises(TemplateError, match=reason):
        expand(template, [])


def test_over_the_cap_every_template_keeps_its_shortest_sentences():
    expansion = expand_all(["(a|b|c) [x] [y]", "z [w]"], cap=4)
    assert expansion.samples == ["a", "b", "z w", "z"] and expansion.left_out == 10


def test_the_models_have_no_slot_only_sample_and_declare_each_slot_the_skill_asks_for():
    from skill.voice.checks import slot_only
    from skill.voice.model import dialog_slots

    model = json.loads((ROOT / "interaction_models" / "en-US.json").read_text())
    intents = model["interactionModel"]["languageModel"]["intents"]
    assert not [s for i in intents for s in i.get("samples", []) if slot_only(s)]
    asked = {("PainScoreIntent", "score"), ("CheckLevelIntent", "level"), ("StrengthRoutineIntent", "routine"),
             ("SetFeedbackIntent", "effort"), ("StretchMuscleIntent", "muscle")}
    assert asked <= dialog_slots(model)


# -- answers heard only when asked -----------------------------------------------------------------
def test_a_bare_session_name_is_heard_when_asked_for_and_not_at_the_menu(alexa):
    alexa.launch()
    assert alexa.say("legs").request["request"]["intent"]["name"] == "AMAZON.FallbackIntent"
    asked = alexa.intent("StrengthRoutineIntent", routine="yoga")
    assert asked.speech.endswith("Which would you like?")
    elicit = [d for d in directives(asked) if d["type"] == "Dialog.ElicitSlot"]
    assert elicit and elicit[0]["slotToElicit"] == "routine"
    assert elicit[0]["updatedIntent"]["name"] == "StrengthRoutineIntent"
    started = alexa.say("um legs please")
    assert started.request["request"]["dialogState"] == "IN_PROGRESS"
    assert player(started)["plan"]["id"] == "strength:legs", dump(started)


def test_forget_me_is_confirmed_with_a_yes_and_kept_with_a_no(alexa):
    alexa.launch()
    alexa.say("make the holds longer")
    asked = alexa.say("forget me")
    assert [d["type"] for d in directives(asked)] == ["Dialog.ConfirmIntent"]
    kept = alexa.say("nope")
    assert kept.request["request"]["intent"] == {**kept.request["request"]["intent"], "name": "ForgetMeIntent",
                                                 "confirmationStatus": "DENIED"}
    assert "kept everything" in kept.speech and alexa.stored
    alexa.say("forget me")
    gone = alexa.say("yes please")
    assert gone.request["request"]["intent"]["confirmationStatus"] == "CONFIRMED"
    assert gone.ended and "deleted everything" in gone.speech and not alexa.stored


# -- questions and slips during a timed plan ---------------------------------------------------------
def test_how_long_is_left_mid_hold_is_answered_and_the_hold_goes_on(alexa):
    alexa.launch()
    started = alexa.say("stretch my glutes")
    asked = alexa.say("how long is left", after=into_first(started))
    assert re.search(r"seconds left in this hold|of rest left", asked.speech), dump(asked)
    assert player(asked)["paused"] is None and "<break" in asked.ssml
    assert not asked.speech.startswith("Paused")


@pytest.mark.parametrize("question, words", [("what's next", "Next"), ("which side am i on", "side"),
                                             ("how long is the session", "after this")])
def test_questions_about_the_session_are_answered_and_the_plan_carries_on(alexa, question, words):
    alexa.launch()
    started = alexa.say("stretch my hip flexors")
    asked = alexa.say(question, after=into_first(started))
    assert words in asked.speech and player(asked)["paused"] is None and "<break" in asked.ssml, dump(asked)


def test_a_fallback_mid_hold_says_what_can_be_said_and_carries_on(alexa):
    alexa.launch()
    started = alexa.say("stretch my glutes")
    slip = alexa.say("purple monkey dishwasher", after=into_first(started))
    assert slip.speech.startswith(PLAN_FALLBACK)
    assert player(slip)["paused"] is None and "<break" in slip.ssml


def test_go_on_while_paused_resumes_the_same_exercise(alexa):
    alexa.launch()
    started = alexa.say("stretch my glutes")
    paused = alexa.say("hang on a sec", after=into_first(started))
    block = player(paused)["paused"]["block"]
    resumed = alexa.say("go on")
    assert resumed.request["request"]["intent"]["name"] == "AMAZON.ResumeIntent"
    assert player(resumed)["start"]["block"] == block and "Back to" in resumed.speech


@pytest.mark.parametrize("answer", ["resume", "carry on", "continue", "pick up where i left off"])
def test_the_pick_up_offer_takes_resume_carry_on_and_continue_as_yes(alexa, answer):
    alexa.launch()
    started = alexa.say("stretch my hip flexors")
    alexa.say("stop", after=into_first(started))
    offer = alexa.launch()
    assert offer.speech.endswith("Pick up there?")
    picked = alexa.say(answer)
    assert "Picking up where you left off" in picked.speech and "start fresh" not in picked.speech


# -- questions answered, never looped ------------------------------------------------------------
def test_again_repeats_the_question(alexa):
    alexa.launch()
    alexa.say("check my back")
    question = alexa.answers[-1].reprompt
    again = alexa.say("again")
    assert again.speech.endswith(question) and "nothing to repeat" not in again.speech


def test_not_sure_to_a_safety_question_is_answered_and_never_repeats_it(alexa):
    alexa.launch()
    first = alexa.say("check my back")
    unsure = alexa.say("i'm not sure")
    assert unsure.request["request"]["intent"]["name"] == "NotSureIntent"
    assert not unsure.speech.endswith(first.reprompt) and unsure.speech != first.speech, dump(unsure)


@pytest.mark.parametrize("words", ["my back hurts", "ow my knee", "that one hurt", "it's sore"])
def test_pain_in_any_words_mid_set_goes_to_the_stop_rules_not_a_new_back_check(alexa, words):
    alexa.launch()
    started = alexa.say("let's do legs")
    hurt = alexa.say(words, after=into_first(started, r"\bOne\."))
    assert hurt.request["request"]["intent"]["name"] == "PainIntent"
    assert "zero to ten" in hurt.reprompt and "not medical advice" not in hurt.speech, dump(hurt)
    assert [d["slotToElicit"] for d in directives(hurt)] == ["score"]
    scored = alexa.say("like a seven")
    assert scored.ended and "stop for today" in scored.speech


# -- the chat ------------------------------------------------------------------------------------------
def run_chat(monkeypatch, tmp_path, lines: str, *options: str) -> str:
    from skill.cli.main import main

    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["chat", "--db", str(tmp_path / "chat.db"), *options]) == 0
    return out.getvalue()


def test_the_readmes_piped_example_listens_to_each_response_before_the_next_line(monkeypatch, tmp_path):
    said = run_chat(monkeypatch, tmp_path, "open stride coach\nstretch my hip flexors\npause\nresume\nstop\n")
    lines = [line for line in said.splitlines() if line.startswith("alexa> ")]
    assert lines[1].startswith("alexa> We will loosen up") and lines[2].startswith("alexa> Paused during")
    assert lines[3].startswith("alexa> Next, the half-kneeling hip flexor stretch"), lines[3]  # not a replay
    assert lines[4] == "alexa> Goodbye, and easy running."


def test_the_json_chat_prints_each_request_with_its_response(monkeypatch, tmp_path):
    said = run_chat(monkeypatch, tmp_path, "open stride coach\n@3 stretch my glutes\n", "--json")
    records = [json.loads(line) for line in said.splitlines()]
    kinds = [r["request"]["request"]["type"] for r in records]
    assert kinds == ["LaunchRequest", "IntentRequest", "SessionEndedRequest"]
    intent = records[1]["request"]["request"]["intent"]
    assert intent["name"] == "StretchMuscleIntent"
    resolved = intent["slots"]["muscle"]["resolutions"]["resolutionsPerAuthority"][0]["values"][0]["value"]
    assert resolved["id"] == "glutes"
    first, second = (r["request"]["request"]["timestamp"] for r in records[:2])
    assert (int(second[-3:-1]) - int(first[-3:-1])) % 60 == 3  # "@3": three seconds after the welcome began
    assert "response" in records[1]["response"]


# -- what the models promise, an exact matcher accepts --------------------------------------------------
def _filled(sample: str, slots: dict[str, str], types: dict) -> str:
    def value(match: re.Match) -> str:
        slot_type = slots[match.group(1)]
        if slot_type == "AMAZON.NUMBER":
            return "eight"
        spoken = {"AMAZON.TIME": "seven am", "AMAZON.DATE": "tomorrow", "AMAZON.DayOfWeek": "monday",
                  "AMAZON.DURATION": "ten minutes"}
        if slot_type in spoken:
            return spoken[slot_type]
        return types[slot_type]["values"][0]["name"]["value"]
    return re.sub(r"\{(\w+)\}", value, sample)


def test_every_sample_of_the_model_is_heard_as_its_intent_by_the_model_alone():
    from skill.voice.nlu import Resolver

    model = json.loads((ROOT / "interaction_models" / "en-US.json").read_text())
    language = model["interactionModel"]["languageModel"]
    types = {t["name"]: t for t in language["types"]}
    resolver = Resolver(model)
    wrong = []
    for intent in language["intents"]:
        slots = {s["name"]: s["type"] for s in intent.get("slots", [])}
        for sample in intent["samples"]:
            heard = resolver.resolve(_filled(sample, slots, types))
            if heard.intent != intent["name"] or heard.how != "model":
                wrong.append(f"{sample!r}: {intent['name']} -> {heard.intent} [{heard.how}]")
        for slot in intent.get("slots", []):
            asking = {"type": "Dialog.ElicitSlot", "slotToElicit": slot["name"],
                      "updatedIntent": {"name": intent["name"], "confirmationStatus": "NONE", "slots": {}}}
            for sample in slot.get("samples", []):
                heard = resolver.resolve(_filled(sample, slots, types), asking)
                if heard.intent != intent["name"] or heard.how not in ("dialog", "model"):
                    wrong.append(f"{sample!r} for {intent['name']}.{slot['name']} -> {heard.intent} [{heard.how}]")
    assert not wrong, f"{len(wrong)} samples not heard as promised:\n" + "\n".join(wrong[:40])
