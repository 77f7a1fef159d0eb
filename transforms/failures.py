"""The second failure channel: exceptions nobody expected, caught by `with_exception_handling()`,
become `Reject` rows that name the exception, so one poisoned input never fails a run."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from newsbeam.schemas.records import Reject
from newsbeam.transforms.progress import counter

__all__ = ["crash_reject", "crash_to_reject", "guarded"]


def crash_reject(element: object, stage: str, exc: BaseException) -> Reject:
    """The `Reject` of an element whose step raised an exception nobody expected."""
    return _reject(element, stage, type(exc), repr(exc))


def guarded(records: Iterable[Any], element: object, stage: str) -> Iterator[Any]:
    """The records `records` yields for `element`; an exception part-way ends them with one
    `crash_reject` standing for the rest. What came before it stands: a step that crashes on
    the fifth entry of a file keeps the first four."""
    try:
        yield from records
    except Exception as exc:
        yield crash_reject(element, stage, exc)


def _reject(element: object, stage: str, exc_type: object, exc_repr: str) -> Reject:
    origin = _field(element, "origin") or _field(element, "path") or "?"
    name = getattr(exc_type, "__name__", str(exc_type))
    return Reject(origin, _field(element, "url"), stage, f"crash:{name}", exc_repr[:1000])


def crash_to_reject(stage: str, *, counts_as_input: bool = False) -> Callable[[tuple], Reject]:
    """A function turning a dead letter `(element, (type, repr, traceback))` into a `Reject`.

    The element may be a record (`Item`, `InboxFile`) or an article dict.

    With `counts_as_input`, each crash is also counted as an input: `with_exception_handling()`
    drops whatever the element had produced, and the readers count an element's inputs only
    once it is done, so the crash reject is the element's one and only input.
    """
    # Beam's metrics are imported here, where a step is built: `crash_reject` also runs in the
    # extraction processes of a local run, which never load Beam (transforms/files.py).
    from apache_beam.metrics import Metrics

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
