"""`scrapy crawl` for cron: arguments checked first, one run at a time, a truthful exit status.

Exit status: 0 the run finished well; 1 it failed (store unreachable or lost, quality
below NEWSCRAWL_QUALITY_FLOOR, spider errors above NEWSCRAWL_MAX_SPIDER_ERRORS, or an
unclean finish); 2 bad arguments; 75 another run of the same spider and mode is going.
"""

from __future__ import annotations

import logging
import sys
import tempfile
from pathlib import Path

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from newscrawl.runlock import RunLock
from newscrawl.runstatus import EXIT_FAILED, EXIT_LOCKED, EXIT_OK, failure_reasons
from newscrawl.store import open_store
from newscrawl.store.base import StoreUnavailable

logger = logging.getLogger(__name__)


class Command(ScrapyCrawl):
    """Scrapy's crawl, plus the checks an unattended run needs."""

    def run(self, args, opts):
        if len(args) != 1:
            return super().run(args, opts)
        name = args[0]
        spider_cls = self.crawler_process.spider_loader.load(name)
        check = getattr(spider_cls, "check_arguments", None)
        if check is not None:
            try:
                check(dict(opts.spargs))
            except ValueError as exc:
                raise UsageError(str(exc), print_help=False) from None
        mode = opts.spargs.get("mode") or ("backfill" if opts.spargs.get("since") else "latest")
        lock = None
        if self.settings.getbool("NEWSCRAWL_LOCK_ENABLED", True):
            directory = self.settings.get("NEWSCRAWL_LOCK_DIR") or tempfile.gettempdir()
            lock = RunLock(
                Path(directory) / f"newscrawl-{name}-{mode}.lock",
                ttl=self.settings.getfloat("NEWSCRAWL_LOCK_TTL", 6 * 3600),
            )
            if not lock.acquire():
                holder = lock.holder() or {}
                print(
                    f"newscrawl: another {name} {mode} run (pid {holder.get('pid')}) holds "
                    f"{lock.path}; exiting without crawling",
                    file=sys.stderr,
                )
                self.exitcode = EXIT_LOCKED
                return None
        try:
            if not self._store_reachable():
                self.exitcode = EXIT_FAILED
                return None
            crawler = self.crawler_process.create_crawler(name)
            self.crawler_process.crawl(crawler, **opts.spargs)
            self.crawler_process.start()
            if self.crawler_process.bootstrap_failed:
                self.exitcode = EXIT_FAILED
                return None
            reasons = failure_reasons(crawler.stats.get_stats(), self.settings)
            for reason in reasons:
                print(f"newscrawl: run failed: {reason}", file=sys.stderr)
            self.exitcode = EXIT_FAILED if reasons else EXIT_OK
        finally:
            if lock is not None:
                lock.release()
        return None

    def _store_reachable(self) -> bool:
        """Open the store once before crawling, so an unreachable one costs no fetch."""
        if not self.settings.getbool("STORE_ENABLED", True):
            return True
        store = open_store(self.settings)
        try:
            store.open()
        except StoreUnavailable as exc:
            print(f"newscrawl: cannot open the store: {exc}", file=sys.stderr)
            return False
        store.close()
        return True
