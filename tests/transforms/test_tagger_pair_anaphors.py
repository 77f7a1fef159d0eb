"""Words that name a story's two countries without their names ("the two countries", "les deux
pays", "दोनों देशों", "兩國"): they stand for the pair named together last before them, so a
sentence that only says "the two countries clashed" still speaks of that pair. Every text here
was written for these tests."""

from __future__ import annotations

import pytest


def _relations(result) -> set[str]:
    return {t for t in result.topics if t.startswith("relations:")}


# The pair is named once in the lead, without a cue strong enough alone; the next lead sentence
# says what happened between "the two countries".
ENGLISH = (
    "Tensions are rising again on the line that separates India and China in the mountains. "
    "Soldiers of the two countries clashed overnight during a pull-back near the pass. "
    "Local officials said several men were hurt and taken to hospital. "
    "The road to the valley stayed closed on Tuesday. "
    "Shops in the nearest town opened late. "
    "Schools there will reopen next week."
)

# The same story in Hindi, and a French one where the pair's sentence lists a third country.
HINDI = (
    "पहाड़ों में भारत और चीन के बीच तनाव फिर बढ़ रहा है। "
    "दोनों देशों के सैनिकों के बीच रात में झड़प हुई। "
    "अधिकारियों ने बताया कि कई जवान घायल हुए हैं। "
    "घाटी की सड़क मंगलवार को भी बंद रही। "
    "पास के कस्बे में दुकानें देर से खुलीं। "
    "वहां के स्कूल अगले सप्ताह खुलेंगे।"
)
FRENCH = (
    "Le Burundi a fermé mardi sa frontière avec le Rwanda, qu'il accuse de soutenir des rebelles. "
    "Le Rwanda a rejeté ces accusations. "
    "Selon Kigali, la fermeture viole les règles de coopération entre les deux pays. "
    "Les commerçants attendent la réouverture des postes."
)


@pytest.mark.parametrize(
    ("text", "language", "pair"),
    [
        (ENGLISH, "en", "relations:cn-in"),
        (HINDI, "hi", "relations:cn-in"),
        (FRENCH, "fr", "relations:bi-rw"),
    ],
)
def test_the_two_countries_are_the_pair_named_before(tagger, text, language, pair):
    result = tagger.tag(text, None, language)
    assert pair in result.topics
    evidence = next(e for e in result.evidence if e["topic"] == pair)
    assert any("two countries" in s or "दोनों देशों" in s or "deux pays" in s
               for s in evidence["sentences"])  # fmt: skip


def test_without_the_words_the_pair_is_not_salient(tagger):
    # The control: the same texts with the anaphor replaced by words that name no pair.
    english = ENGLISH.replace("of the two countries", "of both armies' units")
    hindi = HINDI.replace("दोनों देशों के सैनिकों के बीच", "सैनिकों के बीच")
    assert "relations:cn-in" not in tagger.tag(english, None, "en").topics
    assert "relations:cn-in" not in tagger.tag(hindi, None, "hi").topics


# "The two countries" before any pair was named together: the words cannot be resolved.
UNRESOLVED = (
    "Trade between the two countries has slowed, the ministry said on Monday. "
    "Germany's exports of machinery fell for a third month. "
    "Officials in Poland declined to comment on the figures."
)

# The last sentence naming two countries before the words is a list of three: it is passed
# over, and the pair comes from the sentence before it.
PASSED_OVER = (
    "Algeria recalled its ambassador to France on Wednesday and promised further steps. "
    "The move follows a speech in which the French president backed Morocco's plan for Western "
    "Sahara, opening a new diplomatic crisis between the two countries. "
    "Both sides have traded accusations since the summer."
)


def test_words_before_any_pair_stand_for_nothing(tagger):
    result = tagger.tag(UNRESOLVED, None, "en")
    assert _relations(result) == set()


def test_a_sentence_naming_three_countries_is_passed_over(tagger):
    result = tagger.tag(PASSED_OVER, None, "en")
    assert "relations:dz-fr" in result.topics
    assert not _relations(result) & {"relations:fr-ma", "relations:eh-fr", "relations:dz-ma"}
