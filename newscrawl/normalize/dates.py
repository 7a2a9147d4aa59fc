"""Dates as Liputan6 prints them, turned into timezone-aware UTC datetimes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, timezone

WIB = timezone(timedelta(hours=7))

# Liputan6 is a Jakarta site: a time printed without a zone is WIB.
_ZONES = {
    "wib": WIB,
    "wita": timezone(timedelta(hours=8)),
    "wit": timezone(timedelta(hours=9)),
    "utc": UTC,
    "gmt": UTC,
    "z": UTC,
    # US zones appear in Instagram embeds inside article bodies.
    "pdt": timezone(timedelta(hours=-7)),
    "pst": timezone(timedelta(hours=-8)),
    "edt": timezone(timedelta(hours=-4)),
    "est": timezone(timedelta(hours=-5)),
}

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            "januari jan january",
            "februari feb pebruari peb february",
            "maret mar march",
            "april apr",
            "mei may",
            "juni jun june",
            "juli jul july",
            "agustus agu agt ags aug august",
            "september sep sept",
            "oktober okt oct october",
            "november nov nop nopember",
            "desember des dec december",
        ),
        start=1,
    )
    for name in names.split()
}

_LABEL = (
    r"(?:(?:terakhir\s+)?(?:diperbaharui|diperbarui|diterbitkan|dipublikasikan|dipublikasi"
    r"|dipublish|diposting|diunggah|dimuat|diupdate|terbit|tayang|update|updated|published|posted|modified"
    r"|last\s+updated|pada|tanggal|tgl|waktu|hari|on)\b\.?\s*:?\s*)"
)
# "oleh NAME diperbarui ...": NAME may be several concatenated author names. The 2015
# desktop header is English: "By NAME on 18 Jun 2015 at 06:25 WIB".
_PREFIX = rf"(?:(?:oleh|by)\s+.+?\s+(?={_LABEL}))?{_LABEL}*"
_WEEKDAY = (
    r"(?:(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad|monday|tuesday|wednesday"
    r"|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\b\.?\s*,?\s*)?"
)
_SEP = r"(?:\s*(?:[,|•·–—@/-]|pukul|pkl\.?|jam|at)\s*|\s)+"
_TIME = (
    r"(?P<hh>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<ss>\d{2})(?:[.,](?P<frac>\d+))?)?"
    r"(?:\s*(?P<ampm>am|pm|a\.m\.|p\.m\.))?"
)
_ZONE = (
    rf"(?:\s*(?P<zone>{'|'.join(sorted(_ZONES, key=len, reverse=True))})\b)?"
    r"(?:\s*(?P<sign>[+-])(?P<oh>\d{1,2})(?::?(?P<om>\d{2}))?)?"
)
_END = r"[\s.,;]*$"

_ISO = re.compile(
    r"^(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})"
    # Liputan6 once printed "2019-09-28WIB19:17:34+07:00".
    r"(?:(?:t|\s*(?P<sepzone>wib)\s*|\s+)(?P<hh>\d{2}):(?P<mi>\d{2})"
    r"(?::(?P<ss>\d{2})(?:[.,](?P<frac>\d+))?)?)?"
    r"\s*(?P<zone>z|utc|gmt|wita|wib|wit)?"
    r"(?:(?P<sign>[+-])(?P<oh>\d{2})(?::?(?P<om>\d{2}))?)?$"
)
_ABSOLUTE = re.compile(
    rf"^{_PREFIX}{_WEEKDAY}(?:"
    r"(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:\s*[-/]\s*|\s+)(?P<m1>[a-z]+)\.?(?:\s*[-/,]\s*|\s+)"
    r"(?P<y1>\d{4})"
    r"|(?P<m2>[a-z]+)\.?\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{4})"
    # Numeric dates are day first, as Indonesians write them; never month first.
    r"|(?P<d3>\d{1,2})(?P<s3>[/.-])(?P<m3>\d{1,2})(?P=s3)(?P<y3>\d{4})"
    r"|(?P<y4>\d{4})(?P<s4>[/.])(?P<m4>\d{1,2})(?P=s4)(?P<d4>\d{1,2})"
    # An offset only after a time, so a range like "2020-2021" is not read as one.
    rf")(?:{_SEP}{_TIME}{_ZONE}|\s*(?P<dzone>wita|wib|wit)\b)?{_END}"
)
# Day and month without a year (or month and year alone): refuse rather than guess.
_PARTIAL = re.compile(
    rf"^{_PREFIX}{_WEEKDAY}(?:"
    r"\d{1,2}\s+(?P<m1>[a-z]+)\.?|(?P<m2>[a-z]+)\.?\s+\d{1,2}|(?P<m3>[a-z]+)\.?\s+\d{4}"
    r"|\d{1,2}/\d{1,2}"
    rf")(?:{_SEP}{_TIME})?{_ZONE}{_END}"
)
_TIME_ONLY = re.compile(rf"^{_LABEL}*(?:(?:pukul|pkl\.?|jam)\s*)?{_TIME}{_ZONE}{_END}")
_AGO = re.compile(
    rf"^{_LABEL}*(?P<n>\d+|se|satu|an?|one|beberapa|a\s+few|few)?\s*"
    r"(?P<unit>detik|menit|jam|hari|minggu|pekan|bulan|tahun|sec(?:ond)?s?|min(?:ute)?s?"
    r"|hours?|hrs?|days?|weeks?|months?|years?)\s+(?:yang\s+)?(?:lalu|silam|ago)$"
)
_DAY_WORD = re.compile(
    rf"^{_LABEL}*(?P<word>kemarin|hari\s+ini|yesterday|today)(?:{_SEP}{_TIME}{_ZONE})?{_END}"
)
_NOW_WORD = re.compile(
    rf"^{_LABEL}*(?:baru\s+saja|barusan|sekarang|saat\s+ini|just\s+now|right\s+now|now)$"
)

# Each unit as a timedelta, or as a whole number of calendar months.
_UNITS: dict[str, timedelta | int] = {
    **dict.fromkeys(("detik", "sec", "second"), timedelta(seconds=1)),
    **dict.fromkeys(("menit", "min", "minute"), timedelta(minutes=1)),
    **dict.fromkeys(("jam", "hour", "hr"), timedelta(hours=1)),
    **dict.fromkeys(("hari", "day"), timedelta(days=1)),
    **dict.fromkeys(("minggu", "pekan", "week"), timedelta(weeks=1)),
    **dict.fromkeys(("bulan", "month"), 1),
    **dict.fromkeys(("tahun", "year"), 12),
}
_COUNT_WORDS = {"se": 1, "satu": 1, "a": 1, "an": 1, "one": 1}
_VAGUE = frozenset({"beberapa", "few", "a few"})

# Strict fallback: a day, month and year are required, naive means WIB, nothing in the future
# is preferred; RELATIVE_BASE is added per call from the injected clock.
_DATEPARSER_SETTINGS = {
    "RETURN_AS_TIMEZONE_AWARE": True,
    "TIMEZONE": "Asia/Jakarta",
    "TO_TIMEZONE": "UTC",
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PREFER_DATES_FROM": "current_period",
    "DATE_ORDER": "DMY",
    # Bare numbers are not dates: no Unix timestamps, no "20200527"-style guesses.
    "PARSERS": ["relative-time", "absolute-time", "custom-formats"],
}
# Longer text is a sentence, not a date, and dateparser slows down badly on it.
_FALLBACK_MAX_CHARS = 200


def parse_datetime(text: str, *, now: datetime | None = None) -> datetime | None:
    """A date or time as Liputan6 prints it, as an aware UTC datetime; None if not certain."""
    if not isinstance(text, str):
        return None
    # Lower-case once and fold curly apostrophes and odd spaces, so the regexes stay simple.
    s = " ".join(text.lower().replace("’", "'").replace("`", "'").split())
    if "(" in s:
        s = " ".join(s.replace("(", " ").replace(")", " ").split())  # "Rabu (27/5/2020)"
    if not s:
        return None
    if s[:4].isdigit() and (m := _ISO.match(s)):
        return _build(m, int(m["y"]), int(m["mo"]), int(m["d"]), m["sepzone"])
    if m := _ABSOLUTE.match(s):
        year, month, day = _date_parts(m)
        if month is not None:
            return _build(m, year, month, day, m["dzone"])
        return _dateparser_fallback(text, _clock(now))  # a month name we do not know
    if (m := _PARTIAL.match(s)) and (m["m1"] or m["m2"] or m["m3"] or "") in _MONTHS:
        return None
    if m := _AGO.match(s):
        return _ago(m, _clock(now))
    if m := _DAY_WORD.match(s):
        return _day_word(m, _clock(now))
    if _NOW_WORD.match(s):
        return _clock(now)
    if _TIME_ONLY.match(s):
        return None  # a time without a day would be a guess
    return _dateparser_fallback(text, _clock(now))


def _clock(now: datetime | None) -> datetime:
    """The injected clock in UTC: naive means UTC, missing means the real clock."""
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        return now.replace(tzinfo=UTC)
    return now.astimezone(UTC)


def _date_parts(m: re.Match[str]) -> tuple[int, int | None, int]:
    """Year, month (None if the name is unknown) and day of an _ABSOLUTE match."""
    if m["y1"]:
        return int(m["y1"]), _MONTHS.get(m["m1"]), int(m["d1"])
    if m["y2"]:
        return int(m["y2"]), _MONTHS.get(m["m2"]), int(m["d2"])
    if m["y3"]:
        return int(m["y3"]), int(m["m3"]), int(m["d3"])
    return int(m["y4"]), int(m["m4"]), int(m["d4"])


def _build(
    m: re.Match[str], year: int, month: int, day: int, zone: str | None = None
) -> datetime | None:
    """The date with the match's time and zone, in UTC; None if any part is impossible."""
    try:
        hour, minute, second, micro = _time_parts(m)
        tz = _zone(m, zone)
        return datetime(year, month, day, hour, minute, second, micro, tzinfo=tz).astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def _time_parts(m: re.Match[str]) -> tuple[int, int, int, int]:
    """Hour, minute, second and microsecond of the match; midnight when it has no time."""
    if not m["hh"]:
        return 0, 0, 0, 0
    hour = int(m["hh"])
    ampm = m["ampm"] if "ampm" in m.re.groupindex else None
    if ampm:
        if not 1 <= hour <= 12:
            raise ValueError(f"hour {hour} on a 12-hour clock")
        hour = hour % 12 + (12 if ampm[0] == "p" else 0)
    frac = m["frac"]
    micro = int(frac[:6].ljust(6, "0")) if frac else 0
    return hour, int(m["mi"]), int(m["ss"] or 0), micro


def _zone(m: re.Match[str], default: str | None = None) -> timezone:
    """The match's zone: a numeric offset wins, then a zone name, else WIB."""
    if m["sign"]:
        offset = timedelta(hours=int(m["oh"]), minutes=int(m["om"] or 0))
        return timezone(-offset if m["sign"] == "-" else offset)
    return _ZONES[m["zone"] or default or "wib"]


def _ago(m: re.Match[str], now: datetime) -> datetime | None:
    """now minus "N units ago"; None for a vague count such as "beberapa jam"."""
    unit, count = m["unit"], m["n"]
    if unit.endswith("s"):
        unit = unit[:-1]
    step = _UNITS[unit]
    if count is None or count in _VAGUE:
        if step == timedelta(seconds=1):
            return now  # "(beberapa) detik yang lalu" is under a minute: now
        if count is not None:
            return None
        count = "1"  # "jam yang lalu" reads as "sejam yang lalu"
    n = _COUNT_WORDS.get(count) or int(count)
    if isinstance(step, int):
        return _months_before(now, n * step)
    try:
        return now - n * step
    except OverflowError:
        return None


def _months_before(now: datetime, months: int) -> datetime | None:
    """now minus whole calendar months in WIB, the day clamped to the month's length."""
    local = now.astimezone(WIB)
    year, month0 = divmod(local.year * 12 + local.month - 1 - months, 12)
    for day in range(local.day, 0, -1):
        try:
            return local.replace(year=year, month=month0 + 1, day=day).astimezone(UTC)
        except ValueError:
            continue
    return None


def _day_word(m: re.Match[str], now: datetime) -> datetime | None:
    """Yesterday or today ("kemarin", "hari ini"), at the given time in its zone (WIB)."""
    days = timedelta(days=1 if m["word"] in ("kemarin", "yesterday") else 0)
    if not m["hh"]:
        return now - days  # bare "kemarin": the same time of day, yesterday
    try:
        tz = _zone(m)
        day = (now.astimezone(tz) - days).date()
        hour, minute, second, micro = _time_parts(m)
        return datetime(
            day.year, day.month, day.day, hour, minute, second, micro, tzinfo=tz
        ).astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def _dateparser_fallback(text: str, now: datetime) -> datetime | None:
    """Ask dateparser, strictly, about a shape the fast path does not know."""
    if len(text) > _FALLBACK_MAX_CHARS:
        return None
    import dateparser  # imported when first needed: it costs ~40 ms at every crawl's start

    base = now.astimezone(WIB).replace(tzinfo=None)  # naive RELATIVE_BASE is read as TIMEZONE
    try:
        result = dateparser.parse(
            text, languages=["id"], settings={**_DATEPARSER_SETTINGS, "RELATIVE_BASE": base}
        )
    except Exception:
        return None  # a dateparser bug must not stop a crawl; the raw text is kept anyway
    if result is None:
        return None
    if result.tzinfo is None:
        result = result.replace(tzinfo=WIB)
    return result.astimezone(UTC)


# An article listed for a day may carry a time just across midnight (time zones, late edits).
MIDNIGHT_SLACK = timedelta(hours=1)


def place_in_day(when: datetime, day: date) -> str:
    """Where a time falls for a WIB day: "in" it, "near" it (the hour either side of its
    midnights: time zones, late stamps) or "out" of it."""
    start = datetime.combine(day, time(), WIB)
    end = start + timedelta(days=1)
    if start <= when < end:
        return "in"
    if start - MIDNIGHT_SLACK <= when < end + MIDNIGHT_SLACK:
        return "near"
    return "out"


def of_other_days(times: Iterable[datetime], day: date) -> bool:
    """Whether these times say a list was of other days than ``day``: none of them in the
    day, and some of them well outside it (a list of only near-midnight times is the day's)."""
    places = {place_in_day(when, day) for when in times}
    return "in" not in places and "out" in places
