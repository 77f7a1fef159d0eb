"""The Flex Template's entry point (FLEX_TEMPLATE_PYTHON_PY_FILE): `newsbeam ingest` with the
template's parameters turned into the CLI's own flags.

Dataflow's launcher runs this file as `python main.py --name=value ...`, one `--name=value` per
template parameter (names as in metadata.json: NewsbeamOptions' argument names) followed by
Dataflow's own options (`--project`, `--region`, `--temp_location`, ...). Three things differ
from what the CLI expects, and are translated here, nothing else:
- newsbeam's flags are spelled with hyphens (`--max-page-bytes`), parameters with underscores;
- a switch arrives with a value (`--allow_private_hosts=true`), which argparse refuses;
- a parameter holds one string, while `--inbox` and `--feeds` repeat: a comma-separated list
  becomes one flag per item (put a URL that contains a comma in a feed list file instead).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from newsbeam.pipeline import cli
from newsbeam.pipeline.options import NewsbeamOptions

__all__ = ["main", "to_cli_args"]

_LOGGER = logging.getLogger(__name__)

_TRUE, _FALSE = ("true", "yes", "1"), ("false", "no", "0", "")

# The launcher hands the job over as a template file (`--template_location`) and submits it only
# after this process exits, so the CLI cannot wait and commit: the job must commit itself (its
# last step). A CLI that cannot do that says so, and such a launch is refused loudly.
_TEMPLATE_LAUNCH_SAFE = getattr(cli, "TEMPLATE_LAUNCH_SAFE", False)


class ParameterError(ValueError):
    """A template parameter the CLI cannot be given."""


def _newsbeam_actions() -> dict[str, argparse.Action]:
    """NewsbeamOptions' arguments by dest (the parameter name)."""
    parser = argparse.ArgumentParser(add_help=False)
    NewsbeamOptions._add_argparse_args(parser)
    return {action.dest: action for action in parser._actions}


def to_cli_args(argv: Sequence[str]) -> list[str]:
    """Template-style arguments -> `newsbeam ingest` arguments. Anything that is not one of
    NewsbeamOptions' parameters (Beam's and Dataflow's options) passes through unchanged."""
    actions = _newsbeam_actions()
    out: list[str] = []
    items = list(argv)
    while items:
        arg = items.pop(0)
        name, has_value, value = arg[2:].partition("=") if arg.startswith("--") else ("", "", "")
        action = actions.get(name)
        if action is None:
            out.append(arg)
            continue
        flag = action.option_strings[0]
        switch = isinstance(action, argparse._StoreTrueAction)
        if not has_value:
            if switch:
                out.append(flag)
                continue
            if not items:
                raise ParameterError(f"parameter {name} needs a value")
            value = items.pop(0)
        if switch:
            if value.strip().lower() in _TRUE:
                out.append(flag)
            elif value.strip().lower() not in _FALSE:
                raise ParameterError(f"parameter {name} is true or false, not {value!r}")
        elif isinstance(action, argparse._AppendAction):
            out += [f"{flag}={item.strip()}" for item in value.split(",") if item.strip()]
        else:
            out.append(f"{flag}={value}")
    # Without a runner the CLI would choose the local one and run inside the launcher's VM.
    if not any(a == "--runner" or a.startswith("--runner=") for a in out):
        out.append("--runner=DataflowRunner")
    return out


def _is_template_launch(argv: Sequence[str]) -> bool:
    return any(a == "--template_location" or a.startswith("--template_location=") for a in argv)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if _is_template_launch(argv) and not _TEMPLATE_LAUNCH_SAFE:
        print(
            "newsbeam: error: this version of newsbeam commits a run only after waiting for it, "
            "which a Flex Template launch cannot do. Run `newsbeam ingest --runner "
            "DataflowRunner ...` from cron, Cloud Run or Kubernetes instead "
            "(deploy/dataflow/README.md, Limits).",
            file=sys.stderr,
        )
        return cli.Exit.FAILED
    try:
        args = to_cli_args(argv)
    except ParameterError as exc:
        print(f"newsbeam: error: {exc}", file=sys.stderr)
        return cli.Exit.USAGE
    return cli.main(["ingest", *args])


if __name__ == "__main__":
    sys.exit(main())
