"""Reading list pages and building URLs: small pure functions, tested with tables."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from newscrawl.site.navigation import (
    Listed,
    ListPage,
    channel_items,
    channel_url,
    index_items,
    index_url,
    lists_other_days,
    parse_list_url,
    read_front,
    read_index,
    rebase,
    tag_slugs,
    tag_url,
)

FIXTURES = Path(__file__).parent / "fixtures"
WWW = "https://www.liputan6.com"
LOCAL = "http://127.0.0.1:8123"
BERITA = "https://berita.liputan6.com/peristiwa/read/8284063/prabowo-bongkar"
PHOTO = "https://photo.liputan6.com"


def _item(article_id: str, slug: str, channel: str = "news", **extra) -> str:
    """One index list item in the site's markup (a title link to www.liputan6.com)."""
    href = f"{WWW}/{channel}/read/{article_id}/{slug}"
    return (
        f'<article class="articles--rows--item" data-type="{extra.get("kind", "Article")}">'
        f'<time datetime="{extra.get("time", "2024-01-02T10:00:00+07:00")}">x</time>'
        f'<h4><a href="{href}" class="articles--rows--item__title-link">t</a></h4></article>'
    )


def _index_page(*items: str, extra: str = "") -> str:
    return (
        f'<html><body><section id="indeks-articles">{"".join(items)}</section>{extra}</body></html>'
    )


POPULAR = f'<aside><a href="{WWW}/news/read/999/lain-hari">populer</a></aside>'


@pytest.mark.parametrize(
    ("html", "url", "expected"),
    [
        pytest.param(
            _index_page(_item("11", "satu"), _item("12", "dua", kind="VideoGallery")),
            f"{WWW}/news/indeks/2024/01/02",
            [
                Listed("11", f"{WWW}/news/read/11/satu", "2024-01-02T10:00:00+07:00", "Article"),
                Listed(
                    "12", f"{WWW}/news/read/12/dua", "2024-01-02T10:00:00+07:00", "VideoGallery"
                ),
            ],
            id="items-in-page-order",
        ),
        pytest.param(
            _index_page(_item("11", "satu"), extra=POPULAR),
            f"{WWW}/news/indeks/2024/01/02",
            [Listed("11", f"{WWW}/news/read/11/satu", "2024-01-02T10:00:00+07:00", "Article")],
            id="popular-links-beside-the-list-are-not-listed",
        ),
        pytest.param(
            _index_page(_item("11", "satu"), _item("11", "satu")),
            f"{LOCAL}/news/indeks/2024/01/02",
            [Listed("11", f"{WWW}/news/read/11/satu", "2024-01-02T10:00:00+07:00", "Article")],
            id="served-locally-each-once",
        ),
        pytest.param(_index_page(), f"{WWW}/news/indeks/2024/01/02", [], id="empty-index-page"),
        pytest.param("", f"{WWW}/news/indeks/2024/01/02", [], id="empty-document"),
        pytest.param(
            _index_page(
                '<article class="articles--rows--item"><a href="/tag/banjir">x</a></article>'
            ),
            f"{WWW}/news/indeks/2024/01/02",
            [],
            id="links-that-are-not-articles",
        ),
    ],
)
def test_index_items(html, url, expected):
    assert index_items(html, url) == expected


def test_index_items_of_the_fixture_page():
    html = (FIXTURES / "indeks_page.html").read_text()
    listed = index_items(html, f"{WWW}/news/indeks/2020/06/04")
    assert [(x.article_id, x.kind) for x in listed] == [
        ("4268600", "Article"),
        ("4268520", "VideoGallery"),
    ]
    assert listed == index_items(html, f"{LOCAL}/news/indeks/2020/06/04")


def front_page(links: list[str]) -> str:
    """A channel front in the 2019-2022 layout linking to these hrefs."""
    items = "".join(
        f'<article class="articles--iridescent-list--item"><a href="{h}">x</a></article>'
        for h in links
    )
    return f'<html><body><div class="articles--iridescent-list">{items}</div></body></html>'


@pytest.mark.parametrize(
    ("links", "url", "expected_ids"),
    [
        pytest.param(
            [f"{WWW}/news/read/1/a", f"{WWW}/bisnis/read/2/b", f"{WWW}/news/read/1/a"],
            f"{WWW}/news",
            ["1", "2"],
            id="each-article-once-in-page-order",
        ),
        pytest.param(
            ["/news/read/3/relatif", "https://example.com/news/read/4/x", "/tag/banjir"],
            f"{WWW}/news",
            ["3"],
            id="relative-kept-other-sites-and-non-articles-not",
        ),
        pytest.param(
            [f"{LOCAL}/news/read/5/lokal", "https://m.liputan6.com/news/read/6/m"],
            f"{LOCAL}/news",
            ["5", "6"],
            id="local-copy-and-mobile-hosts",
        ),
    ],
)
def test_channel_items(links, url, expected_ids):
    listed = channel_items(front_page(links), url)
    assert [x.article_id for x in listed] == expected_ids
    assert all(x.url.startswith(f"{WWW}/") for x in listed)


def test_links_to_other_liputan6_hosts_are_kept_as_they_are():
    """An article linked on berita., en., sport. … is listed under its own URL, not a www guess;
    links off liputan6.com are not."""
    links = [
        f"{BERITA}?source=x",
        "https://en.liputan6.com/read/9300000/english",
        "https://hot.liputan6.com/read/8253586/hot",
        "http://photo.liputan6.com/news/foto-banjir-2436340",
        "https://liputan6.com.evil.org/read/1/a",
        "https://www.vidio.com/watch/4264701-x",
    ]
    html = front_page(links)
    assert channel_items(html, f"{WWW}/news") == [
        Listed("8284063", BERITA),
        Listed("9300000", "https://en.liputan6.com/read/9300000/english"),
        Listed("8253586", f"{WWW}/hot/read/8253586/hot"),
        Listed("2436340", f"{PHOTO}/news/foto-banjir-2436340"),
    ]


def test_index_items_with_ids_after_the_jump_of_july_2026():
    html = _index_page(_item("8253586", "satu"), _item("8292010", "dua"), _item("9300000", "tiga"))
    listed = index_items(html, f"{WWW}/news/indeks/2026/09/15")
    assert [x.article_id for x in listed] == ["8253586", "8292010", "9300000"]
    assert listed[2].url == f"{WWW}/news/read/9300000/tiga"


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        (f"{WWW}/news/read/1/a", LOCAL, f"{LOCAL}/news/read/1/a"),
        ("https://m.liputan6.com/news/read/1/a?utm_source=x#top", LOCAL, f"{LOCAL}/news/read/1/a"),
        (f"{WWW}/news/read/1/a", WWW, f"{WWW}/news/read/1/a"),
        ("https://example.com/news/read/1/a", LOCAL, None),
        # Documented www forms move onto the base; other hosts are fetched where they are.
        ("https://hot.liputan6.com/read/1/a", WWW, f"{WWW}/hot/read/1/a"),
        ("https://jateng.liputan6.com/read/1/a", LOCAL, f"{LOCAL}/jateng/read/1/a"),
        (f"{WWW}/amp/8292010/a", WWW, f"{WWW}/amp/8292010/a"),  # www already
        ("https://m.liputan6.com/amp/8292010/a", WWW, None),  # names no channel
        (BERITA, WWW, BERITA),
        (f"{BERITA}?utm_source=x", WWW, BERITA),
        ("https://en.liputan6.com/read/9300000/a", WWW, "https://en.liputan6.com/read/9300000/a"),
        (
            "http://photo.liputan6.com/news/foto-banjir-2436340",
            WWW,
            f"{PHOTO}/news/foto-banjir-2436340",
        ),
        # A local copy serves every host's paths under its own address (the host is lost).
        (BERITA, LOCAL, f"{LOCAL}/peristiwa/read/8284063/prabowo-bongkar"),
        ("https://liputan6.com.evil.org/read/1/a", WWW, None),
    ],
)
def test_rebase(url, base, expected):
    assert rebase(url, base) == expected


def test_urls_the_spider_builds():
    assert channel_url(LOCAL + "/", "news") == f"{LOCAL}/news"
    assert index_url(LOCAL, "bola", date(2024, 1, 2)) == f"{LOCAL}/bola/indeks/2024/01/02"
    assert index_url(LOCAL, "bola", date(2024, 1, 2), 3) == (
        f"{LOCAL}/bola/indeks/2024/01/02?page=3"
    )
    assert tag_url(LOCAL + "/", "jokowi") == f"{LOCAL}/tag/jokowi"


def test_tag_slugs_in_page_order_each_once():
    links = [
        f"{WWW}/tag/virus-corona?HouseAds&campaign=IndonesiaPositifCorona_News_STM",
        "/tag/psbb-jakarta",  # relative, on the page's own host
        f"{WWW}/tag/virus-corona",  # again, without the campaign
        f"{LOCAL}/tag/banjir",
        "https://www.kapanlagi.com/tag/jokowi",  # another site's tag
        f"{WWW}/tag/",  # no slug
        f"{WWW}/tag/viral/foto",  # no tag page
        f"{WWW}/news/read/1/tag-jokowi",
    ]
    html = "".join(f'<a href="{href}">x</a>' for href in links)
    assert tag_slugs(html, f"{LOCAL}/news") == ["virus-corona", "psbb-jakarta", "banjir"]
    assert tag_slugs(html, f"{WWW}/news") == ["virus-corona", "psbb-jakarta"]


def test_tag_slugs_of_saved_fronts(corpus_dir):
    """The first tags the 2020 news and bisnis fronts link to: campaign links first."""
    for name, first in (("orca_www_news.html", "virus-corona"), ("orca_www_bisnis.html", "cpns")):
        html = (corpus_dir / "html" / name).read_text(encoding="utf-8", errors="replace")
        slugs = tag_slugs(html, WWW)
        assert slugs[0] == first and len(slugs) == len(set(slugs)) > 3, (name, slugs)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.liputan6.com/news/indeks/2020/05/27", ListPage("news", date(2020, 5, 27))),
        (
            "http://127.0.0.1:8080/bisnis/indeks/2021/01/02?page=3",
            ListPage("bisnis", date(2021, 1, 2), 3),
        ),
        ("https://www.liputan6.com/news/indeks/2020/02/30", None),  # no such day
        ("https://www.liputan6.com/cek-fakta", ListPage("cek-fakta")),
        ("https://www.liputan6.com/news/", ListPage("news")),
        ("https://www.liputan6.com/news/read/4264701/judul", None),  # an article
        ("https://www.liputan6.com/", None),
    ],
)
def test_parse_list_url(url, expected):
    assert parse_list_url(url) == expected


# ---- recognise, then read ----------------------------------------------------------------

REDESIGN = (
    '<html><head><title>Indeks Berita - Liputan6.com</title></head><body><div class="feed-2027">'
    + "".join(
        f'<div class="card-2027"><a class="card-2027__link" href="{WWW}/news/read/{n}/x">t</a>'
        "</div>"
        for n in (11, 12, 13)
    )
    + "</div></body></html>"
)
ACCESS_DENIED = "<HTML><HEAD><TITLE>Access Denied</TITLE></HEAD><BODY>no</BODY></HTML>"
CHALLENGE = (
    "<html><head><title>Just a moment...</title></head><body>"
    '<div id="cf-challenge-running"></div></body></html>'
)


@pytest.mark.parametrize(
    ("html", "layout", "count", "refused"),
    [
        pytest.param(
            _index_page(_item("1", "a"), _item("2", "b")), "indeks-rows", 2, False, id="rows"
        ),
        pytest.param(_index_page(extra=POPULAR), "indeks-rows", 0, False, id="empty-section"),
        pytest.param(
            '<div class="articles--iridescent-list"></div>' + POPULAR,
            "theme-2025",
            0,
            False,
            id="empty-2025-list",
        ),
        pytest.param(REDESIGN, None, 0, False, id="markup-no-theme-used"),
        pytest.param(POPULAR, None, 0, False, id="only-a-sidebar"),
        pytest.param(ACCESS_DENIED, None, 0, True, id="access-denied"),
        pytest.param(CHALLENGE, None, 0, True, id="challenge"),
    ],
)
def test_read_index_recognises_or_refuses(html, layout, count, refused):
    listing = read_index(html, f"{WWW}/news/indeks/2024/01/02")
    assert (listing.layout, len(listing.items), listing.refused) == (layout, count, refused)
    assert listing.recognised is (layout is not None)
    assert listing.empty is (layout is not None and count == 0)


def test_an_unrecognised_page_is_described_by_its_title_type_and_biggest_link_list():
    listing = read_index(REDESIGN, f"{WWW}/news/indeks/2024/01/02")
    assert listing.fingerprint == (
        "title 'Indeks Berita - Liputan6.com', page type None, 3 article links in div.card-2027"
    )


@pytest.mark.parametrize(
    ("html", "layout", "ids"),
    [
        pytest.param(front_page([f"{WWW}/news/read/1/a"]), "iridescent", ["1"], id="2019"),
        pytest.param(
            '<div class="article-snippet"><a href="/news/read/2/b">b</a></div>',
            "mobile-snippets",
            ["2"],
            id="mobile",
        ),
        pytest.param(front_page([]), "iridescent", [], id="empty-list"),
        pytest.param(REDESIGN, None, [], id="markup-no-theme-used"),
        pytest.param(ACCESS_DENIED, None, [], id="access-denied"),
    ],
)
def test_read_front_recognises_or_refuses(html, layout, ids):
    listing = read_front(html, f"{WWW}/news")
    assert listing.layout == layout
    assert [x.article_id for x in listing.items] == ids


def test_every_saved_list_page_is_recognised(corpus_dir):
    """Channel fronts, home and tag pages of every era the shared folder holds, and its
    indeks page: a known layout reads each, with articles (the safety net for new layouts)."""
    import csv

    html_dir = corpus_dir / "html"
    rows = csv.DictReader((html_dir / "SOURCES.tsv").open(encoding="utf-8"), delimiter="\t")
    checked = 0
    for row in rows:
        kind, name = row["page_kind"], row["filename"]
        if not kind.startswith(("section", "other(tag", "other(homepage", "indeks")):
            continue
        if "citizen6_" in name or name in {
            "orca_www_test.html",
            "home_desktop_stripped_2020-07.html",
        }:
            continue  # citizen6 sub-channel pages and a test and a stripped shell: no list
        html = (html_dir / name).read_text(encoding="utf-8", errors="replace")
        reader = read_index if kind == "indeks" else read_front
        listing = reader(html, f"{WWW}/news/indeks/2020/05/28" if kind == "indeks" else WWW)
        assert listing.recognised and listing.items, (name, listing.fingerprint)
        checked += 1
    assert checked >= 85


@pytest.mark.parametrize(
    ("times", "other"),
    [
        pytest.param(["2024-01-02T10:00:00+07:00"], False, id="the-day"),
        pytest.param(["2024-01-01T23:30:00+07:00"], False, id="the-hour-before-midnight"),
        pytest.param(["2024-01-03T00:30:00+07:00"], False, id="the-hour-after"),
        pytest.param(
            ["2024-01-03T00:30:00+07:00", "2024-01-03T09:00:00+07:00"],
            True,
            id="the-next-day-its-first-hour-included",
        ),
        pytest.param(["2024-01-01T10:00:00+07:00", "2023-12-31T10:00:00+07:00"], True, id="other"),
        pytest.param(["2024-01-01T10:00:00+07:00", "2024-01-02T09:00:00+07:00"], False, id="mix"),
        pytest.param(["2024-01-02T02:00:00Z"], False, id="utc-of-the-day"),
        pytest.param([None, "not a time"], False, id="undated"),
        pytest.param([], False, id="nothing"),
    ],
)
def test_lists_other_days(times, other):
    items = [Listed(str(n), f"{WWW}/news/read/{n}/x", published=t) for n, t in enumerate(times)]
    assert lists_other_days(items, date(2024, 1, 2)) is other
