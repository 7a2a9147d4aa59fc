"""`scrapy crawl` for cron: arguments checked first and an exit status that tells the truth.

Every setting is checked first too (newscrawl.settingscheck): a wrong value is one line and
exit status 2 before the store is opened or anything is fetched.

A crawl started by this command is a run (NEWSCRAWL_RUN): it opens the store, takes its
locks and writes a run record (newscrawl.extensions.keeper). Exit status, from the run's
one verdict (newscrawl.extensions.verdict): 0 the run went well; 1 it failed (each reason is
printed); 2 bad arguments; 75 another run holds the lock of this store, mode and channel.
"""

from __future__ import annotations

import sys
from typing import ClassVar

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from newscrawl.exits import Exit
from newscrawl.extensions.verdict import BUDGET_REASONS, RunVerdict
from newscrawl.settingscheck import SettingError, check_command_line, check_settings
from newscrawl.stats import (
    DAYS_INCOMPLETE,
    REVISITS_LEFT,
    STORE_LOCKED,
    STORE_RUN_ID,
)


class Command(ScrapyCrawl):
    """Scrapy's crawl, plus the checks an unattended run needs."""

    # Command settings rank below the project's: settings.py leaves NEWSCRAWL_RUN unset.
    default_settings: ClassVar[dict] = {**ScrapyCrawl.default_settings, "NEWSCRAWL_RUN": True}

    def process_options(self, args, opts):
        """Scrapy's options applied, then every setting checked (before logging is set up,
        which a wrong LOG_LEVEL would already break)."""
        given = dict(pair.split("=", 1) for pair in opts.set if "=" in pair)
        try:
            check_command_line(given)
            super().process_options(args, opts)
            check_settings(self.settings)
        except SettingError as exc:
            raise UsageError(str(exc), print_help=False) from None

    def run(self, args, opts):
        if len(args) != 1:
            return super().run(args, opts)
        spider_cls = self.crawler_process.spider_loader.load(args[0])
        check = getattr(spider_cls, "check_arguments", None)
        if check is not None:
            try:
                check(dict(opts.spargs))
            except ValueError as exc:
                raise UsageError(str(exc), print_help=False) from None
        crawler = self.crawler_process.create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        verdict = crawler.get_extension(RunVerdict)
        if self.crawler_process.bootstrap_failed or verdict is None or verdict.reasons is None:
            self.exitcode = Exit.FAILED
            return None
        self.exitcode = verdict.exit_status
        if self.exitcode == Exit.LOCKED:
            held = crawler.stats.get_value(STORE_LOCKED)
            print(f"newscrawl: {held}; exiting without crawling", file=sys.stderr)
            return None
        if verdict.finish_reason in BUDGET_REASONS:
            left = crawler.stats.get_value(REVISITS_LEFT, 0)
            print(
                f"newscrawl: budget reached ({verdict.finish_reason}): "
                f"{left} revisits left for the next run",
                file=sys.stderr,
            )
        for reason in verdict.reasons:
            print(f"newscrawl: run failed: {reason}", file=sys.stderr)
        for warning in verdict.warnings:
            print(f"newscrawl: warning: {warning}", file=sys.stderr)
        incomplete = crawler.stats.get_value(DAYS_INCOMPLETE, 0)
        if incomplete and not verdict.reasons and crawler.stats.get_value(STORE_RUN_ID):
            limit = crawler.settings.getint("NEWSCRAWL_MAX_INCOMPLETE_DAYS", -1)
            print(
                f"newscrawl: {incomplete} channel-days left incomplete (the log names them); "
                f"the next backfill walks them again. Not a failure: "
                f"NEWSCRAWL_MAX_INCOMPLETE_DAYS={limit}",
                file=sys.stderr,
            )
        return None
