"""Revisits: when each stored article is next due, and the validators of its last fetch.

Each test that takes `store` runs on SQLite, mongomock and MongoDB over the wire
(tests/stores.py).
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from newscrawl.site import EXTRACTOR_VERSION
from newscrawl.store.base import (
    ARCHIVED_COPY,
    CRAWL,
    DUE_FIELDS,
    RE_EXTRACTION,
    RunRecord,
    StoreError,
    article_document,
)
from newscrawl.store.sqlite import SQLiteStore, _dumps
from tests.helpers import BASE_TIME, make_article, make_doc
from tests.stores import (  # noqa: F401 (the fixtures `backend` and `store`)
    T1,
    T2,
    T3,
    backend_fixture,
    store_fixture,
)

HOUR = timedelta(hours=1)
# Validators as servers send them: an ETag keeps its quotes (and a weak one its W/).
ETAG_1, ETAG_2 = 'W/"5500001-a1"', '"5500001-b2"'
MODIFIED_1, MODIFIED_2 = "Sun, 10 Mar 2024 08:00:00 GMT", "Mon, 11 Mar 2024 08:00:00 GMT"


def aid(n: int) -> str:
    """The Liputan6 article id of make_doc(n)."""
    return make_doc(n)["article_id"]


def crawled(n: int, due: datetime | None, etag=None, modified=None, **changes: Any) -> dict:
    """The document of a crawl's fetch of article n, as the store pipeline builds it."""
    meta = {"fetched_at": None, "next_due_at": due, "etag": etag, "last_modified": modified}
    return article_document(make_article(n, **changes), meta)


def copy(n: int, reason: str, fetched_at: datetime, **changes: Any) -> dict:
    """A re-extracted or archived copy of article n captured at fetched_at (no schedule)."""
    meta = {"fetched_at": fetched_at, "version_reason": reason, "warc_file": "a.warc.gz"}
    return article_document(make_article(n, **changes), meta)


def revisit(doc: dict[str, Any]) -> tuple[Any, Any, Any]:
    """(next_due_at, etag, last_modified) of a stored document."""
    return doc["next_due_at"], doc["etag"], doc["last_modified"]


def due_ids(store, now: datetime, limit: int | None = None) -> list[str]:
    return [row["article_id"] for row in store.due_articles(now, limit)]


# ---- due_articles ----------------------------------------------------------------------------


def test_due_articles_are_those_due_by_now_earliest_first(store):
    # Article 3 and 1 are due at the same time: article_id breaks the tie.
    store.write_articles(
        [
            crawled(3, T1 + 2 * HOUR),
            crawled(1, T1 + 2 * HOUR, ETAG_1, MODIFIED_1),
            crawled(2, T1 + HOUR),
            crawled(4, T2),  # due later
            crawled(5, None),  # no revisit planned
        ],
        run_id="run-1",
        now=T1,
    )

    assert due_ids(store, T1) == []
    assert due_ids(store, T1 + 2 * HOUR) == [aid(2), aid(1), aid(3)]  # due at now counts
    assert due_ids(store, T3) == [aid(2), aid(1), aid(3), aid(4)]
    assert due_ids(store, T3, limit=2) == [aid(2), aid(1)]
    assert due_ids(store, T3, limit=0) == []
    # The same instant given in WIB (UTC+7) selects the same articles.
    wib = timezone(timedelta(hours=7))
    assert due_ids(store, (T1 + HOUR).astimezone(wib)) == [aid(2)]
    first = store.due_articles(T3)[1]
    assert first == {
        "article_id": aid(1),
        "url": make_doc(1)["url"],
        "published_at": BASE_TIME + HOUR,
        "next_due_at": T1 + 2 * HOUR,
        "etag": ETAG_1,
        "last_modified": MODIFIED_1,
    }
    assert list(first) == list(DUE_FIELDS)
    assert all(row[k].tzinfo is UTC for row in store.due_articles(T3) for k in DUE_FIELDS[2:4])


def test_due_articles_refuses_a_negative_limit(store):
    with pytest.raises(ValueError, match="limit"):
        store.due_articles(T1, limit=-1)


# ---- record_checks ---------------------------------------------------------------------------


def test_a_check_moves_only_last_seen_at_and_next_due_at(store):
    store.write_articles(
        [crawled(1, T1 + HOUR, ETAG_1, MODIFIED_1), crawled(2, T1 + HOUR), crawled(3, T2)],
        run_id="run-1",
        now=T1,
    )
    before = {n: store.get_article(aid(n)) for n in (1, 2, 3)}

    checked = store.record_checks([(aid(1), T3), (aid(2), None), ("404", T3)], now=T2)

    assert checked == 2  # the article not stored is ignored
    assert store.get_article(aid(1)) == {**before[1], "last_seen_at": T2, "next_due_at": T3}
    assert store.get_article(aid(2)) == {**before[2], "last_seen_at": T2, "next_due_at": None}
    assert store.get_article(aid(3)) == before[3]
    assert due_ids(store, T3) == [aid(3), aid(1)]  # article 2 is due no more
    assert store.versions(aid(1)) == []


def test_a_failed_revisit_moves_only_next_due_at(store):
    store.write_articles([crawled(1, T1 + HOUR, ETAG_1)], run_id="run-1", now=T1)
    before = store.get_article(aid(1))

    assert store.record_checks([(aid(1), T3)], now=T2, seen=False) == 1

    assert store.get_article(aid(1)) == {**before, "next_due_at": T3}  # not seen: no last_seen_at


def test_runs_gives_the_newest_first_as_many_as_asked(store):
    for n in range(4):
        store.start_run(RunRecord(run_id=f"run-{n}", spider="s", started_at=T1 + n * HOUR))
    assert [r["_id"] for r in store.runs(limit=2)] == ["run-3", "run-2"]
    assert [r["_id"] for r in store.runs()] == ["run-3", "run-2", "run-1", "run-0"]


def test_checks_of_one_article_count_once_the_last_one_wins(store):
    store.write_articles([crawled(1, T1), crawled(2, T1)], run_id="run-1", now=T1)

    checked = store.record_checks(iter([(aid(1), T2), (aid(2), T2), (aid(1), T3)]), now=T2)

    assert checked == 2
    assert [store.get_article(aid(n))["next_due_at"] for n in (1, 2)] == [T3, T2]
    assert store.record_checks([], now=T3) == 0


def test_checks_of_different_times_each_keep_their_own(store):
    store.write_articles([crawled(n, T1) for n in range(60)], run_id="run-1", now=T1)
    # Every article its own next time: no group of one time may take another's.
    checks = [(aid(n), T2 + n * timedelta(seconds=1)) for n in range(60)]

    assert store.record_checks(checks, now=T2) == 60

    assert due_ids(store, T2 + timedelta(seconds=2)) == [aid(0), aid(1), aid(2)]


def test_checks_on_a_closed_store_raise_store_error(store):
    store.close()

    with pytest.raises(StoreError, match="recording checks"):
        store.record_checks([(aid(1), T2)], now=T2)
    with pytest.raises(StoreError, match="due articles"):
        store.due_articles(T2)


# ---- what writes do to the schedule ----------------------------------------------------------


def test_a_crawl_stores_its_own_schedule_and_validators(store):
    store.write_articles([crawled(1, T1 + 3 * HOUR, ETAG_1, MODIFIED_1)], run_id="r", now=T1)

    assert revisit(store.get_article(aid(1))) == (T1 + 3 * HOUR, ETAG_1, MODIFIED_1)


def test_an_unchanged_revisit_moves_the_schedule_and_the_validators(store):
    store.write_articles([crawled(1, T1 + 3 * HOUR, ETAG_1, MODIFIED_1)], run_id="r1", now=T1)
    before = store.get_article(aid(1))

    result = store.write_articles([crawled(1, T2 + 21 * HOUR, ETAG_2, None)], run_id="r2", now=T2)

    assert result.unchanged == 1
    assert store.get_article(aid(1)) == {
        **before,
        "last_seen_at": T2,
        "next_due_at": T2 + 21 * HOUR,
        "etag": ETAG_2,
        "last_modified": None,
    }
    # The last revisit planned none: the article is due no more.
    store.write_articles([crawled(1, None)], run_id="r3", now=T3)
    assert revisit(store.get_article(aid(1))) == (None, None, None)
    assert store.due_articles(T3 + 100 * HOUR) == []


def test_unchanged_revisits_with_different_values_each_keep_their_own(store):
    store.write_articles([crawled(n, T1) for n in range(6)], run_id="r1", now=T1)
    # Two share their values, the others differ from them and from each other.
    again = [crawled(0, T3), crawled(1, T3), crawled(2, T3, ETAG_1), crawled(3, T3, ETAG_2)]
    again += [crawled(4, T3, ETAG_2, MODIFIED_1), crawled(5, None, ETAG_2, MODIFIED_1)]

    store.write_articles(again, run_id="r2", now=T2)

    assert [revisit(store.get_article(aid(n))) for n in range(6)] == [
        (T3, None, None),
        (T3, None, None),
        (T3, ETAG_1, None),
        (T3, ETAG_2, None),
        (T3, ETAG_2, MODIFIED_1),
        (None, ETAG_2, MODIFIED_1),
    ]
    assert all(store.get_article(aid(n))["last_seen_at"] == T2 for n in range(6))


def test_an_unchanged_revisit_by_a_newer_extractor_moves_both(store):
    store.write_articles([crawled(1, T1 + HOUR)], run_id="r1", now=T1)
    newer = {**crawled(1, T2 + HOUR, ETAG_1), "extractor_version": EXTRACTOR_VERSION + 1}

    store.write_articles([newer], run_id="r2", now=T2)

    stored = store.get_article(aid(1))
    assert (stored["extractor_version"], stored["last_seen_at"]) == (EXTRACTOR_VERSION + 1, T2)
    assert revisit(stored) == (T2 + HOUR, ETAG_1, None)


def test_an_edited_revisit_stores_its_values_and_the_history_keeps_the_old(store):
    store.write_articles([crawled(1, T1 + 3 * HOUR, ETAG_1, MODIFIED_1)], run_id="r1", now=T1)

    result = store.write_articles(
        [crawled(1, T2 + 21 * HOUR, ETAG_2, MODIFIED_2, title="Judul diralat")],
        run_id="r2",
        now=T2,
    )

    assert result.updated == 1
    current = store.get_article(aid(1))
    assert (current["version"], current["title"]) == (2, "Judul diralat")
    assert revisit(current) == (T2 + 21 * HOUR, ETAG_2, MODIFIED_2)
    (old,) = store.versions(aid(1))
    assert revisit(old) == (T1 + 3 * HOUR, ETAG_1, MODIFIED_1)


@pytest.mark.parametrize("reason", [RE_EXTRACTION, ARCHIVED_COPY])
@pytest.mark.parametrize("edited", [True, False], ids=["replaces", "unchanged"])
def test_a_copy_that_is_no_crawl_keeps_the_stored_schedule(store, reason, edited):
    store.write_articles([crawled(1, T2 + HOUR, ETAG_1, MODIFIED_1)], run_id="r1", now=T1)
    # Captured after the stored version (fetched at T1), carrying a schedule of its own.
    changes = {"title": "Judul lain"} if edited else {}
    later = {**copy(1, reason, T1 + HOUR, **changes), "next_due_at": T3, "etag": ETAG_2}

    result = store.write_articles([later], run_id="r2", now=T2)

    assert (result.updated, result.unchanged) == ((1, 0) if edited else (0, 1))
    current = store.get_article(aid(1))
    assert current["version"] == (2 if edited else 1)
    assert current["last_seen_at"] == T1 + HOUR  # seen when it was captured
    assert revisit(current) == (T2 + HOUR, ETAG_1, MODIFIED_1)


def test_a_copy_that_is_no_crawl_inserts_what_it_carries(store):
    store.write_articles(
        [copy(1, ARCHIVED_COPY, T1), {**copy(2, RE_EXTRACTION, T1), "etag": ETAG_1}],
        run_id="import",
        now=T2,
    )

    assert revisit(store.get_article(aid(1))) == (None, None, None)
    assert revisit(store.get_article(aid(2))) == (None, ETAG_1, None)


@pytest.mark.parametrize("reason", [CRAWL, ARCHIVED_COPY])
def test_an_earlier_capture_changes_no_schedule(store, reason):
    store.write_articles([crawled(1, T2 + HOUR, ETAG_1, MODIFIED_1)], run_id="r1", now=T2)
    # Captured before the stored version: into the history, under the current one.
    older = {**copy(1, reason, T1, title="Judul lama"), "next_due_at": T1 + HOUR, "etag": ETAG_2}

    result = store.write_articles([older], run_id="r2", now=T3)

    assert result.earlier == 1
    current = store.get_article(aid(1))
    assert (current["version"], current["last_seen_at"]) == (3, T2)
    assert revisit(current) == (T2 + HOUR, ETAG_1, MODIFIED_1)


# ---- SQLite files of an earlier version --------------------------------------------------------

# articles as SQLite files made before revisits were stored.
OLD_ARTICLES = """
CREATE TABLE articles (
    id TEXT PRIMARY KEY, article_id TEXT UNIQUE, published_at TEXT, section TEXT,
    subsection TEXT, title TEXT, type TEXT, content_hash TEXT NOT NULL,
    version INTEGER NOT NULL, first_seen_at TEXT NOT NULL, last_seen_at TEXT NOT NULL,
    fetched_at TEXT, run_id TEXT, fts_rowid INTEGER NOT NULL UNIQUE, doc TEXT NOT NULL
)
"""


def test_a_file_of_an_earlier_version_gets_the_revisit_columns_and_index(tmp_path):
    path = tmp_path / "old.sqlite3"
    doc = {**make_doc(1), "version": 1, "first_seen_at": T1, "last_seen_at": T1}
    doc.update(fetched_at=T1, run_id="r0")
    for name in ("next_due_at", "etag", "last_modified"):
        del doc[name]  # an old document has none of them
    conn = sqlite3.connect(path)
    conn.execute(OLD_ARTICLES)
    conn.execute(
        "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, 'r0', 1, ?)",
        (
            doc["_id"],
            doc["article_id"],
            "2024-03-01T01:00:00.000Z",
            doc["section"],
            doc["subsection"],
            doc["title"],
            doc["type"],
            doc["content_hash"],
            *["2024-03-10T08:00:00.000Z"] * 3,
            _dumps(doc),
        ),
    )
    conn.commit()
    conn.close()

    old = SQLiteStore(path)
    old.open()
    try:
        assert old.due_articles(T3) == []
        result = old.write_articles([crawled(1, T2 + HOUR, ETAG_1)], run_id="r1", now=T2)
        assert result.unchanged == 1
        assert revisit(old.get_article(aid(1))) == (T2 + HOUR, ETAG_1, None)
        assert due_ids(old, T3) == [aid(1)]
    finally:
        old.close()
    conn = sqlite3.connect(path)
    columns = {row[1] for row in conn.execute("PRAGMA table_info(articles)")}
    (index,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'articles_next_due_at'"
    ).fetchone()
    conn.close()
    assert {"next_due_at", "etag", "last_modified"} <= columns
    assert "(next_due_at)" in index
    # Opening it again adds nothing twice.
    again = SQLiteStore(path)
    again.open()
    again.close()
