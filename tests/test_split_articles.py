"""Split articles (?page=N): a page count the page claims is capped, and following stops
when the site serves a page again; the callbacks are called directly on rendered pages."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from scrapy.http import HtmlResponse, Request

from newscrawl.items import Article
from newscrawl.site.assemble import MAX_ARTICLE_PAGES, assemble
from tests.helpers import crawler_with
from tests.site import make_articles, render_article


@pytest.fixture
def split_article():
    """A two-page article served one page per response."""
    (article,) = [
        a
        for a in make_articles(
            40, start_day=date(2020, 5, 27), days=1, seed=4, multipage_ratio=1.0, split_pages=True
        )
        if a.pages == 2
    ][:1]
    return article


def response_of(article, page: int, claim: int | None = None) -> HtmlResponse:
    """Page ``page`` of the article as the site serves it, claiming ``claim`` pages."""
    html = render_article(article, page)
    if claim is not None:
        html = html.replace(
            f"window.kmklabs.multiplePageCount = {article.pages};",
            f"window.kmklabs.multiplePageCount = {claim};",
        )
    url = f"https://www.liputan6.com{article.path}" + (f"?page={page}" if page > 1 else "")
    return HtmlResponse(url, body=html.encode(), encoding="utf-8", request=Request(url))


def follow(spider, first: HtmlResponse, pages) -> tuple[list, list]:
    """Run parse_article then parse_more on the given later pages; (requests, items)."""
    out = spider.parse_article(first)
    requests = []
    for response in pages:
        (request,) = out
        requests.append(request)
        out = spider.parse_more(response, **request.cb_kwargs)
    return requests, out


def test_a_page_claiming_a_million_pages_is_followed_only_to_the_cap(tmp_path, split_article):
    crawler = crawler_with(tmp_path, NEWSCRAWL_RUN=False)
    spider = crawler.spider
    (request,) = spider.parse_article(response_of(split_article, 1, claim=1_000_000))
    assert request.cb_kwargs["article"].page_count == MAX_ARTICLE_PAGES
    assert crawler.stats.get_value("newscrawl/incomplete_article/page_count_capped") == 1


def test_following_stops_when_the_site_serves_a_page_again(tmp_path, split_article):
    crawler = crawler_with(tmp_path, NEWSCRAWL_RUN=False)
    spider = crawler.spider
    # The page claims 300 pages; past page 2 the site answers with page 2 again.
    first = response_of(split_article, 1, claim=300)
    second = response_of(split_article, 2, claim=300)
    requests, items = follow(spider, first, [second, second])
    (article,) = items
    assert len(requests) == 2  # pages 2 and 3 were asked for, not 300
    assert article.body == split_article.body  # page 2 joined once
    assert article.page_count == 2
    assert crawler.stats.get_value("newscrawl/incomplete_article/page_repeated") == 1


def test_a_real_split_article_is_joined_whole(tmp_path, split_article):
    crawler = crawler_with(tmp_path, NEWSCRAWL_RUN=False)
    requests, items = follow(
        crawler.spider, response_of(split_article, 1), [response_of(split_article, 2)]
    )
    (article,) = items
    assert len(requests) == 1
    assert dataclasses.asdict(article)["body"] == split_article.body
    assert article.page_count == 2
    assert not any("incomplete_article" in k for k in crawler.stats.get_stats())


def test_a_later_page_that_is_not_an_article_ends_the_article(tmp_path, split_article):
    crawler = crawler_with(tmp_path, NEWSCRAWL_RUN=False)
    first = response_of(split_article, 1, claim=5)
    url = first.url + "?page=2"
    junk = HtmlResponse(url, body=b"<html><body></body></html>", request=Request(url))
    requests, items = follow(crawler.spider, first, [junk])
    (article,) = items
    assert len(requests) == 1
    assert article.body == requests[0].cb_kwargs["article"].body  # the first page's text
    assert any(k.startswith("newscrawl/incomplete_article/") for k in crawler.stats.get_stats())


# ---- the assembler alone ----------------------------------------------------------------


def page(body: str | None, count: int | None = None) -> Article:
    return Article(article_id="1", body=body, page_count=count)


@pytest.mark.parametrize(
    ("first", "found", "later", "body", "page_count", "next_page", "capped", "repeated"),
    [
        # Whole in the first HTML (the pre-2021 site) or not split at all.
        (page("a", 2), 2, [], "a", 2, None, False, False),
        (page("a", None), 1, [], "a", None, None, False, False),
        (page("a", 3), 0, [], "a", 3, None, False, False),
        # One page per response: the next page, then the joined text.
        (page("a", 3), 1, [], "a", 3, 2, False, False),
        (page("a", 3), 1, [page("b")], "a\n\nb", 3, 3, False, False),
        (page("a", 3), 1, [page("b"), page("c")], "a\n\nb\n\nc", 3, None, False, False),
        # A page that gave no article (not an article, or failed) ends it.
        (page("a", 3), 1, [None], "a", 3, None, False, False),
        (page("a", 3), 1, [page("b"), None], "a\n\nb", 3, None, False, False),
        # A page without text is passed over.
        (page("a", 3), 1, [page(None)], "a", 3, 3, False, False),
        # The site serves a page again: the article ends at the page before.
        (page("a", 3), 1, [page("b"), page("b")], "a\n\nb", 2, None, False, True),
        (page("a", 3), 1, [page("a")], "a", 1, None, False, True),
        # A page count past the bound is cut to it.
        (page("a", 10**6), 1, [], "a", 4, 2, True, False),
        (page("a", 10**6), 1, [page("b"), page("c"), page("d")], None, 4, None, True, False),
        (page("a", 10**6), 6, [], "a", 6, None, True, False),
    ],
)
def test_assemble(first, found, later, body, page_count, next_page, capped, repeated):
    whole = assemble(first, found, later, max_pages=4)
    if body is not None:
        assert whole.article.body == body
    if whole.article.body != first.body:
        assert whole.article.word_count == len(whole.article.body.split())
    assert whole.article.page_count == page_count
    assert (whole.next_page, whole.capped, whole.repeated) == (next_page, capped, repeated)


def test_assemble_changes_nothing_in_place():
    first, second = page("a", 2), page("b")
    whole = assemble(first, 1, (second,))
    assert whole.article.body == "a\n\nb"
    assert (first.body, first.word_count, second.body) == ("a", None, "b")


def test_the_bound_is_the_one_every_caller_uses():
    whole = assemble(page("a", 10**6), 1)
    assert whole.capped and whole.article.page_count == MAX_ARTICLE_PAGES == 50
