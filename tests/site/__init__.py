"""A local copy of liputan6.com for end-to-end crawl tests and benchmarks.

Standard library only (saved pages need newscrawl.site). Every page is written by the
functions below for the project; none is a copy of a real page. ``LocalSite`` serves
synthetic articles (``make_articles``) in the site's real desktop markup on 127.0.0.1, with the
real URL shapes:

* ``/{channel}/read/{id}/{slug}[?page=N]`` (the id is global: any channel, any slug works),
  also ``/read/{id}/{slug}`` (old sub-domain path) and ``/amp/{id}/{slug}`` (redirect target);
* ``/{channel}`` (the channel's latest 30 articles, newest first);
* ``/{channel}/indeks/YYYY/MM/DD?page=N`` and ``/indeks/YYYY/MM/DD?page=N`` (one WIB day,
  newest first, ``per_page`` items; a page past the end is a 200 page with no items);
* ``/tag/{slug}?page=N`` (the articles carrying that tag, newest first, ``per_page`` items;
  a tag no article carries is a 404);
* ``/robots.txt``; anything else is a 404.

``theme`` picks the markup of articles and list pages: "2019" (the
default) is the 2019–2022 desktop markup SITE.md describes; "2025" is the "neoliputan6" theme
the live site serves every article in since 2025 (../shared/liputan6/ERAS.md section 1, after
the real 2026 pages in ../shared/liputan6/eras/): a JSON-LD array [NewsArticle,
BreadcrumbList] with authors as Person objects at /author/{slug}, ``window.kmklabs`` with
``toggle.liputan62025Theme`` and the theme's data-layer keys, no ``article:section*`` meta;
the byline box ``div.read-page-box-top`` with the dates as text only ("Diterbitkan 15
September 2026, 15:00 WIB", minutes, no seconds), the summary under the title, every body
page unhidden, "Advertisement" placeholders inside the text, ``div.baca-juga-collections``,
the team box at the bottom; list items ``article.articles--iridescent-list--{type}-item``
with ``data-article-id`` on channel fronts (after a ``.headline--bottom-slider``), tag and
indeks pages. Same articles, URLs and faults in both themes (render_article_2025,
render_channel_page_2025, render_indeks_page_2025, render_tag_page_2025).
``raw_pages`` serves given bytes (malformed pages, say) as the pages of given article ids,
which the indeks still lists as usual.

How the site has changed or refused under a crawler, each a constructor option:
``list_markup="redesign"`` serves the list pages (indeks pages, channel fronts, tag pages) in a
markup no theme ever used (render_channel_page_redesign, render_indeks_page_redesign,
render_tag_page_redesign): the same
articles and pagination, so a loose link scan finds them but no known list selector does;
``archive_ignores_date=True`` makes every indeks date list the newest day's articles (as
the real site-wide /indeks/YYYY/MM/DD did in 2026 without ?start=&end=);
``redirect_share`` answers a deterministic share of article pages with a 301 to another
listed article of the same channel and day (``LocalSite.redirected`` names them), which
a crawler also requests, so its duplicate filter drops the redirect.

How the site changes between visits, for crawls that come back: ``now`` sets the site's
clock (articles published later are 404 and in no list), ``LocalSite.edit`` gives an
article a new version from a given time on, and ``validators`` sends ETag and/or
Last-Modified on article pages and answers a matching conditional GET with a 304.

Pages link with ABSOLUTE ``https://www.liputan6.com/...`` URLs, as the real site does: a
crawler under test must rewrite them onto ``LocalSite.base_url``. Faults (errors, throttling,
slow answers, redirects, truncated bodies, block and challenge pages, connection resets) are
configured per path prefix; /robots.txt gets only a fault that names it, so
``Fault("/", "block", status=403)`` refuses every page but robots.txt.

The package, by concern: ``articles`` (channels, ``FakeArticle``, ``make_articles``),
``theme2019`` and ``theme2025`` (each theme's pages), ``redesign`` (list pages in an unknown
markup), ``faults`` (``Fault``), ``requestlog`` (``RequestLog``), ``saved`` (saved real
pages), ``server`` (``LocalSite``). `newscrawl demo` has its own small site,
newscrawl/demo_site.py.
"""

from __future__ import annotations

from tests.site.articles import (
    CHANNELS,
    DEFAULT_CHANNELS,
    FIRST_ID,
    WIB,
    WWW,
    ChannelInfo,
    FakeArticle,
    channel_info,
    make_articles,
)
from tests.site.faults import FAULT_KINDS, ROBOTS_TXT, Fault
from tests.site.redesign import (
    render_channel_page_redesign,
    render_indeks_page_redesign,
    render_tag_page_redesign,
)
from tests.site.requestlog import Request, RequestLog
from tests.site.saved import load_shared_articles, shared_html_dir
from tests.site.server import HTML_TYPE, LIST_MARKUPS, THEMES, VALIDATORS, LocalSite
from tests.site.theme2019 import (
    indeks_url,
    render_article,
    render_block_page,
    render_challenge_page,
    render_channel_page,
    render_indeks_page,
    render_tag_page,
    tag_url,
)
from tests.site.theme2025 import (
    render_article_2025,
    render_channel_page_2025,
    render_indeks_page_2025,
    render_tag_page_2025,
)

__all__ = [
    "CHANNELS",
    "DEFAULT_CHANNELS",
    "FAULT_KINDS",
    "FIRST_ID",
    "HTML_TYPE",
    "LIST_MARKUPS",
    "ROBOTS_TXT",
    "THEMES",
    "VALIDATORS",
    "WIB",
    "WWW",
    "ChannelInfo",
    "FakeArticle",
    "Fault",
    "LocalSite",
    "Request",
    "RequestLog",
    "channel_info",
    "indeks_url",
    "load_shared_articles",
    "make_articles",
    "render_article",
    "render_article_2025",
    "render_block_page",
    "render_challenge_page",
    "render_channel_page",
    "render_channel_page_2025",
    "render_channel_page_redesign",
    "render_indeks_page",
    "render_indeks_page_2025",
    "render_indeks_page_redesign",
    "render_tag_page",
    "render_tag_page_2025",
    "render_tag_page_redesign",
    "shared_html_dir",
    "tag_url",
]
