"""build.prefetch_inbox: inbox pages handed to the prestarted extraction processes before the
pipeline starts are the ones its extraction step claims, and nothing is extracted twice."""

from __future__ import annotations

import gzip
import json
import os

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from apache_beam.metrics.metric import MetricsFilter

from newsbeam.pipeline import build, cli
from newsbeam.pipeline.build import build_pipeline, prefetch_inbox, resolve_feeds
from newsbeam.pipeline.lifecycle import RunLimits, open_run
from newsbeam.pipeline.options import NewsbeamOptions
from newsbeam.schemas.records import InboxFile
from newsbeam.transforms import extraction_pool as pool_module
from newsbeam.transforms.extract import close_prestarted, prestart_extraction
from newsbeam.transforms.index import handled_files
from newsbeam.transforms.progress import PROGRESS_DIR_ENV, PROGRESS_EVERY_ENV, counter
from newsbeam.transforms.tagging import TaxonomyFile
from tests.e2e.helpers import page, table


def _counter(result, name: str) -> int:
    found = result.metrics().query(MetricsFilter().with_name(name))["counters"]
    return sum(c.committed or 0 for c in found)


def _inbox(folder, count: int):
    folder.mkdir()
    for number in range(count):
        slug = f"harbour-{number}"
        (folder / f"{slug}.html").write_text(
            page(slug, f"Harbour works, part {number}", 3 + number, "the harbour"),
            encoding="utf-8",
        )


def test_prefetched_inbox_pages_are_claimed_by_the_runs_extraction_step(tmp_path, monkeypatch):
    progress = tmp_path / "progress"
    progress.mkdir()
    monkeypatch.setenv(PROGRESS_DIR_ENV, str(progress))
    monkeypatch.setenv(PROGRESS_EVERY_ENV, "0")
    counter("extracted").inc(7)  # this process's own count, before it forks
    _inbox(tmp_path / "inbox", 5)
    (tmp_path / "inbox" / "notes.txt").write_text("not a page", encoding="utf-8")
    output = tmp_path / "out"
    options, _ = cli._prepare(
        ["--inbox", str(tmp_path / "inbox"), "--output", str(output), "--extraction-processes=2"]
    )
    opts = options.view_as(NewsbeamOptions)
    state, run = open_run(str(output), RunLimits.of(opts))
    try:
        prestart_extraction(2, TaxonomyFile(opts.taxonomy))
        assert prefetch_inbox(options, run) == 5  # the page files; not the text file
        result = build_pipeline(options, run, []).run()
        result.wait_until_finish()
        assert _counter(result, "prefetched_pages_claimed") == 5
        assert _counter(result, "extracted") == 5
        assert pool_module._PREFETCHED == {}
    finally:
        close_prestarted()
        state.release()
    # Each extraction process reported the pages it extracted, and only its own counts.
    workers = [
        json.loads(path.read_text())
        for path in progress.glob("*.json")
        if path.stem != str(os.getpid())
    ]
    assert sum(counts.get("pages_worked", 0) for counts in workers) == 5
    assert not any("extracted" in counts for counts in workers)


def test_nothing_is_prefetched_for_a_run_that_extracts_in_one_process(tmp_path):
    _inbox(tmp_path / "inbox", 2)
    options, _ = cli._prepare(
        ["--inbox", str(tmp_path / "inbox"), "--output", str(tmp_path / "out"),
         "--extraction-processes=1"]
    )  # fmt: skip
    state, run = open_run(str(tmp_path / "out"), RunLimits.of(options.view_as(NewsbeamOptions)))
    try:
        assert prefetch_inbox(options, run) == 0
    finally:
        state.release()


def test_a_rerun_prefetches_only_the_pages_no_run_handled(tmp_path):
    _inbox(tmp_path / "inbox", 3)
    output = tmp_path / "out"
    assert cli.main(["ingest", "--inbox", str(tmp_path / "inbox"), "--output", str(output),
                     "--quiet"]) == 0  # fmt: skip
    assert len(table(output, "articles")) == 3
    (tmp_path / "inbox" / "late.html").write_text(
        page("late", "Harbour works, a late report", 20, "the harbour"), encoding="utf-8"
    )
    options, _ = cli._prepare(
        ["--inbox", str(tmp_path / "inbox"), "--output", str(output), "--extraction-processes=2"]
    )
    state, run = open_run(str(output), RunLimits.of(options.view_as(NewsbeamOptions)))
    try:
        prestart_extraction(2, None)
        assert prefetch_inbox(options, run) == 1
        ((origin, _file),) = pool_module._PREFETCHED
        assert origin.endswith("late.html")
    finally:
        close_prestarted()
        state.release()
    assert pool_module._PREFETCHED == {}


def test_handled_files_reads_the_file_rows_of_every_index_file(tmp_path):
    rows = [
        {"kind": "file", "key": "/in/a.html", "detail": "10:1.000000"},
        {"kind": "url", "key": "https://example.org/a", "detail": None},
        {"kind": "file", "key": "/in/a.html", "detail": "12:2.000000"},
    ]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "one.parquet")
    pq.write_table(
        pa.Table.from_pylist([{"kind": "file", "key": "/in/b.html", "detail": "5:3.000000"}]),
        tmp_path / "two.parquet",
    )
    assert handled_files(str(tmp_path / "*.parquet")) == {
        "/in/a.html": {"10:1.000000", "12:2.000000"},
        "/in/b.html": {"5:3.000000"},
    }
    assert handled_files(str(tmp_path / "none" / "*.parquet")) == {}


def test_new_page_files_skips_what_the_inbox_step_would_not_extract(tmp_path):
    from newsbeam.transforms.inbox import new_page_files

    for name in ("a.html", "b.htm", "c.html.gz", "d.jsonl", "e.html.part", ".f.html"):
        (tmp_path / name).write_bytes(b"<html></html>")
    seen = InboxFile.matched(str(tmp_path / "a.html"), 13, (tmp_path / "a.html").stat().st_mtime)
    found = new_page_files([str(tmp_path / "*")], {seen.path: {seen.version}}, limit=10)
    assert sorted(f.path.rsplit("/", 1)[1] for f in found) == ["b.htm", "c.html.gz"]
    assert len(new_page_files([str(tmp_path / "*")], {}, limit=1)) == 1
    assert new_page_files([str(tmp_path / "*")], {}, limit=10, settled_before=0) == []


def test_a_feed_list_over_the_limit_is_refused(tmp_path, monkeypatch):
    listing = tmp_path / "feeds.txt"
    listing.write_text("https://example.org/a.rss\nhttps://example.org/b.rss\n")
    limit = listing.stat().st_size
    monkeypatch.setattr(build, "FEED_LIST_MAX_BYTES", limit)
    assert resolve_feeds([str(listing)]) == [
        "https://example.org/a.rss",
        "https://example.org/b.rss",
    ]
    listing.write_text(listing.read_text() + "https://example.org/c.rss\n")
    with pytest.raises(ValueError, match=f"holds over {limit:,} bytes: not a feed list"):
        resolve_feeds([str(listing)])


def test_a_zipped_feed_list_is_read_and_its_limit_counts_unzipped(tmp_path, monkeypatch):
    listing = tmp_path / "feeds.txt.gz"
    text = "https://example.org/a.rss\n" * 1_000
    listing.write_bytes(gzip.compress(text.encode()))
    assert resolve_feeds([str(listing)]) == ["https://example.org/a.rss"]
    monkeypatch.setattr(build, "FEED_LIST_MAX_BYTES", len(text) - 1)
    with pytest.raises(ValueError, match="holds over"):
        resolve_feeds([str(listing)])
    listing.write_bytes(b"\x1f\x8b not gzip after all")
    with pytest.raises(ValueError, match="cannot be read"):
        resolve_feeds([str(listing)])
