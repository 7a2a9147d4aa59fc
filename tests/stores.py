"""Store test helpers: one `store` fixture over SQLite, mongomock and (optionally) MongoDB.

The SQLite and real-server stores are opened by URI (newscrawl.store.open_store), as a crawl
opens them; mongomock's needs a client factory, so it is built directly.

Import the fixtures into a test module (`from tests.stores import backend_fixture,
store_fixture`); every test that takes `store` (or `backend`) then runs once per backend.
The real-server run ("mongodb") crosses a socket: to NEWSCRAWL_TEST_MONGO_URI when it is set
(say mongodb://localhost:27017), else to a mongoeco server on 127.0.0.1 (tests/wire.py).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import mongomock
import pymongo
import pytest
from mongomock.collection import BulkOperationBuilder

from newscrawl.store import open_store
from newscrawl.store.base import Store
from newscrawl.store.mongo import MongoStore
from newscrawl.store.sqlite import SQLiteStore
from newscrawl.store.uri import mongo_database

BACKENDS = ["sqlite", "mongomock", "mongodb"]

T1 = datetime(2024, 3, 10, 8, 0, 0, tzinfo=UTC)
T2 = datetime(2024, 3, 11, 8, 0, 0, tzinfo=UTC)
T3 = datetime(2024, 3, 12, 8, 0, 0, tzinfo=UTC)


def mongomock_compat(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let mongomock 4.3 run what pymongo 4.11+ and MongoStore send it.

    1. pymongo 4.11 added `sort` to UpdateOne/ReplaceOne and passes sort=None from
       bulk_write to BulkOperationBuilder.add_update/add_replace, which mongomock does not
       accept: drop the keyword when it is None (MongoStore never sorts a single-document write).
    2. mongomock's create_index forgets default_language and language_override; remember
       them and show them in index_information, as MongoDB does, so the index test can
       check what MongoStore asked for.
    3. mongomock's upsert checks for the _id and inserts in two steps without a lock, so two
       threads can both "insert" one document (and both report it upserted). A server makes
       each upsert atomic; a lock around each bulk write does the same here.
    """

    def without_none_sort(method: Callable[..., Any]) -> Callable[..., Any]:
        def call(self: Any, *args: Any, sort: Any = None, **kwargs: Any) -> Any:
            if sort is not None:
                raise NotImplementedError("mongomock cannot sort a bulk update")
            return method(self, *args, **kwargs)

        return call

    monkeypatch.setattr(
        BulkOperationBuilder, "add_update", without_none_sort(BulkOperationBuilder.add_update)
    )
    monkeypatch.setattr(
        BulkOperationBuilder, "add_replace", without_none_sort(BulkOperationBuilder.add_replace)
    )

    bulk_lock = threading.Lock()
    execute = BulkOperationBuilder.execute

    def execute_atomically(self: Any, *args: Any, **kwargs: Any) -> Any:
        with bulk_lock:
            return execute(self, *args, **kwargs)

    monkeypatch.setattr(BulkOperationBuilder, "execute", execute_atomically)

    text_options: dict[tuple[str, str], dict[str, Any]] = {}
    create_index = mongomock.Collection.create_index
    index_information = mongomock.Collection.index_information

    def create_index_keeping_options(self: Any, keys: Any, *args: Any, **kwargs: Any) -> str:
        options = {
            k: kwargs.pop(k) for k in ("default_language", "language_override") if k in kwargs
        }
        name = create_index(self, keys, *args, **kwargs)
        if options:
            text_options[(self.full_name, name)] = options
        return name

    def index_information_with_options(self: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        info = index_information(self, *args, **kwargs)
        for (full_name, name), options in text_options.items():
            if full_name == self.full_name and name in info:
                info[name].update(options)
        return info

    monkeypatch.setattr(mongomock.Collection, "create_index", create_index_keeping_options)
    monkeypatch.setattr(mongomock.Collection, "index_information", index_information_with_options)


class SharedMongomock:
    """A client factory whose clients all reach one mongomock server, as real clients would."""

    def __init__(self) -> None:
        self.client: mongomock.MongoClient | None = None

    def __call__(self, uri: str, **kwargs: Any) -> mongomock.MongoClient:
        if self.client is None:
            self.client = mongomock.MongoClient(uri, **kwargs)
        return self.client


@dataclass
class Backend:
    """One kind of store and the data behind it."""

    name: str
    make: Callable[[], Store]
    """A new, unopened store object on this backend's data."""
    database: Callable[[], Any] | None = None
    """The Mongo database object, to look at indexes (None for SQLite)."""
    path: Path | None = None
    """The SQLite file (None for Mongo)."""


def sqlite_backend(tmp_path: Path) -> Backend:
    """An SQLite file in tmp_path, opened by its URI as a crawl opens it."""
    path = tmp_path / "archive.sqlite3"

    def make() -> Store:
        store = open_store({}, f"sqlite:///{path}")  # an absolute path: four slashes
        assert isinstance(store, SQLiteStore) and store.path == path
        return store

    return Backend("sqlite", make, path=path)


def mongomock_backend(monkeypatch: pytest.MonkeyPatch) -> Backend:
    """MongoStores on one in-memory mongomock server."""
    mongomock_compat(monkeypatch)
    factory = SharedMongomock()
    uri = "mongodb://mongomock.test:27017"

    def make() -> Store:
        return MongoStore(uri, "newscrawl_test", client_factory=factory)

    return Backend("mongomock", make, database=lambda: factory.client["newscrawl_test"])


def mongo_by_uri(uri: str, database: str) -> Store:
    """The MongoStore a crawl opens for NEWSCRAWL_STORE_URI=uri and MONGO_DATABASE=database
    (the server's URI names no database of its own: the tests make one each)."""
    if mongo_database(uri):  # a real server's URI naming a database: the test's own wins
        return MongoStore.from_uri(uri, {}, database=database)
    store = open_store({"NEWSCRAWL_STORE_URI": uri, "MONGO_DATABASE": database})
    assert isinstance(store, MongoStore) and store.database == database
    return store


@pytest.fixture(params=BACKENDS, name="backend")
def backend_fixture(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """Each kind of store in turn; "mongodb" over the wire (tests/wire.py), or skipped."""
    if request.param == "sqlite":
        yield sqlite_backend(tmp_path)
    elif request.param == "mongomock":
        yield mongomock_backend(request.getfixturevalue("monkeypatch"))
    else:
        uri = request.getfixturevalue("mongo_uri")
        name = f"newscrawl_test_{uuid.uuid4().hex[:12]}"
        admin = pymongo.MongoClient(uri, tz_aware=True, serverSelectionTimeoutMS=5000)
        try:
            yield Backend("mongodb", lambda: mongo_by_uri(uri, name), database=lambda: admin[name])
        finally:
            admin.drop_database(name)
            admin.close()


@pytest.fixture(name="store")
def store_fixture(backend: Backend) -> Iterator[Store]:
    """An opened store of each kind; closed after the test."""
    opened = backend.make()
    opened.open()
    try:
        yield opened
    finally:
        opened.close()
