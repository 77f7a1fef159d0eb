"""The Dataflow streaming job of `newsbeam stream`, built offline (`--dry_run=True`): inbox files
from Cloud Storage notifications on Pub/Sub, feeds polled on a timer, keyed-state dedup, windowed
writes. Its steps carry stable names: Dataflow matches them when a running job is updated."""

from __future__ import annotations

import pytest

from newsbeam.pipeline import cli
from newsbeam.pipeline.build import build_streaming_pipeline
from tests.deploy.helpers import (
    BUCKET,
    DATAFLOW_ARGS,
    PROJECT,
    assert_cli_accepts,
    require_gcp,
)

SUBSCRIPTION = f"projects/{PROJECT}/subscriptions/newsbeam-inbox"
FEED = "https://example.com/feed.xml"
STREAM_ARGS = [
    "--inbox",
    f"gs://{BUCKET}/inbox/",
    "--inbox-subscription",
    SUBSCRIPTION,
    "--feeds",
    FEED,
    "--output",
    f"gs://{BUCKET}/output",
]
# Renaming one of these breaks `--update` of running jobs: change this list with intent.
STREAMING_STEPS = [
    "ReadInbox",
    "PollFeeds",
    "MergeItems",
    "SplitEntries",
    "FetchPages",
    "ExtractInboxArticles",
    "ExtractFeedArticles",
    "MergeArticles",
    "ReadIndex",
    "Deduplicate",
    "MergeRejects",
    "IndexKept",
    "IndexCopies",
    "MergeIndex",
    "WriteArticles",
    "WriteDuplicates",
    "WriteRejects",
    "WriteIndex",
]


@pytest.fixture(autouse=True)
def _gcp():
    require_gcp()


def _job():
    options = assert_cli_accepts([*DATAFLOW_ARGS, "--streaming", *STREAM_ARGS])
    result = build_streaming_pipeline(options, f"gs://{BUCKET}/output", "job1", [FEED]).run()
    result.wait_until_finish()
    return result.job


def test_the_streaming_job_has_stable_steps_and_is_a_streaming_job():
    job = _job()
    proto = job.proto_pipeline
    transforms = proto.components.transforms
    (root,) = proto.root_transform_ids
    top = [transforms[t].unique_name for t in transforms[root].subtransforms]
    assert top == STREAMING_STEPS
    assert job.proto.type.name == "JOB_TYPE_STREAMING"
    names = {t.unique_name for t in transforms.values()}
    for inner in (
        "ReadInbox/ReadNotifications",
        "PollFeeds/Ticks",
        "PollFeeds/PollOnTicks/PollFeed",
        "Deduplicate/FirstUrl",
        "WriteArticles/Window",
        "WriteArticles/WriteFiles",
    ):
        assert any(name.startswith(inner) for name in names), inner
    assert SUBSCRIPTION.encode() in proto.SerializeToString()


def test_newsbeam_stream_submits_the_streaming_job_to_dataflow(capsys):
    assert cli.main(["stream", *DATAFLOW_ARGS, *STREAM_ARGS]) == cli.Exit.OK
    err = capsys.readouterr().err
    assert "streaming job" in err and "handed over to DataflowRunner" in err


def test_stream_arguments_that_cannot_work_are_one_line_errors(capsys, tmp_path):
    local = ["stream", "--inbox-subscription", SUBSCRIPTION, "--output", str(tmp_path)]
    assert cli.main(local) == cli.Exit.USAGE
    assert "needs --runner DataflowRunner" in capsys.readouterr().err
    nothing = ["stream", *DATAFLOW_ARGS, "--output", f"gs://{BUCKET}/output"]
    assert cli.main(nothing) == cli.Exit.USAGE
    assert "--inbox-subscription" in capsys.readouterr().err
    batch = ["ingest", "--inbox-subscription", SUBSCRIPTION, "--output", str(tmp_path)]
    assert cli.main(batch) == cli.Exit.USAGE
    assert "option of 'newsbeam stream'" in capsys.readouterr().err
