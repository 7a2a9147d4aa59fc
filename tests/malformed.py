"""Malformed Liputan6 pages made from real ones, for tests that no input crashes extraction.

make_malformed(pages, count, seed) returns (name, bytes) pairs (malformed_page(pages, n,
seed) makes the n-th of another such series on its own): each is one of the given
pages with one mutation applied (truncation, a cut right after ``<meta``, corrupted bytes, a
wrong or missing charset, empty, huge, deep nesting, broken or wrong-typed JSON-LD and data
layer, impossible dates, NUL bytes, binary data, a false gzip header). Deterministic for a
seed.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

Mutation = Callable[[bytes, random.Random], bytes]

_JSON_VALUES = [
    b'["a","b"]',
    b"[1,2]",
    b"42",
    b'{"x":{"y":[]}}',
    b"null",
    b"true",
    b"-1e308",
    b'""',
]
_DATES = [b"2099-01-01T00:00:00+07:00", b"9999-12-31T23:59:59Z", b"0000-00-00", b"2020-13-45T99:99"]


def truncate(page: bytes, rng: random.Random) -> bytes:
    return page[: rng.randrange(len(page) + 1)]


def cut_after_meta(page: bytes, rng: random.Random) -> bytes:
    """Cut right after the first ``<meta``: the encoding sniffer's Rust helper panics on it."""
    at = page.lower().find(b"<meta")
    return page[: at + len(b"<meta")] if at >= 0 else page[: rng.randrange(len(page) + 1)]


def corrupt_bytes(page: bytes, rng: random.Random) -> bytes:
    data = bytearray(page)
    for _ in range(rng.randint(1, 200)):
        if data:
            data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def wrong_charset(page: bytes, rng: random.Random) -> bytes:
    charset = rng.choice([b"utf-16", b"bogus-charset", b"iso-8859-1", b"shift_jis", b""])
    page = re.sub(rb'charset="?[\w-]+"?', b'charset="' + charset + b'"', page, count=1)
    return page.decode("utf-8", "replace").encode("utf-16") if rng.random() < 0.2 else page


def empty(page: bytes, rng: random.Random) -> bytes:
    return rng.choice([b"", b"   \n\t ", b"<html></html>", b"<", b"\xef\xbb\xbf"])


def huge(page: bytes, rng: random.Random) -> bytes:
    paragraph = b"<p>" + b"kata " * 2000 + b"</p>"
    return page.replace(b"</body>", paragraph * rng.randint(50, 200) + b"</body>", 1)


def deep_nesting(page: bytes, rng: random.Random) -> bytes:
    depth = rng.choice([1_000, 10_000, 50_000])
    tag = rng.choice([b"div", b"p", b"span", b"b"])
    marker = b'itemprop="articleBody">'
    spot = page.find(marker)
    spot = spot + len(marker) if spot >= 0 else len(page) // 2
    return page[:spot] + (b"<" + tag + b">") * depth + b"x" + page[spot:]


def deep_json(page: bytes, rng: random.Random) -> bytes:
    depth = rng.choice([5_000, 60_000])
    deep = b"[" * depth + b"]" * depth
    if rng.random() < 0.5:
        return page.replace(b"window.kmklabs.gtm =", b"window.kmklabs.gtm = " + deep + b";//", 1)
    return page.replace(b'application/ld+json">', b'application/ld+json">' + deep, 1)


def broken_json(page: bytes, rng: random.Random) -> bytes:
    for marker in (
        b'application/ld+json">',
        b"window.kmklabs.article = {",
        b"window.kmklabs.gtm = {",
    ):
        at = page.find(marker)
        if at >= 0 and rng.random() < 0.7:
            cut = at + len(marker) + rng.randrange(1, 200)
            return page[:cut] + rng.choice([b"", b"}", b'"', b"\\", b"]]]"]) + page[cut + 50 :]
    return page


def wrong_types(page: bytes, rng: random.Random) -> bytes:
    keys = re.findall(rb'"(\w+)":"', page)
    for _ in range(rng.randint(1, 5)):
        if not keys:
            break
        key = rng.choice(keys)
        page = re.sub(
            rb'"' + key + rb'":"(?:[^"\\]|\\.)*"',
            b'"' + key + b'":' + rng.choice(_JSON_VALUES),
            page,
            count=1,
        )
    return page


def impossible_dates(page: bytes, rng: random.Random) -> bytes:
    return re.sub(
        rb"20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d(?:[+-]\d\d:\d\d|Z)?", lambda m: rng.choice(_DATES), page
    )


def nul_bytes(page: bytes, rng: random.Random) -> bytes:
    data = bytearray(page)
    for _ in range(rng.randint(1, 50)):
        data.insert(rng.randrange(len(data) + 1), 0)
    return bytes(data)


def binary(page: bytes, rng: random.Random) -> bytes:
    return rng.randbytes(rng.randint(1, 200_000))


def false_gzip(page: bytes, rng: random.Random) -> bytes:
    return b"\x1f\x8b\x08\x00" + page


MUTATIONS: tuple[Mutation, ...] = (
    truncate,
    cut_after_meta,
    corrupt_bytes,
    wrong_charset,
    empty,
    huge,
    deep_nesting,
    deep_json,
    broken_json,
    wrong_types,
    impossible_dates,
    nul_bytes,
    binary,
    false_gzip,
)


def malformed_page(pages: list[tuple[str, bytes]], n: int, seed: int = 0) -> tuple[str, bytes]:
    """The ``n``-th of a series of malformed pages, made on its own (the same for the same
    n and seed): mutation ``n`` modulo their number, on a page chosen at random."""
    rng = random.Random(f"{seed}:{n}")
    mutation = MUTATIONS[n % len(MUTATIONS)]
    name, page = pages[rng.randrange(len(pages))]
    return f"{mutation.__name__}:{name}:{n}", mutation(page, rng)


def make_malformed(pages: list[tuple[str, bytes]], count: int, seed: int = 0):
    """``count`` (name, bytes) malformed pages, cycling through every mutation."""
    rng = random.Random(seed)
    for n in range(count):
        mutation = MUTATIONS[n % len(MUTATIONS)]
        name, page = pages[rng.randrange(len(pages))]
        yield f"{mutation.__name__}:{name}:{n}", mutation(page, rng)


def _unprefixed(path: Path) -> str:
    """A template fixture's name without its prefix: the order the seeds always had."""
    return path.name.removeprefix("template_")


def seed_pages(fixtures: Path, shared_html: Path) -> list[tuple[str, bytes]]:
    """The pages mutations start from: our fixture pages, and up to 60 saved real article
    pages where they are present."""
    ours = sorted([*fixtures.glob("template_*.html"), fixtures / "empty.html"], key=_unprefixed)
    pages = [(p.name, p.read_bytes()) for p in ours]
    shared = sorted(shared_html.glob("orca_*read_*.html"))
    return pages + [(p.name, p.read_bytes()) for p in shared[:60]]
