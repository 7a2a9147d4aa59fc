"""The MongoDB store (pymongo 4): articles, their earlier versions and crawl runs."""

from __future__ import annotations

import contextlib
import math
import socket
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple
from urllib.parse import unquote

import pymongo
from bson.errors import BSONError, InvalidDocument
from pymongo import ASCENDING, DESCENDING, TEXT, ReplaceOne, ReturnDocument, UpdateOne
from pymongo.errors import (
    BulkWriteError,
    ConnectionFailure,
    DuplicateKeyError,
    OperationFailure,
    PyMongoError,
)
from pymongo.uri_parser import parse_uri, split_hosts

from newscrawl.store.base import (
    DATETIME_KEYS,
    DUE_FIELDS,
    KILLED,
    RAW_PAGE_FIELDS,
    ArticleRejected,
    DayLedgerReads,
    LockHeld,
    LockHolder,
    RunRecord,
    StoreError,
    StoreLost,
    StoreMissing,
    StoreUnavailable,
    WriteResult,
    day_key,
    day_record,
    due_article,
    keyset_pages,
    latest_checks,
    lock_held,
    raw_page,
    stored_time,
)
from newscrawl.store.history import BatchPlan, batch_rounds, earlier_captures, histories, plan_batch
from newscrawl.store.uri import DEFAULT_MONGO_DATABASE, mongo_database
from newscrawl.store.uri import mask_uri as mask_uri  # its old home: callers import it here

DUPLICATE_KEY = 11000
# Server error codes caused by a document rather than the server: BadValue,
# DollarPrefixedFieldName, 55 (InvalidDBRef), EmptyFieldName, BSONObjectTooLarge, and
# 17419/17420 (document too large after an update).
DATA_ERROR_CODES = frozenset({2, 52, 55, 56, 10334, 17419, 17420})
LOCK_LEASE_S = 120.0
# Tries of one lock's atomic take: a DuplicateKeyError may meet a lock released meanwhile, and
# the take of a dead holder's lock may meet another run taking it first.
LOCK_TRIES = 3
# Documents never carry this field, so a "language" key can never switch the text index's
# stemming language (Liputan6 is Indonesian, which MongoDB's text search does not know).
TEXT_LANGUAGE_OVERRIDE = "text_language_override"
# What placing earlier captures reads of a history: a few small fields per version.
HISTORY_FIELDS = {"_id": 0, "doc_id": 1, "version": 1, "fetched_at": 1, "content_hash": 1}
# How many times a batch's articles are placed again after another writer changed them
# between this store's read and its write, before the write fails.
RACE_RETRIES = 5
# Enough history rows for the find's first reply (up to 16 MiB) to hold them all: no getMore.
HISTORY_BATCH = 100_000


def uri_hosts(uri: str) -> str:
    """The URI's hosts as "host:port,host:port" (the SRV name for mongodb+srv), no password."""
    # What follows the last "@" before the options never holds the password.
    hosts = uri.partition("://")[2].partition("?")[0].rpartition("@")[2].partition("/")[0]
    try:
        if uri.startswith("mongodb+srv://"):
            # parse_uri would resolve the SRV record: no network I/O just to name the store.
            return split_hosts(hosts, default_port=None)[0][0]
        nodes = parse_uri(uri)["nodelist"]
    except (PyMongoError, ValueError, IndexError):
        return hosts or "(no host)"
    return ",".join(f"[{host}]:{port}" if ":" in host else f"{host}:{port}" for host, port in nodes)


def short_reason(exc: BaseException) -> str:
    """The first useful line of a pymongo error, without the topology dump."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, BulkWriteError):
        errors = (exc.details or {}).get("writeErrors") or [{}]
        first = str(errors[0].get("errmsg", "")).splitlines()[0:1] or ["?"]
        text = f"{len(errors)} write error(s), the first: {first[0]}"
    for cut in (", Timeout:", " (configured timeouts", ", full error:"):
        text = text.split(cut)[0]
    return text[:200]


def mongo_failure(exc: BaseException) -> type[StoreError]:
    """What a pymongo or bson error means: StoreLost (the server is gone or stepped down),
    ArticleRejected (the batch holds a document the server refuses) or StoreError."""
    # AutoReconnect, NetworkTimeout, NotPrimaryError and ServerSelectionTimeoutError too.
    if isinstance(exc, ConnectionFailure):
        return StoreLost
    # DocumentTooLarge too; bson's errors are no PyMongoError.
    if isinstance(exc, InvalidDocument):
        return ArticleRejected
    if isinstance(exc, BulkWriteError):
        details = exc.details or {}
        errors = details.get("writeErrors") or []
        data = all(e.get("code") in DATA_ERROR_CODES for e in errors)
        if errors and data and not details.get("writeConcernErrors"):
            return ArticleRejected
        return StoreError
    if isinstance(exc, OperationFailure) and exc.code in DATA_ERROR_CODES:
        return ArticleRejected
    return StoreError


def _now() -> datetime:
    """The current time, aware UTC."""
    return datetime.now(UTC)


class MongoStore(DayLedgerReads):
    """Articles, versions and runs in one MongoDB database."""

    def __init__(
        self,
        uri: str,
        database: str = "newscrawl",
        *,
        client_factory: Callable[..., Any] = pymongo.MongoClient,
        server_selection_timeout_ms: int = 5000,
        lock_lease_s: float = LOCK_LEASE_S,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self._uri = uri
        self.database = database
        self._client_factory = client_factory
        self._timeout_ms = server_selection_timeout_ms
        self.lock_lease_s = lock_lease_s
        self._clock = clock
        # The run whose locks this store holds, and their keys.
        self._lock_run_id: str | None = None
        self._held: list[str] = []
        self.hosts = uri_hosts(uri)
        self.description = f"MongoDB {self.hosts}/{database}"
        self._client: Any = None
        self._articles: Any = None
        self._versions: Any = None
        self._runs: Any = None
        self._days: Any = None
        self._locks: Any = None

    @classmethod
    def from_uri(
        cls, uri: str, settings: Mapping[str, Any] | Any = None, *, database: str | None = None
    ) -> MongoStore:
        """The store of a mongodb:// or mongodb+srv:// URI: the database ``database``, else the
        URI's path, else MONGO_DATABASE; the lock lease NEWSCRAWL_LOCK_LEASE_S."""
        settings = settings or {}
        if database is None:
            database = (
                mongo_database(uri) or settings.get("MONGO_DATABASE") or DEFAULT_MONGO_DATABASE
            )
        lease = settings.get("NEWSCRAWL_LOCK_LEASE_S")
        return cls(uri, database, lock_lease_s=float(lease) if lease else LOCK_LEASE_S)

    def _safe(self, text: str) -> str:
        """Text with this URI's password removed, in case a driver message echoes it."""
        userinfo = self._uri.partition("://")[2].partition("?")[0].rpartition("@")[0]
        password = userinfo.partition(":")[2]
        for secret in {password, unquote(password)} - {""}:
            text = text.replace(secret, "***")
        return text

    def open(self, *, create: bool = True) -> None:
        """Connect, ping, and create the indexes (idempotent); raise StoreUnavailable. With
        create=False raise StoreMissing, creating nothing, when the database has no articles."""
        if self._client is not None:
            return
        client = None
        try:
            client = self._client_factory(
                self._uri, tz_aware=True, serverSelectionTimeoutMS=self._timeout_ms
            )
            client.admin.command("ping")
            db = client[self.database]
            if not create and "articles" not in db.list_collection_names():
                client.close()
                raise StoreMissing(
                    f"no store in {self.description}: the database has no articles collection"
                )
            articles, versions, runs = db["articles"], db["article_versions"], db["crawl_runs"]
            days = db["crawl_days"]
            articles.create_index("published_at")
            articles.create_index([("section", ASCENDING), ("published_at", ASCENDING)])
            articles.create_index("authors")
            articles.create_index("tags")
            articles.create_index("article_id", unique=True)
            articles.create_index("next_due_at")
            articles.create_index(
                [("title", TEXT), ("summary", TEXT), ("body", TEXT)],
                default_language="none",
                language_override=TEXT_LANGUAGE_OVERRIDE,
            )
            runs.create_index("started_at")
            versions.create_index([("article_id", ASCENDING), ("version", ASCENDING)], unique=True)
            days.create_index([("day", ASCENDING), ("channel", ASCENDING)])
        except (PyMongoError, ValueError, TypeError) as exc:
            if client is not None:
                client.close()
            reason = self._safe(short_reason(exc))
            raise StoreUnavailable(f"MongoDB at {self.hosts} is unreachable: {reason}") from None
        self._client = client
        self._articles, self._versions, self._runs = articles, versions, runs
        self._days, self._locks = days, db["crawl_locks"]

    def close(self) -> None:
        """Release this store's locks (if the server answers) and close the client."""
        # An unreachable server cannot be told; the leases then expire on their own.
        with contextlib.suppress(StoreError):
            self.release_locks()
        if self._client is not None:
            self._client.close()
        self._client = self._articles = self._versions = self._runs = self._days = None
        self._locks, self._held = None, []

    @contextmanager
    def _errors(self, doing: str, *, rejects: bool = False) -> Iterator[None]:
        """Turn any pymongo or bson error into a one-line StoreError naming the host: StoreLost
        when the server is gone, ArticleRejected when the batch's data is refused (``rejects``)."""
        if self._client is None:
            raise StoreError(f"{self.description} is not open ({doing})")
        try:
            yield
        except (PyMongoError, BSONError) as exc:
            kind = mongo_failure(exc)
            if kind is ArticleRejected and not rejects:
                kind = StoreError
            reason = self._safe(short_reason(exc))
            raise kind(f"MongoDB at {self.hosts}: {doing} failed: {reason}") from None

    def write_articles(
        self, docs: list[dict[str, Any]], *, run_id: str, now: datetime
    ) -> WriteResult:
        """Upsert a batch in at most 3 round trips (4 when it holds earlier captures, a round
        more for each further capture of one article, and more for articles another writer
        changed meanwhile); keep replaced versions; raise StoreError, whose ``written`` counts
        the rounds written before the failure (the round that failed may be partly written)."""
        rounds = batch_rounds(docs)
        result = WriteResult(superseded=len(docs) - sum(map(len, rounds)))
        try:
            self._write_rounds(rounds, run_id, now, result)
        except StoreError as exc:
            exc.written = result  # what the rounds done before the failure wrote
            raise
        return result

    def _write_rounds(
        self, rounds: list[list[dict[str, Any]]], run_id: str, now: datetime, result: WriteResult
    ) -> None:
        """Write the rounds of a batch one after the other, counting into ``result``."""
        with self._errors("writing articles", rejects=True):
            for batch in rounds:
                again = self._write_batch(batch, run_id, now, result, may_collide=True)
                for _ in range(RACE_RETRIES):
                    if not again.docs:
                        break
                    # Another writer changed these articles between our read and our write:
                    # place them again, against what it wrote.
                    # Not again a collision of an insert: that one is a real error (an
                    # article_id under another _id).
                    again = self._write_batch(
                        again.docs, run_id, now, result, may_collide=False, pushed=again.pushed
                    )
                else:
                    if again.docs:
                        raise StoreError(
                            f"MongoDB at {self.hosts}: writing articles failed: "
                            f"{len(again.docs)} article(s) changed by another writer"
                            f" {RACE_RETRIES + 1} times in a row"
                        )

    def _write_batch(
        self,
        batch: list[dict[str, Any]],
        run_id: str,
        now: datetime,
        result: WriteResult,
        *,
        may_collide: bool,
        pushed: frozenset[tuple[str, str, Any]] = frozenset(),
    ) -> Raced:
        """One read (two with earlier captures), one versions insert, one bulk write (and a
        read when a conditional write missed); the documents another writer raced, to write
        again. ``pushed``: the versions an earlier try already put into the history."""
        ids = [doc["_id"] for doc in batch]
        # batch_size: the whole answer in the find's first reply (up to 16 MiB), no getMore.
        found = self._articles.find({"_id": {"$in": ids}}, batch_size=len(ids))
        existing = {doc["_id"]: doc for doc in found}
        result.round_trips += 1
        history = {}
        wanted = earlier_captures(batch, existing, now)
        if wanted:
            result.round_trips += 1
            rows = self._versions.find(
                {"article_id": {"$in": wanted}}, HISTORY_FIELDS, batch_size=HISTORY_BATCH
            )
            history = histories(rows)
        plan = plan_batch(batch, existing, run_id=run_id, now=now, history=history)
        # A replace that a concurrent writer made us try again pushed its version already.
        versions = [v for v in plan.versions if _pushed_key(v) not in pushed]
        if versions:
            # Old versions first: if the replace then fails, the history is still complete.
            result.round_trips += 1
            try:
                self._versions.insert_many(versions, ordered=False)
            except BulkWriteError as exc:
                if _duplicate_indexes(exc) is None:
                    raise
        # _id stays out of $setOnInsert so the server may retry an upsert that races another.
        ops: list[Any] = [
            UpdateOne(
                {"_id": doc["_id"]},
                {"$setOnInsert": {k: v for k, v in doc.items() if k != "_id"}},
                upsert=True,
            )
            for doc in plan.inserts
        ]
        ops += [
            UpdateOne({"_id": i}, {"$set": {"last_seen_at": plan.now, **fields}})
            for i, fields in plan.touches
        ]
        ops += [UpdateOne({"_id": i}, {"$set": moved}) for i, moved in plan.stamps]
        ops += [
            UpdateOne({"_id": i}, {"$set": {"warc_file": name, "warc_offset": offset}})
            for i, name, offset in plan.pointers
        ]
        ops += [
            UpdateOne({"_id": i, "content_hash": old_hash}, {"$set": fields})
            for i, fields, old_hash in plan.rewinds
        ]
        # Filtered on the stored hash and version: a concurrent writer's newer version is not
        # overwritten, nor a version number it gave taken twice.
        ops += [
            ReplaceOne(_unchanged(doc["_id"], old_hash, doc["version"] - 1), doc)
            for doc, old_hash in plan.replaces
        ]
        ops += [
            UpdateOne(_unchanged(i, old_hash, version - 2), {"$set": {"version": version}})
            for i, version, old_hash in plan.bumps
        ]
        upserted: set[int] = set()
        matched, lost_at = 0, []
        # Nothing to write when every document was an earlier capture already known.
        if ops:
            result.round_trips += 1
            try:
                done = self._articles.bulk_write(ops, ordered=False)
                upserted, matched = set(done.upserted_ids or {}), done.matched_count
            except BulkWriteError as exc:
                lost_at = _duplicate_indexes(exc)
                # Only an insert (the first ops) may collide: with a concurrent insert of the
                # same article. Anything else is a real failure.
                inserts = len(plan.inserts)
                if not may_collide or lost_at is None or any(i >= inserts for i in lost_at):
                    raise
                upserted = {u["index"] for u in exc.details.get("upserted", [])}
                matched = exc.details.get("nMatched", 0)
        by_id = {doc["_id"]: doc for doc in batch}
        # An insert that collided, or matched a document another writer had just inserted,
        # is placed again against that document.
        raced = [by_id[doc["_id"]] for i, doc in enumerate(plan.inserts) if i not in upserted]
        others = len(plan.touches) + len(plan.stamps) + len(plan.pointers) + len(plan.rewinds)
        conditional = len(plan.replaces) + len(plan.bumps)
        missed = set()
        if conditional and matched < others + len(raced) - len(lost_at) + conditional:
            missed = self._missed(plan, versions, result)
        result.new += len(upserted)
        result.updated += sum(doc["_id"] not in missed for doc, _ in plan.replaces)
        result.earlier += sum(i not in missed for i, _, _ in plan.bumps)
        result.unchanged += len(batch) - len(plan.inserts) - conditional
        # The history already holds what a missed replace pushed: not pushed again.
        replaced = {doc["_id"] for doc, _ in plan.replaces}
        kept = {_pushed_key(v) for v in versions if v["doc_id"] in missed & replaced}
        return Raced(raced + [by_id[i] for i in missed], pushed | kept)

    def _missed(
        self, plan: BatchPlan, versions: list[dict[str, Any]], result: WriteResult
    ) -> set[str]:
        """The articles whose replace or bump a concurrent writer made miss (read back). The
        earlier versions placed for a missed bump are taken out again: their number is no
        longer free."""
        wanted = {doc["_id"]: (doc["version"], doc["content_hash"]) for doc, _ in plan.replaces}
        wanted |= {i: (version, old_hash) for i, version, old_hash in plan.bumps}
        result.round_trips += 1
        found = self._articles.find(
            {"_id": {"$in": list(wanted)}}, {"version": 1, "content_hash": 1}
        )
        stored = {doc["_id"]: (doc.get("version"), doc.get("content_hash")) for doc in found}
        missed = {i for i, want in wanted.items() if stored.get(i) != want}
        bumped = missed & {i for i, *_ in plan.bumps}
        placed = [
            {"_id": v["_id"], "content_hash": v["content_hash"], "fetched_at": v.get("fetched_at")}
            for v in versions
            if v["doc_id"] in bumped
        ]
        if placed:
            result.round_trips += 1
            self._versions.delete_many({"$or": placed})
        return missed

    def start_run(self, run: RunRecord) -> None:
        """Record a run as started (replaces a record with the same run_id)."""
        with self._errors("recording the run"):
            self._runs.replace_one({"_id": run.run_id}, _run_document(run), upsert=True)

    def finish_run(self, run: RunRecord) -> None:
        """Complete the run's record; creates it if start_run never reached the store."""
        record = _run_document(run)
        finish = {k: record.pop(k) for k in ("finished_at", "finish_reason", "status", "counts")}
        record.pop("_id")
        with self._errors("finishing the run"):
            self._runs.update_one(
                {"_id": run.run_id}, {"$set": finish, "$setOnInsert": record}, upsert=True
            )

    def mark_runs_killed(self, run_ids: list[str]) -> int:
        """Mark these runs' records still "running" as "killed"; return how many changed."""
        if not run_ids:
            return 0
        with self._errors("marking runs killed"):
            done = self._runs.update_many(
                {"_id": {"$in": list(run_ids)}, "status": "running"},
                {"$set": {"status": KILLED, "finish_reason": KILLED}},
            )
        return done.modified_count

    @property
    def lock_heartbeat_s(self) -> float:
        """A third of the lease: a lock survives two missed heartbeats."""
        return self.lock_lease_s / 3

    def acquire_locks(self, keys: list[str], holder: LockHolder) -> list[LockHolder]:
        """Take every key or none (LockHeld names the first key whose lease still runs); the
        holders of dead runs (lease expired, or process gone from this host) whose locks were
        taken over."""
        if self._held and holder.run_id != self._lock_run_id:
            raise ValueError(f"this store holds the locks of run {self._lock_run_id} already")
        wanted = [key for key in dict.fromkeys(keys) if key not in self._held]
        taken: list[tuple[str, dict[str, Any] | None]] = []
        with self._errors("taking locks"):
            try:
                for key in wanted:
                    taken.append((key, self._take_lock(key, holder)))
            except LockHeld:
                self._give_back(taken, holder.run_id)
                raise
        self._lock_run_id = holder.run_id
        self._held += [key for key, _ in taken]
        return [
            LockHolder.from_dict(previous)
            for _, previous in taken
            if previous is not None and previous.get("run_id") != holder.run_id
        ]

    def _take_lock(self, key: str, holder: LockHolder) -> dict[str, Any] | None:
        """Take one lock atomically if it is free, expired, ours, or held by a process of this
        host that is gone: the document it replaced."""
        for _ in range(LOCK_TRIES):
            now = stored_time(self._clock())
            try:
                return self._locks.find_one_and_update(
                    {"_id": key, "$or": [{"expires_at": {"$lt": now}}, {"run_id": holder.run_id}]},
                    {"$set": self._lock_fields(holder, now)},
                    upsert=True,
                    return_document=ReturnDocument.BEFORE,
                )
            except DuplicateKeyError:
                # The filter missed a document that exists: a lease still running, unless it
                # was released or expired since; then the next try takes it.
                current = self._locks.find_one({"_id": key})
            if current is None or stored_time(current["expires_at"]) < now:
                continue
            if not LockHolder.from_dict(current).died_here():
                raise self._lease_held(key, current, now)
            # Its process is gone from this host: the lease means nothing any more. Taken
            # only as it was read, so of two runs doing this at once one wins.
            previous = self._locks.find_one_and_update(
                {
                    "_id": key,
                    "run_id": current["run_id"],
                    "heartbeat_at": current.get("heartbeat_at"),
                },
                {"$set": self._lock_fields(holder, now)},
                return_document=ReturnDocument.BEFORE,
            )
            if previous is not None:
                return previous
        raise lock_held(self.description, key, None)

    def _lease_held(self, key: str, current: dict[str, Any], now: datetime) -> LockHeld:
        """Why a lease not run out blocks the key. Held: its holder lives on this host, or, on
        another host, renewed it within half a lease (a live holder renews every third). Else
        left: that holder stopped renewing it, and the key is free once the lease runs out."""
        holder = LockHolder.from_dict(current)
        held = lock_held(self.description, key, holder)
        if holder.host == socket.gethostname():
            return held  # _take_lock took it over if its process were gone
        renewed = stored_time(current.get("heartbeat_at") or holder.started_at)
        expires = stored_time(current["expires_at"])
        # Never negative, whatever the other host's clock says.
        silent = max(0.0, (now - renewed).total_seconds())
        if silent <= (expires - renewed).total_seconds() / 2:
            return LockHeld(f"{held}, lease renewed {silent:.0f} s ago", key, holder)
        free_in = math.ceil((expires - now).total_seconds())
        return LockHeld(
            f"{self.description}: lock {key!r} was left by run {holder.run_id} on host "
            f"{holder.host}, free in {free_in} s (pid {holder.pid}; its lease was last renewed "
            f"{silent:.0f} s ago)",
            key,
            holder,
        )

    def _lock_fields(self, holder: LockHolder, now: datetime) -> dict[str, Any]:
        """A lock document's fields (all but _id), its lease starting now."""
        return {
            "run_id": holder.run_id,
            "pid": holder.pid,
            "host": holder.host,
            "started_at": stored_time(holder.started_at),
            "heartbeat_at": now,
            "expires_at": now + timedelta(seconds=self.lock_lease_s),
        }

    def _give_back(self, taken: list[tuple[str, dict[str, Any] | None]], run_id: str) -> None:
        """Undo the takes of a failed acquire: a dead run's lock gets its document back, so
        whoever takes it next still learns that run died."""
        for key, previous in taken:
            if previous is None:
                self._locks.delete_one({"_id": key, "run_id": run_id})
            else:
                self._locks.replace_one({"_id": key, "run_id": run_id}, previous)

    def refresh_locks(self) -> None:
        """Move the leases of this store's locks forward; LockHeld if one was lost meanwhile."""
        if not self._held:
            return
        now = stored_time(self._clock())
        mine = {"_id": {"$in": self._held}, "run_id": self._lock_run_id}
        with self._errors("refreshing locks"):
            lease = {"heartbeat_at": now, "expires_at": now + timedelta(seconds=self.lock_lease_s)}
            if self._locks.update_many(mine, {"$set": lease}).matched_count == len(self._held):
                return
            ours = {doc["_id"] for doc in self._locks.find(mine, {"_id": 1})}
            lost = [key for key in self._held if key not in ours]
            current = self._locks.find_one({"_id": lost[0]})
        self._held = [key for key in self._held if key in ours]
        holder = LockHolder.from_dict(current) if current is not None else None
        raise lock_held(self.description, lost[0], holder, lost=True)

    def release_locks(self) -> None:
        """Delete the lock documents still ours (idempotent; a no-op once closed)."""
        if not self._held or self._locks is None:
            return
        with self._errors("releasing locks"):
            self._locks.delete_many({"_id": {"$in": self._held}, "run_id": self._lock_run_id})
        self._held = []

    def get_article(self, article_id: str) -> dict[str, Any] | None:
        """The stored document of one article (by Liputan6 article id), or None."""
        with self._errors("reading an article"):
            doc = self._articles.find_one({"article_id": article_id})
        return _utc(doc) if doc is not None else None

    def iter_articles(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        section: str | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Stored documents by published_at ascending; since inclusive, until exclusive."""
        query: dict[str, Any] = {}
        published: dict[str, Any] = {}
        if since is not None:
            published["$gte"] = stored_time(since)
        if until is not None:
            published["$lt"] = stored_time(until)
        if published:
            query["published_at"] = published
        if section is not None:
            query["section"] = section
        with self._errors("reading articles"):
            # published_at alone: the index gives the order, no in-memory sort of the store.
            cursor = self._articles.find(query).sort("published_at", ASCENDING)
            for doc in cursor:
                yield _utc(doc)

    def versions(self, article_id: str) -> list[dict[str, Any]]:
        """The history of one article, each with replaced_at, by fetched_at then version."""
        order = [("fetched_at", ASCENDING), ("version", ASCENDING)]
        with self._errors("reading versions"):
            found = self._versions.find({"article_id": article_id}).sort(order)
            return [_utc(doc) for doc in found]

    def raw_pages(self, below_version: int | None = None) -> Iterator[dict[str, Any]]:
        """RAW_PAGE_FIELDS of every stored article by article_id, lazily; with below_version
        only those whose extractor_version is missing or lower. Each page of rows is one
        query on the article_id index, so no cursor is left to time out while the caller
        works."""
        outdated: dict[str, Any] = {}
        if below_version is not None:
            # null matches a missing field too.
            versions = [{"extractor_version": {"$lt": below_version}}, {"extractor_version": None}]
            outdated = {"$or": versions}
        fields = {"_id": 0, **dict.fromkeys(RAW_PAGE_FIELDS, 1)}

        def fetch(after: str | None, size: int) -> list[dict[str, Any]]:
            query = outdated if after is None else {**outdated, "article_id": {"$gt": after}}
            with self._errors("reading raw pages"):
                found = self._articles.find(query, fields).sort("article_id", ASCENDING)
                return [raw_page(doc) for doc in found.limit(size)]

        return keyset_pages(fetch)

    def runs(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Every crawl run record (the newest ``limit``), newest first."""
        with self._errors("reading runs"):
            found = self._runs.find().sort([("started_at", DESCENDING), ("_id", DESCENDING)])
            return [_utc(doc) for doc in found.limit(limit or 0)]

    def count_articles(self) -> int:
        """How many articles are stored (from the collection's metadata: no scan)."""
        with self._errors("counting articles"):
            return self._articles.estimated_document_count()

    def sections(self) -> list[str]:
        """The distinct sections of the stored articles, sorted (from the section index)."""
        with self._errors("reading sections"):
            values = self._articles.distinct("section")
        return sorted(v for v in values if isinstance(v, str))

    def existing_ids(self, article_ids: Iterable[str]) -> set[str]:
        """Which of these Liputan6 article ids are stored, in one query (article_id index)."""
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return set()
        with self._errors("looking up article ids"):
            # Only the ids come back; batch_size: the whole answer in the find's first reply.
            found = self._articles.find(
                {"article_id": {"$in": ids}}, {"_id": 0, "article_id": 1}, batch_size=len(ids)
            )
            return {doc["article_id"] for doc in found}

    def due_articles(self, now: datetime, limit: int | None = None) -> list[dict[str, Any]]:
        """The articles with next_due_at <= now, earliest due first (then article_id), at most
        ``limit``; one query on the next_due_at index."""
        if limit is not None and limit < 0:
            raise ValueError(f"limit must not be negative: {limit}")
        if limit == 0:
            return []  # limit(0) is no limit to MongoDB
        fields = {"_id": 0, **dict.fromkeys(DUE_FIELDS, 1)}
        order = [("next_due_at", ASCENDING), ("article_id", ASCENDING)]
        with self._errors("reading due articles"):
            # $type: dates only, never null (no revisit planned). MongoDB's $lte compares only
            # dates with a date anyway; mongoeco counts null as earlier than any date.
            due = {"$type": "date", "$lte": stored_time(now)}
            found = self._articles.find({"next_due_at": due}, fields)
            return [due_article(doc) for doc in found.sort(order).limit(limit or 0)]

    def record_checks(
        self, checks: Iterable[tuple[str, datetime | None]], now: datetime, *, seen: bool = True
    ) -> int:
        """Set last_seen_at to now (unless not ``seen``) and next_due_at as given on these
        articles, in one unordered bulk write; return how many were stored (matched)."""
        moved = {"last_seen_at": stored_time(now)} if seen else {}
        ops = [
            UpdateOne({"article_id": article_id}, {"$set": {**moved, "next_due_at": due}})
            for article_id, due in latest_checks(checks).items()
        ]
        if not ops:
            return 0
        with self._errors("recording checks"):
            return self._articles.bulk_write(ops, ordered=False).matched_count

    def put_days(self, records: list[dict[str, Any]]) -> None:
        """Upsert ledger records in one ordered bulk write; a complete day stays complete.

        A complete record replaces whatever is stored. An incomplete one is inserted when the
        day is new and overwrites only a record that is not complete either.
        """
        ops: list[Any] = []
        for record in records:
            doc = _day_document(record)
            key = doc.pop("_id")
            if doc["complete"]:
                ops.append(ReplaceOne({"_id": key}, doc, upsert=True))
            else:
                ops.append(UpdateOne({"_id": key}, {"$setOnInsert": doc}, upsert=True))
                ops.append(UpdateOne({"_id": key, "complete": {"$ne": True}}, {"$set": doc}))
        if not ops:
            return
        with self._errors("writing the day ledger"):
            self._days.bulk_write(ops, ordered=True)

    def _find_days(
        self, since: date, until: date, channels: list[str] | None
    ) -> list[dict[str, Any]]:
        """One query on the (day, channel) index: the records in a day range, sorted."""
        query: dict[str, Any] = {"day": {"$gte": since.isoformat(), "$lte": until.isoformat()}}
        if channels is not None:
            query["channel"] = {"$in": channels}
        with self._errors("reading the day ledger"):
            found = self._days.find(query, {"_id": 0}).sort(
                [("day", ASCENDING), ("channel", ASCENDING)]
            )
            return [day_record(doc) for doc in found]


class Raced(NamedTuple):
    """What a batch write leaves to place again: the documents another writer raced, and the
    versions already pushed into the history for them."""

    docs: list[dict[str, Any]]
    pushed: frozenset[tuple[str, str, Any]]


def _unchanged(article: str, content_hash: str, version: int) -> dict[str, Any]:
    """The filter of a write that holds only while the article is as this store read it."""
    return {"_id": article, "content_hash": content_hash, "version": version}


def _pushed_key(version: dict[str, Any]) -> tuple[str, str, Any]:
    """What makes two history documents one version: the article, the content, the capture."""
    return version["doc_id"], version["content_hash"], version.get("fetched_at")


def _duplicate_indexes(exc: BulkWriteError) -> list[int] | None:
    """The op indexes of an unordered bulk write that failed only on duplicate keys, else None."""
    details = exc.details or {}
    errors = details.get("writeErrors") or []
    if not errors or details.get("writeConcernErrors"):
        return None
    if any(e.get("code") != DUPLICATE_KEY for e in errors):
        return None
    return [e["index"] for e in errors]


def _run_document(run: RunRecord) -> dict[str, Any]:
    """The crawl_runs document of a run."""
    return {
        "_id": run.run_id,
        "spider": run.spider,
        "args": dict(run.args),
        "started_at": stored_time(run.started_at),
        "finished_at": stored_time(run.finished_at),
        "finish_reason": run.finish_reason,
        "status": run.status,
        "counts": dict(run.counts),
    }


def _day_document(record: dict[str, Any]) -> dict[str, Any]:
    """The crawl_days document of a ledger record: day as "YYYY-MM-DD", walked_at UTC."""
    doc = day_record(record)
    return {
        "_id": day_key(doc["channel"], doc["day"]),
        **doc,
        "day": doc["day"].isoformat(),
    }


def _utc(doc: dict[str, Any]) -> dict[str, Any]:
    """The document with its datetimes in datetime.UTC (pymongo gives its own UTC tzinfo)."""
    for key in DATETIME_KEYS & doc.keys():
        if isinstance(doc[key], datetime):
            doc[key] = doc[key].astimezone(UTC)
    return doc
