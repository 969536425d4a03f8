"""One request in progress: the user's state, the plugins, the player, and the response rules.

Every response leaves through :meth:`Conversation.build`, which enforces Alexa's rules: speech
shorter than 8000 characters with breaks of at most 10 s, and a session that stays open always has
a closing question or cue that is also the reprompt.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.api.reply import Offer, Reply
from skill.api.turn import Turn, request_time
from skill.engine import Played, Player, Position, plan_minutes
from skill.host.host import PluginHost
from skill.speech import ssml
from skill.speech.builder import Speech, ends_on_question_or_cue
from skill.store.sections import SectionedStore, encode_sections
from skill.store.user_state import StoredSections, UserState
from skill.voice import dialog

log = logging.getLogger("stride_coach.conversation")
MENU_QUESTION = "What would you like to do?"


class PluginError(Exception):
    """A plugin broke its contract or raised; the user gets an apology, never the details."""

    def __init__(self, plugin: str, message: str) -> None:
        super().__init__(f"{plugin}: {message}")
        self.plugin = plugin


@dataclass
class EngineReply(Reply):
    """A core handler's reply that is the engine's own output (skip, keep going, resume)."""

    played: Played | None = None


class Conversation:
    def __init__(self, handler_input: HandlerInput, host: PluginHost, adapter: Any, request: dict) -> None:
        self.handler_input = handler_input
        self.host = host
        self.adapter = adapter
        self.request = request
        envelope = handler_input.request_envelope
        # Our stores hand over sections, decoded only when used; any other ask-sdk adapter gives
        # a whole document, split here the same way so that a save can tell what changed.
        self._sectioned = isinstance(adapter, SectionedStore)
        if self._sectioned:
            read = adapter.read_sections(envelope)
        else:
            read = encode_sections(adapter.get_attributes(envelope)) if adapter is not None else {}
        self.state = UserState(StoredSections(read), handler_input.attributes_manager.session_attributes)
        self.deleted = False
        self.failed_plugin: str | None = None
        self._offers: list[Offer] | None = None
        self.now = request_time(request)
        self.player = Player(self.state.core, self.state.prefs, self.now)
        self.interrupted = False  # this request cut a playing response short (see freeze_player)
        self.dialog: dict | None = None  # a Dialog directive for the response (see skill.voice.dialog)

    # -- plugins -------------------------------------------------------------------------------
    def turn(self, plugin: str) -> Turn:
        turn = Turn(plugin, self.request, self.state, self.host.content)
        turn.conversation = self  # the core plugin steers the engine; third parties never need this
        return turn

    def call_plugin(self, plugin: str, hook_name: str, **kwargs: Any) -> Reply | None:
        """Call one plugin's hook; a plugin that raises or returns garbage becomes a PluginError."""
        return self._guarded(plugin, hook_name, lambda turn: self.host.call(plugin, hook_name, turn=turn, **kwargs))

    def call_handler(self, plugin: str, handler: Any) -> Reply | None:
        return self._guarded(plugin, "its intent handler", handler)

    def _guarded(self, plugin: str, what: str, call: Any) -> Reply | None:
        # A plugin that fails must leave nothing half-written: its session data is restored, and
        # the store is not saved for this request (see save()).
        before = copy.deepcopy(self.state.session.get("plugins", {}).get(plugin))
        try:
            result = call(self.turn(plugin))
            if result is not None and not isinstance(result, Reply):
                raise TypeError(f"returned {type(result).__name__}, not a Reply")
        except Exception as exc:
            log.exception("plugin %s failed in %s", plugin, what)
            plugins = self.state.session.setdefault("plugins", {})
            if before is None:
                plugins.pop(plugin, None)
            else:
                plugins[plugin] = before
            raise PluginError(plugin, f"{what} failed: {type(exc).__name__}") from exc
        return result

    def offers(self) -> list[Offer]:
        if self._offers is None:
            offers = []
            for name, offer in self.broadcast("launch_offer"):
                if isinstance(offer, Offer):
                    offer.plugin = name
                    offers.append(offer)
            self._offers = sorted(offers, key=lambda o: -o.priority)
        return self._offers

    def menu_offers(self) -> list[Offer]:
        """Offers that appear in the menu (the core's own offer only adds a help sentence)."""
        return [o for o in self.offers() if o.title]

    def broadcast(self, hook_name: str, **kwargs: Any) -> list[tuple[str, Any]]:
        """Call a hook on every plugin, each with its own turn; failures are logged and skipped."""
        return self.host.call_each(hook_name, lambda name: {"turn": self.turn(name), **kwargs})

    # -- the active conversation ---------------------------------------------------------------
    @property
    def active(self) -> str | None:
        return self.state.core.get("active")

    def set_active(self, plugin: str | None) -> None:
        if plugin:
            self.state.core["active"] = plugin
        else:
            self.state.core.pop("active", None)

    def freeze_player(self) -> None:
        """If a response was still playing when this request came, remember exactly where."""
        if not self.player.active or self.player.state.get("paused") is not None:
            return
        position = self.player.position()
        if self.player.state.get("done"):  # the plan's last response: finished, unless cut short
            if position is None:
                self._record_history()
                self.player.clear()
            else:
                self.player.state.update(paused=position.as_dict(), at=None, done=False)
                self.interrupted = True
            return
        end = self.player.state.get("end")
        if position is not None and position.as_dict() != end:
            self.player.state.update(paused=position.as_dict(), at=None)
            self.interrupted = True

    def _record_history(self) -> None:
        entry = self.player.state.pop("history_entry", None)
        if entry is not None and not self.player.state.get("recorded"):
            self.player.state["recorded"] = True
            self.state.record_session(entry)

    def save_resume_point(self, position: Position | None = None) -> None:
        """Keep an unfinished plan in the store so a later session can pick it up."""
        if not self.player.active or self.player.state.get("done") or self.player.plan.get("record") is False:
            return
        state = self.player.state
        if position is None:
            position = Position.from_dict(state.get("paused") or state.get("start"))
        plan = self.player.plan
        done = self.player.last_completed_block(position)
        block = plan["blocks"][min(position.block, len(plan["blocks"]) - 1)]
        self.state.set_paused({
            "plan": plan,
            "position": position.as_dict(),
            "date": self.now.date().isoformat(),
            "after": plan["blocks"][done]["short_name"] if done is not None and position.phase == "setup" else None,
            "during": None if position.phase == "setup" else block["short_name"],
        }, plan_version=state.get("plan_version"))

    # -- building responses --------------------------------------------------------------------
    def respond(self, reply: Reply, plugin: str) -> Response:
        if isinstance(reply, EngineReply) and reply.played is not None:
            self.set_active(self.player.plan["owner"])
            return self.play(reply.played)
        if reply.end_session or reply.release or reply.to_menu:
            self.set_active(None)
        else:
            self.set_active(plugin)
        if reply.mark and self.player.active:
            self.player.add_mark(reply.mark)
        if reply.stop_plan and self.player.active:
            stopped = self.player.plan
            self.player.clear()
            self.state.set_paused(None)
            if self.host.implements(stopped["owner"], "plan_stopped"):
                self.call_plugin(stopped["owner"], "plan_stopped", plan=stopped)
        # A plugin question asked while its own timed session is paused: generic intents such as
        # "carry on" must reach the plugin, not the engine, until the engine plays again.
        if reply.prompt and self.player.active and reply.plan is None and not reply.resume_plan:
            self.state.core["asking"] = plugin
        else:
            self.state.core.pop("asking", None)
        if reply.plan is not None:
            plan = self._checked_plan(reply.plan, plugin)
            return self.play(self.player.start(plan, lead=reply.speech))
        if reply.resume_plan and self.player.active:
            self.set_active(self.player.plan["owner"])
            return self.play(self.player.resume(), lead=reply.speech)
        if reply.to_menu:
            return self.build(Speech().extend(reply.speech), self.menu_prompt())
        if (reply.elicit or reply.confirm) and not reply.end_session:
            self.dialog = self._dialog_directive(reply, plugin)
        return self.build(reply.speech, reply.prompt, reply.end_session)

    def _dialog_directive(self, reply: Reply, plugin: str) -> dict:
        definitions = {name: spec.definition for name, spec in self.host.intents.items()}
        intent = self.request.get("intent")
        try:
            if reply.confirm:
                return dialog.confirm_intent(reply.confirm, definitions, intent)
            return dialog.elicit_slot(reply.elicit or "", definitions, intent)
        except dialog.DialogError as error:
            raise PluginError(plugin, str(error)) from error

    def _checked_plan(self, plan: dict, plugin: str) -> dict:
        """The plan with its owner, validated against the plan schema if a third party made it.

        Built-in plugins build plans from validated content and their tests check every kind of
        plan they return; validating them costs about 2 ms each time a routine starts.
        """
        plan = {**plan, "owner": plugin}
        if self.host.records[plugin].builtin:
            return plan
        errors = list(self.host.content.validator("plan").iter_errors(plan))
        if errors:
            raise PluginError(plugin, "returned an invalid plan: " + "; ".join(e.message for e in errors[:3]))
        return plan

    def play(self, played: Played, lead: Speech | None = None) -> Response:
        self.state.core.pop("asking", None)
        speech = Speech().extend(lead or Speech()).extend(played.speech)
        if not played.finished:
            self.save_resume_point()
            return self.build(speech, played.prompt)
        return self.finish_plan(speech)

    def finish_plan(self, speech: Speech) -> Response:
        """Close a plan: record it once it has played, let its owner add closing words, offer more.

        When the plan's last exercise is in this response, the player stays alive (``done``) until
        a later request shows it played to the end, so pausing during it still works, and the
        session is recorded in the history only then (see :meth:`freeze_player`).
        """
        state = self.player.state
        plan = state["plan"]
        first_time = not state.get("finished_once")
        state["finished_once"] = True
        minutes = self._plan_minutes(plan)
        if plan.get("record", True):
            state["history_entry"] = {"date": self.now.date().isoformat(), "title": plan["title"],
                                      "plan": plan["id"], "owner": plan["owner"], "minutes": minutes}
        if state.get("at") and state.get("paused") is None:
            state["done"] = True
        else:
            self._record_history()
            self.player.clear()
        self.state.set_paused(None)
        self.set_active(None)
        if plan.get("outro"):
            speech.say(plan["outro"])
        # The owner hears about every finish, including a final response that was interrupted and
        # then played again: marks added meanwhile (pain, skips) must reach it. Hooks are idempotent.
        closing = self.call_plugin(plan["owner"], "plan_finished", plan=plan, minutes=minutes) \
            if self.host.implements(plan["owner"], "plan_finished") else None
        if closing is not None:
            speech.extend(closing.speech)
            if closing.plan is not None or closing.prompt:
                return self.respond(Reply(speech, prompt=closing.prompt, plan=closing.plan,
                                          end_session=closing.end_session), plan["owner"])
            if closing.end_session:
                return self.build(speech, None, end_session=True)
        if first_time and plan.get("record", True):
            speech.say(f"That's {plan['title']} done.")
        return self.build(speech, self.menu_prompt(anything_else=True))

    def _plan_minutes(self, plan: dict) -> float:
        prefs = self.state.prefs
        return plan_minutes(plan, prefs["hold_scale"], prefs["rate"])

    def menu_prompt(self, anything_else: bool = False) -> str:
        titles = [o.title for o in self.menu_offers()]
        choices = _join_or(titles) if titles else "help"
        lead = "Anything else? You can ask for " if anything_else else "You can ask for "
        return f"{lead}{choices}. {MENU_QUESTION}"

    def build(self, speech: Speech, prompt: str | None, end_session: bool = False) -> Response:
        rb = self.handler_input.response_builder
        rate = int(self.state.prefs.get("rate", 100))
        speech = Speech().extend(speech)
        if not end_session:
            if not prompt or not ends_on_question_or_cue(prompt):
                raise PluginError(self.active or "core", "a response that keeps the session open needs a prompt "
                                  f"that is a question or tells the user what to say, not {prompt!r}")
            speech.say(prompt)
            self.state.core["last_prompt"] = prompt
            rb.ask(ssml.ensure_valid(Speech(prompt).ssml(rate)))
        if speech:
            rb.speak(ssml.ensure_valid(speech.ssml(rate)))
        if self.dialog is not None and not end_session:
            rb.add_directive(dialog.as_sdk_directive(self.dialog))
        rb.set_should_end_session(end_session)
        if end_session:  # Alexa drops the session anyway; nothing said in it should travel back
            self.state.session.clear()
        return rb.response

    def save(self) -> None:
        if self.adapter is None or self.deleted or self.failed_plugin:
            return
        stored = self.state.stored
        changes = stored.changes()
        if not changes:
            return
        envelope = self.handler_input.request_envelope
        if self._sectioned:
            self.adapter.write_sections(envelope, changes, stored.read)
        else:
            self.adapter.save_attributes(envelope, stored.as_dict())

    def forget_user(self) -> None:
        self.adapter.delete_attributes(self.handler_input.request_envelope)
        self.state.stored.clear()
        self.state.session.clear()
        self.deleted = True


def _join_or(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + ", or " + items[-1]


def day_phrase(day: date, today: date) -> str:
    """'today', 'yesterday', 'on Monday', or 'on 3 March'."""
    delta = (today - day).days
    if delta <= 0:
        return "earlier today"
    if delta == 1:
        return "yesterday"
    if delta < 7:
        return f"on {day.strftime('%A')}"
    return f"on {day.day} {day.strftime('%B')}"
