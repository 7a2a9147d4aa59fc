"""`newscrawl check-site` against the local site: healthy, redesigned, refused, unreachable."""

from __future__ import annotations

import json
import socket
from datetime import date, timedelta

import pytest

from newscrawl.site.navigation import read_index
from newscrawl.sitecheck import ListCheck, check_article, guess_type
from newscrawl.spiders.options import today_wib
from tests.helpers import check_site, lose_authors_and_dates
from tests.site import Fault, LocalSite, make_articles, render_article, render_indeks_page

ARTICLES = make_articles(
    120, start_day=date(2024, 1, 1), days=3, channels=("news", "bisnis", "showbiz"), seed=8
)
DAY = date(2024, 1, 2)
# The first tag the news front of ARTICLES links to (its topics, sorted): the tag page read.
TAG = "banjir"


def test_a_healthy_site_passes_with_one_article_of_each_template():
    with LocalSite(ARTICLES) as site:
        done = check_site(site.base_url, f"--day={DAY}")
        paths = site.requests.paths()
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"Site {site.base_url}"
    # The list pages, each with the layout that recognised it and what it lists.
    day_items, tagged = len(site.listed(DAY, "news")), len(site.tagged(TAG))
    assert (day_items, tagged) == (16, 17)  # fewer than a page (24) each
    assert lines[1:6] == [
        f"  index   news 2024-01-02      indeks-rows     {day_items} articles listed",
        "  front   news                 iridescent      30 articles listed",
        "  front   bisnis               iridescent      30 articles listed",
        "  front   showbiz              iridescent      30 articles listed",
        f"  tag     {TAG:<20} iridescent      {tagged} articles listed",
    ]
    assert [line.split()[0] for line in lines[6:9]] == ["text", "photo", "video"]
    assert "field          text                  photo                 video" in lines
    row = "structured / markup   "
    assert f"authors*       {row}{row}{row.rstrip()}" in lines
    assert "body*          markup / markup       markup / markup       markup / markup" in lines
    assert "summary*       structured / -        structured / -        structured / -" in lines
    assert done.stderr.endswith(
        "ok, 5 list pages recognised, every expected field found on 3 articles\n"
    )
    # Polite and small: robots.txt, a date-index day, three fronts, a tag page, three articles.
    assert paths[0] == "/robots.txt"
    assert len(paths) == 9
    assert {"/news/indeks/2024/01/02", "/news", "/bisnis", "/showbiz", f"/tag/{TAG}"} < set(paths)


def test_a_site_that_lost_bylines_and_dates_fails_naming_page_and_field():
    yesterday = {today_wib() - timedelta(days=1)}
    with LocalSite(ARTICLES, rewrite=lose_authors_and_dates) as site:
        done = check_site(site.base_url, "--channels=news", "--json")
    yesterday.add(today_wib() - timedelta(days=1))  # midnight may pass during the run
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["status"] == 1
    assert [a["type"] for a in report["articles"]] == ["text", "photo", "video"]
    article = report["articles"][0]
    assert article["lost"] == ["published_at", "authors", "summary"]
    assert article["fields"]["title"] == {"whole": "markup", "markup_alone": "markup"}
    assert article["fields"]["section"] == {"whole": "url", "markup_alone": "url"}
    assert f"newscrawl check-site: authors lost on text {article['url']}" in done.stderr
    index, front, tag = report["lists"]
    # By default the first channel's date index of yesterday: a day this site has no article of.
    assert date.fromisoformat(index["day"]) in yesterday
    assert index == {
        "kind": "index",
        "url": f"{site.base_url}/news/indeks/{index['day'].replace('-', '/')}",
        "channel": "news",
        "day": index["day"],
        "tag": None,
        "layout": "indeks-rows",
        "listed": 0,
        "fingerprint": None,
        "refused": False,
        "other_days": False,
        "error": None,
        "state": "empty",
    }
    assert (front["kind"], front["url"], front["channel"]) == (
        "front",
        f"{site.base_url}/news",
        "news",
    )
    assert (front["layout"], front["listed"], front["state"]) == ("iridescent", 30, "recognised")
    assert (tag["kind"], tag["url"], tag["tag"]) == ("tag", f"{site.base_url}/tag/{TAG}", TAG)
    assert (tag["layout"], tag["listed"], tag["state"]) == ("iridescent", 17, "recognised")
    assert not any("list page" in line for line in report["problems"])


def test_a_front_that_lists_nothing_fails():
    with LocalSite(ARTICLES, faults={"/bisnis": "empty"}) as site:
        done = check_site(site.base_url, "--channels=bisnis")
    assert done.returncode == 1
    assert f"front {site.base_url}/bisnis lists no article" in done.stderr


def test_a_site_whose_list_markup_changed_fails_naming_each_list_page():
    # Fronts, index and tag pages in a markup no theme used (div.card-2027 items); articles
    # as before.
    with LocalSite(ARTICLES, list_markup="redesign") as site:
        done = check_site(site.base_url, "--channels=news", f"--day={DAY}")
        paths = site.requests.paths()
        day_items, tagged = len(site.listed(DAY, "news")), len(site.tagged("jokowi"))
    assert done.returncode == 1, done.stderr
    assert (day_items, tagged) == (16, 13)
    base = site.base_url
    archive, front, tag = f"{base}/news/indeks/2024/01/02", f"{base}/news", f"{base}/tag/jokowi"

    def seen(title: str, links: int) -> str:
        return f"(title {title!r}, page type None, {links} article links in div.card-2027)"

    archive_seen = seen("Indeks Berita News - Liputan6.com", day_items)
    front_seen = seen("Berita News Terkini Hari Ini - Liputan6.com", 30)
    tag_seen = seen("Berita Jokowi Hari Ini - Kabar Terbaru Terkini | Liputan6.com", tagged)
    hint = "the site's list markup may have changed; see docs/operations.md"
    # The redesigned front links to no tag: the well-known one is read instead.
    assert done.stderr.splitlines() == [
        f"newscrawl check-site: list page not recognised: index {archive} {archive_seen}: {hint}",
        f"newscrawl check-site: list page not recognised: front {front} {front_seen}: {hint}",
        f"newscrawl check-site: list page not recognised: tag {tag} {tag_seen}: {hint}",
        "newscrawl check-site: no article could be checked",
    ]
    assert done.stdout.splitlines()[1:4] == [
        f"  index   news 2024-01-02      NOT RECOGNISED  {archive} {archive_seen}",
        f"  front   news                 NOT RECOGNISED  {front} {front_seen}",
        f"  tag     jokowi               NOT RECOGNISED  {tag} {tag_seen}",
    ]
    # No list read, so no article to fetch: robots.txt and the three list pages.
    assert len(paths) == 4


def test_refused_and_failed_list_pages_are_named():
    faults = {
        "/news/indeks/": "404",
        "/bisnis": Fault("/bisnis", "block", status=403),  # Akamai's Access Denied
        "/tag/": "block",  # a challenge page served with 200
    }
    with LocalSite(ARTICLES, faults=faults) as site:
        done = check_site(site.base_url, "--channels=news,bisnis", f"--day={DAY}")
    assert done.returncode == 1, done.stderr
    base, denied = site.base_url, "title 'Access Denied', page type None, no article links"
    problems = done.stderr.splitlines()
    assert problems[:3] == [
        f"newscrawl check-site: index {base}/news/indeks/2024/01/02 could not be read: HTTP 404",
        f"newscrawl check-site: list page refused: front {base}/bisnis (HTTP 403, {denied}): "
        "the site answered with an access-denied or challenge page; see docs/operations.md",
        f"newscrawl check-site: list page refused: tag {base}/tag/{TAG} ({denied}): "
        "the site answered with an access-denied or challenge page; see docs/operations.md",
    ]
    lines = done.stdout.splitlines()
    assert (
        lines[1]
        == f"  index   news 2024-01-02      FAILED          {base}/news/indeks/2024/01/02 (HTTP 404)"
    )
    assert (
        lines[3]
        == f"  front   bisnis               REFUSED         {base}/bisnis (HTTP 403, {denied})"
    )
    # The news front was read: its articles were checked.
    assert [line.split()[0] for line in lines[5:8]] == ["text", "photo", "video"]


def test_a_date_index_day_that_lists_other_days_is_a_problem():
    url = "https://www.liputan6.com/news/indeks/2024/01/01"
    check = ListCheck("index", url, "news", "2024-01-01")
    later = [a for a in ARTICLES if a.channel == "news" and a.day == date(2024, 1, 3)]
    check.read(read_index(render_indeks_page("news", date(2024, 1, 1), later, 1, False), url))
    assert (check.state, check.layout, check.listed) == ("recognised", "indeks-rows", 11)
    assert check.other_days
    assert check.problem == (
        f"index {url} lists only articles of other days than 2024-01-01: the site may "
        "ignore the date in the URL; see docs/operations.md"
    )


def test_a_future_day_or_a_bad_date_exits_2():
    tomorrow = today_wib() + timedelta(days=2)
    for arg in (f"--day={tomorrow}", "--day=2024-13-01", "--day=yesterday"):
        done = check_site("http://127.0.0.1:9", arg)
        assert done.returncode == 2, (arg, done.stderr)
        assert "Traceback" not in done.stderr


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
