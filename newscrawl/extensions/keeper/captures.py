"""The keeper's captures: where each article's page was recorded, and its validators, from
the spider until the store pipeline."""

from __future__ import annotations

from typing import Any


class Captures:
    """The bookkeeping fields of each article's fetch, held until its document is built."""

    def __init__(self):
        self._captures: dict[str, dict[str, Any]] = {}

    def fetched(self, article_id: str | None, response) -> None:
        """The spider read this article's first page from this response: where it was
        recorded (NEWSCRAWL_WARC_DIR) and its validators, for the conditional revisit."""
        if not article_id:
            return
        fields: dict[str, Any] = {}
        where = response.meta.get("warc")
        if where:
            fields.update(
                fetched_at=where["captured_at"],
                warc_file=where["file"],
                warc_offset=where["offset"],
            )
        for header, name in (("ETag", "etag"), ("Last-Modified", "last_modified")):
            value = response.headers.get(header)
            if value:
                fields[name] = value.decode("latin-1")
        if fields:
            self._captures[str(article_id)] = fields

    def take(self, article_id: str | None) -> dict[str, Any]:
        """The bookkeeping fields of an article's stored document from its fetch: where its
        raw page is and its validators (none when nothing was recorded), forgotten here once
        taken."""
        return self._captures.pop(str(article_id), None) or {} if article_id else {}

    def forget(self, article_id: str | None) -> None:
        """The article will not be stored in this run."""
        if article_id:
            self._captures.pop(str(article_id), None)
