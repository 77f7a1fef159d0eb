"""The article-extraction-benchmark's score: F1 over token 4-gram shingles.

Reimplemented from the benchmark's description: tokens are runs of `\\w` (case kept), shingles
are counted as a multiset, each document's (tp, fp, fn) is normalised to sum 1, precision and
recall are averaged over documents (a document with no predicted shingles is left out of the
precision mean and scores 0 recall), and F1 is the harmonic mean of those two means.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter

_TOKEN = re.compile(r"\w+")


def shingles(text: str | None, n: int = 4) -> Counter:
    tokens = _TOKEN.findall(text or "")
    grams = [tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1))]
    return Counter(gram for gram in grams if gram)


def counts(truth: str | None, predicted: str | None) -> tuple[float, float, float]:
    expected, got = shingles(truth), shingles(predicted)
    tp = fp = fn = 0
    for gram in set(expected) | set(got):
        tp += min(expected[gram], got[gram])
        fp += max(0, got[gram] - expected[gram])
        fn += max(0, expected[gram] - got[gram])
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _ratio(tp: float, other: float, rest: float) -> float:
    if other == rest == 0:
        return 1.0
    if tp == other == 0:
        return 0.0
    return tp / (tp + other)


def score(truths: dict[str, str], predictions: dict[str, str | None]) -> dict[str, float]:
    """Precision, recall and F1 as the benchmark reports them, over the ids of `truths`."""
    per_doc = [counts(truths[key], predictions.get(key)) for key in truths]
    precision = statistics.mean(_ratio(tp, fp, fn) for tp, fp, fn in per_doc if tp + fp > 0)
    recall = statistics.mean(_ratio(tp, fn, fp) for tp, fp, fn in per_doc if tp + fn > 0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}
