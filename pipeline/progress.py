"""Progress while a local run works: a bar on a terminal, a line every few seconds elsewhere
(logs, cron mail). The counts come from the running counters every process writes
(transforms/progress.py); the total is known when the inbox holds only page files, one input
each, and then the display gives a rate and the time left.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from typing import TextIO

from apache_beam.io.filesystems import FileSystems

from newsbeam.transforms.inbox import classify, expand_inbox_path
from newsbeam.transforms.progress import PROGRESS_DIR_ENV, read_progress

__all__ = ["inbox_total", "progress_line", "show_progress"]

_BAR = 24


def inbox_total(inbox: list[str], has_feeds: bool) -> int | None:
    """How many inputs a run over these inbox paths has, when that is known before reading:
    only local page files (one input each; JSONL, feed and WARC files hold an unknown number,
    feeds are polled) and no feeds. None otherwise."""
    if has_feeds or not inbox or any("://" in path for path in inbox):
        return None
    total = 0
    for path in inbox:
        for meta in FileSystems.match([expand_inbox_path(path)])[0].metadata_list:
            if classify(meta.path)[0] != "page":
                return None
            total += 1
    return total or None


def progress_line(
    counts: Mapping[str, int], total: int | None, seconds: float, bar: bool = False
) -> str:
    """One progress report: done so far (of the total, when known), the rate since the first
    input was read, and the time left. `seconds` is the time since that first input."""
    done = max(counts.get("inputs", 0), counts.get("extracted", 0)) + counts.get("skipped", 0)
    extracted, rejected = counts.get("extracted", 0), counts.get("extract_rejected", 0)
    rate = done / seconds if seconds > 0 else 0.0
    parts, prefix = [], "newsbeam: "
    if total:
        done = min(done, total)
        share = done / total
        if bar:
            filled = round(share * _BAR)
            prefix += "[" + "#" * filled + "." * (_BAR - filled) + "] "
        parts.append(f"{done:,}/{total:,} inputs ({share:.0%})")
    else:
        parts.append(f"{done:,} inputs so far")
    parts.append(f"{extracted:,} extracted, {rejected:,} rejected at extraction")
    if counts.get("skipped"):
        parts.append(f"{counts['skipped']:,} skipped")
    if rate:
        parts.append(f"{rate:,.1f}/s")
        if total and done < total:
            parts.append(f"about {_duration((total - done) / rate)} left")
    return prefix + ", ".join(parts)


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


@contextlib.contextmanager
def show_progress(
    user: TextIO, total: int | None, quiet: bool, every: float = 5.0
) -> Iterator[None]:
    """Report progress on `user` while the block runs; nothing with --quiet. On a terminal one
    line is redrawn every second; elsewhere a line is printed every `every` seconds when the
    counts changed."""
    if quiet:
        yield
        return
    directory = tempfile.mkdtemp(prefix="newsbeam-progress-")
    os.environ[PROGRESS_DIR_ENV] = directory
    stop = threading.Event()
    terminal = user.isatty()

    def report() -> None:
        shown: dict[str, int] = {}
        first = None
        while not stop.wait(1.0 if terminal else every):
            counts = dict(read_progress(directory))
            if not any(counts.get(n) for n in ("inputs", "extracted", "skipped")):
                continue
            first = first or time.monotonic() - (1.0 if terminal else every)
            if counts == shown and not terminal:
                continue
            shown = counts
            line = progress_line(counts, total, time.monotonic() - first, bar=terminal)
            if terminal:
                user.write("\r" + line[: shutil.get_terminal_size().columns - 1] + "\x1b[K")
                user.flush()
            else:
                print(line, file=user)
        if terminal and first is not None:
            user.write("\r\x1b[K")  # the summary takes the bar's place
            user.flush()

    reporter = threading.Thread(target=report, name="newsbeam-progress", daemon=True)
    reporter.start()
    try:
        yield
    finally:
        stop.set()
        reporter.join()
        os.environ.pop(PROGRESS_DIR_ENV, None)
        shutil.rmtree(directory, ignore_errors=True)
