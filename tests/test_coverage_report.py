"""`newscrawl coverage --summary` and `--html FILE`: the day ledger per month, and as a picture.

The ledger is written through the SQLite store; the page is checked for its counts, states and
that it needs nothing outside the file, and is opened in headless Chromium where one is found.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from newscrawl import cli
from newscrawl.coverage_report import render_html, summarize, summary_lines
from newscrawl.exits import Exit
from newscrawl.spiders.options import CHANNELS
from newscrawl.store.sqlite import SQLiteStore

SINCE, UNTIL = date(2024, 2, 20), date(2024, 3, 10)
WALKED = datetime(2024, 3, 11, 1, tzinfo=UTC)


def ledger() -> list[dict]:
    """news: every day from 1 to 10 March walked, 5 March incomplete; bisnis: 28 Feb only."""
    days = [
        {"channel": "news", "day": date(2024, 3, d), "pages": 2, "listed": 10 * d,
         "stored": 10 * d - (3 if d == 5 else 0), "failed": 3 if d == 5 else 0,
         "complete": d != 5}
        for d in range(1, 11)
    ]  # fmt: skip
    days.append(
        {"channel": "bisnis", "day": date(2024, 2, 28), "pages": 1, "listed": 0, "stored": 0,
         "failed": 0, "complete": True}
    )  # fmt: skip
    return [d | {"walked_at": WALKED, "run_id": "run-1"} for d in days]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "archive.sqlite3"
    store = SQLiteStore(path)
    store.open()
    store.put_days(ledger())
    store.close()
    return path


def coverage(db: Path, capsys, *args: str) -> tuple[int, str, str]:
    status = cli.main(
        ["coverage", f"--since={SINCE}", f"--until={UNTIL}", "--channels=news,bisnis",
         f"--sqlite-path={db}", *args]
    )  # fmt: skip
    out = capsys.readouterr()
    return status, out.out, out.err


def test_summary_per_month_and_channel(db, capsys):
    status, out, err = coverage(db, capsys, "--summary")
    assert status == Exit.GAPS  # days are missing
    lines = out.splitlines()
    assert lines[0].split() == ["month", "channel", "days", "complete", "open", "incomplete",
                                "not", "walked", "listed", "stored", "failed"]  # fmt: skip
    rows = [line.split() for line in lines[1:]]
    assert rows == [
        ["2024-03", "news", "10", "9", "0", "1", "0", "550", "547", "3"],
        ["2024-03", "bisnis", "10", "0", "0", "0", "10", "0", "0", "0"],
        ["2024-02", "news", "10", "0", "0", "0", "10", "0", "0", "0"],
        ["2024-02", "bisnis", "10", "1", "0", "0", "9", "0", "0", "0"],
        ["all", "news", "20", "9", "0", "1", "10", "550", "547", "3"],
        ["all", "bisnis", "20", "1", "0", "0", "19", "0", "0", "0"],
    ]
    assert (
        err.splitlines()[-1] == "40 channel-days: 10 complete, 0 open, 1 incomplete, 29 not walked"
    )


def test_the_day_listing_is_unchanged(db, capsys):
    _, out, _ = coverage(db, capsys)
    lines = out.splitlines()
    assert len(lines) == 1 + 20 * 2
    assert lines[1].split() == ["2024-03-10", "news", "2", "100", "100", "0", "complete"]
    assert "2024-03-05  news           2     50     47      3  INCOMPLETE" in lines
    assert "2024-03-10  bisnis         -      -      -      -  NOT WALKED" in lines


def cells(page: str) -> list[tuple[str, str]]:
    """(class, title) of every day cell that has a title."""
    return re.findall(r'<i class=(\w+)(?: style="[^"]*")? title="([^"]*)"></i>', page)


def test_html_page_content(db, tmp_path, capsys):
    page_path = tmp_path / "coverage.html"
    status, out, err = coverage(db, capsys, "--html", str(page_path))
    assert status == Exit.GAPS
    assert out == ""  # the page only, unless --summary
    assert f"wrote {page_path}" in err
    page = page_path.read_text(encoding="utf-8")
    titles = dict((t, c) for c, t in cells(page))
    assert titles["2024-03-10: 100 articles, complete"] == "c3"
    assert titles["2024-03-01: 10 articles, complete"] == "c1"
    assert titles["2024-03-03: 30 articles, complete"] == "c2"
    assert titles["2024-03-05: 47/50 stored, 3 failed, 2 listing pages, incomplete"] == "x"
    assert titles["2024-02-28: 0 articles, complete"] == "c0"
    # Never-walked days come in runs, one element each, with the run in the title.
    assert titles["2024-02-20 to 2024-02-29: never walked"] == "m"  # news, February
    assert titles["2024-02-20 to 2024-02-27: never walked"] == "m"  # bisnis
    assert titles["2024-02-29: never walked"] == "m"
    assert titles["2024-03-01 to 2024-03-10: never walked"] == "m"
    assert sum(c.startswith(("c", "x")) for c, _ in cells(page)) == 11  # the walked days
    assert page.count('<div class="year"') == 2  # one row per channel-year
    assert (
        "20 channel-days" not in page
        and "40 channel-days: 10 complete, 0 open, 1 incomplete" in page
    )
    assert "never walked" in page and "incomplete" in page and "complete" in page  # legend


def test_html_page_needs_nothing_outside_the_file(db, tmp_path, capsys):
    page_path = tmp_path / "coverage.html"
    coverage(db, capsys, "--html", str(page_path), "--summary")
    page = page_path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    for outside in ("<script", "<link", "<img", "src=", "url(", "@import", "http:", "https:"):
        assert outside not in page.lower(), outside
    assert set(re.findall(r'href="([^"]*)"', page)) == {"#ch-news", "#ch-bisnis"}


def test_26_years_of_23_channels_stay_compact():
    since, until = date(2000, 1, 1), date(2025, 12, 31)
    records, day = {}, since
    while day <= until:
        for n, channel in enumerate(CHANNELS):
            if (day.toordinal() + n) % 9:  # walked, some incomplete
                records[(day, channel)] = {
                    "channel": channel, "day": day, "pages": 2, "listed": 40, "stored": 40,
                    "failed": 0, "complete": bool((day.toordinal() + n) % 31),
                }  # fmt: skip
        day += timedelta(days=1)
    page = render_html(records, since, until, CHANNELS)
    assert page.count('<div class="year"') == 26 * 23
    assert len(page.encode()) < 14_000_000
    assert len(summary_lines(summarize(records, since, until, CHANNELS))) == 1 + 26 * 12 * 23 + 23


# ---- in a browser --------------------------------------------------------------------------

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def chromium() -> str:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip(
        f"no Chromium here ({', '.join(CHROMIUM_NAMES)} not on PATH): apt-get install chromium"
    )


def png_pixels(path: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and the rows (RGB or RGBA bytes) of an 8-bit PNG, unfiltered."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color, *_ = header
    assert depth == 8 and color in (2, 6), header
    bpp = 3 if color == 2 else 4
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, [bytes(r[i : i + 3]) for r in rows for i in range(0, stride, bpp)]


def test_chromium_renders_the_page(db, tmp_path, capsys):
    browser = chromium()
    page_path = tmp_path / "coverage.html"
    coverage(db, capsys, "--html", str(page_path))
    flags = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1200,700"]
    dom = subprocess.run(
        [*flags, "--dump-dom", page_path.as_uri()], capture_output=True, text=True, timeout=120
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert dom.stdout.count('class="year"') == 2
    assert "2024-03-05: 47/50 stored, 3 failed, 2 listing pages, incomplete" in dom.stdout
    shot = tmp_path / "coverage.png"
    done = subprocess.run(
        [*flags, f"--screenshot={shot}", page_path.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and shot.is_file(), done.stderr[-2000:]
    width, height, pixels = png_pixels(shot)
    assert (width, height) == (1200, 700)
    colours = set(pixels)
    assert len(colours) > 10, "a blank screenshot"
    for name, rgb in {
        "complete": "46a846",
        "incomplete": "f08c00",
        "never walked": "e4e4e4",
    }.items():
        assert bytes.fromhex(rgb) in colours, f"no {name} cell drawn"


@pytest.mark.parametrize(
    ("record", "state", "title"),
    [
        (None, "missing", "2024-03-02: never walked"),
        (
            {"complete": True, "open": False, "stored": 5, "listed": 5, "failed": 0, "pages": 1},
            "complete",
            "2024-03-02: 5 articles, complete",
        ),
        (
            {"complete": False, "open": True, "stored": 3, "listed": 3, "failed": 0, "pages": 1},
            "open",
            "2024-03-02: 3 articles so far, open (the day was not over)",
        ),
        (
            {"complete": False, "open": False, "stored": 2, "listed": 3, "failed": 1, "pages": 1},
            "incomplete",
            "2024-03-02: 2/3 stored, 1 failed, 1 listing pages, incomplete",
        ),
    ],
)
def test_a_day_walked_before_it_was_over_is_shown_open(record, state, title):
    from datetime import date as day_type

    from newscrawl.coverage_report import day_title, state_of

    assert state_of(record) == state
    assert day_title(day_type(2024, 3, 2), record) == title
