"""The day ledger: events in, records out (no store, no Scrapy)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from newscrawl.ledger import DayLedger, ListedArticles

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


# ---- open days, unreadable pages, days never started ---------------------------------------

WIB_MIDNIGHT = datetime(2020, 5, 27, 17, tzinfo=UTC)  # 28 May 00:00 in Jakarta: DAY is over


@pytest.mark.parametrize(
    ("now", "grace_hours", "state"),
    [
        (WIB_MIDNIGHT - timedelta(hours=1), 6, "open"),  # the day itself
        (WIB_MIDNIGHT + timedelta(hours=5), 6, "open"),  # within the grace
        (WIB_MIDNIGHT + timedelta(hours=6), 6, "complete"),
        (WIB_MIDNIGHT, 0, "complete"),
    ],
)
def test_a_day_walked_before_it_was_over_is_open_not_complete(now, grace_hours, state):
    ledger = DayLedger(timedelta(hours=grace_hours))
    ledger.listed("news", DAY, ["1"])
    ledger.listing_finished("news", DAY)
    ledger.stored(["1"])
    (record,) = ledger.due("run", now)
    assert (record["complete"], record["open"]) == (state == "complete", state == "open")
    assert ledger.states(now) == {state: 1}


def test_an_open_day_with_a_failure_is_incomplete_not_open():
    ledger = DayLedger()
    ledger.listed("news", DAY, ["1", "2"])
    ledger.listing_finished("news", DAY)
    ledger.stored(["1"])
    ledger.failed("2", "news", DAY)
    (record,) = ledger.due("run", WIB_MIDNIGHT - timedelta(hours=1))
    assert (record["complete"], record["open"], record["failed"]) == (False, False, 1)


@pytest.mark.parametrize("other_days", [False, True])
def test_an_unreadable_list_page_keeps_its_day_incomplete(other_days):
    ledger = DayLedger()
    ledger.listed("news", DAY, ["1"])
    ledger.unreadable("news", DAY, other_days=other_days)
    ledger.listing_finished("news", DAY)
    ledger.stored(["1"])
    (record,) = ledger.due("run", NOW)
    assert (record["complete"], record["pages"], record["stored"]) == (False, 2, 1)
    walk = ledger.days[("news", DAY)]
    assert (walk.other_days, walk.unrecognised) == (int(other_days), int(not other_days))


def test_a_day_only_asked_for_gets_no_record_and_a_resumed_job_remembers_it():
    ledger = DayLedger()
    ledger.requested |= {("news", DAY), ("news", date(2020, 5, 26))}
    ledger.listed("news", DAY, ["1", "2"])  # page 1 of DAY answered; the 26th never did
    ledger.stored(["1"])
    records = ledger.due("run", NOW, final=True)
    assert [(r["day"], r["complete"], r["listed"], r["stored"]) for r in records] == [
        (DAY, False, 2, 1)
    ]
    resumed = DayLedger()
    resumed.load_state(json.loads(json.dumps(ledger.to_state())))
    assert resumed.requested == ledger.requested
    assert list(resumed.days) == [("news", DAY)]


def test_the_listed_count_survives_the_record():
    """The incomplete-day warning reads the count after the id sets were freed."""
    ledger = DayLedger()
    ledger.listed("news", DAY, ["1", "2", "3"])
    ledger.listing_finished("news", DAY)
    ledger.stored(["1", "2"])
    ledger.failed("3", "news", DAY)
    ledger.due("run", NOW)
    walk = ledger.days[("news", DAY)]
    assert (walk.listed, walk.listed_count, walk.stored, walk.failed) == (set(), 3, 2, 1)


def test_listed_articles_end_stored_or_lost_for_one_reason():
    listed = ListedArticles()
    listed.listed(["1", "2", "3", "4", "5"])
    listed.stored(["1"])
    listed.lost("2", "failed")
    listed.lost("3", "duplicate_filtered")
    listed.lost("3", "failed")  # the first reason stands
    listed.lost("4", "duplicate_filtered")
    listed.stored(["4"])  # another copy of it was stored after all
    listed.lost("9", "failed")  # never listed: not counted
    assert listed.counts() == {
        "stored": 2,
        "failed": 1,
        "duplicate_filtered": 1,
        "waiting": 1,
    }


def test_a_day_whose_fetched_articles_were_all_published_elsewhere_is_not_complete():
    """A list without times cannot tell it answered another date; its articles can."""
    ledger = DayLedger()
    ledger.listed("news", DAY, ["1", "2"])
    ledger.listing_finished("news", DAY)
    other = datetime(2020, 5, 20, 5, tzinfo=UTC)
    ledger.stored(["1", "2"], {"1": other, "2": other})
    (record,) = ledger.due("run", NOW)
    assert (record["complete"], record["stored"]) == (False, 2)
    assert ledger.days[("news", DAY)].dated_elsewhere


def test_articles_near_midnight_alone_are_the_days_but_do_not_outweigh_other_days():
    ledger = DayLedger()
    ledger.listed("news", DAY, ["1", "2", "3"])
    ledger.listed("news", date(2020, 5, 26), ["4"])
    ledger.listing_finished("news", DAY)
    ledger.listing_finished("news", date(2020, 5, 26))
    next_day = datetime(2020, 5, 27, 17, 30, tzinfo=UTC)  # 00:30 WIB on the 28th
    later = datetime(2020, 5, 28, 3, tzinfo=UTC)
    near_only = datetime(2020, 5, 26, 16, 30, tzinfo=UTC)  # 23:30 WIB on the 26th
    ledger.stored(["1", "2", "3", "4"], {"1": next_day, "2": later, "3": later, "4": near_only})
    records = {r["day"]: r["complete"] for r in ledger.due("run", NOW)}
    assert records == {DAY: False, date(2020, 5, 26): True}


def test_one_article_in_the_day_is_enough():
    ledger = DayLedger()
    ledger.listed("news", DAY, ["1", "2"])
    ledger.listing_finished("news", DAY)
    in_day = datetime(2020, 5, 27, 3, tzinfo=UTC)
    ledger.stored(["1", "2"], {"1": datetime(2020, 5, 1, tzinfo=UTC), "2": in_day})
    (record,) = ledger.due("run", NOW)
    assert record["complete"] is True
