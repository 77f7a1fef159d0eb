"""Publication times: the page's own declarations with their offsets first, htmldate after, a
clock time without an offset marked `local` rather than passed off as UTC, and the article's
own date preferred over a teaser's."""

from __future__ import annotations

from datetime import date, datetime, timezone

import lxml.html
import pytest

from newsbeam.transforms.extract import extract_article
from newsbeam.transforms.published import Precision, find_published, parse_timestamp, shown_dateline

TODAY = date(2026, 12, 5)

BODY = """<p>The regional council voted on Tuesday evening to extend the night bus network to
the three villages north of the river, after a petition signed by more than four thousand
residents asked for a late connection to the hospital and the railway station.</p>
<p>The first buses are expected to run in the spring. The operator said it would hire eight
more drivers and lease two small electric buses for the quieter routes.</p>
<p>Opposition members welcomed the decision but asked how the service would be paid for after
the first two years, when the regional grant ends.</p>"""


def page(head: str = "", article_top: str = "", after: str = "") -> str:
    return (
        f"<html><head><title>Night buses to reach the northern villages</title>{head}</head>"
        f"<body><article><h1>Night buses to reach the northern villages</h1>{article_top}"
        f"{BODY}</article>{after}</body></html>"
    )


def published(html: str) -> tuple[datetime | None, str | None, int | None]:
    article = extract_article(html, url="https://bus.example/news/night-buses", origin="o")
    return (
        article["published_at"],
        article["published_at_precision"],
        article["published_offset_minutes"],
    )


def test_a_plus_two_hours_page_is_stored_as_its_utc_instant():
    html = page('<meta property="article:published_time" content="2023-04-28T18:45:00+02:00">')
    assert published(html) == (datetime(2023, 4, 28, 16, 45, tzinfo=timezone.utc), "instant", 120)


def test_the_declared_offset_beats_htmldates_clock_time_without_one():
    # A `date` meta tag has the local clock time without an offset, and htmldate takes it;
    # the publication meta tag has both.
    html = page(
        '<meta name="date" content="2023-04-28T18:45:00">'
        '<meta property="article:published_time" content="2023-04-28T18:45:00+02:00">',
        article_top='<p class="dateline">28.04.2023, 18:45 Uhr</p>',
    )
    assert published(html) == (datetime(2023, 4, 28, 16, 45, tzinfo=timezone.utc), "instant", 120)


def test_json_ld_of_the_article_comes_before_the_meta_tags():
    html = page(
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": '
        '"NewsArticle", "headline": "Night buses to reach the northern villages", '
        '"datePublished": "2023-04-28T07:05:00-04:00"}</script>'
        '<meta name="pubdate" content="2023-04-28T11:05:00Z">'
    )
    assert published(html) == (datetime(2023, 4, 28, 11, 5, tzinfo=timezone.utc), "instant", -240)


def test_a_clock_time_without_offset_is_marked_local_not_utc():
    html = page('<meta property="article:published_time" content="2023-04-28T18:45:00">')
    assert published(html) == (datetime(2023, 4, 28, 18, 45, tzinfo=timezone.utc), "local", None)


def test_a_local_time_takes_the_offset_of_a_declaration_of_the_same_clock_time():
    html = page(
        '<meta property="article:published_time" content="2023-04-28T18:45:00">'
        '<meta itemprop="datePublished" content="2023-04-28T18:45:10+03:00">'
    )
    assert published(html) == (
        datetime(2023, 4, 28, 15, 45, 10, tzinfo=timezone.utc),
        "instant",
        180,
    )


def test_a_date_alone_is_a_day():
    html = page('<meta property="article:published_time" content="2023-04-28">')
    assert published(html) == (datetime(2023, 4, 28, tzinfo=timezone.utc), "day", None)


def test_the_articles_own_date_beats_a_related_storys_teaser():
    teaser = (
        '<aside class="related"><article><h2><a href="/older">Bus drivers ask for better '
        'shelters</a></h2><time datetime="2023-03-02T09:00:00+01:00">2 March</time>'
        "</article></aside>"
    )
    html = page(
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        '"datePublished": "2023-04-28"}</script>',
        after=teaser,
    )
    assert published(html) == (datetime(2023, 4, 28, tzinfo=timezone.utc), "day", None)


def test_a_teaser_inside_an_item_list_is_not_the_page_article():
    html = page(
        '<script type="application/ld+json">{"@type": "ItemList", "itemListElement": '
        '[{"@type": "NewsArticle", "datePublished": "2023-03-02T09:00:00+01:00"}]}</script>'
        '<script type="application/ld+json">{"@graph": [{"@type": "WebSite", "name": "Bus"}, '
        '{"@type": "NewsArticle", "datePublished": "2023-04-28T18:45:00+02:00"}]}</script>'
    )
    assert published(html)[0] == datetime(2023, 4, 28, 16, 45, tzinfo=timezone.utc)


def test_a_time_element_in_the_headlines_article_is_used_when_nothing_else_is_declared():
    html = page(article_top='<time datetime="2023-04-28T18:45:00+02:00">Friday evening</time>')
    assert published(html) == (datetime(2023, 4, 28, 16, 45, tzinfo=timezone.utc), "instant", 120)


def test_no_date_anywhere_means_no_precision_either():
    assert published(page()) == (None, None, None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-04-28T18:45:00+0200", (datetime(2023, 4, 28, 16, 45), Precision.INSTANT, 120)),
        ("2023-04-28T18:45:00.000Z", (datetime(2023, 4, 28, 18, 45), Precision.INSTANT, 0)),
        ("Fri, 28 Apr 2023 18:45:00 +0100", (datetime(2023, 4, 28, 17, 45), Precision.INSTANT, 60)),
        ("2023-04-28 18:45", (datetime(2023, 4, 28, 18, 45), Precision.LOCAL, None)),
        ("2023-04-28 18:45:00 UTC", (datetime(2023, 4, 28, 18, 45), Precision.INSTANT, 0)),
        ("April 28, 2023, 06:45 PM EST", (datetime(2023, 4, 28, 23, 45), Precision.INSTANT, -300)),
        (
            "06:45:07 PM IST Apr 28, 2023",
            (datetime(2023, 4, 28, 13, 15, 7), Precision.INSTANT, 330),
        ),
        (
            "Fri Apr 28 2023 18:45:00 GMT-0400 (EDT)",
            (datetime(2023, 4, 28, 22, 45), Precision.INSTANT, -240),
        ),
        ("2023-04-28", (datetime(2023, 4, 28), Precision.DAY, None)),
    ],
)
def test_parse_timestamp_forms(value, expected):
    found = parse_timestamp(value, TODAY)
    at, precision, offset = expected
    assert (found.at, found.precision, found.offset_minutes) == (
        at.replace(tzinfo=timezone.utc),
        precision,
        offset,
    )


@pytest.mark.parametrize("value", ["soon", "2031-01-01T00:00:00Z", "1970-01-01", "", "28.04."])
def test_parse_timestamp_refuses_what_is_not_a_plausible_publication_time(value):
    assert parse_timestamp(value, TODAY) is None


def test_htmldate_alone_decides_when_nothing_is_declared():
    found = find_published([], "2023-04-28T18:45:00+0200", TODAY)
    assert (found.at.hour, found.precision) == (16, Precision.INSTANT)
    assert find_published([], "2023-04-28T00:00:00", TODAY).precision is Precision.DAY
    assert find_published([], "2023-01-01T00:00:00", TODAY) is None  # a bare year


def test_article_published_meta_is_a_declaration_too():
    html = page('<meta property="article:published" content="2023-04-28T16:45:00.000Z">')
    assert published(html) == (datetime(2023, 4, 28, 16, 45, tzinfo=timezone.utc), "instant", 0)


@pytest.mark.parametrize(
    "value",
    [
        "Tue Foo 19 2019 03:05:46 GMT+0000",
        "2019-02-30T10:00:00Z",
        "9999-99-99",
        "T10:00",
        "\x00",
        "07:47 PM EST",  # no date: dateutil would take today's
        "Feb 30, 2019 07:47 PM EST",
    ],
)
def test_odd_values_are_not_timestamps_and_never_raise(value):
    assert parse_timestamp(value, TODAY) is None


def test_without_an_article_element_the_time_under_the_headline_is_used():
    html = (
        "<html><head><title>Night buses</title></head><body><div>"
        '<aside><time datetime="2023-03-02T09:00:00+01:00">2 March</time></aside>'
        "<header><h1>Night buses to reach the northern villages</h1></header>"
        '<p class="dateline"><time datetime="2023-04-28T18:45:00+02:00">Friday</time></p>'
        f"<div>{BODY}</div></div></body></html>"
    )
    assert published(html) == (datetime(2023, 4, 28, 16, 45, tzinfo=timezone.utc), "instant", 120)


# -- the dateline the reader sees under the headline ----------------------------------------------


def test_a_dateline_with_a_us_zone_gives_the_instant_when_the_page_declares_no_usable_time():
    html = page(
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        '"datePublished": "0001-01-01T00:00:00Z"}</script>',
        article_top='<div class="publish-date">Published 11:11 PM EST Nov 19, 2019</div>',
    )
    assert published(html) == (datetime(2019, 11, 20, 4, 11, tzinfo=timezone.utc), "instant", -300)


def test_the_shown_dateline_settles_two_declared_offsets_for_one_clock_time():
    # The JSON-LD and the meta tag write the same clock time with different offsets; the
    # dateline the reader sees names the moment of the meta tag.
    html = page(
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        '"datePublished": "2019-11-20T04:31:13-06:00"}</script>'
        '<meta property="article:published_time" content="2019-11-20T04:31:13+00:00">',
        article_top="<div><span>Ann Lee</span> - <span>Nov 19, 2019, 10:31 pm CST</span></div>",
    )
    assert published(html) == (datetime(2019, 11, 20, 4, 31, 13, tzinfo=timezone.utc), "instant", 0)


def test_a_server_clock_labelled_utc_gives_way_to_the_shown_dateline_with_its_zone():
    html = page(
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        '"datePublished": "2019-11-18T10:45:00Z"}</script>',
        article_top='<div class="byline">Monday November 18, 2019 7:45 am PST by Ann Lee</div>',
    )
    assert published(html) == (datetime(2019, 11, 18, 15, 45, tzinfo=timezone.utc), "instant", -480)


def test_a_declared_offset_stands_when_the_dateline_prints_the_same_clock_as_gmt():
    html = page(
        '<meta property="article:published_time" content="2020-09-26T22:00:00+01:00">',
        article_top="<p>22:00 GMT, 26 September 2020</p>",
    )
    assert published(html) == (datetime(2020, 9, 26, 21, 0, tzinfo=timezone.utc), "instant", 60)


def test_an_updated_time_under_the_headline_is_not_the_publication():
    html = page(
        '<meta property="article:published_time" content="2023-05-12">',
        article_top="<p>Updated 3:05 PM ET May 13, 2023</p>",
    )
    assert published(html) == (datetime(2023, 5, 12, tzinfo=timezone.utc), "day", None)


def test_a_german_dateline_refines_a_bare_date_to_its_local_clock_time():
    html = page(
        '<meta property="article:published_time" content="2023-05-12">',
        article_top='<p class="meta">Freitag, 12.05.2023, 14:30 Uhr</p>',
    )
    assert published(html) == (datetime(2023, 5, 12, 14, 30, tzinfo=timezone.utc), "local", None)


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        ("Updated 3:05 PM ET May 13, 2023", None),
        ("Published May 13, 2023 3:05 PM ET", (datetime(2023, 5, 13, 19, 5), -240)),
        ("Jan. 13, 2023 3:05 PM ET", (datetime(2023, 1, 13, 20, 5), -300)),
        ("12 mai 2023 à 18h30 CEST", (datetime(2023, 5, 12, 16, 30), 120)),
        ("3 de mayo de 2022 - 22:46 GMT-3", (datetime(2022, 5, 4, 1, 46), -180)),
        ("12 maja 2023, 09:15", (datetime(2023, 5, 12, 9, 15), None)),
        ("12.05.2023 | 16.45 Uhr", (datetime(2023, 5, 12, 16, 45), None)),
        ("11/18/19 11:04 PM EST", (datetime(2019, 11, 19, 4, 4), -300)),
        ("03/05/2022 22:46", None),  # which number is the day depends on the country
        ("Doors open at 7:30 pm", None),  # no date beside it
    ],
)
def test_shown_dateline_forms(shown, expected):
    tree = lxml.html.fromstring(
        f"<html><body><div><h1>Night buses</h1><p>{shown}</p></div></body></html>"
    )
    found = shown_dateline(tree, TODAY)
    if expected is None:
        assert found is None
    else:
        assert (found.at, found.offset_minutes) == (
            expected[0].replace(tzinfo=timezone.utc),
            expected[1],
        )


def test_the_dateline_is_read_under_the_headline_not_under_an_empty_logo_h1():
    html = (
        "<html><head><title>Night buses</title></head><body>"
        '<header><h1 class="logo"><a href="/"><img src="logo.svg" alt=""></a></h1>'
        "<p>Printed 2023-05-20 09:00:00+02:00</p></header>"
        "<main><h1>Night buses to reach the northern villages</h1>"
        "<p>published: 2023-04-28 18:45:10.52+02:00</p>"
        f"<div>{BODY}</div></main></body></html>"
    )
    assert published(html) == (datetime(2023, 4, 28, 16, 45, tzinfo=timezone.utc), "instant", 120)


def test_the_dateline_is_read_under_the_h1_that_holds_the_headline():
    # The first h1 is the station's logo, followed by its programme; the page's publication
    # time is stated only in a `date` meta tag (htmldate reads it).
    html = (
        "<html><head><title>Night buses to reach the northern villages</title>"
        '<meta name="date" content="2023-04-28T18:45:00+02:00"></head><body>'
        "<header><h1>Harbour Radio</h1><p>On air: 28.04.2023, 21:00 CEST Evening concert</p>"
        "</header><main><h1>Night buses to reach the northern villages</h1>"
        f"<div>{BODY}</div></main></body></html>"
    )
    assert published(html) == (datetime(2023, 4, 28, 16, 45, tzinfo=timezone.utc), "instant", 120)
