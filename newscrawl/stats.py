"""Names of newscrawl's crawl stats, in one place so the summary and tests agree."""

from __future__ import annotations

PREFIX = "newscrawl"
DROPPED = f"{PREFIX}/dropped"
NOT_ARTICLE = f"{PREFIX}/not_article"
STORE = f"{PREFIX}/store"


def count_drop(stats, reason: str) -> None:
    """Count one dropped item under newscrawl/dropped/<reason>."""
    stats.inc_value(f"{DROPPED}/{reason}")


def dropped_by_reason(stats) -> dict[str, int]:
    """{reason: count} of every item dropped so far."""
    prefix = f"{DROPPED}/"
    return {k[len(prefix) :]: v for k, v in stats.get_stats().items() if k.startswith(prefix)}
