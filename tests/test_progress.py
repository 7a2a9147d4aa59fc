"""Progress lines: the current day, days done of asked, articles stored, rate, time left."""

from __future__ import annotations

import pytest

from newscrawl.extensions.progress import eta_text, progress_line


@pytest.mark.parametrize(
    ("kwargs", "line"),
    [
        ({"elapsed": 10, "stored": 25}, "Progress: 25 articles stored (2.5/s)"),
        (
            {
                "elapsed": 600,
                "stored": 900,
                "days_asked": 40,
                "days_done": 10,
                "current": "2024-01-15 news",
            },
            "Progress: day 2024-01-15 news, 10 of 40 channel-days done, 900 articles stored"
            " (1.5/s), about 30 min left",
        ),
        (
            {"elapsed": 60, "stored": 0, "days_asked": 4, "days_done": 0},
            "Progress: 0 of 4 channel-days done, 0 articles stored (0.0/s)",
        ),
        (
            {"elapsed": 60, "stored": 10, "days_asked": 4, "days_done": 4},
            "Progress: 4 of 4 channel-days done, 10 articles stored (0.2/s)",
        ),
        pytest.param(
            {
                "elapsed": 600,
                "stored": 900,
                "days_asked": 40,
                "days_done": 30,
                "done_here": 5,
                "current": "2024-01-15 news",
            },
            "Progress: day 2024-01-15 news, 30 of 40 channel-days done, 900 articles stored"
            " (1.5/s), about 20 min left",
            id="resumed-or-skipped-days-took-none-of-the-time",
        ),
        pytest.param(
            {"elapsed": 60, "stored": 0, "days_asked": 40, "days_done": 30, "done_here": 0},
            "Progress: 30 of 40 channel-days done, 0 articles stored (0.0/s)",
            id="no-pace-yet-no-eta",
        ),
    ],
)
def test_progress_line(kwargs, line):
    assert progress_line(**kwargs) == line


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, ""),
        (20, ", under a minute left"),
        (240, ", about 4 min left"),
        (3 * 3600 + 20 * 60, ", about 3 h 20 min left"),
    ],
)
def test_eta_text(seconds, text):
    assert eta_text(seconds) == text


def test_the_progress_line_names_the_day_walked_now_and_counts_this_runs_pace(monkeypatch):
    """The last day whose first page answered is named; days a paused job finished before do
    not count as this run's pace."""
    from datetime import date
    from types import SimpleNamespace

    from scrapy.settings import Settings
    from scrapy.statscollectors import MemoryStatsCollector

    from newscrawl.extensions.progress import Progress
    from newscrawl.ledger import DayLedger

    ledger = DayLedger()
    for n in (1, 2, 3):  # finished by the paused run
        ledger.listing_finished("news", date(2024, 1, n))
    crawler = SimpleNamespace(settings=Settings(), stats=None)
    crawler.stats = MemoryStatsCollector(crawler)
    crawler.stats.set_value("newscrawl/days/asked", 10)
    keeper = SimpleNamespace(days=SimpleNamespace(ledger=ledger))
    crawler.get_extension = lambda cls: keeper
    import newscrawl.extensions.progress as module

    timer = SimpleNamespace(start=lambda *a, **k: None)
    monkeypatch.setattr(module, "create_looping_call", lambda f: timer)
    progress = Progress(crawler, 60)
    progress.spider_opened(None)
    ledger.listing_finished("news", date(2024, 1, 4))  # this run's one finished day
    ledger.listed("news", date(2024, 1, 5), ["1"])  # walked now
    lines = []
    monkeypatch.setattr(module.logger, "info", lines.append)
    progress._started -= 60
    progress.log()
    assert lines[0].startswith("Progress: day 2024-01-05 news, 4 of 10 channel-days done")
    assert lines[0].endswith("about 6 min left")
