"""Store articles in batches through the run's keeper; never lose one when the store fails.

Articles are buffered and written in bulk (every STORE_BATCH_SIZE items, every
STORE_FLUSH_INTERVAL seconds, and at close) from a thread, Scrapy's pattern for blocking
I/O. When the store goes away mid-run, the batch and every later article go to a
dead-letter JSON Lines file that ``newscrawl replay FILE`` writes back idempotently. A
batch the store refuses because of one article is split until only that article is
dead-lettered. When the dead-letter file cannot be written either, the crawl stops at once:
nothing is fetched that cannot be kept.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

from newscrawl.extensions.keeper import Keeper
from newscrawl.items import article_id_of, capture_of
from newscrawl.schedule import next_due, parse_schedule
from newscrawl.serialize import datetime_z
from newscrawl.stats import (
    DEAD_LETTER,
    DEAD_LETTER_FAILED_REASON,
    DEAD_LETTER_PATH,
    STORE,
    STORE_ERRORS,
    UNKEPT,
)
from newscrawl.store.base import ArticleRejected, StoreError, StoreLost, documents

logger = logging.getLogger(__name__)
DEAD_LETTER_FAILED = "dead_letter_failed"
# Waits before writing a batch again after a failure that is not a lost store.
RETRY_WAITS = (1.0, 5.0)


class StorePipeline:
    """Buffers articles and hands them to the keeper in batches."""

    def __init__(
        self,
        crawler,
        keeper: Keeper,
        *,
        batch_size: int,
        flush_interval: float,
        dead_letter: str | None,
        schedule: tuple[timedelta, ...] = (),
    ):
        self.crawler = crawler
        self.schedule = schedule
        """NEWSCRAWL_REVISIT_AFTER: when each stored article is next due for a revisit."""
        self.keeper = keeper
        self.stats = crawler.stats
        self.batch_size = batch_size
        self.flush_interval = flush_interval
        self.dead_letter_path = Path(
            dead_letter or f"newscrawl-dead-letter-{keeper.run.run_id}.jsonl"
        )
        # (article, bookkeeping such as fetched_at): documents are built in the writing thread
        self.buffer: list[tuple[Any, dict[str, Any]]] = []
        self.dead_letter_broken: str | None = None
        self._lock = asyncio.Lock()
        self._writing: asyncio.Future | None = None
        self._timer = None

    @classmethod
    def from_crawler(cls, crawler):
        """Configured by STORE_BATCH_SIZE, STORE_FLUSH_INTERVAL and NEWSCRAWL_DEAD_LETTER_PATH;
        off when the run has no store (STORE_ENABLED off, or not a crawl run)."""
        settings = crawler.settings
        keeper = Keeper.of(crawler)
        if keeper.store is None:
            raise NotConfigured("this crawl keeps no store")
        return cls(
            crawler,
            keeper,
            batch_size=max(1, settings.getint("STORE_BATCH_SIZE", 100)),
            flush_interval=settings.getfloat("STORE_FLUSH_INTERVAL", 5.0),
            dead_letter=settings.get("NEWSCRAWL_DEAD_LETTER_PATH"),
            schedule=parse_schedule(settings.get("NEWSCRAWL_REVISIT_AFTER")),
        )

    def open_spider(self):
        """Start the flush timer."""
        if self.flush_interval > 0:
            self._timer = create_looping_call(self._flush_soon)
            self._timer.start(self.flush_interval, now=False)

    def _flush_soon(self) -> None:
        """Timer tick: write what is buffered, unless a write is already going."""
        if self._writing is None and self.buffer:
            self._writing = asyncio.ensure_future(self._write_all())

    async def _write_all(self) -> None:
        """Flush everything buffered, then let the next write start."""
        try:
            await self.flush()
        finally:
            self._writing = None

    def process_item(self, item):
        """Buffer the article; start a write in the background when a batch is full.

        Items do not wait for the write (waiting made hundreds of them queue on the lock,
        each holding its page); only when the store falls three batches behind does an item
        wait, which slows the crawl down to the store's pace.
        """
        if self.dead_letter_broken is not None and self.keeper.connection.lost is not None:
            self._unkept([(item, self._meta(item))])
            return item
        self.buffer.append((item, self._meta(item)))
        if len(self.buffer) >= self.batch_size and self._writing is None:
            self._writing = asyncio.ensure_future(self._write_batches())
        if self._writing is not None and len(self.buffer) >= self.batch_size * 3:
            return self._wait_then(item)
        return item

    def _meta(self, item) -> dict[str, Any]:
        """The bookkeeping of an article's document: what the item carries of its fetch
        (when, where its raw page was recorded, its validators), and its next revisit; an
        item without a capture (not from a crawl's response) counts as fetched now."""
        meta = {"fetched_at": datetime.now(UTC), **capture_of(item)}
        published = getattr(item, "published_at", None)
        meta["next_due_at"] = next_due(published, meta["fetched_at"], self.schedule)
        return meta

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
        """Write everything buffered, a batch at a time."""
        async with self._lock:
            while self.buffer:
                batch = self.buffer[: self.batch_size]
                del self.buffer[: self.batch_size]
                await self._write(batch)

    async def _write(self, batch: list[tuple[Any, dict[str, Any]]], attempt: int = 0) -> None:
        """One bulk write; what the store cannot take goes to the dead-letter file."""
        if self.keeper.connection.lost is not None:
            await self._dead_letter(batch, self.keeper.connection.lost)
            return
        try:
            await self.keeper.write(batch)
        except ArticleRejected as exc:
            if len(batch) > 1:
                # One article's data made the batch fail: find it, keep the rest.
                half = len(batch) // 2
                await self._write(batch[:half])
                await self._write(batch[half:])
                return
            self.stats.inc_value(f"{STORE}/rejected")
            logger.error("The store refused an article: %s; it goes to the dead-letter file", exc)
            await self._dead_letter(batch, str(exc))
            self.keeper.not_stored(article_id_of(batch[0][0]))
        except StoreError as exc:
            if not isinstance(exc, StoreLost) and attempt < len(RETRY_WAITS):
                # A passing failure (a lock held too long, a timeout): try the batch again.
                logger.warning("Writing a batch failed (%s); trying again", exc)
                self.stats.inc_value(f"{STORE}/retried")
                await asyncio.sleep(RETRY_WAITS[attempt])
                await self._write(batch, attempt + 1)
                return
            await self._store_lost(batch, exc)
        except Exception as exc:
            # A bug must not lose the batch either.
            logger.exception("Writing a batch raised")
            await self._store_lost(batch, exc)

    async def _store_lost(self, batch: list[tuple[Any, dict[str, Any]]], exc: Exception) -> None:
        """The store stopped taking writes: this batch and every later one are dead-lettered."""
        self.stats.inc_value(STORE_ERRORS)
        self.keeper.connection.store_lost(str(exc))
        logger.error(
            "The store failed: %s. This and every later article go to %s; "
            "load them later with: newscrawl replay %s",
            exc,
            self.dead_letter_path,
            self.dead_letter_path,
        )
        await self._dead_letter(batch, str(exc))

    async def _dead_letter(self, batch: list[tuple[Any, dict[str, Any]]], reason: str) -> None:
        """Append the batch to the dead-letter file (in the store's thread), whole or not at
        all."""
        if self.dead_letter_broken is not None:
            self._unkept(batch)
            return
        try:
            count = await self.keeper.connection.in_thread(self._append_dead_letter, batch, reason)
        except OSError as exc:
            self._dead_letter_failed(exc, batch)
            return
        self.stats.inc_value(DEAD_LETTER, count)
        self.stats.set_value(DEAD_LETTER_PATH, str(self.dead_letter_path.resolve()))

    def _append_dead_letter(self, batch: list[tuple[Any, dict[str, Any]]], reason: str) -> int:
        """Write the batch's documents as JSON Lines and fsync; a failed write is cut off."""
        lines = []
        for doc in documents(batch):
            doc["dead_letter_reason"] = reason
            lines.append(json.dumps(doc, ensure_ascii=False, default=datetime_z) + "\n")
        self.dead_letter_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.dead_letter_path, "a", encoding="utf-8") as fh:
            start = fh.tell()
            try:
                fh.write("".join(lines))
                fh.flush()
                os.fsync(fh.fileno())
            except OSError:
                # A half-written batch would be counted as kept: cut it off.
                fh.truncate(start)
                raise
        return len(lines)

    def _dead_letter_failed(self, exc: OSError, batch) -> None:
        """The dead-letter file takes nothing: stop fetching now (what the store still takes
        is written; what it does not is counted as unkept)."""
        self.dead_letter_broken = f"{self.dead_letter_path}: {exc.strerror or exc}"
        self.stats.set_value(DEAD_LETTER_FAILED_REASON, self.dead_letter_broken)
        logger.error(
            "Cannot write the dead-letter file %s; stopping the crawl: nothing is fetched "
            "that cannot be kept",
            self.dead_letter_broken,
        )
        self._unkept(batch)
        self.keeper.connection.stop_crawl(DEAD_LETTER_FAILED)

    def _unkept(self, batch) -> None:
        """Articles neither stored nor dead-lettered: counted, and their days stay incomplete."""
        self.stats.inc_value(UNKEPT, len(batch))
        for item, _ in batch:
            self.keeper.not_stored(article_id_of(item))

    async def close_spider(self):
        """Write what is left in the buffer."""
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        if self._writing is not None:
            await asyncio.shield(self._writing)
        await self.flush()
        if self.stats.get_value(DEAD_LETTER):
            logger.error(
                "%d articles are in the dead-letter file %s; when the store is back: "
                "newscrawl replay %s",
                self.stats.get_value(DEAD_LETTER),
                self.dead_letter_path,
                self.dead_letter_path,
            )
        if self.stats.get_value(UNKEPT):
            logger.error(
                "%d articles could not be kept (neither stored nor dead-lettered); their days "
                "stay incomplete, so the next run fetches them again",
                self.stats.get_value(UNKEPT),
            )
