"""`newscrawl extract`: parse saved pages and print one JSON line per article."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newscrawl.exits import Exit

NAME = "extract"


def add_parser(sub) -> None:
    """The subcommand's arguments."""
    parser = sub.add_parser(
        NAME,
        help="parse saved Liputan6 pages and print one JSON object per article",
        description=(
            "Parse saved Liputan6 pages offline and print one JSON object per article "
            "(JSON Lines, datetimes in UTC with Z). A page that is not an article is "
            "reported on stderr with the reason. Exit status: 0 all pages were "
            f"articles, {Exit.NOT_ARTICLE:d} some page was not an article, "
            f"{Exit.UNAVAILABLE:d} some file could not be read or was empty, "
            f"{Exit.USAGE:d} bad arguments."
        ),
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="saved HTML page(s)")
    parser.add_argument("--url", help="the URL the page was fetched from (one file only)")


def run(args: argparse.Namespace) -> int:
    """Parse saved pages and print one JSON line per article."""
    from newscrawl.pipelines.validate import Invalid, check_article
    from newscrawl.serialize import article_to_json
    from newscrawl.site.decoding import page_text
    from newscrawl.site.extraction import NotAnArticle, extract_article

    if args.url and len(args.files) > 1:
        print("newscrawl extract: --url applies to one file only", file=sys.stderr)
        return Exit.USAGE
    failures: set[Exit] = set()
    for name in args.files:
        path = Path(name)
        try:
            data = path.read_bytes()
        except OSError as exc:
            print(f"{name}: cannot read: {exc.strerror or exc}", file=sys.stderr)
            failures.add(Exit.UNAVAILABLE)
            continue
        if not data.strip():
            print(f"{name}: empty file", file=sys.stderr)
            failures.add(Exit.UNAVAILABLE)
            continue
        try:
            text = page_text(data, args.url or path.resolve().as_uri())
            article = extract_article(text, url=args.url)
            check_article(article)  # what the crawl would not keep, extract does not print
        except NotAnArticle as exc:  # an undecodable page too
            print(f"{name}: not an article: {exc}", file=sys.stderr)
            failures.add(Exit.NOT_ARTICLE)
            continue
        except Invalid as exc:
            print(f"{name}: not kept: {exc}", file=sys.stderr)
            failures.add(Exit.NOT_ARTICLE)
            continue
        sys.stdout.write(article_to_json(article) + "\n")
    # A file that cannot be read outranks a page that is not an article.
    for status in (Exit.UNAVAILABLE, Exit.NOT_ARTICLE):
        if status in failures:
            return status
    return Exit.OK
