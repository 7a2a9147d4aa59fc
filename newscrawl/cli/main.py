"""The ``newscrawl`` command: a thin dispatcher to one module per subcommand."""

from __future__ import annotations

import argparse

from newscrawl.cli import (
    check_site,
    coverage,
    demo,
    export,
    extract,
    import_warc,
    reextract,
    replay,
)
from newscrawl.exits import Exit, describe

# In the order --help lists them.
COMMANDS = (extract, replay, reextract, import_warc, export, coverage, check_site, demo)


def _version() -> str:
    """The installed package's version."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newscrawl")
    except PackageNotFoundError:
        return "(not installed)"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand, the exit statuses in its epilog."""
    parser = argparse.ArgumentParser(
        prog="newscrawl",
        description="Offline tools for the newscrawl Liputan6 archive.",
        epilog="exit status (every command, and scrapy crawl):\n" + describe(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_parser(sub)
        sub.choices[command.NAME].set_defaults(run=command.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``newscrawl`` console script."""
    args = build_parser().parse_args(argv)  # bad arguments: argparse exits with Exit.USAGE
    try:
        return args.run(args)
    except BrokenPipeError:  # `newscrawl export | head`: the reader had enough
        return Exit.OK
