"""When a stored article is fetched again, and how much one run may spend: pure functions.

A polite crawl is limited by requests, not CPU, so an article is fetched when it is new and
then revisited only on a schedule of ages after its publication (NEWSCRAWL_REVISIT_AFTER,
"3h,24h" by default): edits come early, and an article is left alone once the schedule is
spent. A run may also be given a budget (NEWSCRAWL_RUN_BUDGET) of time or requests, which
Scrapy's CloseSpider extension enforces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])")
_REQUESTS = re.compile(r"(\d+)\s*(?:requests?|r)")


def parse_duration(text: str) -> timedelta:
    """ "90s", "45m", "3h", "1.5d" as a timedelta; ValueError otherwise."""
    match = _DURATION.fullmatch(text.strip().lower())
    if not match:
        raise ValueError(f"{text!r} is not a duration such as 45m, 3h or 1d")
    return timedelta(seconds=float(match[1]) * UNITS[match[2]])


def parse_schedule(text: str | None) -> tuple[timedelta, ...]:
    """The ages after publication at which an article is revisited, ascending, from "3h,24h".

    Empty (or None) turns revisits off. A zero age or a repeated one is refused: each age
    is one revisit, and a revisit at publication time would be the first fetch.
    """
    if text is None or not str(text).strip():
        return ()
    ages = [parse_duration(part) for part in str(text).split(",")]
    if any(age <= timedelta(0) for age in ages):
        raise ValueError("a revisit age must be more than 0")
    if len(set(ages)) != len(ages):
        raise ValueError("each revisit age is given once")
    return tuple(sorted(ages))


def next_due(
    published: datetime | None, checked: datetime, schedule: tuple[timedelta, ...]
) -> datetime | None:
    """When an article published at ``published`` and fetched at ``checked`` is next due.

    The first age of the schedule that falls after the fetch; None when the schedule is
    spent, off, or the publication time is unknown (then nothing says how old it is). An
    article fetched late (a backfill, a run after days off) skips the ages it missed: one
    fetch covers them all.
    """
    if published is None:
        return None
    for age in schedule:
        due = published + age
        if due > checked:
            return due
    return None


@dataclass(frozen=True)
class Budget:
    """What one run may spend: seconds of crawling, requests (responses), or both."""

    seconds: float | None = None
    requests: int | None = None

    def __bool__(self) -> bool:
        return self.seconds is not None or self.requests is not None


def parse_budget(text: str | None) -> Budget:
    """ "50m", "3000s", "2000 requests" or "50m, 2000 requests" as a Budget; empty or "0":
    no budget. ValueError names what is wrong."""
    if text is None or str(text).strip() in ("", "0"):
        return Budget()
    seconds = requests = None
    for part in str(text).lower().split(","):
        part = part.strip()
        if match := _REQUESTS.fullmatch(part):
            if requests is not None:
                raise ValueError("the budget names requests twice")
            requests = int(match[1])
            if requests < 1:
                raise ValueError("a budget of requests must be at least 1")
        else:
            if seconds is not None:
                raise ValueError("the budget names a time twice")
            seconds = parse_duration(part).total_seconds()
            if seconds <= 0:
                raise ValueError("a budget of time must be more than 0")
    return Budget(seconds=seconds, requests=requests)
