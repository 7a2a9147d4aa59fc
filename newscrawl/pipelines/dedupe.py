"""Drop the second copy of an article met twice in one crawl."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem, NotConfigured

from newscrawl.items import Article
from newscrawl.stats import count_drop


class DuplicateArticle(DropItem):
    """The second copy of an article in one crawl: the first copy is the one kept."""


class DuplicatesPipeline:
    """In-run duplicate filter on the article id; stats: newscrawl/dropped/duplicate."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        """Configured by DUPLICATES_ENABLED."""
        if not crawler.settings.getbool("DUPLICATES_ENABLED", True):
            raise NotConfigured("DUPLICATES_ENABLED is off")
        return cls(crawler)

    def process_item(self, item):
        """Pass the first item of each article id; drop and count later ones."""
        if isinstance(item, Article):  # read directly: ItemAdapter costs more than the check
            source, article_id = item.source, item.article_id
        else:
            adapter = ItemAdapter(item)
            source, article_id = adapter.get("source"), adapter["article_id"]
        key = f"{source or 'liputan6'}:{article_id}"
        if key in self.seen:
            count_drop(self.crawler.stats, "duplicate")
            raise DuplicateArticle(f"duplicate article {key} in this crawl")
        self.seen.add(key)
        return item
