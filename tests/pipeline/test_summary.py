"""The run summary: reject reasons with what helps, feeds, the JSON document."""

from __future__ import annotations

import json

from newsbeam.pipeline.summary import RejectReason, Summary, hint_for, reject_reasons
from newsbeam.schemas.tables import REJECTS
from newsbeam.transforms.sinks import stamp, write_parquet_file
from tests.pipeline.test_state import WHEN


def rejects_file(path, rows: list[tuple[str, str, str, str]]) -> str:
    stamped = [
        stamp(
            "rejects",
            {"origin": origin, "url": None, "stage": stage, "error": error, "detail": detail},
            "run-1",
            WHEN,
        )
        for origin, stage, error, detail in rows
    ]
    write_parquet_file(str(path), stamped, REJECTS)
    return str(path)


def test_reasons_are_counted_most_frequent_first_with_an_example_and_a_hint(tmp_path):
    first = rejects_file(
        tmp_path / "a.parquet",
        [
            ("http://127.0.0.1/feed", "fetch", "private-address", "the feed: 127.0.0.1 is private"),
            ("/in/a.txt", "read", "unsupported-format", "not a page"),
        ],
    )
    second = rejects_file(
        tmp_path / "b.parquet",
        [("/in/b.txt", "read", "unsupported-format", "not a page either")],
    )
    reasons, failed_feeds = reject_reasons([first, second])
    assert [(r.error, r.count) for r in reasons] == [
        ("unsupported-format", 2),
        ("private-address", 1),
    ]
    assert reasons[0].example == "/in/a.txt: not a page"
    assert "--allow-private-hosts" in reasons[1].hint
    assert failed_feeds == 1


def test_every_http_status_class_has_a_hint_and_unknown_classes_a_pointer():
    assert "check the URL" in hint_for("http-404")
    assert "retries" in hint_for("http-503")
    assert "--max-page-bytes" in hint_for("too-large")
    assert "report it" in hint_for("crash:ValueError")
    assert "detail" in hint_for("something-new")


def test_the_summary_names_feeds_and_reasons_and_writes_json(tmp_path):
    path = rejects_file(
        tmp_path / "r.parquet", [("http://x.example/f", "fetch", "dns", "the feed: no such host")]
    )
    reasons, failed = reject_reasons([path])
    counts = {"inputs": 1, "articles": 0, "duplicates": 0, "rejects": 1, "skipped": 0}
    feeds = {"polled": 1, "unchanged": 0, "failed": failed}
    summary = Summary("run-1", "committed", 2.5, "/out", counts, feeds, reasons)
    text = "\n".join(summary.lines())
    assert "feeds      1 polled, 0 unchanged, 1 failed" in text
    assert "fetch/dns  http://x.example/f: the feed: no such host" in text
    assert summary.all_rejected()
    summary.write_json(str(tmp_path / "summary.json"))
    document = json.loads((tmp_path / "summary.json").read_text())
    assert document["counts"] == counts and document["feeds"] == feeds
    assert document["reject_reasons"][0]["error"] == "dns"
    assert not list(tmp_path.glob(".summary-*"))


def test_a_stream_total_adds_batches_and_merges_reasons():
    total = Summary("run-1", "committed", 0.0, "/out", {})
    for skipped, error in ((3, "dns"), (4, "dns"), (0, "timeout")):
        batch = Summary(
            "b", "committed", 1.0, "/out",
            {"inputs": 2, "articles": 1, "duplicates": 0, "rejects": 1, "skipped": skipped},
            {"polled": 1, "unchanged": 1, "failed": 0},
            [RejectReason("fetch", error, 1, "x", hint_for(error))],
        )  # fmt: skip
        total.add(batch, skip=("skipped",))
    assert total.counts == {"inputs": 6, "articles": 3, "duplicates": 0, "rejects": 3}
    assert total.feeds == {"polled": 3, "unchanged": 3, "failed": 0}
    assert [(r.error, r.count) for r in total.reasons] == [("dns", 2), ("timeout", 1)]
    assert not total.all_rejected()
