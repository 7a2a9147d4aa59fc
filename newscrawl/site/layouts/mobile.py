"""The mobile article (m.liputan6.com, 2019–2022): article-header, article-content-body items."""

from __future__ import annotations

from newscrawl.site.layouts.base import ArticleLayout
from newscrawl.site.layouts.markup import pages_text

_BODY_ITEMS = ".article-content-body .article-content-body__item"


class MobileLayout(ArticleLayout):
    """A mobile article; its photo galleries show a slider of captioned photos."""

    name = "mobile"
    heading = "article-header__title"
    evidence = ".article-content-body__item"
    header = title_css = "h1.article-header__title"
    published_text_css = "span.article-header__datetime"
    updated_text_css = ".article-header__modified-time"
    author_links_css = "a.article-header__author-link"
    tags_css = "a.tags--topics--item__link"
    gallery_css = ".article-gallery-slider__item, .article-photo-gallery--item_full"
    gallery_description_css = ".article-short-desc"
    gallery_short_desc_css = ".article-gallery-slider__item"

    def body(self, article_type: str) -> tuple[list[str], int]:
        items = self.tree.css(_BODY_ITEMS)
        if items:
            return pages_text(items, ".article-raw-content"), len(items)
        return super().body(article_type)
