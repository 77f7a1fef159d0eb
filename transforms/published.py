"""When an article was published, as precisely as its page states it, and how precisely.

The page's own declarations come first, in this order: the JSON-LD article's `datePublished`,
the publication meta tags (`article:published_time` and the like), an `itemprop=datePublished`
element, then a `<time datetime>` inside the `<article>` that holds the first `<h1>` (without
an `<article>`, the first one after the `<h1>` within two levels around it). The first of
them fixes the day: a date elsewhere on the page (a related story's teaser) cannot move it.
Among the declarations and htmldate's answer that fall on that day, the most precise wins:
a time with its UTC offset, then a clock time without one, then the bare date. htmldate alone
decides only when the page declares nothing.

Then the dateline the reader sees beside the headline (`shown_dateline`: "Published 11:11 PM
EST Nov 19, 2019", "12.05.2023, 14:30 Uhr"; times marked as updates left out) is checked
against that choice. With a zone and within two days of it, it wins over a bare date or a clock
time without offset, and over a declared instant it contradicts (a server's local clock
labelled UTC), unless it shows the declared clock time itself (a page printing "GMT" all year)
or another declaration states its moment (two declared offsets for one clock time: the one the
reader sees wins). Without a zone, it only refines a bare date of the same day to a `local`
clock time. When the page declares nothing, the dateline comes before htmldate's guess.

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
from lxml.etree import XPath
from lxml.html import HtmlElement

from newsbeam.transforms.metadata import squeeze

__all__ = ["Precision", "Published", "find_published", "parse_timestamp", "shown_dateline"]


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
# `//*[@itemprop='datePublished'][@datetime or @content]`, reached from the attribute: the same
# elements at less than half the cost.
_ITEMPROP_PUBLISHED = XPath("//@itemprop[. = 'datePublished']/parent::*[@datetime or @content]")


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
    for element in _ITEMPROP_PUBLISHED(tree):
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
    shown: Callable[[], Published | None] | Published | None = None,
) -> Published | None:
    """The publication time from the page's declarations, htmldate's answer and the dateline
    the page shows (see above). `htmldate` and `shown` may be functions: htmldate is called
    only when the declarations leave the time open."""
    stated = _Lazy(p for p in (parse_timestamp(v, today) for v in declared) if p is not None)
    chosen = stated.get(0)
    if chosen is None or chosen.precision is not Precision.INSTANT:
        chosen = _with_htmldate(chosen, stated, htmldate, today)
    dateline = shown() if callable(shown) else shown
    if dateline is None:
        return chosen
    if stated.get(0) is None and not (chosen and _same_minute(chosen.clock, dateline.clock)):
        # Only htmldate's guess, which a date elsewhere on the page (a print date, a teaser)
        # can mislead: what the page shows under its headline comes first.
        return dateline
    return _with_dateline(chosen, dateline, stated)


class _Lazy:
    """The items of an iterator, read only as far as they are asked for."""

    def __init__(self, items: Iterator[Published]) -> None:
        self._items = items
        self._read: list[Published] = []

    def get(self, index: int) -> Published | None:
        while len(self._read) <= index:
            item = next(self._items, None)
            if item is None:
                return None
            self._read.append(item)
        return self._read[index]

    def __iter__(self) -> Iterator[Published]:
        index = 0
        while (item := self.get(index)) is not None:
            yield item
            index += 1


def _with_htmldate(
    chosen: Published | None,
    stated: _Lazy,
    htmldate: Callable[[], str | None] | str | None,
    today: date | None,
) -> Published | None:
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


def _with_dateline(chosen: Published | None, shown: Published, stated: _Lazy) -> Published | None:
    """The chosen time checked against the dateline the page shows under its headline."""
    if chosen is None:
        return shown
    near = abs(shown.at - chosen.at) <= _DATELINE_DRIFT
    if shown.precision is not Precision.INSTANT:
        # A clock time without a zone only refines a bare date of the same day.
        same_day = shown.at.date() == chosen.at.date()
        return shown if chosen.precision is Precision.DAY and same_day else chosen
    if chosen.precision is not Precision.INSTANT:
        return shown if near else chosen
    if _same_minute(chosen.at, shown.at) or _same_minute(chosen.clock, shown.clock):
        # The same moment, or the same clock time told with another zone: the declared
        # offset is the machine-readable one (a page printing "GMT" all year round).
        return chosen
    # Declarations disagree with what the reader sees: a declaration of the moment shown wins
    # (two declared offsets for one clock time), else the shown moment itself (a server's
    # local time labelled UTC).
    for other in stated:
        if other.precision is Precision.INSTANT and _same_minute(other.at, shown.at):
            return other
    return shown if near else chosen


def _same_minute(one: datetime, other: datetime) -> bool:
    return one.replace(second=0, microsecond=0) == other.replace(second=0, microsecond=0)


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


# -- the dateline the page shows -------------------------------------------------------------------

# Month names and their short forms in the languages of the sources (Polish in the genitive, as
# dates write it), lower case, without the abbreviation's full stop.
_MONTH_WORDS = (
    (
        "january jan januar jänner janv janvier enero ene gennaio gen stycznia styczeń januari "
        "janeiro"
    ),
    "february feb februar feber févr février fevrier febrero febbraio lutego luty februari "
    "fevereiro fev",
    "march mar märz mär mars marzo marca marzec maart mrt março",
    "april apr avril avr abril aprile kwietnia kwiecień",
    "may mai maj mayo maggio mag maja mei maio",
    "june jun juni juin junio giugno giu czerwca czerwiec junho",
    "july jul juli juil juillet julio luglio lug lipca lipiec julho",
    "august aug août aout agosto ago sierpnia sierpień augustus",
    "september sep sept septembre septiembre setiembre settembre set września wrzesień setembro",
    "october oct oktober okt octobre octubre ottobre ott października październik outubro",
    "november nov novembre noviembre listopada listopad novembro",
    "december dec dezember dez décembre decembre diciembre dic dicembre grudnia grudzień dezembro",
)
_MONTHS_BY_NAME = {
    word: number for number, words in enumerate(_MONTH_WORDS, 1) for word in words.split()
}
_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS_BY_NAME, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})"
_FULL_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"
_DATE_FORMS = [
    # 19 November 2019, 19. November 2019, 3 de mayo de 2022, 1er mai 2023
    re.compile(rf"(?<!\d){_DAY}(?:\.|er|º)?\s*(?:de\s+)?{_MONTH},?\s*(?:de\s+)?{_FULL_YEAR}", re.I),
    # November 19, 2019; Nov. 19th 2019
    re.compile(rf"\b{_MONTH}\s+{_DAY}(?:st|nd|rd|th)?,?\s+{_FULL_YEAR}", re.I),
    # 2019-11-19, 2019/11/19
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})(?!\d)"),
    # 19.11.2019 (day first); 11/19/2019 (month first where the day cannot be the first number)
    re.compile(
        r"(?<![\d.])(?P<first>\d{1,2})(?P<sep>[./])(?P<second>\d{1,2})(?P=sep)"
        r"(?P<year>(?:19|20)?\d\d)(?![\d.]\d)"
    ),
]
# US zones written without their daylight-saving letter ("3:05 PM ET"): offsets in standard time.
_US_ZONES = {"ET": -300, "CT": -360, "MT": -420, "PT": -480}
_ZONE = (
    r"(?P<zone>(?:GMT|UTC)\s*[+\-\u2212]\s*\d{1,2}(?::?\d{2})?|"
    + "|".join(sorted([*_ZONE_OFFSETS, *_US_ZONES], key=len, reverse=True))
    + r")(?![\w+\-])"
)
_CLOCK = re.compile(
    r"(?<![\d:.,])(?P<hour>\d{1,2})(?:[:h]|\.(?=\d\d\s*(?:Uhr|GMT|UTC|[A-Z]{2,4}\b)))"
    r"(?P<minute>[0-5]\d)(?P<seconds>:[0-5]\d(?:\.\d+)?)?(?![\d:])"
    # An ISO 8601 offset, only right after seconds ("17:13:04+02:00", not "12:00-14:00").
    r"(?P<numeric>(?<=\d)[+\-]\d\d:?\d\d(?!\d))?"
    r"(?:\s*(?P<half>(?i:[ap])\.?\s?(?i:m)\b\.?))?"
    rf"(?:\s*(?:Uhr|h\b))?(?:\s*\(?{_ZONE})?"
)
# Between a date and its clock time: spaces, punctuation, "at", "um", "à", a weekday; no digit.
_GAP = re.compile(r"[^\d]{0,30}")
# Words that mark a time as the last update, not the publication.
_UPDATED = re.compile(
    r"(?i:updated?|aktualisiert|geändert|stand|actualizad[oa]|actualización|mis à jour|"
    r"modifié|aggiornat[oa]|zaktualizowan[oy]|aktualizacja|bijgewerkt|atualizad[oa]|edited)"
    r"\W{0,3}(?:\w+\W{1,3}){0,2}$"
)
_DATE_REACH = 80  # characters from a clock time within which its date is written
_SHOWN_LEVELS = 6
_AFTER_CHARS = 700
_BEFORE_CHARS = 300
_DATELINE_DRIFT = timedelta(days=2)


def _texts(element: HtmlElement) -> Iterator[str]:
    """The text a reader sees in `element` and after it, in document order."""
    if isinstance(element.tag, str) and element.tag not in _NOT_SHOWN:
        if element.text:
            yield element.text
        for child in element:
            yield from _texts(child)
    if element.tail:
        yield element.tail


def _texts_backwards(element: HtmlElement) -> Iterator[str]:
    """`_texts(element)` from its end to its start."""
    if element.tail:
        yield element.tail
    if isinstance(element.tag, str) and element.tag not in _NOT_SHOWN:
        for child in reversed(element):
            yield from _texts_backwards(child)
        if element.text:
            yield element.text


_NOT_SHOWN = {"script", "style", "noscript", "template", "select", "option", "svg"}


def _nearby(h1: HtmlElement, backwards: bool) -> Iterator[str]:
    """The page's text after its headline, going up a few levels, or before it (read
    backwards) within the headline's own container: what precedes that is the site's header."""
    if not backwards and h1.tail:
        yield h1.tail
    node = h1
    for _ in range(1 if backwards else _SHOWN_LEVELS):
        for sibling in node.itersiblings(preceding=backwards):
            yield from _texts_backwards(sibling) if backwards else _texts(sibling)
        node = node.getparent()
        if node is None or node.tag in ("body", "html"):
            return


def _read(texts: Iterator[str], budget: int) -> list[str]:
    found = []
    for text in texts:
        found.append(text)
        budget -= len(text.strip())
        if budget <= 0:
            break
    return found


def _around(h1: HtmlElement) -> tuple[str, str]:
    """The page's text just before and just after its headline, spaces squeezed."""
    before = _read(_nearby(h1, backwards=True), _BEFORE_CHARS)
    after = _read(_nearby(h1, backwards=False), _AFTER_CHARS)
    return " ".join(" ".join(reversed(before)).split()), " ".join(" ".join(after).split())


def _headline_h1(tree: HtmlElement, headline: str | None) -> HtmlElement | None:
    """The `<h1>` that holds the headline, else the first one with text (an empty one, or one
    that is not the headline, holds the site's logo)."""
    wanted = squeeze(headline) if headline else ""
    first = None
    for h1 in tree.iter("h1"):
        text = squeeze(h1.text_content())
        if wanted and wanted in text:
            return h1
        first = first if first is not None or not text else h1
    return first


def _dates(text: str, start: int, end: int) -> Iterator[tuple[int, int, date]]:
    """(start, end, date) of each date written in `text[start:end]`."""
    for form in _DATE_FORMS:
        for match in form.finditer(text, start, end):
            found = match.groupdict()
            if "first" in found:
                first, second = int(found["first"]), int(found["second"])
                if found["sep"] == "." or first > 12 >= second:
                    day, month = first, second
                elif second > 12 >= first:
                    day, month = second, first
                else:
                    continue  # 03/05/2022: which number is the day depends on the country
            else:
                day, month = int(found["day"]), found["month"]
                month = int(month) if month.isdigit() else _MONTHS_BY_NAME[month.lower()]
            year = int(found["year"])
            year += 2000 if year < 100 else 0
            try:
                yield match.start(), match.end(), date(year, month, day)
            except ValueError:
                continue


def _zone_minutes(zone: str, day: date) -> int:
    if zone in _US_ZONES:
        return _US_ZONES[zone] + (60 if _us_summer_time(day) else 0)
    if zone in _ZONE_OFFSETS:
        return _ZONE_OFFSETS[zone] // 60
    signed = zone.removeprefix("GMT").removeprefix("UTC").strip()
    sign = -1 if signed[0] in "-\u2212" else 1
    digits = signed[1:].strip().replace(":", "")
    hours, minutes = (digits[:-2], digits[-2:]) if len(digits) > 2 else (digits, "0")
    return sign * (int(hours) * 60 + int(minutes))


def _us_summer_time(day: date) -> bool:
    """Whether US daylight saving time is in force on `day` (second Sunday of March to the
    first Sunday of November)."""
    march = date(day.year, 3, 8)
    november = date(day.year, 11, 1)
    start = march + timedelta(days=(6 - march.weekday()) % 7)
    end = november + timedelta(days=(6 - november.weekday()) % 7)
    return start <= day < end


def _date_beside(
    text: str, clock: re.Match, dates: list[tuple[int, int, date]]
) -> tuple[int, date] | None:
    """(start, date) of the date written nearest before or after a clock time, or None."""
    beside = []
    for start, end, day in dates:
        if end <= clock.start():
            gap = text[end : clock.start()]
        elif clock.end() <= start:
            gap = text[clock.end() : start]
        else:
            continue
        if _GAP.fullmatch(gap):
            beside.append((len(gap), start, day))
    return min(beside)[1:] if beside else None


def _datelines(text: str, today: date | None) -> Iterator[tuple[int, Published]]:
    """(position, time) of each publication date with a clock time written in `text`; times
    marked as an update are left out."""
    latest = (today or datetime.now(timezone.utc).date()) + timedelta(days=1)
    for clock in _CLOCK.finditer(text):
        # Dates are looked for only around clock times: most text near a headline has none.
        start = max(0, clock.start() - _DATE_REACH)
        around = list(_dates(text, start, clock.end() + _DATE_REACH))
        beside = _date_beside(text, clock, around)
        if beside is None:
            continue
        start, day = beside
        first = min(start, clock.start())
        if _UPDATED.search(text[max(0, first - 40) : first]) or not _EARLIEST <= day <= latest:
            continue
        hour, minute = int(clock["hour"]), int(clock["minute"])
        half = (clock["half"] or "").lower()[:1]
        if half and 1 <= hour <= 12:
            hour = hour % 12 + (12 if half == "p" else 0)
        if hour > 23:
            continue
        moment = datetime.combine(day, time(hour, minute))
        zone = clock["zone"] or (clock["numeric"] if clock["seconds"] else None)
        if zone is None:
            yield first, Published(moment.replace(tzinfo=timezone.utc), Precision.LOCAL)
            continue
        offset = _zone_minutes(zone, day)
        at = (moment - timedelta(minutes=offset)).replace(tzinfo=timezone.utc)
        yield first, Published(at, Precision.INSTANT, offset)


def shown_dateline(
    tree: HtmlElement, today: date | None = None, headline: str | None = None
) -> Published | None:
    """The publication date and clock time the page shows its reader next to the headline
    ("Nov 19, 2019, 10:31 pm CST", "12.05.2023, 14:30 Uhr"): the first one after the `<h1>`
    that holds `headline` (else the first `<h1>` with text), else the last one before it; None
    when it shows none (or only an update time)."""
    h1 = _headline_h1(tree, headline)
    if h1 is None:
        return None
    before, after = _around(h1)
    found = min(_datelines(after, today), default=None, key=lambda item: item[0])
    if found is None:
        found = max(_datelines(before, today), default=None, key=lambda item: item[0])
    return found[1] if found else None
