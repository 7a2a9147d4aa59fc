"""The liputan6 spider's arguments, checked before anything is fetched."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from newscrawl.normalize.dates import WIB

# Channels with their own front pages and date indexes: the 2020 navigation and the
# channels scrapers list as verified in 2026 (SITE.md §2.2). Photo and video galleries are
# listed under the channel of their story, so /photo and /video are not walked.
CHANNELS = (
    "news",
    "bisnis",
    "bola",
    "showbiz",
    "tekno",
    "health",
    "lifestyle",
    "global",
    "regional",
    "citizen6",
    "cek-fakta",
    "otomotif",
    "hot",
    "surabaya",
    "islami",
    "saham",
    "crypto",
    "pemilu",
    "opini",
    "pilkada",
    "properti",
    "ramadan",
    "disabilitas",
)
MODES = ("latest", "backfill", "incremental")
ORDERS = ("newest", "oldest")
KNOWN_ARGUMENTS = ("channels", "since", "until", "mode", "order", "refresh")
# The site starts in 2000 (article id 1 is from October 2000).
FIRST_DAY = date(2000, 1, 1)


class ArgumentError(ValueError):
    """A spider argument is wrong; the message says which and what is allowed."""


@dataclass(frozen=True)
class CrawlOptions:
    """What one run of the spider was asked to do."""

    mode: str
    channels: tuple[str, ...]
    since: date | None = None
    until: date | None = None
    order: str = "newest"
    refresh: bool = False

    def days(self) -> list[date]:
        """The date-index days to walk, in walking order (backfill only)."""
        if self.since is None or self.until is None:
            return []
        count = (self.until - self.since).days + 1
        days = [self.since + timedelta(days=n) for n in range(count)]
        return days if self.order == "oldest" else days[::-1]


def today_wib(now: datetime | None = None) -> date:
    """Today's date in Jakarta, the day the site's date index is organised by."""
    return (now or datetime.now(WIB)).astimezone(WIB).date()


def _parse_day(name: str, value: str, today: date) -> date:
    """A YYYY-MM-DD argument, not in the future and not before the date index starts."""
    if not value.strip():
        # What `since=$(date ...)` gives when the command fails: never a crawl of another kind.
        raise ArgumentError(f"{name}= is empty: use YYYY-MM-DD (did the command giving it fail?)")
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise ArgumentError(f"{name}={value!r} is not a date: use YYYY-MM-DD") from None
    if day > today:
        raise ArgumentError(f"{name}={value} is in the future (today is {today} in Jakarta)")
    if day < FIRST_DAY:
        raise ArgumentError(f"{name}={value} is before the date index starts ({FIRST_DAY})")
    return day


def _parse_bool(name: str, value: str) -> bool:
    """1/0, true/false, yes/no."""
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ArgumentError(f"{name}={value!r}: use 1 or 0")


def parse_channels(value: str | None) -> tuple[str, ...]:
    """Channels from a comma-separated argument; unknown names are refused."""
    if value is None or not value.strip():
        return CHANNELS
    wanted = tuple(dict.fromkeys(c.strip().lower() for c in value.split(",") if c.strip()))
    unknown = [c for c in wanted if c not in CHANNELS]
    if unknown or not wanted:
        raise ArgumentError(
            f"unknown channel(s): {', '.join(unknown) or value}; known: {', '.join(CHANNELS)}"
        )
    return wanted


def parse_options(args: dict[str, str], *, today: date | None = None) -> CrawlOptions:
    """CrawlOptions from `-a name=value` arguments; raise ArgumentError on any mistake."""
    today = today or today_wib()
    unknown = sorted(set(args) - set(KNOWN_ARGUMENTS))
    if unknown:
        raise ArgumentError(
            f"unknown argument(s): {', '.join(unknown)}; known: {', '.join(KNOWN_ARGUMENTS)}"
        )
    channels = parse_channels(args.get("channels"))
    since = _parse_day("since", args["since"], today) if args.get("since") is not None else None
    until = _parse_day("until", args["until"], today) if args.get("until") is not None else None
    mode = (args.get("mode") or ("backfill" if since or until else "latest")).strip().lower()
    if mode not in MODES:
        raise ArgumentError(f"mode={mode!r}: use one of {', '.join(MODES)}")
    order = (args.get("order") or "newest").strip().lower()
    if order not in ORDERS:
        raise ArgumentError(f"order={order!r}: use newest or oldest")
    refresh = _parse_bool("refresh", args.get("refresh", "0"))
    if mode == "backfill":
        if since is None:
            raise ArgumentError("a backfill needs since=YYYY-MM-DD (until defaults to today)")
        until = until or today
        if until < since:
            raise ArgumentError(f"the range ends before it starts: since={since} until={until}")
    elif since or until:
        raise ArgumentError(f"since/until belong to mode=backfill, not mode={mode}")
    return CrawlOptions(
        mode=mode, channels=channels, since=since, until=until, order=order, refresh=refresh
    )
