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
from skill.speech.numbers import about_seconds_phrase
from skill.speech.phrases import line_kind, line_values

PLUGIN = "strength_coach"
SILENCE = re.compile(r"\[silence ([\d.]+) s\]")
REP_NUMBER = re.compile(r"\] (" + "|".join(w.capitalize() for w in COUNT_WORDS[1:]) + r")\.")
TOKEN = re.compile(r"\[silence ([\d.]+) s\]|([^.?!\[\]]+[.?!])")
ROUTINE_OF = {"full body session": "full_body", "let's do squats": "squats", "core workout": "core",
              "leg day": "legs"}
LAST_REP = {"Last one.", "Final one.", "Last rep."}


# -- helpers (also used by test_strength_progression and test_equipment) ----------------------------
def number(word: str) -> int:
    return int(word) if word.isdigit() else COUNT_WORDS.index(word.lower())


def silences(text: str) -> float:
    return sum(float(s) for s in SILENCE.findall(text))


def rep_seconds(tempo: dict) -> int:
    return tempo["down"] + tempo.get("bottom", 0) + tempo["up"] + tempo.get("top", 0)


def one_rep(tempo: dict, rep: int) -> str:
    """One rep as the user hears it: its number as it starts, then the tempo in silence:
    "One. [silence 2 s] Up. [silence 1 s]"."""
    second = tempo.get("words", ["down", "up"])[1]
    return (f"{COUNT_WORDS[rep].capitalize()}. [silence {tempo['down'] + tempo.get('bottom', 0)} s] "
            f"{second.capitalize()}. [silence {tempo['up'] + tempo.get('top', 0)} s]")


def tokens(text: str) -> list[tuple[str, object]]:
    return [("silence", float(m.group(1))) if m.group(1) else ("say", m.group(2).strip())
            for m in TOKEN.finditer(text) if m.group(1) or m.group(2).strip()]


def _render(parts: list[tuple[str, object]]) -> str:
    return " ".join(f"[silence {v:g} s]" if k == "silence" else str(v) for k, v in parts)


def sets_in(text: str) -> list[tuple[int, int, str]]:
    """Every set heard: (its place on its side, how many sets that side had, its words and silences).

    A set starts at "One." (or at "N to go." after a pause) and runs through its reps and their
    silences; a change of sides or a new exercise starts counting again.
    """
    sides: list[list[list]] = [[]]
    current: list | None = None
    for kind, value in tokens(text):
        if kind == "say":
            word = str(value)
            if word == "One." or re.fullmatch(r"\w+ to go\.", word):
                current = [(kind, value)]
                sides[-1].append(current)
                continue
            in_set = (re.fullmatch(r"[A-Z][a-z]+\.", word) and line_kind(word) is None) or word in LAST_REP
            # a form or safety cue between two reps stays in the set
            in_set = in_set or (line_kind(word) is None and not re.match(r"(First|Next|Now|Back to|Say) ", word))
            if current is not None and in_set:
                current.append((kind, value))
                continue
            current = None
            if line_kind(word) == "switch" or re.match(r"(First|Next|Now|Back to), ", word + " "):
                sides.append([])
        elif current is not None:
            current.append((kind, value))
    return [(k + 1, len(side), _render(body)) for side in sides for k, body in enumerate(side)]


def rests_in(text: str) -> list[tuple[str, str]]:
    """Every rest between sets: (its length as said, its silences and countdown)."""
    out: list[tuple[str, str]] = []
    current: list | None = None
    for kind, value in tokens(text):
        if kind == "say" and line_kind(str(value)) == "rest":
            current = []
            out.append((line_values(str(value), "rest")["rest"], current))
        elif current is not None and (kind == "silence" or line_kind(str(value)) == "rest_end"):
            current.append((kind, value))
        else:
            current = None
    return [(said, _render(body)) for said, body in out]


def first_rest_sentence(answer) -> str:
    return next(str(v) for k, v in tokens(answer.speech) if k == "say" and line_kind(str(v)) == "rest")


def before_rest(text: str) -> str:
    """The words and silences before the first rest is announced."""
    parts = tokens(text)
    cut = next((i for i, (k, v) in enumerate(parts) if k == "say" and line_kind(str(v)) == "rest"), len(parts))
    return _render(parts[:cut])


def counted(text: str) -> list[int]:
    words = [str(v).rstrip(".").lower() for k, v in tokens(text) if k == "say"]
    return [number(w) for w in words if w in COUNT_WORDS[1:]]


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
    known = card_["steps"][0] not in chunk  # a returning user hears the short set-up
    for step in card_.get("short_steps", card_["steps"][:1]) if known else card_["steps"]:
        assert step in chunk, f"{name}: setup step missing: {step}"
    assert chunk.count(card_["safety"]) == 1, f"{name}: the safety cue should be said once"
    tempo, sides = card_["dose"]["tempo"], 2 if card_["sided"] else 1
    found = sets_in(chunk)
    assert [(k, n) for k, n, _ in found] == [(k, sets) for _ in range(sides) for k in range(1, sets + 1)], name
    for _, _, body in found:
        assert body.startswith(one_rep(tempo, 1)), f"{name}: the first rep is not counted at the tempo"
        assert counted(body) == list(range(1, reps + 1)), f"{name}: reps counted {counted(body)}"
        assert silences(body) == reps * rep_seconds(tempo), f"{name}: the set's breaks don't add up"
        assert sum(body.count(line) for line in LAST_REP) == 1
    rests = rests_in(chunk)
    rest = card_["dose"]["rest_seconds"]
    assert len(rests) == (sets - 1) * sides, f"{name}: {len(rests)} rests"
    for said, body in rests:
        assert said == about_seconds_phrase(rest), f"{name}: said rest {said}"
        assert silences(body) == rest, f"{name}: the rest's breaks don't add up"
        assert (rest >= 20) == any(line_kind(v) == "rest_end" for k, v in tokens(body) if k == "say")
    if sides == 2:
        assert card_["switch"] in chunk
        change = chunk.split(card_["switch"], 1)[1]
        window = silences(change.split(" One.", 1)[0])
        assert window == max(rest, card_.get("get_ready_seconds", 4)), f"{name}: the change of sides"


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
    praise = [v for k, v in tokens(closing) if k == "say" and line_kind(str(v)) == "well_done"]
    assert len(praise) == 1  # the outro doesn't repeat the engine's praise


def test_squats_are_counted_one_way_two_seconds_down_one_up(alexa):
    answer = start(alexa, "let's do squats")
    assert "One. [silence 2 s] Up. [silence 1 s] Two. [silence 2 s] Up." in answer.speech
    assert re.search(r"(Last one|Final one|Last rep)\. Eight\. \[silence 2 s\] Up\. \[silence 1 s\] "
                     r"[^.]*a minute and a quarter", answer.speech)


@pytest.mark.parametrize("exercise", ["glute_bridge", "lying_knee_raise", "hanging_knee_raise", "hanging_leg_raise"])
def test_exercises_that_start_by_lifting_are_counted_lift_then_lower(alexa, exercise):
    tempo = card(alexa, exercise)["dose"]["tempo"]
    assert tempo.get("words") == ["lift", "lower"]
    assert one_rep(tempo, 1).startswith("One. [silence") and "Lower." in one_rep(tempo, 1)


def test_every_set_and_rest_adds_up_to_the_stored_target_after_progression(alexa):
    start(alexa, "let's do squats")
    alexa.next_day()
    squat = store(alexa)["exercises"]["squat"]  # read before: the session fits in one response
    assert squat["reps"] == 9
    answer = start(alexa, "let's do squats")
    assert "Since last time: The squat is up to 9 reps." in answer.speech
    check_exercise(answer.speech, card(alexa, "squat"), max(squat["sets"], 3), 9)


def test_the_number_of_sets_heard_is_the_stored_number(alexa):
    start(alexa, "full body session")
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
    start(alexa, "full body session")
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
    first = start(alexa, "full body session")
    answer = alexa.say(utterance, after=seconds_until(first, "Four.") + 2)
    assert feedback(answer) == {"squat": recorded}
    assert re.search(r"^.{0,160}Back to the squat\. Get back into position\. \[silence 3 s\] Five to go\. Four\.",
                     answer.speech), answer.speech[:300]
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
    first = alexa.say("core workout")  # several exercises in one response
    assert "Next, the lying knee raise" in first.speech, dump(first)
    last_played = "hanging_knee_raise" if "Next, the hanging knee raise" in first.speech else "lying_knee_raise"
    answer = alexa.say("i did 5")
    assert feedback(answer) == {last_played: {"reps": 5}}


# -- 6: the engine's controls inside a strength session -------------------------------------------------
def test_pause_and_resume_mid_set_counts_only_the_remaining_reps(alexa):
    first = start(alexa, "full body session")
    paused = alexa.say("pause", after=seconds_until(first, "Four.") + 2)  # in the fourth rep
    assert paused.speech.startswith("Paused during the squat.")
    resumed = alexa.say("resume")
    assert resumed.speech.startswith("Back to the squat. Get back into position. [silence 3 s] Five to go.")
    first_set = before_rest(resumed.speech)
    assert counted(first_set) == [4, 5, 6, 7, 8]
    assert silences(first_set) == 3 + 5 * rep_seconds(card(alexa, "squat")["dose"]["tempo"])
    (_, rest), = rests_in(resumed.speech)  # the rest after the first set is still whole
    assert silences(rest) == 75
    assert len(sets_in(resumed.speech)) == 2  # the rest of the first set, then the second whole


def test_resuming_with_three_reps_to_go_says_it_once(alexa):
    first = start(alexa, "full body session")
    alexa.say("pause", after=seconds_until(first, "Six.") + 2)
    resumed = alexa.say("resume")
    assert resumed.speech.startswith("Back to the squat. Get back into position. [silence 3 s] Three to go. Six."), \
        resumed.speech[:120]
    assert resumed.speech.count("Three to go.") == 1


@pytest.mark.parametrize("into_rest", [20, 41.5, 62])
def test_pause_and_resume_mid_rest_keeps_the_remaining_seconds(alexa, into_rest):
    first = start(alexa, "full body session")
    alexa.say("pause", after=seconds_into_rest(first, first_rest_sentence(first), into_rest))
    resumed = alexa.say("resume")
    assert resumed.speech.startswith("Back to the squat. "), resumed.speech[:200]
    (said, rest), = rests_in(resumed.speech)
    remaining = silences(rest)
    assert abs(remaining - (75 - into_rest)) <= 2
    assert said == about_seconds_phrase(remaining)  # said as people say it, timed exactly
    assert len(sets_in(resumed.speech)) == 1  # then the second set, whole


def test_next_mid_exercise_moves_on_and_repeat_plays_it_again(alexa):
    first = start(alexa, "full body session")
    moved = alexa.say("next", after=seconds_until(first, "Three."))
    assert moved.speech.startswith("Next, the Romanian deadlift with dumbbells.")
    again = alexa.say("repeat")
    assert again.speech.startswith("Again.")
    check_exercise(again.speech, card(alexa, "romanian_deadlift"), 2, 8)


def test_skip_mid_exercise_and_start_over(alexa):
    start(alexa, "full body session")
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
    answers = play_through(alexa, alexa.say("full body session"))
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
