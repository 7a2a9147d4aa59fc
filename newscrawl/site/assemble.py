"""A split article made whole from its pages: the one assembler the spider, `reextract` and
`import-warc` share, with the one bound on how many pages are followed."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import NamedTuple

from newscrawl.items import Article

# Pages of one split article followed at most, whatever the page claims: real ones have a
# few, and a page claiming a million must not cost a million requests.
MAX_ARTICLE_PAGES = 50


class Assembled(NamedTuple):
    """The article from the pages read so far, and what comes next."""

    article: Article
    next_page: int | None
    """The page to read next (``?page=N``); None: the article is whole, or ends here."""
    capped: bool
    """The first page claims more pages than MAX_ARTICLE_PAGES (page_count is cut to it)."""
    repeated: bool
    """The last page read repeats the text so far (past its end the site serves a page
    again): the article ends at the page before, and page_count says so."""


def assemble(
    first: Article,
    pages_found: int,
    later: Sequence[Article | None] = (),
    *,
    max_pages: int = MAX_ARTICLE_PAGES,
) -> Assembled:
    """The article whose first response held ``pages_found`` of its pages, with ``later``
    (pages ``pages_found + 1`` onwards, in order; None for one that gave no article, which
    ends it) joined to its body. Pure: ``first`` and the pages are never changed."""
    article = first
    claimed = first.page_count or 0
    capped = claimed > max_pages
    if capped:
        article = dataclasses.replace(article, page_count=max(max_pages, pages_found))
    last = article.page_count or 0
    body = article.body
    page = pages_found
    for page, more in enumerate(later, start=pages_found + 1):
        if more is None:
            return Assembled(_with_body(article, body), None, capped, False)
        if more.body and (body or "").endswith(more.body):
            whole = dataclasses.replace(_with_body(article, body), page_count=page - 1)
            return Assembled(whole, None, capped, True)
        if more.body:
            body = f"{body}\n\n{more.body}" if body else more.body
    article = _with_body(article, body)
    if not pages_found or page >= last:
        return Assembled(article, None, capped, False)
    return Assembled(article, page + 1, capped, False)


def _with_body(article: Article, body: str | None) -> Article:
    """The article with this body (and its word count), the same object when unchanged."""
    if body == article.body:
        return article
    return dataclasses.replace(article, body=body, word_count=len(body.split()) if body else 0)
