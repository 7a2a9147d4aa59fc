"""docs/queries.md and docs/schema.md are true.

A small archive (30 articles with known writers, tags, channels and dates, one article edited
twice, failed and stuck runs, incomplete archive days) is written through both stores; then
every recipe of docs/queries.md runs against it: each ```sql block on the SQLite file, each
```python block (pymongo) on mongomock through the page's own Connecting block, and the answers
are compared with what the archive holds. ```js (mongosh) blocks are syntax-checked with node.
Recipes are found by the `## ` heading above them; CHECKS below names every section.

Where mongomock 4.3 lacks an operator the recipes use:
- `$dateToString` with `timezone` raises NotImplementedError: `server_date_to_string` supplies
  the server's behaviour (the date shown in the named zone, then formatted), so those recipes
  run unchanged; their answers must equal Python's own Jakarta-day arithmetic, as the SQL
  answers must.
- `$text` raises NotImplementedError: the full-text pymongo recipe is skipped with that reason
  (its SQL twin and the text index it needs are checked).
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shlex
import shutil
import sqlite3
import subprocess
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import mongomock.aggregate
import pymongo
import pytest

from newscrawl import cli
from newscrawl.cli.export import EXPORT_EXTRA
from newscrawl.items import ARTICLE_FIELDS, Article
from newscrawl.store.base import CONTENT_FIELDS, RunRecord, article_document
from newscrawl.store.mongo import MongoStore
from newscrawl.store.sqlite import SQLiteStore
from tests.helpers import REPO, make_article
from tests.stores import SharedMongomock, mongomock_compat

QUERIES = REPO / "docs" / "queries.md"
SCHEMA = REPO / "docs" / "schema.md"
WIB = timezone(timedelta(hours=7))
MONGO_URI = "mongodb://mongomock.test:27017"

# The values the recipes ask about.
AUTHOR = "Ady Anugrahadi"
EDITOR = "Nanda Perdana Putra"
TAG = "Pemilu 2024"
WORD = "longsor"
EDITED = "5530012"
CHANNEL = "news"
MARCH = (datetime(2024, 3, 1, tzinfo=WIB), datetime(2024, 4, 1, tzinfo=WIB))

T1 = datetime(2024, 5, 2, 1, 0, tzinfo=UTC)
T2 = datetime(2024, 5, 3, 1, 0, tzinfo=UTC)
T3 = datetime(2024, 5, 4, 1, 0, tzinfo=UTC)
R1, R2, R3 = "20240502T010000Z-0a1b2c3d", "20240503T010000Z-1b2c3d4e", "20240504T010000Z-2c3d4e5f"
R_STUCK, R_REPLAY = "20240505T010000Z-3d4e5f60", "20240506T010000Z-4e5f6071"
R_NOW = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-5f607182"  # young: not stuck

# Publication times at the edges of Jakarta days and months.
EDGES = {
    1: datetime(2024, 2, 29, 17, 0, tzinfo=UTC),  # 1 March 00:00 WIB: in March
    2: datetime(2024, 2, 29, 16, 59, 59, tzinfo=UTC),  # 29 Feb 23:59:59 WIB: not in March
    3: datetime(2024, 3, 1, 20, 0, tzinfo=UTC),  # 2 March 03:00 WIB
    4: datetime(2024, 3, 31, 17, 30, tzinfo=UTC),  # 1 April 00:30 WIB: April
}


# ---- the archive -------------------------------------------------------------------------


def archive_article(n: int) -> Article:
    """Article number n of the docs' archive (the edited one in its first version)."""
    article_id = str(5_530_000 + n)
    section = ("news", "bisnis", "news", "bola")[n % 4]
    published = EDGES.get(n, datetime(2024, 2, 27, 3, 0, tzinfo=UTC) + timedelta(hours=53 * n))
    authors, credits = [], []
    if n % 3 == 0:
        authors.append(AUTHOR)
    if n % 4 == 1:
        authors.append("Tira Santia")
    if n % 7 == 6:
        authors, credits = [], ["Liputan6.com"]
    elif not authors:
        authors = ["Muhammad Ali"]
    tags = [TAG] if n % 2 == 1 or n in (2, 4) else []
    tags.append(f"Topik {n % 5}")
    title = f"Berita {section} nomor {n}"
    body = f"Paragraf pertama berita nomor {n}.\n\nParagraf kedua berita nomor {n}."
    if n == 5:
        title = "Longsor Tutup Jalan Puncak"
    if n == 17:
        body += "\n\nWarga mengungsi karena longsor susulan."
    if n == 9:
        body += "\n\nJalan itu longsornya parah."  # not the whole word "longsor"
    if n == 12:
        body = "Paragraf pertama.\n\nJalan ditutup karena longsor."
    return make_article(
        n,
        article_id=article_id,
        url=f"https://www.liputan6.com/{section}/read/{article_id}/berita-nomor-{n}",
        title=title,
        type="text",
        published_at=published,
        published_at_raw=f"{published.astimezone(WIB):%d %b %Y, %H:%M} WIB",
        published_at_source="jsonld",
        authors=authors,
        editors=[EDITOR] if n % 2 == 0 else ["Anri Syaiful"],
        credits=credits,
        byline_raw=", ".join(authors or credits),
        section=section,
        subsection={"news": "politik", "bisnis": "ekonomi", "bola": "liga-inggris"}[section],
        tags=tags,
        summary=f"Ringkasan berita nomor {n}.",
        body=body,
        word_count=len(body.split()),
        page_count=1,
        dateline="Jakarta",
        image_url=None,
    )


def edited_versions() -> list[Article]:
    """Versions 2 and 3 of the edited article 5530012: the body, then the title and tags."""
    v1 = archive_article(12)
    body = "Paragraf pertama.\n\nJalan ditutup karena pohon tumbang.\n\nParagraf tambahan."
    v2 = replace(
        v1,
        body=body,
        word_count=len(body.split()),
        updated_at=T2 - timedelta(hours=2),
        updated_at_raw="03 Mei 2024, 06:00 WIB",
    )
    v3 = replace(
        v2,
        title="Pohon Tumbang Tutup Jalan Puncak",
        tags=[*v2.tags, "Cuaca Ekstrem"],
        updated_at=T3 - timedelta(hours=2),
        updated_at_raw="04 Mei 2024, 06:00 WIB",
    )
    return [v2, v3]


FINAL = {a.article_id: a for a in [archive_article(n) for n in range(30)] + edited_versions()[1:]}

HOUR = timedelta(hours=1)
# The revisit schedule of the crawls: (next_due_at, etag, last_modified) by article, as the
# first crawl (R1) stored it. Articles 3 and 20 are due at the same time; 21 is not due yet.
SCHEDULE = {
    0: (T1 + 3 * HOUR, '"5530000-1"', None),
    3: (T1 + 3 * HOUR, 'W/"5530003-1"', None),
    7: (T1 + 24 * HOUR, None, "Thu, 02 May 2024 01:00:00 GMT"),
    12: (T1 + 3 * HOUR, '"5530012-1"', None),
    20: (T1 + 3 * HOUR, '"5530020-1"', "Thu, 02 May 2024 00:30:00 GMT"),
    21: (datetime.now(UTC) + timedelta(days=1), '"5530021-1"', None),
}
# What the later crawls brought: article 0 unchanged (R2), the edits of 5530012 (R2, R3).
REVISITED_0 = (T2 + 21 * HOUR, '"5530000-2"', None)
EDITED_SCHEDULES = [(T2 + 21 * HOUR, '"5530012-2"', None), (T3 + 21 * HOUR, '"5530012-3"', None)]
FINAL_SCHEDULE = {**SCHEDULE, 0: REVISITED_0, 12: EDITED_SCHEDULES[1]}


def crawled(article: Article, schedule: tuple | None = None) -> dict[str, Any]:
    """The document a crawl stores for the article, with its revisit schedule."""
    due, etag, modified = schedule or (None, None, None)
    meta = {"next_due_at": due, "etag": etag, "last_modified": modified}
    return article_document(article, meta)


def run_record(
    run_id: str, spider: str, args: dict, started: datetime, reason: str | None = None, **counts
) -> RunRecord:
    """A finished run (status "failed" unless reason is "finished"), or a running one."""
    if reason is None:
        return RunRecord(run_id, spider, args, started)
    status = "finished" if reason == "finished" and not counts.get("store_errors") else "failed"
    return RunRecord(run_id, spider, args, started, started, reason, status, counts)


CRAWL_COUNTS = {"dropped": {}, "not_article": {}, "store_errors": 0, "dead_lettered": 0}
RUNS = [
    run_record(R1, "liputan6", {"mode": "latest"}, T1, "finished", **CRAWL_COUNTS, new=30),
    run_record(
        R2,
        "liputan6",
        {"mode": "incremental"},
        T2,
        "finished",
        **CRAWL_COUNTS | {"dropped": {"missing_body": 2}, "store_errors": 1, "dead_lettered": 12},
        updated=1,
    ),
    run_record(
        R3,
        "liputan6",
        {"mode": "incremental"},
        T3,
        "shutdown",
        **CRAWL_COUNTS | {"not_article": {"tag page": 1}},
        updated=1,
    ),
    run_record(R_STUCK, "liputan6", {"mode": "backfill"}, T3 + timedelta(days=1)),
    run_record(R_REPLAY, "replay", {"file": "/srv/dead.jsonl"}, T3 + timedelta(days=2), "finished"),
]
FAILED_RUNS = [R_STUCK, R3, R2]  # newest first; R_NOW is running but young

DAY_KEYS = ("channel", "day", "pages", "listed", "stored", "failed", "complete")
DAYS = [
    ("news", "2024-03-01", 2, 30, 30, 0, True),
    ("bisnis", "2024-03-01", 2, 25, 25, 0, True),
    ("news", "2024-03-02", 3, 41, 39, 2, False),
    ("bisnis", "2024-03-02", 1, 0, 0, 0, False),
    ("news", "2024-02-29", 2, 20, 19, 1, False),
    ("bola", "2024-03-31", 2, 18, 17, 1, False),
    ("bola", "2024-04-01", 1, 9, 0, 0, False),
]
INCOMPLETE_MARCH = [("2024-03-31", "bola"), ("2024-03-02", "bisnis"), ("2024-03-02", "news")]


def fill(store: Any) -> None:
    """Write the archive into an opened store, as crawls would."""
    first = [crawled(archive_article(n), SCHEDULE.get(n)) for n in range(30)]
    store.write_articles(first, run_id=R1, now=T1)
    (v2, v3), (s2, s3) = edited_versions(), EDITED_SCHEDULES
    store.write_articles(
        [crawled(v2, s2), crawled(archive_article(0), REVISITED_0)], run_id=R2, now=T2
    )
    store.write_articles([crawled(v3, s3)], run_id=R3, now=T3)
    for run in RUNS:
        store.start_run(replace(run, finished_at=None, finish_reason=None, status="running"))
        if run.status != "running":
            store.finish_run(run)
    store.start_run(RunRecord(R_NOW, "liputan6", {"mode": "latest"}, datetime.now(UTC)))
    store.put_days(
        [dict(zip(DAY_KEYS, d, strict=True)) | {"walked_at": T1, "run_id": R1} for d in DAYS]
    )


def server_date_to_string(monkeypatch: pytest.MonkeyPatch) -> None:
    """$dateToString with a timezone, as the server does it (mongomock raises for it)."""
    original = mongomock.aggregate._Parser._handle_date_operator

    def handle(self: Any, operator: str, values: Any) -> Any:
        if operator != "$dateToString" or not isinstance(values, dict) or "timezone" not in values:
            return original(self, operator, values)
        assert set(values) == {"format", "date", "timezone"}, values
        assert re.fullmatch(r"(%[YmdHMS]|[^%])*", values["format"]), values["format"]
        moment = self.parse(values["date"])
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        zone = values["timezone"]
        if re.fullmatch(r"[+-]\d\d:\d\d", zone):
            sign = 1 if zone[0] == "+" else -1
            tz = timezone(sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:])))
        else:
            tz = ZoneInfo(zone)
        return moment.astimezone(tz).strftime(values["format"])

    monkeypatch.setattr(mongomock.aggregate._Parser, "_handle_date_operator", handle)


@dataclass
class Archive:
    folder: Path
    """Holds newscrawl.sqlite3; the recipes run with it as the working directory."""
    db: Any
    """The pymongo (mongomock) database the docs' Connecting block opened."""

    @property
    def sqlite_path(self) -> Path:
        return self.folder / "newscrawl.sqlite3"


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    folder = tmp_path_factory.mktemp("archive")
    with pytest.MonkeyPatch.context() as mp:
        mongomock_compat(mp)
        server_date_to_string(mp)
        factory = SharedMongomock()
        stores = [
            MongoStore(MONGO_URI, "newscrawl", client_factory=factory),
            SQLiteStore(folder / "newscrawl.sqlite3"),
        ]
        for store in stores:
            store.open()
            fill(store)
            store.close()
        # The docs' own Connecting block opens the database.
        mp.setattr(pymongo, "MongoClient", factory)
        mp.setenv("MONGO_URI", MONGO_URI)
        mp.delenv("MONGO_DATABASE", raising=False)
        (_lang, code), *_ = recipes()["Connecting"]
        namespace: dict[str, Any] = {}
        exec(compile(code, "queries.md: Connecting", "exec"), namespace)
        yield Archive(folder, namespace["db"])


# ---- reading the docs ----------------------------------------------------------------------


def recipes() -> dict[str, list[tuple[str, str]]]:
    """{`## ` heading: [(fence language, code), ...]} of docs/queries.md, in page order."""
    sections: dict[str, list[tuple[str, str]]] = {}
    heading, lang, lines = None, None, []
    for line in QUERIES.read_text(encoding="utf-8").splitlines():
        if lang is None and line.startswith("## "):
            heading = line[3:].strip()
            sections[heading] = []
        elif lang is None and line.startswith("```"):
            lang, lines = line[3:].strip(), []
        elif lang is not None and line.startswith("```"):
            assert heading, "a code block before the first ## heading"
            sections[heading].append((lang, "\n".join(lines) + "\n"))
            lang = None
        elif lang is not None:
            lines.append(line)
    assert lang is None, "an unclosed code block in docs/queries.md"
    return sections


def blocks(section: str, lang: str) -> list[str]:
    return [code for fence, code in recipes()[section] if fence == lang]


def run_sql(archive: Archive, sql: str) -> list[dict[str, Any]]:
    conn = sqlite3.connect(archive.sqlite_path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in conn.execute(sql).fetchall()]
    finally:
        conn.close()


def run_python(
    archive: Archive, section: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[dict[str, Any], str]]:
    """Each python block of a section in turn, in one namespace: (namespace, printed text)."""
    monkeypatch.chdir(archive.folder)
    namespace: dict[str, Any] = {"db": archive.db}
    for number, code in enumerate(blocks(section, "python"), 1):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, f"queries.md: {section} #{number}", "exec"), namespace)
        yield namespace, out.getvalue()


# ---- what the archive holds ----------------------------------------------------------------


def wib(moment: datetime) -> datetime:
    return moment.astimezone(WIB)


def in_march(article: Article) -> bool:
    return MARCH[0] <= article.published_at < MARCH[1]


def newest_first(articles: list[Article]) -> list[str]:
    return [a.article_id for a in sorted(articles, key=lambda a: a.published_at, reverse=True)]


def expected_per_day() -> list[tuple[str, str, int]]:
    counts = Counter(
        (wib(a.published_at).date().isoformat(), a.section) for a in FINAL.values() if in_march(a)
    )
    return sorted((day, section, n) for (day, section), n in counts.items())


def expected_by_author() -> list[str]:
    return newest_first([a for a in FINAL.values() if AUTHOR in a.authors])


def expected_tag_months() -> list[tuple[str, int]]:
    counts = Counter(f"{wib(a.published_at):%Y-%m}" for a in FINAL.values() if TAG in a.tags)
    return sorted(counts.items())


def expected_word_hits() -> set[str]:
    word = re.compile(rf"\b{WORD}\b", re.IGNORECASE)
    return {
        a.article_id
        for a in FINAL.values()
        if any(word.search(text or "") for text in (a.title, a.summary, a.body))
    }


def expected_latest() -> list[str]:
    return newest_first([a for a in FINAL.values() if a.section == CHANNEL])[:10]


def expected_due() -> dict[str, tuple]:
    """{article_id: (next_due_at, etag, last_modified)} of the articles due now, earliest
    first, then by id."""
    now = datetime.now(UTC)
    due = sorted((s[0], str(5_530_000 + n), s) for n, s in FINAL_SCHEDULE.items() if s[0] <= now)
    return {article_id: schedule for _, article_id, schedule in due}


EDIT_FIELDS = [
    (2, ["body", "updated_at", "updated_at_raw", "word_count"]),
    (3, ["tags", "title", "updated_at", "updated_at_raw"]),
]


def test_the_archive_exercises_the_revisit_cases():
    due = list(expected_due())
    assert due[:2] == ["5530003", "5530020"]  # due at the same time: by id
    assert due.index("5530000") > due.index("5530007")  # its unchanged revisit moved it
    assert due[-1] == EDITED  # the last edit's schedule
    assert "5530021" not in due and "5530001" not in due  # not due yet; never planned


def test_the_archive_exercises_the_edge_cases():
    per_day = {(day, section): n for day, section, n in expected_per_day()}
    assert per_day[("2024-03-01", "bisnis")] >= 1  # 29 Feb 17:00 UTC is 1 March in Jakarta
    assert ("2024-03-02", "bola") in per_day  # 1 March 20:00 UTC is 2 March
    assert "2024-02" in dict(expected_tag_months()) and "2024-04" in dict(expected_tag_months())
    assert not in_march(FINAL["5530002"]) and not in_march(FINAL["5530004"])
    assert 3 <= len(expected_by_author()) < len(FINAL)
    assert expected_word_hits() == {"5530005", "5530017"}  # not 9 ("longsornya"), not 12 (v1)
    assert len([a for a in FINAL.values() if a.section == CHANNEL]) > 10


# ---- the SQL recipes -----------------------------------------------------------------------


def check_sql_per_day(rows: list[dict[str, Any]]) -> None:
    assert [(r["day"], r["section"], r["articles"]) for r in rows] == expected_per_day()


def check_sql_author_list(rows: list[dict[str, Any]]) -> None:
    assert [r["article_id"] for r in rows] == expected_by_author()
    assert all(len(r["published_at"]) == 24 and r["published_at"].endswith("Z") for r in rows)


def check_sql_author_count(rows: list[dict[str, Any]]) -> None:
    (row,) = rows
    ids = expected_by_author()
    assert row["articles"] == len(ids)
    assert row["latest"].startswith(f"{FINAL[ids[0]].published_at:%Y-%m-%dT%H:%M:%S}")
    assert row["first"].startswith(f"{FINAL[ids[-1]].published_at:%Y-%m-%dT%H:%M:%S}")


def check_sql_editor_count(rows: list[dict[str, Any]]) -> None:
    assert rows == [{"edited": sum(EDITOR in a.editors for a in FINAL.values())}]


def check_sql_tag_months(rows: list[dict[str, Any]]) -> None:
    assert [(r["month"], r["articles"]) for r in rows] == expected_tag_months()


def check_sql_search(rows: list[dict[str, Any]]) -> None:
    assert {r["article_id"] for r in rows} == expected_word_hits()
    for row in rows:
        assert re.search(rf"\[{WORD}\]", row["snippet"], re.IGNORECASE), row["snippet"]


def check_sql_versions(rows: list[dict[str, Any]]) -> None:
    assert [r["version"] for r in rows] == [1, 2, 3]
    assert [r["run_id"] for r in rows] == [R1, R2, R3]
    assert [r["fetched_at"] for r in rows] == [
        "2024-05-02T01:00:00.000Z",
        "2024-05-03T01:00:00.000Z",
        "2024-05-04T01:00:00.000Z",
    ]
    assert [r["replaced_at"] for r in rows] == [
        "2024-05-03T01:00:00.000Z",
        "2024-05-04T01:00:00.000Z",
        None,
    ]
    assert rows[-1]["title"] == FINAL[EDITED].title
    assert rows[0]["title"] == archive_article(12).title
    assert rows[-1]["body_chars"] == len(FINAL[EDITED].body)


def check_sql_changed_fields(rows: list[dict[str, Any]]) -> None:
    changed = [(version, sorted(r["field"] for r in rows if r["version"] == version))
               for version in (2, 3)]  # fmt: skip
    assert changed == [(v, sorted(fields)) for v, fields in EDIT_FIELDS]


def check_sql_failed_runs(rows: list[dict[str, Any]]) -> None:
    assert [r["run_id"] for r in rows] == FAILED_RUNS
    by_id = {r["run_id"]: r for r in rows}
    assert by_id[R2]["dead_lettered"] == 12 and by_id[R2]["store_errors"] == 1
    assert json.loads(by_id[R2]["dropped"]) == {"missing_body": 2}
    assert by_id[R3]["finish_reason"] == "shutdown" and by_id[R3]["updated"] == 1
    assert by_id[R_STUCK]["status"] == "running" and by_id[R_STUCK]["finished_at"] is None
    assert json.loads(by_id[R_STUCK]["args"]) == {"mode": "backfill"}


def check_sql_incomplete_days(rows: list[dict[str, Any]]) -> None:
    assert [(r["day"], r["channel"]) for r in rows] == INCOMPLETE_MARCH
    news = next(r for r in rows if r["channel"] == "news")
    assert (news["listed"], news["stored"], news["failed"], news["missing"]) == (41, 39, 2, 2)
    assert news["walked_at"] == "2024-05-02T01:00:00.000Z" and news["run_id"] == R1


def check_sql_due(rows: list[dict[str, Any]]) -> None:
    expected = expected_due()
    assert [r["article_id"] for r in rows] == list(expected)
    for row in rows:
        due, etag, modified = expected[row["article_id"]]
        assert (row["next_due_at"], row["etag"], row["last_modified"]) == (
            f"{due:%Y-%m-%dT%H:%M:%S}.000Z",
            etag,
            modified,
        )
        assert row["url"] == FINAL[row["article_id"]].url


def check_sql_latest(rows: list[dict[str, Any]]) -> None:
    ids = expected_latest()
    assert [r["article_id"] for r in rows] == ids
    first = FINAL[ids[0]]
    assert rows[0]["published_wib"] == f"{wib(first.published_at):%Y-%m-%d %H:%M}"
    assert rows[0]["url"] == first.url


# ---- the pymongo recipes -------------------------------------------------------------------


def check_py_per_day(ns: dict[str, Any], out: str) -> None:
    got = [(r["_id"]["day"], r["_id"]["section"], r["articles"]) for r in ns["per_day"]]
    assert got == expected_per_day()
    assert "2024-03-02 bola 1" in out


def check_py_author(ns: dict[str, Any], out: str) -> None:
    assert [a["article_id"] for a in ns["articles"]] == expected_by_author()
    assert ns["count"] == len(expected_by_author())
    assert ns["edited"] == sum(EDITOR in a.editors for a in FINAL.values())
    assert f"{AUTHOR}: {ns['count']} articles" in out


def check_py_tag_months(ns: dict[str, Any], out: str) -> None:
    assert [(r["_id"], r["articles"]) for r in ns["per_month"]] == expected_tag_months()


def check_py_search(ns: dict[str, Any], out: str) -> None:
    assert {h["article_id"] for h in ns["hits"]} == expected_word_hits()


def check_py_changes(ns: dict[str, Any], out: str) -> None:
    assert [(c["version"], c["fields"]) for c in ns["changes"]] == EDIT_FIELDS
    assert [d["version"] for d in ns["history"]] == [1, 2, 3]
    assert "-Jalan ditutup karena longsor." in out
    assert "+Jalan ditutup karena pohon tumbang." in out
    assert "+Paragraf tambahan." in out
    assert "v1 -> v2" in out and "v2 -> v3" in out


def check_py_failed_runs(ns: dict[str, Any], out: str) -> None:
    assert [r["_id"] for r in ns["failed"]] == FAILED_RUNS
    assert "dead_lettered=12" in out


def check_py_incomplete_days(ns: dict[str, Any], out: str) -> None:
    assert [(d["day"], d["channel"]) for d in ns["incomplete"]] == INCOMPLETE_MARCH
    assert "39/41 stored, 2 failed" in out


def check_py_due(ns: dict[str, Any], out: str) -> None:
    expected = expected_due()
    assert [a["article_id"] for a in ns["due"]] == list(expected)
    for article in ns["due"]:
        assert (article["next_due_at"], article.get("etag"), article.get("last_modified")) == (
            expected[article["article_id"]]
        )
        assert article["url"] == FINAL[article["article_id"]].url
    assert f"5530012 {EDITED_SCHEDULES[1][1]} {FINAL[EDITED].url}" in out


def check_py_latest(ns: dict[str, Any], out: str) -> None:
    assert [a["article_id"] for a in ns["latest"]] == expected_latest()
    assert all(set(a) == {"article_id", "published_at", "subsection", "title", "url"}
               for a in ns["latest"])  # fmt: skip


Check = Callable[..., None]
# Every section of docs/queries.md with runnable blocks: its checks, one per block, in order.
CHECKS: dict[str, dict[str, list[Check]]] = {
    "Articles per day and section": {"sql": [check_sql_per_day], "python": [check_py_per_day]},
    "One author's articles": {
        "sql": [check_sql_author_list, check_sql_author_count, check_sql_editor_count],
        "python": [check_py_author],
    },
    "A tag over time": {"sql": [check_sql_tag_months], "python": [check_py_tag_months]},
    "Full-text search": {"sql": [check_sql_search], "python": [check_py_search]},
    "What changed in an article": {
        "sql": [check_sql_versions, check_sql_changed_fields],
        "python": [check_py_changes, check_py_changes],
    },
    "Which runs failed": {"sql": [check_sql_failed_runs], "python": [check_py_failed_runs]},
    "Which archive days are incomplete": {
        "sql": [check_sql_incomplete_days],
        "python": [check_py_incomplete_days],
    },
    "The latest articles of a channel": {
        "sql": [check_sql_latest],
        "python": [check_py_latest],
    },
    "Articles due for a revisit": {"sql": [check_sql_due], "python": [check_py_due]},
}
# Sections whose blocks are checked by their own tests below.
PARQUET = "Parquet for DuckDB, pandas and polars"
SPECIAL = {"Connecting", "Export to pandas or CSV", PARQUET}


def text_search_probe(db: Any) -> None:
    """Raises NotImplementedError while mongomock has no $text."""
    list(db.articles.find({"$text": {"$search": WORD}}))


# Sections whose pymongo recipe mongomock cannot run: a probe that raises NotImplementedError
# while the gap lasts (the recipe then runs as soon as mongomock learns the operator), and why.
MONGOMOCK_GAPS: dict[str, tuple[Callable[[Any], None], str]] = {
    "Full-text search": (
        text_search_probe,
        "mongomock 4.3 implements neither the $text query operator nor projecting or sorting "
        "by {$meta: 'textScore'}",
    ),
}


def test_every_recipe_is_checked_and_has_all_three_forms():
    sections = recipes()
    assert set(CHECKS) | SPECIAL == {s for s, b in sections.items() if b}, "new or renamed ##"
    for section, checks in CHECKS.items():
        langs = [lang for lang, _ in sections[section]]
        assert {"python", "js", "sql"} <= set(langs), section
        assert set(langs) <= {"python", "js", "sql"}, section
        for lang, expected in checks.items():
            assert langs.count(lang) == len(expected), f"{section}: {lang} blocks vs checks"


@pytest.mark.parametrize("section", list(CHECKS))
def test_sql_recipe(archive: Archive, section: str):
    for sql, check in zip(blocks(section, "sql"), CHECKS[section]["sql"], strict=True):
        check(run_sql(archive, sql))


@pytest.mark.parametrize("section", list(CHECKS))
def test_pymongo_recipe(archive: Archive, section: str, monkeypatch: pytest.MonkeyPatch):
    if section in MONGOMOCK_GAPS:
        probe, why = MONGOMOCK_GAPS[section]
        try:
            probe(archive.db)
        except NotImplementedError as exc:
            pytest.skip(f"{why} ({exc}); the recipe stays as MongoDB runs it")
    checks = CHECKS[section]["python"]
    for (namespace, out), check in zip(
        run_python(archive, section, monkeypatch), checks, strict=True
    ):
        check(namespace, out)


def test_connecting_block_opens_the_archive(archive: Archive):
    assert archive.db.name == "newscrawl"
    assert archive.db.articles.count_documents({}) == len(FINAL)
    assert archive.db.articles.find_one({"article_id": EDITED})["version"] == 3


def test_full_text_recipes_use_the_text_index(archive: Archive):
    (python,) = blocks("Full-text search", "python")
    assert '"$text"' in python and '"$meta": "textScore"' in python
    index = archive.db.articles.index_information()["title_text_summary_text_body_text"]
    assert [field for field, kind in index["key"]] == ["title", "summary", "body"]
    (sql,) = blocks("Full-text search", "sql")
    assert "MATCH" in sql and "snippet(articles_fts" in sql


def test_mongosh_blocks_parse():
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: cannot syntax-check the mongosh blocks")
    sections = recipes()
    source = "".join(
        f"async function recipe_{n}() {{ // {section}\n{code}}}\n"
        for n, (section, code) in enumerate(
            (s, code) for s, b in sections.items() for lang, code in b if lang == "js"
        )
    )
    assert source.count("async function") >= len(CHECKS)
    result = subprocess.run(
        [node, "--check", "-"], input=source, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr


# ---- export ----------------------------------------------------------------------------------


def run_export_block(
    archive: Archive, monkeypatch: pytest.MonkeyPatch, section: str = "Export to pandas or CSV"
) -> None:
    """The page's `newscrawl export` commands, run through newscrawl.cli in the archive folder."""
    monkeypatch.chdir(archive.folder)
    monkeypatch.delenv("MONGO_URI", raising=False)
    monkeypatch.delenv("NEWSCRAWL_SQLITE_PATH", raising=False)
    monkeypatch.setattr("newscrawl.settings.MONGO_URI", None)
    monkeypatch.setattr("newscrawl.settings.NEWSCRAWL_SQLITE_PATH", "newscrawl.sqlite3")
    (commands,) = blocks(section, "sh")
    for line in commands.splitlines():
        words = shlex.split(line, comments=True)
        if not words:
            continue
        assert Path(words[0]).name == "newscrawl", line
        target = None
        if ">" in words:
            words, target = words[: words.index(">")], words[words.index(">") + 1]
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert cli.main(words[1:]) == 0, line
        if target:
            Path(target).write_text(out.getvalue(), encoding="utf-8")


def test_export_commands(archive: Archive, monkeypatch: pytest.MonkeyPatch):
    import csv

    run_export_block(archive, monkeypatch)
    with open(archive.folder / "march.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    march = sorted((a for a in FINAL.values() if in_march(a)), key=lambda a: a.published_at)
    assert [r["article_id"] for r in rows] == [a.article_id for a in march]
    assert list(rows[0])[: len(ARTICLE_FIELDS)] == list(ARTICLE_FIELDS)
    assert list(rows[0])[len(ARTICLE_FIELDS) :] == list(EXPORT_EXTRA)
    assert any("; " in r["tags"] for r in rows)  # lists joined with "; "
    lines = (archive.folder / "news.jsonl").read_text(encoding="utf-8").splitlines()
    news = [json.loads(line) for line in lines]
    assert {d["section"] for d in news} == {CHANNEL}
    assert len(news) == sum(a.section == CHANNEL for a in FINAL.values())
    assert all(d["published_at"].endswith("Z") for d in news)


def test_the_csv_columns_are_named_in_order():
    text = QUERIES.read_text(encoding="utf-8")
    start = text.index("The CSV has one column per Article field")
    paragraph = text[start : text.index("\n\n", start)]
    assert re.findall(r"`([a-z_]+)`", paragraph) == list(EXPORT_EXTRA)


def test_export_pandas_recipe(archive: Archive, monkeypatch: pytest.MonkeyPatch):
    pytest.importorskip("pandas", reason="pandas is not installed (not a newscrawl dependency)")
    run_export_block(archive, monkeypatch)
    (code,) = blocks("Export to pandas or CSV", "python")
    namespace: dict[str, Any] = {}
    exec(compile(code, "queries.md: export", "exec"), namespace)
    per_day = {(str(day), section): n for (day, section), n in namespace["per_day"].items()}
    assert per_day == {(day, section): n for day, section, n in expected_per_day()}
    assert AUTHOR in namespace["march"]["authors"].explode().tolist()
    assert len(namespace["news"]) == sum(a.section == CHANNEL for a in FINAL.values())


def test_parquet_duckdb_recipe(archive: Archive, monkeypatch: pytest.MonkeyPatch):
    duckdb = pytest.importorskip("duckdb", reason="duckdb is not installed (a test extra)")
    run_export_block(archive, monkeypatch, PARQUET)
    table = duckdb.sql("SELECT * FROM 'march.parquet'")
    march = sorted((a for a in FINAL.values() if in_march(a)), key=lambda a: a.published_at)
    assert [r[0] for r in duckdb.sql("SELECT article_id FROM 'march.parquet'").fetchall()] == [
        a.article_id for a in march
    ]
    types = dict(zip(table.columns, map(str, table.types), strict=True))
    assert types["published_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["tags"] == "VARCHAR[]" and types["version"] == "BIGINT"
    (code,) = blocks(PARQUET, "python")
    namespace: dict[str, Any] = {}
    exec(compile(code, "queries.md: parquet", "exec"), namespace)
    per_day = [(str(day), section, n) for day, section, n in namespace["per_day"]]
    assert per_day == expected_per_day()
    march_ids = {a.article_id for a in march}
    expected = [i for i in expected_by_author() if i in march_ids]
    assert [r[0] for r in namespace["by_author"]] == expected
    assert namespace["by_author"][0][1].utcoffset() is not None


# ---- schema.md against the code --------------------------------------------------------------


def schema_line(prefix: str) -> set[str]:
    """The `names` of the schema.md paragraph that starts with prefix."""
    text = SCHEMA.read_text(encoding="utf-8")
    start = text.index(prefix)
    paragraph = text[start : text.index("\n\n", start)]
    return set(re.findall(r"`([a-z_]+)`", paragraph))


def test_schema_names_the_hashed_fields():
    assert schema_line("Hashed fields:") == set(CONTENT_FIELDS)
    assert schema_line("Not hashed:") == set(ARTICLE_FIELDS) - set(CONTENT_FIELDS)


def test_schema_names_every_mongo_index(archive: Archive):
    text = SCHEMA.read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(" `"): line for line in text.splitlines() if "|" in line}
    for collection in ("articles", "article_versions", "crawl_runs", "crawl_days"):
        assert f"### `{collection}`" in text
        for name, info in archive.db[collection].index_information().items():
            assert name in rows, f"{collection}.{name} is not in schema.md"
            for field, kind in info["key"]:
                assert f"{field}: {'1' if kind == 1 else json.dumps(kind)}" in rows[name], name
            if info.get("unique"):
                assert "unique: true" in rows[name], name
    text_index = rows["title_text_summary_text_body_text"]
    assert 'default_language: "none"' in text_index
    assert 'language_override: "text_language_override"' in text_index


def test_schema_names_every_sqlite_table_column_and_index(archive: Archive):
    text = SCHEMA.read_text(encoding="utf-8")
    sqlite_part = text[text.index("## SQLite") :]
    conn = sqlite3.connect(archive.sqlite_path)
    try:
        objects = conn.execute("SELECT type, name FROM sqlite_master").fetchall()
        for kind, name in objects:
            if name.startswith("sqlite_autoindex_"):
                continue
            assert f"`{name}`" in sqlite_part, f"{kind} {name} is not in schema.md"
            if kind == "table" and not name.startswith("articles_fts"):
                columns = [row[1] for row in conn.execute(f"PRAGMA table_info({name})")]
                section = sqlite_part[sqlite_part.index(f"`{name}`") :]
                for column in columns:
                    assert f"`{column}`" in section, f"{name}.{column} is not in schema.md"
    finally:
        conn.close()


def test_sqlite_day_bounds_in_the_docs_are_jakarta_midnights(archive: Archive):
    (row,) = run_sql(
        archive, "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', '2024-03-01', '-7 hours') AS start"
    )
    assert row["start"] == f"{MARCH[0].astimezone(UTC):%Y-%m-%dT%H:%M:%S}.000Z"
