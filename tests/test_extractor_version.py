"""EXTRACTOR_VERSION means something: what extraction gives for every page fixture of
tests/fixtures (whole, and with its structured data stripped) is summed up in one digest,
recorded with the version in tests/fixtures/extractor_version.json. When extraction changes,
this test fails until the version is raised, so `newscrawl reextract --outdated` finds every
article an older extraction produced. After raising it, record the new digest:

    .venv/bin/python -m tests.test_extractor_version --update
"""

from __future__ import annotations

import hashlib
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from newscrawl.serialize import article_to_json
from newscrawl.site import EXTRACTOR_VERSION
from newscrawl.site.extraction import NotAnArticle, extract_article, without_structured_data

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RECORD = FIXTURES / "extractor_version.json"
# The clock of relative dates ("3 jam yang lalu"), fixed so the digest is too.
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def extraction_digest() -> tuple[str, int]:
    """SHA-256 over what every fixture page extracts to (or why it is not an article), and
    how many page variants went into it."""
    digest = hashlib.sha256()
    pages = sorted(FIXTURES.rglob("*.html"))
    for path in pages:
        html = path.read_text(encoding="utf-8", errors="replace")
        for variant, text in (("whole", html), ("markup", without_structured_data(html))):
            try:
                out = article_to_json(
                    extract_article(text, f"https://www.liputan6.com/{path.name}", now=NOW)
                )
            except NotAnArticle as exc:
                out = f"not an article: {exc.reason}"
            digest.update(f"{path.relative_to(FIXTURES)}|{variant}|{out}\n".encode())
    return digest.hexdigest(), 2 * len(pages)


def test_a_change_of_extraction_raises_the_extractor_version():
    recorded = json.loads(RECORD.read_text(encoding="utf-8"))
    digest, variants = extraction_digest()
    assert variants >= 40
    if digest != recorded["digest"]:
        assert recorded["version"] < EXTRACTOR_VERSION, (
            f"extraction gives other values for some fixture page than version "
            f"{recorded['version']} did: raise EXTRACTOR_VERSION in newscrawl/site/__init__.py, "
            "then record the new digest: .venv/bin/python -m tests.test_extractor_version --update"
        )
    assert (EXTRACTOR_VERSION, digest) == (recorded["version"], recorded["digest"]), (
        "EXTRACTOR_VERSION was raised: record its digest with "
        ".venv/bin/python -m tests.test_extractor_version --update"
    )


if __name__ == "__main__" and "--update" in sys.argv:
    digest, _ = extraction_digest()
    RECORD.write_text(
        json.dumps({"version": EXTRACTOR_VERSION, "digest": digest}, indent=2) + "\n",
        encoding="utf-8",
    )
    print(f"recorded extractor version {EXTRACTOR_VERSION}: {digest}")
