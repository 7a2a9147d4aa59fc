"""Extensions: the run's archive (store owner), its verdict and its progress lines."""

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
