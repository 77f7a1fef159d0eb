"""Counters that Beam reports at the end of a run and, on a local run, also while it runs.

Beam's metrics are only readable once a local pipeline has finished. For progress lines the
launcher sets `NEWSBEAM_PROGRESS_DIR` (its worker processes inherit it), and every process also
writes its running counts there, replaced atomically at most every two seconds. Where the
variable is unset (Dataflow, tests), counters are plain Beam counters. The files are a courtesy:
nothing depends on them for correctness; the summary comes from the written rows and Beam's
metrics.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections import Counter

__all__ = ["PROGRESS_DIR_ENV", "PROGRESS_EVERY_ENV", "counter", "read_progress", "report"]

PROGRESS_DIR_ENV = "NEWSBEAM_PROGRESS_DIR"
PROGRESS_EVERY_ENV = "NEWSBEAM_PROGRESS_EVERY"  # seconds between writes (default 2)


class _ProcessProgress:
    """This process's running counts (all DoFn instances in it share one file)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.written = 0.0

    def add(self, name: str, amount: int) -> None:
        directory = os.environ.get(PROGRESS_DIR_ENV)
        if not directory:
            return
        with self.lock:
            self.counts[name] += amount
            every = float(os.environ.get(PROGRESS_EVERY_ENV, "2"))
            if time.monotonic() - self.written < every:
                return
            self.written = time.monotonic()
            snapshot = dict(self.counts)
        try:
            path = os.path.join(directory, f"{os.getpid()}.json")
            with open(f"{path}.tmp", "w", encoding="utf-8") as handle:
                json.dump(snapshot, handle)
            os.replace(f"{path}.tmp", path)
        except OSError:
            pass  # progress is a courtesy: never fail a run over it


_PROCESS = _ProcessProgress()


def _start_afresh() -> None:
    # A forked process (an extraction process) counts only its own work, in its own file: the
    # counts it inherited are its parent's, which the parent reports itself.
    global _PROCESS
    _PROCESS = _ProcessProgress()


os.register_at_fork(after_in_child=_start_afresh)


class _Counter:
    def __init__(self, name: str) -> None:
        # Imported where a step's counter is made (in a Beam process): `report` also runs in the
        # extraction processes of a local run, which never load Beam (transforms/files.py).
        from apache_beam.metrics import Metrics

        self._name = name
        self._metric = Metrics.counter("newsbeam", name)

    def inc(self, amount: int = 1) -> None:
        self._metric.inc(amount)
        _PROCESS.add(self._name, amount)

    def __reduce__(self):  # DoFns are pickled: rebuild from the name on the worker
        return (_Counter, (self._name,))


def report(name: str, amount: int = 1) -> None:
    """Add to a running count of the progress files only, not to Beam's metrics: for work done
    outside Beam (the extraction processes of a local run)."""
    _PROCESS.add(name, amount)


def counter(name: str) -> _Counter:
    """A counter in the `newsbeam` namespace, also reported as progress on local runs."""
    return _Counter(name)


def read_progress(directory: str) -> Counter[str]:
    """The sum of every process's latest counts."""
    total: Counter[str] = Counter()
    try:
        names = [name for name in os.listdir(directory) if name.endswith(".json")]
    except OSError:
        return total
    for name in names:
        try:
            with open(os.path.join(directory, name), encoding="utf-8") as handle:
                total.update(json.load(handle))
        except (OSError, ValueError):
            continue
    return total
