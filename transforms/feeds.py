"""PollFeeds: fetch each feed (conditionally), parse it, and turn every entry into an `Item` whose
page is still to be fetched. Also the pure parsers for feed lists (text files, OPML) and feed
bodies (RSS, Atom, RDF via feedparser; JSON Feed, which feedparser does not read, by hand).
"""

from __future__ import annotations

import calendar
import hashlib
import json
import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urljoin

import apache_beam as beam
import feedparser
from apache_beam.coders import BooleanCoder, StrUtf8Coder
from apache_beam.metrics import Metrics
from apache_beam.transforms.periodicsequence import PeriodicImpulse
from apache_beam.transforms.userstate import ReadModifyWriteStateSpec
from lxml import etree

from newsbeam.schemas.records import Item, Reject
from newsbeam.transforms.http import FetchError, HttpClient, HttpSettings
from newsbeam.transforms.progress import counter
from newsbeam.transforms.urls import canonicalize_url, is_web_url

__all__ = [
    "FeedError",
    "PollFeeds",
    "PollFeedsContinuously",
    "PollFeedsOnTicks",
    "SkipSeenEntries",
    "conditional_headers",
    "entry_records",
    "parse_feed",
    "parse_feed_list",
    "poll_feed",
    "validators_of",
]

_LOGGER = logging.getLogger(__name__)

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
)


class FeedError(Exception):
    """A body that is not a feed, or a feed list that cannot be read."""

    def __init__(self, error: str, detail: str) -> None:
        super().__init__(detail)
        self.error = error
        self.detail = detail


# -- feed lists --------------------------------------------------------------------------------
def parse_feed_list(data: bytes) -> list[str]:
    """Feed URLs from an OPML document (outlines at any depth) or a text file (one URL a line,
    `#` comments). Raises `FeedError` for an OPML file that does not parse."""
    head = data.lstrip()[:200].lower()
    if head.startswith(b"<?xml") or head.startswith(b"<opml"):
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        try:
            root = etree.fromstring(data, parser=parser)
        except etree.XMLSyntaxError as exc:
            raise FeedError("bad-opml", f"the OPML file does not parse: {exc}") from exc
        urls = [
            (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
            for outline in root.iter("outline")
        ]
        return list(dict.fromkeys(url for url in urls if url))
    lines = data.decode("utf-8", errors="replace").splitlines()
    urls = [line.split("#", 1)[0].strip() for line in lines]
    return list(dict.fromkeys(url for url in urls if url))


# -- conditional GET ---------------------------------------------------------------------------
def validators_of(headers: dict[str, str], body: bytes) -> dict[str, str]:
    """What to remember of a feed response for the next conditional GET."""
    return {
        "etag": headers.get("etag", ""),
        "last_modified": headers.get("last-modified", ""),
        "sha256": hashlib.sha256(body).hexdigest(),
    }


def conditional_headers(validators: dict[str, str] | None) -> dict[str, str]:
    headers = {}
    if validators and validators.get("etag"):
        headers["If-None-Match"] = validators["etag"]
    if validators and validators.get("last_modified"):
        headers["If-Modified-Since"] = validators["last_modified"]
    return headers


# -- feed bodies -------------------------------------------------------------------------------
def _timestamp(struct) -> datetime | None:
    if not struct:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(struct), tz=timezone.utc)
    except (OverflowError, ValueError, TypeError):
        return None


def _iso(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)).astimezone(
        timezone.utc
    )


def _entry_content(entry: Any) -> str | None:
    """The entry's full HTML (`content:encoded`, Atom content), if the feed carries it."""
    for content in entry.get("content") or []:
        if "html" in (content.get("type") or "") and content.get("value"):
            return content["value"]
    return None


_JSON_TYPES = {str: "a string", int: "a number", float: "a number", bool: "true or false"}
_JSON_TYPES.update({list: "a list", dict: "an object", type(None): "null"})


def _json_type(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _json_feed_entry(item: Any) -> dict[str, Any]:
    """One JSON Feed item as an entry dict; an item of the wrong JSON types is an entry holding
    only `error`, the reason it cannot be read."""
    if not isinstance(item, dict):
        return {"error": f"is {_json_type(item)}, not an object"}
    for name in ("url", "external_url", "title", "content_html"):
        if item.get(name) is not None and not isinstance(item[name], str):
            return {"error": f'has a "{name}" that is {_json_type(item[name])}, not a string'}
    # The specification asks readers to take an id of another type as a string; it serves as
    # the link only when it is a URL (as for RSS and Atom), never resolved as a relative one.
    item_id = str(item["id"]) if item.get("id") is not None else None
    authors = item.get("authors") if isinstance(item.get("authors"), list) else []
    if not authors and isinstance(item.get("author"), dict):
        authors = [item["author"]]
    names = [a["name"] for a in authors if isinstance(a, dict) and isinstance(a.get("name"), str)]
    html = item.get("content_html")
    return {
        "link": item.get("url")
        or item.get("external_url")
        or (item_id if is_web_url(item_id) else None),
        "title": item.get("title"),
        "author": ", ".join(name for name in names if name.strip()) or None,
        "published_at": _iso(item.get("date_published")) or _iso(item.get("date_modified")),
        "content": html if html and html.strip() else None,
    }


def _json_feed(data: bytes) -> list[dict[str, Any]] | None:
    """Entries of a JSON Feed (jsonfeed.org 1.0/1.1), or None when `data` is not one. Raises
    `FeedError` for a JSON Feed whose `items` is not a list."""
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(document, dict) or "jsonfeed.org" not in str(document.get("version", "")):
        return None
    items = document.get("items")
    if items is None:
        return []
    if not isinstance(items, list):
        why = f'a JSON Feed whose "items" is {_json_type(items)}, not a list'
        raise FeedError("not-a-feed", why)
    return [_json_feed_entry(item) for item in items]


def parse_feed(data: bytes, url: str | None = None, content_type: str | None = None) -> list[dict]:
    """Entries of an RSS 0.9x/1.0/2.0, Atom 0.3/1.0, RDF or JSON Feed body, as dicts with
    link, title, author, published_at, content. Raises `FeedError` when it is not a feed.

    feedparser never expands external entities, and expat's amplification limit stops entity
    bombs; what it cannot parse strictly it reads leniently (bozo), as long as it finds a feed.
    """
    stripped = data.lstrip()
    if stripped[:1] in (b"{", b"["):
        entries = _json_feed(stripped)
        if entries is None:
            raise FeedError("not-a-feed", "JSON that is not a JSON Feed")
        return entries
    headers = {"content-type": content_type} if content_type else {}
    parsed = feedparser.parse(data, response_headers=headers, sanitize_html=False)
    if not parsed.version and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise FeedError(
            "not-a-feed",
            "the document is not an RSS, Atom, RDF or JSON feed"
            + (f" ({str(reason)[:200]})" if reason else ""),
        )
    entries = []
    for entry in parsed.entries:
        authors = [a.get("name") for a in entry.get("authors") or [] if a.get("name")]
        entries.append(
            {
                "link": entry.get("link")
                or (entry.get("id") if is_web_url(entry.get("id")) else None),
                "title": entry.get("title"),
                "author": entry.get("author") or ", ".join(authors) or None,
                "published_at": _timestamp(entry.get("published_parsed"))
                or _timestamp(entry.get("updated_parsed")),
                "content": _entry_content(entry),
            }
        )
    return entries


def _entry_record(origin: str, number: int, entry: dict, base_url: str | None) -> Item | Reject:
    if entry.get("error"):
        return Reject(origin, None, "parse", "bad-entry", f"entry {number} {entry['error']}")
    link = (entry.get("link") or "").strip()
    if link and base_url:
        link = urljoin(base_url, link)
    hints = {k: entry[k] for k in ("title", "author", "published_at") if entry.get(k)}
    if entry.get("content"):
        hints["feed_content"] = entry["content"]
    if is_web_url(link):
        return Item(origin=origin, url=link, hints=hints)
    title = entry.get("title") or "untitled"
    return Reject(
        origin,
        link or None,
        "parse",
        "no-link",
        f"entry {number} ({title[:80]!r}) has no http(s) link",
    )


def entry_records(
    origin: str, entries: list[dict], base_url: str | None
) -> Iterator[Item | Reject]:
    """Feed entries -> Items to fetch (their link in `url`, what the feed says in `hints`), or
    a Reject for an entry with no usable link and no content, or one that cannot be read: each
    entry is one record, whatever the others hold."""
    for number, entry in enumerate(entries, start=1):
        try:
            yield _entry_record(origin, number, entry, base_url)
        except Exception as exc:  # one malformed entry is its own reject, not the feed's end
            yield Reject(
                origin,
                None,
                "parse",
                "bad-entry",
                f"entry {number} could not be read ({type(exc).__name__}: {str(exc)[:200]})",
            )


# -- the transform -----------------------------------------------------------------------------
def poll_feed(
    url: str, prior: dict[str, str] | None, client: HttpClient
) -> tuple[list[Item], list[Reject], dict | None, bool]:
    """Fetch one feed conditionally and read its entries.

    Returns (entries to fetch, rejects, the index row of its new validators or None, whether
    it was unchanged). A feed that fails is one reject; it never raises.
    """
    try:
        response = client.get(url, conditional_headers(prior), accept=FEED_ACCEPT)
        body_hash = validators_of({}, response.body)["sha256"]
        if response.not_modified or (prior and prior.get("sha256") == body_hash):
            return [], [], None, True
        entries = parse_feed(response.body, response.url, response.content_type)
    except (FetchError, FeedError) as exc:
        stage = "fetch" if isinstance(exc, FetchError) else "parse"
        return [], [Reject(url, None, stage, exc.error, f"the feed: {exc.detail}")], None, False
    except Exception as exc:  # one broken feed never fails the run: it is one reject
        crash = Reject(url, None, "parse", f"crash:{type(exc).__name__}", repr(exc)[:1000])
        return [], [crash], None, False
    validators = validators_of(response.headers, response.body)
    validators["fetched_at"] = datetime.now(timezone.utc).isoformat()
    row = {"kind": "feed", "key": url, "article_id": None, "detail": json.dumps(validators)}
    items, rejects = [], []
    for record in entry_records(url, entries, response.url):
        (rejects if isinstance(record, Reject) else items).append(record)
    return items, rejects, row, False


class _PollFeedsFn(beam.DoFn):
    """[(feed URL, {"new": [url], "prior": [validators JSON]})] -> entries to fetch, rejects,
    and each feed's new validators as an index row. Feeds of a batch are polled concurrently."""

    REJECTS = "rejects"
    INDEX = "index"

    def __init__(self, settings: HttpSettings, threads: int) -> None:
        self._settings = settings
        self._threads = threads
        self._inputs = counter("inputs")
        self._unchanged = Metrics.counter("newsbeam", "feeds_unchanged")
        self._polled = Metrics.counter("newsbeam", "feeds_polled")

    def setup(self) -> None:
        self._client = HttpClient(self._settings)
        self._pool = ThreadPoolExecutor(self._threads, thread_name_prefix="newsbeam-feeds")

    def teardown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._client.close()

    def _poll(self, element):
        url, grouped = element
        return poll_feed(url, _latest_validators(grouped["prior"]), self._client)

    def process(self, batch):
        batch = [element for element in batch if list(element[1]["new"])]
        for items, rejects, row, unchanged in self._pool.map(self._poll, batch):
            self._polled.inc()
            if unchanged:
                self._unchanged.inc()
            if row is not None:
                yield beam.pvalue.TaggedOutput(self.INDEX, row)
            for reject in rejects:
                self._inputs.inc()  # entries become inputs in SkipSeenEntries; these cannot
                yield beam.pvalue.TaggedOutput(self.REJECTS, reject)
            yield from items


def _latest_validators(details) -> dict[str, str] | None:
    latest = None
    for detail in details:
        try:
            candidate = json.loads(detail)
        except (TypeError, ValueError):
            continue
        if not isinstance(candidate, dict) or not isinstance(candidate.get("fetched_at", ""), str):
            continue  # a damaged index row: as if the feed had never been polled
        if latest is None or candidate.get("fetched_at", "") > latest.get("fetched_at", ""):
            latest = candidate
    return latest


class PollFeeds(beam.PTransform):
    """Feed validators of earlier runs ((url, detail JSON) pairs) -> (entries, rejects, index rows).

    The feed URLs are given to the constructor; entries are `Item`s whose page is still to be
    fetched (see `FetchPages`); a feed that fails is one reject (it counts as one input).
    """

    def __init__(self, feed_urls: list[str], settings: HttpSettings, threads: int = 16) -> None:
        super().__init__()
        self._feed_urls = list(dict.fromkeys(feed_urls))
        self._settings = settings
        self._threads = threads

    def expand(self, prior_validators):
        feeds = (
            prior_validators.pipeline
            | "ListFeeds" >> beam.Create(self._feed_urls)
            | "KeyFeeds" >> beam.Map(lambda url: (url, url))
        )
        results = (
            {"new": feeds, "prior": prior_validators}
            | "JoinValidators" >> beam.CoGroupByKey()
            # Fixed-size batches: BatchElements' adaptive sizing starts at one element and grows
            # with measured throughput, so slow feeds (the ones that time out) were polled a
            # few at a time.
            | "BatchFeeds"
            >> beam.BatchElements(
                min_batch_size=self._threads * 4, max_batch_size=self._threads * 4
            )
            | "PollFeed"
            >> beam.ParDo(_PollFeedsFn(self._settings, self._threads)).with_outputs(
                _PollFeedsFn.REJECTS, _PollFeedsFn.INDEX, main="entries"
            )
        )
        return results.entries, results.rejects, results.index


class _SkipSeenFn(beam.DoFn):
    """(canonical link, {"new": [Item], "seen": [...]}) -> the new entries, unless seen."""

    def __init__(self) -> None:
        self._inputs = counter("inputs")
        self._skipped = counter("skipped")

    def process(self, element):
        _link, grouped = element
        entries = list(grouped["new"])
        if list(grouped["seen"]):
            self._skipped.inc(len(entries))
            return
        self._inputs.inc(len(entries))
        yield from entries


def _seen_keys(row: dict) -> list[tuple[str, int]]:
    return [(row["key"], 1)] if row["kind"] in ("url", "seen") else []


class SkipSeenEntries(beam.PTransform):
    """(entries, index rows) -> (new entries, index rows marking their links as seen).

    An entry whose canonical link an earlier run ingested, dropped as a duplicate or rejected is
    skipped before its page is fetched; it is not an input. The others become inputs here.
    """

    def expand(self, entries_and_index):
        entries, index = entries_and_index
        new = (
            {
                "new": entries | "KeyByLink" >> beam.Map(lambda e: (canonicalize_url(e.url), e)),
                "seen": index | "SeenLinks" >> beam.FlatMap(_seen_keys),
            }
            | "JoinSeen" >> beam.CoGroupByKey()
            | "DropSeen" >> beam.ParDo(_SkipSeenFn())
        )
        seen_rows = new | "MarkSeen" >> beam.Map(
            lambda e: {"kind": "seen", "key": canonicalize_url(e.url), "article_id": None}
        )
        return new, seen_rows


# -- streaming: feeds polled on every tick of an unbounded job -------------------------------------


class _PollFeedWithStateFn(beam.DoFn):
    """(feed URL, tick) -> entries, rejects on `rejects`. The feed's validators (ETag,
    Last-Modified, body hash) live in keyed state, so each poll is conditional on the last."""

    REJECTS = "rejects"
    VALIDATORS = ReadModifyWriteStateSpec("validators", StrUtf8Coder())

    def __init__(self, settings: HttpSettings) -> None:
        self._settings = settings
        self._inputs = counter("inputs")
        self._polled = Metrics.counter("newsbeam", "feeds_polled")

    def setup(self) -> None:
        self._client = HttpClient(self._settings)

    def teardown(self) -> None:
        self._client.close()

    def process(self, element, validators=beam.DoFn.StateParam(VALIDATORS)):  # noqa: B008
        url, _tick = element
        prior = _latest_validators([validators.read()] if validators.read() else [])
        items, rejects, row, _unchanged = poll_feed(url, prior, self._client)
        self._polled.inc()
        if row is not None:
            validators.write(row["detail"])
        for reject in rejects:
            self._inputs.inc()
            yield beam.pvalue.TaggedOutput(self.REJECTS, reject)
        yield from items


class _FirstLinkFn(beam.DoFn):
    """(canonical link, entry) -> the entry the first time its link is seen (keyed state)."""

    SEEN = ReadModifyWriteStateSpec("seen", BooleanCoder())

    def __init__(self) -> None:
        self._inputs = counter("inputs")
        self._skipped = counter("skipped")

    def process(self, element, seen=beam.DoFn.StateParam(SEEN)):  # noqa: B008
        _link, entry = element
        if seen.read():
            self._skipped.inc()
            return
        seen.write(True)
        self._inputs.inc()
        yield entry


class PollFeedsOnTicks(beam.PTransform):
    """ticks -> (new entries, rejects): every feed polled once per tick, conditionally on its
    last answer (validators in keyed state); an entry whose link was seen earlier in the job is
    skipped before its page is fetched."""

    def __init__(self, feed_urls: list[str], settings: HttpSettings) -> None:
        super().__init__()
        self._feed_urls = list(dict.fromkeys(feed_urls))
        self._settings = settings

    def expand(self, ticks):
        polled = (
            ticks
            | "EachFeed"
            >> beam.FlatMap(
                lambda _tick, urls: [(url, 1) for url in urls], self._feed_urls
            ).with_output_types(beam.typehints.KV[str, int])
            | "PollFeed"
            >> beam.ParDo(_PollFeedWithStateFn(self._settings)).with_outputs(
                _PollFeedWithStateFn.REJECTS, main="entries"
            )
        )
        new = (
            polled.entries
            | "KeyByLink"
            >> beam.Map(lambda e: (canonicalize_url(e.url), e)).with_output_types(
                beam.typehints.KV[str, Any]
            )
            | "FirstLink" >> beam.ParDo(_FirstLinkFn())
        )
        return new, polled.rejects


class PollFeedsContinuously(beam.PTransform):
    """pipeline -> (new entries, rejects): `PollFeedsOnTicks` on a tick every `interval` seconds,
    for as long as the job runs (PeriodicImpulse)."""

    def __init__(self, feed_urls: list[str], settings: HttpSettings, interval: float) -> None:
        super().__init__()
        self._poll = PollFeedsOnTicks(feed_urls, settings)
        self._interval = interval

    def expand(self, pipeline):
        ticks = pipeline | "Ticks" >> PeriodicImpulse(
            fire_interval=self._interval, apply_windowing=False
        )
        return ticks | "PollOnTicks" >> self._poll
