"""Names of newscrawl's crawl stats, in one place so the summary, verdict and tests agree."""

from __future__ import annotations

PREFIX = "newscrawl"
DROPPED = f"{PREFIX}/dropped"
REPAIRED = f"{PREFIX}/repaired"
NOT_ARTICLE = f"{PREFIX}/not_article"
STORE = f"{PREFIX}/store"
DAYS = f"{PREFIX}/days"
LISTS = f"{PREFIX}/lists"
"""List pages read, by kind (index, incremental, channel): items, empty, unrecognised."""
LISTED = f"{PREFIX}/listed"
"""Articles list pages led to: stored, or lost by reason."""
REFUSED = f"{PREFIX}/refused"
"""Requests the site refused (403, 503, resets, access-denied and challenge pages)."""
ARTICLE_FAILED = f"{PREFIX}/article_failed"
LISTING_FAILED = f"{PREFIX}/listing_failed"
DEAD_LETTER = f"{STORE}/dead_letter"
UNKEPT = f"{STORE}/unkept"
FIELDS = f"{PREFIX}/fields"
"""Field coverage: <field>/<source kind or missing> (newscrawl.extensions.coverage)."""
FIELD_ARTICLES = f"{FIELDS}/articles"
"""Articles whose fields were counted."""
LAYOUTS = f"{PREFIX}/layouts"
"""Articles by the layout that read them (Article.layout): newscrawl/layouts/<name>."""
WARC = f"{PREFIX}/warc"
CLOSE_FAILED = f"{PREFIX}/close_failed"
REVISITS = f"{PREFIX}/revisits"
"""Stored articles fetched again on their schedule: due, queued, fetched, not_modified (304),
failed/<status or error>, left (queued and not answered when the run ended)."""
UNREACHABLE = f"{PREFIX}/unreachable"
"""Why the run stopped at once: no request ever got an answer (newscrawl.middlewares)."""
VERDICT = f"{PREFIX}/verdict"
"""The run's verdict, "ok" or "failed" (newscrawl.extensions.verdict)."""
VERDICT_REASONS = f"{VERDICT}/reasons"
"""Why the run failed (a list, empty when it went well): what the run record keeps."""
VERDICT_WARNINGS = f"{VERDICT}/warnings"
"""What an operator should look at although the run did not fail (a list)."""
CAUGHT_UP = f"{PREFIX}/incremental/caught_up"
"""The channels whose incremental walk reached articles the store holds (a list)."""


# Single stats read by more than one component (a *_REASON holds a line of text saying why).
STORE_UNAVAILABLE_REASON = f"{STORE}/unavailable"
"""Why the store could not be opened (nothing was crawled)."""
STORE_LOST_REASON = f"{STORE}/lost"
"""Why the store stopped taking writes mid-run."""
STORE_LOCKED = f"{STORE}/locked"
"""Who holds the run's locks, when another run does."""
LOCK_LOST_REASON = f"{STORE}/lock_lost"
STORE_RUN_ID = f"{STORE}/run_id"
STORE_STATUS = f"{STORE}/status"
STORE_ERRORS = f"{STORE}/errors"
DEAD_LETTER_PATH = f"{DEAD_LETTER}_path"
DEAD_LETTER_FAILED_REASON = f"{STORE}/dead_letter_failed"
CHECKS_UNWRITTEN = f"{STORE}/checks_unwritten"
DAYS_ASKED = f"{DAYS}/asked"
DAYS_INCOMPLETE = f"{DAYS}/incomplete"
REVISITS_DUE = f"{REVISITS}/due"
REVISITS_LEFT = f"{REVISITS}/left"
WARC_FAILED_REASON = f"{WARC}/failed"
WARC_UNRECORDED = f"{WARC}/unrecorded"
PAGE_REPEATED = f"{PREFIX}/incremental/page_repeated"
"""Incremental index pages that repeated an earlier page (the site past its last page)."""
INCOMPLETE_ARTICLE = f"{PREFIX}/incomplete_article"
"""Split articles stored without some of their pages, by reason."""
RETRY_WAITED = f"{PREFIX}/retry/waited_seconds"
"""Seconds the retries waited (Retry-After and backoff)."""
RETRY_QUEUED_AT_CLOSE = f"{PREFIX}/retry/queued_at_close"
"""Retries still waiting when the crawl stopped, queued with the rest (JOBDIR keeps them)."""


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
        "store_errors": stats.get_value(STORE_ERRORS, 0),
        "dead_lettered": stats.get_value(DEAD_LETTER, 0),
        "unkept": stats.get_value(UNKEPT, 0),
        "store_round_trips": totals.round_trips,
        "days_incomplete": stats.get_value(DAYS_INCOMPLETE, 0),
        "days": {k: v for k, v in by_suffix(stats, DAYS).items() if isinstance(v, int)},
        "listed": by_suffix(stats, LISTED),
        "lists": by_suffix(stats, LISTS),
        "refused": stats.get_value(REFUSED, 0),
        "fields": by_suffix(stats, FIELDS),
        "warc": by_suffix(stats, WARC),
        "revisits": by_suffix(stats, REVISITS),
        "caught_up": stats.get_value(CAUGHT_UP) or [],
    }
