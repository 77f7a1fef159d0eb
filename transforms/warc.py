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

from newsbeam.schemas.records import Item, Reject

__all__ = ["WarcRange", "index_warc", "read_warc_range"]

_LOGGER = logging.getLogger(__name__)

_PAGE_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class WarcRange:
    """Records of one WARC file from byte `start` (a record boundary) up to `end`."""

    path: str
    start: int
    end: int
    records: int

    @property
    def origin(self) -> str:
        return self.path


def _raw(path: str):
    # warcio recognises gzip members itself and reports offsets in the compressed stream.
    return FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED)


def _size(path: str) -> int:
    return FileSystems.match([path])[0].metadata_list[0].size_in_bytes


def index_warc(path: str, records_per_range: int = 500) -> list[WarcRange]:
    """Cut a WARC file into ranges of about `records_per_range` response records.

    Raises the reader's exception when the file is not a WARC at all; a file that breaks off
    part-way yields the ranges up to the last whole record, and the reader of the last range
    reports the break.
    """
    ranges: list[WarcRange] = []
    start, count, size = 0, 0, 0
    with _raw(path) as handle:
        iterator = ArchiveIterator(handle, no_record_parse=True)
        try:
            for record in iterator:
                offset = iterator.offset  # where this record starts (absolute)
                if count >= records_per_range:
                    ranges.append(WarcRange(path, start, offset, count))
                    start, count = offset, 0
                if record.rec_type == "response":
                    count += 1
            size = iterator.offset
        except Exception as exc:  # a broken tail: the range reader reports it
            _LOGGER.info("WARC %s breaks off after offset %d: %s", path, start, exc)
            size = None
    if size is not None and size < _size(path):
        size = None  # bytes after the last whole record: a cut-off tail, reported by the reader
    ranges.append(WarcRange(path, start, size if size is not None else -1, count))
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


def read_warc_range(warc: WarcRange, max_bytes: int) -> Iterator[Item | Reject]:
    """The inputs of one range: an Item per HTML response record, a Reject per other response
    (not a page, too large) and one Reject for a range that breaks off. Records that are not
    responses (warcinfo, request, metadata) are not inputs."""
    position = warc.start
    try:
        with _raw(warc.path) as handle:
            handle.seek(warc.start)
            iterator = ArchiveIterator(handle)
            reached_end = False
            for record in iterator:
                # `offset`, not get_record_offset(): that one skips the record's content.
                position = iterator.offset
                if warc.end >= 0 and position >= warc.end:
                    reached_end = True
                    break
                if record.format != "warc":
                    raise ValueError(f"a {record.format} record, not a WARC record")
                if record.rec_type != "response":
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                kind, charset = _payload_type(record)
                if kind and not kind.startswith(_PAGE_TYPES):
                    yield Reject(
                        warc.path,
                        url,
                        "read",
                        "not-a-page",
                        f"the WARC response at offset {position} is {kind}",
                    )
                    continue
                body = record.content_stream().read(max_bytes + 1)
                if len(body) > max_bytes:
                    yield Reject(
                        warc.path,
                        url,
                        "read",
                        "too-large",
                        f"the page at offset {position} exceeds {max_bytes:,} bytes",
                    )
                elif not body.strip():
                    yield Reject(
                        warc.path,
                        url,
                        "read",
                        "empty",
                        f"the response at offset {position} has no body",
                    )
                else:
                    yield Item(
                        origin=warc.path,
                        url=url,
                        body=body,
                        charset=charset,
                        hints={"warc_offset": position},
                    )
            end = warc.end if warc.end >= 0 else _size(warc.path)
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
