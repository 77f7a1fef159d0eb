"""`newsbeam ingest` end to end against a bare single-process trafilatura loop, same pages.

    python -m bench.e2e_throughput [--pages 1000]

Writes N real-sized pages (the extraction benchmark's 181 real pages; copies beyond the first
181 have their text letters shifted, so all are different texts of real shapes) into an inbox,
then times, in the same run: a bare loop reading each file and calling `trafilatura.extract()`
with default settings in one process (the target's baseline), that loop split over 2 forked
processes (the most 2 cores give it), the same loop with metadata
(`bare_extraction(with_metadata=True)`: what the articles table's columns need, for comparison),
and the whole CLI (start-up, extraction, tagging, dedup, writing, commit) on 2 cores. Also
profiles the pure steps one by one in one process (where the CPU goes), the CPU of the whole
run, and peak memory of the CLI's tree.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import resource
import tempfile
import time
from pathlib import Path

from bench.common import (
    distinct_page,
    extract_loop,
    newsbeam_command,
    real_pages,
    run_measured,
    stage_parts,
)

_EXTRACT_STEP = "extract (trafilatura, metadata, language)"


def profile_steps(paths: list[Path]) -> dict[str, float]:
    """CPU seconds of each pure step over the same pages, in this process."""
    from datetime import datetime, timezone

    import pyarrow as pa
    import pyarrow.parquet as pq

    from newsbeam.pipeline.build import extraction_settings
    from newsbeam.schemas.tables import ARTICLES
    from newsbeam.transforms.decode import decode_html
    from newsbeam.transforms.extract import extract_article, process_language_identifier
    from newsbeam.transforms.minhash import NearDuplicateSettings, sketch_record
    from newsbeam.transforms.sinks import stamp
    from newsbeam.transforms.tagger import Tagger
    from newsbeam.transforms.taxonomy import load_taxonomy

    times: dict[str, float] = {}
    started = time.process_time()
    htmls = [decode_html(path.read_bytes())[0] for path in paths]
    times["read and decode"] = time.process_time() - started
    identifier = process_language_identifier()
    started = time.process_time()
    articles = []
    for path, html in zip(paths, htmls, strict=True):
        # A page without text raises; it is still a cost the pipeline pays.
        with contextlib.suppress(Exception):
            articles.append(
                extract_article(
                    html,
                    url=None,
                    origin=str(path),
                    settings=extraction_settings("fast"),  # the default mode
                    language_identifier=identifier,
                )
            )
    times[_EXTRACT_STEP] = time.process_time() - started
    tagger = Tagger(load_taxonomy())
    started = time.process_time()
    for article in articles:
        result = tagger.tag(article["text"], article["title"], article["language"])
        article.update(
            topics=result.topics, topic_evidence=result.evidence, countries=result.countries
        )
    times["tag"] = time.process_time() - started
    near = NearDuplicateSettings()
    started = time.process_time()
    for article in articles:
        sketch_record(article["text"], near)
    times["dedup (near-duplicate sketch)"] = time.process_time() - started
    now = datetime.now(timezone.utc)
    started = time.process_time()
    rows = [stamp("articles", article, "bench", now) for article in articles]
    with tempfile.TemporaryDirectory() as scratch:
        pq.write_table(
            pa.Table.from_pylist(rows, schema=ARTICLES), f"{scratch}/a.parquet", compression="zstd"
        )
    times["write Parquet"] = time.process_time() - started
    return times


def split_loop(paths: list[Path], processes: int) -> float:
    """Seconds for the bare loop split evenly over `processes` forked processes: what these
    cores give a loop with nothing else to do, no start-up and no merging (the ceiling)."""
    context = multiprocessing.get_context("fork")
    with context.Pool(processes) as pool:
        pool.map(extract_loop, [paths[:1]] * processes)  # imports and caches warmed, untimed
        started = time.perf_counter()
        pool.map(extract_loop, [paths[i::processes] for i in range(processes)], chunksize=1)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    args = parser.parse_args()
    pages = real_pages()
    with tempfile.TemporaryDirectory() as scratch:
        inbox = Path(scratch) / "inbox"
        inbox.mkdir()
        paths = []
        for number in range(args.pages):
            path = inbox / f"page-{number:05d}.html"
            path.write_text(distinct_page(pages, number), encoding="utf-8")
            paths.append(path)

        extract_loop(paths[:20])  # trafilatura's lazy set-up, untimed as in the processes
        loop_before = extract_loop(paths)
        # The loop a user would write to get what the articles table holds: text and metadata.
        metadata_loop = extract_loop(paths, metadata=True)

        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        seconds, peak, stdout, stderr, status = run_measured(
            newsbeam_command(
                "ingest", "--inbox", str(inbox), "--output", str(Path(scratch) / "out"), "--quiet"
            )
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if status != 0:
            raise SystemExit(f"newsbeam failed: {stderr.strip()}")
        run_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        # The machine's speed drifts: the baseline is the mean of a loop before and one after.
        loop_after = extract_loop(paths)
        loop = (loop_before + loop_after) / 2
        split = split_loop(paths, 2)
        # The same run again, timed stage by stage (bench/stage_timeline.py).
        timed = ["ingest", "--inbox", str(inbox), "--output", str(Path(scratch) / "timed")]
        parts = stage_parts([*timed, "--quiet"])
        profiled = paths[: min(len(paths), 300)]
        steps = profile_steps(profiled)

    print(stdout.strip())
    print(f"\ncommand: python -m bench.e2e_throughput --pages {args.pages}")
    print(
        f"bare loop (trafilatura.extract, 1 process): {loop:.1f} s = "
        f"{args.pages / loop:.1f} pages/s (mean of {loop_before:.1f} s before newsbeam's run "
        f"and {loop_after:.1f} s after)"
    )
    print(
        f"newsbeam ingest (start-up included):         {seconds:.1f} s = "
        f"{args.pages / seconds:.1f} pages/s"
    )
    print(f"ratio newsbeam / bare loop throughput: {loop / seconds:.2f}x (target 1.6x)")
    print(
        f"the same bare loop split over 2 processes (the ceiling these cores give it, no "
        f"start-up): {split:.1f} s = {loop / split:.2f}x the loop; newsbeam / that: "
        f"{split / seconds:.2f}x"
    )
    print(
        f"for comparison, a loop that also extracts the metadata (bare_extraction, "
        f"with_metadata=True): {metadata_loop:.1f} s = {args.pages / metadata_loop:.1f} pages/s; "
        f"newsbeam / that loop: {metadata_loop / seconds:.2f}x"
    )
    print(f"peak memory of the newsbeam process tree (summed PSS): {peak / 2**20:.0f} MiB")
    total = sum(steps.values())
    print(f"CPU by step, one process, {len(profiled)} pages (total {total:.1f} s):")
    for name, value in steps.items():
        print(f"  {name:<45} {value:6.2f} s  {value / total:6.1%}")
    print("the same run again, " + parts)
    print(
        f"CPU of the first run (launcher and extraction processes, user + system): {run_cpu:.1f} s"
        " (target: extraction >= 85% of it; the share is measured in the timed run above: the "
        "extraction processes' CPU includes handing pages and articles across, and the "
        "launcher's includes reading the files and tagging)"
    )


if __name__ == "__main__":
    main()
