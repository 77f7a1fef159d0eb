"""The console script's first lines: the collector around the imports (pipeline/entry.py)."""

from __future__ import annotations

import subprocess
import sys


def _run(driver: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", driver], capture_output=True, text=True, timeout=120, check=False
    )


def test_the_imports_run_without_the_collector_and_end_frozen():
    driver = (
        "import gc\n"
        "from newsbeam.pipeline.entry import after_imports, before_imports\n"
        "before_imports(['ingest'])\n"
        "print(gc.isenabled())\n"
        "import newsbeam.pipeline.cli\n"
        "after_imports()\n"
        "print(gc.isenabled(), gc.get_freeze_count() > 100_000)\n"
    )
    done = _run(driver)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n") == ["False", "True True", ""]
