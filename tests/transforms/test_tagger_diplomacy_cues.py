"""Diplomacy cues beyond talks and summits in languages whose lists were thin: meetings,
visits and phone calls between two states' leaders (sv, da, tr, ar, zh, ko). Every text here was
written for these tests."""

from __future__ import annotations

import pytest


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


# Untitled pages (a page's headline often does not reach the tagger): a recalled ambassador, a
# phone call between leaders, an embassy to reopen, each in the lead and taken up again.
@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "fr",
            "La Belgique a rappelé son ambassadeur au Rwanda mardi après des propos jugés "
            "inacceptables. Le Rwanda a répondu en dénonçant une crise diplomatique provoquée par "
            "Bruxelles. Les deux pays n'avaient pas connu de tension pareille depuis des années. "
            "Les vols entre Bruxelles et Kigali restent assurés. "
            "Les entreprises attendent la suite.",
        ),
        (
            "it",
            "Conversazione telefonica ieri tra il presidente della Grecia e il presidente di "
            "Cipro. "
            "Nella telefonata la Grecia e Cipro hanno parlato di energia e di migrazioni. "
            "I due presidenti si vedranno a novembre ad Atene. Il porto di Limassol resta chiuso. "
            "Le scuole riapriranno lunedì.",
        ),
        (
            "ar",
            "وصل وفد من تونس إلى ليبيا لبحث إعادة فتح سفارة تونس في طرابلس بعد إعادة العلاقات بين "
            "البلدين. وقالت تونس إن مذكرة تفاهم ستوقع مع ليبيا الشهر المقبل. ويأمل التجار في "
            "عودة الحركة على الحدود. وتستمر الرحلات الجوية كالمعتاد.",
        ),
    ],
)
def test_recalls_calls_and_restored_ties_are_diplomacy(tagger, language, text):
    assert "diplomacy" in tagger.tag(text, None, language).topics


def test_an_ambassador_as_a_title_is_no_diplomacy(tagger):
    # A domestic hearing: the witnesses' titles and a leader's phone call are not two states
    # dealing with each other.
    text = (
        "Ambassador Anne Miller told the committee on Tuesday what she knew about the grant. "
        "The former ambassador said the president's phone call with a donor was improper. "
        "Lawmakers of both parties asked her about the memo. The hearing resumes on Thursday. "
        "Committee staff will publish the transcript next week."
    )
    assert "diplomacy" not in tagger.tag(text, None, "en").topics


# Agreements signed between two governments, in the lead and taken up again: untitled pages.
@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "uk",
            "Уряди України та Молдови підписали угоду про спільний контроль на кордоні. "
            "Угоду підписали прем'єр-міністри обох країн у Кишиневі. Україна та Молдова "
            "домовилися також про спільні патрулі. Черги на пунктах пропуску мають зменшитися.",
        ),
        (
            "vi",
            "Việt Nam và Lào ký kết hiệp định về hợp tác thủy điện. Hiệp định được ký kết tại "
            "Hà Nội với sự có mặt của lãnh đạo Việt Nam và Lào. Các nhà máy sẽ được xây dựng ở "
            "vùng núi phía bắc.",
        ),
        (
            "nb",
            "Norge og Island er enige om en ny avtale om makrellkvoter. Avtalen ble signert i "
            "Reykjavik, der Norge og Island møttes i to dager. Fiskerne er fornøyde.",
        ),
    ],
)
def test_agreements_signed_between_two_states_are_diplomacy(tagger, language, text):
    assert "diplomacy" in tagger.tag(text, None, language).topics


def test_the_paris_climate_agreement_is_no_diplomacy_between_states(tagger):
    text = (
        "Sverige och Tyskland följer Parisavtalet om klimatet. Enligt Parisavtalet ska Sverige "
        "och Tyskland minska utsläppen. Klimatförhandlingarna i Bonn fortsätter i juni."
    )
    assert "diplomacy" not in tagger.tag(text, None, "sv").topics
