"""Run every benchmark and rewrite bench/BENCHMARKS.md with their figures.

    python -m bench.run_all              # everything but the slow ones (tens of minutes)
    python -m bench.run_all --with-slow  # and the slow ones (a 30-minute stream, 50k big pages,
                                         # the interrupt trial, 5,000 generated pages)
    python -m bench.run_all --only fetch_throughput tagging_eval

Each benchmark prints its own command and reports ratios against a baseline measured in the same
run (these machines are noisy); this runner only collects their output, with the machine and
the date, into one file.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent

# name -> (module, arguments, what it measures)
BENCHMARKS = {
    "e2e_throughput": ("bench.e2e_throughput", ["--pages", "1000"],
                       "newsbeam ingest vs a bare trafilatura loop; CPU by step; peak memory"),
    "e2e_throughput_5k": ("bench.e2e_throughput", ["--pages", "5000"],
                          "the same on 5,000 pages: start-up weighs less"),
    "small_batch": ("bench.small_batch", ["--pages", "800"],
                    "a small batch of generated 60 KB site pages: newsbeam vs the plain loops, "
                    "launcher CPU, first page, overhead"),
    "small_batch_200": ("bench.small_batch", ["--pages", "200"],
                        "the same on 200 pages: how start-up weighs on fewer pages"),
    "small_batch_5k": ("bench.small_batch", ["--pages", "5000"],
                       "the same on 5,000 pages: the extract() loop target's size (slow)"),
    "extraction_modes": ("bench.extraction_modes", [],
                         "trafilatura settings: F1 and CPU on the extraction benchmark"),
    "metadata_quality": ("bench.metadata_quality", [],
                         "titles, times and authors on pages labelled by reading them"),
    "author_search": ("bench.author_search", [],
                      "the author search in the page body: newsbeam's against trafilatura's"),
    "fetch_throughput": ("bench.fetch_throughput", [],
                         "feeds: 500 pages on 20 hosts with 100 ms latency, end to end"),
    "feeds_timeout": ("bench.feeds_timeout", [],
                      "a run whose 50 feeds (10 hosts) all stall: bounded by the timeouts"),
    "tagging_eval": ("bench.tagging_eval", [], "tagging precision and recall per topic"),
    "tagging_speed": ("bench.tagging_speed", [], "tagging cost against extraction"),
    "tagging_real": (
        "bench.tagging_real",
        ["--show", "0"],
        "tagging on real pages labelled by reading (development set)",
    ),
    "tagging_web": (
        "bench.tagging_web",
        ["--show", "0"],
        "tagging on news excerpts in 28 languages labelled by reading (texts outside the repo)",
    ),
    "dedup_quality": ("bench.dedup_quality", [], "near-duplicate pair precision and recall"),
    "dedup_scale": ("bench.dedup_scale", [], "dedup time per article and memory at scale"),
    "warc_throughput": ("bench.warc_throughput", ["--gib", "1.0"],
                        "a 1 GiB CC-NEWS-like WARC against the same pages as HTML files"),
    "memory_inbox": ("bench.memory_inbox", ["--sizes", "10000", "50000"],
                     "peak memory of 10k and 50k-page inbox runs"),
    "memory_inbox_real": ("bench.memory_inbox", ["--sizes", "20000", "--real-size"],
                          "peak memory of a 20k-page inbox run of real-sized pages"),
    "memory_inbox_real_50k": ("bench.memory_inbox", ["--sizes", "50000", "--real-size"],
                              "the same with 50k real-sized pages (slow: about 12 minutes)"),
    "peer_newspaper": ("bench.peer_newspaper", [],
                       "a peer (newspaper4k) on the same pages: F1 and pages per second"),
    "stream_latency": ("bench.stream_latency", ["--files", "50", "--minutes", "5"],
                       "newsbeam stream: from a file landing to its row, over 50 files"),
    "stream_memory_30min": ("bench.stream_latency", ["--files", "300", "--minutes", "30"],
                            "newsbeam stream for 30 minutes with a steady trickle: memory"),
    "interrupt_trial": ("bench.interrupt_trial", ["--pages", "1000", "--trials", "20"],
                        "Ctrl-C and SIGTERM at random moments of a 1,000-page ingest (slow: "
                        "about 40 minutes)"),
}  # fmt: skip


# Sections written by hand that a run keeps as they are, after the benchmarks' own.
KEPT = {"history": "what each change did to the figures: before and after, with the commands"}

# Left out of a plain `python -m bench.run_all` (add --with-slow, or name them with --only).
SLOW = {"stream_memory_30min", "memory_inbox_real_50k", "interrupt_trial", "small_batch_5k"}


def _machine() -> str:
    cpus = os.cpu_count()
    memory = ""
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            kib = int(handle.readline().split()[1])
        memory = f", {kib / 2**20:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{platform.machine()}, {cpus} CPUs{memory}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", choices=sorted(BENCHMARKS))
    parser.add_argument("--with-slow", action="store_true", help=f"also run {sorted(SLOW)}")
    args = parser.parse_args()
    chosen = args.only or [n for n in BENCHMARKS if args.with_slow or n not in SLOW]
    sections: dict[str, str] = {}
    for name in chosen:
        module, arguments, what = BENCHMARKS[name]
        command = [sys.executable, "-m", module, *arguments]
        print(f"running {name} ...", file=sys.stderr)
        started = time.perf_counter()
        done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        finished = datetime.now(timezone.utc).strftime("%Y-%m-%d")
        output = done.stdout.strip() or "(no output)"
        if done.returncode != 0:
            output += f"\n\nFAILED (status {done.returncode}):\n{done.stderr.strip()[-2000:]}"
        sections[name] = (
            f"## {name}: {what}\n\n`python -m {module} {' '.join(arguments)}`".rstrip()
            + f" ({seconds:.0f} s, run on {finished})\n\n```\n{output}\n```\n"
        )
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    header = (
        "# Benchmarks\n\n"
        f"Written by `python -m bench.run_all` on {now}; machine: {_machine()}.\n"
        "A section run on an earlier date (`--only` ran the others) comes from that day's\n"
        "machine, of the same kind.\n"
        "Figures are ratios against a baseline measured in the same run wherever one applies.\n"
    )
    target = BENCH / "BENCHMARKS.md"
    if target.exists():
        # Keep the sections of benchmarks that did not run; replace those that did.
        old = target.read_text(encoding="utf-8").split("\n## ")
        for part in old[1:]:
            name = part.split(":", 1)[0]
            if name in BENCHMARKS or name in KEPT:
                sections.setdefault(name, f"## {part.rstrip()}\n")
    ordered = [sections[name] for name in [*BENCHMARKS, *KEPT] if name in sections]
    target.write_text(header + "\n" + "\n".join(ordered), encoding="utf-8")
    print(f"wrote {target}", file=sys.stderr)


if __name__ == "__main__":
    main()
