"""Where things are on Liputan6: URLs the spider builds and links it reads from list pages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qs, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from newscrawl.site.urls import canonical_url, is_liputan6_host, parse_article_url


@dataclass(frozen=True)
class Listed:
    """One article listed on an archive or channel page."""

    article_id: str
    url: str
    published: str | None = None
    kind: str | None = None


@dataclass(frozen=True)
class ListPage:
    """What a list page URL says: the channel, the archive day (None: the front) and page."""

    channel: str
    day: date | None = None
    page: int = 1


_CHANNEL = re.compile(r"[a-z0-9][a-z0-9-]*")
_INDEKS = re.compile(r"/([a-z0-9-]+)/indeks/(\d{4})/(\d{2})/(\d{2})/?")


def parse_list_url(url: str) -> ListPage | None:
    """The channel front or channel archive day a URL (on any host) points at, else None."""
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


def indeks_url(base: str, channel: str, day: date, page: int = 1) -> str:
    """The channel's date archive for one day (WIB), page N."""
    url = f"{base.rstrip('/')}/{channel}/indeks/{day:%Y/%m/%d}"
    return url if page <= 1 else f"{url}?page={page}"


WWW = "https://www.liputan6.com"


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


def _listed(page_url: str, local: str | None, href: str | None, **extra) -> Listed | None:
    """A Listed for an href (on the page at page_url) that is a Liputan6 article."""
    if not href:
        return None
    url = urljoin(page_url, href)
    host = urlsplit(url).hostname or ""
    # Links on the page point at www.liputan6.com even when served from a local copy.
    if not (is_liputan6_host(host) or host == local):
        return None
    if host == local:
        url = WWW + urlsplit(url).path
    ref = parse_article_url(url)
    canonical = canonical_url(url)
    if ref is None or canonical is None:
        return None
    return Listed(article_id=ref.article_id, url=canonical, **extra)


# List items of the 2025 theme that name their article (`data-article-id`): iridescent list
# items and the channel page's headline slider.
_THEME_2025_ITEMS = (
    ".articles--iridescent-list--item[data-article-id],"
    " .headline--bottom-slider__item[data-article-id]"
)


def _item_listed(page_url: str, local: str | None, href: str | None, item, **extra):
    """_listed for a list item's link; an item whose data-article-id names another
    article than its link is no listing of either."""
    listed = _listed(page_url, local, href, **extra)
    item_id = item.attributes.get("data-article-id")
    if listed and item_id and item_id.strip() != listed.article_id:
        return None
    return listed


def archive_items(html: str, url: str) -> list[Listed]:
    """Articles listed on a date-archive (indeks) page at ``url``, in page order.

    Only the list items count: the same page also links to popular and related articles of
    other days, which a loose link scan would take for listed ones.
    """
    tree = LexborHTMLParser(html)  # lexbor: ~10x faster than parsel on list pages
    items = tree.css("#indeks-articles article.articles--rows--item")
    if not items:
        items = tree.css("article.articles--rows--item")
    if not items:
        # The 2025 theme's list items (tag pages, channel lists) carry their article's id.
        items = tree.css(f"article{_THEME_2025_ITEMS}")
    local = urlsplit(url).hostname
    out: list[Listed] = []
    seen: set[str] = set()
    for item in items:
        link = item.css_first(
            "a.articles--rows--item__title-link[href], a[data-template-var=url][href]"
        )
        if link is None and item.attributes.get("data-article-id"):
            link = item if item.attributes.get("href") else item.css_first("a[href]")
        time = item.css_first("time[datetime]")
        listed = _item_listed(
            url,
            local,
            link.attributes.get("href") if link else None,
            item,
            published=time.attributes.get("datetime") if time else None,
            kind=item.attributes.get("data-type"),
        )
        if listed and listed.article_id not in seen:
            seen.add(listed.article_id)
            out.append(listed)
    return out


def channel_items(html: str, url: str) -> list[Listed]:
    """Articles linked from a channel (or home) page at ``url``, in page order, each once."""
    local = urlsplit(url).hostname
    seen: set[str] = set()
    out: list[Listed] = []
    for link in LexborHTMLParser(html).css("a[href]"):
        listed = _listed(url, local, link.attributes.get("href"))
        if listed and listed.article_id not in seen:
            seen.add(listed.article_id)
            out.append(listed)
    return out
