"""Check every article before it is kept: reject what a stored article cannot be, repair what
can be repaired, and count each reason. The same check runs in the crawl, `newscrawl replay`
and `newscrawl extract`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem, NotConfigured

from newscrawl.items import Article
from newscrawl.normalize.text import TAG, without_controls, without_markup
from newscrawl.stats import LAYOUTS, REPAIRED, count_drop

DEFAULT_REQUIRED = ("article_id", "url", "title", "published_at", "body")
# Liputan6's articles begin in October 2000; nothing is published more than a day ahead.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
AHEAD = timedelta(days=1)
# Far above any real article (the longest saved body is under 100,000 characters).
MAX_LENGTHS = {"title": 1_000, "summary": 10_000, "body": 2_000_000}
TEXT_FIELDS = ("title", "summary", "body", "byline_raw", "image_caption", "dateline")
LIST_TEXT_FIELDS = ("authors", "editors", "photographers", "credits", "tags")


class Invalid(Exception):
    """The article cannot be kept; ``reason`` names the stat it is counted under."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def check_article(item: Any, required=DEFAULT_REQUIRED, now: datetime | None = None) -> list[str]:
    """Raise Invalid for an article that cannot be kept; repair the rest in place and return
    the reasons of the repairs made."""
    fields = _Fields(item)
    for name in required:
        value = fields.get(name)
        if value is None or value == "" or value == []:
            where = fields.get("url") or fields.get("article_id")
            raise Invalid(f"missing_{name}", f"missing {name}: {where}")
    repairs = []
    if _repair_controls(fields):
        repairs.append("control_characters")
    title = fields.get("title")
    if isinstance(title, str) and TAG.search(title):
        fields.set("title", without_markup(title))
        repairs.append("title_markup")
        if not fields.get("title") and "title" in required:
            raise Invalid("missing_title", f"missing title (only markup): {fields.get('url')}")
    for name, limit in MAX_LENGTHS.items():
        value = fields.get(name)
        if isinstance(value, str) and len(value) > limit:
            raise Invalid(f"oversized_{name}", f"{name} of {len(value)} characters (> {limit})")
    published = fields.get("published_at")
    if isinstance(published, datetime):
        latest = (now or datetime.now(UTC)) + AHEAD
        if not EARLIEST <= published <= latest:
            raise Invalid("implausible_date", f"published {published.isoformat()}: impossible")
    return repairs


def _repair_controls(fields: _Fields) -> bool:
    """Strip control characters from every text field; True when any was there."""
    changed = False
    for name in TEXT_FIELDS:
        value = fields.get(name)
        if isinstance(value, str) and value != (clean := without_controls(value)):
            fields.set(name, clean)
            changed = True
    for name in LIST_TEXT_FIELDS:
        values = fields.get(name)
        if isinstance(values, list) and any(isinstance(v, str) for v in values):
            clean = [without_controls(v) if isinstance(v, str) else v for v in values]
            if clean != values:
                fields.set(name, clean)
                changed = True
    return changed


class _Fields:
    """get/set on an Article directly (cheaper than ItemAdapter) or on any other item."""

    def __init__(self, item: Any):
        self.item = item
        self.adapter = None if isinstance(item, Article) else ItemAdapter(item)

    def get(self, name: str) -> Any:
        if self.adapter is None:
            return getattr(self.item, name, None)
        return self.adapter.get(name)

    def set(self, name: str, value: Any) -> None:
        if self.adapter is None:
            setattr(self.item, name, value)
        else:
            self.adapter[name] = value


class ValidationPipeline:
    """Drops an article that cannot be kept (newscrawl/dropped/<reason>) and repairs one
    that can be (newscrawl/repaired/<reason>); counts every article by the layout that read
    it (newscrawl/layouts/<name>)."""

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
        """Pass a good article on (repaired where it needed it); drop and count a bad one."""
        stats = self.crawler.stats
        layout = _Fields(item).get("layout")
        if layout:
            stats.inc_value(f"{LAYOUTS}/{layout}")
        try:
            repairs = check_article(item, self.required)
        except Invalid as exc:
            count_drop(stats, exc.reason)
            raise DropItem(str(exc)) from None
        for reason in repairs:
            stats.inc_value(f"{REPAIRED}/{reason}")
        return item
