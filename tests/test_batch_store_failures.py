"""`newscrawl reextract` and `import-warc` when the store fails mid-run: the summary and the run
record count what was written before the failure (what the store holds afterwards), name the
failure and how many pages were not written, and the exit status is 1."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pymongo
import pytest

from newscrawl import cli, reextract
from newscrawl.store import MongoStore, SQLiteStore, StoreLost
from tests.helpers import newscrawl
from tests.site import make_articles, render_article
from tests.stores import SharedMongomock, mongomock_compat
from tests.warcs import Page, write_warc

BATCH = 100  # pages per write (500 in a run: the same code, more time)
ARTICLES = 260  # three writes: two done, the third meets the failure
WRITTEN = 2 * BATCH
CAPTURED = datetime(2024, 6, 1, tzinfo=UTC)
SUMMARY = re.compile(
    r"newscrawl (?P<command>[a-z-]+): (?P<pages>[\d,]+) article pages from [\d,]+ records in .*: "
    r"(?P<new>[\d,]+) new, (?P<updated>[\d,]+) updated, (?P<unchanged>[\d,]+) unchanged, "
    r"(?P<earlier>[\d,]+) earlier versions; run (?P<run>\S+), (?P<status>\w+)"
)


@pytest.fixture(scope="module")
def warc(tmp_path_factory) -> Path:
    """One WARC file of 260 article pages in the site's markup (one part: its pages reach
    the store in batches)."""
    articles = make_articles(ARTICLES, start_day=date(2024, 1, 1), days=3, multipage_ratio=0)
    pages = [
        Page(a.url, render_article(a).encode(), CAPTURED + timedelta(seconds=n))
        for n, a in enumerate(articles)
    ]
    return write_warc(tmp_path_factory.mktemp("warc") / "pages.warc.gz", pages)


def summary(stderr: str) -> dict[str, int | str]:
    """The fields of the summary line, the counts as ints."""
    match = SUMMARY.search(stderr)
    assert match, stderr
    fields: dict[str, int | str] = match.groupdict()
    for name in ("pages", "new", "updated", "unchanged", "earlier"):
        fields[name] = int(str(fields[name]).replace(",", ""))
    return fields


def fail_after(store, writes: int, breaks) -> None:
    """Let the store's first ``writes`` writes of articles through, then call
    ``breaks(store)`` before the next one: it breaks the store (whose own code then meets
    the failure) or raises what the store would."""
    write = store.write_articles
    done = []

    def counted(*args, **kwargs):
        done.append(1)
        if len(done) == writes + 1:
            breaks(store)
        return write(*args, **kwargs)

    store.write_articles = counted


def run_cli(monkeypatch, store, *args: str) -> int:
    """`newscrawl ARGS` in this process, on this store object, writing BATCH pages at once."""
    monkeypatch.setattr("newscrawl.store.open_store", lambda settings: store)
    monkeypatch.setattr(reextract, "WRITE_BATCH", BATCH)
    return cli.main([*args, "--workers", "2"])


def read_only(store: SQLiteStore) -> None:
    """The file now answers as one remounted read-only does."""
    store._conn.execute("PRAGMA query_only = ON")


def one_failed_write(store: SQLiteStore) -> None:
    """This write of articles fails; the store works again after it (a full disk freed)."""
    raise StoreLost(f"{store.description}: writing articles failed: disk is full")


def sqlite_articles(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]


@pytest.mark.parametrize("command", ["import-warc", "reextract"])
def test_a_read_only_sqlite_file_mid_run_reports_what_was_written(
    command, warc, tmp_path, monkeypatch, capsys
):
    store = SQLiteStore(tmp_path / "archive.sqlite3")
    fail_after(store, 2, read_only)

    status = run_cli(monkeypatch, store, command, "--create", str(warc))

    err = capsys.readouterr().err
    assert status == 1, err
    line = summary(err)
    held = sqlite_articles(tmp_path / "archive.sqlite3")
    assert held == WRITTEN
    assert (line["pages"], line["new"], line["status"]) == (ARTICLES, held, "failed")
    assert "  the store failed: SQLite file " in err
    assert "attempt to write a readonly database" in err
    assert f"  {ARTICLES - WRITTEN} article pages read were not written (or not confirmed)" in err
    # The record could not be completed either: the summary says so.
    assert "  the run record could not be completed: " in err


def test_a_failed_write_is_recorded_with_the_true_counts(warc, tmp_path, monkeypatch, capsys):
    path = tmp_path / "archive.sqlite3"
    store = SQLiteStore(path)
    fail_after(store, 2, one_failed_write)

    status = run_cli(monkeypatch, store, "import-warc", "--create", str(warc))

    err = capsys.readouterr().err
    assert status == 1, err
    line = summary(err)
    assert line["new"] == sqlite_articles(path) == WRITTEN
    assert "the run record could not be completed" not in err
    store = SQLiteStore(path)
    store.open()
    (run,) = store.runs()
    store.close()
    assert (run["_id"], run["status"], run["finish_reason"]) == (
        line["run"],
        "failed",
        "store_error",
    )
    counts = run["counts"]
    assert (counts["pages"], counts["new"], counts["unwritten"]) == (
        ARTICLES,
        WRITTEN,
        ARTICLES - WRITTEN,
    )
    assert counts["store_error"].endswith("writing articles failed: disk is full")

    # Run again: the pages not written are written, the others come out unchanged.
    again = newscrawl("import-warc", "--sqlite-path", str(path), str(warc), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    line = summary(again.stderr)
    assert (line["new"], line["unchanged"]) == (ARTICLES - WRITTEN, WRITTEN)
    assert sqlite_articles(path) == ARTICLES


def test_a_mongodb_server_gone_mid_run_reports_what_was_written(
    warc, tmp_path, monkeypatch, capsys
):
    mongomock_compat(monkeypatch)
    factory = SharedMongomock()
    store = MongoStore("mongodb://mongomock.test:27017", "batch", client_factory=factory)
    dead = pymongo.MongoClient("mongodb://127.0.0.1:1/", serverSelectionTimeoutMS=100)

    def server_gone(store: MongoStore) -> None:
        """Its collections now on a server that does not answer (a closed port)."""
        db = dead["batch"]
        store._articles, store._versions = db["articles"], db["article_versions"]
        store._runs = db["crawl_runs"]

    fail_after(store, 2, server_gone)
    try:
        status = run_cli(monkeypatch, store, "import-warc", "--create", str(warc))
    finally:
        dead.close()

    err = capsys.readouterr().err
    assert status == 1, err
    line = summary(err)
    held = factory.client["batch"]["articles"].count_documents({})
    assert held == WRITTEN
    assert (line["pages"], line["new"], line["status"]) == (ARTICLES, held, "failed")
    assert "  the store failed: MongoDB at mongomock.test:27017: writing articles failed: " in err
    assert f"  {ARTICLES - WRITTEN} article pages read were not written" in err
    assert "  the run record could not be completed: " in err


def test_a_mongodb_batch_failing_in_its_second_round_counts_the_first(monkeypatch):
    # Two archived copies of one article in a batch: two rounds. The server goes away
    # between them; the error carries what the first round wrote.
    from tests.helpers import archived_doc

    mongomock_compat(monkeypatch)
    store = MongoStore("mongodb://mongomock.test:27017", "rounds", client_factory=SharedMongomock())
    store.open()
    write_batch = store._write_batch

    def second_round_fails(batch, *args, **kwargs):
        if len(batch) == 1:
            raise pymongo.errors.AutoReconnect("connection closed")
        return write_batch(batch, *args, **kwargs)

    monkeypatch.setattr(store, "_write_batch", second_round_fails)
    docs = [
        archived_doc(1, datetime(2022, 1, 1, tzinfo=UTC)),
        archived_doc(2, datetime(2022, 1, 1, tzinfo=UTC)),
        archived_doc(1, datetime(2023, 1, 1, tzinfo=UTC), title="Diubah"),
    ]

    with pytest.raises(StoreLost) as raised:
        store.write_articles(docs, run_id="run-1", now=CAPTURED)

    assert raised.value.written.new == 2
    assert store._articles.count_documents({}) == 2
    store.close()


# `newscrawl ARGS` writing BATCH pages at once. Also MONGOECO_GAP: mongoeco 4.11 on an SQLite
# file refuses a find whose $in holds 500 ids ("Expression tree is too large"); MongoDB does not.
BY_BATCH = f"""
import sys
from newscrawl import cli, reextract
reextract.WRITE_BATCH = {BATCH}
sys.exit(cli.main(sys.argv[1:]))
"""


def test_import_into_a_mongodb_server_killed_mid_run(warc, tmp_path, mongoeco_factory):
    # A real server over the wire, killed while the import writes, then started again on its
    # file: it holds what the summary counts, give or take the batch being written at the kill.
    server = mongoeco_factory(tmp_path / "mongoeco.sqlite3")
    database = f"newscrawl_batch_{uuid.uuid4().hex[:10]}"
    env = {"MONGO_URI": server.uri, "MONGO_DATABASE": database}
    proc = subprocess.Popen(
        [sys.executable, "-c", BY_BATCH, "import-warc", "--create", str(warc)],
        cwd=tmp_path,
        env={**os.environ, **env},
        stderr=subprocess.PIPE,
        text=True,
    )
    client = pymongo.MongoClient(server.uri, serverSelectionTimeoutMS=5000)
    try:
        deadline = time.monotonic() + 120
        while client[database].articles.estimated_document_count() < BATCH:
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()
            time.sleep(0.02)
    finally:
        client.close()
    server.kill()
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err
    assert "Traceback" not in err
    line = summary(err)
    assert line["pages"] == ARTICLES and line["status"] == "failed"
    assert BATCH <= line["new"] < ARTICLES
    assert "  the store failed: MongoDB at 127.0.0.1:" in err
    unwritten = re.search(r"  ([\d,]+) article pages read were not written", err)
    assert unwritten and line["new"] + int(unwritten[1].replace(",", "")) == ARTICLES
    assert "  the run record could not be completed: " in err
    server.start()  # the same port and file
    client = pymongo.MongoClient(server.uri, serverSelectionTimeoutMS=5000)
    try:
        held = client[database].articles.count_documents({})
    finally:
        client.drop_database(database)
        client.close()
    # Every write the summary counts is there; the batch being written at the kill may be
    # there in part.
    assert line["new"] <= held <= line["new"] + BATCH
