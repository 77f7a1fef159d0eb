"""The user cache (transforms/cache.py): where it lives, entries that round-trip, damaged or
foreign files ignored and replaced, writers at once, claims, and the folder kept small."""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from pathlib import Path

import pytest

from newsbeam.transforms import cache as cache_module
from newsbeam.transforms.cache import cache_dir, cache_key, read_entry, write_entry

KEY = cache_key("test", "one entry")


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("NEWSBEAM_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _entry_file(folder: Path, key: str = KEY) -> Path:
    return folder / "things" / f"{key}.pickle"


def test_the_folder_follows_the_variable_then_xdg(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSBEAM_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine"
    for off in ("off", "OFF", "", "  "):
        monkeypatch.setenv("NEWSBEAM_CACHE_DIR", off)
        assert cache_dir() is None
    monkeypatch.delenv("NEWSBEAM_CACHE_DIR")
    monkeypatch.setattr(cache_module.sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "newsbeam"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_dir() == Path.home() / ".cache" / "newsbeam"


def test_a_turned_off_cache_neither_writes_nor_reads(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSBEAM_CACHE_DIR", "off")
    monkeypatch.chdir(tmp_path)
    assert write_entry("things", KEY, lambda: {"a": 1}) is False
    assert read_entry("things", KEY) is None
    assert list(tmp_path.iterdir()) == []


def test_keys_differ_by_any_part_and_by_where_parts_split():
    assert cache_key("a", "b") == cache_key("a", b"b")
    assert cache_key("a", "b") != cache_key("a", "c")
    assert cache_key("ab", "c") != cache_key("a", "bc")


def test_an_entry_round_trips_and_a_missing_one_is_none(folder):
    assert read_entry("things", KEY) is None
    assert write_entry("things", KEY, lambda: {"ports": ["Piraeus", "Constanta"], "n": 2})
    assert read_entry("things", KEY) == {"ports": ["Piraeus", "Constanta"], "n": 2}
    assert [p.name for p in (folder / "things").iterdir()] == [f"{KEY}.pickle"]  # no leftovers


def test_a_large_entry_of_arrays_and_bytes_round_trips(folder):
    # What the language model's entry holds: numpy arrays, `array` arrays, bytes.
    numpy = pytest.importorskip("numpy")
    import array

    value = {
        "weights": numpy.arange(2_000_000, dtype=numpy.float16).reshape(1000, 2000),
        "moves": array.array("I", range(1_000_000)),
        "raw": bytes(range(256)) * 4096,
    }
    assert write_entry("things", KEY, lambda: value)
    read = read_entry("things", KEY)
    assert read is not None and read.keys() == value.keys()
    assert numpy.array_equal(read["weights"], value["weights"])
    assert read["moves"] == value["moves"] and read["raw"] == value["raw"]


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[:-1], id="truncated"),
        pytest.param(lambda data: data[:-5] + bytes([data[-5] ^ 1]) + data[-4:], id="bit-flip"),
        pytest.param(lambda data: b"x" + data[1:], id="bad-magic"),
        pytest.param(lambda data: b"", id="empty"),
    ],
)
def test_a_damaged_entry_is_ignored_then_replaced(folder, damage):
    write_entry("things", KEY, lambda: list(range(1000)))
    path = _entry_file(folder)
    path.write_bytes(damage(path.read_bytes()))
    assert read_entry("things", KEY) is None
    assert write_entry("things", KEY, lambda: list(range(1000)))
    assert read_entry("things", KEY) == list(range(1000))


def test_an_entry_under_another_key_is_not_taken(folder):
    other = cache_key("test", "another entry")
    write_entry("things", other, lambda: "the other one")
    _entry_file(folder, other).rename(_entry_file(folder, KEY))
    assert read_entry("things", KEY) is None


class _Gone:
    """Pickled by reference to this module: a reader that cannot import it cannot load it."""


def test_an_entry_whose_payload_no_longer_loads_is_ignored(folder, monkeypatch):
    write_entry("things", KEY, _Gone)
    monkeypatch.delattr(sys.modules[__name__], "_Gone")
    assert read_entry("things", KEY) is None


def test_a_value_that_cannot_be_pickled_or_a_folder_that_cannot_be_made_is_not_an_error(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("NEWSBEAM_CACHE_DIR", str(tmp_path / "cache"))
    assert write_entry("things", KEY, lambda: lambda: None) is False
    assert not any((tmp_path / "cache" / "things").iterdir())  # neither claim nor temporary
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setenv("NEWSBEAM_CACHE_DIR", str(tmp_path / "a-file" / "cache"))
    assert write_entry("things", KEY, lambda: 1) is False
    assert read_entry("things", KEY) is None


def test_a_writer_holding_the_claim_spares_another_the_work_until_it_goes_stale(folder):
    (folder / "things").mkdir(parents=True)
    claim = folder / "things" / f".{KEY}.writing"
    claim.touch()
    made = []
    assert write_entry("things", KEY, lambda: made.append(1) or "value") is False
    assert made == [] and read_entry("things", KEY) is None
    old = time.time() - cache_module._ABANDONED_SECONDS - 10
    os.utime(claim, (old, old))  # its writer died long ago
    assert write_entry("things", KEY, lambda: "value")
    assert read_entry("things", KEY) == "value"
    assert not claim.exists()


def _write_at_once(barrier, results, index: int) -> None:
    barrier.wait()
    # Large enough that the writes overlap.
    results.put(write_entry("things", KEY, lambda: bytes([index]) * 4_000_000))


def test_writers_at_once_leave_one_whole_entry(folder):
    context = multiprocessing.get_context("fork")
    writers = 4
    barrier, results = context.Barrier(writers), context.Queue()
    processes = [
        context.Process(target=_write_at_once, args=(barrier, results, index))
        for index in range(writers)
    ]
    for process in processes:
        process.start()
    stored = [results.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    assert any(stored)
    value = read_entry("things", KEY)
    assert len(value) == 4_000_000 and len(set(value)) == 1 and value[0] < writers
    assert [p.name for p in (folder / "things").iterdir()] == [f"{KEY}.pickle"]


def test_only_the_most_recently_used_entries_are_kept(folder, monkeypatch):
    keys = [cache_key("entry", str(n)) for n in range(4)]
    for age, key in zip((400, 300, 200, 100), keys, strict=True):
        write_entry("things", key, lambda key=key: key)
        stamp = time.time() - age
        os.utime(_entry_file(folder, key), (stamp, stamp))
    monkeypatch.setattr(cache_module, "KEEP_PER_KIND", 2)
    assert read_entry("things", keys[0]) == keys[0]  # used now: the most recent of the four
    write_entry("things", cache_key("entry", "new"), lambda: "new")
    kept = {p.name for p in (folder / "things").iterdir()}
    assert kept == {f"{keys[0]}.pickle", f"{cache_key('entry', 'new')}.pickle"}
