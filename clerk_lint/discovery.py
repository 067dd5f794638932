"""Which files a run reads: a .gitignore-aware walk with default excludes, no symlink following."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from clerk_lint.findings import Level, Notification
from clerk_lint.parsing import EXTENSION_GRAMMAR
from clerk_lint.source import CODE, ENV, MANIFEST

#: directory names never walked into (a directory holding pyvenv.cfg is skipped too)
DEFAULT_EXCLUDED_DIRS = frozenset(
    {
        ".git", ".hg", ".svn", "node_modules", ".next", ".nuxt", ".output", ".svelte-kit", ".turbo",
        ".vercel", ".expo", "dist", "build", "out", "coverage", ".venv", "venv", "__pycache__",
        ".mypy_cache", ".pytest_cache", ".ruff_cache", ".tox", ".nox", "site-packages", ".cache", ".history",
    }
)
#: bundles and generated files, matched on the file name
DEFAULT_EXCLUDED_SUFFIXES = (".min.js", ".min.mjs", ".bundle.js", ".d.ts", ".d.mts", ".d.cts")

MANIFEST_NAMES = frozenset({"package.json"})


def classify(name: str) -> tuple[str, str | None] | None:
    """(kind, grammar) for a file name clerk-lint reads, else None."""
    if name.endswith(DEFAULT_EXCLUDED_SUFFIXES):
        return None
    if name == ".env" or (name.startswith(".env.") and not name.endswith((".gpg", ".enc", ".age", ".vault"))):
        return ENV, None
    if name in MANIFEST_NAMES:
        return MANIFEST, None
    grammar = EXTENSION_GRAMMAR.get(os.path.splitext(name)[1])
    if grammar:
        return CODE, grammar
    return None


@dataclass(frozen=True)
class Candidate:
    path: Path  # absolute, not resolved through symlinks
    rel: str
    kind: str
    grammar: str | None


@dataclass
class Discovery:
    root: Path
    files: list[Candidate] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)


class PathNotFound(Exception):
    pass


def find_root(paths: list[Path]) -> Path:
    """The directory paths are reported relative to: the repository holding the first path (the
    nearest parent with ``.git``), else the current directory when it holds every path, else the
    paths' common parent."""
    resolved = [_resolve(p) for p in paths]
    start = resolved[0] if resolved[0].is_dir() else resolved[0].parent
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
            if all(p == candidate or candidate in p.parents for p in resolved):
                return candidate
            break
    cwd = Path.cwd().resolve()
    if all(p == cwd or cwd in p.parents for p in resolved):
        return cwd
    return Path(os.path.commonpath([str(p if p.is_dir() else p.parent) for p in resolved]))


def _resolve(path: Path) -> Path:
    """``path.resolve()``, or the absolute path itself when it is a symlink loop (``resolve()``
    raises RuntimeError for a loop before Python 3.13)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def rel_to(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` with ``/`` separators (absolute when it lies outside)."""
    text = os.fspath(path)
    prefix = os.path.join(os.fspath(root), "")
    if os.path.isabs(text) and text.startswith(prefix):  # the common case, without pathlib's cost
        return text[len(prefix):].replace(os.sep, "/")
    absolute = path.absolute()
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        pass
    try:  # a symlink loop makes resolve() raise RuntimeError (Python < 3.13) or OSError
        return path.resolve().relative_to(root).as_posix()
    except (ValueError, OSError, RuntimeError):
        return absolute.as_posix()


class _Ignores:
    """The stack of .gitignore specs that apply inside the walk (each relative to its directory)."""

    def __init__(self, extra: pathspec.PathSpec | None, extra_base: Path | None):
        #: (the directory as a prefix string ending in a separator, its spec)
        self.specs: list[tuple[str, pathspec.PathSpec]] = []
        if extra is not None and extra_base is not None and len(extra.patterns):
            self.specs.append((os.path.join(os.fspath(extra_base), ""), extra))

    def load(self, directory: Path, notes: list[Notification], root: Path) -> None:
        gitignore = directory / ".gitignore"
        try:
            lines = gitignore.read_text("utf-8", "replace").splitlines()
        except FileNotFoundError:
            return
        except OSError as exc:
            notes.append(Notification(rel_to(gitignore, root), f"cannot read .gitignore ({exc.strerror}); ignored"))
            return
        self.specs.append((os.path.join(os.fspath(directory), ""), pathspec.GitIgnoreSpec.from_lines(lines)))

    def ignored(self, path: Path | str, is_dir: bool) -> bool:
        text = os.fspath(path)
        for prefix, spec in self.specs:
            if not text.startswith(prefix):
                continue
            rel = text[len(prefix):].replace(os.sep, "/")
            if spec.match_file(rel + "/" if is_dir else rel):
                return True
        return False


def _gitignores_above(start: Path, root: Path, ignores: _Ignores, notes: list[Notification]) -> None:
    """Load the .gitignore files between the repository root and ``start`` (exclusive)."""
    chain = []
    for parent in start.parents:
        chain.append(parent)
        if parent == root:
            break
    else:
        return
    for directory in reversed(chain):
        ignores.load(directory, notes, root)


def _excludes_for(top: Path, lines: list[str], base: Path | None) -> pathspec.PathSpec | None:
    """The configured exclude patterns that apply below ``top``: a pattern that excludes ``top``
    itself is dropped, because a path named on the command line is always scanned."""
    if not lines or base is None:
        return None
    try:
        rel = top.relative_to(base).as_posix()
    except ValueError:
        return pathspec.GitIgnoreSpec.from_lines(lines)
    kept = [line for line in lines if rel in ("", ".") or not pathspec.GitIgnoreSpec.from_lines([line]).match_file(rel + "/")]
    return pathspec.GitIgnoreSpec.from_lines(kept)


def discover(paths: list[Path], root: Path, exclude: list[str] | None = None, exclude_base: Path | None = None) -> Discovery:
    result = Discovery(root=root)
    seen: set[Path] = set()
    for given in paths:
        if not given.exists() and not given.is_symlink():
            raise PathNotFound(f"{given}: no such file or directory")
        absolute = given.absolute()
        if given.is_dir() and not given.is_symlink():
            ignores = _Ignores(_excludes_for(absolute.resolve(), exclude or [], exclude_base), exclude_base)
            _gitignores_above(absolute.resolve(), root, ignores, result.notifications)
            _walk(absolute.resolve(), root, ignores, result, seen)
        else:
            _add_given_file(absolute, root, result, seen)
    result.files.sort(key=lambda c: c.rel)
    return result


def _add_given_file(path: Path, root: Path, result: Discovery, seen: set[Path]) -> None:
    rel = rel_to(path, root)
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        result.notifications.append(Notification(rel, "broken symlink or symlink loop; skipped"))
        return
    if target.is_dir():  # only a symlink gets here: a real directory is walked
        result.notifications.append(Notification(rel, "symlink to a directory; not followed", Level.NOTE))
        return
    if not target.is_file():  # a FIFO or a device would block the read or never end
        result.notifications.append(Notification(rel, "not a regular file; skipped"))
        return
    kind = classify(path.name)
    if kind is None:
        result.notifications.append(Notification(rel, "not a file type clerk-lint reads; skipped", Level.NOTE))
        return
    if target not in seen:
        seen.add(target)
        result.files.append(Candidate(path, rel, *kind))


def _walk(top: Path, root: Path, ignores: _Ignores, result: Discovery, seen: set[Path]) -> None:
    stack: list[tuple[Path, int]] = [(top, len(ignores.specs))]
    while stack:
        directory, depth = stack.pop()
        del ignores.specs[depth:]
        ignores.load(directory, result.notifications, root)
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name, reverse=True)
        except OSError as exc:
            result.notifications.append(Notification(rel_to(directory, root) or ".", f"cannot list directory ({exc.strerror}); skipped"))
            continue
        subdirs = []
        for entry in entries:  # plain strings until a Path is needed: pathlib costs more than the walk
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as exc:
                result.notifications.append(Notification(rel_to(Path(entry.path), root), f"cannot stat ({exc.strerror}); skipped"))
                continue
            if stat.S_ISLNK(mode):
                _check_link(Path(entry.path), root, result)
                continue
            if stat.S_ISDIR(mode):
                if entry.name in DEFAULT_EXCLUDED_DIRS or os.path.exists(os.path.join(entry.path, "pyvenv.cfg")):
                    continue
                if ignores.ignored(entry.path, True):
                    continue
                subdirs.append(Path(entry.path))
                continue
            if not stat.S_ISREG(mode):
                continue
            kind = classify(entry.name)
            if kind is None or ignores.ignored(entry.path, False):
                continue
            path = Path(entry.path)
            if path not in seen:
                seen.add(path)
                result.files.append(Candidate(path, rel_to(path, root), *kind))
        snapshot = len(ignores.specs)
        for sub in subdirs:  # reverse-sorted, so popping walks in name order
            stack.append((sub, snapshot))


def _check_link(path: Path, root: Path, result: Discovery) -> None:
    """Symlinks are not followed during a walk; a broken one or a loop is worth a note, since the
    file it was meant to be is not scanned."""
    if classify(path.name) is None and not os.path.isdir(path):
        return
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        result.notifications.append(Notification(rel_to(path, root), "broken symlink or symlink loop; skipped", Level.NOTE))
        return
    if target.is_dir() and (target == path.parent.resolve() or target in path.parent.resolve().parents):
        result.notifications.append(Notification(rel_to(path, root), "symlink to an enclosing directory (a loop); not followed", Level.NOTE))
