"""StopOnSignal: what a stop at once says and leaves behind. Each case runs in a subprocess,
since the stop ends its process."""

from __future__ import annotations

import signal
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


def test_a_signal_the_moment_the_lock_is_created_still_releases_it(tmp_path):
    # A scheduler's SIGTERM as soon as the lock appears (CI once caught it between the lock's
    # creation and the handler learning of it: the lock stayed behind).
    driver = (
        "import os, signal, sys\n"
        "from newsbeam.pipeline import cli\n"
        "from newsbeam.pipeline.state import StateStore\n"
        "create = StateStore._create_exclusive\n"
        "def created_then_signalled(self, path, body):\n"
        "    done = create(self, path, body)\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    return done\n"
        "StateStore._create_exclusive = created_then_signalled\n"
        "sys.exit(cli.main(sys.argv[1:]))\n"
    )
    output = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-c", driver, "ingest", "--output", str(output), "--quiet"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 130, done.stderr
    assert done.stderr == "newsbeam: interrupted; nothing was committed\n"
    assert not (output / "_state" / "lock").exists()
    assert [p.name for p in (output / "_state").iterdir()] == []


def test_a_signal_during_the_first_imports_ends_the_command_with_130():
    # Before any command runs, the imports take seconds; a Ctrl-C there was once swallowed by a
    # library and the run went on to finish.
    driver = (
        "import sys\n"
        "from newsbeam.pipeline.entry import stop_on_signals_until_a_command_starts\n"
        "stop_on_signals_until_a_command_starts()\n"
        "print('ready', flush=True)\n"
        "sys.stdin.readline()\n"  # the signal arrives while this waits, or while importing
        "import newsbeam.pipeline.cli\n"
        "print('not stopped', flush=True)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", driver],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline() == "ready\n"
    process.stdin.write("go\n")
    process.stdin.flush()
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err == "newsbeam: interrupted; nothing was committed\n"
    assert "not stopped" not in out
