"""`newscrawl reextract`: re-extract recorded pages with the current extractor."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newscrawl.cli import options
from newscrawl.exits import Exit

NAME = "reextract"


def add_parser(sub) -> None:
    """The subcommand's arguments."""
    parser = sub.add_parser(
        NAME,
        help="re-extract recorded pages (WARC files) with the current extractor",
        description=(
            "Re-parse the pages a crawl recorded (NEWSCRAWL_WARC_DIR) with the current "
            "extractor and write the results through the crawl's validation and store: an "
            "article whose content changes gets a new version (version_reason "
            "re-extraction), an unchanged one only records the extractor version. Uses every "
            "core. " + options.BATCH_EXIT_STATUSES
        ),
    )
    parser.add_argument("files", nargs="*", metavar="WARC", help="WARC file(s) to re-extract")
    parser.add_argument(
        "--outdated",
        action="store_true",
        help="only the articles an older extractor produced (from the files named, else "
        "from their recorded files under --warc-dir)",
    )
    parser.add_argument(
        "--warc-dir", help="where the recorded files are (default: NEWSCRAWL_WARC_DIR)"
    )
    options.add_batch_options(parser)


def run(args: argparse.Namespace) -> int:
    """Re-extract the named WARC files, or the outdated articles' recorded pages."""
    from newscrawl.batch import outdated_pages, run_files
    from newscrawl.reextract import REEXTRACT
    from newscrawl.site import EXTRACTOR_VERSION

    if not args.files and not args.outdated:
        print(
            "newscrawl reextract: name WARC files, or pick the articles an older extractor "
            "produced with --outdated",
            file=sys.stderr,
        )
        return Exit.USAGE
    files = options.warc_files(NAME, args.files)
    if files is None:
        return Exit.UNAVAILABLE
    store = options.open_store(args, create=args.create)
    if store is None:
        return Exit.UNAVAILABLE
    wanted = None
    notes = []
    if args.outdated:
        warc_dir = Path(args.warc_dir or options.settings(args).get("NEWSCRAWL_WARC_DIR") or ".")
        try:
            wanted, notes, found = outdated_pages(
                store, EXTRACTOR_VERSION, warc_dir, files_named=bool(args.files)
            )
        except Exception:
            store.close()
            raise
        if not args.files:
            files = found
    return run_files(NAME, store, files, args, mode=REEXTRACT, wanted=wanted, notes=notes)
