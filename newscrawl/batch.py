"""One batch run over WARC files (reextract, import-warc): its run record, the SIGTERM
stop, the progress line and the summary on stderr; the work itself is newscrawl.reextract's."""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path

from newscrawl import runs
from newscrawl.exits import Exit
from newscrawl.reextract import BatchOutcome, JobDir, Progress, Task, run_batch, split_tasks
from newscrawl.store.base import StoreError, WriteResult


def outdated_pages(store, version: int, warc_dir: Path, files_named: bool):
    """The raw pages (offsets by WARC file) of the articles an older extractor produced;
    notes on those that cannot be re-extracted; the files under ``warc_dir`` that hold them."""
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
    if missing and not files_named:
        notes.append(f"{missing} outdated articles are in WARC files not found in {warc_dir}")
    frozen = {name: frozenset(ids) for name, ids in wanted.items()}
    return frozen, notes, found


def run_files(
    command: str,
    store,
    files: list[Path],
    args,
    *,
    mode: str,
    wanted=None,
    archive: str | None = None,
    notes: list[str] | None = None,
) -> Exit:
    """The WARC files split into tasks (``args.workers``, ``args.jobdir``, ``args.outdated``)
    and run into the store (then closed); a file that cannot be read is UNAVAILABLE."""
    try:
        tasks = split_tasks(files, args.workers, mode=mode, wanted=wanted, archive=archive)
    except OSError as exc:
        store.close()
        print(f"newscrawl {command}: {exc}", file=sys.stderr)
        return Exit.UNAVAILABLE
    return run_warc_batch(
        command,
        store,
        tasks,
        run_args={
            "files": [str(f.resolve()) for f in files],
            "outdated": bool(getattr(args, "outdated", False)),
            "archive": archive,
            "workers": args.workers,
        },
        workers=args.workers,
        jobdir=args.jobdir,
        notes=notes or [],
    )


def run_warc_batch(
    command: str,
    store,
    tasks: list[Task],
    *,
    run_args: dict,
    workers: int,
    jobdir: str | None,
    notes: list[str],
) -> Exit:
    """Run the tasks into the store (then close it) with a run record, a progress line and
    a summary; the exit status says how it ended."""
    jobs = JobDir(jobdir)
    # systemd and kill stop with SIGTERM: the same orderly stop as Ctrl-C.
    signal.signal(signal.SIGTERM, _interrupt)
    started = time.monotonic()
    progress = Progress(sum((t.end or t.size) - t.start for t in tasks))
    # Counted as the run goes: whatever stops it, the summary and the record say what it did.
    outcome = BatchOutcome(written=WriteResult())
    run = runs.new_run(command, run_args)
    unrecorded = None
    try:
        runs.start_run(store, run)
        run_batch(
            tasks,
            store,
            run_id=run.run_id,
            workers=workers,
            jobdir=jobs,
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
        status, reason = batch_status(outcome)
        unrecorded = runs.finish_run(store, run, status, reason, batch_counts(outcome, notes))
        store.close()
    print_batch_summary(command, run, outcome, time.monotonic() - started, notes, unrecorded)
    if outcome.interrupted:
        again = "the same command" + (f" with --jobdir {jobdir}" if jobdir else "")
        print(
            f"newscrawl {command}: interrupted; what was written is kept. Resume with {again}"
            + ("" if jobdir else " (articles already done come out unchanged)"),
            file=sys.stderr,
        )
        return Exit.INTERRUPTED
    return Exit.OK if run.status == runs.FINISHED else Exit.FAILED


def batch_status(outcome: BatchOutcome) -> tuple[str, str]:
    """The (status, finish_reason) of a reextract or import run."""
    if outcome.interrupted:
        return runs.FAILED, "interrupted"
    if outcome.store_error:
        return runs.FAILED, "store_error"
    if outcome.errors:
        return runs.FAILED, "errors"
    return runs.FINISHED, "finished"


def batch_counts(outcome: BatchOutcome, notes: list[str]) -> dict:
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


def print_batch_summary(
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
