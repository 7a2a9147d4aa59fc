"""Every setting is checked when `scrapy crawl` starts: a wrong value, from `-s`, the
environment or settings.py, is one line naming it and what is expected, exit status 2,
before the store is opened or any page requested."""

from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
from datetime import timedelta

import pytest
from scrapy.settings import Settings

from newscrawl.commands.crawl import Command
from newscrawl.settingscheck import SPECS, SettingError, check_command_line, check_settings
from newscrawl.spiders.options import today_wib
from tests.helpers import (
    REPO,
    SETTINGS_PY,
    crawl,
    settings_read,
)
from tests.site import LocalSite, make_articles


@pytest.fixture(name="project")
def project_fixture(defaults) -> Settings:
    """The settings `scrapy crawl` starts from: Scrapy's defaults, the crawl command's and
    settings.py's as a deployment without any of its environment variables has them."""
    settings = Settings(Command.default_settings, priority="command")
    settings.setdict(defaults, priority="project")
    return settings


def checked(project: Settings, **given) -> str | None:
    """The line the crawl command refuses the project settings with these `-s` values by
    (or a value settings.py could hold, where it is no text)."""
    try:
        check_command_line({k: v for k, v in given.items() if isinstance(v, str)})
        project.setdict(given, priority="cmdline")
        check_settings(project)
    except SettingError as exc:
        assert "\n" not in str(exc)
        return str(exc)
    return None


def test_every_setting_the_code_has_is_checked(defaults):
    """A setting settings.py defines or newscrawl reads has a spec, and no spec is stale."""
    known = {*defaults} | {*settings_read()}
    assert sorted(known - {*SPECS}) == [], "add them to newscrawl.settingscheck.SPECS"
    assert sorted({*SPECS} - known) == [], "specs of settings nothing reads"


def test_the_defaults_pass(project):
    assert checked(project) is None


def test_the_defaults_pass_as_settings_py_gives_them_from_the_environment(monkeypatch):
    monkeypatch.setenv("STORE_BATCH_SIZE", "250")
    monkeypatch.setenv("NEWSCRAWL_LOG_LEVEL", "DEBUG")
    monkeypatch.setenv("MONGO_URI", "mongodb://crawler:pw@db.example:27017/?authSource=admin")
    values = runpy.run_path(str(SETTINGS_PY))
    settings = Settings({k: v for k, v in values.items() if k.isupper()})
    assert settings["STORE_BATCH_SIZE"] == "250"  # read as a string, checked at start
    check_settings(settings)
    assert settings.getint("STORE_BATCH_SIZE") == 250


BAD = [
    # whole numbers
    ("STORE_BATCH_SIZE", "abc", "STORE_BATCH_SIZE='abc': expected a whole number, 1 or more"),
    ("STORE_BATCH_SIZE", "0", "STORE_BATCH_SIZE='0': expected a whole number, 1 or more"),
    ("RETRY_TIMES", "2.5", "RETRY_TIMES='2.5': expected a whole number, 0 or more"),
    ("ARCHIVE_MAX_PAGES", 2.5, "ARCHIVE_MAX_PAGES=2.5: expected a whole number, 1 or more"),
    (
        "NEWSCRAWL_MAX_INCOMPLETE_DAYS",
        "-2",
        "NEWSCRAWL_MAX_INCOMPLETE_DAYS='-2': expected a whole number, 0 or more, or -1 for no limit",
    ),
    ("NEWSCRAWL_MAX_SPIDER_ERRORS", "-1", "expected a whole number, 0 or more"),
    ("NEWSCRAWL_WARC_GZIP_LEVEL", "10", "expected a gzip level from 0 to 9"),
    # numbers, seconds and shares
    (
        "NEWSCRAWL_QUALITY_FLOOR",
        "abc",
        "NEWSCRAWL_QUALITY_FLOOR='abc': expected a share between 0 and 1, such as 0.9",
    ),
    ("NEWSCRAWL_QUALITY_FLOOR", "90", "expected a share between 0 and 1"),
    ("NEWSCRAWL_QUALITY_FLOOR", "nan", "expected a share between 0 and 1"),
    (
        "DOWNLOAD_TIMEOUT",
        "0",
        "DOWNLOAD_TIMEOUT='0': expected a number of seconds above 0, such as 30",
    ),
    ("DOWNLOAD_TIMEOUT", "inf", "expected a number of seconds above 0"),
    ("NEWSCRAWL_LOCK_LEASE_S", "-5", "expected a number of seconds above 0"),
    (
        "DOWNLOAD_DELAY",
        "-1",
        "DOWNLOAD_DELAY='-1': expected a number of seconds, 0 or more (0: no delay)",
    ),
    (
        "NEWSCRAWL_REVISIT_AFTER",
        "3h,1 day",
        "NEWSCRAWL_REVISIT_AFTER='3h,1 day': '1 day' is not a duration such as 45m, 3h or 1d; "
        'expected ages after publication such as "3h,24h"',
    ),
    ("NEWSCRAWL_REVISIT_AFTER", "0h,3h", "a revisit age must be more than 0"),
    ("NEWSCRAWL_RUN_BUDGET", "50", "'50' is not a duration such as 45m"),
    ("NEWSCRAWL_RUN_BUDGET", "50m, 1h", "the budget names a time twice"),
    # on/off
    (
        "ROBOTSTXT_OBEY",
        "maybe",
        "ROBOTSTXT_OBEY='maybe': expected 1 or 0 (or true or false)",
    ),
    ("STORE_ENABLED", "yes", "expected 1 or 0"),
    # dicts as JSON: not JSON, not a dict, unknown field, share out of range
    (
        "NEWSCRAWL_FIELD_FLOORS",
        "nonsense",
        "NEWSCRAWL_FIELD_FLOORS='nonsense': expected JSON such as {\"authors\": 0.5}: a share "
        "between 0 and 1 for any of title, published_at, updated_at, authors, editors, section, "
        "subsection, tags, summary, body, image_url, image_caption",
    ),
    ("NEWSCRAWL_FIELD_FLOORS", "[1, 2]", "NEWSCRAWL_FIELD_FLOORS='[1, 2]': expected JSON such"),
    ("NEWSCRAWL_FIELD_FLOORS", "0.5", "NEWSCRAWL_FIELD_FLOORS='0.5': expected JSON such"),
    (
        "NEWSCRAWL_FIELD_FLOORS",
        '{"auhtors": 0.5}',
        "NEWSCRAWL_FIELD_FLOORS='{\"auhtors\": 0.5}': 'auhtors' is not a field whose coverage "
        'is counted; expected JSON such as {"authors": 0.5}',
    ),
    (
        "NEWSCRAWL_FIELD_STRUCTURED",
        '{"title": 50}',
        "NEWSCRAWL_FIELD_STRUCTURED='{\"title\": 50}': title: 50 is not a share between 0 and 1; ",
    ),
    ("NEWSCRAWL_FIELD_STRUCTURED", '{"title": "0.5"}', "title: '0.5' is not a share"),
    (
        "NEWSCRAWL_FIELD_FLOORS",
        {"article_id": 0.5},
        "NEWSCRAWL_FIELD_FLOORS={'article_id': 0.5}: 'article_id' is not a field whose",
    ),
    ("EXTENSIONS", '{"newscrawl.x.Y": "first"}', "newscrawl.x.Y: 'first' is not an order number"),
    ("ITEM_PIPELINES", "[]", "ITEM_PIPELINES='[]': expected JSON such as"),
    # lists
    (
        "VALIDATION_REQUIRED_FIELDS",
        "title,bdoy",
        "VALIDATION_REQUIRED_FIELDS='title,bdoy': 'bdoy' is not an article field; expected "
        "article fields separated by commas, such as title,body",
    ),
    ("RETRY_HTTP_CODES", "429,abc", "RETRY_HTTP_CODES='429,abc': expected HTTP statuses"),
    ("RETRY_HTTP_CODES", "429,5030", "5030 is not an HTTP status"),
    # texts
    (
        "LIPUTAN6_BASE_URL",
        "www.liputan6.com",
        "LIPUTAN6_BASE_URL='www.liputan6.com': expected an http(s) URL such as "
        "https://www.liputan6.com",
    ),
    ("LIPUTAN6_BASE_URL", "", "expected an http(s) URL"),
    ("LOG_LEVEL", "info", "LOG_LEVEL='info': expected one of CRITICAL, ERROR, WARNING, INFO"),
    ("MONGO_DATABASE", "news crawl", "expected a MongoDB database name"),
    ("NEWSCRAWL_SQLITE_PATH", "", "NEWSCRAWL_SQLITE_PATH='': expected a text"),
    ("FEED_EXPORT_ENCODING", "utf-9", "expected an encoding such as utf-8"),
    # store URIs: the setting, the (masked) value and what is wrong with it
    ("NEWSCRAWL_STORE_URI", "newscrawl.sqlite3", "='newscrawl.sqlite3': not a URI (no scheme://)"),
    ("NEWSCRAWL_STORE_URI", "://x", "='://x': not a URI (no scheme://)"),
    (
        "NEWSCRAWL_STORE_URI",
        "postgres://u:pw@db/news",
        "='postgres://u:***@db/news': unknown scheme 'postgres'; known: mongodb, mongodb+srv, sqlite",
    ),
    ("NEWSCRAWL_STORE_URI", "sqlite://db/a.db", "an sqlite URI names no host"),
    ("NEWSCRAWL_STORE_URI", "sqlite:///", "an sqlite URI needs a file name"),
    ("NEWSCRAWL_STORE_URI", "sqlite:////srv/", "an sqlite URI needs a file name"),
    ("NEWSCRAWL_STORE_URI", "sqlite:///a.db?mode=ro", "an sqlite URI takes no options"),
    ("NEWSCRAWL_STORE_URI", "mongodb:///newscrawl", "a MongoDB URI needs a host"),
    ("NEWSCRAWL_STORE_URI", "mongodb+srv://u:pw@/x", "a MongoDB URI needs a host"),
    ("NEWSCRAWL_STORE_URI", "mongodb://db/news.crawl", "'news.crawl' is no MongoDB database name"),
    ("NEWSCRAWL_STORE_URI", "mongodb://db/news%20crawl", "'news crawl' is no MongoDB database"),
    ("NEWSCRAWL_STORE_URI", " ", "NEWSCRAWL_STORE_URI=' ': expected a store URI such as"),
]


@pytest.mark.parametrize(("name", "value", "line"), BAD, ids=lambda x: str(x)[:40])
def test_a_wrong_value_is_one_line_naming_it(project, name, value, line):
    refused = checked(project, **{name: value})
    assert refused is not None, f"{name}={value!r} passed"
    assert refused.startswith(f"{name}=")
    assert line in refused


GOOD = [
    ("STORE_BATCH_SIZE", "5"),
    ("STORE_FLUSH_INTERVAL", "0"),
    ("DOWNLOAD_DELAY", "0"),
    ("RETRY_BACKOFF_BASE", "0.05"),
    ("NEWSCRAWL_PROGRESS_INTERVAL", "0"),
    ("NEWSCRAWL_MAX_INCOMPLETE_DAYS", "-1"),
    ("NEWSCRAWL_MAX_INCOMPLETE_DAYS", "0"),
    ("NEWSCRAWL_QUALITY_FLOOR", "0"),
    ("NEWSCRAWL_QUALITY_FLOOR", "1"),
    ("NEWSCRAWL_FIELD_FLOORS", "{}"),
    ("NEWSCRAWL_FIELD_FLOORS", '{"authors": 0.6, "image_caption": 1}'),
    ("EXTENSIONS", '{"bench_crawl.ResponseTimes": 0, "newscrawl.x.Y": null}'),
    ("ITEM_PIPELINES", "{}"),
    ("RETRY_HTTP_CODES", "429,503"),
    ("VALIDATION_REQUIRED_FIELDS", "title,body"),
    ("ROBOTSTXT_OBEY", "False"),
    ("LOG_LEVEL", "DEBUG"),
    ("MONGO_URI", ""),
    ("MONGO_URI", "mongodb+srv://crawler@cluster0.example.net/"),
    ("NEWSCRAWL_WARC_DIR", ""),
    ("NEWSCRAWL_STORE_URI", ""),
    ("NEWSCRAWL_STORE_URI", "sqlite:///newscrawl.sqlite3"),
    ("NEWSCRAWL_STORE_URI", "sqlite:////srv/newscrawl/archive.sqlite3"),
    ("NEWSCRAWL_STORE_URI", "SQLite:///data/a.db"),
    ("NEWSCRAWL_STORE_URI", "mongodb://crawler:p%40ss@db1:27017,db2:27018/arsip?authSource=admin"),
    ("NEWSCRAWL_STORE_URI", "mongodb://db.example"),
    ("NEWSCRAWL_STORE_URI", "mongodb+srv://crawler@cluster0.example.net/newscrawl"),
    ("LIPUTAN6_BASE_URL", "http://127.0.0.1:8080/"),
]


@pytest.mark.parametrize(("name", "value"), GOOD, ids=str)
def test_good_values_pass(project, name, value):
    assert checked(project, **{name: value}) is None


# Settings whose value is free text (a name, a path): any non-empty text will do.
FREE_TEXT = {
    "BOT_NAME",
    "COMMANDS_MODULE",
    "NEWSPIDER_MODULE",
    "SPIDER_MODULES",
    "NEWSCRAWL_CONTACT",
    "USER_AGENT",
    "MONGO_DATABASE",
    "NEWSCRAWL_SQLITE_PATH",
    "NEWSCRAWL_DEAD_LETTER_PATH",
    "NEWSCRAWL_WARC_DIR",
}


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_spec_refuses_something(project, name):
    """No spec lets anything through: text where a number, flag, URL or JSON belongs is
    refused, and a free text may not be blank unless it may be unset."""
    if name in FREE_TEXT:
        assert checked(project, **{name: " "}).startswith(f"{name}=' ': expected ")
        assert (checked(project, **{name: ""}) is None) == SPECS[name].unset
    else:
        assert checked(project, **{name: "?"}).startswith(f"{name}='?': ")


def test_a_password_is_never_shown(project):
    for uri in ("mysql://crawler:s3cr3t@db/", "mongodb:/crawler:s3cr3t@db", "db/?password=s3cr3t"):
        refused = checked(project, MONGO_URI=uri)
        assert refused.startswith("MONGO_URI="), uri
        assert "s3cr3t" not in refused
        assert "expected a mongodb:// or mongodb+srv:// URI" in refused


def test_a_store_uri_password_is_never_shown(project):
    for uri in ("ftp://crawler:s3cr3t@db/", "mongodb://crawler:s3cr3t@/x", "sqlite://u:s3cr3t@h/a"):
        refused = checked(project, NEWSCRAWL_STORE_URI=uri)
        assert refused.startswith("NEWSCRAWL_STORE_URI="), uri
        assert "s3cr3t" not in refused


@pytest.mark.parametrize(
    ("store_uri", "mongo_uri", "refused"),
    [
        ("mongodb://db/a", "mongodb://db/a", False),  # the same store, named twice
        ("mongodb://db/a", None, False),
        ("mongodb://db/a", "", False),
        ("mongodb://u:one@db/a", "mongodb://u:two@db/a", True),
        ("sqlite:///a.db", "mongodb://db/a", True),
    ],
)
def test_a_store_uri_and_a_different_mongo_uri_are_refused(project, store_uri, mongo_uri, refused):
    line = checked(project, NEWSCRAWL_STORE_URI=store_uri, MONGO_URI=mongo_uri)
    if not refused:
        assert line is None
        return
    assert line.startswith("NEWSCRAWL_STORE_URI=")
    assert "is set too and differs; set only NEWSCRAWL_STORE_URI" in line
    assert "one" not in line and "two" not in line  # both passwords masked


def test_the_command_line_names_an_unknown_newscrawl_setting():
    with pytest.raises(SettingError) as refused:
        check_command_line({"NEWSCRAWL_QUALITY_FLOR": "0.5"})
    assert str(refused.value) == (
        "NEWSCRAWL_QUALITY_FLOR: no such newscrawl setting; did you mean NEWSCRAWL_QUALITY_FLOOR?"
    )
    with pytest.raises(SettingError) as refused:
        check_command_line({"NEWSCRAWL_NOTHING_LIKE_IT": "1"})
    assert str(refused.value) == "NEWSCRAWL_NOTHING_LIKE_IT: no such newscrawl setting"
    check_command_line({"CLOSESPIDER_ITEMCOUNT": "5", "JOBDIR": "crawls/1"})  # Scrapy's own


def test_the_command_line_checks_a_component_dict_before_scrapy_parses_it():
    """Scrapy's own -s handling fails on it with "Invalid -s value" naming nothing."""
    with pytest.raises(SettingError) as refused:
        check_command_line({"EXTENSIONS": "{nope"})
    assert str(refused.value).startswith("EXTENSIONS='{nope': expected JSON such as")


# ---- the real command: exit 2, one line, nothing requested, nothing stored -------------------

COMMAND = [
    (
        {"NEWSCRAWL_QUALITY_FLOOR": "abc"},
        {},
        (),
        "NEWSCRAWL_QUALITY_FLOOR='abc': expected a share between 0 and 1, such as 0.9",
    ),
    (
        {"NEWSCRAWL_FIELD_FLOORS": json.dumps({"auhtors": 0.5})},
        {},
        (),
        "NEWSCRAWL_FIELD_FLOORS='{\"auhtors\": 0.5}': 'auhtors' is not a field whose coverage is "
        'counted; expected JSON such as {"authors": 0.5}: a share between 0 and 1 for any of '
        "title, published_at, updated_at, authors, editors, section, subsection, tags, summary, "
        "body, image_url, image_caption",
    ),
    (
        {},
        {"STORE_BATCH_SIZE": "abc"},
        (),
        "STORE_BATCH_SIZE='abc': expected a whole number, 1 or more",
    ),
    (
        {"LOG_LEVEL": "info"},
        {},
        (),
        "LOG_LEVEL='info': expected one of CRITICAL, ERROR, WARNING, INFO, DEBUG",
    ),
    (
        {"NEWSCRAWL_STORE_URI": "sqlite://localhost/archive.sqlite3"},
        {},
        (),
        "NEWSCRAWL_STORE_URI='sqlite://localhost/archive.sqlite3': an sqlite URI names no host: "
        "sqlite:///relative/path.db or sqlite:////absolute/path.db; expected a store URI such as "
        "sqlite:///newscrawl.sqlite3, sqlite:////srv/newscrawl.sqlite3, "
        "mongodb://host:27017/newscrawl or mongodb+srv://cluster/newscrawl, or nothing",
    ),
    (
        {},
        {},
        ("since=",),
        "since= is empty: use YYYY-MM-DD (did the command giving it fail?)",
    ),
]


@pytest.mark.parametrize(("settings", "env", "args", "line"), COMMAND, ids=lambda x: str(x)[:30])
def test_the_crawl_command_refuses_before_anything_starts(tmp_path, settings, env, args, line):
    articles = make_articles(4, start_day=today_wib() - timedelta(days=3), days=2)
    with LocalSite(articles) as site:
        done = crawl(site, tmp_path, *args, env_extra=env, timeout=60, **settings)
        requested = site.requests.records
    assert done.returncode == 2, done.stderr
    # Scrapy's usage error: "scrapy: error: …" (here "__main__.py", run as python -m scrapy).
    assert done.stderr.splitlines()[-1].endswith(f": error: {line}")
    assert "Traceback" not in done.stderr
    assert requested == []
    assert list(tmp_path.iterdir()) == []  # no store, no locks, no run record, no dead letters


def test_check_site_refuses_a_wrong_setting_before_a_request(tmp_path):
    articles = make_articles(4, start_day=today_wib() - timedelta(days=3), days=2)
    with LocalSite(articles) as site:
        done = subprocess.run(
            [sys.executable, "-m", "newscrawl.cli", "check-site", "-s", "EXTENSIONS=nonsense"],
            cwd=tmp_path,
            env={**os.environ, "LIPUTAN6_BASE_URL": site.base_url, "PYTHONPATH": str(REPO)},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        requested = site.requests.records
    assert done.returncode == 2, done.stderr
    assert done.stderr == (
        "newscrawl check-site: EXTENSIONS='nonsense': expected JSON such as "
        '{"package.module.Class": 100}: a class path and its order (null: off)\n'
    )
    assert requested == []
