"""Strength-session tests run, unless they say otherwise, as a returning user a few weeks in.

Such a user has said they have weights, a bar and a bench, trained before the first week, and
each exercise of every routine is at its card's dose. The gentle start of a new user (one set,
bodyweight variants, the 24-hour check) has its own tests in ``test_gentle_start.py``.
"""

from __future__ import annotations

import json

import pytest

from plugins import CONTENT_ROOT

STRENGTH = CONTENT_ROOT / "strength_coach"


def _cards() -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text()) for p in (STRENGTH / "exercises").glob("*.json")}


def seasoned_store() -> dict:
    cards = _cards()
    slots = {item["exercise"] for p in (STRENGTH / "routines").glob("*.json")
             for item in json.loads(p.read_text())["items"]}
    exercises = {slot: {"variant": slot, "sets": cards[slot]["dose"]["sets"],
                        "reps": cards[slot]["dose"]["reps"]["min"], "streak": 0, "load": None} for slot in slots}
    return {"has": ["weights", "bar", "bench"], "started_on": "2026-01-05", "exercises": exercises}


def seed_store(alexa, plugin: str, data: dict) -> None:
    envelope = {"context": {"System": {"user": {"userId": alexa.user_id}}}}
    attributes = alexa.stored
    attributes.setdefault("plugins", {}).setdefault(plugin, {}).update(json.loads(json.dumps(data)))
    alexa.app.adapter.save_attributes(envelope, attributes)


@pytest.fixture
def alexa(new_user):
    user = new_user()
    seed_store(user, "strength_coach", seasoned_store())
    return user
