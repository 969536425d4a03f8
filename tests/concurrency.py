"""Two devices of one user changing different things at the same moment, against any store.

Each pair of turns reads the user's sections, then (after both have read, so the turns truly
overlap) changes its own part and writes back only what it changed, as the skill does. Nothing
either turn changed may be lost: two preferences in one section, two plugins' data in the shared
``plugins`` section, and a history entry each.
"""

from __future__ import annotations

import threading
import uuid

from skill.store.sections import changes_between, decode, encode

TURNS = [
    ("prefs", lambda prefs: {**prefs, "hold_scale": 1.25}, lambda prefs: {**prefs, "rate": 90}),
    ("plugins", lambda p: {**p, "stretch_timer": {"last": "hamstrings"}},
     lambda p: {**p, "strength_coach": {"level": 2}}),
    ("history", lambda h: [*h, {"title": "from device one"}], lambda h: [*h, {"title": "from device two"}]),
]


def _envelope(user_id: str) -> dict:
    return {"context": {"System": {"user": {"userId": user_id}}}}


def two_devices_at_once(adapter, pairs: int = 20) -> list[str]:
    """Run ``pairs`` overlapping pairs of turns per section kind; what each lost, as readable lines."""
    lost: list[str] = []
    for n in range(pairs):
        for section, change_one, change_two in TURNS:
            user = _envelope(f"amzn1.ask.account.two-devices-{uuid.uuid4()}")
            start = {"prefs": {"continuous": False}, "plugins": {"diagnosis": {"done": True}}, "history": []}
            adapter.save_attributes(user, start)
            both_read = threading.Barrier(2)
            errors: list[BaseException] = []

            def turn(change, user=user, section=section, both_read=both_read, errors=errors):
                try:
                    read = adapter.read_sections(user)
                    both_read.wait(10)
                    now = dict(read)
                    now[section] = encode(change(decode(read[section])))
                    adapter.write_sections(user, changes_between(read, now), read)
                except BaseException as error:
                    errors.append(error)

            threads = [threading.Thread(target=turn, args=(c,)) for c in (change_one, change_two)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(30)
            if errors:
                lost.append(f"pair {n} {section}: {errors[0]!r}")
                continue
            value = adapter.get_attributes(user)[section]
            expected_one = change_one(start[section])
            expected_two = change_two(start[section])
            for expected in (expected_one, expected_two):
                missing = [e for e in expected if e not in value] if isinstance(expected, list) else \
                    {k: v for k, v in expected.items() if value.get(k) != v}
                if missing:
                    lost.append(f"pair {n} {section}: lost {missing}")
    return lost
