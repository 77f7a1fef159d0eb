"""Tagging quality on real pages labelled by reading them (bench/data/tagging_real/).

The labels (one JSON object a line: id, source, language, title, required, forbidden, countries,
note) name pages of the shared data: trafilatura-eval (`pages.jsonl.gz`) and the extraction
benchmark (`html/<id>.html.gz`). Each page is extracted with newsbeam's own extraction (its text,
title and language, as `newsbeam ingest` would see them) and tagged.

Scores, counted strictly: precision = required tags given / tags given (every tag not in
`required` counts as wrong, harmless or not); recall = required tags found / required tags;
focus-country agreement = labelled focus countries found in `countries` / labelled. It is a
*development set*, tuned on; the articles whose id hashes to 0 mod 4 are held out (not tuned on)
and reported apart. Prints per split the figures and per language; for the dev split also the
wrong tags with their evidence sentences and the missed tags (never for the held-out split).

Run from the repository root:
    python -m bench.tagging_real [--labels DIR] [--split dev|held-out|all]
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from bench.common import BENCHMARK_PAGES, DATA
from newsbeam.transforms.tagger import Tagger
from newsbeam.transforms.taxonomy import load_taxonomy

LABELS = Path(__file__).resolve().parent / "data" / "tagging_real"
TRAFILATURA_EVAL = DATA / "trafilatura-eval" / "pages.jsonl.gz"


def held_out(article_id: str) -> bool:
    """The test split: ids whose SHA-1 is 0 mod 4 (about a quarter), never tuned on."""
    return int(hashlib.sha1(article_id.encode("utf-8")).hexdigest(), 16) % 4 == 0


def _labels(folder: Path) -> list[dict]:
    rows: dict[str, dict] = {}
    for path in sorted(folder.glob("labels-*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                rows[row["id"]] = row  # a later line for the same id corrects an earlier one
    return list(rows.values())


def _pages(rows: list[dict]) -> dict[str, str]:
    wanted = {r["id"] for r in rows}
    pages = {}
    with gzip.open(TRAFILATURA_EVAL, "rt", encoding="utf-8") as handle:
        for line in handle:
            page = json.loads(line)
            if page["id"] in wanted:
                pages[page["id"]] = page["html"]
    for row in rows:
        path = BENCHMARK_PAGES / f"{row['id']}.html.gz"
        if row["source"] == "extraction-benchmark" and path.exists():
            pages[row["id"]] = gzip.decompress(path.read_bytes()).decode("utf-8")
    return pages


def _extract(pages: Iterable[tuple[str, str]]) -> dict[str, dict]:
    """{key: article} of the (key, html) pages newsbeam extracts an article from."""
    from newsbeam.pipeline.build import extraction_settings
    from newsbeam.transforms.extract import (
        ExtractionError,
        extract_article,
        process_language_identifier,
    )

    identifier = process_language_identifier()
    settings = extraction_settings("balanced")
    articles = {}
    for key, html in pages:
        with contextlib.suppress(ExtractionError):
            articles[key] = extract_article(
                html, url=None, origin=key, settings=settings, language_identifier=identifier
            )
    return articles


_KIND = "real pages labelled by reading (development set)"


def _score(rows, results, name: str, show: int, kind: str = _KIND) -> None:
    given = right = required = found = 0
    focus_labelled = focus_found = 0
    by_language: dict[str, Counter] = defaultdict(Counter)
    wrong_by_tag: Counter = Counter()
    wrong: list[tuple[str, str, dict]] = []
    missed: list[tuple[str, str]] = []
    relation_languages = set()
    for row in rows:
        result = results.get(row["id"])
        topics = set(result.topics) if result else set()
        evidence = {e["topic"]: e for e in (result.evidence if result else [])}
        language = row["language"]
        stats = by_language[language]
        stats["articles"] += 1
        for topic in topics:
            given += 1
            stats["given"] += 1
            if topic in row["required"]:
                right += 1
                stats["right"] += 1
                if topic.startswith("relations:"):
                    relation_languages.add(language)
            else:
                wrong_by_tag[topic.split(":")[0]] += 1
                wrong.append((row["id"], topic, evidence[topic]))
        for topic in row["required"]:
            required += 1
            stats["required"] += 1
            if topic in topics:
                found += 1
                stats["found"] += 1
            else:
                missed.append((row["id"], topic))
        labelled = row.get("countries") or []
        focus_labelled += len(labelled)
        focus_found += len(set(labelled) & set(result.countries if result else []))
    precision = right / given if given else float("nan")
    recall = found / required if required else float("nan")
    print(f"\n== {name}: {len(rows)} articles, {kind}")
    print(f"precision {right}/{given} = {precision:.2f}   recall {found}/{required} = {recall:.2f}")
    print(f"focus countries found: {focus_found}/{focus_labelled}")
    print(
        f"right relation tags in {len(relation_languages)} languages: {sorted(relation_languages)}"
    )
    print(f"{'language':<10}{'articles':>9}{'given':>7}{'right':>7}{'required':>10}{'found':>7}")
    for language, s in sorted(by_language.items(), key=lambda kv: -kv[1]["articles"]):
        print(
            f"{language:<10}{s['articles']:>9}{s['given']:>7}{s['right']:>7}"
            f"{s['required']:>10}{s['found']:>7}"
        )
    print("wrong tags by kind:", dict(wrong_by_tag.most_common()))
    for article_id, topic, ev in wrong[:show]:
        print(f"  WRONG {topic} score={ev['score']} in {article_id[:60]}")
        for sentence in ev.get("sentences", [])[:2]:
            print(f"        | {sentence[:200]}")
    for article_id, topic in missed[:show]:
        print(f"  MISSED {topic} in {article_id[:60]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", default=str(LABELS), help="folder of labels-*.jsonl")
    parser.add_argument("--split", choices=("dev", "held-out", "all"), default="all")
    parser.add_argument("--taxonomy", default=None, help="a taxonomy file (default: bundled)")
    parser.add_argument("--show", type=int, default=40, help="wrong and missed tags listed")
    args = parser.parse_args(argv)
    rows = _labels(Path(args.labels))
    if not rows:
        sys.exit(f"no labels-*.jsonl in {args.labels}")
    articles = _extract(_pages(rows).items())
    tagger = Tagger(load_taxonomy(args.taxonomy))
    started = time.perf_counter()
    results = {
        key: tagger.tag(a["text"], a.get("title"), a.get("language"), a.get("url"))
        for key, a in articles.items()
    }
    elapsed = time.perf_counter() - started
    lost = [r["id"] for r in rows if r["id"] not in articles]
    print(
        f"{len(rows)} labelled, {len(articles)} extracted ({len(lost)} not: counted untagged); "
        f"tagged in {elapsed * 1000:.0f} ms"
    )
    dev = [r for r in rows if not held_out(r["id"])]
    test = [r for r in rows if held_out(r["id"])]
    if args.split in ("dev", "all"):
        _score(dev, results, "dev split (tuned on)", args.show)
    if args.split in ("held-out", "all"):
        # No examples from the held-out split: looking at its errors would be tuning on it.
        _score(test, results, "held-out split (id hash 0 mod 4, not tuned on)", 0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
