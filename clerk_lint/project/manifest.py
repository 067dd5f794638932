"""Which Clerk SDKs a project depends on, and at which versions.

JavaScript: ``package.json`` declares ranges; the nearest lockfile (``package-lock.json``,
``pnpm-lock.yaml``, ``yarn.lock`` or ``bun.lock``) pins the exact version installed for that
package, monorepo workspaces included. pnpm ``catalog:`` specs resolve through
``pnpm-workspace.yaml``.

Python: ``requirements*.txt`` and ``pyproject.toml`` (PEP 621, PEP 735 groups, Poetry) declare
requirements; ``poetry.lock`` / ``uv.lock`` pin them.

Everything here only *reads* files. Lockfiles are untrusted input: a malformed one never raises,
its dependencies simply stay unresolved (``exact=None``). Only an invalid ``package.json`` or
``pyproject.toml`` raises :class:`ManifestError`.
"""

from __future__ import annotations

import codecs
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Iterable, NamedTuple

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

__all__ = [
    "Dependency",
    "JsManifest",
    "LockfileCache",
    "ManifestError",
    "PyManifest",
    "Version",
    "lowest_version",
    "normalize_python_name",
    "read_package_json",
    "read_python_manifests",
]

#: Lockfile names, in the order they are looked for within one directory.
LOCKFILE_NAMES = ("package-lock.json", "pnpm-lock.yaml", "yarn.lock", "bun.lock")
#: Lockfiles larger than this are ignored (dependencies stay unresolved).
MAX_LOCKFILE_BYTES = 64 * 1024 * 1024


class ManifestError(Exception):
    """A manifest the user wrote (package.json, pyproject.toml) cannot be read.

    The message is one line naming the file and the problem.
    """


# --------------------------------------------------------------------------------------------
# Versions
# --------------------------------------------------------------------------------------------

_CORE_RE = re.compile(r"(\d+)(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?")
_EXTRA_NUMBERS_RE = re.compile(r"(?:\.\d+)+")
_PRE_RE = re.compile(r"[0-9A-Za-z.-]*")
_POST_RELEASE_RE = re.compile(r"(?:post|rev|r)\.?\d*")
_MAX_DIGITS = 18


@dataclass(frozen=True)
class Version:
    """A semver-ish version. A pre-release sorts before the release with the same numbers."""

    major: int
    minor: int
    patch: int
    pre: str = ""

    @classmethod
    def parse(cls, text: str) -> Version | None:
        """Parse ``"6.9.1"``, ``"v7.0.0-beta.3"``, ``"=5"``, ``"1.4rc1"``; None when no number leads."""
        parsed = _parse_version_parts(text)
        return parsed[0] if parsed else None

    def __str__(self) -> str:
        core = f"{self.major}.{self.minor}.{self.patch}"
        return f"{core}-{self.pre}" if self.pre else core

    def _sort_key(self) -> tuple:
        if not self.pre:
            release: tuple = (1,)
        else:
            release = (0, tuple(_pre_identifier_key(part) for part in self.pre.split(".")))
        return (self.major, self.minor, self.patch, release)

    def __lt__(self, other: Version) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self._sort_key() < other._sort_key()

    def __le__(self, other: Version) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self._sort_key() <= other._sort_key()

    def __gt__(self, other: Version) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self._sort_key() > other._sort_key()

    def __ge__(self, other: Version) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self._sort_key() >= other._sort_key()


def _pre_identifier_key(part: str) -> tuple[int, int, str]:
    """Semver precedence: numeric identifiers compare numerically and sort before alphanumeric ones."""
    if part.isdigit():
        return (0, int(part), "")
    return (1, 0, part)


def _parse_version_parts(text: str) -> tuple[Version, int] | None:
    """Parse a version; also return how many numeric components were written (1-3)."""
    if not isinstance(text, str):
        return None
    s = text.strip()[:256].lstrip("vV=").strip()
    epoch, bang, rest = s.partition("!")  # PEP 440 epoch "1!2.0"
    if bang and epoch.isdigit():
        s = rest
    match = _CORE_RE.match(s)
    if match is None:
        return None
    numbers: list[int] = []
    for group in match.groups():
        if group is None or not group.isdigit():
            break
        if len(group) > _MAX_DIGITS:
            return None
        numbers.append(int(group))
    count = len(numbers)
    numbers += [0] * (3 - count)
    pre = _prerelease(s[match.end():])
    return Version(numbers[0], numbers[1], numbers[2], pre), count


def _prerelease(rest: str) -> str:
    """The pre-release tag after the numbers: drop build metadata, extra numbers, post-releases."""
    rest = rest.split("+", 1)[0]
    extra = _EXTRA_NUMBERS_RE.match(rest)
    if extra:
        rest = rest[extra.end():]
    pre = _PRE_RE.match(rest.lstrip("-.")).group(0).strip(".-")  # type: ignore[union-attr]
    if _POST_RELEASE_RE.fullmatch(pre.lower()):
        return ""  # PEP 440 post-release ("1.0.post1", "1.0-r1") counts as the release
    return pre


# --------------------------------------------------------------------------------------------
# Ranges: the lowest version a spec admits
# --------------------------------------------------------------------------------------------

_COMPARATOR_RE = re.compile(r"(===|==|~=|>=|<=|!=|\^|~|>|<|=)?\s*([^\s,|<>=!~^]+)")
_HYPHEN_RANGE_RE = re.compile(r"\s+-\s+")
_NO_LOWER_BOUND = frozenset({"<", "<=", "!="})


def lowest_version(spec: str) -> Version | None:
    """The lowest version an npm range or PEP 440 / Poetry specifier admits.

    ``"^6.2.0"`` -> 6.2.0, ``">=4.29.3 <5"`` -> 4.29.3, ``"4 || 5"`` -> 4.0.0, ``"~=1.4"`` -> 1.4.0,
    ``"npm:@clerk/nextjs@^6.1.0"`` -> 6.1.0. None when unbounded below or not a version range
    (``"*"``, ``"latest"``, ``"workspace:*"``, ``"catalog:"``, git/file/link/URL specs).
    """
    text = _range_text(spec)
    if text is None:
        return None
    bounds = [_alternative_lowest(alternative) for alternative in text.split("||")]
    found = [bound for bound in bounds if bound is not None]
    return min(found) if found else None


def _range_text(spec: str) -> str | None:
    """Unwrap ``npm:`` aliases and ``workspace:``; None for non-registry protocols."""
    if not isinstance(spec, str):
        return None
    s = spec.strip()
    if s.startswith("npm:"):
        s = s[4:]
        at = s.rfind("@")
        if at > 0:
            s = s[at + 1:]
        elif s.startswith("@"):
            return None  # "npm:@scope/name" without a version
    elif s.startswith("workspace:"):
        s = s[len("workspace:"):]
    if ":" in s or "/" in s or "#" in s:
        return None  # catalog:, git, file:, link:, URLs, github shorthand
    return s


def _alternative_lowest(alternative: str) -> Version | None:
    """Lowest version of one ``||`` alternative: the highest of its lower bounds."""
    parts = _HYPHEN_RANGE_RE.split(alternative.strip(), maxsplit=1)
    best: Version | None = None
    for match in _COMPARATOR_RE.finditer(parts[0]):
        bound = _lower_bound(match.group(1) or "", match.group(2))
        if bound is not None and (best is None or bound > best):
            best = bound
    return best


def _lower_bound(op: str, version_text: str) -> Version | None:
    if op in _NO_LOWER_BOUND:
        return None
    parsed = _parse_version_parts(version_text)
    if parsed is None:
        return None
    version, count = parsed
    if op != ">":
        return version
    if version.pre:  # ">1.0.0-beta": the release itself is the lowest worth naming
        return Version(version.major, version.minor, version.patch)
    return _next_after(version, count)


def _next_after(version: Version, count: int) -> Version:
    """The lowest version strictly above a (possibly partial) version: ``>1.2`` -> 1.3.0."""
    if count == 1:
        return Version(version.major + 1, 0, 0)
    if count == 2:
        return Version(version.major, version.minor + 1, 0)
    return Version(version.major, version.minor, version.patch + 1)


_PNPM_V5_PATH_VERSION_RE = re.compile(r"/(\d[^/_]*)")


def _locked_version(value: object) -> Version | None:
    """A version as a lockfile writes it.

    Handles pnpm peer suffixes (``6.9.1(next@14.2.3)``, v5 ``4.29.3_react@18.2.0``), aliases
    (``npm:@clerk/nextjs@6.9.1``, ``@clerk/nextjs@6.9.1``, v5 ``/@clerk/nextjs/4.29.3``).
    ``link:``/``file:``/git values give None.
    """
    if not isinstance(value, str):
        return None
    text = value.strip().split("(", 1)[0]
    if text.startswith("npm:"):
        text = text[4:]
    if text.startswith("/"):  # pnpm v5 path: /name/version_peers
        match = _PNPM_V5_PATH_VERSION_RE.search(text)
        text = match.group(1) if match else ""
    elif not text[:1].isdigit() and "@" in text[1:]:
        text = text[text.rindex("@") + 1:]
    return Version.parse(text)  # stops at a v5 "_peer" suffix by itself


# --------------------------------------------------------------------------------------------
# Data model
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dependency:
    name: str  # "@clerk/nextjs", or a normalized Python name "clerk-backend-api"
    spec: str  # the declared range/specifier as written ("" if none)
    exact: Version | None  # resolved from a lockfile
    lowest: Version | None  # lowest_version(spec), after catalog resolution
    manifest: str  # the manifest file that declares it
    line: int  # 1-based line of the declaration in that manifest
    lockfile: str | None  # the lockfile that resolved `exact`
    dev: bool  # devDependencies / dev groups / dev requirement files

    @property
    def version(self) -> Version | None:
        return self.exact or self.lowest

    @property
    def exact_known(self) -> bool:
        return self.exact is not None


@dataclass
class JsManifest:
    path: str
    name: str | None
    dependencies: dict[str, Dependency]
    workspaces: list[str] = field(default_factory=list)

    def get(self, name: str) -> Dependency | None:
        return self.dependencies.get(name)


@dataclass
class PyManifest:
    path: str
    dependencies: dict[str, Dependency]

    def get(self, name: str) -> Dependency | None:
        return self.dependencies.get(normalize_python_name(name))


# --------------------------------------------------------------------------------------------
# Text helpers shared by every format
# --------------------------------------------------------------------------------------------


def _decode_text(data: bytes, errors: str = "replace") -> str:
    """Decode UTF-8 (with or without BOM) or UTF-16 LE/BE (BOM, or guessed from NUL bytes)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors)
    if data.startswith(codecs.BOM_UTF16_LE):
        return data[2:].decode("utf-16-le", errors)
    if data.startswith(codecs.BOM_UTF16_BE):
        return data[2:].decode("utf-16-be", errors)
    if len(data) >= 2 and data[0] == 0 and data[1] != 0:
        return data.decode("utf-16-be", errors)
    if len(data) >= 2 and data[1] == 0 and data[0] != 0:
        return data.decode("utf-16-le", errors)
    return data.decode("utf-8", errors)


def _lines(text: str) -> list[str]:
    """Split on newlines only (``str.splitlines`` also splits on form feeds etc., shifting lines)."""
    return [line.rstrip("\r") for line in text.split("\n")]


_JSON_STRUCTURE_RE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\]:\n]')


def _json_key_lines(text: str) -> dict[tuple[str, ...], int]:
    """Line of every object key at depth 1 and 2 of a JSON document, keyed by its key path.

    ``{"devDependencies": {"@clerk/nextjs": ...}}`` -> ``{("devDependencies",): 2,
    ("devDependencies", "@clerk/nextjs"): 3}``. Linear; the document must already be valid JSON.
    """
    lines: dict[tuple[str, ...], int] = {}
    stack: list[list[Any]] = []  # [container char, current key]
    line = 1
    last_string: str | None = None
    for token in _JSON_STRUCTURE_RE.finditer(text):
        tok = token.group(0)
        if tok == "\n":
            line += 1
            continue
        if tok[0] == '"':
            last_string = tok
            line += tok.count("\n")
            continue
        if tok == ":" and last_string is not None and stack and stack[-1][0] == "{":
            stack[-1][1] = json.loads(last_string)
            if len(stack) <= 2:
                lines[tuple(entry[1] for entry in stack)] = line
        elif tok in "{[":
            stack.append([tok, None])
        elif tok in "}]" and stack:
            stack.pop()
        last_string = None
    return lines


_JSONC_NOISE_RE = re.compile(
    r'("[^"\\]*(?:\\.[^"\\]*)*(?:"|\Z))'  # strings (kept; an unterminated one runs to the end)
    r"|//[^\n]*"  # line comments
    r"|/\*.*?(?:\*/|\Z)"  # block comments
    r"|,(?=\s*[}\]])",  # trailing commas
    re.S,
)


def _loads_jsonc(text: str) -> Any:
    """JSON with comments and trailing commas (bun.lock)."""
    return json.loads(_JSONC_NOISE_RE.sub(lambda m: m.group(1) or "", text))


# --------------------------------------------------------------------------------------------
# A small YAML reader: block mappings of scalars, enough for pnpm files
# --------------------------------------------------------------------------------------------


def _read_yaml_mappings(text: str, wanted: frozenset[str]) -> dict[str, Any]:
    """Read the block mappings under the top-level keys in ``wanted``.

    Nested ``key: value`` lines become nested dicts of strings. Sequences, block scalars and
    lines that are not ``key: value`` are skipped together with everything indented below them.
    Flow collections (``{a: 1}``) are kept as raw strings. Linear in the size of the text.
    """
    root: dict[str, Any] = {}
    stack: list[tuple[int, dict[str, Any]]] = [(-1, root)]
    skip_deeper_than: int | None = None
    for raw in text.split("\n"):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        if skip_deeper_than is not None:
            if indent > skip_deeper_than:
                continue
            skip_deeper_than = None
        entry = _yaml_key_value(stripped)
        if entry is None or (indent == 0 and entry[0] not in wanted):
            skip_deeper_than = indent
            continue
        key, value = entry
        while stack[-1][0] >= indent:
            stack.pop()
        parent = stack[-1][1]
        if value is None:
            child: dict[str, Any] = {}
            parent[key] = child
            stack.append((indent, child))
        else:
            parent[key] = value
            if value[:1] in ("|", ">"):
                skip_deeper_than = indent  # block scalar body
    return root


def _yaml_key_value(line: str) -> tuple[str, str | None] | None:
    """Split ``key: value`` (either side may be quoted); value None opens a nested mapping."""
    if line.startswith(("- ", "---", "...")) or line == "-":
        return None
    if line[0] in "'\"":
        end = _closing_quote(line)
        if end < 0:
            return None
        key = _unquote(line[: end + 1])
        rest = line[end + 1:].lstrip()
        if not rest.startswith(":"):
            return None
        value = rest[1:]
    else:
        colon = line.find(": ")
        if colon >= 0:
            key, value = line[:colon].rstrip(), line[colon + 2:]
        elif line.endswith(":"):
            key, value = line[:-1].rstrip(), ""
        else:
            return None
    return key, _yaml_scalar(value)


def _yaml_scalar(value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    if value[0] in "'\"":
        end = _closing_quote(value)
        return _unquote(value[: end + 1]) if end > 0 else value
    comment = value.find(" #")
    return value[:comment].rstrip() if comment >= 0 else value


def _closing_quote(text: str) -> int:
    """Index of the quote closing the one at text[0], or -1 (YAML: '' inside '...', \\" inside "...")."""
    quote = text[0]
    i = 1
    while i < len(text):
        char = text[i]
        if quote == '"' and char == "\\":
            i += 2
            continue
        if char == quote:
            if quote == "'" and text[i + 1: i + 2] == "'":
                i += 2
                continue
            return i
        i += 1
    return -1


def _unquote(text: str) -> str:
    if text.startswith("'"):
        return text[1:-1].replace("''", "'")
    try:
        return str(json.loads(text))
    except ValueError:
        return text[1:-1]


# --------------------------------------------------------------------------------------------
# Lockfiles
# --------------------------------------------------------------------------------------------


class _Lockfile:
    """One parsed lockfile. ``importer`` is the package dir relative to the lockfile dir ('.' = root)."""

    def resolve(self, importer: str, name: str, spec: str) -> Version | None:
        raise NotImplementedError


class _NpmLock(_Lockfile):
    """package-lock.json: v2/v3 ``packages`` (workspace-aware), v1 ``dependencies``."""

    def __init__(self, data: dict[str, Any]) -> None:
        packages = data.get("packages")
        legacy = data.get("dependencies")
        self._packages = packages if isinstance(packages, dict) else {}
        self._legacy = legacy if isinstance(legacy, dict) else {}

    def resolve(self, importer: str, name: str, spec: str) -> Version | None:
        keys = [f"node_modules/{name}"]
        if importer != ".":
            keys.insert(0, f"{importer}/node_modules/{name}")
        for key in keys:
            entry = self._packages.get(key)
            if isinstance(entry, dict):
                return _locked_version(self._follow_link(entry).get("version"))
        entry = self._legacy.get(name)
        if isinstance(entry, dict):
            return _locked_version(entry.get("version"))
        return None

    def _follow_link(self, entry: dict[str, Any]) -> dict[str, Any]:
        target = entry.get("resolved")
        if entry.get("link") and isinstance(target, str):
            linked = self._packages.get(target)
            if isinstance(linked, dict):
                return linked
        return entry


_PNPM_DEPENDENCY_SECTIONS = ("dependencies", "devDependencies", "optionalDependencies")


class _PnpmLock(_Lockfile):
    """pnpm-lock.yaml, lockfileVersion 5.x, 6.x and 9.x."""

    def __init__(self, text: str) -> None:
        tree = _read_yaml_mappings(text, frozenset(("importers", *_PNPM_DEPENDENCY_SECTIONS)))
        importers = tree.get("importers")
        if isinstance(importers, dict) and importers:
            self._importers: dict[str, Any] = importers
        else:  # single-project lockfile: the sections sit at the top level
            self._importers = {".": tree}

    def resolve(self, importer: str, name: str, spec: str) -> Version | None:
        entry = self._importers.get(importer)
        if not isinstance(entry, dict):
            return None
        for section in _PNPM_DEPENDENCY_SECTIONS:
            deps = entry.get(section)
            if isinstance(deps, dict) and name in deps:
                value = deps[name]
                if isinstance(value, dict):  # v6+/v9: {specifier: ..., version: ...}
                    value = value.get("version")
                return _locked_version(value)
        return None


class _YarnEntry(NamedTuple):
    ranges: frozenset[str]
    version: str


class _YarnLock(_Lockfile):
    """yarn.lock, v1 (``version "6.9.1"``) and berry (``version: 6.9.1``)."""

    def __init__(self, text: str) -> None:
        self._entries: dict[str, list[_YarnEntry]] = {}
        descriptors: dict[str, set[str]] | None = None
        for line in text.split("\n"):
            line = line.rstrip("\r")
            if not line or line.startswith("#"):
                continue
            if not line[0].isspace():
                descriptors = _yarn_descriptors(line[:-1]) if line.endswith(":") else None
                continue
            version = _yarn_entry_version(line) if descriptors else None
            if descriptors and version is not None:
                for name, ranges in descriptors.items():
                    self._entries.setdefault(name, []).append(_YarnEntry(frozenset(ranges), version))
                descriptors = None

    def resolve(self, importer: str, name: str, spec: str) -> Version | None:
        entries = self._entries.get(name, [])
        wanted = {spec, f"npm:{spec}"}
        for entry in entries:
            if entry.ranges & wanted:
                return _locked_version(entry.version)
        versions = {entry.version for entry in entries}
        return _locked_version(versions.pop()) if len(versions) == 1 else None


def _yarn_descriptors(header: str) -> dict[str, set[str]] | None:
    """``"@clerk/nextjs@^6.0.0", "@clerk/nextjs@^6.1.0"`` -> ``{"@clerk/nextjs": {"^6.0.0", "^6.1.0"}}``."""
    result: dict[str, set[str]] = {}
    for raw in header.split(","):
        descriptor = raw.strip().strip("\"'")
        at = descriptor.find("@", 1)
        if at > 0:
            result.setdefault(descriptor[:at], set()).add(descriptor[at + 1:])
    return result or None


def _yarn_entry_version(line: str) -> str | None:
    """The version from an entry's own ``version`` field (indent 2), not a dependency named so."""
    if not line.startswith("  ") or line[2:3].isspace():
        return None
    body = line[2:]
    if not body.startswith(("version ", "version:")):
        return None
    return body[len("version"):].lstrip(":").strip().strip("\"'")


class _BunLock(_Lockfile):
    """bun.lock (JSONC): ``workspaces`` by path, ``packages`` by (workspace-name-prefixed) name."""

    def __init__(self, data: dict[str, Any]) -> None:
        workspaces = data.get("workspaces")
        packages = data.get("packages")
        self._workspaces = workspaces if isinstance(workspaces, dict) else {}
        self._packages = packages if isinstance(packages, dict) else {}

    def resolve(self, importer: str, name: str, spec: str) -> Version | None:
        workspace = self._workspaces.get("" if importer == "." else importer)
        workspace_name = workspace.get("name") if isinstance(workspace, dict) else None
        keys = [name]
        if isinstance(workspace_name, str) and workspace_name:
            keys.insert(0, f"{workspace_name}/{name}")
        for key in keys:
            entry = self._packages.get(key)
            if isinstance(entry, list) and entry:
                return _locked_version(entry[0])
        return None


def _parse_lockfile(file_name: str, text: str) -> _Lockfile | None:
    """Parse a lockfile by its name; None when it is malformed."""
    try:
        if file_name == "pnpm-lock.yaml":
            return _PnpmLock(text)
        if file_name == "yarn.lock":
            return _YarnLock(text)
        data = json.loads(text) if file_name == "package-lock.json" else _loads_jsonc(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    return _NpmLock(data) if file_name == "package-lock.json" else _BunLock(data)


def _read_small_file(path: Path) -> str | None:
    try:
        if path.stat().st_size > MAX_LOCKFILE_BYTES:
            return None
        return _decode_text(path.read_bytes())
    except OSError:
        return None


class _PnpmCatalogs:
    """``catalog:`` (default) and ``catalogs:`` (named) from pnpm-workspace.yaml."""

    def __init__(self, text: str) -> None:
        tree = _read_yaml_mappings(text, frozenset(("catalog", "catalogs")))
        named = tree.get("catalogs")
        self._catalogs: dict[str, Any] = dict(named) if isinstance(named, dict) else {}
        default = tree.get("catalog")
        if isinstance(default, dict):
            self._catalogs["default"] = default

    def spec_for(self, name: str, spec: str) -> str | None:
        catalog = self._catalogs.get(spec[len("catalog:"):].strip() or "default")
        value = catalog.get(name) if isinstance(catalog, dict) else None
        return value if isinstance(value, str) else None


class LockfileCache:
    """Parses each lockfile (and pnpm-workspace.yaml) at most once; share one per run."""

    def __init__(self) -> None:
        self._dir_lockfile: dict[str, Path | None] = {}
        self._lockfiles: dict[str, _Lockfile | None] = {}
        self._catalogs: dict[str, _PnpmCatalogs | None] = {}

    def lockfile_for(self, search_dirs: Iterable[Path]) -> Path | None:
        """The first lockfile found walking ``search_dirs`` in order."""
        for directory in search_dirs:
            found = self._lockfile_in(Path(directory))
            if found is not None:
                return found
        return None

    def load(self, path: Path) -> _Lockfile | None:
        key = str(path)
        if key not in self._lockfiles:
            text = _read_small_file(path)
            self._lockfiles[key] = None if text is None else _parse_lockfile(path.name, text)
        return self._lockfiles[key]

    def catalog_spec(self, search_dirs: Iterable[Path], name: str, spec: str) -> str | None:
        """Resolve a pnpm ``catalog:`` spec through the nearest pnpm-workspace.yaml."""
        for directory in search_dirs:
            workspace_file = Path(directory) / "pnpm-workspace.yaml"
            key = str(workspace_file)
            if key not in self._catalogs:
                text = _read_small_file(workspace_file)
                self._catalogs[key] = _PnpmCatalogs(text) if text is not None else None
            catalogs = self._catalogs[key]
            if catalogs is not None:
                return catalogs.spec_for(name, spec)
        return None

    def _lockfile_in(self, directory: Path) -> Path | None:
        key = str(directory)
        if key not in self._dir_lockfile:
            candidates = (directory / name for name in LOCKFILE_NAMES)
            self._dir_lockfile[key] = next((c for c in candidates if c.is_file()), None)
        return self._dir_lockfile[key]


# --------------------------------------------------------------------------------------------
# package.json
# --------------------------------------------------------------------------------------------

_JS_SECTIONS = (("dependencies", False), ("optionalDependencies", False), ("devDependencies", True))


def read_package_json(
    path: Path,
    data: bytes,
    lockfile_search_dirs: list[Path],
    cache: LockfileCache | None = None,
) -> JsManifest:
    """Read one package.json and resolve its dependencies against the nearest lockfile.

    ``lockfile_search_dirs``: the package.json's directory, then its ancestors up to the scan or
    workspace root. Raises :class:`ManifestError` when the package.json itself is unreadable.
    """
    cache = cache if cache is not None else LockfileCache()
    text, document = _load_package_json(path, data)
    key_lines = _json_key_lines(text)
    lock_path = cache.lockfile_for(lockfile_search_dirs)
    lock = cache.load(lock_path) if lock_path is not None else None
    importer = _importer_key(Path(path).parent, lock_path.parent) if lock_path is not None else None

    dependencies: dict[str, Dependency] = {}
    for section, dev in _JS_SECTIONS:
        table = document.get(section)
        if not isinstance(table, dict):
            continue
        for name, spec in table.items():
            if name in dependencies or not isinstance(spec, str):
                continue
            exact = lock.resolve(importer, name, spec) if lock and importer else None
            range_spec = spec
            if spec.startswith("catalog:"):
                range_spec = cache.catalog_spec(lockfile_search_dirs, name, spec) or spec
            dependencies[name] = Dependency(
                name=name,
                spec=spec,
                exact=exact,
                lowest=lowest_version(range_spec),
                manifest=str(path),
                line=key_lines.get((section, name)) or key_lines.get((section,)) or 1,
                lockfile=str(lock_path) if exact is not None else None,
                dev=dev,
            )
    package_name = document.get("name")
    return JsManifest(
        path=str(path),
        name=package_name if isinstance(package_name, str) else None,
        dependencies=dependencies,
        workspaces=_workspace_globs(document.get("workspaces")),
    )


def _load_package_json(path: Path, data: bytes) -> tuple[str, dict[str, Any]]:
    try:
        text = _decode_text(data, errors="strict")
    except UnicodeDecodeError as error:
        raise ManifestError(f"{path}: not valid UTF-8 text ({error.reason} at byte {error.start})") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ManifestError(
            f"{path}: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    except RecursionError:
        raise ManifestError(f"{path}: invalid JSON: nested too deeply") from None
    if not isinstance(document, dict):
        raise ManifestError(f"{path}: expected a JSON object at the top level, found {type(document).__name__}")
    return text, document


def _importer_key(package_dir: Path, lock_dir: Path) -> str | None:
    """The package dir relative to the lockfile dir, POSIX style, '.' for the same dir."""
    try:
        relative = os.path.relpath(os.path.abspath(package_dir), os.path.abspath(lock_dir))
    except ValueError:  # different drives on Windows
        return None
    relative = relative.replace(os.sep, "/")
    return None if relative == ".." or relative.startswith("../") else relative


def _workspace_globs(value: object) -> list[str]:
    """``"workspaces": [...]`` or yarn's ``{"packages": [...]}``."""
    if isinstance(value, dict):
        value = value.get("packages")
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, str)]


# --------------------------------------------------------------------------------------------
# Python
# --------------------------------------------------------------------------------------------

_REQUIREMENT_RE = re.compile(r"\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(.*)", re.S)
_REQ_COMMENT_RE = re.compile(r"(?:^|\s)#.*")
_REQ_OPTION_RE = re.compile(r"\s--?[A-Za-z]")
_NAME_TOKEN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_DEV_NAME_RE = re.compile(r"(?:^|[-_./])(?:dev|devel|develop|test|tests|testing|lint|docs?|ci|typing)(?:[-_.]|$)")
_PYTHON_LOCKFILES = ("poetry.lock", "uv.lock")


class _Declared(NamedTuple):
    """One requirement as declared, before lockfile resolution."""

    name: str
    spec: str
    manifest: str
    line: int
    dev: bool


def normalize_python_name(name: str) -> str:
    """PEP 503: lowercase, runs of ``-``, ``_``, ``.`` become one ``-``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_python_manifests(dir: Path, files: dict[str, bytes]) -> PyManifest | None:
    """Read the Python manifests of one directory.

    ``files`` maps names relative to ``dir`` (``requirements*.txt``, ``requirements/*.txt``,
    ``pyproject.toml``, ``poetry.lock``, ``uv.lock``) to their bytes. None when nothing there
    declares dependencies. Raises :class:`ManifestError` for an invalid pyproject.toml.
    """
    requirement_files = sorted(name for name in files if _is_requirements_file(name))
    has_pyproject = "pyproject.toml" in files
    if not requirement_files and not has_pyproject:
        return None
    declared: list[_Declared] = []
    if has_pyproject:
        declared += _pyproject_requirements(str(dir / "pyproject.toml"), files["pyproject.toml"])
    for name in requirement_files:
        declared += _requirements_file(str(dir / name), files[name], dev=_looks_dev(name))
    locks = _python_locks(dir, files)

    dependencies: dict[str, Dependency] = {}
    for item in sorted(declared, key=lambda d: d.dev):  # runtime declarations win over dev ones
        name = normalize_python_name(item.name)
        if name in dependencies:
            continue
        exact, lockfile = _python_locked(locks, name)
        dependencies[name] = Dependency(
            name=name,
            spec=item.spec,
            exact=exact,
            lowest=lowest_version(item.spec),
            manifest=item.manifest,
            line=item.line,
            lockfile=lockfile,
            dev=item.dev,
        )
    main = "pyproject.toml" if has_pyproject else requirement_files[0]
    return PyManifest(path=str(dir / main), dependencies=dependencies)


def _is_requirements_file(name: str) -> bool:
    path = PurePosixPath(name)
    if path.suffix.lower() != ".txt":
        return False
    return "requirements" in path.name.lower() or (len(path.parts) == 2 and path.parts[0] == "requirements")


def _looks_dev(name: str) -> bool:
    return bool(_DEV_NAME_RE.search(PurePosixPath(name.lower()).with_suffix("").as_posix()))


def _parse_requirement(text: str) -> tuple[str, str] | None:
    """PEP 508 ``name[extras] specifier ; markers`` -> (name, specifier). None if not one."""
    match = _REQUIREMENT_RE.match(text.split(";", 1)[0])
    if match is None:
        return None
    name, spec = match.group(1), match.group(3).strip()
    if spec and spec[0] not in "<>=!~@(":
        return None
    if spec.startswith("(") and spec.endswith(")"):
        spec = spec[1:-1].strip()
    return name, spec


def _requirements_file(manifest: str, data: bytes, dev: bool) -> list[_Declared]:
    result = []
    for line_number, logical in _requirement_lines(_decode_text(data)):
        parsed = _parse_requirement(logical)
        if parsed is not None:
            result.append(_Declared(parsed[0], parsed[1], manifest, line_number, dev))
    return result


def _requirement_lines(text: str) -> Iterable[tuple[int, str]]:
    """(first line number, logical line) with continuations joined; comments/options dropped."""
    start, pending = 0, ""
    for index, line in enumerate(_lines(text), start=1):
        if not pending:
            start = index
        if line.endswith("\\") and not line.lstrip().startswith("#"):
            pending += line[:-1] + " "
            continue
        logical, pending = _REQ_COMMENT_RE.sub("", pending + line).strip(), ""
        option = _REQ_OPTION_RE.search(logical)
        if option:
            logical = logical[: option.start()].strip()
        if logical and not logical.startswith("-"):
            yield start, logical
    if pending.strip() and not pending.lstrip().startswith("-"):
        yield start, _REQ_COMMENT_RE.sub("", pending).strip()


def _pyproject_requirements(manifest: str, data: bytes) -> list[_Declared]:
    text = _decode_text(data)
    try:
        document = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as error:
        reason = (str(error).splitlines() or ["cannot parse"])[0]
        raise ManifestError(f"{manifest}: invalid TOML: {reason}") from None
    lines = _lines(text)
    result: list[_Declared] = []

    def add(requirement: object, header: str, key: str | None, dev: bool) -> None:
        parsed = _parse_requirement(requirement) if isinstance(requirement, str) else None
        if parsed is not None:
            line = _declared_line(lines, normalize_python_name(parsed[0]), header, key)
            result.append(_Declared(parsed[0], parsed[1], manifest, line, dev))

    project = _table(document, "project")
    for requirement in _list(project.get("dependencies")):
        add(requirement, "project", "dependencies", False)
    for extra, requirements in _table(project, "optional-dependencies").items():
        for requirement in _list(requirements):
            add(requirement, "project.optional-dependencies", extra, _looks_dev(extra))
    for group, requirements in _table(document, "dependency-groups").items():
        for requirement in _list(requirements):
            add(requirement, "dependency-groups", group, True)
    for header, table, dev in _poetry_dependency_tables(document):
        for name, value in table.items():
            if name.lower() != "python":
                spec = _poetry_spec(value)
                line = _declared_line(lines, normalize_python_name(name), header, None)
                result.append(_Declared(name, spec, manifest, line, dev))
    return result


def _poetry_dependency_tables(document: dict[str, Any]) -> Iterable[tuple[str, dict[str, Any], bool]]:
    """(TOML header, table, dev) for Poetry's main, legacy dev and group dependency tables."""
    poetry = _table(_table(document, "tool"), "poetry")
    yield "tool.poetry.dependencies", _table(poetry, "dependencies"), False
    yield "tool.poetry.dev-dependencies", _table(poetry, "dev-dependencies"), True
    for group, body in _table(poetry, "group").items():
        if isinstance(body, dict):
            yield f"tool.poetry.group.{group}.dependencies", _table(body, "dependencies"), group != "main"


def _poetry_spec(value: object) -> str:
    """``"^1.4"``, ``{version = "^1.4", extras = [...]}``, or a list of such constraints."""
    if isinstance(value, list):
        value = next((item for item in value if isinstance(item, dict) and "version" in item), None)
    if isinstance(value, dict):
        value = value.get("version")
    return value if isinstance(value, str) else ""


def _table(container: dict[str, Any], key: str) -> dict[str, Any]:
    value = container.get(key)
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _declared_line(lines: list[str], name: str, header: str, key: str | None) -> int:
    """1-based line declaring ``name``: searched from the TOML table ``[header]`` (and its ``key =``
    line when given), then from the top of the file; 1 when it cannot be found."""
    start = _toml_header_index(lines, header)
    if start >= 0 and key is not None:
        key_line = _toml_key_index(lines, start + 1, key)
        if key_line >= 0:
            start = key_line
    return _name_line(lines, name, max(start, 0)) or _name_line(lines, name, 0) or 1


def _toml_header_index(lines: list[str], header: str) -> int:
    wanted = f"[{header}]"
    for index, line in enumerate(lines):
        if re.sub(r"[\s\"']", "", line.split("#", 1)[0]) == wanted:
            return index
    return -1


def _toml_key_index(lines: list[str], start: int, key: str) -> int:
    pattern = re.compile(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for index in range(start, len(lines)):
        if lines[index].lstrip().startswith("["):
            break
        if pattern.match(lines[index]):
            return index
    return -1


def _name_line(lines: list[str], name: str, start: int) -> int | None:
    for index in range(start, len(lines)):
        line = lines[index]
        if line.lstrip().startswith("#"):
            continue
        if any(normalize_python_name(token) == name for token in _NAME_TOKEN_RE.findall(line)):
            return index + 1
    return None


def _python_locks(dir: Path, files: dict[str, bytes]) -> list[tuple[str, dict[str, set[str]]]]:
    """(lockfile path, normalized name -> versions) for poetry.lock and uv.lock, malformed ones skipped."""
    locks = []
    for lock_name in _PYTHON_LOCKFILES:
        if lock_name in files:
            versions = _python_lock_versions(files[lock_name])
            if versions is not None:
                locks.append((str(dir / lock_name), versions))
    return locks


def _python_lock_versions(data: bytes) -> dict[str, set[str]] | None:
    try:
        document = tomllib.loads(_decode_text(data))
    except (tomllib.TOMLDecodeError, RecursionError):
        return None
    versions: dict[str, set[str]] = {}
    for package in _list(document.get("package")):
        if isinstance(package, dict):
            name, version = package.get("name"), package.get("version")
            if isinstance(name, str) and isinstance(version, str):
                versions.setdefault(normalize_python_name(name), set()).add(version)
    return versions


def _python_locked(
    locks: list[tuple[str, dict[str, set[str]]]], name: str
) -> tuple[Version | None, str | None]:
    """The exact locked version of ``name``; None when absent or locked at several versions."""
    for lock_path, versions in locks:
        found = versions.get(name)
        if found:
            exact = Version.parse(next(iter(found))) if len(found) == 1 else None
            return exact, lock_path if exact is not None else None
    return None, None
