"""A household on one account: each recognised person their own coach; unrecognised voices share a profile."""

from __future__ import annotations

import itertools

import pytest

from skill.kit.simulator import AlexaSimulator, finish_routine
from skill.store.owner import person_envelope

_households = itertools.count(1)
ALICE, BOB = "amzn1.ask.person.ALICE0001", "amzn1.ask.person.BOB00002"


@pytest.fixture
def home(shared_skill):
    """Speakers of one account: ``home(ALICE)``, ``home(BOB)``, ``home(None)`` (a voice Alexa did not recognise)."""
    account = f"amzn1.ask.account.HOUSEHOLD-{next(_households)}"
    return lambda person: AlexaSimulator(shared_skill, user_id=account, person_id=person)


def finish_glute_stretches(speaker: AlexaSimulator, utterance: str = "stretch my glutes") -> list:
    return finish_routine(speaker, utterance)


def test_a_recognised_person_is_greeted_by_name_with_alexas_tag(home):
    answer = home(ALICE).launch()
    assert f'<alexa:name type="first" personId="{ALICE}"/>' in answer.ssml
    assert "<alexa:name" not in answer.body["reprompt"]["outputSpeech"]["ssml"]
    assert "Welcome to Stride Coach" in answer.speech


def test_an_unrecognised_voice_is_not_greeted_by_name(home):
    answer = home(None).launch()
    assert "<alexa:name" not in answer.ssml


def test_each_person_keeps_their_own_settings_and_history(home):
    alice, bob, guest = home(ALICE), home(BOB), home(None)
    alice.launch()
    alice.say("make the holds longer")
    bob.launch()
    bob.say("speak slower")
    alice.launch()
    finish_glute_stretches(alice)
    alice.say("stop")
    assert alice.stored["prefs"]["hold_scale"] == 1.25 and "rate" not in alice.stored["prefs"]
    assert bob.stored["prefs"] == {"rate": 90}
    assert [h["title"] for h in alice.stored["history"]] and "history" not in bob.stored
    assert "prefs" not in guest.stored and "history" not in guest.stored
    answer = bob.say("what did i do this week")
    assert "haven't finished a session" in answer.speech


def test_data_from_before_voice_profiles_stays_with_the_account(home, shared_skill):
    guest = home(None)
    shared_skill.adapter.save_attributes(person_envelope(guest.user_id, None), {"prefs": {"rate": 110}})
    alice = home(ALICE)
    alice.launch()
    assert "prefs" not in alice.stored
    assert guest.stored["prefs"] == {"rate": 110}


def test_an_unrecognised_voice_hears_once_that_progress_goes_on_the_shared_profile(home):
    home(ALICE).launch()  # the household uses voice profiles
    guest = home(None)
    first = guest.launch()
    assert "didn't recognise your voice" in first.speech
    assert "shared profile" in first.speech
    answers = finish_glute_stretches(guest)
    guest.say("stop")
    assert not any("didn't recognise" in a.speech for a in answers)
    assert guest.stored["history"], "the unrecognised voice's session went on the shared profile"
    assert "didn't recognise your voice" in guest.launch().speech  # a new session: said once again


def test_a_one_shot_session_hears_the_note_when_its_progress_is_saved(home):
    home(BOB).launch()
    guest = home(None)
    answers = finish_glute_stretches(guest, "ask stride coach to stretch my glutes")
    assert "didn't recognise your voice" in answers[-1].speech
    assert sum("didn't recognise" in a.speech for a in answers) == 1


def test_a_home_without_voice_profiles_never_hears_the_note(home):
    guest = home(None)
    assert "recognise" not in guest.launch().speech
    finish_glute_stretches(guest)
    guest.say("stop")
    assert guest.stored["history"]
    assert all("recognise" not in a.speech for a in guest.answers)


def test_forget_me_deletes_only_the_speaking_person(home):
    alice, bob, guest = home(ALICE), home(BOB), home(None)
    for speaker, utterance in ((alice, "make the holds longer"), (bob, "speak faster"), (guest, "speak slower")):
        speaker.launch()
        speaker.say(utterance)
    alice.launch()
    question = alice.say("forget me")
    assert f'personId="{ALICE}"' in question.ssml and "Everyone else in your household keeps theirs" in question.speech
    done = alice.say("yes")
    assert done.ended and "deleted everything" in done.speech
    assert alice.stored == {}
    assert bob.stored["prefs"] == {"rate": 110}
    assert guest.stored["prefs"] == {"rate": 90}


def test_forget_me_from_an_unrecognised_voice_deletes_the_shared_profile_only(home):
    alice, guest = home(ALICE), home(None)
    alice.launch()
    alice.say("speak faster")
    guest.launch()
    guest.say("speak slower")
    question = guest.say("forget me")
    assert "don't recognise your voice" in question.speech and "shared profile" in question.speech
    done = guest.say("yes")
    assert "shared profile" in done.speech
    assert guest.stored == {}
    assert alice.stored["prefs"] == {"rate": 110}


def test_a_voice_recognised_mid_session_keeps_to_the_person_speaking(home):
    """Alexa names the speaker of each request; the store follows that request's speaker."""
    alice = home(ALICE)
    alice.launch()
    alice.device.person_id = BOB
    alice.say("speak slower")
    assert home(BOB).stored["prefs"] == {"rate": 90}
    assert "prefs" not in home(ALICE).stored


def test_one_persons_too_hard_does_not_change_another_persons_squats(home):
    alice, bob = home(ALICE), home(BOB)
    alice.launch()
    alice.say("let's do squats")
    assert "next time we'll step back to the box squat" in alice.say("too hard").speech
    alice.say("stop")
    bob.launch()
    bob_first = bob.say("let's do squats")
    assert "box squat" not in bob_first.speech
    alice.next_day()
    alice.launch()
    answer = alice.say("let's do squats")
    if "the morning after" in answer.speech:  # the 24-hour check before a later strength session
        answer = alice.say("no")
    assert "box squat" in answer.speech


def test_a_paused_session_is_offered_back_only_to_the_person_who_paused_it(home):
    alice, bob = home(ALICE), home(BOB)
    alice.launch()
    alice.say("start my stretches")
    alice.say("stop", after=40)
    assert "Pick up there?" in alice.launch().speech
    assert "Pick up there?" not in bob.launch().speech


@pytest.mark.parametrize("person", [{"personId": ""}, {"personId": 42}, {"personId": "x" * 256}, {}, "amzn1"])
def test_a_malformed_person_is_refused_and_nothing_is_stored(shared_skill, person):
    from skill.kit.device import SimulatedDevice
    from skill.pipeline.app import BadRequest

    envelope = SimulatedDevice(f"amzn1.ask.account.HOSTILE-{next(_households)}").launch()
    envelope["context"]["System"]["person"] = person
    with pytest.raises(BadRequest, match="personId"):
        shared_skill.handle(envelope)
    assert shared_skill.adapter.get_attributes(person_envelope(envelope["context"]["System"]["user"]["userId"],
                                                               None)) == {}
