"""A small stand-in for liputan6.com that `newscrawl demo` crawls offline.

Standard library only. ``DemoSite`` serves made-up articles (``make_articles``) on 127.0.0.1
in the markup of the site's 2025 theme, enough for the project's own crawl to read them:
``/robots.txt``, channel fronts ``/{channel}``, date archives
``/{channel}/indeks/YYYY/MM/DD?page=N`` (newest first, ``per_page`` items, a page past the
end lists nothing) and articles ``/{channel}/read/{id}/{slug}``; anything else is a 404. Pages
link with absolute https://www.liputan6.com URLs, as the real site does; the crawler rewrites
them onto ``LIPUTAN6_BASE_URL``. The tests' fake site, with faults, other themes and a
request log, is a separate, larger thing that does not ship.
"""

from __future__ import annotations

import html
import json
import random
import re
import threading
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

WIB = timezone(timedelta(hours=7), "WIB")
WWW = "https://www.liputan6.com"
HTML_TYPE = "text/html; charset=utf-8"
ROBOTS_TXT = "User-agent: *\nDisallow: /search\n"
CHANNEL_NAMES = {
    "news": "News",
    "bisnis": "Bisnis",
    "bola": "Bola",
    "showbiz": "Showbiz",
    "tekno": "Tekno",
    "health": "Health",
    "lifestyle": "Lifestyle",
}
FIRST_ID = 5_100_001
_MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip

# A small fixed vocabulary: made-up people, Indonesian news phrases.
_NAMES = ("Rina Putri", "Dimas Saputra", "Sari Nugroho", "Bayu Pratama", "Ayu Lestari")
_EDITORS = ("Hana Wijaya", "Yusuf Ramadhan")
_SUBJECTS = ("Pemerintah kota", "Menteri Keuangan", "Bank Indonesia", "Pelatih timnas")
_VERBS = ("membahas", "meninjau", "mengumumkan", "menolak", "mendukung")
_OBJECTS = ("harga beras", "jalur kereta baru", "rencana anggaran", "jadwal pertandingan")
_TAILS = ("pekan depan", "di Jakarta", "sejak pagi", "hingga akhir tahun", "bersama warga")
_TAGS = ("Ekonomi", "Jakarta", "Timnas", "Teknologi", "Harga Pangan", "Kesehatan")


@dataclass(frozen=True)
class DemoArticle:
    """One made-up article of the demo site."""

    article_id: str
    channel: str
    published: datetime
    title: str
    summary: str
    paragraphs: tuple[str, ...]
    authors: tuple[str, ...]
    editor: str
    tags: tuple[str, ...]

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-")

    @property
    def url(self) -> str:
        return f"{WWW}/{self.channel}/read/{self.article_id}/{self.slug}"


def make_articles(
    count: int, *, start_day: date, days: int, channels: tuple[str, ...], seed: int = 0
) -> list[DemoArticle]:
    """``count`` articles spread over ``days`` WIB days from ``start_day`` and the channels."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        day = start_day + timedelta(days=i % days)
        when = datetime.combine(day, time(6), WIB) + timedelta(minutes=rng.randrange(16 * 60))
        subject, verb = rng.choice(_SUBJECTS), rng.choice(_VERBS)
        thing, tail = rng.choice(_OBJECTS), rng.choice(_TAILS)
        title = f"{subject} {verb} {thing} {tail}"
        summary = f"{title}, kata {rng.choice(_NAMES)}."
        paragraphs = tuple(
            f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} "
            f"{rng.choice(_TAILS)}, kata {rng.choice(_NAMES)} kepada wartawan."
            for _ in range(rng.randint(3, 6))
        )
        out.append(
            DemoArticle(
                article_id=str(FIRST_ID + i),
                channel=channels[i % len(channels)],
                published=when,
                title=title,
                summary=summary,
                paragraphs=(f"Liputan6.com, Jakarta - {summary}", *paragraphs),
                authors=tuple(rng.sample(_NAMES, rng.randint(1, 2))),
                editor=rng.choice(_EDITORS),
                tags=tuple(rng.sample(_TAGS, 2)),
            )
        )
    return out


def _e(value: str) -> str:
    return html.escape(value, quote=True)


def _js(value) -> str:
    """A JSON literal as the site's PHP writes it (escaped slashes)."""
    return json.dumps(value, separators=(",", ":")).replace("/", "\\/")


def _iso(when: datetime) -> str:
    return when.astimezone(WIB).isoformat(timespec="seconds")


def _author_url(name: str) -> str:
    return f"{WWW}/author/{name.lower().replace(' ', '.')}"


def _tag_slug(tag: str) -> str:
    return tag.lower().replace(" ", "-")


def _head(title: str, page_type: str, channel: str, extra: str = "", data: dict | None = None):
    """<head> with the theme's data layer (window.kmklabs, liputan62025Theme on)."""
    slot = {"id": 1, "name": CHANNEL_NAMES.get(channel, channel.title()), "full_slug": channel}
    values = {"channel": slot, "category": slot, **(data or {})}
    script = (
        "window.kmklabs = {}; window.kmklabs.platform = 'Desktop'; "
        f"window.kmklabs.pageType = '{page_type}'; "
        + " ".join(f"window.kmklabs.{key} = {_js(value)};" for key, value in values.items())
        + " window.kmklabs.site = 'liputan6';"
        + f" window.kmklabs.toggle = {_js({'liputan62025Theme': True})};"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="id"><head><title>{_e(title)}</title>'
        f'<meta charset="utf-8"/>{extra}<script type="text/javascript">{script}</script></head>'
    )


def render_article(a: DemoArticle) -> str:
    """An article page (ReadPage): JSON-LD NewsArticle, data layer, byline box, body, tags."""
    news = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "datePublished": _iso(a.published),
        "description": a.summary,
        "mainEntityOfPage": {"@type": "WebPage", "@id": a.url},
        "author": [{"@type": "Person", "name": n, "url": _author_url(n)} for n in a.authors],
        "publisher": {"@type": "Organization", "name": "Liputan6.com"},
    }
    meta = (
        f'<meta content="{_e(a.summary)}" name="description"/>'
        f'<meta content="{_e(", ".join(a.tags))}" name="keywords"/>'
        f'<meta content="{_iso(a.published)}" property="article:published_time"/>'
        f'<link href="{a.url}" rel="canonical"/>'
        f'<meta content="{a.url}" property="og:url"/>'
        f'<script type="application/ld+json">{_js([news])}</script>'
    )
    names = ", ".join(a.authors)
    data = {
        "gtm": {
            "articleId": int(a.article_id),
            "editors": a.editor,
            "reporters": names,
            "authors": {"type": "author", "names": names},
            "type": "TextTypeArticle",
        },
        "article": {
            "id": int(a.article_id),
            "title": a.title,
            "type": "TextTypeArticle",
            "shortDescription": a.summary,
            "publishDate": a.published.strftime("%Y-%m-%d %H:%M:%S"),
        },
    }
    w = a.published.astimezone(WIB)
    shown = f"{w.day} {_MONTHS[w.month - 1]} {w.year}, {w:%H:%M} WIB"
    byline = "".join(
        f'<a class="read-page-box__author__name" href="{_author_url(n)}">{_e(n)}</a>'
        for n in a.authors
    )
    body = "".join(f"<p>{_e(p)}</p>\n" for p in a.paragraphs)
    tags = "".join(
        f'<li class="tags--snippet__item" data-slug="{_tag_slug(t)}"><a class="tags--snippet__link'
        f' js-tags-link" href="{WWW}/tag/{_tag_slug(t)}"><span class="tags--snippet__name">'
        f"{_e(t)}</span></a></li>"
        for t in a.tags
    )
    return (
        _head(f"{a.title} - Liputan6.com", "ReadPage", a.channel, meta, data)
        + f'<body class="articles show category-{a.channel}"><main>'
        + f'<article class="main" data-article-id="{a.article_id}" role="main">'
        + '<header class="read-page--header"><h1 class="read-page--header--title entry-title">'
        + f"{_e(a.title)}</h1>"
        + f'<div class="read-page--header--description"><p>{_e(a.summary)}</p></div>'
        + '<div class="read-page-box read-page-box-top"><div class="read-page-box__author">'
        + f'<div class="read-page-box__author__datetime__wrapper"><span>Oleh</span>{byline}</div>'
        + f'<span class="read-page-box__author__updated">Diterbitkan {shown}</span>'
        + "</div></div></header>"
        + '<div class="read-page--content"><div class="article-content-body">'
        + '<div class="article-content-body__item-page" data-page="1">'
        + f'<div class="article-content-body__item-content">{body}</div></div></div></div>'
        + f'<div class="tags--snippet"><ul class="tags--snippet__list">{tags}</ul></div>'
        + "</article></main></body></html>\n"
    )


def _list_item(a: DemoArticle) -> str:
    """One list item of the theme: article.articles--iridescent-list--text-item."""
    p = "articles--iridescent-list--text-item"
    w = a.published.astimezone(WIB)
    return (
        f'<article class="articles--iridescent-list--item {p}" data-article-id="{a.article_id}"'
        f' data-type="TextTypeArticle"><aside class="{p}__details"><header class="{p}__header">'
        f'<time class="{p}__time" datetime="{_iso(a.published)}">{w:%d/%m/%Y %H:%M}</time>'
        f'<h4 class="{p}__title"><a class="{p}__title-link" href="{a.url}"'
        f' data-template-var="url"><span>{_e(a.title)}</span></a></h4></header>'
        f'<div class="{p}__summary">{_e(a.summary)}</div></aside></article>\n'
    )


def indeks_url(channel: str, day: date, page: int = 1) -> str:
    """The absolute URL of a channel's date archive page."""
    url = f"{WWW}/{channel}/indeks/{day:%Y/%m/%d}"
    return url if page == 1 else f"{url}?page={page}"


def render_list(
    title: str, page_type: str, channel: str, items: list[DemoArticle], next_url: str | None
) -> str:
    """A list page (a channel front or a date archive page) of the theme."""
    more = f'<a id="next" class="simple-pagination__next-link" href="{next_url}">Lanjut</a>'
    return (
        _head(f"{title} - Liputan6.com", page_type, channel)
        + f'<body class="indeks show category-{channel}"><main><h1>{_e(title)}</h1>'
        + '<section class="box"><div class="articles--iridescent-list">\n'
        + "".join(_list_item(a) for a in items)
        + "</div>"
        + (f'<div class="simple-pagination">{more}</div>' if next_url else "")
        + "</section></main></body></html>\n"
    )


_ARTICLE = re.compile(r"/[a-z]+/read/(?P<id>[0-9]+)(?:/[^/]*)?/?")
_INDEKS = re.compile(
    r"/(?P<channel>[a-z]+)/indeks/(?P<y>[0-9]{4})/(?P<m>[0-9]{2})/(?P<d>[0-9]{2})/?"
)
_FRONT = re.compile(r"/(?P<channel>[a-z]+)/?")


class DemoSite:
    """The demo's site on 127.0.0.1 (a free port) from the constructor on; a context manager."""

    def __init__(self, articles: list[DemoArticle], *, per_page: int = 24):
        self.per_page = per_page
        self._by_id = {a.article_id: a for a in articles}
        self._newest = sorted(articles, key=lambda a: a.published, reverse=True)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def __enter__(self) -> DemoSite:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def respond(self, target: str) -> tuple[int, str, str]:
        """Status, content type and body for a request target (path and query)."""
        parts = urlsplit(target)
        path = parts.path
        if path == "/robots.txt":
            return 200, "text/plain; charset=utf-8", ROBOTS_TXT
        if match := _ARTICLE.fullmatch(path):
            article = self._by_id.get(match["id"])
            if article is not None:
                return 200, HTML_TYPE, render_article(article)
        elif match := _INDEKS.fullmatch(path):
            return 200, HTML_TYPE, self._indeks(match, parts.query)
        elif (match := _FRONT.fullmatch(path)) and match["channel"] in CHANNEL_NAMES:
            channel = match["channel"]
            items = [a for a in self._newest if a.channel == channel][:30]
            return (
                200,
                HTML_TYPE,
                render_list(CHANNEL_NAMES[channel], "ChannelPage", channel, items, None),
            )
        return 404, HTML_TYPE, "<html><body><h1>404 Not Found</h1></body></html>\n"

    def _indeks(self, match: re.Match, query: str) -> str:
        """One page of a channel's date archive."""
        channel = match["channel"]
        day = date(int(match["y"]), int(match["m"]), int(match["d"]))
        try:
            page = max(1, int(parse_qs(query).get("page", ["1"])[0]))
        except ValueError:
            page = 1
        listed = [
            a
            for a in self._newest
            if a.channel == channel and a.published.astimezone(WIB).date() == day
        ]
        start = (page - 1) * self.per_page
        items = listed[start : start + self.per_page]
        more = indeks_url(channel, day, page + 1) if start + self.per_page < len(listed) else None
        name = CHANNEL_NAMES.get(channel, channel.title())
        return render_list(f"Indeks Berita {name}", "IndeksPage", channel, items, more)


def _handler(site: DemoSite) -> type[BaseHTTPRequestHandler]:
    """A request handler class answering from ``site``."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            status, content_type, text = site.respond(self.path)
            body = text.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args):
            """No access log: the crawl's own log tells what was fetched."""

    return Handler
