"""Run ids and run records: the one place a run's record is started and finished.

Every run that writes to the store (crawl, replay, reextract, import-warc) has a record in
``crawl_runs``: written when it starts, completed with its status, finish reason and counts
when it ends, whatever ended it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from newscrawl.store.base import RunRecord, StoreError

FINISHED = "finished"
FAILED = "failed"


def new_run_id(now: datetime | None = None) -> str:
    """A sortable, unique run id: 20261124T041500Z-1a2b3c4d."""
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"


def new_run(spider: str, args: dict[str, Any] | None = None) -> RunRecord:
    """A run record with a new id, started now (not yet written)."""
    return RunRecord(run_id=new_run_id(), spider=spider, args=dict(args or {}))


def start_run(store, run: RunRecord) -> None:
    """Record the run as started; raises StoreError (the caller still finishes the record)."""
    store.start_run(run)


def finish_run(
    store, run: RunRecord, status: str, reason: str, counts: dict[str, Any]
) -> str | None:
    """Complete the run's record; best effort, since the store may be what failed: returns
    why the record could not be written (for the caller to report), else None."""
    run.status, run.finish_reason = status, reason
    run.finished_at = datetime.now(UTC)
    run.counts = counts
    try:
        store.finish_run(run)
    except StoreError as exc:
        return str(exc)
    return None
