"""Beam's own work that a run does once per DoFn instead of several times.

Beam asks whether a DoFn uses state or timers (`userstate.get_dofn_specs`) every time it meets
it: when the `ParDo` is made, twice or three times while the graph is translated, and again
when each stage's bundle processor is built. Each answer inspects the signature of every method
the DoFn has (about 40, most inherited from `beam.DoFn`). On an 800-page local run that was 568
calls for 144 DoFn instances, 0.32 s of the launcher's 2.8 s of CPU (bench/BENCHMARKS.md, #20
history). `remember_dofn_specs` makes the answer for a DoFn instance computed once: the state
and timer parameters are defaults of its methods, fixed once it exists. A DoFn that cannot be
weakly referenced is inspected every time, as before.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

from apache_beam.transforms import userstate

__all__ = ["remember_dofn_specs"]

_SPECS: weakref.WeakKeyDictionary[Any, tuple[frozenset, frozenset]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()
# Beam's own (also when this module is imported again after `remember_dofn_specs`).
_INSPECT = getattr(userstate.get_dofn_specs, "__wrapped__", userstate.get_dofn_specs)


def _remembered_specs(dofn: Any) -> tuple[set, set]:
    """`userstate.get_dofn_specs(dofn)`, inspected once per instance; new sets each call, as
    Beam's are."""
    try:
        with _LOCK:
            known = _SPECS.get(dofn)
    except TypeError:  # no weak reference to it: not remembered
        return _INSPECT(dofn)
    if known is None:
        states, timers = _INSPECT(dofn)  # raises for a badly declared DoFn, every time
        known = (frozenset(states), frozenset(timers))
        try:
            with _LOCK:
                _SPECS[dofn] = known
        except TypeError:
            pass
    return set(known[0]), set(known[1])


_remembered_specs.__wrapped__ = _INSPECT  # type: ignore[attr-defined]


def remember_dofn_specs() -> None:
    """From now on, in this process, each DoFn instance's state and timer specs are inspected
    once. Idempotent."""
    userstate.get_dofn_specs = _remembered_specs
