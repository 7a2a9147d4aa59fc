"""The embedded SQLite store: the same documents as MongoDB, in one file."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from newscrawl.serialize import datetimes_as
from newscrawl.store.base import (
    DATETIME_KEYS,
    DAY_FIELDS,
    DUE_FIELDS,
    KILLED,
    RAW_PAGE_FIELDS,
    ArticleRejected,
    DayLedgerReads,
    LockHolder,
    RunRecord,
    StoreError,
    StoreLost,
    StoreMissing,
    StoreUnavailable,
    WriteResult,
    day_record,
    due_article,
    keyset_pages,
    latest_checks,
    raw_page,
    stored_time,
)
from newscrawl.store.filelocks import FileLocks, lock_folder
from newscrawl.store.history import batch_rounds, earlier_captures, histories, plan_batch
from newscrawl.store.uri import sqlite_path

BUSY_TIMEOUT_S = 30
FETCH_SIZE = 500
# The most JSON text bound to one multi-row INSERT. SQLite refuses any bound value longer
# than SQLITE_LIMIT_LENGTH (1e9 bytes by default, less in some builds), and a batch's rows
# travel as one JSON array, with each document's JSON escaped a second time inside it.
JSON_CHUNK_BYTES = 8 * 1024 * 1024

# Primary result codes (extended code & 0xFF) after which the file takes no more writes:
# READONLY (also READONLY_DBMOVED), IOERR, FULL, CANTOPEN, NOTADB.
LOST_CODES = frozenset({8, 10, 13, 14, 26})
LOST_TEXTS = (
    "disk is full",
    "disk I/O error",
    "readonly database",
    "unable to open database file",
    "not a database",
)
SQLITE_TOOBIG = 18

# Every column an analyst may want to filter on is a real, indexed column; `doc` holds the
# whole document as JSON so nothing is lost. Times are ISO 8601 UTC with milliseconds and Z
# (fixed width, so they sort as text). articles_fts keeps its own copy of the text (snippet()
# and highlight() work) and shares its rowid with articles.fts_rowid, an explicit column
# because VACUUM may renumber the implicit rowid of a table keyed by TEXT.
SCHEMA = """
BEGIN IMMEDIATE;
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    article_id TEXT UNIQUE,
    published_at TEXT,
    section TEXT,
    subsection TEXT,
    title TEXT,
    type TEXT,
    content_hash TEXT NOT NULL,
    version INTEGER NOT NULL,
    first_seen_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    fetched_at TEXT,
    run_id TEXT,
    next_due_at TEXT,
    etag TEXT,
    last_modified TEXT,
    fts_rowid INTEGER NOT NULL UNIQUE,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_published_at ON articles (published_at);
CREATE INDEX IF NOT EXISTS articles_section_published_at ON articles (section, published_at);
CREATE TABLE IF NOT EXISTS article_authors (
    id TEXT NOT NULL,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (id, position)
);
CREATE INDEX IF NOT EXISTS article_authors_name ON article_authors (name);
CREATE TABLE IF NOT EXISTS article_tags (
    id TEXT NOT NULL,
    position INTEGER NOT NULL,
    tag TEXT NOT NULL,
    PRIMARY KEY (id, position)
);
CREATE INDEX IF NOT EXISTS article_tags_tag ON article_tags (tag);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5 (id UNINDEXED, title, summary, body);
CREATE TABLE IF NOT EXISTS article_versions (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL,
    article_id TEXT,
    version INTEGER,
    replaced_at TEXT,
    doc TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS article_versions_article_version
    ON article_versions (article_id, version);
CREATE TABLE IF NOT EXISTS crawl_runs (
    run_id TEXT PRIMARY KEY,
    spider TEXT,
    args TEXT,
    started_at TEXT,
    finished_at TEXT,
    finish_reason TEXT,
    status TEXT,
    counts TEXT
);
CREATE INDEX IF NOT EXISTS crawl_runs_started_at ON crawl_runs (started_at);
CREATE TABLE IF NOT EXISTS crawl_days (
    channel TEXT NOT NULL,
    day TEXT NOT NULL,
    pages INTEGER,
    listed INTEGER,
    stored INTEGER,
    failed INTEGER,
    complete INTEGER NOT NULL,
    open INTEGER NOT NULL DEFAULT 0,
    walked_at TEXT,
    run_id TEXT,
    PRIMARY KEY (channel, day)
);
CREATE INDEX IF NOT EXISTS crawl_days_day_channel ON crawl_days (day, channel);
COMMIT;
"""

ARCHIVE_TABLE = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'articles'"

_ARTICLE_COLUMNS = (
    "id, article_id, published_at, section, subsection, title, type, content_hash, version, "
    "first_seen_at, last_seen_at, fetched_at, run_id, next_due_at, etag, last_modified, "
    "fts_rowid, doc"
)
INSERT_ARTICLE = f"INSERT INTO articles ({_ARTICLE_COLUMNS})"
REPLACE_ARTICLE = """
UPDATE articles SET article_id = ?, published_at = ?, section = ?, subsection = ?, title = ?,
    type = ?, content_hash = ?, version = ?, first_seen_at = ?, last_seen_at = ?,
    fetched_at = ?, run_id = ?, next_due_at = ?, etag = ?, last_modified = ?, doc = ?
WHERE id = ? AND content_hash = ?
"""
# A crawl's unchanged copies: the ids of one (next_due_at, etag, last_modified) at a time.
TOUCH_ARTICLES = """
UPDATE articles SET last_seen_at = ?1, next_due_at = ?2, etag = ?3, last_modified = ?4,
    doc = json_set(doc, '$.last_seen_at', ?1, '$.next_due_at', ?2, '$.etag', ?3,
        '$.last_modified', ?4)
WHERE id IN (SELECT value FROM json_each(?5))
"""
# Revisits answered 304: the article ids of one next_due_at at a time.
CHECK_ARTICLES = """
UPDATE articles SET last_seen_at = ?1, next_due_at = ?2,
    doc = json_set(doc, '$.last_seen_at', ?1, '$.next_due_at', ?2)
WHERE article_id IN (SELECT value FROM json_each(?3))
"""
# A revisit that could not read the article moves only its next due time.
RESCHEDULE_ARTICLES = """
UPDATE articles SET next_due_at = ?1, doc = json_set(doc, '$.next_due_at', ?1)
WHERE article_id IN (SELECT value FROM json_each(?2))
"""
# articles_next_due_at finds the rows in its order; only ties are sorted by article_id.
DUE_ARTICLES = """
SELECT article_id, json_extract(doc, '$.url'), published_at, next_due_at, etag, last_modified
FROM articles WHERE next_due_at <= ?1 ORDER BY next_due_at, article_id LIMIT ?2
"""
STAMP_ARTICLES = """
UPDATE articles SET last_seen_at = ?1,
    doc = json_set(doc, '$.last_seen_at', ?1, '$.extractor_version', ?2)
WHERE id IN (SELECT value FROM json_each(?3))
"""
# Filtered on the stored hash, as replaces are.
REWIND_ARTICLE = """
UPDATE articles SET fetched_at = ?2,
    doc = json_set(doc, '$.fetched_at', ?2, '$.warc_file', ?3, '$.warc_offset', ?4)
WHERE id = ?1 AND content_hash = ?5
"""
POINT_ARTICLE = """
UPDATE articles SET doc = json_set(doc, '$.warc_file', ?2, '$.warc_offset', ?3) WHERE id = ?1
"""
# Filtered on the stored hash, as replaces are.
BUMP_VERSION = """
UPDATE articles SET version = ?2, doc = json_set(doc, '$.version', ?2)
WHERE id = ?1 AND content_hash = ?3
"""
# The part of the history that places earlier captures: the doc JSON stays unread.
READ_HISTORY = """
SELECT doc_id, version, json_extract(doc, '$.fetched_at'), json_extract(doc, '$.content_hash')
FROM article_versions WHERE article_id IN (SELECT value FROM json_each(?))
"""
RAW_PAGES = """
SELECT article_id, json_extract(doc, '$.warc_file'), json_extract(doc, '$.warc_offset'),
    json_extract(doc, '$.extractor_version'), fetched_at
FROM articles
WHERE article_id > ?1 AND (?2 IS NULL
    OR json_extract(doc, '$.extractor_version') IS NULL
    OR json_extract(doc, '$.extractor_version') < ?2)
ORDER BY article_id LIMIT ?3
"""
INSERT_FTS = "INSERT INTO articles_fts (rowid, id, title, summary, body)"
INSERT_VERSION = """
INSERT OR IGNORE INTO article_versions (id, doc_id, article_id, version, replaced_at, doc)
VALUES (?, ?, ?, ?, ?, ?)
"""
RUN_COLUMNS = "run_id, spider, args, started_at, finished_at, finish_reason, status, counts"
UPSERT_RUN = f"INSERT OR REPLACE INTO crawl_runs ({RUN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
KILL_RUNS = f"""
UPDATE crawl_runs SET status = '{KILLED}', finish_reason = '{KILLED}'
WHERE status = 'running' AND run_id IN (SELECT value FROM json_each(?))
"""
FINISH_RUN = f"""
INSERT INTO crawl_runs ({RUN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (run_id) DO UPDATE SET finished_at = excluded.finished_at,
    finish_reason = excluded.finish_reason, status = excluded.status, counts = excluded.counts
"""

DAY_COLUMNS = ", ".join(DAY_FIELDS)
# A complete record replaces the stored one; an incomplete one never overwrites a complete one.
UPSERT_DAY = f"""
INSERT INTO crawl_days ({DAY_COLUMNS}) VALUES ({", ".join("?" * len(DAY_FIELDS))})
ON CONFLICT (channel, day) DO UPDATE SET pages = excluded.pages, listed = excluded.listed,
    stored = excluded.stored, failed = excluded.failed, complete = excluded.complete,
    open = excluded.open, walked_at = excluded.walked_at, run_id = excluded.run_id
WHERE excluded.complete OR NOT crawl_days.complete
"""


def sql_time(value: datetime | None) -> str | None:
    """2020-05-27T16:34:41.000Z: fixed width, so text order is time order."""
    moment = stored_time(value)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z") if moment else None


# Datetimes in JSON as the columns' fixed-width text, so JSON times sort too.
_fixed_time = datetimes_as(sql_time)


def _dumps(value: Any) -> str:
    """A document as compact JSON, datetimes as fixed-width UTC text."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_fixed_time)


def _loads(text: str) -> dict[str, Any]:
    """A stored JSON document with its datetimes back as aware UTC datetimes."""
    doc = json.loads(text)
    for key in DATETIME_KEYS & doc.keys():
        if isinstance(doc[key], str):
            doc[key] = stored_time(doc[key])
    return doc


def sqlite_failure(exc: sqlite3.Error) -> type[StoreError]:
    """What an sqlite3 error means: StoreLost (the file takes no more writes), ArticleRejected
    (the batch's data is refused) or StoreError."""
    code = getattr(exc, "sqlite_errorcode", None)
    text = str(exc)
    if (isinstance(code, int) and code & 0xFF in LOST_CODES) or any(t in text for t in LOST_TEXTS):
        return StoreLost
    if isinstance(exc, sqlite3.DataError) or code == SQLITE_TOOBIG or "too big" in text:
        return ArticleRejected
    return StoreError


def _file_identity(path: Path) -> tuple[int, int]:
    """(st_dev, st_ino): which file a path names."""
    stat = os.stat(path)
    return stat.st_dev, stat.st_ino


def _enable_wal(conn: sqlite3.Connection, wait_s: float = BUSY_TIMEOUT_S) -> None:
    """Switch the file to WAL, retrying while another process does the same.

    Changing the journal mode of a new file returns "database is locked" at once, without the
    busy handler, when a second process opens the file at the same moment (two crawls started
    together by cron), so the wait is done here.
    """
    deadline = time.monotonic() + wait_s
    pause = 0.01
    while True:
        try:
            (mode,) = conn.execute("PRAGMA journal_mode = WAL").fetchone()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.2)
            continue
        if mode.lower() != "wal":
            raise sqlite3.OperationalError(f"the file cannot use WAL mode (journal mode {mode})")
        return


class SQLiteStore(DayLedgerReads):
    """Articles, versions and runs in one SQLite file (WAL mode, safe for several processes)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).absolute()
        self.description = f"SQLite file {self.path}"
        self._conn: sqlite3.Connection | None = None
        self._identity: tuple[int, int] | None = None
        # The pipeline flushes from a worker thread; one statement sequence at a time.
        self._lock = threading.RLock()
        self._locks = FileLocks(lock_folder(self.path), self.description)

    @classmethod
    def from_uri(cls, uri: str, settings: Mapping[str, Any] | Any = None) -> SQLiteStore:
        """The store of an sqlite:///relative.db or sqlite:////absolute.db URI."""
        return cls(sqlite_path(uri))

    def open(self, *, create: bool = True) -> None:
        """Open the file (WAL, 30 s busy timeout) and create the schema; raise StoreUnavailable.
        With create=False raise StoreMissing, touching nothing, unless the file exists and
        holds a store."""
        if self._conn is not None:
            return
        if not create and not self.path.is_file():
            what = "is not a file" if self.path.exists() else "does not exist"
            raise StoreMissing(f"no store at {self.path}: the SQLite file {what}")
        conn = None
        try:
            if create:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                # Read-write, never create: an existing file only (mode=rw), when asked.
                self.path if create else f"{self.path.as_uri()}?mode=rw",
                uri=not create,
                timeout=BUSY_TIMEOUT_S,
                isolation_level=None,  # transactions are explicit: BEGIN IMMEDIATE ... COMMIT
                check_same_thread=False,
            )
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
            if not create and not conn.execute(ARCHIVE_TABLE).fetchone():
                conn.close()
                raise StoreMissing(
                    f"no store at {self.path}: the file holds no newscrawl articles table"
                )
            _enable_wal(conn)
            # In WAL mode NORMAL cannot corrupt the file; a power cut may lose the last commits.
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.executescript(SCHEMA)
            _add_missing_columns(conn)
            # The file this connection writes to: its inode stays writable when the path is
            # deleted or replaced, so every write compares the two (see _check_file).
            identity = _file_identity(self.path)
        except (sqlite3.Error, OSError) as exc:
            if conn is not None:
                conn.close()
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise StoreUnavailable(f"SQLite file {self.path} cannot be opened: {reason}") from None
        self._conn, self._identity = conn, identity

    def close(self) -> None:
        """Release this store's locks and close the file."""
        self.release_locks()
        with self._lock:
            if self._conn is not None:
                self._conn.close()
            self._conn = None

    @contextmanager
    def _db(self, doing: str, *, rejects: bool = False) -> Iterator[sqlite3.Connection]:
        """The connection, under the lock; sqlite3 errors become a one-line StoreError, or
        StoreLost, or (when the batch's data can be at fault: ``rejects``) ArticleRejected."""
        with self._lock:
            if self._conn is None:
                raise StoreError(f"{self.description} is not open ({doing})")
            try:
                yield self._conn
            except sqlite3.Error as exc:
                kind = sqlite_failure(exc)
                if kind is ArticleRejected and not rejects:
                    kind = StoreError
                raise kind(f"{self.description}: {doing} failed: {exc}") from None

    @contextmanager
    def _transaction(self, doing: str, *, rejects: bool = False) -> Iterator[sqlite3.Connection]:
        """One BEGIN IMMEDIATE transaction: the write lock is taken before anything is read.

        The file is checked before and after: a commit into a deleted file is lost, so it
        raises StoreLost too and the caller keeps the batch (dead-letters it).
        """
        with self._db(doing, rejects=rejects) as conn:
            self._check_file(doing)
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            self._check_file(doing)

    def _check_file(self, doing: str) -> None:
        """Raise StoreLost unless the path still names the file opened at open()."""
        try:
            identity = _file_identity(self.path)
        except FileNotFoundError:
            gone = "was deleted" if self.path.parent.is_dir() else "was deleted with its folder"
            raise StoreLost(f"{self.description} {gone} (noticed when {doing})") from None
        except OSError as exc:
            raise StoreLost(f"{self.description} cannot be checked ({doing}): {exc}") from None
        if identity != self._identity:
            raise StoreLost(
                f"{self.description} was replaced by another file (noticed when {doing})"
            )

    def write_articles(
        self, docs: list[dict[str, Any]], *, run_id: str, now: datetime
    ) -> WriteResult:
        """Upsert a batch in one transaction; keep replaced versions; raise StoreError."""
        rounds = batch_rounds(docs)
        result = WriteResult(superseded=len(docs) - sum(map(len, rounds)))
        if not rounds:
            return result
        with self._transaction("writing articles", rejects=True) as conn:
            for batch in rounds:
                result += _write_round(conn, batch, run_id, now)
        # One transaction on a local file: the SQLite analogue of a round trip.
        result.round_trips = 1
        return result

    def start_run(self, run: RunRecord) -> None:
        """Record a run as started (replaces a record with the same run_id)."""
        with self._transaction("recording the run") as conn:
            conn.execute(UPSERT_RUN, _run_row(run))

    def finish_run(self, run: RunRecord) -> None:
        """Complete the run's record; creates it if start_run never reached the store."""
        with self._transaction("finishing the run") as conn:
            conn.execute(FINISH_RUN, _run_row(run))

    def mark_runs_killed(self, run_ids: list[str]) -> int:
        """Mark these runs' records still "running" as "killed"; return how many changed."""
        if not run_ids:
            return 0
        with self._transaction("marking runs killed") as conn:
            return conn.execute(KILL_RUNS, (json.dumps(list(run_ids)),)).rowcount

    @property
    def lock_heartbeat_s(self) -> None:
        """None: the OS holds a flock for as long as the process lives, no heartbeat needed."""
        return None

    def acquire_locks(self, keys: list[str], holder: LockHolder) -> list[LockHolder]:
        """Take every key or none (LockHeld names the first key another live process holds);
        the holders of dead runs whose lock files were taken over. Needs no open()."""
        return self._locks.acquire(keys, holder)

    def refresh_locks(self) -> None:
        """Nothing to do: a flock has no expiry and cannot be taken from a living process."""

    def release_locks(self) -> None:
        """Release every lock this store holds (idempotent)."""
        self._locks.release()

    def get_article(self, article_id: str) -> dict[str, Any] | None:
        """The stored document of one article (by Liputan6 article id), or None."""
        with self._db("reading an article") as conn:
            row = conn.execute("SELECT doc FROM articles WHERE article_id = ?", (article_id,))
            found = row.fetchone()
        return _loads(found[0]) if found else None

    def iter_articles(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        section: str | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Stored documents by published_at ascending; since inclusive, until exclusive."""
        where, params = [], []
        if since is not None:
            where.append("published_at >= ?")
            params.append(sql_time(since))
        if until is not None:
            where.append("published_at < ?")
            params.append(sql_time(until))
        if section is not None:
            where.append("section = ?")
            params.append(section)
        sql = "SELECT doc FROM articles"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY published_at, id"
        with self._db("reading articles") as conn:
            cursor = conn.execute(sql, params)
            rows = cursor.fetchmany(FETCH_SIZE)
        while rows:
            for (text,) in rows:
                yield _loads(text)
            with self._db("reading articles"):
                rows = cursor.fetchmany(FETCH_SIZE)

    def versions(self, article_id: str) -> list[dict[str, Any]]:
        """The history of one article, each with replaced_at, by fetched_at then version
        (the doc JSON holds fixed-width times, so text order is time order)."""
        with self._db("reading versions") as conn:
            rows = conn.execute(
                "SELECT doc FROM article_versions WHERE article_id = ?"
                " ORDER BY json_extract(doc, '$.fetched_at'), version",
                (article_id,),
            ).fetchall()
        return [_loads(text) for (text,) in rows]

    def raw_pages(self, below_version: int | None = None) -> Iterator[dict[str, Any]]:
        """RAW_PAGE_FIELDS of every stored article by article_id, lazily; with below_version
        only those whose extractor_version is missing or lower. Each page of rows is one
        finished query, so the caller may write to the store while iterating."""

        def fetch(after: str | None, size: int) -> list[dict[str, Any]]:
            with self._db("reading raw pages") as conn:
                rows = conn.execute(RAW_PAGES, (after or "", below_version, size)).fetchall()
            return [raw_page(dict(zip(RAW_PAGE_FIELDS, row, strict=True))) for row in rows]

        return keyset_pages(fetch)

    def runs(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Every crawl run record (the newest ``limit``), newest first."""
        with self._db("reading runs") as conn:
            rows = conn.execute(
                f"SELECT {RUN_COLUMNS} FROM crawl_runs ORDER BY started_at DESC, run_id DESC "
                "LIMIT ?",
                (-1 if limit is None else limit,),
            ).fetchall()
        return [
            {
                "_id": run_id,
                "spider": spider,
                "args": json.loads(args) if args else {},
                "started_at": stored_time(started_at),
                "finished_at": stored_time(finished_at),
                "finish_reason": finish_reason,
                "status": status,
                "counts": json.loads(counts) if counts else {},
            }
            for run_id, spider, args, started_at, finished_at, finish_reason, status, counts in rows
        ]

    def count_articles(self) -> int:
        """How many articles are stored."""
        with self._db("counting articles") as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]

    def sections(self) -> list[str]:
        """The distinct sections of the stored articles, sorted (from the section index)."""
        with self._db("reading sections") as conn:
            rows = conn.execute(
                "SELECT DISTINCT section FROM articles WHERE section IS NOT NULL ORDER BY section"
            ).fetchall()
        return [section for (section,) in rows]

    def existing_ids(self, article_ids: Iterable[str]) -> set[str]:
        """Which of these Liputan6 article ids are stored, in one query.

        The ids travel as one JSON array (json_each), so SQLite's limit on bound variables
        never applies and no chunking is needed.
        """
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return set()
        with self._db("looking up article ids") as conn:
            rows = conn.execute(
                "SELECT article_id FROM articles"
                " WHERE article_id IN (SELECT value FROM json_each(?))",
                (json.dumps(ids),),
            ).fetchall()
        return {article_id for (article_id,) in rows}

    def due_articles(self, now: datetime, limit: int | None = None) -> list[dict[str, Any]]:
        """The articles with next_due_at <= now, earliest due first (then article_id), at most
        ``limit``; one query on articles_next_due_at (fixed-width times compare as text)."""
        if limit is not None and limit < 0:
            raise ValueError(f"limit must not be negative: {limit}")
        # LIMIT -1 is no limit.
        params = (sql_time(now), -1 if limit is None else limit)
        with self._db("reading due articles") as conn:
            rows = conn.execute(DUE_ARTICLES, params).fetchall()
        return [due_article(dict(zip(DUE_FIELDS, row, strict=True))) for row in rows]

    def record_checks(
        self, checks: Iterable[tuple[str, datetime | None]], now: datetime, *, seen: bool = True
    ) -> int:
        """Set last_seen_at to now (unless not ``seen``) and next_due_at as given on these
        articles, in one transaction (one UPDATE per distinct next_due_at); return how many
        were stored."""
        groups: dict[str | None, list[str]] = {}
        for article_id, due in latest_checks(checks).items():
            groups.setdefault(sql_time(due), []).append(article_id)
        if not groups:
            return 0
        if seen:
            sql = CHECK_ARTICLES
            rows = [(sql_time(now), due, json.dumps(ids)) for due, ids in groups.items()]
        else:
            sql = RESCHEDULE_ARTICLES
            rows = [(due, json.dumps(ids)) for due, ids in groups.items()]
        with self._transaction("recording checks") as conn:
            # executemany sums the rows each UPDATE changed.
            return conn.executemany(sql, rows).rowcount

    def put_days(self, records: list[dict[str, Any]]) -> None:
        """Upsert ledger records in one transaction; a complete day stays complete."""
        rows = [_day_row(record) for record in records]
        if not rows:
            return
        with self._transaction("writing the day ledger") as conn:
            conn.executemany(UPSERT_DAY, rows)

    def _find_days(
        self, since: date, until: date, channels: list[str] | None
    ) -> list[dict[str, Any]]:
        """One query on the (day, channel) index: the records in a day range, sorted."""
        sql = f"SELECT {DAY_COLUMNS} FROM crawl_days WHERE day >= ? AND day <= ?"
        params: list[Any] = [since.isoformat(), until.isoformat()]
        if channels is not None:
            sql += " AND channel IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(channels))
        sql += " ORDER BY day, channel"
        with self._db("reading the day ledger") as conn:
            rows = conn.execute(sql, params).fetchall()
        return [day_record(dict(zip(DAY_FIELDS, row, strict=True))) for row in rows]


def _write_round(
    conn: sqlite3.Connection, batch: list[dict[str, Any]], run_id: str, now: datetime
) -> WriteResult:
    """Write one round of a batch (one document per article) inside the open transaction."""
    existing, fts_rowids = _read_existing(conn, [doc["_id"] for doc in batch])
    wanted = earlier_captures(batch, existing, now)
    history = _read_history(conn, wanted) if wanted else {}
    plan = plan_batch(batch, existing, run_id=run_id, now=now, history=history)
    if plan.inserts:
        (last,) = conn.execute(
            "SELECT max(coalesce((SELECT max(fts_rowid) FROM articles), 0),"
            " coalesce((SELECT max(rowid) FROM articles_fts), 0))"
        ).fetchone()
        fts_rowids.update({doc["_id"]: last + n for n, doc in enumerate(plan.inserts, 1)})
        _bind_rows(
            conn,
            INSERT_ARTICLE,
            [(*_columns(doc), fts_rowids[doc["_id"]], _dumps(doc)) for doc in plan.inserts],
        )
    if plan.touches:
        now = sql_time(plan.now)
        groups = _touch_groups(plan.touches)
        conn.executemany(TOUCH_ARTICLES, [(now, *key, json.dumps(ids)) for key, ids in groups])
    for (seen, extractor), ids in _stamp_groups(plan.stamps).items():
        conn.execute(STAMP_ARTICLES, (seen, extractor, json.dumps(ids)))
    if plan.pointers:
        conn.executemany(POINT_ARTICLE, plan.pointers)
    if plan.rewinds:
        conn.executemany(
            REWIND_ARTICLE,
            [
                (i, sql_time(f["fetched_at"]), f["warc_file"], f["warc_offset"], old_hash)
                for i, f, old_hash in plan.rewinds
            ],
        )
    if plan.versions:
        conn.executemany(INSERT_VERSION, [_version_row(v) for v in plan.versions])
    if plan.bumps:
        conn.executemany(BUMP_VERSION, plan.bumps)
    if plan.replaces:
        conn.executemany(
            REPLACE_ARTICLE,
            [
                (*_columns(doc)[1:], _dumps(doc), doc["_id"], old_hash)
                for doc, old_hash in plan.replaces
            ],
        )
        ids = [(doc["_id"],) for doc, _ in plan.replaces]
        conn.executemany("DELETE FROM article_authors WHERE id = ?", ids)
        conn.executemany("DELETE FROM article_tags WHERE id = ?", ids)
        conn.executemany(
            "DELETE FROM articles_fts WHERE rowid = ?", [(fts_rowids[i],) for (i,) in ids]
        )
    _write_side_rows(conn, plan.inserts + [doc for doc, _ in plan.replaces], fts_rowids)
    return WriteResult(
        new=len(plan.inserts),
        updated=len(plan.replaces),
        unchanged=plan.unchanged,
        earlier=len(plan.bumps),
    )


def _read_history(conn: sqlite3.Connection, article_ids: list[str]) -> dict[str, list[Any]]:
    """What placing earlier captures needs of these articles' histories, in one query."""
    rows = conn.execute(READ_HISTORY, (json.dumps(article_ids),))
    names = ("doc_id", "version", "fetched_at", "content_hash")
    return histories(dict(zip(names, row, strict=True)) for row in rows)


def _stamp_groups(
    stamps: list[tuple[str, dict[str, Any]]],
) -> dict[tuple[str | None, int | None], list[str]]:
    """The stamped ids by their (last_seen_at text, extractor_version): one UPDATE each, as
    a crawl's touches are one (most stamps of a batch share both values)."""
    groups: dict[tuple[str | None, int | None], list[str]] = {}
    for article, moved in stamps:
        key = (sql_time(moved["last_seen_at"]), moved["extractor_version"])
        groups.setdefault(key, []).append(article)
    return groups


def _touch_groups(
    touches: list[tuple[str, dict[str, Any]]],
) -> list[tuple[tuple[str | None, str | None, str | None], list[str]]]:
    """The touched ids by their (next_due_at text, etag, last_modified): one UPDATE each, so
    copies that share their values (none sent, say) share one statement."""
    groups: dict[tuple[str | None, str | None, str | None], list[str]] = {}
    for article, fields in touches:
        key = (sql_time(fields["next_due_at"]), fields["etag"], fields["last_modified"])
        groups.setdefault(key, []).append(article)
    return list(groups.items())


def _read_existing(
    conn: sqlite3.Connection, ids: list[str]
) -> tuple[dict[str, dict[str, Any]], dict[str, int]]:
    """The stored documents of these ids, and their full-text rowids, in one query."""
    rows = conn.execute(
        "SELECT doc, fts_rowid FROM articles WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(ids),),
    )
    existing, fts_rowids = {}, {}
    for text, fts_rowid in rows:
        old = _loads(text)
        existing[old["_id"]] = old
        fts_rowids[old["_id"]] = fts_rowid
    return existing, fts_rowids


def _insert_rows(conn: sqlite3.Connection, insert: str, rows: list[tuple[Any, ...]]) -> None:
    """``insert`` ("INSERT INTO t (a, b)") of many rows, a few statements over JSON arrays.

    executemany runs one statement per row and Python's sqlite3 hands the GIL back and forth
    around each; the crawl's event loop shares that GIL, so a batch written row by row slowed
    the crawl. One statement is one hand-off. json_extract works on SQLite 3.9+. The arrays
    are cut at JSON_CHUNK_BYTES; a row too big for any array is bound value by value, so only
    each value has to fit SQLite's length limit.
    """
    if not rows:
        return
    budget = min(JSON_CHUNK_BYTES, conn.getlimit(sqlite3.SQLITE_LIMIT_LENGTH))
    arrays, big = _json_arrays(rows, budget)
    width = len(rows[0])
    values = ", ".join(f"json_extract(value, '$[{n}]')" for n in range(width))
    for array in arrays:
        conn.execute(f"{insert} SELECT {values} FROM json_each(?)", (array,))
    if big:
        conn.executemany(f"{insert} VALUES ({', '.join('?' * width)})", big)


def _bind_rows(conn: sqlite3.Connection, insert: str, rows: list[tuple[Any, ...]]) -> None:
    """``insert`` of many rows bound value by value (executemany).

    For the articles table: through json_each, SQLite parsed each row's JSON again for every
    one of its 15 columns, the whole document among them, a fifth of the store's CPU. The
    full-text rows stay on _insert_rows: bound row by row they left the crawl ~25 MB bigger.
    """
    if rows:
        conn.executemany(f"{insert} VALUES ({', '.join('?' * len(rows[0]))})", rows)


def _json_arrays(
    rows: list[tuple[Any, ...]], budget: int
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The rows as JSON arrays of at most ``budget`` UTF-8 bytes, and the rows too big for one."""
    arrays: list[str] = []
    big: list[tuple[Any, ...]] = []
    parts: list[str] = []
    size = 2  # the brackets
    for row in rows:
        part = json.dumps(row, ensure_ascii=False, separators=(",", ":"))
        length = (len(part) if part.isascii() else len(part.encode("utf-8"))) + 1  # and a comma
        if length + 2 > budget:
            big.append(row)
            continue
        if parts and size + length > budget:
            arrays.append(f"[{','.join(parts)}]")
            parts, size = [], 2
        parts.append(part)
        size += length
    if parts:
        arrays.append(f"[{','.join(parts)}]")
    return arrays, big


def _write_side_rows(
    conn: sqlite3.Connection, written: list[dict[str, Any]], fts_rowids: dict[str, int]
) -> None:
    """Authors, tags and full text of newly written documents (their old rows are gone)."""
    _insert_rows(
        conn,
        "INSERT INTO article_authors (id, position, name)",
        [(d["_id"], n, name) for d in written for n, name in enumerate(d.get("authors") or [])],
    )
    _insert_rows(
        conn,
        "INSERT INTO article_tags (id, position, tag)",
        [(d["_id"], n, tag) for d in written for n, tag in enumerate(d.get("tags") or [])],
    )
    _insert_rows(
        conn,
        INSERT_FTS,
        [
            (fts_rowids[d["_id"]], d["_id"], d.get("title"), d.get("summary"), d.get("body"))
            for d in written
        ],
    )


def _version_row(version: dict[str, Any]) -> tuple[Any, ...]:
    """The article_versions row of a replaced document."""
    return (
        version["_id"],
        version["doc_id"],
        version.get("article_id"),
        version.get("version"),
        sql_time(version["replaced_at"]),
        _dumps(version),
    )


def _columns(doc: dict[str, Any]) -> tuple[Any, ...]:
    """The articles columns of a document from id to last_modified, in _ARTICLE_COLUMNS
    order."""
    return (
        doc["_id"],
        doc.get("article_id"),
        sql_time(doc.get("published_at")),
        doc.get("section"),
        doc.get("subsection"),
        doc.get("title"),
        doc.get("type"),
        doc["content_hash"],
        doc["version"],
        sql_time(doc["first_seen_at"]),
        sql_time(doc["last_seen_at"]),
        sql_time(doc.get("fetched_at")),
        doc.get("run_id"),
        sql_time(doc.get("next_due_at")),
        doc.get("etag"),
        doc.get("last_modified"),
    )


# Columns added since a table was first created: (table, column, definition).
ADDED_COLUMNS = (
    ("crawl_days", "open", "INTEGER NOT NULL DEFAULT 0"),
    ("articles", "next_due_at", "TEXT"),
    ("articles", "etag", "TEXT"),
    ("articles", "last_modified", "TEXT"),
)
# Indexes on added columns: SCHEMA cannot create them, as an earlier file lacks the column then.
ADDED_INDEXES = ("CREATE INDEX IF NOT EXISTS articles_next_due_at ON articles (next_due_at)",)


def _add_missing_columns(conn: sqlite3.Connection) -> None:
    """Bring a file made by an earlier version up to the schema (columns only ever added),
    in one transaction: two crawls opening an old file at once do not both add a column."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        for table, column, definition in ADDED_COLUMNS:
            have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
            if column not in have:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")
        for statement in ADDED_INDEXES:
            conn.execute(statement)
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _day_row(record: dict[str, Any]) -> tuple[Any, ...]:
    """The crawl_days row of a ledger record, in DAY_COLUMNS order."""
    doc = day_record(record)
    return (
        doc["channel"],
        doc["day"].isoformat(),
        doc["pages"],
        doc["listed"],
        doc["stored"],
        doc["failed"],
        int(doc["complete"]),
        int(doc["open"]),
        sql_time(doc["walked_at"]),
        doc["run_id"],
    )


def _run_row(run: RunRecord) -> tuple[Any, ...]:
    """The crawl_runs row of a run."""
    return (
        run.run_id,
        run.spider,
        _dumps(run.args),
        sql_time(run.started_at),
        sql_time(run.finished_at),
        run.finish_reason,
        run.status,
        _dumps(run.counts),
    )
