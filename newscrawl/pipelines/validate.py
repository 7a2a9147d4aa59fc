"""Drop articles that lack what an archive entry needs, counting each reason."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem, NotConfigured

from newscrawl.items import Article
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
        # Articles are read directly: ItemAdapter costs more than the check itself.
        if isinstance(item, Article):
            get = lambda name: getattr(item, name, None)  # noqa: E731
        else:
            get = ItemAdapter(item).get
        for name in self.required:
            value = get(name)
            if value is None or value == "" or value == []:
                count_drop(self.crawler.stats, f"missing_{name}")
                raise DropItem(f"missing {name}: {get('url') or get('article_id')}")
        return item
