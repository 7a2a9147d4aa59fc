"""`newscrawl export`: stored articles as JSON Lines or CSV, or a Parquet file."""

from __future__ import annotations

import argparse
import csv
import json
import sys

from newscrawl.cli import options
from newscrawl.exits import Exit
from newscrawl.items import ARTICLE_FIELDS, STORED_FIELDS
from newscrawl.serialize import datetime_z, to_jsonable

NAME = "export"
EXPORT_EXTRA = tuple(STORED_FIELDS)


def add_parser(sub) -> None:
    """The subcommand's arguments."""
    parser = sub.add_parser(
        NAME,
        help="print stored articles as JSON Lines or CSV, or write them as Parquet",
        description=(
            "Print stored articles, oldest published first. --since/--until take YYYY-MM-DD "
            "(a Liputan6 day, from midnight WIB) or an ISO 8601 time; until is exclusive. "
            "--format parquet writes a typed Parquet file (-o FILE required): UTC timestamps, "
            f"lists of strings, integers. Exit status: 0 done, {Exit.USAGE:d} bad arguments "
            f"(an unknown --section too), {Exit.UNAVAILABLE:d} the store could not be opened "
            "(or pyarrow is missing for Parquet)."
        ),
    )
    parser.add_argument("--format", choices=("jsonl", "csv", "parquet"), default="jsonl")
    parser.add_argument("--since", type=options.parse_day_or_time)
    parser.add_argument("--until", type=options.parse_day_or_time)
    parser.add_argument("--section", help="channel slug, e.g. news")
    parser.add_argument("-o", "--output", help="file to write (default: standard output)")
    options.add_store_options(parser)


def run(args: argparse.Namespace) -> int:
    """Print stored articles as JSON Lines or CSV, or write them to a Parquet file."""
    if args.since and args.until and args.until <= args.since:
        print(
            f"newscrawl export: --until {args.until.isoformat()} is not after --since "
            f"{args.since.isoformat()} (since is inclusive, until exclusive)",
            file=sys.stderr,
        )
        return Exit.USAGE
    if args.format == "parquet":
        return _export_parquet(args)
    store = _open_store(args)
    if isinstance(store, Exit):
        return store
    # Standard output unless -o; closed in the finally below.
    out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout  # noqa: SIM115
    count = 0
    try:
        docs = store.iter_articles(since=args.since, until=args.until, section=args.section)
        if args.format == "csv":
            writer = csv.DictWriter(out, fieldnames=[*ARTICLE_FIELDS, *EXPORT_EXTRA])
            writer.writeheader()
            for doc in docs:
                row = to_jsonable({k: doc.get(k) for k in writer.fieldnames})
                writer.writerow(
                    {k: "; ".join(v) if isinstance(v, list) else v for k, v in row.items()}
                )
                count += 1
        else:
            for doc in docs:
                out.write(json.dumps(doc, ensure_ascii=False, default=datetime_z) + "\n")
                count += 1
    finally:
        store.close()
        if out is not sys.stdout:
            out.close()
    print(f"newscrawl export: {count} articles", file=sys.stderr)
    return Exit.OK


def _open_store(args: argparse.Namespace):
    """The store to export from, or the exit status saying why not (no store, a section
    it does not hold)."""
    store = options.open_store(args)
    if store is None:
        return Exit.UNAVAILABLE
    if args.section is not None and (refused := _refuse_section(args, store)):
        store.close()
        return refused
    return store


def _export_parquet(args: argparse.Namespace) -> int:
    """Write stored articles to a Parquet file (-o), typed from the Article schema."""
    if not args.output:
        print(
            "newscrawl export: --format parquet needs -o FILE (Parquet is binary)", file=sys.stderr
        )
        return Exit.USAGE
    try:
        from newscrawl.parquet import write_parquet
    except ImportError as exc:
        print(f"newscrawl export: --format parquet needs pyarrow: {exc}", file=sys.stderr)
        return Exit.UNAVAILABLE
    store = _open_store(args)
    if isinstance(store, Exit):
        return store
    try:
        docs = store.iter_articles(since=args.since, until=args.until, section=args.section)
        count = write_parquet(docs, args.output)
    finally:
        store.close()
    print(f"newscrawl export: {count} articles to {args.output}", file=sys.stderr)
    return Exit.OK


def _refuse_section(args: argparse.Namespace, store) -> Exit | None:
    """None when --section names a channel or a section of a stored article; else the exit
    status, after saying which sections there are (or why the store cannot tell)."""
    from newscrawl.spiders.options import CHANNELS
    from newscrawl.store.base import StoreError

    try:
        stored = store.sections()
    except StoreError as exc:
        print(f"newscrawl {args.command}: {exc}", file=sys.stderr)
        return Exit.UNAVAILABLE
    if args.section in CHANNELS or args.section in stored:
        return None
    allowed = ", ".join(sorted({*CHANNELS, *stored}))
    print(
        f"newscrawl {args.command}: unknown section {args.section!r}; allowed: {allowed}",
        file=sys.stderr,
    )
    return Exit.USAGE
