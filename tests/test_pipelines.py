"""Pipelines: validation and in-run duplicates counted by reason; batched store writes;
a store that fails mid-run loses nothing (dead-letter file, then replay)."""

from __future__ import annotations

import asyncio
import inspect
import json
from datetime import UTC, datetime, timedelta

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from newscrawl import cli
from newscrawl.items import Article
from newscrawl.pipelines.dedupe import DuplicatesPipeline
from newscrawl.pipelines.store import StorePipeline, writer_setting
from newscrawl.pipelines.validate import ValidationPipeline
from newscrawl.spiders.liputan6 import Liputan6Spider
from newscrawl.store.base import StoreError, content_hash, documents
from newscrawl.store.sqlite import SQLiteStore


def make_article(n: int, **changes) -> Article:
    """A complete article numbered n."""
    values = dict(
        article_id=str(4_000_000 + n),
        url=f"https://www.liputan6.com/news/read/{4_000_000 + n}/artikel-{n}",
        title=f"Judul {n}",
        type="text",
        published_at=datetime(2020, 5, 27, tzinfo=UTC) + timedelta(hours=n),
        published_at_raw="2020-05-27T07:00:00+07:00",
        published_at_source="jsonld",
        authors=["Muhammad Ali"],
        section="news",
        subsection="peristiwa",
        tags=["SIKM"],
        body=f"Isi artikel nomor {n}.",
        word_count=4,
    )
    values.update(changes)
    return Article(**values)


def crawler_with(tmp_path, **settings):
    """A crawler whose spider is the liputan6 spider, storing in tmp_path."""
    base = {
        "NEWSCRAWL_SQLITE_PATH": str(tmp_path / "archive.sqlite3"),
        "MONGO_URI": None,
        "STORE_BATCH_SIZE": 3,
        "STORE_FLUSH_INTERVAL": 0,
        "NEWSCRAWL_DEAD_LETTER_PATH": str(tmp_path / "dead.jsonl"),
        # In this process, so tests can break the store's methods; WRITERS tests both.
        "STORE_WRITER": "thread",
        "EXTRACTION_WORKERS": 0,  # no page is parsed here
    }
    base.update(settings)
    crawler = get_crawler(Liputan6Spider, base)
    crawler.spider = Liputan6Spider.from_crawler(crawler)
    crawler.stats.open_spider()
    return crawler


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


async def feed(pipeline, articles) -> None:
    """process_item for each article as Scrapy calls it (awaiting back-pressure)."""
    for article in articles:
        result = pipeline.process_item(article)
        if inspect.isawaitable(result):
            assert await result is article
        else:
            assert result is article


async def run_pipeline(crawler, articles, reason="finished"):
    """Open the store pipeline, feed it articles, close it as Scrapy would."""
    pipeline = StorePipeline.from_crawler(crawler)
    await pipeline.open_spider()
    await feed(pipeline, articles)
    await pipeline.close_spider()
    await pipeline.spider_closed(crawler.spider, reason)
    return pipeline


WRITERS = pytest.mark.parametrize("writer", ["thread", "process"])


@WRITERS
def test_store_pipeline_writes_in_batches_and_records_the_run(tmp_path, writer):
    crawler = crawler_with(tmp_path, STORE_WRITER=writer)
    pipeline = asyncio.run(run_pipeline(crawler, [make_article(n) for n in range(7)]))
    store = SQLiteStore(tmp_path / "archive.sqlite3")
    store.open()
    assert store.count_articles() == 7
    assert crawler.stats.get_value("newscrawl/store/new") == 7
    # 7 articles in batches of 3: three writes, each a bounded number of round trips.
    assert crawler.stats.get_value("newscrawl/store/round_trips") <= 3 * 3
    (run,) = store.runs()
    assert run["_id"] == pipeline.run.run_id
    assert run["status"] == "finished"
    assert run["counts"]["new"] == 7
    assert run["finished_at"] is not None
    store.close()


@WRITERS
def test_second_run_changes_nothing_but_last_seen(tmp_path, writer):
    articles = [make_article(n) for n in range(5)]
    asyncio.run(run_pipeline(crawler_with(tmp_path, STORE_WRITER=writer), articles))
    crawler = crawler_with(tmp_path, STORE_WRITER=writer)
    asyncio.run(run_pipeline(crawler, articles))
    assert crawler.stats.get_value("newscrawl/store/unchanged") == 5
    assert not crawler.stats.get_value("newscrawl/store/new")
    store = SQLiteStore(tmp_path / "archive.sqlite3")
    store.open()
    assert store.count_articles() == 5
    assert [r["status"] for r in store.runs()] == ["finished", "finished"]
    store.close()


def test_store_lost_mid_run_dead_letters_and_replay_restores_everything(tmp_path, monkeypatch):
    crawler = crawler_with(tmp_path)
    writes = {"n": 0}
    original = SQLiteStore.write_articles

    def flaky_write(self, docs, **kwargs):
        writes["n"] += 1
        if writes["n"] > 1:  # the database goes away after the first batch
            raise StoreError("SQLite file is gone")
        return original(self, docs, **kwargs)

    monkeypatch.setattr(SQLiteStore, "write_articles", flaky_write)
    articles = [make_article(n) for n in range(10)]
    asyncio.run(run_pipeline(crawler, articles))
    monkeypatch.setattr(SQLiteStore, "write_articles", original)

    dead = tmp_path / "dead.jsonl"
    lines = dead.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 7  # 10 articles, the first batch of 3 was stored
    assert json.loads(lines[0])["published_at"].endswith("Z")
    assert crawler.stats.get_value("newscrawl/store/dead_letter") == 7
    assert crawler.stats.get_value("newscrawl/store/dead_letter_path") == str(dead.resolve())
    assert crawler.stats.get_value("newscrawl/store/status") == "failed"

    db = str(tmp_path / "archive.sqlite3")
    assert cli.main(["replay", str(dead), "--sqlite-path", db]) == 0
    assert cli.main(["replay", str(dead), "--sqlite-path", db]) == 0  # idempotent
    store = SQLiteStore(db)
    store.open()
    assert store.count_articles() == 10
    assert all(doc["version"] == 1 for doc in store.iter_articles())
    statuses = {r["spider"]: r["status"] for r in store.runs()}
    assert statuses["liputan6"] == "failed"
    store.close()


@WRITERS
def test_edited_article_becomes_a_new_version(tmp_path, writer):
    asyncio.run(run_pipeline(crawler_with(tmp_path, STORE_WRITER=writer), [make_article(1)]))
    crawler = crawler_with(tmp_path, STORE_WRITER=writer)
    asyncio.run(run_pipeline(crawler, [make_article(1, body="Isi yang sudah diperbarui.")]))
    assert crawler.stats.get_value("newscrawl/store/updated") == 1
    store = SQLiteStore(tmp_path / "archive.sqlite3")
    store.open()
    doc = store.get_article("4000001")
    assert doc["version"] == 2 and doc["body"] == "Isi yang sudah diperbarui."
    (old,) = store.versions("4000001")
    assert old["body"] == "Isi artikel nomor 1."
    store.close()


def _replayed_count(tmp_path, dead) -> int:
    """Replay the dead-letter file (twice: idempotent) and count the stored articles."""
    db = str(tmp_path / "archive.sqlite3")
    assert cli.main(["replay", str(dead), "--sqlite-path", db]) == 0
    assert cli.main(["replay", str(dead), "--sqlite-path", db]) == 0
    store = SQLiteStore(db)
    store.open()
    try:
        return store.count_articles()
    finally:
        store.close()


def test_a_killed_writer_process_loses_nothing(tmp_path):
    crawler = crawler_with(tmp_path, STORE_WRITER="process")
    articles = [make_article(n) for n in range(10)]

    async def run():
        pipeline = StorePipeline.from_crawler(crawler)
        await pipeline.open_spider()
        await feed(pipeline, articles[:3])
        await pipeline.flush()  # the first batch is written by the writer process
        pipeline.writer.worker.proc.kill()
        pipeline.writer.worker.proc.wait()
        await asyncio.sleep(0.05)  # the event loop sees the pipe close
        await feed(pipeline, articles[3:])
        await pipeline.close_spider()
        await pipeline.spider_closed(crawler.spider, "finished")

    asyncio.run(run())
    dead = tmp_path / "dead.jsonl"
    assert len(dead.read_text(encoding="utf-8").splitlines()) == 7
    assert crawler.stats.get_value("newscrawl/store/new") == 3
    assert crawler.stats.get_value("newscrawl/store/dead_letter") == 7
    assert crawler.stats.get_value("newscrawl/store/status") == "failed"
    assert _replayed_count(tmp_path, dead) == 10


def test_a_store_failing_in_the_writer_process_dead_letters(tmp_path):
    crawler = crawler_with(tmp_path, STORE_WRITER="process")
    articles = [make_article(n) for n in range(5)]

    async def run():
        pipeline = StorePipeline.from_crawler(crawler)
        await pipeline.open_spider()
        # The file the writer process will open is no longer a database.
        db = tmp_path / "archive.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            db.with_name(db.name + suffix).unlink(missing_ok=True)
        db.mkdir()
        await feed(pipeline, articles)
        await pipeline.close_spider()
        await pipeline.spider_closed(crawler.spider, "finished")
        db.rmdir()

    asyncio.run(run())
    dead = tmp_path / "dead.jsonl"
    assert len(dead.read_text(encoding="utf-8").splitlines()) == 5
    assert crawler.stats.get_value("newscrawl/store/errors") == 1
    assert crawler.stats.get_value("newscrawl/store/status") == "failed"
    assert _replayed_count(tmp_path, dead) == 5


@pytest.mark.parametrize(
    ("value", "cpus", "kind"),
    [
        (None, 2, "process"),
        ("auto", 1, "thread"),
        ("AUTO", 4, "process"),
        ("thread", 8, "thread"),
        ("process", 1, "process"),
    ],
)
def test_writer_setting(value, cpus, kind):
    assert writer_setting(value, cpus) == kind


def test_bad_writer_setting_is_refused():
    with pytest.raises(ValueError, match="auto, process or thread"):
        writer_setting("fork", 2)


def test_export_prints_what_was_stored(tmp_path, capsys):
    asyncio.run(run_pipeline(crawler_with(tmp_path), [make_article(n) for n in range(4)]))
    db = str(tmp_path / "archive.sqlite3")
    assert cli.main(["export", "--sqlite-path", db, "--since", "2020-05-27"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["article_id"] for r in rows] == ["4000000", "4000001", "4000002", "4000003"]
    assert rows[0]["published_at"] == "2020-05-27T00:00:00Z"
    out = tmp_path / "a.csv"
    assert cli.main(["export", "--sqlite-path", db, "--format", "csv", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").count("\n") == 5  # header + 4 rows


def test_run_record_agrees_with_the_exit_status_on_quality(tmp_path):
    crawler = crawler_with(tmp_path)
    crawler.stats.set_value("item_scraped_count", 5)
    crawler.stats.set_value("item_dropped_count", 30)  # most pages were junk
    asyncio.run(run_pipeline(crawler, [make_article(n) for n in range(5)]))
    store = SQLiteStore(tmp_path / "archive.sqlite3")
    store.open()
    (run,) = store.runs()
    assert run["status"] == "failed"
    assert any("quality 5/35" in r for r in run["counts"]["failure_reasons"])
    store.close()


def test_documents_are_stamped_with_when_they_were_fetched():
    fetched = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    own = datetime(2023, 1, 1, tzinfo=UTC)
    article, replayed = make_article(1), {**make_article(2).to_dict(), "fetched_at": own}
    docs = documents([(article, fetched), (replayed, fetched)])
    assert [d["fetched_at"] for d in docs] == [fetched, own]
    assert [d["_id"] for d in docs] == ["liputan6:4000001", "liputan6:4000002"]
    assert docs[0]["content_hash"] == content_hash(docs[0])
