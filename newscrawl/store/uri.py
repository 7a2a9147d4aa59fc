"""Which store a URI names, as Scrapy's FEED_STORAGES does: one dict of schemes, one reader.

    sqlite:///relative/path.db      an SQLite file, relative to the working directory
    sqlite:////absolute/path.db     an SQLite file at an absolute path
    mongodb://user@host:27017/db    MongoDB; the path names the database (else MONGO_DATABASE)
    mongodb+srv://user@cluster/db   MongoDB found by its DNS SRV record

Pure text work (no pymongo, no I/O): newscrawl.settingscheck checks a URI with it before a
crawl starts, and newscrawl.store.open_store chooses the store class with it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

# Scheme -> the store class that opens it (a class path, imported on first use: pymongo costs
# ~150 ms at start-up). A class here has from_uri(uri, settings).
STORE_SCHEMES: dict[str, str] = {
    "sqlite": "newscrawl.store.sqlite.SQLiteStore",
    "mongodb": "newscrawl.store.mongo.MongoStore",
    "mongodb+srv": "newscrawl.store.mongo.MongoStore",
}
DEFAULT_SQLITE_PATH = "newscrawl.sqlite3"
DEFAULT_MONGO_DATABASE = "newscrawl"
# What MongoDB refuses in a database name (and 64 bytes or more).
MONGO_DATABASE_FORBIDDEN = frozenset(' /\\."$\0')

_PASSWORD_OPTION = re.compile(r"(?i)([?&][^=&]*(?:password|token)[^=&]*=)[^&]*")
_SESSION_TOKEN = re.compile(r"(AWS_SESSION_TOKEN:)[^,&]*")


class StoreURIError(ValueError):
    """A store URI newscrawl cannot use; the message is one line, its password masked."""


def mask_uri(uri: str) -> str:
    """The URI with its password (and any password or token option) replaced by ***."""
    scheme, sep, rest = uri.partition("://")
    if not sep:
        return uri
    head, question, query = rest.partition("?")
    userinfo, at, hosts = head.rpartition("@")
    if at:
        user, colon, _password = userinfo.partition(":")
        userinfo = f"{user}:***" if colon else user
        head = f"{userinfo}@{hosts}"
    query = _SESSION_TOKEN.sub(r"\1***", _PASSWORD_OPTION.sub(r"\1***", question + query))
    return f"{scheme}://{head}{query}"


def uri_scheme(uri: str) -> str:
    """The URI's scheme, lower case; StoreURIError when the text is no URI or the scheme is
    not one of STORE_SCHEMES."""
    scheme, sep, _rest = uri.partition("://")
    if not sep or not scheme:
        raise StoreURIError("not a URI (no scheme://)")
    scheme = scheme.lower()
    if scheme not in STORE_SCHEMES:
        known = ", ".join(sorted(STORE_SCHEMES))
        raise StoreURIError(f"unknown scheme {scheme!r}; known: {known}")
    return scheme


def sqlite_path(uri: str) -> str:
    """The file of an sqlite:/// URI, as written (relative to the working directory unless it
    starts with /); StoreURIError for a host, an empty path or options."""
    rest = uri.partition("://")[2]
    if not rest.startswith("/"):
        raise StoreURIError(
            "an sqlite URI names no host: sqlite:///relative/path.db or sqlite:////absolute/path.db"
        )
    path = rest[1:]
    if not path or path.endswith("/"):
        raise StoreURIError("an sqlite URI needs a file name, such as sqlite:///newscrawl.sqlite3")
    if "?" in path or "#" in path:
        raise StoreURIError("an sqlite URI takes no options (? or #)")
    return path


def mongo_database(uri: str) -> str | None:
    """The database a mongodb:// URI's path names (None: no path); StoreURIError when the URI
    has no host or the name is one MongoDB refuses."""
    rest = uri.partition("://")[2].partition("?")[0]
    # The last "@" before the options ends the user's part: a password may hold "/" or "@".
    _userinfo, _at, hosts_path = rest.rpartition("@")
    hosts, _slash, path = hosts_path.partition("/")
    if not hosts:
        raise StoreURIError("a MongoDB URI needs a host, such as mongodb://localhost:27017/")
    database = unquote(path)
    if not database:
        return None
    if set(database) & MONGO_DATABASE_FORBIDDEN or len(database.encode()) >= 64:
        raise StoreURIError(f'{database!r} is no MongoDB database name (no spaces, no /\\."$)')
    return database


def check_uri(uri: str) -> str:
    """The URI's scheme, after every check its store makes of it (StoreURIError says what is
    wrong)."""
    scheme = uri_scheme(uri)
    if scheme == "sqlite":
        sqlite_path(uri)
    else:
        mongo_database(uri)
    return scheme


def configured_uri(settings: Mapping[str, Any] | Any) -> tuple[str, str] | None:
    """(setting, URI) of the store the settings name by URI: NEWSCRAWL_STORE_URI, else the
    older MONGO_URI; None when neither is set (SQLite at NEWSCRAWL_SQLITE_PATH). Both set to
    different URIs is a StoreURIError: which one is meant cannot be guessed."""
    uri, mongo = settings.get("NEWSCRAWL_STORE_URI"), settings.get("MONGO_URI")
    if uri and mongo and uri != mongo:
        raise StoreURIError(
            f"NEWSCRAWL_STORE_URI={mask_uri(uri)!r} and MONGO_URI={mask_uri(mongo)!r} differ; "
            "set only NEWSCRAWL_STORE_URI (MONGO_URI is its older name)"
        )
    if uri:
        return "NEWSCRAWL_STORE_URI", uri
    if mongo:
        return "MONGO_URI", mongo
    return None
