"""The malformed pages of tests/malformed.py fetched by a real crawl (`scrapy crawl liputan6`
in a subprocess, against tests/site/): no exception anywhere in the runtime, no hang,
and every page served is a stored, valid article or counted under a named reason.

NEWSCRAWL_MALFORMED_CRAWL_PAGES sets how many pages: 500 by default (every mutation 35 times
or more; tests/test_malformed_pages.py gives 2,000 to the extraction in-process), 2,000 as
offline.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Mapping
from datetime import timedelta

from newscrawl.pipelines.validate import check_article
from newscrawl.spiders.options import today_wib
from newscrawl.stats import ARTICLE_FAILED, DEAD_LETTER, DROPPED, NOT_ARTICLE, STORE
from tests.helpers import FIXTURES, crawl, final_stats, open_archive, shared_liputan6
from tests.malformed import MUTATIONS, malformed_page, seed_pages
from tests.site import LocalSite, make_articles

COUNT = int(os.environ.get("NEWSCRAWL_MALFORMED_CRAWL_PAGES", "500"))
DAYS = max(1, COUNT // 100)
SEED = 11
TIMEOUT = 300  # a crawl still running after this has hung


class MalformedPages(Mapping):
    """Article id -> the malformed page served for it, made when the site is asked for it
    (2,000 pages of up to a few MB are not held in memory)."""

    def __init__(self, article_ids: list[str], pages: list[tuple[str, bytes]]):
        self.number = {article_id: n for n, article_id in enumerate(article_ids)}
        self.pages = pages

    def __getitem__(self, article_id: str) -> bytes:
        return malformed_page(self.pages, self.number[article_id], SEED)[1]

    def __iter__(self) -> Iterator[str]:
        return iter(self.number)

    def __len__(self) -> int:
        return len(self.number)


def by_reason(stats: dict, prefix: str) -> dict[str, int]:
    """{reason: count} of the stats named <prefix>/<reason>."""
    return {k[len(prefix) + 1 :]: v for k, v in stats.items() if k.startswith(f"{prefix}/")}


def test_a_crawl_of_malformed_pages_stores_or_counts_each_and_never_crashes(tmp_path):
    articles = make_articles(
        COUNT, start_day=today_wib() - timedelta(days=30 + DAYS), days=DAYS, channels=("news",)
    )
    pages = MalformedPages(
        [a.article_id for a in articles], seed_pages(FIXTURES, shared_liputan6() / "html")
    )
    args = (f"since={articles[0].day}", f"until={articles[-1].day}", "channels=news")
    started = time.monotonic()
    # Served without a charset in Content-Type, so the page's own declarations (or their
    # corruption) decide the decoding, as offline.
    with LocalSite(articles, per_page=100, raw_pages=pages, raw_content_type="text/html") as site:
        done = crawl(
            site,
            tmp_path,
            *args,
            timeout=TIMEOUT,
            DOWNLOAD_TIMEOUT="60",
            # Most of these pages are not articles: the run's quality rule would fail it.
            NEWSCRAWL_QUALITY_FLOOR="0",
            # Copies of one real page keep its article id: without the in-run duplicate
            # filter each copy goes through validation and into the store (as a new version).
            DUPLICATES_ENABLED="0",
        )
        served = site.requests.article_ids()
    elapsed = time.monotonic() - started
    log = done.stderr
    assert done.returncode == 0, log[-3000:]
    assert "Traceback" not in log, log[log.index("Traceback") - 2000 :][:6000]
    assert set(served) == set(pages), "some listed articles were never fetched"
    stats = final_stats(log)
    assert stats.get("spider_exceptions/count", 0) == 0
    assert stats.get("log_count/ERROR", 0) == 0, [x for x in log.splitlines() if "ERROR" in x][:20]
    assert stats.get("item_error_count", 0) == 0  # a pipeline raised something but DropItem
    assert stats.get(f"{STORE}/errors", 0) == stats.get(DEAD_LETTER, 0) == 0

    # Every page served is one of: not an article (by reason), failed to download, an
    # article dropped by a pipeline (by reason), or an article handed to the store.
    not_article = by_reason(stats, NOT_ARTICLE)
    dropped = by_reason(stats, DROPPED)
    scraped = stats.get("item_scraped_count", 0)
    failed = stats.get(ARTICLE_FAILED, 0)
    assert sum(dropped.values()) == stats.get("item_dropped_count", 0)
    assert sum(not_article.values()) + failed + sum(dropped.values()) + scraped == len(pages)
    kinds = ("new", "updated", "unchanged", "superseded")
    written = {k: stats.get(f"{STORE}/{k}", 0) for k in kinds}
    assert sum(written.values()) == scraped, written

    store = open_archive(tmp_path)
    try:
        stored = list(store.iter_articles())
        (run,) = store.runs()
    finally:
        store.close()
    assert stored and len(stored) <= scraped  # copies of one page share their article id
    for doc in stored:
        check_article(doc)  # raises Invalid for what the crawl should have dropped
    assert run["status"] == "finished"
    assert run["counts"]["not_article"] == not_article
    assert run["counts"]["dropped"] == dropped
    print(
        f"\n{len(pages)} malformed pages ({len(MUTATIONS)} mutations) crawled in {elapsed:.0f} s: "
        f"{scraped} articles scraped, written {written} ({len(stored)} distinct ids stored), "
        f"{failed} failed to download, not an article {not_article}, dropped {dropped}"
    )
