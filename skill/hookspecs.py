"""The plugin contract of Stride Coach: every hook a plugin may implement.

This module *is* the plugin reference (``docs/plugins.md`` is generated from it). Plugins are
pluggy plugins of the project ``stride_coach``, found through the entry-point group
``stride_coach``; the built-in ``diagnosis``, ``stretch_timer`` and ``strength_coach`` plugins use
exactly these hooks. Implement a hook by decorating a module-level function with ``@hookimpl``
(``from skill import hookimpl``, the pluggy marker of the project ``stride_coach``) and naming it
after the hook. A plugin may accept a subset of a hook's arguments.

Who receives a hook: the core calls each plugin's implementation on its own, never as one pluggy
broadcast, so that one plugin that raises is isolated from the others. For that reason pluggy's
ordering and wrapping options (``tryfirst``, ``trylast``, ``hookwrapper``, ``wrapper``) have no
effect on any hook here; the order that matters (menu offers) is set by ``Offer.priority``.

Order of events:

1. At start-up, once per process: ``register_schemas``, ``register_content``,
   ``register_slot_types`` and ``register_intents``. Anything invalid marks that plugin *failed*
   (``stride-coach plugins`` shows why) and the rest of the skill carries on.
2. Whenever the core needs the menu: ``launch_offer`` for every plugin (launch, help, home, and
   every reply that ends at the menu).
3. On each IntentRequest: the handler registered for that intent; generic intents (yes, no, next,
   repeat, ...) go to ``handle_followup`` of the plugin whose conversation is in progress.
4. Before any timed session starts: ``before_coaching`` for every plugin (the safety gate); the
   first Reply returned is said first and the session waits until the gate proceeds.
5. When a timed session a plugin started ends: ``plan_finished`` for that plugin, or
   ``plan_stopped`` when a stop rule dropped it early.
6. On "how am I doing": ``progress_report`` for every plugin.
7. ``session_started`` on the first request of an Alexa session, ``session_ended`` on
   SessionEndedRequest.

Handlers receive a :class:`skill.Turn` (the request, the plugin's stored data, the content) and
return a :class:`skill.Reply` (speech, the question that keeps the session open, or a timed
:mod:`session plan <skill.engine>` for the core to play).

When a hook fails: at start-up (the ``register_*`` hooks) an exception or an invalid definition
marks the plugin *failed* and unregisters it; at run time an exception, or a return value of the
wrong type, in a hook that answers the user (``handle_followup``, ``plan_finished``, an intent
handler) gives the user a short apology naming another thing to try, rolls back that plugin's
session data and saves nothing of the request; in a hook the core broadcasts (``launch_offer``,
``session_started``, ``session_ended``) the failure is logged and that plugin is left out.

Checked at run time too (see ``skill.host.runtime``): an ``Offer`` whose fields are of the wrong
type, or whose nudge asks nothing, is that plugin's failure and is left out; failures are counted
against the plugin's name, which ``stride-coach plugins`` shows. A third-party plugin's hook that
takes longer than 1.5 s is cut off, and the plugin is suspended until the skill restarts; all
third-party hooks of one request share 3 s, and a hook left without time is skipped, not blamed.
Python cannot stop a thread: a hook that was cut off runs on in the background until it returns,
its result is thrown away, and its plugin is not called again; so give every network call of a
plugin a timeout of its own. ``stride-coach validate`` rehearses every plugin on a throwaway store
(a launch, help, "what else can I say?", each of its intents once) and reports what these checks
find as ``plugin NAME at run time: ...``; the kit's ``validate_plugin`` does the same for one plugin.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from skill.api.reply import Offer, Reply
    from skill.api.turn import Turn
    from skill.engine.plan import Plan

PROJECT = "stride_coach"
hookspec = pluggy.HookspecMarker(PROJECT)
#: Marks a plugin's hook implementations (``from skill import hookimpl``).
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def register_schemas(register: Callable[[str, Any], None]) -> None:
    """Declare the kinds of JSON content this plugin defines, each with a JSON Schema.

    Fires once per process, for every plugin, before any content is loaded. If it raises, or a
    schema is not a valid JSON Schema, the plugin is marked failed (``stride-coach plugins`` and
    ``stride-coach validate`` say why) and the rest of the skill carries on without it.

    :param register: ``register(kind, schema)`` where ``kind`` is a short name such as
        ``"foam_roll"`` and ``schema`` is a draft 2020-12 JSON Schema given as a dict or as the
        path of a ``.json`` file. Kinds are global: two plugins defining one kind is an error
        naming both. The core defines ``exercise``, ``routine`` and ``plan`` (see
        ``skill/host/schemas/``), which any plugin may fill with content.
    :return: nothing.

    Example::

        @hookimpl
        def register_schemas(register):
            register("foam_roll", HERE / "schemas" / "foam_roll.schema.json")
    """


@hookspec
def register_content(register: Callable[[str, Any], None]) -> None:
    """Bring JSON content files of a kind (one document per file, each with a unique ``id``).

    Fires once per process, for every plugin, after ``register_schemas``; the core loads and
    validates every file once, and a file that fails (or the hook raising) marks the plugin failed
    with the file, the JSON pointer and the reason.

    :param register: ``register(kind, path)`` with ``path`` a ``.json`` file or a folder of them.
    :return: nothing. Read the content at request time through ``turn.content``.

    Example::

        @hookimpl
        def register_content(register):
            register("exercise", HERE / "content" / "exercises")
            register("routine", HERE / "content" / "routines")
    """


@hookspec
def register_slot_types(register: Callable[[dict], None]) -> None:
    """Declare custom slot types for the interaction model.

    Fires once per process, for every plugin. Slot type names are global; a clash, an invalid
    definition or the hook raising marks the plugin failed, naming the reason.

    :param register: ``register(definition)`` with ``definition`` shaped like an Alexa slot type:
        ``{"name": "MuscleGroup", "values": [{"id": "glutes", "name": {"value": "glutes",
        "synonyms": ["bum", "buttocks"]}}]}``.
    :return: nothing.

    Example::

        @hookimpl
        def register_slot_types(register):
            register({"name": "RollArea", "values": [{"id": "calves", "name": {"value": "calves"}}]})
    """


@hookspec
def register_intents(register: Callable[[dict, Callable[[Turn], Reply | None]], None]) -> None:
    """Declare this plugin's intents, their sample utterances, and the function that answers each.

    Fires once per process, for every plugin, after ``register_slot_types``. Each intent belongs
    to exactly one plugin: an intent claimed twice is an error naming both plugins, and the later
    plugin is marked failed (as it is for an invalid definition or the hook raising). A handler
    that raises at run time is answered with a short apology, as ``handle_followup`` is. Alexa's built-in intents
    (``AMAZON.*``) belong to the core; see ``handle_followup``.

    :param register: ``register(definition, handler)``. ``definition`` is
        ``{"name": "FoamRollIntent", "slots": [{"name": "area", "type": "RollArea"}],
        "templates": {"en": ["[<lead>] roll [out] my {area} [<please>]"], "en-GB": ["..."]}}``:
        templates (hassil syntax, see docs/plugins.md) and/or plain ``samples`` under ``"en"`` are
        used for every English locale, and a locale key adds them for that locale only. A slot
        with its own ``samples`` can be asked for (``Reply(..., elicit="FoamRollIntent.area")``).
        ``handler(turn)`` returns a :class:`~skill.reply.Reply` (or ``None`` for "nothing to say",
        which the core answers with a helpful prompt).
    :return: nothing.

    Example::

        @hookimpl
        def register_intents(register):
            register({"name": "FoamRollIntent", "samples": {"en": ["foam roll"]}}, start_rolling)

        def start_rolling(turn):
            return Reply.ask("Let's roll your calves.", prompt="Ready?")
    """


@hookspec
def launch_offer(turn: Turn) -> Offer | None:
    """What this plugin offers the user at launch and in help.

    Fires for every loaded plugin, at most once per request, whenever the core needs the menu: on
    a LaunchRequest, on AMAZON.HelpIntent and AMAZON.NavigateHomeIntent, and on every reply that
    ends at the menu ("You can ask for a back check, guided stretches or a strength session").
    Offers are listed in ``priority`` order; the help names each ``title`` with its
    ``try_saying``, and "what else can I say?" adds each ``help`` sentence. Only on a
    LaunchRequest does the core speak a ``nudge``, and only the one of the highest priority; the
    user's answer then reaches that plugin's ``handle_followup`` with ``turn.answering_nudge`` set
    to the offer's ``nudge_id``.
    Keep this hook free of side effects: it cannot know whether its nudge will be spoken.

    If it raises, or returns something that is not an ``Offer``, the plugin is left out of the
    menu for that request (logged) and the rest of the skill answers normally.

    :param turn: the request, with this plugin's stored data in ``turn.stored`` (read it only).
    :return: an :class:`~skill.Offer`, or ``None`` to stay out of the menu.

    Example::

        @hookimpl
        def launch_offer(turn):
            nudge = "Roll your calves again today?" if turn.stored.get("last_roll") else None
            return Offer(title="foam rolling", try_saying="roll my calves",
                         help="I can guide a short foam rolling routine for your legs.",
                         nudge=nudge, nudge_id="again")
    """


@hookspec
def handle_followup(turn: Turn) -> Reply | None:
    """Answer a generic intent while this plugin's conversation is in progress.

    Fires only for the plugin that spoke last (the *active* plugin), for AMAZON.YesIntent,
    NoIntent, NextIntent, PreviousIntent, RepeatIntent, StartOverIntent, PauseIntent and
    ResumeIntent. Yes and no always come here first, also while this plugin's timed session is
    playing; the other generic intents come here only when no timed session of this plugin is
    playing, or when this plugin asked a question while it was paused (otherwise the core's
    engine answers them). It also receives the answer to this plugin's launch ``nudge``
    (``turn.answering_nudge`` is then the offer's ``nudge_id``). Whether or not a session is
    playing, it also receives ``NotSureIntent`` ("I'm not sure", "I don't know") and
    AMAZON.FallbackIntent (something the skill did not understand) while this plugin's question
    is waiting: answer so that the user is never asked the same thing forever.

    If it raises or returns something that is not a ``Reply``, the user hears a short apology,
    this plugin's session data is rolled back and nothing of the request is saved.

    :param turn: ``turn.intent`` is the generic intent's name; ``turn.session`` holds what this
        plugin kept for the conversation.
    :return: a :class:`~skill.Reply`, or ``None`` to let the core answer (the engine's control
        while a plan plays, otherwise a short "nothing to do" and the menu).

    Example::

        @hookimpl
        def handle_followup(turn):
            if turn.intent == "AMAZON.YesIntent" and turn.answering_nudge == "again":
                return start_rolling(turn)
            return None
    """


@hookspec
def plan_finished(turn: Turn, plan: Plan, minutes: float) -> Reply | None:
    """A timed session this plugin started has played to its end.

    Fires for the plugin named as the plan's ``owner``, on the request whose response plays the
    plan's end. The core has already recorded the session in the user's history (date, title,
    minutes). If the user interrupts that last response and plays it again, the hook fires again
    with the plan's newer ``data["marks"]`` (history is recorded once): make it idempotent, for
    example by computing stored results from the plan rather than adding to counters.

    If it raises or returns something that is not a ``Reply``, the user hears a short apology and
    nothing of the request is saved (the session is recorded once it is answered again).

    :param turn: the finishing request; write progress to ``turn.stored``.
    :param plan: the plan as it was played (see ``skill/host/schemas/plan.schema.json``).
    :param minutes: the planned length of the whole session in minutes.
    :return: a :class:`~skill.reply.Reply` to add closing words or a next question, or ``None``
        for the core's standard closing.

    Example::

        @hookimpl
        def plan_finished(turn, plan, minutes):
            turn.stored["last_roll"] = turn.today.isoformat()
            return Reply(Speech("Nice work. Your calves may feel looser."))
    """


@hookspec
def plan_stopped(turn: Turn, plan: Plan) -> None:
    """A timed session this plugin started was stopped before its end by a stop rule.

    Fires for the plan's ``owner`` when another reply drops the plan (``Reply.stop_plan``), for
    example when the back check's stop rules end a session for pain. ``plan["data"]["marks"]``
    says why (``{"pain": 7, "block": "squat"}``). Not fired when the user simply says stop: that
    plan is kept so it can be picked up later.

    If it raises, the user hears a short apology and nothing of the request is saved.

    :param turn: the request that stopped it; write to ``turn.stored`` to remember.
    :param plan: the plan as it was when stopped.
    :return: nothing (the stopping plugin is speaking).

    Example::

        @hookimpl
        def plan_stopped(turn, plan):
            turn.stored["stopped_for_pain"] = turn.today.isoformat()
    """


@hookspec
def session_started(turn: Turn) -> None:
    """A new Alexa session has begun (the first request of a session, before any handler).

    Fires for every loaded plugin, on the request whose ``session.new`` is true, before the core
    answers it. A plugin that raises is logged and skipped; the request is answered as usual.

    :param turn: the first request; use it to reset per-session state in ``turn.session``.
    :return: nothing.

    Example::

        @hookimpl
        def session_started(turn):
            turn.session["rolls_this_session"] = 0
    """


@hookspec
def session_ended(turn: Turn, reason: str) -> None:
    """The Alexa session ended (SessionEndedRequest). Nothing can be said any more.

    Fires for every loaded plugin, after the core has noted where a playing session stopped. A
    plugin that raises is logged and skipped; the response is empty either way.

    :param turn: the ending request; ``turn.stored`` is still saved afterwards.
    :param reason: Alexa's reason: ``USER_INITIATED``, ``EXCEEDED_MAX_REPROMPTS`` or ``ERROR``.
    :return: nothing.

    Example::

        @hookimpl
        def session_ended(turn, reason):
            turn.stored["last_seen"] = turn.today.isoformat()
    """


@hookspec
def before_coaching(turn: Turn, plan: Plan) -> Reply | None:
    """A timed session is about to start: a safety gate may speak first, and hold it until it is done.

    Fires whenever a reply carries a ``plan`` (any plugin's: stretches, strength, a third party's
    foam rolling), and when a saved session is picked up again, before the core plays it, for
    every plugin that implements this hook, in load order; the first one to return a
    :class:`~skill.api.reply.Reply` wins. This is how the core
    rule "screen before any coaching" reaches every plugin: the built-in back check implements it
    with the short safety screen, the weekly ratings and the coaching limits that follow from them.

    While a gate is speaking, the core *holds* the plan (in the session) and the gate's
    conversation is in progress: generic intents go to its ``handle_followup``. The gate ends with
    ``Reply(proceed=True)`` to play the held plan; the core then asks every gate again (a second
    gate, or the same one with something new to ask, may hold it once more) and plays the plan
    after the gate's words and the plan's own lead. A gate reply that ends the session, releases
    the conversation or goes to the menu drops the held plan: that coaching does not happen.

    :param turn: the request, scoped to the gate plugin (its stored data and session).
    :param plan: the plan about to play, already owned by the plugin that made it. A gate may make
        it gentler in place (fewer sets); it may not add blocks. Self-checks that are part of a
        back check carry ``data["check"]``.
    :return: ``None`` to let the plan play now, or a Reply to say and ask first (it must not carry a
        plan of its own).

    Failure: a gate that raises or returns something other than a Reply fails closed: the plan is
    not played and the user hears the core's apology, since coaching without its safety gate is
    worse than no coaching.

    Example::

        @hookimpl
        def before_coaching(turn, plan):
            if turn.stored.get("warned_on") != turn.today.isoformat():
                turn.stored["warned_on"] = turn.today.isoformat()
                return Reply(Speech("Clear some space around you first."), prompt="Ready?")
            return None

        @hookimpl
        def handle_followup(turn):
            if turn.intent == "AMAZON.YesIntent":
                return Reply(Speech("Great."), proceed=True)
            return Reply.menu("Okay, another time.")
    """


@hookspec
def progress_report(turn: Turn) -> list[str] | None:
    """Sentences for the answer to "how am I doing", after the core's count of sessions.

    Fires on the core's ProgressIntent for every plugin that implements it, in load order; a
    plugin that raises is logged and left out, and the rest of the answer is still given.

    :param turn: the request, with this plugin's stored data.
    :return: a few short sentences (plain text), or ``None`` or ``[]`` for nothing to add.

    Example::

        @hookimpl
        def progress_report(turn):
            rolls = turn.stored.get("rolls", 0)
            return [f"You've foam rolled {rolls} times."] if rolls else None
    """
