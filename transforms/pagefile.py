"""An inbox file's bytes, read where they are used: a page file by the extraction step in the
process that extracts it (`page_to_read`, `read_page`), the other kinds by `ReadInbox`
(transforms/inbox.py). Without Beam: local files are read with Python's own I/O
(transforms/files.py)."""

from __future__ import annotations

import contextlib
import gzip
import posixpath
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from newsbeam.schemas.records import InboxFile, Item, Reject
from newsbeam.transforms.files import open_file

__all__ = ["classify", "open_stored", "page_to_read", "read_capped", "read_error", "read_page",
           "read_page_file"]  # fmt: skip

_PAGE_SUFFIXES = (".html", ".htm")
_FEED_SUFFIXES = (".xml", ".rss", ".atom", ".json", ".rdf")


def classify(path: str) -> tuple[str, bool]:
    """(kind, gzipped) of an inbox file from its name: kind is page, jsonl, feed, warc or other."""
    name = posixpath.basename(path).lower()
    gzipped = name.endswith(".gz")
    if gzipped:
        name = name[:-3]
    if name.endswith(_PAGE_SUFFIXES):
        return "page", gzipped
    if name.endswith(".jsonl"):
        return "jsonl", gzipped
    if name.endswith(_FEED_SUFFIXES):
        return "feed", gzipped
    if name.endswith(".warc"):
        return "warc", gzipped
    return "other", gzipped


@contextlib.contextmanager
def open_stored(path: str, gzipped: bool) -> Iterator[BinaryIO]:
    """A binary stream of the file's content. gzip goes through Python's own reader: Beam's
    returns the readable part of a truncated stream as if it were whole."""
    with open_file(path) as raw:
        if gzipped:
            with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                yield unzipped
        else:
            yield raw


def read_capped(handle, limit: int) -> bytes:
    """Read at most `limit` + 1 bytes, so a caller can tell "too large" without reading it all."""
    chunks, size = [], 0
    while size <= limit:
        chunk = handle.read(min(1 << 20, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def read_error(exc: Exception) -> tuple[str, str]:
    if isinstance(exc, (EOFError, zlib.error, gzip.BadGzipFile)):
        return "bad-gzip", f"the gzip stream is corrupt or truncated ({exc})"
    return "unreadable", f"the file could not be read ({type(exc).__name__}: {exc})"


def read_page_file(file: InboxFile, gzipped: bool, max_bytes: int) -> Iterator[Item | Reject]:
    try:
        with open_stored(file.location, gzipped) as handle:
            data = read_capped(handle, max_bytes)
    except Exception as exc:  # any read failure is this file's reject, not the run's end
        error, detail = read_error(exc)
        yield Reject(file.path, None, "read", error, detail)
        return
    if len(data) > max_bytes:
        yield Reject(
            file.path, None, "read", "too-large", f"the page exceeds the {max_bytes:,}-byte limit"
        )
    elif not data.strip():
        yield Reject(file.path, None, "read", "empty", "the file is empty")
    else:
        yield Item(origin=file.path, url=None, body=data)


def page_to_read(file: InboxFile) -> Item:
    """The Item of a page file whose bytes are still to be read (`read_page`)."""
    return Item(origin=file.path, url=None, file=file)


def read_page(item: Item, max_bytes: int) -> Item | Reject:
    """A page Item made by `page_to_read` -> the Item holding the file's bytes, or the file's
    reject (stage "read": unreadable, too large, empty, a corrupt gzip stream)."""
    return next(read_page_file(item.file, classify(item.file.path)[1], max_bytes))
