"""What every store does, and the stored document built from an Article.

Two stores implement the same interface, `Store`: MongoDB (pymongo 4) and an embedded SQLite
file, chosen by the scheme of the store's URI (newscrawl.store.open_store). `Store` is four
small protocols, so a user can ask for only the part it needs: `ArticleStore` (articles,
their versions, revisits and raw pages), `DayStore` (the day ledger), `RunStore` (run
records) and `LockStore` (the run locks). Both keep one document per article keyed
``liputan6:<article_id>``, a version history, and one record per crawl run. Where a capture
goes in an article's history is planned in newscrawl.store.history.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import socket
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Protocol

from newscrawl.items import ARTICLE_FIELDS, STORED_FIELDS, Article
from newscrawl.serialize import datetime_z, isoformat_z
from newscrawl.site import EXTRACTOR_VERSION

# The fields whose change means the site edited the article. Raw date text, sources and
# updated_at are left out: a re-rendered page with the same content is not a new version.
CONTENT_FIELDS = (
    "url",
    "title",
    "type",
    "published_at",
    "authors",
    "editors",
    "photographers",
    "credits",
    "section",
    "subsection",
    "tags",
    "summary",
    "body",
    "image_url",
    "image_caption",
    "dateline",
)


# The status and finish_reason of a run whose process died holding its locks.
KILLED = "killed"

# Why a version of an article exists (its version_reason): fetched by a crawl, a recorded page
# re-extracted by a newer extractor, or a copy imported from a web archive.
CRAWL = "crawl"
RE_EXTRACTION = "re-extraction"
ARCHIVED_COPY = "archived copy"
VERSION_REASONS = (CRAWL, RE_EXTRACTION, ARCHIVED_COPY)

# What the caller knows about the capture behind a document, stored as given, and the value
# when it gives none.
CAPTURE_DEFAULTS: dict[str, Any] = {
    "fetched_at": None,
    "extractor_version": EXTRACTOR_VERSION,
    "version_reason": CRAWL,
    "warc_file": None,
    "warc_offset": None,
    "archive": None,
    "next_due_at": None,
    "etag": None,
    "last_modified": None,
}

# The capture fields that schedule revisits: when the article is next due (None: never), and
# the validators (ETag, Last-Modified headers) of its last crawl fetch, for a conditional
# request. Only a crawl sets them; a 304 answer moves next_due_at alone (record_checks).
REVISIT_FIELDS = ("next_due_at", "etag", "last_modified")
# What due_articles() returns of each article due for a revisit.
DUE_FIELDS = ("article_id", "url", "published_at", *REVISIT_FIELDS)

# What raw_pages() yields of each stored article: enough to find and re-extract its raw page.
RAW_PAGE_FIELDS = ("article_id", "warc_file", "warc_offset", "extractor_version", "fetched_at")
RAW_PAGES_PER_QUERY = 500


class StoreError(Exception):
    """The store failed; the message is one line and names the store (no password)."""

    written: WriteResult | None = None
    """What a failed write_articles had written before it failed, when part of it was
    (MongoDB: the rounds of the batch done before; an SQLite batch is all or nothing)."""


class StoreUnavailable(StoreError):
    """The store cannot be reached or opened."""


class StoreMissing(StoreUnavailable):
    """Asked to open an existing store (``open(create=False)``) that does not exist."""


class StoreLost(StoreError):
    """The store went away mid-run: file deleted or replaced, server gone."""


class ArticleRejected(StoreError):
    """The batch failed because of its data, not the store: split it, dead-letter the bad one."""


@dataclass
class LockHolder:
    """Who holds a store lock: the run, its process and when it took the lock."""

    run_id: str
    pid: int
    host: str
    started_at: datetime
    """Aware UTC."""

    def to_dict(self) -> dict[str, Any]:
        """The holder as JSON-ready values (started_at as ISO 8601 UTC)."""
        return {**dataclasses.asdict(self), "started_at": isoformat_z(self.started_at)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LockHolder:
        """A holder from to_dict() output or a stored lock document."""
        return cls(
            run_id=str(data["run_id"]),
            pid=int(data["pid"]),
            host=str(data["host"]),
            started_at=stored_time(data["started_at"]),
        )

    def describe(self) -> str:
        """'run R (pid P on H since T)', for one-line messages."""
        since = isoformat_z(self.started_at)
        return f"run {self.run_id} (pid {self.pid} on {self.host} since {since})"

    def died_here(self) -> bool:
        """True when the holder ran on this host and its process is gone: its lock can be
        taken over at once. False when it lives, or runs on another host (unknown here)."""
        return self.host == socket.gethostname() and not pid_alive(self.pid)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists on this host (one of another user counts)."""
    if pid <= 0:
        return True  # not a process id: nothing says it is gone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # PermissionError: it exists, another user's
    return True


class LockHeld(StoreError):
    """A lock cannot be taken: another live run holds it, its lease (MongoDB) has not run out
    yet, or it was taken from this run."""

    def __init__(self, message: str, key: str, holder: LockHolder | None) -> None:
        super().__init__(message)
        self.key = key
        self.holder = holder


def lock_held(where: str, key: str, holder: LockHolder | None, *, lost: bool = False) -> LockHeld:
    """The one-line LockHeld of a store (``where`` is its description) for this key."""
    if holder is not None:
        who = holder.describe()
    else:
        who = "another run, since gone" if lost else "another process (not recorded yet)"
    what = "was taken over by" if lost else "is held by"
    return LockHeld(f"{where}: lock {key!r} {what} {who}", key, holder)


def doc_id(article_id: str, source: str = "liputan6") -> str:
    """The stored document's key: "liputan6:<article_id>"."""
    return f"{source}:{article_id}"


def content_hash(doc: dict[str, Any]) -> str:
    """SHA-256 over the content fields, stable across stores and runs."""
    payload = {name: doc.get(name) for name in CONTENT_FIELDS}
    data = json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=datetime_z
    )
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def article_document(
    article: Article | dict[str, Any], meta: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The stored form of an article: its fields, _id, content_hash and the capture fields
    (CAPTURE_DEFAULTS), each the article's own value, else meta's, else the default."""
    if isinstance(article, Article):
        # A shallow copy: dataclasses.asdict deep-copies and was most of this function's time.
        data = {name: getattr(article, name) for name in ARTICLE_FIELDS}
    else:
        data = dict(article)
    doc = {name: data.get(name) for name in ARTICLE_FIELDS}
    doc["_id"] = doc_id(doc["article_id"], doc.get("source") or "liputan6")
    doc["content_hash"] = content_hash(doc)
    # A dict item (a dead-letter line) keeps its own capture fields through replays.
    doc.update(capture_fields(data, meta or {}))
    return doc


def capture_fields(own: Mapping[str, Any], meta: Mapping[str, Any]) -> dict[str, Any]:
    """The capture fields of a document: the item's own value, else meta's, else the default."""
    fields = {}
    for name, default in CAPTURE_DEFAULTS.items():
        value = own.get(name)
        if value is None:
            value = meta.get(name)
        fields[name] = default if value is None else value
    return fields


def documents(
    entries: Iterable[tuple[Article | dict[str, Any], datetime | Mapping[str, Any]]],
) -> list[dict[str, Any]]:
    """Stored forms of (article, meta) pairs; an article's own capture fields win.

    meta is when the page was fetched (a datetime) or a dict of capture fields (fetched_at,
    extractor_version, version_reason, warc_file, warc_offset, archive, next_due_at, etag,
    last_modified). The store pipeline buffers pairs and builds the documents in the thread
    that writes the batch, so the crawl's event loop does not hash every article.
    """
    return [
        article_document(article, meta if isinstance(meta, Mapping) else {"fetched_at": meta})
        for article, meta in entries
    ]


def capture_meta(data: Mapping[str, Any]) -> dict[str, Any]:
    """The capture fields a JSON object (a dead-letter line) carries, typed as STORED_FIELDS
    says, fetched_at and next_due_at parsed; ValueError names a field of the wrong type or
    value."""
    meta = {name: data[name] for name in CAPTURE_DEFAULTS if data.get(name) is not None}
    for name in ("fetched_at", "next_due_at"):
        if name in meta:
            meta[name] = parsed_time(name, meta[name])
    for name, value in meta.items():
        kind = STORED_FIELDS[name]
        # JSON true is no extractor version or offset, though bool is an int to Python.
        if isinstance(value, bool) or not isinstance(value, kind):
            raise ValueError(f"{name} is not of type {kind}: {value!r}")
    if meta.get("version_reason", CRAWL) not in VERSION_REASONS:
        raise ValueError(
            f"version_reason is not one of {VERSION_REASONS}: {meta['version_reason']!r}"
        )
    return meta


def parsed_time(name: str, value: Any) -> datetime:
    """An ISO 8601 time of a JSON object, as stored; ValueError names the field."""
    if not isinstance(value, str):
        raise ValueError(f"{name} is not an ISO 8601 time: {value!r}")
    try:
        return stored_time(value)
    except ValueError:
        raise ValueError(f"{name} is not an ISO 8601 time: {value!r}") from None


@dataclass
class WriteResult:
    """What one write of a batch did."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    round_trips: int = 0
    superseded: int = 0
    """Copies of an article that a later copy in the same batch replaced before the write
    (only when the in-run duplicate filter, DUPLICATES_ENABLED, is off)."""
    earlier: int = 0
    """Copies captured before the stored current version, placed into its history."""

    def __iadd__(self, other: WriteResult) -> WriteResult:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.round_trips += other.round_trips
        self.superseded += other.superseded
        self.earlier += other.earlier
        return self


@dataclass
class RunRecord:
    """One crawl run, written at start and completed at close."""

    run_id: str
    spider: str
    args: dict[str, Any] = field(default_factory=dict)
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime | None = None
    finish_reason: str | None = None
    status: str = "running"
    counts: dict[str, Any] = field(default_factory=dict)


class ArticleStore(Protocol):
    """Articles: write batches, read documents and histories, revisits and raw pages."""

    def write_articles(
        self, docs: list[dict[str, Any]], *, run_id: str, now: datetime
    ) -> WriteResult:
        """Upsert a batch of article_document()s, each placed by its capture time (plan_batch):
        keep replaced versions, put earlier captures into the history; raise StoreError."""

    def get_article(self, article_id: str) -> dict[str, Any] | None:
        """The stored document of one article, or None."""

    def iter_articles(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        section: str | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Stored documents, oldest published first, filtered by published_at and section."""

    def versions(self, article_id: str) -> list[dict[str, Any]]:
        """The history of one article (not its current version), each with replaced_at,
        oldest capture first: by fetched_at, then version."""

    def raw_pages(self, below_version: int | None = None) -> Iterator[dict[str, Any]]:
        """RAW_PAGE_FIELDS of every stored current document, by article_id (as text), read
        lazily; with below_version only those whose extractor_version is missing or lower."""

    def count_articles(self) -> int:
        """How many articles are stored."""

    def sections(self) -> list[str]:
        """The distinct `section` values of the stored articles, sorted."""

    def existing_ids(self, article_ids: Iterable[str]) -> set[str]:
        """Which of these Liputan6 article ids (not "liputan6:" keys) are stored; one query."""

    def due_articles(self, now: datetime, limit: int | None = None) -> list[dict[str, Any]]:
        """The current articles with next_due_at <= now, earliest due first, then by
        article_id (as text), at most ``limit``: DUE_FIELDS each, times aware UTC. One query
        on the next_due_at index."""

    def record_checks(
        self, checks: Iterable[tuple[str, datetime | None]], now: datetime, *, seen: bool = True
    ) -> int:
        """Record revisits the site answered 304 Not Modified: for each (Liputan6 article id,
        next_due_at) set last_seen_at to now and next_due_at to the value (None: no more
        revisits), nothing else; with ``seen`` False (a revisit that failed) only next_due_at.
        Return how many stored articles were updated (ids not stored are ignored). Few round
        trips however many checks; raise StoreError."""


class DayStore(Protocol):
    """The archive walk's ledger: one record per (channel, day)."""

    def put_days(self, records: list[dict[str, Any]]) -> None:
        """Upsert archive-walk ledger records by (channel, day); a complete day stays complete."""

    def get_days(
        self, channels: Iterable[str], days: Iterable[date]
    ) -> dict[tuple[str, date], dict[str, Any]]:
        """The ledger records of these channels and days that exist, keyed (channel, day)."""

    def iter_days(
        self, since: date, until: date, channels: Iterable[str] | None = None
    ) -> list[dict[str, Any]]:
        """Ledger records with since <= day <= until, by day then channel."""


class RunStore(Protocol):
    """Crawl run records."""

    def start_run(self, run: RunRecord) -> None:
        """Record a run as started."""

    def finish_run(self, run: RunRecord) -> None:
        """Complete the run's record (end time, finish reason, status, counts)."""

    def runs(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Every crawl run record (the newest ``limit``), newest first."""

    def mark_runs_killed(self, run_ids: list[str]) -> int:
        """Mark these runs' records still "running" as "killed"; return how many changed."""


class LockStore(Protocol):
    """One run per store, mode and channel: locks taken together, kept alive, released."""

    @property
    def lock_heartbeat_s(self) -> float | None:
        """How often to call refresh_locks() while holding locks; None when never needed."""

    def acquire_locks(self, keys: list[str], holder: LockHolder) -> list[LockHolder]:
        """Take every key or none (raise LockHeld naming the first key held by a live run);
        return the holders of dead runs whose locks were taken over (for logging and marking
        their runs killed)."""

    def refresh_locks(self) -> None:
        """Keep this store's held locks alive; raise LockHeld if another run took one."""

    def release_locks(self) -> None:
        """Release every lock this store holds (idempotent)."""


class Store(ArticleStore, DayStore, RunStore, LockStore, Protocol):
    """The whole interface both stores implement: the four parts, opened and closed."""

    description: str
    """Where the data goes, safe for logs (no password)."""

    def open(self, *, create: bool = True) -> None:
        """Connect, create collections/tables and indexes; raise StoreUnavailable. With
        create=False raise StoreMissing, creating nothing, when no store is there yet."""

    def close(self) -> None:
        """Release the connection."""


def chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Lists of at most `size` items, in order."""
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def keyset_pages(
    fetch: Callable[[str | None, int], list[dict[str, Any]]],
    key: str = "article_id",
    size: int = RAW_PAGES_PER_QUERY,
) -> Iterator[dict[str, Any]]:
    """Every row of fetch(after, size), page by page, each page one query for the rows after
    the last key of the one before: no cursor stays open while the caller writes to the store."""
    after = None
    while True:
        rows = fetch(after, size)
        yield from rows
        if len(rows) < size:
            return
        after = rows[-1][key]


def due_article(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The DUE_FIELDS of a stored document (None where it has none), its times aware UTC."""
    row = {name: doc.get(name) for name in DUE_FIELDS}
    for name in ("published_at", "next_due_at"):
        row[name] = stored_time(row[name])
    return row


def latest_checks(checks: Iterable[tuple[str, datetime | None]]) -> dict[str, datetime | None]:
    """record_checks' (article_id, next_due_at) pairs by article id, next_due_at as stored;
    the last check of an article wins."""
    return {article_id: stored_time(due) for article_id, due in checks}


def raw_page(doc: dict[str, Any]) -> dict[str, Any]:
    """The RAW_PAGE_FIELDS of a stored document (None where it has none), fetched_at UTC."""
    row = {name: doc.get(name) for name in RAW_PAGE_FIELDS}
    row["fetched_at"] = stored_time(row["fetched_at"])
    return row


# Keys of stored documents, versions and run records that hold datetimes.
DATETIME_KEYS = frozenset(
    {
        *(f.name for f in dataclasses.fields(Article) if "datetime" in str(f.type)),
        "first_seen_at",
        "last_seen_at",
        "fetched_at",
        "next_due_at",
        "replaced_at",
        "started_at",
        "finished_at",
    }
)


def stored_time(value: datetime | str | None) -> datetime | None:
    """A datetime as both stores keep it: aware UTC, whole milliseconds (BSON's precision).

    ISO 8601 strings (from a dead-letter replay) are parsed; naive datetimes are taken as UTC.
    """
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


# The per-day ledger of the date-index walk: one record per (channel, day).
DAY_FIELDS = (
    "channel",
    "day",
    "pages",
    "listed",
    "stored",
    "failed",
    "complete",
    "open",
    "walked_at",
    "run_id",
)
DAY_COUNTS = ("pages", "listed", "stored", "failed")


def as_day(value: date | str) -> date:
    """A calendar day from a date, a datetime (its date) or a "YYYY-MM-DD" string."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        return date.fromisoformat(value)
    return value


def day_record(record: dict[str, Any]) -> dict[str, Any]:
    """A ledger record as both stores return it: day a date, walked_at aware UTC, counts ints."""
    return {
        "channel": str(record["channel"]),
        "day": as_day(record["day"]),
        **{name: int(record.get(name) or 0) for name in DAY_COUNTS},
        "complete": bool(record.get("complete")),
        # Walked without a fault, but the day was not over yet (a later backfill walks it).
        "open": bool(record.get("open")),
        "walked_at": stored_time(record.get("walked_at")),
        "run_id": record.get("run_id"),
    }


def day_key(channel: str, day: date) -> str:
    """The Mongo _id of a ledger record: "<channel>:<YYYY-MM-DD>"."""
    return f"{channel}:{day.isoformat()}"


class DayLedgerReads:
    """get_days and iter_days, the same for every store on top of its own _find_days."""

    def _find_days(
        self, since: date, until: date, channels: list[str] | None
    ) -> list[dict[str, Any]]:
        raise NotImplementedError

    def get_days(
        self, channels: Iterable[str], days: Iterable[date]
    ) -> dict[tuple[str, date], dict[str, Any]]:
        """The ledger records of these channels and days that exist, keyed (channel, day)."""
        wanted_channels = list(dict.fromkeys(channels))
        wanted_days = {as_day(day) for day in days}
        if not wanted_channels or not wanted_days:
            return {}
        found = self._find_days(min(wanted_days), max(wanted_days), wanted_channels)
        return {
            (record["channel"], record["day"]): record
            for record in found
            if record["day"] in wanted_days
        }

    def iter_days(
        self, since: date, until: date, channels: Iterable[str] | None = None
    ) -> list[dict[str, Any]]:
        """Ledger records with since <= day <= until, by day then channel."""
        wanted = None if channels is None else list(dict.fromkeys(channels))
        return self._find_days(as_day(since), as_day(until), wanted)
