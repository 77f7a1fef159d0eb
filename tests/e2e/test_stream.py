"""`newsbeam stream`: new files picked up while it runs, clean stops, restarts that resume."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.e2e.helpers import SUMMARY_LINE, page, table


def _start(inbox: Path, output: Path, *extra: str) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "newsbeam.pipeline.cli",
        "stream",
        "--inbox",
        str(inbox),
        "--output",
        str(output),
        "--poll-interval",
        "1",
        "--settle-seconds",
        "0.5",
        *extra,
    ]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(condition, deadline: float = 120.0) -> bool:
    """Poll until `condition()` holds or the deadline passes (no fixed sleeps)."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _article_count(output: Path) -> int:
    return len(table(output, "articles")) if (output / "articles").exists() else 0


def test_files_dropped_while_streaming_are_ingested_and_a_restart_resumes(tmp_path):
    inbox, output = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    (inbox / "first.html").write_text(page("first", "First", 1, "the first quay"))
    stream = _start(inbox, output)
    try:
        assert _wait_for(lambda: _article_count(output) == 1)
        # A file written under a temporary name, then renamed into place, is read whole.
        part = inbox / "second.html.part"
        part.write_text(page("second", "Second", 2, "the second quay"))
        assert _article_count(output) == 1
        part.rename(inbox / "second.html")
        (inbox / "third.html").write_text(page("third", "Third", 3, "the third quay"))
        assert _wait_for(lambda: _article_count(output) == 3)
    finally:
        stream.send_signal(signal.SIGTERM)
        stdout, stderr = stream.communicate(timeout=120)
    assert stream.returncode == 130, stderr  # stopped by a signal, after the batch in hand
    assert "Traceback" not in stderr
    assert "stream stopped after" in stdout
    assert not list(output.rglob(".*.inprogress"))

    # Restart: everything already ingested is skipped; a new file is added exactly once.
    (inbox / "fourth.html").write_text(page("fourth", "Fourth", 4, "the fourth quay"))
    again = _start(inbox, output, "--stop-after", "3")
    stdout, stderr = again.communicate(timeout=180)
    assert again.returncode == 0, stderr
    counts = {name: int(value) for name, value in SUMMARY_LINE.findall(stdout)}
    assert counts["inputs"] == 1 and counts["articles"] == 1
    titles = sorted(a["title"] for a in table(output, "articles"))
    assert titles == ["First", "Fourth", "Second", "Third"]
    assert table(output, "duplicates") == []


def test_stop_after_ends_on_its_own_with_complete_files(tmp_path):
    inbox, output = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    for n in range(3):
        (inbox / f"p{n}.html").write_text(page(f"p{n}", f"P{n}", 1 + n, f"quay number {n}"))
    started = time.monotonic()
    stream = _start(inbox, output, "--stop-after", "2")
    _stdout, stderr = stream.communicate(timeout=180)
    assert stream.returncode == 0, stderr
    assert time.monotonic() - started < 120
    assert _article_count(output) == 3
    assert not (output / "_state" / "lock").exists()
    assert all(p.name.startswith("part-") for p in (output / "articles").rglob("*") if p.is_file())
