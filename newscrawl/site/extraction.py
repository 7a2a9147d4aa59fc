"""Turn one saved or fetched Liputan6 page into one Article, or say why it is not one.

The front of extraction: the checks every page passes first (empty, cut off, oversized, not an
article page), then the layout the page shows (newscrawl.site.layouts) reads it, structured
data first (JSON-LD, ``article:*`` meta tags, the data layer), its template's markup second.
Nothing here fetches anything: the spider decides what to download.
"""

from __future__ import annotations

import re
from datetime import datetime

from newscrawl.items import Article
from newscrawl.site.layouts import HEADERS, pick_layout
from newscrawl.site.layouts.base import SOURCE_KINDS, SOURCED_FIELDS, Extracted, NotAnArticle
from newscrawl.site.layouts.markup import attr, first_text, node_text, texts
from newscrawl.site.layouts.pagedata import PageData, plain_text, plain_values, read_page
from newscrawl.site.urls import parse_article_url

__all__ = [
    "MAX_DIVS",
    "SOURCED_FIELDS",
    "SOURCE_KINDS",
    "Extracted",
    "NotAnArticle",
    "PageData",
    "attr",
    "build_article",
    "classify",
    "extract_article",
    "extract_article_pages",
    "first_text",
    "node_text",
    "plain_text",
    "plain_values",
    "read_page",
    "texts",
    "without_structured_data",
]

# kmklabs page types that are lists or other non-article pages.
_PAGE_TYPE_REASONS = {
    "ChannelPage": "channel page",
    "TagPage": "tag page",
    "IndeksPage": "indeks page",
    "HomePage": "home page",
    "AuthorPage": "author page",
    "SearchPage": "search page",
}


MAX_DIVS = 20_000


# How an HTML document opens, one of these within its first 4 KB.
_HTML_START = ("<!doctype", "<html", "<head", "<body", "<meta", "<title")


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
    header = page.tree.css_first(HEADERS)
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
    """Fill an Article from an article page by the layout it shows, with the body pages
    found and field sources."""
    return pick_layout(page).read(url, now=now)
