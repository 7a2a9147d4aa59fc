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
