"""ReadIndex and read_index_file: the dedup index of earlier runs reads back as it was written."""

from __future__ import annotations

from datetime import datetime, timezone

import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to

from newsbeam.schemas.tables import INDEX
from newsbeam.transforms.index import ReadIndex, read_index_file
from newsbeam.transforms.sinks import WritePartitionedParquet, stamp, write_parquet_file

RUN_ID = "20261125T120000Z-index"
RECORDED = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
PUBLISHED = datetime(2026, 11, 24, 18, 45, 30, tzinfo=timezone.utc)

INDEX_ROWS = [
    {
        "kind": "url",
        "key": "https://news.example.org/a",
        "article_id": "a" * 24,
        "published_at": PUBLISHED,
    },
    {"kind": "hash", "key": "0f" * 32, "article_id": "a" * 24, "published_at": PUBLISHED},
    {
        "kind": "url",
        "key": "https://news.example.org/b",
        "article_id": "b" * 24,
        "published_at": None,
    },
    {"kind": "url", "key": "https://mirror.example.net/a", "article_id": "a" * 24},
    {"kind": "file", "key": "/srv/inbox/batch.jsonl", "detail": "1024:1764072000.000000"},
    {"kind": "file", "key": "/srv/inbox/page.html", "detail": "77:1764072001.500000"},
]


def _expected(row: dict) -> dict:
    """What reading gives back: the index columns, absent ones as None."""
    return {
        "kind": row["kind"],
        "key": row["key"],
        "article_id": row.get("article_id"),
        "detail": row.get("detail"),
        "published_at": row.get("published_at"),
    }


def test_read_index_file_reads_back_what_was_written(tmp_path):
    path = tmp_path / "index" / f"part-{RUN_ID}-00000.parquet"
    write_parquet_file(str(path), [stamp("index", r, RUN_ID, RECORDED) for r in INDEX_ROWS], INDEX)
    rows = list(read_index_file(str(path)))
    assert rows == [_expected(r) for r in INDEX_ROWS]
    assert rows[0]["published_at"].utcoffset().total_seconds() == 0


def test_read_index_reads_what_write_partitioned_parquet_wrote(tmp_path, beam_pipeline):
    with beam_pipeline() as p:
        _ = (
            p
            | "IndexRows" >> beam.Create(INDEX_ROWS)
            | WritePartitionedParquet("index", str(tmp_path), RUN_ID, RECORDED, rows_per_file=4)
        )
    files = sorted((tmp_path / "index").glob("*.parquet"))
    assert len(files) == 2  # six rows, four a file: the index has no partition folders
    assert all(RUN_ID in f.name for f in files)

    with beam_pipeline() as p:
        rows = p | ReadIndex(f"{tmp_path}/index/*.parquet", retention_days=None)
        assert_that(rows, equal_to([_expected(r) for r in INDEX_ROWS]))


def test_read_index_unions_the_files_of_several_runs(tmp_path, beam_pipeline):
    for run, rows in (("run-1", INDEX_ROWS[:2]), ("run-2", INDEX_ROWS[2:])):
        path = tmp_path / "index" / f"part-{run}-00000.parquet"
        write_parquet_file(str(path), [stamp("index", r, run, RECORDED) for r in rows], INDEX)
    with beam_pipeline() as p:
        rows = p | ReadIndex(f"{tmp_path}/index/*.parquet", retention_days=None)
        assert_that(
            rows | beam.Map(lambda r: (r["kind"], r["key"])),
            equal_to([(r["kind"], r["key"]) for r in INDEX_ROWS]),
        )


def test_read_index_with_no_files_is_empty(tmp_path, beam_pipeline):
    with beam_pipeline() as p:
        rows = p | ReadIndex(f"{tmp_path}/_state/index/*.parquet", retention_days=None)
        assert_that(rows, equal_to([]))
