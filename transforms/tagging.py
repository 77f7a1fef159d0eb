"""Tagging as a step of the pipeline: read the taxonomy, build one `Tagger` per process, fill
an article's `topics`, `topic_evidence`, `topic_sentences`, `countries` and `taxonomy_version`.

Tagging runs where the article is extracted, in the same call (`ExtractArticles` in
extract.py): the article's text is then tagged in the extraction process that holds it, never
shipped to the launcher for it. The taxonomy is read and validated when the pipeline is built
(`read_taxonomy`), so a bad `--taxonomy` file stops the run before it starts, with the one-line
`TaxonomyError`. The rules themselves are `Tagger.tag()` in `tagger.py`.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from apache_beam.io.filesystems import FileSystems

from newsbeam.transforms.tagger import Tagger
from newsbeam.transforms.taxonomy import (
    Taxonomy,
    TaxonomyError,
    load_taxonomy,
    parse_taxonomy,
)

__all__ = ["read_taxonomy", "shared_tagger", "tag_article"]

_LOGGER = logging.getLogger(__name__)


def read_taxonomy(path: str | None) -> Taxonomy:
    """The taxonomy at `path` on any Beam filesystem (local, gs://...), or the bundled one.

    Raises `TaxonomyError` (one line) when the file is missing or unusable. A gazetteer the file
    names by a relative path is looked up beside a local taxonomy file only.
    """
    if path is None or "://" not in path:
        return load_taxonomy(path)
    try:
        with FileSystems.open(path) as handle:
            text = handle.read().decode("utf-8")
    except UnicodeDecodeError:
        raise TaxonomyError(f"taxonomy file {path} is not UTF-8 text") from None
    except Exception as exc:  # Beam filesystems raise their own error types per scheme
        raise TaxonomyError(f"taxonomy file not found or unreadable: {path} ({exc})") from None
    return parse_taxonomy(text, path)


_TAGGERS: dict[tuple[str, str, str], tuple[Taxonomy, Tagger]] = {}
_TAGGERS_LOCK = threading.Lock()


def shared_tagger(taxonomy: Taxonomy) -> Tagger:
    """One `Tagger` per taxonomy and process (building one is costly: bench/tagging_speed.py): the
    extraction steps of a pipeline and a worker's threads share it; built before the extraction
    processes fork, it is shared with them too. A `Tagger` keeps no state between calls."""
    key = (taxonomy.name, taxonomy.version, taxonomy.source)
    with _TAGGERS_LOCK:
        cached = _TAGGERS.get(key)
        if cached is None or cached[0] != taxonomy:
            cached = _TAGGERS[key] = (taxonomy, Tagger(taxonomy))
        return cached[1]


def tag_article(article: dict[str, Any], tagger: Tagger) -> dict[str, Any]:
    """The article with `topics`, `topic_evidence`, `topic_sentences`, `countries` and
    `taxonomy_version` set by `tagger`. Raises whatever tagging raises: the caller makes that
    the article's reject (stage "tag")."""
    result = tagger.tag(article.get("text") or "", article.get("title"), article.get("language"))
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
