"""The main text: precision first, extracted again only when the text looks cut; the JSON-LD
body for a page whose HTML holds only the lead; the headline not repeated at the top."""

from __future__ import annotations

import json

import pytest
from trafilatura.utils import load_html

from newsbeam.transforms.body import dense_text_chars, main_text, without_headline
from newsbeam.transforms.extract import ExtractionError, ExtractionSettings, extract_article

DEFAULT = ExtractionSettings(fast=True, favor_precision=True, retry_short=True)
NO_RETRY = ExtractionSettings(fast=True, favor_precision=True)

PARAGRAPHS = [
    "The harbour authority said on Monday that the northern breakwater will be rebuilt over "
    "the next three summers, after storms in two winters running opened gaps in the old wall.",
    "Engineers found that the sea had washed out the core of the wall along a stretch of about "
    "two hundred metres, and that the lighthouse at its end now stands on a weakened base.",
    "Fishing boats will keep using the inner basin during the works, but the ferry landing will "
    "move to the southern quay from April until the end of September each year.",
    "The cost is put at forty million, most of it from a national coastal fund; the town will "
    "pay for a new footpath along the top of the finished wall.",
    "Residents can see the plans at the library until the end of the month and send comments "
    "to the authority by post or by email.",
]
HEADLINE = "Breakwater to be rebuilt over three summers"


def page(body: str, head: str = "") -> str:
    return (
        f"<html><head><title>{HEADLINE}</title>{head}</head><body><nav><a href='/'>Home</a> "
        f"<a href='/sea'>Sea</a></nav>{body}<footer>Contact the newsroom</footer></body></html>"
    )


def text_of(html: str, settings: ExtractionSettings = DEFAULT) -> str:
    return extract_article(
        html, url="https://coast.example/breakwater", origin="o", settings=settings
    )["text"]


# Paragraphs as the text after empty inline elements (as an old CMS writes its anchors):
# trafilatura's precision pass drops that text.
TAILS_PAGE = page("<div>" + "".join(f"<i></i>{p}<br>" for p in PARAGRAPHS) + "</div>")
# The lead in the story's container, the rest in another one (a "read more" fold).
FOLDED_PAGE = page(
    f"<div class='story'><p>{PARAGRAPHS[0]}</p></div><div class='more'>"
    + "".join(f"<div>{p}</div>" for p in PARAGRAPHS[1:])
    + "</div>"
)


def test_a_page_the_precision_pass_misses_is_extracted_again_favouring_recall():
    assert "lighthouse" in text_of(TAILS_PAGE)
    with pytest.raises(ExtractionError):
        text_of(TAILS_PAGE, NO_RETRY)  # the first pass alone finds no article


def test_an_article_that_goes_on_in_a_second_container_is_extracted_with_the_fallbacks():
    text = text_of(FOLDED_PAGE)
    assert "lighthouse" in text and "library" in text
    tree = load_html(FOLDED_PAGE)
    assert "lighthouse" not in main_text(tree, None, NO_RETRY, None)


def test_a_page_extracted_whole_the_first_time_is_extracted_once(monkeypatch):
    from newsbeam.transforms import body

    calls = []
    real = body._extract
    monkeypatch.setattr(body, "_extract", lambda *a, **k: calls.append(k) or real(*a, **k))
    article = page("<article>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</article>")
    assert "library" in text_of(article)
    assert calls == [{}]


def json_ld(body: str, headline: str = HEADLINE) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": headline,
        "articleBody": body,
    }
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


LATER = [
    "A first contract, for the temporary steel barrier that will shelter the works, is to be "
    "signed before Easter; divers have already begun to map the damaged stretch.",
    "The lighthouse keeper's cottage, empty since the light was automated, will serve as the "
    "site office and is to open to visitors once the works are done.",
    "Older residents recall that the wall was last repaired after the great storm of the "
    "nineteen fifties, when the harbour was closed for most of a year.",
]


def test_the_json_ld_body_replaces_html_cut_to_the_lead():
    whole = "\n".join(PARAGRAPHS + LATER)
    cut = page(
        f"<article><h1>{HEADLINE}</h1><p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p>"
        "<p><a href='/subscribe'>Subscribe to read on</a></p></article>",
        json_ld(whole),
    )
    assert text_of(cut) == whole
    assert "nineteen fifties" not in text_of(cut.replace('"articleBody"', '"articleBodyX"'))


def test_a_json_ld_body_of_another_story_is_not_taken():
    other = "Council members argued late into the night about the price of parking permits " * 12
    cut = page(
        f"<article><h1>{HEADLINE}</h1><p>{PARAGRAPHS[0]} {PARAGRAPHS[1]}</p></article>",
        json_ld(other),
    )
    assert "parking" not in text_of(cut)
    assert "lighthouse" in text_of(cut)


def test_the_headline_is_not_repeated_at_the_top_of_the_text():
    article = page(
        f"<article><h1>{HEADLINE}</h1>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</article>"
    )
    text = text_of(article)
    assert text.startswith("The harbour authority")
    assert without_headline(f"{HEADLINE}\n{text}", [HEADLINE]) == text
    assert without_headline(text, ["The harbour authority"]) == text  # a line, not a prefix


def test_dense_text_leaves_scripts_and_short_lines_out():
    tree = load_html(
        "<html><body><script>var x = '"
        + "a" * 200
        + "';</script><p>short</p><p>"
        + PARAGRAPHS[0]
        + "</p></body></html>"
    )
    assert dense_text_chars(tree) == len(PARAGRAPHS[0])


@pytest.mark.parametrize(
    "block",
    [
        '{"@type": "NewsArticle", "articleBody": ["a", "list"], "author": 7}',
        '{"@type": ["NewsArticle"], "author": [{"name": ["Ruth Abend"]}, null, 3]}',
        '{"@type": {"odd": true}, "headline": {"@value": 5}}',
        '[{"@type": "NewsArticle", "url": "http://[::1", "headline": "x"}, '
        '{"@type": "NewsArticle", "url": "https://coast.example/b"}]',
        "{not json at all",
    ],
)
def test_odd_json_ld_never_costs_the_page_its_text(block):
    html = page(
        f'<script type="application/ld+json">{block}</script><article><h1>{HEADLINE}</h1>'
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
        + "</article>"
    )
    assert "lighthouse" in text_of(html)
