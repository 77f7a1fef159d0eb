"""`newsbeam stats`: the printed tables against the tables themselves, the filters, the chart.

Two outputs: a real one (the CLI on the bundled sample plus two files that must be rejected) and a
hand-built one with topics, duplicates, rejects, two runs and partitions written by an older
version (no `content_source`), whose numbers the tests know. `write_output` builds the latter; the
documentation test reuses it.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import struct
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, NoReturn

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newsbeam.pipeline import stats
from newsbeam.pipeline.lifecycle import Exit
from newsbeam.pipeline.stats import (
    add_stats_arguments,
    chart_data,
    draw_chart,
    format_table,
    open_output,
    parse_date,
    run_stats,
)
from newsbeam.schemas.tables import ARTICLES, DUPLICATES, REJECTS, SCHEMA_VERSION
from tests.e2e.helpers import newsbeam, table

SAMPLE = Path(__file__).resolve().parents[2] / "pipeline" / "sample"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# -- a hand-built output with topics -----------------------------------------------------------
RUN_OLD = "20261001T060000Z-0ld0ld"  # written by a version without the content_source column
RUN_NEW = "20261102T060000Z-7e57e5"
INGESTED = {
    RUN_OLD: datetime(2026, 10, 1, 6, 0, tzinfo=timezone.utc),
    RUN_NEW: datetime(2026, 11, 2, 6, 0, tzinfo=timezone.utc),
}
FIRST_DAY = date(2026, 8, 1)
TOPIC_COUNTS = {  # articles whose main topic this is; relations:by-us ones may add a second
    "relations:by-us": 12,
    "sanctions": 10,
    "diplomacy": 9,
    "military-exercises": 7,
    "relations:by-ru": 6,
    "armed-conflict": 5,
    "relations:ru-ua": 4,
    "relations:by-pl": 3,
    "relations:by-lt": 2,
    "relations:by-ua": 1,
}
SOURCES = [
    "meridianpost.example",
    "eastgatewire.example",
    "balticledger.example",
    "vestnik.example",
]


def _article(n: int, day: date, topics: list[str] | None, run_id: str) -> dict[str, Any]:
    domain = None if n % 10 == 9 else SOURCES[n % len(SOURCES)]
    url = f"https://{domain}/news/{n}" if domain else f"/inbox/page-{n}.html"
    return {
        "article_id": f"a{n:04d}",
        "url": url,
        "canonical_url": url,
        "origin": "https://feeds.example/rss" if domain else "/inbox",
        "source_domain": domain,
        "site_name": domain,
        "title": f"Story {n}: " + ", ".join(topics or ["local news"]),
        "author": None,
        "description": None,
        "published_at": datetime.combine(day, datetime.min.time(), timezone.utc).replace(hour=9),
        "language": "ru" if domain == "vestnik.example" else "en",
        "text": f"Text of story {n}.",
        "word_count": 4,
        "content_hash": f"h{n:04d}",
        "topics": topics,
        "topic_evidence": [
            {"topic": t, "score": 1.5 + n % 3, "phrases": ["Minsk", "Washington"]}
            for t in topics or []
        ],
        "countries": ["by", "us"] if topics and "relations:by-us" in topics else [],
        "ingested_at": INGESTED[run_id],
        "run_id": run_id,
        "schema_version": SCHEMA_VERSION,
        "content_source": "page",
        "published_date": day,
    }


def topic_articles() -> list[dict[str, Any]]:
    """Articles published from 2026-08-01 on: tagged ones, three untagged, one with a null list."""
    rows: list[dict[str, Any]] = []
    for rank, (topic, count) in enumerate(TOPIC_COUNTS.items()):
        for j in range(count):
            day = FIRST_DAY + timedelta(days=(rank * 5 + j * 9) % 92)
            topics = [topic]
            if topic == "relations:by-us" and j % 3 == 0:
                topics.append("prisoner-release")
            rows.append((day, topics))
    rows += [(date(2026, 9, 3), []), (date(2026, 10, 20), []), (date(2026, 10, 21), [])]
    rows.append((date(2026, 10, 22), None))
    # The earliest article came in with the newer run: the first file DuckDB lists then has
    # content_source and later ones lack it, which only union_by_name reads.
    return [
        _article(
            n, day, topics, RUN_NEW if day >= date(2026, 10, 1) or day == FIRST_DAY else RUN_OLD
        )
        for n, (day, topics) in enumerate(rows)
    ]


def topic_duplicates(articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_us = [a for a in articles if "relations:by-us" in (a["topics"] or [])]
    sanctions = next(a for a in articles if a["topics"] == ["sanctions"])
    specs = [
        (by_us[0], "https://copycat.example/wire/1", "near", 0.91, RUN_NEW),
        (by_us[0], "https://copycat.example/wire/2", "near", 0.88, RUN_NEW),
        (by_us[1], "https://copycat.example/wire/3", "near", 0.93, RUN_NEW),
        (sanctions, "https://mirror.example/copy", "exact", 1.0, RUN_OLD),
        (by_us[1], by_us[1]["url"] + "?utm_source=x", "url", 1.0, RUN_NEW),
    ]
    return [
        {
            "url": url,
            "canonical_url": url.split("?")[0],
            "origin": "https://feeds.example/rss",
            "duplicate_of": kept["article_id"],
            "kind": kind,
            "similarity": similarity,
            "ingested_at": INGESTED[run],
            "run_id": run,
            "schema_version": SCHEMA_VERSION,
            "ingest_date": INGESTED[run].date(),
        }
        for kept, url, kind, similarity, run in specs
    ]


def topic_rejects() -> list[dict[str, Any]]:
    specs = [
        ("fetch", "http-404", "the server answered 404 Not Found", RUN_NEW),
        ("fetch", "http-404", "the server answered 404 Not Found", RUN_NEW),
        ("extract", "no-article-text", "no article text was found on the page", RUN_OLD),
        ("read", "bad-gzip", "the gzip stream is corrupt or truncated", RUN_NEW),
    ]
    return [
        {
            "origin": "/inbox",
            "url": f"https://gone.example/{i}",
            "stage": stage,
            "error": error,
            "detail": detail,
            "ingested_at": INGESTED[run],
            "run_id": run,
            "schema_version": SCHEMA_VERSION,
            "ingest_date": INGESTED[run].date(),
        }
        for i, (stage, error, detail, run) in enumerate(specs)
    ]


def write_output(
    root: Path,
    articles: list[dict[str, Any]],
    duplicates: list[dict[str, Any]],
    rejects: list[dict[str, Any]],
) -> Path:
    """Write rows in newsbeam's layout (one file per partition and run, `RUN_OLD` files without
    `content_source`) and a run record per run. Rows carry their partition column."""
    runs: dict[str, Counter] = {}
    for name, rows, schema, partition in (
        ("articles", articles, ARTICLES, "published_date"),
        ("duplicates", duplicates, DUPLICATES, "ingest_date"),
        ("rejects", rejects, REJECTS, "ingest_date"),
    ):
        groups: dict[tuple[date, str], list[dict[str, Any]]] = {}
        for row in rows:
            groups.setdefault((row[partition], row["run_id"]), []).append(row)
        for (day, run_id), group in sorted(groups.items()):
            file_schema = schema
            if run_id == RUN_OLD and "content_source" in schema.names:
                file_schema = pa.schema([f for f in schema if f.name != "content_source"])
            folder = root / name / f"{partition}={day.isoformat()}"
            folder.mkdir(parents=True, exist_ok=True)
            records = [{k: v for k, v in row.items() if k != partition} for row in group]
            pq.write_table(
                pa.Table.from_pylist(records, schema=file_schema),
                folder / f"part-{run_id}-00000.parquet",
            )
            runs.setdefault(run_id, Counter())[name] += len(group)
    for run_id, counts in runs.items():
        record = {
            "command": "ingest",
            "started_at": INGESTED[run_id].isoformat(),
            "seconds": 42.5,
            "counts": {
                "inputs": counts["articles"] + counts["duplicates"] + counts["rejects"],
                "articles": counts["articles"],
                "duplicates": counts["duplicates"],
                "rejects": counts["rejects"],
                "skipped": 3,
            },
            "run_id": run_id,
            "files": [],
        }
        (root / "_state" / "runs").mkdir(parents=True, exist_ok=True)
        (root / "_state" / "runs" / f"{run_id}.json").write_text(json.dumps(record))
    return root


def build_topic_output(folder: Path) -> tuple[Path, dict[str, list[dict[str, Any]]]]:
    """An output with topics (articles, duplicates, rejects) under `folder`, and its rows."""
    articles = topic_articles()
    tables = {
        "articles": articles,
        "duplicates": topic_duplicates(articles),
        "rejects": topic_rejects(),
    }
    return write_output(folder / "out", **tables), tables


@pytest.fixture(scope="module")
def topic_output(tmp_path_factory) -> tuple[Path, dict[str, list[dict[str, Any]]]]:
    return build_topic_output(tmp_path_factory.mktemp("topics"))


def build_sample_output(base: Path):
    """A real output under `base`: the CLI on the bundled sample and two inputs that must be
    rejected, so all three tables exist. Returns (the CLI run, the output folder)."""
    extra = base / "extra"
    extra.mkdir()
    (extra / "notes.txt").write_text("not a page\n")
    (extra / "broken.html.gz").write_bytes(b"not gzip at all")
    output = base / "out"
    run = newsbeam("ingest", "--inbox", str(SAMPLE), "--inbox", str(extra), "--output", str(output))
    assert run.returncode == 0, run.stderr
    return run, output


@pytest.fixture(scope="module")
def sample_output(tmp_path_factory):
    return build_sample_output(tmp_path_factory.mktemp("sample"))


# -- reading the report back -------------------------------------------------------------------
def report(output: Path, **kwargs: Any) -> tuple[int, str]:
    out = io.StringIO()
    status = run_stats(
        str(output),
        kwargs.get("plot"),
        kwargs.get("since"),
        kwargs.get("topic"),
        out,
        until=kwargs.get("until"),
        table_format=kwargs.get("table_format", "text"),
    )
    return status, out.getvalue()


def section(text: str, title: str) -> list[list[str]]:
    """The rows of the table under the line starting with `title`, cut at the columns of its
    rule line; [] when the section says it has nothing."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    body = []
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        body.append(line)
    if len(body) < 2 or set(body[1].strip()) - {"-", " "}:
        return []
    spans = [m.span() for m in re.finditer(r"-+", body[1])]
    return [
        [line[a:b].strip() for a, b in spans]
        for line in body[2:]
        if not line.strip().startswith("note:")
    ]


def notes(text: str, title: str) -> list[str]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    found = []
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        if line.strip().startswith("note:"):
            found.append(line.strip())
    return found


def as_counts(rows: list[list[str]]) -> dict[str, int]:
    return {row[0]: int(row[1].replace(",", "")) for row in rows}


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, "not a PNG file"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def topic_counter(articles: list[dict[str, Any]]) -> Counter:
    return Counter(t for a in articles for t in a["topics"] or [])


# -- the real output ---------------------------------------------------------------------------
def test_sample_report_matches_the_tables(sample_output):
    run, output = sample_output
    articles = table(output, "articles")
    rejects = table(output, "rejects")
    status, text = report(output)
    assert status == Exit.OK
    assert text.startswith(f"newsbeam stats: {output}\n")
    assert f"  {len(articles)} articles published " in text

    per_day = Counter(a["published_date"].isoformat() for a in articles)
    assert as_counts(section(text, "Articles per day")) == per_day
    bars = {row[0]: row[2] for row in section(text, "Articles per day")}
    assert all(set(bar) == {"#"} for bar in bars.values())
    assert len(bars[max(per_day, key=per_day.get)]) == 30  # the busiest day has the full bar

    per_source = Counter(a["source_domain"] or "(none)" for a in articles)
    assert as_counts(section(text, "Articles per source domain")) == per_source

    topics = topic_counter(articles)  # empty until tagging lands; the report works either way
    if topics:
        assert as_counts(section(text, "Articles per topic")) == dict(topics.most_common(20))
    else:
        assert "no topics: no article is tagged yet" in text

    rates = as_counts(section(text, "Duplicate and reject rates (all inputs)"))
    assert rates == {
        "articles": run.counts["articles"],
        "duplicates": run.counts["duplicates"],
        "rejects": run.counts["rejects"],
        "inputs": run.counts["inputs"],
    }
    assert run.counts["rejects"] == 2
    reasons = {(row[0], row[1]): int(row[2]) for row in section(text, "Top reject reasons")}
    assert reasons == Counter((r["stage"], r["error"]) for r in rejects)
    assert ("read", "unsupported-format") in reasons

    kinds = as_counts(section(text, "Duplicates by kind"))
    assert kinds == Counter(d["kind"] for d in table(output, "duplicates"))

    runs = section(text, "Last runs")
    run_id = re.search(r"run (\S+) finished", run.stdout).group(1)
    assert [r[0] for r in runs] == [run_id]
    assert runs[0][1] == "ingest"
    assert [int(v) for v in runs[0][4:9]] == [
        run.counts[k] for k in ("inputs", "articles", "duplicates", "rejects", "skipped")
    ]


def test_sample_plot_is_a_real_png(sample_output, tmp_path):
    _run, output = sample_output
    chart = tmp_path / "volume.png"
    status, text = report(output, plot=str(chart))
    assert status == Exit.OK
    assert f"Chart: {chart}" in text
    width, height = png_size(chart)
    assert width >= 800 and height >= 400
    assert chart.stat().st_size > 5_000


def test_since_on_the_sample_keeps_later_days(sample_output):
    _run, output = sample_output
    articles = table(output, "articles")
    days = sorted({a["published_date"] for a in articles})
    since = days[len(days) // 2]
    status, text = report(output, since=since)
    assert status == Exit.OK
    expected = Counter(
        a["published_date"].isoformat() for a in articles if a["published_date"] >= since
    )
    assert as_counts(section(text, "Articles per day")) == expected
    assert f"filter: articles published on or after {since}" in text


# -- the output with topics --------------------------------------------------------------------
def test_fixture_mixes_schemas_the_way_old_outputs_do(topic_output):
    root, _tables = topic_output
    files = sorted((root / "articles").glob("*/*.parquet"))
    first = pq.read_schema(files[0]).names
    assert "content_source" in first  # the first file DuckDB lists is the newer schema...
    assert any("content_source" not in pq.read_schema(f).names for f in files)  # ...others older
    con, counts = open_output(str(root))
    assert counts == {"articles": len(files), "duplicates": 2, "rejects": 2}
    old = sum(1 for a in _tables["articles"] if a["run_id"] == RUN_OLD)
    assert con.execute(
        "SELECT count(*) FILTER (WHERE content_source IS NULL), count(*) FROM articles"
    ).fetchone() == (old, len(_tables["articles"]))


def test_topics_sources_and_days(topic_output):
    root, tables = topic_output
    articles = tables["articles"]
    status, text = report(root)
    assert status == Exit.OK
    topics = topic_counter(articles)
    assert topics["relations:by-us"] == 12 and topics["prisoner-release"] == 4
    rows = section(text, "Articles per topic")
    assert as_counts(rows) == topics
    assert [r[0] for r in rows] == [
        t for t, _ in sorted(topics.items(), key=lambda i: (-i[1], i[0]))
    ]
    by_us = next(r for r in rows if r[0] == "relations:by-us")
    assert by_us[2] == f"{100 * 12 / len(articles):.1f}%"
    days_by_us = sorted(
        a["published_date"] for a in articles if "relations:by-us" in (a["topics"] or [])
    )
    assert by_us[3:] == [days_by_us[0].isoformat(), days_by_us[-1].isoformat()]
    untagged = f"note: 4 articles ({100 * 4 / len(articles):.1f}%) have no topic"
    assert untagged in notes(text, "Articles per topic")

    per_day = Counter(a["published_date"].isoformat() for a in articles)
    shown = as_counts(section(text, "Articles per day"))
    newest = sorted(per_day)[-31:]
    assert shown == {d: per_day[d] for d in newest}
    hidden = sorted(per_day)[:-31]
    assert notes(text, "Articles per day") == [
        f"note: {len(hidden)} earlier days ({sum(per_day[d] for d in hidden)} articles) not "
        "shown; choose the window with --since and --until"
    ]
    per_source = Counter(a["source_domain"] or "(none)" for a in articles)
    assert as_counts(section(text, "Articles per source domain")) == per_source
    last = max(a["published_date"] for a in articles)
    assert (
        f"  {len(articles)} articles published 2026-08-01 to {last}; 4 sources; 11 topics; " in text
    )
    assert "; 2 runs in the run log\n" in text


def test_rates_reasons_and_runs(topic_output):
    root, tables = topic_output
    status, text = report(root)
    assert status == Exit.OK
    n_articles, n_dups, n_rejects = (len(tables[t]) for t in ("articles", "duplicates", "rejects"))
    inputs = n_articles + n_dups + n_rejects
    rates = section(text, "Duplicate and reject rates")
    assert rates == [
        ["articles", str(n_articles), f"{100 * n_articles / inputs:.1f}%"],
        ["duplicates", str(n_dups), f"{100 * n_dups / inputs:.1f}%"],
        ["rejects", str(n_rejects), f"{100 * n_rejects / inputs:.1f}%"],
        ["inputs", str(inputs), "100.0%"],
    ]
    assert section(text, "Duplicates by kind") == [
        ["near", "3", "60.0%", "0.91"],
        ["exact", "1", "20.0%", "1.00"],
        ["url", "1", "20.0%", "1.00"],
    ]
    reasons = section(text, "Top reject reasons")
    assert [r[:4] for r in reasons] == [
        ["fetch", "http-404", "2", "50.0%"],
        ["extract", "no-article-text", "1", "25.0%"],
        ["read", "bad-gzip", "1", "25.0%"],
    ]
    assert reasons[0][4] == "the server answered 404 Not Found"
    runs = section(text, "Last runs")
    assert [r[0] for r in runs] == [RUN_NEW, RUN_OLD]  # newest first
    assert runs[0][2] == "2026-11-02 06:00:00" and runs[0][3] == "42.5"


def test_since_filters_articles_rates_and_runs(topic_output):
    root, tables = topic_output
    since = date(2026, 10, 15)
    status, text = report(root, since=since)
    assert status == Exit.OK
    kept = [a for a in tables["articles"] if a["published_date"] >= since]
    assert as_counts(section(text, "Articles per day")) == Counter(
        a["published_date"].isoformat() for a in kept
    )
    assert as_counts(section(text, "Articles per topic")) == topic_counter(kept)
    # Rates count what was ingested since: only the newer run's rows.
    newer = {
        t: sum(1 for r in rows if r["ingested_at"].date() >= since) for t, rows in tables.items()
    }
    assert as_counts(
        section(text, f"Duplicate and reject rates (inputs ingested on or after {since})")
    ) == {
        **newer,
        "inputs": sum(newer.values()),
    }
    assert [r[0] for r in section(text, "Last runs")] == [RUN_NEW]


def test_topic_filter(topic_output):
    root, tables = topic_output
    topic = "relations:by-us"
    status, text = report(root, topic=topic)
    assert status == Exit.OK
    tagged = [a for a in tables["articles"] if topic in (a["topics"] or [])]
    assert sum(as_counts(section(text, "Articles per day")).values()) == len(tagged) == 12
    # The topic itself, and what its articles are tagged with besides.
    assert as_counts(section(text, "Articles per topic")) == {topic: 12, "prisoner-release": 4}
    ids = {a["article_id"] for a in tagged}
    copies = [d for d in tables["duplicates"] if d["duplicate_of"] in ids]
    assert as_counts(section(text, "Duplicate rate")) == {
        "articles": 12,
        "duplicates": len(copies),
        "inputs": 12 + len(copies),
    }
    assert "note: rejects carry no topics: left out with --topic" in text
    assert "Top reject reasons" not in text


def test_unknown_topic_is_reported_not_an_error(topic_output):
    root, _tables = topic_output
    status, text = report(root, topic="relations:by-uss")
    assert status == Exit.OK
    assert (
        "note: no article matches --topic relations:by-uss; "
        "tagged topics include relations:by-us, sanctions" in text
    )
    assert section(text, "Articles per day") == []


def test_chart_data_is_the_top_eight_topics_zero_filled(topic_output):
    root, tables = topic_output
    con, _files = open_output(str(root))
    data = chart_data(con)
    topics = topic_counter(tables["articles"])
    expected = [t for t, _ in sorted(topics.items(), key=lambda i: (-i[1], i[0]))[:8]]
    assert list(data.series) == expected
    assert data.bucket == "week" and data.topics_total == len(topics) == 11
    assert data.buckets[0] == date(2026, 7, 27)  # the Monday of the week of 2026-08-01
    assert all((b - a).days == 7 for a, b in zip(data.buckets, data.buckets[1:], strict=False))
    for name, counts in data.series.items():
        assert sum(counts) == topics[name] == data.totals[name]
        assert len(counts) == len(data.buckets)
    assert 0 in data.series[expected[-1]]  # weeks without such articles are zeros
    assert "relations:by-pl" not in data.series

    only = chart_data(con, topic="sanctions", since=date(2026, 9, 1))
    assert list(only.series) == ["sanctions"]
    assert sum(only.series["sanctions"]) == sum(
        1
        for a in tables["articles"]
        if "sanctions" in (a["topics"] or []) and a["published_date"] >= date(2026, 9, 1)
    )


def chart_panels(figure) -> list:
    """The chart's panels: the axes that hold bars, top to bottom."""
    return [ax for ax in figure.axes if ax.containers]


def chart_notes(figure) -> str:
    """The lines under the chart's title."""
    return "\n".join(t.get_text() for ax in figure.axes if not ax.containers for t in ax.texts)


def bar_heights(ax) -> list[int]:
    (bars,) = ax.containers
    return [round(bar.get_height()) for bar in bars]


def shaded(ax) -> list[float]:
    """Where the grey backgrounds of partial weeks start: the patches that are not bars."""
    (bars,) = ax.containers
    return [patch.get_x() for patch in ax.patches if patch not in bars.patches]


def test_chart_is_a_titled_panel_per_topic_on_shared_axes(topic_output):
    # The design changed on purpose (issue 21): one panel of bars per topic instead of eight
    # lines in one plot with a legend, and a grey background instead of dotted line ends.
    from matplotlib.dates import date2num

    root, tables = topic_output
    con, _files = open_output(str(root))
    data = chart_data(con)
    figure = draw_chart(data, str(root))
    assert figure.get_suptitle() == "Articles per week by topic (top 8 of 11)"
    panels = chart_panels(figure)
    assert len(panels) == 8
    titles = [ax.get_title(loc="left") for ax in panels]
    peak = max(data.series["relations:by-us"])
    assert titles[0] == f"relations:by-us: 12 articles, at most {peak} in a week"
    assert [t.split(": ")[0] for t in titles] == list(data.series)
    for ax, (label, counts) in zip(panels, data.series.items(), strict=True):
        assert bar_heights(ax) == counts, label  # every bucket, zeros included
        assert [bar.get_x() for bar in ax.containers[0]] == [date2num(b) for b in data.buckets]
        assert all(bar.get_alpha() is None for bar in ax.containers[0])  # every bar solid
        assert not ax.get_lines()  # bars, no lines to cross
        assert ax.get_shared_x_axes().joined(ax, panels[0])
        assert ax.get_shared_y_axes().joined(ax, panels[0])
    assert panels[-1].get_xlabel().startswith("Week of publication")
    assert figure._supylabel.get_text() == "Articles per week"
    # 2026-08-01 is a Saturday and the last article is not on a Sunday: both end weeks are
    # partial, shaded grey, and the notes say so.
    assert data.partial_first and data.partial_last
    for ax in panels:
        assert shaded(ax) == [date2num(data.buckets[0]), date2num(data.buckets[-1])]
    header = chart_notes(figure)
    assert "grey background: weeks only partly inside 2026-08-01 to " in header
    assert f"{len(tables['articles'])} articles published 2026-08-01 to " in header
    assert "without a publication date" not in header  # every article here has one
    panels[-1].figure.canvas.draw()
    labels = [t.get_text() for t in panels[-1].get_xticklabels()]
    assert any(re.fullmatch(r"\d{2} (Aug|Sep|Oct)", label) for label in labels), labels


def test_topic_chart_png_shows_eight_panels(topic_output, tmp_path):
    image_module = pytest.importorskip("PIL.Image")
    root, _tables = topic_output
    chart = tmp_path / "topics.png"
    status, _text = report(root, plot=str(chart))
    assert status == Exit.OK
    width, height = png_size(chart)
    assert width >= 800 and height >= 400 and chart.stat().st_size > 5_000
    with image_module.open(chart) as image:
        colours = {c for _n, c in image.convert("RGB").getcolors(maxcolors=1 << 20)}
    for hex_colour in stats._PALETTE:
        rgb = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
        assert rgb in colours, f"no panel drawn in {hex_colour}"


# -- the chart when topics coincide, data are sparse or dates are missing ------------------------
def dated_output(root: Path, specs: list[tuple[date, list[str]]], undated: int = 0) -> Path:
    """An output of articles published on the given days with the given topics, plus `undated`
    articles tagged like the first one that have no publication date (filed, as newsbeam files
    them, under their ingest date)."""
    articles = [_article(n, day, topics, RUN_NEW) for n, (day, topics) in enumerate(specs)]
    ingest_day = INGESTED[RUN_NEW].date()
    articles += [
        _article(len(specs) + n, ingest_day, specs[0][1], RUN_NEW) | {"published_at": None}
        for n in range(undated)
    ]
    return write_output(root, articles, [], [])


def test_topics_with_the_same_counts_get_a_panel_each(tmp_path):
    # On the bundled sample relations:by-us and prisoner-release tag the same articles: drawn as
    # lines in one plot, the second hid the first.
    days = [date(2026, 9, 1) + timedelta(days=9 * i) for i in range(6)]
    specs = [(day, ["prisoner-release", "relations:by-us"]) for day in days]
    specs.append((days[2], ["sanctions"]))
    root = dated_output(tmp_path / "out", specs)
    con, _files = open_output(str(root))
    data = chart_data(con)
    assert list(data.series) == ["prisoner-release", "relations:by-us", "sanctions"]
    assert data.series["prisoner-release"] == data.series["relations:by-us"]
    assert sum(data.series["relations:by-us"]) == 6
    panels = chart_panels(draw_chart(data, str(root)))
    assert [ax.get_title(loc="left").split(": ")[0] for ax in panels] == list(data.series)
    assert bar_heights(panels[0]) == bar_heights(panels[1]) == data.series["relations:by-us"]
    assert bar_heights(panels[2]) == data.series["sanctions"]


def test_sparse_zero_one_weeks_are_bars_on_one_scale(tmp_path):
    # Two topics in alternate weeks: drawn as lines, their 0/1 zig-zags crossed in every week.
    monday = date(2026, 9, 7)
    specs = [
        (monday + timedelta(weeks=w, days=2), ["diplomacy" if w % 2 else "sanctions"])
        for w in range(8)
    ]
    root = dated_output(tmp_path / "out", specs)
    con, _files = open_output(str(root))
    data = chart_data(con)
    assert data.bucket == "week"
    assert data.buckets == [monday + timedelta(weeks=w) for w in range(8)]
    assert data.series == {"diplomacy": [0, 1] * 4, "sanctions": [1, 0] * 4}
    panels = chart_panels(draw_chart(data, str(root)))
    assert len(panels) == 2
    for ax, counts in zip(panels, data.series.values(), strict=True):
        assert bar_heights(ax) == counts
        assert not ax.get_lines()
        assert ax.get_ylim() == panels[0].get_ylim()
        low, high = ax.get_ylim()
        ticks = [t for t in ax.get_yticks() if low <= t <= high]
        assert ticks and all(float(t).is_integer() for t in ticks)  # no "0.5 articles"


def test_undated_articles_are_counted_not_plotted(tmp_path):
    # Undated articles are filed under their ingest date (2026-11-02 here): the chart's axis
    # used to run on to it, six weeks past the last publication date.
    specs = [(date(2026, 9, 1) + timedelta(days=2 * n), ["diplomacy"]) for n in range(10)]
    root = dated_output(tmp_path / "out", specs, undated=3)
    con, _files = open_output(str(root))
    data = chart_data(con)
    assert (data.articles, data.undated) == (10, 3)
    assert (data.first, data.last) == (date(2026, 9, 1), date(2026, 9, 19))
    assert data.bucket == "day" and data.buckets[-1] == date(2026, 9, 19)
    assert sum(data.series["diplomacy"]) == 10
    assert chart_data(con, topic="diplomacy").undated == 3
    assert chart_data(con, until=date(2026, 10, 31)).undated == 0  # filed after the window
    header = chart_notes(draw_chart(data, str(root)))
    assert "3 articles without a publication date not shown" in header

    chart = tmp_path / "chart.png"
    status, text = report(root, plot=str(chart))
    assert status == Exit.OK
    assert text.endswith("(per day: diplomacy; 3 without a publication date left out)\n")
    assert "  13 articles published 2026-09-01 to 2026-09-19; " in text  # the dated span
    assert "  note: 3 of these articles have no publication date" in text
    assert as_counts(section(text, "Articles per day"))["2026-11-02"] == 3
    assert "note: 3 articles without a publication date count on their ingest date" in notes(
        text, "Articles per day"
    )
    status, text = report(root, table_format="json")
    document = json.loads(text)
    assert document["summary"]["undated"] == 3
    assert document["summary"]["last_published"] == "2026-09-19"
    assert document["tables"]["days"][-1] == {
        "published_date": "2026-11-02",
        "articles": 3,
        "undated": 3,
    }
    assert document["tables"]["topics"] == [
        {
            "topic": "diplomacy",
            "articles": 13,
            "share": 1.0,
            "first_published": "2026-09-01",
            "last_published": "2026-09-19",
        }
    ]


# -- --until -------------------------------------------------------------------------------------
def test_until_ends_the_window_on_its_day(topic_output):
    root, tables = topic_output
    articles = tables["articles"]
    days = sorted({a["published_date"] for a in articles})
    until = days[len(days) // 2]
    status, text = report(root, until=until)
    assert status == Exit.OK
    kept = [a for a in articles if a["published_date"] <= until]
    assert any(a["published_date"] == until for a in kept)  # the day itself is in
    assert as_counts(section(text, "Articles per topic")) == topic_counter(kept)
    assert f"filter: articles published on or before {until}" in text
    assert f"  {len(kept)} articles published 2026-08-01 to {until}; " in text

    # The older run was ingested on 2026-10-01: --until that day keeps it and its rows.
    status, text = report(root, until=date(2026, 10, 1))
    older = {t: sum(1 for r in rows if r["run_id"] == RUN_OLD) for t, rows in tables.items()}
    assert as_counts(
        section(text, "Duplicate and reject rates (inputs ingested on or before 2026-10-01)")
    ) == {**older, "inputs": sum(older.values())}
    assert [r[0] for r in section(text, "Last runs started on or before 2026-10-01")] == [RUN_OLD]
    status, text = report(root, until=date(2026, 9, 30))
    assert section(text, "Last runs started on or before 2026-09-30") == []


def test_since_and_until_together(topic_output):
    root, tables = topic_output
    since, until = date(2026, 9, 1), date(2026, 9, 30)
    status, text = report(root, since=since, until=until)
    assert status == Exit.OK
    kept = [a for a in tables["articles"] if since <= a["published_date"] <= until]
    assert as_counts(section(text, "Articles per day")) == Counter(
        a["published_date"].isoformat() for a in kept
    )
    assert "filter: articles published from 2026-09-01 to 2026-09-30" in text
    con, _files = open_output(str(root))
    data = chart_data(con, since=since, until=until)
    assert data.articles == len(kept)
    assert sum(data.series["relations:by-us"]) == topic_counter(kept)["relations:by-us"]
    assert since <= data.first and data.last <= until
    assert "(filter: published from 2026-09-01 to 2026-09-30)" in chart_notes(
        draw_chart(data, str(root))
    )


def test_until_and_format_errors_are_one_line_and_status_2(topic_output, capsys):
    root, _tables = topic_output
    parser = add_stats_arguments(_RaisingParser(prog="newsbeam stats"))
    args = parser.parse_args(["--until", "2026-10-31", "--format", "CSV"])
    assert args.until == date(2026, 10, 31) and args.format == "csv"
    assert parser.parse_args([]).format == "text" and parser.parse_args([]).until is None
    with pytest.raises(
        ValueError, match=r"^argument --until: expected a date as YYYY-MM-DD, not '2026-10'$"
    ):
        parser.parse_args(["--until", "2026-10"])
    with pytest.raises(ValueError, match=r"^argument --until: expected a date as YYYY-MM-DD"):
        parser.parse_args(["--until", "20261031"])  # ISO basic form: the help says YYYY-MM-DD
    with pytest.raises(
        ValueError, match=r"^argument --format: expected text, csv or json, not 'xml'$"
    ):
        parser.parse_args(["--format", "xml"])

    status, text = report(root, since=date(2026, 10, 2), until=date(2026, 10, 1))
    err = capsys.readouterr().err
    assert status == Exit.USAGE and text == ""
    assert err == (
        "newsbeam: error: --since 2026-10-02 is after --until 2026-10-01: "
        "no day is in that window\n"
    )
    status, text = report(root, until="2026-10-32")
    assert status == Exit.USAGE and text == ""
    assert capsys.readouterr().err == (
        "newsbeam: error: --until: expected a date as YYYY-MM-DD, not '2026-10-32'\n"
    )
    status, text = report(root, table_format="yaml")
    assert status == Exit.USAGE and text == ""
    assert capsys.readouterr().err == (
        "newsbeam: error: --format: expected text, csv or json, not 'yaml'\n"
    )


# -- --format csv and json ------------------------------------------------------------------------
def test_json_holds_every_row_and_parses_back(topic_output):
    root, tables = topic_output
    articles = tables["articles"]
    status, text = report(root, table_format="json")
    assert status == Exit.OK
    document = json.loads(text)  # the whole of stdout is the document
    assert document["output"] == str(root)
    assert document["filters"] == {"since": None, "until": None, "topic": None}
    last = max(a["published_date"] for a in articles)
    assert document["summary"] == {
        "articles": len(articles),
        "undated": 0,
        "untagged": 4,
        "first_published": "2026-08-01",
        "last_published": last.isoformat(),
        "sources": 4,
        "topics": 11,
        "runs": 2,
    }
    got = document["tables"]
    assert list(got) == [
        "days",
        "topics",
        "sources",
        "outcomes",
        "duplicate_kinds",
        "reject_reasons",
        "runs",
    ]
    per_day = Counter(a["published_date"].isoformat() for a in articles)
    assert len(per_day) > 31  # more than the text shows: every row is here
    assert {r["published_date"]: r["articles"] for r in got["days"]} == per_day
    topics = topic_counter(articles)
    assert {r["topic"]: r["articles"] for r in got["topics"]} == topics
    assert got["topics"][0] == {
        "topic": "relations:by-us",
        "articles": 12,
        "share": round(12 / len(articles), 4),
        "first_published": min(
            a["published_date"] for a in articles if "relations:by-us" in (a["topics"] or [])
        ).isoformat(),
        "last_published": max(
            a["published_date"] for a in articles if "relations:by-us" in (a["topics"] or [])
        ).isoformat(),
    }
    assert {r["source_domain"]: r["articles"] for r in got["sources"]} == Counter(
        a["source_domain"] for a in articles
    )
    inputs = sum(len(rows) for rows in tables.values())
    assert got["outcomes"] == [
        {"outcome": t, "rows": len(tables[t]), "share": round(len(tables[t]) / inputs, 4)}
        for t in ("articles", "duplicates", "rejects")
    ] + [{"outcome": "inputs", "rows": inputs, "share": 1.0}]
    assert got["duplicate_kinds"][0] == {
        "kind": "near",
        "rows": 3,
        "share": 0.6,
        "mean_similarity": round((0.91 + 0.88 + 0.93) / 3, 4),
    }
    assert got["reject_reasons"][0] == {
        "stage": "fetch",
        "error": "http-404",
        "rows": 2,
        "share": 0.5,
        "example": "the server answered 404 Not Found",
    }
    newer = {t: sum(1 for r in rows if r["run_id"] == RUN_NEW) for t, rows in tables.items()}
    assert got["runs"][0] == {
        "run_id": RUN_NEW,
        "command": "ingest",
        "started_at": INGESTED[RUN_NEW].isoformat(),
        "seconds": 42.5,
        "inputs": sum(newer.values()),
        **newer,
        "skipped": 3,
    }
    assert [r["run_id"] for r in got["runs"]] == [RUN_NEW, RUN_OLD]

    status, text = report(root, table_format="json", topic="sanctions", since=date(2026, 9, 1))
    document = json.loads(text)
    assert document["filters"] == {"since": "2026-09-01", "until": None, "topic": "sanctions"}
    assert "reject_reasons" not in document["tables"]  # rejects carry no topics
    assert [r["outcome"] for r in document["tables"]["outcomes"]] == [
        "articles",
        "duplicates",
        "inputs",
    ]


def test_csv_is_one_document_that_parses_back(topic_output):
    root, tables = topic_output
    status, text = report(root, table_format="csv")
    assert status == Exit.OK
    rows = list(csv.DictReader(io.StringIO(text)))
    header = text.splitlines()[0].split(",")
    assert header[:9] == [
        "table",
        "published_date",
        "topic",
        "source_domain",
        "outcome",
        "kind",
        "stage",
        "error",
        "run_id",
    ]
    assert all(None not in row for row in rows)  # no row is longer than the header
    # The same rows as the JSON, cell by cell; a table's row leaves other tables' columns empty.
    document = json.loads(report(root, table_format="json")[1])
    expected = [("summary", document["summary"])] + [
        (name, record) for name, records in document["tables"].items() for record in records
    ]
    assert [row["table"] for row in rows] == [name for name, _ in expected]
    for row, (_name, record) in zip(rows, expected, strict=True):
        assert {k: v for k, v in row.items() if k != "table" and k not in record} == {
            k: "" for k in header if k != "table" and k not in record
        }
        assert {k: row[k] for k in record} == {
            k: "" if v is None else str(v) for k, v in record.items()
        }
    days = {r["published_date"]: int(r["articles"]) for r in rows if r["table"] == "days"}
    assert days == Counter(a["published_date"].isoformat() for a in tables["articles"])


def test_cli_passes_until_and_format(topic_output, tmp_path):
    root, tables = topic_output
    chart = tmp_path / "chart.png"
    run = newsbeam(
        "stats",
        "--output",
        str(root),
        "--until",
        "2026-09-30",
        "--format",
        "csv",
        "--plot",
        str(chart),
    )
    assert run.returncode == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    kept = [a for a in tables["articles"] if a["published_date"] <= date(2026, 9, 30)]
    assert int(rows[0]["articles"]) == len(kept) and rows[0]["table"] == "summary"
    assert run.stderr.startswith(f"Chart: {chart} (per week: ")  # stdout stays one document
    assert png_size(chart)[0] >= 800
    run = newsbeam("stats", "--output", str(root), "--format", "yaml")
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and "--format" in run.stderr and "yaml" in run.stderr


def test_untagged_output_charts_all_articles(tmp_path):
    articles = [a | {"topics": [], "topic_evidence": []} for a in topic_articles()[:20]]
    root = write_output(tmp_path / "out", articles, [], [])
    con, _files = open_output(str(root))
    data = chart_data(con)
    assert list(data.series) == ["all articles"] and not data.tagged
    assert sum(data.series["all articles"]) == 20
    figure = draw_chart(data, str(root))
    assert figure.get_suptitle().endswith("(no topics tagged yet)")
    chart = tmp_path / "all.png"
    assert report(root, plot=str(chart))[0] == Exit.OK
    assert png_size(chart)[0] >= 800


def test_empty_tables_are_empty_not_errors(tmp_path):
    root = write_output(tmp_path / "out", topic_articles()[:3], [], [])
    status, text = report(root)
    assert status == Exit.OK
    assert "Top reject reasons\n  no rejects" in text
    assert "Duplicates by kind\n  no duplicates" in text


# -- failures ----------------------------------------------------------------------------------
def test_missing_output(tmp_path, capsys):
    status, text = report(tmp_path / "nowhere")
    err = capsys.readouterr().err
    assert status == Exit.NOINPUT == 66
    assert text == ""
    missing = tmp_path / "nowhere"
    assert err == f"newsbeam: error: no newsbeam output at {missing}: the folder does not exist\n"


def test_empty_output_folder(tmp_path, capsys):
    status, _text = report(tmp_path)
    err = capsys.readouterr().err
    assert status == Exit.NOINPUT
    assert err.count("\n") == 1 and "holds no newsbeam output yet" in err
    (tmp_path / "notes.txt").write_text("x")
    assert report(tmp_path / "notes.txt")[0] == Exit.NOINPUT


def test_runs_without_rows_still_report(tmp_path):
    root = write_output(tmp_path / "out", topic_articles()[:1], [], [])
    for file in (root / "articles").glob("*/*.parquet"):
        file.unlink()
    status, text = report(root)
    assert status == Exit.OK
    assert "Articles per day (publication date, UTC)\n  no articles" in text
    assert len(section(text, "Last runs")) == 1


class _RaisingParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise ValueError(message)


def test_bad_since_is_one_line_and_status_2(tmp_path, capsys):
    parser = add_stats_arguments(_RaisingParser(prog="newsbeam stats"))
    args = parser.parse_args(["--since", "2026-10-01", "--topic", "sanctions"])
    assert args.since == date(2026, 10, 1) and args.topic == "sanctions"
    assert args.output == "./newsbeam-output" and args.plot is None
    with pytest.raises(
        ValueError, match=r"^argument --since: expected a date as YYYY-MM-DD, not '2026-02-30'$"
    ):
        parser.parse_args(["--since", "2026-02-30"])
    with pytest.raises(argparse.ArgumentTypeError):
        parse_date("last week")

    root = write_output(tmp_path / "out", topic_articles()[:2], [], [])
    status, text = report(root, since="2026-13-01")
    err = capsys.readouterr().err
    assert status == Exit.USAGE == 2 and text == ""
    assert err == "newsbeam: error: --since: expected a date as YYYY-MM-DD, not '2026-13-01'\n"


def test_plot_failures(topic_output, tmp_path, capsys):
    root, _tables = topic_output
    status, _ = report(root, plot=str(tmp_path / "no-such-folder" / "chart.png"))
    assert status == Exit.CANTCREAT == 73
    assert capsys.readouterr().err.startswith("newsbeam: error: cannot write the chart to ")
    status, text = report(root, plot=str(tmp_path / "chart.gif"))
    assert status == Exit.USAGE and text == ""
    assert "--plot" in capsys.readouterr().err
    assert report(root, plot=str(tmp_path / "chart.svg"))[0] == Exit.OK
    assert (tmp_path / "chart.svg").read_text().lstrip().startswith("<?xml")


def test_format_table():
    lines = format_table(("name", "n"), [("a", 1234), ("bbb", None)], "lr")
    assert lines == ["  name      n", "  ----  -----", "  a     1,234", "  bbb"]


def test_unreadable_table_file_is_one_line(tmp_path, capsys):
    root = write_output(tmp_path / "out", topic_articles()[:2], [], [])
    (root / "articles" / "published_date=2026-12-01").mkdir()
    (root / "articles" / "published_date=2026-12-01" / "part-x-00000.parquet").write_bytes(b"junk")
    status, text = report(root)
    err = capsys.readouterr().err
    assert status == stats.Exit.FAILED == 1 and text == ""
    assert err.startswith(f"newsbeam: error: cannot read the tables of {root}: ")
    assert err.count("\n") == 1
