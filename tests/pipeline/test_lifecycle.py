"""The run lifecycle against the state folder's failure cases: a lock that is lost or outlived
its process, a run record or index file that was damaged."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from newsbeam.pipeline.lifecycle import Refused, RunLimits, finish, open_run, prepare
from newsbeam.pipeline.state import LockHeld, StateStore, _process_identity
from tests.pipeline.test_state import stage_reject

LIMITS = RunLimits(max_reject_ratio=1.0, retention_days=30, stale_lock_seconds=6 * 3600)


def one_reject_counts() -> dict[str, int]:
    return {"inputs": 1, "articles": 0, "duplicates": 0, "rejects": 1, "skipped": 0}


def test_a_run_whose_lock_was_deleted_commits_nothing(tmp_path):
    state, run = open_run(str(tmp_path), LIMITS)
    stage_reject(state, run.run_id)
    os.remove(state.lock_path)  # an operator "unsticking" a run that was still working
    with pytest.raises(Refused, match=r"no longer holds the lock .* \(it is gone\)"):
        finish(state, run, one_reject_counts(), LIMITS, {})
    assert state.runs() == [] and not (tmp_path / "rejects").exists()


def test_a_run_whose_lock_was_taken_over_commits_nothing_and_the_new_owner_does(tmp_path):
    first_state, first = open_run(str(tmp_path), LIMITS)
    stage_reject(first_state, first.run_id)
    os.remove(first_state.lock_path)
    second_state, second = open_run(str(tmp_path), LIMITS)  # a second ingest starts
    stage_reject(second_state, second.run_id)
    with pytest.raises(Refused, match=f"now held by run {second.run_id}"):
        finish(first_state, first, one_reject_counts(), LIMITS, {})
    first_state.release()  # the refused run's release must not free the new owner's lock
    assert second_state.holds_lock(second.lock_token)
    finish(second_state, second, one_reject_counts(), LIMITS, {})
    assert [r["run_id"] for r in second_state.runs()] == [second.run_id]
    assert len(list((tmp_path / "rejects").rglob("*.parquet"))) == 1


def test_accounting_and_reject_ratio_are_checked_before_the_lock(tmp_path):
    state, run = open_run(str(tmp_path), LIMITS)
    with pytest.raises(Refused, match="3 inputs but 1 rows"):
        finish(state, run, {**one_reject_counts(), "inputs": 3}, LIMITS, {})
    strict = RunLimits(0.5, 30, 3600)
    counts = {"inputs": 20, "articles": 0, "duplicates": 0, "rejects": 20}
    with pytest.raises(Refused, match="20 of 20 inputs were rejected"):
        finish(state, run, counts, strict, {})


def test_only_the_process_that_took_the_lock_releases_it(tmp_path):
    state, run = open_run(str(tmp_path), LIMITS)
    child = os.fork()
    if child == 0:  # a forked extraction process inherits the StateStore
        state.release()
        os._exit(0)
    os.waitpid(child, 0)
    assert state.holds_lock(run.lock_token)
    state.release()
    assert not os.path.exists(state.lock_path)


def write_lock(tmp_path, **holder) -> None:
    lock = tmp_path / "_state" / "lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    lock.write_text(json.dumps({"run_id": "old", "host": socket.gethostname(), **holder}))


def test_an_old_lock_is_stale_even_when_its_pid_is_alive(tmp_path):
    # After a container restart, the pid a lock names (1 here) belongs to another live process.
    write_lock(tmp_path, pid=1, started_at="2020-03-01T08:00:00+00:00")
    state, _run = open_run(str(tmp_path), LIMITS)
    assert json.loads((tmp_path / "_state" / "lock").read_text())["run_id"] != "old"
    state.release()


def test_a_recent_lock_whose_pid_is_now_another_process_is_stale(tmp_path):
    recent = datetime.now(timezone.utc).isoformat()
    if _process_identity(os.getpid()) is None:
        pytest.skip("no /proc: process identities are not known on this system")
    write_lock(tmp_path, pid=os.getpid(), started_at=recent, process="another-boot:42")
    state, _run = open_run(str(tmp_path), LIMITS)
    state.release()
    # The same pid with its own identity is the live owner: respected.
    write_lock(tmp_path, pid=os.getpid(), started_at=recent, process=_process_identity(os.getpid()))
    with pytest.raises(LockHeld):
        open_run(str(tmp_path), LIMITS)


def test_the_stale_limit_is_the_operators(tmp_path):
    two_hours_ago = (datetime.now(timezone.utc) - timedelta(hours=2)).isoformat()
    holder = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=-1)
    try:
        write_lock(tmp_path, pid=holder.pid, started_at=two_hours_ago)
        with pytest.raises(LockHeld):
            open_run(str(tmp_path), LIMITS)
        state, _run = open_run(str(tmp_path), RunLimits(1.0, 30, stale_lock_seconds=3600))
        state.release()
    finally:
        holder.communicate(b"")


def committed_then_damaged(tmp_path, record_text: str) -> tuple[StateStore, list[str]]:
    """A run that passed its commit point and was killed after publishing the first of its two
    files; its record was then damaged."""
    state = StateStore(str(tmp_path))
    state.ensure_writable()
    run = state.new_run()
    files = [stage_reject(state, run.run_id, part) for part in (0, 1)]
    record = tmp_path / "_state" / "runs" / f"{run.run_id}.json"
    record.parent.mkdir(parents=True)
    record.write_text(json.dumps({"run_id": run.run_id, "files": files}))
    (tmp_path / files[0]).parent.mkdir(parents=True)
    os.rename(os.path.join(run.staging, files[0]), tmp_path / files[0])
    record.write_text(record_text)
    return state, files


@pytest.mark.parametrize(
    "record_text",
    ['{"run_id": "20261205T', '{"run_id": "x"}', "[1, 2]", '{"files": [3]}'],
    ids=["truncated", "without-files", "not-an-object", "files-not-paths"],
)
def test_a_damaged_record_of_a_committed_run_is_finished_not_discarded(tmp_path, record_text):
    state, files = committed_then_damaged(tmp_path, record_text)
    notices = prepare(state)
    for relative in files:
        assert (tmp_path / relative).is_file(), relative  # both published, none deleted
    assert not any((tmp_path / "_state" / "staging").iterdir())
    assert [q.name.endswith(".json") for q in (tmp_path / "_state" / "quarantine").iterdir()] == [
        True
    ]
    assert len(notices) == 2 and "record was damaged" in notices[1]
    assert "quarantine" in notices[0]
    assert prepare(state) == []  # the next run finds nothing to mend


def test_a_damaged_index_file_is_quarantined_and_named(tmp_path):
    state = StateStore(str(tmp_path))
    state.ensure_writable()
    index = tmp_path / "_state" / "index"
    index.mkdir()
    (index / "part-a.parquet").write_bytes(b"PAR1" + b"\x00garbled" * 50)
    notices = prepare(state)
    assert not list(index.iterdir())
    assert len(notices) == 1
    assert "part-a.parquet" in notices[0] and "could not be read" in notices[0]
    assert "quarantine" in notices[0]
