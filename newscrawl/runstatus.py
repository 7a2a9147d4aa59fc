"""Whether a finished crawl failed, from its stats: the exit status cron sees."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_LOCKED = 75  # EX_TEMPFAIL: another run holds the lock; try again later


def failure_reasons(stats: dict, settings) -> list[str]:
    """Why the run counts as failed (empty when it did not)."""
    reasons = []
    if stats.get("newscrawl/store/unavailable"):
        reasons.append(f"store unavailable: {stats['newscrawl/store/unavailable']}")
    if stats.get("newscrawl/store/status") == "failed" or stats.get("newscrawl/store/errors"):
        reasons.append(
            f"store lost during the run; {stats.get('newscrawl/store/dead_letter', 0)} articles in "
            f"{stats.get('newscrawl/store/dead_letter_path', 'the dead-letter file')}"
        )
    finish = stats.get("finish_reason")
    if finish not in (None, "finished"):
        reasons.append(f"finish reason {finish}")
    errors = sum(v for k, v in stats.items() if k.startswith("spider_exceptions/"))
    max_errors = settings.getint("NEWSCRAWL_MAX_SPIDER_ERRORS", 10)
    if errors > max_errors:
        reasons.append(f"{errors} spider errors (NEWSCRAWL_MAX_SPIDER_ERRORS={max_errors})")
    requested = stats.get("downloader/request_count", 0)
    if requested and not stats.get("response_received_count", 0):
        reasons.append(f"none of {requested} requests got a response (network or site down?)")
    listing_failed = stats.get("newscrawl/listing_failed", 0)
    max_listing = settings.getint("NEWSCRAWL_MAX_LISTING_FAILURES", 3)
    if listing_failed > max_listing:
        reasons.append(
            f"{listing_failed} list pages failed (NEWSCRAWL_MAX_LISTING_FAILURES={max_listing})"
        )
    scraped = stats.get("item_scraped_count", 0)
    dropped = stats.get("item_dropped_count", 0)
    failed = stats.get("newscrawl/article_failed", 0) + sum(
        v for k, v in stats.items() if k.startswith("newscrawl/not_article/")
    )
    attempted = scraped + dropped + failed
    floor = settings.getfloat("NEWSCRAWL_QUALITY_FLOOR", 0.9)
    minimum = settings.getint("NEWSCRAWL_QUALITY_MIN_ITEMS", 20)
    if attempted >= minimum and scraped / attempted < floor:
        reasons.append(
            f"quality {scraped}/{attempted} articles good ({scraped / attempted:.0%}) "
            f"is below NEWSCRAWL_QUALITY_FLOOR={floor:.0%}"
        )
    return reasons
