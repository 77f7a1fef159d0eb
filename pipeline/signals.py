"""The CLI's plumbing of file descriptor 2 and of Ctrl-C and SIGTERM.

fd 2: while a run works, everything written to stderr (Beam's logs, its threads' and worker
processes' output) goes to the run's log file; newsbeam's own lines go to a copy of the user's
stderr. `UserStderr` keeps fd 2 as `main()` found it, so that whatever interrupts a run, the last
message still reaches the user.

Signals: `StopOnSignal` handles SIGINT and SIGTERM for a whole command. `ingest` stops at once:
the handler releases the lock (only in the process that took it), kills the extraction
processes, says whether the run had passed its commit point, and exits with 130. It does not
raise KeyboardInterrupt where the signal lands: raised between a lock's acquire and its `try`
(logging's, a thread pool's), or swallowed by a library's catch-all, that exception left runs
hanging with the lock held. Nothing is lost by stopping hard: the next run's recovery discards
what was staged or, if the run record was written, finishes publishing it. `stream` first asks
the loop to stop after the batch in hand; a second signal stops at once, as for `ingest`.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Iterator
from typing import Any, NoReturn, TextIO

from newsbeam.pipeline.lifecycle import Exit
from newsbeam.pipeline.state import Run, StateStore

__all__ = ["StopOnSignal", "UserStderr", "beam_output_to"]


class UserStderr:
    """fd 2 as `main()` found it, to put back before newsbeam's last message."""

    def __init__(self) -> None:
        self._saved: int | None = None

    def __enter__(self) -> UserStderr:
        self._saved = os.dup(2)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._saved is not None:
            os.close(self._saved)
            self._saved = None

    def restore(self, flush: bool = True) -> None:
        """Point fd 2 back at the user's stderr; `flush` first writes out what sys.stderr
        holds (not from a signal handler, which may have interrupted a write to it)."""
        if self._saved is not None:
            if flush:
                sys.stderr.flush()
            os.dup2(self._saved, 2)


@contextlib.contextmanager
def beam_output_to(log_path: str, echo_level: str | None = None) -> Iterator[TextIO]:
    """Send everything written to stderr to a log file for the duration; yields a stream on the
    real stderr for newsbeam's own messages. With `echo_level` (`--log-level`, `-v`) log
    records from that level on are shown on the real stderr too."""
    sys.stderr.flush()
    saved = os.dup(2)
    user = os.fdopen(os.dup(saved), "w", buffering=1)
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    handlers = [logging.StreamHandler(sys.stderr)]
    if echo_level:
        handlers.append(logging.StreamHandler(user))
        handlers[1].setLevel(echo_level)
    root = logging.getLogger()
    previous_level = root.level
    with open(log_path, "ab") as log:
        os.dup2(log.fileno(), 2)
        for handler in handlers:
            handler.setFormatter(formatter)
            root.addHandler(handler)
        root.setLevel(min(logging.INFO, logging.getLevelName(echo_level or "INFO")))
        try:
            yield user
        finally:
            for handler in handlers:
                root.removeHandler(handler)
            root.setLevel(previous_level)
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
    user.flush()


class StopOnSignal:
    """SIGINT and SIGTERM handling for one command (see the module docstring).

    `graceful`: the first signal only sets `event` (a stream finishes the batch in hand); the
    next one, or the first when not graceful, stops the process at once."""

    def __init__(self, stderr: UserStderr, graceful: bool = False) -> None:
        self.event = threading.Event()
        self._stderr = stderr
        self._graceful = graceful
        self._pid = os.getpid()
        self._held: tuple[StateStore, Run] | None = None
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> StopOnSignal:
        for number in (signal.SIGINT, signal.SIGTERM):
            self._previous[number] = signal.signal(number, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)

    def hold(self, state: StateStore | None, run: Run | None = None) -> None:
        """The output and run whose lock the process holds now (None: none)."""
        self._held = (state, run) if state is not None and run is not None else None

    def _handle(self, _number: int, _frame: object) -> None:
        if os.getpid() != self._pid:
            os._exit(Exit.INTERRUPTED)  # a forked child before it reset its handlers
        if self._graceful and not self.event.is_set():
            self.event.set()
            return
        self.stop_now()

    def stop_now(self) -> NoReturn:
        """Release the lock, end the extraction processes, tell the user, exit 130. Writes with
        os.write: the signal may have landed inside a write to sys.stderr."""
        self._stderr.restore(flush=False)
        message = "newsbeam: interrupted; nothing was committed\n"
        if self._held is not None:
            state, run = self._held
            with contextlib.suppress(Exception):
                if state.run_record(run.run_id) is not None:
                    message = (
                        f"newsbeam: interrupted after run {run.run_id} was committed; the next "
                        "run finishes publishing it\n"
                    )
            with contextlib.suppress(Exception):  # a lock left behind is taken over as stale
                state.release()
        with contextlib.suppress(Exception):
            for child in multiprocessing.active_children():
                os.kill(child.pid, signal.SIGKILL)
        os.write(2, message.encode())
        os._exit(Exit.INTERRUPTED)
