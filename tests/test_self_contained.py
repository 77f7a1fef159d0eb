"""The suite reads nothing outside the repository: a fresh clone anywhere passes its tests."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
DATA = TESTS / "data"


def test_no_test_reads_the_shared_folder_beside_the_repository():
    offenders = [
        str(path.relative_to(TESTS))
        for path in TESTS.rglob("*.py")
        if any(
            marker in path.read_text(encoding="utf-8") for marker in ("shared/data", "SHARED_DATA")
        )
        and path.name != Path(__file__).name
    ]
    assert offenders == []


def test_every_corpus_in_tests_data_has_its_licence_and_source():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    corpora = [folder for folder in DATA.iterdir() if folder.is_dir()]
    assert {folder.name for folder in corpora} == {"extraction-benchmark", "feedparser-tests"}
    for folder in corpora:
        assert (folder / "LICENSE").is_file(), folder.name
        assert f"`{folder.name}/`" in readme and "github.com/" in readme
