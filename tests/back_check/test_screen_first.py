"""Safe from the first session: the short screen before any coaching, from any plugin, in every locale.

The safety gate (``before_coaching``) runs in this module. A user is "screened" by talking, never
by seeding the store. Expectations are read from the content files (the screen and the care
lines); the numbers per locale are written out here independently of them.
"""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
from test_back_check import CARE, QUESTIONS, RECHECK_QUESTIONS, ROOT, SCREEN, diagnosis_store

from skill import Reply, hookimpl
from skill.kit.simulator import AlexaSimulator, dump

LOCALES = ["en-GB", "en-US", "en-CA", "en-AU", "en-IN"]
# The numbers each locale must hear (spoken as words), and those it must never hear.
EMERGENCY_WORDS = {"en-GB": "nine nine nine", "en-US": "nine one one", "en-CA": "nine one one",
                   "en-AU": "triple zero", "en-IN": "one one two"}
ADVICE_WORDS = {"en-GB": "one one one", "en-CA": "eight one one",
                "en-AU": "one eight hundred, zero two two, two two two"}
MANIFEST_NUMBERS = {"en-GB": ("999", "111"), "en-US": ("911",), "en-CA": ("911", "811"),
                    "en-AU": ("000", "1800 022 222"), "en-IN": ("112",)}
SCREEN_TEXTS = {q["text"] for q in SCREEN["questions"]} | {SCREEN["clearance_question"], SCREEN["clearance_again"]}
RATING = re.compile(r"zero to ten")


@pytest.fixture
def stride_coach_safety_gate():
    return True


class FoamRoll:
    """A third-party plugin with one timed session: it gets the screen like the built-ins."""

    @hookimpl
    def register_intents(self, register):
        register({"name": "FoamRollIntent", "samples": {"en": ["foam roll my calves", "foam rolling"]}}, self.start)

    def start(self, turn):
        block = {"id": "calf_roll", "name": "the calf roll", "short_name": "the calf roll",
                 "setup": ["Sit with the roller under your calves."], "sides": [], "sets": 1,
                 "work": {"type": "hold", "seconds": 20}}
        return Reply.play({"id": "foam:calves", "owner": "", "title": "calf rolling", "blocks": [block]},
                          "Let's roll your calves.")


def user(skill, locale: str = "en-US", name: str = "") -> AlexaSimulator:
    safe = re.sub(r"\W", "_", name)
    return AlexaSimulator(skill, user_id=f"amzn1.ask.account.first-{locale}-{safe}", locale=locale)


def playing(answer) -> dict | None:
    player = answer.session.get("core", {}).get("player")
    return player["plan"] if player else None


def answer_screen(alexa, answers: dict | None = None, default: str = "no") -> list:
    """Answer every screen question (``answers`` by question id), then the weekly ratings; all responses."""
    log = []
    answer = alexa.answers[-1]
    while not answer.ended and answer.reprompt in SCREEN_TEXTS | {q["text"] for q in QUESTIONS}:
        question = next((q for q in SCREEN["questions"] if q["text"] == answer.reprompt), None)
        reply = (answers or {}).get(question["id"] if question else "clearance", default)
        answer = alexa.say(reply)
        log.append(answer)
    while not answer.ended and answer.reprompt and RATING.search(answer.reprompt):
        answer = alexa.say("five")
        log.append(answer)
    return log


def come_back_after_a_screen(alexa, days: int) -> None:
    """Screened with stretches, stopped; back ``days`` later, saying no to picking the stretches up."""
    alexa.launch()
    alexa.say("start my stretches")
    answer_screen(alexa)
    alexa.say("stop")
    alexa.next_day(days)
    alexa.launch()
    alexa.say("no")


def one_answer_into_the_screen(alexa, request: str) -> AlexaSimulator:
    """A new user who asked for ``request`` and answered the first safety question no."""
    alexa.launch()
    alexa.say(request)
    alexa.say("no")
    return alexa


def screen_questions_asked(alexa) -> list[str]:
    return [a.reprompt for a in alexa.answers if a.reprompt in {q["text"] for q in SCREEN["questions"]}]


# -- the screen comes first, for every kind of coaching -----------------------------------------
FIRST_REQUESTS = {
    "start my stretches": "stretch:after_run", "stretch my glutes": "stretch:glutes", "warm up": "stretch:before_run",
    "strength session": "strength:full_body", "core workout": "strength:core", "leg day": "strength:legs",
}


@pytest.mark.parametrize("utterance", list(FIRST_REQUESTS))
def test_a_first_request_for_any_coaching_gets_the_disclaimer_and_the_screen_first(stride_skill, utterance):
    alexa = user(stride_skill, name=utterance)
    alexa.launch()
    first = alexa.say(utterance)
    assert playing(first) is None, "nothing plays before the screen"
    assert first.speech.startswith(SCREEN["disclaimer_full"]), dump(first)
    assert SCREEN["privacy"] in first.speech
    assert first.reprompt == QUESTIONS[0]["text"]
    log = answer_screen(alexa)
    assert len(screen_questions_asked(alexa)) == len(QUESTIONS) <= 6
    started = log[-1]
    assert playing(started) is not None and playing(started)["id"] == FIRST_REQUESTS[utterance], dump(started)
    assert SCREEN["all_clear"] in " ".join(a.speech for a in log)
    assert diagnosis_store(alexa)["screened_on"] == "2026-03-02"


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("utterance", ["strength session", "start my stretches"])
def test_in_every_locale_a_first_request_is_screened_then_played(stride_skill, locale, utterance):
    alexa = user(stride_skill, locale, name=f"locale-{utterance}")
    alexa.launch()
    first = alexa.say(utterance)
    assert playing(first) is None and first.reprompt == QUESTIONS[0]["text"], dump(first)
    started = answer_screen(alexa)[-1]
    assert len(screen_questions_asked(alexa)) <= 6
    assert playing(started)["id"] == FIRST_REQUESTS[utterance]


def test_a_third_party_plugins_session_is_screened_too(tmp_path):
    from skill.kit.simulator import make_skill

    skill = make_skill(tmp_path / "s.db", [("foam_roll", FoamRoll())])
    alexa = user(skill, name="foam")
    alexa.launch()
    first = alexa.say("foam roll my calves")
    assert playing(first) is None and first.reprompt == QUESTIONS[0]["text"], dump(first)
    started = answer_screen(alexa)[-1]
    assert playing(started)["id"] == "foam:calves"
    assert "Let's roll your calves." in started.speech, "the plugin's own words come after the screen"


def test_the_disclaimer_is_short_and_said_in_full_once(stride_skill):
    assert len(SCREEN["disclaimer_full"].split()) <= 50
    alexa = user(stride_skill, name="disclaimer")
    alexa.launch()
    alexa.say("start my stretches")
    answer_screen(alexa)
    alexa.say("stop")
    alexa.next_day(8)
    alexa.launch()
    again = alexa.say("start my stretches")
    assert SCREEN["disclaimer_full"] not in again.speech and SCREEN["disclaimer_short"] in again.speech


def test_within_the_week_a_screened_user_goes_straight_to_coaching(stride_skill):
    alexa = user(stride_skill, name="week")
    come_back_after_a_screen(alexa, days=3)
    answer = alexa.say("strength session")
    assert playing(answer) is not None and playing(answer)["id"] == "strength:full_body", dump(answer)


def test_after_a_week_the_recheck_asks_the_routine_question_and_not_the_history_one(stride_skill):
    alexa = user(stride_skill, name="recheck")
    come_back_after_a_screen(alexa, days=8)
    first = alexa.say("start my stretches")
    assert SCREEN["recheck_intro"] in first.speech
    before = len(screen_questions_asked(alexa))
    answer_screen(alexa)
    asked = screen_questions_asked(alexa)[before - 1:]
    assert asked == [q["text"] for q in RECHECK_QUESTIONS]
    assert len(asked) <= 6 and SCREEN["questions"][5]["text"] not in asked


def test_a_routine_yes_at_a_recheck_advises_a_review_and_coaching_goes_on(stride_skill):
    alexa = user(stride_skill, name="routine")
    come_back_after_a_screen(alexa, days=8)
    alexa.say("start my stretches")
    log = answer_screen(alexa, {"R1": "yes"})
    heard = " ".join(a.speech for a in log)
    assert SCREEN["routine_advice"] in heard and "physiotherapist" in heard
    assert playing(log[-1])["id"] == "stretch:after_run"


@pytest.mark.parametrize("position", range(5), ids=[q["id"] for q in QUESTIONS[:5]])
def test_a_yes_before_coaching_stops_it_and_voids_the_screen(stride_skill, position):
    alexa = user(stride_skill, name=f"void-{position}")
    alexa.launch()
    alexa.say("strength session")
    ended = answer_screen(alexa, {QUESTIONS[position]["id"]: "yes"})[-1]
    assert ended.ended and playing(ended) is None
    assert "screened_on" not in diagnosis_store(alexa)
    alexa.launch()
    assert alexa.say("start my stretches").reprompt == QUESTIONS[0]["text"], "screened again"


def test_a_later_yes_voids_the_screen_and_the_saved_session(stride_skill):
    alexa = user(stride_skill, name="later-yes")
    alexa.launch()
    alexa.say("start my stretches")
    answer_screen(alexa)
    alexa.say("stop")  # a resume point is saved
    alexa.next_day()
    alexa.launch()
    alexa.say("no")
    alexa.say("my leg feels numb")
    assert alexa.say("yes").ended
    alexa.next_day()
    welcome = alexa.launch()
    assert "Pick up there?" not in welcome.speech, "a red flag drops the saved session"
    assert alexa.say("start my stretches").reprompt == QUESTIONS[0]["text"]


def test_stop_mid_screen_plays_nothing_and_keeps_nothing(stride_skill):
    alexa = one_answer_into_the_screen(user(stride_skill, name="stop"), "strength session")
    stopped = alexa.say("stop")
    assert stopped.ended and playing(stopped) is None
    assert "screened_on" not in diagnosis_store(alexa)
    welcome = alexa.launch()
    assert "Pick up there?" not in welcome.speech


def test_help_and_fallback_mid_screen_keep_the_request_waiting(stride_skill):
    alexa = one_answer_into_the_screen(user(stride_skill, name="help"), "core workout")
    assert alexa.say("help").reprompt == QUESTIONS[1]["text"]
    assert alexa.say("blah blah purple").reprompt == QUESTIONS[1]["text"]
    assert playing(answer_screen(alexa)[-1])["id"] == "strength:core"


def test_a_new_request_mid_screen_replaces_the_waiting_one_and_the_screen_goes_on(stride_skill):
    alexa = one_answer_into_the_screen(user(stride_skill, name="replace"), "strength session")
    again = alexa.say("start my stretches")
    assert playing(again) is None and again.reprompt in {q["text"] for q in QUESTIONS}
    assert playing(answer_screen(alexa)[-1])["id"] == "stretch:after_run"


# -- not sure: caution and advice, never a loop ---------------------------------------------------
@pytest.mark.parametrize("utterance", ["not sure", "i don't know", "maybe", "i'm not sure"])
@pytest.mark.parametrize("position", range(5), ids=[q["id"] for q in QUESTIONS[:5]])
def test_not_sure_to_a_serious_question_gives_cautious_advice_and_never_asks_it_again(stride_skill, position,
                                                                                    utterance):
    alexa = user(stride_skill, name=f"unsure-{position}-{utterance}")
    alexa.launch()
    alexa.say("start my stretches")
    for _ in range(position):
        alexa.say("no")
    answer = alexa.say(utterance)
    tier = QUESTIONS[position]["tier"]
    assert answer.ended, dump(answer)
    assert CARE["locales"]["en-US"][f"unsure_{tier}"] in answer.speech
    assert QUESTIONS[position]["text"] not in answer.speech
    assert playing(answer) is None and "screened_on" not in diagnosis_store(alexa)


# -- care numbers by locale -----------------------------------------------------------------------
@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("reply, tier", [("yes", "emergency"), ("not sure", "emergency"), ("yes", "urgent"),
                                         ("not sure", "urgent")])
def test_each_locale_hears_its_own_care_numbers_and_to_use_a_phone(stride_skill, locale, reply, tier):
    alexa = user(stride_skill, locale, name=f"care-{reply}-{tier}")
    alexa.launch()
    alexa.say("check my back")
    for _ in range(0 if tier == "emergency" else 3):
        alexa.say("no")
    answer = alexa.say(reply)
    speech = answer.speech.lower()
    assert answer.ended
    if tier == "emergency":
        assert EMERGENCY_WORDS[locale] in speech, speech
        assert "use your phone" in speech, "Alexa cannot call emergency services"
    if (reply == "not sure" or tier == "urgent") and locale in ADVICE_WORDS:
        assert ADVICE_WORDS[locale] in speech, speech
    others = {w for loc, w in EMERGENCY_WORDS.items() if w != EMERGENCY_WORDS[locale]}
    assert not any(w in speech for w in others), speech
    assert "local emergency number" not in speech


@pytest.mark.parametrize("locale", LOCALES)
def test_the_manifest_gives_each_locale_its_numbers_and_says_emergency_for_bladder_and_bowel(locale):
    from skill.manifest import load_texts, locale_text

    text = locale_text(load_texts(), locale)
    for number in MANIFEST_NUMBERS[locale]:
        assert number in text["description"], (locale, number)
    assert MANIFEST_NUMBERS[locale][0] in text["summary"]
    emergency = text["description"][text["description"].index("Get emergency help"):]
    assert "bladder" in emergency.split("See a doctor")[0], "bladder and bowel changes are an emergency"
    assert "use your phone" in text["description"]


def test_the_care_content_has_every_published_locale():
    assert set(CARE["locales"]) == set(LOCALES)
    for locale, lines in CARE["locales"].items():
        digits = lines["emergency_number"]
        assert digits == {"en-GB": "999", "en-US": "911", "en-CA": "911", "en-AU": "000", "en-IN": "112"}[locale]


# -- no lock-out: the history question -------------------------------------------------------------
def _history_yes(alexa, cleared: str, request: str = "strength session"):
    alexa.launch()
    alexa.say(request)
    for _ in range(5):
        alexa.say("no")
    asked = alexa.say("yes")
    assert asked.reprompt == SCREEN["clearance_question"] and not asked.ended
    return alexa.say(cleared)


def test_history_yes_with_an_okay_goes_on_with_gentler_coaching(stride_skill):
    alexa = user(stride_skill, name="cleared")
    answer = _history_yes(alexa, "yes")
    assert SCREEN["cleared"] in answer.speech
    while RATING.search(answer.reprompt or ""):
        answer = alexa.say("four")
    plan = playing(answer)
    assert plan["id"] == "strength:full_body"
    assert all(block["sets"] == 1 for block in plan["blocks"])
    assert diagnosis_store(alexa)["coaching"] == "gentle"


@pytest.mark.parametrize("cleared", ["no", "not sure"])
def test_history_yes_without_an_okay_means_stretches_and_tips_never_a_lock_out(stride_skill, cleared):
    alexa = user(stride_skill, name=f"not-cleared-{cleared}")
    answer = _history_yes(alexa, cleared)
    assert SCREEN["not_cleared"] in answer.speech and playing(answer) is None and not answer.ended
    stretches = alexa.say("start my stretches")
    while RATING.search(stretches.reprompt or ""):
        stretches = alexa.say("three")
    assert playing(stretches)["id"] == "stretch:after_run", "stretches stay open"
    alexa.say("stop")
    alexa.launch()
    alexa.say("no")
    refused = alexa.say("core workout")
    assert SCREEN["stretches_only"] in refused.speech and playing(refused) is None
    tip = alexa.say("tell me about back pain")
    assert not tip.ended and "another tip" in tip.reprompt
    alexa.next_day()
    alexa.launch()
    alexa.say("no")
    offered_again = alexa.say("core workout")
    assert offered_again.reprompt == SCREEN["clearance_again"], "the question is offered again later"
    answer = alexa.say("yes")
    while RATING.search(answer.reprompt or ""):
        answer = alexa.say("three")
    assert playing(answer)["id"] == "strength:core"


def test_a_history_yes_never_locks_the_back_check(stride_skill):
    alexa = user(stride_skill, name="history-check")
    answer = _history_yes(alexa, "no", request="check my back")
    assert SCREEN["not_cleared"] in answer.speech
    assert playing(answer) is not None and "check" in playing(answer)["data"], "the self-checks start"


def test_the_history_question_is_asked_once(stride_skill):
    alexa = user(stride_skill, name="history-once")
    alexa.launch()
    alexa.say("start my stretches")
    answer_screen(alexa)
    alexa.say("stop")
    for _ in range(3):
        alexa.next_day(8)
        alexa.launch()
        alexa.say("no")
        alexa.say("start my stretches")
        answer_screen(alexa)
        alexa.say("stop")
    assert screen_questions_asked(alexa).count(QUESTIONS[5]["text"]) == 1


# -- nothing about the answers is kept ---------------------------------------------------------------
ANSWER_TRACES = re.compile(r"\b(yes|not sure|unsure|cancer|steroid|osteoporosis|E[1-3]|U[12]|H1|R1)\b", re.IGNORECASE)


def test_no_answer_reaches_the_sqlite_file_or_the_session(stride_skill):
    scripts = [({}, "all no"), ({"E1": "yes"}, "emergency yes"), ({"U2": "not sure"}, "urgent unsure"),
               ({"H1": "yes", "clearance": "no"}, "history not cleared"),
               ({"H1": "not sure", "clearance": "yes"}, "ok")]
    users = []
    for answers, name in scripts:
        alexa = user(stride_skill, name=f"privacy-{name}")
        alexa.launch()
        alexa.say("strength session")
        log = answer_screen(alexa, answers)
        for answer in [alexa.answers[-len(log) - 1], *log]:
            session = answer.session.get("plugins", {}).get("diagnosis", {})
            assert set(session) <= {"step", "q", "kind", "purpose", "held_holds_only", "pain"}, session
            assert not ANSWER_TRACES.search(json.dumps(answer.session.get("plugins", {}))), answer.session
        users.append(alexa.user_id)
    path = stride_skill.adapter.path
    with sqlite3.connect(path) as conn:
        rows = [str(cell) for table, in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
                for row in conn.execute(f'SELECT * FROM "{table}"') for cell in row]
    cells = "\n".join(rows)
    assert all(u in cells for u in users), "the dump reads the real rows"
    outside_plans = re.sub(r"amzn1\.ask\.account\.\S+", "", re.sub(r'"paused_plan".*', "", cells))
    assert not ANSWER_TRACES.search(outside_plans), ANSWER_TRACES.search(outside_plans)
    for question in SCREEN["questions"]:
        assert question["text"] not in cells


def test_the_safety_docs_exist_and_name_every_care_number():
    doc = (ROOT / "docs" / "safety.md").read_text(encoding="utf-8")
    for numbers in MANIFEST_NUMBERS.values():
        for number in numbers:
            assert number in doc
    assert "before_coaching" in doc


def test_picking_up_a_saved_session_after_the_screen_has_run_out_screens_first(stride_skill):
    alexa = user(stride_skill, name="resume-late")
    alexa.launch()
    alexa.say("start my stretches")
    started = answer_screen(alexa)[-1]
    stopped_in = playing(started)["blocks"][0]["name"]
    alexa.say("stop", after=20)
    alexa.next_day(9)
    welcome = alexa.launch()
    assert "Pick up there?" in welcome.reprompt
    asked = alexa.say("yes")
    assert playing(asked) is None and SCREEN["recheck_intro"] in asked.speech, dump(asked)
    resumed = answer_screen(alexa)[-1]
    assert "Picking up where you left off." in resumed.speech
    assert playing(resumed)["id"] == "stretch:after_run" and stopped_in in resumed.speech
