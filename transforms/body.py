"""An article's main text: trafilatura's, extracted again only when the first answer looks cut.

With `ExtractionSettings.retry_short` the first extraction favours precision, which keeps teasers,
newsletter boxes and link lists out. Its answer is suspicious when it holds less than
`_SHORT_SHARE` of the page's text-dense blocks (text nodes of at least `_DENSE_CHARS`
characters; measured only when the text is under `_SUSPECT_CHARS`) or of the article body the
JSON-LD states: then trafilatura runs again favouring
recall, and if even that holds less than `_CUT_SHARE` of the dense text (the article goes on in a
container trafilatura's own pass missed), with its fallback extractors. The common page costs one
extraction. When the JSON-LD `articleBody` is much longer than every extraction and contains
what was extracted, the page's HTML is cut (a "read more" fold, a paywall) and the JSON-LD body
is the text.

The headline repeated at the top of the text is dropped: it is the `title` column.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

import trafilatura
from lxml.html import HtmlElement

from newsbeam.transforms.metadata import squeeze

if TYPE_CHECKING:
    from newsbeam.transforms.extract import ExtractionSettings

__all__ = ["dense_text_chars", "main_text", "without_headline"]

# The shares and the block size were chosen on the extraction benchmark: results are flat for
# a short share between 0.3 and 0.5 (bench/extraction_modes.py; figures in bench/BENCHMARKS.md).
_DENSE_CHARS = 80
_SHORT_SHARE = 0.4
_CUT_SHARE = 0.2
_BODY_CONTAINS = 0.5  # the share of the extracted text's 4-grams the JSON-LD body must hold
_HEADLINE_LINES = 3
_LONG_TEXT_NODES = f"//body//text()[string-length(normalize-space(.)) >= {_DENSE_CHARS}]"
_NOT_TEXT = {"script", "style", "noscript", "template"}
# A text this long is not a lead cut short: the page is measured only below it.
_SUSPECT_CHARS = 2000
_TOKEN = re.compile(r"\w+")


def dense_text_chars(tree: HtmlElement) -> int:
    """Characters in the page's text-dense blocks: text nodes of `_DENSE_CHARS` or more,
    scripts and styles left out."""
    total = 0
    for node in tree.xpath(_LONG_TEXT_NODES):
        holder = node.getparent()
        if node.is_tail and holder is not None:
            holder = holder.getparent()
        if holder is None or holder.tag not in _NOT_TEXT:
            total += len(node.strip())
    return total


def _extract(tree: HtmlElement, url: str | None, settings: ExtractionSettings, **changes) -> str:
    options = {
        "include_comments": settings.include_comments,
        "include_tables": settings.include_tables,
        "favor_precision": settings.favor_precision,
        "favor_recall": settings.favor_recall,
        "fast": settings.fast,
        **changes,
    }
    doc = trafilatura.bare_extraction(tree, url=url, with_metadata=False, **options)
    return (doc.text or "").strip() if doc is not None else ""


def _grams(text: str) -> Counter:
    tokens = _TOKEN.findall(text.casefold())
    return Counter(zip(tokens, tokens[1:], tokens[2:], tokens[3:], strict=False))


def _contained(part: str, whole: str) -> float:
    """The share of `part`'s word 4-grams that `whole` holds."""
    grams = _grams(part)
    if not grams:
        return 0.0
    held = _grams(whole)
    return sum(min(count, held[gram]) for gram, count in grams.items()) / sum(grams.values())


def main_text(
    tree: HtmlElement, url: str | None, settings: ExtractionSettings, declared_body: str | None
) -> str:
    """The page's main text (see the module docstring for when it is extracted again)."""
    text = _extract(tree, url, settings)
    if not settings.retry_short:
        return text
    dense = dense_text_chars(tree) if len(text) < _SUSPECT_CHARS else 0
    if len(text) < _SHORT_SHARE * max(dense, len(declared_body or "")):
        recalled = _extract(tree, url, settings, favor_precision=False, favor_recall=True)
        if len(recalled) < _CUT_SHARE * dense:
            fallback = _extract(
                tree, url, settings, favor_precision=False, favor_recall=True, fast=False
            )
            recalled = max(recalled, fallback, key=len)
        text = max(text, recalled, key=len)
    if (
        declared_body
        and len(text) < _SHORT_SHARE * len(declared_body)
        and _contained(text, declared_body) >= _BODY_CONTAINS
    ):
        text = declared_body
    return text


def without_headline(text: str, headlines: list[str]) -> str:
    """`text` without the headline (or the page's `<h1>`) repeated in its first lines."""
    wanted = {squeeze(headline) for headline in headlines if headline}
    wanted.discard("")
    lines = text.split("\n")
    start = 0
    while start < min(len(lines), _HEADLINE_LINES) and squeeze(lines[start]) in wanted:
        start += 1
    return "\n".join(lines[start:]).strip() if start else text
