"""Captures placed by capture time: each test that takes `store` runs on SQLite, mongomock and
MongoDB over the wire (tests/stores.py).

Re-extraction and WARC imports hand the store pages captured in the past; an older capture
must land in the history, never over a newer current document.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from newscrawl.site import EXTRACTOR_VERSION
from newscrawl.store.base import (
    ARCHIVED_COPY,
    CRAWL,
    RE_EXTRACTION,
    WriteResult,
    article_document,
    capture_meta,
    documents,
)
from tests.stores import (  # noqa: F401 (the fixtures `backend` and `store`)
    T1,
    T2,
    T3,
    Backend,
    backend_fixture,
    make_article,
    make_doc,
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
    ],
)
def test_capture_meta_refuses_a_wrong_value(line, field):
    with pytest.raises(ValueError, match=field):
        capture_meta(line)
