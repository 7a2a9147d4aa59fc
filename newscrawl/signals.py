"""Signals of newscrawl's own, sent through Scrapy's signal manager."""

# Sent once per article page extracted in a crawl, before its later pages are fetched:
# handlers get ``article`` (Article) and ``sources`` (field name → source label, see
# newscrawl.site.extraction.SOURCE_KINDS).
article_extracted = object()

# Sent at spider_opened by the run's keeper: it will send ``run_counted`` at close, and the
# verdict waits for that instead of deciding at spider_closed.
run_counting = object()

# Sent by the run's keeper at close, once the run's counts (days, listed articles) are in the
# stats and before the run record is completed: handlers get ``reason`` (the finish reason).
# The verdict decides on it and puts its result in the stats (newscrawl.stats.VERDICT_*).
run_counted = object()
