"""The ``before_coaching`` and ``progress_report`` hooks, as documented in ``skill/hookspecs.py``,
with plugins of the test's own (no built-ins): a gate holds any plugin's session until it proceeds."""

from __future__ import annotations

import pytest

from skill import Reply, Speech, hookimpl
from skill.kit.simulator import AlexaSimulator, make_skill


@pytest.fixture
def stride_coach_safety_gate():
    return True


class Roller:
    """Any plugin with a timed session of two sets."""

    @hookimpl
    def register_intents(self, register):
        register({"name": "RollIntent", "samples": {"en": ["roll my calves"]}}, self.start)

    def start(self, turn):
        block = {"id": "calf_roll", "name": "the calf roll", "short_name": "the calf roll",
                 "setup": ["Sit with the roller under your calves."], "sides": [], "sets": 2, "rest_seconds": 5,
                 "work": {"type": "hold", "seconds": 10}}
        return Reply.play({"id": "roll", "owner": "", "title": "calf rolling", "blocks": [block]}, "Rolling time.")

    @hookimpl
    def progress_report(self, turn):
        return ["You've rolled your calves."]


class Gate:
    """Asks once whether the floor is clear; no ends the request; makes every plan one set."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    @hookimpl
    def before_coaching(self, turn, plan):
        self.seen.append(plan["owner"])
        for block in plan["blocks"]:
            block["sets"] = 1
        if turn.stored.get("cleared"):
            return None
        return Reply(Speech("One thing first."), prompt="Is the floor around you clear?")

    @hookimpl
    def handle_followup(self, turn):
        if turn.intent == "AMAZON.YesIntent":
            turn.stored["cleared"] = True
            return Reply(Speech("Great."), proceed=True)
        return Reply.menu("Okay, another time.")


class BrokenGate:
    @hookimpl
    def before_coaching(self, turn, plan):
        raise RuntimeError("gate down")


class BrokenReport:
    @hookimpl
    def progress_report(self, turn):
        raise RuntimeError("report down")


def user_of(tmp_path, *plugins) -> AlexaSimulator:
    return AlexaSimulator(make_skill(tmp_path / "gate.db", list(plugins), builtins=False))


def plan_of(answer) -> dict | None:
    player = answer.session.get("core", {}).get("player")
    return player["plan"] if player else None


def test_hook_before_coaching_holds_the_session_until_the_gate_proceeds(tmp_path):
    gate = Gate()
    alexa = user_of(tmp_path, ("roller", Roller()), ("gate", gate))
    alexa.launch()
    asked = alexa.say("roll my calves")
    assert asked.speech.startswith("One thing first.") and asked.reprompt == "Is the floor around you clear?"
    assert plan_of(asked) is None and asked.session["core"]["held"]["plan"]["id"] == "roll"
    started = alexa.say("yes")
    assert started.speech.startswith("Great. Rolling time."), "the gate's words, then the plan's own lead"
    assert plan_of(started)["owner"] == "roller"
    assert plan_of(started)["blocks"][0]["sets"] == 1, "a gate may make the plan gentler"
    assert gate.seen == ["roller", "roller"], "asked again on proceed"
    assert "held" not in started.session["core"]


def test_hook_before_coaching_a_gate_that_closes_drops_the_held_session(tmp_path):
    alexa = user_of(tmp_path, ("roller", Roller()), ("gate", Gate()))
    alexa.launch()
    alexa.say("roll my calves")
    answer = alexa.say("no")
    assert "Okay, another time." in answer.speech and plan_of(answer) is None
    assert "held" not in answer.session["core"]
    assert plan_of(alexa.say("yes")) is None, "a later yes does not start the dropped session"


def test_hook_before_coaching_a_broken_gate_fails_closed(tmp_path):
    alexa = user_of(tmp_path, ("roller", Roller()), ("broken_gate", BrokenGate()))
    alexa.launch()
    answer = alexa.say("roll my calves")
    assert plan_of(answer) is None and "ran into a problem" in answer.speech and not answer.ended


def test_hook_progress_report_adds_each_plugins_sentences_and_skips_a_broken_one(tmp_path):
    alexa = user_of(tmp_path, ("roller", Roller()), ("broken_report", BrokenReport()))
    alexa.launch()
    answer = alexa.say("how am i doing")
    assert "You've rolled your calves." in answer.speech and not answer.ended
