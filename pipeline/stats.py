"""`newsbeam stats`: what an output holds, as tables (plain text, CSV or JSON), and topic volume
over time as a chart.

The three tables are read with DuckDB the way the contract promises (hive partitioning), plus
`union_by_name` so that partitions written before a column was added still read. A table with no
files yet is an empty table, not an error. The run log comes from `StateStore.runs()`.

The report is collected once (`collect_report`) as a summary and named tables of raw values, then
rendered: `text` (the default) for people, with the long tables cut to their head and a bar per
day; `csv` and `json` for programs, every row, on stdout. CSV is one document: a `table` column
names the table a row belongs to, and a row leaves the columns of other tables empty. JSON is one
object: `output`, `filters`, `summary`, and `tables` (table name -> list of row objects). Shares
are fractions (0.25) in CSV and JSON, percentages in text.

Filters: `--since DATE` and `--until DATE` (both included) keep articles whose `published_date`
is in the window (UTC); the duplicate and reject rates then count the inputs ingested in it, and
the run list the runs started in it. `--topic ID` keeps the articles tagged ID and the duplicates
of those articles (rejects carry no topics, so their rows are left out).

Articles with no publication date are filed under their ingest date (the contract's
`published_date`). The per-day table counts them on that day (the text says so in a note, CSV
and JSON in an `undated` column); every "first" and "last published" date, and the chart, use
dated articles only, so one undated article does not stretch a span to the ingest date. The
summary and the chart say how many were left out.

The chart is small multiples: one panel of bars per topic (the top eight), all panels on the same
time axis and the same count scale, so topics with equal counts are two equal panels rather than
two lines drawn over each other, and a week with no article is a gap, not a line through zero.
A first or last week (or month) that the published dates cover only in part has a grey
background: its bar counts fewer days.

Exit status of `run_stats` (the command returns it); every failure is one line on stderr:
  0   the report was printed (and the chart written);
  1   --plot needs matplotlib and it is not installed, or a table file cannot be read;
  2   bad arguments: a --since or --until that is not YYYY-MM-DD (`parse_date`, their argparse
      `type`, makes argparse report it; `run_stats` given a bad string returns 2 itself), a
      --since later than --until, a --format other than text/csv/json, a --plot format other than
      png/svg/pdf, an output that is not a local folder;
  66  nothing to report: the output folder is missing, or holds neither a table file nor a run
      record (EX_NOINPUT, a sibling of the 73 and 75 the command already uses);
  73  the chart cannot be written (EX_CANTCREAT, as for an output that cannot be written).
"""

from __future__ import annotations

import argparse
import csv
import glob
import io
import json
import logging
import os
import re
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TextIO

import duckdb
import pyarrow as pa

from newsbeam.pipeline.lifecycle import Exit
from newsbeam.pipeline.options import DEFAULT_OUTPUT
from newsbeam.pipeline.state import StateStore
from newsbeam.schemas.tables import OUTPUT_TABLES, TABLES

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "FORMATS",
    "ChartData",
    "NothingToReport",
    "Report",
    "Table",
    "add_stats_arguments",
    "chart_data",
    "collect_report",
    "draw_chart",
    "format_table",
    "open_output",
    "parse_date",
    "parse_format",
    "render_csv",
    "render_json",
    "render_text",
    "run_stats",
]

_LOGGER = logging.getLogger(__name__)


CHART_TOPICS = 8  # panels in the chart; more stop fitting a page
FORMATS = ("text", "csv", "json")
_CHART_FORMATS = ("png", "svg", "pdf")
# tab10 without its grey (reads as a grid line) and olive (too close to green for some readers).
_PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
)
_DAYS_SHOWN, _TOPICS_SHOWN, _SOURCES_SHOWN, _REASONS_SHOWN, _RUNS_SHOWN = 31, 20, 15, 10, 10
_BAR_WIDTH = 30
_RUN_COUNTS = ("inputs", "articles", "duplicates", "rejects", "skipped")
_NO_DOMAIN = "(none)"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# -- arguments ---------------------------------------------------------------------------------
def parse_date(value: str) -> date:
    """`YYYY-MM-DD` -> date; the `type` of --since and --until, so argparse reports a bad one in
    one line."""
    text = value.strip()
    try:
        if not _DATE.fullmatch(text):  # fromisoformat also takes 20261001 and 2026-W40-1
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, not {value!r}") from None


def parse_format(value: str) -> str:
    """`text`, `csv` or `json` (any case) -> its lower-case name; the `type` of --format."""
    name = value.strip().lower()
    if name not in FORMATS:
        raise argparse.ArgumentTypeError(f"expected text, csv or json, not {value!r}")
    return name


def add_stats_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add `stats`'s options to `parser` (returned, for chaining)."""
    parser.add_argument(
        "--output",
        default=DEFAULT_OUTPUT,
        metavar="DIR",
        help=f"The output folder to summarise (default {DEFAULT_OUTPUT}).",
    )
    parser.add_argument(
        "--plot",
        default=None,
        metavar="FILE.png",
        help="Also draw topic volume over time into this image (.svg and .pdf work too): one "
        "panel of bars per topic (the top 8), on a shared time axis and scale; all articles in "
        "one panel when nothing is tagged. Articles with no publication date are left out and "
        "counted in the subtitle.",
    )
    parser.add_argument(
        "--since",
        default=None,
        type=parse_date,
        metavar="YYYY-MM-DD",
        help="Only articles published on or after this date (UTC); the duplicate and reject "
        "rates count inputs ingested since then, the run list runs started since then.",
    )
    parser.add_argument(
        "--until",
        default=None,
        type=parse_date,
        metavar="YYYY-MM-DD",
        help="Only articles published on or before this date (UTC, the day included); the rates "
        "and the run list end on that day too.",
    )
    parser.add_argument(
        "--topic",
        default=None,
        metavar="ID",
        help="Only articles tagged with this topic id (e.g. relations:by-us) and their duplicates.",
    )
    parser.add_argument(
        "--format",
        default="text",
        type=parse_format,
        metavar="{text,csv,json}",
        help="How to print the tables: text (default) for reading; csv (one document, a `table` "
        "column naming each row's table) or json (one object) with every row, for programs.",
    )
    return parser


# -- reading the output ------------------------------------------------------------------------
class NothingToReport(Exception):
    """The output is missing or holds nothing yet."""


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def open_output(output: str) -> tuple[duckdb.DuckDBPyConnection, dict[str, int]]:
    """An in-memory DuckDB connection with one view per output table (`articles`, `duplicates`,
    `rejects`), and the number of files behind each. Raises `NothingToReport` when the folder is
    missing or holds no table file and no run record."""
    if not os.path.exists(output):
        raise NothingToReport(f"no newsbeam output at {output}: the folder does not exist")
    if not os.path.isdir(output):
        raise NothingToReport(f"{output} is not a folder, so not a newsbeam output")
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")  # dates of timestamps are UTC dates, whatever the host
    con.execute("SET parquet_metadata_cache = true")  # the report reads every file ~15 times
    counts: dict[str, int] = {}
    for name in OUTPUT_TABLES:
        schema, partition = TABLES[name]
        # An explicit list, not a glob in SQL: Python's glob skips hidden (in-progress) names
        # and an empty list is not DuckDB's "No files found" error.
        files = sorted(glob.glob(os.path.join(glob.escape(output), name, "*=*", "*.parquet")))
        counts[name] = len(files)
        if files:
            listed = ", ".join(_sql_string(f) for f in files)
            con.execute(
                f"CREATE VIEW {name} AS SELECT * FROM read_parquet([{listed}], "
                f"hive_partitioning = true, union_by_name = true, "
                f"hive_types = {{'{partition}': DATE}})"
            )
        else:
            empty = pa.schema([*schema, pa.field(partition, pa.date32())]).empty_table()
            con.register(f"_{name}_empty", empty)
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM _{name}_empty")
    return con, counts


@dataclass(frozen=True)
class _Filters:
    since: date | None = None
    until: date | None = None
    topic: str | None = None

    def _window(self, column: str) -> tuple[list[str], list[Any]]:
        clauses, params = [], []
        if self.since:
            clauses.append(f"{column} >= ?")
            params.append(self.since)
        if self.until:
            clauses.append(f"{column} <= ?")
            params.append(self.until)
        return clauses, params

    def articles(self) -> tuple[str, list[Any]]:
        """WHERE clause and parameters for the articles the report is about."""
        clauses, params = self._window("published_date")
        if self.topic:
            clauses.append("list_contains(topics, ?)")
            params.append(self.topic)
        return " AND ".join(["TRUE", *clauses]), params

    def ingested(self, table: str) -> tuple[str, list[Any]]:
        """WHERE clause and parameters for the rows behind the duplicate and reject rates."""
        clauses, params = self._window("CAST(ingested_at AS DATE)")
        if self.topic and table == "articles":
            clauses.append("list_contains(topics, ?)")
            params.append(self.topic)
        if self.topic and table == "duplicates":
            clauses.append(
                "duplicate_of IN (SELECT article_id FROM articles WHERE list_contains(topics, ?))"
            )
            params.append(self.topic)
        return " AND ".join(["TRUE", *clauses]), params

    def keeps_day(self, day: date) -> bool:
        return (not self.since or day >= self.since) and (not self.until or day <= self.until)

    def window(self) -> str:
        """The date window in words ('' without one), after a verb: 'published {window}'."""
        if self.since and self.until:
            return f"from {self.since.isoformat()} to {self.until.isoformat()}"
        if self.since:
            return f"on or after {self.since.isoformat()}"
        if self.until:
            return f"on or before {self.until.isoformat()}"
        return ""

    def describe(self) -> str:
        parts = []
        if self.window():
            parts.append(f"published {self.window()}")
        if self.topic:
            parts.append(f"tagged {self.topic}")
        return "articles " + " and ".join(parts) if parts else ""

    def as_dict(self) -> dict[str, Any]:
        return {"since": self.since, "until": self.until, "topic": self.topic}


# -- the report's data -------------------------------------------------------------------------
@dataclass(frozen=True)
class Table:
    """One table of the report: column names as CSV and JSON give them, and every row (raw
    values: None, int, float, str, date). The first `keys` columns identify a row."""

    name: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    keys: int = 1

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Report:
    """What `stats` reports, before it is rendered. `summary` is one row of counts; `tables`
    holds, in order: days, topics, sources, outcomes, duplicate_kinds, reject_reasons (not with
    --topic) and runs."""

    output: str
    filters: _Filters
    summary: Table
    tables: dict[str, Table]
    known_topics: list[str] = field(default_factory=list)  # for the --topic hint


def _share(part: int | None, whole: int) -> float | None:
    return round(part / whole, 4) if whole and part is not None else None


def _summary(con: duckdb.DuckDBPyConnection, filters: _Filters, runs: int) -> Table:
    where, params = filters.articles()
    articles, undated, first, last, sources, untagged = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE published_at IS NULL), "
        f"min(published_date) FILTER (WHERE published_at IS NOT NULL), "
        f"max(published_date) FILTER (WHERE published_at IS NOT NULL), "
        f"count(DISTINCT source_domain), "
        f"count(*) FILTER (WHERE len(coalesce(topics, [])) = 0) FROM articles WHERE {where}",
        params,
    ).fetchone()
    topics = con.execute(
        f"SELECT count(DISTINCT t) FROM (SELECT unnest(topics) AS t FROM articles WHERE {where})",
        params,
    ).fetchone()[0]
    return Table(
        "summary",
        (
            "articles",
            "undated",
            "untagged",
            "first_published",
            "last_published",
            "sources",
            "topics",
            "runs",
        ),
        [(articles, undated, untagged, first, last, sources, topics, runs)],
        keys=0,
    )


def _days(con: duckdb.DuckDBPyConnection, filters: _Filters) -> Table:
    where, params = filters.articles()
    rows = con.execute(
        f"SELECT published_date, count(*), count(*) FILTER (WHERE published_at IS NULL) "
        f"FROM articles WHERE {where} GROUP BY published_date ORDER BY published_date",
        params,
    ).fetchall()
    return Table("days", ("published_date", "articles", "undated"), rows)


def _topics(con: duckdb.DuckDBPyConnection, filters: _Filters, total: int) -> Table:
    where, params = filters.articles()
    rows = con.execute(
        f"SELECT topic, count(*) AS n, "
        f"min(published_date) FILTER (WHERE published_at IS NOT NULL), "
        f"max(published_date) FILTER (WHERE published_at IS NOT NULL) "
        f"FROM (SELECT unnest(topics) AS topic, published_date, published_at FROM articles "
        f"WHERE {where}) GROUP BY topic ORDER BY n DESC, topic",
        params,
    ).fetchall()
    return Table(
        "topics",
        ("topic", "articles", "share", "first_published", "last_published"),
        [(t, n, _share(n, total), first, last) for t, n, first, last in rows],
    )


def _sources(con: duckdb.DuckDBPyConnection, filters: _Filters, total: int) -> Table:
    where, params = filters.articles()
    rows = con.execute(
        f"SELECT source_domain, count(*) AS n, "
        f"max(published_date) FILTER (WHERE published_at IS NOT NULL) "
        f"FROM articles WHERE {where} GROUP BY source_domain "
        f"ORDER BY n DESC, source_domain IS NULL, source_domain",
        params,
    ).fetchall()
    return Table(
        "sources",
        ("source_domain", "articles", "share", "last_published"),
        [(s, n, _share(n, total), last) for s, n, last in rows],
    )


def _outcomes(con: duckdb.DuckDBPyConnection, filters: _Filters) -> Table:
    counts = {}
    for table in OUTPUT_TABLES:
        if table == "rejects" and filters.topic:
            continue
        where, params = filters.ingested(table)
        counts[table] = con.execute(
            f"SELECT count(*) FROM {table} WHERE {where}", params
        ).fetchone()[0]
    inputs = sum(counts.values())
    rows = [(name, n, _share(n, inputs)) for name, n in counts.items()]
    rows.append(("inputs", inputs, _share(inputs, inputs)))
    return Table("outcomes", ("outcome", "rows", "share"), rows)


def _duplicate_kinds(con: duckdb.DuckDBPyConnection, filters: _Filters, total: int) -> Table:
    where, params = filters.ingested("duplicates")
    rows = con.execute(
        f"SELECT kind, count(*) AS n, avg(similarity) FROM duplicates WHERE {where} "
        f"GROUP BY kind ORDER BY n DESC, kind",
        params,
    ).fetchall()
    return Table(
        "duplicate_kinds",
        ("kind", "rows", "share", "mean_similarity"),
        [(k, n, _share(n, total), round(s, 4) if s is not None else None) for k, n, s in rows],
    )


def _reject_reasons(con: duckdb.DuckDBPyConnection, filters: _Filters, total: int) -> Table:
    where, params = filters.ingested("rejects")
    rows = con.execute(
        f"SELECT stage, error, count(*) AS n, min(detail) FROM rejects WHERE {where} "
        f"GROUP BY stage, error ORDER BY n DESC, stage, error",
        params,
    ).fetchall()
    return Table(
        "reject_reasons",
        ("stage", "error", "rows", "share", "example"),
        [(stage, error, n, _share(n, total), detail) for stage, error, n, detail in rows],
        keys=2,
    )


def _started(record: dict[str, Any]) -> datetime | None:
    try:
        return datetime.fromisoformat(str(record["started_at"]))
    except (KeyError, ValueError):
        return None


def _runs(records: list[dict[str, Any]], filters: _Filters) -> Table:
    """Runs started in the window (a record without a start time is kept), newest first."""
    kept = [r for r in records if _started(r) is None or filters.keeps_day(_started(r).date())]
    newest = list(reversed(kept))
    extra = sorted({k for r in newest for k in (r.get("counts") or {}) if k not in _RUN_COUNTS})
    columns = [*_RUN_COUNTS, *extra]
    rows = []
    for record in newest:
        started = _started(record)
        seconds = record.get("seconds")
        counts = record.get("counts") or {}
        rows.append(
            (
                record.get("run_id", "?"),
                record.get("command", ""),
                started,
                float(seconds) if isinstance(seconds, (int, float)) else None,
                *(counts.get(c) for c in columns),
            )
        )
    return Table("runs", ("run_id", "command", "started_at", "seconds", *columns), rows)


def collect_report(
    con: duckdb.DuckDBPyConnection,
    records: list[dict[str, Any]],
    output: str,
    filters: _Filters,
) -> Report:
    """Every table of the report, every row, from the views `open_output` made and the run log."""
    summary = _summary(con, filters, len(records))
    total = summary.rows[0][0]
    outcomes = _outcomes(con, filters)
    counts = {name: n for name, n, _ in outcomes.rows}
    tables = [
        _days(con, filters),
        _topics(con, filters, total),
        _sources(con, filters, total),
        outcomes,
        _duplicate_kinds(con, filters, counts["duplicates"]),
    ]
    if not filters.topic:  # rejects carry no topics
        tables.append(_reject_reasons(con, filters, counts["rejects"]))
    tables.append(_runs(records, filters))
    known = []
    if filters.topic and not total:
        known = [
            row[0]
            for row in con.execute(
                "SELECT t FROM (SELECT unnest(topics) AS t FROM articles) "
                "GROUP BY t ORDER BY count(*) DESC, t LIMIT 8"
            ).fetchall()
        ]
    return Report(output, filters, summary, {t.name: t for t in tables}, known)


# -- text tables -------------------------------------------------------------------------------
def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def format_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], align: str) -> list[str]:
    """Fixed-width text, indented by two spaces: a header, a rule, one line per row. `align`
    has one letter per column, `l` or `r`. Integers get thousands separators, None is blank."""
    cells = [[_cell(value) for value in row] for row in rows]
    widths = [max([len(h)] + [len(row[i]) for row in cells]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        padded = [
            v.rjust(w) if a == "r" else v.ljust(w)
            for v, w, a in zip(values, widths, align, strict=True)
        ]
        return ("  " + "  ".join(padded)).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(row) for row in cells)]


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def _section(
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    align: str,
    *,
    empty: str,
    notes: Sequence[str] = (),
) -> list[str]:
    lines = [title]
    lines += format_table(headers, rows, align) if rows else [f"  {empty}"]
    lines += [f"  note: {note}" for note in notes if note]
    return [*lines, ""]


def _more(hidden: int, what: str) -> str:
    return f"{hidden:,} more {what} not shown" if hidden > 0 else ""


def _shorten(text: str | None, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun if n == 1 else noun + 's'}"


def _summary_text(report: Report) -> list[str]:
    filters = report.filters
    articles, undated, _untagged, first, last, sources, topics, runs = report.summary.rows[0]
    span = f" published {first} to {last}" if first else ""
    lines = [
        f"newsbeam stats: {report.output}",
        f"  {_count(articles, 'article')}{span}; {_count(sources, 'source')}; "
        f"{_count(topics, 'topic')}; {_count(runs, 'run')} in the run log",
    ]
    if filters.describe():
        lines.append(f"  filter: {filters.describe()}")
    if undated:
        lines.append(
            f"  note: {undated:,} of these articles have no publication date: filed under their "
            f"ingest date, left out of the spans and the chart"
        )
    if filters.topic and not articles:
        known = report.known_topics
        hint = f"; tagged topics include {', '.join(known)}" if known else "; no article is tagged"
        lines.append(f"  note: no article matches --topic {filters.topic}{hint}")
    return [*lines, ""]


def _days_text(report: Report) -> list[str]:
    rows = report.tables["days"].rows
    shown, hidden = rows[-_DAYS_SHOWN:], rows[:-_DAYS_SHOWN]
    peak = max((n for _, n, _ in shown), default=0)
    table = [
        (day, n, "#" * max(1, round(_BAR_WIDTH * n / peak)) if peak else "") for day, n, _ in shown
    ]
    notes = []
    if hidden:
        notes.append(
            f"{len(hidden):,} earlier days ({sum(n for _, n, _ in hidden):,} articles) not "
            f"shown; choose the window with --since and --until"
        )
    undated = sum(u for _, _, u in rows)
    if undated:
        notes.append(f"{undated:,} articles without a publication date count on their ingest date")
    return _section(
        "Articles per day (publication date, UTC)",
        ("date", "articles", ""),
        table,
        "lrl",
        empty="no articles",
        notes=notes,
    )


def _topics_text(report: Report) -> list[str]:
    total, _undated, untagged = report.summary.rows[0][:3]
    rows = report.tables["topics"].rows
    topic = report.filters.topic
    table = [(t, n, _pct(n, total), first, last) for t, n, _, first, last in rows[:_TOPICS_SHOWN]]
    notes = [_more(len(rows) - _TOPICS_SHOWN, "topics")]
    if rows and untagged:
        notes.append(f"{untagged:,} articles ({_pct(untagged, total)}) have no topic")
    return _section(
        "Articles per topic" + (f" (articles tagged {topic})" if topic else ""),
        ("topic", "articles", "share", "first", "last"),
        table,
        "lrrll",
        empty="no topics: no article is tagged yet" if total else "no articles",
        notes=notes,
    )


def _sources_text(report: Report) -> list[str]:
    total = report.summary.rows[0][0]
    rows = report.tables["sources"].rows
    table = [(s or _NO_DOMAIN, n, _pct(n, total), last) for s, n, _, last in rows[:_SOURCES_SHOWN]]
    notes = [_more(len(rows) - _SOURCES_SHOWN, "sources")]
    if any(s is None for s, *_ in rows):
        notes.append(f"{_NO_DOMAIN} counts articles without a web URL (inbox files naming none)")
    return _section(
        "Articles per source domain",
        ("source", "articles", "share", "last published"),
        table,
        "lrrl",
        empty="no articles",
        notes=notes,
    )


def _rates_text(report: Report) -> list[str]:
    filters = report.filters
    counts = {name: n for name, n, _ in report.tables["outcomes"].rows}
    inputs = counts["inputs"]
    window = f" ingested {filters.window()}" if filters.window() else ""
    title = f"Duplicate and reject rates ({'inputs' + window if window else 'all inputs'})"
    notes = []
    if filters.topic:
        title = f"Duplicate rate (articles tagged {filters.topic} and their copies{window})"
        notes.append("rejects carry no topics: left out with --topic")
    rows = [(name, n, _pct(n, inputs)) for name, n in counts.items()]
    lines = _section(title, ("outcome", "rows", "share"), rows, "lrr", empty="", notes=notes)

    dup_total = counts["duplicates"]
    lines += _section(
        "Duplicates by kind",
        ("kind", "rows", "share", "mean similarity"),
        [
            (k, n, _pct(n, dup_total), f"{s:.2f}" if s is not None else "")
            for k, n, _, s in report.tables["duplicate_kinds"].rows
        ],
        "lrrr",
        empty="no duplicates",
    )
    if "reject_reasons" not in report.tables:
        return lines
    reasons = report.tables["reject_reasons"].rows
    lines += _section(
        "Top reject reasons",
        ("stage", "error", "rows", "share", "example"),
        [
            (stage, error, n, _pct(n, counts["rejects"]), _shorten(detail, 60))
            for stage, error, n, _, detail in reasons[:_REASONS_SHOWN]
        ],
        "llrrl",
        empty="no rejects",
        notes=[_more(len(reasons) - _REASONS_SHOWN, "reasons")],
    )
    return lines


def _runs_text(report: Report) -> list[str]:
    runs = report.tables["runs"]
    columns = runs.columns[4:]
    rows = [
        (run_id, command, started.strftime("%Y-%m-%d %H:%M:%S") if started else "", *rest)
        for run_id, command, started, *rest in runs.rows[:_RUNS_SHOWN]
    ]
    window = report.filters.window()
    window = f" started {window}" if window else ""
    return _section(
        f"Last runs{window} (run log, newest first)",
        ("run", "command", "started (UTC)", "seconds", *columns),
        rows,
        "lllr" + "r" * len(columns),
        empty="no runs in the run log",
        notes=[_more(len(runs.rows) - len(rows), "runs")],
    )


def render_text(report: Report) -> str:
    """The report for reading: each table under its title, long ones cut to their head."""
    lines = _summary_text(report)
    for part in (_days_text, _topics_text, _sources_text, _rates_text, _runs_text):
        lines += part(report)
    return "\n".join(lines)


# -- CSV and JSON ------------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    """A value as JSON holds it: dates and times as ISO 8601 text."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def render_json(report: Report) -> str:
    """The report as one JSON object: output, filters, summary (an object) and tables (name ->
    list of row objects, every row)."""
    document = {
        "output": report.output,
        "filters": {k: _plain(v) for k, v in report.filters.as_dict().items()},
        "summary": {k: _plain(v) for k, v in report.summary.records()[0].items()},
        "tables": {
            name: [{k: _plain(v) for k, v in row.items()} for row in table.records()]
            for name, table in report.tables.items()
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_csv(report: Report) -> str:
    """The report as one CSV document: a `table` column (summary, days, topics, ...), then the
    key columns of every table, then the rest; a row fills its own table's columns only."""
    tables = [report.summary, *report.tables.values()]
    keys: list[str] = []
    rest: list[str] = []
    for table in tables:
        for i, column in enumerate(table.columns):
            into = keys if i < table.keys else rest
            if column not in keys and column not in rest:
                into.append(column)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["table", *keys, *rest], lineterminator="\n")
    writer.writeheader()
    for table in tables:
        for record in table.records():
            cells = {k: "" if v is None else _plain(v) for k, v in record.items()}
            writer.writerow({"table": table.name, **cells})
    return buffer.getvalue()


# -- the chart ---------------------------------------------------------------------------------
@dataclass
class ChartData:
    """What the chart shows: one count per bucket for each panel, panels in order. Only articles
    with a publication date are counted; `undated` says how many the filters kept without one."""

    bucket: str  # "day", "week" or "month"
    buckets: list[date] = field(default_factory=list)
    series: dict[str, list[int]] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    topics_total: int = 0  # distinct topics among the filtered dated articles
    tagged: bool = True  # False: one panel of all articles, nothing being tagged
    articles: int = 0  # dated articles, the ones drawn
    undated: int = 0  # articles the filters keep that have no publication date: not drawn
    first: date | None = None
    last: date | None = None
    since: date | None = None  # the filter window, when one was given
    until: date | None = None

    @property
    def partial_first(self) -> bool:
        """The first week or month starts before the first article: its count is not comparable."""
        return bool(self.buckets) and self.bucket != "day" and self.first > self.buckets[0]

    @property
    def partial_last(self) -> bool:
        """The last week or month goes on after the last article."""
        if not self.buckets or self.bucket == "day":
            return False
        return self.last < _next_bucket(self.buckets[-1], self.bucket) - timedelta(days=1)

    @property
    def partial(self) -> list[bool]:
        """Per bucket: does the span of published dates cover it only in part?"""
        flags = [False] * len(self.buckets)
        if flags and self.partial_first:
            flags[0] = True
        if flags and self.partial_last:
            flags[-1] = True
        return flags


def _bucket_size(first: date, last: date) -> str:
    span = (last - first).days
    return "day" if span <= 45 else "week" if span <= 731 else "month"


def _next_bucket(start: date, bucket: str) -> date:
    if bucket == "day":
        return start + timedelta(days=1)
    if bucket == "week":
        return start + timedelta(days=7)
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)


def _bucket_range(first: date, last: date, bucket: str) -> list[date]:
    out = []
    current = first
    while current <= last:
        out.append(current)
        current = _next_bucket(current, bucket)
    return out


def chart_data(
    con: duckdb.DuckDBPyConnection,
    since: date | None = None,
    topic: str | None = None,
    until: date | None = None,
) -> ChartData:
    """Counts per bucket of the top topics (only `topic` when given) among the dated articles the
    filters keep; all of them as one series when none has a topic. The buckets run from the
    first to the last publication date: undated articles are counted in `undated`, not drawn."""
    filters = _Filters(since, until, topic)
    where, params = filters.articles()
    undated = con.execute(
        f"SELECT count(*) FROM articles WHERE {where} AND published_at IS NULL", params
    ).fetchone()[0]
    where += " AND published_at IS NOT NULL"
    articles, first, last = con.execute(
        f"SELECT count(*), min(published_date), max(published_date) FROM articles WHERE {where}",
        params,
    ).fetchone()
    if not articles:
        return ChartData(bucket="day", undated=undated, since=since, until=until)
    bucket = _bucket_size(first, last)
    trunc = f"CAST(date_trunc('{bucket}', published_date) AS DATE)"
    ranked = con.execute(
        f"SELECT topic, count(*) AS n FROM (SELECT unnest(topics) AS topic FROM articles "
        f"WHERE {where}) GROUP BY topic ORDER BY n DESC, topic",
        params,
    ).fetchall()
    if topic:
        ranked = [(t, n) for t, n in ranked if t == topic]
    chosen = ranked if topic else ranked[:CHART_TOPICS]
    if chosen:
        rows = con.execute(
            f"SELECT topic, {trunc} AS b, count(*) FROM (SELECT unnest(topics) AS topic, "
            f"published_date FROM articles WHERE {where}) WHERE list_contains(?, topic) "
            f"GROUP BY topic, b",
            [*params, [t for t, _ in chosen]],
        ).fetchall()
        labels = [t for t, _ in chosen]
        totals = dict(chosen)
    else:
        rows = con.execute(
            f"SELECT 'all articles', {trunc} AS b, count(*) FROM articles WHERE {where} GROUP BY b",
            params,
        ).fetchall()
        labels = ["all articles"]
        totals = {"all articles": articles}
    trunc_first, trunc_last = con.execute(
        f"SELECT CAST(date_trunc('{bucket}', ?::DATE) AS DATE), "
        f"CAST(date_trunc('{bucket}', ?::DATE) AS DATE)",
        [first, last],
    ).fetchone()
    buckets = _bucket_range(trunc_first, trunc_last, bucket)
    index = {b: i for i, b in enumerate(buckets)}
    series = {label: [0] * len(buckets) for label in labels}
    for label, b, n in rows:
        series[label][index[b]] = n
    return ChartData(
        bucket=bucket,
        buckets=buckets,
        series=series,
        totals=totals,
        topics_total=len(ranked) if not topic else len(chosen),
        tagged=bool(chosen),
        articles=articles,
        undated=undated,
        first=first,
        last=last,
        since=since,
        until=until,
    )


_X_LABELS = {
    "day": "Publication date (UTC)",
    "week": "Week of publication (UTC, weeks start on Monday)",
    "month": "Month of publication (UTC)",
}
_NOTE_WIDTH = 140  # characters of a note line under the chart's title: what 12 inches hold
_PARTIAL_SHADE = "#e8e8e8"  # behind a week or month the published dates cover only in part


def _chart_title(data: ChartData, topic: str | None) -> str:
    per = data.bucket
    if topic:
        return f"Articles tagged {topic}, per {per}"
    if not data.articles:
        return "Articles per day"
    if data.tagged:
        shown = len(data.series)
        of = f" (top {shown} of {data.topics_total})" if data.topics_total > shown else ""
        return f"Articles per {per} by topic{of}"
    return f"Articles per {per} (no topics tagged yet)"


def _chart_notes(data: ChartData, output: str) -> list[str]:
    """The lines under the title: what was counted, and what was left out and why; each short
    enough to fit the figure's width."""
    if data.articles:
        counted = f"{data.articles:,} articles published {data.first} to {data.last}"
    else:
        counted = "no article with a publication date matches"
    window = _Filters(data.since, data.until).window()
    if window:
        counted += f" (filter: published {window})"
    source = f"newsbeam output {output}"
    if data.tagged and len(data.series) > 1:
        source += "; one panel per topic, all on the same scale"
    notes = [source, counted]
    if data.undated:
        notes.append(
            f"{data.undated:,} {'article' if data.undated == 1 else 'articles'} without a "
            f"publication date not shown"
        )
    if data.partial_first or data.partial_last:
        notes.append(
            f"grey background: {data.bucket}s only partly inside {data.first} to {data.last}, "
            f"so their counts cover fewer days"
        )
    return [part for note in notes for part in textwrap.wrap(note, _NOTE_WIDTH)]


def draw_chart(data: ChartData, output: str, topic: str | None = None) -> Figure:
    """The chart as a matplotlib Figure (no pyplot, no global backend: safe in any process):
    a header (title and notes), then one panel of bars per series, on a shared time axis and a
    shared count scale; each panel is titled with its series, its total and its peak."""
    from matplotlib import dates as mdates
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    panels = list(data.series.items()) if data.articles else []
    n = max(1, len(panels))
    notes = _chart_notes(data, output)
    header_inches = 0.2 * len(notes)  # 10-point lines
    fig = Figure(figsize=(12, 1.4 + header_inches + 1.25 * n), dpi=150, layout="constrained")
    grid = fig.add_gridspec(n + 1, 1, height_ratios=[header_inches, *([1.25] * n)])
    header = fig.add_subplot(grid[0])
    header.axis("off")
    fig.suptitle(_chart_title(data, topic), fontsize=15, fontweight="bold")
    header.text(
        0.5,
        0.5,
        "\n".join(notes),
        transform=header.transAxes,
        ha="center",
        va="center",
        fontsize=10,
        color="#444444",
    )
    per = data.bucket
    if not panels:
        ax = fig.add_subplot(grid[1])
        empty = (
            "No article with a publication date matches" if data.undated else "No articles match"
        )
        ax.text(0.5, 0.5, empty, transform=ax.transAxes, ha="center", fontsize=14)
        ax.set_xticks([])
        ax.set_yticks([])
        return fig

    # Each bar covers its whole day, week or month (less a gap), starting where it starts, so
    # the axis reads as a calendar. A partial first or last bucket gets a grey background
    # rather than a changed bar: the count is right, it covers fewer days.
    ends = [_next_bucket(b, per) for b in data.buckets]
    widths = [0.85 * (end - start).days for start, end in zip(data.buckets, ends, strict=True)]
    partial = data.partial
    peak = max(max(counts) for _label, counts in panels)
    first_ax = None
    for rank, (label, counts) in enumerate(panels):
        color = _PALETTE[rank % len(_PALETTE)]
        ax = fig.add_subplot(grid[rank + 1], sharex=first_ax, sharey=first_ax)
        first_ax = first_ax or ax
        for start, end, cut in zip(data.buckets, ends, partial, strict=True):
            if cut:
                ax.axvspan(start, end, color=_PARTIAL_SHADE, linewidth=0, zorder=0)
        ax.bar(data.buckets, counts, width=widths, align="edge", color=color, label=label)
        most, total = max(counts), data.totals[label]
        ax.set_title(
            f"{label}: {total:,} {'article' if total == 1 else 'articles'}, "
            f"at most {most:,} in a {per}",
            loc="left",
            fontsize=10.5,
            fontweight="bold",
            color="#222222",
        )
        ax.grid(True, axis="y", color="#dddddd", linewidth=0.8)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        if rank < len(panels) - 1:
            ax.tick_params(labelbottom=False)
    first_ax.set_ylim(0, peak * 1.08)
    first_ax.yaxis.set_major_locator(MaxNLocator(nbins=3, integer=True, min_n_ticks=1))
    first_ax.set_xlim(data.buckets[0], ends[-1])
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    first_ax.xaxis.set_major_locator(locator)
    formatter = mdates.ConciseDateFormatter(locator)
    # "14 Sep" rather than a bare "14", and the year (not "2026-Nov") as the offset.
    formatter.formats[2] = "%d %b"
    formatter.offset_formats[2] = "%Y"
    first_ax.xaxis.set_major_formatter(formatter)
    ax.set_xlabel(_X_LABELS[per], fontsize=11)
    fig.supylabel(f"Articles per {per}", fontsize=11)
    return fig


# -- the command -------------------------------------------------------------------------------
def _error(message: str) -> None:
    print(f"newsbeam: error: {message}", file=sys.stderr)


def _unreadable(output: str, exc: Exception) -> int:
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    _error(f"cannot read the tables of {output}: {first_line}")
    return Exit.FAILED


def _check_plot(plot: str) -> str | None:
    """The image format of --plot, or None when it is not one matplotlib writes here."""
    extension = os.path.splitext(plot)[1].lower().lstrip(".")
    fmt = extension or "png"
    return fmt if fmt in _CHART_FORMATS else None


def _checked_arguments(
    since: date | str | None, until: date | str | None, table_format: str
) -> tuple[date | None, date | None, str]:
    """The arguments a caller may pass unparsed, parsed; raises ArgumentTypeError naming the
    flag."""
    dates = []
    for flag, value in (("--since", since), ("--until", until)):
        if isinstance(value, str):  # a caller that skipped parse_date
            try:
                value = parse_date(value)
            except argparse.ArgumentTypeError as exc:
                raise argparse.ArgumentTypeError(f"{flag}: {exc}") from None
        dates.append(value)
    since, until = dates
    if since and until and since > until:
        raise argparse.ArgumentTypeError(
            f"--since {since} is after --until {until}: no day is in that window"
        )
    try:
        table_format = parse_format(table_format)
    except argparse.ArgumentTypeError as exc:
        raise argparse.ArgumentTypeError(f"--format: {exc}") from None
    return since, until, table_format


_RENDER = {"text": render_text, "csv": render_csv, "json": render_json}


def run_stats(
    output: str,
    plot: str | None,
    since: date | None,
    topic: str | None,
    out: TextIO,
    *,
    until: date | None = None,
    table_format: str = "text",
) -> int:
    """Print the report on `out` in `table_format` (and write the chart to `plot`); returns the
    exit status (see the module docstring). Errors are one line on stderr. With csv or json the
    line naming the chart goes to stderr, so that `out` holds one document."""
    try:
        since, until, table_format = _checked_arguments(since, until, table_format)
    except argparse.ArgumentTypeError as exc:
        _error(str(exc))
        return Exit.USAGE
    topic = topic.strip() if topic else None
    if "://" in output:
        _error(
            f"stats reads a local output, not {output}: copy it here (gsutil -m cp -r) or query "
            "it where it is (BigQuery, see docs/querying.md)"
        )
        return Exit.USAGE
    fmt = None
    if plot:
        fmt = _check_plot(plot)
        if fmt is None:
            _error(f"--plot {plot}: the chart is written as .png, .svg or .pdf")
            return Exit.USAGE
    try:
        con, files = open_output(output)
        records = StateStore(output).runs()
        if not any(files.values()) and not records:
            con.close()
            raise NothingToReport(
                f"{output} holds no newsbeam output yet (no table file, no run record); "
                f"run newsbeam ingest --output {output} first"
            )
    except NothingToReport as exc:
        _error(str(exc))
        return Exit.NOINPUT
    except duckdb.Error as exc:  # a file that is not Parquet, found while listing columns
        return _unreadable(output, exc)

    filters = _Filters(since, until, topic)
    try:
        report = collect_report(con, records, output, filters)
        data = chart_data(con, since, topic, until) if plot else None
    except duckdb.Error as exc:
        return _unreadable(output, exc)
    finally:
        con.close()
    out.write(_RENDER[table_format](report))

    if plot and data is not None:
        try:
            figure = draw_chart(data, output, topic)
        except ImportError:
            _error("--plot needs matplotlib: pip install matplotlib")
            return Exit.FAILED
        try:
            figure.savefig(plot, format=fmt)
        except OSError as exc:
            _error(f"cannot write the chart to {plot}: {exc.strerror or exc}")
            return Exit.CANTCREAT
        drawn = ", ".join(data.series) if data.series else "no articles"
        left_out = ""
        if data.undated:
            left_out = f"; {data.undated:,} without a publication date left out"
        line = f"Chart: {os.path.abspath(plot)} (per {data.bucket}: {drawn}{left_out})\n"
        if table_format == "text":
            out.write(line)
        else:
            sys.stderr.write(line)
    return Exit.OK
