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
    "StoreUnavailable",
    "WriteResult",
    "mask_uri",
    "open_store",
    "store_config",
]


def __getattr__(name: str) -> Any:
    """MongoStore and mask_uri, imported on first use: pymongo costs ~150 ms at start-up."""
    if name in ("MongoStore", "mask_uri"):
        from newscrawl.store import mongo

        return getattr(mongo, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _setting(settings: Mapping[str, Any] | Any, name: str) -> Any:
    """A setting's value, else the environment variable of the same name."""
    return settings.get(name) or os.environ.get(name)


def store_config(settings: Mapping[str, Any] | Any) -> dict[str, str | None]:
    """What open_store reads, resolved from settings or the environment (SQLite path made
    absolute), so another process (the store writer) opens the very same store."""
    sqlite_path = _setting(settings, "NEWSCRAWL_SQLITE_PATH") or DEFAULT_SQLITE_PATH
    return {
        "MONGO_URI": _setting(settings, "MONGO_URI"),
        "MONGO_DATABASE": _setting(settings, "MONGO_DATABASE") or DEFAULT_MONGO_DATABASE,
        "NEWSCRAWL_SQLITE_PATH": os.path.abspath(sqlite_path),
        "NEWSCRAWL_LOCK_LEASE_S": _setting(settings, "NEWSCRAWL_LOCK_LEASE_S"),
    }


def open_store(settings: Mapping[str, Any] | Any) -> Store:
    """The configured store, not yet opened: MongoStore if MONGO_URI is set, else SQLiteStore.

    Takes a Scrapy Settings object, a plain dict or a store_config(); the caller calls open().
    """
    config = store_config(settings)
    if config["MONGO_URI"]:
        from newscrawl.store.mongo import LOCK_LEASE_S, MongoStore

        lease = config["NEWSCRAWL_LOCK_LEASE_S"]
        return MongoStore(
            config["MONGO_URI"],
            config["MONGO_DATABASE"],
            lock_lease_s=float(lease) if lease else LOCK_LEASE_S,
        )
    return SQLiteStore(config["NEWSCRAWL_SQLITE_PATH"])
