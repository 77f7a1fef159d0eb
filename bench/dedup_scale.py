"""Dedup at scale: 10k, 30k and 100k synthetic articles (10% near duplicates) through the
`Deduplicate` transform on FnApiRunner, two worker processes, and an empty prior index.

Articles are generated inside the pipeline from their number (seeded, so repeatable; nothing
big is pickled into the job): about 450 words in 8 paragraphs drawn from a 6,000-word invented
vocabulary with Zipf-like frequencies. Every tenth article is a syndicated copy of an earlier
one: new headline line, byline, one sentence reworded, the last two paragraphs swapped.

Each size runs in a fresh process. Peak memory is the largest sum of the resident set sizes
of the process and all its descendants (the worker processes), sampled every 0.2 s from /proc,
and cross-checked with getrusage (self + the largest child).

glibc's allocator gives each thread its own arena and keeps freed memory; Beam's runner and
workers are thread pools moving many short-lived buffers, so resident memory grows far past
what Python holds (tracemalloc saw 187 MB live against 829 MB resident for 10k articles). The
runs therefore set MALLOC_ARENA_MAX=1, MALLOC_TRIM_THRESHOLD_ and MALLOC_MMAP_THRESHOLD_ (1 MiB)
in the environment of the process and its workers, as a deployment would; `--default-malloc`
leaves glibc's defaults.

    python bench/dedup_scale.py                 # 10k and 30k
    python bench/dedup_scale.py --sizes 10000 30000 100000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone

_SYLLABLES = [
    "ka", "lo", "mi", "ren", "tas", "vo", "pel", "dru", "sin", "gar", "tu", "bek", "ol", "nia",
    "star", "qu", "el", "mon", "far", "is", "ad", "ven", "to", "rik",
]  # fmt: skip
T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def vocabulary(size: int = 6000) -> list[str]:
    rng = random.Random(1)
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 4))))
    return sorted(words)


_VOCABULARY = vocabulary()
_WEIGHTS = [1.0 / (rank + 10) for rank in range(len(_VOCABULARY))]
_CUMULATIVE = list(__import__("itertools").accumulate(_WEIGHTS))


def _paragraphs(seed: int) -> list[str]:
    rng = random.Random(seed)
    paragraphs = []
    for _ in range(8):
        sentences = []
        for _ in range(rng.randint(2, 4)):
            words = rng.choices(_VOCABULARY, cum_weights=_CUMULATIVE, k=rng.randint(10, 22))
            sentences.append(" ".join(words).capitalize() + ".")
        paragraphs.append(" ".join(sentences))
    return paragraphs


def make_article(number: int) -> dict:
    """Article `number`; every tenth (number % 10 == 9) is a copy of an earlier article."""
    from newsbeam.transforms.extract import content_hash
    from newsbeam.transforms.urls import article_id

    if number % 10 == 9:
        base = random.Random(number).randrange(0, number - 1)
        base -= base % 10 == 9  # a copy of an original, not of a copy
        paragraphs = _paragraphs(base)
        rng = random.Random(-number)
        p = rng.randrange(len(paragraphs))
        words = paragraphs[p].split()
        for i in range(0, len(words), 3):
            words[i] = rng.choice(_VOCABULARY)
        paragraphs[p] = (
            " ".join(words[: max(12, len(words) // 2)])
            + " "
            + " ".join(paragraphs[p].split()[len(words) // 2 :])
        )
        paragraphs[-2:] = paragraphs[-1], paragraphs[-2]
        paragraphs = ["Breaking: story update", "By a staff writer", *paragraphs]
        hours = base + 3
    else:
        paragraphs = _paragraphs(number)
        hours = number
    text = "\n\n".join(paragraphs)
    url = f"https://site{number % 97}.example.org/news/{number}"
    return {
        "article_id": article_id(url),
        "url": url,
        "canonical_url": url,
        "origin": f"file:///bench/{number}.html",
        "content_hash": content_hash(text),
        "published_at": T0 + timedelta(minutes=hours),
        "text": text,
    }


class _RssSampler(threading.Thread):
    """The peak of (this process + every descendant) resident set size, from /proc."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0
        self._done = threading.Event()

    @staticmethod
    def _tree_rss() -> int:
        parents: dict[int, int] = {}
        rss: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
                parents[int(entry)] = int(fields[1])
                rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
            except (OSError, IndexError, ValueError):
                continue
        tree, frontier = {os.getpid()}, [os.getpid()]
        while frontier:
            parent = frontier.pop()
            for pid, ppid in parents.items():
                if ppid == parent and pid not in tree:
                    tree.add(pid)
                    frontier.append(pid)
        return sum(rss.get(pid, 0) for pid in tree)

    def run(self) -> None:
        while not self._done.wait(0.2):
            self.peak = max(self.peak, self._tree_rss())

    def stop(self) -> int:
        self._done.set()
        self.join()
        return max(self.peak, self._tree_rss())


def run_one(size: int, workers: int) -> dict:
    import apache_beam as beam
    from apache_beam.metrics import Metrics
    from apache_beam.metrics.metric import MetricsFilter
    from apache_beam.options.pipeline_options import PipelineOptions

    from newsbeam.transforms.dedup import Deduplicate

    kept_counter = Metrics.counter("bench", "kept")
    dup_counter = Metrics.counter("bench", "duplicates")
    near_counter = Metrics.counter("bench", "near_to_its_original")

    def count_dup(dup):
        dup_counter.inc()
        number = int(dup["origin"].rsplit("/", 1)[1].split(".")[0])
        if dup["kind"] == "near" and number % 10 == 9:
            near_counter.inc()

    options = PipelineOptions(
        [
            "--runner=FnApiRunner",
            "--direct_running_mode=multi_processing",
            f"--direct_num_workers={workers}",
        ]
    )
    chunks = [list(range(start, min(size, start + 500))) for start in range(0, size, 500)]
    sampler = _RssSampler()
    sampler.start()
    started = time.perf_counter()
    pipeline = beam.Pipeline(options=options)
    articles = (
        pipeline
        | "Chunks" >> beam.Create(chunks)
        | "Spread" >> beam.Reshuffle()
        | "Generate" >> beam.FlatMap(lambda numbers: [make_article(n) for n in numbers])
    )
    index = pipeline | "EmptyIndex" >> beam.Create([]).with_output_types(dict)
    kept, duplicates, rows = (articles, index) | Deduplicate(now=T0 + timedelta(days=1))
    _ = kept | "CountKept" >> beam.Map(lambda _a: kept_counter.inc())
    _ = duplicates | "CountDuplicates" >> beam.Map(count_dup)
    _ = rows | "CountRows" >> beam.Map(len) | "SumRows" >> beam.CombineGlobally(sum)
    result = pipeline.run()
    result.wait_until_finish()
    seconds = time.perf_counter() - started
    peak = sampler.stop()
    counters = {
        c.key.metric.name: c.committed
        for c in result.metrics().query(MetricsFilter().with_namespace("bench"))["counters"]
    }
    usage = (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    ) * 1024
    return {
        "size": size,
        "seconds": round(seconds, 1),
        "ms_per_article": round(seconds / size * 1000, 3),
        "peak_rss_tree_mb": round(peak / 2**20),
        "rusage_self_plus_largest_child_mb": round(usage / 2**20),
        "kept": counters.get("kept", 0),
        "duplicates": counters.get("duplicates", 0),
        "near_copies_found": counters.get("near_to_its_original", 0),
        "near_copies_made": size // 10,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--default-malloc", action="store_true", help="keep glibc's defaults")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one, args.workers)))
        return 0
    print("$ python " + " ".join([sys.argv[0], *(argv if argv is not None else sys.argv[1:])]))
    env = dict(os.environ)
    if not args.default_malloc:
        env.update(MALLOC_ARENA_MAX="1", MALLOC_TRIM_THRESHOLD_="1048576")
        env.update(MALLOC_MMAP_THRESHOLD_="1048576")
    print("allocator: " + ("glibc defaults" if args.default_malloc else "MALLOC_* tuned"))
    results = []
    for size in args.sizes:
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(size), "--workers", str(args.workers)],
            capture_output=True,
            text=True,
            check=False,
            env=env,
        )
        if done.returncode:
            print(done.stderr[-3000:])
            return 1
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(json.dumps(results[-1]), flush=True)
    base = results[0]["ms_per_article"]
    for r in results:
        print(
            f"{r['size']:>7,} articles: {r['seconds']:7.1f} s, "
            f"{r['ms_per_article']:.3f} ms/article "
            f"({r['ms_per_article'] / base:.2f}x of {results[0]['size']:,}), peak RSS "
            f"{r['peak_rss_tree_mb']:,} MB (tree), near copies found "
            f"{r['near_copies_found']:,}/{r['near_copies_made']:,}, kept {r['kept']:,}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
