"""The 2019–2022 desktop article (www. and the channel subdomains), and the same template on
hot.liputan6.com and for video articles."""

from __future__ import annotations

from newscrawl.site.layouts.base import (
    ArticleLayout,
    breadcrumb_item_subsection,
    breadcrumb_link_subsection,
)
from newscrawl.site.layouts.markup import page_number, pages_text
from newscrawl.site.layouts.pagedata import PageData

# Every page of a split article, each a div with its number in data-page.
BODY_PAGES = "div.article-content-body__item-page"
BODY_CONTENT = "div.article-content-body__item-content"


def body_pages(layout: ArticleLayout) -> tuple[list[str], int]:
    """The text of every body page (div.article-content-body__item-page) in page order."""
    pages = layout.tree.css(BODY_PAGES)
    pages.sort(key=lambda p: page_number(p.attributes.get("data-page")))
    return pages_text(pages, BODY_CONTENT), len(pages)


class DesktopLayout(ArticleLayout):
    """The desktop article of 2019–2022: read-page--header, article-content-body pages."""

    name = "desktop"
    heading = "read-page--header--title"
    evidence = BODY_PAGES
    header = "h1.read-page--header--title, h1.entry-title"
    title_css = "h1.read-page--header--title"
    published_attr_css = published_text_css = "time.read-page--header--author__datetime"
    updated_attr_css = updated_text_css = "time.read-page--header--author__modified-time"
    byline_css = writer_css = "span.read-page--header--author__name"
    credits_box = True
    tags_css = "span.tags--snippet__name"
    top_media_css = ".read-page--top-media"

    def subsection(self, section: str | None) -> str | None:
        return breadcrumb_link_subsection(self.page, section) or breadcrumb_item_subsection(
            self.page, section
        )

    def body(self, article_type: str) -> tuple[list[str], int]:
        paragraphs, count = body_pages(self)
        return (paragraphs, count) if count else super().body(article_type)


class VideoLayout(DesktopLayout):
    """A desktop video article: the desktop template around a video, typed VideoGallery in
    the data layer (text articles embed videos too)."""

    name = "desktop-video"

    @classmethod
    def recognises(cls, page: PageData, walk: bool = True) -> bool:
        kind = page.kmk_article.get("type") or page.gtm.get("type")
        return kind == "VideoGallery" and DesktopLayout.recognises(page, walk)


class HotLayout(DesktopLayout):
    """hot.liputan6.com (celebrity news): the desktop template in the "hot" channel."""

    name = "hot"

    @classmethod
    def recognises(cls, page: PageData, walk: bool = True) -> bool:
        if not DesktopLayout.recognises(page, walk):
            return False
        if page.kmk_slug("channel") == "hot":
            return True
        canonical = page.tree.css_first('link[rel="canonical"]')
        stated = (
            page.meta.get("og:url"),
            canonical.attributes.get("href") if canonical is not None else None,
        )
        return any("//hot.liputan6.com/" in (url or "") for url in stated)
