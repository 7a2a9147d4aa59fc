"""The HTTP server: ``LocalSite``, its routes, clock, edits, validators and faults."""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import email.utils
import gzip as gzip_module
import hashlib
import itertools
import re
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

from tests.site.articles import CHANNELS, WIB, FakeArticle, _slugify
from tests.site.faults import ROBOTS_TXT, Fault
from tests.site.redesign import (
    render_channel_page_redesign,
    render_indeks_page_redesign,
    render_tag_page_redesign,
)
from tests.site.requestlog import Request, RequestLog
from tests.site.saved import load_shared_articles, shared_html_dir
from tests.site.theme2019 import (
    _error_page,
    render_article,
    render_block_page,
    render_challenge_page,
    render_channel_page,
    render_indeks_page,
    render_tag_page,
)
from tests.site.theme2025 import (
    render_article_2025,
    render_channel_page_2025,
    render_indeks_page_2025,
    render_tag_page_2025,
)

Theme = Literal["2019", "2025"]
THEMES = ("2019", "2025")
ListMarkup = Literal["theme", "redesign"]
LIST_MARKUPS = ("theme", "redesign")
Validators = Literal["none", "etag", "last-modified", "both"]
VALIDATORS = ("none", "etag", "last-modified", "both")


# ---------------------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------------------

_ARTICLE_PATH = re.compile(
    r"/(?:(?P<channel>[a-z0-9-]+)/)?read/(?P<id>[0-9]+)(?:/(?P<slug>[^/]*))?/?"
)
_AMP_PATH = re.compile(r"/amp/(?P<id>[0-9]+)(?:/(?P<slug>[^/]*))?/?")
_INDEKS_PATH = re.compile(
    r"/(?:(?P<channel>[a-z0-9-]+)/)?indeks/(?P<y>[0-9]{4})/(?P<m>[0-9]{2})/(?P<d>[0-9]{2})/?"
)
_CHANNEL_PATH = re.compile(r"/(?P<channel>[a-z0-9-]+)/?")
_TAG_PATH = re.compile(r"/tag/(?P<slug>[a-z0-9-]+)/?")
HTML_TYPE = "text/html; charset=utf-8"


@dataclass
class _Response:
    """What the handler sends: status, headers, body, and how (delay, truncation)."""

    status: int
    body: bytes
    content_type: str = HTML_TYPE
    headers: list[tuple[str, str]] = field(default_factory=list)
    delay: float = 0.0
    truncate_at: int | None = None
    reset: bool = False
    """Send nothing: reset the connection (the "reset" fault)."""


class _Server(ThreadingHTTPServer):
    """ThreadingHTTPServer that keeps its connections so stop() can close them."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, site: LocalSite):
        self.site = site
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request, client_address):
        """Stay quiet about clients that hang up (timeouts, truncation tests)."""
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError, OSError)):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    """Answers GET and HEAD from LocalSite.respond, with keep-alive."""

    protocol_version = "HTTP/1.1"
    server_version = "LocalLiputan6/1.0"
    sys_version = ""
    timeout = 30  # idle keep-alive connections close after this
    server: _Server

    def setup(self):
        super().setup()
        # Headers and body go out in two writes; without this, Nagle's algorithm and the
        # client's delayed ACK add 40 ms to every keep-alive response.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self):
        with self.server.connections_lock:
            self.server.connections.discard(self.connection)
        super().finish()

    def log_message(self, format, *args):
        """No access log on stderr; LocalSite.requests records every request."""

    def do_GET(self):
        self._answer(head=False)

    def _reset(self) -> None:
        """Close the connection with a TCP reset (SO_LINGER 0), no response sent."""
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        # The socket closes only once its reader is closed too; the writer holds no reference.
        self.rfile.close()
        self.connection.close()

    def do_HEAD(self):
        self._answer(head=True)

    def _answer(self, head: bool) -> None:
        resp = self.server.site.respond(self.command, self.path, self.headers)
        if resp.delay:
            time.sleep(resp.delay)
        if resp.reset:
            self._reset()
            return
        if "gzip" in (self.headers.get("Accept-Encoding") or ""):
            resp = self.server.site.compressed(resp)
        self.send_response(resp.status)
        if resp.status != 304:  # a 304 has no content, so neither its type nor its length
            self.send_header("Content-Type", resp.content_type)
            self.send_header("Content-Length", str(len(resp.body)))
        for name, value in resp.headers:
            self.send_header(name, value)
        if resp.truncate_at is not None:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if head:
            return
        if resp.truncate_at is None:
            self.wfile.write(resp.body)
        else:
            self.wfile.write(resp.body[: resp.truncate_at])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)


class LocalSite:
    """liputan6.com on 127.0.0.1: articles, channel, indeks and tag pages, faults, a request log.

    The server starts in the constructor (as http.server binds in its own); use it as a
    context manager or call stop(). Rendered pages are cached, so serving is fast.

    For crawls that come back (revisits on a schedule, conditional requests), three
    abilities, all off by default: a clock, ``now`` (the site as it was at that moment:
    later articles do not exist yet, neither as pages nor in any list), set between runs
    while the server runs; ``edit`` (a new version of an article from a given time on,
    shown on its page and in lists once the clock reaches it; ``version_at`` tells which
    one a crawl should have seen); ``validators`` (ETag and/or Last-Modified on article
    pages, and 304 Not Modified to a conditional GET whose validators still match). The
    cache keys pages by what they show (articles out, versions), not by the time.
    """

    def __init__(
        self,
        articles: Iterable[FakeArticle],
        *,
        per_page: int = 24,
        faults: Mapping[str, Fault | str] | Sequence[Fault] | None = None,
        use_shared_pages: bool = False,
        shared_dir: Path | None = None,
        channel_page_size: int = 30,
        popular_count: int = 5,
        rewrite: Callable[[str], str] | None = None,
        past_end: Literal["empty", "first", "last"] = "empty",
        theme: Theme = "2019",
        raw_pages: Mapping[str, bytes] | None = None,
        raw_content_type: str = HTML_TYPE,
        gzip: bool = False,
        list_markup: ListMarkup = "theme",
        archive_ignores_date: bool = False,
        redirect_share: float = 0.0,
        now: datetime | None = None,
        validators: Validators = "none",
    ):
        if theme not in THEMES:
            raise ValueError(f"unknown theme {theme!r}; expected one of {THEMES}")
        if validators not in VALIDATORS:
            raise ValueError(f"unknown validators {validators!r}; expected one of {VALIDATORS}")
        if list_markup not in LIST_MARKUPS:
            raise ValueError(f"unknown list markup {list_markup!r}; expected one of {LIST_MARKUPS}")
        if not 0 <= redirect_share < 1:
            raise ValueError(f"redirect_share must be in [0, 1), not {redirect_share!r}")
        self.theme = theme
        """The markup of articles and list pages (fronts, indeks, tags): "2019" (2019-2022
        desktop) or "2025" (the neoliputan6 theme the live site serves since 2025)."""
        self.list_markup = list_markup
        """"theme": list pages in the theme's markup; "redesign": in a markup no theme used
        (render_channel_page_redesign, render_indeks_page_redesign, render_tag_page_redesign)."""
        self.archive_ignores_date = archive_ignores_date
        """Every indeks date lists the newest day's articles (of the channel, or of the site
        for the site-wide indeks), as the real site-wide indeks did in 2026."""
        self.redirect_share = redirect_share
        """About this share of each channel-day's articles answer 301 to another article of
        that channel-day (``redirected``); while the target is not yet published (``now``),
        the article answers as itself."""
        self._now: datetime | None = None
        self._lists: dict[tuple, bytes] = {}  # rendered list pages; a clock move empties it
        self.now = now
        self.validators = validators
        """What article pages carry for conditional requests: "etag" (a strong ETag, the
        digest of the body), "last-modified" (the version's modified time, else its
        publication), "both", or "none"; a GET or HEAD whose If-None-Match, or else
        If-Modified-Since, matches gets 304 Not Modified (RFC 9110 §13)."""
        self._etags: dict[bytes, str] = {}
        self.per_page = per_page
        self.past_end = past_end
        """What an indeks page past the last one lists: nothing, or the items of the first
        or the last page again (the live site has done both)."""
        self.rewrite = rewrite
        """Applied to every rendered article page: a redesign of the site, say."""
        # Bytes served as they are for these article ids (malformed pages), instead of the
        # rendered article; a Mapping that makes each page when asked is fine.
        self.raw_pages: Mapping[str, bytes] = raw_pages or {}
        self.raw_content_type = raw_content_type
        self.gzip = gzip
        """Send pages gzip-compressed to a client that accepts it, as the live site does."""
        self._gzipped: dict[bytes, bytes] = {}
        self.channel_page_size = channel_page_size
        self.popular_count = popular_count
        self.faults = _faults(faults)
        self.requests = RequestLog()
        self._by_id: dict[str, FakeArticle] = {}
        for a in articles:
            if a.article_id in self._by_id:
                raise ValueError(f"duplicate article id {a.article_id}")
            self._by_id[a.article_id] = a
        self.shared_articles: list[FakeArticle] = []
        self._shared_html: dict[str, bytes] = {}
        if use_shared_pages:
            for fake, raw in load_shared_articles(shared_dir or shared_html_dir()):
                if fake.article_id not in self._by_id:
                    self._by_id[fake.article_id] = fake
                    self._shared_html[fake.article_id] = raw
                    self.shared_articles.append(fake)
        self._index()
        self._cache: dict[tuple, bytes] = {}
        # Each edited article's later versions, oldest first, each in force from its modified.
        self._edits: dict[str, tuple[FakeArticle, ...]] = {}
        # How many edits were made, and the time of each, sorted: with ``now``, which are in
        # force (part of a list page's cache key). Replaced whole, after _edits, by edit().
        self._edit_times: tuple[int, list[datetime]] = (0, [])
        self._retagged: set[str] = set()  # tags some versions of an article carry, some not
        self._edit_lock = threading.Lock()
        self._fault_lock = threading.Lock()
        self._server = _Server(self)
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
            name="localsite",
        )
        self._thread.start()

    # -- set-up ------------------------------------------------------------------------

    def _index(self) -> None:
        """Newest-first lists per channel, per day and per (channel, day)."""
        newest = sorted(
            self._by_id.values(), key=lambda a: (a.published, int(a.article_id)), reverse=True
        )
        self._newest = newest
        self._by_channel: dict[str, list[FakeArticle]] = {}
        self._by_day: dict[date, list[FakeArticle]] = {}
        self._by_channel_day: dict[tuple[str, date], list[FakeArticle]] = {}
        self._by_tag: dict[str, list[FakeArticle]] = {}
        self._tag_names: dict[str, str] = {}
        for a in newest:
            for tag in a.tags:
                slug = _slugify(tag)
                self._tag_names.setdefault(slug, tag)
                tagged = self._by_tag.setdefault(slug, [])
                if not tagged or tagged[-1] is not a:
                    tagged.append(a)
            day = a.published.astimezone(WIB).date()
            self._by_channel.setdefault(a.channel, []).append(a)
            self._by_day.setdefault(day, []).append(a)
            self._by_channel_day.setdefault((a.channel, day), []).append(a)
        self._position = {
            a.article_id: i for items in self._by_channel.values() for i, a in enumerate(items)
        }
        self.channels = set(CHANNELS) | set(self._by_channel)
        self.redirected = self._redirects()
        """{article id: id of the article its page redirects to} (``redirect_share``)."""

    def _redirects(self) -> dict[str, str]:
        """Which article pages redirect, and where: in each channel-day's list (newest
        first), the article at position i answers 301 when floor((i + 1) * share) >
        floor(i * share), so exactly floor(n * share) of n articles do and the newest never
        does; the target is the nearest newer article of that list that does not redirect,
        which the crawler fetches too. Deterministic: the same articles give the same map."""
        share, out = self.redirect_share, {}
        if not share:
            return out
        for items in self._by_channel_day.values():
            for i, a in enumerate(items):
                if int((i + 1) * share) > int(i * share):
                    target = next(b for b in reversed(items[:i]) if b.article_id not in out)
                    out[a.article_id] = target.article_id
        return out

    # -- public helpers ----------------------------------------------------------------

    @property
    def now(self) -> datetime | None:
        """The moment the site is at (aware): articles published later do not exist yet.
        None: every article exists. Set it between crawls, the server running."""
        return self._now

    @now.setter
    def now(self, when: datetime | None) -> None:
        if when is not None and when.utcoffset() is None:
            raise ValueError(f"now must be timezone-aware, not {when!r}")
        if when != self._now:
            self._lists = {}  # one assignment: a page being served finishes in the old one
        self._now = when

    @property
    def articles(self) -> list[FakeArticle]:
        """Every article served at ``now``, synthetic and saved, newest first."""
        return self._out(self._newest, self._now)

    @property
    def shared_count(self) -> int:
        """How many saved real pages are served (0 when the folder is absent)."""
        return len(self.shared_articles)

    def url(self, path_or_url: str) -> str:
        """A local URL for a path, or for an absolute liputan6.com URL (host replaced)."""
        parts = urlsplit(path_or_url)
        path = parts.path or "/"
        return self.base_url + path + (f"?{parts.query}" if parts.query else "")

    def article(self, article_id: str | int) -> FakeArticle:
        """The article with this id, as shown at ``now`` (as published, before that)."""
        return self._view(self._by_id[str(article_id)], self._now)

    def version_at(self, article_id: str | int, when: datetime | None) -> FakeArticle:
        """The version of the article shown at ``when``: the last edit in force then, or the
        article as published; None: the latest version."""
        return self._view(self._by_id[str(article_id)], when)

    def edit(self, article_id: str | int, /, at: datetime, **changes: Any) -> FakeArticle:
        """Register a new version of an article, in force from ``at`` on: its latest version
        with ``changes`` (title=..., paragraphs=..., tags=...) and ``modified=at``.

        ``at`` (aware) must fall in a later second than the publication and than the latest
        version's ``modified``: Last-Modified, to the second, grows with each version. An
        edit keeps the id, channel, day and publication time. Pages served as given bytes
        (``raw_pages``, saved pages) stay as they are.
        """
        kept = sorted(changes.keys() & {"article_id", "channel", "day", "published", "modified"})
        if kept:
            raise ValueError(f"an edit cannot change {', '.join(kept)} (modified is ``at``)")
        if at.utcoffset() is None:
            raise ValueError(f"the time of an edit must be timezone-aware, not {at!r}")
        with self._edit_lock:
            original = self._by_id[str(article_id)]
            later = self._edits.get(original.article_id, ())
            latest = later[-1] if later else original
            since = max(original.published, latest.modified or original.published)
            if at.replace(microsecond=0) <= since.replace(microsecond=0):
                raise ValueError(
                    f"article {original.article_id} edited at {at.isoformat()}: an edit comes"
                    f" in a later second than the latest version ({since.isoformat()})"
                )
            version = dataclasses.replace(latest, modified=at.astimezone(WIB), **changes)
            self._retag(original, (original, *later), version)
            self._edits[original.article_id] = (*later, version)
            count, times = self._edit_times
            times = list(times)
            bisect.insort(times, at)
            self._edit_times = (count + 1, times)
        return version

    def listed(self, day: date, channel: str | None = None) -> list[FakeArticle]:
        """The articles of a WIB day (one channel or all) out at ``now``, newest first: what
        the indeks of that day lists (unless ``archive_ignores_date``: see indeks_items)."""
        return self._out(self._day_list(day, channel), self._now)

    def tagged(self, slug: str) -> list[FakeArticle]:
        """The articles the tag page /tag/{slug} lists at ``now`` (its pages in turn), newest
        first."""
        now = self._now
        return self._out(self._tag_list(slug, now), now)

    def indeks_day(self, day: date, channel: str | None = None) -> date:
        """The day whose articles the indeks of ``day`` lists: that day, or with
        ``archive_ignores_date`` the newest day with articles out at ``now`` (of the
        channel, or any)."""
        return self._indeks_day(day, channel, self._now)

    def indeks_items(self, day: date, channel: str | None = None) -> list[FakeArticle]:
        """The articles the indeks pages of ``day`` list at ``now``, newest first."""
        now = self._now
        return self._out(self._day_list(self._indeks_day(day, channel, now), channel), now)

    # -- the site at a moment ----------------------------------------------------------

    def _out(self, items: Sequence[FakeArticle], now: datetime | None) -> list[FakeArticle]:
        """The articles of a newest-first list published by ``now``, as shown then."""
        out = items[_unpublished(items, now) :]
        return [self._view(a, now) for a in out] if self._edits else list(out)

    def _view(self, a: FakeArticle, now: datetime | None) -> FakeArticle:
        """The article as the site shows it at ``now``."""
        return self._version(a, now)[1]

    def _version(self, a: FakeArticle, now: datetime | None) -> tuple[int, FakeArticle]:
        """The version of the article in force at ``now`` (None: the latest) and its number:
        0 as published, n after its n-th edit. A number always names the same version."""
        later = self._edits.get(a.article_id)
        if not later:
            return 0, a
        n = len(later) if now is None else bisect.bisect_right(later, now, key=_modified)
        return n, later[n - 1] if n else a

    def _edits_key(self, now: datetime | None) -> tuple[int, int]:
        """Which edits are in force at ``now``: how many edits were made, how many of them
        are in force (the earliest ones)."""
        count, times = self._edit_times
        return count, len(times) if now is None else bisect.bisect_right(times, now)

    def _retag(
        self, original: FakeArticle, versions: Sequence[FakeArticle], new: FakeArticle
    ) -> None:
        """Tag lists for a new version of an article: it joins the list of each tag it is
        the first version to carry; a tag some versions lack is checked per version."""
        carried = [{_slugify(t) for t in v.tags} for v in (*versions, new)]
        self._retagged.update(set.union(*carried) - set.intersection(*carried))
        before = set.union(*carried[:-1])
        for tag in new.tags:
            slug = _slugify(tag)
            if slug in before:
                continue
            before.add(slug)
            self._tag_names.setdefault(slug, tag)
            items = [*self._by_tag.get(slug, []), original]
            items.sort(key=lambda a: (a.published, int(a.article_id)), reverse=True)
            self._by_tag[slug] = items

    def _day_list(self, day: date, channel: str | None) -> list[FakeArticle]:
        """Every article of a WIB day (one channel or all), newest first, out or not."""
        if channel:
            return self._by_channel_day.get((channel, day), [])
        return self._by_day.get(day, [])

    def _tag_list(self, slug: str, now: datetime | None) -> list[FakeArticle]:
        """Every article carrying the tag at ``now``, newest first, out or not."""
        items = self._by_tag.get(slug, [])
        if slug not in self._retagged:
            return items
        return [
            a
            for a in items
            if a.article_id not in self._edits
            or slug in {_slugify(t) for t in self._view(a, now).tags}
        ]

    def _indeks_day(self, day: date, channel: str | None, now: datetime | None) -> date:
        """indeks_day at ``now``."""
        if not self.archive_ignores_date:
            return day
        items = self._by_channel.get(channel, []) if channel else self._newest
        first = _unpublished(items, now)
        return items[first].published.astimezone(WIB).date() if first < len(items) else day

    def stop(self) -> None:
        """Stop serving and close open connections."""
        self._server.shutdown()
        with self._server.connections_lock:
            for conn in list(self._server.connections):
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LocalSite:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- answering ---------------------------------------------------------------------

    def respond(
        self, method: str, raw_path: str, headers: Mapping[str, str] | None = None
    ) -> _Response:
        """The response to one request, faults first; the request is recorded. ``headers``
        (the request's) make a conditional request of an article page a 304."""
        parts = urlsplit(raw_path)
        path = parts.path or "/"
        full = path + (f"?{parts.query}" if parts.query else "")
        now = self._now  # read once: the whole answer is of one moment
        fault = self._take_fault(full)
        resp = (
            self._fault_response(fault, path, parts.query, now)
            if fault
            else self._route(path, parts.query, now)
        )
        if (
            headers
            and self.validators != "none"
            and method in ("GET", "HEAD")
            and resp.status == 200
            and resp.truncate_at is None
        ):
            resp = _not_modified(resp, headers) or resp
        self.requests.add(Request(method, full, resp.status))
        return resp

    def compressed(self, resp: _Response) -> _Response:
        """The response gzip-compressed when the site sends gzip (``gzip=True``) and the
        page is whole; cached, so serving stays fast. A 304 has no body, only the Vary."""
        if not self.gzip or resp.truncate_at is not None:
            return resp
        if resp.status == 304:
            return dataclasses.replace(resp, headers=[*resp.headers, ("Vary", "Accept-Encoding")])
        if resp.status != 200:
            return resp
        body = self._gzipped.get(resp.body)
        if body is None:
            body = gzip_module.compress(resp.body, 6, mtime=0)
            self._gzipped[resp.body] = body
        headers = [*resp.headers, ("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
        return dataclasses.replace(resp, body=body, headers=headers)

    def _take_fault(self, full_path: str) -> Fault | None:
        """The first matching fault with uses left, its use counted."""
        with self._fault_lock:
            for fault in self.faults:
                if fault.matches(full_path) and (fault.times is None or fault.served < fault.times):
                    fault.served += 1
                    return fault
        return None

    def _fault_response(
        self, fault: Fault, path: str, query: str, now: datetime | None
    ) -> _Response:
        """The response a fault asks for."""
        kind = fault.kind
        if kind == "404":
            return _Response(404, _error_page(404, "Not Found").encode())
        if kind == "500":
            return _Response(500, _error_page(500, "Internal Server Error").encode())
        if kind == "429":
            resp = _Response(429, _error_page(429, "Too Many Requests").encode())
            resp.headers.append(("Retry-After", str(fault.retry_after)))
            return resp
        if kind == "block":
            return _Response(fault.status or 200, render_block_page(path).encode())
        if kind == "challenge":
            headers = [
                ("Server", "cloudflare"),
                ("cf-mitigated", "challenge"),
                ("Cache-Control", "private, max-age=0, no-store, no-cache, must-revalidate"),
            ]
            body = render_challenge_page(path).encode()
            return _Response(fault.status or 503, body, headers=headers)
        if kind == "reset":
            return _Response(0, b"", reset=True)
        if kind == "redirect":
            location = fault.location
            if not location:
                match = _ARTICLE_PATH.fullmatch(path)
                location = f"/amp/{match['id']}/{match['slug'] or ''}" if match else "/"
            if location.startswith("/"):
                location = self.base_url + location
            resp = _Response(fault.status or 301, b"")
            resp.headers.append(("Location", location))
            return resp
        if kind == "empty":
            return self._route(path, query, now, empty=True)
        resp = self._route(path, query, now)
        if kind == "slow":
            resp.delay = fault.delay
        elif kind == "truncated":
            body = resp.body
            start = body.find(b"article-content-body__item-content")
            start = len(body) // 3 if start < 0 else start
            resp.truncate_at = min(len(body) - 1, start + (len(body) - start) // 3)
        return resp

    def _route(
        self, path: str, query: str, now: datetime | None, *, empty: bool = False
    ) -> _Response:
        """The normal answer for a path at ``now``; ``empty`` lists no items (the "empty"
        fault)."""
        page = _page_number(query)
        if path == "/robots.txt":
            return _Response(200, ROBOTS_TXT.encode(), "text/plain; charset=utf-8")
        match = _ARTICLE_PATH.fullmatch(path)
        if match and not empty and match["id"] in self.redirected:
            source = self._by_id[match["id"]]
            target = self._by_id[self.redirected[match["id"]]]
            if _is_out(source, now) and _is_out(target, now):
                location = self.base_url + self._view(target, now).path
                return _Response(301, b"", headers=[("Location", location)])
        match = match or _AMP_PATH.fullmatch(path)
        if match:
            if empty:
                return _Response(200, b"")
            has_page = "page" in parse_qs(query)
            return self._article(match["id"], page if has_page else None, now)
        match = _INDEKS_PATH.fullmatch(path)
        if match:
            channel = match["channel"]
            try:
                day = date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                return self._not_found()
            if channel and channel not in self.channels:
                return self._not_found()
            return self._indeks(channel, day, page, empty, now)
        match = _CHANNEL_PATH.fullmatch(path)
        if match and match["channel"] in self.channels:
            return self._channel(match["channel"], empty, now)
        match = _TAG_PATH.fullmatch(path)
        if match:
            tagged = self._tag_list(match["slug"], now)
            if empty or _unpublished(tagged, now) < len(tagged):
                return self._tag(match["slug"], page, empty, tagged, now)
        return _Response(200, b"") if empty else self._not_found()

    def _not_found(self) -> _Response:
        return _Response(404, self._cached(("404",), lambda: _error_page(404, "Not Found")))

    def _cached(self, key: tuple, render, cache: dict[tuple, bytes] | None = None) -> bytes:
        """A rendered page from the cache (``_cache``, or the given one), rendering it the
        first time."""
        cache = self._cache if cache is None else cache
        body = cache.get(key)
        if body is None:
            body = cache.setdefault(key, render().encode("utf-8"))
        return body

    def _article(self, article_id: str, page: int | None, now: datetime | None) -> _Response:
        """An article page at ``now``; with split pages, ``?page=N`` is page N."""
        a = self._by_id.get(article_id)
        if a is None or not _is_out(a, now):
            return self._not_found()
        version, shown = self._version(a, now)
        raw = self._shared_html.get(article_id)
        if raw is not None:
            return self._validated(_Response(200, raw), shown)
        raw = self.raw_pages.get(article_id)
        if raw is not None:
            return self._validated(_Response(200, raw, self.raw_content_type), shown)
        number = (page or 1) if shown.split_pages and shown.pages > 1 else None
        if number is not None and not 1 <= number <= shown.pages:
            return self._not_found()
        # Older articles of the channel, so out whenever this one is; shown as at now.
        related = [self._version(r, now) for r in self._related(a)]
        key = ("read", article_id, number, version, tuple(n for n, _ in related))
        body = self._cached(
            key,
            lambda: (self.rewrite or str)(
                self._render_article(shown, number, related=[r for _, r in related])
            ),
        )
        return self._validated(_Response(200, body), shown)

    def _validated(self, resp: _Response, shown: FakeArticle) -> _Response:
        """An article page with the validators the site sends (``validators``)."""
        if self.validators in ("etag", "both"):
            etag = self._etags.get(resp.body)
            if etag is None:
                digest = hashlib.blake2b(resp.body, digest_size=16).hexdigest()
                etag = self._etags.setdefault(resp.body, f'"{digest}"')
            resp.headers.append(("ETag", etag))
        if self.validators in ("last-modified", "both"):
            changed = (shown.modified or shown.published).astimezone(UTC)
            stamp = email.utils.format_datetime(changed, usegmt=True)
            resp.headers.append(("Last-Modified", stamp))
        return resp

    @property
    def _render_article(self):
        return render_article_2025 if self.theme == "2025" else render_article

    @property
    def _render_channel_page(self):
        if self.list_markup == "redesign":
            return render_channel_page_redesign
        return render_channel_page_2025 if self.theme == "2025" else render_channel_page

    @property
    def _render_indeks_page(self):
        if self.list_markup == "redesign":
            return render_indeks_page_redesign
        return render_indeks_page_2025 if self.theme == "2025" else render_indeks_page

    @property
    def _render_tag_page(self):
        if self.list_markup == "redesign":
            return render_tag_page_redesign
        return render_tag_page_2025 if self.theme == "2025" else render_tag_page

    def _related(self, a: FakeArticle) -> list[FakeArticle]:
        """The two articles before this one in its channel (the "Baca Juga" box)."""
        items, i = self._by_channel.get(a.channel, []), self._position.get(a.article_id, 0)
        return items[i + 1 : i + 3]

    # A list page's cache key holds how many articles of its list are out at ``now``
    # (they are the list's tail) and the edits in force, so a page rendered at another
    # moment is served again only where it reads the same. List pages have their own
    # cache, emptied when the clock moves: they change with nearly every move, so keeping
    # the old ones would only grow the cache run after run.

    def _channel(self, channel: str, empty: bool, now: datetime | None) -> _Response:
        front = [] if empty else self._by_channel.get(channel, [])
        first = _unpublished(front, now)
        items = front[first : first + self.channel_page_size]
        return _Response(
            200,
            self._cached(
                ("channel", channel, empty, len(front) - first, self._edits_key(now)),
                lambda: self._render_channel_page(channel, [self._view(a, now) for a in items]),
                self._lists,
            ),
        )

    def _indeks(
        self, channel: str | None, day: date, page: int, empty: bool, now: datetime | None
    ) -> _Response:
        shown = self._indeks_day(day, channel, now)
        listed = [] if empty else self._day_list(shown, channel)
        first = _unpublished(listed, now)
        count = len(listed) - first
        start = (page - 1) * self.per_page
        if count and start >= count and self.past_end != "empty":
            last = (count - 1) // self.per_page * self.per_page
            start = 0 if self.past_end == "first" else last
        items = listed[first + start : first + start + self.per_page]
        has_next = count > start + self.per_page
        newest = _unpublished(self._newest, now)

        def render() -> str:
            # The sidebar lists the site's newest articles of other days: links a crawler
            # must not take for the day's list.
            out = itertools.islice(self._newest, newest, None)
            others = (a for a in out if a.published.astimezone(WIB).date() != shown)
            popular = [self._view(a, now) for a in itertools.islice(others, self.popular_count)]
            views = [self._view(a, now) for a in items]
            return self._render_indeks_page(channel, day, views, page, has_next, popular=popular)

        key = ("indeks", channel, day, page, empty, shown, count, len(self._newest) - newest)
        return _Response(200, self._cached((*key, self._edits_key(now)), render, self._lists))

    def _tag(
        self,
        slug: str,
        page: int,
        empty: bool,
        tagged: list[FakeArticle],
        now: datetime | None,
    ) -> _Response:
        tagged = [] if empty else tagged
        first = _unpublished(tagged, now)
        count = len(tagged) - first
        start = (page - 1) * self.per_page
        items = tagged[first + start : first + start + self.per_page]
        has_next = count > start + self.per_page
        name = self._tag_names.get(slug, slug)
        return _Response(
            200,
            self._cached(
                ("tag", slug, page, empty, count, self._edits_key(now)),
                lambda: self._render_tag_page(
                    name, slug, [self._view(a, now) for a in items], page, has_next
                ),
                self._lists,
            ),
        )


def _unpublished(items: Sequence[FakeArticle], now: datetime | None) -> int:
    """How many articles of a newest-first list are published after ``now`` (they lead it)."""
    if now is None:
        return 0
    return bisect.bisect_left(items, True, key=lambda a: a.published <= now)


def _modified(a: FakeArticle) -> datetime | None:
    """An article's modified time (the start of an edited version)."""
    return a.modified


def _is_out(a: FakeArticle, now: datetime | None) -> bool:
    """Whether the article is published at ``now`` (None: always)."""
    return now is None or a.published <= now


def _not_modified(resp: _Response, request: Mapping[str, str]) -> _Response | None:
    """The 304 answer to a conditional request of a page whose validators still match,
    else None (RFC 9110 §13.1.2-3): If-None-Match when the request has one (any listed
    tag, weakly compared, or "*"), else If-Modified-Since at or after Last-Modified."""
    sent = dict(resp.headers)
    asked = {name.lower(): value for name, value in request.items()}
    if "if-none-match" in asked:
        tags = {tag.strip().removeprefix("W/") for tag in asked["if-none-match"].split(",")}
        fresh = "*" in tags or sent.get("ETag") in tags
    else:
        since = _http_date(asked.get("if-modified-since"))
        changed = _http_date(sent.get("Last-Modified"))
        fresh = since is not None and changed is not None and since >= changed
    return dataclasses.replace(resp, status=304, body=b"") if fresh else None


def _http_date(value: str | None) -> datetime | None:
    """An HTTP-date as an aware datetime; None when absent or not a date (then ignored)."""
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _page_number(query: str) -> int:
    """?page=N as an int; 1 when absent or invalid."""
    values = parse_qs(query).get("page")
    if values and values[0].isdigit() and int(values[0]) >= 1:
        return int(values[0])
    return 1


def _faults(faults: Mapping[str, Fault | str] | Sequence[Fault] | None) -> list[Fault]:
    """Faults as a list; a mapping's key is the path prefix, its value a Fault or a kind."""
    if not faults:
        return []
    if isinstance(faults, Mapping):
        out = []
        for path, value in faults.items():
            if not isinstance(value, Fault):
                value = Fault(path, value)  # type: ignore[arg-type]
            elif value.path_prefix != path:
                value = dataclasses.replace(value, path_prefix=path, served=0)
            out.append(value)
        return out
    return list(faults)
