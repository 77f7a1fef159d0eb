"""The second failure channel: exceptions nobody expected, caught by `with_exception_handling()`,
become `Reject` rows that name the exception, so one poisoned input never fails a run."""

from __future__ import annotations

from collections.abc import Callable

from apache_beam.metrics import Metrics

from newsbeam.schemas.records import Reject
from newsbeam.transforms.progress import counter

__all__ = ["crash_reject", "crash_to_reject"]


def crash_reject(element: object, stage: str, exc: BaseException) -> Reject:
    """The `Reject` of an element whose step raised an exception nobody expected."""
    return _reject(element, stage, type(exc), repr(exc))


def _reject(element: object, stage: str, exc_type: object, exc_repr: str) -> Reject:
    origin = _field(element, "origin") or _field(element, "path") or "?"
    name = getattr(exc_type, "__name__", str(exc_type))
    return Reject(origin, _field(element, "url"), stage, f"crash:{name}", exc_repr[:1000])


def crash_to_reject(stage: str, *, counts_as_input: bool = False) -> Callable[[tuple], Reject]:
    """A function turning a dead letter `(element, (type, repr, traceback))` into a `Reject`.

    The element may be a record (`Item`, `InboxFile`) or an article dict.

    With `counts_as_input`, each crash is also counted as an input: the reader's own count could
    not see the part of the file it never got to.
    """
    inputs = counter("inputs")
    crashes = Metrics.counter("newsbeam", f"{stage}_crashes")

    def convert(failed: tuple) -> Reject:
        element, (exc_type, exc_repr, _traceback) = failed
        crashes.inc()
        if counts_as_input:
            inputs.inc()
        return _reject(element, stage, exc_type, exc_repr)

    return convert


def _field(element: object, name: str) -> str | None:
    if isinstance(element, dict):
        return element.get(name)
    return getattr(element, name, None)
