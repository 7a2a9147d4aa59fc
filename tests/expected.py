"""Expected output per saved page: what extraction gives for every page the tests read, one
JSON file per page in tests/fixtures/expected/ (``<name>.json`` for tests/fixtures/<name>.html,
``shared/<relative path>.json`` for ../shared/liputan6/<relative path>.html).

Each file holds the page read whole and with its structured data stripped (``markup_only``):
every Article field, the field sources and the body pages found, or the NotAnArticle reason.
A page that is no article also holds what each list reader gives for it (``lists``: the date
index's and the channel front's): the layout that recognised it, whether it is that layout's
empty state or a refusal, what it looks like when unrecognised, and the listed articles in
order. tests/test_expected_output.py compares these files with the output field by field.

    python -m tests.expected            # list the pages whose output differs, field by field
    python -m tests.expected --write    # record the current output of every page
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newscrawl.serialize import to_jsonable
from newscrawl.site.extraction import NotAnArticle, extract_article_pages, without_structured_data
from newscrawl.site.navigation import WWW, Listing, read_front, read_index
from tests.helpers import FIXTURES, shared_liputan6

EXPECTED = FIXTURES / "expected"
# The clock of relative dates ("3 jam yang lalu"), fixed so the output is too.
NOW = datetime(2026, 12, 1, tzinfo=UTC)
# The folders of ../shared/liputan6 whose pages the tests read.
SHARED_FOLDERS = ("html", "eras")
VARIANTS = ("whole", "markup_only")
# The list readers a page that is no article is read by, as the crawl reads an index page or a
# channel front (or tag page); both, so a page read by the wrong one shows that too.
LIST_READERS = {"index": read_index, "front": read_front}


def fixture_pages() -> list[Path]:
    """The pages of tests/fixtures."""
    return sorted(FIXTURES.glob("*.html"))


def shared_pages() -> list[Path]:
    """The saved real pages of ../shared/liputan6 the tests read (none when it is absent)."""
    root = shared_liputan6()
    return sorted(p for folder in SHARED_FOLDERS for p in (root / folder).glob("*.html"))


def expected_path(page: Path) -> Path:
    """Where a page's expected output is kept."""
    if page.parent == FIXTURES:
        return EXPECTED / f"{page.stem}.json"
    relative = page.relative_to(shared_liputan6()).with_suffix(".json")
    return EXPECTED / "shared" / relative


def page_name(page: Path) -> str:
    """The page as messages name it: fixtures/<name> or shared/<relative path>."""
    if page.parent == FIXTURES:
        return f"fixtures/{page.name}"
    return f"shared/{page.relative_to(shared_liputan6())}"


def _extract(html: str) -> dict[str, Any]:
    """One variant's output: the article's fields, sources and pages found, or the reason."""
    try:
        extracted = extract_article_pages(html, now=NOW)
    except NotAnArticle as exc:
        return {"not_an_article": exc.reason}
    return {
        "article": to_jsonable(extracted.article.to_dict()),
        "sources": dict(sorted(extracted.sources.items())),
        "pages_found": extracted.pages_found,
    }


def _listing(listing: Listing) -> dict[str, Any]:
    """One list reader's output: its layout, state and listed articles in order."""
    return {
        "layout": listing.layout,
        "empty": listing.empty,
        "refused": listing.refused,
        "fingerprint": listing.fingerprint,
        "items": [
            {"article_id": x.article_id, "url": x.url, "published": x.published, "kind": x.kind}
            for x in listing.items
        ],
    }


def list_url(page: Path) -> str:
    """The URL a saved page is read from as a list page: on the site, at a path no list has,
    so what is read comes from the page alone."""
    return f"{WWW}/saved/{page.name}"


def output(page: Path) -> dict[str, Any]:
    """What extraction gives for a page, whole and from its markup alone, and for a page that
    is no article what the list readers give."""
    html = page.read_bytes().decode("utf-8", errors="replace")
    out = {
        "page": page_name(page),
        "whole": _extract(html),
        "markup_only": _extract(without_structured_data(html)),
    }
    if "not_an_article" in out["whole"]:
        url = list_url(page)
        out["lists"] = {kind: _listing(read(html, url)) for kind, read in LIST_READERS.items()}
    return out


def _list_differences(want: dict[str, Any], have: dict[str, Any]) -> Iterator[str]:
    """One line per list reader's field that differs; listed articles by position."""
    for kind in sorted(set(want) | set(have)):
        a, b = want.get(kind) or {}, have.get(kind) or {}
        for name in sorted((set(a) | set(b)) - {"items"}):
            if a.get(name, "<absent>") != b.get(name, "<absent>"):
                yield (
                    f"lists.{kind} {name}: expected {a.get(name, '<absent>')!r},"
                    f" got {b.get(name, '<absent>')!r}"
                )
        old, new = a.get("items", []), b.get("items", [])
        if len(old) != len(new):
            yield f"lists.{kind} items: expected {len(old)} listed, got {len(new)}"
        for at, (x, y) in enumerate(zip(old, new, strict=False)):
            for name in sorted(set(x) | set(y)):
                if x.get(name) != y.get(name):
                    yield (
                        f"lists.{kind} items[{at}].{name}: expected {x.get(name)!r},"
                        f" got {y.get(name)!r}"
                    )


def differences(expected: dict[str, Any], got: dict[str, Any]) -> Iterator[str]:
    """One line per field whose value differs: the variant (or list reader), the field,
    expected and got."""
    for variant in VARIANTS:
        want, have = expected.get(variant, {}), got.get(variant, {})
        for key in sorted(set(want) | set(have)):
            a, b = want.get(key), have.get(key)
            if isinstance(a, dict) and isinstance(b, dict):
                for name in sorted(set(a) | set(b)):
                    if a.get(name, "<absent>") != b.get(name, "<absent>"):
                        yield (
                            f"{variant} {key}.{name}: expected {a.get(name, '<absent>')!r},"
                            f" got {b.get(name, '<absent>')!r}"
                        )
            elif a != b:
                yield f"{variant} {key}: expected {a!r}, got {b!r}"
    yield from _list_differences(expected.get("lists", {}), got.get("lists", {}))


def write(page: Path) -> None:
    """Record a page's current output."""
    path = expected_path(page)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(output(page), ensure_ascii=False, indent=1, sort_keys=False)
    path.write_text(text + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    """Write every page's output (--write), or print the differences from what is recorded."""
    pages = fixture_pages() + shared_pages()
    changed = 0
    for page in pages:
        if "--write" in argv:
            write(page)
            continue
        path = expected_path(page)
        if not path.is_file():
            print(f"{page_name(page)}: no expected output")
            changed += 1
            continue
        lines = list(differences(json.loads(path.read_text(encoding="utf-8")), output(page)))
        changed += bool(lines)
        for line in lines:
            print(f"{page_name(page)}: {line}")
    print(f"{len(pages)} pages, {'written' if '--write' in argv else f'{changed} differ'}")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
