"""The ``newscrawl`` command: offline tools around the crawler."""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import sys
from datetime import UTC, datetime, time
from pathlib import Path

from newscrawl.items import ARTICLE_FIELDS
from newscrawl.normalize.dates import WIB
from newscrawl.pipelines.validate import Invalid, check_article
from newscrawl.serialize import article_from_dict, article_to_json, datetime_z, to_jsonable
from newscrawl.site.extraction import NotAnArticle, extract_article

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
        text = page_text(data, args.url or path.resolve().as_uri())
        try:
            article = extract_article(text, url=args.url)
            check_article(article)  # what the crawl would not keep, extract does not print
        except NotAnArticle as exc:
            print(f"{name}: not an article: {exc}", file=sys.stderr)
            status = max(status, EXIT_NOT_ARTICLE)
            continue
        except Invalid as exc:
            print(f"{name}: not kept: {exc}", file=sys.stderr)
            status = max(status, EXIT_NOT_ARTICLE)
            continue
        sys.stdout.write(article_to_json(article) + "\n")
    return status


def page_text(body: bytes, url: str) -> str:
    """A saved page's text, decoded exactly as the crawl decodes a response (Scrapy's
    TextResponse: byte order mark, declared charset, then detection)."""
    from scrapy.http import HtmlResponse

    return HtmlResponse(url, body=body).text


def _settings(args: argparse.Namespace):
    """The project settings, with --mongo-uri / --sqlite-path applied."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    if getattr(args, "mongo_uri", None):
        settings.set("MONGO_URI", args.mongo_uri, priority="cmdline")
    if getattr(args, "sqlite_path", None):
        settings.set("MONGO_URI", None, priority="cmdline")
        settings.set("NEWSCRAWL_SQLITE_PATH", args.sqlite_path, priority="cmdline")
    return settings


def _open_store(args: argparse.Namespace):
    """Open the configured store, or print why not and return None."""
    from newscrawl.store import open_store
    from newscrawl.store.base import StoreUnavailable

    store = open_store(_settings(args))
    try:
        store.open()
    except StoreUnavailable as exc:
        print(f"newscrawl {args.command}: {exc}", file=sys.stderr)
        return None
    print(f"newscrawl {args.command}: using {store.description}", file=sys.stderr)
    return store


def _replay(args: argparse.Namespace) -> int:
    """Write JSON Lines of articles into the store, idempotently."""
    from newscrawl.extensions.archive import new_run_id
    from newscrawl.store.base import RunRecord, StoreError, WriteResult, article_document, chunks

    path = Path(args.file)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        print(f"{path}: cannot read: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    docs, bad = [], 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            article = article_from_dict(data)
            if not article.article_id:
                raise ValueError("no article_id")
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
        doc = article_document(article)
        fetched = data.get("fetched_at")
        doc["fetched_at"] = (
            datetime.fromisoformat(fetched.replace("Z", "+00:00")).astimezone(UTC)
            if isinstance(fetched, str)
            else None
        )
        docs.append(doc)
    store = _open_store(args)
    if store is None:
        return EXIT_UNREADABLE
    run = RunRecord(run_id=new_run_id(), spider="replay", args={"file": str(path.resolve())})
    totals = WriteResult()
    try:
        store.start_run(run)
        for batch in chunks(docs, args.batch_size):
            totals += store.write_articles(batch, run_id=run.run_id, now=datetime.now(UTC))
        run.status, run.finish_reason = "finished", "finished"
    except StoreError as exc:
        print(
            f"newscrawl replay: the store failed: {exc}; nothing was lost, run again",
            file=sys.stderr,
        )
        run.status, run.finish_reason = "failed", "store_error"
    finally:
        run.finished_at = datetime.now(UTC)
        run.counts = {
            "new": totals.new,
            "updated": totals.updated,
            "unchanged": totals.unchanged,
            "bad_lines": bad,
        }
        with contextlib.suppress(StoreError):
            store.finish_run(run)  # best effort: the store may be the thing that failed
        store.close()
    print(
        f"replayed {len(docs)} articles from {path}: {totals.new} new, {totals.updated} updated, "
        f"{totals.unchanged} unchanged; {bad} lines skipped",
        file=sys.stderr,
    )
    return 0 if run.status == "finished" and not bad else EXIT_NOT_ARTICLE


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


EXPORT_EXTRA = (
    "_id",
    "version",
    "content_hash",
    "first_seen_at",
    "last_seen_at",
    "fetched_at",
    "run_id",
)


def _export(args: argparse.Namespace) -> int:
    """Print stored articles as JSON Lines or CSV."""
    store = _open_store(args)
    if store is None:
        return EXIT_UNREADABLE
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
    return 0


def _coverage(args: argparse.Namespace) -> int:
    """Print the archive ledger: every (day, channel) asked, walked or not."""
    from datetime import timedelta

    from newscrawl.spiders.options import ArgumentError, parse_channels

    try:
        channels = parse_channels(args.channels)
    except ArgumentError as exc:
        print(f"newscrawl coverage: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    since, until = args.since.date(), args.until.date()
    if until < since:
        print("newscrawl coverage: --until is before --since", file=sys.stderr)
        return EXIT_UNREADABLE
    store = _open_store(args)
    if store is None:
        return EXIT_UNREADABLE
    try:
        records = {(r["day"], r["channel"]): r for r in store.iter_days(since, until, channels)}
    finally:
        store.close()
    header = ("day", "channel", "pages", "listed", "stored", "failed")
    print("{:<10}  {:<10} {:>5} {:>6} {:>6} {:>6}  state".format(*header))
    missing = incomplete = 0
    day = until
    while day >= since:
        for channel in channels:
            record = records.get((day, channel))
            if record is None:
                missing += 1
                print(f"{day}  {channel:<10} {'-':>5} {'-':>6} {'-':>6} {'-':>6}  NOT WALKED")
                continue
            state = "complete" if record["complete"] else "INCOMPLETE"
            incomplete += not record["complete"]
            print(
                f"{day}  {channel:<10} {record['pages']:>5} {record['listed']:>6} "
                f"{record['stored']:>6} {record['failed']:>6}  {state}"
            )
        day -= timedelta(days=1)
    total = ((until - since).days + 1) * len(channels)
    print(
        f"{total} channel-days: {total - missing - incomplete} complete, "
        f"{incomplete} incomplete, {missing} not walked",
        file=sys.stderr,
    )
    return 0 if not missing and not incomplete else EXIT_NOT_ARTICLE


def _check_site(args: argparse.Namespace) -> int:
    """Fetch a few pages of the site and report, per field, where extraction found it."""
    from newscrawl import sitecheck
    from newscrawl.spiders.options import ArgumentError, parse_channels

    try:
        channels = parse_channels(args.channels) if args.channels else sitecheck.DEFAULT_CHANNELS
    except ArgumentError as exc:
        print(f"newscrawl check-site: {exc}", file=sys.stderr)
        return sitecheck.EXIT_USAGE
    settings = _settings(args)
    # Quiet unless asked (-s LOG_LEVEL=INFO): the report names every failed request.
    settings.set("LOG_LEVEL", "CRITICAL", priority="cmdline")
    settings.set("EXTENSIONS", {}, priority="cmdline")  # no run: no archive, verdict, coverage
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    for pair in args.set or ():
        name, sep, value = pair.partition("=")
        if not sep or not name:
            print(f"newscrawl check-site: -s takes NAME=VALUE, not {pair!r}", file=sys.stderr)
            return sitecheck.EXIT_USAGE
        settings.set(name, value, priority="cmdline")
    report = sitecheck.run_check(settings, channels, args.max_articles)
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
            f"newscrawl check-site: ok, every expected field found on {checked} articles",
            file=sys.stderr,
        )
    return report.status


def _add_store_options(parser: argparse.ArgumentParser) -> None:
    """--mongo-uri and --sqlite-path, overriding MONGO_URI / NEWSCRAWL_SQLITE_PATH."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--mongo-uri", help="MongoDB connection string (default: $MONGO_URI)")
    group.add_argument(
        "--sqlite-path",
        help="embedded store file (default: $NEWSCRAWL_SQLITE_PATH or newscrawl.sqlite3)",
    )


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

    replay = sub.add_parser(
        "replay",
        help="write JSON Lines of articles (dead-letter, extract or export output) to the store",
        description=(
            "Write every article of a JSON Lines file to the store: the dead-letter file of a "
            "run whose store failed, or what `newscrawl extract` / `newscrawl export` print. "
            "Idempotent: replaying twice adds nothing."
        ),
    )
    replay.add_argument("file", metavar="FILE")
    replay.add_argument("--batch-size", type=int, default=500)
    _add_store_options(replay)
    replay.set_defaults(func=_replay)

    export = sub.add_parser(
        "export",
        help="print stored articles as JSON Lines or CSV",
        description=(
            "Print stored articles, oldest published first. --since/--until take YYYY-MM-DD "
            "(a Liputan6 day, from midnight WIB) or an ISO 8601 time; until is exclusive."
        ),
    )
    export.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    export.add_argument("--since", type=parse_day_or_time)
    export.add_argument("--until", type=parse_day_or_time)
    export.add_argument("--section", help="channel slug, e.g. news")
    export.add_argument("-o", "--output", help="file to write (default: standard output)")
    _add_store_options(export)
    export.set_defaults(func=_export)

    coverage = sub.add_parser(
        "coverage",
        help="show which archive days were walked completely",
        description=(
            "Print, for every day and channel in the range (newest first), the archive walk's "
            "listing pages and articles listed, stored and failed, marking days that were "
            "never walked or not completely. Exit status 1 when any day is missing."
        ),
    )
    coverage.add_argument("--since", type=parse_day_or_time, required=True, help="YYYY-MM-DD")
    coverage.add_argument("--until", type=parse_day_or_time, required=True, help="YYYY-MM-DD")
    coverage.add_argument("--channels", help="comma-separated channels (default: all)")
    _add_store_options(coverage)
    coverage.set_defaults(func=_coverage)

    check = sub.add_parser(
        "check-site",
        help="fetch a few pages of the live site and report where each field is found",
        description=(
            "Fetch a few channel fronts of LIPUTAN6_BASE_URL and one recent article of each "
            "template (text, photo, video), politely (the crawl's User-Agent, robots.txt, "
            "delay, timeout), extract each whole and from its visible markup alone, and print "
            "per field where it came from. Exit status: 0 every expected field was found on "
            "every article; 1 a field was lost (or a front lists nothing); 2 bad arguments; "
            "3 the site could not be reached."
        ),
    )
    check.add_argument(
        "--channels", help="comma-separated channel fronts to read (default: news,bisnis,showbiz)"
    )
    check.add_argument(
        "--max-articles",
        type=int,
        default=6,
        help="articles fetched at most while looking for each template (default: 6)",
    )
    check.add_argument("--json", action="store_true", help="print the report as JSON")
    check.add_argument(
        "-s",
        "--set",
        action="append",
        metavar="NAME=VALUE",
        help="a Scrapy setting, as in scrapy crawl -s (e.g. LOG_LEVEL=INFO)",
    )
    check.set_defaults(func=_check_site)

    demo = sub.add_parser(
        "demo",
        help="crawl a local copy of the site (no internet needed) and show what was stored",
        description=(
            "Start a local copy of liputan6.com on 127.0.0.1 with made-up articles in the "
            "site's markup, crawl it with `scrapy crawl liputan6` into a fresh SQLite store "
            "(in a new temporary folder, or --keep), then print what was stored and how to "
            "query it. Needs no network. Exit status: 0 done, 1 the crawl failed, 2 bad "
            "arguments."
        ),
    )
    demo.add_argument("--articles", type=int, default=60, help="articles served (default: 60)")
    demo.add_argument(
        "--days", type=int, default=3, help="days they span, ending yesterday (default: 3)"
    )
    demo.add_argument(
        "--keep", metavar="DIR", help="folder for the store (default: a new temp one)"
    )
    demo.set_defaults(func=_demo)
    return parser


def _demo(args: argparse.Namespace) -> int:
    """Crawl a local copy of the site into a fresh store and show it (newscrawl.demo)."""
    from newscrawl.demo import run_demo

    return run_demo(args.articles, args.days, args.keep)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``newscrawl`` console script."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
