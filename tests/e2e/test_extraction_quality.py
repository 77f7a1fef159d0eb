"""The pipeline's text against the extraction benchmark's ground truth, scored with the
benchmark's own metric, beside trafilatura alone on the same files.

The 181 pages are read from tests/data/extraction-benchmark through an inbox.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import trafilatura

from tests.e2e.helpers import newsbeam, table
from tests.e2e.shingle_f1 import score


def _page_id(origin: str) -> str:
    return Path(origin).name.removesuffix(".html.gz")


def test_pipeline_text_scores_no_lower_than_trafilatura_alone(test_data, tmp_path):
    bench = test_data / "extraction-benchmark"
    truth = {
        key: value["articleBody"]
        for key, value in json.loads((bench / "ground-truth.json").read_text()).items()
    }
    output = tmp_path / "out"
    run = newsbeam("ingest", "--inbox", str(bench / "html"), "--output", str(output))
    assert run.returncode == 0, run.stderr
    assert run.counts["inputs"] == len(truth) == 181
    assert run.counts["inputs"] == (
        run.counts["articles"] + run.counts["duplicates"] + run.counts["rejects"]
    )

    articles = table(output, "articles")
    text_by_id = {a["article_id"]: a["text"] for a in articles}
    ours = {_page_id(a["origin"]): a["text"] for a in articles}
    # A page dropped as a copy of another is answered with the text of the article it copies.
    for duplicate in table(output, "duplicates"):
        ours[_page_id(duplicate["origin"])] = text_by_id.get(duplicate["duplicate_of"])

    alone_default, alone_benchmark = {}, {}
    for path in sorted((bench / "html").glob("*.html.gz")):
        html = gzip.decompress(path.read_bytes()).decode("utf-8")
        alone_default[_page_id(str(path))] = trafilatura.extract(html)
        alone_benchmark[_page_id(str(path))] = trafilatura.extract(html, include_comments=False)

    pipeline_score = score(truth, ours)
    default_score = score(truth, alone_default)
    benchmark_score = score(truth, alone_benchmark)
    print(
        f"F1 pipeline {pipeline_score['f1']:.4f}, trafilatura.extract() {default_score['f1']:.4f}, "
        f"trafilatura as the benchmark calls it {benchmark_score['f1']:.4f}"
    )
    assert pipeline_score["f1"] >= default_score["f1"]
    assert pipeline_score["f1"] >= benchmark_score["f1"] - 0.002
    assert pipeline_score["f1"] >= 0.970
