"""The `_state` folder: lock, recovery of killed runs, commit."""

from __future__ import annotations

import json
import os
import socket
from datetime import datetime, timezone
from pathlib import Path

import pytest

from newsbeam.pipeline.state import LockHeld, StateStore
from newsbeam.schemas.tables import REJECTS
from newsbeam.transforms.sinks import stamp, write_parquet_file

WHEN = datetime(2026, 11, 25, 9, 30, tzinfo=timezone.utc)


def stage_reject(state: StateStore, run_id: str, part: int = 0) -> str:
    """Stage one rejects file for `run_id`, as the pipeline would; returns its relative path."""
    relative = f"rejects/ingest_date=2026-11-25/part-{run_id}-{part:05d}.parquet"
    row = stamp(
        "rejects",
        {"origin": "/in/x.html", "url": None, "stage": "read", "error": "empty", "detail": "d"},
        run_id,
        WHEN,
    )
    path = os.path.join(state.root, "staging", run_id, relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    write_parquet_file(path, [row], REJECTS)
    return relative


def test_lock_is_exclusive_until_released(tmp_path):
    first, second = StateStore(str(tmp_path)), StateStore(str(tmp_path))
    first.ensure_writable()
    first.acquire("run-a")
    with pytest.raises(LockHeld) as held:
        second.acquire("run-b")
    assert "run-a" in str(held.value) and str(tmp_path / "_state" / "lock") in str(held.value)
    first.release()
    second.acquire("run-b")
    assert json.loads((tmp_path / "_state" / "lock").read_text())["run_id"] == "run-b"


def test_lock_of_a_dead_process_is_taken_over(tmp_path):
    lock = tmp_path / "_state" / "lock"
    lock.parent.mkdir(parents=True)
    dead_pid = 2**22 + 12345  # above the kernel's pid range, so never alive
    lock.write_text(json.dumps({"run_id": "dead", "host": socket.gethostname(), "pid": dead_pid}))
    state = StateStore(str(tmp_path))
    state.acquire("alive")
    assert json.loads(lock.read_text())["run_id"] == "alive"


def test_lock_from_another_host_is_respected_until_it_is_old(tmp_path):
    lock = tmp_path / "_state" / "lock"
    lock.parent.mkdir(parents=True)
    recent = datetime.now(timezone.utc).isoformat()
    lock.write_text(json.dumps({"run_id": "remote", "host": "elsewhere", "started_at": recent}))
    with pytest.raises(LockHeld):
        StateStore(str(tmp_path)).acquire("mine")
    lock.write_text(
        json.dumps(
            {"run_id": "remote", "host": "elsewhere", "started_at": "2026-01-01T00:00:00+00:00"}
        )
    )
    StateStore(str(tmp_path)).acquire("mine")


def test_uncommitted_staging_is_discarded(tmp_path):
    state = StateStore(str(tmp_path))
    state.ensure_writable()
    stage_reject(state, "killed-run")
    assert state.recover() == ["killed-run"]
    assert not (tmp_path / "_state" / "staging" / "killed-run").exists()
    assert not (tmp_path / "rejects").exists()


def test_committed_but_unpublished_run_is_finished(tmp_path):
    state = StateStore(str(tmp_path))
    state.ensure_writable()
    relative = stage_reject(state, "half-published")
    (tmp_path / "_state" / "runs").mkdir(parents=True)
    (tmp_path / "_state" / "runs" / "half-published.json").write_text(
        json.dumps({"run_id": "half-published", "files": [relative]})
    )
    state.recover()
    assert (tmp_path / relative).is_file()
    assert not (tmp_path / "_state" / "staging").exists() or not any(
        (tmp_path / "_state" / "staging").iterdir()
    )


def test_commit_publishes_every_staged_file_and_logs_the_run(tmp_path):
    state = StateStore(str(tmp_path))
    state.ensure_writable()
    run = state.new_run(WHEN)
    relative = stage_reject(state, run.run_id)
    assert state.staged_files(run) == {"rejects": [(relative, 1)]}
    state.commit(run, {"counts": {"inputs": 1, "rejects": 1}})
    assert (tmp_path / relative).is_file()
    assert not Path(run.staging).exists()
    [record] = state.runs()
    assert record["run_id"] == run.run_id and record["files"] == [relative]
    assert record["counts"] == {"inputs": 1, "rejects": 1}
    # Nothing of the commit machinery is left where readers look.
    hidden = [p for p in tmp_path.rglob(".*") if p.name.endswith(".inprogress")]
    assert hidden == []


@pytest.mark.parametrize("killed", [False, True])
def test_files_written_ahead_and_left_unused_are_never_published(tmp_path, killed):
    """Beside a partition's staged file, the write ahead's unused file (`.ahead` after the
    file's name and its token) and a write's hidden temporary: neither is counted, recorded or
    published, by a commit or by the recovery of a run killed while publishing; both go with
    the staging folder."""
    state = StateStore(str(tmp_path))
    state.ensure_writable()
    run = state.new_run(WHEN)
    relative = stage_reject(state, run.run_id)
    staged = Path(run.staging) / relative
    left = [
        staged.with_name(f"{staged.name}.0f3a9c.ahead"),
        staged.with_name(f".{staged.name}.0f3a9c.ahead.inprogress"),
    ]
    for path in left:
        path.write_bytes(staged.read_bytes())
    assert state.staged_files(run) == {"rejects": [(relative, 1)]}
    if killed:  # the run record was written, then the process died before publishing
        (tmp_path / "_state" / "runs").mkdir(parents=True)
        (tmp_path / "_state" / "runs" / f"{run.run_id}.json").write_text(
            json.dumps({"run_id": run.run_id, "files": [relative]})
        )
        state.recover()
    else:
        state.commit(run, {"counts": {"inputs": 1, "rejects": 1}})
        assert state.runs()[0]["files"] == [relative]
    published = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.glob("rejects/*/*"))
    assert published == [relative]
    assert not Path(run.staging).exists()


class _FakeBucket:
    """Cloud Storage objects with generations and preconditions, as the lock uses them."""

    def __init__(self) -> None:
        self.objects: dict[str, tuple[int, bytes]] = {}
        self.generations = 0

    def blob(self, path: str) -> _FakeBlob:
        return _FakeBlob(self, path)


class _FakeBlob:
    def __init__(self, bucket: _FakeBucket, path: str) -> None:
        self.bucket, self.path, self.generation = bucket, path, None

    def _check(self, if_generation_match: int | None) -> None:
        from google.api_core.exceptions import PreconditionFailed

        current = self.bucket.objects.get(self.path, (0, b""))[0]
        if if_generation_match is not None and current != if_generation_match:
            raise PreconditionFailed("generation mismatch")

    def upload_from_string(self, body: str, if_generation_match: int | None = None) -> None:
        self._check(if_generation_match)
        self.bucket.generations += 1
        self.bucket.objects[self.path] = (self.bucket.generations, body.encode())

    def reload(self) -> None:
        from google.api_core.exceptions import NotFound

        if self.path not in self.bucket.objects:
            raise NotFound("no such object")
        self.generation = self.bucket.objects[self.path][0]

    def download_as_bytes(self, if_generation_match: int | None = None) -> bytes:
        self._check(if_generation_match)
        return self.bucket.objects[self.path][1]

    def delete(self, if_generation_match: int | None = None) -> None:
        self._check(if_generation_match)
        del self.bucket.objects[self.path]


@pytest.fixture
def fake_gcs(monkeypatch):
    from newsbeam.pipeline import state as state_module

    bucket = _FakeBucket()
    monkeypatch.setattr(state_module, "_gcs_blob", bucket.blob)

    def read_json(path):
        found = bucket.objects.get(path)
        return json.loads(found[1]) if found else None

    monkeypatch.setattr(StateStore, "_read_json", staticmethod(read_json))
    return bucket


def test_a_cloud_storage_lock_is_created_only_if_absent(fake_gcs):
    first, second = StateStore("gs://bucket/out"), StateStore("gs://bucket/out")
    first.acquire("run-a")
    with pytest.raises(LockHeld) as held:
        second.acquire("run-b")
    assert "run-a" in str(held.value) and "gs://bucket/out/_state/lock" in str(held.value)


def test_a_stale_cloud_storage_lock_is_taken_over_by_one_run_only(fake_gcs):
    lock = "gs://bucket/out/_state/lock"
    stale = {"run_id": "old", "host": "elsewhere", "started_at": "2026-01-01T00:00:00+00:00"}
    fake_gcs.blob(lock).upload_from_string(json.dumps(stale))
    first, second = StateStore("gs://bucket/out"), StateStore("gs://bucket/out")
    first.acquire("run-a")  # takes the stale lock over
    # The second run judged the same old lock stale a moment earlier: its delete must not
    # remove the lock the first run now holds.
    second._delete_stale_lock(stale)
    assert json.loads(fake_gcs.objects[lock][1])["run_id"] == "run-a"
    with pytest.raises(LockHeld):
        second.acquire("run-b")
