"""ReadNotifiedInbox: inbox files announced by Cloud Storage notifications on Pub/Sub, for the
Dataflow streaming job (`newsbeam stream --inbox-subscription projects/P/subscriptions/S`).

A bucket notification (`gsutil notification create -t TOPIC -f json gs://BUCKET`) publishes one
message per object event; its attributes name the event, the bucket and the object. Only
`OBJECT_FINALIZE` (an object fully written: Cloud Storage has no half-written objects) under one
of the inbox prefixes announces an input; the file is then read like any inbox file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

import apache_beam as beam

from newsbeam.schemas.records import InboxFile
from newsbeam.transforms.inbox import ReadInboxFiles, is_in_progress

__all__ = ["ReadNotifiedInbox", "notified_file"]


def _updated(payload: dict[str, Any]) -> float:
    value = payload.get("updated") or payload.get("timeCreated")
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0


def notified_file(
    attributes: dict[str, str], data: bytes, prefixes: Iterable[str] = ()
) -> InboxFile | None:
    """The inbox file a notification announces, or None (another event, a folder placeholder,
    a temporary name, or an object outside the inbox prefixes)."""
    if attributes.get("eventType") != "OBJECT_FINALIZE":
        return None
    bucket, name = attributes.get("bucketId"), attributes.get("objectId")
    if not bucket or not name or name.endswith("/"):
        return None
    path = f"gs://{bucket}/{name}"
    prefixes = [p for p in prefixes if p]
    if is_in_progress(path) or (prefixes and not any(path.startswith(p) for p in prefixes)):
        return None
    try:
        payload = json.loads(data) if data else {}
    except ValueError:
        payload = {}
    if not isinstance(payload, dict):
        payload = {}
    try:
        size = int(payload.get("size", 0))
    except (TypeError, ValueError):
        size = 0
    return InboxFile(path, size, _updated(payload))


def _files_of(message: Any, prefixes: list[str]) -> Iterator[InboxFile]:
    found = notified_file(dict(message.attributes or {}), message.data or b"", prefixes)
    if found is not None:
        yield found


class ReadNotifiedInbox(beam.PTransform):
    """pipeline -> (items, rejects) of the files the subscription announces.

    `prefixes` are the `gs://bucket/folder/` inbox prefixes files must be under (none: any).
    """

    def __init__(self, subscription: str, prefixes: Iterable[str], max_bytes: int) -> None:
        super().__init__()
        self._subscription = subscription
        self._prefixes = [p.rstrip("*").rstrip("/") + "/" for p in prefixes]
        self._max_bytes = max_bytes

    def expand(self, pipeline):
        files = (
            pipeline
            | "ReadNotifications"
            >> beam.io.ReadFromPubSub(subscription=self._subscription, with_attributes=True)
            | "AnnouncedFiles" >> beam.FlatMap(_files_of, self._prefixes)
        )
        items, rejects = files | "ReadFiles" >> ReadInboxFiles(self._max_bytes)
        return items, rejects
