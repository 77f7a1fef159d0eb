"""The extraction processes of a local run: a pool of forked processes that do all the work on a
page (transforms/pagework.py `work_on_chunk`) and survive a page killing its process.

A local `newsbeam ingest` forks them once it has read its options, before it builds the pipeline
(`prestart_extraction`), with the taxonomy, the language model and the tagger it took from the
user cache; nothing here or in what it imports loads Beam. Pages can be handed to them before the
extraction step starts (`prefetch_pages`); the step (`ExtractArticleFn` in transforms/extract.py)
takes the pool over and claims those results.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import gc
import logging
import multiprocessing
import os
import signal
import threading
import time
import weakref
from collections.abc import Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from newsbeam.schemas.records import InboxFile, Item, Reject
from newsbeam.transforms.failures import crash_reject
from newsbeam.transforms.pagefile import page_to_read
from newsbeam.transforms.pagework import PageWork, process_language_identifier, work_on_chunk
from newsbeam.transforms.progress import report as report_progress
from newsbeam.transforms.tagging import TaxonomyFile

__all__ = [
    "CHUNK_PAGES",
    "ExtractionPool",
    "PrefetchedChunk",
    "claim_prefetched",
    "close_prestarted",
    "prefetch_pages",
    "prestart_extraction",
    "shared_pool",
    "take_prestarted",
]

_LOGGER = logging.getLogger(__name__)

CHUNK_PAGES = 16  # pages per task of an extraction process, and per staged chunk file

# trafilatura is pure Python: one process extracts on one core, whatever the number of threads.
# On the local runner, a Beam worker process per core costs its start-up and every element's
# trip between processes at each stage boundary (measured in bench/e2e_throughput.py); so there
# the pipeline runs in one process and the extraction step hands pages to forked extraction
# processes (`--extraction-processes`), which do all the work on a page (`work_on_chunk`) and,
# in a batch run, write the article rows themselves and send back only the articles' keys. On
# Dataflow each worker process already has its core: 1, inline.


def _start_worker(launcher: int) -> None:
    # Ctrl-C reaches the whole process group: the launcher decides what happens (it ends this
    # process), and a SIGTERM sent to this process alone ends it without running the launcher's
    # handler, which would release the launcher's lock.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(
        target=_exit_with, args=(launcher,), name="exit-with-launcher", daemon=True
    ).start()


_LAUNCHER_CHECK_SECONDS = 0.5


def _exit_with(launcher: int) -> None:
    """Runs in an extraction process: end it once the process that started it is gone. A
    launcher killed, or stopped by SIGTERM, does not shut its pool down: its processes would
    otherwise wait for work forever (holding its stdout and stderr open)."""
    while os.getppid() == launcher:
        time.sleep(_LAUNCHER_CHECK_SECONDS)
    os._exit(0)


def _warm_up(taxonomy: TaxonomyFile | None) -> None:
    """Runs in an extraction process: load what every page needs (the language model, the
    tagger) before the first page comes; nothing to do for what the process inherited
    (`_load_cached`)."""
    process_language_identifier()
    if taxonomy is not None:
        taxonomy.tagger()


def _work_in_worker(work: PageWork, chunk: list[Item]) -> list[Any]:
    """Runs in an extraction process: never raises; should even loading the language model
    fail, that is each page's reject."""
    try:
        return work_on_chunk(chunk, work, process_language_identifier(), _page_worked)
    except Exception as exc:
        return [crash_reject(item, "extract", exc) for item in chunk]


def _page_worked() -> None:
    # Counted where the page is extracted: the launcher's `extracted` count follows later,
    # when the step emits the page (for a prefetched page, once the step has reached it).
    report_progress("pages_worked")


@functools.cache
def _freeze_at_fork() -> None:
    """From now on, what this process holds when it forks is never collected in the child: the
    child's collector then neither spends time on it nor copies its pages by touching them.
    The parent unfreezes right after the fork, so its own garbage is still collected (a
    `newsbeam stream` process starts a pool per batch)."""
    os.register_at_fork(before=gc.freeze, after_in_parent=gc.unfreeze)


class ExtractionPool:
    """A process pool that works on chunks of pages and survives a page killing its process:
    after a crash, the pages of the chunks that were in flight are run again one at a time,
    and the one that kills its process again is rejected."""

    def __init__(self, processes: int):
        self.processes = processes
        self._initargs = (os.getpid(),)
        self.window = 2 * processes  # chunks in flight: enough to keep every process busy
        self._warmed: set[TaxonomyFile | None] = set()
        self._executor = self._start()
        with _PRESTARTED_LOCK:
            _OPEN.add(self)

    def _start(self) -> concurrent.futures.ProcessPoolExecutor:
        _freeze_at_fork()
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        return concurrent.futures.ProcessPoolExecutor(
            self.processes,
            mp_context=context,
            initializer=_start_worker,
            initargs=self._initargs,
        )

    def warm_up(self, taxonomy: TaxonomyFile | None) -> None:
        """Start the processes now, each loading the language model and building the tagger
        (once per taxonomy: a pool asked again has nothing to do)."""
        if taxonomy in self._warmed:
            return
        self._warmed.add(taxonomy)
        for _ in range(self.processes):
            self._submit(_warm_up, taxonomy)

    def submit(self, work: PageWork, chunk: list[Item]) -> concurrent.futures.Future:
        return self._submit(_work_in_worker, work, chunk)

    def submit_call(self, function: Any, *args: Any) -> concurrent.futures.Future:
        """Run `function(*args)` (a module-level function, without Beam) in one of the
        processes: for other per-file work of the run once its pages are extracted. Its future
        raises what it raises, or `BrokenProcessPool` when its process died."""
        return self._submit(function, *args)

    def _submit(self, task: Any, *args: Any) -> concurrent.futures.Future:
        try:
            return self._executor.submit(task, *args)
        except BrokenProcessPool:  # a process died (killed, out of memory): a new pool
            self._restart()
            return self._executor.submit(task, *args)

    def result(
        self, work: PageWork, chunk: list[Item], future: concurrent.futures.Future
    ) -> list[Any]:
        try:
            return future.result()
        except BrokenProcessPool:
            pass
        self._restart()
        return [self._alone(work, item) for item in chunk]

    def _alone(self, work: PageWork, item: Item) -> Any:
        try:
            (result,) = self._executor.submit(_work_in_worker, work, [item]).result()
            return result
        except BrokenProcessPool:
            self._restart()
            _LOGGER.warning("extraction process died on %s", item.origin)
            return Reject(
                item.origin,
                item.url,
                "extract",
                "crash:process-died",
                "the extraction process died on this page (killed, out of memory or a crash "
                "in native code); the other pages were extracted again",
            )

    def _restart(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._warmed.clear()
        self._executor = self._start()

    def close(self) -> None:
        _forget(self)
        self._executor.shutdown(wait=True, cancel_futures=True)

    def terminate(self) -> None:
        """End the processes at once, whatever they are working on: for a pool whose results
        nobody will take. A chunk cut short leaves at most a staged file of a run that did not
        commit, which goes with that run's staging folder."""
        _forget(self)
        executor = self._executor
        # The executor's own record of its processes (Python 3.14 has `terminate_workers()`).
        processes = list((executor._processes or {}).values())
        manager = executor._executor_manager_thread
        executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        for process in processes:
            process.join()
        if manager is not None:
            manager.join()


# Pools started by `prestart_extraction` before the pipeline runs, until a step takes one over.
_PRESTARTED: list[ExtractionPool] = []
_PRESTARTED_LOCK = threading.Lock()
# Every pool of this process not yet closed, prestarted or held by a step (`shared_pool`).
_OPEN: weakref.WeakSet[ExtractionPool] = weakref.WeakSet()


def _forget(pool: ExtractionPool) -> None:
    with _PRESTARTED_LOCK:
        _OPEN.discard(pool)


def shared_pool() -> ExtractionPool | None:
    """An open pool of this process's extraction processes (prestarted, or held by an
    extraction step), for a later step's per-file work (`submit_call`); None when there is
    none: on Dataflow or with one extraction process, that step does the work itself. Only a
    speed-up: the results are the same either way."""
    with _PRESTARTED_LOCK:
        return next(iter(_OPEN), None)


def prestart_extraction(processes: int, taxonomy: TaxonomyFile | None) -> None:
    """Fork the extraction processes now, with the language model and the tagger when the user
    cache holds them (`_load_cached`), else have each load the model and build the tagger while
    this process goes on (building and translating the pipeline, running its first stages):
    the first `ExtractArticles` step with as many processes takes them over, and
    its first pages find them ready. Pages can be handed to them before that step starts
    (`prefetch_pages`). A local run only; `close_prestarted` ends what no step took over.

    Processes prestarted earlier in this process are kept when there are as many, and load
    `taxonomy`'s tagger if they have not; others are ended. Raises what `taxonomy.load()`
    raises, before any fork."""
    if processes <= 1:
        return
    if taxonomy is not None:
        with _collection_paused():
            taxonomy.load()  # read here, where the step needs it too: forked processes inherit it
    with _PRESTARTED_LOCK:
        pool = next((p for p in _PRESTARTED if p.processes == processes), None)
        others = [other for other in _PRESTARTED if other is not pool]
        _PRESTARTED[:] = [pool] if pool is not None else []
    for other in others:
        other.terminate()
    if pool is None:
        with _collection_paused():
            _load_cached(taxonomy)
        pool = ExtractionPool(processes)
        with _PRESTARTED_LOCK:
            _PRESTARTED.append(pool)
    pool.warm_up(taxonomy)


@contextlib.contextmanager
def _collection_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the block: reading the taxonomy and the cached
    tagger creates some hundred thousand objects that all live on, and each full collection
    they set off walked every object of the launcher (Beam's modules included) for nothing.
    They need not be walked later either: the fork that follows moves them to the oldest
    generation (`_freeze_at_fork`) without counting them towards its next collection."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load_cached(taxonomy: TaxonomyFile | None) -> None:
    """Before the fork: take the language model and the tagger from the user cache
    (transforms/cache.py), if it holds them, so that the processes share them and start on
    their first pages at once. What it lacks, each process builds (and caches) itself, while
    this process goes on: building it here would delay the run."""
    process_language_identifier(build=False)
    if taxonomy is not None:
        taxonomy.tagger(build=False)


def take_prestarted(processes: int) -> ExtractionPool | None:
    with _PRESTARTED_LOCK:
        for pool in _PRESTARTED:
            if pool.processes == processes:
                _PRESTARTED.remove(pool)
                return pool
    return None


def close_prestarted() -> None:
    """End the prestarted extraction processes that no step took over (a run that failed or
    stopped before its extraction step started, or did not need them), at once, and forget the
    pages handed to them that no step claimed."""
    with _PRESTARTED_LOCK:
        pools = list(_PRESTARTED)
        _PRESTARTED.clear()
        _PREFETCHED.clear()
    for pool in pools:
        pool.terminate()


class PrefetchedChunk:
    """A chunk of page files handed to prestarted processes before the pipeline reached its
    extraction step; its results are taken once, by whichever of its pages is claimed first."""

    def __init__(
        self,
        pool: ExtractionPool,
        work: PageWork,
        chunk: list[Item],
        future: concurrent.futures.Future,
    ) -> None:
        self.pool, self.work, self.chunk, self.future = pool, work, chunk, future
        self._results: list[Any] | None = None
        self._lock = threading.Lock()

    def results(self) -> list[Any]:
        with self._lock:
            if self._results is None:
                self._results = self.pool.result(self.work, self.chunk, self.future)
            return self._results


# Page files handed to prestarted processes, by (origin, file): the chunk and the page's place.
_PREFETCHED: dict[tuple[str, InboxFile], tuple[PrefetchedChunk, int]] = {}


def prefetch_pages(work: PageWork, files: Iterable[InboxFile]) -> int:
    """Hand page files to the prestarted extraction processes now, in chunks of `CHUNK_PAGES`,
    to be worked on with `work` while this process is still building and starting the
    pipeline. The extraction step claims a page's result when the same file (path, size and
    modification time) reaches it with the same `work`; a page it never claims (a file changed
    meanwhile, or one the run did not take) gives nothing: its staged row is never copied.
    Returns the number of pages handed over: none without a prestarted pool."""
    with _PRESTARTED_LOCK:
        pool = _PRESTARTED[0] if _PRESTARTED else None
    if pool is None:
        return 0
    items = [page_to_read(file) for file in files]
    for start in range(0, len(items), CHUNK_PAGES):
        chunk = items[start : start + CHUNK_PAGES]
        prefetched = PrefetchedChunk(pool, work, chunk, pool.submit(work, chunk))
        with _PRESTARTED_LOCK:
            for position, item in enumerate(chunk):
                _PREFETCHED[(item.origin, item.file)] = (prefetched, position)
    return len(items)


def claim_prefetched(work: PageWork, item: Item) -> tuple[PrefetchedChunk, int] | None:
    """The prefetched chunk holding this page's result, and its place in it, if any."""
    if item.file is None:
        return None
    with _PRESTARTED_LOCK:
        found = _PREFETCHED.pop((item.origin, item.file), None)
    if found is None or found[0].work != work:
        return None
    return found
