"""Country forms in the languages the gazetteer covered least: the -s genitive of Swedish, Danish
and Norwegian names ("Sveriges", "Moskvas"), CLDR's Serbian names in the Latin script next to the
Cyrillic ones. Every text here was written for these tests."""

from __future__ import annotations

import pytest

from newsbeam.transforms.gazetteer import load_gazetteer
from newsbeam.transforms.tagger import Tagger
from newsbeam.transforms.taxonomy import load_taxonomy


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_taxonomy())


def countries(tagger: Tagger, text: str, language: str) -> set[str]:
    return set(tagger.tag(text, None, language).countries)


# -- the -s genitive ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "codes"),
    [
        ("sv", "Rysslands regering kallade på onsdagen upp Finlands ambassadör.", {"ru", "fi"}),
        ("da", "Kinas udenrigsminister mødte i går Canadas premierminister.", {"cn", "ca"}),
        ("no", "Tysklands forsvarsminister svarte Moskvas krav på fredag.", {"de", "ru"}),
        ("nb", "Sveriges statsminister møtte Polens president i går kveld.", {"se", "pl"}),
        # A name of two words takes the -s on its last.
        ("no", "Sør-Koreas president ringte Japans statsminister om natten.", {"kr", "jp"}),
        ("sv", "Nordkoreas ledare fördömde Sydkoreas övning.", {"kp", "kr"}),
    ],
)
def test_a_scandinavian_genitive_names_its_country(tagger, language, text, codes):
    assert codes <= countries(tagger, text, language)


def test_a_genitive_keeps_the_rules_of_its_name(tagger):
    # "Jordans" is Jordan's genitive: the rule for Jordan the player still applies to it.
    text = "Michael Jordans skor såldes på auktion för en rekordsumma."
    assert "jo" not in countries(tagger, text, "sv")


def test_a_name_ending_in_s_takes_no_second_one():
    from newsbeam.transforms.name_forms import generate

    forms = generate(load_gazetteer())
    assert forms["sv"]["forms"]["sveriges"] == "sverige"
    assert forms["no"]["forms"]["moskvas"] == "moskva"
    assert "pariss" not in forms["sv"]["forms"]
    assert "hellass" not in forms["no"]["forms"]


# -- Serbian in both scripts --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Predsednik Srbije je u utorak otputovao u Mađarsku na razgovore.", {"rs", "hu"}),
        ("Председник Србије је у уторак разговарао са премијером Мађарске.", {"rs", "hu"}),
    ],
)
def test_serbian_names_in_the_latin_and_the_cyrillic_script(tagger, text, codes):
    assert codes <= countries(tagger, text, "sr")
