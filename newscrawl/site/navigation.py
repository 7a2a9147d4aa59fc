"""Where things are on Liputan6: the URLs the spider builds, and the articles list pages list
(read by the list layouts of newscrawl.site.layouts.lists)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import parse_qs, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from newscrawl.normalize.dates import WIB, of_other_days
from newscrawl.site.layouts.lists import (
    FRONT_LAYOUTS,
    INDEX_LAYOUTS,
    Listed,
    Listing,
    is_refusal,
    read_listing,
)
from newscrawl.site.urls import CANONICAL_BASE, canonical_url, is_liputan6_host


@dataclass(frozen=True)
class ListPage:
    """What a list page URL says: the channel, the index day (None: the front) and page."""

    channel: str
    day: date | None = None
    page: int = 1


_CHANNEL = re.compile(r"[a-z0-9][a-z0-9-]*")
_INDEKS = re.compile(r"/([a-z0-9-]+)/indeks/(\d{4})/(\d{2})/(\d{2})/?")


def parse_list_url(url: str) -> ListPage | None:
    """The channel front or channel index day a URL (on any host) points at, else None."""
    parts = urlsplit(url)
    page = parse_qs(parts.query).get("page", ["1"])[0]
    match = _INDEKS.fullmatch(parts.path)
    if match:
        try:
            day = date(int(match[2]), int(match[3]), int(match[4]))
        except ValueError:
            return None
        return ListPage(match[1], day, int(page) if page.isdigit() else 1)
    segment = parts.path.strip("/")
    if _CHANNEL.fullmatch(segment):
        return ListPage(segment)
    return None


def channel_url(base: str, channel: str) -> str:
    """The channel's front page."""
    return f"{base.rstrip('/')}/{channel}"


def index_url(base: str, channel: str, day: date, page: int = 1) -> str:
    """The channel's date index of one day (WIB), page N."""
    url = f"{base.rstrip('/')}/{channel}/indeks/{day:%Y/%m/%d}"
    return url if page <= 1 else f"{url}?page={page}"


_TAG = re.compile(r"/tag/([a-z0-9][a-z0-9-]*)/?")


def tag_url(base: str, slug: str) -> str:
    """A tag's page (its first page)."""
    return f"{base.rstrip('/')}/tag/{slug}"


def tag_slugs(html: str, url: str) -> list[str]:
    """The tags a page at ``url`` links to (``/tag/{slug}`` on the site or on the page's own
    host), in page order, each once; a campaign query on the link is no part of the tag."""
    local = urlsplit(url).hostname
    out: dict[str, None] = {}
    for link in LexborHTMLParser(html).css("a[href*='/tag/']"):
        parts = urlsplit(urljoin(url, link.attributes.get("href") or ""))
        host = parts.hostname or ""
        match = _TAG.fullmatch(parts.path)
        if match and (is_liputan6_host(host) or host == local):
            out.setdefault(match[1], None)
    return list(out)


WWW = CANONICAL_BASE


def rebase(url: str, base: str) -> str | None:
    """An article URL on any liputan6.com host, moved onto `base` (None for other sites).

    A host with no documented www form (berita., en., photo. …) stays as it is when `base` is
    the site itself: guessing a www URL for it would fetch a page that may not exist. A local
    copy (tests) serves every host's paths under its own address.
    """
    if url.startswith(WWW + "/") and "?" not in url and "#" not in url:
        return base.rstrip("/") + url[len(WWW) :]  # already canonical: list pages give these
    canonical = canonical_url(url)
    if canonical is None:
        return None
    if not canonical.startswith(WWW + "/") and base.rstrip("/") == WWW:
        return canonical
    parts = urlsplit(canonical)
    return f"{base.rstrip('/')}{parts.path}"


def read_index(html: str, url: str) -> Listing:
    """The articles a date index page at ``url`` lists, in page order, read by the first
    index layout whose items are on the page (or whose empty list is)."""
    return read_listing(html, url, INDEX_LAYOUTS)


def index_items(html: str, url: str) -> list[Listed]:
    """Articles listed on a date index page at ``url`` (none when no layout knows the page:
    read_index says which)."""
    return read_index(html, url).items


def read_front(html: str, url: str) -> Listing:
    """The articles a channel front (or home or tag page) at ``url`` links to, in page order,
    each once, when a front layout's list is on the page."""
    return read_listing(html, url, FRONT_LAYOUTS)


def channel_items(html: str, url: str) -> list[Listed]:
    """Articles linked from a channel (or home) page at ``url`` (none when no layout knows
    the page: read_front says which)."""
    return read_front(html, url).items


def lists_other_days(items: list[Listed], day: date) -> bool:
    """True when the page's items carry times, none in ``day`` (WIB) and some well outside it
    (an hour's slack around its midnights): an index page that ignored the date it was
    asked."""
    times = []
    for item in items:
        try:
            when = datetime.fromisoformat(item.published or "")
        except ValueError:
            continue
        times.append(when if when.tzinfo else when.replace(tzinfo=WIB))
    return of_other_days(times, day)


__all__ = [
    "FRONT_LAYOUTS",
    "INDEX_LAYOUTS",
    "WWW",
    "ListPage",
    "Listed",
    "Listing",
    "channel_items",
    "channel_url",
    "index_items",
    "index_url",
    "is_refusal",
    "lists_other_days",
    "parse_list_url",
    "read_front",
    "read_index",
    "rebase",
    "tag_slugs",
    "tag_url",
]
