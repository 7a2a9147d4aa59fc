"""The @site contract: `scrapy check` requests a path on LIPUTAN6_BASE_URL."""

from __future__ import annotations

import os
import subprocess
import sys
import unittest
from datetime import timedelta

import pytest
from scrapy import Spider
from scrapy.contracts import ContractsManager
from scrapy.settings import Settings
from scrapy.utils.conf import build_component_list
from scrapy.utils.misc import load_object
from scrapy.utils.test import get_crawler

from newscrawl.contracts import SitePathContract
from newscrawl.spiders.options import today_wib
from tests.helpers import REPO
from tests.site import LocalSite, make_articles


class SampleSpider(Spider):
    """A spider with one contract-checked callback."""

    name = "sample"

    def parse(self, response):
        """An article page.

        @site /news/read/4200001/some-slug
        @returns items 1 1
        """
        yield {"url": response.url}


def project_contracts() -> ContractsManager:
    """The contracts `scrapy check` loads from the project settings, loaded as it does."""
    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    paths = build_component_list(settings.get_component_priority_dict_with_base("SPIDER_CONTRACTS"))
    return ContractsManager(load_object(path) for path in paths)


def sample_url(**settings) -> str:
    """The URL of the request `scrapy check` makes for SampleSpider.parse."""
    spider = SampleSpider.from_crawler(get_crawler(SampleSpider, settings))
    request = project_contracts().from_method(spider.parse, unittest.TestResult())
    assert request is not None
    return request.url


def test_project_settings_register_the_site_contract():
    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    assert "newscrawl.contracts.SitePathContract" in settings.getwithbase("SPIDER_CONTRACTS")
    assert project_contracts().contracts["site"] is SitePathContract


@pytest.mark.parametrize(
    ("base", "url"),
    [
        ("http://127.0.0.1:8123", "http://127.0.0.1:8123/news/read/4200001/some-slug"),
        ("http://127.0.0.1:8123/", "http://127.0.0.1:8123/news/read/4200001/some-slug"),
        ("https://www.liputan6.com", "https://www.liputan6.com/news/read/4200001/some-slug"),
    ],
)
def test_site_contract_requests_the_path_on_the_configured_site(base, url):
    assert sample_url(LIPUTAN6_BASE_URL=base) == url


def test_site_contract_defaults_to_liputan6():
    assert sample_url() == "https://www.liputan6.com/news/read/4200001/some-slug"


def test_scrapy_check_fetches_the_sample_page_from_the_configured_site(tmp_path):
    articles = make_articles(1, start_day=today_wib() - timedelta(days=1), days=1)
    assert articles[0].article_id == "4200001"
    with LocalSite(articles) as site:
        done = subprocess.run(
            [sys.executable, "-m", "scrapy", "check", "-s", f"SPIDER_MODULES={__name__}", "sample"],
            cwd=REPO,
            env=dict(os.environ, LIPUTAN6_BASE_URL=site.base_url),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        fetched = [r.path for r in site.requests.records]
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Ran 1 contract" in done.stderr and "OK" in done.stderr
    assert "/news/read/4200001/some-slug" in fetched
