"""`newscrawl export --format parquet`: typed columns, the JSON Lines export's rows, any reader.

Every test runs on each store (SQLite, mongomock, and MongoDB when NEWSCRAWL_TEST_MONGO_URI is
set): the archive is written through the store, exported by newscrawl.cli, and read back with
pyarrow, DuckDB, pandas and polars.
"""

from __future__ import annotations

import dataclasses
import json
import typing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newscrawl import cli
from newscrawl.exits import Exit
from newscrawl.items import ARTICLE_FIELDS, STORED_FIELDS, Article
from newscrawl.parquet import SCHEMA, write_parquet
from tests.helpers import make_doc
from tests.stores import T1, T2, Backend, backend_fixture, store_fixture  # noqa: F401

ARTICLES = 25


@pytest.fixture
def archive(store, backend: Backend, monkeypatch: pytest.MonkeyPatch):
    """The store with 25 articles (one edited), and `newscrawl export` reading it."""
    docs = [
        make_doc(n, tags=[] if n == 3 else ["Pemilu 2024", f"tag-{n}"]) for n in range(ARTICLES)
    ]
    docs[4]["updated_at"] = docs[4]["published_at"] + timedelta(hours=1)
    docs[5]["word_count"] = None
    store.write_articles(docs, run_id="run-1", now=T1)
    store.write_articles([make_doc(7, title="Judul baru")], run_id="run-2", now=T2)

    def open_store(args):
        opened = backend.make()
        opened.open()
        return opened

    monkeypatch.setattr("newscrawl.cli.options.open_store", open_store)
    return store


def export(tmp_path: Path, name: str, *args: str) -> Path:
    path = tmp_path / name
    assert cli.main(["export", *args, "-o", str(path)]) == 0
    return path


def jsonl_rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_schema_is_derived_from_the_article_dataclass():
    hints = typing.get_type_hints(Article)
    assert SCHEMA.names == [*ARTICLE_FIELDS, *STORED_FIELDS]
    for name in SCHEMA.names:
        kind = SCHEMA.field(name).type
        hint = hints.get(name, STORED_FIELDS.get(name))
        if "datetime" in str(hint):
            assert kind == pa.timestamp("us", tz="UTC"), name
        elif "list" in str(hint):
            assert kind == pa.list_(pa.string()), name
        elif "int" in str(hint):
            assert kind == pa.int64(), name
        else:
            assert kind == pa.string(), name


def test_types_in_the_file(archive, tmp_path):
    path = export(tmp_path, "all.parquet", "--format", "parquet")
    table = pq.read_table(path)
    assert table.schema == SCHEMA
    assert table.num_rows == ARTICLES
    rows = {r["article_id"]: r for r in table.to_pylist()}
    first = rows["5500000"]
    assert first["published_at"] == datetime(2024, 3, 1, tzinfo=UTC)
    assert first["published_at"].tzinfo is not None
    assert first["authors"] == ["Ady Anugrahadi", "Penulis 0"]
    assert first["word_count"] == 10 and first["page_count"] == 1
    assert first["version"] == 1 and first["run_id"] == "run-1"
    assert first["_id"] == "liputan6:5500000"
    assert first["first_seen_at"] == T1 and first["updated_at"] is None
    assert rows["5500003"]["tags"] == []
    assert rows["5500005"]["word_count"] is None
    assert rows["5500004"]["updated_at"] == datetime(2024, 3, 1, 5, tzinfo=UTC)
    assert rows["5500007"]["version"] == 2 and rows["5500007"]["title"] == "Judul baru"
    assert rows["5500007"]["last_seen_at"] == T2


FILTERS = [
    (),
    ("--section", "news"),
    ("--since", "2024-03-01T10:00:00Z", "--until", "2024-03-01T20:00:00Z"),
    ("--since", "2024-03-02"),  # midnight WIB: 2024-03-01T17:00Z
    ("--until", "2024-03-02", "--section", "bisnis"),
]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: " ".join(f) or "all")
def test_filters_give_the_json_lines_rows(archive, tmp_path, filters):
    lines = jsonl_rows(export(tmp_path, "a.jsonl", *filters))
    table = pq.read_table(export(tmp_path, "a.parquet", "--format", "parquet", *filters))
    assert table.column("article_id").to_pylist() == [d["article_id"] for d in lines]
    for row, line in zip(table.to_pylist(), lines, strict=True):
        for name in SCHEMA.names:
            value = row[name]
            if isinstance(value, datetime):
                value = value.isoformat().replace("+00:00", "Z")
                assert line[name].replace(".000Z", "Z") == value, name
            else:
                assert value == line.get(name), name


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_an_unknown_section_is_refused_in_every_format(archive, tmp_path, capsys, fmt):
    """Parquet refuses what JSON Lines refuses: exit 2 naming the allowed sections."""
    path = tmp_path / f"a.{fmt}"
    extra = ["--format", "parquet"] if fmt == "parquet" else []
    assert cli.main(["export", *extra, "--section", "nope", "-o", str(path)]) == Exit.USAGE
    assert "unknown section 'nope'; allowed:" in capsys.readouterr().err
    assert not path.exists()


def test_duckdb_pandas_and_polars_read_it(archive, tmp_path):
    path = export(tmp_path, "all.parquet", "--format", "parquet")
    duckdb = pytest.importorskip("duckdb")
    con = duckdb.connect()
    described = {r[0]: r[1] for r in con.execute(f"DESCRIBE SELECT * FROM '{path}'").fetchall()}
    assert described["published_at"] == "TIMESTAMP WITH TIME ZONE"
    assert described["authors"] == "VARCHAR[]"
    assert described["word_count"] == "BIGINT"
    (count,) = con.execute(
        f"SELECT count(*) FROM '{path}' WHERE list_contains(tags, 'Pemilu 2024')"
    ).fetchone()
    assert count == ARTICLES - 1

    pd = pytest.importorskip("pandas")
    frame = pd.read_parquet(path)
    assert len(frame) == ARTICLES
    assert str(frame["published_at"].dt.tz) == "UTC"
    assert list(frame["authors"].iloc[0]) == ["Ady Anugrahadi", "Penulis 0"]

    pl = pytest.importorskip("polars")
    lazy = pl.read_parquet(path)
    assert lazy.schema["published_at"] == pl.Datetime("us", "UTC")
    assert lazy.schema["tags"] == pl.List(pl.String)
    assert lazy.schema["word_count"] == pl.Int64


def test_parquet_needs_an_output_file(archive, capsys):
    assert cli.main(["export", "--format", "parquet"]) == Exit.USAGE
    assert "--format parquet needs -o FILE" in capsys.readouterr().err


def test_rows_are_written_in_batches(tmp_path):
    docs = (dataclasses.asdict(Article(article_id=str(n), tags=[str(n)])) for n in range(25))
    path = tmp_path / "batches.parquet"
    assert write_parquet(docs, path, batch_rows=10) == 25
    meta = pq.ParquetFile(path).metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [10, 10, 5]
    assert write_parquet(iter(()), tmp_path / "empty.parquet") == 0
    assert pq.read_table(tmp_path / "empty.parquet").schema == SCHEMA
