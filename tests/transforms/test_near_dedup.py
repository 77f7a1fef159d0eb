"""Near duplicates in Deduplicate: lightly edited copies merge, different stories on one event do
not, URL/exact copies follow their article when it is dropped as near, the result depends on
neither input order nor parallelism, and a later run's copy points at an earlier run's article."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import apache_beam as beam
import pytest
from apache_beam.testing.util import assert_that, equal_to

from newsbeam.transforms.dedup import (
    Deduplicate,
    _BucketCandidatesFn,
    bucket_pairs,
    final_target,
    node_rank,
    prior_rank,
    resolve_near,
    sketch_detail,
)
from newsbeam.transforms.extract import content_hash
from newsbeam.transforms.index import ReadIndex
from newsbeam.transforms.minhash import SKETCH_FIELD, NearDuplicateSettings, sketch_record
from newsbeam.transforms.sinks import WritePartitionedParquet
from newsbeam.transforms.urls import article_id, canonicalize_url
from tests.transforms.near_texts import (
    DRILL_DAY_ONE,
    DRILL_DAY_ONE_COPY,
    DRILL_DAY_THREE,
    HARBOUR_STORY,
    HARBOUR_STORY_COPY,
)

T0 = datetime(2026, 3, 3, 9, 0, tzinfo=timezone.utc)


def article(url: str, text: str, hours: float | None) -> dict:
    canonical = canonicalize_url(url)
    return {
        "article_id": article_id(canonical),
        "url": url,
        "canonical_url": canonical,
        "origin": "file:///inbox/" + canonical.split("://", 1)[1].replace("/", "_"),
        "content_hash": content_hash(text),
        "published_at": None if hours is None else T0 + timedelta(hours=hours),
        "text": text,
    }


def _id(a: dict) -> str:
    return a["article_id"]


WIRE = article("https://wire.example.org/drill-opens", DRILL_DAY_ONE, 0)
COPY = article("https://courier.example.net/navies-exercise", DRILL_DAY_ONE_COPY, 3)
DAY_THREE = article("https://wire.example.org/drill-mines", DRILL_DAY_THREE, 50)
HARBOUR = article("https://gazette.example.com/harbour-wall", HARBOUR_STORY, 1)
HARBOUR_COPY = article("https://post.example.com/harbour", HARBOUR_STORY_COPY, 2)


def _assert_dedup(beam_pipeline, articles, kept_ids, duplicates, index=(), near_sims=None):
    """kept ids; duplicates as (url, duplicate_of, kind); near similarities within a range."""
    with beam_pipeline() as p:
        new = p | "Articles" >> beam.Create(articles)
        prior = p | "Index" >> beam.Create(list(index)).with_output_types(dict)
        kept, dups, _rows = (new, prior) | Deduplicate()
        assert_that(kept | "KeptIds" >> beam.Map(_id), equal_to(kept_ids), label="Kept")
        assert_that(
            dups | "DupKeys" >> beam.Map(lambda d: (d["url"], d["duplicate_of"], d["kind"])),
            equal_to(duplicates),
            label="Duplicates",
        )
        if near_sims is not None:
            low, high = near_sims
            assert_that(
                dups
                | "NearSims" >> beam.Filter(lambda d: d["kind"] == "near")
                | "InRange" >> beam.Map(lambda d: low <= d["similarity"] < high),
                equal_to([True] * sum(1 for d in duplicates if d[2] == "near")),
                label="Similarity",
            )


# -- pure parts ---------------------------------------------------------------------------------


def _r(hours: float) -> str:
    return node_rank(article("https://same.example.org/x", "text", hours))


def test_resolve_near_keeps_the_best_ranked_and_does_not_chain():
    # a ~ b, b ~ c, a !~ c: b goes to a; c is similar to no kept article, so it stays.
    edges = [("a", _r(0), "b", _r(1), 0.8), ("b", _r(1), "c", _r(2), 0.7)]
    assert resolve_near(edges) == {"b": ("a", 0.8)}
    # ... and when c is also similar to a, it points at a directly.
    edges.append(("a", _r(0), "c", _r(2), 0.6))
    assert resolve_near(edges) == {"b": ("a", 0.8), "c": ("a", 0.6)}


def test_resolve_near_prior_articles_always_win():
    # Published later, but already committed.
    prior = prior_rank({"article_id": "p", "published_at": T0 + timedelta(days=5)})
    edges = [("p", prior, "n", _r(0), 0.9), ("n", _r(0), "m", _r(1), 0.95)]
    assert resolve_near(edges) == {"n": ("p", 0.9)}  # m is not similar to p: it stays


def test_resolve_near_is_order_free_and_ignores_repeated_edges():
    edges = [
        ("a", _r(0), "b", _r(1), 0.8),
        ("a", _r(0), "c", _r(1), 0.6),
        ("b", _r(1), "c", _r(1), 0.9),
        ("d", _r(5), "e", _r(5), 0.55),
    ]
    expected = resolve_near(edges)
    rng = random.Random(3)
    for _ in range(20):
        shuffled = edges + rng.sample(edges, 2)
        rng.shuffle(shuffled)
        assert resolve_near(shuffled) == expected
    # e and d tie on rank: the smaller id is kept.
    assert expected == {"b": ("a", 0.8), "c": ("a", 0.6), "e": ("d", 0.55)}


def test_bucket_pairs_put_the_better_ranked_first_and_cap_the_work():
    new = [(f"n{i:03d}", _r(i)) for i in range(200)]
    prior = [("p1", prior_rank({"article_id": "p1", "published_at": T0}))]
    pairs = list(bucket_pairs(reversed(new), prior, max_bucket=10))
    assert all(ru < rv for _u, ru, _v, rv in pairs)
    assert len(pairs) == 200 + sum(min(i, 10) for i in range(200))
    assert ("p1", prior[0][1], "n000", _r(0)) in pairs


def test_ranks_of_prior_articles_come_before_new_ones():
    assert prior_rank({"article_id": "z", "published_at": None}) < node_rank(WIRE)


def test_node_ranks_order_like_rank():
    from newsbeam.transforms.dedup import rank

    variants = [
        article("https://b.example.org/x", "t", 1),
        article("https://a.example.org/x", "t", 1),
        article("https://a.example.org/xy", "t", 1),
        article("https://a.example.org/x", "t", 0.5),
        article("https://a.example.org/x", "t", None),
        article("https://0.example.org/x", "t", None),
        {**article("https://a.example.org/x", "t", 1), "origin": "file:///a"},
    ]
    by_rank = sorted(variants, key=rank)
    assert sorted(variants, key=node_rank) == by_rank
    naive = {**variants[0], "published_at": T0.replace(tzinfo=None) + timedelta(hours=1)}
    assert node_rank(naive) == node_rank(variants[0])  # a naive time is taken as UTC


# -- Deduplicate ---------------------------------------------------------------------------------


def test_lightly_edited_wire_copy_is_a_near_duplicate(beam_pipeline):
    _assert_dedup(
        beam_pipeline,
        [COPY, WIRE],
        kept_ids=[_id(WIRE)],
        duplicates=[(COPY["url"], _id(WIRE), "near")],
        near_sims=(0.5, 1.0),
    )


def _sketched(a: dict, scheme: str | None = None) -> dict:
    record = sketch_record(a["text"], NearDuplicateSettings())
    return {**a, SKETCH_FIELD: {**record, "scheme": scheme or record["scheme"]}}


def test_sketches_made_at_extraction_give_the_same_verdicts(beam_pipeline):
    # The sketch travels with the article; one of another scheme (settings changed since it
    # was made) is made again from the text rather than trusted.
    _assert_dedup(
        beam_pipeline,
        [_sketched(COPY), _sketched(WIRE, scheme="m1k9p1b1s0"), _sketched(DAY_THREE)],
        kept_ids=[_id(WIRE), _id(DAY_THREE)],
        duplicates=[(COPY["url"], _id(WIRE), "near")],
        near_sims=(0.5, 1.0),
    )


def test_an_article_whose_sketch_says_too_short_is_not_near_deduplicated(beam_pipeline):
    short = {"scheme": NearDuplicateSettings().fingerprint, "bands": None}
    _assert_dedup(
        beam_pipeline,
        [{**COPY, SKETCH_FIELD: {**short, "shingles": None, "signature": None}}, WIRE],
        kept_ids=[_id(WIRE), _id(COPY)],
        duplicates=[],
    )


def test_different_reports_on_the_same_drill_are_both_kept(beam_pipeline):
    _assert_dedup(
        beam_pipeline,
        [DAY_THREE, WIRE, HARBOUR],
        kept_ids=[_id(WIRE), _id(DAY_THREE), _id(HARBOUR)],
        duplicates=[],
    )


def test_copy_published_first_is_the_one_kept(beam_pipeline):
    early_copy = {**COPY, "published_at": T0 - timedelta(hours=1)}
    _assert_dedup(
        beam_pipeline,
        [WIRE, early_copy],
        kept_ids=[_id(early_copy)],
        duplicates=[(WIRE["url"], _id(early_copy), "near")],
    )


def test_short_texts_are_left_to_the_url_and_exact_passes(beam_pipeline):
    short = "Envoys from both countries met in the capital on Monday to discuss trade routes."
    a = article("https://a.example.org/talks", short, 0)
    b = article("https://b.example.org/talks", short + " More soon.", 1)
    _assert_dedup(beam_pipeline, [a, b], kept_ids=[_id(a), _id(b)], duplicates=[])


def test_url_and_exact_copies_of_a_near_loser_point_at_the_final_article(beam_pipeline):
    copy_again = article(COPY["url"] + "?utm_source=feed", DRILL_DAY_ONE_COPY + " Updated.", 5)
    copy_mirror = article("https://mirror.example.net/navies", DRILL_DAY_ONE_COPY.upper(), 6)
    assert _id(copy_again) == _id(COPY) and copy_mirror["content_hash"] == COPY["content_hash"]
    _assert_dedup(
        beam_pipeline,
        [copy_mirror, copy_again, COPY, WIRE, HARBOUR],
        kept_ids=[_id(WIRE), _id(HARBOUR)],
        duplicates=[
            (COPY["url"], _id(WIRE), "near"),
            (copy_again["url"], _id(WIRE), "url"),
            (copy_mirror["url"], _id(WIRE), "exact"),
        ],
    )


def test_a_url_copy_of_an_exact_copy_of_a_near_loser_points_at_the_final_article(beam_pipeline):
    # Three passes, three hops: mirror_again is a URL copy of mirror, mirror an exact copy of
    # COPY (published later), and COPY a near copy of WIRE.
    mirror = article("https://mirror.example.net/navies", DRILL_DAY_ONE_COPY.upper(), 6)
    mirror_again = article(mirror["url"] + "?utm_campaign=x", DRILL_DAY_ONE_COPY + " Photos.", 7)
    assert _id(mirror_again) == _id(mirror) and mirror["content_hash"] == COPY["content_hash"]
    _assert_dedup(
        beam_pipeline,
        [mirror_again, HARBOUR, mirror, WIRE, COPY],
        kept_ids=[_id(WIRE), _id(HARBOUR)],
        duplicates=[
            (COPY["url"], _id(WIRE), "near"),
            (mirror["url"], _id(WIRE), "exact"),
            (mirror_again["url"], _id(WIRE), "url"),
        ],
    )


def test_every_index_row_of_a_three_pass_run_names_the_final_article(beam_pipeline):
    # WIRE kept; COPY its near copy; copy_again a URL copy of COPY; mirror an exact copy of COPY.
    # Each copy's rows point at WIRE, the article kept at the end, whichever pass caught it.
    copy_again = article(COPY["url"] + "?utm_source=feed", DRILL_DAY_ONE_COPY + " Updated.", 5)
    mirror = article("https://mirror.example.net/navies", DRILL_DAY_ONE_COPY.upper(), 6)
    wire = _id(WIRE)
    with beam_pipeline() as p:
        new = p | "Articles" >> beam.Create([mirror, copy_again, COPY, WIRE])
        prior = p | "Index" >> beam.Create([]).with_output_types(dict)
        kept, dups, rows = (new, prior) | Deduplicate()
        assert_that(kept | "KeptIds" >> beam.Map(_id), equal_to([wire]), label="Kept")
        assert_that(
            dups | "DupKeys" >> beam.Map(lambda d: (d["url"], d["duplicate_of"], d["kind"])),
            equal_to(
                [
                    (COPY["url"], wire, "near"),
                    (copy_again["url"], wire, "url"),
                    (mirror["url"], wire, "exact"),
                ]
            ),
            label="Duplicates",
        )
        assert_that(
            rows
            | "IndexRows" >> beam.FlatMap(lambda batch: batch)
            | "IndexKeys" >> beam.Map(lambda r: (r["kind"], r["key"], r["article_id"])),
            equal_to(
                [
                    ("url", WIRE["canonical_url"], wire),
                    ("hash", WIRE["content_hash"], wire),
                    ("sketch", wire, wire),
                    # The near copy: its text (an exact copy of it, next time) and its URL.
                    ("hash", COPY["content_hash"], wire),
                    ("url", COPY["canonical_url"], wire),
                    ("url", copy_again["canonical_url"], wire),
                    ("url", mirror["canonical_url"], wire),
                ]
            ),
            label="IndexRows",
        )


def test_a_url_copy_in_the_exact_passs_grouping_is_never_taken_for_an_article(beam_pipeline):
    # The URL pass's copies travel through the exact pass's grouping: a copy is neither kept
    # nor counted against the articles of a text, even when its own text is unique.
    first = article("https://site.example.org/harbour", HARBOUR_STORY, 1)
    again = article("https://site.example.org/harbour?utm_medium=x", HARBOUR_STORY + " Map.", 0)
    only = article("https://other.example.com/drill", DRILL_DAY_THREE, 2)
    _assert_dedup(
        beam_pipeline,
        [again, first, only],
        kept_ids=[_id(again), _id(only)],
        duplicates=[(first["url"], _id(again), "url")],
    )


def test_final_target_follows_each_later_pass_once():
    def dup(kind: str, target: str) -> dict:
        return {"duplicate_of": target, "kind": kind}

    exact = {"a": "b"}  # a lost the exact pass to b
    near = {"b": ("c", 0.7), "x": ("y", 0.6)}  # b and x lost the near pass
    assert final_target(dup("url", "a"), exact, near) == "c"
    assert final_target(dup("url", "a"), exact) == "b"
    assert final_target(dup("url", "x"), exact, near) == "y"
    assert final_target(dup("exact", "b"), exact, near) == "c"
    # An exact copy's article was kept by the exact pass: the exact merges do not apply to it.
    assert final_target(dup("exact", "a"), exact, near) == "a"
    assert final_target(dup("near", "b"), exact, near) == "b"  # near verdicts are final
    assert final_target(dup("url", "p"), exact, near) == "p"  # an earlier run's article


_MIXED = [
    WIRE,
    COPY,
    DAY_THREE,
    HARBOUR,
    HARBOUR_COPY,
    article("https://third.example.org/drill", DRILL_DAY_ONE_COPY.replace("Monday", "Mon."), 3),
    article("https://wire.example.org/drill-opens?utm_medium=x", DRILL_DAY_ONE, 4),
    article("https://x.example.org/harbour", HARBOUR_STORY, 1),  # ties with HARBOUR at hour 1
]


def _mixed_expectation():
    wire, copy, day3, harbour, harbour_copy, third, wire_again, harbour_x = _MIXED
    assert harbour["canonical_url"] < harbour_x["canonical_url"]
    assert copy["canonical_url"] < third["canonical_url"]
    kept = [_id(wire), _id(day3), _id(harbour)]
    duplicates = [
        (copy["url"], _id(wire), "near"),
        (third["url"], _id(wire), "near"),
        (wire_again["url"], _id(wire), "url"),
        (harbour_x["url"], _id(harbour), "exact"),
        (harbour_copy["url"], _id(harbour), "near"),
    ]
    return kept, duplicates


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_result_does_not_depend_on_input_order(beam_pipeline, seed):
    articles = list(_MIXED)
    random.Random(seed).shuffle(articles)
    kept, duplicates = _mixed_expectation()
    _assert_dedup(beam_pipeline, articles, kept_ids=kept, duplicates=duplicates)
    # Every input ends as exactly one kept article or one duplicate.
    assert len(kept) + len(duplicates) == len(articles)


def test_result_is_the_same_on_two_worker_processes():
    from apache_beam.options.pipeline_options import PipelineOptions
    from apache_beam.testing.test_pipeline import TestPipeline

    options = PipelineOptions(["--direct_running_mode=multi_processing", "--direct_num_workers=2"])
    kept, duplicates = _mixed_expectation()
    with TestPipeline(runner="FnApiRunner", options=options, blocking=True) as p:
        new = p | "Articles" >> beam.Create(_MIXED[::-1])
        prior = p | "Index" >> beam.Create([]).with_output_types(dict)
        kept_c, dups, _rows = (new, prior) | Deduplicate()
        assert_that(kept_c | beam.Map(_id), equal_to(kept), label="Kept")
        assert_that(
            dups | beam.Map(lambda d: (d["url"], d["duplicate_of"], d["kind"])),
            equal_to(duplicates),
            label="Duplicates",
        )


def test_index_rows_hold_the_sketch_of_kept_articles_only(beam_pipeline):
    settings = NearDuplicateSettings()
    with beam_pipeline() as p:
        new = p | "Articles" >> beam.Create([WIRE, COPY])
        prior = p | "Index" >> beam.Create([]).with_output_types(dict)
        _kept, _dups, rows = (new, prior) | Deduplicate(near=settings)
        summary = (
            rows
            | beam.FlatMap(lambda batch: batch)
            | beam.Map(lambda r: ((r["kind"], r["article_id"]), 1))
            | beam.CombinePerKey(sum)
        )
        assert_that(
            summary,
            equal_to(
                [
                    (("url", _id(WIRE)), 2),  # its own URL and the copy's
                    (("hash", _id(WIRE)), 2),  # its own text and the copy's
                    (("sketch", _id(WIRE)), 1),
                ]
            ),
        )


# -- across runs --------------------------------------------------------------------------------


def _first_run(beam_pipeline, root, articles, started):
    with beam_pipeline() as p:
        new = p | "Articles" >> beam.Create(articles)
        prior = p | "Index" >> beam.Create([]).with_output_types(dict)
        _kept, _dups, rows = (new, prior) | Deduplicate(now=started)
        _ = rows | WritePartitionedParquet("index", str(root), "run-1", started)
    return str(root / "index" / "*.parquet")


def _later_run(beam_pipeline, pattern, articles, now, kept_ids, duplicates):
    with beam_pipeline() as p:
        new = p | "Articles" >> beam.Create(articles)
        prior = p | "ReadIndex" >> ReadIndex(pattern, retention_days=30, now=now)
        kept, dups, _rows = (new, prior) | Deduplicate(now=now)
        assert_that(kept | "KeptIds" >> beam.Map(_id), equal_to(kept_ids), label="Kept")
        assert_that(
            dups | "DupKeys" >> beam.Map(lambda d: (d["url"], d["duplicate_of"], d["kind"])),
            equal_to(duplicates),
            label="Duplicates",
        )


def test_near_copy_in_a_later_run_points_at_the_earlier_article(beam_pipeline, tmp_path):
    pattern = _first_run(beam_pipeline, tmp_path, [WIRE, HARBOUR], T0)
    # Even published earlier than the committed article, the copy cannot replace it.
    early_copy = {**COPY, "published_at": T0 - timedelta(days=1)}
    _later_run(
        beam_pipeline,
        pattern,
        [early_copy, DAY_THREE],
        T0 + timedelta(days=2),
        kept_ids=[_id(DAY_THREE)],
        duplicates=[(COPY["url"], _id(WIRE), "near")],
    )


def test_a_url_copy_of_a_near_copy_of_an_earlier_runs_article_points_at_it(beam_pipeline, tmp_path):
    pattern = _first_run(beam_pipeline, tmp_path, [WIRE, HARBOUR], T0)
    copy_again = article(COPY["url"] + "?utm_source=feed", DRILL_DAY_ONE_COPY + " Updated.", 5)
    _later_run(
        beam_pipeline,
        pattern,
        [copy_again, COPY, DAY_THREE],
        T0 + timedelta(days=2),
        kept_ids=[_id(DAY_THREE)],
        duplicates=[(COPY["url"], _id(WIRE), "near"), (copy_again["url"], _id(WIRE), "url")],
    )


def test_an_index_row_written_before_signatures_were_kept_still_catches_a_copy(beam_pipeline):
    # Such a row's detail ends at the shingles: its pairs are never screened out, only verified.
    sketch = sketch_record(WIRE["text"], NearDuplicateSettings())
    detail = sketch_detail(NearDuplicateSettings(), sketch["bands"], sketch["shingles"])
    assert detail.count(":") == 2
    row = {
        "kind": "sketch",
        "key": _id(WIRE),
        "article_id": _id(WIRE),
        "detail": detail,
        "published_at": T0,
        "recorded_at": datetime.now(timezone.utc),  # within the retention window
    }
    _assert_dedup(
        beam_pipeline,
        [COPY],
        kept_ids=[],
        duplicates=[(COPY["url"], _id(WIRE), "near")],
        index=[row],
    )


def test_bucket_candidates_are_screened_by_their_signatures():
    settings = NearDuplicateSettings()
    fn = _BucketCandidatesFn(settings)

    def bucket(*members: tuple[dict, float, str]) -> list[tuple[str, str]]:
        # One band number: two batches of members, all in the bucket "b1", plus a lone member.
        entries = [f"b1\x00N{hours:02.0f}\x00{_id(a)}\x00{sig}" for a, hours, sig in members]
        lone = f"b2\x00N00\x00lonely\x00{members[0][2]}"
        return list(fn.process((0, [entries[0], "\x02".join([lone, *entries[1:]])])))

    wire, copy, other = (
        sketch_record(a["text"], settings)["signature"] for a in (WIRE, COPY, HARBOUR)
    )
    pair = f"{_id(WIRE)}\x00{_id(COPY)}"
    assert bucket((WIRE, 0, wire), (COPY, 3, copy)) == [(_id(WIRE), pair), (_id(COPY), pair)]
    assert bucket((WIRE, 0, wire), (HARBOUR, 1, other)) == []
    # Without a signature (an older index row) the pair is left to the exact check.
    assert len(bucket((WIRE, 0, ""), (HARBOUR, 1, other))) == 2


def test_a_copy_after_the_retention_window_is_a_new_article(beam_pipeline, tmp_path):
    pattern = _first_run(beam_pipeline, tmp_path, [WIRE], T0)
    _later_run(
        beam_pipeline,
        pattern,
        [COPY],
        T0 + timedelta(days=31),
        kept_ids=[_id(COPY)],
        duplicates=[],
    )


def test_a_copy_inside_the_retention_window_is_still_caught(beam_pipeline, tmp_path):
    pattern = _first_run(beam_pipeline, tmp_path, [WIRE], T0)
    _later_run(
        beam_pipeline,
        pattern,
        [COPY],
        T0 + timedelta(days=29),
        kept_ids=[],
        duplicates=[(COPY["url"], _id(WIRE), "near")],
    )
