"""Benchmark: what an hourly incremental crawl and a backfill cost the site, in requests.

For a polite crawler the scarce resource is the site's patience (1-2 requests a second), so
this benchmark counts requests, not seconds. Real crawls (`scrapy crawl` subprocesses, the
project's settings plus FAST below) run against tests.site.LocalSite.

Part 1, incremental, over simulated time. Two identical sites publish PACE articles a day
(Liputan6's ids grew by about 800 a day in 2019-2020) over HOURS hours on CHANNELS; about
EDIT_SHARE of the articles are edited at a random time in their first 24 h (a fifth of those
twice), and both sites answer conditional requests (ETag and Last-Modified). Every simulated
hour the site's clock (LocalSite.now) moves on and an incremental crawl runs with the
crawler's clock set to the same moment (benchmarks/clocked.py, time-machine): on one site the
current policy (revisits from the store's due list at NEWSCRAWL_REVISIT_AFTER, conditional,
after the new articles; the walk stops at its watermark), on the other the old one
(benchmarks/old_policy.py: every stored article younger than two days its walk lists is
fetched again). The two policies run side by side, one thread each. For each, over the last
WINDOW hours (both policies are then as they would be after months: the old one refetches two
days of articles, the new one's 24-hour revisits come due): requests per new article (list
pages and robots.txt included) and requests per day; of the articles published at least 25 h
before the end: the share stored as the site shows them 24 h after publication, and the share
of their edits that reached the history (current version or article_versions; an edit the
site overwrote before the next revisit never does); over every run: the longest at the default
politeness (its requests / the polite rate measured below).

Part 2, the polite rate: one incremental crawl at the project's default politeness (delay,
autothrottle, 2 requests per domain), cut by a budget of POLITE_REQUESTS requests; its
responses per second.

Part 3, backfill: a 30-day backfill of a site at PACE articles a day (and the same backfill
again: complete days are skipped, today is open and read only until its stored articles):
requests per stored article, list pages included.

Targets (printed "ok" or "MISSED"; the exit status is 1 if one is missed):
  current policy <= 4.5 requests per new article; >= 10x fewer requests than the old policy;
  >= 99% of articles stored as the site shows them at 24 h; every hourly run under 10 minutes
  at the default politeness; the backfill <= 1.1 requests per stored article.

Run: .venv/bin/python benchmarks/bench_incremental.py [--hours N] [--pace N] [--days N]
     [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(REPO))

from newscrawl.spiders.options import today_wib  # noqa: E402
from newscrawl.store import SQLiteStore  # noqa: E402
from tests.site import DEFAULT_CHANNELS, WIB, LocalSite, make_articles  # noqa: E402

PACE = 800
HOURS = 72
# Costs are measured over the last day, when both policies run as they would for months: the
# old one refetches two days of articles, the new one's 24-hour revisits are due.
WINDOW = 24
EDIT_SHARE = 0.10
SECOND_EDIT_SHARE = 0.2
CHANNELS = DEFAULT_CHANNELS
# A fixed simulated start (a Monday, 00:00 in Jakarta), so every run of the benchmark is alike.
T0 = datetime(2026, 3, 2, tzinfo=WIB)
POLITE_REQUESTS = 40
BACKFILL_DAYS = 30
FAST = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "0",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "NEWSCRAWL_PROGRESS_INTERVAL": "0",
    "STORE_FLUSH_INTERVAL": "1",
    "TELNETCONSOLE_ENABLED": "0",
}
POLICIES = {
    "current": ("liputan6", {}),
    "old": (
        "liputan6_old_policy",
        {"NEWSCRAWL_REVISIT_AFTER": "", "SPIDER_MODULES": "newscrawl.spiders,old_policy"},
    ),
}
TARGET_PER_ARTICLE = 4.5
TARGET_FEWER = 10.0
TARGET_AS_SHOWN = 0.99
TARGET_RUN_MINUTES = 10.0
TARGET_BACKFILL = 1.1


def with_edits(articles, seed: int) -> list[tuple[str, datetime, list[str]]]:
    """(article id, time, new paragraphs) of the edits: EDIT_SHARE of the articles at a random
    time in their first 24 h (after the modification time the page already shows), a fifth
    of those a second time later in that day."""
    rng = random.Random(seed)
    edits = []
    for article in articles:
        if rng.random() >= EDIT_SHARE:
            continue
        start = max(article.published, article.modified or article.published)
        last = article.published + timedelta(hours=24)
        if start >= last - timedelta(minutes=10):
            continue
        times = [start + (last - start) * rng.uniform(0.01, 0.99)]
        if rng.random() < SECOND_EDIT_SHARE:
            times.append(times[0] + (last - times[0]) / 2)
        paragraphs = list(article.paragraphs)
        for n, when in enumerate(times, 1):
            when = when.replace(microsecond=0)
            paragraphs = [*paragraphs, f"Pembaruan {n}: artikel ini diperbarui pukul {when:%H.%M}."]
            edits.append((article.article_id, when, paragraphs))
    return edits


def make_site(articles, edits, now: datetime) -> LocalSite:
    site = LocalSite(articles, validators="both", now=now)
    for article_id, when, paragraphs in edits:
        site.edit(article_id, when, paragraphs=paragraphs)
    return site


def crawl(site, tmp: Path, spider: str, args: list[str], settings: dict, at: datetime | None):
    """One crawl subprocess (with the crawler's clock at ``at`` when given): exit, requests."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", spider]
    if at is not None:
        cmd = [sys.executable, str(BENCH / "clocked.py"), at.isoformat(), "scrapy", "crawl", spider]
    for arg in args:
        cmd += ["-a", arg]
    for name, value in settings.items():
        cmd += ["-s", f"{name}={value}"]
    env = dict(
        os.environ,
        LIPUTAN6_BASE_URL=site.base_url,
        NEWSCRAWL_SQLITE_PATH=str(tmp / "archive.sqlite3"),
        NEWSCRAWL_DEAD_LETTER_PATH=str(tmp / "dead-letter.jsonl"),
        PYTHONPATH=os.pathsep.join([str(BENCH), str(REPO)]),
    )
    env.pop("MONGO_URI", None)
    first = len(site.requests)
    start = time.perf_counter()
    with open(tmp / "crawl.log", "ab") as log:
        done = subprocess.run(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    return done.returncode, len(site.requests) - first, time.perf_counter() - start


def run_policy(name: str, site, tmp: Path, hours: int) -> dict:
    """The hourly incremental runs of one policy; requests of each run."""
    spider, extra = POLICIES[name]
    tmp.mkdir(parents=True, exist_ok=True)
    runs, failed = [], []
    for hour in range(1, hours + 1):
        at = T0 + timedelta(hours=hour)
        site.now = at
        args = ["mode=incremental", f"channels={','.join(CHANNELS)}"]
        code, requests, _ = crawl(site, tmp, spider, args, {**FAST, **extra}, at.astimezone(UTC))
        runs.append(requests)
        if code != 0:
            failed.append((hour, code))
    return {"runs": runs, "failed": failed}


def judge(site, edits, store_path: Path, end: datetime) -> dict:
    """What the archive holds against what the site showed, of the articles published at least
    25 hours before the end: as at 24 h, and each of their edits in the history."""
    store = SQLiteStore(store_path)
    store.open(create=False)
    try:
        published = [a for a in site.articles if a.published <= end]
        stored = store.count_articles()
        settled = [a for a in published if a.published + timedelta(hours=25) <= end]
        as_shown = 0
        for article in settled:
            doc = store.get_article(article.article_id)
            shown = site.version_at(article.article_id, article.published + timedelta(hours=24))
            if doc and doc["body"] == shown.body and doc["title"] == shown.title:
                as_shown += 1
        # The edits of the articles whose schedule is over (their 24-hour revisit is done).
        done = {a.article_id for a in settled}
        made = [(i, "\n\n".join(p)) for i, _, p in edits if i in done]
        total, reached = len(made), 0
        for article_id, body in made:
            doc = store.get_article(article_id)
            bodies = {d["body"] for d in [doc, *store.versions(article_id)] if d}
            reached += body in bodies
    finally:
        store.close()
    return {
        "published": len(published),
        "stored": stored,
        "settled": len(settled),
        "as_shown": as_shown / len(settled) if settled else 0.0,
        "edits": total,
        "edits_reached": reached / total if total else 1.0,
    }


def polite_rate(articles, edits, tmp: Path, end: datetime) -> float:
    """Responses per second of an incremental crawl at the default politeness, cut by a
    budget of POLITE_REQUESTS requests, on an empty archive (every article is new)."""
    tmp.mkdir(parents=True, exist_ok=True)
    with make_site(articles, edits, end) as site:
        settings = {
            "NEWSCRAWL_RUN_BUDGET": f"{POLITE_REQUESTS} requests",
            "NEWSCRAWL_PROGRESS_INTERVAL": "0",
        }
        args = ["mode=incremental", "channels=news"]
        _, requests, wall = crawl(site, tmp, "liputan6", args, settings, end.astimezone(UTC))
    return requests / wall


def backfill(tmp: Path, pace: int, days: int) -> dict:
    """A backfill of the last ``days`` days, then the same again: requests and articles."""
    tmp.mkdir(parents=True, exist_ok=True)
    today = today_wib()
    articles = make_articles(
        pace * days, start_day=today - timedelta(days=days - 1), days=days, channels=CHANNELS
    )
    now = datetime.now(WIB)
    with LocalSite(articles, now=now) as site:
        args = [f"since={today - timedelta(days=days - 1)}", f"channels={','.join(CHANNELS)}"]
        code, first, wall = crawl(site, tmp, "liputan6", args, FAST, None)
        code2, second, _ = crawl(site, tmp, "liputan6", args, FAST, None)
        listed = sum(1 for a in site.articles if a.published <= now)
    store = SQLiteStore(tmp / "archive.sqlite3")
    store.open(create=False)
    stored = store.count_articles()
    store.close()
    return {
        "exit": (code, code2),
        "requests": first,
        "again": second,
        "stored": stored,
        "listed": listed,
        "wall": wall,
    }


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hours", type=int, default=HOURS)
    parser.add_argument("--pace", type=int, default=PACE, help="articles a day")
    parser.add_argument("--days", type=int, default=BACKFILL_DAYS, help="days of the backfill")
    parser.add_argument("--keep", type=Path, help="keep the stores and logs in this folder")
    opts = parser.parse_args()
    tmp = Path(opts.keep or tempfile.mkdtemp(prefix="bench-incremental-"))
    end = T0 + timedelta(hours=opts.hours)
    span_days = opts.hours // 24 + 1
    articles = make_articles(
        opts.pace * span_days, start_day=T0.date(), days=span_days, channels=CHANNELS, seed=17
    )
    edits = with_edits(articles, seed=18)
    print(
        f"Incremental: {opts.hours} simulated hours, {opts.pace} articles a day on "
        f"{len(CHANNELS)} channels, {len(edits)} edits, a run every hour "
        f"(NEWSCRAWL_REVISIT_AFTER default for the current policy)",
        flush=True,
    )
    results = {}
    sites = {name: make_site(articles, edits, T0) for name in POLICIES}
    try:
        with ThreadPoolExecutor(len(POLICIES)) as pool:
            futures = {
                name: pool.submit(run_policy, name, sites[name], tmp / name, opts.hours)
                for name in POLICIES
            }
            for name, future in futures.items():
                results[name] = future.result()
        for name, site in sites.items():
            results[name].update(judge(site, edits, tmp / name / "archive.sqlite3", end))
    finally:
        for site in sites.values():
            site.stop()
    rate = polite_rate(articles, edits, tmp / "polite", end)
    window = min(WINDOW, opts.hours)
    new = sum(1 for a in articles if end - timedelta(hours=window) < a.published <= end)
    rows = {}
    for name, result in results.items():
        total = sum(result["runs"][-window:])
        rows[name] = {
            "requests": total,
            "per_article": total / max(1, new),
            "per_day": total * 24 / window,
            "longest": max(result["runs"]),
            "longest_min": max(result["runs"]) / rate / 60,
            "median_run": statistics.median(result["runs"]),
        }
    print(f"\nPolite rate (default settings, a budget of {POLITE_REQUESTS}): {rate:.2f} req/s")
    print(
        f"Costs over the last {window} simulated hours ({new} new articles); stored, as@24h "
        "and edits over the whole run; the longest and median run over every hour"
    )
    print(
        f"\n{'policy':<8} {'requests':>9} {'req/new':>8} {'req/day':>8} {'stored':>7} "
        f"{'as@24h':>7} {'edits':>7} {'longest run':>18} {'median run':>10}"
    )
    for name, row in rows.items():
        result = results[name]
        print(
            f"{name:<8} {row['requests']:>9} {row['per_article']:>8.2f} {row['per_day']:>8.0f} "
            f"{result['stored']:>7} {result['as_shown']:>7.1%} {result['edits_reached']:>7.1%} "
            f"{row['longest']:>6} ({row['longest_min']:>4.1f} min) {row['median_run']:>10.0f}"
        )
        if result["failed"]:
            print(f"  {name}: runs that failed (hour, exit): {result['failed'][:10]}")
    current, old = rows["current"], rows["old"]
    fewer = old["requests"] / max(1, current["requests"])
    missed = []

    def target(label: str, ok: bool, text: str) -> None:
        print(f"  {label:<44} {text:<26} {verdict(ok)}")
        if not ok:
            missed.append(label)

    print("\nTargets (current policy):")
    target(
        "requests per new article <= 4.5",
        current["per_article"] <= TARGET_PER_ARTICLE,
        f"{current['per_article']:.2f}",
    )
    target("fewer requests than the old policy >= 10x", fewer >= TARGET_FEWER, f"{fewer:.1f}x")
    target(
        "stored as the site shows them at 24 h >= 99%",
        results["current"]["as_shown"] >= TARGET_AS_SHOWN,
        f"{results['current']['as_shown']:.2%} of {results['current']['settled']}",
    )
    target(
        "every hourly run < 10 min at the default pace",
        current["longest_min"] < TARGET_RUN_MINUTES,
        f"longest {current['longest_min']:.1f} min",
    )
    target(
        "every run exits 0",
        not results["current"]["failed"],
        f"{len(results['current']['failed'])} failed",
    )
    print(f"\nBackfill: {opts.days} days at {opts.pace} articles a day", flush=True)
    back = backfill(tmp / "backfill", opts.pace, opts.days)
    per_stored = back["requests"] / max(1, back["stored"])
    print(
        f"  first run: {back['requests']} requests, {back['stored']} of {back['listed']} "
        f"articles stored, {per_stored:.3f} requests per stored article ({back['wall']:.0f} s); "
        f"the same backfill again: {back['again']} requests; exit {back['exit']}"
    )
    target(
        "backfill requests per stored article <= 1.1",
        per_stored <= TARGET_BACKFILL,
        f"{per_stored:.3f}",
    )
    target(
        "backfill stores every listed article",
        back["stored"] == back["listed"],
        f"{back['stored']}/{back['listed']}",
    )
    if not opts.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        print(f"\nStores and logs kept in {tmp}")
    if missed:
        print(f"\nMISSED: {', '.join(missed)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
