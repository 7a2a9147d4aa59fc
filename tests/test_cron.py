"""The run verdict's rules and retry timing: the pieces an unattended run depends on."""

from __future__ import annotations

import time

import pytest
from scrapy import signals
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from newscrawl import signals as newscrawl_signals
from newscrawl.extensions.verdict import (
    RunVerdict,
    days_incomplete,
    failure_reasons,
    run_warnings,
)
from newscrawl.middlewares import retry_after_seconds
from newscrawl.stats import VERDICT, VERDICT_REASONS

SETTINGS = Settings(
    {
        "NEWSCRAWL_MAX_SPIDER_ERRORS": 2,
        "NEWSCRAWL_MAX_LISTING_FAILURES": 3,
        "NEWSCRAWL_QUALITY_FLOOR": 0.9,
        "NEWSCRAWL_QUALITY_MIN_ITEMS": 10,
        "NEWSCRAWL_MAX_INCOMPLETE_DAYS": -1,
    }
)

# (name, stats, finish reason, the start of each expected reason)
STATUS_CASES = [
    ("clean run", {"item_scraped_count": 50}, "finished", []),
    (
        "store unavailable",
        {"newscrawl/store/unavailable": "MongoDB at h:1 is unreachable"},
        "store_unavailable",
        ["store unavailable", "finish reason store_unavailable"],
    ),
    (
        "store lost",
        {"newscrawl/store/lost": "SQLite file /a was deleted", "newscrawl/store/dead_letter": 7},
        "finished",
        ["store lost during the run (SQLite file /a was deleted); 7 articles"],
    ),
    (
        "store and dead-letter file lost",
        {"newscrawl/store/lost": "disk full", "newscrawl/store/unkept": 3},
        "dead_letter_failed",
        ["store lost", "3 articles could not be kept anywhere", "finish reason dead_letter_failed"],
    ),
    # A failed run that kept its store never blames the store.
    ("shutdown", {"item_scraped_count": 5}, "shutdown", ["finish reason shutdown"]),
    ("item limit", {}, "closespider_itemcount", ["finish reason closespider_itemcount"]),
    (
        "few errors",
        {"spider_exceptions/count": 2, "spider_exceptions/ValueError": 2},
        "finished",
        [],
    ),
    (
        "many errors, counted once",
        {"spider_exceptions/count": 3, "spider_exceptions/ValueError": 3},
        "finished",
        ["3 spider errors"],
    ),
    (
        "network down",
        {"downloader/request_count": 4, "response_received_count": 0},
        "finished",
        ["none of 4 requests got a response"],
    ),
    (
        "site never answered: one reason, not its consequences",
        {
            "newscrawl/unreachable": "cannot reach https://www.liputan6.com (DNS lookup failed)",
            "downloader/request_count": 2,
            "newscrawl/listing_failed": 23,
        },
        "site_unreachable",
        ["cannot reach https://www.liputan6.com (DNS lookup failed)"],
    ),
    ("listing failures", {"newscrawl/listing_failed": 4}, "finished", ["4 list pages failed"]),
    ("few listing failures", {"newscrawl/listing_failed": 3}, "finished", []),
    (
        "bad quality",
        {"item_scraped_count": 8, "item_dropped_count": 4},
        "finished",
        ["quality 8/12"],
    ),
    (
        "quality with failures",
        {"item_scraped_count": 18, "newscrawl/article_failed": 3},
        "finished",
        ["quality 18/21"],
    ),
    ("good enough", {"item_scraped_count": 95, "item_dropped_count": 5}, "finished", []),
    (
        "second copies are not bad articles",
        {"item_scraped_count": 20, "item_dropped_count": 10, "newscrawl/dropped/duplicate": 10},
        "finished",
        [],
    ),
    ("too few to judge", {"item_scraped_count": 1, "item_dropped_count": 5}, "finished", []),
    ("incomplete days, no limit", {"newscrawl/days/incomplete": 40}, "finished", []),
    (
        "list pages not recognised",
        {
            "newscrawl/lists/read/index": 6,
            "newscrawl/lists/unrecognised/index": 6,
            "newscrawl/lists/unrecognised/index_first": (
                "https://www.liputan6.com/news/indeks/2026/12/01"
            ),
            "newscrawl/lists/read/incremental": 2,
            "newscrawl/lists/unrecognised/incremental": 2,
            "newscrawl/lists/unrecognised/incremental_first": "https://x/news/indeks/2026/12/08",
        },
        "finished",
        [
            "8 list pages not recognised (first: https://www.liputan6.com/news/indeks/2026/12/01):"
            " the site's list markup may have changed; see docs/operations.md"
        ],
    ),
    (
        "a date index of other days",
        {"newscrawl/lists/other_days": 2, "newscrawl/lists/other_days_first": "u"},
        "finished",
        ["2 index pages listed only other days' articles (first: u): the date index ignored"],
    ),
    (
        "fronts read and empty",
        {"newscrawl/lists/read/channel": 2, "newscrawl/lists/empty/channel": 2},
        "finished",
        ["no article listed on any of 2 channel fronts read"],
    ),
    (
        "a walk read and empty",
        {"newscrawl/lists/read/incremental": 14, "newscrawl/lists/empty/incremental": 14},
        "finished",
        ["no article listed on any of 14 incremental walk pages read"],
    ),
    (
        "one front listing",
        {"newscrawl/lists/read/channel": 2, "newscrawl/lists/items/channel": 30},
        "finished",
        [],
    ),
    (
        "redirects answered",
        {"downloader/request_count": 2, "downloader/response_count": 2},
        "finished",
        [],
    ),
    (
        "refused",
        {"downloader/request_count": 3, "response_received_count": 3, "newscrawl/refused": 2},
        "finished",
        ["site refused 2 of 3 requests (blocked?)"],
    ),
    (
        "a few refusals",
        {"downloader/request_count": 50, "response_received_count": 50, "newscrawl/refused": 3},
        "finished",
        [],
    ),
    (
        "listed articles lost",
        {
            "newscrawl/listed/count": 30,
            "newscrawl/listed/stored": 21,
            "newscrawl/listed/lost/duplicate_filtered": 9,
        },
        "finished",
        ["only 21 of 30 listed articles stored (70%; duplicate_filtered: 9)"],
    ),
    (
        "listed articles not answered when a stopped run ended",
        {
            "newscrawl/listed/count": 30,
            "newscrawl/listed/stored": 6,
            "newscrawl/listed/waiting": 24,
        },
        "shutdown",
        ["finish reason shutdown"],
    ),
    (
        "listed articles mostly stored",
        {"newscrawl/listed/count": 30, "newscrawl/listed/stored": 28},
        "finished",
        [],
    ),
    (
        "the budget ended the run with revisits left",
        {"newscrawl/revisits/due": 80, "newscrawl/revisits/not_modified": 30},
        "closespider_timeout",
        [],
    ),
    ("a budget of requests", {}, "closespider_pagecount", []),
    ("Scrapy's other limits are no budget", {}, "closespider_itemcount", ["finish reason"]),
    (
        "most revisits failed",
        {
            "newscrawl/revisits/fetched": 5,
            "newscrawl/revisits/not_modified": 10,
            "newscrawl/revisits/failed/500": 12,
            "newscrawl/revisits/failed/404": 3,
        },
        "finished",
        ["15 of 30 revisits failed, above 1 - NEWSCRAWL_QUALITY_FLOOR=10%"],
    ),
    (
        "a few revisits of removed articles failed",
        {"newscrawl/revisits/not_modified": 40, "newscrawl/revisits/failed/404": 2},
        "finished",
        [],
    ),
]


@pytest.mark.parametrize(
    ("stats", "reason", "expected"),
    [c[1:] for c in STATUS_CASES],
    ids=[c[0] for c in STATUS_CASES],
)
def test_failure_reasons(stats, reason, expected):
    reasons = failure_reasons(stats, SETTINGS, reason)
    assert len(reasons) == len(expected), reasons
    for text, start in zip(reasons, expected, strict=True):
        assert text.startswith(start), text


@pytest.mark.parametrize(
    ("stats", "reason", "expected"),
    [
        ({"newscrawl/listed/waiting": 7}, "closespider_timeout", ["budget reached before 7"]),
        ({"newscrawl/listed/waiting": 7}, "shutdown", []),  # a failure of its own, not this
        ({}, "closespider_pagecount", []),
    ],
)
def test_a_budget_reached_before_the_news_is_a_warning(stats, reason, expected):
    warnings = run_warnings(stats, SETTINGS, reason)
    assert [w[: len(e)] for w, e in zip(warnings, expected, strict=False)] == expected
    assert len(warnings) == len(expected)


@pytest.mark.parametrize(
    ("limit", "incomplete", "fails"), [(-1, 9, False), (0, 1, True), (2, 2, False), (2, 3, True)]
)
def test_incomplete_days_rule_has_its_setting(limit, incomplete, fails):
    settings = Settings({"NEWSCRAWL_MAX_INCOMPLETE_DAYS": limit})
    reason = days_incomplete({"newscrawl/days/incomplete": incomplete}, settings, "finished")
    assert (reason is not None) == fails


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        (b"120", 120.0),
        ("5", 5.0),
        (b"0", 0.0),
        (None, None),
        (b"", None),
        (b"soon", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # a date in the past: no wait
    ],
)
def test_retry_after_header(header, seconds):
    assert retry_after_seconds(header) == seconds


def test_retry_after_http_date_in_the_future():
    now = time.time()
    from email.utils import formatdate

    assert retry_after_seconds(formatdate(now + 30, usegmt=True), now=now) == pytest.approx(
        30, abs=1
    )


def _middleware(**settings):
    from scrapy.utils.test import get_crawler

    from newscrawl.middlewares import BackoffRetryMiddleware

    crawler = get_crawler(
        settings_dict={"RETRY_BACKOFF_BASE": 2.0, "RETRY_BACKOFF_MAX": 60.0, **settings}
    )
    return BackoffRetryMiddleware.from_crawler(crawler)


@pytest.mark.parametrize(
    ("status", "headers", "retry_times", "expected"),
    [
        (429, {"Retry-After": "7"}, 0, 7.0),  # the server's wish wins
        (503, {"Retry-After": "500"}, 0, 120.0),  # capped by RETRY_AFTER_MAX
        (500, {}, 0, 2.0),  # exponential backoff: 2, 4, 8 ...
        (500, {}, 2, 8.0),
        (502, {}, 10, 60.0),  # capped by RETRY_BACKOFF_MAX
    ],
)
def test_retry_waits(status, headers, retry_times, expected):
    from scrapy.http import Request, Response

    request = Request("http://127.0.0.1/x", meta={"retry_times": retry_times})
    response = Response("http://127.0.0.1/x", status=status, headers=headers)
    assert _middleware().delay_for(request, response) == expected


@pytest.mark.parametrize(
    ("status", "body", "counted"),
    [
        (200, b"<html><title>Berita</title>", None),
        (403, b"forbidden", "403"),
        (429, b"", None),  # slow down, not refused: the retries wait
        (503, b"", "503"),
        (404, b"", None),
        (200, b"<HTML><HEAD>\n<TITLE>Access Denied</TITLE>", "page"),
        (200, b"<html><head><title>Just a moment...</title>", "page"),
    ],
)
def test_refusals_are_counted_by_kind(status, body, counted):
    from types import SimpleNamespace

    from scrapy.http import HtmlResponse, Request
    from scrapy.statscollectors import MemoryStatsCollector

    from newscrawl.middlewares import RefusalCounter

    stats = MemoryStatsCollector(SimpleNamespace(settings=Settings()))
    counter = RefusalCounter(stats)
    request = Request("https://www.liputan6.com/news")
    response = HtmlResponse(request.url, status=status, body=body, request=request)
    assert counter.process_response(request, response) is response
    expected = {"newscrawl/refused": 1, f"newscrawl/refused/{counted}": 1} if counted else {}
    assert stats.get_stats() == expected


def test_a_reset_is_counted_and_left_to_the_retry_middleware():
    from types import SimpleNamespace

    from scrapy.http import Request
    from scrapy.statscollectors import MemoryStatsCollector
    from twisted.internet.error import ConnectionLost

    from newscrawl.middlewares import RefusalCounter

    stats = MemoryStatsCollector(SimpleNamespace(settings=Settings()))
    counter = RefusalCounter(stats)
    assert counter.process_exception(Request("https://x.test/"), ConnectionLost()) is None
    assert counter.process_exception(Request("https://x.test/"), ValueError()) is None
    assert stats.get_stats() == {"newscrawl/refused": 1, "newscrawl/refused/reset": 1}


def test_count_first_keeps_the_first_place_and_says_when_it_is_the_first():
    from types import SimpleNamespace

    from scrapy.statscollectors import MemoryStatsCollector

    from newscrawl.stats import count_first

    stats = MemoryStatsCollector(SimpleNamespace(settings=Settings()))
    assert [count_first(stats, "n/x", where) for where in ("a", "b", "c")] == [True, False, False]
    assert stats.get_stats() == {"n/x": 3, "n/x_first": "a"}


# ---- when the verdict decides ----------------------------------------------------------------


def verdict_of_a_crawler(**settings):
    """A verdict on a crawler of its own, its stats open, connected as Scrapy connects it."""
    crawler = get_crawler(settings_dict={"EXTENSIONS": {}, **settings})
    crawler.stats.open_spider()
    return crawler, RunVerdict.from_crawler(crawler)


def test_without_a_keeper_the_verdict_decides_at_spider_closed():
    crawler, verdict = verdict_of_a_crawler()
    crawler.signals.send_catch_log(signals.spider_closed, spider=None, reason="shutdown")
    assert verdict.reasons == ["finish reason shutdown"]
    assert crawler.stats.get_value(VERDICT_REASONS) == ["finish reason shutdown"]


def test_with_a_keeper_counting_the_verdict_waits_for_its_counts():
    crawler, verdict = verdict_of_a_crawler(NEWSCRAWL_MAX_INCOMPLETE_DAYS=0)
    crawler.signals.send_catch_log(newscrawl_signals.run_counting)
    crawler.signals.send_catch_log(signals.spider_closed, spider=None, reason="finished")
    assert verdict.reasons is None  # the keeper is still writing the days
    crawler.stats.set_value("newscrawl/days/incomplete", 3)
    crawler.signals.send_catch_log(newscrawl_signals.run_counted, reason="finished")
    assert verdict.reasons == ["3 days left incomplete (NEWSCRAWL_MAX_INCOMPLETE_DAYS=0)"]
    assert crawler.stats.get_value(VERDICT) == "failed"
