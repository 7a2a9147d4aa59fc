"""Checks over every article layout: a name of its own, documented, and saved pages it reads
(tests/fixtures/expected/); a page of markup no layout knows is read from its structured data
alone, or is no article."""

from __future__ import annotations

import json

import pytest

from newscrawl.site.extraction import NotAnArticle, extract_article
from newscrawl.site.layouts import FALLBACK, LAYOUT_NAMES, LAYOUTS, pick_layout
from newscrawl.site.layouts.pagedata import read_page
from tests.expected import EXPECTED
from tests.helpers import REPO

JSONLD = """<script type="application/ld+json">{"@type": "NewsArticle",
"headline": "Judul", "datePublished": "2020-05-27T23:34:41+07:00",
"mainEntityOfPage": "https://www.liputan6.com/news/read/4264701/judul"}</script>"""


def test_every_layout_has_a_name_of_its_own():
    assert len(set(LAYOUT_NAMES)) == len(LAYOUT_NAMES) == len(LAYOUTS) + 1


@pytest.mark.parametrize("name", LAYOUT_NAMES)
def test_every_layout_is_documented_in_the_schema(name):
    schema = (REPO / "docs" / "schema.md").read_text(encoding="utf-8")
    (row,) = [line for line in schema.splitlines() if line.startswith("| `layout` |")]
    assert f"`{name}`" in row


def test_every_layout_reads_a_fixture_page():
    read = {
        json.loads(p.read_text(encoding="utf-8"))["whole"].get("article", {}).get("layout")
        for p in EXPECTED.glob("*.json")
    }
    assert {layout.name for layout in LAYOUTS} <= read


def test_markup_no_layout_knows_is_read_from_structured_data_alone():
    html = f"<html><head>{JSONLD}</head><body><div class='new-theme'>x</div></body></html>"
    assert type(pick_layout(read_page(html))) is FALLBACK
    article = extract_article(html)
    assert (article.layout, article.article_id, article.title) == (
        "structured-data",
        "4264701",
        "Judul",
    )


def test_markup_no_layout_knows_without_structured_data_is_no_article():
    html = "<html><head><title>x</title></head><body><h1 class='new-title'>x</h1></body></html>"
    with pytest.raises(NotAnArticle, match="no article markup"):
        extract_article(html, "https://www.liputan6.com/news/read/4264701/judul")
