"""trafilatura's settings for speed and F1 on the extraction benchmark, as newsbeam calls it.

    python -m bench.extraction_modes

Scores each `--extraction-mode` with the benchmark's own metric (token 4-gram shingle F1) on the
181 real pages read in place, beside the baseline measured in the same run: a bare
`trafilatura.extract()` with default settings. Also the cost of metadata and date extraction.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import trafilatura

from bench.common import benchmark_pages_and_truth, newsbeam_texts
from newsbeam.pipeline.options import EXTRACTION_MODES
from tests.e2e.shingle_f1 import score

Texts = dict[str, str | None]


def _timed(extract: Callable[[], Texts]) -> tuple[Texts, float]:
    started = time.process_time()
    texts = extract()
    return texts, time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    pages, truth = benchmark_pages_and_truth()
    trafilatura.extract(next(iter(pages.values())))  # trafilatura's lazy set-up, untimed

    def defaults() -> Texts:
        return {key: trafilatura.extract(html) for key, html in pages.items()}

    def with_metadata() -> Texts:
        docs = {
            key: trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
            for key, html in pages.items()
        }
        return {key: (doc.text if doc else None) for key, doc in docs.items()}

    # Each setting gives (texts, CPU seconds); newsbeam_texts times its own extraction loop.
    settings: dict[str, Callable[[], tuple[Texts, float]]] = {
        "trafilatura.extract() defaults (baseline)": lambda: _timed(defaults),
        "bare_extraction + metadata, no comments": lambda: _timed(with_metadata),
    }
    for mode in EXTRACTION_MODES:
        settings[f"newsbeam --extraction-mode {mode}"] = lambda mode=mode: newsbeam_texts(
            pages, mode
        )
    # Rounds interleave the settings, and each keeps its least CPU: the machine's drift between
    # one setting's run and the next is then no part of the ratio.
    best: dict[str, float] = {}
    scores = {}
    for _round in range(args.rounds):
        for name, run in settings.items():
            texts, seconds = run()
            best[name] = min(seconds, best.get(name, seconds))
            if name not in scores:  # every round extracts the same texts
                scores[name] = score(truth, texts)
    base_seconds = best["trafilatura.extract() defaults (baseline)"]

    print(f"command: python -m bench.extraction_modes --rounds {args.rounds}")
    print(f"{'setting':<45} {'F1':>6} {'P':>6} {'R':>6} {'CPU s':>6} {'x base':>6}")
    for name, seconds in best.items():
        result = scores[name]
        print(
            f"{name:<45} {result['f1']:6.3f} {result['precision']:6.3f} {result['recall']:6.3f}"
            f" {seconds:6.2f} {seconds / base_seconds:6.2f}"
        )
    print(f"CPU s: the least of {args.rounds} rounds that interleave the settings")


if __name__ == "__main__":
    main()
