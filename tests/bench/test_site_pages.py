"""The benchmark's generated site pages: the size asked for, a distinct text on every page, the
same pages for the same seed, and the parts of a real article page where trafilatura looks."""

from __future__ import annotations

import re

import trafilatura

from bench.site_pages import article_page, sites, write_pages

_PARAGRAPHS = re.compile(r'__body">(.*?)</div>', re.S)


def _story(page: str) -> str:
    return _PARAGRAPHS.search(page).group(1)


def test_pages_are_near_the_size_asked_for():
    site_list = sites(seed=3)
    # (A 400-link menu alone is about 46 KiB: smaller pages come out at the menu's size.)
    for page_kb in (60, 120):
        sizes = [len(article_page(n, 3, page_kb, site_list).encode()) for n in range(10)]
        assert all(0.97 <= size / (page_kb * 1024) <= 1.1 for size in sizes), (page_kb, sizes)


def test_the_menu_has_the_links_asked_for():
    for links in (50, 400):
        for site in sites(seed=1, menu_links=links):
            assert site.menu.count("<a ") == links


def test_every_page_has_its_own_text_and_url():
    site_list = sites()
    pages = [article_page(n, 0, 60, site_list) for n in range(60)]
    stories = {_story(page) for page in pages}
    urls = {re.search(r'rel="canonical" href="([^"]+)"', page).group(1) for page in pages}
    assert len(stories) == len(urls) == 60
    paragraphs = [p for page in pages for p in re.findall(r"<p>(.*?)</p>", _story(page))]
    assert len(set(paragraphs)) == len(paragraphs)


def test_the_same_seed_gives_the_same_pages_and_another_seed_others(tmp_path):
    first = [p.read_text() for p in write_pages(tmp_path / "a", 5, seed=7)]
    again = [p.read_text() for p in write_pages(tmp_path / "b", 5, seed=7)]
    other = [p.read_text() for p in write_pages(tmp_path / "c", 5, seed=8)]
    assert first == again
    assert not {_story(page) for page in first} & {_story(page) for page in other}


def test_some_sites_carry_json_ld_and_some_do_not():
    flags = [site.json_ld for site in sites()]
    assert any(flags) and not all(flags)


def test_trafilatura_finds_the_title_date_and_story_of_a_page():
    page = article_page(4)
    title = re.search(r"<h1>(.*?)</h1>", page).group(1)
    stamp = re.search(r'<time datetime="([^"]+)"', page).group(1)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", stamp)
    found = trafilatura.bare_extraction(page, with_metadata=True)
    assert found.title == title
    assert found.date == stamp[:10]
    first_paragraph = re.search(r"<p>(.*?)</p>", _story(page)).group(1)
    assert first_paragraph[:60] in found.text
