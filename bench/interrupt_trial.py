"""Interrupt trial: Ctrl-C and SIGTERM at random moments of a 1,000-page ingest.

Each trial starts `newsbeam ingest` over the same inbox into a fresh output, in its own process
group, waits a random time within one uninterrupted run's duration (re-estimated from each
rerun, as the machine's speed drifts), then sends SIGINT to the
process group (what Ctrl-C in a terminal does) or SIGTERM to the launcher (what a scheduler
does). It records the exit status, the seconds from the signal to the exit, whether the lock was
left behind and whether any extraction process outlived the launcher; then it runs `ingest`
again over the same inbox and output and checks that the rows of the three tables equal the
inputs (nothing lost, nothing doubled).

Run from the repository root:  python -m bench.interrupt_trial [--pages 1000] [--trials 20]
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq

from bench.common import _children, distinct_page, newsbeam_command, real_pages

TABLES = ("articles", "duplicates", "rejects")


def rows(output: Path) -> int:
    return sum(
        pq.ParquetFile(path).metadata.num_rows
        for table in TABLES
        for path in (output / table).glob("*/*.parquet")
    )


def descendants(pid: int) -> list[int]:
    found, stack = [], [pid]
    while stack:
        children = _children(stack.pop())
        found += children
        stack += children
    return found


def one_trial(inbox: Path, output: Path, number: int, delay: float, pages: int) -> dict:
    command = newsbeam_command("ingest", "--inbox", str(inbox), "--output", str(output), "--quiet")
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    time.sleep(delay)  # the random moment of the interrupt
    extractors = descendants(process.pid)
    sent = time.monotonic()
    finished_first = process.poll() is not None
    if finished_first:
        pass  # the run ended before its interrupt: counted apart
    elif number == signal.SIGINT:
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(signal.SIGTERM)
    try:
        _out, err = process.communicate(timeout=60)
        seconds = time.monotonic() - sent
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        _out, err = process.communicate()
        seconds = float("inf")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in extractors):
        time.sleep(0.05)
    orphans = [p for p in extractors if Path(f"/proc/{p}").exists()]
    lock_left = (output / "_state" / "lock").exists()
    started = time.monotonic()
    rerun = subprocess.run(command, capture_output=True, text=True, check=False)
    return {
        "rerun_seconds": time.monotonic() - started,
        "finished_first": finished_first,
        "status": process.returncode,
        "seconds": seconds,
        "lock_left": lock_left,
        "orphans": len(orphans),
        "message": err.decode(errors="replace").strip().splitlines()[-1:] or [""],
        "rerun_status": rerun.returncode,
        "rows": rows(output),
        "pages": pages,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--trials", type=int, default=20, help="per signal")
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args()
    chooser = random.Random(args.seed)
    real = real_pages()
    with tempfile.TemporaryDirectory() as scratch:
        inbox = Path(scratch) / "inbox"
        inbox.mkdir()
        for number in range(args.pages):
            (inbox / f"page-{number:05d}.html").write_text(distinct_page(real, number), "utf-8")
        started = time.monotonic()
        command = newsbeam_command("ingest", "--inbox", str(inbox), "--output")
        subprocess.run(
            [*command, str(Path(scratch) / "timing"), "--quiet"], check=True, capture_output=True
        )
        duration = time.monotonic() - started
        print(f"$ python -m bench.interrupt_trial --pages {args.pages} --trials {args.trials}")
        print(
            f"one uninterrupted run: {duration:.1f} s; interrupts land in 0-{0.9 * duration:.0f} s"
        )
        results: dict[str, list[dict]] = collections.defaultdict(list)
        for trial in range(args.trials):
            for name, number in (("SIGINT", signal.SIGINT), ("SIGTERM", signal.SIGTERM)):
                output = Path(scratch) / f"out-{name}-{trial}"
                delay = chooser.uniform(0.0, 0.9 * duration)
                result = one_trial(inbox, output, number, delay, args.pages)
                results[name].append(result)
                # The window follows the machine's speed now, so that the next interrupts land
                # inside a run as long as the current ones: a rerun after a stop did the whole
                # run again; a run that ended before its interrupt was shorter than the delay.
                if result["status"] == 130:
                    duration = (duration + result["rerun_seconds"]) / 2
                elif result["finished_first"]:
                    duration = min(duration, delay)
                print(
                    f"{name} at {delay:5.1f} s: status {result['status']}, exit after "
                    f"{result['seconds']:.2f} s, lock left {result['lock_left']}, orphans "
                    f"{result['orphans']}, rerun {result['rerun_status']} with "
                    f"{result['rows']}/{args.pages} rows; {result['message'][0][:90]}",
                    flush=True,
                )
        print()
        print(
            "| signal | trials | run ended first | status 130 | slowest exit | locks left | "
            "orphans | reruns with rows = inputs |"
        )
        print("|---|---|---|---|---|---|---|---|")
        for name, found in results.items():
            ok = sum(r["rerun_status"] == 0 and r["rows"] == r["pages"] for r in found)
            interrupted = [r for r in found if not r["finished_first"]]
            print(
                f"| {name} | {len(found)} | {len(found) - len(interrupted)} | "
                f"{sum(r['status'] == 130 for r in interrupted)} of {len(interrupted)} | "
                f"{max((r['seconds'] for r in interrupted), default=0):.2f} s | "
                f"{sum(r['lock_left'] for r in found)} | {sum(r['orphans'] for r in found)} | "
                f"{ok} |"
            )


if __name__ == "__main__":
    main()
