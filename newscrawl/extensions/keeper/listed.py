"""The keeper's listed articles: what became of every article a list page led the run to."""

from __future__ import annotations

import logging

from newscrawl.ledger import ListedArticles
from newscrawl.stats import LISTED

logger = logging.getLogger(__name__)


class Listed:
    """Every article a list page led this run to, stored or lost (all modes)."""

    def __init__(self, crawler):
        self.stats = crawler.stats
        self.articles = ListedArticles()

    def listed(self, article_ids) -> None:
        """A list page led the run to fetch these articles (any mode)."""
        self.articles.listed(article_ids)

    def lost(self, article_id: str | None, reason: str) -> None:
        """A listed article will not be stored in this run, and why."""
        self.articles.lost(article_id, reason)

    def stored(self, article_ids) -> None:
        """These articles are durably stored."""
        self.articles.stored(article_ids)

    @property
    def waiting(self) -> int:
        """Listed articles not answered yet."""
        return self.articles.counts().get("waiting", 0)

    def close(self) -> None:
        """Count what became of every listed article, and say so when any was lost."""
        counts = self.articles.counts()
        total = sum(counts.values())
        if not total:
            return
        self.stats.set_value(f"{LISTED}/count", total)
        lost = {k: v for k, v in sorted(counts.items()) if k != "stored"}
        for reason, count in counts.items():
            name = reason if reason in ("stored", "waiting") else f"lost/{reason}"
            self.stats.set_value(f"{LISTED}/{name}", count)
        text = ", ".join(f"{reason}: {count}" for reason, count in lost.items())
        (logger.warning if lost else logger.info)(
            "Listed: %d articles, %d stored, %d not stored%s",
            total,
            counts["stored"],
            sum(lost.values()),
            f" ({text})" if text else "",
        )
