"""`newsbeam stream`: latency from a file landing in the inbox to its row being readable, and
memory over a long run with a steady trickle of files.

    python -m bench.stream_latency [--files 50] [--minutes 5] [--poll-interval 60]

Starts `newsbeam stream` on an empty inbox, then drops FILES real-sized pages at random moments
over MINUTES (each written under a temporary name and renamed in, as a downloader does). A
reader polls the committed tables every half second and notes when each file's row is first
readable (as an article, a duplicate or a reject). At the end the stream is stopped with SIGTERM
and every file must be in the tables exactly once. Reports the median and maximum latency (the
target: under the poll interval plus 30 s) and the memory of the stream's process tree (summed
PSS) after its first batch and at the end.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pyarrow.parquet as pq

from bench.common import distinct_page, newsbeam_command, real_pages, tree_rss


class _TableWatcher(threading.Thread):
    """Notes when each origin first appears in a committed file of the output's tables: a file
    ends as an article, a duplicate (the benchmark's real pages include a few syndicated copies)
    or a reject, and any of those rows makes it readable."""

    def __init__(self, output: Path) -> None:
        super().__init__(daemon=True)
        self.output = output
        self.seen: dict[str, float] = {}
        self.rows: dict[str, int] = {}
        self._read: set[Path] = set()
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            self.scan()
            self._halt.wait(0.5)

    def scan(self) -> None:
        now = time.time()
        tables = ("articles", "duplicates", "rejects")
        for path in sorted(p for t in tables for p in (self.output / t).glob("**/*.parquet")):
            if path in self._read:
                continue
            self._read.add(path)
            for origin in pq.read_table(path, columns=["origin"]).column("origin").to_pylist():
                self.seen.setdefault(origin, now)
                self.rows[origin] = self.rows.get(origin, 0) + 1

    def stop(self) -> None:
        self._halt.set()
        self.join()
        self.scan()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--poll-interval", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=None, help="default: a new one each run")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**31)
    rng = random.Random(seed)
    pages = real_pages()
    span = args.minutes * 60
    moments = sorted(rng.uniform(0, span) for _ in range(args.files))
    with tempfile.TemporaryDirectory() as scratch:
        inbox, output = Path(scratch) / "inbox", Path(scratch) / "out"
        inbox.mkdir()
        command = newsbeam_command(
            "stream",
            "--inbox",
            str(inbox),
            "--output",
            str(output),
            "--poll-interval",
            str(args.poll_interval),
            "--quiet",
        )
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        watcher = _TableWatcher(output)
        watcher.start()
        memory: list[tuple[float, int]] = []
        landed: dict[str, float] = {}
        started = time.time()
        for number, moment in enumerate(moments):
            while time.time() - started < moment:
                memory.append((time.time() - started, tree_rss(process.pid)))
                time.sleep(min(1.0, max(0.0, moment - (time.time() - started))))
            final = inbox / f"story-{number:04d}.html"
            temporary = inbox / f".story-{number:04d}.html.part"
            temporary.write_text(distinct_page(pages, number * 7 + seed % 181), encoding="utf-8")
            os.rename(temporary, final)
            landed[str(final)] = time.time()
        # Every file gets the time it needs: at most two poll intervals and a minute more.
        deadline = time.time() + 2 * args.poll_interval + 60
        while time.time() < deadline and not set(landed) <= set(watcher.seen):
            memory.append((time.time() - started, tree_rss(process.pid)))
            time.sleep(1.0)
        end_memory = tree_rss(process.pid)
        process.send_signal(signal.SIGTERM)
        _stdout, stderr = process.communicate(timeout=600)
        watcher.stop()
    missing = sorted(set(landed) - set(watcher.seen))
    doubled = sorted(origin for origin, count in watcher.rows.items() if count > 1)
    latencies = [watcher.seen[path] - landed[path] for path in landed if path in watcher.seen]
    first_batch = next((m for t, m in memory if t >= args.poll_interval), memory[-1][1])
    print(
        f"command: python -m bench.stream_latency --files {args.files} --minutes {args.minutes} "
        f"--poll-interval {args.poll_interval:g} --seed {seed}"
    )
    print(
        f"{len(landed)} files dropped at random moments over {args.minutes:g} min; "
        f"stream exit status {process.returncode}"
    )
    if latencies:
        print(
            f"latency file landed -> row readable: median {statistics.median(latencies):.1f} s, "
            f"max {max(latencies):.1f} s (target under {args.poll_interval + 30:g} s)"
        )
    print(f"missing {len(missing)}, doubled {len(doubled)}")
    print(
        f"memory of the stream's process tree (summed PSS): after the first poll interval "
        f"{first_batch / 2**20:,.0f} MiB, at the end {end_memory / 2**20:,.0f} MiB, "
        f"peak {max(m for _, m in memory) / 2**20:,.0f} MiB"
    )
    if process.returncode != 0:
        print(stderr.decode(errors="replace")[-1500:])


if __name__ == "__main__":
    main()
