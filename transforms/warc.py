"""WARC files (as in Common Crawl's CC-NEWS): response records with HTML become Items.

A WARC file can hold tens of thousands of pages, so it is read in two passes that keep memory
flat and let every worker help: `index_warc` walks the file once and cuts it into ranges of
whole records (byte offsets, which work for `.warc.gz` too: every record is its own gzip member),
and `read_warc_range` reads one range. The ranges, not the pages, are what gets spread across
workers. Pure functions over Beam's FileSystems streams; no Beam transforms here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass

from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from warcio.archiveiterator import ArchiveIterator

from newsbeam.schemas.records import Item, Reject, file_location

__all__ = ["WarcRange", "index_warc", "read_warc_range"]

_LOGGER = logging.getLogger(__name__)

_PAGE_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class WarcRange:
    """Records of one WARC file from byte `start` (a record boundary) up to `end`. `path` and
    `raw_path` are the file's as in `InboxFile`."""

    path: str
    start: int
    end: int
    records: int
    raw_path: bytes | None = None

    @property
    def origin(self) -> str:
        return self.path

    @property
    def location(self) -> str:
        return file_location(self.path, self.raw_path)


def _raw(path: str):
    # warcio recognises gzip members itself and reports offsets in the compressed stream.
    return FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED)


def _size(path: str) -> int:
    return FileSystems.match([path])[0].metadata_list[0].size_in_bytes


def index_warc(
    path: str, records_per_range: int = 500, raw_path: bytes | None = None
) -> list[WarcRange]:
    """Cut a WARC file into ranges of about `records_per_range` response records (`raw_path`:
    the file system's name of `path`, when they differ; see `InboxFile`).

    Raises the reader's exception when the file is not a WARC at all; a file that breaks off
    part-way yields the ranges up to the last whole record, and the reader of the last range
    reports the break.
    """
    ranges: list[WarcRange] = []
    start, count, size = 0, 0, 0
    location = file_location(path, raw_path)
    with _raw(location) as handle:
        iterator = ArchiveIterator(handle, no_record_parse=True)
        try:
            for record in iterator:
                offset = iterator.offset  # where this record starts (absolute)
                if count >= records_per_range:
                    ranges.append(WarcRange(path, start, offset, count, raw_path))
                    start, count = offset, 0
                if record.rec_type == "response":
                    count += 1
            size = iterator.offset
        except Exception as exc:  # a broken tail: the range reader reports it
            _LOGGER.info("WARC %s breaks off after offset %d: %s", path, start, exc)
            size = None
    if size is not None and size < _size(location):
        size = None  # bytes after the last whole record: a cut-off tail, reported by the reader
    ranges.append(WarcRange(path, start, size if size is not None else -1, count, raw_path))
    return ranges


def _payload_type(record) -> tuple[str, str | None]:
    content_type = record.http_headers.get_header("Content-Type") if record.http_headers else ""
    content_type = content_type or ""
    kind = content_type.split(";")[0].strip().lower()
    charset = None
    for part in content_type.split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return kind, charset


def _check_whole(record, position: int) -> None:
    """Raise unless the file held all the bytes the record's Content-Length promises. warcio
    hands out a record cut off by the end of an uncompressed file as if it were whole."""
    stream = record.raw_stream
    while stream.read(1 << 16):  # the rest of the record, read and dropped
        pass
    missing = getattr(stream, "limit", 0)
    if missing > 0:
        raise ValueError(
            f"the record at offset {position} is cut off: {missing:,} of the "
            f"{record.length:,} bytes its Content-Length gives are missing"
        )


def _response(warc: WarcRange, record, position: int, max_bytes: int) -> Item | Reject:
    """The input one whole response record holds."""
    url = record.rec_headers.get_header("WARC-Target-URI")
    kind, charset = _payload_type(record)
    if kind and not kind.startswith(_PAGE_TYPES):
        _check_whole(record, position)
        detail = f"the WARC response at offset {position} is {kind}"
        return Reject(warc.path, url, "read", "not-a-page", detail)
    body = record.content_stream().read(max_bytes + 1)
    _check_whole(record, position)
    if len(body) > max_bytes:
        detail = f"the page at offset {position} exceeds {max_bytes:,} bytes"
        return Reject(warc.path, url, "read", "too-large", detail)
    if not body.strip():
        detail = f"the response at offset {position} has no body"
        return Reject(warc.path, url, "read", "empty", detail)
    hints = {"warc_offset": position}
    return Item(origin=warc.path, url=url, body=body, charset=charset, hints=hints)


def read_warc_range(warc: WarcRange, max_bytes: int) -> Iterator[Item | Reject]:
    """The inputs of one range: an Item per HTML response record, a Reject per other response
    (not a page, too large) and one Reject for a range that breaks off, in a record cut short
    or after the last whole one. Records that are not responses (warcinfo, request, metadata)
    are not inputs."""
    position = warc.start
    try:
        with _raw(warc.location) as handle:
            handle.seek(warc.start)
            iterator = ArchiveIterator(handle)
            reached_end = False
            last = None
            for record in iterator:
                # `offset`, not get_record_offset(): that one skips the record's content.
                position = iterator.offset
                if warc.end >= 0 and position >= warc.end:
                    reached_end = True
                    break
                if record.format != "warc":
                    raise ValueError(f"a {record.format} record, not a WARC record")
                if record.rec_type == "response":
                    yield _response(warc, record, position, max_bytes)  # checked whole
                else:
                    last = record
            if not reached_end and last is not None:
                _check_whole(last, position)  # ends quietly at a record cut short
            end = warc.end if warc.end >= 0 else _size(warc.location)
            if not reached_end and iterator.offset < end:
                # warcio ends quietly at a cut-off gzip member; the bytes left say so.
                raise ValueError(
                    f"{end - iterator.offset:,} bytes at the end are not whole records"
                )
    except Exception as exc:  # warcio raises many kinds on broken input: each is this reject
        yield Reject(
            warc.path,
            None,
            "read",
            "bad-warc",
            f"the WARC file breaks off after offset {position}: {str(exc)[:200]}",
        )
