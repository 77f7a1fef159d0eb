"""Rows of the output tables made where the records are: `stamp` makes a record a row of its
table; `stage_articles` writes a chunk of a batch run's articles to a staged file, in the
extraction process that extracted them (transforms/extract.py), for `WriteStagedArticles`
(transforms/sinks.py) to publish; `write_partition` writes a partition's kept rows as the
articles table's files, in an extraction process when the run has them. Without Beam for local
files (transforms/files.py)."""

from __future__ import annotations

import dataclasses
import os
import posixpath
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from newsbeam.schemas.records import encodable
from newsbeam.schemas.tables import SCHEMA_VERSION, TABLES
from newsbeam.transforms.files import create_file, is_remote, open_file, replace_file

__all__ = [
    "COMPRESSION",
    "SMALL_COMPRESSION",
    "STAGED_FIELD",
    "ArticleStaging",
    "file_compression",
    "partition_folder",
    "read_staged_rows",
    "stage_articles",
    "stamp",
    "stream_bytes",
    "stream_table",
    "write_parquet_table",
    "write_partition",
    "write_partitions",
]

COMPRESSION = "zstd"
# A small file is written with snappy: zstd starts a compressor for each of a file's column
# chunks, about 1.2 ms more a file of 26 columns, which a backfill's hundreds of two-row date
# partitions pay for a few kilobytes (bench/BENCHMARKS.md, #20 history).
SMALL_COMPRESSION = "snappy"
SMALL_FILE_BYTES = 256 * 1024  # an Arrow table's size in memory below which a file is small


def stamp(table: str, row: Any, run_id: str, ingested_at: datetime) -> dict[str, Any]:
    """A record as a row of `table`, with the run's id and time. Its strings are made encodable
    (`encodable`) here, where every row of every table passes, so that no input, however it
    reached the row, can make the Parquet writer fail the run."""
    row = encodable(dataclasses.asdict(row) if dataclasses.is_dataclass(row) else dict(row))
    if table == "index":
        return {
            "detail": None,
            "published_at": None,
            **row,
            "recorded_at": ingested_at,
            "run_id": run_id,
        }
    return {**row, "ingested_at": ingested_at, "run_id": run_id, "schema_version": SCHEMA_VERSION}


# -- articles staged where they are extracted (batch runs) --------------------------------------
#
# In a batch run the extraction step writes the article rows itself, a chunk of pages to one
# Arrow file under the run's staging folder (`stage_articles`), and sends on only each article's
# keys and where its row is. Once dedup has decided, `WriteStagedArticles` copies the kept rows
# into the articles table's partition files. The chunk files end in `.arrow`, so the commit,
# which publishes the staged `.parquet` files, never publishes them; they go with the staging
# folder.

STAGED_FIELD = "staged_row"  # in an article's keys: (chunk file, row number)


@dataclass(frozen=True)
class ArticleStaging:
    """Where and how extraction stages article rows: `folder` for the chunk files, and the run
    id and time every row is stamped with; `rows_per_file`, the articles table's files'
    largest, and `articles_folder`, for the partitions written ahead of dedup
    (transforms/sinks.py `write_ahead`)."""

    folder: str
    run_id: str
    ingested_at: datetime
    rows_per_file: int = 20_000
    # The articles table's folder in the run's staging: the write ahead writes into its
    # partitions' folders (None: into a folder of its own, and the write step makes them).
    articles_folder: str | None = None


def stage_articles(staging: ArticleStaging, articles: list[dict[str, Any]]) -> list[tuple]:
    """Write articles as rows of the articles table into one new chunk file under
    `staging.folder`; returns each article's `(file, row number)`."""
    rows = [stamp("articles", a, staging.run_id, staging.ingested_at) for a in articles]
    table = pa.Table.from_pylist(rows, schema=TABLES["articles"][0])
    path = posixpath.join(staging.folder, f"{uuid.uuid4().hex}.arrow")
    if not is_remote(path):
        os.makedirs(staging.folder, exist_ok=True)
    with create_file(path) as handle, pa.ipc.new_file(handle, table.schema) as writer:
        writer.write_table(table)
    return [(path, number) for number in range(len(rows))]


def write_parquet_table(path: str, table: pa.Table) -> None:
    """Write an Arrow table to `path` as Parquet atomically: a hidden temporary name, then a
    rename (over a file of that name: a retried bundle writes the same rows under it)."""
    folder, name = posixpath.split(path)
    temporary = posixpath.join(folder, f".{name}.inprogress")
    if not is_remote(path):
        os.makedirs(folder, exist_ok=True)
    with create_file(temporary) as handle:
        pq.write_table(table, handle, compression=file_compression(table))
    replace_file(temporary, path)


def file_compression(table: pa.Table) -> str:
    """The Parquet codec of a file of `table`'s rows: zstd, or snappy for a small one."""
    return SMALL_COMPRESSION if table.nbytes < SMALL_FILE_BYTES else COMPRESSION


def stream_bytes(table: pa.Table) -> bytes:
    """An Arrow table as the bytes of an Arrow stream (`stream_table` reads it back)."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def stream_table(data: bytes) -> pa.Table:
    return pa.ipc.open_stream(pa.BufferReader(data)).read_all()


def read_staged_rows(path: str, numbers: list[int]) -> pa.Table:
    """The rows `numbers` of a chunk file written by `stage_articles`."""
    with open_file(path) as handle:
        data = handle.read()
    return pa.ipc.open_file(pa.BufferReader(data)).read_all().take(numbers)


def _part_table(part: bytes | tuple[str, list[int]]) -> pa.Table:
    return stream_table(part) if isinstance(part, bytes) else read_staged_rows(*part)


def partition_folder(folder: str, partition: str) -> str:
    """The folder of a partition's files under a table's `folder` (the folder itself for "")."""
    return posixpath.join(folder, partition).rstrip("/")


def write_partition(
    folder: str,
    run_id: str,
    partition: str,
    parts: list[bytes | tuple[str, list[int]]],
    rows_per_file: int,
    suffix: str = "",
    read: Callable[[bytes | tuple[str, list[int]]], pa.Table] = _part_table,
) -> list[tuple[str, int]]:
    """Write a partition's rows as the files `folder/partition/part-<run id>-NNNNN.parquet`
    (followed by `suffix`), `rows_per_file` rows at most each, in the order of `parts`: each
    the rows themselves (as `stream_bytes` gives them) or where they are, (chunk file, row
    numbers), which `read` makes a table. Returns each file's (path, row count). The names are
    the same for the same rows: a write done again replaces its files."""
    table = pa.concat_tables([read(part) for part in parts])
    into = partition_folder(folder, partition)
    written = []
    for number, start in enumerate(range(0, table.num_rows, rows_per_file)):
        chunk = table.slice(start, rows_per_file)
        path = posixpath.join(into, f"part-{run_id}-{number:05d}.parquet{suffix}")
        write_parquet_table(path, chunk)
        written.append((path, chunk.num_rows))
    return written


def write_partitions(
    folder: str,
    run_id: str,
    partitions: list[tuple[str, list[bytes | tuple[str, list[int]]]]],
    rows_per_file: int,
    suffix: str = "",
) -> dict[str, list[tuple[str, int]] | None]:
    """`write_partition` for each (partition, parts), one after the other: partition -> its
    files, or None for one whose write failed (the others are still written)."""
    written: dict[str, list[tuple[str, int]] | None] = {}
    chunks = _ChunkRows(partitions, CHUNK_ROWS_BUDGET)
    for partition, parts in partitions:
        try:
            written[partition] = write_partition(
                folder, run_id, partition, parts, rows_per_file, suffix, chunks.read
            )
        except Exception:  # a full disk, an unreadable chunk file: the write step tries again
            written[partition] = None
    return written


# What `write_partitions` may hold of the chunk files it reads, in Arrow bytes: a few thousand
# pages' rows. At 128 MiB the peak memory of a 50,000-page run whose dates cycle over 28 days
# (every chunk file holds rows of 16 partitions) grew (bench/BENCHMARKS.md, #20 history).
CHUNK_ROWS_BUDGET = 32 * 1024 * 1024


class _ChunkRows:
    """The staged rows of many partitions' parts, for `write_partitions`. Partitions of a
    backfill's dates take a few rows each from the same chunk files (a chunk holds the pages
    of `CHUNK_PAGES` inputs, whatever their dates): each file is read once and every row the
    partitions take from it is taken at once, in the order they ask for them; a part is then
    a slice of that. A file is let go once every part it holds has been read. While the files
    held pass `budget` bytes, a part of a file not held is read on its own (`_part_table`)."""

    def __init__(
        self,
        partitions: list[tuple[str, list[bytes | tuple[str, list[int]]]]],
        budget: int,
    ) -> None:
        # file -> the row numbers of each of its parts still to read
        self._wanted: dict[str, list[tuple[int, ...]]] = {}
        for _partition, parts in partitions:
            for part in parts:
                if not isinstance(part, bytes):
                    self._wanted.setdefault(part[0], []).append(tuple(part[1]))
        self._budget = budget
        self._held_bytes = 0
        # file -> (the rows of its parts still to read when it was read, where each starts)
        self._held: dict[str, tuple[pa.Table, dict[tuple[int, ...], int]]] = {}

    def read(self, part: bytes | tuple[str, list[int]]) -> pa.Table:
        if isinstance(part, bytes) or part[0] not in self._wanted:
            return _part_table(part)
        path, numbers = part[0], tuple(part[1])
        wanted = self._wanted[path]
        if numbers in wanted:
            wanted.remove(numbers)  # read now, held or not
        held = self._held.get(path) or self._hold(path, numbers)
        if held is None or numbers not in held[1]:
            return _part_table(part)
        table, starts = held
        if not wanted:  # every part of the file has been read
            del self._held[path]
            self._held_bytes -= table.nbytes
        return table.slice(starts[numbers], len(numbers))

    def _hold(
        self, path: str, numbers: tuple[int, ...]
    ) -> tuple[pa.Table, dict[tuple[int, ...], int]] | None:
        """Read the rows of `numbers` and of the file's parts still to read, held for those;
        None past the budget, or when the file cannot be read so (each part is then read on
        its own, and fails on its own)."""
        wanted = self._wanted[path]
        if self._held_bytes >= self._budget or not wanted:
            return None
        starts: dict[tuple[int, ...], int] = {}
        order: list[int] = []
        for each in (numbers, *wanted):
            if each not in starts:
                starts[each] = len(order)
                order.extend(each)
        try:
            table = read_staged_rows(path, order)
        except Exception:
            del self._wanted[path]
            return None
        self._held[path] = held = (table, starts)
        self._held_bytes += table.nbytes
        return held
