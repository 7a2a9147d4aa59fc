"""Table tests for newscrawl.site.bylines, plus checks over the shared Liputan6 data."""

from __future__ import annotations

import json
import re

import pytest

from newscrawl.site.bylines import (
    Byline,
    clean_name,
    is_desk_credit,
    parse_byline,
    parse_reporter_code,
    split_dateline,
    split_names,
    split_reporter_code,
)
from tests.helpers import shared_data_file

# --- clean_name -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("  Tira\xa0\xa0Santia \n", "Tira Santia", id="whitespace-nbsp"),
        pytest.param("Tira Santia.", "Tira Santia", id="trailing-dot"),
        pytest.param('"Tira Santia",', "Tira Santia", id="quotes-and-comma"),
        pytest.param("(Sahlan Heluth).", "Sahlan Heluth", id="reporter-code-brackets"),
        pytest.param("Ahmad S.", "Ahmad S.", id="final-initial-kept"),
        pytest.param("TIRA SANTIA", "Tira Santia", id="all-caps"),
        pytest.param("tira santia", "Tira Santia", id="all-lower"),
        pytest.param("Shinta NM Sinaga", "Shinta NM Sinaga", id="mixed-case-kept"),
        pytest.param("MUHAMMAD BIN SALMAN", "Muhammad bin Salman", id="particle-bin"),
        pytest.param("ADE NASIHUDIN AL ANSORI", "Ade Nasihudin Al Ansori", id="al-capitalised"),
        pytest.param("Muhammad Fahrur Safi'i", "Muhammad Fahrur Safi'i", id="apostrophe"),
        pytest.param("MUHAMMAD FAHRUR SAFI'I", "Muhammad Fahrur Safi'i", id="apostrophe-caps"),
        pytest.param("o'brien", "O'Brien", id="o-apostrophe"),
        pytest.param("SITI-NURHALIZA", "Siti-Nurhaliza", id="hyphenated"),
        pytest.param("Windi.Wicaksono", "Windi Wicaksono", id="username-dot"),
        pytest.param("Shintha.Anggundini", "Shintha Anggundini", id="username-dot-2"),
        pytest.param("sulung.mardinata", "Sulung Mardinata", id="username-lower"),
        pytest.param("M.Ali", "M. Ali", id="username-initial"),
        pytest.param("aditi4.s4putr4", "aditi4.s4putr4", id="handle-with-digits-untouched"),
        pytest.param("Liputan6.com", "Liputan6.com", id="desk-credit-untouched"),
        pytest.param("Merdeka.com", "Merdeka.com", id="domain-credit-not-a-username"),
        pytest.param("AFP", "AFP", id="agency-caps-kept"),
        pytest.param("ULF", "ULF", id="reporter-code-kept"),
        pytest.param("", None, id="empty"),
        pytest.param("  ,. ", None, id="punctuation-only"),
        pytest.param(None, None, id="none"),
    ],
)
def test_clean_name(text, expected):
    assert clean_name(text) == expected


# --- split_names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Pipit Ika Ramadhani, Tira Santia, Athika Rahma, Maulandy Rizky Bayu Kencana",
            ["Pipit Ika Ramadhani", "Tira Santia", "Athika Rahma", "Maulandy Rizky Bayu Kencana"],
            id="gtm-authors-four",
        ),
        pytest.param("oleh Tommy Kurnia", ["Tommy Kurnia"], id="prefix-oleh"),
        pytest.param("Oleh: Tira Santia", ["Tira Santia"], id="prefix-oleh-colon"),
        pytest.param("Penulis: Tira Santia", ["Tira Santia"], id="prefix-penulis"),
        pytest.param("Penulis : Tira Santia", ["Tira Santia"], id="prefix-space-colon"),
        pytest.param("Editor: Nurmayanti", ["Nurmayanti"], id="prefix-editor"),
        pytest.param("Reporter: Lizsa Egeham", ["Lizsa Egeham"], id="prefix-reporter"),
        pytest.param("Teks: Adi; Foto: Budi", ["Adi", "Budi"], id="prefix-teks-foto"),
        pytest.param("Photographer: Angga Yuniar", ["Angga Yuniar"], id="prefix-photographer"),
        pytest.param("Kontributor: Eka Hakim", ["Eka Hakim"], id="prefix-kontributor"),
        pytest.param("by Tira Santia", ["Tira Santia"], id="prefix-by"),
        pytest.param("Byron Smith", ["Byron Smith"], id="by-inside-a-name"),
        pytest.param("Oleh: Penulis: Tira Santia", ["Tira Santia"], id="stacked-prefixes"),
        pytest.param(
            "Penulis: Tira Santia | Editor: Nurmayanti",
            ["Tira Santia", "Nurmayanti"],
            id="prefix-per-part",
        ),
        pytest.param(
            "Tira Santia, Athika Rahma dan Septian Deny",
            ["Tira Santia", "Athika Rahma", "Septian Deny"],
            id="comma-and-dan",
        ),
        pytest.param("Tira Santia & Athika Rahma", ["Tira Santia", "Athika Rahma"], id="ampersand"),
        pytest.param("Tira Santia and Athika Rahma", ["Tira Santia", "Athika Rahma"], id="and"),
        pytest.param("Tira Santia; Athika Rahma", ["Tira Santia", "Athika Rahma"], id="semicolon"),
        pytest.param("Tira Santia / Athika Rahma", ["Tira Santia", "Athika Rahma"], id="slash"),
        pytest.param("Tira Santia|Athika Rahma", ["Tira Santia", "Athika Rahma"], id="pipe"),
        pytest.param(
            "TIRA SANTIA DAN ATHIKA RAHMA", ["Tira Santia", "Athika Rahma"], id="caps-dan"
        ),
        pytest.param("Dan Brown", ["Dan Brown"], id="dan-as-a-name"),
        pytest.param("Tira Santia, TIRA SANTIA, tira santia", ["Tira Santia"], id="duplicates"),
        pytest.param(
            "Athika Rahma, Tira Santia, Athika Rahma",
            ["Athika Rahma", "Tira Santia"],
            id="duplicate-keeps-first",
        ),
        pytest.param("Tira Santia dkk", ["Tira Santia"], id="dkk"),
        pytest.param(
            "oleh Tommy Kurnia pada 23 Jan 2021, 13:30 WIB", ["Tommy Kurnia"], id="mobile-date"
        ),
        pytest.param(
            "By Merdi Sofansyah on 18 Jun 2015 at 06:25 WIB", ["Merdi Sofansyah"], id="by-on-2015"
        ),
        pytest.param(
            "By Rina Maharani and Anto Susanto on 18 Jun 2015 at 06:25 WIB",
            ["Rina Maharani", "Anto Susanto"],
            id="by-two-on-2015",
        ),
        pytest.param(
            "oleh Mabruri Pudyas Salim diperbarui 17 Feb 2024, 15:30 WIB",
            ["Mabruri Pudyas Salim"],
            id="newer-layout-date",
        ),
        pytest.param(
            "Nanda Perdana PutraDelvira HutabaratMuhammad Radityo PriyasmoroYopi Makdori",
            [
                "Nanda Perdana Putra",
                "Delvira Hutabarat",
                "Muhammad Radityo Priyasmoro",
                "Yopi Makdori",
            ],
            id="names-run-together",
        ),
        pytest.param(
            "LeBron James, Ryan McDonald", ["LeBron James", "Ryan McDonald"], id="camel-kept"
        ),
        pytest.param(
            "Liputan6.com/Angga Yuniar", ["Liputan6.com", "Angga Yuniar"], id="photo-credit"
        ),
        pytest.param(
            "(TNA/Merdi Sofansyah dan Anto Susanto).",
            ["TNA", "Merdi Sofansyah", "Anto Susanto"],
            id="reporter-code-2000",
        ),
        pytest.param("Windi.Wicaksono", ["Windi Wicaksono"], id="username"),
        pytest.param(
            "Tira Santia &amp; Athika Rahma", ["Tira Santia", "Athika Rahma"], id="entity"
        ),
        pytest.param("", [], id="empty"),
        pytest.param(None, [], id="none"),
        pytest.param(" , ; ", [], id="separators-only"),
        pytest.param("Editor:", [], id="label-only"),
    ],
)
def test_split_names(text, expected):
    assert split_names(text) == expected


# --- is_desk_credit -------------------------------------------------------------------------

DESK_CREDITS = [
    "Liputan6.com",
    "liputan6.com",
    "Liputan6dotcom",
    "Liputan6com",
    "Liputan Enam",
    "Liputan6 .com",
    "Tim Liputan6.com",
    "Tim Liputan6",
    "Tim Cek Fakta",
    "Redaksi",
    "Tim Redaksi",
    "Antara",
    "ANTARA",
    "Merdeka.com",
    "Bola.com",
    "Fimela.com",
    "Fimela Editor",
    "Bintang Pictures",
    "Fimela Pictures",
    "Reuters",
    "AFP",
    "AP",
    "Xinhua",
    "Kapanlagi.com",
    "Vidio.com",
    "Bintang.com",
    "Dream.co.id",
    "Bisnis.com",
    "Kompas.com",
    "KLY",
    "Okezone.com",
    "tempo.co",
    "Humas Polri",
]
PEOPLE = [
    "Tira Santia",
    "Tim Burton",
    "Tommy Kurnia",
    "Windi Wicaksono",
    "Windi.Wicaksono",
    "Muhammad Fahrur Safi'i",
    "Merdi Sofansyah",
    "Antariksa",
    "Apriyanto",
    "Triyasni",
    "",
]


@pytest.mark.parametrize("name", DESK_CREDITS)
def test_is_desk_credit(name):
    assert is_desk_credit(name)


@pytest.mark.parametrize("name", PEOPLE)
def test_people_are_not_desk_credits(name):
    assert not is_desk_credit(name)


# --- parse_byline ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Liputan6.com", Byline([], ["Liputan6.com"]), id="desk-only"),
        pytest.param("Liputan6dotcom", Byline([], ["Liputan6.com"]), id="dotcom-spelling"),
        pytest.param(
            "Bintang Pictures, Fimela Pictures, Liputan6com, Liputan6dotcom",
            Byline([], ["Bintang Pictures", "Fimela Pictures", "Liputan6.com"]),
            id="credits-deduplicated-after-canonical",
        ),
        pytest.param(
            "Fauzan, Liputan Enam, Liputan6dotcom",
            Byline(["Fauzan"], ["Liputan6.com"]),
            id="person-and-desk",
        ),
        pytest.param(
            "Herman Zakharia, Liputan6.com, Merdeka.com, Triyasni",
            Byline(["Herman Zakharia", "Triyasni"], ["Liputan6.com", "Merdeka.com"]),
            id="gtm-photographers",
        ),
        pytest.param("ANTARA", Byline([], ["Antara"]), id="antara-caps"),
        pytest.param("Reuters/AFP", Byline([], ["Reuters", "AFP"]), id="agencies"),
        pytest.param("tim liputan6", Byline([], ["Tim Liputan6.com"]), id="team"),
        pytest.param("OKEZONE.COM", Byline([], ["Okezone.com"]), id="unknown-domain-recased"),
        pytest.param(
            "Liputan6.com/Angga Yuniar", Byline(["Angga Yuniar"], ["Liputan6.com"]), id="photo"
        ),
        pytest.param(
            "(ULF/Sahlan Heluth).",
            Byline(["Sahlan Heluth"], [], ["ULF"]),
            id="reporter-code",
        ),
        pytest.param("(WIL/AYB).", Byline([], [], ["WIL", "AYB"]), id="codes-only"),
        pytest.param(
            "Shintha.Anggundini", Byline(["Shintha Anggundini"], []), id="username-is-a-person"
        ),
        pytest.param(None, Byline([], []), id="none"),
    ],
)
def test_parse_byline(text, expected):
    assert parse_byline(text) == expected


# --- split_dateline -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "place", "rest"),
    [
        pytest.param(
            "Liputan6.com, Jakarta - Presiden Joko Widodo",
            "Jakarta",
            "Presiden Joko Widodo",
            id="dash",
        ),
        pytest.param(
            "Liputan6.com, Jakarta Sepekan lamanya pusat perbelanjaan",
            "Jakarta",
            "Sepekan lamanya pusat perbelanjaan",
            id="no-separator",
        ),
        pytest.param(
            "Liputan6.com, Jakarta Warga Nusa Dua digegerkan",
            "Jakarta",
            "Warga Nusa Dua digegerkan",
            id="no-separator-place-later",
        ),
        pytest.param(
            "Liputan6.com, Jakarta- Cek Fakta Liputan6.com mendapati",
            "Jakarta",
            "Cek Fakta Liputan6.com mendapati",
            id="dash-without-space-before",
        ),
        pytest.param(
            "Liputan6.com, Jakarta -Cek Fakta", "Jakarta", "Cek Fakta", id="dash-no-space-after"
        ),
        pytest.param(
            "Liputan6.com, Ambon: Partai Bulan Bintang wilayah Maluku",
            "Ambon",
            "Partai Bulan Bintang wilayah Maluku",
            id="colon-2001",
        ),
        pytest.param(
            "Liputan6.com, Jakarta: Tiga korban penembakan polisi",
            "Jakarta",
            "Tiga korban penembakan polisi",
            id="colon-2009",
        ),
        pytest.param(
            "Liputan6.com,\xa0Jakarta\xa0-\xa0Kasus COVID-19",
            "Jakarta",
            "Kasus COVID-19",
            id="nbsp",
        ),
        pytest.param(
            "Liputan6.com, Nusa Dua, Bali - Presiden tiba",
            "Nusa Dua, Bali",
            "Presiden tiba",
            id="place-with-region",
        ),
        pytest.param(
            "Liputan6.com, Bangka Belitung - Dianggap rentan",
            "Bangka Belitung",
            "Dianggap rentan",
            id="two-word-region",
        ),
        pytest.param(
            "Liputan6.com, Kota Kinabalu - Warga", "Kota Kinabalu", "Warga", id="unknown-two-words"
        ),
        pytest.param(
            "Liputan6.com, Malang Raya - Warga", "Malang Raya", "Warga", id="place-and-suffix"
        ),
        pytest.param(
            "Liputan6.com, Bandar Lampung Polisi menangkap",
            "Bandar Lampung",
            "Polisi menangkap",
            id="multi-word-no-separator",
        ),
        pytest.param(
            "Liputan6.com, Tangerang Selatan Warga",
            "Tangerang Selatan",
            "Warga",
            id="tangerang-selatan",
        ),
        pytest.param(
            "Liputan6.com, Kuala Lumpur Perdana Menteri Malaysia",
            "Kuala Lumpur",
            "Perdana Menteri Malaysia",
            id="kuala-lumpur",
        ),
        pytest.param(
            "Liputan6.com, New York Harga minyak", "New York", "Harga minyak", id="new-york"
        ),
        pytest.param(
            "Liputan6.com, Urbino - Pembalap Monster Energy Yamaha",
            "Urbino",
            "Pembalap Monster Energy Yamaha",
            id="foreign-unknown-town",
        ),
        pytest.param(
            "Liputan6.com, Urbino Pembalap Yamaha", "Urbino", "Pembalap Yamaha", id="one-word"
        ),
        pytest.param(
            "Liputan6.com, Jakarta Timur Tengah kembali memanas",
            "Jakarta",
            "Timur Tengah kembali memanas",
            id="timur-tengah-is-not-jakarta-timur",
        ),
        pytest.param(
            "Liputan6.com, Jakarta Presiden Jokowi - sapaan akrab Joko Widodo",
            "Jakarta",
            "Presiden Jokowi - sapaan akrab Joko Widodo",
            id="later-dash-not-a-separator",
        ),
        pytest.param(
            "Liputan6.com, Jakarta Menteri berkata: cukup",
            "Jakarta",
            "Menteri berkata: cukup",
            id="later-colon-not-a-separator",
        ),
        pytest.param(
            "Liputan6.com, Jakarta, Presiden tiba", "Jakarta", "Presiden tiba", id="comma"
        ),
        pytest.param("LIPUTAN6.COM, JAKARTA - Harga", "JAKARTA", "Harga", id="all-caps"),
        pytest.param(
            "Jakarta - Persipura Jayapura mewujudkan",
            "Jakarta",
            "Persipura Jayapura mewujudkan",
            id="bola-copy",
        ),
        pytest.param("Madrid – Real Madrid menang", "Madrid", "Real Madrid menang", id="en-dash"),
        pytest.param("Rio de Janeiro — Brasil", "Rio de Janeiro", "Brasil", id="em-dash-particle"),
        pytest.param(
            "Presiden Joko Widodo - yang akrab disapa Jokowi",
            None,
            "Presiden Joko Widodo - yang akrab disapa Jokowi",
            id="sentence-start-kept",
        ),
        pytest.param("Presiden - yang", None, "Presiden - yang", id="title-word-kept"),
        pytest.param("Inggris - Italia 2-1", None, "Inggris - Italia 2-1", id="match-up-kept"),
        pytest.param("KPK - lembaga antirasuah", None, "KPK - lembaga antirasuah", id="acronym"),
        pytest.param(
            "Liputan6.com bersama BAZNAS menggalang",
            None,
            "Liputan6.com bersama BAZNAS menggalang",
            id="liputan6-as-subject",
        ),
        pytest.param(
            "Sepekan lamanya pusat perbelanjaan",
            None,
            "Sepekan lamanya pusat perbelanjaan",
            id="no-dateline",
        ),
        pytest.param("", None, "", id="empty"),
    ],
)
def test_split_dateline(text, place, rest):
    assert split_dateline(text) == (place, rest)


# --- checks over the shared data ------------------------------------------------------------


def _oracle_rows() -> list[dict]:
    """The rows of the extracted-fields oracle."""
    path = shared_data_file("extracted_article_fields.jsonl")
    return [json.loads(line) for line in path.open(encoding="utf-8")]


def test_every_oracle_dateline_has_a_place():
    """Each first paragraph starting "Liputan6.com," yields a place and loses only its dateline."""
    checked = 0
    for row in _oracle_rows():
        paragraph = row.get("first_paragraph") or ""
        if not paragraph.startswith("Liputan6.com,"):
            continue
        place, rest = split_dateline(paragraph)
        assert place, paragraph[:80]
        assert paragraph.endswith(rest) and rest, paragraph[:80]
        assert re.fullmatch(
            r"Liputan6\.com,\s*" + re.escape(place) + r"\s*[-–:]?\s*", paragraph[: -len(rest)]
        )
        checked += 1
    assert checked >= 80


def test_dataset_datelines_and_reporter_codes():
    """2000-2010 copy: "Liputan6.com, Ambon: …" datelines and "(ULF/Sahlan Heluth)." codes."""
    rows = [
        json.loads(line)
        for line in shared_data_file("liputan6_summarization_dataset_samples.jsonl").open(
            encoding="utf-8"
        )
    ]
    articles = [row["clean_article"] for row in rows if isinstance(row.get("clean_article"), str)]
    assert articles
    for article in articles:
        place, rest = split_dateline(article)
        assert place and not rest.startswith(":"), article[:60]
        code = re.search(r"\(([^()]+)\)\.?$", article)
        assert code, article[-60:]
        byline = parse_byline(code.group(1))
        assert byline.codes and all(c.isupper() for c in byline.codes)
        assert not any(is_desk_credit(name) for name in byline.people)


def test_oracle_credit_lines_split_cleanly():
    """Every data-layer credit line splits into names; desk names never land among people."""
    desk = {"liputan6.com", "liputan6dotcom", "liputan6com", "liputan enam", "merdeka.com"}
    lines = 0
    for row in _oracle_rows():
        gtm = row.get("kmklabs_gtm") or {}
        authors = gtm.get("authors") if isinstance(gtm.get("authors"), dict) else {}
        for text in (
            authors.get("names"),
            *(gtm.get(k) for k in ("reporters", "editors", "photographers")),
        ):
            if not text:
                continue
            byline = parse_byline(text)
            raw = [n.strip() for n in text.split(",") if n.strip()]
            assert len(byline.people) + len(byline.credits) <= len(raw), text
            assert byline.people or byline.credits, text
            assert not {p.casefold() for p in byline.people} & desk, text
            assert all(name == name.strip() and "  " not in name for name in byline.people), text
            lines += 1
    assert lines >= 200


# The closing reporter code: real endings of the summarization corpus (2000-2010), the real
# 2016 page and a 2021 saved page, and endings that are not codes.
REPORTER_CODES = [
    pytest.param(
        "Selain itu, para pengutang tersebut diwajibkan memberikan jaminan pribadinya."
        " (TNA/Merdi Sofansyah dan Anto Susanto).",
        "Selain itu, para pengutang tersebut diwajibkan memberikan jaminan pribadinya.",
        "(TNA/Merdi Sofansyah dan Anto Susanto)",
        ["Merdi Sofansyah", "Anto Susanto"],
        ["TNA"],
        id="2001-two-reporters",
    ),
    pytest.param(
        "Ridwan berharap agenda politik partai ditindaklanjuti. (ULF/Sahlan Heluth).",
        "Ridwan berharap agenda politik partai ditindaklanjuti.",
        "(ULF/Sahlan Heluth)",
        ["Sahlan Heluth"],
        ["ULF"],
        id="2001-one-reporter",
    ),
    pytest.param(
        "Simak selengkapnya di video. (WIL/AYB).",
        "Simak selengkapnya di video.",
        "(WIL/AYB)",
        [],
        ["WIL", "AYB"],
        id="2009-codes-only",
    ),
    pytest.param(
        "Kecelakaan diduga akibat sopir truk kurang hati-hati. (ADO/Dandi Arigafur).",
        "Kecelakaan diduga akibat sopir truk kurang hati-hati.",
        "(ADO/Dandi Arigafur)",
        ["Dandi Arigafur"],
        ["ADO"],
        id="2007",
    ),
    pytest.param("(Cas/Isk)", "", "(Cas/Isk)", [], ["Cas", "Isk"], id="2016-own-paragraph"),
    pytest.param("(Dio/Ysl)", "", "(Dio/Ysl)", [], ["Dio", "Ysl"], id="2021-own-paragraph"),
    pytest.param(
        "Data dari Badan Pusat Statistik (BPS)",
        "Data dari Badan Pusat Statistik (BPS)",
        None,
        [],
        [],
        id="abbreviation-not-a-code",
    ),
    pytest.param(
        "Warga mengungsi. (Liputan6.com/Angga Yuniar)",
        "Warga mengungsi. (Liputan6.com/Angga Yuniar)",
        None,
        [],
        [],
        id="photo-credit-not-a-code",
    ),
    pytest.param("Rabu (2/6/2020)", "Rabu (2/6/2020)", None, [], [], id="date-not-a-code"),
]


@pytest.mark.parametrize(("text", "rest", "code", "people", "codes"), REPORTER_CODES)
def test_reporter_code(text, rest, code, people, codes):
    assert split_reporter_code(text) == (rest, code)
    byline = parse_reporter_code(code)
    assert (byline.people, byline.codes) == (people, codes)


def test_dataset_reporter_codes_leave_the_text():
    """Every full text of the summarization corpus ends in a code that splits off cleanly."""
    rows = [
        json.loads(line)
        for line in shared_data_file("liputan6_summarization_dataset_samples.jsonl").open(
            encoding="utf-8"
        )
    ]
    articles = [row["clean_article"] for row in rows if isinstance(row.get("clean_article"), str)]
    last_tokens = [
        row["clean_article_last_sentence_tokens"]
        for row in rows
        if "clean_article_last_sentence_tokens" in row
    ]
    texts = articles + [
        " ".join(t).replace(" .", ".").replace("( ", "(").replace(" )", ")") for t in last_tokens
    ]
    assert len(texts) >= 4
    for text in texts:
        rest, code = split_reporter_code(text)
        assert code and rest and rest.endswith((".", "]")), text[-60:]
        assert parse_reporter_code(code).codes, code
