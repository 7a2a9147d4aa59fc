"""List layouts: one class per list template the site has served (date index pages, channel
fronts, home and tag pages), each with its own selectors, and the registry that reads a list
page by the first layout that recognises it and says which it was (``Listing.layout``).

A new list template is a new class here, one line in INDEX_LAYOUTS or FRONT_LAYOUTS (before
any layout that would also recognise its pages), and its pages' expected output in tests.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from newscrawl.site.urls import CANONICAL_BASE, canonical_url, is_liputan6_host, parse_article_url


@dataclass(frozen=True)
class Listed:
    """One article listed on an index or channel page."""

    article_id: str
    url: str
    published: str | None = None
    kind: str | None = None


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


def listed_link(page_url: str, local: str | None, href: str | None, **extra) -> Listed | None:
    """A Listed for an href (on the page at page_url) that is a Liputan6 article."""
    if not href:
        return None
    url = urljoin(page_url, href)
    host = urlsplit(url).hostname or ""
    # Links on the page point at www.liputan6.com even when served from a local copy.
    if not (is_liputan6_host(host) or host == local):
        return None
    if host == local:
        url = CANONICAL_BASE + urlsplit(url).path
    ref = parse_article_url(url)
    canonical = canonical_url(url)
    if ref is None or canonical is None:
        return None
    return Listed(article_id=ref.article_id, url=canonical, **extra)


class ListLayout:
    """A list template: its items, and its list container (which, present with no item, is
    that layout's own empty state)."""

    name: ClassVar[str]
    items: ClassVar[str]
    """CSS of the template's list items: on the page, the layout recognises it."""
    container: ClassVar[str | None] = None

    @classmethod
    def listed(cls, tree: LexborHTMLParser, url: str, local: str | None) -> list[Listed] | None:
        """The articles the page lists, in page order, each once; None when the layout's
        items are not on the page."""
        raise NotImplementedError

    @classmethod
    def shows_empty(cls, tree: LexborHTMLParser, url: str, local: str | None) -> bool:
        """The layout's own empty state: its list container is there and links to no article."""
        if cls.container is None:
            return False
        container = tree.css_first(cls.container)
        if container is None:
            return False
        return not any(
            listed_link(url, local, link.attributes.get("href"))
            for link in container.css("a[href]")
        )


# ---- the date index: only its list items count ----------------------------------------


class IndexLayout(ListLayout):
    """A date index template: its list items are read, each by its own link and time.

    The same page also links to popular and related articles of other days, which a loose
    link scan would take for listed ones.
    """

    link: ClassVar[str]
    """CSS of an item's link to its article."""

    @classmethod
    def item_link(cls, item: LexborNode) -> LexborNode | None:
        """The item's link to its article."""
        return item.css_first(cls.link)

    @classmethod
    def listed(cls, tree: LexborHTMLParser, url: str, local: str | None) -> list[Listed] | None:
        items = tree.css(cls.items)
        if not items:
            return None
        out: list[Listed] = []
        seen: set[str] = set()
        for item in items:
            link = cls.item_link(item)
            time = item.css_first("time[datetime]")
            listed = listed_link(
                url,
                local,
                link.attributes.get("href") if link else None,
                published=time.attributes.get("datetime") if time else None,
                kind=item.attributes.get("data-type"),
            )
            item_id = item.attributes.get("data-article-id")
            if listed and item_id and item_id.strip() != listed.article_id:
                continue  # an item naming another article than its link lists neither
            if listed and listed.article_id not in seen:
                seen.add(listed.article_id)
                out.append(listed)
        return out


class IndexRowsLayout(IndexLayout):
    """The 2017-2022 date index: rows inside section#indeks-articles."""

    name = "indeks-rows"
    items = "#indeks-articles article.articles--rows--item"
    container = "#indeks-articles"
    link = "a.articles--rows--item__title-link[href]"


class RowsLayout(IndexRowsLayout):
    """The same rows anywhere on the page (an index without the 2017-2022 section)."""

    name = "rows"
    items = "article.articles--rows--item"
    container = ".articles--list_rows"


class Theme2025IndexLayout(IndexLayout):
    """The 2025 theme's index: iridescent list items (and headline slider items) that name
    their article in ``data-article-id``."""

    name = "theme-2025"
    items = (
        "article.articles--iridescent-list--item[data-article-id],"
        " .headline--bottom-slider__item[data-article-id]"
    )
    container = ".articles--iridescent-list"
    link = "a[data-template-var=url][href]"

    @classmethod
    def item_link(cls, item: LexborNode) -> LexborNode | None:
        # An item with no template link is a link itself, or holds one.
        link = item.css_first(cls.link)
        if link is None:
            link = item if item.attributes.get("href") else item.css_first("a[href]")
        return link


# ---- channel fronts, home and tag pages: every article link counts --------------------


class FrontLayout(ListLayout):
    """A channel front template: recognised by its list items; a front mixes lists
    (headlines, latest, popular), so every article link on the page counts."""

    @classmethod
    def listed(cls, tree: LexborHTMLParser, url: str, local: str | None) -> list[Listed] | None:
        if tree.css_first(cls.items) is None:
            return None
        seen: set[str] = set()
        out: list[Listed] = []
        for link in tree.css("a[href]"):
            listed = listed_link(url, local, link.attributes.get("href"))
            if listed and listed.article_id not in seen:
                seen.add(listed.article_id)
                out.append(listed)
        return out


class IridescentFrontLayout(FrontLayout):
    """The 2019-2022 desktop front and tag page, and the 2025 theme's: the iridescent list."""

    name = "iridescent"
    items = ".articles--iridescent-list--item"
    container = ".articles--iridescent-list"


class SliderFrontLayout(FrontLayout):
    """The 2025 theme's channel front with its headline slider and no iridescent list."""

    name = "slider"
    items = ".headline--bottom-slider__item"


class RowsFrontLayout(FrontLayout):
    """A front of the 2017-2022 rows."""

    name = "rows"
    items = "article.articles--rows--item"
    container = ".articles--list_rows"


class MobileFrontLayout(FrontLayout):
    """The mobile site's front and tag page: article snippets."""

    name = "mobile-snippets"
    items = ".article-snippet"
    container = ".articles__page"


class GalleryFrontLayout(FrontLayout):
    """The photo and video galleries' grid (one template, a photo or video cell)."""

    name = "gallery"
    items = "article.gallery--grid--photo, article.gallery--grid--video"


# The first layout whose items are on the page reads it (else the first whose empty state is):
# the 2017-2022 section before its rows anywhere.
INDEX_LAYOUTS: tuple[type[IndexLayout], ...] = (
    IndexRowsLayout,
    RowsLayout,
    Theme2025IndexLayout,
)
FRONT_LAYOUTS: tuple[type[FrontLayout], ...] = (
    IridescentFrontLayout,
    SliderFrontLayout,
    RowsFrontLayout,
    MobileFrontLayout,
    GalleryFrontLayout,
)

# Pages the site (or its CDN) serves instead of the one asked for when it refuses a client.
REFUSAL_PAGE = re.compile(
    rb"<title>\s*(access denied|just a moment|attention required|are you a robot)"
    rb"|cf-challenge|challenge-platform|_cf_chl_opt",
    re.IGNORECASE,
)


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
        if listed_link(url, local, link.attributes.get("href")) is None:
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


def read_listing(html: str, url: str, layouts: tuple[type[ListLayout], ...]) -> Listing:
    """A list page at ``url`` read by the first of ``layouts`` whose items are on it, else
    the first whose empty state is; else not recognised (or a refusal), with its fingerprint."""
    tree = LexborHTMLParser(html)  # lexbor: ~10x faster than parsel on list pages
    local = urlsplit(url).hostname
    for layout in layouts:
        listed = layout.listed(tree, url, local)
        if listed is not None:
            return Listing(listed, layout.name)
    for layout in layouts:
        if layout.shows_empty(tree, url, local):
            return Listing([], layout.name)
    refused = is_refusal(html[:8192].encode("utf-8", "replace"))
    return Listing([], None, fingerprint(tree, html, url), refused=refused)
