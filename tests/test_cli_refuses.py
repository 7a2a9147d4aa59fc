"""`newscrawl export / coverage / replay` refuse to guess: a missing store is an error naming
it (exit 3), never a new empty one; unknown sections and inverted ranges are errors that say
what is allowed; a MongoDB password never goes on the command line; `--version` answers."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from newscrawl import cli
from newscrawl.cli import main
from newscrawl.exits import Exit
from newscrawl.serialize import article_to_json
from newscrawl.spiders.options import CHANNELS
from newscrawl.store import SQLiteStore, StoreMissing
from tests.helpers import REPO, make_article, make_doc
from tests.stores import (  # noqa: F401 (the fixtures `backend` and `store`)
    backend_fixture,
    mongomock_backend,
    store_fixture,
)

NOW = make_doc(1)["published_at"]


def newscrawl(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The console command as a user runs it, in `cwd`, with no store configured."""
    env = {k: v for k, v in os.environ.items() if k not in ("MONGO_URI", "NEWSCRAWL_SQLITE_PATH")}
    return subprocess.run(
        [sys.executable, "-m", "newscrawl.cli", *args],
        cwd=cwd,
        env={**env, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def archive(tmp_path: Path, *sections: str) -> Path:
    """An SQLite archive holding one article per section given."""
    path = tmp_path / "archive.sqlite3"
    store = SQLiteStore(path)
    store.open()
    docs = [make_doc(n, section=s) for n, s in enumerate(sections, 1)]
    store.write_articles(docs, run_id="r", now=NOW)
    store.close()
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["export"],
        ["export", "--format", "csv"],
        ["coverage", "--since", "2024-03-01", "--until", "2024-03-02"],
        ["replay", "in.jsonl"],
    ],
)
def test_wrong_folder_is_an_error_not_an_empty_store(tmp_path, args):
    (tmp_path / "in.jsonl").write_text(article_to_json(make_article(1)) + "\n", encoding="utf-8")
    done = newscrawl(tmp_path, *args)
    assert done.returncode == Exit.UNAVAILABLE == 3, done.stderr
    expected = tmp_path / "newscrawl.sqlite3"
    assert done.stderr.startswith(
        f"newscrawl {args[0]}: no store at {expected}: the SQLite file does not exist; "
        "name the store with --store, --sqlite-path or NEWSCRAWL_SQLITE_PATH"
    )
    assert ("`newscrawl replay --create` starts a new one" in done.stderr) == (args[0] == "replay")
    assert "0 articles" not in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]  # nothing created


def test_a_missing_sqlite_path_is_named(tmp_path, capsys):
    missing = tmp_path / "elsewhere" / "archive.sqlite3"
    assert main(["export", "--sqlite-path", str(missing)]) == Exit.UNAVAILABLE
    err = capsys.readouterr().err
    assert f"no store at {missing}: the SQLite file does not exist" in err
    assert not missing.parent.exists()


def test_a_folder_is_not_an_archive(tmp_path, capsys):
    assert main(["export", "--sqlite-path", str(tmp_path)]) == Exit.UNAVAILABLE
    assert f"no store at {tmp_path}: the SQLite file is not a file" in capsys.readouterr().err


def test_another_sqlite_file_is_left_alone(tmp_path, capsys):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    before = other.read_bytes()
    assert main(["export", "--sqlite-path", str(other)]) == Exit.UNAVAILABLE
    assert "holds no newscrawl articles table" in capsys.readouterr().err
    assert other.read_bytes() == before
    with sqlite3.connect(other) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["t"]
    conn.close()


def test_replay_create_starts_a_new_store(tmp_path, capsys):
    source = tmp_path / "in.jsonl"
    source.write_text(article_to_json(make_article(1)) + "\n", encoding="utf-8")
    db = tmp_path / "new" / "archive.sqlite3"
    assert main(["replay", str(source), "--sqlite-path", str(db)]) == Exit.UNAVAILABLE
    assert not db.exists()
    assert main(["replay", str(source), "--sqlite-path", str(db), "--create"]) == 0
    assert main(["replay", str(source), "--sqlite-path", str(db)]) == 0  # it exists now
    capsys.readouterr()
    assert main(["export", "--sqlite-path", str(db)]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1


def test_store_option_names_the_store_by_uri(tmp_path, capsys, monkeypatch):
    source = tmp_path / "in.jsonl"
    source.write_text(article_to_json(make_article(1)) + "\n", encoding="utf-8")
    db = tmp_path / "by-uri.sqlite3"
    # The option wins over whatever store the environment names.
    monkeypatch.setenv("NEWSCRAWL_STORE_URI", f"sqlite:///{tmp_path / 'other.sqlite3'}")
    assert main(["replay", str(source), "--store", f"sqlite:///{db}", "--create"]) == 0
    capsys.readouterr()
    assert main(["export", "--store", f"sqlite:///{db}"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1
    assert not (tmp_path / "other.sqlite3").exists()


@pytest.mark.parametrize("uri", ["ftp://host/x", "sqlite://host/relative.db"])
def test_a_bad_store_uri_is_a_usage_error(tmp_path, capsys, uri):
    with pytest.raises(SystemExit) as stopped:
        main(["export", "--store", uri])
    assert stopped.value.code == Exit.USAGE
    err = capsys.readouterr().err
    assert err.startswith("newscrawl export: ") and "Traceback" not in err
    assert not list(tmp_path.iterdir())


def test_open_without_create_creates_nothing(backend):
    store = backend.make()
    with pytest.raises(StoreMissing, match="no store"):
        store.open(create=False)
    if backend.path is not None:
        assert not backend.path.exists()
    else:
        assert "articles" not in backend.database().list_collection_names()
    store.open()  # create
    store.close()
    store = backend.make()
    store.open(create=False)  # now it exists
    store.close()


def test_missing_mongo_database_is_named(monkeypatch, capsys):
    backend = mongomock_backend(monkeypatch)
    monkeypatch.setattr("newscrawl.store.open_store", lambda settings: backend.make())
    uri = "mongodb://mongomock.test:27017"
    assert main(["export", "--mongo-uri", uri]) == Exit.UNAVAILABLE
    err = capsys.readouterr().err
    assert err == (
        "newscrawl export: no store in MongoDB mongomock.test:27017/newscrawl_test: the "
        "database has no articles collection; check MONGO_URI and MONGO_DATABASE\n"
    )
    assert backend.database().list_collection_names() == []


def test_sections_are_distinct_and_sorted(store):
    assert store.sections() == []
    docs = [make_doc(1, section="news"), make_doc(2, section="jatim"), make_doc(3, section="news")]
    store.write_articles(docs, run_id="r", now=NOW)
    assert store.sections() == ["jatim", "news"]


def test_unknown_section_names_the_allowed_ones(tmp_path, capsys):
    db = str(archive(tmp_path, "news", "jatim"))
    assert main(["export", "--sqlite-path", db, "--section", "nope"]) == Exit.USAGE
    captured = capsys.readouterr()
    assert captured.out == ""
    (line,) = [x for x in captured.err.splitlines() if "unknown section" in x]
    allowed = sorted({*CHANNELS, "jatim"})
    assert line == f"newscrawl export: unknown section 'nope'; allowed: {', '.join(allowed)}"


@pytest.mark.parametrize(("section", "count"), [("news", 1), ("jatim", 1), ("bola", 0)])
def test_known_sections_export(tmp_path, capsys, section, count):
    """A stored section (even one no channel is named after) or any channel: no error."""
    db = str(archive(tmp_path, "news", "jatim"))
    assert main(["export", "--sqlite-path", db, "--section", section]) == 0
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == count
    assert f"newscrawl export: {count} articles" in captured.err


@pytest.mark.parametrize(
    ("since", "until"),
    [
        ("2024-03-02", "2024-03-01"),
        ("2024-03-01", "2024-03-01"),
        ("2024-03-01T10:00Z", "2024-03-01"),
    ],
)
def test_export_inverted_range_is_an_error(tmp_path, capsys, since, until):
    db = str(archive(tmp_path, "news"))
    args = ["export", "--sqlite-path", db, "--since", since, "--until", until]
    assert main(args) == Exit.USAGE
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("newscrawl export: --until ")
    assert "is not after --since" in captured.err
    assert "(since is inclusive, until exclusive)" in captured.err


def test_coverage_inverted_range_and_unknown_channel(tmp_path, capsys):
    db = str(archive(tmp_path, "news"))
    args = ["coverage", "--sqlite-path", db, "--since", "2024-03-02", "--until", "2024-03-01"]
    assert main(args) == Exit.USAGE
    assert "newscrawl coverage: --until is before --since" in capsys.readouterr().err
    args = ["coverage", "--sqlite-path", db, "--since", "2024-03-01", "--until", "2024-03-01"]
    assert main([*args, "--channels", "news,nope"]) == Exit.USAGE
    err = capsys.readouterr().err
    assert "unknown channel(s): nope; known: " + ", ".join(CHANNELS) in err


def test_version(capsys):
    from importlib.metadata import version

    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out == f"newscrawl {version('newscrawl')}\n"


def test_version_as_a_real_process(tmp_path):
    done = newscrawl(tmp_path, "--version")
    assert done.returncode == 0
    assert done.stdout.startswith("newscrawl ")


@pytest.mark.parametrize("command", ["export", "coverage", "replay"])
@pytest.mark.parametrize(
    "uri",
    [
        "mongodb://crawler:s3cr3t-pw@db.example:27017/newscrawl",
        "mongodb+srv://crawler:s3cr3t-pw@cluster0.example.net/",
        "mongodb://db.example/?authSource=admin&password=s3cr3t-pw",
    ],
)
def test_a_password_on_the_command_line_is_refused(capsys, command, uri):
    extra = {"coverage": ["--since", "2024-03-01", "--until", "2024-03-01"], "replay": ["f"]}
    with pytest.raises(SystemExit) as stop:
        main([command, *extra.get(command, []), "--mongo-uri", uri])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "argument --mongo-uri: the URI carries a password" in err
    assert "process list" in err
    assert "set MONGO_URI in the environment" in err
    assert "s3cr3t-pw" not in err


def test_a_uri_without_password_is_taken():
    uri = "mongodb://crawler@db.example:27017/?authMechanism=MONGODB-X509"
    args = cli.build_parser().parse_args(["export", "--mongo-uri", uri])
    assert args.mongo_uri == uri
