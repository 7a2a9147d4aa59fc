"""Every newscrawl setting checked when a crawl starts, before the store or any request.

SPECS is one table: for each setting newscrawl/settings.py defines or newscrawl's code reads,
how it is read (Scrapy's own getters) and what it must be. A wrong value, from `-s`, the
environment or settings.py, is one line naming the setting, the value given and what is
expected, and `scrapy crawl` exits 2 with it (newscrawl.commands.crawl):

    NEWSCRAWL_QUALITY_FLOOR='abc': expected a share between 0 and 1, such as 0.9
"""

from __future__ import annotations

import codecs
import difflib
import json
import logging
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from scrapy.settings import BaseSettings

from newscrawl.items import ARTICLE_FIELDS
from newscrawl.schedule import parse_budget, parse_schedule
from newscrawl.site.extraction import SOURCED_FIELDS

PREFIX = "NEWSCRAWL_"


class SettingError(ValueError):
    """A setting newscrawl cannot use; the message is one line naming it and what it needs."""


class Wrong(ValueError):
    """What exactly is wrong with a value, beyond not being what is expected."""


@dataclass(frozen=True)
class Spec:
    """How one setting is read and what it must be."""

    expected: str
    """What a good value looks like, said in the message."""
    read: Callable[[BaseSettings, str], Any]
    """Reads the value: ValueError or TypeError when it cannot be read (Wrong says why)."""
    ok: Callable[[Any], bool] = lambda value: True
    """Whether the value read is in range."""
    unset: bool = False
    """Unset or empty is allowed: the setting is off or the code's default applies."""
    secret: bool = False
    """The value may hold a password: shown masked."""


# ---- readers: Scrapy's getters, and a little more where they accept nonsense ----------------


def _parsed_by(parse: Callable[[Any], Any]) -> Callable[[BaseSettings, str], Any]:
    """A reader that parses the value as the code using it does (Wrong says what is wrong)."""

    def read(settings: BaseSettings, name: str) -> Any:
        try:
            return parse(settings.get(name))
        except ValueError as exc:
            raise Wrong(str(exc)) from None

    return read


def _whole(settings: BaseSettings, name: str) -> int:
    """getint, but 2.5 or True is not a whole number."""
    raw = settings.get(name)
    if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
        raise ValueError(raw)
    return settings.getint(name)


def _number(settings: BaseSettings, name: str) -> float:
    """getfloat, finite (no nan, no inf)."""
    if isinstance(settings.get(name), bool):
        raise ValueError(name)
    value = settings.getfloat(name)
    if not math.isfinite(value):
        raise ValueError(value)
    return value


def _flag(settings: BaseSettings, name: str) -> bool:
    return settings.getbool(name)


def _text(settings: BaseSettings, name: str) -> str:
    value = settings.get(name)
    if not isinstance(value, str) or not value.strip():
        raise TypeError(value)
    return value


def _url(settings: BaseSettings, name: str) -> str:
    parts = urlsplit(_text(settings, name))
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
        raise ValueError(parts)
    return parts.geturl()


def _mongo_uri(settings: BaseSettings, name: str) -> str:
    uri = _text(settings, name)
    scheme, sep, rest = uri.partition("://")
    if scheme not in ("mongodb", "mongodb+srv") or not sep or not rest.rpartition("@")[2]:
        raise ValueError(name)
    return uri


def _store_uri(settings: BaseSettings, name: str) -> str:
    """A URI whose scheme names a store, well formed for it, and not contradicting MONGO_URI."""
    from newscrawl.store.uri import StoreURIError, check_uri, mask_uri

    uri = _text(settings, name)
    try:
        check_uri(uri)
    except StoreURIError as exc:
        raise Wrong(str(exc)) from None
    older = settings.get("MONGO_URI")
    if older and older != uri:
        raise Wrong(
            f"MONGO_URI={mask_uri(older)!r} is set too and differs; set only {name} "
            "(MONGO_URI is its older name)"
        )
    return uri


def _log_level(settings: BaseSettings, name: str) -> str | int:
    value = settings.get(name)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if _text(settings, name) not in logging.getLevelNamesMapping():
        raise ValueError(value)
    return value


def _encoding(settings: BaseSettings, name: str) -> str:
    try:
        return codecs.lookup(_text(settings, name)).name
    except LookupError:
        raise ValueError(name) from None


def _names(settings: BaseSettings, name: str) -> list[str]:
    """getlist of non-empty names."""
    names = settings.getlist(name)
    if not names or not all(isinstance(n, str) and n.strip() for n in names):
        raise ValueError(names)
    return names


def _http_codes(settings: BaseSettings, name: str) -> list[int]:
    codes = [int(code) for code in settings.getlist(name)]
    wrong = [code for code in codes if not 100 <= code <= 599]
    if wrong:
        raise Wrong(f"{wrong[0]} is not an HTTP status")
    return codes


def _article_fields(settings: BaseSettings, name: str) -> list[str]:
    fields = settings.getlist(name)
    for field in fields:
        if field not in ARTICLE_FIELDS:
            raise Wrong(f"{field!r} is not an article field")
    return fields


def _json_dict(settings: BaseSettings, name: str) -> dict:
    """getdict, but text must be a JSON object: getdict takes "[]" for {} too."""
    value = settings.get(name)
    if isinstance(value, str) and not isinstance(json.loads(value), dict):
        raise ValueError(value)
    return settings.getdict(name)


def _field_shares(settings: BaseSettings, name: str) -> dict[str, float]:
    """A JSON object of {field coverage counts: share 0..1}."""
    shares = _json_dict(settings, name)
    for field, share in shares.items():
        if field not in SOURCED_FIELDS:
            raise Wrong(f"{field!r} is not a field whose coverage is counted")
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share <= 1:
            raise Wrong(f"{field}: {share!r} is not a share between 0 and 1")
    return shares


def _class_path(settings: BaseSettings, name: str) -> str:
    """A dotted path such as package.module.Class (or the class itself)."""
    value = settings.get(name)
    if isinstance(value, type):
        return value
    if not re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)+", _text(settings, name)):
        raise ValueError(value)
    return value


def _components(settings: BaseSettings, name: str) -> dict:
    """A JSON object of {class path: order number, or None for off}, as Scrapy takes them."""
    components = _json_dict(settings, name)
    for path, order in components.items():
        if not (isinstance(path, type) or (isinstance(path, str) and path.strip())):
            raise Wrong(f"{path!r} is not a class path")
        if order is not None and (isinstance(order, bool) or not isinstance(order, int | float)):
            raise Wrong(f"{path}: {order!r} is not an order number")
    return components


def _exporters(settings: BaseSettings, name: str) -> dict:
    exporters = _json_dict(settings, name)
    for path in exporters.values():
        if not (isinstance(path, type) or (isinstance(path, str) and path.strip())):
            raise Wrong(f"{path!r} is not a class path")
    return exporters


# ---- the kinds of setting -------------------------------------------------------------------


def whole(minimum: int = 0, *, no_limit: bool = False) -> Spec:
    """A whole number from `minimum` on; with no_limit, -1 too."""
    more = f"{minimum} or more" + (", or -1 for no limit" if no_limit else "")
    return Spec(f"a whole number, {more}", _whole, lambda v: v >= minimum or (no_limit and v == -1))


def seconds(*, zero: str | None = None) -> Spec:
    """A number of seconds above 0; or 0 and more when 0 means something (said in `zero`)."""
    if zero is None:
        return Spec("a number of seconds above 0, such as 30", _number, lambda v: v > 0)
    return Spec(f"a number of seconds, 0 or more (0: {zero})", _number, lambda v: v >= 0)


def text(*, unset: bool = False) -> Spec:
    return Spec("a text" + (", or nothing" if unset else ""), _text, unset=unset)


FLAG = Spec("1 or 0 (or true or false)", _flag)
SHARE = Spec("a share between 0 and 1, such as 0.9", _number, lambda v: 0 <= v <= 1)
FIELD_SHARES = Spec(
    'JSON such as {"authors": 0.5}: a share between 0 and 1 for any of '
    + ", ".join(SOURCED_FIELDS),
    _field_shares,
)
COMPONENTS = Spec(
    'JSON such as {"package.module.Class": 100}: a class path and its order (null: off)',
    _components,
)

SPECS: dict[str, Spec] = {
    # Scrapy's project: which code runs.
    "BOT_NAME": text(),
    "COMMANDS_MODULE": text(),
    "SPIDER_MODULES": Spec("module names separated by commas", _names),
    "NEWSPIDER_MODULE": text(),
    "SPIDER_CONTRACTS": COMPONENTS,
    "EXTENSIONS": COMPONENTS,
    "ITEM_PIPELINES": COMPONENTS,
    "DOWNLOADER_MIDDLEWARES": COMPONENTS,
    "SCHEDULER": Spec("a class path such as package.module.Class", _class_path),
    "FEED_EXPORTERS": Spec('JSON such as {"jsonl": "package.module.Exporter"}', _exporters),
    "FEED_EXPORT_ENCODING": Spec("an encoding such as utf-8, or nothing", _encoding, unset=True),
    # The site and how politely it is crawled.
    "LIPUTAN6_BASE_URL": Spec("an http(s) URL such as https://www.liputan6.com", _url),
    "NEWSCRAWL_CONTACT": text(),
    "USER_AGENT": text(),
    "ROBOTSTXT_OBEY": FLAG,
    "CONCURRENT_REQUESTS": whole(1),
    "CONCURRENT_ITEMS": whole(1),
    "CONCURRENT_REQUESTS_PER_DOMAIN": whole(1),
    "DOWNLOAD_DELAY": seconds(zero="no delay"),
    "DOWNLOAD_TIMEOUT": seconds(),
    "AUTOTHROTTLE_ENABLED": FLAG,
    "AUTOTHROTTLE_START_DELAY": seconds(zero="no delay"),
    "AUTOTHROTTLE_MAX_DELAY": seconds(),
    "AUTOTHROTTLE_TARGET_CONCURRENCY": Spec(
        "a number above 0, such as 1.0", _number, lambda v: v > 0
    ),
    "RETRY_ENABLED": FLAG,
    "RETRY_TIMES": whole(0),
    "RETRY_HTTP_CODES": Spec("HTTP statuses separated by commas, such as 429,503", _http_codes),
    "RETRY_BACKOFF_BASE": seconds(zero="retry at once"),
    "RETRY_BACKOFF_MAX": seconds(zero="retry at once"),
    "RETRY_AFTER_MAX": seconds(zero="Retry-After not waited for"),
    "NEWSCRAWL_UNREACHED_RETRY_TIMES": whole(0),
    "HTTPCACHE_ENABLED": FLAG,
    "LOG_LEVEL": Spec("one of CRITICAL, ERROR, WARNING, INFO, DEBUG", _log_level),
    "REMOTE_CONTROL_ENABLED": FLAG,
    "TELNETCONSOLE_ENABLED": FLAG,
    # Pipelines.
    "VALIDATION_ENABLED": FLAG,
    "VALIDATION_REQUIRED_FIELDS": Spec(
        "article fields separated by commas, such as title,body", _article_fields
    ),
    "DUPLICATES_ENABLED": FLAG,
    # The store.
    "NEWSCRAWL_RUN": FLAG,
    "STORE_ENABLED": FLAG,
    "NEWSCRAWL_STORE_URI": Spec(
        "a store URI such as sqlite:///newscrawl.sqlite3, sqlite:////srv/newscrawl.sqlite3, "
        "mongodb://host:27017/newscrawl or mongodb+srv://cluster/newscrawl, or nothing",
        _store_uri,
        unset=True,
        secret=True,
    ),
    "MONGO_URI": Spec(
        "a mongodb:// or mongodb+srv:// URI, or nothing for SQLite",
        _mongo_uri,
        unset=True,
        secret=True,
    ),
    "MONGO_DATABASE": Spec(
        'a MongoDB database name (no spaces, no /\\."$)',
        _text,
        lambda v: not set(v) & set(' /\\."$\0') and len(v.encode()) < 64,
    ),
    "NEWSCRAWL_SQLITE_PATH": text(),
    "STORE_BATCH_SIZE": whole(1),
    "STORE_FLUSH_INTERVAL": seconds(zero="only full batches, and what is left at close"),
    "NEWSCRAWL_DEAD_LETTER_PATH": text(unset=True),
    "NEWSCRAWL_LOCK_ENABLED": FLAG,
    "NEWSCRAWL_LOCK_LEASE_S": seconds(),
    # Raw pages.
    "NEWSCRAWL_WARC_DIR": text(unset=True),
    "NEWSCRAWL_WARC_MAX_SIZE": whole(1),
    "NEWSCRAWL_WARC_SYNC_SIZE": whole(0),
    "NEWSCRAWL_WARC_GZIP_LEVEL": Spec("a gzip level from 0 to 9", _whole, lambda v: 0 <= v <= 9),
    # Crawl modes.
    "ARCHIVE_MAX_PAGES": whole(1),
    "INCREMENTAL_STOP_AFTER": whole(1),
    "INCREMENTAL_MAX_DAYS": whole(1),
    "NEWSCRAWL_REVISIT_AFTER": Spec(
        'ages after publication such as "3h,24h" (s, m, h, d), or nothing for no revisits',
        _parsed_by(parse_schedule),
        unset=True,
    ),
    "NEWSCRAWL_RUN_BUDGET": Spec(
        'a time such as "50m", a count such as "2000 requests", or both: "50m, 2000 requests"',
        _parsed_by(parse_budget),
        unset=True,
    ),
    "NEWSCRAWL_PROGRESS_INTERVAL": seconds(zero="no progress lines"),
    "NEWSCRAWL_DAY_GRACE_HOURS": Spec("a number of hours, 0 or more", _number, lambda v: v >= 0),
    # The verdict.
    "NEWSCRAWL_MAX_SPIDER_ERRORS": whole(0),
    "NEWSCRAWL_MAX_LISTING_FAILURES": whole(0),
    "NEWSCRAWL_QUALITY_FLOOR": SHARE,
    "NEWSCRAWL_QUALITY_MIN_ITEMS": whole(0),
    "NEWSCRAWL_MAX_INCOMPLETE_DAYS": whole(0, no_limit=True),
    "NEWSCRAWL_MAX_REFUSED_SHARE": SHARE,
    "NEWSCRAWL_FIELD_FLOORS": FIELD_SHARES,
    "NEWSCRAWL_FIELD_FLOOR_MIN_ARTICLES": whole(0),
    "NEWSCRAWL_FIELD_STRUCTURED": FIELD_SHARES,
}


def _shown(spec: Spec, value: Any) -> str:
    """The value as the message quotes it: masked if secret, one line, not too long."""
    if isinstance(value, BaseSettings):
        value = value.copy_to_dict()
    if spec.secret and isinstance(value, str):
        from newscrawl.store.uri import mask_uri

        # A URI without "://" is masked as if it had one: its password is hidden all the same.
        value = mask_uri(value) if "://" in value else mask_uri(f"://{value}")[3:]
    shown = repr(value)
    return shown if len(shown) <= 200 else f"{shown[:199]}…"


def problem(settings: BaseSettings, name: str) -> str | None:
    """What is wrong with one setting, as one line; None when it is fine or not set at all."""
    spec = SPECS[name]
    if name not in settings:
        return None  # the code's own default applies
    value = settings.get(name)
    if spec.unset and value in (None, ""):
        return None
    detail = ""
    try:
        if spec.ok(spec.read(settings, name)):
            return None
    except Wrong as exc:
        detail = f"{exc}; "
    except (ValueError, TypeError):
        pass
    return f"{name}={_shown(spec, value)}: {detail}expected {spec.expected}"


def check_settings(settings: BaseSettings) -> None:
    """Raise SettingError for the first setting in SPECS whose value newscrawl cannot use."""
    for name in SPECS:
        line = problem(settings, name)
        if line:
            raise SettingError(line)


def check_command_line(given: Mapping[str, str]) -> None:
    """Check `-s NAME=VALUE` pairs before Scrapy applies them (Scrapy itself fails without
    naming the setting on a component dict that is not JSON), and refuse a NEWSCRAWL_ name
    that is no setting: a typo would otherwise be ignored."""
    for name in given:
        if name.startswith(PREFIX) and name not in SPECS:
            # Compared without the prefix, which every candidate shares.
            ours = [known.removeprefix(PREFIX) for known in SPECS if known.startswith(PREFIX)]
            close = difflib.get_close_matches(name.removeprefix(PREFIX), ours, n=1)
            hint = f"; did you mean {PREFIX}{close[0]}?" if close else ""
            raise SettingError(f"{name}: no such newscrawl setting{hint}")
    check_settings(BaseSettings(dict(given), priority="cmdline"))
