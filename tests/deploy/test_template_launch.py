"""What a Flex Template launch does to an output, with the runner stubbed: Dataflow's launcher
runs the program with `--template_location`, where `run()` only writes the job description and
returns a result without a job, and `wait_until_finish()` returns at once; the job runs after
the program exits. The launch must leave the lock to the job and commit nothing; the job, when
it runs, commits itself from its last step and releases the lock."""

from __future__ import annotations

import json

import apache_beam as beam

from newsbeam.pipeline import cli
from newsbeam.pipeline.state import StateStore
from tests.deploy.helpers import BUCKET, require_gcp


def test_a_template_launch_leaves_the_commit_and_the_lock_to_the_job(tmp_path, monkeypatch):
    require_gcp()
    from apache_beam.runners.dataflow.dataflow_runner import DataflowPipelineResult

    output = str(tmp_path / "out")
    launched: list[beam.Pipeline] = []
    run_for_real = beam.Pipeline.run

    def hand_over(self, test_runner_api="AUTO"):
        # DataflowRunner.run_pipeline with --template_location: create_job() returns None,
        # and the result is built around no job (state DONE, nothing to wait for).
        launched.append(self)
        return DataflowPipelineResult(None, None, self._options)

    monkeypatch.setattr(beam.Pipeline, "run", hand_over)
    template = f"--template_location=gs://{BUCKET}/staging/template_launches/x/job_object"
    status = cli.main(["ingest", "--output", output, "--runner", "FnApiRunner", template])
    state = StateStore(output)

    # Launched, not run: nothing recorded (the next run's recovery would take an empty record
    # as "committed, no files" and delete what the job stages), and the lock is the job's.
    assert status == cli.Exit.OK
    assert state.runs() == []
    holder = json.loads((tmp_path / "out" / "_state" / "lock").read_text())
    (job,) = launched

    # A second launch while the job has not finished is refused by the lock.
    assert cli.main(["ingest", "--output", output, "--runner", "FnApiRunner", template]) == (
        cli.Exit.LOCKED
    )

    # The job runs later (here on the local runner): its last step commits and unlocks.
    monkeypatch.setattr(beam.Pipeline, "run", run_for_real)
    job.run().wait_until_finish()
    (record,) = state.runs()
    assert record["run_id"] == holder["run_id"] and record["committed_by"] == "pipeline"
    assert record["counts"]["articles"] == 12 and record["counts"]["duplicates"] == 2
    assert not (tmp_path / "out" / "_state" / "lock").exists()
    assert not list((tmp_path / "out" / "_state" / "staging").glob("*"))
    assert len(list((tmp_path / "out" / "articles").glob("**/*.parquet"))) >= 1
