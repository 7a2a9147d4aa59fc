"""What newscrawl knows about liputan6.com: URLs, list pages, article pages and bylines.

Plain functions over HTML and URLs; nothing here knows Scrapy's engine or the store.
"""

# The version of the extraction: stored with every article (extractor_version), so
# `newscrawl reextract --outdated` finds the articles an older extraction produced. Raise it
# whenever extraction gives different values for some page (tests/test_extractor_version.py
# fails until it is raised).
EXTRACTOR_VERSION = 2
