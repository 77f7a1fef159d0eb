"""Every tag the tagger gives to the shared real pages, with its evidence, for reading.

Precision needs no positive pages: it is judged on the tags given. This runs newsbeam's own
extraction (as `bench.tagging_real` does) over every page of trafilatura-eval
(`pages.jsonl.gz`) and of the extraction benchmark (`html/*.html.gz`), tags each article, and
prints per tagged page its title, language, focus countries and each tag with its score, phrases
and evidence sentences. Pages already labelled in `bench/data/tagging_real/` show their label's
verdict on each tag (`right` when required, `WRONG` otherwise), so a later run shows what changed
and what is still unjudged (`?`).

Extraction does not depend on the taxonomy: `--cache FILE` keeps the extracted articles (title,
language, text) in a gzipped JSON file and reuses them on the next run, so rules can be changed
and the audit rerun in seconds.

Run from the repository root:
    python -m bench.tagging_audit [--cache FILE] [--taxonomy FILE] [--only-unlabelled] [--summary]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from pathlib import Path

from bench.common import BENCHMARK_PAGES
from bench.tagging_real import LABELS, TRAFILATURA_EVAL, _extract, _labels
from newsbeam.transforms.tagger import Tagger
from newsbeam.transforms.taxonomy import load_taxonomy


def _all_pages():
    """(source, id, html) of every shared page, trafilatura-eval first."""
    with gzip.open(TRAFILATURA_EVAL, "rt", encoding="utf-8") as handle:
        for line in handle:
            page = json.loads(line)
            yield "trafilatura-eval", page["id"], page["html"]
    for path in sorted(BENCHMARK_PAGES.glob("*.html.gz")):
        html = gzip.decompress(path.read_bytes()).decode("utf-8")
        yield "extraction-benchmark", path.name.removesuffix(".html.gz"), html


def _articles(cache: Path | None) -> dict[str, dict]:
    """{id: {source, title, language, text}} of every page newsbeam extracts an article from."""
    if cache and cache.exists():
        return json.loads(gzip.decompress(cache.read_bytes()))
    sources: dict[str, str] = {}

    def pages():
        for source, key, html in _all_pages():
            sources[key] = source
            yield key, html

    articles = {
        key: {
            "source": sources[key],
            "title": article.get("title"),
            "language": article.get("language"),
            "url": article.get("url"),
            "text": article["text"],
        }
        for key, article in _extract(pages()).items()
    }
    if cache:
        cache.write_bytes(gzip.compress(json.dumps(articles).encode("utf-8")))
    return articles


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", default=None, help="gzipped JSON of extracted articles")
    parser.add_argument("--taxonomy", default=None, help="a taxonomy file (default: bundled)")
    parser.add_argument("--labels", default=str(LABELS), help="folder of labels-*.jsonl")
    parser.add_argument(
        "--only-unlabelled", action="store_true", help="list only pages with no label yet"
    )
    parser.add_argument("--summary", action="store_true", help="counts only, no listing")
    args = parser.parse_args(argv)
    articles = _articles(Path(args.cache) if args.cache else None)
    labels = {row["id"]: row for row in _labels(Path(args.labels))}
    tagger = Tagger(load_taxonomy(args.taxonomy))
    verdicts: Counter = Counter()
    by_kind: dict[str, Counter] = {}
    tagged = 0
    for key, article in articles.items():
        result = tagger.tag(
            article["text"], article["title"], article["language"], article.get("url")
        )
        if not result.topics:
            continue
        tagged += 1
        label = labels.get(key)
        if args.only_unlabelled and label:
            continue
        lines = []
        for evidence in result.evidence:
            topic = evidence["topic"]
            verdict = "?" if label is None else "right" if topic in label["required"] else "WRONG"
            verdicts[verdict] += 1
            by_kind.setdefault(topic.split(":")[0], Counter())[verdict] += 1
            lines.append(f"  [{verdict}] {topic} score={evidence['score']}")
            lines.append(f"      phrases: {', '.join(evidence['phrases'])}")
            lines.extend(f"      | {sentence}" for sentence in evidence["sentences"])
        if args.summary:
            continue
        print(f"\n== {key} ({article['source']}, {article['language']})")
        print(f"   title: {article['title']}")
        print(f"   countries: {result.countries}")
        if label:
            print(f"   label: required {label['required']}; {label['note']}")
        print("\n".join(lines))
    print(
        f"\n{len(articles)} pages extracted, {tagged} tagged; tags given: "
        f"{sum(verdicts.values())} ({dict(verdicts)}; '?' = page not labelled yet)"
    )
    for kind, counts in sorted(by_kind.items()):
        print(f"  {kind}: {dict(counts)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
