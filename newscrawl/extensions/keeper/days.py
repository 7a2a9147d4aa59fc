"""The keeper's days: the day ledger of a backfill, each day's record written as soon as the
day is finished, and the ledger of a paused job kept in its JOBDIR."""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from scrapy.utils.job import job_dir

from newscrawl.extensions.keeper.connection import StoreConnection
from newscrawl.ledger import DayLedger
from newscrawl.stats import (
    DAYS,
    DAYS_ASKED,
    DAYS_INCOMPLETE,
    LISTING_FAILED,
    LISTS,
    count_first,
)
from newscrawl.store.base import StoreError

logger = logging.getLogger(__name__)
# The ledger of a paused job, beside Scrapy's request queue in JOBDIR.
LEDGER_STATE = "newscrawl-ledger.json"


class Days:
    """The run's day ledger (pure, newscrawl.ledger) and its records in the store."""

    def __init__(self, crawler, connection: StoreConnection, run_id: str):
        self.stats = crawler.stats
        self.connection = connection
        self.run_id = run_id
        self.ledger = DayLedger(
            timedelta(hours=crawler.settings.getfloat("NEWSCRAWL_DAY_GRACE_HOURS", 6.0))
        )
        self._jobdir = job_dir(crawler.settings)
        self._unwritten: list[dict] = []
        """Day records whose write failed: written again at close."""

    # ---- what the spider asks and reports ----------------------------------------------

    async def walked(self, channels, days) -> tuple[set[tuple[str, date]], set[tuple[str, date]]]:
        """The (channel, day)s the ledger in the store holds as complete, and as open
        (walked to the end without a fault before the day was over)."""
        if not self.connection.keeps_records:
            return set(), set()
        records = await self.connection.in_thread(self.connection.store.get_days, channels, days)
        complete = {key for key, record in records.items() if record.get("complete")}
        walked = {key for key, record in records.items() if record.get("open")}
        return complete, walked - complete

    async def to_walk(self, channels, days, refresh: bool = False) -> list[tuple]:
        """(rank, channel, day, rewalk) of every day of a backfill to ask for, in walking
        order: days this job already holds (a resumed JOBDIR run) are left out, days the
        store holds complete are counted as skipped (unless ``refresh``), and ``rewalk`` says
        the day is open (walked to its end by an earlier run)."""
        complete, walked = set(), set()
        if not refresh:
            complete, walked = await self.walked(channels, days)
        ledger, todo = self.ledger, []
        for rank, day in enumerate(days):
            for channel in channels:
                key = (channel, day)
                if key in ledger.days or key in ledger.requested:
                    continue  # this job's already (a resumed JOBDIR run)
                if key in complete:
                    ledger.skipped += 1
                    self.stats.inc_value(f"{DAYS}/skipped_complete")
                else:
                    todo.append((rank, channel, day, key in walked))
        return todo

    def resumed(self) -> tuple[int, int, int]:
        """(days skipped as complete, days a resumed job finished, days it asked for and
        not yet finished)."""
        finished = sum(1 for walk in self.ledger.days.values() if walk.finished)
        return self.ledger.skipped, finished, len(self.ledger.requested) - finished

    def requested(self, channel: str, day: date) -> None:
        """Page 1 of the day is asked for: from now on the day belongs to this job (its
        JOBDIR, so a resumed run does not ask again). It is walked once page 1 answers."""
        self.ledger.requested.add((channel, day))

    def unreadable(self, channel: str, day: date, *, other_days: bool = False) -> None:
        """An index page of the day no layout knows (its listing ends here), or one that
        listed only other days' articles: the day stays incomplete."""
        self.ledger.unreadable(channel, day, other_days=other_days)
        if not other_days:
            self.ledger.listing_finished(channel, day, failed=True)
        self.record_due()

    def page_listed(self, channel: str, day: date, ids: list[str], stored: set[str]):
        """One index page of a day: (ids new to the day, the new ones to fetch)."""
        return self.ledger.listed(channel, day, ids, stored)

    def listing_finished(self, channel: str, day: date, *, failed: bool = False) -> None:
        """The day's listing ended (failed: an index page could not be fetched)."""
        self.ledger.listing_finished(channel, day, failed=failed)
        self.record_due()

    def article_failed(self, article_id: str | None, channel: str | None = None, day=None):
        """A listed article (of the day, when known) will not be stored in this run."""
        if article_id:
            self.ledger.failed(article_id, channel, day)
        self.record_due()

    def request_filtered(self, channel: str, day: date, kwargs: dict) -> None:
        """A request of the day the duplicate filter dropped: the day cannot be complete."""
        self.ledger.filtered(channel, day)
        self.stats.inc_value(f"{DAYS}/filtered_requests")
        if kwargs.get("article_id"):
            self.ledger.failed(kwargs["article_id"], channel, day)
        elif "page" in kwargs and "article" not in kwargs:
            # An index page of the day: the rest of its listing is unknown.
            self.stats.inc_value(LISTING_FAILED)
            self.ledger.listing_finished(channel, day, failed=True)
        self.record_due()

    def stored(self, article_ids: list, published: dict) -> None:
        """These articles are durably written (``published``: id -> published_at): the days
        they finish are recorded."""
        self.ledger.stored(article_ids, published)
        self.record_due()

    # ---- records -----------------------------------------------------------------------

    def record_due(self) -> None:
        """Write the records of days that just finished (in the background)."""
        if not self.connection.keeps_records:
            return
        records = self.ledger.due(self.run_id, datetime.now(UTC))
        self._dated_elsewhere(records)
        if records:
            self.connection.background(self._put_days(records))

    def _dated_elsewhere(self, records: list[dict]) -> None:
        """Count the days whose fetched articles were all published on other days (their
        list carried no times to tell): the date index answered another date."""
        for record in records:
            walk = self.ledger.days[(record["channel"], record["day"])]
            if not walk.dated_elsewhere or walk.other_days:
                continue
            where = f"{walk.channel} {walk.day}"
            if count_first(self.stats, f"{LISTS}/other_days", where):
                logger.error("Day %s: every article it listed was published on other days", where)

    async def _put_days(self, records: list[dict]) -> None:
        """Write day records; those that fail are written again at close."""
        try:
            await self.connection.in_thread(self.connection.store.put_days, records)
        except StoreError as exc:
            logger.error("Could not write the day ledger (again at close): %s", exc)
            self._unwritten.extend(records)

    async def close(self) -> None:
        """Write the records of every day this run walked and has not recorded yet, and sum
        up the days. Days asked for whose first page never answered get no record: "never
        walked" stays apart from "walked and failed"."""
        if self.connection.store is None:
            return  # a run without a store keeps no ledger, and says nothing of days
        now = datetime.now(UTC)
        due = self.ledger.due(self.run_id, now, final=True)
        self._dated_elsewhere(due)
        records = self._unwritten + due
        self._unwritten = []
        if records and self.connection.keeps_records:
            try:
                await self.connection.in_thread(self.connection.store.put_days, records)
            except StoreError as exc:
                # The ledger cannot be trusted without these: the store failed this run.
                self.connection.store_lost(f"the day ledger could not be written: {exc}")
        self._count(now)

    def _count(self, now: datetime) -> None:
        """The days' states in the stats, and the incomplete ones in the log."""
        ledger = self.ledger
        asked = self.stats.get_value(DAYS_ASKED, 0)
        if not (asked or ledger.days):
            return
        states = ledger.states(now)
        never = max(0, asked - ledger.skipped - len(ledger.days))
        for name, count in (*states.items(), ("never_started", never)):
            self.stats.set_value(f"{DAYS}/{name}", count)
        # Days left to walk again: walked and not complete, or never started.
        self.stats.set_value(DAYS_INCOMPLETE, states["incomplete"] + never)
        logger.info(
            "Days: %d asked, %d already complete, %d complete, %d open, %d incomplete, "
            "%d never started",
            asked,
            ledger.skipped,
            states["complete"],
            states["open"],
            states["incomplete"],
            never,
        )
        for walk in [w for w in ledger.days.values() if w.state(now, ledger.grace) == "incomplete"][
            :20
        ]:
            unread = ""
            if walk.unrecognised:
                unread += f", {walk.unrecognised} index pages not recognised"
            if walk.other_days:
                unread += f", {walk.other_days} index pages of other days"
            logger.warning(
                "Day %s %s incomplete: %d listed, %d stored, %d failed, %d duplicate-filtered%s%s",
                walk.channel,
                walk.day,
                walk.listed_count,
                walk.stored,
                walk.failed,
                walk.filtered,
                unread,
                "" if walk.finished else f", {len(walk.waiting)} not answered when the run ended",
            )

    # ---- JOBDIR ------------------------------------------------------------------------

    def _state_path(self) -> Path | None:
        return Path(self._jobdir) / LEDGER_STATE if self._jobdir else None

    def load_state(self) -> None:
        """Resume the ledger of a paused run (JOBDIR)."""
        path = self._state_path()
        if path is None or not path.exists():
            return
        self.ledger.load_state(json.loads(path.read_text(encoding="utf-8")))
        logger.info("Resumed the day ledger of %d days from %s", len(self.ledger.days), path)

    def save_state(self, reason: str) -> None:
        """Keep the ledger beside Scrapy's request queue, so a resumed run continues it."""
        path = self._state_path()
        if path is None:
            return
        if reason == "finished":
            path.unlink(missing_ok=True)  # the job is done: nothing to resume
            return
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.ledger.to_state()), encoding="utf-8")
        os.replace(tmp, path)
