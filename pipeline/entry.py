"""The `newsbeam` console script's first lines: Ctrl-C and SIGTERM are handled from the first
instant, before the imports (Beam, trafilatura, pyarrow) that take seconds, and those imports
are set up to cost as little as they can.

Python's own Ctrl-C handling raises KeyboardInterrupt wherever the signal lands; during those
imports a library's bare `except:` swallowed it, and the run went on to finish (seen once in
the interrupt trial, a Ctrl-C 0.4 s after the start). Until a command installs its own handlers
(`pipeline/signals.py`) nothing is held, so stopping here is exiting: status 130.

The imports create only objects that live as long as the process (modules, classes,
functions): the cyclic garbage collector is off while they run, and what they created is then
moved out of its sight (`gc.freeze`), so that no later collection walks it again. `ingest` and
`stream` never import pandas: Beam imports it only to know its types when it is installed, and
no step of a run uses it. Nor, when neither the command line nor its config file names a
Cloud Storage path, the Dataflow runner or a Pub/Sub subscription, the cloud clients Beam
imports when they are installed (the `gcp` extra) and its MongoDB client: a run on local files
and the local runner uses none of them, and they were about a quarter of Beam's import time
(bench/BENCHMARKS.md, #20 history).
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from importlib.machinery import ModuleSpec

from newsbeam.pipeline.config import ConfigError, read_config, split_config_flag

__all__ = [
    "after_imports",
    "before_imports",
    "console_main",
    "names_the_cloud",
    "stop_on_signals_until_a_command_starts",
]

# Libraries that Beam imports when they are installed and that no step of a run uses.
_NOT_FOR_A_RUN = frozenset({"pandas"})
# Those it imports when installed and that only a run on Google Cloud or MongoDB uses: Cloud
# Storage, BigQuery and Pub/Sub clients, their authentication, and pymongo.
_CLOUD_CLIENTS = frozenset(
    {"google.cloud", "google.api_core", "google.auth", "google.oauth2", "apitools"}
    | {"oauth2client", "pymongo", "bson"}
)
# What in a command line or a config file may need them (compared in lower case).
_CLOUD_MARKERS = ("gs://", "dataflow", "subscription")
_RUN_COMMANDS = ("ingest", "stream")


def _stop_before_start(_number: int, _frame: object) -> None:
    os.write(2, b"newsbeam: interrupted; nothing was committed\n")
    os._exit(130)


def stop_on_signals_until_a_command_starts() -> None:
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, _stop_before_start)


class _Unimportable:
    """A finder, first on `sys.meta_path`, for which the packages `names` (dotted names, each
    with its submodules) are not installed. (A `None` in `sys.modules` is not enough: pyarrow's
    compiled code takes it for the module.)"""

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names

    def find_spec(self, name: str, path: object = None, target: object = None) -> ModuleSpec | None:
        if any(_within(name, package) for package in self.names):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None  # the next finder's business


def names_the_cloud(argv: list[str]) -> bool:
    """Whether the arguments, or the settings of the config file they name (`--config`),
    mention a Cloud Storage path, the Dataflow runner or a Pub/Sub subscription; True when the
    file cannot be read (the command reports that itself)."""
    texts = [arg.lower() for arg in argv]
    try:
        config, _rest = split_config_flag(argv)
        if config is not None:
            texts += [text.lower() for text in _texts(read_config(config))]
    except ConfigError:
        return True
    return any(marker in text for text in texts for marker in _CLOUD_MARKERS)


def _texts(value: object) -> list[str]:
    """Every key and value of a config file's settings, as text."""
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in (str(key), *_texts(item))]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    return [str(value)]


def before_imports(argv: list[str]) -> None:
    """Signal handlers, the collector paused until `after_imports`, and for `ingest` and
    `stream` the libraries they do not use made unimportable (Beam then goes without them):
    pandas, and the cloud clients unless the run may need them (`names_the_cloud`)."""
    stop_on_signals_until_a_command_starts()
    gc.disable()
    if not (argv[:1] and argv[0] in _RUN_COMMANDS):
        return
    unused = _NOT_FOR_A_RUN if names_the_cloud(argv) else _NOT_FOR_A_RUN | _CLOUD_CLIENTS
    # A library this process has already imported stays importable.
    unused = frozenset(n for n in unused if not _imported(n))
    if unused:
        sys.meta_path.insert(0, _Unimportable(unused))


def _imported(package: str) -> bool:
    """Whether code of `package` is loaded: an empty namespace module (a `-nspkg.pth` file
    makes `google.cloud` one at start-up) does not count."""
    return any(
        _within(name, package) and getattr(module, "__file__", None) is not None
        for name, module in list(sys.modules.items())
    )


def _within(name: str, package: str) -> bool:
    """Whether the module `name` is the package `package` or one of its submodules."""
    return name == package or name.startswith(f"{package}.")


def after_imports() -> None:
    """What the imports created is kept out of every later collection; the collector resumes."""
    gc.freeze()
    gc.enable()


def console_main() -> None:
    """The console script: handlers first, then the command line."""
    before_imports(sys.argv[1:])
    from newsbeam.pipeline.cli import console_main as run

    run()
