"""Country forms the tagger used to miss on real pages (bench/tagging_web.py): demonyms in
French, Spanish, Italian and Portuguese for most countries ("le président sénégalais", "el
canciller guatemalteco"), the home country's own demonym ("son homologue français") but not the
language of that name ("écrit en français"). Every text here was written for these tests."""

from __future__ import annotations

import pytest

from newsbeam.transforms.tagger import Tagger
from newsbeam.transforms.taxonomy import load_taxonomy


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_taxonomy())


def relations(topics: list[str]) -> list[str]:
    return [t for t in topics if t.startswith("relations:")]


# One side of each pair is named only by its demonym next to an office word.
@pytest.mark.parametrize(
    ("language", "text", "pair"),
    [
        (
            "fr",
            "Le président sénégalais a entamé lundi une visite d'État au Mali, où il a signé un "
            "accord de sécurité avec son homologue.",
            "relations:ml-sn",
        ),
        (
            "es",
            "El canciller guatemalteco viajó a Taiwán, donde firmó un acuerdo de cooperación "
            "con su homólogo.",
            "relations:gt-tw",
        ),
        (
            "it",
            "Il ministro degli Esteri peruviano ha incontrato il suo omologo cileno per firmare "
            "un accordo sul confine.",
            "relations:cl-pe",
        ),
        (
            "pt",
            "O presidente angolano recebeu o seu homólogo moçambicano para assinar um acordo de "
            "cooperação.",
            "relations:ao-mz",
        ),
        (
            "fr",
            "Le ministre français des Affaires étrangères a rencontré son homologue ivoirien à "
            "Abidjan pour signer un accord.",
            "relations:ci-fr",
        ),
    ],
)
def test_a_demonym_next_to_an_office_names_its_country(tagger, language, text, pair):
    result = tagger.tag(text, None, language)
    assert pair in relations(result.topics)
    codes = pair.removeprefix("relations:").split("-")
    assert set(codes) <= set(result.countries)


def test_a_writers_nationality_is_still_no_party(tagger):
    text = "El escritor peruano ganó un premio en Chile por su novela sobre la selva."
    result = tagger.tag(text, None, "es")
    assert "pe" in result.countries
    assert relations(result.topics) == []


@pytest.mark.parametrize(
    ("language", "text", "absent"),
    [
        ("fr", "Le roman, écrit en français, sort au Canada en mars chez un éditeur.", "fr"),
        ("es", "La novela se publica en español y en inglés el próximo mes en México.", "es"),
        ("it", "Il sito è disponibile in italiano e in tedesco per i turisti in Grecia.", "it"),
        ("pt", "O livro foi traduzido para o português e chega ao Brasil em maio.", "pt"),
    ],
)
def test_a_language_named_like_a_people_is_no_country(tagger, language, text, absent):
    result = tagger.tag(text, None, language)
    assert result.countries and absent not in result.countries
