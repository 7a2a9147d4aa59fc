"""Shared test helpers: where the saved Liputan6 pages are, and the corpus report."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Filled by tests/test_corpus.py, printed at the end of the run.
CORPUS_REPORT: list[str] = []


def shared_liputan6() -> Path:
    """The saved-pages folder: $NEWSCRAWL_SHARED_DIR/liputan6 or ../shared/liputan6."""
    base = os.environ.get("NEWSCRAWL_SHARED_DIR")
    return (Path(base) if base else REPO.parent / "shared") / "liputan6"


def shared_data_file(name: str) -> Path:
    """A file of the shared Liputan6 data folder; skips the test when it is absent."""
    path = shared_liputan6() / "data" / name
    if not path.is_file():
        pytest.skip(
            f"{name}: shared liputan6 data not found at {path.parent} "
            "(set NEWSCRAWL_SHARED_DIR to the folder that holds liputan6/)"
        )
    return path


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The saved Liputan6 pages and data; skips the test when they are absent."""
    path = shared_liputan6()
    if not (path / "html").is_dir() or not (path / "data").is_dir():
        pytest.skip(
            f"saved Liputan6 pages not found at {path} "
            "(set NEWSCRAWL_SHARED_DIR to the folder that holds liputan6/)"
        )
    return path


def pytest_terminal_summary(terminalreporter):
    """Print the corpus accuracy table so CI logs show it."""
    if CORPUS_REPORT:
        terminalreporter.section("corpus accuracy")
        for line in CORPUS_REPORT:
            terminalreporter.write_line(line)
