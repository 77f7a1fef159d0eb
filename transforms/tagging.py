"""TagTopics: fill each article's `topics`, `topic_evidence`, `topic_sentences`, `countries`
and `taxonomy_version`.

The taxonomy is read and validated when the transform is constructed, so a bad `--taxonomy`
file stops the run before it starts, with the one-line `TaxonomyError`; the validated taxonomy
travels to the workers with the DoFn, which compiles it once per worker in `setup()`. The work
itself is `Tagger.tag()` in `tagger.py` (no Beam there).

An article whose tagging raises is not lost silently: `with_exception_handling()` sends it to
the rejects output (stage "tag"), so every input still ends as exactly one row.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics

from newsbeam.transforms.failures import crash_to_reject
from newsbeam.transforms.tagger import Tagger
from newsbeam.transforms.taxonomy import (
    Taxonomy,
    TaxonomyError,
    load_taxonomy,
    parse_taxonomy,
)

__all__ = ["TagTopics", "TagTopicsFn", "read_taxonomy", "shared_tagger"]

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
    pipeline's two tagging steps, and a worker's threads, share it. A `Tagger` keeps no state
    between calls."""
    key = (taxonomy.name, taxonomy.version, taxonomy.source)
    with _TAGGERS_LOCK:
        cached = _TAGGERS.get(key)
        if cached is None or cached[0] != taxonomy:
            cached = _TAGGERS[key] = (taxonomy, Tagger(taxonomy))
        return cached[1]


class TagTopicsFn(beam.DoFn):
    """article dict -> the same article with `topics`, `topic_evidence`, `topic_sentences`,
    `countries` and `taxonomy_version` set."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self._taxonomy = taxonomy
        self._tagged = Metrics.counter("newsbeam", "tagged")
        self._untagged = Metrics.counter("newsbeam", "untagged")
        self._relations = Metrics.counter("newsbeam", "relation_tags")
        self._themes = Metrics.counter("newsbeam", "theme_tags")

    def setup(self) -> None:
        self._tagger = shared_tagger(self._taxonomy)

    def process(self, article: dict[str, Any]):
        result = self._tagger.tag(
            article.get("text") or "", article.get("title"), article.get("language")
        )
        relations = sum(topic.startswith("relations:") for topic in result.topics)
        self._relations.inc(relations)
        self._themes.inc(len(result.topics) - relations)
        (self._tagged if result.topics else self._untagged).inc()
        yield {
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
            "taxonomy_version": self._taxonomy.version,
        }


class TagTopics(beam.PTransform):
    """Articles -> (tagged articles, rejects). `taxonomy_path` None means the bundled taxonomy;
    a bad file raises `TaxonomyError` here, at pipeline construction."""

    def __init__(self, taxonomy_path: str | None = None) -> None:
        super().__init__()
        self._taxonomy = read_taxonomy(taxonomy_path)

    @property
    def taxonomy(self) -> Taxonomy:
        """The validated taxonomy this transform tags with."""
        return self._taxonomy

    def expand(self, articles):
        results = (
            articles
            | "TagText" >> beam.ParDo(TagTopicsFn(self._taxonomy)).with_exception_handling()
        )
        rejects = results.bad | "ExplainCrashes" >> beam.Map(crash_to_reject("tag"))
        return results.good, rejects
