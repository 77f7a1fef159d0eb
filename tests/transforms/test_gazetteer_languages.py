"""Country forms in the languages the gazetteer covered least: the -s genitive of Swedish, Danish
and Norwegian names ("Sveriges", "Moskvas"), CLDR's Serbian names in the Latin script next to the
Cyrillic ones, demonyms and two-word names in case ("hrvatski premijer", "Crne Gore"), words that
only begin like a demonym, and capitals after a venue preposition. Every text here was written
for these tests."""

from __future__ import annotations

import json

import pytest

from newsbeam.transforms.gazetteer import load_gazetteer
from newsbeam.transforms.tagger import Tagger


def countries(tagger: Tagger, text: str, language: str) -> set[str]:
    return set(tagger.tag(text, None, language).countries)


# -- the -s genitive ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "codes"),
    [
        ("sv", "Rysslands regering kallade på onsdagen upp Finlands ambassadör.", {"ru", "fi"}),
        ("da", "Kinas udenrigsminister mødte i går Canadas premierminister.", {"cn", "ca"}),
        ("no", "Tysklands forsvarsminister svarte Moskvas krav på fredag.", {"de", "ru"}),
        ("nb", "Sveriges statsminister møtte Polens president i går kveld.", {"se", "pl"}),
        # A name of two words takes the -s on its last.
        ("no", "Sør-Koreas president ringte Japans statsminister om natten.", {"kr", "jp"}),
        ("sv", "Nordkoreas ledare fördömde Sydkoreas övning.", {"kp", "kr"}),
    ],
)
def test_a_scandinavian_genitive_names_its_country(tagger, language, text, codes):
    assert codes <= countries(tagger, text, language)


def test_a_genitive_keeps_the_rules_of_its_name(tagger):
    # "Jordans" is Jordan's genitive: the rule for Jordan the player still applies to it.
    text = "Michael Jordans skor såldes på auktion för en rekordsumma."
    assert "jo" not in countries(tagger, text, "sv")


def test_a_name_ending_in_s_takes_no_second_one():
    from newsbeam.transforms.name_forms import generate

    forms = generate(load_gazetteer())
    assert forms["sv"]["forms"]["sveriges"] == "sverige"
    assert forms["no"]["forms"]["moskvas"] == "moskva"
    assert "pariss" not in forms["sv"]["forms"]
    assert "hellass" not in forms["no"]["forms"]


# -- Serbian in both scripts --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Predsednik Srbije je u utorak otputovao u Mađarsku na razgovore.", {"rs", "hu"}),
        ("Председник Србије је у уторак разговарао са премијером Мађарске.", {"rs", "hu"}),
    ],
)
def test_serbian_names_in_the_latin_and_the_cyrillic_script(tagger, text, codes):
    assert codes <= countries(tagger, text, "sr")


# -- demonyms and two-word names in case -------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "codes"),
    [
        ("hr", "Hrvatski premijer primio je u ponedjeljak slovenskog kolegu.", {"hr", "si"}),
        (
            "hr",
            "Vlada Crne Gore uputila je prosvjednu notu južnokorejskom veleposlanstvu.",
            {"me", "kr"},
        ),
        ("bs", "Delegacija je otputovala u Crnu Goru i Sjevernu Makedoniju.", {"me", "mk"}),
        ("sr", "Vlada Severne Makedonije poslala je protestnu notu Grčkoj.", {"mk", "gr"}),
        ("sr", "Руски амбасадор разговарао је са црногорским министром.", {"ru", "me"}),
        ("ro", "Președinta Republicii Moldova l-a primit pe premierul maghiar.", {"md", "hu"}),
        ("sl", "Slovenski zunanji minister se je sestal z ameriškim veleposlanikom.", {"si", "us"}),
        ("bg", "Българският премиер разговаря с турския президент.", {"bg", "tr"}),
        ("mk", "Македонскиот министер се сретна со грчкиот амбасадор.", {"mk", "gr"}),
        ("uk", "Італійський прем'єр зустрівся з угорським прем'єром.", {"it", "hu"}),
        ("fi", "Norjalainen ministeri tapasi puolalaisen kollegansa.", {"no", "pl"}),
        ("lt", "Prezidentas susitiko su ukrainiečių ir latvių delegacijomis.", {"ua", "lv"}),
        ("lv", "Ministrs tikās ar igauņu un poļu kolēģiem.", {"ee", "pl"}),
        ("et", "Minister kohtus eile sakslaste ja soomlaste delegatsiooniga.", {"de", "fi"}),
        ("da", "Den danske minister kritiserede den græske regering.", {"dk", "gr"}),
        # Norwegian as language identification names it either way: no or nb.
        ("nb", "Russiske styrker angrep byen i natt, sa Zelenskyj.", {"ru", "ua"}),
        ("id", "Menteri Luar Negeri Korsel bertemu dengan mitranya dari Jepang.", {"kr", "jp"}),
        ("hi", "जापानी प्रधानमंत्री ने इजरायली राजदूत से बात की।", {"jp", "il"}),
    ],
)
def test_demonyms_and_two_word_names_in_more_languages(tagger, language, text, codes):
    assert codes <= countries(tagger, text, language)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("da", "Suppen blev lavet af græskar og serveret med brød."),
        ("sv", "Hon gick en danskurs varje tisdag i höstas."),
        ("sv", "Det var indiskret av honom att fråga om lönen."),
        ("hr", "Roman je preveden na hrvatski jezik prošle godine."),
        ("et", "Britt käis eile poes ja ostis leiba."),
        # Dishes, nuts and oceans named after a country.
        ("hr", "Za večeru je bila ruska salata s majonezom."),
        ("uk", "До салату додали грецькі горіхи та мед."),
        ("bg", "Руската салата е любимо ястие по празниците."),
        ("hr", "Brod je mjesecima plovio Indijskim oceanom."),
        # Surnames that are demonyms, next to a given name.
        ("fi", "Kansanedustaja Olli Ruotsalainen kommentoi eilen budjettia."),
        ("hr", "Trener Ivan Poljak pohvalio je igrače nakon utakmice."),
        ("sl", "Župan Janez Nemec je včeraj odstopil."),
    ],
)
def test_a_word_that_begins_like_a_demonym_is_no_country(tagger, language, text):
    assert countries(tagger, text, language) == set()


# -- capitals are places after the language's venue prepositions --------------------------------


@pytest.mark.parametrize(
    ("language", "text", "pair", "venue"),
    [
        (
            "hr",
            "Hrvatski i slovenski premijeri potpisali su u Beogradu sporazum o suradnji.",
            "relations:hr-si",
            "rs",
        ),
        (
            "sv",
            "Svenska och finska ministrar förhandlade i Berlin om energi.",
            "relations:fi-se",
            "de",
        ),
        # Greek "στη", "στο" (in, to) and Persian "در" (in), "به" (to).
        (
            "el",
            "Ο Τούρκος και ο Ιρανός υπουργός υπέγραψαν στη Μόσχα συμφωνία συνεργασίας.",
            "relations:ir-tr",
            "ru",
        ),
    ],
)
def test_a_capital_after_a_venue_preposition_is_no_party(tagger, language, text, pair, venue):
    relations = [t for t in tagger.tag(text, None, language).topics if t.startswith("relations:")]
    assert relations == [pair]
    assert not any(venue in t.split(":")[1].split("-") for t in relations)


def test_a_persian_capital_is_a_party_or_after_dar_a_place(tagger):
    acting = tagger.tag("مسکو و آنکارا روز دوشنبه توافقنامه همکاری امضا کردند.", None, "fa")
    assert "relations:ru-tr" in acting.topics
    placed = tagger.tag("وزیران ترکیه و عراق در مسکو توافقنامه همکاری امضا کردند.", None, "fa")
    assert [t for t in placed.topics if t.startswith("relations:")] == ["relations:iq-tr"]
    assert "ru" in placed.countries


def test_a_latin_script_entry_serves_every_latin_language(tagger):
    # Leaders' surnames under "latn": the same in Hungarian, Portuguese and Dutch text.
    assert "hu" in tagger.tag("Orbán Viktor hétfőn Bécsbe utazott.", None, "hu").countries
    assert "br" in tagger.tag("Bolsonaro viajou na segunda-feira.", None, "pt").countries
    assert "hu" in tagger.tag("Orbán reisde maandag naar Wenen.", None, "nl").countries
    # ... and not in a language of another script.
    assert "hu" not in tagger.tag("Orbán 周一前往维也纳。", None, "zh").countries


def test_latn_is_the_only_language_key_longer_than_three_letters(tmp_path):
    from newsbeam.transforms.gazetteer import GazetteerError

    good = tmp_path / "good.json"
    good.write_text(
        json.dumps({"version": "1", "countries": {"hu": {"latn": {"people": ["Orbán"]}}}})
    )
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps({"version": "1", "countries": {"hu": {"latin": {"people": ["Orbán"]}}}})
    )
    assert any(a.phrase == "Orbán" for a in load_gazetteer(str(good)).aliases)
    with pytest.raises(GazetteerError, match="bad language entry"):
        load_gazetteer(str(bad))


@pytest.mark.parametrize(
    ("language", "text", "pair"),
    [
        (
            "fa",
            "تیم ملی فوتبال مصر در دیداری دوستانه با تیم ملی نیجریه روبرو شد و با دو گل پیروز "
            "شد. مربی مصر از بازیکنان تشکر کرد. مصر و نیجریه دیدار دیگری در ماه بعد در ورزشگاه "
            "قاهره دارند.",
            "relations:eg-ng",
        ),
        (
            "hr",
            "Hrvatska je u utakmici nogometnih reprezentacija pobijedila Srbiju 2:1. Napad "
            "Hrvatske bio je jači od obrane Srbije, rekao je trener nakon utakmice. Hrvatska i "
            "Srbija ponovno igraju na stadionu u Splitu.",
            "relations:hr-rs",
        ),
        (
            "vi",
            "ĐT Việt Nam tiếp đón ĐT Thái Lan trên sân nhà ở vòng loại. Trong trận bán kết "
            "năm ngoái, ĐT Việt Nam thắng Thái Lan 2-1. Hai đội sẽ thi đấu vào ngày 25/3.",
            "relations:th-vn",
        ),
    ],
)
def test_a_match_report_is_sport_in_more_languages(tagger, language, text, pair):
    assert pair not in tagger.tag(text, None, language).topics


# -- leaders in every script ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "codes"),
    [
        ("ja", "トカエフ大統領は火曜日に記者会見を開き、新しい税制を説明した。", {"kz"}),
        ("zh", "托卡耶夫与米尔济约耶夫周二在边境举行了会谈。", {"kz", "uz"}),
        ("ko", "토카예프 대통령과 알리예프 대통령이 화요일에 회담했다.", {"kz", "az"}),
        ("ar", "التقى علييف وباشينيان يوم الثلاثاء لبحث ترسيم الحدود.", {"az", "am"}),
        # A Hebrew name takes the conjunction written onto it ("ונתניהו").
        ("he", "לפי הדיווח, טראמפ ונתניהו שוחחו בטלפון ביום שלישי בערב.", {"us", "il"}),
        ("el", "Ο Ερντογάν συναντήθηκε με τον Πούτιν την Τρίτη στο Σότσι.", {"tr", "ru"}),
        ("hi", "मोदी और ट्रंप ने मंगलवार को फोन पर लंबी बात की।", {"in", "us"}),
        ("fa", "اردوغان و پوتین روز سه‌شنبه با هم تلفنی گفتگو کردند.", {"tr", "ru"}),
        ("bg", "Орбан се срещна с Вучич в четвъртък вечерта в столицата.", {"hu", "rs"}),
        ("ru", "Жапаров и Бердымухамедов обсудили в среду поставки газа.", {"kg", "tm"}),
        # A surname spelled alike in every Latin-script language ("latn").
        ("es", "Tokayev y Japarov firmaron el martes un acuerdo sobre la frontera.", {"kz", "kg"}),
        # ... with the case endings of the languages that decline it.
        ("hr", "Razgovor Trumpa i Putina trajao je gotovo dva sata.", {"us", "ru"}),
        ("sk", "Fico v pondelok kritizoval Netanjahua aj Erdogana.", {"il", "tr"}),
        ("hu", "Putyin és Zelenszkij üzenetet váltott a fogolycseréről.", {"ru", "ua"}),
        ("pl", "Premier rozmawiał wczoraj z Tokajewem i Paszynianem.", {"kz", "am"}),
        ("cs", "Witkoff jednal v úterý se Sybihou o příměří.", {"us", "ua"}),
        ("he", "אבו מאזן נפגש אתמול עם א-סיסי לשיחה ארוכה.", {"ps", "eg"}),
        ("el", "Ο Χαφτάρ συναντήθηκε την Τετάρτη με τον Χριστοδουλίδη.", {"ly", "cy"}),
        ("vi", "Tập Cận Bình tiếp Thủ tướng Hun Manet tại Bắc Kinh hôm thứ Ba.", {"cn", "kh"}),
        ("th", "ฮุน มาเนต กล่าวว่าพร้อมเจรจาเรื่องชายแดนในสัปดาห์หน้า", {"kh"}),
        ("zh", "洪玛奈与阿努廷周二通电话讨论边境局势。", {"kh", "th"}),
        ("hi", "मुइज्जू ने मंगलवार को दिसानायके से फोन पर बात की।", {"mv", "lk"}),
    ],
)
def test_a_leader_names_the_state_in_more_scripts(tagger, language, text, codes):
    assert codes <= countries(tagger, text, language)


# -- capitals and demonyms where a language had none ---------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "codes"),
    [
        # Hebrew capitals take the prepositions written onto them ("ולמוסקבה").
        ("he", "לפי הודעת טהרן, השיחות עם מוסקבה יימשכו בשבוע הבא.", {"ir", "ru"}),
        ("hu", "Moszkva szerint a javaslat elfogadhatatlan, Peking pedig hallgat.", {"ru", "cn"}),
        ("ro", "Chișinăul a cerut explicații oficiale de la Moscova.", {"md", "ru"}),
        ("lt", "Maskva ir Minskas surengė bendras karines pratybas.", {"ru", "by"}),
        ("ja", "アスタナとバクーは火曜日、新たな輸送協定に署名した。", {"kz", "az"}),
        ("ko", "카불과 이슬라마바드는 국경 문제를 두고 다시 충돌했다.", {"af", "pk"}),
        ("et", "Armeenlased ja aserbaidžaanlased pidasid eile läbirääkimisi.", {"am", "az"}),
        ("ar", "قال المسؤول الكازاخستاني إن الوفد الإثيوبي وصل أمس.", {"kz", "et"}),
        ("fa", "مقام‌های آمریکایی و فرانسوی روز دوشنبه با هم دیدار کردند.", {"us", "fr"}),
        ("el", "Η πακιστανική κυβέρνηση κάλεσε τον Αφγανό πρέσβη για εξηγήσεις.", {"pk", "af"}),
        ("hi", "सऊदी और कतरी अधिकारियों ने सोमवार को बैठक की।", {"sa", "qa"}),
        ("uk", "Кенійський міністр зустрівся з ефіопським колегою.", {"ke", "et"}),
        ("th", "พนมเปญและฮานอยออกแถลงการณ์ร่วมเมื่อวันอังคาร", {"kh", "vn"}),
        # Capitals spelled alike in the Latin-script languages ("latn"), with case endings.
        ("es", "Pyongyang y Seúl intercambiaron nuevas acusaciones el lunes.", {"kp", "kr"}),
        ("pl", "Biszkek i Duszanbe podpisały w piątek porozumienie graniczne.", {"kg", "tj"}),
        ("tr", "Kabil ve İslamabad sınır kapısını perşembe günü yeniden açtı.", {"af", "pk"}),
        ("sv", "Den nigerianska regeringen kritiserade den kenyanska ambassadören.", {"ng", "ke"}),
        ("nl", "De Keniaanse president ontving dinsdag de Soedanese minister.", {"ke", "sd"}),
        # Catalan and Urdu demonyms; the short Thai name of the US; Swahili news's "China".
        ("ca", "El ministre rus es va reunir amb el seu homòleg xinès a Pequín.", {"ru", "cn"}),
        ("ur", "امریکی اور ایرانی وفود نے پیر کو ملاقات کی۔", {"us", "ir"}),
        ("th", "สหรัฐฯ และจีนจัดการเจรจาการค้าเมื่อวันจันทร์", {"us", "cn"}),
        ("sw", "Marekani na China zimekubaliana kuendelea na mazungumzo.", {"us", "cn"}),
        ("he", "השגריר האמריקני נפגש עם שר החוץ הירדני.", {"us", "jo"}),
        # Arabic broken plurals, which hold no singular demonym.
        ("ar", "التقى المسؤولون الأتراك نظراءهم الألمان في برلين يوم الاثنين.", {"tr", "de"}),
    ],
)
def test_capitals_and_demonyms_in_languages_that_lacked_them(tagger, language, text, codes):
    assert codes <= countries(tagger, text, language)


@pytest.mark.parametrize(
    ("language", "text", "codes"),
    [
        ("de", "Die Huthi feuerten am Dienstag erneut eine Rakete auf Israel ab.", {"ye", "il"}),
        ("ru", "Хуситы заявили об атаке на судно в Красном море.", {"ye"}),
        ("ar", "أعلن الحوثيون مسؤوليتهم عن الهجوم على السفينة.", {"ye"}),
        ("he", "החות'ים שיגרו הלילה טיל לעבר אילת.", {"ye"}),
    ],
)
def test_the_houthis_stand_for_yemen(tagger, language, text, codes):
    # Like the Taliban for Afghanistan: the de facto government of the capital.
    assert codes <= countries(tagger, text, language)
