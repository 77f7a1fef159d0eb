"""Shared fixtures: a local Beam runner that never downloads anything, and the shared data."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from apache_beam.testing.test_pipeline import TestPipeline

# Beam logs optional-client warnings on import; keep test output readable.
logging.getLogger().addHandler(logging.NullHandler())

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("NEWSBEAM_SHARED_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture
def beam_pipeline():
    """A factory of TestPipelines on the in-process FnApiRunner (DirectRunner would first try
    to download Prism). Use as `with beam_pipeline() as p:`."""

    def make() -> TestPipeline:
        return TestPipeline(runner="FnApiRunner", blocking=True)

    return make


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data, or a clear failure when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.fail(f"the shared test data is missing: expected it at {SHARED_DATA}")
    return SHARED_DATA
