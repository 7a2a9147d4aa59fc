"""The 2025 ("neoliputan6") theme: the desktop body pages inside a new frame, a byline box
with its dates, a team box, live reports."""

from __future__ import annotations

import functools
import re
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from newscrawl.site.layouts.base import (
    ArticleLayout,
    breadcrumb_item_subsection,
    breadcrumb_link_subsection,
    byline,
)
from newscrawl.site.layouts.desktop import DesktopLayout, body_pages
from newscrawl.site.layouts.markup import container_paragraphs, first_text, texts
from newscrawl.site.layouts.pagedata import PageData

# The byline box dates: "Diterbitkan 15 September 2026, 15:00 WIB" and
# "Diperbarui"/"Diperbaharui ..." (the update), alone or both in one box.
_BOX_DATES = "span.read-page-box__author__updated, div.readpage__author__update > span"

_BOX_DATE_LABEL = re.compile(r"(?=\b(?:diterbitkan|diperbaharui|diperbarui)\b)", re.I)

_UPDATED_LABEL = re.compile(r"^(?:terakhir\s+)?diperba(?:ha)?rui\b", re.I)

# The 2025 theme's team box at the bottom of an article: people, a role, a team name.
_TEAM_ROLES = {
    "penulis": "authors",
    "reporter": "authors",
    "author": "authors",
    "wartawan": "authors",
    "editor": "editors",
    "redaktur": "editors",
    "penyunting": "editors",
    "fotografer": "photographers",
    "photographer": "photographers",
    "videografer": "photographers",
    "videographer": "photographers",
}

_TEAM_ROLE = re.compile(
    rf"^(?P<role>{'|'.join(_TEAM_ROLES)})\s*:\s*(?P<names>.+)$"
    rf"|^(?P<names2>.+?)\s*\((?P<role2>{'|'.join(_TEAM_ROLES)})\)$",
    re.I,
)


def box_dates(tree: LexborHTMLParser) -> tuple[str | None, str | None]:
    """The 2025 theme's byline box: its "Diterbitkan ..." and "Diperbarui ..." texts."""
    published = updated = None
    for text in texts(tree, _BOX_DATES):
        for part in _BOX_DATE_LABEL.split(text):
            part = part.strip()
            if not part:
                continue
            if _UPDATED_LABEL.match(part):
                updated = updated or part
            else:
                published = published or part
    return published, updated


def team_box(tree: LexborHTMLParser) -> dict[str, list[str]]:
    """People of the 2025 theme's team box by role ("team": named without one), and its
    desk credits ("Tim Redaksi")."""
    out: dict[str, list[str]] = {"credits": [], "team": []}
    for detail in tree.css(".read-page-box__author__team-detail"):
        name = first_text(detail, ".read-page-box__author__team-detail__name") or ""
        name_role = _TEAM_ROLES.get(name.strip(" :").lower())
        if not name_role:
            out["credits"].extend(byline(name).credits)
        for text in texts(detail, ".read-page-box__author__team-detail__people"):
            match = _TEAM_ROLE.match(text)
            role = name_role or "team"
            if match:
                role = _TEAM_ROLES[(match["role"] or match["role2"]).lower()]
                text = match["names"] or match["names2"]
            names = byline(text)
            out.setdefault(role, []).extend(names.people)
            out["credits"].extend(names.credits)
    return out


def live_updates(tree: LexborHTMLParser) -> list[str]:
    """A 2025-theme live report's updates after its lead: each one's title and text, page
    order (a guess from the theme's CSS names: no live report page is saved)."""
    out: list[str] = []
    for item in tree.css(".livereport--streamline__item"):
        title = first_text(item, ".livereport--streamline__title")
        if title:
            out.append(title)
        for content in item.css(".livereport--streamline__content"):
            out.extend(container_paragraphs(content))
    return out


class Theme2025Layout(ArticleLayout):
    """A page in the 2025 theme (its data layer's toggle, else its byline box) around the
    desktop header and body pages."""

    name = "theme-2025"
    header = title_css = "h1.read-page--header--title"
    author_links_css = "a.read-page-box__author__name"
    tags_css = "span.tags--snippet__name"
    top_media_css = ".read-page--top-media"
    gallery_css = ".read-page--photo-tag--slider__top__item__caption"
    gallery_description_css = ".read-page--photo-tag--header__content, .article-short-desc"
    gallery_captions_css = (
        ".read-page--photo-tag--slider__top__item__caption",
        "figcaption.read-page--photo-gallery--item__caption",
    )

    @classmethod
    def recognises(cls, page: PageData, walk: bool = True) -> bool:
        # The theme keeps the desktop headline: asked first, it spares older pages the walk
        # for the byline box.
        return DesktopLayout.recognises(page, walk) and page.theme2025

    @functools.cached_property
    def _dates(self) -> tuple[str | None, str | None]:
        return box_dates(self.tree)

    def summary(self) -> str | None:
        # The theme shows the summary under the title.
        return first_text(self.tree, "div.read-page--header--description")

    def published(self) -> list[tuple[str, Any]]:
        # Only a "Diterbitkan" date: a box showing just "Diperbarui" gives no publication
        # time (an old article re-served in the theme was updated years after it appeared).
        return [("visible-text", lambda: self._dates[0])]

    def updated(self) -> list[tuple[str, Any]]:
        return [("visible-text", lambda: self._dates[1])]

    def team(self, article_type: str) -> dict[str, list[str]]:
        team = team_box(self.tree)
        # The byline box of a photo gallery credits its photographer, as gtm.authors does.
        box_names = ", ".join(self.author_links())
        if article_type == "photo" and box_names and not self.page.gtm:
            team.setdefault("photographers", []).extend(byline(box_names).people)
        return team

    def writers(self, article_type: str, team: dict[str, list[str]]) -> str:
        box_names = "" if article_type == "photo" else ", ".join(self.author_links())
        return box_names or ", ".join(team.get("authors", []))

    def subsection(self, section: str | None) -> str | None:
        return breadcrumb_link_subsection(self.page, section) or breadcrumb_item_subsection(
            self.page, section
        )

    def body(self, article_type: str) -> tuple[list[str], int]:
        paragraphs, count = body_pages(self)
        if count:
            return paragraphs + live_updates(self.tree), count
        return super().body(article_type)
