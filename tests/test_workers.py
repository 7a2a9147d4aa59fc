"""Extraction in worker processes gives what in-process extraction gives, and loses nothing."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest

from newscrawl.site.extraction import NotAnArticle, extract_article_pages
from newscrawl.workers import (
    TASKS,
    ExtractionPool,
    WorkerError,
    default_workers,
    outcome,
    result_of,
    workers_setting,
)

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLES = [
    "desktop_text_multipage.html",
    "desktop_photo_gallery.html",
    "desktop_video.html",
    "mobile_article.html",
    "amp_article.html",
    "hot_subdomain.html",
]
NOT_ARTICLES = ["channel_page.html", "tag_page.html", "indeks_page.html", "blocked_page.html"]


class Stats:
    """The part of Scrapy's stats collector the pool uses."""

    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count


def page(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


async def settle(pool: ExtractionPool, names: list[str]) -> list[tuple]:
    """Every page through the pool at once; each answer as (article dict, pages) or the error."""

    async def one(name: str):
        try:
            article, pages = await pool.extract(page(name), f"https://example.test/{name}")
        except NotAnArticle as exc:
            return ("not", exc.reason)
        return (article.to_dict(), pages)

    return await asyncio.gather(*(one(n) for n in names))


def in_process(names: list[str]) -> list[tuple]:
    answers = []
    for name in names:
        try:
            article, pages = extract_article_pages(page(name), url=f"https://example.test/{name}")
        except NotAnArticle as exc:
            answers.append(("not", exc.reason))
        else:
            answers.append((article.to_dict(), pages))
    return answers


@pytest.mark.parametrize("size", [0, 1, 2])
def test_pool_answers_exactly_as_in_process_extraction(size):
    names = ARTICLES + NOT_ARTICLES
    pool = ExtractionPool(size)

    async def run():
        try:
            return await settle(pool, names * 3)
        finally:
            await pool.aclose()

    assert asyncio.run(run()) == in_process(names * 3)
    assert pool.workers == []


def test_a_page_larger_than_the_pipe_buffer_goes_through_whole():
    # 64 KiB is a Linux pipe's buffer: larger pages are written as the worker drains them.
    filler = "<p>isi</p>" * 200_000  # about 2 MB of markup the extractor ignores
    html = (
        page("desktop_video.html").decode().replace("</body>", f"<div hidden>{filler}</div></body>")
    )
    pool = ExtractionPool(1)

    async def run():
        try:
            futures = [pool.extract(html.encode(), "https://example.test/big") for _ in range(4)]
            return await asyncio.gather(*futures)
        finally:
            await pool.aclose()

    answers = asyncio.run(run())
    expected = extract_article_pages(html.encode(), url="https://example.test/big")
    assert [a.to_dict() for a, _ in answers] == [expected[0].to_dict()] * 4


def test_a_killed_worker_loses_no_page_and_is_replaced():
    stats = Stats()
    pool = ExtractionPool(1, stats=stats)
    names = ARTICLES * 10

    async def run():
        try:
            first = await settle(pool, ARTICLES[:1])  # the worker is up
            victim = pool.workers[0]
            pending = asyncio.ensure_future(settle(pool, names))
            while len(victim.pending) < len(names):  # every page is written to the worker
                await asyncio.sleep(0)
            os.kill(victim.proc.pid, signal.SIGKILL)
            answers = await pending
            after = await settle(pool, ARTICLES)
            replaced = pool.workers[0] is not victim
            return first, answers, after, replaced
        finally:
            await pool.aclose()

    first, answers, after, replaced = asyncio.run(run())
    assert first == in_process(ARTICLES[:1])
    assert answers == in_process(names)
    assert after == in_process(ARTICLES)
    assert replaced
    assert stats.values["newscrawl/extract_workers/died"] == 1
    # What the dead worker had not answered was parsed in the crawl's own process.
    assert 0 < stats.values["newscrawl/extract_workers/parsed_in_process"] <= len(names)


def test_after_too_many_deaths_pages_are_parsed_in_process():
    stats = Stats()
    pool = ExtractionPool(1, stats=stats)

    async def run():
        try:
            for _ in range(5):
                await settle(pool, ARTICLES[:1])
                if not pool.workers:
                    break
                worker = pool.workers[0]
                os.kill(worker.proc.pid, signal.SIGKILL)
                worker.proc.wait()
                await asyncio.sleep(0.05)  # the loop sees the EOF
            return await settle(pool, ARTICLES)
        finally:
            await pool.aclose()

    assert asyncio.run(run()) == in_process(ARTICLES)
    assert pool.workers == []
    assert stats.values["newscrawl/extract_workers/died"] == 4


def test_close_stops_every_worker():
    pool = ExtractionPool(2)

    async def run():
        await settle(pool, ARTICLES)
        procs = [w.proc for w in pool.workers]
        await pool.aclose()
        return procs

    procs = asyncio.run(run())
    assert len(procs) == 2
    assert [p.returncode for p in procs] == [0, 0]


def test_outcomes_round_trip_values_and_errors():
    ok = outcome("article", page("desktop_video.html"), "https://example.test/v")
    assert ok[0] == "ok"
    assert result_of(ok)[0].type == "video"
    with pytest.raises(NotAnArticle) as raised:
        result_of(outcome("article", page("tag_page.html"), "https://example.test/t"))
    assert raised.value.reason == "tag page"
    with pytest.raises(WorkerError, match="ZeroDivisionError"):
        result_of(("error", "Traceback ...\nZeroDivisionError: division by zero\n"))


def test_a_bug_in_extraction_is_reported_not_fatal(monkeypatch):
    def broken(body, url):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setitem(TASKS, "article", broken)
    answer = outcome("article", b"<html></html>", "https://example.test/x")
    assert answer[0] == "error"
    with pytest.raises(WorkerError, match="ZeroDivisionError"):
        result_of(answer)


@pytest.mark.parametrize(
    ("cpus", "workers"),
    [(1, 0), (2, 1), (8, 1)],
)
def test_default_workers(cpus, workers):
    assert default_workers(cpus) == workers


@pytest.mark.parametrize(
    ("value", "count"),
    [
        (None, default_workers()),
        ("", default_workers()),
        ("auto", default_workers()),
        ("AUTO", default_workers()),
        ("0", 0),
        (" 2 ", 2),
        (3, 3),
    ],
)
def test_workers_setting(value, count):
    assert workers_setting(value) == count


@pytest.mark.parametrize("value", ["-1", "two", "1.5"])
def test_bad_workers_setting_is_refused_with_what_is_allowed(value):
    with pytest.raises(ValueError, match="'auto' or a whole number"):
        workers_setting(value)


def test_a_pool_started_before_the_event_loop_answers_once_it_runs():
    pool = ExtractionPool(1)
    pool.prestart()  # as the spider does in from_crawler, before Scrapy's loop runs
    assert [w.loop for w in pool.workers] == [None]

    async def run():
        try:
            return await settle(pool, ARTICLES)
        finally:
            await pool.aclose()

    assert asyncio.run(run()) == in_process(ARTICLES)
    assert pool.workers == []
