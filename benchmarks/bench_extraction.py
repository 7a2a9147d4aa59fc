"""Benchmark: extraction speed and the date normaliser, against baselines in the same run.

Prints, for the saved Liputan6 corpus (../shared/liputan6 or $NEWSCRAWL_SHARED_DIR/liputan6):
  * full extraction (newscrawl.site.extraction.extract_article), articles/s on one core;
  * trafilatura's bare_extraction(html, with_metadata=True) on the same pages, and the ratio;
  * newscrawl.normalize.dates.parse_datetime against plain dateparser.parse(text, languages=["id"])
    on every date string in the corpus: the speed ratio and where the two disagree.

Run: .venv/bin/python benchmarks/bench_extraction.py [--rounds N]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from parsel import Selector

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from newscrawl.normalize.dates import parse_datetime  # noqa: E402
from newscrawl.site.extraction import extract_article  # noqa: E402
from tests.conftest import shared_liputan6  # noqa: E402

WIB = timezone(timedelta(hours=7))
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


def main() -> None:
    """Run every measurement and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="passes per measurement")
    args = parser.parse_args()
    root = corpus_dir()
    pages = article_pages(root)
    print(f"corpus: {len(pages)} article pages from {root}")

    ours = rate(extract_article, pages, args.rounds)
    print(f"newscrawl extraction : {ours:8.1f} articles/s (one core)")
    try:
        from trafilatura import bare_extraction
    except ImportError:
        print("trafilatura          : not installed (pip install -e '.[bench]')")
    else:
        theirs = rate(
            lambda html: bare_extraction(html.decode("utf-8", "replace"), with_metadata=True),
            pages,
            1,
        )
        print(f"trafilatura          : {theirs:8.1f} pages/s")
        print(f"extraction speed-up  : {ours / theirs:8.1f}x trafilatura (target >= 10x)")

    import dateparser

    strings = date_strings(root)
    unique = sorted(set(strings))
    ours_d = rate(parse_datetime, strings, args.rounds)
    theirs_d = rate(lambda s: dateparser.parse(s, languages=["id"]), strings, 1)
    print(f"date strings         : {len(strings)} ({len(unique)} distinct)")
    print(f"parse_datetime       : {ours_d:10.0f} strings/s")
    print(f"dateparser.parse     : {theirs_d:10.0f} strings/s")
    print(f"normaliser speed-up  : {ours_d / theirs_d:10.1f}x dateparser (target >= 100x)")

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


if __name__ == "__main__":
    main()
