"""What newscrawl knows about liputan6.com: URLs, list pages, article pages and bylines.

Plain functions over HTML and URLs; nothing here knows Scrapy's engine or the store.
"""
