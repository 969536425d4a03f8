"""Where each request goes. One function, :func:`route`, for every request type.

IntentRequest, in order:

1. Stop and Cancel end the session (a playing session is put aside and saved first).
2. Help, Fallback and NavigateHome are answered by the core, in every state.
3. Generic intents (yes, no, next, ...) go to the plugin whose conversation is in progress
   (``handle_followup``); with a timed session playing and no side conversation, the engine's
   controls (pause, resume, next, previous, repeat, start over) are answered by the core.
4. Every other intent goes to the plugin that registered it.
5. Anything else gets a short "I can't do that here" and the menu.

A touch button's UserEvent is answered as the IntentRequest it stands for (skill.screen.events).
LaunchRequest opens the menu (or a plugin's nudge), greeting a recognised person by name;
SessionEndedRequest notes where a playing session stopped and gets an empty response; the answer
to a reminders permission request (``Connections.Response``) sets the reminder it was asked for;
any other request type gets an empty response.
"""

from __future__ import annotations

import logging

from ask_sdk_model import Response

from skill.pipeline import core_intents, household, reminder_intents, session_questions, wording
from skill.pipeline.exchange import Exchange, PluginError
from skill.pipeline.playback import ENGINE_CONTROLS
from skill.screen.events import USER_EVENT, intent_for_event
from skill.speech.builder import Speech

log = logging.getLogger("stride_coach.router")

YES, NO = wording.YES, wording.NO
GENERIC = {YES, NO, *ENGINE_CONTROLS}
NOT_SURE = "NotSureIntent"
PLAN_FALLBACK = "Sorry, I didn't catch that. You can ask how long is left or what's next, or say pause, next or stop."


def route(exchange: Exchange) -> Response:
    request = exchange.handler_input.request_envelope.request
    assert request is not None  # read_envelope refuses an envelope without one
    kind = request.object_type
    session = exchange.handler_input.request_envelope.session
    if session is not None and session.new:
        household.note_voices(exchange)
        exchange.broadcast("session_started")
    if kind == "LaunchRequest":
        return launch(exchange)
    if kind in ("IntentRequest", USER_EVENT):
        # read_envelope refuses an IntentRequest without intent.name
        name = exchange.request["intent"]["name"] if kind == "IntentRequest" else _tapped_intent(exchange)
        exchange.playback.freeze()
        try:
            return intent(exchange, name)
        except PluginError as error:
            return apologise(exchange, error)
    if kind == "SessionEndedRequest":
        return session_ended(exchange, request)
    if kind == "Connections.Response" and getattr(request, "name", None) == reminder_intents.PERMISSION_REQUEST:
        return exchange.respond(reminder_intents.permission_answered(exchange, request), "core")
    log.warning("ignored request type %s", kind)
    return exchange.handler_input.response_builder.response


def _tapped_intent(exchange: Exchange) -> str:
    """A touch button's intent; plugins then see the request as that IntentRequest."""
    name = intent_for_event(exchange.request.get("arguments"))
    exchange.request = {**exchange.request, "intent": {"name": name, "confirmationStatus": "NONE", "slots": {}}}
    return name


def launch(exchange: Exchange) -> Response:
    exchange.set_active(None)
    offers = exchange.offers()
    speech = household.greeting(exchange).say(wording.WELCOME)
    speech.say(household.shared_profile_note(exchange) or "")
    nudges = [o for o in offers if o.nudge]
    if nudges:
        exchange.set_active(nudges[0].plugin)
        exchange.state.core["nudge"] = {"plugin": nudges[0].plugin, "id": nudges[0].nudge_id}
        return exchange.build(speech, nudges[0].nudge)
    menu = exchange.menu_offers()
    if menu:
        speech.say(f"For example, say: {menu[0].try_saying}.")
    return exchange.build(speech, exchange.menu_prompt())


def session_ended(exchange: Exchange, request: object) -> Response:
    reason = getattr(getattr(request, "reason", None), "value", None) or "USER_INITIATED"
    error = getattr(request, "error", None)
    if error is not None:
        log.warning("session ended with error %s: %s", error.object_type, error.message)
    exchange.playback.session_ending()
    exchange.broadcast("session_ended", reason=reason)
    return exchange.handler_input.response_builder.response  # Alexa accepts no speech here


def intent(exchange: Exchange, name: str) -> Response:
    if name in ("AMAZON.StopIntent", "AMAZON.CancelIntent"):
        return stop(exchange)
    if name == "AMAZON.HelpIntent":
        return help_answer(exchange)
    if name == "AMAZON.NavigateHomeIntent":
        return go_home(exchange)
    if name == "AMAZON.FallbackIntent":
        return fallback(exchange)
    # The launch nudge is answered by this intent (help and fallback above ask it again).
    exchange.answering_nudge = exchange.state.core.pop("nudge", None)
    player, active = exchange.player, exchange.active
    in_side_conversation = active is not None and (
        not player.active or active != player.plan["owner"] or exchange.state.core.get("asking") == active)
    # "Not sure" answers the question of whoever asked it, unless that plugin hears it as its own intent.
    not_sure_owner = exchange.host.intents[NOT_SURE].plugin if NOT_SURE in exchange.host.intents else None
    answer = name in (YES, NO) or (name == NOT_SURE and active != not_sure_owner)
    if (name in GENERIC or answer) and active and (answer or in_side_conversation):
        reply = exchange.call_plugin(active, "handle_followup") if exchange.host.implements(active, "handle_followup") \
            else None
        if reply is not None:
            return exchange.respond(reply, active)
    if name in GENERIC and player.active:
        return exchange.playback.control(name)
    if name == "AMAZON.ResumeIntent" and exchange.state.resume_point:
        return exchange.respond(core_intents.resume_saved(exchange.turn("core")), "core")
    spec = exchange.host.intents.get(name)
    if spec is not None:
        reply = exchange.call_handler(spec.plugin, spec.handler)
        if reply is None:
            return exchange.build(Speech(wording.NOTHING_FOR_THAT), exchange.menu_prompt())
        return exchange.respond(reply, spec.plugin)
    last_prompt = exchange.state.core.get("last_prompt")
    if name == "AMAZON.RepeatIntent" and last_prompt and not player.active:  # "again": the question again
        return exchange.build(Speech(), last_prompt)
    if name in GENERIC:
        return exchange.build(Speech(wording.NOTHING_PLAYING[name]), exchange.menu_prompt())
    log.warning("no plugin handles intent %s", name)
    return exchange.build(Speech(wording.CANT_HELP_HERE), exchange.menu_prompt())


def stop(exchange: Exchange) -> Response:
    speech = Speech()
    if exchange.playback.put_aside():
        speech.say(wording.STOPPED_MID_PLAN)
    exchange.set_active(None)
    speech.say(wording.GOODBYE)
    return exchange.build(speech, None, end_session=True)


def help_answer(exchange: Exchange) -> Response:
    player, active = exchange.player, exchange.active
    if player.active and active == player.plan["owner"]:
        said, cue = wording.help_in_plan(player.plan["title"])
        return exchange.build(Speech(said), cue)
    last_prompt = exchange.state.core.get("last_prompt")
    if active and last_prompt:  # in the middle of a plugin's conversation: explain, then ask again
        return exchange.build(Speech(wording.HELP_IN_CONVERSATION), last_prompt)
    # At the menu: each thing with one example; the rest on "what else can I say?".
    # At most three things, so the help stays short however many plugins are installed.
    speech = Speech(wording.help_at_menu([(o.title, o.try_saying) for o in exchange.menu_offers()[:3]]))
    exchange.set_active(None)
    return exchange.build(speech, wording.WHICH)


def go_home(exchange: Exchange) -> Response:
    exchange.playback.put_aside()
    exchange.set_active(None)
    return exchange.build(Speech(wording.BACK_HOME), exchange.menu_prompt())


def fallback(exchange: Exchange) -> Response:
    if exchange.playback.interrupted:  # mid-hold or mid-set: say what can be said, and carry on
        return exchange.respond(session_questions.carry_on(exchange, Speech(PLAN_FALLBACK)), "core")
    active = exchange.active
    if active and exchange.host.implements(active, "handle_followup"):  # a question waits: let its asker re-ask
        reply = exchange.call_plugin(active, "handle_followup")
        if reply is not None:
            reply.speech = Speech(wording.NOT_CAUGHT).extend(reply.speech)
            return exchange.respond(reply, active)
    prompt = exchange.state.core.get("last_prompt") or exchange.menu_prompt()
    asking = exchange.state.core.get("asking")  # a plugin's question waits while its plan is paused
    if exchange.player.active and (exchange.player.state or {}).get("paused") is not None and not asking:
        prompt = wording.PAUSED_CHOICES
    return exchange.build(Speech(wording.NOT_CAUGHT), prompt)


def apologise(exchange: Exchange, error: PluginError) -> Response:
    exchange.failed_plugin = error.plugin
    exchange.set_active(None)
    if exchange.player.active and exchange.player.plan.get("owner") == error.plugin:
        exchange.player.clear()
    titles = [o.title for o in exchange.menu_offers() if o.plugin != error.plugin]
    return exchange.build(Speech(wording.PLUGIN_PROBLEM, wording.way_forward(titles)), "What would you like to do?")
