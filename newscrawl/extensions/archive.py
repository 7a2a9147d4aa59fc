"""The archive of one run: the only component that opens the store.

The crawler builds it once (an extension). It opens the store and takes the run's locks
when the spider opens, records the run, answers the spider's "which of these are stored",
writes the pipeline's batches, keeps the day ledger and writes each day's record as soon
as the day is finished, and at close writes what is left and the run's verdict.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import os
import socket
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.exceptions import CloseSpider
from scrapy.utils.asyncio import create_looping_call
from scrapy.utils.job import job_dir

from newscrawl.extensions import required_extension
from newscrawl.extensions.verdict import BUDGET_REASONS, LOCKED, STORE_UNAVAILABLE, RunVerdict
from newscrawl.items import article_id_of
from newscrawl.ledger import DayLedger, ListedArticles
from newscrawl.pipelines.dedupe import DuplicateArticle
from newscrawl.stats import (
    CAUGHT_UP,
    DAYS,
    LISTED,
    LISTING_FAILED,
    LISTS,
    REVISITS,
    STORE,
    count_first,
    revisit_counts,
    run_counts,
)
from newscrawl.store import open_store
from newscrawl.store.base import (
    LockHeld,
    LockHolder,
    RunRecord,
    Store,
    StoreError,
    StoreUnavailable,
    WriteResult,
    documents,
)

logger = logging.getLogger(__name__)
LEDGER_STATE = "newscrawl-ledger.json"


# Earlier runs read for the incremental watermarks (an hourly job runs 24 a day).
RUNS_REMEMBERED = 200
# Revisit checks written together.
CHECKS_PER_WRITE = 100


def new_run_id(now: datetime | None = None) -> str:
    """A sortable, unique run id: 20261124T041500Z-1a2b3c4d."""
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"


class Archive:
    """The store, the run record, the locks and the day ledger of one crawl run."""

    def __init__(self, crawler, store: Store | None):
        self.crawler = crawler
        self.stats = crawler.stats
        self.store = store
        self.ledger = DayLedger(
            timedelta(hours=crawler.settings.getfloat("NEWSCRAWL_DAY_GRACE_HOURS", 6.0))
        )
        self.listed = ListedArticles()
        """Every article a list page led this run to, stored or lost (all modes)."""
        self.run = RunRecord(run_id=new_run_id(), spider="")
        self.totals = WriteResult()
        self.lost: str | None = None
        """Why the store stopped taking writes mid-run, once it has."""
        self._open = False
        self._heartbeat = None
        self._refreshing = False
        self._jobdir = job_dir(crawler.settings)
        self._tasks: set[asyncio.Future] = set()
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="newscrawl-store")
        self._unwritten: list[dict] = []
        """Day records whose write failed: written again at close."""
        self._stopping: asyncio.Future | None = None
        self._checks: list[tuple[str, datetime | None, bool]] = []
        """Revisits answered without a new version, not written yet."""

    def _background(self, coro) -> None:
        """Run a coroutine without waiting for it (kept referenced until it is done; the
        close waits for these)."""
        future = asyncio.ensure_future(coro)
        self._tasks.add(future)
        future.add_done_callback(self._tasks.discard)

    def stop_crawl(self, reason: str) -> None:
        """Close the spider with this finish reason (once; not one of the tasks the close
        waits for, since the close runs inside it)."""
        if self._stopping is not None:
            return
        try:
            engine = self.crawler.engine
        except RuntimeError:  # not crawling: a component driven by hand
            return
        self._stopping = asyncio.ensure_future(engine.close_spider_async(reason=reason))

    @classmethod
    def from_crawler(cls, crawler):
        """One per crawl. The store is opened only by a crawl run (NEWSCRAWL_RUN, which
        `scrapy crawl` sets): `scrapy shell`, `fetch`, `parse` and `check` never touch it."""
        settings = crawler.settings
        store = None
        if settings.getbool("STORE_ENABLED", True) and settings.getbool("NEWSCRAWL_RUN"):
            store = open_store(settings)
        archive = cls(crawler, store)
        crawler.signals.connect(archive.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(archive.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(archive.request_dropped, signal=signals.request_dropped)
        crawler.signals.connect(archive.item_dropped, signal=signals.item_dropped)
        return archive

    @classmethod
    def of(cls, crawler) -> Archive:
        """The crawler's archive (raises NotConfigured when the extension is switched off)."""
        return required_extension(crawler, cls)

    @property
    def keeps_records(self) -> bool:
        """True while the store is open and has not been lost."""
        return self._open and self.lost is None

    # ---- open --------------------------------------------------------------------------

    async def spider_opened(self, spider):
        """Open the store and take the locks before anything is fetched."""
        self._load_state()
        if self.store is None:
            return
        self.run.spider = spider.name
        self.run.args = dict(getattr(spider, "run_args", {}) or {})
        try:
            await self.in_thread(self.store.open)
        except StoreUnavailable as exc:
            logger.error("Cannot open the store: %s", exc)
            self.stats.set_value(f"{STORE}/unavailable", str(exc))
            raise CloseSpider(STORE_UNAVAILABLE) from None
        self._open = True
        try:
            locked = await self._lock(spider)
            if locked:
                await self.in_thread(self.store.start_run, self.run)
        except Exception as exc:
            # Whatever failed here, nothing may be fetched without a store that works.
            logger.error("Cannot start the run in the store: %s", exc)
            self.stats.set_value(f"{STORE}/unavailable", str(exc))
            await self._close_store()
            raise CloseSpider(STORE_UNAVAILABLE) from None
        if not locked:
            raise CloseSpider(LOCKED)
        self.stats.set_value(f"{STORE}/run_id", self.run.run_id)
        logger.info("Storing articles in %s (run %s)", self.store.description, self.run.run_id)

    def lock_keys(self, spider) -> list[str]:
        """One lock per channel of the run's mode: crawls of other channels may run beside."""
        options = getattr(spider, "options", None)
        if options is None:
            return [f"{spider.name}:all"]
        return [f"{options.mode}:{channel}" for channel in options.channels]

    async def _lock(self, spider) -> bool:
        """Take the run's locks; False (and a line saying who holds them) when held."""
        if not self.crawler.settings.getbool("NEWSCRAWL_LOCK_ENABLED", True):
            return True
        holder = LockHolder(
            run_id=self.run.run_id,
            pid=os.getpid(),
            host=socket.gethostname(),
            started_at=self.run.started_at,
        )
        try:
            dead = await self.in_thread(self.store.acquire_locks, self.lock_keys(spider), holder)
        except LockHeld as exc:
            message = str(exc)
            logger.error("Cannot take the run's locks: %s; exiting without crawling", message)
            self.stats.set_value(f"{STORE}/locked", message)
            await self._close_store()
            return False
        if dead:
            for other in dead:
                logger.warning(
                    "Took over the lock of run %s (pid %s on %s), which died without "
                    "releasing it; its record is marked killed",
                    other.run_id,
                    other.pid,
                    other.host,
                )
            await self.in_thread(
                self.store.mark_runs_killed, sorted({o.run_id for o in dead if o.run_id})
            )
        beat = self.store.lock_heartbeat_s
        if beat:
            self._heartbeat = create_looping_call(self._refresh_locks)
            self._heartbeat.start(beat, now=False)
        return True

    async def _refresh_locks_async(self) -> None:
        """Keep the run's leases alive; a lease lost to another run stops the crawl."""
        try:
            await self.in_thread(self.store.refresh_locks)
        except LockHeld as exc:
            logger.error("Lost a lock to another run, stopping the crawl: %s", exc)
            self.stats.set_value(f"{STORE}/lock_lost", str(exc))
            self.stop_crawl("lock_lost")
        except StoreError as exc:
            # The store itself is failing: the writes notice and dead-letter.
            logger.warning("Could not refresh the run's locks: %s", exc)
        finally:
            self._refreshing = False

    def _refresh_locks(self) -> None:
        """Timer tick: one refresh at a time (a slow store skips ticks instead of piling up)."""
        if not self._refreshing:
            self._refreshing = True
            self._background(self._refresh_locks_async())

    # ---- what the spider asks and reports ----------------------------------------------

    async def stored_ids(self, article_ids: list[str]) -> set[str]:
        """Which of these article ids are stored (none when there is no store)."""
        if not article_ids or not self.keeps_records:
            return set()
        try:
            return await self.in_thread(self.store.existing_ids, article_ids)
        except StoreError as exc:
            # Fetching again is safe (writes are idempotent); the writes report the loss.
            logger.warning("Could not look up stored articles: %s", exc)
            return set()

    async def walked_days(
        self, channels, days
    ) -> tuple[set[tuple[str, date]], set[tuple[str, date]]]:
        """The (channel, day)s the ledger in the store holds as complete, and as open
        (walked to the end without a fault before the day was over)."""
        if not self.keeps_records:
            return set(), set()
        records = await self.in_thread(self.store.get_days, channels, days)
        complete = {key for key, record in records.items() if record.get("complete")}
        walked = {key for key, record in records.items() if record.get("open")}
        return complete, walked - complete

    async def caught_up(self, spider: str, channels) -> dict[str, datetime]:
        """For each channel, when the last run of this spider that caught up on it started
        (its incremental walk reached articles the archive holds, and it stored what it
        listed): the channel's watermark. Channels no remembered run caught up are absent."""
        if not self.keeps_records:
            return {}
        try:
            runs = await self.in_thread(self.store.runs, RUNS_REMEMBERED)
        except StoreError as exc:
            logger.warning("Could not read the earlier runs (walking without watermarks): %s", exc)
            return {}
        wanted, found = set(channels), {}
        for run in runs:  # newest first
            if run.get("spider") != spider:
                continue
            for channel in wanted & set((run.get("counts") or {}).get("caught_up") or ()):
                found.setdefault(channel, run["started_at"])
        return found

    async def due_articles(self, now: datetime) -> list[dict]:
        """The stored articles due for a revisit at ``now`` (none without a store)."""
        if not self.keeps_records:
            return []
        try:
            return await self.in_thread(self.store.due_articles, now)
        except StoreError as exc:
            logger.warning("Could not read the articles due for a revisit: %s", exc)
            return []

    def checked(self, article_id: str, next_due: datetime | None, *, seen: bool = True) -> None:
        """A revisit found the article unchanged (304; seen) or could not read it (not seen):
        its next revisit is moved on, written in the background with the next ones."""
        self._checks.append((str(article_id), next_due, seen))
        if len(self._checks) >= CHECKS_PER_WRITE:
            self._background(self._write_checks())

    async def _write_checks(self) -> None:
        """Write the checks gathered so far; those that fail are counted, and come due again."""
        checks, self._checks = self._checks, []
        if not checks or not self.keeps_records:
            return
        now = datetime.now(UTC)
        for seen in (True, False):
            part = [(i, due) for i, due, s in checks if s is seen]
            if not part:
                continue
            try:
                await self.in_thread(
                    functools.partial(self.store.record_checks, part, now, seen=seen)
                )
            except StoreError as exc:
                self.stats.inc_value(f"{STORE}/checks_unwritten", len(part))
                logger.error("Could not record %d revisit checks: %s", len(part), exc)

    def day_requested(self, channel: str, day: date) -> None:
        """Page 1 of the day is asked for: from now on the day belongs to this job (its
        JOBDIR, so a resumed run does not ask again). It is walked once page 1 answers."""
        self.ledger.requested.add((channel, day))

    def day_unreadable(self, channel: str, day: date, *, other_days: bool = False) -> None:
        """A list page of the day no layout knows (its listing ends here), or one that
        listed only other days' articles: the day stays incomplete."""
        self.ledger.unreadable(channel, day, other_days=other_days)
        if not other_days:
            self.ledger.listing_finished(channel, day, failed=True)
        self._record_due()

    def articles_listed(self, article_ids) -> None:
        """A list page led the run to fetch these articles (any mode)."""
        self.listed.listed(article_ids)

    def article_lost(self, article_id: str | None, reason: str) -> None:
        """A listed article will not be stored in this run, and why."""
        self.listed.lost(article_id, reason)

    def day_listed(self, channel: str, day: date, ids: list[str], stored: set[str]):
        """One list page of a day: (ids new to the day, the new ones to fetch)."""
        return self.ledger.listed(channel, day, ids, stored)

    def day_listing_finished(self, channel: str, day: date, *, failed: bool = False) -> None:
        """The day's listing ended (failed: a list page could not be fetched)."""
        self.ledger.listing_finished(channel, day, failed=failed)
        self._record_due()

    def article_failed(self, article_id: str | None, channel: str, day: date) -> None:
        """A listed article of the day will not be stored in this run."""
        if article_id:
            self.ledger.failed(article_id, channel, day)
        self._record_due()

    def request_dropped(self, request, spider=None):
        """A request the scheduler refused (duplicate filter): its day cannot be complete."""
        kwargs = request.cb_kwargs
        self.listed.lost(kwargs.get("article_id"), "duplicate_filtered")
        if not (kwargs.get("channel") and kwargs.get("day")):
            self.stats.inc_value(f"{LISTED}/filtered_requests")
            logger.warning("Dropped as a duplicate request: %s", request.url)
            return
        channel, day = kwargs["channel"], date.fromisoformat(kwargs["day"])
        self.ledger.filtered(channel, day)
        self.stats.inc_value(f"{DAYS}/filtered_requests")
        logger.warning(
            "Dropped as a duplicate request: %s (day %s %s stays incomplete)",
            request.url,
            channel,
            kwargs["day"],
        )
        if kwargs.get("article_id"):
            self.ledger.failed(kwargs["article_id"], channel, day)
        elif "page" in kwargs and "article" not in kwargs:
            # A list page of the day: the rest of its listing is unknown.
            self.stats.inc_value(LISTING_FAILED)
            self.ledger.listing_finished(channel, day, failed=True)
        self._record_due()

    def item_dropped(self, item, response, exception, spider=None):
        """An article dropped by a pipeline is a failed article of its day (a second copy
        of an article is not: the first one is stored)."""
        if not isinstance(exception, DuplicateArticle):
            self.listed.lost(article_id_of(item), "dropped")
            self.not_stored(article_id_of(item))

    def not_stored(self, article_id: str | None) -> None:
        """An article reached the pipelines but will not be stored in this run."""
        if article_id:
            self.listed.lost(article_id, "not_stored")
            self.ledger.failed(str(article_id))
            self._record_due()

    # ---- writes ------------------------------------------------------------------------

    async def write(self, batch: list[tuple[Any, dict[str, Any]]]) -> WriteResult:
        """Write a batch of (article, bookkeeping) in the store's thread; raise StoreError.

        The documents are built there too, so the event loop does not hash every article.
        After the write, the articles count as durably stored in the ledger, and the days
        they finish are recorded.
        """
        if self.store is None or not self._open:
            raise StoreError("the store is not open")
        result = await self.in_thread(self._write_documents, batch, datetime.now(UTC))
        self.totals += result
        for name in ("new", "updated", "unchanged", "earlier", "round_trips", "superseded"):
            self.stats.inc_value(f"{STORE}/{name}", getattr(result, name))
        ids = [article_id_of(article) for article, _ in batch]
        published = {
            i: when
            for i, (article, _) in zip(ids, batch, strict=True)
            if (when := getattr(article, "published_at", None))
        }
        self.ledger.stored(ids, published)
        self.listed.stored(ids)
        self._record_due()
        return result

    def _write_documents(
        self, batch: list[tuple[Any, dict[str, Any]]], now: datetime
    ) -> WriteResult:
        """The store thread's part of a write: documents, then one bulk write."""
        return self.store.write_articles(documents(batch), run_id=self.run.run_id, now=now)

    async def in_thread(self, func, *args):
        """Call blocking I/O in the run's one store thread (Scrapy's pattern for blocking
        clients). One thread keeps the store's calls in order and its memory in one place."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(func, *args))

    def store_lost(self, reason: str) -> None:
        """The store stopped taking writes: everything from now goes to the dead-letter file."""
        if self.lost is None:
            self.lost = reason
            self.stats.set_value(f"{STORE}/lost", reason)

    def _record_due(self) -> None:
        """Write the records of days that just finished (in the background)."""
        if not self.keeps_records:
            return
        records = self.ledger.due(self.run.run_id, datetime.now(UTC))
        self._dated_elsewhere(records)
        if records:
            self._background(self._put_days(records))

    def _dated_elsewhere(self, records: list[dict]) -> None:
        """Count the days whose fetched articles were all published on other days (their
        list carried no times to tell): the archive answered another date."""
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
            await self.in_thread(self.store.put_days, records)
        except StoreError as exc:
            logger.error("Could not write the day ledger (again at close): %s", exc)
            self._unwritten.extend(records)

    # ---- close -------------------------------------------------------------------------

    async def spider_closed(self, spider, reason):
        """Record every day of the run, decide the verdict, complete the run record."""
        try:
            if self._heartbeat is not None and self._heartbeat.running:
                self._heartbeat.stop()
            if self._tasks:
                await asyncio.gather(*self._tasks, return_exceptions=True)
            await self._write_checks()
            self._close_revisits(reason)
            await self._close_ledger()
            self._save_state(reason)
        except Exception as exc:
            from newscrawl.stats import CLOSE_FAILED

            # A reason of the verdict below, so the record and the exit status say it too.
            logger.exception("Closing run %s failed", self.run.run_id)
            self.stats.set_value(CLOSE_FAILED, f"{type(exc).__name__}: {exc}")
        finally:
            # Whatever failed above, the run gets its verdict, its record and its locks back.
            verdict = self.crawler.get_extension(RunVerdict)
            reasons = verdict.decide(reason) if verdict is not None else []
            warnings = verdict.warnings if verdict is not None else []
            if self.store is not None and self._open:
                try:
                    await self._finish_run(reason, reasons, warnings)
                finally:
                    await self._close_store()

    async def _close_ledger(self) -> None:
        """Write the records of every day this run walked and has not recorded yet, and sum
        up the days and the listed articles. Days asked for whose first page never answered
        get no record: "never walked" stays apart from "walked and failed"."""
        self._close_listed()
        if self.store is None:
            return  # a run without a store keeps no ledger, and says nothing of days
        now = datetime.now(UTC)
        due = self.ledger.due(self.run.run_id, now, final=True)
        self._dated_elsewhere(due)
        records = self._unwritten + due
        self._unwritten = []
        if records and self.keeps_records:
            try:
                await self.in_thread(self.store.put_days, records)
            except StoreError as exc:
                # The ledger cannot be trusted without these: the store failed this run.
                self.store_lost(f"the day ledger could not be written: {exc}")
        asked = self.stats.get_value(f"{DAYS}/asked", 0)
        if not (asked or self.ledger.days):
            return
        states = self.ledger.states(now)
        never = max(0, asked - self.ledger.skipped - len(self.ledger.days))
        for name, count in (*states.items(), ("never_started", never)):
            self.stats.set_value(f"{DAYS}/{name}", count)
        # Days left to walk again: walked and not complete, or never started.
        self.stats.set_value(f"{DAYS}/incomplete", states["incomplete"] + never)
        logger.info(
            "Days: %d asked, %d already complete, %d complete, %d open, %d incomplete, "
            "%d never started",
            asked,
            self.ledger.skipped,
            states["complete"],
            states["open"],
            states["incomplete"],
            never,
        )
        for walk in [
            w for w in self.ledger.days.values() if w.state(now, self.ledger.grace) == "incomplete"
        ][:20]:
            unread = ""
            if walk.unrecognised:
                unread += f", {walk.unrecognised} list pages not recognised"
            if walk.other_days:
                unread += f", {walk.other_days} list pages of other days"
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

    def _close_revisits(self, reason: str) -> None:
        """Say what the revisits did and what is left; a run that left listed articles
        unanswered or lost its store has caught up on no channel (the next one looks again)."""
        done = revisit_counts(self.stats.get_stats())
        left = done["left"]
        self.stats.set_value(f"{REVISITS}/left", left)
        if done["due"]:
            logger.info(
                "Revisits: %d due, %d fetched, %d not modified (304), %d failed, %d left",
                done["due"],
                done["fetched"],
                done["not_modified"],
                done["failed"],
                left,
            )
        if reason in BUDGET_REASONS:
            logger.info("Budget reached: %d revisits left for the next run", left)
        waiting = self.listed.counts().get("waiting", 0)
        if self.stats.get_value(CAUGHT_UP) and (waiting or self.lost):
            self.stats.set_value(CAUGHT_UP, [])
            logger.info(
                "No channel counts as caught up: %s",
                "the store was lost" if self.lost else f"{waiting} listed articles not answered",
            )

    def _close_listed(self) -> None:
        """Count what became of every listed article, and say so when any was lost."""
        counts = self.listed.counts()
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

    async def _close_store(self) -> None:
        """Close the store; closing releases the run's locks."""
        self._open = False
        try:
            await self.in_thread(self.store.close)
        except StoreError as exc:
            # A lease expires by itself; a file lock goes with the process.
            logger.warning("Could not close the store cleanly: %s", exc)
        finally:
            self._executor.shutdown(wait=False)

    async def _finish_run(self, reason: str, reasons: list[str], warnings: list[str]) -> None:
        """Complete the run record with the verdict and the counts."""
        self.run.finished_at = datetime.now(UTC)
        self.run.finish_reason = reason
        self.run.status = "failed" if reasons else "finished"
        self.run.counts = {
            **run_counts(self.stats, self.totals),
            "failure_reasons": reasons,
            "warnings": warnings,
        }
        self.stats.set_value(f"{STORE}/status", self.run.status)
        try:
            await self.in_thread(self.store.finish_run, self.run)
        except Exception as exc:
            # The record stays "running" in a store that failed: the log must say so.
            logger.error(
                "Could not record the end of run %s (%s): %s",
                self.run.run_id,
                self.run.status,
                exc,
                exc_info=not isinstance(exc, StoreError),
            )
        logger.info(
            "Run %s %s: %d new, %d updated, %d unchanged, dropped %s, %d dead-lettered",
            self.run.run_id,
            self.run.status,
            self.totals.new,
            self.totals.updated,
            self.totals.unchanged,
            self.run.counts["dropped"] or "none",
            self.run.counts["dead_lettered"],
        )

    # ---- JOBDIR ------------------------------------------------------------------------

    def _state_path(self) -> Path | None:
        return Path(self._jobdir) / LEDGER_STATE if self._jobdir else None

    def _load_state(self) -> None:
        """Resume the ledger of a paused run (JOBDIR)."""
        path = self._state_path()
        if path is None or not path.exists():
            return
        self.ledger.load_state(json.loads(path.read_text(encoding="utf-8")))
        logger.info("Resumed the day ledger of %d days from %s", len(self.ledger.days), path)

    def _save_state(self, reason: str) -> None:
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
