"""Stored articles as Parquet, typed from the Article schema (pyarrow).

Columns are the Article fields in schema order, then the stored document's own fields
(``STORED_FIELDS``), the same columns as the CSV export. Their Arrow types come from the
Python annotations: ``str`` is a string, ``int`` a 64-bit integer, ``datetime`` a UTC timestamp
(microseconds) and ``list[str]`` a list of strings; nothing is written twice by hand.
Rows are written in record batches, so memory stays flat however big the store is.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from newscrawl.items import ARTICLE_FIELDS, STORED_FIELDS, Article
from newscrawl.store.base import stored_time

TIMESTAMP = pa.timestamp("us", tz="UTC")
BATCH_ROWS = 2000
_SCALARS = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}


def arrow_type(annotation: Any) -> pa.DataType:
    """The Arrow type of a Python annotation: X | None is X (every column is nullable)."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        (inner,) = args
        return arrow_type(inner)
    if typing.get_origin(annotation) is list:
        (inner,) = args
        return pa.list_(arrow_type(inner))
    if annotation is datetime:
        return TIMESTAMP
    if annotation in _SCALARS:
        return _SCALARS[annotation]
    raise TypeError(f"no Arrow type for {annotation!r}")


def export_schema() -> pa.Schema:
    """Every Article field in schema order, then the stored document's fields."""
    hints = typing.get_type_hints(Article)
    columns = {**{name: hints[name] for name in ARTICLE_FIELDS}, **STORED_FIELDS}
    return pa.schema([pa.field(name, arrow_type(kind)) for name, kind in columns.items()])


def _row(doc: Mapping[str, Any], timestamps: frozenset[str]) -> dict[str, Any]:
    """One document as a row of the schema's columns; keys outside it are left out."""
    row = {}
    for name in _NAMES:
        value = doc.get(name)
        if name in timestamps and value is not None and not isinstance(value, datetime):
            value = stored_time(value)  # ISO 8601 text from an older document
        row[name] = value
    return row


SCHEMA = export_schema()
_NAMES = tuple(SCHEMA.names)
_TIMESTAMPS = frozenset(f.name for f in SCHEMA if f.type == TIMESTAMP)


def write_parquet(
    docs: Iterable[Mapping[str, Any]], path: str | Path, batch_rows: int = BATCH_ROWS
) -> int:
    """Write the documents to a Parquet file (zstd), batch_rows at a time; return the count."""
    count = 0
    batch: list[dict[str, Any]] = []
    with pq.ParquetWriter(str(path), SCHEMA, compression="zstd") as writer:
        for doc in docs:
            batch.append(_row(doc, _TIMESTAMPS))
            if len(batch) >= batch_rows:
                writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=SCHEMA))
                count += len(batch)
                batch = []
        if batch:
            writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=SCHEMA))
            count += len(batch)
    return count
