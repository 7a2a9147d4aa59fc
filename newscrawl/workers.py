"""Helper processes beside the crawl: page parsing and store writes use a second core.

Scrapy runs the whole crawl on one thread; parsing an article costs about as much CPU as
downloading it, and a writer thread in the crawl's process stalls its event loop on every
GIL hand-off. So on a machine with two or more cores, ExtractionPool's workers decode pages
and run the page TASKS (article extraction from newscrawl.site.extraction, list pages from
newscrawl.site.navigation), and StoreWriter's process writes the store pipeline's batches.

Each is a plain ``python -m newscrawl.workers`` child that reads pickled jobs from its stdin
and writes answers to its stdout, over non-blocking pipes watched by the event loop: no
threads in the crawl and no fork of it. A parsing worker that dies is replaced (up to
MAX_RESTARTS times) and the pages it held are parsed in the crawl's process; a writer that
dies fails its writes with StoreError, so the batches are dead-lettered. Nothing is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import pickle
import signal
import struct
import subprocess
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from w3lib.encoding import html_to_unicode

from newscrawl.items import Article
from newscrawl.site.extraction import NotAnArticle, extract_article_pages
from newscrawl.site.navigation import Listed, archive_items, channel_items
from newscrawl.store import Store, StoreError, open_store
from newscrawl.store.base import documents

logger = logging.getLogger(__name__)

# Worker to parent and back: request id, payload length; then the pickled job or answer.
_FRAME = struct.Struct("!QI")
MAX_RESTARTS = 3
_READ_SIZE = 1 << 20


class WorkerError(RuntimeError):
    """A task raised something it should not (a bug): the worker's traceback, as text."""


def spare_core(cpu_count: int | None = None) -> bool:
    """Whether a helper process has a core of its own beside the crawl ("auto" settings)."""
    return (cpu_count if cpu_count is not None else (os.cpu_count() or 1)) >= 2


def default_workers(cpu_count: int | None = None) -> int:
    """One worker when there is a second core to run it on; none (parse in-process) otherwise."""
    return 1 if spare_core(cpu_count) else 0


def workers_setting(value: str | int | None) -> int:
    """EXTRACTION_WORKERS as a count: "auto" or unset means default_workers()."""
    if value is None or str(value).strip().lower() in ("", "auto"):
        return default_workers()
    try:
        count = int(str(value).strip())
    except ValueError:
        count = -1
    if count < 0:
        raise ValueError(f"EXTRACTION_WORKERS must be 'auto' or a whole number >= 0, not {value!r}")
    return count


def decode_page(body: bytes, content_type: str | None) -> str:
    """The page's text, decoded as Scrapy's TextResponse.text decodes it (header, meta, BOM)."""
    return html_to_unicode(content_type, body)[1]


def _page_task(read: Callable[[str, str], Any]) -> Callable[..., Any]:
    """A task on a downloaded page: decode it, then read it."""
    return lambda body, url, content_type=None: read(decode_page(body, content_type), url)


# The stores a worker writes to, by their configuration (one connection per process).
_STORES: dict[tuple, Store] = {}


def write_articles(config: dict[str, Any], entries: list[tuple], run_id: str, now: Any):
    """Task "write": documents(entries) written by Store.write_articles to the store
    ``config`` names (opened once per process)."""
    docs = documents(entries)
    key = tuple(sorted(config.items()))
    store = _STORES.get(key)
    if store is None:
        store = open_store(config)
        store.open()
        _STORES[key] = store
    return store.write_articles(docs, run_id=run_id, now=now)


def close_stores() -> None:
    """Close every store this process opened."""
    while _STORES:
        _, store = _STORES.popitem()
        with contextlib.suppress(StoreError):
            store.close()


# What a worker can do, by name.
TASKS: dict[str, Callable[..., Any]] = {
    "article": _page_task(lambda html, url: extract_article_pages(html, url=url)),
    "archive": _page_task(archive_items),
    "channel": _page_task(channel_items),
    "write": write_articles,
}


def outcome(task: str, *args: Any) -> tuple:
    """A worker's answer to one job: ("ok", value), ("not", reason, detail) for a page that
    is no article, ("store", message) for a store failure, or ("error", traceback)."""
    try:
        value = TASKS[task](*args)
    except NotAnArticle as exc:
        return ("not", exc.reason, exc.detail)
    except StoreError as exc:
        return ("store", str(exc))
    except Exception:  # a bug: reported to the crawl, never kills the worker
        return ("error", traceback.format_exc())
    return ("ok", value)


def result_of(message: tuple) -> Any:
    """The outcome as the task would have given it: its value, or its exception raised."""
    if message[0] == "ok":
        return message[1]
    if message[0] == "not":
        raise NotAnArticle(message[1], message[2])
    if message[0] == "store":
        raise StoreError(message[1])
    raise WorkerError(message[1])


class _Worker:
    """One child process and the crawl's side of its two pipes."""

    def __init__(self, loop: asyncio.AbstractEventLoop | None, on_exit: Callable[[_Worker], None]):
        self.loop: asyncio.AbstractEventLoop | None = None
        self.on_exit = on_exit
        # The worker imports newscrawl from where the crawl did, wherever it was started.
        root = str(Path(__file__).resolve().parents[1])
        path = os.environ.get("PYTHONPATH")
        env = {**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{path}" if path else root}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "newscrawl.workers"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            # The worker's own errors go to the crawl's stderr, where the log is.
            stderr=None,
            close_fds=True,
        )
        self.to_fd = self.proc.stdin.fileno()
        self.from_fd = self.proc.stdout.fileno()
        os.set_blocking(self.to_fd, False)
        os.set_blocking(self.from_fd, False)
        self.outbox = bytearray()
        self.inbox = bytearray()
        # request id -> (future, outcome() arguments), kept until answered
        self.pending: dict[int, tuple[asyncio.Future, tuple]] = {}
        self.alive = True
        if loop is not None:
            self.attach(loop)

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Watch its answers on ``loop`` (a worker may start before the loop runs)."""
        self.loop = loop
        loop.add_reader(self.from_fd, self._readable)

    def submit(self, request_id: int, job: tuple, future: asyncio.Future) -> None:
        """Queue one job (outcome()'s arguments); written now as far as the pipe takes it."""
        self.pending[request_id] = (future, job)
        payload = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        frame = _FRAME.pack(request_id, len(payload)) + payload
        if self.outbox:
            self.outbox += frame
            return
        try:
            written = os.write(self.to_fd, frame)
        except BlockingIOError:
            written = 0
        except OSError:  # the worker is gone; _readable sees the EOF and hands the pages back
            return
        if written < len(frame):
            self.outbox += frame[written:]
            self.loop.add_writer(self.to_fd, self._writable)

    def _writable(self) -> None:
        try:
            written = os.write(self.to_fd, self.outbox)
        except BlockingIOError:
            return
        except OSError:
            self.outbox.clear()
            self.loop.remove_writer(self.to_fd)
            return
        del self.outbox[:written]
        if not self.outbox:
            self.loop.remove_writer(self.to_fd)

    def _readable(self) -> None:
        try:
            data = os.read(self.from_fd, _READ_SIZE)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._exited()
            return
        self.inbox += data
        offset = 0
        while len(self.inbox) - offset >= _FRAME.size:
            request_id, size = _FRAME.unpack_from(self.inbox, offset)
            end = offset + _FRAME.size + size
            if len(self.inbox) < end:
                break
            message = pickle.loads(self.inbox[offset + _FRAME.size : end])
            offset = end
            entry = self.pending.pop(request_id, None)
            if entry is not None and not entry[0].done():
                entry[0].set_result(message)
        del self.inbox[:offset]

    def _exited(self) -> None:
        """EOF from the worker: stop watching it and let the pool deal with its pages."""
        if not self.alive:
            return
        self.alive = False
        self.loop.remove_reader(self.from_fd)
        if self.outbox:
            self.loop.remove_writer(self.to_fd)
        self.on_exit(self)

    def hang_up(self) -> None:
        """Stop watching the pipes and close them (on the event loop's thread)."""
        if self.alive and self.loop is not None:
            self.loop.remove_reader(self.from_fd)
            if self.outbox:
                self.loop.remove_writer(self.to_fd)
        self.alive = False
        for pipe in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                pipe.close()

    def wait(self, timeout: float = 10.0) -> int:
        """Its exit status, killing it if it has not exited within ``timeout`` seconds."""
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()


async def _close_all(workers: list[_Worker]) -> None:
    """Hang up on every worker, then wait for them without blocking the event loop."""
    for worker in workers:
        worker.hang_up()
    for worker in workers:
        await asyncio.to_thread(worker.wait)


class ExtractionPool:
    """``await pool.extract(body, url)``: extract_article_pages in worker processes.

    With ``size`` 0 it parses in the calling process, so callers need no second code path.
    ``stats`` (a Scrapy stats collector, optional) counts worker deaths and pages parsed
    in-process after one.
    """

    def __init__(self, size: int, *, stats: Any = None) -> None:
        self.size = max(0, size)
        self.stats = stats
        self.workers: list[_Worker] = []
        self.restarts = 0
        self._next_id = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False

    def prestart(self) -> None:
        """Start the worker processes now, before the event loop runs: a worker takes ~0.4 s
        to import, which the crawl spends starting its engine and fetching robots.txt."""
        while not self._closed and len(self.workers) < self.size and self._spawn(None):
            pass

    def _spawn(self, loop: asyncio.AbstractEventLoop | None) -> bool:
        """One more worker; False (and parse in-process from now on) when none can start."""
        if self.restarts > MAX_RESTARTS:
            return False
        try:
            self.workers.append(_Worker(loop, self._worker_exited))
        except OSError as exc:
            logger.error("Cannot start an extraction worker (%s); parsing in-process", exc)
            self.restarts = MAX_RESTARTS + 1
            return False
        return True

    async def extract(
        self, body: bytes, url: str, content_type: str | None = None
    ) -> tuple[Article, int]:
        """The page's Article and how many of its pages it holds; raises NotAnArticle."""
        return await self.run("article", body, url, content_type)

    async def listing(
        self, task: str, body: bytes, url: str, content_type: str | None = None
    ) -> list[Listed]:
        """The articles an "archive" or "channel" page lists, in page order."""
        return await self.run(task, body, url, content_type)

    async def run(self, task: str, body: bytes, url: str, content_type: str | None) -> Any:
        """One of the page TASKS (body as downloaded, content_type its header)."""
        job = (task, body, url, content_type)
        worker = self._worker()
        if worker is None:
            return result_of(outcome(*job))
        self._next_id += 1
        future = self._loop.create_future()
        worker.submit(self._next_id, job, future)
        return result_of(await future)

    def _worker(self) -> _Worker | None:
        """The least busy live worker, starting workers as needed; None to parse in-process."""
        if self.size == 0 or self._closed:
            return None
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
            for worker in self.workers:  # started by prestart()
                worker.attach(self._loop)
        while len(self.workers) < self.size and self._spawn(self._loop):
            pass
        if not self.workers:
            return None
        return min(self.workers, key=lambda w: len(w.pending))

    def _worker_exited(self, worker: _Worker) -> None:
        """A worker died mid-crawl: parse what it held here, and start another next time."""
        self.workers.remove(worker)
        code = worker.proc.wait()
        self.restarts += 1
        held = list(worker.pending.values())
        worker.pending.clear()
        logger.error(
            "An extraction worker exited (status %s) holding %d pages; parsing them in-process%s",
            code,
            len(held),
            "" if self.restarts <= MAX_RESTARTS else "; no more workers will be started",
        )
        if self.stats is not None:
            self.stats.inc_value("newscrawl/extract_workers/died")
            self.stats.inc_value("newscrawl/extract_workers/parsed_in_process", len(held))
        for future, job in held:
            if not future.done():
                future.set_result(outcome(*job))

    async def aclose(self) -> None:
        """Stop every worker (each finishes what it holds first), waiting off the event loop."""
        self._closed = True
        workers, self.workers = self.workers, []
        await _close_all(workers)


class StoreWriter:
    """``await writer.write(entries, run_id=..., now=...)``: the store's writes in a process.

    The store pipeline's writes, off the crawl's process: a writer thread there holds the
    GIL for its JSON and planning work and the event loop stalls on every hand-off (the
    crawl was ~8% slower than with no thread at all). The process opens the store that
    ``config`` (see newscrawl.store.store_config) names. A failure comes back as StoreError;
    so does the process dying mid-write, so the pipeline dead-letters the batch.
    """

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.worker: _Worker | None = None
        self.exited: str | None = None
        self._next_id = 0

    async def write(self, entries: list[tuple], *, run_id: str, now: Any) -> Any:
        """Write (article, fetched_at) pairs (see documents()): a WriteResult, or StoreError."""
        if self.exited:
            raise StoreError(self.exited)
        loop = asyncio.get_running_loop()
        if self.worker is None:
            try:
                self.worker = _Worker(loop, self._worker_exited)
            except OSError as exc:
                raise StoreError(f"cannot start the store writer process: {exc}") from None
        self._next_id += 1
        future = loop.create_future()
        self.worker.submit(self._next_id, ("write", self.config, entries, run_id, now), future)
        return result_of(await future)

    def _worker_exited(self, worker: _Worker) -> None:
        code = worker.proc.wait()
        self.exited = f"the store writer process exited (status {code})"
        for future, _ in worker.pending.values():
            if not future.done():
                future.set_result(("store", f"{self.exited} during a write"))
        worker.pending.clear()

    async def aclose(self) -> None:
        """Stop the process once it has written what it holds (it closes its store)."""
        worker, self.worker = self.worker, None
        if worker is not None:
            await _close_all([worker])


# ---- the worker process ------------------------------------------------------------------


def _read_exactly(stream, size: int) -> bytes | None:
    """size bytes from stream, or None at a clean end of input."""
    chunks = []
    while size:
        chunk = stream.read(size)
        if not chunk:
            if chunks:
                raise EOFError("the crawl closed the pipe mid-page")
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def serve(inp, out) -> None:
    """Answer job after job until the input ends."""
    while True:
        header = _read_exactly(inp, _FRAME.size)
        if header is None:
            return
        request_id, size = _FRAME.unpack(header)
        job = pickle.loads(_read_exactly(inp, size) or b"")
        payload = pickle.dumps(outcome(*job), protocol=pickle.HIGHEST_PROTOCOL)
        out.write(_FRAME.pack(request_id, len(payload)) + payload)
        out.flush()


def main() -> None:
    """Entry point of ``python -m newscrawl.workers``: stdin pages, stdout results."""
    # Ctrl-C at the terminal reaches the whole process group; the crawl then stops gracefully
    # and still needs its worker, which exits when the crawl closes its input.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    inp = sys.stdin.buffer
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    # Nothing else may write to the protocol pipe: stray prints go to stderr.
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    try:
        with contextlib.suppress(BrokenPipeError, EOFError):
            serve(inp, out)
    finally:
        close_stores()


if __name__ == "__main__":
    main()
