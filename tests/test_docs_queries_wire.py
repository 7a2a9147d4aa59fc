"""The pymongo recipes of docs/queries.md over the wire (tests/wire.py), and the mongosh ones.

The archive of tests/test_docs_queries.py is written through MongoStore into the session's
server (mongoeco 4.11 unless NEWSCRAWL_TEST_MONGO_URI names a real one), the page's own
Connecting block opens it, and every python block runs with the same checks as on mongomock,
with no help: `$dateToString` with a timezone and the rest run as the server runs them.

MONGOECO_GAP (where mongoeco 4.11 is not MongoDB; the recipe is MongoDB's and stays):
- Full-text search: with `$text`, a projection returns only `_id` (and the `{"$meta":
  "textScore"}` score), so the hits lack `article_id` and `title`. A probe finds the gap; the recipe is skipped while
  it lasts, and runs in full against a real server.
- mongosh (npm's `mongosh` 2.x, Node driver 6): mongoeco answers `find` and `aggregate` with a
  32-bit cursor id where the Node driver requires a 64-bit one, so every cursor fails ("BSON
  element "id" is missing"). A probe finds the gap, and the mongosh recipes skip with it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pymongo
import pytest

from newscrawl.store.mongo import MongoStore
from newscrawl.store.sqlite import SQLiteStore
from tests import test_docs_queries as docs
from tests.helpers import REPO
from tests.wire import Target, is_mongoeco


@pytest.fixture(scope="module")
def wire_archive(
    mongo_server: Target, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[docs.Archive]:
    folder = tmp_path_factory.mktemp("wire-archive")
    name = f"newscrawl_docs_{uuid.uuid4().hex[:12]}"
    for store in (MongoStore(mongo_server.uri, name), SQLiteStore(folder / "newscrawl.sqlite3")):
        store.open()
        docs.fill(store)
        store.close()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MONGO_URI", mongo_server.uri)
        mp.setenv("MONGO_DATABASE", name)
        (_lang, code), *_ = docs.recipes()["Connecting"]
        namespace: dict[str, Any] = {}
        exec(compile(code, "queries.md: Connecting", "exec"), namespace)
    try:
        yield docs.Archive(folder, namespace["db"])
    finally:
        namespace["client"].drop_database(name)
        namespace["client"].close()


def text_score_projection_gap(db: Any) -> str | None:
    """Why the full-text recipe cannot run here, or None when the server projects as MongoDB."""
    hit = db.articles.find_one(
        {"$text": {"$search": docs.WORD}}, {"score": {"$meta": "textScore"}, "article_id": 1}
    )
    if hit is not None and "article_id" not in hit:
        return (
            "MONGOECO_GAP: with $text, mongoeco 4.11 projects only _id and the "
            f"{{'$meta': 'textScore'}} score (got {sorted(hit)}); MongoDB returns the named "
            "fields too, so this recipe runs in full only against a real server"
        )
    return None


def test_connecting_block_opens_the_archive_over_the_wire(wire_archive, mongo_uri):
    assert wire_archive.db.articles.count_documents({}) == len(docs.FINAL)
    assert wire_archive.db.articles.find_one({"article_id": docs.EDITED})["version"] == 3
    assert wire_archive.db.client.address == pymongo.MongoClient(mongo_uri).address


@pytest.mark.parametrize("section", list(docs.CHECKS))
def test_pymongo_recipe_over_the_wire(wire_archive, section, monkeypatch, mongo_uri):
    if section == "Full-text search" and is_mongoeco():
        gap = text_score_projection_gap(wire_archive.db)
        if gap:
            pytest.skip(gap)
    checks = docs.CHECKS[section]["python"]
    for (namespace, out), check in zip(
        docs.run_python(wire_archive, section, monkeypatch), checks, strict=True
    ):
        check(namespace, out)


def test_the_text_index_answers_over_the_wire(wire_archive, mongo_uri):
    """What mongoeco does run of the full-text recipe: the $text match on the text index.

    MONGOECO_GAP: with `$text`, mongoeco 4.11 drops every projected field but `_id` (even
    without `$meta`), so this asks for whole documents."""
    hits = wire_archive.db.articles.find({"$text": {"$search": docs.WORD}})
    assert {h["article_id"] for h in hits} == docs.expected_word_hits()


# ---- mongosh ---------------------------------------------------------------------------------


def find_mongosh() -> str | None:
    """mongosh from NEWSCRAWL_MONGOSH, the PATH, or `make mongosh` (.cache/mongosh)."""
    candidates = [
        os.environ.get("NEWSCRAWL_MONGOSH"),
        shutil.which("mongosh"),
        str(REPO / ".cache" / "mongosh" / "node_modules" / ".bin" / "mongosh"),
    ]
    return next((c for c in candidates if c and Path(c).exists()), None)


def mongosh(uri: str, script: str) -> subprocess.CompletedProcess:
    shell = find_mongosh()
    assert shell
    return subprocess.run(
        [shell, uri, "--quiet", "--norc", "--eval", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("section", list(docs.CHECKS))
def test_mongosh_recipe_over_the_wire(wire_archive, section, mongo_uri):
    if find_mongosh() is None:
        pytest.skip(
            "mongosh is not installed (`make mongosh` installs npm's mongosh into .cache/, or "
            "set NEWSCRAWL_MONGOSH); the js blocks are syntax-checked by test_docs_queries"
        )
    db = wire_archive.db.name
    probe = mongosh(mongo_uri, f'db.getSiblingDB("{db}").articles.find().limit(1).toArray()')
    if probe.returncode != 0 and 'BSON element "id" is missing' in probe.stderr + probe.stdout:
        pytest.skip(
            "MONGOECO_GAP: mongoeco 4.11 sends cursor ids as 32-bit integers and mongosh's Node "
            'driver requires 64-bit ones: every find and aggregate fails ("BSON element "id" '
            'is missing"); the mongosh recipes need a real server (NEWSCRAWL_TEST_MONGO_URI)'
        )
    assert probe.returncode == 0, probe.stderr
    for code in docs.blocks(section, "js"):
        statements = [
            f"printjson({s.strip().rstrip(';')})" for s in split_statements(code) if s.strip()
        ]
        script = f'db = db.getSiblingDB("{db}");\n' + "\n".join(statements)
        done = mongosh(mongo_uri, script)
        assert done.returncode == 0, done.stderr + done.stdout
        assert done.stdout.strip(), section


def split_statements(code: str) -> list[str]:
    """The top-level statements of a js block (each starts at column 0 with `db.`)."""
    statements: list[str] = []
    for line in code.splitlines():
        if line.startswith("db."):
            statements.append(line)
        elif statements:
            statements[-1] += "\n" + line
    return statements
