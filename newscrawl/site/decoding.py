"""A page's text from its bytes, decoded as the crawl decodes a response; a page that cannot
be decoded is an undecodable page, counted where it is read, never a crash.

Every reader of a page (the spider's callbacks, check-site, `newscrawl extract`, reextract
and import-warc) gets its text here. The encoding sniffer under Scrapy and w3lib (frostwork,
in Rust) panics on some pages, e.g. one cut right after ``<meta`` that comes with no charset
in its Content-Type; the panic is a ``pyo3_runtime.PanicException``, a BaseException that
passes every ``except Exception``, and it is raised again each time the page is decoded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from newscrawl.site.extraction import NotAnArticle
from newscrawl.site.navigation import Listing

if TYPE_CHECKING:
    from scrapy.http import Response

UNDECODABLE = "undecodable page"
# What stops the process, never a decoder's failure.
_NOT_THE_PAGE = (KeyboardInterrupt, SystemExit, GeneratorExit)
# Why each response found undecodable was: the spider reads a page the meta-refresh
# middleware has read before it, and the decoder is not run (nor panics) twice.
_FAILED: WeakKeyDictionary[Response, str] = WeakKeyDictionary()


class Undecodable(NotAnArticle):
    """The page's bytes could not be decoded to text (reason "undecodable page"); the
    detail names what the decoder raised."""

    def __init__(self, detail: str):
        super().__init__(UNDECODABLE, detail)


def response_text(response: Response) -> str:
    """``response.text``, or Undecodable when decoding it raises anything."""
    failed = _FAILED.get(response)
    if failed is not None:
        raise Undecodable(failed)
    try:
        return response.text
    except _NOT_THE_PAGE:
        raise
    # The panic's class (pyo3_runtime.PanicException) cannot be imported, so every other
    # BaseException is caught: here it can only come from decoding this one page.
    except BaseException as exc:
        _FAILED[response] = failed = f"{type(exc).__name__}: {exc}"
        raise Undecodable(failed) from exc


def page_text(body: bytes, url: str, content_type: str | None = None) -> str:
    """A saved or recorded page's text, decoded exactly as the crawl decodes a response
    (Scrapy's TextResponse: byte order mark, the charset of ``content_type`` or of the page,
    then detection); Undecodable when that fails."""
    from scrapy.http import HtmlResponse

    headers = {"Content-Type": content_type} if content_type else None
    return response_text(HtmlResponse(url, body=body, headers=headers))


def read_list(read: Callable[[str, str], Listing], response: Response) -> Listing:
    """A list page read by ``read`` (navigation.read_index or read_front); an undecodable
    one is a page no layout recognises, with the reason as its fingerprint."""
    try:
        html = response_text(response)
    except Undecodable as exc:
        return Listing([], None, fingerprint=str(exc))
    return read(html, response.url)
