"""Spider arguments: every mistake refused with a message that says what to do."""

from __future__ import annotations

from datetime import date

import pytest

from newscrawl.spiders.options import CHANNELS, ArgumentError, parse_options

TODAY = date(2026, 11, 24)

GOOD = [
    ({}, "latest", CHANNELS, None, None),
    ({"channels": "news,bisnis"}, "latest", ("news", "bisnis"), None, None),
    ({"channels": " News , bisnis,news "}, "latest", ("news", "bisnis"), None, None),
    ({"since": "2026-11-01"}, "backfill", CHANNELS, date(2026, 11, 1), TODAY),
    (
        {"since": "2019-01-02", "until": "2019-01-03", "channels": "bisnis"},
        "backfill",
        ("bisnis",),
        date(2019, 1, 2),
        date(2019, 1, 3),
    ),
    (
        {"since": "2020-05-28", "until": "2020-05-28"},
        "backfill",
        CHANNELS,
        date(2020, 5, 28),
        date(2020, 5, 28),
    ),
    ({"mode": "incremental"}, "incremental", CHANNELS, None, None),
    ({"mode": "INCREMENTAL", "channels": "hot"}, "incremental", ("hot",), None, None),
    ({"mode": "latest"}, "latest", CHANNELS, None, None),
]


@pytest.mark.parametrize(("args", "mode", "channels", "since", "until"), GOOD)
def test_good_arguments(args, mode, channels, since, until):
    options = parse_options(args, today=TODAY)
    assert (options.mode, options.channels, options.since, options.until) == (
        mode,
        channels,
        since,
        until,
    )


BAD = [
    ({"channels": "bogus"}, "unknown channel(s): bogus; known: news"),
    ({"channels": "news,sport"}, "unknown channel(s): sport"),
    ({"channels": ","}, "unknown channel"),
    ({"since": "2020-13-01"}, "since='2020-13-01' is not a date: use YYYY-MM-DD"),
    ({"since": "yesterday"}, "is not a date"),
    ({"since": "2020/05/01"}, "is not a date"),
    ({"since": "2020-05-02", "until": "2020-05-01"}, "the range ends before it starts"),
    ({"since": "2027-01-01"}, "is in the future"),
    ({"since": "1999-12-31"}, "before the date index starts"),
    ({"until": "2020-05-01"}, "a backfill needs since=YYYY-MM-DD"),
    ({"mode": "everything"}, "mode='everything': use one of latest, backfill, incremental"),
    ({"mode": "incremental", "since": "2020-05-01"}, "since/until belong to mode=backfill"),
    ({"order": "random", "since": "2020-05-01"}, "order='random': use newest or oldest"),
    ({"refresh": "maybe", "since": "2020-05-01"}, "refresh='maybe': use 1 or 0"),
    ({"chanels": "news"}, "unknown argument(s): chanels"),
    # What `since=$(date ...)` gives when `date` fails: an error, not a crawl of another mode.
    ({"since": ""}, "since= is empty: use YYYY-MM-DD (did the command giving it fail?)"),
    ({"since": " "}, "since= is empty"),
    ({"since": "2020-05-01", "until": ""}, "until= is empty: use YYYY-MM-DD"),
    ({"until": "", "mode": "latest"}, "until= is empty"),
]


@pytest.mark.parametrize(("args", "message"), BAD)
def test_bad_arguments_are_refused_clearly(args, message):
    with pytest.raises(ArgumentError) as exc:
        parse_options(args, today=TODAY)
    assert message in str(exc.value)


def test_days_newest_first_unless_oldest():
    options = parse_options({"since": "2020-05-01", "until": "2020-05-03"}, today=TODAY)
    assert options.days() == [date(2020, 5, 3), date(2020, 5, 2), date(2020, 5, 1)]
    options = parse_options(
        {"since": "2020-05-01", "until": "2020-05-03", "order": "oldest"}, today=TODAY
    )
    assert options.days() == [date(2020, 5, 1), date(2020, 5, 2), date(2020, 5, 3)]


def test_refresh_flag():
    assert parse_options({"since": "2020-05-01", "refresh": "1"}, today=TODAY).refresh
    assert not parse_options({"since": "2020-05-01"}, today=TODAY).refresh
