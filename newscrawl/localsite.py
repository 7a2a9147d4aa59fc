"""A local copy of liputan6.com for `newscrawl demo`, end-to-end crawl tests and benchmarks.

Standard library only (saved pages need newscrawl.site). Every page is written by the
functions below for the project; none is a copy of a real page. ``LocalSite`` serves
synthetic articles (``make_articles``) in the site's real desktop markup on 127.0.0.1, with the
real URL shapes:

* ``/{channel}/read/{id}/{slug}[?page=N]`` (the id is global: any channel, any slug works),
  also ``/read/{id}/{slug}`` (old sub-domain path) and ``/amp/{id}/{slug}`` (redirect target);
* ``/{channel}`` (the channel's latest 30 articles, newest first);
* ``/{channel}/indeks/YYYY/MM/DD?page=N`` and ``/indeks/YYYY/MM/DD?page=N`` (one WIB day,
  newest first, ``per_page`` items; a page past the end is a 200 page with no items);
* ``/tag/{slug}?page=N`` (the articles carrying that tag, newest first, ``per_page`` items;
  a tag no article carries is a 404);
* ``/robots.txt``; anything else is a 404.

``theme`` picks the markup of articles and list pages: "2019" (the
default) is the 2019–2022 desktop markup SITE.md describes; "2025" is the "neoliputan6" theme
the live site serves every article in since 2025 (../shared/liputan6/ERAS.md section 1, after
the real 2026 pages in ../shared/liputan6/eras/): a JSON-LD array [NewsArticle,
BreadcrumbList] with authors as Person objects at /author/{slug}, ``window.kmklabs`` with
``toggle.liputan62025Theme`` and the theme's data-layer keys, no ``article:section*`` meta;
the byline box ``div.read-page-box-top`` with the dates as text only ("Diterbitkan 15
September 2026, 15:00 WIB", minutes, no seconds), the summary under the title, every body
page unhidden, "Advertisement" placeholders inside the text, ``div.baca-juga-collections``,
the team box at the bottom; list items ``article.articles--iridescent-list--{type}-item``
with ``data-article-id`` on channel fronts (after a ``.headline--bottom-slider``), tag and
indeks pages. Same articles, URLs and faults in both themes (render_article_2025,
render_channel_page_2025, render_indeks_page_2025, render_tag_page_2025).
``raw_pages`` serves given bytes (malformed pages, say) as the pages of given article ids,
which the indeks still lists as usual.

How the site has changed or refused under a crawler, each a constructor option:
``list_markup="redesign"`` serves the list pages (indeks pages, channel fronts, tag pages) in a
markup no theme ever used (render_channel_page_redesign, render_indeks_page_redesign,
render_tag_page_redesign): the same
articles and pagination, so a loose link scan finds them but no known list selector does;
``archive_ignores_date=True`` makes every indeks date list the newest day's articles (as
the real site-wide /indeks/YYYY/MM/DD did in 2026 without ?start=&end=);
``redirect_share`` answers a deterministic share of article pages with a 301 to another
listed article of the same channel and day (``LocalSite.redirected`` names them), which
a crawler also requests, so its duplicate filter drops the redirect.

How the site changes between visits, for crawls that come back: ``now`` sets the site's
clock (articles published later are 404 and in no list), ``LocalSite.edit`` gives an
article a new version from a given time on, and ``validators`` sends ETag and/or
Last-Modified on article pages and answers a matching conditional GET with a 304.

Pages link with ABSOLUTE ``https://www.liputan6.com/...`` URLs, as the real site does: a
crawler under test must rewrite them onto ``LocalSite.base_url``. Faults (errors, throttling,
slow answers, redirects, truncated bodies, block and challenge pages, connection resets) are
configured per path prefix; /robots.txt gets only a fault that names it, so
``Fault("/", "block", status=403)`` refuses every page but robots.txt.
"""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import email.utils
import gzip as gzip_module
import hashlib
import html
import itertools
import json
import random
import re
import socket
import struct
import sys
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

WIB = timezone(timedelta(hours=7), "WIB")
WWW = "https://www.liputan6.com"

ArticleType = Literal["text", "photo", "video"]
FaultKind = Literal[
    "404", "500", "429", "slow", "redirect", "empty", "truncated", "block", "challenge", "reset"
]
FAULT_KINDS = (
    "404",
    "500",
    "429",
    "slow",
    "redirect",
    "empty",
    "truncated",
    "block",
    "challenge",
    "reset",
)
Theme = Literal["2019", "2025"]
THEMES = ("2019", "2025")
ListMarkup = Literal["theme", "redesign"]
LIST_MARKUPS = ("theme", "redesign")
Validators = Literal["none", "etag", "last-modified", "both"]
VALIDATORS = ("none", "etag", "last-modified", "both")

ROBOTS_TXT = "User-agent: *\nDisallow: /search\n"
ROBOTS_PATH = "/robots.txt"


# ---------------------------------------------------------------------------------------
# Channels
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChannelInfo:
    """A channel as window.kmklabs.channel names it, with its sub-channel slugs."""

    slug: str
    name: str
    id: int
    subchannels: tuple[str, ...] = ()


# Sub-channel slugs from the 2020 desktop navigation (SITE.md §2.2a); news and bisnis ids
# are the real ones, the others are made up.
CHANNELS: dict[str, ChannelInfo] = {
    c.slug: c
    for c in (
        ChannelInfo("news", "News", 17, ("peristiwa", "politik", "nasional", "megapolitan")),
        ChannelInfo("bisnis", "Bisnis", 5, ("ekonomi", "saham", "bank", "energi-tambang")),
        ChannelInfo("bola", "Bola", 12, ("liga-inggris", "liga-nasional", "liga-spanyol")),
        ChannelInfo("showbiz", "Showbiz", 14, ("celeb", "film", "musik", "kpop")),
        ChannelInfo("tekno", "Tekno", 16, ("gadget", "internet", "startup", "game")),
        ChannelInfo("health", "Health", 22, ("health-info", "fit-diet", "mom-kids")),
        ChannelInfo("lifestyle", "Lifestyle", 25, ("kuliner", "travel", "home-decor")),
        ChannelInfo("global", "Global", 33, ("internasional", "sains", "unik")),
        ChannelInfo("regional", "Regional", 41, ("bandung", "surabaya", "makassar")),
        ChannelInfo("citizen6", "Citizen6", 47, ("hits", "komunitasku", "forum")),
        ChannelInfo("otomotif", "Otomotif", 52, ("narsis", "tips-trik")),
        ChannelInfo("cek-fakta", "Cek Fakta", 58, ()),
        ChannelInfo("hot", "Hot", 63, ()),
    )
}
DEFAULT_CHANNELS = tuple(list(CHANNELS)[:10])


def channel_info(slug: str) -> ChannelInfo:
    """The channel's kmklabs data; unknown slugs get a made-up id and no sub-channels."""
    known = CHANNELS.get(slug)
    if known:
        return known
    name = " ".join(part.capitalize() for part in slug.split("-"))
    return ChannelInfo(slug, name, 1000 + zlib.crc32(slug.encode()) % 1000)


def _sub_name(slug: str) -> str:
    """Display name of a sub-channel slug ("liga-inggris" → "Liga Inggris")."""
    return " ".join(part.capitalize() for part in slug.split("-"))


def _category_id(channel: str, sub: str) -> int:
    """A stable made-up kmklabs.category id."""
    return 100 + zlib.crc32(f"{channel}/{sub}".encode()) % 900


# ---------------------------------------------------------------------------------------
# Articles
# ---------------------------------------------------------------------------------------


@dataclass
class FakeArticle:
    """One synthetic (or saved) article, as the local site serves and lists it."""

    article_id: str
    channel: str
    subchannel: str | None
    day: date
    """The WIB date of ``published``: the indeks day that lists the article."""
    slug: str
    title: str
    authors: list[str]
    tags: list[str]
    paragraphs: list[str]
    """Body paragraphs without the dateline; the page prefixes "Liputan6.com, {dateline} -"."""
    published: datetime
    """Aware, in WIB (+07:00)."""
    modified: datetime | None
    type: ArticleType = "text"
    pages: int = 1
    """Number of body pages; paragraphs are spread over them in order."""
    split_pages: bool = False
    """True: each response holds one page, ``?page=N`` returns page N (post-2021 site)."""
    editors: list[str] = field(default_factory=list)
    """Editors for the data layer; the first author when empty."""
    dateline: str | None = "Jakarta"
    """Place the body opens with; None for no dateline."""

    @property
    def path(self) -> str:
        """Canonical path: /{channel}/read/{id}/{slug}."""
        return f"/{self.channel}/read/{self.article_id}/{self.slug}"

    @property
    def url(self) -> str:
        """Canonical www URL, as og:url and every list page give it."""
        return WWW + self.path

    @property
    def summary(self) -> str:
        """The short description: the first sentence of the first paragraph."""
        first = self.paragraphs[0] if self.paragraphs else self.title
        end = first.find(". ")
        return first if end < 0 else first[: end + 1]

    @property
    def body(self) -> str:
        """The body text an extractor should return: paragraphs joined by blank lines."""
        return "\n\n".join(self.paragraphs)

    def page_paragraphs(self) -> list[list[str]]:
        """Paragraphs of each body page, in order (every page gets at least one)."""
        count = max(1, min(self.pages, len(self.paragraphs)))
        size, extra = divmod(len(self.paragraphs), count)
        out, start = [], 0
        for i in range(count):
            end = start + size + (1 if i < extra else 0)
            out.append(self.paragraphs[start:end])
            start = end
        return out


def _phrases(text: str) -> tuple[str, ...]:
    """A tuple from a "|"-separated constant written over several lines."""
    return tuple(p.strip() for p in text.split("|"))


# A fixed vocabulary: synthetic names (no real journalists) and Indonesian news phrases.
_FIRST_NAMES = _phrases(
    """Andi|Budi|Citra|Dewi|Eko|Fajar|Gita|Hendra|Indah|Joko|Kartika|Lestari|Made|Nur|Oktaviani|
    Putri|Rizky|Sari|Teguh|Wulan|Yusuf|Zahra|Bagus|Ayu|Reza|Nadia"""
)
_LAST_NAMES = _phrases(
    """Pratama|Saputra|Wijaya|Nugroho|Hidayat|Kusuma|Santoso|Rahmawati|Setiawan|Permata|Siregar|
    Simanjuntak|Wibowo|Lubis|Harahap|Suryadi|Anggraini|Maulana"""
)
_SUBJECTS = _phrases(
    """Presiden Jokowi|Menteri Keuangan|Gubernur DKI|Polda Metro Jaya|BMKG|Bank Indonesia|KPK|
    Timnas Indonesia|Pemprov Jawa Barat|Kemenkes|OJK|Pertamina|PSSI|DPR|Kemendikbud|
    Wali Kota Surabaya|Basarnas|KAI|BPOM|Kominfo"""
)
_VERBS = _phrases(
    """Pastikan|Umumkan|Siapkan|Tinjau|Minta|Tegaskan|Bantah|Targetkan|Resmikan|Evaluasi|Perketat|
    Dukung|Kaji|Percepat"""
)
_OBJECTS = _phrases(
    """Harga Cabai|Vaksinasi Massal|Jalur Mudik|Anggaran 2021|Banjir Rob|Tarif Listrik|
    Aturan Ganjil Genap|Stok Beras|Kartu Prakerja|Bantuan Sosial Tunai|Tol Trans Jawa|
    Kurikulum Baru|Pembangunan Bendungan|Transportasi Umum|Jadwal Liga 1|Ekspor Batu Bara|
    Harga BBM|Layanan Kesehatan|Sekolah Tatap Muka|Kawasan Wisata"""
)
_TAILS = _phrases(
    """di Jakarta|Tahun Ini|Jelang Lebaran|Pekan Depan|untuk Warga|Secara Bertahap|Mulai Besok|
    di Tengah Pandemi|hingga Akhir Tahun|"""
)
_OPENERS = _phrases(
    """Menurut dia,|Sementara itu,|Selain itu,|Dalam keterangannya,|Di sisi lain,|Sebelumnya,|
    Hingga kini,|Oleh karena itu,"""
)
_CLAUSES = _phrases(
    """pihaknya akan terus memantau perkembangan di lapangan|
    langkah tersebut diambil setelah rapat koordinasi dengan pemerintah daerah|
    masyarakat diminta tetap tenang dan mengikuti informasi resmi|
    kebijakan ini berlaku mulai pekan depan di seluruh wilayah|
    data terbaru menunjukkan kenaikan sekitar {n} persen dibanding bulan lalu|
    sebanyak {n} warga telah terdaftar dalam program tersebut|
    anggaran yang disiapkan mencapai Rp {n} miliar|
    petugas gabungan dikerahkan untuk mengawal pelaksanaan kegiatan|
    evaluasi akan dilakukan setiap dua pekan sekali|
    warga berharap pemerintah segera memberikan kepastian|
    sejumlah pihak menilai aturan itu perlu disosialisasikan lebih luas|
    kondisi di lokasi terpantau ramai lancar sejak pagi hari|
    pemerintah pusat dan daerah sepakat memperkuat pengawasan|
    angka tersebut diperkirakan terus bertambah dalam beberapa hari ke depan"""
)
_QUOTES = _phrases(
    """Kami akan bekerja sama dengan semua pihak|Semua sudah kami siapkan dengan baik|
    Kami minta masyarakat tetap waspada|Prosesnya masih berjalan dan akan kami umumkan|
    Ini menjadi prioritas kami tahun ini"""
)
_SPEAKERS = _phrases(
    """Kepala Dinas Perhubungan|juru bicara kementerian|Ketua Komisi V DPR|Kapolres setempat|
    Direktur Utama perusahaan|pengamat ekonomi"""
)
_TAGS = _phrases(
    """Jokowi|Pemprov DKI|Harga Cabai|Timnas Indonesia|Covid-19|BMKG|Banjir|Mudik Lebaran|KPK|
    Bank Indonesia|IHSG|Liga 1|Vaksin Covid-19|PSBB|Pilkada Serentak|Kuliner|Wisata Bali|Gempa|
    BPJS Kesehatan|Kartu Prakerja|Startup|Smartphone|Piala Dunia|K-Pop|Resep|Cuaca Ekstrem"""
)
_DATELINES = ("Jakarta",) * 6 + ("Surabaya", "Bandung", "Medan", "Makassar", "Denpasar")
_GLOBAL_DATELINES = ("Washington", "Tokyo", "London", "Beijing", "Kuala Lumpur")
_DAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_MONTHS_ID = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
FIRST_ID = 4_200_001


def _slugify(text: str) -> str:
    """Lower-case hyphenated slug, as Liputan6 builds article slugs."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _paragraph(rng: random.Random, when: datetime, lead: str | None = None) -> str:
    """One to three Indonesian-looking sentences; ``lead`` opens the first paragraph."""
    sentences = [lead] if lead else []
    for _ in range(rng.randint(1, 2)):
        if rng.random() < 0.3:
            quote, speaker = rng.choice(_QUOTES), rng.choice(_SPEAKERS)
            stamp = f"{_DAYS_ID[when.weekday()]} ({when.day}/{when.month}/{when.year})"
            sentences.append(f'"{quote}," kata {speaker}, {stamp}.')
        else:
            clause = rng.choice(_CLAUSES).format(n=rng.randint(2, 950))
            sentences.append(f"{rng.choice(_OPENERS)} {clause}.")
    return " ".join(sentences)


def _people(rng: random.Random, count: int) -> list[str]:
    """count different synthetic names."""
    names: list[str] = []
    while len(names) < count:
        name = f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}"
        if name not in names:
            names.append(name)
    return names


def make_articles(
    n: int,
    *,
    start_day: date,
    days: int,
    channels: Sequence[str] = DEFAULT_CHANNELS,
    seed: int = 0,
    multipage_ratio: float = 0.15,
    split_pages: bool = False,
) -> list[FakeArticle]:
    """n deterministic synthetic articles, ids increasing with publication time.

    Articles are spread evenly over ``days`` days from ``start_day`` (WIB) and at random
    over ``channels``; about ``multipage_ratio`` of them have 2-4 pages (served split, one
    page per response, when ``split_pages``), about 1 in 20 is a photo and 1 in 20 a video.
    """
    if n < 0 or days < 1:
        raise ValueError("n must be >= 0 and days >= 1")
    rng = random.Random(seed)
    stamps: list[datetime] = []
    for offset in range(days):
        day = start_day + timedelta(days=offset)
        midnight = datetime(day.year, day.month, day.day, tzinfo=WIB)
        count = n // days + (1 if offset < n % days else 0)
        seconds = sorted(rng.randrange(86_400) for _ in range(count))
        stamps += [midnight + timedelta(seconds=s) for s in seconds]

    articles = []
    article_id = FIRST_ID
    for published in stamps:
        channel = rng.choice(channels)
        info = channel_info(channel)
        sub = rng.choice(info.subchannels) if info.subchannels and rng.random() < 0.8 else None
        roll = rng.random()
        kind: ArticleType = "photo" if roll < 0.05 else "video" if roll < 0.10 else "text"
        subject, obj = rng.choice(_SUBJECTS), rng.choice(_OBJECTS)
        words = (subject, rng.choice(_VERBS), obj, rng.choice(_TAILS))
        title = " ".join(w for w in words if w)
        if kind != "text":
            title = f"{'FOTO' if kind == 'photo' else 'VIDEO'}: {title}"
        pages = rng.randint(2, 4) if rng.random() < multipage_ratio else 1
        count = rng.randint(3, 5) if pages == 1 else rng.randint(2 * pages, 3 * pages)
        lead = f"{subject} menyampaikan perkembangan terbaru terkait {obj.lower()}."
        paragraphs = [_paragraph(rng, published, lead if i == 0 else None) for i in range(count)]
        roll = rng.random()
        modified: datetime | None = None
        if roll < 0.6:
            modified = published + timedelta(minutes=rng.randint(1, 600))
        elif roll < 0.75:
            modified = published - timedelta(minutes=rng.randint(1, 20))  # a scheduled post
        articles.append(
            FakeArticle(
                article_id=str(article_id),
                channel=channel,
                subchannel=sub,
                day=published.date(),
                slug=_slugify(title),
                title=title,
                authors=_people(rng, rng.choice((1, 1, 1, 2, 3))),
                tags=rng.sample(_TAGS, rng.randint(2, 5)),
                paragraphs=paragraphs,
                published=published,
                modified=modified,
                type=kind,
                pages=pages,
                split_pages=split_pages and pages > 1,
                editors=_people(rng, 1),
                dateline=rng.choice(_GLOBAL_DATELINES if channel == "global" else _DATELINES),
            )
        )
        article_id += rng.randint(1, 4)
    return articles


# ---------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------

_TYPE_NAMES = {"text": "TextTypeArticle", "photo": "PhotoGallery", "video": "VideoGallery"}
_LIST_TYPES = {"text": "Article", "photo": "PhotoGallery", "video": "VideoGallery"}
_AUTHOR_ROLES = {"text": "author", "photo": "photographer", "video": "videographer"}
_NAV_CHANNELS = ("news", "bisnis", "bola", "showbiz", "tekno", "health", "lifestyle")
_OTHER_SITES = (
    ("https://www.bola.com/indonesia", "Bola.com"),
    ("https://www.vidio.com/live", "Vidio"),
    ("https://www.fimela.com/", "Fimela"),
)


def _text(value: str) -> str:
    """Escape element text."""
    return html.escape(value, quote=False)


def _attr(value: str) -> str:
    """Escape an attribute value."""
    return html.escape(value, quote=True)


def _js(value: Any) -> str:
    """A JSON literal the way the site's PHP writes it (ASCII, escaped slashes)."""
    return json.dumps(value, separators=(",", ":")).replace("/", "\\/")


def _iso(when: datetime) -> str:
    """ISO 8601 in WIB: 2020-05-27T23:34:41+07:00."""
    return when.astimezone(WIB).isoformat(timespec="seconds")


def _display(when: datetime) -> str:
    """The ReadPage's visible date: 27 Mei 2020, 23:34 WIB."""
    w = when.astimezone(WIB)
    return f"{w.day:02d} {_MONTHS_ID[w.month - 1]} {w.year}, {w:%H:%M} WIB"


def _list_time(when: datetime) -> str:
    """A list item's visible date: 28 Mei 2020 15:55."""
    w = when.astimezone(WIB)
    return f"{w.day:02d} {_MONTHS_ID[w.month - 1]} {w.year} {w:%H:%M}"


def _image_url(a: FakeArticle) -> str:
    """A stable made-up CDN image URL for the article."""
    token = f"{zlib.crc32(a.slug.encode()):08x}"
    return f"https://cdn1-production-images-kly.akamaized.net/{token}/640x360/{a.article_id}.jpg"


def _category(a: FakeArticle) -> dict[str, Any]:
    """window.kmklabs.category: the sub-channel, or the channel when there is none."""
    info = channel_info(a.channel)
    if not a.subchannel:
        return {"id": info.id, "name": info.name, "full_slug": a.channel}
    full_slug = f"{a.channel}/{a.subchannel}"
    return {
        "id": _category_id(a.channel, a.subchannel),
        "name": _sub_name(a.subchannel),
        "full_slug": full_slug,
    }


def _head(title: str, meta: Sequence[str] = (), scripts: str = "") -> str:
    """The document start and <head>: charset, title, meta tags, scripts."""
    lines = ["<!DOCTYPE html>", '<html lang="id">', "<head>", '<meta charset="utf-8">']
    lines += [f"<title>{_text(title)}</title>", *meta]
    return "\n".join(lines) + "\n" + scripts + "</head>\n"


def _kmklabs(page_type: str, page_count: int | None = None, **values: Any) -> str:
    """The window.kmklabs.* data layer, one statement per value, as the site writes it."""
    parts = ["window.kmklabs = {};"]
    if "gtm" in values:
        parts.append(f"window.kmklabs.gtm = {_js(values.pop('gtm'))};")
    parts += ["window.kmklabs.platform = 'Desktop';", f"window.kmklabs.pageType = '{page_type}';"]
    parts += [f"window.kmklabs.{key} = {_js(value)};" for key, value in values.items()]
    parts.append("window.kmklabs.site = 'liputan6';")
    if page_count is not None:
        parts.append(f"window.kmklabs.multiplePageCount = {page_count};")
    return '<script type="text/javascript"> ' + "  ".join(parts) + " </script>\n"


def _navbar() -> str:
    """The top navigation: channels, the indeks, sister sites (all absolute URLs)."""
    links = [(f"{WWW}/{c}", channel_info(c).name) for c in _NAV_CHANNELS[:4]]
    links += [(f"{WWW}/indeks", "Indeks"), _OTHER_SITES[0]]
    return (
        '<nav class="navbar--menu">'
        + "".join(f'<a href="{u}">{t}</a>' for u, t in links)
        + "</nav>\n"
    )


def _tag_list(tags: Sequence[str]) -> str:
    """The ReadPage's tag list, in the given order."""
    p = "tags--snippet"
    items = "".join(
        f'<li class="{p}__item" data-slug="{_slugify(t)}"><a class="{p}__link js-tags-link"'
        f' href="{WWW}/tag/{_slugify(t)}"><span class="{p}__name">{_text(t)}</span></a></li>'
        for t in tags
    )
    return f'<div class="{p}"><ul class="{p}__list">{items}</ul></div>\n'


def _baca_juga(a: FakeArticle, related: Sequence[FakeArticle]) -> str:
    """The "Baca Juga" box of related links inside the body."""
    links = [(r.url, r.title) for r in related]
    if not links:
        links = [
            (f"{WWW}/{a.channel}/read/{int(a.article_id) - 1}/berita-terkait", "Berita Terkait")
        ]
    items = "".join(f'<li><a target="_blank" href="{u}">{_text(t)}</a></li>' for u, t in links)
    return (
        '<div class="baca-juga"><p class="baca-juga__header">Baca Juga</p>'
        f'<ul class="baca-juga__list">{items}</ul></div>\n'
    )


def _body_page(a: FakeArticle, number: int, total: int, hidden: bool, related) -> str:
    """One div.article-content-body__item-page: paragraphs, Baca Juga box, ad, embed."""
    p = "article-content-body__item"
    parts = []
    for i, text in enumerate(a.page_paragraphs()[number - 1]):
        if number == 1 and i == 0 and a.dateline:
            parts.append(f"<p><b>Liputan6.com, {_text(a.dateline)} -</b> {_text(text)}</p>\n")
        else:
            parts.append(f"<p>{_text(text)}</p>\n")
        if i == 0:
            parts.append(f'<div class="article-ad" id="div-gpt-ad-inarticle-{number}"></div>\n')
        if i == 0 and number == 1 and a.type == "video":
            parts.append(
                '<div class="read-page--video-gallery--item"><iframe src="https://www.vidio.com/'
                f'embed/{a.article_id}"></iframe></div>\n'
            )
        if i == 1 and number == 1:
            parts.append(_baca_juga(a, related))
    cls = f"{p}-page {p}-page_hidden" if hidden else f"{p}-page "
    out = ""
    if hidden:  # the "2 dari 3 halaman" break before each hidden page
        index = f'<div class="{p}-break-index">{number} dari {total} halaman</div>'
        out = f'<div class="{p}-break">{index}</div>\n'
    title = f'<h2 class="{p}-title"></h2>' if number > 1 else ""
    return (
        f'{out}<div class="{cls}" data-page="{number}" data-title="">{title}'
        f'<div class="{p}-content">\n{"".join(parts)}</div></div>\n'
    )


def _article_meta(a: FakeArticle) -> list[str]:
    """The ReadPage's meta and link tags."""
    info, category = channel_info(a.channel), _category(a)
    summary, keywords = _attr(a.summary), _attr(", ".join(sorted(a.tags, key=str.casefold)))
    meta = [
        f'<meta name="description" content="{summary}">',
        f'<meta name="keywords" content="{keywords}">',
        f'<meta name="adx:sections" content="{category["full_slug"]}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:url" content="{a.url}">',
        f'<meta property="og:title" content="{_attr(a.title)}">',
        f'<meta property="og:description" content="{summary}">',
        f'<meta property="og:image" content="{_image_url(a)}">',
        f'<meta property="article:published_time" content="{_iso(a.published)}">',
    ]
    if a.modified:
        meta.append(f'<meta property="article:modified_time" content="{_iso(a.modified)}">')
    meta += [
        '<meta property="article:section" content="News">',
        f'<meta property="article:section2" content="{_attr(info.name)}">',
        f'<meta property="article:section3" content="{_attr(category["name"])}">',
        f'<meta property="dable:item_id" content="{a.article_id}">',
        f'<link rel="canonical" href="{a.url}">',
        f'<link rel="amphtml" href="https://m.liputan6.com/amp/{a.article_id}/{a.slug}">',
    ]
    return meta


def _article_scripts(a: FakeArticle) -> str:
    """The JSON-LD NewsArticle and the window.kmklabs data layer of a ReadPage."""
    info, published = channel_info(a.channel), a.published.astimezone(WIB)
    tags = sorted(a.tags, key=str.casefold)  # the data layer sorts tags; the page does not
    jsonld: dict[str, Any] = {
        "@context": "http://schema.org",
        "@type": "NewsArticle",
        "author": {"@type": "Person", "name": a.authors[0] if a.authors else "Liputan6.com"},
        "datePublished": _iso(published),
        "description": a.summary,
        "headline": a.title,
        "image": [_image_url(a)],
        "publisher": {"@type": "Organization", "name": "Liputan6"},
        "mainEntityOfPage": a.url,
    }
    if a.modified:
        jsonld["dateModified"] = _iso(a.modified)
    gtm = {
        "articleId": int(a.article_id),
        "articleTitle": a.slug,
        "category": "article",
        "editors": ", ".join(a.editors or a.authors[:1]),
        "editorialType": "editorial",
        "pageTitle": f"{a.channel} - {a.subchannel or a.channel} - {a.slug}",
        "publicationDate": f"{published:%Y-%m-%d}",
        "publicationTime": f"{published:%H:%M:%S}",
        "subCategory": a.channel,
        "subSubCategory": a.subchannel or "",
        "tag": "|".join(tags),
        "authors": {"type": _AUTHOR_ROLES[a.type], "names": ", ".join(a.authors)},
        "numberOfWords": sum(len(p.split()) for p in a.paragraphs),
        "type": _TYPE_NAMES[a.type],
        "reporters": ", ".join(a.authors),
        "photographers": "",
        "isLiveReport": False,
        "audience": "national-news",
    }
    article = {
        "id": int(a.article_id),
        "title": a.title,
        "type": _TYPE_NAMES[a.type],
        "shortDescription": a.summary,
        "keywords": ",".join(tags),
        "isAdvertorial": False,
        "isMultipage": a.pages > 1,
        "isAdultContent": False,
        "verifyAge": False,
        "publishDate": f"{published:%Y-%m-%d %H:%M:%S}",
    }
    channel = {"id": info.id, "name": info.name, "full_slug": a.channel}
    return f'<script type="application/ld+json">{_js(jsonld)}</script>\n' + _kmklabs(
        "ReadPage", a.pages, gtm=gtm, channel=channel, category=_category(a), article=article
    )


def _article_header(a: FakeArticle) -> str:
    """Breadcrumb, h1 title, byline (first author) and the two time elements."""
    info, category = channel_info(a.channel), _category(a)
    crumbs = [(WWW, "Home"), (f"{WWW}/{a.channel}", info.name)]
    if a.subchannel:
        crumbs.append((f"{WWW}/{a.channel}/{a.subchannel}", category["name"]))
    b = "read-page--breadcrumb"
    breadcrumb = "".join(
        f'<li class="{b}--item"><a class="{b}--item__title" href="{u}">'
        f'<span itemprop="name">{_text(t)}</span></a></li>'
        for u, t in crumbs
    )
    h = "read-page--header--author"
    author = a.authors[0] if a.authors else "Liputan6.com"
    user = ".".join(author.lower().split())
    published = a.published.astimezone(WIB)
    modified = ""
    if a.modified:
        shown = _display(a.modified)
        modified = (
            f'<time class="{h}__modified-time" itemprop="datePublished" datetime="{shown}">'
            f'<span class="{h}__modified-time--text">Diperbarui </span>{shown}</time>'
        )
    return (
        f'<ul class="{b}">{breadcrumb}</ul>\n'
        f'<article class="hentry main"><div class="read-page-upper">\n'
        '<header class="read-page--header">\n'
        '<h1 class="read-page--header--title entry-title" itemprop="headline">'
        f"{_text(a.title)}</h1>\n"
        f'<div id="author-{a.article_id}" class="{h} vcard">'
        f'<a class="{h}__link url fn" href="{WWW}/me/{user}"><span class="{h}__prefix"></span>'
        f'<span class="{h}__name fn" itemprop="name">{_text(author)}</span></a>\n'
        f'<p class="{h}__datetime-wrapper"><time class="{h}__datetime updated"'
        f' itemprop="datePublished" datetime="{published:%Y-%m-%d %H:%M:%S}">'
        f"{_display(published)}</time>{modified}</p></div>\n</header>\n"
    )


def render_article(
    a: FakeArticle, page: int | None = None, *, related: Sequence[FakeArticle] = ()
) -> str:
    """A desktop ReadPage in the site's markup (3-8 KB).

    All pages of a multi-page article are in one document (pages 2..N hidden), unless
    ``a.split_pages``: then the document holds only page ``page`` (default 1), with
    multiplePageCount still N. ``related`` fills the "Baca Juga" box.
    """
    total = len(a.page_paragraphs())
    if a.split_pages and total > 1:
        number = page or 1
        if not 1 <= number <= total:
            raise ValueError(f"article {a.article_id} has no page {number}")
        body = _body_page(a, number, total, False, related)
    else:
        body = "".join(_body_page(a, n, total, n > 1, related) for n in range(1, total + 1))
    image, g = _image_url(a), "read-page--photo-gallery--item"
    return (
        _head(
            f"{a.title} - {channel_info(a.channel).name} Liputan6.com",
            _article_meta(a),
            _article_scripts(a),
        )
        + "<body>\n"
        + _navbar()
        + _article_header(a)
        + '<div class="read-page--content">\n'
        f'<div class="read-page--top-media"><figure class="{g}">'
        f'<picture class="{g}__picture"><img data-src="{image}" alt=""></picture>'
        f'<figcaption class="{g}__caption">Ilustrasi {_text(a.title)}</figcaption></figure></div>\n'
        '<div class="article-content-body" itemprop="articleBody">\n'
        + body
        + '<div class="article-content-body__item-loadmore"></div></div>\n'
        + _tag_list(a.tags)
        + "</div></div></article>\n</body>\n</html>\n"
    )


def _list_data_layer(page_type: str, channel: str | None) -> str:
    """kmklabs for a list page: an empty gtm, the page type, channel and category."""
    values: dict[str, Any] = {"gtm": {"articleId": "", "type": "", "reporters": "", "authors": {}}}
    if channel:
        info = channel_info(channel)
        slot = {"id": info.id, "name": info.name, "full_slug": channel}
        values.update(channel=slot, category=slot)
    return _kmklabs(page_type, **values)


def _list_item(a: FakeArticle, p: str, article_class: str, data: str) -> str:
    """One list <article>: thumbnail link, category, time, title link, summary.

    ``p`` is the BEM prefix of the inner elements (articles--rows--item, ...).
    """
    sub = _category(a)["name"]
    sub_url = f"{WWW}/{a.channel}/{a.subchannel}" if a.subchannel else f"{WWW}/{a.channel}"
    title = _attr(a.title)
    return (
        f'<article class="{article_class}" id="article_{a.article_id}" data-slug="{a.slug}"{data}>'
        f'<figure class="{p}__figure-thumbnail"><a href="{a.url}" title="{title}"'
        ' data-template-var="url"></a></figure>'
        f'<aside class="{p}__details"><header class="{p}__header">'
        f'<a href="{sub_url}" class="{p}__category">{_text(sub)}</a>'
        f'<span class="{p}__datetime"><time class="{p}__time timeago"'
        f' datetime="{_iso(a.published)}">{_list_time(a.published)}</time></span>'
        f'<h4 class="{p}__title"><a href="{a.url}" class="{p}__title-link" title="{title}"'
        ' data-template-var="url">'
        f'<span class="{p}__title-link-text">{_text(a.title)}</span></a></h4></header>'
        f'<div class="{p}__summary">{_text(a.summary)}</div></aside></article>\n'
    )


def _iridescent_items(articles: Sequence[FakeArticle]) -> str:
    """The 2019-2022 desktop iridescent list items (channel fronts, tag pages)."""
    items = []
    for a in articles:
        p = f"articles--iridescent-list--{a.type}-item"  # text-, photo- and video-item
        data = f' data-type="{_TYPE_NAMES[a.type]}"'
        items.append(_list_item(a, p, f"articles--iridescent-list--item {p}", data))
    return "".join(items)


def render_channel_page(channel: str, articles: Sequence[FakeArticle]) -> str:
    """A desktop ChannelPage: an iridescent list of the given articles, in the given order.

    Besides the items it links to tag pages, the channel's indeks and other sites.
    """
    info = channel_info(channel)
    tags = sorted({t for a in articles for t in a.tags}, key=str.casefold)[:6] or ["Jokowi"]
    topics = "".join(
        f'<li class="tags--topics--item"><a class="tags--topics--item__link"'
        f' href="{WWW}/tag/{_slugify(t)}">{_text(t)}</a></li>'
        for t in tags
    )
    others = "".join(f'<li><a href="{u}">{t}</a></li>' for u, t in _OTHER_SITES)
    title = f"Berita {info.name} Terkini Hari Ini - Liputan6.com"
    return (
        _head(title, (), _list_data_layer("ChannelPage", channel))
        + "<body>\n"
        + _navbar()
        + f'<h1 class="channel--header__title">{_text(info.name)}</h1>\n'
        + f'<ul class="tags--topics">{topics}</ul>\n'
        + '<div class="articles"><div class="articles--iridescent-list" data-index="0">\n'
        + _iridescent_items(articles)
        + "</div></div>\n"
        + f'<a class="channel--indeks" href="{WWW}/{channel}/indeks">Indeks {info.name}</a>\n'
        + f'<aside class="network"><ul class="network__list">{others}</ul></aside>\n'
        + "</body>\n</html>\n"
    )


def indeks_url(channel: str | None, day: date, page: int = 1, base: str = WWW) -> str:
    """URL of an indeks page: {base}[/{channel}]/indeks/YYYY/MM/DD?page=N."""
    prefix = f"/{channel}" if channel else ""
    return f"{base}{prefix}/indeks/{day:%Y/%m/%d}?page={page}"


def _pagination(channel: str | None, day: date, page: int, has_next: bool) -> str:
    """The indeks page's div.simple-pagination."""
    return _simple_pagination(lambda n: indeks_url(channel, day, n), page, has_next)


def _simple_pagination(url_of: Callable[[int], str], page: int, has_next: bool) -> str:
    """div.simple-pagination: previous link, nearby page numbers, a#next when has_next;
    ``url_of(n)`` is page n's URL."""
    s = "simple-pagination"
    numbers = []
    for n in range(max(1, page - 2), page + (2 if has_next else 1)):
        link = (
            f'<span class="{s}__page-number-link {s}__page-number-link_active">{n}</span>'
            if n == page
            else f'<a class="{s}__page-number-link" href="{url_of(n)}">{n}</a>'
        )
        numbers.append(f'<li class="{s}__page-number" data-page="{n}">{link}</li>')
    prev_link = next_link = ""
    if page > 1:
        href = url_of(page - 1)
        prev_link = f'<a id="prev" class="{s}__prev-link" href="{href}"><span> Kembali </span></a>'
    if has_next:
        href = url_of(page + 1)
        next_link = f'<a id="next" class="{s}__next-link" href="{href}"><span> Lanjut </span></a>'
    return (
        f'<div class="{s}"><div class="{s}__container">{prev_link}'
        f'<ul class="{s}__page-numbers">{"".join(numbers)}</ul>{next_link}</div></div>'
    )


def _indeks_frame(channel: str | None, popular: Sequence[FakeArticle]) -> tuple[str, str, str, str]:
    """What an indeks page shows around its list: the popular sidebar, the channel filter,
    the channel's name and the date form's action."""
    side = "".join(
        f'<li class="articles--popular--item"><a class="articles--popular--item__link"'
        f' href="{a.url}">{_text(a.title)}</a></li>'
        for a in popular
    )
    filters = "".join(
        f'<li class="indeks--channel-filter__item"><a href="{WWW}/{c}/indeks">'
        f"{channel_info(c).name}</a></li>"
        for c in _NAV_CHANNELS
    )
    name = channel_info(channel).name if channel else "Semua Kanal"
    action = f"{WWW}/{channel}/indeks" if channel else f"{WWW}/indeks"
    return side, filters, name, action


def render_indeks_page(
    channel: str | None,
    day: date,
    items: Sequence[FakeArticle],
    page: int,
    has_next: bool,
    *,
    popular: Sequence[FakeArticle] = (),
) -> str:
    """A desktop IndeksPage for one day (site-wide when channel is None).

    ``items`` become article.articles--rows--item in section#indeks-articles; ``popular``
    fills a "Terpopuler" sidebar (links to other days' articles, not list items).
    """
    rows = "".join(
        _list_item(
            a,
            "articles--rows--item",
            "articles--rows--item",
            f' data-type="{_LIST_TYPES[a.type]}" data-channel-slug="{a.subchannel or a.channel}"',
        )
        for a in items
    )
    side, filters, name, action = _indeks_frame(channel, popular)
    return (
        _head(f"Indeks Berita {name} - Liputan6.com", (), _list_data_layer("IndeksPage", channel))
        + "<body>\n"
        + _navbar()
        + f'<h1 class="indeks--header__title">INDEKS {_text(name.upper())}</h1>\n'
        + f'<form class="articles-filter" action="{action}">'
        + f'<input name="date" value="{day.day:02d} {day:%B %Y}"></form>\n'
        + f'<ul class="indeks--channel-filter__list">{filters}</ul>\n'
        + '<section id="indeks-articles" class="box " data-infinite="true">'
        + '<div class="articles--list articles--list_rows">\n'
        + rows
        + "</div>"
        + _pagination(channel, day, page, has_next)
        + "</section>\n"
        + '<aside class="indeks--sidebar"><div class="box terpopuler"><h3>Terpopuler</h3>'
        + f"<ul>{side}</ul></div></aside>\n"
        + "</body>\n</html>\n"
    )


def tag_url(slug: str, page: int = 1, base: str = WWW) -> str:
    """URL of a tag page: {base}/tag/{slug}?page=N (the site's own paging links)."""
    return f"{base}/tag/{slug}?page={page}"


def _tag_title(name: str) -> str:
    return f"Berita {name} Hari Ini - Kabar Terbaru Terkini | Liputan6.com"


def render_tag_page(
    name: str, slug: str, items: Sequence[FakeArticle], page: int, has_next: bool
) -> str:
    """A desktop TagPage (as the saved /tag/viral page): the tag's name as the heading, its
    articles as an iridescent list in div.tags--layout--right, then the paging links."""
    return (
        _head(_tag_title(name), (), _list_data_layer("TagPage", None))
        + "<body>\n"
        + _navbar()
        + f'<h1 class="tags--header__title">{_text(name)}</h1>\n'
        + '<div class="tags--layout--right tags--layout--right_all">'
        + '<div class="articles--iridescent-list" data-index="0">\n'
        + _iridescent_items(items)
        + "</div>"
        + _simple_pagination(lambda n: tag_url(slug, n), page, has_next)
        + "</div>\n</body>\n</html>\n"
    )


def render_block_page(path: str = "/") -> str:
    """An Akamai-style "Access Denied" page: no kmklabs, no article."""
    target = _attr(f"http://www.liputan6.com{path}")
    return (
        "<HTML><HEAD>\n<TITLE>Access Denied</TITLE>\n</HEAD><BODY>\n<H1>Access Denied</H1>\n\n"
        f'You don\'t have permission to access "{target}" on this server.<P>\n'
        "Reference&#32;&#35;18&#46;6a2e4868&#46;1590596144&#46;2f1c0e0\n</BODY>\n</HTML>\n"
    )


def render_challenge_page(path: str = "/") -> str:
    """A Cloudflare-style "Just a moment..." JavaScript challenge: no kmklabs, no article,
    no list; the page a crawler gets instead of the one it asked for."""
    target = _attr(f"https://www.liputan6.com{path}")
    return (
        '<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>'
        '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">'
        '<meta name="robots" content="noindex,nofollow"></head><body>'
        '<div class="main-wrapper" role="main"><div class="main-content">'
        '<h1 class="zone-name-title h1">www.liputan6.com</h1>'
        '<h2 class="h2" id="challenge-running">Verifying you are human. This may take a few'
        " seconds.</h2>"
        "<noscript><div>Enable JavaScript and cookies to continue</div></noscript>"
        f'<form id="challenge-form" action="{target}?__cf_chl_f_tk=0" method="POST"></form>'
        "</div></div><script>(function(){window._cf_chl_opt={cvId: '3',cType: 'managed'};"
        "var a=document.createElement('script');"
        "a.src='/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1';"
        "document.getElementsByTagName('head')[0].appendChild(a);}());</script>"
        "</body></html>\n"
    )


def _error_page(status: int, message: str) -> str:
    """A small HTML error page."""
    body = f"<body><h1>{status} {message}</h1></body>\n</html>\n"
    return _head(f"{status} {message} - Liputan6.com") + body


# ---------------------------------------------------------------------------------------
# Rendering: the 2025 ("neoliputan6") theme
# ---------------------------------------------------------------------------------------
# After ../shared/liputan6/ERAS.md section 1 and the real 2026 pages beside it
# (eras/article_desktop_cekfakta_8292010_2026-09-15_theme2025_stripped.html and
# eras/list_fragment_tag_2026-09-02.html). Guesses, for want of a saved page: the headline
# slider's inner markup (as tests/fixtures/theme2025_channel.html has it), the dated indeks
# page around its list items (heading, filters, pagination, sidebar: as the 2019-2022 page),
# and photo and video articles (the text skeleton, with their type in the data layer).

_MONTHS_FULL_ID = _phrases(
    "Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember"
)
_TOGGLE_2025 = {
    "lip6NoPageLoad": True,
    "updateGaLiputan": True,
    "newLiveReport": True,
    "liputan62025Theme": True,
    "liputan62025ThemeByParam": False,
    "seamlessPaging": True,
    "pagination2Page": True,
    "naisCms": True,
}


def _display_2025(when: datetime) -> str:
    """The byline box's date: 15 September 2026, 15:00 WIB (full month names)."""
    w = when.astimezone(WIB)
    return f"{w.day} {_MONTHS_FULL_ID[w.month - 1]} {w.year}, {w:%H:%M} WIB"


def _author_url(name: str) -> str:
    """An author's page: https://www.liputan6.com/author/{first.last}."""
    return f"{WWW}/author/{'.'.join(name.lower().split())}"


def _kmklabs_2025(page_type: str, values: Mapping[str, Any], tail: str = "") -> str:
    """The theme's window.kmklabs script: env and assets, the values in order, then
    window.kmklabs.toggle on its own line (liputan62025Theme is true)."""
    parts = [
        "window.kmklabs = {};",
        "window.kmklabs.env = 'production';",
        "window.kmklabs.baseAssetsUrl = 'https://cdn-production-assets-kly.akamaized.net/assets';",
    ]
    for key, value in values.items():
        if key == "pageType":
            parts += [
                "window.kmklabs.platform = 'Desktop';",
                f"window.kmklabs.pageType = '{value}';",
            ]
        else:
            parts.append(f"window.kmklabs.{key} = {_js(value)};")
    parts.append("window.kmklabs.site = 'liputan6';")
    return (
        '<script type="text/javascript"> '
        + "  ".join(parts)
        + tail
        + f"\n window.kmklabs.toggle = {_js(_TOGGLE_2025)}; </script>"
    )


def _head_2025(title: str, meta: Sequence[str], scripts: str) -> str:
    """The theme's <head>: title, charset and viewport, meta and links, then scripts."""
    return (
        '<!DOCTYPE html>\n<html lang="id"><head>'
        f"<title>{_text(title)}</title>"
        '<meta charset="utf-8"/>'
        '<meta content="width=device-width, initial-scale=1.0" name="viewport"/>'
        + "\n".join(meta)
        + scripts
        + "</head>"
    )


def _header_2025() -> str:
    """The theme's top header with its navigation (absolute URLs)."""
    links = [(f"{WWW}/{c}", channel_info(c).name) for c in _NAV_CHANNELS[:4]]
    links += [(f"{WWW}/indeks", "Indeks"), _OTHER_SITES[0]]
    nav = "".join(f'<a class="navbar--menu__link" href="{u}">{t}</a>' for u, t in links)
    return (
        '<header class="header bg-white dark:bg-zinc-900 dark:text-white"'
        ' data-component="neoliputan6:desktop:header">'
        f'<nav class="navbar--menu">{nav}</nav></header>'
    )


def _article_meta_2025(a: FakeArticle) -> tuple[list[str], list[str]]:
    """The ReadPage's meta and links in the theme, before and after its JSON-LD: no
    article:section*, no dable:item_id, no m.liputan6.com alternate; amphtml on www."""
    category = _category(a)
    title, summary = _attr(a.title), _attr(a.summary)
    keywords = _attr(", ".join(a.tags))
    published = _iso(a.published)
    meta = [
        f'<meta content="{category["full_slug"]}" name="adx:sections"/>',
        f'<meta content="{title}" name="title"/>',
        f'<meta content="{summary}" name="description"/>',
        f'<meta content="{keywords}" name="keywords"/>',
        '<meta content="index,follow" name="googlebot-news"/>',
        '<meta content="index, follow" name="robots"/>',
        '<meta content="Liputan6.com" name="author"/>',
        '<meta content="id" name="language"/>',
        f'<meta content="{published}" property="article:published_time"/>',
    ]
    after = [
        '<meta content="liputan6.com" property="og:site_name"/>',
        f'<meta content="{a.url}" property="og:url"/>',
        f'<meta content="{title}" property="og:title"/>',
        f'<meta content="{summary}" property="og:description"/>',
    ]
    if a.modified:
        modified = _iso(a.modified)
        after += [
            f'<meta content="{modified}" property="article:modified_time"/>',
            f'<meta content="{modified}" property="og:updated_time"/>',
        ]
    after += [
        '<meta content="article" property="og:type"/>',
        f'<meta content="{_image_url(a)}" property="og:image"/>',
        '<meta content="summary_large_image" name="twitter:card"/>',
        f'<meta content="{title}" name="twitter:title"/>',
        f'<meta content="{a.url}" name="twitter:url"/>',
        '<link data-component-name="ui:rss-discover" href="https://feed.liputan6.com/rss/'
        f'{a.channel}" rel="alternate" type="application/rss+xml"/>',
        f'<link href="{a.url}" rel="canonical"/>',
        f'<link data-component-name="amp:html:link" href="{WWW}/amp/{a.article_id}/{a.slug}"'
        ' rel="amphtml"/>',
    ]
    return meta, after


def _crumbs_2025(a: FakeArticle) -> list[tuple[str, str]]:
    """(url, name) of the breadcrumb: home, channel, sub-channel when there is one."""
    crumbs = [(WWW, "Liputan6"), (f"{WWW}/{a.channel}", channel_info(a.channel).name)]
    if a.subchannel:
        crumbs.append((f"{WWW}/{a.channel}/{a.subchannel}", _category(a)["name"]))
    return crumbs


def _jsonld_2025(a: FakeArticle) -> str:
    """The JSON-LD array [NewsArticle, BreadcrumbList] of a theme ReadPage."""
    news: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "datePublished": _iso(a.published),
    }
    if a.modified:
        news["dateModified"] = _iso(a.modified)
    news |= {
        "description": a.summary,
        "mainEntityOfPage": {"@type": "WebPage", "@id": a.url},
        "image": {"@type": "ImageObject", "url": _image_url(a)},
        "author": [{"@type": "Person", "name": n, "url": _author_url(n)} for n in a.authors],
        "publisher": {
            "@type": "Organization",
            "name": "Liputan6.com",
            "logo": {
                "@type": "ImageObject",
                "url": "https://cdn-production-assets-kly.akamaized.net/assets/images/liputan6/amp-logo.png",
            },
        },
    }
    items = [*_crumbs_2025(a), (a.url, a.title)]
    crumbs = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": str(i), "name": name, "item": url}
            for i, (url, name) in enumerate(items, 1)
        ],
    }
    return f'<script type="application/ld+json">{_js([news, crumbs])}</script>'


def _article_scripts_2025(a: FakeArticle) -> tuple[str, str]:
    """The JSON-LD and the theme's data layer: gtm with its new keys (no audience), visitor,
    channel, category, article (with isDisableinteractions, main_keyword), tag, toggle."""
    info, published = channel_info(a.channel), a.published.astimezone(WIB)
    category = _category(a)
    writers = ", ".join(a.authors)
    gtm = {
        "articleId": int(a.article_id),
        "articleTitle": a.slug,
        "category": "article",
        "editors": ", ".join(a.editors or a.authors[:1]),
        "editorialType": "editorial",
        "embedVideo": "yes" if a.type == "video" else "no",
        "pageTitle": f"{a.title} - {info.name} Liputan6.com",
        "publicationDate": f"{published:%Y-%m-%d}",
        "publicationTime": f"{published:%H:%M:%S}",
        "subCategory": a.channel,
        # No sub-channel: subSubCategory repeats subCategory.
        "subSubCategory": a.subchannel or a.channel,
        "tag": "|".join(a.tags),
        "authors": {"type": _AUTHOR_ROLES[a.type], "names": writers},
        "numberOfWords": sum(len(p.split()) for p in a.paragraphs),
        "enabled": True,
        "log": False,
        "imageCreation": False,
        "type": _TYPE_NAMES[a.type],
        "videos": [],
        "photos": {},
        "partner": "",
        "isSEO": False,
        "reporters": writers,
        "photographers": "",
        "isLiveReport": False,
        "liveReportTag": "",
        "brand": "",
        "videoSource": "",
        "content_ai": 0,
        "isTableOfContent": False,
        "nais_creator": "",
        "isArticleReference": False,
        "team_id": "KLY-0001",
        "special_content_id": "",
        "isFeature": False,
        "content_schema": "",
        "originURL": "",
        "initiativeType": "",
        "isRecommendation": False,
        "isMatchKeyword": "",
    }
    visitor = {
        "publicationDate": gtm["publicationDate"],
        "publicationTime": gtm["publicationTime"],
        "tag": [t.lower() for t in a.tags],
        "subCategory": a.channel,
        "subSubCategory": a.subchannel or "",
        "type": _TYPE_NAMES[a.type],
        "pageType": "ReadPage",
        "title": a.slug,
        "platform": "Desktop",
        "site": "liputan6",
        "isAdultContent": False,
    }
    article = {
        "id": int(a.article_id),
        "title": a.title,
        "type": _TYPE_NAMES[a.type],
        "shortDescription": a.summary,
        "keywords": ",".join(a.tags),
        "isAdvertorial": False,
        "isMultipage": a.pages > 1,
        "isAdultContent": False,
        "isDisableinteractions": False,
        "verifyAge": False,
        "publishDate": f"{published:%Y-%m-%d %H:%M:%S}",
        "main_keyword": a.tags[0] if a.tags else "",
    }
    tag = {
        "is_topic": False,
        "name": "|".join(a.tags),
        "slug": "|".join(_slugify(t) for t in a.tags),
        "topic_type": "",
    }
    values = {
        "gtm": gtm,
        "visitor": visitor,
        "pageType": "ReadPage",
        "channel": {"id": info.id, "name": info.name, "full_slug": a.channel},
        "listSubChannel": [],
        "category": category,
        "article": article,
    }
    tail = (
        f" window.kmklabs.multiplePageCount = {a.pages}; window.kmklabs.tag = {_js(tag)};"
        f' window.gaPrefix = "ReadPage::{info.name.replace(" ", "")}";'
    )
    return _jsonld_2025(a), _kmklabs_2025("ReadPage", values, tail)


def _byline_box_2025(a: FakeArticle) -> str:
    """div.read-page-box.read-page-box-top: avatar, "Oleh" and one link per writer, and the
    dates as text only ("Diterbitkan ...", "Diperbarui ..." when edited)."""
    b = "read-page-box__author"
    names = a.authors or ["Liputan6.com"]
    first = names[0]
    avatar = (
        f'<a class="{b}__link" href="{_author_url(first)}" itemprop="url" rel="author"'
        f' title="{_attr(first)}"><img alt="{_attr(first)}" class="{b}__avatar-img" height="26"'
        ' loading="lazy" src="https://cdn1-production-images-kly.akamaized.net/avatar=/26x26/'
        'avatars/1/original/avatar.jpg" width="26"/></a>'
    )
    links = "".join(f'<a class="{b}__name" href="{_author_url(n)}">{_text(n)}</a>' for n in names)
    dates = f'<span class="{b}__updated">Diterbitkan {_display_2025(a.published)}</span>'
    if a.modified:
        dates += f'<span class="{b}__updated">Diperbarui {_display_2025(a.modified)}</span>'
    return (
        '<div class="read-page-box read-page-box-top" data-component="desktop:share"'
        f' data-location="top"><div class="read-page-box__left"><div class="{b}">{avatar}'
        f'<div class="{b}__datetime"><div class="{b}__datetime__wrapper"><span>Oleh</span>'
        f'{links}</div><span class="{b}__trigger">{dates}</span></div></div></div>'
        "<!-- share button + dropdown --></div>"
    )


def _baca_juga_2025(a: FakeArticle, related: Sequence[FakeArticle]) -> str:
    """div.baca-juga-collections: one __detail[data-id][data-url] per related article."""
    links = [(r.article_id, r.url, r.title) for r in related]
    if not links:
        other = str(int(a.article_id) - 1)
        links = [(other, f"{WWW}/{a.channel}/read/{other}/berita-terkait", "Berita Terkait")]
    name = _attr(channel_info(a.channel).name)
    items = "".join(
        f'<div class="baca-juga-collections__detail" data-article-ml="" data-category="{name}"'
        f' data-channel="{name}" data-id="{i}" data-title="{_attr(t)}" data-url="{u}" style="">'
        f'BACA JUGA:<a href="{u}">{_text(t)}</a>\n</div>\n'
        for i, u, t in links
    )
    return (
        f'<div class="baca-juga-collections" data-category="{name}"'
        ' data-component-name="desktop:read-page:article-content-body:section:bacajuga">\n'
        f"{items}</div>\n"
    )


_INARTICLE_AD_2025 = (
    '<div class="advertisement-placeholder" id="div-gpt-ad-mgid-inarticle-placeholder">\n'
    '<div class="advertisement-text">\n<p>Advertisement</p>\n</div>\n'
    '<div class="advertisement-banner" id="div-gpt-ad-liputan6-mgid-inarticle"></div>\n</div>\n'
)


def _figure_2025(a: FakeArticle, number: int, top: bool) -> str:
    """A photo-gallery figure: the lead image (top) or a page's figure."""
    g = "read-page--photo-gallery--item"
    image = _image_url(a)
    caption = _text(f"Ilustrasi {a.title}" if top else f"Ilustrasi halaman {number}")
    load = 'fetchpriority="high"' if top else 'loading="lazy"'
    return (
        f'<figure class="{g}" data-component="desktop:read-page:photo-gallery:item"'
        f' data-description="{_attr(caption)}" data-image="{image}"'
        f' data-photo-gallery-page="{number}" id="gallery-image-{a.article_id}{number}">'
        f'<div class="{g}__content js-gallery-content"><div class="{g}__link">'
        f'<img alt="" class="{g}__picture-img" {load} height="360" src="{image}" width="640"/>'
        f'</div></div><figcaption class="{g}__caption">{caption}</figcaption></figure>'
    )


def _body_page_2025(a: FakeArticle, number: int, related: Sequence[FakeArticle]) -> str:
    """One div.article-content-body__item-page of the theme (never hidden): page 1 with the
    dateline, Baca Juga and the in-text ad placeholder; later pages with a figure and the
    ad placeholder between pages."""
    p = "article-content-body__item"
    paragraphs = a.page_paragraphs()[number - 1]
    parts = []
    for i, text in enumerate(paragraphs):
        if number == 1 and i == 0 and a.dateline:
            parts.append(f"<p><b>Liputan6.com, {_text(a.dateline)} -</b> {_text(text)}</p>\n")
        else:
            parts.append(f"<p>{_text(text)}</p>\n")
        if i == 0 and number == 1 and a.type == "video":
            parts.append(
                '<div class="read-page--video-gallery--item"><iframe src="https://www.vidio.com/'
                f'embed/{a.article_id}"></iframe><p>Video</p></div>\n'
            )
        if i == 1 and number == 1:
            parts.append(_baca_juga_2025(a, related))
        # The in-text ad sits between paragraphs, in the text container.
        if i == min(2, len(paragraphs) - 2) and number == 1:
            parts.append(_INARTICLE_AD_2025)
    text = (
        f'<div class="{p}-content"'
        ' data-component-name="desktop:read-page:article-content-body:section:text">'
        + "".join(parts)
        + "</div>"
    )
    if number == 1:
        return (
            f'<div class="{p}-page" data-page="1" data-title="">{text}'
            '<div class="article-ad" id="gpt-ad-liputan6-sc-1"></div></div>'
        )
    return (
        f'<div class="{p}-page" data-page="{number}" data-title="">'
        f'<h2 class="{p}-title"'
        ' data-component-name="desktop:read-page:article-content-body:section:pagetitle"></h2>'
        f'<div class="{p}-media">{_figure_2025(a, number, False)}</div>{text}'
        '<div class="advertisement-placeholder" id="div-gpt-ad-sc-paging-placeholder">'
        '<div class="advertisement-text"><p>Advertisement</p></div>'
        f'<div class="article-ad" id="gpt-ad-liputan6-sc-{number}"></div></div></div>'
    )


def _tags_2025(tags: Sequence[str]) -> str:
    """#preco[data-tags] and the tag list (li with id=tag-N and data-is-published-topic)."""
    p = "tags--snippet"
    items = "".join(
        f'<li class="{p}__item" data-component="desktop:tags:snippet:item"'
        f' data-is-published-topic="" data-slug="{_slugify(t)}"'
        f' id="tag-{zlib.crc32(t.encode()) % 1_000_000}">'
        f'<a aria-label="tag {_attr(t)}" class="{p}__link js-tags-link"'
        f' href="{WWW}/tag/{_slugify(t)}"><span class="{p}__name">{_text(t)}</span></a></li>'
        for t in tags
    )
    return (
        f'<div class="preco" data-tags="{_attr(" ".join(sorted(tags)))}" id="preco"></div>'
        f'<div class="{p}" data-component="desktop:tags:snippet"><ul class="{p}__list">'
        f"{items}</ul></div>\n"
    )


def _team_box_2025(a: FakeArticle) -> str:
    """The bottom box: the writers' avatars, their names and the team ("Tim Redaksi")."""
    b = "read-page-box__author"
    names = a.authors or ["Liputan6.com"]
    avatars = "".join(
        f'<a class="{b}__link" href="{_author_url(n)}" itemprop="url" rel="author"'
        f' title="{_attr(n)}"></a>'
        for n in names
    )
    return (
        '<div class="read-page--engagement"><div class="read-page-box read-page-box-bottom"'
        ' data-component="desktop:share" data-location="bottom"><div class="read-page-box__left">'
        f'<div class="{b}"><div class="{b}__team">{avatars}</div>'
        f'<div class="{b}__team-detail"><span class="{b}__team-detail__people">'
        f'{_text(", ".join(names))}</span><span class="{b}__team-detail__name">Tim Redaksi'
        "</span></div></div></div></div></div>"
    )


def render_article_2025(
    a: FakeArticle, page: int | None = None, *, related: Sequence[FakeArticle] = ()
) -> str:
    """A desktop ReadPage in the 2025 theme (ERAS.md section 1).

    Every page of a multi-page article is in the document and none is hidden, unless
    ``a.split_pages``: then it holds page ``page`` (default 1) only. ``related`` fills
    the "Baca Juga" box.
    """
    total = len(a.page_paragraphs())
    if a.split_pages and total > 1:
        number = page or 1
        if not 1 <= number <= total:
            raise ValueError(f"article {a.article_id} has no page {number}")
        numbers = [number]
    else:
        numbers = list(range(1, total + 1))
    body = "".join(_body_page_2025(a, n, related) for n in numbers)
    meta, after = _article_meta_2025(a)
    jsonld, data_layer = _article_scripts_2025(a)
    b = "read-page--breadcrumb"
    breadcrumb = "".join(
        f'<li class="{b}--item"><i class="{b}--item__icon i-arrow-grey"></i>'
        f'<a class="{b}--item__title" data-category="{_attr(name)}" href="{url}">'
        f'<span>{_text("Home" if i == 0 else name)}</span><meta content="{i + 1}"/></a></li>'
        for i, (url, name) in enumerate(_crumbs_2025(a))
    )
    type_name = _TYPE_NAMES[a.type]
    return (
        _head_2025(a.title, [*meta, jsonld, *after], data_layer)
        + f'<body class="articles show category-{a.channel}"><main class="container-wrapper">'
        + _header_2025()
        + '<div class="container-main"><div class="container-article">'
        '<div class="inner-container-article">'
        + f'<ul class="{b}" data-component-name="desktop:read-page:breadcrumb">{breadcrumb}</ul>'
        + f'<article class="main" data-article-id="{a.article_id}"'
        ' data-component-name="desktop:read-page" role="main">'
        f'<div class="read-page-upper" data-cache-key="https_liputan6.com:bump:xhp_desktop__read'
        f'_page__read_page_upper:{type_name}#{a.article_id}_1:new_style"'
        ' data-component-name="desktop:read-page:read-page-upper">'
        '<header class="read-page--header" data-component-name="desktop:read-page:header">'
        '<h1 class="read-page--header--title entry-title"'
        f' data-component-name="desktop:read-page:header:title" itemprop="headline">'
        f"{_text(a.title)}</h1>"
        '<div class="read-page--header--description"'
        ' data-component-name="desktop:read-page:header:description">'
        f"<p>{_text(a.summary)}</p></div>"
        + _byline_box_2025(a)
        + f'<meta content="{_image_url(a)}" itemprop="image"/></header>'
        '<div class="read-page--content"><div class="read-page--top-media"'
        ' data-component="desktop:read-page:top-media">' + _figure_2025(a, 1, True) + "</div>"
        '<div class="article-content-body article-content-body_with-aside"'
        ' data-component="desktop:read-page:article-content-body">'
        + body
        + "</div></div>"
        + _tags_2025(a.tags)
        + '<div class="advertisement-placeholder" id="div-gpt-ad-mgid-underarticle-placeholder">\n'
        '<div class="advertisement-text">\n<p>Advertisement</p>\n</div>\n</div>\n'
        + _team_box_2025(a)
        + "</div></article></div></div></div></main></body></html>\n"
    )


def _list_scripts_2025(page_type: str, channel: str | None) -> str:
    """The data layer of a theme list page: page type, channel and category, toggle."""
    values: dict[str, Any] = {
        "gtm": {"articleId": "", "type": "", "reporters": "", "authors": {}},
        "pageType": page_type,
    }
    if channel:
        info = channel_info(channel)
        slot = {"id": info.id, "name": info.name, "full_slug": channel}
        values.update(channel=slot, category=slot)
    return _kmklabs_2025(page_type, values)


def _list_item_2025(a: FakeArticle) -> str:
    """One list item as the real 2026 fragment has it: article.articles--iridescent-list--
    {type}-item with data-article-id, -channel, -category, -title; time +07:00."""
    p = f"articles--iridescent-list--{a.type}-item"
    sub = _category(a)["name"]
    sub_url = f"{WWW}/{a.channel}/{a.subchannel}" if a.subchannel else f"{WWW}/{a.channel}"
    title = _attr(a.title)
    return (
        f'<article class="articles--iridescent-list--item {p}" id="article_{a.article_id}"'
        f' data-slug="{a.slug}" data-type="{_TYPE_NAMES[a.type]}"'
        f' data-template-name="article-iridescent-list-{a.type}" data-template-var="container"'
        f' data-channel="{_attr(channel_info(a.channel).name)}" data-title="{title}"'
        f' data-category="{_attr(sub)}" data-article-id="{a.article_id}"'
        f' data-component-name="desktop:articles:iridescent-list:{a.type}-item">'
        f'<figure class="{p}__figure-thumbnail"><a class="ui--a {p}__figure-thumbnail-link"'
        f' href="{a.url}" title="{title}" data-template-var="url" data-kanal-page="">'
        f'<img src="{_image_url(a)}" alt="{title}" class="{p}__figure-image" width="200"'
        ' height="112" loading="lazy"></a></figure>'
        f'<aside class="{p}__details"><header class="{p}__header">'
        f'<a href="{sub_url}" class="{p}__category" data-template-var="category">'
        f"{_text(sub)}</a>"
        f'<span class="{p}__datetime" data-template-var="date"><time class="{p}__time timeago"'
        f' datetime="{_iso(a.published)}">{_list_time(a.published)}</time></span>'
        f'<h4 class="{p}__title"><a class="ui--a {p}__title-link" href="{a.url}" title="{title}"'
        ' data-template-var="url" data-kanal-page="">'
        f'<span class="{p}__title-link-text" data-template-var="title">{_text(a.title)}</span>'
        "</a></h4></header>"
        f'<div class="{p}__summary {p}__summary-seo" data-template-var="summary">'
        f"{_text(a.summary)}</div></aside></article>\n"
    )


def render_channel_page_2025(
    channel: str, articles: Sequence[FakeArticle], *, slider: int = 4
) -> str:
    """A ChannelPage in the 2025 theme: the headline slider (the first ``slider`` articles,
    .headline--bottom-slider__item[data-article-id], their links with tracking queries),
    then the iridescent list of all of them; tag links, the indeks and other sites."""
    info = channel_info(channel)
    h = "headline--bottom-slider"
    slides = "".join(
        f'<div class="{h}__item" data-article-id="{a.article_id}"><a class="{h}__link"'
        f' href="{a.url}?medium=Headline&amp;campaign=Headline_click_{n}">'
        f'<span class="{h}__title">{_text(a.title)}</span></a></div>\n'
        for n, a in enumerate(articles[:slider], 1)
    )
    tags = sorted({t for a in articles for t in a.tags}, key=str.casefold)[:6] or ["Jokowi"]
    topics = "".join(
        f'<li class="tags--topics--item"><a class="tags--topics--item__link"'
        f' href="{WWW}/tag/{_slugify(t)}">{_text(t)}</a></li>'
        for t in tags
    )
    others = "".join(f'<li><a href="{u}">{t}</a></li>' for u, t in _OTHER_SITES)
    return (
        _head_2025(
            f"Berita {info.name} Terkini Hari Ini - Liputan6.com",
            ['<meta content="liputan6.com" property="og:site_name"/>'],
            _list_scripts_2025("ChannelPage", channel),
        )
        + f'<body class="channels show category-{channel}"><main class="container-wrapper">'
        + _header_2025()
        + f'\n<h1 class="channel--header__title">{_text(info.name)}</h1>\n'
        + f'<div class="{h}" data-component-name="desktop:headline:bottom-slider">\n'
        + f"{slides}</div>\n"
        + f'<ul class="tags--topics">{topics}</ul>\n'
        + '<div class="articles--iridescent-list" data-index="0">\n'
        + "".join(_list_item_2025(a) for a in articles)
        + "</div>\n"
        + f'<a class="channel--indeks" href="{WWW}/{channel}/indeks">Indeks {info.name}</a>\n'
        + f'<aside class="network"><ul class="network__list">{others}</ul></aside>\n'
        + "</main></body></html>\n"
    )


def render_indeks_page_2025(
    channel: str | None,
    day: date,
    items: Sequence[FakeArticle],
    page: int,
    has_next: bool,
    *,
    popular: Sequence[FakeArticle] = (),
) -> str:
    """An IndeksPage for one day in the 2025 theme: its items in the theme's list markup
    (the real 2026 fragment's); the page around them as the 2019-2022 one (a guess)."""
    side, filters, name, action = _indeks_frame(channel, popular)
    shown = f"{day.day:02d} {_MONTHS_FULL_ID[day.month - 1]} {day.year}"
    return (
        _head_2025(
            f"Indeks Berita {name} - Liputan6.com",
            ['<meta content="liputan6.com" property="og:site_name"/>'],
            _list_scripts_2025("IndeksPage", channel),
        )
        + f'<body class="indeks show category-{channel or "all"}"><main class="container-wrapper">'
        + _header_2025()
        + f'\n<h1 class="indeks--header__title">INDEKS {_text(name.upper())}</h1>\n'
        + f'<form class="articles-filter" action="{action}">'
        + f'<input name="date" value="{shown}"></form>\n'
        + f'<ul class="indeks--channel-filter__list">{filters}</ul>\n'
        + '<section id="indeks-articles" class="box" data-infinite="true">'
        + '<div class="articles--iridescent-list" data-index="0">\n'
        + "".join(_list_item_2025(a) for a in items)
        + "</div>"
        + _pagination(channel, day, page, has_next)
        + "</section>\n"
        + '<aside class="indeks--sidebar"><div class="box terpopuler"><h3>Terpopuler</h3>'
        + f"<ul>{side}</ul></div></aside>\n"
        + "</main></body></html>\n"
    )


def render_tag_page_2025(
    name: str, slug: str, items: Sequence[FakeArticle], page: int, has_next: bool
) -> str:
    """A TagPage in the 2025 theme: its items in the theme's list markup (the real 2026
    fragment's, which is of a tag page); heading and paging as the 2019-2022 page (a guess)."""
    return (
        _head_2025(
            _tag_title(name),
            ['<meta content="liputan6.com" property="og:site_name"/>'],
            _list_scripts_2025("TagPage", None),
        )
        + '<body class="tags show"><main class="container-wrapper">'
        + _header_2025()
        + f'\n<h1 class="tags--header__title">{_text(name)}</h1>\n'
        + '<div class="tags--layout--right tags--layout--right_all">'
        + '<div class="articles--iridescent-list" data-index="0">\n'
        + "".join(_list_item_2025(a) for a in items)
        + "</div>"
        + _simple_pagination(lambda n: tag_url(slug, n), page, has_next)
        + "</div>\n</main></body></html>\n"
    )


# ---------------------------------------------------------------------------------------
# Rendering: a redesign of the list pages that no theme ever used
# ---------------------------------------------------------------------------------------
# For tests of a crawler meeting list markup it does not know: div.feed-2027 of
# div.card-2027 items, a pager and a trending box, none of the classes, ids or data
# attributes of the 2019 or 2025 list markup (no <article>, no data-article-id, no
# #indeks-articles, no articles--* or simple-pagination classes, no window.kmklabs).


def _card_redesign(a: FakeArticle) -> str:
    """One card: the article's link and its time (data-ts: Unix seconds)."""
    return (
        f'<div class="card-2027"><a class="card-2027__link" href="{a.url}">'
        f"{_text(a.title)}</a>"
        f'<span class="card-2027__when" data-ts="{int(a.published.timestamp())}">'
        f"{_list_time(a.published)}</span></div>\n"
    )


def _page_redesign(title: str, heading: str, feed: str, cards: str, after: str) -> str:
    """The redesigned document around a feed of cards."""
    links = "".join(
        f'<a class="topbar-2027__link" href="{WWW}/{c}">{channel_info(c).name}</a>'
        for c in _NAV_CHANNELS
    )
    return (
        '<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8">'
        f"<title>{_text(title)}</title>"
        '<meta property="og:site_name" content="Liputan6.com"></head>'
        f'<body class="app-2027"><header class="topbar-2027"><nav>{links}</nav></header>\n'
        f'<main class="feed-2027" data-feed="{feed}">'
        f'<h1 class="feed-2027__heading">{_text(heading)}</h1>\n'
        + cards
        + "</main>\n"
        + after
        + "</body></html>\n"
    )


def render_channel_page_redesign(channel: str, articles: Sequence[FakeArticle]) -> str:
    """A channel front in the redesign: a feed of cards of the given articles, in order."""
    info = channel_info(channel)
    return _page_redesign(
        f"Berita {info.name} Terkini Hari Ini - Liputan6.com",
        info.name,
        "channel",
        "".join(_card_redesign(a) for a in articles),
        "",
    )


def render_indeks_page_redesign(
    channel: str | None,
    day: date,
    items: Sequence[FakeArticle],
    page: int,
    has_next: bool,
    *,
    popular: Sequence[FakeArticle] = (),
) -> str:
    """An indeks page in the redesign: a feed of cards of ``items``, a pager (rel=prev,
    rel=next, same URLs as the themes' pagination) and a trending box of ``popular``."""
    name = channel_info(channel).name if channel else "Semua Kanal"
    pager = ""
    if page > 1:
        pager += (
            f'<a class="pager-2027__prev" rel="prev" href="{indeks_url(channel, day, page - 1)}">'
        )
        pager += "Sebelumnya</a>"
    if has_next:
        pager += (
            f'<a class="pager-2027__next" rel="next" href="{indeks_url(channel, day, page + 1)}">'
        )
        pager += "Berikutnya</a>"
    trending = "".join(
        f'<a class="trending-2027__link" href="{a.url}">{_text(a.title)}</a>' for a in popular
    )
    return _page_redesign(
        f"Indeks Berita {name} - Liputan6.com",
        f"Indeks {name}, {day.day} {_MONTHS_FULL_ID[day.month - 1]} {day.year}",
        "indeks",
        "".join(_card_redesign(a) for a in items) + f'<nav class="pager-2027">{pager}</nav>',
        f'<aside class="trending-2027">{trending}</aside>\n',
    )


def render_tag_page_redesign(
    name: str, slug: str, items: Sequence[FakeArticle], page: int, has_next: bool
) -> str:
    """A tag page in the redesign: a feed of cards of ``items`` and a pager (rel=prev,
    rel=next, same URLs as the themes' paging links)."""
    pager = ""
    if page > 1:
        pager += f'<a class="pager-2027__prev" rel="prev" href="{tag_url(slug, page - 1)}">'
        pager += "Sebelumnya</a>"
    if has_next:
        pager += f'<a class="pager-2027__next" rel="next" href="{tag_url(slug, page + 1)}">'
        pager += "Berikutnya</a>"
    return _page_redesign(
        _tag_title(name),
        name,
        "tag",
        "".join(_card_redesign(a) for a in items) + f'<nav class="pager-2027">{pager}</nav>',
        "",
    )


# ---------------------------------------------------------------------------------------
# Faults and the request log
# ---------------------------------------------------------------------------------------


@dataclass
class Fault:
    """A misbehaviour for requests whose path (with query) starts with ``path_prefix``.

    kind: "404", "500", "429" (with Retry-After: ``retry_after``), "slow" (sleep ``delay``
    seconds, then answer normally), "redirect" (``status`` 301 or 302 to ``location``; for an
    article path the default is its /amp/{id}/{slug} path), "empty" (a list page with no
    items; an empty 200 body elsewhere), "truncated" (Content-Length of the whole page, half
    of it sent, connection closed), "block" (the Access Denied page, ``status`` 200 or 403),
    "challenge" (a Cloudflare-style "Just a moment..." JavaScript challenge, ``status`` 503
    by default or 403), "reset" (the connection is reset before any HTTP response; the
    request log records status 0).
    The first ``times`` matching requests get the fault, then the site answers normally;
    ``times=None`` means always. ``exact`` matches the whole path-with-query only.
    /robots.txt matches only a fault whose path names it (``"/robots.txt"``): a fault on
    "/" refuses every page but robots.txt, as a site blocking a crawler usually does.
    """

    path_prefix: str
    kind: FaultKind
    times: int | None = None
    delay: float = 5.0
    status: int | None = None
    location: str | None = None
    retry_after: int = 1
    exact: bool = False
    served: int = field(default=0, compare=False)
    """How many requests got this fault so far."""

    def __post_init__(self):
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; expected one of {FAULT_KINDS}")
        if not self.path_prefix.startswith("/"):
            raise ValueError(f"fault path must start with '/': {self.path_prefix!r}")
        if self.kind == "redirect" and not self.location and "/read/" not in self.path_prefix:
            raise ValueError("a redirect fault on a non-article path needs a location")

    def matches(self, path: str) -> bool:
        """Whether a request path (with query) is one this fault is about."""
        if path.startswith(ROBOTS_PATH) and not self.path_prefix.startswith(ROBOTS_PATH):
            return False
        return path == self.path_prefix if self.exact else path.startswith(self.path_prefix)


@dataclass(frozen=True)
class Request:
    """One request the site answered."""

    method: str
    path: str
    """Path with query, e.g. /news/indeks/2024/01/02?page=2."""
    status: int
    """The HTTP status sent; 0 when the connection was reset without a response."""


_READ_ID = re.compile(r"^/(?:[^/?]+/)?(?:read|amp)/([0-9]+)")


class RequestLog:
    """Thread-safe record of requests; iterating yields the paths (with query)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._items: list[Request] = []

    def add(self, request: Request) -> None:
        """Record one request."""
        with self._lock:
            self._items.append(request)

    @property
    def records(self) -> list[Request]:
        """A copy of every request: method, path, status."""
        with self._lock:
            return list(self._items)

    def paths(self, method: str | None = None) -> list[str]:
        """Request paths in arrival order, optionally of one method only."""
        return [r.path for r in self.records if method is None or r.method == method]

    def counter(self) -> Counter[str]:
        """How many times each path (with query) was requested."""
        return Counter(self.paths())

    def count(self, path: str) -> int:
        """How many requests had exactly this path (with query)."""
        return sum(1 for p in self.paths() if p == path)

    def count_prefix(self, prefix: str) -> int:
        """How many requests had a path (with query) starting with prefix."""
        return sum(1 for p in self.paths() if p.startswith(prefix))

    def statuses(self) -> Counter[int]:
        """How many requests got each status."""
        return Counter(r.status for r in self.records)

    def article_ids(self, status: int | None = 200) -> Counter[str]:
        """How many GETs of each article id (read or amp paths) answered with ``status``."""
        out: Counter[str] = Counter()
        for r in self.records:
            match = _READ_ID.match(r.path)
            if match and r.method == "GET" and (status is None or r.status == status):
                out[match.group(1)] += 1
        return out

    def clear(self) -> None:
        """Forget every request."""
        with self._lock:
            self._items.clear()

    def __iter__(self) -> Iterator[str]:
        return iter(self.paths())

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __contains__(self, path: object) -> bool:
        return path in self.paths()


# ---------------------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------------------

_ARTICLE_PATH = re.compile(
    r"/(?:(?P<channel>[a-z0-9-]+)/)?read/(?P<id>[0-9]+)(?:/(?P<slug>[^/]*))?/?"
)
_AMP_PATH = re.compile(r"/amp/(?P<id>[0-9]+)(?:/(?P<slug>[^/]*))?/?")
_INDEKS_PATH = re.compile(
    r"/(?:(?P<channel>[a-z0-9-]+)/)?indeks/(?P<y>[0-9]{4})/(?P<m>[0-9]{2})/(?P<d>[0-9]{2})/?"
)
_CHANNEL_PATH = re.compile(r"/(?P<channel>[a-z0-9-]+)/?")
_TAG_PATH = re.compile(r"/tag/(?P<slug>[a-z0-9-]+)/?")
HTML_TYPE = "text/html; charset=utf-8"


@dataclass
class _Response:
    """What the handler sends: status, headers, body, and how (delay, truncation)."""

    status: int
    body: bytes
    content_type: str = HTML_TYPE
    headers: list[tuple[str, str]] = field(default_factory=list)
    delay: float = 0.0
    truncate_at: int | None = None
    reset: bool = False
    """Send nothing: reset the connection (the "reset" fault)."""


def load_shared_articles(folder: Path) -> list[tuple[FakeArticle, bytes]]:
    """Saved article pages in folder, each with what newscrawl.site.extraction reads from it.

    Pages that are not articles, or lack an id, channel or publication time, are left out;
    of several files of one article the first (by name) is kept.
    """
    from newscrawl.site.extraction import NotAnArticle, extract_article  # only this mode needs it
    from newscrawl.site.urls import parse_article_url

    out: list[tuple[FakeArticle, bytes]] = []
    seen: set[str] = set()
    for path in sorted(folder.glob("*.html")) if folder.is_dir() else []:
        raw = path.read_bytes()
        if b"ReadPage" not in raw and b"NewsArticle" not in raw:
            continue
        try:
            art = extract_article(raw)
        except NotAnArticle:
            continue
        ref = parse_article_url(art.url or "")
        if (
            not (art.article_id and art.section and art.published_at and ref)
            or art.article_id in seen
        ):
            continue
        seen.add(art.article_id)
        published = art.published_at.astimezone(WIB)
        fake = FakeArticle(
            article_id=art.article_id,
            channel=art.section,
            subchannel=art.subsection,
            day=published.date(),
            slug=ref.slug or "",
            title=art.title or "",
            authors=list(art.authors),
            tags=list(art.tags),
            paragraphs=(art.body or "").split("\n\n"),
            published=published,
            modified=art.updated_at.astimezone(WIB) if art.updated_at else None,
            type=art.type if art.type in ("text", "photo", "video") else "text",  # type: ignore[arg-type]
            pages=art.page_count or 1,
            editors=list(art.editors),
            dateline=art.dateline,
        )
        out.append((fake, raw))
    return out


class _Server(ThreadingHTTPServer):
    """ThreadingHTTPServer that keeps its connections so stop() can close them."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, site: LocalSite):
        self.site = site
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request, client_address):
        """Stay quiet about clients that hang up (timeouts, truncation tests)."""
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError, OSError)):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    """Answers GET and HEAD from LocalSite.respond, with keep-alive."""

    protocol_version = "HTTP/1.1"
    server_version = "LocalLiputan6/1.0"
    sys_version = ""
    timeout = 30  # idle keep-alive connections close after this
    server: _Server

    def setup(self):
        super().setup()
        # Headers and body go out in two writes; without this, Nagle's algorithm and the
        # client's delayed ACK add 40 ms to every keep-alive response.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self):
        with self.server.connections_lock:
            self.server.connections.discard(self.connection)
        super().finish()

    def log_message(self, format, *args):
        """No access log on stderr; LocalSite.requests records every request."""

    def do_GET(self):
        self._answer(head=False)

    def _reset(self) -> None:
        """Close the connection with a TCP reset (SO_LINGER 0), no response sent."""
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        # The socket closes only once its reader is closed too; the writer holds no reference.
        self.rfile.close()
        self.connection.close()

    def do_HEAD(self):
        self._answer(head=True)

    def _answer(self, head: bool) -> None:
        resp = self.server.site.respond(self.command, self.path, self.headers)
        if resp.delay:
            time.sleep(resp.delay)
        if resp.reset:
            self._reset()
            return
        if "gzip" in (self.headers.get("Accept-Encoding") or ""):
            resp = self.server.site.compressed(resp)
        self.send_response(resp.status)
        if resp.status != 304:  # a 304 has no content, so neither its type nor its length
            self.send_header("Content-Type", resp.content_type)
            self.send_header("Content-Length", str(len(resp.body)))
        for name, value in resp.headers:
            self.send_header(name, value)
        if resp.truncate_at is not None:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if head:
            return
        if resp.truncate_at is None:
            self.wfile.write(resp.body)
        else:
            self.wfile.write(resp.body[: resp.truncate_at])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)


class LocalSite:
    """liputan6.com on 127.0.0.1: articles, channel, indeks and tag pages, faults, a request log.

    The server starts in the constructor (as http.server binds in its own); use it as a
    context manager or call stop(). Rendered pages are cached, so serving is fast.

    For crawls that come back (revisits on a schedule, conditional requests), three
    abilities, all off by default: a clock, ``now`` (the site as it was at that moment:
    later articles do not exist yet, neither as pages nor in any list), set between runs
    while the server runs; ``edit`` (a new version of an article from a given time on,
    shown on its page and in lists once the clock reaches it; ``version_at`` tells which
    one a crawl should have seen); ``validators`` (ETag and/or Last-Modified on article
    pages, and 304 Not Modified to a conditional GET whose validators still match). The
    cache keys pages by what they show (articles out, versions), not by the time.
    """

    def __init__(
        self,
        articles: Iterable[FakeArticle],
        *,
        per_page: int = 24,
        faults: Mapping[str, Fault | str] | Sequence[Fault] | None = None,
        use_shared_pages: bool = False,
        shared_dir: Path | None = None,
        channel_page_size: int = 30,
        popular_count: int = 5,
        rewrite: Callable[[str], str] | None = None,
        past_end: Literal["empty", "first", "last"] = "empty",
        theme: Theme = "2019",
        raw_pages: Mapping[str, bytes] | None = None,
        raw_content_type: str = HTML_TYPE,
        gzip: bool = False,
        list_markup: ListMarkup = "theme",
        archive_ignores_date: bool = False,
        redirect_share: float = 0.0,
        now: datetime | None = None,
        validators: Validators = "none",
    ):
        if theme not in THEMES:
            raise ValueError(f"unknown theme {theme!r}; expected one of {THEMES}")
        if validators not in VALIDATORS:
            raise ValueError(f"unknown validators {validators!r}; expected one of {VALIDATORS}")
        if list_markup not in LIST_MARKUPS:
            raise ValueError(f"unknown list markup {list_markup!r}; expected one of {LIST_MARKUPS}")
        if not 0 <= redirect_share < 1:
            raise ValueError(f"redirect_share must be in [0, 1), not {redirect_share!r}")
        self.theme = theme
        """The markup of articles and list pages (fronts, indeks, tags): "2019" (2019-2022
        desktop) or "2025" (the neoliputan6 theme the live site serves since 2025)."""
        self.list_markup = list_markup
        """"theme": list pages in the theme's markup; "redesign": in a markup no theme used
        (render_channel_page_redesign, render_indeks_page_redesign, render_tag_page_redesign)."""
        self.archive_ignores_date = archive_ignores_date
        """Every indeks date lists the newest day's articles (of the channel, or of the site
        for the site-wide indeks), as the real site-wide indeks did in 2026."""
        self.redirect_share = redirect_share
        """About this share of each channel-day's articles answer 301 to another article of
        that channel-day (``redirected``); while the target is not yet published (``now``),
        the article answers as itself."""
        self._now: datetime | None = None
        self._lists: dict[tuple, bytes] = {}  # rendered list pages; a clock move empties it
        self.now = now
        self.validators = validators
        """What article pages carry for conditional requests: "etag" (a strong ETag, the
        digest of the body), "last-modified" (the version's modified time, else its
        publication), "both", or "none"; a GET or HEAD whose If-None-Match, or else
        If-Modified-Since, matches gets 304 Not Modified (RFC 9110 §13)."""
        self._etags: dict[bytes, str] = {}
        self.per_page = per_page
        self.past_end = past_end
        """What an indeks page past the last one lists: nothing, or the items of the first
        or the last page again (the live site has done both)."""
        self.rewrite = rewrite
        """Applied to every rendered article page: a redesign of the site, say."""
        # Bytes served as they are for these article ids (malformed pages), instead of the
        # rendered article; a Mapping that makes each page when asked is fine.
        self.raw_pages: Mapping[str, bytes] = raw_pages or {}
        self.raw_content_type = raw_content_type
        self.gzip = gzip
        """Send pages gzip-compressed to a client that accepts it, as the live site does."""
        self._gzipped: dict[bytes, bytes] = {}
        self.channel_page_size = channel_page_size
        self.popular_count = popular_count
        self.faults = _faults(faults)
        self.requests = RequestLog()
        self._by_id: dict[str, FakeArticle] = {}
        for a in articles:
            if a.article_id in self._by_id:
                raise ValueError(f"duplicate article id {a.article_id}")
            self._by_id[a.article_id] = a
        self.shared_articles: list[FakeArticle] = []
        self._shared_html: dict[str, bytes] = {}
        if use_shared_pages:
            if shared_dir is None:
                raise ValueError("use_shared_pages needs shared_dir, the folder of saved pages")
            for fake, raw in load_shared_articles(shared_dir):
                if fake.article_id not in self._by_id:
                    self._by_id[fake.article_id] = fake
                    self._shared_html[fake.article_id] = raw
                    self.shared_articles.append(fake)
        self._index()
        self._cache: dict[tuple, bytes] = {}
        # Each edited article's later versions, oldest first, each in force from its modified.
        self._edits: dict[str, tuple[FakeArticle, ...]] = {}
        # How many edits were made, and the time of each, sorted: with ``now``, which are in
        # force (part of a list page's cache key). Replaced whole, after _edits, by edit().
        self._edit_times: tuple[int, list[datetime]] = (0, [])
        self._retagged: set[str] = set()  # tags some versions of an article carry, some not
        self._edit_lock = threading.Lock()
        self._fault_lock = threading.Lock()
        self._server = _Server(self)
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
            name="localsite",
        )
        self._thread.start()

    # -- set-up ------------------------------------------------------------------------

    def _index(self) -> None:
        """Newest-first lists per channel, per day and per (channel, day)."""
        newest = sorted(
            self._by_id.values(), key=lambda a: (a.published, int(a.article_id)), reverse=True
        )
        self._newest = newest
        self._by_channel: dict[str, list[FakeArticle]] = {}
        self._by_day: dict[date, list[FakeArticle]] = {}
        self._by_channel_day: dict[tuple[str, date], list[FakeArticle]] = {}
        self._by_tag: dict[str, list[FakeArticle]] = {}
        self._tag_names: dict[str, str] = {}
        for a in newest:
            for tag in a.tags:
                slug = _slugify(tag)
                self._tag_names.setdefault(slug, tag)
                tagged = self._by_tag.setdefault(slug, [])
                if not tagged or tagged[-1] is not a:
                    tagged.append(a)
            day = a.published.astimezone(WIB).date()
            self._by_channel.setdefault(a.channel, []).append(a)
            self._by_day.setdefault(day, []).append(a)
            self._by_channel_day.setdefault((a.channel, day), []).append(a)
        self._position = {
            a.article_id: i for items in self._by_channel.values() for i, a in enumerate(items)
        }
        self.channels = set(CHANNELS) | set(self._by_channel)
        self.redirected = self._redirects()
        """{article id: id of the article its page redirects to} (``redirect_share``)."""

    def _redirects(self) -> dict[str, str]:
        """Which article pages redirect, and where: in each channel-day's list (newest
        first), the article at position i answers 301 when floor((i + 1) * share) >
        floor(i * share), so exactly floor(n * share) of n articles do and the newest never
        does; the target is the nearest newer article of that list that does not redirect,
        which the crawler fetches too. Deterministic: the same articles give the same map."""
        share, out = self.redirect_share, {}
        if not share:
            return out
        for items in self._by_channel_day.values():
            for i, a in enumerate(items):
                if int((i + 1) * share) > int(i * share):
                    target = next(b for b in reversed(items[:i]) if b.article_id not in out)
                    out[a.article_id] = target.article_id
        return out

    # -- public helpers ----------------------------------------------------------------

    @property
    def now(self) -> datetime | None:
        """The moment the site is at (aware): articles published later do not exist yet.
        None: every article exists. Set it between crawls, the server running."""
        return self._now

    @now.setter
    def now(self, when: datetime | None) -> None:
        if when is not None and when.utcoffset() is None:
            raise ValueError(f"now must be timezone-aware, not {when!r}")
        if when != self._now:
            self._lists = {}  # one assignment: a page being served finishes in the old one
        self._now = when

    @property
    def articles(self) -> list[FakeArticle]:
        """Every article served at ``now``, synthetic and saved, newest first."""
        return self._out(self._newest, self._now)

    @property
    def shared_count(self) -> int:
        """How many saved real pages are served (0 when the folder is absent)."""
        return len(self.shared_articles)

    def url(self, path_or_url: str) -> str:
        """A local URL for a path, or for an absolute liputan6.com URL (host replaced)."""
        parts = urlsplit(path_or_url)
        path = parts.path or "/"
        return self.base_url + path + (f"?{parts.query}" if parts.query else "")

    def article(self, article_id: str | int) -> FakeArticle:
        """The article with this id, as shown at ``now`` (as published, before that)."""
        return self._view(self._by_id[str(article_id)], self._now)

    def version_at(self, article_id: str | int, when: datetime | None) -> FakeArticle:
        """The version of the article shown at ``when``: the last edit in force then, or the
        article as published; None: the latest version."""
        return self._view(self._by_id[str(article_id)], when)

    def edit(self, article_id: str | int, /, at: datetime, **changes: Any) -> FakeArticle:
        """Register a new version of an article, in force from ``at`` on: its latest version
        with ``changes`` (title=..., paragraphs=..., tags=...) and ``modified=at``.

        ``at`` (aware) must fall in a later second than the publication and than the latest
        version's ``modified``: Last-Modified, to the second, grows with each version. An
        edit keeps the id, channel, day and publication time. Pages served as given bytes
        (``raw_pages``, saved pages) stay as they are.
        """
        kept = sorted(changes.keys() & {"article_id", "channel", "day", "published", "modified"})
        if kept:
            raise ValueError(f"an edit cannot change {', '.join(kept)} (modified is ``at``)")
        if at.utcoffset() is None:
            raise ValueError(f"the time of an edit must be timezone-aware, not {at!r}")
        with self._edit_lock:
            original = self._by_id[str(article_id)]
            later = self._edits.get(original.article_id, ())
            latest = later[-1] if later else original
            since = max(original.published, latest.modified or original.published)
            if at.replace(microsecond=0) <= since.replace(microsecond=0):
                raise ValueError(
                    f"article {original.article_id} edited at {at.isoformat()}: an edit comes"
                    f" in a later second than the latest version ({since.isoformat()})"
                )
            version = dataclasses.replace(latest, modified=at.astimezone(WIB), **changes)
            self._retag(original, (original, *later), version)
            self._edits[original.article_id] = (*later, version)
            count, times = self._edit_times
            times = list(times)
            bisect.insort(times, at)
            self._edit_times = (count + 1, times)
        return version

    def listed(self, day: date, channel: str | None = None) -> list[FakeArticle]:
        """The articles of a WIB day (one channel or all) out at ``now``, newest first: what
        the indeks of that day lists (unless ``archive_ignores_date``: see indeks_items)."""
        return self._out(self._day_list(day, channel), self._now)

    def tagged(self, slug: str) -> list[FakeArticle]:
        """The articles the tag page /tag/{slug} lists at ``now`` (its pages in turn), newest
        first."""
        now = self._now
        return self._out(self._tag_list(slug, now), now)

    def indeks_day(self, day: date, channel: str | None = None) -> date:
        """The day whose articles the indeks of ``day`` lists: that day, or with
        ``archive_ignores_date`` the newest day with articles out at ``now`` (of the
        channel, or any)."""
        return self._indeks_day(day, channel, self._now)

    def indeks_items(self, day: date, channel: str | None = None) -> list[FakeArticle]:
        """The articles the indeks pages of ``day`` list at ``now``, newest first."""
        now = self._now
        return self._out(self._day_list(self._indeks_day(day, channel, now), channel), now)

    # -- the site at a moment ----------------------------------------------------------

    def _out(self, items: Sequence[FakeArticle], now: datetime | None) -> list[FakeArticle]:
        """The articles of a newest-first list published by ``now``, as shown then."""
        out = items[_unpublished(items, now) :]
        return [self._view(a, now) for a in out] if self._edits else list(out)

    def _view(self, a: FakeArticle, now: datetime | None) -> FakeArticle:
        """The article as the site shows it at ``now``."""
        return self._version(a, now)[1]

    def _version(self, a: FakeArticle, now: datetime | None) -> tuple[int, FakeArticle]:
        """The version of the article in force at ``now`` (None: the latest) and its number:
        0 as published, n after its n-th edit. A number always names the same version."""
        later = self._edits.get(a.article_id)
        if not later:
            return 0, a
        n = len(later) if now is None else bisect.bisect_right(later, now, key=_modified)
        return n, later[n - 1] if n else a

    def _edits_key(self, now: datetime | None) -> tuple[int, int]:
        """Which edits are in force at ``now``: how many edits were made, how many of them
        are in force (the earliest ones)."""
        count, times = self._edit_times
        return count, len(times) if now is None else bisect.bisect_right(times, now)

    def _retag(
        self, original: FakeArticle, versions: Sequence[FakeArticle], new: FakeArticle
    ) -> None:
        """Tag lists for a new version of an article: it joins the list of each tag it is
        the first version to carry; a tag some versions lack is checked per version."""
        carried = [{_slugify(t) for t in v.tags} for v in (*versions, new)]
        self._retagged.update(set.union(*carried) - set.intersection(*carried))
        before = set.union(*carried[:-1])
        for tag in new.tags:
            slug = _slugify(tag)
            if slug in before:
                continue
            before.add(slug)
            self._tag_names.setdefault(slug, tag)
            items = [*self._by_tag.get(slug, []), original]
            items.sort(key=lambda a: (a.published, int(a.article_id)), reverse=True)
            self._by_tag[slug] = items

    def _day_list(self, day: date, channel: str | None) -> list[FakeArticle]:
        """Every article of a WIB day (one channel or all), newest first, out or not."""
        if channel:
            return self._by_channel_day.get((channel, day), [])
        return self._by_day.get(day, [])

    def _tag_list(self, slug: str, now: datetime | None) -> list[FakeArticle]:
        """Every article carrying the tag at ``now``, newest first, out or not."""
        items = self._by_tag.get(slug, [])
        if slug not in self._retagged:
            return items
        return [
            a
            for a in items
            if a.article_id not in self._edits
            or slug in {_slugify(t) for t in self._view(a, now).tags}
        ]

    def _indeks_day(self, day: date, channel: str | None, now: datetime | None) -> date:
        """indeks_day at ``now``."""
        if not self.archive_ignores_date:
            return day
        items = self._by_channel.get(channel, []) if channel else self._newest
        first = _unpublished(items, now)
        return items[first].published.astimezone(WIB).date() if first < len(items) else day

    def stop(self) -> None:
        """Stop serving and close open connections."""
        self._server.shutdown()
        with self._server.connections_lock:
            for conn in list(self._server.connections):
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LocalSite:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- answering ---------------------------------------------------------------------

    def respond(
        self, method: str, raw_path: str, headers: Mapping[str, str] | None = None
    ) -> _Response:
        """The response to one request, faults first; the request is recorded. ``headers``
        (the request's) make a conditional request of an article page a 304."""
        parts = urlsplit(raw_path)
        path = parts.path or "/"
        full = path + (f"?{parts.query}" if parts.query else "")
        now = self._now  # read once: the whole answer is of one moment
        fault = self._take_fault(full)
        resp = (
            self._fault_response(fault, path, parts.query, now)
            if fault
            else self._route(path, parts.query, now)
        )
        if (
            headers
            and self.validators != "none"
            and method in ("GET", "HEAD")
            and resp.status == 200
            and resp.truncate_at is None
        ):
            resp = _not_modified(resp, headers) or resp
        self.requests.add(Request(method, full, resp.status))
        return resp

    def compressed(self, resp: _Response) -> _Response:
        """The response gzip-compressed when the site sends gzip (``gzip=True``) and the
        page is whole; cached, so serving stays fast. A 304 has no body, only the Vary."""
        if not self.gzip or resp.truncate_at is not None:
            return resp
        if resp.status == 304:
            return dataclasses.replace(resp, headers=[*resp.headers, ("Vary", "Accept-Encoding")])
        if resp.status != 200:
            return resp
        body = self._gzipped.get(resp.body)
        if body is None:
            body = gzip_module.compress(resp.body, 6, mtime=0)
            self._gzipped[resp.body] = body
        headers = [*resp.headers, ("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
        return dataclasses.replace(resp, body=body, headers=headers)

    def _take_fault(self, full_path: str) -> Fault | None:
        """The first matching fault with uses left, its use counted."""
        with self._fault_lock:
            for fault in self.faults:
                if fault.matches(full_path) and (fault.times is None or fault.served < fault.times):
                    fault.served += 1
                    return fault
        return None

    def _fault_response(
        self, fault: Fault, path: str, query: str, now: datetime | None
    ) -> _Response:
        """The response a fault asks for."""
        kind = fault.kind
        if kind == "404":
            return _Response(404, _error_page(404, "Not Found").encode())
        if kind == "500":
            return _Response(500, _error_page(500, "Internal Server Error").encode())
        if kind == "429":
            resp = _Response(429, _error_page(429, "Too Many Requests").encode())
            resp.headers.append(("Retry-After", str(fault.retry_after)))
            return resp
        if kind == "block":
            return _Response(fault.status or 200, render_block_page(path).encode())
        if kind == "challenge":
            headers = [
                ("Server", "cloudflare"),
                ("cf-mitigated", "challenge"),
                ("Cache-Control", "private, max-age=0, no-store, no-cache, must-revalidate"),
            ]
            body = render_challenge_page(path).encode()
            return _Response(fault.status or 503, body, headers=headers)
        if kind == "reset":
            return _Response(0, b"", reset=True)
        if kind == "redirect":
            location = fault.location
            if not location:
                match = _ARTICLE_PATH.fullmatch(path)
                location = f"/amp/{match['id']}/{match['slug'] or ''}" if match else "/"
            if location.startswith("/"):
                location = self.base_url + location
            resp = _Response(fault.status or 301, b"")
            resp.headers.append(("Location", location))
            return resp
        if kind == "empty":
            return self._route(path, query, now, empty=True)
        resp = self._route(path, query, now)
        if kind == "slow":
            resp.delay = fault.delay
        elif kind == "truncated":
            body = resp.body
            start = body.find(b"article-content-body__item-content")
            start = len(body) // 3 if start < 0 else start
            resp.truncate_at = min(len(body) - 1, start + (len(body) - start) // 3)
        return resp

    def _route(
        self, path: str, query: str, now: datetime | None, *, empty: bool = False
    ) -> _Response:
        """The normal answer for a path at ``now``; ``empty`` lists no items (the "empty"
        fault)."""
        page = _page_number(query)
        if path == "/robots.txt":
            return _Response(200, ROBOTS_TXT.encode(), "text/plain; charset=utf-8")
        match = _ARTICLE_PATH.fullmatch(path)
        if match and not empty and match["id"] in self.redirected:
            source = self._by_id[match["id"]]
            target = self._by_id[self.redirected[match["id"]]]
            if _is_out(source, now) and _is_out(target, now):
                location = self.base_url + self._view(target, now).path
                return _Response(301, b"", headers=[("Location", location)])
        match = match or _AMP_PATH.fullmatch(path)
        if match:
            if empty:
                return _Response(200, b"")
            has_page = "page" in parse_qs(query)
            return self._article(match["id"], page if has_page else None, now)
        match = _INDEKS_PATH.fullmatch(path)
        if match:
            channel = match["channel"]
            try:
                day = date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                return self._not_found()
            if channel and channel not in self.channels:
                return self._not_found()
            return self._indeks(channel, day, page, empty, now)
        match = _CHANNEL_PATH.fullmatch(path)
        if match and match["channel"] in self.channels:
            return self._channel(match["channel"], empty, now)
        match = _TAG_PATH.fullmatch(path)
        if match:
            tagged = self._tag_list(match["slug"], now)
            if empty or _unpublished(tagged, now) < len(tagged):
                return self._tag(match["slug"], page, empty, tagged, now)
        return _Response(200, b"") if empty else self._not_found()

    def _not_found(self) -> _Response:
        return _Response(404, self._cached(("404",), lambda: _error_page(404, "Not Found")))

    def _cached(self, key: tuple, render, cache: dict[tuple, bytes] | None = None) -> bytes:
        """A rendered page from the cache (``_cache``, or the given one), rendering it the
        first time."""
        cache = self._cache if cache is None else cache
        body = cache.get(key)
        if body is None:
            body = cache.setdefault(key, render().encode("utf-8"))
        return body

    def _article(self, article_id: str, page: int | None, now: datetime | None) -> _Response:
        """An article page at ``now``; with split pages, ``?page=N`` is page N."""
        a = self._by_id.get(article_id)
        if a is None or not _is_out(a, now):
            return self._not_found()
        version, shown = self._version(a, now)
        raw = self._shared_html.get(article_id)
        if raw is not None:
            return self._validated(_Response(200, raw), shown)
        raw = self.raw_pages.get(article_id)
        if raw is not None:
            return self._validated(_Response(200, raw, self.raw_content_type), shown)
        number = (page or 1) if shown.split_pages and shown.pages > 1 else None
        if number is not None and not 1 <= number <= shown.pages:
            return self._not_found()
        # Older articles of the channel, so out whenever this one is; shown as at now.
        related = [self._version(r, now) for r in self._related(a)]
        key = ("read", article_id, number, version, tuple(n for n, _ in related))
        body = self._cached(
            key,
            lambda: (self.rewrite or str)(
                self._render_article(shown, number, related=[r for _, r in related])
            ),
        )
        return self._validated(_Response(200, body), shown)

    def _validated(self, resp: _Response, shown: FakeArticle) -> _Response:
        """An article page with the validators the site sends (``validators``)."""
        if self.validators in ("etag", "both"):
            etag = self._etags.get(resp.body)
            if etag is None:
                digest = hashlib.blake2b(resp.body, digest_size=16).hexdigest()
                etag = self._etags.setdefault(resp.body, f'"{digest}"')
            resp.headers.append(("ETag", etag))
        if self.validators in ("last-modified", "both"):
            changed = (shown.modified or shown.published).astimezone(UTC)
            stamp = email.utils.format_datetime(changed, usegmt=True)
            resp.headers.append(("Last-Modified", stamp))
        return resp

    @property
    def _render_article(self):
        return render_article_2025 if self.theme == "2025" else render_article

    @property
    def _render_channel_page(self):
        if self.list_markup == "redesign":
            return render_channel_page_redesign
        return render_channel_page_2025 if self.theme == "2025" else render_channel_page

    @property
    def _render_indeks_page(self):
        if self.list_markup == "redesign":
            return render_indeks_page_redesign
        return render_indeks_page_2025 if self.theme == "2025" else render_indeks_page

    @property
    def _render_tag_page(self):
        if self.list_markup == "redesign":
            return render_tag_page_redesign
        return render_tag_page_2025 if self.theme == "2025" else render_tag_page

    def _related(self, a: FakeArticle) -> list[FakeArticle]:
        """The two articles before this one in its channel (the "Baca Juga" box)."""
        items, i = self._by_channel.get(a.channel, []), self._position.get(a.article_id, 0)
        return items[i + 1 : i + 3]

    # A list page's cache key holds how many articles of its list are out at ``now``
    # (they are the list's tail) and the edits in force, so a page rendered at another
    # moment is served again only where it reads the same. List pages have their own
    # cache, emptied when the clock moves: they change with nearly every move, so keeping
    # the old ones would only grow the cache run after run.

    def _channel(self, channel: str, empty: bool, now: datetime | None) -> _Response:
        front = [] if empty else self._by_channel.get(channel, [])
        first = _unpublished(front, now)
        items = front[first : first + self.channel_page_size]
        return _Response(
            200,
            self._cached(
                ("channel", channel, empty, len(front) - first, self._edits_key(now)),
                lambda: self._render_channel_page(channel, [self._view(a, now) for a in items]),
                self._lists,
            ),
        )

    def _indeks(
        self, channel: str | None, day: date, page: int, empty: bool, now: datetime | None
    ) -> _Response:
        shown = self._indeks_day(day, channel, now)
        listed = [] if empty else self._day_list(shown, channel)
        first = _unpublished(listed, now)
        count = len(listed) - first
        start = (page - 1) * self.per_page
        if count and start >= count and self.past_end != "empty":
            last = (count - 1) // self.per_page * self.per_page
            start = 0 if self.past_end == "first" else last
        items = listed[first + start : first + start + self.per_page]
        has_next = count > start + self.per_page
        newest = _unpublished(self._newest, now)

        def render() -> str:
            # The sidebar lists the site's newest articles of other days: links a crawler
            # must not take for the day's list.
            out = itertools.islice(self._newest, newest, None)
            others = (a for a in out if a.published.astimezone(WIB).date() != shown)
            popular = [self._view(a, now) for a in itertools.islice(others, self.popular_count)]
            views = [self._view(a, now) for a in items]
            return self._render_indeks_page(channel, day, views, page, has_next, popular=popular)

        key = ("indeks", channel, day, page, empty, shown, count, len(self._newest) - newest)
        return _Response(200, self._cached((*key, self._edits_key(now)), render, self._lists))

    def _tag(
        self,
        slug: str,
        page: int,
        empty: bool,
        tagged: list[FakeArticle],
        now: datetime | None,
    ) -> _Response:
        tagged = [] if empty else tagged
        first = _unpublished(tagged, now)
        count = len(tagged) - first
        start = (page - 1) * self.per_page
        items = tagged[first + start : first + start + self.per_page]
        has_next = count > start + self.per_page
        name = self._tag_names.get(slug, slug)
        return _Response(
            200,
            self._cached(
                ("tag", slug, page, empty, count, self._edits_key(now)),
                lambda: self._render_tag_page(
                    name, slug, [self._view(a, now) for a in items], page, has_next
                ),
                self._lists,
            ),
        )


def _unpublished(items: Sequence[FakeArticle], now: datetime | None) -> int:
    """How many articles of a newest-first list are published after ``now`` (they lead it)."""
    if now is None:
        return 0
    return bisect.bisect_left(items, True, key=lambda a: a.published <= now)


def _modified(a: FakeArticle) -> datetime | None:
    """An article's modified time (the start of an edited version)."""
    return a.modified


def _is_out(a: FakeArticle, now: datetime | None) -> bool:
    """Whether the article is published at ``now`` (None: always)."""
    return now is None or a.published <= now


def _not_modified(resp: _Response, request: Mapping[str, str]) -> _Response | None:
    """The 304 answer to a conditional request of a page whose validators still match,
    else None (RFC 9110 §13.1.2-3): If-None-Match when the request has one (any listed
    tag, weakly compared, or "*"), else If-Modified-Since at or after Last-Modified."""
    sent = dict(resp.headers)
    asked = {name.lower(): value for name, value in request.items()}
    if "if-none-match" in asked:
        tags = {tag.strip().removeprefix("W/") for tag in asked["if-none-match"].split(",")}
        fresh = "*" in tags or sent.get("ETag") in tags
    else:
        since = _http_date(asked.get("if-modified-since"))
        changed = _http_date(sent.get("Last-Modified"))
        fresh = since is not None and changed is not None and since >= changed
    return dataclasses.replace(resp, status=304, body=b"") if fresh else None


def _http_date(value: str | None) -> datetime | None:
    """An HTTP-date as an aware datetime; None when absent or not a date (then ignored)."""
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _page_number(query: str) -> int:
    """?page=N as an int; 1 when absent or invalid."""
    values = parse_qs(query).get("page")
    if values and values[0].isdigit() and int(values[0]) >= 1:
        return int(values[0])
    return 1


def _faults(faults: Mapping[str, Fault | str] | Sequence[Fault] | None) -> list[Fault]:
    """Faults as a list; a mapping's key is the path prefix, its value a Fault or a kind."""
    if not faults:
        return []
    if isinstance(faults, Mapping):
        out = []
        for path, value in faults.items():
            if not isinstance(value, Fault):
                value = Fault(path, value)  # type: ignore[arg-type]
            elif value.path_prefix != path:
                value = dataclasses.replace(value, path_prefix=path, served=0)
            out.append(value)
        return out
    return list(faults)
