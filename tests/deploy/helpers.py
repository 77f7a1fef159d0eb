"""Shared by the deploy tests: where the artefacts are, and the checks every schedule needs (is
this a command line the CLI accepts, is this a cron schedule, what does the Makefile run)."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

from newsbeam.pipeline.cli import UsageError, _parse_pipeline_args
from newsbeam.pipeline.options import NewsbeamOptions

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
DATAFLOW = DEPLOY / "dataflow"

# Names with which Beam 2.77 builds a Dataflow job offline; a project id like `x` or a bucket
# like `gs://b` makes Beam's client retry for two minutes instead.
PROJECT, REGION, BUCKET, TAG = "my-project-123", "us-central1", "my-bucket", "t1"
IMAGE = f"{REGION}-docker.pkg.dev/{PROJECT}/newsbeam/newsbeam:{TAG}"
TEMPLATE = f"gs://{BUCKET}/templates/newsbeam-{TAG}.json"
# These build a Dataflow job offline; `--dry_run` needs its `=True`.
DATAFLOW_ARGS = [
    "--runner=DataflowRunner",
    f"--project={PROJECT}",
    f"--region={REGION}",
    f"--temp_location=gs://{BUCKET}/tmp",
    "--dry_run=True",
]


def require_gcp() -> None:
    """apache-beam[gcp] must be importable; skipping is allowed only when asked for."""
    try:
        importlib.import_module("apache_beam.runners.dataflow.internal.apiclient")
        importlib.import_module("google.cloud.dataflow_v1beta3")
    except ImportError as exc:
        if os.environ.get("NEWSBEAM_ALLOW_SKIP_GCP") == "1":
            pytest.skip(f"apache-beam[gcp] is not installed ({exc}); NEWSBEAM_ALLOW_SKIP_GCP=1")
        pytest.fail(
            f"apache-beam[gcp] is not installed ({exc}): run pip install -e '.[gcp]' "
            "(or set NEWSBEAM_ALLOW_SKIP_GCP=1 to skip the Dataflow checks)",
            pytrace=False,
        )


def newsbeam_actions() -> dict[str, argparse.Action]:
    """NewsbeamOptions' arguments by dest: the names a user sets."""
    parser = argparse.ArgumentParser(add_help=False)
    NewsbeamOptions._add_argparse_args(parser)
    return {a.dest: a for a in parser._actions}


def metadata() -> dict:
    return json.loads((DATAFLOW / "metadata.json").read_text(encoding="utf-8"))


def metadata_parameters() -> dict[str, dict]:
    return {p["name"]: p for p in metadata()["parameters"]}


def matches_regexes(param: dict, value: str) -> bool:
    return all(re.fullmatch(rx, value) for rx in param.get("regexes", []))


def load_flex_main() -> ModuleType:
    """deploy/dataflow/main.py, imported as the launcher would run it (it is not a package)."""
    spec = importlib.util.spec_from_file_location("newsbeam_flex_main", DATAFLOW / "main.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def assert_cli_accepts(argv: list[str]):
    """`argv` (after `newsbeam ingest`) parses exactly as the CLI parses it: every flag is
    newsbeam's or a Beam option, every value has the right type. Returns the options."""
    try:
        options, _argv = _parse_pipeline_args(list(argv))
        return options
    except UsageError as exc:
        pytest.fail(f"the CLI refuses {shlex.join(argv)}: {exc}", pytrace=False)


def newsbeam_argv(command: str) -> list[str]:
    """The arguments after `newsbeam ingest` in a shell command line (cron's, a unit's)."""
    for part in re.split(r"&&|\|\||;|\|", command):
        words = shlex.split(part)
        while words and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", words[0]):
            words = words[1:]  # VAR=value before the program
        if words and os.path.basename(words[0]) == "newsbeam":
            assert words[1:2] == ["ingest"], f"not `newsbeam ingest`: {part.strip()}"
            args = []
            for w in words[2:]:
                if re.fullmatch(r"\d*[<>]{1,2}.*", w):
                    break  # a redirection ends the command's own arguments
                args.append(w)
            return args
    raise AssertionError(f"no newsbeam command in: {command}")


_CRON_RANGES = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]


def assert_cron_schedule(fields: list[str]) -> None:
    """Five standard cron fields: numbers, ranges, steps and lists within each field's range."""
    assert len(fields) == 5, f"a cron schedule has 5 fields, not {fields}"
    for field, (low, high) in zip(fields, _CRON_RANGES, strict=True):
        for item in field.split(","):
            m = re.fullmatch(r"(\*|(\d+)(?:-(\d+))?)(?:/(\d+))?", item)
            assert m, f"bad cron field {field!r}"
            numbers = [int(n) for n in (m.group(2), m.group(3)) if n is not None]
            assert all(low <= n <= high for n in numbers), f"{field!r} is outside {low}-{high}"
            assert m.group(4) is None or int(m.group(4)) > 0, f"bad step in {field!r}"


@cache
def make_dry_run(target: str, **variables: str) -> list[str]:
    """The commands `make TARGET` would run (make -n), continuation lines joined."""
    if shutil.which("make") is None:
        pytest.skip("GNU make is not installed: the Makefile's commands cannot be listed")
    values = {"PROJECT": PROJECT, "REGION": REGION, "BUCKET": BUCKET, "TAG": TAG, **variables}
    done = subprocess.run(
        ["make", "-s", "-n", "-f", str(DATAFLOW / "Makefile"), target]
        + [f"{k}={v}" for k, v in values.items()],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    return done.stdout.replace("\\\n", " ").splitlines()


def make_command(target: str, program: str, **variables: str) -> list[str]:
    """The one command of `make TARGET` that starts with `program`, as argv."""
    found = [
        shlex.split(line)
        for line in make_dry_run(target, **variables)
        if line.strip().startswith(program) or f"&& {program}" in line
    ]
    assert len(found) == 1, f"expected one `{program}` command in make {target}, got {found}"
    argv = found[0]
    if "&&" in argv:  # `cd ROOT && gcloud ...`
        argv = argv[argv.index("&&") + 1 :]
    return argv


@cache
def gcloud_flags(*command: str) -> set[str] | None:
    """The flags `gcloud COMMAND --help` documents, or None without gcloud (read offline)."""
    if shutil.which("gcloud") is None:
        return None
    env = {**os.environ, "CLOUDSDK_CORE_DISABLE_PROMPTS": "1", "CLOUDSDK_PAGER": ""}
    env["CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK"] = "1"
    done = subprocess.run(
        ["gcloud", *command, "--help"], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, f"gcloud {' '.join(command)} --help: {done.stderr[-500:]}"
    text = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout)
    return set(re.findall(r"--(?:\[no-\])?([a-z][a-z0-9-]*)", text))


def assert_gcloud_flags(argv: list[str], words: int) -> None:
    """Every --flag of a gcloud command line is one its --help documents. `words`: how many
    words name the command (`dataflow flex-template run` is 3)."""
    assert argv[0] == "gcloud", argv
    command = tuple(argv[1 : 1 + words])
    known = gcloud_flags(*command)
    if known is None:
        pytest.skip("gcloud is not installed: its flags cannot be checked offline")
    used = {a[2:].split("=", 1)[0] for a in argv if a.startswith("--")}
    assert used <= known, f"gcloud {' '.join(command)} has no flags {sorted(used - known)}"
