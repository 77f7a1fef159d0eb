"""Page metadata: `find_author` gives trafilatura's `extract_author` answer on real pages and on
pages written to hit each of its rules, and `page_metadata` fills the columns."""

from __future__ import annotations

import gzip

import pytest
from trafilatura.metadata import extract_author
from trafilatura.settings import set_date_params
from trafilatura.utils import load_html

from newsbeam.transforms.metadata import find_author, page_metadata


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
    "none": "<p>No byline on this page at all.</p>",
}


@pytest.mark.parametrize("name", sorted(RULE_PAGES))
def test_same_author_as_trafilatura_on_each_rule(name):
    tree = load_html(_page(RULE_PAGES[name]))
    assert find_author(tree) == extract_author(tree)


def test_rule_pages_do_find_authors():
    # The comparison above means something only if most of these pages name someone.
    found = [name for name, body in RULE_PAGES.items() if find_author(load_html(_page(body)))]
    assert len(found) >= len(RULE_PAGES) - 2


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
