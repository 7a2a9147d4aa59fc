"""Tables of real Liputan6 date shapes for newscrawl.normalize.dates, and a check over the saved corpus."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from newscrawl.normalize import dates
from newscrawl.normalize.dates import WIB, parse_datetime
from tests.helpers import shared_data_file

# The injected clock for relative dates: 2024-02-17 12:00 WIB.
NOW = datetime(2024, 2, 17, 5, 0, tzinfo=UTC)


def _utc(*parts: int) -> datetime:
    """An aware UTC datetime, to keep the tables short."""
    return datetime(*parts, tzinfo=UTC)


CASES = [
    # Desktop header, 2019-2020 (saved pages), and the "Diperbarui" line.
    pytest.param("27 Mei 2020, 23:34 WIB", _utc(2020, 5, 27, 16, 34), id="desktop-header"),
    pytest.param("Diperbarui 27 Mei 2020, 23:34 WIB", _utc(2020, 5, 27, 16, 34), id="diperbarui"),
    pytest.param(
        "Diperbarui  27 Mei 2020, 19:11 WIB", _utc(2020, 5, 27, 12, 11), id="diperbarui-2-spaces"
    ),
    pytest.param("11 Des 2019, 07:00 WIB", _utc(2019, 12, 11, 0, 0), id="des-abbrev"),
    # Mobile header.
    pytest.param(" pada 23 Jan 2021, 13:30 WIB", _utc(2021, 1, 23, 6, 30), id="mobile-pada"),
    pytest.param("pada 18 Okt 2016, 08:33 WIB", _utc(2016, 10, 18, 1, 33), id="mobile-2016-okt"),
    # 2016 desktop header (the real eras/ page) and 2015 desktop "by-author" line.
    pytest.param("on 16 Feb 2016 at 09:10 WIB", _utc(2016, 2, 16, 2, 10), id="desktop-2016-on-at"),
    pytest.param("2016-02-16 09:10:56", _utc(2016, 2, 16, 2, 10, 56), id="time-attr-2016-wib"),
    pytest.param("2016-02-16T02:10:56Z", _utc(2016, 2, 16, 2, 10, 56), id="jsonld-2016-z"),
    pytest.param(
        "By Name on 18 Jun 2015 at 06:25 WIB", _utc(2015, 6, 17, 23, 25), id="by-name-on-2015"
    ),
    pytest.param(
        "By Ahmad Hari Santoso on 1 Agt 2015 at 16:05 WIB",
        _utc(2015, 8, 1, 9, 5),
        id="by-name-with-label-word-2015",
    ),
    pytest.param(
        "Oleh Tommy Kurnia pada 23 Jan 2021, 13:30 WIB",
        _utc(2021, 1, 23, 6, 30),
        id="oleh-name-pada",
    ),
    # Newer layout: "oleh NAME diperbarui ..." then "Diterbitkan ...".
    pytest.param(
        "oleh Mabruri Pudyas Salim diperbarui 17 Feb 2024, 15:30 WIB",
        _utc(2024, 2, 17, 8, 30),
        id="oleh-name-diperbarui",
    ),
    pytest.param(
        "oleh Nanda Perdana PutraDelvira HutabaratMuhammad Radityo PriyasmoroYopi Makdori "
        "diperbarui 20 Agu 2021, 15:35 WIB",
        _utc(2021, 8, 20, 8, 35),
        id="oleh-concatenated-names",
    ),
    pytest.param(
        "Diterbitkan 20 Agu 2021, 00:01 WIB", _utc(2021, 8, 19, 17, 1), id="diterbitkan-midnight"
    ),
    pytest.param("Diterbitkan 28 Mei 2026, 12:00 WIB", _utc(2026, 5, 28, 5, 0), id="diterbitkan"),
    pytest.param(
        "DITERBITKAN 17 FEB 2024, 15:30 WIB", _utc(2024, 2, 17, 8, 30), id="upper-case-label"
    ),
    # The 2025 theme's byline box: full month names, no <time>, "Diperbaharui" spelling too.
    pytest.param(
        "Diterbitkan 15 September 2026, 15:00 WIB",
        _utc(2026, 9, 15, 8, 0),
        id="theme2025-diterbitkan-full-month",
    ),
    pytest.param(
        "Diperbaharui 29 Okt 2025, 13:00 WIB", _utc(2025, 10, 29, 6, 0), id="theme2025-diperbaharui"
    ),
    pytest.param(
        "Diperbarui 1 Desember 2025, 09:05 WIB",
        _utc(2025, 12, 1, 2, 5),
        id="theme2025-diperbarui-full-month",
    ),
    pytest.param(
        "Diterbitkan 02 Agustus 2026, 00:30 WIB",
        _utc(2026, 8, 1, 17, 30),
        id="theme2025-full-month-previous-utc-day",
    ),
    pytest.param(
        "Diperbaharui 3 Februari 2026 13:00 WIB",
        _utc(2026, 2, 3, 6, 0),
        id="theme2025-no-comma",
    ),
    pytest.param(
        "DIPERBAHARUI 10 Januari 2026, 07:15 WIB",
        _utc(2026, 1, 10, 0, 15),
        id="theme2025-upper-case-diperbaharui",
    ),
    pytest.param(
        "Dipublikasikan 17 Feb 2024, 15:30 WIB", _utc(2024, 2, 17, 8, 30), id="dipublikasikan"
    ),
    pytest.param("Update: 27 Mei 2020 14:33", _utc(2020, 5, 27, 7, 33), id="update-colon"),
    pytest.param("Tayang: 27 Mei 2020, 14.33 WIB", _utc(2020, 5, 27, 7, 33), id="tayang-colon"),
    # List items: no comma, no zone.
    pytest.param("28 Mei 2020 15:55", _utc(2020, 5, 28, 8, 55), id="list-item"),
    pytest.param("02 Jul 2020 06:30", _utc(2020, 7, 1, 23, 30), id="list-item-previous-utc-day"),
    # Weekday prefixes, with and without a comma.
    pytest.param("Rabu, 27 Mei 2020 14:33 WIB", _utc(2020, 5, 27, 7, 33), id="rabu"),
    pytest.param("Kamis, 28 Mei 2020 pukul 14.33 WIB", _utc(2020, 5, 28, 7, 33), id="kamis"),
    pytest.param("Jumat 29 Mei 2020, 14:33 WIB", _utc(2020, 5, 29, 7, 33), id="jumat-no-comma"),
    pytest.param("Jum'at, 29 Mei 2020 14:33", _utc(2020, 5, 29, 7, 33), id="jum-apostrophe"),
    pytest.param("Jum’at, 29 Mei 2020 14:33", _utc(2020, 5, 29, 7, 33), id="jum-curly-apostrophe"),
    pytest.param("Sabtu, 30 Mei 2020", _utc(2020, 5, 29, 17, 0), id="sabtu-date-only"),
    pytest.param("Minggu, 31 Mei 2020 08:00 WIB", _utc(2020, 5, 31, 1, 0), id="minggu"),
    pytest.param("Ahad, 31 Mei 2020 08:00 WIB", _utc(2020, 5, 31, 1, 0), id="ahad"),
    pytest.param("Senin, 1 Juni 2020, 10:00 WIB", _utc(2020, 6, 1, 3, 0), id="senin"),
    pytest.param("Selasa 2 Juni 2020 10:00", _utc(2020, 6, 2, 3, 0), id="selasa-no-comma"),
    pytest.param(
        "Diterbitkan Senin, 1 Juni 2020, 10:00 WIB", _utc(2020, 6, 1, 3, 0), id="label-weekday"
    ),
    pytest.param(
        "Rabu (27/5/2020) pukul 14.00 WIB", _utc(2020, 5, 27, 7, 0), id="weekday-bracketed-date"
    ),
    pytest.param(
        "Wednesday, 27 May 2020 23:34:41 +0700", _utc(2020, 5, 27, 16, 34, 41), id="english-rfc"
    ),
    # Month names: full, short, old spellings, English; case and a trailing dot.
    pytest.param("1 Januari 2021 00:00", _utc(2020, 12, 31, 17, 0), id="januari"),
    pytest.param("5 Februari 2021 10:00", _utc(2021, 2, 5, 3, 0), id="februari"),
    pytest.param("5 Pebruari 2021 10:00", _utc(2021, 2, 5, 3, 0), id="pebruari"),
    pytest.param("5 Peb 2021 10:00", _utc(2021, 2, 5, 3, 0), id="peb"),
    pytest.param("10 Maret 2021 10:00", _utc(2021, 3, 10, 3, 0), id="maret"),
    pytest.param("10 Mar 2021 10:00", _utc(2021, 3, 10, 3, 0), id="mar"),
    pytest.param("10 April 2021 10:00", _utc(2021, 4, 10, 3, 0), id="april"),
    pytest.param("10 Juni 2021 10:00", _utc(2021, 6, 10, 3, 0), id="juni"),
    pytest.param("10 Juli 2021 10:00", _utc(2021, 7, 10, 3, 0), id="juli"),
    pytest.param("17 Agustus 2021 10:00", _utc(2021, 8, 17, 3, 0), id="agustus"),
    pytest.param("17 Agt 2021 10:00", _utc(2021, 8, 17, 3, 0), id="agt"),
    pytest.param("17 Ags 2021 10:00", _utc(2021, 8, 17, 3, 0), id="ags"),
    pytest.param("17 Aug 2021 10:00", _utc(2021, 8, 17, 3, 0), id="aug"),
    pytest.param("1 September 2021 10:00", _utc(2021, 9, 1, 3, 0), id="september"),
    pytest.param("1 Sept 2021 10:00", _utc(2021, 9, 1, 3, 0), id="sept"),
    pytest.param("27 Oktober 2020 10:00", _utc(2020, 10, 27, 3, 0), id="oktober"),
    pytest.param("27 Okt. 2020 10:00", _utc(2020, 10, 27, 3, 0), id="okt-dot"),
    pytest.param("27 Oct 2020 10:00", _utc(2020, 10, 27, 3, 0), id="oct"),
    pytest.param("10 Nopember 2020 10:00", _utc(2020, 11, 10, 3, 0), id="nopember"),
    pytest.param("10 Nop 2020 10:00", _utc(2020, 11, 10, 3, 0), id="nop"),
    pytest.param("25 Desember 2020 10:00", _utc(2020, 12, 25, 3, 0), id="desember"),
    pytest.param("25 Dec 2020 10:00", _utc(2020, 12, 25, 3, 0), id="dec"),
    pytest.param("27 mei 2020 10:00", _utc(2020, 5, 27, 3, 0), id="lower-case-month"),
    pytest.param("4 July 2020 10:00", _utc(2020, 7, 4, 3, 0), id="english-full-month"),
    # Instagram embeds inside article bodies: month first, 12-hour clock, US zone.
    pytest.param("May 12, 2020 at 3:41am PDT", _utc(2020, 5, 12, 10, 41), id="instagram-am"),
    pytest.param("Sep 11, 2020 at 8:33pm PDT", _utc(2020, 9, 12, 3, 33), id="instagram-pm"),
    # Times and zones.
    pytest.param("27 Mei 2020 14.33", _utc(2020, 5, 27, 7, 33), id="dotted-time-naive-wib"),
    pytest.param("27 Mei 2020 pukul 14.33 WIB", _utc(2020, 5, 27, 7, 33), id="pukul"),
    pytest.param("27 Mei 2020 14:33:05 WIB", _utc(2020, 5, 27, 7, 33, 5), id="seconds"),
    pytest.param("27 Mei 2020, 10:00 WITA", _utc(2020, 5, 27, 2, 0), id="wita"),
    pytest.param("27 Mei 2020, 10:00 WIT", _utc(2020, 5, 27, 1, 0), id="wit"),
    pytest.param("27 Mei 2020 | 14:33", _utc(2020, 5, 27, 7, 33), id="pipe-separator"),
    pytest.param("27 Mei 2020 - 14:33 WIB", _utc(2020, 5, 27, 7, 33), id="dash-separator"),
    pytest.param("27 Mei 2020 • 14:33 WIB", _utc(2020, 5, 27, 7, 33), id="bullet-separator"),
    # ISO 8601 (meta, JSON-LD, data layer, <time datetime>).
    pytest.param("2020-05-27T23:34:41+07:00", _utc(2020, 5, 27, 16, 34, 41), id="iso-offset"),
    pytest.param("2020-05-27T16:34:41Z", _utc(2020, 5, 27, 16, 34, 41), id="iso-z"),
    pytest.param(
        "2020-05-27T23:34:41+0700", _utc(2020, 5, 27, 16, 34, 41), id="iso-offset-no-colon"
    ),
    pytest.param("2020-05-27T10:00:00-04:00", _utc(2020, 5, 27, 14, 0), id="iso-negative-offset"),
    pytest.param(
        "2020-05-27T23:34:41.5+07:00", _utc(2020, 5, 27, 16, 34, 41, 500000), id="iso-fraction"
    ),
    pytest.param("2020-05-27 23:34:41", _utc(2020, 5, 27, 16, 34, 41), id="publishdate-naive-wib"),
    pytest.param("2020-05-27T23:34:41", _utc(2020, 5, 27, 16, 34, 41), id="iso-naive-wib"),
    pytest.param("2020-05-27", _utc(2020, 5, 26, 17, 0), id="iso-date-midnight-wib"),
    pytest.param(
        "2019-09-28WIB19:17:34+07:00", _utc(2019, 9, 28, 12, 17, 34), id="iso-wib-in-the-middle"
    ),
    # Numeric dates are day first.
    pytest.param("28/05/2020 15:55", _utc(2020, 5, 28, 8, 55), id="slash-day-first"),
    pytest.param("28-05-2020", _utc(2020, 5, 27, 17, 0), id="dash-day-first"),
    pytest.param("28.05.2020", _utc(2020, 5, 27, 17, 0), id="dot-day-first"),
    pytest.param("05/06/2020", _utc(2020, 6, 4, 17, 0), id="ambiguous-is-day-first"),
    pytest.param("1/6/2020 10:00", _utc(2020, 6, 1, 3, 0), id="single-digit-day-month"),
    # Relative to NOW (2024-02-17 12:00 WIB).
    pytest.param("3 jam yang lalu", _utc(2024, 2, 17, 2, 0), id="jam-yang-lalu"),
    pytest.param("5 menit lalu", _utc(2024, 2, 17, 4, 55), id="menit-lalu"),
    pytest.param("baru saja", NOW, id="baru-saja"),
    pytest.param("detik yang lalu", NOW, id="detik-yang-lalu"),
    pytest.param("2 hari yang lalu", _utc(2024, 2, 15, 5, 0), id="hari-yang-lalu"),
    pytest.param("1 minggu yang lalu", _utc(2024, 2, 10, 5, 0), id="minggu-yang-lalu"),
    pytest.param("sejam yang lalu", _utc(2024, 2, 17, 4, 0), id="sejam"),
    pytest.param("2 bulan yang lalu", _utc(2023, 12, 17, 5, 0), id="bulan-yang-lalu"),
    pytest.param("Diperbarui 10 menit yang lalu", _utc(2024, 2, 17, 4, 50), id="label-relative"),
    pytest.param("kemarin", _utc(2024, 2, 16, 5, 0), id="kemarin-bare"),
    pytest.param("kemarin 14:33", _utc(2024, 2, 16, 7, 33), id="kemarin-time"),
    pytest.param("kemarin, 14.33 WIB", _utc(2024, 2, 16, 7, 33), id="kemarin-comma-wib"),
    pytest.param("hari ini 08:00", _utc(2024, 2, 17, 1, 0), id="hari-ini"),
    pytest.param("3 hours ago", _utc(2024, 2, 17, 2, 0), id="english-ago"),
    # Nothing certain: None, never a guess.
    pytest.param("31 Feb 2020", None, id="31-feb"),
    pytest.param("30 Februari 2021, 10:00 WIB", None, id="30-februari"),
    pytest.param("29 Februari 2021 10:00", None, id="29-feb-non-leap"),
    pytest.param("25:99", None, id="impossible-time-only"),
    pytest.param("27 Mei 2020 25:00 WIB", None, id="hour-25"),
    pytest.param("27 Mei 2020 14:60", None, id="minute-60"),
    pytest.param("28/13/2020", None, id="month-13"),
    pytest.param("2020-13-01", None, id="iso-month-13"),
    pytest.param("05/28/2020", None, id="month-first-refused"),
    pytest.param("28 Mei", None, id="no-year"),
    pytest.param("28 Mei 14:33", None, id="no-year-with-time"),
    pytest.param("Mei 2020", None, id="month-year-only"),
    pytest.param("14:33", None, id="time-only"),
    pytest.param("Senin", None, id="weekday-only"),
    pytest.param("beberapa jam yang lalu", None, id="vague-relative"),
    pytest.param("", None, id="empty"),
    pytest.param("   \n ", None, id="whitespace"),
    pytest.param("None", None, id="none-string"),
    pytest.param("-", None, id="dash"),
    pytest.param("Diperbarui", None, id="label-only"),
    pytest.param("lorem ipsum dolor", None, id="garbage"),
    pytest.param("1590598481", None, id="unix-timestamp-not-guessed"),
    pytest.param("27 Foo 2020", None, id="unknown-month"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_parse_datetime(text, expected):
    result = parse_datetime(text, now=NOW)
    assert result == expected
    if expected is not None:
        assert result.tzinfo is UTC


# A clock where WIB is already on the next day: 2024-02-18 03:00 WIB.
LATE_NOW = datetime(2024, 2, 17, 20, 0, tzinfo=UTC)
LATE_CASES = [
    pytest.param("kemarin 14:33", _utc(2024, 2, 17, 7, 33), id="kemarin-is-yesterday-in-wib"),
    pytest.param("hari ini 08:00", _utc(2024, 2, 18, 1, 0), id="hari-ini-is-today-in-wib"),
    pytest.param("kemarin", _utc(2024, 2, 16, 20, 0), id="bare-kemarin-same-time"),
]


@pytest.mark.parametrize(("text", "expected"), LATE_CASES)
def test_day_words_follow_the_wib_calendar(text, expected):
    assert parse_datetime(text, now=LATE_NOW) == expected


def test_naive_and_non_utc_clocks():
    naive = datetime(2024, 2, 17, 5, 0)
    in_wib = datetime(2024, 2, 17, 12, 0, tzinfo=WIB)
    assert parse_datetime("3 jam yang lalu", now=naive) == _utc(2024, 2, 17, 2, 0)
    assert parse_datetime("3 jam yang lalu", now=in_wib) == _utc(2024, 2, 17, 2, 0)


def test_default_clock_is_now():
    before = datetime.now(UTC)
    result = parse_datetime("5 menit yang lalu")
    after = datetime.now(UTC)
    assert before - timedelta(minutes=5) <= result <= after - timedelta(minutes=5)


def test_wib_constant():
    assert WIB.utcoffset(None) == timedelta(hours=7)


@pytest.mark.parametrize("value", [None, 20200527, b"27 Mei 2020"], ids=["none", "int", "bytes"])
def test_non_text_is_none(value):
    assert parse_datetime(value, now=NOW) is None


def test_unknown_shapes_fall_back_to_dateparser():
    # Time before date is not a Liputan6 shape; dateparser reads it, naive meaning WIB.
    assert parse_datetime("14:33, 27 Mei 2020", now=NOW) == _utc(2020, 5, 27, 7, 33)


def test_dateparser_errors_become_none(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("dateparser bug")

    import dateparser  # the module dates imports when it first needs it

    monkeypatch.setattr(dateparser, "parse", broken)
    assert parse_datetime("14:33, 27 Mei 2020", now=NOW) is None


# --- the saved corpus -------------------------------------------------------------------------

PUBLISHED_MACHINE = ("meta_published_time", "jsonld_datePublished", "visible_datetime_attr")
MODIFIED_MACHINE = ("meta_modified_time", "jsonld_dateModified")
VISIBLE = ("visible_datetime_text", "visible_modified_text", "visible_modified_datetime_attr")


@pytest.fixture(scope="module")
def oracle_rows() -> list[dict]:
    """The extracted-fields oracle of the saved pages; skips when the corpus is absent."""
    path = shared_data_file("extracted_article_fields.jsonl")
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _date_strings(row: dict) -> dict[str, str]:
    """Every non-empty date string of one oracle row, by field name."""
    found = {
        key: row[key]
        for key in (*PUBLISHED_MACHINE, *MODIFIED_MACHINE, *VISIBLE)
        if isinstance(row.get(key), str) and row[key].strip()
    }
    publish = (row.get("kmklabs_article") or {}).get("publishDate")
    if publish:
        found["kmklabs_article.publishDate"] = publish
    return found


def test_corpus_dates_all_parse(oracle_rows):
    unparsed = [
        (row["file"], key, text)
        for row in oracle_rows
        for key, text in _date_strings(row).items()
        if parse_datetime(text) is None
    ]
    assert sum(len(_date_strings(row)) for row in oracle_rows) > 500
    assert not unparsed


def test_corpus_dates_never_need_dateparser(oracle_rows, monkeypatch):
    # The fast path must read every shape Liputan6 prints; dateparser is for the unknown.
    def fallback(text, now):
        raise AssertionError(f"dateparser fallback used for {text!r}")

    monkeypatch.setattr(dates, "_dateparser_fallback", fallback)
    for row in oracle_rows:
        for text in _date_strings(row).values():
            assert parse_datetime(text) is not None


def _minute(value: datetime) -> datetime:
    return value.replace(second=0, microsecond=0)


def test_corpus_visible_and_machine_dates_agree(oracle_rows):
    # Like with like only. The visible "Diperbarui" time is not the meta modified time (meta
    # can be earlier than published; text pages then show the published time), so it is only
    # checked against its own datetime attribute.
    published_keys = (*PUBLISHED_MACHINE, "kmklabs_article.publishDate", "gtm.publication")
    compared, mismatches = 0, []
    for row in oracle_rows:
        texts = _date_strings(row)
        gtm = row.get("kmklabs_gtm") or {}
        if gtm.get("publicationDate") and gtm.get("publicationTime"):
            texts["gtm.publication"] = f"{gtm['publicationDate']} {gtm['publicationTime']}"
        parsed = {key: parse_datetime(text) for key, text in texts.items()}
        for keys in (published_keys, MODIFIED_MACHINE):
            values = {parsed[k] for k in keys if k in parsed}
            compared += bool(values)
            if len(values) > 1:
                mismatches.append((row["file"], {k: texts.get(k) for k in keys}))
        published = next((parsed[k] for k in published_keys if k in parsed), None)
        pairs = [
            # The visible published time is the machine one cut to the minute.
            ("visible_datetime_text", published and _minute(published)),
            ("visible_modified_text", parsed.get("visible_modified_datetime_attr")),
        ]
        for key, other in pairs:
            if key in parsed and other:
                compared += 1
                if parsed[key] != other:
                    mismatches.append((row["file"], texts[key], other))
    assert compared > 200
    assert not mismatches
