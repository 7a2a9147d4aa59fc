"""Tests of the local liputan6.com copy (tests/site/), over HTTP on 127.0.0.1 only."""

from __future__ import annotations

import email.utils
import hashlib
import http.client
import socket
import statistics
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from selectolax.lexbor import LexborHTMLParser

from newscrawl.site.extraction import NotAnArticle, extract_article
from newscrawl.site.navigation import read_front
from tests.site import (
    THEMES,
    VALIDATORS,
    WIB,
    WWW,
    FakeArticle,
    Fault,
    LocalSite,
    make_articles,
    render_article,
    render_block_page,
    render_channel_page,
    render_indeks_page,
)

DAY = date(2024, 3, 1)
CHANNELS = ("news", "bisnis", "bola")
PER_PAGE = 10


@dataclass
class Reply:
    """One HTTP answer."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Let the test see 301/302 answers instead of following them."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(
    url: str, method: str = "GET", timeout: float = 5, headers: dict[str, str] | None = None
) -> Reply:
    """GET (or HEAD) a local URL without following redirects; errors are replies too."""
    assert url.startswith("http://127.0.0.1:"), url
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with _OPENER.open(request, timeout=timeout) as resp:
            return Reply(resp.status, dict(resp.headers), resp.read())
    except urllib.error.HTTPError as err:
        return Reply(err.code, dict(err.headers), err.read())


def _articles() -> list[FakeArticle]:
    """Three days of articles in three channels; some multi-page ones served split."""
    articles = make_articles(
        240, start_day=DAY, days=3, channels=CHANNELS, seed=1, multipage_ratio=0.3
    )
    for a in articles[::2]:
        a.split_pages = a.pages > 1
    return articles


@pytest.fixture(scope="module")
def site():
    with LocalSite(_articles(), per_page=PER_PAGE) as local:
        yield local


def listed(html: str) -> list[str]:
    """The article URLs an indeks page lists (only section#indeks-articles items)."""
    items = LexborHTMLParser(html).css("section#indeks-articles article.articles--rows--item")
    return [n.css_first("a.articles--rows--item__title-link").attributes["href"] for n in items]


def next_link(html: str) -> str | None:
    node = LexborHTMLParser(html).css_first("a#next.simple-pagination__next-link")
    return node.attributes["href"] if node else None


# ---------------------------------------------------------------------------------------
# Synthetic articles and rendering
# ---------------------------------------------------------------------------------------


def test_make_articles_is_deterministic_and_spread():
    first = make_articles(300, start_day=DAY, days=3, seed=7)
    assert first == make_articles(300, start_day=DAY, days=3, seed=7)
    assert first != make_articles(300, start_day=DAY, days=3, seed=8)
    ids = [int(a.article_id) for a in first]
    assert ids == sorted(ids) and len(set(ids)) == 300 and 4_200_000 < ids[0] < 4_200_010
    assert [a.published for a in first] == sorted(a.published for a in first)
    assert {a.day for a in first} == {DAY + timedelta(days=i) for i in range(3)}
    assert len({a.channel for a in first}) >= 8
    assert {a.type for a in first} == {"text", "photo", "video"}
    assert any(a.pages > 1 for a in first) and any(a.modified is None for a in first)
    for a in first:
        assert a.published.utcoffset() == timedelta(hours=7)
        assert a.published.astimezone(WIB).date() == a.day
        assert 1 <= len(a.authors) <= 3 and 2 <= len(a.tags) <= 5
        assert len(a.paragraphs) >= a.pages
        assert a.url == f"{WWW}/{a.channel}/read/{a.article_id}/{a.slug}"


def _expected(a: FakeArticle) -> dict:
    return {
        "article_id": a.article_id,
        "url": a.url,
        "title": a.title,
        "type": a.type,
        "authors": a.authors,
        "editors": a.editors,
        "tags": a.tags,
        "section": a.channel,
        "subsection": a.subchannel,
        "published_at": a.published,
        "updated_at": a.modified,
        "summary": a.summary,
        "dateline": a.dateline,
        "body": a.body,
        "page_count": a.pages,
    }


def test_render_article_round_trips_every_field():
    articles = make_articles(400, start_day=DAY, days=2, seed=3)
    kinds = {(a.type, a.pages > 1, a.subchannel is None, a.modified is None) for a in articles}
    assert len(kinds) >= 8  # the sample covers the variants
    sizes = []
    for a in articles:
        html = render_article(a)
        sizes.append(len(html.encode()))
        article = extract_article(html)
        for name, value in _expected(a).items():
            assert getattr(article, name) == value, (a.article_id, name)
        assert article.published_at_source == "jsonld"
    assert min(sizes) > 3_000 and statistics.median(sizes) < 8_000 and max(sizes) < 12_000


def test_split_pages_hold_one_page_each():
    a = next(a for a in _articles() if a.split_pages)
    pages = [render_article(a, n) for n in range(1, a.pages + 1)]
    assert render_article(a) == pages[0]
    bodies = []
    for number, html in enumerate(pages, 1):
        tree = LexborHTMLParser(html)
        assert [
            n.attributes["data-page"] for n in tree.css(".article-content-body__item-page")
        ] == [str(number)]
        assert f"window.kmklabs.multiplePageCount = {a.pages};" in html
        article = extract_article(html)
        assert article.page_count == a.pages and article.title == a.title
        bodies.append(article.body)
    assert "\n\n".join(bodies) == a.body
    with pytest.raises(ValueError):
        render_article(a, a.pages + 1)


def test_list_and_block_pages_are_not_articles():
    articles = make_articles(20, start_day=DAY, days=1, channels=("news",))
    cases = {
        "channel page": render_channel_page("news", articles),
        "indeks page": render_indeks_page("news", DAY, articles, 1, True),
        "no article markup": render_block_page("/news/read/1/x"),
    }
    cases["indeks page "] = render_indeks_page(None, DAY, [], 3, False)
    for reason, html in cases.items():
        with pytest.raises(NotAnArticle) as err:
            extract_article(html)
        assert err.value.reason == reason.strip()


def test_channel_page_markup():
    articles = make_articles(12, start_day=DAY, days=1, channels=("bisnis",))
    tree = LexborHTMLParser(render_channel_page("bisnis", articles))
    items = tree.css("article.articles--iridescent-list--item")
    assert [n.attributes["id"] for n in items] == [f"article_{a.article_id}" for a in articles]
    hrefs = [n.attributes["href"] for n in tree.css("a[href]")]
    assert all(h.startswith("https://") for h in hrefs)
    assert any(h.startswith(f"{WWW}/tag/") for h in hrefs)
    assert any("liputan6.com" not in h for h in hrefs)
    times = [n.attributes["datetime"] for n in tree.css("article time[datetime]")]
    assert times == [a.published.isoformat() for a in articles]


# ---------------------------------------------------------------------------------------
# Routes
# ---------------------------------------------------------------------------------------


def test_robots_and_unknown_paths(site):
    robots = fetch(site.url("/robots.txt"))
    assert robots.status == 200 and "Disallow: /search" in robots.text
    for path in ("/", "/search?q=banjir", "/nochannel", "/news/peristiwa", "/tag/no-such-tag"):
        assert fetch(site.url(path)).status == 404, path
    assert fetch(site.url("/news/indeks/2024/02/30")).status == 404
    assert fetch(site.url("/nochannel/indeks/2024/03/01")).status == 404
    assert fetch(site.url("/news/read/1/no-such-article")).status == 404


def test_article_routes(site):
    a = next(a for a in site.articles if a.pages == 1)
    reply = fetch(site.url(a.url))
    assert reply.status == 200
    assert reply.headers["Content-Type"] == "text/html; charset=utf-8"
    assert int(reply.headers["Content-Length"]) == len(reply.body)
    assert extract_article(reply.body).article_id == a.article_id
    other = "bola" if a.channel != "bola" else "news"
    for path in (
        f"/{other}/read/{a.article_id}/{a.slug}",  # the id is global
        f"/read/{a.article_id}/{a.slug}",  # old sub-domain shape
        f"/amp/{a.article_id}/{a.slug}",
        f"{a.path}?page=2",  # a virtual page of a one-page article
    ):
        assert fetch(site.url(path)).body == reply.body, path
    head = fetch(site.url(a.url), method="HEAD")
    assert head.status == 200 and head.body == b""
    assert head.headers["Content-Length"] == str(len(reply.body))


def test_multi_page_articles(site):
    whole = next(a for a in site.articles if a.pages > 1 and not a.split_pages)
    html = fetch(site.url(whole.url)).text
    assert html.count('class="article-content-body__item-page') == whole.pages
    assert extract_article(html).body == whole.body

    split = next(a for a in site.articles if a.split_pages)
    first = fetch(site.url(split.url))
    assert first.body == fetch(site.url(f"{split.path}?page=1")).body
    for n in range(2, split.pages + 1):
        page = fetch(site.url(f"{split.path}?page={n}")).text
        assert f'data-page="{n}"' in page and 'data-page="1"' not in page
    assert fetch(site.url(f"{split.path}?page={split.pages + 1}")).status == 404


def test_channel_page_lists_latest_30(site):
    reply = fetch(site.url("/news"))
    assert reply.status == 200
    tree = LexborHTMLParser(reply.text)
    links = [
        n.attributes["href"] for n in tree.css("article.articles--iridescent-list--item h4 a[href]")
    ]
    newest = [a for a in site.articles if a.channel == "news"][:30]
    assert links == [a.url for a in newest]
    with pytest.raises(NotAnArticle, match="channel page"):
        extract_article(reply.body)


@pytest.mark.parametrize("channel", ["bisnis", None])
def test_indeks_pagination(site, channel):
    day = DAY + timedelta(days=1)
    expected = site.listed(day, channel)
    assert len(expected) > 2 * PER_PAGE
    prefix = f"/{channel}" if channel else ""
    url, seen, pages = site.url(f"{prefix}/indeks/{day:%Y/%m/%d}"), [], 0
    while url:
        html = fetch(url).text
        seen += listed(html)
        pages += 1
        href = next_link(html)
        url = site.url(href) if href else None
        assert href is None or href.startswith(f"{WWW}{prefix}/indeks/2024/03/02?page=")
    assert seen == [a.url for a in expected]  # newest first, nothing twice, nothing missed
    assert pages == -(-len(expected) // PER_PAGE)

    past = fetch(site.url(f"{prefix}/indeks/{day:%Y/%m/%d}?page={pages + 1}"))
    assert past.status == 200 and listed(past.text) == [] and next_link(past.text) is None
    with pytest.raises(NotAnArticle, match="indeks page"):
        extract_article(past.body)


def test_indeks_items_and_sidebar(site):
    html = fetch(site.url("/news/indeks/2024/03/02")).text
    tree = LexborHTMLParser(html)
    day_ids = {a.article_id for a in site.listed(DAY + timedelta(days=1))}
    for item in tree.css("article.articles--rows--item"):
        time = item.css_first("time.articles--rows--item__time").attributes["datetime"]
        assert datetime.fromisoformat(time).date() == date(2024, 3, 2) and time.endswith("+07:00")
        assert item.attributes["data-type"] in ("Article", "PhotoGallery", "VideoGallery")
        assert item.attributes["data-channel-slug"]
    sidebar = [n.attributes["href"] for n in tree.css(".terpopuler a[href]")]
    assert sidebar and all("/read/" in h for h in sidebar)
    assert not {h.split("/")[5] for h in sidebar} & day_ids  # other days' articles only


def test_indeks_of_a_day_without_articles(site):
    reply = fetch(site.url("/indeks/2023/01/01"))
    assert reply.status == 200 and listed(reply.text) == [] and next_link(reply.text) is None


def tag_items(html: str) -> list[str]:
    """The article URLs a tag page lists (its iridescent list items' title links)."""
    tree = LexborHTMLParser(html)
    items = tree.css(".tags--layout--right article.articles--iridescent-list--item")
    return [n.css_first("h4 a[href]").attributes["href"] for n in items]


def test_tag_pages_list_the_tagged_articles_page_by_page(site):
    expected = site.tagged("jokowi")
    assert expected == [a for a in site.articles if "Jokowi" in a.tags]  # newest first
    assert len(expected) == 33  # seed 1 gives "Jokowi" to 33 of the 240 articles
    url, seen, pages = site.url("/tag/jokowi"), [], 0
    while url:
        html = fetch(url).text
        seen += tag_items(html)
        pages += 1
        assert LexborHTMLParser(html).css_first("h1.tags--header__title").text() == "Jokowi"
        href = next_link(html)
        assert href in (None, f"{WWW}/tag/jokowi?page={pages + 1}")
        url = site.url(href) if href else None
    assert seen == [a.url for a in expected]  # nothing twice, nothing missed
    assert pages == 4  # 10 + 10 + 10 + 3
    with pytest.raises(NotAnArticle, match="tag page"):
        extract_article(html)

    past = fetch(site.url("/tag/jokowi?page=5"))
    assert past.status == 200 and tag_items(past.text) == [] and next_link(past.text) is None
    assert fetch(site.url("/tag/cuaca-ekstrem")).status == 200  # a many-word tag's slug
    assert fetch(site.url("/tag/no-such-tag")).status == 404


@pytest.mark.parametrize("theme", THEMES)
def test_tag_pages_are_read_as_fronts_in_each_theme(articles, theme):
    slug = "timnas-indonesia"
    with LocalSite(articles, theme=theme, per_page=4, faults={"/tag/kpk": "empty"}) as local:
        tagged = local.tagged(slug)
        url = local.url(f"/tag/{slug}")
        listing = read_front(fetch(url).text, url)
        empty_url = local.url("/tag/kpk")
        empty = read_front(fetch(empty_url).text, empty_url)
    assert len(tagged) > 4
    assert (listing.layout, listing.empty) == ("iridescent", False)
    assert [i.url for i in listing.items] == [a.url for a in tagged[:4]]
    assert (empty.layout, empty.empty) == ("iridescent", True)


def test_tag_pages_in_the_redesign_are_no_known_layout(articles):
    slug = "timnas-indonesia"
    with LocalSite(articles, list_markup="redesign", per_page=4) as local:
        url = local.url(f"/tag/{slug}")
        html = fetch(url).text
        tagged = local.tagged(slug)
    listing = read_front(html, url)
    assert (listing.layout, listing.items) == (None, [])
    assert "4 article links in div.card-2027" in listing.fingerprint
    cards = LexborHTMLParser(html).css("div.card-2027 a.card-2027__link")
    assert [n.attributes["href"] for n in cards] == [a.url for a in tagged[:4]]
    pager = LexborHTMLParser(html).css_first("a.pager-2027__next[rel=next]")
    assert pager.attributes["href"] == f"{WWW}/tag/{slug}?page=2"


def test_request_log(site):
    site.requests.clear()
    a = site.articles[0]
    fetch(site.url(a.url))
    fetch(site.url(a.url))
    fetch(site.url(a.url), method="HEAD")
    fetch(site.url("/news/indeks/2024/03/01?page=2"))
    fetch(site.url("/nothing"))
    assert len(site.requests) == 5
    assert site.requests.count(a.path) == 3
    assert site.requests.count("/news/indeks/2024/03/01?page=2") == 1
    assert site.requests.count_prefix("/news/indeks/") == 1
    assert site.requests.article_ids() == {a.article_id: 2}
    assert "/nothing" in site.requests
    assert [r.status for r in site.requests.records] == [200, 200, 200, 200, 404]
    assert site.requests.counter()[a.path] == 3


def test_keep_alive_and_stop():
    local = LocalSite(make_articles(3, start_day=DAY, days=1))
    conn = http.client.HTTPConnection("127.0.0.1", int(local.base_url.rsplit(":", 1)[1]))
    for a in local.articles:
        conn.request("GET", a.path)
        resp = conn.getresponse()
        assert resp.status == 200 and resp.read()
    assert resp.version == 11 and not resp.will_close
    local.stop()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", int(local.base_url.rsplit(":", 1)[1])), 1)


# ---------------------------------------------------------------------------------------
# Faults
# ---------------------------------------------------------------------------------------


@pytest.fixture
def articles():
    return make_articles(30, start_day=DAY, days=1, channels=("news",), seed=5)


def test_error_faults(articles):
    a, b = articles[0], articles[1]
    faults = [
        Fault(a.path, "500", times=2),
        Fault(b.path, "404"),
        Fault("/news/indeks/", "429", times=1, retry_after=7),
    ]
    with LocalSite(articles, faults=faults) as local:
        assert [fetch(local.url(a.path)).status for _ in range(3)] == [500, 500, 200]
        assert [fetch(local.url(b.path)).status for _ in range(2)] == [404, 404]
        throttled = fetch(local.url("/news/indeks/2024/03/01"))
        assert throttled.status == 429 and throttled.headers["Retry-After"] == "7"
        assert fetch(local.url("/news/indeks/2024/03/01")).status == 200
        assert [f.served for f in local.faults] == [2, 2, 1]
        assert [r.status for r in local.requests.records][:3] == [500, 500, 200]


def test_slow_fault(articles):
    a = articles[0]
    with LocalSite(articles, faults=[Fault(a.path, "slow", times=1, delay=0.6)]) as local:
        with pytest.raises((TimeoutError, urllib.error.URLError)):
            fetch(local.url(a.path), timeout=0.2)
        assert fetch(local.url(a.path), timeout=2).status == 200


def test_redirect_faults(articles):
    a, b = articles[0], articles[1]
    faults = {
        a.path: Fault(a.path, "redirect"),
        "/news/indeks/2024/03/01": Fault(
            "/x", "redirect", status=302, location="/indeks/2024/03/01"
        ),
    }
    with LocalSite(articles, faults=faults) as local:
        moved = fetch(local.url(a.path))
        assert moved.status == 301
        assert moved.headers["Location"] == local.url(f"/amp/{a.article_id}/{a.slug}")
        target = fetch(moved.headers["Location"])
        assert extract_article(target.body).url == a.url
        found = fetch(local.url("/news/indeks/2024/03/01?page=1"))
        assert found.status == 302 and found.headers["Location"].endswith("/indeks/2024/03/01")
        assert fetch(local.url(b.path)).status == 200
    with pytest.raises(ValueError):
        Fault("/news/indeks/", "redirect")
    with pytest.raises(ValueError):
        Fault("/news", "teapot")  # type: ignore[arg-type]


def test_empty_fault(articles):
    with LocalSite(articles, faults={"/news/indeks/2024/03/01": "empty"}) as local:
        html = fetch(local.url("/news/indeks/2024/03/01")).text
        assert listed(html) == [] and "IndeksPage" in html
        assert len(listed(fetch(local.url("/indeks/2024/03/01")).text)) == 24


def test_truncated_fault(articles):
    a = articles[0]
    with LocalSite(articles, faults=[Fault(a.path, "truncated", times=1)]) as local:
        with pytest.raises(http.client.IncompleteRead) as err:
            fetch(local.url(a.path))
        assert b"article-content-body__item-content" in err.value.partial
        assert b"</html>" not in err.value.partial
        assert extract_article(fetch(local.url(a.path)).body).body == a.body


def test_block_fault(articles):
    a, b = articles[0], articles[1]
    faults = [Fault(a.path, "block"), Fault(b.path, "block", status=403)]
    with LocalSite(articles, faults=faults) as local:
        for article, status in ((a, 200), (b, 403)):
            reply = fetch(local.url(article.path))
            assert reply.status == status and "Access Denied" in reply.text
            assert "kmklabs" not in reply.text


def test_challenge_fault():
    a, b = "/news/read/1/x", "/news/indeks/2024/03/01"
    with LocalSite([], faults=[Fault(a, "challenge"), Fault(b, "challenge", status=403)]) as local:
        for path, status in ((a, 503), (b, 403)):
            reply = fetch(local.url(path))
            assert reply.status == status and "<title>Just a moment...</title>" in reply.text
            assert reply.headers["cf-mitigated"] == "challenge"
            assert "kmklabs" not in reply.text and not loose_links(reply.text)
            with pytest.raises(NotAnArticle):
                extract_article(reply.body)


def test_reset_fault_sends_no_response(articles):
    a = articles[0]
    with LocalSite(articles, faults=[Fault(a.path, "reset", times=1)]) as local:
        port = int(local.base_url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(f"GET {a.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            with pytest.raises(ConnectionResetError):  # a TCP reset, not a clean close
                sock.recv(1024)
        assert fetch(local.url(a.path)).status == 200  # times=1: then the page
        assert [r.status for r in local.requests.records] == [0, 200]


def test_faults_spare_robots_txt_unless_they_name_it(articles):
    a = articles[0]
    with LocalSite(articles, faults=[Fault("/", "block", status=403)]) as local:
        assert fetch(local.url("/robots.txt")).status == 200
        for path in (a.path, "/news", "/news/indeks/2024/03/01", "/indeks/2024/03/01"):
            assert fetch(local.url(path)).status == 403, path
    with LocalSite(articles, faults=[Fault("/robots.txt", "500")]) as local:
        assert fetch(local.url("/robots.txt")).status == 500
        assert fetch(local.url(a.path)).status == 200


# ---------------------------------------------------------------------------------------
# The site changed: list markup, an archive ignoring the date, redirects
# ---------------------------------------------------------------------------------------

# What any list markup the crawler knows is made of (2019 and 2025 themes).
KNOWN_LIST_MARKUP = (
    "articles--rows--item",
    "articles--iridescent-list",
    "indeks-articles",
    "data-article-id",
    "article-snippet",
    "headline--bottom-slider",
    "simple-pagination",
    "<article",
    "kmklabs",
)


def cards(html: str) -> list[str]:
    """The article links of a redesigned list page's cards."""
    return [
        n.attributes["href"] for n in LexborHTMLParser(html).css(".feed-2027 a.card-2027__link")
    ]


def loose_links(html: str) -> set[str]:
    """Every article link on a page, wherever it is (what a loose link scan finds)."""
    hrefs = (n.attributes["href"] for n in LexborHTMLParser(html).css("a[href]"))
    return {h for h in hrefs if "/read/" in h}


@pytest.mark.parametrize("theme", ["2019", "2025"])
def test_redesigned_list_pages_link_the_same_articles_in_unknown_markup(theme):
    articles = _articles()
    with (
        LocalSite(articles, per_page=PER_PAGE, list_markup="redesign", theme=theme) as local,
        LocalSite(articles, per_page=PER_PAGE, theme=theme) as before,
    ):
        day = DAY + timedelta(days=1)
        expected = local.listed(day, "news")
        url, seen = local.url(f"/news/indeks/{day:%Y/%m/%d}"), []
        while url:
            html = fetch(url).text
            assert not [m for m in KNOWN_LIST_MARKUP if m in html], url
            seen += cards(html)
            assert set(cards(html)) <= loose_links(html)
            node = LexborHTMLParser(html).css_first("a.pager-2027__next[rel=next]")
            url = local.url(node.attributes["href"]) if node else None
        assert seen == [a.url for a in expected]

        front = fetch(local.url("/bisnis")).text
        assert not [m for m in KNOWN_LIST_MARKUP if m in front]
        newest = [a.url for a in local.articles if a.channel == "bisnis"][:30]
        assert cards(front) == newest and set(newest) <= loose_links(front)
        empty = fetch(local.url("/indeks/2023/01/01")).text
        assert empty.count("feed-2027") and not cards(empty)

        a = expected[0]  # article pages are the theme's, unchanged
        assert fetch(local.url(a.path)).body == fetch(before.url(a.path)).body
    with pytest.raises(ValueError, match="unknown list markup"):
        LocalSite([], list_markup="2027")  # type: ignore[arg-type]


def test_an_archive_ignoring_the_date_lists_the_newest_day_for_every_date():
    articles = _articles()  # 2024-03-01 to 03-03, three channels
    newest = DAY + timedelta(days=2)
    with LocalSite(articles, per_page=PER_PAGE, archive_ignores_date=True) as local:
        for channel in ("news", None):
            prefix = f"/{channel}" if channel else ""
            expected = [a.url for a in local.listed(newest, channel)][:PER_PAGE]
            for day in (DAY, DAY + timedelta(days=1), newest, date(2023, 1, 1)):
                assert local.indeks_day(day, channel) == newest
                assert local.indeks_items(day, channel) == local.listed(newest, channel)
                html = fetch(local.url(f"{prefix}/indeks/{day:%Y/%m/%d}")).text
                assert listed(html) == expected, (channel, day)
                # The pagination stays on the date asked for.
                assert next_link(html) == f"{WWW}{prefix}/indeks/{day:%Y/%m/%d}?page=2"
        assert local.listed(DAY, "news") != local.listed(newest, "news")  # days differ
    with LocalSite(articles, per_page=PER_PAGE) as local:
        assert local.indeks_day(DAY, "news") == DAY
        assert local.indeks_items(DAY, "news") == local.listed(DAY, "news")


def test_redirect_share_sends_a_share_of_articles_to_another_of_their_day():
    articles = _articles()
    with LocalSite(articles, redirect_share=0.3) as local:
        moved = local.redirected
        groups = {(c, d) for c in CHANNELS for d in (DAY + timedelta(days=i) for i in range(3))}
        for channel, day in groups:
            items = [a.article_id for a in local.listed(day, channel)]
            here = [i for i in items if i in moved]
            assert len(here) == int(len(items) * 0.3)  # exactly the share of each day
            assert items[0] not in moved  # the newest article never moves
            for article_id in here:
                target = moved[article_id]
                assert target in items and target not in moved  # same day, stays put
        for article_id, target in list(moved.items())[:10]:
            a, b = local.article(article_id), local.article(target)
            reply = fetch(local.url(a.path))
            assert reply.status == 301 and reply.headers["Location"] == local.url(b.path)
            assert fetch(local.url(b.path)).status == 200
        stays = next(a for a in articles if a.article_id not in moved)
        assert fetch(local.url(stays.path)).status == 200
        assert 0.2 < len(moved) / len(articles) < 0.3
    with LocalSite(articles, redirect_share=0.3) as again, LocalSite(articles) as none:
        assert again.redirected == moved  # deterministic
        assert none.redirected == {}
    with pytest.raises(ValueError, match="redirect_share"):
        LocalSite([], redirect_share=1.0)


# ---------------------------------------------------------------------------------------
# The clock, edits and validators
# ---------------------------------------------------------------------------------------


def front_items(html: str) -> list[str]:
    """The article URLs a channel front lists."""
    tree = LexborHTMLParser(html)
    return [
        n.attributes["href"] for n in tree.css("article.articles--iridescent-list--item h4 a[href]")
    ]


def popular(html: str) -> list[str]:
    """The article URLs of an indeks page's popular sidebar."""
    return [n.attributes["href"] for n in LexborHTMLParser(html).css(".terpopuler a[href]")]


def _two_days() -> list[FakeArticle]:
    """Two days of 20 news articles; the 31st (the 11th of the second day) alone carries
    "Rahasia Baru"."""
    articles = make_articles(40, start_day=DAY, days=2, channels=("news",), seed=3)
    articles[30].tags = ["Jokowi", "Rahasia Baru"]
    articles[29].tags = ["Jokowi"]
    return articles


def test_the_clock_hides_articles_published_after_now():
    articles = _two_days()
    a, b = articles[29], articles[30]
    assert a.published < b.published and a.day == b.day == DAY + timedelta(days=1)
    out = articles[:30][::-1]  # newest first
    with LocalSite(articles, per_page=PER_PAGE, now=a.published) as local:
        assert local.now == a.published
        assert fetch(local.url(b.path)).status == 404
        assert fetch(local.url(a.path)).status == 200
        assert local.articles == out
        assert local.listed(b.day, "news") == local.indeks_items(b.day) == out[:10]
        assert local.tagged("jokowi")[0] == a and local.tagged("rahasia-baru") == []
        bodies = []
        for prefix in ("/news", ""):
            html = fetch(local.url(f"{prefix}/indeks/2024/03/02")).text
            assert listed(html) == [x.url for x in out[:10]]
            assert next_link(html) is None  # 10 out, 10 a page: one page
            bodies.append(html)
        day_one = fetch(local.url("/news/indeks/2024/03/01")).text
        assert popular(day_one) == [x.url for x in out[:5]]  # the newest out, of day 2
        front = fetch(local.url("/news")).text
        assert front_items(front) == [x.url for x in out]
        jokowi = fetch(local.url("/tag/jokowi")).text
        assert tag_items(jokowi)[0] == a.url
        assert fetch(local.url("/tag/rahasia-baru")).status == 404
        bodies += [day_one, front, jokowi] + [fetch(local.url(x.path)).text for x in out]
        assert not [body for body in bodies if b.url in body]  # in no list, no Baca Juga

        local.now = b.published  # the next crawl
        assert fetch(local.url(b.path)).status == 200
        assert local.articles[0] == b and local.tagged("rahasia-baru") == [b]
        html = fetch(local.url("/news/indeks/2024/03/02")).text
        assert listed(html)[0] == b.url and next_link(html) is not None  # 11 out: two pages
        assert popular(fetch(local.url("/news/indeks/2024/03/01")).text)[0] == b.url
        assert front_items(fetch(local.url("/news")).text)[0] == b.url
        assert tag_items(fetch(local.url("/tag/jokowi")).text)[:2] == [b.url, a.url]
        assert tag_items(fetch(local.url("/tag/rahasia-baru")).text) == [b.url]

        local.now = None  # everything, as without a clock
        assert local.articles == articles[::-1]
        assert len(listed(fetch(local.url("/news/indeks/2024/03/02?page=2")).text)) == 10
    with pytest.raises(ValueError, match="timezone-aware"):
        LocalSite([], now=datetime(2024, 3, 1, 12))


def test_caches_follow_the_clock_both_ways():
    articles = _two_days()
    first, later = articles[35], articles[36]
    with LocalSite(articles, now=first.published) as local:
        paths = ("/news", "/news/indeks/2024/03/02", "/indeks/2024/03/02", "/tag/jokowi")
        before = {p: fetch(local.url(p)).text for p in paths}
        local.now = later.published
        assert not local._lists  # list pages of other moments are forgotten
        for path in paths:  # requests begun before the move finish after it
            local._route(path, "", first.published)
        after = {p: fetch(local.url(p)).text for p in paths}
        local.now = first.published
        again = {p: fetch(local.url(p)).text for p in paths}
    for path in paths[:3]:
        assert later.url not in before[path] and later.url in after[path], path
        assert again[path] == before[path], path
    assert (later.url in after["/tag/jokowi"]) == ("Jokowi" in later.tags)


def test_the_clock_with_an_archive_ignoring_the_date_and_redirects():
    articles = _two_days()
    day_one_last = articles[19]
    with LocalSite(articles, archive_ignores_date=True, now=day_one_last.published) as local:
        assert local.indeks_day(DAY + timedelta(days=1), "news") == DAY  # the newest day out
        html = fetch(local.url("/news/indeks/2024/02/01")).text
        assert listed(html)[0] == day_one_last.url
    with LocalSite(articles, redirect_share=0.5) as local:
        source, target = next(
            (local.article(s), local.article(t))
            for s, t in local.redirected.items()
            if local.article(s).published < local.article(t).published
        )
        local.now = source.published  # its target not yet out: the page answers as itself
        assert fetch(local.url(source.path)).status == 200
        local.now = target.published
        assert fetch(local.url(source.path)).status == 301


def titles(html: str) -> dict[str, str]:
    """{article URL: title} of the items an indeks page lists."""
    items = LexborHTMLParser(html).css("section#indeks-articles a.articles--rows--item__title-link")
    return {n.attributes["href"]: n.text().strip() for n in items}


def test_an_edit_shows_the_old_version_before_and_the_new_after(articles):
    a, reader = articles[5], articles[7]  # reader's Baca Juga box links a
    at = a.published + timedelta(days=1)
    with LocalSite(articles, per_page=30) as local:
        old_page = fetch(local.url(a.path)).body
        new = local.edit(a.article_id, at, title="Judul Diperbarui", paragraphs=["Isi baru."])
        assert (new.title, new.paragraphs, new.modified) == ("Judul Diperbarui", ["Isi baru."], at)
        assert (new.article_id, new.channel, new.day, new.published, new.tags) == (
            a.article_id,
            a.channel,
            a.day,
            a.published,
            a.tags,
        )
        assert local.version_at(a.article_id, at - timedelta(seconds=1)) == a
        assert local.version_at(a.article_id, at) == local.version_at(a.article_id, None) == new
        assert fetch(local.url(a.path)).body != old_page  # now=None: the latest version

        for now, shown in (
            (at - timedelta(minutes=1), a),
            (at, new),
            (at + timedelta(days=9), new),
        ):
            local.now = now
            page = extract_article(fetch(local.url(a.path)).body)
            assert (page.title, page.body, page.updated_at) == (
                shown.title,
                shown.body,
                shown.modified,
            )
            indeks = fetch(local.url("/news/indeks/2024/03/01")).text
            assert titles(indeks)[a.url] == shown.title
            assert f">{shown.title}</a>" in fetch(local.url(reader.path)).text  # Baca Juga
            assert local.article(a.article_id) == shown
            assert (
                next(x for x in local.listed(DAY, "news") if x.article_id == a.article_id) == shown
            )

        later = local.edit(a.article_id, at + timedelta(hours=1), title="Judul Ketiga")
        assert later.paragraphs == ["Isi baru."]  # an edit starts from the latest version
        assert local.version_at(a.article_id, at + timedelta(minutes=30)) == new
        assert extract_article(fetch(local.url(a.path)).body).title == "Judul Ketiga"


def test_an_edit_of_the_tags_moves_the_article_between_tag_pages(articles):
    a = articles[3]
    at = a.published + timedelta(days=1)
    old_slug = a.tags[0].lower().replace(" ", "-")
    with LocalSite(articles, now=at - timedelta(seconds=1)) as local:
        local.edit(a.article_id, at, tags=["Tag Baru"])
        assert fetch(local.url("/tag/tag-baru")).status == 404
        assert a.url in tag_items(fetch(local.url(f"/tag/{old_slug}")).text)
        local.now = at
        assert tag_items(fetch(local.url("/tag/tag-baru")).text) == [a.url]
        assert local.tagged("tag-baru") == [local.article(a.article_id)]
        assert a.url not in tag_items(fetch(local.url(f"/tag/{old_slug}")).text)
        assert a not in local.tagged(old_slug)


def test_edit_refuses_what_no_site_does(articles):
    a = articles[0]
    with LocalSite(articles) as local:
        since = max(a.published, a.modified or a.published)
        with pytest.raises(ValueError, match="later second"):
            local.edit(a.article_id, a.published - timedelta(hours=1), title="x")
        with pytest.raises(ValueError, match="later second"):
            local.edit(a.article_id, since + timedelta(microseconds=999), title="x")
        local.edit(a.article_id, since + timedelta(hours=2), title="Kedua")
        with pytest.raises(ValueError, match="later second"):
            local.edit(a.article_id, since + timedelta(hours=1), title="x")  # before the last
        for change in ("article_id", "channel", "day", "published", "modified"):
            with pytest.raises(ValueError, match=change):
                local.edit(a.article_id, since + timedelta(hours=3), **{change: getattr(a, change)})
        with pytest.raises(ValueError, match="timezone-aware"):
            local.edit(a.article_id, datetime(2030, 1, 1), title="x")
        assert local.article(a.article_id).title == "Kedua"


def http_date(when: datetime) -> str:
    """An HTTP-date, as Last-Modified and If-Modified-Since write it."""
    return email.utils.format_datetime(when.astimezone(UTC), usegmt=True)


@pytest.mark.parametrize("mode", VALIDATORS)
def test_article_pages_carry_the_validators_of_the_mode(articles, mode):
    a = next(a for a in articles if a.modified)
    b = next(a for a in articles if a.modified is None)
    with LocalSite(articles, validators=mode) as local:
        reply, other = fetch(local.url(a.path)), fetch(local.url(b.path))
        etag, changed = reply.headers.get("ETag"), reply.headers.get("Last-Modified")
        if mode in ("etag", "both"):
            assert etag == '"' + hashlib.blake2b(reply.body, digest_size=16).hexdigest() + '"'
            assert other.headers["ETag"] not in (etag, None)
        else:
            assert etag is None
        if mode in ("last-modified", "both"):
            assert changed == http_date(a.modified)
            assert other.headers["Last-Modified"] == http_date(b.published)
        else:
            assert changed is None
        head = fetch(local.url(a.path), method="HEAD")
        assert (head.headers.get("ETag"), head.headers.get("Last-Modified")) == (etag, changed)
        for path in (
            "/news",
            "/news/indeks/2024/03/01",
            f"/tag/{a.tags[0].lower().replace(' ', '-')}",
            "/robots.txt",
        ):
            others = fetch(local.url(path))
            assert others.status == 200, path
            assert "ETag" not in others.headers and "Last-Modified" not in others.headers, path
        asked = {"If-None-Match": "*", "If-Modified-Since": http_date(a.modified)}
        assert fetch(local.url(a.path), headers=asked).status == (304 if mode != "none" else 200)
    with pytest.raises(ValueError, match="validators"):
        LocalSite([], validators="strong")  # type: ignore[arg-type]


def test_a_matching_if_none_match_gets_304_until_an_edit(articles):
    a = articles[4]
    with LocalSite(articles, validators="both", gzip=True) as local:
        first = fetch(local.url(a.path))
        etag, changed = first.headers["ETag"], first.headers["Last-Modified"]
        local.requests.clear()
        same = fetch(local.url(a.path), headers={"If-None-Match": etag})
        assert same.status == 304 and same.body == b""
        assert (same.headers["ETag"], same.headers["Last-Modified"]) == (etag, changed)
        assert "Content-Length" not in same.headers and "Content-Type" not in same.headers
        for listed_tags in (f"W/{etag}", f'"other", {etag}'):  # weak comparison, a list
            assert fetch(local.url(a.path), headers={"If-None-Match": listed_tags}).status == 304
        zipped = fetch(
            local.url(a.path), headers={"If-None-Match": etag, "Accept-Encoding": "gzip"}
        )
        assert (
            zipped.status == 304 and zipped.body == b"" and "Content-Encoding" not in zipped.headers
        )
        assert (zipped.headers["ETag"], zipped.headers["Vary"]) == (etag, "Accept-Encoding")
        assert fetch(local.url(a.path), headers={"If-None-Match": '"other"'}).status == 200
        head = fetch(local.url(a.path), method="HEAD", headers={"If-None-Match": etag})
        assert head.status == 304
        # If-None-Match rules: a matching If-Modified-Since beside a stale tag is ignored.
        stale = {"If-None-Match": '"other"', "If-Modified-Since": changed}
        assert fetch(local.url(a.path), headers=stale).status == 200
        assert local.requests.article_ids(status=304) == {a.article_id: 4}
        assert local.requests.statuses() == {304: 5, 200: 2}

        at = a.published + timedelta(days=1)
        local.edit(a.article_id, at, paragraphs=["Isi baru."])
        edited = fetch(local.url(a.path), headers={"If-None-Match": etag})
        assert edited.status == 200 and edited.headers["ETag"] != etag
        assert edited.headers["Last-Modified"] == http_date(at)
        assert (
            fetch(local.url(a.path), headers={"If-None-Match": edited.headers["ETag"]}).status
            == 304
        )
        local.now = at - timedelta(seconds=1)  # the clock before the edit: the first version
        assert fetch(local.url(a.path), headers={"If-None-Match": etag}).status == 304


def test_if_modified_since_gets_304_from_the_last_modified_on(articles):
    a = next(a for a in articles if a.modified)
    changed = http_date(a.modified)
    with LocalSite(articles, validators="last-modified") as local:

        def status(since: str) -> int:
            return fetch(local.url(a.path), headers={"If-Modified-Since": since}).status

        assert status(changed) == 304
        assert status(http_date(a.modified + timedelta(days=3))) == 304
        assert status(http_date(a.modified - timedelta(seconds=1))) == 200
        assert status("not a date") == 200
        at = a.modified + timedelta(hours=1)
        local.edit(a.article_id, at, title="Judul Baru")
        assert status(changed) == 200  # modified since
        assert status(http_date(at)) == 304
        local.now = at - timedelta(seconds=1)
        assert status(changed) == 304
        assert local.requests.article_ids(status=304) == {a.article_id: 4}
    with LocalSite(articles, validators="etag") as local:
        assert fetch(local.url(a.path), headers={"If-Modified-Since": changed}).status == 200


# ---------------------------------------------------------------------------------------
# Saved real pages
# ---------------------------------------------------------------------------------------


def test_shared_pages(corpus_dir):
    articles = make_articles(10, start_day=DAY, days=1)
    with LocalSite(articles, use_shared_pages=True, shared_dir=corpus_dir / "html") as local:
        assert local.shared_count > 50
        for a in local.shared_articles[:40]:
            reply = fetch(local.url(a.url))
            assert reply.status == 200
            assert extract_article(reply.body).article_id == a.article_id
        a = next(a for a in local.shared_articles if a.channel == "news")
        html = fetch(local.url(f"/news/indeks/{a.day:%Y/%m/%d}?page=1")).text
        html += fetch(local.url(f"/news/indeks/{a.day:%Y/%m/%d}?page=2")).text
        assert a.url in listed(html)
        assert len(local.articles) == 10 + local.shared_count


def test_shared_pages_absent(tmp_path):
    with LocalSite([], use_shared_pages=True, shared_dir=tmp_path / "missing") as local:
        assert local.shared_count == 0
        assert fetch(local.url("/news")).status == 200
