"""Drop articles that lack what an archive entry needs, counting each reason."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem, NotConfigured

from newscrawl.stats import count_drop

DEFAULT_REQUIRED = ("article_id", "url", "title", "published_at", "body")


class ValidationPipeline:
    """Drops an item missing a required field; stats: newscrawl/dropped/missing_<field>."""

    def __init__(self, crawler, required: tuple[str, ...]):
        self.crawler = crawler
        self.required = required

    @classmethod
    def from_crawler(cls, crawler):
        """Configured by VALIDATION_ENABLED and VALIDATION_REQUIRED_FIELDS."""
        if not crawler.settings.getbool("VALIDATION_ENABLED", True):
            raise NotConfigured("VALIDATION_ENABLED is off")
        required = tuple(crawler.settings.getlist("VALIDATION_REQUIRED_FIELDS", DEFAULT_REQUIRED))
        return cls(crawler, required)

    def process_item(self, item):
        """Pass a complete item on; drop and count an incomplete one."""
        adapter = ItemAdapter(item)
        for name in self.required:
            value = adapter.get(name)
            if value is None or value == "" or value == []:
                count_drop(self.crawler.stats, f"missing_{name}")
                raise DropItem(f"missing {name}: {adapter.get('url') or adapter.get('article_id')}")
        return item
