"""Scripts whose words the matcher used to cut apart: Devanagari vowel signs are part of the word
(so "मुलाकात", a meeting, is not "माली", Mali), and an Arabic-script country name inside a
longer word is another word ("عراقيل", obstacles, is not Iraq). Every text here was written for
these tests."""

from __future__ import annotations

import pytest

from newsbeam.transforms.gazetteer import fold


def test_vowel_signs_stay_in_the_word_and_offsets_stay_aligned():
    text = "मंत्री ने मुलाकात की।"
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded.split() == ["मंत्री", "ने", "मुलाकात", "की"]


def test_a_hindi_meeting_is_not_mali(tagger):
    text = "भारत के विदेश मंत्री ने आज अपने समकक्ष से मुलाकात की। मुलाकात दो घंटे चली।"
    assert "ml" not in tagger.tag(text, None, "hi").countries


def test_inflected_hindi_cues_make_a_relation(tagger):
    # "समझौते" (agreements, oblique) and "मुलाक़ात" (with a nukta) are forms of the cue words.
    title = "भारत और नेपाल के बीच कई समझौते"
    text = (
        "भारत और नेपाल के प्रधानमंत्रियों ने सोमवार को मुलाक़ात की। भारत और नेपाल ने आपसी "
        "संबंधों और पुराने समझौतों की समीक्षा की।"
    )
    assert "relations:in-np" in tagger.tag(text, title, "hi").topics


@pytest.mark.parametrize(
    ("language", "text", "present"),
    [
        ("ar", "وأشار التقرير إلى العراقيل التي تواجه المشروع في المدينة.", False),
        ("fa", "سخنان عراقچی درباره برنامه سفر به آنکارا منتشر شد.", False),
        ("ar", "أعلنت الحكومة العراقية اليوم خطة جديدة للطاقة.", True),
        ("ar", "زار الوزير العراق الأسبوع الماضي.", True),
    ],
)
def test_an_arabic_script_name_inside_another_word_is_not_the_country(
    tagger, language, text, present
):
    assert ("iq" in tagger.tag(text, None, language).countries) is present


def test_a_lone_chinese_character_in_korean_is_its_country(tagger):
    # Korean headlines abbreviate countries with one Chinese character among Hangul.
    title = "北 미사일 日 EEZ 안에 떨어져…日 엄중 항의"
    text = "정부는 미사일이 배타적경제수역 안에 떨어졌다고 밝혔다. 선박 피해는 없었다."
    result = tagger.tag(text, title, "ko")
    assert {"jp", "kp"} <= set(result.countries)
    # Inside a word of Chinese characters the same character is no country (日本 is Japan by
    # its own name; 南北 is "south and north").
    assert "kp" not in tagger.tag("南北 정상이 만났다.", None, "ko").countries


def test_a_visit_to_china_names_china_and_washington_does_not(tagger):
    visit = tagger.tag("尼泊尔外长来华访问。两国外长举行会谈。", None, "zh")
    assert "cn" in visit.countries
    washington = tagger.tag("日本首相访华盛顿,会见美国总统。双方举行会谈。", None, "zh")
    assert "cn" not in washington.countries


def test_the_situation_in_a_country_is_the_topic_not_a_party(tagger):
    text = (
        "ウクライナ情勢をめぐり、日本政府はロシアに対する追加の制裁措置を決めた。"
        "ウクライナ情勢をめぐり、日本は制裁を強化する。日本とロシアの関係はさらに悪化した。"
    )
    topics = tagger.tag(text, None, "ja").topics
    assert "relations:jp-ru" in topics
    assert "relations:jp-ua" not in topics
