"""Feed exporters for `scrapy crawl -O`: the same text as `newscrawl export` writes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from scrapy.exporters import CsvItemExporter, JsonItemExporter, JsonLinesItemExporter
from scrapy.utils.serialize import ScrapyJSONEncoder

from newscrawl.items import ARTICLE_FIELDS
from newscrawl.serialize import isoformat_z, to_jsonable


class ArticleJSONEncoder(ScrapyJSONEncoder):
    """Scrapy's JSON encoder with datetimes as ISO 8601 UTC ending in Z."""

    def default(self, o: Any) -> Any:
        # Scrapy's isoformat() keeps the offset (+00:00); the store's text is Z.
        if isinstance(o, datetime):
            return isoformat_z(o)
        return super().default(o)


def article_fields(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Exporter options whose fields default to the Article's own (an item's capture is
    bookkeeping for the store, not part of the article)."""
    if kwargs.get("fields_to_export") is None:
        kwargs["fields_to_export"] = list(ARTICLE_FIELDS)
    return kwargs


class JsonLinesExporter(JsonLinesItemExporter):
    """JSON Lines with Z datetimes; lists stay JSON lists."""

    def __init__(self, file: Any, **kwargs: Any):
        super().__init__(file, **article_fields(kwargs))
        self.encoder = ArticleJSONEncoder(**self._kwargs)


class JsonExporter(JsonItemExporter):
    """A JSON array with Z datetimes; lists stay JSON lists."""

    def __init__(self, file: Any, **kwargs: Any):
        super().__init__(file, **article_fields(kwargs))
        self.encoder = ArticleJSONEncoder(**self._kwargs)


class CsvExporter(CsvItemExporter):
    """CSV with Z datetimes, lists joined with "; ", Article columns in schema order."""

    def __init__(self, file: Any, join_multivalued: str = "; ", **kwargs: Any):
        # Without FEED_EXPORT_FIELDS the header would come from whatever item is first.
        super().__init__(file, join_multivalued=join_multivalued, **article_fields(kwargs))

    def serialize_field(self, field: Mapping[str, Any], name: str, value: Any) -> Any:
        """The value with datetimes as Z text, then joined by Scrapy if it is a list."""
        return super().serialize_field(field, name, to_jsonable(value))
