"""Which country forms news writes the gazetteer does not find, language by language.

For each language of the gazetteer (but is, nn and ur) and the countries most in world news,
`bench/data/gazetteer_forms.json` lists the forms news uses beside CLDR's names: full and short
names, abbreviations, old names still written, and the cases of names of several words; under
`people`, for 25 languages, the nouns for a country's people in the numbers and cases news uses
("to 26 Canadians", "two Iranians were detained") and the adjective's feminine and plural forms.
Each form is put in a short sentence of its language ("{} announced new trade talks on Monday",
"a representative of {} spoke"; the people's nouns in one neutral frame per language) and
tagged; a form is missed when its country is not among the sentence's focus countries. The
forms were written from knowledge of each language, the doubtful ones checked against real news
text; `left_out` lists forms deliberately not in the gazetteer, with the reason (another sense,
a person's name, the place rather than the state), and they are not tried. Prints the missed
forms per language.

Run from the repository root:  /work/venv/bin/python -m bench.gazetteer_forms [--taxonomy FILE]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from newsbeam.transforms.tagger import Tagger
from newsbeam.transforms.taxonomy import load_taxonomy

FORMS = Path(__file__).resolve().parent / "data" / "gazetteer_forms.json"
_CYRILLIC = re.compile("[\u0400-\u04ff]")


def misses(tagger: Tagger, data: dict) -> tuple[dict[str, list[str]], int]:
    """Per language, the forms whose country the tagger does not find; and how many were tried."""
    found: dict[str, list[str]] = {}
    tried = 0

    def check(language: str, code: str, label: str, text: str) -> None:
        nonlocal tried
        tried += 1
        countries = tagger.tag(text, None, language).countries
        if code not in countries:
            got = f" (got {', '.join(countries)})" if countries else ""
            found.setdefault(language, []).append(f"{code}: {label}{got}")

    def check_forms(tables: dict, templates: dict) -> None:
        # Serbian forms in Cyrillic take the Cyrillic sentence ("sr-cyr").
        for language, table in tables.items():
            for code, forms in table.items():
                for form in forms.split("|"):
                    cyrillic = language == "sr" and _CYRILLIC.search(form)
                    template = templates["sr-cyr" if cyrillic else language]
                    check(language, code, form, template.format(form))

    check_forms(data["forms"], data["subject"])
    for language, table in data["cases"].items():
        for code, forms in table.items():
            for form in forms.split("|"):
                check(language, code, form, data["of"][language].format(form))
    for language, text, code in data["sentences"]:
        check(language, code, text, text)
    people = data.get("people", {"forms": {}, "template": {}})
    check_forms(people["forms"], people["template"])
    return found, tried


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taxonomy", default=None, help="a taxonomy file (default: bundled)")
    parser.add_argument("--forms", default=str(FORMS), help="the forms file")
    args = parser.parse_args(argv)
    data = json.loads(Path(args.forms).read_text(encoding="utf-8"))
    found, tried = misses(Tagger(load_taxonomy(args.taxonomy)), data)
    print(f"{sum(len(v) for v in found.values())} of {tried} forms missed")
    for language, items in sorted(found.items()):
        print(f"{language} ({len(items)}): " + "; ".join(items))
    left = sum(len(v) for v in data["left_out"].values())
    print(f"{left} forms left out on purpose (left_out), not tried")
    return 0


if __name__ == "__main__":
    sys.exit(main())
