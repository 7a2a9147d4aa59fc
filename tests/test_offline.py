"""Offline: a crawl of a site that never answers fails in seconds with one clear line, and
`newscrawl demo` crawls a local copy of the site without any network."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from newscrawl.store.sqlite import SQLiteStore
from tests.helpers import REPO


def _closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(tmp_path: Path, **extra: str) -> dict:
    env = dict(os.environ, NEWSCRAWL_SQLITE_PATH=str(tmp_path / "archive.sqlite3"), **extra)
    env.pop("MONGO_URI", None)
    return env


def test_a_crawl_of_a_site_that_never_answers_fails_in_seconds_in_one_line(tmp_path):
    """`make crawl` offline: robots.txt is refused, retried once, and the run stops; it used
    to retry every channel front four times with backoff for over two minutes."""
    base = f"http://127.0.0.1:{_closed_port()}"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "liputan6"],  # every channel, as make crawl
        cwd=REPO,
        env=_env(tmp_path, LIPUTAN6_BASE_URL=base),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    took = time.monotonic() - started
    assert done.returncode == 1, done.stderr[-3000:]
    assert took < 20, took
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert "List page failed" not in done.stderr
    (line,) = [x for x in done.stderr.splitlines() if x.startswith("newscrawl:")]
    assert line.startswith(f"newscrawl: run failed: cannot reach {base} (Connection"), line
    assert "offline, or LIPUTAN6_BASE_URL wrong?" in line
    # The run is recorded as failed, with the true reason.
    store = SQLiteStore(tmp_path / "archive.sqlite3")
    store.open()
    try:
        (run,) = store.runs()
    finally:
        store.close()
    assert (run["status"], run["finish_reason"]) == ("failed", "site_unreachable")


def test_the_demo_crawls_a_local_copy_of_the_site_and_shows_how_to_query_it(tmp_path):
    """`newscrawl demo` as a newcomer runs it, from a folder outside the checkout."""
    keep = tmp_path / "demo"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "newscrawl.cli", "demo", "--articles", "40", "--keep", str(keep)],
        cwd=tmp_path,
        env=_env(tmp_path, LIPUTAN6_BASE_URL="http://127.0.0.1:9"),  # the demo sets its own
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    took = time.monotonic() - started
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert took < 60, took
    out = done.stdout
    store_path = keep / "demo.sqlite3"
    assert f"Stored 40 articles in {store_path}:" in out
    assert "finished: 40 new, 0 updated, 0 unchanged" in out
    assert "The newest one, as stored:" in out and "https://www.liputan6.com/" in out
    assert f"sqlite3 -box {store_path} " in out
    assert f"newscrawl export --sqlite-path {store_path} " in out
    assert f"newscrawl coverage --sqlite-path {store_path} " in out
    store = SQLiteStore(store_path)
    store.open()
    try:
        assert store.count_articles() == 40
    finally:
        store.close()
    # The store is fresh: a second demo into the same folder is refused, not mixed in.
    again = subprocess.run(
        [sys.executable, "-m", "newscrawl.cli", "demo", "--keep", str(keep)],
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert again.returncode == 2
    assert "exists; the demo crawls into a fresh store" in again.stderr
