"""Every saved page against its expected output (tests/fixtures/expected/, written by
tests/expected.py): a change of extraction fails naming the page, the field, what was
expected and what came out. Record an intended change with ``python -m tests.expected --write``
and review the JSON diff."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.expected import (
    EXPECTED,
    differences,
    expected_path,
    fixture_pages,
    output,
    page_name,
    shared_pages,
)
from tests.helpers import shared_liputan6

RECORDED_SHARED = sorted((EXPECTED / "shared").rglob("*.json"))


def _check(page: Path) -> None:
    """Fail with every differing field of the page."""
    path = expected_path(page)
    assert path.is_file(), (
        f"{page_name(page)}: no expected output (python -m tests.expected --write)"
    )
    lines = list(differences(json.loads(path.read_text(encoding="utf-8")), output(page)))
    assert not lines, "\n".join(f"{page_name(page)}: {line}" for line in lines)


@pytest.mark.parametrize("page", fixture_pages(), ids=lambda p: p.name)
def test_fixture_page_gives_its_expected_output(page):
    _check(page)


@pytest.mark.parametrize(
    "recorded", RECORDED_SHARED, ids=lambda p: str(p.relative_to(EXPECTED / "shared"))
)
def test_saved_real_page_gives_its_expected_output(recorded):
    relative = recorded.relative_to(EXPECTED / "shared").with_suffix(".html")
    page = shared_liputan6() / relative
    if not page.is_file():
        pytest.skip(
            f"{relative}: saved page not found at {page.parent} "
            "(set NEWSCRAWL_SHARED_DIR to the folder that holds liputan6/)"
        )
    _check(page)


def test_every_page_has_its_expected_output():
    pages = fixture_pages() + shared_pages()
    missing = [page_name(p) for p in pages if not expected_path(p).is_file()]
    assert not missing, (
        f"pages without expected output (python -m tests.expected --write): {missing}"
    )
    recorded = {expected_path(p) for p in pages}
    unused = [p.name for p in EXPECTED.glob("*.json") if p not in recorded]
    assert not unused, f"expected outputs of no fixture page: {unused}"
    assert len(RECORDED_SHARED) >= 200  # the saved real pages the tests read


def test_a_list_change_names_the_reader_and_the_field():
    listed = {"article_id": "1", "url": "u1", "published": None, "kind": None}
    want = {"lists": {"index": {"layout": "rows", "empty": False, "items": [listed]}}}
    got = {
        "lists": {"index": {"layout": "rows", "empty": False, "items": [dict(listed, url="u2")]}}
    }
    assert list(differences(want, got)) == ["lists.index items[0].url: expected 'u1', got 'u2'"]
    got["lists"]["index"] = {"layout": None, "empty": False, "items": []}
    assert list(differences(want, got)) == [
        "lists.index layout: expected 'rows', got None",
        "lists.index items: expected 1 listed, got 0",
    ]
