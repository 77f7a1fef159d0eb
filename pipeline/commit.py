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

from newsbeam.pipeline.lifecycle import Refused, RunLimits, commit_counts, finish
from newsbeam.pipeline.state import Run, StateStore

__all__ = ["CommitRefused", "CommitRun"]

_LOGGER = logging.getLogger(__name__)


class CommitRefused(RuntimeError):
    """The job refused to commit its run (most inputs were rejected, or its lock was lost):
    nothing was committed, and the lock, if still the job's, is released."""


class _CommitRunFn(beam.DoFn):
    def __init__(self, run: Run, limits: RunLimits) -> None:
        self._run = run
        self._limits = limits

    def process(self, _trigger: Any, *_written: list) -> None:
        run = self._run
        state = StateStore(run.output, stale_lock_seconds=self._limits.stale_lock_seconds)
        if state.run_record(run.run_id) is not None:
            _LOGGER.warning("run %s is recorded already: finishing its commit", run.run_id)
            state.recover()
            state.release_for(run.lock_token)
            return
        counts = commit_counts(state.staged_files(run))
        seconds = (datetime.now(timezone.utc) - run.started_at).total_seconds()
        record = {
            "command": "ingest",
            "started_at": run.started_at.isoformat(),
            "seconds": round(seconds, 3),
            "committed_by": "pipeline",
        }
        try:
            # No launcher waits to read the `inputs` metric: inputs are the rows.
            finish(state, run, {"inputs": None, **counts, "skipped": None}, self._limits, record)
        except Refused as exc:
            state.release_for(run.lock_token)
            raise CommitRefused(f"{exc}: nothing was committed") from None
        state.release_for(run.lock_token)


class CommitRun(beam.PTransform):
    """The written files of every table -> nothing; commits the run once all are written."""

    def __init__(self, run: Run, limits: RunLimits) -> None:
        super().__init__()
        self._fn = _CommitRunFn(run, limits)
        self._run_id = run.run_id

    def expand(self, written):
        pipeline = written[0].pipeline
        waits = [beam.pvalue.AsList(files) for files in written]
        return (
            pipeline
            | "Trigger" >> beam.Create([self._run_id])
            | "RecordAndPublish" >> beam.ParDo(self._fn, *waits)
        )
