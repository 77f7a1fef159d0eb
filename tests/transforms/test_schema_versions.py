"""An articles folder that mixes version 1 files (before `authors`, `published_at_precision`,
`published_offset_minutes`) with version 2 files reads whole in DuckDB and pyarrow, the old rows
with nulls in the new columns."""

from __future__ import annotations

from datetime import datetime, timezone

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from newsbeam.schemas.tables import ARTICLES, SCHEMA_VERSION
from newsbeam.transforms.sinks import stamp, write_parquet_file

VERSION_2_COLUMNS = ("authors", "published_at_precision", "published_offset_minutes")
# What version 1 wrote: the same columns without the three added in version 2.
ARTICLES_V1 = pa.schema([f for f in ARTICLES if f.name not in VERSION_2_COLUMNS])
WHEN = datetime(2026, 4, 28, 16, 45, tzinfo=timezone.utc)


def article(number: int, **extra) -> dict:
    return {
        "article_id": f"id{number}",
        "url": f"https://paper.example/{number}",
        "canonical_url": f"https://paper.example/{number}",
        "origin": "inbox",
        "title": f"Story {number}",
        "author": "Ruth Abend; Tomas Weir",
        "published_at": WHEN,
        "text": "words " * 30,
        "content_hash": f"h{number}",
        "content_source": "inbox",
        **extra,
    }


def write_mixed_folder(root) -> None:
    folder = root / "articles" / "published_date=2026-04-28"
    folder.mkdir(parents=True)
    old = {**stamp("articles", article(1), "20260101T000000Z-aaaaaa", WHEN), "schema_version": 1}
    write_parquet_file(
        str(folder / "part-20260101T000000Z-aaaaaa-00000.parquet"), [old], ARTICLES_V1
    )
    new = stamp(
        "articles",
        article(
            2,
            authors=["Ruth Abend", "Tomas Weir"],
            published_at_precision="instant",
            published_offset_minutes=120,
        ),
        "20261205T000000Z-bbbbbb",
        WHEN,
    )
    write_parquet_file(str(folder / "part-20261205T000000Z-bbbbbb-00000.parquet"), [new], ARTICLES)


def test_the_schema_version_is_2_and_has_the_new_columns():
    assert SCHEMA_VERSION == 2
    assert [f.name for f in ARTICLES][-3:] == list(VERSION_2_COLUMNS)


def test_duckdb_reads_version_1_and_2_files_together(tmp_path):
    write_mixed_folder(tmp_path)
    rows = duckdb.sql(
        f"SELECT article_id, schema_version, authors, published_at_precision, "
        f"published_offset_minutes, published_date FROM read_parquet("
        f"'{tmp_path}/articles/*/*.parquet', hive_partitioning = true, union_by_name = true) "
        f"ORDER BY article_id"
    ).fetchall()
    assert [row[:5] for row in rows] == [
        ("id1", 1, None, None, None),
        ("id2", 2, ["Ruth Abend", "Tomas Weir"], "instant", 120),
    ]
    assert {str(row[5]) for row in rows} == {"2026-04-28"}


def test_pyarrow_reads_version_1_and_2_files_together(tmp_path):
    write_mixed_folder(tmp_path)
    partitioning = ds.partitioning(pa.schema([("published_date", pa.date32())]), flavor="hive")
    found = ds.dataset(tmp_path / "articles", format="parquet", partitioning=partitioning)
    newest = max(found.files, key=lambda path: path.rsplit("part-", 1)[-1])
    schema = pa.unify_schemas([pq.read_schema(newest), partitioning.schema])
    table = ds.dataset(
        tmp_path / "articles", format="parquet", partitioning=partitioning, schema=schema
    ).to_table()
    rows = sorted(table.to_pylist(), key=lambda row: row["article_id"])
    assert [(r["schema_version"], r["authors"], r["published_offset_minutes"]) for r in rows] == [
        (1, None, None),
        (2, ["Ruth Abend", "Tomas Weir"], 120),
    ]
