"""List pages in a markup no theme ever used, for crawlers meeting unknown markup."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from tests.site.articles import WWW, FakeArticle, channel_info
from tests.site.theme2019 import _NAV_CHANNELS, _list_time, _tag_title, _text, indeks_url, tag_url
from tests.site.theme2025 import _MONTHS_FULL_ID

# ---------------------------------------------------------------------------------------
# Rendering: a redesign of the list pages that no theme ever used
# ---------------------------------------------------------------------------------------
# For tests of a crawler meeting list markup it does not know: div.feed-2027 of
# div.card-2027 items, a pager and a trending box, none of the classes, ids or data
# attributes of the 2019 or 2025 list markup (no <article>, no data-article-id, no
# #indeks-articles, no articles--* or simple-pagination classes, no window.kmklabs).


def _card_redesign(a: FakeArticle) -> str:
    """One card: the article's link and its time (data-ts: Unix seconds)."""
    return (
        f'<div class="card-2027"><a class="card-2027__link" href="{a.url}">'
        f"{_text(a.title)}</a>"
        f'<span class="card-2027__when" data-ts="{int(a.published.timestamp())}">'
        f"{_list_time(a.published)}</span></div>\n"
    )


def _page_redesign(title: str, heading: str, feed: str, cards: str, after: str) -> str:
    """The redesigned document around a feed of cards."""
    links = "".join(
        f'<a class="topbar-2027__link" href="{WWW}/{c}">{channel_info(c).name}</a>'
        for c in _NAV_CHANNELS
    )
    return (
        '<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8">'
        f"<title>{_text(title)}</title>"
        '<meta property="og:site_name" content="Liputan6.com"></head>'
        f'<body class="app-2027"><header class="topbar-2027"><nav>{links}</nav></header>\n'
        f'<main class="feed-2027" data-feed="{feed}">'
        f'<h1 class="feed-2027__heading">{_text(heading)}</h1>\n'
        + cards
        + "</main>\n"
        + after
        + "</body></html>\n"
    )


def render_channel_page_redesign(channel: str, articles: Sequence[FakeArticle]) -> str:
    """A channel front in the redesign: a feed of cards of the given articles, in order."""
    info = channel_info(channel)
    return _page_redesign(
        f"Berita {info.name} Terkini Hari Ini - Liputan6.com",
        info.name,
        "channel",
        "".join(_card_redesign(a) for a in articles),
        "",
    )


def render_indeks_page_redesign(
    channel: str | None,
    day: date,
    items: Sequence[FakeArticle],
    page: int,
    has_next: bool,
    *,
    popular: Sequence[FakeArticle] = (),
) -> str:
    """An indeks page in the redesign: a feed of cards of ``items``, a pager (rel=prev,
    rel=next, same URLs as the themes' pagination) and a trending box of ``popular``."""
    name = channel_info(channel).name if channel else "Semua Kanal"
    pager = ""
    if page > 1:
        pager += (
            f'<a class="pager-2027__prev" rel="prev" href="{indeks_url(channel, day, page - 1)}">'
        )
        pager += "Sebelumnya</a>"
    if has_next:
        pager += (
            f'<a class="pager-2027__next" rel="next" href="{indeks_url(channel, day, page + 1)}">'
        )
        pager += "Berikutnya</a>"
    trending = "".join(
        f'<a class="trending-2027__link" href="{a.url}">{_text(a.title)}</a>' for a in popular
    )
    return _page_redesign(
        f"Indeks Berita {name} - Liputan6.com",
        f"Indeks {name}, {day.day} {_MONTHS_FULL_ID[day.month - 1]} {day.year}",
        "indeks",
        "".join(_card_redesign(a) for a in items) + f'<nav class="pager-2027">{pager}</nav>',
        f'<aside class="trending-2027">{trending}</aside>\n',
    )


def render_tag_page_redesign(
    name: str, slug: str, items: Sequence[FakeArticle], page: int, has_next: bool
) -> str:
    """A tag page in the redesign: a feed of cards of ``items`` and a pager (rel=prev,
    rel=next, same URLs as the themes' paging links)."""
    pager = ""
    if page > 1:
        pager += f'<a class="pager-2027__prev" rel="prev" href="{tag_url(slug, page - 1)}">'
        pager += "Sebelumnya</a>"
    if has_next:
        pager += f'<a class="pager-2027__next" rel="next" href="{tag_url(slug, page + 1)}">'
        pager += "Berikutnya</a>"
    return _page_redesign(
        _tag_title(name),
        name,
        "tag",
        "".join(_card_redesign(a) for a in items) + f'<nav class="pager-2027">{pager}</nav>',
        "",
    )
