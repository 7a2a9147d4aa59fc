"""The keeper: the run's one owner of the store, made of small parts, one per role.

The crawler builds it once (an extension). Its parts follow the store's protocols:
``connection`` (the store, its thread, its background writes), ``locks``, ``runs`` (the run
record), ``days`` (the day ledger and its records, the JOBDIR state), ``listed`` (what became
of every listed article), ``articles`` (stored ids, batch writes), ``revisits`` (due
articles, checks). What a fetch was (when, where its page was recorded) travels on the item
itself (``Article.capture``). The spider and the store pipeline call those parts; the keeper
itself opens the run, routes the events that touch several parts, and closes the run in
order: the verdict is decided, by its own extension, between the last counts and the run
record.
"""

from __future__ import annotations

import logging
from datetime import date

from scrapy import signals
from scrapy.exceptions import CloseSpider

from newscrawl import signals as newscrawl_signals
from newscrawl.extensions import required_extension
from newscrawl.extensions.keeper.articles import ArticleWriter
from newscrawl.extensions.keeper.connection import StoreConnection
from newscrawl.extensions.keeper.days import Days
from newscrawl.extensions.keeper.listed import Listed
from newscrawl.extensions.keeper.locks import RunLocks
from newscrawl.extensions.keeper.revisits import Revisits
from newscrawl.extensions.keeper.runrecord import RunRecorder
from newscrawl.extensions.verdict import BUDGET_REASONS, LOCKED, STORE_UNAVAILABLE
from newscrawl.items import article_id_of
from newscrawl.pipelines.dedupe import DuplicateArticle
from newscrawl.stats import (
    CLOSE_FAILED,
    LISTED,
    STORE_RUN_ID,
    STORE_UNAVAILABLE_REASON,
    VERDICT_REASONS,
    VERDICT_WARNINGS,
)
from newscrawl.store import open_store
from newscrawl.store.base import Store, StoreUnavailable

logger = logging.getLogger(__name__)


class Keeper:
    """The store, the locks, the run record, the day ledger and the writes of one crawl run."""

    def __init__(self, crawler, store: Store | None):
        self.crawler = crawler
        self.stats = crawler.stats
        self.connection = StoreConnection(crawler, store)
        self.runs = RunRecorder(crawler, self.connection)
        run_id = self.runs.run.run_id
        self.locks = RunLocks(crawler, self.connection)
        self.days = Days(crawler, self.connection, run_id)
        self.listed = Listed(crawler)
        self.articles = ArticleWriter(crawler, self.connection, run_id)
        self.revisits = Revisits(crawler, self.connection, BUDGET_REASONS)

    @classmethod
    def from_crawler(cls, crawler):
        """One per crawl. The store is opened only by a crawl run (NEWSCRAWL_RUN, which
        `scrapy crawl` sets): `scrapy shell`, `fetch`, `parse` and `check` never touch it."""
        settings = crawler.settings
        store = None
        if settings.getbool("STORE_ENABLED", True) and settings.getbool("NEWSCRAWL_RUN"):
            store = open_store(settings)
        keeper = cls(crawler, store)
        crawler.signals.connect(keeper.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(keeper.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(keeper.request_dropped, signal=signals.request_dropped)
        crawler.signals.connect(keeper.item_dropped, signal=signals.item_dropped)
        return keeper

    @classmethod
    def of(cls, crawler) -> Keeper:
        """The crawler's keeper (raises NotConfigured when the extension is switched off)."""
        return required_extension(crawler, cls)

    @property
    def store(self) -> Store | None:
        """The run's store (None: this crawl keeps none)."""
        return self.connection.store

    @property
    def run(self):
        """The run's record."""
        return self.runs.run

    # ---- open --------------------------------------------------------------------------

    async def spider_opened(self, spider):
        """Open the store and take the locks before anything is fetched."""
        self.crawler.signals.send_catch_log(newscrawl_signals.run_counting)
        self.days.load_state()  # before any wait: the progress lines read it
        if self.store is None:
            return
        try:
            await self.connection.open()
        except StoreUnavailable as exc:
            logger.error("Cannot open the store: %s", exc)
            self.stats.set_value(STORE_UNAVAILABLE_REASON, str(exc))
            raise CloseSpider(STORE_UNAVAILABLE) from None
        try:
            locked = await self.locks.acquire(spider, self.run)
            if locked:
                await self.runs.start(spider)
        except Exception as exc:
            # Whatever failed here, nothing may be fetched without a store that works.
            logger.error("Cannot start the run in the store: %s", exc)
            self.stats.set_value(STORE_UNAVAILABLE_REASON, str(exc))
            await self.connection.close()
            raise CloseSpider(STORE_UNAVAILABLE) from None
        if not locked:
            await self.connection.close()
            raise CloseSpider(LOCKED)
        self.stats.set_value(STORE_RUN_ID, self.run.run_id)
        logger.info("Storing articles in %s (run %s)", self.store.description, self.run.run_id)

    # ---- events that touch several parts -----------------------------------------------

    def request_dropped(self, request, spider=None):
        """A request the scheduler refused (duplicate filter): its day cannot be complete."""
        kwargs = request.cb_kwargs
        self.listed.lost(kwargs.get("article_id"), "duplicate_filtered")
        if not (kwargs.get("channel") and kwargs.get("day")):
            self.stats.inc_value(f"{LISTED}/filtered_requests")
            logger.warning("Dropped as a duplicate request: %s", request.url)
            return
        logger.warning(
            "Dropped as a duplicate request: %s (day %s %s stays incomplete)",
            request.url,
            kwargs["channel"],
            kwargs["day"],
        )
        self.days.request_filtered(kwargs["channel"], date.fromisoformat(kwargs["day"]), kwargs)

    def item_dropped(self, item, response, exception, spider=None):
        """An article dropped by a pipeline is a failed article of its day (a second copy
        of an article is not: the first one is stored)."""
        if not isinstance(exception, DuplicateArticle):
            self.listed.lost(article_id_of(item), "dropped")
            self.not_stored(article_id_of(item))

    def not_stored(self, article_id: str | None) -> None:
        """An article reached the pipelines but will not be stored in this run."""
        if article_id:
            self.listed.lost(article_id, "not_stored")
            self.days.article_failed(str(article_id))

    async def write(self, batch):
        """Write a batch of (article, bookkeeping); raise StoreError. Once it is durably
        written, its articles count as stored, and the days they finish are recorded."""
        result = await self.articles.write(batch)
        ids = [article_id_of(article) for article, _ in batch]
        published = {
            i: when
            for i, (article, _) in zip(ids, batch, strict=True)
            if (when := getattr(article, "published_at", None))
        }
        self.days.stored(ids, published)
        self.listed.stored(ids)
        return result

    # ---- close -------------------------------------------------------------------------

    async def spider_closed(self, spider, reason):
        """Record every day of the run, let the verdict decide, complete the run record."""
        try:
            self.locks.stop()
            await self.connection.drain()
            await self.revisits.flush()
            self.revisits.close(reason)
            self.runs.settle_caught_up(self.listed.waiting)
            self.listed.close()
            await self.days.close()
            self.days.save_state(reason)
        except Exception as exc:
            # A reason of the verdict below, so the record and the exit status say it too.
            logger.exception("Closing run %s failed", self.run.run_id)
            self.stats.set_value(CLOSE_FAILED, f"{type(exc).__name__}: {exc}")
        finally:
            # Whatever failed above, the run gets its verdict, its record and its locks back.
            self.crawler.signals.send_catch_log(newscrawl_signals.run_counted, reason=reason)
            reasons = self.stats.get_value(VERDICT_REASONS) or []
            warnings = self.stats.get_value(VERDICT_WARNINGS) or []
            if self.store is not None and self.connection.is_open:
                try:
                    await self.runs.finish(reason, reasons, warnings, self.articles.totals)
                finally:
                    await self.connection.close()
