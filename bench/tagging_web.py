"""Tagging quality on unseen real news pages labelled by reading them (bench/data/tagging_web/).

The labels (one JSON object a line: id, url, language, required, forbidden, countries, note) name
news texts kept outside the repository (their text is not ours): a JSON-lines file of records
{id, url, language, query, title, text}, by default /work/corpora/web-news/pages.jsonl. There is
no HTML: each text is tagged as it is, with its title (when the text opens with the title, that
line is taken off the body, as extraction keeps the headline apart) and its labelled language.

Scores are counted as in `bench.tagging_real` (same scoring code): precision = required tags
given / tags given (every tag not in `required` counts as wrong); recall = required tags found /
required tags; focus-country agreement = labelled focus countries found / labelled. Also per
language, and the languages where a right relation tag was given. Its 156 articles were
unseen when the rules of taxonomy 2026.12.3 were scored on them; two rules of 2026.12.5 came
from reading its errors, so it is now a development set (see bench/BENCHMARKS.md's history for
the figures of each step). A fresh set is needed for the next unseen figure.

`--set web3` scores a second set (bench/data/tagging_web3/, texts at
/work/corpora/web-news-3/pages.jsonl): 126 excerpts in 33 languages, collected and labelled
by a reader who never saw the tagger's output; unseen when taxonomy 2026.12.7 was scored on it,
a development set since (its errors were read for 2026.12.8). `--set web4` scores a third set
(bench/data/tagging_web4/, 120 excerpts in 30 languages): only its totals were read until
taxonomy 2026.12.17; its errors were read for 2026.12.18, so it is a development set too.
`--set web5` scores a fourth set (bench/data/tagging_web5/, 130 excerpts in 41 languages): only
its totals were read until taxonomy 2026.12.31; its errors were read for 2027.1.1, so it is a
development set too. `--set web6` scores a fifth set (bench/data/tagging_web6/, 112 excerpts in
41 languages, texts at /work/corpora/web-news-6/pages.jsonl), collected and labelled without
running the tagger, with more theme stories: only its totals were read until taxonomy 2027.1.7;
its errors were read for 2027.1.8, so it is a development set too. `--set web7` scores a sixth
set (bench/data/tagging_web7/, 78 excerpts in 41 languages, texts at
/work/corpora/web-news-7/pages.jsonl), collected and labelled the same way with pairs and story
kinds unlike the earlier sets: only its totals were read until taxonomy 2027.1.13; its errors
were read for 2027.1.14, so it is a development set too. `--set web8` scores a seventh set
(bench/data/tagging_web8/, 124 excerpts in 42 languages, texts at
/work/corpora/web-news-8/pages.jsonl), collected and labelled the same way: only its totals
were read until taxonomy 2027.1.30; its errors were read for 2027.1.31, so it is a development
set too. `--set web9` scores an eighth set (bench/data/tagging_web9/, 117 excerpts in 44
languages, texts at /work/corpora/web-news-9/pages.jsonl), collected and labelled the same way.
`--set web10` scores a ninth set (bench/data/tagging_web10/, 70 excerpts in 36 languages with the
themes balanced, texts at /work/corpora/web-news-10/pages.jsonl), collected and labelled the same
way. Only the totals of web9 and web10 were read until taxonomy 2027.1.50; web10's errors were
read for 2027.1.51, and both are development sets since. `--set web11` scores a tenth set
(bench/data/tagging_web11/, 67 excerpts in 38 languages with the themes balanced, texts at
/work/corpora/web-news-11/pages.jsonl), collected and labelled the same way: only its totals
were read until taxonomy 2027.1.57; its errors were read for 2027.1.58, so it is a development
set too. `--set web12` scores an eleventh set (bench/data/tagging_web12/, 69 excerpts in 40
languages with the themes balanced, texts at /work/corpora/web-news-12/pages.jsonl), collected
and labelled the same way: only its totals were read until taxonomy 2027.1.59; its errors were
read for 2027.1.60 on, so it is a development set too. `--set web13`
scores a twelfth set (bench/data/tagging_web13/, 90 excerpts in 40 languages with the themes
balanced, texts at /work/corpora/web-news-13/pages.jsonl), collected and labelled the same way:
only its totals were read until taxonomy 2027.1.64; its errors were read for 2027.1.65 on, so it
is a development set too. `--set web14` scores a thirteenth set (bench/data/tagging_web14/, 91
excerpts in 40 languages, half of its positives ordinary stories, texts at
/work/corpora/web-news-14/pages.jsonl), collected and labelled the same way: unseen, only its
totals are read. `--set web15` scores a fourteenth set (bench/data/tagging_web15/, 101 excerpts
in 40 languages, texts at /work/corpora/web-news-15/pages.jsonl): ordinary world news picked
without regard to how hard it looks, a third of it with no topic, collected and labelled the same
way: unseen, only its totals are read. `--set review` scores the 464 excerpts in 40 languages
of the per-language cue review of 2026-12-07 (bench/data/tagging_review/, texts at
/work/corpora/web-news-review/pages.jsonl): collected by reviewers who had read the cue lists,
so not blind to the rules, and the cues of taxonomy 2027.1.69 came from its misses: a
development set from the start.

The texts of every set live only on the machine that collected them: on 2026-12-06 they were
lost with it, and web11's and web12's were found again in the same search corpus, all but 15 of
136 pages (see their READMEs). A set whose texts file is missing cannot be scored; a page missing
from a texts file counts as untagged.

Run from the repository root:
    python -m bench.tagging_web [--set web|web3|...|web15|review] [--texts FILE] [--show N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bench.tagging_real import _score
from newsbeam.transforms.tagger import Tagger
from newsbeam.transforms.taxonomy import load_taxonomy

DATA = Path(__file__).resolve().parent / "data"
# The sets: labels in the repository, texts outside it, and what the set is to the tagger.
SETS = {
    "web": (
        DATA / "tagging_web" / "labels.jsonl",
        Path("/work/corpora/web-news/pages.jsonl"),
        "real news excerpts labelled by reading (development set since taxonomy 2026.12.5)",
    ),
    "web3": (
        DATA / "tagging_web3" / "labels.jsonl",
        Path("/work/corpora/web-news-3/pages.jsonl"),
        "real news excerpts labelled by reading (unseen at 2026.12.7; development set since)",
    ),
    "web4": (
        DATA / "tagging_web4" / "labels.jsonl",
        Path("/work/corpora/web-news-4/pages.jsonl"),
        "real news excerpts labelled by reading (unseen until 2026.12.17; development set since)",
    ),
    "web5": (
        DATA / "tagging_web5" / "labels.jsonl",
        Path("/work/corpora/web-news-5/pages.jsonl"),
        "real news excerpts labelled by reading (unseen until 2026.12.31; development set since)",
    ),
    "web6": (
        DATA / "tagging_web6" / "labels.jsonl",
        Path("/work/corpora/web-news-6/pages.jsonl"),
        "real news excerpts labelled by reading (unseen until 2027.1.7; development set since)",
    ),
    "web7": (
        DATA / "tagging_web7" / "labels.jsonl",
        Path("/work/corpora/web-news-7/pages.jsonl"),
        "real news excerpts labelled by reading (unseen until 2027.1.13; development set since)",
    ),
    "web8": (
        DATA / "tagging_web8" / "labels.jsonl",
        Path("/work/corpora/web-news-8/pages.jsonl"),
        "real news excerpts labelled by reading (unseen until 2027.1.30; development set since)",
    ),
    "web9": (
        DATA / "tagging_web9" / "labels.jsonl",
        Path("/work/corpora/web-news-9/pages.jsonl"),
        "real news excerpts labelled by reading (unseen until 2027.1.50; development set since)",
    ),
    "web10": (
        DATA / "tagging_web10" / "labels.jsonl",
        Path("/work/corpora/web-news-10/pages.jsonl"),
        "real news excerpts labelled by reading (unseen until 2027.1.50; development set since)",
    ),
    "web11": (
        DATA / "tagging_web11" / "labels.jsonl",
        Path("/work/corpora/web-news-11/pages.jsonl"),
        "real news excerpts labelled by reading (unseen until 2027.1.57; development set since)",
    ),
    "web12": (
        DATA / "tagging_web12" / "labels.jsonl",
        Path("/work/corpora/web-news-12/pages.jsonl"),
        "real news excerpts labelled by reading (unseen until 2027.1.59; development set since)",
    ),
    "web13": (
        DATA / "tagging_web13" / "labels.jsonl",
        Path("/work/corpora/web-news-13/pages.jsonl"),
        "real news excerpts labelled by reading (unseen until 2027.1.64; development set since)",
    ),
    "web14": (
        DATA / "tagging_web14" / "labels.jsonl",
        Path("/work/corpora/web-news-14/pages.jsonl"),
        "real news excerpts labelled by reading (unseen: only totals read)",
    ),
    "web15": (
        DATA / "tagging_web15" / "labels.jsonl",
        Path("/work/corpora/web-news-15/pages.jsonl"),
        "ordinary world news excerpts labelled by reading (unseen: only totals read)",
    ),
    "review": (
        DATA / "tagging_review" / "labels.jsonl",
        Path("/work/corpora/web-news-review/pages.jsonl"),
        "real news excerpts of the cue review, labelled by reading (development set)",
    ),
}


def read_labels(path: Path) -> list[dict]:
    """The labelled rows; a later line for the same id replaces an earlier one."""
    rows: dict[str, dict] = {}
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            rows[row["id"]] = row
    return list(rows.values())


def read_texts(path: Path, wanted: set[str]) -> dict[str, dict]:
    """The text records of the wanted ids, by id."""
    texts = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                if record["id"] in wanted:
                    texts[record["id"]] = record
    return texts


def title_and_body(record: dict) -> tuple[str | None, str]:
    """The headline and the body as the tagger gets them after extraction: a text that opens
    with its headline loses that first line, so the headline is not counted twice."""
    title = (record.get("title") or "").strip()
    text = record["text"]
    if title and text.lstrip().startswith(title):
        text = text.lstrip()[len(title) :].lstrip()
    return title or None, text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=sorted(SETS), default="web", help="which labelled set")
    parser.add_argument("--labels", default=None, help="the labels file (default: the set's)")
    parser.add_argument("--texts", default=None, help="the texts file (default: the set's)")
    parser.add_argument("--taxonomy", default=None, help="a taxonomy file (default: bundled)")
    parser.add_argument("--show", type=int, default=0, help="wrong and missed tags listed")
    args = parser.parse_args(argv)
    labels_path, texts_default, kind = SETS[args.set]
    labels_path = Path(args.labels) if args.labels else labels_path
    texts_path = Path(args.texts) if args.texts else texts_default
    if not texts_path.is_file():
        sys.exit(f"no texts file at {texts_path} (the labelled texts are kept outside the repo)")
    rows = read_labels(labels_path)
    if not rows:
        sys.exit(f"no labels in {labels_path}")
    texts = read_texts(texts_path, {r["id"] for r in rows})
    tagger = Tagger(load_taxonomy(args.taxonomy))
    started = time.perf_counter()
    results = {}
    for key, record in texts.items():
        title, body = title_and_body(record)
        results[key] = tagger.tag(body, title, record.get("language") or None, record.get("url"))
    elapsed = time.perf_counter() - started
    lost = [r["id"] for r in rows if r["id"] not in texts]
    print(
        f"{len(rows)} labelled, {len(texts)} texts found ({len(lost)} not: counted untagged); "
        f"tagged in {elapsed * 1000:.0f} ms"
    )
    _score(rows, results, "all", args.show, kind=kind)
    return 0


if __name__ == "__main__":
    sys.exit(main())
