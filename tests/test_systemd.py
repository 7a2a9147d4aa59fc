"""The systemd units of deploy/systemd/ name commands that exist, with arguments the crawl
command and the spider accept, treat exit 75 (lock held) as success, read MONGO_URI from an
EnvironmentFile, log to the journal; their timers are persistent; docs/operations.md shows them
as they are; and `systemd-analyze verify` accepts them where systemd is installed."""

from __future__ import annotations

import argparse
import configparser
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.settings import Settings

from newscrawl.spiders.liputan6 import Liputan6Spider
from tests.helpers import REPO

UNITS = REPO / "deploy" / "systemd"
SERVICES = sorted(UNITS.glob("*.service"))
TIMERS = sorted(UNITS.glob("*.timer"))
INSTALL_DIR = "/srv/newscrawl"  # where the units expect the checkout
OPERATIONS = REPO / "docs" / "operations.md"


def unit(path: Path) -> configparser.ConfigParser:
    """A unit file as sections of keys (systemd's syntax is close enough to INI for these)."""
    parser = configparser.ConfigParser(interpolation=None, strict=True, delimiters=("=",))
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"), source=str(path))
    return parser


def expand(exec_start: str) -> list[str]:
    """ExecStart's argument vector as the process would get it: systemd's %% unescaped and,
    for `/bin/sh -c SCRIPT`, the script's words after the shell has expanded them."""
    argv = shlex.split(exec_start.replace("%%", "%"))
    if argv[:2] != ["/bin/sh", "-c"]:
        return argv
    (script,) = argv[2:]
    words = shlex.split(script)
    assert words[0] == "exec", "the shell hands its process to the crawl (signals reach it)"
    printed = subprocess.run(
        ["/bin/sh", "-c", script.replace("exec ", "exec printf '%s\\n' ", 1)],
        capture_output=True,
        text=True,
        check=True,
        timeout=10,
    )
    return printed.stdout.splitlines()


def scrapy_command(argv: list[str]):
    """The project's scrapy command named by argv[1], its options parsed as scrapy parses them."""
    from scrapy.cmdline import _get_commands_dict
    from scrapy.commands import ScrapyHelpFormatter
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    commands = _get_commands_dict(settings, inproject=True)
    assert argv[1] in commands, f"scrapy has no command {argv[1]!r}"
    command = commands[argv[1]]
    parser = argparse.ArgumentParser(
        formatter_class=ScrapyHelpFormatter, conflict_handler="resolve", exit_on_error=False
    )
    command.settings = Settings(settings)
    command.add_options(parser)
    opts, args = parser.parse_known_args(argv[2:])
    unknown = [a for a in args if a.startswith("-")]
    assert not unknown, f"options scrapy {argv[1]} does not know: {unknown}"
    command.process_options(args, opts)
    return command, args, opts


def test_there_are_units():
    names = sorted(p.name for p in UNITS.iterdir())
    assert {
        "newscrawl-incremental.service",
        "newscrawl-incremental.timer",
        "newscrawl-backfill.service",
        "newscrawl-backfill.timer",
    } <= set(names)


@pytest.mark.parametrize("path", SERVICES, ids=lambda p: p.name)
def test_service(path):
    service = unit(path)["Service"]
    assert service["Type"] == "oneshot"  # a timer never starts a second run while one is active
    assert "75" in service["SuccessExitStatus"].split()
    assert service["EnvironmentFile"].lstrip("-") == "/etc/newscrawl/newscrawl.env"
    assert service["StandardOutput"] == service["StandardError"] == "journal"
    assert service["WorkingDirectory"] == INSTALL_DIR
    assert INSTALL_DIR in service["ReadWritePaths"].split()  # the store and its locks


@pytest.mark.parametrize("path", SERVICES, ids=lambda p: p.name)
def test_service_runs_a_crawl_the_spider_accepts(path):
    argv = expand(unit(path)["Service"]["ExecStart"])
    executable = Path(argv[0])
    assert executable.parent == Path(INSTALL_DIR, ".venv", "bin")
    # The same console script exists in this checkout's environment.
    assert (Path(sys.executable).parent / executable.name).exists()
    assert executable.name == "scrapy"
    command, args, opts = scrapy_command(argv)
    assert type(command).__module__ == "newscrawl.commands.crawl"  # the crawl with exit codes
    assert args == [Liputan6Spider.name]
    Liputan6Spider.check_arguments(opts.spargs)  # raises ArgumentError on what it refuses
    if "backfill" in path.name:
        assert set(opts.spargs) == {"since"}
        assert len(opts.spargs["since"]) == 10  # YYYY-MM-DD from date(1)
    else:
        assert opts.spargs == {"mode": "incremental"}


@pytest.mark.parametrize("path", TIMERS, ids=lambda p: p.name)
def test_timer(path):
    parsed = unit(path)
    timer = parsed["Timer"]
    assert timer["OnCalendar"]
    assert timer["Persistent"] == "true"
    assert (UNITS / timer.get("Unit", path.with_suffix(".service").name)).exists()
    assert parsed["Install"]["WantedBy"] == "timers.target"
    analyze = shutil.which("systemd-analyze")
    if analyze:
        done = subprocess.run(
            [analyze, "calendar", timer["OnCalendar"]],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
        assert done.returncode == 0, done.stderr


def test_operations_md_shows_the_units_as_they_are():
    text = OPERATIONS.read_text(encoding="utf-8")
    for path in [*SERVICES, *TIMERS]:
        body = path.read_text(encoding="utf-8")
        assert f"```ini\n# {path.name}\n{body}```" in text, f"{path.name} differs in operations.md"


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_systemd_analyze_verify(tmp_path):
    """The units as installed in this checkout (their commands must exist to be verified)."""
    for path in [*SERVICES, *TIMERS]:
        text = path.read_text(encoding="utf-8").replace(INSTALL_DIR, str(REPO))
        (tmp_path / path.name).write_text(text, encoding="utf-8")
    if not (REPO / ".venv" / "bin" / "scrapy").exists():
        pytest.skip(f"no {REPO}/.venv/bin/scrapy for ExecStart to name")
    done = subprocess.run(
        ["systemd-analyze", "verify", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == "", done.stderr  # no warning either (unknown keys, bad values)
