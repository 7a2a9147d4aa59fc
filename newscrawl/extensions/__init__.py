"""Extensions: the run's keeper (the owner of the store), its verdict, progress lines and
field coverage."""

from __future__ import annotations

from typing import TypeVar

from scrapy.exceptions import NotConfigured

_T = TypeVar("_T")


def required_extension(crawler, cls: type[_T]) -> _T:
    """The crawler's instance of an extension; NotConfigured when it is switched off."""
    extension = crawler.get_extension(cls)
    if extension is None:
        raise NotConfigured(f"the {cls.__name__} extension is not enabled (EXTENSIONS)")
    return extension
