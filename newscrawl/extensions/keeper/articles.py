"""The keeper's articles: which are stored, and the pipeline's batches written."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from newscrawl.extensions.keeper.connection import StoreConnection
from newscrawl.stats import STORE
from newscrawl.store.base import StoreError, WriteResult, documents

logger = logging.getLogger(__name__)
# WriteResult's counts, each kept as newscrawl/store/<name>.
WRITE_COUNTS = ("new", "updated", "unchanged", "earlier", "round_trips", "superseded")


class ArticleWriter:
    """Answers "which of these are stored" and writes batches of articles in the store's
    thread; the run's totals."""

    def __init__(self, crawler, connection: StoreConnection, run_id: str):
        self.stats = crawler.stats
        self.connection = connection
        self.run_id = run_id
        self.totals = WriteResult()

    async def stored_ids(self, article_ids: list[str]) -> set[str]:
        """Which of these article ids are stored (none when there is no store)."""
        if not article_ids or not self.connection.keeps_records:
            return set()
        try:
            return await self.connection.in_thread(self.connection.store.existing_ids, article_ids)
        except StoreError as exc:
            # Fetching again is safe (writes are idempotent); the writes report the loss.
            logger.warning("Could not look up stored articles: %s", exc)
            return set()

    async def write(self, batch: list[tuple[Any, dict[str, Any]]]) -> WriteResult:
        """Write a batch of (article, bookkeeping) in the store's thread; raise StoreError.

        The documents are built there too, so the event loop does not hash every article.
        """
        if self.connection.store is None or not self.connection.is_open:
            raise StoreError("the store is not open")
        result = await self.connection.in_thread(self._write_documents, batch, datetime.now(UTC))
        self.totals += result
        for name in WRITE_COUNTS:
            self.stats.inc_value(f"{STORE}/{name}", getattr(result, name))
        return result

    def _write_documents(
        self, batch: list[tuple[Any, dict[str, Any]]], now: datetime
    ) -> WriteResult:
        """The store thread's part of a write: documents, then one bulk write."""
        return self.connection.store.write_articles(documents(batch), run_id=self.run_id, now=now)
