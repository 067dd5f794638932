"""Convex functions: which exports are public, which builder made them, and whether they check the
caller's identity before they reach data.

A Convex module exports functions built by ``query``/``mutation``/``action`` from
``./_generated/server`` (public: any client can call them by name), ``internalQuery``/
``internalMutation``/``internalAction`` (callable only by other Convex functions), the ``*Generic``
forms from ``convex/server``, or a *custom builder*: ``customQuery(query, customCtx(fn))`` and the
other convex-helpers builders, or any project value built by calling one of these with a builder.
A custom builder whose functions check the identity and throw (``const identity = await
ctx.auth.getUserIdentity(); if (!identity) throw ...``, or a guard helper) guards every function it
builds; its publicity is its base builder's.

The identity check inside a handler is read with the guard grammar (:mod:`clerk_lint.project.guards`):
``await ctx.auth.getUserIdentity()`` is an auth state like ``await auth()``. Data is ``ctx.db``,
``ctx.storage`` and ``ctx.run*`` (also through ``{ db }`` destructured from ``ctx``), and project
helpers that are handed ``ctx`` and use it that way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tree_sitter import Node

from clerk_lint.findings import Location
from clerk_lint.parsing import JS_FAMILY, captures, text, walk
from clerk_lint.project.guards import Guard
from clerk_lint.project.js import FUNCTION_TYPES
from clerk_lint.project.symbols import FUNCTION, VALUE
from clerk_lint.source import SourceFile

if TYPE_CHECKING:
    from clerk_lint.project import Project

#: builder name -> (kind, public)
BUILDERS = {
    "query": ("query", True),
    "mutation": ("mutation", True),
    "action": ("action", True),
    "httpAction": ("httpAction", True),
    "internalQuery": ("query", False),
    "internalMutation": ("mutation", False),
    "internalAction": ("action", False),
}
GENERIC_BUILDERS = {
    "queryGeneric": ("query", True),
    "mutationGeneric": ("mutation", True),
    "actionGeneric": ("action", True),
    "httpActionGeneric": ("httpAction", True),
    "internalQueryGeneric": ("query", False),
    "internalMutationGeneric": ("mutation", False),
    "internalActionGeneric": ("action", False),
}
#: convex-helpers (and zod) custom function builders: ``customQuery(query, customCtx(...))``
CUSTOM_BUILDERS = frozenset({
    "customQuery", "customMutation", "customAction", "zCustomQuery", "zCustomMutation", "zCustomAction",
})
#: members of the Convex context that reach data
DATA_MEMBERS = frozenset({"db", "storage", "runQuery", "runMutation", "runAction", "vectorSearch", "scheduler"})
DATA_TEXT = re.compile(r"\b(?:ctx|context)\s*\.\s*(?:db|storage|run(?:Query|Mutation|Action)|vectorSearch)\b|\bdb\s*\.\s*(?:get|query|insert|patch|replace|delete)\s*\(")
MAX_BUILDER_DEPTH = 6

FUNCTION_QUERY = "[(arrow_function) (function_expression) (function_declaration)] @fn"
CALL_QUERY = "(call_expression) @call"
MEMBER_QUERY = "(member_expression) @member"


@dataclass(frozen=True)
class Builder:
    """What made a Convex function: its kind, whether clients can call it, and a guard it applies."""

    kind: str  # "query", "mutation", "action", "httpAction"
    public: bool
    name: str  # the builder as written: "mutation", "authedMutation"
    guard: Guard | None = None
    where: Location | None = None  # a custom builder's definition, for related locations


@dataclass(frozen=True)
class ConvexFunction:
    file: SourceFile
    name: str  # the export name
    node: Node  # the exported name (where findings point)
    call: Node  # `mutation({...})`
    builder: Builder
    handler: Node | None  # the handler function
    handler_file: SourceFile

    @property
    def label(self) -> str:
        return f"{'public' if self.builder.public else 'internal'} Convex {self.builder.kind} `{self.reference}`"

    @property
    def reference(self) -> str:
        """``notes:remove`` — the name clients call it by (module path under ``convex/``)."""
        parts = Path(self.file.rel).with_suffix("").parts
        if "convex" in parts:
            parts = parts[len(parts) - 1 - list(reversed(parts)).index("convex") + 1:]
        module = "/".join(parts) or self.file.name
        return f"{module}:{self.name}" if self.name != "default" else module


@dataclass(frozen=True)
class DataUse:
    label: str
    node: Node


class ConvexModel:
    def __init__(self, project: "Project") -> None:
        self.project = project
        self._functions: dict[str, list[ConvexFunction]] = {}
        self._builders: dict[tuple[str, int], Builder | None] = {}
        self._clerk: dict[Path, bool | None] = {}
        self._helpers: dict[tuple[str, int], bool] = {}
        self._unguarded: dict[tuple[str, int], tuple[list[DataUse], Guard | None]] = {}

    # -- functions -------------------------------------------------------------------------------

    def functions(self, file: SourceFile) -> list[ConvexFunction]:
        """The Convex functions a module exports (cached)."""
        if file.rel not in self._functions:
            self._functions[file.rel] = self._find(file) if self._is_convex_module(file) else []
        return self._functions[file.rel]

    def _is_convex_module(self, file: SourceFile) -> bool:
        if file.grammar not in JS_FAMILY or "_generated" in Path(file.rel).parts:
            return False
        if not any(word in file.data for word in (b"uery", b"utation", b"ction")):
            return False
        facts = self.project.js(file)
        if facts.directive == "use client":
            return False
        if any(_generated(b.source) or b.source == "convex/server" for b in facts.imports):
            return True
        return "convex" in Path(file.rel).parts[:-1]

    def _find(self, file: SourceFile) -> list[ConvexFunction]:
        found = []
        for name, export in self.project.js(file).exports.items():
            value = export.value
            while value is not None and value.type in ("parenthesized_expression", "as_expression", "satisfies_expression"):
                value = value.named_children[0] if value.named_children else None
            if value is None or value.type != "call_expression":
                continue
            builder = self.builder(file, value.child_by_field_name("function"))
            if builder is None:
                continue
            handler_file, handler = self._handler(file, value)
            found.append(ConvexFunction(file, name, export.node, value, builder, handler, handler_file))
        return found

    def builder(self, file: SourceFile, callee: Node | None, depth: int = 0) -> Builder | None:
        """The builder an expression names: an import from ``_generated/server`` or ``convex/server``,
        or a custom builder defined in the project (followed across files)."""
        if callee is None or callee.type != "identifier" or depth > MAX_BUILDER_DEPTH:
            return None
        name = text(callee)
        facts = self.project.js(file)
        binding = facts.bindings.get(name)
        if binding is not None:
            if _generated(binding.source) and binding.imported in BUILDERS:
                kind, public = BUILDERS[binding.imported]
                return Builder(kind, public, name)
            if binding.source == "convex/server" and binding.imported in GENERIC_BUILDERS:
                kind, public = GENERIC_BUILDERS[binding.imported]
                return Builder(kind, public, name)
        symbol = self.project.symbols.lookup(file, name)
        if symbol.kind != VALUE or symbol.file is None or symbol.node is None:
            return None
        key = (str(symbol.file.path), symbol.node.start_byte)
        if key not in self._builders:
            self._builders[key] = None  # cycles end here
            self._builders[key] = self._custom(symbol.file, symbol.node, name, depth)
        found = self._builders[key]
        if found is not None and found.name != name:
            found = Builder(found.kind, found.public, name, found.guard, found.where)
        return found

    def _custom(self, file: SourceFile, value: Node, name: str, depth: int) -> Builder | None:
        """``customQuery(query, customCtx(async (ctx) => { ...check...; return { user } }))``: the base
        builder, and a guard when one of the functions it is given checks the identity and throws."""
        while value.type in ("parenthesized_expression", "as_expression", "satisfies_expression") and value.named_children:
            value = value.named_children[0]
        if value.type != "call_expression":
            return None
        args = value.child_by_field_name("arguments")
        first = args.named_children[0] if args is not None and args.named_children else None
        base = self.builder(file, first, depth + 1) if first is not None else None
        callee = value.child_by_field_name("function")
        if base is None:
            return None
        if callee is None or (text(callee).split(".")[-1] not in CUSTOM_BUILDERS and base is None):
            return None
        guard = base.guard
        if guard is None and args is not None:
            guards = self.project.guards
            for function in captures(file.grammar, FUNCTION_QUERY, args).get("fn", ()):
                verdict = guards.analyse(file, function, mode="helper")
                if verdict.guard is not None:
                    guard = Guard(
                        verdict.guard.how, verdict.guard.file, verdict.guard.node,
                        file.node_location(value, f"custom builder {name}"), verdict.guard.kind,
                    )
                    break
                guard = self._helper_guard(file, function, value, name)
                if guard is not None:
                    break
        return Builder(base.kind, base.public, name, guard, file.node_location(value, f"custom builder {name}"))

    def _helper_guard(self, file: SourceFile, function: Node, value: Node, name: str) -> Guard | None:
        """``customCtx(async (ctx) => ({ user: await getCurrentUserOrThrow(ctx) }))``: a guard helper
        called anywhere in the builder's function (its throw stops every function built with it)."""
        guards = self.project.guards
        for call in captures(file.grammar, CALL_QUERY, function).get("call", ()):
            callee = call.child_by_field_name("function")
            if callee is None or call.parent is None or call.parent.type != "await_expression":
                continue
            symbol = guards._function_symbol(file, callee)
            if symbol.kind == FUNCTION and symbol.file is not None and symbol.node is not None:
                summary = guards.summary(symbol.file, symbol.node)
                if summary.guards is not None:
                    return Guard(f"guard helper `{text(callee)}()`", file, call, file.node_location(value, f"custom builder {name}"))
        return None

    def _handler(self, file: SourceFile, call: Node) -> tuple[SourceFile, Node | None]:
        args = call.child_by_field_name("arguments")
        first = args.named_children[0] if args is not None and args.named_children else None
        while first is not None and first.type in ("parenthesized_expression", "as_expression", "satisfies_expression") and first.named_children:
            first = first.named_children[0]
        if first is None:
            return file, None
        if first.type in FUNCTION_TYPES:
            return file, first
        if first.type == "object":
            for pair in first.named_children:
                if pair.type == "method_definition" and text(pair.child_by_field_name("name")) == "handler":
                    return file, pair
                if pair.type != "pair" or text(pair.child_by_field_name("key")) != "handler":
                    continue
                value = pair.child_by_field_name("value")
                if value is not None and value.type in FUNCTION_TYPES:
                    return file, value
                if value is not None and value.type == "identifier":
                    symbol = self.project.symbols.lookup(file, text(value))
                    if symbol.kind == FUNCTION and symbol.file is not None:
                        return symbol.file, symbol.node
        return file, None

    # -- Clerk -----------------------------------------------------------------------------------

    def uses_clerk(self, file: SourceFile) -> bool:
        """Whether the Convex backend authenticates with Clerk: the nearest package.json depends on a
        ``@clerk/*`` package, or ``convex/auth.config.*`` names Clerk."""
        manifest = self.project.manifest_for(file)
        if manifest is not None and any(name.startswith("@clerk/") for name in manifest.dependencies):
            return True
        for directory in self.project._ancestors(file.real):
            if directory.name != "convex":
                continue
            if directory not in self._clerk:
                found = None
                for candidate in sorted(directory.glob("auth.config.*")):
                    try:
                        found = bool(found) or b"clerk" in candidate.read_bytes().lower()
                    except OSError:
                        continue
                self._clerk[directory] = found
            if self._clerk[directory] is not None:
                return self._clerk[directory]
            break
        return manifest is None

    # -- identity --------------------------------------------------------------------------------

    def data_uses(self, function: ConvexFunction) -> list[DataUse]:
        """Where a handler reaches data: ``ctx.db.*``, ``ctx.storage.*``, ``ctx.run*``, and project
        helpers it hands ``ctx`` to that do for a signed-out caller."""
        if function.handler is None:
            return []
        return self._data_uses(function.handler_file, function.handler, 0)

    def _data_uses(self, file: SourceFile, handler: Node, depth: int) -> list[DataUse]:
        names = _parameter_names(handler)
        ctx = names[0] if names else None
        db_names = _destructured(handler, 0)
        uses = []
        for call in captures(file.grammar, CALL_QUERY, handler).get("call", ()):
            callee = call.child_by_field_name("function")
            if callee is None:
                continue
            chain = _member_names(callee)
            if ctx is not None and len(chain) >= 3 and chain[0] == ctx and chain[1] in DATA_MEMBERS:
                uses.append(DataUse(f"{chain[0]}.{chain[1]}.{chain[2]}", call))
                continue
            if ctx is not None and len(chain) == 2 and chain[0] == ctx and chain[1] in DATA_MEMBERS:
                uses.append(DataUse(f"{chain[0]}.{chain[1]}", call))
                continue
            if len(chain) >= 2 and chain[0] in db_names and chain[0] in DATA_MEMBERS:
                uses.append(DataUse(".".join(chain[:2]), call))
                continue
            if ctx is not None and callee.type == "identifier" and _passes(call, ctx) and self._helper_reaches_data(file, callee, depth):
                uses.append(DataUse(f"{text(callee)}()", call))
        return _outermost_first(uses)

    def _helper_reaches_data(self, file: SourceFile, callee: Node, depth: int) -> bool:
        """Whether a helper handed ``ctx`` reaches data for a signed-out caller (a helper that checks
        the identity first, and returns null or throws without one, does not)."""
        if depth >= 3:
            return False
        symbol = self.project.guards._function_symbol(file, callee)
        if symbol.kind != FUNCTION or symbol.file is None or symbol.node is None:
            return False
        key = (str(symbol.file.path), symbol.node.start_byte)
        if key not in self._helpers:
            self._helpers[key] = False  # recursion ends here
            self._helpers[key] = bool(self._exposed(symbol.file, symbol.node, depth + 1)[0])
        return self._helpers[key]

    def reference(self, file: SourceFile, reference: Node) -> tuple[SourceFile | None, Node | None]:
        """The handler a function reference names: ``internal.users.clerk.fulfill`` (through the
        ``_generated/api`` import) or ``makeFunctionReference("users/clerk:fulfill")``."""
        node = _unwrap_ref(reference)
        if node is None:
            return None, None
        if node.type == "call_expression" and text(node.child_by_field_name("function")).endswith("makeFunctionReference"):
            args = node.child_by_field_name("arguments")
            first = args.named_children[0] if args is not None and args.named_children else None
            value = text(first).strip("'\"`") if first is not None and first.type in ("string", "template_string") else ""
            module, _, name = value.partition(":")
            if not module or not name:
                return None, None
            convex_dir = self._convex_dir(file)
            return self._function_in(convex_dir.joinpath(*module.split("/")), name) if convex_dir else (None, None)
        parts = []
        while node is not None and node.type == "member_expression":
            parts.append(text(node.child_by_field_name("property")))
            node = _unwrap_ref(node.child_by_field_name("object"))
        if node is None or node.type != "identifier" or len(parts) < 2:
            return None, None
        binding = self.project.js(file).bindings.get(text(node))
        if binding is None or not binding.source.endswith("_generated/api"):
            return None, None
        parts.reverse()
        convex_dir = (file.path.parent / binding.source).parent.parent
        return self._function_in(convex_dir.joinpath(*parts[:-1]), parts[-1])

    def _convex_dir(self, file: SourceFile) -> Path | None:
        for parent in file.path.parents:
            if parent.name == "convex":
                return parent
        return None

    def _function_in(self, base: Path, name: str) -> tuple[SourceFile | None, Node | None]:
        for suffix in (".ts", ".js", ".tsx", ".mts", ".jsx", "/index.ts", "/index.js"):
            candidate = base.parent / (base.name + suffix) if not suffix.startswith("/") else base / suffix[1:]
            if not candidate.is_file():
                continue
            target = self.project.load(candidate)
            if target is None:
                return None, None
            for function in self.functions(target):
                if function.name == name and function.handler is not None:
                    return function.handler_file, function.handler
            return None, None
        return None, None

    def _called_guard(self, file: SourceFile, handler: Node) -> Guard | None:
        """``await ctx.runMutation(internal.orgs._assertAdmin, { orgId })`` in an action: the internal
        function it runs checks identity (the caller's identity carries over) and throws, so what
        follows the call is guarded (data used before it stays exposed)."""
        body = handler.child_by_field_name("body")
        if body is None or body.type != "statement_block":
            return None
        for statement in body.named_children:
            for call in captures(file.grammar, "(await_expression (call_expression) @call)", statement).get("call", ()):
                callee = call.child_by_field_name("function")
                if callee is None or callee.type != "member_expression" or text(callee.child_by_field_name("property")) not in RUN_CALLS:
                    continue
                args = call.child_by_field_name("arguments")
                if args is None or not args.named_children:
                    continue
                reference = _unwrap_ref(args.named_children[0])
                if reference is not None and reference.type == "identifier":  # const prepRef = makeFunctionReference(...)
                    reference = _local_value(handler, text(reference)) or reference
                target_file, target = self.reference(file, reference)
                if target_file is None or target is None:
                    continue
                guard = self.project.guards.summary(target_file, target).guards
                if guard is not None and guard.kind in ("auth", "ownership"):
                    where = target_file.node_location(target, "internal function that checks identity")
                    return Guard(f"`{text(args.named_children[0])}` checks identity", file, call, where)
        return None

    def unguarded(self, function: ConvexFunction) -> tuple[list[DataUse], Guard | None]:
        """The data a signed-out caller reaches, and the identity check (None when there is none)."""
        if function.builder.guard is not None:
            return [], function.builder.guard
        if function.handler is None:
            return [], None
        key = (str(function.handler_file.path), function.handler.start_byte)
        if key not in self._unguarded:
            self._unguarded[key] = self._exposed(function.handler_file, function.handler, 0)
        return self._unguarded[key]

    def _exposed(self, file: SourceFile, handler: Node, depth: int) -> tuple[list[DataUse], Guard | None]:
        uses = self._data_uses(file, handler, depth)
        if not uses:
            return [], None
        verdict = self.project.guards.analyse(file, handler, mode="entry")
        guard = verdict.guard or self._called_guard(file, handler)
        if guard is not None:
            tested = {text(n) for n in walk(guard.node) if n.type == "identifier"}
            return [u for u in uses if u.node.start_byte < guard.node.start_byte and not _feeds(u.node, tested)], guard
        identities = self._identity_names(file, handler)
        regions = self._signed_in_regions(file, handler, identities)
        derefs = self._dereferences(file, handler, identities)
        exposed = []
        for use in uses:
            if any(start <= use.node.start_byte < end for start, end in regions):
                continue
            if any(position < use.node.end_byte for position in derefs):
                continue  # `identity.subject` threw for a signed-out caller before this ran
            exposed.append(use)
        return exposed, None

    def _identity_names(self, file: SourceFile, handler: Node) -> set[str]:
        """Locals holding the caller's identity (``await ctx.auth.getUserIdentity()``, a helper that
        depends on it)."""
        names: set[str] = set()
        for declarator in captures(file.grammar, "(variable_declarator name: (identifier) @name value: (await_expression) @value)", handler).get("name", ()):
            value = declarator.parent.child_by_field_name("value") if declarator.parent is not None else None
            call = value.named_children[0] if value is not None and value.named_children else None
            if call is not None and call.type == "call_expression" and self.project.guards.session_call(file, call):
                names.add(text(declarator))
        return names

    def _signed_in_regions(self, file: SourceFile, handler: Node, identities: set[str]) -> list[tuple[int, int]]:
        if not identities:
            return []
        regions = []
        for statement in captures(file.grammar, "(if_statement) @if", handler).get("if", ()):
            condition = statement.child_by_field_name("condition")
            consequence = statement.child_by_field_name("consequence")
            if condition is not None and consequence is not None and _positive(condition, identities):
                regions.append((consequence.start_byte, consequence.end_byte))
        return regions

    def _dereferences(self, file: SourceFile, handler: Node, identities: set[str]) -> list[int]:
        """Positions of ``identity.subject`` (no ``?.``): a TypeError for a signed-out caller."""
        if not identities:
            return []
        found = []
        for member in captures(file.grammar, MEMBER_QUERY, handler).get("member", ()):
            obj = member.child_by_field_name("object")
            while obj is not None and obj.type == "non_null_expression" and obj.named_children:
                obj = obj.named_children[0]
            if obj is None or obj.type != "identifier" or text(obj) not in identities:
                continue
            if any(child.type == "optional_chain" for child in member.children):
                continue
            found.append(member.start_byte)
        return found

    # -- CLK205: ctx.auth.getUserIdentity() without await ----------------------------------------

    def unawaited_identity(self, file: SourceFile) -> list[tuple[Node, str]]:
        """``ctx.auth.getUserIdentity()`` whose Promise is tested, stored and never awaited, dropped, or
        read from: (the call, a message)."""
        from clerk_lint.project.calls import ASSIGNED, DESTRUCTURED, DROPPED, HANDLED, MEMBER, TRUTHY, use_of, variable_uses

        if b"getUserIdentity" not in file.data or file.grammar not in JS_FAMILY:
            return []
        found = []
        for call in captures(file.grammar, CALL_QUERY, file.root).get("call", ()):
            callee = call.child_by_field_name("function")
            chain = _member_names(callee) if callee is not None else []
            if len(chain) < 3 or chain[-1] != "getUserIdentity" or chain[-2] != "auth":
                continue
            shown = f"{'.'.join(chain)}()"
            use = use_of(call, through_then=True)
            if use.kind == HANDLED:
                continue
            if use.kind == ASSIGNED:
                uses = variable_uses(use.target, through_then=True)
                if any(u.kind == HANDLED for u in uses):
                    continue
                tested = any(u.kind == TRUTHY for u in uses)
                tail = (
                    f"so `{text(use.target)}` is a Promise: the check on it is always passed (fails open)"
                    if tested
                    else f"so `{text(use.target)}` is a Promise, never the identity"
                )
                found.append((call, f"`{shown}` is not awaited: it is stored in `{text(use.target)}` and never awaited, {tail}; use `await {shown}`"))
            elif use.kind == TRUTHY:
                found.append((call, f"`{shown}` is not awaited: a Promise is always truthy, so this check is always passed (fails open); use `await {shown}`"))
            elif use.kind == DROPPED:
                found.append((call, f"`{shown}` is not awaited and its result is dropped: nothing is checked; use `const identity = await {shown}` and refuse a null identity"))
            elif use.kind in (MEMBER, DESTRUCTURED):
                found.append((call, f"`{shown}` is not awaited: fields read from the Promise are undefined; use `await {shown}`"))
        return found


# -- helpers --------------------------------------------------------------------------------------


def _generated(source: str | None) -> bool:
    if not source:
        return False
    source = source.rstrip("/")
    for suffix in (".js", ".ts", ".mjs"):
        if source.endswith(suffix):
            source = source[: -len(suffix)]
    return source.endswith("_generated/server")


def parameter_patterns(function: Node) -> list[Node]:
    """The binding pattern of each parameter of a function: an identifier, an object/array pattern
    (defaults stripped); ``[]`` when it has none."""
    params = function.child_by_field_name("parameters") or function.child_by_field_name("parameter")
    if params is None:
        return []
    if params.type == "identifier":
        return [params]
    patterns = []
    for param in params.named_children:
        if param.type == "comment":
            continue
        node = param
        if param.type in ("required_parameter", "optional_parameter"):
            node = param.child_by_field_name("pattern") or param
        if node.type == "assignment_pattern":
            node = node.child_by_field_name("left") or node
        patterns.append(node)
    return patterns


def _parameter_names(function: Node) -> list[str | None]:
    return [text(p) if p.type == "identifier" else None for p in parameter_patterns(function)]


def _destructured(function: Node, index: int) -> set[str]:
    """Names destructured from the ``index``-th parameter (``async ({ db }, args) => ...``)."""
    patterns = parameter_patterns(function)
    if index >= len(patterns) or patterns[index].type != "object_pattern":
        return set()
    names = set()
    for prop in patterns[index].named_children:
        if prop.type == "shorthand_property_identifier_pattern":
            names.add(text(prop))
    return names


def _member_names(node: Node | None) -> list[str]:
    """``ctx.db.query`` -> ["ctx", "db", "query"]; [] for anything but a plain member chain."""
    names: list[str] = []
    while node is not None:
        if node.type == "non_null_expression" and node.named_children:
            node = node.named_children[0]
            continue
        if node.type == "member_expression":
            prop = node.child_by_field_name("property")
            names.append(text(prop))
            node = node.child_by_field_name("object")
            continue
        if node.type == "identifier":
            names.append(text(node))
            return list(reversed(names))
        return []
    return []


def _passes(call: Node, name: str) -> bool:
    args = call.child_by_field_name("arguments")
    return args is not None and any(a.type == "identifier" and text(a) == name for a in args.named_children)


def _positive(condition: Node, names: set[str]) -> bool:
    node = condition
    while node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    if node.type == "identifier":
        return text(node) in names
    if node.type == "member_expression":
        return _member_names(node)[:1] and _member_names(node)[0] in names
    if node.type == "binary_expression":
        op = node.child_by_field_name("operator")
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if op is not None and text(op) == "&&":
            return any(side is not None and _positive(side, names) for side in (left, right))
        if op is not None and text(op) in ("!==", "!=") and right is not None and text(right) in ("null", "undefined"):
            return left is not None and _positive(left, names)
    return False


def _feeds(node: Node, names: set[str]) -> bool:
    """Whether ``node`` computes the value of a local the guard tests
    (``const access = await hasAccessToFile(ctx, id); if (!access) throw``): it is part of the check."""
    parent = node.parent
    for _ in range(6):
        if parent is None:
            return False
        if parent.type == "variable_declarator":
            name = parent.child_by_field_name("name")
            return name is not None and name.type == "identifier" and text(name) in names
        if parent.type not in ("await_expression", "parenthesized_expression", "as_expression", "non_null_expression"):
            return False
        parent = parent.parent
    return False


def _outermost_first(uses: list[DataUse]) -> list[DataUse]:
    """One use per access: ``ctx.db.query('t').withIndex(...).collect()`` counts once."""
    uses = sorted(uses, key=lambda u: (u.node.start_byte, -u.node.end_byte))
    kept: list[DataUse] = []
    for use in uses:
        if kept and kept[-1].node.start_byte == use.node.start_byte and use.node.end_byte <= kept[-1].node.end_byte:
            continue
        kept.append(use)
    return kept


RUN_CALLS = frozenset({"runQuery", "runMutation", "runAction"})


def _unwrap_ref(node: Node | None) -> Node | None:
    while node is not None and node.type in ("parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression") and node.named_children:
        node = node.named_children[0]
    return node


def _local_value(function: Node, name: str) -> Node | None:
    """The value a ``const`` of ``function`` binds to ``name``."""
    for node in walk(function):
        if node.type == "variable_declarator":
            bound = node.child_by_field_name("name")
            if bound is not None and bound.type == "identifier" and text(bound) == name:
                return node.child_by_field_name("value")
    return None
