"""The embedded store: an ask-sdk persistence adapter on SQLite from the standard library.

One row per Alexa user id holding that user's attributes as JSON. WAL mode lets readers run while a
writer commits; each write is one short transaction, and every thread gets its own connection.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter

from .keys import SkipsUnchangedSaves, decode, user_id_of

SCHEMA = """
CREATE TABLE IF NOT EXISTS user_attributes (
    user_id    TEXT PRIMARY KEY,
    attributes TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
)
"""


def default_db_path() -> Path:
    """``$XDG_DATA_HOME/stride-coach/stride-coach.db`` (``~/.local/share`` when unset)."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "stride-coach" / "stride-coach.db"


class SQLiteAdapter(SkipsUnchangedSaves, AbstractPersistenceAdapter):
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._reads = threading.local()
        with self._connection() as conn:
            conn.execute(SCHEMA)

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            # NORMAL is durable in WAL mode across application crashes; it skips an fsync per commit.
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
        return conn

    def get_attributes(self, request_envelope: Any) -> dict:
        user_id = user_id_of(request_envelope)
        row = self._connection().execute(
            "SELECT attributes FROM user_attributes WHERE user_id = ?", (user_id,)
        ).fetchone()
        payload = row[0] if row else None
        self._remember_read(user_id, payload)
        return decode(payload)

    def _write(self, user_id: str, payload: str) -> None:
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                "INSERT INTO user_attributes (user_id, attributes) VALUES (?, ?) "
                "ON CONFLICT(user_id) DO UPDATE SET attributes = excluded.attributes, "
                "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
                (user_id, payload),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def delete_attributes(self, request_envelope: Any) -> None:
        self._forget_read()
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("DELETE FROM user_attributes WHERE user_id = ?", (user_id_of(request_envelope),))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
