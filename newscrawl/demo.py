"""`newscrawl demo`: a crawl that needs no internet.

Starts newscrawl.demo_site.DemoSite on 127.0.0.1 (a free port) with made-up articles in
the markup the live site serves today (its 2025 theme), runs the project's own `scrapy crawl
liputan6` against it (a backfill of the demo's days, LIPUTAN6_BASE_URL pointing at the local
copy, polite delays off) into a fresh SQLite file, then prints what was stored and how to
query it. The store is left in place for those queries.
"""

from __future__ import annotations

import os
import shlex
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import TextIO

from newscrawl.demo_site import DemoSite, make_articles
from newscrawl.exits import Exit

CHANNELS = ("news", "bisnis", "bola", "showbiz", "tekno")
STORE_NAME = "demo.sqlite3"
# The crawl's own settings with the politeness a real site needs switched off: the
# local copy answers as fast as it can.
FAST_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "0",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "STORE_FLUSH_INTERVAL": "1",
    "NEWSCRAWL_PROGRESS_INTERVAL": "0",
}


def crawl_command(since, until, channels: tuple[str, ...]) -> list[str]:
    """The `scrapy crawl liputan6` command line of the demo's backfill."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", "liputan6"]
    cmd += ["-a", f"since={since}", "-a", f"until={until}", "-a", f"channels={','.join(channels)}"]
    for name, value in FAST_SETTINGS.items():
        cmd += ["-s", f"{name}={value}"]
    return cmd


def _summary_lines(log: str) -> list[str]:
    """The crawl log's lines worth showing: the run's end and the days walked."""
    wanted = ("] INFO: Run ", "] INFO: Days: ", "newscrawl: ")
    out = []
    for line in log.splitlines():
        for mark in wanted:
            at = line.find(mark)
            if at >= 0:
                out.append(line[at + (2 if mark.startswith("]") else 0) :].removeprefix("INFO: "))
                break
    return out


def _quote(path: Path) -> str:
    return shlex.quote(str(path))


def run_demo(
    articles: int = 60, days: int = 3, keep: str | None = None, out: TextIO = sys.stdout
) -> int:
    """Serve, crawl, summarise; the exit status of the demo."""
    from newscrawl.spiders.options import today_wib

    if articles < 1 or days < 1:
        print("newscrawl demo: --articles and --days must be at least 1", file=sys.stderr)
        return Exit.USAGE
    if keep:
        folder = Path(keep).resolve()
        if (folder / STORE_NAME).exists():
            print(
                f"newscrawl demo: {folder / STORE_NAME} exists; the demo crawls into a fresh "
                "store: choose another --keep folder or remove it",
                file=sys.stderr,
            )
            return Exit.USAGE
        folder.mkdir(parents=True, exist_ok=True)
    else:
        folder = Path(tempfile.mkdtemp(prefix="newscrawl-demo-"))
    store_path = folder / STORE_NAME
    # Whole Jakarta days that have ended: the demo's articles end yesterday.
    since = today_wib() - timedelta(days=days)
    until = today_wib() - timedelta(days=1)
    fakes = make_articles(articles, start_day=since, days=days, channels=CHANNELS, seed=2025)
    cmd = crawl_command(since, until, CHANNELS)
    env = dict(
        os.environ,
        SCRAPY_SETTINGS_MODULE="newscrawl.settings",  # the project, from any folder
        NEWSCRAWL_SQLITE_PATH=str(store_path),
        NEWSCRAWL_DEAD_LETTER_PATH=str(folder / "dead-letter.jsonl"),
        NEWSCRAWL_LOG_LEVEL="INFO",
    )
    env.pop("MONGO_URI", None)  # the demo never writes to a configured MongoDB
    started = time.monotonic()
    with DemoSite(fakes) as site:
        env["LIPUTAN6_BASE_URL"] = site.base_url
        print(
            f"A local copy of liputan6.com is serving {len(fakes)} made-up articles of "
            f"{since} to {until} ({', '.join(CHANNELS)}) at {site.base_url}",
            file=out,
        )
        shown = " ".join(shlex.quote(part) for part in ["scrapy", *cmd[3:]])
        print(
            f"Crawling it, as a backfill would crawl the real site:\n"
            f"  LIPUTAN6_BASE_URL={site.base_url} NEWSCRAWL_SQLITE_PATH={_quote(store_path)} "
            f"{shown}",
            file=out,
            flush=True,
        )
        done = subprocess.run(
            cmd, cwd=folder, env=env, capture_output=True, text=True, check=False, timeout=300
        )
        (folder / "crawl.log").write_text(done.stderr, encoding="utf-8")
    took = time.monotonic() - started
    for line in _summary_lines(done.stderr):
        print(f"  {line}", file=out)
    if done.returncode != 0 or not store_path.exists():
        print(
            f"newscrawl demo: the crawl failed (exit {done.returncode}); its log is "
            f"{folder / 'crawl.log'}",
            file=sys.stderr,
        )
        return Exit.FAILED
    print(f"Crawled in {took:.1f} s.", file=out)
    _print_summary(store_path, out)
    _print_queries(store_path, since, until, out)
    return Exit.OK


def _print_summary(store_path: Path, out: TextIO) -> None:
    """Articles per channel and one stored article, read from the store itself."""
    from newscrawl.store.sqlite import SQLiteStore

    with sqlite3.connect(f"{store_path.as_uri()}?mode=ro", uri=True) as conn:
        per_channel = conn.execute(
            "SELECT section, count(*) FROM articles GROUP BY section ORDER BY count(*) DESC"
        ).fetchall()
        (example_id,) = conn.execute(
            "SELECT article_id FROM articles ORDER BY published_at DESC LIMIT 1"
        ).fetchone()
    total = sum(count for _, count in per_channel)
    print(f"\nStored {total} articles in {store_path}:", file=out)
    for section, count in per_channel:
        print(f"  {section:<10} {count:>4}", file=out)
    store = SQLiteStore(store_path)
    store.open()
    try:
        doc = store.get_article(example_id) or {}
    finally:
        store.close()
    print("\nThe newest one, as stored:", file=out)
    for name in (
        "article_id",
        "url",
        "title",
        "published_at",
        "section",
        "subsection",
        "type",
        "authors",
        "tags",
        "summary",
        "body",
    ):
        value = doc.get(name)
        if isinstance(value, list):
            value = ", ".join(value)
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        text = " ".join(str(value).split()) if value is not None else "-"  # one line
        if len(text) > 90:
            text = text[:87] + "..."
        print(f"  {name:<12} {text}", file=out)


def _print_queries(store_path: Path, since, until, out: TextIO) -> None:
    """Copy-paste queries of the demo's store."""
    path = _quote(store_path)
    channels = ",".join(CHANNELS)
    print(
        "\nQuery it (the store stays until you delete it):\n"
        f"  sqlite3 -box {path} "
        '"SELECT section, count(*) AS articles FROM articles GROUP BY section"\n'
        f'  sqlite3 -box {path} "SELECT a.article_id, a.title FROM articles_fts f JOIN articles a '
        "ON a.fts_rowid = f.rowid WHERE articles_fts MATCH 'harga' LIMIT 5\"\n"
        f"  newscrawl export --sqlite-path {path} --section news --format csv -o news.csv\n"
        f"  newscrawl coverage --sqlite-path {path} --since {since} --until {until} "
        f"--channels {channels}\n"
        "More queries: docs/queries.md. The real site: make crawl (needs internet).",
        file=out,
    )
