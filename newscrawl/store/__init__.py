"""Where articles are kept: MongoDB when MONGO_URI is set, else an SQLite file."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from newscrawl.store.base import (
    ArticleRejected,
    LockHeld,
    LockHolder,
    RunRecord,
    Store,
    StoreError,
    StoreLost,
    StoreMissing,
    StoreUnavailable,
    WriteResult,
)
from newscrawl.store.sqlite import SQLiteStore

DEFAULT_SQLITE_PATH = "newscrawl.sqlite3"
DEFAULT_MONGO_DATABASE = "newscrawl"

__all__ = [
    "ArticleRejected",
    "LockHeld",
    "LockHolder",
    "MongoStore",
    "RunRecord",
    "SQLiteStore",
    "Store",
    "StoreError",
    "StoreLost",
    "StoreMissing",
    "StoreUnavailable",
    "WriteResult",
    "mask_uri",
    "open_store",
]


def __getattr__(name: str) -> Any:
    """MongoStore and mask_uri, imported on first use: pymongo costs ~150 ms at start-up."""
    if name in ("MongoStore", "mask_uri"):
        from newscrawl.store import mongo

        return getattr(mongo, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def open_store(settings: Mapping[str, Any] | Any) -> Store:
    """The configured store, not yet opened: MongoStore if MONGO_URI is set, else SQLiteStore.

    Reads MONGO_URI, MONGO_DATABASE, NEWSCRAWL_SQLITE_PATH and NEWSCRAWL_LOCK_LEASE_S from
    Scrapy settings or a plain dict (newscrawl/settings.py fills them from the environment);
    the caller calls open().
    """
    if settings.get("MONGO_URI"):
        from newscrawl.store.mongo import LOCK_LEASE_S, MongoStore

        lease = settings.get("NEWSCRAWL_LOCK_LEASE_S")
        return MongoStore(
            settings["MONGO_URI"],
            settings.get("MONGO_DATABASE") or DEFAULT_MONGO_DATABASE,
            lock_lease_s=float(lease) if lease else LOCK_LEASE_S,
        )
    path = settings.get("NEWSCRAWL_SQLITE_PATH") or DEFAULT_SQLITE_PATH
    return SQLiteStore(os.path.abspath(path))
