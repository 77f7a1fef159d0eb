"""A small batch, as a user who ingests a few hundred pages at a time runs it: `newsbeam ingest`
through its command line against the plain trafilatura loops, on the same generated pages.

    python -m bench.small_batch [--pages 800] [--page-kb 60] [--menu-links 400] [--seed 0]
                                [--loops both|extract]

Writes N distinct article pages of a news site's layout (bench/site_pages.py: a menu of
`--menu-links` links, breadcrumb, article, teasers, footer, inline styles and scripts, JSON-LD on
some sites) into an inbox, then times, in the same run: a one-process loop of
`trafilatura.bare_extraction(html, with_metadata=True)` (what the articles table's columns
need), a loop of `trafilatura.extract(html)` with defaults, and `newsbeam ingest --inbox ...
--output ... --quiet` with its defaults (start-up included). Each loop runs before and after
newsbeam and counts as the mean of the two (the machine's speed drifts). `--loops extract`
runs only the `extract()` loop (the baseline of the 5,000-page target), which halves the
loops' time.

From outside the CLI it also measures the launcher's own CPU (the `newsbeam` process, without
the extraction processes it waits for: read from /proc once it has exited, before it is reaped)
and the time from start to the first page an extraction process extracted and to the first
page the extraction step emitted (the running counts every process writes into
`NEWSBEAM_PROGRESS_DIR`, see transforms/progress.py, polled here; `--quiet` leaves the variable
as given), with the launcher's CPU at the second. It profiles newsbeam's pure steps
in this process (bench/e2e_throughput.py `profile_steps`) and prints how much more CPU the run
used than they cost, then runs the CLI once more under bench/stage_timeline.py for where the
wall time goes and the launcher's CPU until the extraction stage, split. The machine's load
average is printed beside the figures.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
from pathlib import Path

from bench.common import (
    extract_loop,
    newsbeam_command,
    process_cpu,
    run_profiled,
    stage_parts,
)
from bench.e2e_throughput import profile_steps
from bench.site_pages import write_pages

# How often the bench reads the progress files, and how often each process may rewrite its
# own (transforms/progress.py; 2 s by default): together the resolution of the first page.
_POLL_SECONDS = 0.01
_PROGRESS_EVERY = "0.05"


class FirstPage:
    """Watches a progress folder: until an extraction process reports the first page it
    extracted (`pages_worked`), and until the launcher's extraction step emits its first page
    (`extracted`), taking the launcher's CPU at that moment (its start-up's). Prefetched pages
    (pipeline/build.py `prefetch_inbox`) are extracted before the step reaches them."""

    def __init__(self, directory: str) -> None:
        # Imported here, before the run starts: importing Beam takes a core for a second.
        from newsbeam.transforms.progress import read_progress

        self._read = read_progress
        self.directory = directory
        self.worked_at: float | None = None  # time.perf_counter() of a process's first page
        self.seen_at: float | None = None  # time.perf_counter() of the step's first page
        self.launcher_cpu: float | None = None  # the launcher's own CPU seconds by then
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, pid: int) -> None:
        self._thread = threading.Thread(target=self._watch, args=(pid,), daemon=True)
        self._thread.start()

    def _watch(self, pid: int) -> None:
        while not self._stop.wait(_POLL_SECONDS):
            counts = self._read(self.directory)
            if self.worked_at is None and counts.get("pages_worked", 0) > 0:
                self.worked_at = time.perf_counter()
            if counts.get("extracted", 0) > 0:
                self.seen_at = time.perf_counter()
                self.worked_at = self.worked_at or self.seen_at  # one process extracts it all
                self.launcher_cpu = process_cpu(pid)[0]
                return

    def __enter__(self) -> FirstPage:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()


def _loop(paths: list[Path], metadata: bool, cpu: dict[bool, list[float]]) -> float:
    """`extract_loop`'s seconds; its CPU seconds are added to `cpu[metadata]`."""
    started = time.process_time()
    seconds = extract_loop(paths, metadata=metadata)
    cpu[metadata].append(time.process_time() - started)
    return seconds


def _ratio_line(name: str, baseline: float, newsbeam: float, target: str) -> str:
    return f"newsbeam / {name}: {baseline / newsbeam:.2f}x ({target})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=800)
    parser.add_argument("--page-kb", type=float, default=60)
    parser.add_argument("--menu-links", type=int, default=400)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--loops",
        choices=("both", "extract"),
        default="both",
        help="the plain loops to time: both, or only extract() (the 5,000-page target's)",
    )
    args = parser.parse_args()
    both = args.loops == "both"
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        paths = write_pages(root / "inbox", args.pages, args.seed, args.page_kb, args.menu_links)
        page_bytes = sum(path.stat().st_size for path in paths) / len(paths)

        extract_loop(paths[:20], metadata=True)  # trafilatura's lazy set-up, untimed
        # Other processes on these cores slow the two-process run more than the one-process
        # loops: the load is printed so a reader can tell a busy machine's figures.
        loads = [os.getloadavg()[0]]
        cpu: dict[bool, list[float]] = {True: [], False: []}  # metadata? -> CPU of each loop
        metadata_before = _loop(paths, True, cpu) if both else None
        extract_before = _loop(paths, False, cpu)

        progress = root / "progress"
        progress.mkdir()
        env = {
            **os.environ,
            "NEWSBEAM_PROGRESS_DIR": str(progress),
            "NEWSBEAM_PROGRESS_EVERY": _PROGRESS_EVERY,
        }
        command = newsbeam_command(
            "ingest", "--inbox", str(root / "inbox"), "--output", str(root / "out"), "--quiet"
        )
        with FirstPage(str(progress)) as first:
            run = run_profiled(command, env=env, on_start=first.start)
        loads.append(os.getloadavg()[0])
        if run.status != 0:
            raise SystemExit(f"newsbeam failed: {run.stderr.strip()[-2000:]}")

        extract_after = _loop(paths, False, cpu)
        metadata_after = _loop(paths, True, cpu) if both else None
        timed = ["ingest", "--inbox", str(root / "inbox"), "--output", str(root / "timed")]
        parts = stage_parts([*timed, "--quiet"])
        profiled = paths[: min(len(paths), 200)]
        steps = profile_steps(profiled)
        loads.append(os.getloadavg()[0])

    metadata_loop = (metadata_before + metadata_after) / 2 if both else None
    plain_loop = (extract_before + extract_after) / 2
    pages = args.pages
    print(run.stdout.strip())
    print(
        f"\ncommand: python -m bench.small_batch --pages {pages} --page-kb {args.page_kb:g} "
        f"--menu-links {args.menu_links} --seed {args.seed}" + ("" if both else " --loops extract")
    )
    print(
        f"{pages} generated pages of {page_bytes / 1024:.1f} KiB on average "
        f"(menu of {args.menu_links} links); {os.cpu_count()} CPUs; newsbeam with its "
        "default extraction processes (one per core locally)"
    )
    print(
        "load average (1 min, all processes on the machine) before the timed runs, after "
        f"newsbeam's, at the end: {', '.join(f'{load:.1f}' for load in loads)}"
    )
    if metadata_loop is not None:
        print(
            f"(a) bare_extraction(with_metadata=True) loop, 1 process: {metadata_loop:.1f} s = "
            f"{pages / metadata_loop:.1f} pages/s (mean of {metadata_before:.1f} s before "
            f"newsbeam's run and {metadata_after:.1f} s after)"
        )
    print(
        f"(b) extract() loop with defaults, 1 process:            {plain_loop:.1f} s = "
        f"{pages / plain_loop:.1f} pages/s (mean of {extract_before:.1f} s and "
        f"{extract_after:.1f} s)"
    )
    print(
        f"newsbeam ingest (start-up included):                    {run.seconds:.1f} s = "
        f"{pages / run.seconds:.1f} pages/s"
    )
    if metadata_loop is not None:
        print(_ratio_line("(a)", metadata_loop, run.seconds, "target >= 1.5x at 800 pages"))
    print(_ratio_line("(b)", plain_loop, run.seconds, "target >= 1.8x at 5,000 pages"))
    if run.own_cpu is None or run.children_cpu is None:
        print("launcher CPU: not measured (no /proc on this machine)")
    else:
        print(
            f"launcher CPU (the newsbeam process, not its extraction processes): "
            f"{run.own_cpu:.1f} s = {1000 * run.own_cpu / pages:.2f} ms per input page "
            f"(target <= 1 ms); its extraction processes: {run.children_cpu:.1f} s; "
            f"whole run {run.own_cpu + run.children_cpu:.1f} s"
        )
        if first.launcher_cpu is not None:
            after = run.own_cpu - first.launcher_cpu
            print(
                f"  of which until the extraction step emitted its first page (start-up and all "
                f"before it): "
                f"{first.launcher_cpu:.1f} s; after it: {after:.1f} s = "
                f"{1000 * after / pages:.2f} ms per input page"
            )
        # CPU per page does not depend on the machine's load as much as wall time does.
        run_cpu = run.own_cpu + run.children_cpu
        loop = "(a)" if both else "(b)"
        loop_cpu = sum(cpu[both]) / len(cpu[both])
        loop_a = f"loop (a) {1000 * loop_cpu / pages:.1f} ms, " if both else ""
        print(
            f"CPU per page: {loop_a}loop (b) "
            f"{1000 * sum(cpu[False]) / len(cpu[False]) / pages:.1f} ms, newsbeam "
            f"{1000 * run_cpu / pages:.1f} ms; so on {os.cpu_count()} idle cores newsbeam "
            f"could reach at most {os.cpu_count() * loop_cpu / run_cpu:.2f}x loop {loop}"
        )
    if first.seen_at is None:
        print(
            "first extracted page: not seen (no process wrote an `extracted` count into "
            "NEWSBEAM_PROGRESS_DIR)"
        )
    else:
        print(
            f"time from start to the first extracted page: {first.worked_at - run.started:.2f} s "
            f"(target <= 1.5 s); to the first page the extraction step emitted: "
            f"{first.seen_at - run.started:.2f} s (as reported in the progress files, written at "
            f"most every {_PROGRESS_EVERY} s per process and read every {_POLL_SECONDS} s)"
        )
    print(f"peak memory of the newsbeam process tree (summed PSS): {run.peak / 2**20:.0f} MiB")
    total = sum(steps.values())
    print(
        f"CPU of newsbeam's pure steps, one process, {len(profiled)} pages (total {total:.1f} s "
        f"= {1000 * total / len(profiled):.1f} ms a page; the rest of the run's CPU is overhead):"
    )
    for name, value in steps.items():
        print(f"  {name:<45} {value:6.2f} s  {1000 * value / len(profiled):6.2f} ms a page")
    if run.own_cpu is not None and run.children_cpu is not None:
        work = total / len(profiled) * pages
        print(
            f"overhead: the run used {run_cpu:.1f} s of CPU where its pure steps cost "
            f"{work:.1f} s for {pages} pages in one process (the profile above, scaled): "
            f"{run_cpu - work:.1f} s more "
            f"({(run_cpu - work) / run_cpu:.0%} of the run's CPU)"
        )
    print("where the wall time goes, the same run again: " + parts)


if __name__ == "__main__":
    main()
