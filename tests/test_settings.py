"""Project settings that guard the crawl: Scrapy's code-running endpoints stay off."""

from __future__ import annotations

import os
import subprocess
import sys

from scrapy.crawler import Crawler
from scrapy.extensions.remote_control import RemoteControl
from scrapy.extensions.telnet import TelnetConsole
from scrapy.settings import Settings
from scrapy.utils.spider import DefaultSpider
from scrapy.utils.test import get_reactor_settings

from tests.helpers import REPO


def project_crawler(**cmdline: str) -> Crawler:
    """A crawler on newscrawl.settings plus `-s NAME=VALUE` overrides, extensions built."""
    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    settings.setdict(get_reactor_settings(), priority="project")  # whatever this process runs
    settings.setdict(cmdline, priority="cmdline")
    # Not scrapy.utils.test.get_crawler: it switches both extensions off itself.
    crawler = Crawler(DefaultSpider, settings)
    crawler._apply_settings()
    return crawler


def extensions(crawler: Crawler) -> set[type]:
    """The classes of the extensions the crawler enabled."""
    return {type(extension) for extension in crawler.extensions.middlewares}


def test_remote_control_and_telnet_are_off_by_default():
    crawler = project_crawler()
    assert not crawler.settings.getbool("REMOTE_CONTROL_ENABLED")
    assert not crawler.settings.getbool("TELNETCONSOLE_ENABLED")
    assert not extensions(crawler) & {RemoteControl, TelnetConsole}


def test_the_command_line_turns_remote_control_on():
    assert RemoteControl in extensions(project_crawler(REMOTE_CONTROL_ENABLED="1"))
    assert project_crawler(TELNETCONSOLE_ENABLED="1").settings.getbool("TELNETCONSOLE_ENABLED")


def test_environment_variables_turn_them_on():
    show = (
        "import newscrawl.settings as s; print(s.REMOTE_CONTROL_ENABLED, s.TELNETCONSOLE_ENABLED)"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NEWSCRAWL_REMOTE_CONTROL", "NEWSCRAWL_TELNET")
    }

    def shown(**extra: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", show],
            cwd=REPO,
            env={**env, **extra},
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    assert shown() == "False False"
    assert shown(NEWSCRAWL_REMOTE_CONTROL="1", NEWSCRAWL_TELNET="1") == "True True"
    assert shown(NEWSCRAWL_REMOTE_CONTROL="1") == "True False"
