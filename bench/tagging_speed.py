"""What topic tagging costs next to extraction, on the 181 pages of the extraction benchmark.

Each page (read in place from ../shared/data/extraction-benchmark/html/*.html.gz) is decoded
and extracted with `extract_article()` as the pipeline does (language identification included:
the tagger matches the phrases of the article's language), timing extraction; then every
extracted article is tagged once (timed apart: each language's automaton is compiled on first
use, once per worker) and then `--rounds` times with one `Tagger`, timing tagging alone. Prints
articles/s for tagging, the mean time per article of each step, and tagging as a percentage of
extraction time (target < 5%). The language model is loaded before the clock starts, as a
worker loads it once.

Run from the repository root:  /work/venv/bin/python bench/tagging_speed.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import gzip
import os
import sys
import time
from pathlib import Path

from newsbeam.transforms.decode import decode_html
from newsbeam.transforms.extract import (
    ExtractionError,
    extract_article,
    process_language_identifier,
)
from newsbeam.transforms.tagger import Tagger
from newsbeam.transforms.taxonomy import load_taxonomy

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSBEAM_SHARED_DATA", REPO.parent / "shared" / "data"))
PAGES = SHARED / "extraction-benchmark" / "html"
TARGET = 0.05


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="tagging passes over the articles")
    parser.add_argument("--pages", default=str(PAGES), help="folder of *.html.gz pages")
    args = parser.parse_args(argv)
    print(f"$ /work/venv/bin/python bench/tagging_speed.py --rounds {args.rounds}")

    files = sorted(Path(args.pages).glob("*.html.gz"))
    if not files:
        print(f"no pages found in {args.pages}", file=sys.stderr)
        return 2

    identifier = process_language_identifier()
    extract_seconds = 0.0
    articles = []
    for file in files:
        html, _codec = decode_html(gzip.decompress(file.read_bytes()))
        started = time.perf_counter()
        try:
            article = extract_article(
                html, url=None, origin=file.as_uri(), language_identifier=identifier
            )
        except ExtractionError:
            article = None
        extract_seconds += time.perf_counter() - started
        if article:
            articles.append(article)

    started = time.perf_counter()
    tagger = Tagger(load_taxonomy())
    build_seconds = time.perf_counter() - started

    # The first pass compiles each language's automaton on first use (once per worker, like
    # the build): timed apart from the rounds.
    started = time.perf_counter()
    for article in articles:
        tagger.tag(article["text"], article["title"], article["language"], article.get("url"))
    first_pass = time.perf_counter() - started

    tagged = 0
    started = time.perf_counter()
    for _ in range(args.rounds):
        for article in articles:
            result = tagger.tag(
                article["text"], article["title"], article["language"], article.get("url")
            )
            tagged += bool(result.topics)
    tag_seconds = (time.perf_counter() - started) / args.rounds

    characters = sum(len(a["text"]) for a in articles)
    per_extract = extract_seconds / len(files)
    per_tag = tag_seconds / len(articles)
    share = per_tag / per_extract
    print(
        f"{len(files)} pages, {len(articles)} articles extracted "
        f"({characters / len(articles):,.0f} characters of text on average)"
    )
    print(f"tagger built in {build_seconds * 1000:.0f} ms (once per worker, in setup())")
    print(
        f"first pass (automata compiled on first use, once per worker): "
        f"{first_pass * 1000:.0f} ms, {(first_pass - tag_seconds) * 1000:.0f} ms more than a round"
    )
    print(
        f"extraction: {per_extract * 1000:.2f} ms per page ({len(files) / extract_seconds:.1f}/s)"
    )
    print(
        f"tagging:    {per_tag * 1000:.3f} ms per article = {len(articles) / tag_seconds:,.0f} "
        f"articles/s (mean of {args.rounds} rounds; {tagged // args.rounds} articles got a topic)"
    )
    print(f"tagging costs {share:.2%} of extraction time per article (target < {TARGET:.0%})")
    return 0 if share < TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
