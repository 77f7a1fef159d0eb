"""Each DoFn's state and timer specs inspected once (pipeline/beam_costs.py)."""

from __future__ import annotations

import apache_beam as beam
import pytest
from apache_beam.coders import VarIntCoder
from apache_beam.testing.util import assert_that, equal_to
from apache_beam.transforms import userstate
from apache_beam.transforms.timeutil import TimeDomain
from apache_beam.transforms.userstate import ReadModifyWriteStateSpec, TimerSpec

from newsbeam.pipeline import beam_costs

_COUNT = ReadModifyWriteStateSpec("count", VarIntCoder())
_FLUSH = TimerSpec("flush", TimeDomain.WATERMARK)
# Beam's state API declares a step's state and timers as its methods' default values.
_COUNT_PARAM = beam.DoFn.StateParam(_COUNT)
_FLUSH_PARAM = beam.DoFn.TimerParam(_FLUSH)


class _Counting(beam.DoFn):
    """A stateful DoFn: the running count of each key's elements."""

    def process(self, element, count=_COUNT_PARAM):
        key, _ = element
        seen = (count.read() or 0) + 1
        count.write(seen)
        yield key, seen


class _WithTimer(beam.DoFn):
    def process(self, element, flush=_FLUSH_PARAM):
        yield element

    @userstate.on_timer(_FLUSH)
    def on_flush(self):
        return []


class _Plain(beam.DoFn):
    def process(self, element):
        yield element


class _StateTwice(beam.DoFn):
    def process(self, element, a=_COUNT_PARAM, b=_COUNT_PARAM):
        yield element


@pytest.fixture
def inspections(monkeypatch):
    """Beam's inspection, counted, behind the remembering one."""
    calls = []
    inspect = beam_costs._INSPECT

    def counted(dofn):
        calls.append(dofn)
        return inspect(dofn)

    monkeypatch.setattr(beam_costs, "_INSPECT", counted)
    monkeypatch.setattr(beam_costs, "_SPECS", type(beam_costs._SPECS)())
    monkeypatch.setattr(userstate, "get_dofn_specs", userstate.get_dofn_specs)
    beam_costs.remember_dofn_specs()
    return calls


@pytest.mark.parametrize("dofn_type", [_Counting, _WithTimer, _Plain])
def test_the_specs_are_beams_and_inspected_once_per_instance(inspections, dofn_type):
    first, second = dofn_type(), dofn_type()
    expected = beam_costs._INSPECT(first)
    inspections.clear()
    answers = [userstate.get_dofn_specs(dofn) for dofn in (first, first, second, first, second)]
    assert answers == [expected] * 5
    assert inspections == [first, second]
    assert userstate.is_stateful_dofn(first) is (dofn_type is not _Plain)


def test_a_caller_changing_its_answer_changes_no_later_one(inspections):
    dofn = _Counting()
    states, timers = userstate.get_dofn_specs(dofn)
    states.clear()
    timers.add(_FLUSH)
    assert userstate.get_dofn_specs(dofn) == ({_COUNT}, set())


def test_a_badly_declared_dofn_is_refused_every_time(inspections):
    dofn = _StateTwice()
    for _ in range(2):
        with pytest.raises(ValueError, match="duplicate"):
            userstate.get_dofn_specs(dofn)
    assert inspections == [dofn, dofn]


def test_a_stateful_step_keeps_its_state_in_a_pipeline(inspections, beam_pipeline):
    with beam_pipeline() as pipeline:
        counts = (
            pipeline
            | beam.Create([("a", 1), ("b", 1), ("a", 1), ("a", 1)])
            | beam.ParDo(_Counting())
        )
        assert_that(counts, equal_to([("a", 1), ("a", 2), ("a", 3), ("b", 1)]))
    assert inspections, "the pipeline asked for no DoFn's specs"
