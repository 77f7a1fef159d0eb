"""ExtractArticles: decode each page and pull out its text and metadata with trafilatura.

`extract_article()` is the pure function (no Beam); `ExtractArticles` runs it over a PCollection
of `Item`s and sends every failure to a rejects output, so each input ends as an article or a
reject.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import logging
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urljoin

import apache_beam as beam
import trafilatura
from trafilatura.settings import set_date_params

from newsbeam.schemas.records import Item, Reject
from newsbeam.schemas.tables import SCHEMA_VERSION
from newsbeam.transforms.decode import decode_html, looks_binary
from newsbeam.transforms.failures import crash_to_reject
from newsbeam.transforms.progress import counter
from newsbeam.transforms.urls import article_id, canonicalize_url, is_web_url, source_domain

__all__ = [
    "ExtractArticles",
    "ExtractionError",
    "ExtractionSettings",
    "content_hash",
    "extract_article",
    "find_page_url",
    "find_published_timestamp",
    "normalize_text",
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


class ExtractionError(Exception):
    """An expected failure to extract: it becomes a rejects row, `error` is a short class."""

    def __init__(self, error: str, detail: str) -> None:
        super().__init__(detail)
        self.error = error
        self.detail = detail


@dataclass(frozen=True)
class ExtractionSettings:
    """How trafilatura is called (comments are never article text). The CLI's default is
    `fast=True`, chosen on the extraction benchmark (see pipeline/options.py)."""

    min_words: int = 20  # less than this is a menu, a teaser or an error page, not an article
    favor_precision: bool = False
    favor_recall: bool = False
    include_comments: bool = False
    include_tables: bool = True
    fast: bool = False


_PUBLISHED_NAMES = {
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "date.published",
    "publishdate",
    "pubdate",
    "dc.date.issued",
    "dcterms.created",
}
_JSONLD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]{10,40})"')


def _head_tags(html: str) -> Iterator[tuple[str, dict[str, str]]]:
    """(tag name, lower-cased attributes) of each <link> and <meta> near the top of a page."""
    for tag in _TAG.finditer(html[:_HEAD_SCAN_CHARS]):
        attrs = {
            m.group(1).lower(): html_lib.unescape(m.group(2) or m.group(3) or m.group(4) or "")
            for m in _ATTR.finditer(tag.group(0))
        }
        yield tag.group(1).lower(), attrs


def find_page_url(html: str, base_url: str | None = None) -> str | None:
    """The page's own URL: `<link rel=canonical>`, else `og:url`; resolved against `base_url`."""
    canonical = og_url = None
    for name, attrs in _head_tags(html):
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


def find_published_timestamp(html: str) -> datetime | None:
    """A full publication timestamp the page declares (meta tags, JSON-LD), as aware UTC.

    trafilatura (htmldate) finds the publication *date* well but drops the time of day; this
    recovers it where the page states it. Dates without a time are not timestamps: None.
    """
    declared = _declared_timestamp(html)
    return declared.astimezone(timezone.utc) if declared else None


def _declared_timestamp(html: str) -> datetime | None:
    """The page's declared publication timestamp in its own offset (UTC when it names none)."""
    candidates = [
        attrs.get("content", "")
        for name, attrs in _head_tags(html)
        if name == "meta"
        and (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        in _PUBLISHED_NAMES
    ]
    candidates += _JSONLD_PUBLISHED.findall(html[:_HEAD_SCAN_CHARS])
    for value in candidates:
        value = value.strip()
        if len(value) < 16 or "T" not in value.upper():
            continue
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            continue
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    return None


def normalize_text(text: str) -> str:
    """Text reduced to what two copies of one article share: NFKC, case-folded words only."""
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def content_hash(text: str) -> str:
    """The exact-duplicate key: SHA-256 of the normalised text."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


def _parse_date(value: str | None) -> datetime | None:
    """trafilatura's date (ISO date, maybe with time and offset) as an aware UTC datetime."""
    if not value:
        return None
    for fmt in (_DATE_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            parsed = datetime.strptime(value, fmt)
        except ValueError:
            continue
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=timezone.utc)
        return parsed.astimezone(timezone.utc)
    return None


def _published_at(html: str, extracted_date: str | None) -> datetime | None:
    """trafilatura's date, made precise by the page's own timestamp when the two agree.

    htmldate reports a date-only result as midnight; the page's declared timestamp then supplies
    the time of day if it falls on that date (in UTC or in its own offset).
    """
    dated = _parse_date(extracted_date)
    declared = _declared_timestamp(html)
    if declared is None:
        # htmldate's extensive search falls back to a bare year (a copyright line, a year in the
        # text) and reports it as 1 January: that is not a publication date.
        if dated is not None and (dated.month, dated.day, dated.time()) == (
            1,
            1,
            datetime.min.time(),
        ):
            return None
        return dated
    precise = declared.astimezone(timezone.utc)
    if dated is None:
        return precise
    if dated.time() != datetime.min.time():
        return dated
    return precise if dated.date() in (declared.date(), precise.date()) else dated


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
    page_url = find_page_url(html, url)
    fetched_url = url or page_url or origin
    doc = trafilatura.bare_extraction(
        html,
        url=fetched_url if is_web_url(fetched_url) else None,
        with_metadata=True,
        include_comments=settings.include_comments,
        include_tables=settings.include_tables,
        favor_precision=settings.favor_precision,
        favor_recall=settings.favor_recall,
        fast=settings.fast,
        date_extraction_params={**set_date_params(not settings.fast), "outputformat": _DATE_FORMAT},
    )
    text = (doc.text or "").strip() if doc is not None else ""
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
        # 1,500 characters decide the language as well as the whole text, at a fraction of the cost.
        code, probability = language_identifier.classify(text[:1500])
        language = code if probability >= 0.5 else None
    language = language or _clean(doc.language) or hints.get("language")
    published = _published_at(html, doc.date) or hints.get("published_at")
    return {
        "article_id": article_id(canonical),
        "url": fetched_url,
        "canonical_url": canonical,
        "origin": origin,
        "source_domain": source_domain(canonical) or source_domain(fetched_url),
        "site_name": _clean(doc.sitename),
        "title": _clean(doc.title) or hints.get("title"),
        "author": _clean(doc.author) or hints.get("author"),
        "description": _clean(doc.description),
        "published_at": published,
        "language": language,
        "text": text,
        "word_count": words,
        "content_hash": content_hash(text),
        "topics": [],
        "topic_evidence": [],
        "countries": [],
        "schema_version": SCHEMA_VERSION,
        "content_source": hints.get("content_source", "inbox"),
    }


def _language_identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


class ExtractArticleFn(beam.DoFn):
    """Item -> article dict, or a `Reject` on the `rejects` output."""

    REJECTS = "rejects"

    def __init__(self, settings: ExtractionSettings, max_page_bytes: int) -> None:
        self._settings = settings
        self._max_page_bytes = max_page_bytes
        self._extracted = counter("extracted")
        self._rejected = counter("extract_rejected")

    def setup(self) -> None:
        self._identifier = _language_identifier()

    def process(self, item: Item):
        size = len(item.body) if item.body is not None else len((item.html or "").encode("utf-8"))
        try:
            if size > self._max_page_bytes:
                raise ExtractionError(
                    "too-large",
                    f"page of {size:,} bytes exceeds the {self._max_page_bytes:,}-byte limit",
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
                settings=self._settings,
                language_identifier=self._identifier,
                hints=item.hints,
            )
        except ExtractionError as exc:
            self._rejected.inc()
            yield beam.pvalue.TaggedOutput(
                self.REJECTS, Reject(item.origin, item.url, "extract", exc.error, exc.detail)
            )
            return
        self._extracted.inc()
        yield article


class ExtractArticles(beam.PTransform):
    """Items -> (articles, rejects). Unexpected exceptions become rejects, never a failed run."""

    def __init__(self, settings: ExtractionSettings, max_page_bytes: int) -> None:
        super().__init__()
        self._settings = settings
        self._max_page_bytes = max_page_bytes

    def expand(self, items):
        results = (
            items
            | "ExtractText"
            >> beam.ParDo(ExtractArticleFn(self._settings, self._max_page_bytes))
            .with_outputs(ExtractArticleFn.REJECTS, main="articles")
            .with_exception_handling()
        )
        crashed = results.bad | "ExplainCrashes" >> beam.Map(crash_to_reject("extract"))
        rejects = (results.rejects, crashed) | "MergeRejects" >> beam.Flatten()
        return results.articles, rejects
