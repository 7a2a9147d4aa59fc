"""Run ids and run records (newscrawl.runs): started, then finished, best effort."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from newscrawl import runs
from newscrawl.extensions.keeper import runrecord
from newscrawl.store import SQLiteStore
from newscrawl.store.base import StoreError


def test_run_ids_sort_by_time_and_differ():
    early = runs.new_run_id(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert re.fullmatch(r"20260102T030405Z-[0-9a-f]{8}", early)
    assert early < runs.new_run_id()
    assert runs.new_run_id() != runs.new_run_id()
    assert not hasattr(runrecord, "new_run_id")  # the crawl's ids come from here too


def test_a_run_is_started_and_finished_in_the_store(tmp_path):
    store = SQLiteStore(tmp_path / "a.sqlite3")
    store.open()
    run = runs.new_run("replay", {"file": "x.jsonl"})
    runs.start_run(store, run)
    assert runs.finish_run(store, run, runs.FINISHED, "finished", {"new": 2}) is None
    [record] = [r for r in store.runs(10) if r["_id"] == run.run_id]
    store.close()
    assert (record["status"], record["finish_reason"]) == ("finished", "finished")
    assert record["counts"] == {"new": 2}
    assert record["finished_at"] is not None


class FailingStore:
    def finish_run(self, run):
        raise StoreError("disk full")


def test_finishing_is_best_effort_and_says_why_it_failed():
    run = runs.new_run("import-warc")
    assert runs.finish_run(FailingStore(), run, runs.FAILED, "store_error", {}) == "disk full"
    assert (run.status, run.finish_reason) == ("failed", "store_error")
    assert run.finished_at is not None
