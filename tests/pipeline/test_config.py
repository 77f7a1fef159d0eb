"""`--config FILE`: TOML settings named as the flags; the command line wins."""

from __future__ import annotations

import pytest

from newsbeam.pipeline.config import ConfigError, config_arguments, split_config_flag

FLAGS = ["--output", "--feeds", "--inbox", "--quiet", "--max-reject-ratio", "--runner"]


def write(tmp_path, text: str) -> str:
    path = tmp_path / "newsbeam.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_settings_become_flags_and_the_command_line_wins(tmp_path):
    config = write(
        tmp_path,
        'output = "/srv/out"\nfeeds = ["a.txt", "b.opml"]\nquiet = true\n'
        'max_reject_ratio = 0.9\nrunner = "FnApiRunner"\ninbox = []\n',
    )
    given = ["--output", "/elsewhere", "--feeds=c.txt"]
    assert config_arguments(config, FLAGS, given) == [
        "--quiet",
        "--max-reject-ratio=0.9",
        "--runner=FnApiRunner",
    ]
    assert config_arguments(config, FLAGS, [])[:3] == [
        "--output=/srv/out",
        "--feeds=a.txt",
        "--feeds=b.opml",
    ]
    assert "--quiet" not in config_arguments(write(tmp_path, "quiet = false\n"), FLAGS, [])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('outptu = "x"\n', "unknown setting 'outptu' .* \\(did you mean output\\?\\)"),
        ("output = [\n", "is not valid TOML"),
        ("[section]\nkey = 1\n", "unknown setting 'section'"),
        ("output = {a = 1}\n", "must be a string, number, boolean or list"),
    ],
)
def test_a_bad_file_is_one_clear_error(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        config_arguments(write(tmp_path, text), FLAGS, [])


def test_a_missing_file_and_the_flag_itself():
    with pytest.raises(ConfigError, match="No such file"):
        config_arguments("/nonexistent/newsbeam.toml", FLAGS, [])
    assert split_config_flag(["--config", "f.toml", "--quiet"]) == ("f.toml", ["--quiet"])
    assert split_config_flag(["--config=f.toml"]) == ("f.toml", [])
    with pytest.raises(ConfigError, match="needs a file"):
        split_config_flag(["--quiet", "--config"])


@pytest.mark.parametrize(
    ("make", "message"),
    [
        # Checked before opening: a named pipe would block the read, a device never end it.
        (lambda folder: folder / "pipe", "is a named pipe"),
        (lambda folder: "/dev/zero", "is a character device, not a file"),
        (lambda folder: folder, "is a folder, not a file"),
        (lambda folder: _written(folder, b"# settings\n" * 100_000), "holds over 1,048,576 bytes"),
        (lambda folder: _written(folder, b'output = "\xff"\n'), "is not UTF-8 text"),
    ],
)
def test_a_file_that_is_no_settings_file_is_refused_unread(tmp_path, named_pipe, make, message):
    path = str(make(tmp_path))
    with pytest.raises(ConfigError, match=message) as refused:
        config_arguments(path, FLAGS, [])
    assert "\n" not in str(refused.value) and path in str(refused.value)


def _written(folder, data: bytes):
    path = folder / "newsbeam.toml"
    path.write_bytes(data)
    return path
