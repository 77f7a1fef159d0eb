"""State institutions as acting parties (the gazetteer's `institutions`), and the publisher's
own state named only by a bare office (the taxonomy's `relations.home_offices`): Japan's navy,
Korea's defence minister, the Taliban, a Finnish paper's "hallitus". Every text here was
written for these tests."""

from __future__ import annotations


def _relations(result) -> set[str]:
    return {t for t in result.topics if t.startswith("relations:")}


# A Korean paper: "the defence minister visits Poland"; Korea itself is never named.
KOREAN_VISIT = (
    "국방부 장관, 폴란드 방문",
    "국방부 장관이 폴란드를 방문해 방산 협력을 논의했다. 국방부 장관은 바르샤바에서 폴란드 "
    "국방장관과 회담하고 전차 추가 도입에 합의했다. 양측은 연내 후속 협의를 열기로 했다.",
)

# The same paper on the US defence department ("미 국방부"): its office is not Korea's.
KOREAN_US_OFFICE = (
    "미 국방부, 폴란드와 방산 회담",
    "미 국방부는 폴란드 국방장관과 회담했다. 미 국방부는 폴란드에 대한 무기 판매를 승인하기로 "
    "합의했다고 밝혔다. 회담은 두 시간 동안 이어졌다.",
)

# A Japanese text: the Maritime Self-Defense Force drills with the Indian navy.
JAPANESE_DRILL = (
    "海上自衛隊、インド海軍と共同訓練",
    "海上自衛隊はインド海軍とベンガル湾で共同訓練を実施した。海上自衛隊の護衛艦二隻がインド海軍の"
    "艦艇と対潜戦の訓練を行った。訓練は三日間続いた。",
)

# A Persian text: Taliban and Pakistani officials negotiate over the border.
PERSIAN_TALKS = (
    "طالبان و پاکستان در استانبول مذاکره کردند",
    "هیئت طالبان با مقامات پاکستان در استانبول درباره مرز مذاکره کرد. طالبان و پاکستان توافق "
    "کردند گفت‌وگوها را ادامه دهند.",
)

# A Finnish paper: "the government" closes the eastern border and accuses Russia.
FINNISH_BORDER = (
    "Hallitus sulkee itärajan",
    "Hallitus päätti sulkea itärajan kahdeksi viikoksi. Hallitus syytti Venäjää siitä, että se "
    "ohjaa turvapaikanhakijoita rajalle. Rajanylityspaikat suljetaan keskiviikkona.",
)


def test_a_korean_defence_minister_on_a_korean_site_is_korea(tagger):
    title, text = KOREAN_VISIT
    result = tagger.tag(text, title, "ko", "https://news.example.co.kr/politics/1")
    assert "relations:kr-pl" in _relations(result)


def test_the_us_defence_department_in_korean_is_not_the_publishers(tagger):
    title, text = KOREAN_US_OFFICE
    result = tagger.tag(text, title, "ko", "https://news.example.co.kr/politics/2")
    assert "kr" not in result.countries
    assert _relations(result) == {"relations:pl-us"}


def test_japans_navy_named_by_its_institution_acts(tagger):
    title, text = JAPANESE_DRILL
    result = tagger.tag(text, title, "ja", None)  # no site: the institution alone names Japan
    assert "relations:in-jp" in _relations(result)
    assert "military-exercises" in result.topics


def test_the_taliban_stand_for_afghanistan(tagger):
    title, text = PERSIAN_TALKS
    result = tagger.tag(text, title, "fa", "https://www.example.com/persian/1")
    assert "relations:af-pk" in _relations(result)


def test_the_pakistani_taliban_are_not_afghanistan(tagger):
    text = "The Pakistani Taliban attacked a police post. Pakistani Taliban fighters fled."
    assert "af" not in tagger.tag(text, None, "en").countries


def test_a_finnish_papers_government_is_finland(tagger):
    title, text = FINNISH_BORDER
    result = tagger.tag(text, title, "fi", "https://yle.example.fi/uutiset/1")
    assert "relations:fi-ru" in _relations(result)


def test_an_office_inside_another_states_institution_is_that_states(tagger):
    # "US-Außenministerium" holds the bare office "Außenministerium": a German site's story
    # about it is not Germany's.
    text = (
        "Das US-Außenministerium verhängte Sanktionen gegen Polen. Das US-Außenministerium "
        "sagte, die Gespräche mit Polen seien gescheitert."
    )
    result = tagger.tag(
        text, "US-Außenministerium kritisiert Polen", "de", "https://z.example.de/1"
    )
    assert "de" not in result.countries
    assert "relations:de-pl" not in result.topics
