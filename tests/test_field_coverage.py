"""Field coverage: the counts per field and source kind, the table, and the verdict's floor
rule (with its minimum sample) and structured-data warning."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from newscrawl.extensions.coverage import (
    ARTICLES,
    FieldCoverage,
    coverage_table,
    field_shares,
)
from newscrawl.extensions.verdict import (
    RunVerdict,
    failure_reasons,
    field_floors,
    run_warnings,
    structured_data_dropped,
)
from newscrawl.items import Article
from newscrawl.signals import article_extracted
from newscrawl.site.extraction import SOURCED_FIELDS
from newscrawl.spiders.options import today_wib
from tests.helpers import crawl, field_stats, lose_authors_and_dates, open_archive
from tests.site import LocalSite, make_articles

VALUES = {
    "NEWSCRAWL_FIELD_FLOORS": {"authors": 0.5, "published_at": 0.95, "body": 0.9},
    "NEWSCRAWL_FIELD_FLOOR_MIN_ARTICLES": 20,
    "NEWSCRAWL_FIELD_STRUCTURED": {"title": 0.5, "authors": 0.5},
}
SETTINGS = Settings(VALUES)
HEALTHY = {
    "title": "jsonld",
    "published_at": "jsonld",
    "authors": "datalayer",
    "section": "datalayer",
    "tags": "markup",
    "body": "markup",
}


def stats_of(*groups: tuple[int, dict[str, str]]) -> dict:
    """The stats a crawl counts for (how many articles, their sources) groups."""
    crawler = get_crawler()
    crawler.stats.open_spider()
    coverage = FieldCoverage.from_crawler(crawler)
    for count, sources in groups:
        for _ in range(count):
            coverage.article_extracted(Article(), sources)
    return crawler.stats.get_stats()


def test_each_article_counts_every_field_once_by_source_kind():
    stats = stats_of((3, HEALTHY), (1, {**HEALTHY, "authors": "markup", "section": "url"}))
    assert stats[ARTICLES] == 4
    assert stats["newscrawl/fields/title/structured"] == 4
    assert stats["newscrawl/fields/authors/structured"] == 3
    assert stats["newscrawl/fields/authors/markup"] == 1
    assert stats["newscrawl/fields/section/url"] == 1
    assert stats["newscrawl/fields/summary/missing"] == 4
    for name in SOURCED_FIELDS:
        counted = [k for k in stats if k.startswith(f"newscrawl/fields/{name}/")]
        assert sum(stats[k] for k in counted) == 4, name


def test_the_article_extracted_signal_reaches_the_extension():
    crawler = get_crawler()
    crawler.stats.open_spider()
    coverage = FieldCoverage.from_crawler(crawler)  # signals hold handlers weakly
    crawler.signals.send_catch_log(article_extracted, article=Article(), sources=HEALTHY)
    assert coverage.crawler is crawler
    assert crawler.stats.get_value(ARTICLES) == 1
    assert crawler.stats.get_value("newscrawl/fields/body/markup") == 1


def test_the_extension_is_enabled_in_the_project_settings():
    settings = Settings()
    settings.setmodule("newscrawl.settings")
    assert "newscrawl.extensions.coverage.FieldCoverage" in settings.getdict("EXTENSIONS")


# (name, groups of (articles, sources), expected reason starts, expected warning starts)
CASES = [
    ("healthy run", [(40, HEALTHY)], [], []),
    (
        "authors lost",
        [(30, {k: v for k, v in HEALTHY.items() if k != "authors"}), (10, HEALTHY)],
        ["field coverage below NEWSCRAWL_FIELD_FLOORS: authors in 10/40 articles (25%), floor 50%"],
        [],
    ),
    (
        "authors and dates lost, both named",
        [(25, {k: v for k, v in HEALTHY.items() if k not in ("authors", "published_at")})],
        [
            "field coverage below NEWSCRAWL_FIELD_FLOORS: published_at in 0/25 articles (0%), "
            "floor 95%; authors in 0/25 articles (0%), floor 50%"
        ],
        [],
    ),
    ("at the floor is enough", [(10, {**HEALTHY, "authors": ""}), (10, HEALTHY)], [], []),
    (
        "too few articles to judge",
        [(19, {"body": "markup"})],
        [],
        [],
    ),
    (
        "structured data dropped: a warning, not a failure",
        [(30, {**HEALTHY, "title": "markup", "authors": "markup"}), (10, HEALTHY)],
        [],
        [
            "fields no longer from structured data (NEWSCRAWL_FIELD_STRUCTURED): title from "
            "structured data in 10/40 articles having it (25%), expected 50%; authors"
        ],
    ),
    (
        "half from markup is still fine",
        [(20, {**HEALTHY, "title": "markup"}), (20, HEALTHY)],
        [],
        [],
    ),
]


@pytest.mark.parametrize(
    ("groups", "reasons", "warnings"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_floor_rule_and_structured_warning(groups, reasons, warnings):
    stats = stats_of(*groups)
    found = [r for r in failure_reasons(stats, SETTINGS, "finished") if r.startswith("field")]
    assert len(found) == len(reasons), found
    for text, start in zip(found, reasons, strict=True):
        assert text.startswith(start), text
    warned = run_warnings(stats, SETTINGS, "finished")
    assert len(warned) == len(warnings), warned
    for text, start in zip(warned, warnings, strict=True):
        assert text.startswith(start), text


def test_no_articles_no_judgement_and_no_table():
    assert field_floors({}, SETTINGS, "finished") is None
    assert structured_data_dropped({}, SETTINGS, "finished") is None
    assert field_shares({}) == []
    assert coverage_table({}, SETTINGS) == []


def test_the_minimum_sample_is_a_setting():
    stats = stats_of((5, {"body": "markup"}))
    assert field_floors(stats, SETTINGS, "finished") is None
    small = Settings({**VALUES, "NEWSCRAWL_FIELD_FLOOR_MIN_ARTICLES": 5})
    assert "published_at in 0/5" in field_floors(stats, small, "finished")


def test_floors_given_on_the_command_line_as_json():
    stats = stats_of((20, HEALTHY))
    settings = Settings()
    settings.setmodule("newscrawl.settings")
    settings.set("NEWSCRAWL_FIELD_FLOORS", '{"summary": 0.1}', priority="cmdline")
    assert "summary in 0/20 articles (0%), floor 10%" in field_floors(stats, settings, "finished")


def test_the_table_shows_shares_by_kind_floors_and_fields_below_them():
    stats = stats_of((30, {**HEALTHY, "authors": ""}), (10, {**HEALTHY, "authors": "markup"}))
    lines = coverage_table(stats, SETTINGS)
    assert lines[0] == "Field coverage of 40 articles:"
    assert lines[1].split() == ["field", "present", "struct", "markup", "url", "floor"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[2:]}
    assert list(rows) == list(SOURCED_FIELDS)
    assert rows["title"] == ["100%", "100%", "0%", "0%", "-"]
    assert rows["authors"] == ["25%", "0%", "25%", "0%", "50%", "BELOW", "FLOOR"]
    assert rows["body"] == ["100%", "0%", "100%", "0%", "90%"]
    few = coverage_table(stats_of((3, HEALTHY)), SETTINGS)
    assert few[0] == (
        "Field coverage of 3 articles (too few to judge: floors apply from "
        "NEWSCRAWL_FIELD_FLOOR_MIN_ARTICLES=20):"
    )
    assert not any("BELOW" in line for line in few)


def test_the_verdict_keeps_warnings_apart_from_reasons():
    crawler = get_crawler(settings_dict=VALUES)
    crawler.stats.open_spider()
    for key, value in stats_of((40, {**HEALTHY, "title": "markup"})).items():
        crawler.stats.set_value(key, value)
    verdict = RunVerdict(crawler)
    assert verdict.decide("finished") == []
    assert verdict.exit_status == 0
    assert [w.split(":")[0] for w in verdict.warnings] == [
        "fields no longer from structured data (NEWSCRAWL_FIELD_STRUCTURED)"
    ]


# ---- real crawls of the local site ---------------------------------------------------------


def latest_articles(count: int = 40):
    return make_articles(
        count, start_day=today_wib() - timedelta(days=2), days=2, channels=("news", "bisnis")
    )


def test_a_crawl_counts_every_field_and_prints_the_table(tmp_path):
    articles = latest_articles()
    with LocalSite(articles) as site:
        done = crawl(site, tmp_path, "channels=news,bisnis")
    assert done.returncode == 0, done.stderr[-3000:]
    stats = field_stats(done.stderr)
    assert stats["newscrawl/fields/articles"] == len(articles)
    assert stats["newscrawl/fields/title/structured"] == len(articles)
    assert stats["newscrawl/fields/authors/structured"] == len(articles)
    assert stats["newscrawl/fields/body/markup"] == len(articles)
    assert stats["newscrawl/fields/tags/markup"] == len(articles)
    with_modified = sum(1 for a in articles if a.modified)
    assert stats["newscrawl/fields/updated_at/structured"] == with_modified
    assert stats.get("newscrawl/fields/updated_at/missing", 0) == len(articles) - with_modified
    assert f"Field coverage of {len(articles)} articles:" in done.stderr
    assert re.search(r"\n  title +100% +100% +0% +0% +95%\n", done.stderr), done.stderr[-3000:]
    assert re.search(r"\n  body +100% +0% +100% +0% +90%\n", done.stderr)
    assert "BELOW FLOOR" not in done.stderr
    assert "Run warning" not in done.stderr
    store = open_archive(tmp_path)
    (run,) = store.runs()
    store.close()
    assert run["status"] == "finished"
    assert run["counts"]["fields"]["articles"] == len(articles)
    assert run["counts"]["warnings"] == []


def test_a_site_that_lost_its_bylines_and_dates_fails_the_run_on_the_floors(tmp_path):
    articles = latest_articles()
    with LocalSite(articles, rewrite=lose_authors_and_dates) as site:
        done = crawl(site, tmp_path, "channels=news,bisnis")
    assert done.returncode == 1, done.stderr[-3000:]
    floors = (
        "newscrawl: run failed: field coverage below NEWSCRAWL_FIELD_FLOORS: "
        f"published_at in 0/{len(articles)} articles (0%), floor 95%; authors in "
        f"0/{len(articles)} articles (0%), floor 50%; summary in 0/{len(articles)} articles "
        "(0%), floor 80%"
    )
    assert floors in done.stderr
    # What is left comes from the markup and the URL: the canary says so, too.
    assert "newscrawl: warning: fields no longer from structured data" in done.stderr
    assert re.search(r"\n  authors +0% +0% +0% +0% +50%  BELOW FLOOR\n", done.stderr)
    assert re.search(r"\n  section +100% +0% +0% +100% +95%\n", done.stderr)
    store = open_archive(tmp_path)
    (run,) = store.runs()
    store.close()
    assert run["status"] == "failed"
    assert floors.removeprefix("newscrawl: run failed: ") in run["counts"]["failure_reasons"]
    assert run["counts"]["warnings"][0].startswith("fields no longer from structured data")
