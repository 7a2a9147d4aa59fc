"""Helpers shared by the tests: where things are, and one factory per thing.

The saved pages are read from ../shared/liputan6, or from $NEWSCRAWL_SHARED_DIR/liputan6 when
that variable is set; a test that needs them skips, saying where it looked, when they are not
there."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


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
