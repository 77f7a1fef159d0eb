"""The `newsbeam` console script's first lines: Ctrl-C and SIGTERM are handled from the first
instant, before the imports (Beam, trafilatura, pyarrow) that take seconds.

Python's own Ctrl-C handling raises KeyboardInterrupt wherever the signal lands; during those
imports a library's bare `except:` swallowed it, and the run went on to finish (seen once in
the interrupt trial, a Ctrl-C 0.4 s after the start). Until a command installs its own handlers
(`pipeline/signals.py`) nothing is held, so stopping here is exiting: status 130.
"""

from __future__ import annotations

import os
import signal

__all__ = ["console_main", "stop_on_signals_until_a_command_starts"]


def _stop_before_start(_number: int, _frame: object) -> None:
    os.write(2, b"newsbeam: interrupted; nothing was committed\n")
    os._exit(130)


def stop_on_signals_until_a_command_starts() -> None:
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, _stop_before_start)


def console_main() -> None:
    """The console script: handlers first, then the command line."""
    stop_on_signals_until_a_command_starts()
    from newsbeam.pipeline.cli import console_main as run

    run()
