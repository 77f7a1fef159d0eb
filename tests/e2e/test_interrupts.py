"""Stopping a run from outside: Ctrl-C to the process group, SIGTERM to an extraction process,
a damaged index between runs, a reader that closes the pipe. The run ends as promised (130, no
lock left, nothing committed) or carries on unharmed, and the next run accounts for every input."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.helpers import newsbeam, page, table

COMMAND = [sys.executable, "-m", "newsbeam.pipeline.cli"]
TWO_PROCESSES = ["--extraction-processes", "2"]


def inbox_of(folder: Path, pages: int) -> Path:
    folder.mkdir()
    for number in range(pages):
        slug = f"quay-{number}"
        (folder / f"{slug}.html").write_text(
            page(slug, f"Quay repairs, part {number}", 1 + number % 28, f"quay section {number}")
        )
    return folder


def children_of(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            continue
    return found


def wait_for(condition, seconds: float = 60.0):
    """Poll `condition` until it returns something true, or fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"not met within {seconds} s: {condition}")


def start_ingest(inbox: Path, output: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [*COMMAND, "ingest", "--inbox", str(inbox), "--output", str(output), *TWO_PROCESSES],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a shell job gets
    )


def rows(output: Path) -> int:
    return sum(len(table(output, name)) for name in ("articles", "duplicates", "rejects"))


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
def test_ctrl_c_during_extraction_ends_with_130_and_the_rerun_accounts_for_everything(tmp_path):
    inbox, output = inbox_of(tmp_path / "inbox", 240), tmp_path / "out"
    process = start_ingest(inbox, output)
    extractors = wait_for(lambda: children_of(process.pid))
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    _out, stderr = process.communicate(timeout=10)
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    assert not (output / "_state" / "lock").exists()
    wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in extractors), 10)
    rerun = newsbeam("ingest", "--inbox", str(inbox), "--output", str(output))
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.counts["inputs"] == 240 == rows(output)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
def test_sigterm_to_one_extraction_process_leaves_the_lock_and_the_run_completes(tmp_path):
    inbox, output = inbox_of(tmp_path / "inbox", 240), tmp_path / "out"
    lock = output / "_state" / "lock"
    process = start_ingest(inbox, output)
    victim = min(wait_for(lambda: children_of(process.pid)))
    os.kill(victim, signal.SIGTERM)
    wait_for(lambda: victim not in children_of(process.pid), 10)
    if process.poll() is None:  # still working: the lock must still be its own
        assert lock.exists()
    _out, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    assert not lock.exists()
    assert rows(output) == 240


def test_a_damaged_index_file_is_set_aside_with_a_warning_and_runs_go_on(tmp_path):
    output = tmp_path / "out"
    first = newsbeam("ingest", "--output", str(output))  # the bundled sample
    assert first.returncode == 0, first.stderr
    [index_file] = (output / "_state" / "index").glob("*.parquet")
    data = index_file.read_bytes()
    index_file.write_bytes(data[: len(data) // 2])  # truncated, as by a full disk
    inbox = inbox_of(tmp_path / "inbox", 2)
    second = newsbeam("ingest", "--inbox", str(inbox), "--output", str(output))
    assert second.returncode == 0, second.stderr
    assert second.counts["articles"] == 2
    warnings = [line for line in second.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and index_file.name in warnings[0], second.stderr
    assert "quarantine" in warnings[0]
    third = newsbeam("ingest", "--inbox", str(inbox), "--output", str(output))
    assert third.returncode == 0 and "warning" not in third.stderr, third.stderr
    assert third.counts["skipped"] == 2


def test_help_into_a_closed_pipe_is_not_an_error():
    reader, writer = os.pipe()
    os.close(reader)  # like `newsbeam -h | head -1` once head has exited
    done = subprocess.run([*COMMAND, "-h"], stdout=writer, stderr=subprocess.PIPE, timeout=60)
    os.close(writer)
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
