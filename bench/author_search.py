"""The author search in the page body: newsbeam's `find_author` against trafilatura's
`extract_author`, same trees, same answers.

    python -m bench.author_search [--repeat 5]

Parses the extraction benchmark's 181 real pages once, then times both over every page, best
of `--repeat` rounds each (the two alternate, so drift hits both), and checks that they agree.
Extraction runs the search only where no meta tag or JSON-LD names the author; the bench says
on how many pages that is.
"""

from __future__ import annotations

import argparse
import time

from trafilatura.metadata import examine_meta, extract_author, extract_meta_json
from trafilatura.utils import load_html

from bench.common import real_pages
from newsbeam.transforms.metadata import find_author


def _best_seconds(search, trees, best: float) -> float:
    started = time.process_time()
    for tree in trees:
        search(tree)
    return min(best, time.process_time() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    trees = [tree for tree in map(load_html, real_pages()) if tree is not None]
    searched = sum(not extract_meta_json(tree, examine_meta(tree)).author for tree in trees)
    disagree = sum(find_author(tree) != extract_author(tree) for tree in trees)
    ours = theirs = float("inf")
    for _ in range(args.repeat):
        theirs = _best_seconds(extract_author, trees, theirs)
        ours = _best_seconds(find_author, trees, ours)
    print(f"command: python -m bench.author_search --repeat {args.repeat}")
    print(
        f"{len(trees)} pages; extraction searches the body on {searched} of them (no author in "
        f"the meta tags or JSON-LD); answers that differ: {disagree}"
    )
    print(f"trafilatura extract_author: {theirs / len(trees) * 1000:.2f} ms a page (best round)")
    print(f"newsbeam find_author:       {ours / len(trees) * 1000:.2f} ms a page (best round)")
    print(f"ratio: {theirs / ours:.2f}x faster")


if __name__ == "__main__":
    main()
