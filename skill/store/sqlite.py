"""The embedded store: an ask-sdk persistence adapter on SQLite from the standard library.

One row per owner (an account's shared profile, or one recognised person of it, see
``skill.store.owner``; column ``user_id``) and section (see ``skill.store.sections``), each
section's JSON text. WAL mode lets readers run while a writer commits; each write is one short
transaction, and every thread gets its own connection. A file from before sections (one
``user_attributes`` row per user) is converted when it is opened.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter

from skill.store.base import SectionedStore
from skill.store.owner import owner_key_of
from skill.store.sections import Changes, Sections, decode, encode_sections

SCHEMA = """
CREATE TABLE IF NOT EXISTS user_sections (
    user_id    TEXT NOT NULL,
    section    TEXT NOT NULL,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (user_id, section)
) WITHOUT ROWID
"""
UPSERT = ("INSERT INTO user_sections (user_id, section, value) VALUES (?, ?, ?) "
          "ON CONFLICT(user_id, section) DO UPDATE SET value = excluded.value, "
          "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')")


def default_db_path() -> Path:
    """``$XDG_DATA_HOME/stride-coach/stride-coach.db`` (``~/.local/share`` when unset)."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "stride-coach" / "stride-coach.db"


class SQLiteAdapter(SectionedStore, AbstractPersistenceAdapter):
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        conn = self._connection()
        with _transaction(conn):
            conn.execute(SCHEMA)
            _convert_whole_documents(conn)

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            # NORMAL is durable in WAL mode across application crashes; it skips an fsync per commit.
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
            # Deleted rows are overwritten with zeros rather than left in free space ("forget me").
            conn.execute("PRAGMA secure_delete=ON")
            self._local.conn = conn
        return conn

    def read_sections(self, request_envelope: Any) -> Sections:
        rows = self._connection().execute(
            "SELECT section, value FROM user_sections WHERE user_id = ?", (owner_key_of(request_envelope),))
        return dict(rows.fetchall())

    def write_sections(self, request_envelope: Any, changes: Changes, read: Sections) -> None:
        user_id = owner_key_of(request_envelope)
        conn = self._connection()
        with _transaction(conn):
            for section, text in changes.items():
                if text is None:
                    conn.execute("DELETE FROM user_sections WHERE user_id = ? AND section = ?", (user_id, section))
                else:
                    conn.execute(UPSERT, (user_id, section, text))

    def delete_attributes(self, request_envelope: Any) -> None:
        user_id = owner_key_of(request_envelope)
        conn = self._connection()
        with _transaction(conn):
            conn.execute("DELETE FROM user_sections WHERE user_id = ?", (user_id,))
        _drop_old_page_copies(conn)

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


def _drop_old_page_copies(conn: sqlite3.Connection) -> None:
    """Empty the write-ahead log, which still holds copies of the pages as they were before a delete."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


class _transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any error."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, kind: Any, error: Any, traceback: Any) -> None:
        self.conn.execute("COMMIT" if kind is None else "ROLLBACK")


def _convert_whole_documents(conn: sqlite3.Connection) -> None:
    """Split the rows of the earlier one-document-per-user table into sections, then drop it."""
    old = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'user_attributes'").fetchone()
    if old is None:
        return
    for user_id, document in conn.execute("SELECT user_id, attributes FROM user_attributes").fetchall():
        for section, text in encode_sections(decode(document) if document else {}).items():
            conn.execute(UPSERT, (user_id, section, text))
    conn.execute("DROP TABLE user_attributes")
