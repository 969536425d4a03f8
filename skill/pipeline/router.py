"""ask-sdk request handlers: what the core answers itself, and how intents reach plugins.

Routing of an IntentRequest, in order:

1. Stop and Cancel end the session (a playing session is paused and saved first).
2. Help, Fallback and NavigateHome are answered by the core, in every state.
3. Generic intents (yes, no, next, ...) go to the plugin whose conversation is in progress
   (``handle_followup``); with a timed session playing and no side conversation, the engine's
   controls (pause, resume, next, previous, repeat, start over) are answered by the core.
4. Every other intent goes to the plugin that registered it.
5. Anything else gets a short "I can't do that here" and the menu.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar

from ask_sdk_core.dispatch_components import (
    AbstractExceptionHandler,
    AbstractRequestHandler,
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.engine import Played
from skill.host.host import PluginHost
from skill.pipeline import core_intents as core_plugin
from skill.pipeline import session_questions
from skill.pipeline.exchange import Conversation, PluginError
from skill.speech.builder import Speech

log = logging.getLogger("stride_coach.dispatch")
CURRENT_EVENT: ContextVar[dict] = ContextVar("stride_coach_event")

YES, NO = "AMAZON.YesIntent", "AMAZON.NoIntent"
ENGINE_CONTROLS = {
    "AMAZON.PauseIntent": "pause", "AMAZON.ResumeIntent": "resume", "AMAZON.NextIntent": "next",
    "AMAZON.PreviousIntent": "previous", "AMAZON.RepeatIntent": "repeat", "AMAZON.StartOverIntent": "start_over",
}
GENERIC = {YES, NO, *ENGINE_CONTROLS}
NOT_SURE = "NotSureIntent"
# Answers to a question: they go to the plugin that asked it, even while its timed session plays.
ANSWERS = (YES, NO, NOT_SURE)
PLAN_FALLBACK = "Sorry, I didn't catch that. You can ask how long is left or what's next, or say pause, next or stop."
NOTHING_PLAYING = {
    "AMAZON.PauseIntent": "There's nothing playing to pause.",
    "AMAZON.ResumeIntent": "There's nothing to resume right now.",
    "AMAZON.NextIntent": "There's nothing to move on from yet.",
    "AMAZON.PreviousIntent": "There's nothing to go back to yet.",
    "AMAZON.RepeatIntent": "There's nothing to repeat yet.",
    "AMAZON.StartOverIntent": "There's nothing to start over yet.",
    YES: "I'm not sure what you're saying yes to.",
    NO: "Okay.",
}
APOLOGY = "Sorry, something went wrong on my side."


def conversation_of(handler_input: HandlerInput) -> Conversation:
    return handler_input.attributes_manager.request_attributes["conversation"]


class StartConversation(AbstractRequestInterceptor):
    """Load the user's state once per request and announce new sessions to plugins."""

    def __init__(self, host: PluginHost, adapter) -> None:
        self.host, self.adapter = host, adapter

    def process(self, handler_input: HandlerInput) -> None:
        conversation = Conversation(handler_input, self.host, self.adapter, CURRENT_EVENT.get({}).get("request", {}))
        handler_input.attributes_manager.request_attributes["conversation"] = conversation
        session = handler_input.request_envelope.session
        if session is not None and session.new:
            conversation.broadcast("session_started")


class SaveState(AbstractResponseInterceptor):
    def process(self, handler_input: HandlerInput, response: Response) -> None:
        conversation_of(handler_input).save()


class LaunchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return handler_input.request_envelope.request.object_type == "LaunchRequest"

    def handle(self, handler_input: HandlerInput) -> Response:
        conversation = conversation_of(handler_input)
        conversation.set_active(None)
        offers = conversation.offers()
        speech = Speech("Welcome to Stride Coach, your coach for a happier back on the run.")
        nudges = [o for o in offers if o.nudge]
        if nudges:
            conversation.set_active(nudges[0].plugin)
            return conversation.build(speech, nudges[0].nudge)
        menu = conversation.menu_offers()
        if menu:
            speech.say(f"For example, say: {menu[0].try_saying}.")
        return conversation.build(speech, conversation.menu_prompt())


class SessionEndedHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return handler_input.request_envelope.request.object_type == "SessionEndedRequest"

    def handle(self, handler_input: HandlerInput) -> Response:
        conversation = conversation_of(handler_input)
        request = handler_input.request_envelope.request
        reason = getattr(request.reason, "value", None) or "USER_INITIATED"
        if request.error is not None:
            log.warning("session ended with error %s: %s", request.error.object_type, request.error.message)
        conversation.freeze_player()
        if conversation.player.active:
            conversation.save_resume_point(conversation.player.position())
        conversation.broadcast("session_ended", reason=reason)
        return handler_input.response_builder.response  # Alexa accepts no speech here


class IntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return handler_input.request_envelope.request.object_type == "IntentRequest"

    def handle(self, handler_input: HandlerInput) -> Response:
        conversation = conversation_of(handler_input)
        intent = handler_input.request_envelope.request.intent.name
        conversation.freeze_player()
        try:
            return route(conversation, intent)
        except PluginError as error:
            return apologise(conversation, error)


def route(conversation: Conversation, intent: str) -> Response:
    if intent in ("AMAZON.StopIntent", "AMAZON.CancelIntent"):
        return stop(conversation)
    if intent == "AMAZON.HelpIntent":
        return help_answer(conversation)
    if intent == "AMAZON.NavigateHomeIntent":
        return go_home(conversation)
    if intent == "AMAZON.FallbackIntent":
        return fallback(conversation)
    player, active = conversation.player, conversation.active
    in_side_conversation = active is not None and (
        not player.active or active != player.plan["owner"] or conversation.state.core.get("asking") == active)
    if (intent in GENERIC or intent == NOT_SURE) and active and (intent in ANSWERS or in_side_conversation):
        reply = conversation.call_plugin(active, "handle_followup") if conversation.host.implements(active, "handle_followup") else None
        if reply is not None:
            return conversation.respond(reply, active)
    if intent in GENERIC and player.active:
        return control_player(conversation, intent)
    if intent == "AMAZON.ResumeIntent" and conversation.state.paused:
        return conversation.respond(core_plugin.resume_saved(conversation.turn("core")), "core")
    spec = conversation.host.intents.get(intent)
    if spec is not None:
        reply = conversation.call_handler(spec.plugin, spec.handler)
        if reply is None:
            return conversation.build(Speech("I don't have anything for that just now."), conversation.menu_prompt())
        return conversation.respond(reply, spec.plugin)
    last_prompt = conversation.state.core.get("last_prompt")
    if intent == "AMAZON.RepeatIntent" and last_prompt and not player.active:  # "again": the question again
        return conversation.build(Speech(), last_prompt)
    if intent in GENERIC:
        return conversation.build(Speech(NOTHING_PLAYING[intent]), conversation.menu_prompt())
    log.warning("no plugin handles intent %s", intent)
    return conversation.build(Speech("Sorry, I can't help with that here."), conversation.menu_prompt())


def control_player(conversation: Conversation, intent: str) -> Response:
    player = conversation.player
    if intent == YES:
        action = "resume" if player.state.get("paused") is not None else "next"
    elif intent == NO:
        return conversation.build(Speech("Okay."), "Say next when you're ready, or stop to finish for now.")
    else:
        action = ENGINE_CONTROLS[intent]
    played: Played = getattr(player, action)()
    conversation.set_active(player.plan["owner"])
    return conversation.play(played)


def stop(conversation: Conversation) -> Response:
    speech = Speech()
    if conversation.player.active:
        conversation.save_resume_point(conversation.player.position())
        speech.say("Stopped. Next time you open Stride Coach, I'll offer to pick up where you left off.")
        conversation.player.clear()
    conversation.set_active(None)
    speech.say("Goodbye, and easy running.")
    return conversation.build(speech, None, end_session=True)


def help_answer(conversation: Conversation) -> Response:
    player, active = conversation.player, conversation.active
    if player.active and active == player.plan["owner"]:
        title = player.plan["title"]
        speech = Speech(f"You're in the middle of {title}. You can say pause, resume, next, previous, repeat, "
                        "skip, or start over. Say keep going to run exercises back to back, or make the holds "
                        "longer or shorter. Say stop to finish for now.")
        return conversation.build(speech, "Say resume to carry on, or stop to finish.")
    speech = Speech("Stride Coach guides runners with a sore lower back through short, safe routines. "
                    "It's general exercise guidance, not medical advice.")
    last_prompt = conversation.state.core.get("last_prompt")
    if active and last_prompt:  # in the middle of a plugin's conversation: explain, then ask again
        speech.say("You can say stop at any time, or answer the question.")
        return conversation.build(speech, last_prompt)
    for offer in conversation.offers():
        speech.say(offer.help)
    speech.say("During a session you can say pause, resume, next, repeat or stop, any time.")
    conversation.set_active(None)
    return conversation.build(speech, conversation.menu_prompt())


def go_home(conversation: Conversation) -> Response:
    if conversation.player.active:
        conversation.save_resume_point(conversation.player.position())
        conversation.player.clear()
    conversation.set_active(None)
    return conversation.build(Speech("Okay, back to the start."), conversation.menu_prompt())


def fallback(conversation: Conversation) -> Response:
    if conversation.interrupted:  # mid-hold or mid-set: say what can be said, and carry on
        return conversation.respond(session_questions.carry_on(conversation, Speech(PLAN_FALLBACK)), "core")
    prompt = conversation.state.core.get("last_prompt") or conversation.menu_prompt()
    if conversation.player.active and conversation.player.state.get("paused") is not None:
        prompt = "Say resume to carry on, next to move on, or stop to finish."
    return conversation.build(Speech("Sorry, I didn't catch that."), prompt)


def apologise(conversation: Conversation, error: PluginError) -> Response:
    conversation.failed_plugin = error.plugin
    conversation.set_active(None)
    if conversation.player.active and conversation.player.plan.get("owner") == error.plugin:
        conversation.player.clear()
    titles = [o.title for o in conversation.menu_offers() if o.plugin != error.plugin]
    way_forward = f"You could ask for {' or '.join(titles[:2])} instead." if titles else ""
    return conversation.build(Speech("Sorry, that part of Stride Coach ran into a problem.", way_forward),
                              "What would you like to do?")


class OtherRequestHandler(AbstractRequestHandler):
    """Request types the skill does not use (display events, audio player events, ...)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        log.warning("ignored request type %s", handler_input.request_envelope.request.object_type)
        return handler_input.response_builder.response


class CatchAll(AbstractExceptionHandler):
    """Last resort: one sentence of apology, the session kept usable, no internal details."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.error("unhandled error: %r", exception, exc_info=exception)
        request = handler_input.request_envelope.request
        rb = handler_input.response_builder
        if request is not None and request.object_type == "SessionEndedRequest":
            return rb.response
        prompt = "You can ask for help. What would you like to do?"
        return rb.speak(Speech(APOLOGY, prompt).ssml()).ask(Speech(prompt).ssml()) \
            .set_should_end_session(False).response
