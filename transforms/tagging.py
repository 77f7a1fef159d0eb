"""Tagging as a step of the pipeline: read the taxonomy, build one `Tagger` per process, fill
an article's `topics`, `topic_evidence`, `topic_sentences`, `countries` and `taxonomy_version`.

Tagging runs where the article is extracted, in the same call (`ExtractArticles` in
extract.py): the article's text is then tagged in the extraction process that holds it, never
shipped to the launcher for it. The step names its taxonomy by file (`TaxonomyFile`); the file
is read and validated when the step is built (taken from the user cache when it holds the same
file parsed: taxonomy_cache.py), so a bad `--taxonomy` file stops the run before it starts,
with the one-line `TaxonomyError`, and read again only by a process that has not read it yet.
The rules themselves are `Tagger.tag()` in `tagger.py`.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

from newsbeam.transforms.files import DATA_FILE_MAX_BYTES, is_remote
from newsbeam.transforms.tagger import Tagger
from newsbeam.transforms.tagger_cache import build_tagger, restore_tagger, tagger_key
from newsbeam.transforms.taxonomy import Taxonomy, TaxonomyError, parse_taxonomy
from newsbeam.transforms.taxonomy_cache import load_taxonomy_cached

__all__ = ["TaxonomyFile", "read_taxonomy", "shared_tagger", "tag_article"]

_LOGGER = logging.getLogger(__name__)

# path -> the taxonomy last read from it in this process, and its user-cache key (None when it
# has none): the key names the taxonomy's content in its tagger's key.
_READ: dict[str | None, tuple[Taxonomy, str | None]] = {}
_TAGGERS: dict[tuple[str, str, str], tuple[Taxonomy, Tagger]] = {}
# The user-cache key of each taxonomy's tagger, once computed (it pickles the taxonomy): the
# launcher computes it before the fork, and the extraction processes inherit it.
_TAGGER_KEYS: dict[tuple[str, str, str], tuple[Taxonomy, str | None]] = {}
_TAGGERS_LOCK = threading.Lock()


def read_taxonomy(path: str | None) -> Taxonomy:
    """The taxonomy at `path` on any Beam filesystem (local, gs://...), or the bundled one.

    Raises `TaxonomyError` (one line) when the file is missing or unusable. A gazetteer the file
    names by a relative path is looked up beside a local taxonomy file only. What it reads is
    also what `TaxonomyFile.tagger()` uses in this process from then on.
    """
    content_key = None
    if path is None or not is_remote(path):
        taxonomy, content_key = load_taxonomy_cached(path)
    else:
        # Beam only here: a local run's extraction processes read local files without it.
        from apache_beam.io.filesystems import FileSystems

        try:
            with FileSystems.open(path) as handle:
                data = handle.read(DATA_FILE_MAX_BYTES + 1)
            if len(data) > DATA_FILE_MAX_BYTES:
                raise TaxonomyError(
                    f"taxonomy file {path} holds over {DATA_FILE_MAX_BYTES:,} bytes"
                )
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise TaxonomyError(f"taxonomy file {path} is not UTF-8 text") from None
        except TaxonomyError:
            raise
        except Exception as exc:  # Beam filesystems raise their own error types per scheme
            raise TaxonomyError(f"taxonomy file not found or unreadable: {path} ({exc})") from None
        taxonomy = parse_taxonomy(text, path)
    with _TAGGERS_LOCK:
        _READ[path] = (taxonomy, content_key)
    return taxonomy


@dataclass(frozen=True)
class TaxonomyFile:
    """Which taxonomy tags the articles: the file at `path` (any Beam filesystem), or the bundled
    one for None. A step carries this to its workers, not the taxonomy itself: Beam pickles a
    step's DoFn again for every stage that runs it, and the compiled taxonomy weighs a megabyte
    where this weighs a few bytes."""

    path: str | None = None

    def load(self) -> Taxonomy:
        """The taxonomy, read once per process (`read_taxonomy`'s errors if it is unusable)."""
        with _TAGGERS_LOCK:
            found = _READ.get(self.path)
        return found[0] if found is not None else read_taxonomy(self.path)

    def tagger(self, build: bool = True) -> Tagger | None:
        """This process's `Tagger` for the taxonomy (`shared_tagger`; with `build=False`, None
        unless this process has one or the user cache holds one)."""
        taxonomy = self.load()
        with _TAGGERS_LOCK:
            found = _READ.get(self.path)
        content_key = found[1] if found is not None and found[0] is taxonomy else None
        return shared_tagger(taxonomy, build, content_key)


def shared_tagger(
    taxonomy: Taxonomy, build: bool = True, content_key: str | None = None
) -> Tagger | None:
    """One `Tagger` per taxonomy and process (building one is costly: bench/tagging_speed.py): the
    extraction steps of a pipeline and a worker's threads share it; made before the extraction
    processes fork, it is shared with them too. A `Tagger` keeps no state between calls. It is
    restored from the user cache when there (tagger_cache.py), else built and put there; with
    `build=False`, None when the cache holds none. `content_key`, the taxonomy's own cache key
    when it has one, names it in the tagger's key instead of its pickle (`tagger_key`)."""
    key = (taxonomy.name, taxonomy.version, taxonomy.source)
    with _TAGGERS_LOCK:
        cached = _TAGGERS.get(key)
        if cached is None or cached[0] != taxonomy:
            known = _TAGGER_KEYS.get(key)
            if known is None or known[0] != taxonomy:
                known = _TAGGER_KEYS[key] = (taxonomy, tagger_key(taxonomy, content_key))
            cache_key = known[1]
            tagger = restore_tagger(taxonomy, cache_key)
            if tagger is None and not build:
                return None
            tagger = tagger or build_tagger(taxonomy, cache_key)
            cached = _TAGGERS[key] = (taxonomy, tagger)
        return cached[1]


def tag_article(article: dict[str, Any], tagger: Tagger) -> dict[str, Any]:
    """The article with `topics`, `topic_evidence`, `topic_sentences`, `countries` and
    `taxonomy_version` set by `tagger`. Raises whatever tagging raises: the caller makes that
    the article's reject (stage "tag")."""
    result = tagger.tag(
        article.get("text") or "", article.get("title"), article.get("language"), article.get("url")
    )
    return {
        **article,
        "topics": result.topics,
        "topic_evidence": [
            {"topic": e["topic"], "score": e["score"], "phrases": e["phrases"]}
            for e in result.evidence
        ],
        "topic_sentences": [
            {"topic": e["topic"], "sentences": e["sentences"]} for e in result.evidence
        ],
        "countries": result.countries,
        "taxonomy_version": tagger.taxonomy.version,
    }
