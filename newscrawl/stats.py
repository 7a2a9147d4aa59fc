"""Names of newscrawl's crawl stats, in one place so the summary, verdict and tests agree."""

from __future__ import annotations

PREFIX = "newscrawl"
DROPPED = f"{PREFIX}/dropped"
REPAIRED = f"{PREFIX}/repaired"
NOT_ARTICLE = f"{PREFIX}/not_article"
STORE = f"{PREFIX}/store"
DAYS = f"{PREFIX}/days"
LISTS = f"{PREFIX}/lists"
"""List pages read, by kind (archive, incremental, channel): items, empty, unrecognised."""
LISTED = f"{PREFIX}/listed"
"""Articles list pages led to: stored, or lost by reason."""
REFUSED = f"{PREFIX}/refused"
"""Requests the site refused (403, 503, resets, access-denied and challenge pages)."""
ARTICLE_FAILED = f"{PREFIX}/article_failed"
LISTING_FAILED = f"{PREFIX}/listing_failed"
DEAD_LETTER = f"{STORE}/dead_letter"
UNKEPT = f"{STORE}/unkept"
FIELDS = f"{PREFIX}/fields"
LAYOUTS = f"{PREFIX}/layouts"
"""Articles by the layout that read them (Article.layout): newscrawl/layouts/<name>."""
WARC = f"{PREFIX}/warc"
CLOSE_FAILED = f"{PREFIX}/close_failed"
REVISITS = f"{PREFIX}/revisits"
"""Stored articles fetched again on their schedule: due, queued, fetched, not_modified (304),
failed/<status or error>, left (queued and not answered when the run ended)."""
CAUGHT_UP = f"{PREFIX}/incremental/caught_up"
"""The channels whose incremental walk reached articles the archive holds (a list)."""


def count_first(stats, name: str, where: str) -> bool:
    """Count one under ``name`` and keep ``where`` as ``<name>_first`` the first time;
    True that first time (so the caller logs it once)."""
    first = not stats.get_value(name)
    if first:
        stats.set_value(f"{name}_first", where)
    stats.inc_value(name)
    return first


def count_drop(stats, reason: str) -> None:
    """Count one dropped item under newscrawl/dropped/<reason>."""
    stats.inc_value(f"{DROPPED}/{reason}")


def by_suffix(stats, prefix: str) -> dict[str, int]:
    """{suffix: count} of every stat named <prefix>/<suffix>."""
    start = f"{prefix}/"
    return {k[len(start) :]: v for k, v in stats.get_stats().items() if k.startswith(start)}


def dropped_by_reason(stats) -> dict[str, int]:
    """{reason: count} of every item dropped so far."""
    return by_suffix(stats, DROPPED)


def revisit_counts(values: dict) -> dict[str, int]:
    """What the revisits of a run did, from its stats as a dict: due, fetched, not_modified,
    failed (every status summed), answered (the three together) and left (due, unanswered)."""
    counts = {
        name: values.get(f"{REVISITS}/{name}", 0) for name in ("due", "fetched", "not_modified")
    }
    counts["failed"] = sum(v for k, v in values.items() if k.startswith(f"{REVISITS}/failed/"))
    counts["answered"] = counts["fetched"] + counts["not_modified"] + counts["failed"]
    counts["left"] = max(0, counts["due"] - counts["answered"])
    return counts


def run_counts(stats, totals) -> dict:
    """What a run record keeps of the run's stats."""
    return {
        "new": totals.new,
        "updated": totals.updated,
        "unchanged": totals.unchanged,
        "earlier": totals.earlier,
        "dropped": dropped_by_reason(stats),
        "not_article": by_suffix(stats, NOT_ARTICLE),
        "article_failed": stats.get_value(ARTICLE_FAILED, 0),
        "store_errors": stats.get_value(f"{STORE}/errors", 0),
        "dead_lettered": stats.get_value(DEAD_LETTER, 0),
        "unkept": stats.get_value(UNKEPT, 0),
        "store_round_trips": totals.round_trips,
        "days_incomplete": stats.get_value(f"{DAYS}/incomplete", 0),
        "days": {k: v for k, v in by_suffix(stats, DAYS).items() if isinstance(v, int)},
        "listed": by_suffix(stats, LISTED),
        "lists": by_suffix(stats, LISTS),
        "refused": stats.get_value(REFUSED, 0),
        "fields": by_suffix(stats, FIELDS),
        "warc": by_suffix(stats, WARC),
        "revisits": by_suffix(stats, REVISITS),
        "caught_up": stats.get_value(CAUGHT_UP) or [],
    }
