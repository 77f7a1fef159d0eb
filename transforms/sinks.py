"""WritePartitionedParquet: rows -> Hive-partitioned Parquet files that appear whole; and
WriteStagedArticles, which copies into them the article rows a batch run's extraction staged
(writing the files in the run's extraction processes when it has them).

Beam's own `WriteToParquet` has no dynamic destinations and `WriteToFiles` loses rows when a
partition folder is missing (Beam 2.77: the rename fails with only a warning), so this sink is
small and explicit: rows are grouped by partition, each group is written in chunks under
deterministic names (a retried bundle rewrites the same files rather than adding copies), each
file is written to a hidden temporary name and renamed into place.
"""

from __future__ import annotations

import collections
import concurrent.futures
import itertools
import os
import pickle
import posixpath
import threading
import uuid
from collections.abc import Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import apache_beam as beam
import pyarrow as pa
from apache_beam.metrics import Metrics
from apache_beam.transforms.window import GlobalWindow, GlobalWindows

from newsbeam.schemas.tables import TABLES
from newsbeam.transforms.extraction_pool import ExtractionPool, shared_pool
from newsbeam.transforms.files import is_remote, replace_file
from newsbeam.transforms.staging import (
    STAGED_FIELD,
    ArticleStaging,
    partition_folder,
    read_staged_rows,
    stage_articles,
    stamp,
    stream_bytes,
    write_parquet_table,
    write_partition,
    write_partitions,
)

__all__ = [
    "STAGED_FIELD",
    "ArticleStaging",
    "WritePartitionedParquet",
    "WriteStagedArticles",
    "WriteWindowedParquet",
    "partition_of",
    "read_staged_rows",
    "stage_articles",
    "stamp",
    "take_written_ahead",
    "write_ahead",
    "write_parquet_file",
    "write_parquet_table",
]

_BATCH_ROWS = 500  # rows per element in the shuffle in front of a batch run's writes


def partition_of(table: str, row: dict[str, Any]) -> str:
    """The Hive partition folder of a row (`published_date=2026-11-25`), or "" for none."""
    column = TABLES[table][1]
    if column is None:
        return ""
    when = row.get("published_at") if table == "articles" else None
    return f"{column}={(when or row['ingested_at']).astimezone(timezone.utc).date().isoformat()}"


def staged_partition(published_at: datetime | None, ingested_at: datetime) -> str:
    """The articles table's partition of a staged article, from its keys' published time."""
    return partition_of("articles", {"published_at": published_at, "ingested_at": ingested_at})


def write_parquet_file(path: str, rows: list[dict[str, Any]], schema: pa.Schema) -> None:
    """Write rows to `path` atomically: a hidden temporary name first, then a rename."""
    write_parquet_table(path, pa.Table.from_pylist(rows, schema=schema))


# In a batch run the extraction step stages the article rows (transforms/staging.py); once dedup
# has decided, `WriteStagedArticles` copies the kept rows into the articles table's partition
# files.


# -- partitions written ahead of dedup (local runs) -------------------------------------------
#
# Once the extraction step has emitted its last article, its extraction processes would be idle
# while this process runs dedup. The step hands one of them the partitions' staged rows to write
# as the articles table's files, as if dedup kept every row (`write_ahead`), one partition after
# the other in that one process, so that dedup keeps the other core. The files go into the
# partitions' folders of the articles table in the run's staging (`ArticleStaging.
# articles_folder`; without one, to a folder of their own under the staging folder), under names
# the commit does not publish: the file's own name, then a token of this write ahead, then
# `.ahead`, so that two bundles' writes never meet. `WriteStagedArticles` renames a partition's
# files to their own names when dedup kept exactly the rows they hold (`take_written_ahead`),
# and writes it as usual otherwise (a duplicate dropped, rows of that partition from another
# bundle, a failed write). The files left unused go with the staging folder.

AHEAD_SUFFIX = ".ahead"


@dataclass(frozen=True)
class _Ahead:
    rows: frozenset[tuple[str, int]]  # (chunk file, row number) of each row written
    rows_per_file: int
    future: concurrent.futures.Future  # of `write_partitions`: partition -> files or None
    suffix: str  # after each file's own name


# (run id, partition) -> the latest write ahead of that partition in this process. Another
# bundle's, or another worker process's, has files of another token and holds other rows.
_WRITTEN_AHEAD: dict[tuple[str, str], _Ahead] = {}
_AHEAD_LOCK = threading.Lock()


def write_ahead(
    pool: ExtractionPool,
    staging: ArticleStaging,
    staged: Iterable[tuple[tuple[str, int], datetime | None]],
) -> int:
    """Have one of `pool`'s processes write the partitions of the staged rows `staged` ((chunk
    file, row number), published time) ahead of dedup, each as `write_partition` would once
    every row is kept. Returns the number of partitions handed over."""
    chunks_by_partition: dict[str, dict[str, list[int]]] = {}
    for (path, number), published_at in staged:
        partition = staged_partition(published_at, staging.ingested_at)
        chunks = chunks_by_partition.setdefault(partition, {})
        chunks.setdefault(path, []).append(number)
    if not chunks_by_partition:
        return 0
    tasks = [
        (partition, [(path, sorted(numbers)) for path, numbers in sorted(chunks.items())])
        for partition, chunks in chunks_by_partition.items()
    ]
    token = uuid.uuid4().hex
    folder = staging.articles_folder or posixpath.join(staging.folder, "ahead", token)
    suffix = f".{token}{AHEAD_SUFFIX}"
    args = (folder, staging.run_id, tasks, staging.rows_per_file, suffix)
    try:
        future = pool.submit_call(write_partitions, *args)
    except RuntimeError:  # the pool is closed
        return 0
    with _AHEAD_LOCK:
        for key in [key for key in _WRITTEN_AHEAD if key[0] != staging.run_id]:
            del _WRITTEN_AHEAD[key]  # an earlier run's (a `newsbeam stream` process)
        for partition, parts in tasks:
            _WRITTEN_AHEAD[(staging.run_id, partition)] = _Ahead(
                _located_rows(parts), staging.rows_per_file, future, suffix
            )
    return len(tasks)


def take_written_ahead(
    folder: str,
    run_id: str,
    partition: str,
    parts: list[bytes | tuple[str, list[int]]],
    rows_per_file: int,
) -> list[tuple[str, int]] | None:
    """The files of a partition written ahead of dedup, renamed into place under `folder` as
    `write_partition(folder, run_id, partition, parts, rows_per_file)` names them, when they
    hold exactly the rows `parts` locates; None when there are none such (then write it)."""
    with _AHEAD_LOCK:
        ahead = _WRITTEN_AHEAD.pop((run_id, partition), None)
    if ahead is None or ahead.rows_per_file != rows_per_file:
        return None
    if any(isinstance(part, bytes) for part in parts) or _located_rows(parts) != ahead.rows:
        return None
    try:
        written = ahead.future.result()[partition]
    except Exception:  # its process died, or the pool was shut down
        return None
    if written is None:  # the write failed
        return None
    into = partition_folder(folder, partition)
    placed = []
    for path, count in written:
        destination = posixpath.join(into, posixpath.basename(path).removesuffix(ahead.suffix))
        try:
            replace_file(path, destination)
        except FileNotFoundError:  # written elsewhere (no `ArticleStaging.articles_folder`)
            os.makedirs(into, exist_ok=True)
            replace_file(path, destination)
        placed.append((destination, count))
    return placed


def _located_rows(parts: list[tuple[str, list[int]]]) -> frozenset[tuple[str, int]]:
    """(chunk file, row number) of each row that a partition's parts locate."""
    return frozenset((path, number) for path, numbers in parts for number in numbers)


class _LocateRowsFn(beam.DoFn):
    """Kept articles' keys of a bundle -> (chunk file, [(row number, partition)]) for each chunk
    file their rows are in: one element a file, not one a row, crosses the grouping by file.
    Batch (global window) only: the lists are emitted at the end of the bundle."""

    def __init__(self, ingested_at: datetime) -> None:
        self._ingested_at = ingested_at

    def start_bundle(self) -> None:
        self._rows: dict[str, list[tuple[int, str]]] = {}

    def process(self, kept: tuple[dict[str, Any], bytes]) -> None:
        light = kept[0]
        path, number = light[STAGED_FIELD]
        partition = staged_partition(light.get("published_at"), self._ingested_at)
        self._rows.setdefault(path, []).append((number, partition))

    def finish_bundle(self):
        for path, rows in self._rows.items():
            yield GlobalWindows.windowed_value((path, rows))
        self._rows = {}


class _SplitChunkFn(beam.DoFn):
    """(chunk file, [lists of (row number, partition)]) -> (partition, part of its rows), one per
    partition the file's kept rows fall in. The part is the rows themselves, as Arrow stream
    bytes (each chunk file is read once, here), or, when the run's extraction processes will
    write the partitions (`shared_pool`: a local run with local output), only where they are,
    (chunk file, row numbers): those processes read them, and no row passes through here."""

    def start_bundle(self) -> None:
        self._located = shared_pool() is not None

    def process(self, element):
        path, lists = element
        # By partition, then row number: one `take` puts each partition's rows side by side,
        # in the order of the file, and a slice (no copy) picks them out.
        wanted = sorted(
            (row for rows in lists for row in rows), key=lambda pair: (pair[1], pair[0])
        )
        if self._located and not is_remote(path):
            for partition, rows in itertools.groupby(wanted, key=lambda pair: pair[1]):
                yield partition, (path, [number for number, _ in rows])
            return
        table = read_staged_rows(path, [number for number, _ in wanted])
        start = 0
        for partition, rows in itertools.groupby(partition for _, partition in wanted):
            count = sum(1 for _ in rows)
            yield partition, stream_bytes(table.slice(start, count))
            start += count


class _WriteStagedPartitionFn(beam.DoFn):
    """(partition, [parts of its rows, as `_SplitChunkFn` gives them]) -> (path, row count) of
    each articles file written, `rows_per_file` rows at most, under the names
    `_WritePartitionFn` gives (`write_partition`).

    A local run's extraction processes are idle by now: with local output, the files are
    written there (`shared_pool`), `2 * processes` partitions at a time, from the chunk files
    they staged, and this process hands over only where the rows are; results are emitted as
    they complete and the rest at the end of the bundle, in the global window (batch runs).
    Without them (Dataflow, one extraction process, output in a bucket) each partition is
    written here, as it comes. A write that fails raises here either way; a partition whose
    process died, or that the pool no longer takes or dropped because it was closed under
    this step, is written here. (Beam's local runner tears down the extraction step, whose
    pool this is, once that step has been idle for a minute, from a thread of its own: a long
    dedup and write after a large extraction meets a closed pool.)"""

    def __init__(self, folder: str, run_id: str, rows_per_file: int) -> None:
        self._folder = folder
        self._run_id = run_id
        self._rows_per_file = rows_per_file
        self._rows = Metrics.counter("newsbeam", "rows_articles")

    def start_bundle(self) -> None:
        self._pool: ExtractionPool | None = None if is_remote(self._folder) else shared_pool()
        self._pending: collections.deque[tuple[tuple, concurrent.futures.Future]] = (
            collections.deque()
        )

    def process(self, element):
        partition, parts = element
        task = (self._folder, self._run_id, partition, list(parts), self._rows_per_file)
        if self._pool is not None:
            ahead = take_written_ahead(*task)
            if ahead is not None:
                yield from self._counted(ahead)
                return
            try:
                future = self._pool.submit_call(write_partition, *task)
            except RuntimeError:  # closed: `concurrent.futures` refuses new work
                self._pool = None
        if self._pool is None:
            yield from self._counted(write_partition(*task))
            return
        self._pending.append((task, future))
        while self._pending and (
            len(self._pending) > self._pool.window or self._pending[0][1].done()
        ):
            yield from self._next_written()

    def _next_written(self):
        task, future = self._pending.popleft()
        try:
            written = future.result()
        except (BrokenProcessPool, concurrent.futures.CancelledError):
            written = write_partition(*task)
        yield from self._counted(written)

    def _counted(self, written: list[tuple[str, int]]):
        for path, rows in written:
            self._rows.inc(rows)
            yield path, rows

    def finish_bundle(self):
        while self._pending:
            for output in self._next_written():
                yield GlobalWindows.windowed_value(output)


class WriteStagedArticles(beam.PTransform):
    """Kept articles as `Deduplicate(unpack=False)` gives them, (keys with `STAGED_FIELD`,
    b"") -> their rows, copied from the chunk files extraction staged into Parquet under
    `root/articles/<partition>/`. Returns the (path, row count) of each file written, as
    `WritePartitionedParquet` does."""

    def __init__(
        self, root: str, run_id: str, ingested_at: datetime, rows_per_file: int = 20_000
    ) -> None:
        super().__init__()
        self._root = root
        self._run_id = run_id
        self._ingested_at = ingested_at
        self._rows_per_file = rows_per_file

    @staticmethod
    def folder(root: str) -> str:
        """The folder under `root` the articles' partitions are written into."""
        return posixpath.join(root, "articles")

    def expand(self, keys):
        return (
            keys
            | "LocateRows" >> beam.ParDo(_LocateRowsFn(self._ingested_at))
            | "GroupByChunk" >> beam.GroupByKey()
            | "SplitChunks" >> beam.ParDo(_SplitChunkFn())
            | "GroupByPartition" >> beam.GroupByKey()
            | "WriteFiles"
            >> beam.ParDo(
                _WriteStagedPartitionFn(self.folder(self._root), self._run_id, self._rows_per_file)
            )
        )


class _WritePartitionFn(beam.DoFn):
    """(partition, rows) -> (path, row count) of each file written under `folder`,
    `rows_per_file` at most. Names are deterministic (a retried bundle rewrites the same files):
    the run id, and for a fixed window of a streaming job its start, then a chunk number.
    `packed`: the rows come as batches made by `_BatchByPartitionFn`."""

    def __init__(
        self, table: str, folder: str, run_id: str, rows_per_file: int, packed: bool = False
    ) -> None:
        self._table = table
        self._packed = packed
        self._folder = folder
        self._run_id = run_id
        self._rows_per_file = rows_per_file
        self._rows = Metrics.counter("newsbeam", f"rows_{table}")

    def process(self, element, window=beam.DoFn.WindowParam) -> Iterator[tuple[str, int]]:
        partition, rows = element
        if self._packed:
            rows = _unpacked_rows(rows)
        schema = TABLES[self._table][0]
        prefix = f"part-{self._run_id}"
        if not isinstance(window, GlobalWindow):  # a batch run's rows are all in the global one
            prefix += "-" + window.start.to_utc_datetime().strftime("%Y%m%dT%H%M%SZ")
        folder = partition_folder(self._folder, partition)
        for number, chunk in enumerate(_chunks(rows, self._rows_per_file)):
            path = posixpath.join(folder, f"{prefix}-{number:05d}.parquet")
            write_parquet_file(path, chunk, schema)
            self._rows.inc(len(chunk))
            yield path, len(chunk)


def _chunks(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _BatchByPartitionFn(beam.DoFn):
    """Rows of a bundle, or lists of rows -> (partition, packed batch of stamped rows), `size`
    rows at most per batch: the shuffle in front of the writes then moves a few values rather
    than every row, each of which costs a local runner tens of microseconds, and holds each batch
    as one compressed bytes object (`_pack_rows`), not as the rows' Python objects. Batch
    (global window) only: batches left at the end of a bundle are emitted in the global window."""

    def __init__(self, table: str, run_id: str, ingested_at: datetime, size: int) -> None:
        self._table = table
        self._run_id = run_id
        self._ingested_at = ingested_at
        self._size = size

    def start_bundle(self) -> None:
        self._batches: dict[str, list[dict[str, Any]]] = {}

    def process(self, rows):
        for row in rows if isinstance(rows, list) else (rows,):
            row = stamp(self._table, row, self._run_id, self._ingested_at)
            partition = partition_of(self._table, row)
            batch = self._batches.setdefault(partition, [])
            batch.append(row)
            if len(batch) >= self._size:
                del self._batches[partition]
                yield partition, _pack_rows(batch)

    def finish_bundle(self):
        for partition, batch in self._batches.items():
            yield GlobalWindows.windowed_value((partition, _pack_rows(batch)))
        self._batches = {}


# zstd at Arrow's default level: as small as zlib's fastest level on these batches (the index
# rows' sketches hardly compress), and several times faster (bench/BENCHMARKS.md, #20 history).
_PACK_CODEC = "zstd"
_PACK_LENGTH = 8  # bytes in front of a packed batch: its length unpacked


def _pack_rows(rows: list[dict[str, Any]]) -> bytes:
    data = pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)
    packed = pa.compress(data, _PACK_CODEC, asbytes=True)
    return len(data).to_bytes(_PACK_LENGTH, "little") + packed


def _unpacked_rows(batches: Iterable[bytes]) -> Iterator[dict[str, Any]]:
    for batch in batches:
        size = int.from_bytes(batch[:_PACK_LENGTH], "little")
        data = pa.decompress(memoryview(batch)[_PACK_LENGTH:], size, _PACK_CODEC, asbytes=True)
        yield from pickle.loads(data)


class WritePartitionedParquet(beam.PTransform):
    """Rows of one table (dicts or records, or lists of them) -> Parquet under
    `root/<table>/<partition>/`.

    Returns a PCollection of (path, row count) for the files written.
    """

    def __init__(
        self, table: str, root: str, run_id: str, ingested_at: datetime, rows_per_file: int = 20_000
    ) -> None:
        super().__init__()
        if table not in TABLES:
            raise ValueError(f"unknown table {table!r}")
        self._table = table
        self._root = root
        self._run_id = run_id
        self._ingested_at = ingested_at
        self._rows_per_file = rows_per_file

    def expand(self, rows):
        table, run_id = self._table, self._run_id
        return (
            rows
            | "StampAndBatchRows"
            # Declared: Beam's inference of the type would walk every path of `process`'s
            # bytecode (about 1.5 s of a run's start).
            >> beam.ParDo(
                _BatchByPartitionFn(table, run_id, self._ingested_at, _BATCH_ROWS)
            ).with_output_types(beam.typehints.KV[str, bytes])
            | "GroupByPartition" >> beam.GroupByKey()
            | "WriteFiles"
            >> beam.ParDo(
                _WritePartitionFn(
                    table,
                    posixpath.join(self._root, table),
                    run_id,
                    self._rows_per_file,
                    packed=True,
                )
            )
        )


class WriteWindowedParquet(beam.PTransform):
    """Rows of one table from an unbounded job -> complete Parquet files under `folder`, one set
    per fixed window of `window_seconds`, each visible as soon as its window closes (written to
    a hidden name and renamed, as in batch; no commit step, a streaming job never ends)."""

    def __init__(
        self,
        table: str,
        folder: str,
        job_id: str,
        window_seconds: float,
        rows_per_file: int = 20_000,
    ) -> None:
        super().__init__()
        if table not in TABLES:
            raise ValueError(f"unknown table {table!r}")
        self._table = table
        self._folder = folder
        self._job_id = job_id
        self._window_seconds = window_seconds
        self._rows_per_file = rows_per_file

    def expand(self, rows):
        table, job_id = self._table, self._job_id
        return (
            rows
            | "StampRows"
            >> beam.Map(lambda row: stamp(table, row, job_id, datetime.now(timezone.utc)))
            | "Window" >> beam.WindowInto(beam.window.FixedWindows(self._window_seconds))
            | "KeyByPartition" >> beam.Map(lambda row: (partition_of(table, row), row))
            | "GroupByPartition" >> beam.GroupByKey()
            | "WriteFiles"
            >> beam.ParDo(_WritePartitionFn(table, self._folder, job_id, self._rows_per_file))
        )
