"""Benchmark: store throughput through the StorePipeline, batched against one write per item.

Drives newscrawl.pipelines.store.StorePipeline and the run's Archive as Scrapy would
(spider_opened, process_item for every article, close_spider, spider_closed) with synthetic
articles of realistic size (body about 3 KB, 2 authors, 4 tags) and prints, measured
in the same run:
  * articles/s into the embedded SQLite store (a new temp file per measurement) with
    STORE_BATCH_SIZE=100, and with STORE_BATCH_SIZE=1 (one write per article), and the ratio;
  * the store round trips of each (crawl stat newscrawl/store/round_trips) and the number of
    write_articles calls;
  * the same for MongoStore on mongomock (an in-memory imitation, NOT a MongoDB server: its
    figures show the pipeline's own cost and the round-trip count, not MongoDB's speed).

Run: .venv/bin/python benchmarks/bench_store.py [--articles N] [--mongomock-articles N]
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scrapy.utils.test import get_crawler  # noqa: E402

import newscrawl.extensions.keeper as keeper_module  # noqa: E402
from newscrawl import settings as project_settings  # noqa: E402
from newscrawl.extensions.keeper import Keeper  # noqa: E402
from newscrawl.items import Article  # noqa: E402
from newscrawl.pipelines.store import StorePipeline  # noqa: E402
from newscrawl.spiders.liputan6 import Liputan6Spider  # noqa: E402
from newscrawl.store.mongo import MongoStore  # noqa: E402
from newscrawl.store.sqlite import SQLiteStore  # noqa: E402
from tests.helpers import make_article  # noqa: E402

BATCHED, SINGLE = 100, 1
BASE_TIME = datetime(2024, 1, 1, tzinfo=UTC)
TEXT = (
    "pemerintah akan terus memantau perkembangan di lapangan setelah rapat koordinasi dengan "
    "daerah masyarakat diminta tetap tenang dan mengikuti informasi resmi kebijakan ini berlaku "
    "mulai pekan depan di seluruh wilayah data terbaru menunjukkan kenaikan sekitar persen "
    "dibanding bulan lalu anggaran yang disiapkan mencapai miliar petugas gabungan dikerahkan"
)
WORDS = TEXT.split()
NAMES = ("Ady Anugrahadi", "Nanda Perdana Putra", "Muhammad Ali", "Dewi Kusuma", "Rizky Lubis")
TAGS = ("Jokowi", "Banjir", "Covid-19", "IHSG", "Mudik Lebaran", "KPK", "Liga 1", "BMKG", "PSBB")


def make_articles(n: int, seed: int = 0) -> list[Article]:
    """n distinct articles: body about 3 KB in 6 paragraphs, 2 authors, 4 tags."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        article_id = str(4_200_000 + i)
        section = ("news", "bisnis", "bola")[i % 3]
        paragraphs = []
        for _ in range(6):
            words = [rng.choice(WORDS) for _ in range(rng.randint(65, 80))]
            paragraphs.append(" ".join(words).capitalize() + ".")
        body = "\n\n".join(paragraphs)
        published = BASE_TIME + timedelta(minutes=7 * i)
        title = f"Pemerintah Pastikan Harga Cabai Turun Pekan Depan ({i})"
        out.append(
            make_article(
                i,
                article_id=article_id,
                url=f"https://www.liputan6.com/{section}/read/{article_id}/berita-{i}",
                title=title,
                type="text",
                published_at=published,
                published_at_raw=f"{published:%d %b %Y, %H:%M} WIB",
                published_at_source="jsonld",
                updated_at=published + timedelta(minutes=30),
                updated_at_raw=f"{published:%d %b %Y, %H:%M} WIB",
                updated_at_source="jsonld",
                authors=rng.sample(NAMES, 2),
                editors=[rng.choice(NAMES)],
                credits=["Liputan6.com"],
                byline_raw="Penulis: " + ", ".join(NAMES[:2]),
                section=section,
                subsection="peristiwa",
                tags=rng.sample(TAGS, 4),
                summary=paragraphs[0][:160],
                body=body,
                word_count=len(body.split()),
                page_count=1,
                image_url=f"https://cdn1-production-images-kly.akamaized.net/{article_id}.jpg",
                image_caption="Ilustrasi foto (Liputan6.com)",
                dateline="Jakarta",
            )
        )
    return out


def make_crawler(settings: dict[str, Any]):
    """A crawler of the liputan6 spider with these settings (as tests/test_pipelines.py)."""
    settings = {
        "EXTENSIONS": project_settings.EXTENSIONS,
        "LIPUTAN6_BASE_URL": project_settings.LIPUTAN6_BASE_URL,
        "NEWSCRAWL_RUN": True,
        "NEWSCRAWL_PROGRESS_INTERVAL": 0,
        **settings,
    }
    crawler = get_crawler(Liputan6Spider, settings)
    crawler.spider = Liputan6Spider.from_crawler(crawler)
    crawler.stats.open_spider()
    return crawler


async def drive(crawler, articles: list[Article]) -> dict[str, Any]:
    """One pipeline run as Scrapy drives it; the timed part is process_item to close_spider."""
    keeper = Keeper.of(crawler)
    pipeline = StorePipeline.from_crawler(crawler)
    pipeline.open_spider()
    await keeper.spider_opened(crawler.spider)
    calls = {"n": 0}
    write = keeper.store.write_articles

    def counted(*args, **kwargs):
        calls["n"] += 1
        return write(*args, **kwargs)

    keeper.store.write_articles = counted
    start = time.perf_counter()
    for article in articles:
        result = pipeline.process_item(article)  # returns an awaitable only for back-pressure
        if inspect.isawaitable(result):
            await result
        else:
            await asyncio.sleep(0)  # let a background write start, as Scrapy's loop would
    await pipeline.close_spider()
    seconds = time.perf_counter() - start
    await keeper.spider_closed(crawler.spider, "finished")
    stats = crawler.stats
    return {
        "seconds": seconds,
        "rate": len(articles) / seconds,
        "round_trips": stats.get_value("newscrawl/store/round_trips", 0),
        "calls": calls["n"],
        "new": stats.get_value("newscrawl/store/new", 0),
        "dead": stats.get_value("newscrawl/store/dead_letter", 0),
        "status": stats.get_value("newscrawl/store/status"),
    }


def sqlite_run(articles: list[Article], batch: int) -> dict[str, Any]:
    """Through the pipeline into a new SQLite file; checks the file holds every article."""
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        path = Path(tmp) / "archive.sqlite3"
        crawler = make_crawler(
            {
                "MONGO_URI": None,
                "NEWSCRAWL_SQLITE_PATH": str(path),
                "STORE_BATCH_SIZE": batch,
                "STORE_FLUSH_INTERVAL": 0,
                "NEWSCRAWL_DEAD_LETTER_PATH": str(Path(tmp) / "dead.jsonl"),
            }
        )
        result = asyncio.run(drive(crawler, articles))
        store = SQLiteStore(path)
        store.open()
        result["stored"] = store.count_articles()
        store.close()
    return result


def mongomock_run(articles: list[Article], batch: int) -> dict[str, Any]:
    """Through the pipeline into MongoStore on a fresh mongomock server (tests/stores.py shim)."""
    import pytest

    from tests.stores import SharedMongomock, mongomock_compat

    factory = SharedMongomock()
    uri = "mongodb://mongomock.bench:27017"

    def open_mongomock(settings) -> MongoStore:
        return MongoStore(uri, "newscrawl_bench", client_factory=factory)

    with pytest.MonkeyPatch.context() as mp, tempfile.TemporaryDirectory() as tmp:
        mongomock_compat(mp)
        mp.setattr(keeper_module, "open_store", open_mongomock)
        crawler = make_crawler(
            {
                "MONGO_URI": uri,
                "STORE_BATCH_SIZE": batch,
                "STORE_FLUSH_INTERVAL": 0,
                "NEWSCRAWL_DEAD_LETTER_PATH": str(Path(tmp) / "dead.jsonl"),
            }
        )
        result = asyncio.run(drive(crawler, articles))
        result["stored"] = factory.client["newscrawl_bench"]["articles"].count_documents({})
    return result


def compare(label: str, run: Callable[[list[Article], int], dict[str, Any]], articles) -> None:
    """Batched against one write per article on one backend; prints the figures."""
    n = len(articles)
    print(f"{label}: {n} articles through StorePipeline")
    results = {}
    for batch in (BATCHED, SINGLE):
        r = run(articles, batch)
        results[batch] = r
        lost = "" if r["stored"] == n and not r["dead"] else f"  LOST: {n - r['stored']} !"
        print(
            f"  STORE_BATCH_SIZE={batch:<3}: {r['rate']:8.0f} articles/s"
            f"  ({r['seconds']:6.2f} s)  round trips {r['round_trips']:6d}"
            f"  write_articles calls {r['calls']:6d}  stored {r['stored']}{lost}"
        )
    batched, single = results[BATCHED], results[SINGLE]
    print(
        f"  batching speed-up    : {batched['rate'] / single['rate']:8.1f}x one write per article;"
        f" round trips {single['round_trips']} -> {batched['round_trips']}"
        f" ({single['round_trips'] / max(1, batched['round_trips']):.0f}x fewer)"
    )


def main() -> None:
    """Run every measurement and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000, help="articles for SQLite")
    parser.add_argument(
        "--mongomock-articles",
        type=int,
        default=2_000,
        help="articles for mongomock (it scans every document per query; 0 skips it)",
    )
    args = parser.parse_args()

    articles = make_articles(max(args.articles, args.mongomock_articles))
    sizes = [len(a.body.encode()) for a in articles]
    print(
        f"articles: body {sum(sizes) / len(sizes) / 1024:.1f} KB on average, "
        f"{len(articles[0].authors)} authors, {len(articles[0].tags)} tags"
    )
    compare("SQLite (temp file, WAL)", sqlite_run, articles[: args.articles])
    if args.mongomock_articles > 0:
        try:
            import mongomock  # noqa: F401
        except ImportError:
            print("mongomock: not installed (pip install -e '.[test]')")
            return
        compare(
            "MongoStore on mongomock, not a server",
            mongomock_run,
            articles[: args.mongomock_articles],
        )


if __name__ == "__main__":
    main()
