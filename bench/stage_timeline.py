"""Where a `newsbeam ingest` run's wall time goes, stage by stage of Beam's local runner.

    python -m bench.stage_timeline ingest --inbox DIR --output DIR [options]

Runs the CLI in this process with a timer around each stage FnApiRunner executes (a private
method of Beam's runner, patched here for measurement only) and prints the run's time in six
parts: start-up (imports, options, building and optimising the graph, until the first stage
starts; split where the CLI module's imports end and where `Pipeline.run` is called), the
extraction stage (reading, decoding, extracting and tagging run fused in one stage, with the
extraction processes), the dedup stages, the write stages, the other stages, and the rest
(commit, summary and exit), then the CPU the extraction processes and the launcher used, and
the launcher's CPU (all its threads) until the extraction stage started, split at the same
marks and where `build_pipeline` is called and the first stage starts. The CLI starts as the
console script starts it (pipeline/entry.py: the collector and the libraries a run does not
use, around the imports). Used by bench/e2e_throughput.py and bench/small_batch.py (through
bench/common.py `stage_parts`).
"""

from __future__ import annotations

import os
import re
import resource
import sys
import time

STARTED = time.perf_counter()

from newsbeam.pipeline.entry import before_imports  # noqa: E402

before_imports(sys.argv[1:])

import apache_beam as beam  # noqa: E402
from apache_beam.runners.portability.fn_api_runner import fn_runner  # noqa: E402

STAGES: list[tuple[float, float, str]] = []  # (start, seconds, stage name)
MARKS: dict[str, float] = {}  # seconds since the start: "imported", "run" (Pipeline.run called)
# The launcher's CPU seconds (all threads) at a mark: "imported", "build" (build_pipeline
# called), "run", "first stage", "extraction stage" (its first bundle started).
CPU: dict[str, float] = {}
_execute_bundle = fn_runner.FnApiRunner._execute_bundle
_pipeline_run = beam.Pipeline.run


def _marked_run(self, *args, **kwargs):
    MARKS.setdefault("run", time.perf_counter() - STARTED)
    CPU.setdefault("run", time.process_time())
    return _pipeline_run(self, *args, **kwargs)


def _marked_build(build):
    def marked(*args, **kwargs):
        CPU.setdefault("build", time.process_time())
        return build(*args, **kwargs)

    return marked


def _timed(self, runner_execution_context, bundle_context_manager, bundle_input):
    CPU.setdefault("first stage", time.process_time())
    if _part(bundle_context_manager.stage.name) == _PARTS[1]:
        CPU.setdefault("extraction stage", time.process_time())
    begun = time.perf_counter()
    try:
        return _execute_bundle(self, runner_execution_context, bundle_context_manager, bundle_input)
    finally:
        STAGES.append(
            (begun - STARTED, time.perf_counter() - begun, bundle_context_manager.stage.name)
        )


_PARTS = (
    "start-up (imports, options, graph, until the first stage)",
    "extraction stage (read, decode, extract, tag)",
    "dedup stages",
    "write stages",
    "other stages",
    "commit, summary and exit",
)


# A stage's name lists its fused steps: "WriteArticles/...", or "ref_AppliedPTransform_WriteIndex-".
_OUTPUT_WRITES = re.compile(r"Write(Articles|Duplicates|Rejects|Index)\b")


def _part(name: str) -> str:
    if "ExtractInboxArticles" in name or "ExtractFeedArticles" in name:
        return _PARTS[1]
    if "Deduplicate" in name:
        return _PARTS[2]
    if _OUTPUT_WRITES.search(name):
        return _PARTS[3]
    return _PARTS[4]


def _start_up(seconds: float) -> dict[str, float]:
    """The start-up split at the marks: imports, then newsbeam's own work before the graph is
    handed to Beam, then Beam's translation and optimisation until the first stage."""
    imported = min(MARKS.get("imported", seconds), seconds)
    run = min(MARKS.get("run", seconds), seconds)
    return {
        "Python, Beam and the CLI module imported": imported,
        "options, lock, inbox listing, graph built (Pipeline.run)": run - imported,
        "Beam: translating and optimising the graph, first stage": seconds - run,
    }


def _launcher_cpu_lines() -> list[str]:
    """The launcher's CPU until the extraction stage started, split at the marks."""
    parts = (
        ("Python, Beam and the CLI module imported", None, "imported"),
        ("options, lock, extraction processes forked, inbox prefetched", "imported", "build"),
        ("graph built (build_pipeline)", "build", "run"),
        ("Beam: graph to proto, fused into stages, runner set up", "run", "first stage"),
        ("stages before the extraction stage (index, inbox listing)", "first stage", None),
    )
    end = CPU.get("extraction stage")
    if end is None or any(mark not in CPU for mark in ("imported", "build", "run")):
        return ["launcher CPU before the extraction stage: not split (a mark was not reached)"]
    lines = [f"launcher CPU (all its threads) until the extraction stage started: {end:.2f} s"]
    for label, start, stop in parts:
        seconds = CPU.get(stop, end) - (CPU[start] if start else 0.0)
        lines.append(f"  {label:<62} {seconds:5.2f} s")
    return lines


def main() -> None:
    fn_runner.FnApiRunner._execute_bundle = _timed
    beam.Pipeline.run = _marked_run
    from newsbeam.pipeline import cli
    from newsbeam.pipeline.entry import after_imports

    MARKS["imported"] = time.perf_counter() - STARTED
    CPU["imported"] = time.process_time()
    after_imports()
    cli.build_pipeline = _marked_build(cli.build_pipeline)

    try:
        status = cli.main(sys.argv[1:], own_process=True)
    finally:
        total = time.perf_counter() - STARTED
        parts = dict.fromkeys(_PARTS, 0.0)
        parts[_PARTS[0]] = STAGES[0][0] if STAGES else total
        for _start, seconds, name in STAGES:
            parts[_part(name)] += seconds
        parts[_PARTS[-1]] = total - sum(parts.values())
        print(f"wall time by part ({len(STAGES)} stages, {total:.1f} s in all):", file=sys.stderr)
        for label, seconds in parts.items():
            print(f"  {label:<58} {seconds:6.2f} s {seconds / total:6.1%}", file=sys.stderr)
            if label == _PARTS[0]:
                for sub, sub_seconds in _start_up(parts[label]).items():
                    print(f"    {sub:<56} {sub_seconds:6.2f} s", file=sys.stderr)
        # The extraction processes have ended (the pool is shut down in teardown), so their CPU
        # is this process's children's; the launcher's own is everything else.
        launcher = resource.getrusage(resource.RUSAGE_SELF)
        workers = resource.getrusage(resource.RUSAGE_CHILDREN)
        own = launcher.ru_utime + launcher.ru_stime
        extraction = workers.ru_utime + workers.ru_stime
        print(
            f"CPU: extraction processes {extraction:.1f} s, launcher {own:.1f} s; the extraction "
            f"processes' share {extraction / max(own + extraction, 1e-9):.0%}",
            file=sys.stderr,
        )
        print("\n".join(_launcher_cpu_lines()), file=sys.stderr)
        sys.stderr.flush()
    os._exit(status)  # as the console script does: no teardown under Beam's native threads


if __name__ == "__main__":
    main()
