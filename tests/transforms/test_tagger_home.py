"""The publisher's own country: news names its own government's offices without the country
("Außenminister Weber" in a German paper), so an office named bare stands for the country of
the site (its country-code domain, else a language written mostly in one country). Every text
here was written for these tests."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from newsbeam.transforms.tagger import home_country
from newsbeam.transforms.taxonomy import TaxonomyError, load_taxonomy, parse_taxonomy

# A German paper: its foreign minister travels to Moscow; Germany is never named.
BARE_OFFICE = (
    "Außenminister Weber ist am Montag zu Gesprächen nach Moskau gereist. In Moskau traf er "
    "seinen Amtskollegen zu einem zweistündigen Gespräch über die Gasversorgung. Russland lehnte "
    "die Vorschläge nach Angaben von Diplomaten ab. Weber kündigte an, die Gespräche im Frühjahr "
    "fortzusetzen."
)

# The same paper on two other countries: every office in it is named with its country.
FOREIGN_OFFICES = (
    "Der russische Außenminister ist am Montag zu Gesprächen nach Peking gereist. Er traf dort "
    "den chinesischen Außenminister zu einem langen Gespräch über den Handel. China und Russland "
    "wollen ihre Zusammenarbeit ausbauen. Die Gespräche sollen im Frühjahr fortgesetzt werden."
)

# A British site: an Israeli leader introduced with his country, then "the prime minister".
ANAPHORA = (
    "The Israeli Prime Minister flew to Washington on Sunday for talks with the US president. "
    "The prime minister held talks at the White House for three hours. Officials said the two "
    "leaders discussed trade and security. The prime minister returns home on Wednesday."
)

# A Czech paper on a .com domain: "the Czech foreign minister" goes unsaid.
CZECH = (
    "Ministr zahraničí Novák jednal v pondělí ve Varšavě se svým polským protějškem. Obě země "
    "se dohodly na společném postupu v otázce dopravy. Jednání pokračují příští měsíc. "
    "Novák ocenil vstřícnost polské strany."
)

# A Korean paper: its minister, named before the title, calls the US Secretary of State.
KOREAN = (
    "김민수 외교부 장관이 미국 국무장관과 전화 통화를 하고 양국 간 협력 방안을 논의했다. "
    "양 장관은 다음 달 회담을 갖기로 합의했다. 외교부는 통화 내용을 자세히 공개하지 않았다."
)


def test_a_bare_office_on_a_german_site_is_germany(tagger):
    result = tagger.tag(BARE_OFFICE, None, "de", "https://www.zeitung.example.de/politik/1.html")
    assert "de" in result.countries
    assert "relations:de-ru" in result.topics
    evidence = {e["topic"]: e for e in result.evidence}["relations:de-ru"]
    assert "Außenminister" in evidence["phrases"]


def test_without_the_site_the_bare_office_has_no_country(tagger):
    # German is written in several countries: a .com domain tells nothing.
    for url in (None, "https://www.zeitung.example.com/politik/1.html"):
        result = tagger.tag(BARE_OFFICE, None, "de", url)
        assert "de" not in result.countries
        assert "relations:de-ru" not in result.topics


def test_offices_named_with_their_country_are_not_the_publishers(tagger):
    result = tagger.tag(FOREIGN_OFFICES, None, "de", "https://www.zeitung.example.de/a.html")
    assert "de" not in result.countries
    assert not any(t.startswith("relations:") and "de" in t[10:].split("-") for t in result.topics)


def test_an_office_named_bare_again_refers_back_to_its_country(tagger):
    result = tagger.tag(ANAPHORA, None, "en", "https://news.example.co.uk/world/1")
    assert "gb" not in result.countries
    assert not any("gb" in t for t in result.topics)


def test_a_language_written_in_one_country_gives_the_home_country(tagger):
    result = tagger.tag(CZECH, None, "cs", "https://zpravy.example.com/1")
    assert "relations:cz-pl" in result.topics


def test_korean_minister_named_before_the_title(tagger):
    result = tagger.tag(KOREAN, None, "ko", "https://news.example.com/1")
    assert "relations:kr-us" in result.topics


@pytest.mark.parametrize(
    ("url", "language", "expected"),
    [
        ("https://www.zdf.de/nachrichten/1.html", "de", "de"),
        ("https://www.zeitung.example.de/en/1.html", "en", "de"),  # English is read in Germany
        ("https://www.swissinfo.ch/jpn/1", "ja", "jp"),  # a Swiss site's Japanese service
        ("https://www.example.ch/1", "fr", "ch"),
        ("https://www.bbc.co.uk/news/1", "en", "gb"),
        ("https://www.cronica.com.pe/1", "es", "pe"),
        ("https://radio.example.fm/1", "en", None),  # a domain sold for its letters
        ("https://noticias.example.com.co/1", "es", "co"),
        ("https://europa.example.eu/1", "cs", "cz"),  # no country: the language's
        ("http://127.0.0.1:8080/page", "hu", "hu"),
        ("https://www.example.com/1", "de", None),
        ("https://www.diari.example.cat/es/1", "es", "es"),  # a region's domain: its country's
        ("https://www.example.scot/1", "en", "gb"),
        ("https://www.example.berlin/1", "ja", "jp"),  # not Germany's language: the language's
        (None, "ko", "kr"),
        ("not a url", "", None),
    ],
)
def test_home_country(url, language, expected):
    by_language = dict(load_taxonomy().relations.home_languages)
    assert home_country(url, language, by_language) == expected


def test_home_languages_must_name_country_codes():
    raw = json.loads(resources.files("newsbeam.schemas").joinpath("taxonomy.json").read_text())
    raw["relations"]["home_languages"] = {"cs": "Czechia"}
    with pytest.raises(TaxonomyError, match="home_languages"):
        parse_taxonomy(json.dumps(raw), "test")


# A Brazilian site on a pardon at home: the only state in it is the publisher's own.
PARDON = (
    "O presidente da República assinou nesta sexta-feira o indulto de Natal, que vai libertar "
    "presos condenados por crimes sem violência. O indulto vale para quem já cumpriu um terço "
    "da pena. Juristas criticaram a extensão do indulto. A libertação dos presos começa na "
    "próxima semana, segundo o ministério."
)


def test_the_publishers_state_alone_makes_no_theme_between_states(tagger):
    result = tagger.tag(PARDON, None, "pt", "https://www.jornal.example.com.br/1")
    assert result.countries == ["br"]  # the pardon is Brazil's: a focus country
    assert "prisoner-release" not in result.topics


def test_a_country_after_a_verb_is_where_the_office_goes_not_whose_it_is(tagger):
    # "Minister De Vries of Foreign Affairs goes to Russia": the office is the Dutch paper's own.
    text = "Minister De Vries van Buitenlandse Zaken gaat naar Rusland voor overleg."
    assert "nl" in tagger.tag(text, None, "nl", "https://nieuws.example.nl/1").countries


def test_a_defence_minister_named_bare_is_the_publishers(tagger):
    text = "Minister obrony narodowej przybył w czwartek z wizytą do Kijowa."
    assert "pl" in tagger.tag(text, None, "pl", "https://wiadomosci.example.pl/1").countries


def test_tag_article_reads_the_publishers_country_from_the_articles_url(tagger):
    from newsbeam.transforms.tagging import tag_article

    article = {"text": BARE_OFFICE, "title": None, "language": "de"}
    tagged = tag_article({**article, "url": "https://www.zeitung.example.de/a.html"}, tagger)
    assert "relations:de-ru" in tagged["topics"]
    assert "relations:de-ru" not in tag_article(article, tagger)["topics"]


def test_the_publishers_own_leader_alone_makes_no_theme_between_states(tagger):
    # A Brazilian site on a pardon at home, its president named: still news at home.
    text = PARDON.replace("O presidente da República", "O presidente Bolsonaro")
    result = tagger.tag(text, "Bolsonaro assina indulto", "pt", "https://noticias.example.com.br/a")
    assert "prisoner-release" not in result.topics
    # The same leader in a foreign site's story is Brazil named.
    assert "br" in tagger.tag(text, None, "pt", "https://noticias.example.pt/a").countries


# A Korean paper: "the government" (정부가, closed by its subject particle) puts Russian ships
# on its sanctions list; the North Korea named right after the particle is not its owner.
KOREAN_PARTICLE = (
    "정부가 북한 무기 운송에 관여한 러시아 선박 두 척을 독자 제재 대상으로 지정했다. "
    "정부는 러시아가 북한과의 불법 협력을 즉각 중단할 것을 촉구했다. "
    "제재 대상 선박은 러시아 항구와 북한 항구를 오가며 화물을 실어 날랐다."
)


def test_an_office_closed_by_a_particle_is_the_publishers(tagger):
    result = tagger.tag(KOREAN_PARTICLE, None, "ko", "https://news.example.co.kr/a.html")
    assert "kr" in result.countries
    assert "relations:kr-ru" in result.topics
    evidence = {e["topic"]: e for e in result.evidence}["relations:kr-ru"]
    assert "정부가" in evidence["phrases"]


@pytest.mark.parametrize(
    ("language", "url", "text", "topics"),
    [
        (
            # The cabinet of a Spanish paper is Spain's.
            "es",
            "https://www.diario.example.es/politica/1",
            "El Consejo de Ministros ha aprobado este martes un embargo de armas a Nicaragua. "
            "La ministra portavoz explicó que la medida entra en vigor el lunes. El decreto se "
            "votará en el Congreso dentro de un mes.",
            ["sanctions", "relations:es-ni"],
        ),
        (
            # Korean news names its own armed forces "우리 군" (our military).
            "ko",
            "https://news.example.co.kr/1",
            "합동참모본부는 20일 북한군이 포탄 2발을 발사해 우리 군도 대응사격을 했다고 밝혔다. "
            "북한은 확성기 방송 중단을 요구하며 군사 행동을 위협했다. 우리 군은 경계태세를 "
            "최고 수준으로 높였다.",
            ["armed-conflict", "relations:kp-kr"],
        ),
    ],
)
def test_a_cabinet_or_military_named_bare_is_the_publishers_state(
    tagger, language, url, text, topics
):
    assert set(topics) <= set(tagger.tag(text, None, language, url).topics)
    if language == "es":  # Spanish is written in many states: without the site, whose?
        assert topics[-1] not in tagger.tag(text, None, language).topics
