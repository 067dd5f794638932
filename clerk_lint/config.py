"""Configuration: ``.clerk-lint.toml`` or ``[tool.clerk-lint]`` in ``pyproject.toml``, then CLI overrides.

Unknown keys and bad values are errors (:class:`ConfigError`) that name the key and the file.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from clerk_lint.findings import Level

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

CONFIG_FILE = ".clerk-lint.toml"

#: key -> human description of the expected type, used in error messages
KEYS = {
    "select": "a list of rule ids, id prefixes or slugs",
    "ignore": "a list of rule ids, id prefixes or slugs",
    "per-file-ignores": 'a table of glob = ["rule", ...]',
    "exclude": "a list of gitignore-style patterns",
    "fail-on": '"error", "warning" or "note"',
    "max-file-size": "a size in bytes (a positive integer)",
}

DEFAULT_MAX_FILE_SIZE = 1024 * 1024


class ConfigError(Exception):
    """A usage or configuration error: reported on one line, exit code 2."""


@dataclass
class Config:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    fail_on: Level = Level.WARNING
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    #: directory that relative globs in the file are resolved against
    base: Path | None = None
    #: the file the settings came from (None: defaults)
    source: Path | None = None


def _string_list(value: object, key: str, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: `{key}` must be {KEYS[key]}, got {value!r}")
    return list(value)


def parse_table(table: dict, where: str, base: Path | None = None, source: Path | None = None) -> Config:
    """Validate a ``[tool.clerk-lint]`` table (or the top level of ``.clerk-lint.toml``)."""
    config = Config(base=base, source=source)
    for key, value in table.items():
        if key not in KEYS:
            known = ", ".join(sorted(KEYS))
            raise ConfigError(f"{where}: unknown key `{key}` (known keys: {known})")
        if key in ("select", "ignore", "exclude"):
            setattr(config, key, _string_list(value, key, where))
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: `per-file-ignores` must be {KEYS[key]}, got {value!r}")
            config.per_file_ignores = {
                str(glob): _string_list(ids, key, where) for glob, ids in value.items()
            }
        elif key == "fail-on":
            try:
                config.fail_on = Level.parse(str(value))
            except ValueError:
                raise ConfigError(f"{where}: `fail-on` must be {KEYS[key]}, got {value!r}") from None
        elif key == "max-file-size":
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ConfigError(f"{where}: `max-file-size` must be {KEYS[key]}, got {value!r}")
            config.max_file_size = value
    return config


def load_file(path: Path) -> Config:
    """Read settings from an explicit file (``--config``)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file ({exc.strerror or exc})") from None
    try:
        doc = tomllib.loads(raw.decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML ({exc})") from None
    if path.name == "pyproject.toml":
        table = doc.get("tool", {}).get("clerk-lint", {})
        where = f"{path} [tool.clerk-lint]"
    else:
        table = doc
        where = str(path)
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: must be a table")
    return parse_table(table, where, base=path.parent.resolve(), source=path)


def _has_tool_table(path: Path) -> bool:
    try:
        doc = tomllib.loads(path.read_text("utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return isinstance(doc.get("tool"), dict) and "clerk-lint" in doc["tool"]


def discover(start: Path, stop: Path | None = None) -> Config:
    """Find the settings for a run that starts at ``start``: the nearest ``.clerk-lint.toml``, or
    ``pyproject.toml`` with a ``[tool.clerk-lint]`` table, in ``start`` or its parents (up to
    ``stop``, the repository root, when given). No file: the defaults."""
    directory = start if start.is_dir() else start.parent
    directory = directory.resolve()
    for candidate in (directory, *directory.parents):
        dedicated = candidate / CONFIG_FILE
        if dedicated.is_file():
            return load_file(dedicated)
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and _has_tool_table(pyproject):
            return load_file(pyproject)
        if stop is not None and candidate == stop:
            break
    return Config(base=directory)
