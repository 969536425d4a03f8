"""Where per-user attributes live: SQLite embedded by default, DynamoDB on AWS Lambda.

Both are ask-sdk persistence adapters keyed by owner (the account, or a recognised person of it:
``skill.store.owner``); :func:`adapter_from_env` picks one from configuration so neither the web
service nor the tests need AWS.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter

    from skill.store.sqlite import SQLiteAdapter, default_db_path

__all__ = ["SQLiteAdapter", "adapter_from_env", "default_db_path"]


def __getattr__(name: str) -> Any:
    # The SQLite store (and ask-sdk under it) is imported when used: user_state and the sections
    # codec live in this package too and are needed without it.
    if name in ("SQLiteAdapter", "default_db_path"):
        from skill.store import sqlite

        return getattr(sqlite, name)
    raise AttributeError(f"module 'skill.store' has no attribute {name!r}")


def adapter_from_env(db_path: str | Path | None = None) -> AbstractPersistenceAdapter:
    """The store chosen by ``STRIDE_COACH_STORE`` (``sqlite``, the default, or ``dynamodb``)."""
    kind = os.environ.get("STRIDE_COACH_STORE", "sqlite").strip().lower()
    if kind == "sqlite":
        from skill.store.sqlite import SQLiteAdapter, default_db_path

        return SQLiteAdapter(db_path or os.environ.get("STRIDE_COACH_DB") or default_db_path())
    if kind == "dynamodb":
        from skill.store.dynamodb import adapter_from_env as dynamodb_from_env  # boto3 only when asked for

        return dynamodb_from_env()
    raise ValueError(f"STRIDE_COACH_STORE must be 'sqlite' or 'dynamodb', not {kind!r}")
