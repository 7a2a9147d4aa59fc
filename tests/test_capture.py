"""Capture facts travel on the item: the spider puts how a page was fetched (when, where its
raw page was recorded, its validators) on the Article, and the store pipeline stores what the
item carries; nothing is kept aside for an article that is never stored."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, date, datetime

import pytest
from scrapy.http import HtmlResponse, Request

from newscrawl.exporters import JsonLinesExporter
from newscrawl.extensions.keeper import Keeper
from newscrawl.items import ARTICLE_FIELDS, Capture
from newscrawl.pipelines.dedupe import DuplicateArticle, DuplicatesPipeline
from tests.helpers import close_run, crawler_with, feed, open_archive, open_run
from tests.site import make_articles, render_article

RECORDED = datetime(2020, 5, 27, 10, 0, 0, 287000, tzinfo=UTC)


@pytest.fixture
def site_article():
    (article,) = make_articles(1, start_day=date(2020, 5, 27), days=1, seed=2)
    return article


def response(article, *, warc=None, headers=None) -> HtmlResponse:
    """The article's page as the crawl gets it (``warc``: as WarcRecorderMiddleware left it)."""
    url = f"https://www.liputan6.com{article.path}"
    request = Request(url, meta={"warc": warc} if warc else {})
    return HtmlResponse(
        url,
        body=render_article(article, 1).encode(),
        encoding="utf-8",
        headers=headers or {},
        request=request,
    )


def parsed(crawler, resp):
    (item,) = crawler.spider.parse_article(resp)
    return item


def test_the_article_carries_where_its_page_was_recorded_and_its_validators(tmp_path, site_article):
    crawler = crawler_with(tmp_path, NEWSCRAWL_RUN=False)
    warc = {"file": "run-00001.warc.gz", "offset": 1234, "captured_at": RECORDED}
    headers = {"ETag": '"v1"', "Last-Modified": "Wed, 27 May 2020 03:00:00 GMT"}
    item = parsed(crawler, response(site_article, warc=warc, headers=headers))
    assert item.capture == Capture(
        fetched_at=RECORDED,
        warc_file="run-00001.warc.gz",
        warc_offset=1234,
        etag='"v1"',
        last_modified="Wed, 27 May 2020 03:00:00 GMT",
    )


def test_unrecorded_the_fetch_time_is_when_the_spider_read_the_response(tmp_path, site_article):
    crawler = crawler_with(tmp_path, NEWSCRAWL_RUN=False)
    before = datetime.now(UTC)
    item = parsed(crawler, response(site_article))
    assert before <= item.capture.fetched_at <= datetime.now(UTC)
    assert item.capture.fields() == {"fetched_at": item.capture.fetched_at}


def test_the_capture_is_no_article_field(site_article, tmp_path):
    crawler = crawler_with(tmp_path, NEWSCRAWL_RUN=False)
    warc = {"file": "f.warc.gz", "offset": 0, "captured_at": RECORDED}
    item = parsed(crawler, response(site_article, warc=warc))
    assert "capture" not in ARTICLE_FIELDS
    assert "capture" not in item.to_dict()
    assert item == dataclasses.replace(item, capture=None)  # not part of what it says
    out = tmp_path / "feed.jsonl"
    with open(out, "wb") as fh:
        exporter = JsonLinesExporter(fh)
        exporter.export_item(item)
    assert '"capture"' not in out.read_text()


def stored(tmp_path, article_id: str) -> dict:
    store = open_archive(tmp_path)
    try:
        return store.get_article(article_id)
    finally:
        store.close()


def test_the_store_keeps_the_fetch_time_of_the_response_not_of_the_write(tmp_path, site_article):
    crawler = crawler_with(tmp_path)
    warc = {"file": "run-00001.warc.gz", "offset": 99, "captured_at": RECORDED}
    item = parsed(crawler, response(site_article, warc=warc, headers={"ETag": '"v1"'}))

    async def run():
        pipeline = await open_run(crawler)
        await feed(pipeline, [item])
        await close_run(crawler, pipeline)

    asyncio.run(run())
    doc = stored(tmp_path, item.article_id)
    assert doc["fetched_at"] == RECORDED
    assert (doc["warc_file"], doc["warc_offset"], doc["etag"]) == ("run-00001.warc.gz", 99, '"v1"')


def test_a_dropped_second_copy_changes_nothing_of_the_first_copys_capture(tmp_path, site_article):
    crawler = crawler_with(tmp_path)
    keeper = Keeper.of(crawler)
    first, second = (
        parsed(
            crawler,
            response(site_article, warc={"file": name, "offset": 1, "captured_at": RECORDED}),
        )
        for name in ("first.warc.gz", "second.warc.gz")
    )

    async def run():
        # Both copies are read before either reaches the store pipeline.
        pipeline = await open_run(crawler)
        dedupe = DuplicatesPipeline.from_crawler(crawler)
        kept = dedupe.process_item(first)
        with pytest.raises(DuplicateArticle) as dropped:
            dedupe.process_item(second)
        keeper.item_dropped(second, None, dropped.value)
        await feed(pipeline, [kept])
        await close_run(crawler, pipeline)

    asyncio.run(run())
    assert stored(tmp_path, first.article_id)["warc_file"] == "first.warc.gz"
    # Nothing of the dropped copy is kept aside by the keeper or any of its parts.
    parts = [keeper, *(v for v in vars(keeper).values() if hasattr(v, "__dict__"))]
    held = [v for part in parts for v in vars(part).values() if isinstance(v, dict)]
    assert not any(first.article_id in v for v in held)
