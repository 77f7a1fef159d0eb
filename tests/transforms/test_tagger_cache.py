"""Taggers and the language model taken from the user cache (tagger_cache.py, pagework.py): a
restored tagger tags as a built one in every language, a changed taxonomy or a stale, damaged
entry is a miss that is built and stored again, and `build=False` only takes what is cached.
Every text here was written for these tests."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from newsbeam.transforms import pagework, tagger_cache, tagging
from newsbeam.transforms.cache import read_entry, write_entry
from newsbeam.transforms.tagger import Tagger
from newsbeam.transforms.tagging import shared_tagger
from newsbeam.transforms.taxonomy import load_taxonomy, parse_taxonomy
from newsbeam.transforms.taxonomy_cache import load_taxonomy_cached

TEXTS = [
    (
        "en",
        "Ministers meet in Geneva",
        "The foreign ministers of Russia and Ukraine met in Geneva on Friday to discuss an "
        "exchange of prisoners. Moscow and Kyiv both said the talks were useful. A second round "
        "is planned next month, the Swiss hosts said.",
    ),
    (
        "de",
        "Gespräche in Wien",
        "Die Außenminister Polens und Litauens trafen sich am Montag in Wien. Warschau und "
        "Vilnius wollen bei der Energieversorgung enger zusammenarbeiten.",
    ),
    (
        "pl",
        "Sankcje wobec Iranu",
        "Rząd Polski poparł nowe sankcje wobec Iranu. Warszawa zapowiedziała rozmowy z "
        "Teheranem w przyszłym tygodniu.",
    ),
    (
        "fr",
        "Manœuvres navales",
        "La marine française et la marine italienne ont mené des exercices militaires conjoints "
        "au large de la Corse. Paris et Rome veulent renforcer leur coopération.",
    ),
    (None, None, "Chile and Argentina signed a fisheries accord in Santiago on Tuesday."),
]


@pytest.fixture(autouse=True)
def cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSBEAM_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("_TAGGERS", "_READ", "_TAGGER_KEYS"):
        monkeypatch.setattr(tagging, name, {})
    return tmp_path / "cache"


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy()


@pytest.fixture(scope="module")
def built(taxonomy) -> Tagger:
    return Tagger(taxonomy)


def test_a_restored_tagger_tags_as_a_built_one_in_every_language(taxonomy, built):
    key = tagger_cache.tagger_key(taxonomy)
    assert tagger_cache.restore_tagger(taxonomy, key) is None  # nothing cached yet
    tagger_cache.build_tagger(taxonomy, key)
    restored = tagger_cache.restore_tagger(taxonomy, key)
    assert isinstance(restored, Tagger) and restored.taxonomy is taxonomy
    for language, title, text in TEXTS:
        assert restored.tag(text, title, language) == built.tag(text, title, language)
    assert any(built.tag(text, title, language).topics for language, title, text in TEXTS)


def test_a_restored_tagger_matches_the_built_one_phrase_for_phrase(taxonomy, built):
    key = tagger_cache.tagger_key(taxonomy)
    tagger_cache.build_tagger(taxonomy, key)
    restored = tagger_cache.restore_tagger(taxonomy, key)
    for language in ("en", "hu", "he"):
        mask = built._bits[language]
        assert dict(restored._automaton(mask).items()) == dict(built._automaton(mask).items())


def test_the_key_follows_the_taxonomy(taxonomy):
    changed = replace(taxonomy, themes=(replace(taxonomy.themes[0], threshold=99.0),))
    assert tagger_cache.tagger_key(taxonomy) == tagger_cache.tagger_key(load_taxonomy())
    assert tagger_cache.tagger_key(changed) != tagger_cache.tagger_key(taxonomy)


def test_a_user_taxonomy_gets_its_own_entry(tmp_path, taxonomy):
    raw = {
        "name": "ports",
        "version": "1",
        "themes": {
            "port-strikes": {
                "label": "Port strikes",
                "threshold": 2,
                "min_sentences": 1,
                "cues": {"en": {"dockers strike": 2, "port strike": 2}},
            }
        },
    }
    mine = parse_taxonomy(json.dumps(raw), "ports.json")
    shared_tagger(taxonomy)
    tagger = shared_tagger(mine)
    assert tagger.taxonomy is mine
    text = "Dockers strike at the port of Antwerp for a second day; a port strike hits Rotterdam."
    assert tagger.tag(text, "Port strike", "en").topics == ["port-strikes"]
    assert len(list((tmp_path / "cache" / "tagger").glob("*.pickle"))) == 2


def test_build_false_takes_only_what_is_cached(taxonomy, monkeypatch):
    assert shared_tagger(taxonomy, build=False) is None
    first = shared_tagger(taxonomy)
    assert shared_tagger(taxonomy, build=False) is first  # this process's own
    monkeypatch.setattr(tagging, "_TAGGERS", {})  # a new process, the same cache
    restored = shared_tagger(taxonomy, build=False)
    assert isinstance(restored, tagger_cache._RestoredTagger)


def test_a_stale_or_damaged_entry_is_built_and_stored_again(taxonomy, cache_folder, monkeypatch):
    key = tagger_cache.tagger_key(taxonomy)
    write_entry(tagger_cache.KIND, key, lambda: {"format": 0, "core": {}, "groups": {}})
    assert tagger_cache.restore_tagger(taxonomy, key) is None
    assert shared_tagger(taxonomy, build=False) is None
    (path,) = (cache_folder / "tagger").glob("*.pickle")
    path.write_bytes(path.read_bytes()[:100])  # cut short
    tagger = shared_tagger(taxonomy)
    assert type(tagger) is Tagger  # built
    monkeypatch.setattr(tagging, "_TAGGERS", {})
    restored = shared_tagger(taxonomy)
    assert isinstance(restored, tagger_cache._RestoredTagger)
    language, title, text = TEXTS[0]
    assert restored.tag(text, title, language) == tagger.tag(text, title, language)


def test_the_language_model_is_cached_and_classifies_as_unpacked(cache_folder):
    assert pagework._load_language_identifier(build=False) is None
    unpacked = pagework._load_language_identifier(build=True)
    cached = pagework._load_language_identifier(build=False)
    assert cached is not None and cached is not unpacked
    assert len(list((cache_folder / "language-model").glob("*.pickle"))) == 1
    for _, _, text in TEXTS:
        assert cached.classify(text) == unpacked.classify(text)
    assert cached.classify(TEXTS[1][2])[0] == "de"


def test_with_the_cache_off_nothing_is_stored(tmp_path, monkeypatch, taxonomy):
    monkeypatch.setenv("NEWSBEAM_CACHE_DIR", "off")
    assert type(shared_tagger(taxonomy)) is Tagger
    monkeypatch.setattr(tagging, "_TAGGERS", {})
    assert shared_tagger(taxonomy, build=False) is None
    assert read_entry(tagger_cache.KIND, tagger_cache.tagger_key(taxonomy)) is None


def test_before_the_fork_the_launcher_takes_only_what_is_cached(taxonomy, monkeypatch):
    from newsbeam.transforms import extraction_pool
    from newsbeam.transforms.tagging import TaxonomyFile

    monkeypatch.setattr(pagework, "_IDENTIFIER", [])
    extraction_pool._load_cached(TaxonomyFile(None))
    assert pagework._IDENTIFIER == [] and tagging._TAGGERS == {}  # nothing built here
    pagework._load_language_identifier(build=True)
    _, content_key = load_taxonomy_cached(None)  # the taxonomy's key names it in the tagger's
    tagger_cache.build_tagger(taxonomy, tagger_cache.tagger_key(taxonomy, content_key))
    extraction_pool._load_cached(TaxonomyFile(None))
    assert len(pagework._IDENTIFIER) == 1
    ((_, tagger),) = tagging._TAGGERS.values()
    assert isinstance(tagger, tagger_cache._RestoredTagger)
