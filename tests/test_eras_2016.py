"""The real 2016 desktop article of ../shared/liputan6/eras/, parsed whole and with its
structured data removed.

Expected values are read off the page by hand (ERAS.md section 2): the 2016 template has
single-underscore classes (read-page--header__title, read-page__content-body), JSON-LD with
UTC dates, a `window.info` data layer instead of `window.kmklabs`, and the sub-channel only
in the breadcrumb, window.info and gtm.pageTitle.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

import pytest

from newscrawl.site.extraction import (
    SOURCE_KINDS,
    Extracted,
    extract_article_pages,
    without_structured_data,
)
from tests.helpers import shared_liputan6

PAGE = "article_desktop_tekno_2436773_2016-02-16.html"
URL = "https://www.liputan6.com/tekno/read/2436773/tri-indonesia-broadband-dorong-ekosistem-digital-dalam-negeri"


def page_html() -> str:
    """The saved page; skips the test when the shared folder is absent."""
    path = shared_liputan6() / "eras" / PAGE
    if not path.is_file():
        pytest.skip(
            f"{PAGE}: the 2016 page of shared liputan6/eras not found at {path.parent} "
            "(set NEWSCRAWL_SHARED_DIR to the folder that holds liputan6/)"
        )
    return path.read_text(encoding="utf-8")


@cache
def _parsed(stripped: bool) -> Extracted:
    html = page_html()
    return extract_article_pages(without_structured_data(html) if stripped else html)


def parsed(stripped: bool) -> Extracted:
    """The page parsed whole, or without JSON-LD, meta tags and data layer."""
    page_html()  # skip before the cache remembers anything
    return _parsed(stripped)


# The same on the whole page and on the visible markup alone.
COMMON = {
    "article_id": "2436773",
    # og:url and canonical are http://tekno.liputan6.com/read/2436773/…
    "url": URL,
    "title": "Tri Indonesia: Broadband Dorong Ekosistem Digital Dalam Negeri",
    "type": "text",
    # JSON-LD says 02:10:56Z; the header's <time datetime="2016-02-16 09:10:56"> is WIB.
    "published_at": datetime(2016, 2, 16, 2, 10, 56, tzinfo=UTC),
    "authors": ["Corry Anestia"],
    "editors": ["Iskandar"],  # the credits box: Author Corry Anestia, Editor Iskandar
    "credits": [],
    "byline_raw": "Corry Anestia",
    "section": "tekno",
    "subsection": "telko",  # breadcrumb Home › Tekno › Telko (/kategori/telko)
    "tags": ["Media Visit", "Hutchison 3 Indonesia"],  # page order
    "dateline": "Jakarta",
    "page_count": 1,
    # The lead photo: a one-figure read-page--photo-gallery under the header.
    "image_caption": "(tengah kiri-kanan) Direktur ICGR Tri Indonesia, Chandra Hawan; Chief Sales"
    " & Marketing Officer Tri Indonesia, Dolly Susanto; dan Muhammad Buldansyah, Wakil Presiden"
    " Direktur Tri Indonesia, saat berkunjung ke kantor Liputan6.com di Jakarta, Jumat (12/2).",
}
WHOLE = {
    **COMMON,
    "published_at_raw": "2016-02-16T02:10:56Z",
    "published_at_source": "jsonld",
    "updated_at": datetime(2016, 2, 16, 4, 13, 59, tzinfo=UTC),
    "summary": "Wakil Presiden Direktur Tri Indonesia optimistis ekosistem digital di Indonesia"
    " akan tumbuh seiring semakin banyaknya ketersediaan broadband",
}
STRIPPED = {
    **COMMON,
    "published_at_raw": "2016-02-16 09:10:56",
    "published_at_source": "time-attr",
    "updated_at": None,  # only JSON-LD has dateModified
    "summary": None,
    "image_url": "http://cdn1-a.production.liputan6.static6.com/medias/1142370/original/"
    "084785500_1455527995-IMG_20160212_153944.jpg",
}
CASES = [(False, k, v) for k, v in WHOLE.items()] + [(True, k, v) for k, v in STRIPPED.items()]


@pytest.mark.parametrize(
    ("stripped", "field", "expected"),
    CASES,
    ids=[f"{'stripped' if s else 'whole'}-{f}" for s, f, _ in CASES],
)
def test_field(stripped, field, expected):
    assert getattr(parsed(stripped).article, field) == expected


FIRST = (
    "Indonesia memasuki fase dinamis akan pertumbuhan ekosistem digital. Mulai dari kehadiran"
    " banyak layanan digital hingga aplikasi besutan dalam negeri. Belum lagi perakitan handset"
    " pasca penerapan Tingkat Aturan Dalam Negeri (TKDN)."
)
LAST = (
    "Hingga saat ini, operator seluler yang sudah merilis menggelar jaringan dan merilis layanan"
    " 4G antara lain Telkomsel, XL Axiata, Indosat Ooredoo, dan Smartfren."
)
NOISE = (
    "Baca Juga",
    "Telkomsel Targetkan",  # a Baca Juga link
    "Liputan6.com, Jakarta",  # the dateline
    "(Cas/Isk)",  # the reporter code
    "tengah kiri-kanan",  # the lead photo's caption
    "googletag",
    "Shares",
    "Rate artikel",
    "Credits",
)


@pytest.mark.parametrize("stripped", [False, True], ids=["whole", "stripped"])
def test_body(stripped):
    article = parsed(stripped).article
    parts = article.body.split("\n\n")
    # Two <p> of five and seven paragraphs apart by <br><br>; "Layanan 4G" is a subheading
    # whose breaks sit inside its <strong>.
    assert len(parts) == 12
    assert parts[0] == FIRST
    assert parts[7] == "Layanan 4G"
    assert parts[-1] == LAST
    assert all(p == p.strip() and "  " not in p and "\n" not in p for p in parts)
    for noise in NOISE:
        assert noise not in article.body, noise
    assert article.word_count == len(article.body.split())


def test_sources_whole_page_structured_first():
    sources = parsed(False).sources
    for field in ("title", "published_at", "updated_at", "summary"):
        assert SOURCE_KINDS[sources[field]] == "structured", (field, sources)
    assert sources["subsection"] == "datalayer"  # window.info.category tekno/telko
    assert sources["body"] == sources["tags"] == "markup"


def test_sources_stripped_page_markup_only():
    sources = parsed(True).sources
    assert "structured" not in {SOURCE_KINDS[s] for s in sources.values()}, sources
    assert sources["published_at"] == "time-attr"
    assert sources["subsection"] == "markup"  # the breadcrumb


def test_structured_and_visible_dates_agree():
    assert parsed(False).article.published_at == parsed(True).article.published_at
