"""`--config FILE`: a TOML file of the same settings as the command line's flags, for cron and
systemd deployments. Flags given on the command line win over the file's.

    # newsbeam.toml
    output = "/srv/news/output"
    feeds = ["/etc/newsbeam/feeds.txt"]
    inbox = ["/srv/news/inbox"]
    max-reject-ratio = 0.9          # or max_reject_ratio
    fail-if-all-sources-fail = true
    runner = "DataflowRunner"       # Beam options too, by their flag names

Keys are flag names without the dashes (`-` or `_` alike); a list repeats a flag; `true` gives a
switch, `false` leaves it out. The file becomes flags placed before the command line's, so
everything is checked exactly as typed flags are.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Iterable
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from newsbeam.transforms.files import NotAFile, read_setting_file

__all__ = ["ConfigError", "config_arguments", "read_config", "split_config_flag"]

# A settings file is a few hundred bytes; one larger than this is not one (a device, a log).
_MAX_CONFIG_BYTES = 1 << 20


class ConfigError(ValueError):
    """The config file is missing or unusable; the message is one line."""


def split_config_flag(argv: list[str]) -> tuple[str | None, list[str]]:
    """(the `--config` file or None, the arguments without it)."""
    rest, path, index = [], None, 0
    while index < len(argv):
        arg = argv[index]
        if arg == "--config":
            if index + 1 >= len(argv):
                raise ConfigError("--config needs a file")
            path, index = argv[index + 1], index + 2
            continue
        if arg.startswith("--config="):
            path = arg.split("=", 1)[1]
        else:
            rest.append(arg)
        index += 1
    return path, rest


def config_arguments(path: str, known_flags: Iterable[str], given: list[str]) -> list[str]:
    """The settings of the TOML file at `path` as flags, leaving out those the command line
    (`given`) sets itself. Raises `ConfigError` for a missing or malformed file, an unknown key
    or a value of the wrong kind."""
    settings = read_config(path)
    known = set(known_flags)
    on_command_line = {arg.split("=", 1)[0] for arg in given if arg.startswith("-")}
    arguments: list[str] = []
    for key, value in settings.items():
        flag = _flag_for(key, known, path)
        if flag in on_command_line:
            continue
        arguments += _as_arguments(flag, value, path)
    return arguments


def read_config(path: str) -> dict[str, Any]:
    """The settings of the TOML file at `path`. Raises `ConfigError` when it is missing or
    unreadable, not a regular file (checked before opening: a named pipe would block the read,
    a device would never end it), over 1 MiB, not UTF-8 or not valid TOML."""
    try:
        data = read_setting_file(path, _MAX_CONFIG_BYTES)
    except NotAFile as exc:
        raise ConfigError(f"config file {exc}") from None
    except OSError as exc:
        raise ConfigError(f"config file {path}: {exc.strerror or exc}") from None
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"config file {path} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None


def _flag_for(key: str, known: set[str], path: str) -> str:
    for candidate in (f"--{key}", f"--{key.replace('_', '-')}", f"--{key.replace('-', '_')}"):
        if candidate in known:
            return candidate
    close = difflib.get_close_matches(f"--{key.replace('_', '-')}", sorted(known), n=1)
    hint = f" (did you mean {close[0].lstrip('-')}?)" if close else ""
    raise ConfigError(f"unknown setting {key!r} in {path}{hint}")


def _as_arguments(flag: str, value: Any, path: str) -> list[str]:
    if value is True:
        return [flag]
    if value is False:
        return []
    if isinstance(value, list):
        return [part for item in value for part in _as_arguments(flag, item, path)]
    if isinstance(value, (str, int, float)):
        return [f"{flag}={value}"]
    raise ConfigError(f"setting {flag.lstrip('-')!r} in {path} must be a string, number, "
                      f"boolean or list, not {type(value).__name__}")  # fmt: skip
