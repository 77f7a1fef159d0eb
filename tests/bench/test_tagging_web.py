"""Loading the web-news labels and texts for the tagging baseline: later label lines win, only
the wanted texts are read, a headline the text opens with is not counted twice, and a missing
texts file is one clear error line."""

from __future__ import annotations

import json

import pytest

from bench.tagging_web import main, read_labels, read_texts, title_and_body


def _write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_a_later_label_line_replaces_an_earlier_one(tmp_path):
    labels = tmp_path / "labels.jsonl"
    _write(labels, [{"id": "a", "required": []}, {"id": "b"}, {"id": "a", "required": ["x"]}])
    rows = {r["id"]: r for r in read_labels(labels)}
    assert set(rows) == {"a", "b"}
    assert rows["a"]["required"] == ["x"]


def test_only_the_labelled_texts_are_read(tmp_path):
    texts = tmp_path / "pages.jsonl"
    _write(texts, [{"id": "a", "text": "one"}, {"id": "c", "text": "three"}])
    assert list(read_texts(texts, {"a", "b"})) == ["a"]


def test_a_headline_the_text_opens_with_is_taken_off_the_body():
    record = {"title": "Ministers meet", "text": "Ministers meet\n\nThe two met in Oslo."}
    assert title_and_body(record) == ("Ministers meet", "The two met in Oslo.")


def test_a_text_without_its_headline_is_kept_whole():
    record = {"title": "", "text": "Ministers meet in Oslo."}
    assert title_and_body(record) == (None, "Ministers meet in Oslo.")
    record = {"title": "Talks", "text": "The talks ended."}
    assert title_and_body(record) == ("Talks", "The talks ended.")


def test_a_missing_texts_file_is_one_clear_error(tmp_path):
    with pytest.raises(SystemExit) as stop:
        main(["--texts", str(tmp_path / "absent.jsonl")])
    assert "no texts file at" in str(stop.value)


@pytest.mark.parametrize(
    "folder", ["tagging_web", "tagging_web3", "tagging_web4", "tagging_web5", "tagging_real"]
)
def test_every_labelled_topic_is_one_the_tagger_can_give(folder):
    # A relation's two codes are sorted in the tagger's tags: "relations:us-ro" could never match.
    from pathlib import Path

    from newsbeam.transforms.tagging import TaxonomyFile

    themes = {theme.id for theme in TaxonomyFile(None).load().themes}
    data = Path(__file__).resolve().parents[2] / "bench" / "data" / folder
    for path in sorted(data.glob("*.jsonl")):
        for row in read_labels(path):
            for topic in row.get("required", []) + row.get("forbidden", []):
                if topic.startswith("relations:"):
                    first, second = topic.removeprefix("relations:").split("-")
                    assert first < second and len(first) == len(second) == 2, (row["id"], topic)
                else:
                    assert topic in themes, (row["id"], topic)
