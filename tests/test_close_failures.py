"""Whatever fails when a run closes, its record never stays "running": a verdict rule that
raises, the ledger state that cannot be written, are reasons of a failed run (the record and
the exit status agree); a store that cannot take the end of the run says so in the log."""

from __future__ import annotations

import asyncio
import logging
import sqlite3

from scrapy.settings import Settings

from newscrawl.extensions.coverage import ARTICLES
from newscrawl.extensions.keeper import Keeper
from newscrawl.extensions.verdict import RunVerdict, failure_reasons, run_warnings
from newscrawl.stats import FIELDS
from newscrawl.store.sqlite import SQLiteStore
from tests.helpers import (
    close_run,
    crawler_with,
    feed,
    make_article,
    open_archive,
    open_run,
    run_pipeline,
)

# A value no `scrapy crawl` lets through (newscrawl.settingscheck), but a script building its
# own crawler can: the floor rule meets it only at close.
BROKEN_FLOORS = {
    "NEWSCRAWL_FIELD_FLOORS": {"title": "abc"},
    "NEWSCRAWL_FIELD_FLOOR_MIN_ARTICLES": 1,
}
COVERED = {ARTICLES: 5, f"{FIELDS}/title/structured": 5}


def the_run(tmp_path) -> dict:
    store = open_archive(tmp_path)
    try:
        (run,) = store.runs()
    finally:
        store.close()
    return run


def test_a_rule_that_raises_fails_the_run_with_its_reason(tmp_path, caplog):
    crawler = crawler_with(tmp_path, **BROKEN_FLOORS)
    for name, value in COVERED.items():
        crawler.stats.set_value(name, value)
    with caplog.at_level(logging.ERROR):
        asyncio.run(run_pipeline(crawler, [make_article(1)]))
    reason = (
        "verdict rule field_floors failed: ValueError: could not convert string to float: 'abc'"
    )
    verdict = RunVerdict.of(crawler)
    assert verdict.reasons == [reason]
    assert verdict.exit_status == 1
    run = the_run(tmp_path)
    assert run["status"] == "failed"
    assert run["counts"]["failure_reasons"] == [reason]
    (logged,) = [r for r in caplog.records if r.getMessage() == "Verdict rule field_floors failed"]
    assert logged.exc_info is not None  # the traceback is in the log


def test_a_warning_rule_that_raises_is_a_warning():
    settings = Settings(
        {"NEWSCRAWL_FIELD_STRUCTURED": "[", "NEWSCRAWL_FIELD_FLOOR_MIN_ARTICLES": 1}
    )
    stats = {**COVERED, "downloader/request_count": 1, "response_received_count": 1}
    assert failure_reasons(stats, settings, "finished") == []
    (warning,) = run_warnings(stats, settings, "finished")
    assert warning.startswith("verdict rule structured_data_dropped failed: JSONDecodeError: ")


def test_a_close_that_fails_is_a_reason_of_a_failed_run(tmp_path, caplog):
    crawler = crawler_with(tmp_path, JOBDIR=str(tmp_path / "job"))

    async def run():
        pipeline = await open_run(crawler)
        await feed(pipeline, [make_article(1)])
        # The ledger state cannot be removed at the end of the job: a folder stands in its way.
        (tmp_path / "job" / "newscrawl-ledger.json").mkdir()
        await close_run(crawler, pipeline)

    with caplog.at_level(logging.ERROR):
        asyncio.run(run())
    run_id = Keeper.of(crawler).run.run_id
    (reason,) = RunVerdict.of(crawler).reasons
    assert reason.startswith("closing the run failed: IsADirectoryError: ")
    assert RunVerdict.of(crawler).exit_status == 1
    run = the_run(tmp_path)
    assert (run["status"], run["counts"]["failure_reasons"]) == ("failed", [reason])
    assert run["counts"]["new"] == 1  # the articles were kept all the same
    assert f"Closing run {run_id} failed" in caplog.messages


def test_a_store_that_cannot_record_the_end_says_so_and_still_lets_go(
    tmp_path, monkeypatch, caplog
):
    def refused(self, run):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(SQLiteStore, "finish_run", refused)
    crawler = crawler_with(tmp_path)
    with caplog.at_level(logging.ERROR):
        asyncio.run(run_pipeline(crawler, [make_article(1)]))
    run_id = Keeper.of(crawler).run.run_id
    assert f"Could not record the end of run {run_id} (finished): disk I/O error" in caplog.messages
    monkeypatch.undo()
    assert the_run(tmp_path)["status"] == "running"  # what the log line warns of
    # The store was closed all the same: its locks are free for the next run.
    again = crawler_with(tmp_path)
    asyncio.run(run_pipeline(again, [make_article(1)]))
    assert RunVerdict.of(again).exit_status == 0
    store = open_archive(tmp_path)
    assert sorted(r["status"] for r in store.runs()) == ["finished", "running"]
    store.close()
