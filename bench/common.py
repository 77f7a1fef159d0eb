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
from collections.abc import Callable
from dataclasses import dataclass
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
        extract_article,
        process_language_identifier,
    )

    identifier = process_language_identifier()
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


@dataclass
class Measured:
    """A finished command: its wall time, the peak memory of its process tree, its output, and
    the CPU (user + system) the process used itself and the CPU of the children it waited for
    (for `newsbeam`: the launcher, and its extraction processes)."""

    started: float  # time.perf_counter() when it was started
    seconds: float
    peak: int
    stdout: str
    stderr: str
    status: int
    own_cpu: float | None  # None where /proc does not say
    children_cpu: float | None


def process_cpu(pid: int) -> tuple[float | None, float | None]:
    """(own, waited-for children's) CPU seconds of a process, running or exited and not yet
    reaped; (None, None) where /proc does not say."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None, None
    tick = os.sysconf("SC_CLK_TCK")
    # utime, stime, cutime, cstime: fields 14-17 of proc(5), counted after the name here.
    utime, stime, cutime, cstime = (int(value) / tick for value in fields[11:15])
    return utime + stime, cutime + cstime


def run_profiled(
    command: list[str],
    interval: float = 0.25,
    env: dict[str, str] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> Measured:
    """Run a command, sampling its tree's memory every `interval` seconds; `on_start` gets its
    pid as soon as it runs. Its own and its children's CPU are read once it has exited and
    before it is reaped (the kernel keeps them until then), so nothing inside the command needs
    to report them."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    if on_start is not None:
        on_start(process.pid)
    output: dict[str, str] = {}
    readers = [
        threading.Thread(target=lambda n=name, s=stream: output.__setitem__(n, s.read()))
        for name, stream in (("stdout", process.stdout), ("stderr", process.stderr))
    ]
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss(process.pid))
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    for thread in [*readers, sampler]:
        thread.start()
    os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOWAIT)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    own, children = process_cpu(process.pid)
    status = process.wait()
    for thread in readers:
        thread.join()
    return Measured(
        started, seconds, peak[0], output["stdout"], output["stderr"], status, own, children
    )


def run_measured(command: list[str], interval: float = 0.25) -> tuple[float, int, str, str, int]:
    """Run a command; returns (seconds, peak RSS of its process tree, stdout, stderr, status)."""
    run = run_profiled(command, interval)
    return run.seconds, run.peak, run.stdout, run.stderr, run.status


def extract_loop(paths: list[Path], metadata: bool = False) -> float:
    """Seconds of the loop a user would write: read each file, call trafilatura on it in this
    process. `extract()` with defaults, or with `metadata` what the articles table's columns
    need, `bare_extraction(with_metadata=True)`."""
    import trafilatura

    started = time.perf_counter()
    for path in paths:
        html = path.read_text(encoding="utf-8")
        if metadata:
            trafilatura.bare_extraction(html, with_metadata=True)
        else:
            trafilatura.extract(html)
    return time.perf_counter() - started


def stage_parts(cli_args: list[str]) -> str:
    """The same CLI run again under bench/stage_timeline.py: its "wall time by part" lines, or
    why there are none."""
    command = [sys.executable, "-m", "bench.stage_timeline", *cli_args]
    stderr = subprocess.run(command, capture_output=True, text=True, check=False, cwd=REPO).stderr
    found = stderr.find("wall time by part")
    return stderr[found:].strip() if found >= 0 else f"not timed: {stderr.strip()[-300:]}"


def newsbeam_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsbeam.pipeline.cli", *args]
