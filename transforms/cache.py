"""A per-user cache of what every process builds the same way from run to run and that is slow to
build: the language model as py3langid unpacks it (pagework.py), the compiled tagger
(tagger_cache.py). A run's extraction processes then start on pages instead of building them.

Where: `NEWSBEAM_CACHE_DIR` when set (`off`, or empty, turns the cache off), else the platform's
user cache folder (`$XDG_CACHE_HOME/newsbeam`, by default `~/.cache/newsbeam`). Each entry is one
file, `<kind>/<key>.pickle`, named by a hash of everything it was built from (the caller's
`key`): an entry is never updated, a changed input is a new key. A file is written aside and
renamed into place, so processes that write the same entry at once leave one whole file, and a
reader never sees a half-written one; a claim file beside it spares a second process the work
while the first writes. It starts with a header (format, key, the payload's
length and CRC-32): a file that does not match, or whose payload fails to load, is ignored, and
whoever needs it builds it again and writes it anew. Only the most recently used entries of
each kind are kept. The cache is a speed-up only: a folder that cannot be written or read
leaves every process building what it needs, as without it.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import struct
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

__all__ = ["ENV_CACHE_DIR", "cache_dir", "cache_key", "code_digests", "read_entry", "write_entry"]

_LOGGER = logging.getLogger(__name__)

ENV_CACHE_DIR = "NEWSBEAM_CACHE_DIR"
_OFF = ("", "off")
_MAGIC = b"newsbeam-cache/1\n"
_HEADER = struct.Struct("<64sQI")  # key (hex), payload length, CRC-32 of the payload
KEEP_PER_KIND = 6  # entries kept per kind: a few taxonomies or checkouts in use side by side
_ABANDONED_SECONDS = 300  # a temporary or claim file this old belongs to a writer that died


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is turned off."""
    value = os.environ.get(ENV_CACHE_DIR)
    if value is not None:
        return None if value.strip().lower() in _OFF else Path(value).expanduser()
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "newsbeam"
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "newsbeam" / "Cache"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsbeam"


def cache_key(*parts: bytes | str) -> str:
    """The key of an entry built from `parts` (texts, file contents, versions): a hex digest."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def code_digests(modules: tuple[ModuleType, ...]) -> list[bytes]:
    """The SHA-256 of each module's source file: key parts that change with the code an entry
    is built by (raises when a module has no source file)."""
    return [hashlib.sha256(Path(module.__file__).read_bytes()).digest() for module in modules]


def _entry_path(kind: str, key: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / kind / f"{key}.pickle"


def read_entry(kind: str, key: str) -> Any | None:
    """The object stored as `kind`/`key`, or None when there is none, or what there is does not
    match its header or fails to load (it is then left for the next writer to replace)."""
    path = _entry_path(kind, key)
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    view = memoryview(data)
    start = len(_MAGIC) + _HEADER.size
    try:
        if bytes(view[: len(_MAGIC)]) != _MAGIC:
            raise ValueError("not a newsbeam cache file")
        stored_key, length, crc = _HEADER.unpack(view[len(_MAGIC) : start])
        if stored_key != key.encode("ascii") or length != len(view) - start:
            raise ValueError("key or length differs from the header")
        payload = view[start:]
        if zlib.crc32(payload) != crc:
            raise ValueError("the payload's CRC-32 differs from the header")
        value = pickle.loads(payload)
    except Exception as exc:  # anything a damaged or foreign file raises: it is not used
        _LOGGER.info("cache file %s ignored: %s", path, exc)
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: kept when older entries are removed
    return value


def write_entry(kind: str, key: str, make: Callable[[], Any]) -> bool:
    """Store what `make()` returns as `kind`/`key` (written aside, then renamed into place);
    returns whether it was stored. While another process writes the same entry (its claim file
    is younger than `_ABANDONED_SECONDS`) this one does not make it again. Never raises: a
    value that cannot be pickled or a folder that cannot be written only leaves the cache
    without it."""
    path = _entry_path(kind, key)
    if path is None:
        return False
    claim = temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        claim = _claim(path.parent / f".{key}.writing")
        if claim is None:
            return False
        payload = pickle.dumps(make(), protocol=pickle.HIGHEST_PROTOCOL)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{key[:16]}.", suffix=".tmp")
        with os.fdopen(handle, "wb") as file:
            file.write(_MAGIC)
            file.write(_HEADER.pack(key.encode("ascii"), len(payload), zlib.crc32(payload)))
            file.write(payload)
        os.replace(temporary, path)
        temporary = None
    except Exception as exc:
        _LOGGER.info("cache entry %s not written: %s", path, exc)
        return False
    finally:
        for leftover in (temporary, claim):
            if leftover is not None:
                with contextlib.suppress(OSError):
                    os.unlink(leftover)
    _prune(path.parent, path)
    return True


def _claim(claim: Path) -> Path | None:
    """`claim` created for this writer, or None when another writer holds it. A claim is only
    a hint that saves the work twice: the entry itself is written under a name of its own and
    renamed, so two writers that both hold one (the first's claim went stale) still leave a
    whole file."""
    for _ in range(2):
        try:
            os.close(os.open(claim, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            return claim
        except FileExistsError:
            try:
                if time.time() - claim.stat().st_mtime < _ABANDONED_SECONDS:
                    return None
                claim.unlink()  # its writer died
            except FileNotFoundError:
                continue  # its writer just finished
    return None


def _prune(folder: Path, written: Path) -> None:
    """Remove the kind's entries beyond the `KEEP_PER_KIND` most recently used, and the
    temporary and claim files of writers that died; what another process removes first is
    skipped."""
    entries: list[tuple[float, Path]] = []
    now = time.time()
    try:
        for path in folder.iterdir():
            try:
                modified = path.stat().st_mtime
            except OSError:
                continue
            if path.suffix == ".pickle":
                entries.append((modified, path))
            elif path.suffix in (".tmp", ".writing") and now - modified > _ABANDONED_SECONDS:
                path.unlink(missing_ok=True)
        entries.sort(reverse=True)
        for _, path in entries[KEEP_PER_KIND:]:
            if path != written:
                path.unlink(missing_ok=True)
    except OSError:
        pass
