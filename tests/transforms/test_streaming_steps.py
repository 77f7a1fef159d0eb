"""The steps only the Dataflow streaming job uses, run under TestStream on the Python direct
runner (FnApiRunner does not run streaming pipelines): inbox files announced by Cloud Storage
notifications, feeds polled on every tick with keyed state, and windowed Parquet writes."""

from __future__ import annotations

import json
from pathlib import Path

import apache_beam as beam
import pyarrow.parquet as pq
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions
from apache_beam.testing import test_pipeline, test_stream
from apache_beam.testing.util import assert_that, equal_to
from apache_beam.transforms.window import TimestampedValue

from newsbeam.schemas.records import Reject
from newsbeam.transforms.feeds import PollFeedsOnTicks
from newsbeam.transforms.http import HttpSettings
from newsbeam.transforms.notifications import notified_file
from newsbeam.transforms.sinks import WriteWindowedParquet
from tests.e2e.server import LoopbackServer, send

WHEN = 1_789_999_980  # 2026-09-21, a multiple of 60 s: windows start on it


def stream_pipeline() -> test_pipeline.TestPipeline:
    options = PipelineOptions()
    options.view_as(StandardOptions).streaming = True
    return test_pipeline.TestPipeline(
        runner="BundleBasedDirectRunner", options=options, blocking=True
    )


# -- Cloud Storage notifications --------------------------------------------------------------


def _attributes(event: str = "OBJECT_FINALIZE", name: str = "inbox/a.html") -> dict[str, str]:
    return {"eventType": event, "bucketId": "news-bucket", "objectId": name}


def test_a_finished_object_in_the_inbox_is_an_inbox_file():
    data = json.dumps({"size": "1234", "updated": "2026-11-25T10:00:00.5Z"}).encode()
    found = notified_file(_attributes(), data, ["gs://news-bucket/inbox/"])
    assert found is not None and found.path == "gs://news-bucket/inbox/a.html"
    assert found.size == 1234 and found.mtime == 1_795_600_800.5


def test_other_events_folders_temporary_names_and_other_prefixes_are_not_inputs():
    prefixes = ["gs://news-bucket/inbox/"]
    assert notified_file(_attributes("OBJECT_DELETE"), b"", prefixes) is None
    assert notified_file(_attributes("OBJECT_METADATA_UPDATE"), b"", prefixes) is None
    assert notified_file(_attributes(name="inbox/sub/"), b"", prefixes) is None
    assert notified_file(_attributes(name="inbox/a.html.part"), b"", prefixes) is None
    assert notified_file(_attributes(name="archive/a.html"), b"", prefixes) is None
    assert notified_file({"eventType": "OBJECT_FINALIZE"}, b"", prefixes) is None
    # Without prefixes any object of the bucket is an input; a payload that is not JSON is
    # only a missing size.
    found = notified_file(_attributes(name="archive/a.html"), b"not json", [])
    assert found is not None and (found.size, found.mtime) == (0, 0.0)


# -- feeds on ticks -----------------------------------------------------------------------------


def _rss(links: list[str]) -> bytes:
    items = "".join(
        f"<item><title>Story {n}</title><link>{link}</link></item>" for n, link in enumerate(links)
    )
    channel = f"<channel><title>t</title>{items}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'.encode()


def test_feeds_polled_on_ticks_ask_conditionally_and_pass_only_new_entries():
    """Three ticks: the feed as first published, unchanged (304), then with one more entry."""
    first = ["https://news.example/a", "https://news.example/b"]
    second = [*first, "https://news.example/c"]
    answers = [(_rss(first), '"v1"'), (None, '"v1"'), (_rss(second), '"v2"')]

    def feed(handler):
        body, etag = answers.pop(0) if answers else (None, '"v2"')
        if body is None:
            handler.send_response(304)
            handler.send_header("ETag", etag)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
        else:
            send(handler, 200, body, "application/rss+xml", {"ETag": etag})

    with LoopbackServer({"/feed.xml": feed}) as server:
        url = server.url("/feed.xml")
        ticks = (
            test_stream.TestStream()
            .add_elements([TimestampedValue(1, WHEN)])
            .advance_watermark_to(WHEN + 60)
            .add_elements([TimestampedValue(2, WHEN + 60)])
            .advance_watermark_to(WHEN + 120)
            .add_elements([TimestampedValue(3, WHEN + 120)])
            .advance_watermark_to_infinity()
        )
        settings = HttpSettings(allow_private_hosts=True)
        with stream_pipeline() as p:
            entries, rejects = p | ticks | PollFeedsOnTicks([url], settings)
            assert_that(
                entries | "Links" >> beam.Map(lambda e: e.url), equal_to(second), label="New"
            )
            assert_that(rejects, equal_to([]), label="NoRejects")
        sent = [r.headers.get("if-none-match") for r in server.requests_to("/feed.xml")]
    assert sent == [None, '"v1"', '"v1"']


# -- windowed writes ----------------------------------------------------------------------------


def _reject(n: int) -> Reject:
    return Reject(f"gs://b/inbox/{n}.html", None, "read", "empty", "the file is empty")


def test_each_window_is_written_as_its_own_complete_files(tmp_path: Path):
    """Rows arriving in three windows of 60 s: every row is in exactly one file, and the files
    of one window never hold another window's rows."""
    arrivals = [(WHEN + s, n) for n, s in enumerate([0, 5, 59, 61, 90, 250])]
    stream = test_stream.TestStream()
    for when, n in arrivals:
        stream = stream.advance_watermark_to(when).add_elements(
            [TimestampedValue(_reject(n), when)]
        )
    stream = stream.advance_watermark_to_infinity()
    folder = str(tmp_path / "rejects")
    with stream_pipeline() as p:
        written = p | stream | WriteWindowedParquet("rejects", folder, "job1", 60)
        assert_that(written | "Rows" >> beam.Map(lambda f: f[1]), equal_to([3, 2, 1]))
    files = sorted((tmp_path / "rejects").glob("**/*.parquet"))
    by_file = {f.name: sorted(pq.read_table(f).column("origin").to_pylist()) for f in files}
    assert sorted(by_file.values()) == [
        [f"gs://b/inbox/{n}.html" for n in (0, 1, 2)],
        [f"gs://b/inbox/{n}.html" for n in (3, 4)],
        ["gs://b/inbox/5.html"],
    ]
    assert all(name.startswith("part-job1-2026") for name in by_file)
    assert not [p for p in tmp_path.glob("**/.*")]  # no temporary left behind
