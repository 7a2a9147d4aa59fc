"""`newscrawl extract`: JSON Lines on stdout, reasons on stderr, exit status that says what happened."""

from __future__ import annotations

import json
import subprocess
import sys

from newscrawl.cli import main
from newscrawl.exits import Exit
from tests.helpers import FIXTURES, REPO


def test_one_json_line_per_article_with_utc_times(capsys):
    status = main(
        [
            "extract",
            str(FIXTURES / "template_desktop_text_multipage.html"),
            str(FIXTURES / "template_mobile_article.html"),
        ]
    )
    out = capsys.readouterr()
    assert status == 0
    rows = [json.loads(line) for line in out.out.splitlines()]
    assert [r["article_id"] for r in rows] == ["5012345", "4500123"]
    assert rows[0]["published_at"] == "2022-06-21T01:15:30Z"
    assert rows[0]["updated_at"].endswith("Z")
    assert out.err == ""


def test_not_an_article_goes_to_stderr_with_reason_and_its_status(capsys):
    status = main(
        [
            "extract",
            str(FIXTURES / "template_tag_page.html"),
            str(FIXTURES / "template_amp_article.html"),
        ]
    )
    out = capsys.readouterr()
    assert status == Exit.NOT_ARTICLE
    assert len(out.out.splitlines()) == 1  # the AMP article still printed
    assert "tag_page.html: not an article: tag page" in out.err


def test_missing_and_empty_files_are_clear_errors(capsys):
    status = main(["extract", str(FIXTURES / "no-such-page.html"), str(FIXTURES / "empty.html")])
    out = capsys.readouterr()
    assert status == Exit.UNAVAILABLE
    assert "no-such-page.html: cannot read: No such file or directory" in out.err
    assert "empty.html: empty file" in out.err
    assert "Traceback" not in out.err and out.out == ""


def test_url_option_is_one_file_only(capsys):
    page = str(FIXTURES / "template_fallback_visible_dates.html")
    assert main(["extract", page, "--url", "https://m.liputan6.com/regional/read/5530160/x"]) == 0
    assert json.loads(capsys.readouterr().out)["article_id"] == "5530160"
    assert main(["extract", page, page, "--url", "https://www.liputan6.com/"]) == Exit.USAGE


def test_console_script_runs_as_a_real_process():
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "newscrawl.cli",
            "extract",
            str(FIXTURES / "template_block_page.html"),
            str(FIXTURES / "template_desktop_video.html"),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == Exit.NOT_ARTICLE
    assert json.loads(done.stdout)["type"] == "video"
    assert "block_page.html: not an article: no article markup" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_page_in_its_declared_charset_is_decoded_as_the_crawl_decodes_it(tmp_path, capsys):
    # A cp1252 copy of a page, as old archives keep some: "é" is the single byte 0xE9.
    page = (FIXTURES / "template_desktop_text_multipage.html").read_text(encoding="utf-8")
    page = page.replace('<meta charset="utf-8"', '<meta charset="windows-1252"', 1)
    page = page.replace("Banjir Rob Rendam Pesisir Utara Jakarta", "Banjir Rob Rendam Kafé Jakarta")
    saved = tmp_path / "cp1252.html"
    saved.write_bytes(page.encode("cp1252"))
    assert main(["extract", str(saved)]) == 0
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert row["title"] == "Banjir Rob Rendam Kafé Jakarta"
