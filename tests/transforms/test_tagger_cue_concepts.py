"""Interaction cues and state actors from one matrix of concepts (discussed, donated, handed
over, thanked, congratulated, signed, closed or reopened a crossing...) in the forms news writes,
for the languages whose relation cue or actor lists were thinnest: each text names two states and
an act (or a demonym and a state actor) the language's list had no word for before. Every text
here was written for these tests."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("language", "title", "text", "pair"),
    [
        (
            "en",
            "Japan donated ambulances to Ukraine",
            "Japan donated forty ambulances to Ukraine on Monday. "
            "The ambulances that Japan donated reached Ukraine by train a week later.",
            "relations:jp-ua",
        ),
        (
            "th",
            "ญี่ปุ่นบริจาครถพยาบาลให้กัมพูชา",
            "ญี่ปุ่นบริจาครถพยาบาลยี่สิบคันให้กัมพูชาในวันจันทร์. กัมพูชาระบุว่ารถที่ญี่ปุ่นบริจาคมาถึงแล้วเมื่อเช้านี้.",
            "relations:jp-kh",
        ),
        (
            "ja",
            "日本とベトナム、文書に調印",
            "日本とベトナムは月曜日、原子力の文書に調印した。"
            "日本の外相は、ベトナムと文書に調印したと述べた。",
            "relations:jp-vn",
        ),
        (
            "hi",
            "भारत ने नेपाल को एंबुलेंस सौंपीं",
            "भारत ने सोमवार को नेपाल को बीस एंबुलेंस सौंपीं। नेपाल ने कहा कि भारत ने ये एंबुलेंस बहुत जल्दी सौंपीं।",
            "relations:in-np",
        ),
        (
            "fa",
            "ایران به عراق تبریک گفت",
            "ایران روز دوشنبه به عراق تبریک گفت. "
            "وزیر خارجه ایران در پیامی جداگانه به عراق تبریک گفت.",
            "relations:iq-ir",
        ),
        (
            "sw",
            "Kenya ilikabidhi Uganda magari ya zimamoto",
            "Kenya ilikabidhi Uganda magari kumi ya zimamoto Jumatatu. "
            "Serikali ya Kenya ilikabidhi Uganda magari hayo asubuhi.",
            "relations:ke-ug",
        ),
        (
            "ur",
            "پاکستان نے چین کو مبارکباد دی",
            "پاکستان نے پیر کو چین کو قومی دن پر مبارکباد دی۔ "
            "پاکستان کے وزیر خارجہ نے چین کو مبارکباد کا پیغام بھی دیا۔",
            "relations:cn-pk",
        ),
        (
            "vi",
            "Việt Nam và Lào thảo luận về thủy điện",
            "Việt Nam và Lào thảo luận về các dự án thủy điện trong hai ngày. "
            "Việt Nam cho biết Lào đã thảo luận kỹ về từng dự án.",
            "relations:la-vn",
        ),
        (
            "sv",
            "Sverige överlämnade ambulanser till Ukraina",
            "Sverige överlämnade på måndagen tjugo ambulanser till Ukraina. "
            "Ukraina säger att Sverige överlämnade ambulanserna på en vecka.",
            "relations:se-ua",
        ),
        (
            "lv",
            "Latvija ziedoja Ukrainai ģeneratorus",
            "Latvija pirmdien ziedoja Ukrainai divdesmit ģeneratorus. "
            "Ukraina pateicās, ka Latvija ziedoja ģeneratorus tik ātri.",
            "relations:lv-ua",
        ),
        (
            "et",
            "Eesti annetas Ukrainale generaatoreid",
            "Eesti annetas esmaspäeval Ukrainale kakskümmend generaatorit. "
            "Ukraina sõnul annetas Eesti generaatorid väga kiiresti.",
            "relations:ee-ua",
        ),
        (
            "lt",
            "Lietuva padovanojo Ukrainai generatorių",
            "Lietuva pirmadienį padovanojo Ukrainai dvidešimt generatorių. "
            "Ukraina teigė, kad Lietuva padovanojo generatorius labai greitai.",
            "relations:lt-ua",
        ),
        (
            "tr",
            "Türkiye ve Azerbaycan enerjiyi masaya yatırdı",
            "Türkiye ve Azerbaycan bakanları enerji projelerini ele aldı. "
            "Türkiye ile Azerbaycan arasında yeni boru hattı da ele alındı.",
            "relations:az-tr",
        ),
        (
            "nn",
            "Noreg overleverte ambulansar til Ukraina",
            "Noreg overleverte tjue ambulansar til Ukraina måndag. "
            "Ukraina seier at Noreg overleverte ambulansane på ei veke.",
            "relations:no-ua",
        ),
        (
            "uk",
            "Польща передала Україні генератори",
            "Польща в понеділок передала Україні двадцять генераторів. "
            "Україна подякувала, що Польща передала генератори так швидко.",
            "relations:pl-ua",
        ),
        (
            "ca",
            "Espanya va tancar el pas amb Andorra",
            "Espanya va tancar el pas amb Andorra durant tot un dia. "
            "Andorra diu que Espanya va tancar el pas sense avisar ningú.",
            "relations:ad-es",
        ),
        (
            "da",
            "Danmark donerer generatorer til Ukraine",
            "Danmark donerer tyve generatorer til Ukraine i denne uge. "
            "Ukraine siger, at Danmark donerer generatorerne hurtigere end ventet.",
            "relations:dk-ua",
        ),
        (
            "nb",
            "Norge overleverte ambulanser til Ukraina",
            "Norge overleverte tjue ambulanser til Ukraina mandag. "
            "Ukraina sier at Norge overleverte ambulansene på en uke.",
            "relations:no-ua",
        ),
        (
            "pl",
            "Polska zaprosiła Litwę do Warszawy",
            "Polska zaprosiła w poniedziałek Litwę do Warszawy. "
            "Litwa potwierdziła, że Polska zaprosiła jej ministra na przyszły tydzień.",
            "relations:lt-pl",
        ),
        (
            "cs",
            "Česko předalo Ukrajině generátory",
            "Česko v pondělí předalo Ukrajině dvacet generátorů. "
            "Ukrajina uvedla, že Česko předalo generátory velmi rychle.",
            "relations:cz-ua",
        ),
        (
            "ko",
            "한국과 베트남, 원전 사업 논의",
            "한국과 베트남은 월요일 하노이에서 원전 사업을 논의했다. "
            "한국 장관은 베트남 측과 사업 일정을 논의했다고 밝혔다.",
            "relations:kr-vn",
        ),
        (
            "he",
            "יוון תרמה גנרטורים לקפריסין",
            "יוון תרמה השבוע עשרים גנרטורים לקפריסין. "
            "קפריסין אמרה כי יוון תרמה את הגנרטורים במהירות.",
            "relations:cy-gr",
        ),
        (
            "el",
            "Η Ελλάδα δώρισε γεννήτριες στην Κύπρο",
            "Η Ελλάδα δώρισε είκοσι γεννήτριες στην Κύπρο τη Δευτέρα. "
            "Η Κύπρος ανέφερε ότι η Ελλάδα δώρισε τις γεννήτριες πολύ γρήγορα.",
            "relations:cy-gr",
        ),
        (
            "hu",
            "Magyarország és Szerbia megvitatta a vasutat",
            "Magyarország és Szerbia hétfőn megvitatta a közös vasútvonalat. "
            "Szerbia szerint Magyarország a vonal menetrendjét is megvitatta.",
            "relations:hu-rs",
        ),
    ],
)
def test_a_concept_the_list_lacked_makes_the_relation(tagger, language, title, text, pair):
    assert pair in tagger.tag(text, title, language).topics


@pytest.mark.parametrize(
    ("language", "title", "text", "pair"),
    [
        (
            "et",
            "Ukraina: vene väed on piiri lähedal",
            "Esmaspäeval olid vene väed kogu päeva Harkivi lähedal ja õhtul ründasid Ukraina "
            "linna. Ukraina teatas, et vene väed olid liikunud piiri äärde juba ööl.",
            "relations:ru-ua",
        ),
        (
            "lv",
            "Ukraina: krievu karaspēks pie robežas",
            "Pirmdien krievu karaspēks visu dienu stāvēja pie Harkivas un vakarā uzbruka "
            "Ukrainas pilsētai. Ukraina ziņoja, ka krievu karaspēks pie robežas bija jau naktī.",
            "relations:ru-ua",
        ),
    ],
)
def test_a_demonym_next_to_a_new_state_actor_acts(tagger, language, title, text, pair):
    # The act stands too far from the demonym to make it a party: the actor word does.
    assert pair in tagger.tag(text, title, language).topics
