"""Incremental runs that revisit stored articles on a schedule (NEWSCRAWL_REVISIT_AFTER), with
conditional requests, new articles first, within a budget (NEWSCRAWL_RUN_BUDGET).

Real crawls against the local site at a simulated time: the site's clock is LocalSite.now and
the crawler's is set by benchmarks/clocked.py (time-machine), both at the same moment.
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from newscrawl.schedule import next_due, parse_schedule
from tests.helpers import REPO, crawl_command, open_archive
from tests.site import WIB, Fault, LocalSite, make_articles

# An afternoon in Jakarta on a fixed day: most of the day's articles are out, some to come.
T0 = datetime(2026, 3, 2, 14, 30, tzinfo=WIB)
SCHEDULE = parse_schedule("3h,24h")
H = timedelta(hours=1)


def crawl_at(site, tmp_path, at: datetime, *args: str, mode="incremental", **settings: str):
    """One crawl of the news channel (incremental unless told) with the crawler's clock at
    ``at``."""
    cmd, env = crawl_command(site, tmp_path, f"mode={mode}", "channels=news", *args, **settings)
    assert cmd[1:3] == ["-m", "scrapy"]
    clocked = [sys.executable, str(REPO / "benchmarks" / "clocked.py"), at.isoformat(), "scrapy"]
    done = subprocess.run(
        clocked + cmd[3:], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    return done


def news_site(**kwargs) -> LocalSite:
    articles = make_articles(48, start_day=T0.date(), days=1, channels=("news",), seed=31)
    return LocalSite(articles, validators="both", now=T0, **kwargs)


def fetched(site, start: int = 0) -> list[str]:
    """Article ids of the article pages asked for since request ``start``, in order."""
    ids = []
    for request in site.requests.records[start:]:
        match = re.match(r"^/[^/]+/read/(\d+)", request.path)
        if match:
            ids.append(match[1])
    return ids


def test_revisits_come_due_on_schedule_after_the_new_articles_and_304_is_a_check(tmp_path):
    with news_site() as site:
        out = [a for a in site.articles if a.published <= T0]
        first = crawl_at(site, tmp_path, T0)
        assert first.returncode == 0, first.stderr[-3000:]
        assert sorted(fetched(site)) == sorted(a.article_id for a in out)
        store = open_archive(tmp_path)
        try:
            for article in out:
                doc = store.get_article(article.article_id)
                due = next_due(article.published.astimezone(UTC), doc["fetched_at"], SCHEDULE)
                assert doc["next_due_at"] == due.replace(microsecond=due.microsecond // 1000 * 1000)
                assert doc["etag"] and doc["last_modified"]
        finally:
            store.close()

        # A minute later nothing is new and nothing is due: no article page is asked for,
        # and the walk stops at its watermark on the first list page.
        mark = len(site.requests)
        again = crawl_at(site, tmp_path, T0 + timedelta(minutes=1))
        assert again.returncode == 0, again.stderr[-3000:]
        assert fetched(site, mark) == []
        assert "caught up: reached its watermark" in again.stderr
        lists = [r for r in site.requests.records[mark:] if "/indeks/" in r.path]
        assert len(lists) == 1

        # Four hours on: an article due at 3 h was edited meanwhile; new articles are out.
        edited = next(
            a for a in out if T0 - 3 * H < a.published < T0 and (a.modified or a.published) < T0
        )
        site.edit(edited.article_id, T0 + H, paragraphs=[*edited.paragraphs, "Ralat: diperbarui."])
        later = T0 + 4 * H
        site.now = later
        new = {a.article_id for a in site.articles if T0 < a.published <= later}
        store = open_archive(tmp_path)
        due = {row["article_id"] for row in store.due_articles(later)}
        store.close()
        assert edited.article_id in due and len(due) > 2
        # Another due article was removed from the site: its revisit fails (404).
        gone = sorted(due - {edited.article_id})[-1]
        site.faults.append(Fault(f"/news/read/{gone}/", "404"))
        store = open_archive(tmp_path)
        gone_before = store.get_article(gone)
        store.close()
        mark = len(site.requests)
        third = crawl_at(site, tmp_path, later)
        assert third.returncode == 0, third.stderr[-3000:]
        order = fetched(site, mark)
        assert sorted(order) == sorted(new | due)  # exactly the new and the due ones
        # New articles first: every revisit comes after the last new article.
        assert max(order.index(i) for i in new) < min(order.index(i) for i in due)
        statuses = {
            r.status
            for r in site.requests.records[mark:]
            if "/read/" in r.path
            and any(r.path.startswith(f"/news/read/{i}/") for i in due - {edited.article_id, gone})
        }
        assert statuses == {304}
        assert (
            f"{len(due)} due, 1 fetched, {len(due) - 2} not modified (304), 1 failed, 0 left"
            in (third.stderr)
        )
    store = open_archive(tmp_path)
    try:
        doc = store.get_article(edited.article_id)
        assert doc["version"] == 2 and "Ralat: diperbarui." in doc["body"]
        assert [v["version"] for v in store.versions(edited.article_id)] == [1]
        assert doc["next_due_at"] == edited.published.astimezone(UTC) + 24 * H
        assert not store.due_articles(later)  # every revisit moved on to its next age
        unchanged = store.get_article(sorted(due - {edited.article_id})[0])
        assert unchanged["version"] == 1 and unchanged["last_seen_at"] >= later.astimezone(UTC)
        counts = store.runs()[0]["counts"]["revisits"]
        assert counts["not_modified"] == len(due) - 2 and counts["failed/404"] == 1
        # The failed revisit moved on to the next age without claiming the article was seen.
        after = store.get_article(gone)
        assert after["last_seen_at"] == gone_before["last_seen_at"]
        assert after["next_due_at"] > later.astimezone(UTC)
    finally:
        store.close()


@pytest.mark.parametrize("jobdir", [False, True], ids=["next-run", "jobdir-resumed"])
def test_a_run_that_reaches_its_budget_exits_0_and_leaves_the_revisits_due(tmp_path, jobdir):
    with news_site() as site:
        assert crawl_at(site, tmp_path, T0).returncode == 0
        later = T0 + 4 * H  # the site's clock stays: nothing new, only revisits
        store = open_archive(tmp_path)
        due = {row["article_id"] for row in store.due_articles(later)}
        store.close()
        assert len(due) >= 6
        job = {"JOBDIR": str(tmp_path / "job")} if jobdir else {}
        mark = len(site.requests)
        cut = crawl_at(
            site,
            tmp_path,
            later,
            NEWSCRAWL_RUN_BUDGET="5 requests",
            CONCURRENT_REQUESTS="1",
            CONCURRENT_REQUESTS_PER_DOMAIN="1",
            **job,
        )
        assert cut.returncode == 0, cut.stderr[-3000:]
        done = set(fetched(site, mark))
        left = due - done
        assert done < due and left
        assert f"budget reached (closespider_pagecount): {len(left)} revisits left" in cut.stderr
        store = open_archive(tmp_path)
        assert {row["article_id"] for row in store.due_articles(later)} == left
        assert store.runs()[0]["status"] == "finished"
        store.close()

        mark = len(site.requests)
        after = crawl_at(site, tmp_path, later + timedelta(minutes=1), **job)
        assert after.returncode == 0, after.stderr[-3000:]
        assert sorted(fetched(site, mark)) == sorted(left)
    store = open_archive(tmp_path)
    assert not store.due_articles(later + timedelta(minutes=1))
    store.close()


def test_a_backfill_reads_an_open_day_again_only_until_its_stored_articles(tmp_path):
    day = f"since={T0.date()}"
    with news_site() as site:
        first = crawl_at(site, tmp_path, T0, day, mode="backfill")
        assert first.returncode == 0, first.stderr[-3000:]
        assert "1 open" in first.stderr  # today, walked to its end before it is over
        pages = len([r for r in site.requests.records if "/indeks/" in r.path])
        assert pages >= 3  # two pages of articles and the empty one that ends the day
        later = T0 + 2 * H
        site.now = later
        new = {a.article_id for a in site.articles if T0 < a.published <= later}
        assert new
        mark = len(site.requests)
        again = crawl_at(site, tmp_path, later, day, mode="backfill")
        assert again.returncode == 0, again.stderr[-3000:]
        assert sorted(fetched(site, mark)) == sorted(new)
        # Page 1 lists the new articles above stored ones: the rest of the day was read.
        assert [r.path for r in site.requests.records[mark:] if "/indeks/" in r.path] == [
            f"/news/indeks/{T0:%Y/%m/%d}"
        ]
