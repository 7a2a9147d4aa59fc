"""A lock file so that two runs of the same spider and mode never overlap (cron)."""

from __future__ import annotations

import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class RunLock:
    """Holds <dir>/newscrawl-<name>.lock while a run is going; stale locks expire."""

    path: Path
    ttl: float

    def holder(self) -> dict | None:
        """What the lock file says about the run holding it, or None."""
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def is_stale(self, info: dict | None) -> bool:
        """A lock whose process is gone, or older than the TTL, belongs to a crashed run."""
        if not info:
            return True
        if time.time() - float(info.get("started", 0)) > self.ttl:
            return True
        if info.get("host") == socket.gethostname():
            try:
                os.kill(int(info.get("pid", 0)), 0)
            except ProcessLookupError:
                return True
            except (PermissionError, ValueError):
                return False
        return False

    def acquire(self) -> bool:
        """Take the lock; False when a live run holds it. A stale lock is taken over."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        info = {"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                if not self.is_stale(self.holder()):
                    return False
                self.path.unlink(missing_ok=True)  # a crashed run's lock
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(info, fh)
            return True
        return False

    def release(self) -> None:
        """Remove the lock if it is ours."""
        info = self.holder()
        if info and info.get("pid") == os.getpid() and info.get("host") == socket.gethostname():
            self.path.unlink(missing_ok=True)
