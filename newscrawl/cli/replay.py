"""`newscrawl replay`: write JSON Lines of articles into the store, idempotently."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from newscrawl.cli import options
from newscrawl.exits import Exit

NAME = "replay"


def add_parser(sub) -> None:
    """The subcommand's arguments."""
    parser = sub.add_parser(
        NAME,
        help="write JSON Lines of articles (dead-letter, extract or export output) to the store",
        description=(
            "Write every article of a JSON Lines file to the store: the dead-letter file of a "
            "run whose store failed, or what `newscrawl extract` / `newscrawl export` print. "
            "Idempotent: replaying twice adds nothing. Exit status: 0 done, "
            f"{Exit.FAILED:d} the store failed, {Exit.USAGE:d} bad arguments, "
            f"{Exit.UNAVAILABLE:d} the file or the store could not be opened, "
            f"{Exit.NOT_ARTICLE:d} some line was not an article the crawl would keep."
        ),
    )
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument(
        "--create",
        action="store_true",
        help="start a new store if none exists (without it a missing store is an error)",
    )
    options.add_store_options(parser)


def run(args: argparse.Namespace) -> int:
    """Write JSON Lines of articles into the store, idempotently, with a run record."""
    from newscrawl import runs
    from newscrawl.pipelines.validate import Invalid, check_article
    from newscrawl.serialize import article_from_dict
    from newscrawl.store.base import StoreError, WriteResult, article_document, capture_meta, chunks

    path = Path(args.file)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        print(f"{path}: cannot read: {exc.strerror or exc}", file=sys.stderr)
        return Exit.UNAVAILABLE
    docs, bad = [], 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            article = article_from_dict(data)
            if not article.article_id:
                raise ValueError("no article_id")
            # When and how the page was captured, so the store places it by capture time.
            meta = capture_meta(data)
        except (ValueError, TypeError) as exc:
            bad += 1
            print(f"{path}:{number}: skipped, not an article: {exc}", file=sys.stderr)
            continue
        try:
            check_article(article)  # the crawl's own check: replay keeps nothing it would not
        except Invalid as exc:
            bad += 1
            print(f"{path}:{number}: skipped, not kept: {exc}", file=sys.stderr)
            continue
        docs.append(article_document(article, meta))
    store = options.open_store(args, create=args.create)
    if store is None:
        return Exit.UNAVAILABLE
    run = runs.new_run(NAME, {"file": str(path.resolve())})
    totals = WriteResult()
    status, reason = runs.FAILED, "error"  # until every batch is written
    try:
        runs.start_run(store, run)
        for batch in chunks(docs, args.batch_size):
            totals += store.write_articles(batch, run_id=run.run_id, now=datetime.now(UTC))
        status, reason = runs.FINISHED, "finished"
    except StoreError as exc:
        print(
            f"newscrawl replay: the store failed: {exc}; nothing was lost, run again",
            file=sys.stderr,
        )
        status, reason = runs.FAILED, "store_error"
    finally:
        counts = {
            "new": totals.new,
            "updated": totals.updated,
            "unchanged": totals.unchanged,
            "earlier": totals.earlier,
            "bad_lines": bad,
        }
        runs.finish_run(store, run, status, reason, counts)  # best effort
        store.close()
    print(
        f"replayed {len(docs)} articles from {path}: {totals.new} new, {totals.updated} updated, "
        f"{totals.unchanged} unchanged, {totals.earlier} earlier; {bad} lines skipped",
        file=sys.stderr,
    )
    if run.status != runs.FINISHED:
        return Exit.FAILED
    return Exit.NOT_ARTICLE if bad else Exit.OK
