"""newsbeam's pipeline options, parsed like any Beam option and passed through to every runner."""

from __future__ import annotations

import weakref
from typing import TypeVar

from apache_beam.options.pipeline_options import PipelineOptions

__all__ = ["DEFAULT_OUTPUT", "EXTRACTION_MODES", "NewsbeamOptions", "RunOptions", "StreamOptions"]

_View = TypeVar("_View", bound=PipelineOptions)
# Outside the instances: Beam pickles and deep-copies options through their __dict__.
_VIEWS: weakref.WeakKeyDictionary[PipelineOptions, dict[type, PipelineOptions]] = (
    weakref.WeakKeyDictionary()
)

DEFAULT_OUTPUT = "./newsbeam-output"
EXTRACTION_MODES = ("fast", "balanced", "precision", "recall")


class RunOptions(PipelineOptions):
    """A run's options: Beam's `PipelineOptions`, with one view made per options class.

    Beam's `view_as` builds an argparse parser and parses every flag again on each call, and
    building and translating the graph calls it about 870 times: 0.6 s of start-up. A view keeps
    nothing of its own (every view reads and writes the options' one shared dict of values), so
    the first view of a class serves every later call. It adds no flags of its own.
    """

    def view_as(self, cls: type[_View]) -> _View:
        views = _VIEWS.setdefault(self, {})
        view = views.get(cls)
        if view is None:
            view = views[cls] = super().view_as(cls)
        return view  # type: ignore[return-value]


class NewsbeamOptions(PipelineOptions):
    """What to ingest, where to write it, and the limits that keep bad input harmless."""

    @classmethod
    def _add_argparse_args(cls, parser) -> None:
        parser.add_argument(
            "--inbox",
            action="append",
            default=None,
            help="A folder, glob or file of pages (.html, .htm), JSONL, feed or WARC files, "
            "optionally .gz; local or on any Beam filesystem (gs://...). Repeatable.",
        )
        parser.add_argument(
            "--feeds",
            action="append",
            default=None,
            help="A feed URL, a text file of feed URLs or an OPML file. Repeatable.",
        )
        parser.add_argument(
            "--output",
            default=DEFAULT_OUTPUT,
            help=f"Where the tables go, local or gs:// (default {DEFAULT_OUTPUT}).",
        )
        parser.add_argument(
            "--taxonomy",
            default=None,
            help="A topic taxonomy file to use instead of the bundled one.",
        )
        parser.add_argument(
            "--allow-private-hosts",
            dest="allow_private_hosts",
            action="store_true",
            default=False,
            help="Fetch from loopback, private, link-local and multicast addresses too.",
        )
        parser.add_argument(
            "--max-page-bytes",
            dest="max_page_bytes",
            type=int,
            default=10_000_000,
            help="Pages (and JSONL lines) larger than this, decompressed, are rejected "
            "(default 10000000).",
        )
        parser.add_argument(
            "--extraction-mode",
            dest="extraction_mode",
            choices=EXTRACTION_MODES,
            default="fast",
            help="trafilatura's trade-off: fast (default: its precision pass, run again "
            "favouring recall, then with its fallback extractors, only when the text looks cut; "
            "figures in bench/BENCHMARKS.md), balanced, precision or recall.",
        )
        parser.add_argument(
            "--extraction-processes",
            dest="extraction_processes",
            type=int,
            default=0,
            help="Processes extracting pages in each worker (default 0: one per core on the "
            "local runner, which runs the rest of the pipeline in one process; 1, in the worker "
            "itself, elsewhere).",
        )
        parser.add_argument(
            "--rows-per-file",
            dest="rows_per_file",
            type=int,
            default=20_000,
            help="At most this many rows in one Parquet file (default 20000).",
        )
        parser.add_argument(
            "--ignore-robots",
            dest="ignore_robots",
            action="store_true",
            default=False,
            help="Fetch article pages even where robots.txt disallows it.",
        )
        parser.add_argument(
            "--http-timeout",
            dest="http_timeout",
            type=float,
            default=20.0,
            help="Seconds to wait to connect and for each read (default 20); a URL gets at most "
            "three times this, retries and redirects included.",
        )
        parser.add_argument(
            "--http-retries",
            dest="http_retries",
            type=int,
            default=3,
            help="Retries on 429, 5xx and connection errors, with exponential backoff (default 3).",
        )
        parser.add_argument(
            "--per-host",
            dest="per_host",
            type=int,
            default=4,
            help="Concurrent requests to one host, per worker (default 4).",
        )
        parser.add_argument(
            "--politeness-delay",
            dest="politeness_delay",
            type=float,
            default=0.0,
            help="Seconds between the starts of two requests to one host (default 0).",
        )
        parser.add_argument(
            "--fetch-threads",
            dest="fetch_threads",
            type=int,
            default=32,
            help="Pages fetched, and feeds polled, at once by each worker (default 32).",
        )
        parser.add_argument(
            "--max-reject-ratio",
            dest="max_reject_ratio",
            type=float,
            default=0.8,
            help="Fail the run, committing nothing, when more than this share of at least 20 "
            "inputs are rejects: a broken deployment should not look like a quiet day "
            "(default 0.8; 1 turns it off).",
        )
        parser.add_argument(
            "--retention-days",
            dest="retention_days",
            type=int,
            default=30,
            help="Dedup keys (URLs, text hashes, near-duplicate sketches, seen feed links) are "
            "forgotten this many days after they were recorded, so the index does not grow "
            "forever; unchanged inbox files are remembered always (default 30).",
        )
        parser.add_argument(
            "--quiet",
            action="store_true",
            default=False,
            help="No progress lines on stderr; only errors and the final summary.",
        )


class StreamOptions(PipelineOptions):
    """`newsbeam stream` only: how often to look for new input and when to stop."""

    @classmethod
    def _add_argparse_args(cls, parser) -> None:
        parser.add_argument(
            "--poll-interval",
            dest="poll_interval",
            type=float,
            default=60.0,
            help="Seconds between two looks at the feeds and the inbox; new articles are "
            "written as complete files at least this often (default 60).",
        )
        parser.add_argument(
            "--stop-after",
            dest="stop_after",
            type=float,
            default=None,
            help="Stop cleanly after this many seconds (default: run until Ctrl-C or SIGTERM).",
        )
        parser.add_argument(
            "--inbox-subscription",
            dest="inbox_subscription",
            default=None,
            help="Dataflow streaming only: a Pub/Sub subscription (projects/P/subscriptions/S) "
            "to a Cloud Storage notification topic of the inbox bucket; each finished object "
            "under an --inbox prefix (or anywhere in the bucket without one) is ingested.",
        )
        parser.add_argument(
            "--settle-seconds",
            dest="settle_seconds",
            type=float,
            default=2.0,
            help="An inbox file modified less than this many seconds ago may still be being "
            "written: it waits for the next poll (default 2).",
        )
