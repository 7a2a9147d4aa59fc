"""Raw pages in WARC files (ISO 28500): the files a crawl records, and the reader of any WARC
file, ours or a web archive's.

A crawl with NEWSCRAWL_WARC_DIR writes WARC/1.1 request and response records, one gzip
member per record, into files named by run and rotated by size. The response keeps the body
as the server sent it (still compressed when the server compressed it, as web archivists
record it), so it is written without compressing it again. Each record reaches the file
whole before the crawl goes on; a crash can cut off only the record being written, and the
reader skips a cut-off record (and finds the next whole one after damage in the middle).

The reader is warcio's (the web archivists' library); it yields every record as a Capture
or a Skip with the reason it is not a page.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import hashlib
import io
import os
import struct
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

WARC_VERSION = "WARC/1.1"
SUFFIX = ".warc.gz"
# Headers the recorded response no longer matches: Scrapy hands over the body de-chunked.
DROPPED_HEADERS = frozenset({b"transfer-encoding", b"content-length"})
GZIP_MAGIC = b"\x1f\x8b\x08"
# A gzip member's header as zlib writes it at level 0 (no name, no time, "fastest", Unix), and
# the most a deflate stored block holds.
GZIP_STORED_HEADER = GZIP_MAGIC + b"\x00\x00\x00\x00\x00\x04\x03"
STORED_BLOCK = 0xFFFF
SMALL_RECORD = 2048
# How much a reader scans at a time for the next record after damage or a part's start.
RESYNC_STEP = 1 << 20
# The most buffers one writev takes (Linux and the BSDs: 1024).
IOV_MAX = min(os.sysconf("SC_IOV_MAX"), 1024) if hasattr(os, "sysconf") else 16
# A page body larger than any real one (the largest saved page is under 1 MB) is skipped.
MAX_BODY = 64 << 20


def warc_date(when: datetime) -> str:
    """WARC-Date in UTC, to the millisecond (WARC/1.1 allows a fraction of a second)."""
    when = when.astimezone(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def _digest(*parts: bytes) -> str:
    """sha1:BASE32, the digest form web archives use."""
    hasher = hashlib.sha1()
    for part in parts:
        hasher.update(part)
    return "sha1:" + base64.b32encode(hasher.digest()).decode("ascii")


def _header_block(fields: list[tuple[str, str]]) -> bytes:
    """A WARC header block: the version line, the fields, the blank line."""
    lines = [WARC_VERSION] + [f"{name}: {value}" for name, value in fields]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


Buffers = list[bytes | memoryview]
"""A record as the pieces written one after another with one writev (no piece copied)."""


def _record(fields: list[tuple[str, str]], block: list[bytes], level: int) -> Buffers:
    """One WARC record as one gzip member, its block given in parts (a page body is never
    copied to join them)."""
    length = sum(map(len, block))
    parts = [_header_block([*fields, ("Content-Length", str(length))]), *block, b"\r\n\r\n"]
    if level == 0:
        return _stored_member(parts)
    # A small record (a warcinfo) needs no 32 KB window: setting one up (memory zlib clears)
    # costs twenty times what compressing the record does.
    small = length <= SMALL_RECORD
    compressor = zlib.compressobj(
        level, zlib.DEFLATED, 16 + (12 if small else 15), 2 if small else 8
    )
    return [*map(compressor.compress, parts), compressor.flush()]


def _stored_member(parts: list[bytes]) -> Buffers:
    """A gzip member holding the parts as they are, in deflate's stored blocks (a block per
    64 KB of a part): what zlib writes at level 0, for the cost of a CRC (zlib's level 0
    still copies every byte through its window, and sets one up: ten times the cost)."""
    chunks = [
        view[start : start + STORED_BLOCK]
        for view in map(memoryview, parts)
        for start in range(0, len(view), STORED_BLOCK)
    ] or [memoryview(b"")]
    out: Buffers = [GZIP_STORED_HEADER]
    for n, chunk in enumerate(chunks, 1):
        out += [struct.pack("<BHH", n == len(chunks), len(chunk), len(chunk) ^ 0xFFFF), chunk]
    crc = 0
    for part in parts:
        crc = zlib.crc32(part, crc)
    out.append(struct.pack("<II", crc, sum(map(len, parts)) & 0xFFFFFFFF))
    return out


def _size(buffers: Buffers) -> int:
    return sum(map(len, buffers))


def _write_all(fd: int, buffers: Buffers) -> None:
    """Write the buffers in order with writev (IOV_MAX at a time), going on after a short
    write; a write that makes no progress is an error (the disk is full)."""
    pending = [memoryview(b).cast("B") for b in buffers if len(b)]
    first = 0
    while first < len(pending):
        written = os.writev(fd, pending[first : first + IOV_MAX])
        if written <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        while written and written >= len(pending[first]):
            written -= len(pending[first])
            first += 1
        if written:
            pending[first] = pending[first][written:]


def _record_id() -> str:
    return f"<urn:uuid:{uuid.uuid4()}>"


@dataclass(frozen=True)
class Exchange:
    """One HTTP request and its response, as Scrapy had them."""

    url: str
    method: str
    request_headers: list[tuple[bytes, bytes]]
    status: int
    response_headers: list[tuple[bytes, bytes]]
    body: bytes
    captured_at: datetime
    ip_address: str | None = None


def _http_lines(first: str, headers: list[tuple[bytes, bytes]], extra: list[bytes]) -> bytes:
    """An HTTP message head: the first line, the headers, the blank line."""
    lines = [first.encode("latin-1")]
    lines += [name + b": " + value for name, value in headers]
    lines += extra
    return b"\r\n".join(lines) + b"\r\n\r\n"


def exchange_records(exchange: Exchange, *, level: int) -> tuple[Buffers, Buffers]:
    """The response and request records of an exchange, each a gzip member in pieces.

    A body the server compressed is stored as it is (level 0): compressing it again costs
    CPU and saves nothing.
    """
    kept = [(k, v) for k, v in exchange.response_headers if k.lower() not in DROPPED_HEADERS]
    compressed = any(k.lower() == b"content-encoding" for k, _ in kept)
    head = _http_lines(
        f"HTTP/1.1 {exchange.status} {_reason(exchange.status)}",
        kept,
        [b"Content-Length: " + str(len(exchange.body)).encode()],
    )
    response_id = _record_id()
    date = warc_date(exchange.captured_at)
    fields = [
        ("WARC-Type", "response"),
        ("WARC-Record-ID", response_id),
        ("WARC-Date", date),
        ("WARC-Target-URI", exchange.url),
    ]
    if exchange.ip_address:
        fields.append(("WARC-IP-Address", exchange.ip_address))
    fields += [
        # The payload digest only: a block digest would hash the page a second time (a tenth
        # of what recording costs) and is optional; readers and deduplication use this one.
        ("WARC-Payload-Digest", _digest(exchange.body)),
        ("Content-Type", "application/http; msgtype=response"),
    ]
    response = _record(fields, [head, exchange.body], 0 if compressed else level)
    target = exchange.url.split("://", 1)[-1]
    path = "/" + target.split("/", 1)[1] if "/" in target else "/"
    request_head = _http_lines(f"{exchange.method} {path} HTTP/1.1", exchange.request_headers, [])
    request_fields = [
        ("WARC-Type", "request"),
        ("WARC-Record-ID", _record_id()),
        ("WARC-Date", date),
        ("WARC-Target-URI", exchange.url),
        ("WARC-Concurrent-To", response_id),
        ("WARC-Block-Digest", _digest(request_head)),
        ("Content-Type", "application/http; msgtype=request"),
    ]
    # A request record (half a KB) is stored: compressing it would save a few hundred bytes
    # for a tenth of what recording a page costs (zlib's set-up, not the compression).
    return response, _record(request_fields, [request_head], 0)


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


class NotWarc(ValueError):
    """A file that does not begin with a WARC record."""


class WarcWriteError(OSError):
    """A record could not be written (the disk is full, the folder went away)."""


class WarcFiles:
    """The WARC files of one run: {prefix}-{run id}-{n:05d}.warc.gz in one folder, a new
    file once the current one reaches ``max_bytes``, put on the disk every ``sync_bytes``
    (0: only when closed)."""

    def __init__(
        self,
        directory: str | Path,
        run_id: str,
        *,
        max_bytes: int = 1 << 30,
        sync_bytes: int = 4 << 20,
        level: int = 6,
        prefix: str = "liputan6",
        software: str = "newscrawl",
    ):
        self.directory = Path(directory)
        self.run_id = run_id
        self.max_bytes = max_bytes
        self.sync_bytes = sync_bytes
        self.level = level
        self.prefix = prefix
        self.software = software
        self.serial = 0
        self.records = 0
        self.bytes = 0
        self.syncs = 0
        self.files: list[str] = []
        self._fh: BinaryIO | None = None
        self._name: str | None = None
        self._offset = 0  # the current file's length: where the next record goes
        self._unsynced = 0  # bytes written since the last sync

    @property
    def current(self) -> Path | None:
        """The file being written, if any."""
        return self.directory / self._name if self._name else None

    def write(self, exchange: Exchange) -> tuple[str, int]:
        """Record an exchange; return (file name, offset of its response record).

        Both records reach the OS before this returns (a crash of the process loses none of
        them); a write that fails is cut off, so the file ends with whole records.
        """
        response, request = exchange_records(exchange, level=self.level)
        size = _size(response) + _size(request)
        fh = self._file(size)
        offset = self._offset
        try:
            # One system call for both records, the page body written from where it is.
            _write_all(fh.fileno(), [*response, *request])
        except OSError as exc:
            self._cut(offset)
            raise WarcWriteError(exc.errno, f"{self.current}: {exc.strerror or exc}") from exc
        self._offset += size
        self.records += 2
        self.bytes += size
        self._unsynced += size
        if self.sync_bytes and self._unsynced >= self.sync_bytes:
            self._sync()
        return self._name, offset

    def _sync(self) -> None:
        """Put what was written on the disk, and drop it from the page cache.

        A power cut then loses at most sync_bytes of records. The crawl never reads them
        back: dropped, their memory serves the next writes (cheaper for the kernel than new
        pages) and the page cache keeps the store's pages instead.
        """
        fd = self._fh.fileno()
        try:
            getattr(os, "fdatasync", os.fsync)(fd)
        except OSError as exc:
            raise WarcWriteError(
                exc.errno, f"{self.current}: cannot put it on the disk: {exc.strerror or exc}"
            ) from exc
        self._unsynced = 0
        self.syncs += 1
        if hasattr(os, "posix_fadvise"):
            # Advice only: a file system that refuses it loses nothing.
            with contextlib.suppress(OSError):
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)

    def _file(self, size: int) -> BinaryIO:
        """The open file to write ``size`` more bytes to, a new one past max_bytes."""
        if self._fh is not None and self._offset + size > self.max_bytes and self._offset:
            self.close()
        if self._fh is None:
            self.serial += 1
            name = f"{self.prefix}-{self.run_id}-{self.serial:05d}{SUFFIX}"
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
                # "x": a file of another run is never appended to or overwritten.
                # Unbuffered: every record goes to the OS whole, with writev.
                self._fh = open(self.directory / name, "xb", buffering=0)  # noqa: SIM115
            except OSError as exc:
                raise WarcWriteError(
                    exc.errno, f"{self.directory / name}: {exc.strerror or exc}"
                ) from exc
            self._name = name
            self._offset = 0
            self.files.append(name)
            info = (
                f"software: {self.software}\r\nformat: WARC File Format 1.1\r\n"
                f"conformsTo: http://iipc.github.io/warc-specifications/specifications/"
                f"warc-format/warc-1.1/\r\nisPartOf: {self.run_id}\r\n"
            ).encode()
            record = _record(
                [
                    ("WARC-Type", "warcinfo"),
                    ("WARC-Record-ID", _record_id()),
                    ("WARC-Date", warc_date(datetime.now(UTC))),
                    ("WARC-Filename", name),
                    ("Content-Type", "application/warc-fields"),
                ],
                [info],
                self.level,
            )
            try:
                _write_all(self._fh.fileno(), record)
            except OSError as exc:
                self._cut(0)
                raise WarcWriteError(exc.errno, f"{self.current}: {exc.strerror or exc}") from exc
            self._offset = self._unsynced = _size(record)
        return self._fh

    def _cut(self, offset: int) -> None:
        """Drop a partly written record (best effort: the disk may refuse this too)."""
        try:
            self._fh.truncate(offset)
            self._fh.seek(offset)
        except (OSError, ValueError):
            pass

    def close(self) -> None:
        """Flush the file to disk and close it."""
        if self._fh is None:
            return
        fh, self._fh = self._fh, None
        try:
            os.fsync(fh.fileno())
        finally:
            fh.close()


# ---- reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Capture:
    """A response record holding a page: its URL, capture time, place and decoded body."""

    url: str
    captured_at: datetime
    file: str
    offset: int
    status: int
    content_type: str
    body: bytes


@dataclass(frozen=True)
class Skip:
    """A record that is not a page, with the reason (counted by the readers' callers)."""

    reason: str
    url: str | None
    offset: int


def _decode(body: bytes, encoding: str | None) -> bytes:
    """The body without its Content-Encoding (gzip, deflate, br, zstd), at most MAX_BODY."""
    encoding = (encoding or "").strip().lower()
    if encoding in ("", "identity"):
        return body
    if encoding in ("gzip", "x-gzip", "deflate"):
        wbits = 47 if encoding != "deflate" else 15
        try:
            out = zlib.decompressobj(wbits).decompress(body, MAX_BODY)
        except zlib.error:
            if encoding != "deflate":
                raise
            out = zlib.decompressobj(-15).decompress(body, MAX_BODY)  # raw deflate
        return out
    if encoding == "br":
        import brotli

        return brotli.decompress(body)
    if encoding == "zstd":
        import zstandard

        return zstandard.ZstdDecompressor().decompress(body, max_output_size=MAX_BODY)
    raise ValueError(f"unknown Content-Encoding {encoding!r}")


def _read_payload(record) -> bytes:
    """The HTTP payload as sent (de-chunked, still content-encoded)."""
    from warcio.bufferedreaders import ChunkedDataReader

    stream = record.raw_stream
    if (record.http_headers.get_header("transfer-encoding") or "").lower() == "chunked":
        stream = ChunkedDataReader(stream, decomp_type=None)
    return stream.read(MAX_BODY + 1)


def _capture_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return None


def is_gzipped(path: str | Path) -> bool:
    """True for a gzip file (per-record gzip, as WARC files should be)."""
    with open(path, "rb") as fh:
        return fh.read(3) == GZIP_MAGIC


def next_record_start(fh: BinaryIO, start: int, end: int | None = None) -> int | None:
    """The offset of the first gzip member at or after ``start`` that opens a WARC record
    (None when none starts before ``end``): where a reader of part of a file, or a reader past
    damage, begins."""
    position = start
    while end is None or position < end:
        fh.seek(position)
        chunk = fh.read(RESYNC_STEP + 64)
        if not chunk:
            return None
        found = chunk.find(GZIP_MAGIC)
        while found != -1 and found < RESYNC_STEP:
            at = position + found
            if end is not None and at >= end:
                return None
            if _opens_record(fh, at):
                return at
            found = chunk.find(GZIP_MAGIC, found + 1)
        position += RESYNC_STEP
    return None


def _opens_record(fh: BinaryIO, at: int) -> bool:
    """Whether the gzip member at ``at`` decompresses to the start of a WARC record."""
    fh.seek(at)
    try:
        head = zlib.decompressobj(31).decompress(fh.read(4096), 16)
    except zlib.error:
        return False
    return head.startswith(b"WARC/1.")


def read_records(
    path: str | Path, start: int = 0, end: int | None = None
) -> Iterator[Capture | Skip]:
    """Every record of a WARC file whose record starts in [start, end), as a Capture (a
    response with a body) or a Skip with its reason.

    Damage in the middle of a file (a record that does not decompress or parse) is skipped
    up to the next whole record; a record cut off at the end (a crash while it was written)
    is one Skip "truncated record".
    """
    from warcio.archiveiterator import ArchiveIterator

    path = Path(path)
    name = path.name
    gzipped = is_gzipped(path)
    with open(path, "rb") as fh:
        position = start
        if start and gzipped:
            position = next_record_start(fh, start, end)
            if position is None:
                return
        while True:
            fh.seek(position)
            records = ArchiveIterator(fh, arc2warc=True)
            try:
                while True:
                    # warcio reports a member that fails to decompress on stderr and reads
                    # it as short; a short record is caught below instead.
                    with contextlib.redirect_stderr(io.StringIO()):
                        record = next(records, None)
                        if record is None:
                            # Bytes after the last whole record: one cut off mid-write.
                            if _trailing_bytes(fh, records.offset):
                                yield Skip("truncated record", None, records.offset)
                            return
                        # While a record is read, the iterator's offset is where it starts.
                        offset = records.offset
                        if end is not None and offset >= end:
                            return
                        result = _classify(record, name, offset)
                    yield result
            except Exception as exc:  # any damage: skip to the next whole record
                damaged = records.offset
                if damaged == 0:
                    raise NotWarc(f"{path}: not a WARC file ({exc})") from None
                found = next_record_start(fh, damaged + 1, end) if gzipped else None
                if found is None:
                    yield Skip("truncated record", None, damaged)
                    return
                yield Skip("damaged record", None, damaged)
                position = found


def _trailing_bytes(fh: BinaryIO, offset: int) -> bool:
    """Whether anything but blank lines follows ``offset``."""
    fh.seek(offset)
    return bool(fh.read(4096).strip())


class _ShortRecord(Exception):
    """A record whose block ends before its Content-Length: cut off or damaged."""


def _classify(record, name: str, offset: int) -> Capture | Skip:
    """A response record with a page body, or why a record is not one."""
    kind = record.rec_type
    url = record.rec_headers.get_header("WARC-Target-URI")
    if kind != "response":
        # Read to its end here, where a record cut short is noticed (warcio would not say).
        while record.raw_stream.read(1 << 16):
            pass
        if record.raw_stream.limit > 0:
            raise _ShortRecord(offset)
        if kind == "revisit":
            return Skip("revisit record (no payload)", url, offset)
        return Skip(f"{kind} record", url, offset)
    if record.http_headers is None or not url or not url.startswith(("http:", "https:")):
        return Skip("not an HTTP response", url, offset)
    try:
        status = int(record.http_headers.get_statuscode() or 0)
    except ValueError:
        status = 0
    if status != 200:
        return Skip(f"HTTP status {status}", url, offset)
    content_type = record.http_headers.get_header("content-type") or ""
    if content_type and "html" not in content_type.lower():
        return Skip("not HTML", url, offset)
    captured = _capture_time(record.rec_headers.get_header("WARC-Date"))
    if captured is None:
        return Skip("no capture date", url, offset)
    payload = _read_payload(record)
    if record.raw_stream.limit > 0 and len(payload) <= MAX_BODY:
        raise _ShortRecord(offset)
    if len(payload) > MAX_BODY:
        return Skip("oversized body", url, offset)
    try:
        body = _decode(payload, record.http_headers.get_header("content-encoding"))
    except Exception:  # a body the codec refuses is one counted skip
        return Skip("undecodable body", url, offset)
    return Capture(url, captured, name, offset, status, content_type, body)
