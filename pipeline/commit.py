"""CommitRun: the commit as the pipeline's last step, for launches nobody waits for.

`newsbeam ingest` normally commits from the launcher once the job has finished (cli.py), where
it can also check the `inputs` metric against the rows written. A Flex Template launch hands the
job over and exits first, so there the job commits itself: a single element waits, through side
inputs, for every table's writes to finish, then records the run, publishes its files, compacts
the index and releases the lock the launcher took. The step is safe to retry (a runner may run it
twice): once the run record exists, a retry only finishes publishing.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

import apache_beam as beam

from newsbeam.pipeline.state import Run, StateStore
from newsbeam.transforms.index import compact_index

__all__ = ["MIN_INPUTS_FOR_RATIO", "CommitRun", "RejectRatioExceeded", "commit_counts"]

_LOGGER = logging.getLogger(__name__)

# --max-reject-ratio applies from this many inputs on: below it a few bad files are not a trend.
MIN_INPUTS_FOR_RATIO = 20


def commit_counts(staged: dict[str, list[tuple[str, int]]]) -> dict[str, int]:
    """Rows a run staged per table (articles, duplicates, rejects)."""
    return {
        table: sum(rows for _, rows in staged.get(table, []))
        for table in ("articles", "duplicates", "rejects")
    }


class RejectRatioExceeded(RuntimeError):
    """Most inputs failed: the run is not committed (a broken deployment, not a quiet day)."""


class _CommitRunFn(beam.DoFn):
    def __init__(self, run: Run, max_reject_ratio: float, retention_days: int | None) -> None:
        self._output = run.output
        self._run_id = run.run_id
        self._started_at = run.started_at
        self._max_reject_ratio = max_reject_ratio
        self._retention_days = retention_days

    def process(self, _trigger: Any, *_written: list) -> None:
        state = StateStore(self._output)
        run = Run(self._output, self._run_id, self._started_at)
        if state.run_record(self._run_id) is None:
            staged = state.staged_files(run)
            counts = commit_counts(staged)
            total = sum(counts.values())
            if total >= MIN_INPUTS_FOR_RATIO and counts["rejects"] / total > self._max_reject_ratio:
                state.release_for(self._run_id)
                raise RejectRatioExceeded(
                    f"{counts['rejects']} of {total} inputs were rejected, more than "
                    f"--max-reject-ratio {self._max_reject_ratio:g}: nothing was committed"
                )
            seconds = (datetime.now(timezone.utc) - self._started_at).total_seconds()
            state.commit(
                run,
                {
                    "command": "ingest",
                    "started_at": self._started_at.isoformat(),
                    "seconds": round(seconds, 3),
                    # No launcher waits to read the `inputs` metric: inputs are the rows.
                    "counts": {"inputs": total, **counts, "skipped": None},
                    "committed_by": "pipeline",
                },
            )
        else:
            _LOGGER.warning("run %s is recorded already: finishing its commit", self._run_id)
            state.recover()
        try:
            compact_index(state.index_dir, self._retention_days, self._started_at)
        except Exception:  # a failure here loses nothing: the next run compacts
            _LOGGER.exception("the index was not compacted")
        state.release_for(self._run_id)


class CommitRun(beam.PTransform):
    """The written files of every table -> nothing; commits the run once all are written."""

    def __init__(self, run: Run, max_reject_ratio: float, retention_days: int | None) -> None:
        super().__init__()
        self._fn = _CommitRunFn(run, max_reject_ratio, retention_days)
        self._run_id = run.run_id

    def expand(self, written):
        pipeline = written[0].pipeline
        waits = [beam.pvalue.AsList(files) for files in written]
        return (
            pipeline
            | "Trigger" >> beam.Create([self._run_id])
            | "RecordAndPublish" >> beam.ParDo(self._fn, *waits)
        )
