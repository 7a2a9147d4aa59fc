"""Extraction in worker processes, so parsing pages uses a second core.

Scrapy runs the whole crawl on one thread; parsing an article costs about as much CPU as
downloading it, so on a machine with two or more cores the crawl is faster when pages are
parsed elsewhere. Each worker is a plain ``python -m newscrawl.extract_workers`` child that
reads pages from its stdin and writes results to its stdout. The crawl talks to it through
non-blocking pipes watched by the event loop: no threads (a thread pool's hand-offs across
the GIL cost as much as the parsing they saved) and no fork of the running crawl.

A worker that dies is replaced (up to MAX_RESTARTS times); the pages it held are parsed in
the crawl's own process instead, so nothing is lost. Nothing here decides what a page
means: that stays in newscrawl.extraction.
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

from newscrawl.extraction import NotAnArticle, extract_article_pages
from newscrawl.items import Article

logger = logging.getLogger(__name__)

# Parent to worker: request id, url length, body length; then the url and the body.
_REQUEST = struct.Struct("!QII")
# Worker to parent: request id, payload length; then the pickled outcome.
_RESULT = struct.Struct("!QI")
MAX_RESTARTS = 3
_READ_SIZE = 1 << 20


class ExtractionError(RuntimeError):
    """Extraction raised something other than NotAnArticle (a bug): its traceback, as text."""


def default_workers(cpu_count: int | None = None) -> int:
    """One worker when there is a second core to run it on; none (parse in-process) otherwise."""
    cpus = cpu_count if cpu_count is not None else (os.cpu_count() or 1)
    return 1 if cpus >= 2 else 0


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


def outcome(body: bytes, url: str) -> tuple:
    """A worker's answer for one page: ("ok", article, pages), ("not", ...) or ("error", tb)."""
    try:
        article, pages = extract_article_pages(body, url=url)
    except NotAnArticle as exc:
        return ("not", exc.reason, exc.detail)
    except Exception:  # a bug in extraction: reported to the crawl, never kills the worker
        return ("error", traceback.format_exc())
    return ("ok", article, pages)


def result_of(message: tuple) -> tuple[Article, int]:
    """The outcome as extract_article_pages would have given it: a value or its exception."""
    if message[0] == "ok":
        return message[1], message[2]
    if message[0] == "not":
        raise NotAnArticle(message[1], message[2])
    raise ExtractionError(message[1])


class _Worker:
    """One child process and the crawl's side of its two pipes."""

    def __init__(self, loop: asyncio.AbstractEventLoop, on_exit: Callable[[_Worker], None]):
        self.loop = loop
        self.on_exit = on_exit
        # The worker imports newscrawl from where the crawl did, wherever it was started.
        root = str(Path(__file__).resolve().parents[1])
        path = os.environ.get("PYTHONPATH")
        env = {**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{path}" if path else root}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "newscrawl.extract_workers"],
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
        self.pending: dict[int, tuple[asyncio.Future, bytes, str]] = {}
        self.alive = True
        loop.add_reader(self.from_fd, self._readable)

    def submit(self, request_id: int, body: bytes, url: str, future: asyncio.Future) -> None:
        """Queue one page; written now as far as the pipe takes it, the rest when it drains."""
        self.pending[request_id] = (future, body, url)
        encoded = url.encode("utf-8")
        frame = _REQUEST.pack(request_id, len(encoded), len(body)) + encoded + body
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
        while len(self.inbox) - offset >= _RESULT.size:
            request_id, size = _RESULT.unpack_from(self.inbox, offset)
            end = offset + _RESULT.size + size
            if len(self.inbox) < end:
                break
            message = pickle.loads(self.inbox[offset + _RESULT.size : end])
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

    def close(self, timeout: float = 10.0) -> int | None:
        """Close its input (it exits when it has answered everything) and wait for it."""
        if self.alive:
            self.loop.remove_reader(self.from_fd)
            if self.outbox:
                self.loop.remove_writer(self.to_fd)
            self.alive = False
        for pipe in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                pipe.close()
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()


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

    async def extract(self, body: bytes, url: str) -> tuple[Article, int]:
        """The page's Article and how many of its pages it holds; raises NotAnArticle."""
        worker = self._worker()
        if worker is None:
            return extract_article_pages(body, url=url)
        self._next_id += 1
        future = self._loop.create_future()
        worker.submit(self._next_id, body, url, future)
        return result_of(await future)

    def _worker(self) -> _Worker | None:
        """The least busy live worker, starting workers as needed; None to parse in-process."""
        if self.size == 0 or self._closed:
            return None
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
        while len(self.workers) < self.size:
            if self.restarts > MAX_RESTARTS:
                break
            try:
                self.workers.append(_Worker(self._loop, self._worker_exited))
            except OSError as exc:
                logger.error("Cannot start an extraction worker (%s); parsing in-process", exc)
                self.restarts = MAX_RESTARTS + 1
                break
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
        for future, body, url in held:
            if not future.done():
                future.set_result(outcome(body, url))

    def close(self) -> None:
        """Stop every worker (each finishes what it holds first)."""
        self._closed = True
        workers, self.workers = self.workers, []
        for worker in workers:
            worker.close()


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
    """Answer page after page until the input ends."""
    while True:
        header = _read_exactly(inp, _REQUEST.size)
        if header is None:
            return
        request_id, url_size, body_size = _REQUEST.unpack(header)
        url = (_read_exactly(inp, url_size) or b"").decode("utf-8")
        body = _read_exactly(inp, body_size) or b""
        payload = pickle.dumps(outcome(body, url), protocol=pickle.HIGHEST_PROTOCOL)
        out.write(_RESULT.pack(request_id, len(payload)) + payload)
        out.flush()


def main() -> None:
    """Entry point of ``python -m newscrawl.extract_workers``: stdin pages, stdout results."""
    # Ctrl-C at the terminal reaches the whole process group; the crawl then stops gracefully
    # and still needs its worker, which exits when the crawl closes its input.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    inp = sys.stdin.buffer
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    # Nothing else may write to the protocol pipe: stray prints go to stderr.
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    with contextlib.suppress(BrokenPipeError, EOFError):
        serve(inp, out)


if __name__ == "__main__":
    main()
