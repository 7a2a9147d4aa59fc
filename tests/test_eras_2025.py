"""The 2025 ("neoliputan6") theme: the real 2026 pages in ../shared/liputan6/eras/ and the
hand-written theme2025_* fixtures, each read whole and with its structured data stripped."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from newscrawl.site.extraction import (
    NotAnArticle,
    extract_article,
    extract_article_pages,
    without_structured_data,
)
from newscrawl.site.navigation import channel_items, index_items
from tests.helpers import shared_liputan6

FIXTURES = Path(__file__).parent / "fixtures"
WWW = "https://www.liputan6.com"
ARTICLE = "article_desktop_cekfakta_8292010_2026-09-15_theme2025_stripped.html"
LIST = "list_fragment_tag_2026-09-02.html"
URL_8292010 = (
    f"{WWW}/cek-fakta/read/8292010/"
    "cek-fakta-hoaks-presiden-prabowo-minta-warung-di-desa-ditutup-agar-masyarakat-belanja-di-kopdes"
)


def _eras_page(name: str) -> str:
    """A real page of ../shared/liputan6/eras/; skips the test when it is absent."""
    path = shared_liputan6() / "eras" / name
    if not path.is_file():
        pytest.skip(
            f"{name}: the shared 2025-theme pages are not at {path.parent} "
            "(set NEWSCRAWL_SHARED_DIR to the folder that holds liputan6/)"
        )
    return path.read_text(encoding="utf-8")


# ---- the real 2026 cek-fakta article ------------------------------------------------------

# What the visible markup carries: the same from the whole page and from the stripped one.
VISIBLE_8292010 = {
    "article_id": "8292010",
    "url": URL_8292010,
    "title": "Cek Fakta: Hoaks Presiden Prabowo Minta Warung di Desa Ditutup Agar Masyarakat"
    " Belanja di Kopdes",
    "type": "text",
    "published_at": datetime(2026, 9, 15, 8, 0, tzinfo=UTC),
    "authors": ["Adyaksa Vidi"],
    "credits": ["Tim Redaksi"],
    "section": "cek-fakta",
    "subsection": None,
    "tags": ["Hoaks", "Hoax", "Cek Fakta", "Cek Fakta Liputan6.com", "Prabowo", "kopdes", "KDMP"],
    "summary": "Cek fakta Presiden Prabowo minta warung ditutup agar masyarakat belanja di Kopdes",
    "page_count": 4,
}


@pytest.fixture(scope="module")
def real_article() -> str:
    return _eras_page(ARTICLE)


@pytest.mark.parametrize("strip", [False, True], ids=["whole", "markup-only"])
@pytest.mark.parametrize("name", sorted(VISIBLE_8292010))
def test_real_2026_article_visible_fields(real_article, strip, name):
    html = without_structured_data(real_article) if strip else real_article
    assert getattr(extract_article(html), name) == VISIBLE_8292010[name]


def test_real_2026_article_structured_fields(real_article):
    extracted = extract_article_pages(real_article)
    article = extracted.article
    assert article.published_at_raw == "2026-09-15T15:00:00+07:00"
    assert article.published_at_source == "jsonld"
    assert article.updated_at == datetime(2026, 9, 15, 8, 0, tzinfo=UTC)
    assert article.editors == ["Adyaksa Vidi"]
    assert article.photographers == ["Abdillah", "Adyaksa Vidi"]
    assert extracted.sources["authors"] == "datalayer"
    assert extracted.sources["summary"] == "datalayer"


def test_real_2026_article_markup_only_says_where_values_came_from(real_article):
    extracted = extract_article_pages(without_structured_data(real_article))
    article = extracted.article
    # The byline box: full month name, no <time>, no machine-readable attribute.
    assert article.published_at_raw == "Diterbitkan 15 September 2026, 15:00 WIB"
    assert article.published_at_source == "visible-text"
    assert article.updated_at is None  # the box shows no update
    assert article.byline_raw == "Oleh Adyaksa Vidi"
    assert article.editors == []  # only the data layer names the editor
    assert extracted.sources["authors"] == "markup"
    assert extracted.sources["summary"] == "markup"
    assert extracted.sources["section"] == "url"


@pytest.mark.parametrize("strip", [False, True], ids=["whole", "markup-only"])
def test_real_2026_article_body(real_article, strip):
    html = without_structured_data(real_article) if strip else real_article
    article = extract_article(html)
    paragraphs = article.body.split("\n\n")
    # The source scrambled the body's words: these are the page's (scrambled) words.
    assert article.dateline == "Fasofuj"
    assert paragraphs[0].startswith("Lic Roj Fakta Liputan6.com bugukosen")
    assert paragraphs[-1].startswith("Nadihahul Herocipu Biripol")  # the conclusion stays
    assert paragraphs[-1].endswith("(Ceduji) wowoli cogod.")
    assert "Kesimpulan" in paragraphs
    assert len(paragraphs) == 18
    for gone in (
        "Kumotesesadeg",  # the in-text ad placeholder (its "Advertisement", scrambled)
        "Tubelafucijus",  # the paging placeholder
        "Advertisement",
        "RETA LAKU",  # a "Baca Juga" item (scrambled)
        "Wuwodam Piwaf",
        "Rehikol Bac Fakta",  # the "Tentang Cek Fakta Liputan6.com" section's title ...
        "Rabokoc pokej",  # ... and its text
        "0800-0000-0000",
    ):
        assert gone not in article.body


def test_real_2026_list_fragment():
    html = _eras_page(LIST)
    listed = index_items(html, f"{WWW}/tag/mbg")
    assert [(x.article_id, x.url, x.published, x.kind) for x in listed] == [
        (
            "8283211",
            f"{WWW}/regional/read/8283211/update-keracunan-mbg-di-ponpes-sidoarjo-88-orang-masih-dirawat",
            "2026-09-02T17:03:10+07:00",
            "TextTypeArticle",
        ),
        (
            "8283172",
            f"{WWW}/news/read/8283172/bgn-investigasi-ratusan-santri-keracunan-mbg-di-sidoarjo",
            "2026-09-02T16:36:04+07:00",
            "TextTypeArticle",
        ),
        (
            "8283137",
            f"{WWW}/regional/read/8283137/korban-diduga-keracunan-mbg-di-sidoarjo-bertambah-jadi-566-orang",
            "2026-09-02T16:03:48+07:00",
            "TextTypeArticle",
        ),
    ]
    assert [x.article_id for x in channel_items(html, f"{WWW}/tag/mbg")] == [
        "8283211",
        "8283172",
        "8283137",
    ]


# ---- hand-written fixtures in the theme's markup ----------------------------------------


def _fixture(name: str) -> str:
    return (FIXTURES / f"theme2025_{name}.html").read_text(encoding="utf-8")


# fixture → {field: (whole page, markup only)}; one value where both agree.
EXPECTED = {
    "text_multipage": {
        "article_id": "8301234",
        "type": "text",
        "published_at": datetime(2026, 10, 2, 2, 15, tzinfo=UTC),
        "updated_at": datetime(2026, 10, 2, 4, 40, tzinfo=UTC),
        "authors": ["Rina Astuti", "Budi Santoso"],
        "editors": ["Citra Lestari"],
        "photographers": (["Dimas Prakoso"], []),
        "credits": ["Tim Redaksi"],
        "section": "news",
        "subsection": "peristiwa",
        "tags": ["Bekasi", "Banjir", "Cuaca Ekstrem"],
        "summary": "Banjir merendam tiga kecamatan di Kabupaten Bekasi sejak Kamis dini hari.",
        "dateline": "Bekasi",
        "page_count": 3,
    },
    "photo": {
        "type": "photo",
        "published_at": datetime(2026, 8, 17, 9, 0, tzinfo=UTC),
        "authors": [],
        "photographers": ["Herman Zaki"],
        "editors": (["Johan Saputro"], []),
        "section": "photo",
        "tags": ["Ancol", "Layang-Layang"],
        "summary": "Ratusan layang-layang menghiasi langit Pantai Ancol.",
    },
    "video": {
        "type": "video",
        "published_at": datetime(2026, 9, 20, 12, 30, tzinfo=UTC),
        "authors": ["Sri Wahyuni"],
        "section": "news",
        "subsection": None,
        "tags": ["Longsor"],
        "body": "Tim SAR gabungan mengevakuasi tiga korban longsor di Kecamatan Cigudeg.\n\n"
        "Pencarian dilanjutkan besok pagi.",
    },
    "live_report": {
        # Markup only: the box shows just "Diperbaharui ...", which is no publication time.
        "published_at": (datetime(2026, 8, 16, 1, 0, tzinfo=UTC), None),
        "updated_at": datetime(2026, 8, 16, 5, 10, tzinfo=UTC),
        "authors": ["Rina Astuti"],
        "credits": ["Tim Liputan6.com"],
        "subsection": "politik",
        "body": "Sidang Tahunan MPR 2026 digelar hari ini di Senayan.\n\n"
        "Presiden Tiba di Gedung DPR/MPR\n\nPresiden tiba disambut pimpinan MPR.\n\n"
        "Persiapan Sidang\n\nPengamanan diperketat sejak pagi.",
    },
    "infographic": {
        "published_at": datetime(2026, 10, 20, 3, 0, tzinfo=UTC),
        "authors": [],
        "credits": ["Tim Grafis"],
        "subsection": "infografis",
        "summary": "Daftar libur nasional dan cuti bersama 2027.",
        "body": "Pemerintah menetapkan 17 hari libur nasional pada 2027.",
    },
}
CASES = [
    pytest.param(page, name, strip, id=f"{page}-{name}-{'markup' if strip else 'whole'}")
    for page, fields in EXPECTED.items()
    for name in fields
    for strip in (False, True)
]


@pytest.mark.parametrize(("page", "name", "strip"), CASES)
def test_fixture_field(page, name, strip):
    html = _fixture(page)
    expected = EXPECTED[page][name]
    if isinstance(expected, tuple):
        expected = expected[strip]
    article = extract_article(without_structured_data(html) if strip else html)
    assert getattr(article, name) == expected


@pytest.mark.parametrize("strip", [False, True], ids=["whole", "markup-only"])
def test_fixture_multipage_body(strip):
    html = _fixture("text_multipage")
    article = extract_article(without_structured_data(html) if strip else html)
    paragraphs = article.body.split("\n\n")
    assert paragraphs[0].startswith("Banjir merendam tiga kecamatan")
    assert paragraphs[-1] == "BMKG memperkirakan hujan masih turun hingga akhir pekan."
    assert "Posko Pengungsian" in paragraphs and "Penyebab Banjir" in paragraphs
    assert len(paragraphs) == 9
    for gone in ("Advertisement", "BACA JUGA", "Cuaca Ekstrem Sepekan", "Posko Banjir Dibuka"):
        assert gone not in article.body


def test_fixture_markup_only_dates_are_the_visible_text():
    article = extract_article(without_structured_data(_fixture("text_multipage")))
    assert article.published_at_raw == "Diterbitkan 2 Oktober 2026, 09:15 WIB"
    assert article.updated_at_raw == "Diperbarui 2 Oktober 2026, 11:40 WIB"
    assert article.published_at_source == article.updated_at_source == "visible-text"
    live = extract_article(without_structured_data(_fixture("live_report")))
    assert live.updated_at_raw == "Diperbaharui 16 Agu 2026, 12:10 WIB"
    assert live.published_at is None and live.published_at_raw is None


def test_team_box_people_by_role_and_desks_as_credits():
    html = _fixture("text_multipage").replace("Editor: Citra Lestari", "Dewi Anggraini (Editor)")
    article = extract_article(without_structured_data(html))
    assert article.editors == ["Dewi Anggraini"]
    assert "Tim Redaksi" in article.credits and "Tim Redaksi" not in article.authors


def test_desk_section_as_a_heading_inside_a_page_is_cut_there():
    html = _fixture("text_multipage").replace(
        "<p>BMKG memperkirakan hujan masih turun hingga akhir pekan.</p>",
        "<p>BMKG memperkirakan hujan masih turun hingga akhir pekan.</p>"
        "<h2>Tentang Cek Fakta Liputan6.com</h2><p>Liputan6.com merupakan media terverifikasi.</p>",
    )
    body = extract_article(html).body
    assert body.endswith("hingga akhir pekan.")
    assert "terverifikasi" not in body


@pytest.mark.parametrize(
    ("page", "url", "reason", "index", "channel"),
    [
        pytest.param(
            "tag_list",
            f"{WWW}/tag/banjir",
            "tag page",
            [
                ("8301234", f"{WWW}/news/read/8301234/banjir-rendam-tiga-kecamatan-di-bekasi"),
                ("8301200", f"{WWW}/regional/read/8301200/banjir-bandang-di-garut"),
            ],
            ["8301234", "8301200", "8309999", "8200000"],
            id="tag-list",
        ),
        pytest.param(
            "channel",
            f"{WWW}/news",
            "channel page",
            [
                ("8301300", f"{WWW}/news/read/8301300/headline-satu"),
                ("8301299", f"{WWW}/news/read/8301299/headline-dua"),
                ("8301234", f"{WWW}/news/read/8301234/banjir-rendam-tiga-kecamatan-di-bekasi"),
            ],
            ["8301300", "8301299", "8301234"],
            id="channel-front-with-slider",
        ),
    ],
)
def test_list_pages_give_their_articles(page, url, reason, index, channel):
    html = _fixture(page)
    assert [(x.article_id, x.url) for x in index_items(html, url)] == index
    assert [x.article_id for x in channel_items(html, url)] == channel
    with pytest.raises(NotAnArticle) as raised:
        extract_article(html, url)
    assert raised.value.reason == reason
