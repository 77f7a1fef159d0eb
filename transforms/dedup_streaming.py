"""DeduplicateStreaming: the URL, exact and near passes of `Deduplicate` as keyed state, for
unbounded input (no GroupByKey, no timers: on Beam 2.77's local runner event-time timers fired
at the end of every bundle, and an unbounded GroupByKey emitted nothing until the source stopped).

1. `_FirstSeenFn` keyed by the SHA-256 of the canonical URL, then again keyed by the text hash
   (`ReadModifyWriteStateSpec`): the first article seen under a key is kept, later ones are
   `url`/`exact` duplicates of it.
2. `_MatchBandFn` keyed by LSH band key (`BagStateSpec` of the articles seen in that bucket,
   with their encoded shingle sets): each new member is verified by Jaccard against the bucket's
   earlier members, and reports the first verified one (in arrival order) or none.
3. `_DecideNearFn` keyed by article id (`BagStateSpec`): once the article and its verdicts from
   all its bands are in, it is kept, or a `near` duplicate of the earliest-seen verified match.

Differences from the batch transform, all forced by unbounded input: the first *arriving* copy is
kept (a stream cannot wait for an earlier-published one); a URL/exact copy of an article that
was itself dropped as near points at that article rather than its winner, and a near copy can
point at an article that another band's verdict dropped (A~B~C with A!~C): both need a join
over the decisions, which the batch run does. Retention: entries older than `retention_days`
(by element timestamp) are treated as absent and pruned when their key is next touched; a key
never touched again keeps its state (a TTL timer would clear it where timers work).
"""

from __future__ import annotations

import hashlib
from typing import Any

import apache_beam as beam
from apache_beam import coders
from apache_beam.metrics import Metrics
from apache_beam.transforms.userstate import BagStateSpec, ReadModifyWriteStateSpec

from newsbeam.transforms.dedup import DEFAULT_NEAR_SETTINGS, duplicate_record
from newsbeam.transforms.minhash import (
    NearDuplicateSettings,
    decode_shingles,
    jaccard,
    sketch_text,
)

__all__ = ["DeduplicateStreaming"]

_DAY_SECONDS = 86_400
# Keys are strings: a deterministic key coder, as stateful DoFns need.
_KEYED = beam.typehints.KV[str, Any]


def _seconds(timestamp) -> int:
    return int(timestamp.micros // 1_000_000)


def _expired(seen: int, now: int, retention_days: int | None) -> bool:
    return retention_days is not None and now - seen > retention_days * _DAY_SECONDS


class _FirstSeenFn(beam.DoFn):
    """(key, article) -> the article if first under its key; else a duplicate, tagged."""

    DUPLICATES = "duplicates"
    FIRST = ReadModifyWriteStateSpec(
        "first", coders.TupleCoder([coders.StrUtf8Coder(), coders.VarIntCoder()])
    )

    def __init__(self, kind: str, retention_days: int | None) -> None:
        self._kind = kind
        self._retention_days = retention_days
        self._dropped = Metrics.counter("newsbeam", f"stream_duplicates_{kind}")

    def process(
        self,
        element,
        prior: dict[str, str],
        timestamp=beam.DoFn.TimestampParam,
        first=beam.DoFn.StateParam(FIRST),  # noqa: B008 (Beam's state API)
    ):
        key, article = element
        now = _seconds(timestamp)
        seen = first.read()
        if seen is None and f"{self._kind}:{key}" in prior:
            # Ingested by an earlier run into this output (its index): the first copy is that.
            seen = (prior[f"{self._kind}:{key}"], now)
            first.write(seen)
        if seen is not None and not _expired(seen[1], now, self._retention_days):
            self._dropped.inc()
            yield beam.pvalue.TaggedOutput(
                self.DUPLICATES, duplicate_record(article, seen[0], self._kind)
            )
            return
        first.write((article["article_id"], now))
        yield article


_MEMBER = coders.TupleCoder([coders.StrUtf8Coder(), coders.StrUtf8Coder(), coders.VarIntCoder()])


class _MatchBandFn(beam.DoFn):
    """(band, (id, shingles, bands)) -> (id, ("verdict", (seen, match id, similarity) | None))."""

    MEMBERS = BagStateSpec("members", _MEMBER)

    def __init__(self, settings: NearDuplicateSettings, retention_days: int | None) -> None:
        self._threshold = settings.threshold
        self._retention_days = retention_days

    def process(
        self,
        element,
        timestamp=beam.DoFn.TimestampParam,
        members=beam.DoFn.StateParam(MEMBERS),  # noqa: B008
    ):
        _band, (article_id, encoded) = element
        now = _seconds(timestamp)
        stored = list(members.read())
        live = [m for m in stored if not _expired(m[2], now, self._retention_days)]
        if len(live) < len(stored):
            members.clear()
            for member in live:
                members.add(member)
        mine = decode_shingles(encoded)
        verdict = None
        for other_id, other, seen in live:  # arrival order: the first verified match wins
            if other_id == article_id:
                continue
            similarity = jaccard(decode_shingles(other), mine)
            if similarity >= self._threshold:
                verdict = (seen, other_id, similarity)
                break
        members.add((article_id, encoded, now))
        yield article_id, ("verdict", verdict)


class _DecideNearFn(beam.DoFn):
    """(id, ("article", article) | ("verdict", ...)) -> kept article, or a near duplicate."""

    DUPLICATES = "duplicates"
    PENDING = BagStateSpec("pending", coders.PickleCoder())

    def __init__(self, bands: int) -> None:
        self._bands = bands
        self._dropped = Metrics.counter("newsbeam", "stream_duplicates_near")

    def process(self, element, pending=beam.DoFn.StateParam(PENDING)):  # noqa: B008
        _article_id, message = element
        pending.add(message)
        messages = list(pending.read())
        articles = [body for tag, body in messages if tag == "article"]
        verdicts = [body for tag, body in messages if tag == "verdict"]
        if not articles or len(verdicts) < self._bands:
            return
        pending.clear()
        matches = sorted(v for v in verdicts if v is not None)
        if matches:
            _seen, target, similarity = matches[0]
            self._dropped.inc()
            yield beam.pvalue.TaggedOutput(
                self.DUPLICATES, duplicate_record(articles[0], target, "near", similarity)
            )
            return
        yield articles[0]


def _url_key(article: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return _url_hash(article["canonical_url"]), article


def _url_hash(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


def _prior_key(row: dict[str, Any]):
    """An index row of an earlier run -> ("<kind>:<state key>", article id) for the URL and
    exact passes (the keys `_FirstSeenFn` is keyed by)."""
    if row.get("kind") == "url" and row.get("article_id"):
        yield f"url:{_url_hash(row['key'])}", row["article_id"]
    elif row.get("kind") == "hash" and row.get("article_id"):
        yield f"exact:{row['key']}", row["article_id"]


class _SketchForStreamFn(beam.DoFn):
    """article -> (id, ("article", article)) and one (band, (id, shingles)) per band, tagged;
    too short for near detection: the article on `short`."""

    BANDS = "bands"
    SHORT = "short"

    def __init__(self, settings: NearDuplicateSettings) -> None:
        self._settings = settings

    def process(self, article: dict[str, Any]):
        sketch = sketch_text(article["text"], self._settings)
        if sketch is None:
            yield beam.pvalue.TaggedOutput(self.SHORT, article)
            return
        encoded = sketch.encoded
        for band in sketch.bands:
            yield beam.pvalue.TaggedOutput(self.BANDS, (band, (article["article_id"], encoded)))
        yield article["article_id"], ("article", article)


class DeduplicateStreaming(beam.PTransform):
    """articles -> (kept articles, duplicates), with keyed state only (see the module doc)."""

    def __init__(
        self,
        near: NearDuplicateSettings | None = DEFAULT_NEAR_SETTINGS,
        retention_days: int | None = 30,
        prior_index=None,
    ) -> None:
        """`prior_index`: a bounded PCollection of the output's index rows (`ReadIndex`), so
        articles earlier runs ingested count as seen; None for a fresh start."""
        super().__init__()
        self._near = near
        self._retention_days = retention_days
        self._prior_index = prior_index

    def expand(self, articles):
        days = self._retention_days
        prior_rows = self._prior_index
        if prior_rows is None:
            prior_rows = articles.pipeline | "NoPriorIndex" >> beam.Create([]).with_output_types(
                dict
            )
        prior = beam.pvalue.AsDict(prior_rows | "PriorKeys" >> beam.FlatMap(_prior_key))
        by_url = (
            articles
            | "KeyByUrlHash" >> beam.Map(_url_key).with_output_types(_KEYED)
            | "FirstUrl"
            >> beam.ParDo(_FirstSeenFn("url", days), prior).with_outputs(
                _FirstSeenFn.DUPLICATES, main="kept"
            )
        )
        by_text = (
            by_url.kept
            | "KeyByText" >> beam.Map(lambda a: (a["content_hash"], a)).with_output_types(_KEYED)
            | "FirstText"
            >> beam.ParDo(_FirstSeenFn("exact", days), prior).with_outputs(
                _FirstSeenFn.DUPLICATES, main="kept"
            )
        )
        duplicates = [by_url.duplicates, by_text.duplicates]
        kept = by_text.kept
        if self._near is not None:
            sketched = kept | "SketchTexts" >> beam.ParDo(
                _SketchForStreamFn(self._near)
            ).with_outputs(_SketchForStreamFn.BANDS, _SketchForStreamFn.SHORT, main="articles")
            verdicts = (
                sketched.bands
                | "TypeBandKeys" >> beam.Map(lambda kv: kv).with_output_types(_KEYED)
                | "MatchBands" >> beam.ParDo(_MatchBandFn(self._near, days))
            )
            decided = (
                (sketched.articles, verdicts)
                | "MergeVerdicts" >> beam.Flatten().with_output_types(_KEYED)
                | "DecideNear"
                >> beam.ParDo(_DecideNearFn(self._near.bands)).with_outputs(
                    _DecideNearFn.DUPLICATES, main="kept"
                )
            )
            kept = (sketched.short, decided.kept) | "MergeKept" >> beam.Flatten()
            duplicates.append(decided.duplicates)
        return kept, tuple(duplicates) | "MergeDuplicates" >> beam.Flatten()
