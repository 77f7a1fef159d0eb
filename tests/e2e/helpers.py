"""Running the real `newsbeam` command and reading its output back with DuckDB."""

from __future__ import annotations

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
