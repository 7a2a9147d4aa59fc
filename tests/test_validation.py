"""The article check of the crawl, replay and extract: rejected or repaired, with a reason."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from newscrawl.cli import main
from newscrawl.exits import Exit
from newscrawl.normalize.text import without_controls, without_markup
from newscrawl.pipelines.validate import Invalid, check_article
from newscrawl.serialize import article_to_json
from tests.helpers import make_article

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)

# (name, changes to a good article, the reason it is rejected)
REJECTED = [
    ("no title", {"title": None}, "missing_title"),
    ("empty body", {"body": ""}, "missing_body"),
    ("published in 2099", {"published_at": datetime(2099, 1, 1, tzinfo=UTC)}, "implausible_date"),
    ("published in 9999", {"published_at": datetime(9999, 12, 31, tzinfo=UTC)}, "implausible_date"),
    (
        "before the archive",
        {"published_at": datetime(1999, 12, 31, tzinfo=UTC)},
        "implausible_date",
    ),
    ("a title of markup only", {"title": "<b></b><script>x()</script>"}, "missing_title"),
    ("an 11 MB body", {"body": "kata " * 2_300_000}, "oversized_body"),
    ("a title of a book", {"title": "judul " * 500}, "oversized_title"),
]

# (name, changes, the field and its repaired value, the repair's reason)
REPAIRED = [
    (
        "markup in the title",
        {"title": "<b>Banjir</b> Rob"},
        ("title", "Banjir Rob"),
        "title_markup",
    ),
    (
        "a script in the title",
        {"title": "Banjir<script>alert(1)</script> Rob"},
        ("title", "Banjir Rob"),
        "title_markup",
    ),
    (
        "NUL in the summary",
        {"summary": "Ring\x00kasan"},
        ("summary", "Ringkasan"),
        "control_characters",
    ),
    ("controls in a tag", {"tags": ["SI\x07KM"]}, ("tags", ["SIKM"]), "control_characters"),
]


@pytest.mark.parametrize(
    ("changes", "reason"), [c[1:] for c in REJECTED], ids=[c[0] for c in REJECTED]
)
def test_rejected_with_its_reason(changes, reason):
    with pytest.raises(Invalid) as refused:
        check_article(make_article(1, **changes), now=NOW)
    assert refused.value.reason == reason


@pytest.mark.parametrize(
    ("changes", "field", "reason"), [c[1:] for c in REPAIRED], ids=[c[0] for c in REPAIRED]
)
def test_repaired_with_its_reason(changes, field, reason):
    article = make_article(1, **changes)
    assert check_article(article, now=NOW) == [reason]
    name, value = field
    assert getattr(article, name) == value


def test_a_good_article_passes_unchanged():
    article = make_article(1)
    before = article.to_dict()
    assert check_article(article, now=NOW) == []
    assert article.to_dict() == before


def test_published_today_in_jakarta_is_not_the_future():
    assert check_article(make_article(1, published_at=NOW.replace(hour=23)), now=NOW) == []


@pytest.mark.parametrize(
    ("text", "clean"),
    [("a\x00b", "ab"), ("a\tb\nc", "a\tb\nc"), ("\x1b[31mx", "[31mx"), ("a\x7fb", "ab")],
)
def test_without_controls(text, clean):
    assert without_controls(text) == clean


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("<b>Judul</b>", "Judul"),
        ("Judul <i>miring</i> di sini", "Judul miring di sini"),
        ("<style>p{}</style>Judul", "Judul"),
        ("<script>alert(1)", ""),
        ("a < b and c > d", "a < b and c > d"),  # not tags
    ],
)
def test_without_markup(text, clean):
    assert without_markup(text) == clean


def test_replay_keeps_nothing_the_crawl_would_not(tmp_path, capsys):
    lines = [
        article_to_json(make_article(1)),
        article_to_json(make_article(2, published_at=datetime(2099, 1, 1, tzinfo=UTC))),
        article_to_json(make_article(3, title="<b>Judul</b> 3")),
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = str(tmp_path / "a.sqlite3")
    assert (
        main(["replay", str(source), "--sqlite-path", db, "--create"]) == Exit.NOT_ARTICLE
    )  # one skipped
    err = capsys.readouterr().err
    assert "in.jsonl:2: skipped, not kept: published 2099-01-01T00:00:00+00:00" in err
    assert main(["export", "--sqlite-path", db]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["article_id"], r["title"]) for r in rows] == [
        ("5500001", "Berita nomor 1"),
        ("5500003", "Judul 3"),
    ]
