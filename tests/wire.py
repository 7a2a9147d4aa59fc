"""MongoDB over the wire: a mongoeco server on 127.0.0.1 for the tests that cross a socket.

`mongo_uri` (session-scoped) is the URI of the server every real-server test uses:
NEWSCRAWL_TEST_MONGO_URI when it is set (a real MongoDB), else a mongoeco 4.11 server started
from the Python 3.13 venv that `make wire-venv` builds (`make test` does), on a free port. Where
neither is possible the tests skip and say why. The terminal summary says how many tests ran
against which server.

mongoeco is not MongoDB; where it differs, the test that meets the difference says so (search
for MONGOECO_GAP) and the store code does not depend on it.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pymongo
import pytest

REPO = Path(__file__).resolve().parents[1]
MONGO_URI_ENV = "NEWSCRAWL_TEST_MONGO_URI"
WIRE_PYTHON = Path(os.environ.get("NEWSCRAWL_WIRE_VENV", REPO / ".venv-wire")) / "bin" / "python"
SERVER_SCRIPT = REPO / "tests" / "wire_server.py"
MONGOECO = "mongoeco 4.11.0"


@dataclass
class Target:
    """A server the real-server tests run against: its URI, and how the summary names it."""

    uri: str
    label: str


# The user property naming the server a test ran against (tests/conftest.py sums them up).
RAN_AGAINST = "wire_server"


def why_no_mongoeco() -> str | None:
    """None when .venv-wire can run mongoeco, else the reason it cannot."""
    if not WIRE_PYTHON.exists():
        return (
            f"no mongoeco venv at {WIRE_PYTHON.parent.parent}: mongoeco needs Python 3.13 "
            "(`make wire-venv` builds it where python3.13 or ~/.pyenv/versions/3.13* exists; "
            "it found none, or was not run) and NEWSCRAWL_TEST_MONGO_URI is not set"
        )
    probe = subprocess.run(
        [str(WIRE_PYTHON), "-c", "import mongoeco.wire"], capture_output=True, text=True
    )
    if probe.returncode != 0:
        return f"mongoeco does not import in {WIRE_PYTHON}: {probe.stderr.strip()[-300:]}"
    return None


class WireServer:
    """One mongoeco server process on 127.0.0.1 (in memory, or on an SQLite file)."""

    def __init__(self, sqlite: Path | None = None) -> None:
        self.sqlite = sqlite
        self.port = 0
        self.proc: subprocess.Popen | None = None

    @property
    def uri(self) -> str:
        return f"mongodb://127.0.0.1:{self.port}/?directConnection=true"

    def start(self, timeout: float = 30) -> WireServer:
        """Start it (on the same port as before, after a kill) and wait until it answers."""
        cmd = [str(WIRE_PYTHON), str(SERVER_SCRIPT), "--port", str(self.port)]
        if self.sqlite:
            cmd += ["--sqlite", str(self.sqlite)]
        self.proc = subprocess.Popen(
            cmd, cwd="/", stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        line = self.proc.stdout.readline() if ready else ""
        if not line.startswith("listening "):
            self.stop()
            raise RuntimeError(f"mongoeco did not start: {line!r} {self.proc.stderr.read()}")
        self.port = int(line.rsplit(":", 1)[1])
        client = pymongo.MongoClient(self.uri, serverSelectionTimeoutMS=int(timeout * 1000))
        try:
            client.admin.command("ping")
        finally:
            client.close()
        return self

    def kill(self) -> None:
        """SIGKILL: the server dies as a crashed one does, without closing anything."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self._reap()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self._reap()

    def _reap(self) -> None:
        if self.proc:
            self.proc.wait()
            for stream in (self.proc.stdout, self.proc.stderr):
                if stream:
                    stream.close()
            self.proc = None


def start_mongoeco(sqlite: Path | None = None) -> WireServer:
    """A started mongoeco server; skips the test where mongoeco cannot run."""
    reason = why_no_mongoeco()
    if reason:
        pytest.skip(reason)
    return WireServer(sqlite).start()


@pytest.fixture(scope="session")
def mongo_server():
    """The running server of the session: a Target (uri, label), or a skip with the reason."""
    uri = os.environ.get(MONGO_URI_ENV)
    if uri:
        target = Target(uri, f"the server of {MONGO_URI_ENV}")
        yield target
        return
    server = start_mongoeco()
    target = Target(server.uri, f"{MONGOECO} at 127.0.0.1:{server.port}")
    try:
        yield target
    finally:
        server.stop()


@pytest.fixture
def mongo_uri(mongo_server: Target, request: pytest.FixtureRequest) -> str:
    """The URI of the real-server of the session; the test counts as run against it."""
    request.node.user_properties.append((RAN_AGAINST, mongo_server.label))
    return mongo_server.uri


def is_mongoeco() -> bool:
    """True when the session's server is mongoeco (not NEWSCRAWL_TEST_MONGO_URI)."""
    return not os.environ.get(MONGO_URI_ENV)


def summary_lines(ran: dict[str, set[str]]) -> list[str]:
    """One line per server: how many passed tests ran against it ({label: node ids})."""
    return [f"{len(ids)} tests ran against {label} (passed)" for label, ids in sorted(ran.items())]


OWN = Target("", f"{MONGOECO} servers of their own (killed and started again)")


@pytest.fixture
def mongoeco_factory(request: pytest.FixtureRequest):
    """Start mongoeco servers of this test's own (to kill): factory(sqlite=None) -> WireServer."""
    started: list[WireServer] = []

    def make(sqlite: Path | None = None) -> WireServer:
        server = start_mongoeco(sqlite)
        started.append(server)
        request.node.user_properties.append((RAN_AGAINST, OWN.label))
        return server

    yield make
    for server in started:
        server.stop()
