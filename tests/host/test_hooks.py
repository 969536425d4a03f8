"""Every hook, as a third-party plugin meets it: when it fires, what it receives, what its answer does.

One test per hook is named ``test_hook_<name>...``: tests/host/test_plugin_docs.py checks that
every hook in skill/hookspecs.py has one.
"""

from __future__ import annotations

import pytest

from skill import Offer, Reply, Speech, hookimpl
from skill.kit.simulator import AlexaSimulator, dump, make_skill

INTENT = {"name": "FoamRollIntent", "samples": {"en": ["roll my calves", "foam roll"]}}
KIND = "foam_roll"
SCHEMA = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
          "required": ["id", "seconds"], "properties": {"id": {"type": "string"}, "seconds": {"type": "integer"}}}
PLAN = {"id": "roll", "title": "calf rolling", "intro": "Sit with a roller under your calves.",
        "blocks": [{"id": "calf_roll", "name": "calf roll", "short_name": "the calf roll",
                    "setup": ["Roll slowly from ankle to knee."], "sides": [], "sets": 1,
                    "work": {"type": "hold", "seconds": 20}}]}


class FoamRoller:
    """A third-party plugin that records every hook call it gets."""

    def __init__(self, tmp_path) -> None:
        self.calls: list[tuple[str, dict]] = []
        self.blocks = 1
        self.folder = tmp_path / "rolls"
        self.folder.mkdir()
        (self.folder / "calves.json").write_text('{"id": "calves", "seconds": 20}')

    def _note(self, name: str, **details) -> None:
        self.calls.append((name, details))

    def named(self, name: str) -> list[dict]:
        return [details for hook, details in self.calls if hook == name]

    @hookimpl
    def register_schemas(self, register):
        self._note("register_schemas")
        register(KIND, SCHEMA)

    @hookimpl
    def register_content(self, register):
        self._note("register_content")
        register(KIND, self.folder)

    @hookimpl
    def register_slot_types(self, register):
        self._note("register_slot_types")
        register({"name": "RollerFirmness", "values": [{"id": "firm", "name": {"value": "firm"}}]})

    @hookimpl
    def register_intents(self, register):
        self._note("register_intents")
        register(INTENT, self.start)

    def start(self, turn):
        seconds = turn.content.get(KIND, "calves")["seconds"]
        block = {**PLAN["blocks"][0], "work": {"type": "hold", "seconds": seconds}}
        blocks = [block] * self.blocks
        return Reply.play({**PLAN, "blocks": [{**b, "id": f"{b['id']}_{i}"} for i, b in enumerate(blocks)]})

    @hookimpl
    def launch_offer(self, turn):
        self._note("launch_offer", stored=dict(turn.stored))
        nudge = "Roll your calves again today?" if turn.stored.get("rolled") else None
        return Offer(title="foam rolling", try_saying="roll my calves", priority=200,
                     help="I can guide a short foam rolling routine.", nudge=nudge, nudge_id="again")

    @hookimpl
    def handle_followup(self, turn):
        self._note("handle_followup", intent=turn.intent, nudge=turn.answering_nudge)
        if turn.answering_nudge == "again" and turn.intent == "AMAZON.YesIntent":
            return self.start(turn)
        return None

    @hookimpl
    def plan_finished(self, turn, plan, minutes):
        self._note("plan_finished", plan=plan["id"], minutes=minutes)
        turn.stored["rolled"] = turn.today.isoformat()
        return Reply(Speech("Nice rolling."))

    @hookimpl
    def plan_stopped(self, turn, plan):
        self._note("plan_stopped", plan=plan["id"], marks=plan.get("data", {}).get("marks"))

    @hookimpl
    def session_started(self, turn):
        self._note("session_started", intent=turn.intent)
        turn.session["rolls"] = 0

    @hookimpl
    def session_ended(self, turn, reason):
        self._note("session_ended", reason=reason)
        turn.stored["last_seen"] = turn.today.isoformat()


@pytest.fixture
def roller(tmp_path):
    return FoamRoller(tmp_path)


@pytest.fixture
def user(tmp_path, roller) -> AlexaSimulator:
    return AlexaSimulator(make_skill(tmp_path / "hooks.db", [("foam_roller", roller)]))


def finish_rolling(user: AlexaSimulator):
    answer = user.say("roll my calves")
    assert "calf roll" in answer.speech, dump(answer)
    user.wait(answer.playback_seconds + 5)
    return user.end_session()


def test_hook_register_schemas_defines_a_kind_whose_documents_are_validated(user, roller):
    assert roller.named("register_schemas") == [{}]
    assert KIND in user.app.host.content.schemas
    assert user.app.host.records["foam_roller"].status == "loaded"


def test_hook_register_content_loads_the_plugins_documents(user, roller):
    assert user.app.host.content.get(KIND, "calves") == {"id": "calves", "seconds": 20}
    assert user.app.host.records["foam_roller"].content == {KIND: 1}


def test_hook_register_content_with_an_invalid_document_fails_only_that_plugin(tmp_path, roller):
    (roller.folder / "calves.json").write_text('{"id": "calves", "seconds": "twenty"}')
    skill = make_skill(tmp_path / "bad.db", [("foam_roller", roller)], strict=False)
    record = skill.host.records["foam_roller"]
    assert record.status == "failed" and "calves.json: /seconds" in record.errors[0]
    assert "FoamRollIntent" not in skill.host.intents
    assert "Welcome to Stride Coach" in AlexaSimulator(skill).launch().speech


def test_hook_register_slot_types_adds_the_type_to_every_model(user):
    from skill.voice.model import build_model

    types = build_model(user.app.host, "en-GB")["interactionModel"]["languageModel"]["types"]
    assert "RollerFirmness" in {t["name"] for t in types}


def test_hook_register_intents_routes_the_intent_to_its_handler(user, roller):
    assert user.app.host.intents["FoamRollIntent"].plugin == "foam_roller"
    answer = user.say("foam roll")
    assert "Roll slowly from ankle to knee" in answer.speech, dump(answer)


def test_hook_launch_offer_fires_at_launch_help_home_and_the_menu_with_stored_data(user, roller):
    user.launch()
    assert "foam rolling" in user.answers[-1].speech or "roll my calves" in user.answers[-1].speech
    user.say("help")
    user.intent("AMAZON.NavigateHomeIntent")
    assert len(roller.named("launch_offer")) == 3
    assert "I can guide a short foam rolling routine." in user.answers[1].speech


def test_hook_handle_followup_receives_the_answer_to_the_spoken_nudge(user, roller):
    finish_rolling(user)
    user.next_day()
    launch = user.launch()
    assert launch.reprompt == "Roll your calves again today?"
    answer = user.say("yes")
    assert roller.named("handle_followup")[-1] == {"intent": "AMAZON.YesIntent", "nudge": "again"}
    assert "Roll slowly from ankle to knee" in answer.speech, dump(answer)


def test_hook_handle_followup_is_not_told_of_a_nudge_it_did_not_speak(user, roller):
    user.launch()  # no nudge: nothing rolled yet
    user.say("roll my calves")
    user.say("yes", after=3)
    assert all(call["nudge"] is None for call in roller.named("handle_followup"))


def test_hook_plan_finished_fires_once_the_plan_ends_and_its_words_are_spoken(user, roller):
    answer = user.say("roll my calves")
    assert answer.ended is False
    finished = roller.named("plan_finished")
    assert [call["plan"] for call in finished] == ["roll"] and finished[0]["minutes"] > 0
    assert "Nice rolling." in answer.speech
    user.wait(answer.playback_seconds + 5)
    user.end_session()
    assert user.stored["plugins"]["foam_roller"]["rolled"] == user.now.date().isoformat()
    assert [h["title"] for h in user.stored["history"]] == ["calf rolling"]


def test_hook_plan_stopped_fires_when_another_reply_drops_the_plan(tmp_path, roller):
    class Stopper:
        @hookimpl
        def register_intents(self, register):
            register({"name": "OuchIntent", "samples": {"en": ["ouch that hurts"]}},
                     lambda turn: Reply(Speech("Let's stop there."), mark={"pain": 7}, stop_plan=True,
                                        to_menu=True))

    roller.blocks = 2  # the first response plays one exercise: the plan's end is still to come
    user = AlexaSimulator(make_skill(tmp_path / "stop.db", [("foam_roller", roller), ("stopper", Stopper())]))
    user.say("roll my calves")
    answer = user.say("ouch that hurts", after=8)
    assert "Let's stop there." in answer.speech
    assert roller.named("plan_stopped") == [{"plan": "roll", "marks": [{"pain": 7}]}]
    assert roller.named("plan_finished") == []


def test_hook_session_started_fires_once_per_session_before_the_answer(user, roller):
    user.launch()
    user.say("help")
    assert roller.named("session_started") == [{"intent": None}]
    assert user.answers[0].session["plugins"]["foam_roller"] == {"rolls": 0}
    user.next_day()
    user.launch()
    assert len(roller.named("session_started")) == 2


def test_hook_session_ended_gets_the_reason_and_its_stored_data_is_saved(user, roller):
    user.launch()
    ended = user.end_session("EXCEEDED_MAX_REPROMPTS")
    assert roller.named("session_ended") == [{"reason": "EXCEEDED_MAX_REPROMPTS"}]
    assert ended.body == {} or not ended.body.get("outputSpeech")
    assert user.stored["plugins"]["foam_roller"]["last_seen"] == user.now.date().isoformat()


def test_a_broadcast_hook_that_raises_is_skipped_and_the_request_answered(tmp_path):
    class Grumpy:
        @hookimpl
        def session_started(self, turn):
            raise RuntimeError("no")

        @hookimpl
        def session_ended(self, turn, reason):
            raise RuntimeError("no")

    user = AlexaSimulator(make_skill(tmp_path / "grumpy.db", [("grumpy", Grumpy())]))
    assert "Welcome to Stride Coach" in user.launch().speech
    assert not user.end_session().body.get("outputSpeech")


def test_pluggy_tryfirst_does_not_reorder_the_menu_priority_does(tmp_path):
    def offering(title: str, priority: int, **marks):
        class Offering:
            @hookimpl(**marks)
            def launch_offer(self, turn):
                return Offer(title=title, try_saying="help", help=f"{title}.", priority=priority)
        return Offering()

    plugins = [("late", offering("zumba", 1, tryfirst=True)), ("early", offering("yoga", 99, trylast=True))]
    user = AlexaSimulator(make_skill(tmp_path / "order.db", plugins))
    prompt = user.launch().reprompt
    assert prompt.index("yoga") < prompt.index("zumba"), prompt
