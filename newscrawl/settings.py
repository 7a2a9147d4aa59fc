"""Scrapy settings for newscrawl: one file, deployment values from environment variables."""

import os

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.spiders"]
NEWSPIDER_MODULE = "newscrawl.spiders"

# Where the site lives; tests point it at a local copy.
LIPUTAN6_BASE_URL = os.environ.get("LIPUTAN6_BASE_URL", "https://www.liputan6.com")

# Polite by default: identify ourselves, obey robots.txt, adapt to the server's pace.
NEWSCRAWL_CONTACT = os.environ.get("NEWSCRAWL_CONTACT", "https://github.com/newscrawl/newscrawl")
USER_AGENT = f"newscrawl/0.1 (+{NEWSCRAWL_CONTACT})"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
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

HTTPCACHE_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = os.environ.get("NEWSCRAWL_LOG_LEVEL", "INFO")
