"""Topic tagging without Beam: is this article *about* a country, a relation, a theme?

`Tagger` compiles a `Taxonomy` (see `taxonomy.py`) once into Aho-Corasick automata (one per
language, one of every phrase for a text of unknown language) and a few lookup tables;
`Tagger.tag()` reads an article in named steps:

0. `_article`: the title and text, split into sentences and paragraphs, weighed by zone (the
   lead is the first sentences of four words or more: page furniture before them is not); the
   sentences dated well before the article's newest year are history.
1. `_find`: every phrase of the language's automaton in one pass over the folded text (country
   aliases, theme cues, negative contexts, interaction cues, ambiguity hints); phrases in
   scripts written without spaces (Chinese, Japanese, Korean, Arabic, Thai) match as substrings;
   in an Arabic, Persian or Urdu article a cue only as a word with that language's clitics and
   suffixes around it ("والهجوم", "تحریمها", "حملوں"; not "کمین" in "کمینه").
1b. `_inflected_hits`: in an inflecting language, the themes' and relations' phrases of several
   words also by their words' lemmas ("izmenjavi zapornikov" for "izmenjava zapornikov"), from
   the forms precomputed from simplemma's dictionaries (`cue_forms.py`).
2. `_lemma_hits`: capitalised words that may be an inflected country name ("Rosji", "Ukrajině")
   are looked up in the forms precomputed from simplemma's dictionaries (`name_forms.py`);
   simplemma itself is asked only about names those forms do not cover (a user's gazetteer).
2a. `_compound_hits`: two countries' one-letter abbreviations written as one word in Chinese,
   Japanese or Korean (中美关系, 日中首脳, 한미) name both countries, where the gazetteer's
   rules for compounds accept them.
2b. `_titled_people`: a person introduced by country and office ("U.S. Defense Secretary Mark
   Esper") stands for that country when named by surname later in the article.
3. `_countries`: mentions that survive the gazetteer's rules (Georgia the US state, Jordan the
   player, national teams in a match, "British-Israeli lawyer" as a nationality).
3b. `_home_mentions`: an office named without a country ("Außenminister Weber", "외교부 장관")
   is the publisher's own state's (`home_country`: the page's country-code domain, else a
   language written mostly in one country), unless the article named it as another's before.
4. `_focus`: the focus countries, CLIFF-CLAVIN's idea: mentions weighted by zone (title, lead,
   body); a country is a subject when it is in the title, in the lead and again elsewhere, or
   holds a large share of the mentions.
5. `_relations`: two subject countries acting toward each other: an interaction cue in a sentence
   naming both (not one dated by "since", not history; not a word of another sense, not a
   conflict named after the pair), in sentences that matter (a title the text takes up again,
   lead, or several body sentences in more than one paragraph; or a title naming just the two over a
   lead sentence with the cue; or two cued sentences while the pair runs through a tenth of
   the article; or one cued sentence when both act in the lead and are named together in a
   quarter of the sentences; or, for the two main focus countries, a lead sentence naming just
   the two with a strong cue); a sentence naming many countries (a list of reactions) counts
   for no pair.
5b. `_uncued_relations`: in a language without an interaction cue list, the dyad the title
   names alone and a lead sentence names again.
6. `_themes`: a theme's cues (not inside a word of another sense), cancelled by its negative
   contexts, salient (title, lead, or several sentences over more than one paragraph) and
   reaching its threshold (a theme of two states, diplomacy, also from one lead sentence naming
   two states with a strong cue); a theme between states needs countries in its sentences (or the
   pair of a relation of step 5, where they name no other country) and is not given to a
   sports story.

Each tag's evidence carries its score, the phrases that made it and the sentences that justify it.
"""

from __future__ import annotations

import bisect
import enum
import functools
import itertools
import logging
import re
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations, pairwise
from typing import Any
from urllib.parse import urlsplit

import ahocorasick
from babel.languages import get_territory_language_info

from newsbeam.transforms.cue_forms import INFLECTED_LANGUAGES, inflectable, load_cue_forms
from newsbeam.transforms.gazetteer import (
    LATIN,
    LATIN_SCRIPT,
    Compounds,
    dictionary_spelling,
    fold,
    hebrew_word_forms,
    phrase_key,
    written_form,
)
from newsbeam.transforms.name_forms import LEMMA_LANGUAGES, lemma_names, load_name_forms
from newsbeam.transforms.taxonomy import SPLIT_MARK, Taxonomy, Theme

__all__ = ["Match", "TagResult", "Tagger", "home_country", "sentence_starts"]

_LOGGER = logging.getLogger(__name__)

_MAX_PHRASES = 12  # evidence phrases kept per topic
_MAX_SENTENCES = 2  # evidence sentences kept per topic
_SENTENCE_CHARS = 300  # an evidence sentence is cut to this length
# Scripts written without spaces between words (or with particles glued to words): their phrases
# match anywhere, not at word boundaries.
_UNSPACED = re.compile(r"[\u0600-\u06ff\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_WORD = re.compile(r"\w+")
# A person's title: at most this many characters between the country and the office word
# ("U.S. Defense Secretary"), nothing that ends a noun phrase between them, and the name right
# after it ("President Volodymyr Zelensky", "pääministerin Sanna Marinin").
_OFFICE_GAP = 24
_NAME_GAP = re.compile(r"[,;:()\[\]\"«»„“”]|\s(?:and|und|et|y|i|e|ja|och|og)\s")
_NAME_AFTER = re.compile(r"[ \t]+,?[ \t]*((?:[^\W\d_][\w'’-]*[ \t]*){1,3})")
# Languages that write demonym adjectives with a capital ("Russian", "Russische"): there a
# capitalised demonym is not a noun for the people.
_CAPITALISED_ADJECTIVES = {"en", "nl", "ga", "cy", "mt", ""}
_SHORT = 4  # sentences, title included: a short item, whose lead is the whole story
_BODY_SHARE = 0.1  # body-only salience: this share of the text's sentences at least
_ITEM_SHARE = 0.25  # ... or two sentences, when they are this share of them
_RUN_SHARE = 0.25  # a pair named together in this share of the sentences runs through the story
_CLOSE = 80  # characters between two countries with a cue between them: one acts on the other
# How far a state actor may stand from a demonym: "Russian and Ukrainian delegations",
# "les forces armées russes".
_ACTOR_AFTER, _ACTOR_BEFORE = 25, 12
_SPLIT_REACH = 160  # characters from a separable verb to its particle
# Languages that write compounds as one word: an interaction cue of `_COMPOUND_HEAD` letters or
# more also ends one ("Gefangenenaustausch", "fiskeriavtale", "valtiovierailulla") after a part
# of `_COMPOUND_PART` letters or more, with at most `_COMPOUND_ENDING` letters after it. Not
# after a prefix ("Eindruck" is no "Druck", "begrense" no border), nor inside a longer part
# ("Luftstreitkräfte" holds no dispute).
_COMPOUNDING = {"da", "de", "et", "fi", "is", "nb", "nl", "nn", "no", "sv"}
_COMPOUND_HEAD = 5
_COMPOUND_PART = 4
_COMPOUND_ENDING = 3
# Languages that put the verb last ("정부가 북한 ... 러시아 선박을 제재했다"): there both parties
# come before the act, so a third country between one of them and a cue says nothing.
_VERB_FINAL = {
    "ja", "ko", "tr", "hi", "ur", "fa", "bn", "az", "uz", "kk", "ky", "mn", "ta", "te", "mr",
    "ne", "si", "my", "ps", "hy", "ka", "am", "eu",
}  # fmt: skip
_ACT_WEIGHT = 2.0  # a theme cue this strong counts as an interaction between countries
_DATED = 30  # characters from a background word ("since") to the act it dates
# A span after "since" in the languages where it also means "for": up to three short words, then
# a unit of time not followed by a year ("depuis les années 1990" dates).
_DURATION = {
    language: re.compile(rf"\s+(?:[\w'’]{{1,8}}\s+){{0,3}}?(?:{units})\b(?!\s*\d)", re.IGNORECASE)
    for language, units in {
        "fr": "ans?|années?|mois|semaines?|jours?|heures?",
        "de": "jahre?n?|monate?n?|wochen?|tage?n?|stunden?",
        "es": "años?|meses|mes|semanas?|días?|horas?",
        "it": "anni|anno|mesi|mese|settimane|giorni|ore",
        "pt": "anos?|meses|mês|semanas?|dias?|horas?",
        "nl": "jaar|jaren|maanden|weken|dagen|uren",
    }.items()
}
_PREFIX = 3  # a word is lemmatized only when its first letters begin a name of its language

# -- sentences ----------------------------------------------------------------------------------

# A stop and a space; a CJK stop, with or without a space; a line break. The Arabic and Urdu
# question mark and full stop and the Devanagari danda end sentences like "." does.
# The lookahead lets the engine skip to the next stop or break before trying the alternatives.
_BREAK = re.compile(
    r"(?=[.!?…؟۔।。！？\n])(?:[.!?…؟۔।]+[\"'»”’)\]]*\s+|([。！？]+[」』）\"'”’]*)\s*|\n\s*)"
)
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "sgt", "maj", "capt", "adm", "gov", "sen",
    "rep", "prof", "jr", "sr", "no", "vs", "u.s", "u.k", "u.n", "e.g", "i.e", "jan", "feb", "aug",
    "sept", "sep", "oct", "nov", "dec", "г", "гг", "им", "т", "д", "ул", "др", "проф", "ген",
    "см", "z.b", "bzw", "nr", "vgl", "ca", "abs", "evtl",
    # Spanish plural abbreviations write each half with its stop: "EE. UU.", "FF. AA.", "RR. HH."
    "ee", "ff", "cc", "rr", "jj", "ss",
    # Swahili titles ("Mhe. Rais", "Dkt. Mwinyi") and the Hindi "Dr." ("डॉ. जयशंकर")
    "mhe", "dkt", "डॉ",
}  # fmt: skip
_OPENERS = "\"'«“„(["


def sentence_starts(text: str) -> list[int]:
    """Offsets where sentences begin: after . ! ? (and ؟ ۔ ।) and a capitalised word, or a word
    of a script without capitals (Arabic, Hindi...); after 。！？ ; and at line breaks; not after
    an abbreviation (Mr., U.S., Gen.) or an initial (Booker T. Washington)."""
    starts = [0]
    size = len(text)
    for match in _BREAK.finditer(text):
        end = match.end()
        if end >= size:
            break
        if not match.group(1) and "\n" not in match.group():
            # The cheap test first: most stops are followed by a small letter or a capital.
            following = text[end]
            # A letter with no case (Arabic, Devanagari, Hebrew) starts a sentence as a capital
            # does; a small letter does not ("e.g. this").
            if following.islower() or not (
                following.isalpha() or following.isdigit() or following in _OPENERS
            ):
                continue
            start = match.start()
            last = text[max(0, start - 24) : start].rsplit(None, 1)
            word = (
                last[-1].lstrip(_OPENERS).lower() if last and not text[start - 1].isspace() else ""
            )
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        starts.append(end)
    return starts


# -- what the automaton finds ------------------------------------------------------------------


class Match(enum.Enum):
    """What a phrase found in the text stands for."""

    COUNTRY = "country"  # an alias of a country (target: (code, kind))
    SUPPORT = "support"  # supports an ambiguous alias (target: rule index)
    BLOCK = "block"  # shows the other sense of an ambiguous alias (target: rule index)
    SPORT = "sport"  # sports vocabulary: national names in such sentences are teams
    TEAM = "team"  # a club word next to a city name ("Dynamo Minsk")
    CUE = "cue"  # a theme cue (target: theme index)
    CONTEXT = "context"  # strengthens a theme's cues in its sentence (target: theme index)
    NEGATIVE = "negative"  # cancels a theme's cues in its sentence (target: theme index)
    INTERACTION = "interaction"  # one country acting toward another (talks, strike, expel...)
    ACTOR = "actor"  # a state actor: "Russian forces", "délégation ukrainienne"
    BACKGROUND = "background"  # dates a sentence by an earlier act: "since", "seit"
    OTHER_SENSE = "other sense"  # holds a cue in another sense: "liberal", "de acuerdo con"
    STANDING = "standing"  # a cue naming a standing state, not an act: "conflict", "war"
    HOME = "home"  # an office that, named without a country, is the publisher's state's
    PAIR = "pair"  # names the story's two countries without their names: "the two countries"
    SPLIT = "split"  # a separable verb's first part ("weist" of "weist … aus"; target: its rest)
    MEDIATION = "mediation"  # a go-between's part: "mediated by", "بوساطة", "斡旋"


# The kinds of phrase matched by their words' lemmas too (`_inflected_hits`): the themes' and
# the relations' phrases, not names (their forms are `name_forms.py`'s) nor offices.
_INFLECTED_KINDS = frozenset(
    {
        Match.CUE, Match.CONTEXT, Match.NEGATIVE, Match.INTERACTION, Match.ACTOR,
        Match.BACKGROUND, Match.OTHER_SENSE, Match.STANDING,
    }
)  # fmt: skip

_BORDER_WORDS = ("border", "frontier", "границ", "grenz", "granic", "hranic", "frontièr",
                 "fronter", "frontier", "grens", "gräns", "grænse", "grense", "sınır")  # fmt: skip
_CAPITAL_VENUE_AFTER = ("で", "に到着", "에서", "에 도착", "에도착")
_CAPITAL_VENUE_BEFORE = ("在", "抵达", "抵達", "到达", "到達")
_SITUATION_WORDS = ("情勢", "情势", "局势", "局勢", "정세", "사태")
_FUNCTION_WORDS = {
    "the", "a", "an", "in", "on", "at", "and", "but", "for", "with", "from", "to", "of", "by",
    "as", "when", "while", "after", "before", "if", "since", "both", "neighbouring",
    "neighboring", "president", "king", "queen", "prime", "minister", "emir", "sheikh",
}  # fmt: skip
_COMPOUND_JOIN = re.compile(r"^\s*[-‑–]\s*$")
# A dateline in one of a text's first paragraphs opens its lead (`Tagger._article`).
_DATELINE_PARAGRAPHS = 4
_LEAD_REACH = 20  # the body sentences looked at for the lead and its dateline
# "The war in Ukraine": the prepositions of a place after a war word, and articles after them.
_WAR_GAP = 12
_WAR_IN = {
    "in", "en", "au", "aux", "w", "we", "na", "v", "ve", "u", "i", "im", "no", "em", "nel",
    "nella", "в", "во", "на", "у", "във", "σε", "στην", "στο", "di", "dalam",
}  # fmt: skip
_WAR_IN_ARTICLES = {"der", "the", "la", "le", "l", "el", "il", "a", "o"}
# How far after a compound of two demonyms its act may come: the words of its noun phrase.
_COMPOUND_CUE_WORDS = 3
_REST_OF_WORD = re.compile(r"\w*")
_NEXT_WORD = re.compile(r"[^\S\n]*[^\s,.;:!?()\[\]«»“”\"]+")
# What may stand between a country and its office before it: "Russia's foreign minister",
# "U.S.-Präsident" (`_OFFICE_BEFORE`); in an unspaced script, also a particle and a name
# ("中国の王毅外相"). After an office, at most two of these words: "the foreign minister of
# Russia", "presidente do Brasil", "Υπουργός Εξωτερικών της Τουρκίας" (`Tagger._office_owner`);
# a verb between ("Minister Blok gaat naar Rusland") makes the country where the office goes,
# not whose it is.
_OFFICE_OF = {
    "of", "the", "de", "des", "du", "la", "le", "l", "d", "del", "della", "dello", "dei",
    "degli", "di", "da", "do", "dos", "das", "van", "von", "der", "den", "dem", "het", "z",
    "ze", "w", "na", "της", "του", "των", "för", "af", "for", "al", "el",
}  # fmt: skip
# Before it: a possessive ending ("Russia's", the Turkish genitive "Rusya'nın") or, in Urdu and
# Hindi, a possessive postposition ("ایران کے وزیر خارجہ", "ईरान के विदेश मंत्री").
_OFFICE_BEFORE = re.compile(r"(?:['’](?:s|n?[ıiuü]n))?[\s\-‑–]*(?:(?:کے|کی|کا|के|की|का)\s+)?")
_CLOSING_PARTICLES = set("은는이가도에의을를はがもをにの")  # Korean and Japanese case particles
_CJK_GAP = re.compile(r"[^\s\d.,;:!?、，。：；！？()（）「」]{0,6}|\s")
# Country-code domains sold for their letters (.io, .tv, .me): a site's country only under a
# second level of the country's own ("news.com.co", not "news.co").
_VANITY_DOMAINS = {
    "ai", "am", "ag", "cc", "co", "fm", "gg", "im", "io", "la", "ly", "me", "nu", "sh", "sx",
    "tk", "to", "tv", "vc", "ws",
}  # fmt: skip
# Top-level domains of a region, people or city of one country: its news is that country's.
_REGIONAL_DOMAINS = {
    "cat": "es", "eus": "es", "gal": "es", "madrid": "es", "barcelona": "es",
    "scot": "gb", "wales": "gb", "cymru": "gb", "london": "gb",
    "bzh": "fr", "corsica": "fr", "alsace": "fr", "paris": "fr",
    "bayern": "de", "berlin": "de", "hamburg": "de", "koeln": "de", "ruhr": "de", "nrw": "de",
    "wien": "at", "tirol": "at", "swiss": "ch", "zuerich": "ch", "quebec": "ca",
    "nyc": "us", "tokyo": "jp", "moscow": "ru", "istanbul": "tr", "amsterdam": "nl",
    "brussels": "be", "vlaanderen": "be", "gent": "be",
}  # fmt: skip
_SECOND_LEVELS = {"com", "org", "net", "gov", "gob", "edu", "ac", "co", "or", "ne", "go", "nic"}


def home_country(url: str | None, language: str, by_language: dict[str, str]) -> str | None:
    """The country a news site belongs to: its country-code domain ("zdf.de", "bbc.co.uk") or
    the domain of a region or city of one country ("elnacional.cat", "berria.eus") when the
    article's language is one of that country's (a Swiss site's Japanese service is
    not Swiss news), else the country of a language written mostly in one (`by_language`),
    else None."""
    host = urlsplit(url).hostname if url and "://" in url else None
    labels = (host or "").rstrip(".").split(".")
    tld = labels[-1] if len(labels) >= 2 else ""
    vanity = tld in _VANITY_DOMAINS and not (len(labels) >= 3 and labels[-2] in _SECOND_LEVELS)
    if len(tld) == 2 and tld.isalpha() and tld != "eu" and not vanity:
        code = "gb" if tld == "uk" else tld
    else:
        code = _REGIONAL_DOMAINS.get(tld, "")
    if code and (not language or _spoken_in(language, code)):
        return code
    return by_language.get(language)


@dataclass(frozen=True)
class _Entry:
    """One payload of an automaton key: what the phrase means and how it must be matched."""

    kind: Match
    target: Any  # country (code, kind) / rule index / theme index / None
    weight: float
    languages: int  # bit mask of the languages the phrase belongs to
    case: str  # "", "initial" or "upper"
    open_left: bool
    open_right: bool
    substring: bool  # an unspaced script: matched anywhere, never extended to a word boundary
    length: int  # length of the automaton key, sentinel spaces included
    lemma: str = ""  # an inflected name's form: the name it stands for (the hit's key)
    compound: bool = False  # also the last part of a compound word (`_COMPOUNDING`)


@dataclass
class _Hit:
    kind: Match
    target: Any
    weight: float
    start: int
    stop: int
    sentence: int
    key: str  # folded phrase core: identifies the phrase, whatever its surface form
    exact: bool  # matched a whole word, not a stem
    capitalised: bool = False  # matched a phrase written with a capital ("Rosjanie", "Russen")


@dataclass
class _Mention:
    """A country named in a sentence: `venue` when it names where, not who ("talks in Geneva")."""

    code: str
    kind: str  # name, demonym, capital, person, institution
    venue: bool
    hit: _Hit


@dataclass
class TagResult:
    """Topics, their evidence (topic, score, phrases, sentences) and the focus countries."""

    topics: list[str] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)


@dataclass
class _Article:
    """One text as the rule steps see it: the text, its folded form, sentences and zones."""

    text: str
    folded: str
    starts: list[int]
    zone_weight: list[float]  # per sentence
    in_title: set[int]
    in_lead: set[int]
    paragraph: list[int]  # per sentence: the paragraph it belongs to
    past: set[int]  # sentences dated well before the article's newest year ("in 1938")
    mask: int
    language: str

    def sentence(self, index: int) -> str:
        """The sentence's text, cut to a readable length for evidence."""
        stop = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.text)
        sentence = " ".join(self.text[self.starts[index] : stop].split())
        if len(sentence) > _SENTENCE_CHARS:
            sentence = sentence[: _SENTENCE_CHARS - 1].rstrip() + "…"
        return sentence

    def salient(self, sentences: Iterable[int], min_sentences: int) -> bool:
        """True when sentences matter: one in the title; one in the lead and another after the
        lead, in the lead's paragraph or any other; the lead alone in a short item, or its two
        sentences in two paragraphs; two of them that are a quarter of the text's sentences; or
        `min_sentences` of them that are a tenth, spread over more than one paragraph (a side
        paragraph, a background recap, does not make an article about something)."""
        found = set(sentences)
        if found & self.in_title:
            return True
        paragraphs = {self.paragraph[s] for s in found}
        # A text in one or two blocks (a short item, a page without paragraph marks) cannot
        # show spread over paragraphs: there two sentences are spread enough.
        spread = len(paragraphs) >= 2 or self.paragraph[-1] - self.paragraph[0] < 2
        if found & self.in_lead and found - self.in_lead:
            return True  # the lead, and a later sentence comes back to it
        if found & self.in_lead and (len(found) >= 2 or len(self.starts) <= _SHORT) and spread:
            return True  # the lead's two sentences in two paragraphs, or a short item
        body = len(self.starts) - len(self.in_title)
        if len(found) >= 2 and len(found) >= _ITEM_SHARE * body:
            return True  # two sentences of an item of eight: a paragraph that long is no aside
        if not spread:
            return False
        # A long essay naming a war three times is not about the war.
        return len(found) >= min_sentences and len(found) >= _BODY_SHARE * body


def _case_of(phrase: str) -> str:
    core = phrase.strip("*")
    letters = [c for c in core if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return "upper"
    if letters and core[0].isupper():
        return "initial"
    return ""


def _distinct(texts: Iterable[str], limit: int = _MAX_PHRASES) -> list[str]:
    seen: dict[str, None] = {}
    for text in texts:
        seen.setdefault(text, None)
        if len(seen) >= limit:
            break
    return list(seen)


@functools.lru_cache(maxsize=65536)
def _lemma(word: str, language: str) -> str:
    """simplemma's lemma of a word, folded (a cache: the same names recur across articles).
    simplemma is imported here, at its first use: importing it compiles some 400 patterns
    (about 35 ms), and most runs never ask it (the bundled names' forms are precomputed)."""
    import simplemma

    try:
        lemma = simplemma.lemmatize(dictionary_spelling(word, language), lang=language)
        return " ".join(fold(lemma).split())
    except (ValueError, KeyError):  # a language simplemma cannot load
        return ""


class Tagger:
    """A taxonomy compiled once (per worker) into one automaton; `tag()` is thread-safe."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        gazetteer = taxonomy.gazetteer
        languages = {a.language for a in gazetteer.aliases} - {LATIN}
        for theme in taxonomy.themes:
            languages |= {c[0] for c in theme.cues + theme.context + theme.negative}
        if taxonomy.relations:
            rules = taxonomy.relations
            languages |= {c[0] for c in rules.cues + rules.pair_anaphors + rules.mediation}
        self._bits = {language: 1 << i for i, language in enumerate(sorted(languages))}
        self._all = (1 << len(self._bits)) - 1
        self._bits[LATIN] = sum(b for lang, b in self._bits.items() if lang in LATIN_SCRIPT)
        self._same_state = _same_state(taxonomy.relations.same_state if taxonomy.relations else ())
        self._rules = gazetteer.rules
        self._relation_languages = (
            {c[0] for c in taxonomy.relations.cues} if taxonomy.relations else set()
        )
        self._rule_of_alias = {
            phrase_key(alias)[0]: index
            for index, rule in enumerate(gazetteer.rules)
            for alias in rule.aliases
        }
        # The words after a country name that make it no country mention, by their number.
        not_after_any: dict[int, set[tuple[str, ...]]] = defaultdict(set)
        for phrase in gazetteer.not_after_any:
            words = tuple(phrase_key(phrase)[0].split())
            not_after_any[len(words)].add(words)
        self._not_after_any = dict(not_after_any)
        self._not_after_words = max(self._not_after_any, default=0)
        # Each ambiguity rule's `not_before` and `not_after` phrases as the words they match.
        self._rule_contexts = [
            (
                [phrase_key(phrase)[0].split() for phrase in rule.not_before],
                [phrase_key(phrase)[0].split() for phrase in rule.not_after],
            )
            for rule in gazetteer.rules
        ]
        self._venues = {
            self._bits[language]: set(words)
            for language, words in gazetteer.venue_prepositions.items()
            if language in self._bits
        }
        # Single-word names and capitals per language, for lemmatized lookups: their forms
        # precomputed, and the first letters of the names the forms do not cover.
        self._lemma_names = lemma_names(gazetteer)
        self._forms, self._covered = load_name_forms()
        self._lemma_prefixes: dict[str, set[str]] = {
            language: {n[:_PREFIX] for n in names if n not in self._covered.get(language, ())}
            for language, names in self._lemma_names.items()
        }
        entries: dict[str, list[_Entry]] = defaultdict(list)
        # A phrase of several words by its words' lemmas, per inflecting language: the keys of
        # the phrases whose words decline ("izmenjava zapornikov" -> "izmenjavi zapornikov").
        cue_forms = load_cue_forms()
        inflected: dict[str, dict[tuple[str, ...], set[str]]] = defaultdict(
            lambda: defaultdict(set)
        )

        def add(
            phrase: str,
            language: str | None,
            kind: Match,
            target: Any,
            weight: float = 0.0,
            lemma: str = "",
        ):
            core, open_left, open_right = phrase_key(phrase)
            compound = (
                kind is Match.INTERACTION
                and language in _COMPOUNDING
                and not open_left
                and " " not in core
                and len(core) >= _COMPOUND_HEAD
            )
            open_left = open_left or compound
            substring = bool(_UNSPACED.search(core))
            cores = [core]
            if substring:
                open_left = open_right = False
            else:
                # A phrase with a stop or comma before a space ("EE. UU.", "Washington, D.C.")
                # folds to two spaces there in the text too: match it as written as well.
                written = written_form(phrase)
                if written != core:
                    cores.append(written)
            bits = self._all if language is None else self._bits[language]
            for text in cores:
                key = (
                    text
                    if substring
                    else ("" if open_left else " ") + text + ("" if open_right else " ")
                )
                entry = _Entry(
                    kind,
                    target,
                    weight,
                    bits,
                    _case_of(phrase),
                    open_left,
                    open_right,
                    substring,
                    len(key),
                    lemma,
                    compound,
                )
                if entry not in entries[key]:
                    entries[key].append(entry)
            words = (
                inflectable(phrase)
                if kind in _INFLECTED_KINDS and language in INFLECTED_LANGUAGES
                else None
            )
            if words and not substring:
                forms = cue_forms.get(INFLECTED_LANGUAGES[language], {})
                inflected[language][tuple(forms.get(w, w) for w in words)].add(f" {core} ")

        for alias in gazetteer.aliases:
            add(alias.phrase, alias.language, Match.COUNTRY, (alias.code, alias.kind))
        # Inflected forms of single-word names, precomputed ("Rosji" -> rosja): capitalised
        # only, as the names are; the hit keeps the name as its key, so its rules still apply.
        for language, forms in self._forms.items():
            names = self._lemma_names.get(language, {})
            if language not in self._bits:
                continue
            bits = self._bits[language]
            for form, lemma in forms.items():
                if lemma in names and not _UNSPACED.search(form):
                    # A folded single word: its key and entry are built directly (thousands of
                    # them; `add` would parse each as a phrase).
                    key = f" {form} "
                    entry = _Entry(
                        Match.COUNTRY, names[lemma], 0.0, bits, "initial", False, False, False,
                        len(key), lemma,
                    )  # fmt: skip
                    entries[key].append(entry)
        for index, rule in enumerate(gazetteer.rules):
            for phrase in rule.support:
                add(phrase, None, Match.SUPPORT, index)
            for phrase in rule.block:
                add(phrase, None, Match.BLOCK, index)
        for language, phrase in gazetteer.sports_context:
            add(phrase, language, Match.SPORT, None)
        for language, phrase in gazetteer.sports_teams:
            add(phrase, language, Match.TEAM, None)
        for index, theme in enumerate(taxonomy.themes):
            for language, phrase, weight in theme.cues:
                add(phrase, language, Match.CUE, index, weight)
            for language, phrase in theme.context:
                add(phrase, language, Match.CONTEXT, index)
            for language, phrase in theme.negative:
                add(phrase, language, Match.NEGATIVE, index)
        if taxonomy.relations:
            for language, phrase, weight in taxonomy.relations.cues:
                if SPLIT_MARK in phrase:  # "weist … aus": the verb, its particle later
                    head, particle = phrase.split(SPLIT_MARK)
                    add(head, language, Match.SPLIT, (particle, phrase_key(phrase)[0]), weight)
                    continue
                # Hebrew glues the article, prepositions and "and" onto a word (לביקור).
                forms = hebrew_word_forms(phrase) if language == "he" else [phrase]
                for form in forms:
                    add(form, language, Match.INTERACTION, None, weight)
            for language, phrase in taxonomy.relations.actors:
                add(phrase, language, Match.ACTOR, None)
            for language, phrase in taxonomy.relations.background:
                add(phrase, language, Match.BACKGROUND, None)
            for language, phrase in taxonomy.relations.other_senses:
                add(phrase, language, Match.OTHER_SENSE, None)
            for language, phrase in taxonomy.relations.standing:
                add(phrase, language, Match.STANDING, None)
            for language, phrase in taxonomy.relations.home_offices:
                add(phrase, language, Match.HOME, None)
            for language, phrase in taxonomy.relations.pair_anaphors:
                add(phrase, language, Match.PAIR, None)
            for language, phrase in taxonomy.relations.mediation:
                add(phrase, language, Match.MEDIATION, None)
        self._home_languages = dict(taxonomy.relations.home_languages if taxonomy.relations else ())
        self._inflected = {language: dict(table) for language, table in inflected.items()}
        self._inflected_longest = {
            language: max(len(lemmas) for lemmas in table) for language, table in inflected.items()
        }
        self._inflected_first = {
            language: {lemmas[0] for lemmas in table} for language, table in inflected.items()
        }
        self._codes = gazetteer.codes
        # One automaton per language (its phrases and those of every language), and one of all
        # phrases for a text of unknown language: one language's automaton is a small part of
        # all of them and scans a text several times faster. Each is compiled when a text first
        # needs it: a run meets a few languages of the fifty, and every extraction process
        # builds its own tagger before its first page.
        self._entries = dict(entries)
        # The keys under which each language's entries are (every language's: `self._all`), so
        # that compiling one language's automaton reads its own keys, not the fifty languages'.
        self._keys_of: dict[int, list[str]] = defaultdict(list)
        for key, found in self._entries.items():
            for bits in {entry.languages for entry in found}:
                self._keys_of[bits].append(key)
        self._compounds = {
            language: _compound_pattern(rules) for language, rules in gazetteer.compounds.items()
        }
        self._automata: dict[int, ahocorasick.Automaton] = {}
        self._compiling = threading.Lock()
        _LOGGER.debug("tagger: %d keys from %s", len(entries), taxonomy.source)

    # -- step 0: the article ------------------------------------------------------------------

    def _article(self, text: str, title: str | None, language: str | None) -> _Article | None:
        title = " ".join((title or "").split())
        full = f"{title}\n{text or ''}" if title else (text or "")
        if not full.strip():
            return None
        starts = sentence_starts(full)
        in_title = {i for i, s in enumerate(starts) if s < len(title)} if title else set()
        body = [i for i in range(len(starts)) if i not in in_title]
        zones = self.taxonomy.zones
        # The lead is the first sentences that say something: a page's furniture before them
        # ("Politics", "Share | Print", "Published", the headline printed again) is not the lead.
        ends = [*starts[1:], len(full)]

        def squeezed(i: int) -> str:
            return " ".join(full[starts[i] : ends[i]].split()).casefold()

        headline = {squeezed(i) for i in in_title}
        # A wire story's dateline ("BANGKOK -- Thailand said ...") opens its lead: a photo
        # caption or a teaser printed before it is not the lead.
        first = 0
        opening = [i for i in body[:_LEAD_REACH] if i and "\n" in full[starts[i - 1] : starts[i]]]
        for i in opening[:_DATELINE_PARAGRAPHS]:
            if _DATELINE.match(full, starts[i]) and full[starts[i] : starts[i] + 3].isupper():
                first = i
                break
        saying = (
            i
            for i in body
            if i >= first
            and _says_something(full[starts[i] : ends[i]])
            and not (headline and squeezed(i) in headline)
        )
        in_lead = set(itertools.islice(saying, zones.lead_sentences))
        weights = [
            zones.title if i in in_title else zones.lead if i in in_lead else zones.body
            for i in range(len(starts))
        ]
        paragraph, current = [], 0
        for i, start in enumerate(starts):
            if i and "\n" in full[starts[i - 1] : start]:
                current += 1
            paragraph.append(current)
        code = (language or "").strip().lower().replace("_", "-").split("-")[0]
        return _Article(
            text=full,
            folded=" " + fold(full) + " ",
            starts=starts,
            zone_weight=weights,
            in_title=in_title,
            in_lead=in_lead,
            paragraph=paragraph,
            past=_past_sentences(full, starts),
            mask=self._bits.get(code, self._all),
            language=code,
        )

    def _automaton(self, mask: int) -> ahocorasick.Automaton:
        """The automaton of a language's phrases (`mask` a language's bit, or every language's),
        compiled on first use."""
        automaton = self._automata.get(mask)
        if automaton is None:
            with self._compiling:
                automaton = self._automata.get(mask)
                if automaton is None:
                    keys = sorted(
                        {key for bits, keys in self._keys_of.items() if bits & mask for key in keys}
                    )
                    phrases = {
                        key: [entry for entry in self._entries[key] if entry.languages & mask]
                        for key in keys
                    }
                    automaton = self._automata[mask] = _compile(phrases)
        return automaton

    # -- step 1: every phrase -----------------------------------------------------------------

    def _find(self, article: _Article) -> list[_Hit]:
        """Every phrase of the automaton in the text, in one pass, with its span and sentence."""
        text, folded, starts, mask = article.text, article.folded, article.starts, article.mask
        hits = []
        size = len(text)
        for end, (key, found) in self._automaton(mask).iter(folded):
            for entry in found:
                if not entry.languages & mask or (entry.lemma and not article.language):
                    continue  # another language's phrase; an inflected form needs the language
                # `folded` is the text padded with one space each side: padded index i is text
                # index i - 1; a key's leading/trailing space is the word boundary.
                if entry.substring:
                    start, stop = end - entry.length, end
                    if entry.kind is Match.COUNTRY and not _arabic_ending(folded, stop + 1):
                        continue  # "عراقچی" (a surname) or "عراقيل" (obstacles) is not Iraq
                    if (
                        entry.kind in (Match.INTERACTION, Match.CUE)
                        and article.language in _CLITICS
                        and not _arabic_cue_word(article.language, folded, start + 1, stop + 1)
                    ):
                        continue  # "زار" (visited) in "الوزارة" (ministry), "جنگ" in "جنگل"
                else:
                    start = end - entry.length + (0 if entry.open_left else 1)
                    stop = end - (0 if entry.open_right else 1)
                cue_start, cue_stop = start, stop
                if entry.open_right:
                    while stop < size and folded[stop + 1] != " ":
                        stop += 1
                if entry.open_left:
                    while start > 0 and folded[start] != " ":
                        start -= 1
                    if (
                        entry.compound
                        and start < cue_start
                        and not _compound_head(folded[start + 1 : cue_start + 1], stop - cue_stop)
                    ):
                        continue
                if stop < size and text[stop] == "." and "." in text[start:stop]:
                    stop += 1  # "U.S." keeps its last dot in the evidence
                if entry.case == "initial" and not text[start].isupper():
                    continue
                if entry.case == "upper" and not text[start:stop].isupper():
                    continue
                hits.append(
                    _Hit(
                        entry.kind,
                        entry.target,
                        entry.weight,
                        start,
                        stop,
                        bisect.bisect_right(starts, start) - 1,
                        entry.lemma or key,
                        not (entry.open_left or entry.open_right),
                        entry.case == "initial" and not entry.lemma,
                    )
                )
        return hits

    def _inflected_hits(self, article: _Article, hits: list[_Hit]) -> list[_Hit]:
        """Phrases of several words found by their words' lemmas where the automaton did not
        find them as written: "pri izmenjavi zapornikov" holds the cue "izmenjava zapornikov"
        (`cue_forms.py`). The words must follow each other with one space between them."""
        table = self._inflected.get(article.language)
        if not table:
            return []
        forms = load_cue_forms().get(INFLECTED_LANGUAGES[article.language], {})
        firsts, longest = (
            self._inflected_first[article.language],
            self._inflected_longest[article.language],
        )
        folded, mask = article.folded, article.mask
        words = [
            (m.start(), m.end(), forms.get(m.group(), m.group())) for m in _WORD.finditer(folded)
        ]
        taken = {(h.key, h.start) for h in hits}
        found = []
        for i, (start, _, lemma) in enumerate(words):
            if lemma not in firsts:
                continue
            for j in range(i + 1, min(i + longest, len(words))):
                if folded[words[j - 1][1] : words[j][0]] != " ":
                    break  # a stop, comma or dash between two words ends the phrase
                keys = table.get(tuple(w[2] for w in words[i : j + 1]))
                if not keys:
                    continue
                # `folded` is padded with a space: its index i is the text's i - 1.
                first, last = start - 1, words[j][1] - 1
                sentence = bisect.bisect_right(article.starts, first) - 1
                for key in keys:
                    core = key.strip()
                    if (core, first) in taken:
                        continue  # matched as written
                    for entry in self._entries.get(key, ()):
                        if not entry.languages & mask or entry.kind not in _INFLECTED_KINDS:
                            continue
                        if entry.case and not article.text[first].isupper():
                            continue
                        found.append(
                            _Hit(
                                entry.kind, entry.target, entry.weight, first, last, sentence,
                                core, True,
                            )
                        )  # fmt: skip
        return found

    @staticmethod
    def _split_hits(article: _Article, hits: list[_Hit]) -> list[_Hit]:
        """Separable verbs as interaction cues: German and Dutch put the finite verb early and
        its particle at the end of the clause ("Deutschland weist 40 russische Diplomaten aus",
        "Nederland roept zijn ambassadeur terug"). The verb's hit becomes a cue when its
        particle ends the clause (a punctuation mark or the sentence's end after it) within
        `_SPLIT_REACH` characters of it in the same sentence."""
        found = []
        text, starts = article.text, article.starts
        for hit in hits:
            if hit.kind is not Match.SPLIT:
                continue
            particle, key = hit.target
            end = starts[hit.sentence + 1] if hit.sentence + 1 < len(starts) else len(text)
            window = text[hit.stop : min(end, hit.stop + _SPLIT_REACH)]
            if _particle_closes(particle, window):
                cue = _Hit(Match.INTERACTION, None, hit.weight, hit.start, hit.stop, hit.sentence,
                           key, True)  # fmt: skip
                found.append(cue)
        return found

    # -- step 2: inflected names --------------------------------------------------------------

    def _lemma_hits(self, article: _Article, hits: list[_Hit]) -> list[_Hit]:
        """Country mentions among capitalised words no alias matched, found by simplemma's
        lemma: only for names the precomputed forms (`name_forms.py`, matched by the
        automaton) do not cover, such as a user's gazetteer's."""
        lemma_language = LEMMA_LANGUAGES.get(article.language)
        names = self._lemma_names.get(article.language)
        prefixes = self._lemma_prefixes.get(article.language)
        if not lemma_language or not names or not prefixes:
            return []
        taken = {h.start for h in hits if h.kind is Match.COUNTRY}
        text, folded = article.text, article.folded
        found = []
        for match in _WORD.finditer(text):
            start = match.start()
            word = match.group()
            if (
                len(word) < 4
                or not word[0].isupper()
                or start in taken
                or folded[start + 1 : start + 1 + _PREFIX] not in prefixes
            ):
                continue
            lemma = _lemma(word, lemma_language)
            target = names.get(lemma)
            if target is None or lemma in self._covered.get(article.language, ()):
                continue
            sentence = bisect.bisect_right(article.starts, start) - 1
            found.append(
                _Hit(Match.COUNTRY, target, 0.0, start, match.end(), sentence, lemma, True)
            )
        return found

    # -- step 2a: two countries in one word (中美, 日韓, 한미) ------------------------------------

    def _compound_hits(self, article: _Article, hits: list[_Hit]) -> list[_Hit]:
        """Both countries of each compound of two abbreviations the language's rules accept
        (`gazetteer.Compounds`): a hyphen or middle dot between the two, a follower right after
        (中美关系, 日中首脳), or a whole word in a spaced script (한미). A compound inside a
        longer country phrase (中美洲, 독일) is no compound."""
        found_in = self._compounds.get(article.language)
        if found_in is None:
            return []
        pattern, rules, codes = found_in
        text = article.text
        spans = [(h.start, h.stop) for h in hits if h.kind is Match.COUNTRY]
        found = []
        for match in pattern.finditer(text):
            first, joint, second = match.group(1), match.group(2), match.group(3)
            start = match.start(1)
            stop = start + len(first) + len(joint) + len(second)
            if codes[first] == codes[second]:
                continue
            if any(a < stop and start < b and b - a >= stop - start for a, b in spans):
                continue  # part of a longer name or stop phrase: 中美洲 (Central America)
            after = text[stop : stop + 12]
            word = first + second
            gap = len(after) - len(after.lstrip(" "))  # 한중 외교장관: one space in Korean
            followed = gap <= (1 if rules.whole_word else 0) and after[gap:].startswith(
                rules.followers
            )
            alone = (
                rules.whole_word
                and word not in rules.needs_follower
                and not (start and text[start - 1].isalnum())
                and not _KOREAN_WORD_GOES_ON.match(after)
            )
            if not (joint or followed or alone):
                continue
            for abbreviation, begin in ((first, start), (second, stop - len(second))):
                target = (codes[abbreviation], "name")
                key = "abbreviation:" + abbreviation
                found.append(_country_hit(article, target, begin, begin + len(abbreviation), key))
        found += _abbreviations_joined_to_names(article, codes, rules.whole_word, hits)
        if article.language == "ko":
            found += self._hanja_abbreviations(article, codes)
        return found

    @staticmethod
    def _hanja_abbreviations(article: _Article, codes: dict[str, str]) -> list[_Hit]:
        """Korean headlines and text name countries by one Chinese character standing alone
        among Hangul ("北 미사일 日 EEZ 안에", "美, 中에 경고"): Korean writes almost nothing
        else in Chinese characters, so a lone one of the abbreviations is its country."""
        found = []
        text = article.text
        for match in _LONE_HANJA.finditer(text):
            code = codes.get(match.group())
            if code is None:
                continue
            found.append(
                _country_hit(
                    article,
                    (code, "name"),
                    match.start(),
                    match.end(),
                    "abbreviation:" + match.group(),
                )
            )
        return found

    # -- step 2b: people introduced by their country and office --------------------------------

    def _titled_people(self, article: _Article, hits: list[_Hit]) -> list[_Hit]:
        """Mentions of people news introduces once by country and office and then names by
        surname alone: "U.S. Defense Secretary Mark Esper ... Esper accused China", "Saksan
        liittokansleri Angela Merkel ... Merkelin". The surname then stands for that country,
        in every sentence of this article (an inflected form too, in a language that inflects
        names); a surname introduced for two countries is dropped."""
        text = article.text
        countries = sorted(
            (h for h in hits if h.kind is Match.COUNTRY and h.target[0]), key=lambda h: h.start
        )
        offices = [h for h in hits if h.kind is Match.ACTOR]
        if not countries or not offices:
            return []
        stops = [h.stop for h in countries]
        surnames: dict[str, str] = {}
        starts = [h.start for h in countries]
        for office in offices:
            # The country right after the office word: "président français Emmanuel Macron",
            # "premier Polski Mateusz Morawiecki"; else the nearest one ending before it, close
            # and in its sentence: "U.S. Defense Secretary", "Suomen pääministerin".
            after = bisect.bisect_left(starts, office.stop)
            place = bisect.bisect_right(stops, office.start) - 1
            if after < len(countries) and countries[after].start - office.stop <= 2:
                country, end = countries[after], countries[after].stop
            elif place >= 0:
                country, end = countries[place], office.stop
                if office.start - country.stop > _OFFICE_GAP:
                    continue
                if _NAME_GAP.search(text, country.stop, office.start):
                    continue  # a verb or clause stands between: not one title
            else:
                continue
            if country.sentence != office.sentence:
                continue
            name = _NAME_AFTER.match(text, end)
            if not name:
                continue
            words = list(itertools.takewhile(lambda w: w[0].isupper(), name.group(1).split()))
            if len(words) < 2 or len(words[-1]) < 3:
                continue  # a first name and a surname at least: "President Trump" is known
            surname = words[-1]
            code = country.target[0]
            if surnames.setdefault(surname, code) != code:
                surnames[surname] = ""  # the same surname for two countries: neither
        found = []
        inflects = article.language not in _CAPITALISED_ADJECTIVES
        for surname, code in surnames.items():
            if not code:
                continue
            stem = surname[: max(4, len(surname) - 2)] if inflects else surname
            pattern = re.escape(stem) + (r"\w{0,4}\b" if inflects else r"\b")
            for match in re.finditer(r"(?<!\w)" + pattern, text):
                key = "person:" + fold(surname)
                found.append(
                    _country_hit(article, (code, "person"), match.start(), match.end(), key)
                )
        return found

    @staticmethod
    def _longest(hits: list[_Hit]) -> list[_Hit]:
        """Non-overlapping hits, the longest first at each place (whole words over stems)."""
        kept: list[_Hit] = []
        starts: list[int] = []  # the kept spans, sorted: they never overlap each other
        stops: list[int] = []
        for hit in sorted(hits, key=lambda h: (-(h.stop - h.start), not h.exact, h.start)):
            place = bisect.bisect_left(starts, hit.start)
            if place < len(starts) and starts[place] < hit.stop:
                continue  # a kept span starts inside this one
            if place > 0 and stops[place - 1] > hit.start:
                continue  # the kept span before this one reaches into it
            starts.insert(place, hit.start)
            stops.insert(place, hit.stop)
            kept.append(hit)
        return sorted(kept, key=lambda h: h.start)

    # -- countries --------------------------------------------------------------------------

    @staticmethod
    def _tokens_before(folded: str, start: int, count: int) -> list[str]:
        """The `count` words before text offset `start` (fewer at the start of the text)."""
        begin = max(0, start + 1 - 24 * count)
        words = folded[begin : start + 1].split()
        if begin > 0 and folded[begin - 1] != " " and words:
            words = words[1:]  # the window began inside a word
        return words[-count:]

    @staticmethod
    def _tokens_after(folded: str, stop: int, count: int) -> list[str]:
        """The `count` words after text offset `stop`."""
        end = stop + 1 + 24 * count
        words = folded[stop + 1 : end].split()
        if end < len(folded) and folded[end] != " " and words:
            words = words[:-1]  # the window ended inside a word
        return words[:count]

    def _next_to_a_name(self, text: str, start: int, stop: int, sentence_start: int) -> bool:
        """True when a capitalised word other than a sentence opener touches the mention:
        "Michael Jordan", "Chad Smith" (title-cased headlines do not count)."""
        segment = text[sentence_start : sentence_start + 400]
        words = [w for w in re.findall(r"\w+", segment) if len(w) > 3]
        if words and sum(w[0].isupper() for w in words) / len(words) > 0.6:
            return False
        before = re.search(r"(\w+)([ \t]+)$", text[max(sentence_start, start - 40) : start])
        if before:
            word = before.group(1)
            opener = text[sentence_start:start].strip().startswith(word)
            if word[0].isupper() and not opener and word.lower() not in _FUNCTION_WORDS:
                return True
        after = re.match(r"[ \t]+(\w+)", text[stop : stop + 40])
        return bool(after and after.group(1)[0].isupper())

    # -- step 3: country mentions ------------------------------------------------------------

    def _countries(self, article: _Article, hits: list[_Hit]) -> list[_Mention]:
        """Each country mention that survives the gazetteer's rules."""
        text, folded, starts, mask = article.text, article.folded, article.starts, article.mask
        by_kind: dict[Match, list[_Hit]] = defaultdict(list)
        for hit in hits:
            by_kind[hit.kind].append(hit)
        sports_in: dict[int, set[str]] = defaultdict(set)
        for hit in by_kind[Match.SPORT]:
            sports_in[hit.sentence].add(hit.key)
        sports_sentences = {
            s
            for s, keys in sports_in.items()
            if len(keys) >= self.taxonomy.gazetteer.sports_min_context
        }
        # Where a club word ends or starts, three characters of slack: "Dynamo Minsk".
        after_team = {t.stop + d for t in by_kind[Match.TEAM] for d in range(4)}
        before_team = {t.start - d for t in by_kind[Match.TEAM] for d in range(4)}
        candidates = []
        for hit in self._longest(by_kind[Match.COUNTRY]):
            code, kind = hit.target
            if not code or hit.sentence in sports_sentences:
                continue
            if hit.start in after_team or hit.stop in before_team:
                continue
            after = self._tokens_after(folded, hit.stop, self._not_after_words)
            if any(tuple(after[:size]) in found for size, found in self._not_after_any.items()):
                continue
            candidates.append(hit)
        language = article.language
        plain_codes = {
            h.target[0] for h in candidates if self._rule_for(h.key, language) is None
        }  # mentions no rule doubts: they support an ambiguous mention of the same country
        support = {h.target for h in by_kind[Match.SUPPORT]}
        blocked_in: dict[int, set[int]] = defaultdict(set)
        for h in by_kind[Match.BLOCK]:
            blocked_in[h.target].add(h.sentence)
        # Rules are applied in two passes: a mention dropped for its own context ("Michael
        # Jordan") tells that the article uses the other sense, so its bare mentions ("Jordan
        # said") then need support too.
        verdicts = {}
        other_sense: set[int] = set()
        for position, hit in enumerate(candidates):
            index = self._rule_for(hit.key, language)
            if index is None:
                continue
            local = self._locally_allowed(index, hit, text, folded, starts, blocked_in)
            verdicts[position] = local
            if not local:
                other_sense.add(index)
        dateline = _dateline_end(article)
        mentions = []
        for position, hit in enumerate(candidates):
            code, kind = hit.target
            index = self._rule_for(hit.key, language)
            if index is not None:
                if not verdicts[position]:
                    continue
                rule = self._rules[index]
                supported = (
                    index in support
                    or rule.code in plain_codes
                    or any(c in plain_codes for c in rule.support_codes)
                )
                doubted = rule.needs_support or index in other_sense or blocked_in.get(index)
                if doubted and not supported:
                    continue
            venue = dateline[0] <= hit.start < dateline[1] or self._is_place(
                kind, hit, folded, mask
            )
            venue = venue or _war_place(folded, hit, by_kind[Match.STANDING])
            mentions.append(_Mention(code, kind, venue, hit))
        return self._without_nationalities(article, mentions, hits)

    def _rule_for(self, key: str, language: str | None) -> int | None:
        """The ambiguity rule that doubts a mention of `key` in an article in `language`."""
        index = self._rule_of_alias.get(key)
        if index is None:
            return None
        languages = self._rules[index].languages
        return index if not languages or language in languages else None

    def _home_mentions(
        self, article: _Article, hits: list[_Hit], mentions: list[_Mention], home: str | None
    ) -> list[_Mention]:
        """Offices named without a country, as the publisher's own state: a German paper's
        "Außenminister Maas", a Korean one's "외교부 장관", news' way of naming its own
        government. An office with a country beside it ("russischer Außenminister", "ministre
        des Affaires étrangères russe", "Außenminister Lawrow", "中国外长") is that country's;
        and once an office was another country's, the same office named bare again refers
        back to it ("Israeli Prime Minister Netanyahu ... the prime minister said")."""
        if home is None:
            return []
        offices = self._longest([h for h in hits if h.kind is Match.HOME])
        if not offices:
            return []
        placed = sorted(mentions, key=lambda m: m.hit.start)
        starts = [m.hit.start for m in placed]
        foreign: set[str] = set()  # offices named as another country's so far
        found = []
        for office in offices:
            owner = self._office_owner(article.text, office, placed, starts)
            if owner is not None:
                if owner != home:
                    foreign.add(office.key)
                continue
            if office.key not in foreign:
                found.append(_Mention(home, "home", False, office))
        return found

    @staticmethod
    def _office_owner(
        text: str, office: _Hit, placed: list[_Mention], starts: list[int]
    ) -> str | None:
        """The country named right beside an office in its sentence, None for a bare office:
        a mention the office is part of ("US-Außenministerium", "미 국방부", "中国政府は": the
        institution holds the office's words), just before it ("U.S.", "Russia's", "Maďarský",
        "中国"; in an unspaced script, a name between them: "中国の王毅外相"), or just after it
        ("of Russia", "russe", "Lawrow")."""
        unspaced = bool(_UNSPACED.search(text, office.start, office.stop))
        around = bisect.bisect_left(starts, office.stop)
        for mention in reversed(placed[:around]):
            if mention.hit.stop > office.start and mention.hit.start < office.stop:
                return mention.code
            if mention.hit.start < office.start - 40:
                break  # mentions are sorted by start: none further back reaches the office
        after = bisect.bisect_left(starts, office.stop)
        # An office closed by a case particle ("정부가", "政府は") ends its phrase: the country
        # after it is another word's ("정부가 북-러 ...": the government, then North Korea).
        closed = text[office.stop - 1 : office.stop] in _CLOSING_PARTICLES
        if not closed and after < len(placed) and placed[after].hit.sentence == office.sentence:
            gap = text[office.stop : placed[after].hit.start]
            words = gap.split()
            if not words or (not unspaced and len(words) <= 2 and set(words) <= _OFFICE_OF):
                return placed[after].code
        before = bisect.bisect_right(starts, office.start) - 1
        while before >= 0 and placed[before].hit.stop > office.start:
            before -= 1  # a mention overlapping the office is not beside it
        if before >= 0 and placed[before].hit.sentence == office.sentence:
            gap = text[placed[before].hit.stop : office.start]
            if (unspaced and _CJK_GAP.fullmatch(gap)) or _OFFICE_BEFORE.fullmatch(gap):
                return placed[before].code
        return None

    @staticmethod
    def _without_nationalities(
        article: _Article, mentions: list[_Mention], hits: list[_Hit]
    ) -> list[_Mention]:
        """Drop double nationalities ("British-Israeli lawyer", "deutsch-amerikanische Firma"):
        two demonyms joined by a hyphen describe a person or firm, unless an act follows within
        the noun phrase (three words, no stop or comma between): an interaction cue
        ("Russian-Ukrainian talks", "the Franco-German treaty") or a theme cue
        ("Russian-Iranian naval exercises", "российско-таджикские батальонные ученья")."""
        ordered = sorted(mentions, key=lambda m: m.hit.start)
        cue_starts = sorted(h.start for h in hits if h.kind in (Match.INTERACTION, Match.CUE))
        dropped: set[int] = set()
        for left, right in pairwise(ordered):
            if left.kind != "demonym" and right.kind != "demonym":
                continue
            if left.code == right.code:
                continue
            if not _COMPOUND_JOIN.match(article.text[left.hit.stop : right.hit.start]):
                continue
            # The compound ends at the end of the right mention's word; the act may come after
            # the adjectives of its noun phrase ("российско-таджикские батальонные ученья").
            reach = _phrase_reach(article.text, right.hit.stop, _COMPOUND_CUE_WORDS)
            nxt = bisect.bisect_left(cue_starts, right.hit.stop)
            followed = nxt < len(cue_starts) and cue_starts[nxt] < reach
            if not followed:
                dropped |= {id(left), id(right)}
        return [m for m in mentions if id(m) not in dropped]

    def _is_place(self, kind: str, hit: _Hit, folded: str, mask: int) -> bool:
        """True when a mention names where something happens rather than who acts: a capital
        after "in"/"at"/"в"/"bei" ("talks in Geneva"), or a country as a border ("near the
        Polish border", "у польской границы", "an der polnischen Grenze", "a town on the
        border with Germany")."""
        before = self._tokens_before(folded, hit.start, 1)
        if (
            kind == "capital"
            and before
            and any(bits & mask and before[0] in words for bits, words in self._venues.items())
        ):
            return True
        # A capital where something happens in a script without spaces: "北京で", "北京に到着",
        # "서울에서", "在北京", "抵达北京" (an arrival or a stay, not the state acting).
        if kind == "capital" and (
            folded.startswith(_CAPITAL_VENUE_AFTER, hit.stop + 1)
            or folded.endswith(_CAPITAL_VENUE_BEFORE, 0, hit.start + 1)
        ):
            return True
        after = self._tokens_after(folded, hit.stop, 1)
        if after and after[0].startswith(_BORDER_WORDS):
            return True
        # "ウクライナ情勢をめぐり" (over the situation in Ukraine): the country is the topic.
        if folded.startswith(_SITUATION_WORDS, hit.stop + 1):
            return True
        # "on the border with Germany", "an der Grenze zu Polen": the border word and one
        # preposition before the name.
        before = self._tokens_before(folded, hit.start, 2)
        return len(before) == 2 and before[0].startswith(_BORDER_WORDS) and len(before[1]) <= 4

    def _locally_allowed(
        self,
        index: int,
        hit: _Hit,
        text: str,
        folded: str,
        starts: list[int],
        blocked_in: dict[int, set[int]],
    ) -> bool:
        """False when the mention's own surroundings show the other sense."""
        rule = self._rules[index]
        not_before, not_after = self._rule_contexts[index]
        for words in not_before:
            if self._tokens_before(folded, hit.start, len(words)) == words:
                return False
        for words in not_after:
            if self._tokens_after(folded, hit.stop, len(words)) == words:
                return False
        if rule.person and self._next_to_a_name(text, hit.start, hit.stop, starts[hit.sentence]):
            return False
        return hit.sentence not in blocked_in.get(index, ())

    # -- step 4: focus countries --------------------------------------------------------------

    def _focus(self, article: _Article, mentions: list[_Mention]) -> tuple[list[str], set[str]]:
        """(focus countries, most weighted first; the same as a set).

        Each mention weighs its sentence's zone weight (a venue half); a country is a subject
        when it is named in the title or the lead, or holds `min_share` of the article's weight
        with at least `min_mentions` mentions."""
        rules = self.taxonomy.countries
        weight: dict[str, float] = defaultdict(float)
        count: dict[str, int] = defaultdict(int)
        zones: dict[str, set[str]] = defaultdict(set)
        for mention in mentions:
            sentence = mention.hit.sentence
            value = article.zone_weight[sentence]
            weight[mention.code] += value * (0.5 if mention.venue else 1.0)
            count[mention.code] += 1
            if sentence in article.in_title:
                zones[mention.code].add("title")
            elif sentence in article.in_lead:
                zones[mention.code].add("lead")
        total = sum(weight.values())
        subjects = {
            code
            for code in weight
            if zones[code]
            or (count[code] >= rules.min_mentions and weight[code] >= rules.min_share * total)
        }
        ordered = sorted(subjects, key=lambda c: (-weight[c], c))
        return ordered, subjects

    @staticmethod
    def _without_mediators(
        relations: list[tuple[str, float, list[str], list[int]]],
        hits: list[_Hit],
        mentions: list[_Mention],
    ) -> list[tuple[str, float, list[str], list[int]]]:
        """Relations without a go-between's: in a sentence with a mediation word ("a swap
        between Washington and Tehran mediated by Doha", "بوساطة قطرية"), the country named
        nearest to the word mediates between the others it names. When the article has a
        relation between two of those, the mediator's pairs with them go: it speaks of its
        own efforts all through such a story, but the story is about the two it brought
        together."""
        given = {tuple(topic.split(":")[1].split("-")) for topic, *_ in relations}
        dropped: set[tuple[str, ...]] = set()
        for word in (h for h in hits if h.kind is Match.MEDIATION):
            named = [m for m in mentions if m.hit.sentence == word.sentence and m.kind != "pair"]
            if not named:
                continue
            distance: dict[str, int] = {}
            for m in named:
                gap = min(abs(m.hit.start - word.stop), abs(word.start - m.hit.stop))
                distance[m.code] = min(distance.get(m.code, gap), gap)
            mediator = min(distance, key=lambda c: (distance[c], c))
            parties = set(distance) - {mediator}
            if any(tuple(sorted(p)) in given for p in combinations(parties, 2)):
                dropped |= {tuple(sorted((mediator, p))) for p in parties}
        return [r for r in relations if tuple(r[0].split(":")[1].split("-")) not in dropped]

    @staticmethod
    def _pair_mentions(
        article: _Article, hits: list[_Hit], mentions: list[_Mention], subjects: set[str]
    ) -> list[_Mention]:
        """Words naming a pair ("the two countries", "les deux pays", "दोनों देशों", "两国") as the
        two countries named together last before them: news names a pair once and then refers
        back to it. Going back from the words (their own sentence first), the first sentence
        naming exactly two countries as parties gives the pair, when both are subjects; a
        sentence naming more (a list, a venue's neighbours) is passed over."""
        anaphors = [h for h in hits if h.kind is Match.PAIR]
        if not anaphors or len(subjects) < 2:
            return []
        placed = sorted((m for m in mentions if not m.venue), key=lambda m: m.hit.start)
        found = []
        for anaphor in Tagger._longest(anaphors):
            named: dict[int, set[str]] = defaultdict(set)
            for mention in placed:
                if mention.hit.stop > anaphor.start:
                    break
                named[mention.hit.sentence].add(mention.code)
            for sentence in sorted(named, reverse=True):
                if len(named[sentence]) == 2:
                    if named[sentence] <= subjects:
                        pair = sorted(named[sentence])
                        found += [_Mention(code, "pair", False, anaphor) for code in pair]
                    break
        return found

    # -- step 5: relations --------------------------------------------------------------------

    def _relations(
        self,
        article: _Article,
        hits: list[_Hit],
        mentions: list[_Mention],
        subjects: set[str],
        sports: bool,
        countries: list[str],
        dated: list[_Hit],
    ) -> list[tuple[str, float, list[str], list[int]]]:
        """(topic, score, phrases, sentences) of each pair of subject countries acting toward
        each other.

        A sentence counts for a pair when it names both as parties (not as venues; a demonym
        only next to a state actor: "Russian forces", not "a Dutch institute"), names at most
        `max_parties` countries, and has an interaction cue; a title naming just the two counts
        at half weight without one. Its zone weight times its cues (capped) is shared among the
        pairs it makes. A pair needs a sentence where it is the only pair or a cue stands
        between the two, a cue of full weight, salient sentences (or, for the two first of
        `countries`, a lead sentence naming just the two with a cue of weight 1.5 or more) and
        `threshold`."""
        rules = self.taxonomy.relations
        if rules is None or sports or len(subjects) < 2:
            return []
        cues_in: dict[int, dict[str, _Hit]] = defaultdict(dict)
        # A strong theme cue is an act too: "drills around Taiwan", "sanctions on Belavia".
        # Not a cue inside a word of another sense ("liberal", "de acuerdo con"), nor a conflict
        # named after its two parties ("the Israeli-Palestinian conflict"): that names a
        # standing state, as background or a topic, and says nothing one does to the other.
        senses = [h for h in hits if h.kind is Match.OTHER_SENSE]
        named = _named_conflicts(article, hits, mentions)
        acts = [
            h
            for h in hits
            if (h.kind is Match.INTERACTION or (h.kind is Match.CUE and h.weight >= _ACT_WEIGHT))
            and not _inside(h, senses)
            and not _inside(h, named)
        ]
        # An act a background word (`dated`) introduces ("since the invasion") dates the sentence.
        for hit in self._longest(acts):
            if hit.sentence in article.past:
                continue  # history: "annexed by Germany in 1938"
            if any(d.sentence == hit.sentence and 0 <= hit.start - d.stop <= _DATED for d in dated):
                continue
            cues_in[hit.sentence].setdefault(hit.key, hit)
        # A demonym acts next to a state actor or an act ("Russian forces", "russische Angriffe").
        actors = [h for h in hits if h.kind is Match.ACTOR] + acts
        by_sentence: dict[int, dict[str, list[_Mention]]] = defaultdict(lambda: defaultdict(list))
        nouns = article.language not in _CAPITALISED_ADJECTIVES
        for mention in mentions:
            if not mention.venue:
                by_sentence[mention.hit.sentence][mention.code].append(mention)
        scores: dict[tuple[str, str], float] = defaultdict(float)
        sentences: dict[tuple[str, str], list[int]] = defaultdict(list)
        phrases: dict[tuple[str, str], list[_Hit]] = defaultdict(list)
        direct: set[tuple[str, str]] = set()
        full_cue: set[tuple[str, str]] = set()
        strong: dict[tuple[str, str], set[int]] = defaultdict(set)
        # Sentences naming a pair of subjects, cue or not: how much of the article is theirs.
        together: dict[tuple[str, str], set[int]] = defaultdict(set)
        alone: dict[tuple[str, str], set[int]] = defaultdict(set)  # ... and no other country
        acting: dict[tuple[str, str], set[int]] = defaultdict(set)  # ... both as parties
        for sentence, named in by_sentence.items():
            if len(named) > rules.max_parties:
                continue  # a list of reactions or of participants
            for pair in combinations(sorted(c for c in named if c in subjects), 2):
                together[pair].add(sentence)
                if len(named) == 2:
                    alone[pair].add(sentence)
            parties = sorted(
                c
                for c in named
                if c in subjects and any(self._acts(m, actors, article, nouns) for m in named[c])
            )
            if len(parties) < 2:
                continue
            for pair in combinations(parties, 2):
                acting[pair].add(sentence)
            cues = cues_in.get(sentence, {})
            value = min(sum(min(h.weight, 1.5) for h in cues.values()), 2.0)
            if not cues:
                if not (rules.title_pairs and sentence in article.in_title and len(named) == 2):
                    continue
                value = 0.5  # a title naming just the two: "Polen und Russland", "Rusia-Ucrania"
            share = article.zone_weight[sentence] * value / (len(named) - 1)
            for pair in combinations(parties, 2):
                if frozenset(pair) in self._same_state:
                    continue
                scores[pair] += share
                sentences[pair].append(sentence)
                phrases[pair] += [m.hit for code in pair for m in named[code]]
                phrases[pair] += cues.values()
                if any(h.weight >= 1.0 for h in cues.values()):
                    full_cue.add(pair)
                if len(named) == 2 and any(h.weight >= 1.5 for h in cues.values()):
                    strong[pair].add(sentence)
                others = (
                    []
                    if article.language in _VERB_FINAL
                    else [m for code in named if code not in pair for m in named[code]]
                )
                if len(named) == 2 or _cue_between(named[pair[0]], named[pair[1]], cues, others):
                    direct.add(pair)
        found = []
        for pair, score in sorted(scores.items()):
            if pair not in direct or pair not in full_cue or score < rules.threshold:
                continue
            main = set(pair) == set(countries[:2])
            if not self._pair_salient(
                article, sentences[pair], together[pair], alone[pair], acting[pair], strong[pair],
                main,
            ):  # fmt: skip
                continue
            found.append(
                (
                    f"relations:{pair[0]}-{pair[1]}",
                    score,
                    _distinct(article.text[h.start : h.stop] for h in _by_start(phrases[pair])),
                    sorted(sentences[pair], key=lambda s: (-article.zone_weight[s], s)),
                )
            )
        return found

    @staticmethod
    def _pair_salient(
        article: _Article,
        cued: list[int],
        together: set[int],
        alone: set[int],
        acting: set[int],
        strong: set[int],
        main: bool,
    ) -> bool:
        """True when a pair's cued sentences matter: a cued title whose pair the text takes up
        again (another cued sentence, a lead sentence naming the two, or any sentence where
        both are parties: a headline alone, often a phrase with no verb, "German arms for
        Russia", does not make the story about the two; in a short item it does); or cued
        sentences salient without the title (`_Article.salient`); or the title names the two
        and no other country, and a lead sentence says what one does to the other ("Ukraine
        halts Russian gas" over "Kyiv said it stopped the transit of gas from Russia"); or
        two cued sentences in different paragraphs, and the two run through the article: named
        together in a tenth of its sentences; or two sentences naming just the two with a strong
        cue (`strong`), wherever they are; or, when the two are the article's `main` focus
        countries, a lead sentence naming just the two with a strong cue (`strong`), a cued lead
        sentence and another sentence where both act (`acting`): a short item, or a page without
        its headline, is about them; or three sentences where both act, a tenth of the text."""
        if main and strong & article.in_lead:
            return True
        if len(strong) >= 2:
            return True  # each leg of a tour: "an official visit to France ... bilateral ties"
        if main and set(cued) & article.in_lead and len(acting) >= 2:
            return True
        rest = set(cued) - article.in_title
        again = rest or together & article.in_lead or acting - article.in_title
        again = again or len(article.starts) <= _SHORT  # a short item: its title is the story
        if set(cued) & article.in_title and again:
            return True
        if article.salient(rest, 2):
            return True
        if alone & article.in_title and set(cued) & article.in_lead:
            return True
        paragraphs = {article.paragraph[s] for s in cued}
        body = len(article.starts) - len(article.in_title)
        if len(set(cued)) >= 2 and len(paragraphs) >= 2 and len(together) >= _BODY_SHARE * body:
            return True
        # The main pair acting toward each other in three sentences (and a tenth of the text):
        # one cued sentence says what they do ("thanked ..." twice, then "talks between").
        if main and len(acting) >= max(3, _BODY_SHARE * body):
            return True
        # The two run through the story: both act in the lead, and they are named together in a
        # quarter of its sentences; one cued sentence then says what they do.
        return bool(acting & article.in_lead) and len(together) >= max(3, _RUN_SHARE * body)

    def _uncued_relations(
        self, article: _Article, mentions: list[_Mention], countries: list[str], sports: bool
    ) -> list[tuple[str, float, list[str], list[int]]]:
        """For an article in a language without an interaction cue list: the dyad news puts
        in its title and lead. The title names exactly two countries, neither as a venue and
        each by a name, capital, leader or institution (not a demonym: "Russian gas"); they
        are the two most weighted focus countries; and a lead sentence names both again,
        among at most `max_parties` countries."""
        rules = self.taxonomy.relations
        if (
            rules is None
            or sports
            or not article.language
            or article.language in self._relation_languages
            or not article.in_title
            or len(countries) < 2
        ):
            return []
        in_title = [m for m in mentions if m.hit.sentence in article.in_title]
        pair = tuple(sorted({m.code for m in in_title}))
        if (
            len(pair) != 2
            or set(pair) != set(countries[:2])
            or frozenset(pair) in self._same_state
            or any(m.venue for m in in_title)
            or any(all(m.kind == "demonym" for m in in_title if m.code == c) for c in pair)
        ):
            return []
        named: dict[int, set[str]] = defaultdict(set)
        for mention in mentions:
            if mention.hit.sentence in article.in_lead and not mention.venue:
                named[mention.hit.sentence].add(mention.code)
        lead = [s for s, codes in sorted(named.items()) if set(pair) <= codes]
        lead = [s for s in lead if len(named[s]) <= rules.max_parties]
        if not lead:
            return []
        title = min(m.hit.sentence for m in in_title)
        used = [m for m in mentions if m.hit.sentence in (title, lead[0]) and m.code in pair]
        score = 0.5 * (article.zone_weight[title] + article.zone_weight[lead[0]])
        phrases = _distinct(article.text[m.hit.start : m.hit.stop] for m in used)
        return [(f"relations:{pair[0]}-{pair[1]}", score, phrases, [title, lead[0]])]

    def _theme_relations(
        self,
        article: _Article,
        mentions: list[_Mention],
        countries: list[str],
        subjects: set[str],
        themes: list[tuple[str, float, list[str], list[int]]],
    ) -> list[tuple[str, float, list[str], list[int]]]:
        """For an article with no relation by the rules above but a theme between states
        (`between_states`: talks, sanctions, a joint drill, a swap): the relation of its two
        main focus countries, when one of the theme's cue sentences in the title or lead, or two
        anywhere, name just the two (not as venues). "Estonia bans eleven Georgian officials
        from entry" says what one state does to the other even where no interaction cue joins a
        name and a demonym; a theme sentence naming a third country (a mediator, a venue, a
        list) makes none."""
        if len(countries) < 2:
            return []
        pair = tuple(sorted(countries[:2]))
        if not set(pair) <= subjects or frozenset(pair) in self._same_state:
            return []
        between = {theme.id for theme in self.taxonomy.themes if theme.between_states}
        named: dict[int, list[_Mention]] = defaultdict(list)
        for mention in mentions:
            if not mention.venue:
                named[mention.hit.sentence].append(mention)
        zone = article.in_title | article.in_lead
        for topic, _, phrases, sentences in themes:
            if topic not in between:
                continue
            just_two = [s for s in sentences if {m.code for m in named[s]} == set(pair)]
            for sentence in just_two:
                if sentence in zone or len(just_two) >= 2:
                    names = [article.text[m.hit.start : m.hit.stop] for m in named[sentence]]
                    return [
                        (
                            f"relations:{pair[0]}-{pair[1]}",
                            article.zone_weight[sentence],
                            _distinct(names + phrases),
                            [sentence],
                        )
                    ]
        return []

    @staticmethod
    def _acts(mention: _Mention, actors: list[_Hit], article: _Article, nouns: bool) -> bool:
        """True when a mention names a state that acts or is acted on: a name, capital, leader or
        institution, a demonym next to a state actor ("Russian forces", "les forces russes") or
        right after an act ("struck the Yemeni port"), or, in a
        language that writes its demonym adjectives in small letters, a capitalised demonym:
        the people as a noun, news' shorthand for the state ("Rosjanie sugerują", "die Russen
        greifen an"), or a genitive of the name ("odcięcie Polski")."""
        if mention.kind != "demonym":
            return True
        hit = mention.hit
        if nouns and (
            hit.capitalised
            or (article.text[hit.start].isupper() and hit.start != article.starts[hit.sentence])
        ):
            return True
        if not actors:
            return False
        # An actor or an act right before a demonym is the demonym's state's, or acts on it:
        # "les frappes russes", "struck the Yemeni port", "expelled Russian diplomats".
        return any(
            a.sentence == hit.sentence
            and (
                0 <= a.start - hit.stop <= _ACTOR_AFTER or 0 <= hit.start - a.stop <= _ACTOR_BEFORE
            )
            for a in actors
        )

    # -- step 6: themes -----------------------------------------------------------------------

    def _themes(
        self,
        article: _Article,
        hits: list[_Hit],
        mentions: list[_Mention],
        paired: set[str],
        sports: bool,
        dated: list[_Hit],
        home: str | None = None,
    ) -> list[tuple[str, float, list[str], list[int]]]:
        """(topic, score, phrases, sentences) of each salient theme reaching its threshold.

        A theme between states needs `min_countries` named in its sentences, or a relation of
        the article (`paired`: its countries) to stand for them when those sentences name no
        other country: in a story about two states' talks, "the meeting lasted an hour" is
        theirs; "visits from Austria grew too" in a story on German tourists is not. The
        publisher's own state (`home`) named only by a bare office or by its own leaders'
        names does not count: a pardon by "President Bolsonaro" in a Brazilian paper is news
        at home. A sports story gets no theme between states (a match's "visit", a
        federation's "sanctions"). A theme between two states whose cue sentences name the two
        countries of a relation is salient through it, when it is the article's only theme."""
        countries_in: dict[int, set[str]] = defaultdict(set)
        named_in: dict[int, set[str]] = defaultdict(set)  # ... by name, not by a bare office
        for mention in mentions:
            countries_in[mention.hit.sentence].add(mention.code)
            if mention.kind != "home" and not (mention.kind == "person" and mention.code == home):
                named_in[mention.hit.sentence].add(mention.code)
        country_sentences = set(countries_in)
        # A cue inside a word of another sense is no cue: "Besucher" (visitors) holds "Besuch",
        # 外交部 (the foreign ministry, an office) holds 外交 (diplomacy).
        senses = [h for h in hits if h.kind is Match.OTHER_SENSE]
        found = []
        by_relation: set[str] = set()  # themes salient only through a relation of the article
        for index, theme in enumerate(self.taxonomy.themes):
            scored = self._score_theme(
                index, theme, article, hits, country_sentences, senses, dated
            )
            if scored is None:
                continue
            score, phrases, sentences, anchored, strong = scored
            # A lead sentence with a strong cue, naming the countries the theme needs.
            strong_lead = any(
                s in article.in_lead and len(countries_in.get(s, ())) >= max(1, theme.min_countries)
                for s in strong
            )
            if not anchored:
                continue  # only weak cues ("exercises", "war") without their context
            named = set().union(*(countries_in.get(s, set()) for s in sentences))
            # The relation's pair stands in only for sentences that name no other country.
            stand_in = bool(paired) and named <= paired
            if stand_in:
                named |= paired
            if theme.min_countries and sports:
                continue  # a match's "visit", a federation's "sanctions": no states act
            if len(named) < theme.min_countries:
                continue  # talks between no states: a union's, a sports team's, a treaty body's
            if theme.min_countries and not (stand_in or any(named_in.get(s) for s in sentences)):
                continue  # the publisher's own state alone: a pardon at home, a cabinet meeting
            salient = article.salient(sentences, theme.min_sentences)
            # A theme marked `lead_alone`, and diplomacy (a theme of two states), also from one
            # lead sentence with a strong cue naming the countries it needs: "arrived on a state
            # visit to Estonia", "carried out a prisoner swap" over a story of the day.
            salient = salient or (strong_lead and (theme.lead_alone or theme.min_countries >= 2))
            # A theme between two states also from a relation of the article: the two deal
            # with each other (`paired`), and the theme's cues name them. Not when another
            # theme is the story: talks toward a swap, a drill or a ceasefire are its means.
            if not salient and theme.min_countries >= 2 and len(named & paired) >= 2:
                salient = True
                by_relation.add(theme.id)
            if score >= theme.threshold and salient:
                found.append((theme.id, score, phrases, sentences))
        if any(topic not in by_relation for topic, *_ in found):
            found = [item for item in found if item[0] not in by_relation]
        # A theme that is the story drops the ones it `supersedes`: the talks behind a swap.
        given = {topic for topic, *_ in found}
        # Not one the title tells alone, by a strong cue: relations broken off over a pardon.
        titled = {
            self.taxonomy.themes[h.target].id
            for h in hits
            if h.kind is Match.CUE and h.sentence in article.in_title and h.weight >= _ACT_WEIGHT
        }
        superseded = {
            other
            for theme in self.taxonomy.themes
            if theme.id in given
            for other in theme.supersedes
            if theme.id in titled or other not in titled
        }
        return [item for item in found if item[0] not in superseded]

    def _score_theme(
        self,
        index: int,
        theme: Theme,
        article: _Article,
        hits: list[_Hit],
        country_sentences: set[int],
        senses: list[_Hit],
        dated: list[_Hit],
    ) -> tuple[float, list[str], list[int], bool, set[int]] | None:
        """(score, phrases, sentences with counted cues, best first, anchored, the sentences
        with a strong counted cue) of one theme, None without cues; cues inside a word of
        another sense (`senses`) are not counted. Anchored: some sentence has a strong cue, or
        a cue in context."""
        cues = self._longest(
            [
                h
                for h in hits
                if h.kind is Match.CUE and h.target == index and not _inside(h, senses)
            ]
        )
        if not cues:
            return None
        # A negative inside a longer cue ("fire drills" in "live-fire drills") does not count.
        negative = {
            h.sentence
            for h in hits
            if h.kind is Match.NEGATIVE
            and h.target == index
            and not any(
                c.start <= h.start and h.stop <= c.stop and c.stop - c.start > h.stop - h.start
                for c in cues
            )
        }
        context = {h.sentence for h in hits if h.kind is Match.CONTEXT and h.target == index}
        if theme.country_context:
            context |= country_sentences
        # A cue a background word (`dated`) introduces dates the sentence ("since the invasion
        # began").
        by_sentence: dict[int, dict[str, _Hit]] = defaultdict(dict)
        for hit in cues:
            if hit.sentence in article.past:
                continue  # history: "a prisoner swap in 2011", recalled in a story of today
            if any(d.sentence == hit.sentence and 0 <= hit.start - d.stop <= _DATED for d in dated):
                continue
            if hit.sentence not in negative:  # a negative context cancels the whole sentence
                by_sentence[hit.sentence].setdefault(hit.key, hit)
        score = 0.0
        values: dict[int, float] = {}
        counted: list[_Hit] = []
        strong: set[int] = set()
        for sentence, found in by_sentence.items():
            if any(h.weight >= _ACT_WEIGHT for h in found.values()):
                strong.add(sentence)
            value = sum(h.weight for h in found.values())
            value *= theme.context_factor if sentence in context else theme.bare_factor
            values[sentence] = value * article.zone_weight[sentence]
            score += values[sentence]
            counted += found.values()
        phrases = _distinct(article.text[h.start : h.stop] for h in _by_start(counted))
        anchored = bool(strong or set(values) & context)
        ordered = sorted(values, key=lambda s: (-values[s], s))
        return score, phrases, ordered, anchored, strong

    # -- the article --------------------------------------------------------------------------

    def tag(
        self,
        text: str,
        title: str | None = None,
        language: str | None = None,
        url: str | None = None,
    ) -> TagResult:
        """Topics, evidence and focus countries of an article (title optional, language an
        ISO 639-1 code or None for "match every language", url the page's address: its domain
        tells the publisher's country, whose offices news names without it)."""
        article = self._article(text, title, language)
        if article is None:
            return TagResult()
        hits = self._find(article)
        hits += self._inflected_hits(article, hits)
        hits += self._split_hits(article, hits)
        hits += self._lemma_hits(article, hits)
        hits += self._compound_hits(article, hits)
        hits += self._titled_people(article, hits)
        mentions = self._countries(article, hits)
        home = home_country(url, article.language, self._home_languages)
        mentions += self._home_mentions(
            article, hits, mentions, home if home in self._codes else None
        )
        countries, subjects = self._focus(article, mentions)
        mentions += self._pair_mentions(article, hits, mentions, subjects)
        sports = self._is_sport(article, hits)
        result = TagResult(countries=countries)
        # Background words that date a cue or an act ("since the invasion"), for every rule.
        dated = _dating_words(article, hits)
        relations = self._relations(article, hits, mentions, subjects, sports, countries, dated)
        # A language without interaction cues (Urdu) may have theme cues, whose strong ones make
        # a relation too: the title-and-lead rule adds a pair only when they did not.
        cued = {topic for topic, *_ in relations}
        relations += [
            found
            for found in self._uncued_relations(article, mentions, countries, sports)
            if found[0] not in cued
        ]
        relations = self._without_mediators(relations, hits, mentions)
        paired = {code for topic, *_ in relations for code in topic.split(":")[1].split("-")}
        themes = self._themes(article, hits, mentions, paired, sports, dated, home)
        if not relations:
            relations = self._theme_relations(article, mentions, countries, subjects, themes)
        for topic, score, phrases, sentences in themes + relations:
            result.topics.append(topic)
            result.evidence.append(
                {
                    "topic": topic,
                    "score": round(score, 3),
                    "phrases": phrases,
                    "sentences": [article.sentence(s) for s in sentences[:_MAX_SENTENCES]],
                }
            )
        return result

    def _is_sport(self, article: _Article, hits: list[_Hit]) -> bool:
        """True for a sports story: sports words in the title or in a third of the sentences
        (national teams play each other; countries do not deal with each other there)."""
        words: dict[int, set[str]] = defaultdict(set)
        for hit in hits:
            if hit.kind is Match.SPORT:
                words[hit.sentence].add(hit.key)
        needed = self.taxonomy.gazetteer.sports_min_context
        sentences = {s for s, keys in words.items() if len(keys) >= needed}
        if sentences & article.in_title:
            return True
        return len(sentences) >= 2 and len(sentences) * 3 >= len(article.starts)


# A dateline: a place in capitals, maybe its country, maybe the agency, then a dash.
_DATELINE = re.compile(
    r"[^\W\d_]{2,}(?:[ .'-]+[^\W\d_]+){0,3}"  # HANOI, KHAN YOUNIS
    r"(?:,[^,()\n—–]{2,40})?"  # , Vietnam
    r"\s*(?:\([^()\n]{1,30}\))?"  # (AP)
    r"\s*[—–-]{1,2}\s"
)


def _war_place(folded: str, hit: _Hit, standing: list[_Hit]) -> bool:
    """True for a country named as where a war or conflict is ("the war in Ukraine", "rat u
    Ukrajini", "Krieg in der Ukraine", "guerre en Ukraine"): a place, not a party (a reason
    clause, "over the war in Ukraine", makes no relation)."""
    for word in standing:
        if word.sentence != hit.sentence or not 0 < hit.start - word.stop <= _WAR_GAP:
            continue
        between = folded[word.stop + 1 : hit.start + 1].split()
        if (
            1 <= len(between) <= 2
            and between[0] in _WAR_IN
            and (len(between) == 1 or between[1] in _WAR_IN_ARTICLES)
        ):
            return True
    return False


def _phrase_reach(text: str, stop: int, words: int) -> int:
    """Where the `words` words after `stop` end (the rest of the word at `stop` is not counted),
    or the first stop or comma before that."""
    end = _REST_OF_WORD.match(text, stop).end()
    for _ in range(words):
        match = _NEXT_WORD.match(text, end)
        if match is None:
            break
        end = match.end()
    return end


def _dating_words(article: _Article, hits: list[_Hit]) -> list[_Hit]:
    """The background words ("since", "depuis", "seit") that date the act after them; not one
    that measures a span, where it means "for": "held in Burkina Faso for more than a year
    (depuis plus d'un an) were freed" dates nothing."""
    return [
        h
        for h in hits
        if h.kind is Match.BACKGROUND
        and not (
            article.language in _DURATION
            and _DURATION[article.language].match(article.text, h.stop, h.stop + _DATED)
        )
    ]


def _same_state(pairs: Iterable[tuple[str, str]]) -> set[frozenset[str]]:
    """The pairs never related: each territory with its state, and two territories of one state
    with each other (Aruba and Curaçao, both in the Kingdom of the Netherlands)."""
    territories: dict[str, set[str]] = defaultdict(set)
    for state, territory in pairs:
        territories[state].add(territory)
    same = {frozenset(pair) for pair in pairs}
    for held in territories.values():
        same |= {frozenset(pair) for pair in combinations(sorted(held), 2)}
    return same


@functools.lru_cache(maxsize=4096)
def _spoken_in(language: str, code: str) -> bool:
    """True when CLDR counts the language among the country's: official there (regionally too)
    or spoken by a twentieth of its people."""
    try:
        info = get_territory_language_info(code.upper())
    except (KeyError, ValueError):
        return False
    return any(
        key.split("_")[0] == language
        and (entry.get("official_status") or entry.get("population_percent", 0) >= 5)
        for key, entry in info.items()
    )


# What may follow a country's name or demonym inside an Arabic-script word: the nisba and its
# endings (العراقية, الأمريكيين), an attached pronoun (روسياها), Persian -i and plurals (ایرانی,
# ایرانیان); anything else makes another word ("عراقيل", obstacles; "عراقچی", a surname).
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")
_ARABIC_ENDINGS = {
    "", "ي", "ى", "ة", "ه", "ها", "هم", "هما", "ية", "يه", "يا", "ين", "ون", "يين", "يون", "يان",
    "ان", "ات", "يات", "ی", "یان", "ییان", "های", "ای", "یه", "يتين", "يتان",
}  # fmt: skip


def _country_hit(
    article: _Article, target: tuple[str, str], start: int, stop: int, key: str
) -> _Hit:
    """A country mention found by a rule step rather than the automaton (an abbreviation, a
    titled person): a whole-word hit in the sentence holding `start`."""
    sentence = bisect.bisect_right(article.starts, start) - 1
    return _Hit(Match.COUNTRY, target, 0.0, start, stop, sentence, key, True)


def _compound_head(before: str, after: int) -> bool:
    """True when a cue found inside a word, with the letters `before` in front of it and
    `after` letters behind it, is the word's last part: a compound, not a prefixed word, a
    participle ("eingeliefert", "ingeleverd") or a longer part."""
    return len(before) >= _COMPOUND_PART and after <= _COMPOUND_ENDING and before[-2:] != "ge"


# What Arabic writes onto a word a cue stands in: "and", "so", "with", "for", "like", "will" and
# the article before it ("والهجوم", "بالقصف"), pronouns, case, feminine and plural endings after
# it ("هاجمها", "اتهموا", "الثنائية", "اجتماعًا"). A cue inside a longer stem is none: "اتهم"
# in "علاقاتهما"; "زار" (visited) in "وزارة" (ministry) is the taxonomy's other sense.
_ARABIC_PROCLITICS = {
    "", "و", "ف", "ب", "ل", "ك", "س", "ال", "وال", "فال", "بال", "كال", "لل", "ولل", "وب", "ول",
    "فب", "فل", "وس", "وك",
}  # fmt: skip
_ARABIC_CUE_ENDINGS = {
    "", "ت", "تا", "وا", "ا", "ه", "ها", "هم", "هما", "ات", "ان", "ين", "ون", "ي", "ية", "يه",
    "تها", "ته", "تهم", "نا", "كم", "ة", "يات", "ًا", "اً", "ً", "ٌ", "ٍ", "يا", "ياً", "يًا", "تين",
    "تان", "اته", "اتها",
}  # fmt: skip


# Persian and Urdu write words apart (a zero-width non-joiner before a suffix folds to a space:
# "تحریم‌ها"), but many suffixes also join the word: plural, -i, ezafe and pronouns in Persian
# ("تحریمها", "همتایش", "متحدان"), oblique and plural endings in Urdu ("حملوں", "پابندیاں").
# Nothing else may: "کمین" (ambush) is no cue in "کمینه" (minimum), nor "جنگ" (war) in "جنگل"
# (forest). Persian -e and -an make participles and infinitives of a past stem ("فراخوانده",
# "آزاد شدن"), so they follow a cue ending in د or ت only.
_PERSIAN_CUE_ENDINGS = {
    "", "ی", "ای", "یی", "ئی", "ها", "های", "هایی", "هایش", "هایشان", "هاست", "ان", "یان", "ات",
    "ین", "ش", "اش", "شان", "یش", "یشان", "م", "ام", "مان", "ت", "تان", "ند", "ید", "یم", "اند",
    "ایم", "تر", "ترین", "ست", "است", "ء",
}  # fmt: skip
_PERSIAN_STEM_ENDINGS = {"ه", "ن"}
_URDU_CUE_ENDINGS = {
    "", "ی", "ے", "ا", "یں", "وں", "ؤں", "ئیں", "ئی", "ئے", "یاں", "اں", "یوں", "ات", "نا", "نے",
    "نی", "تا", "تے", "تی", "یا", "دیا", "دی", "دیے", "دیں", "گا", "گی", "گے",
}  # fmt: skip
# Per language: what may stand before a cue in its word, and what may follow it.
_CLITICS = {
    "ar": (_ARABIC_PROCLITICS, _ARABIC_CUE_ENDINGS),
    "fa": (frozenset({"", "می", "نمی"}), _PERSIAN_CUE_ENDINGS),
    "ur": (frozenset({""}), _URDU_CUE_ENDINGS),
}
_MARKS = re.compile(r"[\u064b-\u065f\u0670]")  # short vowels and the hamza written over a letter


def _arabic_cue_word(language: str, folded: str, start: int, stop: int) -> bool:
    """True when a cue found at `folded[start:stop]` in an Arabic, Persian or Urdu article
    stands in its word with nothing but that language's clitics and endings around it."""
    before = folded[folded.rfind(" ", 0, start) + 1 : start]
    proclitics, endings = _CLITICS[language]
    if before not in proclitics:
        return False
    rest = _rest_of_word(folded, stop)
    if language != "ar":
        rest = _MARKS.sub("", rest)
    if rest in endings:
        return True
    return language == "fa" and folded[stop - 1] in "دت" and rest in _PERSIAN_STEM_ENDINGS


def _rest_of_word(folded: str, stop: int) -> str:
    """What follows `folded[:stop]` up to the end of its word."""
    end = folded.find(" ", stop)
    return folded[stop : end if end >= 0 else len(folded)]


def _arabic_ending(folded: str, stop: int) -> bool:
    """True when the rest of the word at `folded[stop:]` is an ending a name may take (always
    true outside the Arabic script)."""
    if stop >= len(folded) or not _ARABIC_SCRIPT.match(folded, stop - 1):
        return True
    return _rest_of_word(folded, stop) in _ARABIC_ENDINGS


def _says_something(sentence: str) -> bool:
    """True for a sentence of four words or more (ten characters in a script without spaces):
    shorter lines are a page's furniture or a section name."""
    if _UNSPACED.search(sentence):
        return len(sentence.strip()) >= 10
    return len(_WORD.findall(sentence)) >= 4


def _dateline_end(article: _Article) -> tuple[int, int]:
    """(start, end) of the lead's dateline ("HANOI, Vietnam (AP) — ", "KYIV (Reuters) - "),
    (0, 0) without one: the place a story was filed from is where, not who."""
    for sentence in sorted(article.in_lead):
        start = article.starts[sentence]
        match = _DATELINE.match(article.text, start)
        if match and article.text[start : start + 3].isupper():
            return start, match.end()
    return 0, 0


_YEAR = re.compile(r"[12]\d{3}")
_PAST_YEARS = 10  # a sentence whose years are all this much older than the newest is history


def _past_sentences(text: str, starts: list[int]) -> set[int]:
    """Sentences about the past: every year they name is `_PAST_YEARS` or more before the newest
    year the article names ("annexed in 1938" in a story of 2016). Without two years apart,
    none: a story naming only "1938" may be about 1938."""
    years: dict[int, list[int]] = defaultdict(list)
    size = len(text)
    for match in _YEAR.finditer(text):
        start, stop = match.span()
        year = int(match.group())
        if not 1800 <= year <= 2099:
            continue
        # A year stands alone: not part of a longer number, a price or a date like 12.1999.
        if start and (text[start - 1].isdigit() or text[start - 1] in ".,/:-"):
            continue
        if stop < size and (
            text[stop].isdigit() or (text[stop] in ".,/:" and text[stop + 1 : stop + 2].isdigit())
        ):
            continue
        years[bisect.bisect_right(starts, start) - 1].append(year)
    if not years:
        return set()
    newest = max(max(found) for found in years.values())
    return {s for s, found in years.items() if max(found) <= newest - _PAST_YEARS}


# After a compound written as a word (한미): a letter that goes on with the word, unless it is one
# particle ending it (한미는, 한미의, 한미간).
# One Chinese character with no other next to it (a Korean abbreviation of a country).
_LONE_HANJA = re.compile(r"(?<![\u3400-\u9fff])[\u3400-\u9fff](?![\u3400-\u9fff])")
_KOREAN_WORD_GOES_ON = re.compile(r"(?![는은가의와과도간에])\w|[는은가의와과도간에]\w")


@functools.lru_cache(maxsize=256)
def _particle_pattern(particle: str) -> re.Pattern:
    return re.compile(
        rf"(?<!\w){re.escape(particle)}(?=\s*(?:[,.;:!?»«“”„\"'()\[\]–—]|$))", re.IGNORECASE
    )


def _particle_closes(particle: str, window: str) -> bool:
    """True when the particle stands as a word at the end of a clause in the window."""
    return bool(_particle_pattern(particle).search(window))


_JOINTS = "-‑–·・"  # what joins the two countries of a bilateral name: 한-베트남, 日・ベトナム


def _abbreviations_joined_to_names(
    article: _Article, codes: dict[str, str], whole_word: bool, hits: list[_Hit]
) -> list[_Hit]:
    """The country of an abbreviation joined by a hyphen or a middle dot to another country's
    full name: "한-베트남 외교장관 대화" (the Korea-Vietnam foreign ministers' dialogue),
    "日・ベトナム首脳会談". Not a letter that ends a longer word ("독일-베트남": 일 is
    Germany's last letter), nor one inside a name already found."""
    text = article.text
    names = [h for h in hits if h.kind is Match.COUNTRY]
    found = []
    for name in names:
        for abbreviation, code in codes.items():
            size = len(abbreviation)
            before = name.start - 1 - size
            after = name.stop + 1
            for begin, joint, outside in (
                (before, name.start - 1, before - 1),
                (after, name.stop, after + size),
            ):
                if begin < 0 or text[begin : begin + size] != abbreviation:
                    continue
                if text[joint] not in _JOINTS or code == name.target[0]:
                    continue
                if whole_word and 0 <= outside < len(text) and text[outside].isalnum():
                    continue
                if any(h.start < begin + size and begin < h.stop for h in names):
                    continue
                key = "abbreviation:" + abbreviation
                found.append(_country_hit(article, (code, "name"), begin, begin + size, key))
    return found


def _compound_pattern(rules: Compounds) -> tuple[re.Pattern, Compounds, dict[str, str]]:
    """(pattern, rules, abbreviation -> code) of a language's compounds: two abbreviations,
    maybe joined by a hyphen or a middle dot, found at every place (overlapping: 中美俄)."""
    codes = dict(rules.abbreviations)
    alternatives = "|".join(re.escape(a) for a in sorted(codes, key=len, reverse=True))
    pattern = re.compile(rf"(?=({alternatives})([{_JOINTS}/]?)({alternatives}))")
    return pattern, rules, codes


def _compile(entries: dict[str, list[_Entry]]) -> ahocorasick.Automaton:
    """An Aho-Corasick automaton of the keys, each with its phrase core and its entries."""
    automaton = ahocorasick.Automaton()
    for key, found in entries.items():
        automaton.add_word(key, (key.strip(), tuple(found)))
    automaton.make_automaton()
    return automaton


def _cue_between(
    left: list[_Mention],
    right: list[_Mention],
    cues: dict[str, _Hit],
    others: list[_Mention] = (),
) -> bool:
    """True when an interaction cue stands between a mention of each country, close together,
    and no other country's mention stands between the cue and either of them: "Britain
    sanctions Iranian officials" (in a sentence that also names Russia), not Moldova and
    Ukraine in "Moldova imposes sanctions on Russia over the war in Ukraine"."""
    for a in left:
        for b in right:
            first, second = (a.hit, b.hit) if a.hit.start < b.hit.start else (b.hit, a.hit)
            if second.start - first.stop > _CLOSE:
                continue
            for c in cues.values():
                if not (first.stop <= c.start and c.stop <= second.start):
                    continue
                if not any(
                    first.stop <= m.hit.start < c.start or c.stop <= m.hit.start < second.start
                    for m in others
                ):
                    return True
    return False


def _by_start(hits: Iterable[_Hit]) -> list[_Hit]:
    return sorted(hits, key=lambda h: h.start)


def _inside(hit: _Hit, spans: list[_Hit]) -> bool:
    """True when the hit lies within one of the spans, in its sentence."""
    return any(s.start <= hit.start and hit.stop <= s.stop for s in spans)


_NAME_WORDS = 2  # words between a hyphenated pair and the noun that names their conflict


def _named_conflicts(article: _Article, hits: list[_Hit], mentions: list[_Mention]) -> list[_Hit]:
    """The standing cues ("conflict", "war", "dispute") that name a conflict after a hyphenated
    pair of countries: within two words after it ("the Israeli-Palestinian conflict", "der
    russisch-ukrainische Krieg", "the US-China trade war") or right before it ("le conflit
    israélo-palestinien", "konflikt polsko-rosyjski"). They name a state of affairs, as a
    topic or a background; they do not say what one did to the other."""
    standing = sorted((h for h in hits if h.kind is Match.STANDING), key=lambda h: h.start)
    if not standing:
        return []
    text = article.text
    found = []
    ordered = sorted(mentions, key=lambda m: m.hit.start)
    starts = [h.start for h in standing]
    for left, right in pairwise(ordered):
        if left.code == right.code or not _COMPOUND_JOIN.match(
            text[left.hit.stop : right.hit.start]
        ):
            continue
        after = bisect.bisect_left(starts, right.hit.stop)
        if after < len(standing):
            between = text[right.hit.stop : standing[after].start]
            if len(between.split()) <= _NAME_WORDS and not re.search(r"[^\w\s-]", between):
                found.append(standing[after])
        before = bisect.bisect_right(starts, left.hit.start) - 1
        if before >= 0 and not text[standing[before].stop : left.hit.start].strip():
            found.append(standing[before])
    return found
