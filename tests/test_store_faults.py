"""A store that goes away mid-run (StoreLost) and a batch holding an article the store refuses
(ArticleRejected): what each store raises, and what it leaves written."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import date
from typing import Any

import pytest
from bson.errors import InvalidDocument
from pymongo.errors import (
    AutoReconnect,
    BulkWriteError,
    ConnectionFailure,
    DocumentTooLarge,
    DuplicateKeyError,
    InvalidOperation,
    NetworkTimeout,
    NotPrimaryError,
    OperationFailure,
    ServerSelectionTimeoutError,
)

from newscrawl.store import ArticleRejected, SQLiteStore, StoreError, StoreLost
from newscrawl.store.base import RunRecord
from newscrawl.store.mongo import MongoStore, mongo_failure
from newscrawl.store.sqlite import sqlite_failure
from tests.helpers import make_doc
from tests.stores import T1, T2, SharedMongomock, mongomock_compat

DAY = {"channel": "news", "day": date(2024, 3, 1), "complete": True, "walked_at": T1}


@pytest.fixture
def path(tmp_path):
    """Where the SQLite store's file is, in its own folder."""
    return tmp_path / "data" / "archive.sqlite3"


@pytest.fixture
def lite(path):
    """An opened SQLiteStore."""
    store = SQLiteStore(path)
    store.open()
    yield store
    store.close()


# Every write of the SQLite store, each on its own data.
WRITES = {
    "write_articles": lambda s: s.write_articles([make_doc(7)], run_id="run-2", now=T2),
    "put_days": lambda s: s.put_days([DAY]),
    "start_run": lambda s: s.start_run(RunRecord(run_id="run-2", spider="liputan6")),
    "finish_run": lambda s: s.finish_run(RunRecord(run_id="run-2", spider="liputan6")),
    "mark_runs_killed": lambda s: s.mark_runs_killed(["run-1"]),
}


def rows_in(path) -> int:
    """How many articles the file at path holds, read by a fresh connection."""
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_a_deleted_sqlite_file_is_lost_not_written_silently(lite, path, write):
    lite.write_articles([make_doc(1)], run_id="run-1", now=T1)
    os.remove(path)

    with pytest.raises(StoreLost) as raised:
        write(lite)

    assert str(raised.value).startswith(f"SQLite file {path} was deleted (noticed when ")
    assert "\n" not in str(raised.value)


def test_a_deleted_folder_is_lost(lite, path):
    shutil.rmtree(path.parent)

    with pytest.raises(StoreLost, match=r"^SQLite file .* was deleted with its folder \("):
        lite.write_articles([make_doc(1)], run_id="run-1", now=T1)


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_a_replaced_sqlite_file_is_lost_and_the_new_file_untouched(lite, path, write):
    other = SQLiteStore(path.with_name("other.sqlite3"))
    other.open()
    other.close()
    os.replace(other.path, path)

    with pytest.raises(StoreLost, match=r"was replaced by another file \(noticed when "):
        write(lite)

    assert rows_in(path) == 0


def test_a_file_deleted_during_the_write_fails_the_committed_batch(lite, path, monkeypatch):
    # The check before the write passes; the file goes while the transaction runs. The
    # commit lands in the deleted file, so the batch is reported lost (to be dead-lettered).
    import newscrawl.store.sqlite as sqlite_module

    read_existing = sqlite_module._read_existing

    def delete_then_read(conn, ids):
        os.remove(path)
        return read_existing(conn, ids)

    monkeypatch.setattr(sqlite_module, "_read_existing", delete_then_read)

    with pytest.raises(StoreLost, match=r"was deleted \(noticed when writing articles\)"):
        lite.write_articles([make_doc(1)], run_id="run-1", now=T1)


def test_a_read_only_file_is_lost(lite):
    lite._conn.execute("PRAGMA query_only = ON")  # as a file remounted read-only answers

    with pytest.raises(StoreLost, match="attempt to write a readonly database"):
        lite.write_articles([make_doc(1)], run_id="run-1", now=T1)


def test_a_full_disk_is_lost(lite):
    lite.write_articles([make_doc(1)], run_id="run-1", now=T1)
    (pages,) = lite._conn.execute("PRAGMA page_count").fetchone()
    lite._conn.execute(f"PRAGMA max_page_count = {pages}")  # no room for one page more

    with pytest.raises(StoreLost, match="database or disk is full"):
        lite.write_articles(
            [make_doc(n, body="x" * 50_000) for n in range(2, 12)], run_id="r", now=T2
        )
    assert lite.count_articles() == 1


def test_an_11_mb_article_in_a_batch_of_100_is_written(lite):
    docs = [make_doc(n) for n in range(100)]
    body = 'Jakarta - "Banjir" melanda.\n\n' * 380_000  # 11 MB of quotes and newlines
    docs[50] = make_doc(50, body=body)

    result = lite.write_articles(docs, run_id="run-1", now=T1)

    assert result.new == 100
    assert lite.get_article(docs[50]["article_id"])["body"] == body


def test_a_batch_longer_than_the_length_limit_is_written_when_each_article_fits(lite):
    # SQLite refuses any one value longer than SQLITE_LIMIT_LENGTH (1e9 bytes by default, less
    # in some builds). The batch's rows travelled as one JSON value and failed as a whole
    # with "string or blob too big"; here the limit is lowered to show it at a small size.
    lite._conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 1_000_000)
    docs = [make_doc(n) for n in range(100)]
    for n in (10, 20, 30):  # 600 kB each: 1.8 MB together
        docs[n] = make_doc(n, body="x" * 600_000)
    # Fits as a value (400 kB of quotes, 800 kB as JSON) but not inside the rows' JSON,
    # where the document's JSON is escaped again (1.6 MB).
    docs[40] = make_doc(40, body='"' * 400_000)

    result = lite.write_articles(docs, run_id="run-1", now=T1)

    assert result.new == 100
    assert lite.get_article(docs[40]["article_id"])["body"] == '"' * 400_000
    assert lite._conn.execute(
        "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'banjir'"
    ).fetchone() == (96,)


def test_an_article_longer_than_the_length_limit_is_rejected_and_nothing_written(lite):
    lite._conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 1_000_000)
    docs = [make_doc(n) for n in range(10)]
    docs[5] = make_doc(5, body="x" * 1_200_000)

    with pytest.raises(ArticleRejected) as raised:
        lite.write_articles(docs, run_id="run-1", now=T1)

    assert str(raised.value) == (
        f"SQLite file {lite.path}: writing articles failed: string or blob too big"
    )
    assert lite.count_articles() == 0
    # The rest of the batch, without it, goes in.
    assert lite.write_articles(docs[:5] + docs[6:], run_id="run-1", now=T1).new == 9


def test_a_too_big_run_record_is_a_store_error_not_a_rejected_article(lite):
    lite._conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 1_000)

    with pytest.raises(StoreError) as raised:
        lite.start_run(RunRecord(run_id="r", spider="liputan6", args={"x": "y" * 2_000}))

    assert type(raised.value) is StoreError


def sqlite_error(kind: type[sqlite3.Error], message: str, code: int | None) -> sqlite3.Error:
    """An sqlite3 error as the module raises it: message, and the result code when known."""
    exc = kind(message)
    if code is not None:
        exc.sqlite_errorcode = code
    return exc


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (sqlite_error(sqlite3.OperationalError, "database or disk is full", 13), StoreLost),
        (sqlite_error(sqlite3.OperationalError, "database or disk is full", None), StoreLost),
        (sqlite_error(sqlite3.OperationalError, "disk I/O error", 10), StoreLost),
        (sqlite_error(sqlite3.OperationalError, "disk I/O error", 778), StoreLost),  # IOERR_WRITE
        (sqlite_error(sqlite3.OperationalError, "disk I/O error", None), StoreLost),
        (
            sqlite_error(sqlite3.OperationalError, "attempt to write a readonly database", 8),
            StoreLost,
        ),
        (
            # READONLY_DBMOVED: the file was moved or deleted under the connection.
            sqlite_error(sqlite3.OperationalError, "attempt to write a readonly database", 1032),
            StoreLost,
        ),
        (sqlite_error(sqlite3.OperationalError, "unable to open database file", 14), StoreLost),
        (sqlite_error(sqlite3.DatabaseError, "file is not a database", 26), StoreLost),
        (sqlite_error(sqlite3.DataError, "string or blob too big", 18), ArticleRejected),
        (sqlite_error(sqlite3.DataError, "string or blob too big", None), ArticleRejected),
        (sqlite_error(sqlite3.OperationalError, "string or blob too big", None), ArticleRejected),
        (sqlite_error(sqlite3.DataError, "anything else", None), ArticleRejected),
        (sqlite_error(sqlite3.OperationalError, "database is locked", 5), StoreError),
        (
            sqlite_error(sqlite3.IntegrityError, "UNIQUE constraint failed: articles.id", 1555),
            StoreError,
        ),
        (sqlite_error(sqlite3.OperationalError, "no such table: articles", 1), StoreError),
    ],
    ids=lambda value: str(value) if isinstance(value, Exception) else value.__name__,
)
def test_sqlite_failure_classifies_errors(exc, expected):
    assert sqlite_failure(exc) is expected


def bulk_error(*codes: int, concern: bool = False) -> BulkWriteError:
    """A BulkWriteError as pymongo raises it, with one write error per code."""
    return BulkWriteError(
        {
            "writeErrors": [
                {"index": i, "code": code, "errmsg": f"error {code}"}
                for i, code in enumerate(codes)
            ],
            "writeConcernErrors": [{"code": 64, "errmsg": "waiting for replication timed out"}]
            if concern
            else [],
            "nInserted": 0,
            "nUpserted": 0,
            "nMatched": 0,
            "nModified": 0,
            "nRemoved": 0,
            "upserted": [],
        }
    )


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (AutoReconnect("connection closed"), StoreLost),
        (ServerSelectionTimeoutError("db1:27017: [Errno 111] Connection refused"), StoreLost),
        (ConnectionFailure("connection refused"), StoreLost),
        (NetworkTimeout("db1:27017: timed out"), StoreLost),
        (NotPrimaryError("not primary", {"code": 10107, "errmsg": "not primary"}), StoreLost),
        (
            DocumentTooLarge(
                "BSON document too large (17825792 bytes) - the connected server "
                "supports BSON document sizes up to 16777216 bytes."
            ),
            ArticleRejected,
        ),
        (InvalidDocument("cannot encode object: {1}, of type: <class 'set'>"), ArticleRejected),
        (bulk_error(10334), ArticleRejected),
        (bulk_error(2, 52, 55, 56, 17419, 17420), ArticleRejected),
        (bulk_error(10334, 11000), StoreError),
        (bulk_error(11000), StoreError),
        (bulk_error(10334, concern=True), StoreError),
        (bulk_error(), StoreError),
        (OperationFailure("BSONObj size: 17825792 is invalid", code=10334), ArticleRejected),
        (OperationFailure("Unauthorized", code=13), StoreError),
        (DuplicateKeyError("E11000 duplicate key error", code=11000), StoreError),
        (InvalidOperation("Cannot use MongoClient after close"), StoreError),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else value.__name__,
)
def test_mongo_failure_classifies_errors(exc, expected):
    assert mongo_failure(exc) is expected


@pytest.fixture
def mongo(monkeypatch):
    """A MongoStore on mongomock whose URI carries a password."""
    mongomock_compat(monkeypatch)
    store = MongoStore(
        "mongodb://crawler:s3cret@mongomock.test:27017/", "faults", client_factory=SharedMongomock()
    )
    store.open()
    yield store
    store.close()


class FailingCollection:
    """A collection whose writes raise one given error; reads go through."""

    def __init__(self, collection: Any, error: Exception) -> None:
        self._collection = collection
        self._error = error

    def __getattr__(self, name: str) -> Any:
        if name in ("bulk_write", "insert_many", "replace_one", "update_one", "update_many"):
            return self._fail
        return getattr(self._collection, name)

    def _fail(self, *args: Any, **kwargs: Any) -> Any:
        raise self._error


def test_an_unencodable_article_is_rejected_by_mongodb(mongo):
    # bson refuses the value before anything is sent: an InvalidDocument, no PyMongoError.
    docs = [make_doc(1), {**make_doc(2), "body": {"unencodable": {1, 2}}}]

    with pytest.raises(ArticleRejected) as raised:
        mongo.write_articles(docs, run_id="run-1", now=T1)

    assert str(raised.value).startswith(
        "MongoDB at mongomock.test:27017: writing articles failed: Invalid document: "
        "cannot encode object: {1, 2}"
    )
    assert "\n" not in str(raised.value)


def test_a_document_too_large_for_mongodb_is_rejected(mongo, monkeypatch):
    # mongomock does not enforce the 16 MB BSON limit; pymongo raises this before sending.
    too_large = DocumentTooLarge(
        "BSON document too large (17825792 bytes) - the connected server supports BSON "
        "document sizes up to 16777216 bytes."
    )
    monkeypatch.setattr(mongo, "_articles", FailingCollection(mongo._articles, too_large))

    with pytest.raises(ArticleRejected, match=r"writing articles failed: BSON document too large"):
        mongo.write_articles([make_doc(1, body="x" * 17_000_000)], run_id="run-1", now=T1)


def test_an_unencodable_run_record_is_a_store_error_not_a_rejected_article(mongo):
    with pytest.raises(StoreError) as raised:
        mongo.start_run(RunRecord(run_id="r", spider="liputan6", args={"x": {1, 2}}))

    assert type(raised.value) is StoreError


@pytest.mark.parametrize(
    "error",
    [
        AutoReconnect("connection to mongomock.test:27017 closed: crawler:s3cret"),
        NotPrimaryError("not primary", {"code": 10107}),
        NetworkTimeout("mongomock.test:27017: timed out"),
    ],
    ids=lambda e: type(e).__name__,
)
@pytest.mark.parametrize(
    ("collection", "write"),
    [
        ("_articles", lambda s: s.write_articles([make_doc(1)], run_id="r", now=T1)),
        ("_days", lambda s: s.put_days([DAY])),
        ("_runs", lambda s: s.start_run(RunRecord(run_id="r", spider="liputan6"))),
        ("_runs", lambda s: s.finish_run(RunRecord(run_id="r", spider="liputan6"))),
        ("_runs", lambda s: s.mark_runs_killed(["r"])),
    ],
    ids=["write_articles", "put_days", "start_run", "finish_run", "mark_runs_killed"],
)
def test_a_mongodb_gone_mid_run_is_lost(mongo, monkeypatch, error, collection, write):
    monkeypatch.setattr(mongo, collection, FailingCollection(getattr(mongo, collection), error))

    with pytest.raises(StoreLost) as raised:
        write(mongo)

    message = str(raised.value)
    assert message.startswith("MongoDB at mongomock.test:27017: ")
    assert "s3cret" not in message
    assert "\n" not in message
