"""build_pipeline(): wire the steps of a batch ingest run. Builds, never runs (tests build it)."""

from __future__ import annotations

import gzip
import logging

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import PipelineOptions

from newsbeam.pipeline.beam_costs import remember_dofn_specs
from newsbeam.pipeline.commit import CommitRun
from newsbeam.pipeline.lifecycle import RunLimits
from newsbeam.pipeline.options import NewsbeamOptions, StreamOptions
from newsbeam.pipeline.state import Run, StateStore
from newsbeam.transforms.dedup import (
    DEFAULT_NEAR_SETTINGS,
    Deduplicate,
    index_row_of_copy,
    index_rows_of_kept,
)
from newsbeam.transforms.dedup_streaming import DeduplicateStreaming
from newsbeam.transforms.extract import ExtractArticles, ExtractionSettings, prefetch_pages
from newsbeam.transforms.feeds import (
    FeedError,
    PollFeeds,
    PollFeedsContinuously,
    SkipSeenEntries,
    parse_feed_list,
)
from newsbeam.transforms.fetch import FetchPages
from newsbeam.transforms.files import (
    NotAFile,
    is_remote,
    open_file,
    open_setting_file,
    shown,
)
from newsbeam.transforms.http import HttpSettings
from newsbeam.transforms.inbox import ReadInbox, expand_inbox_path, needs_fetch, new_page_files
from newsbeam.transforms.index import ReadIndex, handled_files
from newsbeam.transforms.minhash import NearDuplicateSettings
from newsbeam.transforms.notifications import ReadNotifiedInbox
from newsbeam.transforms.sinks import (
    ArticleStaging,
    WritePartitionedParquet,
    WriteStagedArticles,
    WriteWindowedParquet,
)
from newsbeam.transforms.tagging import TaxonomyFile
from newsbeam.transforms.urls import is_web_url

__all__ = [
    "build_pipeline",
    "build_streaming_pipeline",
    "extraction_settings",
    "http_settings",
    "prefetch_inbox",
    "resolve_feeds",
]

_LOGGER = logging.getLogger(__name__)


def extraction_settings(mode: str) -> ExtractionSettings:
    """The trafilatura settings behind `--extraction-mode`."""
    return {
        "balanced": ExtractionSettings(),
        "precision": ExtractionSettings(favor_precision=True),
        "recall": ExtractionSettings(favor_recall=True),
        # Precision first (teasers and link lists stay out), extracted again favouring recall,
        # then with trafilatura's fallbacks, only when the text looks cut (transforms/body.py).
        "fast": ExtractionSettings(fast=True, favor_precision=True, retry_short=True),
    }[mode]


def http_settings(opts: NewsbeamOptions) -> HttpSettings:
    """The HTTP client's settings from the command line."""
    return HttpSettings(
        connect_timeout=opts.http_timeout,
        read_timeout=opts.http_timeout,
        total_timeout=3 * opts.http_timeout,
        retries=opts.http_retries,
        max_bytes=opts.max_page_bytes,
        per_host=opts.per_host,
        politeness_delay=opts.politeness_delay,
        allow_private_hosts=opts.allow_private_hosts,
    )


# A feed list of this size holds some hundred thousand URLs; a larger file is something else.
FEED_LIST_MAX_BYTES = 64 << 20


def resolve_feeds(values: list[str] | None) -> list[str]:
    """`--feeds` values (feed URLs, text files of URLs, OPML files) -> feed URLs.

    Raises ValueError with a one-line reason for a file that is missing, unreadable, not a
    regular file (a named pipe would block the read, a device never end it) or over
    `FEED_LIST_MAX_BYTES`.
    """
    urls: list[str] = []
    for value in values or []:
        if is_web_url(value):
            urls.append(value.strip())
            continue
        if not FileSystems.exists(value):
            raise ValueError(f"feed list not found: {value} (give a feed URL, a text or OPML file)")
        data = _read_feed_list(value)
        try:
            found = parse_feed_list(data)
        except FeedError as exc:
            raise ValueError(f"{value}: {exc.detail}") from exc
        if not found:
            raise ValueError(f"no feed URLs in {value}")
        bad = [url for url in found if not is_web_url(url)]
        if bad:
            raise ValueError(f"{value}: not an http(s) feed URL: {bad[0][:200]}")
        urls.extend(found)
    return list(dict.fromkeys(urls))


def _read_feed_list(path: str) -> bytes:
    """The bytes of a feed list file, local (never a pipe, a device or a folder: see
    `open_setting_file`) or remote; a `.gz` file unzipped as it is read. Raises ValueError
    (one line) for a file that is no regular file or holds over `FEED_LIST_MAX_BYTES`, unzipped:
    no more than that is read, nor held."""
    try:
        raw = open_file(path) if is_remote(path) else open_setting_file(path, "a feed list")
    except NotAFile as exc:
        raise ValueError(f"{exc} (give a feed URL, a text or OPML file)") from None
    try:
        with raw:
            stream = gzip.GzipFile(fileobj=raw) if path.endswith(".gz") else raw
            data = stream.read(FEED_LIST_MAX_BYTES + 1)
    except (OSError, EOFError) as exc:  # a damaged .gz, a read error
        raise ValueError(f"{shown(path)} cannot be read: {exc}") from None
    if len(data) > FEED_LIST_MAX_BYTES:
        raise ValueError(f"{shown(path)} holds over {FEED_LIST_MAX_BYTES:,} bytes: not a feed list")
    return data


# Page files handed to each prestarted extraction process before the pipeline starts: about as
# many as it extracts while the pipeline is built and its first stages list the inbox.
PREFETCH_PAGES_PER_PROCESS = 256


def _article_staging(run: Run, rows_per_file: int) -> ArticleStaging:
    """Where a batch run's extraction stages the article rows."""
    return ArticleStaging(
        f"{run.staging}/_extracted",
        run.run_id,
        run.started_at,
        rows_per_file,
        articles_folder=WriteStagedArticles.folder(run.staging),
    )


def prefetch_inbox(options: PipelineOptions, run: Run, settled_before: float | None = None) -> int:
    """Hand the first page files of the inbox that no run handled to the prestarted extraction
    processes (`extract.prefetch_pages`), with the work `build_pipeline`'s inbox extraction
    does: they extract while this process builds and starts the pipeline, and that step claims
    their results. Returns the number of pages handed over; none when the run extracts in one
    process, or when listing the inbox or reading the index fails (the pipeline then meets
    the same problem and reports it)."""
    opts = options.view_as(NewsbeamOptions)
    processes = max(1, opts.extraction_processes or 1)
    if not opts.inbox or processes <= 1:
        return 0
    work = _extraction(
        opts, processes, DEFAULT_NEAR_SETTINGS, _article_staging(run, opts.rows_per_file)
    ).work
    try:
        handled = handled_files(StateStore(run.output).index_pattern)
        files = new_page_files(
            [expand_inbox_path(path) for path in opts.inbox],
            handled,
            PREFETCH_PAGES_PER_PROCESS * processes,
            settled_before,
        )
    except Exception:
        _LOGGER.warning("no pages prefetched: listing the inbox failed", exc_info=True)
        return 0
    return prefetch_pages(work, files)


def _extraction(
    opts: NewsbeamOptions,
    processes: int,
    near: NearDuplicateSettings | None,
    staging: ArticleStaging | None,
) -> ExtractArticles:
    """The extraction step the options ask for; its `work` is also what `prefetch_inbox` hands
    to the extraction processes, so that the step claims those pages."""
    return ExtractArticles(
        extraction_settings(opts.extraction_mode),
        opts.max_page_bytes,
        processes,
        near,
        taxonomy=TaxonomyFile(opts.taxonomy),
        staging=staging,
    )


def _index_kind(kind: str):
    return lambda row: [(row["key"], row["detail"])] if row["kind"] == kind else []


# The index rows of the files read travel to `WriteIndex` in lists, as dedup's do: one element a
# list, not one a file, crosses the Flatten in front of it.
_FILE_ROWS_BATCH = 5_000


def _file_index_row(file) -> dict:
    return {"kind": "file", "key": file.path, "detail": file.version}


@beam.ptransform_fn
def _IndexFiles(files):
    """Files read -> their `file` index rows, in lists."""
    return (
        files
        | "FileRows" >> beam.Map(_file_index_row)
        | "Batch" >> beam.BatchElements(_FILE_ROWS_BATCH, _FILE_ROWS_BATCH)
    )


def _extract(
    ready,
    pages,
    opts: NewsbeamOptions,
    processes: int,
    near: NearDuplicateSettings | None,
    staging: ArticleStaging | None,
):
    """Inbox items and fetched pages -> (tagged articles, [rejects of each branch]); with
    `staging`, the articles' rows are staged by the extraction step and what comes out is each
    article's keys (`ExtractArticles`).

    Each branch is extracted, tagged and sketched where its pages are (no Flatten in front): the
    pages then never cross a stage boundary, which on the local runner would hold them all in
    memory. Tagged before dedup, so that every article in the index is one that was written."""
    extract = _extraction(opts, processes, near, staging)
    inbox_articles, inbox_rejects = ready | "ExtractInboxArticles" >> extract
    feed_articles, feed_rejects = pages | "ExtractFeedArticles" >> extract
    articles = (inbox_articles, feed_articles) | "MergeArticles" >> beam.Flatten()
    return articles, [inbox_rejects, feed_rejects]


def build_pipeline(
    options: PipelineOptions,
    run: Run,
    feed_urls: list[str] | None = None,
    settled_before: float | None = None,
    commit_in_pipeline: bool = False,
) -> beam.Pipeline:
    """The batch pipeline of one run: inbox and feeds -> fetch -> extract -> dedup -> staged
    Parquet tables, committed by the launcher once the pipeline has finished or, with
    `commit_in_pipeline` (a Flex Template launch, which nobody waits for), by its last step.

    `settled_before` (seconds since the epoch) leaves inbox files modified later for a later
    run: `newsbeam stream` uses it so a file still being written is not read half-way."""
    remember_dofn_specs()
    opts = options.view_as(NewsbeamOptions)
    feed_urls = resolve_feeds(opts.feeds) if feed_urls is None else feed_urls
    state = StateStore(run.output)
    patterns = [expand_inbox_path(path) for path in opts.inbox or []]
    http = http_settings(opts)
    write = {
        table: WritePartitionedParquet(
            table, run.staging, run.run_id, run.started_at, opts.rows_per_file
        )
        for table in ("duplicates", "rejects", "index")
    }
    write["articles"] = WriteStagedArticles(
        run.staging, run.run_id, run.started_at, opts.rows_per_file
    )

    pipeline = beam.Pipeline(options=options)
    index = pipeline | "ReadIndex" >> ReadIndex(
        state.index_pattern, opts.retention_days, run.started_at
    )

    handled = index | "HandledFiles" >> beam.FlatMap(_index_kind("file"))
    inbox_items, read_rejects, files = handled | "ReadInbox" >> ReadInbox(
        patterns, opts.max_page_bytes, settled_before
    )
    to_fetch, ready = inbox_items | "SplitEntries" >> beam.Partition(
        lambda item, _n: 0 if needs_fetch(item) else 1, 2
    )
    entry_sources = [to_fetch]
    poll_rejects, feed_index = [], []
    if feed_urls:
        validators = index | "FeedValidators" >> beam.FlatMap(_index_kind("feed"))
        polled, polled_rejects, polled_index = validators | "PollFeeds" >> PollFeeds(
            feed_urls, http, opts.fetch_threads
        )
        entry_sources.append(polled)
        poll_rejects, feed_index = [polled_rejects], [polled_index]
    entries = tuple(entry_sources) | "MergeEntries" >> beam.Flatten()
    new_entries, seen_index = (entries, index) | "SkipSeenEntries" >> SkipSeenEntries()
    pages, fetch_rejects = new_entries | "FetchPages" >> FetchPages(
        http, opts.fetch_threads, respect_robots=not opts.ignore_robots
    )

    # The extraction processes write the article rows to staged chunk files; what travels on is
    # each article's keys, and dedup's verdicts pick the rows that are copied into the table.
    processes = max(1, opts.extraction_processes or 1)
    tagged, article_rejects = _extract(
        ready,
        pages,
        opts,
        processes,
        DEFAULT_NEAR_SETTINGS,
        staging=_article_staging(run, opts.rows_per_file),
    )
    kept, duplicates, dedup_keys = (tagged, index) | "Deduplicate" >> Deduplicate(
        retention_days=opts.retention_days, now=run.started_at, unpack=False
    )
    rejects = (
        read_rejects,
        *poll_rejects,
        fetch_rejects,
        *article_rejects,
    ) | "MergeRejects" >> beam.Flatten()
    new_index = (
        dedup_keys,
        seen_index,
        *feed_index,
        files | "IndexFiles" >> _IndexFiles(),
    ) | "MergeIndex" >> beam.Flatten()

    written = (
        kept | "WriteArticles" >> write["articles"],
        duplicates | "WriteDuplicates" >> write["duplicates"],
        rejects | "WriteRejects" >> write["rejects"],
        new_index | "WriteIndex" >> write["index"],
    )
    if commit_in_pipeline:
        _ = written | "CommitRun" >> CommitRun(run, RunLimits.of(opts))
    return pipeline


def build_streaming_pipeline(
    options: PipelineOptions, output: str, job_id: str, feed_urls: list[str]
) -> beam.Pipeline:
    """The unbounded job `newsbeam stream` submits to Dataflow: inbox files announced on Pub/Sub
    (`--inbox-subscription`) and feeds polled every `--poll-interval` -> fetch -> extract -> tag
    -> dedup with keyed state -> one set of complete Parquet files per window of
    `--poll-interval` seconds, straight into the output's folders and `_state/index/`.

    Step names are stable (Dataflow matches them when a running job is updated). Locally,
    `newsbeam stream` runs micro-batches of `build_pipeline` instead: the local runner's
    streaming mode emits nothing after a GroupByKey until its source stops."""
    remember_dofn_specs()
    opts = options.view_as(NewsbeamOptions)
    stream = options.view_as(StreamOptions)
    http = http_settings(opts)
    window = stream.poll_interval
    pipeline = beam.Pipeline(options=options)
    item_sources, reject_sources = [], []
    if stream.inbox_subscription:
        items, read_rejects = pipeline | "ReadInbox" >> ReadNotifiedInbox(
            stream.inbox_subscription, opts.inbox or [], opts.max_page_bytes
        )
        item_sources.append(items)
        reject_sources.append(read_rejects)
    if feed_urls:
        entries, poll_rejects = pipeline | "PollFeeds" >> PollFeedsContinuously(
            feed_urls, http, window
        )
        item_sources.append(entries)
        reject_sources.append(poll_rejects)
    items = tuple(item_sources) | "MergeItems" >> beam.Flatten()
    to_fetch, ready = items | "SplitEntries" >> beam.Partition(
        lambda item, _n: 0 if needs_fetch(item) else 1, 2
    )
    pages, fetch_rejects = to_fetch | "FetchPages" >> FetchPages(
        http, opts.fetch_threads, respect_robots=not opts.ignore_robots
    )
    # Extraction in the worker process itself: results emitted at the end of a bundle by an
    # extraction pool would leave their windows.
    tagged, article_rejects = _extract(ready, pages, opts, processes=1, near=None, staging=None)
    # What batch runs (and earlier streaming jobs) ingested into this output counts as seen.
    state = StateStore(output)
    prior = pipeline | "ReadIndex" >> ReadIndex(state.index_pattern, opts.retention_days)
    kept, duplicates = tagged | "Deduplicate" >> DeduplicateStreaming(
        retention_days=opts.retention_days, prior_index=prior
    )
    rejects = (
        *reject_sources,
        fetch_rejects,
        *article_rejects,
    ) | "MergeRejects" >> beam.Flatten()
    index = (
        kept | "IndexKept" >> beam.FlatMap(index_rows_of_kept),
        duplicates | "IndexCopies" >> beam.Map(index_row_of_copy),
    ) | "MergeIndex" >> beam.Flatten()
    folders = {
        "articles": f"{output.rstrip('/')}/articles",
        "duplicates": f"{output.rstrip('/')}/duplicates",
        "rejects": f"{output.rstrip('/')}/rejects",
        "index": state.index_dir,
    }
    for table, rows in (
        ("articles", kept),
        ("duplicates", duplicates),
        ("rejects", rejects),
        ("index", index),
    ):
        step = "Write" + table.capitalize()
        _ = rows | step >> WriteWindowedParquet(
            table, folders[table], job_id, window, opts.rows_per_file
        )
    return pipeline
