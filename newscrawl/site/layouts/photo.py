"""The 2019–2022 desktop photo gallery: read-page--photo-tag header, slider and credits."""

from __future__ import annotations

from newscrawl.site.layouts.base import ArticleLayout
from newscrawl.site.layouts.markup import texts

_HEADER = ".read-page--photo-tag--header"


class PhotoLayout(ArticleLayout):
    """A desktop photo gallery: its description and each photo's caption are its text."""

    name = "desktop-photo"
    evidence = header = _HEADER
    title_css = "h2.read-page--photo-tag--header__title"
    published_attr_css = "time.read-page--photo-tag--header__datetime"
    updated_attr_css = updated_text_css = "time.read-page--photo-tag--header__modified-time"
    byline_css = ".read-page--photo-tag--header__credits"
    tags_css = "span.tags--snippet__name"
    gallery_css = ".read-page--photo-tag--slider__top__item__caption"
    gallery_description_css = ".read-page--photo-tag--header__content"
    gallery_captions_css = (".read-page--photo-tag--slider__top__item__caption",)

    def markup_type(self) -> str | None:
        return "photo"

    def gallery_credits(self) -> list[tuple[str, str]]:
        labels = texts(self.tree, ".read-page--photo-tag--header__credits-label")
        users = texts(self.tree, ".read-page--photo-tag--header__credits-user")
        return list(zip(labels, users, strict=False))
