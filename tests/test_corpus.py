"""Every saved Liputan6 page, parsed and compared with what the page says about itself.

Expected values come from ../shared/liputan6/data/extracted_article_fields.jsonl (the
oracle). Where the oracle holds several representations, docs/extraction.md says which
one an analyst wants and why; the rules below follow that document.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import UTC, datetime

import pytest

from newscrawl.site.extraction import NotAnArticle, extract_article, without_structured_data

FLOOR = 0.99
ORACLE_CUT = 300  # the oracle stores at most this many characters of a paragraph
CHECKED_FIELDS = (
    "title",
    "published_at",
    "authors",
    "section",
    "subsection",
    "tags",
    "summary",
    "first_paragraph",
)
# Written out here, apart from the code under test, so the test can disagree with it.
DESK_CREDITS = {"liputan6.com", "liputan6dotcom", "liputan6com", "liputan enam", "merdeka.com"}
_WS = re.compile(r"\s+")
_DATELINE_PREFIX = re.compile(r"^(Liputan6\.com,)?[A-Za-z .,]{0,40}[-–:]?$")


def _norm(text: str | None) -> str:
    """Text without white space: the oracle and the parser space inline tags differently."""
    return _WS.sub("", text or "")


def _names(text: str | None) -> list[str]:
    """People named in a comma-separated credit list, desk credits left out."""
    names = [_WS.sub(" ", n).strip() for n in (text or "").split(",")]
    return [n for n in names if n and n.casefold() not in DESK_CREDITS]


def expected_values(row: dict) -> dict:
    """The values an analyst should get for one oracle row (see docs/extraction.md)."""
    gtm = row.get("kmklabs_gtm") or {}
    kmk_article = row.get("kmklabs_article") or {}
    channel = row.get("kmklabs_channel") or {}
    category = row.get("kmklabs_category") or {}

    if gtm:
        authors_field = gtm.get("authors") or {}
        writers = gtm.get("reporters") or (
            authors_field.get("names") if authors_field.get("type") == "author" else ""
        )
        authors = _names(writers)
    else:
        authors = [n for n in row["byline_names"] if n.casefold() not in DESK_CREDITS]

    published_raw = row.get("jsonld_datePublished") or row.get("meta_published_time")
    page_url = row.get("og_url") or row.get("canonical") or ""
    section = channel.get("full_slug") or page_url.split("/")[3]
    parts = (category.get("full_slug") or "").split("/")
    subsection = parts[1] if len(parts) > 1 and parts[1] != section else None

    if row["tags_visible"]:
        tags = [_WS.sub(" ", t).strip() for t in row["tags_visible"]]
    else:
        tags = sorted(_WS.sub(" ", t).strip() for t in (gtm.get("tag") or "").split("|"))
        tags = [t for t in tags if t] or None  # None: the oracle recorded no tags
    return {
        "title": _WS.sub(" ", row.get("h1") or row.get("og_title") or "").strip(),
        "published_at": datetime.fromisoformat(published_raw).astimezone(UTC),
        "authors": authors,
        "section": section,
        "subsection": subsection,
        "tags": tags,
        "tags_ordered": bool(row["tags_visible"]),
        "summary": _WS.sub(
            " ", kmk_article.get("shortDescription") or row.get("meta_description") or ""
        ).strip(),
        "first_paragraph": row.get("first_paragraph"),
    }


def compare(article, expected: dict) -> dict[str, bool | None]:
    """Per field: does the parsed article match? None where the oracle has no value."""
    tags = article.tags if expected["tags_ordered"] else sorted(article.tags)
    oracle_fp, body = _norm(expected["first_paragraph"]), article.body or ""
    ours_fp = _norm(body.split("\n\n", 1)[0])
    if oracle_fp:
        # Ours is the oracle's minus the dateline moved to `dateline`; the oracle keeps
        # only the first 300 characters, so a cut-off oracle must be a prefix of ours.
        start = oracle_fp.find(ours_fp[:40]) if ours_fp else -1
        rest = oracle_fp[start:]
        truncated = len(expected["first_paragraph"]) >= ORACLE_CUT
        fp_ok = start >= 0 and (ours_fp.startswith(rest) if truncated else ours_fp == rest)
        fp_ok = fp_ok and bool(_DATELINE_PREFIX.match(oracle_fp[: max(start, 0)]))
    else:
        fp_ok = None  # photo galleries: the oracle has no paragraph to compare
    return {
        "title": article.title == expected["title"],
        "published_at": article.published_at == expected["published_at"],
        "authors": article.authors == expected["authors"],
        "section": article.section == expected["section"],
        "subsection": article.subsection == expected["subsection"],
        "tags": None
        if expected["tags"] is None
        else [t.casefold() for t in tags] == [t.casefold() for t in expected["tags"]],
        "summary": article.summary == expected["summary"],
        "first_paragraph": fp_ok,
    }


@pytest.fixture(scope="module")
def oracle(corpus_dir):
    """The oracle rows whose page is present in html/."""
    rows = []
    with open(corpus_dir / "data" / "extracted_article_fields.jsonl", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if (corpus_dir / "html" / row["file"]).is_file():
                rows.append(row)
    if not rows:
        pytest.skip(f"no oracle row has its page in {corpus_dir / 'html'}")
    return rows


def test_every_article_matches_the_oracle(corpus_dir, oracle, record_property):
    """Per-field accuracy over every saved article page, each at least 99%."""
    report: list[str] = []
    record_property("corpus_report", report)  # printed at the end of the run (conftest)
    hits = dict.fromkeys(CHECKED_FIELDS, 0)
    checked = dict.fromkeys(CHECKED_FIELDS, 0)
    misses: dict[str, list[str]] = {f: [] for f in CHECKED_FIELDS}
    for row in oracle:
        html = (corpus_dir / "html" / row["file"]).read_bytes()
        article = extract_article(html)
        for name, ok in compare(article, expected_values(row)).items():
            if ok is None:
                continue  # the oracle has no value for this field on this page
            checked[name] += 1
            hits[name] += ok
            if not ok:
                misses[name].append(row["file"])
    report.append(f"{len(oracle)} saved article pages")
    report.append(f"{'field':<16} {'right':>5} / checked  accuracy")
    for name in CHECKED_FIELDS:
        share = hits[name] / checked[name]
        report.append(f"{name:<16} {hits[name]:>5} / {checked[name]:<7} {share:8.1%}")
    failing = {f: misses[f] for f in CHECKED_FIELDS if hits[f] / checked[f] < FLOOR}
    assert not failing, f"fields below {FLOOR:.0%}: {failing}"


# Fields the visible markup of 2019–2022 pages carries, with their floor when the page's
# JSON-LD, meta tags and data layer are gone. Not floored: summary (only structured data
# holds it) and subsection (mobile pages name the sub-channel only in the data layer).
MARKUP_FLOORS = {
    "title": 0.98,
    "published_at": 0.98,
    "authors": 0.95,
    "section": 0.98,
    "tags": 0.98,
    "first_paragraph": 0.98,
}


def test_visible_markup_alone_gives_the_same_fields(corpus_dir, oracle, record_property):
    """Every saved page again without its structured data: what a redesign that drops
    JSON-LD and the data layer would leave. Visible times show minutes, not seconds."""
    report: list[str] = []
    record_property("corpus_report", report)  # printed at the end of the run (conftest)
    hits = dict.fromkeys(CHECKED_FIELDS, 0)
    checked = dict.fromkeys(CHECKED_FIELDS, 0)
    unknown = []
    for row in oracle:
        html = (corpus_dir / "html" / row["file"]).read_bytes().decode("utf-8", "replace")
        url = row.get("og_url") or row.get("canonical")
        try:
            article = extract_article(without_structured_data(html), url)
        except NotAnArticle as exc:
            # Only pages whose own URL the mirror rewrote to a file name have no identity.
            assert exc.reason == "no article markup" and not (url or "").startswith("http"), (
                row["file"],
                exc,
            )
            unknown.append(row["file"])
            continue
        expected = expected_values(row)
        expected["published_at"] = expected["published_at"].replace(second=0)
        if article.published_at:
            article.published_at = article.published_at.replace(second=0)
        for name, ok in compare(article, expected).items():
            if ok is not None:
                checked[name] += 1
                hits[name] += ok
    report.append(
        f"visible markup alone: {len(oracle) - len(unknown)} pages ({len(unknown)} without"
        " a URL of their own)"
    )
    for name in CHECKED_FIELDS:
        share = hits[name] / checked[name]
        floor = MARKUP_FLOORS.get(name)
        note = f"floor {floor:.0%}" if floor else "no floor"
        report.append(f"{name:<16} {hits[name]:>5} / {checked[name]:<7} {share:8.1%}  {note}")
    low = {
        name: f"{hits[name]}/{checked[name]}"
        for name, floor in MARKUP_FLOORS.items()
        if hits[name] / checked[name] < floor
    }
    assert not low, f"visible-markup fields below their floor: {low}"
    assert len(unknown) <= 2


def _page_kinds(corpus_dir) -> dict[str, str]:
    """page_kind of every saved page, from html/SOURCES.tsv."""
    with open(corpus_dir / "html" / "SOURCES.tsv", encoding="utf-8", newline="") as fh:
        return {r["filename"]: r["page_kind"] for r in csv.DictReader(fh, delimiter="\t")}


def test_every_page_is_classified(corpus_dir):
    """Article pages give an Article with id and URL; every other page a clear reason."""
    kinds = _page_kinds(corpus_dir)
    wrong = []
    for name, kind in sorted(kinds.items()):
        path = corpus_dir / "html" / name
        if not path.is_file():
            continue
        try:
            article = extract_article(path.read_bytes())
        except NotAnArticle as exc:
            assert exc.reason, name
            if kind.startswith("article"):
                wrong.append(f"{name}: article page refused ({exc})")
            continue
        if not kind.startswith("article"):
            wrong.append(f"{name}: {kind} page parsed as article {article.article_id}")
        elif not (article.article_id and article.url and article.body is not None):
            wrong.append(f"{name}: incomplete article {article.article_id} {article.url}")
    assert not wrong, "\n".join(wrong)


def test_invariants_hold_for_every_article(corpus_dir, oracle):
    """Checks every parsed article must pass, whatever its template."""
    for row in oracle:
        article = extract_article((corpus_dir / "html" / row["file"]).read_bytes())
        where = row["file"]
        assert article.article_id.isdigit(), where
        assert article.url.startswith("https://www.liputan6.com/"), where
        assert f"/read/{article.article_id}/" in article.url + "/", where
        assert article.type in ("text", "photo", "video"), where
        assert article.published_at.tzinfo is not None, where
        assert article.published_at.utcoffset().total_seconds() == 0, where
        assert article.published_at_raw and article.published_at_source, where
        assert article.body, where
        assert "Baca Juga" not in article.body, where
        assert "googletag" not in article.body, where
        assert article.word_count == len(article.body.split()), where
        assert not any(a.casefold() in DESK_CREDITS for a in article.authors), where
        assert article.lang == "id", where
