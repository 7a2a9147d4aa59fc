"""Real crawls against the local site with real faults: the store deleted or the disk full
mid-run, JOBDIR pause and resume, kill -9 then rerun, locks of two stores, and Scrapy's own
commands (shell, fetch, parse, check) that must never write run records."""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from newscrawl.exits import Exit
from newscrawl.spiders.options import today_wib
from tests.helpers import (
    PACED,
    REPO,
    backfill,
    content,
    crawl,
    crawl_command,
    final_stats,
    open_archive,
    start,
    wait_for_articles,
)
from tests.site import Fault, LocalSite, make_articles

LEDGER_KEYS = ("channel", "day", "pages", "listed", "stored", "failed", "complete")


def scrapy(site, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """One of Scrapy's own commands (shell, fetch, parse, check) against the local site."""
    _, env = crawl_command(site, tmp_path)
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def replay(
    tmp_path: Path, dead: Path, db: Path | None = None, *options: str
) -> subprocess.CompletedProcess:
    """`newscrawl replay` of a dead-letter file into the test's archive."""
    db = db or tmp_path / "archive.sqlite3"
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "newscrawl.cli",
            "replay",
            str(dead),
            f"--sqlite-path={db}",
            *options,
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )


def ledger(store, since, until) -> list[dict]:
    """The ledger without the fields that differ between runs."""
    return [{k: d[k] for k in LEDGER_KEYS} for d in store.iter_days(since, until)]


def test_store_deleted_mid_run_fails_the_run_and_replay_restores_everything(tmp_path):
    articles, args = backfill(3, 150, seed=21)
    db = tmp_path / "archive.sqlite3"
    with LocalSite(articles) as site:
        proc = start(site, tmp_path, *args, STORE_BATCH_SIZE="10", **PACED)
        wait_for_articles(site, 40, proc)
        for suffix in ("", "-wal", "-shm"):
            db.with_name(db.name + suffix).unlink(missing_ok=True)
        _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 1, stderr[-3000:]
    assert "run failed: store lost during the run" in stderr
    assert "was deleted" in stderr
    assert "Traceback" not in stderr
    dead = tmp_path / "dead.jsonl"
    assert dead.exists()
    done = replay(tmp_path, dead)  # the deleted file is gone: replay creates nothing ...
    assert done.returncode == Exit.UNAVAILABLE, done.stderr
    assert f"no store at {tmp_path / 'archive.sqlite3'}" in done.stderr
    assert "`newscrawl replay --create` starts a new one" in done.stderr
    assert not (tmp_path / "archive.sqlite3").exists()
    done = replay(tmp_path, dead, None, "--create")  # ... unless asked
    assert done.returncode == 0, done.stderr
    store = open_archive(tmp_path)
    # What the new file lacks was committed to the deleted one before the loss was seen.
    kept = {d["article_id"] for d in store.iter_articles()}
    store.close()
    lines = dead.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(kept) >= len(articles) - 40
    # A rerun fetches exactly what the deleted file took with it, and ends complete.
    with LocalSite(articles) as site:
        again = crawl(site, tmp_path, *args)
        assert again.returncode == 0, again.stderr[-3000:]
        assert set(site.requests.article_ids()) == {a.article_id for a in articles} - kept
    store = open_archive(tmp_path)
    assert store.count_articles() == len(articles)
    store.close()


def _mount_small_disk(path: Path, size: str) -> bool:
    """A tmpfs of ``size`` at ``path`` (needs root; False where mounting is not allowed)."""
    path.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def test_disk_full_with_the_dead_letter_file_on_it_stops_and_counts_truly(tmp_path):
    disk = tmp_path / "disk"
    if shutil.which("mount") is None or not _mount_small_disk(disk, "3m"):
        pytest.skip("cannot mount a small tmpfs here (needs root): no full disk to test with")
    try:
        articles, args = backfill(4, 400, seed=22)
        with LocalSite(articles) as site:
            cmd, env = crawl_command(site, tmp_path, *args, STORE_BATCH_SIZE="20", **PACED)
            env["NEWSCRAWL_SQLITE_PATH"] = str(disk / "archive.sqlite3")
            env["NEWSCRAWL_DEAD_LETTER_PATH"] = str(disk / "dead.jsonl")
            done = subprocess.run(
                cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=180, check=False
            )
            fetched = len(site.requests.article_ids())
        assert done.returncode == 1, done.stderr[-3000:]
        assert "Cannot write the dead-letter file" in done.stderr
        assert "stopping the crawl" in done.stderr
        assert fetched < len(articles)  # it stopped fetching
        stats = final_stats(done.stderr)
        store = open_archive_at(disk / "archive.sqlite3")
        stored = store.count_articles()
        store.close()
        dead = disk / "dead.jsonl"
        dead_lines = dead.read_text(encoding="utf-8").splitlines() if dead.exists() else []
        assert all(json.loads(line) for line in dead_lines)  # no half-written line
        # Every article scraped is in the store, in the dead-letter file, or counted unkept.
        scraped = stats["item_scraped_count"]
        assert stats.get("newscrawl/store/dead_letter", 0) == len(dead_lines)
        assert stored + len(dead_lines) + stats["newscrawl/store/unkept"] == scraped
        assert f"{stats['newscrawl/store/unkept']} articles could not be kept" in done.stderr
        assert f"{len(dead_lines)} articles in" in done.stderr
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def open_archive_at(path: Path):
    """An SQLite archive at path."""
    from newscrawl.store.sqlite import SQLiteStore

    store = SQLiteStore(path)
    store.open()
    return store


def test_jobdir_pause_and_resume_gives_the_ledger_of_an_uninterrupted_run(tmp_path):
    # Many days, paused early: page 1 of most days is still in Scrapy's queue at the pause.
    articles, args = backfill(12, 240, seed=23)
    whole, paused = tmp_path / "whole", tmp_path / "paused"
    whole.mkdir(), paused.mkdir()
    with LocalSite(articles) as site:
        assert crawl(site, whole, *args).returncode == 0
        site.requests.clear()
        jobdir = str(paused / "job")
        proc = start(site, paused, *args, JOBDIR=jobdir, **PACED)
        wait_for_articles(site, 30, proc)
        proc.send_signal(signal.SIGINT)  # Scrapy's pause: finish what is in flight, keep the queue
        _, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 1  # a paused run is not a finished one
        assert "finish reason shutdown" in stderr
        first = set(site.requests.article_ids())
        assert len(first) < len(articles)
        # The pause's summary adds up and matches the ledger: a day never started has no row.
        days = re.search(
            r"Days: 24 asked, 0 already complete, (\d+) complete, 0 open, (\d+) incomplete, "
            r"(\d+) never started",
            stderr,
        )
        assert days, stderr[-3000:]
        complete, incomplete, never = map(int, days.groups())
        store = open_archive(paused)
        rows = ledger(store, articles[0].day, articles[-1].day)
        store.close()
        assert complete + incomplete + never == 24 and never > 0
        assert (complete, incomplete) == (
            sum(r["complete"] for r in rows),
            sum(not r["complete"] for r in rows),
        )
        site.requests.clear()
        resumed = crawl(site, paused, *args, JOBDIR=jobdir)
        assert resumed.returncode == 0, resumed.stderr[-3000:]
        # The resumed banner counts what is left of the job, not "0 to walk".
        banner = re.search(
            r"0 already complete, (\d+) to walk \((\d+) resumed from the paused run, (\d+) it "
            r"finished\)",
            resumed.stderr,
        )
        assert banner, resumed.stderr[-3000:]
        assert int(banner[1]) == 24 - complete == 24 - int(banner[3])
        # 12 days of 2 channels, each counted once
        assert "Days: 24 asked, 0 already complete, 24 complete" in resumed.stderr
        assert "Dropped as a duplicate request" not in resumed.stderr
        second = set(site.requests.article_ids())
    assert not first & second  # nothing fetched twice
    assert first | second == {a.article_id for a in articles}
    a, b = open_archive(whole), open_archive(paused)
    since, until = articles[0].day, articles[-1].day
    assert ledger(b, since, until) == ledger(a, since, until)
    assert all(d["complete"] for d in ledger(b, since, until))
    assert {d["article_id"]: content(d) for d in a.iter_articles()} == {
        d["article_id"]: content(d) for d in b.iter_articles()
    }
    a.close(), b.close()


def test_kill_9_then_rerun_fetches_no_stored_article_and_rewalks_only_days_in_flight(tmp_path):
    articles, args = backfill(6, 300, seed=24)
    with LocalSite(articles) as site:
        proc = start(
            site, tmp_path, *args, STORE_BATCH_SIZE="5", STORE_FLUSH_INTERVAL="0.2", **PACED
        )
        wait_for_articles(site, 150, proc)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        store = open_archive(tmp_path)
        stored = {d["article_id"] for d in store.iter_articles()}
        days = store.iter_days(articles[0].day, articles[-1].day)
        complete = {(d["channel"], d["day"]) for d in days if d["complete"]}
        killed_run = store.runs()[0]
        store.close()
        assert complete, "no day was recorded complete before the kill"
        site.requests.clear()
        rerun = crawl(site, tmp_path, *args)
        assert rerun.returncode == 0, rerun.stderr[-3000:]
        assert f"Took over the lock of run {killed_run['_id']}" in rerun.stderr
        refetched = set(site.requests.article_ids())
        walked = {
            (p.split("/")[1], p.split("/indeks/")[1][:10].replace("/", "-"))
            for p in site.requests.paths()
            if "/indeks/" in p
        }
    assert not refetched & stored  # no stored article is fetched again
    assert refetched == {a.article_id for a in articles} - stored
    assert not {(c, str(d)) for c, d in complete} & walked  # complete days are not walked
    store = open_archive(tmp_path)
    assert store.count_articles() == len(articles)
    runs = store.runs()
    assert [r["status"] for r in runs] == ["finished", "killed"]
    assert all(d["complete"] for d in store.iter_days(articles[0].day, articles[-1].day))
    store.close()


def test_two_stores_with_one_lock_folder_run_at_once_but_one_store_takes_one_run(tmp_path):
    articles, args = backfill(2, 80, seed=25, channels=("news",))
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir(), two.mkdir()
    with LocalSite(articles) as site:
        procs = [start(site, folder, *args, **PACED) for folder in (one, two, one)]
        outputs = [p.communicate(timeout=120)[1] for p in procs]
    codes = [p.returncode for p in procs]
    # The two stores never block each other; the second run on store one is refused.
    assert codes[1] == 0, outputs[1][-2000:]
    assert sorted([codes[0], codes[2]]) == [0, 75], outputs
    refused = outputs[codes.index(75)]
    assert "lock 'backfill:news' is held by run" in refused
    assert "exiting without crawling" in refused
    for folder in (one, two):
        store = open_archive(folder)
        assert store.count_articles() == len(articles)
        assert [r["status"] for r in store.runs()] == ["finished"]  # no record for the refused run
        store.close()


def test_shell_fetch_and_parse_never_touch_the_store(tmp_path):
    articles = make_articles(3, start_day=today_wib() - timedelta(days=5), days=1, seed=26)
    db = tmp_path / "archive.sqlite3"
    with LocalSite(articles) as site:
        url = site.url(articles[0].url)
        commands = {
            "shell": ("shell", url, "-c", "response.status"),
            "fetch": ("fetch", "--nolog", url),
            "parse": ("parse", "--spider", "liputan6", url),
        }
        results = {name: scrapy(site, tmp_path, *args) for name, args in commands.items()}
    for name, done in results.items():
        assert done.returncode == 0, (name, done.stderr[-2000:])
    assert results["shell"].stdout.strip() == "200"
    assert articles[0].title in results["fetch"].stdout
    # parse finds the article without -c: the spider's parse dispatches by page kind.
    assert "Scraped Items" in results["parse"].stdout
    assert articles[0].article_id in results["parse"].stdout
    assert not db.exists()  # no store opened, so no run record


def test_scrapy_parse_on_an_archive_page_lists_its_articles(tmp_path):
    articles = make_articles(6, start_day=today_wib() - timedelta(days=5), days=1, seed=27)
    with LocalSite(articles) as site:
        day = articles[0].day
        url = f"{site.base_url}/{articles[0].channel}/indeks/{day:%Y/%m/%d}"
        done = scrapy(site, tmp_path, "parse", "--spider", "liputan6", url)
    assert done.returncode == 0, done.stderr[-2000:]
    listed = [a for a in articles if a.channel == articles[0].channel]
    for a in listed:
        assert a.article_id in done.stdout


def test_scrapy_check_runs_the_spiders_contracts_on_real_pages(tmp_path, corpus_dir):
    with LocalSite([], use_shared_pages=True, shared_dir=corpus_dir / "html") as site:
        if "4264701" not in {a.article_id for a in site.shared_articles}:
            pytest.skip(f"the saved page of article 4264701 is not in {corpus_dir / 'html'}")
        done = scrapy(site, tmp_path, "check", "liputan6", "-v")
        asked = site.requests.paths()
    assert done.returncode == 0, done.stderr[-3000:]
    for callback in ("parse", "parse_index", "parse_article"):
        assert re.search(rf"{callback}.*\.\.\. ok", done.stderr), done.stderr[-3000:]
    assert "/news/read/4264701/dishub-dki-2900-kendaraan-putar-balik-karena-tak-punya-sikm" in asked
    assert not (tmp_path / "archive.sqlite3").exists()


def test_a_redirect_to_a_requested_url_leaves_its_day_incomplete_and_counted(tmp_path):
    articles = make_articles(
        12, start_day=today_wib() - timedelta(days=20), days=1, channels=("news",), seed=28
    )
    moved, target = articles[3], articles[7]
    day = moved.day
    args = (f"since={day}", f"until={day}", f"channels={moved.channel}")
    # The site answers one article with a redirect to another article of the same day,
    # which the duplicate filter has already seen.
    fault = Fault(moved.path, "redirect", location=target.path, status=301)
    with LocalSite(articles, faults=[fault]) as site:
        done = crawl(site, tmp_path, *args)
        assert done.returncode == 0, done.stderr[-3000:]  # incomplete days alone do not fail
        assert f"Dropped as a duplicate request: {site.url(target.path)}" in done.stderr
        assert "'newscrawl/days/filtered_requests': 1" in done.stderr
        warning = re.search(
            rf"Day {moved.channel} {day} incomplete: (\d+) listed, (\d+) stored, (\d+) failed, "
            r"1 duplicate-filtered",
            done.stderr,
        )
        assert warning, done.stderr[-3000:]
        assert "1 incomplete" in done.stderr
        assert "newscrawl: 1 channel-days left incomplete" in done.stderr
    store = open_archive(tmp_path)
    (record,) = store.iter_days(day, day)
    assert not record["complete"] and record["failed"] >= 1
    # The warning's counts are the ledger's (it printed "0 listed" whatever the day listed).
    listed, stored, failed = map(int, warning.groups())
    assert (listed, stored, failed) == (record["listed"], record["stored"], record["failed"])
    assert listed == len(articles) and stored == len(articles) - 1
    store.close()
    with LocalSite(articles) as site:  # the site is fixed: the day is walked again
        again = crawl(site, tmp_path, *args)
        assert again.returncode == 0, again.stderr[-3000:]
        assert set(site.requests.article_ids()) == {moved.article_id}
    store = open_archive(tmp_path)
    (record,) = store.iter_days(day, day)
    assert record["complete"]
    store.close()


def test_a_feed_only_crawl_says_nothing_of_days_it_does_not_record(tmp_path):
    """STORE_ENABLED=0 with -O: the articles go to the feed; no ledger, so no "Days:" summary
    and no "channel-days left incomplete" line."""
    articles, args = backfill(2, 12, seed=31, channels=("news",))
    feed = tmp_path / "feed.jsonl"
    with LocalSite(articles) as site:
        cmd, env = crawl_command(site, tmp_path, *args, STORE_ENABLED="0")
        done = subprocess.run(
            [*cmd, "-O", str(feed)], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
        )
    assert done.returncode == 0, done.stderr[-3000:]
    assert len(feed.read_text(encoding="utf-8").splitlines()) == len(articles)
    assert "Days:" not in done.stderr and "channel-days" not in done.stderr
    assert not (tmp_path / "archive.sqlite3").exists()
