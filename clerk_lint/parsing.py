"""tree-sitter languages, parsers and compiled queries: created once per process and cached.

Every tree walk in the project goes through :func:`walk` (iterative, so 10,000 nested brackets
cannot exhaust Python's recursion limit) or through compiled queries from :func:`query`.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import tree_sitter_javascript
import tree_sitter_python
import tree_sitter_typescript
from tree_sitter import Language, Node, Parser, Query, QueryCursor, Tree

# Grammar names used throughout the project.
TYPESCRIPT = "typescript"
TSX = "tsx"
JAVASCRIPT = "javascript"
PYTHON = "python"

JS_FAMILY = frozenset({TYPESCRIPT, TSX, JAVASCRIPT})
#: grammars that parse JSX (the plain TypeScript grammar has no JSX nodes: JSX queries fail on it)
JSX_GRAMMARS = frozenset({TSX, JAVASCRIPT})
GRAMMARS = frozenset({TYPESCRIPT, TSX, JAVASCRIPT, PYTHON})

#: file extension -> grammar. The TS grammar rejects JSX and the TSX grammar rejects `<T>x` casts,
#: so the choice follows the extension exactly as TypeScript itself does.
EXTENSION_GRAMMAR = {
    ".ts": TYPESCRIPT,
    ".mts": TYPESCRIPT,
    ".cts": TYPESCRIPT,
    ".tsx": TSX,
    ".js": JAVASCRIPT,
    ".jsx": JAVASCRIPT,
    ".mjs": JAVASCRIPT,
    ".cjs": JAVASCRIPT,
    ".py": PYTHON,
}


@lru_cache(maxsize=None)
def language(name: str) -> Language:
    if name == TYPESCRIPT:
        return Language(tree_sitter_typescript.language_typescript())
    if name == TSX:
        return Language(tree_sitter_typescript.language_tsx())
    if name == JAVASCRIPT:
        return Language(tree_sitter_javascript.language())
    if name == PYTHON:
        return Language(tree_sitter_python.language())
    raise KeyError(f"no grammar named {name!r}")


@lru_cache(maxsize=None)
def _parser(name: str) -> Parser:
    return Parser(language(name))


def parse(grammar: str, data: bytes) -> Tree:
    return _parser(grammar).parse(data)


@lru_cache(maxsize=None)
def query(grammar: str, source: str) -> Query:
    """Compile ``source`` for ``grammar`` once per process."""
    return Query(language(grammar), source)


def captures(grammar: str, source: str, node: Node) -> dict[str, list[Node]]:
    return QueryCursor(query(grammar, source)).captures(node)


def matches(grammar: str, source: str, node: Node) -> list[tuple[int, dict[str, list[Node]]]]:
    return QueryCursor(query(grammar, source)).matches(node)


def walk(node: Node) -> Iterator[Node]:
    """Every node below (and including) ``node`` in document order, without recursion."""
    cursor = node.walk()
    depth = 0
    while True:
        yield cursor.node
        if cursor.goto_first_child():
            depth += 1
            continue
        while True:
            if depth == 0:
                return
            if cursor.goto_next_sibling():
                break
            cursor.goto_parent()
            depth -= 1


def text(node: Node | None) -> str:
    """The source text of ``node`` (``""`` for ``None``)."""
    if node is None or node.text is None:
        return ""
    return node.text.decode("utf-8", "replace")


def string_value(node: Node | None) -> str | None:
    """The value of a JS/TS/Python string literal without its quotes, or ``None`` if ``node`` is no
    plain string (template strings with substitutions and f-strings with fields are not plain)."""
    if node is None:
        return None
    if node.type == "string":
        parts = []
        for child in node.named_children:
            if child.type in ("string_fragment", "string_content", "escape_sequence"):
                parts.append(text(child))
            elif child.type in ("string_start", "string_end"):
                continue
            elif child.type == "interpolation":
                return None
        return "".join(parts)
    if node.type == "template_string":
        if any(c.type == "template_substitution" for c in node.named_children):
            return None
        return text(node)[1:-1]
    return None


# -- expression helpers shared by the project model (JS/TS and Python node kinds) ---------------

#: wrappers that do not change which value an expression is: parentheses, TypeScript casts, `!`
WRAPPERS = frozenset({"parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression", "type_assertion"})
#: `await x` (JS/TS) and `await x` (Python)
AWAITS = frozenset({"await_expression", "await"})
_BOUND = 256  # generated code can nest thousands of levels: every loop here is bounded


def unwrap(node: Node | None, awaits: bool = True) -> Node | None:
    """The expression inside parentheses, casts and (unless ``awaits=False``) ``await``."""
    skip = WRAPPERS | AWAITS if awaits else WRAPPERS
    for _ in range(_BOUND):
        if node is None or node.type not in skip or not node.named_children:
            return node
        node = node.named_children[-1] if node.type == "type_assertion" else node.named_children[0]
    return node


def operator(node: Node) -> str:
    """The operator of a binary or unary expression (``""`` when it has none)."""
    found = node.child_by_field_name("operator")
    return text(found) if found is not None else ""


def last_name(node: Node | None, through_calls: bool = True) -> str:
    """The name an expression ends with: ``auth`` for ``auth``, ``protect`` for ``auth.protect`` and,
    through calls, for ``auth.protect()``; ``""`` for anything else."""
    node = unwrap(node)
    for _ in range(_BOUND):
        if node is None:
            return ""
        if node.type == "member_expression":
            return text(node.child_by_field_name("property"))
        if node.type == "attribute":
            return text(node.child_by_field_name("attribute"))
        if node.type in ("identifier", "property_identifier"):
            return text(node)
        if through_calls and node.type in ("call_expression", "call"):
            node = unwrap(node.child_by_field_name("function"))
            continue
        return ""
    return ""


def root_identifier(node: Node | None) -> Node | None:
    """The leftmost identifier of ``a.b(...).c[...]`` (JS/TS or Python)."""
    for _ in range(_BOUND):
        node = unwrap(node)
        if node is None:
            return None
        if node.type == "identifier":
            return node
        if node.type in ("member_expression", "attribute", "subscript_expression"):
            node = node.child_by_field_name("object")
        elif node.type in ("call_expression", "call"):
            node = node.child_by_field_name("function")
        elif node.type == "subscript":
            node = node.child_by_field_name("value")
        else:
            return None
    return None
