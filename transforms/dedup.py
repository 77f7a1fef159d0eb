"""Deduplicate: each article once, within a run and against every earlier run into the output.

Three passes, each a grouping of this run's keys by shard (`shard_of`), where they meet the keys
earlier runs committed to the index (URLs and text hashes as side inputs looked up by shard,
near-duplicate sketches joined by shard), so they scale with the runner rather than with one
worker's memory; between the passes the keys travel in batches, one element a shard, not one an
article:
1. the canonical URL (`kind="url"`);
2. the hash of the normalised text (`kind="exact"`);
3. near duplicates (`kind="near"`): MinHash LSH band keys find candidate pairs (this run's
   articles with each other and with earlier runs' articles, through `sketch` index rows),
   screened in their bucket by compact MinHash signatures; each remaining candidate is
   verified by the Jaccard similarity of the two word-shingle sets (this run's sketched where
   the text was extracted, earlier runs' from their `sketch` rows), and the verified pairs are
   resolved into clusters by `resolve_near`.
The article kept in a group is chosen by `rank()`, never by arrival order, so parallelism,
input order and re-runs give the same answer. A copy whose article then loses a later pass is
re-pointed at the final article, so `duplicate_of` always names a kept article.

Index rows this step adds (see `schemas.tables.INDEX`): `url` and `hash` for kept articles and
copies; one `sketch` row (key = article id, detail = the scheme, the LSH band keys, the
encoded shingle set and the compact signature) for each kept article long enough for
near-duplicate detection.
"""

from __future__ import annotations

import pickle
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from typing import Any

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.transforms.window import GlobalWindows
from apache_beam.utils.windowed_value import WindowedValue

from newsbeam.schemas.records import RowBatch
from newsbeam.transforms.index import AGEING_KINDS, is_live, retention_cutoff
from newsbeam.transforms.minhash import (
    SKETCH_FIELD,
    NearDuplicateSettings,
    decode_shingles,
    decode_signature,
    estimated_similarity,
    jaccard,
    sketch_record,
)
from newsbeam.transforms.packing import packed, unpack_article

__all__ = [
    "DEFAULT_NEAR_SETTINGS",
    "Deduplicate",
    "bucket_pairs",
    "duplicate_record",
    "final_target",
    "index_row_of_copy",
    "index_rows_of_kept",
    "node_rank",
    "prior_rank",
    "rank",
    "resolve_group",
    "resolve_near",
    "sketch_detail",
]

_LATEST = datetime.max.replace(tzinfo=timezone.utc)

DEFAULT_NEAR_SETTINGS = NearDuplicateSettings()


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


def duplicate_record(
    article: dict[str, Any], duplicate_of: str, kind: str, similarity: float = 1.0
) -> dict[str, Any]:
    """The duplicates-table fields for an article dropped in favour of `duplicate_of`."""
    return {
        "url": article["url"],
        "canonical_url": article["canonical_url"],
        "origin": article["origin"],
        "duplicate_of": duplicate_of,
        "kind": kind,
        "similarity": similarity,
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


# -- batches --------------------------------------------------------------------------------------
#
# Between its steps, `Deduplicate` moves batches, not articles: (shard, pickled list of values),
# the shard a key's hash picks among `shards`, so that the keys one pass compares meet in one
# shard. On Beam's local runner each element crossing a stage costs tens of microseconds to
# encode, store and decode, whatever its size, and an article's keys cross about ten: batches
# cost the run a few elements a shard instead. A batch is pickled once, so the datetimes in it
# do not each fall back to pickling in Beam's coder. Batch (global window) only: what a bundle
# leaves in its batches is emitted at its end, in the global window.

SHARDS = 64
_BATCH_VALUES = 2_000  # values a batch holds at most


def shard_of(key: str, shards: int) -> int:
    """The shard of a key: the same in every process (unlike `hash`, which Python salts)."""
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % shards


def _unbatched(batches: Iterable[bytes]) -> Iterator[Any]:
    for batch in batches:
        yield from pickle.loads(batch)


def _pickled(values: list[Any]) -> bytes:
    return pickle.dumps(values, protocol=pickle.HIGHEST_PROTOCOL)


class _Batches:
    """Values of a bundle gathered by shard: `add` gives a full batch as (shard, pickled list)
    when one fills up, `flush` the rest as windowed values in the global window. With a `tag`,
    a batch is (shard, (tag, pickled list)): batches of several kinds in one grouping. `pack`
    makes a batch of the values in place of `pickle`."""

    def __init__(self, tag: str | None = None, pack: Callable[[list[Any]], Any] = _pickled) -> None:
        self._tag = tag
        self._pack = pack
        self._lists: dict[int, list[Any]] = defaultdict(list)

    def _batch(self, shard: int, values: list[Any]) -> tuple[int, Any]:
        batch = self._pack(values)
        return shard, batch if self._tag is None else (self._tag, batch)

    def add(self, shard: int, value: Any) -> Iterator[tuple[int, Any]]:
        values = self._lists[shard]
        values.append(value)
        if len(values) >= _BATCH_VALUES:
            del self._lists[shard]
            yield self._batch(shard, values)

    def flush(self) -> Iterator[WindowedValue]:
        for shard in sorted(self._lists):
            yield GlobalWindows.windowed_value(self._batch(shard, self._lists[shard]))
        self._lists.clear()


# The kinds of batch a pass's grouping holds: this run's articles and the copies that travel
# through it. Its steps' output types are declared: Beam's inference of them costs the start.
_NEW = "new"
_COPIES = "copies"
_TAGGED_KV = beam.typehints.KV[int, beam.typehints.Tuple[str, bytes]]


class _BatchArticlesFn(beam.DoFn):
    """Articles (dicts, packed here, or packed pairs) -> batches of packed articles by the shard
    of their canonical URL, tagged `_NEW`."""

    def __init__(self, shards: int) -> None:
        self._shards = shards

    def start_bundle(self) -> None:
        self._batches = _Batches(_NEW)

    def process(self, article):
        pair = packed(article)
        yield from self._batches.add(shard_of(pair[0]["canonical_url"], self._shards), pair)

    def finish_bundle(self):
        yield from self._batches.flush()


def _key_groups(
    new: Iterable[bytes], prior: Iterable[bytes], field: str
) -> Iterator[tuple[list[tuple[dict[str, Any], bytes]], list[str]]]:
    """A shard's batches of this run's packed articles and of earlier runs' (key, id) -> (the
    packed articles, the earlier runs' ids) of each value of `field` that an article of this
    run has, in key order (earlier runs' keys alone give nothing)."""
    groups: dict[str, list[tuple[dict[str, Any], bytes]]] = defaultdict(list)
    for pair in _unbatched(new):
        groups[pair[0][field]].append(pair)
    ids: dict[str, list[str]] = defaultdict(list)
    for key, article_id in _unbatched(prior):
        if key in groups:
            ids[key].append(article_id)
    for key in sorted(groups):
        yield groups[key], ids.get(key, [])


class _ResolveFn(beam.DoFn):
    """(shard, [(`_NEW`, batch of packed articles) or (`_COPIES`, batch of duplicates
    records)]) and earlier runs' batches of (key, id) by shard (a side input) -> each kept
    packed article (main output); duplicates and merges (dropped id, kept id) tagged, for each
    key of `field` in the shard (`resolve_group`). The copies (the exact pass: the URL pass's
    duplicates, which travel through its grouping so that every copy leaves one step) go on to
    `duplicates` as they came. Subclasses route the kept articles and the duplicates (`_kept`,
    `_copy`)."""

    DUPLICATES = "duplicates"
    MERGED = "merged"

    def __init__(self, kind: str, field: str) -> None:
        self._kind = kind
        self._field = field
        self._dropped = Metrics.counter("newsbeam", f"duplicates_{kind}")

    def process(self, element, prior_keys):
        shard, tagged = element
        batches: dict[str, list[bytes]] = {_NEW: [], _COPIES: []}
        for tag, batch in tagged:
            batches[tag].append(batch)
        for packs, prior in _key_groups(batches[_NEW], prior_keys[shard], self._field):
            blobs = {id(light): blob for light, blob in packs}
            kept, dropped = resolve_group([light for light, _blob in packs], prior)
            if kept is not None:
                yield from self._kept((kept, blobs[id(kept)]))
            for article, target in dropped:
                self._dropped.inc()
                yield from self._copy(duplicate_record(article, target, self._kind))
                yield beam.pvalue.TaggedOutput(self.MERGED, (article["article_id"], target))
        for copy in _unbatched(batches[_COPIES]):
            yield from self._copy(copy)

    def _kept(self, pair: tuple[dict[str, Any], bytes]):
        yield pair

    def _copy(self, record: dict[str, Any]):
        yield beam.pvalue.TaggedOutput(self.DUPLICATES, record)


class _ResolveUrlFn(_ResolveFn):
    """The URL pass: `_ResolveFn("url")` whose kept articles leave in batches by the shard of
    their text hash (the exact pass's grouping), and whose duplicates in batches by the shard of
    their URL, on the main output too: they travel through that grouping."""

    def __init__(self, shards: int) -> None:
        super().__init__("url", "canonical_url")
        self._shards = shards

    def start_bundle(self) -> None:
        self._kept_batches, self._copy_batches = _Batches(_NEW), _Batches(_COPIES)

    def _kept(self, pair):
        yield from self._kept_batches.add(shard_of(pair[0]["content_hash"], self._shards), pair)

    def _copy(self, record):
        yield from self._copy_batches.add(shard_of(record["url"], self._shards), record)

    def finish_bundle(self):
        yield from self._kept_batches.flush()
        yield from self._copy_batches.flush()


def final_target(
    dup: dict[str, Any],
    exact_merges: dict[str, str],
    near_drops: dict[str, tuple[str, float]] | None = None,
) -> str:
    """The article a copy points at once the later passes have decided: a URL copy's article
    may lose the exact pass (`exact_merges`: dropped id -> kept id), and a URL or exact copy's
    article the near pass (`near_drops`: dropped id -> (kept id, similarity)). Each pass keeps
    an article of this run or points at one that it keeps or an earlier run holds, so one
    look-up per later pass reaches the final article."""
    target = dup["duplicate_of"]
    if dup["kind"] == "url":
        target = exact_merges.get(target, target)
    if near_drops and dup["kind"] in ("url", "exact"):
        verdict = near_drops.get(target)
        if verdict is not None:
            target = verdict[0]
    return target


def _repoint(dup, exact_merges, near_drops=None):
    target = final_target(dup, exact_merges, near_drops)
    return dup if target == dup["duplicate_of"] else {**dup, "duplicate_of": target}


def index_rows_of_kept(kept: dict[str, Any]):
    """The index rows that make a kept article known to later runs: its URL and its text."""
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


def index_row_of_copy(dup: dict[str, Any]) -> dict[str, Any]:
    # A copy's URL points at its article: the next time it comes, it is known without extraction.
    return {"kind": "url", "key": dup["canonical_url"], "article_id": dup["duplicate_of"]}


class _PriorKeysFn(beam.DoFn):
    r"""An index row of earlier runs, if live -> batches by shard of (URL, id) on `urls`, (text
    hash, id) on `texts`, and for a `sketch` row of the scheme `sketch_prefix` names, (id,
    "<rank>\x01<detail>") by the shard of the id (the main output, `sketches`); other rows give
    nothing."""

    URLS = "urls"
    TEXTS = "texts"
    SKETCHES = "sketches"

    def __init__(self, cutoff: datetime | None, sketch_prefix: str | None, shards: int) -> None:
        self._cutoff = cutoff
        self._sketch_prefix = sketch_prefix
        self._shards = shards

    def start_bundle(self) -> None:
        self._batches = {tag: _Batches() for tag in (self.URLS, self.TEXTS, self.SKETCHES)}

    def process(self, row: dict[str, Any]):
        # (a row without a key matches no article)
        live = is_live(row, self._cutoff, AGEING_KINDS) and isinstance(row.get("key"), str)
        kind = row["kind"] if live else None
        if kind == "url":
            yield from self._add(self.URLS, row["key"], (row["key"], row["article_id"]))
        elif kind == "hash":
            yield from self._add(self.TEXTS, row["key"], (row["key"], row["article_id"]))
        elif kind == "sketch" and self._sketch_prefix is not None:
            for sketch in _prior_sketch(row, self._sketch_prefix):
                yield from self._add(self.SKETCHES, sketch[0], sketch)

    def _add(self, tag: str, key: str, value: tuple[str, str]):
        for batch in self._batches[tag].add(shard_of(key, self._shards), value):
            yield self._output(tag, batch)

    def finish_bundle(self):
        for tag, batches in self._batches.items():
            for batch in batches.flush():
                yield self._output(tag, batch)

    def _output(self, tag: str, batch):
        return batch if tag == self.SKETCHES else beam.pvalue.TaggedOutput(tag, batch)


# -- near duplicates: pure parts ----------------------------------------------------------------
#
# A node rank orders the articles a near-duplicate cluster can keep: every earlier run's article
# (prior, "0...") before every article of this run ("1..."), which are ordered as `rank()`
# orders them. Ranks are strings, so they travel through the shuffles with a fast coder, and
# compare exactly as `rank()`'s tuples do: fixed-width UTC times, NUL-separated fields.
# An earlier run's article is already published and cannot be retracted, so it always wins.

_SEP = "\x00"
_KV_STR = beam.typehints.KV[str, str]


def _in_utc(published: datetime | None) -> datetime | None:
    """A publication time in UTC (a time without a zone is taken as UTC)."""
    if published is None:
        return None
    if published.tzinfo is None:
        return published.replace(tzinfo=timezone.utc)
    return published.astimezone(timezone.utc)


def _when(published: datetime | None) -> str:
    if published is None:
        return "1"  # unknown dates rank last
    return "0" + _in_utc(published).strftime("%Y-%m-%dT%H:%M:%S.%f")


def node_rank(article: dict[str, Any]) -> str:
    """The rank of an article of this run in near-duplicate resolution (orders like `rank`)."""
    fields = (article["canonical_url"], article["origin"], article["url"])
    return "1" + _SEP.join((_when(article.get("published_at")), *fields))


def prior_rank(row: dict[str, Any]) -> str:
    """The rank of an earlier run's article, from its index row: earliest published, then id."""
    return "0" + _when(row.get("published_at")) + _SEP + row["article_id"]


def _is_prior(node: str) -> bool:
    return node.startswith("0")


def bucket_pairs(
    new: Iterable[tuple[str, str]], prior: Iterable[tuple[str, str]], max_bucket: int
) -> Iterator[tuple[str, str, str, str]]:
    """Candidate pairs of one LSH bucket: (better id, its rank, worse id, its rank).

    Each of this run's members is paired with the earlier runs' members and with the members
    of this run that rank before it, the best `max_bucket` of each: a bucket that boilerplate
    fills costs O(n * max_bucket), not O(n^2). Earlier runs' members are never paired with
    each other: they were resolved when they were new.
    """
    new = sorted(set(new), key=lambda m: (m[1], m[0]))
    prior = sorted(set(prior), key=lambda m: (m[1], m[0]))[:max_bucket]
    for position, (v, rv) in enumerate(new):
        for u, ru in prior:
            yield u, ru, v, rv
        for u, ru in new[: min(position, max_bucket)]:
            yield u, ru, v, rv


def resolve_near(
    edges: Iterable[tuple[str, str, str, str, float]],
) -> dict[str, tuple[str, float]]:
    """Verified similar pairs (u, rank u, v, rank v, similarity) -> {dropped id: (kept id, sim)}.

    Articles are visited best rank first. An earlier run's article is kept. An article of this
    run is dropped in favour of the best-ranked already kept article it was verified similar
    to, or kept when there is none. So every copy is directly similar to the article it points
    at (no chaining through intermediate copies: A~B and B~C with A!~C keeps C when B was
    dropped for A), and the answer depends on neither the order of the edges nor duplicates.
    """
    ranks: dict[str, str] = {}
    similar: dict[str, dict[str, float]] = defaultdict(dict)
    for u, ru, v, rv, similarity in edges:
        if u == v:
            continue
        ranks[u], ranks[v] = ru, rv
        similar[u][v] = similar[v][u] = max(similarity, similar[u].get(v, 0.0))
    kept: set[str] = set()
    dropped: dict[str, tuple[str, float]] = {}
    for node in sorted(ranks, key=lambda n: (ranks[n], n)):
        targets = [t for t in similar[node] if t in kept]
        if _is_prior(ranks[node]) or not targets:
            kept.add(node)
            continue
        target = min(targets, key=lambda t: (ranks[t], t))
        dropped[node] = (target, similar[node][target])
    return dropped


# -- near duplicates: Beam parts -----------------------------------------------------------------
#
# Only light records travel through the near stage's shuffles, as strings: band members
# ("N" or "P" for new or prior, the publication time, NUL, the id, NUL, the compact signature,
# each after its band key and NUL, in batches per band number)
# and sketches ("<rank>\x01<detail>", detail = "<scheme>:<band keys>:<shingles>:<signature>",
# as in a `sketch` index row). Candidates are screened inside their LSH bucket by the members'
# compact signatures, so only pairs worth verifying ever leave it. The articles themselves meet
# the verdicts through a side input holding one entry per near duplicate, so the stage adds no
# shuffle of article texts.

_FIELD = "\x01"
_BAND_HEX = 16


def sketch_detail(
    settings: NearDuplicateSettings, bands: Iterable[str], encoded: str, signature: str = ""
) -> str:
    """The `detail` of a `sketch` index row: "<scheme>:<band keys, concatenated>:<shingles>"
    and, when known, ":<compact signature>" (rows written before it was kept have none)."""
    detail = f"{settings.fingerprint}:{''.join(bands)}:{encoded}"
    return f"{detail}:{signature}" if signature else detail


def _split_bands(hexes: str) -> list[str]:
    return [hexes[i : i + _BAND_HEX] for i in range(0, len(hexes), _BAND_HEX)]


def _detail_bands(detail: str) -> list[str]:
    return _split_bands(detail.split(":", 3)[1])


def _detail_shingles(detail: str):
    return decode_shingles(detail.split(":", 3)[2])


def _detail_signature(detail: str) -> str:
    parts = detail.split(":", 3)
    return parts[3] if len(parts) > 3 else ""


_ENTRY = "\x02"  # separates the members of a batch
_BATCH_KV = beam.typehints.KV[int, str]


class _MemberBatches:
    r"""Band members of one bundle, in batches per band number: one string of
    "<band key>\x00<member>" entries joined by \x02.

    Each article has a member in every band, so a shuffle of single members would move
    `bands` elements per article, each costing a local runner tens of microseconds and, while
    grouped, an object of its own; a batch costs about as much as one member. Grouped by band
    number, the batches still spread over `bands` workers. Batch (global window) only: a
    `_Batches` by band number whose batches are joined strings, not pickles."""

    def __init__(self) -> None:
        self._batches = _Batches(pack=_ENTRY.join)

    def add(self, bands: Iterable[str], member: str) -> Iterator[tuple[int, str]]:
        for number, band in enumerate(bands):
            yield from self._batches.add(number, band + _SEP + member)

    def flush(self) -> Iterator[WindowedValue]:
        yield from self._batches.flush()


# What the exact pass before the near one hands to `ApplyVerdicts`, in one PCollection (so that
# one step after the near verdicts meets them all): (tag, value).
_KEPT = "a"  # (light fields without the sketch, blob): a kept article
_COPY = "d"  # a duplicates record of the URL or exact pass, to be re-pointed
# (id, "<rank>\x01<detail>", published in UTC): a kept article's sketch, for its index row
_SKETCH = "s"


class _ResolveTextFn(_ResolveFn):
    r"""The exact pass before the near one: `_ResolveFn("exact")`, whose kept article is also
    sketched. Main output, batches (all in shard 0) of tagged items (`_KEPT`, `_COPY`,
    `_SKETCH`): the kept article without its shingle set (the articles wait for the near
    verdicts without one each), each duplicate (this pass's and the URL pass's copies) and the
    kept article's sketch; tagged outputs: the merges, the sketches (id, "<rank>\x01<detail>")
    in batches by the shard of the id, for the near pass's join, and the band members in
    batches per band number (`_MemberBatches`). A text too short to judge gives no sketch: it
    is never near-deduplicated. The sketch is the one extraction made (`SKETCH_FIELD`), or made
    here from the text when there is none of this scheme."""

    MEMBERS = "members"
    SKETCHES = "sketches"

    def __init__(self, settings: NearDuplicateSettings, shards: int) -> None:
        super().__init__("exact", "content_hash")
        self._settings = settings
        self._shards = shards
        self._short = Metrics.counter("newsbeam", "near_too_short")

    def start_bundle(self) -> None:
        self._members = _MemberBatches()
        self._pending, self._sketches = _Batches(), _Batches()

    def _copy(self, record):
        yield from self._pending.add(0, (_COPY, record))

    def _kept(self, pair: tuple[dict[str, Any], bytes]):
        article, blob = pair
        sketch = article.get(SKETCH_FIELD)
        light = {key: value for key, value in article.items() if key != SKETCH_FIELD}
        yield from self._pending.add(0, (_KEPT, (light, blob)))
        if not sketch or sketch["scheme"] != self._settings.fingerprint:
            sketch = sketch_record(unpack_article(pair)["text"], self._settings)
        if sketch["bands"] is None:
            self._short.inc()
            return
        article_id = article["article_id"]
        member = _SEP.join(("N" + _when(article.get("published_at")), article_id))
        bands = _split_bands(sketch["bands"])
        for batch in self._members.add(bands, member + _SEP + sketch["signature"]):
            yield beam.pvalue.TaggedOutput(self.MEMBERS, batch)
        detail = sketch_detail(
            self._settings, sketch["bands"], sketch["shingles"], sketch["signature"]
        )
        value = node_rank(article) + _FIELD + detail
        shard = shard_of(article_id, self._shards)
        for batch in self._sketches.add(shard, (article_id, value)):
            yield beam.pvalue.TaggedOutput(self.SKETCHES, batch)
        published = _in_utc(article.get("published_at"))
        yield from self._pending.add(0, (_SKETCH, (article_id, value, published)))

    def finish_bundle(self):
        for batch in self._members.flush():
            yield beam.pvalue.TaggedOutput(self.MEMBERS, batch)
        for batch in self._sketches.flush():
            yield beam.pvalue.TaggedOutput(self.SKETCHES, batch)
        yield from self._pending.flush()


def _prior_sketch(row: dict[str, Any], prefix: str):
    r"""A `sketch` index row of this scheme -> (id, "<rank>\x01<detail>")."""
    if row["kind"] == "sketch" and (row.get("detail") or "").startswith(prefix):
        yield row["article_id"], prior_rank(row) + _FIELD + row["detail"]


class _PriorMembersFn(beam.DoFn):
    r"""A batch of earlier runs' sketches (id, "<rank>\x01<detail>") -> their band members, in
    batches per band number, as `_ResolveTextFn` makes them ("P", no signature when its row has
    none)."""

    def start_bundle(self) -> None:
        self._members = _MemberBatches()

    def process(self, batch: tuple[int, bytes]):
        for article_id, value in pickle.loads(batch[1]):
            rank, detail = value.split(_FIELD, 1)
            when = rank[1:].split(_SEP, 1)[0]  # its publication time
            member = _SEP.join(("P" + when, article_id, _detail_signature(detail)))
            yield from self._members.add(_detail_bands(detail), member)

    def finish_bundle(self):
        yield from self._members.flush()


class _BucketCandidatesFn(beam.DoFn):
    r"""(band number, [batches of "<band key>\x00N|P<published>\x00<id>\x00<compact
    signature>" entries joined by \x02]), with earlier runs' batches by band number (a side
    input, `_PriorMembersFn`'s) -> (id, "<u>\x00<v>") for both ends of each candidate
    pair of each bucket (the members sharing a band key) whose estimated similarity is within
    `screen_margin` of the threshold (a pair with an end whose signature is unknown is always
    a candidate).

    Members are ordered by publication time and id only, which is enough to orient and cap
    the pairs; the full ranks travel with the sketches.

    Two similar articles share several LSH bands, so several band numbers name their pair:
    a pair leaves once per bundle (`AttachSketches` drops the repeats that different bundles
    send, so this only spares the shuffle).
    """

    def __init__(self, settings: NearDuplicateSettings) -> None:
        self._max_bucket = settings.max_bucket
        self._floor = settings.threshold - settings.screen_margin
        self._screened_out = Metrics.counter("newsbeam", "near_pairs_screened_out")
        self._sent: set[str] = set()

    def start_bundle(self) -> None:
        self._sent = set()

    def finish_bundle(self) -> None:
        self._sent = set()

    def process(self, element, prior_members=None):
        number, batches = element
        if prior_members is not None:
            batches = [*batches, *prior_members[number]]
        buckets: dict[str, list[str]] = defaultdict(list)
        for batch in batches:
            for entry in batch.split(_ENTRY):
                band, member = entry.split(_SEP, 1)
                buckets[band].append(member)
        screened_out = 0
        for band in sorted(buckets):
            members = buckets[band]
            if len(members) < 2:
                continue
            for u, v, screened in self._bucket(members):
                if screened:
                    screened_out += 1
                    continue
                pair = u + _SEP + v
                if pair in self._sent:
                    continue
                self._sent.add(pair)
                yield u, pair
                yield v, pair
        if screened_out:
            self._screened_out.inc(screened_out)

    def _bucket(self, members: list[str]) -> Iterator[tuple[str, str, bool]]:
        """(u, v, screened out?) for each candidate pair of one bucket."""
        new, prior, signatures = [], [], {}
        for member in members:
            when, article_id, signature = member[1:].split(_SEP, 2)
            (new if member[0] == "N" else prior).append((article_id, when))
            signatures[article_id] = signature
        if not new:
            return
        decoded = {key: decode_signature(value) for key, value in signatures.items() if value}
        for u, _ru, v, _rv in bucket_pairs(new, prior, self._max_bucket):
            su, sv = decoded.get(u), decoded.get(v)
            known = su is not None and sv is not None
            yield u, v, known and estimated_similarity(su, sv) < self._floor


def _attach_sketches(element):
    r"""(shard, {"pairs": [(id, pair)], "sketch": [batches of (id, "<rank>\x01<detail>")],
    "prior": [batches of the same]}) -> (pair, "<id>\x01<rank>\x01<detail>") for each distinct
    candidate pair each of the shard's articles is in. A shard with no pair reads no sketch."""
    _shard, grouped = element
    pairs: dict[str, set[str]] = defaultdict(set)
    for article_id, pair in grouped["pairs"]:
        pairs[article_id].add(pair)
    if not pairs:
        return
    sketches: dict[str, list[str]] = defaultdict(list)
    for article_id, value in _unbatched([*grouped["sketch"], *grouped["prior"]]):
        if article_id in pairs:
            sketches[article_id].append(value)
    for article_id in sorted(pairs):
        # Several sketches only after an interrupted compaction (all equal), or when an earlier
        # run's article has the id of one of this run's: its sketch ranks first, as it wins.
        found = sketches.get(article_id)
        if not found:
            continue
        sketch = min(found)
        for pair in sorted(pairs[article_id]):
            yield pair, article_id + _FIELD + sketch


class _VerifyPairsFn(beam.DoFn):
    r"""(pair, both ends' "<id>\x01<rank>\x01<detail>") -> (u, rank u, v, rank v, Jaccard) when
    the Jaccard similarity of the two shingle sets reaches the threshold."""

    def __init__(self, settings: NearDuplicateSettings) -> None:
        self._threshold = settings.threshold
        self._checked = Metrics.counter("newsbeam", "near_pairs_checked")
        self._verified = Metrics.counter("newsbeam", "near_pairs_verified")

    def process(self, element):
        _pair, ends = element
        ends = sorted(set(ends))
        if len(ends) == 2:  # (else one end has no sketch of this scheme)
            (u, ru, du), (v, rv, dv) = (end.split(_FIELD, 2) for end in ends)
            self._checked.inc()
            similarity = jaccard(_detail_shingles(du), _detail_shingles(dv))
            if similarity >= self._threshold:
                self._verified.inc()
                yield u, ru, v, rv, similarity


def _sketch_index_row(article_id: str, value: str, published: datetime | None) -> dict[str, Any]:
    """The `sketch` index row of a kept article of this run."""
    return {
        "kind": "sketch",
        "key": article_id,
        "article_id": article_id,
        "detail": value.split(_FIELD, 1)[1],
        "published_at": published,
    }


class _ApplyVerdictsFn(beam.DoFn):
    """A batch of `_ResolveTextFn`'s main output (tagged items), {dropped id: (kept id,
    similarity)} of the near pass, {dropped id: kept id} of the exact pass -> the article if
    kept, duplicates and every new index row of this run's articles, tagged; for each item:
    - a kept article: itself and its `url` and `hash` rows; or, if the near pass dropped it, a
      near duplicate, with the `hash` row of its text (an exact copy of this copy, next time,
      is known by its text) and its `url` row;
    - a URL or exact copy: re-pointed at the final article (`final_target`), with its `url` row;
    - a sketch: its `sketch` row, unless its article was dropped as near."""

    DUPLICATES = "duplicates"
    INDEX = "index"

    def __init__(self) -> None:
        self._dropped = Metrics.counter("newsbeam", "duplicates_near")

    def process(
        self,
        batch: tuple[int, bytes],
        drops: dict[str, tuple[str, float]],
        merges: dict[str, str],
    ):
        rows = RowBatch()
        for item in pickle.loads(batch[1]):
            yield from self._applied(item, drops, merges, rows)
        if rows:
            yield beam.pvalue.TaggedOutput(self.INDEX, rows)

    def _applied(self, item, drops, merges, rows: list[dict[str, Any]]):
        """One item's outputs; its index rows are added to `rows`."""
        tag, value = item
        if tag == _SKETCH:
            if value[0] not in drops:
                rows.append(_sketch_index_row(*value))
            return
        if tag == _COPY:
            copy = _repoint(value, merges, drops)
        else:
            article = value[0]
            verdict = drops.get(article["article_id"])
            if verdict is None:
                yield value
                rows.extend(index_rows_of_kept(article))
                return
            target, similarity = verdict
            self._dropped.inc()
            copy = duplicate_record(article, target, "near", similarity)
            rows.append({"kind": "hash", "key": article["content_hash"], "article_id": target})
        yield beam.pvalue.TaggedOutput(self.DUPLICATES, copy)
        rows.append(index_row_of_copy(copy))


class _DeduplicateNear(beam.PTransform):
    r"""(the three outputs of `_ResolveTextFn`: items, band members, sketches; earlier runs'
    sketches (id, "<rank>\x01<detail>")) -> (kept, every duplicate, every new index row in
    lists), each from the one `ApplyVerdicts` step that meets the near verdicts {dropped id:
    (kept id, similarity)} and `merges`, the exact pass's {dropped id: kept id}, as side
    inputs."""

    def __init__(self, settings: NearDuplicateSettings, merges, shards: int) -> None:
        super().__init__()
        self._settings = settings
        self._merges = merges
        self._shards = shards

    def expand(self, resolved_and_prior):
        pending, members, sketches, prior = resolved_and_prior
        settings, shards = self._settings, self._shards
        # Candidates are screened in their buckets by the signatures that travel with the band
        # members: a shingle set is sent once per pair, and only for pairs that may be similar.
        # Earlier runs' members meet this run's as a side input by band number, not through a
        # Flatten in front of the grouping (on Beam's local runner, a stage of its own).
        prior_members = beam.pvalue.AsMultiMap(
            prior | "PriorBands" >> beam.ParDo(_PriorMembersFn()).with_output_types(_BATCH_KV)
        )
        pair_ends = (
            members
            | "GroupByBandNumber" >> beam.GroupByKey()
            | "PairCandidates"
            >> beam.ParDo(_BucketCandidatesFn(settings), prior_members).with_output_types(_KV_STR)
            | "ShardPairEnds" >> beam.Map(lambda end: (shard_of(end[0], shards), end))
        )
        # This run's and earlier runs' sketches join the pairs as inputs of their own: a
        # Flatten in front would copy every shingle set once more on Beam's local runner.
        verified = (
            {"pairs": pair_ends, "sketch": sketches, "prior": prior}
            | "GroupByArticle" >> beam.CoGroupByKey()
            | "AttachSketches" >> beam.FlatMap(_attach_sketches).with_output_types(_KV_STR)
            | "GroupByPair" >> beam.GroupByKey()
            | "VerifyPairs"
            >> beam.ParDo(_VerifyPairsFn(settings)).with_output_types(
                beam.typehints.Tuple[str, str, str, str, float]
            )
        )
        # Only verified pairs meet here (ids, ranks, a float: a few hundred bytes each), so one
        # worker can resolve every cluster at once, which keeps the rule exact and order-free.
        # A GroupByKey on one key rather than `ToList`: no verified pair, no group, no verdict,
        # so it needs none of the default-value steps (and the local runner's stage) of a
        # global combine.
        drops = beam.pvalue.AsDict(
            verified
            | "KeyEdges" >> beam.Map(lambda edge: (0, edge))
            | "CollectEdges" >> beam.GroupByKey()
            | "ResolveClusters" >> beam.FlatMap(lambda group: resolve_near(group[1]).items())
        )
        # One step, over one PCollection, gives every output: on Beam's local runner each
        # further step reading the kept articles, the sketches or the copies after the verdicts
        # would be a stage of its own, and each Flatten of their outputs another.
        applied = pending | "ApplyVerdicts" >> beam.ParDo(
            _ApplyVerdictsFn(), drops, self._merges
        ).with_outputs(_ApplyVerdictsFn.DUPLICATES, _ApplyVerdictsFn.INDEX, main="kept")
        return applied.kept, applied.duplicates, applied.index


class Deduplicate(beam.PTransform):
    """(articles, index rows of earlier runs) -> (kept articles, duplicates, new index rows in
    lists, `RowBatch`es: `WritePartitionedParquet` takes them as they are).

    `near`: the near-duplicate settings, or None to stop after the URL and exact passes.
    `unpack`: kept articles leave as article dicts; False leaves them packed as they came (a
    batch run's keys of staged rows, for `WriteStagedArticles`).
    `retention_days`: index rows of the kinds in `AGEING_KINDS` recorded more than this many
    days before `now` are ignored (None: never); `now` defaults to the time the pipeline is
    built. Pass the run's start time so that a re-run decides the same.
    `shards`: how many batches each pass's keys are spread over (see `shard_of`): the most
    workers one pass can use.
    """

    def __init__(
        self,
        near: NearDuplicateSettings | None = DEFAULT_NEAR_SETTINGS,
        retention_days: int | None = 30,
        now: datetime | None = None,
        unpack: bool = True,
        shards: int = SHARDS,
    ) -> None:
        super().__init__()
        self._near = near
        self._unpack = unpack
        self._shards = shards
        self._cutoff = retention_cutoff(now or datetime.now(timezone.utc), retention_days)

    def expand(self, articles_and_index):
        articles, index = articles_and_index
        shards = self._shards
        scheme = self._near.fingerprint if self._near is not None else None
        prior = index | "SplitPriorKeys" >> beam.ParDo(
            _PriorKeysFn(self._cutoff, scheme + ":" if scheme is not None else None, shards)
        ).with_outputs(_PriorKeysFn.URLS, _PriorKeysFn.TEXTS, main=_PriorKeysFn.SKETCHES)
        # Earlier runs' URLs and text hashes meet this run's as side inputs by shard, looked up
        # one shard at a time, not through a Flatten in front of each grouping (on Beam's local
        # runner, a stage of its own that copies every element).
        by_url = (
            articles
            # Articles come packed from a batch run's extraction (transforms/packing.py);
            # dicts (tests, other callers) are packed here.
            | "BatchByUrl" >> beam.ParDo(_BatchArticlesFn(shards)).with_output_types(_TAGGED_KV)
            | "GroupByUrl" >> beam.GroupByKey()
            | "ResolveUrl"
            >> beam.ParDo(_ResolveUrlFn(shards), beam.pvalue.AsMultiMap(prior.urls))
            .with_output_types(_TAGGED_KV)
            .with_outputs(_ResolveFn.MERGED, main="kept")
        )
        # The URL pass's copies travel through the exact pass's grouping (in batches by the
        # shard of their own URL, beside its articles) and leave with its copies: every copy
        # then reaches the step that re-points it from one step.
        texts = by_url.kept | "GroupByText" >> beam.GroupByKey()
        prior_texts = beam.pvalue.AsMultiMap(prior.texts)
        # A URL copy whose article then lost to an exact copy, and a URL or exact copy whose
        # article lost as near, must point at the final article. The verdicts are small (two
        # ids each, one per copy at most), so they reach the copies as side inputs: one step
        # after the last pass re-points every copy, where a join after each pass would shuffle
        # the copies again (on Beam's local runner, two stages a join).
        if self._near is None:
            by_text = texts | "ResolveText" >> beam.ParDo(
                _ResolveFn("exact", "content_hash"), prior_texts
            ).with_outputs(_ResolveFn.DUPLICATES, _ResolveFn.MERGED, main="kept")
            kept = by_text.kept
            duplicates = by_text.duplicates | "RepointCopies" >> beam.Map(
                _repoint, beam.pvalue.AsDict(by_text.merged)
            )
            index_rows = (
                kept | "IndexKept" >> beam.Map(lambda p: RowBatch(index_rows_of_kept(p[0]))),
                duplicates | "IndexCopies" >> beam.Map(lambda d: RowBatch([index_row_of_copy(d)])),
            ) | "MergeIndexRows" >> beam.Flatten()
        else:
            resolved = texts | "ResolveText" >> beam.ParDo(
                _ResolveTextFn(self._near, shards), prior_texts
            ).with_output_types(beam.typehints.KV[int, bytes]).with_outputs(
                _ResolveTextFn.MERGED,
                _ResolveTextFn.MEMBERS,
                _ResolveTextFn.SKETCHES,
                main="pending",
            )
            kept, duplicates, index_rows = (
                resolved.pending,
                resolved.members,
                resolved.sketches,
                prior.sketches,
            ) | "DeduplicateNear" >> _DeduplicateNear(
                self._near, beam.pvalue.AsDict(resolved.merged), shards
            )
        if self._unpack:
            kept = kept | "UnpackArticles" >> beam.Map(unpack_article)
        return kept, duplicates, index_rows
