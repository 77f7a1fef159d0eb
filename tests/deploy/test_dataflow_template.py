"""The Flex Template's artefacts, checked offline: the image's Beam version and contents, the
template's parameters against NewsbeamOptions, main.py's translation to CLI flags, and the
Makefile's gcloud and newsbeam command lines."""

from __future__ import annotations

import argparse
import fnmatch
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from newsbeam.pipeline import cli
from newsbeam.pipeline.options import EXTRACTION_MODES
from tests.deploy.helpers import (
    BUCKET,
    DATAFLOW,
    IMAGE,
    PROJECT,
    REGION,
    REPO,
    TEMPLATE,
    assert_cli_accepts,
    assert_gcloud_flags,
    load_flex_main,
    make_command,
    matches_regexes,
    metadata,
    metadata_parameters,
    newsbeam_actions,
)

# pyproject.toml is read with the standard library's TOML parser, new in Python 3.11.
tomllib = pytest.importorskip("tomllib", reason="reading pyproject.toml needs Python 3.11+")

# One value a user might set for each parameter, as a template parameter string.
EXAMPLES = {
    "output": f"gs://{BUCKET}/output",
    "inbox": f"gs://{BUCKET}/inbox/,gs://{BUCKET}/more/*.warc.gz",
    "feeds": f"https://example.com/feed.xml,gs://{BUCKET}/feeds.opml",
    "taxonomy": f"gs://{BUCKET}/config/taxonomy.json",
    "allow_private_hosts": "true",
    "max_page_bytes": "5000000",
    "extraction_mode": "precision",
    "extraction_processes": "1",
    "rows_per_file": "50000",
    "ignore_robots": "false",
    "http_timeout": "7.5",
    "http_retries": "0",
    "per_host": "2",
    "politeness_delay": "0.5",
    "fetch_threads": "16",
    "max_reject_ratio": "0.9",
    "retention_days": "14",
    "stale_lock_hours": "12",
    "quiet": "true",
}
BAD = {
    "output": "./newsbeam-output",
    "inbox": "/srv/inbox",
    "feeds": "feeds.txt",
    "taxonomy": "taxonomy.json",
    "allow_private_hosts": "maybe",
    "max_page_bytes": "0",
    "extraction_mode": "best",
    "extraction_processes": "-2",
    "rows_per_file": "-1",
    "ignore_robots": "1 ",
    "http_timeout": "abc",
    "http_retries": "-1",
    "per_host": "0",
    "politeness_delay": "-1",
    "fetch_threads": "many",
    "max_reject_ratio": "80%",
    "retention_days": "two weeks",
    "stale_lock_hours": "-3",
    "quiet": "yes",
}
# What Dataflow's launcher adds to a template's parameters when it runs main.py.
LAUNCHER_ARGS = [
    "--runner=DataflowRunner",
    f"--project={PROJECT}",
    f"--region={REGION}",
    "--job_name=newsbeam-ingest",
    f"--temp_location=gs://{BUCKET}/tmp",
    f"--staging_location=gs://{BUCKET}/staging",
    f"--sdk_container_image={IMAGE}",
    f"--service_account_email=newsbeam-worker@{PROJECT}.iam.gserviceaccount.com",
]


def pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def dockerfile() -> str:
    return (DATAFLOW / "Dockerfile").read_text(encoding="utf-8")


def beam_pin() -> str:
    pins = [d for d in pyproject()["project"]["dependencies"] if d.startswith("apache-beam")]
    assert len(pins) == 1 and "==" in pins[0], f"apache-beam is not pinned exactly: {pins}"
    return pins[0].split("==", 1)[1].strip()


# -- the image ---------------------------------------------------------------------------------


def test_dockerfile_uses_the_pinned_beam_sdk_image():
    froms = re.findall(r"^FROM\s+(\S+)", dockerfile(), re.M)
    sdk = [f for f in froms if "beam_python" in f]
    assert sdk == [f"apache/beam_python3.11_sdk:{beam_pin()}"], froms
    # The final stage is the SDK image: it is what the workers and the launcher run.
    assert froms[-1] == sdk[0]
    # The build's own check asserts the same version inside the image.
    assert f"apache_beam.__version__ == '{beam_pin()}'" in dockerfile()


def test_gcp_extra_pins_the_same_beam():
    extra = pyproject()["project"]["optional-dependencies"]["gcp"]
    assert extra == [f"apache-beam[gcp]=={beam_pin()}"]


def test_dockerfile_adds_the_launcher_and_points_it_at_main_py():
    text = dockerfile()
    launcher = "/opt/google/dataflow/python_template_launcher"
    assert re.search(rf"^COPY --from=launcher {launcher} {launcher}$", text, re.M)
    assert (
        re.search(r"^FROM \$\{LAUNCHER_IMAGE\} AS launcher$", text, re.M)
        and "gcr.io/dataflow-templates-base/python311-template-launcher-base" in text
    )
    env = re.search(r"^ENV FLEX_TEMPLATE_PYTHON_PY_FILE=(\S+)$", text, re.M)
    assert env, "FLEX_TEMPLATE_PYTHON_PY_FILE is not set"
    copied = re.search(rf"^COPY deploy/dataflow/main\.py {re.escape(env.group(1))}$", text, re.M)
    assert copied, f"{env.group(1)} is not where main.py is copied"
    assert re.search(r"pip install [^\n]*'/src\[gcp\]'", text), "not installed with the gcp extra"
    assert 'ENTRYPOINT ["/opt/apache/beam/boot"]' in text


def _copied_sources() -> dict[str, str]:
    """COPY sources (from the build context) -> destination, for the final stage."""
    copies = {}
    for line in dockerfile().splitlines():
        words = line.split()
        if words[:1] == ["COPY"] and not words[1].startswith("--from"):
            *sources, dest = words[1:]
            copies.update({s.rstrip("/"): dest for s in sources})
    return copies


def test_image_gets_everything_the_package_is_built_from():
    """What pyproject's build reads (package dirs, readme, package data) is copied; copying too
    little would build an image whose workers cannot import newsbeam."""
    copies = _copied_sources()
    tool = pyproject()["tool"]["setuptools"]
    needed = {"pyproject.toml", pyproject()["project"]["readme"], *tool["package-dir"].values()}
    assert needed <= copies.keys(), f"not copied into the image: {needed - copies.keys()}"
    # Package data lives inside the package folders, which are copied whole.
    assert set(tool["package-data"]) <= set(tool["package-dir"])
    # The sources are removed after the install: a `newsbeam/` folder in the workers' working
    # directory would shadow the installed package.
    assert "rm -rf /src" in dockerfile()
    workdir = re.findall(r"^WORKDIR\s+(\S+)", dockerfile(), re.M)[-1]
    assert not any(dest.startswith(workdir) for src, dest in copies.items() if "main.py" not in src)


def test_cloud_build_uploads_what_the_dockerfile_copies():
    ignore = (DATAFLOW / ".gcloudignore").read_text(encoding="utf-8").splitlines()
    kept = {line[2:].rstrip("/") for line in ignore if line.startswith("!/")}
    for source in _copied_sources():
        top = source.split("/")[0]
        assert top in kept, f"{source} is copied by the Dockerfile but not uploaded"
    build = yaml.safe_load((DATAFLOW / "cloudbuild.yaml").read_text(encoding="utf-8"))
    (step,) = build["steps"]
    assert step["args"][:3] == ["build", "-f", "deploy/dataflow/Dockerfile"]
    assert step["args"][-1] == "." and build["images"] == ["${_IMAGE}"]


# -- metadata.json -----------------------------------------------------------------------------


def test_metadata_parameters_are_exactly_newsbeams_options():
    names = [p["name"] for p in metadata()["parameters"]]
    assert len(names) == len(set(names)), "a parameter is declared twice"
    options = set(newsbeam_actions()) - {"help"}
    assert set(names) - options == set(), "parameters that are not NewsbeamOptions options"
    assert options - set(names) == set(), "NewsbeamOptions options missing from metadata.json"
    assert metadata()["streaming"] is False


def test_metadata_parameters_are_documented_and_checked():
    for name, param in metadata_parameters().items():
        assert param.get("label") and len(param.get("helpText", "")) > 20, name
        assert param.get("regexes"), f"{name} has no regex"
        for rx in param["regexes"]:
            re.compile(rx)
    required = {n for n, p in metadata_parameters().items() if not p.get("isOptional", False)}
    # On Dataflow a local output would be written on the workers' disks and lost.
    assert required == {"output"}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_metadata_regexes_accept_good_values_and_refuse_bad_ones(name):
    param = metadata_parameters()[name]
    assert matches_regexes(param, EXAMPLES[name]), EXAMPLES[name]
    assert not matches_regexes(param, BAD[name]), BAD[name]
    action = newsbeam_actions()[name]
    if param.get("isOptional") and action.default not in (None, False):
        # The option's own default must be a value the template accepts.
        assert matches_regexes(param, str(action.default)), (name, action.default)
    if isinstance(action, argparse._StoreTrueAction):
        assert matches_regexes(param, "false") and matches_regexes(param, "true")


def _as_parameter(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return f"{value:g}" if isinstance(value, float) else str(value)


def test_metadata_help_states_each_options_current_default():
    """A default changed in NewsbeamOptions must be changed in the template's help too."""
    actions = newsbeam_actions()
    for name, param in metadata_parameters().items():
        default = actions[name].default
        if param.get("isOptional") and default is not None:
            stated = f"Default {_as_parameter(default)}"
            assert re.search(rf"{stated}\b", param["helpText"]), f"{name}: no '{stated}'"


def test_extraction_mode_regex_lists_the_modes():
    (rx,) = metadata_parameters()["extraction_mode"]["regexes"]
    assert set(re.fullmatch(r"\^\((.*)\)\$", rx).group(1).split("|")) == set(EXTRACTION_MODES)


def test_examples_cover_every_parameter():
    assert set(EXAMPLES) == set(BAD) == set(metadata_parameters())


# -- main.py -----------------------------------------------------------------------------------


def test_main_turns_every_parameter_into_flags_the_cli_accepts():
    flex = load_flex_main()
    argv = [f"--{name}={value}" for name, value in EXAMPLES.items()] + LAUNCHER_ARGS
    options = assert_cli_accepts(flex.to_cli_args(argv)).get_all_options()
    assert options["inbox"] == [f"gs://{BUCKET}/inbox/", f"gs://{BUCKET}/more/*.warc.gz"]
    assert options["feeds"] == ["https://example.com/feed.xml", f"gs://{BUCKET}/feeds.opml"]
    assert options["allow_private_hosts"] is True and options["ignore_robots"] is False
    assert options["max_page_bytes"] == 5_000_000 and options["http_timeout"] == 7.5
    assert options["extraction_mode"] == "precision" and options["http_retries"] == 0
    assert options["output"] == f"gs://{BUCKET}/output"
    assert options["sdk_container_image"] == IMAGE and options["runner"] == "DataflowRunner"


def test_main_passes_beam_options_through_and_defaults_to_dataflow():
    flex = load_flex_main()
    assert flex.to_cli_args(["--project", PROJECT, "--output=gs://b-1/o"]) == [
        "--project",
        PROJECT,
        "--output=gs://b-1/o",
        "--runner=DataflowRunner",
    ]
    assert flex.to_cli_args(["--runner=FnApiRunner"]) == ["--runner=FnApiRunner"]
    # The CLI's own spellings are left alone.
    assert flex.to_cli_args(["--max-page-bytes=7", "--allow-private-hosts", "--runner", "X"]) == [
        "--max-page-bytes=7",
        "--allow-private-hosts",
        "--runner",
        "X",
    ]


def test_main_refuses_a_switch_that_is_neither_true_nor_false(capsys):
    flex = load_flex_main()
    assert flex.main(["--allow_private_hosts=perhaps"]) == cli.Exit.USAGE
    assert "allow_private_hosts is true or false" in capsys.readouterr().err


def test_main_hands_a_template_launch_to_the_cli_which_commits_from_the_job(monkeypatch):
    """The job commits itself (pipeline/commit.py), so main.py passes template launches on."""
    flex = load_flex_main()
    assert flex._TEMPLATE_LAUNCH_SAFE is True
    calls = []
    monkeypatch.setattr(cli, "main", lambda argv: calls.append(argv) or 0)
    launch = [
        f"--output=gs://{BUCKET}/output",
        f"--template_location=gs://{BUCKET}/staging/template_launches/x/job_object",
        *LAUNCHER_ARGS,
    ]
    assert flex.main(launch) == 0
    assert calls == [["ingest", *launch]]


def test_main_py_runs_as_the_launcher_runs_it(tmp_path):
    """`python main.py --name=value ...`, a script rather than a module, as in the image; the
    job is built offline (a dry run), so nothing reaches Google Cloud."""
    launch = [
        f"--output={tmp_path / 'output'}",
        f"--inbox=gs://{BUCKET}/inbox/",
        f"--project={PROJECT}",
        f"--region={REGION}",
        f"--temp_location=gs://{BUCKET}/tmp",
        "--dry_run=True",
    ]
    done = subprocess.run(
        [sys.executable, str(DATAFLOW / "main.py"), *launch],
        capture_output=True,
        text=True,
        timeout=300,
        cwd="/",
    )
    assert done.returncode == cli.Exit.OK, done.stderr
    assert "handed over" in done.stderr and "Traceback" not in done.stderr


# -- the Makefile ------------------------------------------------------------------------------


def test_make_image_builds_with_cloud_build_from_the_repository_root():
    argv = make_command("image", "gcloud")
    assert argv[1:4] == ["builds", "submit", "."]
    assert argv[argv.index("--config") + 1] == "deploy/dataflow/cloudbuild.yaml"
    assert argv[argv.index("--substitutions") + 1] == f"_IMAGE={IMAGE}"
    assert_gcloud_flags(argv, 2)


def test_make_template_builds_the_flex_template_with_this_metadata():
    argv = make_command("template", "gcloud")
    assert argv[1:5] == ["dataflow", "flex-template", "build", TEMPLATE]
    assert argv[argv.index("--image") + 1] == IMAGE
    assert argv[argv.index("--sdk-language") + 1] == "PYTHON"
    assert argv[argv.index("--metadata-file") + 1] == str(DATAFLOW / "metadata.json")
    assert_gcloud_flags(argv, 3)


def _gcloud_parameters(argv: list[str]) -> dict[str, str]:
    value = argv[argv.index("--parameters") + 1]
    assert value.startswith("^~^"), "gcloud would split the inbox list on its commas"
    return dict(item.split("=", 1) for item in value[3:].split("~"))


def test_make_run_launches_the_template_with_metadata_parameters():
    feeds = "https://example.com/a.xml,https://example.com/b.xml"
    argv = make_command("run", "gcloud", FEEDS=feeds, FLEXRS="COST_OPTIMIZED")
    assert argv[1:4] == ["dataflow", "flex-template", "run"]
    assert argv[argv.index("--template-file-gcs-location") + 1] == TEMPLATE
    assert argv[argv.index("--flexrs-goal") + 1] == "COST_OPTIMIZED"
    params = _gcloud_parameters(argv)
    # The workers' image is Dataflow's own option, the rest are the template's.
    assert params.pop("sdk_container_image") == IMAGE
    assert params["feeds"] == feeds
    declared = metadata_parameters()
    for name, value in params.items():
        assert name in declared, f"{name} is not a metadata.json parameter"
        assert matches_regexes(declared[name], value), (name, value)
    # What the launcher would then run: accepted by the CLI.
    launched = [f"--{k}={v}" for k, v in params.items()] + LAUNCHER_ARGS
    assert_cli_accepts(load_flex_main().to_cli_args(launched))
    assert_gcloud_flags(argv, 3)


def test_make_ingest_is_a_command_line_the_cli_accepts():
    argv = make_command("ingest", "newsbeam", INBOX=f"gs://{BUCKET}/a/,gs://{BUCKET}/b/")
    assert argv[:2] == ["newsbeam", "ingest"]
    options = assert_cli_accepts(argv[2:]).get_all_options()
    assert options["runner"] == "DataflowRunner" and options["sdk_container_image"] == IMAGE
    assert options["inbox"] == [f"gs://{BUCKET}/a/", f"gs://{BUCKET}/b/"]
    assert options["experiments"] == ["use_runner_v2"]
    assert options["temp_location"] == f"gs://{BUCKET}/tmp"


def test_make_refuses_to_run_without_project_region_and_bucket(tmp_path):
    if shutil.which("make") is None:
        pytest.skip("GNU make is not installed")
    done = subprocess.run(
        ["make", "-f", str(DATAFLOW / "Makefile"), "ingest", "NEWSBEAM=false"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode != 0 and "set PROJECT, REGION and BUCKET" in done.stderr


def test_readme_names_every_file_of_the_template():
    readme = (DATAFLOW / "README.md").read_text(encoding="utf-8")
    for path in DATAFLOW.iterdir():
        if path.name not in ("README.md", "__pycache__") and not fnmatch.fnmatch(
            path.name, "*.pyc"
        ):
            assert f"`{path.name}`" in readme, f"README.md does not mention {path.name}"
    assert "## Limits" in readme and "--sdk_container_image" in readme
