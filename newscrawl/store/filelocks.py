"""The SQLite store's locks: one flock()ed file per key in a folder beside the database file.

A flock belongs to an open file description, so the OS drops it when the process dies
(kill -9 included): no lease, no heartbeat. The file holds the holder as JSON while locked
and is emptied on release, so a lock file found non-empty belonged to a run that died.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
from pathlib import Path

from newscrawl.store.base import LockHolder, StoreError, lock_held

HOLDER_MAX_BYTES = 64 * 1024


def lock_folder(db_path: Path) -> Path:
    """``<db file name>.locks`` beside the database file: each file has its own locks."""
    return db_path.with_name(f"{db_path.name}.locks")


def lock_file_name(key: str) -> str:
    """A safe file name for a key: its readable part plus a hash, so no two keys share one."""
    readable = re.sub(r"[^A-Za-z0-9._-]", "_", key)[:64]
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
    return f"{readable}-{digest}.lock"


class _Busy(Exception):
    """The file is flocked by another open file (another process, or another store object)."""

    def __init__(self, holder: LockHolder | None) -> None:
        super().__init__()
        self.holder = holder


def read_holder(fd: int) -> LockHolder | None:
    """The holder recorded in a lock file, or None when it is empty or half written."""
    data = os.pread(fd, HOLDER_MAX_BYTES, 0)
    try:
        return LockHolder.from_dict(json.loads(data))
    except (ValueError, KeyError, TypeError):
        return None


def _lock_file(path: Path) -> tuple[int, LockHolder | None]:
    """Open and flock the file without waiting: (fd, the holder it records); _Busy if held."""
    # O_CLOEXEC: a helper process started later must not inherit the lock and keep it after
    # the crawl dies.
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = read_holder(fd)
        os.close(fd)
        raise _Busy(holder) from None
    except BaseException:
        os.close(fd)
        raise
    return fd, read_holder(fd)


def _write_holder(fd: int, holder: LockHolder) -> None:
    """Record the holder in a file we have flocked."""
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(holder.to_dict()).encode("utf-8"), 0)


def _unlock_file(fd: int) -> None:
    """Empty the file (a clean release, not a death), unlock and close it."""
    try:
        os.ftruncate(fd, 0)
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


class FileLocks:
    """The locks one store object holds: key -> its open, flocked file descriptor."""

    def __init__(self, folder: Path, where: str) -> None:
        self.folder = folder
        self.where = where
        self._held: dict[str, int] = {}

    def acquire(self, keys: list[str], holder: LockHolder) -> list[LockHolder]:
        """Take every key or none; the holders of dead runs found in the files taken."""
        wanted = [key for key in dict.fromkeys(keys) if key not in self._held]
        taken: dict[str, int] = {}
        dead: list[LockHolder] = []
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for key in wanted:
                fd, previous = _lock_file(self.folder / lock_file_name(key))
                taken[key] = fd
                if previous is not None and previous.run_id != holder.run_id:
                    dead.append(previous)
            # Written only once every key is ours: a failed acquire leaves the files untouched,
            # so a dead holder found there is still reported to whoever takes them next.
            for fd in taken.values():
                _write_holder(fd, holder)
        except _Busy as busy:
            self._close(taken)
            holder = busy.holder
            if holder is not None and holder.died_here():
                # A dead run in the file, yet the flock is held: its taker has not written
                # itself there yet.
                holder = None
            raise lock_held(self.where, key, holder) from None
        except OSError as exc:
            self._close(taken)
            raise StoreError(f"{self.where}: cannot lock in {self.folder}: {exc}") from None
        self._held.update(taken)
        return dead

    def release(self) -> None:
        """Release every held lock (idempotent)."""
        held, self._held = self._held, {}
        for fd in held.values():
            # The fd is closed either way, and closing it releases the flock.
            with contextlib.suppress(OSError):
                _unlock_file(fd)

    @staticmethod
    def _close(taken: dict[str, int]) -> None:
        """Give back locks taken by an acquire that failed, leaving their files as found."""
        for fd in taken.values():
            os.close(fd)
