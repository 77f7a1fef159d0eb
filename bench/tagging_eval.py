"""Tagging quality on the team's labelled evaluation set (bench/data/tagging_eval.jsonl).

Each line is a short article written by the team in English, Russian or German, with the topics
it must get (`required`) and topics it must not get (`forbidden`); a third of them are hard
negatives (fitness exercises, fire drills, oil drilling, Georgia the US state, turkey the bird,
sports teams, two countries named without dealing with each other).

Prints, per topic, how many articles require it, how many got it, recall, and precision counted
strictly (every tag not required counts as wrong, including harmless extra relations); then
recall over all required tags (target >= 0.9) and the share of forbidden tags applied (target
< 2%), and lists every miss and every forbidden tag applied.

Run from the repository root:  /work/venv/bin/python bench/tagging_eval.py [--taxonomy FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from newsbeam.transforms.tagger import Tagger
from newsbeam.transforms.taxonomy import load_taxonomy

DATA = Path(__file__).resolve().parent / "data" / "tagging_eval.jsonl"
RECALL_TARGET = 0.9
FORBIDDEN_TARGET = 0.02


def _group(topic: str) -> str:
    return "relations:*" if topic.startswith("relations:") else topic


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taxonomy", default=None, help="a taxonomy file (default: bundled)")
    parser.add_argument("--data", default=str(DATA), help="the labelled JSONL file")
    args = parser.parse_args(argv)
    command = "/work/venv/bin/python bench/tagging_eval.py" + (
        f" --taxonomy {args.taxonomy}" if args.taxonomy else ""
    )
    print(f"$ {command}")

    rows = [json.loads(line) for line in Path(args.data).read_text("utf-8").splitlines() if line]
    tagger = Tagger(load_taxonomy(args.taxonomy))
    started = time.perf_counter()
    predicted = {
        r["id"]: tagger.tag(r["text"], r.get("title"), r.get("language"), r.get("url"))
        for r in rows
    }
    elapsed = time.perf_counter() - started

    required, got, hit, wrong = Counter(), Counter(), Counter(), Counter()
    misses, forbidden_hits = [], []
    n_required = n_found = n_forbidden = n_forbidden_hit = 0
    for row in rows:
        topics = set(predicted[row["id"]].topics)
        for topic in row["required"]:
            required[_group(topic)] += 1
            n_required += 1
            if topic in topics:
                hit[_group(topic)] += 1
                n_found += 1
            else:
                misses.append((row["id"], topic))
        for topic in topics:
            got[_group(topic)] += 1
            if topic not in row["required"]:
                wrong[_group(topic)] += 1
        for topic in row["forbidden"]:
            n_forbidden += 1
            if topic in topics:
                n_forbidden_hit += 1
                forbidden_hits.append((row["id"], topic))

    languages = Counter(r["language"] for r in rows)
    negatives = sum(1 for r in rows if not r["required"])
    print(
        f"{len(rows)} articles ({', '.join(f'{k} {v}' for k, v in sorted(languages.items()))}),"
        f" {negatives} hard negatives; tagged in {elapsed * 1000:.0f} ms"
    )
    print(f"{'topic':<22}{'required':>9}{'tagged':>8}{'recall':>8}{'precision':>11}")
    for topic in sorted(set(required) | set(got), key=lambda t: (t == "relations:*", t)):
        recall = hit[topic] / required[topic] if required[topic] else float("nan")
        precision = (got[topic] - wrong[topic]) / got[topic] if got[topic] else float("nan")
        print(f"{topic:<22}{required[topic]:>9}{got[topic]:>8}{recall:>8.2f}{precision:>11.2f}")
    recall_all = n_found / n_required if n_required else 1.0
    share = n_forbidden_hit / n_forbidden if n_forbidden else 0.0
    print(
        f"recall on required tags: {n_found}/{n_required} = {recall_all:.3f} "
        f"(target >= {RECALL_TARGET})"
    )
    print(
        f"forbidden tags applied: {n_forbidden_hit}/{n_forbidden} = {share:.1%} "
        f"(target < {FORBIDDEN_TARGET:.0%})"
    )
    for row_id, topic in misses:
        print(f"  missed    {row_id}: {topic}")
    for row_id, topic in forbidden_hits:
        print(f"  forbidden {row_id}: {topic}")
    return 0 if recall_all >= RECALL_TARGET and share < FORBIDDEN_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
