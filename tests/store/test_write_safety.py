"""Store faults lose nothing, and "forget me" leaves nothing readable behind.

A turn whose write fails answers with the session as it was saved, so the next "next" plays what
the failed one would have; "forget me" zeroes the deleted rows and empties the WAL, and a launch
afterwards does not make a new record.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from skill.kit.simulator import AlexaSimulator, make_host
from skill.pipeline.app import SkillApp
from skill.store import SQLiteAdapter


class FlakyStore(SQLiteAdapter):
    """SQLite whose writes fail while ``failing`` is set, as DynamoDB's do when throttled."""

    failing = False

    def write_sections(self, request_envelope, changes, read):
        if self.failing:
            raise OSError("the store is unavailable")
        super().write_sections(request_envelope, changes, read)


def simulator(db: Path, store_class=SQLiteAdapter, user: str = "amzn1.ask.account.WRITE-SAFETY") -> AlexaSimulator:
    return AlexaSimulator(SkillApp(make_host(), store_class(db)), user_id=user)


def test_a_failed_write_never_skips_an_exercise(tmp_path):
    control = simulator(tmp_path / "control.db")
    flaky = simulator(tmp_path / "flaky.db", FlakyStore)
    for alexa in (control, flaky):
        alexa.launch()
        alexa.say("stretch my hamstrings")
    expected_next = control.say("next")

    flaky.app.adapter.failing = True
    before = flaky.answers[-1].session
    failed = flaky.say("next")
    assert failed.speech.startswith("Sorry, I couldn't save that just now, so we're still where we were.")
    assert not failed.ended and failed.reprompt
    assert failed.session == before  # the device keeps the session as it was saved

    flaky.app.adapter.failing = False
    retried = flaky.say("next")
    assert retried.speech == expected_next.speech


def test_a_failed_write_of_a_preference_says_so_and_keeps_the_old_one(tmp_path):
    alexa = simulator(tmp_path / "flaky.db", FlakyStore)
    alexa.launch()
    alexa.app.adapter.failing = True
    answer = alexa.say("make the holds longer")
    assert "couldn't save" in answer.speech
    alexa.app.adapter.failing = False
    assert "prefs" not in alexa.stored


def _file_bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (db, Path(f"{db}-wal")) if p.exists())


def test_forget_me_leaves_nothing_readable_in_the_database_files(tmp_path):
    db = tmp_path / "forget.db"
    user = "amzn1.ask.account.FORGET-ME-PLEASE-0123456789"
    alexa = simulator(db, user=user)
    alexa.launch()
    alexa.say("make the holds longer")
    alexa.say("stretch my hamstrings")
    alexa.say("stop")
    assert user.encode() in _file_bytes(db)
    alexa.launch()
    alexa.say("forget me")
    assert "deleted everything" in alexa.say("yes").speech
    assert user.encode() not in _file_bytes(db)


def test_a_launch_after_forget_me_stores_nothing(tmp_path):
    db = tmp_path / "forget.db"
    alexa = simulator(db)
    alexa.launch()
    alexa.say("make the holds longer")
    alexa.say("forget me")
    alexa.say("yes")
    alexa.launch()
    alexa.say("help")
    assert alexa.stored == {}
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM user_sections").fetchone() == (0,)


@pytest.mark.parametrize("pragma, expected", [("secure_delete", 1), ("journal_mode", "wal")])
def test_the_store_zeroes_what_it_deletes(tmp_path, pragma, expected):
    store = SQLiteAdapter(tmp_path / "s.db")
    assert store._connection().execute(f"PRAGMA {pragma}").fetchone()[0] == expected


def test_two_devices_changing_one_user_at_once_lose_nothing_on_sqlite(tmp_path):
    from concurrency import two_devices_at_once

    assert two_devices_at_once(SQLiteAdapter(tmp_path / "two.db"), pairs=30) == []
