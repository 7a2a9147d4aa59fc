"""The spider's callbacks called directly on saved real responses: every saved article page of
../shared/liputan6, served as the site would serve it, gives the article its expected output
records (tests/fixtures/expected/), or the request for its next page carrying it; every saved
list page gives the requests its recorded listing implies (parse_channel: its front listing,
parse_index: its index listing and the day's next page), or nothing and a count of a page no
layout recognises."""

from __future__ import annotations

import asyncio
import json
from datetime import date, datetime

import pytest
from scrapy.http import HtmlResponse, Request

from newscrawl.items import Article
from newscrawl.normalize.dates import WIB
from newscrawl.serialize import to_jsonable
from newscrawl.site.navigation import WWW, index_url, rebase
from newscrawl.stats import LISTS
from tests.expected import EXPECTED, list_url
from tests.helpers import crawler_with, shared_liputan6

# The saved real article pages: their expected output has an article read whole.
ARTICLES = sorted(
    path
    for path in (EXPECTED / "shared").rglob("*.json")
    if "article" in json.loads(path.read_text(encoding="utf-8"))["whole"]
)

# The saved real list pages: their expected output has what the list readers give.
LISTS_RECORDED = sorted(
    path
    for path in (EXPECTED / "shared").rglob("*.json")
    if "lists" in json.loads(path.read_text(encoding="utf-8"))
)


@pytest.fixture(scope="module")
def spider(tmp_path_factory):
    """The liputan6 spider of a crawler outside a run."""
    return crawler_with(tmp_path_factory.mktemp("callbacks"), NEWSCRAWL_RUN=False).spider


@pytest.mark.parametrize("recorded", ARTICLES, ids=lambda p: p.stem[:60])
def test_parse_article_on_a_saved_real_response(spider, recorded):
    relative = recorded.relative_to(EXPECTED / "shared").with_suffix(".html")
    page = shared_liputan6() / relative
    if not page.is_file():
        pytest.skip(f"{relative}: saved page not found at {page.parent}")
    expected = json.loads(recorded.read_text(encoding="utf-8"))["whole"]["article"]
    # Served from a host and path no article URL has: what the article says comes from the
    # page, as the expected output (extracted with no URL) does.
    url = f"https://www.liputan6.com/saved/{page.name}"
    response = HtmlResponse(url, body=page.read_bytes(), request=Request(url))
    (out,) = spider.parse_article(response)
    if isinstance(out, Request):  # a split article: the page's text so far, then page 2
        assert out.url == f"{url}?page=2"
        out = out.cb_kwargs["article"]
    assert isinstance(out, Article)
    got = to_jsonable(out.to_dict())
    wrong = {k: (v, got.get(k)) for k, v in expected.items() if got.get(k) != v}
    assert not wrong, f"{relative}: field: (expected, got): {wrong}"


def _saved_list(recorded):
    """The saved page's response, served at the URL its expected output was read from, and
    what its expected output records of the list readers."""
    relative = recorded.relative_to(EXPECTED / "shared").with_suffix(".html")
    page = shared_liputan6() / relative
    if not page.is_file():
        pytest.skip(f"{relative}: saved page not found at {page.parent}")
    url = list_url(page)
    response = HtmlResponse(url, body=page.read_bytes(), request=Request(url))
    return response, json.loads(recorded.read_text(encoding="utf-8"))["lists"]


@pytest.mark.parametrize("recorded", LISTS_RECORDED, ids=lambda p: p.stem[:60])
def test_parse_channel_on_a_saved_real_list_page(tmp_path, recorded):
    response, lists = _saved_list(recorded)
    crawler = crawler_with(tmp_path, NEWSCRAWL_RUN=False)
    out = crawler.spider.parse_channel(response)
    listed = lists["front"]["items"]
    assert [(r.url, r.cb_kwargs) for r in out] == [
        (rebase(x["url"], WWW), {"article_id": x["article_id"]}) for x in listed
    ]
    assert all(r.callback == crawler.spider.parse_article for r in out)
    unrecognised = crawler.stats.get_value(f"{LISTS}/unrecognised/channel")
    assert unrecognised == (None if lists["front"]["layout"] else 1)


def _day_of(listed: list[dict]) -> date:
    """The day (WIB) of the first listed article with a time, as the index page's day."""
    for item in listed:
        if item["published"]:
            when = datetime.fromisoformat(item["published"])
            return (when if when.tzinfo else when.replace(tzinfo=WIB)).astimezone(WIB).date()
    return date(2020, 5, 27)


@pytest.mark.parametrize("recorded", LISTS_RECORDED, ids=lambda p: p.stem[:60])
def test_parse_index_on_a_saved_real_list_page(tmp_path, recorded):
    response, lists = _saved_list(recorded)
    crawler = crawler_with(tmp_path, NEWSCRAWL_RUN=False)
    spider = crawler.spider
    listed = lists["index"]["items"]
    day = _day_of(listed)

    async def parse():
        return [r async for r in spider.parse_index(response, "news", day.isoformat(), 1)]

    out = asyncio.run(parse())
    articles = [
        (
            rebase(x["url"], WWW),
            {"channel": "news", "day": day.isoformat(), "article_id": x["article_id"]},
        )
        for x in listed
    ]
    # Articles new to the day, then the day's next page; nothing from a page no layout knows.
    following = [
        (index_url(WWW, "news", day, 2), {"channel": "news", "day": day.isoformat(), "page": 2})
    ]
    assert [(r.url, r.cb_kwargs) for r in out] == articles + (following if listed else [])
    unrecognised = crawler.stats.get_value(f"{LISTS}/unrecognised/index")
    assert unrecognised == (None if lists["index"]["layout"] else 1)
