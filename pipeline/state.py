"""The private `OUTPUT/_state/` folder: the lock, the run log, the dedup index, and the commit
that makes a run's output visible.

A run writes everything it produces under `_state/staging/<run_id>/`. Committing it is two steps:
1. write `_state/runs/<run_id>.json` (the run log record, listing the staged files): the commit
   point, itself written to a temporary name and renamed;
2. move each staged file into place (`articles/...`, `duplicates/...`, `rejects/...`, and the
   run's index file into `_state/index/`), then remove the staging folder.
A run killed before step 1 leaves only a staging folder, which the next run deletes; killed
during step 2, the next run finishes the moves. Either way no partial file is ever visible and
the index matches the published rows.
"""

from __future__ import annotations

import json
import logging
import os
import posixpath
import secrets
import socket
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems

from newsbeam.schemas.tables import OUTPUT_TABLES

__all__ = ["LockHeld", "Run", "StateStore", "new_run_id"]

_LOGGER = logging.getLogger(__name__)


def new_run_id(now: datetime) -> str:
    """`20261125T123500Z-1a2b3c`: sortable by start time, unique across machines."""
    return f"{now.strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(3)}"


def _is_local(path: str) -> bool:
    return "://" not in path


def _join(*parts: str) -> str:
    return posixpath.join(*parts) if not _is_local(parts[0]) else os.path.join(*parts)


class LockHeld(Exception):
    """Another run holds the output."""

    def __init__(self, path: str, holder: dict[str, Any]) -> None:
        who = ", ".join(
            f"{k} {holder[k]}" for k in ("run_id", "host", "pid", "started_at") if k in holder
        )
        super().__init__(f"another run holds the lock {path} ({who or 'holder unknown'})")
        self.path = path
        self.holder = holder


@dataclass
class Run:
    """One run into an output: its id, start time, and where it stages its files."""

    output: str
    run_id: str
    started_at: datetime
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def staging(self) -> str:
        return _join(self.output, "_state", "staging", self.run_id)


class StateStore:
    """The `_state` folder of one output (local or on any Beam filesystem)."""

    def __init__(self, output: str, *, stale_lock_seconds: float = 6 * 3600) -> None:
        self.output = output.rstrip("/") if not _is_local(output) else os.path.abspath(output)
        self.root = _join(self.output, "_state")
        self.lock_path = _join(self.root, "lock")
        self._stale_lock_seconds = stale_lock_seconds
        self._lock_owner: str | None = None

    # -- paths -------------------------------------------------------------------------------
    @property
    def index_dir(self) -> str:
        return _join(self.root, "index")

    @property
    def index_pattern(self) -> str:
        return _join(self.index_dir, "*.parquet")

    def _run_record(self, run_id: str) -> str:
        return _join(self.root, "runs", f"{run_id}.json")

    # -- set-up ------------------------------------------------------------------------------
    def ensure_writable(self) -> None:
        """Create the output folders; raises OSError when the output cannot be written."""
        if _is_local(self.output):
            os.makedirs(self.root, exist_ok=True)
            probe = _join(self.root, f".probe-{os.getpid()}")
            with open(probe, "w", encoding="utf-8") as handle:
                handle.write("ok")
            os.remove(probe)

    def new_run(self, now: datetime | None = None) -> Run:
        now = now or datetime.now(timezone.utc)
        return Run(self.output, new_run_id(now), now)

    # -- lock --------------------------------------------------------------------------------
    def acquire(self, run_id: str) -> None:
        """Take the output's lock, or raise `LockHeld`. A stale lock (its process is gone, or
        it is older than the stale limit) is taken over."""
        body = json.dumps(
            {
                "run_id": run_id,
                "host": socket.gethostname(),
                "pid": os.getpid(),
                "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            }
        )
        for _attempt in range(2):
            if self._create_exclusive(self.lock_path, body):
                self._lock_owner = run_id
                return
            holder = self._read_json(self.lock_path) or {}
            if not self._is_stale(holder):
                raise LockHeld(self.lock_path, holder)
            _LOGGER.warning("taking over a stale lock %s held by %s", self.lock_path, holder)
            self._delete_stale_lock(holder)
        raise LockHeld(self.lock_path, self._read_json(self.lock_path) or {})

    def release(self) -> None:
        if self._lock_owner:
            self.release_for(self._lock_owner)
        self._lock_owner = None

    def release_for(self, run_id: str) -> None:
        """Release the lock if `run_id` holds it (a job committing itself releases the lock its
        launcher took)."""
        if FileSystems.exists(self.lock_path):
            holder = self._read_json(self.lock_path) or {}
            if holder.get("run_id") == run_id:
                FileSystems.delete([self.lock_path])

    def keep_lock_for_job(self) -> None:
        """Leave the lock to the job: it is released by the job's own commit step."""
        self._lock_owner = None

    def _create_exclusive(self, path: str, body: str) -> bool:
        if _is_local(path):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            try:
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                return False
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(body)
            return True
        if path.startswith("gs://"):
            return _gcs_create_if_absent(path, body)
        # Other object stores: Beam's FileSystems has no create-if-absent; a check then a write.
        if FileSystems.exists(path):
            return False
        with FileSystems.create(path) as handle:
            handle.write(body.encode("utf-8"))
        return True

    def _delete_stale_lock(self, holder: dict[str, Any]) -> None:
        """Delete the lock judged stale. On Cloud Storage only if it is still that same object
        (`ifGenerationMatch`): two runs taking over one stale lock cannot both succeed."""
        if not self.lock_path.startswith("gs://"):
            FileSystems.delete([self.lock_path])
            return
        from google.api_core.exceptions import NotFound, PreconditionFailed

        blob = _gcs_blob(self.lock_path)
        try:
            blob.reload()
            generation = blob.generation
            current = json.loads(blob.download_as_bytes(if_generation_match=generation) or b"{}")
            if current == holder:
                blob.delete(if_generation_match=generation)
        except (NotFound, PreconditionFailed, ValueError):
            pass  # another run changed it first: the next create attempt decides

    def _is_stale(self, holder: dict[str, Any]) -> bool:
        if holder.get("host") == socket.gethostname() and isinstance(holder.get("pid"), int):
            return not _process_alive(holder["pid"])
        try:
            started = datetime.fromisoformat(holder["started_at"])
        except (KeyError, TypeError, ValueError):
            # An unreadable lock: its writer died between creating and filling it.
            return self._age_seconds(self.lock_path) > 60
        return (datetime.now(timezone.utc) - started).total_seconds() > self._stale_lock_seconds

    def _age_seconds(self, path: str) -> float:
        matched = FileSystems.match([path])[0].metadata_list
        return time.time() - matched[0].last_updated_in_seconds if matched else 0.0

    # -- recovery and commit -----------------------------------------------------------------
    def recover(self) -> list[str]:
        """Finish or discard what killed runs left in staging. Returns the run ids handled."""
        staging_root = _join(self.root, "staging")
        pattern = _join(staging_root, "**")
        run_ids = sorted(
            {
                posixpath.relpath(
                    m.path.replace(os.sep, "/"), staging_root.replace(os.sep, "/")
                ).split("/")[0]
                for m in FileSystems.match([pattern])[0].metadata_list
            }
        )
        if _is_local(staging_root) and os.path.isdir(staging_root):
            run_ids = sorted(set(run_ids) | set(os.listdir(staging_root)))
        for run_id in run_ids:
            record = self._read_json(self._run_record(run_id))
            if record is not None:
                _LOGGER.warning("finishing the commit of run %s", run_id)
                self._publish(run_id, record["files"])
            else:
                _LOGGER.warning("discarding the uncommitted output of run %s", run_id)
                FileSystems.delete([_join(staging_root, run_id)])
        return run_ids

    def run_record(self, run_id: str) -> dict[str, Any] | None:
        """The committed record of a run, or None while it is not committed."""
        return self._read_json(self._run_record(run_id))

    def staged_files(self, run: Run) -> dict[str, list[tuple[str, int]]]:
        """Table -> [(path relative to the staging folder, row count)] of what a run staged."""
        found: dict[str, list[tuple[str, int]]] = {}
        staging = run.staging.replace(os.sep, "/")
        for meta in FileSystems.match([_join(run.staging, "**")])[0].metadata_list:
            relative = posixpath.relpath(meta.path.replace(os.sep, "/"), staging)
            name = posixpath.basename(relative)
            if name.startswith(".") or not name.endswith(".parquet"):
                continue  # an in-progress temporary of a failed attempt
            with FileSystems.open(meta.path) as handle:
                rows = pq.ParquetFile(handle).metadata.num_rows
            found.setdefault(relative.split("/")[0], []).append((relative, rows))
        return found

    def commit(self, run: Run, record: dict[str, Any]) -> None:
        """Make a run's staged output visible (see the module docstring for the protocol)."""
        files = [path for table in self.staged_files(run).values() for path, _ in table]
        record = {**record, "run_id": run.run_id, "files": sorted(files)}
        self._write_json_atomically(self._run_record(run.run_id), record)
        self._publish(run.run_id, record["files"])

    def _destination(self, relative: str) -> str:
        table, rest = relative.split("/", 1)
        if table == "index":
            return _join(self.root, "index", posixpath.basename(rest))
        if table not in OUTPUT_TABLES:
            raise ValueError(f"unexpected staged file {relative}")
        return _join(self.output, *relative.split("/"))

    def _publish(self, run_id: str, files: list[str]) -> None:
        staging = _join(self.root, "staging", run_id)
        for relative in files:
            source = _join(staging, *relative.split("/"))
            target = self._destination(relative)
            if not FileSystems.exists(source):
                continue  # moved by an earlier, interrupted attempt
            if _is_local(target):
                os.makedirs(os.path.dirname(target), exist_ok=True)
            FileSystems.rename([source], [target])
        if FileSystems.exists(staging):
            FileSystems.delete([staging])

    # -- run log -----------------------------------------------------------------------------
    def runs(self) -> list[dict[str, Any]]:
        """Every committed run's record, oldest first."""
        matched = FileSystems.match([_join(self.root, "runs", "*.json")])[0].metadata_list
        records = [self._read_json(m.path) for m in matched]
        return sorted((r for r in records if r), key=lambda r: r.get("run_id", ""))

    # -- small file helpers ------------------------------------------------------------------
    @staticmethod
    def _read_json(path: str) -> dict[str, Any] | None:
        try:
            with FileSystems.open(path) as handle:
                return json.loads(handle.read().decode("utf-8"))
        except Exception:  # absent or half-written: treated as not there
            return None

    @staticmethod
    def _write_json_atomically(path: str, record: dict[str, Any]) -> None:
        folder, name = posixpath.split(path) if not _is_local(path) else os.path.split(path)
        if _is_local(folder):
            os.makedirs(folder, exist_ok=True)
        temporary = _join(folder, f".{name}.inprogress")
        with FileSystems.create(temporary) as handle:
            handle.write(json.dumps(record, indent=2, default=str).encode("utf-8"))
        FileSystems.rename([temporary], [path])


def _gcs_blob(path: str):
    from google.cloud import storage  # the gcp extra; only gs:// outputs come here

    bucket, _, name = path[len("gs://") :].partition("/")
    return storage.Client().bucket(bucket).blob(name)


def _gcs_create_if_absent(path: str, body: str) -> bool:
    """Create a Cloud Storage object only if no object has that name: one request with the
    precondition `ifGenerationMatch=0`, so of two runs starting at once exactly one wins."""
    from google.api_core.exceptions import PreconditionFailed

    try:
        _gcs_blob(path).upload_from_string(body, if_generation_match=0)
    except PreconditionFailed:
        return False
    return True


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
