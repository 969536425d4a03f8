"""What every store must do, written once and run against each: SQLite here, DynamoDB on AWS.

A test module subclasses :class:`PersistenceContract` and provides an ``adapter`` fixture. Each test
uses fresh user ids, so a store shared across tests (one DynamoDB table per session) is fine.
"""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.kit.device import SimulatedDevice

# Every JSON type, nested, with values that a careless store would change on the way back.
AWKWARD = {
    "prefs": {"hold_scale": 1.0, "rate": 110, "continuous": False},
    "floats": [0.5, 1.25, -2.75, 1e-7, 123456.789],
    "ints": [0, -1, 2**53, 10**20],
    "flags": [True, False],
    "nothing": None,
    "empty": {"list": [], "dict": {}, "text": ""},
    "unicode": "Grüße, 走る, 🏃 — “quoted”",
    "history": [{"date": "2026-11-25", "title": "after-run stretches", "minutes": 9.5}],
    "deep": {"a": {"b": {"c": {"d": [1, [2, [3, {"e": "f"}]]]}}}},
}


def new_user() -> dict:
    """A launch envelope for a user no other test has seen."""
    return SimulatedDevice(f"amzn1.ask.account.contract-{uuid.uuid4()}").launch()


def typed(envelope: dict) -> RequestEnvelope:
    """The same envelope as ask-sdk hands it to the adapter at run time."""
    return DefaultSerializer().deserialize(json.dumps(envelope), RequestEnvelope)


def same_types(a: object, b: object) -> bool:
    """Equal and of the same JSON types all the way down (``1 == 1.0 == True`` in plain Python)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_types(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same_types(x, y) for x, y in zip(a, b))
    return a == b


class PersistenceContract:
    """Mix into a ``Test…`` class that defines an ``adapter`` fixture."""

    @pytest.fixture
    def adapter(self):
        raise NotImplementedError("a store's test class provides the adapter fixture")

    def test_unknown_user_has_no_attributes(self, adapter):
        assert adapter.get_attributes(new_user()) == {}

    def test_round_trip(self, adapter):
        user = new_user()
        adapter.save_attributes(user, {"prefs": {"hold_scale": 1.25}})
        assert adapter.get_attributes(user) == {"prefs": {"hold_scale": 1.25}}

    def test_save_replaces_the_whole_document(self, adapter):
        user = new_user()
        adapter.save_attributes(user, {"prefs": {"rate": 90}, "history": [1, 2]})
        adapter.save_attributes(user, {"prefs": {"rate": 120}})
        assert adapter.get_attributes(user) == {"prefs": {"rate": 120}}

    def test_delete_then_get_is_empty(self, adapter):
        user = new_user()
        adapter.save_attributes(user, {"prefs": {"continuous": True}})
        adapter.delete_attributes(user)
        assert adapter.get_attributes(user) == {}

    def test_delete_of_an_unknown_user_is_harmless(self, adapter):
        user = new_user()
        adapter.delete_attributes(user)
        assert adapter.get_attributes(user) == {}

    def test_save_after_delete_starts_afresh(self, adapter):
        user = new_user()
        adapter.save_attributes(user, {"old": 1})
        adapter.delete_attributes(user)
        adapter.save_attributes(user, {"new": 2})
        assert adapter.get_attributes(user) == {"new": 2}

    def test_users_are_isolated(self, adapter):
        alice, bob = new_user(), new_user()
        adapter.save_attributes(alice, {"name": "alice"})
        adapter.save_attributes(bob, {"name": "bob"})
        adapter.delete_attributes(alice)
        assert adapter.get_attributes(alice) == {}
        assert adapter.get_attributes(bob) == {"name": "bob"}

    def test_types_survive_exactly(self, adapter):
        user = new_user()
        adapter.save_attributes(user, AWKWARD)
        back = adapter.get_attributes(user)
        assert back == AWKWARD
        assert same_types(back, AWKWARD), "ints must stay ints, floats floats, booleans booleans"

    def test_typed_and_raw_envelopes_name_the_same_user(self, adapter):
        user = new_user()
        adapter.save_attributes(typed(user), {"saved": "typed"})
        assert adapter.get_attributes(user) == {"saved": "typed"}
        adapter.delete_attributes(user)
        assert adapter.get_attributes(typed(user)) == {}

    def test_envelope_without_a_user_is_refused(self, adapter):
        envelope = new_user()
        del envelope["context"]["System"]["user"]
        with pytest.raises(ValueError, match="userId"):
            adapter.save_attributes(envelope, {"x": 1})

    def test_concurrent_saves_for_different_users_all_persist(self, adapter):
        users = [new_user() for _ in range(24)]

        def save(index: int) -> None:
            adapter.save_attributes(users[index], {"index": index, "scale": index / 4})

        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(save, range(len(users))))
        for index, user in enumerate(users):
            assert adapter.get_attributes(user) == {"index": index, "scale": index / 4}
