"""WritePartitionedParquet and its pure parts: stamping rows, choosing partitions, writing one
file atomically; then the files read back with pyarrow and DuckDB."""

from __future__ import annotations

import concurrent.futures
import json
import os
from concurrent.futures.process import BrokenProcessPool
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import apache_beam as beam
import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from apache_beam.testing.util import assert_that, equal_to

from newsbeam.schemas.records import Item, Reject
from newsbeam.schemas.tables import ARTICLES, INDEX, REJECTS, SCHEMA_VERSION
from newsbeam.transforms import sinks
from newsbeam.transforms.extract import ExtractArticles, ExtractionSettings, extract_article
from newsbeam.transforms.minhash import NearDuplicateSettings
from newsbeam.transforms.sinks import (
    WritePartitionedParquet,
    partition_of,
    stamp,
    write_parquet_file,
)

RUN_ID = "20261125T120000Z-3f9a"
INGESTED = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


def article_row(number: int, published_at: datetime | None) -> dict:
    """An articles row as Deduplicate emits it (before stamping)."""
    url = f"https://news.example.org/story-{number}"
    return {
        "article_id": f"{number:024x}",
        "url": url,
        "canonical_url": url,
        "origin": "file:///srv/inbox/batch.jsonl",
        "source_domain": "news.example.org",
        "site_name": "Example News",
        "title": f"Story number {number}",
        "author": None,
        "description": None,
        "published_at": published_at,
        "language": "en",
        "text": f"The text of story {number}, in a few words.",
        "word_count": 9,
        "content_hash": f"{number:064x}",
        "topics": ["diplomacy"] if number % 2 else [],
        "topic_evidence": [{"topic": "diplomacy", "score": 0.5, "phrases": ["talks"]}]
        if number % 2
        else [],
        "countries": ["by", "us"],
        "schema_version": SCHEMA_VERSION,
    }


# -- stamp / partition_of ---------------------------------------------------------------------


def test_stamp_adds_run_fields_to_a_dict():
    row = stamp("articles", article_row(1, None), RUN_ID, INGESTED)
    assert row["ingested_at"] == INGESTED
    assert row["run_id"] == RUN_ID
    assert row["schema_version"] == SCHEMA_VERSION
    assert row["title"] == "Story number 1"


def test_stamp_accepts_a_record():
    reject = Reject("file:///in/x.pdf", None, "read", "unsupported-format", "not a page")
    row = stamp("rejects", reject, RUN_ID, INGESTED)
    assert row == {
        "origin": "file:///in/x.pdf",
        "url": None,
        "stage": "read",
        "error": "unsupported-format",
        "detail": "not a page",
        "ingested_at": INGESTED,
        "run_id": RUN_ID,
        "schema_version": SCHEMA_VERSION,
    }


def test_stamp_index_row_fills_optional_columns():
    row = stamp(
        "index", {"kind": "url", "key": "https://x.org/a", "article_id": "a"}, RUN_ID, INGESTED
    )
    assert row == {
        "kind": "url",
        "key": "https://x.org/a",
        "article_id": "a",
        "detail": None,
        "published_at": None,
        "recorded_at": INGESTED,
        "run_id": RUN_ID,
    }


def test_articles_partition_by_publication_date():
    row = stamp(
        "articles",
        article_row(1, datetime(2026, 3, 14, 23, 59, tzinfo=timezone.utc)),
        RUN_ID,
        INGESTED,
    )
    assert partition_of("articles", row) == "published_date=2026-03-14"


def test_articles_without_a_date_partition_by_ingest_date():
    row = stamp("articles", article_row(1, None), RUN_ID, INGESTED)
    assert partition_of("articles", row) == "published_date=2026-11-25"


def test_articles_partition_by_the_utc_date_of_a_non_utc_timestamp():
    # 01:30 in Minsk (UTC+3) on 15 March is still 14 March in UTC.
    minsk = timezone(timedelta(hours=3))
    row = stamp(
        "articles", article_row(1, datetime(2026, 3, 15, 1, 30, tzinfo=minsk)), RUN_ID, INGESTED
    )
    assert partition_of("articles", row) == "published_date=2026-03-14"


@pytest.mark.parametrize("table", ["duplicates", "rejects"])
def test_duplicates_and_rejects_partition_by_ingest_date(table):
    # Even when they carry a publication time: these tables are about the run.
    row = {"published_at": datetime(2020, 1, 1, tzinfo=timezone.utc), "ingested_at": INGESTED}
    assert partition_of(table, row) == "ingest_date=2026-11-25"


def test_index_has_no_partition():
    row = stamp("index", {"kind": "hash", "key": "k", "article_id": "a"}, RUN_ID, INGESTED)
    assert partition_of("index", row) == ""


def test_unknown_table_is_refused():
    with pytest.raises(ValueError, match="unknown table"):
        WritePartitionedParquet("nonsense", "/tmp/out", RUN_ID, INGESTED)


# -- write_parquet_file -----------------------------------------------------------------------


def test_write_parquet_file_is_atomic_and_reads_back(tmp_path):
    folder = tmp_path / "rejects" / "ingest_date=2026-11-25"  # missing: must be created
    path = folder / f"part-{RUN_ID}-00000.parquet"
    rows = [
        stamp(
            "rejects",
            Reject(f"file:///in/{n}.pdf", None, "read", "unsupported-format", "no"),
            RUN_ID,
            INGESTED,
        )
        for n in range(3)
    ]
    write_parquet_file(str(path), rows, REJECTS)
    assert sorted(p.name for p in folder.iterdir()) == [path.name]
    assert not list(tmp_path.rglob("*.inprogress"))
    table = pq.read_table(path)
    assert table.schema.equals(REJECTS, check_metadata=False)
    assert table.column("origin").to_pylist() == [f"file:///in/{n}.pdf" for n in range(3)]
    assert table.column("ingested_at").to_pylist() == [INGESTED] * 3


def _codecs(path) -> set[str]:
    metadata = pq.ParquetFile(path).metadata
    return {
        metadata.row_group(group).column(column).compression
        for group in range(metadata.num_row_groups)
        for column in range(metadata.num_columns)
    }


def test_a_small_file_is_written_with_snappy_a_large_one_with_zstd(tmp_path):
    small = [article_row(n, datetime(2026, 5, 2, tzinfo=timezone.utc)) for n in range(3)]
    # About 1 KiB of text a row: 400 rows are well over SMALL_FILE_BYTES.
    large = [{**row, "text": row["text"] * 25} for row in small * 134]
    for name, rows in (("small", small), ("large", large)):
        stamped = [stamp("articles", row, RUN_ID, INGESTED) for row in rows]
        write_parquet_file(str(tmp_path / f"{name}.parquet"), stamped, ARTICLES)
    assert _codecs(tmp_path / "small.parquet") == {"SNAPPY"}
    assert _codecs(tmp_path / "large.parquet") == {"ZSTD"}
    assert len(pq.read_table(tmp_path / "large.parquet")) == 402


def test_an_extracted_article_round_trips_through_parquet(tmp_path):
    # The dict extract_article builds must fit the articles schema column for column:
    # from_pylist would silently write nulls for a misnamed key.
    page = (
        '<html><head><link rel="canonical" href="https://news.example.org/market">'
        '<meta property="article:published_time" content="2026-05-02T06:00:00Z">'
        "<title>Saturday market moves to the square</title></head><body><article>"
        "<h1>Saturday market moves to the square</h1>"
        "<p>The weekly farmers market will move from the car park to the main square next "
        "month, the town council decided on Thursday after a short debate.</p>"
        "<p>Traders welcomed the change, saying the square is easier to reach on foot and "
        "gives shoppers more room between the stalls.</p></article></body></html>"
    )
    article = extract_article(page, url=None, origin="file:///in/market.html")
    row = stamp("articles", article, RUN_ID, INGESTED)
    path = tmp_path / "articles" / f"{partition_of('articles', row)}" / "part.parquet"
    write_parquet_file(str(path), [row], ARTICLES)
    assert path.parent.name == "published_date=2026-05-02"
    [back] = pq.read_table(path).to_pylist()
    assert set(back) == set(ARTICLES.names)
    assert set(row) <= set(ARTICLES.names), set(row) - set(ARTICLES.names)
    for name in ARTICLES.names:
        assert back[name] == row[name], name


def test_write_parquet_file_replaces_a_file_of_the_same_name(tmp_path):
    path = tmp_path / "index" / f"part-{RUN_ID}-00000.parquet"
    first = [stamp("index", {"kind": "url", "key": "a", "article_id": "1"}, RUN_ID, INGESTED)]
    second = [stamp("index", {"kind": "url", "key": "b", "article_id": "2"}, RUN_ID, INGESTED)]
    write_parquet_file(str(path), first, INDEX)
    write_parquet_file(str(path), second, INDEX)  # a retried bundle
    assert pq.read_table(path).column("key").to_pylist() == ["b"]
    assert [p.name for p in path.parent.iterdir()] == [path.name]


# -- WritePartitionedParquet ------------------------------------------------------------------

_DAYS = [date(2026, 11, 20), date(2026, 11, 21), date(2026, 11, 23)]


def _rows() -> list[dict]:
    rows = []
    for number in range(11):
        day = _DAYS[number % 3]
        when = datetime(day.year, day.month, day.day, number, 15, tzinfo=timezone.utc)
        rows.append(article_row(number, when))
    rows.append(article_row(99, None))  # no date: the ingest date's partition
    return rows


@pytest.fixture
def written(tmp_path, beam_pipeline) -> Path:
    """The output root after the PTransform wrote `_rows()` as articles, rows_per_file=2."""
    with beam_pipeline() as p:
        files = (
            p
            | beam.Create(_rows())
            | WritePartitionedParquet("articles", str(tmp_path), RUN_ID, INGESTED, rows_per_file=2)
        )
        assert_that(
            files | beam.Map(lambda f: (Path(f[0]).parent.name, f[1])),
            equal_to(
                [
                    ("published_date=2026-11-20", 2),
                    ("published_date=2026-11-20", 2),
                    ("published_date=2026-11-21", 2),
                    ("published_date=2026-11-21", 2),
                    ("published_date=2026-11-23", 2),
                    ("published_date=2026-11-23", 1),
                    ("published_date=2026-11-25", 1),
                ]
            ),
        )
    return tmp_path


def test_every_row_arrives(written):
    root = written
    files = sorted((root / "articles").rglob("*.parquet"))
    assert len(files) == 7
    table = ds.dataset(root / "articles", format="parquet", partitioning="hive").to_table()
    assert table.num_rows == len(_rows())
    assert sorted(table.column("article_id").to_pylist()) == sorted(
        r["article_id"] for r in _rows()
    )
    assert sum(pq.read_metadata(f).num_rows for f in files) == len(_rows())
    given = {r["article_id"]: r["published_at"] for r in _rows()}
    assert (
        dict(
            zip(
                table.column("article_id").to_pylist(),
                table.column("published_at").to_pylist(),
                strict=True,
            )
        )
        == given
    )


def test_every_row_arrives_when_rows_travel_in_several_batches(tmp_path, beam_pipeline):
    # More rows than one shuffle batch holds, over two partitions, several files each.
    rows = [
        article_row(number, datetime(2026, 11, 20 + number % 2, 8, tzinfo=timezone.utc))
        for number in range(2 * sinks._BATCH_ROWS + 37)
    ]
    with beam_pipeline() as p:
        _ = (
            p
            | beam.Create(rows)
            | WritePartitionedParquet("articles", str(tmp_path), RUN_ID, INGESTED, 300)
        )
    table = ds.dataset(tmp_path / "articles", format="parquet", partitioning="hive").to_table()
    assert sorted(table.column("article_id").to_pylist()) == sorted(r["article_id"] for r in rows)
    files = sorted((tmp_path / "articles").rglob("*.parquet"))
    assert [pq.read_metadata(f).num_rows for f in files] == [300, 219, 300, 218]


def test_partition_folders_and_file_names(written):
    root = written
    folders = sorted(p.name for p in (root / "articles").iterdir())
    assert folders == [
        "published_date=2026-11-20",
        "published_date=2026-11-21",
        "published_date=2026-11-23",
        "published_date=2026-11-25",
    ]
    for path in (root / "articles").rglob("*"):
        if path.is_file():
            assert RUN_ID in path.name
            assert path.suffix == ".parquet"
            assert not path.name.startswith(".")


def test_rows_sit_in_the_folder_of_their_publication_date(written):
    root = written
    for folder in (root / "articles").iterdir():
        day = folder.name.split("=", 1)[1]
        for row in pq.read_table(list(folder.glob("*.parquet"))).to_pylist():
            expected = (row["published_at"] or INGESTED).date().isoformat()
            assert day == expected


def test_files_carry_the_table_schema(written):
    root = written
    for path in (root / "articles").rglob("*.parquet"):
        assert pq.read_schema(path).equals(ARTICLES, check_metadata=False)


def test_duckdb_reads_the_files_with_hive_partitioning(written):
    root = written
    pattern = str(root / "articles" / "*" / "*.parquet")
    connection = duckdb.connect()
    try:
        rows = connection.execute(
            "SELECT published_date, count(*), min(run_id), max(run_id) "
            "FROM read_parquet(?, hive_partitioning = true) GROUP BY 1 ORDER BY 1",
            [pattern],
        ).fetchall()
        types = dict(
            connection.execute(
                "SELECT column_name, column_type FROM "
                "(DESCRIBE SELECT * FROM read_parquet(?, hive_partitioning = true))",
                [pattern],
            ).fetchall()
        )
        topics = connection.execute(
            "SELECT topics, topic_evidence[1].topic FROM read_parquet(?, hive_partitioning = true) "
            "WHERE article_id = ?",
            [pattern, f"{1:024x}"],
        ).fetchone()
    finally:
        connection.close()
    assert rows == [
        (date(2026, 11, 20), 4, RUN_ID, RUN_ID),
        (date(2026, 11, 21), 4, RUN_ID, RUN_ID),
        (date(2026, 11, 23), 3, RUN_ID, RUN_ID),
        (date(2026, 11, 25), 1, RUN_ID, RUN_ID),
    ]
    assert types["published_date"] == "DATE"
    assert types["published_at"].startswith("TIMESTAMP")
    assert topics == (["diplomacy"], "diplomacy")


def test_rejects_records_are_written_by_ingest_date(tmp_path, beam_pipeline):
    rejects = [
        Reject(f"file:///in/{n}.pdf", None, "read", "unsupported-format", "not a page")
        for n in range(3)
    ]
    with beam_pipeline() as p:
        _ = (
            p
            | beam.Create(rejects)
            | WritePartitionedParquet("rejects", str(tmp_path), RUN_ID, INGESTED)
        )
    [path] = (tmp_path / "rejects").rglob("*.parquet")
    assert path.parent.name == "ingest_date=2026-11-25"
    assert sorted(pq.read_table(path).column("origin").to_pylist()) == [r.origin for r in rejects]
    assert not list(tmp_path.rglob(".*"))


def test_a_row_holding_lone_surrogates_is_written_not_failed(tmp_path):
    """Any row reaches the Parquet writer through `stamp`: a string no codec can encode would
    fail the whole run there, and every rerun."""
    row = {
        "origin": "/inbox/caf\udce9.jsonl",
        "url": "https://quay.example/\ud800",
        "stage": "extract",
        "error": "no-article-text",
        "detail": "a NUL \x00 and a lone \udfff",
    }
    path = str(tmp_path / "rejects.parquet")
    write_parquet_file(path, [stamp("rejects", row, RUN_ID, INGESTED)], REJECTS)
    [back] = pq.read_table(path).to_pylist()
    assert back["origin"] == "/inbox/caf\ufffd.jsonl"
    assert back["url"] == "https://quay.example/\ufffd"
    assert back["detail"] == "a NUL \ufffd and a lone \ufffd"


# -- articles staged by extraction, copied by WriteStagedArticles --------------------------------


def _staged_keys(staging: sinks.ArticleStaging, articles: list[dict]) -> list[tuple]:
    """What extraction sends on for these articles: their keys and where their rows are."""
    places = sinks.stage_articles(staging, articles)
    return [
        ({"published_at": a["published_at"], sinks.STAGED_FIELD: place}, b"")
        for a, place in zip(articles, places, strict=True)
    ]


def test_staged_rows_read_back_as_articles_rows(tmp_path):
    staging = sinks.ArticleStaging(str(tmp_path / "_extracted"), RUN_ID, INGESTED)
    articles = [article_row(n, datetime(2026, 11, 20 + n, tzinfo=timezone.utc)) for n in range(3)]
    places = sinks.stage_articles(staging, articles)
    assert [number for _, number in places] == [0, 1, 2]
    assert len({path for path, _ in places}) == 1 and places[0][0].endswith(".arrow")
    rows = sinks.read_staged_rows(places[0][0], [2, 0]).to_pylist()
    assert [row["url"] for row in rows] == [articles[2]["url"], articles[0]["url"]]
    assert rows[0]["run_id"] == RUN_ID and rows[0]["ingested_at"] == INGESTED


def test_write_staged_articles_copies_the_kept_rows_into_their_partitions(tmp_path, beam_pipeline):
    staging = sinks.ArticleStaging(str(tmp_path / "_extracted"), RUN_ID, INGESTED)
    days = [
        datetime(2026, 11, 20, tzinfo=timezone.utc),
        datetime(2026, 11, 21, tzinfo=timezone.utc),
    ]
    first = [article_row(n, days[n % 2]) for n in range(5)]
    second = [article_row(n, None) for n in range(5, 8)]  # no date: the ingest date's folder
    keys = _staged_keys(staging, first) + _staged_keys(staging, second)
    kept = [key for number, key in enumerate(keys) if number != 3]  # article 3 lost in dedup
    root = tmp_path / "staging"
    with beam_pipeline() as p:
        written = (
            p
            | beam.Create(kept)
            | sinks.WriteStagedArticles(str(root), RUN_ID, INGESTED, rows_per_file=2)
        )
        assert_that(written | beam.Map(lambda w: w[1]) | beam.CombineGlobally(sum), equal_to([7]))
    table = ds.dataset(root / "articles", format="parquet", partitioning="hive").to_table()
    by_day = {row["url"].rsplit("-", 1)[1]: str(row["published_date"]) for row in table.to_pylist()}
    assert by_day == {
        "0": "2026-11-20",
        "1": "2026-11-21",
        "2": "2026-11-20",
        "4": "2026-11-20",
        "5": "2026-11-25",
        "6": "2026-11-25",
        "7": "2026-11-25",
    }
    files = sorted(path.name for path in (root / "articles").glob("*/*.parquet"))
    assert files == sorted(
        [f"part-{RUN_ID}-00000.parquet"] * 3 + [f"part-{RUN_ID}-00001.parquet"] * 2
    )
    assert pq.read_schema(next((root / "articles").glob("*/*.parquet"))).equals(
        ARTICLES, check_metadata=False
    )


# -- the articles' partition files written in the extraction processes -------------------------


@pytest.fixture
def extraction_pool():
    """Two extraction processes of this process, as a local run has them by the write step."""
    from newsbeam.transforms.extraction_pool import ExtractionPool

    pool = ExtractionPool(2)
    yield pool
    pool.terminate()


def _recording_writer_pids(monkeypatch, record: Path, die_in: str | None = None) -> None:
    """Record the process that renames each articles file into place, and (in `record` with
    the suffix `.reads`) each process that reads staged rows; with `die_in`, the first
    extraction process to write into that partition dies there instead (once)."""
    from newsbeam.transforms import staging

    launcher = os.getpid()
    replace, read = staging.replace_file, staging.read_staged_rows

    def reading(path: str, numbers: list[int]):
        with record.with_suffix(".reads").open("a") as handle:
            handle.write(f"{os.getpid()}\n")
        return read(path, numbers)

    def recorded(source: str, destination: str) -> None:
        if die_in and die_in in destination and os.getpid() != launcher:
            died = record.with_suffix(".died")
            if not died.exists():
                died.write_text("x")
                os._exit(1)
        replace(source, destination)
        with record.open("a") as handle:
            handle.write(f"{os.getpid()}\n")

    # Patched before the pool's processes fork (on its first task): they inherit it.
    monkeypatch.setattr(staging, "replace_file", recorded)
    monkeypatch.setattr(staging, "read_staged_rows", reading)
    monkeypatch.setattr(sinks, "read_staged_rows", reading)


def _write_kept(tmp_path, beam_pipeline, root: Path) -> list[tuple[str, int]]:
    staging = sinks.ArticleStaging(str(tmp_path / "_extracted"), RUN_ID, INGESTED)
    days = [datetime(2026, 11, 20 + n % 4, tzinfo=timezone.utc) for n in range(9)]
    keys = _staged_keys(staging, [article_row(n, days[n]) for n in range(9)])
    with beam_pipeline() as p:
        written = (
            p
            | beam.Create(keys)
            | sinks.WriteStagedArticles(str(root), RUN_ID, INGESTED, rows_per_file=2)
        )
        assert_that(written | beam.Map(lambda w: w[1]) | beam.CombineGlobally(sum), equal_to([9]))
    return sorted(
        (str(path.relative_to(root)), pq.read_metadata(path).num_rows)
        for path in root.glob("articles/*/*.parquet")
    )


def _articles_read_back(root: Path) -> list[dict]:
    """The rows of the articles files the commit publishes (not a `.ahead` file left unused)."""
    files = sorted(str(path) for path in root.glob("articles/*/*.parquet"))
    table = ds.dataset(
        files, format="parquet", partitioning="hive", partition_base_dir=str(root / "articles")
    ).to_table()
    return sorted(table.to_pylist(), key=lambda row: row["url"])


def test_with_extraction_processes_the_partition_files_are_written_there(
    tmp_path, beam_pipeline, monkeypatch, extraction_pool
):
    record = tmp_path / "writers.txt"
    _recording_writer_pids(monkeypatch, record)
    files = _write_kept(tmp_path, beam_pipeline, tmp_path / "pooled")
    writers = set(record.read_text().split())
    assert writers and str(os.getpid()) not in writers  # none written by this process
    readers = set(record.with_suffix(".reads").read_text().split())
    assert readers and str(os.getpid()) not in readers  # nor any staged row read here
    assert [rows for _, rows in files] == [2, 1, 2, 2, 2]  # 4 days, 2 rows a file at most
    assert not list((tmp_path / "pooled").glob("articles/*/.*"))  # no temporary file left


def test_the_files_are_the_same_written_here_or_in_the_extraction_processes(
    tmp_path, beam_pipeline, monkeypatch
):
    from newsbeam.transforms.extraction_pool import ExtractionPool

    here = _write_kept(tmp_path / "a", beam_pipeline, tmp_path / "a" / "out")
    pool = ExtractionPool(2)
    try:
        there = _write_kept(tmp_path / "b", beam_pipeline, tmp_path / "b" / "out")
    finally:
        pool.terminate()
    assert here == there
    assert _articles_read_back(tmp_path / "a" / "out") == _articles_read_back(
        tmp_path / "b" / "out"
    )


def test_a_partition_whose_extraction_process_dies_is_written_here(
    tmp_path, beam_pipeline, monkeypatch, extraction_pool
):
    record = tmp_path / "writers.txt"
    _recording_writer_pids(monkeypatch, record, die_in="published_date=2026-11-21")
    files = _write_kept(tmp_path, beam_pipeline, tmp_path / "out")
    assert record.with_suffix(".died").exists()  # a process did die on it
    assert [rows for path, rows in files if "2026-11-21" in path] == [2]
    assert sum(rows for _, rows in files) == 9
    assert len(_articles_read_back(tmp_path / "out")) == 9


def test_a_pool_closed_under_the_write_step_leaves_the_files_to_this_process(
    tmp_path, beam_pipeline, monkeypatch
):
    # Beam's local runner tears an idle step down from a thread of its own, a minute after its
    # last bundle: the extraction step's pool can be closed while the write step holds it.
    from newsbeam.transforms.extraction_pool import ExtractionPool

    pool = ExtractionPool(2)
    pool.close()
    monkeypatch.setattr(sinks, "shared_pool", lambda: pool)
    files = _write_kept(tmp_path, beam_pipeline, tmp_path / "out")
    assert sum(rows for _, rows in files) == 9
    assert len(_articles_read_back(tmp_path / "out")) == 9


class _ClosingPool:
    """A pool closed after it took the first partitions: their futures are cancelled, as
    `ExtractionPool.close()` cancels the work not yet started, and it takes no more."""

    window = 4

    def __init__(self) -> None:
        self.taken = 0

    def submit_call(self, function, *args):
        if self.taken == 2:
            raise RuntimeError("cannot schedule new futures after shutdown")
        self.taken += 1
        future = concurrent.futures.Future()
        future.cancel()
        return future


def test_partitions_whose_work_the_closed_pool_cancelled_are_written_here(
    tmp_path, beam_pipeline, monkeypatch
):
    pool = _ClosingPool()
    monkeypatch.setattr(sinks, "shared_pool", lambda: pool)
    files = _write_kept(tmp_path, beam_pipeline, tmp_path / "out")
    assert pool.taken == 2
    assert sum(rows for _, rows in files) == 9
    assert len(_articles_read_back(tmp_path / "out")) == 9


@pytest.mark.parametrize("budget", [None, 0])
def test_write_partitions_reads_each_chunk_file_once_within_its_budget(
    tmp_path, monkeypatch, budget
):
    """Three chunk files of 6 articles each over 6 days: each day takes a row from every
    file. Within the budget each file is read once; without one (0), each part is read on its
    own. The files hold the same rows either way, in the order of the parts."""
    from newsbeam.transforms import staging as staging_module

    staging = sinks.ArticleStaging(str(tmp_path / "_extracted"), RUN_ID, INGESTED)
    places = []
    for chunk in range(3):
        rows = [article_row(6 * chunk + n, None) for n in range(6)]
        places += sinks.stage_articles(staging, rows)
    by_day: dict[int, dict[str, list[int]]] = {}
    for number, (path, row) in enumerate(places):
        by_day.setdefault(number * 5 % 6, {}).setdefault(path, []).append(row)
    partitions = [
        (f"published_date=2026-11-2{day}", sorted(chunks.items(), reverse=day % 2 == 1))
        for day, chunks in sorted(by_day.items())
    ]
    reads = []
    read = staging_module.read_staged_rows

    def counted(path, numbers):
        reads.append(path)
        return read(path, numbers)

    monkeypatch.setattr(staging_module, "read_staged_rows", counted)
    if budget is not None:
        monkeypatch.setattr(staging_module, "CHUNK_ROWS_BUDGET", budget)
    written = sinks.write_partitions(str(tmp_path / "out"), RUN_ID, partitions, 20_000)
    if budget is None:
        assert sorted(reads) == sorted({path for path, _ in places})
    else:
        assert len(reads) == sum(len(chunks) for _, chunks in partitions) == 18
    for partition, chunks in partitions:
        [(path, count)] = written[partition]
        urls = [row["url"] for row in pq.read_table(path).to_pylist()]
        expected = [
            article_row(places.index((chunk, row)), None)["url"]
            for chunk, rows in chunks
            for row in rows
        ]
        assert urls == expected and count == len(expected)


def test_chunk_rows_let_every_file_go_once_its_parts_are_read(tmp_path):
    """The budget holds one file at a time: the second file's first part is read on its own,
    its other parts from one read once the first file has been let go; a part of rows out of
    range fails alone. Each part is the rows `read_staged_rows` gives for it."""
    from newsbeam.transforms import staging as staging_module

    staging = sinks.ArticleStaging(str(tmp_path / "_extracted"), RUN_ID, INGESTED)
    first = sinks.stage_articles(staging, [article_row(n, None) for n in range(4)])[0][0]
    second = sinks.stage_articles(staging, [article_row(n, None) for n in range(4, 8)])[0][0]
    parts = [(first, [0]), (second, [0]), (first, [2, 1]), (first, [3]), (second, [3, 1])]
    parts += [(second, [2]), (second, [9])]
    rows = staging_module._ChunkRows([("p", parts)], budget=1)
    for path, numbers in parts[:-1]:
        expected = sinks.read_staged_rows(path, numbers).to_pylist()
        assert rows.read((path, numbers)).to_pylist() == expected
    with pytest.raises(IndexError):
        rows.read(parts[-1])
    assert rows._held == {} and rows._held_bytes == 0


# -- partitions written ahead of dedup ---------------------------------------------------------


def _ahead_run(
    tmp_path, beam_pipeline, pool, kept_numbers, bundles=(range(9),), folders_ahead=False
):
    """Stage 9 articles over 4 days, write their partitions ahead (each of `bundles` a list of
    article numbers, as extraction steps do at the end of their bundles), then copy the kept
    ones as the write step does. Returns (files written: (relative path, rows), rows read back).
    `folders_ahead`: the write ahead also makes the partitions' folders in the articles table
    (as a run's does), and they are there before the write step runs."""
    root = tmp_path / "out"
    articles = sinks.WriteStagedArticles.folder(str(root)) if folders_ahead else None
    staging = sinks.ArticleStaging(
        str(tmp_path / "_extracted"), RUN_ID, INGESTED, 2, articles_folder=articles
    )
    days = [datetime(2026, 11, 20 + n % 4, tzinfo=timezone.utc) for n in range(9)]
    keys = _staged_keys(staging, [article_row(n, days[n]) for n in range(9)])
    located = [(key[sinks.STAGED_FIELD], key["published_at"]) for key, _ in keys]
    for bundle in bundles:
        sinks.write_ahead(pool, staging, [located[number] for number in bundle])
    if folders_ahead:
        for ahead in list(sinks._WRITTEN_AHEAD.values()):
            ahead.future.result()
        made = sorted(path.name for path in (root / "articles").iterdir())
        assert made == [f"published_date=2026-11-{20 + n}" for n in range(4)]
    kept = [keys[number] for number in kept_numbers]
    with beam_pipeline() as p:
        _ = p | beam.Create(kept) | sinks.WriteStagedArticles(str(root), RUN_ID, INGESTED, 2)
    files = sorted(  # what the commit publishes (a `.ahead` file left unused is not)
        (str(path.relative_to(root)), pq.read_metadata(path).num_rows)
        for path in root.glob("articles/*/*.parquet")
    )
    return files, _articles_read_back(root)


def test_partitions_written_ahead_are_renamed_into_place_when_every_row_is_kept(
    tmp_path, beam_pipeline, monkeypatch, extraction_pool
):
    monkeypatch.setattr(sinks, "shared_pool", lambda: extraction_pool)
    record = tmp_path / "writers.txt"
    _recording_writer_pids(monkeypatch, record)
    from newsbeam.transforms import staging

    monkeypatch.setattr(sinks, "replace_file", staging.replace_file)  # the recording one
    files, rows = _ahead_run(
        tmp_path / "a", beam_pipeline, extraction_pool, range(9), folders_ahead=True
    )
    # The same files and rows as the write step makes by itself.
    assert (files, rows) == (
        _write_kept(tmp_path / "b", beam_pipeline, tmp_path / "b" / "out"),
        _articles_read_back(tmp_path / "b" / "out"),
    )
    assert [rows for _, rows in files] == [2, 1, 2, 2, 2]
    # Every file of the output was written by an extraction process before the write step ran,
    # and only moved into place by it (this process renamed 5 files, nothing else).
    assert record.read_text().split().count(str(os.getpid())) == 5
    # They were written in the partitions' own folders, and renamed there.
    assert not (tmp_path / "a" / "_extracted" / "ahead").exists()
    assert list((tmp_path / "a" / "out").glob("articles/*/*.ahead")) == []


def _left_ahead(tmp_path, folders_ahead: bool) -> list[Path]:
    """The files written ahead and not used: in the partitions' folders, or with no articles
    folder given, in folders of their own."""
    if folders_ahead:
        return sorted((tmp_path / "out").glob("articles/*/*.ahead"))
    return sorted((tmp_path / "_extracted" / "ahead").glob("*/*/*.ahead"))


@pytest.mark.parametrize("folders_ahead", [False, True])
def test_a_partition_that_lost_a_row_in_dedup_is_written_again_without_it(
    tmp_path, beam_pipeline, monkeypatch, extraction_pool, folders_ahead
):
    monkeypatch.setattr(sinks, "shared_pool", lambda: extraction_pool)
    kept = [n for n in range(9) if n != 4]  # article 4 (2026-11-20) was a duplicate
    files, rows = _ahead_run(
        tmp_path, beam_pipeline, extraction_pool, kept, folders_ahead=folders_ahead
    )
    assert sorted(row["url"] for row in rows) == sorted(article_row(n, None)["url"] for n in kept)
    assert sum(count for _, count in files) == 8
    # The files written ahead for that partition stay in staging, unpublished.
    left = _left_ahead(tmp_path, folders_ahead)
    assert [path.parent.name for path in left] == ["published_date=2026-11-20"] * 2


@pytest.mark.parametrize("folders_ahead", [False, True])
@pytest.mark.parametrize(
    "dropped",
    [
        [8],  # 2026-11-20 keeps exactly the first bundle's rows (0 and 4)
        [0, 4],  # 2026-11-20 keeps exactly the second bundle's row (8)
    ],
)
def test_a_partition_two_bundles_wrote_ahead_holds_exactly_the_kept_rows(
    tmp_path, beam_pipeline, monkeypatch, extraction_pool, dropped, folders_ahead
):
    monkeypatch.setattr(sinks, "shared_pool", lambda: extraction_pool)
    kept = [n for n in range(9) if n not in dropped]
    bundles = (range(5), range(5, 9))  # every day has rows in both
    files, rows = _ahead_run(tmp_path, beam_pipeline, extraction_pool, kept, bundles, folders_ahead)
    assert sorted(row["url"] for row in rows) == sorted(article_row(n, None)["url"] for n in kept)
    assert sum(count for _, count in files) == len(kept)
    # Neither bundle's write ahead overwrote the other's files (in Beam's multi-process local
    # mode, two worker processes write ahead at once): each file's name carries its write's
    # token, and the unused files of both writes are there.
    left = _left_ahead(tmp_path, folders_ahead)
    assert len({path.name.split(".")[-2] for path in left}) == 2


def test_the_extraction_step_writes_its_partitions_ahead_at_the_end_of_its_bundle(
    tmp_path, beam_pipeline
):
    staging = sinks.ArticleStaging(str(tmp_path / "_extracted"), "run-ahead", INGESTED, 2)
    pages = [
        Item(origin=f"file:///in/{n}.html", url=None, body=_dated_page(n).encode())
        for n in range(3)
    ]
    with beam_pipeline() as p:
        keys, _ = (
            p
            | beam.Create(pages)
            | ExtractArticles(
                ExtractionSettings(), 1_000_000, 2, NearDuplicateSettings(), staging=staging
            )
        )
        _ = keys | beam.Map(_record_key, str(tmp_path / "keys.txt"))
    lines = (tmp_path / "keys.txt").read_text().splitlines()
    staged = {(tuple(row), day) for row, day in map(json.loads, lines)}
    assert len(staged) == 3
    ahead = {
        partition: entry.rows
        for (run_id, partition), entry in sinks._WRITTEN_AHEAD.items()
        if run_id == "run-ahead"
    }
    assert ahead == {
        "published_date=2026-11-20": {staged_row for staged_row, day in staged if day == 20},
        "published_date=2026-11-21": {staged_row for staged_row, day in staged if day == 21},
    }


def _dated_page(number: int) -> str:
    day = 20 + number % 2
    return (
        f"<html><head><title>Harbour story {number}</title>"
        f'<meta property="article:published_time" content="2026-11-{day}T08:00:00Z">'
        f"</head><body><article><h1>Harbour story {number}</h1>"
        + "".join(
            f"<p>The harbour office said on Monday that ferry number {number} will sail again "
            f"after repairs, and that the timetable for line {k} stays as it was.</p>"
            for k in range(4)
        )
        + "</article></body></html>"
    )


def _record_key(packed, path: str) -> None:
    keys = packed[0]
    with open(path, "a", encoding="utf-8") as handle:
        row = [list(keys[sinks.STAGED_FIELD]), keys["published_at"].day]
        handle.write(json.dumps(row) + "\n")


def test_a_write_ahead_that_failed_leaves_the_partition_to_the_write_step(
    tmp_path, beam_pipeline, monkeypatch
):
    # Its process died: the whole write ahead is lost.
    monkeypatch.setattr(sinks, "shared_pool", lambda: _InlinePool(dies=True))
    files, rows = _ahead_run(tmp_path / "a", beam_pipeline, _InlinePool(dies=True), range(9))
    assert len(rows) == 9 and [count for _, count in files] == [2, 1, 2, 2, 2]
    # One partition's write failed (a full disk): only that one is written again.
    from newsbeam.transforms import staging

    write = staging.write_partition

    def failing(folder, run_id, partition, parts, rows_per_file, suffix="", *read):
        if suffix and partition.endswith("2026-11-21"):
            raise OSError(28, "No space left on device")
        return write(folder, run_id, partition, parts, rows_per_file, suffix, *read)

    monkeypatch.setattr(staging, "write_partition", failing)
    monkeypatch.setattr(sinks, "shared_pool", lambda: _InlinePool())
    files, rows = _ahead_run(tmp_path / "b", beam_pipeline, _InlinePool(), range(9))
    assert len(rows) == 9 and [count for _, count in files] == [2, 1, 2, 2, 2]
    ahead = tmp_path / "b" / "_extracted" / "ahead"
    assert len(list(ahead.glob("*/published_date=*"))) == 3  # the failed one wrote nothing
    assert list(ahead.glob("*/*/*.ahead")) == []  # the others were renamed into place


class _InlinePool:
    """A pool that runs its tasks here, at once; with `dies`, the write ahead's process dies."""

    window = 4

    def __init__(self, dies: bool = False) -> None:
        self._dies = dies

    def submit_call(self, function, *args):
        future = concurrent.futures.Future()
        if self._dies and function is sinks.write_partitions:
            future.set_exception(BrokenProcessPool("a process died"))
        else:
            future.set_result(function(*args))
        return future
