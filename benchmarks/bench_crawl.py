"""Benchmark: newscrawl's crawl against a plain Scrapy + trafilatura spider and a download-only one.

Starts tests.site.LocalSite (a local copy of liputan6.com) with synthetic articles and
runs three crawlers of the same archive pages and article links, each as its own subprocess
from the repository root with the same settings (the project's, plus COMMON_SETTINGS below:
16 concurrent requests, no delay, no autothrottle), interleaved round by round (a, b, c, a,
b, c, ...):
  (a) newscrawl   ``scrapy crawl liputan6 -a since=... -a until=... -a channels=...``: the
                  backfill (archive pages, extraction, validation, a fresh SQLite store and
                  its day ledger), plus any --extra-setting;
  (b) trafilatura ``scrapy runspider benchmarks/peer_spiders.py -a extract=trafilatura
                  -O articles.jsonl``: a plain spider walking the same pages, extracting each
                  article with trafilatura (with metadata) into a JSON Lines feed;
  (c) download    the same spider with ``-a extract=none``: the same pages, nothing done with
                  the article bodies.

For every crawl: articles per second over its wall time from process start to exit (the
figure the targets use) and over its first to last response (ResponseTimes below); CPU
seconds per article of its whole process tree (user+sys from getrusage(RUSAGE_CHILDREN)
around it: the crawl and every process it waited for); and the peak RSS of its process tree
(every process's VmHWM from /proc, sampled every 50 ms, summed over the tree). The local site
runs in this process, so its CPU is in none of the figures. Every crawl is checked: the same
requests as the others, every listed article answered, and newscrawl's store (or the feed)
holding every one of them.

Targets (printed "ok" or "MISSED"): newscrawl articles/s >= 2.0x the trafilatura spider's,
CPU per article <= 2.0x download-only's (both: median of the per-round ratios), and, in the
memory run (newscrawl alone at --memory-sizes), peak RSS <= 160 MB at the largest size and
flat (largest / smallest <= 1.25x).

Run: .venv/bin/python benchmarks/bench_crawl.py [--articles N] [--rounds N] [--no-memory]
     [--memory-sizes A,B] [--per-day N] [--extra-setting NAME=VALUE ...]  (a Scrapy setting
     for newscrawl's crawl only, e.g. to try a part switched off or another runtime option)
     [--profile [--profile-save PATH]]  (newscrawl's crawl once more under cProfile)
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(REPO))

from newscrawl import settings as project_settings  # noqa: E402

START_DAY = date(2024, 1, 1)
CHANNELS = ("news", "bisnis", "bola")
STATS_ENV = "BENCH_CRAWL_STATS_PATH"
KINDS = ("newscrawl", "trafilatura", "download")
LABELS = {
    "newscrawl": "newscrawl",
    "trafilatura": "trafilatura spider",
    "download": "download-only",
}
COMMON_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "0",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "NEWSCRAWL_PROGRESS_INTERVAL": "0",
    "LOG_LEVEL": "INFO",
    # Every crawl writes its response times and stats to $BENCH_CRAWL_STATS_PATH.
    "EXTENSIONS": json.dumps({"bench_crawl.ResponseTimes": 0}),
}
RATE_TARGET = 2.0  # newscrawl articles/s >= 2.0x the trafilatura spider's
CPU_TARGET = 2.0  # newscrawl CPU per article <= 2.0x download-only's
MEMORY_TARGET_MB = 160.0  # peak RSS at the largest memory size
FLAT_TARGET = 1.25  # peak RSS at the largest size <= 1.25x the smallest's
SAMPLE_INTERVAL = 0.05


# ---- loaded inside the crawl subprocesses ------------------------------------------------


class ResponseTimes:
    """Extension: the times of the first and last response, and the process's CPU time
    between them (the crawl's steady state: no start-up, no shutdown), written with the
    crawl's stats to $BENCH_CRAWL_STATS_PATH when the engine stops."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.first: float | None = None
        self.last: float | None = None
        self.first_cpu: float | None = None
        self.last_cpu: float | None = None

    @classmethod
    def from_crawler(cls, crawler):
        from scrapy import signals

        ext = cls(crawler)
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        return ext

    def response_received(self):
        self.last, self.last_cpu = time.monotonic(), time.process_time()
        if self.first is None:
            self.first, self.first_cpu = self.last, self.last_cpu

    def engine_stopped(self):
        path = os.environ.get(STATS_ENV)
        if not path:
            return
        stats = dict(self.crawler.stats.get_stats())
        if self.first is not None:
            stats["bench/response_span_s"] = self.last - self.first
            stats["bench/response_span_cpu_s"] = self.last_cpu - self.first_cpu
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(stats, fh, default=str)


class TimedWarcRecorder:
    """Downloader middleware: newscrawl's WarcRecorderMiddleware, adding the CPU time of its
    thread spent recording (user+sys: the writes included) to the stat bench/warc_cpu_s."""

    def __init__(self, recorder, stats):
        self.recorder = recorder
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        from newscrawl.middlewares import WarcRecorderMiddleware

        return cls(WarcRecorderMiddleware.from_crawler(crawler), crawler.stats)

    def process_response(self, request, response, spider=None):
        start = time.thread_time()
        try:
            return self.recorder.process_response(request, response, spider)
        finally:
            self.stats.inc_value("bench/warc_cpu_s", time.thread_time() - start)


# ---- the process tree of a crawl ---------------------------------------------------------


def tree_pids(root: int) -> list[int]:
    """root and its descendants, from /proc (children of every thread)."""
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tasks:
            try:
                text = Path(f"/proc/{pid}/task/{tid}/children").read_text()
            except OSError:
                continue
            todo.extend(int(x) for x in text.split())
    return out


def peak_rss_kb(pid: int) -> int | None:
    """A process's peak resident memory (VmHWM, KiB), None once it has exited."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


class TreeSampler(threading.Thread):
    """Samples the VmHWM of every process in a tree every 50 ms until stopped.

    VmHWM never decreases, so a sample misses only what a process adds in its last 50 ms.
    Not ru_maxrss: Linux carries the parent's peak over a fork+exec into the child's, so a
    child of this (large) benchmark process would report this process's size.
    """

    def __init__(self, root: int):
        super().__init__(daemon=True)
        self.root = root
        self.peaks: dict[int, int] = {}
        self.done = threading.Event()

    def run(self):
        while True:
            for pid in tree_pids(self.root):
                kb = peak_rss_kb(pid)
                if kb:
                    self.peaks[pid] = max(kb, self.peaks.get(pid, 0))
            if self.done.wait(SAMPLE_INTERVAL):
                return

    def stop(self) -> None:
        self.done.set()
        self.join()


# ---- the benchmark -----------------------------------------------------------------------


def scrapy_bin() -> str:
    """The scrapy script next to this Python."""
    candidate = Path(sys.executable).with_name("scrapy")
    return str(candidate) if candidate.exists() else "scrapy"


def crawl_command(kind: str, site, since: date, until: date, tmp: Path, extra: list[str]):
    """The command line of one crawl."""
    channels = ",".join(CHANNELS)
    sets = [x for k, v in COMMON_SETTINGS.items() for x in ("-s", f"{k}={v}")]
    if kind == "newscrawl":
        cmd = [scrapy_bin(), "crawl", "liputan6", "-a", f"since={since}", "-a", f"until={until}"]
        # The project's own extensions (the run's keeper and verdict) stay, beside the probe.
        probe = json.loads(COMMON_SETTINGS["EXTENSIONS"])
        own = json.dumps({**project_settings.EXTENSIONS, **probe})
        cmd += ["-a", f"channels={channels}", *sets, "-s", f"EXTENSIONS={own}"]
        for setting in extra:
            cmd += ["-s", setting]
        return cmd
    cmd = [scrapy_bin(), "runspider", str(BENCH / "peer_spiders.py"), *sets]
    cmd += ["-s", "ITEM_PIPELINES={}", "-a", f"base={site.base_url}"]
    cmd += ["-a", f"since={since}", "-a", f"until={until}", "-a", f"channels={channels}"]
    if kind == "trafilatura":
        return [*cmd, "-a", "extract=trafilatura", "-O", str(tmp / "articles.jsonl")]
    return [*cmd, "-a", "extract=none"]


def run_crawl(
    kind: str,
    site,
    since: date,
    until: date,
    tmp: Path,
    extra: list[str],
    profile: Path | None = None,
    cpus: set[int] | None = None,
) -> dict:
    """One crawl subprocess: wall time, CPU of its tree, peak RSS of its tree, its requests.

    Safe to run two at once (from two threads, each with its own site): the CPU is the
    rusage of this crawl's process alone (wait4). ``cpus``: the cores it may run on."""
    tmp.mkdir(parents=True, exist_ok=True)
    stats_path = tmp / "stats.json"
    log_path = tmp / "crawl.log"
    cmd = crawl_command(kind, site, since, until, tmp, extra)
    if profile is not None:
        cmd = [sys.executable, "-m", "cProfile", "-o", str(profile), *cmd]
    env = dict(os.environ)
    env.update(
        LIPUTAN6_BASE_URL=site.base_url,
        NEWSCRAWL_SQLITE_PATH=str(tmp / "archive.sqlite3"),
        NEWSCRAWL_LOCK_DIR=str(tmp),
        NEWSCRAWL_DEAD_LETTER_PATH=str(tmp / "dead-letter.jsonl"),
        PYTHONPATH=os.pathsep.join([str(BENCH), str(REPO)]),
        **{STATS_ENV: str(stats_path)},
    )
    env.pop("MONGO_URI", None)

    first = len(site.requests.records)
    start = time.perf_counter()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        if cpus:
            os.sched_setaffinity(proc.pid, cpus)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        try:
            # wait4: the rusage of this child and the children it waited for, nothing else.
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
        finally:
            sampler.stop()
    wall = time.perf_counter() - start
    stats = json.loads(stats_path.read_text()) if stats_path.exists() else {}
    requests = site.requests.records[first:]
    articles = sum(1 for r in requests if "/read/" in r.path and r.status == 200)
    span = stats.get("bench/response_span_s")
    return {
        "kind": kind,
        "cmd": cmd,
        "exit": proc.returncode,
        "wall": wall,
        "span": float(span) if span else None,
        "stats": stats,
        "cpu": usage.ru_utime + usage.ru_stime,
        "sys": usage.ru_stime,
        "peak_mb": sum(sampler.peaks.values()) / 1024,
        "processes": len(sampler.peaks),
        "requests": requests,
        "articles": articles,
        "log": log_path,
        "tmp": tmp,
    }


def listed_count(site, since: date, until: date) -> int:
    """Articles the archive lists for these channels and days."""
    days = (until - since).days + 1
    return sum(
        len(site.listed(since + timedelta(days=d), c)) for d in range(days) for c in CHANNELS
    )


def check(run: dict, site, since: date, until: date, extra: list[str]) -> str:
    """What a crawl got against what the archive lists: one line; exits on a loss.

    newscrawl: articles in its SQLite store and complete days in its ledger; the trafilatura
    spider: lines of its feed with a text. With --extra-setting a short store is reported,
    not fatal (an experiment may store nothing on purpose).
    """
    expected = listed_count(site, since, until)
    problems = []
    if run["exit"] != 0:
        problems.append(f"exit status {run['exit']}")
    if run["articles"] != expected:
        problems.append(f"{run['articles']} of {expected} listed articles answered")
    line = f"{run['articles']} articles fetched"
    fatal = bool(problems)
    if run["kind"] == "newscrawl":
        from newscrawl.store.sqlite import SQLiteStore

        store = SQLiteStore(run["tmp"] / "archive.sqlite3")
        store.open()
        try:
            stored = store.count_articles()
            days = store.iter_days(since, until, CHANNELS)
        finally:
            store.close()
        complete = sum(1 for d in days if d["complete"])
        wanted = ((until - since).days + 1) * len(CHANNELS)
        line += f", {stored} stored, {complete}/{wanted} channel-days complete"
        if stored != expected or complete != wanted:
            problems.append("store short")
            fatal = fatal or not extra
    elif run["kind"] == "trafilatura":
        feed = run["tmp"] / "articles.jsonl"
        lines = feed.read_text(encoding="utf-8").splitlines() if feed.exists() else []
        texts = sum(1 for x in lines if json.loads(x).get("text"))
        line += f", {len(lines)} in the feed ({texts} with a text)"
        if len(lines) != expected:
            problems.append("feed short")
            fatal = True
    if problems:
        line += " — " + "; ".join(problems)
    if fatal:
        print(f"  FAILED {LABELS[run['kind']]}: {line}; log: {run['log']}")
        print("  " + "\n  ".join(run["log"].read_text(errors="replace").splitlines()[-30:]))
        sys.exit(1)
    return line


def rate(run: dict) -> float:
    """Articles per second of wall time, process start to exit."""
    return run["articles"] / run["wall"]


def span_rate(run: dict) -> float | None:
    """Articles per second from the first to the last response."""
    return run["articles"] / run["span"] if run["span"] else None


def cpu_ms(run: dict) -> float:
    """CPU milliseconds (user+sys, whole process tree) per article."""
    return 1000 * run["cpu"] / max(run["articles"], 1)


def describe(run: dict) -> str:
    """One crawl's figures on one line."""
    span = span_rate(run)
    span_text = f", {span:6.1f}/s first-last response" if span else ""
    plural = "es" if run["processes"] != 1 else ""
    return (
        f"{rate(run):6.1f} articles/s ({run['wall']:5.1f} s process{span_text}),"
        f" CPU {cpu_ms(run):5.2f} ms/article, peak RSS {run['peak_mb']:6.1f} MB"
        f" ({run['processes']} process{plural})"
    )


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def warm(site, since: date, until: date) -> None:
    """Render every page of the range once, so no crawl pays the site's first render."""
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
        pstats.Stats(str(path)).strip_dirs().sort_stats(key).print_stats(top)


def main() -> None:
    """Run every measurement and print the figures."""
    import argparse
    import tempfile

    from tests.site import LocalSite, make_articles

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000, help="articles for the rate rounds")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of (a, b, c)")
    parser.add_argument("--per-day", type=int, default=250, help="articles a day (3 channels)")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory run")
    parser.add_argument(
        "--memory-sizes", default="1000,10000", help="newscrawl crawl sizes for the memory run"
    )
    parser.add_argument(
        "--extra-setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a Scrapy setting for newscrawl's crawl only (repeatable)",
    )
    parser.add_argument("--profile", action="store_true", help="profile one newscrawl crawl")
    parser.add_argument("--profile-save", metavar="PATH", help="keep the --profile file here")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    extra = args.extra_setting
    for setting in extra:
        if "=" not in setting:
            parser.error(f"--extra-setting wants NAME=VALUE, not {setting!r}")

    sizes = [] if args.no_memory else sorted(int(x) for x in args.memory_sizes.split(",") if x)
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
        print(
            f"rate rounds: {n} articles ({since} .. {until}), 16 concurrent requests, no delay,"
            f" no autothrottle; newscrawl extra settings: {' '.join(extra) or 'none'}"
        )
        print(
            "articles/s over the process's wall time (start to exit; the targets use it) and"
            " from first to last response; CPU and peak RSS of the whole process tree"
        )
        runs: dict[str, list[dict]] = {kind: [] for kind in KINDS}
        same_pages = True
        for r in range(args.rounds):
            print(f"round {r + 1}:")
            paths = []
            for kind in KINDS:
                run = run_crawl(kind, site, since, until, Path(tmp) / f"{kind}-{r}", extra)
                run["check"] = check(run, site, since, until, extra)
                runs[kind].append(run)
                paths.append(sorted(req.path for req in run["requests"]))
                print(f"  {LABELS[kind]:18}: {describe(run)}; {run['check']}")
            same_pages = same_pages and all(p == paths[0] for p in paths)

        rate_ratios = [
            rate(a) / rate(b) for a, b in zip(runs["newscrawl"], runs["trafilatura"], strict=True)
        ]
        span_ratios = [
            span_rate(a) / span_rate(b)
            for a, b in zip(runs["newscrawl"], runs["trafilatura"], strict=True)
            if span_rate(a) and span_rate(b)
        ]
        cpu_ratios = [
            cpu_ms(a) / cpu_ms(b) for a, b in zip(runs["newscrawl"], runs["download"], strict=True)
        ]
        print(f"median of {args.rounds} rounds:")
        for kind in KINDS:
            spans = [x for x in map(span_rate, runs[kind]) if x]
            span_text = f", {statistics.median(spans):6.1f}/s first-last response" if spans else ""
            print(
                f"  {LABELS[kind]:18}: {statistics.median(map(rate, runs[kind])):6.1f} articles/s"
                f" ({statistics.median(r['wall'] for r in runs[kind]):5.1f} s process{span_text}),"
                f" CPU {statistics.median(map(cpu_ms, runs[kind])):5.2f} ms/article,"
                f" peak RSS {statistics.median(r['peak_mb'] for r in runs[kind]):6.1f} MB"
            )
        print(f"  same requests in every crawl: {'yes' if same_pages else 'NO'}")
        rate_ratio = statistics.median(rate_ratios)
        print(
            f"  newscrawl / trafilatura spider, articles/s: {rate_ratio:.2f}x"
            f" (rounds {', '.join(f'{x:.2f}' for x in rate_ratios)};"
            f" first-last response: {', '.join(f'{x:.2f}' for x in span_ratios)})"
            f"  target >= {RATE_TARGET}x: {verdict(rate_ratio >= RATE_TARGET)}"
        )
        cpu_ratio = statistics.median(cpu_ratios)
        print(
            f"  newscrawl / download-only, CPU per article: {cpu_ratio:.2f}x"
            f" (rounds {', '.join(f'{x:.2f}' for x in cpu_ratios)})"
            f"  target <= {CPU_TARGET}x: {verdict(cpu_ratio <= CPU_TARGET)}"
        )

        if sizes:
            print("memory: newscrawl alone, peak RSS of its process tree")
            peaks = []
            for size in sizes:
                s_since, s_until = day_range(size)
                run = run_crawl(
                    "newscrawl", site, s_since, s_until, Path(tmp) / f"mem-{size}", extra
                )
                line = check(run, site, s_since, s_until, extra)
                peaks.append(run["peak_mb"])
                print(
                    f"  {listed_count(site, s_since, s_until):6d} articles: {describe(run)}; {line}"
                )
            print(
                f"  peak RSS at {sizes[-1]} articles: {peaks[-1]:.1f} MB"
                f"  target <= {MEMORY_TARGET_MB:.0f} MB: {verdict(peaks[-1] <= MEMORY_TARGET_MB)}"
            )
            if len(peaks) >= 2:
                growth = peaks[-1] / peaks[0]
                print(
                    f"  peak RSS {sizes[-1]} / {sizes[0]} articles: {growth:.2f}x"
                    f" ({peaks[-1] - peaks[0]:+.1f} MB)  target flat, <= {FLAT_TARGET}x:"
                    f" {verdict(growth <= FLAT_TARGET)}"
                )

        if args.profile:
            prof = Path(tmp) / "newscrawl.prof"
            run = run_crawl(
                "newscrawl", site, since, until, Path(tmp) / "profile", extra, profile=prof
            )
            print(f"profile of one newscrawl crawl ({run['wall']:.1f} s under cProfile):")
            print_profile(prof, 25)
            if args.profile_save:
                import shutil

                shutil.copy(prof, args.profile_save)
                print(f"profile saved to {args.profile_save}")


if __name__ == "__main__":
    main()
