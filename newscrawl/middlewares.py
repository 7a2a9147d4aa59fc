"""Retries that wait, holding no download slot: exponential backoff on 5xx, and the server's
Retry-After on 429/503; a run that stops at once when the site never answered (offline,
wrong base URL); and a meta refresh check that leaves an undecodable page to the spider."""

from __future__ import annotations

import asyncio
import email.utils
import logging
import time
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.http import HtmlResponse
from scrapy.utils.misc import load_object
from twisted.internet.error import ConnectError, ConnectionDone, ConnectionLost

from newscrawl.scheduler import NOT_BEFORE, WaitingScheduler
from newscrawl.site.decoding import Undecodable, response_text
from newscrawl.site.navigation import is_refusal
from newscrawl.stats import (
    REFUSED,
    RETRY_WAITED,
    UNREACHABLE,
    WARC,
    WARC_FAILED_REASON,
    WARC_UNRECORDED,
)

logger = logging.getLogger(__name__)

# Finish reason of a run that stopped because no request ever got an answer.
SITE_UNREACHABLE = "site_unreachable"
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
    """Scrapy's RetryMiddleware, with a wait before each retry instead of retrying at once.

    The wait is Retry-After when the server sends it (capped by RETRY_AFTER_MAX), else
    RETRY_BACKOFF_BASE * 2**attempt capped by RETRY_BACKOFF_MAX. The retry request is
    returned at once, as Scrapy's does, with the time it may be sent in its meta
    (``newscrawl_not_before``); the scheduler (``newscrawl.scheduler.WaitingScheduler``)
    holds it until then, so a waiting retry holds no download slot and the rest of the crawl
    goes on (AutoThrottle slows the site as a whole). Giving up is Scrapy's: logged at
    RETRY_GIVE_UP_LOG_LEVEL, counted under ``retry/max_reached``.

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

    @classmethod
    def from_crawler(cls, crawler):
        """Scrapy's, and a warning when the scheduler would not hold retries until their
        time (they are then sent at once)."""
        middleware = super().from_crawler(crawler)
        if not issubclass(load_object(crawler.settings["SCHEDULER"]), WaitingScheduler):
            logger.warning(
                "SCHEDULER is not newscrawl.scheduler.WaitingScheduler: retries do not wait"
            )
        return middleware

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

    def later(self, retry, delay: float):
        """The retry request, to be sent no earlier than ``delay`` seconds from now."""
        if delay > 0:
            retry.meta[NOT_BEFORE] = time.time() + delay
        return retry

    def process_response(self, request, response, spider=None):
        result = super().process_response(request, response)
        if not isinstance(result, Request):
            return result  # not retried, or given up
        delay = self.delay_for(request, response)
        if delay > 0:
            self.crawler.stats.inc_value(RETRY_WAITED, round(delay))
        return self.later(result, delay)

    def process_exception(self, request, exception, spider=None):
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry"):
            return None
        if not isinstance(exception, CONNECT_ERRORS) or self.reached():
            retry = super().process_exception(request, exception)
            return None if retry is None else self.later(retry, self.delay_for(request))
        # The site has not answered yet: fewer retries, and giving up stops the run.
        retry = get_retry_request(
            request,
            spider=self.crawler.spider,
            reason=exception,
            max_retry_times=min(
                request.meta.get("max_retry_times", self.max_retry_times),
                self.unreached_retry_times,
            ),
            priority_adjust=request.meta.get("priority_adjust", self.priority_adjust),
            give_up_log_level=request.meta.get("give_up_log_level", self.give_up_log_level),
        )
        if retry is None:
            if not self.reached():
                raise self.give_up(request, exception)
            return None
        return self.later(retry, self.delay_for(request))


WARC_FAILED = "warc_failed"  # finish reason of a crawl stopped by a recording failure


class WarcRecorderMiddleware:
    """Records every page the spider gets (status 200, robots.txt aside) as WARC request and
    response records, when NEWSCRAWL_WARC_DIR is set, and tells the spider where each went
    (``response.meta["warc"]``). Placed after the redirect and before the decompression
    middleware, so it sees the final response with the body as the server sent it.

    A record that cannot be written (a full disk) stops the crawl: the page in hand is
    still stored (without a raw page), and the run fails saying why.
    """

    def __init__(self, crawler, directory: str, *, max_bytes: int, sync_bytes: int, level: int):
        from importlib.metadata import PackageNotFoundError, version

        from newscrawl.extensions.keeper import Keeper
        from newscrawl.warc import WarcFiles

        self.crawler = crawler
        self.stats = crawler.stats
        self.keeper = Keeper.of(crawler)
        try:
            software = f"newscrawl/{version('newscrawl')}"
        except PackageNotFoundError:
            software = "newscrawl"
        self.files = WarcFiles(
            directory,
            self.keeper.run.run_id,
            max_bytes=max_bytes,
            sync_bytes=sync_bytes,
            level=level,
            software=software,
        )
        self.failed: str | None = None

    @classmethod
    def from_crawler(cls, crawler):
        """Configured by NEWSCRAWL_WARC_DIR (off when empty), NEWSCRAWL_WARC_MAX_SIZE,
        NEWSCRAWL_WARC_SYNC_SIZE and NEWSCRAWL_WARC_GZIP_LEVEL; only in crawl runs (not
        `scrapy shell`, `parse`, `check`)."""
        from scrapy import signals
        from scrapy.exceptions import NotConfigured

        settings = crawler.settings
        directory = settings.get("NEWSCRAWL_WARC_DIR")
        if not directory or not settings.getbool("NEWSCRAWL_RUN"):
            raise NotConfigured("no NEWSCRAWL_WARC_DIR")
        recorder = cls(
            crawler,
            directory,
            max_bytes=settings.getint("NEWSCRAWL_WARC_MAX_SIZE", 1 << 30),
            sync_bytes=settings.getint("NEWSCRAWL_WARC_SYNC_SIZE", 4 << 20),
            level=settings.getint("NEWSCRAWL_WARC_GZIP_LEVEL", 6),
        )
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        return recorder

    def process_response(self, request, response, spider=None):
        """Record the exchange before anything else sees the response."""
        if response.status != 200 or urlsplit(response.url).path == "/robots.txt":
            return response
        if self.failed is not None:
            self.stats.inc_value(WARC_UNRECORDED)
            return response
        from datetime import UTC, datetime

        from newscrawl.store.base import stored_time
        from newscrawl.warc import Exchange, WarcWriteError

        captured = stored_time(datetime.now(UTC))  # WARC-Date keeps milliseconds
        exchange = Exchange(
            url=response.url,
            method=request.method,
            request_headers=_header_pairs(request.headers),
            status=response.status,
            response_headers=_header_pairs(response.headers),
            body=response.body,
            captured_at=captured,
            ip_address=str(response.ip_address) if response.ip_address else None,
        )
        try:
            name, offset = self.files.write(exchange)
        except WarcWriteError as exc:
            self._failed(str(exc))
            self.stats.inc_value(WARC_UNRECORDED)
            return response
        self.stats.inc_value(f"{WARC}/records", 2)
        self.stats.set_value(f"{WARC}/bytes", self.files.bytes)
        self.stats.set_value(f"{WARC}/files", len(self.files.files))
        self.stats.set_value(f"{WARC}/syncs", self.files.syncs)
        request.meta["warc"] = {"file": name, "offset": offset, "captured_at": captured}
        return response

    def _failed(self, reason: str) -> None:
        """Recording failed: say so and stop the crawl (nothing more is fetched unrecorded)."""
        self.failed = reason
        self.stats.set_value(WARC_FAILED_REASON, reason)
        logger.error("Cannot write the WARC file: %s; stopping the crawl", reason)
        self.keeper.connection.stop_crawl(WARC_FAILED)

    def spider_closed(self, spider=None, reason=None):
        """Flush the last file to disk."""
        try:
            self.files.close()
        except OSError as exc:
            self.stats.set_value(WARC_FAILED_REASON, f"closing {self.files.current}: {exc}")
        if self.files.files:
            logger.info(
                "Recorded %d records in %d WARC file(s) in %s (%.1f MB)",
                self.files.records,
                len(self.files.files),
                self.files.directory,
                self.files.bytes / 1e6,
            )


def _header_pairs(headers) -> list[tuple[bytes, bytes]]:
    """Scrapy Headers as (name, value) pairs, one per value."""
    return [(bytes(name), bytes(value)) for name, values in headers.items() for value in values]


# What a site that refuses a client answers: forbidden, unavailable (the CDN's usual "blocked"
# answer), or a connection cut without a response. A 429 asks to slow down, and the retries
# wait as asked: not a refusal.
REFUSAL_STATUSES = (403, 503)
RESETS = (DownloadFailedError, ConnectionDone, ConnectionLost)


class RefusalCounter:
    """Counts every answer of the site that is a refusal rather than a page, under
    ``newscrawl/refused`` (and ``/<status>``, ``/page``, ``/reset``): the verdict's
    site_refused rule compares it with the requests made. Placed inside the retry
    middleware, it sees each attempt, as downloader/request_count counts them."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def _count(self, why: str) -> None:
        self.stats.inc_value(REFUSED)
        self.stats.inc_value(f"{REFUSED}/{why}")

    def process_response(self, request, response):
        if response.status in REFUSAL_STATUSES:
            self._count(str(response.status))
        elif response.status == 200 and is_refusal(response.body):
            self._count("page")
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, RESETS):
            self._count("reset")


class TolerantMetaRefreshMiddleware(MetaRefreshMiddleware):
    """Scrapy's MetaRefreshMiddleware, passing a page whose text cannot be decoded on to the
    spider, which counts it (``not_article/undecodable page``), instead of failing the
    page's download: Scrapy's reads ``response.text``, which raises there."""

    def process_response(self, request, response):
        if isinstance(response, HtmlResponse):
            try:
                response_text(response)
            except Undecodable:
                return response  # no meta refresh can be read in it either
        return super().process_response(request, response)
