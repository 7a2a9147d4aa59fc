"""Recognise Liputan6 article URLs in all their shapes, and say which URL an article is stored
under: the www form where the evidence documents a host's www form, else the URL as stated."""

from __future__ import annotations

import functools
import re
from typing import NamedTuple
from urllib.parse import urlsplit

from w3lib.url import add_http_if_no_scheme

CANONICAL_BASE = "https://www.liputan6.com"

_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*liputan6\.com")
# Sub-domain labels that are a platform, not a channel: the channel is then in the path.
_PLATFORM_LABELS = frozenset({"www", "m", "opera", "enamplus", "staging", "amp"})
# Hosts that serve www's own paths: m. pages name the www URL as their canonical
# (SITE.md §2.1; html/orca_m_*_read_*), the bare domain is the site itself.
_WWW_PATH_HOSTS = frozenset({"www.liputan6.com", "liputan6.com", "m.liputan6.com"})
# Channels the evidence shows at www.liputan6.com/{channel}/read/ (or m., whose canonical is
# www): the 2020 navigation (SITE.md §2.2), hot/surabaya/jatim/pemilu/islami/tv in 2024
# (html/home_mobile_2024-02_*), jateng on m. in 2022 (html/article_mobile_showbiz_ndarboy_*).
# An old sub-domain {channel}.liputan6.com/read/{ID} of one of these is stored as
# www/{channel}/read/{ID}; the hot pages of 2021-2022 state both forms of themselves.
# photo and video are left out: their sub-domains had another shape (below), with no
# documented www form.
WWW_CHANNELS = frozenset(
    {
        "news", "bisnis", "bola", "showbiz", "tekno", "health", "lifestyle", "global",
        "regional", "citizen6", "cek-fakta", "otomotif", "pilkada", "properti", "ramadan",
        "hot", "surabaya", "jatim", "jateng", "disabilitas", "on-off", "tv", "saham",
        "crypto", "islami", "pemilu", "opini",
    }
)  # fmt: skip
# Photo and video galleries of the sub-domain era (2016): /{sub-channel}/{slug}-{ID}, no /read/.
_GALLERY_HOSTS = {"photo.liputan6.com": "photo", "video.liputan6.com": "video"}
_GALLERY_PATH = re.compile(
    r"/(?P<sub>[a-z0-9][a-z0-9-]*)/(?P<slug>[a-z0-9][a-z0-9-]*?)-+(?P<id>[0-9]+)/?",
    re.IGNORECASE,
)
# First path segments of those hosts that are lists, not sub-channels.
_GALLERY_NOT_SUB = frozenset({"tag", "indeks", "kategori", "me", "info", "search", "livestreaming"})
_CHANNEL = re.compile(r"[a-z0-9][a-z0-9-]*")
# {id} is ASCII digits only (re's \d also matches other scripts' digits).
_READ_PATH = re.compile(
    r"/(?:(?P<channel>[A-Za-z0-9][A-Za-z0-9-]*)/)?read/(?P<id>[0-9]+)(?:/(?P<slug>[^/]*))?/?",
    re.IGNORECASE,
)
_AMP_PATH = re.compile(r"/amp/(?P<id>[0-9]+)(?:/(?P<slug>[^/]*))?/?", re.IGNORECASE)
# Liputan6 slugs never hold these; shared links glue junk on with them ("…-tersendat&media=…").
_PATH_JUNK = re.compile(r"[&;].*", re.DOTALL)


class ArticleRef(NamedTuple):
    """What an article URL says: the global id, the channel (None for AMP), the slug, and
    the sub-channel where the URL names one (berita.liputan6.com/peristiwa/read/…)."""

    article_id: str
    channel: str | None
    slug: str | None
    subchannel: str | None = None


class _Parsed(NamedTuple):
    """An article URL taken apart: what it says, its host and path, and its shape."""

    ref: ArticleRef
    host: str
    path: str
    shape: str  # "read", "amp" or "gallery"


def is_liputan6_host(host: str) -> bool:
    """True for liputan6.com and its sub-domains; false for look-alikes (liputan6.com.evil.org)."""
    if not host:
        return False
    host = host.strip().lower().rstrip(".")
    host = host.rsplit("@", 1)[-1].split(":", 1)[0]
    return _HOST.fullmatch(host) is not None


def _subdomain_channel(host: str) -> str | None:
    """The channel a sub-domain names (news.liputan6.com → "news"), else None."""
    labels = host[: -len("liputan6.com")].rstrip(".").split(".") if host != "liputan6.com" else []
    channels = [label for label in labels if label and label not in _PLATFORM_LABELS]
    return channels[0] if len(channels) == 1 else None


def _parse(url: str) -> _Parsed | None:
    """An article URL of any known shape taken apart; None for other pages and sites."""
    if not url or not isinstance(url, str):
        return None
    return _parse_text(url)


# Extraction asks about the same few URLs of one page several times; the answer is pure.
# A small cache: it serves one page's questions, not a benchmark's repeated pages.
@functools.lru_cache(maxsize=16)
def _parse_text(url: str) -> _Parsed | None:
    """_parse of a non-empty string."""
    try:
        parts = urlsplit(add_http_if_no_scheme(url.strip()))
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host or not is_liputan6_host(host):
        return None
    host = host.lower().rstrip(".")
    path = _PATH_JUNK.sub("", parts.path)

    match = _READ_PATH.fullmatch(path)
    if match:
        segment = (match["channel"] or "").lower() or None
        if segment in ("amp", "read"):
            return None
        label = _subdomain_channel(host)
        if label and segment:
            # A channel host with sections of its own: berita.liputan6.com/peristiwa/read/…
            ref = ArticleRef(match["id"], label, match["slug"] or None, segment)
        else:
            ref = ArticleRef(match["id"], segment or label, match["slug"] or None)
        return _Parsed(ref, host, path, "read")
    match = _AMP_PATH.fullmatch(path)
    if match:
        ref = ArticleRef(match["id"], _subdomain_channel(host), match["slug"] or None)
        return _Parsed(ref, host, path, "amp")
    match = _GALLERY_PATH.fullmatch(path) if host in _GALLERY_HOSTS else None
    if match and match["sub"].lower() not in _GALLERY_NOT_SUB:
        ref = ArticleRef(match["id"], _GALLERY_HOSTS[host], match["slug"], match["sub"].lower())
        return _Parsed(ref, host, path, "gallery")
    return None


def parse_article_url(url: str) -> ArticleRef | None:
    """The article a Liputan6 URL points at, from any known shape; None for other pages."""
    parsed = _parse(url)
    return parsed.ref if parsed else None


def _channel_hint(channel: str | None) -> str | None:
    """A channel slug from a hint such as "News" or a full slug "bisnis/ekonomi"."""
    if not channel:
        return None
    first = channel.strip().strip("/").split("/", 1)[0].lower()
    return first if _CHANNEL.fullmatch(first) else None


def has_www_form(url: str) -> bool:
    """True when the evidence documents where this article URL lives on www.liputan6.com."""
    parsed = _parse(url)
    if parsed is None or parsed.shape == "gallery":
        return False
    if parsed.host in _WWW_PATH_HOSTS:
        return True
    # An old channel sub-domain, {channel}.liputan6.com/read/{ID}/{slug}.
    ref = parsed.ref
    return (
        parsed.shape == "read"
        and ref.subchannel is None
        and ref.channel in WWW_CHANNELS
        and parsed.host == f"{ref.channel}.liputan6.com"
    )


def www_url(article_id: str, channel: str, slug: str | None = None) -> str:
    """https://www.liputan6.com/{channel}/read/{id}/{slug}."""
    base = f"{CANONICAL_BASE}/{channel}/read/{article_id}"
    return f"{base}/{slug}" if slug else base


def canonical_url(url: str, *, channel: str | None = None) -> str | None:
    """The URL an article is stored under; None if not an article (or AMP with no channel).

    Where the www form of the URL's host is documented (see has_www_form):
    https://www.liputan6.com/{channel}/read/{id}/{slug}, the URL's own channel winning over
    `channel`, which fills in for AMP URLs. Any other host keeps the URL as stated, with
    only https, a lower-case host, no port, query, fragment or trailing slash.
    """
    parsed = _parse(url)
    if parsed is None:
        return None
    if not has_www_form(url):
        return f"https://{parsed.host}{parsed.path.rstrip('/')}"
    ref = parsed.ref
    channel = ref.channel or _channel_hint(channel)
    return www_url(ref.article_id, channel, ref.slug) if channel else None


def type_from_url(ref: ArticleRef) -> str | None:
    """ "photo" or "video" when the URL says so (a foto-/video- slug, the photo./video. hosts
    of 2016), else None: the URL does not tell a text article from the others."""
    slug = ref.slug or ""
    if slug.startswith("foto-") or ref.channel == "photo":
        return "photo"
    if slug.startswith("video-") or ref.channel == "video":
        return "video"
    return None


def article_id_from_url(url: str) -> str | None:
    """The numeric article id of a Liputan6 article URL, as a string; None otherwise."""
    ref = parse_article_url(url)
    return ref.article_id if ref else None
