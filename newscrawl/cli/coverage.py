"""`newscrawl coverage`: which archive days were walked completely."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from newscrawl.cli import options
from newscrawl.exits import Exit

NAME = "coverage"


def add_parser(sub) -> None:
    """The subcommand's arguments."""
    parser = sub.add_parser(
        NAME,
        help="show which archive days were walked completely",
        description=(
            "Print, for every day and channel in the range (newest first), the date-index walk's "
            "listing pages and articles listed, stored and failed, marking days that were "
            "never walked or not completely; --summary prints the same per month and channel, "
            "--html FILE draws it as a calendar. Exit status: 0 every day complete, "
            f"{Exit.GAPS:d} any day missing or incomplete, {Exit.USAGE:d} bad arguments, "
            f"{Exit.UNAVAILABLE:d} the store could not be opened or the page not written."
        ),
    )
    parser.add_argument("--since", type=options.parse_day_or_time, required=True, help="YYYY-MM-DD")
    parser.add_argument("--until", type=options.parse_day_or_time, required=True, help="YYYY-MM-DD")
    parser.add_argument("--channels", help="comma-separated channels (default: all)")
    parser.add_argument(
        "--summary",
        action="store_true",
        help="one line per month and channel (newest first), then one per channel, "
        "instead of one per day",
    )
    parser.add_argument(
        "--html",
        metavar="FILE",
        help="write a self-contained page: a calendar per channel of complete, incomplete and "
        "never-walked days, with articles per day (prints no day lines unless --summary)",
    )
    options.add_store_options(parser)


def run(args: argparse.Namespace) -> int:
    """Print the day ledger: every (day, channel) asked, walked or not; or its summary
    per month and channel; or write it as an HTML page."""
    from newscrawl import coverage_report
    from newscrawl.spiders.options import ArgumentError, parse_channels

    try:
        channels = parse_channels(args.channels)
    except ArgumentError as exc:
        print(f"newscrawl coverage: {exc}", file=sys.stderr)
        return Exit.USAGE
    since, until = args.since.date(), args.until.date()
    if until < since:
        print("newscrawl coverage: --until is before --since", file=sys.stderr)
        return Exit.USAGE
    store = options.open_store(args)
    if store is None:
        return Exit.UNAVAILABLE
    description = store.description
    try:
        records = {(r["day"], r["channel"]): r for r in store.iter_days(since, until, channels)}
    finally:
        store.close()
    summary = coverage_report.summarize(records, since, until, channels)
    if args.html:
        page = coverage_report.render_html(
            records, since, until, channels, source=description, generated=datetime.now(UTC)
        )
        try:
            Path(args.html).write_text(page, encoding="utf-8")
        except OSError as exc:
            print(f"{args.html}: cannot write: {exc.strerror or exc}", file=sys.stderr)
            return Exit.UNAVAILABLE
        print(f"newscrawl coverage: wrote {args.html}", file=sys.stderr)
    if args.summary:
        print("\n".join(coverage_report.summary_lines(summary)))
    elif not args.html:
        _print_days(records, since, until, channels)
    t = summary.total
    print(
        f"{t.days} channel-days: {t.complete} complete, {t.open} open, {t.incomplete} incomplete, "
        f"{t.missing} not walked",
        file=sys.stderr,
    )
    return Exit.GAPS if t.missing or t.incomplete else Exit.OK


def _print_days(records: dict, since: date, until: date, channels: tuple[str, ...]) -> None:
    """One line per (day, channel), newest day first."""
    from newscrawl.coverage_report import COMPLETE, MISSING, days_of, state_of

    header = ("day", "channel", "pages", "listed", "stored", "failed")
    print("{:<10}  {:<10} {:>5} {:>6} {:>6} {:>6}  state".format(*header))
    for day in reversed(list(days_of(since, until))):
        for channel in channels:
            record = records.get((day, channel))
            state = state_of(record)
            if state == MISSING:
                print(f"{day}  {channel:<10} {'-':>5} {'-':>6} {'-':>6} {'-':>6}  NOT WALKED")
                continue
            print(
                f"{day}  {channel:<10} {record['pages']:>5} {record['listed']:>6} "
                f"{record['stored']:>6} {record['failed']:>6}  "
                f"{state if state == COMPLETE else state.upper()}"
            )
