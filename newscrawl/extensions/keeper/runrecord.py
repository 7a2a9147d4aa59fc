"""The keeper's run record: the run's start and end in the store, and what earlier runs say."""

from __future__ import annotations

import logging
from datetime import datetime

from newscrawl import runs
from newscrawl.extensions.keeper.connection import StoreConnection
from newscrawl.stats import (
    CAUGHT_UP,
    STORE_STATUS,
    run_counts,
)
from newscrawl.store.base import StoreError, WriteResult

logger = logging.getLogger(__name__)

# Earlier runs read for the incremental watermarks (an hourly job runs 24 a day).
RUNS_REMEMBERED = 200


class RunRecorder:
    """Writes the run's record when it starts and completes it with the verdict at its end."""

    def __init__(self, crawler, connection: StoreConnection):
        self.stats = crawler.stats
        self.connection = connection
        self.run = runs.new_run("")

    async def start(self, spider) -> None:
        """Write the record of a run that holds its locks."""
        self.run.spider = spider.name
        self.run.args = dict(getattr(spider, "run_args", {}) or {})
        await self.connection.in_thread(runs.start_run, self.connection.store, self.run)

    async def caught_up(self, spider: str, channels) -> dict[str, datetime]:
        """For each channel, when the last run of this spider that caught up on it started
        (its incremental walk reached articles the store holds, and it stored what it
        listed): the channel's watermark. Channels no remembered run caught up are absent."""
        if not self.connection.keeps_records:
            return {}
        try:
            records = await self.connection.in_thread(self.connection.store.runs, RUNS_REMEMBERED)
        except StoreError as exc:
            logger.warning("Could not read the earlier runs (walking without watermarks): %s", exc)
            return {}
        wanted, found = set(channels), {}
        for run in records:  # newest first
            if run.get("spider") != spider:
                continue
            for channel in wanted & set((run.get("counts") or {}).get("caught_up") or ()):
                found.setdefault(channel, run["started_at"])
        return found

    def settle_caught_up(self, waiting: int) -> None:
        """A run that left listed articles unanswered or lost its store has caught up on no
        channel (the next one looks again)."""
        lost = self.connection.lost
        if self.stats.get_value(CAUGHT_UP) and (waiting or lost):
            self.stats.set_value(CAUGHT_UP, [])
            logger.info(
                "No channel counts as caught up: %s",
                "the store was lost" if lost else f"{waiting} listed articles not answered",
            )

    async def finish(
        self, reason: str, reasons: list[str], warnings: list[str], totals: WriteResult
    ) -> None:
        """Complete the run record with the verdict and the counts."""
        run = self.run
        status = runs.FAILED if reasons else runs.FINISHED
        counts = {
            **run_counts(self.stats, totals),
            "failure_reasons": reasons,
            "warnings": warnings,
        }
        self.stats.set_value(STORE_STATUS, status)
        try:
            error = await self.connection.in_thread(
                runs.finish_run, self.connection.store, run, status, reason, counts
            )
        except Exception as exc:  # a bug, not the store failing: logged with its traceback
            error = exc
        if error:
            # The record stays "running" in a store that failed: the log must say so.
            logger.error(
                "Could not record the end of run %s (%s): %s",
                run.run_id,
                status,
                error,
                exc_info=isinstance(error, BaseException),
            )
        logger.info(
            "Run %s %s: %d new, %d updated, %d unchanged, dropped %s, %d dead-lettered",
            run.run_id,
            run.status,
            totals.new,
            totals.updated,
            totals.unchanged,
            run.counts["dropped"] or "none",
            run.counts["dead_lettered"],
        )
