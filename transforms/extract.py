"""ExtractArticles: the work done on each page where the page is: decode it, pull out its text
and metadata, tag its topics, sketch it for near-duplicate detection.

The text is trafilatura's (transforms/body.py); the headline, authors and publication time come
first from what the page declares (schema.org JSON-LD, meta tags, its `<h1>`), then from
trafilatura and htmldate (transforms/metadata.py, published.py, jsonld.py); the topics are
`Tagger`'s (transforms/tagging.py).

`extract_article()` is the pure function (no Beam); `ExtractArticles` runs the whole per-page
work over a PCollection of `Item`s and sends every failure to a rejects output, so each input
ends as an article or a reject.
"""

from __future__ import annotations

import collections
import concurrent.futures
import functools
import gc
import hashlib
import html as html_lib
import logging
import multiprocessing
import os
import re
import signal
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.transforms.window import GlobalWindows
from trafilatura.settings import set_date_params
from trafilatura.utils import load_html

from newsbeam.schemas.records import InboxFile, Item, Reject
from newsbeam.schemas.tables import SCHEMA_VERSION
from newsbeam.transforms.body import main_text, without_headline
from newsbeam.transforms.decode import decode_html, looks_binary
from newsbeam.transforms.failures import crash_reject, crash_to_reject
from newsbeam.transforms.inbox import page_to_read, read_page
from newsbeam.transforms.jsonld import main_article
from newsbeam.transforms.metadata import (
    body_byline,
    declared_publishers,
    declared_titles,
    h1_texts,
    headline,
    htmldate,
    page_metadata,
    people,
    site_names,
)
from newsbeam.transforms.minhash import SKETCH_FIELD, NearDuplicateSettings, sketch_record
from newsbeam.transforms.packing import article_keys
from newsbeam.transforms.progress import counter
from newsbeam.transforms.progress import report as report_progress
from newsbeam.transforms.published import (
    Precision,
    Published,
    declared_values,
    find_published,
    shown_dateline,
)
from newsbeam.transforms.sinks import STAGED_FIELD, ArticleStaging, stage_articles
from newsbeam.transforms.tagging import TaxonomyFile, tag_article
from newsbeam.transforms.urls import (
    article_id,
    canonicalize_url,
    file_uri,
    is_web_url,
    source_domain,
)

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
    "preload_language_identifier",
    "prestart_extraction",
    "work_on_chunk",
    "work_on_page",
]

_LOGGER = logging.getLogger(__name__)

_TAG = re.compile(r"<(link|meta)\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([a-zA-Z:_-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_HEAD_SCAN_CHARS = 200_000
_WORD = re.compile(r"\w+")
# Scripts written without spaces (kana, CJK ideographs) count one character as one word.
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_COUNTED_WORD = re.compile(rf"[{_UNSPACED}]|[^\W{_UNSPACED}]+")
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
# The start of the text decides its language as well as the whole would, at a fraction of the cost:
# on the 181 benchmark texts and the 82 tagging texts (8 languages), the first 300 characters
# already agree with the whole text on all 263; 600 leave a margin and cost a third of 1,500.
_LANGUAGE_SAMPLE_CHARS = 600


class ExtractionError(Exception):
    """An expected failure to extract: it becomes a rejects row, `error` is a short class."""

    def __init__(self, error: str, detail: str) -> None:
        super().__init__(detail)
        self.error = error
        self.detail = detail


@dataclass(frozen=True)
class ExtractionSettings:
    """How trafilatura is called (comments are never article text). The CLI's default is
    `fast=True, favor_precision=True, retry_short=True`, chosen on the extraction benchmark
    (see pipeline/build.py)."""

    min_words: int = 20  # less than this is a menu, a teaser or an error page, not an article
    favor_precision: bool = False
    favor_recall: bool = False
    include_comments: bool = False
    include_tables: bool = True
    fast: bool = False
    # Extract again, favouring recall, when the first text looks cut (transforms/body.py).
    retry_short: bool = False


def _head_tags(html: str) -> Iterator[tuple[str, dict[str, str]]]:
    """(tag name, lower-cased attributes) of each <link> and <meta> near the top of a page."""
    for tag in _TAG.finditer(html[:_HEAD_SCAN_CHARS]):
        attrs = {
            m.group(1).lower(): html_lib.unescape(m.group(2) or m.group(3) or m.group(4) or "")
            for m in _ATTR.finditer(tag.group(0))
        }
        yield tag.group(1).lower(), attrs


def find_page_url(
    html: str, base_url: str | None = None, head: list[tuple[str, dict[str, str]]] | None = None
) -> str | None:
    """The page's own URL: `<link rel=canonical>`, else `og:url`; resolved against `base_url`.
    `head` is `_head_tags(html)` when the caller already has it."""
    canonical = og_url = None
    for name, attrs in _head_tags(html) if head is None else head:
        if name == "link" and "canonical" in attrs.get("rel", "").lower().split():
            canonical = canonical or attrs.get("href")
        elif attrs.get("property", attrs.get("name", "")).lower() == "og:url":
            og_url = og_url or attrs.get("content")
    for candidate in (canonical, og_url):
        if candidate and candidate.strip():
            resolved = urljoin(base_url, candidate.strip()) if base_url else candidate.strip()
            if is_web_url(resolved):
                return resolved
    return None


def normalize_text(text: str) -> str:
    """Text reduced to what two copies of one article share: NFKC, case-folded words only."""
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def content_hash(text: str) -> str:
    """The exact-duplicate key: SHA-256 of the normalised text."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    value = " ".join(str(value).split())
    return value or None


def extract_article(
    html: str,
    *,
    url: str | None,
    origin: str,
    settings: ExtractionSettings | None = None,
    language_identifier: Any = None,
    hints: dict | None = None,
) -> dict[str, Any]:
    """Extract one article from decoded HTML.

    `url` is where the page came from (None for a bare file, whose URI is `origin`). Returns the
    article's fields (without `ingested_at`/`run_id`); raises `ExtractionError` when the page
    holds no article text.
    """
    settings = settings or ExtractionSettings()
    hints = hints or {}
    head = list(_head_tags(html))
    page_url = find_page_url(html, url, head)
    fetched_url = url or page_url or file_uri(origin)
    web_url = fetched_url if is_web_url(fetched_url) else None
    # Parsed once: the metadata and the text are read from the same tree.
    tree = load_html(html)
    if tree is None:
        raise ExtractionError("no-article-text", "the HTML could not be parsed into a document")
    declared = main_article(tree, page_url or web_url)
    # trafilatura's own JSON-LD reading only when ours found no article in it: it repeats it.
    meta = page_metadata(
        tree,
        web_url,
        search_body=False,
        json_ld=declared is None,
        publisher=declared.publisher if declared else None,
    )
    names = site_names(
        meta.sitename,
        declared.publisher if declared else None,
        *declared_publishers(head),
        url=page_url or web_url,
    )
    h1s = h1_texts(tree)
    title = headline(
        h1s,
        declared_titles(tree, head),
        _clean(meta.title),
        declared.headline if declared else None,
        names,
    )
    text = main_text(tree, web_url, settings, declared.body if declared else None)
    text = without_headline(text, [title, *h1s])
    words = len(_COUNTED_WORD.findall(text))
    if words < settings.min_words:
        found = f"only {words} words of text" if words else "no article text"
        raise ExtractionError(
            "no-article-text",
            f"trafilatura found {found} in {len(html):,} characters of HTML "
            f"(an article needs at least {settings.min_words} words)",
        )
    canonical = canonicalize_url(page_url or fetched_url)
    language = None
    if language_identifier is not None:
        code, probability = language_identifier.classify(text[:_LANGUAGE_SAMPLE_CHARS])
        language = code if probability >= 0.5 else None
    language = language or hints.get("language")
    date_params = {**set_date_params(not settings.fast), "outputformat": _DATE_FORMAT}
    published = find_published(
        declared_values(tree, head, declared.date_published if declared else None),
        lambda: htmldate(tree, meta.url or web_url, date_params),
        shown=shown_dateline(tree, headline=title),
    )
    if published is None and hints.get("published_at"):
        # feedparser reads a feed date as UTC when it names no zone: the offset is unknown.
        published = Published(hints["published_at"], Precision.INSTANT)
    stated = declared.authors if declared else []
    authors = people(
        stated, _clean(meta.author), names, page_byline=lambda: _clean(body_byline(tree))
    )
    if not authors:
        # No byline in the metadata, or none that names people (the site, an agency): the
        # byline in the page body; only full names when the metadata named someone else.
        named = bool(stated or meta.author)
        authors = people([], _clean(body_byline(tree)), names, full_names=named)
    if not authors and hints.get("author"):
        authors = people([], hints["author"], names)
    return {
        "article_id": article_id(canonical),
        "url": fetched_url,
        "canonical_url": canonical,
        "origin": origin,
        "source_domain": source_domain(canonical) or source_domain(fetched_url),
        "site_name": _clean(meta.sitename),
        "title": _clean(title) or hints.get("title"),
        "author": "; ".join(authors) or None,
        "description": _clean(meta.description),
        "published_at": published.at if published else None,
        "language": language,
        "text": text,
        "word_count": words,
        "content_hash": content_hash(text),
        "topics": [],
        "topic_evidence": [],
        "countries": [],
        "schema_version": SCHEMA_VERSION,
        "content_source": hints.get("content_source", "inbox"),
        "taxonomy_version": None,  # set by tagging (`tag_article`)
        "topic_sentences": [],
        "authors": authors,
        "published_at_precision": published.precision.value if published else None,
        "published_offset_minutes": published.offset_minutes if published else None,
    }


_IDENTIFIER_LOCK = threading.Lock()


def _language_identifier() -> Any:
    """py3langid's model (slow to load): one per process, shared by every DoFn in it."""
    with _IDENTIFIER_LOCK:
        return _load_language_identifier()


@functools.cache
def _load_language_identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def preload_language_identifier() -> None:
    """Start loading the language model in a background thread, so that a local run's start-up
    (building and optimising the graph) overlaps it; the extraction step then finds it loaded
    or waits for it."""
    threading.Thread(target=_language_identifier, name="load-language-model", daemon=True).start()


def extract_item(
    item: Item,
    settings: ExtractionSettings,
    max_page_bytes: int,
    identifier: Any,
    near: NearDuplicateSettings | None = None,
) -> dict[str, Any] | Reject:
    """One inbox or fetched `Item` -> its article, or a `Reject` saying why it has none.

    With `near`, the article also carries its near-duplicate sketch (`SKETCH_FIELD`), made
    here, where extraction runs on every core, rather than one by one in `Deduplicate`. A page
    file not yet read (`Item.file`) is read first."""
    if item.file is not None:
        item = read_page(item, max_page_bytes)
        if isinstance(item, Reject):
            return item
    size = len(item.body) if item.body is not None else len((item.html or "").encode("utf-8"))
    try:
        if size > max_page_bytes:
            raise ExtractionError(
                "too-large", f"page of {size:,} bytes exceeds the {max_page_bytes:,}-byte limit"
            )
        if item.html is not None:
            html = item.html
        elif item.body:
            if looks_binary(item.body):
                raise ExtractionError("binary", "the content is binary data, not a web page")
            html, _ = decode_html(item.body, item.charset)
        else:
            raise ExtractionError("empty", "the page is empty (0 bytes)")
        article = extract_article(
            html,
            url=item.url,
            origin=item.origin,
            settings=settings,
            language_identifier=identifier,
            hints=item.hints,
        )
    except ExtractionError as exc:
        return Reject(item.origin, item.url, "extract", exc.error, exc.detail)
    if near is not None:
        article[SKETCH_FIELD] = sketch_record(article["text"], near)
    return article


@dataclass(frozen=True)
class PageWork:
    """Everything done to a page where it is extracted, and with what: extraction
    (`settings`, `max_page_bytes`), the near-duplicate sketch (`near`, None: left to
    `Deduplicate`), tagging (`taxonomy`, None: untagged), and what comes out: the article dict,
    or with `staging` (a batch run) its row written to a staged chunk file and only its keys
    sent on, with where the row is."""

    settings: ExtractionSettings
    max_page_bytes: int
    near: NearDuplicateSettings | None = None
    taxonomy: TaxonomyFile | None = None
    staging: ArticleStaging | None = None


def work_on_page(item: Item, work: PageWork, identifier: Any) -> dict[str, Any] | Reject:
    """One `Item` -> its article (extracted, tagged, sketched), or a `Reject` saying why it has
    none. An exception in tagging is the page's reject (stage "tag")."""
    article = extract_item(item, work.settings, work.max_page_bytes, identifier, work.near)
    if isinstance(article, Reject) or work.taxonomy is None:
        return article
    try:
        return tag_article(article, work.taxonomy.tagger())
    except Exception as exc:
        return crash_reject(item, "tag", exc)


def _guarded(item: Item, work: PageWork, identifier: Any) -> dict[str, Any] | Reject:
    try:
        return work_on_page(item, work, identifier)
    except Exception as exc:
        return crash_reject(item, "extract", exc)


def work_on_chunk(
    items: list[Item], work: PageWork, identifier: Any, on_page: Callable[[], None] | None = None
) -> list[Any]:
    """Items -> their results in order, as `work_on_page` gives them; with `work.staging`, the
    chunk's articles are written to one staged chunk file (`stage_articles`) and each article's
    result is its keys, with `STAGED_FIELD` saying where its row is, and no body (b"").
    Never raises: an exception nobody expected is its page's reject, and the other pages of the
    chunk go on; one in writing the chunk file is the reject of each page it holds."""
    results = []
    for item in items:
        results.append(_guarded(item, work, identifier))
        if on_page is not None:
            on_page()
    if work.staging is None:
        return results
    articles = [result for result in results if not isinstance(result, Reject)]
    try:
        places = iter(stage_articles(work.staging, articles) if articles else [])
    except Exception as exc:
        return [
            result if isinstance(result, Reject) else crash_reject(item, "extract", exc)
            for item, result in zip(items, results, strict=True)
        ]
    return [
        result
        if isinstance(result, Reject)
        else ({**article_keys(result), STAGED_FIELD: next(places)}, b"")
        for result in results
    ]


# -- extraction in a pool of processes ------------------------------------------------------------
#
# trafilatura is pure Python: one process extracts on one core, whatever the number of threads.
# On the local runner, a Beam worker process per core costs its start-up and every element's
# trip between processes at each stage boundary (measured in bench/e2e_throughput.py); so there
# the pipeline runs in one process and this DoFn hands pages to forked extraction processes
# (`--extraction-processes`), which do all the work on a page (`work_on_chunk`) and, in a
# batch run, write the article rows themselves and send back only the articles' keys. On
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
    tagger) before the first page comes."""
    _language_identifier()
    if taxonomy is not None:
        taxonomy.tagger()


def _work_in_worker(work: PageWork, chunk: list[Item]) -> list[Any]:
    """Runs in an extraction process: never raises; should even loading the language model
    fail, that is each page's reject."""
    try:
        return work_on_chunk(chunk, work, _language_identifier(), _page_worked)
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


class _ExtractionPool:
    """A process pool that works on chunks of pages and survives a page killing its process:
    after a crash, the pages of the chunks that were in flight are run again one at a time,
    and the one that kills its process again is rejected."""

    def __init__(self, processes: int):
        self.processes = processes
        self._initargs = (os.getpid(),)
        self.window = 2 * processes  # chunks in flight: enough to keep every process busy
        self._executor = self._start()

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
        """Start the processes now, each loading the language model and building the tagger."""
        for _ in range(self.processes):
            self._executor.submit(_warm_up, taxonomy)

    def submit(self, work: PageWork, chunk: list[Item]) -> concurrent.futures.Future:
        try:
            return self._executor.submit(_work_in_worker, work, chunk)
        except BrokenProcessPool:
            self._restart()
            return self._executor.submit(_work_in_worker, work, chunk)

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
        self._executor = self._start()

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


# Pools started by `prestart_extraction` before the pipeline runs, until a step takes one over.
_PRESTARTED: list[_ExtractionPool] = []
_PRESTARTED_LOCK = threading.Lock()


def prestart_extraction(processes: int, taxonomy: TaxonomyFile | None) -> None:
    """Fork the extraction processes now, and have each load the language model and build the
    tagger while this process goes on (building and translating the pipeline, running its
    first stages): the first `ExtractArticles` step with as many processes takes them over, and
    its first pages find them ready. Pages can be handed to them before that step starts
    (`prefetch_pages`). A local run only; `close_prestarted` ends what no step took over."""
    if processes <= 1:
        return
    if taxonomy is not None:
        taxonomy.load()  # read here, where the step needs it too: the processes inherit it
    pool = _ExtractionPool(processes)
    pool.warm_up(taxonomy)
    with _PRESTARTED_LOCK:
        _PRESTARTED.append(pool)


def _take_prestarted(processes: int) -> _ExtractionPool | None:
    with _PRESTARTED_LOCK:
        for pool in _PRESTARTED:
            if pool.processes == processes:
                _PRESTARTED.remove(pool)
                return pool
    return None


def close_prestarted() -> None:
    """End the prestarted extraction processes that no step took over (a run that failed before
    its extraction step started), and forget the pages handed to them that no step claimed."""
    with _PRESTARTED_LOCK:
        pools = list(_PRESTARTED)
        _PRESTARTED.clear()
        _PREFETCHED.clear()
    for pool in pools:
        pool.close()


class _Prefetched:
    """A chunk of page files handed to prestarted processes before the pipeline reached its
    extraction step; its results are taken once, by whichever of its pages is claimed first."""

    def __init__(
        self,
        pool: _ExtractionPool,
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
_PREFETCHED: dict[tuple[str, InboxFile], tuple[_Prefetched, int]] = {}


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
        prefetched = _Prefetched(pool, work, chunk, pool.submit(work, chunk))
        with _PRESTARTED_LOCK:
            for position, item in enumerate(chunk):
                _PREFETCHED[(item.origin, item.file)] = (prefetched, position)
    return len(items)


def _claim(work: PageWork, item: Item) -> tuple[_Prefetched, int] | None:
    """The prefetched chunk holding this page's result, and its place in it, if any."""
    if item.file is None:
        return None
    with _PRESTARTED_LOCK:
        found = _PREFETCHED.pop((item.origin, item.file), None)
    if found is None or found[0].work != work:
        return None
    return found


CHUNK_PAGES = 16  # pages per task of an extraction process, and per staged chunk file


class _InFlight:
    """A chunk of pages the step sent to its pool."""

    def __init__(self, pool: _ExtractionPool, work: PageWork, chunk: list[Item]) -> None:
        self.pool, self.work, self.chunk = pool, work, chunk
        self.future = pool.submit(work, chunk)

    def done(self) -> bool:
        return self.future.done()

    def results(self) -> list[Any]:
        return self.pool.result(self.work, self.chunk, self.future)


class _Claimed:
    """A page whose chunk was prefetched (`prefetch_pages`) before the step started."""

    def __init__(self, prefetched: _Prefetched, position: int) -> None:
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
            prestarted = _take_prestarted(self._processes)
            self._pool = prestarted or _ExtractionPool(self._processes)
        else:
            self._identifier = _language_identifier()

    def start_bundle(self) -> None:
        self._chunk: list[Item] = []
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
            claimed = _claim(self._work, item)
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
