"""`newscrawl check-site`: whether the live site's pages are still read, field by field."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import timedelta

from newscrawl.cli import options
from newscrawl.exits import Exit

NAME = "check-site"


def add_parser(sub) -> None:
    """The subcommand's arguments."""
    parser = sub.add_parser(
        NAME,
        help="fetch a few list and article pages of the live site and report whether each is "
        "still read",
        description=(
            "Fetch one date-archive day of the first channel, a few channel fronts and a tag "
            "page of LIPUTAN6_BASE_URL, and one recent article of each template (text, photo, "
            "video), politely (the crawl's User-Agent, robots.txt, delay, timeout). Report "
            "each list page by the known layout that recognised it and the articles it lists; "
            "extract each article whole and from its visible markup alone, and print per "
            "field where it came from. Exit status: 0 every list page was recognised and every "
            f"expected field was found on every article; {Exit.FAILED:d} a list page was not "
            "recognised or refused, a field was lost (or a front lists nothing); "
            f"{Exit.USAGE:d} bad arguments; {Exit.UNAVAILABLE:d} the site could not be reached."
        ),
    )
    parser.add_argument(
        "--channels",
        help="comma-separated channel fronts to read, the first one's archive day too "
        "(default: news,bisnis,showbiz)",
    )
    parser.add_argument(
        "--day",
        type=options.parse_day,
        help="the date-index day to read, YYYY-MM-DD (default: yesterday in Jakarta)",
    )
    parser.add_argument(
        "--max-articles",
        type=int,
        default=6,
        help="articles fetched at most while looking for each template (default: 6)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "-s",
        "--set",
        action="append",
        metavar="NAME=VALUE",
        help="a Scrapy setting, as in scrapy crawl -s (e.g. LOG_LEVEL=INFO)",
    )


def run(args: argparse.Namespace) -> int:
    """Fetch a few pages of the site and report, per field, where extraction found it."""
    from newscrawl import sitecheck
    from newscrawl.settingscheck import SettingError, check_command_line, check_settings
    from newscrawl.spiders.options import ArgumentError, parse_channels, today_wib

    try:
        channels = parse_channels(args.channels) if args.channels else sitecheck.DEFAULT_CHANNELS
    except ArgumentError as exc:
        print(f"newscrawl check-site: {exc}", file=sys.stderr)
        return Exit.USAGE
    today = today_wib()
    day = args.day or today - timedelta(days=1)  # yesterday: a whole day's list
    if day > today:
        print(
            f"newscrawl check-site: --day {day} is in the future (today is {today} in Jakarta)",
            file=sys.stderr,
        )
        return Exit.USAGE
    configured = options.settings(args)
    # Quiet unless asked (-s LOG_LEVEL=INFO): the report names every failed request.
    configured.set("LOG_LEVEL", "CRITICAL", priority="cmdline")
    configured.set("EXTENSIONS", {}, priority="cmdline")  # no run: no keeper, verdict, coverage
    configured.set("ITEM_PIPELINES", {}, priority="cmdline")
    given = {}
    for pair in args.set or ():
        name, sep, value = pair.partition("=")
        if not sep or not name:
            print(f"newscrawl check-site: -s takes NAME=VALUE, not {pair!r}", file=sys.stderr)
            return Exit.USAGE
        given[name] = value
    try:  # as `scrapy crawl` does: every setting checked before a request
        check_command_line(given)
        configured.setdict(given, priority="cmdline")
        check_settings(configured)
    except SettingError as exc:
        print(f"newscrawl check-site: {exc}", file=sys.stderr)
        return Exit.USAGE
    report = sitecheck.run_check(configured, channels, day, args.max_articles)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print("\n".join(sitecheck.format_report(report)))
    if report.unreachable:
        print(
            f"newscrawl check-site: cannot reach {report.base_url}: {report.unreachable}",
            file=sys.stderr,
        )
    elif report.problems:
        for problem in report.problems:
            print(f"newscrawl check-site: {problem}", file=sys.stderr)
    else:
        checked = sum(1 for a in report.articles if a.type)
        print(
            f"newscrawl check-site: ok, {len(report.lists)} list pages recognised, every "
            f"expected field found on {checked} articles",
            file=sys.stderr,
        )
    return report.status
