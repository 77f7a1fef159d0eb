"""Page metadata: `find_author` gives trafilatura's `extract_author` answer on real pages and on
pages written to hit each of its rules, and `page_metadata` fills the columns."""

from __future__ import annotations

import gzip

import pytest
from trafilatura.metadata import extract_author
from trafilatura.settings import set_date_params
from trafilatura.utils import load_html

from newsbeam.transforms.metadata import _may_name_an_author, find_author, page_metadata


def test_same_author_as_trafilatura_on_every_benchmark_page(test_data):
    pages = sorted((test_data / "extraction-benchmark" / "html").glob("*.html.gz"))
    assert len(pages) > 150
    found = 0
    for path in pages:
        tree = load_html(gzip.decompress(path.read_bytes()).decode("utf-8"))
        expected = extract_author(tree)
        assert find_author(tree) == expected, path.name
        found += expected is not None
    assert found > 100  # the comparison covers pages with and without a byline


def _page(body: str) -> str:
    return f"<html><head><title>t</title></head><body>{body}</body></html>"


RULE_PAGES = {
    "specific class": '<p class="article-authorName">Anna Lind</p><p class="byline">Ola Berg</p>',
    "rel author": '<a rel="author" href="/a">Piotr Nowak</a>',
    "author element": "<author>Lena Holm</author>",
    "itemprop": '<span itemprop="author">Jonas Ek</span>',
    "generic id": '<div id="zuozhe">Wang Fang</div>',
    "generic class": '<h4 class="posted-by-line">Maria Rossi</h4>',
    "last resort": '<section class="writer-box">Karl Dahl</section>',
    "test id": '<div data-testid="AuthorCard">Eva Sand</div>',
    "data component": '<footer data-component="Byline">Nils Strand</footer>',
    "rel me child": "<div><rel>me</rel>Tove Ask</div>",
    "too long": '<span class="author">' + "word " * 40 + '</span><p class="byline">Ida Lund</p>',
    "too short": '<span class="author">AB</span><span class="writer">Bo Lie</span>',
    "in comments": '<div class="comments"><span class="author">A Reader</span></div>'
    '<span class="byline">Staff Writer</span>',
    "in sidebar": '<aside><div class="sidebar-x"><p class="author">Side Bar</p></div></aside>',
    "time inside": '<span class="author">By Eva Berg<time>2026-03-01</time> and Jon Dal</span>',
    "figure inside": '<p class="author">Photo<figure>credit</figure>text Rune Vik</p>',
    "nested discards": '<div class="author">Kim<span class="date">x<time>y</time></span>'
    "tail<figure>f</figure> Lee</div>",
    "date class": '<span class="author"><span class="date">1 May</span>Ivar Moe</span>',
    "figure component": '<div class="author"><div data-component="Figure">img</div>Siv Rud</div>',
    "hidden first": '<div class="is-hidden"><a rel="author">Hidden Name</a></div>'
    '<a rel="author">Shown Name</a>',
    # Each word an author rule looks for, in the attribute it reads.
    "id Author": '<div id="Author-box">Rita Lind</div>',
    "class AuthorName": '<span class="AuthorName">Omar Said</span>',
    "itemprop author name": '<span itemprop="author name">Jon Vik</span>',
    "test id url": '<a data-testid="AuthorURL" href="/e">Eli Moss</a>',
    "username": '<a class="username" href="/u">Lisa Berg</a>',
    "byl": '<p class="byl">Hans Olsen</p>',
    "BBL": '<span class="BBL">Mark Dunn</span>',
    "channel name": '<div class="channel-name">Li Wei</div>',
    "bianji id": '<p id="bianji">Zhang Min</p>',
    "xiaobian class": '<span class="xiaobian">Chen Jie</span>',
    "submitted by": '<div class="submitted-by">Sara Kim</div>',
    "journalist name": '<span class="journalist-name">Tom Reyes</span>',
    "screenname": '<strong class="screenname">Ali Demir</strong>',
    "Byline class": '<div class="Byline">Ruth Ames</div>',
    "none": "<p>No byline on this page at all.</p>",
    "words in the text only": '<p class="lead">The author and writer of the byline.</p>',
}


@pytest.mark.parametrize("name", sorted(RULE_PAGES))
def test_same_author_as_trafilatura_on_each_rule(name):
    tree = load_html(_page(RULE_PAGES[name]))
    assert find_author(tree) == extract_author(tree)


def test_rule_pages_do_find_authors():
    # The comparison above means something only if most of these pages name someone.
    found = [name for name, body in RULE_PAGES.items() if find_author(load_html(_page(body)))]
    assert len(found) >= len(RULE_PAGES) - 3


def test_a_page_no_author_rule_can_meet_is_told_before_the_rules_run():
    # `find_byline` runs the rules only where an attribute they read holds a word they look
    # for: every rule page but the last two has one (and their answers equal trafilatura's).
    told = {
        name for name, body in RULE_PAGES.items() if not _may_name_an_author(load_html(_page(body)))
    }
    assert told == {"none", "words in the text only"}


def test_find_author_leaves_the_tree_as_it_was():
    html = _page(RULE_PAGES["nested discards"])
    tree = load_html(html)
    before = [(element.tag, element.text, element.tail) for element in tree.iter()]
    find_author(tree)
    assert [(element.tag, element.text, element.tail) for element in tree.iter()] == before


def test_page_metadata_reads_meta_tags_and_falls_back_to_the_body():
    html = (
        '<html><head><title>Port reopens | Harbour Post</title><meta property="og:site_name" '
        'content="Harbour Post"></head><body><h1>Port reopens</h1>'
        '<p class="byline">Marta Lind</p><p>Text.</p></body></html>'
    )
    meta = page_metadata(load_html(html), "https://harbour.example/port", set_date_params(False))
    assert (meta.title, meta.author) == ("Port reopens", "Marta Lind")
    assert meta.sitename == "Harbour Post"


# -- headlines and authors ----------------------------------------------------------------------

STORY = """<p>Volunteers planted more than two thousand young oaks and lindens along the old
railway embankment on Saturday, turning a strip of gravel into what the town hopes will become
a shaded walking path within ten years.</p>
<p>The project was paid for by a small levy on new building permits. The forestry office will
water the saplings through the first two summers and replace any that die.</p>
<p>Residents who want to adopt a tree can register at the town hall until the end of May.</p>"""


def story_page(
    head: str, h1: str = "Volunteers plant two thousand trees on old embankment", byline: str = ""
) -> str:
    return (
        f"<html><head>{head}</head><body><header><a href='/'>Valley Courier</a></header>"
        f"<article><h1>{h1}</h1>{byline}{STORY}</article></body></html>"
    )


def extracted(html: str, url: str = "https://www.valleycourier.example/town/trees") -> dict:
    from newsbeam.transforms.extract import extract_article

    return extract_article(html, url=url, origin="o")


HEADLINE = "Volunteers plant two thousand trees on old embankment"


@pytest.mark.parametrize(
    "title",
    [
        f"{HEADLINE} | Valley Courier | 28.04.2023",
        f"{HEADLINE} - Valley Courier",
        f"Valley Courier: {HEADLINE}",
        f"{HEADLINE} | by Ruth Abend",
        f"{HEADLINE} | VALLEYCOURIER.EXAMPLE",
    ],
)
def test_the_title_is_the_headline_without_the_site_name_date_or_byline(title):
    head = (
        f"<title>{title}</title><meta property='og:title' content='{title}'>"
        "<meta property='og:site_name' content='Valley Courier'>"
    )
    assert extracted(story_page(head))["title"] == HEADLINE


def test_a_suffixed_title_is_cleaned_when_the_h1_is_a_section_name():
    title = f"{HEADLINE} | Valley Courier | 28.04.2023"
    head = f"<title>{title}</title><meta property='og:title' content='{title}'>"
    page = story_page(head, h1="Town news")
    assert extracted(page)["title"] == HEADLINE


def test_the_headline_the_page_shows_beats_a_different_title_written_for_sharing():
    title = "Embankment trees: what the town plans | Valley Courier"
    head = f"<title>{title}</title><meta property='og:title' content='{title}'>"
    assert extracted(story_page(head))["title"] == HEADLINE


def test_a_site_name_in_the_h1_is_not_the_headline():
    title = f"{HEADLINE} | Valley Courier"
    head = (
        f"<meta property='og:title' content='{title}'>"
        "<meta property='og:site_name' content='Valley Courier'>"
    )
    page = story_page(head, h1="The Valley Courier")
    assert extracted(page)["title"] == HEADLINE


def test_a_headline_with_a_dash_inside_keeps_it():
    title = "Mayor - and the council - agree on a budget"
    head = f"<meta property='og:title' content='{title} | Valley Courier'>"
    assert extracted(story_page(head, h1=title))["title"] == title


def test_the_json_ld_headline_decides_when_the_h1_is_missing():
    head = (
        f"<title>Valley Courier - {HEADLINE}</title>"
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": '
        f'"{HEADLINE}", "publisher": {{"@type": "Organization", "name": "Valley Courier"}}}}'
        "</script>"
    )
    html = story_page(head).replace(f"<h1>{HEADLINE}</h1>", "")
    assert extracted(html)["title"] == HEADLINE


def test_the_site_name_as_byline_is_not_an_author():
    head = "<title>t</title><meta name='author' content='Valley Courier'>"
    article = extracted(story_page(head))
    assert (article["author"], article["authors"]) == (None, [])


def test_a_publisher_named_as_json_ld_author_is_not_a_person():
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "author": ['
        '{"@type": "Organization", "name": "Valley Courier"}, '
        '{"@type": "Person", "name": "Ruth Abend"}, {"@type": "Person", "name": "Tomas Weir"}]}'
        "</script><meta property='og:site_name' content='Valley Courier'>"
    )
    article = extracted(story_page(head))
    assert article["authors"] == ["Ruth Abend", "Tomas Weir"]
    assert article["author"] == "Ruth Abend; Tomas Weir"


def test_url_fragments_and_the_host_are_not_authors():
    head = (
        "<meta name='author' content='The Valley Courier https; Www Valleycourier Example; "
        "Ruth Abend'><meta property='og:site_name' content='The Valley Courier'>"
    )
    assert extracted(story_page(head))["authors"] == ["Ruth Abend"]


def test_a_host_spelled_as_a_name_is_not_an_author():
    # What a byline built from the host name looks like ("Mdr De" from mdr.de).
    head = "<meta name='author' content='Valleycourier Example'>"
    assert extracted(story_page(head))["authors"] == []


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("By Ruth Abend and Tomas Weir", ["Ruth Abend", "Tomas Weir"]),
        ("Ruth Abend, Tomas Weir", ["Ruth Abend", "Tomas Weir"]),
        ("Von Ruth Abend und Tomas Weir", ["Ruth Abend", "Tomas Weir"]),
        ("Ruth Abend; Reuters", ["Ruth Abend"]),
        ("RUTH ABEND, Staff Writer", ["RUTH ABEND"]),
        ("Ruth Abend | Valley Courier", ["Ruth Abend"]),
        ("Tomas Weir News reporter", ["Tomas Weir"]),
        ("Ruth Abend and Tomas Weir Associated Press", ["Ruth Abend", "Tomas Weir"]),
        ("Ruth Abend; Futurism", ["Ruth Abend"]),
        ("vcadmin", []),
    ],
)
def test_several_authors_are_kept_apart(byline, expected):
    head = f"<meta name='author' content='{byline}'>"
    assert extracted(story_page(head))["authors"] == expected


def test_a_json_ld_person_that_is_the_site_gives_way_to_the_byline_in_the_page():
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "author": '
        '{"@type": "Person", "name": "Valley Courier"}}</script>'
    )
    byline = '<p class="byline">By Ruth Abend, Oslo, 28 April</p>'
    assert extracted(story_page(head, byline=byline))["authors"] == ["Ruth Abend"]


def test_a_json_ld_byline_of_several_people_is_split():
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "author": '
        '{"@type": "Person", "name": "By RUTH ABEND and TOMAS WEIR, Associated Press"}}</script>'
    )
    assert extracted(story_page(head))["authors"] == ["RUTH ABEND", "TOMAS WEIR"]


def test_an_h1_with_a_section_name_before_the_headline_gives_the_declared_headline():
    head = (
        f"<meta property='og:title' content='{HEADLINE}'><title>{HEADLINE} | Valley Courier</title>"
    )
    page = story_page(head, h1=f"Town News | {HEADLINE}")
    assert extracted(page)["title"] == HEADLINE


def test_a_short_declared_title_inside_a_long_h1_does_not_replace_it():
    # og:title is a section name: the h1 stays the headline.
    head = "<meta property='og:title' content='Embankment'>"
    page = story_page(head, h1=f"Embankment {HEADLINE}")
    assert extracted(page)["title"] == f"Embankment {HEADLINE}"


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        # A sentence of the text caught by a byline rule: not people.
        ('<p class="byline">The Danish and Dutch water ministries</p>', []),
        ('<p class="byline">By Ann J. Lee and Tomas Weir</p>', ["Ann J. Lee", "Tomas Weir"]),
        ('<div class="author-name">ruthie_84</div>', []),  # a user handle
    ],
)
def test_a_byline_in_the_page_names_people_as_written(byline, expected):
    assert extracted(story_page("<title>t</title>", byline=byline))["authors"] == expected


@pytest.mark.parametrize("name", ["The Morning Embankment Letter", "Anónimo", "Redazione"])
def test_a_newsletter_or_an_anonymous_byline_is_not_a_person(name):
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "author": '
        f'{{"@type": "Person", "name": "{name}"}}}}</script>'
    )
    assert extracted(story_page(head))["authors"] == []


@pytest.mark.parametrize(
    "head",
    [
        "<meta name='author' content='Perform Media Deutschland GmbH'>",  # the company
        "<meta name='author' content='No Author'>",  # a placeholder
        '<script type="application/ld+json">{"@type": "NewsArticle", "author": '
        '{"@type": "Person", "name": "Staff and news service reports"}}</script>',
        '<script type="application/ld+json">{"@type": "NewsArticle", "author": '
        '{"@type": "Person", "name": "Redacción VC"}}</script>',
        # the publisher a meta tag names is the site, also as an author
        "<meta name='publisher' content='Harbour Gazette Ltd'>"
        "<meta name='author' content='Harbour Gazette'>",
    ],
)
def test_a_desk_a_company_or_a_placeholder_is_not_a_person(head):
    assert extracted(story_page(head))["authors"] == []


def test_a_label_word_before_the_byline_is_not_part_of_the_name():
    byline = '<div class="author">Auteur : Anna Kubišta</div>'
    assert extracted(story_page("<title>t</title>", byline=byline))["authors"] == ["Anna Kubišta"]


def test_a_json_ld_byline_with_capital_and_and_an_employer_after_for():
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "author": {"@type": '
        '"Person", "name": "By Ruth Abend And Tomas Weir For The Sunday Courier"}}</script>'
    )
    assert extracted(story_page(head))["authors"] == ["Ruth Abend", "Tomas Weir"]


def test_a_json_ld_author_given_by_reference_is_followed():
    head = (
        '<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", "author": '
        '{"@id": "https://valleycourier.example/#/person/7"}}, {"@type": "Person", "@id": '
        '"https://valleycourier.example/#/person/7", "name": "Ruth Abend"}]}</script>'
    )
    assert extracted(story_page(head))["authors"] == ["Ruth Abend"]


JSON_LD_ONE_AUTHOR = (
    '<script type="application/ld+json">{"@type": "NewsArticle", "author": '
    '{"@type": "Person", "name": "Ruth Abend"}}</script>'
)


def test_a_meta_byline_naming_the_json_ld_author_and_another_shown_in_the_page_wins():
    head = JSON_LD_ONE_AUTHOR + "<meta name='author' content='Ruth Abend, Tomas Weir'>"
    byline = '<p class="byline">By Ruth Abend and Tomas Weir</p>'
    assert extracted(story_page(head, byline=byline))["authors"] == ["Ruth Abend", "Tomas Weir"]


def test_a_meta_byline_adding_a_name_the_page_does_not_show_does_not_win():
    # The meta tag names the publisher's company beside the author.
    head = JSON_LD_ONE_AUTHOR + "<meta name='author' content='Coast Print House, Ruth Abend'>"
    byline = '<p class="byline">By Ruth Abend</p>'
    assert extracted(story_page(head, byline=byline))["authors"] == ["Ruth Abend"]


def test_an_h1_holding_the_site_name_of_the_title_is_a_logo_not_the_headline():
    head = (
        "<meta property='og:title' content='Ferry service resumes after the storm'>"
        "<title>Ferry service resumes after the storm | Harbour Gazette</title>"
    )
    page = story_page(head, h1="Harbour Gazette")
    assert extracted(page)["title"] == "Ferry service resumes after the storm"


def test_a_short_headline_beside_the_site_name_in_the_title_stays_the_headline():
    head = "<title>Ferry resumes | Harbour Gazette</title>"
    page = story_page(head, h1="Ferry resumes")
    assert extracted(page)["title"] == "Ferry resumes"


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("By Ruth Abend Valley Courier Staff", ["Ruth Abend"]),  # the site and a desk after her
        ("Staff; News Service Reports", []),
    ],
)
def test_the_site_or_a_desk_after_a_name_is_cut(byline, expected):
    head = (
        f"<meta name='author' content='{byline}'>"
        "<meta property='og:site_name' content='Valley Courier'>"
    )
    assert extracted(story_page(head))["authors"] == expected
