"""Rows of the output tables made where the records are: `stamp` makes a record a row of its
table; `stage_articles` writes a chunk of a batch run's articles to a staged file, in the
extraction process that extracted them (transforms/extract.py), for `WriteStagedArticles`
(transforms/sinks.py) to publish. Without Beam (transforms/files.py)."""

from __future__ import annotations

import dataclasses
import os
import posixpath
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyarrow as pa

from newsbeam.schemas.records import encodable
from newsbeam.schemas.tables import SCHEMA_VERSION, TABLES
from newsbeam.transforms.files import create_file, is_remote

__all__ = ["STAGED_FIELD", "ArticleStaging", "stage_articles", "stamp"]


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
    id and time every row is stamped with."""

    folder: str
    run_id: str
    ingested_at: datetime


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
