"""Real crawls of the local site into MongoDB over the wire (tests/wire.py): a backfill and a
second run, and the server killed mid-crawl (the crawl fails, the dead-letter file holds what
was not kept, and `newscrawl replay` restores it once the server is back)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pymongo

from tests.helpers import PACED, REPO, backfill, crawl, crawl_command, wait_for_articles
from tests.site import LocalSite


def mongo_env(uri: str) -> dict[str, str]:
    """MONGO_URI and a database of this test's own."""
    return {"MONGO_URI": uri, "MONGO_DATABASE": f"newscrawl_e2e_{uuid.uuid4().hex[:12]}"}


def database(env: dict[str, str]) -> tuple[pymongo.MongoClient, object]:
    client = pymongo.MongoClient(env["MONGO_URI"], tz_aware=True, serverSelectionTimeoutMS=5000)
    return client, client[env["MONGO_DATABASE"]]


def replay(dead: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """`newscrawl replay FILE` into the MongoDB of env (MONGO_URI from the environment)."""
    return subprocess.run(
        [sys.executable, "-m", "newscrawl.cli", "replay", str(dead)],
        cwd=REPO,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_backfill_into_mongodb_stores_every_article_once_and_a_second_run_adds_nothing(
    tmp_path, mongo_uri
):
    articles, args = backfill(2, 120, seed=31)
    env = mongo_env(mongo_uri)
    with LocalSite(articles) as site:
        done = crawl(site, tmp_path, *args, env_extra=env)
        assert done.returncode == 0, done.stderr[-3000:]
        assert f"MongoDB 127.0.0.1:{mongo_uri.split(':')[2].split('/')[0]}" in done.stderr
    client, db = database(env)
    try:
        stored = {d["article_id"]: d for d in db.articles.find({}, {"_id": 0})}
        assert set(stored) == {a.article_id for a in articles}
        for article in articles:
            assert stored[article.article_id]["title"] == article.title
            assert stored[article.article_id]["published_at"].tzinfo is not None
        (run,) = db.crawl_runs.find()
        assert run["status"] == "finished" and run["counts"]["new"] == len(articles)
        assert db.crawl_days.count_documents({"complete": False}) == 0
        with LocalSite(articles) as site:
            again = crawl(site, tmp_path, *args, env_extra=env)
            assert again.returncode == 0, again.stderr[-3000:]
            assert not site.requests.article_ids()  # every day complete: nothing fetched
        assert db.articles.count_documents({}) == len(articles)
        assert db.crawl_runs.count_documents({"status": "finished"}) == 2
    finally:
        client.drop_database(env["MONGO_DATABASE"])
        client.close()


def test_the_server_killed_mid_crawl_fails_the_run_and_replay_restores_everything(
    tmp_path, mongoeco_factory
):
    # mongoeco on an SQLite file: started again, it holds what it had committed, as MongoDB
    # does after a crash (its in-memory engine would forget everything).
    server = mongoeco_factory(tmp_path / "mongoeco.sqlite3")
    articles, args = backfill(3, 150, seed=37)
    env = mongo_env(server.uri)
    with LocalSite(articles) as site:
        cmd, crawl_env = crawl_command(site, tmp_path, *args, STORE_BATCH_SIZE="10", **PACED)
        proc = subprocess.Popen(
            cmd,
            cwd=REPO,
            env={**crawl_env, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        wait_for_articles(site, 40, proc)
        server.kill()
        _, stderr = proc.communicate(timeout=180)
    assert proc.returncode == 1, stderr[-3000:]
    assert "run failed: store lost during the run" in stderr, stderr[-3000:]
    assert "Traceback" not in stderr
    dead = tmp_path / "dead.jsonl"
    lines = [json.loads(line) for line in dead.read_text(encoding="utf-8").splitlines()]
    assert lines and all(d["dead_letter_reason"] for d in lines)

    server.start()  # the same port and file
    client, db = database(env)
    try:
        kept = {d["article_id"] for d in db.articles.find({}, {"article_id": 1})}
        dead_ids = {d["article_id"] for d in lines}
        # Every article is kept somewhere: committed before the kill, or in the dead-letter file.
        assert kept | dead_ids == {a.article_id for a in articles}
        assert len(kept) < len(articles)
        done = replay(dead, env)
        assert done.returncode == 0, done.stderr[-3000:]
        assert db.articles.count_documents({}) == len(articles)
        again = replay(dead, env)  # idempotent
        assert again.returncode == 0, again.stderr[-3000:]
        assert db.articles.count_documents({}) == len(articles)
    finally:
        client.close()


def test_a_lease_left_by_a_dead_process_of_this_host_is_taken_over_at_once(tmp_path, mongo_uri):
    # The run before died with its server: its lease is still running, but its process is
    # gone from this host. The next crawl takes the lock at once (no exit 75) and marks the
    # dead run killed.
    articles, args = backfill(1, 20, seed=41, channels=("news",))
    env = mongo_env(mongo_uri)
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    now = datetime.now(UTC)
    client, db = database(env)
    try:
        db.crawl_runs.insert_one(
            {"_id": "dead-run", "spider": "liputan6", "status": "running", "started_at": now}
        )
        db.crawl_locks.insert_one(
            {
                "_id": "backfill:news",
                "run_id": "dead-run",
                "pid": child.pid,
                "host": socket.gethostname(),
                "started_at": now - timedelta(minutes=5),
                "heartbeat_at": now,
                "expires_at": now + timedelta(seconds=120),
            }
        )
        with LocalSite(articles) as site:
            done = crawl(site, tmp_path, *args, env_extra=env, LOG_LEVEL="INFO")
        assert done.returncode == 0, done.stderr[-3000:]
        assert f"Took over the lock of run dead-run (pid {child.pid} on " in done.stderr
        assert db.crawl_runs.find_one({"_id": "dead-run"})["status"] == "killed"
        assert db.articles.count_documents({}) == len(articles)
        assert db.crawl_locks.count_documents({}) == 0  # released at the end
    finally:
        client.drop_database(env["MONGO_DATABASE"])
        client.close()
