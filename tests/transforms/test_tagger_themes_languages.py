"""Theme cues in languages that had relation cues but no theme cues (Hungarian, Romanian, Greek,
Hebrew, Hindi, Vietnamese, Indonesian, Slovak, Finnish, Croatian, Serbian, Bulgarian): a short
item of each theme gets it, in the language's own inflection, and the other senses of the same
words (a match report, a film release, penalties at home, a war remembered) get no theme. Every
text here was written for these tests."""

from __future__ import annotations

import pytest

THEMES = {"military-exercises", "sanctions", "prisoner-release", "diplomacy", "armed-conflict"}


def themes(topics: list[str]) -> set[str]:
    return set(topics) & THEMES


# (language, theme, title, text): one item about the theme, in the language's news phrasing.
ABOUT = [
    (
        "hu",
        "military-exercises",
        "Közös hadgyakorlat kezdődött Lengyelországban",
        "Amerikai és lengyel katonák közös hadgyakorlatot tartanak a héten Lengyelország keleti "
        "részén. A gyakorlaton harckocsik és tüzérségi egységek is részt vesznek. A NATO szerint "
        "a hadgyakorlat tíz napig tart.",
    ),
    (
        "hu",
        "prisoner-release",
        "Fogolycsere Oroszország és Ukrajna között",
        "Oroszország és Ukrajna kedden fogolycserét hajtott végre, mindkét fél kilencven "
        "hadifoglyot engedett szabadon. A foglyokat az Egyesült Arab Emírségek közvetítésével "
        "cserélték ki. A szabadon engedett katonák egy része sebesült volt.",
    ),
    (
        "ro",
        "sanctions",
        "UE adoptă un nou pachet de sancțiuni împotriva Rusiei",
        "Uniunea Europeană a aprobat miercuri un nou pachet de sancțiuni împotriva Rusiei. Noile "
        "sancțiuni vizează băncile și exporturile de petrol ale Rusiei. Guvernul României a "
        "salutat decizia.",
    ),
    (
        # Romanian sites often drop the diacritics.
        "ro",
        "sanctions",
        "UE adopta un nou pachet de sanctiuni impotriva Rusiei",
        "Uniunea Europeana a aprobat miercuri un nou pachet de sanctiuni impotriva Rusiei. Noile "
        "sanctiuni vizeaza bancile si exporturile de petrol ale Rusiei. Guvernul Romaniei a "
        "salutat decizia.",
    ),
    (
        "el",
        "diplomacy",
        "Επίσκεψη του Έλληνα υπουργού Εξωτερικών στην Τουρκία",
        "Ο υπουργός Εξωτερικών της Ελλάδας συναντήθηκε στην Άγκυρα με τον ομόλογό του από την "
        "Τουρκία. Οι δύο υπουργοί συζήτησαν τις διμερείς σχέσεις της Ελλάδας με την Τουρκία. Η "
        "επόμενη συνάντηση θα γίνει στην Αθήνα.",
    ),
    (
        "el",
        "armed-conflict",
        "Αεροπορικές επιδρομές στη Συρία",
        "Αεροπορικές επιδρομές έπληξαν το βράδυ της Τρίτης χωριά στη βόρεια Συρία. Σύμφωνα με "
        "τοπικές πηγές, τουλάχιστον δώδεκα άμαχοι σκοτώθηκαν. Οι μάχες συνεχίστηκαν και την "
        "επόμενη ημέρα.",
    ),
    (
        "he",
        "sanctions",
        "ארצות הברית הטילה סנקציות חדשות על איראן",
        "ארצות הברית הטילה ביום שלישי סנקציות חדשות על איראן. הסנקציות מכוונות לבנקים "
        "ולחברות נפט באיראן. משרד האוצר בוושינגטון הודיע כי יוטלו צעדים נוספים.",
    ),
    (
        "hi",
        "military-exercises",
        "भारत और अमेरिका का संयुक्त सैन्य अभ्यास शुरू",
        "भारत और अमेरिका की सेनाओं का संयुक्त सैन्य अभ्यास सोमवार को राजस्थान में शुरू हुआ। इस "
        "अभ्यास में दोनों देशों के छह सौ सैनिक हिस्सा ले रहे हैं। अभ्यास दो सप्ताह तक चलेगा।",
    ),
    (
        "hi",
        "prisoner-release",
        "पाकिस्तान ने 22 भारतीय मछुआरों को जेल से रिहा किया",
        "पाकिस्तान ने कराची की जेल में बंद 22 भारतीय मछुआरों को रिहा कर दिया। मछुआरे वाघा सीमा के "
        "रास्ते भारत लौटेंगे। भारत ने इस कदम का स्वागत किया।",
    ),
    (
        "vi",
        "diplomacy",
        "Thủ tướng Việt Nam hội đàm với Thủ tướng Nhật Bản",
        "Thủ tướng Việt Nam đã hội đàm với người đồng cấp Nhật Bản tại Tokyo trong chuyến thăm "
        "chính thức. Hai bên nhất trí tăng cường quan hệ song phương giữa Việt Nam và Nhật Bản. "
        "Chuyến thăm kéo dài ba ngày.",
    ),
    (
        "id",
        "sanctions",
        "Amerika Serikat jatuhkan sanksi baru terhadap Rusia",
        "Amerika Serikat mengumumkan sanksi baru terhadap Rusia pada hari Jumat. Sanksi ekonomi "
        "itu menyasar bank-bank besar dan ekspor minyak Rusia. Pemerintah Rusia menyebut langkah "
        "tersebut ilegal.",
    ),
    (
        "sk",
        "diplomacy",
        "Slovenský minister rokoval v Prahe s českým náprotivkom",
        "Minister zahraničných vecí Slovenska rokoval v Prahe so svojím českým náprotivkom. "
        "Ministri hovorili o vzájomných vzťahoch Slovenska a Česka a o spolupráci v EÚ. Ďalšie "
        "stretnutie sa uskutoční v Bratislave.",
    ),
    (
        "fi",
        "military-exercises",
        "Suomi ja Ruotsi aloittivat yhteisen sotaharjoituksen",
        "Suomen ja Ruotsin puolustusvoimat aloittivat maanantaina yhteisen sotaharjoituksen "
        "Lapissa. Harjoitukseen osallistuu noin 5 000 sotilasta. Harjoitus päättyy ensi viikolla.",
    ),
    (
        "fi",
        "sanctions",
        "EU hyväksyi uudet pakotteet Venäjää vastaan",
        "Euroopan unioni hyväksyi torstaina uudet pakotteet Venäjää vastaan. Pakotteet "
        "kohdistuvat venäläisiin pankkeihin ja öljyn vientiin. Suomen hallitus tuki "
        "pakotepakettia.",
    ),
    (
        "fi",
        "prisoner-release",
        "Venäjä ja Ukraina vaihtoivat sotavankeja",
        "Venäjä ja Ukraina toteuttivat lauantaina vankienvaihdon, jossa kumpikin vapautti sata "
        "sotavankia. Vaihto tehtiin Arabiemiirikuntien välityksellä. Vapautetut sotilaat "
        "pääsivät kotiin.",
    ),
    (
        "fi",
        "armed-conflict",
        "Venäjän ilmaiskut Ukrainaan jatkuivat yöllä",
        "Venäjä teki yöllä laajan ilmaiskun Ukrainan itäosiin. Ukrainan mukaan iskuissa sai "
        "surmansa neljä siviiliä. Kiivaat taistelut jatkuivat rintamalla koko päivän.",
    ),
    (
        "hr",
        "prisoner-release",
        "Rusija i Ukrajina provele razmjenu zarobljenika",
        "Rusija i Ukrajina u subotu su provele novu razmjenu zarobljenika. Svaka je strana "
        "vratila po stotinu ratnih zarobljenika. Razmjenu su posredovali Ujedinjeni Arapski "
        "Emirati.",
    ),
    (
        # Serbian in Cyrillic script, where the country names are found...
        "sr",
        "diplomacy",
        "Министар спољних послова Србије у званичној посети Мађарској",
        "Министар спољних послова Србије састао се са мађарским колегом у Будимпешти. "
        "Разговарали су о билатералним односима Србије и Мађарске и о енергетици. Званична "
        "посета трајаће два дана.",
    ),
    (
        # ... and in Latin script.
        "sr",
        "military-exercises",
        "Zajednička vojna vežba vojske Srbije",
        "Vojska Srbije počela je u ponedeljak zajedničku vojnu vežbu na jugu zemlje. U vežbi "
        "učestvuje oko hiljadu vojnika, tenkovi i artiljerija. Vežba traje pet dana.",
    ),
    (
        "bg",
        "sanctions",
        "ЕС прие нов пакет санкции срещу Русия",
        "Европейският съюз прие в сряда нов пакет санкции срещу Русия. Новите санкции засягат "
        "руски банки и износа на петрол. Правителството на България подкрепи решението.",
    ),
]


@pytest.mark.parametrize(
    ("language", "theme", "title", "text"), ABOUT, ids=[f"{c[0]}-{c[1]}" for c in ABOUT]
)
def test_a_news_item_about_a_theme_gets_it_in_its_own_language(
    tagger, language, theme, title, text
):
    assert theme in tagger.tag(text, title, language).topics


# (language, title, text): the cue words in another sense; no theme at all.
OTHER_SENSES = [
    (
        # A match report: "összecsapás" (clash), "találkozó" (meeting), "harc" (fight).
        "hu",
        "Magyarország legyőzte Szerbiát a selejtezőn",
        "A magyar labdarúgó-válogatott 2-1-re legyőzte Szerbiát a szombati selejtezőn "
        "Budapesten. Az összecsapás első félidejében a szerbek vezettek. A találkozó után a "
        "szövetségi kapitány elégedett volt a csapattal. Magyarország és Szerbia a következő "
        "fordulóban is harcol a továbbjutásért.",
    ),
    (
        # A film about a prisoner "eliberat din închisoare" (freed from prison), released.
        "ro",
        "Filmul despre un deținut eliberat din închisoare, lansat în Franța",
        "Noul film al regizorului a fost lansat vineri în cinematografele din Franța și România. "
        "Filmul spune povestea unui deținut eliberat din închisoare după zece ani. Actorii au "
        "primit premii la festival, iar criticii din Franța au lăudat filmul.",
    ),
    (
        # "άσκησε δίωξη": a prosecutor "exercised" a prosecution, against two officers.
        "el",
        "Η εισαγγελία άσκησε δίωξη σε δύο στρατιωτικούς",
        "Η εισαγγελία άσκησε ποινική δίωξη σε δύο στρατιωτικούς για διαρροή εγγράφων. Οι δύο "
        "αξιωματικοί αρνούνται τις κατηγορίες. Η δίκη θα γίνει τον Μάρτιο στην Αθήνα.",
    ),
    (
        # A friendly match: "μάχη" (battle) and "συνάντηση" (meeting) on the pitch.
        "el",
        "Νίκη της Ελλάδας επί της Τουρκίας στο φιλικό",
        "Η Εθνική ποδοσφαίρου της Ελλάδας νίκησε την Τουρκία με 2-0 στο φιλικό της Τρίτης. Η "
        "μάχη στο γήπεδο ήταν σκληρή από το πρώτο λεπτό. Μετά τη συνάντηση ο προπονητής της "
        "Τουρκίας δήλωσε ικανοποιημένος.",
    ),
    (
        # A film about a prisoner "ששוחרר מהכלא" (freed from prison) comes out in France.
        "he",
        "סרט על אסיר ששוחרר מהכלא יוצא לאקרנים של צרפת",
        "הסרט החדש על אסיר ששוחרר מהכלא יוצא השבוע בבתי הקולנוע של צרפת. שחרור הסרט נדחה "
        "פעמיים. הבמאי אמר כי הסרט עוסק במשפחה מתל אביב.",
    ),
    (
        # A cricket report: nets "अभ्यास" (practice) and a "दौरा" (tour).
        "hi",
        "भारत ने ऑस्ट्रेलिया को हराया",
        "भारतीय क्रिकेट टीम ने तीसरे वनडे में ऑस्ट्रेलिया को छह विकेट से हराया। मैच से पहले "
        "खिलाड़ियों ने नेट्स में अभ्यास किया। अगले महीने टीम इंग्लैंड के दौरे पर जाएगी। कप्तान ने "
        "कहा कि यह जीत पूरी टीम की है।",
    ),
    (
        # "प्रतिबंध" as a ban at home: firecrackers before Diwali.
        "hi",
        "भारत के कई राज्यों में पटाखों पर प्रतिबंध",
        "भारत के कई राज्यों ने दिवाली से पहले पटाखों पर प्रतिबंध लगा दिया है। प्रतिबंध का उल्लंघन "
        "करने पर जुर्माना लगेगा। प्रदूषण के कारण यह फैसला लिया गया।",
    ),
    (
        # A match report: "phản công" (counter-attack) on the pitch.
        "vi",
        "Việt Nam thắng Thái Lan 2-1",
        "Đội tuyển Việt Nam đã thắng Thái Lan 2-1 trong trận bóng đá tối qua. Bàn thắng quyết "
        "định đến từ một pha phản công nhanh. Các cầu thủ Thái Lan tấn công liên tục nhưng "
        "không ghi thêm bàn nào.",
    ),
    (
        # Disciplinary "sanksi" for civil servants at home.
        "id",
        "Pemerintah beri sanksi tegas bagi pegawai yang bolos",
        "Pemerintah Indonesia akan memberikan sanksi tegas kepada pegawai negeri yang bolos "
        "kerja setelah libur Lebaran. Sanksi disiplin itu berupa pemotongan tunjangan. Menteri "
        "mengatakan sanksi berlaku mulai pekan depan.",
    ),
    (
        # An ice-hockey report: "boj" (fight) for points, a "stretnutie" (match).
        "sk",
        "Slovensko zdolalo Česko",
        "Slovenskí hokejisti zdolali v piatok Česko 3:2 po predĺžení. Zápas bol od začiatku "
        "tvrdý a boj o body trval do poslednej minúty. Po stretnutí tréner Slovenska chválil "
        "brankára.",
    ),
    (
        # Ice-hockey practice: "harjoitus" and a "taistelu" on the rink.
        "fi",
        "Suomi kaatoi Ruotsin jääkiekossa",
        "Suomi voitti Ruotsin jääkiekko-ottelussa 4-2 Tampereella. Joukkue kävi aamulla "
        "harjoituksissa, ja illan taistelu Ruotsia vastaan oli kova. Ruotsin valmentaja kiitti "
        "yleisöä.",
    ),
    (
        # The anniversary of the 1991 siege: the war is remembered, not reported.
        "hr",
        "Obljetnica stradanja Vukovara",
        "Tisuće ljudi u Vukovaru obilježile su obljetnicu stradanja grada u Domovinskom ratu. "
        "U borbama za grad 1991. poginulo je više od tisuću branitelja i civila. Vojnici i "
        "predsjednik Hrvatske položili su vijence.",
    ),
    (
        # A film about a man "освободен от затвора" (freed from prison) comes out in France.
        "bg",
        "Български филм за освободен от затвора мъж излиза във Франция",
        "Новият български филм за мъж, освободен от затвора, излиза по кината във Франция. "
        "Филмът беше показан на фестивал в Кан. Режисьорът благодари на актьорите.",
    ),
    (
        # "sancțiuni" as penalties at home: for drivers who speed.
        "ro",
        "Sancțiuni mai dure pentru șoferii din România",
        "Guvernul României a aprobat sancțiuni mai dure pentru șoferii care depășesc viteza. "
        "Permisul poate fi suspendat pentru trei luni. Măsura intră în vigoare din ianuarie.",
    ),
    (
        # "trừng phạt" (punish) for speeding at home.
        "vi",
        "Việt Nam tăng mức trừng phạt người lái xe quá tốc độ",
        "Chính phủ Việt Nam tăng mức trừng phạt đối với người lái xe chạy quá tốc độ. Quy định "
        "mới có hiệu lực từ tháng Một. Bộ trưởng công bố quyết định vào thứ Hai.",
    ),
    (
        # Tourists' "látogatás" (visits) between two countries.
        "hu",
        "Német turisták látogatása Magyarországon rekordot döntött",
        "Tavaly rekordszámú német turista látogatott Magyarországra. A látogatások száma "
        "Ausztriából is nőtt. A szállodák elégedettek.",
    ),
]


@pytest.mark.parametrize(
    ("language", "title", "text"),
    OTHER_SENSES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(OTHER_SENSES)],
)
def test_other_senses_of_the_cue_words_get_no_theme(tagger, language, title, text):
    assert themes(tagger.tag(text, title, language).topics) == set()


@pytest.mark.parametrize(
    ("language", "text", "topic"),
    [
        (
            "th",
            "ไทยและสหรัฐฯ เริ่มการฝึกร่วมทางทหารที่ชลบุรี ทหารไทยและทหารสหรัฐฯ ฝึกร่วมกันเป็นเวลาสองสัปดาห์",
            "military-exercises",
        ),
        (
            "sr",
            "Srbija i Mađarska potpisale su sporazum o gasu u Beogradu. Sporazum su potpisali "
            "ministri dve zemlje. Srbija i Mađarska sarađuju i na železnici.",
            "diplomacy",
        ),
    ],
)
def test_theme_cues_in_languages_that_lacked_them(tagger, language, text, topic):
    assert topic in tagger.tag(text, None, language).topics
