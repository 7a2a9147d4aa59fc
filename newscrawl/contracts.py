"""Scrapy contracts for `scrapy check` that fetch sample pages from the configured site."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scrapy.contracts import Contract

from newscrawl.site.urls import CANONICAL_BASE


class SitePathContract(Contract):
    """``@site /news/read/4264701/some-slug``: the sample request is LIPUTAN6_BASE_URL + path."""

    name = "site"

    def __init__(self, method: Callable[..., Any], *args: Any):
        super().__init__(method, *args)
        # Scrapy hands contracts the callback bound to the running spider, which holds the
        # crawler's settings; Contract itself keeps neither.
        self.spider = method.__self__

    def adjust_request_args(self, args: dict[str, Any]) -> dict[str, Any]:
        """The request args with url set to the path on the configured site."""
        base = self.spider.settings.get("LIPUTAN6_BASE_URL") or CANONICAL_BASE
        args["url"] = base.rstrip("/") + "/" + self.args[0].lstrip("/")
        return args
