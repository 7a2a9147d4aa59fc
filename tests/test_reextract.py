"""Raw pages kept and used again: real crawls recording WARC files, `newscrawl reextract`
after a parser fix, a lost database rebuilt from its WARC files, an interrupted
re-extraction resumed, and a full disk that stops the crawl saying why."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from newscrawl.exits import Exit
from newscrawl.site import EXTRACTOR_VERSION
from newscrawl.spiders.options import today_wib
from newscrawl.store.base import content_hash
from newscrawl.warc import Capture, Exchange, WarcFiles, read_records
from tests.helpers import (
    CONTENT,
    as_from_a_terminal,
    crawl,
    newscrawl,
    newscrawl_here,
    open_archive,
)
from tests.site import LocalSite, make_articles
from tests.warcs import saved_article_pages


def stored(tmp_path: Path) -> dict[str, dict]:
    store = open_archive(tmp_path)
    try:
        return {doc["article_id"]: doc for doc in store.iter_articles()}
    finally:
        store.close()


def runs(tmp_path: Path) -> list[dict]:
    store = open_archive(tmp_path)
    try:
        return store.runs()
    finally:
        store.close()


@pytest.fixture(scope="module")
def recorded_crawl(tmp_path_factory):
    """A backfill of 60 articles (some split over pages served one by one, sent gzip like
    the live site) recorded with NEWSCRAWL_WARC_DIR; the pristine archive is copied by each
    test that changes it."""
    tmp = tmp_path_factory.mktemp("recorded")
    articles = make_articles(
        60,
        start_day=today_wib() - timedelta(days=40),
        days=2,
        channels=("news", "bisnis"),
        seed=11,
        multipage_ratio=0.3,
        split_pages=True,
    )
    with LocalSite(articles, gzip=True) as site:
        done = crawl(
            site,
            tmp,
            f"since={articles[0].day}",
            f"until={articles[-1].day}",
            "channels=news,bisnis",
            NEWSCRAWL_WARC_DIR=str(tmp / "warc"),
            # Synced every few pages: the syncs and page-cache drops happen in a real crawl.
            NEWSCRAWL_WARC_SYNC_SIZE="8192",
        )
        served = [r for r in site.requests.records if r.status == 200 and r.method == "GET"]
    assert done.returncode == 0, done.stderr[-3000:]
    return tmp, articles, served, site.base_url


def copy_archive(source: Path, target: Path) -> Path:
    """The recorded crawl's archive and WARC files in a fresh folder."""
    target.mkdir(exist_ok=True)
    src = sqlite3.connect(source / "archive.sqlite3")
    dst = sqlite3.connect(target / "archive.sqlite3")
    src.backup(dst)
    src.close()
    dst.close()
    (target / "warc").mkdir()
    for path in (source / "warc").iterdir():
        (target / "warc" / path.name).write_bytes(path.read_bytes())
    return target


def warc_files(folder: Path) -> list[str]:
    return sorted(str(p) for p in (folder / "warc").glob("*.warc.gz"))


def test_a_crawl_records_every_page_it_reads_and_each_article_knows_where(recorded_crawl):
    tmp, articles, served, base = recorded_crawl
    (run,) = runs(tmp)
    files = warc_files(tmp)
    assert [Path(f).name for f in files] == [f"liputan6-{run['_id']}-00001.warc.gz"]
    assert run["counts"]["warc"]["syncs"] >= 5
    responses = {}
    for name in files:
        for record in read_records(name):
            if isinstance(record, Capture):
                responses[(Path(name).name, record.offset)] = record
    # Every page the site answered with 200, robots.txt aside, is recorded once.
    expected = sorted(base + r.path for r in served if r.path != "/robots.txt")
    assert sorted(c.url for c in responses.values()) == expected
    docs = stored(tmp)
    assert set(docs) == {a.article_id for a in articles}
    for doc in docs.values():
        record = responses[(doc["warc_file"], doc["warc_offset"])]
        assert f"/read/{doc['article_id']}/" in record.url
        assert "page=" not in record.url  # the first page of a split article
        assert doc["fetched_at"] == record.captured_at
        assert doc["extractor_version"] == EXTRACTOR_VERSION
        assert doc["version_reason"] == "crawl"
    # The record at each offset is what warcio finds there too (warcio extract FILE OFFSET).
    doc = next(iter(docs.values()))
    with open(tmp / "warc" / doc["warc_file"], "rb") as fh:
        fh.seek(doc["warc_offset"])
        record = next(iter(ArchiveIterator(fh)))
        assert record.rec_headers.get_header("WARC-Type") == "response"
        assert record.http_headers.get_header("Content-Encoding") == "gzip"  # as sent
    assert run["counts"]["warc"]["records"] == 2 * len(expected)


def test_reextracting_an_unchanged_archive_changes_nothing(recorded_crawl, tmp_path):
    source, articles, _, _ = recorded_crawl
    work = copy_archive(source, tmp_path / "work")
    before = stored(work)
    done = newscrawl("reextract", "--sqlite-path", "archive.sqlite3", *warc_files(work), cwd=work)
    assert done.returncode == 0, done.stderr
    assert f"{len(articles):,} article pages" in done.stderr
    assert f"0 new, 0 updated, {len(articles):,} unchanged, 0 earlier versions" in done.stderr
    after = stored(work)
    for article_id, doc in before.items():
        kept = after[article_id]
        for name in (*CONTENT, "version", "content_hash", "fetched_at", "warc_offset"):
            assert kept[name] == doc[name], (article_id, name)
    run = runs(work)[0]
    assert run["spider"] == "reextract" and run["status"] == "finished"
    assert run["counts"]["unchanged"] == len(articles)
    # Not articles, each counted: the list pages, the later pages of split articles (read
    # with their first page, so not counted), the request and warcinfo records.
    skipped = run["counts"]["skipped"]
    assert skipped["list page"] >= 2
    assert skipped["warcinfo record"] == 1


def test_after_a_parser_fix_outdated_articles_get_a_new_version(recorded_crawl, tmp_path):
    source, _, _, _ = recorded_crawl
    work = copy_archive(source, tmp_path / "work")
    docs = stored(work)
    # What an older extractor stored: a wrong title, extractor version 0, same capture.
    older = sorted(docs)[:5]
    store = open_archive(work)
    wrong = []
    for article_id in older:
        doc = dict(docs[article_id])
        doc.update(title="Judul lama " + article_id, extractor_version=0)
        doc["content_hash"] = content_hash(doc)
        wrong.append(doc)
    store.write_articles(wrong, run_id="old-extractor", now=docs[older[0]]["last_seen_at"])
    store.close()
    assert {stored(work)[i]["title"] for i in older} == {f"Judul lama {i}" for i in older}

    outdated = ("reextract", "--outdated", "--warc-dir", "warc", "--sqlite-path", "archive.sqlite3")
    done = newscrawl(*outdated, cwd=work)
    assert done.returncode == 0, done.stderr
    assert "5 article pages" in done.stderr
    assert "0 new, 5 updated" in done.stderr
    after = stored(work)
    store = open_archive(work)
    for article_id in older:
        doc = after[article_id]
        assert doc["title"] == docs[article_id]["title"]
        assert doc["version_reason"] == "re-extraction"
        assert doc["extractor_version"] == EXTRACTOR_VERSION
        assert doc["version"] == docs[article_id]["version"] + 2
        history = store.versions(article_id)
        assert [v["title"] for v in history][-1] == f"Judul lama {article_id}"
    store.close()
    for article_id in set(docs) - set(older):
        assert after[article_id]["version"] == docs[article_id]["version"]
    # Nothing is outdated any more: a second run has nothing to do.
    again = newscrawl(*outdated, cwd=work)
    assert again.returncode == 0, again.stderr
    assert "0 article pages" in again.stderr


def test_a_lost_database_is_rebuilt_from_the_warc_files(recorded_crawl, tmp_path):
    source, articles, _, _ = recorded_crawl
    work = copy_archive(source, tmp_path / "work")
    before = stored(work)
    (work / "archive.sqlite3").unlink()
    missing = newscrawl(
        "reextract", "--sqlite-path", "archive.sqlite3", *warc_files(work), cwd=work
    )
    assert missing.returncode == Exit.UNAVAILABLE
    assert "reextract --create" in missing.stderr
    done = newscrawl(
        "reextract", "--create", "--sqlite-path", "archive.sqlite3", *warc_files(work), cwd=work
    )
    assert done.returncode == 0, done.stderr
    assert f"{len(articles):,} new" in done.stderr
    after = stored(work)
    assert set(after) == set(before)
    for article_id, doc in before.items():
        assert after[article_id]["content_hash"] == doc["content_hash"], article_id
        assert after[article_id]["warc_offset"] == doc["warc_offset"]


def test_split_articles_whose_pages_went_to_the_next_files_are_joined(recorded_crawl, tmp_path):
    # The crawl's records again, in the same order, in files rotated every few records: the
    # later pages of many split articles land in the next file, or the one after.
    source, articles, _, _ = recorded_crawl
    before = stored(source)
    split = {a.article_id for a in articles if a.pages > 1}
    assert len(split) >= 5
    files = WarcFiles(tmp_path / "warc", "ROT", max_bytes=12_000, level=0)
    for name in warc_files(source):
        for record in read_records(name):
            if isinstance(record, Capture):
                files.write(
                    Exchange(
                        url=record.url,
                        method="GET",
                        request_headers=[],
                        status=200,
                        response_headers=[(b"Content-Type", record.content_type.encode())],
                        body=record.body,
                        captured_at=record.captured_at,
                    )
                )
    files.close()
    assert len(files.files) > 20
    done = newscrawl(
        "reextract",
        "--create",
        "--sqlite-path",
        "archive.sqlite3",
        *warc_files(tmp_path),
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "later pages not in the WARC file" not in done.stderr
    after = stored(tmp_path)
    assert set(after) == set(before)
    for article_id, doc in before.items():
        assert after[article_id]["content_hash"] == doc["content_hash"], article_id
        assert after[article_id]["page_count"] == doc["page_count"], article_id


def test_warc_files_that_cannot_be_written_stop_the_crawl_and_fail_the_run(tmp_path):
    articles = make_articles(
        120, start_day=today_wib() - timedelta(days=20), days=1, channels=("news",), seed=2
    )
    (tmp_path / "full").write_text("a file where the WARC folder should be")
    with LocalSite(articles) as site:
        done = crawl(
            site,
            tmp_path,
            f"since={articles[0].day}",
            f"until={articles[-1].day}",
            "channels=news",
            NEWSCRAWL_WARC_DIR=str(tmp_path / "full" / "warc"),
            LOG_LEVEL="INFO",
        )
        fetched = len([r for r in site.requests.records if r.path != "/robots.txt"])
    assert done.returncode == 1, done.stderr[-2000:]
    assert "Cannot write the WARC file" in done.stderr
    (run,) = runs(tmp_path)
    assert run["status"] == "failed"
    assert any("WARC recording failed" in reason for reason in run["counts"]["failure_reasons"])
    # It stopped at once: the requests already in flight, not the whole day.
    assert fetched < len(articles) / 3, fetched


@pytest.fixture(scope="module")
def big_warc(tmp_path_factory, corpus_dir):
    """Every saved article page, recorded three times (three captures a day apart), in one
    WARC file of several task-sized parts."""
    from datetime import UTC, datetime

    tmp = tmp_path_factory.mktemp("big")
    pages = saved_article_pages(corpus_dir)
    files = WarcFiles(tmp, "BIG", level=1)
    when = datetime(2024, 6, 1, tzinfo=UTC)
    for copy in range(3):
        for n, path in enumerate(pages):
            files.write(
                Exchange(
                    url=f"https://www.liputan6.com/news/read/{n}/{path.stem}",
                    method="GET",
                    request_headers=[],
                    status=200,
                    response_headers=[(b"Content-Type", b"text/html; charset=utf-8")],
                    body=path.read_bytes(),
                    captured_at=when + timedelta(days=copy, seconds=n),
                )
            )
    files.close()
    (name,) = files.files
    return tmp / name


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_an_interrupted_reextract_resumes_where_it_stopped(big_warc, tmp_path, stop):
    jobdir = tmp_path / "job"
    command = [
        sys.executable,
        "-m",
        "newscrawl.cli",
        "reextract",
        "--create",
        "--workers",
        "1",
        "--jobdir",
        str(jobdir),
        "--sqlite-path",
        "archive.sqlite3",
        str(big_warc),
    ]
    proc = subprocess.Popen(
        command,
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
        preexec_fn=as_from_a_terminal,
    )
    done_log = jobdir / "tasks-done.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if done_log.exists() and done_log.read_text().strip():
            break
        time.sleep(0.05)
    assert proc.poll() is None, "finished before it could be interrupted: make the file bigger"
    proc.send_signal(stop)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "--jobdir" in err
    done_before = len(done_log.read_text().splitlines())
    assert done_before >= 1
    interrupted = runs(tmp_path)[0]
    assert interrupted["status"] == "failed" and interrupted["finish_reason"] == "interrupted"

    resumed = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{done_before} parts done in an earlier run skipped" in resumed.stderr

    # The same archive as one uninterrupted run.
    whole = tmp_path / "whole"
    whole.mkdir()
    straight = newscrawl(
        "reextract", "--create", "--sqlite-path", "archive.sqlite3", str(big_warc), cwd=whole
    )
    assert straight.returncode == 0, straight.stderr
    assert {i: (d["content_hash"], d["fetched_at"]) for i, d in stored(tmp_path).items()} == {
        i: (d["content_hash"], d["fetched_at"]) for i, d in stored(whole).items()
    }
    assert len(stored(whole)) > 50


def test_reextract_refuses_what_it_cannot_do(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MONGO_URI", raising=False)
    monkeypatch.delenv("NEWSCRAWL_WARC_DIR", raising=False)

    def reextract(*args: str) -> tuple[int, str]:
        return newscrawl_here(capsys, "reextract", *args)

    code, err = reextract()
    assert code == Exit.USAGE and "--outdated" in err
    code, err = reextract("no-such.warc.gz")
    assert code == Exit.UNAVAILABLE and "no-such.warc.gz: no such file" in err
    code, err = reextract("--workers", "0", "x.warc.gz")
    assert code == Exit.USAGE and "must be at least 1" in err
    not_warc = tmp_path / "page.warc.gz"
    not_warc.write_bytes(b"<html>not a WARC file</html>")
    code, err = reextract("--create", "--sqlite-path", "a.sqlite3", str(not_warc))
    assert code == 1, err
    assert f"error: {not_warc}: not a WARC file" in err


@pytest.mark.parametrize(
    ("done", "pages", "elapsed", "expected"),
    [
        (0, 0, 0.5, "[                              ]   0.0%  0 pages  0 pages/s  --:-- left"),
        (
            250,
            1_000,
            10.0,
            "[#######                       ]  25.0%  1,000 pages  100 pages/s  0:30 left",
        ),
        (
            500,
            50_000,
            3_600.0,
            "[###############               ]  50.0%  50,000 pages  14 pages/s  1:00:00 left",
        ),
        (
            1_000,
            4_000,
            40.0,
            "[##############################] 100.0%  4,000 pages  100 pages/s  0:00 left",
        ),
    ],
)
def test_the_progress_line_gives_the_share_rate_and_time_left(done, pages, elapsed, expected):
    from newscrawl.reextract import Progress

    progress = Progress(1_000, stream=open(os.devnull, "w"))  # noqa: SIM115
    progress.done, progress.pages = done, pages
    # A whole start: `started + elapsed - started` of a large monotonic clock can round below
    # `elapsed` (3599.9999 s shows as 59:59).
    progress.started = 1000.0
    assert progress.line(progress.started + elapsed) == expected


def test_a_crawl_killed_mid_run_leaves_whole_records_and_loses_nothing_stored(tmp_path):
    from tests.helpers import PACED, backfill, start, wait_for_articles

    articles, args = backfill(2, 300, seed=5)
    with LocalSite(articles, gzip=True) as site:
        proc = start(site, tmp_path, *args, NEWSCRAWL_WARC_DIR=str(tmp_path / "warc"), **PACED)
        wait_for_articles(site, 60, proc)
        deadline = time.monotonic() + 30
        while not _stored_count(tmp_path) and time.monotonic() < deadline:
            assert proc.poll() is None, "the crawl ended too early"
            time.sleep(0.05)
        proc.kill()  # SIGKILL: no close, no flush beyond what each record did itself
        proc.communicate(timeout=30)
    files = warc_files(tmp_path)
    assert len(files) == 1
    read = list(read_records(files[0]))
    captures = {r.offset: r for r in read if isinstance(r, Capture)}
    assert len(captures) >= 60
    cut = [
        r
        for r in read
        if not isinstance(r, Capture)
        and "record" in r.reason
        and r.reason not in ("request record", "warcinfo record")
    ]
    # At most the record being written when the process died, and only at the end.
    assert len(cut) <= 1 and all(r.offset == read[-1].offset for r in cut), cut
    docs = stored(tmp_path)
    assert docs, "nothing was stored before the kill"
    for doc in docs.values():
        assert f"/read/{doc['article_id']}/" in captures[doc["warc_offset"]].url
    # Every page recorded is there to rebuild from: a re-extraction into a new archive
    # holds every article the killed crawl stored, and the ones it fetched but never stored.
    rebuilt = tmp_path / "rebuilt"
    rebuilt.mkdir()
    done = newscrawl(
        "reextract", "--create", "--sqlite-path", "archive.sqlite3", *files, cwd=rebuilt
    )
    assert done.returncode == 0, done.stderr
    again = stored(rebuilt)
    assert set(docs) <= set(again)
    for article_id, doc in docs.items():
        assert again[article_id]["content_hash"] == doc["content_hash"]


def _stored_count(tmp_path: Path) -> int:
    """Articles a running crawl has stored so far (0 before its first write)."""
    try:
        with sqlite3.connect(f"file:{tmp_path / 'archive.sqlite3'}?mode=ro", uri=True) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def _descendants(pid: int) -> list[int]:
    """Every process below pid (from /proc), children before their own children."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def test_a_worker_killed_mid_run_fails_the_run_and_the_next_run_finishes(big_warc, tmp_path):
    jobdir = tmp_path / "job"
    command = [
        *(sys.executable, "-m", "newscrawl.cli", "reextract", "--create", "--workers", "1"),
        *("--jobdir", str(jobdir), "--sqlite-path", "archive.sqlite3", str(big_warc)),
    ]
    proc = subprocess.Popen(command, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    done_log = jobdir / "tasks-done.jsonl"
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if done_log.exists() and done_log.read_text().strip():
            break
        time.sleep(0.05)
    assert proc.poll() is None, "finished before a worker could be killed"
    # The worker is the leaf: below the main process and multiprocessing's fork server.
    leaves = [p for p in _descendants(proc.pid) if not _descendants(p)]
    assert leaves
    for pid in leaves:
        os.kill(pid, signal.SIGKILL)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err
    assert "a worker process died" in err and "run again" in err
    failed = runs(tmp_path)[0]
    assert failed["status"] == "failed" and failed["finish_reason"] == "errors"
    resumed = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert "parts done in an earlier run skipped" in resumed.stderr
    assert len(stored(tmp_path)) > 50
