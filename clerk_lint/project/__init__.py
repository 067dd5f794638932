"""The model of the scanned code, built once per run and shared by every rule.

Rules ask it questions ("which Clerk SDK major does this file's app use?", "what does this name
refer to?") instead of re-deriving answers from trees. Everything here is computed lazily and
cached, so a pre-commit run on five files reads only those files plus the manifests and context
files of the apps they belong to.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from clerk_lint.findings import Level, Notification
from clerk_lint.project.js import JsFacts, js_facts
from clerk_lint.project.manifest import (
    Dependency,
    JsManifest,
    LockfileCache,
    ManifestError,
    PyManifest,
    Version,
    read_package_json,
    read_python_manifests,
)
from clerk_lint.source import SourceFile

#: the newest major of each SDK, assumed (with lower confidence) when no manifest says
NEWEST_MAJOR = {
    "@clerk/nextjs": 7,
    "next": 16,
    "@clerk/express": 2,
    "@clerk/backend": 3,
    "clerk-backend-api": 7,
}


@dataclass(frozen=True)
class SdkVersion:
    """The answer to "which version of this package does this file's app use?"."""

    package: str
    major: int
    version: Version | None
    known: bool  # False: no manifest declares it, ``major`` is the assumed newest
    dependency: Dependency | None

    def at_least(self, major: int) -> bool:
        return self.major >= major

    def describe(self) -> str:
        if not self.known:
            return f"{self.package} version unknown, assuming v{self.major}"
        return f"{self.package} {self.version}"


PY_MANIFEST_NAMES = frozenset({"pyproject.toml", "poetry.lock", "uv.lock"})


class Project:
    def __init__(self, root: Path, notify, reader=None) -> None:
        self.root = root
        self._notify = notify  # callable(Notification)
        #: reads one file into a SourceFile (or None, after saying why); the engine passes its own
        self._reader = reader or _default_reader
        self._files: dict[Path, SourceFile | None] = {}
        self._canon: dict[Path, Path] = {}
        self._chains: dict[Path, list[Path]] = {}
        self._manifest_by_dir: dict[Path, JsManifest | None] = {}
        self._py_manifest_by_dir: dict[Path, PyManifest | None] = {}
        self._js_facts: dict[int, JsFacts] = {}
        self._lockfiles = LockfileCache()

    # -- cross-file services (created on first use) -----------------------------------------------

    @cached_property
    def resolver(self):
        from clerk_lint.project.resolve import ModuleResolver

        return ModuleResolver(self.root)

    @cached_property
    def symbols(self):
        from clerk_lint.project.symbols import Symbols

        return Symbols(self)

    @cached_property
    def nextjs(self):
        from clerk_lint.project.nextjs import NextModel

        return NextModel(self)

    @cached_property
    def coverage(self):
        from clerk_lint.project.coverage import CoverageModel

        return CoverageModel(self)

    @cached_property
    def guards(self):
        from clerk_lint.project.guards import Guards

        return Guards(self, self.symbols)

    @cached_property
    def webhooks(self):
        from clerk_lint.project.webhooks import WebhookModel

        return WebhookModel(self)

    @cached_property
    def python(self):
        """The Python model: per-file facts, names across modules, apps, endpoints and guards."""
        from clerk_lint.project.python import PyModel

        return PyModel(self)

    @cached_property
    def express(self):
        """Express, Fastify and Hono apps with Clerk: routes, their middleware and how each is protected."""
        from clerk_lint.project.express import ExpressModel

        return ExpressModel(self)

    @cached_property
    def convex(self):
        """Convex functions: public or internal, their builder, their identity check."""
        from clerk_lint.project.convex import ConvexModel

        return ConvexModel(self)

    @cached_property
    def authz(self):
        """The authorization model: caller-controlled ids, session values and data-layer calls."""
        from clerk_lint.project.authz import AuthzModel

        return AuthzModel(self)

    def middleware_verdict(self, entry):
        """The middleware/proxy's verdict for an entry point's URL (None: no Clerk middleware)."""
        return self.nextjs.middleware_verdict(entry)

    # -- files -----------------------------------------------------------------------------------

    def load(self, path: Path, how=None) -> SourceFile | None:
        """The file at ``path``, read and (on first use) parsed once per run, whether it is one of
        the files being reported on or context (a middleware, a helper in another file).
        ``how`` is passed to the reader (the engine gives the discovered candidate)."""
        key = self.canon(path)
        if key not in self._files:
            self._files[key] = self._reader(path if how is not None else key, how if how is not None else self.rel(key))
        return self._files[key]

    def add(self, file: SourceFile) -> None:
        """Register a file the engine has already read, so context lookups reuse it."""
        self._files.setdefault(file.real, file)

    # -- per-file facts --------------------------------------------------------------------------

    def js(self, file: SourceFile) -> JsFacts:
        key = id(file)
        facts = self._js_facts.get(key)
        if facts is None:
            facts = self._js_facts[key] = js_facts(file)
        return facts

    # -- manifests -------------------------------------------------------------------------------

    def canon(self, path: Path) -> Path:
        """``path`` with symlinks resolved, computed once per path."""
        found = self._canon.get(path)
        if found is None:
            found = self._canon[path] = path.resolve()
        return found

    def _ancestors(self, path: Path) -> list[Path]:
        """``path``'s directory and its parents, up to the run root (or the filesystem root when
        the file lies outside it)."""
        directory = path.parent
        chain = self._chains.get(directory)
        if chain is None:
            chain = [directory]
            for parent in directory.parents:
                if chain[-1] == self.root:
                    break
                chain.append(parent)
            self._chains[directory] = chain
        return chain

    def manifest_for(self, file: SourceFile) -> JsManifest | None:
        """The nearest ``package.json`` above ``file`` (the app it belongs to), read once."""
        for directory in self._ancestors(file.real):
            manifest = self.manifest_at(directory)
            if manifest is not None:
                return manifest
        return None

    def manifest_at(self, directory: Path) -> JsManifest | None:
        """The ``package.json`` in ``directory`` itself, read once (None when there is none)."""
        if directory not in self._manifest_by_dir:
            package = directory / "package.json"
            manifest = None
            if package.is_file():
                manifest = self._read_manifest(package, self._ancestors(package))
            self._manifest_by_dir[directory] = manifest
        return self._manifest_by_dir[directory]

    def manifest_above(self, directory: Path) -> JsManifest | None:
        """The nearest ``package.json`` strictly above ``directory``."""
        for parent in self._ancestors(directory):
            manifest = self.manifest_at(parent)
            if manifest is not None:
                return manifest
        return None

    def _read_manifest(self, package: Path, search: list[Path]) -> JsManifest | None:
        try:
            data = package.read_bytes()
            return read_package_json(package, data, search, cache=self._lockfiles)
        except OSError as exc:
            self._notify(Notification(self.rel(package), f"cannot read package.json ({exc.strerror}); versions unknown"))
        except ManifestError as exc:
            self._notify(Notification(self.rel(package), f"{exc}; versions unknown"))
        return None

    def python_manifest_for(self, file: SourceFile) -> PyManifest | None:
        """The nearest directory above ``file`` with requirements*.txt or pyproject.toml, read once."""
        for directory in self._ancestors(file.real):
            if directory not in self._py_manifest_by_dir:
                self._py_manifest_by_dir[directory] = self._read_python(directory)
            found = self._py_manifest_by_dir[directory]
            if found is not None:
                return found
        return None

    def _read_python(self, directory: Path) -> PyManifest | None:
        try:
            names = [
                entry.name
                for entry in directory.iterdir()
                if entry.name in PY_MANIFEST_NAMES or (entry.name.startswith("requirements") and entry.name.endswith(".txt"))
            ]
        except OSError:
            return None
        if not names:
            return None
        files = {}
        for name in names:
            try:
                files[name] = (directory / name).read_bytes()
            except OSError as exc:
                self._notify(Notification(self.rel(directory / name), f"cannot read ({exc.strerror}); versions unknown"))
        try:
            return read_python_manifests(directory, files)
        except ManifestError as exc:
            self._notify(Notification(self.rel(directory), f"{exc}; versions unknown"))
            return None

    def sdk(self, file: SourceFile, package: str) -> SdkVersion:
        """Which version of ``package`` the app holding ``file`` uses (JS packages from the nearest
        package.json and its lockfile; Python distributions for .py files)."""
        if file.grammar == "python":
            manifest = self.python_manifest_for(file)
        else:
            manifest = self.manifest_for(file)
        dependency = manifest.get(package) if manifest else None
        version = dependency.version if dependency else None
        if version is None:
            return SdkVersion(package, NEWEST_MAJOR.get(package, 0), None, False, dependency)
        return SdkVersion(package, version.major, version, True, dependency)

    def rel(self, path: Path) -> str:
        try:
            return self.canon(path).relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


__all__ = ["Project", "SdkVersion", "Level"]


def _default_reader(path: Path, rel) -> SourceFile | None:
    from clerk_lint.discovery import classify

    rel = rel if isinstance(rel, str) else rel.rel
    kind = classify(path.name)
    if kind is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if b"\x00" in data[:8192]:
        return None
    return SourceFile(path, rel, kind[0], data, kind[1])
