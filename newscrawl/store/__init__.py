"""Where articles are kept: MongoDB when MONGO_URI is set, else an SQLite file."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from newscrawl.store.base import RunRecord, Store, StoreError, StoreUnavailable, WriteResult
from newscrawl.store.mongo import MongoStore, mask_uri
from newscrawl.store.sqlite import SQLiteStore

DEFAULT_SQLITE_PATH = "newscrawl.sqlite3"
DEFAULT_MONGO_DATABASE = "newscrawl"

__all__ = [
    "MongoStore",
    "RunRecord",
    "SQLiteStore",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "WriteResult",
    "mask_uri",
    "open_store",
    "store_config",
]


def _setting(settings: Mapping[str, Any] | Any, name: str) -> Any:
    """A setting's value, else the environment variable of the same name."""
    return settings.get(name) or os.environ.get(name)


def open_store(settings: Mapping[str, Any] | Any) -> Store:
    """The configured store, not yet opened: MongoStore if MONGO_URI is set, else SQLiteStore.

    Takes a Scrapy Settings object or a plain dict; the caller calls open().
    """
    uri = _setting(settings, "MONGO_URI")
    if uri:
        database = _setting(settings, "MONGO_DATABASE") or DEFAULT_MONGO_DATABASE
        return MongoStore(uri, database)
    return SQLiteStore(_setting(settings, "NEWSCRAWL_SQLITE_PATH") or DEFAULT_SQLITE_PATH)


def store_config(settings: Mapping[str, Any] | Any) -> dict[str, str | None]:
    """The settings open_store reads, resolved (SQLite path made absolute) for another process."""
    sqlite_path = _setting(settings, "NEWSCRAWL_SQLITE_PATH") or DEFAULT_SQLITE_PATH
    return {
        "MONGO_URI": _setting(settings, "MONGO_URI"),
        "MONGO_DATABASE": _setting(settings, "MONGO_DATABASE"),
        "NEWSCRAWL_SQLITE_PATH": os.path.abspath(sqlite_path),
    }
