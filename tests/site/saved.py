"""Saved real article pages served beside the synthetic ones."""

from __future__ import annotations

from pathlib import Path

from tests.site.articles import WIB, FakeArticle


def load_shared_articles(folder: Path) -> list[tuple[FakeArticle, bytes]]:
    """Saved article pages in folder, each with what newscrawl.site.extraction reads from it.

    Pages that are not articles, or lack an id, channel or publication time, are left out;
    of several files of one article the first (by name) is kept.
    """
    from newscrawl.site.extraction import NotAnArticle, extract_article  # only this mode needs it
    from newscrawl.site.urls import parse_article_url

    out: list[tuple[FakeArticle, bytes]] = []
    seen: set[str] = set()
    for path in sorted(folder.glob("*.html")) if folder.is_dir() else []:
        raw = path.read_bytes()
        if b"ReadPage" not in raw and b"NewsArticle" not in raw:
            continue
        try:
            art = extract_article(raw)
        except NotAnArticle:
            continue
        ref = parse_article_url(art.url or "")
        if (
            not (art.article_id and art.section and art.published_at and ref)
            or art.article_id in seen
        ):
            continue
        seen.add(art.article_id)
        published = art.published_at.astimezone(WIB)
        fake = FakeArticle(
            article_id=art.article_id,
            channel=art.section,
            subchannel=art.subsection,
            day=published.date(),
            slug=ref.slug or "",
            title=art.title or "",
            authors=list(art.authors),
            tags=list(art.tags),
            paragraphs=(art.body or "").split("\n\n"),
            published=published,
            modified=art.updated_at.astimezone(WIB) if art.updated_at else None,
            type=art.type if art.type in ("text", "photo", "video") else "text",  # type: ignore[arg-type]
            pages=art.page_count or 1,
            editors=list(art.editors),
            dateline=art.dateline,
        )
        out.append((fake, raw))
    return out


def shared_html_dir() -> Path:
    """Where saved pages are: $NEWSCRAWL_SHARED_DIR/liputan6/html or ../shared/liputan6/html."""
    from tests.helpers import shared_liputan6  # tests.helpers imports this package

    return shared_liputan6() / "html"
