"""Topic tagging: each theme's positives and hard negatives in English, Russian and German,
relations between countries, evidence, a custom taxonomy, taxonomy errors, and tagging in a
pipeline (inside ExtractArticles). Every text here was written for these tests."""

from __future__ import annotations

import html
import json
import re

import apache_beam as beam
import pytest
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.testing.util import assert_that, equal_to

from newsbeam.schemas.records import Item
from newsbeam.transforms import pagework as pagework_module
from newsbeam.transforms.extract import ExtractArticles, ExtractionSettings
from newsbeam.transforms.tagger import Tagger, sentence_starts
from newsbeam.transforms.tagging import TaxonomyFile, read_taxonomy, tag_article
from newsbeam.transforms.taxonomy import TaxonomyError, load_taxonomy

ME, SA, PR, DI, AC = (
    "military-exercises",
    "sanctions",
    "prisoner-release",
    "diplomacy",
    "armed-conflict",
)

WIRE_TITLE = "U.S. military attaches watch Russia-Belarus drills"
WIRE_STORY = (
    "MINSK, Sept 16 - U.S. military attaches watched Russian and Belarusian troops practise "
    "joint manoeuvres at a firing range in Belarus on Tuesday, in a rare show of contact between "
    "Washington and Minsk. Belarus's defence minister shook hands with the American officers and "
    "told them they could see anything they wanted. The attaches were among observers from two "
    "dozen countries invited by Minsk to watch the war games, which NATO members on the border "
    "have called provocative. The visit followed the release of political prisoners by Belarusian "
    "leader Alexander Lukashenko and a US decision to ease sanctions on the national airline."
)


def topics(tagger: Tagger, text: str, language: str = "en", title: str | None = None):
    return tagger.tag(text, title, language).topics


# -- the wire story -----------------------------------------------------------------------------


def test_wire_story_on_us_attaches_at_russia_belarus_drills(tagger):
    result = tagger.tag(WIRE_STORY, WIRE_TITLE, "en")
    assert "relations:by-us" in result.topics
    assert ME in result.topics
    assert "relations:ru-us" not in result.topics  # Russia and the US only share a sentence
    assert result.countries[:2] == ["by", "us"]
    assert "ru" in result.countries


def test_wire_story_tags_the_same_without_a_language(tagger):
    result = tagger.tag(WIRE_STORY, WIRE_TITLE, None)
    assert {"relations:by-us", ME} <= set(result.topics)


# -- themes: positives --------------------------------------------------------------------------

POSITIVES = [
    (ME, "en", "Chinese and Russian warships began joint naval drills in the Sea of Japan. "
     "Sailors will practise anti-submarine warfare during the week-long exercise."),
    (ME, "ru", "На полигонах Псковской области начались масштабные учения воздушно-десантных "
     "войск. В маневрах участвуют около двух тысяч военнослужащих."),
    (ME, "de", "Die Nato hat in Norwegen ein großes Manöver mit 20.000 Soldaten begonnen. "
     "Geübt wird die Verteidigung des Nordens bei arktischen Temperaturen."),
    (SA, "en", "Canada imposed sanctions on three Belarusian banks on Monday. "
     "The sanctions freeze their assets and bar Canadian firms from dealing with them."),
    (SA, "ru", "Япония ввела санкции против российских компаний, поставляющих электронику. "
     "Ограничительные меры касаются экспорта микросхем."),
    (SA, "de", "Großbritannien hat neue Sanktionen gegen iranische Revolutionsgarden verhängt. "
     "Die Strafmaßnahmen betreffen Konten und Einreisen."),
    (PR, "en", "Azerbaijan pardoned 40 prisoners, including two opposition journalists jailed "
     "last year. The freed men were greeted by relatives outside the prison gates."),
    (PR, "ru", "Президент Узбекистана помиловал более двухсот осужденных в честь праздника. "
     "Часть заключенных уже вышли на свободу."),
    (PR, "de", "Der Iran hat einen inhaftierten deutschen Staatsbürger freigelassen. "
     "Er war seit zwei Jahren in Haft und ist inzwischen in Berlin gelandet."),
    (DI, "en", "Japan's foreign minister met her Chinese counterpart in Tokyo for talks on "
     "fishing rights. The two diplomats agreed to set up a hotline."),
    (DI, "ru", "Министр иностранных дел Турции провел переговоры в Тегеране со своим иранским "
     "коллегой. Стороны обсудили открытие нового консульства."),
    (DI, "de", "Die Außenministerin empfing ihren kanadischen Amtskollegen in Berlin. "
     "Bei den Gesprächen ging es um die Arktis und um Handelsfragen."),
    (AC, "en", "Drone attacks and shelling killed five civilians in the Kherson region overnight, "
     "regional officials said. Russian troops also shelled villages near the front line."),
    (AC, "ru", "В результате авиаударов по северу Йемена погибли не менее десяти человек. "
     "Боевые действия в регионе продолжаются третью неделю."),
    (AC, "de", "Bei Luftangriffen im Gazastreifen sind nach Angaben der Behörden zwölf Menschen "
     "getötet worden. Die Kämpfe dauern seit Tagen an."),
]  # fmt: skip


@pytest.mark.parametrize(("topic", "language", "text"), POSITIVES)
def test_theme_positive(tagger, topic, language, text):
    assert topic in topics(tagger, text, language)


# -- themes: hard negatives ---------------------------------------------------------------------

NEGATIVES = [
    (ME, "en", "Our trainer swears by three core exercises: planks, bridges and slow squats. "
     "Repeat the drills every morning and your back will thank you."),
    (ME, "en", "Staff at the tax office left their desks for a fire drill at noon. "
     "The drill took six minutes, and the building was cleared without incident."),
    (ME, "en", "Offshore drilling resumed at the platform after the storm passed. "
     "Engineers expect the drill to reach the reservoir by March."),
    (ME, "en", "Review: the new hammer drill is heavy but strong. "
     "The drill bit never slipped, and the battery outlasted every rival in our test."),
    (ME, "en", "In this board game two players refight the battles of 1914 with dice and cards. "
     "It is a war game for patient people; a session takes four hours."),
    (ME, "ru", "В торговом центре прошли пожарные учения: посетителей вывели за пять минут. "
     "Сотрудники МЧС остались довольны."),
    (ME, "de", "Die Feuerwehr hat am Flughafen eine Übung mit 200 Einsatzkräften abgehalten. "
     "Simuliert wurde ein Brand im Terminal."),
    (SA, "en", "Councils handed out more benefit sanctions to jobseekers this year. "
     "Claimants who miss an appointment can lose a month of payments."),
    (SA, "de", "Der Verein muss nach Ausschreitungen seiner Fans mit Sanktionen des DFB rechnen. "
     "Schiedsrichter hatten das Spiel unterbrochen."),
    (PR, "en", "The band released its third album on Friday, and a film about the tour will be "
     "released in May. The single is already on the radio."),
    (PR, "ru", "Компания освобождена от уплаты налога на имущество на пять лет. "
     "Льгота распространяется на новые заводы."),
    (DI, "en", "Nurses and hospital managers resumed pay talks on Tuesday. "
     "The union said the talks were the last chance to avoid a strike."),
    (DI, "de", "Die Tarifverhandlungen zwischen Gewerkschaft und Arbeitgebern sind gescheitert. "
     "Die Gespräche sollen im Herbst weitergehen."),
    (AC, "en", "A price war between two airlines has pushed fares to record lows. "
     "The fighting for passengers is expected to continue all winter."),
    (AC, "ru", "В кинотеатрах вышел фильм о Второй мировой войне. "
     "Режиссер снимал батальные сцены в Крыму."),
]  # fmt: skip


@pytest.mark.parametrize(("topic", "language", "text"), NEGATIVES)
def test_theme_hard_negative(tagger, topic, language, text):
    assert topic not in topics(tagger, text, language)


# Texts whose cues sit next to context words and would reach the threshold: only the negative
# contexts (fire drill, fitness, album, benefit sanctions, pay talks) keep the theme away.
CANCELLED = [
    (ME, "en", "Troops at the army base held a fire drill on Monday. "
     "Soldiers took part in the drill, run by the base fire brigade."),
    (ME, "en", "Army veterans swear by a fitness routine of exercises and drills. "
     "The gym sessions build muscle, soldiers say."),
    (ME, "ru", "Военнослужащие части провели пожарные учения в казарме. "
     "Учения прошли с участием военных пожарных."),
    (ME, "de", "Soldaten haben in der Kaserne eine Übung der Feuerwehr absolviert. "
     "Bei der Übung probten Soldaten und Feuerwehr die Evakuierung."),
    (PR, "en", "The prison band released its album on Friday. "
     "Inmates recorded the album in jail, and it was released on vinyl."),
    (SA, "en", "Benefit sanctions imposed by the government rose again. "
     "The ministry said benefit sanctions push claimants into work."),
    (DI, "en", "Pay talks and negotiations between the union and the health ministry resumed, "
     "the minister said. The pay talks and negotiations continue on Friday."),
]  # fmt: skip


@pytest.mark.parametrize(("topic", "language", "text"), CANCELLED)
def test_a_negative_context_cancels_cues_its_context_would_carry(tagger, topic, language, text):
    assert topic not in topics(tagger, text, language)


def test_a_negative_context_only_cancels_its_own_sentence(tagger):
    text = (
        "Belarusian troops began military exercises near Brest on Monday. "
        "Separately, schoolchildren in Minsk took part in a fire drill."
    )
    assert ME in topics(tagger, text)


def test_cues_are_matched_in_the_article_language_only(tagger):
    # German "war" means "was": not an English cue in a German text.
    text = "Die Lage war ruhig, der Krieg war weit weg. Es war ein stiller Sommer."
    assert topics(tagger, text, "de") == []


# -- relations ----------------------------------------------------------------------------------


def test_two_countries_dealing_with_each_other_get_a_relation(tagger):
    text = "Lithuania accused Belarus of staging the balloon incursions, and Minsk denied it."
    assert "relations:by-lt" in topics(tagger, text)


def test_two_countries_merely_named_get_no_relation(tagger):
    text = (
        "The festival drew bands from Finland and Estonia. A Finnish group opened the evening; "
        "an Estonian choir closed it."
    )
    result = tagger.tag(text, None, "en")
    assert not [t for t in result.topics if t.startswith("relations:")]


def test_relation_ids_are_sorted_alpha2_pairs(tagger):
    text = "The United States and Belarus agreed to reopen embassies after talks in Minsk."
    result = tagger.tag(text, None, "en")
    assert "relations:by-us" in result.topics
    assert "relations:us-by" not in result.topics


def test_russian_relations_with_inflected_names(tagger):
    text = "Переговоры между Беларусью и США прошли в Минске. Стороны обсудили отношения."
    assert "relations:by-us" in topics(tagger, text, "ru")


# -- evidence and countries ---------------------------------------------------------------------


def test_every_topic_has_evidence_with_score_and_phrases(tagger):
    result = tagger.tag(WIRE_STORY, WIRE_TITLE, "en")
    assert [e["topic"] for e in result.evidence] == result.topics
    by_topic = {e["topic"]: e for e in result.evidence}
    exercise = by_topic[ME]
    assert exercise["score"] >= 3.0
    assert {"war games", "joint manoeuvres"} <= set(exercise["phrases"])
    relation = by_topic["relations:by-us"]
    assert {"Washington", "Minsk"} <= set(relation["phrases"])
    assert relation["score"] >= 1.0
    for evidence in result.evidence:
        assert set(evidence) == {"topic", "score", "phrases", "sentences"}
        assert all(isinstance(p, str) and p for p in evidence["phrases"])


def test_evidence_shows_the_words_as_written(tagger):
    result = tagger.tag("США ввели санкции против белорусской авиакомпании.", None, "ru")
    sanctions = next(e for e in result.evidence if e["topic"] == SA)
    assert sanctions["phrases"] == ["санкции"]


def test_countries_are_lowercase_alpha2_actors(tagger):
    result = tagger.tag(WIRE_STORY, WIRE_TITLE, "en")
    assert all(len(c) == 2 and c.islower() for c in result.countries)
    assert len(set(result.countries)) == len(result.countries)


def test_empty_text_gets_nothing(tagger):
    assert tagger.tag("", None, None).topics == []
    assert tagger.tag("   ", "", "en").countries == []


def test_sentences_split_at_stops_not_at_abbreviations():
    text = "Mr. Smith met U.S. envoys. Talks went well! Next round in May.\nNew line here"
    starts = sentence_starts(text)
    assert [text[s:].split()[0] for s in starts] == ["Mr.", "Talks", "Next", "New"]


def test_sentences_split_in_scripts_without_capitals_and_after_cjk_stops():
    # Arabic: a question mark of its own and no capitals after it; Chinese: no space after 。
    arabic = "هل تتحسن العلاقات؟ يقول الوزير إن الحوار مستمر. وتنتهي الزيارة غدا"
    assert [arabic[s:].split()[0] for s in sentence_starts(arabic)] == ["هل", "يقول", "وتنتهي"]
    chinese = "两国外长今天会谈。双方同意继续对话！会谈在北京举行"
    assert [chinese[s : s + 2] for s in sentence_starts(chinese)] == ["两国", "双方", "会谈"]
    assert len(sentence_starts("Talks resumed, i.e. the envoys met. then nothing")) == 1


# -- taxonomy files -----------------------------------------------------------------------------

CUSTOM = {
    "name": "space",
    "version": "1",
    "themes": {
        "space-launch": {
            "threshold": 2,
            "cues": {"en": {"rocket launch*": 2, "liftoff": 2}, "de": {"raketenstart*": 2}},
            "negative": {"en": ["fireworks"]},
        }
    },
}


def _write(tmp_path, data, name: str = "taxonomy.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def test_a_custom_taxonomy_replaces_the_bundled_one(tmp_path):
    tagger = Tagger(load_taxonomy(_write(tmp_path, CUSTOM)))
    text = "The rocket launch from French Guiana was delayed, and France and Italy held talks."
    result = tagger.tag(text, None, "en")
    assert result.topics == ["space-launch"]  # no bundled themes, no relations defined
    assert result.evidence == [
        {
            "topic": "space-launch",
            "score": 4.0,  # a cue of weight 2 in the lead, which weighs 2
            "phrases": ["rocket launch"],
            "sentences": [text],
        }
    ]
    assert tagger.tag("Fireworks after the rocket launch.", None, "en").topics == []
    assert set(result.countries) >= {"fr", "it"}  # the bundled gazetteer still applies


def test_a_custom_taxonomy_can_bring_its_own_gazetteer(tmp_path):
    gazetteer = {"version": "t", "countries": {"by": {"en": {"names": ["Bielarus"]}}}}
    _write(tmp_path, gazetteer, "places.json")
    taxonomy = {**CUSTOM, "countries": {"gazetteer": "places.json"}}
    tagger = Tagger(load_taxonomy(_write(tmp_path, taxonomy)))
    assert tagger.tag("Bielarus plans a rocket launch.", None, "en").countries == ["by"]


# A user's file in the format before taxonomy 2026.12, with the keys whose rules are gone.
OLD_FORMAT = {
    "name": "harbour-desk",
    "version": "2025.3",
    "countries": {"min_score": 1.5, "gazetteer": None},
    "relations": {
        "threshold": 1.0,
        "sentence_cap": 2.0,
        "co_presence": 0.3,
        "title_factor": 1.5,
        "indirect_factor": 2.0,
        "cues": {"en": {"talks": 1, "blockade": 1}},
    },
    "themes": {
        "port-strike": {
            "threshold": 2.0,
            "title_factor": 2.0,
            "context_factor": 1.5,
            "cues": {"en": {"dockers' strike": 2, "port strike": 2}},
        }
    },
}


def test_an_old_format_taxonomy_loads_with_one_warning_naming_the_ignored_keys(tmp_path, caplog):
    with caplog.at_level("WARNING", logger="newsbeam.transforms.taxonomy"):
        taxonomy = load_taxonomy(_write(tmp_path, OLD_FORMAT))
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1
    assert "\n" not in warnings[0]
    for key in (
        "countries.min_score",
        "relations.sentence_cap",
        "relations.co_presence",
        "relations.title_factor",
        "relations.indirect_factor",
        "themes.port-strike.title_factor",
    ):
        assert key in warnings[0]
    assert taxonomy.version == "2025.3"
    title = "Port strike closes Rotterdam for a second day"
    text = "The port strike halted every crane in Rotterdam on Monday."
    assert Tagger(taxonomy).tag(text, title, "en").topics == ["port-strike"]


def test_a_current_taxonomy_loads_without_a_warning(caplog):
    with caplog.at_level("WARNING", logger="newsbeam.transforms.taxonomy"):
        load_taxonomy()
    assert not [r for r in caplog.records if r.levelname == "WARNING"]


def test_the_bundled_taxonomy_maps_every_theme_to_iptc_and_cameo():
    taxonomy = load_taxonomy()
    assert {ME, SA, PR, DI, AC} <= set(taxonomy.theme_ids)
    for theme in taxonomy.themes:
        assert theme.iptc["code"].startswith("medtop:")
        assert theme.cameo["code"].isdigit()
        assert {language for language, _, _ in theme.cues} >= {"en", "ru", "de"}
        assert {language for language, _ in theme.negative} >= {"en", "ru", "de"}
    assert taxonomy.relations is not None


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("{ nope", "is not valid JSON"),
        ("[]", "top level must be a JSON object"),
        ({"themes": CUSTOM["themes"]}, "'version' must be a non-empty string"),
        ({"version": "1", "themes": {"x": {"threshold": 1, "cues": {}}}}, "theme 'x' has no cues"),
        ({"version": "1", "themes": {"Bad Id": CUSTOM["themes"]["space-launch"]}}, "bad theme id"),
        ({"version": "1", "themes": {"relations-x": CUSTOM["themes"]["space-launch"]}}, "reserved"),
        ({"version": "1", "themes": {"x": {"cues": {"en": {"a": 1}}}}}, "has no threshold"),
        ({"version": "1", "themes": {"x": {"threshold": 1, "cues": {"en": {"a": -1}}}}},
         "must be greater than 0"),
        ({"version": "1", "themes": {"x": {"threshold": 1, "cues": {"english": {"a": 1}}}}},
         "bad language code"),
        ({"version": "1", "themes": {"x": {"threshold": 1, "cues": {"en": {"a": 1}},
                                           "negatives": {}}}}, "unknown key 'negatives'"),
        ({"version": "1", "themes": {"x": {"threshold": 1, "cues": {"en": {"a*b": 1}}}}},
         "unusable phrase"),
        ({"version": "1", "themes": {}}, "nothing to tag"),
        ({"version": "1", "themes": {"x": {"threshold": 1, "cues": {"en": {"a": 1}},
                                           "supersedes": "y"}}}, "supersedes must be a list"),
        ({"version": "1", "themes": {"x": {"threshold": 1, "cues": {"en": {"a": 1}},
                                           "supersedes": ["diplomcy"]}}},
         "theme 'x' supersedes unknown theme(s) ['diplomcy']"),
        ({"version": "1", "relations": {"cues": {"en": {"talks": 1}}}},
         "relations has no threshold"),
        ({"version": "1", "relations": {"threshold": 2, "cues": {"en": {"talks": 1}},
                                        "background": {"en": "since"}}},
         "relations background.en must be a list of phrases"),
        ({**CUSTOM, "countries": {"gazetteer": "missing.json"}}, "gazetteer file not found"),
    ],
)  # fmt: skip
def test_a_bad_taxonomy_fails_with_one_line_naming_the_problem(tmp_path, content, fragment):
    path = _write(tmp_path, content)
    with pytest.raises(TaxonomyError) as caught:
        load_taxonomy(path)
    message = str(caught.value)
    assert fragment in message
    assert "\n" not in message


@pytest.mark.parametrize("kind", ["named pipe", "character device", "folder", "gazetteer pipe"])
def test_a_taxonomy_or_gazetteer_that_is_no_file_is_refused_unopened(tmp_path, named_pipe, kind):
    """A named pipe would block the read until a writer came, a device would be read without
    end: both are found with stat and never opened."""
    path = str(named_pipe)
    if kind == "character device":
        path = "/dev/zero"
    elif kind == "folder":
        path = str(tmp_path)
    elif kind == "gazetteer pipe":
        path = _write(tmp_path, {**CUSTOM, "countries": {"gazetteer": named_pipe.name}})
    with pytest.raises(TaxonomyError) as caught:
        read_taxonomy(path)
    expected = "gazetteer file .*pipe is a named pipe" if kind == "gazetteer pipe" else kind
    assert re.search(f"{expected}.*, not a file", str(caught.value))
    assert "\n" not in str(caught.value)


def test_a_missing_taxonomy_file_is_named(tmp_path):
    missing = str(tmp_path / "mine.json")
    with pytest.raises(TaxonomyError) as caught:
        load_taxonomy(missing)
    assert str(caught.value) == f"taxonomy file not found: {missing}"


# -- tagging in the pipeline: inside ExtractArticles ---------------------------------------------


def _article(article_id: str, text, title=None, language="en") -> dict:
    return {
        "article_id": article_id,
        "origin": f"file:///inbox/{article_id}.html",
        "url": f"https://news.example.org/{article_id}",
        "title": title,
        "language": language,
        "text": text,
        "topics": [],
        "topic_evidence": [],
        "countries": [],
    }


def page_item(name: str, text: str, title: str | None = None, language: str = "en") -> Item:
    """A news page holding `text` (one paragraph per line) under `title`, as an inbox Item."""
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n"))
    head = f"<title>{html.escape(title)}</title>" if title else ""
    h1 = f"<h1>{html.escape(title)}</h1>" if title else ""
    return Item(
        origin=f"/inbox/{name}.html",
        url=f"https://news.example.org/{name}",
        html=f'<html lang="{language}"><head>{head}</head>'
        f"<body><article>{h1}{paragraphs}</article></body></html>",
    )


def extract_and_tag(items, taxonomy_path: str | None = None) -> ExtractArticles:
    return beam.Create(items) | ExtractArticles(
        ExtractionSettings(), 1_000_000, taxonomy=TaxonomyFile(taxonomy_path)
    )


def name_of(article: dict) -> str:
    return article["origin"].rsplit("/", 1)[-1].removesuffix(".html")


GYM = NEGATIVES[0][2] + " Three sets of each, twice a week, are enough for most of us to start."
RU = (
    "Россия и Белоруссия начали совместные военные учения у границы. В манёврах участвуют "
    "несколько тысяч военных двух стран, сообщило министерство обороны Белоруссии в "
    "понедельник. Учения продлятся две недели."
)


def test_extraction_tags_articles_and_counts(beam_pipeline):
    items = [page_item("wire", WIRE_STORY, WIRE_TITLE), page_item("gym", GYM)]
    items.append(page_item("ru", RU, None, "ru"))
    p = beam_pipeline()
    tagged, rejects = p | extract_and_tag(items)
    version = load_taxonomy().version
    assert_that(
        tagged
        | "Topics"
        >> beam.Map(
            lambda a: (name_of(a), ME in a["topics"], "by" in a["countries"], a["taxonomy_version"])
        ),
        equal_to(
            [
                ("wire", True, True, version),
                ("gym", False, False, version),
                ("ru", True, True, version),
            ]
        ),
        label="CheckTopics",
    )
    assert_that(rejects, equal_to([]), label="NoRejects")
    result = p.run()
    result.wait_until_finish()

    def counter(name: str) -> int:
        found = result.metrics().query(MetricsFilter().with_namespace("newsbeam").with_name(name))
        return sum(c.committed for c in found["counters"])

    assert counter("tagged") == 2
    assert counter("untagged") == 1


def test_a_crash_in_tagging_is_the_page_s_reject(beam_pipeline, monkeypatch):
    def tag_or_crash(article, tagger):
        if "gym" in article["origin"]:
            raise ValueError("a tagging bug")
        return tag_article(article, tagger)

    monkeypatch.setattr(pagework_module, "tag_article", tag_or_crash)
    with beam_pipeline() as p:
        tagged, rejects = p | extract_and_tag([page_item("gym", GYM), page_item("ok", RU)])
        assert_that(tagged | beam.Map(name_of), equal_to(["ok"]), label="Kept")
        assert_that(
            rejects | beam.Map(lambda r: (r.origin, r.url, r.stage, r.error)),
            equal_to(
                [("/inbox/gym.html", "https://news.example.org/gym", "tag", "crash:ValueError")]
            ),
            label="Rejected",
        )


def test_extraction_tags_with_a_custom_taxonomy(tmp_path, beam_pipeline):
    path = _write(tmp_path, CUSTOM)
    launch = (
        "Liftoff came at dawn, after two days of waiting for the wind over the coast to calm. "
        "The crowd on the beach cheered as the flame rose over the water."
    )
    with beam_pipeline() as p:
        tagged, _ = p | extract_and_tag([page_item("a", launch), page_item("b", WIRE_STORY)], path)
        assert_that(
            tagged | beam.Map(lambda a: (name_of(a), a["topics"])),
            equal_to([("a", ["space-launch"]), ("b", [])]),
        )


def test_a_bad_taxonomy_is_refused_before_the_run(tmp_path):
    with pytest.raises(TaxonomyError, match="taxonomy file not found"):
        read_taxonomy(str(tmp_path / "absent.json"))
    with pytest.raises(TaxonomyError, match="has no cues"):
        read_taxonomy(_write(tmp_path, {"version": "1", "themes": {"x": {"threshold": 1}}}))
