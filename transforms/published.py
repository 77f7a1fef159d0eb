"""When an article was published, as precisely as its page states it, and how precisely.

The page's own declarations come first, in this order: the JSON-LD article's `datePublished`,
the publication meta tags (`article:published_time` and the like), an `itemprop=datePublished`
element, then a `<time datetime>` inside the `<article>` that holds the first `<h1>` (without
an `<article>`, the first one after the `<h1>` within two levels around it). The first of
them fixes the day: a date elsewhere on the page (a related story's teaser) cannot move it.
Among the declarations and htmldate's answer that fall on that day, the most precise wins:
a time with its UTC offset, then a clock time without one, then the bare date. htmldate alone
decides only when the page declares nothing.

A time without an offset is never passed off as UTC: its precision says `local`.
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from enum import Enum

import dateutil.parser
from lxml.html import HtmlElement

__all__ = ["Precision", "Published", "find_published", "parse_timestamp"]


class Precision(str, Enum):
    """How much of `published_at` the page stated."""

    INSTANT = "instant"  # a time with its UTC offset (or in UTC): the exact moment
    LOCAL = "local"  # a clock time without an offset: stored as if UTC, the true moment unknown
    DAY = "day"  # only the date: stored as 00:00 UTC of that date


# Finer first: a candidate replaces the chosen one only when it ranks higher.
_RANK = {Precision.DAY: 0, Precision.LOCAL: 1, Precision.INSTANT: 2}

# Meta tag names (property, name or itemprop, lower case) that state the publication time.
PUBLISHED_NAMES = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "date.published",
    "publishdate",
    "pubdate",
    "dc.date.issued",
    "dcterms.created",
    "article:published",
    "article.published",
    "published",
    "pub_date",
    "parsely-pub-date",
    "sailthru.date",
)
_EARLIEST = date(1990, 1, 1)
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_SCRIPT_DATE = re.compile(
    r"^[A-Za-z]{3} ([A-Za-z]{3}) (\d{1,2}) (\d{4}) (\d{2}:\d{2}:\d{2}) GMT([+-]\d{4})"
)
# Zone abbreviations news pages write after a time, and their UTC offsets in seconds ("IST" is
# India's: the Irish one is rarely written out).
_ZONE_OFFSETS = {
    **dict.fromkeys(("UTC", "GMT", "Z", "WET"), 0),
    **{"BST": 3600, "CET": 3600, "MEZ": 3600, "WEST": 3600, "CEST": 7200, "MESZ": 7200},
    **{"EET": 7200, "EEST": 10800, "MSK": 10800, "IST": 19800, "PKT": 18000, "WIB": 25200},
    **{"HKT": 28800, "SGT": 28800, "PHT": 28800, "JST": 32400, "KST": 32400},
    **{"AEST": 36000, "AEDT": 39600, "NZST": 43200, "NZDT": 46800},
    **{"EST": -18000, "EDT": -14400, "CST": -21600, "CDT": -18000, "MST": -25200},
    **{"MDT": -21600, "PST": -28800, "PDT": -25200, "AKST": -32400, "HST": -36000},
    **{"ART": -10800, "BRT": -10800, "CLT": -14400},
}
_ZONE_ABBREVIATION = re.compile(r"\b(?:" + "|".join(_ZONE_OFFSETS) + r")\b")
_RFC_2822 = re.compile(r"^(?:[A-Za-z]{3}, )?\d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_ZONE_NAME = re.compile(r"\s*\b(?:UTC|GMT)$")
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATELINE_LEVELS = 2
_ITEMPROP_PUBLISHED = "//*[@itemprop='datePublished'][@datetime or @content]"


@dataclass(frozen=True)
class Published:
    """A publication time: `at` is aware UTC (see `Precision` for what it means when the offset
    is unknown); `offset_minutes` is the UTC offset the page stated, None when it stated none."""

    at: datetime
    precision: Precision
    offset_minutes: int | None = None

    @property
    def clock(self) -> datetime:
        """The date and clock time as the page states them (in its own offset), naive."""
        shift = timedelta(minutes=self.offset_minutes or 0)
        return (self.at + shift).replace(tzinfo=None)


def parse_timestamp(value: str | None, today: date | None = None) -> Published | None:
    """A stated time (ISO 8601 in its common forms, or RFC 2822), or None when it is not one
    or falls outside 1990 to tomorrow."""
    if not value:
        return None
    value = value.strip()
    if len(value) < 8:
        return None
    parsed = None
    script_date = _SCRIPT_DATE.match(value)  # JavaScript's Date.toString()
    if script_date and script_date.group(1).lower() in _MONTHS:
        month, day, year, clock, offset = script_date.groups()
        value = f"{year}-{_MONTHS.index(month.lower()) + 1:02d}-{int(day):02d}T{clock}{offset}"
    if value[:1].isdigit():  # "2019-11-19 02:24:00 UTC"
        value = _ZONE_NAME.sub("+00:00", value)
    try:
        parsed = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        parsed = _rfc_2822(value) if _RFC_2822.match(value) else _with_zone_name(value)
    if parsed is None:
        return None
    latest = (today or datetime.now(timezone.utc).date()) + timedelta(days=1)
    if not _EARLIEST <= parsed.date() <= latest:
        return None
    if _DATE_ONLY.match(value):
        return Published(parsed.replace(tzinfo=timezone.utc), Precision.DAY)
    if parsed.tzinfo is None:
        return Published(parsed.replace(tzinfo=timezone.utc), Precision.LOCAL)
    offset = parsed.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    return Published(parsed.astimezone(timezone.utc), Precision.INSTANT, minutes)


def _rfc_2822(value: str) -> datetime | None:
    try:
        return email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


def _with_zone_name(value: str) -> datetime | None:
    """A time written out with a zone's abbreviation ("November 19, 2019, 07:47 PM EST"), or
    None. Only with a year and a known zone: dateutil fills what is missing from today."""
    zone = _ZONE_ABBREVIATION.search(value)
    if not zone or not _YEAR.search(value):
        return None
    try:
        return dateutil.parser.parse(value, tzinfos=_ZONE_OFFSETS)
    except (ValueError, OverflowError):
        return None


def _parse_htmldate(value: str | None, today: date | None) -> Published | None:
    """htmldate's answer: it reports a date without a time as local midnight."""
    found = parse_timestamp(value, today)
    if found is not None and found.precision is Precision.LOCAL and found.at.time() == time.min:
        return Published(found.at, Precision.DAY)
    return found


def declared_values(
    tree: HtmlElement | None,
    head: Iterable[tuple[str, dict[str, str]]],
    jsonld_date: str | None,
) -> Iterator[str]:
    """The publication times the page declares for its own article, most trusted first. Lazy:
    the page's body is searched only if the JSON-LD and the meta tags do not settle it."""
    if jsonld_date:
        yield jsonld_date
    metas: dict[str, str] = {}
    for name, attrs in head:
        if name != "meta":
            continue
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if key in PUBLISHED_NAMES and attrs.get("content"):
            metas.setdefault(key, attrs["content"])
    yield from (metas[key] for key in PUBLISHED_NAMES if key in metas)
    if tree is None:
        return
    for element in tree.xpath(_ITEMPROP_PUBLISHED):
        yield element.get("datetime") or element.get("content")
    h1 = next(tree.iter("h1"), None)
    if h1 is None:
        return
    article = next(h1.iterancestors("article"), None)
    if article is not None:
        for element in article.iter("time"):
            if element.get("datetime"):
                yield element.get("datetime")
        return
    # No <article>: the first dated <time> after the headline, close to it (a dateline under
    # the h1's header); one before the headline, or farther away, belongs to something else.
    for ancestor in list(h1.iterancestors())[:_DATELINE_LEVELS]:
        if ancestor.tag in ("body", "html"):
            break
        if found := _first_time_after(ancestor, h1):
            yield found
            return


def _first_time_after(container: HtmlElement, h1: HtmlElement) -> str | None:
    passed = False
    for element in container.iter():
        if element is h1:
            passed = True
        elif passed and element.tag == "time" and element.get("datetime"):
            return element.get("datetime")
    return None


def find_published(
    declared: Iterable[str],
    htmldate: Callable[[], str | None] | str | None,
    today: date | None = None,
) -> Published | None:
    """The publication time from the page's declarations and htmldate's answer (see above).
    `htmldate` may be a function: it is called only when the declarations leave the time open."""
    stated = (p for p in (parse_timestamp(v, today) for v in declared) if p is not None)
    chosen = next(stated, None)
    if chosen is not None and chosen.precision is Precision.INSTANT:
        return chosen  # nothing can be more precise
    guessed = _parse_htmldate(htmldate() if callable(htmldate) else htmldate, today)
    if chosen is None:
        # htmldate's extensive search falls back to a bare year (a copyright line, a year in the
        # text) and reports it as 1 January: that is not a publication date.
        if (
            guessed is not None
            and guessed.precision is Precision.DAY
            and (guessed.at.month, guessed.at.day) == (1, 1)
        ):
            return None
        return guessed
    for candidate in [*stated, *([guessed] if guessed else [])]:
        if _RANK[candidate.precision] > _RANK[chosen.precision] and _agrees(chosen, candidate):
            chosen = candidate
    return chosen


def _agrees(coarse: Published, fine: Published) -> bool:
    """Whether `fine` states the same moment as `coarse`, more precisely: the same day for a
    date; the same clock time to the minute (in `fine`'s offset or in UTC) for a local time."""
    if coarse.precision is Precision.DAY:
        return coarse.at.date() in (fine.clock.date(), fine.at.date())
    minute = coarse.clock.replace(second=0, microsecond=0)
    return minute in (
        fine.clock.replace(second=0, microsecond=0),
        fine.at.replace(tzinfo=None, second=0, microsecond=0),
    )
