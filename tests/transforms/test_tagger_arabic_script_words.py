"""Persian and Urdu cues match whole words: with the suffixes those languages join to a word
(plural, -i, pronouns, oblique endings, a past stem's participle), not inside a longer word of
another sense. Every text here was written for these tests."""

from __future__ import annotations

import pytest

from newsbeam.transforms.tagger import Match, Tagger

_CUES = (Match.INTERACTION, Match.CUE)


def _cue_words(tagger: Tagger, text: str, language: str) -> set[str]:
    hits = tagger._find(tagger._article(text, None, language))
    return {text[h.start : h.stop] for h in hits if h.kind in _CUES}


@pytest.mark.parametrize(
    ("language", "text", "inside"),
    [
        # "کمین" (ambush) in "کمینه" (minimum), "جنگ" (war) in "جنگل" (forest) and "جنگنده"
        # (a fighter jet), "سفر" (trip) in "سفرا" (ambassadors).
        ("fa", "حداقل دستمزد کارگران به کمینه قانونی رسید.", "کمین"),
        ("fa", "آتش‌سوزی در جنگل‌های شمال ادامه دارد و جنگلبانان خسته‌اند.", "جنگ"),
        ("fa", "یک فروند جنگنده در نمایشگاه هوایی به نمایش درآمد.", "جنگ"),
        ("fa", "سفرا در مراسم سال نو حضور داشتند.", "سفر"),
        ("ur", "شمالی علاقوں کے جنگلات میں آگ بھڑک اٹھی۔", "جنگ"),
        ("ur", "جنگلی حیات کے تحفظ کے لیے نیا قانون منظور ہوا۔", "جنگ"),
    ],
)
def test_a_cue_inside_a_longer_word_is_none(tagger, language, text, inside):
    hits = tagger._find(tagger._article(text, None, language))
    found = [text[h.start : h.stop] for h in hits if h.kind in _CUES]
    assert not [word for word in found if word.startswith(inside)], found


@pytest.mark.parametrize(
    ("language", "text", "words"),
    [
        # Suffixes joined without a space: plural (تحریمها), pronoun (همتایش), plural -an
        # (متحدان), a past participle (فراخوانده), a short vowel mark; Urdu oblique and plural
        # endings (حملوں, ملاقاتیں, پابندیاں), a verb's ending (رہا کرنے).
        ("fa", "تحریمها و همتایش و متحدان", {"تحریم", "همتای", "متحدان"}),
        ("fa", "سفیر فراخوانده شد و نقضِ حریم هوایی", {"فراخواند", "نقض", "حریم هوایی"}),
        ("fa", "تحریم‌های جدید و رزمایش‌ها", {"تحریم", "رزمایش"}),
        ("ur", "حملوں کے بعد ملاقاتیں ہوئیں", {"حملوں", "ملاقات"}),
        ("ur", "قیدیوں کو رہا کرنے کا مطالبہ", {"رہا کر", "مطالبہ"}),
        ("ur", "نئی پابندیاں اور دھمکیاں", {"پابندی", "دھمکی"}),
    ],
)
def test_a_cue_keeps_the_suffixes_of_its_language(tagger, language, text, words):
    assert words <= _cue_words(tagger, text, language)


def test_a_minimum_wage_story_is_no_relation(tagger):
    # "Minimum" (کمینه) holds "ambush" (کمین): two countries' minimum wages compared are no
    # act between them.
    title = "کمینه دستمزد در ایران و ترکیه"
    text = (
        "کمینه دستمزد در ایران و ترکیه افزایش یافت. ایران و ترکیه هر دو کمینه دستمزد را بالا "
        "بردند. کارشناسان ایران و ترکیه می‌گویند کمینه دستمزد کافی نیست."
    )
    assert "relations:ir-tr" not in tagger.tag(text, title, "fa").topics
