"""extract_article on small hand-written pages in Liputan6's markup, one per template.

The fixtures (tests/fixtures/*.html) use the site's real class names, window.kmklabs
script shapes, JSON-LD and meta tags, with invented Indonesian articles. Expected values
are what each page says, as an analyst would read it, not what the code happens to do.
Each test names the page behaviour it checks; fixed bugs stay as regression tests.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import cache

import pytest

from newscrawl.items import ARTICLE_TYPES, LIST_FIELDS, Article
from newscrawl.site.extraction import (
    SOURCE_KINDS,
    SOURCED_FIELDS,
    NotAnArticle,
    extract_article,
    extract_article_pages,
    without_structured_data,
)
from tests.helpers import FIXTURES

DESKTOP = "desktop_text_multipage.html"
PHOTO = "desktop_photo_gallery.html"
VIDEO = "desktop_video.html"
HOT = "hot_subdomain.html"
MOBILE = "mobile_article.html"
AMP = "amp_article.html"
FALLBACK = "desktop_fallback_dates.html"
TRUNCATED = "truncated_article.html"
ARTICLES = (DESKTOP, PHOTO, VIDEO, HOT, MOBILE, AMP, FALLBACK)


def html_of(name: str) -> str:
    """A fixture's text."""
    return (FIXTURES / name).read_text(encoding="utf-8")


@cache
def parse(name: str) -> Article:
    """The Article of one fixture, read from bytes as a crawler would get it."""
    return extract_article((FIXTURES / name).read_bytes())


def paragraphs(article: Article) -> list[str]:
    """The body split into its paragraphs."""
    return article.body.split("\n\n")


def utc(*args: int) -> datetime:
    """An aware UTC datetime."""
    return datetime(*args, tzinfo=UTC)


# ---------------------------------------------------------------------------------------
# Field by field, per fixture
# ---------------------------------------------------------------------------------------

EXPECTED: dict[str, dict[str, object]] = {
    DESKTOP: {
        "article_id": "4268345",
        "url": "https://www.liputan6.com/news/read/4268345/banjir-rob-rendam-muara-angke",
        "title": "Banjir Rob Rendam Muara Angke, 312 Warga Mengungsi",
        "type": "text",
        "published_at": utc(2020, 6, 2, 14, 15, 30),
        "published_at_raw": "2020-06-02T21:15:30+07:00",
        "published_at_source": "jsonld",
        # Earlier than the publication (a scheduled post): kept as the site gives it.
        "updated_at": utc(2020, 6, 2, 13, 58, 12),
        "updated_at_raw": "2020-06-02T20:58:12+07:00",
        "updated_at_source": "jsonld",
        # The byline and JSON-LD show only the first writer; gtm.reporters names all three.
        "authors": ["Rina Wulandari", "Bayu Saputra", "Dewi Anggraini"],
        "credits": [],
        "editors": ["Andi Pratama", "Sari Melati"],
        "photographers": ["Herman Zaki"],
        "byline_raw": "Rina Wulandari",
        "section": "news",
        "subsection": "peristiwa",
        # The visible order, not gtm.tag's or the keywords'.
        "tags": ["Banjir Rob", "Muara Angke", "Pemprov DKI"],
        "summary": "Banjir rob memaksa 312 warga Muara Angke mengungsi ke musala dan balai warga.",
        "page_count": 3,
        "dateline": "Jakarta",
        "image_url": "https://cdn0-production-images-kly.akamaized.net/aB1=/673x379/medias/3141001/original/banjir-rob.jpg",
        "image_caption": "Genangan rob di Muara Angke. (Liputan6.com/Herman Zaki)",
        "source": "liputan6",
        "lang": "id",
    },
    PHOTO: {
        "article_id": "4268410",
        "url": "https://www.liputan6.com/news/read/4268410/foto-warga-muara-angke-bertahan-di-tengah-banjir-rob",
        "title": "FOTO: Warga Muara Angke Bertahan di Tengah Banjir Rob",
        "type": "photo",
        # No JSON-LD on galleries: the meta tags come next.
        "published_at": utc(2020, 6, 3, 3, 0),
        "published_at_raw": "2020-06-03T10:00:00+07:00",
        "published_at_source": "meta",
        "updated_at": utc(2020, 6, 3, 2, 41, 27),
        "updated_at_source": "meta",
        "authors": [],
        "photographers": ["Herman Zaki"],
        "editors": ["Johan Saputro"],
        "credits": [],
        "section": "news",
        "subsection": None,  # the category is the channel itself
        "tags": ["Banjir Rob", "Muara Angke", "Jakarta Utara"],
        "summary": "Warga Muara Angke memilih bertahan di rumah meski banjir rob belum surut.",
        "page_count": 1,
        "dateline": None,
        "image_url": "https://cdn0-production-images-kly.akamaized.net/xY9=/673x379/medias/3141201/original/rob-1.jpg",
        "image_caption": "Seorang ibu menjemur pakaian di teras rumah yang tergenang banjir rob"
        " di Muara Angke, Rabu (3/6/2020). (Liputan6.com/Herman Zaki)",
    },
    VIDEO: {
        "article_id": "4268520",
        "url": "https://www.liputan6.com/news/read/4268520/video-tanggul-darurat-dibangun-di-muara-angke",
        "title": "VIDEO: Tanggul Darurat Dibangun di Muara Angke",
        "type": "video",
        "published_at": utc(2020, 6, 3, 12, 0),
        "published_at_source": "jsonld",
        "updated_at": utc(2020, 6, 3, 12, 12, 5),
        # gtm.authors is an empty "videographer" entry; the makers are gtm.reporters.
        "authors": ["Fajar Nugroho", "Lestari Ayuningtyas"],
        "editors": ["Fajar Nugroho"],
        "photographers": [],
        "credits": [],
        "section": "news",
        "subsection": None,
        "tags": ["Tanggul Laut", "Banjir Rob", "Muara Angke"],
        "summary": "Petugas membangun tanggul darurat dari karung pasir untuk menahan banjir rob.",
        "page_count": 1,
        "dateline": "Jakarta",  # "Liputan6.com, Jakarta" with no dash
        "image_url": "https://cdn1-production-images-kly.akamaized.net/vV1=/673x379/medias/3141300/original/tanggul.jpg",
        "image_caption": None,  # the lead media is a video, not a captioned photo
        "body": "Petugas gabungan membangun tanggul darurat dari ribuan karung pasir di pesisir"
        " Muara Angke. Tanggul itu diharapkan menahan banjir rob hingga perbaikan permanen"
        " selesai.",
    },
    HOT: {
        "article_id": "4282230",
        # canonical is hot.liputan6.com/read/…, og:url www.liputan6.com/hot/read/…: one URL.
        "url": "https://www.liputan6.com/hot/read/4282230/5-gaya-santai-seleb-saat-liburan-di-rumah",
        "title": "5 Gaya Santai Seleb Saat Liburan di Rumah",
        "type": "text",
        "published_at": utc(2020, 6, 18, 1, 30),
        "published_at_source": "jsonld",
        "updated_at": utc(2020, 6, 18, 1, 2, 47),
        # Desk copy: "Liputan6.com" is a credit, not a writer.
        "authors": [],
        "credits": ["Liputan6.com"],
        "editors": ["Nadia Puspitasari"],
        "photographers": [],
        "byline_raw": "Liputan6.com",
        "section": "hot",
        "subsection": None,  # article:section3 repeats "Hot"; the category is the channel
        "tags": ["kabar selebriti", "Seleb Indonesia", "liburan di rumah"],
        "summary": "Para seleb berbagi momen santai bersama keluarga selama liburan di rumah.",
        "page_count": 3,
        "dateline": "Jakarta",
    },
    MOBILE: {
        "article_id": "4466210",
        "url": "https://www.liputan6.com/tekno/read/4466210/operator-seluler-tambah-kapasitas-jaringan",
        "title": "Operator Tambah Kapasitas Jaringan",
        "type": "text",
        "published_at": utc(2021, 1, 25, 2, 45),
        "published_at_raw": "2021-01-25T09:45:00+07:00",
        "published_at_source": "jsonld",
        "updated_at": utc(2021, 1, 25, 3, 2, 31),
        "authors": ["Yudha Prasetyo", "Mira Kartika"],
        "editors": ["Iskandar Halim"],
        "photographers": [],  # gtm.photographers is the desk "Liputan6.com"
        "credits": [],
        "section": "tekno",
        "subsection": "internet",
        "tags": ["trafik data", "operator seluler", "libur panjang"],
        "summary": "Operator seluler menambah kapasitas jaringan untuk mengantisipasi lonjakan"
        " trafik data.",
        "page_count": 2,
        "dateline": "Jakarta",
        "image_url": "https://cdn0-production-images-kly.akamaized.net/mB1=/673x379/medias/3358100/original/bts.jpg",
    },
    AMP: {
        "article_id": "4359120",
        "url": "https://www.liputan6.com/cek-fakta/read/4359120/cek-fakta-tidak-benar-video-tsunami-terjang-pantai-anyer",
        "title": "Cek Fakta: Tidak Benar Video Tsunami Terjang Pantai Anyer Pekan Ini",
        "type": "text",
        "published_at": utc(2020, 9, 18, 7, 5, 10),
        "published_at_raw": "2020-09-18T14:05:10+07:00",
        "published_at_source": "jsonld",
        "updated_at": utc(2020, 9, 18, 9, 20, 5),
        "updated_at_source": "jsonld",
        # No data layer: both byline links (JSON-LD names only the first).
        "authors": ["Galih Permana", "Putri Anjani"],
        "credits": [],
        "section": "cek-fakta",
        "subsection": None,
        "tags": ["Pantai Anyer", "Cek Fakta", "Hoaks"],
        "summary": "Video yang diklaim tsunami di Pantai Anyer ternyata rekaman lama dari lokasi lain.",
        "page_count": 3,
        "dateline": "Jakarta",
        "image_url": "https://cdn1-production-images-kly.akamaized.net/cF1=/640x360/medias/3241500/original/cek-fakta-anyer.jpg",
    },
    FALLBACK: {
        "article_id": "5530412",
        "url": "https://www.liputan6.com/bisnis/read/5530412/harga-cabai-rawit-turun",
        "title": "Harga Cabai Rawit di Pasar Induk Kramat Jati Turun",
        "type": "text",
        # No JSON-LD, no meta dates, no publishDate in the data layer: the <time> attribute.
        "published_at": utc(2024, 2, 17, 8, 30),
        "published_at_raw": "2024-02-17 15:30:00",
        "published_at_source": "time-attr",
        # The modified <time> holds its display string in datetime="…".
        "updated_at": utc(2024, 2, 17, 9, 5),
        "updated_at_raw": "17 Feb 2024, 16:05 WIB",
        "updated_at_source": "time-attr",
        "authors": ["Siti Nurhaliza Putri"],
        "editors": ["Arief Rahman"],
        "section": "bisnis",
        "subsection": "ekonomi",
        "tags": ["harga cabai", "Pasar Induk Kramat Jati"],
        "summary": "Harga cabai rawit merah turun setelah pasokan dari sentra produksi kembali"
        " normal.",
        "page_count": 1,
        "dateline": "Jakarta",
        "image_url": None,
    },
}

CASES = [(page, name, value) for page, fields in EXPECTED.items() for name, value in fields.items()]


@pytest.mark.parametrize(
    ("page", "field", "expected"),
    CASES,
    ids=[f"{p.removesuffix('.html')}-{f}" for p, f, _ in CASES],
)
def test_field(page, field, expected):
    assert getattr(parse(page), field) == expected


# Where the code disagrees with what the page says (see the reasons).
KNOWN_BUGS = [
    pytest.param(
        MOBILE,
        "image_caption",
        "Teknisi memeriksa perangkat di menara BTS. (Liputan6.com/Iskandar)",
        id="mobile-image_caption",
    ),
    pytest.param(
        AMP,
        "image_caption",
        "Cek Fakta tsunami Anyer",
        id="amp-image_caption",
    ),
    pytest.param(
        MOBILE,
        "byline_raw",
        "Oleh Yudha Prasetyo, Mira Kartika",
        id="mobile-byline_raw",
    ),
    pytest.param(
        AMP,
        "byline_raw",
        "Oleh Galih Permana, Putri Anjani",
        id="amp-byline_raw",
    ),
]


@pytest.mark.parametrize(("page", "field", "expected"), KNOWN_BUGS)
def test_field_known_bugs(page, field, expected):
    assert getattr(parse(page), field) == expected


def test_photo_credits_in_byline_raw_stay_apart():
    assert parse(PHOTO).byline_raw == "Editor: Johan Saputro Photographer: Herman Zaki"


# ---------------------------------------------------------------------------------------
# Invariants over every article fixture
# ---------------------------------------------------------------------------------------

NOISE = (
    "Baca Juga",
    "Tanggul Laut Jebol",  # the Baca Juga link
    "Hoaks Gempa Susulan",
    "Sinyal Hilang",
    "Advertisement",
    "Iklan",
    "googletag",
    "Saksikan Video",
    "rumah panggung",  # the embedded video's caption
    "View this post",
    "A post shared",
    "Santai dulu",  # the Instagram caption
    "dari 3 halaman",
    "dari 2 halaman",
    "Lanjutkan Membaca",
    "Teknisi memeriksa",  # mobile lead-image caption
    "Gerai layanan",  # mobile in-body photo caption
    "Liputan6.com, Jakarta",
)


@pytest.mark.parametrize("page", ARTICLES)
def test_body_has_no_noise(page):
    body = parse(page).body
    for noise in NOISE:
        assert noise not in body, noise


@pytest.mark.parametrize("page", ARTICLES)
def test_body_is_plain_paragraphs(page):
    article = parse(page)
    assert article.word_count == len(article.body.split())
    parts = paragraphs(article)
    assert all(p == p.strip() and p for p in parts)
    assert not any("\n" in p or "  " in p or "<" in p for p in parts)


@pytest.mark.parametrize("page", ARTICLES)
def test_datetimes_are_aware_utc(page):
    article = parse(page)
    for name in ("published_at", "updated_at"):
        value = getattr(article, name)
        assert value.tzinfo is not None and value.utcoffset() == timedelta(0), name


@pytest.mark.parametrize("page", ARTICLES)
def test_schema_shapes(page):
    article = parse(page)
    assert article.type in ARTICLE_TYPES
    assert article.url.startswith("https://www.liputan6.com/")
    assert f"/read/{article.article_id}/" in article.url
    for name in LIST_FIELDS:
        values = getattr(article, name)
        assert isinstance(values, list) and len(values) == len({v.casefold() for v in values})
    assert not set(article.authors) & set(article.credits)


def test_str_and_bytes_give_the_same_article():
    assert extract_article(html_of(DESKTOP)) == parse(DESKTOP)


# ---------------------------------------------------------------------------------------
# Bodies
# ---------------------------------------------------------------------------------------


def test_desktop_body_every_page_in_order_with_titles():
    # Pages 2 and 3 are hidden; page 3 is only a video, so its title goes with it.
    assert paragraphs(parse(DESKTOP)) == [
        "Banjir rob kembali merendam permukiman warga Muara Angke, Selasa (2/6/2020).",
        "Kepala BPBD DKI Sugiarto Wibowo mengatakan 312 jiwa mengungsi ke musala dan balai warga.",
        '"Petugas sudah menyiagakan perahu karet," kata Sugiarto saat dihubungi.',
        "Pompa Air Dikerahkan",
        "Dinas Sumber Daya Air DKI Jakarta mengerahkan 12 unit pompa mobile ke lokasi.",
        "Warga berharap tanggul laut segera diperbaiki.",
    ]


def test_desktop_pages_follow_data_page_not_document_order():
    html = html_of(DESKTOP)
    hidden = '<div class="article-content-body__item-page article-content-body__item-page_hidden"'
    start2 = html.index(hidden + ' data-page="2"')
    start3 = html.index(hidden + ' data-page="3"')
    end = html.index('</div></div>\n<div class="tags--snippet')
    shuffled = html[:start2] + html[start3:end] + html[start2:start3] + html[end:]
    assert shuffled != html
    assert extract_article(shuffled).body == parse(DESKTOP).body


def test_photo_gallery_body_is_description_then_captions():
    assert paragraphs(parse(PHOTO)) == [
        "Warga Muara Angke memilih bertahan di rumah meski banjir rob belum surut sejak Selasa"
        " malam.",
        "Seorang ibu menjemur pakaian di teras rumah yang tergenang banjir rob di Muara Angke,"
        " Rabu (3/6/2020). (Liputan6.com/Herman Zaki)",
        "Anak-anak bermain perahu styrofoam di gang yang tergenang. (Liputan6.com/Herman Zaki)",
    ]


def test_hot_body_keeps_text_pages_and_drops_the_embed():
    parts = paragraphs(parse(HOT))
    assert parts[:2] == [
        "Libur panjang dimanfaatkan banyak seleb untuk bersantai bersama keluarga di rumah."
        " Beragam momen hangat itu mereka bagikan di media sosial.",
        "Berikut gaya santai para seleb yang berhasil dirangkum.",
    ]
    assert parts[-2:] == [
        "2. Membaca buku bersama anak",
        "Ada pula seleb yang mengajak anak membaca buku cerita setiap sore.",
    ]


def test_hot_body_keeps_the_title_of_an_embed_only_page():
    # Decision (docs/extraction.md): on a listicle the page title is the content.
    assert "1. Bersantai di taman belakang" in paragraphs(parse(HOT))


def test_mobile_body_both_pages():
    assert paragraphs(parse(MOBILE)) == [
        "Sejumlah operator seluler menambah kapasitas jaringan menjelang libur panjang akhir"
        " Januari 2021.",
        "Menurut pengamat telekomunikasi, trafik data biasanya naik hingga 20 persen saat libur"
        " panjang.",
        "Layanan Pelanggan",
        "Operator juga membuka layanan pelanggan 24 jam selama masa libur.",
    ]


def test_amp_body_every_virtual_page():
    assert paragraphs(parse(AMP)) == [
        "Sebuah video yang diklaim memperlihatkan tsunami menerjang Pantai Anyer beredar di media"
        " sosial.",
        "Video itu dibagikan ribuan kali dalam sehari.",
        "Penelusuran Fakta",
        "Tim Cek Fakta Liputan6.com menemukan video yang sama diunggah pada 2018 dari lokasi di"
        " luar Banten.",
        "Kesimpulan",
        "Video tsunami di Pantai Anyer pekan ini adalah hoaks.",
    ]


def test_fallback_body():
    assert paragraphs(parse(FALLBACK)) == [
        "Harga cabai rawit merah di Pasar Induk Kramat Jati turun menjadi Rp 45.000 per kilogram.",
        "Pedagang menyebut pasokan dari Jawa Tengah dan Jawa Timur sudah kembali normal sejak"
        " awal pekan.",
    ]


def test_a_page_cut_off_is_not_an_article_and_says_so():
    # Cut off in the middle of the body: storing it would store a body cut off too.
    with pytest.raises(NotAnArticle) as refused:
        parse(TRUNCATED)
    assert refused.value.reason == "truncated page"
    assert "Kementerian PUPR" in html_of(TRUNCATED)  # the page did carry an article


def _desktop_with_extra(snippet: str) -> Article:
    """The desktop fixture with markup added after page 2's last paragraph."""
    anchor = "<p>Warga berharap tanggul laut segera diperbaiki.</p>"
    return extract_article(html_of(DESKTOP).replace(anchor, anchor + snippet))


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        (
            '<p>Dinas Sumber Daya Air (<a href="/tag/sda">SDA</a>) DKI.</p>',
            ["Dinas Sumber Daya Air (SDA) DKI."],
        ),
        ("<p>Baris satu<br>baris dua</p>", ["Baris satu baris dua"]),
        ("<p>Teks <script>var x = 1;</script>tanpa skrip.</p>", ["Teks tanpa skrip."]),
        ("<ol><li><p>Satu</p></li><li><p>Dua</p></li></ol>", ["Satu", "Dua"]),
        ("<h3>Subjudul</h3><p>Isi.</p>", ["Subjudul", "Isi."]),
        ('<p class="read-page--photo-gallery--item__caption">Keterangan foto.</p>', []),
        ('<blockquote class="twitter-tweet"><p>Cuitan warga.</p></blockquote>', []),
        pytest.param(
            '<blockquote class="quote"><p>Doa warga pesisir agar rob segera surut.</p></blockquote>',
            ["Doa warga pesisir agar rob segera surut."],
            id="blockquote.quote",
        ),
        pytest.param(
            "<blockquote><p>Kalimat pertama.</p><p>Kalimat kedua.</p></blockquote>",
            ["Kalimat pertama.", "Kalimat kedua."],
            id="blockquote-two-paragraphs",
        ),
    ],
)
def test_inline_and_block_markup_in_the_body(snippet, expected):
    parts = paragraphs(_desktop_with_extra(snippet))
    assert parts[: len(paragraphs(parse(DESKTOP)))] == paragraphs(parse(DESKTOP))
    assert parts[len(paragraphs(parse(DESKTOP))) :] == expected


# ---------------------------------------------------------------------------------------
# Dates: the source order and the fallbacks
# ---------------------------------------------------------------------------------------

_JSONLD = (
    '<script type="application/ld+json">{"@context":"http://schema.org","@type":"NewsArticle",'
    '"datePublished":"2024-02-17T15:34:00+07:00","headline":"Harga Cabai Rawit di Pasar Induk'
    ' Kramat Jati Turun"}</script>'
)
_META = '<meta property="article:published_time" content="2024-02-17T15:33:00+07:00">'
_DATALAYER = '"isMultipage":false,"publishDate":"2024-02-17 15:32:00"'


def _fallback_with(*, jsonld=False, meta=False, datalayer=False, time_attr=True) -> str:
    html = html_of(FALLBACK)
    if datalayer:
        html = html.replace('"isMultipage":false', _DATALAYER)
    if meta:
        html = html.replace("</title>", "</title>" + _META)
    if jsonld:
        html = html.replace("</head>", _JSONLD + "</head>")
    if not time_attr:
        html = html.replace(' datetime="2024-02-17 15:30:00"', "")
        html = html.replace(' datetime="17 Feb 2024, 16:05 WIB"', "")
    return html


@pytest.mark.parametrize(
    ("sources", "published_at", "raw", "source"),
    [
        ({}, utc(2024, 2, 17, 8, 30), "2024-02-17 15:30:00", "time-attr"),
        ({"datalayer": True}, utc(2024, 2, 17, 8, 32), "2024-02-17 15:32:00", "datalayer"),
        (
            {"datalayer": True, "meta": True},
            utc(2024, 2, 17, 8, 33),
            "2024-02-17T15:33:00+07:00",
            "meta",
        ),
        (
            {"datalayer": True, "meta": True, "jsonld": True},
            utc(2024, 2, 17, 8, 34),
            "2024-02-17T15:34:00+07:00",
            "jsonld",
        ),
        (
            {"time_attr": False},
            utc(2024, 2, 17, 8, 30),
            "Diterbitkan 17 Feb 2024, 15:30 WIB",
            "visible-text",
        ),
    ],
    ids=["time-attr", "datalayer", "meta", "jsonld", "visible-text"],
)
def test_published_at_source_order(sources, published_at, raw, source):
    article = extract_article(_fallback_with(**sources))
    assert (article.published_at, article.published_at_raw, article.published_at_source) == (
        published_at,
        raw,
        source,
    )


def test_mobile_visible_date_text():
    html = re.sub(r'<script id="rich-card".*?</script>', "", html_of(MOBILE), flags=re.S)
    html = html.replace('property="article:published_time"', 'property="x"')
    html = html.replace('"publishDate"', '"x"')
    article = extract_article(html)
    assert article.published_at == utc(2021, 1, 25, 2, 45)
    assert article.published_at_source == "visible-text"
    assert article.published_at_raw == "pada 25 Jan 2021, 09:45 WIB"


def test_desktop_visible_modified_text():
    article = extract_article(_fallback_with(time_attr=False))
    assert article.updated_at == utc(2024, 2, 17, 9, 5)
    assert article.updated_at_raw == "Diperbarui 17 Feb 2024, 16:05 WIB"
    assert article.updated_at_source == "visible-text"


def test_relative_date_uses_the_injected_clock():
    html = _fallback_with(time_attr=False).replace(
        "Diterbitkan 17 Feb 2024, 15:30 WIB", "3 jam yang lalu"
    )
    article = extract_article(html, now=utc(2024, 2, 17, 12, 0))
    assert article.published_at == utc(2024, 2, 17, 9, 0)
    assert article.published_at_source == "visible-text"


# ---------------------------------------------------------------------------------------
# URL and identity
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "url"),
    [
        (DESKTOP, "https://m.liputan6.com/news/read/4268345/banjir-rob-rendam-muara-angke"),
        (DESKTOP, "https://m.liputan6.com/amp/4268345/banjir-rob-rendam-muara-angke"),
        (DESKTOP, "http://news.liputan6.com/read/4268345/banjir-rob-rendam-muara-angke?page=2"),
        (DESKTOP, "https://www.liputan6.com/news/read/999/another-article"),  # a wrong hint loses
        (DESKTOP, "file:///tmp/saved.html"),
        (HOT, "https://hot.liputan6.com/read/4282230/5-gaya-santai-seleb-saat-liburan-di-rumah"),
        (
            MOBILE,
            "https://m.liputan6.com/tekno/read/4466210/operator-seluler-tambah-kapasitas-jaringan?utm_source=x",
        ),
        (
            AMP,
            "https://m.liputan6.com/amp/4359120/cek-fakta-tidak-benar-video-tsunami-terjang-pantai-anyer?page=2",
        ),
    ],
)
def test_url_is_canonical_wherever_the_page_came_from(page, url):
    article = extract_article((FIXTURES / page).read_bytes(), url=url)
    assert article.url == EXPECTED[page]["url"]
    assert article.article_id == EXPECTED[page]["article_id"]


def test_hot_with_og_url_on_the_subdomain():
    html = html_of(HOT).replace(
        'og:url" content="https://www.liputan6.com/hot/read/',
        'og:url" content="https://hot.liputan6.com/read/',
    )
    assert extract_article(html).url == EXPECTED[HOT]["url"]


def test_amp_without_canonical_takes_the_channel_from_json_ld():
    html = re.sub(r'<link rel="canonical"[^>]*>', "", html_of(AMP))
    url = "https://m.liputan6.com/amp/4359120/cek-fakta-tidak-benar-video-tsunami-terjang-pantai-anyer"
    assert extract_article(html, url=url).url == EXPECTED[AMP]["url"]


DESKTOP_WWW = "https://www.liputan6.com/news/read/4268345/banjir-rob-rendam-muara-angke"
DESKTOP_WWW_JSON = DESKTOP_WWW.replace("/", "\\/")


def _desktop_stating(own_url: str) -> str:
    """The desktop fixture with og:url and JSON-LD naming ``own_url`` instead of the www URL."""
    html = html_of(DESKTOP)
    assert DESKTOP_WWW in html and DESKTOP_WWW_JSON in html
    return html.replace(DESKTOP_WWW, own_url).replace(DESKTOP_WWW_JSON, own_url.replace("/", "\\/"))


@pytest.mark.parametrize(
    "own_url",
    [
        "https://en.liputan6.com/news/read/4268345/banjir-rob-rendam-muara-angke",
        "https://berita.liputan6.com/peristiwa/read/4268345/banjir-rob-rendam-muara-angke",
        "https://kesehatan.liputan6.com/read/4268345/banjir-rob-rendam-muara-angke",
        "https://sport.liputan6.com/read/4268345/banjir-rob-rendam-muara-angke",
    ],
)
def test_a_host_with_no_known_www_form_keeps_the_url_the_page_states(own_url):
    article = extract_article(_desktop_stating(own_url), url=DESKTOP_WWW)
    assert article.url == own_url
    assert article.article_id == "4268345"
    assert article.section == "news"  # the data layer's channel, not the host


def test_a_stated_url_is_only_normalised_harmlessly():
    html = _desktop_stating(
        "http://EN.liputan6.com/news/read/4268345/Banjir-Rob-Rendam-Muara-Angke/?utm_source=x#top"
    )
    assert extract_article(html).url == (
        "https://en.liputan6.com/news/read/4268345/Banjir-Rob-Rendam-Muara-Angke"
    )


def test_an_old_channel_subdomain_is_stored_in_www_form():
    html = _desktop_stating("http://news.liputan6.com/read/4268345/banjir-rob-rendam-muara-angke")
    assert extract_article(html).url == DESKTOP_WWW


def test_a_2016_photo_gallery_url_names_its_id():
    url = "http://photo.liputan6.com/news/banjir-rob-rendam-muara-angke-4268345"
    article = extract_article(_desktop_stating(url))
    assert article.article_id == "4268345"
    assert article.url == url.replace("http:", "https:")


@pytest.mark.parametrize("article_id", ["8292010", "9300000", "12345678901"])
def test_ids_after_the_jump_of_july_2026(article_id):
    html = html_of(DESKTOP).replace("4268345", article_id)
    article = extract_article(html, url=f"https://www.liputan6.com/amp/{article_id}/x")
    assert article.article_id == article_id
    assert article.url == DESKTOP_WWW.replace("4268345", article_id)


def test_www_amp_of_2025_takes_the_channel_from_the_data_layer():
    """A page whose only own URL is the 2025 AMP form (www.liputan6.com/amp/{ID}/{slug})."""
    html = re.sub(r'<meta property="og:url"[^>]*>', "", html_of(DESKTOP))
    html = html.replace(DESKTOP_WWW_JSON, "")
    assert "og:url" not in html and "4268345\\/" not in html
    url = "https://www.liputan6.com/amp/4268345/banjir-rob-dari-amp"
    assert extract_article(html, url=url).url == (
        "https://www.liputan6.com/news/read/4268345/banjir-rob-dari-amp"
    )


# ---------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reporters", "authors", "credits"),
    [
        ("Liputan6.com", [], ["Liputan6.com"]),
        ("Liputan6dotcom", [], ["Liputan6.com"]),
        ("Merdeka.com", [], ["Merdeka.com"]),
        ("Antara", [], ["Antara"]),
        ("ANTARA", [], ["Antara"]),
        ("Rina Wulandari, Antara", ["Rina Wulandari"], ["Antara"]),
        ("Liputan6.com, Merdeka.com", [], ["Liputan6.com", "Merdeka.com"]),
        ("Bayu Saputra, Rina Wulandari", ["Bayu Saputra", "Rina Wulandari"], []),
    ],
)
def test_desk_credits_never_become_authors(reporters, authors, credits):
    html = html_of(HOT).replace('"reporters":"Liputan6.com"', f'"reporters":"{reporters}"')
    article = extract_article(html)
    assert (article.authors, article.credits) == (authors, credits)


def test_gallery_by_an_agency_credits_the_agency():
    html = (
        html_of(PHOTO)
        .replace('"names":"Herman Zaki"', '"names":"Merdeka.com"')
        .replace('"photographers":"Herman Zaki"', '"photographers":"Merdeka.com"')
        .replace('credits-user">Herman Zaki<', 'credits-user">Merdeka.com<')
    )
    article = extract_article(html)
    assert article.authors == []
    assert article.photographers == []
    assert article.credits == ["Merdeka.com"]
    assert article.editors == ["Johan Saputro"]


def test_data_layer_writers_win_over_the_visible_byline():
    # The desktop byline names only the first writer; the data layer names every one.
    assert parse(DESKTOP).byline_raw == "Rina Wulandari"
    assert len(parse(DESKTOP).authors) == 3


# ---------------------------------------------------------------------------------------
# Tags
# ---------------------------------------------------------------------------------------


def test_tags_fall_back_to_the_data_layer_then_the_keywords():
    html = re.sub(r'<div class="tags--snippet">.*?</ul></div>', "", html_of(DESKTOP), flags=re.S)
    assert extract_article(html).tags == ["Pemprov DKI", "Banjir Rob", "Muara Angke"]
    html = html.replace('"tag":"Pemprov DKI|Banjir Rob|Muara Angke",', "")
    assert extract_article(html).tags == ["Pemprov DKI", "Banjir Rob", "Muara Angke"]


# ---------------------------------------------------------------------------------------
# Pages that are not articles
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "reason"),
    [
        ("channel_page.html", "channel page"),  # even though its og:url names an article
        ("tag_page.html", "tag page"),
        ("indeks_page.html", "indeks page"),
        ("blocked_page.html", "no article markup"),
        ("empty.html", "empty page"),
    ],
)
def test_not_an_article(page, reason):
    with pytest.raises(NotAnArticle) as exc:
        extract_article((FIXTURES / page).read_bytes())
    assert exc.value.reason == reason
    assert str(exc.value).startswith(reason)
    assert isinstance(exc.value, ValueError)


@pytest.mark.parametrize("html", [b"", b"   \n\t ", "", "\n"])
def test_blank_documents_are_empty_pages(html):
    with pytest.raises(NotAnArticle) as exc:
        extract_article(html)
    assert exc.value.reason == "empty page"


@pytest.mark.parametrize("page", ["indeks_page.html", "channel_page.html"])
def test_list_markup_without_a_data_layer_is_a_list_page(page):
    html = re.sub(r"<script.*?</script>", "", html_of(page), flags=re.S)
    with pytest.raises(NotAnArticle) as exc:
        extract_article(html)
    assert exc.value.reason == "list page"


def test_block_page_reason_names_the_page_title():
    with pytest.raises(NotAnArticle) as exc:
        extract_article(html_of("blocked_page.html"))
    assert "Access Denied" in str(exc.value)


def test_article_saved_without_scripts_is_still_an_article():
    html = re.sub(r"<script.*?</script>", "", html_of(DESKTOP), flags=re.S)
    article = extract_article(html)
    assert article.article_id == "4268345"
    assert article.title == EXPECTED[DESKTOP]["title"]
    assert article.published_at == EXPECTED[DESKTOP]["published_at"]
    assert article.published_at_source == "meta"


@pytest.mark.parametrize("name", [DESKTOP, MOBILE, PHOTO])
def test_field_sources_say_where_each_value_came_from(name):
    """Each field's recorded source is structured data on a whole page, and the visible
    markup once the page's JSON-LD, meta tags and data layer are removed."""
    whole = extract_article_pages((FIXTURES / name).read_bytes())
    kinds = {field: SOURCE_KINDS[label] for field, label in whole.sources.items()}
    assert set(whole.sources) <= set(SOURCED_FIELDS)
    for field in ("title", "published_at", "section"):
        assert kinds[field] == "structured", (field, whole.sources)
    assert kinds["body"] == "markup"
    for field in SOURCED_FIELDS:  # a source is recorded exactly for the fields found
        assert (field in whole.sources) == bool(getattr(whole.article, field)), field

    bare = extract_article_pages(without_structured_data(html_of(name)), whole.article.url)
    bare_kinds = {field: SOURCE_KINDS[label] for field, label in bare.sources.items()}
    assert "structured" not in bare_kinds.values(), bare.sources
    assert bare_kinds["title"] == "markup"
    assert bare.article.title == whole.article.title
    assert bare.article.body == whole.article.body


def test_without_structured_data_keeps_the_visible_page():
    html = html_of(DESKTOP)
    bare = without_structured_data(html)
    assert "application/ld+json" not in bare
    assert "window.kmklabs" not in bare
    assert "<meta" not in bare.replace("<meta charset", "")
    assert 'class="article-content-body' in bare


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (bytes(range(256)) * 40, "not html"),
        (html_of(DESKTOP).encode("utf-16"), "not html"),
        (html_of(DESKTOP)[:3000].encode(), "truncated page"),
    ],
    ids=["binary", "undeclared-utf-16", "cut-off-html"],
)
def test_documents_that_are_not_whole_html_say_which(document, reason):
    with pytest.raises(NotAnArticle) as refused:
        extract_article(document)
    assert refused.value.reason == reason
