"""The request log: every request the site answered."""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Request:
    """One request the site answered."""

    method: str
    path: str
    """Path with query, e.g. /news/indeks/2024/01/02?page=2."""
    status: int
    """The HTTP status sent; 0 when the connection was reset without a response."""


_READ_ID = re.compile(r"^/(?:[^/?]+/)?(?:read|amp)/([0-9]+)")


class RequestLog:
    """Thread-safe record of requests; iterating yields the paths (with query)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._items: list[Request] = []

    def add(self, request: Request) -> None:
        """Record one request."""
        with self._lock:
            self._items.append(request)

    @property
    def records(self) -> list[Request]:
        """A copy of every request: method, path, status."""
        with self._lock:
            return list(self._items)

    def paths(self, method: str | None = None) -> list[str]:
        """Request paths in arrival order, optionally of one method only."""
        return [r.path for r in self.records if method is None or r.method == method]

    def counter(self) -> Counter[str]:
        """How many times each path (with query) was requested."""
        return Counter(self.paths())

    def count(self, path: str) -> int:
        """How many requests had exactly this path (with query)."""
        return sum(1 for p in self.paths() if p == path)

    def count_prefix(self, prefix: str) -> int:
        """How many requests had a path (with query) starting with prefix."""
        return sum(1 for p in self.paths() if p.startswith(prefix))

    def statuses(self) -> Counter[int]:
        """How many requests got each status."""
        return Counter(r.status for r in self.records)

    def article_ids(self, status: int | None = 200) -> Counter[str]:
        """How many GETs of each article id (read or amp paths) answered with ``status``."""
        out: Counter[str] = Counter()
        for r in self.records:
            match = _READ_ID.match(r.path)
            if match and r.method == "GET" and (status is None or r.status == status):
                out[match.group(1)] += 1
        return out

    def clear(self) -> None:
        """Forget every request."""
        with self._lock:
            self._items.clear()

    def __iter__(self) -> Iterator[str]:
        return iter(self.paths())

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __contains__(self, path: object) -> bool:
        return path in self.paths()
