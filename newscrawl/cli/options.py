"""What several commands share: argument types, the store and batch options, opening the store."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, time
from pathlib import Path

from newscrawl.exits import Exit
from newscrawl.normalize.dates import WIB

# The commands that may start a new store (--create), named in the hint when there is none.
CREATING = ("replay", "reextract", "import-warc")


def positive_int(text: str) -> int:
    """An argument that must be a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return value


def parse_day_or_time(text: str) -> datetime:
    """A --since/--until value: YYYY-MM-DD (midnight WIB, Liputan6's day) or ISO 8601."""
    try:
        if len(text) == 10:
            return datetime.combine(datetime.strptime(text, "%Y-%m-%d").date(), time(), WIB)
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date (YYYY-MM-DD) or ISO 8601 time"
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=WIB)


def parse_day(text: str) -> date:
    """A --day value: YYYY-MM-DD."""
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def mongo_uri_argument(text: str) -> str:
    """A --mongo-uri value: refused when it carries a password, which every user of the
    machine can read in the process list (ps) and which lands in shell history."""
    from newscrawl.store.mongo import mask_uri

    if mask_uri(text) != text:
        raise argparse.ArgumentTypeError(
            "the URI carries a password, which any user of this machine can read in the "
            "process list; set MONGO_URI in the environment (or an EnvironmentFile) instead"
        )
    return text


def add_store_options(parser: argparse.ArgumentParser) -> None:
    """--store, --mongo-uri and --sqlite-path, overriding NEWSCRAWL_STORE_URI, MONGO_URI and
    NEWSCRAWL_SQLITE_PATH."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--store",
        metavar="URI",
        type=mongo_uri_argument,
        help="the store by URI, sqlite:///path.db or mongodb://host/database, without a "
        "password (default: $NEWSCRAWL_STORE_URI, where a password belongs)",
    )
    group.add_argument(
        "--mongo-uri",
        type=mongo_uri_argument,
        help="MongoDB connection string without a password (default: $MONGO_URI, where a "
        "password belongs)",
    )
    group.add_argument(
        "--sqlite-path",
        help="embedded store file (default: $NEWSCRAWL_SQLITE_PATH or newscrawl.sqlite3)",
    )


# What the batch commands (reextract, import-warc) exit with, for their --help.
BATCH_EXIT_STATUSES = (
    f"Exit status: 0 done, {Exit.FAILED:d} a file or the store failed, "
    f"{Exit.USAGE:d} bad arguments, {Exit.UNAVAILABLE:d} a WARC file or the store "
    f"could not be opened, {Exit.INTERRUPTED:d} interrupted (run again to resume)."
)


def add_batch_options(parser: argparse.ArgumentParser) -> None:
    """Options of the batch commands over WARC files, the store options included."""
    from newscrawl.reextract import default_workers

    parser.add_argument(
        "--workers",
        type=positive_int,
        default=default_workers(),
        help="processes extracting pages (default: every core, %(default)s here)",
    )
    parser.add_argument(
        "--jobdir",
        help="folder recording the finished parts, so an interrupted run resumes there",
    )
    parser.add_argument(
        "--create",
        action="store_true",
        help="start a new store if none exists (rebuilding a lost archive from its WARC files)",
    )
    add_store_options(parser)


def settings(args: argparse.Namespace):
    """The project settings, with --store / --mongo-uri / --sqlite-path applied: the option
    given replaces whatever store the environment names."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    chosen = {
        "NEWSCRAWL_STORE_URI": getattr(args, "store", None),
        "MONGO_URI": getattr(args, "mongo_uri", None),
        "NEWSCRAWL_SQLITE_PATH": getattr(args, "sqlite_path", None),
    }
    if any(chosen.values()):
        for name, value in chosen.items():
            if value or name != "NEWSCRAWL_SQLITE_PATH":
                settings.set(name, value, priority="cmdline")
    return settings


def open_store(args: argparse.Namespace, *, create: bool = False):
    """Open the configured store, or print why not and return None. Only with ``create``
    is a store that does not exist yet created: a wrong folder or name is an error."""
    from newscrawl.store import StoreURIError, configured_uri, open_store
    from newscrawl.store.base import StoreMissing, StoreUnavailable

    configured = settings(args)
    try:
        store = open_store(configured)
        by_uri = configured_uri(configured)
    except StoreURIError as exc:  # a settings error, as argparse's own: nothing was done
        print(f"newscrawl {args.command}: {exc}", file=sys.stderr)
        raise SystemExit(Exit.USAGE) from None
    try:
        store.open(create=create)
    except StoreMissing as exc:
        hint = (
            f"; check {by_uri[0]} and MONGO_DATABASE"
            if by_uri and by_uri[1].startswith("mongodb")
            else "; name the store with --store, --sqlite-path or NEWSCRAWL_SQLITE_PATH "
            "(default: newscrawl.sqlite3 in the current folder)"
        )
        if args.command in CREATING:
            hint += f"; `newscrawl {args.command} --create` starts a new one"
        print(f"newscrawl {args.command}: {exc}{hint}", file=sys.stderr)
        return None
    except StoreUnavailable as exc:
        print(f"newscrawl {args.command}: {exc}", file=sys.stderr)
        return None
    print(f"newscrawl {args.command}: using {store.description}", file=sys.stderr)
    return store


def warc_files(command: str, names: list[str]) -> list[Path] | None:
    """The named WARC files, or None after saying which cannot be read."""
    files, missing = [], []
    for name in names:
        path = Path(name)
        (files if path.is_file() else missing).append(path)
    for path in missing:
        print(f"newscrawl {command}: {path}: no such file", file=sys.stderr)
    return None if missing else files
