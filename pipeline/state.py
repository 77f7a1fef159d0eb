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

The lock names its owner: run id, a random token, host, pid, the process's identity (boot id
and start time, so a pid reused after a restart is not taken for the owner) and start time. It
is stale when that process is gone or the lock is older than the operator's limit; only the
process that took it releases it. Damaged state (a run record or index file that cannot be
read) is moved to `_state/quarantine/` with a warning naming it, never left to fail every run.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import pathlib
import posixpath
import secrets
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems

from newsbeam.schemas.tables import OUTPUT_TABLES, TABLES

__all__ = ["LockHeld", "LockLost", "Run", "StateStore", "new_run_id"]

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


class LockLost(Exception):
    """The run no longer holds its output's lock (deleted, or taken over as stale): it must not
    commit, or two runs would publish the same inputs."""


@dataclass
class Run:
    """One run into an output: its id, start time, lock token, and where it stages its files."""

    output: str
    run_id: str
    started_at: datetime
    counts: dict[str, int] = field(default_factory=dict)
    lock_token: str = field(default_factory=lambda: secrets.token_hex(8))

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
        self._lock_token: str | None = None  # of the lock this object took
        self._lock_pid: int | None = None  # the process that took it
        self.notices: list[str] = []  # damaged state found and set aside, for the summary

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
    def acquire(self, run_id: str, token: str | None = None) -> str:
        """Take the output's lock for `run_id`, or raise `LockHeld`; returns the lock's token.
        A stale lock (its process is gone, or it is older than the stale limit) is taken over."""
        token = token or secrets.token_hex(8)
        body = json.dumps(
            {
                "run_id": run_id,
                "token": token,
                "host": socket.gethostname(),
                "pid": os.getpid(),
                "process": _process_identity(os.getpid()),
                "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            }
        )
        # Known as this object's before the lock exists: whatever interrupts from here on,
        # release() finds the token of the lock it may have to delete.
        self._lock_token, self._lock_pid = token, os.getpid()
        for _attempt in range(2):
            if self._create_exclusive(self.lock_path, body):
                return token
            holder = self._read_json(self.lock_path) or {}
            if not self._is_stale(holder):
                self._lock_token = None
                raise LockHeld(self.lock_path, holder)
            _LOGGER.warning("taking over a stale lock %s held by %s", self.lock_path, holder)
            self._delete_stale_lock(holder)
        self._lock_token = None
        raise LockHeld(self.lock_path, self._read_json(self.lock_path) or {})

    def holds_lock(self, token: str | None) -> bool:
        """True while the lock on disk is the one taken with `token`."""
        holder = self._read_json(self.lock_path) or {}
        return token is not None and holder.get("token") == token

    def check_lock(self, run: Run) -> None:
        """Raise `LockLost` unless the lock `run` works under (its `lock_token`) is still on
        disk: asked right before a commit."""
        if not self.holds_lock(run.lock_token):
            holder = self._read_json(self.lock_path)
            now = (
                "it is gone"
                if holder is None
                else f"it is now held by run {holder.get('run_id')} (pid {holder.get('pid')})"
            )
            raise LockLost(
                f"run {run.run_id} no longer holds the lock {self.lock_path} ({now}): another "
                "run may be writing the same inputs"
            )

    def release(self) -> None:
        """Release the lock this object took, from the process that took it only (a forked
        child inherits the object but never owns the lock)."""
        if self._lock_token and self._lock_pid == os.getpid():
            self.release_for(self._lock_token)
        self._lock_token = None

    def release_for(self, token: str) -> None:
        """Release the lock if it is still the one taken with `token` (a job committing itself
        releases the lock its launcher took)."""
        if self.holds_lock(token):
            with contextlib.suppress(OSError):
                FileSystems.delete([self.lock_path])

    def keep_lock_for_job(self) -> None:
        """Leave the lock to the job: it is released by the job's own commit step."""
        self._lock_token = None
        self._lock_pid = None

    def _create_exclusive(self, path: str, body: str) -> bool:
        if _is_local(path):
            # Written whole under a private name, then linked into place (link fails when the
            # name exists): the lock is never seen empty, even by a signal handler that lands
            # between the two steps.
            os.makedirs(os.path.dirname(path), exist_ok=True)
            temporary = f"{path}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
            with open(temporary, "w", encoding="utf-8") as handle:
                handle.write(body)
            try:
                os.link(temporary, path)
            except FileExistsError:
                return False
            finally:
                os.remove(temporary)
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
        pid = holder.get("pid")
        here = holder.get("host") == socket.gethostname() and isinstance(pid, int)
        if here and not _process_alive(pid):
            return True
        try:
            started = datetime.fromisoformat(holder["started_at"])
        except (KeyError, TypeError, ValueError):
            # An unreadable lock: its writer died between creating and filling it.
            return self._age_seconds(self.lock_path) > 60
        if started.tzinfo is None:
            started = started.replace(tzinfo=timezone.utc)
        if (datetime.now(timezone.utc) - started).total_seconds() > self._stale_lock_seconds:
            return True
        # The pid is alive, but is it the process that took the lock? After a restart (a
        # container's pid 1, say) the same number belongs to another process.
        recorded = holder.get("process")
        return here and recorded is not None and recorded != _process_identity(pid)

    def _age_seconds(self, path: str) -> float:
        matched = FileSystems.match([path])[0].metadata_list
        return time.time() - matched[0].last_updated_in_seconds if matched else 0.0

    # -- recovery and commit -----------------------------------------------------------------
    def recover(self) -> list[str]:
        """Finish or discard what killed runs left in staging. Returns the run ids handled.

        A run with no record never reached its commit point: its staging is discarded. A run
        whose record exists did, even when the record can no longer be read (truncated or
        edited by hand): everything still staged is published, and the damaged record is
        quarantined and replaced by one listing what was published now."""
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
            path = self._run_record(run_id)
            record = self._read_json(path)
            files = record.get("files") if isinstance(record, dict) else None
            if isinstance(files, list) and all(isinstance(f, str) for f in files):
                _LOGGER.warning("finishing the commit of run %s", run_id)
                self._publish(run_id, files)
            elif record is None and not FileSystems.exists(path):
                _LOGGER.warning("discarding the uncommitted output of run %s", run_id)
                FileSystems.delete([_join(staging_root, run_id)])
            else:
                staged = sorted(self._staged_paths(run_id))
                self.quarantine(path, "its run record could not be read")
                self._write_json_atomically(
                    path, {"run_id": run_id, "files": staged, "recovered": True}
                )
                self.notices.append(
                    f"run {run_id} had committed but its record was damaged: its {len(staged)} "
                    "remaining staged files were published and the record rewritten"
                )
                self._publish(run_id, staged)
        return run_ids

    def quarantine(self, path: str, why: str) -> str:
        """Move a damaged state file to `_state/quarantine/` (never deleted: an operator may
        want it) and note it for the run's summary. Returns where it went."""
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        name = posixpath.basename(path.replace(os.sep, "/"))
        target = _join(self.root, "quarantine", f"{stamp}-{secrets.token_hex(2)}-{name}")
        if _is_local(target):
            os.makedirs(os.path.dirname(target), exist_ok=True)
        FileSystems.rename([path], [target])
        _LOGGER.warning("quarantined %s (%s) as %s", path, why, target)
        self.notices.append(
            f"{path}: {why}; moved aside to {target} (runs go on without it: inspect it, then "
            "delete it)"
        )
        return target

    def check_index(self, check_file: Callable[[str], object]) -> int:
        """Quarantine every index file `check_file` raises on (truncated, garbled, not Parquet);
        returns how many. Their keys are lost: a page they held may come back once as new."""
        damaged = 0
        for meta in FileSystems.match([self.index_pattern])[0].metadata_list:
            try:
                check_file(meta.path)
            except Exception as exc:
                reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
                self.quarantine(
                    meta.path,
                    f"the index file could not be read ({type(exc).__name__}"
                    + (f": {reason}" if reason else "")
                    + "); the dedup keys it held are no longer known",
                )
                damaged += 1
        return damaged

    def run_record(self, run_id: str) -> dict[str, Any] | None:
        """The committed record of a run, or None while it is not committed."""
        return self._read_json(self._run_record(run_id))

    def _staged_paths(self, run_id: str) -> dict[str, str]:
        """Path relative to a run's staging folder -> full path, of its staged Parquet files."""
        staging = _join(self.root, "staging", run_id)
        found = {}
        for meta in FileSystems.match([_join(staging, "**")])[0].metadata_list:
            relative = posixpath.relpath(
                meta.path.replace(os.sep, "/"), staging.replace(os.sep, "/")
            )
            name = posixpath.basename(relative)
            if name.startswith(".") or not name.endswith(".parquet"):
                continue  # an in-progress temporary of a failed attempt
            found[relative] = meta.path
        return found

    def staged_path(self, run: Run, relative: str) -> str:
        """The full path of a file a run staged, from its path relative to the staging folder."""
        return _join(run.staging, *relative.split("/"))

    def staged_files(self, run: Run) -> dict[str, list[tuple[str, int]]]:
        """Table -> [(path relative to the staging folder, row count)] of what a run staged."""
        found: dict[str, list[tuple[str, int]]] = {}
        for relative, path in sorted(self._staged_paths(run.run_id).items()):
            with FileSystems.open(path) as handle:
                rows = pq.ParquetFile(handle).metadata.num_rows
            found.setdefault(relative.split("/")[0], []).append((relative, rows))
        return found

    def stage_empty_tables(self, run: Run) -> list[str]:
        """Stage an empty file (the table's schema, no rows) for every output table that has no
        file yet, published or staged: so that every documented query works after the first
        run, and readers that fail on a glob with no match (DuckDB, Polars, Spark) do not.
        Returns the tables given one."""
        staged = {relative.split("/")[0] for relative in self._staged_paths(run.run_id)}
        done = []
        for table in OUTPUT_TABLES:
            if table in staged or self._has_published_file(table):
                continue
            schema, partition = TABLES[table]
            day = run.started_at.strftime("%Y-%m-%d")
            path = self.staged_path(
                run, f"{table}/{partition}={day}/part-{run.run_id}-empty.parquet"
            )
            if _is_local(path):
                os.makedirs(os.path.dirname(path), exist_ok=True)
            with FileSystems.create(path) as handle:
                pq.write_table(schema.empty_table(), handle)
            done.append(table)
        return done

    def _has_published_file(self, table: str) -> bool:
        if _is_local(self.output):  # stops at the first file: an output may hold thousands
            found = pathlib.Path(self.output, table).glob("*/*.parquet")
            return next(found, None) is not None
        pattern = _join(self.output, table, "*", "*.parquet")
        return bool(FileSystems.match([pattern])[0].metadata_list)

    def commit(self, run: Run, record: dict[str, Any]) -> None:
        """Make a run's staged output visible (see the module docstring for the protocol)."""
        files = self._staged_paths(run.run_id)  # listed only: the row counts are not needed
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


def _process_identity(pid: int) -> str | None:
    """`<boot id>:<start time in clock ticks>` of a live process on Linux (None elsewhere): a
    pid with another identity than the one a lock recorded belongs to another process."""
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as handle:
            boot = handle.read().strip()
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            stat = handle.read()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may hold spaces: split after it.
    fields = stat[stat.rfind(")") + 2 :].split()
    return f"{boot}:{fields[19]}" if len(fields) > 19 else None


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
