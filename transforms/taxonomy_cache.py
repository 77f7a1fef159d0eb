"""Parsed and validated taxonomies kept in the user cache (transforms/cache.py): reading the
bundled taxonomy and its gazetteer (JSON, then every name merged with pycountry's and CLDR's and
inflected) costs a launcher tenths of a second before it can fork its extraction processes;
unpickling the result costs a tenth of that.

An entry is keyed by everything the parse reads or runs: the taxonomy file's text, the name and
folder it was read under (its messages and relative gazetteer path use them), the bundled copy of
CLDR's names, the code of the modules that parse it, and the versions of Python and of the
libraries whose data it merges. The gazetteer file is named inside the taxonomy, so it is not
known before the parse: the entry records which file it was and a hash of its bytes, and an entry
whose gazetteer no longer hashes the same is a miss. The warning a parse gives for retired keys
is stored with the taxonomy and given again on every hit, so a run says the same with or without
the cache. A file that does not parse is never stored: its error is raised by the parse itself,
every time.
"""

from __future__ import annotations

import hashlib
import logging
import sys
from importlib import resources
from importlib.metadata import version
from typing import Any

from newsbeam.transforms import cache, gazetteer, taxonomy
from newsbeam.transforms.cache import cache_key, code_digests, read_entry, write_entry
from newsbeam.transforms.gazetteer import gazetteer_bytes
from newsbeam.transforms.taxonomy import (
    Taxonomy,
    parse_taxonomy_file,
    read_taxonomy_text,
    warn_retired,
)

__all__ = ["KIND", "load_taxonomy_cached"]

_LOGGER = logging.getLogger(__name__)

KIND = "taxonomy"
_FORMAT = 1
_BUILT_BY = (cache, gazetteer, taxonomy, sys.modules[__name__])


def load_taxonomy_cached(path: str | None = None) -> tuple[Taxonomy, str | None]:
    """`load_taxonomy(path)` (local files and the bundled taxonomy), taken from the user cache
    when it holds it, else parsed and stored there; with the entry's key (None when it cannot
    be had), which names the taxonomy's content for other entries
    built from it (the tagger's). Raises what `load_taxonomy` raises."""
    text, source, base_dir = read_taxonomy_text(path)
    key = _key(text, source, base_dir)
    stored = read_entry(KIND, key) if key is not None else None
    found = _valid(stored)
    if found is not None:
        warn_retired(source, found[1])
        return found[0], key
    parsed = parse_taxonomy_file(text, source, base_dir)
    if key is not None:
        try:
            digest = hashlib.sha256(gazetteer_bytes(parsed.gazetteer_path)).hexdigest()
        except OSError:
            return parsed.taxonomy, None
        entry = {
            "format": _FORMAT,
            "taxonomy": parsed.taxonomy,
            "retired": parsed.retired,
            "gazetteer": (parsed.gazetteer_path, digest),
        }
        # Stored or not (a folder that cannot be written, another process writing it), the key
        # names this content.
        write_entry(KIND, key, lambda: entry)
    return parsed.taxonomy, key


def _key(text: str, source: str, base_dir: str | None) -> str | None:
    """The cache key of the taxonomy parsed from `text` read as `source` in `base_dir`, or None
    when it cannot be had (no package metadata, a module without its source file)."""
    try:
        return cache_key(
            KIND,
            str(_FORMAT),
            sys.version,
            version("pycountry"),
            version("babel"),
            text,
            source,
            base_dir or "",
            resources.files("newsbeam.schemas").joinpath("cldr_names.json").read_bytes(),
            *code_digests(_BUILT_BY),
        )
    except Exception as exc:
        _LOGGER.info("taxonomy not cached: %s", exc)
        return None


def _valid(stored: Any) -> tuple[Taxonomy, tuple[str, ...]] | None:
    """The taxonomy and its retired keys from a stored entry, or None when it is not one, or
    its gazetteer file changed (or is gone) since."""
    if not isinstance(stored, dict) or stored.get("format") != _FORMAT:
        return None
    found, retired, named = stored.get("taxonomy"), stored.get("retired"), stored.get("gazetteer")
    if not isinstance(found, Taxonomy) or not isinstance(retired, tuple):
        return None
    if not isinstance(named, tuple) or len(named) != 2:
        return None
    gazetteer_path, digest = named
    try:
        if hashlib.sha256(gazetteer_bytes(gazetteer_path)).hexdigest() != digest:
            return None
    except OSError:
        return None  # the parse reports the missing gazetteer in its own words
    return found, retired
