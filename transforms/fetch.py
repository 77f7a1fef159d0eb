"""FetchPages: download the page behind each feed entry, many at once, politely and safely.

Page fetching is IO-bound, so entries are batched (`BatchElements`) into a DoFn that owns a
thread pool and an `HttpClient` (built in `setup()`), which keeps per-host limits and a
politeness delay. robots.txt is honoured for pages unless turned off. When a page cannot be
fetched but its feed carried the full text, that text is used and marked `content_source=feed`.
"""

from __future__ import annotations

import logging
import threading
import urllib.robotparser
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from urllib.parse import urlsplit

import apache_beam as beam
from apache_beam.metrics import Metrics

from newsbeam.schemas.records import Item, Reject
from newsbeam.transforms.http import FetchError, HttpClient, HttpSettings, Response, safe_url

__all__ = ["FetchPages", "RobotsCache", "fetch_page"]

_LOGGER = logging.getLogger(__name__)

PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")


class RobotsCache:
    """robots.txt per host, fetched once per worker with the same client. A missing robots.txt
    (4xx) allows everything; an unreachable one is treated as missing, and logged."""

    def __init__(self, client: HttpClient) -> None:
        self._client = client
        self._parsers: dict[str, urllib.robotparser.RobotFileParser] = {}
        self._locks: dict[str, threading.Lock] = {}  # one per host: its robots.txt fetched once
        self._lock = threading.Lock()

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            host_lock = self._locks.setdefault(origin, threading.Lock())
        with host_lock:  # the other threads asking for this host wait for the one fetch
            parser = self._parsers.get(origin)
            if parser is None:
                parser = self._parsers[origin] = self._fetch(origin)
        return parser.can_fetch(self._client.settings.user_agent, url)

    def _fetch(self, origin: str) -> urllib.robotparser.RobotFileParser:
        parser = urllib.robotparser.RobotFileParser()
        try:
            response = self._client.get(f"{origin}/robots.txt")
            parser.parse(response.body.decode("utf-8", errors="replace").splitlines())
        except FetchError as exc:
            if not (exc.status and 400 <= exc.status < 500):
                _LOGGER.info("robots.txt of %s unavailable (%s): allowing", origin, exc.detail)
            parser.parse([])
        return parser


def _check_page(response: Response) -> None:
    kind = response.content_type
    if kind and not kind.startswith(_PAGE_TYPES):
        raise FetchError("not-a-page", f"the server sent {kind}, not a web page")
    if not response.body.strip():
        raise FetchError("empty", "the server sent an empty page")


def fetch_page(item: Item, client: HttpClient, robots: RobotsCache | None) -> Item | Reject:
    """An Item with a URL and no content -> the Item with the page's bytes, or a Reject (or the
    feed's own text when the page fails and the feed carried it)."""
    try:
        # The page's URL as it will be sent: robots.txt is asked for on that URL's host, and a
        # URL that does not name its host beyond doubt is refused before any request.
        url = safe_url(item.url)
        if robots is not None and not robots.allowed(url):
            raise FetchError("robots-disallowed", "robots.txt disallows fetching this page")
        response = client.get(url, accept=PAGE_ACCEPT)
        _check_page(response)
    except FetchError as exc:
        content = item.hints.get("feed_content")
        if content:
            hints = {**item.hints, "content_source": "feed", "fetch_error": exc.error}
            return replace(item, html=content, hints=hints)
        return Reject(item.origin, item.url, "fetch", exc.error, exc.detail)
    hints = {**item.hints, "content_source": "page"}
    if response.url != url:  # redirected
        hints["fetched_url"] = response.url
    return replace(item, body=response.body, charset=response.charset, hints=hints)


class _FetchBatchFn(beam.DoFn):
    """[Item] -> fetched Items, and Rejects on `rejects`. Every item of the batch is answered,
    whatever happens to the others: an unexpected exception is that item's reject."""

    REJECTS = "rejects"

    def __init__(self, settings: HttpSettings, threads: int, respect_robots: bool) -> None:
        self._settings = settings
        self._threads = threads
        self._respect_robots = respect_robots
        self._fetched = Metrics.counter("newsbeam", "pages_fetched")
        self._failed = Metrics.counter("newsbeam", "pages_failed")

    def setup(self) -> None:
        self._client = HttpClient(self._settings)
        self._robots = RobotsCache(self._client) if self._respect_robots else None
        self._pool = ThreadPoolExecutor(self._threads, thread_name_prefix="newsbeam-fetch")

    def teardown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._client.close()

    def _fetch(self, item: Item) -> Item | Reject:
        try:
            return fetch_page(item, self._client, self._robots)
        except Exception as exc:  # never lose a batch to one bad page
            return Reject(
                item.origin, item.url, "fetch", f"crash:{type(exc).__name__}", repr(exc)[:1000]
            )

    def process(self, batch: list[Item]):
        for result in self._pool.map(self._fetch, batch):
            if isinstance(result, Reject):
                self._failed.inc()
                yield beam.pvalue.TaggedOutput(self.REJECTS, result)
            else:
                self._fetched.inc()
                yield result


class FetchPages(beam.PTransform):
    """Items to fetch -> (Items with content, Rejects)."""

    def __init__(
        self, settings: HttpSettings, threads: int = 32, respect_robots: bool = True
    ) -> None:
        super().__init__()
        self._settings = settings
        self._threads = threads
        self._respect_robots = respect_robots

    def expand(self, items):
        results = (
            items
            | "SpreadPages" >> beam.Reshuffle()
            | "BatchPages"
            >> beam.BatchElements(min_batch_size=self._threads, max_batch_size=self._threads * 8)
            | "FetchBatch"
            >> beam.ParDo(
                _FetchBatchFn(self._settings, self._threads, self._respect_robots)
            ).with_outputs(_FetchBatchFn.REJECTS, main="pages")
        )
        return results.pages, results.rejects
