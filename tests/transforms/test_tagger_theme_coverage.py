"""Theme cues filled in across languages whose lists were thin (Dutch, Estonian, Japanese,
Korean, Bosnian) or held diplomacy only (Persian, Swahili, Macedonian), and Urdu, which had
none: a short item of each gets its theme from cues the taxonomy did not have before, and the
other senses of the new cue words (trade barriers, a law's sanction, an interview "released",
live rounds fired at protesters, a local ban) get no theme. Every text here was written for
these tests."""

from __future__ import annotations

import pytest

# (language, theme, title, text): one item about the theme, told with the new cues.
ABOUT = [
    (
        # "تحریم‌های جدید": new sanctions.
        "fa",
        "sanctions",
        "آمریکا تحریم‌های جدیدی علیه ایران اعمال کرد",
        "وزارت خزانه‌داری آمریکا روز دوشنبه تحریم‌های جدیدی را علیه چند شرکت نفتی ایران اعلام "
        "کرد. این شرکت‌ها به فروش نفت ایران به خارج کمک کرده بودند. ایران این تحریم‌ها را "
        "غیرقانونی خواند.",
    ),
    (
        # "رزمایش مشترک دریایی": a joint naval exercise.
        "fa",
        "military-exercises",
        "رزمایش مشترک دریایی ایران، روسیه و چین در دریای عمان",
        "نیروی دریایی ایران، روسیه و چین رزمایش مشترک سالانه خود را در دریای عمان آغاز کردند. "
        "در این رزمایش ناوچه‌ها و بالگردهای سه کشور شرکت دارند. این رزمایش سه روز ادامه خواهد "
        "داشت.",
    ),
    (
        # "zabadilishana wafungwa": they swap prisoners; "waliachiliwa huru": were set free.
        "sw",
        "prisoner-release",
        "Urusi na Ukraine zabadilishana wafungwa wa kivita",
        "Urusi na Ukraine zimebadilishana wafungwa wa kivita 150 kila upande siku ya Jumamosi. "
        "Wafungwa hao waliachiliwa huru baada ya mazungumzo yaliyosimamiwa na Umoja wa Falme za "
        "Kiarabu. Baadhi yao walikuwa gerezani kwa zaidi ya miaka miwili.",
    ),
    (
        # "mashambulizi ya anga": air strikes; "mapigano makali": fierce fighting.
        "sw",
        "armed-conflict",
        "Mashambulizi ya anga yaua raia nchini Sudani",
        "Mashambulizi ya anga yaliyofanywa na jeshi la Sudani yaliua raia kumi na wawili katika "
        "kijiji kimoja siku ya Jumanne. Mapigano makali kati ya jeshi na wanamgambo yameendelea "
        "kwa wiki mbili. Walioshuhudia walisema nyumba nyingi ziliharibiwa.",
    ),
    (
        # "нови санкции", "пакет санкции": new sanctions, a sanctions package.
        "mk",
        "sanctions",
        "ЕУ воведе нови санкции против Русија",
        "Европската унија во среда воведе нов пакет санкции против Русија. Санкциите се "
        "однесуваат на банките и на извозот на нафта. Владата во Скопје ја поздрави одлуката.",
    ),
    (
        # "размена на затвореници": a prisoner exchange; "воени заробеници": prisoners of war.
        "mk",
        "prisoner-release",
        "Размена на затвореници меѓу Русија и Украина",
        "Русија и Украина во саботата спроведоа размена на затвореници, при што секоја страна "
        "ослободи по 90 воени заробеници. Заробениците беа пуштени по посредство на Турција. Дел "
        "од нив биле во затвор повеќе од две години.",
    ),
    (
        # "vojna vježba": a military exercise.
        "bs",
        "military-exercises",
        "Vojna vježba vojnika iz Hrvatske i Slovenije",
        "Vojnici iz Hrvatske i Slovenije ove sedmice izvode zajedničku vojnu vježbu na poligonu "
        "kod Zagreba. U vježbi učestvuju tenkovi i artiljerija. Vježba traje pet dana.",
    ),
    (
        # "해상훈련": a naval drill (the bare "훈련", training, is only a weak cue).
        "ko",
        "military-exercises",
        "한미, 동해서 해상훈련 실시",
        "한국 해군과 미국 해군이 13일 동해에서 해상훈련을 실시했다. 이번 훈련에는 구축함과 "
        "잠수함 등이 참가했다. 훈련은 사흘 동안 이어진다.",
    ),
    (
        # "空襲": an air raid.
        "ja",
        "armed-conflict",
        "イスラエル軍がガザ地区を空襲",
        "イスラエル軍は15日、パレスチナ自治区ガザ地区の南部を空襲した。地元当局によると、"
        "民間人少なくとも20人が死亡した。空襲は夜まで続いた。",
    ),
    (
        # "قیدیوں کا تبادلہ": an exchange of prisoners.
        "ur",
        "prisoner-release",
        "پاکستان اور افغانستان کے درمیان قیدیوں کا تبادلہ",
        "پاکستان اور افغانستان نے ہفتے کے روز قیدیوں کا تبادلہ کیا۔ دونوں ممالک نے پچاس پچاس "
        "قیدی رہا کر دیے۔ رہائی پانے والے قیدی دو سال سے جیل میں تھے۔",
    ),
    (
        # "wapenembargo": an arms embargo, written as one word.
        "nl",
        "sanctions",
        "Europese Unie kondigt wapenembargo tegen Myanmar af",
        "De Europese Unie heeft een wapenembargo tegen Myanmar afgekondigd. Het wapenembargo "
        "geldt voor alle lidstaten. Myanmar noemde het besluit onrechtvaardig.",
    ),
    (
        # "droonirünnak": a drone attack.
        "et",
        "armed-conflict",
        "Venemaa droonirünnak tabas Kiievit",
        "Venemaa droonirünnak tabas ööl vastu kolmapäeva Kiievit. Ukraina õhutõrje tulistas "
        "alla enamiku droone. Hukkus kaks inimest.",
    ),
]


@pytest.mark.parametrize(
    ("language", "theme", "title", "text"),
    ABOUT,
    ids=[f"{c[0]}-{c[1]}" for c in ABOUT],
)
def test_an_item_told_with_a_new_cue_gets_its_theme(tagger, language, theme, title, text):
    assert theme in tagger.tag(text, title, language).topics


# (language, theme, title, text): a new cue word in another sense; not that theme.
OTHER_SENSES = [
    (
        # "kuondoa vikwazo vya biashara": removing trade barriers between two neighbours.
        "sw",
        "sanctions",
        "Kenya na Uganda zakubaliana kuondoa vikwazo vya biashara",
        "Kenya na Uganda zimekubaliana kuondoa vikwazo vya biashara vinavyokwamisha bidhaa "
        "mpakani. Wafanyabiashara wa nchi hizo mbili walilalamikia vikwazo hivyo kwa muda mrefu. "
        "Maafisa wa forodha wataanza kutekeleza uamuzi huo mwezi ujao.",
    ),
    (
        # "sancionou a lei": in Brazil the president signs a bill into law.
        "pt",
        "sanctions",
        "Lula sanciona lei sobre o comércio entre o Brasil e a Argentina",
        "O presidente Lula sancionou nesta terça-feira a lei que regula o comércio entre o Brasil "
        "e a Argentina. A sanção foi publicada no Diário Oficial. O texto tinha sido aprovado "
        "pelo Congresso em maio.",
    ),
    (
        # "ha rilasciato un'intervista": gave an interview.
        "it",
        "prisoner-release",
        "Il ministro russo ha rilasciato un'intervista",
        "Il ministro degli Esteri della Russia ha rilasciato un'intervista a un giornale "
        "italiano. Nell'intervista, rilasciata a Mosca, ha parlato dei rapporti tra la Russia e "
        "l'Italia. Le dichiarazioni rilasciate hanno fatto discutere.",
    ),
    (
        # "tirs à balles réelles": live rounds, here fired at protesters, not a live-fire drill.
        "fr",
        "military-exercises",
        "Iran : des tirs à balles réelles contre les manifestants",
        "En Iran, les forces de sécurité ont ouvert des tirs à balles réelles contre des "
        "manifestants à Téhéran, selon des témoins. Plusieurs personnes ont été blessées. Les "
        "autorités iraniennes démentent.",
    ),
    (
        # "پابندیاں عائد": bans imposed, here a province's ban on kite flying.
        "ur",
        "sanctions",
        "پنجاب میں پتنگ بازی پر پابندیاں عائد",
        "پاکستان کے صوبہ پنجاب کی حکومت نے پتنگ بازی پر پابندیاں عائد کر دی ہیں۔ خلاف ورزی "
        "کرنے والوں کو جرمانہ کیا جائے گا۔ یہ پابندیاں ایک ماہ تک نافذ رہیں گی۔",
    ),
]


@pytest.mark.parametrize(
    ("language", "theme", "title", "text"),
    OTHER_SENSES,
    ids=[f"{c[0]}-{c[1]}" for c in OTHER_SENSES],
)
def test_a_new_cue_word_in_another_sense_gets_no_theme(tagger, language, theme, title, text):
    assert theme not in tagger.tag(text, title, language).topics


def test_a_pair_in_a_language_without_interaction_cues_is_tagged_once(tagger):
    # Urdu has theme cues but no interaction cues: a strong theme cue makes the pair a relation,
    # and so does the title-and-lead rule; the tag is given once.
    title, text = ABOUT[9][2], ABOUT[9][3]
    topics = tagger.tag(text, title, "ur").topics
    assert "relations:af-pk" in topics
    assert len(topics) == len(set(topics))
