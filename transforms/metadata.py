"""A page's metadata (title, author, site name, URL, date) from its parsed tree, for extraction.

`page_metadata()` runs trafilatura's own metadata steps in trafilatura's order, except the
author search in the page body, which `find_author()` does with trafilatura's rules at half the
cost (bench/author_search.py). trafilatura copies the whole tree, prunes it, then tries three
XPath expressions whose regular expressions call back into Python for every element. Here one
pass over the elements that have the attributes those rules read gives the same answer; a test
holds the two equal on every page of the extraction benchmark, so a trafilatura release that
changes its rules fails that test rather than drifting in silence. `body_byline()` gives the
same byline as names closer to how the page writes them, for the `authors` column.

The headline (`headline()`) and the authors as people (`people()`) are chosen from these and
from the page's JSON-LD (transforms/jsonld.py).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from copy import deepcopy
from typing import Any

from htmldate import find_date
from lxml.etree import XPath
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

__all__ = [
    "body_byline",
    "declared_publishers",
    "declared_titles",
    "find_author",
    "find_byline",
    "h1_texts",
    "headline",
    "htmldate",
    "page_metadata",
    "people",
    "site_names",
    "squeeze",
    "strip_site_affixes",
]

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
# or id no rule mentions; the `_MENTIONED_*` tests set those aside before any other test. An
# element with an attribute is reached from the attribute (`//@rel/parent::*`): the same elements
# as `//*[@rel]`, in the same order, at a third to a half of libxml2's cost, which tests the
# predicate on every element.
_OTHER_ATTRIBUTES = XPath(
    "//@rel/parent::* | //@itemprop/parent::* | //@data-testid/parent::*"
    " | //@data-component/parent::* | //author | //rel/parent::*"
)
_ELEMENTS = XPath(
    f"//@class/parent::* | //@id/parent::* | //time | //figure | {_OTHER_ATTRIBUTES.path}"
)
_MENTIONED_CLASS = re.compile(
    "|".join(p.pattern for p in (_DISCARD_CLASS, _SPECIFIC_CLASS, _GENERIC_CLASS, _ANY_CLASS))
)
_MENTIONED_ID = re.compile("|".join(p.pattern for p in (_DISCARD_ID, _GENERIC_ID, _ANY_ID)))
_MENTIONED_CLASSES = {*_DISCARD_CLASSES, *_GENERIC_CLASSES, "author"}
_MENTIONED_IDS = {*_DISCARD_IDS, "author"}

# An element meets one of the author rules (`_author_rules`) only if an attribute they read holds
# one of these words (each rule's words, or a part of them: "uthor" for author, Author,
# authorName, AuthorCard; "yline" for byline, Byline), or it is an <author> element, or one with
# a <rel> child. A page where none does has no byline to find, and most pages without one are
# told in a fraction of the rules' cost (the attribute values are read as plain strings).
_AUTHOR_WORDS = re.compile(
    "uthor|yline|byl|BBL|username|screenname|writer|zuozhe|bianji|xiaobian|channel-name|"
    "submitted-by|posted-by|journalist-name"
)
_RULE_ATTRIBUTES = (
    XPath("//@class", smart_strings=False),
    XPath("//@id", smart_strings=False),
    XPath("//@rel | //@itemprop | //@data-testid | //@data-component", smart_strings=False),
)
_RULE_ELEMENTS = XPath("boolean(//author | //rel)")


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
    written = find_byline(tree)
    return normalize_authors(None, written) if written else None


_HANDLE = re.compile(r"^\S*[\d_@]\S*$")
_INITIAL = re.compile(r"\b(\w) ")


def body_byline(tree: HtmlElement) -> str | None:
    """`find_author`'s names, kept closer to how the page writes them: a lone handle
    ("jdoe84") is no name, and an initial keeps its full stop ("Ann J. Lee", which
    trafilatura's normalisation writes "Ann J Lee")."""
    written = find_byline(tree)
    if not written or _HANDLE.match(written):
        return None
    found = normalize_authors(None, written)
    if not found:
        return None
    spaced = " ".join(written.split())
    names = []
    for name in found.split("; "):
        dotted = _INITIAL.sub(r"\1. ", name)
        names.append(dotted if dotted != name and dotted in spaced else name)
    return "; ".join(names)


def _may_name_an_author(tree: HtmlElement) -> bool:
    """False when no element of the page can meet an author rule (see `_AUTHOR_WORDS`)."""
    return bool(
        any(_AUTHOR_WORDS.search(" ".join(values(tree))) for values in _RULE_ATTRIBUTES)
        or _RULE_ELEMENTS(tree)
    )


def find_byline(tree: HtmlElement) -> str | None:
    """The text of the page body's byline as trafilatura's author rules find it, before
    trafilatura normalises it into names."""
    if not _may_name_an_author(tree):
        return None
    others = set(_OTHER_ATTRIBUTES(tree))
    gone: set[HtmlElement] = set()  # what trafilatura prunes before its author rules run
    candidates: tuple[list, list, list] = ([], [], [])
    for element in _ELEMENTS(tree):
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
                return content
    return None


def htmldate(tree: HtmlElement, url: str | None, date_params: dict[str, Any]) -> str | None:
    """htmldate's publication date of the page, as trafilatura asks for it."""
    return find_date(tree, **{**date_params, "url": url})


_HOST = re.compile(r"https?://(?:www\d*\.)?([^/:?#]+)", re.IGNORECASE)


def page_metadata(
    tree: HtmlElement,
    url: str | None,
    date_params: dict[str, Any] | None = None,
    search_body: bool = True,
    json_ld: bool = True,
    publisher: str | None = None,
) -> Document:
    """The metadata the articles table has columns for, from a parsed page.

    trafilatura's own steps in its own order (meta tags, JSON-LD, title, author, URL, htmldate,
    site name), minus the categories, tags and licence `bare_extraction(with_metadata=True)`
    also looks for: there is no column for them and they are a fifth of its metadata cost.
    htmldate runs only with `date_params`: extraction asks it only when the page's own
    declarations leave the time open (transforms/published.py). Without `search_body`, the
    author is only what the meta tags and JSON-LD say (the caller searches the body itself).
    Without `json_ld`, the JSON-LD is not read (the caller has read it: transforms/jsonld.py)
    and its `publisher` is the site name when no meta tag names the site.
    """
    meta = examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None  # a one-word author tag is a handle or a site name (as in trafilatura)
    if json_ld:
        try:
            meta = extract_meta_json(tree, meta)
        except Exception as exc:  # odd JSON-LD must not cost the page its text
            _LOGGER.debug("JSON-LD metadata unreadable: %s", exc)
    else:
        meta.sitename = meta.sitename or publisher
    meta.title = meta.title or extract_title(tree)
    if search_body:
        meta.author = meta.author or find_author(tree)
    meta.url = meta.url or extract_url(tree, url)
    if date_params is not None:
        meta.date = htmldate(tree, meta.url, date_params)
    meta.sitename = meta.sitename or extract_sitename(tree)
    if meta.sitename:
        meta.sitename = meta.sitename.lstrip("@")
        if meta.sitename and "." not in meta.sitename and not meta.sitename[0].isupper():
            meta.sitename = meta.sitename.title()
    elif meta.url and (host := _HOST.match(meta.url)):
        meta.sitename = host.group(1)
    meta.clean_and_trim()
    return meta


# -- the headline and the people who wrote it ------------------------------------------------------

# Separators between a headline and the site's name or section in <title> and og:title: a bar
# with or without spaces, a dash, colon, bullet or guillemet with spaces around it.
_TITLE_SEPARATOR = re.compile(r"(\s*\|\s*|\s+[-\u2013\u2014:\u00b7\u2022\u00bb/]\s+)")
_DATE_SEGMENT = re.compile(
    r"^\s*(\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}\.? \w+ \d{4}"
    r"|\w+ \d{1,2}, \d{4})\s*$"
)
_BY_SEGMENT = re.compile(r"^\s*(by|von|par|por|di|door|av|af)\s+\S", re.IGNORECASE)
_NOT_LETTERS = re.compile(r"[\W_]+")
_HOST_LABELS = re.compile(r"^(?:www\d*|m|amp|mobile|news|edition)\.")
_MIN_HEADLINE_CHARS = 8


def squeeze(text: str) -> str:
    """Letters and digits only, case-folded: "The Coastal-Ledger" and "coastal ledger" meet."""
    squeezed = _NOT_LETTERS.sub("", text.casefold())
    return squeezed.removeprefix("the") if len(squeezed) > 6 else squeezed


def site_names(*names: str | None, url: str | None = None) -> set[str]:
    """The site's names, squeezed: `og:site_name`, the JSON-LD and meta publishers, the host and
    its main label (`dw.com` gives `dwcom` and `dw`)."""
    found = {squeeze(name) for name in names if name}
    if url and (host := _HOST.match(url)):
        domain = _HOST_LABELS.sub("", host.group(1).lower())
        found |= {squeeze(domain), squeeze(domain.split(".")[0])}
    return {name for name in found if len(name) >= 2}


def _names_the_site(segment: str, names: set[str]) -> bool:
    squeezed = squeeze(segment)
    if not squeezed:
        return True
    if squeezed in names:
        return True
    # "DW.COM", "Deutsche Welle (www.dw.com)", "Harbour Post Online": a site name inside a
    # short segment; a long one with it inside is a headline about the site.
    return len(segment.split()) <= 5 and any(len(name) >= 4 and name in squeezed for name in names)


def _is_affix(segment: str, names: set[str]) -> bool:
    """A part of a page title that is not the headline: the site, a date, a byline."""
    return bool(
        _names_the_site(segment, names)
        or _DATE_SEGMENT.match(segment)
        or (_BY_SEGMENT.match(segment) and len(segment.split()) <= 6)
    )


def strip_site_affixes(title: str, names: set[str]) -> str:
    """`title` without the site name, date and byline parts at its start and end
    (`Port reopens | Harbour Post | 28.04.2023` gives `Port reopens`)."""
    parts = _TITLE_SEPARATOR.split(title)  # headline parts at even indexes, separators between
    while len(parts) > 2 and _is_affix(parts[-1], names):
        del parts[-2:]
    while len(parts) > 2 and _is_affix(parts[0], names):
        del parts[:2]
    return "".join(parts).strip()


def h1_texts(tree: HtmlElement) -> list[str]:
    """The texts of the page's first three `<h1>` elements."""
    texts = []
    for element in tree.iter("h1"):
        text = " ".join(" ".join(element.itertext()).split())
        if text:
            texts.append(text)
            if len(texts) == 3:
                break
    return texts


_TITLE_META = ("og:title", "twitter:title")
_PUBLISHER_META = ("publisher", "dc.publisher", "article:publisher", "application-name")


def declared_publishers(head: list[tuple[str, dict[str, str]]]) -> list[str]:
    """The publisher's names the `<meta>` tags state (`publisher`, `DC.publisher`, ...; web
    addresses left out). `head` is the page's (tag name, attributes) of its <meta> tags."""
    found = []
    for name, attrs in head:
        key = (attrs.get("property") or attrs.get("name") or "").lower()
        if name == "meta" and key in _PUBLISHER_META:
            text = " ".join(attrs.get("content", "").split())
            if text and not text.startswith("http"):
                found.append(text)
    return found


def declared_titles(tree: HtmlElement, head: list[tuple[str, dict[str, str]]]) -> list[str]:
    """og:title, twitter:title and <title>, in that order. `head` is the page's (tag name,
    attributes) of its <meta> tags."""
    found = []
    for wanted in _TITLE_META:
        for name, attrs in head:
            if name == "meta" and (attrs.get("property") or attrs.get("name")) == wanted:
                text = " ".join(attrs.get("content", "").split())
                if text:
                    found.append(text)
                break
    for element in tree.iter("title"):
        text = " ".join(" ".join(element.itertext()).split())
        if text:
            found.append(text)
        break
    return found


_HEADLINE_WORDS = 4
_SECTION_WORDS = 4
_UNSPACED_HEADLINE_CHARS = 12


def _looks_like_headline(text: str) -> bool:
    """Long enough to be a headline rather than a section name or a logo."""
    if " " not in text:  # scripts written without spaces (one word in Latin is a section)
        return not text.isascii() and len(text) >= _UNSPACED_HEADLINE_CHARS
    return len(text.split()) >= _HEADLINE_WORDS


def _site_ends(title: str, titles: list[str]) -> list[str]:
    """The first or last part of a title of several parts when the rest of it is one of
    `titles` (squeezed): "Headline | Site" gives "Site" when "Headline" is declared too."""
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) < 3:
        return []
    ends = []
    if squeeze("".join(parts[2:])) in titles:
        ends.append(parts[0])
    if squeeze("".join(parts[:-2])) in titles:
        ends.append(parts[-1])
    return ends


def headline(
    h1s: list[str],
    titles: list[str],
    meta_title: str | None,
    jsonld_headline: str | None,
    names: set[str],
) -> str | None:
    """The article's headline: the page's `<h1>` (`h1s`) when a title the page declares (the
    JSON-LD headline, og:title, twitter:title, <title>: `titles`) starts or ends with it; else
    that declared title when the first `<h1>` is it with up to four words of a section name
    before or after it; else the first `<h1>` if it is long enough to be a headline (four
    words) and names no site; else the first of the declared titles without the site's name,
    date or byline around it; trafilatura's `meta_title` last."""
    declared = [jsonld_headline] if jsonld_headline else []
    declared += titles
    squeezed = [squeeze(title) for title in declared]  # not trafilatura's: it may be the h1
    declared += [meta_title] if meta_title else []
    # A short h1 that ends a declared title whose other part is another declared title is the
    # site's name in a logo ("The Tribune" beside "Two gunned down | The Tribune").
    logos = {squeeze(end) for title in declared for end in _site_ends(title, squeezed)}
    shown = [
        t
        for t in h1s
        if len(t) >= _MIN_HEADLINE_CHARS
        and not _is_affix(t, names)
        and not (len(t.split()) < _HEADLINE_WORDS and squeeze(t) in logos)
    ]
    for text in shown:
        h1 = squeeze(text)
        if any(title.startswith(h1) or title.endswith(h1) for title in squeezed):
            return text
    # An h1 that holds a declared headline after (or before) a few words more: a section or
    # series name set in the same element ("Local News | Port reopens").
    for text in shown[:1]:
        h1 = squeeze(text)
        for title in declared:
            cleaned = strip_site_affixes(title, names)
            core = squeeze(cleaned)
            extra = len(text.split()) - len(cleaned.split())
            if (
                _looks_like_headline(cleaned)
                and 0 < extra <= _SECTION_WORDS
                and core != h1
                and (h1.endswith(core) or h1.startswith(core))
            ):
                return cleaned
    # A headline the page shows that no title declares: the declared titles are written for
    # search engines and sharing; the reader sees the h1.
    if shown and _looks_like_headline(shown[0]):
        return shown[0]
    for title in declared:
        cleaned = strip_site_affixes(title, names)
        if cleaned:
            return cleaned
    return None


# A byline that names an agency or a desk, not a person (lower case, squeezed).
_NOT_PEOPLE = {
    "reuters",
    "afp",
    "ap",
    "dpa",
    "apa",
    "ansa",
    "efe",
    "associatedpress",
    "agencefrancepresse",
    "staff",
    "staffwriter",
    "staffreporter",
    "staffreports",
    "redaktion",
    "editorialstaff",
    "editorial",
    "newsroom",
    "newsdesk",
    "admin",
    "administrator",
    "agencies",
    "webdesk",
    "onlineredaktion",
    # "anonymous" and the newsroom in the sources' languages
    "anonymous",
    "anonym",
    "anonyme",
    "anónimo",
    "anonimo",
    "anonim",
    "redacción",
    "redaccion",
    "redazione",
    "rédaction",
    "redakcja",
    "redactie",
    # placeholders for no author
    "noauthor",
    "unknown",
    "unbekannt",
    "desconocido",
    "inconnu",
}
# A word that makes a byline a desk, a company or a wire service, not a person ("Staff and news
# service reports", "Perform Media Deutschland GmbH", "Redacción EC").
_DESK_WORDS = {
    *("staff", "reports", "wire", "desk", "newsroom", "team", "agency", "agencies", "media"),
    *("news", "service", "services", "bureau"),
    *("redaktion", "redacción", "redaccion", "redazione", "rédaction", "redakcja", "zespół"),
    *("gmbh", "mbh", "ag", "kg", "ltd", "limited", "inc", "llc", "plc", "corp", "verlag"),
}
# Words a name holds in lower case between capitalised ones ("Ludwig van Beethoven").
_NAME_PARTICLES = {
    *("von", "van", "vom", "zu", "der", "den", "de", "del", "della", "di", "da", "das", "dos"),
    *("du", "des", "la", "le", "y", "e", "bin", "ibn", "al", "el", "ter", "ten", "af", "av"),
}
# An article opening a byline names a thing ("The Water Coolest"), not a person.
_ARTICLE_WORDS = {"the", "der", "die", "das", "les", "los"}
_URL_LIKE = re.compile(r"https?\b|www\.|\bwww\b|\.(?:com|org|net|de|at|ch|co|uk|ru|fr|io)\b", re.I)
_AUTHOR_SEPARATOR = re.compile(r"\s*;\s*|\s+(?:(?i:and|und|et)|&|y|e|i|и)\s+|\s*,\s+(?=\S+\s+\S)")
# Inside one name: a role, an employer or a site after a comma, a bar or "for" ("Troy Smith,
# Cleveland.com", "Amy Lee | NJ Advance Media", "Ann Lee for The Sunday Post"): only the
# first part can be the person.
_NAME_PARTS = re.compile(r"\s*[|,]\s*|\s+(?i:for|für|pour|para)\s+")
_BYLINE_PREFIX = re.compile(
    r"^(?:(?:written )?by|von|par|por|di|door|av|af|от|текст|автор|author|auteur|autor|autore"
    r"|autorin|autora|escrito por|écrit par)\s*:?\s+",
    re.I,
)
# A job title or an agency after the name ("Tom Gillespie News reporter", "Eric Tucker
# Associated Press").
_ROLE_SUFFIX = re.compile(
    r"\s+(?:(?:senior|chief|staff|news|auto|business|political|sports?|special)\s+)?"
    r"(?:reporter|writer|correspondent|editor|columnist|contributor|journalist)s?$"
    r"|\s+(?:associated press|reuters|afp|ap)$"
    r"|\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)$",
    re.I,
)
_MAX_AUTHOR_WORDS = 5


def _is_person(name: str, names: set[str]) -> bool:
    words = name.split()
    if _URL_LIKE.search(name) or len(words) > _MAX_AUTHOR_WORDS:
        return False
    if len(words) > 1 and words[0].casefold() in _ARTICLE_WORDS:
        return False
    if any(word.casefold().strip(".,") in _DESK_WORDS for word in words):
        return False
    # Capitalised words beside lower-case ones that are no particle: a phrase of the text
    # ("Syrian defense ministries"), not a name.
    if any(word[0].isupper() for word in words) and any(
        word[0].islower() and word not in _NAME_PARTICLES for word in words
    ):
        return False
    squeezed = squeeze(name)
    if not squeezed or squeezed in _NOT_PEOPLE or squeezed.isdigit() or "admin" in squeezed:
        return False
    # The site's own name, or a part of it ("Beachbody" for "The Beachbody Blog").
    if len(squeezed) >= 5 and any(squeezed in site for site in names):
        return False
    return not _names_the_site(name, names)


def _person_in(name: str, names: set[str]) -> str | None:
    """The person a byline entry names, without a "By", a role, an employer or the site after
    it; None if none."""
    name = _BYLINE_PREFIX.sub("", " ".join(name.split())).strip(" ,;|-")
    name = _NAME_PARTS.split(name, maxsplit=1)[0]
    name = _without_site_after(_ROLE_SUFFIX.sub("", name).strip(" ,;|-"), names)
    return name if name and _is_person(name, names) else None


def _without_site_after(name: str, names: set[str]) -> str:
    """`name` without the site or a desk written after it ("Ann Lee Harbour Post Staff" gives
    "Ann Lee"), when a capitalised name of two words or more stays."""
    words = name.split()
    for cut in range(2, len(words)):
        if not all(word[0].isupper() for word in words[:cut]):
            break
        core = [word for word in words[cut:] if word.casefold() not in _DESK_WORDS]
        if not core or squeeze(" ".join(core)) in names:
            return " ".join(words[:cut])
    return name


def _adds_people(
    stated: list[str], written: list[str], page_byline: Callable[[], str | None] | None
) -> bool:
    """Whether `written` names the people of `stated` and others the page's byline shows."""
    known = {name.casefold() for name in stated}
    if len(written) <= len(stated) or not known <= {name.casefold() for name in written}:
        return False
    shown = " ".join(((page_byline() if page_byline else None) or "").casefold().split())
    return all(name.casefold() in shown for name in written if name.casefold() not in known)


def _names_in(entries: list[str], names: set[str]) -> list[str]:
    found: list[str] = []
    for entry in entries:
        for part in _AUTHOR_SEPARATOR.split(entry):
            name = _person_in(part, names)
            if name and name not in found:
                found.append(name)
    return found


def people(
    jsonld_people: list[str],
    byline: str | None,
    names: set[str],
    full_names: bool = False,
    page_byline: Callable[[], str | None] | None = None,
) -> list[str]:
    """The article's authors as people: the JSON-LD article's `Person` authors when one of them
    is a person (unless the byline found in the meta tags or the page names them and more), else
    that byline, each split into names. The names the byline adds must be in the byline the
    page shows (`page_byline`, asked only then): a meta tag also names the publisher's company.
    Site, agency and newsroom names, "anonymous", roles, fragments of URLs, names opening with
    an article ("The ...") and phrases mixing capitalised and lower-case words ("Syrian defense
    ministries") are left out; a one-word name beside
    full names is a publication or a handle and is left out too (with `full_names`, for a
    byline found in the page body, where a single word is as often a place or a month, every
    one-word name is)."""
    stated = _names_in(jsonld_people, names)
    written = _names_in([byline] if byline else [], names)
    # The byline names the JSON-LD's people and more: the JSON-LD kept only the first author.
    found = written if not stated or _adds_people(stated, written, page_byline) else stated
    if full_names or any(" " in name for name in found):
        found = [name for name in found if " " in name]
    return found
