"""One request and its response: the user's state, the plugins' calls, and Alexa's response rules.

An :class:`Exchange` lives for one request. Every response leaves through :meth:`Exchange.build`,
which enforces Alexa's rules: speech shorter than 8000 characters with breaks of at most 10 s,
and a session that stays open always has a closing question or cue that is also the reprompt.
A plugin sees the request through its own :class:`~skill.api.turn.Turn`.
"""

from __future__ import annotations

import copy
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.api.reply import Offer, Reply
from skill.api.turn import Turn, request_time
from skill.engine import Played, Player, Position
from skill.engine.memo import BoundedMemo, exact_bytes
from skill.engine.plan import Plan
from skill.host.content import canonical, fingerprint
from skill.host.host import PluginHost
from skill.host.runtime import ContractBroken, HookTimedOut, offer_problems, reply_problems
from skill.pipeline import coaching_gate, state_guard, wording
from skill.pipeline.playback import Playback
from skill.speech import ssml
from skill.speech.builder import Speech, ends_on_question_or_cue
from skill.store.base import SectionedStore
from skill.store.owner import owner_key_of
from skill.store.sections import encode_sections
from skill.store.user_state import StoredSections, UserState
from skill.voice import dialog

log = logging.getLogger("stride_coach.exchange")


def coaching_seed(envelope: Any) -> str:
    """A stable, anonymous seed for the person's phrasings (never their id itself)."""
    try:
        owner = owner_key_of(envelope)
    except ValueError:
        return ""
    return _seed_of(owner)


@lru_cache(maxsize=1024)  # a warm container hears the same few people request after request
def _seed_of(owner: str) -> str:
    return hashlib.sha256(owner.encode()).hexdigest()[:12]


class PluginError(Exception):
    """A plugin broke its contract or raised; the user gets an apology, never the details."""

    def __init__(self, plugin: str, message: str) -> None:
        super().__init__(f"{plugin}: {message}")
        self.plugin = plugin


@dataclass
class EngineReply(Reply):
    """A core handler's reply that is the engine's own output (skip, keep going, resume)."""

    played: Played | None = None
    resume: dict | None = None  # a saved resume point (with its plan) to play once the gates let it


@dataclass
class DirectiveReply(Reply):
    """A core handler's reply that also carries Alexa directives or a card (a permission request)."""

    directives: list[Any] = field(default_factory=list)
    card: Any = None


# Plans checked in this process, by their exact bytes: the plan of a session comes back on every turn.
_PLAN_ERRORS: BoundedMemo[tuple, list[str]] = BoundedMemo(512)


class Exchange:
    def __init__(self, handler_input: HandlerInput, host: PluginHost, adapter: Any, event: dict, *,
                 attributes_known: bool = False) -> None:
        self.handler_input = handler_input
        self.host = host
        self.adapter = adapter
        self.event = event
        self.request: dict = event.get("request") or {}
        envelope = handler_input.request_envelope
        # Our stores hand over sections, decoded only when used; any other ask-sdk adapter gives
        # a whole document, split here the same way so that a save can tell what changed.
        self._sectioned = isinstance(adapter, SectionedStore)
        if self._sectioned:
            read = adapter.read_sections(envelope)
        else:
            read = encode_sections(adapter.get_attributes(envelope)) if adapter is not None else {}
        session = handler_input.attributes_manager.session_attributes
        assert session is not None  # the SDK raises when there is no session, and gives {} for no attributes
        self.state = UserState(StoredSections(read, dict(state_guard.SECTION_CHECKS)), session,
                               resume_point_check=lambda point: state_guard.resume_point_ok(point, self.plan_is_valid))
        # Malformed session attributes or a stored resume point that cannot play are dropped here,
        # before anything reads them; the user hears one sentence about it (see build()).
        # (What this process sent for this session, sent back unchanged, was made from checked state.)
        self.lost_track = not attributes_known and state_guard.clean_state(self.state, self.plan_is_valid,
                                                                           set(host.records))
        self.deleted = False
        self.failed_plugin: str | None = None
        self.finished: dict | None = None  # the plan that ended in this request, and its minutes
        self._offers: list[Offer] | None = None
        self.screen_beside_dialog = False  # see SkillApp.handle
        self.answering_nudge: dict | None = None  # {"plugin", "id"} of the nudge this request answers
        self.now = request_time(self.request)
        self.player = Player(self.state.core, self.state.prefs, self.now, seed=coaching_seed(envelope),
                             familiar=self.state.familiar_exercises)
        self.playback = Playback(self, self.player)
        self.dialog: dict | None = None  # a Dialog directive for the response (see skill.voice.dialog)

    # -- plugins -------------------------------------------------------------------------------
    def turn(self, plugin: str) -> Turn:
        turn = Turn(plugin, self.request, self.state, self.host.content)
        nudge = self.answering_nudge
        turn.answering_nudge = nudge["id"] if nudge and nudge.get("plugin") == plugin else None
        turn.exchange = self  # the core's own plugin steers the engine; third parties never need this
        return turn

    def call_plugin(self, plugin: str, hook_name: str, **kwargs: Any) -> Reply | None:
        """Call one plugin's hook; a plugin that raises or returns garbage becomes a PluginError."""
        return self._guarded(plugin, hook_name, lambda turn: self.host.call(plugin, hook_name, turn=turn, **kwargs))

    def call_handler(self, plugin: str, handler: Callable[[Turn], Any]) -> Reply | None:
        return self._guarded(plugin, "its intent handler", handler)

    def _guarded(self, plugin: str, what: str, call: Callable[[Turn], Any]) -> Reply | None:
        # A plugin that fails must leave nothing half-written: its session data is restored, and
        # the store is not saved for this request (see save()).
        before = copy.deepcopy(self.state.session.get("plugins", {}).get(plugin))
        try:
            result = call(self.turn(plugin))
            if result is not None and not isinstance(result, Reply):
                raise ContractBroken(f"returned {type(result).__name__}, not a Reply")
            problems = reply_problems(result) if result is not None else []
            if problems:
                raise ContractBroken("returned a Reply with " + "; ".join(problems[:3]))
        except Exception as exc:
            log.exception("plugin %s failed in %s", plugin, what)
            if not isinstance(exc, HookTimedOut):
                # Only our own contract messages are kept: a plugin's own message may hold user data.
                detail = f": {exc}" if isinstance(exc, ContractBroken) else ""
                self.host.health.record(plugin, f"{what} failed: {type(exc).__name__}{detail}")
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
                if offer is None:
                    continue
                problems = offer_problems(offer) if isinstance(offer, Offer) else [
                    f"returned {type(offer).__name__}, not an Offer"]
                if problems:  # the plugin's failure: it is left out, the rest of the menu stands
                    self.host.health.record(name, "launch_offer " + "; ".join(problems))
                    continue
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
        """The plugin whose conversation is in progress: generic intents go to it."""
        return self.state.core.get("active")

    def set_active(self, plugin: str | None) -> None:
        if plugin:
            self.state.core["active"] = plugin
        else:
            self.state.core.pop("active", None)

    # -- building responses --------------------------------------------------------------------
    def respond(self, reply: Reply, plugin: str) -> Response:
        if isinstance(reply, DirectiveReply):
            rb = self.handler_input.response_builder
            for directive in reply.directives:
                rb.add_directive(directive)
            if reply.card is not None:
                rb.set_card(reply.card)
        if isinstance(reply, EngineReply) and reply.played is not None:
            self.set_active(self.player.plan["owner"])
            return self.playback.play(reply.played)
        if isinstance(reply, EngineReply) and reply.resume is not None:
            saved = reply.resume
            return self._start_gated(saved["plan"], reply.speech, Speech(), saved["position"])
        coaching_gate.drop_held_if_closed(self, reply)
        if reply.proceed:
            return self._proceed(reply, plugin)
        if reply.end_session or reply.release or reply.to_menu:
            self.set_active(None)
        else:
            self.set_active(plugin)
        if reply.mark and self.player.active:
            self.player.add_mark(reply.mark)
        if reply.stop_plan:
            stopped = self.playback.drop()
            self.state.set_resume_point(None)  # a stop rule also ends the chance to pick a saved plan up
            if stopped is not None and self.host.implements(stopped["owner"], "plan_stopped"):
                self.call_plugin(stopped["owner"], "plan_stopped", plan=stopped)
        # A plugin question asked while its own timed session is paused: generic intents such as
        # "carry on" must reach the plugin, not the engine, until the engine plays again.
        if reply.prompt and self.player.active and reply.plan is None and not reply.resume_plan:
            self.state.core["asking"] = plugin
        else:
            self.state.core.pop("asking", None)
        if reply.plan is not None:
            return self._start_gated(self._checked_plan(reply.plan, plugin), reply.speech, Speech())
        if reply.resume_plan and self.player.active:
            return self.playback.resume(lead=reply.speech)
        if reply.to_menu:
            return self.build(Speech().extend(reply.speech), self.menu_prompt())
        if reply.confirm and not reply.end_session:
            confirm = reply.confirm
            self._dialog(plugin, lambda definitions, intent: dialog.confirm_intent(confirm, definitions, intent))
        elif reply.elicit and not reply.end_session:
            self.listen_for(reply.elicit, plugin)
        return self.build(reply.speech, reply.prompt, reply.end_session)

    def listen_for(self, target: str, plugin: str) -> None:
        """The response asks for slot ``target`` ("Intent.slot"): Dialog.ElicitSlot."""
        self._dialog(plugin, lambda definitions, intent: dialog.elicit_slot(target, definitions, intent))

    def _dialog(self, plugin: str, make: Callable[[dict, dict | None], dict]) -> None:
        definitions = {name: spec.definition for name, spec in self.host.intents.items()}
        try:
            self.dialog = make(definitions, self.request.get("intent"))
        except dialog.DialogError as error:
            raise PluginError(plugin, str(error)) from error
    def _start_gated(self, plan: Plan, lead: Speech, said: Speech, position: dict | None = None) -> Response:
        """Play ``plan`` (from ``position``, a resume point) once every ``before_coaching`` gate lets it;
        else the first gate speaks, and the plan waits."""
        gated = coaching_gate.hold_for_gates(self, plan, lead.text(), position)
        if gated is not None:
            gate, reply = gated
            reply.speech = Speech().extend(said).extend(reply.speech)
            return self.respond(reply, gate)
        if position is None:
            return self.playback.start(plan, lead=Speech().extend(said).extend(lead))
        at = Position.from_dict(position)
        self.set_active(plan["owner"])
        return self.playback.play(self.player.start(plan, at, lead=Speech().extend(said).extend(lead),
                                                    recue=at.phase in ("work", "rest")))

    def _proceed(self, reply: Reply, plugin: str) -> Response:
        """A gate is done: the held plan, asked of the gates again; with nothing held, the menu."""
        held = coaching_gate.pop_held(self)
        if held is None:
            self.set_active(None)
            return self.build(Speech().extend(reply.speech), self.menu_prompt())
        self.set_active(plugin)
        return self._start_gated(held["plan"], Speech(held["lead"]), reply.speech, held.get("position"))

    def _plan_errors(self, plan: Any) -> list[str]:
        """What is wrong with ``plan`` by the plan schema; remembered by its fingerprint, as content
        files' are, so a routine started again (or read back from the session) is not validated again."""
        content = self.host.content
        # The exact bytes first: a plan read back from the session is the one sent, key for key.
        plan_bytes = exact_bytes(plan)
        exact = (content.schemas_key(), plan_bytes)
        errors = _PLAN_ERRORS.get(exact) if plan_bytes is not None else None
        if errors is None:
            validator = content.validator("plan")
            key = fingerprint("plan", content.schemas_key(), canonical(plan))
            errors = content.checked(key, lambda: [e.message for e in validator.iter_errors(plan)])
            if plan_bytes is not None:
                _PLAN_ERRORS.put(exact, errors)
        return errors

    def plan_is_valid(self, plan: dict) -> bool:
        """Whether a plan read back from the session or the store is one a loaded plugin could have made."""
        owner = plan.get("owner")
        return isinstance(owner, str) and owner in self.host.records and not self._plan_errors(plan)

    def _checked_plan(self, plan: Plan, plugin: str) -> Plan:
        """The plan with its owner, validated against the plan schema like any plugin's."""
        owned: Plan = {**plan, "owner": plugin}
        errors = self._plan_errors(owned)
        if errors:
            raise PluginError(plugin, "returned an invalid plan: " + "; ".join(errors[:3]))
        return owned

    def menu_prompt(self, anything_else: bool = False) -> str:
        return wording.menu_prompt([o.title for o in self.menu_offers()], anything_else)

    def build(self, speech: Speech, prompt: str | None, end_session: bool = False) -> Response:
        rb = self.handler_input.response_builder
        rate = int(self.state.prefs.get("rate", 100))
        if self.lost_track or self.state.stored.dropped:
            self.lost_track = self.state.stored.dropped = False  # said once
            speech = Speech(wording.LOST_TRACK).extend(speech)
        else:
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
        if not end_session:
            self._attach_dialog(prompt)
        rb.set_should_end_session(end_session)
        if end_session:  # Alexa drops the session anyway; nothing said in it should travel back
            self.state.session.clear()
        return rb.response

    def _attach_dialog(self, prompt: str | None) -> None:
        """The response's Dialog directive; the same question asked again (after "sorry, I didn't
        catch that", help or "again") listens for the same slot again."""
        core = self.state.core
        kept = core.get("last_dialog") or {}
        directive = self.dialog or (kept.get("directive") if kept.get("prompt") == prompt else None)
        if directive is None:
            core.pop("last_dialog", None)
            return
        self.dialog = directive
        core["last_dialog"] = {"prompt": prompt, "directive": directive}
        self.handler_input.response_builder.add_directive(dialog.as_sdk_directive(directive))

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

    def unsaved(self, session_before: dict) -> Response:
        """The answer when this turn could not be saved: the session as it was before the turn,
        one sentence saying so, and the question the user was last asked (or the menu)."""
        session = self.state.session
        session.clear()
        session.update(session_before)
        prompt = (session_before.get("core") or {}).get("last_prompt")
        if not prompt or not ends_on_question_or_cue(prompt):
            prompt = self.menu_prompt()
        rate = int(self.state.prefs.get("rate", 100))
        rb = self.handler_input.response_builder
        rb.response.directives = None
        rb.response.card = None
        rb.speak(ssml.ensure_valid(Speech(wording.NOT_SAVED, prompt).ssml(rate)))
        rb.ask(ssml.ensure_valid(Speech(prompt).ssml(rate)))
        rb.set_should_end_session(False)
        return rb.response

    def forget_user(self) -> None:
        self.adapter.delete_attributes(self.handler_input.request_envelope)
        self.state.stored.clear()
        self.state.session.clear()
        self.deleted = True


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
