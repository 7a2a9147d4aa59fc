"""`newscrawl demo`: crawl a local copy of the site into a fresh store and show it."""

from __future__ import annotations

import argparse

from newscrawl.exits import Exit

NAME = "demo"


def add_parser(sub) -> None:
    """The subcommand's arguments."""
    parser = sub.add_parser(
        NAME,
        help="crawl a local copy of the site (no internet needed) and show what was stored",
        description=(
            "Start a local copy of liputan6.com on 127.0.0.1 with made-up articles in the "
            "site's markup, crawl it with `scrapy crawl liputan6` into a fresh SQLite store "
            "(in a new temporary folder, or --keep), then print what was stored and how to "
            f"query it. Needs no network. Exit status: 0 done, {Exit.FAILED:d} the crawl "
            f"failed, {Exit.USAGE:d} bad arguments."
        ),
    )
    parser.add_argument("--articles", type=int, default=60, help="articles served (default: 60)")
    parser.add_argument(
        "--days", type=int, default=3, help="days they span, ending yesterday (default: 3)"
    )
    parser.add_argument(
        "--keep", metavar="DIR", help="folder for the store (default: a new temp one)"
    )


def run(args: argparse.Namespace) -> int:
    """Crawl a local copy of the site into a fresh store and show it (newscrawl.demo)."""
    from newscrawl.demo import run_demo

    return run_demo(args.articles, args.days, args.keep)
