"""Near-duplicate quality: pair precision and recall on real article bodies with synthetic edits.

The 181 bodies of `../shared/data/extraction-benchmark/ground-truth.json` are read in place
(never copied into the repository). From them, seeded and so repeatable:

- positives: a body and a syndicated copy of it with 1 to 4 of the edits wire copies show
  (headline line rewritten or added, byline changed, one or two sentences added, removed or
  reworded, the tail paragraphs reordered);
- hard negatives: pairs of different bodies (every body against its 8 most similar other
  bodies by shingle Jaccard, so the hardest ones, plus random ones), the first and second half
  of one body, and "follow-up" stories that reuse up to a third of another body's paragraphs
  as background around new material.

A pair is predicted a duplicate exactly as `Deduplicate` decides: the two sketches share an LSH
band key and the verified Jaccard similarity is at least the threshold. Reported as a separate
line and not counted either way: truncated copies (a body against its first half).

    python bench/dedup_quality.py [--threshold 0.5] [--shingle-words 5] [--bands 32] ...
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

from newsbeam.transforms.minhash import NearDuplicateSettings, jaccard, sketch_text

DEFAULT_DATA = (
    Path(__file__).resolve().parents[2] / "shared/data/extraction-benchmark/ground-truth.json"
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
HEADLINES = [
    "Officials confirm details as story develops",
    "What we know so far",
    "UPDATE 2: fresh details emerge",
    "Analysis: the numbers behind the headlines",
]
BYLINES = [
    "By Staff Writer | Riverbend Courier",
    "From wire reports",
    "By Alex Morgan and Sam Rivera, Associated Desk",
    "Reporting by Kim Lee; editing by Jo Park",
]


def load_bodies(path: Path) -> list[str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [entry["articleBody"] for entry in data.values() if entry.get("articleBody")]


def paragraphs(text: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
    return parts or [text]


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text) if s.strip()]


def reword(sentence: str, rng: random.Random, vocabulary: list[str]) -> str:
    """Replace about a third of a sentence's longer words, as a copy editor's rewrite does."""
    words = sentence.split()
    for i, word in enumerate(words):
        if len(word) > 3 and rng.random() < 0.35:
            words[i] = rng.choice(vocabulary)
    return " ".join(words)


def syndicate(body: str, rng: random.Random, vocabulary: list[str], donors: list[str]) -> str:
    """A syndicated copy: 1 to 4 edits of the kinds wire copies show."""
    paras = paragraphs(body)
    edits = rng.sample(["headline", "byline", "sentences", "reorder"], rng.randint(1, 4))
    if "sentences" in edits:
        for _ in range(rng.randint(1, 2)):
            p = rng.randrange(len(paras))
            sents = sentences(paras[p])
            action = rng.choice(["add", "remove", "reword"])
            s = rng.randrange(len(sents))
            if action == "add":
                sents.insert(s, rng.choice(sentences(rng.choice(donors))))
            elif action == "remove" and len(sents[s].split()) * 5 <= len(body.split()):
                del sents[s]  # a dropped sentence, not a dropped fifth of the story
            else:
                sents[s] = reword(sents[s], rng, vocabulary)
            paras[p] = " ".join(sents)
            paras = [p for p in paras if p.strip()] or paras
    if "reorder" in edits and len(paras) >= 3:
        tail = rng.randint(2, min(3, len(paras)))
        end = paras[-tail:]
        rng.shuffle(end)
        paras = paras[:-tail] + end
    if "byline" in edits:
        paras = [rng.choice(BYLINES), *paras]
    if "headline" in edits:
        paras = [rng.choice(HEADLINES), *paras]
    return "\n\n".join(paras)


def follow_up(background: str, new_material: str, rng: random.Random) -> str | None:
    """A different story on the same topic: new material around <= 1/3 of another's paragraphs."""
    old, new = paragraphs(background), paragraphs(new_material)
    if len(old) < 3 or len(new) < 2:
        return None
    shared = rng.sample(old, max(1, len(old) // 3))
    if sum(len(p) for p in shared) > sum(len(p) for p in new):
        return None  # would be more reuse than news: not a clean negative
    return "\n\n".join([*new[: len(new) // 2], *shared, *new[len(new) // 2 :]])


def build_pairs(bodies: list[str], seed: int, settings: NearDuplicateSettings):
    """(label, kind, text a, text b) for the positives, negatives and truncations."""
    rng = random.Random(seed)
    vocabulary = sorted({w for b in bodies for w in b.split() if w.isalpha() and len(w) > 4})
    pairs: list[tuple[bool | None, str, str, str]] = []
    for i, body in enumerate(bodies):
        donors = bodies[:i] + bodies[i + 1 :]
        for _ in range(3):
            pairs.append((True, "syndicated copy", body, syndicate(body, rng, vocabulary, donors)))
    sketches = [sketch_text(b, settings) for b in bodies]
    for i in range(len(bodies)):
        scored = sorted(
            (
                (jaccard(sketches[i].shingles, sketches[j].shingles), j)
                for j in range(len(bodies))
                if j != i and sketches[i] and sketches[j]
            ),
            reverse=True,
        )
        for _score, j in scored[:8]:
            if i < j:
                pairs.append((False, "different bodies (most similar)", bodies[i], bodies[j]))
    for _ in range(2000):
        i, j = rng.sample(range(len(bodies)), 2)
        pairs.append((False, "different bodies (random)", bodies[i], bodies[j]))
    for body in bodies:
        paras = paragraphs(body)
        if len(paras) >= 2:
            half = len(paras) // 2
            first, second = "\n\n".join(paras[:half]), "\n\n".join(paras[half:])
        else:
            words = body.split()
            first, second = " ".join(words[: len(words) // 2]), " ".join(words[len(words) // 2 :])
        pairs.append((False, "first half vs second half", first, second))
        pairs.append((None, "truncated copy (first half)", body, first))
    for _ in range(600):
        i, j = rng.sample(range(len(bodies)), 2)
        story = follow_up(bodies[i], bodies[j], rng)
        if story is not None:
            pairs.append((False, "follow-up reusing <=1/3 as background", bodies[i], story))
    return pairs


def main(argv: list[str] | None = None) -> int:
    defaults = NearDuplicateSettings()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threshold", type=float, default=defaults.threshold)
    parser.add_argument("--shingle-words", type=int, default=defaults.shingle_words)
    parser.add_argument("--num-perm", type=int, default=defaults.num_perm)
    parser.add_argument("--bands", type=int, default=defaults.bands)
    parser.add_argument("--min-words", type=int, default=defaults.min_words)
    args = parser.parse_args(argv)
    settings = NearDuplicateSettings(
        shingle_words=args.shingle_words,
        num_perm=args.num_perm,
        bands=args.bands,
        threshold=args.threshold,
        min_words=args.min_words,
    )
    print("$ python " + " ".join([sys.argv[0], *(argv if argv is not None else sys.argv[1:])]))
    print(f"settings: {settings}")
    started = time.perf_counter()
    bodies = load_bodies(args.data)
    pairs = build_pairs(bodies, args.seed, settings)
    by_kind: dict[str, list[int]] = {}
    similarities: dict[str, list[float]] = {}
    tp = fp = fn = tn = 0
    for label, kind, a, b in pairs:
        sa, sb = sketch_text(a, settings), sketch_text(b, settings)
        similarity = jaccard(sa.shingles, sb.shingles) if sa and sb else 0.0
        candidate = bool(sa and sb and set(sa.bands) & set(sb.bands))
        predicted = candidate and similarity >= settings.threshold
        counts = by_kind.setdefault(kind, [0, 0, 0])  # pairs, predicted duplicate, candidates
        counts[0] += 1
        counts[1] += predicted
        counts[2] += candidate
        similarities.setdefault(kind, []).append(similarity)
        if label is True:
            tp += predicted
            fn += not predicted
        elif label is False:
            fp += predicted
            tn += not predicted
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"bodies: {len(bodies)}, labelled pairs: {tp + fp + fn + tn} ({tp + fn} positive)")
    print(f"{'pair kind':42} {'pairs':>6} {'merged':>7} {'LSH cand.':>9}  Jaccard min/median/max")
    for kind, (n, merged, cand) in by_kind.items():
        sims = sorted(similarities[kind])
        print(
            f"{kind:42} {n:6d} {merged:7d} {cand:9d}  "
            f"{sims[0]:.3f}/{sims[len(sims) // 2]:.3f}/{sims[-1]:.3f}"
        )
    print(f"precision {precision:.4f} (target >= 0.99)   recall {recall:.4f} (target >= 0.95)")
    print(f"tp {tp} fp {fp} fn {fn} tn {tn}; {time.perf_counter() - started:.1f} s")
    return 0 if precision >= 0.99 and recall >= 0.95 else 1


if __name__ == "__main__":
    sys.exit(main())
