"""Feed bodies of the wrong shapes: each entry is its own record, and a poll never raises."""

from __future__ import annotations

import json

import pytest

from newsbeam.schemas.records import Item, Reject
from newsbeam.transforms.feeds import FeedError, entry_records, parse_feed, poll_feed
from newsbeam.transforms.http import HttpClient, HttpSettings
from tests.e2e.server import LoopbackServer, static

LOCAL = HttpSettings(connect_timeout=1.0, read_timeout=1.0, retries=0, allow_private_hosts=True)


def _json_feed(items) -> bytes:
    return json.dumps(
        {"version": "https://jsonfeed.org/version/1.1", "title": "Tram Times", "items": items}
    ).encode()


WRONG_TYPES = [
    {"id": "https://tram.example/1", "title": "Good, its id is its link"},
    {"id": 5, "title": "A number for an id, and no url"},
    {"id": "3", "url": ["https://tram.example/a", "https://tram.example/b"]},
    "an entry that is a string",
    {"id": "4", "url": "https://tram.example/4", "title": 1234},
    {"id": 6, "url": "https://tram.example/6", "title": "Good, a number for an id"},
    {"id": "7", "url": "https://tram.example/7", "content_html": {"html": "<p>x</p>"}},
    {"id": "8", "external_url": 8},
]


def test_json_feed_items_of_the_wrong_types_are_rejects_of_their_own():
    records = list(entry_records("feed.json", parse_feed(_json_feed(WRONG_TYPES)), None))
    outcome = [(type(r).__name__, r.url if isinstance(r, Item) else r.error) for r in records]
    assert outcome == [
        ("Item", "https://tram.example/1"),
        ("Reject", "no-link"),
        ("Reject", "bad-entry"),
        ("Reject", "bad-entry"),
        ("Reject", "bad-entry"),
        ("Item", "https://tram.example/6"),
        ("Reject", "bad-entry"),
        ("Reject", "bad-entry"),
    ]
    details = [r.detail for r in records if isinstance(r, Reject)]
    assert details[1] == 'entry 3 has a "url" that is a list, not a string'
    assert details[2] == "entry 4 is a string, not an object"
    assert details[3] == 'entry 5 has a "title" that is a number, not a string'


def test_items_that_are_not_a_list_is_not_a_feed():
    with pytest.raises(FeedError) as caught:
        parse_feed(_json_feed("no items here"))
    assert caught.value.error == "not-a-feed" and '"items" is a string' in caught.value.detail


def test_an_entry_that_cannot_be_read_is_one_reject_and_the_next_entries_still_come():
    entries = [{"link": "https://tram.example/1"}, {"link": 42}, {"link": "https://tram.example/3"}]
    records = list(entry_records("feed.xml", entries, None))
    assert [type(r).__name__ for r in records] == ["Item", "Reject", "Item"]
    assert records[1].error == "bad-entry" and "entry 2" in records[1].detail


def test_polling_a_feed_with_items_of_the_wrong_types_never_raises():
    with LoopbackServer() as server:
        server.routes["/feed.json"] = static(_json_feed(WRONG_TYPES), "application/feed+json")
        client = HttpClient(LOCAL)
        items, rejects, row, unchanged = poll_feed(server.url("/feed.json"), None, client)
    assert [i.url for i in items] == ["https://tram.example/1", "https://tram.example/6"]
    assert sorted(r.error for r in rejects) == ["bad-entry"] * 5 + ["no-link"]
    assert row is not None and not unchanged


def test_a_damaged_validator_row_in_the_index_is_ignored_not_fatal():
    from newsbeam.transforms.feeds import _latest_validators

    good = '{"etag": "\\"v2\\"", "fetched_at": "2026-12-01T10:00:00+00:00"}'
    assert _latest_validators(["[1, 2]", "3", '{"fetched_at": 7}', good]) == {
        "etag": '"v2"',
        "fetched_at": "2026-12-01T10:00:00+00:00",
    }
    assert _latest_validators(["[1, 2]"]) is None
