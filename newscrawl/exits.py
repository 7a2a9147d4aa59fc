"""The exit statuses of every newscrawl command, each with one meaning.

The one mapping: the ``newscrawl`` commands return these, ``scrapy crawl`` (the project's crawl
command) exits with OK, FAILED, USAGE or LOCKED, and ``newscrawl --help`` and the README list them.
"""

from __future__ import annotations

import textwrap
from enum import IntEnum


class Exit(IntEnum):
    """An exit status; the value is what the shell sees."""

    OK = 0
    FAILED = 1
    USAGE = 2
    UNAVAILABLE = 3
    NOT_ARTICLE = 4
    GAPS = 5
    LOCKED = 75  # EX_TEMPFAIL: systemd units count it a success (SuccessExitStatus=75)
    INTERRUPTED = 130  # 128 + SIGINT, as a shell reports Ctrl-C


MEANINGS: dict[Exit, str] = {
    Exit.OK: "done, nothing went wrong",
    Exit.FAILED: "failed, each reason on stderr: a run (crawl, replay, reextract, import-warc, "
    "the demo's crawl) whose store, files or rules failed, or a check-site that found a page "
    "or field no longer read",
    Exit.USAGE: "bad arguments or settings; nothing was done",
    Exit.UNAVAILABLE: "something needed could not be opened: a missing, unreadable or empty "
    "file, a store that is not there or cannot be opened, the site (check-site), pyarrow",
    Exit.NOT_ARTICLE: "extract or replay met input that is not an article the crawl would "
    "keep (each named on stderr); the rest was done",
    Exit.GAPS: "coverage: some day of the range was never walked or not completely",
    Exit.LOCKED: "scrapy crawl: another live run holds a lock this one needs; nothing was "
    "fetched, try later",
    Exit.INTERRUPTED: "reextract or import-warc interrupted (Ctrl-C, SIGTERM); what was written "
    "is kept, run again to resume (an interrupted crawl is a failed run: 1)",
}


def describe(width: int = 79) -> str:
    """The mapping as text for --help: each status, then its meaning."""
    return "\n".join(
        textwrap.fill(
            MEANINGS[status],
            width,
            initial_indent=f"  {int(status):>3}  ",
            subsequent_indent=" " * 7,
            break_on_hyphens=False,
        )
        for status in Exit
    )
