"""Helpers shared by the tests: where things are, one factory per thing (``make_article``,
``make_doc``), crawls and commands in a subprocess, pipeline runs on a crawler.

The saved pages are read from ../shared/liputan6, or from $NEWSCRAWL_SHARED_DIR/liputan6 when
that variable is set; a test that needs them skips, saying where it looked, when they are not
there."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.test import get_crawler

from newscrawl import settings as project_settings
from newscrawl.extensions.keeper import Keeper
from newscrawl.items import Article
from newscrawl.pipelines.store import StorePipeline
from newscrawl.site.extraction import extract_article, without_structured_data
from newscrawl.spiders.liputan6 import Liputan6Spider
from newscrawl.spiders.options import today_wib
from newscrawl.store.base import article_document
from newscrawl.store.sqlite import SQLiteStore
from tests.site import LocalSite, make_articles

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BASE_TIME = datetime(2024, 3, 1, 0, 0, tzinfo=UTC)


def shared_liputan6() -> Path:
    """The saved-pages folder: $NEWSCRAWL_SHARED_DIR/liputan6 or ../shared/liputan6."""
    base = os.environ.get("NEWSCRAWL_SHARED_DIR")
    return (Path(base) if base else REPO.parent / "shared") / "liputan6"


def shared_data_file(name: str) -> Path:
    """A file of the shared Liputan6 data folder; skips the test when it is absent."""
    path = shared_liputan6() / "data" / name
    if not path.is_file():
        pytest.skip(
            f"{name}: shared liputan6 data not found at {path.parent} "
            "(set NEWSCRAWL_SHARED_DIR to the folder that holds liputan6/)"
        )
    return path


# ---- factories: one per thing --------------------------------------------------------------------


def make_article(n: int, **changes: Any) -> Article:
    """A plausible Liputan6 article number n, published n hours after BASE_TIME."""
    article_id = str(5_500_000 + n)
    section = "news" if n % 2 == 0 else "bisnis"
    article = Article(
        article_id=article_id,
        url=f"https://www.liputan6.com/{section}/read/{article_id}/berita-nomor-{n}",
        title=f"Berita nomor {n}",
        type="text",
        published_at=BASE_TIME + timedelta(hours=n),
        published_at_raw=f"01 Mar 2024, {n % 24:02d}:00 WIB",
        published_at_source="jsonld",
        authors=["Ady Anugrahadi", f"Penulis {n}"],
        editors=["Nanda Perdana Putra"],
        credits=["Liputan6.com"],
        byline_raw=f"Penulis: Ady Anugrahadi, Penulis {n}",
        section=section,
        subsection="politik" if section == "news" else "ekonomi",
        tags=["Pemilu 2024", f"tag-{n}"],
        summary=f"Ringkasan berita nomor {n}.",
        body=f"Jakarta - Isi berita nomor {n}.\n\nParagraf kedua tentang banjir.",
        word_count=10,
        page_count=1,
        image_url=f"https://cdn1-production-images-kly.akamaized.net/{n}.jpg",
        dateline="Jakarta",
    )
    return dataclasses.replace(article, **changes)


def make_doc(n: int, **changes: Any) -> dict[str, Any]:
    """The stored document of make_article(n, **changes)."""
    return article_document(make_article(n, **changes))


# ---- the settings newscrawl reads (docs/operations.md's table) -----------------------------------


PACKAGE = REPO / "newscrawl"


SETTINGS_PY = PACKAGE / "settings.py"


SETTINGS_GETTERS = {"get", "getint", "getbool", "getfloat", "getdict", "getlist", "getwithbase"}


NO_DEFAULT = object()


def _setting_default(node: ast.expr) -> Any:
    try:
        return ast.literal_eval(node)
    except ValueError:
        return NO_DEFAULT  # a name (a module constant): the settings.py value decides


def _is_settings_object(node: ast.expr) -> bool:
    """`settings`, `self.settings`, `crawler.settings`, `self.crawler.settings` ..."""
    return (isinstance(node, ast.Name) and node.id == "settings") or (
        isinstance(node, ast.Attribute) and node.attr == "settings"
    )


def settings_read() -> dict[str, list[tuple[str, str, Any]]]:
    """Every NAME read through a settings object in newscrawl/: [(where, getter, default)]."""
    reads: dict[str, list[tuple[str, str, Any]]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getter = None
            default: Any = NO_DEFAULT
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in SETTINGS_GETTERS
                and _is_settings_object(node.func.value)
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                name, getter = node.args[0].value, node.func.attr
                if len(node.args) > 1:
                    default = _setting_default(node.args[1])
                elif getter == "getbool":
                    default = False
                elif getter == "get":
                    default = None
            elif (
                isinstance(node, ast.Subscript)
                and _is_settings_object(node.value)
                and isinstance(node.slice, ast.Constant)
                and isinstance(node.slice.value, str)
            ):
                name, getter = node.slice.value, "[]"
            if name:
                where = f"{path.relative_to(REPO)}:{node.lineno}"
                reads.setdefault(name, []).append((where, getter, default))
    return reads


def environment_of_settings() -> dict[str, set[str]]:
    """settings.py's NAME = ... os.environ.get("VAR") ...: {NAME: {VAR, ...}}."""
    found: dict[str, set[str]] = {}
    for node in ast.parse(SETTINGS_PY.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            for call in ast.walk(node.value):
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute)
                    and call.func.attr == "get"
                    and ast.unparse(call.func.value) == "os.environ"
                ):
                    found.setdefault(node.targets[0].id, set()).add(call.args[0].value)
    return found


# ---- stored documents ----------------------------------------------------------------------------


def archived_doc(n: int, when, **changes) -> dict:
    """The stored document of make_article(n) as an archived copy (fetched ``when``)."""
    from newscrawl.store.base import ARCHIVED_COPY, article_document

    meta = {"fetched_at": when, "version_reason": ARCHIVED_COPY, "archive": "cc"}
    return article_document(make_article(n, **changes), meta)


# ---- commands in a subprocess --------------------------------------------------------------------


def newscrawl(
    *args: str, cwd: Path, env: dict | None = None, timeout: float = 300
) -> subprocess.CompletedProcess:
    """`newscrawl ARGS` in a subprocess, as a user runs it (no store or WARC folder from the
    environment unless ``env`` gives one)."""
    environ = {k: v for k, v in os.environ.items() if k not in ("MONGO_URI", "NEWSCRAWL_WARC_DIR")}
    return subprocess.run(
        [sys.executable, "-m", "newscrawl.cli", *args],
        cwd=cwd,
        env={**environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def newscrawl_here(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str]:
    """`newscrawl ARGS` in this process, where a process start adds nothing to what is
    checked: the exit status and stderr (the caller chdirs and clears MONGO_URI)."""
    from newscrawl import cli

    try:
        code = cli.main(list(args))
    except SystemExit as usage:  # argparse exits on a usage error
        code = usage.code
    return code, capsys.readouterr().err


# check-site without the politeness a real site needs: the local site answers at once.
FAST_CHECK = (
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "AUTOTHROTTLE_ENABLED=0",
    "-s",
    "RETRY_BACKOFF_BASE=0.05",
)


def check_site(base_url: str, *args: str) -> subprocess.CompletedProcess:
    """`newscrawl check-site` with LIPUTAN6_BASE_URL at base_url."""
    env = dict(os.environ, LIPUTAN6_BASE_URL=base_url)
    return subprocess.run(
        [sys.executable, "-m", "newscrawl.cli", "check-site", *FAST_CHECK, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


# ---- field coverage ------------------------------------------------------------------------------


FIELD_STAT = re.compile(r"'(newscrawl/fields/[^']+)': (\d+)")


# A redesign that lost the byline and the publication date, in the markup and in the data.
BYLINE_AND_DATE = re.compile(
    r'<div id="author-\d+" class="read-page--header--author vcard">.*?</div>', re.DOTALL
)


def lose_authors_and_dates(html: str) -> str:
    """The page without its structured data, byline and publication time."""
    return BYLINE_AND_DATE.sub("", without_structured_data(html))


def field_stats(stderr: str) -> dict[str, int]:
    """The newscrawl/fields/* stats of Scrapy's stats dump at the end of a crawl."""
    return {name: int(value) for name, value in FIELD_STAT.findall(stderr)}


# ---- the pipelines and the keeper on a crawler, in-process --------------------------------------


def crawler_with(tmp_path, **settings):
    """A crawler of the liputan6 spider with the project's extensions, storing in tmp_path."""
    base = {
        "NEWSCRAWL_SQLITE_PATH": str(tmp_path / "archive.sqlite3"),
        "MONGO_URI": None,
        "STORE_BATCH_SIZE": 3,
        "STORE_FLUSH_INTERVAL": 0,
        "NEWSCRAWL_DEAD_LETTER_PATH": str(tmp_path / "dead.jsonl"),
        "EXTENSIONS": project_settings.EXTENSIONS,
        "NEWSCRAWL_PROGRESS_INTERVAL": 0,
        "NEWSCRAWL_RUN": True,  # what `scrapy crawl` sets
        "LIPUTAN6_BASE_URL": "https://www.liputan6.com",
    }
    base.update(settings)
    crawler = get_crawler(Liputan6Spider, base)
    crawler.spider = Liputan6Spider.from_crawler(crawler, channels="news")
    crawler.stats.open_spider()
    return crawler


async def feed(pipeline, articles) -> None:
    """process_item for each article as Scrapy calls it (awaiting back-pressure)."""
    for article in articles:
        result = pipeline.process_item(article)
        if inspect.isawaitable(result):
            assert await result is article
        else:
            assert result is article


async def open_run(crawler) -> StorePipeline:
    """Open the run's keeper and the store pipeline, as Scrapy does at spider_opened."""
    pipeline = StorePipeline.from_crawler(crawler)
    pipeline.open_spider()
    await Keeper.of(crawler).spider_opened(crawler.spider)
    return pipeline


async def close_run(crawler, pipeline, reason="finished") -> None:
    """Close the pipeline, then the keeper, as Scrapy does."""
    await pipeline.close_spider()
    await Keeper.of(crawler).spider_closed(crawler.spider, reason)


async def run_pipeline(crawler, articles, reason="finished"):
    """Open a run, feed it articles, close it as Scrapy would."""
    pipeline = await open_run(crawler)
    await feed(pipeline, articles)
    await close_run(crawler, pipeline, reason)
    return pipeline


# ---- real crawls of the fake site (tests/site/) in a subprocess ----------------------------------


# Slow enough that a test can act in the middle of the crawl.
PACED = {"DOWNLOAD_DELAY": "0.01", "CONCURRENT_REQUESTS_PER_DOMAIN": "1"}


def as_from_a_terminal() -> None:
    """A child's Ctrl-C as a terminal gives it: a process inherits an ignored SIGINT (a test
    worker may hold one, left by whatever ran in it before), and then Python and Scrapy leave
    it ignored. For Popen's preexec_fn, in tests that send SIGINT."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(site, tmp_path, *args, **settings) -> subprocess.Popen:
    """Start one crawl in the background (stderr captured), Ctrl-C as from a terminal."""
    cmd, env = crawl_command(site, tmp_path, *args, **settings)
    return subprocess.Popen(
        cmd,
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=as_from_a_terminal,
    )


def wait_for_articles(site, count: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    """Wait until the site has served ``count`` article pages."""
    deadline = time.monotonic() + timeout
    while len(site.requests.article_ids()) < count:
        assert proc.poll() is None, "the crawl ended too early"
        assert time.monotonic() < deadline, "the crawl is too slow"
        time.sleep(0.01)


def backfill(days: int, count: int, seed: int, channels=("news", "bisnis")):
    """Articles of a backfill and its -a arguments."""
    articles = make_articles(
        count,
        start_day=today_wib() - timedelta(days=30 + days),
        days=days,
        channels=channels,
        seed=seed,
    )
    args = (
        f"since={articles[0].day}",
        f"until={articles[-1].day}",
        f"channels={','.join(channels)}",
    )
    return articles, args


def final_stats(stderr: str) -> dict:
    """The integer stats of Scrapy's closing dump."""
    dump = stderr[stderr.rindex("Dumping Scrapy stats:") :]
    return {k: int(v) for k, v in re.findall(r"'([^']+)': (\d+),?\n", dump)}


FAST_CRAWL = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "0",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "NEWSCRAWL_PROGRESS_INTERVAL": "0",
    "TELNETCONSOLE_ENABLED": "0",
    "DOWNLOAD_TIMEOUT": "3",
    "RETRY_BACKOFF_BASE": "0.05",
    "STORE_FLUSH_INTERVAL": "1",
}


CONTENT = ("title", "authors", "tags", "section", "subsection", "published_at", "body", "url")


def crawl_command(
    site: LocalSite, tmp_path: Path, *args: str, **settings: str
) -> tuple[list, dict]:
    """The command line and environment of one crawl against the local site."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", "liputan6"]
    for arg in args:
        cmd += ["-a", arg]
    for name, value in {**FAST_CRAWL, **settings}.items():
        cmd += ["-s", f"{name}={value}"]
    env = dict(
        os.environ,
        LIPUTAN6_BASE_URL=site.base_url,
        NEWSCRAWL_SQLITE_PATH=str(tmp_path / "archive.sqlite3"),
        NEWSCRAWL_DEAD_LETTER_PATH=str(tmp_path / "dead.jsonl"),
    )
    env.pop("MONGO_URI", None)
    return cmd, env


def crawl(site, tmp_path, *args, timeout=120, env_extra=None, **settings):
    """Run one crawl to its end; return the finished process (output captured)."""
    cmd, env = crawl_command(site, tmp_path, *args, **settings)
    env.update(env_extra or {})
    return subprocess.run(
        cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def open_archive(tmp_path: Path) -> SQLiteStore:
    """The archive a crawl in tmp_path wrote."""
    store = SQLiteStore(tmp_path / "archive.sqlite3")
    store.open()
    return store


def seed_archive(tmp_path: Path, articles, render) -> None:
    """Store the articles as a crawl would have (each page rendered, then extracted)."""
    store = open_archive(tmp_path)
    docs = [article_document(extract_article(render(a))) for a in articles]
    store.write_articles(docs, run_id="seed", now=articles[-1].published.astimezone(UTC))
    store.close()


def content(doc: dict) -> dict:
    """What an article says, without bookkeeping that differs between runs."""
    return {name: doc[name] for name in CONTENT}
