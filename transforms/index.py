"""ReadIndex: the keys earlier runs committed to `OUTPUT/_state/index/` (`schemas.tables.INDEX`);
retention of those keys, and `compact_index`, which rewrites the index without expired rows.

Read inside the pipeline, so the dedup and skip joins run on the workers, not in the launcher.

Retention is by `recorded_at` (when a run committed the row), not by `published_at`: every row
has it, it is the clock of the runs themselves, and it bounds the index by what the last
`retention_days` of runs ingested. Publication dates are missing for some pages, wrong for
others, and a backfill of old archives would age its own keys out before the next run could
use them. Only the dedup kinds (`AGEING_KINDS`) age: the `file` rows that let a re-run skip
unchanged inbox files are kept, or re-running over an old inbox would ingest it again as new
articles once its URL and text keys had expired.
"""

from __future__ import annotations

import json
import logging
import os
import posixpath
import secrets
from collections.abc import Collection, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import apache_beam as beam
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from apache_beam.io import fileio
from apache_beam.io.filesystems import FileSystems

from newsbeam.schemas.tables import INDEX

__all__ = [
    "AGEING_KINDS",
    "ReadIndex",
    "check_index_file",
    "compact_index",
    "handled_files",
    "is_live",
    "read_index_file",
    "retention_cutoff",
]

_LOGGER = logging.getLogger(__name__)

_COLUMNS = ["kind", "key", "article_id", "detail", "published_at"]

# Index kinds that retention ages out: the dedup keys (see transforms/dedup.py).
# "seen" (feed entry links) ages too: an entry still in its feed after the retention window is
# rare, and without it the index would grow by one row per entry forever.
AGEING_KINDS: frozenset[str] = frozenset({"url", "hash", "sketch", "seen"})

# Parquet key-value metadata of a compacted file: the names of the files it replaces.
_REPLACES = b"newsbeam.replaces"
_COMPACT_PREFIX = "compact-"


def retention_cutoff(now: datetime, retention_days: int | None) -> datetime | None:
    """The oldest `recorded_at` still live, or None when nothing ages out."""
    if retention_days is None:
        return None
    if retention_days < 0:
        raise ValueError("retention_days must not be negative")
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    return now - timedelta(days=retention_days)


def is_live(
    row: dict[str, Any], cutoff: datetime | None, kinds: Collection[str] = AGEING_KINDS
) -> bool:
    """False for a row of an ageing kind recorded before `cutoff`. A row with no `recorded_at`
    (built in a test, or by a caller that does not stamp rows) counts as live."""
    if cutoff is None or row.get("kind") not in kinds:
        return True
    recorded = row.get("recorded_at")
    return recorded is None or recorded >= cutoff


def _live_mask(batch: pa.RecordBatch | pa.Table, cutoff: datetime, kinds: Collection[str]):
    ageing = pc.is_in(batch.column("kind"), value_set=pa.array(sorted(kinds), pa.string()))
    recorded = pa.scalar(cutoff, INDEX.field("recorded_at").type)
    expired = pc.and_(ageing, pc.less(batch.column("recorded_at"), recorded))
    return pc.invert(pc.fill_null(expired, False))


def read_index_file(
    path: str, cutoff: datetime | None = None, kinds: Collection[str] = AGEING_KINDS
) -> Iterator[dict[str, Any]]:
    """The rows of one index file, batch by batch, as dicts of `kind`, `key`, `article_id`,
    `detail` and `published_at`; rows expired at `cutoff` left out."""
    columns = [*_COLUMNS, "recorded_at"] if cutoff is not None else _COLUMNS
    with FileSystems.open(path) as handle:
        parquet = pq.ParquetFile(handle)
        for batch in parquet.iter_batches(batch_size=50_000, columns=columns):
            if cutoff is not None:
                batch = batch.filter(_live_mask(batch, cutoff, kinds)).select(_COLUMNS)
            yield from batch.to_pylist()


def check_index_file(path: str) -> None:
    """Decode one index file whole, the columns a run reads, without making Python objects of
    its rows; raises when it is damaged (truncated, garbled, not Parquet, or without the
    index's columns)."""
    with FileSystems.open(path) as handle:
        for _batch in pq.ParquetFile(handle).iter_batches(batch_size=50_000, columns=_COLUMNS):
            pass


def handled_files(pattern: str) -> dict[str, set[str]]:
    """Inbox path -> the versions of it that runs handled: the `file` rows of the index files
    matching `pattern` (they never age), read without making Python objects of other rows."""
    handled: dict[str, set[str]] = {}
    for meta in FileSystems.match([pattern])[0].metadata_list:
        with FileSystems.open(meta.path) as handle:
            parquet = pq.ParquetFile(handle)
            for batch in parquet.iter_batches(batch_size=50_000, columns=["kind", "key", "detail"]):
                files = batch.filter(pc.equal(batch.column("kind"), "file"))
                for path, version in zip(
                    files.column("key").to_pylist(), files.column("detail").to_pylist(), strict=True
                ):
                    handled.setdefault(path, set()).add(version)
    return handled


class ReadIndex(beam.PTransform):
    """A file pattern -> live index rows (dicts). No matching files is an empty index.

    `retention_days` (None: keep everything) ages out rows of `kinds` recorded more than that
    many days before `now` (default: when the pipeline is built; pass the run's start time).
    """

    def __init__(
        self,
        pattern: str,
        retention_days: int | None = 30,
        now: datetime | None = None,
        kinds: Collection[str] = AGEING_KINDS,
    ) -> None:
        super().__init__()
        self._pattern = pattern
        self._cutoff = retention_cutoff(now or datetime.now(timezone.utc), retention_days)
        self._kinds = frozenset(kinds)

    def expand(self, pbegin):
        cutoff, kinds = self._cutoff, self._kinds
        return (
            pbegin
            | "ListIndexPattern" >> beam.Create([self._pattern])
            | "MatchIndexFiles" >> fileio.MatchAll(fileio.EmptyMatchTreatment.ALLOW)
            | "ReshuffleIndexFiles" >> beam.Reshuffle()
            | "ReadIndexFiles"
            >> beam.FlatMap(lambda match: read_index_file(match.path, cutoff, kinds))
        )


# -- compaction --------------------------------------------------------------------------------


def _is_local(path: str) -> bool:
    return "://" not in path


def _join(folder: str, name: str) -> str:
    return os.path.join(folder, name) if _is_local(folder) else posixpath.join(folder, name)


def _basename(path: str) -> str:
    return os.path.basename(path) if _is_local(path) else posixpath.basename(path)


def _dirname(path: str) -> str:
    return os.path.dirname(path) if _is_local(path) else posixpath.dirname(path)


def _list(index_dir: str, pattern: str) -> list[str]:
    matched = FileSystems.match([_join(index_dir, pattern)])[0].metadata_list
    return sorted(m.path for m in matched)


def _replaced_by(path: str) -> list[str]:
    with FileSystems.open(path) as handle:
        metadata = pq.ParquetFile(handle).schema_arrow.metadata or {}
    return json.loads(metadata.get(_REPLACES, b"[]"))


def _read(path: str) -> pa.Table:
    with FileSystems.open(path) as handle:
        table = pq.read_table(handle)
    return table.select(INDEX.names).cast(INDEX)


def _write_atomically(path: str, table: pa.Table) -> None:
    temporary = _join(_dirname(path), f".{_basename(path)}.inprogress")
    with FileSystems.create(temporary) as handle:
        pq.write_table(table, handle, compression="zstd")
    FileSystems.rename([temporary], [path])


def compact_index(
    index_dir: str,
    retention_days: int,
    now: datetime,
    kinds: Collection[str] = AGEING_KINDS,
) -> int:
    """Rewrite the index files of `index_dir` that hold expired rows without them.

    Returns the number of expired rows removed. The files holding expired rows are merged into
    one new file, `compact-<time>-<random>.parquet`, whose Parquet metadata lists the names of
    the files it replaces; it is written under a hidden temporary name and renamed, and only
    then are the old files deleted. Killed at any point, the index stays consistent: before the
    rename the old files are intact (the temporary is not `*.parquet` and is never read);
    after it, a live row may be there twice (in the new file and an old one), which dedup does
    not mind, and the next call first finishes the job by deleting the files a compacted file
    says it replaces. Meant to run under the output's lock, like the commit.
    """
    cutoff = retention_cutoff(now, retention_days)
    if cutoff is None:
        return 0
    for leftover in _list(index_dir, f".{_COMPACT_PREFIX}*.inprogress"):
        FileSystems.delete([leftover])  # a compaction killed before its rename
    files = _list(index_dir, "*.parquet")
    by_name = {_basename(path): path for path in files}
    obsolete: set[str] = set()
    for path in files:
        if _basename(path).startswith(_COMPACT_PREFIX):
            obsolete.update(n for n in _replaced_by(path) if n != _basename(path))
    obsolete &= set(by_name)
    if obsolete:
        _LOGGER.warning("finishing an interrupted index compaction: %s", sorted(obsolete))
        FileSystems.delete([by_name[name] for name in sorted(obsolete)])
        files = [path for path in files if _basename(path) not in obsolete]

    chosen: list[str] = []
    live_parts: list[pa.Table] = []
    removed = 0
    for path in files:
        table = _read(path)
        mask = _live_mask(table, cutoff, kinds)
        live = table.filter(mask)
        if live.num_rows < table.num_rows:
            chosen.append(path)
            live_parts.append(live)
            removed += table.num_rows - live.num_rows
    if not chosen:
        return 0
    live = pa.concat_tables(live_parts) if live_parts else INDEX.empty_table()
    if live.num_rows:
        name = f"{_COMPACT_PREFIX}{now.strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(4)}.parquet"
        replaces = json.dumps(sorted(_basename(p) for p in chosen)).encode("utf-8")
        live = live.replace_schema_metadata({_REPLACES: replaces})
        _write_atomically(_join(index_dir, name), live)
    FileSystems.delete(chosen)
    _LOGGER.info("index compaction: %d expired rows removed from %d files", removed, len(chosen))
    return removed
