"""ExtractArticles: the step that does the work on each page where the page is
(transforms/pagework.py: decode, extract text and metadata, tag, sketch, stage the row), in this
process or in a pool of extraction processes (transforms/extraction_pool.py).

`ExtractArticles` runs the per-page work over a PCollection of `Item`s and sends every failure to
a rejects output, so each input ends as an article or a reject. The pure functions and the pool
are re-exported here, where the step's users find them.
"""

from __future__ import annotations

import collections
import logging
from typing import Any

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.transforms.window import GlobalWindows

from newsbeam.schemas.records import Item, Reject
from newsbeam.transforms.extraction_pool import (
    CHUNK_PAGES,
    ExtractionPool,
    PrefetchedChunk,
    claim_prefetched,
    close_prestarted,
    prefetch_pages,
    prestart_extraction,
    take_prestarted,
)
from newsbeam.transforms.failures import crash_to_reject
from newsbeam.transforms.files import is_remote
from newsbeam.transforms.minhash import NearDuplicateSettings
from newsbeam.transforms.pagework import (
    ExtractionError,
    ExtractionSettings,
    PageWork,
    content_hash,
    extract_article,
    extract_item,
    find_page_url,
    normalize_text,
    preload_language_identifier,
    process_language_identifier,
    work_on_chunk,
    work_on_page,
)
from newsbeam.transforms.progress import counter
from newsbeam.transforms.sinks import STAGED_FIELD, ArticleStaging, write_ahead
from newsbeam.transforms.tagging import TaxonomyFile

__all__ = [
    "CHUNK_PAGES",
    "ExtractArticles",
    "ExtractionError",
    "ExtractionSettings",
    "PageWork",
    "close_prestarted",
    "content_hash",
    "extract_article",
    "extract_item",
    "find_page_url",
    "normalize_text",
    "prefetch_pages",
    "preload_language_identifier",
    "prestart_extraction",
    "process_language_identifier",
    "work_on_chunk",
    "work_on_page",
]

_LOGGER = logging.getLogger(__name__)


class _InFlight:
    """A chunk of pages the step sent to its pool."""

    def __init__(self, pool: ExtractionPool, work: PageWork, chunk: list[Item]) -> None:
        self.pool, self.work, self.chunk = pool, work, chunk
        self.future = pool.submit(work, chunk)

    def done(self) -> bool:
        return self.future.done()

    def results(self) -> list[Any]:
        return self.pool.result(self.work, self.chunk, self.future)


class _Claimed:
    """A page whose chunk was prefetched (`prefetch_pages`) before the step started."""

    def __init__(self, prefetched: PrefetchedChunk, position: int) -> None:
        self.prefetched, self.position = prefetched, position

    def done(self) -> bool:
        return self.prefetched.future.done()

    def results(self) -> list[Any]:
        return [self.prefetched.results()[self.position]]


class ExtractArticleFn(beam.DoFn):
    """Item -> article (a dict, or its keys with where its row is: see `PageWork`), or a `Reject`
    on the `rejects` output.

    With `processes` > 1 the pages go in chunks of `CHUNK_PAGES` to that many forked
    processes, `2 * processes` chunks at a time; the results are emitted as their chunks
    complete and the rest at the end of the bundle. A page file already handed to the
    prestarted processes (`prefetch_pages`) is claimed there, not extracted again. That path
    is for the local runner's global window (batch and `newsbeam stream`'s micro-batches):
    results emitted at the end of a bundle go to the global window, as do those of a batch
    run's staged chunks worked inline.
    """

    REJECTS = "rejects"

    def __init__(self, work: PageWork, processes: int = 1) -> None:
        self._work = work
        self._processes = processes
        self._extracted = counter("extracted")
        self._rejected = counter("extract_rejected")
        self._tagged = Metrics.counter("newsbeam", "tagged")
        self._untagged = Metrics.counter("newsbeam", "untagged")
        self._relations = Metrics.counter("newsbeam", "relation_tags")
        self._themes = Metrics.counter("newsbeam", "theme_tags")
        self._claimed = Metrics.counter("newsbeam", "prefetched_pages_claimed")

    def setup(self) -> None:
        # With a pool, the extraction processes load the language model and build the tagger
        # themselves (prestarted ones while the pipeline was being built); this process needs
        # neither.
        self._pool = None
        if self._processes > 1:
            prestarted = take_prestarted(self._processes)
            self._pool = prestarted or ExtractionPool(self._processes)
        else:
            self._identifier = process_language_identifier()

    def start_bundle(self) -> None:
        self._chunk: list[Item] = []
        # Where each staged article's row is, and its published time, when its partition is
        # to be written ahead of dedup (`write_ahead`) at the end of the bundle.
        staging = self._work.staging
        self._ahead = bool(self._pool and staging and not is_remote(staging.folder))
        self._staged: list[tuple[tuple[str, int], Any]] = []
        # Chunks sent to the pool, and pages claimed from chunks prefetched before the step
        # started, in the order their results are emitted.
        self._pending: collections.deque[_InFlight | _Claimed] = collections.deque()
        self._in_flight = 0

    def _emit(self, result):
        if isinstance(result, Reject):
            self._rejected.inc()
            yield beam.pvalue.TaggedOutput(self.REJECTS, result)
            return
        self._extracted.inc()
        if self._work.taxonomy is not None:
            topics = (result[0] if isinstance(result, tuple) else result)["topics"]
            relations = sum(topic.startswith("relations:") for topic in topics)
            self._relations.inc(relations)
            self._themes.inc(len(topics) - relations)
            (self._tagged if topics else self._untagged).inc()
        if self._ahead and isinstance(result, tuple):
            keys = result[0]
            self._staged.append((keys[STAGED_FIELD], keys.get("published_at")))
        yield result

    def _next_done(self):
        pending = self._pending.popleft()
        if isinstance(pending, _InFlight):
            self._in_flight -= 1
        for result in pending.results():
            yield from self._emit(result)

    def _emit_finished(self):
        """Emit what is done, and wait for the oldest while too many chunks are in flight."""
        while self._pending and (self._in_flight > self._pool.window or self._pending[0].done()):
            yield from self._next_done()

    def process(self, item: Item):
        if self._pool is not None:
            claimed = claim_prefetched(self._work, item)
            if claimed is not None:
                self._claimed.inc()
                self._pending.append(_Claimed(*claimed))
                yield from self._emit_finished()
                return
        elif self._work.staging is None:
            yield from self._emit(work_on_page(item, self._work, self._identifier))
            return
        self._chunk.append(item)
        if len(self._chunk) < CHUNK_PAGES:
            return
        chunk, self._chunk = self._chunk, []
        if self._pool is None:
            for result in work_on_chunk(chunk, self._work, self._identifier):
                yield from self._emit(result)
            return
        self._pending.append(_InFlight(self._pool, self._work, chunk))
        self._in_flight += 1
        yield from self._emit_finished()

    def _rest(self):
        if self._chunk:
            chunk, self._chunk = self._chunk, []
            if self._pool is None:
                for result in work_on_chunk(chunk, self._work, self._identifier):
                    yield from self._emit(result)
            else:
                self._pending.append(_InFlight(self._pool, self._work, chunk))
                self._in_flight += 1
        while self._pending:
            yield from self._next_done()

    def finish_bundle(self):
        for output in self._rest():
            if isinstance(output, beam.pvalue.TaggedOutput):
                yield beam.pvalue.TaggedOutput(
                    output.tag, GlobalWindows.windowed_value(output.value)
                )
            else:
                yield GlobalWindows.windowed_value(output)
        # Every article of the bundle has gone downstream: the processes, idle until the
        # articles are written, write their partitions now, while this process runs dedup.
        if self._staged:
            write_ahead(self._pool, self._work.staging, self._staged)
            self._staged = []

    def teardown(self) -> None:
        if getattr(self, "_pool", None) is not None:
            self._pool.close()
            self._pool = None


class ExtractArticles(beam.PTransform):
    """Items -> (articles, rejects). Unexpected exceptions become rejects, never a failed run.

    `near`: the near-duplicate settings of the `Deduplicate` step downstream, whose sketches are
    then made here (see `extract_item`); None leaves them to `Deduplicate`. `taxonomy`: tag each
    article with that file's taxonomy, None leaves the topics empty; an unusable file raises
    `TaxonomyError` here, before the run. `staging` (a batch run, with
    `near`): write the article rows to staged chunk files and emit only each article's keys
    and where its row is, for `WriteStagedArticles` (transforms/sinks.py)."""

    def __init__(
        self,
        settings: ExtractionSettings,
        max_page_bytes: int,
        processes: int = 1,
        near: NearDuplicateSettings | None = None,
        *,
        taxonomy: TaxonomyFile | None = None,
        staging: ArticleStaging | None = None,
    ) -> None:
        super().__init__()
        if taxonomy is not None:
            taxonomy.load()
        if staging is not None and near is None:
            raise ValueError("staged articles need their near-duplicate sketch made here")
        self.work = PageWork(settings, max_page_bytes, near, taxonomy, staging)
        self._processes = processes

    def expand(self, items):
        results = (
            items
            | "ExtractText"
            >> beam.ParDo(ExtractArticleFn(self.work, self._processes))
            .with_outputs(ExtractArticleFn.REJECTS, main="articles")
            .with_exception_handling()
        )
        crashed = results.bad | "ExplainCrashes" >> beam.Map(crash_to_reject("extract"))
        rejects = (results.rejects, crashed) | "MergeRejects" >> beam.Flatten()
        return results.articles, rejects
