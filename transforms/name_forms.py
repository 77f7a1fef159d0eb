"""Inflected forms of country names, precomputed from simplemma's dictionaries.

Languages that inflect names write "Rosji", "Ukrajině", "Saksan". simplemma's dictionary of a
language maps such forms to their lemma, but loading one dictionary takes a second or more, once
per language and worker. Swedish, Danish and Norwegian genitives in -s ("Sveriges", "Moskvas")
are added by rule: the dictionaries lack most of them. `schemas/name_forms.json` holds, per
language, every form whose lemma is a single-word country name or capital of the bundled
gazetteer (folded form -> folded lemma; not an abbreviation's: "САД" takes no forms from the
word "сад", a garden), so the tagger looks a word up instead of loading a dictionary. Names
the file does not cover (a user's gazetteer) are still lemmatized with simplemma at tagging
time (see `tagger.py`).

The same command writes `schemas/cldr_names.json`, CLDR's country names as Babel gives them,
so that loading the gazetteer does not parse Babel's locale data. Regenerate both after changing
the gazetteer's names or upgrading simplemma or Babel:

    python -m newsbeam.transforms.name_forms
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import sys
from collections import defaultdict
from importlib import resources
from pathlib import Path
from typing import Any

from newsbeam.transforms.gazetteer import (
    GENITIVE_S,
    Gazetteer,
    cldr_names,
    fold,
    load_gazetteer,
    phrase_key,
)

__all__ = ["LEMMA_LANGUAGES", "NameForms", "generate", "lemma_names", "load_name_forms"]

_LOGGER = logging.getLogger(__name__)

# Language code of the article -> simplemma's code, for languages whose country names inflect.
LEMMA_LANGUAGES = {
    "bg": "bg", "ca": "ca", "cs": "cs", "da": "da", "de": "de", "el": "el", "es": "es",
    "et": "et", "fi": "fi", "fr": "fr", "hr": "hbs", "sr": "hbs", "bs": "hbs", "hu": "hu",
    "is": "is", "it": "it", "lt": "lt", "lv": "lv", "mk": "mk", "nb": "nb", "no": "nb",
    "nn": "nn", "nl": "nl", "pl": "pl", "pt": "pt", "ro": "ro", "ru": "ru", "sk": "sk",
    "sl": "sl", "sq": "sq", "sv": "sv", "tr": "tr", "uk": "uk",
}  # fmt: skip
_FILE = "name_forms.json"

# (language -> {folded form: folded lemma}, language -> the folded names the forms were made for)
NameForms = tuple[dict[str, dict[str, str]], dict[str, frozenset[str]]]


def lemma_names(gazetteer: Gazetteer) -> dict[str, dict[str, tuple[str, str]]]:
    """Per language, the single-word names and capitals (folded) -> (code, kind): the words an
    inflected form can stand for. Abbreviations (a capital after the first letter: САД, ЦАР,
    JAR, BiH) are not among them: they are not declined from a dictionary, and the word of the
    same letters there is another word (сад a garden, цар a tsar)."""
    names: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    for alias in gazetteer.aliases:
        core = phrase_key(alias.phrase)[0]
        if alias.kind in ("name", "capital") and "*" not in alias.phrase and " " not in core:
            if any(c.isupper() for c in alias.phrase[1:]):
                continue
            names[alias.language][core] = (alias.code, alias.kind)
    return names


def generate(gazetteer: Gazetteer) -> dict[str, Any]:
    """The file's content: for each inflecting language, every form in simplemma's dictionary
    whose lemma is one of the gazetteer's names there (a form two names claim is left out)."""
    import simplemma
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    factory = DefaultDictionaryFactory()
    languages: dict[str, Any] = {}
    for language, names in sorted(lemma_names(gazetteer).items()):
        code = LEMMA_LANGUAGES.get(language)
        if code is None:
            continue
        raw = factory.get_dictionary(code)._dict  # bytes -> bytes; items() would decode all
        wanted = {v for v in set(raw.values()) if fold(v.decode()) in names}
        forms: dict[str, str] = {}
        clash: set[str] = set()
        for key, value in raw.items():
            if value in wanted:
                form, lemma = fold(key.decode()), fold(value.decode())
                if form == lemma or form in names:
                    continue  # the name itself: the automaton matches it
                if " " in form:
                    continue  # "Almanya'da" folds to two words, the first the name itself
                if forms.setdefault(form, lemma) != lemma:
                    clash.add(form)
        if language in GENITIVE_S:  # Sveriges, Moskvas: the -s genitive, by rule
            for name in names:
                form = name + "s"
                if name[-1] in "sxz" or form in names:
                    continue
                if forms.setdefault(form, name) != name:
                    clash.add(form)
        for form in clash:
            del forms[form]
        languages[language] = {"names": sorted(names), "forms": dict(sorted(forms.items()))}
        _LOGGER.info("%s: %d forms of %d names", language, len(forms), len(names))
    return {"simplemma": simplemma.__version__, "gazetteer": gazetteer.version, **languages}


@functools.cache
def load_name_forms() -> NameForms:
    """The bundled forms (read once per process; the file is data, never changed at run time)."""
    text = resources.files("newsbeam.schemas").joinpath(_FILE).read_text(encoding="utf-8")
    raw = json.loads(text)
    forms = {k: v["forms"] for k, v in raw.items() if isinstance(v, dict)}
    names = {k: frozenset(v["names"]) for k, v in raw.items() if isinstance(v, dict)}
    return forms, names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Regenerate schemas/cldr_names.json and schemas/name_forms.json."
    )
    default = Path(__file__).resolve().parents[1] / "schemas"
    parser.add_argument("--out", default=str(default), help="the folder written to")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    import babel

    # CLDR's names first: the gazetteer the forms are made from reads them.
    cldr = {"babel": babel.__version__, "names": cldr_names()}
    _write(Path(args.out) / "cldr_names.json", cldr)
    _write(Path(args.out) / _FILE, generate(load_gazetteer()))
    return 0


def _write(path: Path, content: dict[str, Any]) -> None:
    path.write_text(json.dumps(content, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
