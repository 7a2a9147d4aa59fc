"""Scrapy settings for newscrawl: one file, deployment values from environment variables."""

import os

BOT_NAME = "newscrawl"
# `scrapy crawl` with argument checks, a run lock and an exit status for cron.
COMMANDS_MODULE = "newscrawl.commands"
SPIDER_MODULES = ["newscrawl.spiders"]
NEWSPIDER_MODULE = "newscrawl.spiders"

# Where the site lives; tests point it at a local copy.
LIPUTAN6_BASE_URL = os.environ.get("LIPUTAN6_BASE_URL", "https://www.liputan6.com")
# `scrapy check`: "@site /news/read/<id>/<slug>" fetches that path from LIPUTAN6_BASE_URL.
SPIDER_CONTRACTS = {"newscrawl.contracts.SitePathContract": 1}

# Polite by default: identify ourselves, obey robots.txt, adapt to the server's pace.
NEWSCRAWL_CONTACT = os.environ.get("NEWSCRAWL_CONTACT", "https://github.com/newscrawl/newscrawl")
USER_AGENT = f"newscrawl/0.1 (+{NEWSCRAWL_CONTACT})"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
# Items processed in parallel per response. An article page yields one item and an index
# page ~25 requests (scheduling one is instant); Scrapy starts this many asyncio workers for
# every callback output, so the default of 100 cost ~1 ms per article page for nothing, and
# 4 instead of 16 saves another 8% of a crawl's CPU.
CONCURRENT_ITEMS = 4
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
DOWNLOAD_TIMEOUT = 30
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
# Retries wait: the server's Retry-After, else exponential backoff (newscrawl.middlewares).
RETRY_BACKOFF_BASE = 2.0
RETRY_BACKOFF_MAX = 60.0
RETRY_AFTER_MAX = 120.0
# A retry waits in the scheduler, not in the downloader: other pages are fetched meanwhile,
# and a stop (budget, JOBDIR pause) queues waiting retries with the rest.
SCHEDULER = "newscrawl.scheduler.WaitingScheduler"
# Until the site has answered once, a failure to connect is retried this often, then the run
# stops (offline, wrong LIPUTAN6_BASE_URL): newscrawl.middlewares.
NEWSCRAWL_UNREACHED_RETRY_TIMES = 1
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "newscrawl.middlewares.BackoffRetryMiddleware": 550,
    # Each attempt's answer, before the retry middleware sees it: refusals counted.
    "newscrawl.middlewares.RefusalCounter": 560,
    # After redirects (600), before decompression (590): the final response as sent.
    "newscrawl.middlewares.WarcRecorderMiddleware": 595,
    # Scrapy's, but a page whose text cannot be decoded goes on to the spider, which counts it.
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "newscrawl.middlewares.TolerantMetaRefreshMiddleware": 580,
}

HTTPCACHE_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
# `scrapy crawl -O out.jsonl|json|csv` writes what `newscrawl export` writes: Z times, and in
# CSV the Article columns in schema order with lists joined by "; ".
FEED_EXPORTERS = {
    "jsonlines": "newscrawl.exporters.JsonLinesExporter",
    "jsonl": "newscrawl.exporters.JsonLinesExporter",
    "jl": "newscrawl.exporters.JsonLinesExporter",
    "json": "newscrawl.exporters.JsonExporter",
    "csv": "newscrawl.exporters.CsvExporter",
}
LOG_LEVEL = os.environ.get("NEWSCRAWL_LOG_LEVEL", "INFO")
# Scrapy's remote control (HTTP on 127.0.0.1, token in a job file) and telnet console
# (password in the log) run any Python sent to them inside the crawl: off unless asked (=1).
REMOTE_CONTROL_ENABLED = os.environ.get("NEWSCRAWL_REMOTE_CONTROL") == "1"
TELNETCONSOLE_ENABLED = os.environ.get("NEWSCRAWL_TELNET") == "1"

# The run's keeper (the one owner of the store, the locks and the day ledger) and its verdict.
EXTENSIONS = {
    "newscrawl.extensions.verdict.RunVerdict": 10,
    "newscrawl.extensions.keeper.Keeper": 20,
    "newscrawl.extensions.progress.Progress": 30,
    "newscrawl.extensions.coverage.FieldCoverage": 40,
}

# Pipelines: validate, drop in-run duplicates, store (each can be switched off: <NAME>_ENABLED).
ITEM_PIPELINES = {
    "newscrawl.pipelines.validate.ValidationPipeline": 100,
    "newscrawl.pipelines.dedupe.DuplicatesPipeline": 200,
    "newscrawl.pipelines.store.StorePipeline": 300,
}
VALIDATION_REQUIRED_FIELDS = ["article_id", "url", "title", "published_at", "body"]

# Storage, chosen by the URI's scheme (newscrawl.store.uri): sqlite:///relative/path.db,
# sqlite:////absolute/path.db, mongodb://host/database or mongodb+srv://cluster/database.
# Unset: MongoDB when MONGO_URI (its older name) is set, else the SQLite file below.
NEWSCRAWL_STORE_URI = os.environ.get("NEWSCRAWL_STORE_URI") or None
MONGO_URI = os.environ.get("MONGO_URI") or None
MONGO_DATABASE = os.environ.get("MONGO_DATABASE", "newscrawl")
NEWSCRAWL_SQLITE_PATH = os.environ.get("NEWSCRAWL_SQLITE_PATH", "newscrawl.sqlite3")
# Kept as given (a string) from the environment: the crawl's start checks it, and every setting
# (newscrawl.settingscheck), rather than this import failing on a typo.
STORE_BATCH_SIZE = os.environ.get("STORE_BATCH_SIZE", 100)
STORE_FLUSH_INTERVAL = 5.0
# Where articles go when the store fails mid-run (default: newscrawl-dead-letter-<run>.jsonl).
NEWSCRAWL_DEAD_LETTER_PATH = os.environ.get("NEWSCRAWL_DEAD_LETTER_PATH") or None
# Raw pages (newscrawl.middlewares.WarcRecorderMiddleware; docs/operations.md): a folder to
# record every page in WARC files (off when empty), the size a file is rotated at, the bytes
# after which what was written is put on the disk (0: when the file is closed), and the gzip
# level of a page the server sent uncompressed.
NEWSCRAWL_WARC_DIR = os.environ.get("NEWSCRAWL_WARC_DIR") or None
NEWSCRAWL_WARC_MAX_SIZE = 1 << 30
NEWSCRAWL_WARC_SYNC_SIZE = 4 << 20
NEWSCRAWL_WARC_GZIP_LEVEL = 6

# Crawl modes (see docs/operations.md).
ARCHIVE_MAX_PAGES = 200  # safety bound on index pages of one day
INCREMENTAL_STOP_AFTER = 20  # stop a channel after this many already-stored articles in a row
INCREMENTAL_MAX_DAYS = 7  # how far back an incremental run may walk
# Stored articles are fetched again at these ages after publication, by incremental runs,
# after the new articles, with If-None-Match / If-Modified-Since (empty: never). Edits come
# early; the 24 h revisit stores the article as the site settled it (docs/operations.md).
NEWSCRAWL_REVISIT_AFTER = os.environ.get("NEWSCRAWL_REVISIT_AFTER", "3h,24h")
# What one run may spend, in time ("50m") and/or requests ("2000 requests"): reached, the run
# ends cleanly (exit 0) and what it left is done by the next one. Unset: no budget.
NEWSCRAWL_RUN_BUDGET = os.environ.get("NEWSCRAWL_RUN_BUDGET") or None
NEWSCRAWL_PROGRESS_INTERVAL = 60.0  # seconds between progress lines

# Unattended runs: the verdict's rules (newscrawl.extensions.verdict) and the store's locks.
NEWSCRAWL_MAX_SPIDER_ERRORS = 10
NEWSCRAWL_MAX_LISTING_FAILURES = 3  # channel/index pages that failed after retries
NEWSCRAWL_QUALITY_FLOOR = 0.9  # share of attempted articles that must end up good
NEWSCRAWL_QUALITY_MIN_ITEMS = 20  # below this many attempts the floor is not applied
NEWSCRAWL_MAX_INCOMPLETE_DAYS = -1  # days left incomplete that fail the run (-1: never)
NEWSCRAWL_MAX_REFUSED_SHARE = 0.2  # share of requests the site may refuse (403/503/resets)
# A day is recorded complete only this long after it ended in WIB (articles listed late);
# walked before then it is recorded open, and the next backfill walks it again.
NEWSCRAWL_DAY_GRACE_HOURS = 6.0
# Field coverage (newscrawl.extensions.coverage; measurements in docs/operations.md): the share
# of extracted articles that must have each field, else the run fails ...
NEWSCRAWL_FIELD_FLOORS = {
    "title": 0.95,
    "published_at": 0.95,
    "section": 0.95,
    "body": 0.9,
    "summary": 0.8,
    "tags": 0.7,
    "authors": 0.5,
}
NEWSCRAWL_FIELD_FLOOR_MIN_ARTICLES = 20  # ... judged from this many extracted articles
# ... and the share of the articles having a field that must get it from structured data,
# else a warning (the canary of a page that stopped stating it for machines).
NEWSCRAWL_FIELD_STRUCTURED = {
    "title": 0.5,
    "published_at": 0.5,
    "authors": 0.5,
    "section": 0.5,
}
NEWSCRAWL_LOCK_ENABLED = True  # one run per store, mode and channel
NEWSCRAWL_LOCK_LEASE_S = 120  # MongoDB lease seconds, renewed every third of it
