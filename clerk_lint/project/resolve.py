"""Which file an import specifier refers to.

Follows TypeScript's ``bundler``/``node`` module resolution as Next.js applies it, far enough to
take a rule from ``import { requireAdmin } from "@/lib/auth"`` to the file that defines it:

* relative specifiers (``./x``, ``../lib/auth``, ``./x.js`` meaning ``x.ts``), directory
  ``package.json`` entry fields and ``index`` files;
* ``compilerOptions.paths`` and ``baseUrl`` of the nearest ``tsconfig.json`` / ``jsconfig.json``,
  ``extends`` chains included (TS 4.1+ semantics: ``paths`` without ``baseUrl`` are relative to
  the config that defines them; TS 5.5 ``${configDir}``);
* ``package.json`` ``imports`` (``#internal/x``);
* the packages of a monorepo's workspaces (``@acme/auth/server``), through their ``exports``,
  preferring a ``src/`` source file over its built twin in ``dist/``.

Packages installed in ``node_modules`` are never followed: a rule that meets ``@clerk/nextjs``
knows what it is by name. Every config read here is untrusted input: a malformed one is treated
as absent and never raises. Everything is computed lazily and cached for the run.
"""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from clerk_lint.project.manifest import (
    _JSONC_NOISE_RE,
    _decode_text,
    _loads_jsonc,
    _workspace_globs,
    _yaml_scalar,
)

__all__ = ["ModuleResolver", "SOURCE_EXTENSIONS"]

#: Extensions tried, in order, for a specifier written without one (declaration files never).
SOURCE_EXTENSIONS = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")
_TS_EXTENSIONS = frozenset((".ts", ".tsx", ".mts", ".cts"))
#: A specifier written with a JS extension names the TS source compiled to it.
_JS_TWINS = {".js": (".ts", ".tsx"), ".jsx": (".tsx",), ".mjs": (".mts",), ".cjs": (".cts",)}
_EXACT_ONLY = _TS_EXTENSIONS | {".json"}
_DECLARATION_SUFFIXES = (".d.ts", ".d.mts", ".d.cts")
_OUTPUT_SUFFIXES = _DECLARATION_SUFFIXES + (".js", ".jsx", ".mjs", ".cjs")
#: Config files looked for in each directory, the first present (and readable) one wins.
_CONFIG_NAMES = ("tsconfig.json", "jsconfig.json")
#: package.json fields naming a package's entry point, the most source-like first.
_ENTRY_FIELDS = ("source", "module", "main", "types", "typings")
#: Build output folders whose files may have a source twin under ``src/``.
_BUILD_DIRS = frozenset(("dist", "build", "out", "lib"))
#: Module-format folders inside a build folder (``dist/esm/index.js`` -> ``src/index.ts``).
_FORMAT_DIRS = frozenset(("esm", "cjs", "mjs", "es", "commonjs", "module", "types", "typings", "umd"))
_DEFAULT_WORKSPACES = ("apps/*", "packages/*")
_MAX_EXTENDS_DEPTH = 32
_MAX_CONDITION_DEPTH = 16
_MAX_GLOB_DEPTH = 8
_MAX_GLOB_LISTINGS = 5000
_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_CONFIG_DIR = "${configDir}"


def _default_read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _parse_jsonc(text: str) -> Any:
    """JSON with comments and trailing commas, as tsconfig.json allows."""
    try:
        return _loads_jsonc(text)
    except ValueError:
        # _loads_jsonc keeps a trailing comma that a comment follows (`"a": 1, // note` + `}`):
        # its single pass looks past the comma before the comment is gone. A second pass over
        # the comment-free text drops it.
        return _loads_jsonc(_JSONC_NOISE_RE.sub(lambda match: match.group(1) or "", text))


def _normalize(path: Path) -> Path:
    """Lexically collapse ``.`` and ``..`` (as TypeScript does, before touching the disk)."""
    return Path(os.path.normpath(path))


def _is_relative(specifier: str) -> bool:
    return specifier in (".", "..") or specifier.startswith(("./", "../", "/"))


def _directory_only(specifier: str) -> bool:
    """``./dir/``, ``.`` and ``..`` name a directory, never a file."""
    return specifier in (".", "..") or specifier.endswith(("/", "/.", "/.."))


def _strip_suffix(name: str, suffixes: Iterable[str]) -> str | None:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return None


def _is_declaration(path: Path) -> bool:
    return _strip_suffix(path.name, _DECLARATION_SUFFIXES) is not None


def _split_package(specifier: str) -> tuple[str, str] | None:
    """``@acme/auth/server`` -> (``@acme/auth``, ``./server``); ``utils`` -> (``utils``, ``.``)."""
    parts = specifier.split("/")
    count = 2 if specifier.startswith("@") else 1
    if len(parts) < count or not all(parts[:count]) or parts[0] in (".", ".."):
        return None
    rest = "/".join(parts[count:])
    return "/".join(parts[:count]), f"./{rest}" if rest else "."


@dataclass(frozen=True)
class _PathsConfig:
    """The module options of one tsconfig/jsconfig, its ``extends`` chain applied."""

    config_dir: Path
    base_url: Path | None
    paths: tuple[tuple[str, tuple[str, ...]], ...]
    paths_base: Path  # substitutions are relative to this: baseUrl, else the config defining paths

    def substitution_path(self, substitution: str) -> Path:
        if substitution.startswith(_CONFIG_DIR):
            return _normalize(self.config_dir / substitution[len(_CONFIG_DIR):].lstrip("/\\"))
        return _normalize(self.paths_base / substitution)


class ModuleResolver:
    """Resolves import specifiers to source files; one per run, every answer cached."""

    def __init__(self, root: Path, read_bytes: Callable[[Path], bytes | None] | None = None) -> None:
        self.root = Path(root).resolve()
        self._read_bytes = read_bytes or _default_read_bytes
        self._cache: dict[tuple[Path, str], Path | None] = {}
        self._json: dict[Path, dict[str, Any] | None] = {}
        self._is_file_cache: dict[Path, bool] = {}
        self._is_dir_cache: dict[Path, bool] = {}
        self._config_by_dir: dict[Path, _PathsConfig | None] = {}
        self._config_by_file: dict[Path, _PathsConfig] = {}
        self._chain_options: dict[Path, dict[str, tuple[Any, Path]]] = {}
        self._scope_by_dir: dict[Path, Path | None] = {}
        self._workspaces_by_root: dict[Path | None, dict[str, Path]] = {}
        self._workspace_root_cache: dict[Path, Path | None] = {}

    # -- the question ----------------------------------------------------------------------------

    def resolve(self, importer: Path, specifier: str) -> Path | None:
        """The source file an import specifier in `importer` refers to, or None (a package in node_modules,
        a builtin, or not found)."""
        key = (Path(importer).parent, specifier)
        if key in self._cache:
            return self._cache[key]
        try:
            found = self._resolve(key[0].resolve(), specifier)
            result = self._finish(found)
        except (OSError, ValueError, RecursionError):
            result = None
        self._cache[key] = result
        return result

    def _resolve(self, directory: Path, specifier: str) -> Path | None:
        if not isinstance(specifier, str) or not specifier.strip() or "\0" in specifier:
            return None
        if _is_relative(specifier):
            path = _normalize(directory / specifier)
            return self._load_path(path, _directory_only(specifier))
        if _SCHEME_RE.match(specifier):
            return None  # node:fs, https://..., data:, virtual modules
        return self._resolve_bare(directory, specifier)

    def _finish(self, found: Path | None) -> Path | None:
        if found is None or self._in_node_modules(found):
            return None
        resolved = found.resolve()
        if self._in_node_modules(resolved) or not resolved.is_file():
            return None
        return resolved

    def _in_node_modules(self, path: Path) -> bool:
        try:
            parts = path.relative_to(self.root).parts
        except ValueError:
            parts = path.parts
        return "node_modules" in parts

    # -- files and directories -------------------------------------------------------------------

    def _is_file(self, path: Path) -> bool:
        known = self._is_file_cache.get(path)
        if known is None:
            known = self._is_file_cache[path] = os.path.isfile(path)
        return known

    def _is_dir(self, path: Path) -> bool:
        known = self._is_dir_cache.get(path)
        if known is None:
            known = self._is_dir_cache[path] = os.path.isdir(path)
        return known

    def _load_path(self, path: Path, directory_only: bool = False) -> Path | None:
        if not directory_only:
            found = self._load_file(path)
            if found is not None:
                return found
        return self._load_directory(path)

    def _load_file(self, path: Path) -> Path | None:
        """``path`` as written (with an extension), its TS twin, or with an extension added."""
        name = path.name
        if not name or name in (".", ".."):
            return None
        suffix = path.suffix.lower()
        twins = _JS_TWINS.get(suffix)
        if twins is not None:
            stem = name[: -len(suffix)]
            for extension in twins:
                candidate = path.with_name(stem + extension)
                if self._is_file(candidate):
                    return candidate
            if self._is_file(path):
                return path
            if suffix == ".js" and self._is_file(path.with_name(stem + ".jsx")):
                return path.with_name(stem + ".jsx")
            return None
        if suffix in _EXACT_ONLY:
            return path if self._is_file(path) else None
        for extension in SOURCE_EXTENSIONS:  # "./auth.config" -> auth.config.ts
            candidate = path.with_name(name + extension)
            if self._is_file(candidate):
                return candidate
        if suffix and self._is_file(path):  # "./styles.css", "./data.yaml"
            return path
        return None

    def _load_directory(self, path: Path, use_package_json: bool = True) -> Path | None:
        if not self._is_dir(path):
            return None
        if use_package_json:
            document = self._package_json(path)
            if document is not None:
                for field in _ENTRY_FIELDS:
                    found = self._entry(path, document.get(field))
                    if found is not None:
                        return found
        return self._load_index(path)

    def _load_index(self, directory: Path) -> Path | None:
        for extension in SOURCE_EXTENSIONS:
            candidate = directory / f"index{extension}"
            if self._is_file(candidate):
                return candidate
        return None

    def _entry(self, package_dir: Path, target: object) -> Path | None:
        """A package.json entry target (a field or an ``exports`` target), as a source file when
        it names build output whose source is in the package too."""
        if not isinstance(target, str) or not target.strip() or _SCHEME_RE.match(target):
            return None
        path = _normalize(package_dir / target)
        if path == package_dir:  # "main": "." or "./"
            return self._load_index(path)
        for twin in self._source_twins(package_dir, path):
            found = self._load_file(twin) or self._load_directory(twin, use_package_json=False)
            if found is not None:
                return found
        declared = _strip_suffix(path.name, _DECLARATION_SUFFIXES)
        if declared is not None:  # "./index.d.ts": the source beside it, never the declarations
            return self._load_file(path.with_name(declared))
        return self._load_file(path) or self._load_directory(path, use_package_json=False)

    def _source_twins(self, package_dir: Path, target: Path) -> list[Path]:
        """``dist/index.mjs`` -> ``src/index``; ``dist/esm/auth.d.ts`` -> ``src/esm/auth``, ``src/auth``."""
        try:
            parts = target.relative_to(package_dir).parts
        except ValueError:
            return []
        if not parts or parts[0] not in _BUILD_DIRS:
            return []
        rest = list(parts[1:])
        if rest:
            rest[-1] = _strip_suffix(rest[-1], _OUTPUT_SUFFIXES) or rest[-1]
        variants = [rest]
        if len(rest) > 1 and rest[0] in _FORMAT_DIRS:
            variants.append(rest[1:])
        twins = []
        for variant in variants:
            twin_parts = variant if variant and variant[0] == "src" else ["src", *variant]
            twins.append(package_dir.joinpath(*twin_parts))
        return twins

    # -- JSON files ------------------------------------------------------------------------------

    def _read_json(self, path: Path) -> dict[str, Any] | None:
        """A JSON (with comments) object read once; None when absent, unreadable or malformed."""
        if path in self._json:
            return self._json[path]
        document = None
        data = self._read_bytes(path)
        if data is not None:
            try:
                parsed = _parse_jsonc(_decode_text(data))
            except (ValueError, RecursionError):
                parsed = None
            document = parsed if isinstance(parsed, dict) else None
        self._json[path] = document
        return document

    def _package_json(self, directory: Path) -> dict[str, Any] | None:
        return self._read_json(directory / "package.json")

    # -- tsconfig / jsconfig ---------------------------------------------------------------------

    def _config_for(self, directory: Path) -> _PathsConfig | None:
        """The nearest tsconfig.json/jsconfig.json at or above ``directory``, up to the filesystem root."""
        return _nearest(directory, self._config_by_dir, self._config_in)

    def _config_in(self, directory: Path) -> _PathsConfig | None:
        for name in _CONFIG_NAMES:
            config = directory / name
            if self._read_json(config) is not None:
                return self._paths_config(config)
        return None

    def _paths_config(self, config: Path) -> _PathsConfig:
        cached = self._config_by_file.get(config)
        if cached is not None:
            return cached
        options = self._options_chain(config, frozenset())
        config_dir = config.parent
        base_url = None
        if "baseUrl" in options:
            value, defined_in = options["baseUrl"]
            if isinstance(value, str):
                if value.startswith(_CONFIG_DIR):
                    base_url = _normalize(config_dir / value[len(_CONFIG_DIR):].lstrip("/\\"))
                else:
                    base_url = _normalize(defined_in / value)
        paths: list[tuple[str, tuple[str, ...]]] = []
        paths_base = base_url or config_dir
        if "paths" in options:
            value, defined_in = options["paths"]
            if isinstance(value, dict):
                paths_base = base_url or defined_in
                for pattern, substitutions in value.items():
                    if isinstance(pattern, str) and pattern.count("*") <= 1 and isinstance(substitutions, list):
                        valid = tuple(s for s in substitutions if isinstance(s, str) and s.count("*") <= 1)
                        paths.append((pattern, valid))
        result = self._config_by_file[config] = _PathsConfig(config_dir, base_url, tuple(paths), paths_base)
        return result

    def _options_chain(self, config: Path, seen: frozenset[Path]) -> dict[str, tuple[Any, Path]]:
        """``baseUrl``/``paths`` -> (value, directory of the config that set it), ``extends`` applied."""
        if config in self._chain_options:
            return self._chain_options[config]
        if config in seen or len(seen) > _MAX_EXTENDS_DEPTH:
            return {}
        document = self._read_json(config)
        if document is None:
            return {}
        merged: dict[str, tuple[Any, Path]] = {}
        for base in self._extends(config.parent, document.get("extends")):
            merged.update(self._options_chain(base, seen | {config}))
        options = document.get("compilerOptions")
        if isinstance(options, dict):
            for name in ("baseUrl", "paths"):
                if name in options:
                    if options[name] is None:  # "paths": null resets an inherited value
                        merged.pop(name, None)
                    else:
                        merged[name] = (options[name], config.parent)
        self._chain_options[config] = merged
        return merged

    def _extends(self, config_dir: Path, value: object) -> list[Path]:
        """The configs named by ``extends`` (a string, or an array of them since TS 5.0)."""
        items = value if isinstance(value, list) else [value]
        found = []
        for item in items:
            if isinstance(item, str) and item.strip():
                target = self._extends_target(config_dir, item.strip().replace("\\", "/"))
                if target is not None:
                    found.append(target)
        return found

    def _extends_target(self, config_dir: Path, text: str) -> Path | None:
        if text.startswith(("./", "../")) or os.path.isabs(text):
            path = _normalize(config_dir / text)
            if self._is_file(path):
                return path
            with_json = path.with_name(path.name + ".json") if path.name else None
            if with_json is not None and not text.endswith(".json") and self._is_file(with_json):
                return with_json
            return None
        # A package (@tsconfig/next, @repo/typescript-config/nextjs.json): followed only when it
        # is one of the repo's workspace packages, never into node_modules.
        split = _split_package(text)
        package_dir = self._workspace_packages(config_dir).get(split[0]) if split else None
        if split is None or package_dir is None:
            return None
        subpath = split[1]
        document = self._package_json(package_dir) or {}
        candidates = _subpath_targets(_exports_map(document.get("exports")), subpath)
        if subpath == ".":
            field = document.get("tsconfig")
            candidates += [field] if isinstance(field, str) else []
            candidates.append("tsconfig.json")
        else:
            candidates += [subpath, subpath + ".json"]
        for candidate in candidates:
            path = _normalize(package_dir / candidate)
            if self._is_file(path) and not self._in_node_modules(path):
                return path
        return None

    # -- bare specifiers -------------------------------------------------------------------------

    def _resolve_bare(self, directory: Path, specifier: str) -> Path | None:
        """``paths``, then ``baseUrl``, then package ``imports`` (``#x``) or workspace packages."""
        config = self._config_for(directory)
        if config is not None:
            found = self._through_paths(config, specifier)
            if found is not None:
                return found
            if config.base_url is not None:
                found = self._load_path(_normalize(config.base_url / specifier), _directory_only(specifier))
                if found is not None and not self._in_node_modules(found):
                    return found
        if specifier.startswith("#"):
            return self._resolve_imports(directory, specifier)
        return self._resolve_workspace(specifier, directory)

    def _through_paths(self, config: _PathsConfig, specifier: str) -> Path | None:
        match = _match_paths(config.paths, specifier)
        if match is None:
            return None
        substitutions, star = match
        for substitution in substitutions:
            if star is not None:
                substitution = substitution.replace("*", star, 1)
            path = config.substitution_path(substitution)
            found = self._load_path(path, _directory_only(substitution))
            if found is not None and not self._in_node_modules(found):
                return found
        return None

    def _resolve_imports(self, directory: Path, specifier: str) -> Path | None:
        """``#internal/x`` through the ``imports`` of the package the importer belongs to."""
        package_dir = self._package_scope(directory)
        if package_dir is None:
            return None
        imports = (self._package_json(package_dir) or {}).get("imports")
        if not isinstance(imports, dict):
            return None
        targets = _subpath_targets(imports, specifier)
        relative = [target for target in targets if target.startswith(("./", "../"))]
        found = self._best_entry(package_dir, relative)
        if found is not None:
            return found
        for target in targets:  # "#dep": "@acme/auth" maps to a package
            if not target.startswith(("./", "../", "/", "#")) and not _SCHEME_RE.match(target):
                found = self._resolve_workspace(target, package_dir)
                if found is not None:
                    return found
        return None

    def _package_scope(self, directory: Path) -> Path | None:
        """The nearest directory at or above ``directory`` holding a readable package.json."""
        return _nearest(directory, self._scope_by_dir, lambda d: d if self._package_json(d) is not None else None)

    def _best_entry(self, package_dir: Path, targets: Iterable[str]) -> Path | None:
        """The first target that is a TypeScript source file, else the first that exists."""
        fallback = None
        for target in targets:
            found = self._entry(package_dir, target)
            if found is None:
                continue
            if found.suffix.lower() in _TS_EXTENSIONS and not _is_declaration(found):
                return found
            fallback = fallback or found
        return fallback

    # -- workspace packages ----------------------------------------------------------------------

    def _resolve_workspace(self, specifier: str, directory: Path) -> Path | None:
        split = _split_package(specifier)
        if split is None:
            return None
        name, subpath = split
        package_dir = self._workspace_packages(directory).get(name)
        if package_dir is None:
            return None
        document = self._package_json(package_dir) or {}
        exports = _exports_map(document.get("exports"))
        if exports:
            found = self._best_entry(package_dir, _subpath_targets(exports, subpath))
            if found is not None:
                return found
        if subpath == ".":
            for field in _ENTRY_FIELDS:
                found = self._entry(package_dir, document.get(field))
                if found is not None:
                    return found
            return self._load_index(package_dir / "src") or self._load_index(package_dir)
        relative = subpath[2:]
        return self._load_path(_normalize(package_dir / relative)) or self._load_path(
            _normalize(package_dir / "src" / relative)
        )

    def _workspace_packages(self, directory: Path) -> dict[str, Path]:
        """package name -> directory, for every package of the workspace ``directory`` belongs to
        (the nearest ancestor declaring workspaces; else the scan root's defaults), built once each."""
        root = self._workspace_root_of(directory)
        if root not in self._workspaces_by_root:
            self._workspaces_by_root[root] = {}
            try:
                self._workspaces_by_root[root] = self._find_workspace_packages(root)
            except (OSError, ValueError, RecursionError):
                pass
        return self._workspaces_by_root[root]

    def _workspace_root_of(self, directory: Path) -> Path | None:
        if directory not in self._workspace_root_cache:
            found = None
            for candidate in (directory, *directory.parents):
                if self._declares_workspaces(candidate):
                    found = candidate
                    break
                if os.path.exists(candidate / ".git"):
                    break
            self._workspace_root_cache[directory] = found
        return self._workspace_root_cache[directory]

    def _find_workspace_packages(self, declared_root: Path | None) -> dict[str, Path]:
        packages: dict[str, Path] = {}
        roots = [declared_root] if declared_root is not None else self._workspace_roots()
        for workspace_root in roots:
            patterns = self._workspace_patterns(workspace_root)
            excluded = [_glob_regex(pattern[1:]) for pattern in patterns if pattern.startswith("!")]
            budget = [_MAX_GLOB_LISTINGS]
            for pattern in patterns:
                if pattern.startswith("!"):
                    continue
                for directory in self._expand_glob(workspace_root, pattern, budget):
                    relative = os.path.relpath(directory, workspace_root).replace(os.sep, "/")
                    if "node_modules" in relative.split("/") or any(rx.fullmatch(relative) for rx in excluded):
                        continue
                    name = (self._package_json(directory) or {}).get("name")
                    if isinstance(name, str) and name and name not in packages:
                        packages[name] = directory
        return packages

    def _workspace_roots(self) -> list[Path]:
        """The scan root, and the monorepo root above it when the scan covers only part of one
        (the nearest ancestor declaring workspaces, not crossing the repository's ``.git``)."""
        roots = [self.root]
        for directory in (self.root, *self.root.parents):
            if directory != self.root and self._declares_workspaces(directory):
                roots.append(directory)
                break
            if directory == self.root and self._declares_workspaces(directory):
                break
            if os.path.exists(directory / ".git"):
                break
        return roots

    def _declares_workspaces(self, directory: Path) -> bool:
        document = self._package_json(directory) or {}
        return bool(_workspace_globs(document.get("workspaces"))) or self._pnpm_packages(directory) is not None

    def _pnpm_packages(self, directory: Path) -> list[str] | None:
        data = self._read_bytes(directory / "pnpm-workspace.yaml")
        return None if data is None else _yaml_list(_decode_text(data), "packages")

    def _workspace_patterns(self, workspace_root: Path) -> list[str]:
        document = self._package_json(workspace_root) or {}
        declared = _workspace_globs(document.get("workspaces")) + (self._pnpm_packages(workspace_root) or [])
        patterns = []
        for pattern in [*declared, *_DEFAULT_WORKSPACES]:
            cleaned = _clean_pattern(pattern)
            if cleaned and cleaned not in patterns:
                patterns.append(cleaned)
        return patterns

    def _expand_glob(self, base: Path, pattern: str, budget: list[int]) -> list[Path]:
        """Directories matching a workspace glob (``*``, ``?``, ``[..]``, ``**``), skipping
        node_modules and hidden folders, in a stable order."""
        segments = [segment for segment in pattern.split("/") if segment not in ("", ".")]
        found: list[Path] = []
        seen: set[Path] = set()

        def walk(directory: Path, index: int, depth: int) -> None:
            if index == len(segments):
                directory = _normalize(directory)
                if directory not in seen:
                    seen.add(directory)
                    found.append(directory)
                return
            segment = segments[index]
            if segment == "**":
                walk(directory, index + 1, depth)
                if depth < _MAX_GLOB_DEPTH:
                    for child in self._subdirectories(directory, False, budget):
                        walk(child, index, depth + 1)
            elif any(char in segment for char in "*?["):
                for child in self._subdirectories(directory, segment.startswith("."), budget):
                    if fnmatch.fnmatchcase(child.name, segment):
                        walk(child, index + 1, depth + 1)
            elif self._is_dir(directory / segment):
                walk(directory / segment, index + 1, depth + 1)

        walk(base, 0, 0)
        return found

    def _subdirectories(self, directory: Path, hidden: bool, budget: list[int]) -> list[Path]:
        if budget[0] <= 0:
            return []
        budget[0] -= 1
        try:
            with os.scandir(directory) as entries:
                names = sorted(
                    entry.name
                    for entry in entries
                    if entry.name != "node_modules" and (hidden or not entry.name.startswith(".")) and entry.is_dir()
                )
        except OSError:
            return []
        return [directory / name for name in names]


# --------------------------------------------------------------------------------------------
# Pattern helpers (tsconfig paths, package.json exports/imports, workspace globs)
# --------------------------------------------------------------------------------------------


def _match_paths(
    paths: tuple[tuple[str, tuple[str, ...]], ...], specifier: str
) -> tuple[tuple[str, ...], str | None] | None:
    """The substitutions of the ``paths`` key matching ``specifier`` and what its ``*`` matched:
    an exact key first, else the pattern with the longest prefix (TypeScript's rule)."""
    for pattern, substitutions in paths:
        if "*" not in pattern and pattern == specifier:
            return substitutions, None
    best: tuple[tuple[str, ...], str | None] | None = None
    best_prefix = -1
    for pattern, substitutions in paths:
        if "*" not in pattern:
            continue
        prefix, _, suffix = pattern.partition("*")
        if (
            len(specifier) >= len(prefix) + len(suffix)
            and specifier.startswith(prefix)
            and specifier.endswith(suffix)
            and len(prefix) > best_prefix
        ):
            best_prefix = len(prefix)
            best = substitutions, specifier[len(prefix): len(specifier) - len(suffix)]
    return best


def _exports_map(exports: object) -> dict[str, Any]:
    """``exports`` as a subpath map: a string, an array or a conditions object means ``"."``."""
    if exports is None:
        return {}
    if isinstance(exports, dict) and any(isinstance(key, str) and key.startswith(".") for key in exports):
        return exports
    return {".": exports}


def _subpath_targets(mapping: dict[str, Any], subpath: str) -> list[str]:
    """Target strings for ``subpath`` in an ``exports``/``imports`` map, every condition's in
    object order (an exact key first, else the ``*`` pattern with the longest prefix)."""
    if not isinstance(mapping, dict):
        return []
    value = mapping.get(subpath) if "*" not in subpath else None
    star = None
    if value is None:
        best_prefix = -1
        for key, candidate in mapping.items():
            if not isinstance(key, str) or key.count("*") != 1:
                continue
            prefix, _, suffix = key.partition("*")
            if (
                len(subpath) > len(prefix) + len(suffix)
                and subpath.startswith(prefix)
                and subpath.endswith(suffix)
                and len(prefix) > best_prefix
            ):
                best_prefix = len(prefix)
                value, star = candidate, subpath[len(prefix): len(subpath) - len(suffix)]
    targets: list[str] = []
    _collect_targets(value, star, targets, 0)
    return targets


def _collect_targets(value: object, star: str | None, into: list[str], depth: int) -> None:
    if depth > _MAX_CONDITION_DEPTH:
        return
    if isinstance(value, str):
        into.append(value.replace("*", star) if star is not None else value)
    elif isinstance(value, list):
        for item in value:
            _collect_targets(item, star, into, depth + 1)
    elif isinstance(value, dict):
        for condition, item in value.items():
            if isinstance(condition, str) and not condition.startswith("."):
                _collect_targets(item, star, into, depth + 1)


def _clean_pattern(pattern: object) -> str:
    if not isinstance(pattern, str):
        return ""
    text = pattern.strip().replace("\\", "/")
    negated = text.startswith("!")
    text = text.lstrip("!").strip()
    while text.startswith("./"):
        text = text[2:]
    if text.endswith("/package.json"):
        text = text[: -len("/package.json")]
    text = text.rstrip("/")
    if not text:
        return ""
    return f"!{text}" if negated else text


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A workspace glob as a regex over POSIX paths relative to the workspace root."""
    tail = ""
    if pattern.endswith("/**"):
        pattern, tail = pattern[:-3], "(?:/.*)?"
    out = []
    index = 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        else:
            char = pattern[index]
            out.append("[^/]*" if char == "*" else "[^/]" if char == "?" else re.escape(char))
            index += 1
    return re.compile("".join(out) + tail)


def _yaml_list(text: str, key: str) -> list[str] | None:
    """The strings of a top-level YAML sequence (block ``- item`` lines or ``[a, b]``); None when
    the key is absent. Enough for ``packages:`` in pnpm-workspace.yaml."""
    items: list[str] | None = None
    for raw in text.split("\n"):
        line = raw.rstrip("\r")
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        top_level = not line[:1].isspace()
        if top_level and not stripped.startswith("-"):
            if items is not None:
                break
            name, colon, rest = stripped.partition(":")
            if colon and _yaml_scalar(name) == key:
                items = []
                rest = rest.strip()
                if rest.startswith("["):
                    body = rest[1:].split("]", 1)[0]
                    items = [value for value in (_yaml_scalar(part) for part in body.split(",")) if value]
                    break
            continue
        if items is not None and stripped.startswith("-"):
            value = _yaml_scalar(stripped[1:])
            if value:
                items.append(value)
    return items


def _nearest(directory: Path, cache: dict, probe):
    """The first non-None ``probe(d)`` for ``directory`` and its parents; every directory visited
    is cached with the answer, so sibling lookups stop at the first known ancestor."""
    visited: list[Path] = []
    current = directory
    result = None
    while True:
        if current in cache:
            result = cache[current]
            break
        visited.append(current)
        result = probe(current)
        if result is not None:
            break
        parent = current.parent
        if parent == current:
            break
        current = parent
    for seen in visited:
        cache[seen] = result
    return result
