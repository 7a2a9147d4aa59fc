"""What every store does, and the stored document built from an Article.

Two stores implement the same small interface: MongoDB (pymongo 4) when MONGO_URI is set,
and an embedded SQLite file otherwise. Both keep one document per article keyed
``liputan6:<article_id>``, a version history, and one record per crawl run.
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


class Store(Protocol):
    """The interface both stores implement."""

    description: str
    """Where the data goes, safe for logs (no password)."""

    def open(self, *, create: bool = True) -> None:
        """Connect, create collections/tables and indexes; raise StoreUnavailable. With
        create=False raise StoreMissing, creating nothing, when no archive is there yet."""

    def close(self) -> None:
        """Release the connection."""

    def write_articles(
        self, docs: list[dict[str, Any]], *, run_id: str, now: datetime
    ) -> WriteResult:
        """Upsert a batch of article_document()s, each placed by its capture time (plan_batch):
        keep replaced versions, put earlier captures into the history; raise StoreError."""

    def start_run(self, run: RunRecord) -> None:
        """Record a run as started."""

    def finish_run(self, run: RunRecord) -> None:
        """Complete the run's record (end time, finish reason, status, counts)."""

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

    def runs(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Every crawl run record (the newest ``limit``), newest first."""

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

    def mark_runs_killed(self, run_ids: list[str]) -> int:
        """Mark these runs' records still "running" as "killed"; return how many changed."""


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


# The per-day ledger of the archive walk: one record per (channel, day).
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


def capture_key(doc: dict[str, Any]) -> tuple[Any, ...]:
    """What makes two documents of a batch one capture: a crawl's copies of an article are one
    (the last wins); copies of another reason only when captured at the same time."""
    if (doc.get("version_reason") or CRAWL) == CRAWL:
        return (doc["_id"],)
    return (doc["_id"], stored_time(doc.get("fetched_at")))


def batch_rounds(docs: Iterable[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The batch as rounds of one document per article, in first-seen order, each written
    after the one before: copies of one capture collapse to the last, distinct captures of an
    article (several archived copies) go to successive rounds."""
    captures = {capture_key(doc): doc for doc in docs}.values()
    rounds: list[list[dict[str, Any]]] = []
    placed: dict[str, int] = {}
    for doc in captures:
        n = placed.get(doc["_id"], 0)
        placed[doc["_id"]] = n + 1
        if n == len(rounds):
            rounds.append([])
        rounds[n].append(doc)
    return rounds


@dataclass
class BatchPlan:
    """What one batch does to a store, decided from the stored documents it touches."""

    inserts: list[dict[str, Any]] = field(default_factory=list)
    """Complete documents of articles not stored yet (version 1)."""
    touches: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    """(id, REVISIT_FIELDS of the copy) of stored articles a crawl brought unchanged:
    last_seen_at moves to now, and the revisit fields take the copy's values (the revisit
    scheduled the next one; the server may have sent other validators)."""
    stamps: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    """(id, {last_seen_at, extractor_version}) of unchanged articles whose values move
    otherwise: a newer extractor, or an archived or re-extracted copy captured after
    last_seen_at."""
    replaces: list[tuple[dict[str, Any], str]] = field(default_factory=list)
    """(new complete document, content_hash of the stored one) for articles the site edited."""
    versions: list[dict[str, Any]] = field(default_factory=list)
    """Documents going into the version history: the stored ones the replaces push out, then
    the earlier captures."""
    bumps: list[tuple[str, int, str]] = field(default_factory=list)
    """(id, new version, content_hash of the stored one) of the current documents an earlier
    capture was placed under: only their version number moves."""
    unchanged: int = 0
    """How many documents of the batch changed no content (touches and stamps among them)."""
    rewinds: list[tuple[str, dict[str, Any], str]] = field(default_factory=list)
    """(id, {fetched_at, warc_file, warc_offset}, stored content_hash): an earlier capture of
    the current version's own content moves its capture back to that copy, so fetched_at is
    the first capture of the content whatever order the copies come in."""
    pointers: list[tuple[str, str, int]] = field(default_factory=list)
    """(id, warc_file, warc_offset) of unchanged articles stored without a raw page that this
    copy has recorded: `newscrawl reextract --outdated` can then reach them."""
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    """The batch's clock, as stored."""


# Before every capture time: where a version without fetched_at (older archives) sorts.
NEVER = datetime.min.replace(tzinfo=UTC)


def capture_time(doc: dict[str, Any], now: datetime) -> datetime:
    """When the document's page was captured: its fetched_at, else the batch clock."""
    return stored_time(doc.get("fetched_at")) or stored_time(now)


def is_earlier(doc: dict[str, Any], old: dict[str, Any], now: datetime) -> bool:
    """Whether the incoming document was captured before the stored current one."""
    stored = stored_time(old.get("fetched_at"))
    return stored is not None and capture_time(doc, now) < stored


def seen_after(doc: dict[str, Any], old: dict[str, Any], now: datetime) -> bool:
    """Whether an archived copy with other content than the stored current version was
    captured before that content was last seen (last_seen_at): the site showed the current
    content after the copy too (an edit it reverted), so the copy is an earlier version."""
    if doc.get("version_reason") != ARCHIVED_COPY or doc["content_hash"] == old.get("content_hash"):
        return False
    seen = stored_time(old.get("last_seen_at"))
    return seen is not None and capture_time(doc, now) < seen


def placed_earlier(doc: dict[str, Any], old: dict[str, Any], now: datetime) -> bool:
    """Whether the incoming document goes under the stored current one, not over it."""
    return is_earlier(doc, old, now) or seen_after(doc, old, now)


def earlier_captures(
    batch: list[dict[str, Any]], existing: dict[str, dict[str, Any]], now: datetime
) -> list[str]:
    """The article ids of the batch's earlier captures: their history decides where they go."""
    return [
        doc["article_id"]
        for doc in batch
        if doc["_id"] in existing and placed_earlier(doc, existing[doc["_id"]], now)
    ]


def histories(rows: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """History documents (at least doc_id, version, fetched_at, content_hash) by doc_id."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["doc_id"], []).append(row)
    return grouped


def capture_order(version: dict[str, Any]) -> tuple[datetime, int]:
    """The sort key of a history ordered by capture: fetched_at, then version."""
    return stored_time(version.get("fetched_at")) or NEVER, version.get("version") or 0


def already_known(doc: dict[str, Any], known: list[dict[str, Any]]) -> bool:
    """Whether an earlier capture adds nothing to the known versions (current and history):
    one was captured at the same time, or the one captured just before or just after it has
    its content (an unedited article captured once more)."""
    when = doc["fetched_at"]
    ordered = sorted(known, key=capture_order)
    times = [capture_order(version)[0] for version in ordered]
    if when in times:
        return True
    before = [v for v, t in zip(ordered, times, strict=True) if t < when][-1:]
    after = [v for v, t in zip(ordered, times, strict=True) if t > when][:1]
    return any(v.get("content_hash") == doc["content_hash"] for v in before + after)


def next_capture(doc: dict[str, Any], known: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The known version captured first after the document (None: none is)."""
    after = [v for v in known if capture_order(v)[0] > doc["fetched_at"]]
    return min(after, key=capture_order) if after else None


def rewound(doc: dict[str, Any]) -> dict[str, Any]:
    """The capture fields an earlier copy of the same content moves the current version to."""
    return {name: doc.get(name) for name in ("fetched_at", "warc_file", "warc_offset")}


def pushed_version(old: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The history document of a stored current version a newer one replaces now."""
    version = old.get("version") or 1
    return {**old, "_id": f"{old['_id']}:v{version}", "doc_id": old["_id"], "replaced_at": now}


def earlier_version(doc: dict[str, Any], old: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The history document of an earlier capture, numbered after the current version (so
    version numbers stay unique) while its fetched_at places it in the history."""
    version = (old.get("version") or 1) + 1
    return {
        **doc,
        "_id": f"{old['_id']}:v{version}",
        "doc_id": old["_id"],
        "version": version,
        "first_seen_at": old.get("first_seen_at") or now,
        # The archive saw this content then; the current document keeps its own last_seen_at.
        "last_seen_at": doc["fetched_at"],
        "replaced_at": now,
    }


def seen_fields(doc: dict[str, Any], old: dict[str, Any], now: datetime) -> dict[str, Any]:
    """What an unchanged copy moves on the stored document: last_seen_at (to now for a crawl,
    to the copy's capture time if later for other reasons) and extractor_version (if higher)."""
    moved = {}
    if (doc.get("version_reason") or CRAWL) == CRAWL:
        moved["last_seen_at"] = now
    else:
        seen = stored_time(old.get("last_seen_at"))
        if seen is None or doc["fetched_at"] > seen:
            moved["last_seen_at"] = doc["fetched_at"]
    extractor, stored = doc.get("extractor_version"), old.get("extractor_version")
    if extractor is not None and (stored is None or extractor > stored):
        moved["extractor_version"] = extractor
    return moved


def revisit_fields(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The REVISIT_FIELDS of a document (None where it has none), next_due_at as stored."""
    fields = {name: doc.get(name) for name in REVISIT_FIELDS}
    fields["next_due_at"] = stored_time(fields["next_due_at"])
    return fields


def plan_batch(
    batch: list[dict[str, Any]],
    existing: dict[str, dict[str, Any]],
    *,
    run_id: str,
    now: datetime,
    history: dict[str, list[dict[str, Any]]] | None = None,
) -> BatchPlan:
    """Place each document of a round (one per article) against the stored one by capture time.

    New: version 1. Captured at or after the stored current version: unchanged (seen_fields
    move) or a replace (the stored one goes into the history). Captured before it, or an
    archived copy of other content captured before the current content was last seen
    (placed_earlier): unchanged when already_known, else into the history as an earlier
    version, and the current document only gets a new version number. ``history`` holds the
    histories() of the articles that earlier_captures() named.

    The revisit schedule and validators (REVISIT_FIELDS) are a crawl's: a crawl that inserts
    or replaces stores the document's own, and an unchanged crawl copy (a touch) sets them to
    the copy's values. Any other reason never changes them: its replace carries the stored
    ones over, its insert keeps what it carries. Earlier captures change none of them.
    """
    now = stored_time(now)
    plan = BatchPlan(now=now)
    for incoming in batch:
        doc = dict(incoming)
        for key in DATETIME_KEYS & doc.keys():
            doc[key] = stored_time(doc[key])
        doc["fetched_at"] = doc.get("fetched_at") or now
        doc["run_id"] = run_id
        # A crawl sees the page now; an archived copy or a re-extraction, when it was captured.
        crawled = (doc.get("version_reason") or CRAWL) == CRAWL
        doc["last_seen_at"] = now if crawled else doc["fetched_at"]
        old = existing.get(doc["_id"])
        if old is None:
            plan.inserts.append({**doc, "version": 1, "first_seen_at": now})
        elif placed_earlier(doc, old, now):
            known = [old, *(history or {}).get(doc["_id"], [])]
            if next_capture(doc, known) is old and old.get("content_hash") == doc["content_hash"]:
                plan.unchanged += 1
                plan.rewinds.append((old["_id"], rewound(doc), old.get("content_hash")))
                continue
            if already_known(doc, known):
                plan.unchanged += 1
                continue
            placed = earlier_version(doc, old, now)
            plan.versions.append(placed)
            plan.bumps.append((old["_id"], placed["version"] + 1, old.get("content_hash")))
        elif old.get("content_hash") == doc["content_hash"]:
            plan.unchanged += 1
            if doc.get("warc_file") and not old.get("warc_file"):
                plan.pointers.append((doc["_id"], doc["warc_file"], doc.get("warc_offset")))
            moved = seen_fields(doc, old, now)
            if crawled:
                plan.touches.append((doc["_id"], revisit_fields(doc)))
            # A crawl's touch moves last_seen_at; a stamp is for what else moves.
            if set(moved) - ({"last_seen_at"} if crawled else set()):
                # Both values whole, so a store sets the same two fields on every stamp.
                kept = {k: old.get(k) for k in ("last_seen_at", "extractor_version")}
                plan.stamps.append((doc["_id"], {**kept, **moved}))
        else:
            plan.versions.append(pushed_version(old, now))
            seen = stored_time(old.get("last_seen_at"))
            if not crawled and seen is not None and seen > doc["last_seen_at"]:
                # A re-extraction of an old page: its content was seen as late as the old one.
                doc["last_seen_at"] = seen
            if not crawled:
                # Only a crawl schedules revisits and brings validators.
                doc.update(revisit_fields(old))
            doc["version"] = (old.get("version") or 1) + 1
            doc["first_seen_at"] = old.get("first_seen_at") or now
            plan.replaces.append((doc, old.get("content_hash")))
    return plan


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
