"""Retries that wait: exponential backoff on 5xx, and the server's Retry-After on 429/503;
and a run that stops at once when the site never answered (offline, wrong base URL)."""

from __future__ import annotations

import asyncio
import email.utils
import logging
import time
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.utils.response import response_status_message
from twisted.internet.error import ConnectError

logger = logging.getLogger(__name__)

# Finish reason of a run that stopped because no request ever got an answer.
SITE_UNREACHABLE = "site_unreachable"
UNREACHABLE = "newscrawl/unreachable"  # stat: why, in one line
# Failures to connect at all: the name does not resolve, nothing listens, no answer in time.
CONNECT_ERRORS = (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    ConnectError,
)


class SiteUnreachable(IgnoreRequest):
    """A request not sent (or given up) because the site never answered any request."""


def retry_after_seconds(value: bytes | str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


class BackoffRetryMiddleware(RetryMiddleware):
    """RetryMiddleware that waits before each retry instead of retrying at once.

    The wait is Retry-After when the server sends it (capped by RETRY_AFTER_MAX), else
    RETRY_BACKOFF_BASE * 2**attempt capped by RETRY_BACKOFF_MAX. Only the retried request
    waits; the rest of the crawl goes on (AutoThrottle slows the site as a whole).

    Until some request of the run got a response, a failure to connect (DNS, refused,
    timeout) is retried at most NEWSCRAWL_UNREACHED_RETRY_TIMES times; when that request
    gives up too, the site is taken as unreachable: the spider closes with finish reason
    "site_unreachable", the stat ``newscrawl/unreachable`` says why in one line (the run's
    verdict reports only that), and every request still queued is dropped unsent. Offline,
    a run thus fails in seconds instead of retrying each channel for minutes.
    """

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 2.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX", 120.0)
        self.unreached_retry_times = settings.getint("NEWSCRAWL_UNREACHED_RETRY_TIMES", 1)
        self.unreachable: str | None = None
        self._closing: asyncio.Future | None = None

    def reached(self) -> bool:
        """Whether any request of this run got a response (any status)."""
        return bool(self.crawler.stats.get_value("response_received_count", 0))

    async def process_request(self, request, spider=None):
        if self.unreachable is not None:
            raise SiteUnreachable(self.unreachable)
        return None

    def give_up(self, request, exception) -> SiteUnreachable:
        """The site never answered: record why, close the spider, refuse what is queued."""
        if self.unreachable is None:
            parts = urlsplit(request.url)
            why = str(exception).rstrip(".") or type(exception).__name__
            self.unreachable = (
                f"cannot reach {parts.scheme}://{parts.netloc} ({why}): no request got an "
                "answer; offline, or LIPUTAN6_BASE_URL wrong?"
            )
            self.crawler.stats.set_value(UNREACHABLE, self.unreachable)
            logger.error("%s; stopping the run", self.unreachable)
            self._closing = asyncio.ensure_future(
                self.crawler.engine.close_spider_async(reason=SITE_UNREACHABLE)
            )
        return SiteUnreachable(self.unreachable)

    def delay_for(self, request, response=None) -> float:
        """How long to wait before retrying this request."""
        if response is not None:
            after = retry_after_seconds(response.headers.get(b"Retry-After"))
            if after is not None:
                return min(after, self.retry_after_max)
        attempt = request.meta.get("retry_times", 0)
        return min(self.backoff_base * (2**attempt), self.backoff_max)

    async def process_response(self, request, response, spider=None):
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = get_retry_request(
            request,
            spider=self.crawler.spider,
            reason=response_status_message(response.status),
            max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
            priority_adjust=request.meta.get("priority_adjust", self.priority_adjust),
        )
        if retry is None:
            return response
        delay = self.delay_for(request, response)
        if delay > 0:
            self.crawler.stats.inc_value("newscrawl/retry/waited_seconds", round(delay))
            await asyncio.sleep(delay)
        return retry

    async def process_exception(self, request, exception, spider=None):
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry"):
            return None
        times = request.meta.get("max_retry_times", self.max_retry_times)
        first_contact = isinstance(exception, CONNECT_ERRORS) and not self.reached()
        if first_contact:
            times = min(times, self.unreached_retry_times)
        retry = get_retry_request(
            request,
            spider=self.crawler.spider,
            reason=exception,
            max_retry_times=times,
            priority_adjust=request.meta.get("priority_adjust", self.priority_adjust),
        )
        if retry is None:
            if first_contact and not self.reached():
                raise self.give_up(request, exception)
            return None
        delay = self.delay_for(request)
        if delay > 0:
            await asyncio.sleep(delay)
        return retry
