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
no step of a run uses it.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from importlib.machinery import ModuleSpec

__all__ = [
    "after_imports",
    "before_imports",
    "console_main",
    "stop_on_signals_until_a_command_starts",
]

# Libraries that Beam imports when they are installed and that no step of a run uses.
_NOT_FOR_A_RUN = frozenset({"pandas"})
_RUN_COMMANDS = ("ingest", "stream")


def _stop_before_start(_number: int, _frame: object) -> None:
    os.write(2, b"newsbeam: interrupted; nothing was committed\n")
    os._exit(130)


def stop_on_signals_until_a_command_starts() -> None:
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, _stop_before_start)


class _Unimportable:
    """A finder, first on `sys.meta_path`, for which the libraries in `_NOT_FOR_A_RUN` are not
    installed. (A `None` in `sys.modules` is not enough: pyarrow's compiled code takes it for the
    module.)"""

    def find_spec(self, name: str, path: object = None, target: object = None) -> ModuleSpec | None:
        if name.partition(".")[0] in _NOT_FOR_A_RUN:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None  # the next finder's business


def before_imports(argv: list[str]) -> None:
    """Signal handlers, the collector paused until `after_imports`, and for `ingest` and
    `stream` the libraries they do not use made unimportable (Beam then goes without them)."""
    stop_on_signals_until_a_command_starts()
    gc.disable()
    if argv[:1] and argv[0] in _RUN_COMMANDS and not _NOT_FOR_A_RUN & sys.modules.keys():
        sys.meta_path.insert(0, _Unimportable())


def after_imports() -> None:
    """What the imports created is kept out of every later collection; the collector resumes."""
    gc.freeze()
    gc.enable()


def console_main() -> None:
    """The console script: handlers first, then the command line."""
    before_imports(sys.argv[1:])
    from newsbeam.pipeline.cli import console_main as run

    run()
