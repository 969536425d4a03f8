"""Everything a player control does in one place: where the user is, pause and the other controls,
playing a segment, finishing a plan, and the resume point kept in the store.

:class:`Playback` belongs to one :class:`~skill.pipeline.exchange.Exchange`; the router asks it
to act and it answers with a response built by the exchange.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ask_sdk_model import Response

from skill.api.reply import Reply
from skill.engine import Played, Player, Position, plan_minutes
from skill.engine.plan import Plan
from skill.pipeline import household, wording
from skill.screen import supports_screen
from skill.speech.builder import Speech

if TYPE_CHECKING:
    from skill.pipeline.exchange import Exchange

ENGINE_CONTROLS = {
    "AMAZON.PauseIntent": "pause", "AMAZON.ResumeIntent": "resume", "AMAZON.NextIntent": "next",
    "AMAZON.PreviousIntent": "previous", "AMAZON.RepeatIntent": "repeat", "AMAZON.StartOverIntent": "start_over",
}


class Playback:
    def __init__(self, exchange: Exchange, player: Player) -> None:
        self.exchange = exchange
        self.player = player
        self.interrupted = False  # this request cut a playing response short (see freeze)

    def _may_listen(self) -> bool:
        """A plan listens between its parts (a Dialog directive) unless that would cost a screen."""
        return not supports_screen(self.exchange.event) or self.exchange.screen_beside_dialog

    # -- where the user is ---------------------------------------------------------------------
    def freeze(self) -> None:
        """If a response was still playing when this request came, remember exactly where."""
        player = self.player
        state = player.state
        if state is None or state.get("paused") is not None:
            return
        position = player.position()
        self._note_done(position)
        if state.get("done"):  # the plan's last response: finished, unless cut short
            if position is None:
                self._record_history()
                player.clear()
            else:
                state.update({"paused": position.as_dict(), "at": None, "done": False})
                self.interrupted = True
            return
        if position is not None and position.as_dict() != state.get("end"):
            state.update({"paused": position.as_dict(), "at": None})
            self.interrupted = True

    def _note_done(self, position: Position | None) -> None:
        """Count the exercises played through (not skipped) in the user's familiarity record, once each."""
        state = self.player.state
        if state is None:
            return
        blocks = state["plan"]["blocks"]
        upto = len(blocks) if position is None else position.block
        skipped = {m.get("skipped") for m in (state["plan"].get("data") or {}).get("marks", [])}
        counted = state.setdefault("counted", [])
        done = [i for i in range(upto) if i not in counted and blocks[i]["id"] not in skipped]
        counted += done
        self.exchange.state.note_done(sorted({blocks[i]["id"] for i in done}))

    def _record_history(self) -> None:
        state = self.player.state
        if state is None:
            return
        entry = state.pop("history_entry", None)
        if entry is not None and not state.get("recorded"):
            state["recorded"] = True
            self.exchange.state.record_session(entry)

    def keep_resume_point(self, position: Position | None = None) -> None:
        """Keep an unfinished plan in the store so a later session can pick it up."""
        player = self.player
        state = player.state
        if state is None or state.get("done") or player.plan.get("record") is False:
            return
        if position is None:
            position = Position.from_dict(state.get("paused") or state.get("start"))
        plan = player.plan
        done = player.last_completed_block(position)
        block = plan["blocks"][min(position.block, len(plan["blocks"]) - 1)]
        self.exchange.state.set_resume_point({
            "plan": plan,
            "position": position.as_dict(),
            "date": self.exchange.now.date().isoformat(),
            "after": plan["blocks"][done]["short_name"] if done is not None and position.phase == "setup" else None,
            "during": None if position.phase == "setup" else block["short_name"],
        }, plan_version=state.get("plan_version"))

    def put_aside(self) -> bool:
        """Leave the plan in progress (stop, home): keep where the user was; True if there was one."""
        if not self.player.active:
            return False
        self.keep_resume_point(self.player.position())
        self.player.clear()
        return True

    def session_ending(self) -> None:
        """Alexa closed the session: note the position so a later launch can offer it."""
        self.freeze()
        if self.player.active:
            self.keep_resume_point(self.player.position())

    # -- controls ------------------------------------------------------------------------------
    def control(self, intent: str) -> Response:
        """A generic intent (pause, next, yes, ...) while a plan is playing and nobody else asked."""
        player = self.player
        if intent == wording.YES:
            action = "resume" if (player.state or {}).get("paused") is not None else "next"
        elif intent == wording.NO:
            return self.exchange.build(Speech(wording.NO_TO_PLAYER[0]), wording.NO_TO_PLAYER[1])
        else:
            action = ENGINE_CONTROLS[intent]
        played: Played = getattr(player, action)()
        self.exchange.set_active(player.plan["owner"])
        return self.play(played)

    def start(self, plan: Plan, lead: Speech) -> Response:
        return self.play(self.player.start(plan, lead=lead))

    def resume(self, lead: Speech) -> Response:
        self.exchange.set_active(self.player.plan["owner"])
        return self.play(self.player.resume(), lead=lead)

    def play(self, played: Played, lead: Speech | None = None) -> Response:
        self.exchange.state.core.pop("asking", None)
        speech = Speech().extend(lead or Speech()).extend(played.speech)
        if not played.finished:
            self.keep_resume_point()
            listen = self.player.plan.get("listen")
            if listen and self._may_listen():  # a screen device keeps its screen
                # between the parts of the plan, a bare answer ("too hard") fills this slot
                self.exchange.listen_for(listen, self.player.plan["owner"])
            return self.exchange.build(speech, played.prompt)
        return self.finish(speech)

    # -- the end of a plan ---------------------------------------------------------------------
    def finish(self, speech: Speech) -> Response:
        """Close a plan: record it once it has played, let its owner add closing words, offer more.

        When the plan's last exercise is in this response, the player stays alive (``done``) until
        a later request shows it played to the end, so pausing during it still works, and the
        session is recorded in the history only then (see :meth:`freeze`).
        """
        exchange = self.exchange
        state = self.player.state
        assert state is not None
        plan: Plan = state["plan"]
        first_time = not state.get("finished_once")
        state["finished_once"] = True
        prefs = exchange.state.prefs
        minutes = plan_minutes(plan, prefs["hold_scale"], prefs["rate"])
        exchange.finished = {"plan": plan, "minutes": minutes}
        if plan.get("record", True):
            state["history_entry"] = {"date": exchange.now.date().isoformat(), "title": plan["title"],
                                      "plan": plan["id"], "owner": plan["owner"], "minutes": minutes}
        if state.get("at") and state.get("paused") is None:
            state["done"] = True
        else:
            self._record_history()
            self.player.clear()
        exchange.state.set_resume_point(None)
        exchange.set_active(None)
        if plan.get("outro"):
            speech.say(plan["outro"])
        # The owner hears about every finish, including a final response that was interrupted and
        # then played again: marks added meanwhile (pain, skips) must reach it. Hooks are idempotent.
        closing = exchange.call_plugin(plan["owner"], "plan_finished", plan=plan, minutes=minutes) \
            if exchange.host.implements(plan["owner"], "plan_finished") else None
        if closing is not None:
            speech.extend(closing.speech)
            if closing.plan is not None or closing.prompt:
                return exchange.respond(Reply(speech, prompt=closing.prompt, plan=closing.plan,
                                              end_session=closing.end_session, elicit=closing.elicit,
                                              confirm=closing.confirm), plan["owner"])
            if closing.end_session:
                return exchange.build(speech, None, end_session=True)
        if first_time and plan.get("record", True):
            speech.say(f"That's {plan['title']} done.")
            speech.say(household.shared_profile_note(exchange) or "")
        if plan.get("listen") and self._may_listen():  # a word about the last part counts
            exchange.listen_for(plan["listen"], plan["owner"])
        return exchange.build(speech, exchange.menu_prompt(anything_else=True))

    def drop(self) -> Plan | None:
        """Abandon the plan in progress and its resume point (a stop rule); the plan dropped, if any."""
        if not self.player.active:
            return None
        stopped = self.player.plan
        self.player.clear()
        self.exchange.state.set_resume_point(None)
        return stopped
