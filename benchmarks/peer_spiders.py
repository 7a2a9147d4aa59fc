"""Plain Scrapy spider that benchmarks/bench_crawl.py measures newscrawl against.

PeerSpider walks a Liputan6 date archive the way ``scrapy crawl liputan6`` backfills it:
page 1 of every (channel, day), newest day first (priority -rank*10); every article a page
lists (priority +5); the next page (?page=N+1) while a page lists articles not seen before.
It uses plain parsel selectors and nothing from newscrawl. What it does with an article page
is its ``extract`` argument:

  extract=trafilatura  trafilatura.bare_extraction(html, url=..., with_metadata=True), one
                       item per article (write them with ``-O file.jsonl``);
  extract=none         nothing: a download-only crawl of the same pages.

Run from the repository root, e.g.:
  scrapy runspider benchmarks/peer_spiders.py -s ITEM_PIPELINES={} -a base=http://127.0.0.1:8000
      -a since=2024-01-01 -a until=2024-01-08 -a channels=news,bisnis,bola -a extract=trafilatura
      -O articles.jsonl
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar
from urllib.parse import urlsplit

import scrapy

# The title link of each archive list item (the page's sidebar links other days' articles).
ITEM_LINKS = (
    "#indeks-articles article.articles--rows--item a.articles--rows--item__title-link::attr(href)"
)
# trafilatura fields that are JSON values (the others are lxml trees).
PLAIN = (str, int, float, list, type(None))


class PeerSpider(scrapy.Spider):
    """The archive pages and article links of a backfill; trafilatura or nothing per article."""

    name = "bench_peer"
    custom_settings: ClassVar[dict] = {"ITEM_PIPELINES": {}}

    def __init__(
        self,
        base: str,
        since: str,
        until: str,
        channels: str,
        extract: str = "trafilatura",
        **kwargs,
    ):
        super().__init__(**kwargs)
        if extract not in ("trafilatura", "none"):
            raise ValueError(f"extract must be 'trafilatura' or 'none', not {extract!r}")
        self.base = base.rstrip("/")
        self.since, self.until = date.fromisoformat(since), date.fromisoformat(until)
        self.channels = channels.split(",")
        self.extractor = None
        if extract == "trafilatura":
            from trafilatura import bare_extraction  # only the extracting crawl imports it

            self.extractor = bare_extraction

    def archive_request(self, channel: str, day: date, page: int, seen: set, priority: int):
        """Page N of a channel's archive for one day."""
        url = f"{self.base}/{channel}/indeks/{day:%Y/%m/%d}"
        return scrapy.Request(
            url if page <= 1 else f"{url}?page={page}",
            callback=self.parse_archive,
            cb_kwargs={"channel": channel, "day": day, "page": page, "seen": seen},
            priority=priority,
        )

    async def start(self):
        for rank in range((self.until - self.since).days + 1):
            day = self.until - timedelta(days=rank)
            for channel in self.channels:
                yield self.archive_request(channel, day, 1, set(), -rank * 10)

    def parse_archive(self, response, channel, day, page, seen):
        priority = response.request.priority
        new = False
        for href in response.css(ITEM_LINKS).getall():
            path = urlsplit(href).path  # links name www.liputan6.com: fetch them from base
            if path in seen:
                continue
            seen.add(path)
            new = True
            yield scrapy.Request(
                self.base + path, callback=self.parse_article, priority=priority + 5
            )
        if new:
            yield self.archive_request(channel, day, page + 1, seen, priority)

    def parse_article(self, response):
        if self.extractor is None:
            return None
        doc = self.extractor(response.text, url=response.url, with_metadata=True)
        if doc is None:
            return None
        return {k: v for k, v in doc.as_dict().items() if isinstance(v, PLAIN)}
