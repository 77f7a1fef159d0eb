"""A phrase of several words written once in the taxonomy is found in the forms a sentence
declines it to ("pri izmenjavi zapornikov" for "izmenjava zapornikov", "пакетом санкций" for
"пакет санкций"), from the forms precomputed from simplemma (`transforms/cue_forms.py`). Every
text here was written for these tests."""

from __future__ import annotations

import pytest

from newsbeam.transforms.cue_forms import (
    INFLECTED_LANGUAGES,
    covered_words,
    inflectable,
    load_cue_forms,
    phrase_words,
)
from newsbeam.transforms.taxonomy import load_taxonomy


def evidence_of(result, topic: str) -> list[str]:
    return next(e["phrases"] for e in result.evidence if e["topic"] == topic)


@pytest.mark.parametrize(
    ("language", "title", "text", "topic", "phrase"),
    [
        (
            "sl",
            None,
            "Slovenija je sodelovala pri izmenjavi zapornikov med Rusijo in ZDA. "
            "Premier je danes pojasnil, kako je do dogovora prišlo.",
            "prisoner-release",
            "izmenjavi zapornikov",
        ),
        (
            "ru",
            "ЕС утвердил новые меры против Ирана",
            "Евросоюз согласовал запрет на въезд для десяти иранских чиновников. Решение "
            "было принято вместе с пакетом санкций против Ирана, сообщил источник.",
            "sanctions",
            "пакетом санкций",
        ),
    ],
)
def test_a_phrase_is_found_in_a_declined_form(tagger, language, title, text, topic, phrase):
    # Neither form is in the taxonomy as written: only the lemmas of its words match.
    result = tagger.tag(text, title, language)
    assert topic in result.topics
    assert phrase in evidence_of(result, topic)


def test_romanian_written_with_cedilla_letters_is_read_as_with_comma_letters(tagger):
    # Many Romanian sites still write ş and ţ (cedilla) where the standard has ș and ț.
    text = (
        "Franţa şi România organizează un exerciţiu militar comun la Cincu, cu trupe franceze "
        "şi române. Ministrul Apărării a spus că manevrele durează două săptămâni."
    )
    result = tagger.tag(text, None, "ro")
    assert result.countries[:2] == ["fr", "ro"] or result.countries[:2] == ["ro", "fr"]
    assert "military-exercises" in result.topics
    assert "relations:fr-ro" in result.topics
    comma = text.replace("ş", "ș").replace("ţ", "ț")
    assert tagger.tag(comma, None, "ro").topics == result.topics


def test_words_split_by_a_comma_or_stop_are_no_phrase(tagger):
    found = tagger.tag(
        "Slovenija je pri izmenjavi, zapornikov ni bilo. Premier je danes govoril.", None, "sl"
    )
    assert all("izmenjavi" not in " ".join(e["phrases"]) for e in found.evidence)


def test_another_language_does_not_decline_the_phrase(tagger):
    # Slovenian forms are looked up only in a Slovenian article.
    found = tagger.tag("Pri izmenjavi zapornikov med državama. Govoril je premier.", None, "en")
    assert "prisoner-release" not in found.topics


def test_only_phrases_of_several_plain_words_are_inflected():
    assert inflectable("izmenjava zapornikov") == ["izmenjava", "zapornikov"]
    assert inflectable("sankcje") is None  # one word: matched as written, or by its open ending
    assert inflectable("wymian* jeńców") is None
    assert inflectable("weist … aus") is None


def test_the_bundled_forms_cover_the_bundled_taxonomy():
    # A phrase added to the taxonomy since the file was made is still matched as written; its
    # other forms need: python -m newsbeam.transforms.cue_forms
    covered = covered_words()
    missing = {
        code: sorted(words - covered.get(code, frozenset()))
        for code, words in phrase_words(load_taxonomy()).items()
    }
    assert not {code: words for code, words in missing.items() if words}
    forms = load_cue_forms()
    assert set(forms) <= set(INFLECTED_LANGUAGES.values())
    assert forms["sl"]["izmenjavi"] == "izmenjava"
