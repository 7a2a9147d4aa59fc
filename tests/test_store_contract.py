"""The behaviour every store must share: each test runs on SQLite, mongomock and MongoDB."""

from __future__ import annotations

import multiprocessing
import random
import sqlite3
import threading
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

import newscrawl.store
from newscrawl.store import (
    STORE_SCHEMES,
    SQLiteStore,
    StoreUnavailable,
    StoreURIError,
    open_store,
)
from newscrawl.store.base import (
    DATETIME_KEYS,
    ArticleStore,
    DayStore,
    LockStore,
    RunRecord,
    RunStore,
    Store,
    content_hash,
)
from newscrawl.store.mongo import MongoStore
from tests.helpers import BASE_TIME, make_doc
from tests.stores import (  # noqa: F401 (the fixtures `backend` and `store`)
    T1,
    T2,
    T3,
    Backend,
    backend_fixture,
    mongomock_backend,
    sqlite_backend,
    store_fixture,
)


def aid(n: int) -> str:
    """The Liputan6 article id of make_doc(n)."""
    return make_doc(n)["article_id"]


def assert_utc(doc: dict[str, Any]) -> None:
    """Every datetime key present holds an aware UTC datetime (or None)."""
    for key in DATETIME_KEYS & doc.keys():
        value = doc[key]
        if value is not None:
            assert isinstance(value, datetime), (key, value)
            assert value.utcoffset() == timedelta(0), (key, value)


def test_new_articles_are_inserted_whole(store):
    docs = [make_doc(n) for n in range(5)]

    result = store.write_articles(docs, run_id="run-1", now=T1)

    assert (result.new, result.updated, result.unchanged) == (5, 0, 0)
    assert store.count_articles() == 5
    stored = store.get_article(aid(3))
    assert stored == {
        **docs[3],
        "version": 1,
        "first_seen_at": T1,
        "last_seen_at": T1,
        "fetched_at": T1,
        "run_id": "run-1",
    }
    assert store.get_article("404") is None


def test_fetched_at_of_the_document_is_kept(store):
    fetched = T1 - timedelta(minutes=5)
    store.write_articles([{**make_doc(1), "fetched_at": fetched}], run_id="run-1", now=T1)

    assert store.get_article(aid(1))["fetched_at"] == fetched


def test_same_batch_again_only_moves_last_seen_at(store):
    docs = [make_doc(n) for n in range(4)]
    store.write_articles(docs, run_id="run-1", now=T1)
    before = {doc["_id"]: doc for doc in store.iter_articles()}

    result = store.write_articles(docs, run_id="run-2", now=T2)

    assert (result.new, result.updated, result.unchanged) == (0, 0, 4)
    after = {doc["_id"]: doc for doc in store.iter_articles()}
    assert after == {i: {**doc, "last_seen_at": T2} for i, doc in before.items()}
    for doc in after.values():
        assert (doc["version"], doc["run_id"], doc["fetched_at"]) == (1, "run-1", T1)
        assert store.versions(doc["article_id"]) == []


def test_edited_article_becomes_version_2_and_keeps_the_old_one(store):
    original = make_doc(7)
    store.write_articles([original, make_doc(8)], run_id="run-1", now=T1)
    edited = make_doc(7, body="Jakarta - Isi yang sudah diralat.")
    assert edited["content_hash"] != original["content_hash"]

    result = store.write_articles([edited, make_doc(8)], run_id="run-2", now=T2)

    assert (result.new, result.updated, result.unchanged) == (0, 1, 1)
    stored = store.get_article(aid(7))
    assert stored == {
        **edited,
        "version": 2,
        "first_seen_at": T1,
        "last_seen_at": T2,
        "fetched_at": T2,
        "run_id": "run-2",
    }
    (old,) = store.versions(aid(7))
    assert old == {
        **original,
        "_id": f"{original['_id']}:v1",
        "doc_id": original["_id"],
        "version": 1,
        "first_seen_at": T1,
        "last_seen_at": T1,
        "fetched_at": T1,
        "run_id": "run-1",
        "replaced_at": T2,
    }
    assert store.count_articles() == 2


def test_editing_twice_keeps_both_versions_oldest_first(store):
    store.write_articles([make_doc(1)], run_id="run-1", now=T1)
    store.write_articles([make_doc(1, title="Judul kedua")], run_id="run-2", now=T2)

    result = store.write_articles([make_doc(1, title="Judul ketiga")], run_id="run-3", now=T3)

    assert result.updated == 1
    stored = store.get_article(aid(1))
    assert (stored["version"], stored["title"], stored["first_seen_at"]) == (3, "Judul ketiga", T1)
    history = store.versions(aid(1))
    assert [(v["version"], v["title"], v["replaced_at"]) for v in history] == [
        (1, "Berita nomor 1", T2),
        (2, "Judul kedua", T3),
    ]
    assert [v["_id"] for v in history] == [f"liputan6:{aid(1)}:v1", f"liputan6:{aid(1)}:v2"]
    assert store.count_articles() == 1


def test_same_article_twice_in_a_batch_is_stored_once_last_wins(store):
    batch = [make_doc(1), make_doc(2), make_doc(1, title="Judul terbaru")]

    result = store.write_articles(batch, run_id="run-1", now=T1)

    assert (result.new, result.updated, result.unchanged) == (2, 0, 0)
    assert result.superseded == 1  # the first copy is counted, not lost
    assert store.count_articles() == 2
    assert store.get_article(aid(1))["title"] == "Judul terbaru"
    assert store.versions(aid(1)) == []


def test_empty_batch_writes_nothing(store):
    result = store.write_articles([], run_id="run-1", now=T1)

    assert (result.new, result.updated, result.unchanged, result.round_trips) == (0, 0, 0, 0)


def test_iter_articles_filters_and_sorts_by_published_at(store):
    numbers = list(range(12))
    random.Random(4).shuffle(numbers)
    store.write_articles([make_doc(n) for n in numbers], run_id="run-1", now=T1)
    hour = timedelta(hours=1)

    def ids(**filters: Any) -> list[str]:
        return [doc["article_id"] for doc in store.iter_articles(**filters)]

    assert ids() == [aid(n) for n in range(12)]
    # since inclusive, until exclusive
    assert ids(since=BASE_TIME + 3 * hour, until=BASE_TIME + 6 * hour) == [aid(3), aid(4), aid(5)]
    assert ids(since=BASE_TIME + 10 * hour) == [aid(10), aid(11)]
    assert ids(until=BASE_TIME + 2 * hour) == [aid(0), aid(1)]
    assert ids(section="bisnis") == [aid(n) for n in (1, 3, 5, 7, 9, 11)]
    assert ids(section="news", since=BASE_TIME + 5 * hour, until=BASE_TIME + 9 * hour) == [
        aid(6),
        aid(8),
    ]
    # the same instant given in WIB (UTC+7) filters the same way
    wib = timezone(timedelta(hours=7))
    assert ids(since=(BASE_TIME + 10 * hour).astimezone(wib)) == [aid(10), aid(11)]
    assert ids(section="olahraga") == []


def test_a_batch_of_500_costs_at_most_3_round_trips(store):
    docs = [make_doc(n) for n in range(500)]

    first = store.write_articles(docs, run_id="run-1", now=T1)
    again = store.write_articles(docs, run_id="run-2", now=T2)
    edited = [
        make_doc(n, summary="Ringkasan baru.") if n % 10 == 0 else make_doc(n) for n in range(500)
    ]
    mixed = store.write_articles([*edited, make_doc(500)], run_id="run-3", now=T3)

    assert (first.new, first.round_trips <= 3) == (500, True), first
    assert (again.unchanged, again.round_trips <= 3) == (500, True), again
    assert (mixed.new, mixed.updated, mixed.unchanged) == (1, 50, 450)
    assert mixed.round_trips <= 3, mixed
    assert store.count_articles() == 501


def test_runs_are_recorded_and_listed_newest_first(store):
    first = RunRecord(run_id="run-1", spider="liputan6", args={"channels": "news"}, started_at=T1)
    second = RunRecord(run_id="run-2", spider="liputan6", started_at=T2)
    store.start_run(first)
    store.start_run(second)
    first.finished_at = T1 + timedelta(hours=1)
    first.finish_reason = "finished"
    first.status = "ok"
    first.counts = {"new": 5, "updated": 1, "unchanged": 0}
    store.finish_run(first)

    runs = store.runs()

    assert [run["_id"] for run in runs] == ["run-2", "run-1"]
    assert runs[0] == {
        "_id": "run-2",
        "spider": "liputan6",
        "args": {},
        "started_at": T2,
        "finished_at": None,
        "finish_reason": None,
        "status": "running",
        "counts": {},
    }
    assert runs[1] == {
        "_id": "run-1",
        "spider": "liputan6",
        "args": {"channels": "news"},
        "started_at": T1,
        "finished_at": T1 + timedelta(hours=1),
        "finish_reason": "finished",
        "status": "ok",
        "counts": {"new": 5, "updated": 1, "unchanged": 0},
    }


def test_finish_run_without_start_still_records_the_run(store):
    run = RunRecord(run_id="run-9", spider="liputan6", started_at=T1, finished_at=T2)
    run.status = "failed"

    store.finish_run(run)

    (recorded,) = store.runs()
    assert (recorded["_id"], recorded["started_at"], recorded["status"]) == ("run-9", T1, "failed")


def test_datetimes_come_back_aware_utc_at_millisecond_precision(store):
    wib = timezone(timedelta(hours=7))
    published = datetime(2024, 3, 1, 21, 30, 15, 123456, tzinfo=wib)
    now = datetime(2024, 3, 10, 8, 0, 0, 987654, tzinfo=UTC)
    store.write_articles([make_doc(1, published_at=published)], run_id="run-1", now=now)
    store.write_articles([make_doc(1, published_at=published, title="Baru")], run_id="r", now=T2)
    store.start_run(RunRecord(run_id="run-1", spider="liputan6", started_at=now))

    stored = store.get_article(aid(1))

    # MongoDB keeps milliseconds; both stores return the same instant.
    assert stored["published_at"] == datetime(2024, 3, 1, 14, 30, 15, 123000, tzinfo=UTC)
    assert stored["first_seen_at"] == now.replace(microsecond=987000)
    for doc in [stored, *store.iter_articles(), *store.versions(aid(1)), *store.runs()]:
        assert_utc(doc)
        assert all(v.tzinfo is UTC for k, v in doc.items() if isinstance(v, datetime)), doc


def test_indexes_exist(store, backend: Backend):
    if backend.path is not None:
        with sqlite3.connect(backend.path) as conn:
            names = {
                name: sql
                for name, sql in conn.execute("SELECT name, sql FROM sqlite_master")
                if name
            }
        for table in ("articles", "article_authors", "article_tags", "article_versions"):
            assert table in names
        assert "crawl_runs" in names
        assert "USING fts5" in names["articles_fts"]
        assert "(published_at)" in names["articles_published_at"]
        assert "(section, published_at)" in names["articles_section_published_at"]
        assert "(next_due_at)" in names["articles_next_due_at"]
        assert "(name)" in names["article_authors_name"]
        assert "(tag)" in names["article_tags_tag"]
        assert "(started_at)" in names["crawl_runs_started_at"]
        return
    db = backend.database()
    articles = db["articles"].index_information()
    keys = {tuple(info["key"]): info for info in articles.values()}
    assert (("published_at", 1),) in keys
    assert (("section", 1), ("published_at", 1)) in keys
    assert (("authors", 1),) in keys
    assert (("tags", 1),) in keys
    assert (("next_due_at", 1),) in keys
    assert keys[(("article_id", 1),)]["unique"] is True
    (text,) = [info for info in articles.values() if any(d == "text" for _, d in info["key"])]
    assert text["default_language"] == "none"
    assert text["language_override"] == "text_language_override"
    text_fields = set(text.get("weights", {})) or {k for k, _ in text["key"]}
    assert text_fields == {"title", "summary", "body"}
    versions = {tuple(i["key"]): i for i in db["article_versions"].index_information().values()}
    assert versions[(("article_id", 1), ("version", 1))]["unique"] is True
    runs = {tuple(i["key"]) for i in db["crawl_runs"].index_information().values()}
    assert (("started_at", 1),) in runs


def test_open_twice_is_harmless(store, backend: Backend):
    store.write_articles([make_doc(1)], run_id="run-1", now=T1)

    store.open()
    other = backend.make()
    other.open()
    other.open()

    assert other.count_articles() == 1
    assert other.write_articles([make_doc(1)], run_id="run-2", now=T2).unchanged == 1
    other.close()


def test_a_reopened_store_sees_the_documents(store, backend: Backend):
    store.write_articles([make_doc(n) for n in range(3)], run_id="run-1", now=T1)
    store.write_articles([make_doc(0, title="Diralat")], run_id="run-2", now=T2)
    store.start_run(RunRecord(run_id="run-1", spider="liputan6", started_at=T1))
    expected = (list(store.iter_articles()), store.versions(aid(0)), store.runs())
    store.close()

    reopened = backend.make()
    reopened.open()
    try:
        assert reopened.count_articles() == 3
        assert (list(reopened.iter_articles()), reopened.versions(aid(0)), reopened.runs()) == (
            expected
        )
    finally:
        reopened.close()


def test_two_writers_of_the_same_articles_at_once_store_each_once(store, backend: Backend):
    docs = [make_doc(n) for n in range(200)]
    other = backend.make()
    other.open()
    start = threading.Barrier(2)
    results, errors = [], []

    def write(target) -> None:
        start.wait()
        try:
            for offset in range(0, 200, 50):
                results.append(
                    target.write_articles(docs[offset : offset + 50], run_id="r", now=T1)
                )
        except Exception as exc:  # reported below; a thread cannot fail the test itself
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(s,)) for s in (store, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    other.close()

    assert errors == []
    assert store.count_articles() == 200
    assert len(list(store.iter_articles())) == 200
    assert sum(r.new for r in results) == 200
    assert sum(r.unchanged for r in results) == 200
    assert all(store.versions(doc["article_id"]) == [] for doc in docs[:20])


# Store-specific behaviour.


def test_both_stores_return_identical_documents(tmp_path, monkeypatch):
    stores = [sqlite_backend(tmp_path).make(), mongomock_backend(monkeypatch).make()]
    seen = []
    for target in stores:
        target.open()
        target.write_articles([make_doc(n) for n in range(6)], run_id="run-1", now=T1)
        target.write_articles(
            [make_doc(2, tags=["Banjir"], body=None), make_doc(3), make_doc(6)],
            run_id="run-2",
            now=T2,
        )
        seen.append(
            (
                list(target.iter_articles()),
                target.versions(aid(2)),
                target.get_article(aid(6)),
            )
        )
        target.close()

    assert seen[0] == seen[1]
    # same keys too (a None-valued key would compare equal to a missing one only by accident)
    assert [sorted(d) for d in seen[0][0]] == [sorted(d) for d in seen[1][0]]


def test_sqlite_keeps_authors_tags_and_full_text_in_step(tmp_path):
    store = SQLiteStore(tmp_path / "a.sqlite3")
    store.open()
    store.write_articles([make_doc(1), make_doc(2)], run_id="run-1", now=T1)
    edited = make_doc(1, authors=["Nila Chrisna Yulika"], tags=["Gempa"], body="Gempa di Cianjur.")
    store.write_articles([edited], run_id="run-2", now=T2)
    store.close()

    with sqlite3.connect(store.path) as conn:
        doc_id = edited["_id"]
        authors = conn.execute(
            "SELECT name FROM article_authors WHERE id = ? ORDER BY position", (doc_id,)
        ).fetchall()
        tags = conn.execute("SELECT tag FROM article_tags WHERE id = ?", (doc_id,)).fetchall()
        found = conn.execute(
            "SELECT a.article_id FROM articles_fts f JOIN articles a ON a.fts_rowid = f.rowid "
            "WHERE articles_fts MATCH ?",
            ("banjir",),
        ).fetchall()
        gempa = conn.execute(
            "SELECT id FROM articles_fts WHERE articles_fts MATCH 'gempa'"
        ).fetchall()
        (fts_rows,) = conn.execute("SELECT count(*) FROM articles_fts").fetchone()
        columns = conn.execute(
            "SELECT version, published_at, content_hash FROM articles WHERE id = ?", (doc_id,)
        ).fetchone()
        (journal,) = conn.execute("PRAGMA journal_mode").fetchone()

    assert authors == [("Nila Chrisna Yulika",)]
    assert tags == [("Gempa",)]
    assert found == [(aid(2),)]  # the old body of article 1 no longer matches
    assert gempa == [(doc_id,)]
    assert fts_rows == 2
    assert columns == (2, "2024-03-01T01:00:00.000Z", content_hash(edited))
    assert journal == "wal"


def test_sqlite_concurrent_writers_leave_no_duplicate_side_rows(tmp_path):
    path = tmp_path / "a.sqlite3"
    writers = [SQLiteStore(path), SQLiteStore(path)]
    for writer in writers:
        writer.open()
    docs = [make_doc(n, body=f"Versi dua {n}.") for n in range(100)]
    writers[0].write_articles([make_doc(n) for n in range(100)], run_id="r", now=T1)
    start = threading.Barrier(2)

    def write(writer: SQLiteStore) -> None:
        start.wait()
        writer.write_articles(docs, run_id="r2", now=T2)

    threads = [threading.Thread(target=write, args=(w,)) for w in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert all(len(w.versions(aid(n))) == 1 for w in writers for n in (0, 50, 99))
    assert writers[1].get_article(aid(0))["version"] == 2
    for writer in writers:
        writer.close()
    with sqlite3.connect(path) as conn:
        counts = [
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("articles", "article_authors", "article_tags", "articles_fts")
        ]
        (versions,) = conn.execute("SELECT count(*) FROM article_versions").fetchone()
    assert counts == [100, 200, 200, 100]
    assert versions == 100


def _open_at_once(path: str, start: Any, results: Any) -> None:
    """One process of the race below: open a new file the moment the other process does."""
    start.wait()
    try:
        store = SQLiteStore(path)
        store.open()
        store.close()
        results.put("ok")
    except StoreUnavailable as exc:
        results.put(str(exc))


def test_sqlite_two_processes_creating_the_file_at_once_both_open(tmp_path):
    # Two crawls started by the same cron minute create the file together; switching a new file
    # to WAL fails at once for one of them unless open() waits. Without that wait this failed in
    # about 4 rounds of 10 here, so 20 rounds fail it reliably.
    context = multiprocessing.get_context("fork")
    outcomes = []
    for round_ in range(20):
        path = str(tmp_path / f"race{round_}.sqlite3")
        start, results = context.Barrier(2), context.Queue()
        procs = [
            context.Process(target=_open_at_once, args=(path, start, results)) for _ in range(2)
        ]
        for proc in procs:
            proc.start()
        outcomes += [results.get(timeout=60) for _ in procs]
        for proc in procs:
            proc.join(timeout=60)
    assert [o for o in outcomes if o != "ok"] == []


@pytest.mark.parametrize("bad", ["directory", "file-as-parent", "not-a-database"])
def test_sqlite_unopenable_path_is_unavailable(tmp_path, bad):
    (tmp_path / "plain.txt").write_text("not a database, just text " * 100)
    path = {
        "directory": tmp_path,
        "file-as-parent": tmp_path / "plain.txt" / "a.sqlite3",
        "not-a-database": tmp_path / "plain.txt",
    }[bad]
    store = SQLiteStore(path)

    with pytest.raises(StoreUnavailable) as raised:
        store.open()

    message = str(raised.value)
    assert str(path) in message
    assert "\n" not in message


def test_sqlite_description_names_the_absolute_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    assert SQLiteStore("archive.sqlite3").description == f"SQLite file {tmp_path}/archive.sqlite3"


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({}, ("SQLiteStore", "SQLite file {cwd}/newscrawl.sqlite3")),
        ({"NEWSCRAWL_SQLITE_PATH": "/data/a.db"}, ("SQLiteStore", "SQLite file /data/a.db")),
        ({"NEWSCRAWL_SQLITE_PATH": "rel/b.db"}, ("SQLiteStore", "SQLite file {cwd}/rel/b.db")),
        (
            {"MONGO_URI": "mongodb://u:pw@db1:27017,db2:27018/"},
            ("MongoStore", "MongoDB db1:27017,db2:27018/newscrawl"),
        ),
        (
            {"MONGO_URI": "mongodb://db1", "MONGO_DATABASE": "arsip", "NEWSCRAWL_SQLITE_PATH": "x"},
            ("MongoStore", "MongoDB db1:27017/arsip"),
        ),
        (
            {"MONGO_URI": None, "NEWSCRAWL_SQLITE_PATH": "/data/a.db"},
            ("SQLiteStore", "SQLite file /data/a.db"),
        ),
    ],
)
def test_open_store_picks_the_configured_store(tmp_path, monkeypatch, settings, expected):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MONGO_URI", "mongodb://only-settings-count:27017")  # never read here
    chosen = open_store(settings)
    assert (type(chosen).__name__, chosen.description) == (
        expected[0],
        expected[1].format(cwd=tmp_path),
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, ("SQLiteStore", "SQLite file {cwd}/newscrawl.sqlite3")),
        ({"NEWSCRAWL_SQLITE_PATH": "/env/b.db"}, ("SQLiteStore", "SQLite file /env/b.db")),
        (
            {"MONGO_URI": "mongodb://envhost:27999"},
            ("MongoStore", "MongoDB envhost:27999/newscrawl"),
        ),
    ],
)
def test_the_project_settings_read_the_store_from_the_environment(
    tmp_path, monkeypatch, env, expected
):
    import importlib

    from scrapy.settings import Settings

    import newscrawl.settings

    monkeypatch.chdir(tmp_path)
    for name in ("MONGO_URI", "MONGO_DATABASE", "NEWSCRAWL_SQLITE_PATH"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = Settings()
    settings.setmodule(importlib.reload(newscrawl.settings), priority="project")
    chosen = open_store(settings)
    monkeypatch.undo()
    importlib.reload(newscrawl.settings)
    assert (type(chosen).__name__, chosen.description) == (
        expected[0],
        expected[1].format(cwd=tmp_path),
    )


def test_open_store_accepts_scrapy_settings(tmp_path, monkeypatch):
    from scrapy.settings import Settings

    monkeypatch.delenv("MONGO_URI", raising=False)
    settings = Settings({"NEWSCRAWL_SQLITE_PATH": str(tmp_path / "s.db")})

    assert open_store(settings).description == f"SQLite file {tmp_path}/s.db"


def _members(protocol: type) -> set[str]:
    """The methods and attributes a protocol asks for, its parts' included."""
    names: set[str] = set()
    for part in protocol.__mro__:
        if part.__module__ == "newscrawl.store.base":
            names |= {n for n in vars(part) if not n.startswith("_")}
            names |= set(getattr(part, "__annotations__", {}))
    return names


@pytest.mark.parametrize("store_class", [SQLiteStore, MongoStore])
@pytest.mark.parametrize("part", [ArticleStore, DayStore, RunStore, LockStore])
def test_every_store_implements_every_part_of_the_interface(store_class, part):
    assert _members(part) <= _members(Store)
    missing = {name for name in _members(part) if not hasattr(store_class, name)}
    assert missing == set()


def test_the_parts_make_the_whole_interface():
    parts = set().union(*map(_members, [ArticleStore, DayStore, RunStore, LockStore]))
    assert _members(Store) - parts == {"description", "open", "close"}


# Choosing the store by URI (newscrawl.store.uri): what each URI opens, and which setting wins.

URIS = [
    ("sqlite:///archive.sqlite3", "SQLiteStore", "SQLite file {cwd}/archive.sqlite3"),
    ("sqlite:///data/a b.db", "SQLiteStore", "SQLite file {cwd}/data/a b.db"),
    ("sqlite:////srv/newscrawl/a.db", "SQLiteStore", "SQLite file /srv/newscrawl/a.db"),
    ("SQLITE:///upper.db", "SQLiteStore", "SQLite file {cwd}/upper.db"),
    ("mongodb://db1", "MongoStore", "MongoDB db1:27017/newscrawl"),
    ("mongodb://u:pw@db1:27017,db2:27018/", "MongoStore", "MongoDB db1:27017,db2:27018/newscrawl"),
    ("mongodb://u:p%2Fw@db1/arsip?authSource=admin", "MongoStore", "MongoDB db1:27017/arsip"),
    # A password with / and @ unescaped: pymongo refuses it at open(); its name shows none.
    ("mongodb://u:a/b@c@db1/arsip", "MongoStore", "MongoDB db1/arsip"),
    (
        "mongodb+srv://u:pw@cluster0.example.net/arsip",
        "MongoStore",
        "MongoDB cluster0.example.net/arsip",
    ),
]


@pytest.mark.parametrize(("uri", "kind", "description"), URIS)
def test_the_store_uri_scheme_chooses_the_store(tmp_path, monkeypatch, uri, kind, description):
    monkeypatch.chdir(tmp_path)
    chosen = open_store({"NEWSCRAWL_STORE_URI": uri})
    expected = (kind, description.format(cwd=tmp_path))
    assert (type(chosen).__name__, chosen.description) == expected
    # The same URI given by the caller (a command line's option) opens the same store.
    given = open_store({}, uri)
    assert (type(given).__name__, given.description) == expected


def test_a_mongodb_uri_without_a_database_uses_mongo_database_and_the_lease():
    chosen = open_store(
        {
            "NEWSCRAWL_STORE_URI": "mongodb://db1/",
            "MONGO_DATABASE": "arsip",
            "NEWSCRAWL_LOCK_LEASE_S": "30",
        }
    )
    assert (chosen.database, chosen.lock_lease_s) == ("arsip", 30.0)
    named = open_store({"NEWSCRAWL_STORE_URI": "mongodb://db1/koran", "MONGO_DATABASE": "arsip"})
    assert named.database == "koran"  # the URI's path wins


@pytest.mark.parametrize(
    ("settings", "uri", "expected"),
    [
        # the URI wins over NEWSCRAWL_SQLITE_PATH
        (
            {"NEWSCRAWL_STORE_URI": "sqlite:////data/u.db", "NEWSCRAWL_SQLITE_PATH": "/data/p.db"},
            None,
            "SQLite file /data/u.db",
        ),
        (
            {"NEWSCRAWL_STORE_URI": "mongodb://db1/u", "NEWSCRAWL_SQLITE_PATH": "/data/p.db"},
            None,
            "MongoDB db1:27017/u",
        ),
        # the same URI in both settings is one store; its path names the database
        (
            {"NEWSCRAWL_STORE_URI": "mongodb://db1/u", "MONGO_URI": "mongodb://db1/u"},
            None,
            "MongoDB db1:27017/u",
        ),
        # MONGO_URI alone keeps its meaning: the path is the auth database, MONGO_DATABASE wins
        (
            {"MONGO_URI": "mongodb://db1/admin", "MONGO_DATABASE": "arsip"},
            None,
            "MongoDB db1:27017/arsip",
        ),
        (
            {"NEWSCRAWL_STORE_URI": None, "NEWSCRAWL_SQLITE_PATH": "/p.db"},
            None,
            "SQLite file /p.db",
        ),
        (
            {"NEWSCRAWL_STORE_URI": "", "MONGO_URI": "mongodb://db1"},
            None,
            "MongoDB db1:27017/newscrawl",
        ),
        # the caller's URI wins over every setting, a differing MONGO_URI too
        (
            {"NEWSCRAWL_STORE_URI": "mongodb://db1/u", "MONGO_URI": "mongodb://db2"},
            "sqlite:////data/given.db",
            "SQLite file /data/given.db",
        ),
        ({"MONGO_URI": "mongodb://db2"}, "mongodb://db3/g", "MongoDB db3:27017/g"),
    ],
)
def test_which_store_setting_wins(settings, uri, expected):
    assert open_store(settings, uri).description == expected


BAD_URIS = [
    ({"NEWSCRAWL_STORE_URI": "archive.db"}, "NEWSCRAWL_STORE_URI='archive.db': not a URI"),
    (
        {"NEWSCRAWL_STORE_URI": "redis://u:s3cret@cache/0"},
        "NEWSCRAWL_STORE_URI='redis://u:***@cache/0': unknown scheme 'redis'; "
        "known: mongodb, mongodb+srv, sqlite",
    ),
    ({"NEWSCRAWL_STORE_URI": "sqlite://host/a.db"}, "an sqlite URI names no host"),
    ({"NEWSCRAWL_STORE_URI": "sqlite:///"}, "an sqlite URI needs a file name"),
    ({"NEWSCRAWL_STORE_URI": "mongodb://u:s3cret@/x"}, "a MongoDB URI needs a host"),
    ({"NEWSCRAWL_STORE_URI": "mongodb://db/a$b"}, "'a$b' is no MongoDB database name"),
    (
        {"NEWSCRAWL_STORE_URI": "sqlite:///a.db", "MONGO_URI": "mongodb://u:s3cret@db"},
        "NEWSCRAWL_STORE_URI='sqlite:///a.db' and MONGO_URI='mongodb://u:***@db' differ; "
        "set only NEWSCRAWL_STORE_URI (MONGO_URI is its older name)",
    ),
]


@pytest.mark.parametrize(("settings", "message"), BAD_URIS)
def test_a_store_uri_that_cannot_be_used_is_one_line_naming_the_setting(settings, message):
    with pytest.raises(StoreURIError) as refused:
        open_store(settings)
    line = str(refused.value)
    assert message in line
    assert "\n" not in line and "s3cret" not in line


def test_a_bad_uri_given_by_the_caller_is_named_so():
    with pytest.raises(StoreURIError, match=r"^the store URI='ftp://h/x': unknown scheme 'ftp'"):
        open_store({}, "ftp://h/x")


def test_every_scheme_names_a_store_class_that_opens_its_uri():
    for scheme, path in STORE_SCHEMES.items():
        store_class = newscrawl.store.store_class(
            f"{scheme}://{'' if scheme == 'sqlite' else 'h'}/x"
        )
        assert f"{store_class.__module__}.{store_class.__name__}" == path
        assert callable(store_class.from_uri)
