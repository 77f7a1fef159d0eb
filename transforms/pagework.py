"""The work done on each page where the page is, without Beam: decode it, pull out its text and
metadata, tag its topics, sketch it for near-duplicate detection, and in a batch run stage its
row (`work_on_chunk`). `ExtractArticles` (transforms/extract.py) runs it in a Beam step; the
extraction processes of a local run (transforms/extraction_pool.py) run it without loading Beam.

The text is trafilatura's (transforms/body.py); the headline, authors and publication time come
first from what the page declares (schema.org JSON-LD, meta tags, its `<h1>`), then from
trafilatura and htmldate (transforms/metadata.py, published.py, jsonld.py); the topics are
`Tagger`'s (transforms/tagging.py).
"""

from __future__ import annotations

import hashlib
import html as html_lib
import logging
import re
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any
from urllib.parse import urljoin

from trafilatura.settings import set_date_params
from trafilatura.utils import load_html

from newsbeam.schemas.records import Item, Reject
from newsbeam.schemas.tables import SCHEMA_VERSION
from newsbeam.transforms.body import main_text, without_headline
from newsbeam.transforms.cache import cache_key, read_entry, write_entry
from newsbeam.transforms.decode import decode_html, looks_binary
from newsbeam.transforms.failures import crash_reject
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
from newsbeam.transforms.minhash import (
    SKETCH_FIELD,
    NearDuplicateSettings,
    normalise_text,
    sketch_record,
)
from newsbeam.transforms.packing import article_keys
from newsbeam.transforms.pagefile import read_page
from newsbeam.transforms.published import (
    Precision,
    Published,
    declared_values,
    find_published,
    shown_dateline,
)
from newsbeam.transforms.staging import STAGED_FIELD, ArticleStaging, stage_articles
from newsbeam.transforms.tagging import TaxonomyFile, tag_article
from newsbeam.transforms.urls import (
    article_id,
    canonicalize_url,
    file_uri,
    is_web_url,
    source_domain,
)

__all__ = [
    "ExtractionError",
    "ExtractionSettings",
    "PageWork",
    "content_hash",
    "extract_article",
    "extract_item",
    "find_page_url",
    "normalize_text",
    "preload_language_identifier",
    "process_language_identifier",
    "work_on_chunk",
    "work_on_page",
]

_LOGGER = logging.getLogger(__name__)

_TAG = re.compile(r"<(link|meta)\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([a-zA-Z:_-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_HEAD_SCAN_CHARS = 200_000
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
    """Text reduced to what two copies of one article share: NFKC, case-folded words only (the
    same text the near-duplicate sketch's shingles are cut from: `minhash.normalise_text`)."""
    return normalise_text(text)


def content_hash(text: str) -> str:
    """The exact-duplicate key: SHA-256 of the normalised text."""
    return _hash_of(normalize_text(text))


def _hash_of(normalised: str) -> str:
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


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
    return _extract_article(
        html,
        url=url,
        origin=origin,
        settings=settings,
        language_identifier=language_identifier,
        hints=hints,
    )[0]


def _extract_article(
    html: str,
    *,
    url: str | None,
    origin: str,
    settings: ExtractionSettings | None = None,
    language_identifier: Any = None,
    hints: dict | None = None,
) -> tuple[dict[str, Any], str]:
    """`extract_article`'s article, and its text normalised (`normalize_text`): its content
    hash was made from it, and its near-duplicate sketch is cut from it."""
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
    normalised = normalize_text(text)
    article = {
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
        "content_hash": _hash_of(normalised),
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
    return article, normalised


_IDENTIFIER_LOCK = threading.Lock()
_IDENTIFIER: list[Any] = []  # this process's language model, once loaded
_MODEL_KIND = "language-model"  # its entries' kind in the user cache
_MODEL_KEY: list[str | None] = []  # their key, once computed (it hashes the model file)


def process_language_identifier(build: bool = True) -> Any:
    """py3langid's model: one per process, shared by every DoFn in it. Unpacking it is slow:
    it is taken from the user cache (transforms/cache.py) when there, else unpacked and put
    there. With `build=False`, only what the cache holds: None when it holds nothing."""
    with _IDENTIFIER_LOCK:
        if not _IDENTIFIER:
            identifier = _load_language_identifier(build)
            if identifier is None:
                return None
            _IDENTIFIER.append(identifier)
        return _IDENTIFIER[0]


def _load_language_identifier(build: bool) -> Any:
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    if not _MODEL_KEY:
        _MODEL_KEY.append(_model_key(MODEL_DIR / MODEL_FILE))
    key = _MODEL_KEY[0]
    cached = read_entry(_MODEL_KIND, key) if key else None
    if isinstance(cached, LanguageIdentifier):
        return cached
    if not build:
        return None
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    if key:
        write_entry(_MODEL_KIND, key, lambda: identifier)
    return identifier


def _model_key(model: Any) -> str | None:
    """The user-cache key of py3langid's unpacked model (`model`: its file), None when it
    cannot be had."""
    try:
        return cache_key(
            _MODEL_KIND, sys.version, version("py3langid"), version("numpy"),
            hashlib.sha256(model.read_bytes()).hexdigest(), "norm_probs=True",
        )  # fmt: skip
    except Exception:  # no metadata or no readable model file: py3langid reports it later
        return None


def preload_language_identifier() -> None:
    """Start loading the language model in a background thread, so that a local run's start-up
    (building and optimising the graph) overlaps it; the extraction step then finds it loaded
    or waits for it."""
    threading.Thread(
        target=process_language_identifier, name="load-language-model", daemon=True
    ).start()


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
        article, normalised = _extract_article(
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
        article[SKETCH_FIELD] = sketch_record(article["text"], near, normalised)
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
