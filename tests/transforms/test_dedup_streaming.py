"""DeduplicateStreaming under TestStream: URL, exact and near copies caught with keyed state as
elements arrive one by one, different reports kept, and old state aged out."""

from __future__ import annotations

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions
from apache_beam.testing import test_pipeline, test_stream
from apache_beam.testing.util import assert_that, equal_to
from apache_beam.transforms.window import TimestampedValue

from newsbeam.transforms.dedup_streaming import DeduplicateStreaming
from tests.transforms.near_texts import DRILL_DAY_ONE, DRILL_DAY_ONE_COPY, HARBOUR_STORY
from tests.transforms.test_near_dedup import COPY, DAY_THREE, HARBOUR, WIRE, article

DAY = 86_400


def stream_pipeline() -> test_pipeline.TestPipeline:
    options = PipelineOptions()
    options.view_as(StandardOptions).streaming = True
    # FnApiRunner does not run streaming pipelines; the Python direct runner does, with state.
    return test_pipeline.TestPipeline(
        runner="BundleBasedDirectRunner", options=options, blocking=True
    )


def _stream(arrivals):
    """[(seconds, article)] -> a TestStream delivering them one at a time, in that order."""
    stream = test_stream.TestStream()
    for seconds, item in arrivals:
        stream = stream.advance_watermark_to(seconds).add_elements(
            [TimestampedValue(item, seconds)]
        )
    return stream.advance_watermark_to_infinity()


def _run(arrivals, kept_ids, duplicates, **options):
    with stream_pipeline() as p:
        articles = p | _stream(arrivals)
        kept, dups = articles | DeduplicateStreaming(**options)
        assert_that(
            kept | "KeptIds" >> beam.Map(lambda a: a["article_id"]),
            equal_to(kept_ids),
            label="Kept",
        )
        assert_that(
            dups | "DupKeys" >> beam.Map(lambda d: (d["url"], d["duplicate_of"], d["kind"])),
            equal_to(duplicates),
            label="Duplicates",
        )


def test_each_kind_of_copy_is_caught_as_it_arrives():
    url_copy = article(WIRE["url"] + "?utm_source=rss", DRILL_DAY_ONE + " Updated.", 1)
    exact_copy = article("https://mirror.example.net/drill", DRILL_DAY_ONE.upper(), 2)
    _run(
        [(10, WIRE), (20, HARBOUR), (30, url_copy), (40, exact_copy), (50, COPY), (60, DAY_THREE)],
        kept_ids=[WIRE["article_id"], HARBOUR["article_id"], DAY_THREE["article_id"]],
        duplicates=[
            (url_copy["url"], WIRE["article_id"], "url"),
            (exact_copy["url"], WIRE["article_id"], "exact"),
            (COPY["url"], WIRE["article_id"], "near"),
        ],
    )


def test_first_arrival_is_kept_in_a_stream():
    # The copy arrives first: a stream cannot wait for the original, so the copy stays.
    _run(
        [(10, COPY), (20, WIRE)],
        kept_ids=[COPY["article_id"]],
        duplicates=[(WIRE["url"], COPY["article_id"], "near")],
    )


def test_state_older_than_the_retention_window_is_ignored():
    later_copy = article("https://late.example.org/drill", DRILL_DAY_ONE_COPY, 0)
    # WIRE's URL again, with another text: a URL copy inside the window, a new article after.
    url_again = article(WIRE["url"] + "#top", HARBOUR_STORY, 0)
    _run(
        [(0, WIRE), (2 * DAY, COPY), (40 * DAY, later_copy), (41 * DAY, url_again)],
        kept_ids=[WIRE["article_id"], later_copy["article_id"], url_again["article_id"]],
        duplicates=[(COPY["url"], WIRE["article_id"], "near")],
        retention_days=30,
    )


def test_what_earlier_runs_ingested_into_the_output_counts_as_seen():
    """The job reads the output's index when it starts: an article a batch run kept (its URL or
    its text) is a duplicate of that article when it streams in."""
    url_copy = article(WIRE["url"] + "?utm_source=rss", DRILL_DAY_ONE + " Updated.", 1)
    exact_copy = article("https://mirror.example.net/harbour", HARBOUR["text"].upper(), 2)
    index = [
        {"kind": "url", "key": WIRE["canonical_url"], "article_id": "batch-wire"},
        {"kind": "hash", "key": HARBOUR["content_hash"], "article_id": "batch-harbour"},
    ]
    with stream_pipeline() as p:
        articles = p | _stream([(10, url_copy), (20, exact_copy), (30, DAY_THREE)])
        prior = p | "Index" >> beam.Create(index)
        kept, dups = articles | DeduplicateStreaming(prior_index=prior)
        assert_that(
            kept | "KeptIds" >> beam.Map(lambda a: a["article_id"]),
            equal_to([DAY_THREE["article_id"]]),
            label="Kept",
        )
        assert_that(
            dups | "DupKeys" >> beam.Map(lambda d: (d["url"], d["duplicate_of"], d["kind"])),
            equal_to(
                [
                    (url_copy["url"], "batch-wire", "url"),
                    (exact_copy["url"], "batch-harbour", "exact"),
                ]
            ),
            label="Duplicates",
        )
