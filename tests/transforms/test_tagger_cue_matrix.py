"""Interaction and theme cues from one list of concepts (clash, border closed, blockade, accused,
invitation, handshake, a chargé d'affaires summoned, manoeuvres...) read against the English
list, for the languages whose cue lists were thinnest: each text names two states and an act,
or a theme, the language's list had no word for before. Every text here was written for these
tests."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("language", "title", "text", "pair"),
    [
        (
            "sl",
            "Armenija in Azerbajdžan: novi spopadi",
            "Armenija in Azerbajdžan sta v ponedeljek poročala o novih spopadih. "
            "V spopadih med Armenijo in Azerbajdžanom je bilo ranjenih več vojakov.",
            "relations:am-az",
        ),
        (
            "lt",
            "Kinija apkaltino Japoniją",
            "Kinija trečiadienį apkaltino Japoniją dėl laivų jūroje. "
            "Japonija atmetė tai, kuo ją apkaltino Kinija.",
            "relations:cn-jp",
        ),
        (
            "et",
            "Soome sulges piiri Venemaaga",
            "Soome sulges reedel kogu piiri Venemaaga. "
            "Soome valitsuse sõnul sulges ta piiri, sest Venemaa saatis piirile rändajaid.",
            "relations:fi-ru",
        ),
        (
            "vi",
            "Trung Quốc phong tỏa vùng biển gần Đài Loan",
            "Trung Quốc phong tỏa vùng biển gần Đài Loan trong ba ngày. "
            "Đài Loan nói Trung Quốc phong tỏa các tuyến hàng hải.",
            "relations:cn-tw",
        ),
        (
            "hu",
            "Összecsapások Örményország és Azerbajdzsán között",
            "Örményország és Azerbajdzsán csapatai között újabb összecsapások voltak hétfőn. "
            "Örményország szerint Azerbajdzsán katonái lőtték a falut.",
            "relations:am-az",
        ),
        (
            "tr",
            "Türkiye, Suriye sınırını kapattı",
            "Türkiye, Suriye ile tüm sınır kapılarını kapattı. "
            "Türkiye'nin kararı Suriye'deki olayların ardından geldi.",
            "relations:sy-tr",
        ),
        (
            "bg",
            "Сблъсъци между Индия и Пакистан",
            "Индия и Пакистан съобщиха за нови сблъсъци в Кашмир. "
            "При сблъсъците между Индия и Пакистан са ранени войници.",
            "relations:in-pk",
        ),
        (
            "ca",
            "Enfrontaments entre l'Índia i el Pakistan",
            "L'Índia i el Pakistan van informar de nous enfrontaments al Caixmir. "
            "Els enfrontaments entre l'Índia i el Pakistan van deixar soldats ferits.",
            "relations:in-pk",
        ),
        (
            "el",
            "Η Τουρκία απευθύνει πρόσκληση στην Ελλάδα",
            "Η Τουρκία απηύθυνε πρόσκληση στην Ελλάδα για νέο γύρο επαφών. "
            "Η Ελλάδα εξετάζει την πρόσκληση της Τουρκίας.",
            "relations:gr-tr",
        ),
        (
            "nb",
            "Sammenstøt mellom India og Pakistan",
            "India og Pakistan melder om nye sammenstøt i Kashmir. "
            "Sammenstøtene mellom India og Pakistan har skadet flere soldater.",
            "relations:in-pk",
        ),
        (
            "da",
            "Sammenstød mellem Indien og Pakistan",
            "Indien og Pakistan melder om nye sammenstød i Kashmir. "
            "Sammenstødene mellem Indien og Pakistan har såret flere soldater.",
            "relations:in-pk",
        ),
        (
            "sk",
            "Nové strety medzi Arméniou a Azerbajdžanom",
            "Arménsko a Azerbajdžan hlásia nové strety na hranici. "
            "Pri stretoch medzi Arménskom a Azerbajdžanom boli zranení vojaci.",
            "relations:am-az",
        ),
        (
            "ar",
            "وزير خارجية مصر يصافح وزير خارجية الأردن",
            "صافح وزير خارجية مصر وزير خارجية الأردن في عمان يوم الاثنين. "
            "وقالت مصر إن الأردن بلد مهم.",
            "relations:eg-jo",
        ),
        (
            "ro",
            "Ciocniri între Armenia și Azerbaidjan",
            "Armenia și Azerbaidjan au raportat noi ciocniri armate. "
            "În ciocnirile dintre Armenia și Azerbaidjan au fost răniți soldați.",
            "relations:am-az",
        ),
        (
            "id",
            "Bentrokan antara India dan Pakistan",
            "India dan Pakistan melaporkan bentrokan baru di Kashmir. "
            "Bentrokan antara India dan Pakistan melukai beberapa tentara.",
            "relations:in-pk",
        ),
        (
            "ms",
            "Pertempuran antara India dan Pakistan",
            "India dan Pakistan melaporkan pertempuran baru di Kashmir. "
            "Pertempuran antara India dan Pakistan mencederakan beberapa askar.",
            "relations:in-pk",
        ),
        (
            "fi",
            "Yhteenottoja Intian ja Pakistanin välillä",
            "Intia ja Pakistan kertovat uusista yhteenotoista Kashmirissa. "
            "Intian ja Pakistanin yhteenotoissa haavoittui sotilaita.",
            "relations:in-pk",
        ),
        (
            "hr",
            "Kina i Tajvan: rukovanje ministara",
            "Ministri Kine i Tajvana rukovali su se u Singapuru. "
            "Kina i Tajvan rukovanje su opisali kao korak naprijed.",
            "relations:cn-tw",
        ),
        (
            "mk",
            "Судири меѓу Индија и Пакистан",
            "Индија и Пакистан известија за нови судири во Кашмир. "
            "Во судирите меѓу Индија и Пакистан се ранети војници.",
            "relations:in-pk",
        ),
    ],
)
def test_a_concept_the_list_lacked_makes_the_relation(tagger, language, title, text, pair):
    assert pair in tagger.tag(text, title, language).topics


@pytest.mark.parametrize(
    ("language", "title", "text", "theme"),
    [
        (
            "tr",
            "Ankara, maslahatgüzarı Dışişleri Bakanlığına çağırdı",
            "Türkiye, İsveç'in Ankara maslahatgüzarını bakanlığa çağırdı. "
            "Türkiye, maslahatgüzara İsveç'teki gösteriyle ilgili rahatsızlığını iletti.",
            "diplomacy",
        ),
        (
            "ca",
            "Espanya cita l'encarregat de negocis de l'Argentina",
            "El govern d'Espanya ha citat l'encarregat de negocis de l'Argentina a Madrid. "
            "L'encarregat de negocis de l'Argentina va rebre la queixa d'Espanya.",
            "diplomacy",
        ),
        (
            "nb",
            "Russland holder militærmanøver nær grensen",
            "Russland holder en stor militærmanøver nær grensen til Norge. "
            "Militærmanøveren omfatter kampfly og stridsvogner, opplyser Forsvaret.",
            "military-exercises",
        ),
        (
            "da",
            "Rusland holder militærmanøvre ved grænsen",
            "Rusland holder en stor militærmanøvre tæt på grænsen til Finland. "
            "Militærmanøvren omfatter kampfly og kampvogne, oplyser forsvarsministeriet.",
            "military-exercises",
        ),
    ],
)
def test_a_theme_concept_the_list_lacked_makes_the_theme(tagger, language, title, text, theme):
    # A chargé d'affaires summoned (Turkish, Catalan), manoeuvres written as one word
    # (Norwegian, Danish).
    assert theme in tagger.tag(text, title, language).topics
