"""The spider's article callback called directly on saved real responses: every saved article
page of ../shared/liputan6, served as the site would serve it, gives the article its expected
output records (tests/fixtures/expected/), or the request for its next page carrying it."""

from __future__ import annotations

import json

import pytest
from scrapy.http import HtmlResponse, Request

from newscrawl.items import Article
from newscrawl.serialize import to_jsonable
from tests.conftest import shared_liputan6
from tests.expected import EXPECTED
from tests.test_pipelines import crawler_with

# The saved real article pages: their expected output has an article read whole.
ARTICLES = sorted(
    path
    for path in (EXPECTED / "shared").rglob("*.json")
    if "article" in json.loads(path.read_text(encoding="utf-8"))["whole"]
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
