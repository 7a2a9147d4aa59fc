"""The per-day ledger of a date-index walk, kept in memory for one run (no I/O here).

The spider reports what each (channel, day) lists and which articles failed; the store
pipeline reports which articles are durably written. A day exists in the ledger from the
moment its first list page answered (a day only asked for is not "walked"). It is finished
when its listing is read to the end and every listed article is either stored or failed; it
is complete when nothing failed and the day is over in WIB plus a grace period (articles are
listed late); finished but not over yet, it is open. Finished days are handed out as ledger
records as soon as they finish, so a crash costs at most the days in flight.

ListedArticles does the same bookkeeping for the whole run in every mode: each article a
list page led to is stored or lost for a reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from newscrawl.normalize.dates import WIB, place_in_day

DayKey = tuple[str, date]
DEFAULT_GRACE = timedelta(hours=6)


def day_over(day: date, now: datetime, grace: timedelta = DEFAULT_GRACE) -> bool:
    """Whether the WIB day has ended, plus the grace for articles listed late, at ``now``."""
    return now >= datetime.combine(day + timedelta(days=1), time(), WIB) + grace


@dataclass
class Day:
    """One (channel, day) of the date index within this run."""

    channel: str
    day: date
    pages: int = 0
    listed: set[str] = field(default_factory=set)
    listed_count: int = 0
    """How many articles the day listed (kept once the id sets are freed)."""
    waiting: set[str] = field(default_factory=set)
    """Listed articles neither durably stored nor failed yet."""
    stored: int = 0
    failed: int = 0
    filtered: int = 0
    """Requests of this day dropped by the duplicate filter (redirects to a known URL)."""
    listing_done: bool = False
    listing_failed: bool = False
    unrecognised: int = 0
    """List pages of the day no known layout could read."""
    other_days: int = 0
    """List pages of the day whose dated items were all of other days."""
    on_day: int = 0
    near_day: int = 0
    off_day: int = 0
    """Articles fetched for the day and stored: published in the day, in the hour either side
    of it, or on another day."""
    recorded: bool = False

    @property
    def finished(self) -> bool:
        """Nothing more will happen to this day in this run."""
        return self.listing_done and not self.waiting

    @property
    def complete(self) -> bool:
        """Walked to the end, every listed article stored, nothing lost on the way."""
        return (
            self.finished
            and not self.listing_failed
            and not self.failed
            and not self.filtered
            and not self.dated_elsewhere
        )

    @property
    def dated_elsewhere(self) -> bool:
        """Every article this walk fetched for the day was published on another day: the
        date index answered another date (when its list carried no times to tell)."""
        return self.off_day > 0 and self.on_day == 0

    def state(self, now: datetime, grace: timedelta = DEFAULT_GRACE) -> str:
        """complete, open (walked without a fault, but the day is not over) or incomplete."""
        if not self.complete:
            return "incomplete"
        return "complete" if day_over(self.day, now, grace) else "open"

    def record(
        self, run_id: str | None, now: datetime, grace: timedelta = DEFAULT_GRACE
    ) -> dict[str, Any]:
        """The ledger record the store keeps for this day."""
        state = self.state(now, grace)
        return {
            "channel": self.channel,
            "day": self.day,
            "pages": self.pages,
            "listed": self.listed_count,
            "stored": self.stored,
            "failed": self.failed,
            "complete": state == "complete",
            "open": state == "open",
            "walked_at": now,
            "run_id": run_id,
        }

    def to_state(self) -> dict[str, Any]:
        """A JSON-able copy, for JOBDIR."""
        return {
            "channel": self.channel,
            "day": self.day.isoformat(),
            "pages": self.pages,
            "listed": sorted(self.listed),
            "listed_count": self.listed_count,
            "waiting": sorted(self.waiting),
            "stored": self.stored,
            "failed": self.failed,
            "filtered": self.filtered,
            "listing_done": self.listing_done,
            "listing_failed": self.listing_failed,
            "unrecognised": self.unrecognised,
            "other_days": self.other_days,
            "on_day": self.on_day,
            "near_day": self.near_day,
            "off_day": self.off_day,
            "recorded": self.recorded,
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> Day:
        """The day to_state() wrote."""
        return cls(
            **{
                **data,
                "day": date.fromisoformat(data["day"]),
                "listed": set(data["listed"]),
                "waiting": set(data["waiting"]),
            }
        )


class DayLedger:
    """Days of this run and the articles each one waits for."""

    def __init__(self, grace: timedelta = DEFAULT_GRACE) -> None:
        self.grace = grace
        """How long after its end (WIB) a day may still get articles listed."""
        self.days: dict[DayKey, Day] = {}
        """Days whose first list page answered, in the order they did."""
        self.requested: set[DayKey] = set()
        """Days whose first list page was asked for (a resumed job does not ask again)."""
        self._days_of: dict[str, set[DayKey]] = {}
        # Days touched since the last due(): only they can have finished.
        self._changed: set[DayKey] = set()
        self.skipped = 0
        """Days asked for but already complete in the store."""

    def day(self, channel: str, day: date) -> Day:
        """The day, created on first use (when its first list page answered)."""
        key = (channel, day)
        if key not in self.days:
            self.days[key] = Day(channel, day)
        self._changed.add(key)
        return self.days[key]

    def listed(
        self, channel: str, day: date, ids: Iterable[str], stored: Iterable[str] = ()
    ) -> tuple[list[str], list[str]]:
        """One list page of the day: (ids new to the day, the new ones to fetch)."""
        walk = self.day(channel, day)
        walk.pages += 1
        already = set(stored)
        new = [i for i in dict.fromkeys(ids) if i not in walk.listed]
        fetch = []
        for article_id in new:
            walk.listed.add(article_id)
            walk.listed_count += 1
            if article_id in already:
                walk.stored += 1
            else:
                walk.waiting.add(article_id)
                self._days_of.setdefault(article_id, set()).add((channel, day))
                fetch.append(article_id)
        return new, fetch

    def unreadable(self, channel: str, day: date, *, other_days: bool = False) -> None:
        """A list page of the day no layout recognised (or, other_days, that listed only
        other days' articles): its listing cannot be trusted, the day stays incomplete."""
        walk = self.day(channel, day)
        walk.pages += 1
        if other_days:
            walk.other_days += 1
        else:
            walk.unrecognised += 1
        walk.listing_failed = True

    def listing_finished(self, channel: str, day: date, *, failed: bool = False) -> None:
        """The day's listing is read to its end (or a list page failed for good)."""
        walk = self.day(channel, day)
        walk.listing_done = True
        walk.listing_failed = walk.listing_failed or failed

    def filtered(self, channel: str, day: date) -> None:
        """A request of the day was dropped by the duplicate filter (its article, if it was
        one, is reported failed too)."""
        self.day(channel, day).filtered += 1

    def failed(self, article_id: str, channel: str | None = None, day: date | None = None) -> None:
        """An article will not be stored in this run (fetch failed, not an article, dropped):
        for the given day only, or for every day listing it when no day is given."""
        days = self._days_of.get(article_id, set())
        keys = {(channel, day)} & days if channel and day else set(days)
        days -= keys
        if not days:
            self._days_of.pop(article_id, None)
        for key in keys:
            walk = self.days[key]
            walk.waiting.discard(article_id)
            walk.failed += 1
            self._changed.add(key)

    def stored(
        self, article_ids: Iterable[str], published: dict[str, datetime] | None = None
    ) -> None:
        """These articles are durably written; ``published`` (id -> published_at) tells
        whether they belong to the day that listed them."""
        published = published or {}
        for article_id in article_ids:
            for key in self._days_of.pop(article_id, ()):
                walk = self.days[key]
                walk.waiting.discard(article_id)
                walk.stored += 1
                when = published.get(article_id)
                if when is not None:
                    place = place_in_day(when, walk.day)
                    name = {"in": "on_day", "near": "near_day", "out": "off_day"}[place]
                    setattr(walk, name, getattr(walk, name) + 1)
                self._changed.add(key)

    def due(self, run_id: str | None, now: datetime, *, final: bool = False) -> list[dict]:
        """Records of the days finished since the last call (every unrecorded day if final).

        A recorded day's id sets are freed: nothing about it can change any more.
        """
        keys, self._changed = (self.days if final else self._changed), set()
        records = []
        for walk in (self.days[key] for key in keys):
            if walk.recorded or not (walk.finished or final):
                continue
            records.append(walk.record(run_id, now, self.grace))
            if walk.finished:
                walk.recorded = True
                walk.listed, walk.waiting = set(), set()
        return records

    def states(self, now: datetime) -> Counter[str]:
        """How many of this run's days are complete, open and incomplete at ``now``."""
        return Counter(walk.state(now, self.grace) for walk in self.days.values())

    def finished_days(self) -> int:
        """Days of this run walked to their end (complete or not)."""
        return sum(1 for walk in self.days.values() if walk.finished)

    def to_state(self) -> dict[str, Any]:
        """Everything needed to resume the walk (JOBDIR), JSON-able.

        Days skipped as already complete are not kept: a resumed run counts them again.
        """
        return {
            "days": [walk.to_state() for walk in self.days.values()],
            "requested": sorted([c, d.isoformat()] for c, d in self.requested),
        }

    def load_state(self, state: dict[str, Any]) -> None:
        """Continue from to_state() of a paused run."""
        for data in state.get("days", []):
            walk = Day.from_state(data)
            self.days[(walk.channel, walk.day)] = walk
            for article_id in walk.waiting:
                self._days_of.setdefault(article_id, set()).add((walk.channel, walk.day))
        self.requested |= {(c, date.fromisoformat(d)) for c, d in state.get("requested", [])}


class ListedArticles:
    """Every article a list page led the run to fetch, and what became of it: stored, or lost
    for a reason (failed, not an article, dropped, duplicate-filtered, redirected)."""

    def __init__(self) -> None:
        self.state: dict[str, str] = {}
        """article id -> "waiting", "stored" or the reason it was lost."""

    def listed(self, article_ids: Iterable[str]) -> None:
        """These articles are asked for."""
        for article_id in article_ids:
            self.state.setdefault(str(article_id), "waiting")

    def stored(self, article_ids: Iterable[str]) -> None:
        """These articles are durably written (whatever happened to another copy)."""
        for article_id in article_ids:
            if str(article_id) in self.state:
                self.state[str(article_id)] = "stored"

    def lost(self, article_id: str | None, reason: str) -> None:
        """This article will not be stored in this run (unless another copy of it is)."""
        if article_id and self.state.get(str(article_id)) == "waiting":
            self.state[str(article_id)] = reason

    def counts(self) -> Counter[str]:
        """How many are stored, waiting (not answered when the run ended) and lost by reason."""
        return Counter(self.state.values())
