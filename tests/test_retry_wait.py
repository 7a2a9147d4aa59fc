"""Retries on Scrapy's surface: BackoffRetryMiddleware is Scrapy's RetryMiddleware with a wait,
and the wait is spent in the scheduler (newscrawl.scheduler.WaitingScheduler), not in a
download slot; a stop queues waiting retries, so a JOBDIR job finds them when it resumes."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from datetime import timedelta

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import DownloadTimeoutError
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from newscrawl import settings as project_settings
from newscrawl.middlewares import BackoffRetryMiddleware
from newscrawl.scheduler import NOT_BEFORE, WaitingScheduler
from newscrawl.spiders.options import today_wib
from newscrawl.stats import RETRY_QUEUED_AT_CLOSE
from tests.helpers import crawl, open_archive
from tests.site import Fault, LocalSite, make_articles

URL = "http://127.0.0.1/x"


def crawler_of(**settings):
    """A crawler with a spider, the project's scheduler and these settings."""
    crawler = get_crawler(Spider, {"SCHEDULER": project_settings.SCHEDULER, **settings})
    crawler.spider = Spider.from_crawler(crawler, name="t")
    return crawler


def middleware(crawler) -> BackoffRetryMiddleware:
    return BackoffRetryMiddleware.from_crawler(crawler)


def test_a_retry_is_handed_back_at_once_with_the_time_it_may_go():
    crawler = crawler_of()
    before = time.time()
    retry = middleware(crawler).process_response(
        Request(URL), Response(URL, status=429, headers={"Retry-After": "7"})
    )
    assert isinstance(retry, Request) and retry.meta["retry_times"] == 1
    assert before + 7 <= retry.meta[NOT_BEFORE] <= time.time() + 7
    assert crawler.stats.get_value("retry/count") == 1  # Scrapy's own retry stats
    assert crawler.stats.get_value("newscrawl/retry/waited_seconds") == 7


@pytest.mark.parametrize("level", ["WARNING", "DEBUG", "ERROR"])
def test_giving_up_is_logged_at_retry_give_up_log_level(caplog, level):
    crawler = crawler_of(RETRY_GIVE_UP_LOG_LEVEL=level, RETRY_TIMES=1)
    crawler.stats.set_value("response_received_count", 1)  # the site has answered
    mw = middleware(crawler)
    spent = Request(URL, meta={"retry_times": 1})
    with caplog.at_level(logging.DEBUG, logger="scrapy.downloadermiddlewares.retry"):
        response = Response(URL, status=503)
        assert mw.process_response(spent, response) is response
        assert mw.process_exception(spent, DownloadTimeoutError("slow")) is None
    gave_up = [r for r in caplog.records if r.getMessage().startswith("Gave up retrying")]
    assert [r.levelname for r in gave_up] == [level, level]
    assert crawler.stats.get_value("retry/max_reached") == 2


def test_the_give_up_log_level_of_a_request_wins(caplog):
    crawler = crawler_of(RETRY_TIMES=0)
    crawler.stats.set_value("response_received_count", 1)
    request = Request(URL, meta={"give_up_log_level": "INFO"})
    with caplog.at_level(logging.DEBUG, logger="scrapy.downloadermiddlewares.retry"):
        middleware(crawler).process_response(request, Response(URL, status=500))
    assert [r.levelname for r in caplog.records if "Gave up" in r.getMessage()] == ["INFO"]


# Scrapy's default queue asks the engine's downloader about slots; these tests have no engine.
PLAIN_QUEUE = {"SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.ScrapyPriorityQueue"}


def scheduler_of(crawler) -> WaitingScheduler:
    scheduler = WaitingScheduler.from_crawler(crawler)
    scheduler.open(crawler.spider)
    return scheduler


def test_the_scheduler_holds_a_retry_until_its_time_and_the_spider_stays_open():
    crawler = crawler_of(**PLAIN_QUEUE)
    sent = []
    crawler.engine = type("Engine", (), {"crawl": staticmethod(sent.append)})()

    async def run():
        scheduler = scheduler_of(crawler)
        waiting = Request(URL, meta={NOT_BEFORE: time.time() + 0.2})
        other = Request(URL + "/other")
        assert scheduler.enqueue_request(waiting) and scheduler.enqueue_request(other)
        assert scheduler.next_request() is other  # the waiting one is not handed out
        assert scheduler.next_request() is None
        assert scheduler.has_pending_requests() and len(scheduler) == 1
        await asyncio.sleep(0.4)
        assert sent == [waiting]  # back through the engine at its time
        assert not scheduler.has_pending_requests()
        assert scheduler.enqueue_request(waiting)  # as the engine does: now it is queued
        assert scheduler.next_request() is waiting and NOT_BEFORE not in waiting.meta
        scheduler.close("finished")

    asyncio.run(run())


def test_a_stop_queues_waiting_retries_on_disk_and_a_resumed_job_finds_them(tmp_path):
    settings = {"JOBDIR": str(tmp_path / "job"), **PLAIN_QUEUE}

    async def stop():
        crawler = crawler_of(**settings)
        scheduler = scheduler_of(crawler)
        scheduler.enqueue_request(
            Request(URL, meta={NOT_BEFORE: time.time() + 600, "retry_times": 1})
        )
        scheduler.close("shutdown")
        assert crawler.stats.get_value(RETRY_QUEUED_AT_CLOSE) == 1

    async def resume():
        scheduler = scheduler_of(crawler_of(**settings))
        request = scheduler.next_request()
        scheduler.close("finished")
        return request

    asyncio.run(stop())
    request = asyncio.run(resume())
    assert request.url == URL and request.meta["retry_times"] == 1
    assert NOT_BEFORE not in request.meta


# ---- whole crawls ----------------------------------------------------------------------


def site_articles(count: int, seed: int):
    return make_articles(
        count,
        start_day=today_wib() - timedelta(days=20),
        days=1,
        channels=("news",),
        seed=seed,
    )


def test_a_waiting_retry_holds_no_download_slot(tmp_path):
    articles = site_articles(6, seed=31)
    # Every article answers 429 (wait 3 s) once. One request at a time, a retry ranked before
    # every other request: the others are fetched while it waits only if the wait is not
    # spent in the downloader (there it would come right after its 429).
    faults = [Fault(f"/news/read/{a.article_id}/", "429", times=1, retry_after=3) for a in articles]
    day = f"{articles[0].day}"
    with LocalSite(articles, faults=faults) as site:
        done = crawl(
            site,
            tmp_path,
            f"since={day}",
            f"until={day}",
            "channels=news",
            CONCURRENT_REQUESTS="1",
            CONCURRENT_REQUESTS_PER_DOMAIN="1",
            RETRY_PRIORITY_ADJUST="10",
        )
        assert done.returncode == 0, done.stderr[-4000:]
        log = [(r.path, r.status) for r in site.requests.records if "/read/" in r.path]
    first_429 = next(i for i, (_, status) in enumerate(log) if status == 429)
    path = log[first_429][0]
    retried = next(i for i, (p, status) in enumerate(log) if p == path and status == 200)
    between = {p for p, _ in log[first_429 + 1 : retried]}
    assert between - {path}, log  # other articles were fetched while the retry waited
    store = open_archive(tmp_path)
    assert store.count_articles() == len(articles)
    store.close()


def test_a_retry_waiting_at_a_stop_is_sent_when_the_job_resumes(tmp_path):
    articles = site_articles(4, seed=32)
    slow = articles[0]
    day = f"{articles[0].day}"
    args = (f"since={day}", f"until={day}", "channels=news")
    jobdir = str(tmp_path / "job")
    faults = [Fault(f"/news/read/{slow.article_id}/", "429", times=1, retry_after=60)]
    with LocalSite(articles, faults=faults) as site:
        # The run's budget ends it while the retry waits its minute.
        stopped = crawl(site, tmp_path, *args, JOBDIR=jobdir, CLOSESPIDER_TIMEOUT="6")
        assert "Traceback" not in stopped.stderr, stopped.stderr[-4000:]
        assert re.search(rf"'{RETRY_QUEUED_AT_CLOSE}': 1,", stopped.stderr), stopped.stderr[-4000:]
        store = open_archive(tmp_path)
        assert store.get_article(slow.article_id) is None
        store.close()
        site.requests.clear()
        resumed = crawl(site, tmp_path, *args, JOBDIR=jobdir)
        assert resumed.returncode == 0, resumed.stderr[-4000:]
        assert site.requests.count_prefix(f"/news/read/{slow.article_id}/") == 1
    store = open_archive(tmp_path)
    assert store.get_article(slow.article_id) is not None
    assert store.count_articles() == len(articles)
    store.close()
