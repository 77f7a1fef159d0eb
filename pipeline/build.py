"""build_pipeline(): wire the steps of a batch ingest run. Builds, never runs (tests build it)."""

from __future__ import annotations

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions

from newsbeam.pipeline.options import NewsbeamOptions
from newsbeam.pipeline.state import Run, StateStore
from newsbeam.transforms.dedup import Deduplicate
from newsbeam.transforms.extract import ExtractArticles, ExtractionSettings
from newsbeam.transforms.inbox import ReadInbox, expand_inbox_path
from newsbeam.transforms.index import ReadIndex
from newsbeam.transforms.sinks import WritePartitionedParquet

__all__ = ["build_pipeline", "extraction_settings"]


def extraction_settings(mode: str) -> ExtractionSettings:
    """The trafilatura settings behind `--extraction-mode`."""
    return {
        "balanced": ExtractionSettings(),
        "precision": ExtractionSettings(favor_precision=True),
        "recall": ExtractionSettings(favor_recall=True),
        "fast": ExtractionSettings(fast=True),
    }[mode]


def _handled_file(row: dict) -> list[tuple[str, str]]:
    return [(row["key"], row["detail"])] if row["kind"] == "file" else []


def _file_index_row(file) -> dict:
    return {"kind": "file", "key": file.path, "detail": file.version}


def build_pipeline(options: PipelineOptions, run: Run) -> beam.Pipeline:
    """The batch pipeline of one run: inbox -> extract -> dedup -> staged Parquet tables."""
    opts = options.view_as(NewsbeamOptions)
    state = StateStore(run.output)
    patterns = [expand_inbox_path(path) for path in opts.inbox or []]
    write = {
        table: WritePartitionedParquet(
            table, run.staging, run.run_id, run.started_at, opts.rows_per_file
        )
        for table in ("articles", "duplicates", "rejects", "index")
    }

    pipeline = beam.Pipeline(options=options)
    index = pipeline | "ReadIndex" >> ReadIndex(state.index_pattern)
    handled = index | "HandledFiles" >> beam.FlatMap(_handled_file)
    items, read_rejects, files = handled | "ReadInbox" >> ReadInbox(patterns, opts.max_page_bytes)
    articles, extract_rejects = items | "ExtractArticles" >> ExtractArticles(
        extraction_settings(opts.extraction_mode), opts.max_page_bytes
    )
    kept, duplicates, dedup_keys = (articles, index) | "Deduplicate" >> Deduplicate()
    rejects = (read_rejects, extract_rejects) | "MergeRejects" >> beam.Flatten()
    new_index = (
        dedup_keys,
        files | "IndexFiles" >> beam.Map(_file_index_row),
    ) | "MergeIndex" >> beam.Flatten()

    _ = kept | "WriteArticles" >> write["articles"]
    _ = duplicates | "WriteDuplicates" >> write["duplicates"]
    _ = rejects | "WriteRejects" >> write["rejects"]
    _ = new_index | "WriteIndex" >> write["index"]
    return pipeline
