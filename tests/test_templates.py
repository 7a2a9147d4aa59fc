"""Extraction of every Liputan6 template, on small pages written for these tests.

The fixtures tests/fixtures/template_*.html are our own, in Liputan6's markup: one per template
(desktop text with hidden pages, photo gallery, video, hot. subdomain, mobile, AMP, a page
with only visible dates) and the pages that are not articles. Expected values are what each
page says, written out by hand.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newscrawl.site.extraction import NotAnArticle, extract_article
from tests.helpers import FIXTURES


def parse(name: str, url: str | None = None):
    """The Article of one template fixture page ."""
    return extract_article((FIXTURES / name).read_bytes(), url=url)


EXPECTED = {
    "template_desktop_text_multipage.html": {
        "article_id": "5012345",
        "url": "https://www.liputan6.com/news/read/5012345/banjir-rob-rendam-pesisir-utara-jakarta",
        "type": "text",
        "title": "Banjir Rob Rendam Pesisir Utara Jakarta",
        "published_at": datetime(2022, 6, 21, 1, 15, 30, tzinfo=UTC),
        "published_at_raw": "2022-06-21T08:15:30+07:00",
        "published_at_source": "jsonld",
        "updated_at": datetime(2022, 6, 21, 2, 2, 11, tzinfo=UTC),
        "authors": ["Ika Defianti", "Muhammad Radityo Priyasmoro"],
        "editors": ["Nanda Perdana Putra"],
        "credits": [],
        "byline_raw": "Ika Defianti",
        "section": "news",
        "subsection": "peristiwa",
        "tags": ["BPBD DKI", "Banjir Rob", "Jakarta Utara"],
        "summary": "Banjir rob kembali merendam permukiman warga di pesisir utara Jakarta sejak Selasa pagi.",
        "dateline": "Jakarta",
        "page_count": 3,
        "image_caption": "Warga melintasi genangan rob di Muara Angke. (Liputan6.com/Herman Zakharia)",
    },
    "template_desktop_photo.html": {
        "article_id": "5230001",
        "type": "photo",
        "title": "FOTO: Pasar Takjil Benhil Ramai Pembeli",
        "published_at": datetime(2023, 3, 28, 10, 0, tzinfo=UTC),
        "published_at_source": "meta",
        "updated_at": datetime(2023, 3, 28, 9, 40, 12, tzinfo=UTC),  # earlier: kept as given
        "authors": [],  # a gallery has no writer
        "photographers": ["Faizal Fanani"],
        "editors": ["Johan Fatzry"],
        "section": "news",
        "subsection": None,
        "tags": ["Ramadan", "Takjil"],
        "dateline": None,
    },
    "template_desktop_video.html": {
        "article_id": "5240002",
        "type": "video",
        "authors": ["Dany Candra", "Raden Asmoro Katon"],
        "editors": ["Shintha Anggundini"],  # "Shintha.Anggundini" in the data layer
        "published_at": datetime(2023, 4, 18, 23, 0, tzinfo=UTC),
        "body": "Antrean kendaraan pemudik mengular di Tol Cikampek sejak dini hari.",
        "dateline": "Jakarta",
    },
    "template_hot_subdomain.html": {
        "article_id": "4281999",
        "url": "https://www.liputan6.com/hot/read/4281999/5-potret-artis-liburan-ke-bali",
        "section": "hot",
        "subsection": None,
        "authors": ["Putra Marenda"],
        "tags": ["Bali", "kabar selebriti"],
        # A listicle page with only an embed: its title is the content.
        "body": "Sejumlah artis menghabiskan liburan di Bali bersama keluarga.\n\n"
        "1. Liburan bersama keluarga di pantai.",
    },
    "template_mobile_article.html": {
        "article_id": "4500123",
        "url": "https://www.liputan6.com/bisnis/read/4500123/harga-cabai-naik-jelang-lebaran",
        "authors": ["Tira Santia"],
        "byline_raw": "Oleh Tira Santia",
        "section": "bisnis",
        "subsection": "ekonomi",
        "tags": ["Lebaran", "Harga Cabai"],
        "published_at": datetime(2021, 5, 10, 6, 30, tzinfo=UTC),
        "body": "Harga cabai rawit di pasar tradisional naik menjelang Lebaran.\n\n"
        "Pedagang menyebut pasokan dari daerah berkurang.\n\n"
        "Pasokan Berkurang\n\n"
        "Kementerian Perdagangan akan menggelar operasi pasar.",
        "page_count": 2,
    },
    "template_amp_article.html": {
        "article_id": "4358999",
        "url": "https://www.liputan6.com/cek-fakta/read/4358999/cek-fakta-tidak-benar-ada-razia-masker-massal",
        "authors": ["Adyaksa Vidi", "Anri Syaiful"],  # no data layer: the byline links
        "section": "cek-fakta",
        "tags": ["Cek Fakta", "Masker"],
        "summary": "Beredar kabar razia masker massal, faktanya tidak benar.",
        "image_url": "https://cdn1-production-images-kly.akamaized.net/y=/673x373/cek-fakta.jpg",
        "body": "Beredar kabar razia masker massal di media sosial.\n\n"
        "Penelusuran Fakta\n\n"
        "Tim Cek Fakta Liputan6.com tidak menemukan pengumuman resmi.",
    },
    "template_fallback_visible_dates.html": {
        "article_id": "5530160",
        "published_at": datetime(2024, 2, 17, 8, 30, tzinfo=UTC),
        "published_at_raw": "Diterbitkan 17 Feb 2024, 15:30 WIB",
        "published_at_source": "visible-text",
        "updated_at": None,
        "authors": ["Switzy Sabandar"],
        "section": "regional",
        "dateline": "Yogyakarta",
        "body": "Ratusan layang-layang menghiasi langit Pantai Parangtritis.",
    },
}

CASES = [(page, name, value) for page, fields in EXPECTED.items() for name, value in fields.items()]


@pytest.mark.parametrize(
    ("page", "field", "expected"), CASES, ids=[f"{p}:{f}" for p, f, _ in CASES]
)
def test_field(page, field, expected):
    assert getattr(parse(page), field) == expected


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_every_article_page_is_clean(page):
    article = parse(page)
    assert article.word_count == len(article.body.split())
    for noise in (
        "Baca Juga",
        "googletag",
        "Saksikan Video",
        "Video banjir rob",
        "Lihat postingan",
    ):
        assert noise not in article.body
    assert not article.body.startswith("Liputan6.com")
    assert article.published_at.tzinfo is UTC


def test_multipage_body_has_every_page_in_order():
    paragraphs = parse("template_desktop_text_multipage.html").body.split("\n\n")
    assert paragraphs == [
        "Banjir rob kembali merendam permukiman warga di pesisir utara Jakarta sejak Selasa pagi.",
        "Kepala Pelaksana BPBD DKI menyebut ketinggian air mencapai 40 sentimeter di beberapa titik.",
        "Warga diminta tetap waspada hingga akhir pekan.",
        "Tanggul Darurat",
        "Petugas memasang tanggul darurat dari karung pasir.",
        "Muara Angke",
        "Kamal Muara",
    ]


def test_photo_gallery_body_is_description_then_captions():
    assert parse("template_desktop_photo.html").body.split("\n\n") == [
        "Pasar takjil di Bendungan Hilir ramai pembeli menjelang berbuka puasa.",
        "Warga memilih takjil di Pasar Benhil, Jakarta, Selasa (28/3/2023). (Liputan6.com/Faizal Fanani)",
        "Pedagang kolak melayani pembeli. (Liputan6.com/Faizal Fanani)",
    ]


@pytest.mark.parametrize(
    "url",
    [
        None,
        "https://m.liputan6.com/news/read/5012345/banjir-rob-rendam-pesisir-utara-jakarta",
        "https://m.liputan6.com/amp/5012345/banjir-rob-rendam-pesisir-utara-jakarta",
        "http://127.0.0.1:8000/news/read/5012345/x?page=2",
        "https://www.liputan6.com/news/read/999/another-article",  # a wrong hint loses
    ],
)
def test_the_page_itself_decides_its_url_and_id(url):
    article = parse("template_desktop_text_multipage.html", url=url)
    assert article.article_id == "5012345"
    assert article.url == EXPECTED["template_desktop_text_multipage.html"]["url"]


@pytest.mark.parametrize(
    ("page", "reason"),
    [
        ("template_channel_page.html", "channel page"),  # even with an article's og:url
        ("template_tag_page.html", "tag page"),
        ("template_indeks_page.html", "indeks page"),
        ("template_block_page.html", "no article markup"),
        ("empty.html", "empty page"),
    ],
)
def test_pages_that_are_not_articles_say_what_they_are(page, reason):
    with pytest.raises(NotAnArticle) as exc:
        parse(page)
    assert exc.value.reason == reason
    assert str(exc.value).startswith(reason)


@pytest.mark.parametrize("cut_before", [b"read-page--top-media", b"</body>"])
def test_a_page_cut_off_anywhere_is_a_truncated_page(cut_before):
    # Cut off before the body, or just before its end: no article is better than a partial one.
    html = (FIXTURES / "template_desktop_text_multipage.html").read_bytes()
    with pytest.raises(NotAnArticle) as refused:
        extract_article(html[: html.index(cut_before)])
    assert refused.value.reason == "truncated page"


def test_bare_text_in_the_body_container_is_kept_as_paragraphs():
    # Old mobile pages write copy straight into article-raw-content, broken by <br><br>.
    html = (FIXTURES / "template_mobile_article.html").read_text(encoding="utf-8")
    old = '<div class="article-raw-content"><p>Kementerian Perdagangan akan menggelar operasi pasar.</p></div>'
    assert old in html
    html = html.replace(
        old,
        '<div class="article-raw-content">Kementerian <b>Perdagangan</b> akan menggelar operasi pasar.'
        '<br><br>Operasi pasar dimulai Senin.<blockquote class="quote">Harga akan turun.</blockquote></div>',
    )
    paragraphs = extract_article(html).body.split("\n\n")
    assert paragraphs[-3:] == [
        "Kementerian Perdagangan akan menggelar operasi pasar.",
        "Operasi pasar dimulai Senin.",
        "Harga akan turun.",
    ]
