"""The `newscrawl extract` command on the hand-written fixtures of tests/fixtures/.

One JSON line per article on stdout (datetimes in UTC ending in "Z"), one line per
problem on stderr, never a traceback, and an exit status that says what went wrong.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from newscrawl.cli import main
from newscrawl.exits import Exit
from newscrawl.items import ARTICLE_FIELDS
from newscrawl.serialize import article_from_dict
from newscrawl.site.extraction import extract_article
from tests.helpers import FIXTURES, REPO

DESKTOP = FIXTURES / "desktop_text_multipage.html"
MOBILE = FIXTURES / "mobile_article.html"
AMP = FIXTURES / "amp_article.html"
VIDEO = FIXTURES / "desktop_video.html"
CHANNEL = FIXTURES / "channel_page.html"
TAG = FIXTURES / "tag_page.html"
BLOCKED = FIXTURES / "blocked_page.html"
EMPTY = FIXTURES / "empty.html"
MISSING = FIXTURES / "no-such-page.html"
DATETIME_FIELDS = ("published_at", "updated_at")


def run(capsys, *args: object) -> tuple[int, list[dict], str]:
    """main(["extract", ...]): exit status, the parsed stdout lines and stderr."""
    status = main(["extract", *map(str, args)])
    out = capsys.readouterr()
    return status, [json.loads(line) for line in out.out.splitlines()], out.err


def run_process(*args: object) -> subprocess.CompletedProcess[str]:
    """The command as a real process, as a user would run it."""
    return subprocess.run(
        [sys.executable, "-m", "newscrawl.cli", "extract", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        check=False,
        timeout=60,
    )


def test_one_json_line_per_article(capsys):
    status, rows, err = run(capsys, DESKTOP, MOBILE, AMP)
    assert status == 0
    assert err == ""
    assert [r["article_id"] for r in rows] == ["4268345", "4466210", "4359120"]
    assert all(set(r) == set(ARTICLE_FIELDS) for r in rows)


def test_datetimes_are_utc_with_z(capsys):
    _, rows, _ = run(capsys, DESKTOP)
    (row,) = rows
    assert row["published_at"] == "2020-06-02T14:15:30Z"
    assert row["updated_at"] == "2020-06-02T13:58:12Z"
    assert row["published_at_raw"] == "2020-06-02T21:15:30+07:00"  # the raw text is untouched


@pytest.mark.parametrize("page", [DESKTOP, MOBILE, AMP, VIDEO])
def test_json_line_is_the_extracted_article(capsys, page):
    _, rows, _ = run(capsys, page)
    (row,) = rows
    for name in DATETIME_FIELDS:
        assert row[name].endswith("Z")
    assert article_from_dict(row) == extract_article(page.read_bytes())


def test_not_an_article_reason_on_stderr(capsys):
    status, rows, err = run(capsys, CHANNEL)
    assert status == Exit.NOT_ARTICLE != 0
    assert rows == []
    assert (
        err
        == f"{CHANNEL}: not an article: channel page: window.kmklabs.pageType is 'ChannelPage'\n"
    )


def test_articles_still_print_next_to_a_non_article(capsys):
    status, rows, err = run(capsys, TAG, DESKTOP, BLOCKED)
    assert status == Exit.NOT_ARTICLE
    assert [r["article_id"] for r in rows] == ["4268345"]
    assert f"{TAG}: not an article: tag page" in err
    assert f"{BLOCKED}: not an article: no article markup" in err
    assert len(err.splitlines()) == 2


def test_missing_file_is_a_clear_error(capsys):
    status, rows, err = run(capsys, MISSING)
    assert status == Exit.UNAVAILABLE
    assert rows == []
    assert err == f"{MISSING}: cannot read: No such file or directory\n"


def test_empty_file_is_a_clear_error(capsys):
    status, rows, err = run(capsys, EMPTY)
    assert status == Exit.UNAVAILABLE
    assert rows == []
    assert err == f"{EMPTY}: empty file\n"


def test_a_directory_is_a_clear_error(capsys):
    status, rows, err = run(capsys, FIXTURES)
    assert status == Exit.UNAVAILABLE
    assert rows == []
    assert err.startswith(f"{FIXTURES}: cannot read: ")
    assert "Traceback" not in err


def test_several_files_worst_status_wins(capsys):
    status, rows, err = run(capsys, MISSING, CHANNEL, DESKTOP, EMPTY, MOBILE)
    assert status == Exit.UNAVAILABLE  # an unreadable file outranks a page not an article
    assert [r["article_id"] for r in rows] == ["4268345", "4466210"]
    assert len(err.splitlines()) == 3


@pytest.mark.parametrize(
    ("page", "url", "canonical"),
    [
        (
            DESKTOP,
            "https://m.liputan6.com/news/read/4268345/banjir-rob-rendam-muara-angke",
            "https://www.liputan6.com/news/read/4268345/banjir-rob-rendam-muara-angke",
        ),
        (
            AMP,
            "https://m.liputan6.com/amp/4359120/cek-fakta-tidak-benar-video-tsunami-terjang-pantai-anyer",
            "https://www.liputan6.com/cek-fakta/read/4359120/cek-fakta-tidak-benar-video-tsunami-terjang-pantai-anyer",
        ),
    ],
)
def test_url_option(capsys, page, url, canonical):
    status, rows, _ = run(capsys, page, "--url", url)
    assert status == 0
    assert rows[0]["url"] == canonical


def test_url_option_takes_one_file_only(capsys):
    status, rows, err = run(capsys, DESKTOP, MOBILE, "--url", "https://m.liputan6.com/")
    assert status == Exit.USAGE
    assert rows == []
    assert "--url applies to one file only" in err


def test_console_script_as_a_real_process():
    done = run_process(BLOCKED, VIDEO, DESKTOP)
    assert done.returncode == Exit.NOT_ARTICLE
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(r["article_id"], r["type"]) for r in rows] == [
        ("4268520", "video"),
        ("4268345", "text"),
    ]
    assert rows[0]["published_at"] == "2020-06-03T12:00:00Z"
    assert (
        done.stderr
        == f"{BLOCKED}: not an article: no article markup: no kmklabs ReadPage and no JSON-LD NewsArticle (title: 'Access Denied')\n"
    )


def test_real_process_unreadable_files_have_no_traceback():
    done = run_process(MISSING, EMPTY)
    assert done.returncode == Exit.UNAVAILABLE
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        f"{MISSING}: cannot read: No such file or directory",
        f"{EMPTY}: empty file",
    ]
