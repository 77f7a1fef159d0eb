"""Retention of the dedup index: expired keys are ignored when read, `compact_index` rewrites
the index without them, and a compaction killed half-way leaves an index that loses no live
key and is finished by the next call."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import apache_beam as beam
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from apache_beam.io.filesystems import FileSystems
from apache_beam.testing.util import assert_that, equal_to

from newsbeam.schemas.tables import INDEX
from newsbeam.transforms import index as index_module
from newsbeam.transforms.index import (
    ReadIndex,
    compact_index,
    is_live,
    read_index_file,
    retention_cutoff,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


def row(kind: str, key: str, days_ago: float, run_id: str = "r", detail=None) -> dict:
    return {
        "kind": kind,
        "key": key,
        "article_id": None if kind == "file" else f"id-{key}",
        "detail": detail,
        "published_at": None,
        "recorded_at": NOW - timedelta(days=days_ago),
        "run_id": run_id,
    }


def write_index_file(folder: Path, name: str, rows: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    pq.write_table(pa.Table.from_pylist(rows, schema=INDEX), path)
    return path


def all_rows(folder: Path) -> list[tuple]:
    """(kind, key, days ago) of every row of every visible index file, sorted, repeats kept."""
    found = []
    for path in sorted(folder.glob("*.parquet")):
        for r in pq.read_table(path).to_pylist():
            found.append((r["kind"], r["key"], round((NOW - r["recorded_at"]).days)))
    return sorted(found)


@pytest.fixture
def index_dir(tmp_path) -> Path:
    """Three runs' files: 40 days old, 20 days old (with one older file row), and today."""
    folder = tmp_path / "_state" / "index"
    write_index_file(
        folder,
        "part-run-old-00000.parquet",
        [
            row("url", "u-old", 40),
            row("hash", "h-old", 40),
            row("sketch", "b-old", 40),
            row("sketch", "s-old", 40, detail="x"),
            row("file", "/inbox/old.html", 40, detail="1:2.0"),
        ],
    )
    write_index_file(
        folder,
        "part-run-mid-00000.parquet",
        [row("url", "u-mid", 20), row("sketch", "b-mid", 20), row("file", "/inbox/mid.html", 20)],
    )
    write_index_file(folder, "part-run-new-00000.parquet", [row("url", "u-new", 0)])
    return folder


LIVE = sorted(
    [
        ("file", "/inbox/old.html", 40),
        ("url", "u-mid", 20),
        ("sketch", "b-mid", 20),
        ("file", "/inbox/mid.html", 20),
        ("url", "u-new", 0),
    ]
)


def test_retention_cutoff_and_is_live():
    cutoff = retention_cutoff(NOW, 30)
    assert cutoff == NOW - timedelta(days=30)
    assert retention_cutoff(NOW, None) is None
    assert retention_cutoff(NOW.replace(tzinfo=None), 1) == NOW - timedelta(days=1)
    with pytest.raises(ValueError):
        retention_cutoff(NOW, -1)
    assert not is_live(row("sketch", "b", 31), cutoff)
    assert is_live(row("sketch", "b", 29), cutoff)
    assert is_live(row("file", "f", 400), cutoff)  # skip records do not age
    assert is_live({"kind": "url", "key": "k", "article_id": "a"}, cutoff)  # unstamped
    assert is_live(row("url", "u", 400), None)


def test_read_index_file_leaves_expired_rows_out(index_dir):
    cutoff = retention_cutoff(NOW, 30)
    rows = [
        (r["kind"], r["key"])
        for path in sorted(index_dir.glob("*.parquet"))
        for r in read_index_file(str(path), cutoff)
    ]
    assert sorted(rows) == sorted((kind, key) for kind, key, _ in LIVE)
    # Rows come back with the columns dedup reads, as without a cutoff.
    first = next(read_index_file(str(sorted(index_dir.glob("*.parquet"))[0]), cutoff))
    assert set(first) == {"kind", "key", "article_id", "detail", "published_at"}


def test_read_index_ignores_old_entries_in_a_pipeline(beam_pipeline, index_dir):
    with beam_pipeline() as p:
        rows = p | ReadIndex(str(index_dir / "*.parquet"), retention_days=30, now=NOW)
        assert_that(
            rows | beam.Map(lambda r: r["key"]),
            equal_to([key for _kind, key, _ in LIVE]),
        )


def test_compact_index_removes_expired_rows_only(index_dir):
    assert all_rows(index_dir) != LIVE
    removed = compact_index(str(index_dir), 30, NOW)
    assert removed == 4
    assert all_rows(index_dir) == LIVE
    names = sorted(p.name for p in index_dir.glob("*.parquet"))
    # The old run's file is replaced; the files with nothing expired are untouched.
    assert "part-run-old-00000.parquet" not in names
    assert {"part-run-mid-00000.parquet", "part-run-new-00000.parquet"} <= set(names)
    assert len(names) == 3 and any(n.startswith("compact-") for n in names)
    assert not list(index_dir.glob(".*"))
    # Nothing more to do at the same time; 15 days on, the mid run's keys go too.
    assert compact_index(str(index_dir), 30, NOW) == 0
    assert compact_index(str(index_dir), 30, NOW + timedelta(days=15)) == 2
    assert all_rows(index_dir) == sorted(
        [("file", "/inbox/old.html", 40), ("file", "/inbox/mid.html", 20), ("url", "u-new", 0)]
    )


def test_compact_index_of_only_expired_rows_leaves_no_file(tmp_path):
    folder = tmp_path / "index"
    write_index_file(folder, "part-a.parquet", [row("url", "a", 90), row("sketch", "b", 90)])
    assert compact_index(str(folder), 30, NOW) == 2
    assert list(folder.iterdir()) == []
    assert compact_index(str(folder / "missing"), 30, NOW) == 0


class Killed(BaseException):
    """Stands for the process dying: nothing after it runs."""


def test_compaction_killed_after_writing_before_deleting(index_dir, monkeypatch):
    def die(_paths):
        raise Killed

    monkeypatch.setattr(FileSystems, "delete", staticmethod(die))
    with pytest.raises(Killed):
        compact_index(str(index_dir), 30, NOW)
    monkeypatch.undo()
    # Both the new file and the old one are visible: every live key is there (some twice,
    # which the dedup joins tolerate), and no partial file.
    rows = all_rows(index_dir)
    assert set(rows) >= set(LIVE)
    assert all(r in LIVE or r[2] > 30 for r in rows)
    # The next call finishes the job before anything else.
    compact_index(str(index_dir), 30, NOW)
    assert all_rows(index_dir) == LIVE
    assert "part-run-old-00000.parquet" not in {p.name for p in index_dir.glob("*.parquet")}


def test_compaction_killed_while_writing_changes_nothing(index_dir, monkeypatch):
    before = all_rows(index_dir)

    def die(_sources, _destinations):
        raise Killed

    monkeypatch.setattr(FileSystems, "rename", staticmethod(die))
    with pytest.raises(Killed):
        compact_index(str(index_dir), 30, NOW)
    monkeypatch.undo()
    assert all_rows(index_dir) == before  # the half-written file is hidden, not *.parquet
    assert list(index_dir.glob(".compact-*.inprogress"))
    compact_index(str(index_dir), 30, NOW)
    assert all_rows(index_dir) == LIVE
    assert not list(index_dir.glob(".*"))


def test_compaction_killed_half_way_through_deleting(tmp_path, monkeypatch):
    folder = tmp_path / "index"
    for n in range(3):
        write_index_file(
            folder, f"part-run-{n}.parquet", [row("url", f"old{n}", 60), row("url", f"k{n}", 10)]
        )
    real_delete = FileSystems.delete

    def delete_then_die(paths):
        if len(paths) > 1:  # the deletion of the replaced files: one goes, then death
            real_delete(paths[:1])
            raise Killed
        real_delete(paths)

    monkeypatch.setattr(FileSystems, "delete", staticmethod(delete_then_die))
    with pytest.raises(Killed):
        compact_index(str(folder), 30, NOW)
    monkeypatch.undo()
    keys = sorted(key for _kind, key, _ in all_rows(folder))
    assert {"k0", "k1", "k2"} <= set(keys)
    compact_index(str(folder), 30, NOW)
    assert sorted(key for _kind, key, _ in all_rows(folder)) == ["k0", "k1", "k2"]
    assert len(list(folder.glob("*.parquet"))) == 1


def test_a_compacted_file_says_what_it_replaces(index_dir):
    compact_index(str(index_dir), 30, NOW)
    (compacted,) = index_dir.glob("compact-*.parquet")
    assert index_module._replaced_by(str(compacted)) == ["part-run-old-00000.parquet"]
