"""Inbox files: naming (classify, in-progress names, path expansion), the pure reader
`read_inbox_file`, and the ReadInbox PTransform's skip-what-was-handled join."""

from __future__ import annotations

import gzip
import json
import os
import random
import socket
import threading
import tracemalloc
from datetime import datetime, timezone
from pathlib import Path

import apache_beam as beam
import pytest
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.testing.util import assert_that, equal_to

from newsbeam.schemas.records import InboxFile, Item, Reject
from newsbeam.transforms import inbox as inbox_module
from newsbeam.transforms.inbox import (
    ReadInbox,
    ReadInboxFiles,
    _unit_records,
    broken_links,
    classify,
    expand_inbox_path,
    is_in_progress,
    needs_fetch,
    page_to_read,
    read_inbox_file,
    read_page,
)

PAGE = (
    b"<html><head><title>Council votes on bike lanes</title></head><body>"
    b"<p>The city council approved two new protected bike lanes on Tuesday night.</p>"
    b"</body></html>"
)
MAX_BYTES = 1_000_000


def _inbox_file(path: Path) -> InboxFile:
    """The InboxFile ReadInbox would build for `path` (Beam's match gives size and mtime)."""
    return InboxFile(str(path), path.stat().st_size, os.path.getmtime(path))


def _write(path: Path, data: bytes) -> InboxFile:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return _inbox_file(path)


def _read(file: InboxFile, max_bytes: int = MAX_BYTES) -> list[Item | Reject]:
    return list(read_inbox_file(file, max_bytes))


def _jsonl(*records) -> bytes:
    return b"".join(
        (r if isinstance(r, bytes) else json.dumps(r).encode("utf-8")) + b"\n" for r in records
    )


# -- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("story.html", ("page", False)),
        ("story.htm", ("page", False)),
        ("STORY.HTML", ("page", False)),
        ("story.html.gz", ("page", True)),
        ("story.htm.gz", ("page", True)),
        ("batch.jsonl", ("jsonl", False)),
        ("batch.jsonl.gz", ("jsonl", True)),
        ("feed.xml", ("feed", False)),
        ("feed.rss", ("feed", False)),
        ("feed.atom", ("feed", False)),
        ("feed.json", ("feed", False)),
        ("feed.xml.gz", ("feed", True)),
        ("crawl.warc", ("warc", False)),
        ("crawl.warc.gz", ("warc", True)),
        ("report.pdf", ("other", False)),
        ("notes.txt", ("other", False)),
        ("archive.gz", ("other", True)),
    ],
)
def test_classify(name, expected):
    assert classify(f"/srv/inbox/{name}") == expected
    assert classify(f"gs://bucket/inbox/{name}") == expected


@pytest.mark.parametrize(
    "name",
    [
        "story.html.tmp",
        "story.html.part",
        "story.html.partial",
        "story.html.crdownload",
        "story.html~",
        ".story.html",
        ".story.html.swp",
        ".DS_Store",
    ],
)
def test_in_progress_names(name):
    assert is_in_progress(f"/srv/inbox/{name}")
    assert is_in_progress(f"gs://bucket/inbox/{name}")


@pytest.mark.parametrize(
    "name", ["story.html", "batch.jsonl.gz", "party.html", "temporary-notes.html", "tmp.html"]
)
def test_ordinary_names_are_not_in_progress(name):
    assert not is_in_progress(f"/srv/inbox/{name}")


def test_expand_inbox_path_folder_becomes_recursive_glob(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    assert expand_inbox_path(str(folder)) == f"{folder}/**"
    assert expand_inbox_path(str(folder) + "/") == f"{folder}/**"


def test_expand_inbox_path_file_stays_a_file(tmp_path):
    page = tmp_path / "story.html"
    page.write_bytes(PAGE)
    assert expand_inbox_path(str(page)) == str(page)


def test_expand_inbox_path_glob_is_kept(tmp_path):
    pattern = f"{tmp_path}/inbox/*.html"
    assert expand_inbox_path(pattern) == pattern
    assert expand_inbox_path("gs://bucket/inbox/**/*.jsonl") == "gs://bucket/inbox/**/*.jsonl"


def test_expand_inbox_path_relative_folder_is_made_absolute(tmp_path, monkeypatch):
    (tmp_path / "inbox").mkdir()
    monkeypatch.chdir(tmp_path)
    assert expand_inbox_path("inbox") == f"{tmp_path}/inbox/**"


# -- read_inbox_file --------------------------------------------------------------------------


def test_html_file_is_one_item(tmp_path):
    file = _write(tmp_path / "story.html", PAGE)
    assert _read(file) == [Item(origin=file.path, url=None, body=PAGE)]


def test_gzipped_html_file_is_decompressed(tmp_path):
    file = _write(tmp_path / "story.html.gz", gzip.compress(PAGE))
    assert _read(file) == [Item(origin=file.path, url=None, body=PAGE)]


@pytest.mark.parametrize("data", [b"", b"  \n\t\n"])
def test_empty_file_is_a_read_reject(tmp_path, data):
    file = _write(tmp_path / "empty.html", data)
    [reject] = _read(file)
    assert isinstance(reject, Reject)
    assert (reject.origin, reject.stage, reject.error) == (file.path, "read", "empty")


def test_truncated_gzip_page_is_a_bad_gzip_reject(tmp_path):
    whole = gzip.compress(PAGE * 20)
    file = _write(tmp_path / "story.html.gz", whole[: len(whole) // 2])
    [reject] = _read(file)
    assert isinstance(reject, Reject)
    assert (reject.origin, reject.stage, reject.error) == (file.path, "read", "bad-gzip")
    assert reject.detail


def test_not_gzip_at_all_is_a_bad_gzip_reject(tmp_path):
    file = _write(tmp_path / "story.html.gz", PAGE)
    [reject] = _read(file)
    assert (reject.stage, reject.error) == ("read", "bad-gzip")


def test_page_over_max_bytes_is_too_large(tmp_path):
    file = _write(tmp_path / "big.html", PAGE)
    [reject] = _read(file, max_bytes=len(PAGE) - 1)
    assert isinstance(reject, Reject)
    assert (reject.stage, reject.error) == ("read", "too-large")
    # Exactly at the limit is still fine.
    assert _read(file, max_bytes=len(PAGE)) == [Item(origin=file.path, url=None, body=PAGE)]


def test_gzipped_page_over_max_bytes_counts_decompressed_size(tmp_path):
    data = PAGE * 50
    file = _write(tmp_path / "big.html.gz", gzip.compress(data))
    assert file.size < len(data) // 2
    [reject] = _read(file, max_bytes=len(data) - 1)
    assert (reject.stage, reject.error) == ("read", "too-large")


def test_jsonl_lines(tmp_path):
    file = _write(
        tmp_path / "batch.jsonl",
        _jsonl(
            {"url": "https://news.example.org/a", "html": "<p>First story.</p>"},
            b"{this is not json",
            {"html": "<p>No address.</p>"},
            b"",  # a blank line: layout, not an input
            {"url": "https://news.example.org/d"},
            {"url": "https://news.example.org/e", "html": "<p>Last story.</p>"},
            b"[1, 2, 3]",
        ),
    )
    records = _read(file)
    assert records == [
        Item(
            file.path, "https://news.example.org/a", html="<p>First story.</p>", hints={"line": 1}
        ),
        Reject(file.path, None, "parse", "bad-json", records[1].detail),
        Reject(file.path, None, "parse", "missing-url", records[2].detail),
        Reject(file.path, "https://news.example.org/d", "parse", "missing-html", records[3].detail),
        Item(file.path, "https://news.example.org/e", html="<p>Last story.</p>", hints={"line": 6}),
        Reject(file.path, None, "parse", "bad-record", records[5].detail),
    ]
    assert "line 2" in records[1].detail
    assert "line 3" in records[2].detail


def test_jsonl_with_only_blank_lines_has_no_inputs(tmp_path):
    file = _write(tmp_path / "blank.jsonl", b"\n\n   \n")
    assert _read(file) == []


def test_gzipped_jsonl(tmp_path):
    lines = [
        {"url": f"https://news.example.org/{i}", "html": f"<p>Story {i}.</p>"} for i in range(3)
    ]
    file = _write(tmp_path / "batch.jsonl.gz", gzip.compress(_jsonl(*lines)))
    assert [(r.url, r.html) for r in _read(file)] == [(x["url"], x["html"]) for x in lines]


def test_truncated_gzipped_jsonl_keeps_good_lines_then_one_reject(tmp_path):
    # Incompressible-ish lines, so that cutting the file cuts the text near its end.
    rng = random.Random(20261125)
    lines = [
        {
            "url": f"https://news.example.org/{i}",
            "html": "<p>" + "".join(rng.choice("abcdefghij klmnop") for _ in range(1500)) + "</p>",
        }
        for i in range(200)
    ]
    whole = gzip.compress(_jsonl(*lines))
    file = _write(tmp_path / "batch.jsonl.gz", whole[: len(whole) * 3 // 4])
    records = _read(file)
    good, last = records[:-1], records[-1]
    assert 50 < len(good) < 200
    assert all(isinstance(r, Item) for r in good)
    assert [r.url for r in good] == [x["url"] for x in lines[: len(good)]]
    assert [r.html for r in good] == [x["html"] for x in lines[: len(good)]]
    assert isinstance(last, Reject)
    assert (last.origin, last.stage, last.error) == (file.path, "read", "bad-gzip")


def test_jsonl_line_over_max_bytes_is_rejected_alone(tmp_path):
    small = {"url": "https://news.example.org/s", "html": "<p>short</p>"}
    big = {"url": "https://news.example.org/b", "html": "<p>" + "x" * 500 + "</p>"}
    file = _write(tmp_path / "batch.jsonl", _jsonl(small, big, small))
    records = _read(file, max_bytes=200)
    assert [type(r).__name__ for r in records] == ["Item", "Reject", "Item"]
    assert (records[1].stage, records[1].error) == ("parse", "too-large")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("report.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"),
        ("notes.txt", b"remember the milk"),
        ("letter.docx", b"PK\x03\x04 not really a document"),
    ],
)
def test_unsupported_formats_are_one_reject_each(tmp_path, name, data):
    file = _write(tmp_path / name, data)
    [reject] = _read(file)
    assert isinstance(reject, Reject)
    assert (reject.origin, reject.stage, reject.error) == (file.path, "read", "unsupported-format")


RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Town notes</title><link>https://town.example.org/</link>
<item><title>Library opens late on Thursdays</title>
<link>https://town.example.org/news/library-hours</link>
<pubDate>Tue, 24 Nov 2026 09:00:00 +0300</pubDate></item>
<item><title>Road works on the ring road</title>
<link>https://town.example.org/news/road-works</link></item>
<item><title>An entry with nowhere to go</title><description>No link here.</description></item>
</channel></rss>"""


@pytest.mark.parametrize("name", ["town.xml", "town.rss", "town.rss.gz"])
def test_feed_file_entries_become_items_to_fetch(tmp_path, name):
    data = gzip.compress(RSS) if name.endswith(".gz") else RSS
    file = _write(tmp_path / name, data)
    records = _read(file)
    items = [r for r in records if isinstance(r, Item)]
    rejects = [r for r in records if isinstance(r, Reject)]
    assert [i.url for i in items] == [
        "https://town.example.org/news/library-hours",
        "https://town.example.org/news/road-works",
    ]
    assert all(i.origin == file.path and i.body is None and i.html is None for i in items)
    assert items[0].hints["title"] == "Library opens late on Thursdays"
    # +03:00 in the feed, UTC in the record: partitions are UTC dates.
    assert items[0].hints["published_at"] == datetime(2026, 11, 24, 6, 0, tzinfo=timezone.utc)
    assert [(r.origin, r.stage, r.error) for r in rejects] == [(file.path, "parse", "no-link")]


def test_feed_file_without_entries_is_a_parse_reject(tmp_path):
    file = _write(
        tmp_path / "empty-feed.xml",
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>',
    )
    [reject] = _read(file)
    assert isinstance(reject, Reject)
    assert (reject.origin, reject.stage) == (file.path, "parse")


# -- ReadInbox --------------------------------------------------------------------------------


def _build_inbox(root: Path) -> dict[str, InboxFile]:
    inbox = root / "inbox"
    files = {
        "handled": _write(inbox / "handled.html", PAGE),
        "fresh": _write(inbox / "fresh.html", PAGE.replace(b"bike", b"bus")),
        "batch": _write(
            inbox / "nested" / "batch.jsonl",
            _jsonl(
                {"url": "https://news.example.org/1", "html": "<p>One.</p>"},
                {"url": "https://news.example.org/2", "html": "<p>Two.</p>"},
                b"not json",
            ),
        ),
        "pdf": _write(inbox / "report.pdf", b"%PDF-1.4\n"),
        "empty": _write(inbox / "empty.htm", b""),
    }
    # Names that are not inputs (yet): never read.
    _write(inbox / "incoming.html.part", PAGE)
    _write(inbox / ".hidden.html", PAGE)
    _write(inbox / "draft.html~", PAGE)
    return files


def _changed(path: Path, data: bytes) -> tuple[InboxFile, InboxFile]:
    """The version of `path` an earlier run saw, and the version it has now."""
    before = _write(path, data)
    path.write_bytes(data + b"<!-- corrected -->")
    os.utime(path, (before.mtime + 60, before.mtime + 60))  # no sleeping for mtime to move
    return before, _inbox_file(path)


def _pages_read(items, rejects):
    """ReadInbox's items and rejects, with each page file's Item read as the extraction step
    reads it (`read_page`): (items holding their page, rejects including the pages')."""
    done = items | "ReadPages" >> beam.Map(lambda i: read_page(i, MAX_BYTES) if i.file else i)
    pages = done | "PageItems" >> beam.Filter(lambda r: isinstance(r, Item))
    page_rejects = done | "PageRejects" >> beam.Filter(lambda r: isinstance(r, Reject))
    return pages, (rejects, page_rejects) | "AllRejects" >> beam.Flatten()


def test_page_files_are_read_where_they_are_extracted(tmp_path):
    page = _write(tmp_path / "story.html.gz", gzip.compress(PAGE))
    (item,) = _unit_records(page, MAX_BYTES)
    assert (item.origin, item.url, item.body, item.file) == (page.path, None, None, page)
    assert not needs_fetch(item)
    read = read_page(item, MAX_BYTES)
    assert (read.origin, read.body) == (page.path, PAGE)
    empty = _write(tmp_path / "empty.htm", b"")
    assert read_page(page_to_read(empty), MAX_BYTES).error == "empty"


def test_read_inbox_skips_handled_files_and_accounts_for_every_input(tmp_path, beam_pipeline):
    files = _build_inbox(tmp_path)
    before, after = _changed(tmp_path / "inbox" / "changed.html", PAGE)
    assert before.version != after.version
    handled_pairs = [
        (files["handled"].path, files["handled"].version),
        (before.path, before.version),
        (str(tmp_path / "inbox" / "gone.html"), "1:1.000000"),  # handled, since deleted
    ]

    p = beam_pipeline()
    handled = p | "Handled" >> beam.Create(handled_pairs)
    items, rejects, read = handled | ReadInbox([f"{tmp_path}/inbox/**"], MAX_BYTES)
    items, rejects = _pages_read(items, rejects)
    assert_that(
        items | "ItemKeys" >> beam.Map(lambda i: (i.origin, i.url, i.body or i.html)),
        equal_to(
            [
                (files["fresh"].path, None, PAGE.replace(b"bike", b"bus")),
                (after.path, None, PAGE + b"<!-- corrected -->"),
                (files["batch"].path, "https://news.example.org/1", "<p>One.</p>"),
                (files["batch"].path, "https://news.example.org/2", "<p>Two.</p>"),
            ]
        ),
        label="Items",
    )
    assert_that(
        rejects | "RejectKeys" >> beam.Map(lambda r: (r.origin, r.stage, r.error)),
        equal_to(
            [
                (files["batch"].path, "parse", "bad-json"),
                (files["pdf"].path, "read", "unsupported-format"),
                (files["empty"].path, "read", "empty"),
            ]
        ),
        label="Rejects",
    )
    assert_that(
        read,
        equal_to([files["fresh"], files["batch"], files["pdf"], files["empty"], after]),
        label="FilesRead",
    )
    result = p.run()
    result.wait_until_finish()

    def counter(name: str) -> int:
        found = result.metrics().query(MetricsFilter().with_namespace("newsbeam").with_name(name))
        return sum(c.committed for c in found["counters"])

    assert counter("skipped") == 1
    assert counter("files_read") == 5
    assert counter("inputs") == 7  # 4 items + 3 rejects: every input counted once


def test_read_inbox_with_nothing_handled_reads_everything(tmp_path, beam_pipeline):
    files = _build_inbox(tmp_path)
    with beam_pipeline() as p:
        handled = p | "NothingHandled" >> beam.Create([]).with_output_types(tuple[str, str])
        items, rejects, read = handled | ReadInbox([f"{tmp_path}/inbox/**"], MAX_BYTES)
        origins = (
            items | "ItemOrigins" >> beam.Map(lambda i: i.origin),
            rejects | "RejectOrigins" >> beam.Map(lambda r: r.origin),
        ) | beam.Flatten()
        assert_that(
            origins,
            equal_to(
                [
                    files["handled"].path,
                    files["fresh"].path,
                    files["batch"].path,
                    files["batch"].path,
                    files["batch"].path,
                    files["pdf"].path,
                    files["empty"].path,
                ]
            ),
            label="EveryInput",
        )
        assert_that(
            read | beam.Map(lambda f: f.path),
            equal_to([f.path for f in files.values()]),
            label="FilesRead",
        )


def test_read_inbox_of_a_single_file_and_an_empty_glob(tmp_path, beam_pipeline):
    page = tmp_path / "one.html"
    page.write_bytes(PAGE)
    with beam_pipeline() as p:
        handled = p | beam.Create([]).with_output_types(tuple[str, str])
        items, rejects, _read_files = handled | ReadInbox(
            [str(page), f"{tmp_path}/nowhere/*.html"], MAX_BYTES
        )
        items, rejects = _pages_read(items, rejects)
        assert_that(items, equal_to([Item(origin=str(page), url=None, body=PAGE)]), label="I")
        assert_that(rejects, equal_to([]), label="R")


def test_read_inbox_reads_a_file_matched_by_two_patterns_once(tmp_path, beam_pipeline):
    page = tmp_path / "inbox" / "one.html"
    _write(page, PAGE)
    patterns = [f"{tmp_path}/inbox/**", str(page), f"{tmp_path}/inbox/*.html"]
    with beam_pipeline() as p:
        handled = p | beam.Create([]).with_output_types(tuple[str, str])
        items, _rejects, read = handled | ReadInbox(patterns, MAX_BYTES)
        assert_that(items | beam.Map(lambda i: i.origin), equal_to([str(page)]), label="Once")
        assert_that(read | "Paths" >> beam.Map(lambda f: f.path), equal_to([str(page)]), label="F")


@pytest.mark.parametrize(
    ("path", "pattern"),
    [
        ("gs://bucket/inbox", "gs://bucket/inbox/**"),
        ("gs://bucket/inbox/", "gs://bucket/inbox/**"),
        ("gs://bucket/inbox/page.html.gz", "gs://bucket/inbox/page.html.gz"),
        ("gs://bucket/inbox/*.jsonl", "gs://bucket/inbox/*.jsonl"),
    ],
)
def test_expand_inbox_path_decides_remote_paths_by_name_alone(path, pattern):
    assert expand_inbox_path(path) == pattern  # no bucket listing: no credentials needed


# -- inputs that used to fail a run, or hang it ----------------------------------------------


def _counter(result, name: str) -> int:
    found = result.metrics().query(MetricsFilter().with_namespace("newsbeam").with_name(name))
    return sum(c.committed for c in found["counters"])


def test_a_file_name_that_is_not_utf8_is_read_through_its_bytes(tmp_path, beam_pipeline):
    from tests.transforms.test_warc import write_warc

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    folder = os.fsencode(inbox)
    with open(folder + b"/caf\xe9.html", "wb") as handle:
        handle.write(PAGE)
    write_warc(inbox / "archive.warc.gz", 2)
    os.rename(folder + b"/archive.warc.gz", folder + b"/archive-\xff.warc.gz")
    page_name, warc_name = f"{inbox}/caf\\xe9.html", f"{inbox}/archive-\\xff.warc.gz"

    p = beam_pipeline()
    handled = p | beam.Create([]).with_output_types(tuple[str, str])
    items, rejects, read = handled | ReadInbox([f"{inbox}/**"], MAX_BYTES)
    items, rejects = _pages_read(items, rejects)
    origins = items | "Origins" >> beam.Map(lambda i: (i.origin, i.body == PAGE))
    assert_that(
        origins,
        equal_to([(page_name, True), (warc_name, False), (warc_name, False)]),
        label="Items",
    )
    assert_that(rejects | "Errors" >> beam.Map(lambda r: r.error), equal_to(["not-a-page"]))
    assert_that(read | "Paths" >> beam.Map(lambda f: f.path), equal_to([page_name, warc_name]))
    result = p.run()
    result.wait_until_finish()
    assert _counter(result, "inputs") == 4


def _read_in_thread(path: Path, deadline: float = 20.0) -> list[Item | Reject]:
    """read_inbox_file in a thread: a read that blocks fails the test instead of hanging it."""
    found: list = []
    reader = threading.Thread(
        target=lambda: found.extend(_read(InboxFile(str(path), 0, 0.0))), daemon=True
    )
    reader.start()
    reader.join(deadline)
    if reader.is_alive():  # a blocked open() of the FIFO: give it a writer so the thread ends
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(deadline)
        pytest.fail(f"reading {path.name} blocked")
    return found


@pytest.mark.parametrize("name", ["pipe.html", "pipe.jsonl", "pipe.warc", "pipe.xml.gz"])
def test_a_fifo_is_a_reject_and_is_never_opened(tmp_path, name):
    fifo = tmp_path / name
    os.mkfifo(fifo)
    [reject] = _read_in_thread(fifo)
    assert (reject.stage, reject.error) == ("read", "not-a-file")
    assert "named pipe" in reject.detail


def test_a_socket_and_a_device_are_rejects(tmp_path):
    listener = socket.socket(socket.AF_UNIX)
    try:
        listener.bind(str(tmp_path / "live.html"))
        [reject] = _read(InboxFile(str(tmp_path / "live.html"), 0, 0.0))
        assert reject.error == "not-a-file" and "socket" in reject.detail
    finally:
        listener.close()
    (tmp_path / "zeros.html").symlink_to("/dev/zero")  # a link is followed: to a device
    [reject] = _read(InboxFile(str(tmp_path / "zeros.html"), 0, 0.0))
    assert reject.error == "not-a-file" and "device" in reject.detail


def test_links_to_nothing_are_listed_and_rejected_and_other_links_left_to_beam(tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "deeper").mkdir(parents=True)
    (inbox / "real.html").write_text("<p>here</p>")
    (inbox / "to-real.html").symlink_to(inbox / "real.html")  # Beam lists it itself
    (inbox / "deeper" / "gone.html").symlink_to(tmp_path / "nowhere.html")
    (inbox / "loop-a.html").symlink_to(inbox / "loop-b.html")
    (inbox / "loop-b.html").symlink_to(inbox / "loop-a.html")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "gone.html").symlink_to(tmp_path / "nowhere.html")
    (inbox / "linked-folder").symlink_to(tmp_path / "elsewhere")  # not followed, as os.walk
    expected = {"deeper/gone.html", "loop-a.html", "loop-b.html"}
    found = {m.path: m for m in broken_links(expand_inbox_path(str(inbox)))}
    assert {os.path.relpath(path, inbox) for path in found} == expected
    assert all(m.size_in_bytes == 0 for m in found.values())
    globbed = broken_links(str(inbox / "loop-*.html"))
    assert {os.path.basename(m.path) for m in globbed} == {"loop-a.html", "loop-b.html"}
    assert list(broken_links("gs://bucket/inbox/**")) == []
    [reject] = _read(InboxFile(str(inbox / "loop-a.html"), 0, 0.0))
    assert reject.error == "not-a-file" and "a broken symbolic link" in reject.detail


def test_an_over_long_jsonl_line_is_skipped_without_being_held(tmp_path):
    """A gzipped line 40 times the limit: the reader holds at most about the limit."""
    limit = 256 * 1024
    good = {"url": "https://quay.example/after", "html": "<p>The line after the long one.</p>"}
    path = tmp_path / "long.jsonl.gz"
    with gzip.open(path, "wb", compresslevel=1) as handle:
        handle.write(b'{"url": "https://quay.example/long", "html": "')
        for _ in range(40):
            handle.write(b"x" * limit)
        handle.write(b'"}\n' + json.dumps(good).encode() + b"\n")
    file = _inbox_file(path)
    tracemalloc.start()
    try:
        records = _read(file, max_bytes=limit)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [(type(r).__name__, getattr(r, "error", r.url)) for r in records] == [
        ("Reject", "too-large"),
        ("Item", "https://quay.example/after"),
    ]
    assert "line 1" in records[0].detail
    assert peak < 6 * limit, f"peak {peak:,} bytes for a {limit:,}-byte limit"


def test_a_feed_file_of_more_than_20000_entries_gives_every_entry(tmp_path):
    count = 20_005
    entries = "".join(f"<item><link>https://quay.example/{n}</link></item>" for n in range(count))
    rss = f'<rss version="2.0"><channel><title>Archive</title>{entries}</channel></rss>'
    file = _write(tmp_path / "archive.rss", rss.encode())
    records = _read(file, max_bytes=10_000_000)
    assert len(records) == count
    assert all(isinstance(r, Item) for r in records)
    assert records[-1].url == f"https://quay.example/{count - 1}"


def test_a_crash_part_way_through_a_file_keeps_what_came_before_and_counts_once(
    tmp_path, beam_pipeline, monkeypatch
):
    """A feed file whose reading raises after its first entry (a reject, counted as an input):
    that reject stands, the rest of the file is one crash reject, and inputs = rows. (Before,
    Beam's exception handling dropped the first reject after it had been counted.)"""
    real_records = inbox_module.entry_records

    def crash_after_the_first_entry(origin, entries, base_url):
        yield next(iter(real_records(origin, entries, base_url)))
        raise RuntimeError("an unexpected failure")

    monkeypatch.setattr(inbox_module, "entry_records", crash_after_the_first_entry)
    entries = "<item><title>No link</title></item>" + "".join(
        f"<item><link>https://quay.example/{n}</link></item>" for n in range(2)
    )
    rss = f'<rss version="2.0"><channel><title>Quay</title>{entries}</channel></rss>'
    file = _write(tmp_path / "three.rss", rss.encode())
    p = beam_pipeline()
    items, rejects = p | beam.Create([file]) | ReadInboxFiles(MAX_BYTES)
    assert_that(items, equal_to([]), label="Items")
    assert_that(
        rejects | "Errors" >> beam.Map(lambda r: (r.origin, r.error)),
        equal_to([(file.path, "no-link"), (file.path, "crash:RuntimeError")]),
        label="Rejects",
    )
    result = p.run()
    result.wait_until_finish()
    assert _counter(result, "inputs") == 2
