"""One mapping of exit statuses: every status a command returns is in it, each documented in
`newscrawl --help` and the README; the CLI is imported by nothing else in the package."""

from __future__ import annotations

import ast
import re

import pytest

from newscrawl import demo, sitecheck
from newscrawl.cli import main
from newscrawl.cli.main import COMMANDS
from newscrawl.exits import MEANINGS, Exit, describe
from newscrawl.extensions import verdict
from tests.helpers import FIXTURES, REPO

PACKAGE = REPO / "newscrawl"
CLI = PACKAGE / "cli"


def test_every_status_has_one_meaning():
    assert set(MEANINGS) == set(Exit)
    assert len(set(MEANINGS.values())) == len(Exit)
    assert [int(s) for s in Exit][:3] == [0, 1, 2]  # what cron and shells expect
    assert (Exit.LOCKED, Exit.INTERRUPTED) == (75, 130)  # systemd's SuccessExitStatus, Ctrl-C


def test_help_lists_every_status(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    assert stop.value.code == Exit.OK
    out = capsys.readouterr().out
    assert describe() in out
    listed = re.findall(r"^\s+(\d+)  ", out.split("exit status")[1], re.MULTILINE)
    assert listed == [str(int(s)) for s in Exit]


def test_readme_lists_every_status_with_its_meaning():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Exit status") :]
    section = section[: section.index("\n## ")]
    rows = dict(re.findall(r"^\| (\d+) \| (.+) \|$", section, re.MULTILINE))
    assert sorted(map(int, rows)) == sorted(int(s) for s in Exit)
    for status in Exit:  # the README says the same, give or take markup
        words = lambda text: re.findall(r"[a-z]+", text.lower())  # noqa: E731
        assert set(words(MEANINGS[status])) <= set(words(rows[str(int(status))])), status


def test_other_modules_exit_only_with_statuses_of_the_mapping():
    """check-site, the demo and `scrapy crawl` return statuses of the one mapping, with no
    constants of their own."""
    for module in (sitecheck, verdict, demo):
        assert not [name for name in vars(module) if name.startswith("EXIT_")], module.__name__


def _returns(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Return) and node.value is not None:
            yield node
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "sys.exit" and node.args:
            yield node


@pytest.mark.parametrize(
    "path", [*sorted(CLI.glob("*.py")), PACKAGE / "batch.py"], ids=lambda p: p.name
)
def test_commands_return_statuses_by_their_names(path):
    """No bare number: a status returned is an Exit member (or one a module above returns)."""
    for node in _returns(path):
        value = node.value if isinstance(node, ast.Return) else node.args[0]
        for constant in ast.walk(value):
            if isinstance(constant, ast.Constant) and type(constant.value) is int:
                pytest.fail(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
        for attribute in ast.walk(value):
            if isinstance(attribute, ast.Attribute) and ast.unparse(attribute.value) == "Exit":
                assert attribute.attr in Exit.__members__, ast.unparse(node)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.NAME)
def test_subcommand_help_names_only_statuses_of_the_mapping(command, capsys):
    with pytest.raises(SystemExit):
        main([command.NAME, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "Exit status" in text, command.NAME
    described = re.split(r"positional arguments:|options:", text[text.index("Exit status") :])[0]
    numbers = re.findall(r"\b(\d+)\b", described)
    assert {int(n) for n in numbers} <= set(Exit), (command.NAME, numbers)


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (["extract", str(FIXTURES / "template_amp_article.html")], Exit.OK),
        (["extract", str(FIXTURES / "template_tag_page.html")], Exit.NOT_ARTICLE),
        (["extract", str(FIXTURES / "no-such-page.html")], Exit.UNAVAILABLE),
        (["export", "--since", "2024-03-02", "--until", "2024-03-01"], Exit.USAGE),
        (["reextract"], Exit.USAGE),
        (["import-warc", "no-such.warc.gz"], Exit.UNAVAILABLE),
    ],
)
def test_statuses_returned(args, status, capsys):
    assert main(args) == status


def test_bad_arguments_are_usage(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["extract"])
    assert stop.value.code == Exit.USAGE


def test_nothing_in_the_package_imports_the_cli():
    for path in PACKAGE.rglob("*.py"):
        if CLI in path.parents:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            assert not any(n == "newscrawl.cli" or n.startswith("newscrawl.cli.") for n in names), (
                path
            )
