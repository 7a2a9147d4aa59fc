"""Benchmark: a full backfill crawl against a download-only crawl of the same pages.

Starts tests.localsite.LocalSite (a local copy of liputan6.com) with synthetic articles and
runs, in the same run, each as its own subprocess from the repository root:
  (a) the full crawl, ``scrapy crawl liputan6 -a since=... -a until=... -a channels=...``
      (archive pages, extraction, validation, the SQLite store and the day ledger), and
  (b) a download-only crawl, ``scrapy runspider benchmarks/bench_crawl.py`` with the
      DownloadOnlySpider below: the same archive pages and article links, in the same order
      and priorities, with the same settings and ITEM_PIPELINES={}, doing nothing with them,
so the ratio of the two rates is newscrawl's own overhead, not the site's speed. Both get
DOWNLOAD_DELAY=0, AUTOTHROTTLE_ENABLED=0, CONCURRENT_REQUESTS(_PER_DOMAIN)=16. Then the full
crawl runs again at two sizes (--memory-sizes) to show how its peak memory grows.

The full crawl parses pages in an extraction worker process and writes through a store
writer process (EXTRACTION_WORKERS and STORE_WRITER, "auto" on 2+ cores); their CPU and
memory are counted with the crawl's.

Printed: articles/s of each (crawl time from Scrapy's elapsed_time_seconds, best of
--rounds), the ratio (target: full >= 60% of download-only) best against best and round by
round with its median, CPU time per article (the crawl process while crawling, and all its
processes from start to exit by os.wait4), the peak RSS of each crawl process (its own
VmHWM, read when its engine stops: see memory_status for why not ru_maxrss) and of its
worker processes (sampled while they run), the peak-memory ratio between the two sizes
(crawl plus workers; target <= 1.5x), and, after every full crawl, the count of articles in
its SQLite store against the articles the archive lists (so nothing was lost) and the
ledger's complete days.

Run: .venv/bin/python benchmarks/bench_crawl.py [--articles N] [--memory-sizes A,B] [--quick]
     [--rounds N] [--no-memory] [--full-set KEY=VALUE ...]  (a setting for the full crawl
     only, e.g. EXTRACTION_WORKERS=0 or STORE_WRITER=thread, to see what a part costs)
     [--profile [--profile-save PATH]]  (the full crawl once more under cProfile)
"""

from __future__ import annotations

import json
import os
import re
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import ClassVar

import scrapy
from scrapy import signals

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

START_DAY = date(2024, 1, 1)
CHANNELS = ("news", "bisnis", "bola")
STATS_ENV = "BENCH_CRAWL_STATS_PATH"
FULL_EXTRA_SETTINGS: list[str] = []
COMMON_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "0",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "NEWSCRAWL_PROGRESS_INTERVAL": "0",
    "LOG_LEVEL": "INFO",
    # Both crawls write their final stats to $BENCH_CRAWL_STATS_PATH (BenchStats below).
    "EXTENSIONS": json.dumps({"bench_crawl.BenchStats": 0}),
}


# ---- loaded inside the crawl subprocesses ------------------------------------------------


class BenchStats:
    """Extension: when the engine has stopped, write the crawl stats to $BENCH_CRAWL_STATS_PATH."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.cpu_at_start = 0.0
        self.child_peaks: dict[int, int] = {}  # worker pid -> its VmHWM (KiB)
        self.sampler = None

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.engine_started, signal=signals.engine_started)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        return ext

    def engine_started(self):
        from twisted.internet import task

        self.cpu_at_start = time.process_time()
        # Worker processes exit before the engine stops: their peaks are sampled meanwhile.
        self.sampler = task.LoopingCall(self.sample_children)
        self.sampler.start(0.2)

    def sample_children(self):
        for pid in child_pids():
            peak = memory_status(pid).get("bench/VmHWM_kb")
            if peak:
                self.child_peaks[pid] = max(peak, self.child_peaks.get(pid, 0))

    def engine_stopped(self):
        path = os.environ.get(STATS_ENV)
        if path:
            stats = self.crawler.stats.get_stats()
            # CPU of every thread of the crawl process while the engine ran (no start-up).
            stats["bench/crawl_cpu_s"] = time.process_time() - self.cpu_at_start
            stats.update(memory_status())
            if self.sampler is not None and self.sampler.running:
                self.sampler.stop()
            stats["bench/workers"] = len(self.child_peaks)
            stats["bench/workers_VmHWM_kb"] = sum(self.child_peaks.values())
            with open(path, "w", encoding="utf-8") as fh:
                json.dump(stats, fh, default=str)


def child_pids() -> list[int]:
    """The pids of this process's children (its worker processes), from /proc."""
    try:
        text = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


def memory_status(pid: int | str = "self") -> dict[str, int]:
    """A process's peak and current resident memory (KiB) from /proc/<pid>/status.

    VmHWM is the high-water mark of this process image only. ru_maxrss is not used for
    the figures: Linux carries the parent's peak RSS over a vfork+exec into the child's
    ru_maxrss, so a child of this (large) benchmark process would report the parent's size.
    """
    out = {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                key, _, value = line.partition(":")
                if key in ("VmHWM", "VmRSS"):
                    out[f"bench/{key}_kb"] = int(value.split()[0])
    except OSError:
        pass
    return out


# An archive list item's title link (absolute www URL, as the site writes it).
LIST_LINK = re.compile(
    r'<a href="https://www\.liputan6\.com(/[^"]+/read/(\d+)/[^"]*)"'
    r' class="articles--rows--item__title-link"'
)


class DownloadOnlySpider(scrapy.Spider):
    """The pages a backfill fetches, in the same order and priorities, and nothing else.

    Like Liputan6Spider's backfill: page 1 of every (channel, day), newest day first
    (priority -rank*10), the next page while a page lists new articles, every listed
    article (priority +5). Responses are only counted (Scrapy's response_received_count).
    """

    name = "bench_download_only"
    custom_settings: ClassVar[dict] = {"ITEM_PIPELINES": {}}

    def __init__(self, base: str, since: str, until: str, channels: str, **kwargs):
        super().__init__(**kwargs)
        self.base = base.rstrip("/")
        self.since, self.until = date.fromisoformat(since), date.fromisoformat(until)
        self.channels = channels.split(",")

    def _archive(self, channel: str, day: date, page: int, seen: set, priority: int):
        url = f"{self.base}/{channel}/indeks/{day:%Y/%m/%d}"
        return scrapy.Request(
            url if page <= 1 else f"{url}?page={page}",
            callback=self.parse_archive,
            cb_kwargs={"channel": channel, "day": day, "page": page, "seen": seen},
            priority=priority,
        )

    async def start(self):
        days = (self.until - self.since).days + 1
        for rank in range(days):
            day = self.until - timedelta(days=rank)
            for channel in self.channels:
                yield self._archive(channel, day, 1, set(), -rank * 10)

    def parse_archive(self, response, channel, day, page, seen):
        priority = response.request.priority
        new = [(path, i) for path, i in LIST_LINK.findall(response.text) if i not in seen]
        for path, article_id in new:
            seen.add(article_id)
            yield scrapy.Request(
                self.base + path, callback=self.parse_article, priority=priority + 5
            )
        if new:
            yield self._archive(channel, day, page + 1, seen, priority)

    def parse_article(self, response):
        return None


# ---- the benchmark -----------------------------------------------------------------------


def scrapy_bin() -> str:
    """The scrapy script next to this Python."""
    candidate = Path(sys.executable).with_name("scrapy")
    return str(candidate) if candidate.exists() else "scrapy"


def run_crawl(kind: str, site, since: date, until: date, tmp: Path, profile: Path | None = None):
    """One crawl subprocess; its stats, peak RSS, CPU time, exit status and request log."""
    tmp.mkdir(parents=True, exist_ok=True)
    stats_path = tmp / "stats.json"
    log_path = tmp / "crawl.log"
    channels = ",".join(CHANNELS)
    sets = [x for k, v in COMMON_SETTINGS.items() for x in ("-s", f"{k}={v}")]
    if kind == "full":
        cmd = [scrapy_bin(), "crawl", "liputan6", "-a", f"since={since}", "-a", f"until={until}"]
        cmd += ["-a", f"channels={channels}", *sets]
        # --full-set KEY=VALUE: try a setting on the full crawl only (e.g. ITEM_PIPELINES={})
        for extra in FULL_EXTRA_SETTINGS:
            cmd += ["-s", extra]
    else:
        cmd = [scrapy_bin(), "runspider", str(Path(__file__).resolve()), *sets]
        cmd += ["-s", "ITEM_PIPELINES={}", "-a", f"base={site.base_url}"]
        cmd += ["-a", f"since={since}", "-a", f"until={until}", "-a", f"channels={channels}"]
    if profile is not None:
        cmd = [sys.executable, "-m", "cProfile", "-o", str(profile), *cmd]
    env = dict(os.environ)
    env.update(
        LIPUTAN6_BASE_URL=site.base_url,
        NEWSCRAWL_SQLITE_PATH=str(tmp / "archive.sqlite3"),
        NEWSCRAWL_LOCK_DIR=str(tmp),
        NEWSCRAWL_DEAD_LETTER_PATH=str(tmp / "dead-letter.jsonl"),
        PYTHONPATH=os.pathsep.join([str(Path(__file__).resolve().parent), str(REPO)]),
        **{STATS_ENV: str(stats_path)},
    )
    env.pop("MONGO_URI", None)
    import subprocess

    first = len(site.requests.records)
    site_cpu = time.process_time()  # this process is the site: its CPU is the site's
    start = time.perf_counter()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    site_cpu = time.process_time() - site_cpu
    stats = json.loads(stats_path.read_text()) if stats_path.exists() else {}
    return {
        "cmd": cmd,
        "exit": proc.returncode,
        "wall": wall,
        "stats": stats,
        "elapsed": float(stats.get("elapsed_time_seconds") or wall),
        # The crawl's own peak (VmHWM at engine stop); ru_maxrss only where /proc is missing.
        "max_rss_mb": stats.get("bench/VmHWM_kb", usage.ru_maxrss) / 1024,
        # Extraction and store-writer processes: the sum of their peaks.
        "workers": stats.get("bench/workers", 0),
        "workers_rss_mb": stats.get("bench/workers_VmHWM_kb", 0) / 1024,
        "ru_maxrss_mb": usage.ru_maxrss / 1024,
        "cpu": usage.ru_utime + usage.ru_stime,
        "crawl_cpu": float(stats.get("bench/crawl_cpu_s") or usage.ru_utime + usage.ru_stime),
        "site_cpu": site_cpu,
        "requests": site.requests.records[first:],
        "log": log_path,
        "db": tmp / "archive.sqlite3",
    }


def listed_count(site, since: date, until: date) -> int:
    """Articles the archive lists for these channels and days."""
    days = (until - since).days + 1
    return sum(
        len(site.listed(since + timedelta(days=d), c)) for d in range(days) for c in CHANNELS
    )


def check_full(run: dict, site, since: date, until: date) -> str:
    """The store of a full crawl against what the archive lists: one line; exits on a loss."""
    from newscrawl.store.sqlite import SQLiteStore

    expected = listed_count(site, since, until)
    store = SQLiteStore(run["db"])
    store.open()
    try:
        stored = store.count_articles()
        days = store.iter_days(since, until, CHANNELS)
    finally:
        store.close()
    complete = sum(1 for d in days if d["complete"])
    wanted_days = ((until - since).days + 1) * len(CHANNELS)
    ok = stored == expected and complete == wanted_days and run["exit"] == 0
    line = (
        f"stored {stored} of {expected} listed, {complete}/{wanted_days} channel-days complete,"
        f" exit status {run['exit']}"
    )
    if not ok:
        if FULL_EXTRA_SETTINGS:  # an experiment may store nothing on purpose
            return f"{line} (not checked: --full-set given)"
        print(f"  FAILED: {line}; log: {run['log']}")
        print("  " + "\n  ".join(run["log"].read_text(errors="replace").splitlines()[-30:]))
        sys.exit(1)
    return line


def rate(run: dict) -> float:
    """Article pages per second of crawl time."""
    return article_responses(run) / run["elapsed"]


def article_responses(run: dict) -> int:
    """Article pages the site answered with 200 during this crawl."""
    return sum(1 for r in run["requests"] if "/read/" in r.path and r.status == 200)


def warm(site, since: date, until: date) -> None:
    """Render every page of the range once, so neither crawl pays the site's first render."""
    days = (until - since).days + 1
    for d in range(days):
        day = since + timedelta(days=d)
        for channel in CHANNELS:
            listed = site.listed(day, channel)
            for page in range(1, len(listed) // site.per_page + 3):
                site.respond("GET", f"/{channel}/indeks/{day:%Y/%m/%d}?page={page}")
            for a in listed:
                site.respond("GET", a.path)


def days_for(n: int, per_day: int) -> int:
    """Days holding at least n articles at per_day a day."""
    return max(1, -(-n // per_day))


def print_profile(path: Path, top: int) -> None:
    """The functions with most own time, and with most cumulative time, in a cProfile file."""
    import pstats

    for key in ("tottime", "cumulative"):
        print(f"  --- top {top} by {key} ---")
        stream = pstats.Stats(str(path))
        stream.strip_dirs().sort_stats(key).print_stats(top)


def main() -> None:
    """Run every measurement and print the figures."""
    import argparse
    import tempfile

    from tests.localsite import LocalSite, make_articles

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile-save", metavar="PATH", help="keep the --profile file here")
    parser.add_argument("--articles", type=int, default=2000, help="articles for the rate ratio")
    parser.add_argument(
        "--memory-sizes", default="1000,10000", help="two crawl sizes for the memory ratio"
    )
    parser.add_argument("--quick", action="store_true", help="memory sizes 500,5000")
    parser.add_argument("--per-day", type=int, default=250, help="articles a day (3 channels)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of (a) and (b); best counts")
    parser.add_argument("--profile", action="store_true", help="profile one full crawl")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory series")
    parser.add_argument(
        "--full-set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a Scrapy setting for the full crawl only (to see what a part costs)",
    )
    args = parser.parse_args()
    FULL_EXTRA_SETTINGS.extend(args.full_set)

    sizes = [] if args.no_memory else [int(x) for x in args.memory_sizes.split(",") if x]
    if args.quick and not args.no_memory:
        sizes = [500, 5000]
    per_day = args.per_day
    total_days = max(days_for(n, per_day) for n in [args.articles, *sizes])
    articles = make_articles(
        total_days * per_day, start_day=START_DAY, days=total_days, channels=CHANNELS
    )

    def day_range(n: int) -> tuple[date, date]:
        return START_DAY, START_DAY + timedelta(days=days_for(n, per_day) - 1)

    with LocalSite(articles) as site, tempfile.TemporaryDirectory(prefix="bench-crawl-") as tmp:
        warm(site, START_DAY, START_DAY + timedelta(days=total_days - 1))
        since, until = day_range(args.articles)
        n = listed_count(site, since, until)
        print(
            f"local site: {len(articles)} articles over {total_days} days, channels "
            f"{','.join(CHANNELS)}, {site.per_page} per archive page; {os.cpu_count()} cores"
        )
        print(f"rate: {n} articles ({since} .. {until}), 16 concurrent requests, no delay")
        best: dict[str, dict] = {}
        ratios = []
        for r in range(args.rounds):
            runs = {}
            for kind in ("download", "full"):
                run = runs[kind] = run_crawl(kind, site, since, until, Path(tmp) / f"{kind}-{r}")
                if kind == "full":
                    run["check"] = check_full(run, site, since, until)
                elif run["exit"] != 0:
                    sys.exit(f"download-only crawl failed ({run['exit']}); log: {run['log']}")
                if kind not in best or run["elapsed"] < best[kind]["elapsed"]:
                    best[kind] = run
            ratios.append(rate(runs["full"]) / rate(runs["download"]))
        full, base = best["full"], best["download"]
        same = sorted(r.path for r in full["requests"]) == sorted(r.path for r in base["requests"])
        for label, run in (("download-only", base), ("full crawl", full)):
            got = article_responses(run)
            workers = (
                f" + {run['workers']} worker processes {run['workers_rss_mb']:.1f} MB"
                if run["workers"]
                else ""
            )
            print(
                f"  {label:13}: {rate(run):7.1f} articles/s"
                f"  ({run['elapsed']:5.1f} s crawl, {run['wall']:5.1f} s process,"
                f" {len(run['requests'])} requests, peak RSS {run['max_rss_mb']:6.1f} MB{workers})"
            )
            print(
                f"  {'':13}  CPU {1000 * run['crawl_cpu'] / got:4.2f} ms/article in the crawl"
                f" process while crawling, {1000 * run['cpu'] / got:4.2f} ms/article in all its"
                f" processes from start to exit; site CPU {1000 * run['site_cpu'] / got:4.2f}"
                " ms/article"
            )
        ratio = rate(full) / rate(base)
        verdict = "ok" if ratio >= 0.6 else "BELOW TARGET"
        print(
            f"  full / download-only: {ratio:6.1%} of the rate, best against best"
            f" (target >= 60%: {verdict})"
        )
        print(
            "  the same ratio round by round: "
            + ", ".join(f"{x:.1%}" for x in ratios)
            + f" (median {statistics.median(ratios):.1%}; this machine's speed drifts)"
        )
        print(f"  same pages fetched by both: {'yes' if same else 'NO'}")
        print(f"  full crawl store: {full['check']}")

        if sizes:
            print("peak memory of the full crawl (VmHWM of the crawl process plus its workers):")
            peaks = []
            for size in sizes:
                s_since, s_until = day_range(size)
                run = run_crawl("full", site, s_since, s_until, Path(tmp) / f"mem-{size}")
                line = check_full(run, site, s_since, s_until)
                got = article_responses(run)
                total = run["max_rss_mb"] + run["workers_rss_mb"]
                peaks.append(total)
                print(
                    f"  {listed_count(site, s_since, s_until):6d} articles:"
                    f" peak RSS {total:7.1f} MB (crawl {run['max_rss_mb']:.1f}"
                    f" + workers {run['workers_rss_mb']:.1f}),"
                    f" {got / run['elapsed']:6.1f} articles/s ({run['elapsed']:5.1f} s); {line}"
                )
            if len(peaks) >= 2:
                growth = peaks[-1] / peaks[0]
                verdict = "ok" if growth <= 1.5 else "ABOVE TARGET"
                print(
                    f"  peak memory {sizes[-1]} / {sizes[0]} articles: {growth:.2f}x"
                    f" (target <= 1.5x: {verdict})"
                )

        if args.profile:
            prof = Path(tmp) / "full.prof"
            run = run_crawl("full", site, since, until, Path(tmp) / "profile", profile=prof)
            print(f"profile of one full crawl ({run['elapsed']:.1f} s under cProfile):")
            print_profile(prof, 25)
            if args.profile_save:
                import shutil

                shutil.copy(prof, args.profile_save)
                print(f"profile saved to {args.profile_save}")


if __name__ == "__main__":
    main()
