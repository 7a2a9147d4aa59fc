"""Benchmark: what recording raw pages in WARC files (NEWSCRAWL_WARC_DIR) costs a crawl.

Starts two identical tests.site.LocalSite (local copies of liputan6.com) sending every
page gzip-compressed, as the live site does (gzip=True), and runs newscrawl's crawl of the same
archive days twice a round, without and with NEWSCRAWL_WARC_DIR (a fresh folder each round),
over --rounds rounds, each crawl a subprocess as benchmarks/bench_crawl.py runs them (its
run_crawl, check, rate and cpu_ms; the same settings: 16 concurrent requests, no delay, no
autothrottle). The two crawls of a round run at once, each against its own site and on a core
of its own (the cores swapped every round): whatever else the machine does at that moment
(other virtual machines on the host, mostly) slows both alike, so each round's ratio compares
like with like. On this shared machine one crawl after the other gave round ratios from 0.93
to 1.31 for the same code; --one-at-a-time runs them so, the order swapped every round.

The listing is synthetic (tests.site's articles, days and channels); with --pages
real (the default), each article's page is one of the saved real article pages of
../shared/liputan6/html ($NEWSCRAWL_SHARED_DIR/liputan6/html, read at run time) with the
article's id for its own (bench_reextract.load_bases: the pages that still extract so), taken
in turn: real markup and real sizes (about 305 KB, 61 KB sent), so the crawl spends on each
what it spends on the live site's (the extraction of a real page costs about 2.6 ms). With
--pages padded, the synthetic article page (about 8 KB) is padded (LocalSite ``rewrite``)
before </body> with whole inline <script>/<style> elements of the saved pages (none that
assigns the data layer) to --page-kb (400 KB); a padded page is checked to extract exactly as
the bare one. Padding is cheap to parse (about 1 ms an article), so recording is a larger
share of that crawl's CPU than of a real one's.

Figures, per round and as medians: CPU milliseconds per article of the crawl's process, whole
(start-up and shutdown included) and in its steady state (from its first response to its last,
bench_crawl.ResponseTimes: what a crawl of months spends per article), without and with
recording, and their ratio (target on the steady state: recording costs at most 10% more,
ratio <= 1.10); articles per second from the first response to the last, without and with,
and their ratio (recording must not slow the crawl; target >= 0.90: a crawl is one busy core,
so the 10% of CPU allowed is about what it may cost in speed); the WARC bytes written per
1,000 articles (list pages included); the kernel time per article; and the CPU time spent
inside the recorder itself (its thread's, the file writes included), from
bench_crawl.TimedWarcRecorder, which both crawls run in place of newscrawl's
WarcRecorderMiddleware (it times it, and is off without NEWSCRAWL_WARC_DIR as newscrawl's is).
Ratios are the median of the rounds' ratios; "ok" or "MISSED" is printed for each target and
the exit status is 1 on a miss.

Written on a virtual machine with 2 cores (AMD EPYC), shared with other work: see the
figures in docs/operations.md ("CPU" under Raw pages). Even run at once, a round's ratio can
be off by 20% (one round in seven, say), hence the rounds and the median. The kernel time is
printed for each crawl: the writes into the page cache are most of what recording costs it.

Every crawl is checked as bench_crawl checks it (every listed article fetched and stored,
every channel-day complete); a recording crawl also: one response record per page fetched in
its WARC files, and every stored article with a warc_file and warc_offset pointing at the
response record of its own page.

Run: .venv/bin/python benchmarks/bench_warc.py [--articles N] [--rounds N]
     [--pages real|padded] [--page-kb N] [--per-day N] [--one-at-a-time]
     [--extra-setting NAME=VALUE ...]  (for both crawls)
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from bench_crawl import (  # noqa: E402
    CHANNELS,
    START_DAY,
    check,
    cpu_ms,
    days_for,
    describe,
    listed_count,
    project_settings,
    rate,
    run_crawl,
    span_rate,
    verdict,
)
from bench_reextract import BUSY_CORES, machine_busy, others_text  # noqa: E402

# Both crawls run the recorder inside bench_crawl.TimedWarcRecorder, which times it (off, as
# newscrawl's own, without NEWSCRAWL_WARC_DIR).
TIMED = {
    **project_settings.DOWNLOADER_MIDDLEWARES,
    "newscrawl.middlewares.WarcRecorderMiddleware": None,
    "bench_crawl.TimedWarcRecorder": 595,
}
CPU_TARGET = 1.10  # CPU per article with recording <= 1.10x without
RATE_TARGET = 0.90  # articles/s with recording >= 0.90x without
KINDS = ("without", "with")
# An inline element that sets the data layer, or is JSON-LD, would change what a page says
# about itself; "<!--" inside a script can change where the HTML parser ends it.
_ELEMENT = re.compile(rb"<(script|style)\b([^>]*)>(.*?)</\1\s*>", re.DOTALL | re.IGNORECASE)
_UNSAFE = re.compile(rb"window\.(?:kmklabs|info)\b[\w.]*\s*=(?!=)|<!--|</body|</html")


def padding(html_dir: Path, size: int) -> str:
    """Whole inline <script>/<style> elements of the saved article pages, about size bytes."""
    with open(html_dir / "SOURCES.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    names = [r["filename"] for r in rows if r["page_kind"].startswith("article")]
    found, total, seen = [], 0, set()
    for name in names:
        path = html_dir / name
        if not path.is_file():
            continue
        for match in _ELEMENT.finditer(path.read_bytes()):
            attrs, element = match.group(2).lower(), match.group(0)
            if b"src=" in attrs or b"ld+json" in attrs or _UNSAFE.search(match.group(3)):
                continue
            if element in seen:
                continue
            seen.add(element)
            found.append(element.decode("utf-8", errors="replace"))
            total += len(element)
            if total >= size:
                return "\n".join(found)
    sys.exit(f"the saved pages in {html_dir} hold only {total} bytes of inline scripts/styles")


def padder(block: str):
    """A LocalSite rewrite: the block inserted before the page's last </body>."""

    def pad(html: str) -> str:
        at = html.rfind("</body>")
        return html + block if at < 0 else html[:at] + block + "\n" + html[at:]

    return pad


def check_padding(site, block: str, articles) -> None:
    """Exits unless every one of these articles extracts from its padded page exactly as
    from the bare one."""
    from newscrawl.site.extraction import extract_article

    for a in articles:
        padded = site.respond("GET", a.path).body.decode("utf-8")
        bare = padded.replace(block + "\n", "", 1)
        if bare == padded or extract_article(padded, a.url) != extract_article(bare, a.url):
            sys.exit(f"article {a.article_id}: the padded page does not extract as the bare one")


def real_pages(html_dir: Path, articles) -> dict[str, bytes]:
    """Each article's page: a saved real article page with the article's id for its own
    (bench_reextract.load_bases), the saved pages taken in turn."""
    from bench_reextract import load_bases

    bases, _ = load_bases(html_dir)
    if not bases:
        sys.exit(f"no saved article page in {html_dir} extracts")
    return {
        a.article_id: bases[i % len(bases)].page(a.article_id)[1] for i, a in enumerate(articles)
    }


def warm(site, since: date, until: date) -> None:
    """Render and compress every page of the range once, as the site will send it, so no
    crawl pays the site's first render (bench_crawl.warm, plus the gzip cache)."""
    for d in range((until - since).days + 1):
        day = since + timedelta(days=d)
        for channel in CHANNELS:
            listed = site.listed(day, channel)
            for page in range(1, len(listed) // site.per_page + 3):
                site.compressed(
                    site.respond("GET", f"/{channel}/indeks/{day:%Y/%m/%d}?page={page}")
                )
            for a in listed:
                site.compressed(site.respond("GET", a.path))


def warc_check(run: dict) -> tuple[str, int]:
    """A recording crawl's WARC files against what it fetched and stored: one line and the
    bytes written; exits on a missing record."""
    from newscrawl.store.sqlite import SQLiteStore
    from newscrawl.warc import Capture, read_records

    folder = run["tmp"] / "warc"
    files = sorted(folder.glob("*.warc.gz"))
    pages, articles, skipped = 0, set(), 0
    for path in files:
        for record in read_records(path):
            if isinstance(record, Capture):
                pages += 1
                if "/read/" in urlsplit(record.url).path:
                    articles.add(urlsplit(record.url).path)
            elif not record.reason.endswith(("request record", "warcinfo record")):
                skipped += 1
    fetched = [r for r in run["requests"] if r.status == 200 and r.path != "/robots.txt"]
    problems = []
    if pages != len(fetched):
        problems.append(f"{pages} response records for {len(fetched)} pages fetched")
    if len(articles) != run["articles"]:
        problems.append(f"{len(articles)} article pages recorded of {run['articles']} fetched")
    if skipped:
        problems.append(f"{skipped} records neither a page nor a request")

    store = SQLiteStore(run["tmp"] / "archive.sqlite3")
    store.open(create=False)
    try:
        docs = list(store.iter_articles())
    finally:
        store.close()
    placed = 0
    for doc in docs:
        name, offset = doc.get("warc_file"), doc.get("warc_offset")
        if not name or offset is None or not (folder / name).is_file():
            continue
        first = next(iter(read_records(folder / name, offset, offset + 1)), None)
        if isinstance(first, Capture) and f"/read/{doc['article_id']}/" in first.url:
            placed += 1
    if placed != len(docs):
        problems.append(f"{len(docs) - placed} of {len(docs)} stored articles not placed")
    line = (
        f"{pages} response records ({len(articles)} article pages) in {len(files)} WARC"
        f" file(s), {placed}/{len(docs)} stored articles point at theirs"
    )
    if problems:
        print(f"  FAILED recording: {'; '.join(problems)}; log: {run['log']}")
        sys.exit(1)
    return line, sum(p.stat().st_size for p in files)


def main() -> int:
    """Run the rounds, print the figures; 1 when a target is missed."""
    from tests.helpers import shared_liputan6
    from tests.site import LocalSite, make_articles

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000, help="articles a crawl fetches")
    parser.add_argument("--rounds", type=int, default=7, help="rounds of (without, with)")
    parser.add_argument("--per-day", type=int, default=250, help="articles a day (3 channels)")
    parser.add_argument(
        "--pages",
        choices=("real", "padded"),
        default="real",
        help="article pages: the saved real pages under new ids, or synthetic ones padded",
    )
    parser.add_argument(
        "--one-at-a-time",
        dest="together",
        action="store_false",
        help="run a round's two crawls one after the other (default: at once, a core each)",
    )
    parser.add_argument("--page-kb", type=int, default=400, help="size of a padded article page")
    parser.add_argument(
        "--extra-setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a Scrapy setting for both crawls (repeatable)",
    )
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    html_dir = shared_liputan6() / "html"
    if not (html_dir / "SOURCES.tsv").is_file():
        sys.exit(f"saved pages not found at {html_dir}; set NEWSCRAWL_SHARED_DIR")
    os.environ.pop("NEWSCRAWL_WARC_DIR", None)  # only the recording crawl records

    days = days_for(args.articles, args.per_day)
    since, until = START_DAY, START_DAY + timedelta(days=days - 1)
    articles = make_articles(days * args.per_day, start_day=START_DAY, days=days, channels=CHANNELS)
    if args.pages == "real":
        site_args = {"raw_pages": real_pages(html_dir, articles)}
    else:
        bare = LocalSite(articles[:1])
        bare_size = len(bare.respond("GET", articles[0].path).body)
        bare.stop()
        block = padding(html_dir, args.page_kb * 1024 - bare_size)
        site_args = {"rewrite": padder(block)}
    with (
        LocalSite(articles, gzip=True, **site_args) as site,
        # The twin serves the other crawl of a round when the two run at once.
        LocalSite(articles, gzip=True, **site_args) as twin,
        tempfile.TemporaryDirectory(prefix="bench-warc-") as tmp,
    ):
        listed = [
            a
            for d in range(days)
            for c in CHANNELS
            for a in site.listed(since + timedelta(days=d), c)
        ]
        if args.pages == "padded":
            check_padding(site, block, listed[:50])
        warm(site, since, until)
        warm(twin, since, until)
        n = listed_count(site, since, until)
        sizes = [len(site.respond("GET", a.path).body) for a in listed]
        sent = [len(site.compressed(site.respond("GET", a.path)).body) for a in listed]
        print(
            f"local site: {n} articles over {days} days, channels {','.join(CHANNELS)};"
            + (
                f" article pages: the saved real ones ({len(set(sizes))} distinct) under the"
                " listed ids,"
                if args.pages == "real"
                else " article pages padded with inline scripts/styles of the saved pages to"
            )
            + f" {statistics.mean(sizes) / 1024:.0f} KB on average"
            f" ({min(sizes) / 1024:.0f}-{max(sizes) / 1024:.0f} KB), sent gzip-compressed:"
            f" {statistics.mean(sent) / 1024:.0f} KB; {os.cpu_count()} cores"
        )
        print(
            "newscrawl's crawl without and with NEWSCRAWL_WARC_DIR, 16 concurrent requests,"
            f" no delay; extra settings: {' '.join(args.extra_setting) or 'none'}"
        )
        runs: dict[str, list[dict]] = {k: [] for k in KINDS}
        for r in range(args.rounds):
            print(f"round {r + 1}:")
            order = KINDS if r % 2 == 0 else KINDS[::-1]
            if args.together:
                # Each crawl on a core of its own (where there are two), swapped every round.
                cores = sorted(os.sched_getaffinity(0))[:2]
                cpus = [{c} for c in cores] if len(cores) == 2 else [None, None]
                with ThreadPoolExecutor(2) as pool:
                    busy, own = machine_busy(), time.process_time()
                    futures = [
                        pool.submit(crawl, kind, where, r, args, tmp, since, until, on)
                        for kind, where, on in zip(order, (site, twin), cpus, strict=True)
                    ]
                    done = [f.result() for f in futures]
                    load = others(busy, own, done)
            else:
                done = []
                for kind in order:
                    busy, own = machine_busy(), time.process_time()
                    done.append(crawl(kind, site, r, args, tmp, since, until, None))
                    done[-1]["others"] = others(busy, own, done[-1:])
            for run in done:
                if args.together:
                    run["others"] = load
                runs[run["label"]].append(run)
                print(f"  {run['label']:7} recording: {run['line']}{others_text(run['others'])}")
        return report(runs, args.rounds)


def crawl(kind, site, r, args, tmp, since, until, cpus) -> dict:
    """One crawl of a round, checked; its figures and its line."""
    folder = Path(tmp) / f"{kind}-{r}"
    extra = [f"DOWNLOADER_MIDDLEWARES={json.dumps(TIMED)}", *args.extra_setting]
    if kind == "with":
        extra.append(f"NEWSCRAWL_WARC_DIR={folder / 'warc'}")
    run = run_crawl("newscrawl", site, since, until, folder, extra, cpus=cpus)
    line = check(run, site, since, until, [])
    if kind == "with":
        more, run["warc_bytes"] = warc_check(run)
        line += f"; {more}; the recorder itself {recorder_ms(run):.2f} ms/article"
    line += (
        f"; steady state {steady_ms(run):.2f} ms/article,"
        f" kernel {1000 * run['sys'] / run['articles']:.2f} ms/article"
    )
    run["label"], run["line"] = kind, f"{describe(run)}; {line}"
    shutil.rmtree(folder)
    return run


def others(busy: float | None, own: float, done: list[dict]) -> float | None:
    """Cores other processes kept busy during crawls: the machine's CPU time less the crawls'
    and this process's (the local sites)."""
    after = machine_busy()
    if busy is None or after is None:
        return None
    used = sum(run["cpu"] for run in done) + time.process_time() - own
    return max(0.0, after - busy - used) / max(run["wall"] for run in done)


def recorder_ms(run: dict) -> float:
    """CPU milliseconds per article inside the recorder (bench_crawl.TimedWarcRecorder)."""
    return 1000 * float(run["stats"].get("bench/warc_cpu_s", 0)) / run["articles"]


def steady_ms(run: dict) -> float:
    """CPU milliseconds per article of the crawl process from its first response to its last
    (bench_crawl.ResponseTimes): a long crawl's cost per article, without the start-up (the
    imports, opening the store) and shutdown that a crawl of a few thousand articles would
    spread over them."""
    return 1000 * float(run["stats"]["bench/response_span_cpu_s"]) / run["articles"]


def ratios(runs: dict[str, list[dict]], figure) -> list[float]:
    """Each round's figure with recording over without."""
    return [figure(w) / figure(o) for o, w in zip(runs["without"], runs["with"], strict=True)]


def report(runs: dict[str, list[dict]], rounds: int) -> int:
    """The medians and ratios; 1 when a target is missed."""
    cpu_ratios = ratios(runs, steady_ms)
    rate_ratios = ratios(runs, span_rate)
    whole_ratio = statistics.median(ratios(runs, cpu_ms))
    print(f"median of {rounds} rounds:")
    for kind in KINDS:
        loads = [r["others"] for r in runs[kind] if r["others"] is not None]
        print(
            f"  {kind:7} recording: {statistics.median(map(rate, runs[kind])):6.1f} articles/s"
            f" ({statistics.median(r['wall'] for r in runs[kind]):5.1f} s),"
            f" CPU {statistics.median(map(cpu_ms, runs[kind])):5.2f} ms/article,"
            f" steady state {statistics.median(map(steady_ms, runs[kind])):5.2f} ms/article"
            + (others_text(statistics.median(loads)) if loads else "")
        )
    with_runs = runs["with"]
    per_article = statistics.median(r["warc_bytes"] / r["articles"] for r in with_runs)
    print(
        f"  WARC written: {per_article * 1000 / 1e6:.1f} MB per 1,000 articles"
        f" ({per_article / 1024:.1f} KB an article, its list pages' share included)"
    )
    inside = statistics.median(map(recorder_ms, with_runs))
    print(
        f"  the recorder itself (its thread's CPU in process_response, the writes included):"
        f" {inside:.2f} ms/article,"
        f" {inside / statistics.median(map(steady_ms, runs['without'])):.1%}"
        f" of the steady-state CPU per article without recording"
    )
    busy = [
        r + 1 for r in range(rounds) if any((runs[k][r]["others"] or 0) > BUSY_CORES for k in KINDS)
    ]
    if busy:
        print(
            f"  note: other processes used more than {BUSY_CORES} cores in round(s)"
            f" {', '.join(map(str, busy))}: their figures say more about the machine"
        )
    cpu_ratio = statistics.median(cpu_ratios)
    rate_ratio = statistics.median(rate_ratios)
    ok = [cpu_ratio <= CPU_TARGET, rate_ratio >= RATE_TARGET]
    print(
        f"  with / without, CPU per article of the whole process (start-up and shutdown"
        f" included): {whole_ratio:.3f}x"
    )
    print(
        f"  with / without, steady-state CPU per article: {cpu_ratio:.3f}x"
        f" (rounds {', '.join(f'{x:.3f}' for x in cpu_ratios)})"
        f"  target <= {CPU_TARGET}x: {verdict(ok[0])}"
    )
    print(
        f"  with / without, articles/s first-last response: {rate_ratio:.3f}x"
        f" (rounds {', '.join(f'{x:.3f}' for x in rate_ratios)})"
        f"  target >= {RATE_TARGET}x: {verdict(ok[1])}"
    )
    return 0 if all(ok) else 1


if __name__ == "__main__":
    sys.exit(main())
