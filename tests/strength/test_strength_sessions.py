"""Strength sessions as a user hears them: setup, one safety cue, every set counted at the
exercise's tempo, timed rests, feedback after a set, the engine's controls, and Alexa's limits.

Expected values come from the content cards and the user's stored state, never from the plan the
plugin built: the breaks of a set must add up to reps x (down + bottom + up + top) seconds, and the
breaks of a rest to the card's rest seconds.
"""

from __future__ import annotations

import itertools
import re

import pytest

from skill.engine.player import START_LATENCY_S
from skill.engine.timeline import COUNT_WORDS
from skill.kit.simulator import dump, playback_seconds
from skill.speech.builder import spoken_seconds

PLUGIN = "strength_coach"
SILENCE = re.compile(r"\[silence ([\d.]+) s\]")
REP_NUMBER = re.compile(r"\] (" + "|".join(w.capitalize() for w in COUNT_WORDS[1:]) + r")\.")
SET = re.compile(r"Set (\w+) of (\w+)\. (.*?)(?= Rest for | Well done\.| Set \w+ of | Say |$)")
REST = re.compile(r"Rest for (\w+) seconds\.((?: \[silence [\d.]+ s\]| Ten seconds\. Get ready\.| Get ready\.)+)")
ROUTINE_OF = {"strength session": "full_body", "let's do squats": "squats", "core workout": "core",
              "leg day": "legs"}


# -- helpers (also used by test_strength_progression and test_equipment) ----------------------------
def number(word: str) -> int:
    return int(word) if word.isdigit() else COUNT_WORDS.index(word.lower())


def silences(text: str) -> float:
    return sum(float(s) for s in SILENCE.findall(text))


def rep_seconds(tempo: dict) -> int:
    return tempo["down"] + tempo.get("bottom", 0) + tempo["up"] + tempo.get("top", 0)


def one_rep(tempo: dict, rep: int) -> str:
    """One rep as the user hears it: "Down, [silence 1 s] two, [silence 1 s] Up, [silence 1 s] One."."""
    first, second = tempo.get("words", ["down", "up"])
    parts: list = []
    for word, seconds, pause in ((first, tempo["down"], tempo.get("bottom", 0)),
                                 (second, tempo["up"], tempo.get("top", 0))):
        parts.append(f"{word.capitalize()},")
        for second_ in range(1, seconds + 1):
            parts.append(1)
            if second_ < seconds:
                parts.append(f"{COUNT_WORDS[second_ + 1]},")
        if pause:
            parts.append(pause)
    parts.append(f"{COUNT_WORDS[rep].capitalize()}.")
    merged: list = []
    for part in parts:  # adjacent silences are one run of breaks
        if isinstance(part, int) and merged and isinstance(merged[-1], int):
            merged[-1] += part
        else:
            merged.append(part)
    return " ".join(f"[silence {p} s]" if isinstance(p, int) else p for p in merged)


def sets_in(text: str) -> list[tuple[int, int, str]]:
    """Every announced set: (its number, the number of sets, what is said and the silences in it)."""
    return [(number(m.group(1)), number(m.group(2)), m.group(3)) for m in SET.finditer(text)]


def rests_in(text: str) -> list[tuple[int, str]]:
    return [(number(m.group(1)), m.group(2)) for m in REST.finditer(text)]


def counted(text: str) -> list[int]:
    return [number(w) for w in REP_NUMBER.findall(text)]


def store(alexa) -> dict:
    return alexa.stored.get("plugins", {}).get(PLUGIN, {})


def card(alexa, exercise_id: str) -> dict:
    return alexa.app.host.content.get("exercise", exercise_id)


def routine(alexa, routine_id: str) -> dict:
    return alexa.app.host.content.get("routine", routine_id)


def feedback(answer) -> dict:
    return answer.session.get("plugins", {}).get(PLUGIN, {}).get("feedback", {})


def finished(answer) -> bool:
    return answer.reprompt.startswith("Anything else?")


def play_through(alexa, first) -> list:
    """Every response of a session: "continue" inside a split exercise, "next" between exercises."""
    answers = [first]
    while not finished(answers[-1]):
        assert len(answers) < 20, dump(answers[-1])
        answers.append(alexa.say("continue" if "Say continue" in answers[-1].speech else "next"))
    return answers


def expected_blocks(alexa, routine_id: str, states: dict) -> list[dict]:
    """What the stored state (read before the session started) says the session holds.

    Card, sets and reps per exercise, in order; an exercise with no state yet starts at its card's
    dose. Read it before starting: a session that fits in one response has progressed already.
    """
    blocks, seen = [], set()
    for item in routine(alexa, routine_id)["items"]:
        state = states.get(item["exercise"])
        card_ = card(alexa, state["variant"] if state else item["exercise"])
        if card_["id"] in seen:
            continue
        seen.add(card_["id"])
        sets = state["sets"] if state else card_["dose"]["sets"]
        blocks.append({"slot": item["exercise"], "card": card_, "sets": max(sets, item.get("sets", 0)),
                       "reps": state["reps"] if state else card_["dose"]["reps"]["min"]})
    return blocks


def split_by_block(text: str, blocks: list[dict]) -> list[str]:
    """The transcript cut at each exercise's opening ("First, the bodyweight squat.")."""
    starts = []
    for block in blocks:
        match = re.search(r"(?:First|Next|Now), " + re.escape(block["card"]["name"]) + r"\.", text)
        assert match, f"{block['card']['name']} never starts"
        starts.append(match.start())
    assert starts == sorted(starts)
    return [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)])]


def check_exercise(chunk: str, card_: dict, sets: int, reps: int) -> None:
    """One exercise as the user hears it, against its card, its sets and the target reps."""
    name = card_["short_name"]
    for step in card_["steps"]:
        assert step in chunk, f"{name}: setup step missing: {step}"
    assert chunk.count(card_["safety"]) == 1, f"{name}: the safety cue should be said once"
    tempo, sides = card_["dose"]["tempo"], 2 if card_["sided"] else 1
    found = sets_in(chunk)
    assert [(k, n) for k, n, _ in found] == [(k, sets) for _ in range(sides) for k in range(1, sets + 1)], name
    for _, _, body in found:
        assert one_rep(tempo, 1) in body, f"{name}: the first rep is not counted at the tempo"
        assert counted(body) == list(range(1, reps + 1)), f"{name}: reps counted {counted(body)}"
        assert silences(body) == reps * rep_seconds(tempo), f"{name}: the set's breaks don't add up"
        assert body.count("Last one.") == 1
        if reps >= 6:
            assert "Three more, keep it smooth." in body
    rests = rests_in(chunk)
    assert len(rests) == sets * sides - 1, f"{name}: {len(rests)} rests"
    for said, body in rests:
        assert said == card_["dose"]["rest_seconds"], f"{name}: said rest {said}"
        assert silences(body) == card_["dose"]["rest_seconds"], f"{name}: the rest's breaks don't add up"
        assert "Get ready." in body
        if said >= 20:
            assert "Ten seconds. Get ready." in body
    if sides == 2:
        assert card_["switch"] in chunk


def seconds_until(answer, marker: str, occurrence: int = 1, after: str = "") -> float:
    """When the device starts saying ``marker`` (its ``occurrence``-th time after ``after``).

    Request timestamps have whole seconds only, so aim a second or more inside what you want to
    interrupt (a rep lasts about five seconds with its words).
    """
    ssml = answer.ssml
    index = ssml.index(after) if after else 0
    for _ in range(occurrence):
        index = ssml.index(marker, index + (1 if _ else 0))
    return START_LATENCY_S + playback_seconds(ssml[:index])


def seconds_into_rest(answer, rest_phrase: str, seconds: float) -> float:
    """A moment ``seconds`` into the silence of the rest announced by ``rest_phrase``."""
    rate = 100
    match = re.search(r'<prosody rate="(\d+)%">', answer.ssml)
    if match:
        rate = int(match.group(1))
    return seconds_until(answer, rest_phrase) + spoken_seconds(rest_phrase, rate) + seconds


def start(alexa, utterance: str):
    """Start a session; the 24-hour check, when it is asked, is answered no (not worse)."""
    alexa.launch()
    answer = alexa.say(utterance)
    if "the morning after" in answer.speech and not answer.ended:
        answer = alexa.say("no")
    return answer


# -- 1 and 2: whole sessions ---------------------------------------------------------------------
@pytest.mark.parametrize("utterance", list(ROUTINE_OF))
def test_a_whole_session_is_coached_set_by_set_and_says_what_changes_next_time(alexa, utterance):
    routine_id = ROUTINE_OF[utterance]
    blocks = expected_blocks(alexa, routine_id, {})
    first = start(alexa, utterance)
    assert first.request["request"]["intent"]["name"] in ("StartStrengthIntent", "StrengthRoutineIntent")
    assert "Today: " in first.speech
    answers = play_through(alexa, first)
    transcript = " ".join(a.speech for a in answers)
    for block, chunk in zip(blocks, split_by_block(transcript, blocks)):
        check_exercise(chunk, block["card"], block["sets"], block["reps"])
    closing = answers[-1].speech
    for block in blocks:
        sided = " a side" if block["card"]["sided"] else ""
        assert f"{block['card']['short_name']} goes up to {block['reps'] + 1} reps{sided}." in closing
    assert f"That's {routine(alexa, routine_id)['name']} done." in closing
    assert closing.count("Well done.") == 1  # the outro doesn't repeat the engine's praise


def test_squats_are_counted_down_two_up_one(alexa):
    answer = start(alexa, "let's do squats")
    assert "Set one of three. Down, [silence 1 s] two, [silence 1 s] Up, [silence 1 s] One. Down," in answer.speech
    assert "Last one. Down, [silence 1 s] two, [silence 1 s] Up, [silence 1 s] Eight. Rest for 75 seconds." \
        in answer.speech


@pytest.mark.parametrize("exercise", ["glute_bridge", "lying_knee_raise", "hanging_knee_raise", "hanging_leg_raise"])
def test_exercises_that_start_by_lifting_are_counted_lift_then_lower(alexa, exercise):
    tempo = card(alexa, exercise)["dose"]["tempo"]
    assert tempo.get("words") == ["lift", "lower"]
    assert one_rep(tempo, 1).startswith("Lift,")


def test_every_set_and_rest_adds_up_to_the_stored_target_after_progression(alexa):
    start(alexa, "let's do squats")
    alexa.next_day()
    squat = store(alexa)["exercises"]["squat"]  # read before: the session fits in one response
    assert squat["reps"] == 9
    answer = start(alexa, "let's do squats")
    assert "Since last time: The squat is up to 9 reps." in answer.speech
    check_exercise(answer.speech, card(alexa, "squat"), max(squat["sets"], 3), 9)


def test_the_number_of_sets_spoken_is_the_stored_number(alexa):
    start(alexa, "strength session")
    states = store(alexa)["exercises"]
    answers = play_through(alexa, alexa.answers[-1])
    transcript = " ".join(a.speech for a in answers)
    blocks = expected_blocks(alexa, "full_body", states)
    for block, chunk in zip(blocks, split_by_block(transcript, blocks)):
        sides = 2 if block["card"]["sided"] else 1
        assert len(sets_in(chunk)) == states[block["slot"]]["sets"] * sides


# -- 3: feedback after a set ---------------------------------------------------------------------------
FEEDBACK = [
    ("too easy", {"effort": "easy"}),
    ("just right", {"effort": "right"}),
    ("too hard", {"effort": "hard"}),
    ("i did 8", {"reps": 8}),
    ("i used twenty kilos", {"load": {"amount": 20.0, "unit": "kg"}}),
    ("i used forty pounds", {"load": {"amount": 40.0, "unit": "lb"}}),
    ("i used 20 kilos", {"load": {"amount": 20.0, "unit": "kg"}}),
]


@pytest.mark.parametrize("utterance, recorded", FEEDBACK)
def test_feedback_after_an_exercise_is_recorded_for_it_and_the_session_waits_for_next(alexa, utterance, recorded):
    start(alexa, "strength session")
    alexa.say("next")  # the Romanian deadlift, played to its end
    answer = alexa.say(utterance)
    assert feedback(answer) == {"romanian_deadlift": recorded}
    said = answer.speech.removesuffix(answer.reprompt).strip()
    assert len(said.split()) <= 25, said
    assert answer.reprompt.startswith("Say next")
    if "load" in recorded:
        assert store(alexa)["exercises"]["romanian_deadlift"]["load"] == recorded["load"]
        assert "the Romanian deadlift" in said
    following = alexa.say("next")
    assert following.speech.startswith("Next, the Bulgarian split squat.")


@pytest.mark.parametrize("utterance, recorded", FEEDBACK)
def test_feedback_in_the_middle_of_a_set_is_recorded_and_the_set_resumes(alexa, utterance, recorded):
    first = start(alexa, "strength session")
    answer = alexa.say(utterance, after=seconds_until(first, "Four.") + 2)
    assert feedback(answer) == {"squat": recorded}
    assert re.search(r"^.{0,160}Back to the squat\. Four more to go\. Down,", answer.speech), answer.speech[:300]
    assert answer.reprompt.startswith("Say next for the Romanian deadlift")


def test_feedback_on_the_last_exercise_after_the_session_still_counts(alexa):
    answer = start(alexa, "let's do squats")
    assert "Next time, the squat goes up to 9 reps." in answer.speech
    after = alexa.say("too hard")
    assert "next time we'll step back to the box squat" in after.speech
    assert store(alexa)["exercises"]["squat"]["variant"] == "box_squat"
    assert after.reprompt.endswith("What would you like to do?")


def test_feedback_with_no_strength_session_points_to_one(alexa):
    alexa.launch()
    for utterance in ("too hard", "i did 8", "i used twenty kilos"):
        answer = alexa.say(utterance)
        assert "strength session" in answer.speech
        assert not answer.ended


def test_feedback_in_continuous_mode_is_for_the_exercise_just_played(alexa):
    alexa.launch()
    alexa.say("keep going")
    first = alexa.say("core workout")  # the dead bug and the knee raise in one response
    assert "Next, the lying knee raise" in first.speech, dump(first)
    assert first.reprompt.startswith("Say next for the hanging knee raise"), dump(first)
    answer = alexa.say("i did 5")
    assert feedback(answer) == {"lying_knee_raise": {"reps": 5}}


# -- 6: the engine's controls inside a strength session -------------------------------------------------
def test_pause_and_resume_mid_set_counts_only_the_remaining_reps(alexa):
    first = start(alexa, "strength session")
    paused = alexa.say("pause", after=seconds_until(first, "Four.") + 2)
    assert paused.speech.startswith("Paused during the squat.")
    resumed = alexa.say("resume")
    assert resumed.speech.startswith("Back to the squat. Four more to go.")
    first_set = resumed.speech.split(" Rest for ")[0]
    assert counted(first_set) == [5, 6, 7, 8]
    assert silences(first_set) == 4 * rep_seconds(card(alexa, "squat")["dose"]["tempo"])
    (_, rest), = rests_in(resumed.speech)  # the rest after the first set is still whole
    assert silences(rest) == 75
    assert [k for k, _, _ in sets_in(resumed.speech)] == [2]


def test_resuming_with_three_reps_to_go_says_it_once(alexa):
    first = start(alexa, "strength session")
    alexa.say("pause", after=seconds_until(first, "Five.") + 2)
    resumed = alexa.say("resume")
    assert resumed.speech.startswith("Back to the squat. Three more to go. Down,"), resumed.speech[:120]


@pytest.mark.parametrize("into_rest", [20, 41.5, 62])
def test_pause_and_resume_mid_rest_keeps_the_remaining_seconds(alexa, into_rest):
    first = start(alexa, "strength session")
    alexa.say("pause", after=seconds_into_rest(first, "Rest for 75 seconds.", into_rest))
    resumed = alexa.say("resume")
    match = re.match(r"Back to the squat\. Rest for (\w+) seconds\.", resumed.speech)
    assert match, resumed.speech[:200]
    remaining = number(match.group(1))
    assert abs(remaining - (75 - into_rest)) <= 2
    (said, rest), = rests_in(resumed.speech)
    assert silences(rest) == said == remaining
    assert [k for k, _, _ in sets_in(resumed.speech)] == [2]


def test_next_mid_exercise_moves_on_and_repeat_plays_it_again(alexa):
    first = start(alexa, "strength session")
    moved = alexa.say("next", after=seconds_until(first, "Three."))
    assert moved.speech.startswith("Next, the Romanian deadlift with dumbbells.")
    again = alexa.say("repeat")
    assert again.speech.startswith("Again.")
    check_exercise(again.speech, card(alexa, "romanian_deadlift"), 2, 8)


def test_skip_mid_exercise_and_start_over(alexa):
    start(alexa, "strength session")
    romanian = alexa.say("next")
    skipped = alexa.say("skip", after=seconds_until(romanian, "Two."))
    assert skipped.speech.startswith("Skipping ahead. Next, the Bulgarian split squat.")
    over = alexa.say("start over", after=30)
    assert over.speech.startswith("Starting from the top. First, the bodyweight squat.")
    check_exercise(over.speech, card(alexa, "squat"), 2, 8)


# -- 7: limits, also in continuous mode at the slowest pace ------------------------------------------
def test_continuous_mode_at_the_slowest_pace_stays_within_alexas_limits(alexa):
    alexa.launch()
    assert "as slow as" not in alexa.say("slower").speech
    alexa.say("slower")
    assert "as slow as I go" in alexa.say("slower").speech
    alexa.say("keep going")
    blocks = expected_blocks(alexa, "full_body", {})
    answers = play_through(alexa, alexa.say("strength session"))
    for answer in answers:  # every response was also checked by the kit (chars, breaks, prompt)
        assert 'rate="80%"' in answer.ssml
        assert len(answer.ssml) < 8000
        assert answer.reprompt
    transcript = " ".join(a.speech for a in answers)
    for block, chunk in zip(blocks, split_by_block(transcript, blocks)):
        check_exercise(chunk, block["card"], block["sets"], block["reps"])


# -- the model: strength phrases reach the strength intents, and nobody else's ---------------------------
BUILT_IN_SLOT_VALUES = {"AMAZON.TIME": ["six pm", "seven thirty"], "AMAZON.DayOfWeek": ["tuesday", "saturday"]}


def _expansions(intent: dict, types: dict) -> list[str]:
    slots = {s["name"]: s["type"] for s in intent.get("slots", [])}
    phrases = []
    for sample in intent["samples"]:
        names = re.findall(r"\{(\w+)\}", sample)
        choices = []
        for name in names:
            if slots[name] == "AMAZON.NUMBER":
                choices.append(["eight", "20"])
            elif slots[name] in BUILT_IN_SLOT_VALUES:
                choices.append(BUILT_IN_SLOT_VALUES[slots[name]])
            else:
                values = types[slots[name]]["values"]
                choices.append([name for entry in values
                                for name in [entry["name"]["value"], *entry["name"].get("synonyms", [])]])
        for combo in itertools.product(*choices):
            phrase = sample
            for name, value in zip(names, combo):
                phrase = phrase.replace("{" + name + "}", value, 1)
            phrases.append(phrase)
    return phrases


@pytest.fixture(scope="module")
def model():
    """The en-US model of the skill as the kit builds it (core, built-ins), and its resolver."""
    from skill.kit.simulator import make_host
    from skill.voice.model import build_model
    from skill.voice.nlu import Resolver

    host = make_host()
    built = build_model(host, "en-US")
    ours = {name for name, spec in host.intents.items() if spec.plugin == PLUGIN}
    return built["interactionModel"]["languageModel"], Resolver(built), ours


def test_strength_phrases_resolve_to_strength_intents_and_no_other_phrase_does(model):
    language, resolver, ours = model
    types = {t["name"]: t for t in language.get("types", [])}
    wrong = []
    for intent in language["intents"]:
        if not intent.get("samples"):
            continue
        for phrase in _expansions(intent, types):
            got = resolver.resolve(phrase).intent
            if (intent["name"] in ours) != (got in ours) or (intent["name"] in ours and got != intent["name"]):
                wrong.append(f"{phrase!r}: {intent['name']} -> {got}")
    assert not wrong, "\n".join(wrong[:30])


@pytest.mark.parametrize("utterance, intent, slots", [
    ("strength session", "StartStrengthIntent", {}),
    ("let's do squats", "StrengthRoutineIntent", {"routine": "squats"}),
    ("core workout", "StrengthRoutineIntent", {"routine": "core"}),
    ("leg day", "StrengthRoutineIntent", {"routine": "legs"}),
    ("that was too easy", "SetFeedbackIntent", {"effort": "easy"}),
    ("that felt just right", "SetFeedbackIntent", {"effort": "right"}),
    ("it was too hard", "SetFeedbackIntent", {"effort": "hard"}),
    ("i did 8", "RepsDoneIntent", {"reps": "8"}),
    ("i used twenty kilos", "WeightUsedIntent", {"amount": "20", "unit": "kg"}),
    ("i used forty pounds", "WeightUsedIntent", {"amount": "40", "unit": "lb"}),
    ("i used 20 kilos", "WeightUsedIntent", {"amount": "20", "unit": "kg"}),
    ("i don't have a bar", "MissingEquipmentIntent", {"kit": "bar"}),
    ("no weights", "MissingEquipmentIntent", {"kit": "weights"}),
    ("i don't have a bench", "MissingEquipmentIntent", {"kit": "bench"}),
    ("i have weights", "HaveEquipmentIntent", {"kit": "weights"}),
])
def test_what_users_say_reaches_the_right_intent(model, utterance, intent, slots):
    from skill.api.turn import _slot_values

    resolution = model[1].resolve(utterance)
    assert resolution.intent == intent
    assert _slot_values(resolution.slots) == slots


@pytest.mark.parametrize("utterance, effort", [("too easy", "easy"), ("just right", "right"), ("brutal", "hard"),
                                               ("piece of cake", "easy")])
def test_a_bare_effort_is_heard_only_when_the_session_listens_for_it(model, utterance, effort):
    from skill.api.turn import _slot_values

    listening = {"type": "Dialog.ElicitSlot", "slotToElicit": "effort",
                 "updatedIntent": {"name": "SetFeedbackIntent", "confirmationStatus": "NONE", "slots": {}}}
    heard = model[1].resolve(utterance, listening)
    assert (heard.intent, _slot_values(heard.slots)) == ("SetFeedbackIntent", {"effort": effort})
    assert model[1].resolve(utterance).intent != "SetFeedbackIntent"


def test_the_plugin_validates(validate_plugin):
    assert validate_plugin(PLUGIN) == []
