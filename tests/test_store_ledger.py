"""The archive walk's day ledger and the stored-id lookup, on every store (SQLite, Mongo)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from newscrawl.store import SQLiteStore
from tests.helpers import make_doc
from tests.stores import (  # noqa: F401 (the fixtures `backend` and `store`)
    T1,
    T2,
    T3,
    Backend,
    backend_fixture,
    store_fixture,
)

D1, D2, D3, D4 = (date(2024, 3, d) for d in (1, 2, 3, 4))
RECORD_KEYS = {
    "channel",
    "day",
    "pages",
    "listed",
    "stored",
    "failed",
    "complete",
    "open",
    "walked_at",
    "run_id",
}


def aid(n: int) -> str:
    """The Liputan6 article id of make_doc(n)."""
    return make_doc(n)["article_id"]


def day(channel: str, on: date, *, complete: bool = True, **changes: Any) -> dict[str, Any]:
    """A ledger record as the spider writes it."""
    record = {
        "channel": channel,
        "day": on,
        "pages": 3,
        "listed": 40,
        "stored": 40 if complete else 37,
        "failed": 0 if complete else 3,
        "complete": complete,
        "open": False,
        "walked_at": T1,
        "run_id": "run-1",
    }
    return {**record, **changes}


class CountingCollection:
    """A Mongo collection that notes the name of every method called on it."""

    def __init__(self, inner: Any, calls: list[str]) -> None:
        self._inner = inner
        self._calls = calls

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            self._calls.append(name)
            return attr(*args, **kwargs)

        return call


@contextmanager
def calls_to(store: Any) -> Iterator[list[str]]:
    """What the store sends: SQL statements (SQLite) or collection method names (Mongo)."""
    calls: list[str] = []
    if isinstance(store, SQLiteStore):
        store._conn.set_trace_callback(calls.append)
        try:
            yield calls
        finally:
            store._conn.set_trace_callback(None)
        return
    saved = store._articles, store._days
    store._articles = CountingCollection(saved[0], calls)
    store._days = CountingCollection(saved[1], calls)
    try:
        yield calls
    finally:
        store._articles, store._days = saved


# ---- existing_ids ------------------------------------------------------------------------


def test_existing_ids_names_the_stored_ones(store):
    store.write_articles([make_doc(n) for n in range(5)], run_id="run-1", now=T1)
    asked = [aid(1), "404", aid(3), aid(1), f"liputan6:{aid(2)}", aid(9)]

    with calls_to(store) as calls:
        found = store.existing_ids(iter(asked))

    assert found == {aid(1), aid(3)}
    assert len(calls) == 1, calls


def test_existing_ids_of_nothing_is_empty(store):
    store.write_articles([make_doc(1)], run_id="run-1", now=T1)

    with calls_to(store) as calls:
        assert store.existing_ids([]) == set()

    assert calls == []


def test_existing_ids_of_2000_ids_is_one_query(store):
    stored = [make_doc(n) for n in range(0, 2000, 40)]
    store.write_articles(stored, run_id="run-1", now=T1)
    asked = [aid(n) for n in range(2000)]

    with calls_to(store) as calls:
        found = store.existing_ids(asked)

    assert found == {doc["article_id"] for doc in stored}
    assert len(found) == 50
    assert len(calls) == 1, calls


# ---- put_days / get_days -----------------------------------------------------------------


def test_days_round_trip(store):
    walked = datetime(2024, 3, 10, 15, 0, 1, 123456, tzinfo=timezone(timedelta(hours=7)))
    records = [
        day("news", D1, walked_at=walked),
        day("bisnis", D1, complete=False, run_id=None),
        day("news", D2, pages=1, listed=0, stored=0),
    ]

    store.put_days(records)
    ledger = store.get_days(("news", "bisnis", "bola"), [D1, D2, D3])

    assert set(ledger) == {("news", D1), ("bisnis", D1), ("news", D2)}
    assert ledger[("news", D1)] == {
        **records[0],
        "walked_at": datetime(2024, 3, 10, 8, 0, 1, 123000, tzinfo=UTC),
    }
    assert ledger[("bisnis", D1)] == records[1]
    assert ledger[("news", D2)] == records[2]
    for (channel, on), record in ledger.items():
        assert set(record) == RECORD_KEYS
        assert (record["channel"], record["day"]) == (channel, on)
        assert type(record["day"]) is date
        assert type(record["complete"]) is bool
        assert record["walked_at"].tzinfo is UTC


def test_get_days_returns_only_the_days_and_channels_asked(store):
    store.put_days([day(c, d) for c in ("news", "bisnis", "bola") for d in (D1, D2, D3, D4)])

    ledger = store.get_days(["news", "bola", "tekno"], [D3, D1])

    assert set(ledger) == {("news", D1), ("news", D3), ("bola", D1), ("bola", D3)}
    assert store.get_days(["news"], []) == {}
    assert store.get_days([], [D1]) == {}
    assert store.get_days(["news"], [date(2023, 1, 1)]) == {}


def test_get_days_on_an_empty_ledger(store):
    assert store.get_days(["news"], [D1, D2]) == {}
    assert store.iter_days(D1, D4) == []


def test_a_later_record_replaces_the_earlier(store):
    store.put_days([day("news", D1, complete=False), day("news", D2)])

    store.put_days(
        [
            day("news", D1, complete=False, pages=5, stored=39, walked_at=T2, run_id="run-2"),
            day("news", D2, pages=4, listed=41, stored=41, walked_at=T2, run_id="run-2"),
        ]
    )
    ledger = store.get_days(["news"], [D1, D2])
    assert ledger[("news", D1)] == day(
        "news", D1, complete=False, pages=5, stored=39, walked_at=T2, run_id="run-2"
    )
    assert ledger[("news", D2)] == day(
        "news", D2, pages=4, listed=41, stored=41, walked_at=T2, run_id="run-2"
    )

    store.put_days([day("news", D1, walked_at=T3, run_id="run-3")])
    assert store.get_days(["news"], [D1])[("news", D1)] == day(
        "news", D1, walked_at=T3, run_id="run-3"
    )


def test_an_incomplete_record_never_overwrites_a_complete_day(store):
    finished = day("news", D1, pages=6, listed=120, stored=120)
    store.put_days([finished, day("news", D2, complete=False)])

    # A refresh walk interrupted half way.
    store.put_days(
        [
            day("news", D1, complete=False, pages=2, listed=40, stored=10, walked_at=T2),
            day("news", D2, complete=False, pages=9, walked_at=T2),
            day("bisnis", D1, complete=False, walked_at=T2),
        ]
    )

    ledger = store.get_days(["news", "bisnis"], [D1, D2])
    assert ledger[("news", D1)] == finished
    assert ledger[("news", D2)] == day("news", D2, complete=False, pages=9, walked_at=T2)
    assert ledger[("bisnis", D1)] == day("bisnis", D1, complete=False, walked_at=T2)


def test_records_of_one_day_in_one_call_apply_in_order(store):
    store.put_days(
        [
            day("news", D1, complete=False),
            day("news", D1, walked_at=T2),
            day("news", D1, complete=False, walked_at=T3),
            day("news", D2),
            day("news", D2, complete=False, walked_at=T2),
            day("news", D2, pages=7, walked_at=T3),
        ]
    )

    ledger = store.get_days(["news"], [D1, D2])
    assert ledger[("news", D1)] == day("news", D1, walked_at=T2)
    assert ledger[("news", D2)] == day("news", D2, pages=7, walked_at=T3)


def test_put_days_is_one_round_trip(store):
    records = [day(c, d, complete=d != D2) for c in ("news", "bisnis") for d in (D1, D2, D3)]

    with calls_to(store) as calls:
        store.put_days(records)
        store.put_days([])

    if isinstance(store, SQLiteStore):
        assert [c for c in calls if c in ("BEGIN IMMEDIATE", "COMMIT")] == [
            "BEGIN IMMEDIATE",
            "COMMIT",
        ]
    else:
        assert calls == ["bulk_write"]
    assert len(store.iter_days(D1, D3)) == 6


# ---- iter_days ---------------------------------------------------------------------------


def test_iter_days_is_inclusive_and_sorted_by_day_then_channel(store):
    # Written out of order on purpose.
    store.put_days([day(c, d) for d in (D4, D2, D1, D3) for c in ("news", "bola", "bisnis")])

    found = store.iter_days(D2, D3)

    assert [(r["day"], r["channel"]) for r in found] == [
        (D2, "bisnis"),
        (D2, "bola"),
        (D2, "news"),
        (D3, "bisnis"),
        (D3, "bola"),
        (D3, "news"),
    ]
    assert found[0] == day("bisnis", D2)
    assert [r["day"] for r in store.iter_days(D4, D4)] == [D4] * 3
    assert store.iter_days(D3, D2) == []


def test_iter_days_filters_by_channel(store):
    store.put_days([day(c, d) for d in (D1, D2, D3) for c in ("news", "bola", "bisnis")])

    found = store.iter_days(D1, D4, channels=iter(["news", "bisnis", "tekno"]))

    assert [(r["day"], r["channel"]) for r in found] == [
        (D1, "bisnis"),
        (D1, "news"),
        (D2, "bisnis"),
        (D2, "news"),
        (D3, "bisnis"),
        (D3, "news"),
    ]
    assert store.iter_days(D1, D4, channels=[]) == []
    assert len(store.iter_days(D1, D4, channels=None)) == 9


# ---- persistence and stored form ---------------------------------------------------------


def test_a_reopened_store_sees_the_ledger(store, backend: Backend):
    store.put_days([day("news", D1), day("bisnis", D2, complete=False)])
    expected = store.iter_days(D1, D4)
    store.close()

    reopened = backend.make()
    reopened.open()
    try:
        assert reopened.iter_days(D1, D4) == expected
        assert set(reopened.get_days(["news", "bisnis"], [D1, D2])) == {
            ("news", D1),
            ("bisnis", D2),
        }
        # The complete-stays rule holds across runs too.
        reopened.put_days([day("news", D1, complete=False, walked_at=T2)])
        assert reopened.get_days(["news"], [D1])[("news", D1)] == day("news", D1)
    finally:
        reopened.close()


def test_the_ledger_is_stored_as_documented(store, backend: Backend):
    store.put_days([day("news", D1, walked_at=T2)])

    if backend.path is not None:
        with sqlite3.connect(backend.path) as conn:
            row = conn.execute("SELECT * FROM crawl_days").fetchone()
            sql = conn.execute(
                "SELECT sql FROM sqlite_master WHERE name = 'crawl_days'"
            ).fetchone()[0]
        assert row == (
            "news",
            "2024-03-01",
            3,
            40,
            40,
            0,
            1,
            0,
            "2024-03-11T08:00:00.000Z",
            "run-1",
        )
        assert "PRIMARY KEY (channel, day)" in sql
        return
    days = backend.database()["crawl_days"]
    doc = days.find_one()
    assert doc["_id"] == "news:2024-03-01"
    assert doc["day"] == "2024-03-01"
    assert doc["complete"] is True
    assert doc["walked_at"] == T2
    keys = {tuple(info["key"]) for info in days.index_information().values()}
    assert (("day", 1), ("channel", 1)) in keys


@pytest.mark.parametrize("bad_day", ["2024-03-01", datetime(2024, 3, 1, 23, 30, tzinfo=UTC)])
def test_a_day_given_as_text_or_datetime_is_the_same_day(store, bad_day):
    store.put_days([day("news", bad_day)])

    assert store.get_days(["news"], [D1])[("news", D1)] == day("news", D1)


def test_an_open_day_is_kept_open_and_a_complete_walk_closes_it(store):
    """A day walked before it was over is recorded open (not complete); the walk after it
    ended replaces that with complete."""
    store.put_days([day("news", D1, complete=False, open=True)])
    assert store.get_days(("news",), [D1])[("news", D1)]["open"] is True
    store.put_days([day("news", D1, walked_at=T2)])
    record = store.get_days(("news",), [D1])[("news", D1)]
    assert (record["complete"], record["open"]) == (True, False)


def test_a_file_of_an_earlier_version_gets_the_open_column(tmp_path):
    """crawl_days of a file made before days could be open gains the column (all closed)."""
    import sqlite3

    from newscrawl.store.sqlite import SQLiteStore

    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE crawl_days (channel TEXT NOT NULL, day TEXT NOT NULL, pages INTEGER,"
        " listed INTEGER, stored INTEGER, failed INTEGER, complete INTEGER NOT NULL,"
        " walked_at TEXT, run_id TEXT, PRIMARY KEY (channel, day))"
    )
    conn.execute("INSERT INTO crawl_days VALUES ('news', '2024-03-01', 1, 2, 2, 0, 1, NULL, 'r')")
    conn.commit()
    conn.close()
    old = SQLiteStore(path)
    old.open()
    record = old.get_days(("news",), [D1.replace(day=1)])[("news", D1.replace(day=1))]
    assert (record["complete"], record["open"], record["listed"]) == (True, False, 2)
    old.close()
