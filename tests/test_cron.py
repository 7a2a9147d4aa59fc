"""Run status, lock and retry timing: the pieces an unattended run depends on."""

from __future__ import annotations

import json
import os
import time

import pytest
from scrapy.settings import Settings

from newscrawl.middlewares import retry_after_seconds
from newscrawl.runlock import RunLock
from newscrawl.runstatus import failure_reasons

SETTINGS = Settings(
    {
        "NEWSCRAWL_MAX_SPIDER_ERRORS": 2,
        "NEWSCRAWL_QUALITY_FLOOR": 0.9,
        "NEWSCRAWL_QUALITY_MIN_ITEMS": 10,
    }
)

STATUS_CASES = [
    ("clean run", {"finish_reason": "finished", "item_scraped_count": 50}, []),
    (
        "store unavailable",
        {"newscrawl/store/unavailable": "MongoDB at h:1 is unreachable"},
        ["store unavailable"],
    ),
    (
        "store lost",
        {"finish_reason": "finished", "newscrawl/store/status": "failed"},
        ["store lost"],
    ),
    ("store error", {"finish_reason": "finished", "newscrawl/store/errors": 1}, ["store lost"]),
    ("shutdown", {"finish_reason": "shutdown"}, ["finish reason shutdown"]),
    ("few errors", {"finish_reason": "finished", "spider_exceptions/ValueError": 2}, []),
    (
        "many errors",
        {"finish_reason": "finished", "spider_exceptions/ValueError": 3},
        ["3 spider errors"],
    ),
    (
        "bad quality",
        {"finish_reason": "finished", "item_scraped_count": 8, "item_dropped_count": 4},
        ["quality 8/12"],
    ),
    (
        "quality with failures",
        {"finish_reason": "finished", "item_scraped_count": 18, "newscrawl/article_failed": 3},
        ["quality 18/21"],
    ),
    (
        "good enough",
        {"finish_reason": "finished", "item_scraped_count": 95, "item_dropped_count": 5},
        [],
    ),
    (
        "too few to judge",
        {"finish_reason": "finished", "item_scraped_count": 1, "item_dropped_count": 5},
        [],
    ),
]


@pytest.mark.parametrize(
    ("stats", "expected"), [c[1:] for c in STATUS_CASES], ids=[c[0] for c in STATUS_CASES]
)
def test_failure_reasons(stats, expected):
    reasons = failure_reasons(stats, SETTINGS)
    assert len(reasons) == len(expected)
    for reason, start in zip(reasons, expected, strict=True):
        assert start in reason


def test_lock_is_exclusive_and_released(tmp_path):
    first = RunLock(tmp_path / "a.lock", ttl=3600)
    second = RunLock(tmp_path / "a.lock", ttl=3600)
    assert first.acquire()
    assert not second.acquire()
    first.release()
    assert second.acquire()
    second.release()
    assert not (tmp_path / "a.lock").exists()


def test_lock_of_a_dead_process_is_taken_over(tmp_path):
    path = tmp_path / "a.lock"
    pid = os.fork() if hasattr(os, "fork") else None
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)  # a pid that no longer runs
    import socket

    path.write_text(json.dumps({"pid": pid, "host": socket.gethostname(), "started": time.time()}))
    assert RunLock(path, ttl=3600).acquire()


def test_lock_older_than_ttl_expires(tmp_path):
    path = tmp_path / "a.lock"
    path.write_text(json.dumps({"pid": 1, "host": "elsewhere", "started": time.time() - 7200}))
    assert not RunLock(path, ttl=10_000).acquire()  # another host, still fresh: respected
    assert RunLock(path, ttl=3600).acquire()  # older than the TTL: a crashed run


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
