"""ReadInbox: match the inbox paths, skip files an earlier run handled, and read each file into
`Item`s (one per page file, one per JSONL line), or `Reject`s.

A page file becomes an `Item` that names it (`page_to_read`): its bytes are read by the
extraction step (`read_page`), in the process that extracts it, rather than here.

Inboxes are matched with Beam's FileSystems, and remote files read through them, so `gs://`
inboxes work like local ones; local files are read with Python's own I/O (transforms/pagefile.py).
"""

from __future__ import annotations

import glob
import json
import logging
import os
import posixpath
import re
from collections.abc import Iterable, Iterator

import apache_beam as beam
from apache_beam.io.filesystem import FileMetadata
from apache_beam.io.filesystems import FileSystems

from newsbeam.schemas.records import InboxFile, Item, Reject
from newsbeam.transforms.failures import crash_to_reject, guarded
from newsbeam.transforms.feeds import FeedError, entry_records, parse_feed
from newsbeam.transforms.files import special_kind
from newsbeam.transforms.pagefile import (
    classify,
    open_stored,
    page_to_read,
    read_capped,
    read_error,
    read_page,
    read_page_file,
)
from newsbeam.transforms.progress import counter
from newsbeam.transforms.warc import WarcRange, index_warc, read_warc_range

__all__ = [
    "ReadInbox",
    "ReadInboxFiles",
    "broken_links",
    "classify",
    "expand_inbox_path",
    "is_in_progress",
    "is_settled",
    "matched_files",
    "needs_fetch",
    "new_page_files",
    "not_a_regular_file",
    "page_to_read",
    "read_inbox_file",
    "read_page",
]

_LOGGER = logging.getLogger(__name__)

_GLOB_CHARS = re.compile(r"[*?\[]")
# Names of files still being written or left behind by editors and downloaders: not inputs yet.
_IN_PROGRESS = re.compile(r"(^\.|~$|\.(tmp|temp|part|partial|crdownload|download|swp)$)", re.I)


def expand_inbox_path(path: str) -> str:
    """A Beam match pattern for an inbox argument: globs as given, a folder as `folder/**`.

    Remote paths are decided by their name, without listing the bucket (building the pipeline
    must not need credentials): a trailing slash or a name without a known suffix is a folder.
    """
    if _GLOB_CHARS.search(path):
        return path
    if "://" not in path:
        path = os.path.abspath(path)
        return posixpath.join(path, "**") if os.path.isdir(path) else path
    if not path.endswith("/") and classify(path)[0] != "other":
        return path
    return path.rstrip("/") + "/**"


def is_settled(path: str, mtime: float, settled_before: float | None) -> bool:
    """False for a file still being written: a name of one in progress (`is_in_progress`), or
    modified after `settled_before` (seconds since the epoch; None: any time)."""
    return not is_in_progress(path) and (settled_before is None or mtime <= settled_before)


def new_page_files(
    patterns: Iterable[str],
    handled: dict[str, set[str]],
    limit: int,
    settled_before: float | None = None,
) -> list[InboxFile]:
    """Up to `limit` page files (.html, .htm, optionally .gz) among those `ReadInbox` would
    read: matched by `patterns`, settled, regular, and in no version `handled` (path ->
    versions, `index.handled_files`) records."""
    found: dict[str, InboxFile] = {}
    for result in FileSystems.match(list(patterns)):
        for meta in result.metadata_list:
            if len(found) >= limit:
                return list(found.values())
            if not is_settled(meta.path, meta.last_updated_in_seconds, settled_before):
                continue
            file = InboxFile.matched(meta.path, meta.size_in_bytes, meta.last_updated_in_seconds)
            if (
                file.path in found
                or classify(file.path)[0] != "page"
                or file.version in handled.get(file.path, ())
                or not_a_regular_file(file)
            ):
                continue
            found[file.path] = file
    return list(found.values())


def is_in_progress(path: str) -> bool:
    """True for temporary and hidden names that are not (yet) inputs."""
    return bool(_IN_PROGRESS.search(posixpath.basename(path)))


def not_a_regular_file(file: InboxFile) -> str | None:
    """What a local inbox entry is when it is not a regular file (`files.special_kind`): a FIFO,
    a socket, a device. None for a regular file, a file that is gone (its reader reports that),
    and remote files."""
    return None if "://" in file.path else special_kind(file.location)


def _jsonl_line(file: InboxFile, number: int, line: bytes) -> Item | Reject:
    where = f"line {number}"
    try:
        record = json.loads(line)
    except (ValueError, UnicodeDecodeError) as exc:
        return Reject(file.path, None, "parse", "bad-json", f"{where} is not valid JSON ({exc})")
    if not isinstance(record, dict):
        return Reject(file.path, None, "parse", "bad-record", f"{where} is not a JSON object")
    url, html = record.get("url"), record.get("html")
    if not isinstance(url, str) or not url.strip():
        return Reject(file.path, None, "parse", "missing-url", f'{where} has no "url" string')
    if not isinstance(html, str) or not html.strip():
        return Reject(file.path, url, "parse", "missing-html", f'{where} has no "html" string')
    return Item(origin=file.path, url=url.strip(), html=html, hints={"line": number})


def _skip_line(handle, chunk: int = 1 << 16) -> None:
    """Read past the rest of the current line, `chunk` bytes at a time, keeping none of it."""
    while True:
        part = handle.readline(chunk)
        if not part or part.endswith(b"\n"):
            return


def _read_jsonl(file: InboxFile, gzipped: bool, max_bytes: int) -> Iterator[Item | Reject]:
    number = 0
    try:
        with open_stored(file.location, gzipped) as handle:
            while True:
                # At most one byte over the limit is held: a longer line is skipped, not read.
                line = handle.readline(max_bytes + 1)
                if not line:
                    break
                number += 1
                if len(line) > max_bytes:
                    if not line.endswith(b"\n"):
                        _skip_line(handle)
                    yield Reject(
                        file.path,
                        None,
                        "parse",
                        "too-large",
                        f"line {number} exceeds the {max_bytes:,}-byte limit",
                    )
                    continue
                if not line.strip():
                    continue  # blank lines are layout, not inputs
                yield _jsonl_line(file, number, line)
    except Exception as exc:  # the lines read so far stand; the unreadable rest is one reject
        error, detail = read_error(exc)
        yield Reject(file.path, None, "read", error, f"after line {number}: {detail}")


def _read_feed(file: InboxFile, gzipped: bool, max_bytes: int) -> Iterator[Item | Reject]:
    """A feed file's entries, as Items whose pages are still to be fetched."""
    try:
        with open_stored(file.location, gzipped) as handle:
            data = read_capped(handle, max_bytes)
    except Exception as exc:
        error, detail = read_error(exc)
        yield Reject(file.path, None, "read", error, detail)
        return
    if len(data) > max_bytes:
        yield Reject(file.path, None, "read", "too-large", f"the feed exceeds {max_bytes:,} bytes")
        return
    try:
        entries = parse_feed(data)
    except FeedError as exc:
        yield Reject(file.path, None, "parse", exc.error, exc.detail)
        return
    if not entries:
        yield Reject(file.path, None, "parse", "no-entries", "the feed holds no entries")
        return
    yield from entry_records(file.path, entries, None)


def needs_fetch(item: Item) -> bool:
    """True for an Item that names a web page but does not hold it yet (a feed entry)."""
    return item.body is None and item.html is None and item.file is None


def _unit_records(unit: InboxFile | WarcRange, max_bytes: int) -> Iterator[Item | Reject]:
    if isinstance(unit, WarcRange):
        return read_warc_range(unit, max_bytes)
    if classify(unit.path)[0] == "page" and not not_a_regular_file(unit):
        return iter([page_to_read(unit)])
    return read_inbox_file(unit, max_bytes)


def read_inbox_file(file: InboxFile, max_bytes: int) -> Iterator[Item | Reject]:
    """Every input one inbox file holds, as `Item`s, or `Reject`s for what cannot be read."""
    irregular = not_a_regular_file(file)
    if irregular:
        yield Reject(
            file.path, None, "read", "not-a-file", f"{irregular}, not a regular file: not opened"
        )
        return
    kind, gzipped = classify(file.path)
    if kind == "page":
        yield from read_page_file(file, gzipped, max_bytes)
    elif kind == "jsonl":
        yield from _read_jsonl(file, gzipped, max_bytes)
    elif kind == "feed":
        yield from _read_feed(file, gzipped, max_bytes)
    elif kind == "warc":
        for warc_range in index_warc(file.path, raw_path=file.raw_path):
            yield from read_warc_range(warc_range, max_bytes)
    else:
        yield Reject(
            file.path,
            None,
            "read",
            "unsupported-format",
            "not a page (.html, .htm), JSONL (.jsonl), feed or WARC file, optionally .gz",
        )


class _CutWarcFilesFn(beam.DoFn):
    """InboxFile -> the file itself, or for a WARC file the ranges of records it is cut into
    (`index_warc`), so that the ranges, not whole files, are spread over the workers."""

    def __init__(self) -> None:
        self._files = counter("files_read")

    def process(self, file: InboxFile):
        self._files.inc()
        if classify(file.path)[0] == "warc" and not not_a_regular_file(file):
            yield from index_warc(file.path, raw_path=file.raw_path)
        else:
            yield file


class _ReadUnitFn(beam.DoFn):
    """InboxFile or WarcRange -> Items on the main output, Rejects on `rejects`. A page file's
    Item names the file (`page_to_read`): it is read where it is extracted.

    Feed entries read from a feed file are Items still to be fetched: they become inputs only
    once they are known to be new (SkipSeenEntries), everything else is counted here. An
    exception part-way through a file keeps the records read before it and becomes one reject
    for the rest (`guarded`); the count is added once the file is done, so that an exception
    that still escapes (its records are then dropped) is counted once, as its crash reject."""

    REJECTS = "rejects"

    def __init__(self, max_bytes: int) -> None:
        self._max_bytes = max_bytes
        self._inputs = counter("inputs")

    def process(self, unit: InboxFile | WarcRange):
        inputs = 0
        for record in guarded(_unit_records(unit, self._max_bytes), unit, "read"):
            if isinstance(record, Reject) or not needs_fetch(record):
                inputs += 1
            if isinstance(record, Reject):
                yield beam.pvalue.TaggedOutput(self.REJECTS, record)
            else:
                yield record
        self._inputs.inc(inputs)


class ReadInboxFiles(beam.PTransform):
    """InboxFiles -> (items, rejects). WARC files are first cut into ranges of records; the
    files and ranges are then spread over the workers (a Reshuffle of these small records) and
    read where they are extracted: the pages themselves never wait in a shuffle, which on the
    local runner would hold every page of the inbox in memory at once."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__()
        self._max_bytes = max_bytes

    def expand(self, files):
        cut = files | "CutWarcFiles" >> beam.ParDo(_CutWarcFilesFn()).with_exception_handling()
        read = (
            cut.good
            | "SpreadReads" >> beam.Reshuffle()
            | "ReadFiles"
            >> beam.ParDo(_ReadUnitFn(self._max_bytes))
            .with_outputs(_ReadUnitFn.REJECTS, main="items")
            .with_exception_handling()
        )
        crashed = (cut.bad, read.bad) | "MergeCrashes" >> beam.Flatten()
        explained = crashed | "ExplainCrashes" >> beam.Map(
            crash_to_reject("read", counts_as_input=True)
        )
        rejects = (read.rejects, explained) | "MergeRejects" >> beam.Flatten()
        return read.items, rejects


class _SkipHandledFn(beam.DoFn):
    """(path, {new: [InboxFile], seen: [version]}) -> the file, unless a run handled it."""

    def __init__(self) -> None:
        self._skipped = counter("skipped")

    def process(self, element):
        _path, grouped = element
        new = list(grouped["new"])
        if not new:
            return
        if new[0].version in set(grouped["seen"]):
            self._skipped.inc()
            return
        yield new[0]


def _keyed_inbox_file(match) -> tuple[str, InboxFile]:
    """A matched file as (the path it is recorded under, its InboxFile): a name that is not
    UTF-8 is recorded in a form every coder and table accepts (`InboxFile.matched`)."""
    file = InboxFile.matched(match.path, match.size_in_bytes, match.last_updated_in_seconds)
    return file.path, file


def matched_files(pattern: str) -> Iterator[FileMetadata]:
    """The files an inbox pattern matches: Beam's match (`FileSystems.match`, as
    `fileio.MatchAll` makes it; none is no error), and the symbolic links to nothing it leaves
    out (`broken_links`), in one step."""
    [result] = FileSystems.match([pattern])
    yield from result.metadata_list
    yield from broken_links(pattern)


def broken_links(pattern: str) -> Iterator[FileMetadata]:
    """The symbolic links a local inbox pattern matches whose target is missing (or that loop):
    Beam's listing leaves them out without a word, so they are listed here, with size 0 and the
    link's own time, and the read step rejects each (`not_a_regular_file`) instead of the run
    dropping them unseen. Nothing for a remote pattern (object stores have no links)."""
    if "://" in pattern:
        return
    if pattern.endswith("/**") and not _GLOB_CHARS.search(pattern[:-3]):
        links = _links_under(pattern[:-3])  # a folder, as `expand_inbox_path` writes it
    else:
        links = (path for path in glob.iglob(pattern, recursive=True) if os.path.islink(path))
    for path in links:
        try:
            os.stat(path)
            continue  # its target is there: Beam lists it
        except OSError:
            pass
        try:
            yield FileMetadata(path, 0, os.lstat(path).st_mtime)
        except OSError:
            continue  # the link itself is gone meanwhile


def _links_under(folder: str) -> Iterator[str]:
    """Every symbolic link under `folder`, in the folders `os.walk` goes through (a link to a
    folder is not followed), found from the folder entries without a call for each file."""
    pending = [folder]
    while pending:
        try:
            entries = os.scandir(pending.pop())
        except OSError:
            continue
        with entries:
            for entry in entries:
                if entry.is_symlink():
                    yield entry.path
                elif entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)


class ReadInbox(beam.PTransform):
    """(path, version) pairs earlier runs handled -> (items, rejects, files).

    Applied to what earlier runs recorded: the inbox patterns given to the constructor are
    matched, files whose path and version (size, mtime) an earlier run handled are skipped before
    they are opened, and every input in the other files becomes an `Item` or a `Reject`. `files`
    are the files read, for the index this run commits.
    """

    def __init__(
        self, patterns: Iterable[str], max_bytes: int, settled_before: float | None = None
    ) -> None:
        super().__init__()
        self._patterns = list(patterns)
        self._max_bytes = max_bytes
        # Files modified after this time (seconds since the epoch) may still be being written:
        # they are left alone, not recorded, and read by a later run.
        self._settled_before = settled_before

    def expand(self, handled):
        matched = (
            handled.pipeline
            | "ListPatterns" >> beam.Create(self._patterns)
            | "MatchFiles" >> beam.FlatMap(matched_files)
            | "DropInProgress"
            >> beam.Filter(
                lambda m, before: is_settled(m.path, m.last_updated_in_seconds, before),
                self._settled_before,
            )
            | "ToInboxFile" >> beam.Map(_keyed_inbox_file)
        )
        files = (
            {"new": matched, "seen": handled}
            | "JoinHandled" >> beam.CoGroupByKey()
            | "SkipHandled" >> beam.ParDo(_SkipHandledFn())
        )
        items, rejects = files | "ReadFiles" >> ReadInboxFiles(self._max_bytes)
        return items, rejects, files
