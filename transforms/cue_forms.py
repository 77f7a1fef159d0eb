"""Inflected forms of the words of the taxonomy's phrases, precomputed from simplemma.

A phrase of several words is written once in the taxonomy ("izmenjava zapornikov", "обмен
пленными"), but inflecting languages decline its head with the sentence: "pri izmenjavi
zapornikov", "об обмене пленными". `schemas/cue_forms.json` maps, per simplemma language, every
form of every word of such a phrase (of the bundled taxonomy's theme cues, their contexts and
negatives, and the relations' phrases) to the word's lemma, all folded. The tagger then matches a
phrase by the lemmas of its words as well as by its letters (`Tagger._inflected_hits`): a word
the file does not hold stands for itself. Loading simplemma's dictionaries takes seconds a
language, so the forms are computed here, not at tagging time.

Regenerate after changing the taxonomy's phrases or upgrading simplemma (a phrase added since is
still matched as written; only its other forms wait for the file):

    python -m newsbeam.transforms.cue_forms
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from newsbeam.transforms.gazetteer import dictionary_spelling, fold
from newsbeam.transforms.name_forms import LEMMA_LANGUAGES
from newsbeam.transforms.taxonomy import SPLIT_MARK, Taxonomy, load_taxonomy

__all__ = [
    "INFLECTED_LANGUAGES", "covered_words", "generate", "inflectable", "load_cue_forms",
    "phrase_words",
]  # fmt: skip

_LOGGER = logging.getLogger(__name__)
_FILE = "cue_forms.json"
# Turkish is left out: its suffixes give tens of thousands of forms for a hundred words, and
# its phrases are written with open endings ("yaptırım*") where they need them.
INFLECTED_LANGUAGES = {k: v for k, v in LEMMA_LANGUAGES.items() if k != "tr"}
_MIN_WORD = 3  # shorter words (prepositions, particles) stand for themselves
_PLAIN_WORD = re.compile(r"\w+")


def inflectable(phrase: str) -> list[str] | None:
    """The folded words of a phrase matched by lemmas: two words or more, each a plain word
    (no open ending, no split verb, no hyphen or stop); None for any other phrase."""
    if "*" in phrase or SPLIT_MARK in phrase:
        return None
    words = fold(phrase).split()
    if len(words) < 2 or not all(_PLAIN_WORD.fullmatch(w) for w in words):
        return None
    return words


def _phrases(taxonomy: Taxonomy) -> dict[str, set[str]]:
    """The taxonomy's phrases by language (the languages of `INFLECTED_LANGUAGES`)."""
    found: dict[str, set[str]] = defaultdict(set)

    def take(pairs: Iterable[tuple[Any, ...]]) -> None:
        for language, phrase, *_ in pairs:
            if language in INFLECTED_LANGUAGES:
                found[language].add(phrase)

    for theme in taxonomy.themes:
        take(theme.cues)
        take(theme.context)
        take(theme.negative)
    rules = taxonomy.relations
    if rules is not None:
        for pairs in (rules.cues, rules.actors, rules.background, rules.other_senses):
            take(pairs)
        take(rules.standing)
    return found


def generate(taxonomy: Taxonomy) -> dict[str, Any]:
    """The file's content: per simplemma language, {folded form: folded lemma} for every form
    whose lemma is the lemma of a word (of `_MIN_WORD` letters or more) of an inflectable
    phrase of the taxonomy."""
    import simplemma
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    words = phrase_words(taxonomy)
    factory = DefaultDictionaryFactory()
    languages: dict[str, dict[str, str]] = {}
    for code, wanted in sorted(words.items()):
        raw = factory.get_dictionary(code)._dict  # bytes -> bytes; items() would decode all
        spelt = {w: dictionary_spelling(w, code).encode() for w in wanted}
        lemmas = {fold(raw[spelt[w]].decode()) if spelt[w] in raw else w for w in wanted}
        forms: dict[str, str] = {}
        for key, value in raw.items():
            lemma = fold(value.decode())
            if lemma in lemmas:
                form = fold(key.decode())
                if form != lemma and _PLAIN_WORD.fullmatch(form):
                    forms[form] = lemma
        languages[code] = {"words": sorted(wanted), "forms": dict(sorted(forms.items()))}
        _LOGGER.info("%s: %d forms of %d words", code, len(forms), len(wanted))
    return {"simplemma": simplemma.__version__, **languages}


@functools.cache
def load_cue_forms() -> dict[str, dict[str, str]]:
    """The bundled forms by simplemma language, {folded form: folded lemma} (read once per
    process)."""
    return {code: value["forms"] for code, value in _bundled().items()}


def covered_words() -> dict[str, frozenset[str]]:
    """The words the bundled forms were made for, by simplemma language."""
    return {code: frozenset(value["words"]) for code, value in _bundled().items()}


def phrase_words(taxonomy: Taxonomy) -> dict[str, set[str]]:
    """The words (of `_MIN_WORD` letters or more) of the taxonomy's inflectable phrases, by
    simplemma language: what the forms are made for."""
    words: dict[str, set[str]] = defaultdict(set)
    for language, phrases in _phrases(taxonomy).items():
        for phrase in phrases:
            for word in inflectable(phrase) or ():
                if len(word) >= _MIN_WORD:
                    words[INFLECTED_LANGUAGES[language]].add(word)
    return words


@functools.cache
def _bundled() -> dict[str, dict[str, Any]]:
    text = resources.files("newsbeam.schemas").joinpath(_FILE).read_text(encoding="utf-8")
    return {k: v for k, v in json.loads(text).items() if isinstance(v, dict)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate schemas/cue_forms.json.")
    default = Path(__file__).resolve().parents[1] / "schemas" / _FILE
    parser.add_argument("--out", default=str(default), help="the file written")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    content = generate(load_taxonomy())
    Path(args.out).write_text(
        json.dumps(content, ensure_ascii=False, indent=0) + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
