"""WARC files the tests build, with warcio's own writer (not newscrawl's), as web archives
write them: per-record gzip, warcinfo, request, response, revisit and metadata records,
bodies compressed or chunked as servers sent them."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


@dataclass(frozen=True)
class Page:
    """One response to put in a WARC file."""

    url: str
    body: bytes
    captured_at: datetime
    status: int = 200
    content_type: str = "text/html; charset=UTF-8"
    encoding: str | None = None
    """"gzip": the body is sent gzip-compressed (Content-Encoding), as most servers do."""
    chunked: bool = False
    """Transfer-Encoding: chunked, the chunks recorded as sent (as Common Crawl does)."""
    kind: str = "response"
    """"response", or "revisit" (a deduplicated capture with no payload)."""


def saved_article_pages(corpus_dir: Path) -> list[Path]:
    """The saved article pages of html/ (page_kind article or article(amp) in SOURCES.tsv)."""
    with open(corpus_dir / "html" / "SOURCES.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return sorted(
        corpus_dir / "html" / row["filename"]
        for row in rows
        if row["page_kind"].startswith("article")
    )


def _date(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _chunked(body: bytes, size: int = 8192) -> bytes:
    parts = [
        b"%x\r\n" % len(body[i : i + size]) + body[i : i + size] + b"\r\n"
        for i in range(0, len(body), size)
    ]
    return b"".join(parts) + b"0\r\n\r\n"


def write_warc(path: Path, pages: Iterable[Page], *, gzip_records: bool = True) -> Path:
    """A WARC/1.0 file of these pages (each with its request record), a warcinfo first and a
    metadata record after each response, as Heritrix and Common Crawl write them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gzip_records, warc_version="WARC/1.0")
        writer.write_record(
            writer.create_warcinfo_record(path.name, {"software": "tests/warcs.py"})
        )
        for page in pages:
            body = page.body
            headers = [("Content-Type", page.content_type)]
            if page.encoding == "gzip":
                body = gzip.compress(body, mtime=0)
                headers.append(("Content-Encoding", "gzip"))
            if page.chunked:
                body = _chunked(body)
                headers.append(("Transfer-Encoding", "chunked"))
            else:
                headers.append(("Content-Length", str(len(body))))
            http = StatusAndHeaders(f"{page.status} X", headers, protocol="HTTP/1.1")
            date = _date(page.captured_at)
            if page.kind == "revisit":
                record = writer.create_revisit_record(
                    page.url, "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", page.url, date, http
                )
                record.rec_headers.replace_header("WARC-Date", date)
                writer.write_record(record)
                continue
            response = writer.create_warc_record(
                page.url,
                "response",
                payload=io.BytesIO(body),
                http_headers=http,
                warc_headers_dict={"WARC-Date": date},
            )
            request = writer.create_warc_record(
                page.url,
                "request",
                payload=io.BytesIO(b""),
                http_headers=StatusAndHeaders(
                    f"GET {page.url} HTTP/1.1", [("Host", "x")], is_http_request=True
                ),
                warc_headers_dict={"WARC-Date": date},
            )
            writer.write_request_response_pair(request, response)
            writer.write_record(
                writer.create_warc_record(
                    page.url,
                    "metadata",
                    payload=io.BytesIO(b"fetchTimeMs: 120\r\n"),
                    warc_content_type="application/warc-fields",
                    warc_headers_dict={"WARC-Date": date},
                )
            )
    return path
