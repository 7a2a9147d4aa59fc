"""A page whose text cannot be decoded is a counted failure of that page, never a crash.

The encoding sniffer under Scrapy and w3lib (frostwork, in Rust) panics on a page cut right
after ``<meta`` that comes with no charset; its ``pyo3_runtime.PanicException`` is a
BaseException, so it passes every ``except Exception``. Each entry point that reads a page
is given one: the spider's callbacks, a crawl, `newscrawl extract`, a reextract or
import-warc task, and check-site.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from scrapy.http import HtmlResponse, Request

from newscrawl.cli import main
from newscrawl.exits import Exit
from newscrawl.reextract import IMPORT, REEXTRACT, run_task, split_tasks
from newscrawl.site.decoding import Undecodable, page_text, response_text
from newscrawl.sitecheck import ListCheck, Report, SiteCheckSpider
from newscrawl.spiders.options import today_wib
from newscrawl.stats import ARTICLE_FAILED, LISTS, NOT_ARTICLE, PREFIX
from tests.helpers import FIXTURES, crawl, crawler_with, final_stats, make_article
from tests.site import LocalSite, make_articles
from tests.warcs import Page, write_warc

CUT = b"<html><head><meta"  # a page cut right after <meta: the sniffer panics on it
REASON = "undecodable page"
ARTICLE = "https://www.liputan6.com/news/read/4264701/judul"
INDEKS = "https://www.liputan6.com/news/indeks/2020/05/27"
FRONT = "https://www.liputan6.com/news"


def cut_response(url: str) -> HtmlResponse:
    """The cut page as the crawl receives it: HTML with no charset in Content-Type."""
    return HtmlResponse(url, body=CUT, request=Request(url))


class Raising:
    """A response whose text raises ``exc``."""

    url = ARTICLE

    def __init__(self, exc: BaseException):
        self.exc = exc

    @property
    def text(self) -> str:
        raise self.exc


def test_the_one_place_that_decodes_names_the_failure_and_lets_a_stop_through():
    with pytest.raises(Undecodable, match=f"^{REASON}: PanicException: "):
        page_text(CUT, ARTICLE)
    assert page_text(CUT, ARTICLE, "text/html; charset=utf-8") == CUT.decode()  # no sniffing
    for stop in (KeyboardInterrupt(), SystemExit(3), GeneratorExit()):
        with pytest.raises(type(stop)):
            response_text(Raising(stop))


def test_extract_reports_it_as_not_an_article_and_goes_on(tmp_path, capsys):
    page = tmp_path / "cut.html"
    page.write_bytes(CUT)
    status = main(["extract", str(page), str(FIXTURES / "template_mobile_article.html")])
    out = capsys.readouterr()
    assert status == Exit.NOT_ARTICLE
    assert f"cut.html: not an article: {REASON}: PanicException" in out.err
    assert len(out.out.splitlines()) == 1  # the next page is still read


def test_the_spiders_callbacks_count_it_as_a_page_they_cannot_read(tmp_path):
    crawler = crawler_with(tmp_path, NEWSCRAWL_RUN=False)
    spider, stats = crawler.spider, crawler.stats

    assert spider.parse_article(cut_response(ARTICLE)) == []
    assert stats.get_value(f"{NOT_ARTICLE}/{REASON}") == 1

    # Page 2 of a split article: the article is kept with the pages read.
    article = make_article(1, page_count=2)
    assert spider.parse_more(cut_response(f"{ARTICLE}?page=2"), article, 1, ()) == [article]
    assert stats.get_value(f"{PREFIX}/incomplete_article/{REASON}") == 1

    # List pages: no layout can read them, which is counted (and fails the run).
    assert spider.parse_channel(cut_response(FRONT)) == []
    assert stats.get_value(f"{LISTS}/unrecognised/channel") == 1

    async def archive():
        return [r async for r in spider.parse_index(cut_response(INDEKS), "news", "2020-05-27", 1)]

    assert asyncio.run(archive()) == []
    assert stats.get_value(f"{LISTS}/unrecognised/index") == 1


def test_a_crawl_counts_it_as_not_an_article(tmp_path):
    articles = make_articles(
        4, start_day=today_wib() - timedelta(days=40), days=1, channels=("news",), seed=5
    )
    cut = articles[1].article_id
    with LocalSite(articles, raw_pages={cut: CUT}, raw_content_type="text/html") as site:
        done = crawl(
            site,
            tmp_path,
            f"since={articles[0].day}",
            f"until={articles[-1].day}",
            "channels=news",
        )
        served = site.requests.article_ids()
    log = done.stderr
    assert done.returncode == 0, log[-3000:]
    assert "Traceback" not in log, log[log.index("Traceback") :][:4000]
    assert cut in served
    stats = final_stats(log)
    assert stats.get(f"{NOT_ARTICLE}/{REASON}") == 1, log[-4000:]
    assert stats.get(ARTICLE_FAILED, 0) == 0  # not a download that failed
    assert stats.get("spider_exceptions/count", 0) == 0
    assert stats.get("log_count/ERROR", 0) == 0
    assert stats.get("item_scraped_count") == len(articles) - 1


@pytest.mark.parametrize("mode", [REEXTRACT, IMPORT])
def test_a_reextract_or_import_task_counts_it_and_reads_on(tmp_path, mode):
    captured = datetime(2021, 3, 4, 5, 6, 7, tzinfo=UTC)
    good = FIXTURES / "template_mobile_article.html"
    path = write_warc(
        tmp_path / "pages.warc.gz",
        [
            Page(ARTICLE, CUT, captured, content_type="text/html"),
            Page(
                "https://m.liputan6.com/news/read/4500123/x",
                good.read_bytes(),
                captured,
                content_type="text/html",
            ),
        ],
    )
    (task,) = split_tasks([path], 1, mode=mode)
    result = run_task(task)
    assert result.skipped[f"not an article: {REASON}"] == 1
    assert [d["article_id"] for d in result.documents] == ["4500123"]
    assert result.error is None


def test_check_site_reports_it_as_not_an_article():
    spider = SiteCheckSpider(Report(base_url="https://www.liputan6.com"), ["news"], 3, date.today())
    spider._in_flight["text"] = 1
    spider.parse_article(cut_response(ARTICLE), guess="text")
    (check,) = spider.report.articles
    assert check.error.startswith(f"not an article: {REASON}")

    listing = ListCheck("index", INDEKS, "news", "2020-05-27")
    spider.parse_list(cut_response(INDEKS), check=listing)
    assert listing.state == "not recognised" and REASON in listing.fingerprint
