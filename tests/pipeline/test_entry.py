"""The console script's first lines: the collector around the imports (pipeline/entry.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest


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


def test_ingest_and_stream_go_without_pandas_and_pyarrow_still_writes(tmp_path):
    pytest.importorskip("pandas")  # Beam imports it only where it is installed
    driver = (
        "import sys\n"
        "from newsbeam.pipeline.entry import after_imports, before_imports\n"
        "before_imports(sys.argv[1:])\n"
        "import newsbeam.pipeline.cli\n"
        "after_imports()\n"
        "import pyarrow as pa, pyarrow.parquet as pq\n"
        f"pq.write_table(pa.table({{'a': [1, 2]}}), {str(tmp_path / 't.parquet')!r})\n"
        f"rows = pq.read_table({str(tmp_path / 't.parquet')!r}).to_pylist()\n"
        "try:\n"
        "    import pandas\n"
        "except ImportError:\n"
        "    pandas = None\n"
        "print('pandas' in sys.modules, pandas is not None, rows)\n"
    )
    for command, imported in (("ingest", False), ("stream", False), ("stats", True)):
        done = subprocess.run(
            [sys.executable, "-c", driver, command],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout == f"{imported} {imported} [{{'a': 1}}, {{'a': 2}}]\n", command
