"""Split articles (?page=N): a page count the page claims is capped, and following stops
when the site serves a page again; the callbacks are called directly on rendered pages."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from scrapy.http import HtmlResponse, Request

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
    crawler = crawler_with(tmp_path, NEWSCRAWL_RUN=False, ARTICLE_MAX_PAGES=3)
    spider = crawler.spider
    (request,) = spider.parse_article(response_of(split_article, 1, claim=1_000_000))
    assert request.cb_kwargs["article"].page_count == 3
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
