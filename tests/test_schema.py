"""The one Article schema: documented field by field, and the same everywhere."""

from __future__ import annotations

import ast
import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import pytest

from newscrawl.items import ARTICLE_FIELDS, Article
from newscrawl.serialize import article_from_dict, article_to_json, isoformat_z
from tests.helpers import REPO


def _field_docstrings() -> dict[str, str]:
    """Each Article field's docstring, read from the source."""
    tree = ast.parse((REPO / "newscrawl" / "items.py").read_text(encoding="utf-8"))
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Article")
    docs = {}
    for node, following in zip(cls.body, [*cls.body[1:], None], strict=True):
        if isinstance(node, ast.AnnAssign) and isinstance(following, ast.Expr):
            docs[node.target.id] = following.value.value
    return docs


def test_every_field_has_a_docstring():
    docs = _field_docstrings()
    assert set(docs) == {f.name for f in dataclasses.fields(Article)}
    assert all(doc.strip() for doc in docs.values())


def test_every_field_is_documented_for_analysts():
    text = (REPO / "docs" / "schema.md").read_text(encoding="utf-8")
    missing = [name for name in ARTICLE_FIELDS if f"| `{name}` |" not in text]
    assert not missing


def test_no_field_is_called_language():
    # MongoDB text indexes treat a "language" field as the document's language.
    assert "language" not in ARTICLE_FIELDS


def test_defaults_are_none_or_empty_lists():
    article = Article()
    for f in dataclasses.fields(Article):
        value = getattr(article, f.name)
        assert value is None or value == [] or f.name in ("source", "lang"), f.name


def test_json_round_trip_keeps_every_value():
    article = Article(
        article_id="4264701",
        url="https://www.liputan6.com/news/read/4264701/x",
        published_at=datetime(2020, 5, 27, 16, 34, 41, tzinfo=UTC),
        authors=["Muhammad Ali"],
        word_count=3,
    )
    line = article_to_json(article)
    assert '"published_at": "2020-05-27T16:34:41Z"' in line
    import json

    assert article_from_dict(json.loads(line)) == article


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (datetime(2020, 5, 27, 16, 34, 41, tzinfo=UTC), "2020-05-27T16:34:41Z"),
        (datetime(2024, 3, 1, 1, 0, 0, 287000, tzinfo=UTC), "2024-03-01T01:00:00.287Z"),
        (
            datetime(2024, 3, 1, 8, 0, 0, 287999, tzinfo=timezone(timedelta(hours=7))),
            "2024-03-01T01:00:00.287Z",
        ),
    ],
    ids=["whole-seconds", "milliseconds", "wib-and-microseconds"],
)
def test_export_times_are_as_docs_schema_says(value, text):
    """docs/schema.md: UTC with Z, whole seconds bare, else the stored milliseconds."""
    assert isoformat_z(value) == text
