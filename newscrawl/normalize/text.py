"""Small pure text helpers shared by extraction and the item loader."""

from __future__ import annotations

import html
import re

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def clean_text(text: str | None) -> str | None:
    """Unescape entities, drop zero-width characters and collapse whitespace; None when empty."""
    if text is None:
        return None
    if "&" in text:
        text = html.unescape(text)
    if not text.isascii():  # zero-width characters are not ASCII (isascii() costs nothing)
        text = text.translate(_ZERO_WIDTH)
    # str.split() splits on every Unicode space (\xa0 too) and is faster than a regex here.
    text = " ".join(text.split())
    return text or None


def split_list(text: str | None, sep: str) -> list[str]:
    """Split a separated list ("a|b|c") into cleaned, non-empty items."""
    if not text:
        return []
    return [item for item in (clean_text(part) for part in text.split(sep)) if item]


def unique(values) -> list:
    """Keep the first of each value (case-insensitive for strings), in order."""
    seen: set = set()
    out = []
    for value in values:
        if value is None:
            continue
        key = value.casefold() if isinstance(value, str) else value
        if key in seen:
            continue
        seen.add(key)
        out.append(value)
    return out


def slugify(text: str | None) -> str | None:
    """Lower-case hyphenated slug, as Liputan6 writes channel slugs."""
    text = clean_text(text)
    if not text:
        return None
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or None


# C0 control characters but tab and newline, and DEL: never text a page means to show.
_CONTROL = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), 127])
_SCRIPT = re.compile(r"<(script|style)\b.*?(</\1\s*>|$)", re.I | re.S)
TAG = re.compile(r"</?[a-zA-Z][^<>]*>")


def without_controls(text: str) -> str:
    """The text without control characters (NUL and the like)."""
    return text.translate(_CONTROL)


def without_markup(text: str) -> str:
    """The text without HTML tags, and without what a script or style element held."""
    return " ".join(TAG.sub(" ", _SCRIPT.sub(" ", text)).split())
