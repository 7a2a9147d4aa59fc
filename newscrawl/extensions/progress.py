"""Progress lines a person can follow on a long crawl (every NEWSCRAWL_PROGRESS_INTERVAL s)."""

from __future__ import annotations

import logging
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

from newscrawl.extensions.keeper import Keeper
from newscrawl.stats import (
    DAYS_ASKED,
    STORE,
)

logger = logging.getLogger(__name__)


def eta_text(seconds: float | None) -> str:
    """ "about 3 h 20 min left", "about 4 min left", or "" when unknown."""
    if seconds is None:
        return ""
    minutes = round(seconds / 60)
    if minutes < 1:
        return ", under a minute left"
    if minutes < 60:
        return f", about {minutes} min left"
    return f", about {minutes // 60} h {minutes % 60} min left"


def progress_line(
    *,
    elapsed: float,
    stored: int,
    days_asked: int = 0,
    days_done: int = 0,
    current: str | None = None,
    done_here: int | None = None,
) -> str:
    """One progress line: current day, days done of asked, articles stored, rate, time left.

    The time left comes from this run's own pace: ``done_here`` days finished in ``elapsed``
    (days skipped as complete, or finished before a JOBDIR pause, took none of it).
    """
    rate = stored / elapsed if elapsed > 0 else 0.0
    articles = f"{stored} articles stored ({rate:.1f}/s)"
    if not days_asked:
        return f"Progress: {articles}"
    done_here = days_done if done_here is None else done_here
    eta = None
    if done_here > 0 and days_done < days_asked:
        eta = elapsed / done_here * (days_asked - days_done)
    day = f"day {current}, " if current else ""
    return (
        f"Progress: {day}{days_done} of {days_asked} channel-days done, {articles}{eta_text(eta)}"
    )


class Progress:
    """Logs progress_line() of the run's day ledger and stats at an interval."""

    def __init__(self, crawler, interval: float):
        self.crawler = crawler
        self.interval = interval
        self._started = time.monotonic()
        self._timer = None
        self._done_before = 0
        """Days finished before this run started (a resumed JOBDIR job's)."""

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("NEWSCRAWL_PROGRESS_INTERVAL", 60.0)
        if interval <= 0:
            raise NotConfigured("NEWSCRAWL_PROGRESS_INTERVAL is 0")
        progress = cls(crawler, interval)
        crawler.signals.connect(progress.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(progress.spider_closed, signal=signals.spider_closed)
        return progress

    def spider_opened(self, spider):
        # The keeper (an earlier extension) has loaded a paused job's ledger by now.
        keeper = self.crawler.get_extension(Keeper)
        if keeper is not None:
            self._done_before = keeper.days.ledger.finished_days()
        self._started = time.monotonic()
        self._timer = create_looping_call(self.log)
        self._timer.start(self.interval, now=False)

    def spider_closed(self, spider, reason):
        if self._timer is not None and self._timer.running:
            self._timer.stop()

    def log(self) -> None:
        """Log one line."""
        stats = self.crawler.stats
        keeper = self.crawler.get_extension(Keeper)
        ledger = keeper.days.ledger if keeper is not None else None
        current = None
        done = done_here = 0
        if ledger is not None and ledger.days:
            # Days enter the ledger as their first page answers: the last unfinished one is
            # the day being walked now.
            walking = [d for d in ledger.days.values() if not d.finished]
            if walking:
                current = f"{walking[-1].day} {walking[-1].channel}"
            finished = ledger.finished_days()
            done, done_here = finished + ledger.skipped, finished - self._done_before
        logger.info(
            progress_line(
                elapsed=time.monotonic() - self._started,
                stored=(stats.get_value(f"{STORE}/new", 0) or 0)
                + (stats.get_value(f"{STORE}/updated", 0) or 0)
                + (stats.get_value(f"{STORE}/unchanged", 0) or 0),
                days_asked=stats.get_value(DAYS_ASKED, 0) or 0,
                days_done=done,
                current=current,
                done_here=done_here,
            )
        )
