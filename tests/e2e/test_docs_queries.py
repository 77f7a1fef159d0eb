"""The documentation runs: every DuckDB, Polars, pyarrow and pandas example in docs/querying.md
against a real output and against one with topics and mixed schema versions, and docs/schema.md
and the BigQuery DDL list exactly the columns of schemas/tables.py."""

from __future__ import annotations

import contextlib
import io
import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from newsbeam.schemas.tables import OUTPUT_TABLES, TABLES
from tests.e2e.helpers import newsbeam, table
from tests.pipeline.test_stats import build_sample_output, build_topic_output

REPO = Path(__file__).resolve().parents[2]
QUERYING = REPO / "docs" / "querying.md"
SCHEMA = REPO / "docs" / "schema.md"
PLACEHOLDER = "newsbeam-output"  # the default --output the examples read
_BLOCK = re.compile(r"^```(\w+) (\w+)\n(.*?)^```$", re.M | re.S)


def blocks(*engines: str) -> list[str]:
    """The bodies of the blocks whose info string is `<language> <engine>`, in document order."""
    text = QUERYING.read_text(encoding="utf-8")
    return [body for _language, engine, body in _BLOCK.findall(text) if engine in engines]


def rows_of(result: Any) -> list[dict[str, Any]]:
    """A Polars or pandas DataFrame or a pyarrow Table as a list of dicts."""
    if isinstance(result, pa.Table):
        return result.to_pylist()
    if hasattr(result, "to_dicts"):  # polars
        return result.to_dicts()
    return result.to_dict("records")  # pandas


def run_duckdb(output: Path) -> list[list[dict[str, Any]]]:
    """Each SELECT's rows, running every block in one connection, as the duckdb shell would."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    answers = []
    for body in blocks("duckdb"):
        for statement in con.extract_statements(body.replace(PLACEHOLDER, str(output))):
            con.execute(statement)
            if statement.type == duckdb.StatementType.SELECT:
                columns = [d[0] for d in con.description]
                answers.append([dict(zip(columns, row, strict=True)) for row in con.fetchall()])
    return answers


def run_python(output: Path, *engines: str) -> list[list[dict[str, Any]]]:
    """Each block's `result`, running the blocks in order in one namespace, as a notebook would."""
    namespace: dict[str, Any] = {"__name__": "docs_example"}
    answers = []
    for body in blocks(*engines):
        namespace.pop("result", None)
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(body.replace(PLACEHOLDER, str(output)), str(QUERYING), "exec"), namespace)
        if "result" in namespace:
            answers.append(rows_of(namespace["result"]))
    return answers


@pytest.fixture(scope="module")
def real_output(tmp_path_factory) -> Path:
    """The CLI on the bundled sample plus two files it must reject: all three tables exist."""
    run, output = build_sample_output(tmp_path_factory.mktemp("docs"))
    assert run.counts["rejects"] == 2 and run.counts["duplicates"] >= 1
    return output


@pytest.fixture(scope="module")
def topic_output(tmp_path_factory) -> tuple[Path, dict[str, list[dict[str, Any]]]]:
    return build_topic_output(tmp_path_factory.mktemp("docs-topics"))


def check_topic_answers(answers: list[list[dict[str, Any]]], tables: dict[str, list]) -> set[str]:
    """Every answer has rows, and the ones the fixture was built for have the right numbers."""
    assert all(answers), "an example returned no rows on an output built to answer it"
    by_us = [a for a in tables["articles"] if "relations:by-us" in (a["topics"] or [])]
    checked = set()
    for rows in answers:
        keys = set(rows[0])
        if keys == {"week", "articles"}:
            assert sum(r["articles"] for r in rows) == len(by_us) == 12
            weeks = [r["week"] for r in rows]
            assert all(_as_date(w).weekday() == 0 for w in weeks), weeks  # Mondays
            assert weeks == sorted(weeks)
            checked.add("per week")
        elif "copied_by" in keys and "stories" in keys:
            assert rows[0]["copied_by"] == "copycat.example"
            assert (rows[0]["copies"], rows[0]["stories"]) == (3, 2)
            assert {r["copied_by"] for r in rows} == {"copycat.example", "mirror.example"}
            checked.add("syndication")
        elif {"score", "phrases"} <= keys:
            assert len(rows) == len(by_us)
            assert list(rows[0]["phrases"]) == ["Minsk", "Washington"]
            scores = [r["score"] for r in rows]
            assert scores == sorted(scores, reverse=True)
            checked.add("evidence")
        elif {"stage", "error"} <= keys:
            count = "inputs" if "inputs" in keys else None
            assert {(r["stage"], r["error"]): r[count] for r in rows} == Counter(
                (r["stage"], r["error"]) for r in tables["rejects"]
            )
            checked.add("rejects")
        elif "content_source" in keys:
            # Files written before content_source existed read as null, next to the newer ones.
            assert {r["content_source"] for r in rows} == {"page", "(not recorded)"}
            assert sum(r["articles"] for r in rows) == len(tables["articles"])
            checked.add("content source")
    return checked


def _as_date(value: Any) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


# -- the examples ------------------------------------------------------------------------------
def test_the_examples_are_marked():
    assert len(blocks("duckdb")) >= 8
    assert len(blocks("polars")) >= 4
    assert len(blocks("pyarrow")) >= 3
    assert len(blocks("pandas")) >= 2
    assert len(blocks("bigquery")) == 2
    for engine in ("duckdb", "polars", "pyarrow"):  # the first block reads the output
        assert PLACEHOLDER in blocks(engine)[0], engine


def test_duckdb_examples_on_a_real_output(real_output):
    answers = run_duckdb(real_output)
    articles = table(real_output, "articles")
    per_day_language = answers[0]
    assert sum(r["articles"] for r in per_day_language) == len(articles)
    reasons = next(rows for rows in answers if rows and "stage" in rows[0])
    assert {(r["stage"], r["error"]): r["inputs"] for r in reasons} == Counter(
        (r["stage"], r["error"]) for r in table(real_output, "rejects")
    )
    sources = next(rows for rows in answers if rows and "content_source" in rows[0])
    assert sum(r["articles"] for r in sources) == len(articles)


def test_duckdb_examples_answer_their_questions(topic_output):
    output, tables = topic_output
    checked = check_topic_answers(run_duckdb(output), tables)
    assert checked == {"per week", "syndication", "evidence", "rejects", "content source"}


def test_polars_examples(real_output, topic_output):
    pytest.importorskip("polars")
    assert len(run_python(real_output, "polars")) == 3
    output, tables = topic_output
    checked = check_topic_answers(run_python(output, "polars"), tables)
    assert checked == {"per week", "syndication", "evidence"}


def test_pyarrow_and_pandas_examples(real_output, topic_output):
    engines = ("pyarrow", "pandas")  # pandas is in the test extra
    answers = run_python(real_output, *engines)
    assert len(answers) == 4
    output, tables = topic_output
    checked = check_topic_answers(run_python(output, *engines), tables)
    assert {"per week", "evidence"} <= checked
    if "pandas" in engines:
        assert "rejects" in checked


def test_every_example_runs_on_the_bundled_sample_alone(tmp_path):
    # The sample has no rejects: the rejects table still has a file (empty, with the schema), so
    # the first query a new user copies works.
    output = tmp_path / "out"
    run = newsbeam("ingest", "--output", str(output), "--quiet")
    assert run.returncode == 0 and run.counts["rejects"] == 0, run.stderr
    assert list((output / "rejects").glob("*/*.parquet"))
    assert len(run_duckdb(output)) >= 3
    for engines in (("polars",), ("pyarrow", "pandas")):
        assert run_python(output, *engines)
    again = newsbeam("ingest", "--output", str(output), "--quiet")
    assert again.returncode == 0
    assert len(list((output / "rejects").glob("*/*.parquet"))) == 1  # one empty file, not one a run


# -- the schema in the docs --------------------------------------------------------------------
def _expected_columns(name: str) -> list[str]:
    schema, partition = TABLES[name]
    return [*schema.names, partition]


def test_schema_doc_lists_every_column():
    text = SCHEMA.read_text(encoding="utf-8")
    for name in OUTPUT_TABLES:
        match = re.search(rf"^## {name}\n(.*?)(?=^## )", text, re.M | re.S)
        assert match, f"no '## {name}' section in {SCHEMA.name}"
        documented = re.findall(r"^\| `([a-z_]+)` \|", match.group(1), re.M)
        assert documented == _expected_columns(name), name


_BQ_TYPES = {
    pa.string(): "STRING",
    pa.int32(): "INT64",
    pa.int64(): "INT64",
    pa.float64(): "FLOAT64",
    pa.date32(): "DATE",
}


def _bigquery_type(dtype: pa.DataType) -> str:
    if pa.types.is_timestamp(dtype):
        return "TIMESTAMP"
    if pa.types.is_list(dtype):
        return f"ARRAY<{_bigquery_type(dtype.value_type)}>"
    if pa.types.is_struct(dtype):
        fields = ", ".join(f"{f.name} {_bigquery_type(f.type)}" for f in dtype)
        return f"STRUCT<{fields}>"
    return _BQ_TYPES[dtype]


def test_bigquery_ddl_matches_the_schemas():
    ddl = blocks("bigquery")[0]
    for name in OUTPUT_TABLES:
        schema, partition = TABLES[name]
        match = re.search(
            rf"EXTERNAL TABLE news\.{name} \((.*?)\)\nWITH PARTITION COLUMNS \((\w+) DATE\)"
            rf"\nOPTIONS \((.*?)\);",
            ddl,
            re.S,
        )
        assert match, name
        columns, partition_column, options = match.groups()
        declared = " ".join(columns.split())
        expected = ", ".join(f"{f.name} {_bigquery_type(f.type)}" for f in schema)
        assert declared == expected, name
        assert partition_column == partition
        prefix = f"gs://BUCKET/newsbeam-output/{name}"
        assert f"uris = ['{prefix}/*']" in options
        assert f"hive_partition_uri_prefix = '{prefix}'" in options
        assert "require_hive_partition_filter = false" in options
