"""The local copy of liputan6.com (newscrawl.localsite, shipped for `newscrawl demo`), with
the saved real pages of the shared folder as the tests find them."""

from __future__ import annotations

from pathlib import Path

from newscrawl import localsite
from newscrawl.localsite import (
    CHANNELS,
    DEFAULT_CHANNELS,
    FAULT_KINDS,
    FIRST_ID,
    HTML_TYPE,
    LIST_MARKUPS,
    ROBOTS_TXT,
    THEMES,
    VALIDATORS,
    WIB,
    WWW,
    ChannelInfo,
    FakeArticle,
    Fault,
    Request,
    RequestLog,
    channel_info,
    indeks_url,
    load_shared_articles,
    make_articles,
    render_article,
    render_article_2025,
    render_block_page,
    render_challenge_page,
    render_channel_page,
    render_channel_page_2025,
    render_channel_page_redesign,
    render_indeks_page,
    render_indeks_page_2025,
    render_indeks_page_redesign,
    render_tag_page,
    render_tag_page_2025,
    render_tag_page_redesign,
    tag_url,
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


def shared_html_dir() -> Path:
    """Where saved pages are: $NEWSCRAWL_SHARED_DIR/liputan6/html or ../shared/liputan6/html."""
    from tests.conftest import shared_liputan6

    return shared_liputan6() / "html"


class LocalSite(localsite.LocalSite):
    """newscrawl.localsite.LocalSite whose saved pages default to the shared folder's."""

    def __init__(self, *args, use_shared_pages: bool = False, shared_dir: Path | None = None, **kw):
        if use_shared_pages and shared_dir is None:
            shared_dir = shared_html_dir()
        super().__init__(*args, use_shared_pages=use_shared_pages, shared_dir=shared_dir, **kw)
