"""The schedules in deploy/: each one parses, and each calls the real CLI with flags it accepts.
No cloud and no cluster: the crontab, the systemd units (and `systemd-analyze verify` where it
is installed), the Kubernetes manifests, and the Cloud Scheduler job run against a stand-in
gcloud that records what it was asked to do."""

from __future__ import annotations

import configparser
import json
import os
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from newsbeam.pipeline import cli
from tests.deploy.helpers import (
    BUCKET,
    DEPLOY,
    IMAGE,
    PROJECT,
    REGION,
    TAG,
    TEMPLATE,
    assert_cli_accepts,
    assert_cron_schedule,
    assert_gcloud_flags,
    matches_regexes,
    metadata_parameters,
    newsbeam_argv,
    require_gcp,
)

SYSTEMD = DEPLOY / "systemd"
SERVICE, TIMER = SYSTEMD / "newsbeam-ingest.service", SYSTEMD / "newsbeam-ingest.timer"
SCHEDULER = DEPLOY / "cloud-scheduler"


# -- cron --------------------------------------------------------------------------------------


def crontab_entries() -> list[tuple[list[str], str]]:
    entries = []
    for line in (DEPLOY / "cron" / "newsbeam.crontab").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split(None, 5)
        assert len(fields) == 6, f"not 5 schedule fields and a command: {line}"
        entries.append((fields[:5], fields[5]))
    return entries


def test_crontab_lines_parse_and_call_the_cli_with_flags_it_accepts():
    entries = crontab_entries()
    assert entries, "the crontab has no active line"
    for schedule, command in entries:
        assert_cron_schedule(schedule)
        # cron turns an unescaped % into a newline: it would cut the command short.
        assert "%" not in command.replace("\\%", ""), command
        options = assert_cli_accepts(newsbeam_argv(command)).get_all_options()
        assert options["inbox"] and options["output"] != "./newsbeam-output", (
            "a scheduled run should name its inbox and output, not rely on the cwd"
        )


def test_the_command_line_helpers_see_redirections_and_chains():
    command = "cd /srv && .venv/bin/newsbeam ingest --inbox 'a b' --output o >> log 2>&1"
    assert newsbeam_argv(command) == ["--inbox", "a b", "--output", "o"]
    with pytest.raises(AssertionError):
        assert_cron_schedule(["*/15", "24", "*", "*", "*"])
    with pytest.raises(AssertionError):
        assert_cron_schedule(["*/0", "*", "*", "*", "*"])
    assert_cron_schedule(["0,30", "8-18/2", "*", "1-12", "1-5"])


# -- systemd -----------------------------------------------------------------------------------


def read_unit(path: Path) -> configparser.ConfigParser:
    # systemd allows repeated keys (several ExecStart=, for one); strict=False keeps the last.
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # keys are case-sensitive
    unit.read_string(path.read_text(encoding="utf-8"), source=str(path))
    return unit


def test_service_is_a_oneshot_run_of_the_cli_where_lock_held_is_not_a_failure():
    service = read_unit(SERVICE)["Service"]
    assert service["Type"] == "oneshot"
    success = service["SuccessExitStatus"].split()
    assert str(cli.Exit.LOCKED) in success, "exit 75 (lock held) would mark the unit failed"
    assert not {str(cli.Exit.FAILED), str(cli.Exit.USAGE), str(cli.Exit.CANTCREAT)} & set(success)
    argv = shlex.split(service["ExecStart"])
    assert os.path.basename(argv[0]) == "newsbeam" and argv[1] == "ingest"
    assert_cli_accepts(argv[2:])


def test_timer_starts_the_service():
    unit = read_unit(TIMER)
    assert unit["Timer"]["Unit"] == SERVICE.name
    assert unit["Timer"]["OnCalendar"]
    assert unit["Install"]["WantedBy"] == "timers.target"
    assert "Install" not in read_unit(SERVICE), "the service runs when the timer says, not at boot"


def _systemd_analyze() -> str:
    path = shutil.which("systemd-analyze")
    if path is None:
        pytest.skip("systemd-analyze is not installed: the units were only parsed as INI files")
    return path


def test_systemd_analyze_verifies_the_units(tmp_path):
    """`systemd-analyze verify` checks the keys and values; it also wants ExecStart's program
    to exist, so the copies point at this environment's newsbeam."""
    analyze = _systemd_analyze()
    program = shlex.split(read_unit(SERVICE)["Service"]["ExecStart"])[0]
    here = shutil.which("newsbeam") or str(Path(sys.executable).with_name("newsbeam"))
    assert os.access(here, os.X_OK), f"no newsbeam script at {here}"
    for unit in (SERVICE, TIMER):
        text = unit.read_text(encoding="utf-8").replace(program, here)
        (tmp_path / unit.name).write_text(text, encoding="utf-8")
    done = subprocess.run(
        [analyze, "verify", str(tmp_path / SERVICE.name), str(tmp_path / TIMER.name)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    # verify only warns about unknown keys: any message at all is a finding.
    assert done.returncode == 0 and not (done.stdout + done.stderr).strip(), done.stderr


def test_systemd_analyze_reads_the_timers_calendar():
    analyze = _systemd_analyze()
    calendar = read_unit(TIMER)["Timer"]["OnCalendar"]
    done = subprocess.run(
        [analyze, "calendar", calendar], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr


# -- Kubernetes --------------------------------------------------------------------------------


def manifests() -> list[tuple[Path, list[dict]]]:
    found = sorted((DEPLOY / "kubernetes").glob("*.yaml"))
    assert found
    return [(p, [d for d in yaml.safe_load_all(p.read_text(encoding="utf-8")) if d]) for p in found]


def cronjobs() -> list[tuple[Path, dict]]:
    jobs = [(p, d) for p, docs in manifests() for d in docs if d["kind"] == "CronJob"]
    assert jobs
    return jobs


def test_every_manifest_is_a_known_kind_with_api_version_and_name():
    kinds = {"CronJob": "batch/v1", "PersistentVolumeClaim": "v1", "ServiceAccount": "v1"}
    for path, docs in manifests():
        for doc in docs:
            assert kinds.get(doc["kind"]) == doc["apiVersion"], (path.name, doc["kind"])
            assert doc["metadata"]["name"]


@pytest.mark.parametrize("index", [0, 1])
def test_cronjob_runs_the_cli_one_at_a_time(index):
    path, job = cronjobs()[index]
    spec = job["spec"]
    assert_cron_schedule(spec["schedule"].split())
    assert spec["concurrencyPolicy"] == "Forbid"
    job_spec = spec["jobTemplate"]["spec"]
    assert isinstance(job_spec["backoffLimit"], int) and job_spec["backoffLimit"] >= 0
    pod = job_spec["template"]["spec"]
    (container,) = pod["containers"]
    assert container["command"] == ["newsbeam"], path.name
    args = [str(a) for a in container["args"]]
    assert args[0] == "ingest"
    options = assert_cli_accepts(args[1:]).get_all_options()
    assert options["output"] != "./newsbeam-output"

    # A pod failure policy needs restartPolicy Never, and names a real container and the CLI's
    # real exit statuses: usage, output not writable, lock held.
    policy = job_spec["podFailurePolicy"]["rules"]
    assert pod["restartPolicy"] == "Never"
    codes = [r["onExitCodes"] for r in policy if "onExitCodes" in r]
    assert codes and all(c["containerName"] == container["name"] for c in codes)
    assert {cli.Exit.USAGE, cli.Exit.CANTCREAT, cli.Exit.LOCKED} == set(codes[0]["values"])

    # Volumes mounted are volumes declared, and claims are claims this file creates.
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    assert {m["name"] for m in container.get("volumeMounts", [])} <= volumes.keys()
    claims = {d["metadata"]["name"] for p, docs in manifests() if p == path for d in docs}
    for volume in volumes.values():
        if "persistentVolumeClaim" in volume:
            assert volume["persistentVolumeClaim"]["claimName"] in claims
    if "serviceAccountName" in pod:
        assert pod["serviceAccountName"] in claims


def test_local_runner_pods_size_their_extraction_processes_to_their_cpu_limit():
    """The CLI's default is one extraction process per core, and a container sees the node's."""
    for path, job in cronjobs():
        (container,) = job["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]
        options = assert_cli_accepts([str(a) for a in container["args"][1:]]).get_all_options()
        if options["runner"] in (None, "FnApiRunner", "DirectRunner"):
            limit = str(container["resources"]["limits"]["cpu"])
            assert str(options["extraction_processes"]) == limit, path.name


def test_dataflow_cronjob_uses_the_image_the_makefile_builds():
    for path, job in cronjobs():
        (container,) = job["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]
        placeholder = "REGION-docker.pkg.dev/PROJECT/newsbeam/newsbeam:TAG"
        assert container["image"] == placeholder, path.name
        options = assert_cli_accepts([str(a) for a in container["args"][1:]]).get_all_options()
        if options["runner"] == "DataflowRunner":
            assert options["sdk_container_image"] == placeholder
            assert options["temp_location"].startswith("gs://")


# -- Cloud Scheduler ---------------------------------------------------------------------------

FAKE_GCLOUD = """#!/bin/sh
# A stand-in for gcloud: records its arguments (and the message body it was given) as JSON.
exec "{python}" - "$@" <<'EOF'
import json, os, sys
args = sys.argv[1:]
record = {{"argv": args}}
if "--message-body-from-file" in args:
    with open(args[args.index("--message-body-from-file") + 1]) as f:
        record["body"] = f.read()
with open(os.environ["FAKE_GCLOUD_LOG"], "a") as log:
    log.write(json.dumps(record) + "\\n")
sys.exit(0 if args[:3] != ["scheduler", "jobs", "describe"] else int(os.environ["EXISTS"]))
EOF
"""


def run_job_sh(tmp_path: Path, exists: bool) -> list[dict]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    fake = bin_dir / "gcloud"
    fake.write_text(FAKE_GCLOUD.format(python=sys.executable), encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    log = tmp_path / "gcloud.log"
    log.unlink(missing_ok=True)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "FAKE_GCLOUD_LOG": str(log),
        "EXISTS": "0" if exists else "1",
        "PROJECT": PROJECT,
        "REGION": REGION,
        "BUCKET": BUCKET,
        "TAG": TAG,
    }
    done = subprocess.run(
        ["bash", str(SCHEDULER / "job.sh")], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def test_scheduler_job_posts_a_flex_template_launch_with_oauth(tmp_path):
    describe, create = run_job_sh(tmp_path, exists=False)
    assert describe["argv"][:3] == ["scheduler", "jobs", "describe"]
    argv = create["argv"]
    assert argv[:5] == ["scheduler", "jobs", "create", "http", "newsbeam-ingest"]
    uri = argv[argv.index("--uri") + 1]
    assert uri == (
        f"https://dataflow.googleapis.com/v1b3/projects/{PROJECT}/locations/{REGION}"
        "/flexTemplates:launch"
    )
    assert argv[argv.index("--http-method") + 1] == "POST"
    assert argv[argv.index("--oauth-service-account-email") + 1].endswith(
        f"@{PROJECT}.iam.gserviceaccount.com"
    )
    scope = argv[argv.index("--oauth-token-scope") + 1]
    assert scope == "https://www.googleapis.com/auth/cloud-platform"
    assert argv[argv.index("--headers") + 1] == "Content-Type=application/json"
    assert_gcloud_flags(["gcloud", *argv], 4)


def test_scheduler_job_updates_an_existing_job(tmp_path):
    _describe, update = run_job_sh(tmp_path, exists=True)
    argv = update["argv"]
    assert argv[:4] == ["scheduler", "jobs", "update", "http"]
    assert argv[argv.index("--update-headers") + 1] == "Content-Type=application/json"
    assert_gcloud_flags(["gcloud", *argv], 4)


def test_scheduler_body_launches_the_template_with_metadata_parameters(tmp_path):
    _describe, create = run_job_sh(tmp_path, exists=False)
    body = json.loads(create["body"])
    launch = body["launchParameter"]
    assert launch["containerSpecGcsPath"] == TEMPLATE, "not the template `make template` writes"
    assert launch["environment"]["sdkContainerImage"] == IMAGE, "workers would use another image"
    declared = metadata_parameters()
    for name, value in launch["parameters"].items():
        assert name in declared, f"{name} is not a metadata.json parameter"
        assert matches_regexes(declared[name], value), (name, value)
    required = {n for n, p in declared.items() if not p.get("isOptional", False)}
    assert required <= launch["parameters"].keys()
    # The launch as the launcher would run it: flags the CLI accepts.
    from tests.deploy.helpers import load_flex_main

    launched = [f"--{k}={v}" for k, v in launch["parameters"].items()]
    assert_cli_accepts(load_flex_main().to_cli_args(launched))


def test_scheduler_body_matches_dataflows_launch_request():
    """Field names and types as Dataflow's API defines them (the client library ships with
    apache-beam[gcp]): a misspelt environment field would be refused at every launch."""
    require_gcp()
    from google.cloud.dataflow_v1beta3 import LaunchFlexTemplateRequest

    text = (SCHEDULER / "launch-body.json").read_text(encoding="utf-8")
    request = LaunchFlexTemplateRequest.from_json(text)  # raises on an unknown field
    assert request.launch_parameter.environment.max_workers > 0
    assert list(request.launch_parameter.environment.additional_experiments) == ["use_runner_v2"]


def test_deploy_readme_names_every_schedule():
    readme = (DEPLOY / "README.md").read_text(encoding="utf-8")
    for path in DEPLOY.glob("*/*"):
        if path.parent.name != "dataflow" and path.suffix != ".pyc":
            assert path.name in readme, f"deploy/README.md does not mention {path.name}"
