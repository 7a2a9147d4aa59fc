"""Store locks: one per key, all or none, released by the OS (SQLite) or a lease (MongoDB)
when the holder dies; and runs of dead holders marked killed."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta

import pymongo
import pytest

from newscrawl.store import LockHeld, LockHolder, MongoStore, SQLiteStore
from newscrawl.store.base import RunRecord
from newscrawl.store.filelocks import lock_file_name, lock_folder
from tests.stores import (  # noqa: F401 (the fixtures `backend` and `store`)
    T1,
    T2,
    SharedMongomock,
    backend_fixture,
    mongomock_compat,
    store_fixture,
)

NEWS, BISNIS = "backfill:news", "backfill:bisnis"
HOST = socket.gethostname()


def holder(run_id: str, started_at: datetime = T1) -> LockHolder:
    """This process as the holder of a run's locks."""
    return LockHolder(run_id=run_id, pid=os.getpid(), host=HOST, started_at=started_at)


def kill_9(child: subprocess.Popen) -> None:
    """Kill the child as the OOM killer would: no cleanup, no release."""
    os.kill(child.pid, signal.SIGKILL)
    child.wait()


def test_a_lock_held_by_a_live_process_blocks_the_key(tmp_path, child_locks):
    db = tmp_path / "archive.sqlite3"
    child = child_locks(db, "run-child", NEWS)
    store = SQLiteStore(db)

    with pytest.raises(LockHeld) as raised:
        store.acquire_locks([NEWS], holder("run-parent"))

    held = raised.value
    assert held.key == NEWS
    assert (held.holder.run_id, held.holder.pid, held.holder.host) == ("run-child", child.pid, HOST)
    assert str(held).startswith(
        f"SQLite file {db}: lock 'backfill:news' is held by run run-child (pid {child.pid} on "
    )
    assert "\n" not in str(held)


def test_the_lock_of_a_killed_process_is_taken_over_and_its_holder_returned(tmp_path, child_locks):
    db = tmp_path / "archive.sqlite3"
    child = child_locks(db, "run-child", NEWS)
    kill_9(child)
    store = SQLiteStore(db)

    dead = store.acquire_locks([NEWS], holder("run-parent"))

    assert [(h.run_id, h.pid, h.host) for h in dead] == [("run-child", child.pid, HOST)]
    assert dead[0].started_at.tzinfo is UTC
    recorded = json.loads((lock_folder(db) / lock_file_name(NEWS)).read_text())
    assert (recorded["run_id"], recorded["pid"]) == ("run-parent", os.getpid())


def test_a_released_lock_is_no_dead_holder(tmp_path):
    db = tmp_path / "archive.sqlite3"
    first, second = SQLiteStore(db), SQLiteStore(db)
    first.acquire_locks([NEWS], holder("run-1"))
    first.release_locks()
    first.release_locks()  # idempotent

    assert second.acquire_locks([NEWS], holder("run-2")) == []
    assert (lock_folder(db) / lock_file_name(NEWS)).read_text() != ""
    second.close()  # closing releases too
    assert (lock_folder(db) / lock_file_name(NEWS)).read_text() == ""


def test_locks_of_two_database_files_never_interfere(tmp_path, child_locks):
    child_locks(tmp_path / "a.sqlite3", "run-child", NEWS)
    store = SQLiteStore(tmp_path / "b.sqlite3")

    assert store.acquire_locks([NEWS], holder("run-parent")) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.sqlite3.locks", "b.sqlite3.locks"]
    store.release_locks()


def test_all_or_nothing_leaves_the_free_key_and_its_dead_holder_as_found(tmp_path, child_locks):
    db = tmp_path / "archive.sqlite3"
    dead_child = child_locks(db, "run-dead", NEWS)
    kill_9(dead_child)
    child_locks(db, "run-live", BISNIS)
    loser = SQLiteStore(db)

    with pytest.raises(LockHeld) as raised:
        loser.acquire_locks([NEWS, BISNIS], holder("run-loser"))

    assert (raised.value.key, raised.value.holder.run_id) == (BISNIS, "run-live")
    # The news lock was given back (flocks conflict between two open files in one process
    # too, so another store object here can take it) with the dead run still recorded.
    winner = SQLiteStore(db)
    assert [h.run_id for h in winner.acquire_locks([NEWS], holder("run-winner"))] == ["run-dead"]
    with pytest.raises(LockHeld):
        loser.acquire_locks([NEWS], holder("run-loser"))
    winner.release_locks()


def test_sqlite_locks_need_no_heartbeat(tmp_path):
    store = SQLiteStore(tmp_path / "archive.sqlite3")
    store.acquire_locks([NEWS, BISNIS, NEWS], holder("run-1"))

    assert store.lock_heartbeat_s is None
    store.refresh_locks()
    assert store.acquire_locks([NEWS], holder("run-1")) == []  # already held: nothing to do
    store.release_locks()


@pytest.mark.parametrize(
    ("key", "other"),
    [
        ("backfill:news", "backfill_news"),
        ("latest:../../etc/passwd", "latest:etc_passwd"),
        ("incremental:bola", "incremental:Bola"),
    ],
)
def test_lock_file_names_are_safe_and_unique(key, other):
    name = lock_file_name(key)

    assert name != lock_file_name(other)
    assert "/" not in name and ":" not in name and not name.startswith(".")
    assert name.endswith(".lock")


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2024, 3, 10, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def mongo_stores(monkeypatch, clock):
    """Make opened MongoStores on one mongomock server, all on the test's clock."""
    mongomock_compat(monkeypatch)
    factory = SharedMongomock()
    made: list[MongoStore] = []

    def make(lease: float = 120) -> MongoStore:
        store = MongoStore(
            "mongodb://mongomock.test:27017",
            "locks",
            client_factory=factory,
            lock_lease_s=lease,
            clock=clock,
        )
        store.open()
        made.append(store)
        return store

    yield make
    for store in made:
        store.close()


def lock_doc(store: MongoStore, key: str) -> dict | None:
    """The stored crawl_locks document of a key."""
    return store._client[store.database]["crawl_locks"].find_one({"_id": key})


def test_a_mongo_lock_is_a_lease_document(mongo_stores, clock):
    store = mongo_stores()

    assert store.acquire_locks([NEWS], holder("run-1")) == []

    doc = lock_doc(store, NEWS)
    assert {
        k: v for k, v in doc.items() if k not in ("started_at", "heartbeat_at", "expires_at")
    } == {
        "_id": NEWS,
        "run_id": "run-1",
        "pid": os.getpid(),
        "host": HOST,
    }
    assert (doc["started_at"], doc["heartbeat_at"]) == (T1, clock.now)
    assert doc["expires_at"] == clock.now + timedelta(seconds=120)
    assert store.lock_heartbeat_s == 40


def test_a_live_mongo_lock_blocks_another_run(mongo_stores, clock):
    first, second = mongo_stores(), mongo_stores()
    first.acquire_locks([NEWS], holder("run-1"))
    clock.advance(119)

    with pytest.raises(LockHeld) as raised:
        second.acquire_locks([NEWS], holder("run-2"))

    assert raised.value.key == NEWS
    assert raised.value.holder == holder("run-1")
    assert str(raised.value).startswith(
        "MongoDB mongomock.test:27017/locks: lock 'backfill:news' is held by run run-1 (pid "
    )


def test_an_expired_mongo_lock_is_taken_over_and_the_loser_told(mongo_stores, clock):
    first, second = mongo_stores(), mongo_stores()
    first.acquire_locks([NEWS, BISNIS], holder("run-1"))
    clock.advance(121)

    assert second.acquire_locks([NEWS], holder("run-2", T2)) == [holder("run-1")]

    # The first run comes back to life: its heartbeat learns the news lock is lost, and
    # keeps the bisnis lock nobody took.
    with pytest.raises(LockHeld, match=r"lock 'backfill:news' was taken over by run run-2 "):
        first.refresh_locks()
    assert lock_doc(first, BISNIS)["expires_at"] == clock.now + timedelta(seconds=120)
    first.release_locks()
    assert lock_doc(first, NEWS)["run_id"] == "run-2"
    assert lock_doc(first, BISNIS) is None


def test_a_heartbeat_keeps_a_mongo_lock(mongo_stores, clock):
    first, second = mongo_stores(lease=30), mongo_stores()
    first.acquire_locks([NEWS], holder("run-1"))

    for _ in range(5):
        clock.advance(first.lock_heartbeat_s)
        first.refresh_locks()
        with pytest.raises(LockHeld):
            second.acquire_locks([NEWS], holder("run-2"))

    assert lock_doc(first, NEWS)["heartbeat_at"] == clock.now
    assert lock_doc(first, NEWS)["expires_at"] == clock.now + timedelta(seconds=30)


def test_mongo_all_or_nothing_gives_back_the_dead_holders_lock(mongo_stores, clock):
    dead, live, loser, winner = (mongo_stores() for _ in range(4))
    dead.acquire_locks([NEWS], holder("run-dead"))
    clock.advance(121)
    live.acquire_locks([BISNIS], holder("run-live"))

    with pytest.raises(LockHeld) as raised:
        loser.acquire_locks([NEWS, BISNIS], holder("run-loser"))

    assert (raised.value.key, raised.value.holder.run_id) == (BISNIS, "run-live")
    assert lock_doc(loser, NEWS)["run_id"] == "run-dead"
    assert winner.acquire_locks([NEWS], holder("run-winner")) == [holder("run-dead")]


def test_mongo_release_deletes_only_its_own_locks_and_is_idempotent(mongo_stores, clock):
    first, second = mongo_stores(), mongo_stores()
    first.acquire_locks([NEWS], holder("run-1"))
    second.acquire_locks([BISNIS], holder("run-2"))

    first.release_locks()
    first.release_locks()

    assert lock_doc(first, NEWS) is None
    assert lock_doc(first, BISNIS)["run_id"] == "run-2"
    assert mongo_stores().acquire_locks([NEWS], holder("run-3")) == []  # no dead holder
    second.close()  # closing releases too
    assert lock_doc(first, BISNIS) is None


def test_mark_runs_killed_marks_only_running_records(store):
    store.start_run(RunRecord(run_id="run-1", spider="liputan6", started_at=T1))
    store.start_run(RunRecord(run_id="run-2", spider="liputan6", started_at=T1))
    store.finish_run(
        RunRecord(
            run_id="run-2",
            spider="liputan6",
            started_at=T1,
            finished_at=T2,
            finish_reason="finished",
            status="finished",
        )
    )
    store.start_run(RunRecord(run_id="run-3", spider="liputan6", started_at=T2))

    assert store.mark_runs_killed(["run-1", "run-2", "run-unknown"]) == 1
    assert store.mark_runs_killed(["run-1"]) == 0
    assert store.mark_runs_killed([]) == 0

    runs = {run["_id"]: run for run in store.runs()}
    assert (runs["run-1"]["status"], runs["run-1"]["finish_reason"]) == ("killed", "killed")
    assert runs["run-1"]["finished_at"] is None
    assert (runs["run-2"]["status"], runs["run-2"]["finish_reason"]) == ("finished", "finished")
    assert runs["run-3"]["status"] == "running"


def dead_pid() -> int:
    """The pid of a process of this host that has exited (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def other_holder(run_id: str, *, pid: int, host: str = HOST) -> LockHolder:
    return LockHolder(run_id=run_id, pid=pid, host=host, started_at=T1)


def test_a_mongo_lease_of_a_dead_process_on_this_host_is_taken_over_at_once(mongo_stores, clock):
    crashed, live, loser, winner = (mongo_stores() for _ in range(4))
    gone = other_holder("run-dead", pid=dead_pid())
    crashed.acquire_locks([NEWS], gone)  # its server went away: the lease stays, unexpired
    live.acquire_locks([BISNIS], holder("run-live"))
    clock.advance(1)

    # All or nothing: the live run's key refuses the acquire, and the dead run's lock goes
    # back as it was, so whoever takes it next still learns that run died.
    with pytest.raises(LockHeld, match=r"lock 'backfill:bisnis' is held by run run-live "):
        loser.acquire_locks([NEWS, BISNIS], holder("run-loser"))
    assert lock_doc(loser, NEWS)["run_id"] == "run-dead"

    assert winner.acquire_locks([NEWS], holder("run-winner")) == [gone]
    doc = lock_doc(winner, NEWS)
    assert (doc["run_id"], doc["pid"]) == ("run-winner", os.getpid())
    assert doc["expires_at"] == clock.now + timedelta(seconds=120)


def test_a_live_process_on_this_host_keeps_its_mongo_lease(mongo_stores, clock):
    first, second = mongo_stores(), mongo_stores()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        first.acquire_locks([NEWS], other_holder("run-1", pid=sleeper.pid))
        clock.advance(100)  # no heartbeat for 100 s: still its lock while its process lives

        with pytest.raises(LockHeld) as raised:
            second.acquire_locks([NEWS], holder("run-2"))
    finally:
        sleeper.kill()
        sleeper.wait()

    assert str(raised.value) == (
        "MongoDB mongomock.test:27017/locks: lock 'backfill:news' is held by run run-1 "
        f"(pid {sleeper.pid} on {HOST} since 2024-03-10T08:00:00Z)"
    )


@pytest.mark.parametrize(
    ("silent", "message"),
    [
        (
            70,
            "MongoDB mongomock.test:27017/locks: lock 'backfill:news' was left by run run-1 on "
            "host crawler-2, free in 50 s (pid 4242; its lease was last renewed 70 s ago)",
        ),
        (
            30,
            "MongoDB mongomock.test:27017/locks: lock 'backfill:news' is held by run run-1 "
            "(pid 4242 on crawler-2 since 2024-03-10T08:00:00Z), lease renewed 30 s ago",
        ),
    ],
    ids=["not-renewed", "renewed"],
)
def test_a_mongo_lease_of_another_host_says_whether_it_is_renewed(
    mongo_stores, clock, silent, message
):
    first, second = mongo_stores(), mongo_stores()
    remote = other_holder("run-1", pid=4242, host="crawler-2")
    first.acquire_locks([NEWS], remote)
    clock.advance(silent)

    with pytest.raises(LockHeld) as raised:
        second.acquire_locks([NEWS], holder("run-2"))

    assert str(raised.value) == message
    assert (raised.value.key, raised.value.holder) == (NEWS, remote)
    clock.advance(121 - silent)  # the lease runs out: taken over
    assert second.acquire_locks([NEWS], holder("run-2")) == [remote]


def test_a_held_sqlite_lock_recording_a_dead_run_names_no_one(tmp_path, child_locks):
    # The file still names the run that died; the process that holds the flock now has not
    # written itself there yet (or inherited the lock): who holds it is not known.
    db = tmp_path / "archive.sqlite3"
    child = child_locks(db, "run-child", NEWS)
    gone = other_holder("run-dead", pid=dead_pid())
    (lock_folder(db) / lock_file_name(NEWS)).write_text(json.dumps(gone.to_dict()))

    with pytest.raises(LockHeld) as raised:
        SQLiteStore(db).acquire_locks([NEWS], holder("run-parent"))

    assert str(raised.value) == (
        f"SQLite file {db}: lock 'backfill:news' is held by another process (not recorded yet)"
    )
    assert raised.value.holder is None
    kill_9(child)


def test_over_the_wire_a_dead_lease_is_taken_over_and_a_left_one_named(mongo_uri, clock):
    name = f"newscrawl_locks_{uuid.uuid4().hex[:12]}"
    crashed, remote, winner = (MongoStore(mongo_uri, name, clock=clock) for _ in range(3))
    try:
        for store in (crashed, remote, winner):
            store.open()
        gone = other_holder("run-dead", pid=dead_pid())
        crashed.acquire_locks([NEWS], gone)
        remote.acquire_locks([BISNIS], other_holder("run-remote", pid=4242, host="crawler-2"))
        clock.advance(70)

        assert winner.acquire_locks([NEWS], holder("run-winner")) == [gone]
        with pytest.raises(LockHeld) as raised:
            winner.acquire_locks([BISNIS], holder("run-winner"))
        assert str(raised.value).endswith(
            "lock 'backfill:bisnis' was left by run run-remote on host crawler-2, free in 50 s "
            "(pid 4242; its lease was last renewed 70 s ago)"
        )
        assert lock_doc(winner, NEWS)["run_id"] == "run-winner"
        assert lock_doc(winner, BISNIS)["run_id"] == "run-remote"
    finally:
        for store in (crashed, remote, winner):
            store.close()
        client = pymongo.MongoClient(mongo_uri, serverSelectionTimeoutMS=5000)
        client.drop_database(name)
        client.close()
