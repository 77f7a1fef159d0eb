"""Built taggers kept in the user cache (transforms/cache.py), so that a process gets its
`Tagger` without building it: every extraction process of a run needs one before its first page.

An entry is keyed by everything a `Tagger` is built from: the taxonomy as read (its pickle, which
holds the gazetteer and every name merged into it), the name and cue forms files, the code of
the modules that build it, and the versions of Python and of the libraries whose data or
objects it holds.
It stores the tagger's state apart from its phrase entries, and those entries grouped by the
languages they belong to (`Tagger._keys_of`), each group pickled on its own: a restored tagger
unpickles a group when it first compiles the automaton of a language that needs it, and most
runs meet a few of the fifty languages. Automata are compiled on first use, as `Tagger` does.
"""

from __future__ import annotations

import logging
import pickle
import sys
import threading
from collections import defaultdict
from importlib import resources
from importlib.metadata import version
from operator import itemgetter
from typing import Any

import ahocorasick

from newsbeam.transforms import cache, cue_forms, gazetteer, name_forms, tagger, taxonomy
from newsbeam.transforms.cache import cache_key, code_digests, read_entry, write_entry
from newsbeam.transforms.tagger import Tagger
from newsbeam.transforms.taxonomy import Taxonomy

__all__ = ["KIND", "build_tagger", "restore_tagger", "tagger_key"]

_LOGGER = logging.getLogger(__name__)

KIND = "tagger"
_FORMAT = 1
# The state a restored tagger makes anew: the taxonomy is the caller's, the entries come by
# group, and a lock and compiled automata are this process's own.
_MADE_ANEW = frozenset({"taxonomy", "_entries", "_automata", "_compiling"})
_BUILT_BY = (cache, cue_forms, gazetteer, name_forms, taxonomy, tagger, sys.modules[__name__])


def tagger_key(taxonomy: Taxonomy, content_key: str | None = None) -> str | None:
    """The cache key of `taxonomy`'s tagger, or None when it cannot be had (a taxonomy that does
    not pickle, a module without its source file): such a tagger is built, never cached. The
    taxonomy is named by its own cache key, `content_key`, when it came through the cache
    (taxonomy_cache.py: that key covers everything it was parsed from), else by its pickle."""
    try:
        return cache_key(
            KIND,
            str(_FORMAT),
            sys.version,
            version("pyahocorasick"),
            version("babel"),
            version("simplemma"),
            f"taxonomy-entry:{content_key}"
            if content_key is not None
            else pickle.dumps(taxonomy, protocol=pickle.HIGHEST_PROTOCOL),
            resources.files("newsbeam.schemas").joinpath("name_forms.json").read_bytes(),
            resources.files("newsbeam.schemas").joinpath("cue_forms.json").read_bytes(),
            *code_digests(_BUILT_BY),
        )
    except Exception as exc:
        _LOGGER.info("tagger not cached: %s", exc)
        return None


def build_tagger(taxonomy: Taxonomy, key: str | None) -> Tagger:
    """A new `Tagger` for `taxonomy`, stored in the cache under `key` (None: not stored)."""
    built = Tagger(taxonomy)
    if key is not None:
        write_entry(KIND, key, lambda: _state_of(built))
    return built


def restore_tagger(taxonomy: Taxonomy, key: str | None) -> Tagger | None:
    """The tagger the cache holds under `key` for `taxonomy`, or None when it holds none (or
    something that is not one)."""
    stored = read_entry(KIND, key) if key is not None else None
    if not isinstance(stored, dict) or stored.get("format") != _FORMAT:
        return None
    core, groups = stored.get("core"), stored.get("groups")
    if not isinstance(core, dict) or not isinstance(groups, dict) or _MADE_ANEW & core.keys():
        return None
    restored = _RestoredTagger.__new__(_RestoredTagger)
    restored.__dict__.update(core)
    restored.taxonomy = taxonomy
    restored._entries = {}
    restored._automata = {}
    restored._compiling = threading.Lock()
    restored._groups = groups
    restored._placed = {}
    restored._restoring = threading.Lock()
    return restored


def _state_of(built: Tagger) -> dict[str, Any]:
    """What the cache stores of a tagger: its state but the phrase entries, and the entries of
    each group of languages, pickled apart, each with its place in its key's list (an
    automaton's value keeps the entries of a key in the order the tagger added them)."""
    grouped: dict[int, dict[str, list[tuple[int, Any]]]] = defaultdict(lambda: defaultdict(list))
    for key, entries in built._entries.items():
        for place, entry in enumerate(entries):
            grouped[entry.languages][key].append((place, entry))
    return {
        "format": _FORMAT,
        "core": {name: value for name, value in vars(built).items() if name not in _MADE_ANEW},
        "groups": {
            languages: pickle.dumps(dict(entries), protocol=pickle.HIGHEST_PROTOCOL)
            for languages, entries in grouped.items()
        },
    }


class _RestoredTagger(Tagger):
    """A `Tagger` restored from the cache: before compiling a language's automaton it reads the
    entry groups that language needs."""

    _groups: dict[int, bytes]  # languages (bit mask) -> its entries, pickled; gone once read
    _placed: dict[str, list[tuple[int, Any]]]  # key -> its entries read so far, with places
    _restoring: threading.Lock

    def _automaton(self, mask: int) -> ahocorasick.Automaton:
        if mask not in self._automata:
            self._read_groups(mask)
        return super()._automaton(mask)

    def _read_groups(self, mask: int) -> None:
        with self._restoring:
            for languages in [languages for languages in self._groups if languages & mask]:
                for key, placed in pickle.loads(self._groups.pop(languages)).items():
                    entries = self._placed.setdefault(key, [])
                    entries.extend(placed)
                    entries.sort(key=itemgetter(0))
                    # A new list: a thread compiling another language reads the old one whole.
                    self._entries[key] = [entry for _, entry in entries]
