"""The Lambda handler under hostile input: every envelope gets a valid answer or a BadRequest.

Hypothesis picks a genuine envelope from real conversations (skill.kit.fuzz.seed_envelopes) and
a sequence of mutations, sometimes corrupting what the store holds for the user first. Whatever
comes back must pass Alexa's rules (skill.kit.fuzz.rule_problems). The longer run of the same
mutations is ``benchmarks/fuzz_envelopes.py``.
"""

from __future__ import annotations

import contextlib
import copy
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skill.kit.fuzz import mutate, rule_problems, seed_envelopes
from skill.kit.simulator import make_skill
from skill.pipeline.app import BadRequest, SkillApp
from skill.store.base import SectionedStore


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory) -> tuple[SkillApp, list[dict]]:
    app = make_skill(tmp_path_factory.mktemp("fuzz") / "fuzz.db")
    return app, seed_envelopes(app)


def _user(envelope: dict) -> dict:
    return {"context": {"System": {"user": {"userId": envelope["context"]["System"]["user"]["userId"]}}}}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed_index=st.integers(min_value=0), mutation_seed=st.integers(min_value=0, max_value=2**32),
       corrupt_store=st.booleans())
def test_every_envelope_gets_a_valid_answer_or_a_bad_request(fuzzed, seed_index, mutation_seed, corrupt_store):
    app, seeds = fuzzed
    seed = seeds[seed_index % len(seeds)]
    rng = random.Random(mutation_seed)
    stored = app.adapter.get_attributes(_user(seed)) if corrupt_store else None
    envelope = mutate(seed, rng, stored)
    if stored is not None:
        with contextlib.suppress(TypeError, ValueError):  # not storable as JSON: no store could hold it
            app.adapter.save_attributes(_user(seed), stored)
    try:
        response = app.handle(envelope)
    except BadRequest as refusal:
        assert str(refusal)  # a refusal says what is wrong
        return
    assert rule_problems(envelope, response) == []


def test_the_fuzz_seeds_reach_the_deep_paths(fuzzed):
    """The seeds hold routines in progress (a plan in the session) and requests without a session."""
    _, seeds = fuzzed
    assert any("player" in ((s.get("session") or {}).get("attributes") or {}).get("core", {}) for s in seeds)
    assert any("session" not in s for s in seeds)
    assert isinstance(fuzzed[0].adapter, SectionedStore)


@pytest.mark.parametrize("mutation, reason", [
    (lambda e: e["request"].update(intent="x"), "request.intent must be an object"),
    (lambda e: e.update(context=[1]), "context must be an object, not a list"),
    (lambda e: e["context"]["System"].update(user="someone"), "context.System.user must be an object"),
    (lambda e: e["request"]["intent"]["slots"].update(deep=_deep(60_000)), "nested more than"),
    (lambda e: e["request"]["intent"].update(name="Stop\udc00"), "lone surrogate"),
    (lambda e: e["request"].update(locale="en\x00US"), "request.locale: holds a NUL"),
    (lambda e: e["request"].update(timestamp=float("nan")), "not a JSON number"),
])
def test_malformed_envelopes_name_the_field(fuzzed, mutation, reason):
    app, seeds = fuzzed
    envelope = copy.deepcopy(next(s for s in seeds if s["request"]["type"] == "IntentRequest"))
    mutation(envelope)
    with pytest.raises(BadRequest, match=reason):
        app.handle(envelope)


def _deep(depth: int) -> dict:
    value: dict = {}
    for _ in range(depth):
        value = {"a": value}
    return value


@pytest.mark.parametrize("request_type", ["AudioPlayer.PlaybackStarted", "PlaybackController.NextCommandIssued",
                                          "System.ExceptionEncountered", "AlexaSkillEvent.SkillEnabled"])
def test_requests_without_a_session_get_the_empty_response(fuzzed, request_type):
    app, seeds = fuzzed
    envelope = copy.deepcopy(next(s for s in seeds if "session" not in s))
    envelope["request"]["type"] = request_type
    assert app.handle(envelope) == {"version": "1.0", "response": {}}
