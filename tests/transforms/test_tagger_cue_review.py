"""Wordings and rules from the per-language cue review (taxonomy 2027.1.69): the review read
real news in 40 languages (bench/data/tagging_review/) and added what the tagger missed. Each
case here is a short text of our own with the wording the review found."""

from __future__ import annotations

import pytest

from newsbeam.transforms.tagger import _OFFICE_BEFORE, sentence_starts


@pytest.mark.parametrize(
    ("language", "title", "text", "topic"),
    [
        (  # a note of protest handed to a chargé d'affaires, in Ukrainian case forms
            "uk",
            "Україна вручила ноту протесту Угорщині",
            "Міністерство закордонних справ України вручило ноту протесту тимчасовому "
            "повіреному у справах Угорщини. Україна вимагає пояснень щодо заяв угорських "
            "посадовців. Угорщина поки не відповіла.",
            "diplomacy",
        ),
        (  # joint training of two armies
            "fr",
            "Entraînement conjoint des armées française et indienne",
            "Les armées française et indienne mènent un entraînement conjoint dans le désert du "
            "Rajasthan. Cet entraînement conjoint réunit 300 soldats des deux pays. La France et "
            "l'Inde renforcent leur coopération militaire.",
            "military-exercises",
        ),
        (  # a diplomat expelled
            "cs",
            "Česko vyhostilo ruského diplomata",
            "Ministerstvo zahraničí vyhostilo ruského diplomata kvůli špionáži. Česko tak reaguje "
            "na činnost ruských tajných služeb. Rusko slíbilo odvetu.",
            "diplomacy",
        ),
    ],
)
def test_wordings_the_review_found_are_cues(tagger, language, title, text, topic):
    assert topic in tagger.tag(text, title, language).topics


def test_an_office_after_a_possessive_postposition_is_that_countrys(tagger):
    # On a Pakistani site a bare "foreign minister" is Pakistan's; "Iran's foreign minister"
    # (Urdu: ایران کے وزیر خارجہ) is Iran's.
    title = "ایران کے وزیر خارجہ کا سعودی عرب کا دورہ"
    text = (
        "ایران کے وزیر خارجہ نے سعودی عرب کا دورہ کیا اور سعودی وزیر خارجہ سے ملاقات کی۔ "
        "دونوں وزرائے خارجہ نے دو طرفہ تعلقات پر بات چیت کی۔ ایران اور سعودی عرب نے تعاون "
        "بڑھانے پر اتفاق کیا۔"
    )
    result = tagger.tag(text, title, "ur", "https://www.example.pk/news/1")
    assert "relations:ir-sa" in result.topics
    assert "pk" not in result.countries and "relations:pk-sa" not in result.topics


def test_a_hindi_office_after_ke_is_that_countrys(tagger):
    text = (
        "ईरान के विदेश मंत्री ने मॉस्को में रूस के विदेश मंत्री से मुलाकात की। दोनों देशों ने व्यापार "
        "पर बातचीत की। रूस और ईरान ने नए समझौते पर हस्ताक्षर किए।"
    )
    result = tagger.tag(text, None, "hi", "https://www.example.in/news/1")
    assert "relations:ir-ru" in result.topics and "in" not in result.countries


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "Rais wa Tanzania, Mhe. Samia Suluhu Hassan, amekutana na Rais wa Kenya. Dkt. "
            "Mwinyi alihudhuria.",
            2,
        ),
        ("विदेश मंत्री डॉ. जयशंकर ने रूस का दौरा किया। उन्होंने बातचीत की।", 2),
    ],
)
def test_titles_written_with_a_stop_do_not_end_a_sentence(text, sentences):
    assert len(sentence_starts(text)) == sentences


@pytest.mark.parametrize(
    "gap", ["'s ", "’s ", "'ın ", "'nin ", "'un ", " کے ", " کی ", " के ", " की "]
)
def test_a_possessive_between_a_country_and_its_office_keeps_them_together(gap):
    # English and Turkish possessive endings, Urdu and Hindi postpositions.
    assert _OFFICE_BEFORE.fullmatch(gap)


@pytest.mark.parametrize("gap", [" and ", " ile ", " اور ", " और "])
def test_a_conjunction_between_a_country_and_an_office_parts_them(gap):
    assert not _OFFICE_BEFORE.fullmatch(gap)
