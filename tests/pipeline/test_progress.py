"""Progress while a local run works, and --quiet."""

from __future__ import annotations

import io
import os
import pickle
import time
from pathlib import Path

import apache_beam as beam

from newsbeam.pipeline.cli import _progress_lines
from newsbeam.transforms.progress import (
    PROGRESS_DIR_ENV,
    PROGRESS_EVERY_ENV,
    counter,
    read_progress,
)
from tests.e2e.helpers import newsbeam


class _CountFn(beam.DoFn):
    def __init__(self) -> None:
        self._seen = counter("inputs")

    def process(self, element):
        self._seen.inc()
        yield element


def test_counters_reach_the_progress_folder_from_worker_processes(tmp_path, monkeypatch):
    monkeypatch.setenv(PROGRESS_DIR_ENV, str(tmp_path))
    monkeypatch.setenv(PROGRESS_EVERY_ENV, "0")  # every count written: the test needs the last
    options = beam.options.pipeline_options.PipelineOptions(
        ["--runner=FnApiRunner", "--direct_running_mode=multi_processing", "--direct_num_workers=2"]
    )
    with beam.Pipeline(options=options) as pipeline:
        _ = pipeline | beam.Create(range(40)) | beam.Reshuffle() | beam.ParDo(_CountFn())
    # Worker processes inherited the folder; their files add up to every element counted.
    assert read_progress(str(tmp_path))["inputs"] == 40


def test_a_counter_survives_pickling_as_beam_does_with_dofns():
    restored = pickle.loads(pickle.dumps(counter("extracted")))
    restored.inc(2)  # no folder set: a plain Beam counter, no error


def test_progress_lines_report_counts_and_clean_up():
    out = io.StringIO()
    with _progress_lines(out, quiet=False, every=0.05):
        directory = Path(os.environ[PROGRESS_DIR_ENV])
        (directory / "1.json").write_text('{"inputs": 7}')
        deadline = time.monotonic() + 10
        while "7 inputs read" not in out.getvalue() and time.monotonic() < deadline:
            time.sleep(0.01)  # polling the reporter thread, with a deadline
    assert "so far 7 inputs read" in out.getvalue()
    assert PROGRESS_DIR_ENV not in os.environ
    assert not directory.exists()


def test_quiet_prints_only_the_summary(tmp_path):
    run = newsbeam("ingest", "--output", str(tmp_path / "out"), "--quiet")
    assert run.returncode == 0
    assert run.stderr.strip() == ""
    assert run.counts["inputs"] == 14
