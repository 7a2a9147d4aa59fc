"""The keeper's locks: one per (mode, channel), kept alive while the run lasts."""

from __future__ import annotations

import logging
import os
import socket

from scrapy.utils.asyncio import create_looping_call

from newscrawl.extensions.keeper.connection import StoreConnection
from newscrawl.stats import (
    LOCK_LOST_REASON,
    STORE_LOCKED,
)
from newscrawl.store.base import LockHeld, LockHolder, RunRecord, StoreError

logger = logging.getLogger(__name__)
# The finish reason of a run whose lease another run took.
LOCK_LOST = "lock_lost"


def lock_keys(spider) -> list[str]:
    """One lock per channel of the run's mode: crawls of other channels may run beside."""
    options = getattr(spider, "options", None)
    if options is None:
        return [f"{spider.name}:all"]
    return [f"{options.mode}:{channel}" for channel in options.channels]


class RunLocks:
    """Takes the run's locks, refreshes their leases, and stops the crawl when one is lost."""

    def __init__(self, crawler, connection: StoreConnection):
        self.enabled = crawler.settings.getbool("NEWSCRAWL_LOCK_ENABLED", True)
        self.stats = crawler.stats
        self.connection = connection
        self.heartbeat = None
        self._refreshing = False

    async def acquire(self, spider, run: RunRecord) -> bool:
        """Take the run's locks; False (and a line saying who holds them) when held. Runs
        whose locks were taken over are marked killed."""
        if not self.enabled:
            return True
        store = self.connection.store
        holder = LockHolder(
            run_id=run.run_id, pid=os.getpid(), host=socket.gethostname(), started_at=run.started_at
        )
        try:
            dead = await self.connection.in_thread(store.acquire_locks, lock_keys(spider), holder)
        except LockHeld as exc:
            message = str(exc)
            logger.error("Cannot take the run's locks: %s; exiting without crawling", message)
            self.stats.set_value(STORE_LOCKED, message)
            return False
        if dead:
            for other in dead:
                logger.warning(
                    "Took over the lock of run %s (pid %s on %s), which died without "
                    "releasing it; its record is marked killed",
                    other.run_id,
                    other.pid,
                    other.host,
                )
            await self.connection.in_thread(
                store.mark_runs_killed, sorted({o.run_id for o in dead if o.run_id})
            )
        if store.lock_heartbeat_s:
            self.heartbeat = create_looping_call(self.tick)
            self.heartbeat.start(store.lock_heartbeat_s, now=False)
        return True

    async def refresh(self) -> None:
        """Keep the run's leases alive; a lease lost to another run stops the crawl."""
        try:
            await self.connection.in_thread(self.connection.store.refresh_locks)
        except LockHeld as exc:
            logger.error("Lost a lock to another run, stopping the crawl: %s", exc)
            self.stats.set_value(LOCK_LOST_REASON, str(exc))
            self.connection.stop_crawl(LOCK_LOST)
        except StoreError as exc:
            # The store itself is failing: the writes notice and dead-letter.
            logger.warning("Could not refresh the run's locks: %s", exc)
        finally:
            self._refreshing = False

    def tick(self) -> None:
        """Timer tick: one refresh at a time (a slow store skips ticks instead of piling up)."""
        if not self._refreshing:
            self._refreshing = True
            self.connection.background(self.refresh())

    def stop(self) -> None:
        """Stop refreshing (closing the store releases the locks)."""
        if self.heartbeat is not None and self.heartbeat.running:
            self.heartbeat.stop()
