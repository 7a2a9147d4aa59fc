"""What a page says about itself, read once: meta tags, JSON-LD and the data layer
(``window.kmklabs``, 2016's ``window.info``). Every layout reads structured data from here."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

_KMK_PREFIX = "window.kmklabs."

_KMK_ASSIGN = re.compile(r"window\.kmklabs\.(\w+)\s*=\s*")

# 2016 pages name their data layer window.info (pageType, channel, category, article, gtm).
_INFO_PREFIX = "window.info."

_INFO_ASSIGN = re.compile(r"window\.info\.(\w+)\s*=\s*")

_SINGLE_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")

_JSON = json.JSONDecoder(strict=False)


@dataclass
class PageData:
    """What a page says about itself, read once: meta tags, JSON-LD and data layer."""

    tree: LexborHTMLParser
    meta: dict[str, str] = field(default_factory=dict)
    jsonld: dict[str, Any] | None = None
    kmk: dict[str, Any] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)
    """window.info.*: the 2016 pages' data layer (the same keys as window.kmklabs)."""

    shows: dict[str, bool] = field(default_factory=dict, repr=False)
    """Whether the page has a node matching a selector, by selector (has(), asked once)."""

    def has(self, css: str) -> bool:
        """True when a node matches css; each selector walks the tree once per page (layouts
        ask for the same evidence)."""
        found = self.shows.get(css)
        if found is None:
            found = self.shows[css] = self.tree.css_first(css) is not None
        return found

    @functools.cached_property
    def h1_classes(self) -> frozenset[str]:
        """The classes of the page's <h1> elements: most templates name themselves there
        (lexbor's tag index finds them without a walk of the tree)."""
        return frozenset(
            name
            for node in self.tree.tags("h1")
            for name in (node.attributes.get("class") or "").split()
        )

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


def jsonld_text(obj: Any) -> str | None:
    """A JSON-LD value as text: strings as they are, {"name": ...} objects by name."""
    if isinstance(obj, dict):
        obj = obj.get("name") or obj.get("@id") or obj.get("url")
    if isinstance(obj, list):
        obj = obj[0] if obj else None
    return obj if isinstance(obj, str) else None
