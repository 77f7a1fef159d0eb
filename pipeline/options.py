"""newsbeam's pipeline options, parsed like any Beam option and passed through to every runner,
and the defaults a local run gets (its runner, extraction processes, malloc settings)."""

from __future__ import annotations

import ctypes
import os
import weakref
from typing import TypeVar

from apache_beam.options.pipeline_options import DirectOptions, PipelineOptions, StandardOptions

__all__ = [
    "DEFAULT_OUTPUT",
    "EXTRACTION_MODES",
    "LOCAL_RUNNERS",
    "NewsbeamOptions",
    "ReportOptions",
    "RunOptions",
    "StreamOptions",
    "with_local_defaults",
]

_View = TypeVar("_View", bound=PipelineOptions)
# Outside the instances: Beam pickles and deep-copies options through their __dict__.
_VIEWS: weakref.WeakKeyDictionary[PipelineOptions, dict[type, PipelineOptions]] = (
    weakref.WeakKeyDictionary()
)

DEFAULT_OUTPUT = "./newsbeam-output"
EXTRACTION_MODES = ("fast", "balanced", "precision", "recall")

_MALLOC_SETTINGS = {
    "MALLOC_ARENA_MAX": "1",
    "MALLOC_TRIM_THRESHOLD_": "1048576",
    "MALLOC_MMAP_THRESHOLD_": "1048576",
}
LOCAL_RUNNERS = ("FnApiRunner", "DirectRunner", "BundleBasedDirectRunner", "SwitchingDirectRunner")


class RunOptions(PipelineOptions):
    """A run's options: Beam's `PipelineOptions`, with one view made per options class.

    Beam's `view_as` builds an argparse parser and parses every flag again on each call, and
    building and translating the graph calls it hundreds of times. A view keeps nothing of its
    own (every view reads and writes the options' one shared dict of values), so the first view
    of a class serves every later call. It adds no flags of its own.
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
            "--stale-lock-hours",
            dest="stale_lock_hours",
            type=float,
            default=6.0,
            help="A lock older than this many hours is taken over even if its process still "
            "runs (a hung run must not stop every later one); a lock whose process is gone is "
            "taken over at once. A run whose lock was taken over commits nothing (default 6).",
        )
        parser.add_argument(
            "--quiet",
            action="store_true",
            default=False,
            help="No progress lines on stderr; only errors and the final summary.",
        )


class ReportOptions(PipelineOptions):
    """What a local `ingest` or `stream` tells its operator: summary file, exit status, log;
    and where its settings may come from (`--config`, read by the CLI before parsing)."""

    @classmethod
    def _add_argparse_args(cls, parser) -> None:
        parser.add_argument(
            "--config",
            dest="config",
            default=None,
            metavar="FILE",
            help='A TOML file of settings named as these flags (output = "...", feeds = '
            "[...], max-reject-ratio = 0.9, Beam options too); flags given here win.",
        )
        parser.add_argument(
            "--summary-json",
            dest="summary_json",
            default=None,
            metavar="FILE",
            help="Also write the run's summary as JSON to FILE (counts, feeds, reject reasons "
            "with what helps, status), for monitoring; see docs/reliability.md.",
        )
        parser.add_argument(
            "--fail-if-all-sources-fail",
            dest="fail_if_all_sources_fail",
            action="store_true",
            default=False,
            help="Exit with status 69 when every input of the run was rejected (every feed and "
            "page failed): the rejects are still committed, but cron's monitoring notices. "
            "Without it such a run exits 0 unless --max-reject-ratio refuses it (from 20 inputs).",
        )
        parser.add_argument(
            "--log-level",
            dest="log_level",
            default=None,
            choices=("DEBUG", "INFO", "WARNING", "ERROR"),
            type=str.upper,
            help="Also show Beam's and newsbeam's log on stderr from this level on (the whole "
            "log always goes to OUTPUT/_state/logs/<run id>.log).",
        )
        parser.add_argument(
            "-v",
            "--verbose",
            dest="log_level",
            action="store_const",
            const="INFO",
            help="The same as --log-level INFO.",
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


# glibc's mallopt parameter numbers for the variables above.
_MALLOPT_PARAMS = {
    "MALLOC_TRIM_THRESHOLD_": -1,
    "MALLOC_MMAP_THRESHOLD_": -3,
    "MALLOC_ARENA_MAX": -8,
}


def _apply_malloc_settings() -> None:
    """Apply the MALLOC_* environment to this running process through glibc's mallopt (a no-op
    where there is no glibc)."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    for name, param in _MALLOPT_PARAMS.items():
        value = os.environ.get(name, "")
        if value.isdigit():
            libc.mallopt(param, int(value))


def with_local_defaults(options: PipelineOptions, argv: list[str]) -> PipelineOptions:
    """Choose the local runner explicitly: Beam's DirectRunner would first try to download the
    Prism binary, so a run would behave differently online and offline.

    Extraction is CPU-bound and everything else is light, so locally the pipeline runs in one
    process (FnApiRunner in memory) and extraction in one forked process per core
    (`--extraction-processes`). Beam's own multi-process mode paid each worker's start-up and
    every element's trip between processes at each stage, and measured slower than this way
    (bench/e2e_throughput.py). `--direct_running_mode multi_processing --direct_num_workers N`
    still gives Beam's way.
    """
    given = {arg.split("=", 1)[0] for arg in argv if arg.startswith("--")}
    standard = options.view_as(StandardOptions)
    if standard.runner is None:
        standard.runner = "FnApiRunner"
    opts = options.view_as(NewsbeamOptions)
    if standard.runner not in LOCAL_RUNNERS:
        opts.extraction_processes = opts.extraction_processes or 1
        return options
    direct = options.view_as(DirectOptions)
    if "--direct_running_mode" not in given:
        direct.direct_running_mode = "in_memory"
    if "--direct_num_workers" not in given:
        direct.direct_num_workers = 1
    if not opts.extraction_processes:
        one_process = direct.direct_running_mode == "in_memory" and direct.direct_num_workers == 1
        opts.extraction_processes = max(1, os.cpu_count() or 1) if one_process else 1
    # glibc keeps freed memory per thread arena; Beam's workers then hold far more than they
    # use (bench/dedup_scale.py measures both). This process (glibc reads them only at
    # start-up, so they are also applied here through mallopt) and the processes it starts
    # follow them; a user's own values win.
    for name, value in _MALLOC_SETTINGS.items():
        os.environ.setdefault(name, value)
    _apply_malloc_settings()
    return options
