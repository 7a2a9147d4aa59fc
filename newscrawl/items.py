"""The one Article schema every part of newscrawl uses."""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

ARTICLE_TYPES = ("text", "photo", "video")


@dataclass(frozen=True)
class Capture:
    """How a crawl fetched an article's (first) page: not part of the article, stored as the
    capture fields of its document (docs/schema.md)."""

    fetched_at: datetime
    """When the response came: its WARC record's date when recorded, else when the spider
    read it (never when the article reached the store)."""
    warc_file: str | None = None
    """The WARC file holding the raw page (the file name only); None when not recorded."""
    warc_offset: int | None = None
    """The byte offset of the page's response record in warc_file."""
    etag: str | None = None
    """The response's ETag header, for a conditional revisit."""
    last_modified: str | None = None
    """The response's Last-Modified header, for a conditional revisit."""

    def fields(self) -> dict[str, Any]:
        """The capture fields of a stored document this capture sets (None ones left out)."""
        return {k: v for k, v in dataclasses.asdict(self).items() if v is not None}


@dataclass
class Article:
    """One Liputan6 article, normalised; raw text kept beside each parsed value."""

    source: str | None = "liputan6"
    """Which site the article comes from; always "liputan6"."""
    article_id: str | None = None
    """Liputan6's global numeric article id, as a string (e.g. "4264701")."""
    url: str | None = None
    """The page's own URL: www.liputan6.com/{channel}/read/{id}/{slug} where that form is known."""
    title: str | None = None
    """Headline as the page gives it."""
    type: str | None = None
    """"text", "photo" (photo gallery) or "video" (video article)."""
    published_at: datetime | None = None
    """First publication time, timezone-aware UTC."""
    published_at_raw: str | None = None
    """The publication time exactly as the page showed it."""
    published_at_source: str | None = None
    """Where published_at came from: jsonld, meta, datalayer, time-attr or visible-text."""
    updated_at: datetime | None = None
    """Last modification time, timezone-aware UTC (can be earlier than published_at)."""
    updated_at_raw: str | None = None
    """The modification time exactly as the page showed it."""
    updated_at_source: str | None = None
    """Where updated_at came from: jsonld, meta, time-attr or visible-text."""
    authors: list[str] = field(default_factory=list)
    """People credited as writers (reporters), in page order; desk credits excluded."""
    editors: list[str] = field(default_factory=list)
    """People credited as editors, in page order."""
    photographers: list[str] = field(default_factory=list)
    """People credited for the photos (the gallery's photographer on photo pages)."""
    credits: list[str] = field(default_factory=list)
    """Desk or agency credits that are not people ("Liputan6.com", "Antara", "Merdeka.com")."""
    byline_raw: str | None = None
    """The byline text exactly as the page showed it."""
    section: str | None = None
    """Channel slug, e.g. "news"."""
    subsection: str | None = None
    """Sub-channel slug, e.g. "peristiwa"; None when the page names no sub-channel."""
    tags: list[str] = field(default_factory=list)
    """Tags in the order the page shows them."""
    summary: str | None = None
    """The page's short description (kmklabs shortDescription / og:description)."""
    body: str | None = None
    """Plain text of every page of the article, paragraphs separated by a blank line."""
    word_count: int | None = None
    """Number of words in body."""
    page_count: int | None = None
    """Number of pages the article is split into on the site."""
    image_url: str | None = None
    """Lead image URL."""
    image_caption: str | None = None
    """Caption of the lead image."""
    dateline: str | None = None
    """Place named at the start of the body ("Jakarta"), removed from body."""
    lang: str | None = "id"
    """ISO 639-1 language code of the text (not named "language": see docs/schema.md)."""
    layout: str | None = None
    """Which layout (template) read the page, e.g. "desktop", "mobile", "theme-2025"."""
    capture: Capture | None = field(default=None, compare=False, metadata={"capture": True})
    """How a crawl fetched the page (None outside a crawl); not an article field: neither
    hashed, exported nor stored under this name (ARTICLE_FIELDS leaves it out)."""

    def to_dict(self) -> dict[str, Any]:
        """The article's fields as a plain dict (datetimes stay datetime objects)."""
        return {name: copy.deepcopy(getattr(self, name)) for name in ARTICLE_FIELDS}


# What a stored document adds to the Article's fields (store/base.py), with Python types:
# the extra columns of `newscrawl export --format csv|parquet`.
STORED_FIELDS: dict[str, Any] = {
    "_id": str,
    "version": int,
    "content_hash": str,
    "first_seen_at": datetime,
    "last_seen_at": datetime,
    "fetched_at": datetime,
    "run_id": str,
    "extractor_version": int,
    "version_reason": str,
    "warc_file": str | None,
    "warc_offset": int | None,
    "archive": str | None,
    "next_due_at": datetime | None,
    "etag": str | None,
    "last_modified": str | None,
}
ARTICLE_FIELDS = tuple(f.name for f in dataclasses.fields(Article) if not f.metadata.get("capture"))
LIST_FIELDS = tuple(f.name for f in dataclasses.fields(Article) if f.default_factory is list)


def article_id_of(item: Any) -> str | None:
    """The article id of an Article or of a plain dict item."""
    if isinstance(item, dict):
        return item.get("article_id")
    return getattr(item, "article_id", None)


def capture_of(item: Any) -> dict[str, Any]:
    """The capture fields an Article item carries from its fetch (none for any other item)."""
    capture = getattr(item, "capture", None)
    return capture.fields() if isinstance(capture, Capture) else {}
