"""The Dataflow job, built offline: `--runner=DataflowRunner ... --dry_run=True` translates and
pickles the whole graph as for a real submission and stops before any request. Checks that the
job steps are there under the names Dataflow matches when a job is updated, and that the
workers get the image the Makefile builds.

Needs apache-beam[gcp] (`pip install -e '.[gcp]'`); without it these tests fail, unless
NEWSBEAM_ALLOW_SKIP_GCP=1 is set, in which case they are skipped.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from newsbeam.pipeline.build import build_pipeline
from newsbeam.pipeline.state import StateStore
from tests.deploy.helpers import (
    BUCKET,
    DATAFLOW_ARGS,
    IMAGE,
    REPO,
    assert_cli_accepts,
    make_command,
    require_gcp,
)

INBOX_ARGS = ["--inbox", f"gs://{BUCKET}/inbox/", "--output", f"gs://{BUCKET}/output"]
FEED = "https://example.com/feed.xml"

# The job's top-level steps. Dataflow matches steps by these names when a running job is
# updated: renaming one is a breaking change for deployments, so this list changes with intent.
INBOX_STEPS = {
    "ReadIndex",
    "HandledFiles",
    "ReadInbox",
    "SplitEntries",
    "MergeEntries",
    "SkipSeenEntries",
    "FetchPages",
    "ExtractInboxArticles",
    "ExtractFeedArticles",
    "MergeArticles",
    "Deduplicate",
    "MergeRejects",
    "IndexFiles",
    "MergeIndex",
    "WriteArticles",
    "WriteDuplicates",
    "WriteRejects",
    "WriteIndex",
}
FEED_STEPS = INBOX_STEPS | {"FeedValidators", "PollFeeds"}


@pytest.fixture(autouse=True)
def _gcp():
    require_gcp()


def dry_run(argv: list[str], feed_urls: list[str]):
    """Build the job as `newsbeam ingest argv` would and return Dataflow's job description."""
    options = assert_cli_accepts(argv)
    run = StateStore(f"gs://{BUCKET}/output").new_run()
    result = build_pipeline(options, run, feed_urls).run()
    result.wait_until_finish()  # returns at once on a dry run, as after a real one
    return result.job


@cache
def built(with_feed: bool):
    """The job of the inbox (and feed) arguments, built once per test session."""
    if with_feed:
        return dry_run(DATAFLOW_ARGS + INBOX_ARGS + ["--feeds", FEED], [FEED])
    return dry_run(DATAFLOW_ARGS + INBOX_ARGS, [])


def step_names(job) -> tuple[list[str], list[str]]:
    """(top-level step names in order, every transform's unique name, sorted)."""
    proto = job.proto_pipeline
    transforms = proto.components.transforms
    (root_id,) = proto.root_transform_ids
    top = [transforms[t].unique_name for t in transforms[root_id].subtransforms]
    everything = sorted(t.unique_name for i, t in transforms.items() if i != root_id)
    return top, everything


def test_dataflow_job_has_the_expected_steps():
    top, everything = step_names(built(with_feed=False))
    assert len(top) == len(set(top))
    assert set(top) == INBOX_STEPS
    # Where the data flows: read before extract before dedup before write.
    order = ["ReadIndex", "ReadInbox", "ExtractInboxArticles", "Deduplicate"]
    assert [s for s in top if s in order] == order
    assert top[-4:] == ["WriteArticles", "WriteDuplicates", "WriteRejects", "WriteIndex"]
    # Every step has inner steps with its name as prefix, i.e. all of it is in the job.
    for name in ("ReadInbox", "Deduplicate", "WriteArticles"):
        assert any(n.startswith(f"{name}/") for n in everything), name


def test_dataflow_job_with_feeds_polls_them():
    top, _ = step_names(built(with_feed=True))
    assert set(top) == FEED_STEPS


def test_step_names_are_stable_between_builds():
    """Two builds (another run id, another start time) give the same names, and none is made
    from a lambda's line number or an object address in newsbeam's own code, which would change
    with an unrelated edit."""
    first = step_names(built(with_feed=True))
    second = step_names(dry_run(DATAFLOW_ARGS + INBOX_ARGS + ["--feeds", FEED], [FEED]))
    assert first == second
    ours = {p.stem for folder in ("pipeline", "transforms") for p in (REPO / folder).glob("*.py")}
    for name in first[1]:
        assert not re.search(r"0x[0-9a-f]{6,}", name), name
        for file in re.findall(r"<lambda at (\w+)\.py:\d+>", name):
            assert file not in ours, f"a step named after a line of {file}.py: {name}"


def test_the_makefiles_command_builds_a_job_whose_workers_run_our_image():
    """`make ingest`'s exact command line, built offline: the workers' environment is the image
    `make image` pushes, so they import the same newsbeam as the launcher."""
    argv = [*make_command("ingest", "newsbeam")[2:], "--dry_run=True"]
    job = dry_run(argv, [])
    environments = job.proto_pipeline.components.environments.values()
    images = {e.payload.decode("utf-8", "replace") for e in environments if "docker" in e.urn}
    assert images and all(IMAGE in payload for payload in images), images


def test_a_template_launch_job_ends_with_its_own_commit():
    """With nobody waiting (a Flex Template launch) the job commits itself: a last step that
    waits, through side inputs, for the four tables' writes."""
    options = assert_cli_accepts(DATAFLOW_ARGS + INBOX_ARGS)
    run = StateStore(f"gs://{BUCKET}/output").new_run()
    result = build_pipeline(options, run, [], commit_in_pipeline=True).run()
    result.wait_until_finish()
    top, everything = step_names(result.job)
    assert top[-1] == "CommitRun" and set(top) == INBOX_STEPS | {"CommitRun"}
    assert "CommitRun/RecordAndPublish" in everything
