"""Running the real `newsbeam` command and reading its output back with DuckDB."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

SUMMARY_LINE = re.compile(r"^\s+(inputs|articles|duplicates|rejects|skipped)\s+(\d+)\s*$", re.M)


@dataclass
class CliRun:
    returncode: int
    stdout: str
    stderr: str

    @property
    def counts(self) -> dict[str, int]:
        return {name: int(value) for name, value in SUMMARY_LINE.findall(self.stdout)}


def newsbeam(*args: str, timeout: float = 300) -> CliRun:
    """Run `newsbeam ARGS` in a fresh interpreter, as a user's shell would."""
    done = subprocess.run(
        [sys.executable, "-m", "newsbeam.pipeline.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return CliRun(done.returncode, done.stdout, done.stderr)


def table(output: Path, name: str) -> list[dict]:
    """All rows of one output table, read the way the contract promises: hive partitioning only."""
    files = list((output / name).glob("*/*.parquet"))
    if not files:
        return []
    pattern = str(output / name / "*" / "*.parquet")
    relation = duckdb.sql(f"SELECT * FROM read_parquet('{pattern}', hive_partitioning=true)")
    columns = relation.columns
    return [dict(zip(columns, row, strict=True)) for row in relation.fetchall()]


def parquet_files(output: Path) -> set[str]:
    return {str(p.relative_to(output)) for p in output.rglob("*.parquet")}


ARTICLE_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title} | Harbour Gazette</title>
<link rel="canonical" href="https://harbourgazette.example/news/{slug}">
<meta property="article:published_time" content="2026-08-{day:02d}T10:15:00Z">
<meta name="author" content="Pat Quill"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>{title}</h1>{paragraphs}</article>
<footer>Harbour Gazette, all rights reserved.</footer></body></html>"""


_SENTENCES = [
    "Council members met on the quay on {weekday} to hear residents speak about {topic}.",
    "A harbour engineer said the work on {topic} had cost {n} thousand euros so far.",
    "Several shop owners complained that {topic} kept customers away for {n} days.",
    "The mayor promised a public report on {topic} before the end of the month.",
    "Fishermen asked for a meeting with the port authority about {topic} and their boats.",
    "Volunteers counted {n} people at the evening session devoted to {topic}.",
    "An older resident recalled how {topic} had been handled after the storm of {year}.",
    "The regional newspaper archive lists {n} earlier debates about {topic}.",
    "Officials expect the decision on {topic} to be taken at the autumn vote.",
    "Schoolchildren drew posters about {topic} that now hang in the library.",
    "The ferry company said {topic} would not change its winter timetable.",
    "A petition about {topic} gathered {n} signatures in a single weekend.",
    "Inspectors from the capital visited the site of {topic} on {weekday}.",
    "The budget committee set aside money for {topic} in next year's plan.",
]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]


def page(slug: str, title: str, day: int, topic: str) -> str:
    """A news page written for the tests; its text differs from every other slug's."""
    chooser = random.Random(slug)
    paragraphs = []
    for _ in range(6):
        sentences = chooser.sample(_SENTENCES, 3)
        paragraphs.append(
            "<p>"
            + " ".join(
                s.format(
                    topic=topic,
                    n=chooser.randint(2, 900),
                    weekday=chooser.choice(_WEEKDAYS),
                    year=chooser.randint(1950, 2020),
                )
                for s in sentences
            )
            + "</p>"
        )
    return ARTICLE_PAGE.format(slug=slug, title=title, day=day, paragraphs="".join(paragraphs))
