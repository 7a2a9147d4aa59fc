"""Field coverage of a crawl: per field, how many extracted articles had it, and from which
kind of source (structured data, visible markup, the URL).

A redesign shows up here first: a field goes missing (NEWSCRAWL_FIELD_FLOORS, a failing rule
of the verdict), or moves from structured data to the markup (NEWSCRAWL_FIELD_STRUCTURED, a
warning: the canary that the page stopped stating it for machines). The pure functions below
read a crawl's stats; the verdict's rules and the end-of-run table both use them.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import NamedTuple

from scrapy import signals

from newscrawl.signals import article_extracted
from newscrawl.site.extraction import SOURCE_KINDS, SOURCED_FIELDS
from newscrawl.stats import FIELD_ARTICLES, FIELDS

logger = logging.getLogger(__name__)

ARTICLES = FIELD_ARTICLES
KINDS = ("structured", "markup", "url")
MISSING = "missing"


class FieldShare(NamedTuple):
    """How one field fared over a run's extracted articles."""

    field: str
    articles: int
    present: int
    kinds: dict[str, int]
    """{kind: articles that got the field from a source of that kind}"""

    @property
    def share(self) -> float:
        """Share of the articles that had the field (0 when there were none)."""
        return self.present / self.articles if self.articles else 0.0

    def kind_share(self, kind: str) -> float:
        """Share of the articles having the field that got it from this kind of source."""
        return self.kinds.get(kind, 0) / self.present if self.present else 0.0


def source_kind(sources: Mapping[str, str], name: str) -> str | None:
    """The kind of source a field came from (structured, markup, url), None when not found."""
    label = sources.get(name)
    # A label extraction added without a kind is still a value found: counted as markup.
    return SOURCE_KINDS.get(label, "markup") if label else None


def count_article(stats, sources: Mapping[str, str]) -> None:
    """Count one extracted article: per sourced field, the kind of its source or missing."""
    stats.inc_value(ARTICLES)
    for name in SOURCED_FIELDS:
        stats.inc_value(f"{FIELDS}/{name}/{source_kind(sources, name) or MISSING}")


def field_shares(stats: Mapping[str, int]) -> list[FieldShare]:
    """Every sourced field's coverage, from a stats dict (empty: no article was extracted)."""
    articles = stats.get(ARTICLES, 0)
    if not articles:
        return []
    shares = []
    for name in SOURCED_FIELDS:
        kinds = {kind: n for kind in KINDS if (n := stats.get(f"{FIELDS}/{name}/{kind}", 0))}
        shares.append(FieldShare(name, articles, sum(kinds.values()), kinds))
    return shares


def min_articles(settings) -> int:
    """Below this many extracted articles, coverage is shown but not judged."""
    return settings.getint("NEWSCRAWL_FIELD_FLOOR_MIN_ARTICLES", 20)


def judged(stats: Mapping[str, int], settings) -> bool:
    """Whether the run extracted enough articles for its coverage to mean something."""
    return stats.get(ARTICLES, 0) >= max(1, min_articles(settings))


def below_floor(stats: Mapping[str, int], settings) -> list[tuple[FieldShare, float]]:
    """(field, its floor) for every field found in fewer articles than its floor says."""
    if not judged(stats, settings):
        return []
    floors = settings.getdict("NEWSCRAWL_FIELD_FLOORS")
    return [
        (share, float(floors[share.field]))
        for share in field_shares(stats)
        if share.field in floors and share.share < float(floors[share.field])
    ]


def structured_dropped(stats: Mapping[str, int], settings) -> list[tuple[FieldShare, float]]:
    """(field, its expected structured share) for every field that most articles still have,
    but fewer of them than expected got from structured data: the page stopped stating it."""
    if not judged(stats, settings):
        return []
    expected = settings.getdict("NEWSCRAWL_FIELD_STRUCTURED")
    return [
        (share, float(expected[share.field]))
        for share in field_shares(stats)
        if share.field in expected
        and share.present
        and share.kind_share("structured") < float(expected[share.field])
    ]


def coverage_table(stats: Mapping[str, int], settings) -> list[str]:
    """The end-of-run table: per field, % of articles that had it and % by source kind."""
    shares = field_shares(stats)
    if not shares:
        return []
    floors = settings.getdict("NEWSCRAWL_FIELD_FLOORS")
    low = {share.field for share, _ in below_floor(stats, settings)}
    articles = shares[0].articles
    lines = [
        f"Field coverage of {articles} articles"
        + (
            ""
            if judged(stats, settings)
            else f" (too few to judge: floors apply from "
            f"NEWSCRAWL_FIELD_FLOOR_MIN_ARTICLES={min_articles(settings)})"
        )
        + ":",
        f"  {'field':<14} {'present':>7} {'struct':>7} {'markup':>7} {'url':>7} {'floor':>6}",
    ]
    for share in shares:
        kinds = (f"{share.kinds.get(k, 0) / articles:>7.0%}" for k in KINDS)
        floor = floors.get(share.field)
        floor_text = f"{float(floor):>6.0%}" if floor is not None else f"{'-':>6}"
        mark = "  BELOW FLOOR" if share.field in low else ""
        lines.append(
            f"  {share.field:<14} {share.share:>7.0%} {' '.join(kinds)} {floor_text}{mark}"
        )
    return lines


class FieldCoverage:
    """Counts, per field of each extracted article, where its value came from; logs the
    table at the end. The verdict judges the counts (newscrawl.extensions.verdict)."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        coverage = cls(crawler)
        crawler.signals.connect(coverage.article_extracted, signal=article_extracted)
        crawler.signals.connect(coverage.spider_closed, signal=signals.spider_closed)
        return coverage

    def article_extracted(self, article, sources: Mapping[str, str]) -> None:
        count_article(self.crawler.stats, sources)

    def spider_closed(self, spider, reason) -> None:
        lines = coverage_table(self.crawler.stats.get_stats(), self.crawler.settings)
        if lines:
            logger.info("\n".join(lines))
