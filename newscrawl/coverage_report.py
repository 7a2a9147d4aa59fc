"""What `newscrawl coverage` shows of the day ledger: a month summary and a picture (HTML).

Every (channel, day) of a range is in one of four states: ``complete`` (its last walk was
complete), ``open`` (walked without a fault before the day was over: the next backfill walks it
again), ``incomplete`` (walked, but not completely) or ``missing`` (never walked: no ledger
record). The articles of a day are the ledger's ``stored`` count (of ``listed``).

The HTML page is self-contained: inline CSS, no script, no font, image or link outside the
file. Each channel has one row per year: 12 month blocks of 31 day cells (a CSS grid), each
cell coloured by state and, for walked days, shaded by its articles, with a title tooltip
("2024-03-02: 39/41 stored, 2 failed, incomplete"). Runs of never-walked days are one element
each, so a 26-year × 23-channel page stays a few megabytes.
"""

from __future__ import annotations

import calendar
import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import groupby
from typing import Any

COMPLETE, OPEN, INCOMPLETE, MISSING = "complete", "open", "incomplete", "missing"
STATE_LABELS = {
    COMPLETE: "complete",
    OPEN: "open",
    INCOMPLETE: "incomplete",
    MISSING: "never walked",
}
# Shades of a complete day by its articles: the upper bound of levels 0-2 (3 is more).
LEVELS = (0, 10, 40)

Records = Mapping[tuple[date, str], Mapping[str, Any]]


def state_of(record: Mapping[str, Any] | None) -> str:
    """complete, open, incomplete or missing (no ledger record)."""
    if record is None:
        return MISSING
    if record["complete"]:
        return COMPLETE
    return OPEN if record.get("open") else INCOMPLETE


def days_of(since: date, until: date) -> Iterable[date]:
    day = since
    while day <= until:
        yield day
        day += timedelta(days=1)


@dataclass
class Tally:
    """The days and articles of one month and channel (or of a whole channel)."""

    days: int = 0
    complete: int = 0
    open: int = 0
    incomplete: int = 0
    missing: int = 0
    listed: int = 0
    stored: int = 0
    failed: int = 0

    def add(self, record: Mapping[str, Any] | None) -> None:
        self.days += 1
        state = state_of(record)
        setattr(self, state, getattr(self, state) + 1)
        if record is not None:
            self.listed += record["listed"]
            self.stored += record["stored"]
            self.failed += record["failed"]


@dataclass
class Summary:
    """Tallies per (month "YYYY-MM", channel), per channel, and over everything."""

    months: dict[tuple[str, str], Tally] = field(default_factory=dict)
    channels: dict[str, Tally] = field(default_factory=dict)
    total: Tally = field(default_factory=Tally)


def summarize(records: Records, since: date, until: date, channels: Iterable[str]) -> Summary:
    """Tally every (day, channel) of the range by month and channel."""
    channels = list(channels)
    summary = Summary(channels={c: Tally() for c in channels})
    for day in days_of(since, until):
        month = f"{day:%Y-%m}"
        for channel in channels:
            record = records.get((day, channel))
            tally = summary.months.setdefault((month, channel), Tally())
            for t in (tally, summary.channels[channel], summary.total):
                t.add(record)
    return summary


SUMMARY_HEADER = ("month", "channel", "days", "complete", "open", "incomplete", "not walked")
SUMMARY_COUNTS = ("listed", "stored", "failed")


def summary_lines(summary: Summary) -> list[str]:
    """The month table, newest month first and channels in their order, then per channel."""
    row = "{:<7}  {:<11} {:>5} {:>8} {:>5} {:>10} {:>10} {:>8} {:>8} {:>7}"
    lines = [row.format(*SUMMARY_HEADER, *SUMMARY_COUNTS)]

    def line(label: str, channel: str, t: Tally) -> str:
        return row.format(
            label,
            channel,
            t.days,
            t.complete,
            t.open,
            t.incomplete,
            t.missing,
            t.listed,
            t.stored,
            t.failed,
        )

    for month in sorted({m for m, _ in summary.months}, reverse=True):
        for channel in summary.channels:
            lines.append(line(month, channel, summary.months[(month, channel)]))
    for channel, tally in summary.channels.items():
        lines.append(line("all", channel, tally))
    return lines


def level(record: Mapping[str, Any]) -> int:
    """0-3: how many articles a walked day has, for its shade."""
    stored = record["stored"]
    return next((i for i, top in enumerate(LEVELS) if stored <= top), len(LEVELS))


def day_title(day: date, record: Mapping[str, Any] | None) -> str:
    """The tooltip of a day cell: the day, its articles and state."""
    if record is None:
        return f"{day}: never walked"
    if record["complete"]:
        return f"{day}: {record['stored']} articles, complete"
    if record.get("open"):
        return f"{day}: {record['stored']} articles so far, open (the day was not over)"
    return (
        f"{day}: {record['stored']}/{record['listed']} stored, {record['failed']} failed, "
        f"{record['pages']} listing pages, incomplete"
    )


CSS = """
body{font:13px/1.35 system-ui,sans-serif;margin:16px;color:#222;background:#fff}
h1{font-size:18px;margin:0 0 4px}h2{font-size:14px;margin:18px 0 4px}
.legend{display:flex;gap:14px;align-items:center;margin:8px 0;flex-wrap:wrap}
.legend span{display:inline-flex;align-items:center;gap:4px}
.legend i{width:10px;height:10px;display:inline-block}
table.totals{border-collapse:collapse;margin:8px 0}
table.totals td,table.totals th{padding:1px 8px;text-align:right;border-bottom:1px solid #eee}
table.totals td:first-child,table.totals th:first-child{text-align:left}
.year{display:flex;align-items:center;height:10px;margin:1px 0}
.year b{flex:none;width:40px;font-size:9px;font-weight:normal;color:#666}
.cal{flex:none;display:grid;grid-template-columns:repeat(384,3px);grid-auto-rows:9px}
.cal i{display:block}
.months{display:grid;grid-template-columns:repeat(12,96px);margin-left:40px;font-size:9px;color:#666}
.m{background:#e4e4e4}.o{background:transparent}
.c0{background:#c6e9c6}.c1{background:#8fd18f}.c2{background:#46a846}.c3{background:#1d6b1d}
.x{background:#f08c00}.x0{background:#f7c27a}.p{background:#4dabf7}
"""
# Columns per month in the calendar grid: 31 days and one gap.
MONTH_COLUMNS = 32


def _run(kind: str, first: date, length: int) -> str:
    """One element for a run of never-walked (or out-of-range) days of a month."""
    span = f' style="grid-column:span {length}"' if length > 1 else ""
    if kind != MISSING:
        return f"<i class=o{span}></i>"
    last = first + timedelta(days=length - 1)
    when = f"{first}" if length == 1 else f"{first} to {last}"
    return f'<i class=m{span} title="{when}: never walked"></i>'


def _cells(year: int, since: date, until: date, records: Records, channel: str) -> list[str]:
    """The day cells of one channel-year: 12 blocks of 32 columns, runs merged."""
    out: list[str] = []
    for month in range(1, 13):
        ndays = calendar.monthrange(year, month)[1]
        days = [date(year, month, d) for d in range(1, ndays + 1)]

        def kind_of(day: date) -> str:
            if not since <= day <= until:
                return "out"
            return state_of(records.get((day, channel)))

        for kind, run in groupby(days, key=kind_of):
            group = list(run)
            if kind in (MISSING, "out"):
                out.append(_run(kind, group[0], len(group)))
                continue
            for day in group:
                record = records[(day, channel)]
                shade = "x" if record["stored"] else "x0"
                css = f"c{level(record)}" if kind == COMPLETE else shade
                css = "p" if kind == OPEN else css
                out.append(f'<i class={css} title="{day_title(day, record)}"></i>')
        out.append(f'<i class=o style="grid-column:span {MONTH_COLUMNS - ndays}"></i>')
    return out


def render_html(
    records: Records,
    since: date,
    until: date,
    channels: Iterable[str],
    *,
    source: str = "",
    generated: datetime | None = None,
) -> str:
    """The whole page: title, legend, totals per channel, then each channel's calendar."""
    channels = list(channels)
    summary = summarize(records, since, until, channels)
    t = summary.total
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>newscrawl coverage {since} to {until}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>Date-index coverage, {since} to {until}</h1>",
        f"<p>{esc(source)}{' · ' if source else ''}"
        + (f"generated {generated:%Y-%m-%d %H:%M} UTC · " if generated else "")
        + f"{t.days} channel-days: {t.complete} complete, {t.open} open, "
        f"{t.incomplete} incomplete, {t.missing} never walked; "
        f"{t.stored} articles stored of {t.listed} listed</p>",
        '<div class="legend">'
        '<span><i class="c0"></i><i class="c1"></i><i class="c2"></i><i class="c3"></i>'
        f" complete (articles: none, 1–{LEVELS[1]}, {LEVELS[1] + 1}–{LEVELS[2]}, more)</span>"
        '<span><i class="p"></i> open (walked before the day was over)</span>'
        '<span><i class="x"></i><i class="x0"></i> incomplete (with articles, none)</span>'
        '<span><i class="m"></i> never walked</span>'
        "<span>Hover a day for its articles and state.</span></div>",
        '<table class="totals"><tr><th>channel</th><th>days</th><th>complete</th>'
        "<th>incomplete</th><th>never walked</th><th>listed</th><th>stored</th>"
        "<th>failed</th></tr>",
    ]
    for channel, c in summary.channels.items():
        parts.append(
            f'<tr><td><a href="#ch-{esc(channel)}">{esc(channel)}</a></td><td>{c.days}</td>'
            f"<td>{c.complete}</td><td>{c.incomplete}</td><td>{c.missing}</td>"
            f"<td>{c.listed}</td><td>{c.stored}</td><td>{c.failed}</td></tr>"
        )
    parts.append("</table>")
    month_names = "".join(f"<span>{calendar.month_abbr[m]}</span>" for m in range(1, 13))
    for channel in channels:
        c = summary.channels[channel]
        parts.append(
            f'<section class="channel" id="ch-{esc(channel)}"><h2>{esc(channel)} '
            f"<small>({c.complete} complete, {c.incomplete} incomplete, {c.missing} never "
            f"walked; {c.stored} articles)</small></h2>"
            f'<div class="months">{month_names}</div>'
        )
        for year in range(until.year, since.year - 1, -1):
            cells = "".join(_cells(year, since, until, records, channel))
            parts.append(
                f'<div class="year" data-year="{year}"><b>{year}</b>'
                f'<div class="cal">{cells}</div></div>'
            )
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
