"""The demo's small site (newscrawl/demo_site.py): its pages are read by the project's own
navigation and extraction, so `newscrawl demo` stores every article it serves."""

from __future__ import annotations

import urllib.request
from datetime import date

from newscrawl import demo_site
from newscrawl.demo_site import DemoSite, make_articles, render_article
from newscrawl.site.extraction import extract_article
from newscrawl.site.navigation import read_index
from tests.helpers import REPO

DAY = date(2026, 1, 5)


def test_an_article_page_is_extracted_whole():
    (a,) = make_articles(1, start_day=DAY, days=1, channels=("bisnis",), seed=7)
    art = extract_article(render_article(a).encode("utf-8"))
    assert (art.article_id, art.url, art.title, art.section) == (
        a.article_id,
        a.url,
        a.title,
        "bisnis",
    )
    assert art.published_at == a.published
    assert art.authors == list(a.authors)
    assert art.editors == [a.editor]
    assert art.tags == list(a.tags)
    assert art.summary == a.summary
    lead = a.paragraphs[0].removeprefix("Liputan6.com, Jakarta - ")
    assert art.dateline == "Jakarta"
    assert art.body == "\n\n".join((lead, *a.paragraphs[1:]))


def test_the_archive_lists_a_channel_day_newest_first_in_pages_over_http():
    articles = make_articles(30, start_day=DAY, days=2, channels=("news", "bola"), seed=1)
    expected = sorted(
        (a for a in articles if a.channel == "news" and a.published.date() == DAY),
        key=lambda a: a.published,
        reverse=True,
    )
    with DemoSite(articles, per_page=4) as site:
        listed, page = [], 1
        while True:
            url = f"{site.base_url}/news/indeks/2026/01/05" + (f"?page={page}" if page > 1 else "")
            with urllib.request.urlopen(url, timeout=10) as resp:
                listing = read_index(resp.read().decode("utf-8"), url)
            assert listing.layout == "theme-2025"
            if not listing.items:
                break
            listed += [item.article_id for item in listing.items]
            page += 1
        with urllib.request.urlopen(f"{site.base_url}/robots.txt", timeout=10) as resp:
            assert b"User-agent: *" in resp.read()
    assert listed == [a.article_id for a in expected]
    assert page == -(-len(expected) // 4) + 1


def test_the_demo_site_ships_without_the_tests_fake_site():
    """The package never imports the tests' site: an installed wheel has no tests/."""
    for path in (REPO / "newscrawl").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "from tests" not in text and "import tests" not in text, path
    assert demo_site.__file__.startswith(str(REPO / "newscrawl"))
