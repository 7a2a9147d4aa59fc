"""Where a capture goes in an article's history: pure planning that both stores share.

A batch is cut into rounds of one document per article (batch_rounds); each round is placed
against the stored documents by capture time (plan_batch), and the store carries out the plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from newscrawl.store.base import (
    ARCHIVED_COPY,
    CRAWL,
    DATETIME_KEYS,
    REVISIT_FIELDS,
    stored_time,
)


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
