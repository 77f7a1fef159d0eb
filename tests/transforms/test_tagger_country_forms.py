"""Country forms news writes that CLDR's names do not give: abbreviations ("UAE" in Vietnamese,
"ЮАР", "KLDR"), short and old names ("Македонија", "Birmanie", "Wit-Rusland"), the cases of
names of several words ("Pohjois-Korean", "Βόρειας Κορέας") and names with endings written on
(Georgian, Kazakh, Bengali); and the other senses these forms or their neighbours have (Persian
"مالی" is "financial", "آمریکای لاتین" is Latin America, Macedonian "садот" is "the garden").
Every text here was written for these tests."""

from __future__ import annotations

import pytest

from newsbeam.transforms.tagger import sentence_starts


@pytest.mark.parametrize(
    ("language", "text", "country"),
    [
        ("vi", "UAE vừa công bố kế hoạch đầu tư mới vào ngành năng lượng.", "ae"),
        ("bg", "ЮАР обяви нов план за енергийни инвестиции в понеделник.", "za"),
        ("cs", "KLDR v pondělí znovu odpálila raketu krátkého doletu.", "kp"),
        ("pl", "Władze RPA ogłosiły w poniedziałek nowy plan inwestycji.", "za"),
        ("fr", "La RDC et le Rwanda ont repris lundi leurs discussions à Washington.", "cd"),
        ("uk", "Уряд ПАР у понеділок оголосив новий план інвестицій.", "za"),
        ("lt", "JAV pirmadienį paskelbė naują investicijų planą regione.", "us"),
        ("lv", "ASV pirmdien paziņoja par jaunu investīciju plānu reģionā.", "us"),
        ("sq", "SHBA njoftuan të hënën një plan të ri investimesh në rajon.", "us"),
        ("kk", "АҚШ дүйсенбі күні өңірге жаңа инвестициялық жоспар жариялады.", "us"),
        ("zh", "阿联酋周一宣布了一项新的能源投资计划。", "ae"),
        ("ko", "사우디 정부는 월요일 새로운 에너지 투자 계획을 발표했다.", "sa"),
        ("ja", "UAEは月曜日、新たなエネルギー投資計画を発表した。", "ae"),
        ("es", "El gobierno de EE. UU. anunció el lunes un nuevo plan de inversiones.", "us"),
    ],
)
def test_abbreviations_name_their_country(tagger, language, text, country):
    assert country in tagger.tag(text, None, language).countries


def test_an_abbreviation_written_with_stops_and_a_space_is_one_name_in_one_sentence(tagger):
    # "EE. UU." folds with two spaces between its halves, and its first stop ends no sentence.
    text = "El gobierno de EE. UU. impuso el lunes sanciones a Nicaragua. Managua las rechazó."
    assert sentence_starts(text) == [0, text.index("Managua")]
    assert "relations:ni-us" in tagger.tag(text, None, "es").topics


@pytest.mark.parametrize(
    ("language", "text", "country"),
    [
        ("mk", "Владата на Македонија во понеделник донесе нов закон за енергетика.", "mk"),
        ("bg", "Македония и Гърция подписаха в понеделник споразумение за газопровод.", "mk"),
        ("sr", "Vlada Makedonije je u ponedeljak usvojila novi zakon o energetici.", "mk"),
        ("fr", "La Birmanie a libéré lundi plusieurs centaines de prisonniers politiques.", "mm"),
        ("es", "Holanda anunció el lunes nuevas restricciones a la exportación de chips.", "nl"),
        ("nl", "Wit-Rusland heeft maandag opnieuw politieke gevangenen vrijgelaten.", "by"),
        ("sv", "Vitryssland släppte på måndagen ytterligare politiska fångar fria.", "by"),
        ("ca", "La República Txeca ha anunciat dilluns noves ajudes per a l'exportació.", "cz"),
        ("tr", "Fildişi Sahili pazartesi günü yeni bir kakao ihracat planı açıkladı.", "ci"),
        ("ru", "Киргизия в понедельник объявила о новом плане поставок электроэнергии.", "kg"),
        ("th", "รัฐบาลพม่าประกาศปล่อยนักโทษการเมืองหลายร้อยคนเมื่อวันจันทร์", "mm"),
        ("it", "La Santa Sede ha ospitato lunedì un incontro tra due delegazioni africane.", "va"),
        ("ur", "امریکا نے پیر کو توانائی کے شعبے میں نئی سرمایہ کاری کا اعلان کیا۔", "us"),
        ("ur", "امریکہ نے پیر کو توانائی کے شعبے میں نئی سرمایہ کاری کا اعلان کیا۔", "us"),
    ],
)
def test_short_and_old_names_name_their_country(tagger, language, text, country):
    assert country in tagger.tag(text, None, language).countries


@pytest.mark.parametrize(
    ("language", "text", "country"),
    [
        ("fi", "Pohjois-Korean ulkoministeriö tiedotti maanantaina uusista ohjuskokeista.", "kp"),
        ("fi", "Valtuuskunta saapui Saudi-Arabiasta maanantaina neuvottelemaan öljystä.", "sa"),
        ("el", "Ο υπουργός Εξωτερικών της Βόρειας Κορέας επισκέφθηκε τη Δευτέρα το Πεκίνο.", "kp"),
        ("lt", "Didžiosios Britanijos vyriausybė pirmadienį paskelbė naujas sankcijas.", "gb"),
        ("pl", "Prezydent Demokratycznej Republiki Konga przyleciał wczoraj do Luandy.", "cd"),
        ("de", "Die Regierung der Demokratischen Republik Kongo hat Gespräche begonnen.", "cd"),
        ("et", "Araabia Ühendemiraatide delegatsioon saabus esmaspäeval Tallinnasse.", "ae"),
        ("ka", "რუსეთის დელეგაცია ორშაბათს თბილისში ჩავიდა ახალი მოლაპარაკებებისთვის.", "ru"),
        ("kk", "Қытайдың делегациясы дүйсенбі күні Астанаға жаңа келіссөздерге келді.", "cn"),
        ("bn", "রাশিয়ার প্রতিনিধিদল সোমবার নতুন আলোচনার জন্য ঢাকায় পৌঁছেছে।", "ru"),
    ],
)
def test_inflected_forms_name_their_country(tagger, language, text, country):
    assert country in tagger.tag(text, None, language).countries


@pytest.mark.parametrize(
    ("language", "text", "country"),
    [
        # The Republic of the Congo only where its own name is written.
        ("pl", "Prezydent Demokratycznej Republiki Konga przyleciał wczoraj do Luandy.", "cg"),
        ("nl", "Wit-Rusland heeft maandag opnieuw politieke gevangenen vrijgelaten.", "ru"),
        # "financial" in Persian and Arabic, "northern" in Persian: no Mali without Mali nearby.
        ("fa", "بحران مالی در اروپا هفته گذشته عمیق‌تر شد و بازارها سقوط کردند.", "ml"),
        ("ar", "أعلنت وزارة المالية الألمانية يوم الاثنين عن خطة ميزانية جديدة.", "ml"),
        ("fa", "کره شمالی روز دوشنبه یک موشک بالستیک دیگر آزمایش کرد.", "ml"),
        # Latin America and the other Americas are not the United States.
        ("fa", "کشورهای آمریکای لاتین روز دوشنبه در نشستی درباره تجارت گفتگو کردند.", "us"),
        ("ar", "تعاني دول أمريكا اللاتينية من موجة جفاف غير مسبوقة هذا العام.", "us"),
        ("el", "Οι χώρες της Λατινικής Αμερικής συναντήθηκαν τη Δευτέρα για το εμπόριο.", "us"),
        ("ro", "Țările din America Latină s-au întâlnit luni pentru a discuta comerțul.", "us"),
        ("tr", "Güney Amerika ülkeleri pazartesi günü ticaret üzerine bir araya geldi.", "us"),
        # A language's name and a geographic region are not the state.
        ("th", "นักเรียนหลายคนเรียนภาษาอังกฤษเพิ่มเติมในช่วงปิดภาคเรียน", "gb"),
        ("bg", "Пиринска Македония привлича все повече туристи през лятото.", "mk"),
        # An abbreviation is not declined from the dictionary: "Садот" is "the garden", "Sadovi"
        # orchards, "Eaux" waters.
        ("mk", "Садот во центарот на градот е отворен за посетители секој ден.", "us"),
        ("hr", "Sadovi jabuka u dolini stradali su od mraza ove godine.", "us"),
        ("fr", "Les Eaux de la ville ont annoncé lundi une hausse de leurs tarifs.", "ae"),
    ],
)
def test_other_senses_name_no_country(tagger, language, text, country):
    assert country not in tagger.tag(text, None, language).countries


# Nouns for a country's people in the cases and numbers news writes, and the adjective's other
# forms, one case per kind of language: Slavic stems capitalised (pl, cs, sk, sl, hr, sr, mk) or
# not (uk, be, bg, ru; Belarusian also with ў- after a vowel and in the classical spelling),
# endings that change the stem (ro -ieni, lt -ietį, lv -ieti), Greek accusatives in either case,
# Finnic and Hungarian case endings, Turkish suffixes, Arabic indefinite forms, Hebrew prefixes,
# Hindi and Urdu oblique plurals.
@pytest.mark.parametrize(
    ("language", "text", "country"),
    [
        ("pl", "Konsul odwiedził w areszcie dwóch Kanadyjczyków zatrzymanych na lotnisku.", "ca"),
        ("cs", "Celníci na hranici zadrželi tři Kanaďany s falešnými doklady.", "ca"),
        ("sk", "Prokurátor obvinil dvoch Iráncov z pašovania cigariet.", "ir"),
        ("sl", "Na letališču so v nedeljo pridržali štiri Kanadčane.", "ca"),
        ("hr", "Sud je oslobodio Amerikanku optuženu za krijumčarenje.", "us"),
        ("sr", "Sud je oslobodio Nemicu optuženu za krijumčarenje.", "de"),
        ("mk", "Судот ги ослободи Кинезите обвинети за шверц.", "cn"),
        ("uk", "Консул відвідав двох канадців, затриманих в аеропорту минулого тижня.", "ca"),
        ("be", "На мяжы затрымалі двух украінцаў з падробленымі дакументамі.", "ua"),
        ("be", "Памежнікі затрымалі двух ўкраінцаў каля пераходу.", "ua"),
        ("be", "Суд вызваліў двух амэрыканцаў пасьля трох месяцаў арышту.", "us"),
        ("bg", "Съдът оправда канадец, обвинен в контрабанда на цигари.", "ca"),
        ("ru", "Суд оправдал китаянку, обвинённую в контрабанде.", "cn"),
        ("ro", "Poliția i-a reținut pe cei doi iranieni la aeroport.", "ir"),
        ("el", "Η αστυνομία συνέλαβε δύο Ιρανούς στο αεροδρόμιο της πόλης.", "ir"),
        ("el", "Οι αρχές απέλασαν τρεις ιρανούς υπηκόους την Τρίτη.", "ir"),
        ("lt", "Teismas išteisino kanadietį, kaltintą kontrabanda.", "ca"),
        ("lv", "Tiesa attaisnoja kanādieti, kuru apsūdzēja kontrabandā.", "ca"),
        ("fi", "Poliisi pidätti lentoasemalla kaksi brittiä.", "gb"),
        ("hu", "A bíróság szabadon engedte a letartóztatott franciákat.", "fr"),
        ("tr", "Polis havalimanında iki Amerikalıyı gözaltına aldı.", "us"),
        ("ar", "أفرجت السلطات عن ثلاثة كنديين بعد أسبوعين من الاحتجاز.", "ca"),
        ("he", "השגרירות הנפיקה מסמכים חדשים לאיראנים שנעצרו בנמל התעופה.", "ir"),
        ("hi", "पुलिस ने हवाई अड्डे पर दो ईरानियों को हिरासत में लिया।", "ir"),
        ("ur", "پولیس نے ہوائی اڈے پر دو ایرانیوں کو حراست میں لے لیا۔", "ir"),
    ],
)
def test_nouns_for_a_countrys_people_name_it(tagger, language, text, country):
    assert country in tagger.tag(text, None, language).countries


# Words that hold a people's form inside them (Arabic-script forms match inside words): a
# wedding (fa "عروسی") and horse riding (ar "الفروسية") are no Russia.
@pytest.mark.parametrize(
    ("language", "text", "country"),
    [
        ("fa", "مراسم عروسی روز جمعه در باغی بیرون شهر برگزار شد.", "ru"),
        ("ar", "فاز الفارس الشاب ببطولة نادي الفروسية يوم الجمعة.", "ru"),
    ],
)
def test_words_holding_a_peoples_form_name_no_country(tagger, language, text, country):
    assert country not in tagger.tag(text, None, language).countries


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("bs", "Vlada Republike Srpske usvojila je u ponedjeljak novi zakon o energetici."),
        ("sr", "Влада Републике Српске усвојила је у понедељак нови закон о енергетици."),
        ("hr", "Predsjednik Republike Srpske otvorio je novu tvornicu u Banjoj Luci."),
        ("ru", "Глава Республики Сербской открыл новый завод в Баня-Луке."),
    ],
)
def test_republika_srpska_is_not_serbia(tagger, language, text):
    # An entity of Bosnia and Herzegovina whose name holds the word for "Serbian".
    assert "rs" not in tagger.tag(text, None, language).countries


@pytest.mark.parametrize(
    ("language", "text", "countries"),
    [
        (
            "az",
            "Azərbaycan və Gürcüstan arasında sərhəd komissiyasının iclası keçirilib.",
            {"az", "ge"},
        ),
        ("uz", "Oʻzbekiston va Qozogʻiston prezidentlari Toshkentda uchrashdi.", {"uz", "kz"}),
        ("hy", "Հայաստան և Ֆրանսիա ստորագրեցին նոր համաձայնագիր։", {"am", "fr"}),
        ("be", "Беларусь і Расія падпісалі новае пагадненне.", {"by", "ru"}),
    ],
)
def test_cldr_names_in_azerbaijani_uzbek_armenian_and_belarusian(tagger, language, text, countries):
    assert countries <= set(tagger.tag(text, None, language).countries)


def test_ukrainian_russia_written_in_lower_case(tagger):
    # Many Ukrainian outlets write Russia, Moscow and the Kremlin in lower case.
    found = tagger.tag(
        "Уряд Молдови запроваджує санкції проти росії. У кремлі та в москві рішення "
        "назвали недружнім.",
        "Молдова запроваджує санкції проти росії",
        "uk",
    )
    assert set(found.countries[:2]) == {"md", "ru"}
    assert "relations:md-ru" in found.topics


def test_urdu_kazakhstan_and_the_word_for_financial(tagger):
    found = tagger.tag(
        "پاکستان اور قازقستان کی مشترکہ فوجی مشق کا آغاز ہو گیا۔ مالی امور پر بھی بات ہوئی۔",
        None,
        "ur",
    )
    assert {"pk", "kz"} <= set(found.countries)
    assert "ml" not in found.countries  # مالی: financial, not Mali
