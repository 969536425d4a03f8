"""The core's answers in every state: launch, help, stop, cancel, fallback, home, unknowns, forget me."""

import pytest

from skill.pipeline.app import BadRequest


def test_launch_welcomes_and_offers_every_plugin(alexa):
    answer = alexa.launch()
    assert "Welcome to Stride Coach" in answer.speech
    for offer in ("back check", "guided stretches", "strength session"):
        assert offer in answer.speech
    assert not answer.ended
    assert answer.reprompt.endswith("?")


@pytest.mark.parametrize("utterance", ["help", "what can you do"])
def test_help_explains_what_the_user_can_do(alexa, utterance):
    alexa.launch()
    answer = alexa.say(utterance)
    assert "not medical advice" in answer.speech
    assert "stretch" in answer.speech and "strength" in answer.speech
    assert not answer.ended and answer.reprompt


@pytest.mark.parametrize("utterance", ["stop", "cancel"])
def test_stop_and_cancel_end_the_session(alexa, utterance):
    alexa.launch()
    answer = alexa.say(utterance)
    assert answer.ended
    assert "Goodbye" in answer.speech
    assert not answer.reprompt


def test_stop_during_a_routine_saves_where_the_user_was(alexa):
    alexa.launch()
    alexa.say("start my stretches")
    answer = alexa.say("stop", after=40)
    assert answer.ended and "pick up where you left off" in answer.speech
    assert alexa.stored["paused_plan"]["title"] == "your after-run stretches"
    assert alexa.stored["paused"]["position"]["block"] == 0


def test_unmatched_utterance_is_fallback_and_keeps_the_session(alexa):
    alexa.launch()
    answer = alexa.say("what's the weather like on mars")
    assert answer.request["request"]["intent"]["name"] == "AMAZON.FallbackIntent"
    assert "didn't catch that" in answer.speech
    assert not answer.ended and answer.reprompt


def test_fallback_during_a_paused_routine_points_back_to_it(alexa):
    alexa.launch()
    alexa.say("stretch my glutes")
    alexa.say("pause", after=30)
    answer = alexa.say("purple monkey dishwasher")
    assert "Say resume" in answer.speech


@pytest.mark.parametrize("intent", ["AMAZON.YesIntent", "AMAZON.NoIntent", "AMAZON.NextIntent",
                                    "AMAZON.PreviousIntent", "AMAZON.RepeatIntent", "AMAZON.PauseIntent",
                                    "AMAZON.ResumeIntent", "AMAZON.StartOverIntent"])
def test_generic_intents_with_nothing_in_progress_get_a_helpful_answer(alexa, intent):
    alexa.launch()
    answer = alexa.intent(intent)
    assert not answer.ended
    assert "You can ask for" in answer.speech


def test_navigate_home_returns_to_the_menu(alexa):
    alexa.launch()
    alexa.say("stretch my quads")
    answer = alexa.intent("AMAZON.NavigateHomeIntent", after=5)
    assert "back to the start" in answer.speech
    assert "player" not in answer.session.get("core", {})


def test_session_ended_request_gets_an_empty_response(alexa):
    alexa.launch()
    answer = alexa.end_session("EXCEEDED_MAX_REPROMPTS")
    assert answer.body == {} or (not answer.body.get("outputSpeech") and not answer.body.get("reprompt"))


def test_unknown_intent_is_answered_without_crashing(alexa):
    alexa.launch()
    answer = alexa.intent("NoSuchThingIntent")
    assert "can't help with that" in answer.speech
    assert not answer.ended


def test_unknown_request_type_gets_an_empty_response(alexa):
    alexa.launch()
    # (An APL UserEvent is a touch button now: tests/screen.)
    answer = alexa.send(alexa.device.request({"type": "AudioPlayer.PlaybackStarted", "token": "t",
                                              "offsetInMilliseconds": 0}))
    assert not answer.body.get("outputSpeech")


@pytest.mark.parametrize("event, reason", [
    ({}, "request.type"),
    ({"request": {"type": "LaunchRequest"}}, "userId"),
    ({"request": {"type": "IntentRequest"}, "context": {"System": {"user": {"userId": "u"}}}}, "intent.name"),
    ([1, 2], "JSON object"),
])
def test_malformed_envelopes_are_refused_clearly(stride_skill, event, reason):
    with pytest.raises(BadRequest, match=reason):
        stride_skill.handle(event)


def test_forget_me_deletes_everything_after_confirmation(alexa):
    alexa.launch()
    alexa.say("make the holds longer")
    assert alexa.stored["prefs"]["hold_scale"] > 1
    question = alexa.say("forget me")
    assert question.speech.endswith("?")
    answer = alexa.say("yes")
    assert answer.ended and "deleted everything" in answer.speech
    assert alexa.stored == {}


def test_forget_me_keeps_everything_when_the_user_says_no(alexa):
    alexa.launch()
    alexa.say("make the holds longer")
    alexa.say("delete my data")
    answer = alexa.say("no")
    assert "kept everything" in answer.speech
    assert alexa.stored["prefs"]["hold_scale"] > 1


def test_same_user_is_remembered_across_sessions(alexa):
    alexa.launch()
    alexa.say("slower")
    alexa.say("stop")
    alexa.next_day()
    alexa.launch()
    answer = alexa.say("what did i do this week")
    assert 'rate="90%"' in answer.ssml


class _TooLongPlugin:
    """A plugin whose answer would break Alexa's 8000-character limit."""

    from skill import hookimpl as _hookimpl

    @staticmethod
    @_hookimpl
    def register_intents(register):
        from skill import Reply

        register({"name": "RambleIntent", "samples": {"en": ["ramble on"]}},
                 lambda turn: Reply.ask("Blah blah. " * 900, prompt="More?"))


def test_a_response_over_the_speech_limit_is_never_sent(tmp_path):
    from skill.kit.simulator import AlexaSimulator, make_skill

    alexa = AlexaSimulator(make_skill(tmp_path / "db.sqlite", [("rambler", _TooLongPlugin())]))
    alexa.launch()
    answer = alexa.say("ramble on")  # the kit would fail the test if anything over 8000 went out
    assert answer.speech.startswith("Sorry, something went wrong on my side.")
    assert "Blah" not in answer.speech
    assert not answer.ended and answer.reprompt


class _DeadEndPlugin:
    """A plugin that keeps the session open after a statement that asks nothing."""

    from skill import hookimpl as _hookimpl

    @staticmethod
    @_hookimpl
    def register_intents(register):
        from skill import Reply

        register({"name": "DeadEndIntent", "samples": {"en": ["dead end please"]}},
                 lambda turn: Reply.ask("Here is a fact.", prompt="The sky is blue."))


def test_a_plugin_prompt_that_asks_nothing_is_refused_with_an_apology(tmp_path):
    from skill.kit.simulator import AlexaSimulator, make_skill

    alexa = AlexaSimulator(make_skill(tmp_path / "db.sqlite", [("dead_end", _DeadEndPlugin())]))
    alexa.launch()
    answer = alexa.say("dead end please")
    assert "ran into a problem" in answer.speech and "The sky is blue" not in answer.speech
    assert answer.reprompt.endswith("?")
