"""2,000 malformed pages made from real ones (tests/malformed.py): extraction answers each
with an article or a "not an article" reason, never an exception, never a hang."""

from __future__ import annotations

import signal
import time
from collections import Counter

import pytest

from newscrawl.site.decoding import page_text
from newscrawl.site.extraction import NotAnArticle, extract_article
from tests.helpers import FIXTURES, shared_liputan6
from tests.malformed import MUTATIONS, make_malformed, seed_pages

COUNT = 2_000
SECONDS_PER_PAGE = 5  # a page that takes this long is a hang (real ones take milliseconds)


class Hang(Exception):
    """A page took longer than SECONDS_PER_PAGE."""


def _alarm(signum, frame):
    raise Hang


@pytest.fixture(scope="module")
def base_pages():
    """Our own fixture pages, plus the saved real article pages where they are present."""
    return seed_pages(FIXTURES, shared_liputan6() / "html")


def test_2000_malformed_pages_give_no_crash_and_no_hang(base_pages):
    outcomes: Counter[str] = Counter()
    crashes, slowest = [], 0.0
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        for name, data in make_malformed(base_pages, COUNT, seed=7):
            url = "https://www.liputan6.com/news/read/4264701/judul"
            started = time.monotonic()
            signal.setitimer(signal.ITIMER_REAL, SECONDS_PER_PAGE)
            try:
                extract_article(page_text(data, url), url=url)
                outcomes["article"] += 1
            except NotAnArticle as exc:
                outcomes[f"not an article: {exc.reason}"] += 1
            except Hang:
                crashes.append(f"{name}: took more than {SECONDS_PER_PAGE} s")
            except Exception as exc:  # what this test exists to catch
                crashes.append(f"{name}: {type(exc).__name__}: {str(exc)[:120]}")
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            slowest = max(slowest, time.monotonic() - started)
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert not crashes, f"{len(crashes)} of {COUNT} crashed or hung:\n" + "\n".join(crashes[:20])
    assert sum(outcomes.values()) == COUNT
    assert outcomes["article"] > 0 and len(outcomes) > 2  # both answers, several reasons
    print(
        f"\n{COUNT} malformed pages ({len(MUTATIONS)} mutations): {dict(outcomes)}; slowest {slowest:.2f} s"
    )
