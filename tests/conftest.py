"""Shared fixtures: a local Beam runner that never downloads anything, and the public test corpora
kept in tests/data/."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from apache_beam.testing.test_pipeline import TestPipeline

# Beam logs optional-client warnings on import; keep test output readable.
logging.getLogger().addHandler(logging.NullHandler())

REPO = Path(__file__).resolve().parents[1]
TEST_DATA = REPO / "tests" / "data"


@pytest.fixture
def beam_pipeline():
    """A factory of TestPipelines on the in-process FnApiRunner (DirectRunner would first try
    to download Prism). Use as `with beam_pipeline() as p:`."""

    def make() -> TestPipeline:
        return TestPipeline(runner="FnApiRunner", blocking=True)

    return make


@pytest.fixture(scope="session")
def test_data() -> Path:
    """tests/data: the public corpora the suite reads (see tests/data/README.md)."""
    return TEST_DATA
