"""Reading list pages and building URLs: small pure functions, tested with tables."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from newscrawl.site.navigation import (
    Listed,
    ListPage,
    archive_items,
    channel_items,
    channel_url,
    indeks_url,
    parse_list_url,
    rebase,
)

FIXTURES = Path(__file__).parent / "fixtures"
WWW = "https://www.liputan6.com"
LOCAL = "http://127.0.0.1:8123"
BERITA = "https://berita.liputan6.com/peristiwa/read/8284063/prabowo-bongkar"
PHOTO = "https://photo.liputan6.com"


def _item(article_id: str, slug: str, channel: str = "news", **extra) -> str:
    """One archive list item in the site's markup (a title link to www.liputan6.com)."""
    href = f"{WWW}/{channel}/read/{article_id}/{slug}"
    return (
        f'<article class="articles--rows--item" data-type="{extra.get("kind", "Article")}">'
        f'<time datetime="{extra.get("time", "2024-01-02T10:00:00+07:00")}">x</time>'
        f'<h4><a href="{href}" class="articles--rows--item__title-link">t</a></h4></article>'
    )


def _archive(*items: str, extra: str = "") -> str:
    return (
        f'<html><body><section id="indeks-articles">{"".join(items)}</section>{extra}</body></html>'
    )


POPULAR = f'<aside><a href="{WWW}/news/read/999/lain-hari">populer</a></aside>'


@pytest.mark.parametrize(
    ("html", "url", "expected"),
    [
        pytest.param(
            _archive(_item("11", "satu"), _item("12", "dua", kind="VideoGallery")),
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
            _archive(_item("11", "satu"), extra=POPULAR),
            f"{WWW}/news/indeks/2024/01/02",
            [Listed("11", f"{WWW}/news/read/11/satu", "2024-01-02T10:00:00+07:00", "Article")],
            id="popular-links-beside-the-list-are-not-listed",
        ),
        pytest.param(
            _archive(_item("11", "satu"), _item("11", "satu")),
            f"{LOCAL}/news/indeks/2024/01/02",
            [Listed("11", f"{WWW}/news/read/11/satu", "2024-01-02T10:00:00+07:00", "Article")],
            id="served-locally-each-once",
        ),
        pytest.param(_archive(), f"{WWW}/news/indeks/2024/01/02", [], id="empty-archive-page"),
        pytest.param("", f"{WWW}/news/indeks/2024/01/02", [], id="empty-document"),
        pytest.param(
            _archive('<article class="articles--rows--item"><a href="/tag/banjir">x</a></article>'),
            f"{WWW}/news/indeks/2024/01/02",
            [],
            id="links-that-are-not-articles",
        ),
    ],
)
def test_archive_items(html, url, expected):
    assert archive_items(html, url) == expected


def test_archive_items_of_the_fixture_page():
    html = (FIXTURES / "indeks_page.html").read_text()
    listed = archive_items(html, f"{WWW}/news/indeks/2020/06/04")
    assert [(x.article_id, x.kind) for x in listed] == [
        ("4268600", "Article"),
        ("4268520", "VideoGallery"),
    ]
    assert listed == archive_items(html, f"{LOCAL}/news/indeks/2020/06/04")


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
    html = "<html><body>" + "".join(f'<a href="{h}">x</a>' for h in links) + "</body></html>"
    listed = channel_items(html, url)
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
    html = "<html><body>" + "".join(f'<a href="{h}">x</a>' for h in links) + "</body></html>"
    assert channel_items(html, f"{WWW}/news") == [
        Listed("8284063", BERITA),
        Listed("9300000", "https://en.liputan6.com/read/9300000/english"),
        Listed("8253586", f"{WWW}/hot/read/8253586/hot"),
        Listed("2436340", f"{PHOTO}/news/foto-banjir-2436340"),
    ]


def test_archive_items_with_ids_after_the_jump_of_july_2026():
    html = _archive(_item("8253586", "satu"), _item("8292010", "dua"), _item("9300000", "tiga"))
    listed = archive_items(html, f"{WWW}/news/indeks/2026/09/15")
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
    assert indeks_url(LOCAL, "bola", date(2024, 1, 2)) == f"{LOCAL}/bola/indeks/2024/01/02"
    assert indeks_url(LOCAL, "bola", date(2024, 1, 2), 3) == (
        f"{LOCAL}/bola/indeks/2024/01/02?page=3"
    )


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
