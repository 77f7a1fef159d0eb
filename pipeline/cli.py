"""The `newsbeam` command: argument checks, the run's lifecycle around the pipeline, the summary.

Exit statuses: `Exit` in pipeline/lifecycle.py.
"""

from __future__ import annotations

if __name__ == "__main__":  # `python -m newsbeam.pipeline.cli`: as the console script does
    import sys

    from newsbeam.pipeline.entry import before_imports

    before_imports(sys.argv[1:])

import logging

# Beam warns about optional cloud clients when imported; that is not the user's business.
logging.getLogger().addHandler(logging.NullHandler())

import argparse
import contextlib
import difflib
import gc
import math
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from importlib import resources
from typing import Any, NoReturn, TextIO

from apache_beam.metrics.metric import MetricsFilter
from apache_beam.options.pipeline_options import (
    PipelineOptions,
    StandardOptions,
    _BeamArgumentParser,
)

from newsbeam import __version__
from newsbeam.pipeline.build import (
    build_pipeline,
    build_streaming_pipeline,
    prefetch_inbox,
    resolve_feeds,
)
from newsbeam.pipeline.config import ConfigError, config_arguments, split_config_flag
from newsbeam.pipeline.entry import after_imports
from newsbeam.pipeline.lifecycle import (
    Exit,
    Refused,
    RunLimits,
    commit_counts,
    finish,
    open_run,
    prepare,
)
from newsbeam.pipeline.options import (
    LOCAL_RUNNERS,
    NewsbeamOptions,
    ReportOptions,
    RunOptions,
    StreamOptions,
    with_local_defaults,
)
from newsbeam.pipeline.progress import inbox_total, show_progress
from newsbeam.pipeline.signals import StopOnSignal, UserStderr, beam_output_to
from newsbeam.pipeline.state import LockHeld, Run, StateStore
from newsbeam.pipeline.summary import Summary, reject_reasons
from newsbeam.transforms.extract import (
    close_prestarted,
    preload_language_identifier,
    prestart_extraction,
)
from newsbeam.transforms.tagging import TaxonomyFile, read_taxonomy
from newsbeam.transforms.taxonomy import TaxonomyError

__all__ = ["main"]

_LOGGER = logging.getLogger(__name__)


class UsageError(Exception):
    """Bad arguments: reported as one line, exit status 2."""


class _OneLineParser(_BeamArgumentParser):
    """argparse with Beam's value-provider support, reporting errors as one line."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _sample_inbox() -> str:
    return str(resources.files("newsbeam.pipeline") / "sample")


_DESCRIPTIONS = {
    "ingest": "Ingest feeds and inbox files into deduplicated, partitioned Parquet tables: a "
    "batch run that ends by itself (what cron calls). With no --inbox and no --feeds it runs on "
    "the bundled sample.",
    "stream": "Ingest feeds and inbox files continuously: every --poll-interval seconds, what "
    "is new is committed as complete files, until Ctrl-C, SIGTERM or --stop-after.",
}


def _help_parser(command: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"newsbeam {command}",
        description=_DESCRIPTIONS[command],
        epilog="Any Apache Beam pipeline option is accepted too, e.g. --runner DataflowRunner "
        "--project P --region R --temp_location gs://B/tmp. Locally the pipeline runs in this "
        "process on Beam's FnApiRunner and pages are extracted in forked processes "
        "(--extraction-processes, one per core by default).",
    )
    NewsbeamOptions._add_argparse_args(parser)
    ReportOptions._add_argparse_args(parser)
    if command == "stream":
        StreamOptions._add_argparse_args(parser)
    return parser


def _every_flag_parser() -> _OneLineParser:
    """A parser of newsbeam's and every Beam option's flags."""
    parser = _OneLineParser(prog="newsbeam ingest", allow_abbrev=False, add_help=False)
    seen: dict[str, type] = {}
    for cls in PipelineOptions.__subclasses__():
        seen.setdefault(str(cls), cls)
    for cls in seen.values():
        cls._add_argparse_args(parser)
    return parser


def _parse_pipeline_args(argv: list[str]) -> tuple[PipelineOptions, list[str]]:
    """Every flag must be newsbeam's or a Beam option's: Beam itself only warns on unknowns.
    `--config FILE` adds the file's settings before the command line's flags. Returns the
    options and the arguments they were parsed from."""
    parser = _every_flag_parser()
    flags = [f for action in parser._actions for f in action.option_strings]
    try:
        config, argv = split_config_flag(argv)
        if config is not None:
            argv = config_arguments(config, flags, argv) + argv
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    _known, unknown = parser.parse_known_args(argv)
    if unknown:
        close = difflib.get_close_matches(unknown[0].split("=", 1)[0], flags, n=1, cutoff=0.75)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise UsageError(f"unrecognized arguments: {' '.join(unknown)}{hint}")
    return RunOptions(argv), argv


def _check_inputs(opts: NewsbeamOptions) -> list[str]:
    """Validate the inputs; returns the feed URLs behind `--feeds`."""
    for flag, values in (
        ("--output", [opts.output]),
        ("--taxonomy", [opts.taxonomy] if opts.taxonomy is not None else []),
        ("--inbox", opts.inbox or []),
        ("--feeds", opts.feeds or []),
    ):
        if any(not value.strip() for value in values):
            # An unset variable in a cron line: "--output $OUT" would write into the
            # current folder.
            raise UsageError(f"{flag} is empty: give a path")
    if opts.taxonomy:
        try:
            read_taxonomy(opts.taxonomy)
        except (TaxonomyError, OSError) as exc:
            raise UsageError(str(exc)) from exc
    for flag, value in (
        ("--max-page-bytes", opts.max_page_bytes),
        ("--rows-per-file", opts.rows_per_file),
        ("--http-timeout", opts.http_timeout),
        ("--per-host", opts.per_host),
        ("--fetch-threads", opts.fetch_threads),
        ("--max-reject-ratio", opts.max_reject_ratio),
        ("--retention-days", opts.retention_days),
        ("--stale-lock-hours", opts.stale_lock_hours),
    ):
        if not (value > 0 and math.isfinite(value)):  # NaN is not above 0 either
            raise UsageError(f"{flag} must be a positive number, not {value}")
    if opts.extraction_processes < 0:
        raise UsageError(
            f"--extraction-processes cannot be negative, not {opts.extraction_processes} "
            "(0: one per core on the local runner)"
        )
    for path in opts.inbox or []:
        if "://" in path:
            continue  # checked when matched: remote listings need credentials
        if any(ch in path for ch in "*?["):
            if not os.path.isdir(os.path.dirname(os.path.abspath(path)) or "."):
                raise UsageError(f"inbox folder not found: {os.path.dirname(path)}")
        elif not os.path.exists(path):
            raise UsageError(f"inbox path not found: {path}")
    if not (opts.http_retries >= 0 and 0 <= opts.politeness_delay < math.inf):
        raise UsageError("--http-retries and --politeness-delay must be numbers, 0 or more")
    try:
        return resolve_feeds(opts.feeds)
    except (ValueError, OSError) as exc:
        raise UsageError(str(exc)) from exc


# A Flex Template launch (`--template_location`) runs the job after this program exits, so the
# job commits itself from its last step (pipeline/commit.py); deploy/dataflow/main.py checks this.
TEMPLATE_LAUNCH_SAFE = True


def _is_template_launch(options: PipelineOptions) -> bool:
    return bool(options.get_all_options(retain_unknown_options=True).get("template_location"))


def _handed_over(options: PipelineOptions, result: Any) -> bool:
    """True when `run()` only built a job description and ran nothing (a dry run; a template
    launch is handled before this is asked)."""
    flags = options.get_all_options(retain_unknown_options=True)
    return bool(flags.get("dry_run")) or (
        getattr(result, "has_job", True) is False  # Dataflow's result when no job was created
    )


def _counter(result: Any, name: str) -> int:
    try:
        counters = result.metrics().query(MetricsFilter().with_name(name))["counters"]
    except Exception:  # a runner without metrics support
        return 0
    return sum(c.committed or c.attempted or 0 for c in counters)


def _log_path(state: StateStore, run: Run) -> str:
    if "://" in state.output:
        return os.path.join(tempfile.gettempdir(), f"newsbeam-{run.run_id}.log")
    folder = os.path.join(state.root, "logs")
    os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, f"{run.run_id}.log")


def _prepare(argv: list[str]) -> tuple[PipelineOptions, list[str]]:
    """Parse and check the arguments of `ingest` or `stream`; returns (options, feed URLs)."""
    options, argv = _parse_pipeline_args(argv)
    options = with_local_defaults(options, argv)
    opts = options.view_as(NewsbeamOptions)
    if not opts.inbox and not opts.feeds:
        opts.inbox = [_sample_inbox()]
    return options, _check_inputs(opts)


def _open_and_lock(opts: NewsbeamOptions, stop: StopOnSignal) -> tuple[StateStore, Run] | int:
    """The output's state folder and a new run holding its lock, or the exit status to return
    (the reason already on stderr). `stop` learns of the run before its lock is taken."""
    try:
        state, run = open_run(opts.output, RunLimits.of(opts), before_lock=stop.hold)
    except LockHeld as exc:
        stop.hold(None)
        print(f"newsbeam: error: {exc}; not starting", file=sys.stderr)
        return Exit.LOCKED
    except OSError as exc:
        stop.hold(None)
        print(
            f"newsbeam: error: cannot write to the output {opts.output}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return Exit.CANTCREAT
    return state, run


def _ingest(argv: list[str], out: TextIO, stop: StopOnSignal, own_process: bool = False) -> int:
    if any(arg in ("-h", "--help") for arg in argv):
        _help_parser("ingest").print_help(out)
        return Exit.OK
    stream_only = {"--poll-interval", "--stop-after", "--settle-seconds", "--inbox-subscription"}
    given = stream_only & {arg.split("=", 1)[0] for arg in argv}
    if given:
        raise UsageError(f"{sorted(given)[0]} is an option of 'newsbeam stream', not 'ingest'")
    options, feed_urls = _prepare(argv)
    opened = _open_and_lock(options.view_as(NewsbeamOptions), stop)
    if isinstance(opened, int):
        return opened
    state, run = opened
    try:
        status, summary = _run_batch(
            options, state, run, feed_urls, "ingest", keep_frozen=own_process
        )
    finally:
        state.release()
        stop.hold(None)
    return _report(options, status, summary)


def _report(options: PipelineOptions, status: int, summary: Summary | None) -> int:
    """Print a run's summary (on stdout when it committed, else its reasons on stderr), write
    `--summary-json`, and return the exit status, 69 when `--fail-if-all-sources-fail` applies."""
    if summary is None:
        return status
    report = options.view_as(ReportOptions)
    if status == Exit.OK and report.fail_if_all_sources_fail and summary.all_rejected():
        status, summary.status = Exit.UNAVAILABLE, "all-sources-failed"
    lines = summary.lines()
    if status == Exit.UNAVAILABLE:
        lines.insert(1, "  every input was rejected (--fail-if-all-sources-fail: status 69)")
    print("\n".join(lines), file=sys.stdout if summary.status != "refused" else sys.stderr)
    if report.summary_json:
        try:
            summary.write_json(report.summary_json)
        except OSError as exc:
            print(
                f"newsbeam: error: the summary was not written to {report.summary_json}: "
                f"{exc.strerror or exc}",
                file=sys.stderr,
            )
            return status or Exit.CANTCREAT
    return status


def _stream(argv: list[str], out: TextIO, stop: StopOnSignal) -> int:
    """Micro-batches: every poll interval, one batch run of what is new, committed as complete
    files (the same pipeline and `_state` as `ingest`). The lock is held throughout. The first
    Ctrl-C or SIGTERM stops after the batch in hand (status 130 after the summary); a second one
    stops at once."""
    if any(arg in ("-h", "--help") for arg in argv):
        _help_parser("stream").print_help(out)
        return Exit.OK
    options, feed_urls = _prepare(argv)
    stream = options.view_as(StreamOptions)
    bad_stop = stream.stop_after is not None and not stream.stop_after >= 0  # NaN is bad too
    if not (0 < stream.poll_interval < math.inf) or bad_stop:
        raise UsageError("--poll-interval must be positive and --stop-after not negative")
    opts = options.view_as(NewsbeamOptions)
    if options.view_as(StandardOptions).runner not in LOCAL_RUNNERS:
        return _stream_on_runner(options, feed_urls, stop)
    if stream.inbox_subscription:
        raise UsageError(
            "--inbox-subscription needs --runner DataflowRunner (Pub/Sub notifications of a "
            "bucket); locally, give the inbox folder with --inbox"
        )
    opened = _open_and_lock(opts, stop)
    if isinstance(opened, int):
        return opened
    state, first = opened
    started = time.monotonic()
    deadline = started + stream.stop_after if stream.stop_after is not None else None
    # Skipped files are seen again at every poll: only the inputs add up across batches.
    total = Summary(first.run_id, "committed", 0.0, state.output, {})
    batches, status = 0, Exit.OK
    try:
        while True:
            batch_started = time.monotonic()
            run = first if batches == 0 else state.new_run()
            run.lock_token = first.lock_token  # every batch works under the lock first took
            stop.hold(state, run)
            settled = time.time() - stream.settle_seconds
            status, summary = _run_batch(
                options, state, run, feed_urls, "stream", settled_before=settled
            )
            if status != Exit.OK or summary is None:
                _report(options, status, summary)
                break
            batches += 1
            total.add(summary, skip=("skipped",))
            if not opts.quiet:
                print(
                    f"newsbeam: batch {batches} ({run.run_id}): "
                    + ", ".join(f"{k} {v}" for k, v in summary.counts.items())
                    + f" in {summary.seconds:.1f} s",
                    file=sys.stderr,
                )
            wake = batch_started + stream.poll_interval
            if deadline is not None:
                wake = min(wake, deadline)
            stop.event.wait(max(0.0, wake - time.monotonic()))
            if stop.event.is_set() or (deadline is not None and time.monotonic() >= deadline):
                break
    finally:
        state.release()
        stop.hold(None)
    if status == Exit.OK:
        print(f"newsbeam: stream stopped after {batches} batches")
        total.seconds = time.monotonic() - started
        status = _report(options, status, total)
        if stop.event.is_set():
            return Exit.INTERRUPTED
    return status


def _stream_on_runner(options: PipelineOptions, feed_urls: list[str], stop: StopOnSignal) -> int:
    """Submit the unbounded job (`build_streaming_pipeline`) to a runner such as Dataflow. It
    takes the output's lock for good: the job writes into the output until it is drained or
    cancelled, and a batch run must not compact the index under it (delete `_state/lock`
    after stopping the job)."""
    opts = options.view_as(NewsbeamOptions)
    stream = options.view_as(StreamOptions)
    if not stream.inbox_subscription and not opts.feeds:
        raise UsageError(
            "a streaming job needs --inbox-subscription (Cloud Storage notifications on "
            "Pub/Sub) or --feeds"
        )
    if stream.stop_after is not None:
        raise UsageError("--stop-after is for local runs: drain or cancel the Dataflow job")
    options.view_as(StandardOptions).streaming = True
    flags = options.get_all_options(retain_unknown_options=True)
    opts.inbox = [path for path in opts.inbox or [] if path.startswith("gs://")]
    state = StateStore(opts.output)
    run = state.new_run()
    if not flags.get("dry_run"):
        opened = _open_and_lock(opts, stop)
        if isinstance(opened, int):
            return opened
        state, run = opened
        state.keep_lock_for_job()
        stop.hold(None)
    job_id = run.run_id
    try:
        build_streaming_pipeline(options, opts.output, job_id, feed_urls).run()
    except Exception as exc:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        reason = lines[-1] if lines else type(exc).__name__
        print(
            f"newsbeam: error: the streaming job was not started: {reason[:300]}", file=sys.stderr
        )
        state.release_for(run.lock_token)
        return Exit.FAILED
    print(
        f"newsbeam: streaming job {job_id} handed over to {flags.get('runner')}; it writes "
        f"complete files every {stream.poll_interval:g} s into {opts.output} and holds "
        f"{state.lock_path} until it is drained or cancelled (then delete the lock)",
        file=sys.stderr,
    )
    return Exit.OK


def _run_batch(
    options: PipelineOptions,
    state: StateStore,
    run: Run,
    feed_urls: list[str],
    command: str,
    settled_before: float | None = None,
    keep_frozen: bool = False,
) -> tuple[int, Summary | None]:
    """One batch run into a locked output: build, run, count, then `lifecycle.finish()`.
    Returns (exit status, its summary or None when the job was only handed over or failed
    before writing); errors are reported on stderr.

    With `keep_frozen` (a process that makes one run and exits), what this process holds once
    the extraction has started (modules, the taxonomy and tagger read for the extraction
    processes) is kept out of every later garbage collection (`gc.freeze`)."""
    started = time.monotonic()
    opts = options.view_as(NewsbeamOptions)
    local = options.view_as(StandardOptions).runner in LOCAL_RUNNERS
    processes = max(1, opts.extraction_processes or 1)
    # What the extraction needs loads while this process checks the index and builds the
    # pipeline: in the extraction processes, or here when it extracts itself.
    if local and processes > 1:
        prestart_extraction(processes, TaxonomyFile(opts.taxonomy))
    elif local:
        preload_language_identifier()
    if keep_frozen:
        # What this process holds now (modules, what the extraction needs) lives as long as
        # it does: out of the collector's sight, no full collection walks it again. Forking
        # the extraction processes gave the frozen objects back to the collector, which a
        # `stream` process, forking for every batch, needs.
        gc.freeze()
    try:
        return _run_prepared(options, state, run, feed_urls, command, settled_before, started)
    finally:
        close_prestarted()


def _run_prepared(
    options: PipelineOptions,
    state: StateStore,
    run: Run,
    feed_urls: list[str],
    command: str,
    settled_before: float | None,
    started: float,
) -> tuple[int, Summary | None]:
    """`_run_batch` once the extraction's start-up is under way."""
    opts = options.view_as(NewsbeamOptions)
    notices = prepare(state)
    for notice in notices:
        print(f"newsbeam: warning: {notice}", file=sys.stderr)
    if options.view_as(StandardOptions).runner in LOCAL_RUNNERS:
        # The prestarted processes start on the inbox's first pages while the pipeline is
        # built and reaches its extraction step.
        prefetch_inbox(options, run, settled_before)
    log_path = _log_path(state, run)
    echo = options.view_as(ReportOptions).log_level
    total = inbox_total(opts.inbox or [], bool(feed_urls))
    with beam_output_to(log_path, echo) as user, show_progress(user, total, opts.quiet):
        if not opts.quiet:
            print(f"newsbeam: run {run.run_id} started; Beam's log: {log_path}", file=user)
        template = _is_template_launch(options)
        try:
            pipeline = build_pipeline(
                options, run, feed_urls, settled_before, commit_in_pipeline=template
            )
            result = pipeline.run()
            result.wait_until_finish()
        except Exception as exc:
            _LOGGER.exception("the pipeline failed")
            lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
            reason = lines[-1] if lines else type(exc).__name__
            print(
                f"newsbeam: error: the pipeline failed: {reason[:300]} (details in {log_path})",
                file=user,
            )
            return Exit.FAILED, None
    if template:
        # The job runs after this process exits; its last step commits and releases the lock.
        state.keep_lock_for_job()
        print(
            f"newsbeam: run {run.run_id} was handed over as a template launch: the job commits "
            f"its output and releases {state.lock_path} when it finishes",
            file=sys.stderr,
        )
        return Exit.OK, None
    if _handed_over(options, result):
        print(
            "newsbeam: the job was built and handed over, not run here (a dry run): nothing to "
            "count or commit",
            file=sys.stderr,
        )
        return Exit.OK, None
    staged = state.staged_files(run)
    counts = {
        "inputs": _counter(result, "inputs"),
        **commit_counts(staged),
        "skipped": _counter(result, "skipped"),
    }
    reasons, failed_feeds = reject_reasons(
        [state.staged_path(run, relative) for relative, _rows in staged.get("rejects", [])]
    )
    feeds = None
    if feed_urls:
        feeds = {
            "polled": _counter(result, "feeds_polled"),
            "unchanged": _counter(result, "feeds_unchanged"),
            "failed": failed_feeds,
        }
    summary = Summary(run.run_id, "committed", 0.0, state.output, counts, feeds, reasons, notices)
    summary.seconds = time.monotonic() - started
    if command == "stream" and not staged and counts["inputs"] == 0:
        return Exit.OK, summary  # nothing new this poll: no run record for it
    record = {
        "command": command,
        "started_at": run.started_at.isoformat(),
        "seconds": round(summary.seconds, 3),
        "feeds": feeds,
    }
    try:
        finish(state, run, counts, RunLimits.of(opts), record)
    except Refused as exc:
        print(
            f"newsbeam: error: {exc}; nothing was committed, the next run retries "
            f"(details in {log_path})",
            file=sys.stderr,
        )
        summary.status = "refused"
        return Exit.FAILED, summary
    for notice in state.notices:
        print(f"newsbeam: warning: {notice}", file=sys.stderr)
    summary.notices += state.notices
    state.notices.clear()
    return Exit.OK, summary


def main(argv: Sequence[str] | None = None, own_process: bool = False) -> int:
    """Entry point of the `newsbeam` console script. `own_process`: this process runs one
    command and exits (the console script), so what lives through the run may be frozen."""
    argv = list(sys.argv[1:] if argv is None else argv)
    with UserStderr() as stderr:
        try:
            return _dispatch(argv, stderr, own_process)
        except UsageError as exc:
            print(f"newsbeam: error: {exc}", file=sys.stderr)
            return Exit.USAGE
        except BrokenPipeError:
            # The reader of our output went away (`newsbeam -h | head -1`): not an error. Later
            # writes, the interpreter's final flush included, go nowhere.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return Exit.OK
        except KeyboardInterrupt:  # before a command installed its handlers
            stderr.restore()
            print("newsbeam: interrupted; nothing was committed", file=sys.stderr)
            return Exit.INTERRUPTED
        except Exception as exc:  # the last line of defence: one line, never a traceback
            stderr.restore()
            print(f"newsbeam: error: {type(exc).__name__}: {exc}", file=sys.stderr)
            return Exit.FAILED


def _dispatch(argv: list[str], stderr: UserStderr, own_process: bool = False) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(
            "usage: newsbeam {ingest,stream,stats} [options]\n\n"
            "  ingest   batch run over inbox files (what cron calls)\n"
            "  stream   continuous ingestion until stopped (Ctrl-C, SIGTERM, --stop-after)\n"
            "  stats    summaries of an output, and a chart of topics over time\n\n"
            "newsbeam COMMAND --help lists a command's options."
        )
        sys.stdout.flush()  # a closed pipe is reported here, inside main's handlers
        return Exit.OK if argv else Exit.USAGE
    if argv[0] == "--version":
        print(f"newsbeam {__version__}")
        return Exit.OK
    command, rest = argv[0], argv[1:]
    if command == "ingest":
        with StopOnSignal(stderr) as stop:
            status = _ingest(rest, sys.stdout, stop, own_process)
            sys.stdout.flush()
            return status
    if command == "stream":
        with StopOnSignal(stderr, graceful=True) as stop:
            status = _stream(rest, sys.stdout, stop)
            sys.stdout.flush()
            return status
    if command == "stats":
        # Imported here: DuckDB's native threads have no business in an ingest process.
        from newsbeam.pipeline.stats import add_stats_arguments, run_stats

        parser = _OneLineParser(prog="newsbeam stats", allow_abbrev=False)
        args = add_stats_arguments(parser).parse_args(rest)
        status = run_stats(
            args.output,
            args.plot,
            args.since,
            args.topic,
            sys.stdout,
            until=args.until,
            table_format=args.format,
        )
        sys.stdout.flush()
        return status
    raise UsageError(f"unknown command {command!r} (choose ingest, stream or stats)")


def console_main() -> None:
    """The console script: `main()`, then an exit that skips interpreter teardown.

    Everything newsbeam writes is complete and the lock released when `main()` returns; the
    native thread pools of gRPC (Beam's runner) may still be winding down, and tearing the
    interpreter down under them occasionally aborted the process ("terminate called without an
    active exception", status -6) after a successful run.
    """
    after_imports()
    status = main(own_process=True)
    with contextlib.suppress(BrokenPipeError):
        sys.stdout.flush()
    with contextlib.suppress(BrokenPipeError):
        sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    console_main()
