"""extract_article on hand-written pages in the 2015 and 2016 templates (tests/fixtures/era*).

Each fixture's comment says what is copied from a real page and what is a guess.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from newscrawl.site.extraction import (
    SOURCE_KINDS,
    NotAnArticle,
    extract_article,
    extract_article_pages,
    without_structured_data,
)
from tests.helpers import FIXTURES

TEXT_2016 = "era2016_text.html"
PHOTO_2016 = "era2016_photo.html"
TEXT_2015 = "era2015_text.html"
URL_2015 = (
    "https://www.liputan6.com/news/read/2253901/pemerintah-beri-tenggat-dua-pekan-penyerahan-aset"
)
PHOTO_URL = "http://photo.liputan6.com/jakarta/banjir-rendam-kampung-pulo-2441234"


def html_of(name: str) -> str:
    """A fixture's text."""
    return (FIXTURES / name).read_text(encoding="utf-8")


TEXT_2016_FIELDS = {
    "article_id": "2450112",
    "url": "https://www.liputan6.com/news/read/2450112/gempa-guncang-padang-warga-berhamburan-keluar-rumah",
    "title": "Gempa Guncang Padang, Warga Berhamburan Keluar Rumah",
    "type": "text",
    "published_at": datetime(2016, 3, 2, 0, 5, 10, tzinfo=UTC),
    "authors": ["Rina Maharani"],
    "editors": ["Hanz Jimenez"],
    "byline_raw": "Rina Maharani",
    "section": "news",
    "subsection": "daerah",  # gtm.pageTitle "news - daerah - …" and the breadcrumb
    "tags": ["Gempa Padang", "BMKG"],
    "dateline": "Padang",
    "body": "Gempa berkekuatan 5,8 SR mengguncang Padang, Sumatera Barat, Rabu (2/3/2016) pagi."
    "\n\nWarga yang panik berhamburan keluar rumah."
    "\n\nTidak Berpotensi Tsunami"
    "\n\nBMKG menyatakan gempa tidak berpotensi tsunami."
    '\n\n"Kami masih mendata kerusakan," kata Kepala BPBD Sumbar.',
}


@pytest.mark.parametrize("stripped", [False, True], ids=["whole", "stripped"])
@pytest.mark.parametrize(("field", "expected"), TEXT_2016_FIELDS.items())
def test_2016_text(stripped, field, expected):
    html = html_of(TEXT_2016)
    article = extract_article(without_structured_data(html) if stripped else html)
    assert getattr(article, field) == expected


def test_2016_text_sources():
    whole = extract_article_pages(html_of(TEXT_2016)).sources
    assert (whole["published_at"], whole["subsection"]) == ("jsonld", "datalayer")
    bare = extract_article_pages(without_structured_data(html_of(TEXT_2016))).sources
    assert (bare["published_at"], bare["subsection"]) == ("time-attr", "markup")
    assert "structured" not in {SOURCE_KINDS[s] for s in bare.values()}


TEXT_2015_FIELDS = {
    "article_id": "2253901",
    "url": URL_2015,
    "title": "Pemerintah Beri Tenggat Dua Pekan Penyerahan Aset",
    "type": "text",
    "published_at": datetime(2015, 6, 17, 23, 25, tzinfo=UTC),
    "published_at_raw": "By Merdi Sofansyah on 18 Jun 2015 at 06:25 WIB",
    "published_at_source": "visible-text",
    "authors": ["Merdi Sofansyah"],  # the by-author line wins over the reporter code
    "byline_raw": "By Merdi Sofansyah on 18 Jun 2015 at 06:25 WIB",
    "section": "news",
    "subsection": None,  # the page names none
    "tags": ["MSAA", "BLBI"],
    "dateline": "Jakarta",  # "Liputan6.com, Jakarta:"
    "body": "Pemerintah masih memberikan waktu dua minggu lagi kepada konglomerat penandatangan"
    " perjanjian pengembalian bantuan likuiditas untuk menyerahkan jaminan pribadi serta aset."
    "\n\nJika mangkir, mereka bakal dihukum."
    "\n\nSelain itu, para pengutang tersebut diwajibkan memberikan jaminan pribadinya.",
}


@pytest.mark.parametrize(("field", "expected"), TEXT_2015_FIELDS.items())
def test_2015_text(field, expected):
    # Sidebar list markup and no structured data: an article by its header and canonical link.
    assert getattr(extract_article(html_of(TEXT_2015)), field) == expected


def test_2015_without_canonical_needs_the_fetched_url():
    html = html_of(TEXT_2015).replace('<link rel="canonical"', '<link rel="x"')
    assert extract_article(html, url=URL_2015).article_id == "2253901"
    with pytest.raises(NotAnArticle) as refused:
        extract_article(html)
    assert refused.value.reason == "list page"  # nothing says which article it is


def test_2015_reporter_code_names_the_writers_when_nothing_else_does():
    html = html_of(TEXT_2015)
    start = html.index('<div class="by-author">')
    html = html[:start] + html[html.index("</div>", start) + 6 :]
    article = extract_article(html)
    assert article.authors == ["Merdi Sofansyah", "Anto Susanto"]
    assert article.byline_raw == "(TNA/Merdi Sofansyah dan Anto Susanto)"
    assert "TNA" not in article.body
    assert article.published_at is None  # the by-author line held the only date


def test_2016_photo_gallery_with_a_read_url():
    # The gallery's own URL form needs the hosts branch; the /read/ form checks the rest.
    html = html_of(PHOTO_2016).replace(
        PHOTO_URL, "http://photo.liputan6.com/read/2441234/banjir-rendam-kampung-pulo"
    )
    article = extract_article(html)
    assert article.article_id == "2441234"
    assert article.type == "photo"  # data-cache-key "…PhotoGallery#2441234…"
    assert article.title == "Banjir Rendam Kampung Pulo"
    assert article.published_at == datetime(2016, 2, 22, 3, 30, tzinfo=UTC)
    assert article.subsection == "jakarta"
    assert article.tags == ["Banjir Jakarta", "Kampung Pulo"]
    assert article.body.split("\n\n") == [
        "Banjir kembali merendam permukiman warga Kampung Pulo, Jakarta Timur, Senin (22/2/2016).",
        "Warga menyelamatkan barang dari rumah yang terendam. (Liputan6.com/Helmi Fithriansyah)",
        "Petugas mengevakuasi lansia dengan perahu karet. (Liputan6.com/Helmi Fithriansyah)",
    ]


@pytest.mark.parametrize("stripped", [False, True], ids=["whole", "stripped"])
def test_2016_photo_gallery_url_form(stripped):
    html = html_of(PHOTO_2016)
    article = extract_article(without_structured_data(html) if stripped else html, url=PHOTO_URL)
    assert article.article_id == "2441234"
    assert article.type == "photo"
    assert article.title == "Banjir Rendam Kampung Pulo"
    assert article.published_at == datetime(2016, 2, 22, 3, 30, tzinfo=UTC)
    assert article.subsection == "jakarta"
    assert article.tags == ["Banjir Jakarta", "Kampung Pulo"]
    assert len(article.body.split("\n\n")) == 3


def test_2016_gallery_url_alone_names_type_and_sub_channel():
    """Without the cache key or any structured data, the gallery's own URL
    (photo.liputan6.com/{sub}/{slug}-{ID}) still says it is a photo gallery of {sub}."""
    html = re.sub(r'data-cache-key="[^"]*"', "", without_structured_data(html_of(PHOTO_2016)))
    html = re.sub(r'<ul class="read-page--breadcrumb">.*?</ul>', "", html, flags=re.S)
    article = extract_article(html, url=PHOTO_URL)
    assert (article.type, article.subsection) == ("photo", "jakarta")


def test_2016_gallery_without_a_text_block_is_its_captions():
    """A gallery page whose only text is in its figures (no read-page__content-body)."""
    html = re.sub(
        r'<div class="read-page__content-body text-detail">.*?</div>', "", html_of(PHOTO_2016)
    )
    article = extract_article(html, url=PHOTO_URL)
    assert article.type == "photo"
    assert article.body.split("\n\n") == [
        "Warga menyelamatkan barang dari rumah yang terendam. (Liputan6.com/Helmi Fithriansyah)",
        "Petugas mengevakuasi lansia dengan perahu karet. (Liputan6.com/Helmi Fithriansyah)",
    ]
