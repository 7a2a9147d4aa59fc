"""`newscrawl import-warc`: archived copies of real saved pages of every era, in WARC files
built as other archivists write them (tests/warcs.py), become stored articles with their
provenance; everything else in the files is counted by reason; an archived copy never
overwrites a newer version and an older one becomes an earlier version, in capture order."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pymongo
import pytest

from newscrawl.pipelines.validate import check_article
from newscrawl.site import EXTRACTOR_VERSION
from newscrawl.site.decoding import page_text
from newscrawl.site.extraction import extract_article
from newscrawl.store.base import article_document
from newscrawl.store.sqlite import SQLiteStore
from newscrawl.warc import Capture, read_records
from tests.helpers import newscrawl, newscrawl_here
from tests.warcs import Page, saved_article_pages, write_warc

CAPTURED = datetime(2021, 3, 4, 5, 6, 7, tzinfo=UTC)


def expected_document(body: bytes, url: str) -> dict:
    """What the crawl would store of this page (extracted and validated)."""
    article = extract_article(page_text(body, url, "text/html; charset=UTF-8"), url)
    check_article(article)
    return article_document(article)


@pytest.fixture(scope="module")
def saved_pages(corpus_dir) -> list[tuple[str, bytes, dict]]:
    """(url, body, expected document) of one saved page per article, of every era: the
    2019-2022 desktop, mobile and AMP pages, the 2016 page and the 2025 theme page."""
    paths = saved_article_pages(corpus_dir)
    paths += sorted((corpus_dir / "eras").glob("article_*.html"))
    pages, seen = [], set()
    for path in paths:
        body = path.read_bytes()
        try:
            doc = expected_document(body, "file:///saved.html")
        except Exception:  # a saved page the crawl would not keep is not imported either
            continue
        # A page that does not say its own URL (a mirror rewrote it) has no archive URL.
        if doc["article_id"] in seen or not doc["url"].startswith("https://"):
            continue
        seen.add(doc["article_id"])
        pages.append((doc["url"], body, expected_document(body, doc["url"])))
    assert len(pages) > 60
    return pages


def stored(path: Path) -> SQLiteStore:
    store = SQLiteStore(path)
    store.open(create=False)
    return store


def test_archived_pages_of_every_era_are_stored_with_their_provenance(saved_pages, tmp_path):
    pages = [
        Page(
            url,
            body,
            CAPTURED + timedelta(minutes=n),
            encoding="gzip" if n % 2 else None,
            chunked=n % 3 == 0,
        )
        for n, (url, body, _) in enumerate(saved_pages)
    ]
    noise = [
        Page("https://www.detik.com/berita/d-123/judul", b"<html>other site</html>", CAPTURED),
        Page(
            "https://www.liputan6.com/news/read/1/gone", b"<html>404</html>", CAPTURED, status=404
        ),
        Page("https://www.liputan6.com/news/read/2/dedup", b"", CAPTURED, kind="revisit"),
        Page(
            "https://cdn0-production-images-kly.akamaized.net/x.jpg",
            b"\xff\xd8",
            CAPTURED,
            content_type="image/jpeg",
        ),
        Page("https://www.liputan6.com/news/indeks/2020/05/27", b"<html></html>", CAPTURED),
        Page(
            "https://www.liputan6.com/news/read/3/rusak", b"<html><body>x</body></html>", CAPTURED
        ),
    ]
    path = write_warc(tmp_path / "CC-NEWS-20210304.warc.gz", pages[:30] + noise + pages[30:])
    # A copy cut off at the end, as a download that stopped: the last record is skipped.
    data = path.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) - 200])

    done = newscrawl(
        "import-warc",
        "--create",
        "--archive",
        "commoncrawl-news",
        "--sqlite-path",
        "archive.sqlite3",
        str(path),
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    n = len(saved_pages)
    assert f"{n:,} new, 0 updated, 0 unchanged, 0 earlier versions" in done.stderr
    store = stored(tmp_path / "archive.sqlite3")
    docs = {d["article_id"]: d for d in store.iter_articles()}
    offsets = {c.url: c.offset for c in read_records(path) if isinstance(c, Capture)}
    for k, (url, _, expected) in enumerate(saved_pages):
        doc = docs[expected["article_id"]]
        assert doc["content_hash"] == expected["content_hash"], url  # as the crawl extracts it
        assert doc["archive"] == "commoncrawl-news"
        assert doc["version_reason"] == "archived copy"
        assert doc["extractor_version"] == EXTRACTOR_VERSION
        assert doc["fetched_at"] == CAPTURED + timedelta(minutes=k)
        assert (doc["warc_file"], doc["warc_offset"]) == (path.name, offsets[url])
    (run,) = store.runs()
    store.close()
    assert run["spider"] == "import-warc" and run["status"] == "finished"
    skipped = run["counts"]["skipped"]
    assert skipped["not liputan6.com"] == 1
    assert skipped["HTTP status 404"] == 1
    assert skipped["revisit record (no payload)"] == 1
    assert skipped["not HTML"] == 1
    assert skipped["list page"] == 1
    assert skipped["warcinfo record"] == 1
    assert skipped["request record"] == skipped["metadata record"] == len(pages) + 5
    assert sum(v for k, v in skipped.items() if k.startswith("not an article")) == 1
    # Every record is a stored article or counted under a reason.
    assert run["counts"]["records"] == n + sum(skipped.values())

    again = newscrawl(
        "import-warc", "--sqlite-path", "archive.sqlite3", str(path), str(cut), cwd=tmp_path
    )
    assert again.returncode == 0, again.stderr
    assert f"0 new, 0 updated, {2 * n:,} unchanged" in again.stderr or (
        # the cut copy lacks the page of its cut-off last record
        f"0 new, 0 updated, {2 * n - 1:,} unchanged" in again.stderr
    )
    assert "truncated record" in again.stderr


def test_an_archived_copy_takes_its_place_in_the_history_by_capture_time(
    saved_pages, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MONGO_URI", raising=False)
    url, body, expected = saved_pages[0]
    title = expected["title"]

    def copy(when: datetime, new_title: str | None) -> Page:
        text = body if new_title is None else body.replace(title.encode(), new_title.encode())
        return Page(url, text, when)

    def run(name: str, *pages: Page) -> str:
        path = write_warc(tmp_path / name, pages)
        # One worker: each file holds a page or three, and a worker's start is most of the cost.
        code, err = newscrawl_here(
            capsys,
            "import-warc",
            "--create",
            "--workers",
            "1",
            "--sqlite-path",
            "a.sqlite3",
            str(path),
        )
        assert code == 0, err
        return err

    y2021, y2020, y2022 = (datetime(y, 6, 1, tzinfo=UTC) for y in (2021, 2020, 2022))
    assert "1 new" in run("a.warc.gz", copy(y2021, None))
    # An older copy with another title: an earlier version, the current one untouched.
    assert "1 earlier versions" in run("b.warc.gz", copy(y2020, "Judul 2020"))
    store = stored(tmp_path / "a.sqlite3")
    current = store.get_article(expected["article_id"])
    assert current["title"] == title and current["fetched_at"] == y2021
    assert [(v["title"], v["fetched_at"]) for v in store.versions(expected["article_id"])] == [
        ("Judul 2020", y2020)
    ]
    store.close()
    # A newer copy with another title: the current version; the history in capture order.
    assert "1 updated" in run("c.warc.gz", copy(y2022, "Judul 2022"))
    # The same captures again change nothing.
    assert "3 unchanged" in run(
        "all.warc.gz", copy(y2021, None), copy(y2020, "Judul 2020"), copy(y2022, "Judul 2022")
    )
    store = stored(tmp_path / "a.sqlite3")
    current = store.get_article(expected["article_id"])
    assert (current["title"], current["fetched_at"]) == ("Judul 2022", y2022)
    history = store.versions(expected["article_id"])
    assert [(v["title"], v["fetched_at"]) for v in history] == [
        ("Judul 2020", y2020),
        (title, y2021),
    ]
    assert all(v["version_reason"] == "archived copy" for v in history)
    store.close()


def test_import_over_the_wire_into_mongodb(saved_pages, tmp_path, mongo_uri):
    pages = [Page(url, body, CAPTURED) for url, body, _ in saved_pages[:20]]
    path = write_warc(tmp_path / "wayback.warc.gz", pages)
    database = f"newscrawl_import_{uuid.uuid4().hex[:10]}"
    env = {"MONGO_URI": mongo_uri, "MONGO_DATABASE": database}
    done = newscrawl("import-warc", "--create", str(path), cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert "20 new" in done.stderr
    client = pymongo.MongoClient(mongo_uri, tz_aware=True, serverSelectionTimeoutMS=5000)
    try:
        docs = {d["article_id"]: d for d in client[database].articles.find()}
        for _, _, expected in saved_pages[:20]:
            assert docs[expected["article_id"]]["content_hash"] == expected["content_hash"]
            assert docs[expected["article_id"]]["archive"] == "wayback.warc.gz"
    finally:
        client.drop_database(database)
        client.close()
