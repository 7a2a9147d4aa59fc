"""The liputan6 spider: navigation only; pages become Articles in newscrawl.extraction."""

from __future__ import annotations

from collections.abc import Iterator

import scrapy
from scrapy.http import Response

from newscrawl.extraction import NotAnArticle, extract_article
from newscrawl.urls import canonical_url, parse_article_url

# Channels with their own pages and date archives (SITE.md §2.2, verified 2026).
CHANNELS = (
    "news",
    "bisnis",
    "bola",
    "showbiz",
    "tekno",
    "health",
    "lifestyle",
    "global",
    "regional",
    "citizen6",
    "cek-fakta",
    "otomotif",
    "islami",
    "saham",
    "crypto",
    "hot",
)


def parse_channels(value: str | None) -> tuple[str, ...]:
    """Channels from a comma-separated argument; unknown names raise ValueError."""
    if not value:
        return CHANNELS
    wanted = tuple(dict.fromkeys(c.strip().lower() for c in value.split(",") if c.strip()))
    unknown = [c for c in wanted if c not in CHANNELS]
    if unknown or not wanted:
        raise ValueError(
            f"unknown channel(s): {', '.join(unknown) or value!r}; known: {', '.join(CHANNELS)}"
        )
    return wanted


class Liputan6Spider(scrapy.Spider):
    """Crawls the latest articles from Liputan6 channel pages."""

    name = "liputan6"

    def __init__(self, channels: str | None = None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.channels = parse_channels(channels)
        # Recorded with the crawl run so an operator sees what each run was asked to do.
        self.run_args = {"channels": ",".join(self.channels), **kwargs}

    async def start(self):
        """One request per channel page."""
        base = self.settings.get("LIPUTAN6_BASE_URL").rstrip("/")
        for channel in self.channels:
            yield scrapy.Request(f"{base}/{channel}", callback=self.parse_list)

    def parse_list(self, response: Response) -> Iterator[scrapy.Request]:
        """Follow every article link of a list page, on the configured base URL."""
        base = self.settings.get("LIPUTAN6_BASE_URL").rstrip("/")
        seen = set()
        for href in response.css("a::attr(href)").getall():
            url = canonical_url(response.urljoin(href))
            ref = parse_article_url(url) if url else None
            if ref is None or ref.article_id in seen:
                continue
            seen.add(ref.article_id)
            path = url.split("liputan6.com", 1)[1]
            yield scrapy.Request(base + path, callback=self.parse_article)

    def parse_article(self, response: Response):
        """One Article per article page; anything else is counted with its reason."""
        try:
            yield extract_article(response.text, url=response.url)
        except NotAnArticle as exc:
            self.crawler.stats.inc_value(f"newscrawl/not_article/{exc.reason}")
            self.logger.warning("Not an article: %s (%s)", response.url, exc)
