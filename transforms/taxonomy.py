"""Topic tagging without Beam: load and validate a taxonomy, and tag a text in one pass.

`load_taxonomy()` reads `schemas/taxonomy.json` (or a user's file given by `--taxonomy`) and
checks it, raising `TaxonomyError` with a one-line message naming the problem. `Tagger` compiles
a taxonomy and its gazetteer into one Aho-Corasick automaton (pyahocorasick) and `Tagger.tag()`
runs it once over an article: every country alias, theme cue, negative context, relation cue and
ambiguity hint is found in that single pass, then scored per sentence.

What a tag means is documented in the taxonomy file's "about"; in short:
- a theme (`military-exercises`) when its cues, weighed by context and cancelled by negative
  contexts in their sentence, reach the theme's threshold;
- `relations:<a>-<b>` (ISO alpha-2, sorted) when two actor countries share sentences that carry
  relation cues ("talks", "sanctions against", "invited"), or are named together again and again;
- `countries`: the countries the article is about, mentions filtered by the gazetteer's rules
  (Georgia the state, Jordan the player, Washington the hockey team are not countries).
"""

from __future__ import annotations

import bisect
import logging
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from itertools import combinations
from pathlib import Path
from typing import Any

import ahocorasick

from newsbeam.transforms.gazetteer import (
    Gazetteer,
    GazetteerError,
    fold,
    load_gazetteer,
    parse_data_file,
    phrase_key,
)

__all__ = [
    "RelationRules",
    "TagResult",
    "Tagger",
    "Taxonomy",
    "TaxonomyError",
    "Theme",
    "load_taxonomy",
    "parse_taxonomy",
    "sentence_starts",
]

_LOGGER = logging.getLogger(__name__)

_THEME_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_TOP_KEYS = {"name", "version", "about", "countries", "relations", "themes"}
_THEME_KEYS = {
    "label", "iptc", "cameo", "gdelt_gkg", "threshold", "context_factor", "bare_factor",
    "title_factor", "country_context", "cues", "context", "negative", "about",
}  # fmt: skip
_RELATION_KEYS = {
    "threshold", "sentence_cap", "co_presence", "title_factor", "indirect_factor", "cues", "about",
}  # fmt: skip
_COUNTRY_KEYS = {"min_score", "gazetteer", "about"}
_MAX_PHRASES = 12  # evidence phrases kept per topic


class TaxonomyError(ValueError):
    """The taxonomy (or its gazetteer) is unusable; the message is one line naming the problem."""


# -- the taxonomy -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Theme:
    """A theme: weighted cues per language, context phrases that strengthen them, negative
    phrases that cancel them in their sentence, and the score needed to tag."""

    id: str
    label: str
    threshold: float
    cues: tuple[tuple[str, str, float], ...]  # (language, phrase, weight)
    context: tuple[tuple[str, str], ...] = ()  # (language, phrase)
    negative: tuple[tuple[str, str], ...] = ()
    context_factor: float = 1.5
    bare_factor: float = 1.0
    title_factor: float = 1.5
    country_context: bool = False
    iptc: dict[str, Any] | None = None
    cameo: dict[str, Any] | None = None
    gdelt_gkg: tuple[str, ...] = ()


@dataclass(frozen=True)
class RelationRules:
    """When two countries count as dealing with each other (see the taxonomy's "about")."""

    threshold: float
    cues: tuple[tuple[str, str, float], ...]
    sentence_cap: float = 2.0
    co_presence: float = 0.3
    title_factor: float = 1.5
    indirect_factor: float = 2.0


@dataclass(frozen=True)
class Taxonomy:
    """A validated taxonomy with its gazetteer: everything a `Tagger` is built from."""

    name: str
    version: str
    source: str
    themes: tuple[Theme, ...]
    relations: RelationRules | None
    gazetteer: Gazetteer
    min_country_score: float = 1.0

    @property
    def theme_ids(self) -> tuple[str, ...]:
        """The theme ids, in the file's order."""
        return tuple(t.id for t in self.themes)


def _fail(source: str, problem: str) -> TaxonomyError:
    return TaxonomyError(f"taxonomy {source}: {problem}")


def _number(value: Any, source: str, where: str, *, minimum: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail(source, f"{where} must be a number")
    if value <= minimum and not (minimum == 0.0 and value == 0.0 and where.endswith("score")):
        raise _fail(source, f"{where} must be greater than {minimum:g}")
    return float(value)


def _check_phrase(phrase: Any, source: str, where: str) -> str:
    if not isinstance(phrase, str):
        raise _fail(source, f"{where} has a phrase that is not a string: {phrase!r}")
    core, _, _ = phrase_key(phrase)
    if not core or "*" in phrase.strip("*"):
        raise _fail(source, f"{where} has an unusable phrase {phrase!r}")
    return phrase


def _check_language(language: Any, source: str, where: str) -> str:
    if not isinstance(language, str) or not _LANGUAGE.match(language):
        raise _fail(source, f"{where} has a bad language code {language!r} (use en, ru, de...)")
    return language


def _weighted(value: Any, source: str, where: str) -> tuple[tuple[str, str, float], ...]:
    if not isinstance(value, dict):
        raise _fail(source, f"{where} must be an object of language -> {{phrase: weight}}")
    found = []
    for language, phrases in value.items():
        _check_language(language, source, where)
        if not isinstance(phrases, dict):
            raise _fail(source, f"{where}.{language} must be an object of phrase -> weight")
        for phrase, weight in phrases.items():
            _check_phrase(phrase, source, f"{where}.{language}")
            found.append(
                (language, phrase, _number(weight, source, f"{where}.{language}[{phrase!r}]"))
            )
    return tuple(found)


def _listed(value: Any, source: str, where: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        raise _fail(source, f"{where} must be an object of language -> [phrases]")
    found = []
    for language, phrases in value.items():
        _check_language(language, source, where)
        if not isinstance(phrases, list):
            raise _fail(source, f"{where}.{language} must be a list of phrases")
        found += [(language, _check_phrase(p, source, f"{where}.{language}")) for p in phrases]
    return tuple(found)


def _code(value: Any, source: str, where: str, pattern: str) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("code"), str):
        raise _fail(source, f"{where} must be an object with a 'code' string")
    if not re.match(pattern, value["code"]):
        raise _fail(source, f"{where} has a malformed code {value['code']!r}")
    return dict(value)


def _theme(theme_id: Any, raw: Any, source: str) -> Theme:
    if not isinstance(theme_id, str) or not _THEME_ID.match(theme_id):
        raise _fail(
            source,
            f"bad theme id {theme_id!r}: use lower-case letters, digits and single hyphens "
            "(like 'military-exercises')",
        )
    if theme_id.startswith("relations"):
        raise _fail(source, f"bad theme id {theme_id!r}: 'relations' ids are reserved for pairs")
    where = f"theme {theme_id!r}"
    if not isinstance(raw, dict):
        raise _fail(source, f"{where} must be an object")
    unknown = sorted(set(raw) - _THEME_KEYS)
    if unknown:
        raise _fail(source, f"{where} has an unknown key {unknown[0]!r}")
    cues = _weighted(raw.get("cues", {}), source, f"{where} cues")
    if not cues:
        raise _fail(source, f"{where} has no cues")
    if "threshold" not in raw:
        raise _fail(source, f"{where} has no threshold")
    if not isinstance(raw.get("country_context", False), bool):
        raise _fail(source, f"{where}: country_context must be true or false")
    gkg = raw.get("gdelt_gkg", [])
    if not isinstance(gkg, list) or not all(isinstance(g, str) for g in gkg):
        raise _fail(source, f"{where}: gdelt_gkg must be a list of theme names")
    return Theme(
        id=theme_id,
        label=str(raw.get("label", theme_id)),
        threshold=_number(raw["threshold"], source, f"{where} threshold"),
        cues=cues,
        context=_listed(raw.get("context", {}), source, f"{where} context"),
        negative=_listed(raw.get("negative", {}), source, f"{where} negative"),
        context_factor=_number(
            raw.get("context_factor", 1.5), source, f"{where} context_factor", minimum=0.0
        ),
        bare_factor=_number(
            raw.get("bare_factor", 1.0), source, f"{where} bare_factor", minimum=0.0
        ),
        title_factor=_number(
            raw.get("title_factor", 1.5), source, f"{where} title_factor", minimum=0.0
        ),
        country_context=raw.get("country_context", False),
        iptc=_code(raw.get("iptc"), source, f"{where} iptc", r"^medtop:\d{8}$"),
        cameo=_code(raw.get("cameo"), source, f"{where} cameo", r"^\d{2,4}$"),
        gdelt_gkg=tuple(gkg),
    )


def _relations(raw: Any, source: str) -> RelationRules | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise _fail(source, "'relations' must be an object")
    unknown = sorted(set(raw) - _RELATION_KEYS)
    if unknown:
        raise _fail(source, f"relations has an unknown key {unknown[0]!r}")
    cues = _weighted(raw.get("cues", {}), source, "relations cues")
    if not cues:
        raise _fail(source, "relations has no cues")
    if "threshold" not in raw:
        raise _fail(source, "relations has no threshold")
    return RelationRules(
        threshold=_number(raw["threshold"], source, "relations threshold"),
        cues=cues,
        sentence_cap=_number(raw.get("sentence_cap", 2.0), source, "relations sentence_cap"),
        co_presence=_number(raw.get("co_presence", 0.3), source, "relations co_presence"),
        title_factor=_number(raw.get("title_factor", 1.5), source, "relations title_factor"),
        indirect_factor=_number(
            raw.get("indirect_factor", 2.0), source, "relations indirect_factor"
        ),
    )


def parse_taxonomy(text: str, source: str = "<string>", base_dir: str | None = None) -> Taxonomy:
    """A taxonomy from its JSON text. `source` names it in error messages; a gazetteer path in
    the file is read relative to `base_dir`. Raises `TaxonomyError` (one line) when unusable."""
    raw = parse_data_file(text, "taxonomy", source, _TOP_KEYS, TaxonomyError)
    version = raw.get("version")
    if not isinstance(version, str) or not version.strip():
        raise _fail(source, "'version' must be a non-empty string")
    themes_raw = raw.get("themes", {})
    if not isinstance(themes_raw, dict):
        raise _fail(source, "'themes' must be an object of theme id -> theme")
    themes = tuple(_theme(theme_id, body, source) for theme_id, body in themes_raw.items())
    relations = _relations(raw.get("relations"), source)
    if not themes and relations is None:
        raise _fail(source, "defines no themes and no relations: nothing to tag")
    countries = raw.get("countries", {})
    if not isinstance(countries, dict):
        raise _fail(source, "'countries' must be an object")
    unknown = sorted(set(countries) - _COUNTRY_KEYS)
    if unknown:
        raise _fail(source, f"countries has an unknown key {unknown[0]!r}")
    min_score = _number(countries.get("min_score", 1.0), source, "countries min_score")
    gazetteer_path = countries.get("gazetteer")
    if gazetteer_path is not None and not isinstance(gazetteer_path, str):
        raise _fail(source, "countries.gazetteer must be a file path or null (the bundled one)")
    if gazetteer_path and base_dir and not Path(gazetteer_path).is_absolute():
        gazetteer_path = str(Path(base_dir) / gazetteer_path)
    try:
        gazetteer = load_gazetteer(gazetteer_path or None)
    except GazetteerError as exc:
        raise TaxonomyError(str(exc)) from None
    return Taxonomy(
        name=str(raw.get("name", "taxonomy")),
        version=version,
        source=source,
        themes=themes,
        relations=relations,
        gazetteer=gazetteer,
        min_country_score=min_score,
    )


def load_taxonomy(path: str | None = None) -> Taxonomy:
    """The taxonomy at `path`, or the one bundled in `newsbeam.schemas` when None.

    Raises `TaxonomyError` with a one-line message: file not found, not valid JSON, a theme
    without cues, a bad theme id, a bad weight, an unknown key...
    """
    if path is None:
        ref = resources.files("newsbeam.schemas").joinpath("taxonomy.json")
        return parse_taxonomy(ref.read_text(encoding="utf-8"), "(bundled taxonomy.json)")
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TaxonomyError(f"taxonomy file not found: {path}") from None
    except IsADirectoryError:
        raise TaxonomyError(f"taxonomy path is a directory, not a file: {path}") from None
    except UnicodeDecodeError:
        raise TaxonomyError(f"taxonomy file {path} is not UTF-8 text") from None
    except OSError as exc:
        raise TaxonomyError(f"taxonomy file {path} cannot be read: {exc.strerror}") from None
    return parse_taxonomy(text, path, str(file.parent))


# -- sentences ----------------------------------------------------------------------------------

_BREAK = re.compile(r"[.!?…]+[\"'»”’)\]]*\s+|\s*\n\s*")
_LAST_WORD = re.compile(r"(\S+)$")
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "sgt", "maj", "capt", "adm", "gov", "sen",
    "rep", "prof", "jr", "sr", "no", "vs", "u.s", "u.k", "u.n", "e.g", "i.e", "jan", "feb", "aug",
    "sept", "sep", "oct", "nov", "dec", "г", "гг", "им", "т", "д", "ул", "др", "проф", "ген",
    "см", "z.b", "bzw", "nr", "vgl", "ca", "abs", "evtl",
}  # fmt: skip
_OPENERS = "\"'«“„(["


def sentence_starts(text: str) -> list[int]:
    """Offsets where sentences begin: after . ! ? and a capitalised word, and at line breaks;
    not after an abbreviation (Mr., U.S., Gen.) or an initial (Booker T. Washington)."""
    starts = [0]
    for match in _BREAK.finditer(text):
        end = match.end()
        if end >= len(text):
            break
        if "\n" not in match.group():
            last = _LAST_WORD.search(text, max(0, match.start() - 24), match.start())
            word = last.group(1).lstrip(_OPENERS).lower() if last else ""
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
            following = text[end]
            if not (following.isupper() or following.isdigit() or following in _OPENERS):
                continue
        starts.append(end)
    return starts


# -- the tagger ---------------------------------------------------------------------------------

# What a phrase found in the text stands for.
_COUNTRY, _SUPPORT, _BLOCK, _SPORT, _TEAM, _CUE, _CONTEXT, _NEGATIVE, _RELATION = range(9)
_BORDER_WORDS = ("border", "frontier", "границ", "grenz")
_FUNCTION_WORDS = {
    "the", "a", "an", "in", "on", "at", "and", "but", "for", "with", "from", "to", "of", "by",
    "as", "when", "while", "after", "before", "if", "since", "both", "neighbouring",
    "neighboring", "president", "king", "queen", "prime", "minister", "emir", "sheikh",
}  # fmt: skip


@dataclass(frozen=True)
class _Entry:
    """One payload of an automaton key: what the phrase means and how it must be matched."""

    kind: int
    target: Any  # country (code, kind) / rule index / theme index / None
    weight: float
    languages: int  # bit mask of the languages the phrase belongs to
    case: str  # "", "initial" or "upper"
    open_left: bool
    open_right: bool
    length: int  # length of the automaton key, sentinel spaces included


@dataclass
class _Hit:
    kind: int
    target: Any
    weight: float
    start: int
    stop: int
    sentence: int
    key: str  # folded phrase core: identifies the phrase, whatever its surface form
    exact: bool  # matched a whole word, not a stem


@dataclass
class TagResult:
    """Topics, their evidence (topic, score, phrases) and the actor countries of one text."""

    topics: list[str] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)


def _case_of(phrase: str) -> str:
    core = phrase.strip("*")
    letters = [c for c in core if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return "upper"
    if letters and core[0].isupper():
        return "initial"
    return ""


def _distinct(texts: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for text in texts:
        seen.setdefault(text, None)
        if len(seen) >= _MAX_PHRASES:
            break
    return list(seen)


class Tagger:
    """A taxonomy compiled once (per worker) into one automaton; `tag()` is thread-safe."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        gazetteer = taxonomy.gazetteer
        languages = {a.language for a in gazetteer.aliases}
        for theme in taxonomy.themes:
            languages |= {c[0] for c in theme.cues + theme.context + theme.negative}
        if taxonomy.relations:
            languages |= {c[0] for c in taxonomy.relations.cues}
        self._bits = {language: 1 << i for i, language in enumerate(sorted(languages))}
        self._all = (1 << len(self._bits)) - 1
        self._rules = gazetteer.rules
        self._rule_of_alias = {
            phrase_key(alias)[0]: index
            for index, rule in enumerate(gazetteer.rules)
            for alias in rule.aliases
        }
        self._not_after_any = [phrase_key(p)[0].split() for p in gazetteer.not_after_any]
        self._venues = {
            self._bits[language]: set(words)
            for language, words in gazetteer.venue_prepositions.items()
            if language in self._bits
        }
        entries: dict[str, list[_Entry]] = defaultdict(list)

        def add(phrase: str, language: str | None, kind: int, target: Any, weight: float = 0.0):
            core, open_left, open_right = phrase_key(phrase)
            key = ("" if open_left else " ") + core + ("" if open_right else " ")
            bits = self._all if language is None else self._bits[language]
            entries[key].append(
                _Entry(
                    kind, target, weight, bits, _case_of(phrase), open_left, open_right, len(key)
                )
            )

        for alias in gazetteer.aliases:
            add(alias.phrase, alias.language, _COUNTRY, (alias.code, alias.kind))
        for index, rule in enumerate(gazetteer.rules):
            for phrase in rule.support:
                add(phrase, None, _SUPPORT, index)
            for phrase in rule.block:
                add(phrase, None, _BLOCK, index)
        for language, phrase in gazetteer.sports_context:
            add(phrase, language, _SPORT, None)
        for language, phrase in gazetteer.sports_teams:
            add(phrase, language, _TEAM, None)
        for index, theme in enumerate(taxonomy.themes):
            for language, phrase, weight in theme.cues:
                add(phrase, language, _CUE, index, weight)
            for language, phrase in theme.context:
                add(phrase, language, _CONTEXT, index)
            for language, phrase in theme.negative:
                add(phrase, language, _NEGATIVE, index)
        if taxonomy.relations:
            for language, phrase, weight in taxonomy.relations.cues:
                add(phrase, language, _RELATION, None, weight)
        self._automaton = ahocorasick.Automaton()
        for key, found in entries.items():
            self._automaton.add_word(key, (key.strip(), tuple(found)))
        self._automaton.make_automaton()
        _LOGGER.debug("tagger: %d keys from %s", len(entries), taxonomy.source)

    # -- matching ---------------------------------------------------------------------------

    def _mask(self, language: str | None) -> int:
        code = (language or "").strip().lower().replace("_", "-").split("-")[0]
        return self._bits.get(code, self._all)

    def _find(self, text: str, folded: str, starts: list[int], mask: int) -> list[_Hit]:
        """Every phrase of the automaton in `text`, in one pass, with its span and sentence."""
        hits = []
        size = len(text)
        for end, (key, found) in self._automaton.iter(folded):
            for entry in found:
                if not entry.languages & mask:
                    continue
                # `folded` is the text padded with one space each side: padded index i is text
                # index i - 1; a key's leading/trailing space is the word boundary.
                start = end - entry.length + 1 + (0 if entry.open_left else 1) - 1
                stop = end + 1 - (0 if entry.open_right else 1) - 1
                if entry.open_right:
                    while stop < size and folded[stop + 1] != " ":
                        stop += 1
                if entry.open_left:
                    while start > 0 and folded[start] != " ":
                        start -= 1
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
                        key,
                        not (entry.open_left or entry.open_right),
                    )
                )
        return hits

    @staticmethod
    def _longest(hits: list[_Hit]) -> list[_Hit]:
        """Non-overlapping hits, the longest first at each place (whole words over stems)."""
        kept: list[_Hit] = []
        taken: list[tuple[int, int]] = []
        for hit in sorted(hits, key=lambda h: (-(h.stop - h.start), not h.exact, h.start)):
            if any(hit.start < stop and start < hit.stop for start, stop in taken):
                continue
            kept.append(hit)
            taken.append((hit.start, hit.stop))
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

    def _countries(
        self,
        text: str,
        folded: str,
        starts: list[int],
        hits: list[_Hit],
        mask: int,
    ) -> list[tuple[str, bool, _Hit]]:
        """(code, is_venue, hit) for each mention that survives the gazetteer's rules."""
        by_kind: dict[int, list[_Hit]] = defaultdict(list)
        for hit in hits:
            by_kind[hit.kind].append(hit)
        sports_in: dict[int, set[str]] = defaultdict(set)
        for hit in by_kind[_SPORT]:
            sports_in[hit.sentence].add(hit.key)
        sports_sentences = {
            s
            for s, keys in sports_in.items()
            if len(keys) >= self.taxonomy.gazetteer.sports_min_context
        }
        teams = by_kind[_TEAM]
        candidates = []
        for hit in self._longest(by_kind[_COUNTRY]):
            code, kind = hit.target
            if not code or hit.sentence in sports_sentences:
                continue
            if any(
                0 <= hit.start - team.stop <= 3 or 0 <= team.start - hit.stop <= 3 for team in teams
            ):
                continue
            if any(
                self._tokens_after(folded, hit.stop, len(words)) == words
                for words in self._not_after_any
            ):
                continue
            candidates.append(hit)
        plain_codes = {
            h.target[0] for h in candidates if h.key not in self._rule_of_alias
        }  # mentions no rule doubts: they support an ambiguous mention of the same country
        support = {h.target for h in by_kind[_SUPPORT]}
        blocked_in: dict[int, set[int]] = defaultdict(set)
        for h in by_kind[_BLOCK]:
            blocked_in[h.target].add(h.sentence)
        # Rules are applied in two passes: a mention dropped for its own context ("Michael
        # Jordan") tells that the article uses the other sense, so its bare mentions ("Jordan
        # said") then need support too.
        verdicts = {}
        other_sense: set[int] = set()
        for position, hit in enumerate(candidates):
            index = self._rule_of_alias.get(hit.key)
            if index is None:
                continue
            local = self._locally_allowed(index, hit, text, folded, starts, blocked_in)
            verdicts[position] = local
            if not local:
                other_sense.add(index)
        mentions = []
        for position, hit in enumerate(candidates):
            code, kind = hit.target
            index = self._rule_of_alias.get(hit.key)
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
            mentions.append((code, self._is_place(kind, hit, folded, mask), hit))
        return mentions

    def _is_place(self, kind: str, hit: _Hit, folded: str, mask: int) -> bool:
        """True when a mention names where something happens rather than who acts: a capital
        after "in"/"at"/"в"/"bei" ("talks in Geneva"), or a country as a border ("near the
        Polish border", "у польской границы", "an der polnischen Grenze")."""
        before = self._tokens_before(folded, hit.start, 1)
        if (
            kind == "capital"
            and before
            and any(bits & mask and before[0] in words for bits, words in self._venues.items())
        ):
            return True
        after = self._tokens_after(folded, hit.stop, 1)
        return bool(after) and after[0].startswith(_BORDER_WORDS)

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
        for phrase in rule.not_before:
            words = phrase_key(phrase)[0].split()
            if self._tokens_before(folded, hit.start, len(words)) == words:
                return False
        for phrase in rule.not_after:
            words = phrase_key(phrase)[0].split()
            if self._tokens_after(folded, hit.stop, len(words)) == words:
                return False
        if rule.person and self._next_to_a_name(text, hit.start, hit.stop, starts[hit.sentence]):
            return False
        return hit.sentence not in blocked_in.get(index, ())

    # -- tagging ----------------------------------------------------------------------------

    def tag(self, text: str, title: str | None = None, language: str | None = None) -> TagResult:
        """Topics, evidence and actor countries of an article (title optional, language an
        ISO 639-1 code or None for "match every language")."""
        title = " ".join((title or "").split())
        full = f"{title}\n{text or ''}" if title else (text or "")
        if not full.strip():
            return TagResult()
        folded = " " + fold(full) + " "
        starts = sentence_starts(full)
        title_sentences = {i for i, s in enumerate(starts) if s < len(title)} if title else set()
        mask = self._mask(language)
        hits = self._find(full, folded, starts, mask)
        mentions = self._countries(full, folded, starts, hits, mask)
        country_sentences: dict[int, dict[str, bool]] = defaultdict(dict)
        for code, venue, hit in mentions:
            previous = country_sentences[hit.sentence].get(code, True)
            country_sentences[hit.sentence][code] = previous and venue

        result = TagResult()
        cue_sentences: set[int] = set()
        for index, theme in enumerate(self.taxonomy.themes):
            found = self._score_theme(index, theme, full, hits, country_sentences, title_sentences)
            if found is None:
                continue
            score, phrases, sentences = found
            cue_sentences |= sentences
            if score >= theme.threshold:
                result.topics.append(theme.id)
                result.evidence.append(
                    {"topic": theme.id, "score": round(score, 3), "phrases": phrases}
                )
        relation_hits = [h for h in hits if h.kind == _RELATION]
        cue_sentences |= {h.sentence for h in relation_hits}
        pairs = self._score_relations(
            full, relation_hits, mentions, country_sentences, title_sentences
        )
        rules = self.taxonomy.relations
        related: set[str] = set()
        for (a, b), (score, phrases) in sorted(pairs.items()):
            if rules and score >= rules.threshold:
                topic = f"relations:{a}-{b}"
                result.topics.append(topic)
                result.evidence.append(
                    {"topic": topic, "score": round(score, 3), "phrases": phrases}
                )
                related |= {a, b}
        weight: dict[str, float] = defaultdict(float)
        for code, venue, hit in mentions:
            # A venue ("talks in Geneva") weighs half and gains nothing from the cues around it.
            value = 2.0 if hit.sentence in title_sentences else 1.0
            if venue:
                value *= 0.5
            elif hit.sentence in cue_sentences:
                value += 0.5
            weight[code] += value
        actors = {c for c, w in weight.items() if w >= self.taxonomy.min_country_score}
        result.countries = sorted(actors | related, key=lambda c: (-weight[c], c))
        return result

    def _score_theme(
        self,
        index: int,
        theme: Theme,
        text: str,
        hits: list[_Hit],
        country_sentences: dict[int, dict[str, bool]],
        title_sentences: set[int],
    ) -> tuple[float, list[str], set[int]] | None:
        """(score, phrases, sentences with counted cues) of one theme, None without cues."""
        cues = self._longest([h for h in hits if h.kind == _CUE and h.target == index])
        if not cues:
            return None
        # A negative inside a longer cue ("fire drills" in "live-fire drills") does not count.
        negative = {
            h.sentence
            for h in hits
            if h.kind == _NEGATIVE
            and h.target == index
            and not any(
                c.start <= h.start and h.stop <= c.stop and c.stop - c.start > h.stop - h.start
                for c in cues
            )
        }
        context = {h.sentence for h in hits if h.kind == _CONTEXT and h.target == index}
        if theme.country_context:
            context |= set(country_sentences)
        by_sentence: dict[int, dict[str, _Hit]] = defaultdict(dict)
        for hit in cues:
            if hit.sentence not in negative:  # a negative context cancels the whole sentence
                by_sentence[hit.sentence].setdefault(hit.key, hit)
        score = 0.0
        counted: list[_Hit] = []
        for sentence, found in by_sentence.items():
            value = sum(h.weight for h in found.values())
            value *= theme.context_factor if sentence in context else theme.bare_factor
            if sentence in title_sentences:
                value *= theme.title_factor
            score += value
            counted += found.values()
        counted.sort(key=lambda h: h.start)
        phrases = _distinct(text[h.start : h.stop] for h in counted)
        return score, phrases, set(by_sentence)

    def _score_relations(
        self,
        text: str,
        relation_hits: list[_Hit],
        mentions: list[tuple[str, bool, _Hit]],
        country_sentences: dict[int, dict[str, bool]],
        title_sentences: set[int],
    ) -> dict[tuple[str, str], tuple[float, list[str]]]:
        """Score of each pair of countries named in the same sentences, with its phrases.

        A sentence's cue weight (capped) is shared among the pairs it makes, so a sentence
        naming four countries says less about each pair than one naming two. A capital after
        "in"/"at" is the venue, not a party, when the sentence names two other countries
        ("Russian and US envoys met in Geneva" relates Russia and the US, not Switzerland).
        """
        rules = self.taxonomy.relations
        if rules is None:
            return {}
        cues_in: dict[int, dict[str, _Hit]] = defaultdict(dict)
        for hit in self._longest(relation_hits):
            cues_in[hit.sentence].setdefault(hit.key, hit)
        names_in: dict[int, dict[str, list[_Hit]]] = defaultdict(lambda: defaultdict(list))
        for code, _venue, hit in mentions:
            names_in[hit.sentence][code].append(hit)
        scores: dict[tuple[str, str], float] = defaultdict(float)
        evidence: dict[tuple[str, str], list[_Hit]] = defaultdict(list)
        direct: set[tuple[str, str]] = set()  # pairs that are a sentence's only two parties
        for sentence, countries in country_sentences.items():
            actors = [c for c, venue in countries.items() if not venue]
            parties = sorted(actors if len(actors) >= 2 else countries)
            if len(parties) < 2:
                continue
            cues = cues_in.get(sentence, {})
            weight = min(sum(h.weight for h in cues.values()), rules.sentence_cap)
            weight = (weight or rules.co_presence) / (len(parties) - 1)
            if sentence in title_sentences:
                weight *= rules.title_factor
            if len(parties) == 2:
                direct.add((parties[0], parties[1]))
            for pair in combinations(parties, 2):
                scores[pair] += weight
                evidence[pair] += [h for code in pair for h in names_in[sentence][code]]
                evidence[pair] += cues.values()
        # A pair only ever named among other countries needs more: "US attaches watched
        # Russian and Belarusian troops" says little about Russia and the US.
        return {
            pair: (
                score if pair in direct else score / rules.indirect_factor,
                _distinct(text[h.start : h.stop] for h in sorted(evidence[pair], key=_start)),
            )
            for pair, score in scores.items()
        }


def _start(hit: _Hit) -> int:
    return hit.start
