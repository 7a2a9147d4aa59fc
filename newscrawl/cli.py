"""The ``newscrawl`` command: offline tools around the crawler."""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import signal
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from newscrawl.items import ARTICLE_FIELDS, STORED_FIELDS
from newscrawl.normalize.dates import WIB
from newscrawl.pipelines.validate import Invalid, check_article
from newscrawl.serialize import article_from_dict, article_to_json, datetime_z, to_jsonable
from newscrawl.site.decoding import page_text
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
        try:
            text = page_text(data, args.url or path.resolve().as_uri())
            article = extract_article(text, url=args.url)
            check_article(article)  # what the crawl would not keep, extract does not print
        except NotAnArticle as exc:  # an undecodable page too
            print(f"{name}: not an article: {exc}", file=sys.stderr)
            status = max(status, EXIT_NOT_ARTICLE)
            continue
        except Invalid as exc:
            print(f"{name}: not kept: {exc}", file=sys.stderr)
            status = max(status, EXIT_NOT_ARTICLE)
            continue
        sys.stdout.write(article_to_json(article) + "\n")
    return status


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


def _open_store(args: argparse.Namespace, *, create: bool = False):
    """Open the configured store, or print why not and return None. Only with ``create``
    is a store that does not exist yet created: a wrong folder or name is an error."""
    from newscrawl.store import open_store
    from newscrawl.store.base import StoreMissing, StoreUnavailable

    settings = _settings(args)
    store = open_store(settings)
    try:
        store.open(create=create)
    except StoreMissing as exc:
        hint = (
            "; check MONGO_URI and MONGO_DATABASE"
            if settings.get("MONGO_URI")
            else "; name the archive with --sqlite-path or NEWSCRAWL_SQLITE_PATH "
            "(default: newscrawl.sqlite3 in the current folder)"
        )
        if args.command in ("replay", "reextract", "import-warc"):
            hint += f"; `newscrawl {args.command} --create` starts a new one"
        print(f"newscrawl {args.command}: {exc}{hint}", file=sys.stderr)
        return None
    except StoreUnavailable as exc:
        print(f"newscrawl {args.command}: {exc}", file=sys.stderr)
        return None
    print(f"newscrawl {args.command}: using {store.description}", file=sys.stderr)
    return store


def _replay(args: argparse.Namespace) -> int:
    """Write JSON Lines of articles into the store, idempotently."""
    from newscrawl.extensions.keeper.runrecord import new_run_id
    from newscrawl.store.base import (
        RunRecord,
        StoreError,
        WriteResult,
        article_document,
        capture_meta,
        chunks,
    )

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
    store = _open_store(args, create=args.create)
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
            "earlier": totals.earlier,
            "bad_lines": bad,
        }
        with contextlib.suppress(StoreError):
            store.finish_run(run)  # best effort: the store may be the thing that failed
        store.close()
    print(
        f"replayed {len(docs)} articles from {path}: {totals.new} new, {totals.updated} updated, "
        f"{totals.unchanged} unchanged, {totals.earlier} earlier; {bad} lines skipped",
        file=sys.stderr,
    )
    return 0 if run.status == "finished" and not bad else EXIT_NOT_ARTICLE


EXIT_INTERRUPTED = 130


def positive_int(text: str) -> int:
    """An argument that must be a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return value


def _warc_files(args: argparse.Namespace, names: list[str]) -> list[Path] | None:
    """The named WARC files, or None after saying which cannot be read."""
    files, missing = [], []
    for name in names:
        path = Path(name)
        (files if path.is_file() else missing).append(path)
    for path in missing:
        print(f"newscrawl {args.command}: {path}: no such file", file=sys.stderr)
    return None if missing else files


def _reextract(args: argparse.Namespace) -> int:
    """Re-extract recorded pages with the current extractor (newscrawl.reextract)."""
    from newscrawl.reextract import REEXTRACT, split_tasks
    from newscrawl.site import EXTRACTOR_VERSION

    if not args.files and not args.outdated:
        print(
            "newscrawl reextract: name WARC files, or pick the articles an older extractor "
            "produced with --outdated",
            file=sys.stderr,
        )
        return EXIT_UNREADABLE
    files = _warc_files(args, args.files)
    if files is None:
        return EXIT_UNREADABLE
    store = _open_store(args, create=args.create)
    if store is None:
        return EXIT_UNREADABLE
    wanted = None
    notes = []
    if args.outdated:
        try:
            wanted, notes, found = _outdated(args, store, EXTRACTOR_VERSION)
        except Exception:
            store.close()
            raise
        if not args.files:
            files = found
    try:
        tasks = split_tasks(files, args.workers, mode=REEXTRACT, wanted=wanted)
    except OSError as exc:
        store.close()
        print(f"newscrawl reextract: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    return _run_warc_batch(args, store, tasks, files, notes)


def _outdated(args, store, version: int):
    """The raw pages (offsets by WARC file) of the articles an older extractor produced;
    notes on those that cannot be re-extracted; the files under --warc-dir that hold them."""
    warc_dir = Path(args.warc_dir or _settings(args).get("NEWSCRAWL_WARC_DIR") or ".")
    wanted: dict[str, set[int]] = {}
    unrecorded = 0
    for row in store.raw_pages(below_version=version):
        if row.get("warc_file") and row.get("warc_offset") is not None:
            wanted.setdefault(row["warc_file"], set()).add(int(row["warc_offset"]))
        else:
            unrecorded += 1
    notes = []
    if unrecorded:
        notes.append(
            f"{unrecorded} outdated articles have no recorded page (stored before "
            "NEWSCRAWL_WARC_DIR was set); a crawl that fetches them again updates them"
        )
    found, missing = [], 0
    for name, ids in sorted(wanted.items()):
        if (warc_dir / name).is_file():
            found.append(warc_dir / name)
        else:
            missing += len(ids)
    if missing and not args.files:
        notes.append(f"{missing} outdated articles are in WARC files not found in {warc_dir}")
    frozen = {name: frozenset(ids) for name, ids in wanted.items()}
    return frozen, notes, found


def _import_warc(args: argparse.Namespace) -> int:
    """Import archived copies of liputan6.com pages from WARC files (newscrawl.reextract)."""
    from newscrawl.reextract import IMPORT, split_tasks

    files = _warc_files(args, args.files)
    if files is None:
        return EXIT_UNREADABLE
    store = _open_store(args, create=args.create)
    if store is None:
        return EXIT_UNREADABLE
    try:
        tasks = split_tasks(files, args.workers, mode=IMPORT, archive=args.archive)
    except OSError as exc:
        store.close()
        print(f"newscrawl import-warc: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    return _run_warc_batch(args, store, tasks, files, [])


def _run_warc_batch(args, store, tasks, files: list[Path], notes: list[str]) -> int:
    """Run the tasks into the store with a run record, a progress line and a summary."""
    import time

    from newscrawl.extensions.keeper.runrecord import new_run_id
    from newscrawl.reextract import BatchOutcome, JobDir, Progress, run_batch
    from newscrawl.store.base import RunRecord, StoreError, WriteResult

    command = args.command
    run = RunRecord(
        run_id=new_run_id(),
        spider=command,
        args={
            "files": [str(f.resolve()) for f in files],
            "outdated": bool(getattr(args, "outdated", False)),
            "archive": getattr(args, "archive", None),
            "workers": args.workers,
        },
    )
    jobdir = JobDir(args.jobdir)
    # systemd and kill stop with SIGTERM: the same orderly stop as Ctrl-C.
    signal.signal(signal.SIGTERM, _interrupt)
    started = time.monotonic()
    progress = Progress(sum((t.end or t.size) - t.start for t in tasks))
    # Counted as the run goes: whatever stops it, the summary and the record say what it did.
    outcome = BatchOutcome(written=WriteResult())
    unrecorded = None
    try:
        store.start_run(run)
        run_batch(
            tasks,
            store,
            run_id=run.run_id,
            workers=args.workers,
            jobdir=jobdir,
            progress=progress,
            outcome=outcome,
        )
    except StoreError as exc:
        outcome.store_error = str(exc)
    except KeyboardInterrupt:
        outcome.interrupted = True
    except Exception as exc:  # a bug: recorded with the run, then raised
        outcome.errors.append(f"{type(exc).__name__}: {exc}")
        raise
    finally:
        run.status, run.finish_reason = _batch_status(outcome)
        run.finished_at = datetime.now(UTC)
        run.counts = _batch_counts(outcome, notes)
        try:
            store.finish_run(run)
        except StoreError as exc:  # the store may be the thing that failed
            unrecorded = str(exc)
        store.close()
    seconds = time.monotonic() - started
    _print_batch_summary(command, run, outcome, seconds, notes, unrecorded)
    if outcome.interrupted:
        again = "the same command" + (f" with --jobdir {args.jobdir}" if args.jobdir else "")
        print(
            f"newscrawl {command}: interrupted; what was written is kept. Resume with {again}"
            + ("" if args.jobdir else " (articles already done come out unchanged)"),
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    return 0 if run.status == "finished" else EXIT_NOT_ARTICLE


def _batch_status(outcome) -> tuple[str, str]:
    """The (status, finish_reason) of a reextract or import run."""
    if outcome.interrupted:
        return "failed", "interrupted"
    if outcome.store_error:
        return "failed", "store_error"
    if outcome.errors:
        return "failed", "errors"
    return "finished", "finished"


def _batch_counts(outcome, notes: list[str]) -> dict:
    """The run record's counts of a reextract or import run."""
    written = outcome.written
    return {
        "pages": outcome.pages,
        "records": outcome.records,
        "new": written.new,
        "updated": written.updated,
        "unchanged": written.unchanged,
        "earlier": written.earlier,
        "unwritten": outcome.unwritten,
        "skipped": dict(outcome.skipped),
        "errors": outcome.errors,
        "store_error": outcome.store_error,
        "notes": notes,
    }


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _print_batch_summary(
    command, run, outcome, seconds: float, notes: list[str], unrecorded: str | None = None
) -> None:
    """What the run did, on stderr: pages, what was written, what was skipped and why, and
    what stopped it."""
    counts = run.counts
    rate = counts["pages"] / seconds if seconds else 0.0
    print(
        f"newscrawl {command}: {counts['pages']:,} article pages from {counts['records']:,} "
        f"records in {seconds:.1f} s ({rate:,.0f} pages/s): {counts['new']:,} new, "
        f"{counts['updated']:,} updated, {counts['unchanged']:,} unchanged, "
        f"{counts['earlier']:,} earlier versions; run {run.run_id}, {run.status}",
        file=sys.stderr,
    )
    if outcome.tasks_skipped:
        print(f"  {outcome.tasks_skipped} parts done in an earlier run skipped", file=sys.stderr)
    skipped = counts["skipped"]
    if skipped:
        print("  records that are not stored articles, by reason:", file=sys.stderr)
        width = max(len(reason) for reason in skipped)
        for reason, n in sorted(skipped.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"    {reason:<{width}}  {n:,}", file=sys.stderr)
    for error in counts["errors"]:
        print(f"  error: {error}", file=sys.stderr)
    if outcome.store_error:
        print(f"  the store failed: {outcome.store_error}", file=sys.stderr)
    if outcome.unwritten:
        when = "the store failed" if outcome.store_error else "the run was interrupted"
        print(
            f"  {outcome.unwritten:,} article pages read were not written (or not confirmed) "
            f"when {when}: run the same command again to write them",
            file=sys.stderr,
        )
    if unrecorded:
        print(f"  the run record could not be completed: {unrecorded}", file=sys.stderr)
    for note in notes:
        print(f"  note: {note}", file=sys.stderr)


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


def _known_section(args: argparse.Namespace, store) -> bool:
    """Whether --section names a channel or a section of a stored article; else say which do."""
    from newscrawl.spiders.options import CHANNELS
    from newscrawl.store.base import StoreError

    try:
        stored = store.sections()
    except StoreError as exc:
        print(f"newscrawl {args.command}: {exc}", file=sys.stderr)
        return False
    if args.section in CHANNELS or args.section in stored:
        return True
    allowed = ", ".join(sorted({*CHANNELS, *stored}))
    print(
        f"newscrawl {args.command}: unknown section {args.section!r}; allowed: {allowed}",
        file=sys.stderr,
    )
    return False


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


EXPORT_EXTRA = tuple(STORED_FIELDS)


def _export(args: argparse.Namespace) -> int:
    """Print stored articles as JSON Lines or CSV, or write them to a Parquet file."""
    if args.since and args.until and args.until <= args.since:
        print(
            f"newscrawl export: --until {args.until.isoformat()} is not after --since "
            f"{args.since.isoformat()} (since is inclusive, until exclusive)",
            file=sys.stderr,
        )
        return EXIT_UNREADABLE
    if args.format == "parquet":
        return _export_parquet(args)
    store = _open_store(args)
    if store is None:
        return EXIT_UNREADABLE
    if args.section is not None and not _known_section(args, store):
        store.close()
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


def _export_parquet(args: argparse.Namespace) -> int:
    """Write stored articles to a Parquet file (-o), typed from the Article schema."""
    if not args.output:
        print(
            "newscrawl export: --format parquet needs -o FILE (Parquet is binary)", file=sys.stderr
        )
        return EXIT_UNREADABLE
    try:
        from newscrawl.parquet import write_parquet
    except ImportError as exc:
        print(f"newscrawl export: --format parquet needs pyarrow: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    store = _open_store(args)
    if store is None:
        return EXIT_UNREADABLE
    if args.section is not None and not _known_section(args, store):
        store.close()
        return EXIT_UNREADABLE
    try:
        docs = store.iter_articles(since=args.since, until=args.until, section=args.section)
        count = write_parquet(docs, args.output)
    finally:
        store.close()
    print(f"newscrawl export: {count} articles to {args.output}", file=sys.stderr)
    return 0


def _coverage(args: argparse.Namespace) -> int:
    """Print the archive ledger: every (day, channel) asked, walked or not; or its summary
    per month and channel; or write it as an HTML page."""
    from newscrawl import coverage_report
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
    description = store.description
    try:
        records = {(r["day"], r["channel"]): r for r in store.iter_days(since, until, channels)}
    finally:
        store.close()
    summary = coverage_report.summarize(records, since, until, channels)
    if args.html:
        page = coverage_report.render_html(
            records, since, until, channels, source=description, generated=datetime.now(UTC)
        )
        try:
            Path(args.html).write_text(page, encoding="utf-8")
        except OSError as exc:
            print(f"{args.html}: cannot write: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_UNREADABLE
        print(f"newscrawl coverage: wrote {args.html}", file=sys.stderr)
    if args.summary:
        print("\n".join(coverage_report.summary_lines(summary)))
    elif not args.html:
        _coverage_days(records, since, until, channels)
    t = summary.total
    print(
        f"{t.days} channel-days: {t.complete} complete, {t.open} open, {t.incomplete} incomplete, "
        f"{t.missing} not walked",
        file=sys.stderr,
    )
    return 0 if not t.missing and not t.incomplete else EXIT_NOT_ARTICLE


def _coverage_days(records: dict, since: date, until: date, channels: tuple[str, ...]) -> None:
    """One line per (day, channel), newest day first."""
    from newscrawl.coverage_report import COMPLETE, MISSING, days_of, state_of

    header = ("day", "channel", "pages", "listed", "stored", "failed")
    print("{:<10}  {:<10} {:>5} {:>6} {:>6} {:>6}  state".format(*header))
    for day in reversed(list(days_of(since, until))):
        for channel in channels:
            record = records.get((day, channel))
            state = state_of(record)
            if state == MISSING:
                print(f"{day}  {channel:<10} {'-':>5} {'-':>6} {'-':>6} {'-':>6}  NOT WALKED")
                continue
            print(
                f"{day}  {channel:<10} {record['pages']:>5} {record['listed']:>6} "
                f"{record['stored']:>6} {record['failed']:>6}  "
                f"{state if state == COMPLETE else state.upper()}"
            )


def _check_site(args: argparse.Namespace) -> int:
    """Fetch a few pages of the site and report, per field, where extraction found it."""
    from newscrawl import sitecheck
    from newscrawl.settingscheck import SettingError, check_command_line, check_settings
    from newscrawl.spiders.options import ArgumentError, parse_channels, today_wib

    try:
        channels = parse_channels(args.channels) if args.channels else sitecheck.DEFAULT_CHANNELS
    except ArgumentError as exc:
        print(f"newscrawl check-site: {exc}", file=sys.stderr)
        return sitecheck.EXIT_USAGE
    today = today_wib()
    day = args.day or today - timedelta(days=1)  # yesterday: a whole day's list
    if day > today:
        print(
            f"newscrawl check-site: --day {day} is in the future (today is {today} in Jakarta)",
            file=sys.stderr,
        )
        return sitecheck.EXIT_USAGE
    settings = _settings(args)
    # Quiet unless asked (-s LOG_LEVEL=INFO): the report names every failed request.
    settings.set("LOG_LEVEL", "CRITICAL", priority="cmdline")
    settings.set("EXTENSIONS", {}, priority="cmdline")  # no run: no archive, verdict, coverage
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    given = {}
    for pair in args.set or ():
        name, sep, value = pair.partition("=")
        if not sep or not name:
            print(f"newscrawl check-site: -s takes NAME=VALUE, not {pair!r}", file=sys.stderr)
            return sitecheck.EXIT_USAGE
        given[name] = value
    try:  # as `scrapy crawl` does: every setting checked before a request
        check_command_line(given)
        settings.setdict(given, priority="cmdline")
        check_settings(settings)
    except SettingError as exc:
        print(f"newscrawl check-site: {exc}", file=sys.stderr)
        return sitecheck.EXIT_USAGE
    report = sitecheck.run_check(settings, channels, day, args.max_articles)
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
            f"newscrawl check-site: ok, {len(report.lists)} list pages recognised, every "
            f"expected field found on {checked} articles",
            file=sys.stderr,
        )
    return report.status


def _add_batch_options(parser: argparse.ArgumentParser) -> None:
    """Options of the batch commands over WARC files."""
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
    _add_store_options(parser)


def _add_store_options(parser: argparse.ArgumentParser) -> None:
    """--mongo-uri and --sqlite-path, overriding MONGO_URI / NEWSCRAWL_SQLITE_PATH."""
    group = parser.add_mutually_exclusive_group()
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


def _version() -> str:
    """The installed package's version."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newscrawl")
    except PackageNotFoundError:
        return "(not installed)"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="newscrawl", description="Offline tools for the newscrawl Liputan6 archive."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
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
    replay.add_argument(
        "--create",
        action="store_true",
        help="start a new store if none exists (without it a missing store is an error)",
    )
    _add_store_options(replay)
    replay.set_defaults(func=_replay)

    reextract = sub.add_parser(
        "reextract",
        help="re-extract recorded pages (WARC files) with the current extractor",
        description=(
            "Re-parse the pages a crawl recorded (NEWSCRAWL_WARC_DIR) with the current "
            "extractor and write the results through the crawl's validation and store: an "
            "article whose content changes gets a new version (version_reason "
            "re-extraction), an unchanged one only records the extractor version. Uses every "
            "core. Exit status: 0 done, 1 a file or the store failed, 2 bad arguments, "
            f"{EXIT_INTERRUPTED} interrupted (run again to resume)."
        ),
    )
    reextract.add_argument("files", nargs="*", metavar="WARC", help="WARC file(s) to re-extract")
    reextract.add_argument(
        "--outdated",
        action="store_true",
        help="only the articles an older extractor produced (from the files named, else "
        "from their recorded files under --warc-dir)",
    )
    reextract.add_argument(
        "--warc-dir", help="where the recorded files are (default: NEWSCRAWL_WARC_DIR)"
    )
    _add_batch_options(reextract)
    reextract.set_defaults(func=_reextract)

    import_warc = sub.add_parser(
        "import-warc",
        help="import archived copies of liputan6.com articles from WARC files",
        description=(
            "Read WARC files from elsewhere (Common Crawl's news crawl, Wayback Machine "
            "downloads, other archivists), extract every liputan6.com article page with the "
            "extractor of its era and store it with its provenance (archive, capture time). "
            "An archived copy never overwrites a newer version; an older one becomes an "
            "earlier version in the article's history. Other records are counted by reason. "
            "Exit status: 0 done, 1 a file or the store failed, 2 bad arguments, "
            f"{EXIT_INTERRUPTED} interrupted (run again to resume)."
        ),
    )
    import_warc.add_argument("files", nargs="+", metavar="WARC", help="WARC file(s)")
    import_warc.add_argument(
        "--archive", help="where the copies come from, stored with each (default: file name)"
    )
    _add_batch_options(import_warc)
    import_warc.set_defaults(func=_import_warc)

    export = sub.add_parser(
        "export",
        help="print stored articles as JSON Lines or CSV, or write them as Parquet",
        description=(
            "Print stored articles, oldest published first. --since/--until take YYYY-MM-DD "
            "(a Liputan6 day, from midnight WIB) or an ISO 8601 time; until is exclusive. "
            "--format parquet writes a typed Parquet file (-o FILE required): UTC timestamps, "
            "lists of strings, integers."
        ),
    )
    export.add_argument("--format", choices=("jsonl", "csv", "parquet"), default="jsonl")
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
            "never walked or not completely; --summary prints the same per month and channel, "
            "--html FILE draws it as a calendar. Exit status 1 when any day is missing or "
            "incomplete."
        ),
    )
    coverage.add_argument("--since", type=parse_day_or_time, required=True, help="YYYY-MM-DD")
    coverage.add_argument("--until", type=parse_day_or_time, required=True, help="YYYY-MM-DD")
    coverage.add_argument("--channels", help="comma-separated channels (default: all)")
    coverage.add_argument(
        "--summary",
        action="store_true",
        help="one line per month and channel (newest first), then one per channel, "
        "instead of one per day",
    )
    coverage.add_argument(
        "--html",
        metavar="FILE",
        help="write a self-contained page: a calendar per channel of complete, incomplete and "
        "never-walked days, with articles per day (prints no day lines unless --summary)",
    )
    _add_store_options(coverage)
    coverage.set_defaults(func=_coverage)

    check = sub.add_parser(
        "check-site",
        help="fetch a few list and article pages of the live site and report whether each is "
        "still read",
        description=(
            "Fetch one date-archive day of the first channel, a few channel fronts and a tag "
            "page of LIPUTAN6_BASE_URL, and one recent article of each template (text, photo, "
            "video), politely (the crawl's User-Agent, robots.txt, delay, timeout). Report "
            "each list page by the known layout that recognised it and the articles it lists; "
            "extract each article whole and from its visible markup alone, and print per "
            "field where it came from. Exit status: 0 every list page was recognised and every "
            "expected field was found on every article; 1 a list page was not recognised or "
            "refused, a field was lost (or a front lists nothing); 2 bad arguments; 3 the site "
            "could not be reached."
        ),
    )
    check.add_argument(
        "--channels",
        help="comma-separated channel fronts to read, the first one's archive day too "
        "(default: news,bisnis,showbiz)",
    )
    check.add_argument(
        "--day",
        type=parse_day,
        help="the archive day to read, YYYY-MM-DD (default: yesterday in Jakarta)",
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
