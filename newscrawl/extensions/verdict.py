"""Whether a run failed, decided once at its close from small rules, each with its setting.

It imports neither the keeper nor the middlewares: everything it judges is in the stats.
The keeper tells it when the counts are final (newscrawl.signals.run_counted); it puts its
reasons in the stats, where the run record reads them, and the crawl command's exit status
reads RunVerdict.reasons, so they never disagree.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from scrapy import signals

from newscrawl import signals as newscrawl_signals
from newscrawl.exits import Exit
from newscrawl.extensions import required_extension
from newscrawl.extensions.coverage import below_floor, structured_dropped
from newscrawl.stats import (
    ARTICLE_FAILED,
    CLOSE_FAILED,
    DAYS_INCOMPLETE,
    DEAD_LETTER,
    DEAD_LETTER_FAILED_REASON,
    DEAD_LETTER_PATH,
    DROPPED,
    LISTED,
    LISTING_FAILED,
    LISTS,
    NOT_ARTICLE,
    REFUSED,
    STORE_LOST_REASON,
    STORE_UNAVAILABLE_REASON,
    UNKEPT,
    UNREACHABLE,
    VERDICT,
    VERDICT_REASONS,
    VERDICT_WARNINGS,
    WARC_FAILED_REASON,
    WARC_UNRECORDED,
    revisit_counts,
)

logger = logging.getLogger(__name__)

# Finish reasons of runs that never started crawling.
LOCKED = "locked"
STORE_UNAVAILABLE = "store_unavailable"
# Finish reasons of a run ended by its budget (NEWSCRAWL_RUN_BUDGET, through Scrapy's
# CloseSpider): a clean end, whatever it left for the next run.
BUDGET_REASONS = ("closespider_timeout", "closespider_pagecount")

Rule = Callable[[dict, object, str], "str | None"]


def store_unavailable(stats: dict, settings, reason: str) -> str | None:
    """The store could not be opened: nothing was crawled."""
    if stats.get(STORE_UNAVAILABLE_REASON):
        return f"store unavailable: {stats[STORE_UNAVAILABLE_REASON]}"
    return None


def store_lost(stats: dict, settings, reason: str) -> str | None:
    """The store stopped taking writes mid-run (articles went to the dead-letter file)."""
    lost = stats.get(STORE_LOST_REASON)
    if not lost:
        return None
    text = f"store lost during the run ({lost}); {stats.get(DEAD_LETTER, 0)} articles in "
    return text + stats.get(DEAD_LETTER_PATH, "the dead-letter file")


def articles_unkept(stats: dict, settings, reason: str) -> str | None:
    """Articles neither stored nor dead-lettered (the dead-letter file failed too)."""
    if not stats.get(UNKEPT):
        return None
    return (
        f"{stats[UNKEPT]} articles could not be kept anywhere: the dead-letter file failed "
        f"({stats.get(DEAD_LETTER_FAILED_REASON)}); their days stay incomplete and the "
        "next run fetches them"
    )


def warc_failed(stats: dict, settings, reason: str) -> str | None:
    """WARC recording was asked for (NEWSCRAWL_WARC_DIR) and a record could not be written."""
    failed = stats.get(WARC_FAILED_REASON)
    if not failed:
        return None
    unrecorded = stats.get(WARC_UNRECORDED, 0)
    return f"WARC recording failed ({failed}); {unrecorded} pages fetched without a raw page"


def close_failed(stats: dict, settings, reason: str) -> str | None:
    """Closing the run failed (the day ledger or the JOBDIR state): the log has the traceback."""
    failed = stats.get(CLOSE_FAILED)
    return f"closing the run failed: {failed}" if failed else None


def unclean_finish(stats: dict, settings, reason: str) -> str | None:
    """Any finish reason but "finished" or the run's budget: interrupted, locked out."""
    if reason in (None, "finished", *BUDGET_REASONS):
        return None
    return f"finish reason {reason}"


def budget_left_news(stats: dict, settings, reason: str) -> str | None:
    """The budget ended the run before every listed article was fetched: a warning, since
    the next run fetches them (they are not stored, so its walk lists them as new)."""
    waiting = stats.get(f"{LISTED}/waiting", 0)
    if reason in BUDGET_REASONS and waiting:
        return (
            f"budget reached before {waiting} listed articles were fetched "
            "(the next run fetches them)"
        )
    return None


def site_unreachable(stats: dict, settings, reason: str) -> str | None:
    """The run stopped at once: no request ever got an answer (newscrawl.middlewares)."""
    return stats.get(UNREACHABLE) or None


def nothing_reached(stats: dict, settings, reason: str) -> str | None:
    """Requests were made and none got a response: network or site down."""
    requested = stats.get("downloader/request_count", 0)
    # Every response counts, a redirect too (the engine's response_received_count misses a
    # redirect whose new request the duplicate filter dropped).
    answered = max(
        stats.get("response_received_count", 0), stats.get("downloader/response_count", 0)
    )
    if requested and not answered:
        return f"none of {requested} requests got a response (network or site down?)"
    return None


def _counted(stats: dict, name: str) -> tuple[int, str | None]:
    """The sum of the stat ``name`` and its ``name/<kind>``s, and the first place
    newscrawl.stats.count_first kept for them."""
    count = first = None
    for key, value in stats.items():
        if not key.startswith(name):
            continue
        if key.endswith("_first"):
            first = first or value
        elif key == name or key.startswith(f"{name}/"):
            count = (count or 0) + value
    return count or 0, first


def lists_unrecognised(stats: dict, settings, reason: str) -> str | None:
    """List pages no known layout could read: the site's markup changed under us."""
    count, first = _counted(stats, f"{LISTS}/unrecognised")
    if not count:
        return None
    return (
        f"{count} list pages not recognised (first: {first}): the site's list markup may have "
        "changed; see docs/operations.md"
    )


def index_ignored_date(stats: dict, settings, reason: str) -> str | None:
    """Index pages (or days) whose dated items were all of other days than the one asked."""
    count, first = _counted(stats, f"{LISTS}/other_days")
    if not count:
        return None
    return (
        f"{count} index pages listed only other days' articles (first: {first}): "
        "the date index ignored the date"
    )


def nothing_listed(stats: dict, settings, reason: str) -> str | None:
    """Channel fronts, or an incremental walk, read by a known layout and listing no article
    on any channel: a run that looked and found nothing to store is no success."""
    for kind, what in (("channel", "channel fronts"), ("incremental", "incremental walk pages")):
        read = stats.get(f"{LISTS}/read/{kind}", 0)
        unread = stats.get(f"{LISTS}/unrecognised/{kind}", 0) + stats.get(
            f"{LISTS}/refused/{kind}", 0
        )
        if read > unread and not stats.get(f"{LISTS}/items/{kind}", 0):
            return f"no article listed on any of {read - unread} {what} read"
    return None


def site_refused(stats: dict, settings, reason: str) -> str | None:
    """More of the run's requests refused (403, 503, resets, access-denied or challenge
    pages) than NEWSCRAWL_MAX_REFUSED_SHARE."""
    refused = stats.get(REFUSED, 0)
    requested = stats.get("downloader/request_count", 0)
    share = settings.getfloat("NEWSCRAWL_MAX_REFUSED_SHARE", 0.2)
    if refused and requested and refused / requested > share:
        return f"site refused {refused} of {requested} requests (blocked?)"
    return None


def listed_lost(stats: dict, settings, reason: str) -> str | None:
    """Fewer of the listed articles stored than NEWSCRAWL_QUALITY_FLOOR (every mode). Those
    not answered when the run ended are left out: a stopped run says so by its finish reason."""
    listed = stats.get(f"{LISTED}/count", 0) - stats.get(f"{LISTED}/waiting", 0)
    stored = stats.get(f"{LISTED}/stored", 0)
    floor = settings.getfloat("NEWSCRAWL_QUALITY_FLOOR", 0.9)
    if listed < settings.getint("NEWSCRAWL_QUALITY_MIN_ITEMS", 20) or stored / listed >= floor:
        return None
    why = ", ".join(
        f"{k[len(LISTED) + 6 :]}: {v}"
        for k, v in sorted(stats.items())
        if k.startswith(f"{LISTED}/lost/")
    )
    return (
        f"only {stored} of {listed} listed articles stored ({stored / listed:.0%}; {why}), "
        f"below NEWSCRAWL_QUALITY_FLOOR={floor:.0%}"
    )


def revisits_failed(stats: dict, settings, reason: str) -> str | None:
    """More revisits failed than NEWSCRAWL_QUALITY_FLOOR allows (removed articles answer 404
    now and then; most failing means the site, or the way to it, is broken)."""
    done = revisit_counts(stats)
    failed, answered = done["failed"], done["answered"]
    floor = settings.getfloat("NEWSCRAWL_QUALITY_FLOOR", 0.9)
    if (
        answered < settings.getint("NEWSCRAWL_QUALITY_MIN_ITEMS", 20)
        or failed <= (1 - floor) * answered
    ):
        return None
    return (
        f"{failed} of {answered} revisits failed, above 1 - NEWSCRAWL_QUALITY_FLOOR={1 - floor:.0%}"
    )


def listing_failures(stats: dict, settings, reason: str) -> str | None:
    """More list pages lost than NEWSCRAWL_MAX_LISTING_FAILURES."""
    failed = stats.get(LISTING_FAILED, 0)
    limit = settings.getint("NEWSCRAWL_MAX_LISTING_FAILURES", 3)
    if failed > limit:
        return f"{failed} list pages failed (NEWSCRAWL_MAX_LISTING_FAILURES={limit})"
    return None


def spider_errors(stats: dict, settings, reason: str) -> str | None:
    """More exceptions in callbacks than NEWSCRAWL_MAX_SPIDER_ERRORS."""
    errors = stats.get("spider_exceptions/count", 0)
    limit = settings.getint("NEWSCRAWL_MAX_SPIDER_ERRORS", 10)
    if errors > limit:
        return f"{errors} spider errors (NEWSCRAWL_MAX_SPIDER_ERRORS={limit})"
    return None


def quality_floor(stats: dict, settings, reason: str) -> str | None:
    """Fewer good articles than NEWSCRAWL_QUALITY_FLOOR of those attempted."""
    scraped = stats.get("item_scraped_count", 0)
    # A second copy of an article is not a bad article: the first copy was kept.
    dropped = stats.get("item_dropped_count", 0) - stats.get(f"{DROPPED}/duplicate", 0)
    failed = stats.get(ARTICLE_FAILED, 0) + sum(
        v for k, v in stats.items() if k.startswith(f"{NOT_ARTICLE}/")
    )
    attempted = scraped + dropped + failed
    floor = settings.getfloat("NEWSCRAWL_QUALITY_FLOOR", 0.9)
    minimum = settings.getint("NEWSCRAWL_QUALITY_MIN_ITEMS", 20)
    if attempted >= minimum and scraped / attempted < floor:
        return (
            f"quality {scraped}/{attempted} articles good ({scraped / attempted:.0%}) "
            f"is below NEWSCRAWL_QUALITY_FLOOR={floor:.0%}"
        )
    return None


def days_incomplete(stats: dict, settings, reason: str) -> str | None:
    """More days left incomplete than NEWSCRAWL_MAX_INCOMPLETE_DAYS (-1: no limit)."""
    incomplete = stats.get(DAYS_INCOMPLETE, 0)
    limit = settings.getint("NEWSCRAWL_MAX_INCOMPLETE_DAYS", -1)
    if limit >= 0 and incomplete > limit:
        return f"{incomplete} days left incomplete (NEWSCRAWL_MAX_INCOMPLETE_DAYS={limit})"
    return None


def field_floors(stats: dict, settings, reason: str) -> str | None:
    """A field found in fewer of the extracted articles than NEWSCRAWL_FIELD_FLOORS says
    (judged from NEWSCRAWL_FIELD_FLOOR_MIN_ARTICLES articles): the site changed under us."""
    low = below_floor(stats, settings)
    if not low:
        return None
    fields = "; ".join(
        f"{share.field} in {share.present}/{share.articles} articles ({share.share:.0%}), "
        f"floor {floor:.0%}"
        for share, floor in low
    )
    return f"field coverage below NEWSCRAWL_FIELD_FLOORS: {fields}"


def structured_data_dropped(stats: dict, settings, reason: str) -> str | None:
    """A field still found, but for most articles no longer from the structured data that
    normally gives it (NEWSCRAWL_FIELD_STRUCTURED): the canary of a redesign, not a failure."""
    dropped = structured_dropped(stats, settings)
    if not dropped:
        return None
    fields = "; ".join(
        f"{share.field} from structured data in {share.kinds.get('structured', 0)}/"
        f"{share.present} articles having it ({share.kind_share('structured'):.0%}), "
        f"expected {expected:.0%}"
        for share, expected in dropped
    )
    return f"fields no longer from structured data (NEWSCRAWL_FIELD_STRUCTURED): {fields}"


RULES: tuple[Rule, ...] = (
    store_unavailable,
    store_lost,
    articles_unkept,
    warc_failed,
    close_failed,
    unclean_finish,
    nothing_reached,
    site_refused,
    lists_unrecognised,
    index_ignored_date,
    nothing_listed,
    listing_failures,
    spider_errors,
    quality_floor,
    listed_lost,
    revisits_failed,
    days_incomplete,
    field_floors,
)
# Rules whose reasons are reported but do not fail the run.
WARNING_RULES: tuple[Rule, ...] = (structured_data_dropped, budget_left_news)


def judge(rule: Rule, stats: dict, settings, reason: str) -> str | None:
    """What one rule says; a rule that raises says so itself (logged with its traceback), so
    the verdict is always decided and the run record never stays "running"."""
    try:
        return rule(stats, settings, reason)
    except Exception as exc:
        logger.exception("Verdict rule %s failed", rule.__name__)
        return f"verdict rule {rule.__name__} failed: {type(exc).__name__}: {exc}"


def failure_reasons(stats: dict, settings, reason: str) -> list[str]:
    """Why the run failed, one line per rule that says so (empty: it went well). A site
    that never answered is the one reason: the other rules would only restate it."""
    unreachable = judge(site_unreachable, stats, settings, reason)
    if unreachable:
        return [unreachable]
    return [text for rule in RULES if (text := judge(rule, stats, settings, reason))]


def run_warnings(stats: dict, settings, reason: str) -> list[str]:
    """What an operator should look at although the run did not fail (a warning rule that
    raises is a warning too: it could only have warned)."""
    return [text for rule in WARNING_RULES if (text := judge(rule, stats, settings, reason))]


class RunVerdict:
    """Decides once, at spider_closed, whether the run failed and with which exit status."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.reasons: list[str] | None = None
        self.warnings: list[str] = []
        self.finish_reason: str | None = None
        self.counted_elsewhere = False
        """True once a keeper said it sends run_counted at close (then spider_closed waits)."""

    @classmethod
    def from_crawler(cls, crawler):
        verdict = cls(crawler)
        crawler.signals.connect(verdict.run_counting, signal=newscrawl_signals.run_counting)
        crawler.signals.connect(verdict.run_counted, signal=newscrawl_signals.run_counted)
        # Crawls without a keeper are decided at spider_closed.
        crawler.signals.connect(verdict.spider_closed, signal=signals.spider_closed)
        return verdict

    @classmethod
    def of(cls, crawler) -> RunVerdict:
        """The crawler's verdict extension."""
        return required_extension(crawler, cls)

    def run_counting(self):
        """A keeper counts the run at close: decide when it says the counts are final."""
        self.counted_elsewhere = True

    def run_counted(self, reason):
        """The run's counts are final: decide."""
        self.decide(reason)

    def spider_closed(self, spider, reason):
        """Decide now, unless a keeper is still counting the run."""
        if not self.counted_elsewhere:
            self.decide(reason)

    def decide(self, reason: str) -> list[str]:
        """The run's failure reasons (computed once, then remembered)."""
        if self.reasons is None:
            self.finish_reason = reason
            stats = self.crawler.stats.get_stats()
            self.reasons = failure_reasons(stats, self.crawler.settings, reason)
            self.warnings = run_warnings(stats, self.crawler.settings, reason)
            for text in self.warnings:
                logger.warning("Run warning: %s", text)
            self.crawler.stats.set_value(VERDICT, "failed" if self.reasons else "ok")
            self.crawler.stats.set_value(VERDICT_REASONS, list(self.reasons))
            self.crawler.stats.set_value(VERDICT_WARNINGS, list(self.warnings))
        return self.reasons

    @property
    def exit_status(self) -> int:
        """0 ok, 1 failed (or never decided), 75 another run held the lock."""
        if self.finish_reason == LOCKED:
            return Exit.LOCKED
        return Exit.OK if self.reasons == [] else Exit.FAILED
