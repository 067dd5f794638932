"""Next.js apps and their server entry points, each with its URL pattern.

An app is a directory with ``app/`` or ``src/app/`` (App Router) and/or ``pages/`` or ``src/pages/``
(Pages Router) that Next.js would build: it has a ``next.config.*`` or a ``package.json`` that
depends on ``next`` (or, when no ``package.json`` exists at all, it is assumed to be one). As in
Next.js, a root ``app/`` wins over ``src/app/``. Every app of a monorepo is modelled on its own.

Entry points: ``route.*`` HTTP-verb exports; ``page``/``layout``/``template``/``default`` server
components; ``pages/api/**`` handlers; ``getServerSideProps``; every export of a ``'use server'``
module and every inline ``'use server'`` function, wherever they live.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tree_sitter import Node

from clerk_lint.parsing import JS_FAMILY, captures, string_value, text
from clerk_lint.project.js import FUNCTION_TYPES
from clerk_lint.source import SourceFile

if TYPE_CHECKING:
    from clerk_lint.project import Project

ROUTE_VERBS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
SERVER_COMPONENTS = ("page", "layout", "template", "default")
CONFIG_NAMES = ("next.config.js", "next.config.mjs", "next.config.ts", "next.config.cjs", "next.config.mts")
INTERCEPT = re.compile(r"^\((?:\.{1,3}|\.\.\)\(\.\.)\)(.+)$")
INLINE_ACTION_QUERY = "(statement_block (expression_statement (string) @directive))"

# entry point kinds
ROUTE = "route"
ACTION = "action"
PAGES_API = "pages-api"
GSSP = "getServerSideProps"


@dataclass(frozen=True)
class Segment:
    kind: str  # "static", "dynamic", "catchall", "optional_catchall"
    name: str

    def display(self) -> str:
        return {
            "static": self.name,
            "dynamic": f"[{self.name}]",
            "catchall": f"[...{self.name}]",
            "optional_catchall": f"[[...{self.name}]]",
        }[self.kind]

    def pair(self) -> tuple[str, str]:
        return self.kind, self.name


def url_of(segments: tuple[Segment, ...]) -> str:
    return "/" + "/".join(s.display() for s in segments)


@dataclass(frozen=True)
class NextApp:
    root: Path
    app_dir: Path | None
    pages_dir: Path | None

    @property
    def in_src(self) -> bool:
        directory = self.app_dir or self.pages_dir
        return directory is not None and directory.parent.name == "src" and directory.parent.parent == self.root


@dataclass(frozen=True)
class Entry:
    kind: str  # ROUTE, ACTION, PAGES_API, GSSP, or one of SERVER_COMPONENTS
    name: str  # the verb, the export name, "default"
    file: SourceFile
    node: Node  # the exported name (where findings point)
    value: Node | None  # what is exported: a function, a wrapped call...
    app: NextApp | None
    segments: tuple[Segment, ...] | None  # None for Server Actions (they have no URL)

    @property
    def url(self) -> str | None:
        return url_of(self.segments) if self.segments is not None else None

    @property
    def label(self) -> str:
        if self.kind == ROUTE:
            return f"{self.name} {self.url}"
        if self.kind == ACTION:
            return f"Server Action {self.name}"
        if self.kind == PAGES_API:
            return f"API route {self.url}"
        if self.kind == GSSP:
            return f"getServerSideProps of {self.url}"
        return f"{self.kind} {self.url}"


def app_segments(parts: tuple[str, ...]) -> tuple[Segment, ...] | None:
    """URL segments of an App Router folder path; None when a private ``_folder`` hides it."""
    segments = []
    for part in parts:
        if part.startswith("_"):
            return None
        if part.startswith("@"):
            continue
        intercepted = INTERCEPT.match(part)
        if intercepted:
            segments.append(_segment(intercepted.group(1)))
            continue
        if part.startswith("(") and part.endswith(")"):
            continue
        segments.append(_segment(part))
    return tuple(segments)


def pages_segments(parts: tuple[str, ...], stem: str) -> tuple[Segment, ...]:
    names = list(parts) + ([] if stem == "index" else [stem])
    return tuple(_segment(p) for p in names)


def _segment(part: str) -> Segment:
    if part.startswith("%5F"):
        return Segment("static", "_" + part[3:])
    if part.startswith("[[...") and part.endswith("]]"):
        return Segment("optional_catchall", part[5:-2])
    if part.startswith("[...") and part.endswith("]"):
        return Segment("catchall", part[4:-1])
    if part.startswith("[") and part.endswith("]"):
        return Segment("dynamic", part[1:-1])
    return Segment("static", part)


class NextModel:
    def __init__(self, project: "Project") -> None:
        self.project = project
        self._apps: dict[Path, NextApp | None] = {}
        self._entries: dict[str, list[Entry]] = {}
        self._inline: dict[str, list[tuple[int, int]]] = {}
        self._locations: dict[Path, object] = {}
        self._app_entries: dict[Path, list[Entry]] = {}
        self._standalone: dict[str, object] = {}
        self._middleware: dict[Path, object] = {}

    # -- apps ------------------------------------------------------------------------------------

    def app_for(self, path: Path) -> NextApp | None:
        """The Next.js app whose ``app/`` or ``pages/`` directory holds ``path``."""
        path = self.project.canon(path)
        for directory in self.project._ancestors(path):
            app = self.app_at(directory)
            if app is None:
                continue
            for folder in (app.app_dir, app.pages_dir):
                if folder is not None and folder in path.parents:
                    return app
        return None

    def app_near(self, path: Path) -> NextApp | None:
        """The Next.js app a file belongs to anywhere in its tree (``lib/``, ``middleware.ts``...):
        the nearest ancestor that is an app root."""
        for directory in self.project._ancestors(self.project.canon(path)):
            app = self.app_at(directory)
            if app is not None:
                return app
        return None

    def app_entries(self, app: NextApp) -> list[Entry]:
        """Every entry point under the app's ``app/`` and ``pages/`` folders (read once)."""
        if app.root not in self._app_entries:
            from clerk_lint.discovery import discover
            from clerk_lint.source import CODE

            found: list[Entry] = []
            folders = [folder for folder in (app.app_dir, app.pages_dir) if folder is not None]
            for candidate in discover(folders, self.project.root).files:
                if candidate.kind == CODE and candidate.grammar in JS_FAMILY:
                    file = self.project.load(candidate.path)
                    if file is not None:
                        found.extend(e for e in self.entries(file) if e.segments is not None)
            self._app_entries[app.root] = found
        return self._app_entries[app.root]

    def app_at(self, directory: Path) -> NextApp | None:
        if directory not in self._apps:
            self._apps[directory] = self._detect(directory)
        return self._apps[directory]

    def _detect(self, directory: Path) -> NextApp | None:
        app_dir = _first_dir(directory / "app", directory / "src" / "app")
        pages_dir = _first_dir(directory / "pages", directory / "src" / "pages")
        if app_dir is None and pages_dir is None:
            return None
        if not self._builds_with_next(directory):
            return None
        return NextApp(directory, app_dir, pages_dir)

    def _builds_with_next(self, directory: Path) -> bool:
        if any((directory / name).is_file() for name in CONFIG_NAMES):
            return True
        manifest = self.project.manifest_at(directory)
        if manifest is not None:
            return manifest.get("next") is not None
        # no package.json here: a Next app only if no package.json above claims the folder either
        return self.project.manifest_above(directory) is None

    def uses_clerk(self, entry: "Entry") -> bool:
        """Whether an entry point belongs to code that uses Clerk: its app's package.json depends on
        a ``@clerk/*`` package (a monorepo app without Clerk is not this linter's business), or,
        without a manifest, the file imports Clerk."""
        app = entry.app
        manifest = None
        if app is not None:
            manifest = self.project.manifest_at(app.root) or self.project.manifest_above(app.root)
        else:
            manifest = self.project.manifest_for(entry.file)
        if manifest is not None:
            return any(name.startswith("@clerk/") for name in manifest.dependencies)
        return True

    def next_major(self, app: NextApp) -> int | None:
        manifest = self.project.manifest_at(app.root) or self.project.manifest_above(app.root)
        dependency = manifest.get("next") if manifest else None
        version = dependency.version if dependency else None
        return version.major if version else None

    def inline_actions(self, file: SourceFile) -> list[tuple[int, int]]:
        if file.rel not in self._inline:
            self._inline[file.rel] = inline_action_ranges(file)
        return self._inline[file.rel]

    # -- middleware ------------------------------------------------------------------------------

    def middleware_location(self, app: NextApp):
        """Which middleware/proxy file Next.js would load for ``app`` and which it would ignore."""
        if app.root not in self._locations:
            from clerk_lint.project.middleware import middleware_candidates

            self._locations[app.root] = middleware_candidates(app.root, app.in_src, self.next_major(app))
        return self._locations[app.root]

    def middleware(self, app: NextApp):
        """The analysed middleware/proxy Next.js runs for ``app`` (None when there is none)."""
        if app.root not in self._middleware:
            from clerk_lint.project.middleware import analyse

            found = None
            location = self.middleware_location(app)
            if location.loaded is not None:
                file = self.project.load(app.root / location.loaded)
                if file is not None and file.grammar in JS_FAMILY:
                    major = self.project.sdk(file, "@clerk/nextjs").major
                    found = analyse(file, self.project.js(file), clerk_major=major)
            self._middleware[app.root] = found
        return self._middleware[app.root]

    def as_middleware(self, file: SourceFile):
        """``(app, analysed middleware)`` when ``file`` is the middleware/proxy Next.js runs for its app."""
        if file.path.name.split(".")[0] not in ("middleware", "proxy"):
            return None
        app = self.app_near(file.path)
        if app is None:  # a middleware with no app/ or pages/ beside it: judge the file alone
            from clerk_lint.project.middleware import analyse

            if file.rel not in self._standalone:
                major = self.project.sdk(file, "@clerk/nextjs").major
                self._standalone[file.rel] = analyse(file, self.project.js(file), clerk_major=major)
            return None, self._standalone[file.rel]
        location = self.middleware_location(app)
        if location.loaded is None or self.project.canon(app.root / location.loaded) != file.real:
            return None
        middleware = self.middleware(app)
        return (app, middleware) if middleware is not None else None

    def middleware_verdict(self, entry: Entry):
        """The middleware's verdict for an entry point's URL; None when no Clerk middleware runs."""
        if entry.app is None or entry.segments is None:
            return None
        middleware = self.middleware(entry.app)
        if middleware is None or middleware.kind == "none":
            return None
        return middleware.route_verdict([segment.pair() for segment in entry.segments])

    # -- entry points ----------------------------------------------------------------------------

    def entries(self, file: SourceFile) -> list[Entry]:
        """The server entry points a file defines (cached)."""
        if file.rel not in self._entries:
            self._entries[file.rel] = self._find_entries(file) if file.grammar in JS_FAMILY else []
        return self._entries[file.rel]

    def _find_entries(self, file: SourceFile) -> list[Entry]:
        facts = self.project.js(file)
        if facts.directive == "use client":
            return []
        found: list[Entry] = []
        app = self.app_for(file.path)
        path = file.real
        stem = path.name.split(".")[0]
        if app is not None and app.app_dir is not None and app.app_dir in path.parents:
            parts = path.parent.relative_to(app.app_dir).parts
            segments = app_segments(parts)
            if segments is not None and stem == "route":
                for verb in ROUTE_VERBS:
                    export = facts.exports.get(verb)
                    if export is not None:
                        found.append(Entry(ROUTE, verb, file, export.node, export.value, app, segments))
            elif segments is not None and stem in SERVER_COMPONENTS:
                export = facts.exports.get("default")
                if export is not None:
                    found.append(Entry(stem, "default", file, export.node, export.value, app, segments))
        elif app is not None and app.pages_dir is not None and app.pages_dir in path.parents:
            parts = path.parent.relative_to(app.pages_dir).parts
            if not stem.startswith("_"):
                segments = pages_segments(parts, stem)
                if parts[:1] == ("api",):
                    export = facts.exports.get("default")
                    if export is not None:
                        found.append(Entry(PAGES_API, "default", file, export.node, export.value, app, segments))
                else:
                    export = facts.exports.get(GSSP)
                    if export is not None:
                        found.append(Entry(GSSP, GSSP, file, export.node, export.value, app, segments))
        if facts.directive == "use server":
            for name, export in facts.exports.items():
                if export.value is not None and (export.value.type in FUNCTION_TYPES or export.value.type == "call_expression"):
                    found.append(Entry(ACTION, name, file, export.node, export.value, app, None))
                elif export.value is None and export.local is not None:
                    found.append(Entry(ACTION, name, file, export.node, None, app, None))
        elif b"use server" in file.data:
            found.extend(self._inline_actions(file, app))
        return found

    def _inline_actions(self, file: SourceFile, app: NextApp | None) -> list[Entry]:
        found = []
        for directive in captures(file.grammar, INLINE_ACTION_QUERY, file.root).get("directive", ()):
            if string_value(directive) != "use server" or not _leads_block(directive.parent):
                continue
            function = directive.parent.parent.parent if directive.parent and directive.parent.parent else None
            if function is None or function.type not in FUNCTION_TYPES:
                continue
            name_node = function.child_by_field_name("name")
            if name_node is None and function.parent is not None and function.parent.type == "variable_declarator":
                name_node = function.parent.child_by_field_name("name")
            name = text(name_node) if name_node is not None else "(inline action)"
            found.append(Entry(ACTION, name, file, name_node or function, function, app, None))
        return found


def _first_dir(*candidates: Path) -> Path | None:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate.resolve()
    return None


def _leads_block(statement: Node) -> bool:
    """Whether a statement comes first in its block (comments and other directives aside)."""
    sibling = statement.prev_named_sibling
    while sibling is not None:
        if sibling.type != "comment" and not (sibling.type == "expression_statement" and sibling.named_children and sibling.named_children[0].type == "string"):
            return False
        sibling = sibling.prev_named_sibling
    return True


def inline_action_ranges(file: SourceFile) -> list[tuple[int, int]]:
    """Byte ranges of the inline ``'use server'`` functions of a file."""
    if b"use server" not in file.data:
        return []
    ranges = []
    for directive in captures(file.grammar, INLINE_ACTION_QUERY, file.root).get("directive", ()):
        if string_value(directive) == "use server" and _leads_block(directive.parent):
            function = directive.parent.parent.parent
            if function is not None and function.type in FUNCTION_TYPES:
                ranges.append((function.start_byte, function.end_byte))
    return ranges
