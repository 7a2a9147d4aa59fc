"""The liputan6 spider: navigation only; pages become Articles in newscrawl.site.extraction.

Three modes (see docs/operations.md):
  latest       (default) the articles linked from each channel's front page;
  backfill     since=/until=: every article listed in the date archive, day by day,
               recorded in a per-day ledger so finished days are skipped next time;
  incremental  from today backwards, stopping a channel at a run of already-stored articles.
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import scrapy
from scrapy import signals
from scrapy.http import Response
from twisted.internet import task, threads
from twisted.python.failure import Failure

from newscrawl.site.extraction import NotAnArticle
from newscrawl.site.navigation import channel_url, indeks_url, rebase
from newscrawl.spiders.options import CrawlOptions, parse_options, today_wib
from newscrawl.stats import NOT_ARTICLE, PREFIX
from newscrawl.store import open_store
from newscrawl.workers import ExtractionPool, workers_setting

DAYS = f"{PREFIX}/days"


@dataclass
class DayWalk:
    """Progress of one (channel, day) of the archive within this run."""

    channel: str
    day: date
    pages: int = 0
    listed: set[str] = field(default_factory=set)
    already_stored: int = 0
    fetched: int = 0
    failed: int = 0
    outstanding: int = 0
    listing_done: bool = False
    listing_failed: bool = False
    recorded: bool = False
    final: bool = False
    """Recorded complete: the ledger holds its final counts."""

    @property
    def walked(self) -> bool:
        """The listing is read to its end and every listed article is answered."""
        return self.listing_done and self.outstanding == 0


@dataclass
class ChannelWalk:
    """Progress of one channel in incremental mode."""

    channel: str
    day: date
    days_back: int = 0
    stored_run: int = 0
    stopped: bool = False


def _page(response: Response) -> tuple[bytes, str, str | None]:
    """What the parsing pool needs of a response: body, URL, Content-Type (decoded there)."""
    content_type = response.headers.get(b"Content-Type")
    return response.body, response.url, content_type.decode("latin-1") if content_type else None


class Liputan6Spider(scrapy.Spider):
    """Crawls Liputan6: channel fronts, date-archive backfills and incremental runs."""

    name = "liputan6"

    def __init__(self, *args, **kwargs):
        super().__init__(*args)
        self.options: CrawlOptions = parse_options(kwargs)
        # Recorded with the crawl run so an operator sees what each run was asked to do.
        self.run_args = {
            k: (
                v.isoformat() if isinstance(v, date) else ",".join(v) if isinstance(v, tuple) else v
            )
            for k, v in dataclasses.asdict(self.options).items()
        }
        self.walks: dict[tuple[str, date], DayWalk] = {}
        self.days_asked = 0
        self.days_skipped = 0
        self.store = None
        self._progress: task.LoopingCall | None = None
        self._started = time.monotonic()
        self._store_lock = threading.Lock()
        # Where pages are parsed (EXTRACTION_WORKERS); in-process until from_crawler sets it.
        self.pool = ExtractionPool(0)

    @classmethod
    def check_arguments(cls, args: dict[str, str]) -> None:
        """Raise ArgumentError for bad -a arguments (used by the crawl command before crawling)."""
        parse_options(args)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.pool = ExtractionPool(workers_setting(crawler.settings.get("EXTRACTION_WORKERS")))
        spider.pool.prestart()
        crawler.signals.connect(spider.on_closed, signal=signals.spider_closed)
        return spider

    @property
    def base(self) -> str:
        """Where the site is: LIPUTAN6_BASE_URL (a local copy in tests)."""
        return self.settings.get("LIPUTAN6_BASE_URL").rstrip("/")

    # ---- start -------------------------------------------------------------------------

    async def start(self):
        """The first requests of the chosen mode."""
        self.pool.stats = self.crawler.stats
        interval = self.settings.getfloat("NEWSCRAWL_PROGRESS_INTERVAL", 60.0)
        if interval > 0:
            self._progress = task.LoopingCall(self.log_progress)
            self._progress.start(interval, now=False)
        if self.options.mode == "latest":
            for channel in self.options.channels:
                yield scrapy.Request(
                    channel_url(self.base, channel),
                    callback=self.parse_channel,
                    errback=self.listing_failed,
                )
            return
        self.store = open_store(self.settings)
        await self._store_call(self.store.open)
        if self.options.mode == "incremental":
            today = today_wib()
            for channel in self.options.channels:
                walk = ChannelWalk(channel, today)
                yield self._incremental_request(walk, 1)
            return
        async for request in self._backfill_requests():
            yield request

    async def _backfill_requests(self):
        """Page 1 of every (channel, day) not yet completely walked, newest day first.

        Yielded lazily: a backfill of years asks for tens of thousands of days, and Scrapy
        takes start requests as it needs them.
        """
        days = self.options.days()
        ledger = await self._store_call(self.store.get_days, self.options.channels, days)
        todo = []
        for rank, day in enumerate(days):
            for channel in self.options.channels:
                self.days_asked += 1
                record = ledger.get((channel, day))
                if record and record.get("complete") and not self.options.refresh:
                    self.days_skipped += 1
                    self.crawler.stats.inc_value(f"{DAYS}/skipped_complete")
                else:
                    todo.append((rank, channel, day))
        self.logger.info(
            "Backfill of %d channel-days (%s to %s, %s first): %d already complete, %d to walk",
            self.days_asked,
            self.options.since,
            self.options.until,
            self.options.order,
            self.days_skipped,
            len(todo),
        )
        for rank, channel, day in todo:
            walk = DayWalk(channel, day)
            self.walks[(channel, day)] = walk
            yield self._archive_request(walk, 1, priority=-rank * 10)

    def _archive_request(self, walk: DayWalk, page: int, priority: int = 0) -> scrapy.Request:
        """One page of a channel's archive day."""
        return scrapy.Request(
            indeks_url(self.base, walk.channel, walk.day, page),
            callback=self.parse_archive,
            errback=self.archive_failed,
            cb_kwargs={"walk": walk, "page": page, "priority": priority},
            priority=priority,
        )

    def _incremental_request(self, walk: ChannelWalk, page: int) -> scrapy.Request:
        """One page of the archive day an incremental walk has reached."""
        return scrapy.Request(
            indeks_url(self.base, walk.channel, walk.day, page),
            callback=self.parse_incremental,
            errback=self.listing_failed,
            cb_kwargs={"walk": walk, "page": page},
        )

    def listing_failed(self, failure: Failure) -> None:
        """A channel or archive page failed after retries: counted, and judged at the end."""
        self.crawler.stats.inc_value(f"{PREFIX}/listing_failed")
        self.logger.error("List page failed: %s (%s)", failure.request.url, failure.value)

    def _article_request(self, url: str, priority: int = 0, **cb_kwargs) -> scrapy.Request:
        """An article page, moved onto the configured base URL."""
        return scrapy.Request(
            rebase(url, self.base),
            callback=self.parse_article,
            errback=self.article_failed,
            cb_kwargs=cb_kwargs,
            priority=priority,
        )

    # ---- latest ------------------------------------------------------------------------

    async def parse_channel(self, response: Response) -> list:
        """Every article linked from a channel front page."""
        listed = await self.pool.listing("channel", *_page(response))
        return [self._article_request(item.url) for item in listed]

    # ---- backfill ----------------------------------------------------------------------

    async def parse_archive(self, response: Response, walk: DayWalk, page: int, priority: int):
        """One archive page: request its new articles and the next page, or finish the day."""
        items = await self.pool.listing("archive", *_page(response))
        walk.pages += 1
        new = [item for item in items if item.article_id not in walk.listed]
        if new:
            walk.listed.update(item.article_id for item in new)
            stored = set()
            if not self.options.refresh:
                stored = await self._store_call(
                    self.store.existing_ids, [i.article_id for i in new]
                )
            for item in new:
                if item.article_id in stored:
                    walk.already_stored += 1
                    continue
                walk.outstanding += 1
                yield self._article_request(item.url, priority=priority + 5, walk=walk)
        if new and page < self.settings.getint("ARCHIVE_MAX_PAGES", 200):
            yield self._archive_request(walk, page + 1, priority=priority)
        else:
            # An empty page ends the day; so does a page adding nothing new (the site
            # repeats its last page past the end).
            walk.listing_done = True
            self._day_answered(walk)

    def archive_failed(self, failure: Failure):
        """An archive page failed after retries: the day stays incomplete."""
        walk: DayWalk = failure.request.cb_kwargs["walk"]
        walk.listing_failed = True
        walk.listing_done = True
        self.listing_failed(failure)
        self._day_answered(walk)

    def _day_answered(self, walk: DayWalk) -> None:
        """Record a day in the ledger as soon as its walk is over (again at close)."""
        if walk.walked and not walk.recorded:
            walk.recorded = True
            self.crawler.stats.inc_value(f"{DAYS}/walked")
            d = threads.deferToThread(self._locked, self._record_days, [walk])
            d.addErrback(lambda f: self.logger.error("Ledger write failed: %s", f.value))

    def _locked(self, func, *args):
        """Call a store method holding the spider's store lock (one thread at a time)."""
        with self._store_lock:
            return func(*args)

    async def _store_call(self, func, *args):
        """A store call in a worker thread, so the crawl never waits on the database."""
        return await asyncio.to_thread(self._locked, func, *args)

    def _record_days(self, walks: list[DayWalk]) -> None:
        """Write ledger records; a day is complete when every listed article is stored."""
        now = datetime.now(UTC)
        records = []
        for walk in walks:
            if walk.final:
                continue
            stored = len(self.store.existing_ids(sorted(walk.listed))) if walk.listed else 0
            complete = walk.walked and not walk.listing_failed and stored == len(walk.listed)
            records.append(
                {
                    "channel": walk.channel,
                    "day": walk.day,
                    "pages": walk.pages,
                    "listed": len(walk.listed),
                    "stored": stored,
                    "failed": walk.failed,
                    "complete": complete,
                    "walked_at": now,
                    "run_id": self.crawler.stats.get_value("newscrawl/store/run_id"),
                }
            )
            if complete:
                # Nothing about this day can change any more: free its id set.
                walk.final = True
                walk.listed = set()
        self.store.put_days(records)

    # ---- incremental -------------------------------------------------------------------

    async def parse_incremental(self, response: Response, walk: ChannelWalk, page: int):
        """Fetch what is new; stop the channel at a run of articles already stored."""
        items = await self.pool.listing("archive", *_page(response))
        if not items:
            max_days = self.settings.getint("INCREMENTAL_MAX_DAYS", 7)
            if walk.days_back + 1 < max_days and not walk.stopped:
                walk.days_back += 1
                walk.day -= timedelta(days=1)
                yield self._incremental_request(walk, 1)
            return
        stop_after = self.settings.getint("INCREMENTAL_STOP_AFTER", 20)
        recent = datetime.now(UTC) - timedelta(
            days=self.settings.getfloat("REFETCH_RECENT_DAYS", 2)
        )
        stored = await self._store_call(self.store.existing_ids, [i.article_id for i in items])
        for item in items:
            if item.article_id in stored:
                published = _parse_listed_time(item.published)
                if published is not None and published >= recent:
                    # Young articles are fetched again so that edits reach the history.
                    self.crawler.stats.inc_value(f"{PREFIX}/incremental/refetched")
                    yield self._article_request(item.url)
                    continue
                walk.stored_run += 1
                if walk.stored_run >= stop_after:
                    walk.stopped = True
                    self.logger.info(
                        "Channel %s: %d stored articles in a row, stopping at %s",
                        walk.channel,
                        walk.stored_run,
                        walk.day,
                    )
                    return
                continue
            walk.stored_run = 0
            yield self._article_request(item.url)
        yield self._incremental_request(walk, page + 1)

    # ---- articles ----------------------------------------------------------------------

    # Article callbacks are coroutines returning a list, not async generators: Scrapy then
    # runs their output through its cheaper synchronous middleware path.

    async def parse_article(self, response: Response, walk: DayWalk | None = None) -> list:
        """One Article per article page, completed from ?page=N when pages are missing."""
        try:
            article, pages_found = await self.pool.extract(*_page(response))
        except NotAnArticle as exc:
            self.crawler.stats.inc_value(f"{NOT_ARTICLE}/{exc.reason}")
            self.logger.warning("Not an article: %s (%s)", response.url, exc)
            self._article_done(walk, ok=False)
            return []
        if article.page_count and pages_found and pages_found < article.page_count:
            return [self._page_request(response, article, pages_found + 1, walk)]
        self._article_done(walk, ok=True)
        return [article]

    async def parse_more(
        self, response: Response, article, page: int, walk: DayWalk | None
    ) -> list:
        """Page N of a split article: append its text, then the next page or the article."""
        try:
            more, _ = await self.pool.extract(*_page(response))
        except NotAnArticle as exc:
            self.crawler.stats.inc_value(f"{PREFIX}/incomplete_article/{exc.reason}")
            more = None
        if more is not None and more.body:
            article.body = f"{article.body}\n\n{more.body}" if article.body else more.body
            article.word_count = len(article.body.split())
        if more is not None and page < article.page_count:
            return [self._page_request(response, article, page + 1, walk)]
        self._article_done(walk, ok=True)
        return [article]

    def _page_request(self, response: Response, article, page: int, walk: DayWalk | None):
        """Page N of a split article (the post-2021 site serves one page per response)."""
        return response.follow(
            f"{response.url.split('?')[0]}?page={page}",
            callback=self.parse_more,
            errback=self.more_failed,
            cb_kwargs={"article": article, "page": page, "walk": walk},
        )

    def more_failed(self, failure: Failure):
        """A later page failed: keep the article with the pages we have, and count it."""
        kwargs = failure.request.cb_kwargs
        self.crawler.stats.inc_value(f"{PREFIX}/incomplete_article/page_failed")
        self.logger.warning(
            "Page %s of %s failed: %s", kwargs["page"], failure.request.url, failure.value
        )
        self._article_done(kwargs.get("walk"), ok=True)
        yield kwargs["article"]

    def article_failed(self, failure: Failure):
        """An article page failed after retries: count it against its day."""
        self.crawler.stats.inc_value(f"{PREFIX}/article_failed")
        self.logger.error("Article failed: %s (%s)", failure.request.url, failure.value)
        self._article_done(failure.request.cb_kwargs.get("walk"), ok=False)

    def _article_done(self, walk: DayWalk | None, *, ok: bool) -> None:
        """Count one answered article of a day, and record the day when it is the last."""
        if walk is None:
            return
        walk.outstanding -= 1
        if ok:
            walk.fetched += 1
        else:
            walk.failed += 1
        self._day_answered(walk)

    # ---- progress and close ------------------------------------------------------------

    def log_progress(self) -> None:
        """A line a person can follow on a long crawl."""
        stats = self.crawler.stats
        stored = (stats.get_value("newscrawl/store/new", 0) or 0) + (
            stats.get_value("newscrawl/store/updated", 0) or 0
        )
        scraped = stats.get_value("item_scraped_count", 0) or 0
        minutes = max((time.monotonic() - self._started) / 60, 1e-9)
        if self.options.mode == "backfill":
            done = sum(1 for w in self.walks.values() if w.walked) + self.days_skipped
            self.logger.info(
                "Progress: %d of %d channel-days done, %d articles scraped, %d stored (%.0f/min)",
                done,
                self.days_asked,
                scraped,
                stored,
                scraped / minutes,
            )
        else:
            self.logger.info(
                "Progress: %d articles scraped, %d stored (%.0f/min)",
                scraped,
                stored,
                scraped / minutes,
            )

    async def on_closed(self, spider, reason):
        """Record every day walked in this run, now that the pipeline has stored everything."""
        if self._progress is not None and self._progress.running:
            self._progress.stop()
        await self.pool.aclose()
        if self.store is None:
            return
        try:
            if self.walks:
                await self._store_call(self._record_days, list(self.walks.values()))
                incomplete = [w for w in self.walks.values() if not w.walked or w.failed]
                self.crawler.stats.set_value(f"{DAYS}/incomplete", len(incomplete))
                self.logger.info(
                    "Days: %d asked, %d already complete, %d walked, %d incomplete",
                    self.days_asked,
                    self.days_skipped,
                    sum(1 for w in self.walks.values() if w.walked),
                    len(incomplete),
                )
                for walk in incomplete[:20]:
                    self.logger.warning(
                        "Day %s %s incomplete: %d listed, %d failed%s",
                        walk.channel,
                        walk.day,
                        len(walk.listed),
                        walk.failed,
                        "" if walk.walked else ", walk interrupted",
                    )
        finally:
            await self._store_call(self.store.close)


def _parse_listed_time(text: str | None) -> datetime | None:
    """The ISO time of an archive item (with +07:00), as UTC."""
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).astimezone(UTC)
    except ValueError:
        return None
