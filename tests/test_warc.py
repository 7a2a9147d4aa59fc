"""WARC files: what newscrawl records is read by warcio with its digests checked, files
rotate by size and never overwrite, and the reader survives files cut off by a crash,
damaged in the middle, read in parts, or written by other archivists."""

from __future__ import annotations

import dataclasses
import errno
import gzip
import itertools
import os
from datetime import UTC, datetime, timedelta

import pytest
from warcio.archiveiterator import ArchiveIterator

from newscrawl.warc import (
    Capture,
    Exchange,
    Skip,
    WarcFiles,
    WarcWriteError,
    read_records,
    warc_date,
)
from tests.warcs import Page, write_warc

WHEN = datetime(2026, 11, 30, 4, 15, 30, 123456, tzinfo=UTC)
HTML = "<!DOCTYPE html><html><head><title>Judul é</title></head><body><p>{}</p></body></html>"


def page(n: int, size: int = 2000) -> bytes:
    return HTML.format(f"Artikel {n} " + "kata " * (size // 5)).encode("utf-8")


def exchange(n: int, *, gzip_body: bool = False, when: datetime = WHEN) -> Exchange:
    body = page(n)
    headers = [(b"Content-Type", b"text/html; charset=UTF-8"), (b"Transfer-Encoding", b"chunked")]
    if gzip_body:
        body = gzip.compress(body, mtime=0)
        headers.append((b"Content-Encoding", b"gzip"))
    return Exchange(
        url=f"https://www.liputan6.com/news/read/{5_000_000 + n}/judul-{n}",
        method="GET",
        request_headers=[(b"User-Agent", b"newscrawl"), (b"Accept-Encoding", b"gzip")],
        status=200,
        response_headers=headers,
        body=body,
        captured_at=when + timedelta(seconds=n),
        ip_address="127.0.0.1",
    )


def records(path):
    with open(path, "rb") as fh:
        return [
            (r.rec_type, r.rec_headers, r.content_stream().read())
            for r in ArchiveIterator(fh, check_digests=True)
        ]


def test_warcio_reads_every_record_with_its_digests_checked(tmp_path):
    files = WarcFiles(tmp_path, "RUN", level=6)
    places = [files.write(exchange(n, gzip_body=n % 2 == 1)) for n in range(4)]
    files.close()
    (name,) = files.files
    assert name == "liputan6-RUN-00001.warc.gz"
    read = records(tmp_path / name)  # check_digests=True raises on a wrong digest
    kinds = [kind for kind, _, _ in read]
    assert kinds == ["warcinfo"] + ["response", "request"] * 4
    responses = [(h, body) for kind, h, body in read if kind == "response"]
    for n, (headers, body) in enumerate(responses):
        assert headers.get_header("WARC-Type") == "response"
        assert headers.protocol == "WARC/1.1"
        assert headers.get_header("WARC-Payload-Digest").startswith("sha1:")
        assert headers.get_header("WARC-Date") == warc_date(WHEN + timedelta(seconds=n))
        assert body == page(n)  # the gzip body decoded by warcio as any reader would
    requests = [h for kind, h, _ in read if kind == "request"]
    for (response, _), request in zip(responses, requests, strict=True):
        assert request.get_header("WARC-Concurrent-To") == response.get_header("WARC-Record-ID")
    # Each place is the offset of its response record.
    with open(tmp_path / name, "rb") as fh:
        for n, (_, offset) in enumerate(places):
            fh.seek(offset)
            record = next(iter(ArchiveIterator(fh)))
            assert record.rec_type == "response"
            assert record.rec_headers.get_header("WARC-Target-URI") == exchange(n).url


def test_a_compressed_body_is_kept_as_the_server_sent_it(tmp_path):
    files = WarcFiles(tmp_path, "RUN")
    files.write(exchange(1, gzip_body=True))
    files.close()
    with open(tmp_path / files.files[0], "rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type == "response":
                assert record.http_headers.get_header("Content-Encoding") == "gzip"
                assert record.http_headers.get_header("Transfer-Encoding") is None
                raw = record.raw_stream.read()
                assert raw == exchange(1, gzip_body=True).body
                assert record.http_headers.get_header("Content-Length") == str(len(raw))


def test_files_rotate_by_size_and_never_overwrite(tmp_path):
    files = WarcFiles(tmp_path, "RUN", max_bytes=6_000, level=0)
    places = [files.write(exchange(n)) for n in range(6)]
    files.close()
    assert len(files.files) >= 3
    assert files.files == [f"liputan6-RUN-{n:05d}.warc.gz" for n in range(1, len(files.files) + 1)]
    for name in files.files[:-1]:
        # A file closes when the next pair would pass the limit (one pair per file at most
        # over it, when a single pair is bigger than the limit).
        assert (tmp_path / name).stat().st_size <= 6_000 or len(
            [p for p in places if p[0] == name]
        ) == 1
    read = {(c.file, c.offset): c.url for name in files.files for c in _captures(tmp_path / name)}
    assert read == {place: exchange(n).url for n, place in enumerate(places)}
    again = WarcFiles(tmp_path, "RUN")
    with pytest.raises(WarcWriteError, match="File exists"):
        again.write(exchange(0))


def test_short_writes_and_many_blocks_still_give_whole_records(tmp_path, monkeypatch):
    # A large uncompressed page stored at level 0 spans several 64 KB stored blocks; with
    # writev taking 3 buffers and writing at most 1,000 bytes a call, every byte must still
    # land once, in order.
    import newscrawl.warc

    real_writev = os.writev
    calls = []

    def stingy(fd, buffers):
        assert len(buffers) <= 3
        calls.append(len(buffers))
        return real_writev(fd, [bytes(b"".join(buffers)[:1000])])

    monkeypatch.setattr(newscrawl.warc, "IOV_MAX", 3)
    monkeypatch.setattr(os, "writev", stingy)
    big = dataclasses.replace(exchange(7), body=page(7, size=300_000))
    files = WarcFiles(tmp_path, "RUN", level=0)
    places = [files.write(exchange(0)), files.write(big), files.write(exchange(1))]
    monkeypatch.undo()
    files.close()
    assert len(calls) > 300
    read = _captures(tmp_path / files.files[0])
    assert [(c.offset, c.url) for c in read] == [
        (offset, e.url)
        for (_, offset), e in zip(places, [exchange(0), big, exchange(1)], strict=True)
    ]
    assert [kind for kind, _, _ in records(tmp_path / files.files[0])] == ["warcinfo"] + [
        "response",
        "request",
    ] * 3
    assert records(tmp_path / files.files[0])[3][2] == big.body


def test_records_are_put_on_the_disk_every_sync_size(tmp_path, monkeypatch):
    synced, dropped = [], []
    monkeypatch.setattr(os, "fdatasync", lambda fd: synced.append(os.fstat(fd).st_size))
    real_fadvise = os.posix_fadvise
    monkeypatch.setattr(
        os, "posix_fadvise", lambda fd, *a: dropped.append(a) or real_fadvise(fd, *a)
    )
    files = WarcFiles(tmp_path, "RUN", sync_bytes=5_000, level=0)
    places = [files.write(exchange(n)) for n in range(12)]
    path = tmp_path / files.files[0]
    # Each sync comes once at least 5,000 bytes were written since the last, never sooner.
    assert len(synced) >= 2
    assert all(b - a >= 5_000 for a, b in itertools.pairwise([0, *synced]))
    assert path.stat().st_size - synced[-1] < 5_000
    assert dropped == [(0, 0, os.POSIX_FADV_DONTNEED)] * len(synced)
    files.close()
    assert [c.offset for c in _captures(path)] == [offset for _, offset in places]


def test_a_failed_sync_is_a_write_error_that_says_so(tmp_path, monkeypatch):
    def broken(fd):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fdatasync", broken)
    files = WarcFiles(tmp_path, "RUN", sync_bytes=1)
    with pytest.raises(WarcWriteError, match="cannot put it on the disk: Input/output error"):
        files.write(exchange(0))


def _captures(path, start=0, end=None):
    return [r for r in read_records(path, start, end) if isinstance(r, Capture)]


@pytest.fixture
def recorded(tmp_path):
    files = WarcFiles(tmp_path, "RUN", level=6)
    for n in range(8):
        files.write(exchange(n, gzip_body=n % 3 == 0))
    files.close()
    return tmp_path / files.files[0]


def test_the_reader_gives_every_page_decoded_with_its_place_and_time(recorded):
    read = list(read_records(recorded))
    captures = [r for r in read if isinstance(r, Capture)]
    assert [c.url for c in captures] == [exchange(n).url for n in range(8)]
    assert [c.body for c in captures] == [page(n) for n in range(8)]
    assert [c.captured_at for c in captures] == [
        (WHEN + timedelta(seconds=n)).replace(microsecond=123000) for n in range(8)
    ]
    assert sorted({r.reason for r in read if isinstance(r, Skip)}) == [
        "request record",
        "warcinfo record",
    ]


@pytest.mark.parametrize("cuts", [[1], [2], [3], [5], [7]])
def test_parts_of_a_file_read_every_record_once(recorded, cuts):
    size = recorded.stat().st_size
    bounds = [0, *(size * c // 8 for c in cuts), None]
    parts = []
    for start, end in itertools.pairwise(bounds):
        parts += [(r.offset, type(r).__name__) for r in read_records(recorded, start, end)]
    whole = [(r.offset, type(r).__name__) for r in read_records(recorded)]
    assert parts == whole


def test_a_record_cut_off_by_a_crash_is_one_skip_and_the_rest_is_read(recorded, tmp_path):
    whole = _captures(recorded)
    data = recorded.read_bytes()
    last = whole[-1].offset
    request = [r.offset for r in read_records(recorded) if isinstance(r, Skip)][-1]
    cuts = {cut: (whole[:-1], last) for cut in (last + 10, (last + request) // 2)}
    # Cut inside the last request record: every page is whole.
    cuts[request + 20] = (whole, request)
    for cut, (kept, truncated_at) in cuts.items():
        cut_file = tmp_path / f"cut-{cut}.warc.gz"
        cut_file.write_bytes(data[:cut])
        read = list(read_records(cut_file))
        assert [c.url for c in read if isinstance(c, Capture)] == [c.url for c in kept]
        skips = [r for r in read if isinstance(r, Skip) and r.reason == "truncated record"]
        assert [r.offset for r in skips] == [truncated_at], cut


def test_damage_in_the_middle_skips_one_record_and_reads_on(recorded, tmp_path):
    whole = _captures(recorded)
    data = bytearray(recorded.read_bytes())
    victim = whole[3]
    data[victim.offset + 200 : victim.offset + 260] = b"\0" * 60
    damaged = tmp_path / "damaged.warc.gz"
    damaged.write_bytes(bytes(data))
    read = list(read_records(damaged))
    urls = [c.url for c in read if isinstance(c, Capture)]
    assert urls == [c.url for c in whole if c is not victim]
    assert [r.offset for r in read if isinstance(r, Skip) and r.reason == "damaged record"] == [
        victim.offset
    ]


def test_a_failed_write_is_cut_off_and_says_why(tmp_path, monkeypatch):
    files = WarcFiles(tmp_path, "RUN")
    files.write(exchange(0))
    size = (tmp_path / files.files[0]).stat().st_size
    real_writev = os.writev

    def full_disk(fd, buffers):
        # Half of what was asked goes to the file, then the disk is full.
        if real_writev(fd, buffers[: len(buffers) // 2]):
            return sum(map(len, buffers[: len(buffers) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "writev", full_disk)
    with pytest.raises(WarcWriteError, match="No space left"):
        files.write(exchange(1))
    monkeypatch.undo()
    files.close()
    assert (tmp_path / files.files[0]).stat().st_size == size
    assert [c.url for c in _captures(tmp_path / files.files[0])] == [exchange(0).url]


def test_a_folder_that_cannot_be_made_is_a_write_error(tmp_path):
    (tmp_path / "file").write_text("x")
    files = WarcFiles(tmp_path / "file" / "warc", "RUN")
    with pytest.raises(WarcWriteError, match="Not a directory"):
        files.write(exchange(0))


def test_other_archivists_files_are_read_whatever_their_records(tmp_path):
    when = datetime(2019, 5, 1, 10, 0, tzinfo=UTC)
    pages = [
        Page("https://www.liputan6.com/news/read/1/a", page(1), when),
        Page("https://www.liputan6.com/news/read/2/b", page(2), when, encoding="gzip"),
        Page("https://www.liputan6.com/news/read/3/c", page(3), when, chunked=True),
        Page("https://m.liputan6.com/news/read/4/d", page(4), when, encoding="gzip", chunked=True),
        Page("https://www.liputan6.com/news/read/5/e", b"", when, kind="revisit"),
        Page("https://www.liputan6.com/news/read/6/f", b"gone", when, status=404),
        Page("https://www.liputan6.com/logo.png", b"\x89PNG", when, content_type="image/png"),
    ]
    for gzip_records in (True, False):
        path = write_warc(tmp_path / f"cc-{gzip_records}.warc.gz", pages, gzip_records=gzip_records)
        read = list(read_records(path))
        captures = [r for r in read if isinstance(r, Capture)]
        assert [(c.url, c.body) for c in captures] == [(p.url, p.body) for p in pages[:4]]
        assert {c.captured_at for c in captures} == {when}
        reasons = sorted(r.reason for r in read if isinstance(r, Skip))
        assert reasons == sorted(
            ["warcinfo record"]
            + ["request record"] * 6
            + ["metadata record"] * 6
            + ["revisit record (no payload)", "HTTP status 404", "not HTML"]
        )
