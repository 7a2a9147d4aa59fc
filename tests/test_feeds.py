"""Feeds (`scrapy crawl -O`) write articles as `newscrawl export` does: Z times, JSON lists,
CSV lists joined with "; " and the Article columns in schema order."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from scrapy.settings import Settings
from scrapy.utils.misc import load_object

from newscrawl import cli
from newscrawl.exporters import CsvExporter, JsonExporter, JsonLinesExporter
from newscrawl.items import ARTICLE_FIELDS, Article
from newscrawl.normalize.dates import WIB
from newscrawl.site.extraction import extract_article
from newscrawl.spiders.options import today_wib
from newscrawl.store.base import article_document
from newscrawl.store.sqlite import SQLiteStore
from tests.helpers import FIXTURES, REPO, crawl_command
from tests.site import LocalSite, make_articles

PAGES = ("desktop_text_multipage.html", "desktop_photo_gallery.html", "desktop_video.html")


def articles() -> list[Article]:
    """Articles parsed from saved pages, plus one with WIB times and empty lists."""
    parsed = [extract_article((FIXTURES / name).read_bytes()) for name in PAGES]
    by_hand = Article(
        article_id="4999999",
        url="https://www.liputan6.com/news/read/4999999/uji",
        title="Uji",
        type="text",
        published_at=datetime(2020, 5, 27, 23, 34, 41, tzinfo=WIB),
        updated_at=datetime(2020, 5, 28, 8, 0, tzinfo=WIB),
        authors=["Satu"],
        body="Isi.",
        word_count=1,
    )
    return [*parsed, by_hand]


def feed(exporter_cls, items, **options) -> str:
    """What one exporter writes for items, as Scrapy's feed export drives it."""
    out = io.BytesIO()
    exporter = exporter_cls(out, encoding="utf-8", **options)
    exporter.start_exporting()
    for item in items:
        exporter.export_item(item)
    exporter.finish_exporting()
    return out.getvalue().decode("utf-8")


def exported(archive: Path, fmt: str, tmp_path: Path) -> dict[str, dict]:
    """The rows `newscrawl export --format fmt` writes for the archive, by article_id."""
    out = tmp_path / f"export.{fmt}"
    assert cli.main(["export", "--format", fmt, "--sqlite-path", str(archive), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    return by_id(csv_rows(text) if fmt == "csv" else map(json.loads, text.splitlines()))


def store(items, tmp_path: Path) -> Path:
    """An SQLite archive in tmp_path holding items."""
    path = tmp_path / "archive.sqlite3"
    archive = SQLiteStore(path)
    archive.open()
    archive.write_articles(
        [article_document(a) for a in items], run_id="test", now=datetime.now(UTC)
    )
    archive.close()
    return path


def by_id(rows) -> dict[str, dict]:
    """Rows keyed by article_id, only the Article fields."""
    return {row["article_id"]: {k: row[k] for k in ARTICLE_FIELDS} for row in rows}


def csv_rows(text: str) -> list[dict]:
    """CSV text as dicts (header first)."""
    return list(csv.DictReader(io.StringIO(text, newline="")))


def assert_same_fields(feed_rows: dict, export_rows: dict) -> None:
    """Every article and every field the same in both, one field at a time."""
    assert feed_rows.keys() == export_rows.keys()
    for article_id, row in feed_rows.items():
        for name in ARTICLE_FIELDS:
            assert row[name] == export_rows[article_id][name], (article_id, name)


@pytest.fixture
def archive(tmp_path) -> Path:
    """The test articles stored where `newscrawl export` reads them."""
    return store(articles(), tmp_path)


def test_jsonl_feed_writes_what_export_writes(archive, tmp_path):
    lines = feed(JsonLinesExporter, articles()).splitlines()
    rows = by_id(json.loads(line) for line in lines)
    assert_same_fields(rows, exported(archive, "jsonl", tmp_path))
    assert rows["4999999"]["published_at"] == "2020-05-27T16:34:41Z"
    assert rows["4268345"]["authors"] == ["Rina Wulandari", "Bayu Saputra", "Dewi Anggraini"]


def test_json_feed_writes_what_export_writes(archive, tmp_path):
    rows = by_id(json.loads(feed(JsonExporter, articles())))
    assert_same_fields(rows, exported(archive, "jsonl", tmp_path))
    assert rows["4999999"]["updated_at"] == "2020-05-28T01:00:00Z"
    assert rows["4999999"]["tags"] == []


def test_csv_feed_writes_what_export_writes(archive, tmp_path):
    text = feed(CsvExporter, articles())
    assert text.splitlines()[0].split(",") == list(ARTICLE_FIELDS)
    rows = by_id(csv_rows(text))
    assert_same_fields(rows, exported(archive, "csv", tmp_path))
    assert rows["4999999"]["published_at"] == "2020-05-27T16:34:41Z"
    assert rows["4268345"]["authors"] == "Rina Wulandari; Bayu Saputra; Dewi Anggraini"
    assert rows["4999999"]["tags"] == ""


def test_csv_columns_are_the_schema_whatever_item_comes_first():
    first = {"title": "Judul", "article_id": "1", "tags": ["a", "b"]}
    rows = csv_rows(feed(CsvExporter, [first, articles()[0]]))
    assert list(rows[0]) == list(ARTICLE_FIELDS)
    assert (rows[0]["article_id"], rows[0]["tags"], rows[0]["body"]) == ("1", "a; b", "")
    assert rows[1]["body"] == articles()[0].body


def test_csv_feed_keeps_feed_export_fields_when_given():
    text = feed(CsvExporter, articles()[:1], fields_to_export=["article_id", "tags"])
    assert csv_rows(text) == [
        {"article_id": "4268345", "tags": "Banjir Rob; Muara Angke; Pemprov DKI"}
    ]


@pytest.mark.parametrize(
    ("fmt", "exporter"),
    [
        ("jsonlines", JsonLinesExporter),
        ("jsonl", JsonLinesExporter),
        ("jl", JsonLinesExporter),
        ("json", JsonExporter),
        ("csv", CsvExporter),
    ],
)
def test_project_settings_register_the_exporters(fmt, exporter):
    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    assert load_object(settings.getwithbase("FEED_EXPORTERS")[fmt]) is exporter


def test_crawl_feeds_match_export(tmp_path):
    site_articles = make_articles(
        4, start_day=today_wib() - timedelta(days=1), days=1, channels=("news",), seed=5
    )
    with LocalSite(site_articles) as site:
        cmd, env = crawl_command(site, tmp_path, "channels=news")
        cmd += ["-O", str(tmp_path / "out.jsonl"), "-O", str(tmp_path / "out.csv")]
        done = subprocess.run(
            cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=60, check=False
        )
        assert done.returncode == 0, done.stderr[-3000:]

    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    jsonl = by_id(map(json.loads, lines))
    table = csv_rows((tmp_path / "out.csv").read_text(encoding="utf-8"))
    assert list(table[0]) == list(ARTICLE_FIELDS)
    rows = by_id(table)
    assert jsonl.keys() == rows.keys() == {a.article_id for a in site_articles}
    for a in site_articles:
        published = a.published.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert jsonl[a.article_id]["published_at"] == published
        assert rows[a.article_id]["published_at"] == published
        assert jsonl[a.article_id]["authors"] == a.authors
        assert jsonl[a.article_id]["tags"] == a.tags
        assert rows[a.article_id]["authors"] == "; ".join(a.authors)
        assert rows[a.article_id]["tags"] == "; ".join(a.tags)

    archive = tmp_path / "archive.sqlite3"
    assert_same_fields(jsonl, exported(archive, "jsonl", tmp_path))
    assert_same_fields(rows, exported(archive, "csv", tmp_path))
