"""Records between steps: every string they hold can be encoded, whatever the input held."""

from __future__ import annotations

import os

from newsbeam.schemas.records import InboxFile, Item, Reject, encodable


def _all_strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for pair in value.items() for part in pair for s in _all_strings(part)]
    if isinstance(value, (list, tuple)):
        return [s for part in value for s in _all_strings(part)]
    return []


def test_lone_surrogates_and_control_characters_become_replacement_characters():
    assert encodable("caf\udce9 \ud800x\x00y\x01z") == "caf\ufffd \ufffdx\ufffdy\ufffdz"
    assert encodable("tab\tline\nfeed\x0creturn\r") == "tab\tline\nfeed\x0creturn\r"
    nested = {"title": ["ok", "bad\udfff"], "bad\x02key": ("x", 3, None)}
    assert encodable(nested) == {"title": ["ok", "bad\ufffd"], "bad\ufffdkey": ("x", 3, None)}


def test_values_that_need_no_change_are_the_same_objects():
    hints = {"title": "Harbour wall", "tags": ["quay", "vote"], "n": 3}
    assert encodable(hints) is hints
    text = "Ünïcödé ✓ 港町"
    assert encodable(text) is text


def test_records_built_from_poisoned_input_hold_only_encodable_strings():
    item = Item(
        origin="/inbox/lines.jsonl",
        url="https://quay.example/\ud800story",
        html="<p>a lone \udc80 surrogate and a NUL \x00</p>",
        hints={"title": "Quay\udfff", "line": 3},
    )
    reject = Reject("/inbox/caf\udce9.html", "https://quay.example/\ud800", "read", "x", "d\x00")
    for record in (item, reject):
        for text in _all_strings(vars(record)):
            text.encode("utf-8")  # raises for a lone surrogate
            assert "\x00" not in text
    assert item.url == "https://quay.example/\ufffdstory"
    assert item.hints == {"title": "Quay\ufffd", "line": 3}


def test_a_file_name_that_is_not_utf8_is_shown_escaped_and_opened_by_its_bytes(tmp_path):
    raw = os.fsencode(tmp_path) + b"/caf\xe9.html"
    with open(raw, "wb") as handle:
        handle.write(b"<p>page</p>")
    listed = os.fsdecode(raw)  # what a directory listing in Python gives: surrogate escapes
    file = InboxFile.matched(listed, 11, 1.5)
    assert file.path == f"{tmp_path}/caf\\xe9.html"
    file.path.encode("utf-8")
    assert file.raw_path == raw and file.location == listed
    with open(file.location, "rb") as handle:
        assert handle.read() == b"<p>page</p>"
    plain = InboxFile.matched(f"{tmp_path}/café.html", 1, 1.0)
    assert plain == InboxFile(f"{tmp_path}/café.html", 1, 1.0)
    assert plain.location == plain.path


def test_a_row_batch_crosses_beams_default_coder_whole_and_as_it_was():
    from datetime import datetime, timezone

    from apache_beam.coders import FastPrimitivesCoder

    from newsbeam.schemas.records import RowBatch

    when = datetime(2026, 12, 7, 3, 0, tzinfo=timezone.utc)
    rows = RowBatch(
        [
            {"kind": "url", "key": f"https://quay.example/{n}", "published_at": when}
            for n in range(3)
        ]
    )
    coder = FastPrimitivesCoder()
    decoded = coder.decode(coder.encode(rows))
    assert type(decoded) is RowBatch and decoded == rows
    # One pickle for the whole batch (one protocol header), where value by value (a plain list)
    # each row's datetime is pickled on its own.
    assert coder.encode(rows).count(b"\x80\x05") == 1
    assert coder.encode(list(rows)).count(b"\x80\x05") == 3


def test_deep_nesting_is_made_encodable_in_linear_work(monkeypatch):
    from newsbeam.schemas import records

    calls = []
    real = records.encodable

    def counted(value):
        calls.append(1)
        return real(value)

    monkeypatch.setattr(records, "encodable", counted)
    value = "bad\x00"
    for _ in range(20):
        value = [value, "ok"]
    cleaned = counted(value)
    for _ in range(20):
        assert cleaned[1] == "ok"
        cleaned = cleaned[0]
    assert cleaned == "bad\ufffd"
    # Each part once: 41 values. (Checking a part and then making it again, level by level,
    # took 2 ** 20 calls.)
    assert len(calls) == 41
