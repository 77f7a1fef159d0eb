"""Files that an argument or a setting names (transforms/files.py): never a pipe, a device or a
folder, never more than a limit, and one line to say why not."""

from __future__ import annotations

import pytest

from newsbeam.transforms import files
from newsbeam.transforms.files import NotAFile, read_setting_file, read_setting_text


def test_a_regular_file_is_read_whole_and_its_line_ends_as_text_files_read_them(tmp_path):
    path = tmp_path / "taxonomy.json"
    path.write_bytes(b'{"a": 1,\r\n "b": 2}\r')
    assert read_setting_file(str(path), 100) == b'{"a": 1,\r\n "b": 2}\r'
    assert read_setting_text(str(path), 100) == '{"a": 1,\n "b": 2}\n'
    assert read_setting_text(str(path), 100) == path.read_text(encoding="utf-8")
    with pytest.raises(NotAFile, match="holds over 10 bytes"):
        read_setting_file(str(path), 10)


def test_a_pipe_put_in_place_after_the_check_is_refused_without_waiting(named_pipe, monkeypatch):
    # As if the path had been a regular file when `special_kind` looked: the file opened is
    # checked again, opened without waiting for a writer.
    monkeypatch.setattr(files, "special_kind", lambda path: None)
    with pytest.raises(NotAFile, match="is a named pipe \\(FIFO\\), not a file"):
        read_setting_file(str(named_pipe), 100)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad\0name.json", "holds a NUL character"),
        ("line\nbreak.json", "'.*line\\\\nbreak.json' is a folder"),
    ],
)
def test_a_name_no_file_can_have_or_with_a_line_break_is_one_line(tmp_path, name, message):
    path = tmp_path / name if "\0" not in name else f"{tmp_path}/{name}"
    if "\n" in name:
        path.mkdir()
    with pytest.raises(NotAFile, match=message) as refused:
        read_setting_file(str(path), 100)
    assert "\n" not in str(refused.value)
