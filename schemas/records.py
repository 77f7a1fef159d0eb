"""Records that flow between pipeline steps before they become table rows.

Every string a record holds is made encodable when the record is built (`encodable`): input can
carry lone surrogates (a JSON `\\ud800` escape, a file name that is not UTF-8) or control
characters, which no coder or Parquet writer accepts and which would fail the whole run, every
time it is rerun, rather than the one input that holds them.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields
from typing import Any

__all__ = ["InboxFile", "Item", "Reject", "RowBatch", "encodable", "file_location"]

# Lone surrogates cannot be written as UTF-8; NUL and the other C0 controls (bar tab, line feed,
# form feed, carriage return) are not text, and the dedup step's records use NUL and \x01-\x02
# as separators.
_UNENCODABLE = re.compile("[\x00-\x08\x0b\x0e-\x1f\ud800-\udfff]")


def encodable(value: Any) -> Any:
    """`value` with every string in it (also inside dicts, lists and tuples) UTF-8-encodable:
    lone surrogates and control characters other than whitespace become U+FFFD. Values that
    need no change are returned as they are."""
    if isinstance(value, str):
        return _UNENCODABLE.sub("\ufffd", value) if _UNENCODABLE.search(value) else value
    # A dict, list or tuple is rebuilt only from the first part that changes (the rare case);
    # each part is made encodable once, so the cost stays linear however deep the nesting.
    if isinstance(value, dict):
        pairs = list(value.items())
        for position, (key, item) in enumerate(pairs):
            clean_key, clean_item = encodable(key), encodable(item)
            if clean_key is not key or clean_item is not item:
                rebuilt = dict(pairs[:position])
                rebuilt[clean_key] = clean_item
                for key, item in pairs[position + 1 :]:
                    rebuilt[encodable(key)] = encodable(item)
                return rebuilt
        return value
    if isinstance(value, (list, tuple)):
        for position, item in enumerate(value):
            clean = encodable(item)
            if clean is not item:
                rest = [encodable(item) for item in value[position + 1 :]]
                return type(value)([*value[:position], clean, *rest])
        return value
    return value


class RowBatch(list):
    """Rows that travel together to a write step (`WritePartitionedParquet` takes them as they
    are). A list of its own type so that Beam's default coder (FastPrimitivesCoder) pickles it
    in one call, as it does any type it does not know, rather than value by value, which
    pickles every datetime in it separately."""

    __slots__ = ()


def _make_encodable(record: Any) -> None:
    for spec in fields(record):
        value = getattr(record, spec.name)
        cleaned = encodable(value)
        if cleaned is not value:
            object.__setattr__(record, spec.name, cleaned)


def _shown_name(path: str) -> tuple[str, bytes | None]:
    """(an encodable name for `path`, the file system's bytes when they had to differ)."""
    if not _UNENCODABLE.search(path):
        return path, None
    try:
        raw = os.fsencode(path)  # undoes the surrogateescape decoding of a file name
    except UnicodeError:
        return encodable(path), None  # not a name from a file system: nothing to keep
    return encodable(raw.decode("utf-8", "backslashreplace")), raw


def file_location(path: str, raw_path: bytes | None) -> str:
    """The name to open a file by: its file system bytes when kept (`InboxFile.raw_path`)."""
    return os.fsdecode(raw_path) if raw_path is not None else path


@dataclass(frozen=True)
class InboxFile:
    """One matched inbox file, as handled by a run (path, size, modification time).

    `path` is what rows and the index record: a name whose bytes are not UTF-8 shows them as
    `\\xNN` (`caf\\xe9.html`), and `raw_path` keeps the bytes the file is opened by
    (`location`). Build it with `InboxFile.matched` from a name the file system gave."""

    path: str
    size: int
    mtime: float
    raw_path: bytes | None = None

    @classmethod
    def matched(cls, path: str, size: int, mtime: float) -> InboxFile:
        shown, raw = _shown_name(path)
        return cls(shown, size, mtime, raw)

    @property
    def location(self) -> str:
        """The name to open the file by."""
        return file_location(self.path, self.raw_path)

    @property
    def version(self) -> str:
        """What "unchanged" means for the skip check: same size and modification time."""
        return f"{self.size}:{self.mtime:.6f}"


@dataclass(frozen=True)
class Item:
    """One input: a page to extract. `body` holds raw bytes, or `html` already-decoded text, or
    `file` names the inbox page file it is still to be read from: a page file is read where it
    is extracted, so its bytes never travel between the pipeline's steps."""

    origin: str
    url: str | None
    body: bytes | None = None
    html: str | None = None
    charset: str | None = None  # a charset declared outside the page (HTTP header), if any
    hints: dict = field(default_factory=dict)  # metadata known before extraction (feed entries)
    file: InboxFile | None = None

    def __post_init__(self) -> None:
        _make_encodable(self)


@dataclass(frozen=True)
class Reject:
    """An input that failed, and why. `stage` names the step, `error` a short class."""

    origin: str
    url: str | None
    stage: str
    error: str
    detail: str

    def __post_init__(self) -> None:
        _make_encodable(self)
