"""CommitRun: the commit a job makes itself when nobody waits for it (a Flex Template launch).
The whole path, launch then job, is in tests/deploy/test_template_launch.py; here the step's
own rules: it releases the lock, a retry only finishes publishing, and a run whose inputs were
mostly rejected is not committed."""

from __future__ import annotations

import os
from datetime import datetime, timezone

import pytest

from newsbeam.pipeline.commit import CommitRefused, _CommitRunFn
from newsbeam.pipeline.lifecycle import RunLimits
from newsbeam.pipeline.state import StateStore
from newsbeam.schemas.tables import REJECTS
from newsbeam.transforms.sinks import stamp, write_parquet_file

WHEN = datetime(2026, 11, 25, 9, 30, tzinfo=timezone.utc)
LIMITS = RunLimits(max_reject_ratio=0.8, retention_days=30, stale_lock_seconds=6 * 3600)


def stage_rejects(state: StateStore, run_id: str, rows: int) -> None:
    relative = f"rejects/ingest_date=2026-11-25/part-{run_id}-00000.parquet"
    stamped = [
        stamp(
            "rejects",
            {"origin": f"/in/{n}.html", "url": None, "stage": "read", "error": "empty"}
            | {"detail": ""},
            run_id,
            WHEN,
        )
        for n in range(rows)
    ]
    path = os.path.join(state.root, "staging", run_id, relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    write_parquet_file(path, stamped, REJECTS)


def locked_run(tmp_path, rejects: int):
    state = StateStore(str(tmp_path))
    state.ensure_writable()
    run = state.new_run(WHEN)
    state.acquire(run.run_id, run.lock_token)
    state.keep_lock_for_job()  # as the launcher of a template job does
    stage_rejects(state, run.run_id, rejects)
    return state, run


def test_the_job_commits_releases_the_lock_and_a_retry_changes_nothing(tmp_path):
    state, run = locked_run(tmp_path, rejects=3)
    commit = _CommitRunFn(run, LIMITS)
    commit.process(run.run_id, [], [], [], [])
    (record,) = state.runs()
    assert record["committed_by"] == "pipeline" and record["counts"]["rejects"] == 3
    assert not os.path.exists(state.lock_path)
    assert len(list((tmp_path / "rejects").glob("**/*.parquet"))) == 1
    commit.process(run.run_id, [], [], [], [])  # a runner may retry the step
    assert state.runs() == [record]
    assert len(list((tmp_path / "rejects").glob("**/*.parquet"))) == 1


def test_a_job_whose_inputs_were_mostly_rejected_commits_nothing(tmp_path):
    state, run = locked_run(tmp_path, rejects=25)
    commit = _CommitRunFn(run, LIMITS)
    with pytest.raises(CommitRefused, match="25 of 25 inputs were rejected"):
        commit.process(run.run_id, [], [], [], [])
    assert state.runs() == []
    assert not os.path.exists(state.lock_path)  # the next scheduled run may start
    assert not list((tmp_path / "rejects").glob("**/*.parquet"))
