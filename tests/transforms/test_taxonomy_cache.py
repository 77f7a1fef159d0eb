"""Parsed taxonomies taken from the user cache (taxonomy_cache.py, through `read_taxonomy`): a
second read parses nothing and gives the same taxonomy, a changed taxonomy or gazetteer file is a
miss, the retired-key warning is given on every read, a bad file fails the same way every time,
and the tagger's cache key is the same whether the taxonomy was parsed or taken from the cache.
Every taxonomy here was written for these tests."""

from __future__ import annotations

import json
import logging

import pytest

from newsbeam.transforms import gazetteer, tagger_cache, tagging, taxonomy_cache
from newsbeam.transforms.tagging import TaxonomyFile, read_taxonomy
from newsbeam.transforms.taxonomy import TaxonomyError, load_taxonomy

PLACES = {"version": "p1", "countries": {"by": {"en": {"names": ["Bielarus"]}}}}
HARBOURS = {
    "name": "harbours",
    "version": "1",
    "countries": {"gazetteer": "places.json"},
    "themes": {
        "port-strike": {
            "threshold": 2.0,
            "min_sentences": 1,
            "cues": {"en": {"dockers' strike": 2, "port strike": 2}},
        }
    },
}


@pytest.fixture(autouse=True)
def fresh_process(tmp_path, monkeypatch):
    """A new process each time a test asks (`restart`), sharing one cache folder."""
    monkeypatch.setenv("NEWSBEAM_CACHE_DIR", str(tmp_path / "cache"))
    restart(monkeypatch)


def restart(monkeypatch) -> None:
    for name in ("_READ", "_TAGGERS", "_TAGGER_KEYS"):
        monkeypatch.setattr(tagging, name, {})


@pytest.fixture
def gazetteer_reads(monkeypatch) -> list[str | None]:
    """The gazetteer files parsed from now on: a taxonomy taken from the cache reads none."""
    reads: list[str | None] = []
    load = gazetteer.load_gazetteer

    def counted(path=None):
        reads.append(path)
        return load(path)

    # taxonomy.py imported the function by name: count it where it is called.
    monkeypatch.setattr("newsbeam.transforms.taxonomy.load_gazetteer", counted)
    return reads


def _write(folder, content: dict, name: str) -> str:
    path = folder / name
    path.write_text(json.dumps(content), encoding="utf-8")
    return str(path)


def test_a_second_read_parses_nothing_and_gives_the_same_taxonomy(monkeypatch, gazetteer_reads):
    first = read_taxonomy(None)
    assert gazetteer_reads == [None]
    restart(monkeypatch)
    second = read_taxonomy(None)
    assert gazetteer_reads == [None]  # from the cache
    assert second == first == load_taxonomy(None)
    assert second is not first


def test_a_changed_taxonomy_file_is_parsed_again(tmp_path, monkeypatch, gazetteer_reads):
    _write(tmp_path, PLACES, "places.json")
    path = _write(tmp_path, HARBOURS, "harbours.json")
    assert read_taxonomy(path).themes[0].threshold == 2.0
    restart(monkeypatch)
    _write(tmp_path, {**HARBOURS, "version": "2"}, "harbours.json")
    assert read_taxonomy(path).version == "2"
    assert len(gazetteer_reads) == 2
    restart(monkeypatch)
    assert read_taxonomy(path).version == "2"
    assert len(gazetteer_reads) == 2


def test_a_changed_gazetteer_file_is_parsed_again(tmp_path, monkeypatch, gazetteer_reads):
    _write(tmp_path, PLACES, "places.json")
    path = _write(tmp_path, HARBOURS, "harbours.json")
    assert read_taxonomy(path).gazetteer.version == "p1"
    restart(monkeypatch)
    moved = {"version": "p2", "countries": {"by": {"en": {"names": ["Bilarus"]}}}}
    _write(tmp_path, moved, "places.json")
    found = read_taxonomy(path)
    assert found.gazetteer.version == "p2"
    assert any(alias.phrase == "Bilarus" for alias in found.gazetteer.aliases)
    assert len(gazetteer_reads) == 2


def test_a_gazetteer_gone_since_fails_as_without_the_cache(tmp_path, monkeypatch):
    places = tmp_path / "places.json"
    _write(tmp_path, PLACES, "places.json")
    path = _write(tmp_path, HARBOURS, "harbours.json")
    read_taxonomy(path)
    restart(monkeypatch)
    places.unlink()
    with pytest.raises(TaxonomyError, match="gazetteer file not found"):
        read_taxonomy(path)


def test_the_retired_keys_warning_is_given_on_every_read(tmp_path, monkeypatch, caplog):
    old = {**HARBOURS, "countries": {"min_score": 1.5, "gazetteer": None}}
    path = _write(tmp_path, old, "old.json")
    messages = []
    for _ in range(2):
        restart(monkeypatch)
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            read_taxonomy(path)
        messages.append([(r.name, r.levelno, r.getMessage()) for r in caplog.records])
    assert messages[0] == messages[1]
    ((name, level, message),) = messages[0]
    assert name == "newsbeam.transforms.taxonomy" and level == logging.WARNING
    assert message.startswith(f"taxonomy {path}: ignoring countries.min_score")


def test_a_bad_file_fails_the_same_way_every_time_and_is_not_stored(tmp_path, monkeypatch):
    bad = {**HARBOURS, "themes": {"Port Strike": HARBOURS["themes"]["port-strike"]}}
    path = _write(tmp_path, bad, "bad.json")
    errors = []
    for _ in range(2):
        restart(monkeypatch)
        with pytest.raises(TaxonomyError) as caught:
            read_taxonomy(path)
        errors.append(str(caught.value))
    assert errors[0] == errors[1] and "Port Strike" in errors[0]
    assert not list((tmp_path / "cache").glob("taxonomy/*.pickle"))


def test_the_same_file_read_under_another_name_is_its_own_entry(tmp_path, monkeypatch):
    _write(tmp_path, PLACES, "places.json")
    first = read_taxonomy(_write(tmp_path, HARBOURS, "harbours.json"))
    second = read_taxonomy(_write(tmp_path, HARBOURS, "copy.json"))
    assert first.source != second.source  # its messages name the file it was read from
    assert len(list((tmp_path / "cache").glob("taxonomy/*.pickle"))) == 2


def test_the_taggers_key_is_the_same_parsed_or_taken_from_the_cache(monkeypatch):
    first = TaxonomyFile(None).tagger()
    restart(monkeypatch)
    restored = TaxonomyFile(None).tagger(build=False)
    assert isinstance(restored, tagger_cache._RestoredTagger)  # found under the first run's key
    assert restored.tag("Dockers went on strike in Gdansk.", None, "en") == first.tag(
        "Dockers went on strike in Gdansk.", None, "en"
    )


def test_with_the_cache_off_it_parses_every_time(monkeypatch, gazetteer_reads):
    monkeypatch.setenv("NEWSBEAM_CACHE_DIR", "off")
    for _ in range(2):
        restart(monkeypatch)
        taxonomy_cache.load_taxonomy_cached(None)
    assert gazetteer_reads == [None, None]
