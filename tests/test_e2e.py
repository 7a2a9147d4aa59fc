"""Real crawls (`scrapy crawl liputan6` in a subprocess) against a local copy of the site.

Each test starts tests.site.LocalSite on 127.0.0.1 and runs the project's own crawl
command with the embedded SQLite store, then checks what the archive holds.
"""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, timedelta

import pytest

from newscrawl.site.extraction import extract_article
from newscrawl.spiders.options import today_wib
from newscrawl.store.sqlite import SQLiteStore
from tests.helpers import REPO, content, crawl, crawl_command, open_archive, seed_archive
from tests.site import Fault, LocalSite, make_articles, render_article


def test_backfill_stores_every_listed_article_once_and_a_second_run_adds_nothing(tmp_path):
    articles = make_articles(
        70, start_day=today_wib() - timedelta(days=40), days=3, channels=("news", "bisnis"), seed=3
    )
    since, until = articles[0].day, articles[-1].day
    with LocalSite(articles) as site:
        done = crawl(
            site,
            tmp_path,
            f"since={since}",
            f"until={until}",
            "channels=news,bisnis",
            NEWSCRAWL_PROGRESS_INTERVAL="0.2",
            CONCURRENT_REQUESTS_PER_DOMAIN="1",
            DOWNLOAD_DELAY="0.01",  # long enough for a few progress lines
        )
        assert done.returncode == 0, done.stderr[-3000:]
        # Progress a person can follow: the day, days done of asked, stored, rate.
        assert re.search(
            r"Progress: day \S+ (news|bisnis), \d of 6 channel-days done, \d+ articles stored",
            done.stderr,
        ), done.stderr[-3000:]
        assert f"finished: {len(articles)} new, 0 updated, 0 unchanged" in done.stderr
        assert (
            "Days: 6 asked, 0 already complete, 6 complete, 0 open, 0 incomplete, 0 never started"
            in done.stderr
        )
        fetched = site.requests.article_ids()
        assert set(fetched) == {a.article_id for a in articles}
        assert max(fetched.values()) == 1  # every article fetched exactly once

        store = open_archive(tmp_path)
        assert store.count_articles() == len(articles)
        for a in articles:
            doc = store.get_article(a.article_id)
            assert doc["title"] == a.title
            assert doc["authors"] == a.authors
            assert doc["tags"] == a.tags
            assert (doc["section"], doc["subsection"]) == (a.channel, a.subchannel)
            assert doc["published_at"] == a.published.astimezone(UTC)
            assert doc["body"] == a.body
            assert doc["url"] == a.url
            assert doc["type"] == a.type  # photo and video articles are kept and typed
            assert doc["version"] == 1
        days = store.iter_days(since, until, ["news", "bisnis"])
        assert len(days) == 2 * ((until - since).days + 1)
        assert all(d["complete"] for d in days)
        assert sum(d["listed"] for d in days) == len(articles)
        store.close()

        site.requests.clear()
        again = crawl(site, tmp_path, f"since={since}", f"until={until}", "channels=news,bisnis")
        assert again.returncode == 0, again.stderr[-3000:]
        assert not site.requests.article_ids()  # complete days are skipped
        assert "already complete" in again.stderr
        store = open_archive(tmp_path)
        assert store.count_articles() == len(articles)
        runs = store.runs()
        assert [r["status"] for r in runs] == ["finished", "finished"]
        assert runs[0]["counts"]["new"] == 0 and runs[1]["counts"]["new"] == len(articles)
        store.close()

        coverage = subprocess.run(
            [
                sys.executable,
                "-m",
                "newscrawl.cli",
                "coverage",
                f"--since={since}",
                f"--until={until}",
                "--channels=news,bisnis",
                f"--sqlite-path={tmp_path / 'archive.sqlite3'}",
            ],
            capture_output=True,
            text=True,
            check=False,
            cwd=REPO,
        )
        assert coverage.returncode == 0, coverage.stdout + coverage.stderr
        assert "NOT WALKED" not in coverage.stdout and "INCOMPLETE" not in coverage.stdout


def test_a_killed_crawl_run_again_ends_with_the_same_archive(tmp_path):
    articles = make_articles(
        360, start_day=today_wib() - timedelta(days=60), days=4, channels=("news", "bisnis"), seed=5
    )
    args = (f"since={articles[0].day}", f"until={articles[-1].day}", "channels=news,bisnis")
    whole, killed = tmp_path / "whole", tmp_path / "killed"
    whole.mkdir(), killed.mkdir()
    with LocalSite(articles) as site:
        assert crawl(site, whole, *args).returncode == 0

        site.requests.clear()
        cmd, env = crawl_command(
            site, killed, *args, CONCURRENT_REQUESTS_PER_DOMAIN="4", CONCURRENT_REQUESTS="4"
        )
        proc = subprocess.Popen(
            cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while len(site.requests.article_ids()) < 120 and time.monotonic() < deadline:
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL
        partial = len(site.requests.article_ids())
        assert 120 <= partial < len(articles)

        rerun = crawl(site, killed, *args)  # the dead run's lock is taken over
        assert rerun.returncode == 0, rerun.stderr[-3000:]

    a, b = open_archive(whole), open_archive(killed)
    left = {d["article_id"]: content(d) for d in a.iter_articles()}
    right = {d["article_id"]: content(d) for d in b.iter_articles()}
    assert len(right) == len(articles)
    assert left == right
    assert all(d["version"] == 1 for d in b.iter_articles())
    assert all(d["complete"] for d in b.iter_days(articles[0].day, articles[-1].day))
    # The run that took over the dead run's lock marked it killed.
    assert [r["status"] for r in b.runs()] == ["finished", "killed"]
    a.close(), b.close()


def test_two_crawls_at_once_never_duplicate_an_article(tmp_path):
    articles = make_articles(
        120, start_day=today_wib() - timedelta(days=1), days=2, channels=("news",), seed=13
    )
    with LocalSite(articles, channel_page_size=60) as site:
        backfill, env = crawl_command(site, tmp_path, f"since={articles[0].day}", "channels=news")
        latest, _ = crawl_command(site, tmp_path, "channels=news")
        procs = [
            subprocess.Popen(
                c, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
            for c in (backfill, latest)
        ]
        errors = [p.communicate(timeout=120)[1].decode() for p in procs]
        assert [p.returncode for p in procs] == [0, 0], errors
    store = open_archive(tmp_path)
    ids = [d["article_id"] for d in store.iter_articles()]
    assert len(ids) == len(set(ids)) == len(articles)
    store.close()


def test_incremental_run_fetches_what_is_new_and_stops_at_stored_articles(tmp_path):
    today = today_wib()
    articles = make_articles(
        90, start_day=today - timedelta(days=3), days=3, channels=("news",), seed=7
    )
    new = articles[-10:]
    # The archive already holds everything but the ten newest articles.
    seed_archive(tmp_path, articles[:-10], render_article)
    with LocalSite(articles) as site:
        done = crawl(
            site,
            tmp_path,
            "mode=incremental",
            "channels=news",
            INCREMENTAL_STOP_AFTER="5",
        )
        assert done.returncode == 0, done.stderr[-3000:]
        assert set(site.requests.article_ids()) == {a.article_id for a in new}
        assert "caught up: 5 stored articles in a row" in done.stderr
        # It stopped inside the newest days: the oldest day's archive was never asked for.
        oldest = articles[0].day
        assert not site.requests.count_prefix(f"/news/indeks/{oldest:%Y/%m/%d}")
    store = open_archive(tmp_path)
    assert store.count_articles() == len(articles)
    store.close()


def test_faults_are_retried_or_counted_and_never_crash_the_crawl(tmp_path):
    articles = make_articles(
        30, start_day=today_wib() - timedelta(days=20), days=1, channels=("news",), seed=9
    )
    by_kind = dict(
        zip(
            ["404", "500", "429", "slow", "redirect", "truncated", "block"],
            articles[:7],
            strict=True,
        )
    )
    empty_day = articles[0].day - timedelta(days=1)
    faults = [
        Fault(f"/news/read/{by_kind['404'].article_id}/", "404"),
        Fault(f"/news/read/{by_kind['500'].article_id}/", "500", times=2),
        Fault(f"/news/read/{by_kind['429'].article_id}/", "429", times=1, retry_after=1),
        Fault(f"/news/read/{by_kind['slow'].article_id}/", "slow", delay=6),
        Fault(f"/news/read/{by_kind['redirect'].article_id}/", "redirect"),
        Fault(f"/news/read/{by_kind['truncated'].article_id}/", "truncated"),
        Fault(f"/news/read/{by_kind['block'].article_id}/", "block"),
        Fault(f"/news/indeks/{empty_day:%Y/%m/%d}", "empty"),
    ]
    with LocalSite(articles, faults=faults) as site:
        started = time.monotonic()
        done = crawl(
            site,
            tmp_path,
            f"since={empty_day}",
            f"until={articles[0].day}",
            "channels=news",
            RETRY_TIMES="2",
            DOWNLOAD_TIMEOUT="2",
            NEWSCRAWL_QUALITY_FLOOR="0.5",
        )
        assert done.returncode == 0, done.stderr[-4000:]
        assert time.monotonic() - started < 90
    store = open_archive(tmp_path)
    stored = {d["article_id"] for d in store.iter_articles()}
    for kind in ("500", "429", "redirect"):
        assert by_kind[kind].article_id in stored, kind  # retried or followed, then stored
    for kind in ("404", "slow", "truncated", "block"):
        assert by_kind[kind].article_id not in stored, kind
    assert len(stored) == len(articles) - 4
    run = store.runs()[0]
    assert run["status"] == "finished"
    assert run["counts"]["article_failed"] == 3  # 404, timeout, truncated
    assert run["counts"]["not_article"] == {"no article markup": 1}  # the block page
    (day,) = store.iter_days(articles[0].day, articles[0].day)
    assert day["failed"] == 4 and not day["complete"]
    (empty,) = store.iter_days(empty_day, empty_day)
    assert empty["listed"] == 0 and empty["complete"]
    store.close()
    assert "Traceback" not in done.stderr


def test_split_pages_are_fetched_and_joined(tmp_path):
    articles = make_articles(
        20,
        start_day=today_wib() - timedelta(days=30),
        days=1,
        channels=("news",),
        seed=11,
        multipage_ratio=0.5,
        split_pages=True,
    )
    multi = [a for a in articles if a.pages > 1]
    assert multi
    with LocalSite(articles) as site:
        day = articles[0].day
        done = crawl(
            site,
            tmp_path,
            f"since={day}",
            f"until={day}",
            "channels=news",
        )
        assert done.returncode == 0, done.stderr[-3000:]
        assert site.requests.count_prefix(f"{multi[0].path}?page=2") == 1
    store = open_archive(tmp_path)
    for a in multi:
        doc = store.get_article(a.article_id)
        assert doc["body"] == a.body
        assert doc["page_count"] == a.pages
    store.close()


def test_latest_mode_stores_the_articles_of_the_channel_fronts(tmp_path):
    articles = make_articles(
        50, start_day=today_wib() - timedelta(days=2), days=2, channels=("news", "bisnis"), seed=12
    )
    with LocalSite(articles, channel_page_size=10) as site:
        done = crawl(site, tmp_path, "channels=news,bisnis")
        assert done.returncode == 0, done.stderr[-3000:]
        fetched = set(site.requests.article_ids())
    newest = {a.article_id for a in site.articles if a.channel == "news"}
    assert fetched and fetched <= {a.article_id for a in articles}
    assert len(fetched) >= 20 and newest & fetched
    store = open_archive(tmp_path)
    assert store.count_articles() == len(fetched)
    store.close()


def test_a_crawl_stores_into_the_sqlite_file_its_store_uri_names(tmp_path):
    articles = make_articles(
        12, start_day=today_wib() - timedelta(days=20), days=2, channels=("news",), seed=5
    )
    chosen = tmp_path / "by-uri" / "chosen.sqlite3"
    with LocalSite(articles) as site:
        done = crawl(
            site,
            tmp_path,
            f"since={articles[0].day}",
            f"until={articles[-1].day}",
            "channels=news",
            NEWSCRAWL_STORE_URI=f"sqlite:///{chosen}",  # an absolute path: four slashes
        )
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"Storing articles in SQLite file {chosen} (run " in done.stderr
    # The URI wins over NEWSCRAWL_SQLITE_PATH (set by crawl_command): that file is never made.
    assert not (tmp_path / "archive.sqlite3").exists()
    store = SQLiteStore(chosen)
    store.open(create=False)
    stored = {doc["article_id"] for doc in store.iter_articles()}
    assert stored == {a.article_id for a in articles}
    assert [run["status"] for run in store.runs()] == ["finished"]
    store.close()


def test_bad_arguments_are_refused_before_crawling(tmp_path):
    with LocalSite([]) as site:
        for args, message in [
            (("channels=bogus",), "unknown channel(s): bogus"),
            (("since=2020-02-30",), "is not a date"),
            (("since=2020-05-02", "until=2020-05-01"), "ends before it starts"),
        ]:
            done = crawl(site, tmp_path, *args)
            assert done.returncode == 2, done.stderr[-2000:]
            assert message in done.stderr
            assert "Traceback" not in done.stderr
        assert not site.requests.records


def _closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_mongodb_fails_the_run_before_any_page_is_fetched(tmp_path):
    port = _closed_port()
    with LocalSite(make_articles(5, start_day=today_wib() - timedelta(days=3), days=1)) as site:
        done = crawl(
            site,
            tmp_path,
            "channels=news",
            env_extra={
                "MONGO_URI": f"mongodb://analyst:s3cret@127.0.0.1:{port}/?serverSelectionTimeoutMS=300"
            },
        )
        assert done.returncode == 1
        assert f"MongoDB at 127.0.0.1:{port} is unreachable" in done.stderr
        assert "s3cret" not in done.stderr + done.stdout
        assert not [r for r in site.requests.records if "/read/" in r.path or "/news" in r.path]


def test_a_second_run_while_one_is_going_exits_at_once(tmp_path, child_locks):
    # Another process holds the lock of this store's incremental run of channel news.
    other = child_locks(tmp_path / "archive.sqlite3", "other-run", "incremental:news")
    with LocalSite([]) as site:
        started = time.monotonic()
        done = crawl(site, tmp_path, "mode=incremental")
        assert done.returncode == 75
        assert f"lock 'incremental:news' is held by run other-run (pid {other.pid}" in done.stderr
        assert "exiting without crawling" in done.stderr
        assert time.monotonic() - started < 30
        assert not site.requests.records
    assert other.poll() is None  # the other run's lock is left alone
    store = open_archive(tmp_path)
    assert store.runs() == []  # a refused run leaves no record
    store.close()


def test_real_saved_pages_crawled_from_the_archive_match_offline_extraction(tmp_path, corpus_dir):
    with LocalSite([], use_shared_pages=True, shared_dir=corpus_dir / "html") as site:
        wanted = [a for a in site.shared_articles if str(a.day) in ("2020-05-27", "2020-05-28")]
        if not wanted:
            pytest.skip(f"no saved article pages of 2020-05-27/28 in {corpus_dir / 'html'}")
        channels = ",".join(sorted({a.channel for a in wanted}))
        done = crawl(site, tmp_path, "since=2020-05-27", "until=2020-05-28", f"channels={channels}")
        assert done.returncode == 0, done.stderr[-3000:]
        pages = {a.article_id: site.url(a.url) for a in wanted}
    store = open_archive(tmp_path)
    assert {d["article_id"] for d in store.iter_articles()} == set(pages)
    saved = {
        f: extract_article(f.read_bytes())
        for f in (corpus_dir / "html").glob("orca_www_*read_*.html")
    }
    offline = {a.article_id: a for a in saved.values() if a.article_id in pages}
    for article_id in pages:
        doc = store.get_article(article_id)
        assert content(doc) == content(offline[article_id].to_dict())
    store.close()


def test_a_crawl_that_reaches_nothing_fails(tmp_path):
    class Nowhere:
        base_url = f"http://127.0.0.1:{_closed_port()}"

    done = crawl(Nowhere, tmp_path, "channels=news,bisnis")
    assert done.returncode == 1
    # The one reason (tests/test_offline.py): the site never answered, the run stopped at once.
    assert f"run failed: cannot reach {Nowhere.base_url} (" in done.stderr
    assert "no request got an answer" in done.stderr


@pytest.mark.parametrize("past_end", ["first", "last"])
def test_a_site_repeating_a_page_past_the_end_ends_the_day(tmp_path, past_end):
    """Past the last page the live site has served page 1 again (cek-fakta, 2026) or the
    last page again: incremental and backfill runs both end the day there, with every
    article once, instead of following ?page=N for ever."""
    today = today_wib()
    articles = make_articles(
        60, start_day=today - timedelta(days=1), days=2, channels=("news",), seed=11
    )
    days = {a.day for a in articles}
    with LocalSite(articles, per_page=10, past_end=past_end) as site:
        done = crawl(site, tmp_path, "mode=incremental", "channels=news")
        assert done.returncode == 0, done.stderr[-3000:]
        assert "repeats an earlier page" in done.stderr
        ids = site.requests.article_ids()
        assert sorted(ids.elements()) == sorted(a.article_id for a in articles)
        # Each day: its own pages and one repeated page; then the empty days before them.
        pages = sum(-(-len(site.listed(d, "news")) // 10) + 1 for d in days)
        assert site.requests.count_prefix("/news/indeks/") <= pages + 7
    store = open_archive(tmp_path)
    assert store.count_articles() == len(articles)
    store.close()

    backfill = tmp_path / "backfill"
    backfill.mkdir()
    with LocalSite(articles, per_page=10, past_end=past_end) as site:
        done = crawl(
            site, backfill, "mode=backfill", "channels=news", f"since={min(days)}", f"until={today}"
        )
        assert done.returncode == 0, done.stderr[-3000:]
        assert re.search(
            r"Days: \d+ asked, 0 already complete, \d+ complete, [12] open, 0 incomplete, 0 never started",
            done.stderr,
        ), done.stderr[-3000:]
        assert sorted(site.requests.article_ids().elements()) == sorted(
            a.article_id for a in articles
        )
    store = open_archive(backfill)
    assert store.count_articles() == len(articles)
    store.close()
