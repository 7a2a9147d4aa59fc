"""The 2015 desktop article: h1.entry-title, div.by-author ("By Name on 18 Jun 2015 at 06:25
WIB"), div.text-detail; no structured data."""

from __future__ import annotations

from newscrawl.site.layouts.base import ArticleLayout
from newscrawl.site.layouts.desktop2016 import old_body
from newscrawl.site.layouts.markup import first_text


class Desktop2015Layout(ArticleLayout):
    """A 2015 desktop article."""

    name = "desktop-2015"
    evidence = "div.text-detail, div.by-author"
    header = title_css = "h1.entry-title"
    published_text_css = byline_css = "div.by-author"
    tags_css = "a.read-page--tags__link"

    def writers(self, article_type: str, team: dict[str, list[str]]) -> str:
        return first_text(self.tree, "div.by-author") or ""

    def body(self, article_type: str) -> tuple[list[str], int]:
        paragraphs = old_body(self, "div.text-detail")
        return (paragraphs, 1) if paragraphs else super().body(article_type)
