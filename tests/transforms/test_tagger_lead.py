"""A relation made by the lead alone: a lead sentence naming just the article's two main
countries with a strong interaction cue ("bilateral relations between"), as short news items and
excerpts without their headline have it. Every text here was written for these tests."""

from __future__ import annotations

# The lead names the two with a strong cue; the rest of the item never names either again.
TALKS = (
    "Le relazioni bilaterali tra Italia e Romania saranno il tema dell'incontro di domani a "
    "Roma. Il ministro arriverà in mattinata con una piccola delegazione. Sul tavolo anche i "
    "fondi europei per le infrastrutture e il lavoro stagionale. Una conferenza stampa congiunta "
    "è prevista nel pomeriggio. Il ministero ha pubblicato il programma della giornata."
)

# Two countries' relations cited in the lead of a story about a third country.
CITED = (
    "Las relaciones bilaterales entre Chile y Perú fueron citadas como modelo por el gobierno de "
    "Argentina. Argentina prepara una reforma de sus aduanas. El ministro argentino de Economía "
    "presentó el plan en Buenos Aires. La oposición de Argentina pidió más detalles. Los gremios "
    "de Argentina anunciaron una reunión para el lunes."
)


def test_a_strong_cue_between_the_two_main_countries_in_the_lead_makes_the_relation(tagger):
    result = tagger.tag(TALKS, None, "it")
    assert result.countries[:2] in (["it", "ro"], ["ro", "it"])
    assert "relations:it-ro" in result.topics


def test_a_pair_the_story_is_not_about_gets_no_relation_from_its_lead(tagger):
    result = tagger.tag(CITED, None, "es")
    assert result.countries[0] == "ar"
    assert "relations:cl-pe" not in result.topics


def test_page_furniture_before_the_lead_is_not_the_lead(tagger):
    # A section name and a share bar come first on the page: the lead is the sentence after.
    result = tagger.tag("Politica\nCondividi | Stampa\n" + TALKS, None, "it")
    assert "relations:it-ro" in result.topics


# Two countries named together through the story, once with a cue outside the lead.
RUNS_THROUGH = (
    "Norway and Iceland again disagree on fishing quotas in the North Atlantic. "
    "Norway and Iceland both claim a larger share of the mackerel stock this year. "
    "Fishermen in Iceland say the stock has moved north. "
    "Norway and Iceland have set their own quotas for three years now. "
    "Norway summoned Iceland's ambassador on Tuesday and accused Iceland of overfishing. "
    "Scientists warn that the stock cannot sustain the combined catch. "
    "Prices at the harbour in Bergen rose slightly. "
    "A meeting of coastal states is planned for the autumn."
)


def test_a_pair_that_runs_through_the_story_needs_one_cued_sentence(tagger):
    result = tagger.tag(RUNS_THROUGH, None, "en")
    assert "relations:is-no" in result.topics


def test_a_pair_named_together_once_in_passing_gets_no_relation(tagger):
    # The same story with the two named together only in the lead: no relation from one cue.
    text = RUNS_THROUGH.replace("Norway and Iceland both claim", "Both claim").replace(
        "Norway and Iceland have set", "They have set"
    )
    assert "relations:is-no" not in tagger.tag(text, None, "en").topics


def test_the_main_pair_acting_in_three_sentences_needs_one_cued_body_sentence(tagger):
    # A page without its headline: the lead names one state, and the two act toward each other
    # in three later sentences, only one of them with a cue.
    text = (
        "A student jailed in Peru was pardoned on Tuesday, a day after his sentence was "
        "upheld.\nHe had spent two years in prison over his articles on the mining industry. "
        "His lawyer said he was well.\nChile's president thanked Peru's president for the "
        "gesture.\nThe Chilean foreign minister also called Peru's decision a relief for the "
        "family.\nThe pardon followed months of talks and negotiations between the Chilean and "
        "Peruvian governments, officials said.\nHe will fly home on Thursday. Friends plan a "
        "party for him in the capital."
    )
    assert "relations:cl-pe" in tagger.tag(text, None, "en").topics


# Two ministers' meeting: the sentences with the diplomacy cues name no country.
TITLE = "Mexico and Chile sign a fishing agreement"
TALKS_WITHOUT_NAMES = (
    "Mexico signed the agreement with Chile on Monday in Santiago. The foreign ministers held "
    "talks for four hours before the signing. The two ministers held talks on migration as well, "
    "and a summit of the two presidents is planned for March. The talks ended with a joint "
    "statement on fishing rights."
)


def test_a_theme_between_states_takes_the_countries_of_the_articles_relation(tagger):
    result = tagger.tag(TALKS_WITHOUT_NAMES, TITLE, "en")
    assert "relations:cl-mx" in result.topics
    assert "diplomacy" in result.topics


# A strong diplomacy cue in a lead sentence naming the two states; the body is about other things.
STATE_VISIT = (
    "Der Präsident Finnlands ist am Montag zu einem Staatsbesuch in Estland eingetroffen. "
    "Das Wetter in Tallinn war regnerisch. Die Altstadt war für den Verkehr gesperrt. "
    "Am Abend spielte ein Orchester im Konzerthaus. Viele Schaulustige warteten am Hafen."
)


def test_a_strong_diplomacy_cue_in_a_lead_naming_two_states_is_enough(tagger):
    assert "diplomacy" in tagger.tag(STATE_VISIT, None, "de").topics


def test_a_strong_conflict_cue_in_the_lead_alone_is_not(tagger):
    # Only diplomacy takes its salience from one lead sentence: a war named in a lead is often
    # background to another story.
    text = STATE_VISIT.replace("zu einem Staatsbesuch in", "nach Luftangriffen auf")
    assert "armed-conflict" not in tagger.tag(text, None, "de").topics


# A prisoner swap in the lead; the rest of the item is about the airport and the weather.
SWAP = (
    "Sweden and Iran carried out a prisoner swap at the airport of Muscat on Saturday. "
    "The plane landed shortly after noon. Reporters waited behind a fence for two hours. "
    "The temperature reached forty degrees. Flights to Dubai left on time."
)


def test_a_strong_theme_cue_in_a_lead_naming_a_state_is_enough_for_a_lead_alone_theme(tagger):
    # `prisoner-release` is marked `lead_alone` in the taxonomy: one lead sentence with a
    # strong cue is the story. The same sentence later in the item is not.
    assert "prisoner-release" in tagger.tag(SWAP, None, "en").topics
    first, rest = SWAP.split(". ", 1)
    later = rest.replace("Flights to Dubai left on time.", first + ".")
    assert "prisoner-release" not in tagger.tag(later, None, "en").topics


def test_the_main_pair_with_a_cued_lead_sentence_taken_up_again(tagger):
    # An untitled page: the lead says what one state does to the other ("signed"), and a later
    # sentence has both act again without a cue word. Without that later sentence, the single
    # cued sentence is not enough.
    text = (
        "Chile and Peru signed a fisheries accord in Lima on Monday. "
        "Fishing crews in the south welcomed the news. "
        "Chile will now let Peru's inspectors board its trawlers. "
        "Prices at the harbour market fell slightly. "
        "Officials expect the first checks in March. "
        "The season opens in April."
    )
    assert "relations:cl-pe" in tagger.tag(text, None, "en").topics
    alone = text.replace("Chile will now let Peru's inspectors board its trawlers. ", "")
    assert "relations:cl-pe" not in tagger.tag(alone, None, "en").topics


# An untitled item of eight sentences in three paragraphs: the talks come up in two of them, not
# in the lead.
ITEM = (
    "Der Hafen von Rostock meldet für Mai einen neuen Rekord. Mehr als eine Million Menschen "
    "reisten mit den Fähren.\n\n"
    "Am Dienstag führten Deutschland und Dänemark in Kopenhagen Gespräche über die Fähren. "
    "Der Betreiber will zwei neue Schiffe kaufen. Die Preise bleiben gleich.\n\n"
    "Die Gespräche zwischen Deutschland und Dänemark sollen im Juli weitergehen. "
    "Der Sommerfahrplan beginnt am Montag. Die Kantine bekommt neue Tische."
)


def test_two_cued_sentences_in_a_short_item_make_it_about_that(tagger):
    assert "diplomacy" in tagger.tag(ITEM, None, "de").topics


def test_two_cued_sentences_in_a_long_article_do_not(tagger):
    filler = " ".join(f"Im Hafen lagen am Tag {day} viele Boote." for day in range(1, 15))
    text = ITEM.replace("Die Kantine bekommt neue Tische.", filler)
    assert "diplomacy" not in tagger.tag(text, None, "de").topics


def test_each_leg_of_a_tour_told_in_one_paragraph_is_a_relation(tagger):
    # Two sentences each naming just the two states with a strong cue ("official visit",
    # "bilateral relations"), in one paragraph of a long statement about the tour.
    text = (
        "The ministry's spokesman opened the briefing at ten. He answered questions on the "
        "weather, the harvest and the rail strike.\n\n"
        "Peru's foreign minister will pay an official visit to Chile next week. "
        "Peru hopes the bilateral relations with Chile will deepen. "
        "The minister then goes on to a conference on fisheries.\n\n"
        "Reporters asked about ticket prices. The spokesman declined to comment.\n\n"
        "Trains run late in the north. Schools reopen in March. The briefing ended at noon. "
        "The next one is on Friday. Coffee was served."
    )
    assert "relations:cl-pe" in tagger.tag(text, None, "en").topics


# Two states' relation from the title and lead; their ministers' talks in one body sentence.
BORDER_ROW = (
    "Kenya and Tanzania agreed on Friday to end a row over fishing rights on Lake Victoria, "
    "officials said.\n"
    "Fishermen on both sides had complained for months about seized nets and boats. Prices of "
    "tilapia in Kisumu rose by a third. Traders said the markets were half empty.\n"
    "The foreign ministers of Kenya and Tanzania held talks in Arusha and met again in Nairobi a "
    "week later.\n"
    "Local councils will now issue joint permits. The lake's fish stocks are under pressure from "
    "pollution and invasive weeds, scientists warn.\n"
    "A new survey of the lake is planned for next year. Boat owners welcomed the news."
)


def test_diplomacy_between_the_two_states_of_the_articles_relation(tagger):
    title = "Kenya and Tanzania settle their border row over fishing"
    assert {"relations:ke-tz", "diplomacy"} <= set(tagger.tag(BORDER_ROW, title, "en").topics)


def test_no_diplomacy_from_the_relation_when_another_theme_is_the_story(tagger):
    # The same talks, as the means of a prisoner swap.
    title = "Kenya and Tanzania carry out a prisoner swap"
    text = BORDER_ROW.replace(
        "to end a row over fishing rights on Lake Victoria",
        "to free fishermen jailed over fishing on Lake Victoria in a prisoner swap",
    )
    topics = tagger.tag(text, title, "en").topics
    assert {"relations:ke-tz", "prisoner-release"} <= set(topics)
    assert "diplomacy" not in topics


# A strike in the lead, and again two sentences on in the same first paragraph; the paragraphs
# after it are the town's clean-up and a football match.
LEAD_PARAGRAPH = (
    "Israeli air strikes hit a Hezbollah depot near Tyre overnight, the army said. Residents "
    "heard four blasts. Lebanese officials said the air strikes wounded two people.\n\n"
    "Crews cleared the road to the harbour by noon and shops opened again.\n\n"
    "The town's football club played its cup match as planned in the afternoon.\n\n"
    "The mayor thanked volunteers who swept the market square.\n\n"
    "Schools will reopen on Monday, the district office said. Buses run on the usual "
    "timetable. The post office keeps its Saturday hours.\n\n"
    "A concert in the old church is moved to next week. Tickets stay valid."
)


def test_a_theme_in_the_lead_and_again_in_its_paragraph_is_salient(tagger):
    assert "armed-conflict" in tagger.tag(LEAD_PARAGRAPH, None, "en").topics


def test_the_headline_printed_again_is_not_the_lead(tagger):
    # The page prints its headline twice before the text: the lead is the sentence after it.
    title = "Besök från Finland"
    text = f"{title}\n{title}\n" + (
        "Presidenten avlägger statsbesök i Norge på inbjudan av kungen. Syftet med besöket är "
        "att stärka relationerna mellan Norge och Finland. Fler bilder kommer under dagen. "
        "Kungen visade gästerna slottet. Middagen serverades klockan sju. Besöket avslutas på "
        "torsdag."
    )
    result = tagger.tag(text, title, "sv")
    assert result.countries[:2] in (["fi", "no"], ["no", "fi"])
    assert "relations:fi-no" in result.topics


def test_a_dateline_opens_the_lead_after_a_photo_caption(tagger):
    caption = (
        "In this photo taken from video, a freed aid worker is seen at an airport. The worker "
        "had been held for more than a year, officials said. (AP Photo)\n"
    )
    story = (
        "MANILA -- The Philippines said Friday it sent two Malaysians convicted of smuggling "
        "back to Kuala Lumpur, as Malaysia released a Philippine aid worker who had been "
        "imprisoned for two years. Officials in Manila declined to call it a prisoner swap. The "
        "aid worker arrived home on Saturday. Relatives waited at the airport. A ministry "
        "spokesman thanked the mediators."
    )
    result = tagger.tag(caption + story, None, "en")
    assert set(result.countries[:2]) == {"my", "ph"}
    assert "relations:my-ph" in result.topics
    # Without its dateline the story's first sentence is no lead: the caption is.
    undated = tagger.tag(caption + story.replace("MANILA -- ", ""), None, "en")
    assert "relations:my-ph" not in undated.topics
