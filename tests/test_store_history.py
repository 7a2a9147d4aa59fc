"""Captures placed by capture time: each test that takes `store` runs on SQLite, mongomock and
MongoDB over the wire (tests/stores.py).

Re-extraction and WARC imports hand the store pages captured in the past; an older capture
must land in the history, never over a newer current document.
"""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from newscrawl import cli
from newscrawl.serialize import datetime_z
from newscrawl.site import EXTRACTOR_VERSION
from newscrawl.store.base import (
    ARCHIVED_COPY,
    CRAWL,
    RAW_PAGE_FIELDS,
    RE_EXTRACTION,
    WriteResult,
    article_document,
    capture_meta,
    documents,
    keyset_pages,
)
from newscrawl.store.history import batch_rounds
from tests.helpers import make_article, make_doc
from tests.stores import (  # noqa: F401 (the fixtures `backend` and `store`)
    T1,
    T2,
    T3,
    Backend,
    backend_fixture,
    store_fixture,
)

DAY = timedelta(days=1)
# When the archive captured the pages: long before the writes at T1..T3.
C1 = datetime(2023, 5, 1, 6, 0, tzinfo=UTC)
C2 = C1 + DAY
C3 = C2 + DAY
C4 = C3 + DAY


def aid(n: int) -> str:
    """The Liputan6 article id of make_doc(n)."""
    return make_doc(n)["article_id"]


def capture(n: int, fetched_at: datetime, reason: str = ARCHIVED_COPY, **changes: Any) -> dict:
    """The document of an archived (or re-extracted) copy of article n captured at fetched_at."""
    meta = {
        "fetched_at": fetched_at,
        "version_reason": reason,
        "warc_file": f"CC-NEWS-{fetched_at:%Y%m%d}.warc.gz",
        "warc_offset": 1000 + n,
        "archive": "commoncrawl-news" if reason == ARCHIVED_COPY else None,
    }
    return article_document(make_article(n, **changes), meta)


def history(store, n: int) -> list[tuple[datetime, str, int]]:
    """(fetched_at, title, version) of article n's history, in the order versions() gives."""
    return [(v["fetched_at"], v["title"], v["version"]) for v in store.versions(aid(n))]


def counts(result: WriteResult) -> tuple[int, int, int, int]:
    """(new, updated, unchanged, earlier)."""
    return result.new, result.updated, result.unchanged, result.earlier


# ---- documents() and the capture fields -------------------------------------------------------


def test_documents_take_a_time_or_a_dict_of_capture_fields():
    own = datetime(2022, 1, 1, tzinfo=UTC)
    replayed = {**make_article(3).to_dict(), "fetched_at": own, "warc_file": "own.warc.gz"}
    meta = {
        "fetched_at": C1,
        "extractor_version": 7,
        "version_reason": RE_EXTRACTION,
        "warc_file": "a.warc.gz",
        "warc_offset": 4096,
    }

    plain, rich, mixed = documents(
        [(make_article(1), T1), (make_article(2), meta), (replayed, meta)]
    )

    assert {k: plain[k] for k in meta} | {"archive": plain["archive"]} == {
        "fetched_at": T1,
        "extractor_version": EXTRACTOR_VERSION,
        "version_reason": CRAWL,
        "warc_file": None,
        "warc_offset": None,
        "archive": None,
    }
    assert {k: rich[k] for k in meta} == meta
    assert rich["archive"] is None
    # The item's own values win, as its own fetched_at always did; meta fills the rest.
    assert (mixed["fetched_at"], mixed["warc_file"], mixed["warc_offset"]) == (
        own,
        "own.warc.gz",
        4096,
    )
    assert rich["content_hash"] == make_doc(2)["content_hash"]  # capture fields are not content


def test_article_document_of_a_dict_carries_its_capture_fields():
    item = {**make_article(1).to_dict(), "version_reason": ARCHIVED_COPY, "archive": "wayback"}

    doc = article_document(item)

    assert (doc["version_reason"], doc["archive"], doc["fetched_at"]) == (
        ARCHIVED_COPY,
        "wayback",
        None,
    )
    assert article_document(make_article(1))["extractor_version"] == EXTRACTOR_VERSION


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ({}, {}),
        ({"fetched_at": "2023-05-01T06:00:00Z", "warc_offset": None}, {"fetched_at": C1}),
        (
            {"extractor_version": 2, "version_reason": "archived copy", "archive": "cc"},
            {"extractor_version": 2, "version_reason": "archived copy", "archive": "cc"},
        ),
        (
            {"warc_file": "a.warc.gz", "warc_offset": 17},
            {"warc_file": "a.warc.gz", "warc_offset": 17},
        ),
        ({"title": "not a capture field"}, {}),
        (
            {
                "next_due_at": "2023-05-02T06:00:00.123456+07:00",
                "etag": 'W/"5500001-a1"',
                "last_modified": "Mon, 01 May 2023 06:00:00 GMT",
            },
            {
                "next_due_at": datetime(2023, 5, 1, 23, 0, 0, 123000, tzinfo=UTC),  # as stored
                "etag": 'W/"5500001-a1"',
                "last_modified": "Mon, 01 May 2023 06:00:00 GMT",
            },
        ),
        ({"next_due_at": None, "etag": None}, {}),
    ],
)
def test_capture_meta_reads_a_dead_letter_line(line, expected):
    assert capture_meta(line) == expected


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"fetched_at": 12}, "fetched_at"),
        ({"fetched_at": "yesterday"}, "yesterday"),
        ({"extractor_version": "2"}, "extractor_version"),
        ({"extractor_version": True}, "extractor_version"),
        ({"warc_offset": 1.5}, "warc_offset"),
        ({"warc_file": 3}, "warc_file"),
        ({"version_reason": "whim"}, "version_reason"),
        ({"next_due_at": 1714543200}, "next_due_at"),
        ({"next_due_at": "tomorrow"}, "next_due_at"),
        ({"etag": 17}, "etag"),
        ({"last_modified": ["Mon"]}, "last_modified"),
    ],
)
def test_capture_meta_refuses_a_wrong_value(line, field):
    with pytest.raises(ValueError, match=field):
        capture_meta(line)


def test_batch_rounds_keep_distinct_captures_and_collapse_crawl_copies():
    crawl_a, crawl_b = make_doc(1, title="a"), make_doc(1, title="b")
    early, late = capture(2, C1), capture(2, C2, title="later")
    same_again = capture(2, C1, title="same capture, later copy")

    rounds = batch_rounds([crawl_a, early, late, crawl_b, same_again, make_doc(3)])

    assert [[(d["article_id"], d["title"]) for d in batch] for batch in rounds] == [
        [(aid(1), "b"), (aid(2), "same capture, later copy"), (aid(3), "Berita nomor 3")],
        [(aid(2), "later")],
    ]


def test_keyset_pages_reads_every_row_once_page_by_page():
    rows = [{"article_id": f"{n:03d}"} for n in range(7)]
    asked = []

    def fetch(after, size):
        asked.append(after)
        return [r for r in rows if after is None or r["article_id"] > after][:size]

    assert list(keyset_pages(fetch, size=3)) == rows
    assert asked == [None, "002", "005"]


# ---- placement by capture time ----------------------------------------------------------------


def test_an_older_capture_becomes_an_earlier_version_and_leaves_the_current_one(store):
    store.write_articles([make_doc(1, title="Judul sekarang")], run_id="run-1", now=T1)
    before = store.get_article(aid(1))
    old = capture(1, C1)

    result = store.write_articles([old], run_id="import-1", now=T2)

    assert counts(result) == (0, 0, 0, 1)
    assert store.get_article(aid(1)) == {**before, "version": 3}
    (earlier,) = store.versions(aid(1))
    assert earlier == {
        **old,
        "_id": f"liputan6:{aid(1)}:v2",
        "doc_id": f"liputan6:{aid(1)}",
        "version": 2,
        "first_seen_at": T1,
        "last_seen_at": C1,
        "run_id": "import-1",
        "replaced_at": T2,
    }
    assert store.count_articles() == 1


def test_a_newer_capture_replaces_the_current_version(store):
    store.write_articles([capture(1, C1)], run_id="import-1", now=T1)

    result = store.write_articles([capture(1, C2, title="Judul baru")], run_id="import-2", now=T2)

    assert counts(result) == (0, 1, 0, 0)
    current = store.get_article(aid(1))
    assert (current["title"], current["fetched_at"], current["version"]) == ("Judul baru", C2, 2)
    assert (current["first_seen_at"], current["warc_file"]) == (T1, "CC-NEWS-20230502.warc.gz")
    assert history(store, 1) == [(C1, "Berita nomor 1", 1)]


def test_the_same_capture_twice_is_unchanged_as_current_and_as_earlier(store):
    store.write_articles([capture(1, C1), capture(2, C3)], run_id="import-1", now=T1)
    store.write_articles([capture(2, C1, title="Lama")], run_id="import-1", now=T1)
    before = (store.get_article(aid(1)), store.get_article(aid(2)), store.versions(aid(2)))

    again = [capture(1, C1), capture(2, C1, title="Lama")]
    result = store.write_articles(again, run_id="import-2", now=T2)

    assert counts(result) == (0, 0, 2, 0)
    assert (store.get_article(aid(1)), store.get_article(aid(2)), store.versions(aid(2))) == before


@pytest.mark.parametrize("neighbour", ["before", "after"])
def test_an_earlier_capture_identical_to_its_neighbour_is_unchanged(store, neighbour):
    store.write_articles([capture(1, C4, title="Terbaru")], run_id="r", now=T1)
    store.write_articles([capture(1, C1, title="Pertama")], run_id="r", now=T1)
    store.write_articles([capture(1, C3, title="Ketiga")], run_id="r", now=T1)
    expected = history(store, 1)
    assert expected == [(C1, "Pertama", 2), (C3, "Ketiga", 4)]
    # Captured between "Pertama" (C1) and "Ketiga" (C3), with the content of one of them.
    title = "Pertama" if neighbour == "before" else "Ketiga"

    result = store.write_articles([capture(1, C2, title=title)], run_id="r2", now=T2)

    assert counts(result) == (0, 0, 1, 0)
    assert history(store, 1) == expected
    assert store.get_article(aid(1))["version"] == 5


def test_an_earlier_capture_of_the_current_content_moves_its_first_capture_back(store):
    store.write_articles([capture(1, C3)], run_id="r", now=T1)

    result = store.write_articles([capture(1, C2)], run_id="r", now=T2)

    # Unchanged content, first captured earlier than known: fetched_at and the raw page
    # are the earliest capture's, whichever order the copies came in.
    assert counts(result) == (0, 0, 1, 0)
    assert store.versions(aid(1)) == []
    doc = store.get_article(aid(1))
    assert doc["fetched_at"] == C2
    assert (doc["warc_file"], doc["warc_offset"]) == (capture(1, C2)["warc_file"], 1001)
    assert doc["version"] == 1
    # Once that content is history, an earlier copy of it changes nothing: only the current
    # version's first capture moves.
    store.write_articles([capture(1, C4, title="Keempat")], run_id="r", now=T3)
    result = store.write_articles([capture(1, C1)], run_id="r", now=T3)
    assert counts(result) == (0, 0, 1, 0)
    assert store.get_article(aid(1))["fetched_at"] == C4
    assert [v["fetched_at"] for v in store.versions(aid(1))] == [C2]


def test_an_earlier_capture_between_different_versions_is_placed_between_them(store):
    store.write_articles([capture(1, C1, title="Pertama")], run_id="r", now=T1)
    store.write_articles([capture(1, C3, title="Ketiga")], run_id="r", now=T1)

    result = store.write_articles([capture(1, C2, title="Kedua")], run_id="r", now=T2)

    assert counts(result) == (0, 0, 0, 1)
    assert history(store, 1) == [(C1, "Pertama", 1), (C2, "Kedua", 3)]
    current = store.get_article(aid(1))
    assert (current["title"], current["fetched_at"], current["version"]) == ("Ketiga", C3, 4)


# Two captures of one content, then two edits.
CAPTURES = [(C1, "Pertama"), (C2, "Pertama"), (C3, "Ketiga"), (C4, "Keempat")]


@pytest.mark.parametrize("order", list(itertools.permutations(range(4))), ids=str)
def test_captures_imported_in_any_order_end_with_the_latest_as_current(store, order):
    for n, index in enumerate(order):
        when, title = CAPTURES[index]
        store.write_articles([capture(1, when, title=title)], run_id=f"r{n}", now=T1 + n * DAY)

    current = store.get_article(aid(1))
    assert (current["title"], current["fetched_at"]) == ("Keempat", C4)
    past = [(when, title) for when, title, _ in history(store, 1)]
    # One version per content; which of its two captures is kept depends on the order.
    assert past in ([(C1, "Pertama"), (C3, "Ketiga")], [(C2, "Pertama"), (C3, "Ketiga")])
    versions = [v["version"] for v in store.versions(aid(1))] + [current["version"]]
    assert len(set(versions)) == len(versions)


def test_several_captures_of_one_article_in_one_batch_are_all_placed(store):
    batch = [capture(1, when, title=title) for when, title in reversed(CAPTURES)]

    result = store.write_articles(batch, run_id="import-1", now=T1)

    assert counts(result) == (1, 0, 1, 2)
    assert result.superseded == 0
    current = store.get_article(aid(1))
    assert (current["title"], current["fetched_at"]) == ("Keempat", C4)
    assert history(store, 1) == [(C2, "Pertama", 4), (C3, "Ketiga", 2)]


def test_a_reverted_edit_imported_out_of_order_keeps_the_latest_capture_current(store):
    # The site showed "Asli" at C1 and again at C3; "Sempat diubah" at C2 was reverted.
    store.write_articles([capture(1, C1, title="Asli")], run_id="r", now=T1)
    store.write_articles([capture(1, C3, title="Asli")], run_id="r", now=T1)
    before = store.get_article(aid(1))
    assert (before["fetched_at"], before["last_seen_at"]) == (C1, C3)

    result = store.write_articles([capture(1, C2, title="Sempat diubah")], run_id="r", now=T2)

    assert counts(result) == (0, 0, 0, 1)
    assert store.get_article(aid(1)) == {**before, "version": 3}
    assert history(store, 1) == [(C2, "Sempat diubah", 2)]
    # Imported again, or in the other order: the same archive.
    again = store.write_articles([capture(1, C2, title="Sempat diubah")], run_id="r", now=T3)
    assert counts(again) == (0, 0, 1, 0)
    assert history(store, 1) == [(C2, "Sempat diubah", 2)]


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_a_reverted_edit_leaves_the_last_captured_content_current_in_any_order(store, order):
    captures = [(C1, "Asli"), (C2, "Sempat diubah"), (C3, "Asli")]
    for n in order:
        when, title = captures[n]
        store.write_articles([capture(1, when, title=title)], run_id="r", now=T1)

    current = store.get_article(aid(1))
    assert (current["title"], current["last_seen_at"]) == ("Asli", C3)
    past = history(store, 1)
    assert (C2, "Sempat diubah") in [(when, title) for when, title, _ in past]
    assert past == sorted(past)
    # Version numbers are unique, the current one the highest (not contiguous: docs/schema.md).
    versions = [v for _, _, v in past]
    assert len(set(versions)) == len(versions)
    assert all(v < current["version"] for v in versions)


def test_a_copy_captured_after_the_last_sighting_of_the_current_content_replaces_it(store):
    store.write_articles([capture(1, C1, title="Asli")], run_id="r", now=T1)
    store.write_articles([capture(1, C2, title="Asli")], run_id="r", now=T1)

    result = store.write_articles([capture(1, C3, title="Diubah")], run_id="r", now=T2)

    assert counts(result) == (0, 1, 0, 0)
    current = store.get_article(aid(1))
    assert (current["title"], current["fetched_at"], current["last_seen_at"]) == (
        "Diubah",
        C3,
        C3,
    )
    assert history(store, 1) == [(C1, "Asli", 1)]


def test_a_re_extraction_between_two_sightings_replaces_and_keeps_the_last_sighting(store):
    # Crawled at C1, crawled again unchanged at C3; the page of C2 re-extracted by a newer
    # extractor is a new reading of the current content, not an old edit.
    store.write_articles([capture(1, C1, reason=CRAWL)], run_id="run-1", now=C1)
    store.write_articles([capture(1, C3, reason=CRAWL)], run_id="run-2", now=C3)
    again = capture(1, C2, reason=RE_EXTRACTION, title="Judul ekstraksi baru")

    result = store.write_articles([again], run_id="reextract-1", now=T2)

    assert counts(result) == (0, 1, 0, 0)
    current = store.get_article(aid(1))
    assert (current["title"], current["fetched_at"], current["last_seen_at"]) == (
        "Judul ekstraksi baru",
        C2,
        C3,
    )


def test_history_is_ordered_by_capture_not_by_version_number(store):
    store.write_articles([capture(1, C3, title="Ketiga")], run_id="r", now=T1)
    store.write_articles([capture(1, C4, title="Keempat")], run_id="r", now=T1)
    store.write_articles([capture(1, C1, title="Pertama")], run_id="r", now=T2)
    store.write_articles([capture(1, C2, title="Kedua")], run_id="r", now=T3)

    assert history(store, 1) == [
        (C1, "Pertama", 3),
        (C2, "Kedua", 5),
        (C3, "Ketiga", 1),
    ]
    assert store.get_article(aid(1))["version"] == 6


def test_a_crawl_batch_is_placed_as_before(store):
    # A crawl's documents carry no fetched_at older than the stored one: nothing changes.
    store.write_articles(documents([(make_article(1), T1)]), run_id="run-1", now=T1)

    result = store.write_articles(
        documents([(make_article(1, title="Baru"), T2)]), run_id="run-2", now=T2
    )

    assert counts(result) == (0, 1, 0, 0)
    assert history(store, 1) == [(T1, "Berita nomor 1", 1)]


# ---- unchanged copies: last_seen_at and extractor_version ------------------------------------


def test_an_unchanged_crawl_raises_the_extractor_version_and_never_lowers_it(store):
    store.write_articles([make_doc(1), make_doc(2)], run_id="run-1", now=T1)
    newer = {**make_doc(1), "extractor_version": EXTRACTOR_VERSION + 1}
    older = {**make_doc(2), "extractor_version": EXTRACTOR_VERSION - 1}

    result = store.write_articles([newer, older], run_id="run-2", now=T2)

    assert counts(result) == (0, 0, 2, 0)
    raised, kept = store.get_article(aid(1)), store.get_article(aid(2))
    assert (raised["extractor_version"], raised["last_seen_at"]) == (EXTRACTOR_VERSION + 1, T2)
    assert (kept["extractor_version"], kept["last_seen_at"]) == (EXTRACTOR_VERSION, T2)
    assert raised == {
        **make_doc(1),
        "version": 1,
        "first_seen_at": T1,
        "last_seen_at": T2,
        "fetched_at": T1,
        "run_id": "run-1",
        "extractor_version": EXTRACTOR_VERSION + 1,
    }


def test_an_unchanged_archived_copy_moves_last_seen_at_only_forward(store):
    store.write_articles([capture(1, C1), capture(2, C1)], run_id="import-1", now=T1)
    # Not T1: an archived copy was seen by the archive when it was captured, not now.
    assert store.get_article(aid(1))["last_seen_at"] == C1
    store.write_articles([capture(2, C3)], run_id="import-1", now=T1)
    later = {**capture(1, C3), "extractor_version": EXTRACTOR_VERSION + 1}
    before_seen = capture(2, C2, reason=RE_EXTRACTION)

    result = store.write_articles([later, before_seen], run_id="import-2", now=T2)

    assert counts(result) == (0, 0, 2, 0)
    first, second = store.get_article(aid(1)), store.get_article(aid(2))
    # Not T2: the archive saw the article at C3, not now.
    assert (first["last_seen_at"], first["extractor_version"]) == (C3, EXTRACTOR_VERSION + 1)
    assert (first["fetched_at"], first["run_id"], first["version"]) == (C1, "import-1", 1)
    assert (second["last_seen_at"], second["extractor_version"]) == (C3, EXTRACTOR_VERSION)


def test_a_re_extraction_with_new_content_replaces_at_the_same_capture_time(store):
    store.write_articles([capture(1, C2, reason=CRAWL)], run_id="run-1", now=C2)
    again = {**capture(1, C2, reason=RE_EXTRACTION, title="Judul ekstraksi baru")}
    again["extractor_version"] = EXTRACTOR_VERSION + 1

    result = store.write_articles([again], run_id="reextract-1", now=T2)

    assert counts(result) == (0, 1, 0, 0)
    current = store.get_article(aid(1))
    assert (current["title"], current["version_reason"], current["version"]) == (
        "Judul ekstraksi baru",
        RE_EXTRACTION,
        2,
    )
    assert current["extractor_version"] == EXTRACTOR_VERSION + 1
    assert history(store, 1) == [(C2, "Berita nomor 1", 1)]


# ---- round trips --------------------------------------------------------------------------------


def test_a_batch_of_500_earlier_captures_costs_at_most_4_round_trips(store):
    store.write_articles([capture(n, C3) for n in range(500)], run_id="r1", now=T1)

    earlier = store.write_articles(
        [capture(n, C1, title=f"Lama {n}") for n in range(500)], run_id="r2", now=T2
    )
    known = store.write_articles(
        [capture(n, C1, title=f"Lama {n}") for n in range(500)], run_id="r3", now=T3
    )

    assert (earlier.earlier, earlier.round_trips <= 4) == (500, True), earlier
    assert (known.unchanged, known.round_trips <= 2) == (500, True), known
    assert history(store, 499) == [(C1, "Lama 499", 2)]


# ---- raw_pages ----------------------------------------------------------------------------------


def test_raw_pages_lists_every_current_document_or_the_outdated_ones(store):
    old = {**capture(1, C1), "extractor_version": 1}
    current = {**capture(2, C2), "extractor_version": 3}
    missing = capture(3, C3)
    del missing["extractor_version"]  # a document stored before extractor versions existed
    unrecorded = {**make_doc(4), "extractor_version": 2, "fetched_at": C4}
    store.write_articles([old, current, missing, unrecorded], run_id="r", now=T1)
    # A version in the history is no raw page of a current document.
    older = {**capture(2, C1, title="Lama"), "extractor_version": 1}
    assert store.write_articles([older], run_id="r", now=T2).earlier == 1

    every = list(store.raw_pages())
    outdated = list(store.raw_pages(below_version=3))

    assert every == [
        {
            "article_id": aid(1),
            "warc_file": "CC-NEWS-20230501.warc.gz",
            "warc_offset": 1001,
            "extractor_version": 1,
            "fetched_at": C1,
        },
        {
            "article_id": aid(2),
            "warc_file": "CC-NEWS-20230502.warc.gz",
            "warc_offset": 1002,
            "extractor_version": 3,
            "fetched_at": C2,
        },
        {
            "article_id": aid(3),
            "warc_file": "CC-NEWS-20230503.warc.gz",
            "warc_offset": 1003,
            "extractor_version": None,
            "fetched_at": C3,
        },
        {
            "article_id": aid(4),
            "warc_file": None,
            "warc_offset": None,
            "extractor_version": 2,
            "fetched_at": C4,
        },
    ]
    assert [p["article_id"] for p in outdated] == [aid(1), aid(3), aid(4)]
    assert [p["article_id"] for p in store.raw_pages(below_version=2)] == [aid(1), aid(3)]
    assert list(store.raw_pages(below_version=1)) == [every[2]]
    assert all(set(page) == set(RAW_PAGE_FIELDS) for page in every)


def test_raw_pages_can_be_re_extracted_while_iterating(store):
    # More than one page of rows (500): each page is a query of its own, so writes between
    # pages neither break the iteration nor make it yield an article twice.
    store.write_articles([capture(n, C1) for n in range(1, 511)], run_id="r", now=T1)
    seen, redone = [], []

    for page in store.raw_pages(below_version=EXTRACTOR_VERSION + 1):
        seen.append(page["article_id"])
        n = int(page["article_id"]) - 5_500_000
        doc = capture(n, C1, reason=RE_EXTRACTION, title=f"Ulang {n}")
        redone.append({**doc, "extractor_version": EXTRACTOR_VERSION + 1})
        if len(redone) == 100:
            store.write_articles(redone, run_id="reextract", now=T2)
            redone = []
    store.write_articles(redone, run_id="reextract", now=T2)

    assert sorted(seen) == [aid(n) for n in range(1, 511)]
    assert len(seen) == 510
    assert list(store.raw_pages(below_version=EXTRACTOR_VERSION + 1)) == []
    assert store.get_article(aid(510))["title"] == "Ulang 510"


# ---- replay of an old dead-letter file ---------------------------------------------------------


def test_replaying_an_old_dead_letter_line_keeps_the_newer_stored_version(
    store, backend: Backend, tmp_path, monkeypatch, capsys
):
    # The crawl of T1 failed to store article 1 and dead-lettered it; a crawl at T2 stored an
    # edited version since. Replaying the old file must not bring the old content back.
    (old,) = documents([(make_article(1), {"fetched_at": T1, "warc_file": "x.warc.gz"})])
    line = json.dumps({**old, "dead_letter_reason": "store lost"}, default=datetime_z)
    dead_letter = tmp_path / "dead-letter.jsonl"
    dead_letter.write_text(line + "\n", encoding="utf-8")
    store.write_articles([make_doc(1, title="Judul diralat")], run_id="run-2", now=T2)
    before = store.get_article(aid(1))

    def open_store(args, create=False):
        opened = backend.make()
        opened.open()
        return opened

    monkeypatch.setattr("newscrawl.cli.options.open_store", open_store)
    assert cli.main(["replay", str(dead_letter)]) == 0

    assert "0 new, 0 updated, 0 unchanged, 1 earlier" in capsys.readouterr().err
    assert store.get_article(aid(1)) == {**before, "version": 3}
    (placed,) = store.versions(aid(1))
    assert (placed["title"], placed["fetched_at"], placed["warc_file"]) == (
        "Berita nomor 1",
        T1,
        "x.warc.gz",
    )
    assert placed["version_reason"] == CRAWL
    # Replayed again: already known, nothing moves.
    assert cli.main(["replay", str(dead_letter)]) == 0
    assert "0 new, 0 updated, 1 unchanged, 0 earlier" in capsys.readouterr().err
    assert store.versions(aid(1)) == [placed]


def test_an_unchanged_recorded_copy_gives_an_unrecorded_article_its_raw_page(store):
    # Stored by a crawl before recording was on: no raw page.
    store.write_articles(
        [article_document(make_article(7), {"fetched_at": C1})], run_id="r1", now=T1
    )
    assert store.get_article(aid(7))["warc_file"] is None
    recorded = article_document(
        make_article(7),
        {"fetched_at": C2, "warc_file": "liputan6-r2-00001.warc.gz", "warc_offset": 4096},
    )
    result = store.write_articles([recorded], run_id="r2", now=T2)
    assert counts(result) == (0, 0, 1, 0)
    doc = store.get_article(aid(7))
    assert (doc["warc_file"], doc["warc_offset"]) == ("liputan6-r2-00001.warc.gz", 4096)
    assert doc["fetched_at"] == C1 and doc["version"] == 1
    assert [row["warc_file"] for row in store.raw_pages() if row["article_id"] == aid(7)] == [
        "liputan6-r2-00001.warc.gz"
    ]
    # A later recording does not move a raw page already known.
    later = article_document(
        make_article(7),
        {"fetched_at": C3, "warc_file": "liputan6-r3-00001.warc.gz", "warc_offset": 8},
    )
    store.write_articles([later], run_id="r3", now=T3)
    assert store.get_article(aid(7))["warc_offset"] == 4096
