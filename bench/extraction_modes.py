"""trafilatura's settings for speed and F1 on the extraction benchmark, as newsbeam calls it.

    python -m bench.extraction_modes

Scores each `--extraction-mode` with the benchmark's own metric (token 4-gram shingle F1) on the
181 real pages read in place, beside the baseline measured in the same run: a bare
`trafilatura.extract()` with default settings. Also the cost of metadata and date extraction.
"""

from __future__ import annotations

import time

import trafilatura

from bench.common import benchmark_pages_and_truth, newsbeam_texts
from newsbeam.pipeline.options import EXTRACTION_MODES
from tests.e2e.shingle_f1 import score


def main() -> None:
    pages, truth = benchmark_pages_and_truth()

    started = time.process_time()
    baseline = {key: trafilatura.extract(html) for key, html in pages.items()}
    base_seconds = time.process_time() - started
    rows = [("trafilatura.extract() defaults (baseline)", score(truth, baseline), base_seconds)]

    started = time.process_time()
    with_meta = {
        key: trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
        for key, html in pages.items()
    }
    rows.append(
        (
            "bare_extraction + metadata, no comments",
            score(truth, {k: (d.text if d else None) for k, d in with_meta.items()}),
            time.process_time() - started,
        )
    )
    for mode in EXTRACTION_MODES:
        texts, seconds = newsbeam_texts(pages, mode)
        rows.append((f"newsbeam --extraction-mode {mode}", score(truth, texts), seconds))

    print("command: python -m bench.extraction_modes")
    print(f"{'setting':<45} {'F1':>6} {'P':>6} {'R':>6} {'CPU s':>6} {'x base':>6}")
    for name, result, seconds in rows:
        print(
            f"{name:<45} {result['f1']:6.3f} {result['precision']:6.3f} {result['recall']:6.3f}"
            f" {seconds:6.2f} {seconds / base_seconds:6.2f}"
        )


if __name__ == "__main__":
    main()
