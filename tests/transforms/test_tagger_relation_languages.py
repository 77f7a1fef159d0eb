"""Interaction cues and state actors in Slovenian, Lithuanian, Latvian, Estonian, Catalan and
Malay (before them, a relation in these languages needed a title naming just the two countries),
Serbian in Cyrillic, Slovak, Swahili and Macedonian, German and Dutch separable verbs.
Every text here was written for these tests."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("language", "text", "pair"),
    [
        (
            "sl",
            "Srbija in Črna gora sta podpisali sporazum o sodelovanju. Hrvaška je sporazum "
            "pozdravila, Srbija pa je napovedala nov obisk v Podgorici.",
            "relations:me-rs",
        ),
        (
            "lt",
            "Lietuvos prezidentas susitiko su Lenkijos prezidentu Vilniuje. Lietuva ir Lenkija "
            "pasirašė susitarimą dėl gynybos.",
            "relations:lt-pl",
        ),
        (
            "lv",
            "Latvijas prezidents tikās ar Igaunijas prezidentu Rīgā. Latvija un Igaunija "
            "parakstīja līgumu par sadarbību.",
            "relations:ee-lv",
        ),
        (
            "et",
            "Eesti peaminister kohtus Soome peaministriga Tallinnas. Eesti ja Soome "
            "allkirjastasid kokkuleppe.",
            "relations:ee-fi",
        ),
        (
            "ca",
            "El president de França es va reunir amb el president d'Espanya a Madrid. França i "
            "Espanya van signar un acord de cooperació.",
            "relations:es-fr",
        ),
        (
            "ms",
            "Perdana Menteri Malaysia bertemu Presiden Indonesia di Jakarta. Malaysia dan "
            "Indonesia menandatangani perjanjian sempadan.",
            "relations:id-my",
        ),
        (
            # Serbian in Cyrillic, in its own (ekavian) forms: "сарадњу", "посету".
            "sr",
            "Министри спољних послова Србије и Мађарске договорили су у Београду ближу сарадњу. "
            "Србија и Мађарска планирају нову посету у јесен.",
            "relations:hu-rs",
        ),
        (
            "sk",
            "Minister zahraničných vecí Slovenska navštívi v utorok Česko. Obe krajiny chcú "
            "hovoriť o energetike a doprave.",
            "relations:cz-sk",
        ),
    ],
)
def test_relations_without_a_title(tagger, language, text, pair):
    assert pair in tagger.tag(text, None, language).topics


def test_a_slovenian_message_is_no_dispute(tagger):
    # "sporočilo" (a message) begins like "spor" (a dispute).
    text = (
        "Avstrija in Slovenija sta objavili skupno sporočilo o vremenu. "
        "V sporočilu Avstrija in Slovenija navajata napoved za vikend."
    )
    assert "relations:at-si" not in tagger.tag(text, None, "sl").topics


# German and Dutch separable verbs: the verb early, its particle at the end of the clause.
SPLIT_VERBS = [
    (
        "de",
        "Polen weist drei belarussische Diplomaten aus. Belarus ruft daraufhin seinen "
        "Botschafter aus Polen zurück. Der Grenzübergang bleibt offen. Händler warten ab.",
        "relations:by-pl",
    ),
    (
        "nl",
        "Nederland wijst twee Russische diplomaten uit. Rusland roept zijn ambassadeur uit "
        "Nederland terug. De grensovergangen blijven open. Handelaren wachten af.",
        "relations:nl-ru",
    ),
]


@pytest.mark.parametrize(("language", "text", "pair"), SPLIT_VERBS)
def test_a_separable_verb_is_a_cue_when_its_particle_closes_the_clause(
    tagger, language, text, pair
):
    result = tagger.tag(text, None, language)
    assert pair in result.topics
    phrases = next(e for e in result.evidence if e["topic"] == pair)["phrases"]
    assert {"weist", "ruft"} <= set(phrases) or {"wijst", "roept"} <= set(phrases)


def test_the_same_verb_with_another_particle_is_no_cue(tagger):
    # "weist darauf hin" (points out), "ruft ... auf" (calls on): other verbs.
    text = (
        "Polen weist darauf hin, dass Belarus die Grenze öffnet. Belarus ruft die Bürger zur "
        "Ruhe auf. Der Grenzübergang bleibt offen. Händler warten ab."
    )
    assert "relations:by-pl" not in tagger.tag(text, None, "de").topics


def test_a_split_cue_needs_one_particle_word():
    import json
    from importlib import resources

    from newsbeam.transforms.taxonomy import TaxonomyError, parse_taxonomy

    raw = json.loads(resources.files("newsbeam.schemas").joinpath("taxonomy.json").read_text())
    raw["relations"]["cues"]["de"]["weist … zu aus"] = 1
    with pytest.raises(TaxonomyError, match="unusable phrase"):
        parse_taxonomy(json.dumps(raw), "test")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "lt",
            "Lietuvos prezidentas atvyko su oficialiu vizitu į Lenkiją. Lietuva ir Lenkija "
            "aptarė dvišalius santykius ir gynybą. Prezidentas susitiko su Lenkijos premjeru.",
        ),
        (
            "ca",
            "El president de França va fer una visita oficial a Espanya. França i Espanya van "
            "parlar de les relacions bilaterals. El president es va reunir amb el seu homòleg.",
        ),
    ],
)
def test_diplomacy_in_lithuanian_and_catalan(tagger, language, text):
    assert "diplomacy" in tagger.tag(text, None, language).topics


@pytest.mark.parametrize(
    ("language", "text", "topics"),
    [
        (
            "sw",
            "Rais wa Kenya alitembelea Tanzania kwa ziara rasmi. Kenya na Tanzania walisaini "
            "makubaliano ya biashara. Marais walijadili uhusiano wa nchi hizo mbili.",
            {"relations:ke-tz", "diplomacy"},
        ),
        (
            "mk",
            "Премиерот на Северна Македонија оствари средба со премиерот на Бугарија во Софија. "
            "Северна Македонија и Бугарија потпишаа договор за соработка.",
            {"relations:bg-mk"},
        ),
    ],
)
def test_swahili_and_macedonian(tagger, language, text, topics):
    assert topics <= set(tagger.tag(text, None, language).topics)
