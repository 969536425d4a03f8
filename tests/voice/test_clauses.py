"""People say two clauses in one breath: the one the model knows is heard, and clauses that mean
different things are not guessed between."""

from __future__ import annotations

import pytest

from skill.pipeline.app import load_from_env
from skill.voice.model import build_model
from skill.voice.nlu import Resolver


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(build_model(load_from_env(), "en-US"))


@pytest.mark.parametrize("said, intent", [
    ("um i just got back from a run, can we do some stretches please", "StartStretchIntent"),
    ("i just got back from a run so let's stretch", "StartStretchIntent"),
    ("my hamstrings are really tight and i want to stretch my hamstrings", "StretchMuscleIntent"),
    ("it's been a long week so can you check my back", "CheckMyBackIntent"),
])
def test_one_known_clause_is_heard(resolver, said, intent):
    assert resolver.resolve(said).intent == intent


@pytest.mark.parametrize("said", ["check my back and then stretch my hamstrings", "forget me and start my stretches"])
def test_clauses_that_disagree_are_not_guessed_between(resolver, said):
    assert resolver.resolve(said).intent == "AMAZON.FallbackIntent"
