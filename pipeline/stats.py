"""`newsbeam stats`: what an output holds, as plain-text tables, and topic volume over time as a
chart.

The three tables are read with DuckDB the way the contract promises (hive partitioning), plus
`union_by_name` so that partitions written before a column was added still read. A table with no
files yet is an empty table, not an error. The run log comes from `StateStore.runs()`.

Filters: `--since DATE` keeps articles published on or after DATE (UTC); the duplicate and reject
rates then count the inputs ingested on or after DATE, and the run list the runs started on or
after it. `--topic ID` keeps the articles tagged ID and the duplicates of those articles (rejects
carry no topics, so their section is left out).

Exit status of `run_stats` (the command returns it); every failure is one line on stderr:
  0   the report was printed (and the chart written);
  1   --plot needs matplotlib and it is not installed, or a table file cannot be read;
  2   bad arguments: a --since that is not YYYY-MM-DD (`parse_date`, the `type` of --since, makes
      argparse report it; `run_stats` given a bad string returns 2 itself), a --plot format other
      than png/svg/pdf, an output that is not a local folder;
  66  nothing to report: the output folder is missing, or holds neither a table file nor a run
      record (EX_NOINPUT, a sibling of the 73 and 75 the command already uses);
  73  the chart cannot be written (EX_CANTCREAT, as for an output that cannot be written).
"""

from __future__ import annotations

import argparse
import glob
import logging
import os
import sys
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
    "ChartData",
    "NothingToReport",
    "add_stats_arguments",
    "chart_data",
    "draw_chart",
    "format_table",
    "open_output",
    "parse_date",
    "run_stats",
]

_LOGGER = logging.getLogger(__name__)


CHART_TOPICS = 8  # lines in the chart; more stop being readable
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


# -- arguments ---------------------------------------------------------------------------------
def parse_date(value: str) -> date:
    """`YYYY-MM-DD` -> date; the `type` of --since, so argparse reports a bad one in one line."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, not {value!r}") from None


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
        help="Also draw topic volume over time (the top 8 topics; articles per day, week or "
        "month when nothing is tagged) into this image. .svg and .pdf work too.",
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
        "--topic",
        default=None,
        metavar="ID",
        help="Only articles tagged with this topic id (e.g. relations:by-us) and their duplicates.",
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
    topic: str | None = None

    def articles(self) -> tuple[str, list[Any]]:
        """WHERE clause and parameters for the articles the report is about."""
        clauses, params = ["TRUE"], []
        if self.since:
            clauses.append("published_date >= ?")
            params.append(self.since)
        if self.topic:
            clauses.append("list_contains(topics, ?)")
            params.append(self.topic)
        return " AND ".join(clauses), params

    def ingested(self, table: str) -> tuple[str, list[Any]]:
        """WHERE clause and parameters for the rows behind the duplicate and reject rates."""
        clauses, params = ["TRUE"], []
        if self.since:
            clauses.append("CAST(ingested_at AS DATE) >= ?")
            params.append(self.since)
        if self.topic and table == "articles":
            clauses.append("list_contains(topics, ?)")
            params.append(self.topic)
        if self.topic and table == "duplicates":
            clauses.append(
                "duplicate_of IN (SELECT article_id FROM articles WHERE list_contains(topics, ?))"
            )
            params.append(self.topic)
        return " AND ".join(clauses), params

    def describe(self) -> str:
        parts = []
        if self.since:
            parts.append(f"published on or after {self.since.isoformat()}")
        if self.topic:
            parts.append(f"tagged {self.topic}")
        return "articles " + " and ".join(parts) if parts else ""


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


# -- the report's sections ---------------------------------------------------------------------
def _summary(
    con: duckdb.DuckDBPyConnection, filters: _Filters, output: str, runs: int
) -> list[str]:
    where, params = filters.articles()
    articles, first, last, sources = con.execute(
        f"SELECT count(*), min(published_date), max(published_date), "
        f"count(DISTINCT source_domain) FROM articles WHERE {where}",
        params,
    ).fetchone()
    topics = con.execute(
        f"SELECT count(DISTINCT t) FROM (SELECT unnest(topics) AS t FROM articles WHERE {where})",
        params,
    ).fetchone()[0]
    span = f" published {first} to {last}" if articles else ""
    lines = [
        f"newsbeam stats: {output}",
        f"  {articles:,} articles{span}; {sources:,} sources; {topics:,} topics; "
        f"{runs:,} {'run' if runs == 1 else 'runs'} in the run log",
    ]
    if filters.since or filters.topic:
        lines.append(f"  filter: {filters.describe()}")
    if filters.topic and not articles:
        known = [
            row[0]
            for row in con.execute(
                "SELECT t FROM (SELECT unnest(topics) AS t FROM articles) "
                "GROUP BY t ORDER BY count(*) DESC, t LIMIT 8"
            ).fetchall()
        ]
        hint = f"; tagged topics include {', '.join(known)}" if known else "; no article is tagged"
        lines.append(f"  note: no article matches --topic {filters.topic}{hint}")
    return [*lines, ""]


def _per_day(con: duckdb.DuckDBPyConnection, filters: _Filters) -> list[str]:
    where, params = filters.articles()
    rows = con.execute(
        f"SELECT published_date, count(*) FROM articles WHERE {where} "
        f"GROUP BY published_date ORDER BY published_date DESC",
        params,
    ).fetchall()
    shown, hidden = rows[:_DAYS_SHOWN], rows[_DAYS_SHOWN:]
    peak = max((n for _, n in shown), default=0)
    table = [
        (day, n, "#" * max(1, round(_BAR_WIDTH * n / peak)) if peak else "")
        for day, n in reversed(shown)
    ]
    note = ""
    if hidden:
        note = (
            f"{len(hidden):,} earlier days ({sum(n for _, n in hidden):,} articles) not shown; "
            f"choose the window with --since"
        )
    return _section(
        "Articles per day (publication date, UTC)",
        ("date", "articles", ""),
        table,
        "lrl",
        empty="no articles",
        notes=[note],
    )


def _per_topic(con: duckdb.DuckDBPyConnection, filters: _Filters) -> list[str]:
    where, params = filters.articles()
    total, untagged = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE len(coalesce(topics, [])) = 0) "
        f"FROM articles WHERE {where}",
        params,
    ).fetchone()
    rows = con.execute(
        f"SELECT topic, count(*) AS n, min(published_date), max(published_date) "
        f"FROM (SELECT unnest(topics) AS topic, published_date FROM articles WHERE {where}) "
        f"GROUP BY topic ORDER BY n DESC, topic",
        params,
    ).fetchall()
    table = [(t, n, _pct(n, total), first, last) for t, n, first, last in rows[:_TOPICS_SHOWN]]
    notes = [_more(len(rows) - _TOPICS_SHOWN, "topics")]
    if rows and untagged:
        notes.append(f"{untagged:,} articles ({_pct(untagged, total)}) have no topic")
    title = "Articles per topic" + (f" (articles tagged {filters.topic})" if filters.topic else "")
    return _section(
        title,
        ("topic", "articles", "share", "first", "last"),
        table,
        "lrrll",
        empty="no topics: no article is tagged yet" if total else "no articles",
        notes=notes,
    )


def _per_source(con: duckdb.DuckDBPyConnection, filters: _Filters) -> list[str]:
    where, params = filters.articles()
    total = con.execute(f"SELECT count(*) FROM articles WHERE {where}", params).fetchone()[0]
    rows = con.execute(
        f"SELECT coalesce(source_domain, '{_NO_DOMAIN}') AS source, count(*) AS n, "
        f"max(published_date) FROM articles WHERE {where} GROUP BY source "
        f"ORDER BY n DESC, source = '{_NO_DOMAIN}', source",
        params,
    ).fetchall()
    table = [(s, n, _pct(n, total), last) for s, n, last in rows[:_SOURCES_SHOWN]]
    notes = [_more(len(rows) - _SOURCES_SHOWN, "sources")]
    if any(s == _NO_DOMAIN for s, _, _ in rows):
        notes.append(f"{_NO_DOMAIN} counts articles without a web URL (inbox files naming none)")
    return _section(
        "Articles per source domain",
        ("source", "articles", "share", "last published"),
        table,
        "lrrl",
        empty="no articles",
        notes=notes,
    )


def _rates(con: duckdb.DuckDBPyConnection, filters: _Filters) -> list[str]:
    counts = {}
    for table in OUTPUT_TABLES:
        if table == "rejects" and filters.topic:
            continue
        where, params = filters.ingested(table)
        counts[table] = con.execute(
            f"SELECT count(*) FROM {table} WHERE {where}", params
        ).fetchone()[0]
    inputs = sum(counts.values())
    window = f" ingested on or after {filters.since}" if filters.since else ""
    title = f"Duplicate and reject rates ({'inputs' + window if window else 'all inputs'})"
    notes = []
    if filters.topic:
        title = f"Duplicate rate (articles tagged {filters.topic} and their copies{window})"
        notes.append("rejects carry no topics: left out with --topic")
    rows = [(name, n, _pct(n, inputs)) for name, n in counts.items()]
    rows.append(("inputs", inputs, _pct(inputs, inputs)))
    lines = _section(title, ("outcome", "rows", "share"), rows, "lrr", empty="", notes=notes)

    where, params = filters.ingested("duplicates")
    kinds = con.execute(
        f"SELECT kind, count(*) AS n, avg(similarity) FROM duplicates WHERE {where} "
        f"GROUP BY kind ORDER BY n DESC, kind",
        params,
    ).fetchall()
    dup_total = counts["duplicates"]
    lines += _section(
        "Duplicates by kind",
        ("kind", "rows", "share", "mean similarity"),
        [(k, n, _pct(n, dup_total), f"{s:.2f}" if s is not None else "") for k, n, s in kinds],
        "lrrr",
        empty="no duplicates",
    )
    if filters.topic:
        return lines
    where, params = filters.ingested("rejects")
    reasons = con.execute(
        f"SELECT stage, error, count(*) AS n, min(detail) FROM rejects WHERE {where} "
        f"GROUP BY stage, error ORDER BY n DESC, stage, error",
        params,
    ).fetchall()
    reject_total = counts["rejects"]
    lines += _section(
        "Top reject reasons",
        ("stage", "error", "rows", "share", "example"),
        [
            (stage, error, n, _pct(n, reject_total), _shorten(detail, 60))
            for stage, error, n, detail in reasons[:_REASONS_SHOWN]
        ],
        "llrrl",
        empty="no rejects",
        notes=[_more(len(reasons) - _REASONS_SHOWN, "reasons")],
    )
    return lines


def _shorten(text: str | None, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


def _started(record: dict[str, Any]) -> datetime | None:
    try:
        return datetime.fromisoformat(str(record["started_at"]))
    except (KeyError, ValueError):
        return None


def _runs(records: list[dict[str, Any]], filters: _Filters) -> list[str]:
    if filters.since:
        records = [
            r for r in records if (_started(r) is None or _started(r).date() >= filters.since)
        ]
    newest = list(reversed(records))[:_RUNS_SHOWN]
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
                started.strftime("%Y-%m-%d %H:%M:%S") if started else "",
                float(seconds) if isinstance(seconds, (int, float)) else None,
                *(counts.get(c) for c in columns),
            )
        )
    window = f" started on or after {filters.since}" if filters.since else ""
    return _section(
        f"Last runs{window} (run log, newest first)",
        ("run", "command", "started (UTC)", "seconds", *columns),
        rows,
        "lllr" + "r" * len(columns),
        empty="no runs in the run log",
        notes=[_more(len(records) - len(newest), "runs")],
    )


# -- the chart ---------------------------------------------------------------------------------
@dataclass
class ChartData:
    """What the chart shows: one count per bucket for each line, lines in legend order."""

    bucket: str  # "day", "week" or "month"
    buckets: list[date] = field(default_factory=list)
    series: dict[str, list[int]] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    topics_total: int = 0  # distinct topics among the filtered articles
    tagged: bool = True  # False: one line of all articles, nothing being tagged
    articles: int = 0
    first: date | None = None
    last: date | None = None

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
    con: duckdb.DuckDBPyConnection, since: date | None = None, topic: str | None = None
) -> ChartData:
    """Counts per bucket of the top topics (only `topic` when given) among the articles the
    filters keep; all articles as one line when none of them has a topic."""
    filters = _Filters(since, topic)
    where, params = filters.articles()
    articles, first, last = con.execute(
        f"SELECT count(*), min(published_date), max(published_date) FROM articles WHERE {where}",
        params,
    ).fetchone()
    if not articles:
        return ChartData(bucket="day", articles=0)
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
        first=first,
        last=last,
    )


_X_LABELS = {
    "day": "Publication date (UTC)",
    "week": "Week of publication (UTC, weeks start on Monday)",
    "month": "Month of publication (UTC)",
}


def draw_chart(data: ChartData, output: str, topic: str | None = None) -> Figure:
    """The chart as a matplotlib Figure (no pyplot, no global backend: safe in any process)."""
    from matplotlib import dates as mdates
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(12, 6), dpi=150, layout="constrained")
    ax = fig.add_subplot()
    per = data.bucket
    if topic:
        title = f"Articles tagged {topic}, per {per}"
    elif not data.articles:
        title = "Articles per day"
    elif data.tagged:
        shown = len(data.series)
        of = f" (top {shown} of {data.topics_total})" if data.topics_total > shown else ""
        title = f"Articles per {per} by topic{of}"
    else:
        title = f"Articles per {per} (no topics tagged yet)"
    fig.suptitle(title, fontsize=15, fontweight="bold")
    if data.articles:
        subtitle = f"{data.articles:,} articles published {data.first} to {data.last}"
        if data.partial_first or data.partial_last:
            subtitle += f"; dotted: {per}s the data covers only in part"
    else:
        subtitle = "no articles match"
    ax.set_title(f"newsbeam output {output}: {subtitle}", fontsize=10, color="#555555")
    ax.set_xlabel(_X_LABELS[per], fontsize=11)
    ax.set_ylabel(f"Articles per {per}", fontsize=11)
    ax.grid(True, color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if not data.articles:
        ax.text(0.5, 0.5, "No articles match", transform=ax.transAxes, ha="center", fontsize=14)
        ax.set_xticks([])
        ax.set_yticks([])
        return fig

    marker = "o" if len(data.buckets) <= 60 else None
    # A week or month only partly covered by the data is drawn dotted: its lower count is the
    # calendar's doing, not the news's.
    n = len(data.buckets)
    lo = 1 if data.partial_first and n > 1 else 0
    hi = n - 2 if data.partial_last and n > 1 else n - 1
    dotted = [(0, lo)] if lo else []
    dotted += [(hi, n - 1)] if hi < n - 1 else []
    for rank, ((label, counts), color) in enumerate(
        zip(data.series.items(), _PALETTE, strict=False)
    ):
        style = {"color": color, "linewidth": 2.2, "marker": marker, "markersize": 4}
        zorder = 3 + len(data.series) - rank  # where lines overlap, the bigger topic shows
        solid = slice(lo, hi + 1) if lo <= hi else slice(0, n)
        ax.plot(
            data.buckets[solid],
            counts[solid],
            label=f"{label} ({data.totals[label]:,})",
            zorder=zorder,
            **style,
        )
        for start, stop in dotted:
            ax.plot(
                data.buckets[start : stop + 1],
                counts[start : stop + 1],
                linestyle=":",
                zorder=zorder,
                **style,
            )
    step = {"day": 1, "week": 7, "month": 31}[per]
    ax.set_xlim(
        data.buckets[0] - timedelta(days=step / 2), data.buckets[-1] + timedelta(days=step / 2)
    )
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    formatter = mdates.ConciseDateFormatter(locator)
    # "14 Sep" rather than a bare "14", and the year (not "2026-Nov") as the offset.
    formatter.formats[2] = "%d %b"
    formatter.offset_formats[2] = "%Y"
    ax.xaxis.set_major_formatter(formatter)
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(
        title="Topic (articles)" if data.tagged else None,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
        fontsize=10,
    )
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


def run_stats(
    output: str,
    plot: str | None,
    since: date | None,
    topic: str | None,
    out: TextIO,
) -> int:
    """Print the report on `out` (and write the chart to `plot`); returns the exit status (see
    the module docstring). Errors are one line on stderr."""
    if isinstance(since, str):  # a caller that skipped parse_date
        try:
            since = parse_date(since)
        except argparse.ArgumentTypeError as exc:
            _error(f"--since: {exc}")
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

    filters = _Filters(since, topic)
    try:
        lines = _summary(con, filters, output, len(records))
        lines += _per_day(con, filters)
        lines += _per_topic(con, filters)
        lines += _per_source(con, filters)
        lines += _rates(con, filters)
        lines += _runs(records, filters)
        data = chart_data(con, since, topic) if plot else None
    except duckdb.Error as exc:
        return _unreadable(output, exc)
    finally:
        con.close()
    out.write("\n".join(lines))

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
        lines_drawn = ", ".join(data.series) if data.series else "no articles"
        out.write(f"Chart: {os.path.abspath(plot)} (per {data.bucket}: {lines_drawn})\n")
    return Exit.OK
