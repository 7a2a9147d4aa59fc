"""The ``newscrawl`` command: offline tools around the crawler."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newscrawl.extraction import NotAnArticle, extract_article
from newscrawl.serialize import article_to_json

EXIT_NOT_ARTICLE = 1
EXIT_UNREADABLE = 2


def _extract(args: argparse.Namespace) -> int:
    """Parse saved pages and print one JSON line per article."""
    status = 0
    if args.url and len(args.files) > 1:
        print("newscrawl extract: --url applies to one file only", file=sys.stderr)
        return EXIT_UNREADABLE
    for name in args.files:
        path = Path(name)
        try:
            data = path.read_bytes()
        except OSError as exc:
            print(f"{name}: cannot read: {exc.strerror or exc}", file=sys.stderr)
            status = max(status, EXIT_UNREADABLE)
            continue
        if not data.strip():
            print(f"{name}: empty file", file=sys.stderr)
            status = max(status, EXIT_UNREADABLE)
            continue
        try:
            article = extract_article(data, url=args.url)
        except NotAnArticle as exc:
            print(f"{name}: not an article: {exc}", file=sys.stderr)
            status = max(status, EXIT_NOT_ARTICLE)
            continue
        sys.stdout.write(article_to_json(article) + "\n")
    return status


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="newscrawl", description="Offline tools for the newscrawl Liputan6 archive."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    extract = sub.add_parser(
        "extract",
        help="parse saved Liputan6 pages and print one JSON object per article",
        description=(
            "Parse saved Liputan6 pages offline and print one JSON object per article "
            "(JSON Lines, datetimes in UTC with Z). A page that is not an article is "
            "reported on stderr with the reason. Exit status: 0 all pages were "
            f"articles, {EXIT_NOT_ARTICLE} some page was not an article, "
            f"{EXIT_UNREADABLE} some file could not be read or was empty."
        ),
    )
    extract.add_argument("files", nargs="+", metavar="FILE", help="saved HTML page(s)")
    extract.add_argument("--url", help="the URL the page was fetched from (one file only)")
    extract.set_defaults(func=_extract)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``newscrawl`` console script."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
