"""The country gazetteer: every ISO 3166-1 country under the names news uses, in many languages.

Three sources. pycountry gives each country's ISO name, official name and common name, in English
and, through the gettext catalogues it ships, in Russian and German. Babel gives CLDR's territory
names in every language of `NAME_LANGUAGES` ("Russie", "Rosja", "ロシア"), read from the copy in
`schemas/cldr_names.json` (see `name_forms.py`) rather than Babel's locale data.
`schemas/gazetteer.json` adds what news writes instead: demonyms, capitals standing for
governments ("Minsk said"), institutions ("the Kremlin"), long-serving leaders, Russian case
forms, and the rules that keep Georgia the US state, turkey the bird and the Washington Capitals
out of the country list; and, per language, the compounds Chinese, Japanese and Korean make of
two countries' one-letter abbreviations (中美, 日韓, 한미: `Compounds`).
Inflected forms of single-word names in other languages ("Rosji", "Ukrajině") are precomputed
from simplemma's dictionaries (`name_forms.py`); Hebrew names get their one-letter prepositions
(בישראל), Romanian ones a spelling without diacritics (Bucuresti) and Polish and Czech demonyms
their masculine personal plural (rosyjscy, ruští) here.

Pure code, no Beam: `load_gazetteer()` returns plain data the tagger compiles into its automaton.
"""

from __future__ import annotations

import gettext
import json
import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import pycountry
from babel import Locale
from babel.core import UnknownLocaleError

from newsbeam.transforms.files import (
    DATA_FILE_MAX_BYTES,
    NotAFile,
    read_setting_file,
    read_setting_text,
)

__all__ = [
    "GENITIVE_S",
    "KINDS",
    "LATIN",
    "LATIN_SCRIPT",
    "NAME_LANGUAGES",
    "Alias",
    "AmbiguityRule",
    "Compounds",
    "Gazetteer",
    "GazetteerError",
    "cldr_names",
    "fold",
    "gazetteer_bytes",
    "hebrew_word_forms",
    "load_gazetteer",
    "phrase_key",
    "russian_forms",
    "written_form",
]

_LOGGER = logging.getLogger(__name__)

KINDS = ("names", "demonyms", "capitals", "people", "institutions")
_KIND_OF = {
    "names": "name",
    "demonyms": "demonym",
    "capitals": "capital",
    "people": "person",
    "institutions": "institution",
}
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
# The language key "latn" in a country's entry: every language written in the Latin script
# (a leader's surname is written the same in all of them: "Orbán", "Bolsonaro").
LATIN = "latn"
LATIN_SCRIPT = frozenset(
    [
        "en",
        "de",
        "fr",
        "es",
        "it",
        "pt",
        "nl",
        "pl",
        "cs",
        "sk",
        "sv",
        "da",
        "no",
        "nb",
        "nn",
        "fi",
        "hu",
        "ro",
        "hr",
        "bs",
        "sl",
        "sr",
        "tr",
        "id",
        "ms",
        "vi",
        "lt",
        "lv",
        "et",
        "ca",
        "is",
        "sq",
        "sw",
        "ga",
        "cy",
        "mt",
        "af",
        "eu",
        "gl",
        "tl",
        "az",
        "uz",
    ]
)
# The languages whose CLDR country names are loaded: the major news languages of Europe and Asia,
# Chinese in its traditional script and Serbian in its Latin script too.
NAME_LANGUAGES = (
    "ar", "bg", "bn", "bs", "ca", "cs", "da", "de", "el", "en", "es", "et", "fa", "fi", "fr", "he",
    "hi", "hr", "hu", "id", "is", "it", "ja", "ka", "kk", "ko", "lt", "lv", "mk", "ms", "nb", "nl",
    "nn", "no", "pl", "pt", "ro", "ru", "sk", "sl", "sq", "sr", "sr_Latn", "sv", "sw", "th", "tr",
    "uk", "ur", "vi", "zh", "zh_Hant", "az", "be", "hy", "uz",
)  # fmt: skip
# A locale of `NAME_LANGUAGES` that is a script of a language: its names are that language's
# (Chinese news is written in either script, Serbian news in Cyrillic or Latin, and language
# identification says "zh" and "sr" for both).
_LOCALE_LANGUAGE = {"zh_Hant": "zh", "sr_Latn": "sr"}
# The combining marks of scripts that write vowels as marks (Devanagari and Bengali vowel signs,
# Hebrew points, Arabic vowels, Thai) are part of their word: "मुलाकात" stays one word, not
# "म ल क त". The general diacritics (U+0300-U+036F: a Russian stress mark) still end a word.
_MARKS = "".join(
    chr(c) for c in range(0x370, 0x10000) if unicodedata.category(chr(c)).startswith("M")
)
_NON_WORD = re.compile(f"[^\\w{re.escape(_MARKS)}]|_")
_STATE_WORDS = {
    "republic", "state", "states", "province", "kingdom", "federation", "plurinational",
    "islamic", "bolivarian", "united", "democratic", "federated", "people's", "republik", "staat",
    "staaten", "provinz", "volksrepublik", "föderierte", "vereinigte", "plurinationaler",
    "islamische", "bolivarische", "arabische", "demokratische", "chinesische",
}  # fmt: skip
_RULE_KEYS = {
    "id", "code", "aliases", "person", "needs_support", "support", "support_codes", "block",
    "not_before", "not_after", "languages",
}  # fmt: skip
_TOP_KEYS = {
    "version", "about", "countries", "stop_phrases", "ambiguous", "not_after_any", "sports",
    "venue_prepositions", "compounds",
}  # fmt: skip
_COMPOUND_KEYS = {"abbreviations", "followers", "whole_word", "needs_follower"}
# Priority of a source when two give the same phrase to different countries: the data file wins
# over pycountry, pycountry's own names over the short forms derived from them ("Korea, Republic
# of" -> "Korea"); a tie at the same level drops the phrase as ambiguous.
_FROM_FILE, _FROM_ISO, _DERIVED = 3, 2, 1


_COMMA_LETTERS = str.maketrans({"ş": "ș", "ţ": "ț", "Ş": "Ș", "Ţ": "Ț"})


class GazetteerError(ValueError):
    """The gazetteer file is unusable; the message is one line naming the problem."""


def fold(text: str) -> str:
    """Text as the matcher sees it: lower case, ё as е, Romanian ș and ț as ş and ţ, every
    character that is neither a word character nor a combining mark a space.

    Romanian is written with the comma-below letters and, on many sites still, with the older
    cedilla ones ("Franța", "Franţa"); Turkish has only the cedilla ones.
    The result has exactly the length of `text`, so offsets into it are offsets into `text`.
    """
    low = text.lower()
    if len(low) != len(text):  # a few characters (İ) lower-case to two; keep offsets aligned
        low = "".join(c.lower()[0] for c in text)
    # str.replace, not str.translate: a thousand times faster on a whole article
    return _NON_WORD.sub(" ", low.replace("ё", "е").replace("ș", "ş").replace("ț", "ţ"))


def dictionary_spelling(word: str, language: str) -> str:
    """A word as simplemma's dictionary of `language` spells it: Romanian words with the
    comma-below letters (`fold` gives the cedilla ones)."""
    return word.translate(_COMMA_LETTERS) if language == "ro" else word


def written_form(phrase: str) -> str:
    """A phrase without its `*` ends, folded as written: a stop or comma before a space stays
    two spaces ("EE. UU." -> "ee  uu"), as it does in a folded text."""
    return fold(phrase.strip("*").replace("\u0301", "")).strip()


def phrase_key(phrase: str) -> tuple[str, bool, bool]:
    """(folded core, its spaces collapsed; open on the left, open on the right) of a phrase
    written with `*` ends."""
    return " ".join(written_form(phrase).split()), phrase.startswith("*"), phrase.endswith("*")


@dataclass(frozen=True)
class Alias:
    """One surface form of a country. `code` is ISO alpha-2 lower case, "" for a stop phrase
    (a phrase that claims its words for nothing: "New Mexico", "Guinea pig")."""

    phrase: str
    code: str
    language: str
    kind: str  # name, demonym, capital, person, institution, stop


@dataclass(frozen=True)
class AmbiguityRule:
    """When a mention of one of `aliases` does not mean country `code`.

    A mention is dropped when: a `not_before` phrase ends right before it or a `not_after` phrase
    starts right after it; `person` and it sits next to a capitalised name ("Michael Jordan",
    "Chad Smith"); a `block` phrase is in its sentence; a `block` phrase is elsewhere in the
    article and nothing supports the country; or `needs_support` and nothing supports it.
    Support is a `support` phrase, a country of `support_codes`, or an unambiguous mention of
    the same country anywhere in the article. A rule with `languages` holds only in articles in
    those languages ("Mali" is also "small" in Croatian, Serbian and Slovenian).
    """

    id: str
    code: str
    aliases: tuple[str, ...]
    person: bool = False
    needs_support: bool = False
    support: tuple[str, ...] = ()
    support_codes: tuple[str, ...] = ()
    block: tuple[str, ...] = ()
    not_before: tuple[str, ...] = ()
    not_after: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Compounds:
    """How one language joins two countries' one-letter abbreviations into one word: 中美 (China
    and the US), 日韓, 한미. `abbreviations` maps each abbreviation to its country. A compound
    names both countries when a hyphen or a middle dot joins the two (韓-中, 美·中), when one of
    the `followers` comes right after it (中美关系, 日中首脳, 한중 외교장관), or, where
    `whole_word`, when it stands alone as a word (한미, 북한 ...), unless it is one of
    `needs_follower` (북미 is also North America)."""

    abbreviations: tuple[tuple[str, str], ...]  # (abbreviation, code)
    followers: tuple[str, ...] = ()
    whole_word: bool = False
    needs_follower: tuple[str, ...] = ()


@dataclass(frozen=True)
class Gazetteer:
    """Every alias with its country, and the context rules the tagger applies to mentions."""

    version: str
    source: str
    aliases: tuple[Alias, ...]
    rules: tuple[AmbiguityRule, ...] = ()
    not_after_any: tuple[str, ...] = ()
    sports_context: tuple[tuple[str, str], ...] = ()  # (language, phrase)
    sports_teams: tuple[tuple[str, str], ...] = ()
    sports_min_context: int = 2
    venue_prepositions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    compounds: dict[str, Compounds] = field(default_factory=dict)  # language -> its compounds

    @property
    def codes(self) -> frozenset[str]:
        """The countries the gazetteer can name."""
        return frozenset(a.code for a in self.aliases if a.code)


# -- Russian and German forms -------------------------------------------------------------------

_HUSHING = set("жшчщц")
_VELAR_HUSHING = set("гкхжшчщ")
_OBLIQUE_ENDINGS = ("ой", "ом", "ем", "ам", "ах", "ами", "ов", "ою")


def russian_forms(word: str) -> list[str]:
    """A Russian single-word place name with its case forms (a heuristic good for names).

    Минск -> Минска, Минску, Минске, Минском; Польша -> Польши, Польше, Польшу, Польшей;
    Германия -> Германии, Германию, Германией; Нидерланды -> Нидерландов...; Того, Чили, Баку are
    indeclinable. Names with a fleeting vowel (Египет -> Египта) are listed in the data instead.
    """
    if not word or " " in word or not word[-1].isalpha() or word.isupper():
        return [word]  # phrases and acronyms (США, КНДР) are written out in the data
    if len(word) > 4 and word.lower().endswith(_OBLIQUE_ENDINGS):
        return [word]  # already a case form the data lists (Америкой, Трампом)
    last = word[-1].lower()
    stem = word[:-1]
    if word.lower().endswith("ия"):
        base = word[:-2]
        return [word, base + "ии", base + "ию", base + "ией"]
    if last == "я":
        return [word, stem + "и", stem + "е", stem + "ю", stem + "ей"]
    if last == "а":
        genitive = stem + ("и" if stem[-1:].lower() in _VELAR_HUSHING else "ы")
        instrumental = stem + ("ей" if stem[-1:].lower() in _HUSHING else "ой")
        return [word, genitive, stem + "е", stem + "у", instrumental]
    if last == "ь":  # masculine (Израиль) or feminine (Беларусь): both sets, the wrong one is inert
        return [word, stem + "я", stem + "ю", stem + "е", stem + "ем", stem + "и", stem + "ью"]
    if last == "й":
        return [word, stem + "я", stem + "ю", stem + "е", stem + "ем"]
    if last == "ы":
        return [word, stem, stem + "ов", stem + "ам", stem + "ах", stem + "ами"]
    if last in "оуеюэиі":
        return [word]
    ending = "ем" if last in _HUSHING else "ом"
    return [word, word + "а", word + "у", word + "е", word + ending]


def _german_forms(word: str) -> list[str]:
    """A German name with its genitive -s (Russlands, Chinas)."""
    if " " in word or "-" in word or word[-1:].lower() in "sßxz":
        return [word]
    return [word, word + "s"]


# Hebrew writes "in", "to", "from", "and", "that" as letters glued to the next word (בישראל,
# לישראל, מישראל, וישראל): a name takes them, alone or after "and" (ובישראל).
_HEBREW_PREFIXES = ("ב", "ל", "מ", "ו", "ש", "וב", "ול", "ומ", "וש", "שב", "של", "שמ")
# Hebrew names that are also common words (פרו "they multiplied", הודו "they thanked", מאלי
# "by itself"): their glued forms would be those words' more often than the country's.
_HEBREW_NO_PREFIX = {"פרו", "הודו", "מאלי"}
# Romanian names written without their diacritics (Bucuresti, Romania), as many sites do; not
# demonyms ("român" would be "roman", a novel).
_ROMANIAN_PLAIN = str.maketrans("ăâîșşțţĂÂÎȘŞȚŢ", "aaissttAAISSTT")


# Languages that make a name's genitive with -s (Sveriges, Rysslands, Moskvas): a rule of the
# language, not a dictionary entry. A name already ending in s, x or z takes no second one
# (Swedish "Paris borgmästare", Danish "Paris' borgmester"). A name of several words takes it on
# its last ("Sør-Koreas", "Förenta staternas") here; single-word names get theirs with the
# other inflected forms (`name_forms.py`), keeping the name as the key its rules are written for.
GENITIVE_S = frozenset({"sv", "da", "nb", "no", "nn"})


def _genitive_s(phrase: str) -> list[str]:
    words = phrase.replace("-", " ").split()
    if len(words) < 2 or phrase[-1:].lower() in "sxz" or not phrase[-1:].isalpha():
        return [phrase]
    return [phrase, phrase + "s"]


# A Hebrew common noun or verb takes the article too (הביקור, "the visit"; שהסכם).
_HEBREW_CUE_PREFIXES = ("ו", "ה", "ב", "ל", "ש", "מ", "וה", "וב", "ול", "שה")


def _hebrew_forms(phrase: str) -> list[str]:
    """A Hebrew name with the one-letter prepositions and conjunctions written onto it."""
    if phrase in _HEBREW_NO_PREFIX:
        return [phrase]
    return [phrase] + [prefix + phrase for prefix in _HEBREW_PREFIXES]


def hebrew_word_forms(phrase: str) -> list[str]:
    """A Hebrew word or phrase (an interaction cue) with the article, prepositions and
    conjunctions written onto its first word: ביקור, לביקור, והביקור."""
    if phrase.startswith("*"):
        return [phrase]  # open on the left: it takes any prefix already
    return [phrase] + [prefix + phrase for prefix in _HEBREW_CUE_PREFIXES]


# Polish and Czech adjectives change their stem's last consonants in the masculine personal
# plural, where a demonym's prefix no longer matches: "rosyjsk*" misses "rosyjscy" (Russian, of
# soldiers or leaders), "americk*" misses "američtí".
_PERSONAL_PLURAL = {
    "pl": (("sk*", "scy"), ("ck*", "ccy")),
    "cs": (("sk*", "ští"), ("ck*", "čtí")),
}


def _inflect(phrase: str, language: str, kind: str) -> list[str]:
    if kind == "demonym" and language in _PERSONAL_PLURAL:
        for ending, plural in _PERSONAL_PLURAL[language]:
            if phrase.endswith(ending) and len(phrase) > len(ending) + 1:
                return [phrase, phrase[: -len(ending)] + plural]
    if "*" in phrase or kind not in ("name", "capital"):
        return [phrase]
    if language == "ro":
        plain = phrase.translate(_ROMANIAN_PLAIN)
        return [phrase] if plain == phrase else [phrase, plain]
    if language == "ru":
        return russian_forms(phrase)
    if language == "de" and kind == "name":
        return _german_forms(phrase)
    if language == "he":
        return _hebrew_forms(phrase)
    if language in GENITIVE_S:
        return _genitive_s(phrase)
    return [phrase]


# -- pycountry names ----------------------------------------------------------------------------


def _name_variants(name: str) -> list[tuple[str, int]]:
    """An ISO name as news would write it: "Korea, Republic of" -> "Republic of Korea";
    "Iran, Islamic Republic of" -> "Islamic Republic of Iran" and the derived short "Iran"."""
    name = re.sub(r"\s*\([^)]*\)", "", name.replace("\u0301", "")).strip()
    name = re.sub(r"^(the|The)\s+", "", name)
    if ", " not in name:
        return [(name, _FROM_ISO)]
    head, tail = name.split(", ", 1)
    variants = [(head, _DERIVED)]
    words = tail.split()
    # "Korea, Republic of" and "Korea, Republik" read back as "Republic of Korea", "Republik
    # Korea"; "Taiwan, Province of China" and "Bonaire, Sint Eustatius and Saba" do not.
    if words[-1] in ("of", "the", "von") or (len(words) <= 3 and words[-1].lower() in _STATE_WORDS):
        reordered = re.sub(r"^(the|The)\s+", "", f"{tail} {head}")
        variants.append((reordered, _FROM_ISO))
    return variants


def _iso_aliases() -> list[tuple[Alias, int]]:
    """Every country's ISO names in English, and their Russian and German translations."""
    catalogues = {
        language: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
        for language in ("ru", "de")
    }
    found: list[tuple[Alias, int]] = []
    for country in pycountry.countries:
        code = country.alpha_2.lower()
        names = [
            n
            for n in (
                country.name,
                getattr(country, "official_name", None),
                getattr(country, "common_name", None),
            )
            if n
        ]
        for name in names:
            for variant, priority in _name_variants(name):
                found.append((Alias(variant, code, "en", "name"), priority))
            for language, catalogue in catalogues.items():
                translated = catalogue.gettext(name)
                if translated == name and language != "de":
                    continue  # untranslated: the English name is already there
                for variant, priority in _name_variants(translated):
                    for form in _inflect(variant, language, "name"):
                        found.append((Alias(form, code, language, "name"), priority))
    return found


def cldr_names() -> dict[str, dict[str, str]]:
    """CLDR's territory names (language -> {territory: name}) for `NAME_LANGUAGES`, read
    through Babel (a few tenths of a second: `schemas/cldr_names.json` keeps a copy)."""
    names: dict[str, dict[str, str]] = {}
    for language in NAME_LANGUAGES:
        try:
            names[language] = dict(Locale.parse(language).territories)
        except (UnknownLocaleError, ValueError):  # an older Babel without the locale
            continue
    return names


def _bundled_cldr_names() -> dict[str, dict[str, str]]:
    """The copy of CLDR's names in `schemas/cldr_names.json` (written with the name forms by
    `python -m newsbeam.transforms.name_forms`), or Babel's when the file is missing."""
    ref = resources.files("newsbeam.schemas").joinpath("cldr_names.json")
    try:
        return json.loads(ref.read_text(encoding="utf-8"))["names"]
    except FileNotFoundError:
        return cldr_names()


def _babel_aliases(known: set[str]) -> list[tuple[Alias, int]]:
    """CLDR's name of every ISO country in each of `NAME_LANGUAGES`."""
    found: list[tuple[Alias, int]] = []
    for locale, territories in _bundled_cldr_names().items():
        language = _LOCALE_LANGUAGE.get(locale, locale)
        for territory, name in territories.items():
            code = territory.lower()
            if code not in known or not name:
                continue
            for variant, priority in _name_variants(name.replace(" - ", " ")):
                for form in _inflect(variant, language, "name"):
                    found.append((Alias(form, code, language, "name"), priority))
    return found


# -- the data file ------------------------------------------------------------------------------


def parse_data_file(
    text: str, what: str, source: str, top_keys: Iterable[str], error: type[ValueError]
) -> dict[str, Any]:
    """A JSON data file's top-level object, or `error` with a one-line message naming `what`
    ("taxonomy", "gazetteer"), the file and the problem (not JSON, not an object, unknown key)."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(
            f"{what} {source} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    if not isinstance(raw, dict):
        raise error(f"{what} {source}: the top level must be a JSON object")
    unknown = sorted(set(raw) - set(top_keys))
    if unknown:
        raise error(f"{what} {source}: unknown top-level key {unknown[0]!r}")
    return raw


def _fail(source: str, problem: str) -> GazetteerError:
    return GazetteerError(f"gazetteer {source}: {problem}")


def _phrases(value: Any, source: str, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
        raise _fail(source, f"{where} must be a list of strings")
    for phrase in value:
        core, _, _ = phrase_key(phrase)
        if not core or "*" in phrase.strip("*"):
            raise _fail(source, f"{where} has an unusable phrase {phrase!r}")
    return value


def _language_phrases(value: Any, source: str, where: str) -> list[tuple[str, str]]:
    if not isinstance(value, dict):
        raise _fail(source, f"{where} must be an object of language -> phrases")
    pairs = []
    for language, phrases in value.items():
        if not _LANGUAGE.match(language):
            raise _fail(source, f"{where} has a bad language code {language!r}")
        pairs += [(language, p) for p in _phrases(phrases, source, f"{where}.{language}")]
    return pairs


def _file_aliases(countries: Any, source: str, known: set[str]) -> list[tuple[Alias, int]]:
    if not isinstance(countries, dict):
        raise _fail(source, "'countries' must be an object of ISO code -> languages")
    found = []
    for code, languages in countries.items():
        if code not in known:
            raise _fail(source, f"{code!r} is not an ISO 3166-1 alpha-2 code in lower case")
        if not isinstance(languages, dict):
            raise _fail(source, f"countries.{code} must be an object of language -> kinds")
        for language, kinds in languages.items():
            if not (language == LATIN or _LANGUAGE.match(language)) or not isinstance(kinds, dict):
                raise _fail(source, f"countries.{code} has a bad language entry {language!r}")
            for kind, phrases in kinds.items():
                if kind not in _KIND_OF:
                    raise _fail(
                        source,
                        f"countries.{code}.{language} has an unknown kind {kind!r} "
                        f"(expected one of {', '.join(KINDS)})",
                    )
                where = f"countries.{code}.{language}.{kind}"
                for phrase in _phrases(phrases, source, where):
                    for form in _inflect(phrase, language, _KIND_OF[kind]):
                        found.append((Alias(form, code, language, _KIND_OF[kind]), _FROM_FILE))
    return found


def _rule(raw: Any, source: str, known: set[str]) -> AmbiguityRule:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise _fail(source, "each 'ambiguous' entry must be an object with an 'id'")
    where = f"ambiguous rule {raw['id']!r}"
    unknown = sorted(set(raw) - _RULE_KEYS)
    if unknown:
        raise _fail(source, f"{where} has an unknown key {unknown[0]!r}")
    if raw.get("code") not in known:
        raise _fail(source, f"{where} needs a 'code' that is an ISO alpha-2 code in lower case")
    aliases = _phrases(raw.get("aliases"), source, f"{where}: 'aliases'")
    if not aliases:
        raise _fail(source, f"{where} names no aliases")
    lists = {
        key: tuple(_phrases(raw.get(key, []), source, f"{where}: {key!r}"))
        for key in ("support", "block", "not_before", "not_after")
    }
    codes = tuple(raw.get("support_codes", []))
    bad = [c for c in codes if c not in known]
    if bad:
        raise _fail(source, f"{where}: {bad[0]!r} in 'support_codes' is not an ISO code")
    for flag in ("person", "needs_support"):
        if not isinstance(raw.get(flag, False), bool):
            raise _fail(source, f"{where}: {flag!r} must be true or false")
    languages = tuple(raw.get("languages", []))
    if not isinstance(raw.get("languages", []), list) or not all(
        isinstance(language, str) and _LANGUAGE.match(language) for language in languages
    ):
        raise _fail(source, f"{where}: 'languages' must be a list of language codes")
    return AmbiguityRule(
        id=raw["id"],
        code=raw["code"],
        aliases=tuple(aliases),
        person=raw.get("person", False),
        needs_support=raw.get("needs_support", False),
        support_codes=codes,
        languages=languages,
        **lists,
    )


def _strings(value: Any, source: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(s, str) and s.strip() for s in value):
        raise _fail(source, f"{where} must be a list of non-empty strings")
    return tuple(value)


def _compounds(raw: Any, source: str, known: set[str]) -> dict[str, Compounds]:
    if not isinstance(raw, dict):
        raise _fail(source, "'compounds' must be an object of language -> compound rules")
    found = {}
    for language, rules in raw.items():
        where = f"compounds.{language}"
        if not _LANGUAGE.match(language) or not isinstance(rules, dict):
            raise _fail(source, f"compounds has a bad language entry {language!r}")
        unknown = sorted(set(rules) - _COMPOUND_KEYS)
        if unknown:
            raise _fail(source, f"{where} has an unknown key {unknown[0]!r}")
        abbreviations = rules.get("abbreviations")
        if not isinstance(abbreviations, dict) or not abbreviations:
            raise _fail(source, f"{where}.abbreviations must be an object of code -> [forms]")
        pairs = []
        for code, forms in abbreviations.items():
            if code not in known:
                raise _fail(source, f"{where}: {code!r} is not an ISO 3166-1 alpha-2 code")
            pairs += [(form, code) for form in _strings(forms, source, f"{where}.{code}")]
        if not isinstance(rules.get("whole_word", False), bool):
            raise _fail(source, f"{where}.whole_word must be true or false")
        found[language] = Compounds(
            abbreviations=tuple(pairs),
            followers=_strings(rules.get("followers", []), source, f"{where}.followers"),
            whole_word=rules.get("whole_word", False),
            needs_follower=_strings(
                rules.get("needs_follower", []), source, f"{where}.needs_follower"
            ),
        )
    return found


def _resolve(candidates: list[tuple[Alias, int]]) -> tuple[Alias, ...]:
    """One country per phrase: the highest-priority source wins; a tie between countries at the
    same level (two derived "Korea"s) drops the phrase."""
    by_key: dict[tuple, list[tuple[Alias, int]]] = defaultdict(list)
    for alias, priority in candidates:
        by_key[(alias.language, phrase_key(alias.phrase))].append((alias, priority))
    kept = []
    for group in by_key.values():
        top = max(priority for _, priority in group)
        best = [alias for alias, priority in group if priority == top]
        codes = {alias.code for alias in best}
        if len(codes) > 1 and top != _FROM_FILE:
            continue
        # Every spelling of the winner stays: "EE.UU." and "EE. UU." fold alike but are
        # written apart in text.
        kept += [alias for alias in best if alias.code == best[0].code]
    return tuple(sorted(set(kept), key=lambda a: (a.code, a.language, a.phrase)))


def _read(path: str | None) -> tuple[str, str]:
    if path is None:
        ref = resources.files("newsbeam.schemas").joinpath("gazetteer.json")
        return ref.read_text(encoding="utf-8"), "(bundled gazetteer.json)"
    try:
        return read_setting_text(path, DATA_FILE_MAX_BYTES), path
    except FileNotFoundError:
        raise GazetteerError(f"gazetteer file not found: {path}") from None
    except NotAFile as exc:  # a folder, a named pipe or a device: never opened
        raise GazetteerError(f"gazetteer file {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GazetteerError(f"gazetteer file {path} cannot be read: {exc}") from None


def gazetteer_bytes(path: str | None) -> bytes:
    """The bytes of the gazetteer file at `path` (None: the bundled one); raises `OSError`
    (`NotAFile` for a path that is no regular file or is too large)."""
    if path is None:
        return resources.files("newsbeam.schemas").joinpath("gazetteer.json").read_bytes()
    return read_setting_file(path, DATA_FILE_MAX_BYTES)


def load_gazetteer(path: str | None = None) -> Gazetteer:
    """The gazetteer from `path` (None: the one bundled in `newsbeam.schemas`) merged with
    pycountry's names; raises `GazetteerError` with a one-line message on a bad file."""
    text, source = _read(path)
    raw = parse_data_file(text, "gazetteer", source, _TOP_KEYS, GazetteerError)
    known = {c.alpha_2.lower() for c in pycountry.countries}
    candidates = (
        _iso_aliases()
        + _babel_aliases(known)
        + _file_aliases(raw.get("countries", {}), source, known)
    )
    for language, phrase in _language_phrases(raw.get("stop_phrases", {}), source, "stop_phrases"):
        candidates.append((Alias(phrase, "", language, "stop"), _FROM_FILE))
    rules_raw = raw.get("ambiguous", [])
    if not isinstance(rules_raw, list):
        raise _fail(source, "'ambiguous' must be a list of rules")
    rules = tuple(_rule(r, source, known) for r in rules_raw)
    sports = raw.get("sports", {})
    if not isinstance(sports, dict):
        raise _fail(source, "'sports' must be an object")
    min_context = sports.get("min_context", 2)
    if not isinstance(min_context, int) or min_context < 1:
        raise _fail(source, "sports.min_context must be a whole number of at least 1")
    venues = _language_phrases(raw.get("venue_prepositions", {}), source, "venue_prepositions")
    venue_map: dict[str, list[str]] = defaultdict(list)
    for language, word in venues:
        venue_map[language].append(phrase_key(word)[0])
    version = raw.get("version", "")
    if not isinstance(version, str) or not version:
        raise _fail(source, "'version' must be a non-empty string")
    gazetteer = Gazetteer(
        version=version,
        source=source,
        aliases=_resolve(candidates),
        rules=rules,
        not_after_any=tuple(_phrases(raw.get("not_after_any", []), source, "not_after_any")),
        sports_context=tuple(_language_phrases(sports.get("context", {}), source, "sports")),
        sports_teams=tuple(_language_phrases(sports.get("teams", {}), source, "sports.teams")),
        sports_min_context=min_context,
        venue_prepositions={k: tuple(v) for k, v in venue_map.items()},
        compounds=_compounds(raw.get("compounds", {}), source, known),
    )
    _LOGGER.debug("gazetteer %s: %d aliases", source, len(gazetteer.aliases))
    return gazetteer
