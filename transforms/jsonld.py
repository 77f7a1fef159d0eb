"""What a page's schema.org JSON-LD says about its own article: headline, publication time,
authors, publisher and body.

`main_article()` reads every `<script type="application/ld+json">` block and picks the object
that describes the page itself: an Article-like object at the top level, in an `@graph` or as a
`mainEntity`, preferring the one whose `url`/`mainEntityOfPage` is the page's URL. Objects nested
deeper (an `ItemList` of related stories, `hasPart` teasers) are never the page's article: their
dates and headlines belong to other pages.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

from lxml.html import HtmlElement

from newsbeam.transforms.urls import canonicalize_url

__all__ = ["JsonLdArticle", "main_article"]

_LOGGER = logging.getLogger(__name__)

# schema.org's Article and its subtypes that news sites use, plus the posting types.
_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "reviewnewsarticle",
    "askpublicnewsarticle",
    "blogposting",
    "liveblogposting",
    "socialmediaposting",
    "report",
    "techarticle",
}
_PERSON_TYPES = {"person"}
_MAX_BLOCKS = 20  # a page with more JSON-LD blocks than this lists other pages' items


@dataclass
class JsonLdArticle:
    """The page's article as its JSON-LD states it; fields are None when it does not say."""

    headline: str | None = None
    date_published: str | None = None
    body: str | None = None
    authors: list[str] = field(default_factory=list)  # people only, in the page's order
    author_organisations: list[str] = field(default_factory=list)
    publisher: str | None = None


def _types(node: dict) -> set[str]:
    kind = node.get("@type", ())
    kinds = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else []
    return {str(k).rsplit("/", 1)[-1].lower() for k in kinds}


def _text(value: Any) -> str | None:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    if isinstance(value, str):
        value = " ".join(value.split())
        return value or None
    return None


def _url_of(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url")
    return value if isinstance(value, str) and value.startswith("http") else None


def _candidates(blocks: list[Any]) -> list[dict]:
    """Article-like objects at the levels that describe the page itself."""
    found: list[dict] = []

    def visit(node: Any, depth: int) -> None:
        if isinstance(node, list):
            for child in node:
                visit(child, depth)
            return
        if not isinstance(node, dict) or depth > 2:
            return
        if _types(node) & _ARTICLE_TYPES:
            found.append(node)
        visit(node.get("@graph"), depth + 1)
        visit(node.get("mainEntity"), depth + 1)

    for block in blocks:
        visit(block, 0)
    return found


def _nodes_by_id(blocks: list[Any]) -> dict[str, dict]:
    """The objects of the blocks and their `@graph`s that have an `@id`, by it."""
    found: dict[str, dict] = {}
    for block in blocks:
        for node in [block, *(block.get("@graph") or [] if isinstance(block, dict) else [])]:
            if isinstance(node, dict) and isinstance(node.get("@id"), str):
                found.setdefault(node["@id"], node)
    return found


def _people(value: Any, nodes: dict[str, dict]) -> tuple[list[str], list[str]]:
    """(people, organisations) named by a schema.org `author` value; a reference to an object
    elsewhere in the page (`{"@id": ...}`, as Yoast's graph writes it) is followed."""
    people: list[str] = []
    organisations: list[str] = []
    for entry in value if isinstance(value, list) else [value]:
        if isinstance(entry, dict) and "name" not in entry:
            entry = nodes.get(entry.get("@id"), entry)
        if isinstance(entry, str):
            name = " ".join(entry.split())
            if name:
                people.append(name)
        elif isinstance(entry, dict):
            name = _text(entry.get("name"))
            if not name:
                continue
            kinds = _types(entry)
            if kinds and not kinds & _PERSON_TYPES:
                organisations.append(name)
            else:
                people.append(name)
    return people, organisations


def _load(text: str) -> Any:
    try:
        return json.loads(text, strict=False)  # strict=False: raw newlines inside strings
    except ValueError:
        return None


def _canonical(url: str) -> str | None:
    try:
        return canonicalize_url(url)
    except ValueError:  # a malformed address in the page's JSON-LD is no address
        return None


def main_article(tree: HtmlElement, page_url: str | None = None) -> JsonLdArticle | None:
    """The page's own article as its JSON-LD describes it, or None when it describes none."""
    blocks = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        data = _load((script.text or "").strip().removeprefix("<!--").removesuffix("-->"))
        if data is not None:
            blocks.append(data)
            if len(blocks) == _MAX_BLOCKS:
                break
    candidates = _candidates(blocks)
    if not candidates:
        return None
    chosen = candidates[0]
    if page_url and len(candidates) > 1:
        wanted = _canonical(page_url)
        for node in candidates:
            own = _url_of(node.get("url")) or _url_of(node.get("mainEntityOfPage"))
            if own and wanted and _canonical(own) == wanted:
                chosen = node
                break
    people, organisations = _people(chosen.get("author"), _nodes_by_id(blocks))
    body = chosen.get("articleBody")
    return JsonLdArticle(
        headline=_text(chosen.get("headline")) or _text(chosen.get("name")),
        date_published=_text(chosen.get("datePublished")),
        body=body.strip() if isinstance(body, str) and body.strip() else None,
        authors=people,
        author_organisations=organisations,
        publisher=_text(chosen.get("publisher")),
    )
