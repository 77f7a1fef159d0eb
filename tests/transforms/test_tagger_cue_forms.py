"""Themes from the forms news writes a concept in, first in the languages whose cue lists
were thinnest: fire opened and exchanged, a retaliation, a border clash, mortar fire,
warplanes, soldiers killed, rockets launched; a parole, a release on bail, fishermen freed,
a release from custody; a state "sanctioned" in the passive, an entry ban and a stop list; a
drill in the singular; an envoy summoned or recalled, diplomats expelled. Words of another
sense stay quiet (a district's ban on kites in Urdu, a Dutch police shoot-out, retaliation
for tariffs). Every text here was written for these tests."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("language", "text", "topics"),
    [
        (
            "vi",
            "Binh sĩ Campuchia và Thái Lan đọ súng tại khu vực biên giới sáng thứ Hai. "
            "Hai bên cáo buộc nhau nổ súng trước, súng cối rơi gần các ngôi làng. "
            "Thái Lan cho biết sẽ trả đũa nếu các vụ tấn công tiếp diễn.",
            {"armed-conflict"},
        ),
        (
            "id",
            "Pasukan Thailand dan Kamboja terlibat baku tembak di perbatasan pada Senin "
            "pagi. Mortir menghantam dua desa di sisi Kamboja. Kamboja menyebut aksi "
            "balasan akan dilakukan bila pasukan Thailand terus menembaki desa-desa itu.",
            {"armed-conflict"},
        ),
        (
            "tr",
            "Sınırda Pakistan ve Afganistan güçleri arasında karşılıklı ateş açıldı. "
            "Havan topu mermileri köylere düştü, iki asker şehit düştü. "
            "Pakistan misilleme yapacağını duyurdu.",
            {"armed-conflict"},
        ),
        (
            "nl",
            "Indiase troepen openden het vuur op Pakistaanse posten langs de grens. "
            "Dorpen werden urenlang bestookt met mortiervuur. "
            "Pakistan kondigde een vergeldingsaanval aan en zette gevechtsvliegtuigen in.",
            {"armed-conflict"},
        ),
        (
            "da",
            "Israelske soldater åbnede ild mod en libanesisk grænsepost natten til tirsdag. "
            "Landsbyerne blev beskudt med morterild i flere timer. "
            "Libanon truer med gengældelse, hvis angrebene fortsætter.",
            {"armed-conflict"},
        ),
        (
            "th",
            "ทหารไทยและกัมพูชาเปิดฉากยิงใส่กันบริเวณชายแดนเมื่อเช้าวันจันทร์ "
            "กองทัพไทยยิงตอบโต้ด้วยปืนครก และส่งเครื่องบินขับไล่ขึ้นบิน "
            "ชาวบ้านอพยพออกจากหมู่บ้าน",
            {"armed-conflict"},
        ),
        (
            "ko",
            "북한군이 비무장지대 남쪽으로 박격포를 쐈다. 한국군은 즉시 보복 공격에 나섰다. "
            "정부는 국경 충돌이 확대되지 않도록 북한에 경고했다.",
            {"armed-conflict"},
        ),
        (
            "fa",
            "دو شهروند فرانسوی با آزادی موقت از زندان اوین بیرون آمدند. وزیر خارجه فرانسه "
            "از تصمیم ایران استقبال کرد. آنها هنوز اجازه خروج از ایران را ندارند.",
            {"prisoner-release"},
        ),
        (
            "is",
            "Íslenskur blaðamaður sem sat í fangelsi í Tyrklandi fékk reynslulausn í gær. "
            "Utanríkisráðherra Íslands fagnaði ákvörðuninni. Hann er væntanlegur heim um "
            "helgina.",
            {"prisoner-release"},
        ),
        (
            "da",
            "To danske sømænd er blevet prøveløsladt i Iran efter et år i fængsel. "
            "Danmarks udenrigsminister takkede Oman for hjælpen. "
            "Sømændene ventes hjem i næste uge.",
            {"prisoner-release"},
        ),
        (
            "ur",
            "ایران کی جیل میں قید پاکستانی ماہی گیروں کو رہا کیا گیا۔ "
            "ماہی گیروں کو سرحد پر پاکستانی حکام کے حوالے کر دیا گیا۔ "
            "وزارت خارجہ نے ایران کا شکریہ ادا کیا۔",
            {"prisoner-release"},
        ),
        (
            "vi",
            "Hai tù nhân người Pháp được tại ngoại sau ba tháng bị giam giữ ở Iran. Pháp "
            "cảm ơn Iran về quyết định này. Họ vẫn chưa được phép rời khỏi Iran.",
            {"prisoner-release"},
        ),
        (
            "sw",
            "Kampuni tatu za Iran ziliwekewa vikwazo na Marekani wiki hii. "
            "Wizara ya fedha ya Marekani ilisema kampuni hizo ziliuza mafuta kwa siri. "
            "Iran ilijibu kuwa haitakubali shinikizo hilo.",
            {"sanctions"},
        ),
        (
            "sw",
            "Wanajeshi wa Kenya na Tanzania wanashiriki zoezi la kijeshi karibu na mpaka. "
            "Jeshi la Kenya limesema zoezi hilo litachukua siku kumi. "
            "Vifaru na ndege za kivita vinatumika.",
            {"military-exercises"},
        ),
        (
            "ur",
            "پاکستان اور ترکی کی بحریہ نے بحیرہ عرب میں مشترکہ بحری مشق کی۔ مشق میں جنگی "
            "جہاز اور آبدوزیں شامل تھیں۔ ترک بحریہ کے سربراہ نے کراچی کا دورہ بھی کیا۔",
            {"military-exercises"},
        ),
        (
            "fa",
            "وزارت خارجه ایران سفیر آلمان را به وزارت خارجه احضار کرد. "
            "ایران به اظهارات مقامات آلمانی درباره اعدام اعتراض کرد. "
            "برلین هم کاردار ایران را فراخواند.",
            {"diplomacy"},
        ),
        (
            "ur",
            "دفتر خارجہ نے افغان ناظم الامور کو طلب کر کے سرحدی حملے پر احتجاج کیا۔ "
            "پاکستان نے افغانستان سے ذمہ داروں کے خلاف کارروائی کا مطالبہ کیا۔ "
            "افغانستان نے الزامات مسترد کر دیے۔",
            {"diplomacy"},
        ),
        (
            "da",
            "Rusland udviser diplomater fra Danmark som svar på en lignende dansk "
            "beslutning. Udvisning af diplomater er den tredje i år. Danmark kalder "
            "beslutningen uberettiget.",
            {"diplomacy"},
        ),
        (
            "en",
            "Indian and Pakistani troops exchanged fire across the Line of Control "
            "overnight. Mortar fire hit two villages on the Pakistani side. Pakistan warned "
            "of a retaliatory strike if the shelling went on.",
            {"armed-conflict"},
        ),
        (
            "zh",
            "印度和巴基斯坦军队在克什米尔控制线附近开火。"
            "巴基斯坦表示将进行报复性打击。"
            "两国边境冲突已持续三天。",
            {"armed-conflict"},
        ),
        (
            "pl",
            "Wojska Indii i Pakistanu otworzyły ogień na linii kontroli. Wymiana ognia "
            "trwała całą noc, a moździerze ostrzeliwały wioski. Pakistan zapowiedział "
            "odwet.",
            {"armed-conflict"},
        ),
        (
            "el",
            "Τουρκικά και συριακά στρατεύματα άνοιξαν πυρ στα σύνορα. Η ανταλλαγή πυρών "
            "κράτησε ώρες. Η Τουρκία προειδοποίησε με αντίποινα.",
            {"armed-conflict"},
        ),
        (
            "ru",
            "Пограничники Таджикистана открыли огонь по киргизскому посту. В ответ Киргизия "
            "нанесла удар по таджикским позициям. Бишкек обвинил Душанбе в провокации.",
            {"armed-conflict"},
        ),
        (
            "de",
            "Thailändische Soldaten eröffneten das Feuer auf einen kambodschanischen "
            "Posten. Kambodscha drohte Thailand mit Vergeltung. Mörsergranaten schlugen in "
            "zwei Dörfern ein.",
            {"armed-conflict"},
        ),
        (
            "lv",
            "Latvijas Ārlietu ministrija izsauca Krievijas vēstniecības pilnvaroto "
            "lietvedi. Latvija protestēja pret Krievijas draudiem. Krievija apsūdzības "
            "noraidīja.",
            {"diplomacy"},
        ),
        (
            "hu",
            "Magyarország ukrán diplomatákat utasított ki. A lépés után Kijev is "
            "hazarendelte budapesti nagykövetét. Ukrajna szerint a döntés indokolatlan.",
            {"diplomacy"},
        ),
        (
            "he",
            'חמאס שיגרו רקטות לעבר ישראל מרצועת עזה. צה"ל תוקף מטרות ברצועה בתגובה. '
            "מצרים קראה לשני הצדדים לרסן את עצמם.",
            {"armed-conflict"},
        ),
        (
            "ru",
            "Япония закрыла въезд для двенадцати российских чиновников. Москва "
            "пообещала ответить и внести японцев в стоп-лист. Токио заявил, что "
            "решение связано с Украиной.",
            {"sanctions"},
        ),
        (
            "sv",
            "Sverige kallar upp Irans ambassadör efter dödsdomen mot en svensk "
            "medborgare. Utrikesministern kräver att Iran häver domen. Iran har "
            "inte kommenterat.",
            {"diplomacy"},
        ),
        (
            "hu",
            "A román hatóságok kiengedték őrizetből a két ukrán halászt. Ukrajna "
            "megköszönte Romániának a gyors döntést. A halászokat a Duna-deltában "
            "tartóztatták fel.",
            {"prisoner-release"},
        ),
    ],
)
def test_forms_news_writes_give_the_theme(tagger, language, text, topics):
    result = tagger.tag(text, None, language)
    assert topics <= set(result.topics), result.topics


@pytest.mark.parametrize(
    ("language", "text", "topic"),
    [
        (
            "ur",
            "اسلام آباد کے ڈپٹی کمشنر نے پتنگ بازی پر دو ماہ کے لیے پابندی عائد کر دی۔ "
            "خلاف ورزی کرنے والوں کے خلاف کارروائی ہو گی۔ "
            "پولیس کو ہدایات جاری کر دی گئیں۔",
            "sanctions",
        ),
        (
            "nl",
            "Bij een overval in Rotterdam kwam het tot een vuurgevecht met de politie. "
            "Een verdachte raakte gewond. De politie houdt twee mannen vast.",
            "armed-conflict",
        ),
        (
            "en",
            "China announced retaliation after Washington raised tariffs on steel. Beijing said "
            "the retaliation would hit soybeans. The United States called the move unfair.",
            "armed-conflict",
        ),
    ],
)
def test_another_sense_gives_no_theme(tagger, language, text, topic):
    assert topic not in tagger.tag(text, None, language).topics
