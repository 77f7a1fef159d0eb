"""Opening a file by its name for the per-page work: a local file with Python's own I/O, any
other (`gs://...`) through Beam's FileSystems, imported only then.

The extraction processes of a local run read and write local files without Beam's layers (the
launcher has imported Beam before it forks them, but they never call it for a local file). The
same calls on a remote name, on Dataflow or a local run over a bucket, go through Beam.
"""

from __future__ import annotations

import os
import stat
from typing import BinaryIO

__all__ = [
    "DATA_FILE_MAX_BYTES",
    "NotAFile",
    "create_file",
    "is_remote",
    "open_file",
    "open_setting_file",
    "read_setting_file",
    "read_setting_text",
    "replace_file",
    "shown",
    "special_kind",
]

# The most a taxonomy or gazetteer file may hold (the bundled ones are under 1.2 MB): a larger
# file is not one, and is refused before it fills the memory.
DATA_FILE_MAX_BYTES = 64 << 20

_SPECIAL_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def is_remote(path: str) -> bool:
    """True for a name with a scheme (`gs://bucket/...`): a file only Beam's FileSystems open."""
    return "://" in path


def special_kind(path: str) -> str | None:
    """What a local `path` is when it is not a regular file ("a folder", "a named pipe (FIFO)",
    a socket, a device, "a broken symbolic link": one whose target is missing, or a loop of
    links), found with stat (a symbolic link is followed), never by opening it: opening a FIFO
    waits for a writer forever and a device can be read without end. None for a regular file,
    a path that cannot be stat'ed otherwise (whoever opens it reports why), and a remote name
    (object stores hold only files)."""
    if is_remote(path):
        return None
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return "a broken symbolic link" if _is_link(path) else None
    except ValueError:  # a NUL in the name
        return None
    return None if stat.S_ISREG(mode) else _kind_of(mode)


def _kind_of(mode: int) -> str:
    """What a file of this mode is, when it is not a regular file."""
    return next((name for test, name in _SPECIAL_KINDS if test(mode)), "not a regular file")


def _is_link(path: str) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return False


class NotAFile(OSError):
    """A path a setting names is not a regular file, or is too large for one; the message is one
    line, naming the path."""


def shown(path: str) -> str:
    """`path` as a message shows it on one line: quoted and escaped when it holds a line break
    or another control character, as it is otherwise."""
    return path if path.isprintable() else repr(path)


def open_setting_file(path: str, what: str = "a file") -> BinaryIO:
    """A local file that an argument or a setting names (a config file, a feed list, a
    taxonomy), opened for reading. Raises `NotAFile` ("... is a folder, not `what`") when it is
    not a regular file: checked with `special_kind` before it is opened, and again on the
    opened file (opened without waiting, so a named pipe put in its place meanwhile cannot
    block), or when its name holds a NUL; `OSError` as opening it does."""
    if "\0" in path:
        raise NotAFile(f"{shown(path)} holds a NUL character: no file has such a name")
    kind = special_kind(path)
    if kind is None:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            mode = os.fstat(handle).st_mode
            if stat.S_ISREG(mode):
                os.set_blocking(handle, True)
                return os.fdopen(handle, "rb")
        except BaseException:
            os.close(handle)
            raise
        os.close(handle)
        kind = _kind_of(mode)
    raise NotAFile(f"{shown(path)} is {kind}, not {what}")


def read_setting_file(path: str, limit: int) -> bytes:
    """The bytes of a local file that an argument or a setting names (`open_setting_file`).
    Raises `NotAFile` too when it holds more than `limit` bytes (no more than that is read)."""
    with open_setting_file(path) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise NotAFile(f"{shown(path)} holds over {limit:,} bytes")
    return data


def read_setting_text(path: str, limit: int) -> str:
    """`read_setting_file` as UTF-8 text, line ends read as Python's text files read them;
    raises `UnicodeDecodeError` too."""
    text = read_setting_file(path, limit).decode("utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def open_file(path: str) -> BinaryIO:
    """The file's bytes as they are stored (a `.gz` file is not unzipped here)."""
    if not is_remote(path):
        return open(path, "rb")
    from apache_beam.io.filesystem import CompressionTypes
    from apache_beam.io.filesystems import FileSystems

    return FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED)


def create_file(path: str) -> BinaryIO:
    """A new file to write bytes to as they are (its local folder must exist)."""
    if not is_remote(path):
        return open(path, "wb")
    from apache_beam.io.filesystem import CompressionTypes
    from apache_beam.io.filesystems import FileSystems

    return FileSystems.create(path, compression_type=CompressionTypes.UNCOMPRESSED)


def replace_file(source: str, destination: str) -> None:
    """Rename `source` to `destination`, replacing a file of that name (a retried write)."""
    if not is_remote(destination):
        os.replace(source, destination)
        return
    from apache_beam.io.filesystems import FileSystems

    if FileSystems.exists(destination):
        FileSystems.delete([destination])
    FileSystems.rename([source], [destination])
