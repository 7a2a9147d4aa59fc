"""The revisit schedule and the run budget (newscrawl.schedule): pure functions, by table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newscrawl.schedule import Budget, next_due, parse_budget, parse_duration, parse_schedule

H = timedelta(hours=1)
P = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90s", timedelta(seconds=90)),
        ("45m", timedelta(minutes=45)),
        (" 3h ", 3 * H),
        ("1.5d", 36 * H),
        ("24H", 24 * H),
    ],
)
def test_durations(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "3", "h", "3 hours", "-3h", "3h30m", "1w"])
def test_what_is_no_duration_is_refused(text):
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3h,24h", (3 * H, 24 * H)),
        ("24h, 1h ,6h", (H, 6 * H, 24 * H)),  # sorted
        ("", ()),
        ("  ", ()),
        (None, ()),
        ("2d", (48 * H,)),
    ],
)
def test_schedules(text, expected):
    assert parse_schedule(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [("0h,3h", "more than 0"), ("3h,180m", "given once"), ("3h,,24h", "not a duration")],
)
def test_bad_schedules_are_refused(text, message):
    with pytest.raises(ValueError, match=message):
        parse_schedule(text)


SCHEDULE = (3 * H, 24 * H)


@pytest.mark.parametrize(
    ("fetched_after", "due_after"),
    [
        (timedelta(minutes=20), 3 * H),  # the first fetch of a new article
        (3 * H - timedelta(seconds=1), 3 * H),
        (3 * H, 24 * H),  # a revisit exactly at an age moves on to the next
        (3 * H + timedelta(minutes=10), 24 * H),
        (10 * H, 24 * H),
        (24 * H + timedelta(minutes=5), None),  # the schedule is spent
        (30 * 24 * H, None),  # a backfill of an old day: never revisited
    ],
)
def test_next_due_is_the_first_age_after_the_fetch(fetched_after, due_after):
    due = next_due(P, P + fetched_after, SCHEDULE)
    assert due == (None if due_after is None else P + due_after)


def test_an_article_fetched_late_skips_the_ages_it_missed():
    # Fetched first 7 hours after publication (a run after hours off): one revisit left.
    assert next_due(P, P + 7 * H, SCHEDULE) == P + 24 * H


def test_no_publication_time_or_no_schedule_means_no_revisit():
    assert next_due(None, P, SCHEDULE) is None
    assert next_due(P, P, ()) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Budget()),
        ("0", Budget()),
        (None, Budget()),
        ("50m", Budget(seconds=3000)),
        ("2700s", Budget(seconds=2700)),
        ("2000 requests", Budget(requests=2000)),
        ("1 request", Budget(requests=1)),
        ("500r", Budget(requests=500)),
        ("50m, 2000 requests", Budget(seconds=3000, requests=2000)),
    ],
)
def test_budgets(text, expected):
    assert parse_budget(text) == expected
    assert bool(parse_budget(text)) == (expected != Budget())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("50", "not a duration"),
        ("0 requests", "at least 1"),
        ("0m", "more than 0"),
        ("1h, 2h", "time twice"),
        ("5 requests, 6r", "requests twice"),
    ],
)
def test_bad_budgets_are_refused(text, message):
    with pytest.raises(ValueError, match=message):
        parse_budget(text)
