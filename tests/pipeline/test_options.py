from __future__ import annotations

import copy
import pickle

from apache_beam.options.pipeline_options import (
    GoogleCloudOptions,
    PipelineOptions,
    StandardOptions,
)

from newsbeam.pipeline.options import NewsbeamOptions, RunOptions


def test_a_view_is_made_once_per_class():
    options = RunOptions(["--runner", "FnApiRunner", "--inbox", "a/"])
    standard = options.view_as(StandardOptions)
    assert options.view_as(StandardOptions) is standard
    assert options.view_as(NewsbeamOptions) is not standard
    assert standard.runner == "FnApiRunner"
    assert options.view_as(NewsbeamOptions).inbox == ["a/"]


def test_views_share_the_values_as_beams_do():
    options = RunOptions(["--output", "out"])
    options.view_as(NewsbeamOptions).output = "elsewhere"
    options.view_as(StandardOptions).runner = "DirectRunner"
    assert options.view_as(NewsbeamOptions).output == "elsewhere"
    assert options.get_all_options()["runner"] == "DirectRunner"
    plain = PipelineOptions(["--output", "out"])
    plain.view_as(NewsbeamOptions).output = "elsewhere"
    assert plain.get_all_options() | {"runner": "DirectRunner"} == options.get_all_options()


def test_copies_and_pickles_carry_the_values_not_the_views():
    options = RunOptions(["--project", "p1", "--output", "out"])
    options.view_as(GoogleCloudOptions)
    for other in (copy.deepcopy(options), pickle.loads(pickle.dumps(options))):
        assert isinstance(other, RunOptions)
        assert other.view_as(GoogleCloudOptions).project == "p1"
        other.view_as(NewsbeamOptions).output = "changed"
        assert options.view_as(NewsbeamOptions).output == "out"
