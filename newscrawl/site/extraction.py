"""Turn one saved or fetched Liputan6 page into one Article, or say why it is not one.

Structured data comes first (JSON-LD, ``article:*`` meta tags, the ``window.kmklabs``
data layer); the visible markup of each template (desktop, photo, mobile, AMP) is the
fallback. Nothing here fetches anything: the spider decides what to download.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from newscrawl.items import Article
from newscrawl.normalize.dates import parse_datetime
from newscrawl.normalize.text import clean_text, slugify, split_list, unique
from newscrawl.site.bylines import (
    parse_byline,
    parse_reporter_code,
    split_dateline,
    split_reporter_code,
)
from newscrawl.site.loaders import ArticleLoader
from newscrawl.site.urls import (
    WWW_CHANNELS,
    ArticleRef,
    canonical_url,
    has_www_form,
    parse_article_url,
    type_from_url,
    www_url,
)

# The same desks and reporters sign thousands of articles: parse each credit line once.
# The cached Byline is shared, so callers copy its lists instead of changing them.
_byline = functools.lru_cache(maxsize=8192)(parse_byline)


class NotAnArticle(ValueError):
    """The page holds no article; ``reason`` says what it is instead."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


# kmklabs page types that are lists or other non-article pages.
_PAGE_TYPE_REASONS = {
    "ChannelPage": "channel page",
    "TagPage": "tag page",
    "IndeksPage": "indeks page",
    "HomePage": "home page",
    "AuthorPage": "author page",
    "SearchPage": "search page",
}
_TYPE_NAMES = {
    "TextTypeArticle": "text",
    "PhotoGallery": "photo",
    "VideoGallery": "video",
}
MAX_DIVS = 20_000
# How an HTML document opens, one of these within its first 4 KB.
_HTML_START = ("<!doctype", "<html", "<head", "<body", "<meta", "<title")
_KMK_PREFIX = "window.kmklabs."
_KMK_ASSIGN = re.compile(r"window\.kmklabs\.(\w+)\s*=\s*")
# 2016 pages name their data layer window.info (pageType, channel, category, article, gtm).
_INFO_PREFIX = "window.info."
_INFO_ASSIGN = re.compile(r"window\.info\.(\w+)\s*=\s*")
_SINGLE_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")
_JSON = json.JSONDecoder(strict=False)

# Inline blocks that are not article text: related links, ads, embeds, captions.
_NOISE_CLASSES = (
    "baca-juga",
    "seamless-ads",
    "article-ad",
    "ads-",
    "read-page--video-gallery",
    "article-photo-gallery",
    "video-gallery",
    "twitter-tweet",
    "twitter-video",
    "instagram-media",
    "tiktok-embed",
    # The 2025 theme's ad placeholders, inside the text ("Advertisement") and between pages.
    "advertisement-",
)
# Embedded media: no article text inside.
_EMBEDS = frozenset(
    (
        "figure",
        "iframe",
        "img",
        "picture",
        "video",
        "audio",
        "svg",
        "amp-img",
        "amp-ad",
        "amp-iframe",
        "amp-video",
        "amp-analytics",
        "amp-layout",
    )
)
# Page titles that only announce an embedded video ("Saksikan Video Pilihan di Bawah Ini:").
# A paragraph that only labels the related-links box after it (2016: "<p>Baca Juga</p>").
_LABEL_ONLY = re.compile(r"^baca juga\s*:?$", re.I)
_VIDEO_PROMO = re.compile(r"^(?:sak\w*|simak|tonton|lihat)\b.{0,40}\bvideo\b|^video pilihan", re.I)
# A desk's description of itself, the same closing section on every one of its articles
# ("Tentang Cek Fakta Liputan6.com"): not the article's text (docs/extraction.md).
_DESK_SECTION = re.compile(r"^tentang[\s-]+cek[\s-]+fakta(?:[\s-]+liputan6(?:\.?com)?)?$", re.I)
# The 2025 theme's byline box dates: "Diterbitkan 15 September 2026, 15:00 WIB" and
# "Diperbarui"/"Diperbaharui ..." (the update), alone or both in one box.
_BOX_DATES = "span.read-page-box__author__updated, div.readpage__author__update > span"
_BOX_DATE_LABEL = re.compile(r"(?=\b(?:diterbitkan|diperbaharui|diperbarui)\b)", re.I)
_UPDATED_LABEL = re.compile(r"^(?:terakhir\s+)?diperba(?:ha)?rui\b", re.I)
# The 2025 theme's team box at the bottom of an article: people, a role, a team name.
_TEAM_ROLES = {
    "penulis": "authors",
    "reporter": "authors",
    "author": "authors",
    "wartawan": "authors",
    "editor": "editors",
    "redaktur": "editors",
    "penyunting": "editors",
    "fotografer": "photographers",
    "photographer": "photographers",
    "videografer": "photographers",
    "videographer": "photographers",
}
_TEAM_ROLE = re.compile(
    rf"^(?P<role>{'|'.join(_TEAM_ROLES)})\s*:\s*(?P<names>.+)$"
    rf"|^(?P<names2>.+?)\s*\((?P<role2>{'|'.join(_TEAM_ROLES)})\)$",
    re.I,
)


@dataclass
class PageData:
    """What a page says about itself, read once: meta tags, JSON-LD and data layer."""

    tree: LexborHTMLParser
    meta: dict[str, str] = field(default_factory=dict)
    jsonld: dict[str, Any] | None = None
    kmk: dict[str, Any] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)
    """window.info.*: the 2016 pages' data layer (the same keys as window.kmklabs)."""

    @functools.cached_property
    def theme2025(self) -> bool:
        """True for a page in the 2025 theme: its data-layer toggle, else its byline box.
        The theme's own selectors run only then (each is a walk of the whole tree)."""
        if self.kmk:  # the theme's data layer always carries its toggle
            toggle = self.kmk.get("toggle")
            return isinstance(toggle, dict) and toggle.get("liputan62025Theme") is True
        return self.tree.css_first("div.read-page-box, div.readpage__author__update") is not None

    @functools.cached_property
    def gtm(self) -> dict[str, Any]:
        """window.kmklabs.gtm as text values (plain_values), or an empty dict."""
        return plain_values(self.kmk.get("gtm"))

    @functools.cached_property
    def kmk_article(self) -> dict[str, Any]:
        """window.kmklabs.article as text values (plain_values), or an empty dict."""
        return plain_values(self.kmk.get("article"))

    def kmk_slug(self, key: str) -> str | None:
        """full_slug of window.kmklabs.channel / .category."""
        return plain_values(self.kmk.get(key)).get("full_slug")


def _page_number(value: str | None) -> int:
    """A data-page attribute as a number; anything but ASCII digits (a corrupted page) is 0."""
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() else 0


def plain_text(value: Any) -> str | None:
    """A data-layer value as the text the extractor expects: strings as they are, numbers
    as digits, a list of those joined with ", "; anything else (a bool, a deeper object)
    is None. The page's data layer is not trusted to hold the types it usually holds."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list):
        parts = [plain_text(v) for v in value if not isinstance(v, list | dict)]
        return ", ".join(p for p in parts if p) or None
    return None


# The data-layer keys whose value is an object the extractor reads into (gtm.authors).
_OBJECT_KEYS = frozenset({"authors"})


def plain_values(value: Any) -> dict[str, Any]:
    """A data-layer object with plain_text() values, and the objects of _OBJECT_KEYS the same
    way one level down; not an object: an empty dict."""
    if not isinstance(value, dict):
        return {}
    return {
        key: plain_values(item) if key in _OBJECT_KEYS else plain_text(item)
        for key, item in value.items()
    }


def read_page(html: str) -> PageData:
    """Parse the HTML once and collect its machine-readable metadata."""
    tree = LexborHTMLParser(html)
    page = PageData(tree=tree, kmk=_read_kmklabs_first_in_head(html))
    if not page.kmk and "window.info" in html:  # 2016 pages have no window.kmklabs
        page.info = _read_kmklabs(html, _INFO_ASSIGN, _INFO_PREFIX)
    # Elements by tag name: lexbor's tag index is several times faster than a CSS
    # selector list over the whole tree.
    for node in tree.tags("meta"):
        attrs = node.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        if key and key not in page.meta and attrs.get("content") is not None:
            page.meta[key] = attrs["content"] or ""
    scripts = tree.tags("script")
    page.jsonld = _read_news_jsonld(
        [n for n in scripts if _is_jsonld_type(n.attributes.get("type"))]
    )
    # Scripts and styles are read; from here on only visible text matters.
    for nodes in (scripts, tree.tags("style"), tree.tags("noscript"), tree.tags("template")):
        for node in nodes:
            node.decompose(recursive=False)
    return page


def _is_jsonld_type(value: str | None) -> bool:
    """A type attribute CSS's script[type="application/ld+json"] matches (ASCII case-blind)."""
    return bool(value) and value.isascii() and value.lower() == "application/ld+json"


def texts(root: LexborHTMLParser | LexborNode, css: str) -> list[str]:
    """The cleaned, non-empty visible text of every node matching css."""
    return [t for t in (node_text(n) for n in root.css(css)) if t]


def first_text(root: LexborHTMLParser | LexborNode, css: str) -> str | None:
    """The visible text of the first node matching css that has any."""
    # css_first stops at the first match, and the first match usually has text.
    first = root.css_first(css)
    text = node_text(first) if first is not None else None
    if first is None or text:
        return text
    for node in root.css(css)[1:]:
        text = node_text(node)
        if text:
            return text
    return None


def attr(root: LexborHTMLParser | LexborNode, css: str, name: str) -> str | None:
    """An attribute of the first node matching css that has it."""
    first = root.css_first(css)  # as in first_text: usually the answer, found sooner
    value = first.attributes.get(name) if first is not None else None
    if first is None or value:
        return value
    for node in root.css(css)[1:]:
        value = node.attributes.get(name)
        if value:
            return value
    return None


# Elements a browser puts on their own line: their text never runs into the next one's.
_BLOCKS = frozenset(
    (
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    )
)


def node_text(node: LexborNode) -> str | None:
    """Text of a node as a browser shows it: inline tags joined as written, blocks apart."""
    child = node.child
    if child is not None and child.next is None and child.tag == "-text":
        return clean_text(child.text_content)  # the usual case: one text and nothing else
    if node.tag == "p" and node.css_first("br") is None:
        # A <p> holds only inline content (the parser closes it at any block but <br>):
        # its text is its texts joined, which lexbor gives without a walk in Python.
        return clean_text(node.text(deep=True, separator=""))
    parts = []
    for child in node.traverse(include_text=True):
        tag = child.tag
        if tag == "-text":
            parts.append(child.text_content)
        elif tag in _BLOCKS:
            parts.append(" ")
    return clean_text("".join(parts))


def _read_kmklabs_first_in_head(html: str) -> dict[str, Any]:
    """window.kmklabs from the page's <head>, where every saved page (2019–2026) assigns
    it, else from the whole page: the head is a fifth of the text to scan."""
    head_end = html.find("</head>")
    found = _read_kmklabs(html[:head_end]) if head_end > 0 else {}
    return found or _read_kmklabs(html)


def _read_kmklabs(
    html: str, assign: re.Pattern[str] = _KMK_ASSIGN, prefix: str = _KMK_PREFIX
) -> dict[str, Any]:
    """The window.kmklabs.* (or other ``assign``) assignments whose values are JSON
    literals or quoted strings."""
    out: dict[str, Any] = {}
    # str.find reaches each assignment faster than a regular expression scans for it.
    pos = html.find(prefix)
    while pos >= 0:
        match = assign.match(html, pos)
        pos = html.find(prefix, match.end() if match else pos + 1)
        if match is None or match.group(1) in out:
            continue
        key, start = match.group(1), match.end()
        if html.startswith("'", start):
            quoted = _SINGLE_QUOTED.match(html, start)
            if quoted:
                out[key] = quoted.group(1)
            continue
        try:
            out[key], _ = _JSON.raw_decode(html, start)
        except (ValueError, RecursionError):  # broken, or nested past Python's depth limit
            continue
    return out


def _read_news_jsonld(scripts: list[LexborNode]) -> dict[str, Any] | None:
    """The first JSON-LD object typed NewsArticle/Article in the JSON-LD scripts, if any."""
    for script in scripts:
        try:
            data = _JSON.decode(script.text().strip())
        except (ValueError, RecursionError):  # broken, or nested past Python's depth limit
            continue
        candidates = data if isinstance(data, list) else [data]
        if isinstance(data, dict) and isinstance(data.get("@graph"), list):
            candidates = data["@graph"]
        for obj in candidates:
            if not isinstance(obj, dict):
                continue
            kind = obj.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(k in ("NewsArticle", "Article", "ReportageNewsArticle") for k in kinds):
                return obj
    return None


def _jsonld_text(obj: Any) -> str | None:
    """A JSON-LD value as text: strings as they are, {"name": ...} objects by name."""
    if isinstance(obj, dict):
        obj = obj.get("name") or obj.get("@id") or obj.get("url")
    if isinstance(obj, list):
        obj = obj[0] if obj else None
    return obj if isinstance(obj, str) else None


def classify(page: PageData, url: str | None = None) -> None:
    """Raise NotAnArticle unless the page is an article page (``url``: where it came from)."""
    page_type = page.kmk.get("pageType") or page.info.get("pageType")
    if isinstance(page_type, str) and page_type and page_type != "ReadPage":
        # Stats are named by reason: a page type the site never used gets one shared name.
        reason = _PAGE_TYPE_REASONS.get(page_type, "unknown page type")
        raise NotAnArticle(reason, f"window.kmklabs.pageType is {page_type!r}")
    if page_type == "ReadPage" or page.jsonld is not None:
        return
    # A page saved without its scripts still has the article header and its own URL (or
    # the URL it was fetched from). 2015 pages have nothing else, and list markup in their
    # sidebar.
    header = page.tree.css_first(
        "h1.read-page--header--title, h1.article-header__title, .read-page--photo-tag--header,"
        " h1.read-page--header__title, h1.entry-title"
    )
    own_urls = (page.meta.get("og:url"), attr(page.tree, 'link[rel="canonical"]', "href"), url)
    if header is not None and any(parse_article_url(u or "") for u in own_urls):
        return
    if page.tree.css_first("article.articles--rows--item, article.articles--iridescent-list--item"):
        raise NotAnArticle("list page", "article list markup and no article metadata")
    title = first_text(page.tree, "title") or "no title"
    raise NotAnArticle(
        "no article markup",
        f"no kmklabs ReadPage and no JSON-LD NewsArticle (title: {title[:80]!r})",
    )


# Where a field's value came from, by kind: what the page states for machines (structured),
# what it shows readers (markup), or only its URL. A redesign shows up as a field moving
# from one kind to another, or to none.
SOURCE_KINDS = {
    "jsonld": "structured",
    "meta": "structured",
    "datalayer": "structured",
    "url": "url",
    "time-attr": "markup",
    "visible-text": "markup",
    "markup": "markup",
}
# The fields whose source extraction records (the rest follow from these or are constant).
SOURCED_FIELDS = (
    "title",
    "published_at",
    "updated_at",
    "authors",
    "editors",
    "section",
    "subsection",
    "tags",
    "summary",
    "body",
    "image_url",
    "image_caption",
)


class Extracted(NamedTuple):
    """An extracted article, how many of its body pages the HTML held, and field sources."""

    article: Article
    pages_found: int
    sources: dict[str, str]
    """SOURCED_FIELDS name → source label (a key of SOURCE_KINDS); absent when not found."""


def _first(loader: ArticleLoader, sources: dict[str, str], name: str, candidates) -> None:
    """Load the first (source, value) candidate that survives the field's normaliser.

    A value may be a function: it is called only when every candidate before it gave
    nothing, so fallback selectors cost nothing on pages with structured data.
    """
    for source, value in candidates:
        if callable(value):
            value = value()
        if value is None or value == "" or value == []:
            continue
        loader.add_value(name, value)
        if loader.get_collected_values(name):
            sources[name] = source
            return


_STRUCTURED = re.compile(
    r"<script[^>]*application/ld\+json[^>]*>.*?</script\s*>"
    r"|<script[^>]*>(?:(?!</script).)*?window\.(?:kmklabs|info)\b(?:(?!</script).)*</script\s*>"
    r"|<meta\b(?![^>]*\b(?:charset|http-equiv)\b)[^>]*>",
    re.IGNORECASE | re.DOTALL,
)


def without_structured_data(html: str) -> str:
    """The page with its JSON-LD, data-layer scripts and meta tags removed: what extraction
    finds in it comes from the visible markup (and the page's URL) alone."""
    return _STRUCTURED.sub("", html)


def extract_article(
    html: str | bytes, url: str | None = None, *, now: datetime | None = None
) -> Article:
    """Extract one Article from a Liputan6 page; raise NotAnArticle with a reason otherwise.

    ``url`` is where the page was fetched from; the page's own og:url, JSON-LD and data
    layer win over it, so a saved file parses the same wherever it came from. ``now``
    is the clock for relative dates ("3 jam yang lalu").
    """
    return extract_article_pages(html, url, now=now).article


def join_page(article: Article, more: Article | None, page: int) -> tuple[Article, bool]:
    """The article with page ``page`` of a split article appended; and True when that page
    only repeats the text so far (past its last page the site serves a page again), in
    which case the article ends at the page before. ``more`` is None for a page that gave no
    article; the article is never changed in place."""
    if more is not None and more.body and (article.body or "").endswith(more.body):
        return dataclasses.replace(article, page_count=page - 1), True
    if more is not None and more.body:
        body = f"{article.body}\n\n{more.body}" if article.body else more.body
        article = dataclasses.replace(article, body=body, word_count=len(body.split()))
    return article, False


def extract_article_pages(
    html: str | bytes, url: str | None = None, *, now: datetime | None = None
) -> Extracted:
    """Like extract_article, plus how many of the article's pages this HTML holds and
    where each field came from.

    Up to 2020 every page of a multi-page article is in the first HTML; when fewer are
    present than ``page_count`` says, the spider fetches ``?page=N`` for the rest.
    """
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    if not html or html.isspace():  # as `not html.strip()`, without copying the page
        raise NotAnArticle("empty page", "the document has no content")
    # A page cut off in transfer or in an archive would give a body cut off too; every page
    # the site serves ends its document.
    tail = html[-4096:].lower()
    if "</html>" not in tail and "</body>" not in tail:
        head = html[:4096].lower()
        if not any(mark in head for mark in _HTML_START):
            # Neither end looks like HTML: binary data, or text in an encoding the page
            # does not declare.
            raise NotAnArticle("not html", "no HTML at the start or end of the document")
        raise NotAnArticle("truncated page", "the document ends before </body> and </html>")
    # The HTML parser's time grows with the square of nested containers: 50,000 nested
    # <div> take seconds. Real pages hold about a thousand <div> (at most 1,045 saved).
    # Counting "<" is twice as fast as counting "<div", and a page with no more "<" than
    # MAX_DIVS cannot have more <div> (real pages have a few thousand "<").
    if html.count("<") > MAX_DIVS and (divs := html.count("<div")) > MAX_DIVS:
        raise NotAnArticle("oversized page", f"{divs} <div> elements, more than {MAX_DIVS}")
    page = read_page(html)
    classify(page, url)
    return build_article(page, url, now=now)


def build_article(page: PageData, url: str | None = None, *, now=None) -> Extracted:
    """Fill an Article from an article page, with the body pages found and field sources."""
    loader = ArticleLoader()
    sources: dict[str, str] = {}
    kmk_article, gtm, meta, jsonld = page.kmk_article, page.gtm, page.meta, page.jsonld or {}

    ref, canonical = _identity(page, url)
    if not ref.article_id.isdigit():
        raise NotAnArticle(
            "no article id", f"the data layer's id {ref.article_id!r} is not a number"
        )
    section_candidates = (
        ("datalayer", page.kmk_slug("channel")),
        ("url", ref.channel),
        ("meta", slugify(meta.get("article:section2"))),
    )
    section_source, section = next(((s, v) for s, v in section_candidates if v), (None, None))
    if section_source:
        sources["section"] = section_source
    subsection_source, subsection = _subsection(page, section)
    if subsection is None and ref.subchannel and ref.subchannel != section:
        # A URL that names the sub-channel (berita.liputan6.com/peristiwa/read/…).
        subsection_source, subsection = "url", ref.subchannel
    if subsection_source:
        sources["subsection"] = subsection_source
    # Values computed here need no normalising: they are set on the item directly, and
    # the loader handles what comes from page text.
    direct = {
        "article_id": ref.article_id,
        "url": canonical,
        "section": section,
        "subsection": subsection,
    }

    type_name = kmk_article.get("type") or gtm.get("type") or _cache_key_type(page)
    article_type = _TYPE_NAMES.get(type_name or "")
    if article_type is None:
        article_type = type_from_url(ref)
        if article_type is None:
            photo = page.tree.css_first(".read-page--photo-tag--header")
            article_type = "photo" if photo else "text"
    direct["type"] = article_type

    _first(
        loader,
        sources,
        "title",
        (
            ("jsonld", _jsonld_text(jsonld.get("headline"))),
            ("meta", meta.get("og:title")),
            ("datalayer", kmk_article.get("title")),
            (
                "markup",
                lambda: first_text(
                    page.tree,
                    "h1.read-page--header--title, h1.article-header__title,"
                    " h2.read-page--photo-tag--header__title, h1.read-page--header__title,"
                    " h1.entry-title",
                ),
            ),
        ),
    )

    direct.update(_add_dates(loader, sources, page, now))
    _add_people(loader, sources, page, article_type)

    _first(
        loader,
        sources,
        "summary",
        (
            ("datalayer", kmk_article.get("shortDescription")),
            ("meta", meta.get("og:description")),
            ("meta", meta.get("description")),
            ("jsonld", _jsonld_text(jsonld.get("description"))),
            # The 2025 theme shows the summary under the title.
            ("markup", lambda: first_text(page.tree, "div.read-page--header--description")),
        ),
    )

    _first(loader, sources, "tags", _tags(page))
    _add_image(loader, sources, page, jsonld)

    paragraphs, pages_found = _body(page, article_type)
    if paragraphs:
        # Older copy closes with a reporter code, "(TNA/Merdi Sofansyah dan Anto Susanto)":
        # a credit, not text. Its people are the writers when nothing else names any.
        last, code = split_reporter_code(paragraphs[-1])
        if code:
            paragraphs = [*paragraphs[:-1], last] if last else paragraphs[:-1]
            loader.add_value("byline_raw", code)
            if not loader.get_collected_values("authors"):
                _first(loader, sources, "authors", (("markup", parse_reporter_code(code).people),))
    if paragraphs:
        sources["body"] = "markup"
    if paragraphs:
        place, rest = split_dateline(paragraphs[0])
        if place:
            loader.add_value("dateline", place)
            paragraphs = [rest, *paragraphs[1:]] if rest else paragraphs[1:]
    body = "\n\n".join(paragraphs) or None
    direct["body"] = body
    direct["word_count"] = len(body.split()) if body else 0
    count = page.kmk.get("multiplePageCount")
    direct["page_count"] = count if isinstance(count, int) and count > 0 else (pages_found or None)
    article = loader.load_item()
    for name, value in direct.items():
        setattr(article, name, value)
    return Extracted(article, pages_found, sources)


# 2016 pages name the article's type only in the cache keys of their markup:
# data-cache-key="liputan6.com:bump:xhp_desktop__read_page_TextTypeArticle#2436773_…".
_CACHE_KEY_TYPE = re.compile(r"_(TextTypeArticle|PhotoGallery|VideoGallery)#\d+")


def _cache_key_type(page: PageData) -> str | None:
    """The article type named in the 2016 article element's data-cache-key."""
    match = _CACHE_KEY_TYPE.search(
        attr(page.tree, "article[data-cache-key]", "data-cache-key") or ""
    )
    return match[1] if match else None


def _identity(page: PageData, url: str | None) -> tuple[ArticleRef, str | None]:
    """The article's id, channel and slug, and the URL it is stored under, from the page first."""
    kmk_id = (
        page.kmk_article.get("id") or page.gtm.get("articleId") or page.meta.get("dable:item_id")
    )
    kmk_id = str(kmk_id).strip() if kmk_id else None
    candidates = (
        lambda: page.meta.get("og:url"),
        lambda: _jsonld_text((page.jsonld or {}).get("mainEntityOfPage")),
        lambda: attr(page.tree, 'link[rel="canonical"]', "href"),
        lambda: attr(page.tree, 'link[rel="amphtml"]', "href"),
        lambda: url,
    )
    found: list[tuple[str, ArticleRef]] = []
    for candidate in candidates:
        stated = candidate() or ""
        ref = parse_article_url(stated)
        # The data layer's id is the truth; ignore URLs that point at another article.
        if ref is None or (kmk_id and ref.article_id != kmk_id):
            continue
        found.append((stated, ref))
        if ref.channel and ref.slug:
            break  # the most trusted complete URL: no need to read the others
    if not found and not kmk_id:
        raise NotAnArticle("no article id", "no id in the data layer, og:url, JSON-LD or URL")
    article_id = kmk_id or found[0][1].article_id
    refs = [ref for _, ref in found]
    channel = next((r.channel for r in refs if r.channel), None) or page.kmk_slug("channel")
    slug = next((r.slug for r in refs if r.slug), None) or page.gtm.get("articleTitle")
    subchannel = next((r.subchannel for r in refs if r.subchannel), None)
    ref = ArticleRef(article_id, channel, slug, subchannel)
    return ref, _stored_url(page, found, article_id, slug)


def _stored_url(
    page: PageData, found: list[tuple[str, ArticleRef]], article_id: str, slug: str | None
) -> str | None:
    """The most trusted URL the page states about itself, in www form only where the host's
    www form is documented (newscrawl.site.urls.has_www_form); as stated otherwise.

    AMP URLs name no channel: the data layer's channel, else a www-form URL's, fills in.
    With no usable URL, the www form is built from the data layer's channel when the site
    is known to have that channel on www.
    """
    www_channels = (
        parse_article_url(canonical_url(stated) or "")
        for stated, _ in found
        if has_www_form(stated)
    )
    hint = page.kmk_slug("channel") or next((r.channel for r in www_channels if r), None)
    for stated, _ in found:
        stored = canonical_url(stated, channel=hint)
        if stored is None:
            continue
        if has_www_form(stored) and slug and parse_article_url(stored).slug is None:
            stored = f"{stored}/{slug}"  # the slug the page gives elsewhere (gtm.articleTitle)
        return stored
    if hint in WWW_CHANNELS:
        return www_url(article_id, hint, slug)
    return None


def _subsection(page: PageData, section: str | None) -> tuple[str | None, str | None]:
    """The sub-channel slug and its source: kmklabs.category, else article:section3."""
    category = page.kmk_slug("category")
    if category:
        parts = category.strip("/").split("/")
        if len(parts) > 1 and parts[1] != section:
            return "datalayer", parts[1]
        return None, None
    sub = page.gtm.get("subSubCategory")
    if sub and sub != section:
        return "datalayer", sub
    sub_name = page.meta.get("article:section3")
    if (
        sub_name
        and slugify(sub_name) != section
        and slugify(sub_name) != slugify(page.meta.get("article:section2"))
    ):
        return "meta", slugify(sub_name)
    # The breadcrumb's link to the sub-channel, /{section}/{sub}.
    for href in (
        n.attributes.get("href") for n in page.tree.css("a.read-page--breadcrumb--item__title")
    ):
        parts = urlsplit(href or "").path.strip("/").split("/")
        if section and len(parts) == 2 and parts[0] == section and parts[1] != section:
            return "markup", parts[1]
    return _old_subsection(page, section)


def _old_subsection(page: PageData, section: str | None) -> tuple[str | None, str | None]:
    """2015–2016 pages: window.info.category, the gtm pageTitle "tekno - telko - {slug}",
    or the breadcrumb's third item "Home › Tekno › Telko"."""
    category = plain_values(page.info.get("category")).get("full_slug")
    if category:
        parts = category.strip("/").split("/")
        return ("datalayer", parts[1]) if len(parts) > 1 and parts[1] != section else (None, None)
    gtm = plain_values(page.info.get("gtm"))
    title_parts = [p.strip() for p in (gtm.get("pageTitle") or "").split(" - ")]
    if len(title_parts) == 3 and title_parts[0] == section and title_parts[1] != section:
        return "datalayer", title_parts[1]
    items = page.tree.css("ul.read-page--breadcrumb > li")
    if len(items) >= 3:
        href = attr(items[2], "a", "href") or ""
        path = href.split("?")[0].split("#")[0].rstrip("/").split("/")
        slug = path[-1] if "/" in href and path[-1] and "." not in path[-1] else None
        slug = slug or slugify(node_text(items[2]))
        if slug and slug != section:
            return "markup", slug
    return None, None


def _add_dates(
    loader: ArticleLoader, sources: dict[str, str], page: PageData, now
) -> dict[str, str]:
    """Pick the first parseable publication and modification dates, most trusted first.

    The loader gets the dates; the raw text and source of each are returned.
    """
    tree, meta, jsonld = page.tree, page.meta, page.jsonld or {}
    box = functools.cache(lambda: _box_dates(tree))  # read at most once, and only if needed
    published = [
        ("jsonld", jsonld.get("datePublished")),
        ("meta", meta.get("article:published_time")),
        ("datalayer", page.kmk_article.get("publishDate")),
        (
            "time-attr",
            lambda: attr(
                tree,
                "time.read-page--header--author__datetime,"
                " time.read-page--photo-tag--header__datetime, time.read-page--header__datetime",
                "datetime",
            ),
        ),
        (
            "visible-text",
            lambda: first_text(
                tree,
                "span.article-header__datetime, time.read-page--header--author__datetime,"
                " time.read-page--header__datetime, div.by-author",
            ),
        ),
        # Only a "Diterbitkan" date: a box showing just "Diperbarui" gives no publication
        # time (an old article re-served in the theme was updated years after it appeared).
        ("visible-text", lambda: box()[0]),
    ]
    updated = [
        ("jsonld", jsonld.get("dateModified")),
        ("meta", meta.get("article:modified_time")),
        ("meta", meta.get("og:updated_time")),
        (
            "time-attr",
            lambda: attr(
                tree,
                "time.read-page--header--author__modified-time,"
                " time.read-page--photo-tag--header__modified-time",
                "datetime",
            ),
        ),
        (
            "visible-text",
            lambda: first_text(
                tree,
                ".article-header__modified-time, time.read-page--header--author__modified-time,"
                " time.read-page--photo-tag--header__modified-time",
            ),
        ),
        ("visible-text", lambda: box()[1]),
    ]
    found = {}
    for name, candidates in (("published_at", published), ("updated_at", updated)):
        for source, raw in candidates:
            if callable(raw):
                raw = raw()  # selectors are read only when the data before them had no date
            if not isinstance(raw, str) or not raw.strip():
                continue
            parsed = parse_datetime(raw, now=now)
            if parsed is not None:
                loader.add_value(name, parsed)
                found[f"{name}_raw"] = raw.strip()
                found[f"{name}_source"] = sources[name] = source
                break
    return found


def _box_dates(tree: LexborHTMLParser) -> tuple[str | None, str | None]:
    """The 2025 theme's byline box: its "Diterbitkan ..." and "Diperbarui ..." texts."""
    published = updated = None
    for text in texts(tree, _BOX_DATES):
        for part in _BOX_DATE_LABEL.split(text):
            part = part.strip()
            if not part:
                continue
            if _UPDATED_LABEL.match(part):
                updated = updated or part
            else:
                published = published or part
    return published, updated


def _team_box(tree: LexborHTMLParser) -> dict[str, list[str]]:
    """People of the 2025 theme's team box by role ("team": named without one), and its
    desk credits ("Tim Redaksi")."""
    out: dict[str, list[str]] = {"credits": [], "team": []}
    for detail in tree.css(".read-page-box__author__team-detail"):
        name = first_text(detail, ".read-page-box__author__team-detail__name") or ""
        name_role = _TEAM_ROLES.get(name.strip(" :").lower())
        if not name_role:
            out["credits"].extend(_byline(name).credits)
        for text in texts(detail, ".read-page-box__author__team-detail__people"):
            match = _TEAM_ROLE.match(text)
            role = name_role or "team"
            if match:
                role = _TEAM_ROLES[(match["role"] or match["role2"]).lower()]
                text = match["names"] or match["names2"]
            names = _byline(text)
            out.setdefault(role, []).extend(names.people)
            out["credits"].extend(names.credits)
    return out


def _add_people(
    loader: ArticleLoader, sources: dict[str, str], page: PageData, article_type: str
) -> None:
    """Writers, editors, photographers and desk credits, from the data layer first."""
    tree, gtm = page.tree, page.gtm
    box_links = texts(tree, "a.read-page-box__author__name") if page.theme2025 else []
    # Each template has one byline: the desktop one (2015-2022), else the mobile and AMP
    # author links or the 2025 byline box, separate links the page's CSS joins with ", ".
    byline_raw = first_text(
        tree,
        "span.read-page--header--author__name, .read-page--photo-tag--header__credits,"
        " span.read-page--header__author, div.by-author",
    )
    if byline_raw is None:
        # Mobile and AMP author links (only ever inside .article-header__authors).
        links = texts(tree, "a.article-header__author-link") or box_links
        byline_raw = ("Oleh " + ", ".join(links)) if links else None
    jsonld_author = page.jsonld.get("author") if page.jsonld else None
    if isinstance(jsonld_author, list):
        jsonld_names = ", ".join(n for n in (_jsonld_text(a) for a in jsonld_author) if n)
    else:
        jsonld_names = _jsonld_text(jsonld_author)
    loader.add_value("byline_raw", [byline_raw, jsonld_names])

    team = _team_box(tree) if page.theme2025 else {"credits": [], "team": []}
    # The byline box of a photo gallery credits its photographer, as gtm.authors does.
    box_names = ", ".join(box_links)
    if article_type == "photo" and box_names and not gtm:
        team.setdefault("photographers", []).extend(_byline(box_names).people)
    gtm_authors = gtm.get("authors") if isinstance(gtm.get("authors"), dict) else {}
    role = gtm_authors.get("type")
    if gtm:
        # The data layer names every writer; the visible byline only the first.
        writers = gtm.get("reporters") or (gtm_authors.get("names") if role == "author" else "")
        writers_source = "datalayer"
        photo_names = gtm_authors.get("names") if role == "photographer" else ""
    else:
        visible = (
            ", ".join(_credited(tree, "authors"))
            or ", ".join(texts(tree, "a.article-header__author-link"))
            or ", ".join(texts(tree, "span.read-page--header--author__name"))
            or ("" if article_type == "photo" else box_names)
            or ", ".join(team.get("authors", []))
            # 2016: "By <span>Name</span>"; 2015: "By Name on 18 Jun 2015 at 06:25 WIB".
            or ", ".join(texts(tree, "span.read-page--header__author"))
            or first_text(tree, "div.by-author")
        )
        writers, writers_source = (visible, "markup") if visible else (jsonld_names, "jsonld")
        if not writers and team["team"]:
            # The team box names people without a role: the article's team, its writers.
            writers, writers_source = ", ".join(team["team"]), "markup"
        writers = writers or ""
        photo_names = ""
    byline = _byline(writers)
    photo = _byline(photo_names)
    editors = _byline(gtm.get("editors"))
    photographers = [
        *photo.people,
        *_byline(gtm.get("photographers")).people,
        *team.get("photographers", []),
    ]
    credits = [*byline.credits, *photo.credits, *team["credits"]]
    editor_names = (
        list(editors.people) or list(team.get("editors", [])) or _credited(tree, "editors")
    )
    if article_type == "photo":
        labels = texts(tree, ".read-page--photo-tag--header__credits-label")
        users = texts(tree, ".read-page--photo-tag--header__credits-user")
        for label, user in zip(labels, users, strict=False):
            names = _byline(user)
            target = editor_names if "editor" in label.lower() else photographers
            target.extend(names.people)
            credits.extend(names.credits)
    _first(loader, sources, "authors", ((writers_source, byline.people),))
    editors_source = "datalayer" if editors.people else "markup"
    _first(loader, sources, "editors", ((editors_source, editor_names),))
    loader.add_value("photographers", photographers)
    loader.add_value("credits", credits)


# Role labels of the credits box, by the field their people belong in.
_CREDIT_ROLES = {
    "author": "authors",
    "penulis": "authors",
    "reporter": "authors",
    "writer": "authors",
    "editor": "editors",
    "photographer": "photographers",
    "fotografer": "photographers",
}


def _credited(tree: LexborHTMLParser, field: str) -> list[str]:
    """The names the credits box lists for a field ("authors", "editors"): 2019–2022 give
    each person a popover with a role, 2016 lists people under role headings."""
    names, current = [], None
    for node in tree.css("li.read-page--credits__role, .read-page--credits__item"):
        if "read-page--credits__role" in (node.attributes.get("class") or ""):
            current = _CREDIT_ROLES.get((node_text(node) or "").casefold().strip(" :"))
            continue
        name = first_text(node, ".read-page--credits__popover-name")
        if name:
            role = (first_text(node, ".read-page--credits__popover-role") or "").casefold()
            if _CREDIT_ROLES.get(role.strip(" :"), "authors") == field:
                names.append(name)
        elif current == field:
            names.extend(texts(node, ".read-page--credits__name"))
    return names


def _tags(page: PageData) -> list[tuple[str, list[str]]]:
    """Tags in the order the page shows them; the data layer or keywords as fallback."""
    # Each template has one tag list (desktop, mobile, AMP, 2016): one walk finds it.
    visible = texts(
        page.tree,
        "span.tags--snippet__name, a.tags--topics--item__link, a.tags__list-item-link,"
        " a.read-page--tags__link",
    )
    if visible:
        return [("markup", visible)]
    return [
        ("datalayer", split_list(page.gtm.get("tag"), "|")),
        ("datalayer", split_list(plain_values(page.kmk.get("tag")).get("name"), "|")),
        ("meta", split_list(page.meta.get("keywords"), ",")),
        ("datalayer", split_list(page.kmk_article.get("keywords"), ",")),
    ]


def _add_image(
    loader: ArticleLoader, sources: dict[str, str], page: PageData, jsonld: dict[str, Any]
) -> None:
    """Lead image and its caption."""
    tree = page.tree
    top = tree.css_first(".read-page--top-media")
    if top is None and not page.kmk:
        # 2016 pages (window.info, no window.kmklabs) put the lead photo in a one-figure
        # gallery under the header.
        top = tree.css_first("div.read-page--photo-gallery")

    @functools.cache
    def gallery() -> list[LexborNode]:
        # The fallbacks of every template's gallery, found in one walk of the page.
        return tree.css(_GALLERY_ITEMS)

    def slides(kind: str) -> list[LexborNode]:
        return [n for n in gallery() if _has_class_ending(n, kind)]

    _first(
        loader,
        sources,
        "image_url",
        (
            ("meta", page.meta.get("og:image")),
            ("jsonld", _jsonld_text(jsonld.get("image"))),
            ("markup", lambda: attr(top, "figure", "data-image") if top else None),
            ("markup", lambda: _first_of(slides("item_full"), _attribute("data-image"))),
        ),
    )
    _first(
        loader,
        sources,
        "image_caption",
        (
            (
                "markup",
                lambda: (
                    first_text(top, "figcaption.read-page--photo-gallery--item__caption")
                    if top
                    else None
                ),
            ),
            ("markup", lambda: attr(top, "figure", "data-description") if top else None),
            ("markup", lambda: _first_of(slides("slider__top__item__caption"), node_text)),
            ("markup", lambda: _first_of(slides("slider__item"), _attribute("data-short-desc"))),
            # Mobile and AMP lead photo.
            ("markup", lambda: _first_of(slides("item_full"), _attribute("data-description"))),
            (
                "markup",
                lambda: _first_of(
                    slides("item_full"),
                    lambda n: first_text(n, ".article-photo-gallery--item__description"),
                ),
            ),
        ),
    )


_GALLERY_ITEMS = (
    ".read-page--photo-tag--slider__top__item__caption, .article-gallery-slider__item,"
    " .article-photo-gallery--item_full"
)


def _has_class_ending(node: LexborNode, ending: str) -> bool:
    """True when one of the node's classes ends with ``ending``."""
    return any(c.endswith(ending) for c in (node.attributes.get("class") or "").split())


def _attribute(name: str):
    """A function giving a node's attribute ``name``."""
    return lambda node: node.attributes.get(name)


def _first_of(nodes: list[LexborNode], read) -> str | None:
    """The first truthy value ``read`` gives for the nodes, in order."""
    return next((value for node in nodes if (value := read(node))), None)


_NOISE_CLASS = re.compile("|".join(map(re.escape, _NOISE_CLASSES)))


def _is_noise(node: LexborNode) -> bool:
    """True for related-link boxes, ads, embeds and captions inside the body."""
    attrs = node.attributes
    if not attrs:
        return False
    classes = attrs.get("class")
    if classes and _NOISE_CLASS.search(classes):
        return True
    return (attrs.get("id") or "").startswith("div-gpt-ad")


def _paragraphs(container: LexborNode, breaks: bool = False) -> list[str]:
    """Paragraph texts of one body page, walking its children and skipping noise.

    Text written straight into the container (old mobile pages do this) forms paragraphs
    of its own, broken at block elements and <br><br>.
    """
    out: list[str] = []
    run: list[str] = []

    def end_run() -> None:
        text = clean_text("".join(run))
        run.clear()
        if text:
            out.append(text)

    for node in container.iter(include_text=True):
        tag = node.tag
        if tag == "-text":
            run.append(node.text_content)
        elif tag == "br":
            run.append("\n")
            if len(run) > 1 and run[-2] == "\n":
                end_run()  # a blank line between bare-text paragraphs
        elif tag in _EMBEDS or tag.startswith("-") or _is_noise(node):
            continue
        elif tag not in _BLOCKS:
            run.append(node.text(deep=True, separator=""))  # inline: a, b, strong, span ...
        else:
            end_run()
            out.extend(_block(node, breaks))
    end_run()
    return out


def _split_at_breaks(node: LexborNode) -> list[str]:
    """One <p> holding several paragraphs apart by <br><br> (2015–2016 pages), also when
    the breaks sit inside inline tags ("<strong>Layanan 4G<br><br></strong>")."""
    out: list[str] = []
    run: list[str] = []
    breaks = 0
    for child in node.traverse(include_text=True):
        if child.tag == "-text":
            text = child.text_content
            if text.strip():
                if breaks >= 2:
                    out.append(clean_text("".join(run)) or "")
                    run.clear()
                breaks = 0
            run.append(text)
        elif child.tag == "br":
            breaks += 1
            run.append(" ")
    out.append(clean_text("".join(run)) or "")
    return [p for p in out if p]


def _block(node: LexborNode, breaks: bool = False) -> list[str]:
    """The paragraphs of one block element of the body (``breaks``: <br><br> in a <p>
    separates paragraphs)."""
    tag = node.tag
    if tag in ("ul", "ol"):
        return [t for t in (node_text(li) for li in node.iter() if li.tag == "li") if t]
    if tag == "p" and node.attributes.get("class"):
        return []  # classed <p> are captions and widgets, not copy
    if tag == "p" and breaks:
        return _split_at_breaks(node)
    if tag == "blockquote" and node.css_first("p, div"):
        return _paragraphs(node)
    if tag in ("p", "h2", "h3", "h4", "h5", "li", "blockquote"):
        text = node_text(node)
        return [text] if text else []
    if tag == "div" and not node.attributes.get("class"):
        return _paragraphs(node, breaks)
    return []


def _page_title(item: LexborNode) -> str | None:
    """A body page's own title, unless it only announces a video."""
    title = first_text(item, "h2.article-content-body__item-title")
    if title and len(title) < 80 and _VIDEO_PROMO.search(title):
        return None
    return title


def _is_desk_section(item: LexborNode) -> bool:
    """True for a body page that is a desk's description of itself ("Tentang Cek Fakta")."""
    heading = item.css_first("h2.article-content-body__item-title")
    names = (
        item.attributes.get("data-title"),
        heading.attributes.get("id") if heading else None,
        node_text(heading) if heading else None,
    )
    return any(_DESK_SECTION.match((name or "").strip()) for name in names)


def _pages_text(items: list[LexborNode], content_css: str) -> list[str]:
    """Title and paragraphs of each body page, in the order given, without desk sections."""
    out: list[str] = []
    for item in items:
        if _is_desk_section(item):
            continue
        title = _page_title(item)
        if title:
            out.append(title)
        for content in item.css(content_css):
            paragraphs = _paragraphs(content)
            # The same section as a heading inside a page: it runs to the page's end.
            cut = next((i for i, p in enumerate(paragraphs) if _DESK_SECTION.match(p)), None)
            out.extend(paragraphs if cut is None else paragraphs[:cut])
    return out


def _live_updates(tree: LexborHTMLParser) -> list[str]:
    """A 2025-theme live report's updates after its lead: each one's title and text, page
    order (a guess from the theme's CSS names: no live report page is saved)."""
    out: list[str] = []
    for item in tree.css(".livereport--streamline__item"):
        title = first_text(item, ".livereport--streamline__title")
        if title:
            out.append(title)
        for content in item.css(".livereport--streamline__content"):
            out.extend(_paragraphs(content))
    return out


def _body(page: PageData, article_type: str) -> tuple[list[str], int]:
    """Body paragraphs of every page in order, and the number of pages found."""
    tree = page.tree
    desktop = tree.css("div.article-content-body__item-page")
    if desktop:
        pages = sorted(desktop, key=lambda p: _page_number(p.attributes.get("data-page")))
        out = _pages_text(pages, "div.article-content-body__item-content")
        return out + (_live_updates(tree) if page.theme2025 else []), len(pages)
    mobile = tree.css(".article-content-body .article-content-body__item")
    if mobile:
        return _pages_text(mobile, ".article-raw-content"), len(mobile)
    old = _old_body(tree)
    if old and article_type == "photo":
        # A 2016 gallery: its description, then each photo's caption.
        old = unique([*old, *texts(tree, "figcaption.read-page--photo-gallery--item__caption")])
    if old:
        return old, 1
    if article_type == "photo":
        # A gallery's text is its description and then each photo's caption.
        description = first_text(
            tree, ".read-page--photo-tag--header__content, .article-short-desc"
        )
        captions = texts(tree, ".read-page--photo-tag--slider__top__item__caption")
        # A 2016 gallery without a text block: its figures' captions are its text.
        captions += texts(tree, "figcaption.read-page--photo-gallery--item__caption")
        captions += [
            clean_text(n.attributes.get("data-short-desc"))
            for n in tree.css(".article-gallery-slider__item")
        ]
        out = unique(t for t in (description, *captions) if t)
        return out, 1 if out else 0
    out = []
    for content in tree.css(".article-raw-content"):
        out.extend(_paragraphs(content))
    return out, 1 if out else 0


def _old_body(tree: LexborHTMLParser) -> list[str]:
    """The body of a 2016 (div.read-page__content-body) or 2015 (div.text-detail) page,
    whose paragraphs are often one <p> broken by <br><br>."""
    content = tree.css_first("div.read-page__content-body, div.text-detail")
    if content is None:
        return []
    return [p for p in _paragraphs(content, breaks=True) if not _LABEL_ONLY.match(p)]
