"""Interaction and theme cues in Icelandic, Nynorsk and Urdu (before taxonomy 2027.1.40 these
had no interaction cues, and Icelandic and Nynorsk no theme cues), Icelandic demonyms, capitals
and inflected names, Nynorsk's own country names, and a word of another sense left out of the
Japanese cues. Every text here was written for these tests."""

from __future__ import annotations

import pytest

# (language, title, text, a relation and a theme it must get)
CASES = [
    (
        # Talks and an agreement in the body only: the title names neither country.
        "is",
        "Nýr samningur um fiskveiðar undirritaður",
        "Utanríkisráðherrar Íslands og Færeyja funduðu í Þórshöfn á þriðjudag. Ísland og "
        "Færeyjar undirrituðu þar samkomulag um gagnkvæmar veiðiheimildir.\n"
        "Viðræður Íslands og Færeyja hófust í vor og stóðu í fjóra mánuði.",
        "relations:fo-is",
        None,
    ),
    (
        # Inflected names (Rússlandi, Úkraínu), a capital in the dative (Kænugarði), people
        # nouns (Rússar) and a theme cue of weight 2 or more.
        "is",
        "Rússar og Úkraínumenn skiptust á föngum",
        "Stjórnvöld í Rússlandi og Úkraínu skiptust á 150 stríðsföngum hvor á laugardag. "
        "Fangaskiptin fóru fram við landamæri Hvíta-Rússlands, að sögn yfirvalda í Kænugarði.\n"
        "Fangarnir voru fluttir á sjúkrahús til skoðunar.",
        "relations:ru-ua",
        "prisoner-release",
    ),
    (
        "is",
        "Bandaríkin leggja nýjar refsiaðgerðir á Íran",
        "Bandarísk stjórnvöld kynntu í gær nýjar refsiaðgerðir gegn Íran vegna "
        "kjarnorkuáætlunar landsins. Refsiaðgerðirnar beinast að olíuútflutningi Írana.",
        "relations:ir-us",
        "sanctions",
    ),
    (
        # Noreg is Nynorsk's name of Norway; "semje" and a compound ending in "avtale".
        "nn",
        "Noreg og Island samde om ny makrellavtale",
        "Noreg og Island har vorte samde om ein ny fiskeriavtale for makrell. Avtalen vart "
        "underteikna i Bergen torsdag etter lange forhandlingar.\n"
        "Kvotane blir fordelte mellom landa frå neste år.",
        "relations:is-no",
        None,
    ),
    (
        "nn",
        "Russland gjekk til åtak på Kyiv natt til måndag",
        "Russland sende over hundre droner og rakettar mot Ukraina natt til måndag, melder "
        "ukrainske styresmakter. Luftåtaket ramma fleire bustadhus i Kyiv.\n"
        "Minst fire menneske vart drepne, og ukrainsk luftvern skaut ned dei fleste dronene.",
        "relations:ru-ua",
        "armed-conflict",
    ),
    (
        # Oblique plural "مشقوں" (exercises) and "مشترکہ" (joint) as an interaction.
        "ur",
        "پاکستان اور ترکیہ کی مشترکہ فوجی مشقوں کا آغاز",
        "پاکستان اور ترکیہ کی افواج نے پیر کو مشترکہ مشقوں کا آغاز کر دیا۔ دونوں ممالک کے "
        "دستے دو ہفتے تک ان مشقوں میں حصہ لیں گے۔",
        "relations:pk-tr",
        "military-exercises",
    ),
    (
        "ur",
        "دوحہ میں بات چیت",
        "پاکستان اور افغانستان کے وفود نے دوحہ میں مذاکرات کیے اور جنگ بندی پر اتفاق کیا۔ "
        "پاکستان اور افغانستان کے درمیان سرحدی کشیدگی کم کرنے پر بھی بات چیت ہوئی۔",
        "relations:af-pk",
        "diplomacy",
    ),
]


@pytest.mark.parametrize(
    ("language", "title", "text", "pair", "theme"),
    CASES,
    ids=[f"{c[0]}-{c[3]}" for c in CASES],
)
def test_cues_in_the_newly_covered_languages(tagger, language, title, text, pair, theme):
    topics = tagger.tag(text, title, language).topics
    assert pair in topics
    if theme:
        assert theme in topics


@pytest.mark.parametrize(
    ("language", "title", "text"),
    [
        # A handball match between national teams: no relation, no theme.
        (
            "is",
            "Ísland vann Noreg á EM í handbolta",
            "Íslenska landsliðið í handbolta vann Noreg 30-28 á EM í gær. Þjálfari Íslands var "
            "ánægður með sóknina og Noregur mætir Svíþjóð á laugardag.",
        ),
        # "Parísarsamkomulagið" is the climate agreement, not France.
        (
            "is",
            "Ríkin fjarri markmiðum Parísarsamkomulagsins",
            "Ríki heimsins eru langt frá markmiðum Parísarsamkomulagsins samkvæmt nýrri skýrslu. "
            "Ísland þarf að draga meira úr losun, segir í skýrslunni.",
        ),
        # "訪日" in tourism statistics: visitors, not a state visit (it was left out).
        (
            "ja",
            "台湾からの訪日客が過去最高に",
            "台湾から日本を訪れた旅行者は昨年、過去最高を記録した。訪日台湾人旅行者は前年比で"
            "二割増え、日本から台湾への旅行者も増えた。",
        ),
    ],
)
def test_other_senses_get_no_relation(tagger, language, title, text):
    topics = tagger.tag(text, title, language).topics
    assert not [t for t in topics if t.startswith("relations:")]
    assert "diplomacy" not in topics


def test_icelandic_names_demonyms_and_capitals_name_their_countries(tagger):
    result = tagger.tag(
        "Rússar hafa gert árásir á Kænugarð. Stjórnvöld í Washington fordæmdu árásirnar og "
        "bandarískir embættismenn ræddu við Pútín í síma.",
        "Árásir á Kænugarð fordæmdar",
        "is",
    )
    assert {"ru", "ua", "us"} <= set(result.countries)


def test_nynorsk_has_country_names_of_its_own(tagger):
    # Before, a Nynorsk article matched every language's phrases; now it has its own: Noreg.
    result = tagger.tag("Noreg og Sverige samarbeider om grensekontroll.", "Noreg", "nn")
    assert "no" in result.countries
