"""Scrapy's scheduler, holding a request that must wait (a retry's backoff) until its time,
so that the wait costs no download slot: the rest of the crawl goes on meanwhile."""

from __future__ import annotations

import logging
import time

from scrapy import Request
from scrapy.core.scheduler import Scheduler
from scrapy.utils.asyncio import CallLaterResult, call_later

from newscrawl.stats import RETRY_QUEUED_AT_CLOSE

logger = logging.getLogger(__name__)

# Request meta: the time (time.time()) before which the request is not sent.
NOT_BEFORE = "newscrawl_not_before"


class WaitingScheduler(Scheduler):
    """The scheduler (SCHEDULER), keeping a request whose ``newscrawl_not_before`` meta is
    still ahead out of the queues until then.

    A held request is pending (the spider stays open for it). When the crawl stops (its
    budget, a pause with JOBDIR, an error), held requests go into the queues as they are,
    so a paused job finds them on disk and sends them when it resumes.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._waiting: dict[Request, CallLaterResult] = {}
        """Held requests, each with the timer that sends it."""

    def enqueue_request(self, request: Request) -> bool:
        """Hold a request whose time has not come; queue any other as Scrapy does."""
        wait = request.meta.get(NOT_BEFORE, 0) - time.time()
        if wait <= 0:
            request.meta.pop(NOT_BEFORE, None)
            return super().enqueue_request(request)
        self._waiting[request] = call_later(wait, self._due, request)
        return True

    def _due(self, request: Request) -> None:
        """A held request's time came: back through the engine, which queues and sends it."""
        if self._waiting.pop(request, None) is not None:
            self.crawler.engine.crawl(request)

    def has_pending_requests(self) -> bool:
        return bool(self._waiting) or super().has_pending_requests()

    def __len__(self) -> int:
        return len(self._waiting) + super().__len__()

    def close(self, reason: str):
        """Queue every held request first (on disk with JOBDIR), then close as Scrapy does."""
        held = list(self._waiting.items())
        self._waiting.clear()
        for request, timer in held:
            timer.cancel()
            request.meta.pop(NOT_BEFORE, None)
            super().enqueue_request(request)
        if held:
            self.stats.inc_value(RETRY_QUEUED_AT_CLOSE, len(held))
            logger.info("%d retries were waiting at the stop: queued with the rest", len(held))
        return super().close(reason)
