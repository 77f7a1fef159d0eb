"""Extraction: the page's own URL, text normalisation and hashing, `extract_article` on pages
written for these tests, and the ExtractArticles PTransform's two outputs."""

# Russian and full-width text is the point of these tests, not a look-alike typo.

from __future__ import annotations

import gc
import gzip
import os
from datetime import datetime, timezone

import apache_beam as beam
import pytest
from apache_beam.testing.util import assert_that, equal_to

from newsbeam.schemas.records import InboxFile, Item, Reject
from newsbeam.transforms import extraction_pool as pool_module
from newsbeam.transforms.extract import (
    ExtractArticles,
    ExtractionError,
    ExtractionSettings,
    PageWork,
    content_hash,
    extract_article,
    find_page_url,
    normalize_text,
    process_language_identifier,
    work_on_chunk,
)
from newsbeam.transforms.inbox import page_to_read
from newsbeam.transforms.minhash import SKETCH_FIELD, NearDuplicateSettings, sketch_record
from newsbeam.transforms.sinks import STAGED_FIELD, ArticleStaging, read_staged_rows
from newsbeam.transforms.urls import article_id

FERRY_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Harbour ferry returns after winter repairs | The Coastal Ledger</title>
<link rel="canonical"
      href="https://news.example.org/local/harbour-ferry-returns/?utm_source=newsletter&amp;utm_medium=email">
<meta property="og:url" content="https://news.example.org/og/ferry">
<meta property="og:title" content="Harbour ferry returns after winter repairs">
<meta name="author" content="Marta Kowalczyk">
<meta property="article:published_time" content="2026-03-14T09:30:00+02:00">
</head><body>
<nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/weather">Weather and tides menu</a></li></ul></nav>
<main><article>
<h1>Harbour ferry returns after winter repairs</h1>
<p class="byline">By Marta Kowalczyk</p>
<p>The small passenger ferry that links the old harbour with the island village resumed service
on Saturday morning after four months in dry dock, where workers replaced its engine and
repainted the hull.</p>
<p>About sixty passengers boarded the first crossing, many of them commuters who had relied on a
slow detour by bus since November. The operator said the new engine uses roughly a third less
fuel than the old one.</p>
<p>Timetables for the summer season will be published next week, and the operator expects to
add two evening crossings once the tourist season begins in June.</p>
</article></main>
<footer><p>Copyright 2026 The Coastal Ledger. All rights reserved. Subscribe to our
newsletter footer links.</p></footer>
</body></html>"""

GERMAN_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Neue Brücke über den Kanal eröffnet</title></head>
<body><article><h1>Neue Brücke über den Kanal eröffnet</h1>
<p>Nach zwei Jahren Bauzeit ist die neue Fußgängerbrücke über den alten Kanal am Freitag
eröffnet worden. Hunderte Anwohner kamen zur Feier und überquerten die Brücke zum ersten Mal.</p>
<p>Die Stadtverwaltung erklärte, dass die Brücke den Weg zwischen dem Bahnhof und der Altstadt
um fast zehn Minuten verkürzt. Radfahrer dürfen die Brücke ebenfalls benutzen, müssen aber
Rücksicht auf Fußgänger nehmen.</p>
<p>Im Sommer sollen am Ufer außerdem neue Bänke und Bäume gepflanzt werden.</p>
</article></body></html>"""

RUSSIAN_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>В городе открылась новая библиотека</title></head>
<body><article><h1>В городе открылась новая библиотека</h1>
<p>Вчера вечером в центре города открылась новая районная библиотека. Жители соседних улиц
давно ждали этого события и пришли на праздник целыми семьями.</p>
<p>Директор библиотеки рассказал, что в фонде уже более двадцати тысяч книг, а зимой здесь
будут проходить бесплатные лекции для школьников и пенсионеров.</p>
<p>Городские власти обещают к весне отремонтировать и соседний сквер.</p>
</article></body></html>"""

NO_TEXT_PAGE = """<html><head><title>Menu</title></head><body>
<nav><a href="/">Home</a> <a href="/about">About</a></nav></body></html>"""


@pytest.fixture(scope="module")
def language_identifier():
    return process_language_identifier()


# -- find_page_url ----------------------------------------------------------------------------


def test_find_page_url_prefers_canonical():
    html = (
        '<head><meta property="og:url" content="https://example.org/og">'
        '<link rel="canonical" href="https://example.org/canonical"></head>'
    )
    assert find_page_url(html) == "https://example.org/canonical"


def test_find_page_url_falls_back_to_og_url():
    html = '<head><meta property="og:url" content="https://example.org/og"></head>'
    assert find_page_url(html) == "https://example.org/og"


def test_find_page_url_resolves_a_relative_canonical():
    html = '<head><link href="/world/story-7" rel="canonical"></head>'
    assert (
        find_page_url(html, "https://example.org/feeds/item?x=1")
        == "https://example.org/world/story-7"
    )


def test_find_page_url_without_any_returns_none():
    assert find_page_url("<html><head><title>x</title></head><body></body></html>") is None
    assert find_page_url('<link rel="stylesheet" href="https://example.org/s.css">') is None


def test_find_page_url_ignores_a_relative_canonical_without_base():
    assert find_page_url('<link rel="canonical" href="/relative/only">') is None


def test_find_page_url_unescapes_entities():
    html = '<link rel="canonical" href="https://example.org/read?a=1&amp;b=2">'
    assert find_page_url(html) == "https://example.org/read?a=1&b=2"


# -- normalize_text / content_hash ------------------------------------------------------------


def test_normalize_text_ignores_case_punctuation_and_whitespace():
    assert normalize_text("  Hello,   WORLD!\n\tIt's  me. ") == "hello world it s me"


def test_content_hash_is_insensitive_to_case_punctuation_and_whitespace():
    one = "The council met on Tuesday. It approved the budget!"
    two = "the COUNCIL met on tuesday\n\nit approved -- the budget"
    assert content_hash(one) == content_hash(two)
    assert len(content_hash(one)) == 64


def test_content_hash_differs_for_different_text():
    assert content_hash("The council approved the budget.") != content_hash(
        "The council rejected the budget."
    )


def test_content_hash_handles_compatibility_forms():
    assert content_hash("ＦＵＬＬ width") == content_hash("full WIDTH")
    assert content_hash("Straße") == content_hash("STRASSE")


# -- extract_article --------------------------------------------------------------------------


def test_extract_article_on_a_realistic_page():
    article = extract_article(FERRY_PAGE, url=None, origin="file:///srv/inbox/ferry.html")
    canonical = "https://news.example.org/local/harbour-ferry-returns"
    assert article["canonical_url"] == canonical
    assert article["article_id"] == article_id(canonical)
    assert article["origin"] == "file:///srv/inbox/ferry.html"
    assert article["source_domain"] == "news.example.org"
    assert article["title"] == "Harbour ferry returns after winter repairs"
    assert article["author"] == "Marta Kowalczyk"
    assert article["published_at"] == datetime(2026, 3, 14, 7, 30, tzinfo=timezone.utc)
    assert article["published_at"].utcoffset().total_seconds() == 0
    text = article["text"]
    assert "resumed service on Saturday morning" in text
    assert "a third less fuel" in text
    assert "two evening crossings" in text
    assert "Weather and tides menu" not in text
    assert "All rights reserved" not in text
    assert article["content_hash"] == content_hash(text)
    assert article["word_count"] > 60
    assert article["topics"] == [] and article["countries"] == []


def test_extract_article_keeps_the_fetched_url_and_canonicalises_the_page_url():
    article = extract_article(
        FERRY_PAGE,
        url="https://news.example.org/local/harbour-ferry-returns?utm_campaign=spring#top",
        origin="https://news.example.org/feed.xml",
    )
    assert article["url"].startswith("https://news.example.org/local/harbour-ferry-returns?utm")
    assert article["canonical_url"] == "https://news.example.org/local/harbour-ferry-returns"


def test_extract_article_without_page_url_uses_the_file_uri():
    page = GERMAN_PAGE
    article = extract_article(page, url=None, origin="file:///srv/inbox/bruecke.html")
    assert article["canonical_url"] == "file:///srv/inbox/bruecke.html"
    assert article["source_domain"] is None
    assert "Fußgängerbrücke" in article["text"]


def test_extract_article_with_no_text_raises():
    with pytest.raises(ExtractionError) as raised:
        extract_article(NO_TEXT_PAGE, url="https://example.org/menu", origin="o")
    assert raised.value.error == "no-article-text"
    assert raised.value.detail


@pytest.mark.parametrize(
    ("page", "language"), [(GERMAN_PAGE, "de"), (RUSSIAN_PAGE, "ru"), (FERRY_PAGE, "en")]
)
def test_language_is_detected(page, language, language_identifier):
    article = extract_article(
        page,
        url="https://example.org/x",
        origin="o",
        language_identifier=language_identifier,
    )
    assert article["language"] == language


def _undated(page: str) -> str:
    return page.replace(
        '<meta property="article:published_time" content="2026-03-14T09:30:00+02:00">', ""
    ).replace("Copyright 2026 ", "")


def test_a_page_without_any_date_has_no_publication_time():
    article = extract_article(_undated(FERRY_PAGE), url=None, origin="file:///in/f.html")
    assert article["published_at"] is None


def test_a_copyright_year_is_not_a_publication_date():
    page = _undated(FERRY_PAGE).replace("<footer><p>", "<footer><p>Copyright 2024 ")
    article = extract_article(page, url=None, origin="file:///in/f.html")
    assert article["published_at"] is None


def test_a_year_mentioned_in_the_text_is_not_a_publication_date():
    page = _undated(FERRY_PAGE).replace("in dry dock,", "in the dry dock built in 1998,")
    article = extract_article(page, url=None, origin="file:///in/f.html")
    assert article["published_at"] is None


def test_declared_timestamp_in_another_offset_is_converted_to_utc():
    page = FERRY_PAGE.replace("2026-03-14T09:30:00+02:00", "2026-03-14T23:30:00-05:00")
    article = extract_article(page, url=None, origin="file:///in/f.html")
    assert article["published_at"] == datetime(2026, 3, 15, 4, 30, tzinfo=timezone.utc)


def test_json_ld_date_published_is_used():
    page = FERRY_PAGE.replace(
        '<meta property="article:published_time" content="2026-03-14T09:30:00+02:00">',
        '<script type="application/ld+json">'
        '{"@type": "NewsArticle", "datePublished": "2026-03-14T01:10:00+03:00"}</script>',
    )
    article = extract_article(page, url=None, origin="file:///in/f.html")
    assert article["published_at"] == datetime(2026, 3, 13, 22, 10, tzinfo=timezone.utc)


def test_hints_fill_what_the_page_lacks():
    page = RUSSIAN_PAGE.replace("<title>В городе открылась новая библиотека</title>", "")
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    article = extract_article(
        page,
        url="https://example.org/lib",
        origin="https://example.org/feed.xml",
        hints={"author": "Feed Author", "published_at": when},
    )
    assert article["author"] == "Feed Author"
    assert article["published_at"] == when


# -- ExtractArticles --------------------------------------------------------------------------


@pytest.mark.parametrize("processes", [1, 2], ids=["inline", "two-processes"])
def test_extract_articles_sends_each_item_to_articles_or_rejects(beam_pipeline, processes):
    good_bytes = Item(origin="file:///in/ferry.html", url=None, body=FERRY_PAGE.encode("cp1252"))
    good_html = Item(
        origin="file:///in/batch.jsonl", url="https://example.org/de", html=GERMAN_PAGE
    )
    good_cp1251 = Item(
        origin="file:///in/lib.html",
        url="https://example.org/ru",
        body=RUSSIAN_PAGE.replace('charset="utf-8"', 'charset="windows-1251"').encode("cp1251"),
    )
    empty = Item(origin="file:///in/empty.html", url=None, body=b"")
    oversize = Item(origin="file:///in/huge.html", url=None, body=b"<p>" + b"x" * 5000 + b"</p>")
    no_text = Item(origin="file:///in/menu.html", url=None, body=NO_TEXT_PAGE.encode())
    # A gzip stream nobody decompressed: binary, not a page.
    binary = Item(
        origin="file:///in/packed.html", url=None, body=gzip.compress(FERRY_PAGE.encode())
    )
    # Not a str: an exception nobody expected, which must become a reject, not a failed run.
    poisoned = Item(origin="file:///in/poisoned.html", url=None, html=12345)
    items = [good_bytes, good_html, good_cp1251, empty, oversize, no_text, binary, poisoned]

    with beam_pipeline() as p:
        articles, rejects = (
            p
            | beam.Create(items)
            | ExtractArticles(ExtractionSettings(), max_page_bytes=4000, processes=processes)
        )
        assert_that(
            articles | "ArticleKeys" >> beam.Map(lambda a: (a["origin"], a["canonical_url"])),
            equal_to(
                [
                    (good_bytes.origin, "https://news.example.org/local/harbour-ferry-returns"),
                    (good_html.origin, "https://example.org/de"),
                    (good_cp1251.origin, "https://example.org/ru"),
                ]
            ),
            label="Articles",
        )
        assert_that(
            articles
            | "Languages"
            >> beam.Map(lambda a: (a["origin"], a["language"], "библиотека" in a["text"])),
            equal_to(
                [
                    (good_bytes.origin, "en", False),
                    (good_html.origin, "de", False),
                    (good_cp1251.origin, "ru", True),
                ]
            ),
            label="Languages",
        )
        assert_that(
            rejects | "RejectKeys" >> beam.Map(lambda r: (r.origin, r.stage, r.error)),
            equal_to(
                [
                    (empty.origin, "extract", "empty"),
                    (oversize.origin, "extract", "too-large"),
                    (no_text.origin, "extract", "no-article-text"),
                    (binary.origin, "extract", "binary"),
                    (poisoned.origin, "extract", "crash:AttributeError"),
                ]
            ),
            label="Rejects",
        )


@pytest.mark.parametrize("processes", [1, 2], ids=["inline", "two-processes"])
def test_extraction_makes_the_near_duplicate_sketch_when_asked(beam_pipeline, processes):
    near = NearDuplicateSettings()
    ferry = Item(origin="file:///in/ferry.html", url=None, body=FERRY_PAGE.encode("utf-8"))
    with beam_pipeline() as p:
        articles, _rejects = (
            p
            | beam.Create([ferry])
            | ExtractArticles(ExtractionSettings(), 1_000_000, processes=processes, near=near)
        )
        assert_that(
            articles | beam.Map(lambda a: a[SKETCH_FIELD] == sketch_record(a["text"], near)),
            equal_to([True]),
        )


def test_extraction_processes_leave_the_launchers_garbage_collectable():
    # Objects are frozen for the fork only: the extraction process never scans what it
    # inherited, the launcher (a stream starts a pool per batch) still collects its garbage.
    pool = pool_module.ExtractionPool(1)
    try:
        assert pool._executor.submit(gc.get_freeze_count).result(timeout=60) > 0
        assert gc.get_freeze_count() == 0
    finally:
        pool.close()


def _die_on_poison(work, chunk):
    """Stands in for the extraction worker: a page named "poison" kills its process."""
    if any("poison" in item.origin for item in chunk):
        os._exit(3)
    return pool_module._ORIGINAL_WORKER(work, chunk)


def test_a_page_that_kills_its_extraction_process_is_rejected_and_the_rest_extracted(
    monkeypatch,
):
    """The pool forks after the patch, so its processes run `_die_on_poison`."""
    monkeypatch.setattr(pool_module, "_ORIGINAL_WORKER", pool_module._work_in_worker, raising=False)
    monkeypatch.setattr(pool_module, "_work_in_worker", _die_on_poison)
    pages = [
        Item(origin=f"file:///in/{name}.html", url=None, body=FERRY_PAGE.encode())
        for name in ("a", "b", "poison", "c", "d", "e")
    ]
    pool = pool_module.ExtractionPool(2)
    work = PageWork(ExtractionSettings(), 1_000_000)
    chunks = [pages[:2], pages[2:4], pages[4:]]  # the chunk with the poison goes alone
    try:
        futures = [pool.submit(work, chunk) for chunk in chunks]
        results = [r for c, f in zip(chunks, futures, strict=True) for r in pool.result(work, c, f)]
    finally:
        pool.close()
    outcome = {
        item.origin.rsplit("/", 1)[1]: (r.error if isinstance(r, Reject) else r["title"])
        for item, r in zip(pages, results, strict=True)
    }
    title = "Harbour ferry returns after winter repairs"
    assert outcome == {
        "a.html": title,
        "b.html": title,
        "poison.html": "crash:process-died",
        "c.html": title,
        "d.html": title,
        "e.html": title,
    }


_LAUNCHER_THAT_DIES = """
import os
from newsbeam.transforms import extraction_pool
pool = extraction_pool.ExtractionPool(2)
pool._executor.submit(int).result()  # the pool forks all its processes at its first task
print(" ".join(str(pid) for pid in pool._executor._processes), flush=True)
os._exit(0)  # gone without shutting its pool down, as a killed launcher is
"""


def _running(pid: int) -> bool:
    """True while the process exists and is not a zombie waiting to be reaped."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_extraction_processes_end_when_their_launcher_is_gone():
    import subprocess
    import sys
    import time as clock

    launcher = subprocess.Popen(
        [sys.executable, "-c", _LAUNCHER_THAT_DIES], stdout=subprocess.PIPE, text=True
    )
    with launcher.stdout:  # the line, not the end: the processes hold the pipe while they live
        pids = [int(pid) for pid in launcher.stdout.readline().split()]
    assert launcher.wait(timeout=120) == 0
    assert len(pids) == 2
    deadline = clock.monotonic() + 30
    while any(_running(pid) for pid in pids) and clock.monotonic() < deadline:
        clock.sleep(0.05)  # polling for the processes to notice, with a deadline
    assert not any(_running(pid) for pid in pids)


def test_a_page_that_names_no_address_gets_its_files_uri_as_url():
    page = FERRY_PAGE.replace('<link rel="canonical"', '<link rel="alternate"').replace(
        '<meta property="og:url" content="https://news.example.org/og/ferry">', ""
    )
    article = extract_article(page, url=None, origin="/srv/inbox/ferry notes.html")
    assert article["url"] == "file:///srv/inbox/ferry%20notes.html"
    assert article["canonical_url"] == article["url"]
    assert article["origin"] == "/srv/inbox/ferry notes.html"


def test_a_chunk_of_a_batch_run_is_staged_and_only_its_keys_come_back(tmp_path):
    staging = ArticleStaging(str(tmp_path / "_extracted"), "run-1", datetime.now(timezone.utc))
    work = PageWork(ExtractionSettings(), 1_000_000, NearDuplicateSettings(), staging=staging)
    chunk = [
        Item(origin="file:///in/ferry.html", url=None, body=FERRY_PAGE.encode()),
        Item(origin="file:///in/menu.html", url=None, body=NO_TEXT_PAGE.encode()),
        Item(origin="file:///in/poisoned.html", url=None, html=12345),  # raises in extraction
        Item(origin="file:///in/de.html", url="https://example.org/de", html=GERMAN_PAGE),
    ]
    ferry, menu, poisoned, german = work_on_chunk(chunk, work, process_language_identifier())
    assert (menu.stage, menu.error) == ("extract", "no-article-text")
    assert (poisoned.stage, poisoned.error) == ("extract", "crash:AttributeError")
    (ferry_keys, ferry_body), (german_keys, german_body) = ferry, german
    assert ferry_body == german_body == b""
    assert SKETCH_FIELD in ferry_keys and "text" not in ferry_keys
    (path, first), (same_path, second) = ferry_keys[STAGED_FIELD], german_keys[STAGED_FIELD]
    assert path == same_path and (first, second) == (0, 1)
    rows = read_staged_rows(path, [0, 1]).to_pylist()
    assert [row["origin"] for row in rows] == ["file:///in/ferry.html", "file:///in/de.html"]
    assert rows[0]["title"] == "Harbour ferry returns after winter repairs"
    assert rows[0]["run_id"] == "run-1" and rows[1]["text"]


def test_a_prestarted_pool_is_taken_over_by_the_extraction_step(beam_pipeline):
    pool_module.prestart_extraction(2, None)
    assert len(pool_module._PRESTARTED) == 1
    page = Item(origin="file:///in/ferry.html", url=None, body=FERRY_PAGE.encode())
    with beam_pipeline() as p:
        articles, _ = (
            p | beam.Create([page]) | ExtractArticles(ExtractionSettings(), 1_000_000, processes=2)
        )
        assert_that(
            articles | beam.Map(lambda a: a["title"]),
            equal_to(["Harbour ferry returns after winter repairs"]),
        )
    assert pool_module._PRESTARTED == []


def _page_file(path) -> InboxFile:
    return InboxFile.matched(str(path), path.stat().st_size, path.stat().st_mtime)


def test_a_prefetched_page_is_claimed_and_a_changed_one_extracted_again(tmp_path, beam_pipeline):
    ferry, notes = tmp_path / "ferry.html", tmp_path / "notes.html"
    ferry.write_text(FERRY_PAGE, encoding="utf-8")
    notes.write_text(FERRY_PAGE, encoding="utf-8")
    pool_module.prestart_extraction(2, None)
    work = PageWork(ExtractionSettings(), 1_000_000)
    assert pool_module.prefetch_pages(work, [_page_file(ferry), _page_file(notes)]) == 2
    # Rewritten after it was handed over: its prefetched result is of the old version.
    notes.write_text(GERMAN_PAGE, encoding="utf-8")
    items = [page_to_read(_page_file(ferry)), page_to_read(_page_file(notes))]
    with beam_pipeline() as p:
        articles, _ = (
            p | beam.Create(items) | ExtractArticles(ExtractionSettings(), 1_000_000, processes=2)
        )
        assert_that(
            articles | beam.Map(lambda a: (a["origin"].rsplit("/", 1)[1], a["language"])),
            equal_to([("ferry.html", "en"), ("notes.html", "de")]),
        )
    (unclaimed,) = pool_module._PREFETCHED  # the old version of notes.html
    assert unclaimed[0].endswith("notes.html")
    pool_module.close_prestarted()
    assert pool_module._PREFETCHED == {}


def test_prestarted_processes_that_no_step_took_over_are_ended():
    pool_module.prestart_extraction(2, None)
    (pool,) = pool_module._PRESTARTED
    pids = list(pool._executor._processes)  # forked by the warm-up tasks
    assert len(pids) == 2
    pool_module.close_prestarted()
    assert pool_module._PRESTARTED == []
    assert not any(_running(pid) for pid in pids)


def test_a_chunk_that_cannot_be_staged_gives_a_reject_for_each_of_its_pages(
    tmp_path, beam_pipeline
):
    # The staging folder is a file: writing the chunk fails after every page was extracted.
    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder")
    staging = ArticleStaging(str(blocked / "_extracted"), "run-1", datetime.now(timezone.utc))
    pages = [
        Item(origin=f"file:///in/{name}.html", url=None, body=FERRY_PAGE.encode())
        for name in ("a", "b", "c")
    ]
    with beam_pipeline() as p:
        keys, rejects = (
            p
            | beam.Create(pages)
            | ExtractArticles(
                ExtractionSettings(), 1_000_000, 1, NearDuplicateSettings(), staging=staging
            )
        )
        assert_that(keys, equal_to([]), label="NoKeys")
        assert_that(
            rejects | beam.Map(lambda r: (r.origin, r.stage, r.error.split(":")[0])),
            equal_to([(page.origin, "extract", "crash") for page in pages]),
            label="OneRejectEach",
        )
