"""Titles, publication times and authors against labels made by reading real pages, for newsbeam
and for bare trafilatura in the same run.

    python -m bench.metadata_quality [--show-misses]

The labels (bench/data/metadata_labels.jsonl, labels only, no page text) were written by the team
by reading pages of the extraction benchmark: the headline as the page shows it, the publication
time with the offset the page states (a date alone when it states no time, a clock time without
offset when it states none), the authors as people (no site, desk or agency names). A field the
page leaves unclear is null and not scored. Each page is read in place from ../shared/data.

Scores: title equal to the headline (spacing aside); time right to the minute as a UTC instant
(labels with an offset); the day right (labels with a date); local clock times right and not
claimed as instants (newsbeam only: trafilatura has no such notion); authors exactly the labelled
people (order and case aside); outputs naming only people (no site, agency or URL fragment).
trafilatura is called as `bare_extraction(html, url=url, with_metadata=True)`.
"""

from __future__ import annotations

import argparse
import gzip
import json
from datetime import datetime, timezone
from pathlib import Path

import trafilatura

from bench.common import BENCHMARK_PAGES
from newsbeam.pipeline.build import extraction_settings
from newsbeam.transforms.extract import ExtractionError, _language_identifier, extract_article

LABELS = Path(__file__).parent / "data" / "metadata_labels.jsonl"


def _spaced(text: str | None) -> str:
    return " ".join((text or "").split())


def _names(names: list[str] | None) -> set[str]:
    return {_spaced(name).casefold() for name in names or []}


def _label_time(value: str) -> tuple[str, datetime | None, str]:
    """(kind, moment, local day) of a label: kind `instant`, `local` or `day`."""
    if len(value) == 10:
        return "day", None, value
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        return "local", parsed, value[:10]
    return "instant", parsed.astimezone(timezone.utc), value[:10]


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def _newsbeam(html: str, url: str, settings, identifier) -> dict:
    try:
        article = extract_article(
            html, url=url, origin=url, settings=settings, language_identifier=identifier
        )
    except ExtractionError:
        return {"title": None, "at": None, "precision": None, "offset": None, "authors": []}
    return {
        "title": article["title"],
        "at": article["published_at"],
        "precision": article["published_at_precision"],
        "offset": article["published_offset_minutes"],
        "authors": article["authors"],
    }


def _trafilatura(html: str, url: str) -> dict:
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    if doc is None:
        return {"title": None, "date": None, "authors": []}
    authors = [name for name in (doc.author or "").split("; ") if name.strip()]
    return {"title": doc.title, "date": doc.date, "authors": authors}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show-misses", action="store_true", help="print newsbeam's misses")
    args = parser.parse_args()
    labels = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines()]
    settings = extraction_settings("fast")
    identifier = _language_identifier()
    counts: dict[str, list[int]] = {}

    def tally(name: str, ours: bool, theirs: bool | None) -> None:
        row = counts.setdefault(name, [0, 0, 0])
        row[0] += 1
        row[1] += ours
        row[2] += bool(theirs)

    misses = []
    for label in labels:
        path = BENCHMARK_PAGES / f"{label['page']}.html.gz"
        html = gzip.decompress(path.read_bytes()).decode("utf-8")
        ours = _newsbeam(html, label["url"], settings, identifier)
        theirs = _trafilatura(html, label["url"])
        if label["title"] is not None:
            wanted = _spaced(label["title"])
            hit = _spaced(ours["title"]) == wanted
            tally("title equal to the headline", hit, _spaced(theirs["title"]) == wanted)
            if not hit:
                misses.append(("title", label["page"][:12], wanted, ours["title"]))
        if label["published"] is not None:
            kind, moment, day = _label_time(label["published"])
            at = ours["at"]
            # Our local day: the UTC instant shifted by the stated offset (a local clock time
            # and a date are stored as if UTC: their UTC date is the page's date).
            our_day = None
            if at is not None:
                shift = ours["offset"] or 0
                our_day = datetime.fromtimestamp(at.timestamp() + shift * 60, timezone.utc)
                our_day = our_day.date().isoformat()
            tally("day right", our_day == day, (theirs["date"] or "")[:10] == day)
            if kind == "instant":
                hit = at is not None and ours["precision"] == "instant"
                hit = hit and _minute(at) == _minute(moment)
                tally("time right to the minute (UTC)", hit, False)
                if not hit:
                    misses.append(("time", label["page"][:12], label["published"], at))
            elif kind == "local":
                hit = at is not None and ours["precision"] == "local"
                hit = hit and _minute(at.replace(tzinfo=None)) == _minute(moment)
                tally("local clock right, not claimed as UTC", hit, None)
        if label["authors"] is not None:
            wanted_names = _names(label["authors"])
            ours_names, theirs_names = _names(ours["authors"]), _names(theirs["authors"])
            tally(
                "authors exactly the people",
                ours_names == wanted_names,
                theirs_names == wanted_names,
            )
            tally(
                "authors named are all people",
                ours_names <= wanted_names,
                theirs_names <= wanted_names,
            )
            if ours_names != wanted_names:
                misses.append(("authors", label["page"][:12], label["authors"], ours["authors"]))

    print("command: python -m bench.metadata_quality")
    print(
        f"{len(labels)} pages of the extraction benchmark labelled by reading them ({LABELS.name})"
    )
    print(f"{'measure':<42} {'pages':>5} {'newsbeam':>9} {'trafilatura':>12}")
    for name, (pages, ours_hits, theirs_hits) in counts.items():
        their = "-" if name.startswith("local") else f"{theirs_hits / pages:12.3f}"
        print(f"{name:<42} {pages:5d} {ours_hits / pages:9.3f} {their:>12}")
    print("trafilatura's date has no time of day: it cannot be right to the minute")
    if args.show_misses:
        for miss in misses:
            print("miss", *miss)


if __name__ == "__main__":
    main()
