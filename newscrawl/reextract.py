"""Batch work over WARC files: `newscrawl reextract` (recorded pages through the current
extractor) and `newscrawl import-warc` (archived copies from web archives).

Both read WARC files in a process pool (extraction is CPU work; one task is a byte range of
a file, so a few big files still keep every core busy), and the main process writes what
the workers extracted through the crawl's validation and the store's one write path, which
places each copy in the article's history by the time its page was captured: a copy never
overwrites a newer version, and an older one becomes an earlier version.

Every record a worker reads is either a stored article or counted under a reason. A job
folder (--jobdir) records the finished tasks, so an interrupted run resumes where it
stopped; without one, running again is still safe (what is stored comes out unchanged).
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from newscrawl.site.assemble import assemble
from newscrawl.site.decoding import page_text

if TYPE_CHECKING:  # the store package is imported on first use
    from newscrawl.store.base import ArticleStore

REEXTRACT = "reextract"
IMPORT = "import-warc"
REASONS = {REEXTRACT: "re-extraction", IMPORT: "archived copy"}
# A task's byte range: small enough that every core gets several, big enough that a task's
# start-up cost (opening the file, finding the first record) does not matter.
MIN_TASK_BYTES = 4 << 20
MAX_TASK_BYTES = 64 << 20
# How far past its range a task reads for the later pages of a split article it began.
FOLLOW_PAGES_RECORDS = 2_000
# A WARC file name ending in a serial number, as rotated files are named.
_SERIAL = re.compile(r"^(?P<stem>.*-)(?P<serial>\d{5})(?P<suffix>\.warc(?:\.gz)?)$")
WRITE_BATCH = 500


@dataclass(frozen=True)
class Task:
    """A byte range [start, end) of one WARC file (records that start in it)."""

    path: str
    start: int
    end: int | None
    size: int
    mode: str
    archive: str | None = None
    wanted: frozenset[int] | None = None
    """Only the pages recorded at these offsets (reextract --outdated: the raw pages of the
    articles an older extractor produced)."""

    @property
    def key(self) -> str:
        """What the job folder remembers of a finished task."""
        return f"{self.path}|{self.size}|{self.start}|{self.end}"


@dataclass
class TaskResult:
    """What one task extracted and why the rest of its records are not articles."""

    key: str
    bytes: int
    documents: list[dict[str, Any]] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    records: int = 0
    error: str | None = None


def split_tasks(
    paths: Iterable[Path],
    workers: int,
    *,
    mode: str,
    archive: str | None = None,
    wanted: dict[str, frozenset[int]] | None = None,
) -> list[Task]:
    """Byte ranges of the files, a few per worker; a file that is not per-record gzip is one
    task (its records cannot be found from the middle)."""
    from newscrawl.warc import is_gzipped

    paths = [Path(p).resolve() for p in paths]
    sizes = {p: p.stat().st_size for p in paths}
    total = sum(sizes.values())
    step = min(MAX_TASK_BYTES, max(MIN_TASK_BYTES, total // max(1, workers * 8)))
    tasks = []
    for path in paths:
        size = sizes[path]
        ids = None if wanted is None else wanted.get(path.name, frozenset())
        label = archive or path.name if mode == IMPORT else None
        if not size or not is_gzipped(path):
            tasks.append(Task(str(path), 0, None, size, mode, label, ids))
            continue
        for start in range(0, size, step):
            end = start + step if start + step < size else None
            tasks.append(Task(str(path), start, end, size, mode, label, ids))
    return tasks


def _worker_init() -> None:
    """Workers leave Ctrl-C to the main process, which stops them in order."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_task(task: Task) -> TaskResult:
    """Read the task's records and extract every article page (in a worker process)."""
    from newscrawl.warc import NotWarc, Skip, read_records

    result = TaskResult(task.key, (task.end or task.size) - task.start)
    reader = _Reader(task, result)
    past_end = 0
    try:
        for record in read_records(task.path, task.start, None):
            if task.end is not None and record.offset >= task.end:
                # Past the range: read on only for the later pages of an article begun in
                # it (the next task counts every record of its own range).
                if not reader.pending or past_end >= FOLLOW_PAGES_RECORDS:
                    break
                past_end += 1
                if not isinstance(record, Skip):
                    reader.follow(record)
                continue
            result.records += 1
            if isinstance(record, Skip):
                result.skipped[record.reason] += 1
            else:
                reader.capture(record)
        else:
            # The file ended with an article waiting for its later pages: a crawl that
            # rotated its file between them wrote them at the start of the next ones.
            budget, path = FOLLOW_PAGES_RECORDS - past_end, next_file(task.path)
            while reader.pending and budget > 0 and path is not None and os.path.isfile(path):
                budget -= _follow_into(path, reader, budget)
                path = next_file(path)
    except OSError as exc:
        result.error = f"{task.path}: {exc.strerror or exc}"
    except NotWarc:
        result.error = f"{task.path}: not a WARC file"
    reader.finish()
    return result


def next_file(path: str) -> str | None:
    """The file a crawl rotated to after this one: the same name with the next serial
    (``liputan6-<run>-00002.warc.gz`` after ``-00001``); None for another kind of name."""
    match = _SERIAL.match(os.path.basename(path))
    if match is None:
        return None
    serial = f"{int(match['serial']) + 1:0{len(match['serial'])}d}"
    return os.path.join(os.path.dirname(path), match["stem"] + serial + match["suffix"])


def _follow_into(path: str, reader: _Reader, records: int) -> int:
    """The later pages of the reader's waiting articles among the first ``records`` records
    of the next file; how many it read (all it may, when the file is unreadable)."""
    from newscrawl.warc import NotWarc, Skip, read_records

    read = 0
    try:
        for record in read_records(path, 0, None):
            if not reader.pending or read >= records:
                break
            read += 1
            if not isinstance(record, Skip):
                reader.follow(record)
    except (OSError, NotWarc):
        return records
    return read


class _Reader:
    """One task's captures becoming documents: split articles wait for their later pages."""

    def __init__(self, task: Task, result: TaskResult):
        self.task = task
        self.result = result
        self.pending: dict[str, tuple[Any, int, tuple, Any, int]] = {}
        """Split articles waiting for a page: base URL -> (first page's article, its pages
        found, the later pages read, the first page's capture, the page it waits for)."""

    def skip(self, reason: str) -> None:
        self.result.skipped[reason] += 1

    def capture(self, capture) -> None:
        """A response record of the task's range."""
        from newscrawl.site.navigation import parse_list_url
        from newscrawl.site.urls import is_liputan6_host

        # A crawl's own files hold what it fetched from its base URL (a local copy of the
        # site in tests); a web archive holds every site.
        host = urlsplit(capture.url).hostname or ""
        if self.task.mode == IMPORT and not is_liputan6_host(host):
            self.skip("not liputan6.com")
            return
        if parse_list_url(capture.url) is not None:
            self.skip("list page")
            return
        if _later_page(capture.url):
            if not self.follow(capture):
                self.skip("later page of a split article")
            return
        if self.task.wanted is not None and capture.offset not in self.task.wanted:
            self.skip("not outdated")
            return
        self.extract(capture)

    def extract(self, capture) -> None:
        from newscrawl.site.extraction import NotAnArticle, extract_article_pages

        try:
            article, pages_found, _ = extract_article_pages(
                page_text(capture.body, capture.url, capture.content_type), capture.url
            )
        except NotAnArticle as exc:  # an undecodable page too
            self.skip(f"not an article: {exc.reason}")
            return
        except Exception as exc:  # a bug must not stop the batch: counted, named
            self.skip(f"extraction error: {type(exc).__name__}")
            return
        whole = assemble(article, pages_found)
        if whole.next_page is None:
            self.keep(whole.article, capture)
        else:
            self.pending[_base(capture.url)] = (
                whole.article,
                pages_found,
                (),
                capture,
                whole.next_page,
            )

    def follow(self, capture) -> bool:
        """A later page: joined to its article when that one waits for it."""
        from newscrawl.site.extraction import NotAnArticle, extract_article_pages

        waiting = self.pending.get(_base(capture.url))
        if waiting is None:
            return False
        article, pages_found, later, first, page = waiting
        if _later_page(capture.url) != page:
            return False
        try:
            more = extract_article_pages(
                page_text(capture.body, capture.url, capture.content_type), capture.url
            ).article
        except NotAnArticle:
            more = None
        later = (*later, more)
        whole = assemble(article, pages_found, later)
        if whole.next_page is None:
            del self.pending[_base(capture.url)]
            self.keep(whole.article, first)
        else:
            self.pending[_base(capture.url)] = (article, pages_found, later, first, whole.next_page)
        return True

    def keep(self, article, capture) -> None:
        """Validated as a crawl validates, then the stored form with its provenance."""
        from newscrawl.pipelines.validate import Invalid, check_article
        from newscrawl.site import EXTRACTOR_VERSION
        from newscrawl.store.base import documents

        try:
            check_article(article)
        except Invalid as exc:
            self.skip(f"not kept: {exc.reason}")
            return
        meta = {
            "fetched_at": capture.captured_at,
            "extractor_version": EXTRACTOR_VERSION,
            "version_reason": REASONS[self.task.mode],
            "warc_file": capture.file,
            "warc_offset": capture.offset,
            "archive": self.task.archive,
        }
        self.result.documents.extend(documents([(article, meta)]))

    def finish(self) -> None:
        """Split articles whose later pages are not in this file (nor at the start of the
        next one): not re-extracted (kept as they are stored), counted."""
        for _ in self.pending:
            self.skip("later pages not in the WARC file")
        self.pending.clear()


def _later_page(url: str) -> int | None:
    """N of an article's ?page=N (N > 1), else None."""
    query = urlsplit(url).query
    if "page=" not in query:
        return None
    try:
        page = int(parse_qs(query).get("page", ["1"])[0])
    except ValueError:
        return None
    return page if page > 1 else None


def _base(url: str) -> str:
    return url.split("?", 1)[0]


# ---- the main process -------------------------------------------------------------------


class Progress:
    """A progress line on stderr: share done, pages, rate and time left; redrawn in place on
    a terminal, else printed every ``interval`` seconds."""

    def __init__(self, total_bytes: int, *, stream=None, interval: float = 10.0):
        self.total = max(1, total_bytes)
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.interval = 0.2 if self.tty else interval
        self.started = time.monotonic()
        self.shown = 0.0
        self.done = 0
        self.pages = 0

    def advance(self, done_bytes: int, pages: int) -> None:
        self.done += done_bytes
        self.pages += pages
        now = time.monotonic()
        if now - self.shown >= self.interval or self.done >= self.total:
            self.shown = now
            self.show(now)

    def line(self, now: float | None = None) -> str:
        now = now or time.monotonic()
        elapsed = max(1e-6, now - self.started)
        share = min(1.0, self.done / self.total)
        rate = self.pages / elapsed
        left = elapsed * (1 - share) / share if share else None
        bar = "#" * int(share * 30)
        return (
            f"[{bar:<30}] {share:6.1%}  {self.pages:,} pages  {rate:,.0f} pages/s  "
            f"{_clock(left)} left"
        )

    def show(self, now: float | None = None) -> None:
        end = "\r" if self.tty else "\n"
        print(self.line(now), end=end, file=self.stream, flush=True)

    def close(self) -> None:
        if self.tty:
            print(file=self.stream)


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class JobDir:
    """The finished tasks of a job (one JSON line each, written after their articles are
    stored), so a run started again with the same folder skips them."""

    def __init__(self, path: str | Path | None):
        self.path = Path(path) if path else None
        self.done: set[str] = set()
        if self.path is not None:
            self.path.mkdir(parents=True, exist_ok=True)
            log = self.path / "tasks-done.jsonl"
            if log.exists():
                for line in log.read_text(encoding="utf-8").splitlines():
                    try:
                        self.done.add(json.loads(line)["task"])
                    except (ValueError, KeyError, TypeError):
                        continue  # a line cut off by a crash: that task runs again

    def finished(self, key: str) -> None:
        if self.path is None:
            return
        with open(self.path / "tasks-done.jsonl", "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"task": key}) + "\n")
            fh.flush()
            os.fsync(fh.fileno())


@dataclass
class BatchOutcome:
    """What a reextract or import run did, counted as it goes."""

    pages: int = 0
    """Article pages extracted from the records read (written or not)."""
    records: int = 0
    written: Any = None
    """The WriteResult of every write the store confirmed."""
    unwritten: int = 0
    """Article pages whose write the store did not confirm: it failed, or Ctrl-C came, first."""
    skipped: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    store_error: str | None = None
    """Why the store failed, which stopped the run."""
    interrupted: bool = False
    tasks_done: int = 0
    tasks_skipped: int = 0


def run_batch(
    tasks: list[Task],
    store,
    *,
    run_id: str,
    workers: int,
    jobdir: JobDir,
    progress: Progress | None = None,
    outcome: BatchOutcome | None = None,
) -> BatchOutcome:
    """Run the tasks in a pool of ``workers`` processes and write their documents into the
    store as they finish. Ctrl-C, or a store that fails, stops the pool and keeps everything
    written so far. The outcome (``outcome``, else a new one) is counted as the run goes, so
    it is true whatever stops the run."""
    from newscrawl.store.base import StoreError, WriteResult

    if outcome is None:
        outcome = BatchOutcome()
    if outcome.written is None:
        outcome.written = WriteResult()
    todo = [t for t in tasks if t.key not in jobdir.done]
    outcome.tasks_skipped = len(tasks) - len(todo)
    if progress is not None:
        progress.total = max(1, sum((t.end or t.size) - t.start for t in todo))
    queue: Iterator[Task] = iter(todo)
    running: dict[Future, Task] = {}
    pool = ProcessPoolExecutor(workers, initializer=_worker_init, mp_context=_context())
    ended = False
    try:
        # A few tasks per worker in flight: enough to keep each busy, few results in memory.
        for task in _take(queue, workers * 2):
            running[pool.submit(run_task, task)] = task
        while running:
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                task = running.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    # A worker died (killed, out of memory): the parts not done are named
                    # and left for the next run; what was written stays.
                    outcome.errors.append(
                        f"a worker process died; {len(running) + 1 + len(list(queue))} parts "
                        "not done (run again to do them)"
                    )
                    return outcome
                except Exception as exc:  # a bug in one part: named, the others go on
                    outcome.errors.append(
                        f"{task.path} at {task.start}: {type(exc).__name__}: {exc}"
                    )
                    continue
                if result.error:
                    outcome.errors.append(result.error)
                try:
                    _store_result(store, result, run_id, outcome)
                except StoreError as exc:
                    # Nothing more can be written: the parts not done are left for the next
                    # run, which writes them (with --jobdir, only them).
                    outcome.store_error = str(exc)
                    return outcome
                outcome.tasks_done += 1
                if not result.error:
                    jobdir.finished(result.key)
                if progress is not None:
                    progress.advance(result.bytes, len(result.documents))
                for task in _take(queue, 1):
                    running[pool.submit(run_task, task)] = task
        ended = True
    except KeyboardInterrupt:
        outcome.interrupted = True
    finally:
        # Parts still running when the run stops are not waited for.
        pool.shutdown(wait=ended, cancel_futures=True)
        if progress is not None:
            progress.close()
    return outcome


def _store_result(
    store: ArticleStore, result: TaskResult, run_id: str, outcome: BatchOutcome
) -> None:
    """Count a task's records and pages, and write its documents batch by batch, each
    counted once the store confirms it; those a failure leaves unconfirmed are unwritten."""
    from newscrawl.store.base import StoreError, chunks

    outcome.pages += len(result.documents)
    outcome.records += result.records
    outcome.skipped.update(result.skipped)
    left = len(result.documents)
    try:
        for batch in chunks(result.documents, WRITE_BATCH):
            outcome.written += store.write_articles(batch, run_id=run_id, now=datetime.now(UTC))
            left -= len(batch)
    except BaseException as exc:
        part = exc.written if isinstance(exc, StoreError) else None
        if part is not None:
            # The rounds of the failed batch the store wrote before it failed (MongoDB).
            outcome.written += part
            left -= part.new + part.updated + part.unchanged + part.earlier
        outcome.unwritten += left
        raise


def _take(iterator: Iterator[Task], n: int) -> list[Task]:
    out = []
    for task in iterator:
        out.append(task)
        if len(out) >= n:
            break
    return out


def _context():
    """forkserver: workers start from a clean process, not a copy of one holding the store's
    connections and threads."""
    import multiprocessing

    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method)


def default_workers() -> int:
    """Every core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
