"""The day ledger: events in, records out (no store, no Scrapy)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from newscrawl.ledger import DayLedger

DAY = date(2020, 5, 27)
NOW = datetime(2020, 5, 28, tzinfo=UTC)


def walk(events) -> DayLedger:
    """A ledger after a list of (event, args) on channel "news", day DAY."""
    ledger = DayLedger()
    for event, *args in events:
        if event == "list":
            ledger.listed("news", DAY, *args)
        elif event == "end":
            ledger.listing_finished("news", DAY, failed=bool(args and args[0]))
        elif event == "stored":
            ledger.stored(args[0])
        elif event == "failed":
            ledger.failed(args[0], "news", DAY)
        elif event == "dropped":
            ledger.failed(args[0])
        elif event == "filtered":
            ledger.filtered("news", DAY)
    return ledger


# (name, events, the day's record when it is due: None = not finished yet)
CASES = [
    ("all stored", [("list", ["1", "2"]), ("end",), ("stored", ["1", "2"])], (2, 2, 0, True)),
    ("stored before the listing ends", [("list", ["1"]), ("stored", ["1"])], None),
    ("waiting for one", [("list", ["1", "2"]), ("end",), ("stored", ["1"])], None),
    (
        "already stored",
        [("list", ["1", "2"], {"1", "2"}), ("end",)],
        (2, 2, 0, True),
    ),
    (
        "fetch failed",
        [("list", ["1", "2"]), ("end",), ("stored", ["1"]), ("failed", "2")],
        (2, 1, 1, False),
    ),
    ("dropped by a pipeline", [("list", ["1"]), ("end",), ("dropped", "1")], (1, 0, 1, False)),
    ("listing failed", [("list", ["1"]), ("end", True), ("stored", ["1"])], (1, 1, 0, False)),
    ("empty day", [("end",)], (0, 0, 0, True)),
    (
        "a duplicate-filtered request",
        [("list", ["1"]), ("filtered",), ("end",), ("stored", ["1"])],
        (1, 1, 0, False),  # stored, yet a request of the day was lost: incomplete
    ),
    (
        "the site repeats its last page",
        [("list", ["1", "2"]), ("list", ["1", "2"]), ("end",), ("stored", ["1", "2"])],
        (2, 2, 0, True),
    ),
    (
        "stored twice counts once",
        [("list", ["1"]), ("end",), ("stored", ["1"]), ("stored", ["1"])],
        (1, 1, 0, True),
    ),
]


@pytest.mark.parametrize(("events", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_day_is_due_when_finished_and_complete_only_when_nothing_failed(events, expected):
    ledger = walk(events)
    due = ledger.due("run", NOW)
    if expected is None:
        assert due == []
        return
    (record,) = due
    assert (record["listed"], record["stored"], record["failed"], record["complete"]) == expected
    assert ledger.due("run", NOW) == []  # handed out once


def test_listed_returns_new_ids_and_those_to_fetch():
    ledger = DayLedger()
    assert ledger.listed("news", DAY, ["1", "2", "3"], {"2"}) == (["1", "2", "3"], ["1", "3"])
    assert ledger.listed("news", DAY, ["3", "4"], set()) == (["4"], ["4"])
    assert ledger.listed("news", DAY, ["4"], set()) == ([], [])
    assert ledger.days[("news", DAY)].pages == 3


def test_an_article_listed_on_two_days_completes_both():
    ledger = DayLedger()
    other = date(2020, 5, 26)
    ledger.listed("news", DAY, ["1"])
    ledger.listed("news", other, ["1"])
    ledger.listing_finished("news", DAY)
    ledger.listing_finished("news", other)
    ledger.stored(["1"])
    assert sorted((r["day"], r["complete"]) for r in ledger.due("run", NOW)) == [
        (other, True),
        (DAY, True),
    ]


def test_an_article_failed_on_one_day_still_completes_the_other():
    ledger = DayLedger()
    other = date(2020, 5, 26)
    for day in (DAY, other):
        ledger.listed("news", day, ["1"])
        ledger.listing_finished("news", day)
    ledger.failed("1", "news", other)  # that day's request was dropped as a duplicate
    ledger.stored(["1"])  # the other request's copy is stored
    records = {r["day"]: r for r in ledger.due("run", NOW)}
    assert records[DAY]["complete"] and records[DAY]["stored"] == 1
    assert not records[other]["complete"] and records[other]["failed"] == 1


def test_final_records_days_in_flight_as_incomplete_without_closing_them():
    ledger = walk([("list", ["1", "2"]), ("stored", ["1"])])
    (record,) = ledger.due("run", NOW, final=True)
    assert not record["complete"] and record["stored"] == 1
    assert not ledger.days[("news", DAY)].recorded  # a resumed run may still finish it


def test_state_survives_json_and_a_resumed_ledger_finishes_the_day():
    ledger = walk([("list", ["1", "2"]), ("stored", ["1"])])
    state = json.loads(json.dumps(ledger.to_state()))
    resumed = DayLedger()
    resumed.load_state(state)
    resumed.listing_finished("news", DAY)
    resumed.stored(["2"])
    (record,) = resumed.due("run", NOW)
    assert record["complete"] and (record["listed"], record["stored"]) == (2, 2)
