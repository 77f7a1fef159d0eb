"""A page's metadata (title, author, site name, URL, date) from its parsed tree, for extraction.

`page_metadata()` runs trafilatura's own metadata steps in trafilatura's order, except the
author search in the page body, which `find_author()` does with trafilatura's rules at half the
cost (bench/author_search.py). trafilatura copies the whole tree, prunes it, then tries three
XPath expressions whose regular expressions call back into Python for every element. Here one
pass over the elements that have the attributes those rules read gives the same answer; a test
holds the two equal on every page of the extraction benchmark, so a trafilatura release that
changes its rules fails that test rather than drifting in silence.
"""

from __future__ import annotations

import logging
import re
from copy import deepcopy
from typing import Any

from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.metadata import (
    examine_meta,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
    normalize_authors,
)
from trafilatura.settings import Document
from trafilatura.utils import trim
from trafilatura.xml import delete_element

__all__ = ["find_author", "page_metadata"]

_LOGGER = logging.getLogger(__name__)

# trafilatura's AUTHOR_DISCARD_XPATHS: regions whose text is never the author (comments, sidebars,
# dates, figures). `_DISCARD_TAGS` elements are dropped whatever their attributes.
_DISCARD_TAGS = ("time", "figure")
_DISCARD_IF = ("a", "div", "section", "span")
_DISCARD_IDS = ("comments",)
_DISCARD_CLASSES = ("comments", "title", "date")
_DISCARD_ID = re.compile("^comments|comment-?list|ProductReviews")
_DISCARD_CLASS = re.compile(
    "^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram|"
    "article-(?:share|support)|print|category|meta-date|meta-reviewer"
)
# trafilatura's AUTHOR_XPATHS, most specific first; the first rule with a usable text wins.
_SPECIFIC_IF = ("a", "address", "div", "link", "p", "span", "strong")
_SPECIFIC_TEST_IDS = ("AuthorCard", "AuthorURL")
_SPECIFIC_CLASS = re.compile("author-?name|AuthorName|authorName")
_GENERIC_IF = ("a", "div", "h3", "h4", "p", "span")
_GENERIC_CLASSES = ("byline", "username", "byl", "BBL")
_GENERIC_ID = re.compile("author|zuozhe|bianji|xiaobian")
_GENERIC_CLASS = re.compile(
    "author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name"
)
_ANY_ID = re.compile("[Aa]uthor")
_ANY_CLASS = re.compile("[Aa]uthor|screenname|writer|[Bb]yline")
_AUTHOR_MAX_CHARS = 120

# Elements any rule above can match: one XPath, evaluated natively. Most of them carry a class
# or id no rule mentions; the `_MENTIONED_*` tests set those aside before any other test.
_OTHER_ATTRIBUTES = (
    "//*[@rel or @itemprop or @data-testid or @data-component] | //author | //*[rel]"
)
_ELEMENTS = f"//*[@class or @id] | //time | //figure | {_OTHER_ATTRIBUTES}"
_MENTIONED_CLASS = re.compile(
    "|".join(p.pattern for p in (_DISCARD_CLASS, _SPECIFIC_CLASS, _GENERIC_CLASS, _ANY_CLASS))
)
_MENTIONED_ID = re.compile("|".join(p.pattern for p in (_DISCARD_ID, _GENERIC_ID, _ANY_ID)))
_MENTIONED_CLASSES = {*_DISCARD_CLASSES, *_GENERIC_CLASSES, "author"}
_MENTIONED_IDS = {*_DISCARD_IDS, "author"}


def _has_rel_me(element: HtmlElement) -> bool:
    """XPath's `rel='me'`: a child element named rel whose text is "me"."""
    return any(child.tag == "rel" and child.xpath("string()") == "me" for child in element)


def _is_discarded(element: HtmlElement, tag: str, element_id: str, element_class: str) -> bool:
    """Whether trafilatura prunes `element` (a region, not a time or figure) before its rules."""
    return tag in _DISCARD_IF and bool(
        element_id in _DISCARD_IDS
        or element_class in _DISCARD_CLASSES
        or _DISCARD_ID.search(element_id)
        or _DISCARD_CLASS.search(element_class)
        or "Figure" in element.get("data-component", "")
    )


def _author_rules(element: HtmlElement, tag: str, element_id: str, element_class: str) -> list:
    """Which of the three author rules (0 specific, 1 generic, 2 last resort) `element` meets."""
    get = element.get
    itemprop = get("itemprop", "")
    met = []
    if tag == "author" or (
        tag in _SPECIFIC_IF
        and (
            get("rel") == "author"
            or element_id == "author"
            or element_class == "author"
            or itemprop == "author name"
            or get("data-testid") in _SPECIFIC_TEST_IDS
            or _SPECIFIC_CLASS.search(element_class)
            or _has_rel_me(element)
        )
    ):
        met.append(0)
    if tag in _GENERIC_IF and (
        element_class in _GENERIC_CLASSES
        or "author" in itemprop
        or _GENERIC_ID.search(element_id)
        or _GENERIC_CLASS.search(element_class)
    ):
        met.append(1)
    if (
        "Byline" in get("data-component", "")
        or "author" in itemprop
        or _ANY_ID.search(element_id)
        or _ANY_CLASS.search(element_class)
    ):
        met.append(2)
    return met


def _text_without(element: HtmlElement, gone: set[HtmlElement]) -> str:
    """`element`'s text as trafilatura reads it once the discarded regions are pruned from the
    page: each one's tail text kept, joined to what precedes it (the order of the deletions
    does not change the result)."""
    inside = [node for node in element.iterdescendants() if node in gone]
    if not inside:
        return " ".join(element.itertext())
    clone = deepcopy(element)
    twins = dict(zip(element.iter(), clone.iter(), strict=True))
    for node in inside:
        delete_element(twins[node])
    return " ".join(clone.itertext())


def find_author(tree: HtmlElement) -> str | None:
    """The author named in the page body, by trafilatura's rules (`extract_author`): the same
    answer on the same tree, without copying the tree or calling Python from XPath."""
    others = set(tree.xpath(_OTHER_ATTRIBUTES))
    gone: set[HtmlElement] = set()  # what trafilatura prunes before its author rules run
    candidates: tuple[list, list, list] = ([], [], [])
    for element in tree.xpath(_ELEMENTS):
        tag = element.tag
        if tag in _DISCARD_TAGS:
            gone.add(element)
            continue
        element_class, element_id = element.get("class", ""), element.get("id", "")
        if not (
            element_class in _MENTIONED_CLASSES
            or element_id in _MENTIONED_IDS
            or _MENTIONED_CLASS.search(element_class)
            or _MENTIONED_ID.search(element_id)
            or element in others
        ):
            continue
        if _is_discarded(element, tag, element_id, element_class):
            gone.add(element)
        for rule in _author_rules(element, tag, element_id, element_class):
            candidates[rule].append(element)
    for rule in candidates:
        for element in rule:
            if element in gone or any(parent in gone for parent in element.iterancestors()):
                continue
            content = trim(_text_without(element, gone))
            if content and 2 < len(content) < _AUTHOR_MAX_CHARS:
                return normalize_authors(None, content)
    return None


_HOST = re.compile(r"https?://(?:www\d*\.)?([^/:?#]+)", re.IGNORECASE)


def page_metadata(tree: HtmlElement, url: str | None, date_params: dict[str, Any]) -> Document:
    """The metadata the articles table has columns for, from a parsed page.

    trafilatura's own steps in its own order (meta tags, JSON-LD, title, author, URL, htmldate,
    site name), minus the categories, tags and licence `bare_extraction(with_metadata=True)`
    also looks for: there is no column for them and they are a fifth of its metadata cost.
    """
    meta = examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None  # a one-word author tag is a handle or a site name (as in trafilatura)
    try:
        meta = extract_meta_json(tree, meta)
    except Exception as exc:  # odd JSON-LD must not cost the page its text
        _LOGGER.debug("JSON-LD metadata unreadable: %s", exc)
    meta.title = meta.title or extract_title(tree)
    meta.author = meta.author or find_author(tree)
    meta.url = meta.url or extract_url(tree, url)
    meta.date = find_date(tree, **{**date_params, "url": meta.url})
    meta.sitename = meta.sitename or extract_sitename(tree)
    if meta.sitename:
        meta.sitename = meta.sitename.lstrip("@")
        if meta.sitename and "." not in meta.sitename and not meta.sitename[0].isupper():
            meta.sitename = meta.sitename.title()
    elif meta.url and (host := _HOST.match(meta.url)):
        meta.sitename = host.group(1)
    meta.clean_and_trim()
    return meta
