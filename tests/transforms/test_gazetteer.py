"""The country gazetteer: coverage of every ISO country, Russian forms, and the traps news sets
(Georgia the state, Washington the hockey team, Jordan the player, turkey the bird...)."""

from __future__ import annotations

import json

import pycountry
import pytest

from newsbeam.transforms.gazetteer import (
    GazetteerError,
    dictionary_spelling,
    fold,
    load_gazetteer,
    russian_forms,
)
from newsbeam.transforms.tagger import Tagger
from newsbeam.transforms.taxonomy import load_taxonomy


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def countries(tagger, text: str, language: str = "en", title: str | None = None) -> list[str]:
    return tagger.tag(text, title, language).countries


# -- coverage and forms -------------------------------------------------------------------------


def test_every_iso_country_has_a_name_in_english_russian_and_german(gazetteer):
    named = {(a.code, a.language) for a in gazetteer.aliases}
    for country in pycountry.countries:
        code = country.alpha_2.lower()
        for language in ("en", "ru", "de"):
            assert (code, language) in named, f"{code} has no {language} name"


def test_pycountry_names_read_as_news_writes_them(gazetteer):
    phrases = {(a.phrase, a.code) for a in gazetteer.aliases}
    assert ("Republic of Korea", "kr") in phrases  # from "Korea, Republic of"
    assert ("Iran", "ir") in phrases  # the short form derived from "Iran, Islamic Republic of"
    assert ("Syrien", "sy") in phrases  # German, derived from "Syrien, Arabische Republik"
    assert not any(p == "Korea" for p, _ in phrases)  # shared by both Koreas: ambiguous, dropped


def test_russian_names_are_declined():
    assert russian_forms("Минск") == ["Минск", "Минска", "Минску", "Минске", "Минском"]
    assert russian_forms("Польша") == ["Польша", "Польши", "Польше", "Польшу", "Польшей"]
    assert "Германии" in russian_forms("Германия")
    assert "Беларуси" in russian_forms("Беларусь")
    assert "Китая" in russian_forms("Китай")
    assert russian_forms("США") == ["США"]  # acronyms do not decline
    assert russian_forms("Того") == ["Того"]


def test_fold_keeps_offsets_and_folds_yo():
    for text in ("İstanbul, Türkiye", "Берёзовка — «ёлка»", "U.S.-Belarus"):
        assert len(fold(text)) == len(text)
    assert fold("Ёлка") == "елка"
    assert fold("U.S.-Belarus") == "u s  belarus"


def test_fold_gives_romanian_comma_and_cedilla_letters_one_form():
    # Romanian sites write "Franța" or, with the older letters, "Franţa"; Turkish has only ş.
    assert fold("Franța și România") == fold("Franţa şi România")
    assert fold("Țara") == fold("Ţara") == "ţara"
    assert fold("Şam") == "şam"
    assert dictionary_spelling("sancţiunile", "ro") == "sancțiunile"
    assert dictionary_spelling("yaptırımı kaldırış", "tr") == "yaptırımı kaldırış"


def test_fold_keeps_vowel_signs_with_their_word():
    # Devanagari writes most vowels as combining signs: a word is one unit, and "रिहा" (freed)
    # and "रहा" (was) stay different words.
    assert fold("विदेश मंत्री ने मुलाकात की।") == "विदेश मंत्री ने मुलाकात की "
    assert fold("रिहा") != fold("रहा")
    assert fold("snake_case") == "snake case"


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Делегация Беларуси прибыла в Вашингтон для переговоров с США.", "ru", {"by", "us"}),
        ("Послы России и Украины обменялись нотами протеста.", "ru", {"ru", "ua"}),
        ("Белорусские и российские войска провели стрельбы.", "ru", {"by", "ru"}),
        ("Weißrussland und die Vereinigten Staaten nahmen Gespräche auf.", "de", {"by", "us"}),
        ("Die US-Militärattachés reisten nach Minsk.", "de", {"by", "us"}),
        ("The Kremlin and the White House traded accusations.", "en", {"ru", "us"}),
        ("Kyiv and Moscow both rejected the plan.", "en", {"ru", "ua"}),
    ],
)
def test_forms_news_uses_name_the_country(tagger, text, language, expected):
    assert set(countries(tagger, text, language)) == expected


# -- ambiguity ----------------------------------------------------------------------------------


def test_georgia_the_us_state_is_not_the_country(tagger):
    text = (
        "Georgia's governor signed the budget in Atlanta on Monday. Lawmakers in the state "
        "senate had approved it after a long debate about county schools."
    )
    assert "ge" not in countries(tagger, text)


def test_georgia_the_country_is_kept(tagger):
    text = (
        "Georgia and Armenia agreed to reopen a border crossing, officials in Tbilisi said. "
        "Georgia hopes the crossing will boost trade across the Caucasus."
    )
    assert "ge" in countries(tagger, text)


def test_washington_the_state_the_team_and_the_person_are_not_the_us(tagger):
    state = "Wildfires in Washington forced evacuations near Spokane and Yakima this week."
    team = "The Washington Capitals won in overtime. Washington Capitals fans filled the arena."
    person = "A biography of George Washington tops the list. Denzel Washington stars in it."
    for text in (state, team, person):
        assert "us" not in countries(tagger, text), text


def test_washington_the_government_is_the_us(tagger):
    text = "Washington imposed new restrictions on Minsk, and Minsk promised to respond."
    assert set(countries(tagger, text)) == {"by", "us"}


def test_jordan_the_player_is_not_the_country(tagger):
    text = "Michael Jordan watched from courtside. Jordan said the young guard reminded him of us."
    assert "jo" not in countries(tagger, text)


def test_jordan_the_country_is_kept(tagger):
    text = "King Abdullah of Jordan received the Iraqi prime minister in Amman for talks."
    assert "jo" in countries(tagger, text)


def test_chad_the_first_name_is_not_the_country(tagger):
    text = "Chad Reynolds opened a bakery in Ohio last spring. Chad says business is booming."
    assert "td" not in countries(tagger, text)


def test_chad_the_country_needs_and_finds_support(tagger):
    text = "Refugees from Darfur keep arriving in Chad, and Chad has asked Sudan to open corridors."
    assert "td" in countries(tagger, text)


def test_turkey_the_bird_is_not_the_country(tagger):
    text = (
        "Turkey is back on the menu this Thanksgiving. Brine the bird overnight and roast it "
        "slowly; the turkey gravy can be made a day ahead."
    )
    assert "tr" not in countries(tagger, text)


def test_turkey_the_country_is_kept(tagger):
    text = "Turkey and Greece held talks on maritime borders, Ankara said on Friday."
    assert {"tr", "gr"} <= set(countries(tagger, text))


def test_guinea_pigs_are_not_guinea(tagger):
    text = "Guinea pigs make good pets for children. A guinea pig needs hay and fresh vegetables."
    assert "gn" not in countries(tagger, text)


def test_the_niger_river_is_not_niger(tagger):
    text = "Boats carried rice down the Niger River. The river floods its banks every autumn."
    assert "ne" not in countries(tagger, text)


def test_niger_the_country_is_kept(tagger):
    text = "Niger's junta expelled the French ambassador, and Niger closed its airspace."
    assert "ne" in countries(tagger, text)


def test_sports_teams_named_after_cities_are_not_countries(tagger):
    en = "Dinamo Minsk beat the Washington Capitals 3-1 in a friendly game watched by 9,000 fans."
    ru = "«Динамо» (Минск) обыграло ЦСКА в матче чемпионата КХЛ, забив три гола."
    assert countries(tagger, en) == []
    assert countries(tagger, ru, "ru") == []


def test_new_mexico_and_latin_america_are_not_mexico_or_the_us(tagger):
    text = "Farmers in New Mexico export chili across Latin America and sell to New Mexico chefs."
    assert countries(tagger, text) == []


def test_lower_case_words_are_not_country_names(tagger):
    text = "Carve the turkey, polish the silver and set out the china before the guests arrive."
    assert countries(tagger, text) == []


def test_a_venue_is_not_a_party_to_talks_between_two_others(tagger):
    result = tagger.tag("Russian and American envoys met in Geneva for talks on arms control.")
    assert "relations:ru-us" in result.topics
    assert not any("ch" in t.split(":")[-1].split("-") for t in result.topics if "relations" in t)


# -- the data file ------------------------------------------------------------------------------


def _write(tmp_path, data) -> str:
    path = tmp_path / "gazetteer.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ("{not json", "not valid JSON"),
        ({"version": "1", "countries": {"xx": {}}}, "'xx' is not an ISO 3166-1"),
        ({"version": "1", "countries": {"by": {"en": {"cities": ["Minsk"]}}}}, "unknown kind"),
        ({"version": "1", "ambiguous": [{"id": "a", "code": "ge", "aliases": []}]}, "no aliases"),
        ({"version": "1", "ambiguous": [{"id": "a", "code": "ge", "when": 1}]}, "unknown key"),
        (
            {
                "version": "1",
                "ambiguous": [{"id": "a", "code": "ml", "aliases": ["Mali"], "languages": "hr"}],
            },
            "'languages' must be a list of language codes",
        ),
        ({"version": "1", "stop_phrases": {"en": ["**"]}}, "unusable phrase"),
        ({"countries": {}}, "'version'"),
        ({"version": "1", "compounds": {"zh": {"abbreviations": {"xx": ["中"]}}}}, "'xx'"),
        ({"version": "1", "compounds": {"zh": {"abbreviations": {}}}}, "abbreviations must"),
        (
            {"version": "1", "compounds": {"zh": {"abbreviations": {"cn": ["中"]}, "after": []}}},
            "unknown key 'after'",
        ),
        (
            {"version": "1", "compounds": {"ko": {"abbreviations": {"kr": [""]}}}},
            "non-empty strings",
        ),
    ],
)
def test_a_bad_gazetteer_fails_with_one_line(tmp_path, data, fragment):
    with pytest.raises(GazetteerError) as caught:
        load_gazetteer(_write(tmp_path, data))
    message = str(caught.value)
    assert fragment in message
    assert "\n" not in message


def test_a_missing_gazetteer_is_named(tmp_path):
    with pytest.raises(GazetteerError, match=r"gazetteer file not found: .*nowhere\.json"):
        load_gazetteer(str(tmp_path / "nowhere.json"))


# -- inflected names ----------------------------------------------------------------------------


def test_the_precomputed_forms_cover_the_bundled_gazetteers_names(gazetteer):
    # A stale name_forms.json (names added to the gazetteer since) would send those names back
    # to simplemma at tagging time: regenerate with python -m newsbeam.transforms.name_forms.
    from newsbeam.transforms.name_forms import LEMMA_LANGUAGES, lemma_names, load_name_forms

    forms, covered = load_name_forms()
    for language, names in lemma_names(gazetteer).items():
        if language in LEMMA_LANGUAGES:
            assert set(names) == covered[language], language
    assert forms["pl"]["rosji"] == "rosja"
    assert forms["cs"]["ukrajině"] == "ukrajina"


@pytest.mark.parametrize(
    ("text", "language", "code"),
    [
        ("Premier poleciał wczoraj do Rosji na rozmowy.", "pl", "ru"),
        ("Delegace odcestovala na Ukrajinu v pondělí.", "cs", "ua"),
        ("Pääministeri matkusti Saksaan tiistaina.", "fi", "de"),
        ("Bakan dün Almanya'ya gitti ve Fransa'dan döndü.", "tr", "de"),
    ],
)
def test_inflected_names_are_found_without_loading_simplemma(
    tagger, monkeypatch, text, language, code
):
    import simplemma

    def refuse(*_args, **_kwargs):
        raise AssertionError("simplemma was asked")

    monkeypatch.setattr(simplemma, "lemmatize", refuse)
    assert code in countries(tagger, text, language)


def test_a_users_name_the_forms_do_not_cover_is_still_lemmatized(tmp_path):
    # "Anglia" is no bundled Polish name: its case form "Anglii" is left to simplemma.
    places = {"version": "t", "countries": {"gb": {"pl": {"names": ["Anglia"]}}}}
    (tmp_path / "places.json").write_text(json.dumps(places), encoding="utf-8")
    taxonomy = {
        "version": "t",
        "countries": {"gazetteer": "places.json"},
        "themes": {"tea": {"threshold": 1, "cues": {"pl": {"herbata": 1}}}},
    }
    (tmp_path / "taxonomy.json").write_text(json.dumps(taxonomy), encoding="utf-8")
    tagger = Tagger(load_taxonomy(str(tmp_path / "taxonomy.json")))
    assert tagger.tag("Minister poleciał w piątek do Anglii.", None, "pl").countries == ["gb"]


def test_the_bundled_cldr_names_are_babels():
    # A stale copy (Babel upgraded since) would give other names than Babel: regenerate with
    # python -m newsbeam.transforms.name_forms.
    from importlib import resources

    from newsbeam.transforms.gazetteer import cldr_names

    ref = resources.files("newsbeam.schemas").joinpath("cldr_names.json")
    assert json.loads(ref.read_text(encoding="utf-8"))["names"] == cldr_names()
