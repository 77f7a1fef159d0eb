"""Diplomacy cues beyond talks and summits in languages whose lists were thin: meetings,
visits and phone calls between two states' leaders (sv, da, tr, ar, zh, ko). Every text here was
written for these tests."""

from __future__ import annotations

import pytest

from newsbeam.transforms.tagger import Tagger
from newsbeam.transforms.taxonomy import load_taxonomy


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_taxonomy())


@pytest.mark.parametrize(
    ("language", "title", "text"),
    [
        (
            "sv",
            "Sveriges statsminister träffar Polens president",
            "Sveriges statsminister träffar Polens president i Warszawa på måndag. Mötet med "
            "Polens president handlar om Östersjön. Sverige och Polen vill också tala om energi.",
        ),
        (
            "da",
            "Danmarks udenrigsminister besøger Norge",
            "Danmarks udenrigsminister besøger Norge i næste uge. Her skal han mødes med Norges "
            "udenrigsminister om fiskeri. Danmark og Norge har længe samarbejdet om havet.",
        ),
        (
            "tr",
            "Türkiye ve Azerbaycan dışişleri bakanları görüştü",
            "Türkiye ve Azerbaycan dışişleri bakanları Bakü'de görüştü. İki bakan ikili ilişkileri "
            "ele aldı. Türkiye ile Azerbaycan arasında yeni bir ziyaret planlanıyor.",
        ),
        (
            "ar",
            "وزير خارجية الأردن يلتقي نظيره العراقي",
            "التقى وزير خارجية الأردن نظيره العراقي في عمان. وبحث الجانبان العلاقات الثنائية بين "
            "الأردن والعراق. وتناول اللقاء التعاون في مجال الطاقة.",
        ),
        (
            "ko",
            "한국 외교장관, 일본 외무상과 전화통화",
            "한국 외교부 장관은 일본 외무상과 전화통화를 하고 양국 관계를 논의했다. 한국과 일본은 "
            "다음 달 외교장관회담을 열기로 했다.",
        ),
        (
            "zh",
            "中国外长会见越南副总理",
            "中国外长在北京会见越南副总理。双方就中国和越南的双边合作交换意见。中越两国同意加强沟通。",
        ),
    ],
)
def test_meetings_visits_and_calls_are_diplomacy(tagger, language, title, text):
    assert "diplomacy" in tagger.tag(text, title, language).topics
