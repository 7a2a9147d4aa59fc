"""The keeper's revisits: the articles due again, and the checks that found them unchanged."""

from __future__ import annotations

import functools
import logging
from datetime import UTC, datetime

from newscrawl.extensions.keeper.connection import StoreConnection
from newscrawl.stats import (
    CHECKS_UNWRITTEN,
    REVISITS_LEFT,
    revisit_counts,
)
from newscrawl.store.base import StoreError

logger = logging.getLogger(__name__)

# Revisit checks written together.
CHECKS_PER_WRITE = 100


class Revisits:
    """Reads the store's due list and writes revisit checks in batches."""

    def __init__(self, crawler, connection: StoreConnection, budget_reasons=()):
        self.stats = crawler.stats
        self.connection = connection
        self.budget_reasons = tuple(budget_reasons)
        self._checks: list[tuple[str, datetime | None, bool]] = []
        """Revisits answered without a new version, not written yet."""

    async def due_articles(self, now: datetime) -> list[dict]:
        """The stored articles due for a revisit at ``now`` (none without a store)."""
        if not self.connection.keeps_records:
            return []
        try:
            return await self.connection.in_thread(self.connection.store.due_articles, now)
        except StoreError as exc:
            logger.warning("Could not read the articles due for a revisit: %s", exc)
            return []

    def checked(self, article_id: str, next_due: datetime | None, *, seen: bool = True) -> None:
        """A revisit found the article unchanged (304; seen) or could not read it (not seen):
        its next revisit is moved on, written in the background with the next ones."""
        self._checks.append((str(article_id), next_due, seen))
        if len(self._checks) >= CHECKS_PER_WRITE:
            self.connection.background(self.flush())

    async def flush(self) -> None:
        """Write the checks gathered so far; those that fail are counted, and come due again."""
        checks, self._checks = self._checks, []
        if not checks or not self.connection.keeps_records:
            return
        now = datetime.now(UTC)
        for seen in (True, False):
            part = [(i, due) for i, due, s in checks if s is seen]
            if not part:
                continue
            try:
                await self.connection.in_thread(
                    functools.partial(self.connection.store.record_checks, part, now, seen=seen)
                )
            except StoreError as exc:
                self.stats.inc_value(CHECKS_UNWRITTEN, len(part))
                logger.error("Could not record %d revisit checks: %s", len(part), exc)

    def close(self, reason: str) -> None:
        """Say what the revisits did and what is left."""
        done = revisit_counts(self.stats.get_stats())
        left = done["left"]
        self.stats.set_value(REVISITS_LEFT, left)
        if done["due"]:
            logger.info(
                "Revisits: %d due, %d fetched, %d not modified (304), %d failed, %d left",
                done["due"],
                done["fetched"],
                done["not_modified"],
                done["failed"],
                left,
            )
        if reason in self.budget_reasons:
            logger.info("Budget reached: %d revisits left for the next run", left)
