"""`newscrawl check-site` against the local site: healthy, redesigned, and unreachable."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from datetime import date

import pytest

from newscrawl.sitecheck import check_article, guess_type
from tests.conftest import REPO
from tests.localsite import LocalSite, make_articles, render_article
from tests.test_field_coverage import lose_authors_and_dates

FAST = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "RETRY_BACKOFF_BASE=0.05")
ARTICLES = make_articles(
    120, start_day=date(2024, 1, 1), days=3, channels=("news", "bisnis", "showbiz"), seed=8
)


def check_site(base_url: str, *args: str) -> subprocess.CompletedProcess:
    """`newscrawl check-site` with LIPUTAN6_BASE_URL at base_url."""
    env = dict(os.environ, LIPUTAN6_BASE_URL=base_url)
    return subprocess.run(
        [sys.executable, "-m", "newscrawl.cli", "check-site", *FAST, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_healthy_site_passes_with_one_article_of_each_template():
    with LocalSite(ARTICLES) as site:
        done = check_site(site.base_url)
        paths = site.requests.paths()
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"Site {site.base_url}"
    assert "  front news       30 articles listed" in lines
    assert [line.split()[0] for line in lines[4:7]] == ["text", "photo", "video"]
    assert "field          text                  photo                 video" in lines
    row = "structured / markup   "
    assert f"authors*       {row}{row}{row.rstrip()}" in lines
    assert "body*          markup / markup       markup / markup       markup / markup" in lines
    assert "summary*       structured / -        structured / -        structured / -" in lines
    assert done.stderr.endswith("ok, every expected field found on 3 articles\n")
    # Polite and small: robots.txt, three fronts, three articles.
    assert paths[0] == "/robots.txt"
    assert len(paths) == 7


def test_a_site_that_lost_bylines_and_dates_fails_naming_page_and_field():
    with LocalSite(ARTICLES, rewrite=lose_authors_and_dates) as site:
        done = check_site(site.base_url, "--channels=news", "--json")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["status"] == 1
    assert [a["type"] for a in report["articles"]] == ["text", "photo", "video"]
    article = report["articles"][0]
    assert article["lost"] == ["published_at", "authors", "summary"]
    assert article["fields"]["title"] == {"whole": "markup", "markup_alone": "markup"}
    assert article["fields"]["section"] == {"whole": "url", "markup_alone": "url"}
    assert f"newscrawl check-site: authors lost on text {article['url']}" in done.stderr
    assert report["fronts"] == [
        {"channel": "news", "url": f"{site.base_url}/news", "listed": 30, "error": None}
    ]


def test_a_front_that_lists_nothing_fails():
    with LocalSite(ARTICLES, faults={"/bisnis": "empty"}) as site:
        done = check_site(site.base_url, "--channels=bisnis")
    assert done.returncode == 1
    assert f"front {site.base_url}/bisnis lists no article" in done.stderr


def test_a_closed_port_is_unreachable_in_one_line():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    done = check_site(f"http://127.0.0.1:{port}", "-s", "RETRY_TIMES=0")
    assert done.returncode == 3, done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"newscrawl check-site: cannot reach http://127.0.0.1:{port}: ")
    assert "Connection" in line or "refused" in line


@pytest.mark.parametrize(
    "args", [("--channels=nope",), ("--max-articles=x",), ("-s", "NOEQUALS")], ids=str
)
def test_bad_arguments_exit_2(args):
    done = check_site("http://127.0.0.1:9", *args)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr


def test_check_article_credits_and_pages_that_are_not_articles():
    article = ARTICLES[0]
    html = render_article(article)
    ok = check_article(html, article.url)
    assert (ok.type, ok.lost, ok.error) == ("text", [], None)
    assert ok.fields["published_at"] == {"whole": "structured", "markup_alone": "markup"}
    bad = check_article("<html><body><p>Access denied</p></body></html>", article.url)
    assert bad.error.startswith("not an article")


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://www.liputan6.com/news/read/4264272/foto-pemeriksaan-sikm", "photo"),
        ("https://www.liputan6.com/showbiz/read/4200181/video-polda-metro", "video"),
        ("https://www.liputan6.com/news/read/4264758/soal-new-normal", "text"),
    ],
)
def test_guess_type_from_the_slug(url, kind):
    assert guess_type(url) == kind
