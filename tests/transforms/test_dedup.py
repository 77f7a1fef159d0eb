"""Deduplication: which copy is kept (`rank`, `resolve_group`) and the Deduplicate PTransform's
URL and exact-text passes, against each other and against the index of earlier runs."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import apache_beam as beam
import pytest
from apache_beam.testing.util import assert_that, equal_to

from newsbeam.transforms.dedup import Deduplicate, rank, resolve_group
from newsbeam.transforms.extract import content_hash
from newsbeam.transforms.urls import article_id, canonicalize_url

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=timezone.utc)

TEXT_TALKS = "Envoys from both countries met in the capital on Monday to discuss trade routes."
TEXT_FLOOD = "The river rose by two metres overnight and several streets near the quay flooded."
TEXT_FAIR = "The autumn book fair opened on Friday with more than two hundred exhibitors."


def article(url: str, text: str, hours: float | None, origin: str | None = None) -> dict:
    """An article dict with the fields Deduplicate reads; `hours` after T0, None if unknown."""
    canonical = canonicalize_url(url)
    return {
        "article_id": article_id(canonical),
        "url": url,
        "canonical_url": canonical,
        "origin": origin or "file:///inbox/" + canonical.split("://", 1)[1].replace("/", "_"),
        "content_hash": content_hash(text),
        "published_at": None if hours is None else T0 + timedelta(hours=hours),
        "text": text,
    }


def _id(a: dict) -> str:
    return a["article_id"]


# -- rank / resolve_group ---------------------------------------------------------------------


def test_rank_orders_by_publication_time_first():
    early = article("https://b.example.org/x", TEXT_TALKS, 1)
    late = article("https://a.example.org/x", TEXT_TALKS, 2)
    assert rank(early) < rank(late)


def test_rank_breaks_ties_by_canonical_url():
    a = article("https://a.example.org/x", TEXT_TALKS, 1)
    b = article("https://b.example.org/x", TEXT_TALKS, 1)
    assert sorted([b, a], key=rank) == [a, b]


def test_rank_puts_unknown_dates_last():
    undated = article("https://a.example.org/x", TEXT_TALKS, None)
    dated = article("https://z.example.org/x", TEXT_TALKS, 1000)
    assert sorted([undated, dated], key=rank) == [dated, undated]


def test_resolve_group_keeps_the_earliest():
    first = article("https://c.example.org/x", TEXT_TALKS, 0)
    second = article("https://a.example.org/x", TEXT_TALKS, 5)
    undated = article("https://b.example.org/x", TEXT_TALKS, None)
    kept, dropped = resolve_group([undated, second, first], [])
    assert kept is first
    assert dropped == [(second, _id(first)), (undated, _id(first))]


def test_resolve_group_prior_ids_win():
    new = article("https://a.example.org/x", TEXT_TALKS, -100)
    kept, dropped = resolve_group([new], ["ffffffffffffffffffffffff", "000000000000000000000000"])
    assert kept is None
    assert dropped == [(new, "000000000000000000000000")]


def test_resolve_group_of_one_keeps_it_and_of_none_keeps_nothing():
    only = article("https://a.example.org/x", TEXT_TALKS, 1)
    assert resolve_group([only], []) == (only, [])
    assert resolve_group([], []) == (None, [])
    assert resolve_group([], ["abc"]) == (None, [])


# -- Deduplicate ------------------------------------------------------------------------------


def _run(beam_pipeline, articles, index, kept_ids, duplicates, index_keys=None):
    """Run Deduplicate and assert on kept ids, (url, duplicate_of, kind) rows and index keys."""
    with beam_pipeline() as p:
        new = p | "Articles" >> beam.Create(articles)
        prior = p | "Index" >> beam.Create(index).with_output_types(dict)
        kept, dups, rows = (new, prior) | Deduplicate()
        assert_that(kept | "KeptIds" >> beam.Map(_id), equal_to(kept_ids), label="Kept")
        assert_that(
            dups | "DupKeys" >> beam.Map(lambda d: (d["url"], d["duplicate_of"], d["kind"])),
            equal_to(duplicates),
            label="Duplicates",
        )
        assert_that(
            dups | "Similarity" >> beam.Map(lambda d: d["similarity"]),
            equal_to([1.0] * len(duplicates)),
            label="Similarity",
        )
        if index_keys is not None:
            assert_that(
                rows
                | "IndexRows" >> beam.FlatMap(lambda batch: batch)
                | "IndexKeys" >> beam.Map(lambda r: (r["kind"], r["key"], r["article_id"])),
                equal_to(index_keys),
                label="IndexRows",
            )


def test_same_canonical_url_is_a_url_duplicate(beam_pipeline):
    first = article("https://news.example.org/talks?utm_source=rss", TEXT_TALKS, 1)
    again = article("https://NEWS.example.org/talks/#top", TEXT_TALKS + " Updated.", 3)
    assert first["canonical_url"] == again["canonical_url"]
    _run(
        beam_pipeline,
        [again, first],
        [],
        kept_ids=[_id(first)],
        duplicates=[(again["url"], _id(first), "url")],
        index_keys=[
            ("url", first["canonical_url"], _id(first)),
            ("hash", first["content_hash"], _id(first)),
            ("url", again["canonical_url"], _id(first)),
        ],
    )


def test_same_text_under_different_urls_is_an_exact_duplicate(beam_pipeline):
    original = article("https://wire.example.org/flood", TEXT_FLOOD, 0)
    # Same words, different case, punctuation and spacing.
    syndicated = article(
        "https://daily.example.net/flood-copy", TEXT_FLOOD.upper().replace(" ", "  ") + "!!", 2
    )
    other = article("https://daily.example.net/fair", TEXT_FAIR, 2)
    _run(
        beam_pipeline,
        [syndicated, other, original],
        [],
        kept_ids=[_id(original), _id(other)],
        duplicates=[(syndicated["url"], _id(original), "exact")],
    )


def test_undated_copy_loses_to_a_dated_one(beam_pipeline):
    undated = article("https://a.example.org/flood", TEXT_FLOOD, None)
    dated = article("https://z.example.org/flood", TEXT_FLOOD, 500)
    _run(
        beam_pipeline,
        [undated, dated],
        [],
        kept_ids=[_id(dated)],
        duplicates=[(undated["url"], _id(dated), "exact")],
    )


def test_url_copy_of_an_article_that_loses_on_text_points_at_the_final_article(beam_pipeline):
    a = article("https://site.example.org/story", TEXT_TALKS, 2, origin="file:///in/a.html")
    a_again = article(
        "https://site.example.org/story?utm_medium=email",
        TEXT_TALKS + " More.",
        4,
        origin="file:///in/a2.html",
    )
    b = article("https://wire.example.org/original", TEXT_TALKS.lower(), 0)
    assert _id(a) == _id(a_again) != _id(b)
    _run(
        beam_pipeline,
        [a, a_again, b],
        [],
        kept_ids=[_id(b)],
        duplicates=[(a_again["url"], _id(b), "url"), (a["url"], _id(b), "exact")],
        index_keys=[
            ("url", b["canonical_url"], _id(b)),
            ("hash", b["content_hash"], _id(b)),
            ("url", a["canonical_url"], _id(b)),
            ("url", a_again["canonical_url"], _id(b)),
        ],
    )


def test_url_known_to_an_earlier_run_is_a_duplicate_of_its_article(beam_pipeline):
    seen = article("https://news.example.org/fair", TEXT_FAIR + " Revised.", 10)
    fresh = article("https://news.example.org/flood", TEXT_FLOOD, 1)
    prior_id = "0123456789abcdef01234567"
    index = [
        {"kind": "url", "key": seen["canonical_url"], "article_id": prior_id},
        {"kind": "hash", "key": content_hash(TEXT_FAIR), "article_id": prior_id},
        {"kind": "file", "key": "/srv/inbox/old.html", "article_id": None, "detail": "1:2.0"},
    ]
    _run(
        beam_pipeline,
        [seen, fresh],
        index,
        kept_ids=[_id(fresh)],
        duplicates=[(seen["url"], prior_id, "url")],
    )


def test_an_index_row_without_a_key_matches_nothing_and_stops_nothing(beam_pipeline):
    # A damaged index row (no key) cannot be shared out by its key: it is left out, as it
    # matched no article before the keys were batched by shard.
    seen = article("https://news.example.org/fair", TEXT_FAIR, 10)
    prior_id = "0123456789abcdef01234567"
    index = [
        {"kind": "url", "key": None, "article_id": prior_id},
        {"kind": "hash", "key": None, "article_id": prior_id},
        {"kind": "sketch", "key": None, "article_id": prior_id, "detail": "x"},
        {"kind": "hash", "key": seen["content_hash"], "article_id": prior_id},
    ]
    _run(
        beam_pipeline,
        [seen],
        index,
        kept_ids=[],
        duplicates=[(seen["url"], prior_id, "exact")],
    )


def test_text_known_to_an_earlier_run_is_an_exact_duplicate(beam_pipeline):
    copy = article("https://mirror.example.net/flood", TEXT_FLOOD, -48)  # even if earlier
    prior_id = "fedcba9876543210fedcba98"
    index = [{"kind": "hash", "key": copy["content_hash"], "article_id": prior_id}]
    _run(
        beam_pipeline,
        [copy],
        index,
        kept_ids=[],
        duplicates=[(copy["url"], prior_id, "exact")],
        index_keys=[("url", copy["canonical_url"], prior_id)],
    )


def test_url_copy_of_an_article_whose_text_an_earlier_run_holds(beam_pipeline):
    a = article("https://site.example.org/story", TEXT_FLOOD, 1)
    a_again = article("https://site.example.org/story/?fbclid=abc", TEXT_FLOOD + " Photo.", 2)
    prior_id = "aaaaaaaaaaaaaaaaaaaaaaaa"
    index = [{"kind": "hash", "key": a["content_hash"], "article_id": prior_id}]
    _run(
        beam_pipeline,
        [a_again, a],
        index,
        kept_ids=[],
        duplicates=[(a_again["url"], prior_id, "url"), (a["url"], prior_id, "exact")],
    )


def test_without_the_near_pass_copies_point_at_the_final_article(beam_pipeline):
    # Deduplicate(near=None): the URL and exact passes alone, with their own re-pointing step.
    a = article("https://site.example.org/story", TEXT_TALKS, 2)
    a_again = article("https://site.example.org/story?utm_medium=email", TEXT_TALKS + " More.", 4)
    b = article("https://wire.example.org/original", TEXT_TALKS.lower(), 0)
    c = article("https://other.example.com/fair", TEXT_FAIR, 1)
    with beam_pipeline() as p:
        new = p | "Articles" >> beam.Create([a_again, a, b, c])
        prior = p | "Index" >> beam.Create([]).with_output_types(dict)
        kept, dups, rows = (new, prior) | Deduplicate(near=None)
        assert_that(kept | "KeptIds" >> beam.Map(_id), equal_to([_id(b), _id(c)]), label="Kept")
        assert_that(
            dups | "DupKeys" >> beam.Map(lambda d: (d["url"], d["duplicate_of"], d["kind"])),
            equal_to([(a_again["url"], _id(b), "url"), (a["url"], _id(b), "exact")]),
            label="Duplicates",
        )
        assert_that(
            rows
            | "IndexRows" >> beam.FlatMap(lambda batch: batch)
            | "IndexKeys" >> beam.Map(lambda r: (r["kind"], r["key"], r["article_id"])),
            equal_to(
                [
                    ("url", b["canonical_url"], _id(b)),
                    ("hash", b["content_hash"], _id(b)),
                    ("url", c["canonical_url"], _id(c)),
                    ("hash", c["content_hash"], _id(c)),
                    ("url", a["canonical_url"], _id(b)),
                    ("url", a_again["canonical_url"], _id(b)),
                ]
            ),
            label="IndexRows",
        )


def _producers(pipeline: beam.Pipeline) -> tuple[list[str], dict[str, str]]:
    """The Flattens inside `Deduplicate`, and the leaf step that makes each of its outputs."""
    proto = pipeline.to_runner_api()
    transforms = proto.components.transforms
    flattens = [
        t.unique_name
        for t in transforms.values()
        if t.spec.urn == "beam:transform:flatten:v1" and t.unique_name.startswith("Deduplicate/")
    ]
    made_by = {
        pcoll: t.unique_name
        for t in transforms.values()
        if not t.subtransforms
        for pcoll in t.outputs.values()
    }
    top = next(t for t in transforms.values() if t.unique_name == "Deduplicate")
    return flattens, {tag: made_by[pcoll] for tag, pcoll in top.outputs.items()}


def test_each_output_of_deduplicate_comes_from_one_step_with_no_flatten_after_the_passes():
    # On Beam's local runner each Flatten is a stage of its own that copies every element, and
    # each step reading an output after the near verdicts another: the kept articles, the
    # duplicates and the index rows all leave the one step that applies the verdicts.
    p = beam.Pipeline()
    new = p | "Articles" >> beam.Create([article("https://a.example.org/x", TEXT_FAIR, 0)])
    prior = p | "Index" >> beam.Create([]).with_output_types(dict)
    _ = (new, prior) | "Deduplicate" >> Deduplicate(unpack=False)
    flattens, outputs = _producers(p)
    # Only the sketches' join has one: earlier runs' URLs, text hashes and band members reach
    # their passes as side inputs.
    assert flattens == ["Deduplicate/DeduplicateNear/GroupByArticle/CoGroupByKeyImpl/Flatten"]
    assert set(outputs.values()) == {
        "Deduplicate/DeduplicateNear/ApplyVerdicts/ParDo(_ApplyVerdictsFn)"
    }, outputs


_MIXED = [
    article("https://wire.example.org/talks", TEXT_TALKS, 0),
    article("https://site.example.org/talks?utm_source=x", TEXT_TALKS + " Analysis.", 1),
    article("https://site.example.org/talks", TEXT_TALKS + " Analysis.", 3),
    article("https://paper.example.net/talks-copy", TEXT_TALKS.upper(), 0),  # ties at hour 0
    article("https://paper.example.net/flood", TEXT_FLOOD, None),
    article("https://other.example.com/flood", TEXT_FLOOD, None),
    article("https://other.example.com/fair", TEXT_FAIR, 7),
]


def _mixed_expectation():
    wire, site1, site2, paper, flood1, flood2, fair = _MIXED
    # talks: the two at hour 0 tie; the smaller canonical URL (paper.) wins.
    assert paper["canonical_url"] < wire["canonical_url"]
    # flood: both undated; the smaller canonical URL (other.) wins.
    kept = [_id(paper), _id(site1), _id(flood2), _id(fair)]
    duplicates = [
        (wire["url"], _id(paper), "exact"),
        (site2["url"], _id(site1), "url"),
        (flood1["url"], _id(flood2), "exact"),
    ]
    return kept, duplicates


@pytest.mark.parametrize("order", ["given", "reversed", "rotated"])
def test_result_does_not_depend_on_input_order(beam_pipeline, order):
    articles = {
        "given": _MIXED,
        "reversed": _MIXED[::-1],
        "rotated": _MIXED[3:] + _MIXED[:3],
    }[order]
    kept, duplicates = _mixed_expectation()
    _run(beam_pipeline, articles, [], kept_ids=kept, duplicates=duplicates)
