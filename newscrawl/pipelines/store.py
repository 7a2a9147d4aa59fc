"""Store articles in batches; record the crawl run; never lose an article when the store fails.

Articles are buffered and written in bulk (every STORE_BATCH_SIZE items, every
STORE_FLUSH_INTERVAL seconds, and at close) from a worker thread, so the crawl never
waits on the database. When the store fails mid-run, the batch and every later article go
to a dead-letter JSON Lines file that ``newscrawl replay FILE`` writes back idempotently.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task

from newscrawl.runstatus import failure_reasons
from newscrawl.serialize import datetime_z
from newscrawl.stats import NOT_ARTICLE, STORE, dropped_by_reason
from newscrawl.store import open_store, store_config
from newscrawl.store.base import (
    RunRecord,
    StoreError,
    StoreUnavailable,
    WriteResult,
    documents,
)
from newscrawl.workers import StoreWriter, WorkerError, spare_core

logger = logging.getLogger(__name__)
WRITERS = ("process", "thread")


def writer_setting(value: str | None, cpu_count: int | None = None) -> str:
    """STORE_WRITER: "process" (a writer process), "thread", or "auto" (process on 2+ cores)."""
    kind = (value or "auto").strip().lower()
    if kind == "auto":
        return "process" if spare_core(cpu_count) else "thread"
    if kind not in WRITERS:
        raise ValueError(f"STORE_WRITER must be auto, process or thread, not {value!r}")
    return kind


def new_run_id(now: datetime | None = None) -> str:
    """A sortable, unique run id: 20261124T041500Z-1a2b3c4d."""
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"


class StorePipeline:
    """Buffers articles and upserts them in bulk into the configured store."""

    def __init__(
        self,
        crawler,
        *,
        batch_size: int,
        flush_interval: float,
        dead_letter: str | None,
        writer: str = "thread",
    ):
        self.crawler = crawler
        self.writer_kind = writer
        self.writer: StoreWriter | None = None
        self.stats = crawler.stats
        self.batch_size = batch_size
        self.flush_interval = flush_interval
        self.run = RunRecord(run_id=new_run_id(), spider="")
        self.dead_letter_path = Path(
            dead_letter or f"newscrawl-dead-letter-{self.run.run_id}.jsonl"
        )
        self.store = None
        # (article, fetched at): documents are built where the batch is written
        self.buffer: list[tuple[Any, datetime]] = []
        self.totals = WriteResult()
        self.failed = False
        self.dead_lettered = 0
        self._lock = asyncio.Lock()
        self._writing: asyncio.Future | None = None
        self._timer: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler):
        """Configured by STORE_ENABLED, STORE_BATCH_SIZE, STORE_FLUSH_INTERVAL, STORE_WRITER
        and NEWSCRAWL_DEAD_LETTER_PATH."""
        settings = crawler.settings
        if not settings.getbool("STORE_ENABLED", True):
            raise NotConfigured("STORE_ENABLED is off")
        pipeline = cls(
            crawler,
            batch_size=max(1, settings.getint("STORE_BATCH_SIZE", 100)),
            flush_interval=settings.getfloat("STORE_FLUSH_INTERVAL", 5.0),
            dead_letter=settings.get("NEWSCRAWL_DEAD_LETTER_PATH"),
            writer=writer_setting(settings.get("STORE_WRITER")),
        )
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    async def open_spider(self):
        """Open the store before anything is fetched; a store that cannot open stops the crawl."""
        spider = self.crawler.spider
        self.store = open_store(self.crawler.settings)
        try:
            await asyncio.to_thread(self.store.open)
        except StoreUnavailable as exc:
            logger.error("Cannot open the store: %s", exc)
            self.stats.set_value(f"{STORE}/unavailable", str(exc))
            raise
        logger.info("Storing articles in %s (run %s)", self.store.description, self.run.run_id)
        self.run.spider = spider.name
        self.run.args = dict(getattr(spider, "run_args", {}) or {})
        self.stats.set_value(f"{STORE}/run_id", self.run.run_id)
        self.stats.set_value(f"{STORE}/description", self.store.description)
        await asyncio.to_thread(self.store.start_run, self.run)
        if self.writer_kind == "process":
            self.writer = StoreWriter(store_config(self.crawler.settings))
        if self.flush_interval > 0:
            self._timer = task.LoopingCall(self._flush_soon)
            self._timer.start(self.flush_interval, now=False)

    def _flush_soon(self):
        """Timer tick: flush what is buffered (as a Deferred, so the timer waits for it)."""
        return deferred_from_coro(self.flush())

    def process_item(self, item):
        """Buffer the article; start a write in the background when a batch is full.

        Items do not wait for the write (waiting made hundreds of them queue on the lock,
        each holding its page); only when the store falls ten batches behind does an item
        wait, which slows the crawl down to the store's pace.
        """
        self.buffer.append((item, datetime.now(UTC)))
        if len(self.buffer) >= self.batch_size and self._writing is None:
            self._writing = asyncio.ensure_future(self._write_batches())
        if self._writing is not None and len(self.buffer) >= self.batch_size * 10:
            return self._wait_then(item)
        return item

    async def _write_batches(self) -> None:
        """Flush while full batches are waiting, then let the next full batch start again."""
        try:
            while len(self.buffer) >= self.batch_size:
                await self.flush()
        finally:
            self._writing = None

    async def _wait_then(self, item):
        """Back-pressure: wait for the running write, then hand the item on."""
        if self._writing is not None:
            await asyncio.shield(self._writing)
        return item

    async def flush(self) -> None:
        """Write everything buffered, a batch at a time; on a store failure, dead-letter it."""
        async with self._lock:
            while self.buffer:
                batch = self.buffer[: self.batch_size]
                del self.buffer[: self.batch_size]
                await self._write(batch)

    async def _write(self, batch: list[tuple[Any, datetime]]) -> None:
        """One bulk write; after the first failure every batch goes to the dead-letter file."""
        if self.failed:
            self._dead_letter(batch)
            return
        try:
            if self.writer is not None:
                result = await self.writer.write(
                    batch, run_id=self.run.run_id, now=datetime.now(UTC)
                )
            else:
                result = await asyncio.to_thread(self._write_here, batch, datetime.now(UTC))
        except Exception as exc:
            # Whatever stopped the write (the store, its process, a bug), the batch is kept.
            if not isinstance(exc, StoreError | WorkerError):
                logger.exception("Writing a batch raised")
            self.failed = True
            self.stats.inc_value(f"{STORE}/errors")
            logger.error(
                "The store failed: %s. This and every later article go to %s; "
                "load them later with: newscrawl replay %s",
                exc,
                self.dead_letter_path,
                self.dead_letter_path,
            )
            self._dead_letter(batch)
            return
        self.totals += result
        for name in ("new", "updated", "unchanged", "round_trips"):
            self.stats.inc_value(f"{STORE}/{name}", getattr(result, name))

    def _write_here(self, batch: list[tuple[Any, datetime]], now: datetime) -> WriteResult:
        """The thread writer's write: documents and the store call, off the event loop."""
        return self.store.write_articles(documents(batch), run_id=self.run.run_id, now=now)

    def _dead_letter(self, batch: list[tuple[Any, datetime]]) -> None:
        """Append the batch's documents to the dead-letter file (JSON Lines, times with Z)."""
        docs = documents(batch)
        self.dead_letter_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.dead_letter_path, "a", encoding="utf-8") as fh:
            for doc in docs:
                fh.write(json.dumps(doc, ensure_ascii=False, default=datetime_z) + "\n")
            fh.flush()
        self.dead_lettered += len(docs)
        self.stats.inc_value(f"{STORE}/dead_letter", len(docs))
        self.stats.set_value(f"{STORE}/dead_letter_path", str(self.dead_letter_path.resolve()))

    async def close_spider(self):
        """Write what is left in the buffer."""
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        if self._writing is not None:
            await asyncio.shield(self._writing)
        if self.store is not None:
            await self.flush()

    async def spider_closed(self, spider, reason):
        """Complete the run record with its finish reason and counts, then close the store."""
        if self.writer is not None:
            # Everything is written (close_spider waited); the process closes its store.
            await self.writer.aclose()
        if self.store is None or self.crawler.stats.get_value(f"{STORE}/unavailable"):
            return
        stats = self.crawler.stats.get_stats()
        self.run.finished_at = datetime.now(UTC)
        self.run.finish_reason = reason
        # The same verdict as the crawl command's exit status, so the record never disagrees.
        reasons = failure_reasons(
            {**stats, "finish_reason": reason, f"{STORE}/status": "failed" if self.failed else ""},
            self.crawler.settings,
        )
        self.run.status = "failed" if reasons else "finished"
        self.run.counts = {
            "new": self.totals.new,
            "updated": self.totals.updated,
            "unchanged": self.totals.unchanged,
            "dropped": dropped_by_reason(self.crawler.stats),
            "not_article": {
                k.split("/", 2)[2]: v for k, v in stats.items() if k.startswith(f"{NOT_ARTICLE}/")
            },
            "article_failed": stats.get("newscrawl/article_failed", 0),
            "store_errors": stats.get(f"{STORE}/errors", 0),
            "dead_lettered": self.dead_lettered,
            "store_round_trips": self.totals.round_trips,
            "failure_reasons": reasons,
        }
        self.stats.set_value(f"{STORE}/status", self.run.status)
        try:
            await asyncio.to_thread(self.store.finish_run, self.run)
        except StoreError as exc:
            logger.error("Could not record the end of run %s: %s", self.run.run_id, exc)
        finally:
            await asyncio.to_thread(self.store.close)
        logger.info(
            "Run %s %s: %d new, %d updated, %d unchanged, dropped %s, %d dead-lettered",
            self.run.run_id,
            self.run.status,
            self.totals.new,
            self.totals.updated,
            self.totals.unchanged,
            self.run.counts["dropped"] or "none",
            self.dead_lettered,
        )
