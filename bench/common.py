"""Helpers the benchmarks share: real pages, peak memory of a process tree, the CLI."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("NEWSBEAM_SHARED_DATA", REPO.parent / "shared" / "data"))
BENCHMARK_PAGES = DATA / "extraction-benchmark" / "html"


def real_pages() -> list[str]:
    """The extraction benchmark's 181 real news pages, read in place."""
    if not BENCHMARK_PAGES.is_dir():
        sys.exit(f"the shared data is missing: expected {BENCHMARK_PAGES}")
    return [
        gzip.decompress(path.read_bytes()).decode("utf-8")
        for path in sorted(BENCHMARK_PAGES.glob("*.html.gz"))
    ]


def benchmark_pages_and_truth() -> tuple[dict[str, str], dict[str, str]]:
    """The extraction benchmark's pages ({name: html}) and its ground truth ({name: body})."""
    truth_file = BENCHMARK_PAGES.parent / "ground-truth.json"
    truth = {k: v["articleBody"] for k, v in json.loads(truth_file.read_text()).items()}
    names = [p.name.removesuffix(".html.gz") for p in sorted(BENCHMARK_PAGES.glob("*.html.gz"))]
    return dict(zip(names, real_pages(), strict=True)), truth


def newsbeam_texts(pages: dict[str, str], mode: str) -> tuple[dict[str, str], float]:
    """The text newsbeam extracts from each page with `--extraction-mode mode` (pages without an
    article left out), and the CPU seconds it took in this process."""
    from newsbeam.pipeline.build import extraction_settings
    from newsbeam.transforms.extract import (
        ExtractionError,
        _language_identifier,
        extract_article,
    )

    identifier = _language_identifier()
    settings = extraction_settings(mode)
    texts: dict[str, str] = {}
    started = time.process_time()
    for key, html in pages.items():
        with contextlib.suppress(ExtractionError):
            texts[key] = extract_article(
                html, url=None, origin=key, settings=settings, language_identifier=identifier
            )["text"]
    return texts, time.process_time() - started


_SEGMENTS = re.compile(r"(<script\b.*?</script>|<style\b.*?</style>|<[^>]*>)", re.S | re.I)
_LETTERS = re.compile(r"(?<![&#\w])[A-Za-z]+")


def _shift(word: str, by: int) -> str:
    return "".join(
        chr((ord(c) - base + by) % 26 + base)
        for c in word
        for base in ((97,) if c.islower() else (65,))
    )


def distinct_page(pages: list[str], number: int) -> str:
    """Page `number`: real page `number % 181`, its text letters shifted by `number // 181`
    places, modulo 25, then spelt backwards from the 26th copy (markup, scripts and entities
    untouched), and its own canonical URL. Up to 9,050 pages, the copies are different texts of
    the same shape, so each costs what the real page costs to extract; only the benchmark's own
    syndicated copies (a few percent) remain duplicates."""
    html = pages[number % len(pages)]
    # Copy k of a page shifts by k places, cycling through 1..25 (a shift of 26 is no shift);
    # from the 26th copy on, each word is also spelt backwards: 50 different texts per page.
    copy = number // len(pages)
    by = (copy - 1) % 25 + 1 if copy else 0
    backwards = copy > 25

    def change(word: str) -> str:
        shifted = _shift(word, by)
        return shifted[::-1] if backwards else shifted

    if by:
        parts = _SEGMENTS.split(html)
        html = "".join(
            part if index % 2 else _LETTERS.sub(lambda m: change(m.group(0)), part)
            for index, part in enumerate(parts)
        )
    marker = (
        f'<link rel="canonical" href="https://bench.example/story/{number}">'
        f"<meta name='bench-id' content='{number}'>"
    )
    return html.replace("<head>", "<head>" + marker, 1) if "<head>" in html else marker + html


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def _rss_bytes(pid: int) -> int:
    """The memory a process holds: its proportional set size (pages shared with other processes,
    as forked extraction processes share their parent's, counted in parts), else its RSS."""
    for path, field in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            with open(path, encoding="utf-8") as handle:
                for line in handle:
                    if line.startswith(field):
                        return int(line.split()[1]) * 1024
        except OSError:
            continue
    return 0


def tree_rss(pid: int) -> int:
    """Memory of a process and all its descendants, in bytes: the sum of their proportional set
    sizes, so that memory forked processes share is counted once."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += _rss_bytes(current)
        stack.extend(_children(current))
    return total


def run_measured(command: list[str], interval: float = 0.25) -> tuple[float, int, str, str, int]:
    """Run a command; returns (seconds, peak RSS of its process tree, stdout, stderr, status)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss(process.pid))
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    return seconds, peak[0], stdout, stderr, process.returncode


def newsbeam_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsbeam.pipeline.cli", *args]
