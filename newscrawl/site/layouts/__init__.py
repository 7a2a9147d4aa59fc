"""Article layouts: one class per template the site has served, each reading its own markup
after the page's structured data, and the registry that picks one by what the page shows.

A new template is a new module here with its layout class, one line in LAYOUTS (before any
layout that would also recognise its pages), and its pages' expected output in tests. List
pages have their own layouts and registries in lists.py.
"""

from __future__ import annotations

from newscrawl.site.layouts.amp import AmpLayout
from newscrawl.site.layouts.base import ArticleLayout, Extracted, NotAnArticle
from newscrawl.site.layouts.desktop import DesktopLayout, HotLayout, VideoLayout
from newscrawl.site.layouts.desktop2015 import Desktop2015Layout
from newscrawl.site.layouts.desktop2016 import Desktop2016Layout
from newscrawl.site.layouts.mobile import MobileLayout
from newscrawl.site.layouts.pagedata import PageData
from newscrawl.site.layouts.photo import PhotoLayout
from newscrawl.site.layouts.theme2025 import Theme2025Layout

# The first layout that recognises a page reads it: a variant before its template (the 2025
# theme, video and hot. before the desktop markup they share, AMP before mobile), 2016 before
# 2015 (2016 pages keep 2015's div.text-detail).
LAYOUTS: tuple[type[ArticleLayout], ...] = (
    Theme2025Layout,
    VideoLayout,
    HotLayout,
    DesktopLayout,
    AmpLayout,
    MobileLayout,
    PhotoLayout,
    Desktop2016Layout,
    Desktop2015Layout,
)
# A page whose structured data says it is an article, in markup no layout knows: read from
# its structured data alone.
FALLBACK: type[ArticleLayout] = ArticleLayout
LAYOUT_NAMES = (*(layout.name for layout in LAYOUTS), FALLBACK.name)
# The article headers of every layout: with the page's own URL, an article page that has no
# structured data.
HEADERS = ", ".join(dict.fromkeys(layout.header for layout in LAYOUTS if layout.header))


def pick_layout(page: PageData) -> ArticleLayout:
    """The layout that reads the page: the first in LAYOUTS that recognises it, else FALLBACK.
    Headlines are asked of every layout before any evidence that needs a walk of the tree."""
    for walk in (False, True):
        for layout in LAYOUTS:
            if layout.recognises(page, walk):
                return layout(page)
    return FALLBACK(page)


__all__ = [
    "FALLBACK",
    "HEADERS",
    "LAYOUTS",
    "LAYOUT_NAMES",
    "ArticleLayout",
    "Extracted",
    "NotAnArticle",
    "PageData",
    "pick_layout",
]
