"""`newscrawl import-warc`: import archived copies of liputan6.com pages from WARC files."""

from __future__ import annotations

import argparse

from newscrawl.cli import options
from newscrawl.exits import Exit

NAME = "import-warc"


def add_parser(sub) -> None:
    """The subcommand's arguments."""
    parser = sub.add_parser(
        NAME,
        help="import archived copies of liputan6.com articles from WARC files",
        description=(
            "Read WARC files from elsewhere (Common Crawl's news crawl, Wayback Machine "
            "downloads, other archivists), extract every liputan6.com article page with the "
            "extractor of its era and store it with its provenance (archive, capture time). "
            "An archived copy never overwrites a newer version; an older one becomes an "
            "earlier version in the article's history. Other records are counted by reason. "
            + options.BATCH_EXIT_STATUSES
        ),
    )
    parser.add_argument("files", nargs="+", metavar="WARC", help="WARC file(s)")
    parser.add_argument(
        "--archive", help="where the copies come from, stored with each (default: file name)"
    )
    options.add_batch_options(parser)


def run(args: argparse.Namespace) -> int:
    """Import the WARC files' liputan6.com article pages into the store."""
    from newscrawl.batch import run_files
    from newscrawl.reextract import IMPORT

    files = options.warc_files(NAME, args.files)
    if files is None:
        return Exit.UNAVAILABLE
    store = options.open_store(args, create=args.create)
    if store is None:
        return Exit.UNAVAILABLE
    return run_files(NAME, store, files, args, mode=IMPORT, archive=args.archive)
