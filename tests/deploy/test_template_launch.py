"""What a Flex Template launch does to an output, with the runner stubbed: Dataflow's launcher
runs the program with `--template_location`, where `run()` only writes the job description and
returns a result without a job, and `wait_until_finish()` returns at once; the job runs after
the program exits. Reproduces the limit in deploy/dataflow/README.md ("Limits"), which is why
deploy/dataflow/main.py refuses such launches for now. The CLI no longer commits such a launch
as an empty run."""

from __future__ import annotations

import json

import apache_beam as beam

from newsbeam.pipeline import cli
from newsbeam.pipeline.state import StateStore
from tests.deploy.helpers import require_gcp


def _launch_like_the_flex_launcher(monkeypatch, output: str) -> int:
    require_gcp()
    from apache_beam.runners.dataflow.dataflow_runner import DataflowPipelineResult

    # DataflowRunner.run_pipeline with --template_location: create_job() returns None, and
    # the result is built around no job (state DONE, nothing to wait for).
    monkeypatch.setattr(
        beam.Pipeline,
        "run",
        lambda self, test_runner_api="AUTO": DataflowPipelineResult(None, None, self._options),
    )
    return cli.main(["ingest", "--output", output, "--runner", "FnApiRunner"])


def test_template_launch_is_not_committed_empty(tmp_path, monkeypatch):
    output = str(tmp_path / "out")
    status = _launch_like_the_flex_launcher(monkeypatch, output)
    records = StateStore(output).runs()
    # Nothing ran yet: a launch may hand over, but must not record a finished, empty run,
    # which the next run's recovery would take as "committed, no files" and so delete what the
    # job stages. Launches stay refused (deploy/dataflow/main.py) until the job commits itself.
    assert status == cli.EXIT_OK
    assert records == [], json.dumps(records)
    assert cli.TEMPLATE_LAUNCH_SAFE is False
