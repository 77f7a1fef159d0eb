"""Taxonomy loading and validation, without Beam: what the tagger is built from.

`load_taxonomy()` reads `schemas/taxonomy.json` (or a user's file given by `--taxonomy`) and
checks it, raising `TaxonomyError` with a one-line message naming the problem. The result, a frozen
`Taxonomy`, holds the themes, the relation rules, the focus-country rules, the weights of the
article's zones (title, lead, body) and the gazetteer. Its `version` is written with every tagged
row (`taxonomy_version`), so an analyst knows which rules tagged it.

The tagging rules themselves are in `transforms/tagger.py`; `Tagger`, `TagResult` and
`sentence_starts` are still importable from here for the modules that did so.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

from newsbeam.transforms.files import DATA_FILE_MAX_BYTES, NotAFile, read_setting_text
from newsbeam.transforms.gazetteer import (
    Gazetteer,
    GazetteerError,
    load_gazetteer,
    parse_data_file,
    phrase_key,
)

__all__ = [
    "CountryRules",
    "ParsedTaxonomy",
    "RelationRules",
    "Taxonomy",
    "TaxonomyError",
    "Theme",
    "Zones",
    "load_taxonomy",
    "parse_taxonomy",
    "parse_taxonomy_file",
    "read_taxonomy_text",
    "warn_retired",
]

_LOGGER = logging.getLogger(__name__)

# Between a separable verb and its particle in a relations cue: "weist … aus" (German and Dutch
# put the particle at the end of the clause).
SPLIT_MARK = " … "
_THEME_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_TOP_KEYS = {"name", "version", "about", "zones", "countries", "relations", "themes"}
_THEME_KEYS = {
    "label", "iptc", "cameo", "gdelt_gkg", "threshold", "min_sentences", "min_countries",
    "lead_alone", "between_states", "supersedes", "context_factor",
    "bare_factor", "country_context", "cues", "context", "negative", "about",
}  # fmt: skip
_RELATION_KEYS = {
    "threshold", "max_parties", "title_pairs", "same_state", "cues", "actors", "background",
    "other_senses", "standing", "home_offices", "home_languages", "pair_anaphors", "mediation",
    "about",
}  # fmt: skip
_COUNTRY_KEYS = {"min_share", "min_mentions", "gazetteer", "about"}
# Keys of the taxonomy format before 2026.12 whose rules are gone: a file that still has them
# loads, they are ignored, and one warning names them.
_RETIRED_THEME_KEYS = {"title_factor"}
_RETIRED_RELATION_KEYS = {"sentence_cap", "co_presence", "title_factor", "indirect_factor"}
_RETIRED_COUNTRY_KEYS = {"min_score"}
_ZONE_KEYS = {"title", "lead", "body", "lead_sentences", "about"}


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
    min_sentences: int = 3
    min_countries: int = 0  # distinct countries its cue sentences must name
    context_factor: float = 1.5
    bare_factor: float = 1.0
    country_context: bool = False
    # A lead sentence with a strong cue naming a country (two for a theme between states) is
    # salient alone: "Stockholm and Tehran swapped prisoners on Saturday" over the story.
    lead_alone: bool = False
    # A theme of two states dealing with each other (talks, sanctions, a joint drill, a swap):
    # its salient lead sentence naming just the article's two main countries makes their relation.
    between_states: bool = False
    # Themes this one makes redundant when both are found: a prisoner swap or a joint drill is the
    # story, the talks and the mediation that led to it (`diplomacy`) its means.
    supersedes: tuple[str, ...] = ()
    iptc: dict[str, Any] | None = None
    cameo: dict[str, Any] | None = None
    gdelt_gkg: tuple[str, ...] = ()


@dataclass(frozen=True)
class RelationRules:
    """When two subject countries count as acting toward each other: interaction cues in the
    sentences naming both, weighed by zone, reaching `threshold`; a sentence naming more than
    `max_parties` countries (a list of reactions) counts for no pair. A demonym counts as a party
    only next to one of the `actors` ("Russian forces"), not as a nationality ("Dutch lawyer").
    `title_pairs`: a title naming just two countries counts at half weight without a cue.
    `same_state`: pairs that are a state and its territory (cn-hk), never a relation; nor
    are two territories of one state (aw-cw)."""

    threshold: float
    cues: tuple[tuple[str, str, float], ...]
    actors: tuple[tuple[str, str], ...] = ()  # (language, phrase): "forces", "delegation"
    # (language, phrase): "since", "seit": an act they introduce dates the sentence, it is not
    # news ("since Russia's invasion of Ukraine, prices have risen").
    background: tuple[tuple[str, str], ...] = ()
    # (language, phrase): words that begin like a cue and mean something else ("liberal",
    # "de acuerdo con" = according to): a cue inside one is no cue.
    other_senses: tuple[tuple[str, str], ...] = ()
    # (language, phrase): cues naming a standing state, not an act ("conflict", "war"): right
    # after a hyphenated pair they name it ("the Israeli-Palestinian conflict") and are no cue.
    standing: tuple[tuple[str, str], ...] = ()
    # (language, phrase): offices that, with no country named beside them, stand for the
    # publisher's own state ("Außenminister Maas" in a German paper, "외교부 장관" in a Korean one).
    home_offices: tuple[tuple[str, str], ...] = ()
    # language -> the country a site writing in it belongs to, for a site whose domain does not
    # say (a language written mostly in one country: "cs" -> "cz").
    home_languages: tuple[tuple[str, str], ...] = ()
    # (language, phrase): words naming the two countries a story is about without their names
    # ("the two countries", "les deux pays", "两国"): there they stand for the article's two main
    # focus countries, once those were named together.
    pair_anaphors: tuple[tuple[str, str], ...] = ()
    # (language, phrase): mediation ("mediated by", "بوساطة", "斡旋"): the country named next to
    # it is a go-between, not a party, and gets no relation in the article.
    mediation: tuple[tuple[str, str], ...] = ()
    max_parties: int = 3
    title_pairs: bool = True
    same_state: tuple[tuple[str, str], ...] = ()  # (cn, hk): a territory and its state


@dataclass(frozen=True)
class CountryRules:
    """When a country is a subject of the article (a focus country): named in the title, or in
    the lead and again elsewhere, or holding `min_share` of the weighted mentions with at least
    `min_mentions` mentions."""

    min_share: float = 0.2
    min_mentions: int = 2


@dataclass(frozen=True)
class Zones:
    """The weight of a sentence by its place: the title, the lead (the first `lead_sentences`
    sentences of the text) and the rest of the body."""

    title: float = 3.0
    lead: float = 2.0
    body: float = 1.0
    lead_sentences: int = 2


@dataclass(frozen=True)
class Taxonomy:
    """A validated taxonomy with its gazetteer: everything a `Tagger` is built from."""

    name: str
    version: str
    source: str
    themes: tuple[Theme, ...]
    relations: RelationRules | None
    gazetteer: Gazetteer
    countries: CountryRules = CountryRules()
    zones: Zones = Zones()

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
    if not core or "*" in phrase.strip("*") or SPLIT_MARK in phrase:
        raise _fail(source, f"{where} has an unusable phrase {phrase!r}")
    return phrase


def _check_split(phrase: str, source: str, where: str) -> None:
    """A separable verb, "weist … aus": a verb form, the mark, then one particle word."""
    head, _, particle = phrase.partition(SPLIT_MARK)
    if not phrase_key(head)[0] or "*" in phrase or len(particle.split()) != 1:
        raise _fail(source, f"{where} has an unusable phrase {phrase!r}")


def _check_language(language: Any, source: str, where: str) -> str:
    if not isinstance(language, str) or not _LANGUAGE.match(language):
        raise _fail(source, f"{where} has a bad language code {language!r} (use en, ru, de...)")
    return language


def _weighted(
    value: Any, source: str, where: str, split: bool = False
) -> tuple[tuple[str, str, float], ...]:
    if not isinstance(value, dict):
        raise _fail(source, f"{where} must be an object of language -> {{phrase: weight}}")
    found = []
    for language, phrases in value.items():
        _check_language(language, source, where)
        if not isinstance(phrases, dict):
            raise _fail(source, f"{where}.{language} must be an object of phrase -> weight")
        for phrase, weight in phrases.items():
            if split and isinstance(phrase, str) and SPLIT_MARK in phrase:
                _check_split(phrase, source, f"{where}.{language}")
            else:
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


def _retired(raw: dict, keys: set[str], where: str, retired: list[str]) -> dict:
    """`raw` without the retired `keys`, whose dotted names are added to `retired`."""
    retired += [f"{where}.{k}" for k in sorted(keys & set(raw))]
    return {k: v for k, v in raw.items() if k not in keys}


def _theme(theme_id: Any, raw: Any, source: str, retired: list[str]) -> Theme:
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
    raw = _retired(raw, _RETIRED_THEME_KEYS, f"themes.{theme_id}", retired)
    unknown = sorted(set(raw) - _THEME_KEYS)
    if unknown:
        raise _fail(source, f"{where} has an unknown key {unknown[0]!r}")
    cues = _weighted(raw.get("cues", {}), source, f"{where} cues")
    if not cues:
        raise _fail(source, f"{where} has no cues")
    if "threshold" not in raw:
        raise _fail(source, f"{where} has no threshold")
    for flag in ("country_context", "lead_alone", "between_states"):
        if not isinstance(raw.get(flag, False), bool):
            raise _fail(source, f"{where}: {flag} must be true or false")
    supersedes = raw.get("supersedes", [])
    if not isinstance(supersedes, list) or not all(isinstance(t, str) for t in supersedes):
        raise _fail(source, f"{where}: supersedes must be a list of theme ids")
    gkg = raw.get("gdelt_gkg", [])
    if not isinstance(gkg, list) or not all(isinstance(g, str) for g in gkg):
        raise _fail(source, f"{where}: gdelt_gkg must be a list of theme names")
    return Theme(
        id=theme_id,
        label=str(raw.get("label", theme_id)),
        threshold=_number(raw["threshold"], source, f"{where} threshold"),
        min_sentences=_count(raw.get("min_sentences", 3), source, f"{where} min_sentences"),
        min_countries=_count(
            raw.get("min_countries", 0), source, f"{where} min_countries", minimum=0
        ),
        cues=cues,
        context=_listed(raw.get("context", {}), source, f"{where} context"),
        negative=_listed(raw.get("negative", {}), source, f"{where} negative"),
        context_factor=_number(
            raw.get("context_factor", 1.5), source, f"{where} context_factor", minimum=0.0
        ),
        bare_factor=_number(
            raw.get("bare_factor", 1.0), source, f"{where} bare_factor", minimum=0.0
        ),
        country_context=raw.get("country_context", False),
        lead_alone=raw.get("lead_alone", False),
        between_states=raw.get("between_states", False),
        supersedes=tuple(supersedes),
        iptc=_code(raw.get("iptc"), source, f"{where} iptc", r"^medtop:\d{8}$"),
        cameo=_code(raw.get("cameo"), source, f"{where} cameo", r"^\d{2,4}$"),
        gdelt_gkg=tuple(gkg),
    )


def _relations(raw: Any, source: str, retired: list[str]) -> RelationRules | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise _fail(source, "'relations' must be an object")
    raw = _retired(raw, _RETIRED_RELATION_KEYS, "relations", retired)
    unknown = sorted(set(raw) - _RELATION_KEYS)
    if unknown:
        raise _fail(source, f"relations has an unknown key {unknown[0]!r}")
    cues = _weighted(raw.get("cues", {}), source, "relations cues", split=True)
    if not cues:
        raise _fail(source, "relations has no cues")
    if "threshold" not in raw:
        raise _fail(source, "relations has no threshold")
    title_pairs = raw.get("title_pairs", True)
    if not isinstance(title_pairs, bool):
        raise _fail(source, "relations title_pairs must be true or false")
    return RelationRules(
        threshold=_number(raw["threshold"], source, "relations threshold"),
        cues=cues,
        actors=_listed(raw.get("actors", {}), source, "relations actors"),
        background=_listed(raw.get("background", {}), source, "relations background"),
        other_senses=_listed(raw.get("other_senses", {}), source, "relations other_senses"),
        standing=_listed(raw.get("standing", {}), source, "relations standing"),
        home_offices=_listed(raw.get("home_offices", {}), source, "relations home_offices"),
        home_languages=_home_languages(raw.get("home_languages", {}), source),
        pair_anaphors=_listed(raw.get("pair_anaphors", {}), source, "relations pair_anaphors"),
        mediation=_listed(raw.get("mediation", {}), source, "relations mediation"),
        max_parties=_count(raw.get("max_parties", 3), source, "relations max_parties", minimum=2),
        title_pairs=title_pairs,
        same_state=_pairs(raw.get("same_state", []), source),
    )


def _home_languages(raw: Any, source: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(raw, dict) or not all(
        isinstance(c, str) and re.fullmatch(r"[a-z]{2}", c) for c in raw.values()
    ):
        raise _fail(
            source, "relations home_languages must be an object of language -> country code"
        )
    for language in raw:
        _check_language(language, source, "relations home_languages")
    return tuple(sorted(raw.items()))


def _pairs(raw: Any, source: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(raw, list) or not all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(c, str) for c in p) for p in raw
    ):
        raise _fail(source, "relations same_state must be a list of [code, code] pairs")
    return tuple((a, b) for a, b in raw)


def _count(value: Any, source: str, where: str, *, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise _fail(source, f"{where} must be a whole number of at least {minimum}")
    return value


def _zones(raw: Any, source: str) -> Zones:
    if raw is None:
        return Zones()
    if not isinstance(raw, dict):
        raise _fail(source, "'zones' must be an object")
    unknown = sorted(set(raw) - _ZONE_KEYS)
    if unknown:
        raise _fail(source, f"zones has an unknown key {unknown[0]!r}")
    default = Zones()
    return Zones(
        title=_number(raw.get("title", default.title), source, "zones title"),
        lead=_number(raw.get("lead", default.lead), source, "zones lead"),
        body=_number(raw.get("body", default.body), source, "zones body"),
        lead_sentences=_count(
            raw.get("lead_sentences", default.lead_sentences), source, "zones lead_sentences"
        ),
    )


class ParsedTaxonomy(NamedTuple):
    """What parsing a taxonomy file gives beside the taxonomy: the retired keys it ignored (one
    warning names them) and the gazetteer file it read (None: the bundled one)."""

    taxonomy: Taxonomy
    retired: tuple[str, ...]
    gazetteer_path: str | None


def parse_taxonomy(text: str, source: str = "<string>", base_dir: str | None = None) -> Taxonomy:
    """A taxonomy from its JSON text. `source` names it in error messages; a gazetteer path in
    the file is read relative to `base_dir`. Raises `TaxonomyError` (one line) when unusable."""
    return parse_taxonomy_file(text, source, base_dir).taxonomy


def warn_retired(source: str, retired: tuple[str, ...]) -> None:
    """The warning naming the retired keys a taxonomy file still has, if any."""
    if retired:
        _LOGGER.warning(
            "taxonomy %s: ignoring %s (keys of the taxonomy format before 2026.12, whose rules "
            "are gone; see the CHANGELOG)",
            source,
            ", ".join(retired),
        )


def parse_taxonomy_file(text: str, source: str, base_dir: str | None) -> ParsedTaxonomy:
    """`parse_taxonomy`, with what else the parse found."""
    raw = parse_data_file(text, "taxonomy", source, _TOP_KEYS, TaxonomyError)
    version = raw.get("version")
    if not isinstance(version, str) or not version.strip():
        raise _fail(source, "'version' must be a non-empty string")
    themes_raw = raw.get("themes", {})
    if not isinstance(themes_raw, dict):
        raise _fail(source, "'themes' must be an object of theme id -> theme")
    retired: list[str] = []
    themes = tuple(_theme(theme_id, body, source, retired) for theme_id, body in themes_raw.items())
    known = {theme.id for theme in themes}
    for theme in themes:
        unknown = sorted(set(theme.supersedes) - known)
        if unknown:
            raise _fail(source, f"theme '{theme.id}' supersedes unknown theme(s) {unknown}")
    relations = _relations(raw.get("relations"), source, retired)
    if not themes and relations is None:
        raise _fail(source, "defines no themes and no relations: nothing to tag")
    countries = raw.get("countries", {})
    if not isinstance(countries, dict):
        raise _fail(source, "'countries' must be an object")
    countries = _retired(countries, _RETIRED_COUNTRY_KEYS, "countries", retired)
    warn_retired(source, tuple(retired))
    unknown = sorted(set(countries) - _COUNTRY_KEYS)
    if unknown:
        raise _fail(source, f"countries has an unknown key {unknown[0]!r}")
    country_rules = CountryRules(
        min_share=_number(countries.get("min_share", 0.2), source, "countries min_share"),
        min_mentions=_count(countries.get("min_mentions", 2), source, "countries min_mentions"),
    )
    gazetteer_path = countries.get("gazetteer")
    if gazetteer_path is not None and not isinstance(gazetteer_path, str):
        raise _fail(source, "countries.gazetteer must be a file path or null (the bundled one)")
    if gazetteer_path and base_dir and not Path(gazetteer_path).is_absolute():
        gazetteer_path = str(Path(base_dir) / gazetteer_path)
    try:
        gazetteer = load_gazetteer(gazetteer_path or None)
    except GazetteerError as exc:
        raise TaxonomyError(str(exc)) from None
    taxonomy = Taxonomy(
        name=str(raw.get("name", "taxonomy")),
        version=version,
        source=source,
        themes=themes,
        relations=relations,
        gazetteer=gazetteer,
        countries=country_rules,
        zones=_zones(raw.get("zones"), source),
    )
    return ParsedTaxonomy(taxonomy, tuple(retired), gazetteer_path or None)


def load_taxonomy(path: str | None = None) -> Taxonomy:
    """The taxonomy at `path`, or the one bundled in `newsbeam.schemas` when None.

    Raises `TaxonomyError` with a one-line message: file not found, not valid JSON, a theme
    without cues, a bad theme id, a bad weight, an unknown key...
    """
    return parse_taxonomy(*read_taxonomy_text(path))


def read_taxonomy_text(path: str | None) -> tuple[str, str, str | None]:
    """The text of the taxonomy file at `path` (None: the bundled one), the name its messages
    give it, and the folder its gazetteer path is relative to. Raises `TaxonomyError` (one line)
    when the file cannot be read."""
    if path is None:
        ref = resources.files("newsbeam.schemas").joinpath("taxonomy.json")
        return ref.read_text(encoding="utf-8"), "(bundled taxonomy.json)", None
    file = Path(path)
    try:
        text = read_setting_text(path, DATA_FILE_MAX_BYTES)
    except FileNotFoundError:
        raise TaxonomyError(f"taxonomy file not found: {path}") from None
    except NotAFile as exc:  # a folder, a named pipe or a device: never opened
        raise TaxonomyError(f"taxonomy file {exc}") from None
    except UnicodeDecodeError:
        raise TaxonomyError(f"taxonomy file {path} is not UTF-8 text") from None
    except OSError as exc:
        raise TaxonomyError(f"taxonomy file {path} cannot be read: {exc.strerror}") from None
    return text, path, str(file.parent)


def __getattr__(name: str) -> Any:
    # The tagger moved to `tagger.py`, which imports this module: resolve the old names lazily.
    if name in ("Tagger", "TagResult", "sentence_starts"):
        from newsbeam.transforms import tagger

        return getattr(tagger, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
