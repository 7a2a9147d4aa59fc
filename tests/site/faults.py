"""How the site misbehaves: ``Fault`` per path prefix."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

FaultKind = Literal[
    "404", "500", "429", "slow", "redirect", "empty", "truncated", "block", "challenge", "reset"
]
FAULT_KINDS = (
    "404",
    "500",
    "429",
    "slow",
    "redirect",
    "empty",
    "truncated",
    "block",
    "challenge",
    "reset",
)

ROBOTS_TXT = "User-agent: *\nDisallow: /search\n"
ROBOTS_PATH = "/robots.txt"

# ---------------------------------------------------------------------------------------
# Faults and the request log
# ---------------------------------------------------------------------------------------


@dataclass
class Fault:
    """A misbehaviour for requests whose path (with query) starts with ``path_prefix``.

    kind: "404", "500", "429" (with Retry-After: ``retry_after``), "slow" (sleep ``delay``
    seconds, then answer normally), "redirect" (``status`` 301 or 302 to ``location``; for an
    article path the default is its /amp/{id}/{slug} path), "empty" (a list page with no
    items; an empty 200 body elsewhere), "truncated" (Content-Length of the whole page, half
    of it sent, connection closed), "block" (the Access Denied page, ``status`` 200 or 403),
    "challenge" (a Cloudflare-style "Just a moment..." JavaScript challenge, ``status`` 503
    by default or 403), "reset" (the connection is reset before any HTTP response; the
    request log records status 0).
    The first ``times`` matching requests get the fault, then the site answers normally;
    ``times=None`` means always. ``exact`` matches the whole path-with-query only.
    /robots.txt matches only a fault whose path names it (``"/robots.txt"``): a fault on
    "/" refuses every page but robots.txt, as a site blocking a crawler usually does.
    """

    path_prefix: str
    kind: FaultKind
    times: int | None = None
    delay: float = 5.0
    status: int | None = None
    location: str | None = None
    retry_after: int = 1
    exact: bool = False
    served: int = field(default=0, compare=False)
    """How many requests got this fault so far."""

    def __post_init__(self):
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; expected one of {FAULT_KINDS}")
        if not self.path_prefix.startswith("/"):
            raise ValueError(f"fault path must start with '/': {self.path_prefix!r}")
        if self.kind == "redirect" and not self.location and "/read/" not in self.path_prefix:
            raise ValueError("a redirect fault on a non-article path needs a location")

    def matches(self, path: str) -> bool:
        """Whether a request path (with query) is one this fault is about."""
        if path.startswith(ROBOTS_PATH) and not self.path_prefix.startswith(ROBOTS_PATH):
            return False
        return path == self.path_prefix if self.exact else path.startswith(self.path_prefix)
