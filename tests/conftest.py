"""Shared fixtures: a local Beam runner that never downloads anything, and the public test corpora
kept in tests/data/."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import pytest
from apache_beam.testing.test_pipeline import TestPipeline

from newsbeam.transforms.tagger import Tagger
from newsbeam.transforms.taxonomy import load_taxonomy

# Beam logs optional-client warnings on import; keep test output readable.
logging.getLogger().addHandler(logging.NullHandler())

REPO = Path(__file__).resolve().parents[1]
TEST_DATA = REPO / "tests" / "data"


@pytest.fixture(scope="session", autouse=True)
def user_cache(tmp_path_factory):
    """The user cache (transforms/cache.py) of this session's processes, the CLI runs included:
    in a temporary folder, never the user's own."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWSBEAM_CACHE_DIR", str(tmp_path_factory.mktemp("user-cache")))
        yield


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


@pytest.fixture(scope="session")
def tagger():
    """The tagger of the bundled taxonomy, built once per test process (about a second). Tests
    only call it; one that needs other rules builds its own `Tagger`."""
    return Tagger(load_taxonomy())


@pytest.fixture
def named_pipe(tmp_path) -> Path:
    """A named pipe (FIFO) that newsbeam must never open for reading. Should a test's code open
    it anyway, a writer opens its other end after 30 s, so that the read ends and the test
    fails on what it got instead of hanging the suite."""
    path = tmp_path / "pipe"
    os.mkfifo(path)
    done = threading.Event()

    def release() -> None:
        if done.wait(30):
            return
        while not done.wait(0.2):
            try:  # succeeds only while a reader waits on the pipe
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                continue

    watchdog = threading.Thread(target=release, name="named-pipe-watchdog", daemon=True)
    watchdog.start()
    yield path
    done.set()
    watchdog.join()
