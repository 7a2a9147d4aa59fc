"""Recognise Liputan6 article URLs in all their shapes and build the canonical one."""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import urlsplit

from w3lib.url import add_http_if_no_scheme

CANONICAL_BASE = "https://www.liputan6.com"

_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*liputan6\.com")
# Sub-domain labels that are a platform, not a channel: the channel is then in the path.
_PLATFORM_LABELS = frozenset({"www", "m", "opera", "enamplus", "staging", "amp"})
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
    """What an article URL says: the global id, the channel (None for AMP) and the slug."""

    article_id: str
    channel: str | None
    slug: str | None


def is_liputan6_host(host: str) -> bool:
    """True for liputan6.com and its sub-domains; false for look-alikes (liputan6.com.evil.org)."""
    if not host:
        return False
    host = host.strip().lower().rstrip(".")
    host = host.rsplit("@", 1)[-1].split(":", 1)[0]
    return _HOST.fullmatch(host) is not None


def _subdomain_channel(host: str) -> str | None:
    """The channel named by an old-style sub-domain (news.liputan6.com → "news"), else None."""
    labels = host[: -len("liputan6.com")].rstrip(".").split(".") if host != "liputan6.com" else []
    channels = [label for label in labels if label and label not in _PLATFORM_LABELS]
    return channels[0] if len(channels) == 1 else None


def parse_article_url(url: str) -> ArticleRef | None:
    """The article a Liputan6 URL points at, from any known shape; None for other pages."""
    if not url or not isinstance(url, str):
        return None
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
        channel = (match["channel"] or "").lower() or _subdomain_channel(host)
        if channel in ("amp", "read"):
            return None
    else:
        match = _AMP_PATH.fullmatch(path)
        if not match:
            return None
        channel = _subdomain_channel(host)
    return ArticleRef(match["id"], channel or None, match["slug"] or None)


def _channel_hint(channel: str | None) -> str | None:
    """A channel slug from a hint such as "News" or a full slug "bisnis/ekonomi"."""
    if not channel:
        return None
    first = channel.strip().strip("/").split("/", 1)[0].lower()
    return first if _CHANNEL.fullmatch(first) else None


def canonical_url(url: str, *, channel: str | None = None) -> str | None:
    """https://www.liputan6.com/{channel}/read/{id}/{slug}; None if not an article or no channel.

    The URL's own channel wins; `channel` fills in for AMP URLs, which name none.
    """
    ref = parse_article_url(url)
    if ref is None:
        return None
    channel = ref.channel or _channel_hint(channel)
    if not channel:
        return None
    base = f"{CANONICAL_BASE}/{channel}/read/{ref.article_id}"
    return f"{base}/{ref.slug}" if ref.slug else base


def article_id_from_url(url: str) -> str | None:
    """The numeric article id of a Liputan6 article URL, as a string; None otherwise."""
    ref = parse_article_url(url)
    return ref.article_id if ref else None
