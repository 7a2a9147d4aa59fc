"""Pipelines: validation and in-run duplicates counted by reason; batched store writes;
a store that fails mid-run loses nothing (dead-letter file, then replay)."""

from __future__ import annotations

import asyncio
import csv
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.exceptions import CloseSpider, DropItem, NotConfigured
from scrapy.http import HtmlResponse, Request

import newscrawl.extensions.keeper as keeper_module
import newscrawl.pipelines.store as store_pipeline
from newscrawl import cli
from newscrawl.extensions.keeper import Keeper
from newscrawl.extensions.verdict import RunVerdict
from newscrawl.pipelines.dedupe import DuplicateArticle, DuplicatesPipeline
from newscrawl.pipelines.store import StorePipeline
from newscrawl.pipelines.validate import ValidationPipeline
from newscrawl.stats import by_suffix
from newscrawl.store.base import (
    ArticleRejected,
    LockHeld,
    StoreError,
    StoreLost,
    content_hash,
    documents,
)
from newscrawl.store.mongo import MongoStore
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
from tests.site import make_articles as make_site_articles
from tests.site import render_indeks_page
from tests.stores import SharedMongomock, mongomock_compat


@pytest.mark.parametrize("missing", ["article_id", "url", "title", "published_at", "body"])
def test_validation_drops_and_counts_each_missing_field(tmp_path, missing):
    crawler = crawler_with(tmp_path)
    pipeline = ValidationPipeline.from_crawler(crawler)
    with pytest.raises(DropItem, match=f"missing {missing}"):
        pipeline.process_item(make_article(1, **{missing: None}))
    assert crawler.stats.get_value(f"newscrawl/dropped/missing_{missing}") == 1


def test_validation_passes_a_complete_article(tmp_path):
    crawler = crawler_with(tmp_path)
    article = make_article(1)
    assert ValidationPipeline.from_crawler(crawler).process_item(article) is article
    assert not any(k.startswith("newscrawl/dropped") for k in crawler.stats.get_stats())


@pytest.mark.parametrize("missing", ["title", "body"])
def test_validation_and_duplicates_take_plain_dict_items_too(tmp_path, missing):
    crawler = crawler_with(tmp_path)
    validate, dedupe = (p.from_crawler(crawler) for p in (ValidationPipeline, DuplicatesPipeline))
    item = make_article(1).to_dict()
    assert dedupe.process_item(validate.process_item(item)) is item
    with pytest.raises(DropItem):
        dedupe.process_item(dict(item))
    with pytest.raises(DropItem, match=f"missing {missing}"):
        validate.process_item({**item, missing: ""})
    assert crawler.stats.get_value("newscrawl/dropped/duplicate") == 1
    assert crawler.stats.get_value(f"newscrawl/dropped/missing_{missing}") == 1


def test_duplicates_in_one_crawl_are_dropped_and_counted(tmp_path):
    crawler = crawler_with(tmp_path)
    pipeline = DuplicatesPipeline.from_crawler(crawler)
    pipeline.process_item(make_article(1))
    pipeline.process_item(make_article(2))
    with pytest.raises(DropItem, match="duplicate"):
        pipeline.process_item(make_article(1, title="again"))
    assert crawler.stats.get_value("newscrawl/dropped/duplicate") == 1


def the_day(tmp_path, day) -> dict:
    """The one ledger record of a day in the test's archive."""
    store = open_archive(tmp_path)
    try:
        (record,) = store.iter_days(day, day)
    finally:
        store.close()
    return record


def list_day(keeper, day, ids):
    """The spider's report of a day of channel news whose one list page lists these ids."""
    listed = keeper.days.page_listed("news", day, ids, stored=set())
    keeper.days.listing_finished("news", day)
    return listed


def test_store_pipeline_writes_in_batches_and_records_the_run(tmp_path):
    crawler = crawler_with(tmp_path)
    asyncio.run(run_pipeline(crawler, [make_article(n) for n in range(7)]))
    store = open_archive(tmp_path)
    assert store.count_articles() == 7
    assert crawler.stats.get_value("newscrawl/store/new") == 7
    # 7 articles in batches of 3: three writes, each a bounded number of round trips.
    assert crawler.stats.get_value("newscrawl/store/round_trips") <= 3 * 3
    (run,) = store.runs()
    assert run["_id"] == Keeper.of(crawler).run.run_id
    assert run["status"] == "finished"
    assert run["counts"]["new"] == 7
    assert run["finished_at"] is not None
    store.close()


def test_second_run_changes_nothing_but_last_seen(tmp_path):
    articles = [make_article(n) for n in range(5)]
    asyncio.run(run_pipeline(crawler_with(tmp_path), articles))
    crawler = crawler_with(tmp_path)
    asyncio.run(run_pipeline(crawler, articles))
    assert crawler.stats.get_value("newscrawl/store/unchanged") == 5
    assert not crawler.stats.get_value("newscrawl/store/new")
    store = open_archive(tmp_path)
    assert store.count_articles() == 5
    assert [r["status"] for r in store.runs()] == ["finished", "finished"]
    store.close()


def _replayed_count(tmp_path, dead) -> int:
    """Replay the dead-letter file (twice: idempotent) and count the stored articles."""
    db = str(tmp_path / "archive.sqlite3")
    assert cli.main(["replay", str(dead), "--sqlite-path", db]) == 0
    assert cli.main(["replay", str(dead), "--sqlite-path", db]) == 0
    store = open_archive(tmp_path)
    try:
        return store.count_articles()
    finally:
        store.close()


def test_store_lost_mid_run_dead_letters_and_replay_restores_everything(tmp_path, monkeypatch):
    crawler = crawler_with(tmp_path)
    writes = {"n": 0}
    original = SQLiteStore.write_articles

    def flaky_write(self, docs, **kwargs):
        writes["n"] += 1
        if writes["n"] > 1:  # the database goes away after the first batch
            raise StoreLost("SQLite file is gone")
        return original(self, docs, **kwargs)

    monkeypatch.setattr(SQLiteStore, "write_articles", flaky_write)
    articles = [make_article(n) for n in range(10)]
    asyncio.run(run_pipeline(crawler, articles))
    monkeypatch.setattr(SQLiteStore, "write_articles", original)

    dead = tmp_path / "dead.jsonl"
    lines = [json.loads(line) for line in dead.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 7  # 10 articles, the first batch of 3 was stored
    assert lines[0]["published_at"].endswith("Z")
    assert lines[0]["dead_letter_reason"] == "SQLite file is gone"
    assert crawler.stats.get_value("newscrawl/store/dead_letter") == 7
    assert crawler.stats.get_value("newscrawl/store/dead_letter_path") == str(dead.resolve())
    assert crawler.stats.get_value("newscrawl/store/status") == "failed"
    reasons = RunVerdict.of(crawler).reasons
    assert reasons == [
        f"store lost during the run (SQLite file is gone); 7 articles in {dead.resolve()}"
    ]
    assert _replayed_count(tmp_path, dead) == 10
    store = open_archive(tmp_path)
    assert all(doc["version"] == 1 for doc in store.iter_articles())
    statuses = {r["spider"]: r["status"] for r in store.runs()}
    assert statuses["liputan6"] == "failed"
    store.close()


def test_one_article_the_store_refuses_is_the_only_one_dead_lettered(tmp_path, monkeypatch):
    crawler = crawler_with(tmp_path, STORE_BATCH_SIZE=8)
    original = SQLiteStore.write_articles
    calls = []

    def picky_write(self, docs, **kwargs):
        calls.append(len(docs))
        if any(doc["title"] == "too big" for doc in docs):
            raise ArticleRejected("string or blob too big")
        return original(self, docs, **kwargs)

    monkeypatch.setattr(SQLiteStore, "write_articles", picky_write)
    articles = [make_article(n, title="too big" if n == 5 else f"Judul {n}") for n in range(8)]
    asyncio.run(run_pipeline(crawler, articles))
    (line,) = (tmp_path / "dead.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["article_id"] == "5500005"
    assert json.loads(line)["dead_letter_reason"] == "string or blob too big"
    assert calls[0] == 8 and len(calls) <= 8  # split in halves, not article by article
    store = open_archive(tmp_path)
    assert store.count_articles() == 7
    assert store.runs()[0]["status"] == "finished"  # the store itself is fine
    store.close()
    assert crawler.stats.get_value("newscrawl/store/rejected") == 1


def test_when_the_dead_letter_file_fails_too_the_count_is_true(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the dead-letter folder should be")
    crawler = crawler_with(tmp_path, NEWSCRAWL_DEAD_LETTER_PATH=str(blocker / "dead.jsonl"))

    def lost(self, docs, **kwargs):
        raise StoreLost("database or disk is full")

    monkeypatch.setattr(SQLiteStore, "write_articles", lost)
    asyncio.run(run_pipeline(crawler, [make_article(n) for n in range(7)]))
    assert crawler.stats.get_value("newscrawl/store/unkept") == 7
    assert not crawler.stats.get_value("newscrawl/store/dead_letter")
    reasons = RunVerdict.of(crawler).reasons
    assert reasons[0].startswith("store lost during the run (database or disk is full); 0 articles")
    assert reasons[1].startswith("7 articles could not be kept anywhere")


def test_a_day_is_recorded_complete_as_soon_as_its_articles_are_written(tmp_path):
    crawler = crawler_with(tmp_path)
    keeper = Keeper.of(crawler)
    day = date(2024, 3, 1)
    articles = [make_article(n) for n in range(3)]

    async def run():
        pipeline = await open_run(crawler)
        ids = [a.article_id for a in articles]
        assert list_day(keeper, day, ids) == (ids, ids)
        await feed(pipeline, articles)  # a full batch: written in the background
        while pipeline._writing is not None:
            await asyncio.sleep(0.01)
        await asyncio.gather(*keeper.connection.tasks)
        # Before the run closes, the ledger already holds the day as complete.
        record = the_day(tmp_path, day)
        await close_run(crawler, pipeline)
        return record

    record = asyncio.run(run())
    assert record["complete"] and record["listed"] == 3 and record["stored"] == 3


def test_a_day_with_a_dropped_article_is_recorded_incomplete(tmp_path):
    crawler = crawler_with(tmp_path)
    keeper = Keeper.of(crawler)
    day = date(2024, 3, 1)

    async def run():
        pipeline = await open_run(crawler)
        list_day(keeper, day, ["5500001", "5500002"])
        keeper.item_dropped({"article_id": "5500002"}, None, DropItem("missing body"))
        await feed(pipeline, [make_article(1)])
        await close_run(crawler, pipeline)

    asyncio.run(run())
    record = the_day(tmp_path, day)
    assert not record["complete"]
    assert (record["listed"], record["stored"], record["failed"]) == (2, 1, 1)
    assert crawler.stats.get_value("newscrawl/days/incomplete") == 1


def test_a_second_copy_of_an_article_does_not_fail_its_day(tmp_path):
    crawler = crawler_with(tmp_path)
    keeper = Keeper.of(crawler)
    day = date(2024, 3, 1)

    async def run():
        pipeline = await open_run(crawler)
        dedupe = DuplicatesPipeline.from_crawler(crawler)
        list_day(keeper, day, ["5500001"])
        await feed(pipeline, [dedupe.process_item(make_article(1))])
        with pytest.raises(DuplicateArticle) as dropped:
            dedupe.process_item(make_article(1))
        keeper.item_dropped(make_article(1), None, dropped.value)
        await close_run(crawler, pipeline)

    asyncio.run(run())
    record = the_day(tmp_path, day)
    assert record["complete"] and record["failed"] == 0


def test_a_duplicate_filtered_article_request_finishes_its_day_at_once_as_incomplete(tmp_path):
    crawler = crawler_with(tmp_path)
    keeper = Keeper.of(crawler)
    day = date(2024, 3, 1)

    async def run():
        pipeline = await open_run(crawler)
        list_day(keeper, day, ["5500001", "5500002"])
        await feed(pipeline, [make_article(1)])
        await pipeline.flush()
        redirected = Request(
            "https://www.liputan6.com/bisnis/read/5500001/berita-nomor-1",
            cb_kwargs={"channel": "news", "day": "2024-03-01", "article_id": "5500002"},
        )
        keeper.request_dropped(redirected)
        await asyncio.gather(*keeper.connection.tasks)
        record = the_day(tmp_path, day)  # recorded before the run ends
        await close_run(crawler, pipeline)
        return record

    record = asyncio.run(run())
    assert not record["complete"]
    assert (record["listed"], record["stored"], record["failed"]) == (2, 1, 1)
    assert crawler.stats.get_value("newscrawl/days/filtered_requests") == 1


def test_a_day_cut_short_by_archive_max_pages_is_incomplete(tmp_path):
    crawler = crawler_with(tmp_path, ARCHIVE_MAX_PAGES=1, NEWSCRAWL_RUN=False)
    spider = crawler.spider
    articles = make_site_articles(30, start_day=date(2024, 3, 1), days=1, channels=("news",))
    html = render_indeks_page("news", date(2024, 3, 1), articles[:24], page=1, has_next=True)
    url = "https://www.liputan6.com/news/indeks/2020/05/27"
    response = HtmlResponse(url, body=html.encode(), encoding="utf-8", request=Request(url))

    async def run():
        return [r async for r in spider.parse_index(response, "news", "2024-03-01", 1)]

    out = asyncio.run(run())
    assert len(out) == 24 and all(r.callback == spider.parse_article for r in out)
    walk = Keeper.of(crawler).days.ledger.days[("news", date(2024, 3, 1))]
    assert walk.listing_done and walk.listing_failed  # no page 2 requested, day not complete
    assert crawler.stats.get_value("newscrawl/days/max_pages_reached") == 1


def test_edited_article_becomes_a_new_version(tmp_path):
    asyncio.run(run_pipeline(crawler_with(tmp_path), [make_article(1)]))
    crawler = crawler_with(tmp_path)
    asyncio.run(run_pipeline(crawler, [make_article(1, body="Isi yang sudah diperbarui.")]))
    assert crawler.stats.get_value("newscrawl/store/updated") == 1
    store = open_archive(tmp_path)
    doc = store.get_article("5500001")
    assert doc["version"] == 2 and doc["body"] == "Isi yang sudah diperbarui."
    (old,) = store.versions("5500001")
    assert old["body"] == make_article(1).body
    store.close()


def test_export_prints_what_was_stored(tmp_path, capsys):
    asyncio.run(run_pipeline(crawler_with(tmp_path), [make_article(n) for n in range(4)]))
    db = str(tmp_path / "archive.sqlite3")
    assert cli.main(["export", "--sqlite-path", db, "--since", "2024-03-01"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["article_id"] for r in rows] == ["5500000", "5500001", "5500002", "5500003"]
    assert rows[0]["published_at"] == "2024-03-01T00:00:00Z"
    out = tmp_path / "a.csv"
    assert cli.main(["export", "--sqlite-path", db, "--format", "csv", "-o", str(out)]) == 0
    with out.open(encoding="utf-8", newline="") as f:
        assert len(list(csv.reader(f))) == 5  # header + 4 rows


def test_run_record_agrees_with_the_exit_status_on_quality(tmp_path):
    crawler = crawler_with(tmp_path)
    crawler.stats.set_value("item_scraped_count", 5)
    crawler.stats.set_value("item_dropped_count", 30)  # most pages were junk
    asyncio.run(run_pipeline(crawler, [make_article(n) for n in range(5)]))
    store = open_archive(tmp_path)
    (run,) = store.runs()
    assert run["status"] == "failed"
    assert run["counts"]["failure_reasons"] == RunVerdict.of(crawler).reasons
    assert any("quality 5/35" in r for r in run["counts"]["failure_reasons"])
    assert RunVerdict.of(crawler).exit_status == 1
    store.close()


def test_shell_and_parse_open_no_store(tmp_path):
    crawler = crawler_with(tmp_path, NEWSCRAWL_RUN=False)
    assert Keeper.of(crawler).store is None
    with pytest.raises(NotConfigured):
        StorePipeline.from_crawler(crawler)
    asyncio.run(Keeper.of(crawler).spider_opened(crawler.spider))
    assert not (tmp_path / "archive.sqlite3").exists()


def test_documents_are_stamped_with_when_they_were_fetched():
    fetched = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    own = datetime(2023, 1, 1, tzinfo=UTC)
    article, replayed = make_article(1), {**make_article(2).to_dict(), "fetched_at": own}
    docs = documents([(article, fetched), (replayed, fetched)])
    assert [d["fetched_at"] for d in docs] == [fetched, own]
    assert [d["_id"] for d in docs] == ["liputan6:5500001", "liputan6:5500002"]
    assert docs[0]["content_hash"] == content_hash(docs[0])


@pytest.fixture
def mongo_runs(monkeypatch):
    """Crawlers whose keeper opens a MongoStore on one shared mongomock server."""
    mongomock_compat(monkeypatch)
    factory = SharedMongomock()
    uri = "mongodb://mongomock.runs:27017"

    def mongo_store(settings):
        return MongoStore(uri, "runs", client_factory=factory, lock_lease_s=3)

    monkeypatch.setattr(keeper_module, "open_store", mongo_store)

    def make(tmp_path):
        return crawler_with(tmp_path, MONGO_URI=uri)

    make.db = lambda: factory.client["runs"]
    return make


def test_a_mongodb_run_holds_a_lease_with_a_heartbeat_and_releases_it(tmp_path, mongo_runs):
    crawler = mongo_runs(tmp_path)
    keeper = Keeper.of(crawler)

    async def run():
        pipeline = await open_run(crawler)
        (lease,) = mongo_runs.db()["crawl_locks"].find()
        assert lease["_id"] == "latest:news" and lease["run_id"] == keeper.run.run_id
        assert keeper.locks.heartbeat is not None and keeper.locks.heartbeat.interval == 1.0
        await keeper.locks.refresh()
        (renewed,) = mongo_runs.db()["crawl_locks"].find()
        assert renewed["expires_at"] >= lease["expires_at"]
        await feed(pipeline, [make_article(n) for n in range(4)])
        await close_run(crawler, pipeline)

    asyncio.run(run())
    assert list(mongo_runs.db()["crawl_locks"].find()) == []
    (record,) = mongo_runs.db()["crawl_runs"].find()
    assert record["status"] == "finished" and record["counts"]["new"] == 4


def test_a_second_mongodb_run_of_the_same_channel_is_refused_without_a_record(tmp_path, mongo_runs):
    first, second = mongo_runs(tmp_path / "a"), mongo_runs(tmp_path / "b")

    async def run():
        pipeline = await open_run(first)
        with pytest.raises(CloseSpider) as refused:
            await open_run(second)
        await close_run(first, pipeline)
        return refused.value.reason

    assert asyncio.run(run()) == "locked"
    assert "lock 'latest:news' is held by run" in second.stats.get_value("newscrawl/store/locked")
    assert [r["_id"] for r in mongo_runs.db()["crawl_runs"].find()] == [Keeper.of(first).run.run_id]


def test_a_lost_lock_stops_the_crawl_and_the_close_never_waits_on_itself(tmp_path, monkeypatch):
    crawler = crawler_with(tmp_path)
    keeper = Keeper.of(crawler)
    closed = []

    class Engine:
        """Closing the spider runs the keeper's spider_closed, as Scrapy's engine does."""

        async def close_spider_async(self, reason):
            await close_run(crawler, pipeline, reason)
            closed.append(reason)

    def taken(self):
        raise LockHeld("lock 'latest:news' was taken over by run other", "latest:news", None)

    async def run():
        nonlocal pipeline
        pipeline = await open_run(crawler)
        crawler.engine = Engine()
        monkeypatch.setattr(SQLiteStore, "refresh_locks", taken)
        keeper.locks.tick()  # the heartbeat's tick
        await asyncio.wait_for(asyncio.gather(*keeper.connection.tasks), 5)
        await asyncio.wait_for(keeper.connection.stopping, 5)

    pipeline = None
    asyncio.run(run())
    assert closed == ["lock_lost"]
    (record,) = open_archive(tmp_path).runs()
    assert record["status"] == "failed" and record["finish_reason"] == "lock_lost"


def test_a_passing_store_error_is_retried_and_loses_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(store_pipeline, "RETRY_WAITS", (0.01, 0.01))
    crawler = crawler_with(tmp_path)
    original = SQLiteStore.write_articles
    calls = {"n": 0}

    def busy_once(self, docs, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise StoreError("SQLite file x: writing articles failed: database is locked")
        return original(self, docs, **kwargs)

    monkeypatch.setattr(SQLiteStore, "write_articles", busy_once)
    asyncio.run(run_pipeline(crawler, [make_article(n) for n in range(3)]))
    assert crawler.stats.get_value("newscrawl/store/retried") == 1
    assert not (tmp_path / "dead.jsonl").exists()
    assert open_archive(tmp_path).count_articles() == 3
    assert RunVerdict.of(crawler).reasons == []


def test_a_failed_dead_letter_file_with_a_healthy_store_keeps_what_the_store_takes(
    tmp_path, monkeypatch
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the dead-letter folder should be")
    crawler = crawler_with(
        tmp_path, STORE_BATCH_SIZE=4, NEWSCRAWL_DEAD_LETTER_PATH=str(blocker / "dead.jsonl")
    )
    original = SQLiteStore.write_articles

    def picky_write(self, docs, **kwargs):
        if any(doc["title"] == "too big" for doc in docs):
            raise ArticleRejected("string or blob too big")
        return original(self, docs, **kwargs)

    monkeypatch.setattr(SQLiteStore, "write_articles", picky_write)
    articles = [make_article(n, title="too big" if n == 1 else f"Judul {n}") for n in range(8)]
    asyncio.run(run_pipeline(crawler, articles))
    assert open_archive(tmp_path).count_articles() == 7  # the store took all it could
    assert crawler.stats.get_value("newscrawl/store/unkept") == 1
    reasons = RunVerdict.of(crawler).reasons
    assert len(reasons) == 1 and reasons[0].startswith("1 articles could not be kept anywhere")


def test_a_day_record_that_failed_to_write_is_written_at_close(tmp_path, monkeypatch):
    crawler = crawler_with(tmp_path)
    keeper = Keeper.of(crawler)
    day = date(2024, 3, 1)
    original = SQLiteStore.put_days
    calls = {"n": 0}

    def busy_once(self, records):
        calls["n"] += 1
        if calls["n"] == 1:
            raise StoreError("SQLite file x: writing the day ledger failed: database is locked")
        return original(self, records)

    monkeypatch.setattr(SQLiteStore, "put_days", busy_once)

    async def run():
        pipeline = await open_run(crawler)
        list_day(keeper, day, [])  # finished at once: its write fails
        await asyncio.gather(*keeper.connection.tasks)
        await close_run(crawler, pipeline)

    asyncio.run(run())
    assert the_day(tmp_path, day)["complete"]
    assert calls["n"] == 2


def test_a_dropped_request_without_a_day_is_no_ledger_event(tmp_path):
    crawler = crawler_with(tmp_path)
    keeper = Keeper.of(crawler)
    page_two = Request(
        "https://www.liputan6.com/bisnis/read/5500001/berita-nomor-1?page=2",
        cb_kwargs={"article": make_article(1), "page": 2},
    )
    keeper.request_dropped(page_two)  # latest mode: no channel, no day
    assert keeper.days.ledger.days == {}
    assert not crawler.stats.get_value("newscrawl/days/filtered_requests")


# --- ids after the jump of July 2026, and hosts other than www (ERAS.md) ------------------

JUMPED_IDS = ["6335000", "8253586", "8292010", "9300000"]


def test_ids_after_the_jump_and_urls_on_other_hosts_are_validated_and_stored(tmp_path):
    """Nothing assumes ids grow smoothly or lie in a range: ids from either side of the
    jump of July 2026, in any order, with URLs on hosts whose www form is unknown."""
    crawler = crawler_with(tmp_path)
    validate = ValidationPipeline.from_crawler(crawler)
    articles = [
        make_article(
            n,
            article_id=article_id,
            url=f"https://berita.liputan6.com/peristiwa/read/{article_id}/artikel-{n}",
            published_at=datetime(2026, 9, 15, tzinfo=UTC) - timedelta(days=n),
        )
        for n, article_id in enumerate(reversed(JUMPED_IDS))
    ]
    for article in articles:
        assert validate.process_item(article) is article
    asyncio.run(run_pipeline(crawler, articles))
    store = open_archive(tmp_path)
    try:
        assert store.existing_ids([*JUMPED_IDS, "8253587"]) == set(JUMPED_IDS)
        assert store.get_article("9300000")["url"] == (
            "https://berita.liputan6.com/peristiwa/read/9300000/artikel-0"
        )
    finally:
        store.close()


def test_an_archive_day_listing_ids_after_the_jump_fetches_them_all(tmp_path):
    crawler = crawler_with(tmp_path, NEWSCRAWL_RUN=False)
    spider = crawler.spider
    items = "".join(
        f'<article class="articles--rows--item" data-type="Article">'
        f'<time datetime="2026-07-24T10:00:00+07:00">x</time>'
        f'<a class="articles--rows--item__title-link" '
        f'href="https://www.liputan6.com/news/read/{article_id}/judul">t</a></article>'
        for article_id in JUMPED_IDS
    )
    html = f'<html><body><section id="indeks-articles">{items}</section></body></html>'
    url = "https://www.liputan6.com/news/indeks/2026/07/24"
    response = HtmlResponse(url, body=html.encode(), encoding="utf-8", request=Request(url))

    async def run():
        return [r async for r in spider.parse_index(response, "news", "2026-07-24", 1)]

    out = asyncio.run(run())
    fetched = [r.cb_kwargs["article_id"] for r in out if r.callback == spider.parse_article]
    assert fetched == JUMPED_IDS
    assert out[-1].url == f"{url}?page=2"


@pytest.mark.parametrize(
    ("base", "allowed"),
    [
        ("https://www.liputan6.com", ["liputan6.com"]),
        ("http://127.0.0.1:8123", ["liputan6.com", "127.0.0.1"]),
    ],
)
def test_the_spider_keeps_to_liputan6_and_its_base(tmp_path, base, allowed):
    """Scrapy's OffsiteMiddleware lets every liputan6.com host through, and nothing else."""
    crawler = crawler_with(tmp_path, LIPUTAN6_BASE_URL=base)
    assert crawler.spider.allowed_domains == allowed
    offsite = OffsiteMiddleware.from_crawler(crawler)
    offsite.spider_opened(crawler.spider)
    for url in (
        "https://berita.liputan6.com/peristiwa/read/8284063/x",
        "https://en.liputan6.com/read/9300000/x",
        "http://photo.liputan6.com/news/foto-banjir-2436340",
        f"{base}/news/read/1/x",
    ):
        assert offsite.should_follow(Request(url), crawler.spider), url
    for url in ("https://www.vidio.com/watch/1-x", "https://liputan6.com.evil.org/read/1/x"):
        assert not offsite.should_follow(Request(url), crawler.spider), url


def test_an_article_linked_on_another_liputan6_host_is_fetched_there(tmp_path):
    crawler = crawler_with(tmp_path)
    spider = crawler.spider
    berita = "https://berita.liputan6.com/peristiwa/read/8284063/prabowo-bongkar"
    html = (
        '<html><body><div class="articles--iridescent-list">'
        f'<article class="articles--iridescent-list--item"><a href="{berita}?source=x">b</a>'
        '<a href="https://hot.liputan6.com/read/8253586/hot">h</a>'
        '<a href="https://example.com/news/read/1/x">x</a></article></div></body></html>'
    )
    url = "https://www.liputan6.com/news"
    response = HtmlResponse(url, body=html.encode(), encoding="utf-8", request=Request(url))
    assert [r.url for r in spider.parse_channel(response)] == [
        berita,
        "https://www.liputan6.com/hot/read/8253586/hot",
    ]


def test_validation_counts_articles_by_the_layout_that_read_them(tmp_path):
    crawler = crawler_with(tmp_path)
    pipeline = ValidationPipeline.from_crawler(crawler)
    pipeline.process_item(make_article(1, layout="mobile"))
    pipeline.process_item(make_article(2, layout="mobile").to_dict())
    with pytest.raises(DropItem):
        pipeline.process_item(make_article(3, layout="amp", body=None))
    pipeline.process_item(make_article(4))  # an item of no layout is not counted
    assert by_suffix(crawler.stats, "newscrawl/layouts") == {"mobile": 2, "amp": 1}
