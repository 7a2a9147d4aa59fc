"""Where things are on Liputan6: URLs the spider builds and links it reads from list pages."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import parse_qs, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from newscrawl.normalize.dates import WIB, of_other_days
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


@dataclass(frozen=True)
class Layout:
    """A list markup the site has used: its items, and its list container (which, present
    with no item, is that layout's own empty state)."""

    name: str
    items: str
    container: str | None = None


# Date-archive (indeks) pages, most specific first: the 2017-2022 rows inside
# section#indeks-articles, the same rows anywhere, and the 2025 theme's iridescent items.
ARCHIVE_LAYOUTS = (
    Layout("indeks-rows", "#indeks-articles article.articles--rows--item", "#indeks-articles"),
    Layout("rows", "article.articles--rows--item", ".articles--list_rows"),
    Layout("theme-2025", f"article{_THEME_2025_ITEMS}", ".articles--iridescent-list"),
)
# Channel fronts, home and tag pages: desktop 2019-2022 and the 2025 theme (iridescent list,
# headline slider), the mobile site's snippets, and the photo and video galleries.
FRONT_LAYOUTS = (
    Layout("iridescent", ".articles--iridescent-list--item", ".articles--iridescent-list"),
    Layout("slider", ".headline--bottom-slider__item"),
    Layout("rows", "article.articles--rows--item", ".articles--list_rows"),
    Layout("mobile-snippets", ".article-snippet", ".articles__page"),
    Layout("gallery", "article.gallery--grid--photo, article.gallery--grid--video"),
)
# Pages the site (or its CDN) serves instead of the one asked for when it refuses a client.
REFUSAL_PAGE = re.compile(
    rb"<title>\s*(access denied|just a moment|attention required|are you a robot)"
    rb"|cf-challenge|challenge-platform|_cf_chl_opt",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Listing:
    """What a list page is: items read by a known layout, that layout's empty state, or not
    recognised (``layout`` None), with a short fingerprint to tell an operator what it was."""

    items: list[Listed]
    layout: str | None
    fingerprint: str = ""
    refused: bool = False
    """The page is a refusal (an access-denied or challenge page), not a list page."""

    @property
    def recognised(self) -> bool:
        return self.layout is not None

    @property
    def empty(self) -> bool:
        return self.layout is not None and not self.items


def _item_listed(page_url: str, local: str | None, href: str | None, item, **extra):
    """_listed for a list item's link; an item whose data-article-id names another
    article than its link is no listing of either."""
    listed = _listed(page_url, local, href, **extra)
    item_id = item.attributes.get("data-article-id")
    if listed and item_id and item_id.strip() != listed.article_id:
        return None
    return listed


def is_refusal(head: bytes) -> bool:
    """Whether a page's first bytes are an access-denied or bot-challenge page (Akamai,
    Cloudflare), not the page asked for."""
    return REFUSAL_PAGE.search(head[:8192]) is not None


def fingerprint(tree: LexborHTMLParser, html: str, url: str) -> str:
    """What a page no layout knows looks like, in one line: its title, its data layer's
    page type, and the classes of the element holding most of its article links."""
    title = tree.css_first("title")
    text = " ".join((title.text() if title else "").split())[:80]
    match = re.search(r"pageType\s*=\s*['\"]([A-Za-z]+)", html)
    local = urlsplit(url).hostname
    holders: Counter[str] = Counter()
    for link in tree.css("a[href]"):
        if _listed(url, local, link.attributes.get("href")) is None:
            continue
        node = link.parent
        while node is not None and not node.attributes.get("class"):
            node = node.parent
        classes = (node.attributes.get("class") or "").split() if node is not None else []
        holders[f"{node.tag}.{'.'.join(classes)}" if node is not None else "no classed parent"] += 1
    biggest = holders.most_common(1)
    links = (
        f"{biggest[0][1]} article links in {biggest[0][0][:80]}" if biggest else "no article links"
    )
    return f"title {text!r}, page type {match[1] if match else None}, {links}"


def _unrecognised(tree: LexborHTMLParser, html: str, url: str) -> Listing:
    """The Listing of a page no layout knows (or a refusal)."""
    refused = is_refusal(html[:8192].encode("utf-8", "replace"))
    return Listing([], None, fingerprint(tree, html, url), refused=refused)


def read_archive(html: str, url: str) -> Listing:
    """The articles a date-archive (indeks) page at ``url`` lists, in page order, read by
    the first layout whose items are on the page (or whose empty list is).

    Only the list items count: the same page also links to popular and related articles of
    other days, which a loose link scan would take for listed ones.
    """
    tree = LexborHTMLParser(html)  # lexbor: ~10x faster than parsel on list pages
    local = urlsplit(url).hostname
    for layout in ARCHIVE_LAYOUTS:
        items = tree.css(layout.items)
        if items:
            return Listing(_archive_listed(items, url, local), layout.name)
    for layout in ARCHIVE_LAYOUTS:
        if _empty_list(tree, layout, url, local):
            return Listing([], layout.name)
    return _unrecognised(tree, html, url)


def _empty_list(tree: LexborHTMLParser, layout: Layout, url: str, local: str | None) -> bool:
    """The layout's own empty state: its list container is there and links to no article."""
    if layout.container is None:
        return False
    container = tree.css_first(layout.container)
    if container is None:
        return False
    return not any(
        _listed(url, local, link.attributes.get("href")) for link in container.css("a[href]")
    )


def _archive_listed(items, url: str, local: str | None) -> list[Listed]:
    """Listed of archive list items, each article once."""
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


def archive_items(html: str, url: str) -> list[Listed]:
    """Articles listed on a date-archive (indeks) page at ``url`` (none when no layout
    knows the page: read_archive says which)."""
    return read_archive(html, url).items


def read_front(html: str, url: str) -> Listing:
    """The articles a channel front (or home or tag page) at ``url`` links to, in page order,
    each once, when a known layout's list is on the page.

    A front mixes lists (headlines, latest, popular), so once a layout is recognised every
    article link on the page counts.
    """
    tree = LexborHTMLParser(html)
    local = urlsplit(url).hostname
    layout = next((lay for lay in FRONT_LAYOUTS if tree.css_first(lay.items) is not None), None)
    if layout is None:
        empty = next((lay for lay in FRONT_LAYOUTS if _empty_list(tree, lay, url, local)), None)
        return Listing([], empty.name) if empty else _unrecognised(tree, html, url)
    seen: set[str] = set()
    out: list[Listed] = []
    for link in tree.css("a[href]"):
        listed = _listed(url, local, link.attributes.get("href"))
        if listed and listed.article_id not in seen:
            seen.add(listed.article_id)
            out.append(listed)
    return Listing(out, layout.name)


def channel_items(html: str, url: str) -> list[Listed]:
    """Articles linked from a channel (or home) page at ``url`` (none when no layout knows
    the page: read_front says which)."""
    return read_front(html, url).items


def lists_other_days(items: list[Listed], day: date) -> bool:
    """True when the page's items carry times, none in ``day`` (WIB) and some well outside it
    (an hour's slack around its midnights): an archive page that ignored the date it was
    asked."""
    times = []
    for item in items:
        try:
            when = datetime.fromisoformat(item.published or "")
        except ValueError:
            continue
        times.append(when if when.tzinfo else when.replace(tzinfo=WIB))
    return of_other_days(times, day)
