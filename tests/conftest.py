"""Shared test helpers: where the saved Liputan6 pages are, the corpus report, and a child
process holding store locks.

The saved pages are read from ../shared/liputan6, or from $NEWSCRAWL_SHARED_DIR/liputan6 when
that variable is set; a test that needs them skips, saying where it looked, when they are not
there (``NEWSCRAWL_SHARED_DIR=$(mktemp -d)`` runs the suite as a checkout without them)."""

from __future__ import annotations

import os
import runpy
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests import wire
from tests.helpers import SETTINGS_PY, environment_of_settings, shared_liputan6
from tests.wire import mongo_server, mongo_uri, mongoeco_factory  # noqa: F401 (fixtures)

# What tests recorded (record_property / user_properties) for the end of the run, gathered
# from their reports, so a run in parallel workers (pytest -n) prints it too: the corpus
# accuracy lines of tests/test_corpus.py, and which server each passed wire test ran against.
CORPUS_REPORT: list[str] = []
WIRE_RAN: dict[str, set[str]] = {}


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The saved Liputan6 pages and data; skips the test when they are absent."""
    path = shared_liputan6()
    if not (path / "html").is_dir() or not (path / "data").is_dir():
        pytest.skip(
            f"saved Liputan6 pages not found at {path} "
            "(set NEWSCRAWL_SHARED_DIR to the folder that holds liputan6/)"
        )
    return path


def pytest_runtest_logreport(report):
    if report.when != "call":
        return
    for name, value in report.user_properties:
        if name == "corpus_report":
            CORPUS_REPORT.extend(value)
        elif name == wire.RAN_AGAINST and report.passed:
            WIRE_RAN.setdefault(value, set()).add(report.nodeid)


def pytest_terminal_summary(terminalreporter):
    """Print the corpus accuracy table and what ran over the wire, so CI logs show them."""
    if CORPUS_REPORT:
        terminalreporter.section("corpus accuracy")
        for line in CORPUS_REPORT:
            terminalreporter.write_line(line)
    terminalreporter.section("MongoDB over the wire")
    for line in wire.summary_lines(WIRE_RAN) or [
        "no test ran against a MongoDB server (see the skip reasons)"
    ]:
        terminalreporter.write_line(line)


@pytest.fixture(name="defaults", scope="module")
def defaults_fixture() -> dict[str, object]:
    """settings.py's values as a deployment without any of its environment variables gets them."""
    variables = {v for names in environment_of_settings().values() for v in names}
    with pytest.MonkeyPatch.context() as patch:
        for variable in variables:
            patch.delenv(variable, raising=False)
        values = runpy.run_path(str(SETTINGS_PY))
    return {k: v for k, v in values.items() if k.isupper()}


# A process that takes locks on an SQLite store, says so, and waits to be killed.
CHILD = """
import os, socket, sys, time
from datetime import UTC, datetime
from newscrawl.store import LockHolder, SQLiteStore
holder = LockHolder(sys.argv[2], os.getpid(), socket.gethostname(), datetime.now(UTC))
SQLiteStore(sys.argv[1]).acquire_locks(sys.argv[3:], holder)
print("locked", flush=True)
time.sleep(120)
"""


@pytest.fixture
def child_locks():
    """Start a child process holding SQLite locks: child_locks(db_path, run_id, *keys)."""
    started: list[subprocess.Popen] = []

    def start(db_path, run_id: str, *keys: str) -> subprocess.Popen:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(db_path), run_id, *keys],
            stdout=subprocess.PIPE,
            text=True,
        )
        started.append(child)
        ready, _, _ = select.select([child.stdout], [], [], 20)
        assert ready and child.stdout.readline() == "locked\n", "the child did not lock"
        return child

    yield start
    for child in started:
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stdout.close()
