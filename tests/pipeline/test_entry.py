"""The console script's first lines: the collector around the imports (pipeline/entry.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _run(driver: str, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", driver, *argv],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
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
        done = _run(driver, command)
        assert done.returncode == 0, done.stderr
        assert done.stdout == f"{imported} {imported} [{{'a': 1}}, {{'a': 2}}]\n", command


# Whether Beam loaded the Cloud Storage client, whether it can be imported, and which file
# system Beam has for gs:// paths.
_CLOUD_DRIVER = (
    "import sys\n"
    "from newsbeam.pipeline.entry import before_imports\n"
    "before_imports(sys.argv[1:])\n"
    "import newsbeam.pipeline.cli\n"
    "from apache_beam.io.filesystems import FileSystems\n"
    "loaded = 'google.cloud.storage' in sys.modules\n"
    "try:\n"
    "    import google.cloud.storage\n"
    "except ImportError:\n"
    "    storage = False\n"
    "else:\n"
    "    storage = True\n"
    "try:\n"
    "    gcs = type(FileSystems.get_filesystem('gs://b/x')).__name__\n"
    "except ValueError:\n"
    "    gcs = None\n"
    "print(loaded, storage, gcs)\n"
)


@pytest.mark.parametrize(
    ("argv", "needed"),
    [
        (["ingest", "--inbox", "in", "--output", "out"], False),
        (["stream", "--inbox", "in"], False),
        (["ingest", "--inbox", "in", "--output", "gs://bucket/news"], True),
        (["ingest", "--runner=DataflowRunner", "--output", "out"], True),
        (["stream", "--inbox-subscription", "projects/p/subscriptions/s"], True),
        (["stats", "out"], True),
    ],
)
def test_a_local_run_goes_without_the_cloud_clients_and_a_cloud_run_has_them(argv, needed):
    pytest.importorskip("google.cloud.storage")  # the `gcp` extra
    done = _run(_CLOUD_DRIVER, *argv)
    assert done.returncode == 0, done.stderr
    gcs = "GCSFileSystem" if needed else None
    assert done.stdout == f"{needed} {needed} {gcs}\n", argv


@pytest.mark.parametrize(
    ("argv", "config", "named"),
    [
        (["ingest", "--output", "out"], None, False),
        (["ingest", "--output", "GS://Bucket/x"], None, True),
        (["ingest", "--runner", "dataflow"], None, True),
        (["ingest", "--config", "{config}"], 'output = "/srv/news"\n', False),
        (["ingest", "--config={config}"], 'output = "gs://bucket/news"\n', True),
        (["ingest", "--config", "{config}"], 'runner = "DataflowRunner"\n', True),
        (["ingest", "--config", "{config}"], 'output = "gs\\u003a//bucket/news"\n', True),
        (["ingest", "--config", "{config}"], "# not on gs:// any more\noutput = '/srv'\n", False),
        (["ingest", "--config", "{config}"], "output = [\n", True),
        (["ingest", "--config", "{missing}"], None, True),
        (["ingest", "--config"], None, True),
        # Never opened: a named pipe would block the start of every run until a writer came.
        (["ingest", "--config", "{fifo}"], None, True),
        (["ingest", "--config", "/dev/zero"], None, True),
    ],
)
def test_names_the_cloud_reads_the_arguments_and_the_config_file(
    tmp_path, named_pipe, argv, config, named
):
    from newsbeam.pipeline.entry import names_the_cloud

    path = tmp_path / "newsbeam.toml"
    if config is not None:
        path.write_text(config, encoding="utf-8")
    argv = [a.format(config=path, missing=tmp_path / "missing.toml", fifo=named_pipe) for a in argv]
    assert names_the_cloud(argv) is named
