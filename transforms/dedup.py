"""Deduplicate: each article once, within a run and against every earlier run into the output.

Two keys in this version: the canonical URL (`kind="url"`) and the hash of the normalised text
(`kind="exact"`). Each is a CoGroupByKey of this run's articles with the keys earlier runs
committed to the index, so it scales with the runner rather than with one worker's memory.
The article kept in a group is chosen by `rank()`, never by arrival order, so parallelism,
input order and re-runs give the same answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

import apache_beam as beam
from apache_beam.metrics import Metrics

__all__ = ["Deduplicate", "duplicate_record", "rank", "resolve_group"]

_LATEST = datetime.max.replace(tzinfo=timezone.utc)


def rank(article: dict[str, Any]) -> tuple:
    """Sort key of the copy to keep: the earliest published, then the smallest canonical URL,
    origin and URL (unknown dates rank last)."""
    published = article.get("published_at")
    return (
        published is None,
        published or _LATEST,
        article["canonical_url"],
        article["origin"],
        article["url"],
    )


def duplicate_record(article: dict[str, Any], duplicate_of: str, kind: str) -> dict[str, Any]:
    """The duplicates-table fields for an article dropped in favour of `duplicate_of`."""
    return {
        "url": article["url"],
        "canonical_url": article["canonical_url"],
        "origin": article["origin"],
        "duplicate_of": duplicate_of,
        "kind": kind,
        "similarity": 1.0,
    }


def resolve_group(
    new: Iterable[dict[str, Any]], prior_ids: Iterable[str]
) -> tuple[dict[str, Any] | None, list[tuple[dict[str, Any], str]]]:
    """Articles sharing one key -> (the one kept or None, [(dropped article, kept id)]).

    When an earlier run already holds the key, every new article is a copy of that run's article.
    """
    new = sorted(new, key=rank)
    prior = sorted(set(prior_ids))
    if prior:
        return None, [(article, prior[0]) for article in new]
    if not new:
        return None, []
    kept = new[0]
    return kept, [(article, kept["article_id"]) for article in new[1:]]


class _ResolveFn(beam.DoFn):
    """(key, {"new": [...], "prior": [...]}) -> kept articles; duplicates and merges tagged."""

    DUPLICATES = "duplicates"
    MERGED = "merged"

    def __init__(self, kind: str) -> None:
        self._kind = kind
        self._dropped = Metrics.counter("newsbeam", f"duplicates_{kind}")

    def process(self, element):
        _key, grouped = element
        kept, dropped = resolve_group(grouped["new"], grouped["prior"])
        if kept is not None:
            yield kept
        for article, target in dropped:
            self._dropped.inc()
            yield beam.pvalue.TaggedOutput(
                self.DUPLICATES, duplicate_record(article, target, self._kind)
            )
            yield beam.pvalue.TaggedOutput(self.MERGED, (article["article_id"], target))


def _repoint(element):
    """(dropped id, {"dups": [...], "merged": [target]}) -> dups pointing at the final article."""
    _dropped_id, grouped = element
    targets = list(grouped["merged"])
    for dup in grouped["dups"]:
        yield {**dup, "duplicate_of": targets[0]} if targets else dup


def _index_rows(kept: dict[str, Any]):
    yield {
        "kind": "url",
        "key": kept["canonical_url"],
        "article_id": kept["article_id"],
        "published_at": kept.get("published_at"),
    }
    yield {
        "kind": "hash",
        "key": kept["content_hash"],
        "article_id": kept["article_id"],
        "published_at": kept.get("published_at"),
    }


def _dup_index_row(dup: dict[str, Any]) -> dict[str, Any]:
    # A copy's URL points at its article: the next time it comes, it is known without extraction.
    return {"kind": "url", "key": dup["canonical_url"], "article_id": dup["duplicate_of"]}


def _keys_of(index, kind: str, label: str):
    return index | label >> beam.FlatMap(
        lambda row: [(row["key"], row["article_id"])] if row["kind"] == kind else []
    )


class Deduplicate(beam.PTransform):
    """(articles, index rows of earlier runs) -> (kept articles, duplicates, new index rows)."""

    def expand(self, articles_and_index):
        articles, index = articles_and_index
        by_url = (
            {
                "new": articles | "KeyByUrl" >> beam.Map(lambda a: (a["canonical_url"], a)),
                "prior": _keys_of(index, "url", "PriorUrls"),
            }
            | "GroupByUrl" >> beam.CoGroupByKey()
            | "ResolveUrl"
            >> beam.ParDo(_ResolveFn("url")).with_outputs(
                _ResolveFn.DUPLICATES, _ResolveFn.MERGED, main="kept"
            )
        )
        by_text = (
            {
                "new": by_url.kept | "KeyByText" >> beam.Map(lambda a: (a["content_hash"], a)),
                "prior": _keys_of(index, "hash", "PriorTexts"),
            }
            | "GroupByText" >> beam.CoGroupByKey()
            | "ResolveText"
            >> beam.ParDo(_ResolveFn("exact")).with_outputs(
                _ResolveFn.DUPLICATES, _ResolveFn.MERGED, main="kept"
            )
        )
        # A URL copy whose article then lost to an exact copy must point at the final article.
        url_dups = (
            {
                "dups": by_url.duplicates
                | "KeyByTarget" >> beam.Map(lambda d: (d["duplicate_of"], d)),
                "merged": by_text.merged,
            }
            | "JoinMerges" >> beam.CoGroupByKey()
            | "RepointUrlCopies" >> beam.FlatMap(_repoint)
        )
        duplicates = (url_dups, by_text.duplicates) | "MergeDuplicates" >> beam.Flatten()
        index_rows = (
            by_text.kept | "IndexKept" >> beam.FlatMap(_index_rows),
            duplicates | "IndexCopies" >> beam.Map(_dup_index_row),
        ) | "MergeIndexRows" >> beam.Flatten()
        return by_text.kept, duplicates, index_rows
