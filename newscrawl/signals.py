"""Signals of newscrawl's own, sent through Scrapy's signal manager."""

# Sent once per article page extracted in a crawl, before its later pages are fetched:
# handlers get ``article`` (Article) and ``sources`` (field name → source label, see
# newscrawl.site.extraction.SOURCE_KINDS).
article_extracted = object()
