"""StopOnSignal: what a stop at once says and leaves behind. Each case runs in a subprocess,
since the stop ends its process."""

from __future__ import annotations

import subprocess
import sys

DRIVER = """
import sys
from newsbeam.pipeline.lifecycle import RunLimits, open_run
from newsbeam.pipeline.signals import StopOnSignal, UserStderr

state, run = open_run(sys.argv[1], RunLimits(0.8, 30, 3600))
if sys.argv[2] == "committed":
    state.commit(run, {"counts": {}})
with UserStderr() as stderr, StopOnSignal(stderr) as stop:
    stop.hold(state, run)
    stop.stop_now()
"""


def stop(tmp_path, when: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", DRIVER, str(tmp_path), when],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_stop_before_the_commit_point_says_nothing_was_committed(tmp_path):
    done = stop(tmp_path, "staging")
    assert done.returncode == 130
    assert done.stderr == "newsbeam: interrupted; nothing was committed\n"
    assert not (tmp_path / "_state" / "lock").exists()


def test_a_stop_after_the_commit_point_names_the_committed_run(tmp_path):
    done = stop(tmp_path, "committed")
    assert done.returncode == 130
    [record] = (tmp_path / "_state" / "runs").glob("*.json")
    assert done.stderr.startswith(f"newsbeam: interrupted after run {record.stem} was committed")
    assert not (tmp_path / "_state" / "lock").exists()
