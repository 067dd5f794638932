"""The HTTP endpoints a Python file defines.

Decorated routes (FastAPI ``@app.get`` / ``@router.post`` with the router's prefix and dependencies,
Flask ``@app.route`` / ``@bp.get``), DRF ``@api_view`` functions, class-based views (DRF ``APIView`` and
``ViewSet`` families, Django ``View`` classes, Flask ``MethodView``, Starlette ``HTTPEndpoint``), and
views that another file wires to a URL (``urls.py`` ``path()``, DRF ``router.register``, Flask
``add_url_rule``, FastAPI ``add_api_route``, Starlette ``Route``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tree_sitter import Node

from clerk_lint.parsing import captures, string_value, text
from clerk_lint.project.python import (
    CLASS,
    DJANGO,
    DJANGO_VIEW_BASES,
    DRF,
    DRF_BASES,
    FASTAPI,
    FLASK,
    FLASK_VIEW_BASES,
    HTTP_METHODS,
    MAX_DEPTH,
    ROUTE_DECORATORS_FASTAPI,
    ROUTE_DECORATORS_FLASK,
    STARLETTE,
    STARLETTE_VIEW_BASES,
    VALUE,
    VIEWSET_ACTIONS,
    PyEndpoint,
    PySymbol,
    depends_list,
    dotted_parts,
    keyword,
    methods_of,
    positional,
)
from clerk_lint.source import SourceFile

if TYPE_CHECKING:
    from clerk_lint.project.python import PyModel

DECORATED_QUERY = "(decorated_definition definition: (function_definition) @function) @decorated"

#: a route decorator somewhere in the file (a cheap test before the tree is queried)
ROUTE_DECORATOR = re.compile(rb"@[ \t]*[\w.]+\.(?:get|post|put|patch|delete|head|options|trace|route|api_route|websocket)[ \t]*\(|@[ \t]*(?:[\w.]+\.)?api_view\b")
FASTAPI_FACTORIES = frozenset({"FastAPI", "APIRouter"})
FLASK_FACTORIES = frozenset({"Flask", "Blueprint", "Quart", "APIBlueprint", "APIFlask"})
APP_NAMES = frozenset({"app", "api", "router", "bp", "blueprint", "application", "server"})
#: DRF generic views that serve their queryset without a method of their own
GENERIC_VIEWS = frozenset(DRF_BASES - {"APIView", "ViewSet", "ViewSetMixin"})


def decorators(definition: Node) -> list[Node]:
    """The decorator expressions applied to a function or class definition, outermost first."""
    parent = definition.parent
    if parent is None or parent.type != "decorated_definition":
        return []
    found = []
    for child in parent.named_children:
        if child.type == "decorator" and child.named_children:
            found.append(child.named_children[0])
    return found


def function_name(function: Node) -> Node:
    return function.child_by_field_name("name") or function


def endpoints_of(model: "PyModel", file: SourceFile) -> list[PyEndpoint]:
    found: list[PyEndpoint] = []
    seen: set[tuple[int, str]] = set()

    def add(endpoint: PyEndpoint) -> None:
        key = (endpoint.node.start_byte, endpoint.name)
        if key not in seen:
            seen.add(key)
            found.append(endpoint)

    data = file.data
    facts = model.facts(file)
    if ROUTE_DECORATOR.search(data):
        for function in captures(file.grammar, DECORATED_QUERY, file.root).get("function", ()):
            for endpoint in _decorated(model, file, facts, function):
                add(endpoint)
    for name, cls in facts.classes.items():
        framework = _class_framework(model, file, cls)
        registered = model.registrations(file, cls)
        if framework is None and registered:
            framework = registered[0].framework
        if framework is None:
            continue
        for endpoint in _class_endpoints(model, file, cls, name, framework, registered):
            add(endpoint)
    for name, function in facts.functions.items():
        for registration in model.registrations(file, function):
            add(PyEndpoint(
                registration.framework, file, name, function_name(function), function, registration.url, registration.methods,
                [(registration.file, d) for d in registration.dependencies], None, None, (registration.file, registration.node),
            ))
    return found


def _factory(model: "PyModel", file: SourceFile, owner: Node) -> tuple[str | None, PySymbol]:
    """Which framework object ``owner`` (``app``, ``router``, ``bp``) is."""
    symbol = model.symbol(file, owner)
    for _ in range(MAX_DEPTH):
        if symbol.kind != VALUE or symbol.node is None or symbol.file is None:
            break
        value = symbol.node
        if value.type != "call":
            if value.type in ("identifier", "attribute"):
                symbol = model.symbol(symbol.file, value)
                continue
            break
        callee = value.child_by_field_name("function")
        parts = dotted_parts(callee)
        last = parts[-1] if parts else ""
        if last in FASTAPI_FACTORIES:
            return FASTAPI, symbol
        if last in FLASK_FACTORIES:
            return FLASK, symbol
        break
    return None, symbol


def _decorated(model: "PyModel", file: SourceFile, facts, function: Node) -> list[PyEndpoint]:
    found = []
    name = text(function.child_by_field_name("name"))
    for decorator in decorators(function):
        if decorator.type != "call":
            continue
        callee = decorator.child_by_field_name("function")
        args = decorator.child_by_field_name("arguments")
        if callee is None or args is None:
            continue
        if callee.type == "identifier" and text(callee) == "api_view" or callee.type == "attribute" and text(callee.child_by_field_name("attribute")) == "api_view":
            verbs = methods_of(positional(args)[0]) if positional(args) else ("GET",)
            found.append(PyEndpoint(DRF, file, name, function_name(function), function, None, verbs or ("GET",)))
            continue
        if callee.type != "attribute":
            continue
        method = text(callee.child_by_field_name("attribute"))
        if method not in ROUTE_DECORATORS_FASTAPI and method not in ROUTE_DECORATORS_FLASK:
            continue
        owner = callee.child_by_field_name("object")
        framework, symbol = _factory(model, file, owner)
        if framework is None:
            framework = _guess(facts, method, owner)
        if framework is None:
            continue
        if framework == FASTAPI and method not in ROUTE_DECORATORS_FASTAPI or framework == FLASK and method not in ROUTE_DECORATORS_FLASK:
            continue
        first = positional(args)
        url = string_value(first[0]) if first else string_value(keyword(args, "path") or keyword(args, "rule"))
        if method in ("route", "api_route"):
            verbs = methods_of(keyword(args, "methods")) or ("GET",)
        elif method == "websocket":
            verbs = ("WEBSOCKET",)
        else:
            verbs = (method.upper(),)
        deps = [(file, d) for d in depends_list(keyword(args, "dependencies"))]
        endpoint = PyEndpoint(framework, file, name, function_name(function), function, url, verbs, deps, symbol.key)
        if framework == FASTAPI and symbol.kind == VALUE and symbol.node is not None and symbol.file is not None:
            router_args = symbol.node.child_by_field_name("arguments")
            prefix = string_value(keyword(router_args, "prefix")) or ""
            endpoint.url = _include_prefix(model, file, symbol.key, 0) + prefix + (url or "")
        elif framework == FLASK and symbol.kind == VALUE and symbol.node is not None:
            router_args = symbol.node.child_by_field_name("arguments")
            prefix = string_value(keyword(router_args, "url_prefix")) or ""
            registered = _include_prefix(model, file, symbol.key, 0)  # register_blueprint(url_prefix=...) wins
            endpoint.url = (registered or prefix).rstrip("/") + (url or "") if registered or prefix else url
        found.append(endpoint)
    return found


def _include_prefix(model: "PyModel", file: SourceFile, key, depth: int) -> str:
    if key is None or depth > 4:
        return ""
    includes = model.includes(file, key)
    if not includes:
        return ""
    first = includes[0]
    return _include_prefix(model, file, first.parent.key, depth + 1) + first.prefix


def _guess(facts, method: str, owner: Node | None) -> str | None:
    """The framework of a route decorator whose object could not be followed (a parameter, a
    factory's result): from the file's imports, else from the usual names."""
    fastapi = facts.imports_module("fastapi")
    flask = facts.imports_module("flask", "quart")
    if fastapi and not flask:
        return FASTAPI
    if flask and not fastapi:
        return FLASK
    name = dotted_parts(owner)[-1:] if owner is not None else []
    if not name or name[0].lower() not in APP_NAMES and not name[0].lower().endswith(("_router", "_bp", "_app", "_blueprint")):
        return None
    return FLASK if method == "route" else FASTAPI


def base_names(model: "PyModel", file: SourceFile, cls: Node, depth: int = 0) -> list[tuple[str, PySymbol]]:
    """Every base class of ``cls`` by its last name, project bases followed (nearest first)."""
    found: list[tuple[str, PySymbol]] = []
    supers = cls.child_by_field_name("superclasses")
    if supers is None or depth > 6:
        return found
    for base in supers.named_children:
        if base.type == "keyword_argument":
            continue
        if base.type == "subscript":  # Generic[T]
            base = base.child_by_field_name("value") or base
        parts = dotted_parts(base)
        if not parts:
            continue
        symbol = model.symbol(file, base)
        found.append((parts[-1], symbol))
        if symbol.kind == CLASS and symbol.file is not None and symbol.node is not None and symbol.node != cls:
            found.extend(base_names(model, symbol.file, symbol.node, depth + 1))
    return found


def _class_framework(model: "PyModel", file: SourceFile, cls: Node) -> str | None:
    names = {name for name, _ in base_names(model, file, cls)}
    if names & DRF_BASES:
        return DRF
    if names & FLASK_VIEW_BASES:
        return FLASK
    if names & STARLETTE_VIEW_BASES:
        return STARLETTE
    if names & DJANGO_VIEW_BASES and model.facts(file).imports_module("django"):
        return DJANGO
    return None


def class_methods(cls: Node) -> dict[str, Node]:
    body = cls.child_by_field_name("body")
    found: dict[str, Node] = {}
    if body is None:
        return found
    for child in body.named_children:
        node = child.child_by_field_name("definition") if child.type == "decorated_definition" else child
        if node is not None and node.type == "function_definition":
            found.setdefault(text(node.child_by_field_name("name")), node)
    return found


def class_attribute(cls: Node, name: str) -> Node | None:
    body = cls.child_by_field_name("body")
    if body is None:
        return None
    for child in body.named_children:
        if child.type == "expression_statement" and child.named_children and child.named_children[0].type == "assignment":
            assignment = child.named_children[0]
            left = assignment.child_by_field_name("left")
            if left is not None and text(left) == name:
                return assignment.child_by_field_name("right")
    return None


def _class_endpoints(model: "PyModel", file: SourceFile, cls: Node, name: str, framework: str, registered) -> list[PyEndpoint]:
    methods = class_methods(cls)
    registration = registered[0] if registered else None
    url = registration.url if registration else None
    where = (registration.file, registration.node) if registration else None
    base = {n for n, _ in base_names(model, file, cls)}
    viewset = any(n.endswith("ViewSet") or n == "ViewSetMixin" for n in base)
    found = []
    for method_name, function in methods.items():
        verb = None
        if method_name in HTTP_METHODS:
            verb = method_name.upper()
        elif viewset and method_name in VIEWSET_ACTIONS:
            verb = VIEWSET_ACTIONS[method_name]
        elif viewset and any(_is_action(d) for d in decorators(function)):
            verb = "ACTION"
        if verb is None:
            continue
        found.append(PyEndpoint(framework, file, f"{name}.{method_name}", function_name(function), function, url, (verb,), [], None, cls, where))
    if not found and (base & GENERIC_VIEWS or class_attribute(cls, "queryset") is not None and framework == DRF):
        found.append(PyEndpoint(framework, file, name, cls.child_by_field_name("name") or cls, None, url, (), [], None, cls, where))
    return found


def _is_action(decorator: Node) -> bool:
    callee = decorator.child_by_field_name("function") if decorator.type == "call" else decorator
    parts = dotted_parts(callee)
    return bool(parts) and parts[-1] == "action"


__all__ = ["endpoints_of", "decorators", "class_methods", "class_attribute", "base_names"]
