"""Turn one saved or fetched Liputan6 page into one Article, or say why it is not one.

Structured data comes first (JSON-LD, ``article:*`` meta tags, the ``window.kmklabs``
data layer); the visible markup of each template (desktop, photo, mobile, AMP) is the
fallback. Nothing here fetches anything: the spider decides what to download.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from newscrawl.items import Article
from newscrawl.normalize.dates import parse_datetime
from newscrawl.normalize.text import clean_text, slugify, split_list, unique
from newscrawl.site.bylines import parse_byline, split_dateline
from newscrawl.site.loaders import ArticleLoader
from newscrawl.site.urls import ArticleRef, canonical_url, parse_article_url

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
_KMK_PREFIX = "window.kmklabs."
_KMK_ASSIGN = re.compile(r"window\.kmklabs\.(\w+)\s*=\s*")
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
_VIDEO_PROMO = re.compile(r"^(?:sak\w*|simak|tonton|lihat)\b.{0,40}\bvideo\b|^video pilihan", re.I)


@dataclass
class PageData:
    """What a page says about itself, read once: meta tags, JSON-LD and data layer."""

    tree: LexborHTMLParser
    meta: dict[str, str] = field(default_factory=dict)
    jsonld: dict[str, Any] | None = None
    kmk: dict[str, Any] = field(default_factory=dict)

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
    page = PageData(tree=tree, kmk=_read_kmklabs(html))
    # One walk of the tree finds the meta tags, the JSON-LD and what is not visible text.
    hidden, jsonld = [], []
    for node in tree.css(_META_AND_HIDDEN):
        attrs = node.attributes
        if node.tag != "meta":
            hidden.append(node)
            if node.tag == "script" and _is_jsonld_type(attrs.get("type")):
                jsonld.append(node)
            continue
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        if key and key not in page.meta:
            page.meta[key] = attrs["content"] or ""
    page.jsonld = _read_news_jsonld(jsonld)
    # Scripts and styles are read; from here on only visible text matters.
    for node in hidden:
        node.decompose(recursive=False)
    return page


_META_AND_HIDDEN = "meta[content], script, style, noscript, template"


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
    parts = []
    for child in node.traverse(include_text=True):
        tag = child.tag
        if tag == "-text":
            parts.append(child.text_content)
        elif tag in _BLOCKS:
            parts.append(" ")
    return clean_text("".join(parts))


def _read_kmklabs(html: str) -> dict[str, Any]:
    """The window.kmklabs.* assignments whose values are JSON literals or quoted strings."""
    out: dict[str, Any] = {}
    # str.find reaches each assignment faster than a regular expression scans for it.
    pos = html.find(_KMK_PREFIX)
    while pos >= 0:
        match = _KMK_ASSIGN.match(html, pos)
        pos = html.find(_KMK_PREFIX, match.end() if match else pos + 1)
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


def classify(page: PageData) -> None:
    """Raise NotAnArticle unless the page is an article page."""
    page_type = page.kmk.get("pageType")
    if isinstance(page_type, str) and page_type and page_type != "ReadPage":
        # Stats are named by reason: a page type the site never used gets one shared name.
        reason = _PAGE_TYPE_REASONS.get(page_type, "unknown page type")
        raise NotAnArticle(reason, f"window.kmklabs.pageType is {page_type!r}")
    if page_type == "ReadPage" or page.jsonld is not None:
        return
    if page.tree.css_first("article.articles--rows--item, article.articles--iridescent-list--item"):
        raise NotAnArticle("list page", "article list markup and no article metadata")
    # A page saved without its scripts still has the article header and its own URL.
    header = page.tree.css_first(
        "h1.read-page--header--title, h1.article-header__title, .read-page--photo-tag--header"
    )
    own_url = page.meta.get("og:url") or attr(page.tree, 'link[rel="canonical"]', "href")
    if header is not None and own_url and parse_article_url(own_url):
        return
    title = first_text(page.tree, "title") or "no title"
    raise NotAnArticle(
        "no article markup",
        f"no kmklabs ReadPage and no JSON-LD NewsArticle (title: {title[:80]!r})",
    )


def extract_article(
    html: str | bytes, url: str | None = None, *, now: datetime | None = None
) -> Article:
    """Extract one Article from a Liputan6 page; raise NotAnArticle with a reason otherwise.

    ``url`` is where the page was fetched from; the page's own og:url, JSON-LD and data
    layer win over it, so a saved file parses the same wherever it came from. ``now``
    is the clock for relative dates ("3 jam yang lalu").
    """
    return extract_article_pages(html, url, now=now)[0]


def extract_article_pages(
    html: str | bytes, url: str | None = None, *, now: datetime | None = None
) -> tuple[Article, int]:
    """Like extract_article, plus how many of the article's pages this HTML holds.

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
        raise NotAnArticle("truncated page", "the document ends before </body> and </html>")
    # The HTML parser's time grows with the square of nested containers: 50,000 nested
    # <div> take seconds. Real pages hold about a thousand <div> (at most 1,045 saved).
    # Counting "<" is twice as fast as counting "<div", and a page with no more "<" than
    # MAX_DIVS cannot have more <div> (real pages have a few thousand "<").
    if html.count("<") > MAX_DIVS and (divs := html.count("<div")) > MAX_DIVS:
        raise NotAnArticle("oversized page", f"{divs} <div> elements, more than {MAX_DIVS}")
    page = read_page(html)
    classify(page)
    return build_article(page, url, now=now)


def build_article(page: PageData, url: str | None = None, *, now=None) -> tuple[Article, int]:
    """Fill an Article from an article page; also return the number of body pages found."""
    loader = ArticleLoader()
    kmk_article, gtm, meta, jsonld = page.kmk_article, page.gtm, page.meta, page.jsonld or {}

    ref, canonical = _identity(page, url)
    if not ref.article_id.isdigit():
        raise NotAnArticle(
            "no article id", f"the data layer's id {ref.article_id!r} is not a number"
        )
    section = page.kmk_slug("channel") or ref.channel or slugify(meta.get("article:section2"))
    # Values computed here need no normalising: they are set on the item directly, and
    # the loader handles what comes from page text.
    direct = {
        "article_id": ref.article_id,
        "url": canonical,
        "section": section,
        "subsection": _subsection(page, section),
    }

    type_name = kmk_article.get("type") or gtm.get("type")
    article_type = _TYPE_NAMES.get(type_name or "")
    if article_type is None:
        slug = ref.slug or ""
        article_type = (
            "photo" if slug.startswith("foto-") else "video" if slug.startswith("video-") else None
        )
        if article_type is None:
            photo = page.tree.css_first(".read-page--photo-tag--header")
            article_type = "photo" if photo else "text"
    direct["type"] = article_type

    loader.add_first(
        "title",
        [
            _jsonld_text(jsonld.get("headline")),
            meta.get("og:title"),
            kmk_article.get("title"),
            lambda: first_text(
                page.tree,
                "h1.read-page--header--title, h1.article-header__title,"
                " h2.read-page--photo-tag--header__title",
            ),
        ],
    )

    direct.update(_add_dates(loader, page, now))
    _add_people(loader, page, article_type)

    loader.add_value(
        "summary",
        [
            kmk_article.get("shortDescription"),
            meta.get("og:description"),
            meta.get("description"),
            _jsonld_text(jsonld.get("description")),
        ],
    )

    loader.add_value("tags", _tags(page))
    _add_image(loader, page, jsonld)

    paragraphs, pages_found = _body(page, article_type)
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
    return article, pages_found


def _identity(page: PageData, url: str | None) -> tuple[ArticleRef, str | None]:
    """The article's id, channel and slug, and its canonical URL, from the page first."""
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
    refs = []
    for candidate in candidates:
        ref = parse_article_url(candidate() or "")
        # The data layer's id is the truth; ignore URLs that point at another article.
        if ref is None or (kmk_id and ref.article_id != kmk_id):
            continue
        refs.append(ref)
        if ref.channel and ref.slug:
            break  # the most trusted complete URL: no need to read the others
    if not refs and not kmk_id:
        raise NotAnArticle("no article id", "no id in the data layer, og:url, JSON-LD or URL")
    article_id = kmk_id or refs[0].article_id
    channel = next((r.channel for r in refs if r.channel), None) or page.kmk_slug("channel")
    slug = next((r.slug for r in refs if r.slug), None) or page.gtm.get("articleTitle")
    canonical = None
    if channel:
        canonical = canonical_url(
            f"https://www.liputan6.com/{channel}/read/{article_id}/{slug or ''}"
        )
    return ArticleRef(article_id, channel, slug), canonical


def _subsection(page: PageData, section: str | None) -> str | None:
    """The sub-channel slug: kmklabs.category, else the article:section3 meta tag."""
    category = page.kmk_slug("category")
    if category:
        parts = category.strip("/").split("/")
        return parts[1] if len(parts) > 1 and parts[1] != section else None
    sub = page.gtm.get("subSubCategory")
    if sub and sub != section:
        return sub
    sub_name = page.meta.get("article:section3")
    if (
        sub_name
        and slugify(sub_name) != section
        and slugify(sub_name) != slugify(page.meta.get("article:section2"))
    ):
        return slugify(sub_name)
    return None


def _add_dates(loader: ArticleLoader, page: PageData, now) -> dict[str, str]:
    """Pick the first parseable publication and modification dates, most trusted first.

    The loader gets the dates; the raw text and source of each are returned.
    """
    tree, meta, jsonld = page.tree, page.meta, page.jsonld or {}
    published = [
        ("jsonld", jsonld.get("datePublished")),
        ("meta", meta.get("article:published_time")),
        ("datalayer", page.kmk_article.get("publishDate")),
        (
            "time-attr",
            lambda: attr(
                tree,
                "time.read-page--header--author__datetime,"
                " time.read-page--photo-tag--header__datetime",
                "datetime",
            ),
        ),
        (
            "visible-text",
            lambda: first_text(
                tree, "span.article-header__datetime, time.read-page--header--author__datetime"
            ),
        ),
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
                found[f"{name}_source"] = source
                break
    return found


def _add_people(loader: ArticleLoader, page: PageData, article_type: str) -> None:
    """Writers, editors, photographers and desk credits, from the data layer first."""
    tree, gtm = page.tree, page.gtm
    links = texts(tree, ".article-header__authors a.article-header__author-link")
    # Mobile and AMP bylines are separate links that the page's CSS joins with ", ".
    byline_raw = ("Oleh " + ", ".join(links)) if links else None
    byline_raw = byline_raw or first_text(
        tree, "span.read-page--header--author__name, .read-page--photo-tag--header__credits"
    )
    jsonld_author = page.jsonld.get("author") if page.jsonld else None
    if isinstance(jsonld_author, list):
        jsonld_names = ", ".join(n for n in (_jsonld_text(a) for a in jsonld_author) if n)
    else:
        jsonld_names = _jsonld_text(jsonld_author)
    loader.add_value("byline_raw", [byline_raw, jsonld_names])

    gtm_authors = gtm.get("authors") if isinstance(gtm.get("authors"), dict) else {}
    role = gtm_authors.get("type")
    if gtm:
        # The data layer names every writer; the visible byline only the first.
        writers = gtm.get("reporters") or (gtm_authors.get("names") if role == "author" else "")
        photo_names = gtm_authors.get("names") if role == "photographer" else ""
    else:
        writers = (
            ", ".join(texts(tree, ".read-page--credits__item .read-page--credits__popover-name"))
            or ", ".join(texts(tree, "a.article-header__author-link"))
            or ", ".join(texts(tree, "span.read-page--header--author__name"))
            or jsonld_names
            or ""
        )
        photo_names = ""
    byline = _byline(writers)
    photo = _byline(photo_names)
    editors = _byline(gtm.get("editors"))
    photographers = [*photo.people, *_byline(gtm.get("photographers")).people]
    credits = [*byline.credits, *photo.credits]
    editor_names = list(editors.people)
    if article_type == "photo":
        labels = texts(tree, ".read-page--photo-tag--header__credits-label")
        users = texts(tree, ".read-page--photo-tag--header__credits-user")
        for label, user in zip(labels, users, strict=False):
            names = _byline(user)
            target = editor_names if "editor" in label.lower() else photographers
            target.extend(names.people)
            credits.extend(names.credits)
    loader.add_value("authors", byline.people)
    loader.add_value("editors", editor_names)
    loader.add_value("photographers", photographers)
    loader.add_value("credits", credits)


def _tags(page: PageData) -> list[str]:
    """Tags in the order the page shows them; the data layer or keywords as fallback."""
    for css in ("span.tags--snippet__name", "a.tags--topics--item__link", "a.tags__list-item-link"):
        visible = texts(page.tree, css)
        if visible:
            return visible
    tags = split_list(page.gtm.get("tag"), "|")
    if tags:
        return tags
    return split_list(page.meta.get("keywords") or page.kmk_article.get("keywords"), ",")


def _add_image(loader: ArticleLoader, page: PageData, jsonld: dict[str, Any]) -> None:
    """Lead image and its caption."""
    tree = page.tree
    top = tree.css_first(".read-page--top-media")
    # Fallbacks are functions, read only when the candidates before them give nothing.
    loader.add_first(
        "image_url",
        [
            page.meta.get("og:image"),
            _jsonld_text(jsonld.get("image")),
            lambda: attr(top, "figure", "data-image") if top else None,
            lambda: attr(tree, ".article-photo-gallery--item_full", "data-image"),
        ],
    )
    loader.add_first(
        "image_caption",
        [
            lambda: (
                first_text(top, "figcaption.read-page--photo-gallery--item__caption")
                if top
                else None
            ),
            lambda: attr(top, "figure", "data-description") if top else None,
            lambda: first_text(tree, ".read-page--photo-tag--slider__top__item__caption"),
            lambda: attr(tree, ".article-gallery-slider__item", "data-short-desc"),
            # Mobile and AMP lead photo.
            lambda: attr(tree, ".article-photo-gallery--item_full", "data-description"),
            lambda: first_text(
                tree, ".article-photo-gallery--item_full .article-photo-gallery--item__description"
            ),
        ],
    )


def _is_noise(node: LexborNode) -> bool:
    """True for related-link boxes, ads, embeds and captions inside the body."""
    attrs = node.attributes
    classes = attrs.get("class") or ""
    if any(c in classes for c in _NOISE_CLASSES):
        return True
    return (attrs.get("id") or "").startswith("div-gpt-ad")


def _paragraphs(container: LexborNode) -> list[str]:
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
            out.extend(_block(node))
    end_run()
    return out


def _block(node: LexborNode) -> list[str]:
    """The paragraphs of one block element of the body."""
    tag = node.tag
    if tag in ("ul", "ol"):
        return [t for t in (node_text(li) for li in node.iter() if li.tag == "li") if t]
    if tag == "p" and node.attributes.get("class"):
        return []  # classed <p> are captions and widgets, not copy
    if tag == "blockquote" and node.css_first("p, div"):
        return _paragraphs(node)
    if tag in ("p", "h2", "h3", "h4", "h5", "li", "blockquote"):
        text = node_text(node)
        return [text] if text else []
    if tag == "div" and not node.attributes.get("class"):
        return _paragraphs(node)
    return []


def _page_title(item: LexborNode) -> str | None:
    """A body page's own title, unless it only announces a video."""
    title = first_text(item, "h2.article-content-body__item-title")
    if title and len(title) < 80 and _VIDEO_PROMO.search(title):
        return None
    return title


def _pages_text(items: list[LexborNode], content_css: str) -> list[str]:
    """Title and paragraphs of each body page, in the order given."""
    out: list[str] = []
    for item in items:
        title = _page_title(item)
        if title:
            out.append(title)
        for content in item.css(content_css):
            out.extend(_paragraphs(content))
    return out


def _body(page: PageData, article_type: str) -> tuple[list[str], int]:
    """Body paragraphs of every page in order, and the number of pages found."""
    tree = page.tree
    desktop = tree.css("div.article-content-body__item-page")
    if desktop:
        pages = sorted(desktop, key=lambda p: _page_number(p.attributes.get("data-page")))
        return _pages_text(pages, "div.article-content-body__item-content"), len(pages)
    mobile = tree.css(".article-content-body .article-content-body__item")
    if mobile:
        return _pages_text(mobile, ".article-raw-content"), len(mobile)
    if article_type == "photo":
        # A gallery's text is its description and then each photo's caption.
        description = first_text(
            tree, ".read-page--photo-tag--header__content, .article-short-desc"
        )
        captions = texts(tree, ".read-page--photo-tag--slider__top__item__caption")
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
