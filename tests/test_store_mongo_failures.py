"""MongoStore when MongoDB is down or misbehaves: one-line errors, no password, no raw pymongo."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import pymongo
import pytest
from pymongo.errors import BulkWriteError, PyMongoError

from newscrawl.store import MongoStore, StoreError, StoreLost, StoreUnavailable, mask_uri
from newscrawl.store.base import RunRecord
from tests.helpers import archived_doc, make_doc
from tests.stores import T1, T2, mongomock_backend

TIMEOUT_MS = 300
DEAD_CLIENT_TIMEOUT_MS = 100  # many calls go through the dead client: keep each short


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def dead_client(closed_port: int) -> Iterator[pymongo.MongoClient]:
    """A real pymongo client to the closed port (fails at its first operation)."""
    client = pymongo.MongoClient(
        f"mongodb://127.0.0.1:{closed_port}/", serverSelectionTimeoutMS=DEAD_CLIENT_TIMEOUT_MS
    )
    yield client
    client.close()


@pytest.fixture
def mock_store(monkeypatch) -> Iterator[MongoStore]:
    """A MongoStore opened on mongomock."""
    store = mongomock_backend(monkeypatch).make()
    store.open()
    yield store
    store.close()


@pytest.mark.parametrize("credentials", ["", "user:secret@", "user:s%40cr%3Aet@"])
def test_open_on_a_closed_port_is_unavailable_fast_and_says_where(closed_port, credentials):
    store = MongoStore(
        f"mongodb://{credentials}127.0.0.1:{closed_port}/?authSource=admin",
        server_selection_timeout_ms=TIMEOUT_MS,
    )
    started = time.monotonic()

    with pytest.raises(StoreUnavailable) as raised:
        store.open()

    assert time.monotonic() - started < 5
    message = str(raised.value)
    assert message.startswith(f"MongoDB at 127.0.0.1:{closed_port} is unreachable: ")
    assert "\n" not in message
    assert "Topology" not in message
    assert len(message) < 300
    for secret in ("secret", "s%40cr", "s@cr"):
        assert secret not in message
        assert secret not in store.description
    assert store.description == f"MongoDB 127.0.0.1:{closed_port}/newscrawl"
    assert raised.value.__cause__ is None  # no pymongo traceback chained into the log


@pytest.mark.parametrize(
    "uri",
    [
        "mongodb://user:secret@127.0.0.1:notaport/",
        "mongodb://user:secret@/",
        "mongodb://user:secret@127.0.0.1:27017/?authMechanism=MONGODB-X509&authSource=x",
    ],
)
def test_invalid_uri_is_unavailable_without_the_password(uri):
    store = MongoStore(uri, server_selection_timeout_ms=TIMEOUT_MS)

    with pytest.raises(StoreUnavailable) as raised:
        store.open()

    message = str(raised.value)
    assert message.startswith("MongoDB at ")
    assert "secret" not in message
    assert "secret" not in store.description
    assert "\n" not in message


@pytest.mark.parametrize(
    ("uri", "description"),
    [
        ("mongodb://localhost", "MongoDB localhost:27017/newscrawl"),
        ("mongodb://u:p4ss@db1:27017,db2:27018/other", "MongoDB db1:27017,db2:27018/newscrawl"),
        ("mongodb://u:p4ss@[::1]:27017/", "MongoDB [::1]:27017/newscrawl"),
        ("mongodb+srv://u:p4ss@cluster0.example.net/", "MongoDB cluster0.example.net/newscrawl"),
        ("mongodb://u:p4/ss@db1/", "MongoDB db1/newscrawl"),
        ("mongodb://u:p4ss@/", "MongoDB (no host)/newscrawl"),
        ("mongodb://u:p4ss@db1:notaport/", "MongoDB db1:notaport/newscrawl"),
    ],
)
def test_description_names_hosts_never_the_password(uri, description):
    assert MongoStore(uri).description == description


@pytest.mark.parametrize(
    ("uri", "masked"),
    [
        ("mongodb://localhost:27017/", "mongodb://localhost:27017/"),
        ("mongodb://user:secret@db:27017/news", "mongodb://user:***@db:27017/news"),
        ("mongodb://user@db/", "mongodb://user@db/"),
        ("mongodb://user:@db/", "mongodb://user:***@db/"),
        ("mongodb://u:p%40ss@h1,h2/?replicaSet=rs", "mongodb://u:***@h1,h2/?replicaSet=rs"),
        ("mongodb://u:pa/ss@db/", "mongodb://u:***@db/"),
        ("mongodb://u:pa@ss@db/", "mongodb://u:***@db/"),
        (
            "mongodb+srv://u:secret@cluster0.example.net/",
            "mongodb+srv://u:***@cluster0.example.net/",
        ),
        (
            "mongodb://db/?tls=true&tlsCertificateKeyFilePassword=secret&w=1",
            "mongodb://db/?tls=true&tlsCertificateKeyFilePassword=***&w=1",
        ),
        (
            "mongodb://k:s@db/?authMechanism=MONGODB-AWS"
            "&authMechanismProperties=AWS_SESSION_TOKEN:tok123",
            "mongodb://k:***@db/?authMechanism=MONGODB-AWS"
            "&authMechanismProperties=AWS_SESSION_TOKEN:***",
        ),
        ("not a uri", "not a uri"),
    ],
)
def test_mask_uri(uri, masked):
    assert mask_uri(uri) == masked


def test_write_after_the_server_went_away_raises_store_lost(mock_store, dead_client, monkeypatch):
    mock_store.write_articles([make_doc(1)], run_id="run-1", now=T1)
    # The same store, its collections now on a server that stopped answering.
    db = dead_client["newscrawl_test"]
    monkeypatch.setattr(mock_store, "_articles", db["articles"])
    monkeypatch.setattr(mock_store, "_versions", db["article_versions"])
    monkeypatch.setattr(mock_store, "_runs", db["crawl_runs"])
    started = time.monotonic()

    # A real pymongo ServerSelectionTimeoutError underneath: the store is lost, not just failing.
    with pytest.raises(StoreLost) as raised:
        mock_store.write_articles([make_doc(1), make_doc(2)], run_id="run-2", now=T2)

    assert time.monotonic() - started < 5
    assert not isinstance(raised.value, PyMongoError)
    message = str(raised.value)
    assert message.startswith("MongoDB at mongomock.test:27017: writing articles failed: ")
    assert "\n" not in message
    assert "Topology" not in message


def test_every_call_on_a_failing_client_raises_store_error(mock_store, dead_client, monkeypatch):
    db = dead_client["newscrawl_test"]
    dead_client.close()  # a closed client fails at once, with InvalidOperation
    monkeypatch.setattr(mock_store, "_articles", db["articles"])
    monkeypatch.setattr(mock_store, "_versions", db["article_versions"])
    monkeypatch.setattr(mock_store, "_runs", db["crawl_runs"])
    monkeypatch.setattr(mock_store, "_days", db["crawl_days"])
    record = {"channel": "news", "day": date(2024, 3, 1), "complete": True, "walked_at": T1}

    for call in (
        lambda: mock_store.write_articles([make_doc(1)], run_id="run-1", now=T1),
        lambda: mock_store.get_article("1"),
        lambda: list(mock_store.iter_articles()),
        lambda: mock_store.versions("1"),
        mock_store.runs,
        mock_store.count_articles,
        lambda: mock_store.start_run(RunRecord(run_id="r", spider="liputan6")),
        lambda: mock_store.finish_run(RunRecord(run_id="r", spider="liputan6")),
        lambda: mock_store.existing_ids(["1"]),
        lambda: mock_store.put_days([record]),
        lambda: mock_store.get_days(["news"], [record["day"]]),
        lambda: mock_store.iter_days(record["day"], record["day"]),
    ):
        with pytest.raises(StoreError) as raised:
            call()
        assert not isinstance(raised.value, PyMongoError)
        assert "\n" not in str(raised.value)


def test_write_on_a_closed_store_raises_store_error(mock_store):
    mock_store.close()

    with pytest.raises(StoreError, match="is not open"):
        mock_store.write_articles([make_doc(1)], run_id="run-1", now=T1)


def test_a_real_bulk_write_error_is_a_store_error(mock_store):
    mock_store.write_articles([make_doc(1)], run_id="run-1", now=T1)
    # Same article_id under another _id: the unique article_id index refuses it, every time.
    clash = {**make_doc(1), "_id": "elsewhere:5500001"}

    with pytest.raises(
        StoreError, match=r"writing articles failed: 1 write error\(s\), the first: E11000"
    ):
        mock_store.write_articles([clash], run_id="run-2", now=T2)
    assert mock_store.count_articles() == 1


def test_an_already_stored_version_is_a_harmless_duplicate(mock_store, monkeypatch):
    mock_store.write_articles([make_doc(1)], run_id="run-1", now=T1)
    stored = mock_store.get_article("5500001")
    # A crawl that failed after saving the old version but before replacing the article.
    mock_store._versions.insert_one(
        {**stored, "_id": f"{stored['_id']}:v1", "doc_id": stored["_id"], "replaced_at": T1}
    )

    result = mock_store.write_articles([make_doc(1, title="Baru")], run_id="run-2", now=T2)

    assert (result.updated, mock_store.get_article("5500001")["version"]) == (1, 2)
    assert len(mock_store.versions("5500001")) == 1


class RacingCollection:
    """The articles collection, where another crawl inserts the batch's articles first."""

    def __init__(self, collection: Any, winner_docs: list[dict[str, Any]]) -> None:
        self._collection = collection
        self._winner_docs = winner_docs
        self.bulk_calls = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._collection, name)

    def bulk_write(self, ops: list[Any], **kwargs: Any) -> Any:
        """First call: the other crawl's inserts land and ours fail with E11000, as on a server."""
        self.bulk_calls += 1
        if self.bulk_calls > 1:
            return self._collection.bulk_write(ops, **kwargs)
        self._collection.insert_many(self._winner_docs)
        raise BulkWriteError(
            {
                "writeErrors": [
                    {"index": i, "code": 11000, "errmsg": "E11000 duplicate key error"}
                    for i in range(len(self._winner_docs))
                ],
                "writeConcernErrors": [],
                "nInserted": 0,
                "nUpserted": 0,
                "nMatched": 0,
                "nModified": 0,
                "nRemoved": 0,
                "upserted": [],
            }
        )


def test_an_insert_that_loses_a_race_is_written_again(mock_store, monkeypatch):
    other = mongomock_backend(monkeypatch).make()  # only to build the winner's documents
    other.open()
    other.write_articles([make_doc(1), make_doc(2, title="Versi lain")], run_id="other", now=T1)
    winners = [other.get_article("5500001"), other.get_article("5500002")]
    racing = RacingCollection(mock_store._articles, winners)
    monkeypatch.setattr(mock_store, "_articles", racing)

    result = mock_store.write_articles([make_doc(1), make_doc(2)], run_id="ours", now=T2)

    assert racing.bulk_calls == 2
    assert (result.new, result.updated, result.unchanged) == (0, 1, 1)
    assert mock_store.count_articles() == 2
    assert mock_store.get_article("5500002")["version"] == 2
    assert mock_store.get_article("5500001")["run_id"] == "other"


class InterleavedCollection:
    """The articles collection, where another writer's whole batch lands between this store's
    read and its write (after its history insert): the race two processes can run into."""

    def __init__(self, collection: Any, other_write) -> None:
        self._collection = collection
        self._other_write = other_write
        self.bulk_calls = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._collection, name)

    def bulk_write(self, ops: list[Any], **kwargs: Any) -> Any:
        self.bulk_calls += 1
        if self.bulk_calls == 1:
            self._other_write()
        return self._collection.bulk_write(ops, **kwargs)


def _whole_history(store: MongoStore, article_id: str) -> list[tuple[int, str]]:
    """(version, title) of every version, the current one last."""
    current = store.get_article(article_id)
    past = [(v["version"], v["title"]) for v in store.versions(article_id)]
    return [*past, (current["version"], current["title"])]


@pytest.mark.parametrize(
    "ours_first", [True, False], ids=["import-then-crawl", "crawl-then-import"]
)
def test_an_earlier_copy_and_an_edit_written_at_once_lose_no_version(monkeypatch, ours_first):
    # Stored: "Asli" captured in 2023. One process imports an older copy with other text (an
    # earlier version), another crawls the article edited now; each writes between the
    # other's read and write. Every version must be kept, each under its own number.
    from datetime import UTC, datetime

    backend = mongomock_backend(monkeypatch)
    ours, theirs = backend.make(), backend.make()
    ours.open()
    theirs.open()
    ours.write_articles(
        [archived_doc(1, datetime(2023, 5, 1, tzinfo=UTC), title="Asli")], run_id="seed", now=T1
    )
    older = archived_doc(1, datetime(2022, 5, 1, tzinfo=UTC), title="Lama")
    edited = make_doc(1, title="Diubah")
    mine, other = (older, edited) if ours_first else (edited, older)
    racing = InterleavedCollection(
        ours._articles, lambda: theirs.write_articles([other], run_id="theirs", now=T2)
    )
    monkeypatch.setattr(ours, "_articles", racing)

    ours.write_articles([mine], run_id="ours", now=T2)

    monkeypatch.undo()
    whole = _whole_history(ours, "5500001")
    versions = [v for v, _ in whole]
    assert len(set(versions)) == len(versions), whole
    assert sorted(title for _, title in whole) == ["Asli", "Diubah", "Lama"], whole
    assert whole[-1] == (max(versions), "Diubah")
    ours.close()
    theirs.close()


def test_a_new_article_another_writer_inserts_first_is_placed_against_it(monkeypatch):
    # Our read finds no article 1; the other writer's insert lands before ours, so our upsert
    # meets its document. Ours, fetched later with other text, must still become current.
    backend = mongomock_backend(monkeypatch)
    ours, theirs = backend.make(), backend.make()
    ours.open()
    theirs.open()
    racing = InterleavedCollection(
        ours._articles, lambda: theirs.write_articles([make_doc(1)], run_id="theirs", now=T1)
    )
    monkeypatch.setattr(ours, "_articles", racing)

    result = ours.write_articles([make_doc(1, title="Baru")], run_id="ours", now=T2)

    monkeypatch.undo()
    assert (result.new, result.updated, result.unchanged) == (0, 1, 0)
    assert _whole_history(ours, "5500001") == [(1, "Berita nomor 1"), (2, "Baru")]
    ours.close()
    theirs.close()
