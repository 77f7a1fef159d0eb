"""Country forms the tagger used to miss on real pages (bench/tagging_web.py): demonyms in
French, Spanish, Italian and Portuguese for most countries ("le président sénégalais", "el
canciller guatemalteco"), the home country's own demonym ("son homologue français") but not the
language of that name ("écrit en français"). Every text here was written for these tests."""

from __future__ import annotations

import pytest


def relations(topics: list[str]) -> list[str]:
    return [t for t in topics if t.startswith("relations:")]


# One side of each pair is named only by its demonym next to an office word.
@pytest.mark.parametrize(
    ("language", "text", "pair"),
    [
        (
            "fr",
            "Le président sénégalais a entamé lundi une visite d'État au Mali, où il a signé un "
            "accord de sécurité avec son homologue.",
            "relations:ml-sn",
        ),
        (
            "es",
            "El canciller guatemalteco viajó a Taiwán, donde firmó un acuerdo de cooperación "
            "con su homólogo.",
            "relations:gt-tw",
        ),
        (
            "it",
            "Il ministro degli Esteri peruviano ha incontrato il suo omologo cileno per firmare "
            "un accordo sul confine.",
            "relations:cl-pe",
        ),
        (
            "pt",
            "O presidente angolano recebeu o seu homólogo moçambicano para assinar um acordo de "
            "cooperação.",
            "relations:ao-mz",
        ),
        (
            "fr",
            "Le ministre français des Affaires étrangères a rencontré son homologue ivoirien à "
            "Abidjan pour signer un accord.",
            "relations:ci-fr",
        ),
    ],
)
def test_a_demonym_next_to_an_office_names_its_country(tagger, language, text, pair):
    result = tagger.tag(text, None, language)
    assert pair in relations(result.topics)
    codes = pair.removeprefix("relations:").split("-")
    assert set(codes) <= set(result.countries)


def test_a_writers_nationality_is_still_no_party(tagger):
    text = "El escritor peruano ganó un premio en Chile por su novela sobre la selva."
    result = tagger.tag(text, None, "es")
    assert "pe" in result.countries
    assert relations(result.topics) == []


@pytest.mark.parametrize(
    ("language", "text", "absent"),
    [
        ("fr", "Le roman, écrit en français, sort au Canada en mars chez un éditeur.", "fr"),
        ("es", "La novela se publica en español y en inglés el próximo mes en México.", "es"),
        ("it", "Il sito è disponibile in italiano e in tedesco per i turisti in Grecia.", "it"),
        ("pt", "O livro foi traduzido para o português e chega ao Brasil em maio.", "pt"),
    ],
)
def test_a_language_named_like_a_people_is_no_country(tagger, language, text, absent):
    result = tagger.tag(text, None, language)
    assert result.countries and absent not in result.countries


# Chinese, Japanese and Korean news join two countries' one-letter abbreviations into one word.
@pytest.mark.parametrize(
    ("language", "title", "text", "pair"),
    [
        ("zh", None, "中美关系近来有所缓和，两国外长本周在日内瓦举行会谈。", "relations:cn-us"),
        (
            "ja",
            None,
            "日中外相会談が東京で開かれ、両国は経済協力の拡大で合意した。",
            "relations:cn-jp",
        ),
        (
            "ko",
            None,
            "한중 외교장관이 베이징에서 회담을 갖고 양국 관계 발전 방안을 논의했다.",
            "relations:cn-kr",
        ),
        ("ko", None, "韓-中 외교장관 회담…관계 개선 합의", "relations:cn-kr"),
        # A compound before "both sides" and before an exercise's quoted name.
        (
            "zh",
            "中泰「金色眼镜蛇」联合演习开幕",
            "中泰双方参演兵力包括陆军和海军陆战队，演习为期十天。",
            "relations:cn-th",
        ),
        # An abbreviation joined to the other country's full name.
        ("ko", None, "한-필리핀 외교장관 회담…양국 관계 격상 합의", "relations:kr-ph"),
        (
            "ja",
            None,
            "日・フィリピン首脳会談が開かれ、両国は防衛協力で合意した。",
            "relations:jp-ph",
        ),
        # A visit to Korea written as one word.
        (
            "ko",
            None,
            "필리핀 대통령이 공식 방한해 양국 정상회담을 가졌다.",
            "relations:kr-ph",
        ),
        (
            "ko",
            "한미, 연합훈련 시작",
            "양국 군은 이번 주 대규모 연합훈련을 시작했다.",
            "relations:kr-us",
        ),
    ],
)
def test_a_compound_of_two_abbreviations_names_both_countries(tagger, language, title, text, pair):
    result = tagger.tag(text, title, language)
    assert pair in relations(result.topics)


@pytest.mark.parametrize(
    ("language", "text", "absent"),
    [
        # Central America, written with the same two characters as China-US.
        ("zh", "墨西哥和危地马拉是中美洲人口最多的国家。", {"cn", "us"}),
        # "During the day", written like Japan-China: no follower, no compound.
        ("ja", "日中は気温が上がり、夜は冷え込む見込みだ。", {"jp", "cn"}),
        # North America, written like North Korea-US.
        ("ko", "이 회사는 북미 시장에서 판매가 늘었다고 밝혔다.", {"kp", "us"}),
        # Germany's own name is two abbreviations (Germany, Japan) in a row.
        ("ko", "독일 정부는 새 예산안을 발표했다.", {"jp"}),
        # ... and its last letter before a hyphen is not Japan.
        ("ko", "독일-필리핀 교역 규모가 늘었다고 밝혔다.", {"jp"}),
        # Winter coats (방한복: protection from cold) are no visit to Korea.
        ("ko", "겨울을 앞두고 방한복 판매가 크게 늘었다.", {"kr"}),
    ],
)
def test_two_abbreviations_without_their_context_are_no_compound(tagger, language, text, absent):
    result = tagger.tag(text, None, language)
    assert not absent & set(result.countries)


@pytest.mark.parametrize(
    ("language", "text", "codes"),
    [
        ("zh", "美國與中國的外長在北京會談，雙方同意加強合作。", {"cn", "us"}),
        ("ko", "한국과 호주가 국방 협력 강화에 합의했다.", {"au", "kr"}),
        ("ja", "アメリカと豪州の防衛相が会談した。", {"au", "us"}),
    ],
)
def test_the_names_news_writes_in_chinese_japanese_and_korean(tagger, language, text, codes):
    assert codes <= set(tagger.tag(text, None, language).countries)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Fishing boats returned to the South China Sea after the storm."),
        ("ko", "태풍이 지나간 뒤 어선들이 남중국해로 돌아왔다."),
        ("zh", "台风过后，渔船回到了南中国海。"),
        ("fr", "Les bateaux de pêche sont retournés en mer de Chine méridionale."),
        ("id", "Kapal nelayan kembali ke Laut China Selatan setelah badai."),
        ("ru", "Рыболовные суда вернулись в Южно-Китайское море после шторма."),
    ],
)
def test_the_china_seas_are_places_not_china(tagger, language, text):
    assert "cn" not in tagger.tag(text, None, language).countries


def test_persian_dialogue_is_not_togo(tagger):
    # "گفتوگو" (dialogue), written without its zero-width joiner, holds Togo's name.
    text = "وزیر خارجه ایران با همتای عمانی خود در مسقط دیدار و گفتوگو کرد."
    assert "tg" not in tagger.tag(text, None, "fa").countries


def test_a_country_named_like_a_language_elsewhere_keeps_its_name(tagger):
    # "Italien" is Italy in German: the rule for "in italiano" must not drop "in Italien".
    text = "Der Minister reiste nach Italien. In Italien sprach er mit der Regierung über Häfen."
    assert "it" in tagger.tag(text, None, "de").countries


# Hungarian, Greek, Hebrew and Romanian: demonyms next to an office, a capital in Greek, a name
# with a Hebrew preposition written onto it, a Romanian capital written without diacritics.
@pytest.mark.parametrize(
    ("language", "text", "pair"),
    [
        (
            "hu",
            "Szergej Lavrov orosz külügyminiszter szerdán Budapestre érkezik, ahol tárgyal a "
            "magyar kormány tagjaival.",
            "relations:hu-ru",
        ),
        (
            "el",
            "Ο Τούρκος υπουργός Εξωτερικών έρχεται στην Αθήνα τη Δευτέρα για συνάντηση με τον "
            "Έλληνα ομόλογό του.",
            "relations:gr-tr",
        ),
        (
            "he",
            "שרת החוץ של שבדיה קיימה פגישה עם שר החוץ בישראל ודנה ביחסים בין המדינות.",
            "relations:il-se",
        ),
        (
            "ro",
            "Ministrul de externe italian va efectua o vizita oficiala la Bucuresti, unde va semna "
            "un acord cu omologul sau.",
            "relations:it-ro",
        ),
    ],
)
def test_forms_of_smaller_languages_name_their_countries(tagger, language, text, pair):
    assert pair in relations(tagger.tag(text, None, language).topics)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        # Hungarian surnames that are demonyms, before a given name.
        ("hu", "Török Gábor politológus szerint a párt népszerűsége csökkent."),
        ("hu", "Lengyel László közgazdász szerint a forint tovább gyengül."),
        # "Romanul" is the novel, not a Romanian written without its diacritic.
        ("ro", "Romanul a fost tradus in mai multe limbi si premiat la Cluj."),
        # "Mali" is "small" in Croatian, Serbian and Slovenian, and a minister's surname.
        ("hr", "Mali broj putnika stigao je na otok Mali Lošinj tijekom vikenda."),
        ("sr", "Мали број путника стигао је у град током викенда."),
        ("sr", "Ministar finansija Siniša Mali predstavio je novi budžet u Beogradu."),
    ],
)
def test_a_surname_or_a_word_written_like_a_demonym_is_no_country(tagger, language, text):
    assert tagger.tag(text, None, language).countries == []


def test_mali_in_a_south_slavic_story_about_the_sahel_is_still_mali(tagger):
    text = "Vojna hunta u Maliju i Burkina Faso potpisale su savez. Mali je odgovorio Parizu."
    assert "ml" in tagger.tag(text, None, "hr").countries


# Dutch, Polish, Czech and Slovak demonyms of countries the gazetteer had no forms for there.
@pytest.mark.parametrize(
    ("language", "text", "pair"),
    [
        (
            "cs",
            "Český ministr zahraničí podepsal se slovenským kolegou dohodu o spolupráci.",
            "relations:cz-sk",
        ),
        (
            "pl",
            "Hiszpański premier spotkał się z prezydentem Francji, by rozmawiać o handlu.",
            "relations:es-fr",
        ),
        (
            "nl",
            "De Spaanse premier ondertekende met de Portugese regering een akkoord over de grens.",
            "relations:es-pt",
        ),
    ],
)
def test_demonyms_in_dutch_polish_and_czech(tagger, language, text, pair):
    assert pair in relations(tagger.tag(text, None, language).topics)


@pytest.mark.parametrize(
    ("language", "text", "code"),
    [
        ("pl", "Rosyjscy żołnierze przekroczyli rzekę w nocy.", "ru"),
        ("pl", "Niemieccy dyplomaci opuścili miasto w piątek.", "de"),
        ("cs", "Ruští vojáci překročili řeku v noci.", "ru"),
        ("cs", "Američtí diplomaté opustili město v pátek.", "us"),
    ],
)
def test_polish_and_czech_demonyms_in_the_masculine_personal_plural(tagger, language, text, code):
    # The plural of soldiers and leaders changes the stem: "rosyjsk-" becomes "rosyjscy".
    assert code in tagger.tag(text, None, language).countries


def test_slovak_demonyms_name_their_countries(tagger):
    text = "Český minister zahraničných vecí rokoval s poľským kolegom o spolupráci."
    assert {"cz", "pl"} <= set(tagger.tag(text, None, "sk").countries)


def test_walnuts_are_not_italian(tagger):
    # "orzechy włoskie" are walnuts in Polish, the word for Italian in another sense.
    assert (
        tagger.tag("Do ciasta dodaj garść orzechów włoskich i miodu.", None, "pl").countries == []
    )


@pytest.mark.parametrize(
    ("language", "text", "pair"),
    [
        (
            "tr",
            "Dışişleri Bakanı İsveçli mevkidaşı ile Ankara'da görüştü ve iki ülke arasındaki "
            "ilişkileri ele aldı.",
            "relations:se-tr",
        ),
        (
            "ar",
            "وصل وزير الخارجية السعودي إلى بغداد في زيارة رسمية يلتقي خلالها نظيره العراقي.",
            "relations:iq-sa",
        ),
    ],
)
def test_turkish_and_arabic_demonyms_and_capitals(tagger, language, text, pair):
    assert pair in relations(tagger.tag(text, None, language).topics)


def test_a_goldfish_is_not_japanese(tagger):
    # "Japon balığı" is a goldfish in Turkish.
    assert tagger.tag("Akvaryumdaki Japon balığı yeni yuvasına alıştı.", None, "tr").countries == []


def test_a_hindi_vowel_sign_does_not_split_a_word(tagger):
    # "मुलाकात" (a meeting) once folded to "म ल क त", which held Mali's name "माली" folded alike.
    text = "विदेश मंत्री जयशंकर ने चीन के अपने समकक्ष वांग यी से मुलाकात की।"
    countries = tagger.tag(text, None, "hi").countries
    assert "cn" in countries and "ml" not in countries


@pytest.mark.parametrize(
    ("language", "text", "pair"),
    [
        ("hi", "भारत और अमेरिका के विदेश मंत्रियों ने व्यापार समझौते पर बातचीत की।", "relations:in-us"),
        (
            "vi",
            "Ngoại trưởng Mỹ hội đàm với Bộ trưởng Ngoại giao Việt Nam tại Hà Nội.",
            "relations:us-vn",
        ),
        (
            "id",
            "Menteri Luar Negeri AS bertemu Presiden Indonesia di Jakarta untuk membahas "
            "kerja sama.",
            "relations:id-us",
        ),
        (
            "id",
            "Menlu China mengunjungi Jakarta dan bertemu Presiden Indonesia.",
            "relations:cn-id",
        ),
    ],
)
def test_the_short_names_news_uses_in_hindi_vietnamese_and_indonesian(tagger, language, text, pair):
    assert pair in relations(tagger.tag(text, None, language).topics)


def test_a_vietnamese_singer_named_my_is_not_the_us(tagger):
    assert tagger.tag("Ca sĩ Mỹ Tâm biểu diễn tại Hà Nội tối qua.", None, "vi").countries == []


# Case forms of names of two words in Czech, Slovak and Polish (the lemmatizer's forms cover
# single words only), and two long-serving presidents named without their country.
@pytest.mark.parametrize(
    ("language", "text", "codes"),
    [
        (
            "cs",
            "Český ministr zahraničí zahájil návštěvu Izraele a Palestiny, "
            "kde jednal o spolupráci.",
            {"cz", "il", "ps"},
        ),
        (
            "sk",
            "Maďarský minister navštívi Washington a bude rokovať s predstaviteľmi "
            "Spojených štátov.",
            {"hu", "us"},
        ),
        (
            "pl",
            "Premier rozmawiał z prezydentem Stanów Zjednoczonych o sankcjach wobec "
            "Korei Północnej.",
            {"kp", "us"},
        ),
        (
            "fr",
            "Le président Alassane Ouattara a été reçu à l'Élysée par son homologue français.",
            {"ci", "fr"},
        ),
    ],
)
def test_inflected_compound_names_and_long_serving_leaders(tagger, language, text, codes):
    assert codes <= set(tagger.tag(text, None, language).countries)
