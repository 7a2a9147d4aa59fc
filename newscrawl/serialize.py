"""Articles to and from JSON: datetimes as ISO 8601 in UTC with a trailing Z."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from newscrawl.items import ARTICLE_FIELDS, Article

_DATETIME_FIELDS = tuple(f.name for f in dataclasses.fields(Article) if "datetime" in str(f.type))


def isoformat_z(value: datetime) -> str:
    """2020-05-27T16:34:41Z for an aware datetime (converted to UTC first); a time with a
    fraction of a second keeps its milliseconds, the precision stored: 16:34:41.287Z."""
    spec = "seconds" if value.microsecond == 0 else "milliseconds"
    return value.astimezone(UTC).isoformat(timespec=spec).replace("+00:00", "Z")


def to_jsonable(value: Any) -> Any:
    """A value with datetimes turned into ISO 8601 Z strings, recursively."""
    if isinstance(value, datetime):
        return isoformat_z(value)
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value


def datetimes_as(text: Callable[[datetime], str | None]) -> Callable[[Any], str | None]:
    """A json.dumps(default=...) hook writing datetimes with ``text``; nothing else is JSON.

    json's C encoder walks the lists and dicts itself and calls the hook only for datetimes,
    several times faster than copying the value with to_jsonable first.
    """

    def default(value: Any) -> str | None:
        if isinstance(value, datetime):
            return text(value)
        raise TypeError(f"{type(value).__name__} is not JSON serializable")

    return default


# Datetimes as ISO 8601 Z: the same text as to_jsonable gives.
datetime_z = datetimes_as(isoformat_z)


def article_to_json(article: Article) -> str:
    """One article as a compact JSON line (no trailing newline)."""
    return json.dumps(article.to_dict(), ensure_ascii=False, default=datetime_z)


def article_from_dict(data: dict[str, Any]) -> Article:
    """An Article from a JSON object; unknown keys are ignored, dates parsed back to UTC."""
    values = {k: data[k] for k in ARTICLE_FIELDS if k in data}
    for name in _DATETIME_FIELDS:
        raw = values.get(name)
        if isinstance(raw, str):
            values[name] = datetime.fromisoformat(raw.replace("Z", "+00:00")).astimezone(UTC)
    return Article(**values)
