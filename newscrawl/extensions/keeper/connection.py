"""The keeper's connection: the store of the run, its one thread, and its work in the
background."""

from __future__ import annotations

import asyncio
import functools
import logging
from concurrent.futures import ThreadPoolExecutor

from newscrawl.stats import (
    STORE_LOST_REASON,
)
from newscrawl.store.base import Store, StoreError

logger = logging.getLogger(__name__)


class StoreConnection:
    """Owns the run's store: opens and closes it, calls it in one thread, knows when it was
    lost, and keeps the background writes the close waits for."""

    def __init__(self, crawler, store: Store | None):
        self.crawler = crawler
        self.stats = crawler.stats
        self.store = store
        self.is_open = False
        self.lost: str | None = None
        """Why the store stopped taking writes mid-run, once it has."""
        self.tasks: set[asyncio.Future] = set()
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="newscrawl-store")
        self.stopping: asyncio.Future | None = None
        """The close this connection started (stop_crawl), once it has."""

    @property
    def keeps_records(self) -> bool:
        """True while the store is open and has not been lost."""
        return self.is_open and self.lost is None

    async def in_thread(self, func, *args):
        """Call blocking I/O in the run's one store thread (Scrapy's pattern for blocking
        clients). One thread keeps the store's calls in order and its memory in one place."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(func, *args))

    def background(self, coro) -> None:
        """Run a coroutine without waiting for it (kept referenced until it is done; the
        close waits for these)."""
        future = asyncio.ensure_future(coro)
        self.tasks.add(future)
        future.add_done_callback(self.tasks.discard)

    async def drain(self) -> None:
        """Wait for the background work still running."""
        if self.tasks:
            await asyncio.gather(*self.tasks, return_exceptions=True)

    async def open(self) -> None:
        """Open the store (in its thread); raises StoreUnavailable."""
        await self.in_thread(self.store.open)
        self.is_open = True

    def store_lost(self, reason: str) -> None:
        """The store stopped taking writes: everything from now goes to the dead-letter file."""
        if self.lost is None:
            self.lost = reason
            self.stats.set_value(STORE_LOST_REASON, reason)

    def stop_crawl(self, reason: str) -> None:
        """Close the spider with this finish reason (once; not one of the tasks the close
        waits for, since the close runs inside it)."""
        if self.stopping is not None:
            return
        try:
            engine = self.crawler.engine
        except RuntimeError:  # not crawling: a component driven by hand
            return
        self.stopping = asyncio.ensure_future(engine.close_spider_async(reason=reason))

    async def close(self) -> None:
        """Close the store; closing releases the run's locks."""
        self.is_open = False
        try:
            await self.in_thread(self.store.close)
        except StoreError as exc:
            # A lease expires by itself; a file lock goes with the process.
            logger.warning("Could not close the store cleanly: %s", exc)
        finally:
            self._executor.shutdown(wait=False)
