"""What a name in a JS/TS module refers to, followed across files.

``import { requireUser } from '@/lib/auth'`` -> the function ``requireUser`` in ``src/lib/auth.ts``;
``import { auth } from '@/lib/clerk'`` where that file re-exports Clerk's ``auth`` -> Clerk's ``auth``.
Relative imports, index files, tsconfig/jsconfig ``paths``, barrels (``export *``, ``export { x } from``)
and CommonJS ``require`` are followed through :class:`~clerk_lint.project.resolve.ModuleResolver`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tree_sitter import Node

from clerk_lint.parsing import JS_FAMILY, text
from clerk_lint.project.js import DEFAULT, FUNCTION_TYPES, NAMESPACE
from clerk_lint.source import SourceFile

if TYPE_CHECKING:
    from clerk_lint.project import Project

MAX_DEPTH = 8

CLERK = "clerk"  # an export of a Clerk package: name = the exported name, source = the package
EXTERNAL = "external"  # an export of another package
FUNCTION = "function"  # a function defined in the project: file + node
VALUE = "value"  # another value defined in the project: file + node (a call, an object, ...)
MODULE = "module"  # a namespace: file (project module) or source (package)
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Symbol:
    kind: str
    name: str = ""
    file: SourceFile | None = None
    node: Node | None = None
    source: str | None = None

    @property
    def is_clerk(self) -> bool:
        return self.kind == CLERK

    def clerk(self, *names: str) -> bool:
        return self.kind == CLERK and self.name in names


NOTHING = Symbol(UNKNOWN)


#: Clerk SDKs published outside the @clerk scope
CLERK_PACKAGES = frozenset({"@hono/clerk-auth"})


def is_clerk_module(source: str | None) -> bool:
    return bool(source) and (source.startswith("@clerk/") or source in CLERK_PACKAGES)


def _is_require(value: Node) -> bool:
    """``require('m')``, ``require('m').x`` or ``await import('m')``: a binding, not a local value."""
    while value.type in ("await_expression", "member_expression") and value.named_children:
        value = value.named_children[0]
    if value.type != "call_expression":
        return False
    callee = value.child_by_field_name("function")
    return callee is not None and callee.type in ("identifier", "import") and text(callee) in ("require", "import")


class Symbols:
    def __init__(self, project: "Project") -> None:
        self.project = project
        self._exports: dict[tuple[str, str], Symbol] = {}
        self._lookups: dict[tuple[int, str], Symbol] = {}
        self._modules: dict[tuple[object, str], SourceFile | None] = {}

    # -- entry points ----------------------------------------------------------------------------

    def lookup(self, file: SourceFile, name: str, depth: int = 0) -> Symbol:
        """What the top-level name ``name`` means in ``file`` (cached per file and name)."""
        key = (id(file), name)
        found = self._lookups.get(key)
        if found is None:
            found = self._lookup(file, name, depth)
            if depth == 0:
                self._lookups[key] = found
        return found

    def _lookup(self, file: SourceFile, name: str, depth: int) -> Symbol:
        if depth > MAX_DEPTH or file.grammar not in JS_FAMILY:
            return NOTHING
        facts = self.project.js(file)
        value = facts.locals.get(name)
        if value is not None and not (name in facts.bindings and _is_require(value)):
            return Symbol(FUNCTION if value.type in FUNCTION_TYPES else VALUE, name, file, value)
        binding = facts.bindings.get(name)
        if binding is None:
            return NOTHING
        return self._imported(file, binding.source, binding.imported, depth + 1)

    def export(self, file: SourceFile, name: str, depth: int = 0) -> Symbol:
        """What the module ``file`` exports under ``name``."""
        key = (str(file.path), name)
        if key in self._exports:
            return self._exports[key]
        self._exports[key] = NOTHING  # cycles resolve to unknown
        found = self._export(file, name, depth)
        self._exports[key] = found
        return found

    def callee(self, file: SourceFile, node: Node | None) -> Symbol:
        """What an expression in call position refers to (an identifier, ``ns.name``, ``(x)``)."""
        while node is not None and node.type in ("parenthesized_expression", "await_expression", "non_null_expression") and node.named_children:
            node = node.named_children[-1]
        if node is None:
            return NOTHING
        if node.type == "identifier":
            return self.lookup(file, text(node))
        if node.type == "member_expression":
            obj = node.child_by_field_name("object")
            prop = node.child_by_field_name("property")
            if obj is not None and obj.type == "identifier" and prop is not None:
                owner = self.lookup(file, text(obj))
                if owner.kind == MODULE:
                    if owner.file is not None:
                        return self.export(owner.file, text(prop))
                    if is_clerk_module(owner.source):
                        return Symbol(CLERK, text(prop), source=owner.source)
                    return Symbol(EXTERNAL, text(prop), source=owner.source)
                if owner.kind == CLERK and owner.name in ("default",):
                    return Symbol(CLERK, text(prop), source=owner.source)
        return NOTHING

    # -- internals -------------------------------------------------------------------------------

    def _module(self, importer: SourceFile, source: str) -> SourceFile | None:
        key = (importer.path.parent, source)
        if key not in self._modules:
            target = self.project.resolver.resolve(importer.path, source)
            self._modules[key] = None if target is None else self.project.load(target)
        return self._modules[key]

    def _imported(self, importer: SourceFile, source: str, imported: str, depth: int) -> Symbol:
        if is_clerk_module(source):
            if imported in (NAMESPACE,):
                return Symbol(MODULE, "*", source=source)
            return Symbol(CLERK, imported, source=source)
        module = self._module(importer, source)
        if module is None:
            return Symbol(MODULE if imported == NAMESPACE else EXTERNAL, imported, source=source)
        if imported == NAMESPACE:
            return Symbol(MODULE, "*", module)
        return self.export(module, imported, depth + 1)

    def _export(self, file: SourceFile, name: str, depth: int) -> Symbol:
        if depth > MAX_DEPTH or file.grammar not in JS_FAMILY:
            return NOTHING
        facts = self.project.js(file)
        export = facts.exports.get(name)
        if export is not None:
            if export.source is not None:
                return self._imported(file, export.source, export.imported or name, depth + 1)
            if export.value is not None:
                kind = FUNCTION if export.value.type in FUNCTION_TYPES else VALUE
                return Symbol(kind, name, file, export.value)
            if export.local is not None:
                return self.lookup(file, export.local, depth + 1)
        if name == DEFAULT:
            return NOTHING
        clerk_stars = []
        for source in facts.star_exports:
            if is_clerk_module(source):
                clerk_stars.append(source)
                continue
            module = self._module(file, source)
            if module is not None:
                found = self.export(module, name, depth + 1)
                if found.kind != UNKNOWN:
                    return found
        if clerk_stars:  # `export * from '@clerk/nextjs/server'` in a local barrel
            return Symbol(CLERK, name, source=clerk_stars[0])
        return NOTHING
