"""ReadIndex: the keys earlier runs committed to `OUTPUT/_state/index/` (`schemas.tables.INDEX`).

Read inside the pipeline, so the dedup and skip joins run on the workers, not in the launcher.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import apache_beam as beam
import pyarrow.parquet as pq
from apache_beam.io import fileio
from apache_beam.io.filesystems import FileSystems

__all__ = ["ReadIndex", "read_index_file"]

_COLUMNS = ["kind", "key", "article_id", "detail", "published_at"]


def read_index_file(path: str) -> Iterator[dict[str, Any]]:
    """The rows of one index file, batch by batch, as dicts."""
    with FileSystems.open(path) as handle:
        parquet = pq.ParquetFile(handle)
        for batch in parquet.iter_batches(batch_size=50_000, columns=_COLUMNS):
            yield from batch.to_pylist()


class ReadIndex(beam.PTransform):
    """A file pattern -> index rows (dicts). No matching files is an empty index."""

    def __init__(self, pattern: str) -> None:
        super().__init__()
        self._pattern = pattern

    def expand(self, pbegin):
        return (
            pbegin
            | "ListIndexPattern" >> beam.Create([self._pattern])
            | "MatchIndexFiles" >> fileio.MatchAll(fileio.EmptyMatchTreatment.ALLOW)
            | "ReshuffleIndexFiles" >> beam.Reshuffle()
            | "ReadIndexFiles" >> beam.FlatMap(lambda match: read_index_file(match.path))
        )
