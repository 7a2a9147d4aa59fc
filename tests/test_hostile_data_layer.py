"""A data layer or JSON-LD of the wrong shape never crashes extraction (towards issue 8):
values of another type are read as text or ignored, and nesting past Python's depth limit
is ignored like broken JSON. Our own fixture page, mutated."""

from __future__ import annotations

import itertools

import pytest

from newscrawl.site.extraction import (
    NotAnArticle,
    extract_article,
    plain_text,
    plain_values,
)
from tests.helpers import FIXTURES

PAGE = (FIXTURES / "template_desktop_text_multipage.html").read_text(encoding="utf-8")

# (what the fixture says, how a hostile page may say it instead)
FIELDS = [
    ('"editors":"Nanda Perdana Putra"', '"editors":{}'),
    ('"names":"Ika Defianti, Muhammad Radityo Priyasmoro"', '"names":{}'),
    ('"tag":"Banjir Rob|Jakarta Utara|BPBD DKI"', '"tag":{}'),
    ('"subSubCategory":"peristiwa"', '"subSubCategory":{}'),
    ('"articleId":5012345', '"articleId":{}'),
]
VALUES = ['["a","b"]', "[1,2]", "42", '{"x":1}', "null", "true", "3.5", '""', "[[[]]]"]


@pytest.mark.parametrize(
    ("field", "value"),
    list(itertools.product(FIELDS, VALUES)),
    ids=[f"{f[0].split(':')[0]}={v}" for f, v in itertools.product(FIELDS, VALUES)],
)
def test_a_data_layer_value_of_another_type_never_crashes(field, value):
    old, new = field
    assert old in PAGE
    page = PAGE.replace(old, new.format(value), 1)
    try:
        article = extract_article(page)
    except NotAnArticle:
        return  # a clean "not an article", with its reason, is an answer too
    assert article.title == "Banjir Rob Rendam Pesisir Utara Jakarta"


@pytest.mark.parametrize("depth", [2_000, 60_000])
def test_data_layer_nested_past_the_depth_limit_is_ignored(depth):
    deep = "[" * depth + "]" * depth
    page = PAGE.replace(
        "window.kmklabs.gtm =", f"window.kmklabs.deep = {deep}; window.kmklabs.gtm =", 1
    )
    assert extract_article(page).title == "Banjir Rob Rendam Pesisir Utara Jakarta"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("Muhammad Ali", "Muhammad Ali"),
        (4264701, "4264701"),
        (3.5, "3.5"),
        (["Ika Defianti", "Muhammad Ali"], "Ika Defianti, Muhammad Ali"),
        ([1, None, ["x"], {"a": 1}], "1"),
        ([], None),
        (True, None),
        (None, None),
        ({"names": "x"}, None),
    ],
)
def test_plain_text(value, text):
    assert plain_text(value) == text


def test_plain_values_keeps_the_authors_object_and_nothing_else_nested():
    gtm = {"authors": {"type": "author", "names": ["A", "B"]}, "editors": {"x": 1}, "id": 7}
    assert plain_values(gtm) == {
        "authors": {"type": "author", "names": "A, B"},
        "editors": None,
        "id": "7",
    }
    assert plain_values(["not", "an", "object"]) == {}
