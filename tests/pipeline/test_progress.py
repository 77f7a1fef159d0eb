"""Progress while a local run works, and --quiet."""

from __future__ import annotations

import io
import os
import pickle
import time
from pathlib import Path

import apache_beam as beam

from newsbeam.pipeline.progress import inbox_total, progress_line, show_progress
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
    with show_progress(out, total=20, quiet=False, every=0.05):
        directory = Path(os.environ[PROGRESS_DIR_ENV])
        (directory / "1.json").write_text('{"inputs": 7, "extracted": 6}')
        deadline = time.monotonic() + 10
        while "7/20 inputs" not in out.getvalue() and time.monotonic() < deadline:
            time.sleep(0.01)  # polling the reporter thread, with a deadline
    assert "newsbeam: 7/20 inputs (35%), 6 extracted" in out.getvalue()
    assert PROGRESS_DIR_ENV not in os.environ
    assert not directory.exists()


def test_a_progress_line_gives_the_rate_and_the_time_left_when_the_total_is_known():
    counts = {"inputs": 250, "extracted": 240, "extract_rejected": 10, "skipped": 50}
    line = progress_line(counts, total=1000, seconds=10.0, bar=True)
    assert line == (
        "newsbeam: [#######.................] 300/1,000 inputs (30%), 240 extracted, "
        "10 rejected at extraction, 50 skipped, 30.0/s, about 23 s left"
    )
    assert progress_line({"inputs": 5}, None, 2.0) == (
        "newsbeam: 5 inputs so far, 0 extracted, 0 rejected at extraction, 2.5/s"
    )


def test_the_total_is_known_for_inboxes_of_pages_only(tmp_path):
    for name in ("a.html", "b.htm.gz", "sub/c.html"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("<p>x</p>")
    assert inbox_total([str(tmp_path)], has_feeds=False) == 3
    assert inbox_total([str(tmp_path)], has_feeds=True) is None
    (tmp_path / "more.jsonl").write_text("{}\n")
    assert inbox_total([str(tmp_path)], has_feeds=False) is None  # lines are not known yet


def test_quiet_prints_only_the_summary(tmp_path):
    run = newsbeam("ingest", "--output", str(tmp_path / "out"), "--quiet")
    assert run.returncode == 0
    assert run.stderr.strip() == ""
    assert run.counts["inputs"] == 14
