"""A run's lifecycle into an output, written once for the CLI and for the job's own commit step.

    open_run()   the output's state folder and a new run holding its lock (or why not)
    prepare()    finish or discard what killed runs left, set damaged state aside
    ... the pipeline runs and stages its files ...
    finish()     check the accounting and the reject ratio, check the lock is still ours, commit
                 (the run record is the commit point), publish, compact the index
    release      `StateStore.release()` / `release_for()`, by the lock's owner only

`newsbeam ingest` and `stream` call these from the launcher (pipeline/cli.py); a Flex Template
job, which nobody waits for, calls `finish()` from its last step (pipeline/commit.py).
Exit statuses are defined here, once.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from newsbeam.pipeline.state import LockLost, Run, StateStore
from newsbeam.transforms.index import check_index_file, compact_index

__all__ = [
    "MIN_INPUTS_FOR_RATIO",
    "Exit",
    "Refused",
    "RunLimits",
    "commit_counts",
    "finish",
    "open_run",
    "prepare",
]

_LOGGER = logging.getLogger(__name__)

# --max-reject-ratio applies from this many inputs on: below it a few bad files are not a trend.
MIN_INPUTS_FOR_RATIO = 20


class Exit(enum.IntEnum):
    """The `newsbeam` command's exit statuses (sysexits.h where one fits)."""

    OK = 0  # the run completed, rejects included
    FAILED = 1  # the run failed or was refused; nothing was committed
    USAGE = 2  # bad arguments
    NOINPUT = 66  # `stats`: the output holds no tables
    UNAVAILABLE = 69  # --fail-if-all-sources-fail: every input was rejected
    CANTCREAT = 73  # the output cannot be written
    LOCKED = 75  # another run holds the output: try again later
    INTERRUPTED = 130  # Ctrl-C or SIGTERM


class Refused(Exception):
    """The run is not committed; the message says why, in one sentence."""


@dataclass(frozen=True)
class RunLimits:
    """The options the lifecycle reads."""

    max_reject_ratio: float
    retention_days: int | None
    stale_lock_seconds: float

    @classmethod
    def of(cls, opts: Any) -> RunLimits:
        """From the `NewsbeamOptions` view of a run's options."""
        return cls(opts.max_reject_ratio, opts.retention_days, opts.stale_lock_hours * 3600)


def commit_counts(staged: dict[str, list[tuple[str, int]]]) -> dict[str, int]:
    """Rows a run staged per table (articles, duplicates, rejects)."""
    return {
        table: sum(rows for _, rows in staged.get(table, []))
        for table in ("articles", "duplicates", "rejects")
    }


def open_run(
    output: str,
    limits: RunLimits,
    before_lock: Callable[[StateStore, Run], None] | None = None,
) -> tuple[StateStore, Run]:
    """The output's state folder and a new run holding its lock. Raises OSError when the output
    cannot be written, `LockHeld` when another live run holds it. `before_lock` learns of the
    state and run before the lock is taken (a signal handler that must release it)."""
    state = StateStore(output, stale_lock_seconds=limits.stale_lock_seconds)
    state.ensure_writable()
    run = state.new_run()
    if before_lock is not None:
        before_lock(state, run)
    state.acquire(run.run_id, run.lock_token)
    return state, run


def prepare(state: StateStore) -> list[str]:
    """Under the lock, before the pipeline reads `_state`: finish or discard killed runs'
    staging and quarantine damaged index files. Returns notices for the user (what was set
    aside, and what that means)."""
    state.recover()
    state.check_index(check_index_file)
    notices, state.notices = state.notices, []
    return notices


def finish(
    state: StateStore,
    run: Run,
    counts: dict[str, Any],
    limits: RunLimits,
    record: dict[str, Any],
) -> None:
    """Commit a run whose files are staged, or raise `Refused` (nothing is committed then).

    `counts` holds `inputs`, `articles`, `duplicates`, `rejects` (and `skipped`); `inputs` None
    means nobody counted them (a job committing itself), so the accounting is not checked.
    `record` is added to the run record (command, timings)."""
    inputs = counts.get("inputs")
    accounted = counts["articles"] + counts["duplicates"] + counts["rejects"]
    if inputs is not None and accounted != inputs:
        raise Refused(f"{inputs} inputs but {accounted} rows were written")
    total = accounted if inputs is None else inputs
    if total >= MIN_INPUTS_FOR_RATIO and counts["rejects"] / total > limits.max_reject_ratio:
        raise Refused(
            f"{counts['rejects']} of {total} inputs were rejected, more than "
            f"--max-reject-ratio {limits.max_reject_ratio:g} (the rejects stay staged under "
            f"{run.staging} until the next run)"
        )
    try:
        state.check_lock(run)
    except LockLost as exc:
        raise Refused(str(exc)) from None
    state.stage_empty_tables(run)
    state.commit(run, {**record, "counts": counts})
    if limits.retention_days is None:
        return
    try:  # still under the lock; a failure here loses nothing, the next run compacts
        compact_index(state.index_dir, limits.retention_days, run.started_at)
    except Exception as exc:
        _LOGGER.exception("the index was not compacted")
        state.notices.append(f"the index was not compacted: {exc}")
