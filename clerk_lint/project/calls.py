"""How a Clerk call's value is used: awaited, returned, dropped, destructured, tested, passed on.

Shared by the async-misuse rules (CLK203 unawaited-auth, CLK204 v5-api-on-v6, CLK205 unawaited-guard,
CLK209 swallowed-auth-error). Two questions are answered here:

* :class:`ClerkNames` — which expressions in a module name an export of ``@clerk/nextjs`` (``auth``,
  ``clerkClient``, ``currentUser``, ...), through named imports, aliases, namespace imports, CommonJS
  ``require`` and local re-exports (via :class:`~clerk_lint.project.symbols.Symbols`), plus the first
  parameter of a callback passed to ``clerkMiddleware`` (the middleware's ``auth``).
* :func:`use_of` — what the code around an expression does with its value, one step at a time up the
  tree (no recursion over trees: every walk is a loop over ``.parent``, a compiled query or the
  iterative :func:`~clerk_lint.parsing.walk`).
* :func:`field_fails_open` — whether a value read off an unawaited auth Promise (``undefined``) makes a
  check fail open: a deny test that only denies on a match, or a database match filter.

Everything is syntactic and per function: a promise stored in a variable is followed through the
references to that name inside the enclosing function (or module), never across calls.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tree_sitter import Node

from clerk_lint.parsing import captures, text, walk
from clerk_lint.parsing import last_name as _last_name
from clerk_lint.parsing import unwrap as _unwrap
from clerk_lint.project.js import FUNCTION_TYPES
from clerk_lint.project.symbols import CLERK, MODULE
from clerk_lint.source import SourceFile

if TYPE_CHECKING:
    from clerk_lint.project import Project

NEXTJS = "@clerk/nextjs"

# -- kinds of use -----------------------------------------------------------------------------------

HANDLED = "handled"  # awaited, returned, .then/.catch-ed, given to an awaited Promise.all
DROPPED = "dropped"  # the value is thrown away (expression statement, `void`)
DESTRUCTURED = "destructured"  # `const { userId } = <value>`
MEMBER = "member"  # `<value>.prop` / `<value>['prop']`
TRUTHY = "truthy"  # `if (<value>)`, `!<value>`, `<value> && x`, `<value> == null`
ASSIGNED = "assigned"  # `const name = <value>` / `name = <value>`
PASSED = "passed"  # an argument, an object/array element, anything else

#: wrappers that do not change a value
TRANSPARENT = frozenset({"parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression", "type_assertion"})
PROMISE_METHODS = frozenset({"then", "catch", "finally"})
PROMISE_COMBINATORS = frozenset({"all", "allSettled", "race", "any"})
#: calls that end the request by throwing a Next.js / Clerk control-flow error
EXIT_CALLS = frozenset({"redirect", "permanentRedirect", "notFound", "unauthorized", "forbidden", "redirectToSignIn", "redirectToSignUp"})
#: methods whose first argument is a filter (Mongoose, MongoDB, Sequelize, TypeORM, ...)
FILTER_METHODS = frozenset({
    "find", "findOne", "findOneAndUpdate", "findOneAndDelete", "findOneAndReplace", "updateOne", "updateMany", "deleteOne",
    "deleteMany", "countDocuments", "count", "exists", "findBy", "findOneBy", "findAll", "findAndCountAll", "destroy", "match",
    "findMany", "findFirst", "findUnique", "findFirstOrThrow", "findUniqueOrThrow", "aggregate", "groupBy",
})
#: object keys whose subtree is written, not matched (`data: { ownerId }`, `values`, `set`)
WRITE_KEYS = frozenset({"data", "values", "set", "$set", "create", "update", "select", "include"})

REFERENCE_TYPES = frozenset({"identifier", "shorthand_property_identifier"})
CALL_QUERY = "(call_expression) @call"


@dataclass(frozen=True)
class Use:
    kind: str
    node: Node  # the expression whose value is used this way (the call, a wrapper, the member access ...)
    how: str = ""  # for messages: "awaited", "passed to getData()", ...
    target: Node | None = None  # ASSIGNED: the name; DESTRUCTURED: the pattern; MEMBER: the member expression


# -- names ------------------------------------------------------------------------------------------

_NAMES: "weakref.WeakKeyDictionary[Project, dict[int, ClerkNames]]" = weakref.WeakKeyDictionary()


def server_clerk_names(project: "Project", file: SourceFile) -> "ClerkNames | None":
    """The Clerk names of a file that runs on the server and uses Clerk (None for a ``'use client'``
    module or a file without Clerk): the common start of the rules on Clerk calls."""
    if project.js(file).directive == "use client":
        return None
    names = clerk_names(project, file)
    return None if names.empty else names


def clerk_names(project: "Project", file: SourceFile) -> "ClerkNames":
    """:class:`ClerkNames` of ``file``, computed once per run and shared by the rules."""
    per_project = _NAMES.get(project)
    if per_project is None:
        per_project = _NAMES[project] = {}
    found = per_project.get(id(file))
    if found is None or found.file is not file:
        found = per_project[id(file)] = ClerkNames.of(project, file)
    return found



@dataclass
class ClerkNames:
    """The expressions of one module that name ``@clerk/nextjs`` exports."""

    project: "Project"
    file: SourceFile
    direct: dict[str, str] = field(default_factory=dict)  # local name -> Clerk export name
    namespaces: set[str] = field(default_factory=set)  # local names bound to a module namespace
    #: (parameter name, callback) for callbacks passed to clerkMiddleware: the parameter is `auth`
    middleware: list[tuple[str, Node]] = field(default_factory=list)

    @classmethod
    def of(cls, project: "Project", file: SourceFile) -> "ClerkNames":
        names = cls(project, file)
        facts = project.js(file)
        for local in facts.bindings:
            symbol = project.symbols.lookup(file, local)
            if symbol.kind == CLERK and (symbol.source or "").startswith(NEXTJS):
                names.direct[local] = symbol.name
            elif symbol.kind == MODULE:
                names.namespaces.add(local)
        if "clerkMiddleware" in names.direct.values() or names.namespaces:
            names._middleware_callbacks()
        return names

    @property
    def empty(self) -> bool:
        return not self.direct and not self.namespaces and not self.middleware

    def export(self, node: Node | None) -> str | None:
        """The ``@clerk/nextjs`` export ``node`` names (``auth``, ``clerk.auth``, an alias, a local
        re-export), ``"auth"`` for a clerkMiddleware callback's first parameter, else None."""
        node = unwrap(node)
        if node is None:
            return None
        if node.type == "identifier":
            name = text(node)
            found = self.direct.get(name)
            if found is not None:
                return found
            for param, callback in self.middleware:
                if name == param and callback.start_byte <= node.start_byte < callback.end_byte:
                    return "auth"
            return None
        if node.type == "member_expression":
            obj = node.child_by_field_name("object")
            if obj is not None and obj.type == "identifier" and text(obj) in self.namespaces:
                symbol = self.project.symbols.callee(self.file, node)
                if symbol.kind == CLERK and (symbol.source or "").startswith(NEXTJS):
                    return symbol.name
        return None

    def is_auth(self, node: Node | None) -> bool:
        return self.export(node) == "auth"

    def in_middleware(self, node: Node) -> bool:
        return any(callback.start_byte <= node.start_byte < callback.end_byte for _, callback in self.middleware)

    def calls(self, *exports: str) -> list[tuple[str, Node]]:
        """Every call in the module of one of ``exports``: (export name, call node)."""
        found = []
        for call in captures(self.file.grammar, CALL_QUERY, self.file.root).get("call", ()):
            name = self.export(call.child_by_field_name("function"))
            if name in exports:
                found.append((name, call))
        return found

    def _middleware_callbacks(self) -> None:
        facts = self.project.js(self.file)
        for call in captures(self.file.grammar, CALL_QUERY, self.file.root).get("call", ()):
            if self.export(call.child_by_field_name("function")) != "clerkMiddleware":
                continue
            args = call.child_by_field_name("arguments")
            first = args.named_children[0] if args is not None and args.named_children else None
            callback = unwrap(first)
            if callback is not None and callback.type == "identifier":
                callback = facts.local_function(text(callback))
            if callback is None or callback.type not in FUNCTION_TYPES:
                continue
            param = first_parameter(callback)
            if param:
                self.middleware.append((param, callback))


def first_parameter(function: Node) -> str | None:
    params = function.child_by_field_name("parameters") or function.child_by_field_name("parameter")
    if params is None:
        return None
    if params.type == "identifier":  # `auth => ...`
        return text(params)
    for param in params.named_children:
        if param.type == "identifier":
            return text(param)
        if param.type in ("required_parameter", "optional_parameter"):
            pattern = param.child_by_field_name("pattern")
            return text(pattern) if pattern is not None and pattern.type == "identifier" else None
        if param.type != "comment":
            return None
    return None


# -- tree helpers -----------------------------------------------------------------------------------


def enclosing_function(node: Node) -> Node | None:
    parent = node.parent
    while parent is not None:
        if parent.type in FUNCTION_TYPES:
            return parent
        parent = parent.parent
    return None


def same_function(a: Node, b: Node) -> bool:
    fa, fb = enclosing_function(a), enclosing_function(b)
    if fa is None or fb is None:
        return fa is None and fb is None
    return fa.id == fb.id


def scope_of(node: Node) -> Node:
    """The function around ``node``, or the module."""
    function = enclosing_function(node)
    if function is not None:
        return function
    root = node
    while root.parent is not None:
        root = root.parent
    return root


def member_chain(member: Node) -> Node:
    """The whole property chain that starts with ``member``: ``auth().sessionClaims?.metadata?.role``."""
    current = member
    while current.parent is not None and current.parent.type in ("member_expression", "subscript_expression"):
        if current.parent.child_by_field_name("object") != current:
            break
        current = current.parent
    return current


def references(name: str, scope: Node, after: int) -> list[Node]:
    """Uses of ``name`` in ``scope`` that start at or after byte ``after`` (shadowing is ignored)."""
    if scope.text is None or name.encode() not in scope.text:
        return []
    found = []
    for node in walk(scope):
        if node.type in REFERENCE_TYPES and node.start_byte >= after and text(node) == name and not _is_binding_site(node):
            found.append(node)
    return found


def _is_binding_site(node: Node) -> bool:
    parent = node.parent
    if parent is None:
        return False
    if parent.type == "variable_declarator" and parent.child_by_field_name("name") == node:
        return True
    return parent.type in ("required_parameter", "optional_parameter", "formal_parameters")


def bound_names(pattern: Node) -> list[Node]:
    """The identifiers a destructuring pattern binds (``{ userId, orgRole: role, a: { b } }``)."""
    names = []
    stack = [pattern]
    while stack:
        node = stack.pop()
        if node.type in ("identifier", "shorthand_property_identifier_pattern"):
            names.append(node)
        elif node.type == "pair_pattern":
            value = node.child_by_field_name("value")
            if value is not None:
                stack.append(value)
        elif node.type in ("object_assignment_pattern", "assignment_pattern"):
            left = node.child_by_field_name("left")
            if left is not None:
                stack.append(left)
        elif node.type in ("object_pattern", "array_pattern", "rest_pattern"):
            stack.extend(reversed(node.named_children))
    return sorted(names, key=lambda n: n.start_byte)


def exits(node: Node | None) -> bool:
    """Whether running the statement ``node`` leaves the function (return, throw, redirect())."""
    if node is None:
        return False
    if node.type in ("statement_block", "else_clause"):
        return any(exits(child) for child in node.named_children if child.type != "comment")
    if node.type in ("return_statement", "throw_statement"):
        return True
    if node.type == "expression_statement" and node.named_children:
        expr = unwrap(node.named_children[0])
        if expr is not None and expr.type == "await_expression" and expr.named_children:
            expr = unwrap(expr.named_children[0])
        return expr is not None and expr.type == "call_expression" and (
            last_name(expr.child_by_field_name("function")) in EXIT_CALLS | {"protect"}
        )
    return False


# -- uses -------------------------------------------------------------------------------------------


def use_of(node: Node, *, through_then: bool = False) -> Use:
    """What the surrounding code does with the value of ``node``.

    ``through_then``: follow ``.then()/.catch()/.finally()`` chains and classify the chain's own use
    (a dropped ``auth.protect().catch(...)`` is still dropped); otherwise a chain counts as handled.
    """
    current = node
    while True:
        parent = current.parent
        if parent is None:
            return Use(DROPPED, current, "discarded")
        kind = parent.type
        if kind in TRANSPARENT:
            current = parent
            continue
        if kind == "await_expression":
            return Use(HANDLED, current, "awaited")
        if kind == "return_statement":
            return Use(HANDLED, current, "returned")
        if kind == "arrow_function" and parent.child_by_field_name("body") == current:
            return Use(HANDLED, current, "returned")
        if kind in ("member_expression", "subscript_expression") and parent.child_by_field_name("object") == current:
            prop = last_name(parent) if kind == "member_expression" else ""
            call = parent.parent
            if prop in PROMISE_METHODS and call is not None and call.type == "call_expression" and call.child_by_field_name("function") == parent:
                if not through_then:
                    return Use(HANDLED, current, f".{prop}()-ed")
                current = call
                continue
            return Use(MEMBER, current, "member access", parent)
        if kind == "expression_statement":
            return Use(DROPPED, current, "discarded")
        if kind == "sequence_expression":
            if parent.named_children and parent.named_children[-1] == current:
                current = parent
                continue
            return Use(DROPPED, current, "discarded")
        if kind == "unary_expression":
            op = text(parent.child_by_field_name("operator"))
            if op == "!":
                return Use(TRUTHY, current, "negated")
            if op == "void":
                return Use(DROPPED, current, "discarded with void")
            return Use(PASSED, current, f"used with {op}")
        if kind == "binary_expression":
            op = text(parent.child_by_field_name("operator"))
            left = parent.child_by_field_name("left")
            if op in ("&&", "||"):
                if left == current:
                    return Use(TRUTHY, current, f"tested with {op}")
                current = parent
                continue
            if op == "??":
                current = parent
                continue
            if op in ("==", "===", "!=", "!=="):
                other = parent.child_by_field_name("right") if left == current else left
                if text(other) in ("null", "undefined"):
                    return Use(TRUTHY, current, f"compared with {text(other)}")
            return Use(PASSED, current, f"used with {op}")
        if kind == "ternary_expression":
            if parent.child_by_field_name("condition") == current:
                return Use(TRUTHY, current, "tested")
            current = parent
            continue
        if kind in ("if_statement", "while_statement", "do_statement") and parent.child_by_field_name("condition") == current:
            return Use(TRUTHY, current, "tested")
        if kind == "for_statement" and parent.child_by_field_name("condition") == current:
            return Use(TRUTHY, current, "tested")
        if kind == "variable_declarator" and parent.child_by_field_name("value") == current:
            name = parent.child_by_field_name("name")
            if name is not None and name.type == "identifier":
                return Use(ASSIGNED, current, f"assigned to {text(name)}", name)
            if name is not None:
                return Use(DESTRUCTURED, current, "destructured", name)
            return Use(PASSED, current, "assigned")
        if kind == "assignment_expression" and parent.child_by_field_name("right") == current:
            left = parent.child_by_field_name("left")
            if left is not None and left.type == "identifier":
                return Use(ASSIGNED, current, f"assigned to {text(left)}", left)
            if left is not None and left.type in ("object_pattern", "array_pattern"):
                return Use(DESTRUCTURED, current, "destructured", left)
            return Use(PASSED, current, f"stored in {text(left)}")
        if kind == "array":
            call = _combinator_call(parent)
            if call is not None:
                current = call
                continue
            return Use(PASSED, current, "placed in an array")
        if kind == "arguments":
            call = parent.parent
            if call is not None and call.type == "call_expression" and _is_promise_call(call, {"resolve"}):
                current = call
                continue
            callee = call.child_by_field_name("function") if call is not None else None
            return Use(PASSED, current, f"passed to {_short(callee)}()")
        if kind in ("pair", "spread_element", "object"):
            return Use(PASSED, current, "placed in an object")
        return Use(PASSED, current, "used")


def _combinator_call(array: Node) -> Node | None:
    args = array.parent
    if args is None or args.type != "arguments":
        return None
    call = args.parent
    if call is not None and call.type == "call_expression" and _is_promise_call(call, PROMISE_COMBINATORS):
        return call
    return None


def _is_promise_call(call: Node, methods) -> bool:
    callee = unwrap(call.child_by_field_name("function"))
    if callee is None or callee.type != "member_expression":
        return False
    return text(callee.child_by_field_name("object")) == "Promise" and last_name(callee) in methods


def variable_uses(name_node: Node, *, through_then: bool = False) -> list[Use]:
    """The uses of the variable declared (or assigned) at ``name_node``, later in the same scope."""
    scope = scope_of(name_node)
    return [use_of(ref, through_then=through_then) for ref in references(text(name_node), scope, name_node.end_byte)]


def _short(node: Node | None, limit: int = 40) -> str:
    value = " ".join(text(node).split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


# -- fail-open shapes of an auth *field* (a value read from an unawaited auth object) ---------------


def field_fails_open(node: Node, depth: int = 0) -> str | None:
    """Why using ``node`` — a value that is ``undefined`` because it was read off a Promise
    (``auth().orgRole``, ``userId`` from ``const { userId } = auth()``) — fails open, or None.

    Two shapes: a deny test that only denies on a positive match (``if (role === 'org:viewer') deny``,
    ``if (banned.includes(role)) deny``), and a match filter of a database call
    (``where: { authorId: undefined }`` is "no filter" in Prisma and Mongoose).
    """
    current = node
    while True:
        parent = current.parent
        if parent is None:
            return None
        kind = parent.type
        if kind in TRANSPARENT:
            current = parent
            continue
        if kind in ("member_expression", "subscript_expression") and parent.child_by_field_name("object") == current:
            if not any(child.type == "optional_chain" for child in parent.children):
                return None  # `undefined.x` throws a TypeError: fails closed
            current = parent  # auth().sessionClaims?.metadata?.role
            continue
        if kind == "binary_expression":
            op = text(parent.child_by_field_name("operator"))
            left = parent.child_by_field_name("left")
            other = parent.child_by_field_name("right") if left == current else left
            if op in ("===", "=="):
                if text(other) == "undefined" or (op == "==" and text(other) == "null"):
                    return None
                return _deny_never_taken(parent, always=False)
            if op in ("!==", "!="):
                if text(other) == "undefined" or (op == "!=" and text(other) == "null"):
                    return None
                return _deny_never_taken(parent, always=True)
            if op == "??" and left == current:
                return None  # a default replaces the undefined
            if op in ("??", "||", "&&") and left != current:
                current = parent
                continue
            return None
        if kind == "arguments":
            call = parent.parent
            callee = unwrap(call.child_by_field_name("function")) if call is not None else None
            if callee is not None and callee.type == "member_expression" and last_name(callee) in ("includes", "has") and call is not None:
                return _deny_never_taken(call, always=False)
            return None
        if kind == "pair" and parent.child_by_field_name("value") == current:
            return _filter_reason(parent)
        if kind == "object" and current.type == "shorthand_property_identifier":
            return _filter_reason(current)
        if kind == "variable_declarator" and parent.child_by_field_name("value") == current and depth < 2:
            name = parent.child_by_field_name("name")
            if name is not None and name.type == "identifier":
                return names_fail_open([name], depth + 1)
            return None
        return None


def names_fail_open(names: list[Node], depth: int = 0) -> str | None:
    """:func:`field_fails_open` for every later use of each name, unless a falsy test of the name
    with an exit comes first (then every caller is refused before the dangerous use)."""
    for name in names:
        scope = scope_of(name)
        refs = references(text(name), scope, name.end_byte)
        for ref in refs:
            if _refused_before(ref, refs):
                break
            reason = field_fails_open(ref, depth)
            if reason:
                return reason
    return None


def _refused_before(ref: Node, refs: list[Node]) -> bool:
    """Whether an earlier reference is a falsy test with an exit (`if (!userId) return ...`)."""
    for earlier in refs:
        if earlier.start_byte >= ref.start_byte:
            return False
        use = use_of(earlier)
        if use.kind != TRUTHY:
            continue
        statement = use.node.parent
        while statement is not None and statement.type not in ("if_statement", "statement_block", "program"):
            statement = statement.parent
        if statement is None or statement.type != "if_statement":
            continue
        condition = statement.child_by_field_name("condition")
        inside = condition is not None and condition.start_byte <= earlier.start_byte < condition.end_byte
        if inside and exits(statement.child_by_field_name("consequence")):
            return True
    return False


def _deny_never_taken(comparison: Node, always: bool) -> str | None:
    """``comparison`` is always ``always`` (its auth side is undefined); follow it through ``!``,
    ``&&``, ``||`` and parentheses to an ``if``: when the branch that denies can then never be taken
    because of this comparison, the deny-list check fails open."""
    value = always
    current = comparison
    while True:
        parent = current.parent
        if parent is None:
            return None
        kind = parent.type
        if kind in TRANSPARENT:
            current = parent
            continue
        if kind == "unary_expression" and text(parent.child_by_field_name("operator")) == "!":
            value = not value
            current = parent
            continue
        if kind == "binary_expression" and text(parent.child_by_field_name("operator")) in ("&&", "||"):
            current = parent
            continue
        if kind == "if_statement" and parent.child_by_field_name("condition") == current:
            consequence = parent.child_by_field_name("consequence")
            alternative = parent.child_by_field_name("alternative")
            if not value and exits(consequence):
                return "the deny check compares undefined, so it never denies"
            if value and alternative is not None and exits(alternative) and not exits(consequence):
                return "the check compares undefined, so the protected branch always runs"
            return None
        return None


def _filter_reason(node: Node) -> str | None:
    """``node`` (a pair, or a shorthand property) sits in object literals passed to a database
    call as a match filter: under a ``where`` key, or in the first argument of a filter method."""
    keys = []
    current: Node = node
    while True:
        if current.type == "pair":
            keys.append(text(current.child_by_field_name("key")).strip("'\"`"))
        elif current.type == "shorthand_property_identifier":
            keys.append(text(current))
        parent = current.parent
        if parent is None:
            return None
        if parent.type in ("object", "pair", "array") or parent.type in TRANSPARENT:
            current = parent
            continue
        if parent.type != "arguments":
            return None
        break
    call = parent.parent
    if call is None or call.type != "call_expression" or any(key in WRITE_KEYS for key in keys):
        return None
    method = last_name(call.child_by_field_name("function"))
    first = next((a for a in parent.named_children if a.type != "comment"), None)
    if "where" in keys or (method in FILTER_METHODS and first == current):
        return "Prisma, Mongoose and TypeORM drop an undefined filter value, so the query matches every row"
    return None


def unwrap(node: Node | None) -> Node | None:
    """Parentheses and casts stripped; an ``await`` is kept (whether a call is awaited matters here)."""
    return _unwrap(node, awaits=False)


def last_name(node: Node | None) -> str:
    return _last_name(node, through_calls=False)
