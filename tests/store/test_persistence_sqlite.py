"""The embedded SQLite store: the shared persistence contract, and where its file lives."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from persistence_contract import PersistenceContract, new_user
from person_contract import PersonContract

from skill.store import SQLiteAdapter, adapter_from_env, default_db_path


@pytest.fixture
def sqlite_adapter(tmp_path):
    adapter = SQLiteAdapter(tmp_path / "data" / "store.db")
    yield adapter
    adapter.close()


class TestSQLiteContract(PersistenceContract, PersonContract):
    @pytest.fixture
    def adapter(self, sqlite_adapter):
        return sqlite_adapter

    @pytest.fixture
    def raw_store(self, sqlite_adapter):
        """The bytes of the database file and of its write-ahead log, free pages and all."""
        def everything() -> bytes:
            path = sqlite_adapter.path
            files = [path, *(Path(f"{path}{end}") for end in ("-wal", "-shm", "-journal"))]
            return b"".join(f.read_bytes() for f in files if f.exists())
        return everything


def test_file_is_created_at_the_configured_path(tmp_path):
    path = tmp_path / "nested" / "dirs" / "coach.db"
    SQLiteAdapter(path).close()
    assert path.is_file()


def test_wal_mode_is_on(sqlite_adapter):
    sqlite_adapter.save_attributes(new_user(), {"x": 1})
    with closing(sqlite3.connect(sqlite_adapter.path)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_data_survives_reopening_the_file(tmp_path):
    user = new_user()
    first = SQLiteAdapter(tmp_path / "store.db")
    first.save_attributes(user, {"prefs": {"rate": 90}})
    first.close()
    second = SQLiteAdapter(tmp_path / "store.db")
    assert second.get_attributes(user) == {"prefs": {"rate": 90}}
    second.close()


def test_default_path_honours_xdg_data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_db_path() == tmp_path / "xdg" / "stride-coach" / "stride-coach.db"


def test_default_path_falls_back_to_local_share(tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_db_path() == tmp_path / ".local" / "share" / "stride-coach" / "stride-coach.db"


def test_store_from_env_is_sqlite_at_stride_coach_db(tmp_path, monkeypatch):
    monkeypatch.delenv("STRIDE_COACH_STORE", raising=False)
    monkeypatch.setenv("STRIDE_COACH_DB", str(tmp_path / "from-env.db"))
    adapter = adapter_from_env()
    assert isinstance(adapter, SQLiteAdapter)
    assert adapter.path == tmp_path / "from-env.db"
    assert Path(adapter.path).is_file()
    adapter.close()


def test_an_explicit_path_beats_stride_coach_db(tmp_path, monkeypatch):
    monkeypatch.setenv("STRIDE_COACH_DB", str(tmp_path / "from-env.db"))
    adapter = adapter_from_env(tmp_path / "explicit.db")
    assert adapter.path == tmp_path / "explicit.db"
    adapter.close()


def test_an_unknown_store_is_refused(monkeypatch):
    monkeypatch.setenv("STRIDE_COACH_STORE", "redis")
    with pytest.raises(ValueError, match="STRIDE_COACH_STORE"):
        adapter_from_env()


def test_a_file_from_before_sections_is_converted_when_opened(tmp_path):
    path = tmp_path / "old.db"
    document = {"prefs": {"rate": 90}, "history": [{"date": "2026-11-20", "minutes": 9.5}], "paused": None}
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE user_attributes (user_id TEXT PRIMARY KEY, attributes TEXT NOT NULL, "
                     "updated_at TEXT)")
        conn.execute("INSERT INTO user_attributes (user_id, attributes) VALUES (?, ?)",
                     ("amzn1.ask.account.OLD", json.dumps(document)))
    conn.close()
    user = {"context": {"System": {"user": {"userId": "amzn1.ask.account.OLD"}}}}
    adapter = SQLiteAdapter(path)
    assert adapter.get_attributes(user) == document
    tables = {row[0] for row in adapter._connection().execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"user_sections"}
    assert SQLiteAdapter(path).get_attributes(user) == document  # opening it again changes nothing
