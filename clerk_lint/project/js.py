"""Per-file facts of a JS/TS module, computed once: directives, imports and `require` bindings.

Rules resolve what a name means through :class:`JsFacts` instead of looking at import statements
themselves, so aliased imports, namespace imports and CommonJS requires work in every rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tree_sitter import Node

from clerk_lint.parsing import captures, matches, string_value, text
from clerk_lint.source import SourceFile

DEFAULT = "default"
NAMESPACE = "*"


@dataclass(frozen=True)
class Binding:
    """A local name bound by an import or a require: ``import { imported as local } from source``."""

    local: str
    imported: str  # exported name, DEFAULT, or NAMESPACE
    source: str
    node: Node  # the specifier (or the require call) to point findings at


@dataclass(frozen=True)
class EnvRead:
    """``process.env.NAME``, ``process.env['NAME']`` or ``import.meta.env.NAME``."""

    name: str
    node: Node


FUNCTION_TYPES = frozenset(
    {"function_declaration", "function_expression", "arrow_function", "generator_function_declaration", "method_definition", "function"}
)


@dataclass(frozen=True)
class Export:
    """One exported name of a module.

    ``value`` is what the name is bound to in this module (a function node, a call such as
    ``withAuth(handler)``, any expression), or None when it is re-exported from ``source`` under
    ``imported``, or names a local binding that is itself imported (see ``local``).
    """

    name: str
    node: Node  # where to point findings: the exported name
    value: Node | None = None
    local: str | None = None
    source: str | None = None
    imported: str | None = None


@dataclass
class JsFacts:
    file: SourceFile
    directive: str | None = None  # "use client" / "use server" when the module starts with one
    bindings: dict[str, Binding] = field(default_factory=dict)
    imports: list[Binding] = field(default_factory=list)
    #: exported name -> export ("default" for the default export)
    exports: dict[str, Export] = field(default_factory=dict)
    #: modules re-exported wholesale (``export * from './x'``)
    star_exports: list[str] = field(default_factory=list)
    #: top-level names bound to a function or another expression, in this module
    locals: dict[str, Node] = field(default_factory=dict)
    _env_reads: list[EnvRead] | None = None

    def local_function(self, name: str) -> Node | None:
        value = self.locals.get(name)
        return value if value is not None and value.type in FUNCTION_TYPES else None

    @property
    def env_reads(self) -> list[EnvRead]:
        if self._env_reads is None:
            self._env_reads = env_reads(self.file.grammar, self.file.root) if b"env" in self.file.data else []
        return self._env_reads

    def binding(self, local: str) -> Binding | None:
        return self.bindings.get(local)

    def resolve(self, node: Node | None) -> tuple[str, str] | None:
        """What an expression names, when it is an imported binding: ``(source, exported name)``.

        ``auth`` (``import { auth } from '@clerk/nextjs/server'``) -> ``('@clerk/nextjs/server', 'auth')``;
        ``clerk.auth`` with a namespace import or a whole-module require likewise; else None.
        """
        if node is None:
            return None
        if node.type in ("identifier", "jsx_identifier", "type_identifier"):
            found = self.bindings.get(text(node))
            if found and found.imported != NAMESPACE:
                return found.source, found.imported
            return None
        if node.type in ("member_expression", "nested_identifier"):
            obj = node.child_by_field_name("object") or (node.named_children[0] if node.named_children else None)
            prop = node.child_by_field_name("property") or (node.named_children[-1] if node.named_children else None)
            if obj is not None and obj.type in ("identifier", "jsx_identifier"):
                found = self.bindings.get(text(obj))
                if found and found.imported in (NAMESPACE, DEFAULT) and prop is not None:
                    return found.source, text(prop)
        return None

    def imports_from(self, *sources: str) -> list[Binding]:
        return [b for b in self.imports if b.source in sources]


def js_facts(file: SourceFile) -> JsFacts:
    facts = JsFacts(file)
    root = file.root
    facts.directive = _directive(root)
    for node in root.named_children:
        if node.type == "import_statement":
            _import(node, facts)
        elif node.type == "export_statement":
            _export(node, facts)
        else:
            _declare(node, facts)
    for export in list(facts.exports.values()):
        if export.value is None and export.local is not None and export.source is None:
            value = facts.locals.get(export.local)
            if value is not None:
                facts.exports[export.name] = Export(export.name, export.node, value, export.local)
    if b"require" in file.data or b"import(" in file.data:
        for node in captures(file.grammar, REQUIRE_QUERY, root).get("call", ()):
            _require(node, facts)
    return facts


REQUIRE_QUERY = """
(call_expression
  function: [(identifier) (import)] @fn
  arguments: (arguments . (string) .)
  (#any-of? @fn "require" "import")) @call
"""


def declarators(node: Node) -> list[tuple[Node, Node]]:
    """(name or pattern, value) of each initialised declarator of a ``const``/``let``/``var``."""
    found = []
    for declarator in node.named_children:
        if declarator.type == "variable_declarator":
            name = declarator.child_by_field_name("name")
            value = declarator.child_by_field_name("value")
            if name is not None and value is not None:
                found.append((name, value))
    return found


def _declare(node: Node, facts: JsFacts) -> list[tuple[str, Node, Node]]:
    """Record top-level declarations; returns (name, name node, value) for each."""
    declared = []
    if node.type in ("function_declaration", "generator_function_declaration", "class_declaration"):
        name = node.child_by_field_name("name")
        if name is not None:
            declared.append((text(name), name, node))
    elif node.type in ("lexical_declaration", "variable_declaration"):
        for name, value in declarators(node):
            if name.type == "identifier":
                declared.append((text(name), name, _unwrap(value)))
            elif name.type == "object_pattern":  # export const { GET, POST } = handlers(...)
                for prop in name.named_children:
                    target = prop if prop.type == "shorthand_property_identifier_pattern" else prop.child_by_field_name("value")
                    if target is not None and target.type in ("identifier", "shorthand_property_identifier_pattern"):
                        declared.append((text(target), target, _unwrap(value)))
    elif node.type == "expression_statement" and node.named_children:
        # CommonJS: module.exports = ..., exports.GET = ..., module.exports.handler = ...
        expr = node.named_children[0]
        if expr.type == "assignment_expression":
            left, right = expr.child_by_field_name("left"), expr.child_by_field_name("right")
            target = text(left).replace(" ", "") if left is not None else ""
            if right is not None:
                if target == "module.exports":
                    facts.exports["default"] = Export("default", left, _unwrap(right))
                    _commonjs_object(_unwrap(right), facts)
                elif target.startswith(("exports.", "module.exports.")):
                    name = target.rsplit(".", 1)[1]
                    facts.exports[name] = Export(name, left, _unwrap(right))
    for name, _, value in declared:
        facts.locals.setdefault(name, value)
    return declared


def _commonjs_object(value: Node, facts: JsFacts) -> None:
    """``module.exports = { list, create: createNote, async remove() {} }``: each property is also a
    named export (what ``const { list } = require('./notes')`` binds)."""
    if value.type != "object":
        return
    for prop in value.named_children:
        if prop.type == "shorthand_property_identifier":
            facts.exports.setdefault(text(prop), Export(text(prop), prop, None, text(prop)))
        elif prop.type == "pair":
            key, item = prop.child_by_field_name("key"), prop.child_by_field_name("value")
            if key is None or item is None or key.type not in ("property_identifier", "string"):
                continue
            name = _export_name(key)
            item = _unwrap(item)
            if item.type == "identifier":
                facts.exports.setdefault(name, Export(name, key, None, text(item)))
            else:
                facts.exports.setdefault(name, Export(name, key, item))
        elif prop.type == "method_definition":
            key = prop.child_by_field_name("name")
            if key is not None:
                facts.exports.setdefault(text(key), Export(text(key), key, prop))


def _unwrap(node: Node) -> Node:
    """Strip parentheses, ``as``/``satisfies`` casts and non-null assertions around a value."""
    while node.type in ("parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression") and node.named_children:
        node = node.named_children[0]
    return node


def _export(node: Node, facts: JsFacts) -> None:
    source_node = node.child_by_field_name("source")
    source = string_value(source_node) if source_node is not None else None
    declaration = node.child_by_field_name("declaration")
    value = node.child_by_field_name("value")
    is_default = any(child.type == "default" for child in node.children)
    if declaration is not None:
        for name, name_node, decl_value in _declare(declaration, facts):
            key = "default" if is_default else name
            facts.exports[key] = Export(key, name_node, decl_value, name)
        if is_default and declaration.type in FUNCTION_TYPES and "default" not in facts.exports:
            facts.exports["default"] = Export("default", declaration, declaration)
        return
    if is_default and value is not None:
        value = _unwrap(value)
        local = text(value) if value.type == "identifier" else None
        facts.exports["default"] = Export("default", value if value.type != "identifier" else value, None if local else value, local)
        return
    for clause in node.named_children:
        if clause.type == "export_clause":
            for spec in clause.named_children:
                if spec.type != "export_specifier":
                    continue
                name = spec.child_by_field_name("name")
                alias = spec.child_by_field_name("alias") or name
                if name is None:
                    continue
                exported = _export_name(alias)
                if source is not None:
                    facts.exports[exported] = Export(exported, alias, None, None, source, _export_name(name))
                else:
                    facts.exports[exported] = Export(exported, alias, None, _export_name(name))
        elif clause.type == "namespace_export" and source is not None:
            ident = clause.named_children[0] if clause.named_children else None
            if ident is not None:
                exported = _export_name(ident)
                facts.exports[exported] = Export(exported, ident, None, None, source, NAMESPACE)
    if source is not None and not any(c.type in ("export_clause", "namespace_export") for c in node.named_children):
        facts.star_exports.append(source)


def _add(facts: JsFacts, binding: Binding) -> None:
    facts.imports.append(binding)
    facts.bindings.setdefault(binding.local, binding)


def _directive(root: Node) -> str | None:
    for node in root.named_children:
        if node.type == "comment":
            continue
        if node.type == "expression_statement" and node.named_children and node.named_children[0].type == "string":
            value = string_value(node.named_children[0])
            if value in ("use client", "use server"):
                return value
            continue  # other directives ("use strict") may precede
        return None
    return None


def _import(node: Node, facts: JsFacts) -> None:
    if any(child.type == "type" for child in node.children):  # import type { ... }
        return
    source = string_value(node.child_by_field_name("source"))
    if source is None:
        return
    for clause in node.named_children:
        if clause.type != "import_clause":
            continue
        for part in clause.named_children:
            if part.type == "identifier":
                _add(facts, Binding(text(part), DEFAULT, source, part))
            elif part.type == "namespace_import":
                ident = next((c for c in part.named_children if c.type == "identifier"), None)
                if ident is not None:
                    _add(facts, Binding(text(ident), NAMESPACE, source, part))
            elif part.type == "named_imports":
                for spec in part.named_children:
                    if spec.type != "import_specifier" or any(c.type == "type" for c in spec.children):
                        continue
                    name = spec.child_by_field_name("name")
                    alias = spec.child_by_field_name("alias") or name
                    if name is not None:
                        _add(facts, Binding(text(alias), _export_name(name), source, spec))


def _export_name(node: Node) -> str:
    return string_value(node) if node.type == "string" else text(node)


def _require(call: Node, facts: JsFacts) -> None:
    """``const x = require('m')`` / ``const { a, b: c } = require('m')`` (also ``await import('m')``)."""
    fn = call.child_by_field_name("function")
    if fn is None or fn.type not in ("identifier", "import") or text(fn) not in ("require", "import"):
        return
    args = call.child_by_field_name("arguments")
    if args is None or len(args.named_children) != 1:
        return
    source = string_value(args.named_children[0])
    if source is None:
        return
    target = call.parent
    if target is not None and target.type == "await_expression":
        target = target.parent
    if target is None or target.type != "variable_declarator":
        if target is not None and target.type == "member_expression":  # require('m').name
            declarator = target.parent
            prop = target.child_by_field_name("property")
            if declarator is not None and declarator.type == "variable_declarator" and prop is not None:
                name = declarator.child_by_field_name("name")
                if name is not None and name.type == "identifier":
                    _add(facts, Binding(text(name), text(prop), source, call))
        return
    pattern = target.child_by_field_name("name")
    if pattern is None:
        return
    if pattern.type == "identifier":
        _add(facts, Binding(text(pattern), NAMESPACE, source, call))
    elif pattern.type == "object_pattern":
        for prop in pattern.named_children:
            if prop.type == "shorthand_property_identifier_pattern":
                _add(facts, Binding(text(prop), text(prop), source, prop))
            elif prop.type == "pair_pattern":
                key = prop.child_by_field_name("key")
                value = prop.child_by_field_name("value")
                if key is not None and value is not None and value.type == "identifier":
                    _add(facts, Binding(text(value), _export_name(key), source, prop))


ENV_QUERY = """
[
  (member_expression object: (_) @object property: (property_identifier) @name) @read
  (subscript_expression object: (_) @object index: (string) @name) @read
]
"""
ENV_OBJECTS = ("process.env", "import.meta.env")


ENV_DESTRUCTURE_QUERY = """
(variable_declarator name: (object_pattern) @names value: (_) @object)
"""


def env_reads(grammar: str, node: Node) -> list[EnvRead]:
    """Environment variable reads inside ``node``, including ``const { A, B: b } = process.env``."""
    reads = []
    for _, match in matches(grammar, ENV_DESTRUCTURE_QUERY, node):
        if text(match["object"][0]).replace(" ", "") not in ENV_OBJECTS:
            continue
        for prop in match["names"][0].named_children:
            key = prop if prop.type == "shorthand_property_identifier_pattern" else prop.child_by_field_name("key")
            if key is None and prop.type == "object_assignment_pattern":
                key = prop.child_by_field_name("left")
            if key is not None:
                reads.append(EnvRead(string_value(key) if key.type == "string" else text(key), key))
    for _, match in matches(grammar, ENV_QUERY, node):
        obj = match["object"][0]
        if text(obj).replace(" ", "") not in ENV_OBJECTS:
            continue
        name_node = match["name"][0]
        name = string_value(name_node) if name_node.type == "string" else text(name_node)
        if name:
            reads.append(EnvRead(name, match["read"][0]))
    return reads
