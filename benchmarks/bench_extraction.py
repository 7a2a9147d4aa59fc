"""Benchmark: extraction speed and the date normaliser, against baselines in the same run.

Prints, for the saved Liputan6 corpus (../shared/liputan6 or $NEWSCRAWL_SHARED_DIR/liputan6),
every page decoded once as the crawl decodes it (Scrapy's TextResponse.text):
  * full extraction (newscrawl.site.extraction.extract_article), articles/s on one core;
  * trafilatura's bare_extraction(html, with_metadata=True) on the same pages;
  * a bare selectolax LexborHTMLParser(html) parse of the same pages: the floor, since
    extraction parses each page once with it;
  measured in interleaved rounds (a pass of each in turn, the order rotating each round), CPU
  time, medians of the rounds; then the speed ratio to trafilatura (target >= 12x) and
  extraction's time over the bare parse's (target <= 2.5x), each the median of the rounds'
  ratios (a round's passes run seconds apart, so the machine's load weighs on both alike);
  * newscrawl.normalize.dates.parse_datetime against plain dateparser.parse(text, languages=["id"])
    on every date string in the corpus: the speed ratio (target >= 100x) and where the two
    disagree (--no-dates skips this part).

Each target is printed PASS or FAIL; the exit status is 1 when any is missed.

Run: .venv/bin/python benchmarks/bench_extraction.py [--rounds N] [--no-dates]
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from parsel import Selector
from selectolax.lexbor import LexborHTMLParser

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from newscrawl.normalize.dates import parse_datetime  # noqa: E402
from newscrawl.site.decoding import page_text  # noqa: E402
from newscrawl.site.extraction import extract_article  # noqa: E402
from tests.helpers import shared_liputan6  # noqa: E402

WIB = timezone(timedelta(hours=7))
SPEEDUP_TARGET = 12.0  # newscrawl articles/s over trafilatura's, at least
FLOOR_TARGET = 2.5  # newscrawl's time over a bare parse's, at most
DATES_TARGET = 100.0  # parse_datetime strings/s over dateparser's, at least
ORACLE_DATE_KEYS = (
    "meta_published_time",
    "meta_modified_time",
    "jsonld_datePublished",
    "jsonld_dateModified",
    "visible_datetime_text",
    "visible_modified_text",
    "visible_datetime_attr",
    "visible_modified_datetime_attr",
)


def corpus_dir() -> Path:
    """The shared liputan6 folder."""
    path = shared_liputan6()
    if not (path / "html").is_dir():
        sys.exit(f"saved pages not found at {path}; set NEWSCRAWL_SHARED_DIR")
    return path


def article_pages(root: Path) -> list[bytes]:
    """Every saved article page, as bytes."""
    with open(root / "html" / "SOURCES.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    names = [r["filename"] for r in rows if r["page_kind"].startswith("article")]
    return [(root / "html" / n).read_bytes() for n in names if (root / "html" / n).is_file()]


def date_strings(root: Path) -> list[str]:
    """Every date string in the corpus: oracle fields and every <time> on every page."""
    found: list[str] = []
    with open(root / "data" / "extracted_article_fields.jsonl", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            found += [row[k] for k in ORACLE_DATE_KEYS if isinstance(row.get(k), str)]
            publish = (row.get("kmklabs_article") or {}).get("publishDate")
            if publish:
                found.append(publish)
    for path in sorted((root / "html").glob("*.html")):
        sel = Selector(text=path.read_text(encoding="utf-8", errors="replace"))
        found += sel.css("time::attr(datetime)").getall()
        found += [" ".join(t.css("::text").getall()) for t in sel.css("time")]
        found += sel.css(".article-header__datetime ::text").getall()
    return [s.strip() for s in found if s and s.strip()]


def cpu_seconds(func, items) -> float:
    """CPU time of one pass of func over items, garbage collected before the pass."""
    gc.collect()
    start = time.process_time()
    for item in items:
        func(item)
    return time.process_time() - start


def interleaved(contenders: dict, items, rounds: int) -> dict[str, list[float]]:
    """CPU seconds of one pass of each contender over the items, per round; every round runs
    each once, in an order rotated by one each round, so a noisy neighbour weighs on all
    alike (a pass at a time: each keeps the caches it would have on its own)."""
    names = list(contenders)
    times: dict[str, list[float]] = {name: [] for name in names}
    for n in range(rounds):
        for name in names[n % len(names) :] + names[: n % len(names)]:
            times[name].append(cpu_seconds(contenders[name], items))
    return times


def median_ratio(top: list[float], bottom: list[float]) -> float:
    """The median over rounds of top/bottom, each round's pair measured side by side."""
    return statistics.median(a / b for a, b in zip(top, bottom, strict=True))


def verdict(ok: bool) -> str:
    """PASS or FAIL."""
    return "PASS" if ok else "FAIL"


def rate(func, items, rounds: int) -> float:
    """Items per second of func over items, best of `rounds` passes (CPU time)."""
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for item in items:
            func(item)
        best = min(best, time.process_time() - start)
    return len(items) / best


def as_utc(value: datetime | None) -> datetime | None:
    """dateparser's naive results mean WIB, Liputan6's zone."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=WIB)
    return value.astimezone(UTC)


def main() -> int:
    """Run every measurement, print the figures; 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (median)")
    parser.add_argument("--no-dates", action="store_true", help="skip the date normaliser")
    args = parser.parse_args()
    root = corpus_dir()
    pages = [page_text(raw, "https://www.liputan6.com/") for raw in article_pages(root)]
    print(f"corpus: {len(pages)} article pages from {root}, {args.rounds} interleaved rounds")
    try:
        from trafilatura import bare_extraction
    except ImportError:
        sys.exit("trafilatura is not installed (pip install -e '.[bench]')")

    contenders = {
        "newscrawl": extract_article,
        "trafilatura": lambda html: bare_extraction(html, with_metadata=True),
        "bare parse": LexborHTMLParser,
    }
    times = interleaved(contenders, pages, args.rounds)
    for name, rounds in times.items():
        seconds = statistics.median(rounds)
        print(
            f"{name:<20} : {len(pages) / seconds:8.1f} pages/s "
            f"({1000 * seconds / len(pages):.2f} ms/page, median CPU, one core)"
        )
    speedup = median_ratio(times["trafilatura"], times["newscrawl"])
    floor = median_ratio(times["newscrawl"], times["bare parse"])
    passed = [speedup >= SPEEDUP_TARGET, floor <= FLOOR_TARGET]
    print(
        f"extraction speed-up  : {speedup:8.1f}x trafilatura "
        f"(target >= {SPEEDUP_TARGET:g}x) {verdict(passed[0])}"
    )
    print(
        f"extraction vs parse  : {floor:8.2f}x the time of a bare parse "
        f"(target <= {FLOOR_TARGET:g}x) {verdict(passed[1])}"
    )
    if not args.no_dates:
        passed.append(bench_dates(root, args.rounds))
    return 0 if all(passed) else 1


def bench_dates(root: Path, rounds: int) -> bool:
    """parse_datetime against dateparser on every date string of the corpus; True on target."""
    import dateparser

    strings = date_strings(root)
    unique = sorted(set(strings))
    ours_d = rate(parse_datetime, strings, rounds)
    theirs_d = rate(lambda s: dateparser.parse(s, languages=["id"]), strings, 1)
    ok = ours_d / theirs_d >= DATES_TARGET
    print(f"date strings         : {len(strings)} ({len(unique)} distinct)")
    print(f"parse_datetime       : {ours_d:10.0f} strings/s")
    print(f"dateparser.parse     : {theirs_d:10.0f} strings/s")
    print(
        f"normaliser speed-up  : {ours_d / theirs_d:10.1f}x dateparser "
        f"(target >= {DATES_TARGET:g}x) {verdict(ok)}"
    )

    differ, only_ours, only_theirs = [], [], []
    for text in unique:
        mine = parse_datetime(text)
        other = as_utc(dateparser.parse(text, languages=["id"]))
        if mine == other:
            continue
        if other is None:
            only_ours.append(text)
        elif mine is None:
            only_theirs.append(text)
        else:
            differ.append((text, mine, other))
    print(
        f"disagreements        : {len(differ)} different values, "
        f"{len(only_theirs)} read only by dateparser, {len(only_ours)} read only by newscrawl"
    )
    for text, mine, other in differ:
        print(f"  differ  {text!r}: newscrawl {mine.isoformat()} dateparser {other.isoformat()}")
    for text in only_theirs:
        print(f"  dateparser only {text!r}: {as_utc(dateparser.parse(text, languages=['id']))}")
    for text in only_ours[:20]:
        print(f"  newscrawl only  {text!r}: {parse_datetime(text)}")
    if len(only_ours) > 20:
        print(f"  ... and {len(only_ours) - 20} more read only by newscrawl")
    return ok


if __name__ == "__main__":
    sys.exit(main())
