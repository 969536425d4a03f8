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


@pytest.mark.parametrize("said, intent", [
    ("my lower back is a bit sore today", "PainIntent"),
    ("my back is killing me this morning", "PainIntent"),
    ("my knee is kind of sore tonight", "PainIntent"),
    ("my back feels really stiff this morning", "CheckMyBackIntent"),
    ("my back feels tight after my run", "CheckMyBackIntent"),
])
def test_how_much_and_since_when_do_not_hide_what_is_said(resolver, said, intent):
    """"A bit", "really", "this morning", "after my run": how people say it, not what they ask."""
    assert resolver.resolve(said).intent == intent


@pytest.mark.parametrize("said", ["so tired", "really", "this morning", "pretty much"])
def test_softeners_alone_mean_nothing(resolver, said):
    assert resolver.resolve(said).intent == "AMAZON.FallbackIntent"


@pytest.mark.parametrize("said, intent", [
    ("hey just finished a 10k, legs are pretty heavy", "AfterRunIntent"),
    ("okay just done my parkrun", "AfterRunIntent"),
    ("just finished a 10k. my legs are heavy", "AfterRunIntent"),
])
def test_a_typed_comma_marks_a_clause_and_fillers_come_off_one_at_a_time(resolver, said, intent):
    """"Hey" goes, and "just" stays where "just finished a 10k" is what the model knows."""
    assert resolver.resolve(said).intent == intent


def test_clauses_that_disagree_stay_unguessed_across_a_comma(resolver):
    assert resolver.resolve("check my back, stretch my hamstrings").intent == "AMAZON.FallbackIntent"
