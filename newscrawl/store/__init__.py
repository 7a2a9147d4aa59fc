"""Where articles are kept: the store the URI's scheme names (newscrawl.store.uri).

NEWSCRAWL_STORE_URI names it (sqlite:///path.db, mongodb://host/database); the older
settings keep working: MONGO_URI for MongoDB, else an SQLite file at NEWSCRAWL_SQLITE_PATH.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from importlib import import_module
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
from newscrawl.store.uri import (
    DEFAULT_MONGO_DATABASE,
    DEFAULT_SQLITE_PATH,
    STORE_SCHEMES,
    StoreURIError,
    check_uri,
    configured_uri,
    mask_uri,
)

__all__ = [
    "STORE_SCHEMES",
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
    "StoreURIError",
    "StoreUnavailable",
    "WriteResult",
    "mask_uri",
    "open_store",
]


def __getattr__(name: str) -> Any:
    """MongoStore, imported on first use: pymongo costs ~150 ms at start-up."""
    if name == "MongoStore":
        from newscrawl.store import mongo

        return mongo.MongoStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def store_class(uri: str) -> type:
    """The store class of the URI's scheme (STORE_SCHEMES); StoreURIError when it has none."""
    module, _dot, name = STORE_SCHEMES[check_uri(uri)].rpartition(".")
    return getattr(import_module(module), name)


def open_store(settings: Mapping[str, Any] | Any, uri: str | None = None) -> Store:
    """The configured store, not yet opened (the caller calls open()).

    ``uri`` (a command line's) wins; else NEWSCRAWL_STORE_URI, else MONGO_URI (MongoDB, the
    database MONGO_DATABASE), else the SQLite file NEWSCRAWL_SQLITE_PATH. Settings are Scrapy
    settings or a plain dict (newscrawl/settings.py fills them from the environment).
    StoreURIError names the setting when its URI cannot be used.
    """
    chosen = ("the store URI", uri) if uri else configured_uri(settings)
    if chosen is None:
        path = settings.get("NEWSCRAWL_SQLITE_PATH") or DEFAULT_SQLITE_PATH
        return SQLiteStore(os.path.abspath(path))
    where, uri = chosen
    try:
        if where == "MONGO_URI":
            # The older setting: its path was only ever the auth database.
            from newscrawl.store.mongo import MongoStore

            return MongoStore.from_uri(
                uri, settings, database=settings.get("MONGO_DATABASE") or DEFAULT_MONGO_DATABASE
            )
        return store_class(uri).from_uri(uri, settings)
    except StoreURIError as exc:
        raise StoreURIError(f"{where}={mask_uri(uri)!r}: {exc}") from None
