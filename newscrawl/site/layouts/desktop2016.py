"""The 2016 desktop article: read-page--header__* (single underscore), read-page__content-body,
the window.info data layer; paragraphs often one <p> broken by <br><br>."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from newscrawl.normalize.text import unique
from newscrawl.site.layouts.base import ArticleLayout, breadcrumb_item_subsection
from newscrawl.site.layouts.markup import attr, container_paragraphs, texts
from newscrawl.site.layouts.pagedata import PageData

# The article type, named only in the cache keys of the markup:
# data-cache-key="liputan6.com:bump:xhp_desktop__read_page_TextTypeArticle#2436773_…".
_CACHE_KEY_TYPE = re.compile(r"_(TextTypeArticle|PhotoGallery|VideoGallery)#\d+")
# A paragraph that only labels the related-links box after it ("<p>Baca Juga</p>").
_LABEL_ONLY = re.compile(r"^baca juga\s*:?$", re.I)
_CAPTIONS = "figcaption.read-page--photo-gallery--item__caption"


def old_body(layout: ArticleLayout, css: str) -> list[str]:
    """The paragraphs of a 2015–2016 body container (``css``), <br><br> apart."""
    content = layout.tree.css_first(css)
    if content is None:
        return []
    return [p for p in container_paragraphs(content, breaks=True) if not _LABEL_ONLY.match(p)]


class Desktop2016Layout(ArticleLayout):
    """A 2016 desktop article or photo gallery (its figures' captions are its text)."""

    name = "desktop-2016"
    heading = "read-page--header__title"
    evidence = "div.read-page__content-body"
    header = "h1.read-page--header__title"
    title_css = "h1.read-page--header__title"
    published_attr_css = published_text_css = "time.read-page--header__datetime"
    # "By <span>Name</span>"
    byline_css = writer_css = "span.read-page--header__author"
    credits_box = True
    tags_css = "a.read-page--tags__link"
    gallery_captions_css = (_CAPTIONS,)

    @classmethod
    def recognises(cls, page: PageData, walk: bool = True) -> bool:
        return bool(page.info) or super().recognises(page, walk)

    def declared_type(self) -> str | None:
        match = _CACHE_KEY_TYPE.search(
            attr(self.tree, "article[data-cache-key]", "data-cache-key") or ""
        )
        return match[1] if match else None

    def top_media(self) -> LexborNode | None:
        # The lead photo: a one-figure gallery under the header (a page with the 2019
        # data layer has its lead media block instead).
        top = self.tree.css_first(".read-page--top-media")
        if top is None and not self.page.kmk:
            top = self.tree.css_first("div.read-page--photo-gallery")
        return top

    def subsection(self, section: str | None) -> str | None:
        return breadcrumb_item_subsection(self.page, section)

    def body(self, article_type: str) -> tuple[list[str], int]:
        paragraphs = old_body(self, "div.read-page__content-body, div.text-detail")
        if paragraphs and article_type == "photo":
            # A gallery: its description, then each photo's caption.
            paragraphs = unique([*paragraphs, *texts(self.tree, _CAPTIONS)])
        return (paragraphs, 1) if paragraphs else super().body(article_type)
